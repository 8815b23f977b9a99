"""The round state machine and its timer arithmetic.

pending --start--> running --close--> closed --start--> running (again, with a fresh timer)
                            closed --reopen (within UNDO_SECONDS)--> running (the same timer)
pending --skip--> skipped --unskip--> pending;  skipped --start--> running
A running round's end can move: extended, shortened, or set to a time. The timer lives here, on
the server: clients only count down to ``ends_at``. A round whose time is up stays open until the
facilitator closes it, so that notes typed in the last seconds are not refused.

Two facilitators who press the same button on the same screen make one change: every press
carries the round's ``version`` as its sender saw it (see ``press``).
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Callable
from dataclasses import dataclass, replace

from workshop.domain.errors import WorkshopError

PENDING, RUNNING, CLOSED, SKIPPED = "pending", "running", "closed", "skipped"
STATUSES = (PENDING, RUNNING, CLOSED, SKIPPED)
EXTEND_MINUTES = 5
MAX_MINUTES = 240
UNDO_SECONDS = 20  # how long a closed round (or an opened harvest) can be taken back


@dataclass(frozen=True)
class RoundTimer:
    status: str
    minutes: int
    started_at: dt.datetime | None = None
    ends_at: dt.datetime | None = None
    closed_at: dt.datetime | None = None
    version: int = 0  # one more at each change: what a press says it saw
    last_action: str | None = None  # the change that made this version ("extend:5", "close"…)

    @property
    def accepts_notes(self) -> bool:
        return self.status == RUNNING

    def seconds_left(self, now: dt.datetime) -> int | None:
        """Whole seconds until the end (0 once past it); None when the round is not running."""
        if self.status != RUNNING or self.ends_at is None:
            return None
        return max(0, math.ceil((self.ends_at - now).total_seconds()))


def press(
    timer: RoundTimer, action: str, seen: int | None, change: Callable[[RoundTimer], RoundTimer]
) -> tuple[RoundTimer, bool]:
    """A facilitator's press, made on the round as it was at version ``seen``: (timer, changed).

    The same press made on the same version twice (two consoles, or one ack lost and sent again)
    is one change: the second finds the version one ahead, made by this very action, and changes
    nothing. A press made on a version that another change has since replaced is refused, so that
    nobody's "-5 min" silently lands on someone else's "+5 min". Without ``seen`` (older clients,
    the command line) the change applies to the round as it is.
    """
    if seen is not None and seen != timer.version:
        if is_repeat(timer, action, seen):
            return timer, False
        raise WorkshopError("round_changed")
    return replace(change(timer), version=timer.version + 1, last_action=action), True


def is_repeat(timer: RoundTimer, action: str, seen: int | None) -> bool:
    """This press was already made, on this version: the change it asks for is the last one."""
    return seen is not None and seen == timer.version - 1 and timer.last_action == action


def start(timer: RoundTimer, now: dt.datetime) -> RoundTimer:
    if timer.status == RUNNING:
        raise WorkshopError("round_already_running")
    return replace(
        timer,
        status=RUNNING,
        started_at=now,
        ends_at=now + dt.timedelta(minutes=timer.minutes),
        closed_at=None,
    )


def _running(timer: RoundTimer) -> dt.datetime:
    if timer.status != RUNNING or timer.ends_at is None:
        raise WorkshopError("round_not_running")
    return timer.ends_at


def _minutes(minutes: int) -> None:
    if not 1 <= minutes <= MAX_MINUTES:
        raise WorkshopError("bad_minutes", max=MAX_MINUTES)


def extend(timer: RoundTimer, now: dt.datetime, minutes: int = EXTEND_MINUTES) -> RoundTimer:
    ends_at = _running(timer)
    _minutes(minutes)
    # Extending a round whose time is already up counts from now, not from the past end.
    base = max(ends_at, now)
    return replace(timer, ends_at=base + dt.timedelta(minutes=minutes))


def shorten(timer: RoundTimer, now: dt.datetime, minutes: int = EXTEND_MINUTES) -> RoundTimer:
    """Takes time off; never before now (the time is then up, and the round still open)."""
    ends_at = _running(timer)
    _minutes(minutes)
    if ends_at <= now:
        raise WorkshopError("time_already_up")
    return replace(timer, ends_at=max(now, ends_at - dt.timedelta(minutes=minutes)))


def set_end(timer: RoundTimer, now: dt.datetime, ends_at: dt.datetime) -> RoundTimer:
    """The round ends at this time: later than now, within MAX_MINUTES."""
    _running(timer)
    if ends_at.tzinfo is None:
        raise WorkshopError("bad_end_time")
    if ends_at <= now:
        raise WorkshopError("end_in_past")
    if ends_at - now > dt.timedelta(minutes=MAX_MINUTES):
        raise WorkshopError("end_too_late", max=MAX_MINUTES)
    return replace(timer, ends_at=ends_at.replace(microsecond=0))


_CLOCK_TIME = re.compile(r"(\d{1,2})\s*[:hH]\s*(\d{2})(?::(\d{2}))?")


def end_time(text: str, now: dt.datetime, zone: dt.tzinfo) -> dt.datetime:
    """The end a facilitator typed: "14:30", "9:45" or « 9 h 45 » on the venue's clock (today, or
    just after midnight), or an ISO 8601 time with its offset, as a script sends it."""
    text = text.strip()
    found = _CLOCK_TIME.fullmatch(text)
    if found:
        hour, minute = int(found[1]), int(found[2])
        if hour > 23 or minute > 59 or (found[3] is not None and int(found[3]) > 59):
            raise WorkshopError("bad_end_time")
        local = now.astimezone(zone)
        moment = dt.datetime.combine(local.date(), dt.time(hour, minute), tzinfo=zone)
        if now - moment > dt.timedelta(hours=12):  # 00:15 typed at 23:50: the next day
            moment = dt.datetime.combine(local.date() + dt.timedelta(days=1), dt.time(hour, minute), tzinfo=zone)
        return moment.astimezone(dt.UTC)
    if len(text) > 40 or "T" not in text:
        raise WorkshopError("bad_end_time")
    try:
        moment = dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        raise WorkshopError("bad_end_time") from None
    if moment.tzinfo is None:
        raise WorkshopError("bad_end_time")
    return moment.astimezone(dt.UTC)


def close(timer: RoundTimer, now: dt.datetime) -> RoundTimer:
    if timer.status in (PENDING, SKIPPED):
        raise WorkshopError("round_not_started")
    if timer.status == CLOSED:
        raise WorkshopError("round_closed")
    return replace(timer, status=CLOSED, closed_at=now)


def can_undo(moment: dt.datetime | None, now: dt.datetime) -> bool:
    """Still within the few seconds in which a close (or an opened harvest) can be taken back."""
    return moment is not None and dt.timedelta(0) <= now - moment <= dt.timedelta(seconds=UNDO_SECONDS)


def reopen(timer: RoundTimer, now: dt.datetime) -> RoundTimer:
    """Undoes a close made a few seconds ago: the round runs on, to the same end."""
    if timer.status != CLOSED:
        raise WorkshopError("round_not_closed")
    if not can_undo(timer.closed_at, now):
        raise WorkshopError("reopen_too_late", seconds=UNDO_SECONDS)
    return replace(timer, status=RUNNING, closed_at=None)


def skip(timer: RoundTimer) -> RoundTimer:
    """A round not started is left out of the day; it can be started later all the same."""
    if timer.status != PENDING:
        raise WorkshopError("round_not_pending")
    return replace(timer, status=SKIPPED)


def unskip(timer: RoundTimer) -> RoundTimer:
    if timer.status != SKIPPED:
        raise WorkshopError("round_not_skipped")
    return replace(timer, status=PENDING)
