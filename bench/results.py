"""Benchmark of the preliminary results: every format for a workshop of 10,000 notes.

    .venv/bin/python bench/results.py [--notes 10000] [--runs 5] [--keep DIR]

A temporary SQLite database gets the 2010 World Café template through the services (workshop,
participants, themes, sections, stars), and the notes are bulk-inserted (10 % of them harvest
notes, 1 % hidden), spread over every round and table. Then, each measured ``--runs`` times:
- baseline: ``select(Note)``, the notes as ORM objects and nothing else (what a naive export
  would pay before writing a byte);
- load: ``services.results.load_input`` (every query the synthesis needs);
- tree: ``domain.synthesis.build`` on that input;
- one line per format: load + tree + render, i.e. what one download costs the server.
Printed: median, min and max in milliseconds, and the size of each file, as a Markdown table to
paste into docs/benchmarks.md. ``--keep DIR`` also writes the files there (to look at them).
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import random
import statistics
import sys
import tempfile
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sqlalchemy import insert, select

from workshop import create_app
from workshop.agenda.workshops import create_workshop
from workshop.config import PROJECT_ROOT
from workshop.curation import writes as curation
from workshop.domain.agenda import load_template
from workshop.domain.errors import WorkshopError
from workshop.domain.synthesis import build
from workshop.extensions import db
from workshop.live import participants as participant_service
from workshop.models import Note
from workshop.results.export import FORMATS
from workshop.results.read import load_input

TEMPLATE = PROJECT_ROOT / "sessions" / "cafe-conversation-2010.toml"
START = dt.datetime(2010, 5, 4, 12, 30, tzinfo=dt.UTC)

# Words of the seed's preliminary results, recombined into notes of a plausible length.
OPENINGS = [
    "Utiliser la Table comme lieu de",
    "Plus de rencontres de la Table pour",
    "Garder le contact entre les rencontres par",
    "Créer des « comités de partenaires » pour",
    "Faire des appels de partenariats afin de",
    "Ne plus fonctionner par appels de projets :",
    "Financement des projets sur 2-3 ans pour",
    "Ouvrir l’ordre du jour à tous et",
    "Utiliser des méthodes de travail collaboratives pour",
    "Sensibiliser la population à l’apport de l’immigration par",
    "Mobiliser les jeunes et leur famille grâce à",
]
ENDINGS = [
    "positionnement, création, débat et travail",
    "soutenir l’intégration en emploi des personnes immigrantes",
    "valoriser la participation citoyenne",
    "créer des entreprises comme moyen d’intégration économique",
    "rejoindre les employeurs de la région",
    "partager l’information entre les organismes",
    "mesurer nos succès d’ici 2013 ?",
    "mieux accueillir les familles en région !",
    "rapprocher les cégeps, l’université et les employeurs",
]


def note_text(rng: random.Random) -> str:
    return f"{rng.choice(OPENINGS)} {rng.choice(ENDINGS)}"


def populate(notes: int, seed: int = 2010) -> str:
    """The 2010 workshop with ``notes`` notes; returns its code. Needs an app context."""
    rng = random.Random(seed)
    workshop, _keys = create_workshop(load_template(TEMPLATE), START, code="BENCH")
    sectors = [s["id"] for s in workshop.sectors]
    people = []
    for i in range(100):
        fields = {"name": f"Personne {i}", "sector": rng.choice(sectors)}
        try:  # seated while the tables have room (they have a capacity), then without a table
            people.append(participant_service.join(workshop, START, table=1 + i % 5, **fields))
        except WorkshopError:
            people.append(participant_service.join(workshop, START, **fields))
    db.session.flush()
    slots = []
    moment = START
    for block in workshop.blocks:
        for round_ in block.rounds:
            round_.status, round_.started_at = "closed", moment
            round_.ends_at = round_.closed_at = moment + dt.timedelta(minutes=round_.minutes)
            moment += dt.timedelta(minutes=round_.minutes + 5)
            tables = [t.number for t in block.tables] or [None]
            slots += [(block.id, round_.id, table, round_.started_at) for table in tables]
        if block.method == "world-cafe":
            block.harvest = "closed"
    cafe_blocks = [b for b in workshop.blocks if b.method == "world-cafe"]
    harvest = notes // 10
    rows = []
    for index in range(notes):
        if index < harvest:
            block = cafe_blocks[index % len(cafe_blocks)]
            block_id, round_id, table, started = block.id, None, 1 + index % 5, block.rounds[-1].closed_at
            kind, author = "harvest", None
        else:
            block_id, round_id, table, started = slots[index % len(slots)]
            kind, author = "note", people[index % len(people)].id
        rows.append(
            {
                "id": str(uuid.UUID(int=rng.getrandbits(128), version=4)),
                "workshop_id": workshop.id,
                "block_id": block_id,
                "round_id": round_id,
                "table_number": table,
                "author_id": author,
                "text": note_text(rng),
                "color": rng.choice(["yellow", "pink", "blue", "green", None]),
                "hidden": index % 100 == 99,
                "kind": kind,
                "starred": index % 50 == 7,
                "created_at": started + dt.timedelta(seconds=index % 1500),
            }
        )
    db.session.execute(insert(Note), rows)
    ids = [r["id"] for r in rows if not r["hidden"]]
    table_section, _ = curation.create_section(
        workshop,
        "Résultats préliminaires – Table",
        "Comment la **Table** doit fonctionner : ce qui revient le plus souvent.",
    )
    work_section, _ = curation.create_section(
        workshop, "Résultats préliminaires – Mise en œuvre", "Les pistes pour *mettre en œuvre* l’entente."
    )
    for number in range(30):
        theme, _ = curation.create_theme(
            workshop, f"Thème {number + 1} : {rng.choice(ENDINGS)}", ids[number * 100 : (number + 1) * 100]
        )
        curation.file_under(workshop, (table_section if number % 2 else work_section).id, theme_ids=[theme.id])
    db.session.commit()
    return workshop.code


def timed(function, runs: int) -> tuple[list[float], object]:
    times, result = [], None
    for _ in range(runs):
        db.session.expire_all()
        started = time.perf_counter()
        result = function()
        times.append((time.perf_counter() - started) * 1000)
    return times, result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--notes", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--keep", type=Path, default=None, help="write each file into this folder")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as folder:
        app = create_app(
            {"SQLALCHEMY_DATABASE_URI": f"sqlite:///{Path(folder) / 'bench.sqlite3'}", "SECRET_KEY": "bench"}
        )
        with app.app_context():
            started = time.perf_counter()
            code = populate(args.notes)
            setup = time.perf_counter() - started
            from workshop.agenda.workshops import find_workshop

            workshop = find_workshop(code)
            visible = db.session.execute(select(Note.id).where(Note.hidden.is_(False))).all()
            lines = []

            def row(name: str, times: list[float], size: str = "") -> None:
                lines.append(
                    f"| {name} | {statistics.median(times):,.0f} | {min(times):,.0f} | {max(times):,.0f} | {size} |"
                )

            baseline, _ = timed(
                lambda: db.session.execute(select(Note).where(Note.workshop_id == workshop.id)).all(), args.runs
            )
            row("baseline: select(Note), ORM objects", baseline)
            loading, loaded = timed(lambda: load_input(workshop, START), args.runs)
            row("load the input (services.results)", loading)
            building, tree = timed(lambda: build(loaded), args.runs)
            row("build the tree (domain.synthesis)", building)
            for extension, found in FORMATS.items():
                times, data = timed(lambda: found.render(build(load_input(workshop, START))), args.runs)
                row(f"**{extension}**: load + tree + render", times, f"{len(data) / 1024:,.0f} KiB")
                if args.keep:
                    args.keep.mkdir(parents=True, exist_ok=True)
                    (args.keep / f"results.{extension}").write_bytes(data)

    print(
        f"{args.notes:,} notes ({len(visible):,} visible, {sum(len(b.rounds) for b in tree.blocks)} rounds), "
        f"{args.runs} runs each; Python {platform.python_version()}, {os.cpu_count()} cores; set-up {setup:.1f} s\n"
    )
    print("| step | median ms | min ms | max ms | size |")
    print("|---|---:|---:|---:|---:|")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
