"""Who is connected, per process: each socket belongs to the process that accepted it."""
from __future__ import annotations

import threading
from collections import Counter
from dataclasses import dataclass


@dataclass
class Connection:
    workshop_id: int
    code: str
    role: str
    participant_id: int | None = None
    name: str | None = None
    table: int | None = None
    language: str | None = None
    topics: tuple[str, ...] = ()  # sessions the phone convenes or is in: their reports reach it


class Presence:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._by_sid: dict[str, Connection] = {}

    def set(self, sid: str, connection: Connection) -> Connection | None:
        with self._lock:
            previous = self._by_sid.get(sid)
            self._by_sid[sid] = connection
            return previous

    def get(self, sid: str) -> Connection | None:
        with self._lock:
            return self._by_sid.get(sid)

    def drop(self, sid: str) -> Connection | None:
        with self._lock:
            return self._by_sid.pop(sid, None)

    def connections(self, code: str, role: str | None = None) -> list[tuple[str, Connection]]:
        with self._lock:
            return [
                (sid, c)
                for sid, c in self._by_sid.items()
                if c.code == code and (role is None or c.role == role)
            ]

    def summary(self, code: str) -> dict:
        """Phones connected (each participant once, however many tabs) and per table."""
        with self._lock:
            phones = {
                c.participant_id: c
                for c in self._by_sid.values()
                if c.code == code and c.role == "participant"
            }
        tables = Counter(c.table for c in phones.values() if c.table is not None)
        people: dict[str, list[str]] = {}
        for c in phones.values():
            people.setdefault(str(c.table) if c.table is not None else "", []).append(c.name or "")
        return {
            "phones": len(phones),
            "tables": {str(number): count for number, count in sorted(tables.items())},
            "people": {k: sorted(v) for k, v in people.items()},
        }


presence = Presence()
