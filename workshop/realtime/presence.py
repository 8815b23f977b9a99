"""Who is connected. Each socket belongs to the process that accepted it (kept here, in memory);
with several processes the phones of every process are also listed in Redis, so the board's count
is the workshop's, wherever the phones landed."""

from __future__ import annotations

import json
import threading
import uuid
from collections import Counter
from dataclasses import asdict, dataclass

PRESENCE_TTL = 90  # seconds: the listing of a process that died disappears by itself
HEARTBEAT = 30
PRESENCE_INTERVAL = 1.0  # seconds: at most one presence update per workshop in this time


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
    own_participant: int | None = None  # the participant this socket made (a socket makes one at most)


class Presence:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._by_sid: dict[str, Connection] = {}
        self._redis = None
        self._process = uuid.uuid4().hex

    def use_redis(self, client) -> None:
        """Shares the listing through Redis (several server processes)."""
        self._redis = client

    def _key(self, code: str) -> str:
        return f"workshop:presence:{code}:{self._process}"

    def _publish(self, sid: str, connection: Connection | None, code: str) -> None:
        if self._redis is None:
            return
        try:
            key = self._key(code)
            if connection is None:
                self._redis.hdel(key, sid)
            else:
                pipe = self._redis.pipeline(transaction=False)
                pipe.hset(key, sid, json.dumps(asdict(connection)))
                pipe.expire(key, PRESENCE_TTL)
                pipe.execute()
        except Exception:  # Redis away: the count is local until it is back
            pass

    def heartbeat(self) -> None:
        """Keeps this process's listings alive (called every HEARTBEAT seconds)."""
        if self._redis is None:
            return
        with self._lock:
            codes = {c.code for c in self._by_sid.values()}
            entries = [(sid, c) for sid, c in self._by_sid.items()]
        try:
            for code in codes:
                key = self._key(code)
                self._redis.hset(key, mapping={sid: json.dumps(asdict(c)) for sid, c in entries if c.code == code})
                self._redis.expire(key, PRESENCE_TTL)
        except Exception:
            pass

    def set(self, sid: str, connection: Connection) -> Connection | None:
        with self._lock:
            previous = self._by_sid.get(sid)
            self._by_sid[sid] = connection
        if previous is not None and previous.code != connection.code:
            self._publish(sid, None, previous.code)
        self._publish(sid, connection, connection.code)
        return previous

    def get(self, sid: str) -> Connection | None:
        with self._lock:
            return self._by_sid.get(sid)

    def drop(self, sid: str) -> Connection | None:
        with self._lock:
            connection = self._by_sid.pop(sid, None)
        if connection is not None:
            self._publish(sid, None, connection.code)
        return connection

    def connections(self, code: str, role: str | None = None) -> list[tuple[str, Connection]]:
        """This process's sockets of a workshop."""
        with self._lock:
            return [(sid, c) for sid, c in self._by_sid.items() if c.code == code and (role is None or c.role == role)]

    def _everywhere(self, code: str) -> list[Connection]:
        if self._redis is not None:
            try:
                found = []
                for key in self._redis.scan_iter(match=f"workshop:presence:{code}:*", count=100):
                    for raw in self._redis.hvals(key):
                        data = json.loads(raw)
                        data["topics"] = tuple(data.get("topics") or ())
                        found.append(Connection(**data))
                return found
            except Exception:
                pass
        return [c for _, c in self.connections(code)]

    def participants(self, code: str) -> set[int]:
        """Participants of a workshop with a socket connected now, in any process."""
        return {c.participant_id for c in self._everywhere(code) if c.role == "participant" and c.participant_id}

    def summary(self, code: str) -> dict:
        """Phones connected (each participant once, however many tabs) and per table."""
        phones = {c.participant_id: c for c in self._everywhere(code) if c.role == "participant"}
        tables = Counter(c.table for c in phones.values() if c.table is not None)
        people: dict[str, list[str]] = {}
        for c in phones.values():
            people.setdefault(str(c.table) if c.table is not None else "", []).append(c.name or "")
        return {
            "phones": len(phones),
            "tables": {str(number): count for number, count in sorted(tables.items())},
            "people": {k: sorted(v) for k, v in people.items()},
        }


class Throttle:
    """At most one update per key and interval. The first change after a quiet interval goes at
    once; the changes that follow within the interval go together when it ends (``due``). A join
    storm of N phones then costs about one summary a second instead of N summaries of N phones."""

    def __init__(self, interval: float) -> None:
        self.interval = interval
        self._lock = threading.Lock()
        self._last: dict[str, float] = {}
        self._pending: set[str] = set()

    def hit(self, key: str, now: float) -> bool:
        """True: send now. False: a later ``due`` hands the key back."""
        with self._lock:
            last = self._last.get(key)
            if last is None or now - last >= self.interval:
                self._last[key] = now
                self._pending.discard(key)
                return True
            self._pending.add(key)
            return False

    def due(self, now: float) -> list[str]:
        """The keys whose deferred update may go now (each is counted as sent)."""
        with self._lock:
            ready = sorted(k for k in self._pending if now - self._last.get(k, 0.0) >= self.interval)
            for key in ready:
                self._pending.discard(key)
                self._last[key] = now
            return ready

    def waiting(self) -> bool:
        with self._lock:
            return bool(self._pending)


presence = Presence()
presence_updates = Throttle(PRESENCE_INTERVAL)
# Seating the newcomers of a World Café block at join: at once after a quiet interval, else
# together at its end (realtime/connections.py _seat_newcomer).
seating_updates = Throttle(PRESENCE_INTERVAL)
