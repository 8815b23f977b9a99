"""Key terms, "what the room said": `terms:get` and its HTTP twin, the board's view, and every
results format carrying each block's terms and the charts' data."""

from __future__ import annotations

import json
import re
import uuid

import pytest


def ok(ack):
    assert ack["ok"] is True, ack
    return ack


def _events(client, name):
    return [e["args"][0] for e in client.get_received() if e["name"] == name]


@pytest.fixture
def workshop(create_workshop):
    return create_workshop()


@pytest.fixture
def room(workshop, connect):
    """The first round running; table 1 and table 2 wrote about young people and meetings; one
    note, hidden by the facilitator, says a word nobody else said."""
    code = workshop["code"]
    facilitator = connect({"code": code, "role": "facilitator", "key": workshop["facilitator_key"]})
    board = connect({"code": code, "role": "board"})
    first_phone = connect({"code": code, "role": "participant", "table": 1, "name": "Marie"})
    second_phone = connect({"code": code, "role": "participant", "table": 2, "name": "Karim"})
    blocks = facilitator.ack["state"]["blocks"]
    first, second = blocks[0]["rounds"][0]["id"], blocks[0]["rounds"][1]["id"]
    ok(facilitator.emit("round:start", {"round": first}, callback=True))

    def post(phone, text):
        return ok(phone.emit("note:post", {"id": str(uuid.uuid4()), "text": text}, callback=True))["note"]

    notes = [
        post(first_phone, "Plus de rencontres entre les jeunes"),
        post(first_phone, "L’engagement des jeunes du quartier"),
        post(second_phone, "Des rencontres régulières avec le jeune public"),
        post(second_phone, "Écouter les jeunes"),
    ]
    hidden = post(second_phone, "Zygomatiques zygomatiques")
    ok(facilitator.emit("note:hide", {"note": hidden["id"]}, callback=True))
    return {
        "code": code,
        "facilitator": facilitator,
        "board": board,
        "phone": first_phone,
        "notes": notes,
        "hidden": hidden,
        "block": blocks[0]["id"],
        "round": first,
        "other_round": second,
        "other_block": blocks[1]["id"] if len(blocks) > 1 else None,
    }


def test_terms_get_counts_the_visible_notes_most_frequent_first(room):
    reply = ok(room["facilitator"].emit("terms:get", {}, callback=True))
    terms = reply["terms"]
    assert terms[0] == {"term": "jeunes", "count": 4, "notes": [n["id"] for n in room["notes"]]}
    assert terms[1]["term"] == "rencontres" and terms[1]["count"] == 2
    assert [t["count"] for t in terms] == sorted((t["count"] for t in terms), reverse=True)
    assert all(set(t) == {"term", "count", "notes"} for t in terms)
    # The hidden note's word is nowhere, nor its id.
    assert not any(t["term"].startswith("zygomat") for t in terms)
    assert not any(room["hidden"]["id"] in t["notes"] for t in terms)


def test_the_board_asks_too_and_a_round_or_block_narrows_it(room):
    board = room["board"]
    by_round = ok(board.emit("terms:get", {"round": room["round"]}, callback=True))["terms"]
    by_block = ok(board.emit("terms:get", {"block": room["block"]}, callback=True))["terms"]
    both = ok(board.emit("terms:get", {"block": room["block"], "round": room["round"]}, callback=True))["terms"]
    assert by_round == by_block == both
    assert by_round[0]["term"] == "jeunes"
    assert ok(board.emit("terms:get", {"round": room["other_round"]}, callback=True))["terms"] == []


def test_phones_may_not_ask_and_bad_ids_are_refused(room, connect, create_workshop):
    refused = room["phone"].emit("terms:get", {}, callback=True)
    assert refused["ok"] is False and refused["error"]["code"] == "forbidden"
    facilitator = room["facilitator"]
    assert facilitator.emit("terms:get", {"round": 999_999}, callback=True)["error"]["code"] == "unknown_round"
    assert facilitator.emit("terms:get", {"block": 999_999}, callback=True)["error"]["code"] == "unknown_block"
    assert facilitator.emit("terms:get", {"round": "one"}, callback=True)["error"]["code"] == "wrong_type"
    assert facilitator.emit("terms:get", ["not", "a", "dict"], callback=True)["ok"] is False
    if room["other_block"] is not None:
        mixed = facilitator.emit("terms:get", {"block": room["other_block"], "round": room["round"]}, callback=True)
        assert mixed["error"]["code"] == "unknown_round"
    # Another workshop's round is not this workshop's.
    other = create_workshop()
    stranger = connect({"code": other["code"], "role": "facilitator", "key": other["facilitator_key"]})
    assert stranger.emit("terms:get", {"round": room["round"]}, callback=True)["error"]["code"] == "unknown_round"
    assert stranger.emit("terms:get", {"block": room["block"]}, callback=True)["error"]["code"] == "unknown_block"
    # Not joined: refused.
    assert connect().emit("terms:get", {}, callback=True)["error"]["code"] == "not_joined"


def test_the_http_twin_answers_the_same(client, room):
    facilitator = ok(room["facilitator"].emit("terms:get", {"round": room["round"]}, callback=True))["terms"]
    response = client.get(f"/w/{room['code']}/terms.json?round={room['round']}")
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"
    assert response.get_json() == {"terms": facilitator}
    assert client.get(f"/w/{room['code'].lower()}/terms.json").get_json()["terms"][0]["term"] == "jeunes"
    assert client.get(f"/w/{room['code']}/terms.json?block=999999").status_code == 404
    bad = client.get(f"/w/{room['code']}/terms.json?round=x")
    assert bad.status_code == 400 and bad.get_json()["error"]["code"] == "wrong_type"
    assert client.get("/w/NOPE99/terms.json").status_code == 404


def test_the_board_shows_what_the_room_said(client, room):
    facilitator, board = room["facilitator"], room["board"]
    board.get_received()
    ok(facilitator.emit("board:view", {"view": "terms"}, callback=True))
    assert _events(board, "board:view") == [{"view": "terms"}]
    assert ok(board.emit("state:get", {}, callback=True))["state"]["board_view"] == "terms"

    page = client.get(f"/w/{room['code']}/board").get_data(as_text=True)
    assert "board--terms" in page
    section = re.search(r'<section id="terms".*?</section>', page, re.S).group(0)
    assert " hidden" not in section.split(">", 1)[0]
    assert 'data-term="jeunes" data-count="4"' in section
    assert "term--6" in section  # the most frequent at the largest size
    assert "zygomat" not in section.lower()

    fragment = client.get(f"/w/{room['code']}/board/terms")
    assert fragment.status_code == 200 and fragment.headers["Cache-Control"] == "no-store"
    html = fragment.get_data(as_text=True)
    assert "<html" not in html and '<ul class="terms__list"' in html
    # A screen reader hears each term with its count in words.
    jeunes = re.search(r'<li class="term[^"]*" data-term="jeunes".*?</li>', html, re.S).group(0)
    assert re.search(r'class="visually-hidden">4\s+notes<', jeunes)


def test_the_terms_fragment_escapes_what_the_notes_say(client, workshop, connect):
    code = workshop["code"]
    facilitator = connect({"code": code, "role": "facilitator", "key": workshop["facilitator_key"]})
    phone = connect({"code": code, "role": "participant", "table": 1})
    ok(
        facilitator.emit(
            "round:start", {"round": facilitator.ack["state"]["blocks"][0]["rounds"][0]["id"]}, callback=True
        )
    )
    ok(phone.emit("note:post", {"id": str(uuid.uuid4()), "text": "<script>alert(1)</script> scripts"}, callback=True))
    html = client.get(f"/w/{code}/board/terms").get_data(as_text=True)
    assert "<script" not in html
    assert 'data-term="script"' in html or 'data-term="scripts"' in html


def test_an_empty_room_says_so(client, workshop):
    html = client.get(f"/w/{workshop['code']}/board/terms").get_data(as_text=True)
    assert "terms__empty" in html and "terms__list" not in html


def test_the_console_switches_the_board_to_the_terms_without_javascript(client, workshop, connect):
    client.get(f"/w/{workshop['code']}/facilitate?key={workshop['facilitator_key']}")
    console = client.get(f"/w/{workshop['code']}/facilitate").get_data(as_text=True)
    form = re.search(r'<form id="board-view".*?</form>', console, re.S).group(0)
    assert 'value="terms"' in form
    response = client.post(f"/w/{workshop['code']}/board/view", data={"view": "terms"})
    assert response.status_code == 303
    board = connect({"code": workshop["code"], "role": "board"})
    assert board.ack["state"]["board_view"] == "terms"


def test_the_payload_has_the_declared_shape(room):
    from workshop import shapes

    reply = ok(room["facilitator"].emit("terms:get", {}, callback=True))
    assert set(reply) == {"ok"} | set(shapes.TermsJSON.__annotations__)
    for term in reply["terms"]:
        assert set(term) == set(shapes.TermJSON.__annotations__)
    json.dumps(reply)


def _download(client, room, extension, key):
    response = client.get(f"/w/{room['code']}/results.{extension}?key={key}")
    assert response.status_code == 200, extension
    return response.data


def test_every_results_format_carries_the_terms_and_the_charts_data(client, room, workshop):
    import csv
    import io

    import docx

    from workshop.results.export.csv import COLUMNS

    key = workshop["secretariat_key"]
    doc = json.loads(_download(client, room, "json", key))
    block = next(b for b in doc["blocks"] if b["id"] == room["block"])
    assert block["terms"][0] == {"term": "jeunes", "count": 4, "notes": [n["id"] for n in room["notes"]]}
    assert not any(t["term"].startswith("zygomat") for b in doc["blocks"] for t in b["terms"])
    participation = next(c for c in doc["charts"] if c["kind"] == "participation")
    assert participation["block"] == room["block"]
    assert [c["number"] for c in participation["categories"]] == [1, 2]
    assert participation["series"][0]["values"] == [2, 2]  # the hidden note is not counted

    markdown = _download(client, room, "md", key).decode("utf-8")
    assert "### Termes clés" in markdown and "jeunes (4)" in markdown and "zygomat" not in markdown.lower()
    assert "**Graphique – Participation\u00a0: notes par table et par ronde**" in markdown
    assert "| Table 1 | 2 |" in markdown

    html = _download(client, room, "html", key).decode("utf-8")
    assert '<ul class="terms"' in html and 'jeunes <span class="count">4</span>' in html
    figure = re.search(
        r'<figure class="chart" data-chart="participation">.*?</figure>\s*<table class="grid">', html, re.S
    )
    assert figure and "<svg" in figure.group(0)
    assert "<script" not in html and " style=" not in html and "onload" not in html

    rows = list(csv.reader(io.StringIO(_download(client, room, "csv", key).decode("utf-8-sig")), delimiter=";"))
    rows = [dict(zip(COLUMNS, row, strict=True)) for row in rows[1:]]
    terms = {r["text"]: r["count"] for r in rows if r["kind"] == "key-term"}
    assert terms["jeunes"] == "4" and not any(t.startswith("zygomat") for t in terms)
    bars = [r for r in rows if r["kind"] == "chart:participation"]
    assert {(r["table"], r["round"], r["count"]) for r in bars} == {("1", "1", "2"), ("2", "1", "2")}

    document = docx.Document(io.BytesIO(_download(client, room, "docx", key)))
    texts = [p.text for p in document.paragraphs]
    assert "Termes clés" in texts
    assert any(t.startswith("jeunes\u00a0(4)") for t in texts)
    charts = [s for s in document.inline_shapes if s._inline.docPr.get("descr", "").startswith("Participation")]
    assert len(charts) == 1
    tables = [[c.text for c in t.rows[0].cells] for t in document.tables]
    assert ["Table", "Ronde 1"] in tables or any(row[:2] == ["Table", "Ronde 1"] for row in tables)


def test_a_note_the_room_has_not_seen_lends_no_word_until_it_is_revealed(room):
    """Reveal and moderated rounds (issue 15): the key terms count public notes only."""
    f = room["facilitator"]
    ok(f.emit("round:settings", {"round": room["round"], "reveal": True}, callback=True))
    note = ok(room["phone"].emit("note:post", {"id": str(uuid.uuid4()), "text": "Kaléidoscope"}, callback=True))["note"]

    def words():
        return {t["term"] for t in ok(room["board"].emit("terms:get", {}, callback=True))["terms"]}

    assert "kaléidoscope" not in {w.lower() for w in words()}
    ok(f.emit("notes:reveal", {"round": room["round"]}, callback=True))
    assert "kaléidoscope" in {w.lower() for w in words()}
    assert (
        note["id"]
        in next(t for t in ok(f.emit("terms:get", {}, callback=True))["terms"] if t["term"].lower() == "kaléidoscope")[
            "notes"
        ]
    )
