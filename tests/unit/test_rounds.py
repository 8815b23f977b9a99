import datetime as dt

import pytest

from workshop.domain import rounds
from workshop.domain.errors import WorkshopError

T0 = dt.datetime(2010, 5, 4, 13, 30, tzinfo=dt.timezone.utc)


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
