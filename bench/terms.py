"""Benchmark of the key terms (workshop/domain/terms.py) over many notes.

    .venv/bin/python bench/terms.py [--notes 5000] [--repeat 5] [--service]

Notes are made from the seed's French sentences, shuffled and cut at random (the same seed every
run). Printed: time to compute a workshop's key terms for 500, 1,000 and N notes (best and median
of the repeats), beside the baseline of the same run: splitting the same texts into lowered words
with no stop words and no stems (what any word count costs). A Markdown table, for
docs/benchmarks.md.

``--service``: also what ``terms:get`` and ``GET /w/CODE/terms.json`` cost for a workshop of N notes
in a temporary SQLite database (bench/results.py's ``populate``): ``services.terms.terms_for`` for
the workshop, a block and a round (the visible notes' query, then the count), and the board's
fragment ``GET /w/CODE/board/terms`` through the test client (query, count, Jinja).
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
    parser.add_argument("--service", action="store_true", help="also through the service and HTTP, over SQLite")
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
    if args.service:
        service(args.notes, args.repeat)


def service(notes: int, repeat: int) -> None:
    import tempfile

    from sqlalchemy import func, select

    from bench.results import populate
    from workshop import create_app
    from workshop.agenda.workshops import find_workshop
    from workshop.extensions import db
    from workshop.live import terms as term_service
    from workshop.models import Block, Note

    with tempfile.TemporaryDirectory() as folder:
        app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{Path(folder) / 'terms.sqlite3'}", "SECRET_KEY": "b"})
        with app.app_context():
            code = populate(notes)
            workshop = find_workshop(code)
            # The block and the round with the most notes.
            block = db.session.execute(
                select(Note.block_id).group_by(Note.block_id).order_by(func.count().desc()).limit(1)
            ).scalar()
            round_ = db.session.execute(
                select(Note.round_id)
                .where(Note.round_id.is_not(None))
                .group_by(Note.round_id)
                .order_by(func.count().desc())
                .limit(1)
            ).scalar()
            scopes = [
                ("workshop", {}),
                (f"block ({db.session.get(Block, block).title[:20]}…)", {"block": block}),
                ("round", {"round_": round_}),
            ]
            print(f"\nService level, {notes:,} notes in SQLite, {repeat} repeats\n")
            print("| what | notes counted | median (ms) | best (ms) |")
            print("|---|---:|---:|---:|")
            for name, scope in scopes:
                counted = len(term_service.notes_for(workshop, scope.get("block"), scope.get("round_")))
                times = timed(lambda: term_service.terms_for(workshop, scope.get("block"), scope.get("round_")), repeat)
                print(
                    f"| terms_for, {name} | {counted:,} | {statistics.median(times) * 1000:.0f} | {min(times) * 1000:.0f} |"
                )
        client = app.test_client()
        times = timed(lambda: client.get(f"/w/{code}/board/terms"), repeat)
        print(
            f"| GET /w/CODE/board/terms (current block) | | {statistics.median(times) * 1000:.0f} | {min(times) * 1000:.0f} |"
        )
        times = timed(lambda: client.get(f"/w/{code}/terms.json"), repeat)
        print(
            f"| GET /w/CODE/terms.json (workshop) | | {statistics.median(times) * 1000:.0f} | {min(times) * 1000:.0f} |"
        )


if __name__ == "__main__":
    main()
