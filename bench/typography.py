"""What printing texts with the documents' typography costs the live pages (issue 17): the board's
snapshot runs ``typography.prose`` on every note it sends (``services.serialize.with_shown``).

    .venv/bin/python bench/typography.py [--notes 10000] [--repeat 5]

Printed: a Markdown table (milliseconds for all the notes, microseconds per note), to paste into
docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import os
import platform
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from workshop.domain.typography import prose

CASES = {
    "plain text (no mark, no apostrophe)": "{n}. Francisation des personnes immigrantes en milieu de travail",
    "apostrophe only": "{n}. L'apport de l'immigration en région",
    "apostrophe and : ? !": "{n}. Francisation: l'apport des employeurs? Oui!",
}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--notes", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    print(
        f"{platform.python_implementation()} {platform.python_version()}, {os.cpu_count()} CPUs, {args.notes:,} notes, best of {args.repeat}\n"
    )
    print("| notes | French, ms | French, µs/note | English, ms |")
    print("|---|---:|---:|---:|")
    for name, pattern in CASES.items():
        texts = [pattern.format(n=n) for n in range(args.notes)]
        timings = {}
        for language in ("fr", "en"):
            best = float("inf")
            for _ in range(args.repeat):
                start = time.perf_counter()
                for text in texts:
                    prose(text, language)
                best = min(best, time.perf_counter() - start)
            timings[language] = best
        per_note = timings["fr"] / args.notes * 1e6
        print(f"| {name} | {timings['fr'] * 1000:.1f} | {per_note:.1f} | {timings['en'] * 1000:.1f} |")


if __name__ == "__main__":
    main()
