"""The three rounds of 4 May AM with the round table's 29 members: hosts, moves, tablecloths, harvest."""

from __future__ import annotations

import itertools
import uuid

import pytest

from workshop.domain import rotation

# The round table's members by sector (the seed: 7, 7, 3, 3, 4, 4, 1).
SECTORS = {
    "signataires": 7,
    "employabilite": 7,
    "accueil-integration": 3,
    "education": 3,
    "territorial": 4,
    "employeurs": 4,
    "sante": 1,
}


def events(sio, name):
    return [e["args"][0] for e in sio.get_received() if e["name"] == name]


def ok(ack):
    assert ack["ok"] is True, ack
    return ack


def refused(ack, code):
    assert ack["ok"] is False, ack
    assert ack["error"]["code"] == code, ack
    assert len(ack["error"]["message"]) > 10
    return ack


@pytest.fixture
def cafe(create_workshop, connect):
    keys = create_workshop()
    code = keys["code"]
    facilitator = connect({"code": code, "role": "facilitator", "key": keys["facilitator_key"]})
    board = connect({"code": code, "role": "board"})
    sectors = list(itertools.chain.from_iterable([s] * n for s, n in SECTORS.items()))
    phones = [
        connect({"code": code, "role": "participant", "table": i % 5 + 1, "name": f"Membre {i + 1}", "sector": sector})
        for i, sector in enumerate(sectors)
    ]
    for sio in [facilitator, board, *phones]:
        ok(sio.ack)
    block = facilitator.ack["state"]["blocks"][0]
    return {"code": code, "facilitator": facilitator, "board": board, "phones": phones, "block": block}


def post(sio, text):
    return sio.emit("note:post", {"id": str(uuid.uuid4()), "text": text}, callback=True)


def test_three_rounds_of_4_may_am(cafe):
    facilitator, board, phones = cafe["facilitator"], cafe["board"], cafe["phones"]
    rounds = [r["id"] for r in cafe["block"]["rounds"]]
    assert len(rounds) == 3

    # Hosts: the first five phones claim a table each; a second claim of a hosted table is refused.
    hosts = phones[:5]
    for number, host in enumerate(hosts, start=1):
        ack = ok(host.emit("table:host", {"table": number}, callback=True))
        assert ack["me"]["host"] == number and ack["table"] == number
    refused(phones[5].emit("table:host", {"table": 1}, callback=True), "table_hosted")
    state = board.emit("state:get", {}, callback=True)["state"]
    assert [t["host"] for t in state["blocks"][0]["tables"]] == [f"Membre {i}" for i in range(1, 6)]

    where = {i: (i % 5 + 1) for i in range(len(phones))}
    for i in range(5):
        where[i] = i + 1
    history: list[dict[int, tuple[str, ...]]] = []
    for index, round_id in enumerate(rounds):
        for sio in [facilitator, board, *phones]:
            sio.get_received()
        ok(facilitator.emit("round:start", {"round": round_id}, callback=True))
        for i, phone in enumerate(phones):
            note = ok(post(phone, f"Idée de {i + 1}, ronde {index + 1}"))["note"]
            assert note["table"] == where[i] and note["round"] == round_id
        seating: dict[int, list[str]] = {}
        for i, table in where.items():
            seating.setdefault(table, []).append(str(i))
        history.append({t: tuple(sorted(p)) for t, p in seating.items()})

        # Each table's notes reach that table's phones only.
        for i, phone in enumerate(phones):
            got = events(phone, "note:added")
            assert {n["note"]["table"] for n in got} == {where[i]}
            assert len(got) == sum(1 for t in where.values() if t == where[i])

        for sio in [board, *phones]:
            sio.get_received()
        ok(facilitator.emit("round:close", {"round": round_id}, callback=True))
        if index == len(rounds) - 1:
            assert all(events(phone, "table:move") == [] for phone in phones)  # nothing after the last round
            break

        # Everyone is told where to sit next; hosts stay; the board shows the change of tables.
        moving = events(board, "tables:moving")
        assert len(moving) == 1 and moving[0]["round"] == rounds[index + 1]
        assert sum(moving[0]["tables"].values()) == len(phones)
        for i, phone in enumerate(phones):
            moves = events(phone, "table:move")
            assert len(moves) == 1, i
            move = moves[0]
            assert move["round"] == rounds[index + 1]
            if i < 5:
                assert move["table"] == i + 1 and move["host"] is True
            else:
                assert move["host"] is False
            where[i] = move["table"]
        sizes = [list(where.values()).count(t) for t in range(1, 6)]
        assert max(sizes) <= 8 and max(sizes) - min(sizes) <= 1

        # A phone that reconnects still knows where to go until it arrives.
        pending = phones[7].emit("state:get", {}, callback=True)["state"]["me"]["move"]
        assert pending == {"round": rounds[index + 1], "table": where[7]}
        for i, phone in enumerate(phones):
            ack = ok(phone.emit("table:arrive", {"table": where[i]}, callback=True))
            assert ack["me"]["table"] == where[i] and ack["me"]["move"] is None

    # The planner kept repeat encounters well below what random seating gives on average.
    planned = rotation.repeat_encounters(history)
    people = [rotation.Person(id=str(i)) for i in range(len(phones))]
    tables = [rotation.TableSeat(number=n, capacity=8, host=str(n - 1)) for n in range(1, 6)]
    random_repeats = []
    for seed in range(10):
        import random

        rng = random.Random(seed)
        seatings = [history[0]] + [rotation.random_seating(people, tables, rng) for _ in range(2)]
        random_repeats.append(rotation.repeat_encounters(seatings))
    assert planned < sum(random_repeats) / len(random_repeats)

    # The tablecloth: a host's phone holds every note of the table in the block.
    cloth = hosts[0].emit("state:get", {}, callback=True)["state"]["notes"]
    block_id = cafe["block"]["id"]
    at_table_1 = [n for n in cloth if n["table"] == 1 and n["block"] == block_id]
    assert {n["round"] for n in at_table_1} == set(rounds)
    assert len(at_table_1) == sum(len(h.get(1, ())) for h in history)


def test_hosts_star_their_table_and_the_harvest_reaches_the_board(cafe):
    facilitator, board, phones = cafe["facilitator"], cafe["board"], cafe["phones"]
    ok(phones[0].emit("table:host", {"table": 1}, callback=True))
    ok(facilitator.emit("round:start", {"round": cafe["block"]["rounds"][0]["id"]}, callback=True))
    at_1 = ok(post(phones[5], "Une idée forte"))["note"]  # phone 5 sits at table 1
    at_2 = ok(post(phones[1], "Ailleurs"))["note"]
    assert at_1["table"] == 1 and at_2["table"] == 2
    board.get_received()
    ok(phones[0].emit("note:star", {"note": at_1["id"]}, callback=True))
    assert events(board, "note:starred") == [{"note": at_1["id"], "starred": True}]
    refused(phones[0].emit("note:star", {"note": at_2["id"]}, callback=True), "not_host")
    refused(phones[5].emit("note:star", {"note": at_1["id"]}, callback=True), "not_host")
    refused(board.emit("note:star", {"note": at_1["id"]}, callback=True), "forbidden")
    ok(facilitator.emit("note:star", {"note": at_2["id"], "starred": True}, callback=True))

    harvest_id = str(uuid.uuid4())
    refused(phones[0].emit("harvest:post", {"id": harvest_id, "text": "Trop tôt"}, callback=True), "harvest_not_open")
    board.get_received()
    ok(facilitator.emit("harvest:open", {"block": cafe["block"]["id"]}, callback=True))
    names = [e["name"] for e in board.get_received()]
    assert "round:closed" in names and "harvest:opened" in names
    key_idea = ok(
        phones[0].emit("harvest:post", {"id": harvest_id, "text": "Créer des comités de partenaires"}, callback=True)
    )["note"]
    assert key_idea["kind"] == "harvest" and key_idea["table"] == 1 and key_idea["round"] is None
    assert [n["note"]["id"] for n in events(board, "note:added")] == [harvest_id]
    refused(phones[6].emit("harvest:post", {"id": str(uuid.uuid4()), "text": "Pas hôte"}, callback=True), "not_host")
    ok(
        facilitator.emit(
            "harvest:post", {"id": str(uuid.uuid4()), "text": "Pour la table 3", "table": 3}, callback=True
        )
    )
    refused(
        facilitator.emit("harvest:post", {"id": str(uuid.uuid4()), "text": "Sans table"}, callback=True),
        "missing_field",
    )
    state = board.emit("state:get", {}, callback=True)["state"]
    assert sorted(n["table"] for n in state["notes"] if n["kind"] == "harvest") == [1, 3]
    assert state["blocks"][0]["harvest"] == "open"

    ok(facilitator.emit("harvest:close", {"block": cafe["block"]["id"]}, callback=True))
    refused(phones[8].emit("table:arrive", {"table": 2}, callback=True), "block_closed")


def test_arrivals_and_moves_are_checked(cafe):
    facilitator, phones = cafe["facilitator"], cafe["phones"]
    refused(phones[5].emit("table:arrive", {"table": 9}, callback=True), "unknown_table")
    # Table 1 has 6 people (capacity 8): two more fit, the third is refused.
    ok(phones[1].emit("table:arrive", {"table": 1}, callback=True))
    ok(phones[2].emit("table:arrive", {"table": 1}, callback=True))
    before = phones[3].emit("state:get", {}, callback=True)["state"]["me"]["table"]
    refused(phones[3].emit("table:arrive", {"table": 1}, callback=True), "table_full")
    assert phones[3].emit("state:get", {}, callback=True)["state"]["me"]["table"] == before

    # The facilitator moves a person and swaps a host; the phone is told.
    people = facilitator.emit("state:get", {}, callback=True)["state"]["participants"]
    assert len(people) == 29 and all(p["token"] is None for p in people)
    target = next(p for p in people if p["name"] == "Membre 5")
    phones[4].get_received()
    ok(facilitator.emit("participant:move", {"participant": target["id"], "table": 3}, callback=True))
    assert events(phones[4], "table:move")[0]["table"] == 3
    assert phones[4].emit("state:get", {}, callback=True)["state"]["me"]["table"] == 3
    ok(facilitator.emit("host:assign", {"table": 3, "participant": target["id"]}, callback=True))
    assert phones[4].emit("state:get", {}, callback=True)["state"]["me"]["host"] == 3
    other = next(p for p in people if p["name"] == "Membre 9")
    ok(facilitator.emit("host:assign", {"table": 3, "participant": other["id"]}, callback=True))
    assert phones[4].emit("state:get", {}, callback=True)["state"]["me"]["host"] is None
    ok(facilitator.emit("host:assign", {"table": 3, "participant": None}, callback=True))
    refused(facilitator.emit("host:assign", {"table": 3, "participant": 999_999}, callback=True), "unknown_participant")
    refused(phones[6].emit("participant:move", {"participant": target["id"], "table": 2}, callback=True), "forbidden")


def test_opening_the_harvest_mid_block_sends_nobody_anywhere(cafe):
    facilitator, board, phones = cafe["facilitator"], cafe["board"], cafe["phones"]
    ok(facilitator.emit("round:start", {"round": cafe["block"]["rounds"][0]["id"]}, callback=True))
    for sio in (board, *phones):
        sio.get_received()
    ok(facilitator.emit("harvest:open", {"block": cafe["block"]["id"]}, callback=True))
    assert events(board, "tables:moving") == []
    assert all(events(p, "table:move") == [] for p in phones)
    assert phones[7].emit("state:get", {}, callback=True)["state"]["me"]["move"] is None


def test_a_round_closes_even_when_the_people_do_not_fit_the_tables(app, cafe):
    from workshop.extensions import db
    from workshop.models import Table

    facilitator = cafe["facilitator"]
    ok(facilitator.emit("round:start", {"round": cafe["block"]["rounds"][0]["id"]}, callback=True))
    with app.app_context():  # the tables shrank after people sat down: 29 people, 25 seats
        for table in db.session.execute(db.select(Table)).scalars():
            table.capacity = 5
        db.session.commit()
    facilitator.get_received()
    closed = facilitator.emit("round:close", {"round": cafe["block"]["rounds"][0]["id"]}, callback=True)
    assert closed["ok"], closed
    unplanned = events(facilitator, "moves:unplanned")
    assert unplanned and unplanned[0]["error"]["code"] == "tables_full"
    state = facilitator.emit("state:get", {}, callback=True)["state"]
    assert state["blocks"][0]["rounds"][0]["status"] == "closed"


def test_scanning_the_card_of_the_planned_table_confirms_the_move(cafe, connect):
    facilitator, phones = cafe["facilitator"], cafe["phones"]
    rounds = [r["id"] for r in cafe["block"]["rounds"]]
    ok(facilitator.emit("round:start", {"round": rounds[0]}, callback=True))
    ok(facilitator.emit("round:close", {"round": rounds[0]}, callback=True))
    token = phones[9].ack["participant"]
    move = phones[9].emit("state:get", {}, callback=True)["state"]["me"]["move"]
    assert move is not None
    # The phone scans the new table's card: /j/CODE?table=N joins again with that table.
    again = connect({"code": cafe["code"], "role": "participant", "participant": token, "table": move["table"]})
    assert again.ack["ok"] and again.ack["state"]["me"]["table"] == move["table"]
    assert again.ack["state"]["me"]["move"] is None


def test_a_host_arriving_at_their_own_table_keeps_it(cafe):
    host = cafe["phones"][6]  # sits at table 2
    ok(host.emit("table:host", {"table": 3}, callback=True))
    ack = ok(host.emit("table:arrive", {"table": 3}, callback=True))
    assert ack["me"]["host"] == 3
