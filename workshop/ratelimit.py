"""Rate limits: one set of budgets for HTTP forms (Flask-Limiter) and Socket.IO events (limits).

Budgets count per participant (a flooding phone is stopped, not its neighbours) and, more
generously, per address (phones behind one venue NAT share it). With several processes the
counters live in the message queue's Redis, so the budget is the same wherever a phone lands.
"""

from __future__ import annotations

import threading
import time

from flask import Flask, current_app, request
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from limits import RateLimitItem, parse

# event -> [(who, budget)]; "participant" falls back to the socket when nobody has joined yet.
# The per-address budgets are sized for the app's scale target, 2,000 phones behind one venue NAT
# (docs/security.md, "Flooding"): every phone joining twice in the first minute, posting a note each
# in the same minute, with room to spare. One phone's own budget stays tight.
DEFAULT_BUDGETS: dict[str, list[tuple[str, str]]] = {
    "join": [("socket", "30/minute"), ("address", "12000/minute")],
    # The board and the facilitator: a budget of their own, so a flood of phone joins from the
    # venue's address never keeps the projector or the console out.
    "join:board": [("socket", "30/minute"), ("address", "1200/minute")],
    "join:facilitator": [("socket", "30/minute"), ("address", "1200/minute")],
    "note:post": [("participant", "60/minute"), ("address", "12000/minute")],
    "report:post": [("participant", "60/minute"), ("address", "12000/minute")],
    "harvest:post": [("participant", "60/minute"), ("address", "12000/minute")],
    "topic:propose": [("participant", "20/minute"), ("address", "2400/minute")],
    "vote:cast": [("participant", "60/minute"), ("address", "12000/minute")],
    "*": [("participant", "300/minute"), ("address", "24000/minute")],
}
# New participants per address: a venue of 2,000 phones behind one NAT joins within a few minutes;
# a script making ghosts is stopped long before it fills the room's tables.
NEW_PARTICIPANT_BUDGET = [("address", "2500/minute"), ("address", "10000/hour")]
# A socket's own faults (an invalid payload, its own budget overrun): past this it is disconnected.
STRIKE_BUDGET = [("socket", "20/minute")]
# Wrong keys per address, wherever a key is checked (console, curation, plan, results, agenda,
# socket joins): past this, every key from that address is refused for the rest of the minute.
KEY_BUDGET = [("address", "30/minute")]
HTTP_POST_BUDGET = "600/minute"  # per address, every form
KEY_FORM_BUDGET = "20/minute"  # per address, the key forms (guessing keys)
KEY_FORMS = ("facilitate.enter_key", "design.enter_key", "home.enter_key", "results.enter_key")

limiter = Limiter(key_func=get_remote_address, default_limits=[], headers_enabled=False)


class LocalWindows:
    """Fixed one-window counters in a dict, for one process: no timer thread walking every key
    (the limits library's memory store took a third of the CPU at 1,000 phones)."""

    def __init__(self) -> None:
        self._counts: dict[tuple, int] = {}
        self._lock = threading.Lock()
        self._window_of_last_sweep = 0

    def test_and_hit(self, checks: list[tuple[RateLimitItem, tuple]], now: float) -> bool:
        return self.refused_by(checks, now) is None

    def exhausted(self, checks: list[tuple[RateLimitItem, tuple]], now: float) -> bool:
        """Whether one of the budgets is spent (nothing counted)."""
        with self._lock:
            return any(self._counts.get(key, 0) >= limit.amount for limit, key in self._keys(checks, now))

    @staticmethod
    def _keys(checks, now):
        keys = []
        for limit, key in checks:
            expiry = limit.get_expiry()
            keys.append((limit, (*key, expiry, int(now // expiry))))
        return keys

    def refused_by(self, checks: list[tuple[RateLimitItem, tuple]], now: float) -> int | None:
        """Counts one hit on every budget, or none: then returns the index of the spent one."""
        with self._lock:
            keys = self._keys(checks, now)
            for index, (limit, key) in enumerate(keys):
                if self._counts.get(key, 0) >= limit.amount:
                    return index
            for _limit, key in keys:
                self._counts[key] = self._counts.get(key, 0) + 1
            minute = int(now // 60)
            if minute != self._window_of_last_sweep:  # past windows are forgotten once a minute
                self._window_of_last_sweep = minute
                for key in [k for k in self._counts if k[-1] < int(now // k[-2])]:
                    del self._counts[key]
            return None


class RedisWindows:
    """The same fixed windows, shared by every process through Redis: every counter of an event
    read in one MGET, counted in one pipeline (the limits library's test and hit cost one round
    trip per rule and per step). With Redis away the event is let through: a restart of the queue
    must not stop the phones' notes."""

    PREFIX = "workshop:budget"

    def __init__(self, client) -> None:
        self.client = client

    def test_and_hit(self, checks: list[tuple[RateLimitItem, tuple]], now: float) -> bool:
        return self.refused_by(checks, now) is None

    def _keys(self, checks, now):
        keys = []
        for limit, key in checks:
            expiry = limit.get_expiry()
            keys.append((limit, ":".join((self.PREFIX, *map(str, key), str(expiry), str(int(now // expiry)))), expiry))
        return keys

    def exhausted(self, checks: list[tuple[RateLimitItem, tuple]], now: float) -> bool:
        keys = self._keys(checks, now)
        try:
            counts = self.client.mget([key for _, key, _ in keys])
        except Exception:
            return False
        return any(int(count or 0) >= limit.amount for (limit, _, _), count in zip(keys, counts))

    def refused_by(self, checks: list[tuple[RateLimitItem, tuple]], now: float) -> int | None:
        keys = self._keys(checks, now)
        try:
            counts = self.client.mget([key for _, key, _ in keys])
            for index, ((limit, _, _), count) in enumerate(zip(keys, counts)):
                if int(count or 0) >= limit.amount:
                    return index
            pipe = self.client.pipeline(transaction=False)
            for _limit, key, expiry in keys:
                pipe.incr(key)
                pipe.expire(key, expiry + 1)
            pipe.execute()
        except Exception:  # redis.RedisError, OSError: count nothing rather than refuse everything
            return None
        return None


class EventBudgets:
    def __init__(self, storage_uri: str, budgets: dict[str, list[tuple[str, str]]]):
        if storage_uri.startswith("memory://"):
            self.windows = LocalWindows()
        else:
            import redis

            self.windows = RedisWindows(redis.Redis.from_url(storage_uri, socket_timeout=2, socket_connect_timeout=2))
        self.budgets = {event: [(who, parse(limit)) for who, limit in rules] for event, rules in budgets.items()}
        for name, rules in (
            ("participant:new", NEW_PARTICIPANT_BUDGET),
            ("strike", STRIKE_BUDGET),
            ("key", KEY_BUDGET),
        ):
            self.budgets.setdefault(name, [(who, parse(limit)) for who, limit in rules])

    def refused_by(self, event: str, participant: int | None, sid: str, address: str | None) -> str | None:
        """Counts the event; None when allowed, else who ran out ("participant", "socket", "address")."""
        keys = {
            "participant": f"p{participant}" if participant else f"s{sid}",
            "socket": f"s{sid}",
            "address": address or "?",
        }
        rules = self.budgets.get(event, self.budgets["*"])
        index = self.windows.refused_by([(limit, (event, who, keys[who])) for who, limit in rules], time.time())
        return None if index is None else rules[index][0]

    def allow(self, event: str, participant: int | None, sid: str, address: str | None) -> bool:
        return self.refused_by(event, participant, sid, address) is None

    def strike(self, sid: str) -> bool:
        """A fault of this socket; False once it has had too many (then it is disconnected)."""
        return self.allow("strike", None, sid, None)

    def check_key(self, address: str | None, check) -> bool | None:
        """Runs ``check()`` (is the key right?) within the address's budget of wrong keys:
        None when that budget is spent (nothing checked), else the check's answer."""
        rules = [(limit, ("key", who, address or "?")) for who, limit in self.budgets["key"]]
        now = time.time()
        if self.windows.exhausted(rules, now):
            return None
        right = bool(check())
        if not right:
            self.windows.test_and_hit(rules, now)
        return right

    def allow_new_participant(self, address: str | None) -> bool:
        """One more participant made from this address (socket join or phone form)."""
        rules = self.budgets["participant:new"]
        return self.windows.test_and_hit(
            [(limit, ("participant:new", str(limit), address or "?")) for _, limit in rules], time.time()
        )


def init_app(app: Flask) -> None:
    uri = app.config.get("WORKSHOP_RATE_LIMIT_STORAGE") or _storage_uri(app.config.get("WORKSHOP_MESSAGE_QUEUE"))
    app.config.setdefault("RATELIMIT_STORAGE_URI", uri)
    app.config.setdefault("RATELIMIT_DEFAULT", None)
    # A form's budget over the last minute, whenever it started: no budget refills all at once
    # when a clock minute turns over (a flood straddling it got twice its budget).
    app.config.setdefault("RATELIMIT_STRATEGY", "moving-window")
    limiter.init_app(app)
    app.extensions["event_budgets"] = EventBudgets(uri, app.config.get("WORKSHOP_RATE_LIMITS") or DEFAULT_BUDGETS)


def _storage_uri(message_queue: str | None) -> str:
    if message_queue and message_queue.startswith(("redis://", "rediss://")):
        return message_queue
    return "memory://"


def limit_forms(app: Flask) -> None:
    """Every form post gets the per-address budget; the key form a tight one."""
    for endpoint, view in list(app.view_functions.items()):
        if endpoint in KEY_FORMS:
            app.view_functions[endpoint] = limiter.limit(KEY_FORM_BUDGET, methods=["POST"])(view)
        elif not endpoint.startswith(("static", "health", "vendor")):
            app.view_functions[endpoint] = limiter.limit(HTTP_POST_BUDGET, methods=["POST"])(view)


def remote_address() -> str | None:
    return request.remote_addr


def check_key(check) -> bool | None:
    """A key presented with this request (query, form, Bearer, socket join), within the address's
    budget of wrong keys: None when that budget is spent."""
    return current_app.extensions["event_budgets"].check_key(request.remote_addr, check)
