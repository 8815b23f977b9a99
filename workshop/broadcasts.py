from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Broadcast:
    """An event for some rooms (names from ``workshop.rooms.room_for``), sent after the commit."""

    event: str
    payload: dict
    rooms: tuple[str, ...] = field(default_factory=tuple)
