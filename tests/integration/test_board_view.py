"""The projector's view: the facilitator switches the board between the live wall and the results."""

from __future__ import annotations


def _events(client, name):
    return [e["args"][0] for e in client.get_received() if e["name"] == name]


def _join(connect, workshop, role, **extra):
    client = connect({"code": workshop["code"], "role": role, **extra})
    assert client.ack["ok"] is True, client.ack
    return client


def test_board_starts_live_and_follows_the_facilitator(create_workshop, connect):
    workshop = create_workshop()
    board = _join(connect, workshop, "board")
    assert board.ack["state"]["board_view"] == "live"
    facilitator = _join(connect, workshop, "facilitator", key=workshop["facilitator_key"])
    board.get_received()

    assert facilitator.emit("board:view", {"view": "results"}, callback=True) == {"ok": True}
    assert _events(board, "board:view") == [{"view": "results"}]
    assert board.emit("state:get", {}, callback=True)["state"]["board_view"] == "results"

    # Asking for the view already shown changes nothing and broadcasts nothing.
    assert facilitator.emit("board:view", {"view": "results"}, callback=True) == {"ok": True}
    assert _events(board, "board:view") == []
    assert facilitator.emit("board:view", {"view": "live"}, callback=True) == {"ok": True}
    assert _events(board, "board:view") == [{"view": "live"}]


def test_only_the_facilitator_switches_and_only_to_known_views(create_workshop, connect):
    workshop = create_workshop()
    board = _join(connect, workshop, "board")
    phone = _join(connect, workshop, "participant")
    facilitator = _join(connect, workshop, "facilitator", key=workshop["facilitator_key"])

    assert phone.emit("board:view", {"view": "results"}, callback=True)["error"]["code"] == "forbidden"
    assert board.emit("board:view", {"view": "results"}, callback=True)["error"]["code"] == "forbidden"
    refused = facilitator.emit("board:view", {"view": "<script>"}, callback=True)
    assert refused["error"]["code"] == "bad_choice"
    assert facilitator.emit("state:get", {}, callback=True)["state"]["board_view"] == "live"
    assert "board_view" not in phone.emit("state:get", {}, callback=True)["state"]


def test_heartbeat_answers_with_the_time_even_before_a_join(create_workshop, connect):
    client = connect()
    reply = client.emit("heartbeat", {}, callback=True)
    assert reply["ok"] is True and reply["now"].startswith("20")


def test_the_no_js_form_switches_the_view(app, create_workshop, client, connect):
    workshop = create_workshop()
    client.get(f"/w/{workshop['code']}/facilitate?key={workshop['facilitator_key']}")
    response = client.post(f"/w/{workshop['code']}/board/view", data={"view": "results"})
    assert response.status_code == 303
    board = _join(connect, workshop, "board")
    assert board.ack["state"]["board_view"] == "results"
    refused = client.post(f"/w/{workshop['code']}/board/view", data={"view": "nonsense"})
    assert refused.status_code == 400
    assert board.emit("state:get", {}, callback=True)["state"]["board_view"] == "results"


def test_the_form_needs_the_facilitator(create_workshop, client):
    workshop = create_workshop()
    assert client.post(f"/w/{workshop['code']}/board/view", data={"view": "results"}).status_code == 403
