"""Benchmark of the key terms (workshop/domain/terms.py) over many notes.

    .venv/bin/python bench/terms.py [--notes 5000] [--repeat 5]

Notes are made from the seed's French sentences, shuffled and cut at random (the same seed every
run). Printed: time to compute a workshop's key terms for 500, 1,000 and N notes (best and median
of the repeats), beside the baseline of the same run: splitting the same texts into lowered words
with no stop words and no stems (what any word count costs). A Markdown table, for
docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import platform
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from workshop.domain.terms import key_terms, words

SEED = Path(__file__).resolve().parents[2] / "shared" / "seed" / "acfas-2010-cre-capitale-nationale.txt"
FALLBACK = (
    "Rejoindre les jeunes issus de l’immigration là où ils sont. Les familles arrivées depuis peu ne "
    "connaissent pas les organismes. La reconnaissance des diplômes reste trop lente. Les employeurs "
    "des régions recrutent peu de personnes immigrantes. Mieux arrimer francisation et stages en entreprise."
)


def sentences() -> list[str]:
    text = SEED.read_text(encoding="utf-8") if SEED.exists() else FALLBACK
    parts = [p.strip() for p in text.replace("\n", " ").split(".") if len(p.split()) >= 4]
    return parts or [FALLBACK]


def make_notes(count: int, rng: random.Random) -> list[tuple[str, str]]:
    pool = sentences()
    notes = []
    for number in range(count):
        words_ = rng.choice(pool).split()
        start = rng.randrange(0, max(1, len(words_) - 4))
        notes.append((f"n{number}", " ".join(words_[start : start + rng.randint(4, 40)])[:500]))
    return notes


def timed(function, repeat: int) -> list[float]:
    times = []
    for _ in range(repeat):
        begin = time.perf_counter()
        function()
        times.append(time.perf_counter() - begin)
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--notes", type=int, default=5000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    rng = random.Random(2010)
    print(f"Python {platform.python_version()} on {platform.machine()}, {args.repeat} repeats\n")
    print("| notes | key terms best (ms) | key terms median (ms) | words only, median (ms) | terms found |")
    print("|---:|---:|---:|---:|---:|")
    for count in sorted({500, 1000, args.notes}):
        notes = make_notes(count, rng)
        key_terms(notes[:10], "fr")  # the stemmer and the stop words loaded once, as in the app
        terms = timed(lambda: key_terms(notes, "fr"), args.repeat)
        baseline = timed(lambda: [words(text) for _id, text in notes], args.repeat)
        found = len(key_terms(notes, "fr", limit=10_000))
        print(
            f"| {count:,} | {min(terms) * 1000:.1f} | {statistics.median(terms) * 1000:.1f} | {statistics.median(baseline) * 1000:.1f} | {found:,} |"
        )


if __name__ == "__main__":
    main()
