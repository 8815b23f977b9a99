"""The preliminary results over HTTP and the command line: a 2010 workshop run over Socket.IO
(notes in several rounds and tables, a hidden note, a star, a harvest, themes and sections made
with the curation events), then every download read back."""

from __future__ import annotations

import csv
import io
import json
import re
import uuid

import pytest
from click.testing import CliRunner
from docx import Document

from workshop import clock
from workshop.cli import main
from workshop.domain.typography import prose
from workshop.results.export.csv import COLUMNS

NOTES = {
    # (block index, round index, table): texts
    (0, 0, 1): ["Plus de rencontres de la Table (4 à 6 par année)", "Garder le contact entre les rencontres"],
    (0, 0, 2): ["Se donner un nouveau nom, un logo", "<script>alert('x')</script> & **gras**"],
    (0, 1, 1): ["Ouvrir l’ordre du jour à tous", "=SOMME(A1:A9)"],
    (0, 1, 3): ["Créer des « comités de partenaires » responsables de chacun des objectifs"],
    (3, 0, None): ["Ne plus fonctionner par appels de projets", "Financement des projets sur 2-3 ans"],
}
HIDDEN = "Note déplacée, masquée par l’animation"
SESSION = "Financement à long terme"
REPORT = {
    "Les projets d’un an ne laissent rien derrière eux": "key-point",
    "Financer les projets sur trois ans": "proposal",
    "Rédiger une demande commune à la CRÉ": "action",
}
HARVEST = "Utiliser des méthodes de travail collaboratives"
NAMES = {1: "Marie-Jules", 2: "Amadou", 3: "Sofía"}


def ok(ack):
    assert ack["ok"] is True, ack
    return ack


@pytest.fixture
def workshop(create_workshop, connect):
    """The 2010 café with notes everywhere; returns its keys, the notes by text and the clients."""
    keys = create_workshop()
    code = keys["code"]
    facilitator = connect({"code": code, "role": "facilitator", "key": keys["facilitator_key"]})
    phones = {n: connect({"code": code, "role": "participant", "table": n, "name": NAMES[n]}) for n in (1, 2, 3)}
    blocks = ok(facilitator.ack)["state"]["blocks"]
    notes: dict[str, dict] = {}

    def post(phone, text, round_id):
        ack = ok(phone.emit("note:post", {"id": str(uuid.uuid4()), "text": text, "round": round_id}, callback=True))
        notes[text] = ack["note"]

    for block, position in ((0, 0), (0, 1)):
        round_id = blocks[block]["rounds"][position]["id"]
        ok(facilitator.emit("round:start", {"round": round_id}, callback=True))
        for (b, r, table), texts in NOTES.items():
            if (b, r) == (block, position):
                for text in texts:
                    post(phones[table], text, round_id)
        if position == 1:
            post(phones[1], HIDDEN, round_id)
    ok(facilitator.emit("harvest:open", {"block": blocks[0]["id"]}, callback=True))
    harvest = ok(
        facilitator.emit("harvest:post", {"id": str(uuid.uuid4()), "text": HARVEST, "table": 2}, callback=True)
    )
    notes[HARVEST] = harvest["note"]
    ok(facilitator.emit("harvest:close", {"block": blocks[0]["id"]}, callback=True))
    forum = blocks[3]["rounds"][0]["id"]
    ok(facilitator.emit("round:start", {"round": forum}, callback=True))
    for text in NOTES[(3, 0, None)]:
        post(phones[2], text, forum)
    # The Open Space: a session, its report, the dot vote, then an action on the kept session.
    topic = ok(
        phones[2].emit(
            "topic:propose", {"id": str(uuid.uuid4()), "title": SESSION, "convener": "Amadou"}, callback=True
        )
    )["topic"]
    slot, space = blocks[3]["wall"]["slots"][0]["id"], blocks[3]["wall"]["spaces"][0]["id"]
    ok(facilitator.emit("topic:schedule", {"topic": topic["id"], "slot": slot, "space": space}, callback=True))
    ok(phones[2].emit("topic:attend", {"topic": topic["id"]}, callback=True))
    for text, tag in REPORT.items():
        if tag != "action":
            ack = ok(
                phones[2].emit(
                    "report:post",
                    {"id": str(uuid.uuid4()), "topic": topic["id"], "text": text, "tag": tag},
                    callback=True,
                )
            )
            notes[text] = ack["note"]
    ok(facilitator.emit("vote:open", {"block": blocks[3]["id"], "dots": 3, "top": 1}, callback=True))
    for phone in (phones[1], phones[3]):
        ok(phone.emit("vote:cast", {"target": "topic", "id": topic["id"]}, callback=True))
    proposal = next(t for t, tag in REPORT.items() if tag == "proposal")
    ok(phones[1].emit("vote:cast", {"target": "note", "id": notes[proposal]["id"]}, callback=True))
    ok(facilitator.emit("vote:close", {"block": blocks[3]["id"]}, callback=True))
    action = next(t for t, tag in REPORT.items() if tag == "action")
    ack = ok(
        phones[3].emit(
            "report:post",
            {
                "id": str(uuid.uuid4()),
                "topic": topic["id"],
                "text": action,
                "tag": "action",
                "owner": "Sofía",
                "due": "2010-06-15",
            },
            callback=True,
        )
    )
    notes[action] = ack["note"]

    ok(facilitator.emit("note:hide", {"note": notes[HIDDEN]["id"]}, callback=True))
    ok(facilitator.emit("note:star", {"note": notes["Garder le contact entre les rencontres"]["id"]}, callback=True))
    table = ok(
        facilitator.emit(
            "section:create",
            {
                "title": "Résultats préliminaires – Table",
                "intro": "Ce que la **Table** doit devenir : <script>alert(1)</script>",
            },
            callback=True,
        )
    )["section"]
    work = ok(facilitator.emit("section:create", {"title": "Résultats préliminaires – Mise en œuvre"}, callback=True))[
        "section"
    ]
    meetings = ok(
        facilitator.emit(
            "theme:create",
            {
                "title": "Fonctionnement de la Table",
                "notes": [
                    notes["Plus de rencontres de la Table (4 à 6 par année)"]["id"],
                    notes["Garder le contact entre les rencontres"]["id"],
                    notes[HIDDEN]["id"],
                ],
            },
            callback=True,
        )
    )["theme"]
    money = ok(
        facilitator.emit(
            "theme:create",
            {
                "title": "Financement",
                "notes": [
                    notes["Ne plus fonctionner par appels de projets"]["id"],
                    notes["Financement des projets sur 2-3 ans"]["id"],
                ],
            },
            callback=True,
        )
    )["theme"]
    ok(facilitator.emit("section:file", {"section": table["id"], "themes": [meetings["id"]]}, callback=True))
    ok(
        facilitator.emit(
            "section:file",
            {"section": work["id"], "themes": [money["id"]], "notes": [notes[HARVEST]["id"]]},
            callback=True,
        )
    )
    visible = {text: n for text, n in notes.items() if text != HIDDEN}
    return {**keys, "notes": visible, "hidden": notes[HIDDEN], "phones": phones, "facilitator": facilitator}


def get(client, workshop, extension, key=None, **headers):
    url = f"/w/{workshop['code']}/results.{extension}"
    if key is not None:
        url += f"?key={key}"
    return client.get(url, headers=headers)


def shown(text: str) -> str:
    """A note's text as the French documents print it (French spacing)."""
    return prose(text, "fr")


# --------------------------------------------------------------------------- each download, read back


def test_the_word_document_has_real_headings_every_visible_note_and_no_hidden_one(client, workshop):
    response = get(client, workshop, "docx", workshop["secretariat_key"])
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    assert response.headers["Content-Disposition"] == (
        f'attachment; filename="resultats-preliminaires-{workshop["code"]}-2010-05-05.docx"'
    )
    assert response.headers["Cache-Control"] == "no-store"
    document = Document(io.BytesIO(response.data))
    paragraphs = [(p.style.name, p.text) for p in document.paragraphs]
    assert paragraphs[0] == ("Title", "Résultats préliminaires")
    headings = {(name, text) for name, text in paragraphs if name.startswith("Heading")}
    assert {name for name, _ in headings} >= {"Heading 1", "Heading 2", "Heading 3"}
    assert ("Heading 1", "Résultats préliminaires – Table") in headings
    assert ("Heading 1", "Résultats préliminaires – Mise en œuvre") in headings
    assert ("Heading 1", "COMPRENDRE ET CRÉER DES LIENS") in headings
    assert ("Heading 2", shown("Ronde 1 – Quels sont les principaux défis en lien avec cet objectif?")) in headings
    assert any(name == "Heading 3" and text.startswith("Table 1 – Mobiliser") for name, text in headings)
    assert ("Heading 2", "Actes des sessions") in headings
    assert ("Heading 3", f"Session – {SESSION}") in headings
    assert ("Heading 2", "Plan d’action") in headings and (
        "Heading 2",
        "Priorités retenues par les pastilles",
    ) in headings
    text = "\n".join(t for _, t in paragraphs)
    for note in workshop["notes"]:
        assert shown(note) in text, note
    assert HIDDEN not in text and "masquée par l’animation" in text  # counted, not shown
    assert "alert(1)" not in text and "Ce que la Table doit devenir" in text
    assert document.core_properties.title.startswith("Résultats préliminaires")


def test_the_csv_round_trips_every_note_with_its_accents(client, workshop):
    response = get(client, workshop, "csv", workshop["facilitator_key"])
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/csv; charset=utf-8"
    assert response.data.startswith(b"\xef\xbb\xbf")
    # A French workshop: semicolons and French headers (the standard variant is tested apart).
    reader = csv.reader(io.StringIO(response.data.decode("utf-8-sig")), delimiter=";")
    assert next(reader)[:3] == ["numéro", "identifiant", "type"]
    rows = [dict(zip(COLUMNS, row, strict=True)) for row in reader]
    rows = [row for row in rows if row["kind"] in ("note", "harvest")]  # then key terms and charts' data
    by_id = {row["id"]: row for row in rows}
    assert len(rows) == len(workshop["notes"])
    for text, note in workshop["notes"].items():
        expected = "'" + text if text.startswith("=") else text
        assert by_id[note["id"]]["text"] == expected
    assert workshop["hidden"]["id"] not in by_id
    first = by_id[workshop["notes"]["Plus de rencontres de la Table (4 à 6 par année)"]["id"]]
    assert (first["block"], first["round"], first["table"], first["theme"], first["section"], first["author"]) == (
        "COMPRENDRE ET CRÉER DES LIENS",
        "1",
        "1",
        "Fonctionnement de la Table",
        "Résultats préliminaires – Table",
        "Marie-Jules",
    )
    assert by_id[workshop["notes"][HARVEST]["id"]]["kind"] == "harvest"
    assert by_id[workshop["notes"]["Garder le contact entre les rencontres"]["id"]]["starred"] == "oui"


def test_the_json_matches_its_documented_shape(client, workshop):
    response = get(client, workshop, "json", workshop["secretariat_key"])
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "application/json"
    doc = json.loads(response.data)
    assert list(doc) == [
        "format",
        "version",
        "generated_at",
        "workshop",
        "participation",
        "highlights",
        "sections",
        "themes",
        "blocks",
        "quiet_blocks",
        "other",
        "charts",
        "notes",
        "photos",
    ]
    assert set(doc["workshop"]) == {"code", "title", "language", "organiser", "place", "question", "dates"}
    assert set(doc["participation"]) == {
        "participants",
        "contributors",
        "notes",
        "harvest",
        "hidden",
        "by_sector",
        "blocks",
    }
    assert doc["participation"]["hidden"] == 1 and doc["participation"]["participants"] == 3
    note_keys = {
        "number",
        "id",
        "kind",
        "text",
        "author",
        "color",
        "created_at",
        "votes",
        "starred",
        "block",
        "round",
        "table",
        "topic",
        "theme",
        "section",
        "filed_directly",
        "tag",
        "owner",
        "due",
    }
    assert all(set(n) == note_keys for n in doc["notes"])
    assert {n["text"] for n in doc["notes"]} == set(workshop["notes"])
    assert [n["number"] for n in doc["notes"]] == list(range(1, len(workshop["notes"]) + 1))
    assert [s["title"] for s in doc["sections"]] == [
        "Résultats préliminaires – Table",
        "Résultats préliminaires – Mise en œuvre",
    ]
    assert set(doc["sections"][0]) == {"id", "title", "intro", "intro_html", "themes", "notes"}
    assert "script" not in doc["sections"][0]["intro_html"]
    block = doc["blocks"][0]
    assert set(block) == {
        "id",
        "key",
        "title",
        "day",
        "part",
        "method",
        "description",
        "rounds",
        "harvest",
        "sessions",
        "actions",
        "other",
        "terms",
    }
    assert all(set(t) == {"term", "count", "notes"} for t in block["terms"])
    assert set(block["rounds"][0]) == {"id", "position", "title", "question", "groups"}
    group_keys = {
        "kind",
        "table",
        "title",
        "topic",
        "convener",
        "slot",
        "space",
        "description",
        "votes",
        "selected",
        "themes",
        "notes",
    }
    assert set(block["rounds"][0]["groups"][0]) == group_keys
    forum = doc["blocks"][3]
    assert forum["method"] == "open-space"
    [session] = forum["sessions"]
    assert (
        session["title"],
        session["convener"],
        session["slot"],
        session["space"],
        session["votes"],
        session["selected"],
    ) == (
        SESSION,
        "Amadou",
        "13 h 45 – 14 h 30",
        "Espace A",
        2,
        True,
    )
    by_id = {n["id"]: n for n in doc["notes"]}
    assert {by_id[i]["text"] for i in session["notes"]} == set(REPORT)
    assert {by_id[i]["tag"] for i in session["notes"]} == {"key-point", "proposal", "action"}
    [action] = forum["actions"]
    assert (by_id[action]["owner"], by_id[action]["due"]) == ("Sofía", "2010-06-15")
    proposal = workshop["notes"]["Financer les projets sur trois ans"]["id"]
    assert by_id[proposal]["votes"] == 1
    assert doc["highlights"] == [workshop["notes"]["Garder le contact entre les rencontres"]["id"]]


def test_the_html_is_a_standalone_page_that_escapes_what_it_must(client, workshop):
    response = get(client, workshop, "html", workshop["secretariat_key"])
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/html; charset=utf-8"
    assert response.headers["Content-Disposition"].startswith("inline; filename=")
    assert "default-src 'none'" in response.headers["Content-Security-Policy"]
    page = response.get_data(as_text=True)
    assert "<script" not in page.lower()
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt; &amp; **gras**" in page
    assert "<link" not in page and " src=" not in page
    for text in workshop["notes"]:
        assert re.sub(r"[<>&']", "", shown(text)) in re.sub(r"&[#\w]+;|[<>&']", "", page), text
    assert HIDDEN not in page


def test_the_markdown_download(client, workshop):
    response = get(client, workshop, "md", workshop["facilitator_key"])
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/markdown; charset=utf-8"
    text = response.get_data(as_text=True)
    assert text.startswith("# Résultats préliminaires\n")
    assert "## Résultats préliminaires – Table" in text and "### Fonctionnement de la Table" in text
    assert "&lt;script>alert('x')&lt;/script> & \\*\\*gras\\*\\*" in text
    assert HIDDEN not in text


# --------------------------------------------------------------------------- who may download


@pytest.mark.parametrize("extension", ["md", "html", "docx", "csv", "json"])
def test_keys_open_the_downloads_and_nothing_else_does(client, workshop, create_workshop, extension):
    other = create_workshop()
    token = workshop["phones"][1].ack["participant"]
    for key in (None, token, other["secretariat_key"], other["facilitator_key"], "wrong-key", ""):
        response = get(client, workshop, extension, key)
        assert response.status_code == 403, key
        body = response.get_data(as_text=True)
        assert "Plus de rencontres" not in body and "Content-Disposition" not in response.headers
    for key in (workshop["secretariat_key"], workshop["facilitator_key"]):
        assert get(client, workshop, extension, key).status_code == 200
    bearer = get(client, workshop, extension, Authorization=f"Bearer {workshop['secretariat_key']}")
    assert bearer.status_code == 200
    assert get(client, workshop, extension, Authorization="Bearer nope").status_code == 403
    assert get(client, workshop, extension, Authorization=f"Basic {workshop['secretariat_key']}").status_code == 403


def test_the_console_key_in_the_session_opens_the_downloads(client, workshop):
    assert get(client, workshop, "docx").status_code == 403
    assert client.get(f"/w/{workshop['code']}/facilitate?key={workshop['facilitator_key']}").status_code == 302
    assert get(client, workshop, "docx").status_code == 200
    assert get(client, workshop, "docx", "wrong").status_code == 403  # a key shown decides alone


def test_unknown_workshop_or_format_is_404(client, workshop):
    assert client.get(f"/w/NOPE99/results.docx?key={workshop['secretariat_key']}").status_code == 404
    assert client.get(f"/w/{workshop['code']}/results.pdf?key={workshop['secretariat_key']}").status_code == 404


def test_the_secretariat_page_lists_the_five_downloads(client, workshop):
    code = workshop["code"]
    client.set_cookie("lang", "en")
    refused = client.get(f"/w/{code}/results")
    assert refused.status_code == 403 and 'name="key"' in refused.get_data(as_text=True)
    assert client.get(f"/w/{code}/results?key=wrong").status_code == 403
    response = client.get(f"/w/{code}/results?key={workshop['secretariat_key']}")
    assert response.status_code == 302 and "key=" not in response.headers["Location"]
    page = client.get(f"/w/{code}/results")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    for extension in ("docx", "html", "md", "csv", "json"):
        assert f'href="/w/{code}/results.{extension}"' in html
    assert f"/w/{code}/curate" not in html  # the secretariat does not curate
    assert get(client, workshop, "csv").status_code == 200  # the key stays in the session


def test_the_key_form_remembers_the_key(client, workshop):
    code = workshop["code"]
    wrong = client.post(f"/w/{code}/results", data={"key": "nope", "next": "docx"})
    assert wrong.status_code == 403
    response = client.post(f"/w/{code}/results", data={"key": workshop["facilitator_key"], "next": "docx"})
    assert response.status_code == 303 and response.headers["Location"].endswith(f"/w/{code}/results.docx")
    assert get(client, workshop, "docx").status_code == 200
    elsewhere = client.post(
        f"/w/{code}/results", data={"key": workshop["facilitator_key"], "next": "https://evil.example"}
    )
    assert elsewhere.headers["Location"].endswith(f"/w/{code}/results")


def test_the_curation_page_needs_the_facilitator_key(client, workshop):
    code = workshop["code"]
    client.set_cookie("lang", "en")
    assert client.get(f"/w/{code}/curate").status_code == 403
    assert client.get(f"/w/{code}/curate?key={workshop['secretariat_key']}").status_code == 403
    response = client.get(f"/w/{code}/curate?key={workshop['facilitator_key']}")
    assert response.status_code == 302 and "key=" not in response.headers["Location"]
    page = client.get(f"/w/{code}/curate")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert f'data-key="{workshop["facilitator_key"]}"' in html
    # Strict CSP: scripts only from files (the i18n block is data), no inline handler, no style=.
    for script in re.findall(r"<script[^>]*>", html):
        assert 'type="application/json"' in script or "src=" in script, script
    assert not re.search(r"\son\w+=", html) and "style=" not in html
    i18n = json.loads(re.search(r'<script type="application/json" id="i18n">(.*?)</script>', html, re.S).group(1))
    assert i18n["noneSelected"] == "No note selected"
    assert '<option value="new" selected>New theme…</option>' in html  # the regions: Jinja's
    assert page.headers["Cache-Control"] == "no-store"


# --------------------------------------------------------------------------- the command line


@pytest.fixture
def cli_env(app, monkeypatch):
    monkeypatch.setenv("WORKSHOP_DATABASE_URL", app.config["SQLALCHEMY_DATABASE_URI"])
    monkeypatch.setenv("WORKSHOP_SECRET_KEY", "cli-test")
    monkeypatch.setenv("WORKSHOP_AUTO_MIGRATE", "0")


def test_workshop_export_writes_the_same_bytes_as_the_download(app, client, create_workshop, cli_env, tmp_path):
    from workshop.agenda.workshops import find_workshop
    from workshop.extensions import db
    from workshop.live import notes as note_service
    from workshop.live import participants, rounds

    keys = create_workshop()
    with app.app_context():
        found = find_workshop(keys["code"])
        now = clock.now()
        rounds.start_round(found, found.blocks[0].rounds[0].id, now)
        person = participants.join(found, now, name="Léa", table=2)
        note_service.post_note(found, person, str(uuid.uuid4()), "Réunir les élus, les employeurs et les cégeps", now)
        db.session.commit()
    for extension in ("md", "html", "docx", "csv", "json"):
        target = tmp_path / f"out.{extension}"
        result = CliRunner().invoke(main, ["export", keys["code"].lower(), "--format", extension, "-o", str(target)])
        assert result.exit_code == 0, result.output
        data = target.read_bytes()
        downloaded = get(client, keys, extension, keys["secretariat_key"]).data
        if extension in ("md", "html", "csv"):  # the others carry the moment they were made
            assert data == downloaded
        assert len(data) > 500
        stdout = CliRunner().invoke(main, ["export", keys["code"], "--format", extension])
        assert stdout.exit_code == 0
        if extension == "docx":
            assert Document(io.BytesIO(stdout.stdout_bytes)).paragraphs[0].text == "Résultats préliminaires"
        else:
            assert "Réunir les élus, les employeurs et les cégeps" in stdout.stdout_bytes.decode("utf-8-sig")


def test_workshop_export_of_an_unknown_code_fails_clearly(cli_env):
    result = CliRunner().invoke(main, ["export", "NOPE99", "--format", "md"])
    assert result.exit_code != 0
    assert "NOPE99" in result.output
    result = CliRunner().invoke(main, ["export", "NOPE99", "--format", "pdf"])
    assert result.exit_code != 0 and "md, html, docx, csv, json" in result.output
