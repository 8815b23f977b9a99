"""The screenshots of the README: a demo workshop of the 2010 template, filled with French notes
drawn from the seed, shot in Chromium.

Run: .venv/bin/python scripts/screenshots.py [--out docs/screenshots]

It creates the workshop in a temporary SQLite database, serves it on a free port, plays the day
over Socket.IO (phones join their tables and post notes, the facilitator runs rounds, groups notes
into themes and files them under the two sections of the « Résultats préliminaires »), then opens
each page in Chromium (Debian's, /usr/bin/chromium) and writes one PNG per page.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
import uuid
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = Path("/usr/bin/chromium")
TEMPLATE = "cafe-conversation-2010"
PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True, "device_scale_factor": 2}
WIDE = {"viewport": {"width": 1600, "height": 1000}}
BOARD = {"viewport": {"width": 1600, "height": 900}}
WAIT = 15_000  # milliseconds
MAX_BYTES = 300 * 1024  # a PNG of the documentation

# Members of the round table: (name, sector, table). Five tables, one per objective.
PEOPLE = [
    ("Marie-Jules", "signataires", 1),
    ("Karim", "employabilite", 1),
    ("Sophie", "education", 1),
    ("Luc", "territorial", 2),
    ("Fatou", "employeurs", 2),
    ("Nathalie", "signataires", 2),
    ("Jean-François", "employabilite", 3),
    ("Amira", "accueil-integration", 3),
    ("Pierre", "sante", 3),
    ("Isabelle", "signataires", 4),
    ("Carlos", "territorial", 4),
    ("Geneviève", "employeurs", 4),
    ("Mamadou", "accueil-integration", 5),
    ("Chantal", "education", 5),
    ("Éric", "employabilite", 5),
]

# 4 May, morning, round 1: « Quels sont les principaux défis en lien avec cet objectif? »
CHALLENGES = {
    1: [
        "Rejoindre les jeunes issus de l’immigration là où ils sont : écoles, maisons de jeunes, réseaux sociaux",
        "Les familles arrivées depuis peu ne connaissent pas les organismes de leur quartier",
        "Garder les acteurs mobilisés entre deux rencontres de la Table",
    ],
    2: [
        "La reconnaissance des diplômes et de l’expérience acquise à l’étranger reste trop lente",
        "Peu d’accompagnement pour créer son entreprise quand on ne connaît pas encore le réseau d’affaires",
        "Les employeurs des MRC rurales recrutent peu de personnes immigrantes",
    ],
    3: [
        "Les organismes manquent de financement récurrent pour le maintien en emploi",
        "Préparer les équipes de travail à accueillir un nouveau collègue",
        "Mieux arrimer francisation et stages en entreprise",
    ],
    4: [
        "Une campagne régionale doit parler autant aux régions qu’à la ville de Québec",
        "Déconstruire les préjugés avec des histoires vraies de la région",
        "Cibler les clientèles : employeurs, jeunes, aînés",
    ],
    5: [
        "Inviter les personnes immigrantes dans les conseils d’administration",
        "Le bénévolat comme porte d’entrée dans la société d’accueil",
        "Rendre visibles les associations culturelles dans les instances locales",
    ],
}

# 5 May, morning: what the seed reports as the preliminary results, in two sections.
KEEP = [  # round 1: « Qu'est-ce qu'on aime et que l'on doit continuer à faire? »
    "Utiliser la Table comme lieu de positionnement, de création, de débat et de travail",
    "Plus de rencontres de la Table (4 à 6 par année)",
    "Garder le contact entre les rencontres",
    "Utiliser des méthodes de travail collaboratives",
]
CHANGE = [  # round 2: « Qu'est-ce que nous ne pouvons désormais plus faire de la même façon? »
    "Ne plus fonctionner par appels de projets",
    "Créer des « comités de partenaires » responsables de chacun des objectifs",
    "Chaque comité travaille sur un ou deux projets",
    "Faire des « appels de partenariats » afin que d’autres organismes puissent contribuer aux projets",
    "Financement des projets sur 2-3 ans",
    "Se donner un nouveau nom, un logo",
    "Ouvrir l’ordre du jour à tous",
]

# 5 May, afternoon, in Open Space: « De quoi devons-nous absolument parler avant de nous quitter? »
TOPICS = [
    ("Comités de partenaires : qui fait partie de quoi?", "Marie-Jules"),
    ("Une campagne régionale de sensibilisation en 2011", "Isabelle"),
    ("Entrepreneuriat immigrant en région", "Fatou"),
    ("Les jeunes et leur famille au cœur de la mobilisation", "Karim"),
    ("Un nouveau nom et un logo pour la Table", "Chantal"),
    ("Stages et francisation en entreprise", "Amira"),
]


def shrink(path: Path) -> None:
    """A screenshot over the budget becomes a 256-colour PNG: flat UI colours survive it."""
    try:
        from PIL import Image
    except ImportError:
        print(f"warning: {path.name} is over {MAX_BYTES // 1024} KB and Pillow is missing to shrink it")
        return
    with Image.open(path) as image:
        small = image.convert("RGB").quantize(colors=256, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE)
    small.save(path, optimize=True)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start_server(folder: Path) -> tuple[subprocess.Popen, dict, str]:
    """`workshop new` then `workshop serve` on a free port, SQLite in ``folder``."""
    port = free_port()
    env = {
        **os.environ,
        "WORKSHOP_DATABASE_URL": f"sqlite:///{folder / 'demo.sqlite3'}",
        "WORKSHOP_SECRET_KEY": "screenshots",
        "PYTHONUNBUFFERED": "1",
    }
    # The address a venue's laptop would show (a server on 127.0.0.1 would warn that phones cannot join).
    env["WORKSHOP_PUBLIC_URL"] = "http://192.168.1.20:5000"
    env.pop("WORKSHOP_MESSAGE_QUEUE", None)
    made = subprocess.run(
        [sys.executable, "-m", "workshop", "new", TEMPLATE, "--json"],
        cwd=PROJECT_ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    workshop = json.loads(made.stdout)
    organiser = subprocess.run(
        [sys.executable, "-m", "workshop", "organiser-key"],
        cwd=PROJECT_ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    workshop["organiser_key"] = re.search(r"^  ([A-Za-z0-9_-]{30,})$", organiser.stdout, re.M).group(1)
    log = (folder / "server.log").open("w")
    server = subprocess.Popen(
        [sys.executable, "-m", "workshop", "serve", "--host", "127.0.0.1", "--port", str(port)],
        cwd=PROJECT_ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while True:
        if server.poll() is not None:
            sys.exit(f"the server stopped:\n{(folder / 'server.log').read_text()}")
        try:
            with urllib.request.urlopen(f"{base}/healthz", timeout=2) as answer:
                if answer.status == 200:
                    break
        except OSError:
            if time.monotonic() > deadline:
                sys.exit("the server did not answer within 30 s")
            time.sleep(0.2)
    return server, workshop, base


def call(client, event: str, payload: dict) -> dict:
    ack = client.call(event, payload, timeout=15)
    if not ack.get("ok"):
        raise RuntimeError(f"{event} {payload}: {ack}")
    return ack


def play_the_day(base: str, workshop: dict) -> dict:
    """Phones and the facilitator over Socket.IO: returns the ids the screenshots need."""
    import socketio

    code = workshop["code"]
    facilitator = socketio.SimpleClient()
    facilitator.connect(base, transports=["websocket"])
    state = call(facilitator, "join", {"code": code, "role": "facilitator", "key": workshop["facilitator_key"]})[
        "state"
    ]
    by_key = {block["key"]: block for block in state["blocks"]}
    cafe_am, keep_block, open_space = by_key["4-mai-am"], by_key["5-mai-am"], by_key["5-mai-pm"]

    phones = []
    for name, sector, table in PEOPLE:
        phone = socketio.SimpleClient()
        phone.connect(base, transports=["websocket"])
        call(phone, "join", {"code": code, "role": "participant", "table": table, "name": name, "sector": sector})
        phones.append((phone, name, table))
    at_table = {n: [p for p in phones if p[2] == n] for n in range(1, 6)}

    def post(phone, text, color="yellow"):
        return call(phone, "note:post", {"id": str(uuid.uuid4()), "text": text, "color": color})["note"]

    colors = ["yellow", "blue", "green", "pink", "orange", "purple"]
    # 5 May, morning: what to keep, then what to change; the notes become the two sections.
    call(facilitator, "round:start", {"round": keep_block["rounds"][0]["id"]})
    keep_notes = [post(phones[i * 3][0], text, colors[i % 6]) for i, text in enumerate(KEEP)]
    call(facilitator, "round:close", {"round": keep_block["rounds"][0]["id"]})
    call(facilitator, "round:start", {"round": keep_block["rounds"][1]["id"]})
    change_notes = [
        post(phones[(i * 2 + 1) % len(phones)][0], text, colors[(i + 2) % 6]) for i, text in enumerate(CHANGE)
    ]
    call(facilitator, "round:close", {"round": keep_block["rounds"][1]["id"]})

    # The curation: themes, highlights, the two sections of the preliminary results.
    table_section = call(
        facilitator,
        "section:create",
        {
            "title": "Résultats préliminaires – Table",
            "intro": "Comment la Table veut travailler à partir de maintenant.",
        },
    )["section"]
    work_section = call(
        facilitator,
        "section:create",
        {
            "title": "Résultats préliminaires – Mise en œuvre",
            "intro": "Comment mettre en œuvre la nouvelle entente.",
        },
    )["section"]
    themes = [
        (
            "Fonctionnement de la Table",
            [n["id"] for n in keep_notes] + [change_notes[5]["id"], change_notes[6]["id"]],
            table_section,
        ),
        ("Des comités de partenaires", [n["id"] for n in change_notes[1:4]], work_section),
        ("Financement", [change_notes[0]["id"], change_notes[4]["id"]], work_section),
    ]
    for title, notes, section in themes:
        theme = call(facilitator, "theme:create", {"title": title, "notes": notes})["theme"]
        call(facilitator, "section:file", {"section": section["id"], "themes": [theme["id"]]})
    for note in (keep_notes[1], change_notes[0], change_notes[1]):
        call(facilitator, "note:star", {"note": note["id"], "starred": True})

    # 4 May, morning, round 1 running: the live board, the console, the phones.
    call(facilitator, "round:start", {"round": cafe_am["rounds"][0]["id"]})
    for number, texts in CHALLENGES.items():
        for index, text in enumerate(texts):
            phone = at_table[number][index % len(at_table[number])][0]
            post(phone, text, colors[(number + index) % 6])
    for number in range(1, 6):
        call(at_table[number][0][0], "table:host", {"table": number})

    return {"facilitator": facilitator, "phones": phones, "cafe_am": cafe_am, "open_space": open_space, "code": code}


def open_the_marketplace(day: dict) -> list[str]:
    """5 May, afternoon: the Open Space block; topics proposed, most of them on the wall."""
    facilitator, phones = day["facilitator"], day["phones"]
    block = day["open_space"]
    call(facilitator, "round:start", {"round": block["rounds"][0]["id"]})  # its block becomes current
    by_name = {name: phone for phone, name, _ in phones}
    topics = []
    for title, convener in TOPICS:
        topics.append(
            call(by_name[convener], "topic:propose", {"id": str(uuid.uuid4()), "title": title, "convener": convener})[
                "topic"
            ]
        )
    slots = [s["id"] for s in block["wall"]["slots"]]
    spaces = [s["id"] for s in block["wall"]["spaces"]]
    cells = [
        (slots[0], spaces[0]),
        (slots[0], spaces[1]),
        (slots[0], spaces[2]),
        (slots[1], spaces[0]),
        (slots[1], spaces[2]),
    ]
    for topic, (slot, space) in zip(topics, cells):
        call(facilitator, "topic:schedule", {"topic": topic["id"], "slot": slot, "space": space})
    # People say where they are (the law of two feet).
    for index, (phone, _name, _table) in enumerate(phones):
        call(phone, "topic:attend", {"topic": topics[index % 3]["id"]})
    return [t["id"] for t in topics]


def shoot(out: Path, base: str, workshop: dict) -> list[Path]:
    from playwright.sync_api import expect, sync_playwright

    code, key = workshop["code"], workshop["facilitator_key"]
    day = play_the_day(base, workshop)
    written: list[Path] = []

    def save(page, name: str, full_page: bool = False) -> None:
        page.wait_for_timeout(300)  # the last paint of live updates and fonts
        path = out / f"{name}.png"
        page.screenshot(path=str(path), full_page=full_page, animations="disabled", caret="initial")
        if path.stat().st_size > MAX_BYTES:
            shrink(path)
        written.append(path)
        print(f"{path}  {path.stat().st_size // 1024} KB")

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=["--no-sandbox", "--disable-gpu"])
        try:
            board = browser.new_context(**BOARD, locale="fr-CA").new_page()
            board.goto(f"{base}/w/{code}/board")
            expect(board.locator(".sticky").first).to_be_visible(timeout=WAIT)
            save(board, "board")

            console = browser.new_context(**WIDE, locale="fr-CA").new_page()
            console.goto(f"{base}/w/{code}/facilitate?key={key}")
            expect(console.locator("#timer")).not_to_be_empty(timeout=WAIT)
            expect(console.locator(".table-card").first).to_be_visible(timeout=WAIT)
            save(console, "console")

            phone = browser.new_context(**PHONE, locale="fr-CA").new_page()
            phone.goto(f"{base}/j/{code}?table=4")
            expect(phone.locator('#participant[data-joined="true"]')).to_have_count(1, timeout=WAIT)
            phone.locator("#name").fill("Geneviève")
            phone.locator("#note-text").fill("Des ambassadeurs de l’immigration dans chaque MRC")
            phone.locator("#note-form button[type=submit]").tap()
            expect(phone.locator('#my-notes [data-status="sent"]')).to_have_count(1, timeout=WAIT)
            phone.locator("#note-text").fill("Une journée portes ouvertes dans les entreprises")
            phone.evaluate("window.scrollTo(0, 0)")
            save(phone, "phone")

            curate = console.context.new_page()
            curate.goto(f"{base}/w/{code}/curate")
            expect(curate.locator("#curate")).to_have_attribute("data-joined", "true", timeout=WAIT)
            # The block's notes come from the server (curate/fragment), swapped in.
            agir = curate.locator("#filter-block option", has_text="AGIR ET PERFORMER ENSEMBLE").get_attribute("value")
            with curate.expect_response(lambda response: f"/curate/fragment?block={agir}&" in response.url):
                curate.locator("#filter-block").select_option(agir)
            curate.wait_for_timeout(300)
            for box in curate.locator(".cnote__pick").all()[:2]:
                box.check()
            save(curate, "curation")

            # The projector switched to the preliminary results as curated so far.
            call(day["facilitator"], "board:view", {"view": "results"})
            expect(board.locator("#results")).to_be_visible(timeout=WAIT)
            expect(board.locator("#results-flow > *").first).to_be_visible(timeout=WAIT)
            save(board, "board-results")
            call(day["facilitator"], "board:view", {"view": "live"})
            expect(board.locator("#results")).to_be_hidden(timeout=WAIT)

            # The organiser's home, the gallery, and the designer with its running round.
            laptop = browser.new_context(**WIDE, locale="fr-CA").new_page()
            laptop.goto(f"{base}/?key={workshop['organiser_key']}")
            expect(laptop.locator(".workshop-card").first).to_be_visible(timeout=WAIT)
            save(laptop, "home")
            laptop.goto(f"{base}/new")
            save(laptop, "gallery")
            laptop.goto(f"{base}/w/{code}/design")
            laptop.locator("#f-blocks-2").evaluate(
                "(block) => window.scrollTo(0, block.getBoundingClientRect().top + window.scrollY - 16)"
            )
            save(laptop, "designer")

            cards = console.context.new_page()
            cards.set_viewport_size({"width": 900, "height": 1100})
            cards.goto(f"{base}/w/{code}/cards")
            save(cards, "cards")

            open_the_marketplace(day)
            board.reload()
            expect(board.locator("#agenda")).to_be_visible(timeout=WAIT)
            expect(board.locator(".agenda-grid__cell .board-topic").first).to_be_visible(timeout=WAIT)
            save(board, "open-space-wall")
            console.reload()
            expect(console.locator("#os-panel")).to_be_visible(timeout=WAIT)
            save(console, "open-space-console")

            results = console.context.new_page()
            results.set_viewport_size({"width": 1000, "height": 1300})
            results.goto(f"{base}/w/{code}/results.html")
            # The facilitator's sections, themes and highlights, after the participation figures.
            section = results.get_by_role("heading", name="Résultats préliminaires – Table").first
            section.evaluate(
                "(heading) => window.scrollTo(0, heading.getBoundingClientRect().top + window.scrollY - 24)"
            )
            save(results, "results")
        finally:
            browser.close()
    return written


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=PROJECT_ROOT / "docs" / "screenshots")
    args = parser.parse_args()
    if not CHROMIUM.exists():
        sys.exit(f"{CHROMIUM} is missing: install Debian's chromium package")
    args.out.mkdir(parents=True, exist_ok=True)
    folder = Path(tempfile.mkdtemp(prefix="workshop-screenshots-"))
    server, workshop, base = start_server(folder)
    try:
        shoot(args.out.resolve(), base, workshop)
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
