import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from workshop.domain import rounds
from workshop.domain.errors import WorkshopError

T0 = dt.datetime(2010, 5, 4, 13, 30, tzinfo=dt.UTC)


def pending(minutes=25):
    return rounds.RoundTimer(status=rounds.PENDING, minutes=minutes)


def test_start_sets_the_end_from_the_minutes():
    timer = rounds.start(pending(25), T0)
    assert timer.status == rounds.RUNNING
    assert timer.started_at == T0
    assert timer.ends_at == T0 + dt.timedelta(minutes=25)
    assert timer.accepts_notes


def test_seconds_left_counts_down_and_stops_at_zero():
    timer = rounds.start(pending(20), T0)
    assert timer.seconds_left(T0) == 20 * 60
    assert timer.seconds_left(T0 + dt.timedelta(minutes=19, seconds=59, milliseconds=500)) == 1
    assert timer.seconds_left(T0 + dt.timedelta(minutes=21)) == 0
    assert pending().seconds_left(T0) is None


def test_a_round_past_its_time_still_accepts_notes_until_closed():
    timer = rounds.start(pending(1), T0)
    assert timer.seconds_left(T0 + dt.timedelta(hours=1)) == 0
    assert timer.accepts_notes


def test_extend_adds_to_the_end_while_time_is_left():
    timer = rounds.start(pending(25), T0)
    later = rounds.extend(timer, T0 + dt.timedelta(minutes=10))
    assert later.ends_at == T0 + dt.timedelta(minutes=30)


def test_extend_after_time_is_up_counts_from_now():
    timer = rounds.start(pending(25), T0)
    now = T0 + dt.timedelta(minutes=40)
    assert rounds.extend(timer, now, 5).ends_at == now + dt.timedelta(minutes=5)


@pytest.mark.parametrize("minutes", [0, -5, 241])
def test_extend_refuses_absurd_minutes(minutes):
    with pytest.raises(WorkshopError) as error:
        rounds.extend(rounds.start(pending(), T0), T0, minutes)
    assert error.value.code == "bad_minutes"


def test_close_then_reopen_gives_a_fresh_timer():
    timer = rounds.start(pending(25), T0)
    closed = rounds.close(timer, T0 + dt.timedelta(minutes=26))
    assert closed.status == rounds.CLOSED and not closed.accepts_notes
    assert closed.seconds_left(T0) is None
    again = rounds.start(closed, T0 + dt.timedelta(minutes=30))
    assert again.status == rounds.RUNNING
    assert again.closed_at is None
    assert again.ends_at == T0 + dt.timedelta(minutes=55)


@pytest.mark.parametrize(
    "action, timer, code",
    [
        (rounds.close, pending(), "round_not_started"),
        (rounds.extend, pending(), "round_not_running"),
        (rounds.start, rounds.start(pending(), T0), "round_already_running"),
        (rounds.close, rounds.close(rounds.start(pending(), T0), T0), "round_closed"),
    ],
)
def test_refused_transitions_name_the_reason(action, timer, code):
    with pytest.raises(WorkshopError) as error:
        action(timer, T0)
    assert error.value.code == code


# --- controls on the fly: idempotent presses, time off, an end time, undo, skip

_T0 = dt.datetime(2010, 5, 4, 13, 0, tzinfo=dt.UTC)


def _running() -> rounds.RoundTimer:
    return rounds.start(rounds.RoundTimer(status="pending", minutes=20), _T0)


def test_the_same_press_on_the_same_version_is_one_change():
    timer = _running()
    once, changed = rounds.press(timer, "extend:5", timer.version, lambda t: rounds.extend(t, _T0, 5))
    twice, again = rounds.press(once, "extend:5", timer.version, lambda t: rounds.extend(t, _T0, 5))
    assert changed and not again
    assert twice == once and once.ends_at == timer.ends_at + dt.timedelta(minutes=5)
    with pytest.raises(WorkshopError) as refused:  # another press on the old version: refused, not merged
        rounds.press(once, "shorten:5", timer.version, lambda t: rounds.shorten(t, _T0, 5))
    assert refused.value.code == "round_changed"
    with pytest.raises(WorkshopError):  # two versions behind, even the same press
        rounds.press(
            rounds.press(once, "extend:5", None, lambda t: rounds.extend(t, _T0, 5))[0],
            "extend:5",
            timer.version,
            lambda t: t,
        )


def test_time_off_stops_at_now_and_an_end_time_stays_in_bounds():
    timer = _running()
    assert rounds.shorten(timer, _T0, 5).ends_at == _T0 + dt.timedelta(minutes=15)
    assert rounds.shorten(timer, _T0, 60).ends_at == _T0
    with pytest.raises(WorkshopError):
        rounds.shorten(rounds.shorten(timer, _T0, 60), _T0, 5)
    assert rounds.set_end(timer, _T0, _T0 + dt.timedelta(minutes=7)).ends_at == _T0 + dt.timedelta(minutes=7)
    for end, code in ((_T0, "end_in_past"), (_T0 + dt.timedelta(minutes=241), "end_too_late")):
        with pytest.raises(WorkshopError) as refused:
            rounds.set_end(timer, _T0, end)
        assert refused.value.code == code


@pytest.mark.parametrize(
    ("typed", "local"),
    [("9:45", (4, 9, 45)), ("09:45", (4, 9, 45)), ("9 h 45", (4, 9, 45)), ("21h05", (4, 21, 5)), ("0:15", (5, 0, 15))],
)
def test_an_end_typed_on_the_venue_s_clock(typed, local):
    zone = ZoneInfo("America/Toronto")
    now = dt.datetime(2010, 5, 4, 9, 0, tzinfo=zone)
    if local[0] == 5:
        now = dt.datetime(2010, 5, 4, 23, 50, tzinfo=zone)
    day, hour, minute = local
    assert rounds.end_time(typed, now, zone) == dt.datetime(2010, 5, day, hour, minute, tzinfo=zone)


@pytest.mark.parametrize("typed", ["24:00", "9:60", "neuf heures", "2010-05-04T14:10:00", "", "9"])
def test_an_end_that_is_not_a_time_is_refused(typed):
    with pytest.raises(WorkshopError) as refused:
        rounds.end_time(typed, _T0, ZoneInfo("America/Toronto"))
    assert refused.value.code == "bad_end_time"


def test_a_close_is_undone_within_the_window_only_and_keeps_the_timer():
    timer = _running()
    closed = rounds.close(timer, _T0 + dt.timedelta(minutes=3))
    back = rounds.reopen(closed, _T0 + dt.timedelta(minutes=3, seconds=rounds.UNDO_SECONDS))
    assert back.status == "running" and back.ends_at == timer.ends_at and back.closed_at is None
    with pytest.raises(WorkshopError) as refused:
        rounds.reopen(closed, _T0 + dt.timedelta(minutes=3, seconds=rounds.UNDO_SECONDS + 1))
    assert refused.value.code == "reopen_too_late"


def test_skip_only_what_has_not_started():
    pending = rounds.RoundTimer(status="pending", minutes=20)
    skipped = rounds.skip(pending)
    assert skipped.status == "skipped" and rounds.unskip(skipped).status == "pending"
    assert rounds.start(skipped, _T0).status == "running"
    for timer in (_running(), rounds.close(_running(), _T0)):
        with pytest.raises(WorkshopError):
            rounds.skip(timer)
    with pytest.raises(WorkshopError):
        rounds.close(skipped, _T0)
