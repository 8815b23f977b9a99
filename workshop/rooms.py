"""The one function that names Socket.IO rooms."""

from __future__ import annotations


def room_for(code: str, audience: str, value: object = None) -> str:
    """``all``, ``board``, ``facilitator`` of a workshop; ``table`` N; ``participant`` id; ``topic`` id."""
    if audience in ("all", "board", "facilitator"):
        return f"w:{code}:{audience}"
    if audience in ("table", "participant", "topic"):
        if value is None:
            raise ValueError(f"room {audience} needs a value")
        return f"w:{code}:{audience}:{value}"
    raise ValueError(f"unknown audience {audience}")
