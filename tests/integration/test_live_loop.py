"""The World Café loop of the 2010 template over Socket.IO, with several clients."""

from __future__ import annotations

import uuid

import pytest


def events(sio, name):
    return [e["args"][0] for e in sio.get_received() if e["name"] == name]


def received(sio):
    """Every event the client got since the last call, as (name, payload)."""
    return [(e["name"], e["args"][0] if e["args"] else None) for e in sio.get_received()]


@pytest.fixture
def cafe(create_workshop, connect):
    """A 2010 Café with a facilitator, a board and phones at tables 1 and 2."""
    keys = create_workshop()
    code = keys["code"]
    facilitator = connect({"code": code, "role": "facilitator", "key": keys["facilitator_key"]})
    board = connect({"code": code, "role": "board"})
    phone1 = connect({"code": code, "role": "participant", "table": 1, "name": "Awa"})
    phone2 = connect({"code": code, "role": "participant", "table": 2, "name": "Marc"})
    for sio in (facilitator, board, phone1, phone2):
        assert sio.ack["ok"] is True, sio.ack
    state = facilitator.ack["state"]
    first_block = state["blocks"][0]
    return {
        "code": code,
        "keys": keys,
        "facilitator": facilitator,
        "board": board,
        "phone1": phone1,
        "phone2": phone2,
        "rounds": [r["id"] for r in first_block["rounds"]],
        "block": first_block,
    }


def post(sio, text, **extra):
    note_id = extra.pop("id", None) or str(uuid.uuid4())
    return sio.emit("note:post", {"id": note_id, "text": text, **extra}, callback=True)


def start(cafe, index=0):
    ack = cafe["facilitator"].emit("round:start", {"round": cafe["rounds"][index]}, callback=True)
    assert ack["ok"] is True, ack
    return ack


def test_join_gives_the_state_of_the_2010_agenda(cafe):
    state = cafe["board"].ack["state"]
    assert state["workshop"]["code"] == cafe["code"]
    assert state["workshop"]["language"] == "fr"
    assert [b["method"] for b in state["blocks"]] == ["world-cafe"] * 3 + ["open-space"]
    first = state["blocks"][0]
    assert first["rounds"][0]["question"] == "Quels sont les principaux défis en lien avec cet objectif?"
    assert all(r["status"] == "pending" for r in first["rounds"])
    assert [t["number"] for t in first["tables"]] == [1, 2, 3, 4, 5]
    assert state["blocks"][3]["wall"]["slots"], "the open-space block carries its wall"
    assert state["current"] == {"block": first["id"], "round": None}


def test_a_phone_gets_a_token_and_is_recognised_on_reconnect(cafe, connect):
    token = cafe["phone1"].ack["participant"]
    me = cafe["phone1"].ack["state"]["me"]
    assert me == {
        "token": token,
        "name": "Awa",
        "sector": None,
        "table": 1,
        "notes": [],
        "host": None,
        "move": None,
        "expected": 1,
        "topics": [],
        "attending": None,
        "dots": [],
        "dots_left": None,
    }
    again = connect({"code": cafe["code"], "role": "participant", "participant": token})
    assert again.ack["participant"] == token
    assert again.ack["state"]["me"]["name"] == "Awa"
    assert again.ack["state"]["me"]["table"] == 1


def test_a_token_of_another_workshop_makes_a_new_participant(cafe, create_workshop, connect):
    other = create_workshop()
    sio = connect({"code": other["code"], "role": "participant", "participant": cafe["phone1"].ack["participant"]})
    assert sio.ack["ok"] is True
    assert sio.ack["participant"] != cafe["phone1"].ack["participant"]


def test_the_whole_round(cafe):
    facilitator, board, phone1, phone2 = (cafe[k] for k in ("facilitator", "board", "phone1", "phone2"))
    for sio in (facilitator, board, phone1, phone2):
        sio.get_received()

    ack = start(cafe)
    assert ack["round"]["status"] == "running"
    assert ack["round"]["ends_at"].endswith("Z")
    for sio in (board, phone1, phone2):
        started = events(sio, "round:started")
        assert len(started) == 1
        assert started[0]["question"] == "Quels sont les principaux défis en lien avec cet objectif?"
        assert started[0]["ends_at"] == ack["round"]["ends_at"]

    first = post(phone1, "Le manque de places en francisation", color="pink")
    second = post(phone2, "Reconnaître les diplômes obtenus à l’étranger")
    assert first["ok"] and second["ok"], (first, second)
    assert first["note"]["table"] == 1 and first["note"]["author"] == "Awa"
    assert first["note"]["round"] == cafe["rounds"][0] and first["note"]["color"] == "pink"

    board_notes = events(board, "note:added")
    assert sorted(n["note"]["text"] for n in board_notes) == sorted(
        ["Le manque de places en francisation", "Reconnaître les diplômes obtenus à l’étranger"]
    )
    assert len(events(facilitator, "note:added")) == 2
    # A phone never gets another table's notes, but gets its own table's (its own included).
    assert [n["note"]["id"] for n in events(phone1, "note:added")] == [first["note"]["id"]]
    assert [n["note"]["id"] for n in events(phone2, "note:added")] == [second["note"]["id"]]

    hidden = facilitator.emit("note:hide", {"note": first["note"]["id"]}, callback=True)
    assert hidden == {"ok": True}
    assert events(board, "note:hidden") == [{"note": first["note"]["id"]}]
    assert events(phone1, "note:hidden") == [{"note": first["note"]["id"]}]
    assert events(phone2, "note:hidden") == []
    board_state = board.emit("state:get", {}, callback=True)["state"]
    assert [n["id"] for n in board_state["notes"]] == [second["note"]["id"]]
    console_state = facilitator.emit("state:get", {}, callback=True)["state"]
    assert {n["id"]: n["hidden"] for n in console_state["notes"]} == {
        first["note"]["id"]: True,
        second["note"]["id"]: False,
    }

    closed = facilitator.emit("round:close", {"round": cafe["rounds"][0]}, callback=True)
    assert closed["ok"] and closed["round"]["status"] == "closed"
    assert len(events(phone2, "round:closed")) == 1
    late = post(phone2, "Une idée de plus")
    assert late["ok"] is False
    assert late["error"]["code"] == "round_closed"
    assert "fermée" in late["error"]["message"]
    assert events(board, "note:added") == []


def test_reposting_the_same_id_stores_one_note(cafe):
    start(cafe)
    board = cafe["board"]
    board.get_received()
    note_id = str(uuid.uuid4())
    first = post(cafe["phone1"], "Mobiliser les familles", id=note_id)
    again = post(cafe["phone1"], "Mobiliser les familles", id=note_id)
    assert first["ok"] and again["ok"]
    assert again["note"] == first["note"]
    assert len(events(board, "note:added")) == 1
    notes = board.emit("state:get", {}, callback=True)["state"]["notes"]
    assert [n["id"] for n in notes] == [note_id]


def test_another_phone_cannot_take_over_a_note_id(cafe):
    start(cafe)
    note_id = str(uuid.uuid4())
    assert post(cafe["phone1"], "À moi", id=note_id)["ok"]
    stolen = post(cafe["phone2"], "Pas à toi", id=note_id)
    assert stolen["ok"] is False and stolen["error"]["code"] == "note_id_taken"


def test_a_phone_state_covers_its_table_and_its_own_notes(cafe, connect):
    start(cafe)
    mine = post(cafe["phone1"], "Note de la table 1")["note"]
    post(cafe["phone2"], "Note de la table 2")
    neighbour = connect({"code": cafe["code"], "role": "participant", "table": 1})
    assert [n["id"] for n in neighbour.ack["state"]["notes"]] == [mine["id"]]
    back = connect({"code": cafe["code"], "role": "participant", "participant": cafe["phone1"].ack["participant"]})
    assert back.ack["state"]["me"]["notes"] == [mine["id"]]


def test_moving_table_changes_what_a_phone_receives(cafe):
    start(cafe)
    phone1 = cafe["phone1"]
    moved = phone1.emit("table:arrive", {"table": 2}, callback=True)
    assert moved["ok"] and moved["table"] == 2
    phone1.get_received()
    note = post(cafe["phone2"], "Pour la table 2")["note"]
    assert [n["note"]["id"] for n in events(phone1, "note:added")] == [note["id"]]
    assert phone1.emit("table:arrive", {"table": 9}, callback=True)["error"]["code"] == "unknown_table"


def test_extend_and_a_new_round_closes_the_running_one(cafe):
    first = start(cafe)["round"]
    extended = cafe["facilitator"].emit("round:extend", {"round": first["id"]}, callback=True)
    assert extended["ok"]
    assert extended["round"]["ends_at"] > first["ends_at"]
    cafe["phone1"].get_received()
    start(cafe, 1)
    got = received(cafe["phone1"])
    assert [name for name, _ in got] == ["round:closed", "round:started"]
    state = cafe["board"].emit("state:get", {}, callback=True)["state"]
    statuses = [r["status"] for r in state["blocks"][0]["rounds"]]
    assert statuses == ["closed", "running", "pending"]
    assert state["current"]["round"] == cafe["rounds"][1]


def test_next_block_moves_the_agenda_and_tells_everyone(cafe):
    start(cafe)
    cafe["phone1"].get_received()
    ack = cafe["facilitator"].emit("block:next", {}, callback=True)
    assert ack["ok"]
    state = cafe["board"].emit("state:get", {}, callback=True)["state"]
    assert state["current"]["block"] == state["blocks"][1]["id"] == ack["block"]
    assert state["blocks"][0]["rounds"][0]["status"] == "closed"
    assert [name for name, _ in received(cafe["phone1"])] == ["round:closed", "block:changed"]
    for _ in range(2):
        cafe["facilitator"].emit("block:next", {}, callback=True)
    last = cafe["facilitator"].emit("block:next", {}, callback=True)
    assert last["ok"] is False and last["error"]["code"] == "no_next_block"


def test_presence_counts_phones_per_table(cafe, connect):
    board = cafe["board"]
    board.get_received()
    late = connect({"code": cafe["code"], "role": "participant", "table": 2, "name": "Lina"})
    update = events(board, "presence:updated")[-1]
    assert update == {"phones": 3, "tables": {"1": 1, "2": 2}}
    console = events(cafe["facilitator"], "presence:updated")[-1]
    assert console["people"]["2"] == ["Lina", "Marc"]
    late.disconnect()
    assert events(board, "presence:updated")[-1]["phones"] == 2


def test_a_phone_without_a_table_is_asked_to_choose_one(app, cafe, connect):
    """Every table full (one seat each here): a phone still joins, and is asked for a table."""
    from workshop.extensions import db
    from workshop.models import Table

    with app.app_context():
        for table in db.session.execute(db.select(Table)).scalars():
            table.capacity = 1
        db.session.commit()
    for number in (3, 4, 5):
        connect({"code": cafe["code"], "role": "participant", "table": number})
    start(cafe)
    phone = connect({"code": cafe["code"], "role": "participant"})
    assert phone.ack["ok"] and phone.ack["state"]["me"]["table"] is None
    refused = post(phone, "Sans table")
    assert refused["ok"] is False and refused["error"]["code"] == "no_table"
    assert "table" in refused["error"]["message"]


def test_a_walk_in_without_a_table_is_seated_where_tables_stay_even(cafe, connect):
    """Issue 16: in a World Café round, a phone that joins without a table is seated at the
    smallest table (Awa at 1, Marc at 2: table 3) and told so."""
    start(cafe)
    phone = connect({"code": cafe["code"], "role": "participant"})
    assert phone.ack["state"]["me"]["table"] == 3
    assert [e["args"][0]["table"] for e in phone.get_received() if e["name"] == "table:seated"] == [3]
    assert post(phone, "Assise à la table 3")["note"]["table"] == 3


def test_html_in_a_note_is_stored_as_text(cafe):
    start(cafe)
    ack = post(cafe["phone1"], "<script>alert(1)</script> <b>gras</b>")
    assert ack["ok"]
    assert ack["note"]["text"] == "<script>alert(1)</script> <b>gras</b>"


def test_messages_follow_the_language_chosen_at_join(cafe, connect):
    phone = connect({"code": cafe["code"], "role": "participant", "table": 1, "lang": "en"})
    refused = post(phone, "   ")
    assert refused["error"]["code"] == "empty_note"
    assert refused["error"]["message"] == "The note is empty: write something before posting."
    french = post(cafe["phone1"], "   ")
    assert french["error"]["message"] != refused["error"]["message"]


def test_notes_in_the_open_space_block_carry_no_table(cafe):
    state = cafe["facilitator"].ack["state"]
    open_space = state["blocks"][3]
    assert open_space["method"] == "open-space" and open_space["tables"] == []
    ack = cafe["facilitator"].emit("round:start", {"round": open_space["rounds"][0]["id"]}, callback=True)
    assert ack["ok"]
    note = post(cafe["phone1"], "De quoi devons-nous absolument parler?")
    assert note["ok"], note
    assert note["note"]["table"] is None and note["note"]["block"] == open_space["id"]
    refused = post(cafe["phone1"], "À la table 1", table=1)
    assert refused["ok"] is False and refused["error"]["code"] == "unknown_table"
