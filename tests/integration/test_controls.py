"""Controls on the fly (issue 12, point 8): every press is idempotent, time can be added, taken
off or set, a round skipped, and a close or an opened harvest undone for a few seconds."""

from __future__ import annotations

import datetime as dt
import uuid
from zoneinfo import ZoneInfo

import pytest

from workshop import clock
from workshop.domain.rounds import UNDO_SECONDS

VENUE = ZoneInfo("America/Toronto")
# Tuesday 4 May 2010, 9:00 in Quebec City.
MORNING = dt.datetime(2010, 5, 4, 9, 0, tzinfo=VENUE).astimezone(dt.UTC)


class Clock:
    def __init__(self, monkeypatch):
        self.now = MORNING
        monkeypatch.setattr(clock, "now", lambda: self.now)

    def advance(self, seconds: float) -> None:
        self.now += dt.timedelta(seconds=seconds)


@pytest.fixture
def time(monkeypatch):
    return Clock(monkeypatch)


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


def names(sio):
    return [e["name"] for e in sio.get_received()]


def parse(iso: str) -> dt.datetime:
    return dt.datetime.fromisoformat(iso.replace("Z", "+00:00"))


@pytest.fixture
def room(create_workshop, connect, time):
    keys = create_workshop()
    code = keys["code"]
    join = {"code": code, "role": "facilitator", "key": keys["facilitator_key"]}
    first, second = connect(join), connect(join)
    board = connect({"code": code, "role": "board"})
    phone = connect({"code": code, "role": "participant", "table": 1, "name": "Awa"})
    for sio in (first, second, board, phone):
        ok(sio.ack)
    block = first.ack["state"]["blocks"][0]
    rounds = [r["id"] for r in block["rounds"]]
    return {
        "code": code,
        "keys": keys,
        "first": first,
        "second": second,
        "board": board,
        "phone": phone,
        "block": block["id"],
        "rounds": rounds,
    }


def running(room) -> dict:
    """Round 1 started by the first console; every client's queue emptied."""
    started = ok(room["first"].emit("round:start", {"round": room["rounds"][0]}, callback=True))["round"]
    for sio in (room["first"], room["second"], room["board"], room["phone"]):
        sio.get_received()
    return started


def stored(room, round_id: int) -> dict:
    state = room["first"].emit("state:get", {}, callback=True)["state"]
    return next(r for b in state["blocks"] for r in b["rounds"] if r["id"] == round_id)


def test_two_consoles_pressing_plus_5_add_5_minutes_once(room):
    seen = running(room)
    press = {"round": seen["id"], "minutes": 5, "version": seen["version"]}
    first = ok(room["first"].emit("round:extend", press, callback=True))
    second = ok(room["second"].emit("round:extend", press, callback=True))
    assert first["changed"] is True and second["changed"] is False
    assert parse(stored(room, seen["id"])["ends_at"]) == parse(seen["ends_at"]) + dt.timedelta(minutes=5)
    assert second["round"]["ends_at"] == first["round"]["ends_at"]
    assert len(events(room["board"], "round:extended")) == 1  # the room was told once
    # A new press, on the version now shown, adds five more.
    again = ok(room["second"].emit("round:extend", {**press, "version": second["round"]["version"]}, callback=True))
    assert parse(again["round"]["ends_at"]) == parse(seen["ends_at"]) + dt.timedelta(minutes=10)


def test_a_press_made_on_a_screen_another_change_replaced_is_refused(room):
    seen = running(room)
    ok(room["first"].emit("round:extend", {"round": seen["id"], "version": seen["version"]}, callback=True))
    # The second console still shows the first end and presses "-5 min": not the same press.
    refused(
        room["second"].emit("round:shorten", {"round": seen["id"], "version": seen["version"]}, callback=True),
        "round_changed",
    )
    assert parse(stored(room, seen["id"])["ends_at"]) == parse(seen["ends_at"]) + dt.timedelta(minutes=5)
    # Without a version (an older client), a press applies to the round as it is.
    ok(room["second"].emit("round:extend", {"round": seen["id"]}, callback=True))
    assert parse(stored(room, seen["id"])["ends_at"]) == parse(seen["ends_at"]) + dt.timedelta(minutes=10)


def test_time_taken_off_never_goes_before_now(room, time):
    seen = running(room)
    shorter = ok(room["first"].emit("round:shorten", {"round": seen["id"], "version": seen["version"]}, callback=True))[
        "round"
    ]
    assert parse(shorter["ends_at"]) == parse(seen["ends_at"]) - dt.timedelta(minutes=5)
    assert [e["ends_at"] for e in events(room["phone"], "round:extended")] == [shorter["ends_at"]]
    ok(room["first"].emit("round:shorten", {"round": seen["id"], "minutes": 60}, callback=True))
    assert parse(stored(room, seen["id"])["ends_at"]) == time.now  # time is up, the round still open
    refused(room["first"].emit("round:shorten", {"round": seen["id"]}, callback=True), "time_already_up")
    assert stored(room, seen["id"])["status"] == "running"


def test_the_end_time_is_set_on_the_venue_s_clock(room, time):
    seen = running(room)
    at = ok(
        room["first"].emit(
            "round:end", {"round": seen["id"], "ends_at": "9:45", "version": seen["version"]}, callback=True
        )
    )
    assert parse(at["round"]["ends_at"]) == dt.datetime(2010, 5, 4, 9, 45, tzinfo=VENUE)
    # The same time set twice by two consoles is one change.
    twice = ok(
        room["second"].emit(
            "round:end", {"round": seen["id"], "ends_at": "09:45", "version": seen["version"]}, callback=True
        )
    )
    assert twice["changed"] is False
    iso = ok(room["first"].emit("round:end", {"round": seen["id"], "ends_at": "2010-05-04T14:10:00Z"}, callback=True))
    assert parse(iso["round"]["ends_at"]) == dt.datetime(2010, 5, 4, 10, 10, tzinfo=VENUE)
    for value, code in (
        ("8:59", "end_in_past"),
        ("13:30", "end_too_late"),
        ("25:00", "bad_end_time"),
        ("demain", "bad_end_time"),
        ("2010-05-04T14:10:00", "bad_end_time"),
    ):
        refused(room["first"].emit("round:end", {"round": seen["id"], "ends_at": value}, callback=True), code)
    refused(room["first"].emit("round:end", {"round": seen["id"], "ends_at": ["9:50"]}, callback=True), "wrong_type")
    assert parse(stored(room, seen["id"])["ends_at"]) == dt.datetime(2010, 5, 4, 10, 10, tzinfo=VENUE)


def test_a_close_can_be_undone_for_a_few_seconds_and_everyone_stays_seated(room, time):
    seen = running(room)
    closed = ok(room["first"].emit("round:close", {"round": seen["id"], "version": seen["version"]}, callback=True))[
        "round"
    ]
    # The second console pressed "close" on the same screen: one close, no error.
    assert (
        ok(room["second"].emit("round:close", {"round": seen["id"], "version": seen["version"]}, callback=True))[
            "round"
        ]["status"]
        == "closed"
    )
    assert names(room["board"]).count("round:closed") == 1
    time.advance(UNDO_SECONDS - 5)
    reopened = ok(
        room["second"].emit("round:reopen", {"round": seen["id"], "version": closed["version"]}, callback=True)
    )["round"]
    assert reopened["status"] == "running" and reopened["ends_at"] == seen["ends_at"]  # the same timer
    assert [e["status"] for e in events(room["phone"], "round:started")] == ["running"]
    assert ok(room["phone"].emit("note:post", {"id": str(uuid.uuid4()), "text": "Encore une idée"}, callback=True))
    # Pressed twice: one reopen.
    assert ok(room["first"].emit("round:reopen", {"round": seen["id"], "version": closed["version"]}, callback=True))
    ok(room["first"].emit("round:close", {"round": seen["id"]}, callback=True))
    time.advance(UNDO_SECONDS + 1)
    refused(room["first"].emit("round:reopen", {"round": seen["id"]}, callback=True), "reopen_too_late")
    refused(room["first"].emit("round:reopen", {"round": room["rounds"][1]}, callback=True), "round_not_closed")
    # Without a version, closing twice still says so (the contract's round:close).
    refused(room["first"].emit("round:close", {"round": seen["id"]}, callback=True), "round_closed")


def test_a_round_can_be_skipped_and_brought_back(room):
    first, second, third = room["rounds"]
    skipped = ok(room["first"].emit("round:skip", {"round": second}, callback=True))["round"]
    assert skipped["status"] == "skipped"
    assert [e["round"] for e in events(room["board"], "round:skipped")] == [second]
    ok(room["first"].emit("round:skip", {"round": second, "version": 0}, callback=True))  # twice: one change
    refused(room["first"].emit("round:skip", {"round": second}, callback=True), "round_not_pending")
    ok(room["first"].emit("round:start", {"round": first}, callback=True))
    refused(room["first"].emit("round:skip", {"round": first}, callback=True), "round_not_pending")
    ok(room["first"].emit("round:close", {"round": first}, callback=True))
    # The moves planned at the close are for the third round: the skipped one is left out.
    moves = events(room["phone"], "table:move")
    assert moves and {m["round"] for m in moves} == {third}
    ok(room["first"].emit("round:unskip", {"round": second}, callback=True))
    assert stored(room, second)["status"] == "pending"
    refused(room["first"].emit("round:unskip", {"round": second}, callback=True), "round_not_skipped")


def test_opening_the_harvest_can_be_undone_for_a_few_seconds(room, time):
    seen = running(room)
    block = room["block"]
    ok(room["first"].emit("harvest:open", {"block": block}, callback=True))
    ok(room["second"].emit("harvest:open", {"block": block}, callback=True))  # twice: one change
    assert names(room["board"]).count("harvest:opened") == 1
    assert stored(room, seen["id"])["status"] == "closed"
    time.advance(UNDO_SECONDS - 1)
    ok(room["second"].emit("harvest:cancel", {"block": block}, callback=True))
    ok(room["first"].emit("harvest:cancel", {"block": block}, callback=True))  # twice: one change
    received = names(room["phone"])
    assert received.count("harvest:cancelled") == 1 and received.count("round:started") == 1
    state = room["first"].emit("state:get", {}, callback=True)["state"]
    assert state["blocks"][0]["harvest"] == "none"
    back = stored(room, seen["id"])
    assert back["status"] == "running" and back["ends_at"] == seen["ends_at"]

    ok(room["first"].emit("harvest:open", {"block": block}, callback=True))
    time.advance(UNDO_SECONDS + 1)
    refused(room["first"].emit("harvest:cancel", {"block": block}, callback=True), "harvest_undo_too_late")


def test_a_harvest_holding_key_ideas_is_not_cancelled(room):
    running(room)
    ok(room["first"].emit("harvest:open", {"block": room["block"]}, callback=True))
    ok(room["first"].emit("harvest:post", {"id": str(uuid.uuid4()), "text": "Une idée clé", "table": 1}, callback=True))
    refused(room["first"].emit("harvest:cancel", {"block": room["block"]}, callback=True), "harvest_has_ideas")
    state = room["first"].emit("state:get", {}, callback=True)["state"]
    assert state["blocks"][0]["harvest"] == "open" and len(state["notes"]) == 1


@pytest.mark.parametrize(
    "payload", [{"round": 1, "version": -1}, {"round": 1, "version": "deux"}, {"round": 1, "version": 10**12}]
)
def test_a_bad_version_is_refused(room, payload):
    seen = running(room)
    ack = room["first"].emit("round:extend", {**payload, "round": seen["id"]}, callback=True)
    assert ack["ok"] is False and ack["error"]["code"] in ("out_of_range", "wrong_type")
    assert stored(room, seen["id"])["ends_at"] == seen["ends_at"]


# --- the same controls as plain forms (no JavaScript)


@pytest.fixture
def console(client, room):
    client.get(f"/w/{room['code']}/facilitate?key={room['keys']['facilitator_key']}&lang=en")
    return client


def test_form_twins_of_the_controls(console, room, time):
    seen = running(room)
    base = f"/w/{room['code']}/rounds/{seen['id']}"
    version = str(seen["version"])
    page = console.get(f"/w/{room['code']}/facilitate?lang=en").get_data(as_text=True)
    shown = parse(seen["ends_at"]).astimezone(VENUE).strftime("%H:%M")
    assert f'name="version" value="{version}"' in page and f'name="ends_at" required value="{shown}"' in page

    assert console.post(f"{base}/extend", data={"version": version}).status_code == 303
    assert console.post(f"{base}/extend", data={"version": version}).status_code == 303  # repeat: one change
    assert parse(stored(room, seen["id"])["ends_at"]) == parse(seen["ends_at"]) + dt.timedelta(minutes=5)
    stale = console.post(f"{base}/shorten", data={"version": version})
    assert stale.status_code == 400 and "Another facilitator changed this round" in stale.get_data(as_text=True)
    assert console.post(f"{base}/shorten").status_code == 303
    assert console.post(f"{base}/end", data={"ends_at": "09:50"}).status_code == 303
    assert parse(stored(room, seen["id"])["ends_at"]) == dt.datetime(2010, 5, 4, 9, 50, tzinfo=VENUE)
    wrong = console.post(f"{base}/end", data={"ends_at": "8:00"})
    assert wrong.status_code == 400 and "The end time must be later than now." in wrong.get_data(as_text=True)

    asked = console.post(f"{base}/close").get_data(as_text=True)
    assert "Close the round now?" in asked and 'name="confirm" value="1"' in asked
    assert stored(room, seen["id"])["status"] == "running"
    assert console.post(f"{base}/close", data={"confirm": "1"}).status_code == 303
    page = console.get(f"/w/{room['code']}/facilitate?lang=en").get_data(as_text=True)
    assert 'data-event="round:reopen" data-until="2010-05-04T13:' in page  # shown, until 20 s after the close
    assert console.post(f"{base}/reopen").status_code == 303
    assert stored(room, seen["id"])["status"] == "running"

    skip = f"/w/{room['code']}/rounds/{room['rounds'][2]}"
    assert console.post(f"{skip}/skip").status_code == 303
    assert stored(room, room["rounds"][2])["status"] == "skipped"
    assert console.post(f"{skip}/unskip").status_code == 303
    assert stored(room, room["rounds"][2])["status"] == "pending"

    harvest = f"/w/{room['code']}/blocks/{room['block']}/harvest"
    assert "Open the harvest now?" in console.post(f"{harvest}/open").get_data(as_text=True)
    assert console.post(f"{harvest}/open", data={"confirm": "1"}).status_code == 303
    assert "Undo: back to the tables" in console.get(f"/w/{room['code']}/facilitate?lang=en").get_data(as_text=True)
    assert console.post(f"{harvest}/cancel").status_code == 303
    assert stored(room, seen["id"])["status"] == "running"
    assert console.post(f"{base}/close", data={"confirm": "1"}).status_code == 303
    time.advance(UNDO_SECONDS + 1)
    page = console.get(f"/w/{room['code']}/facilitate?lang=en").get_data(as_text=True)
    assert 'data-event="round:reopen" data-until="" hidden' in page  # too late: the undo is gone
    late = console.post(f"{base}/reopen")
    assert late.status_code == 400 and "Too late to reopen" in late.get_data(as_text=True)


def test_start_and_next_block_pressed_on_two_consoles_are_one_step(room):
    first_round = room["rounds"][0]
    for sio in (room["first"], room["second"]):  # both pressed "Start" on the same screen
        assert (
            ok(sio.emit("round:start", {"round": first_round, "version": 0}, callback=True))["round"]["status"]
            == "running"
        )
    assert names(room["board"]).count("round:started") == 1
    state = room["first"].emit("state:get", {}, callback=True)["state"]
    shown = state["current"]["block"]
    for sio in (room["first"], room["second"]):  # both pressed "Next block"
        ok(sio.emit("block:next", {"from": shown}, callback=True))
    state = room["first"].emit("state:get", {}, callback=True)["state"]
    assert state["current"]["block"] == state["blocks"][1]["id"]  # one step, not two
    refused(room["first"].emit("block:next", {"from": 999999}, callback=True), "unknown_block")


def test_the_no_js_confirmation_speaks_the_workshop_s_language(app, room):
    """The question was read before the workshop was known, in the browser's language."""
    seen = running(room)
    client = app.test_client()
    client.get(f"/w/{room['code']}/facilitate?key={room['keys']['facilitator_key']}")
    english_browser = {"Accept-Language": "en-US,en;q=0.9"}
    asked = client.post(f"/w/{room['code']}/rounds/{seen['id']}/close", headers=english_browser).get_data(as_text=True)
    assert "Fermer la ronde maintenant" in asked and "Oui, fermer la ronde" in asked
    harvest = client.post(f"/w/{room['code']}/blocks/{room['block']}/harvest/open", headers=english_browser)
    assert "Ouvrir la récolte maintenant" in harvest.get_data(as_text=True)
