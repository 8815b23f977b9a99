"""The round state machine and its timer arithmetic.

pending --start--> running --close--> closed --start--> running (reopened, with a fresh timer)
A running round may be extended. The timer lives here, on the server: clients only count down to
``ends_at``. A round whose time is up stays open until the facilitator closes it, so that notes
typed in the last seconds are not refused.
"""
from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, replace

from .errors import WorkshopError

PENDING, RUNNING, CLOSED = "pending", "running", "closed"
STATUSES = (PENDING, RUNNING, CLOSED)
EXTEND_MINUTES = 5
MAX_MINUTES = 240


@dataclass(frozen=True)
class RoundTimer:
    status: str
    minutes: int
    started_at: dt.datetime | None = None
    ends_at: dt.datetime | None = None
    closed_at: dt.datetime | None = None

    @property
    def accepts_notes(self) -> bool:
        return self.status == RUNNING

    def seconds_left(self, now: dt.datetime) -> int | None:
        """Whole seconds until the end (0 once past it); None when the round is not running."""
        if self.status != RUNNING or self.ends_at is None:
            return None
        return max(0, math.ceil((self.ends_at - now).total_seconds()))


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


def extend(timer: RoundTimer, now: dt.datetime, minutes: int = EXTEND_MINUTES) -> RoundTimer:
    if timer.status != RUNNING or timer.ends_at is None:
        raise WorkshopError("round_not_running")
    if not 1 <= minutes <= MAX_MINUTES:
        raise WorkshopError("bad_minutes", max=MAX_MINUTES)
    # Extending a round whose time is already up counts from now, not from the past end.
    base = max(timer.ends_at, now)
    return replace(timer, ends_at=base + dt.timedelta(minutes=minutes))


def close(timer: RoundTimer, now: dt.datetime) -> RoundTimer:
    if timer.status == PENDING:
        raise WorkshopError("round_not_started")
    if timer.status == CLOSED:
        raise WorkshopError("round_closed")
    return replace(timer, status=CLOSED, closed_at=now)
