"""Every event refuses bad input with a readable message, and nothing is stored half."""

from __future__ import annotations

import uuid

import pytest


@pytest.fixture
def room(create_workshop, connect):
    keys = create_workshop()
    code = keys["code"]
    facilitator = connect({"code": code, "role": "facilitator", "key": keys["facilitator_key"]})
    phone = connect({"code": code, "role": "participant", "table": 1})
    board = connect({"code": code, "role": "board"})
    rounds = [r["id"] for r in facilitator.ack["state"]["blocks"][0]["rounds"]]
    assert facilitator.emit("round:start", {"round": rounds[0]}, callback=True)["ok"]
    return {"code": code, "keys": keys, "facilitator": facilitator, "phone": phone, "board": board, "rounds": rounds}


def stored_notes(room):
    return room["facilitator"].emit("state:get", {}, callback=True)["state"]["notes"]


def assert_refused(ack, code=None):
    assert ack["ok"] is False, ack
    assert set(ack["error"]) == {"code", "message"}
    assert len(ack["error"]["message"]) > 10  # a sentence, not a code
    assert "Traceback" not in ack["error"]["message"]
    if code is not None:
        assert ack["error"]["code"] == code, ack


GOOD_ID = "1b4e28ba-2fa1-11d2-883f-0016d3cca427"


@pytest.mark.parametrize(
    "payload, code",
    [
        (None, "missing_field"),
        ("texte", "bad_payload"),
        ([1, 2, 3], "bad_payload"),
        (42, "bad_payload"),
        ({"text": "sans id"}, "missing_field"),
        ({"id": GOOD_ID}, "missing_field"),
        ({"id": "pas-un-uuid", "text": "x"}, "bad_uuid"),
        ({"id": 12345, "text": "x"}, "bad_uuid"),
        ({"id": GOOD_ID, "text": 12}, "wrong_type"),
        ({"id": GOOD_ID, "text": {"nested": ["deep"]}}, "wrong_type"),
        ({"id": GOOD_ID, "text": ""}, "empty_note"),
        ({"id": GOOD_ID, "text": "   \n\t  "}, "empty_note"),
        ({"id": GOOD_ID, "text": "x" * 501}, "note_too_long"),
        ({"id": GOOD_ID, "text": "x" * 100_000}, "too_long"),
        ({"id": GOOD_ID, "text": "ok", "round": 999_999}, "unknown_round"),
        ({"id": GOOD_ID, "text": "ok", "round": "deux"}, "wrong_type"),
        ({"id": GOOD_ID, "text": "ok", "table": 42}, "unknown_table"),
        ({"id": GOOD_ID, "text": "ok", "table": -1}, "out_of_range"),
        ({"id": GOOD_ID, "text": "ok", "table": [1]}, "wrong_type"),
        ({"id": GOOD_ID, "text": "ok", "color": "red;x:y"}, "bad_choice"),
        ({"id": GOOD_ID, "text": "ok", "topic": GOOD_ID}, "unknown_topic"),
    ],
)
def test_note_post_refuses(room, payload, code):
    assert_refused(room["phone"].emit("note:post", payload, callback=True), code)
    assert stored_notes(room) == []


def test_note_post_to_a_pending_round_is_refused(room):
    ack = room["phone"].emit(
        "note:post", {"id": GOOD_ID, "text": "trop tôt", "round": room["rounds"][1]}, callback=True
    )
    assert_refused(ack, "no_running_round")
    assert stored_notes(room) == []


def test_note_post_to_a_closed_round_is_refused(room):
    room["facilitator"].emit("round:close", {"round": room["rounds"][0]}, callback=True)
    assert_refused(room["phone"].emit("note:post", {"id": GOOD_ID, "text": "trop tard"}, callback=True), "round_closed")
    assert stored_notes(room) == []


@pytest.mark.parametrize(
    "payload, code",
    [
        ({"code": "NOPE99", "role": "board"}, "unknown_workshop"),
        ({"code": "../../etc", "role": "board"}, "unknown_workshop"),
        ({"code": "' OR 1=1 --", "role": "board"}, "unknown_workshop"),
        ({"code": 12, "role": "board"}, "wrong_type"),
        ({"role": "board"}, "missing_field"),
        ({"code": "{code}", "role": "admin"}, "bad_choice"),
        ({"code": "{code}", "role": "facilitator"}, "wrong_key"),
        ({"code": "{code}", "role": "facilitator", "key": "wrong"}, "wrong_key"),
        ({"code": "{code}", "role": "facilitator", "key": "{secretariat}"}, "wrong_key"),
        ({"code": "{code}", "role": "participant", "table": 99}, "unknown_table"),
        ({"code": "{code}", "role": "participant", "table": "un"}, "wrong_type"),
        ({"code": "{code}", "role": "participant", "name": "x" * 61}, "too_long"),
        ({"code": "{code}", "role": "participant", "sector": "inconnu"}, "unknown_sector"),
    ],
)
def test_join_refuses(room, connect, payload, code):
    payload = {
        k: (v.format(code=room["code"], secretariat=room["keys"]["secretariat_key"]) if isinstance(v, str) else v)
        for k, v in payload.items()
    }
    sio = connect(payload)
    assert_refused(sio.ack, code)
    # Not joined: it can do nothing, and the workshop is unchanged.
    assert_refused(sio.emit("state:get", {}, callback=True), "not_joined")
    assert_refused(sio.emit("note:post", {"id": GOOD_ID, "text": "x"}, callback=True), "not_joined")


@pytest.mark.parametrize(
    "event", ["round:start", "round:close", "round:extend", "note:hide", "note:show", "block:next", "block:select"]
)
def test_facilitator_events_are_refused_to_phones_and_boards(room, event):
    payload = {"round": room["rounds"][0], "note": GOOD_ID, "block": 1}
    for sio in (room["phone"], room["board"]):
        assert_refused(sio.emit(event, payload, callback=True), "forbidden")
    state = room["board"].emit("state:get", {}, callback=True)["state"]
    assert state["blocks"][0]["rounds"][0]["status"] == "running"


@pytest.mark.parametrize(
    "event, payload, code",
    [
        ("round:start", {"round": 999_999}, "unknown_round"),
        ("round:start", {"round": "1; DROP TABLE note"}, "wrong_type"),
        ("round:start", {}, "missing_field"),
        ("round:close", {"round": 999_999}, "unknown_round"),
        ("round:extend", {"round": "{round}", "minutes": 10_000}, "out_of_range"),
        ("round:extend", {"round": "{other}"}, "round_not_running"),
        ("round:close", {"round": "{other}"}, "round_not_started"),
        ("round:start", {"round": "{round}"}, "round_already_running"),
        ("note:hide", {"note": "nope"}, "bad_uuid"),
        ("note:hide", {"note": GOOD_ID}, "unknown_note"),
        ("block:select", {"block": 999_999}, "unknown_block"),
    ],
)
def test_facilitator_events_refuse(room, event, payload, code):
    payload = {
        k: (room["rounds"][0] if v == "{round}" else room["rounds"][1] if v == "{other}" else v)
        for k, v in payload.items()
    }
    before = room["board"].emit("state:get", {}, callback=True)["state"]["blocks"]
    assert_refused(room["facilitator"].emit(event, payload, callback=True), code)
    assert room["board"].emit("state:get", {}, callback=True)["state"]["blocks"] == before


def test_a_round_of_another_workshop_is_unknown_here(room, create_workshop, connect):
    other = create_workshop()
    facilitator = connect({"code": other["code"], "role": "facilitator", "key": other["facilitator_key"]})
    assert_refused(facilitator.emit("round:close", {"round": room["rounds"][0]}, callback=True), "unknown_round")
    note = room["phone"].emit("note:post", {"id": str(uuid.uuid4()), "text": "à nous"}, callback=True)["note"]
    assert_refused(facilitator.emit("note:hide", {"note": note["id"]}, callback=True), "unknown_note")


def test_the_server_keeps_serving_after_bad_input(room):
    for junk in (None, "x", 3, [], {"id": []}, {"text": {"a": 1}}):
        room["phone"].emit("note:post", junk, callback=True)
    ack = room["phone"].emit("note:post", {"id": str(uuid.uuid4()), "text": "Toujours là"}, callback=True)
    assert ack["ok"] is True
    assert [n["text"] for n in stored_notes(room)] == ["Toujours là"]
