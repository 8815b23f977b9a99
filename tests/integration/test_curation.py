"""Curation in the console: themes that group notes, sections that file them."""

from __future__ import annotations

import re
import uuid

import pytest


def ok(ack):
    assert ack["ok"] is True, ack
    return ack


def refused(ack, code):
    assert ack["ok"] is False and ack["error"]["code"] == code, ack
    return ack


@pytest.fixture
def room(create_workshop, connect):
    keys = create_workshop()
    code = keys["code"]
    facilitator = connect({"code": code, "role": "facilitator", "key": keys["facilitator_key"]})
    board = connect({"code": code, "role": "board"})
    phone = connect({"code": code, "role": "participant", "table": 1})
    first = facilitator.ack["state"]["blocks"][0]["rounds"][0]["id"]
    ok(facilitator.emit("round:start", {"round": first}, callback=True))
    notes = [
        ok(phone.emit("note:post", {"id": str(uuid.uuid4()), "text": text}, callback=True))["note"]["id"]
        for text in ("Plus de rencontres de la Table", "Garder le contact entre les rencontres", "Nouvelle présidence")
    ]
    return {"facilitator": facilitator, "board": board, "phone": phone, "notes": notes, "keys": keys}


def state(room):
    return room["facilitator"].emit("state:get", {}, callback=True)["state"]


def test_themes_group_notes_and_the_board_follows(room):
    f, board, notes = room["facilitator"], room["board"], room["notes"]
    board.get_received()
    theme = ok(f.emit("theme:create", {"title": "Fonctionnement de la Table", "notes": notes[:2]}, callback=True))[
        "theme"
    ]
    assert theme["title"] == "Fonctionnement de la Table"
    assert theme["block"] == state(room)["blocks"][0]["id"]
    updates = [e["args"][0] for e in board.get_received() if e["name"] == "curation:updated"]
    assert updates[-1]["themes"][0]["id"] == theme["id"]
    assert {n["id"]: n["theme"] for n in updates[-1]["notes"]} == {notes[0]: theme["id"], notes[1]: theme["id"]}
    by_id = {n["id"]: n["theme"] for n in state(room)["notes"]}
    assert by_id == {notes[0]: theme["id"], notes[1]: theme["id"], notes[2]: None}

    second = ok(f.emit("theme:create", {"title": "Gouvernance"}, callback=True))["theme"]
    ok(f.emit("notes:group", {"notes": [notes[1], notes[2]], "theme": second["id"]}, callback=True))
    ok(
        f.emit(
            "theme:update", {"theme": second["id"], "title": "Gouvernance de la Table", "position": 0}, callback=True
        )
    )
    s = state(room)
    assert [t["title"] for t in s["themes"]] == ["Gouvernance de la Table", "Fonctionnement de la Table"]
    assert {n["id"]: n["theme"] for n in s["notes"]} == {
        notes[0]: theme["id"],
        notes[1]: second["id"],
        notes[2]: second["id"],
    }

    ok(f.emit("theme:delete", {"theme": second["id"]}, callback=True))
    s = state(room)
    assert [t["id"] for t in s["themes"]] == [theme["id"]]
    assert {n["id"]: n["theme"] for n in s["notes"]}[notes[2]] is None
    assert len(s["notes"]) == 3  # deleting a theme loses no note


def test_a_section_intro_reaches_the_board_as_clean_html(room):
    f = room["facilitator"]
    hostile = "<script>alert(1)</script><img src=x onerror=alert(2)> [lien](javascript:alert(3)) *ok*"
    ok(f.emit("section:create", {"title": "Hostile", "intro": hostile}, callback=True))
    html = state(room)["sections"][0]["intro_html"]
    assert "<em>ok</em>" in html
    assert "<script" not in html and "onerror" not in html and "javascript:" not in html


def test_sections_file_themes_and_notes(room):
    f, notes = room["facilitator"], room["notes"]
    table = ok(
        f.emit(
            "section:create",
            {"title": "Résultats préliminaires – Table", "intro": "Comment la **Table** doit fonctionner."},
            callback=True,
        )
    )["section"]
    work = ok(f.emit("section:create", {"title": "Résultats préliminaires – Mise en œuvre"}, callback=True))["section"]
    theme = ok(f.emit("theme:create", {"title": "Rencontres", "notes": notes[:2]}, callback=True))["theme"]
    ok(f.emit("section:file", {"section": table["id"], "themes": [theme["id"]], "notes": [notes[2]]}, callback=True))
    s = state(room)
    assert [x["title"] for x in s["sections"]] == [
        "Résultats préliminaires – Table",
        "Résultats préliminaires – Mise en œuvre",
    ]
    assert s["sections"][0]["intro"] == "Comment la **Table** doit fonctionner."
    assert s["sections"][0]["intro_html"] == "<p>Comment la <strong>Table</strong> doit fonctionner.</p>"
    assert s["sections"][1]["intro_html"] == ""
    assert s["themes"][0]["section"] == table["id"]
    assert {n["id"]: n["section"] for n in s["notes"]}[notes[2]] == table["id"]

    ok(
        f.emit(
            "section:update",
            {"section": work["id"], "position": 0, "intro": "Mise en œuvre de l’entente"},
            callback=True,
        )
    )
    assert [x["id"] for x in state(room)["sections"]] == [work["id"], table["id"]]
    ok(f.emit("section:file", {"section": None, "notes": [notes[2]]}, callback=True))
    assert {n["id"]: n["section"] for n in state(room)["notes"]}[notes[2]] is None
    ok(f.emit("section:delete", {"section": table["id"]}, callback=True))
    s = state(room)
    assert [x["id"] for x in s["sections"]] == [work["id"]]
    assert s["themes"][0]["section"] is None


@pytest.mark.parametrize(
    "event, payload, code",
    [
        ("theme:create", {"title": "   "}, "missing_field"),
        ("theme:create", {"title": "x" * 201}, "too_long"),
        ("theme:create", {"title": "Ok", "notes": "pas une liste"}, "wrong_type"),
        ("theme:create", {"title": "Ok", "notes": [str(uuid.uuid4())]}, "unknown_note"),
        ("theme:create", {"title": "Ok", "notes": ["<script>"]}, "bad_uuid"),
        ("theme:create", {"title": "Ok", "notes": [str(uuid.uuid4()) for _ in range(501)]}, "too_many_items"),
        ("theme:update", {"theme": 999_999, "title": "x"}, "unknown_theme"),
        ("theme:delete", {"theme": "un"}, "wrong_type"),
        ("notes:group", {"notes": [], "theme": 999_999}, "unknown_theme"),
        ("section:create", {"title": ""}, "missing_field"),
        ("section:create", {"title": "Ok", "intro": "x" * 50_000}, "too_long"),
        ("section:update", {"section": 999_999}, "unknown_section"),
        ("section:file", {"section": 999_999, "themes": []}, "unknown_section"),
        ("section:file", {"section": None, "themes": [999_999]}, "unknown_theme"),
    ],
)
def test_curation_refuses_bad_input_and_changes_nothing(room, event, payload, code):
    before = state(room)
    refused(room["facilitator"].emit(event, payload, callback=True), code)
    after = state(room)
    assert (after["themes"], after["sections"], after["notes"]) == (
        before["themes"],
        before["sections"],
        before["notes"],
    )


@pytest.mark.parametrize(
    "event",
    [
        "theme:create",
        "theme:update",
        "theme:delete",
        "notes:group",
        "section:create",
        "section:update",
        "section:delete",
        "section:file",
    ],
)
def test_only_the_facilitator_curates(room, event):
    payload = {"title": "x", "theme": 1, "section": 1, "notes": []}
    for sio in (room["phone"], room["board"]):
        refused(sio.emit(event, payload, callback=True), "forbidden")


def test_another_workshops_theme_is_unknown_here(room, create_workshop, connect):
    theme = ok(room["facilitator"].emit("theme:create", {"title": "À nous"}, callback=True))["theme"]
    other = create_workshop()
    f2 = connect({"code": other["code"], "role": "facilitator", "key": other["facilitator_key"]})
    refused(f2.emit("theme:delete", {"theme": theme["id"]}, callback=True), "unknown_theme")
    refused(f2.emit("notes:group", {"notes": room["notes"][:1], "theme": None}, callback=True), "unknown_note")


def test_an_intro_is_rendered_once_when_saved_and_a_quadratic_one_is_refused(room, monkeypatch):
    f = room["facilitator"]
    refused(f.emit("section:create", {"title": "Piège", "intro": "[" * 10_000}, callback=True), "intro_too_complex")
    refused(f.emit("section:create", {"title": "Piège", "intro": "1. " * 3_000}, callback=True), "intro_too_complex")
    section = ok(
        f.emit("section:create", {"title": "Table", "intro": "Voir [le site](https://example.org)."}, callback=True)
    )["section"]
    assert 'href="https://example.org"' in section["intro_html"]
    from workshop.results.export import richtext

    rendered = []
    real = richtext.markdown_lib.markdown
    monkeypatch.setattr(richtext.markdown_lib, "markdown", lambda *a, **k: rendered.append(1) or real(*a, **k))
    for _ in range(3):  # snapshots of the board and the console: the stored HTML, no render
        assert state(room)["sections"][0]["intro_html"] == section["intro_html"]
        assert (
            room["board"].emit("state:get", {}, callback=True)["state"]["sections"][0]["intro_html"]
            == section["intro_html"]
        )
    assert rendered == []
    ok(f.emit("section:update", {"section": section["id"], "intro": "*Nouveau*"}, callback=True))
    assert rendered == [1]
    assert "<em>Nouveau</em>" in state(room)["sections"][0]["intro_html"]


# --- the curation page's regions: one partial for the page and GET /w/CODE/curate/fragment

HOSTILE = '<img src=x onerror="alert(1)"> & <b>gras</b>'
REGIONS = (
    "filter-choices",
    "block-terms",
    "note-groups",
    "group-choice",
    "file-choice",
    "themes-empty",
    "theme-list",
    "sections-empty",
    "section-list",
)


def fragment_of(client, code: str, query: str = "") -> str:
    response = client.get(f"/w/{code}/curate/fragment{query}")
    assert response.status_code == 200, response.status_code
    assert response.headers["Cache-Control"] == "no-store"
    return response.get_data(as_text=True)


def region(html: str, name: str) -> str:
    """The element of id ``name`` up to its closing tag (the regions hold no element of their own kind)."""
    tag = re.search(rf'<(\w+) id="{name}"', html).group(1)
    return html[html.index(f'<{tag} id="{name}"') :].split(f"</{tag}>", 1)[0]


def test_the_curation_fragment_is_the_pages_regions_as_they_are_now(room, client):
    f, phone, notes, keys = room["facilitator"], room["phone"], room["notes"], room["keys"]
    code = keys["code"]
    hostile = ok(phone.emit("note:post", {"id": str(uuid.uuid4()), "text": HOSTILE}, callback=True))["note"]
    theme = ok(
        f.emit("theme:create", {"title": "Fonctionnement <i>de</i> la Table", "notes": notes[:2]}, callback=True)
    )["theme"]
    section = ok(f.emit("section:create", {"title": "Résultats – Table", "intro": "Une *intro*"}, callback=True))[
        "section"
    ]
    ok(f.emit("section:file", {"section": section["id"], "themes": [theme["id"]], "notes": [notes[2]]}, callback=True))
    ok(f.emit("note:star", {"note": notes[0], "starred": True}, callback=True))
    ok(f.emit("note:hide", {"note": hostile["id"]}, callback=True))
    client.set_cookie("lang", "en")
    client.get(f"/w/{code}/curate?key={keys['facilitator_key']}")

    html = fragment_of(client, code)
    for name in REGIONS:
        assert f'id="{name}"' in html, name
    # What people wrote is text: the note, a theme's title.
    assert HOSTILE not in html and "<i>de</i>" not in html
    assert "&lt;img src=x onerror=&#34;alert(1)&#34;&gt; &amp; &lt;b&gt;gras&lt;/b&gt;" in html
    # A note as the script used to write it: its box and star, its table and round, its theme.
    item = html.split(f'<li class="cnote" data-note="{notes[0]}"', 1)[1].split("</li>", 1)[0]
    assert 'data-selected="false"' in item and f'data-key="pick-{notes[0]}"' in item
    assert 'aria-pressed="true"' in item and "★" in item
    assert "Table 1 · Ronde 1" in item  # the round as the agenda names it
    assert '<span class="pill pill--theme">Fonctionnement &lt;i&gt;de&lt;/i&gt; la Table</span>' in item
    hidden = html.split(f'<li class="cnote" data-note="{hostile["id"]}"', 1)[1].split("</li>", 1)[0]
    assert 'data-hidden="true"' in hidden and "pill--hidden" in hidden
    filed = html.split(f'<li class="cnote" data-note="{notes[2]}"', 1)[1].split("</li>", 1)[0]
    assert '<span class="pill pill--section">Résultats – Table</span>' in filed
    # The themes and sections, their titles as field values, what is filed under a section.
    themes = region(html, "theme-list")
    assert f'data-theme="{theme["id"]}"' in themes and 'value="Fonctionnement &lt;i&gt;de&lt;/i&gt; la Table"' in themes
    assert "2 notes" in themes and f'<option value="{section["id"]}" selected>' in themes
    sections = region(html, "section-list")
    assert ">Une *intro*</textarea>" in sections
    assert "Themes filed here: Fonctionnement &lt;i&gt;de&lt;/i&gt; la Table — Notes filed here: 1" in sections
    assert 'id="themes-empty" class="help" hidden' in html and 'id="sections-empty" class="help" hidden' in html
    assert f'<option value="{theme["id"]}">' in region(html, "group-choice")
    # The key terms of the visible notes: a hidden note lends none, a term names its notes.
    terms = region(html, "block-terms")
    assert 'data-term="rencontres"' in terms and "gras" not in terms
    assert re.search(rf'data-term="table" data-notes="[^"]*{notes[0]}', terms)

    # The same markup as the page's own regions.
    page = client.get(f"/w/{code}/curate").get_data(as_text=True)
    for name in REGIONS:
        assert region(html, name) in page, name


def test_the_curation_fragment_follows_the_filters(room, client):
    f, notes, keys = room["facilitator"], room["notes"], room["keys"]
    code = keys["code"]
    client.get(f"/w/{code}/curate?key={keys['facilitator_key']}")
    blocks = state(room)["blocks"]
    first, second = blocks[0], blocks[1]
    # No block asked: the current one; an empty one: every block.
    chosen = region(fragment_of(client, code), "filter-choices")
    assert f'<option value="{first["id"]}" selected>' in chosen and "disabled" not in chosen
    assert 'value="" selected>All' not in chosen.split('id="filter-round"', 1)[0]
    every = fragment_of(client, code, "?block=")
    assert 'id="filter-round" name="round" data-key="filter-round" disabled' in every
    assert all(f'data-note="{n}"' in every for n in notes)
    # Another block, a round of it, words: the notes it holds only.
    assert f'data-note="{notes[0]}"' not in region(fragment_of(client, code, f"?block={second['id']}"), "note-groups")
    round_ = first["rounds"][0]["id"]
    kept = region(fragment_of(client, code, f"?block={first['id']}&round={round_}&q=CONTACT"), "note-groups")
    assert f'data-note="{notes[1]}"' in kept and f'data-note="{notes[0]}"' not in kept
    # Nonsense is no filter.
    assert f'data-note="{notes[0]}"' in fragment_of(client, code, "?block=abc&round=%3Cx%3E&q=")
    del f


def test_the_curation_fragment_needs_the_facilitator_key(room, client):
    keys = room["keys"]
    code = keys["code"]
    assert client.get(f"/w/{code}/curate/fragment").status_code == 403
    assert client.get(f"/w/{code}/curate/fragment?key={keys['secretariat_key']}").status_code == 403
    assert client.get(f"/w/{code}/curate/fragment?key=wrong").status_code == 403
    bearer = client.get(f"/w/{code}/curate/fragment", headers={"Authorization": f"Bearer {keys['facilitator_key']}"})
    assert bearer.status_code == 200 and room["notes"][0] in bearer.get_data(as_text=True)
    assert client.get("/w/NOPE99/curate/fragment").status_code == 404
    client.get(f"/w/{code}/curate?key={keys['facilitator_key']}")  # the key moves to the session
    assert client.get(f"/w/{code}/curate/fragment").status_code == 200
    # A wrong key shown with the request decides alone, even with a good session.
    assert client.get(f"/w/{code}/curate/fragment?key=wrong").status_code == 403
