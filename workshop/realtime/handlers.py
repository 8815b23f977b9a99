"""The one way a Socket.IO event is handled (default namespace): every client call is
acknowledged, ``{"ok": true, ...}`` or ``{"ok": false, "error": {"code", "message"}}``; the payload is
validated, the budgets spent, the role checked, the write committed, then published. See
docs/protocol.md. Each feature's ``events.py`` registers its handlers with ``handler``.
"""

from __future__ import annotations

import functools
import logging
import random
import time

from flask import current_app, request
from flask_babel import force_locale
from flask_socketio import disconnect
from sqlalchemy.exc import IntegrityError

from workshop.broadcasts import Broadcast
from workshop.domain.errors import WorkshopError
from workshop.domain.notes import note_text
from workshop.extensions import db, socketio
from workshop.messages import error_payload
from workshop.models import Participant, Workshop
from workshop.realtime.broadcast import publish
from workshop.realtime.group_commit import group_commit_for
from workshop.realtime.presence import Connection, presence
from workshop.validation import Field, validate

log = logging.getLogger(__name__)


refusals = logging.getLogger("workshop.refusals")  # one line per socket disconnected, rate-limited (guard.py)


# ``version``: the round's version as the console saw it; the same press twice is one change.
VERSION = Field("version", kind="int", min_value=0, max_value=1_000_000_000)


BLOCK_REF = (Field("block", kind="int", required=True),)


NOTHING: tuple[Field, ...] = ()


def handler(
    event: str,
    schema: tuple[Field, ...],
    role: str | None = "any",
    budget=None,
    check=None,
    grouped: bool = False,
    atomic=False,
):
    """Registers an acknowledged handler: validates the payload, checks the budgets and the role,
    commits, publishes.

    The wrapped function gets (data, connection) and returns (ack_fields, broadcasts).
    An invalid payload is refused before it counts against anyone's budget but the socket's own
    (the venue's address is shared by the whole room); a socket with too many faults of its own is
    disconnected. ``budget(data)`` names the budget to count against (default: the event's);
    ``check(data)`` refuses what no state of the workshop would accept (an empty note), as the
    schema does. ``grouped``: a write of the hot path, committed with the others of the same few
    milliseconds (the function must not read ``flask.request``: it may run in another handler's
    context). ``atomic`` (or ``atomic(data)``): it writes one statement at most, after its checks (no
    savepoint needed). ``join`` hands its write to the group commit itself (``commit_grouped``): it
    reads the request before, and enters its rooms once the write is committed.
    """

    def decorate(function):
        @functools.wraps(function)
        def run(payload=None):
            connection = presence.get(request.sid)
            with force_locale(language_of(connection, payload)):
                try:
                    budgets = event_budgets()
                    try:
                        data = validate(payload, schema)
                        if check is not None:
                            check(data)
                    except WorkshopError as error:
                        strike(budgets, event, error.code)
                        raise
                    participant = connection.participant_id if connection is not None else None
                    name = budget(data) if budget is not None else event
                    refused_by = budgets.refused_by(name, participant, request.sid, request.remote_addr)
                    if refused_by is not None:
                        if refused_by != "address":  # its own budget overrun: a fault of this socket
                            strike(budgets, event, "rate_limited")
                        raise WorkshopError("rate_limited")
                    if role is not None:
                        if connection is None:
                            raise WorkshopError("not_joined")
                        if role != "any" and connection.role != role:
                            raise WorkshopError("forbidden")
                    committer = group_commit_for(current_app) if grouped else None
                    if committer is not None:
                        # Shares a transaction and its fsync with the writes of the same few ms;
                        # returns once they are committed (realtime/group_commit.py).
                        ack, broadcasts = committer.submit(
                            functools.partial(function, data, connection), atomic(data) if callable(atomic) else atomic
                        )
                    else:
                        ack, broadcasts = commit_with_retries(function, data, connection)
                except WorkshopError as error:
                    db.session.rollback()
                    return error_payload(error)
                except Exception:
                    db.session.rollback()
                    log.exception("%s failed", event)
                    return error_payload(WorkshopError("internal"))
            publish(broadcasts)
            return {"ok": True} | ack

        socketio.on_event(event, run)
        return run

    return decorate


UNIQUE_RETRIES = 5


def commit_with_retries(function, data: dict, connection: Connection | None):
    """Runs and commits; a unique key raced by a concurrent writer (the same client id sent
    twice, or two joins seating the same newcomers on PostgreSQL) is tried again: the next try
    finds the other's rows stored."""
    for attempt in range(1, UNIQUE_RETRIES + 1):
        try:
            result = function(data, connection)
            db.session.commit()
            return result
        except IntegrityError:
            db.session.rollback()
            if attempt == UNIQUE_RETRIES:
                raise
            time.sleep(random.uniform(0, 0.005 * attempt))  # cooperative under gevent
    raise AssertionError("unreachable")


def check_note_text(data: dict) -> None:
    note_text(data["text"])  # empty or too long: refused before it counts against the room


def strike(budgets, event: str, code: str) -> None:
    """One fault of this socket; past its budget it is disconnected (one line in the log)."""
    if budgets.strike(request.sid):
        return
    refusals.warning(
        "disconnected socket %s from %s: too many refused %s (%s)", request.sid, request.remote_addr, event, code
    )
    disconnect(request.sid)


def language_of(connection: Connection | None, payload: object) -> str:
    if connection is not None and connection.language:
        return connection.language
    if isinstance(payload, dict) and payload.get("lang") in ("fr", "en"):
        return payload["lang"]
    return "fr"


def workshop_of(connection: Connection) -> Workshop:
    workshop = db.session.get(Workshop, connection.workshop_id)
    if workshop is None:
        raise WorkshopError("unknown_workshop")
    return workshop


def participant_of(connection: Connection) -> Participant:
    participant = db.session.get(Participant, connection.participant_id)
    if participant is None:
        raise WorkshopError("not_joined")
    return participant


def event_budgets():
    return current_app.extensions["event_budgets"]


def payload_of(broadcasts: list[Broadcast], event: str) -> dict:
    """The payload of the last broadcast of this event (what the acting client is told too)."""
    return next(b.payload for b in reversed(broadcasts) if b.event == event)
