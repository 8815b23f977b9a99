"""The 2009 Forum ouvert over Socket.IO: marketplace, agenda wall, two feet, reports, the vote."""

from __future__ import annotations

import uuid

import pytest

from workshop.config import PROJECT_ROOT

FORUM_2009 = PROJECT_ROOT / "sessions" / "forum-ouvert-2009.toml"


def ok(ack):
    assert ack["ok"] is True, ack
    return ack


def refused(ack, code):
    assert ack["ok"] is False, ack
    assert ack["error"]["code"] == code, ack
    assert len(ack["error"]["message"]) > 10
    return ack


def events(sio, name):
    return [e["args"][0] for e in sio.get_received() if e["name"] == name]


def new_id():
    return str(uuid.uuid4())


@pytest.fixture
def forum(create_workshop, connect):
    keys = create_workshop(FORUM_2009)
    code = keys["code"]
    facilitator = connect({"code": code, "role": "facilitator", "key": keys["facilitator_key"]})
    board = connect({"code": code, "role": "board"})
    phones = [connect({"code": code, "role": "participant", "name": name}) for name in ("Awa", "Marc", "Lina", "Yves")]
    for sio in (facilitator, board, *phones):
        ok(sio.ack)
    blocks = facilitator.ack["state"]["blocks"]
    return {"code": code, "keys": keys, "facilitator": facilitator, "board": board, "phones": phones, "blocks": blocks}


def propose(sio, title, **extra):
    return sio.emit("topic:propose", {"id": new_id(), "title": title, **extra}, callback=True)


def state(sio):
    return sio.emit("state:get", {}, callback=True)["state"]


def test_the_2009_template_runs_three_phases(forum):
    blocks = forum["blocks"]
    assert [b["title"] for b in blocks] == ["RÊVER", "CONCEVOIR", "LIVRER"]
    assert all(b["method"] == "open-space" and b["wall"]["slots"] and b["wall"]["spaces"] for b in blocks)
    assert blocks[0]["rounds"][0]["question"].startswith("Nous sommes en 2013")
    assert blocks[0]["vote"] == {"status": "none", "dots": 5, "top": 3}


def test_marketplace_and_wall(forum):
    f, board, (awa, marc, lina, _yves) = forum["facilitator"], forum["board"], forum["phones"]
    dream = forum["blocks"][0]
    slots = [s["id"] for s in dream["wall"]["slots"]]
    spaces = [s["id"] for s in dream["wall"]["spaces"]]
    board.get_received()

    housing = ok(propose(awa, "Loger les familles nouvellement arrivées", description="Logement abordable"))["topic"]
    assert housing["convener"] == "Awa" and housing["block"] == dream["id"]
    added = events(board, "topic:added")
    assert [t["topic"]["title"] for t in added] == ["Loger les familles nouvellement arrivées"]
    jobs = ok(propose(marc, "L'emploi des diplômés étrangers", convener="Marc T."))["topic"]
    assert jobs["convener"] == "Marc T."
    second = ok(propose(awa, "Les jeunes et l'école"))["topic"]

    # The convener places their topic; a taken cell, a busy convener, an unknown cell are refused.
    placed = ok(
        awa.emit("topic:schedule", {"topic": housing["id"], "slot": slots[0], "space": spaces[0]}, callback=True)
    )
    assert (placed["topic"]["slot"], placed["topic"]["space"]) == (slots[0], spaces[0])
    wall = events(board, "agenda:updated")[-1]["wall"]
    assert wall["cells"] == [{"slot": slots[0], "space": spaces[0], "topic": housing["id"]}]
    refused(
        marc.emit("topic:schedule", {"topic": jobs["id"], "slot": slots[0], "space": spaces[0]}, callback=True),
        "cell_taken",
    )
    refused(
        awa.emit("topic:schedule", {"topic": second["id"], "slot": slots[0], "space": spaces[1]}, callback=True),
        "convener_busy",
    )
    refused(
        marc.emit("topic:schedule", {"topic": jobs["id"], "slot": "nope", "space": spaces[0]}, callback=True),
        "unknown_slot",
    )
    refused(
        marc.emit("topic:schedule", {"topic": jobs["id"], "slot": slots[0], "space": "nope"}, callback=True),
        "unknown_space",
    )
    refused(
        marc.emit("topic:schedule", {"topic": housing["id"], "slot": slots[1], "space": spaces[1]}, callback=True),
        "not_convener",
    )
    # The facilitator places anyone's topic; moving a topic frees its cell.
    ok(f.emit("topic:schedule", {"topic": jobs["id"], "slot": slots[0], "space": spaces[1]}, callback=True))
    ok(awa.emit("topic:schedule", {"topic": housing["id"], "slot": slots[1], "space": spaces[0]}, callback=True))
    ok(marc.emit("topic:schedule", {"topic": jobs["id"], "slot": slots[0], "space": spaces[0]}, callback=True))
    cells = {(c["slot"], c["space"]): c["topic"] for c in state(board)["blocks"][0]["wall"]["cells"]}
    assert cells == {(slots[1], spaces[0]): housing["id"], (slots[0], spaces[0]): jobs["id"]}

    # Renaming and withdrawing: the convener or the facilitator only.
    refused(lina.emit("topic:rename", {"topic": jobs["id"], "title": "Autre"}, callback=True), "not_convener")
    ok(
        marc.emit(
            "topic:rename",
            {"topic": jobs["id"], "title": "L'emploi des personnes diplômées à l'étranger"},
            callback=True,
        )
    )
    ok(awa.emit("topic:withdraw", {"topic": second["id"]}, callback=True))
    titles = [t["title"] for t in state(board)["topics"]]
    assert titles == ["Loger les familles nouvellement arrivées", "L'emploi des personnes diplômées à l'étranger"]
    refused(lina.emit("topic:withdraw", {"topic": housing["id"]}, callback=True), "not_convener")
    refused(board.emit("topic:withdraw", {"topic": housing["id"]}, callback=True), "forbidden")

    # A phone sees the wall, its topics and its session.
    me = state(awa)["me"]
    assert me["topics"] == [housing["id"]]


def test_two_feet_reports_and_the_vote(forum):
    f, board, (awa, marc, lina, yves) = forum["facilitator"], forum["board"], forum["phones"]
    dream = forum["blocks"][0]
    housing = ok(propose(awa, "Logement"))["topic"]
    jobs = ok(propose(marc, "Emploi"))["topic"]
    school = ok(propose(lina, "École"))["topic"]

    board.get_received()
    ok(yves.emit("topic:attend", {"topic": housing["id"]}, callback=True))
    ok(lina.emit("topic:attend", {"topic": housing["id"]}, callback=True))
    assert events(board, "attendance:updated")[-1]["attendance"] == {housing["id"]: 2}
    ok(yves.emit("topic:attend", {"topic": jobs["id"]}, callback=True))  # the law of two feet
    update = events(board, "attendance:updated")[-1]["attendance"]
    assert update == {housing["id"]: 1, jobs["id"]: 1}
    by_id = {t["id"]: t for t in state(board)["topics"]}
    assert (by_id[housing["id"]]["attendance"], by_id[jobs["id"]]["attendance"]) == (1, 1)
    assert state(yves)["me"]["attending"] == jobs["id"]

    # Reports: the convener and the people who were in the session; tags, actions with an owner.
    awa.get_received()
    point = ok(
        awa.emit(
            "note:post",
            {"id": new_id(), "topic": housing["id"], "text": "Manque de logements abordables"},
            callback=True,
        )
    )["note"]
    assert point["topic"] == housing["id"] and point["tag"] == "key-point" and point["round"] is None
    assert [n["note"]["id"] for n in events(lina, "note:added")] == [point["id"]]  # she is in the session
    ok(
        yves.emit(
            "note:post",
            {"id": new_id(), "topic": housing["id"], "text": "Une banque de logements", "tag": "proposal"},
            callback=True,
        )
    )
    action = ok(
        lina.emit(
            "note:post",
            {
                "id": new_id(),
                "topic": housing["id"],
                "text": "Rencontrer l'OMH",
                "tag": "action",
                "owner": "Lina",
                "due": "2009-09-01",
            },
            callback=True,
        )
    )["note"]
    assert (action["owner"], action["due"]) == ("Lina", "2009-09-01")
    refused(
        marc.emit("note:post", {"id": new_id(), "topic": housing["id"], "text": "Pas là"}, callback=True),
        "not_in_session",
    )
    refused(
        awa.emit("note:post", {"id": new_id(), "topic": housing["id"], "text": "x", "owner": "Moi"}, callback=True),
        "owner_for_actions",
    )
    refused(
        awa.emit("note:post", {"id": new_id(), "topic": housing["id"], "text": "x", "tag": "secret"}, callback=True),
        "bad_choice",
    )
    refused(
        awa.emit(
            "note:post",
            {"id": new_id(), "topic": housing["id"], "text": "x", "tag": "action", "due": "demain"},
            callback=True,
        ),
        "bad_date",
    )
    ok(f.emit("report:post", {"id": new_id(), "topic": jobs["id"], "text": "Note de l'animation"}, callback=True))

    # The vote: 2 dots each; spread, withdrawn, budget held, resend counted once, then closed.
    refused(awa.emit("vote:cast", {"target": "topic", "id": housing["id"]}, callback=True), "vote_not_open")
    ok(f.emit("vote:open", {"block": dream["id"], "dots": 2, "top": 1}, callback=True))
    refused(f.emit("vote:open", {"block": dream["id"]}, callback=True), "vote_already_open")
    board.get_received()
    dot = new_id()
    first = ok(awa.emit("vote:cast", {"target": "topic", "id": housing["id"], "dot": dot}, callback=True))
    assert (first["votes"], first["left"]) == (1, 1)
    again = ok(awa.emit("vote:cast", {"target": "topic", "id": housing["id"], "dot": dot}, callback=True))
    assert (again["votes"], again["left"]) == (1, 1)  # the same dot, sent twice, counts once
    refused(awa.emit("vote:cast", {"target": "topic", "id": jobs["id"], "dot": dot}, callback=True), "dot_used")
    ok(awa.emit("vote:cast", {"target": "topic", "id": housing["id"]}, callback=True))
    refused(awa.emit("vote:cast", {"target": "topic", "id": school["id"]}, callback=True), "no_dots_left")
    taken_back = ok(awa.emit("vote:withdraw", {"target": "topic", "id": housing["id"]}, callback=True))
    assert (taken_back["votes"], taken_back["left"]) == (1, 1)
    ok(awa.emit("vote:cast", {"target": "topic", "id": school["id"]}, callback=True))
    for phone in (marc, lina, yves):
        ok(phone.emit("vote:cast", {"target": "topic", "id": jobs["id"]}, callback=True))
    proposal = next(n for n in state(f)["notes"] if n.get("tag") == "proposal")
    ok(marc.emit("vote:cast", {"target": "note", "id": proposal["id"]}, callback=True))
    refused(lina.emit("vote:cast", {"target": "note", "id": point["id"]}, callback=True), "not_votable")
    updates = events(board, "vote:updated")
    assert updates[-1] == {"target": "note", "id": proposal["id"], "votes": 1}
    assert state(awa)["me"]["dots_left"] == 0

    closed = ok(f.emit("vote:close", {"block": dream["id"]}, callback=True))
    assert [(r["title"], r["votes"]) for r in closed["ranking"]] == [("Emploi", 3), ("Logement", 1), ("École", 1)]
    assert closed["selected"] == [jobs["id"]]
    refused(yves.emit("vote:cast", {"target": "topic", "id": housing["id"]}, callback=True), "vote_not_open")

    # Action planning for the selected topic: anyone writes actions with an owner and a date.
    ok(
        awa.emit(
            "note:post",
            {
                "id": new_id(),
                "topic": jobs["id"],
                "text": "Table emploi-immigration",
                "tag": "action",
                "owner": "Awa",
                "due": "2009-10-15",
            },
            callback=True,
        )
    )
    refused(
        awa.emit("note:post", {"id": new_id(), "topic": jobs["id"], "text": "Un point"}, callback=True),
        "not_in_session",
    )
    topics = {t["id"]: t for t in state(board)["topics"]}
    assert topics[jobs["id"]]["selected"] and not topics[housing["id"]]["selected"]


def test_each_phase_has_its_own_marketplace(forum):
    f, awa = forum["facilitator"], forum["phones"][0]
    dream_topic = ok(propose(awa, "Rêve"))["topic"]
    ok(f.emit("block:next", {}, callback=True))
    design_topic = ok(propose(awa, "Conception"))["topic"]
    assert dream_topic["block"] == forum["blocks"][0]["id"]
    assert design_topic["block"] == forum["blocks"][1]["id"]
    s = state(f)
    assert [c["topic"] for c in s["blocks"][1]["wall"]["cells"]] == []
    assert {t["title"]: t["block"] for t in s["topics"]} == {
        "Rêve": forum["blocks"][0]["id"],
        "Conception": forum["blocks"][1]["id"],
    }


def test_proposals_need_an_open_space_block(create_workshop, connect):
    keys = create_workshop()  # the 2010 Café: its current block is a World Café
    phone = connect({"code": keys["code"], "role": "participant", "table": 1})
    refused(propose(phone, "Un sujet"), "no_open_space")


@pytest.mark.parametrize(
    "payload, code",
    [
        ({"title": "   "}, "missing_field"),
        ({"title": "x" * 121}, "too_long"),
        ({"title": "Ok", "description": "x" * 201}, "too_long"),
        ({"title": ["liste"]}, "wrong_type"),
        ({"title": "Ok", "id": "pas-un-uuid"}, "bad_uuid"),
    ],
)
def test_bad_proposals_are_refused(forum, payload, code):
    sio = forum["phones"][0]
    refused(sio.emit("topic:propose", {"id": new_id(), **payload}, callback=True), code)
    assert state(sio)["topics"] == []


def test_the_same_proposal_sent_twice_is_one_topic(forum):
    topic_id = new_id()
    awa, marc = forum["phones"][:2]
    ok(awa.emit("topic:propose", {"id": topic_id, "title": "Une fois"}, callback=True))
    ok(awa.emit("topic:propose", {"id": topic_id, "title": "Une fois"}, callback=True))
    refused(marc.emit("topic:propose", {"id": topic_id, "title": "Volé"}, callback=True), "topic_id_taken")
    assert [t["id"] for t in state(awa)["topics"]] == [topic_id]


def test_the_facilitator_edits_the_wall(forum):
    f, awa = forum["facilitator"], forum["phones"][0]
    dream = forum["blocks"][0]
    topic = ok(propose(awa, "Sur le mur"))["topic"]
    slot, space = dream["wall"]["slots"][-1]["id"], dream["wall"]["spaces"][0]["id"]
    ok(awa.emit("topic:schedule", {"topic": topic["id"], "slot": slot, "space": space}, callback=True))
    slots = [{"id": "matin", "label": "9 h – 10 h 30"}]
    spaces = [{"id": "salle-a", "name": "Salle A"}, {"id": "salle-b", "name": "Salle B"}]
    ok(f.emit("wall:update", {"block": dream["id"], "slots": slots, "spaces": spaces}, callback=True))
    wall = state(f)["blocks"][0]["wall"]
    assert wall["slots"] == slots and wall["spaces"] == spaces and wall["cells"] == []  # its cell is gone
    refused(f.emit("wall:update", {"block": dream["id"], "slots": [], "spaces": spaces}, callback=True), "bad_wall")
    refused(
        f.emit("wall:update", {"block": dream["id"], "slots": [{"id": "x"}], "spaces": spaces}, callback=True),
        "missing_field",
    )
    refused(
        awa.emit("wall:update", {"block": dream["id"], "slots": slots, "spaces": spaces}, callback=True), "forbidden"
    )


def test_a_withdrawn_topic_gives_its_dots_back(forum):
    f, awa, marc = forum["facilitator"], *forum["phones"][:2]
    topic = ok(propose(marc, "Bientôt retiré"))["topic"]
    other = ok(propose(marc, "Reste"))["topic"]
    ok(f.emit("vote:open", {"block": forum["blocks"][0]["id"], "dots": 1}, callback=True))
    ok(awa.emit("vote:cast", {"target": "topic", "id": topic["id"]}, callback=True))
    ok(marc.emit("topic:withdraw", {"topic": topic["id"]}, callback=True))
    assert state(awa)["me"]["dots_left"] == 1
    ok(awa.emit("vote:cast", {"target": "topic", "id": other["id"]}, callback=True))


def test_a_vote_opened_on_another_phase_takes_dots(forum):
    f, awa = forum["facilitator"], forum["phones"][0]
    dream_topic = ok(propose(awa, "Rêve"))["topic"]
    ok(f.emit("block:next", {}, callback=True))  # CONCEVOIR is current; RÊVER's vote opens late
    ok(f.emit("vote:open", {"block": forum["blocks"][0]["id"]}, callback=True))
    cast = ok(awa.emit("vote:cast", {"target": "topic", "id": dream_topic["id"]}, callback=True))
    assert cast["votes"] == 1


def test_phones_see_every_proposal_and_its_dots(forum):
    f, awa, marc = forum["facilitator"], *forum["phones"][:2]
    topic = ok(propose(awa, "Logement"))["topic"]
    proposal = ok(
        awa.emit(
            "note:post",
            {"id": new_id(), "topic": topic["id"], "text": "Une banque de logements", "tag": "proposal"},
            callback=True,
        )
    )["note"]
    ok(f.emit("vote:open", {"block": forum["blocks"][0]["id"]}, callback=True))
    seen = {n["id"]: n for n in state(marc)["notes"]}  # Marc was never in that session
    assert proposal["id"] in seen
    ok(marc.emit("vote:cast", {"target": "note", "id": proposal["id"]}, callback=True))
    on_board = {n["id"]: n for n in state(forum["board"])["notes"]}
    assert on_board[proposal["id"]]["votes"] == 1


def test_joins_share_the_open_space_reading_until_a_topic_an_attendance_or_a_dot_changes(forum, connect):
    """What every phone's join reads of the Open Space (topics, who is in which session, dots) is
    read once and kept (agenda/cache.py); each change makes it stale, so a phone joining after it
    sees it: a new topic, a session joined, a topic placed on the wall, a dot, a topic withdrawn."""
    from workshop.agenda.cache import agenda_cache

    code, f, (awa, marc, _lina, _yves) = forum["code"], forum["facilitator"], forum["phones"]
    dream = forum["blocks"][0]

    def join() -> dict:
        return ok(connect({"code": code, "role": "participant"}).ack)["state"]

    def topic_of(state: dict, topic_id: str) -> dict | None:
        return next((t for t in state["topics"] if t["id"] == topic_id), None)

    join()
    built = agenda_cache.open_space_builds
    join()
    join()
    assert agenda_cache.open_space_builds == built  # read once, not once per join

    housing = ok(propose(awa, "Loger les familles"))["topic"]
    assert topic_of(join(), housing["id"]) == housing | {"attendance": 0, "votes": 0}

    ok(marc.emit("topic:attend", {"topic": housing["id"]}, callback=True))
    assert topic_of(join(), housing["id"])["attendance"] == 1

    slot, space = dream["wall"]["slots"][0]["id"], dream["wall"]["spaces"][0]["id"]
    ok(awa.emit("topic:schedule", {"topic": housing["id"], "slot": slot, "space": space}, callback=True))
    wall = next(b for b in join()["blocks"] if b["id"] == dream["id"])["wall"]
    assert {"slot": slot, "space": space, "topic": housing["id"]} in wall["cells"]

    ok(f.emit("vote:open", {"block": dream["id"], "dots": 2, "top": 1}, callback=True))
    ok(marc.emit("vote:cast", {"target": "topic", "id": housing["id"]}, callback=True))
    assert topic_of(join(), housing["id"])["votes"] == 1

    ok(awa.emit("topic:withdraw", {"topic": housing["id"]}, callback=True))
    assert topic_of(join(), housing["id"]) is None
    assert agenda_cache.open_space_builds > built
