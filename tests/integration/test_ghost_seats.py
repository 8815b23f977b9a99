"""Ghost seats (issue 18, point 2): a seat is held by someone present, a socket makes one
participant at most, making participants is budgeted per address, the console frees the seats of
absent phones."""

from __future__ import annotations

import datetime as dt

import pytest

from workshop import clock
from workshop.domain.presence import PRESENT_SECONDS
from workshop.ratelimit import DEFAULT_BUDGETS, EventBudgets


def ok(ack):
    assert ack["ok"] is True, ack
    return ack


def refused(ack, code):
    assert ack["ok"] is False, ack
    assert ack["error"]["code"] == code, ack
    return ack


@pytest.fixture
def later(monkeypatch):
    """later(seconds): the app's clock moves on."""
    start = clock.now()

    def move(seconds: float) -> None:
        monkeypatch.setattr(clock, "now", lambda: start + dt.timedelta(seconds=seconds))

    return move


def people(facilitator) -> list[dict]:
    return facilitator.emit("state:get", {}, callback=True)["state"]["participants"]


def test_a_socket_makes_one_participant_however_many_joins_it_sends(create_workshop, connect):
    keys = create_workshop()
    code = keys["code"]
    facilitator = connect({"code": code, "role": "facilitator", "key": keys["facilitator_key"]})
    ghost = connect()
    tokens = {
        ok(ghost.emit("join", {"code": code, "role": "participant", "table": i % 5 + 1}, callback=True))["participant"]
        for i in range(20)
    }
    assert len(tokens) == 1
    assert len(people(facilitator)) == 1
    # Its own token, and a real phone's, are still found: finding is not making.
    other = connect({"code": code, "role": "participant"})
    ok(
        ghost.emit(
            "join", {"code": code, "role": "participant", "participant": other.ack["participant"]}, callback=True
        )
    )
    assert len(people(facilitator)) == 2


def fill_table_1(code: str, connect) -> list:
    """Table 1 of the 2010 café holds 8: eight phones sit there."""
    phones = [connect({"code": code, "role": "participant", "table": 1}) for _ in range(8)]
    for phone in phones:
        ok(phone.ack)
    return phones


def test_gone_phones_keep_their_seat_a_moment_then_free_it(create_workshop, connect, later):
    keys = create_workshop()
    code = keys["code"]
    facilitator = connect({"code": code, "role": "facilitator", "key": keys["facilitator_key"]})
    for phone in fill_table_1(code, connect):
        phone.disconnect()
    late = connect({"code": code, "role": "participant"})
    # Gone a minute: a phone on bad Wi-Fi comes back, its seat is still there.
    later(60)
    refused(late.emit("table:arrive", {"table": 1}, callback=True), "table_full")
    # Gone longer: the seats count for nobody, at join, on arrival and for the facilitator's move.
    later(PRESENT_SECONDS + 60)
    ok(late.emit("table:arrive", {"table": 1}, callback=True))
    ok(connect({"code": code, "role": "participant", "table": 1}).ack)
    ok(connect({"code": code, "role": "participant", "table": 2}).ack)
    moved = next(p for p in people(facilitator) if p["table"] == 2)
    ok(facilitator.emit("participant:move", {"participant": moved["id"], "table": 1}, callback=True))


def test_connected_phones_keep_their_seat_however_long_they_stay(create_workshop, connect, later):
    code = create_workshop()["code"]
    fill_table_1(code, connect)
    later(3 * 3600)  # a long round: nobody said anything, everybody is still there
    refused(connect({"code": code, "role": "participant", "table": 1}).ack, "table_full")


def test_the_plain_form_sees_the_same_free_seats(client, create_workshop, connect, later):
    code = create_workshop()["code"]
    for phone in fill_table_1(code, connect):
        phone.disconnect()
    assert client.post(f"/j/{code}/arrive", data={"table": "1"}).status_code == 400
    later(PRESENT_SECONDS + 60)
    assert client.post(f"/j/{code}/arrive", data={"table": "1"}).status_code == 303


def test_the_console_shows_the_seats_of_absent_phones_and_frees_them(client, create_workshop, connect, later):
    keys = create_workshop()
    code = keys["code"]
    phones = fill_table_1(code, connect)
    for phone in phones[:3]:
        phone.disconnect()
    assert client.get(f"/w/{code}/facilitate?key={keys['facilitator_key']}").status_code == 302
    assert 'id="absent"' not in client.get(f"/w/{code}/facilitate").get_data(as_text=True)
    later(PRESENT_SECONDS + 60)
    page = client.get(f"/w/{code}/facilitate").get_data(as_text=True)
    assert 'id="absent"' in page and "Libérer 3 places" in page
    assert client.post(f"/w/{code}/seats/free").status_code == 303
    facilitator = connect({"code": code, "role": "facilitator", "key": keys["facilitator_key"]})
    tables = [p["table"] for p in people(facilitator)]
    assert tables.count(1) == 5 and tables.count(None) == 3
    assert 'id="absent"' not in client.get(f"/w/{code}/facilitate").get_data(as_text=True)


def test_making_participants_is_budgeted_per_address(app, client, create_workshop, connect, frozen_budget_clock):
    app.extensions["event_budgets"] = EventBudgets(
        "memory://", {**DEFAULT_BUDGETS, "participant:new": [("address", "3/minute")]}
    )
    code = create_workshop()["code"]
    made = [connect({"code": code, "role": "participant"}) for _ in range(3)]
    for phone in made:
        ok(phone.ack)
    refused(connect({"code": code, "role": "participant"}).ack, "rate_limited")
    # The phone form counts the same way (its address is the test client's, not the sockets').
    forms = [app.test_client().post(f"/j/{code}/join", data={"name": f"Form {i}"}).status_code for i in range(4)]
    assert forms == [303, 303, 303, 400]
    # A known phone comes back with its token: nothing is made, nothing refused.
    ok(connect({"code": code, "role": "participant", "participant": made[0].ack["participant"]}).ack)
