"""One address's garbage does not lock out the room (issue 18, points 3 and 8): invalid payloads
count against their socket only, which is disconnected past its budget; phones, the board and the
facilitator join within budgets of their own, sized for 2,000 phones behind one NAT; wrong keys
have a budget per address."""

from __future__ import annotations

import uuid

import pytest

from workshop.extensions import socketio
from workshop.ratelimit import DEFAULT_BUDGETS, EventBudgets

# Budgets counted in fixed windows: held in one window, so a slow run never sees them refilled.
pytestmark = pytest.mark.usefixtures("frozen_budget_clock")


def ok(ack):
    assert ack["ok"] is True, ack
    return ack


def refused(ack, code):
    assert ack["ok"] is False, ack
    assert ack["error"]["code"] == code, ack
    return ack


@pytest.fixture
def tight(app):
    """Address budgets of 20 a minute, so a test can spend them."""
    budgets = {**DEFAULT_BUDGETS}
    for event in ("join", "join:board", "join:facilitator", "note:post", "*"):
        budgets[event] = [(who, "20/minute" if who == "address" else limit) for who, limit in budgets[event]]
    app.extensions["event_budgets"] = EventBudgets("memory://", budgets)


def test_garbage_from_the_shared_address_does_not_lock_out_the_room(tight, create_workshop, connect):
    keys = create_workshop()
    code = keys["code"]
    facilitator = connect({"code": code, "role": "facilitator", "key": keys["facilitator_key"]})
    ok(
        facilitator.emit(
            "round:start", {"round": facilitator.ack["state"]["blocks"][0]["rounds"][0]["id"]}, callback=True
        )
    )
    garbage = [connect({"code": code, "role": "participant", "table": 1}) for _ in range(4)]
    for sio in garbage:
        for _ in range(9):  # bad joins and empty notes: 72 in all, over three times the address's budget
            sio.emit("join", {"code": 12, "role": "nobody"}, callback=True)
            sio.emit("note:post", {"id": str(uuid.uuid4()), "text": "   "}, callback=True)
    phone = connect({"code": code, "role": "participant", "table": 2})
    ok(phone.ack)
    ok(phone.emit("note:post", {"id": str(uuid.uuid4()), "text": "Une vraie idée"}, callback=True))
    ok(connect({"code": code, "role": "board"}).ack)


def test_a_socket_sending_garbage_is_disconnected_and_nobody_else(create_workshop, connect):
    code = create_workshop()["code"]
    neighbour = connect({"code": code, "role": "participant", "table": 1})
    abusive = connect()
    for _ in range(25):
        if not abusive.is_connected():
            break
        abusive.emit("join", {"code": ["x"] * 3, "role": 5}, callback=True)
    assert not abusive.is_connected()
    assert neighbour.is_connected()
    ok(neighbour.emit("state:get", {}, callback=True))


def test_a_flood_of_phone_joins_leaves_the_board_and_the_facilitator_their_own_budget(tight, create_workshop, connect):
    keys = create_workshop()
    code = keys["code"]
    phones = [connect({"code": code, "role": "participant"}) for _ in range(21)]
    assert [p.ack["ok"] for p in phones] == [True] * 20 + [False]
    assert phones[-1].ack["error"]["code"] == "rate_limited"
    ok(connect({"code": code, "role": "board"}).ack)
    ok(connect({"code": code, "role": "facilitator", "key": keys["facilitator_key"]}).ack)


def test_the_default_budgets_let_2000_phones_behind_one_nat_join_twice_and_post_in_one_minute():
    budgets = EventBudgets("memory://", DEFAULT_BUDGETS)
    venue = "203.0.113.7"
    refused_count = 0
    for phone in range(2000):
        for _ in range(2):  # a join, then the join of a reconnect
            refused_count += not budgets.allow("join", None, f"sid-{phone}", venue)
        refused_count += not budgets.allow("note:post", phone + 1, f"sid-{phone}", venue)
        refused_count += not budgets.allow("participant:new", None, f"sid-{phone}", venue)
    assert refused_count == 0


def test_wrong_keys_have_a_budget_per_address_even_over_many_sockets(create_workshop, connect):
    keys = create_workshop()
    code = keys["code"]
    budget = int(dict(EventBudgets("memory://", DEFAULT_BUDGETS).budgets["key"])["address"].amount)
    acks = []
    while len(acks) < budget:
        sio = connect()  # a fresh socket every few guesses: the socket's own budget is not what stops it
        for _ in range(5):
            acks.append(
                sio.emit("join", {"code": code, "role": "facilitator", "key": f"guess-{len(acks)}"}, callback=True)
            )
    assert {a["error"]["code"] for a in acks[:budget]} == {"wrong_key"}
    refused(connect({"code": code, "role": "facilitator", "key": "one-more-guess"}).ack, "rate_limited")
    # For the rest of the minute, a right key from that address waits too; phones and boards do not.
    refused(connect({"code": code, "role": "facilitator", "key": keys["facilitator_key"]}).ack, "rate_limited")
    ok(connect({"code": code, "role": "board"}).ack)
    ok(connect({"code": code, "role": "participant"}).ack)


@pytest.mark.parametrize(
    "how",
    ["facilitate?key={key}", "curate?key={key}", "blocks/{block}/plan?key={key}", "results?key={key}", "bearer"],
)
def test_guessing_keys_over_http_meets_one_budget_per_address(app, create_workshop, connect, how):
    keys = create_workshop()
    code = keys["code"]
    block = connect({"code": code, "role": "board"}).ack["state"]["blocks"][0]["id"]
    budget = EventBudgets("memory://", DEFAULT_BUDGETS).budgets["key"][0][1].amount

    def attempt(key: str) -> int:
        client = app.test_client()  # no session: every try shows its key
        if how == "bearer":
            return client.get(f"/w/{code}/results.json", headers={"Authorization": f"Bearer {key}"}).status_code
        return client.get(f"/w/{code}/" + how.format(key=key, block=block)).status_code

    statuses = [attempt(f"guess-{i}") for i in range(budget + 2)]
    assert statuses[:budget] == [403] * budget
    assert statuses[budget:] == [429, 429]
    assert attempt(keys["facilitator_key"]) == 429  # until the minute is over
    # The socket joins with a key count against the same budget (a socket from the same address).
    sio = socketio.test_client(app, flask_test_client=app.test_client())
    try:
        ack = sio.emit("join", {"code": code, "role": "facilitator", "key": keys["facilitator_key"]}, callback=True)
        refused(ack, "rate_limited")
    finally:
        sio.disconnect()
