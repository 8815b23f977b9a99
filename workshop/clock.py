"""The one clock of the app: aware UTC datetimes. Tests replace ``now`` to move time."""

from __future__ import annotations

import datetime as dt


def now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def iso(moment: dt.datetime | None) -> str | None:
    """ISO 8601 in UTC with a Z, what browsers parse everywhere."""
    if moment is None:
        return None
    if moment.tzinfo is None:  # SQLite gives naive datetimes back; they are stored in UTC
        moment = moment.replace(tzinfo=dt.UTC)
    return moment.astimezone(dt.UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")
