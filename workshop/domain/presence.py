"""Who counts as present: a phone connected now, or seen within PRESENT_SECONDS (a phone on bad
Wi-Fi reconnects well within it). An absent phone's seat does not count against a table's
capacity, and the console can free it."""

from __future__ import annotations

import datetime as dt

PRESENT_SECONDS = 180


def present_since(now: dt.datetime) -> dt.datetime:
    """Seen at or after this moment: present (if not connected now)."""
    return now - dt.timedelta(seconds=PRESENT_SECONDS)
