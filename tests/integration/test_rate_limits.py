"""A flooding phone is stopped with a readable refusal; the others go on."""

from __future__ import annotations

import os
import uuid

import pytest

from workshop.ratelimit import DEFAULT_BUDGETS

# Budgets counted in fixed windows: held in one window, so a slow run never sees them refilled.
pytestmark = pytest.mark.usefixtures("frozen_budget_clock")


def test_a_flooding_phone_is_stopped_and_its_neighbour_is_not(create_workshop, connect):
    keys = create_workshop()
    code = keys["code"]
    facilitator = connect({"code": code, "role": "facilitator", "key": keys["facilitator_key"]})
    facilitator.emit("round:start", {"round": facilitator.ack["state"]["blocks"][0]["rounds"][0]["id"]}, callback=True)
    flood = connect({"code": code, "role": "participant", "table": 1})
    calm = connect({"code": code, "role": "participant", "table": 2})
    budget = int(dict(DEFAULT_BUDGETS["note:post"])["participant"].split("/")[0])

    acks = [
        flood.emit("note:post", {"id": str(uuid.uuid4()), "text": f"n° {i}"}, callback=True) for i in range(budget + 5)
    ]
    assert all(a["ok"] for a in acks[:budget])
    for refused in acks[budget:]:
        assert refused["ok"] is False and refused["error"]["code"] == "rate_limited"
        assert "perdu" in refused["error"]["message"]  # the phone is told its text is kept
    assert calm.emit("note:post", {"id": str(uuid.uuid4()), "text": "Je passe"}, callback=True)["ok"]
    notes = facilitator.emit("state:get", {}, callback=True)["state"]["notes"]
    assert len(notes) == budget + 1


def test_a_refused_event_spends_no_budget_of_the_others(create_workshop, connect):
    keys = create_workshop()
    sio = connect()
    for _ in range(30):
        assert sio.emit("join", {"code": keys["code"], "role": "board"}, callback=True)["ok"]
    assert sio.emit("join", {"code": keys["code"], "role": "board"}, callback=True)["error"]["code"] == "rate_limited"
    other = connect({"code": keys["code"], "role": "board"})
    assert other.ack["ok"]


def test_guessing_the_facilitator_key_is_slowed_down(client, create_workshop):
    code = create_workshop()["code"]
    statuses = [client.post(f"/w/{code}/facilitate", data={"key": f"guess-{i}"}).status_code for i in range(25)]
    assert statuses[:20] == [403] * 20
    assert statuses[20:] == [429] * 5


def test_local_windows_count_per_window_and_forget_old_ones():
    from limits import parse

    from workshop.ratelimit import LocalWindows

    windows = LocalWindows()
    two = parse("2/minute")
    assert windows.test_and_hit([(two, ("note:post", "participant", "p1"))], 60.0)
    assert windows.test_and_hit([(two, ("note:post", "participant", "p1"))], 61.0)
    assert not windows.test_and_hit([(two, ("note:post", "participant", "p1"))], 62.0)
    assert windows.test_and_hit([(two, ("note:post", "participant", "p2"))], 62.0)  # someone else
    assert windows.test_and_hit([(two, ("note:post", "participant", "p1"))], 121.0)  # the next minute
    assert all(key[-1] == 2 for key in windows._counts)  # the first minute's counters are gone


def test_redis_windows_are_shared_by_processes_and_let_events_through_when_redis_is_away():
    import redis
    from limits import parse

    from workshop.ratelimit import EventBudgets, RedisWindows

    url = os.environ.get("WORKSHOP_TEST_REDIS_URL", "redis://127.0.0.1:6379/0")
    event = f"test:{uuid.uuid4().hex}"  # counters of this test only
    rules = {event: [("participant", "3/minute"), ("address", "100/minute")], "*": []}
    one, other = EventBudgets(url, rules), EventBudgets(url, rules)  # two processes, one Redis
    assert isinstance(one.windows, RedisWindows)
    assert one.allow(event, 7, "sid-a", "10.0.0.1")
    assert other.allow(event, 7, "sid-b", "10.0.0.1")
    assert one.allow(event, 7, "sid-a", "10.0.0.1")
    assert not other.allow(event, 7, "sid-b", "10.0.0.1")  # the phone's budget, wherever it lands
    assert one.allow(event, 8, "sid-c", "10.0.0.1")  # its neighbour is not stopped
    # A refused event spends nothing: the address has counted 4 events, not 5.
    client = redis.Redis.from_url(url)
    counters = {k.decode(): int(client.get(k)) for k in client.scan_iter(match=f"workshop:budget:{event}:address:*")}
    assert list(counters.values()) == [4]
    assert all(0 < client.ttl(k) <= 61 for k in counters)

    away = RedisWindows(redis.Redis(host="127.0.0.1", port=1, socket_connect_timeout=0.2))
    assert away.test_and_hit([(parse("1/minute"), (event, "participant", "p1"))], 0.0)
