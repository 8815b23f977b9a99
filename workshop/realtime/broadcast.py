"""The one way services' events reach clients, whatever carries them (in-process or Redis)."""

from __future__ import annotations

from collections.abc import Iterable

from workshop.broadcasts import Broadcast
from workshop.extensions import socketio


def publish(broadcasts: Iterable[Broadcast]) -> None:
    for item in broadcasts:
        if not item.rooms:  # for the acting client's ack only; an empty list would reach everyone
            continue
        # A list of rooms reaches each client once, even one that is in several of them.
        socketio.emit(item.event, item.payload, to=list(item.rooms))
