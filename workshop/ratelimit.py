"""Rate limits: one set of budgets for HTTP forms (Flask-Limiter) and Socket.IO events (limits).

Budgets count per participant (a flooding phone is stopped, not its neighbours) and, more
generously, per address (phones behind one venue NAT share it). With several processes the
counters live in the message queue's Redis, so the budget is the same wherever a phone lands.
"""
from __future__ import annotations

from flask import Flask, request
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from limits import parse, storage, strategies

# event -> [(who, budget)]; "participant" falls back to the socket when nobody has joined yet.
DEFAULT_BUDGETS: dict[str, list[tuple[str, str]]] = {
    "join": [("socket", "30/minute"), ("address", "1200/minute")],
    "note:post": [("participant", "60/minute"), ("address", "3000/minute")],
    "report:post": [("participant", "60/minute"), ("address", "3000/minute")],
    "harvest:post": [("participant", "60/minute"), ("address", "3000/minute")],
    "topic:propose": [("participant", "20/minute"), ("address", "600/minute")],
    "vote:cast": [("participant", "60/minute"), ("address", "3000/minute")],
    "*": [("participant", "300/minute"), ("address", "6000/minute")],
}
HTTP_POST_BUDGET = "600/minute"  # per address, every form
KEY_FORM_BUDGET = "20/minute"  # per address, the facilitator key form (guessing keys)

limiter = Limiter(key_func=get_remote_address, default_limits=[], headers_enabled=False)


class EventBudgets:
    def __init__(self, storage_uri: str, budgets: dict[str, list[tuple[str, str]]]):
        self.window = strategies.MovingWindowRateLimiter(storage.storage_from_string(storage_uri))
        self.budgets = {event: [(who, parse(limit)) for who, limit in rules] for event, rules in budgets.items()}

    def allow(self, event: str, participant: int | None, sid: str, address: str | None) -> bool:
        keys = {"participant": f"p{participant}" if participant else f"s{sid}", "socket": f"s{sid}", "address": address or "?"}
        rules = self.budgets.get(event, self.budgets["*"])
        # Every rule is checked before any is counted, so a refused event spends no budget.
        if not all(self.window.test(limit, event, who, keys[who]) for who, limit in rules):
            return False
        for who, limit in rules:
            self.window.hit(limit, event, who, keys[who])
        return True


def init_app(app: Flask) -> None:
    uri = app.config.get("WORKSHOP_RATE_LIMIT_STORAGE") or _storage_uri(app.config.get("WORKSHOP_MESSAGE_QUEUE"))
    app.config.setdefault("RATELIMIT_STORAGE_URI", uri)
    app.config.setdefault("RATELIMIT_DEFAULT", None)
    limiter.init_app(app)
    app.extensions["event_budgets"] = EventBudgets(uri, app.config.get("WORKSHOP_RATE_LIMITS") or DEFAULT_BUDGETS)


def _storage_uri(message_queue: str | None) -> str:
    if message_queue and message_queue.startswith(("redis://", "rediss://")):
        return message_queue
    return "memory://"


def limit_forms(app: Flask) -> None:
    """Every form post gets the per-address budget; the key form a tight one."""
    for endpoint, view in list(app.view_functions.items()):
        if endpoint == "facilitate.enter_key":
            app.view_functions[endpoint] = limiter.limit(KEY_FORM_BUDGET, methods=["POST"])(view)
        elif not endpoint.startswith(("static", "health", "vendor")):
            app.view_functions[endpoint] = limiter.limit(HTTP_POST_BUDGET, methods=["POST"])(view)


def remote_address() -> str | None:
    return request.remote_addr
