"""Curation in the console: themes that group notes, sections that file them."""

from __future__ import annotations

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
