"""Joining: every audience (phone, board, console) joins a workshop, enters its rooms, and is
counted in the presence; newcomers to a World Café block are seated; the socket follows its phone
when the phone changes table."""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass

from flask import current_app, request
from flask_socketio import join_room, leave_room
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from workshop import clock
from workshop.agenda.cache import agenda_cache
from workshop.agenda.read import current_block
from workshop.agenda.workshops import find_workshop, key_role
from workshop.broadcasts import Broadcast
from workshop.cafe import seating
from workshop.domain.errors import WorkshopError
from workshop.extensions import db, socketio
from workshop.live import participants as participant_service
from workshop.live.snapshot import ROLES, state_for
from workshop.models import Participant, Workshop
from workshop.openspace import writes as openspace
from workshop.realtime.broadcast import publish
from workshop.realtime.group_commit import commit_grouped
from workshop.realtime.handlers import (
    NOTHING,
    UNIQUE_RETRIES,
    event_budgets,
    handler,
    log,
    participant_of,
    strike,
    workshop_of,
)
from workshop.realtime.presence import Connection, presence, presence_updates, seating_updates
from workshop.rooms import room_for
from workshop.validation import Field

JOIN = (
    Field("code", required=True, max_length=16),
    Field("role", kind="choice", required=True, choices=ROLES),
    Field("key", max_length=200),
    Field("participant", max_length=64),
    Field("table", kind="int", max_value=999),
    Field("name", max_length=participant_service.NAME_MAX_LENGTH),
    Field("sector", max_length=64),
    Field("lang", kind="choice", choices=("fr", "en")),
    Field("scanned", kind="int", max_value=999),  # the table card the phone came from, if any
)


def _join_budget(data: dict) -> str:
    """Phones, the board and the facilitator each count against budgets of their own."""
    return "join" if data["role"] == "participant" else f"join:{data['role']}"


# Refusals of a join that are a fault of the socket: a code nobody was given, a wrong key.
_STRIKES = ("unknown_workshop", "wrong_key")


@dataclass(frozen=True)
class Joined:
    """What a join's transaction wrote and read, as plain data (it may have run in another
    handler's context, in the group commit)."""

    connection: Connection
    state: dict
    token: str | None  # the phone's participant token
    broadcasts: list[Broadcast]


@handler("join", JOIN, role=None, budget=_join_budget)
def on_join(data: dict, previous: Connection | None):
    """The phone's participant is found or made in the group commit: the joins of the same few
    milliseconds share one transaction and one fsync (realtime/group_commit.py). The socket enters
    its rooms once that transaction has committed, before anyone is told; a join that fails fails
    alone. What needs ``flask.request`` (the socket, its address, the budgets) is read here first."""
    sid, address, budgets = request.sid, request.remote_addr, event_budgets()
    try:
        joined = commit_grouped(
            lambda: _join(data, previous, address, budgets),
            atomic=data["role"] != "participant",  # the board and the console write nothing
            then=lambda joined: _enter_unless_gone(sid, previous, joined.connection),
        )
    except WorkshopError as error:
        if error.code in _STRIKES:
            strike(budgets, "join", error.code)
        raise
    code, role = joined.connection.code, joined.connection.role
    ack = {"state": joined.state}
    if role != "participant":
        ack["presence"] = _presence_for(code, role)
    if joined.token is not None:
        ack["participant"] = joined.token
    return ack, joined.broadcasts + presence_broadcasts(code, previous)


def _enter_unless_gone(sid: str, previous: Connection | None, connection: Connection) -> None:
    """A socket that left while its join was being committed is not counted as present (its
    seat would be kept for a phone that is gone)."""
    if socketio.server.manager.is_connected(sid, "/"):
        enter_rooms(sid, previous, connection)


def _join(data: dict, previous: Connection | None, address: str | None, budgets) -> Joined:
    """The join's write and what it reads (a grouped job: no ``flask.request`` here)."""
    workshop = find_workshop(data["code"])
    now = clock.now()
    role = data["role"]
    participant = None
    if role == "facilitator":
        right = budgets.check_key(address, lambda: key_role(workshop, data["key"]) == "facilitator")
        if right is None:
            raise WorkshopError("rate_limited")
        if not right:
            raise WorkshopError("wrong_key")
    own = previous.own_participant if previous is not None else None
    broadcasts = []
    if role == "participant":
        participant = participant_service.join(
            workshop,
            now,
            token=data["participant"],
            name=data["name"],
            sector=data["sector"],
            table=data["table"],
            own=own,
            may_create=lambda: budgets.allow_new_participant(address),
        )
        if own is None and participant.token != data["participant"]:
            own = participant.id  # made by this socket: the only one it will ever make
        # A walk-in who scanned a card is planned at that table if it has room (then sits there).
        prefer = {participant.id: data["scanned"]} if data["scanned"] is not None else None
        broadcasts = _seat_newcomer(workshop, now, prefer)
    reading = openspace.read(workshop)
    connection = Connection(
        workshop_id=workshop.id,
        code=workshop.code,
        role=role,
        participant_id=participant.id if participant else None,
        name=participant.name if participant else None,
        table=participant.table_number if participant else None,
        language=data["lang"] or workshop.language,
        topics=tuple(openspace.my_topics(workshop, participant, reading)) if participant else (),
        own_participant=own,
    )
    state = state_for(workshop, role, now, participant, reading)
    return Joined(connection, state, participant.token if participant else None, broadcasts)


def enter_rooms(sid: str, previous: Connection | None, connection: Connection) -> None:
    if previous is not None:
        for room in _rooms(previous):
            leave_room(room, sid=sid, namespace="/")
    for room in _rooms(connection):
        join_room(room, sid=sid, namespace="/")
    presence.set(sid, connection)


def _seat_newcomer(workshop: Workshop, now, prefer: dict[int, int] | None) -> list[Broadcast]:
    """A phone joins a World Café block: newcomers get a seat (``seating.follow``). The first join
    after a quiet second is seated at once; during a join storm the joins of the same second are
    seated together when it ends (one pass over the room instead of one per join), and each
    phone is told its table by ``table:seated`` / ``table:move`` as before."""
    block = agenda_cache.facts(workshop.id).current_block
    if block is None or not block.is_world_cafe:
        return []
    if seating_updates.hit(workshop.code, time.monotonic()):
        return seating.follow(workshop, current_block(workshop), now, prefer=prefer)
    with _flusher_lock:
        _app, waiting = _waiting_seats.setdefault(workshop.code, (current_app._get_current_object(), {}))
        waiting.update(prefer or {})
    _start_presence_flusher()
    return []


def _seat_waiting(code: str) -> None:
    """The joins deferred by ``_seat_newcomer``: seated in one pass, in the group commit; their
    sockets enter their table's room once it committed. The joins committed before it have
    entered their rooms by then (``then`` steps run in the batch's order), so none is missed."""
    with _flusher_lock:
        waiting = _waiting_seats.pop(code, None)
    if waiting is None:
        return
    app, prefer = waiting

    def seat() -> list[Broadcast]:
        workshop = find_workshop(code)
        return seating.follow(workshop, current_block(workshop), clock.now(), prefer=prefer or None)

    with app.app_context():
        try:
            for attempt in range(1, UNIQUE_RETRIES + 1):
                try:
                    broadcasts = commit_grouped(seat, then=lambda _: _follow_new_seats(code))
                    break
                except IntegrityError:  # a join's own pass seated someone meanwhile: again
                    db.session.rollback()
                    if attempt == UNIQUE_RETRIES:
                        raise
        finally:
            db.session.remove()
    publish(broadcasts)


def _follow_new_seats(code: str) -> None:
    """Sockets of phones without a table whose participant now has one join its room."""
    waiting = {c.participant_id: (sid, c) for sid, c in presence.connections(code, "participant") if c.table is None}
    if not waiting:
        return
    rows = db.session.execute(
        select(Participant.id, Participant.table_number).where(Participant.id.in_(list(waiting)))
    ).all()
    for participant_id, table in rows:
        if table is not None:
            sid, connection = waiting[participant_id]
            enter_rooms(sid, connection, Connection(**{**connection.__dict__, "table": table}))


def _rooms(connection: Connection) -> list[str]:
    code = connection.code
    rooms = [room_for(code, "all")]
    if connection.role in ("board", "facilitator"):
        rooms.append(room_for(code, connection.role))
    if connection.participant_id is not None:
        rooms.append(room_for(code, "participant", connection.participant_id))
        if connection.table is not None:
            rooms.append(room_for(code, "table", connection.table))
        rooms.extend(room_for(code, "topic", topic) for topic in connection.topics)
    return rooms


def _presence_for(code: str, role: str) -> dict:
    """The board sees counts; the facilitator also sees who sits where."""
    summary = presence.summary(code)
    if role == "facilitator":
        return summary
    return {"phones": summary["phones"], "tables": summary["tables"]}


def _presence_now(code: str) -> list[Broadcast]:
    return [
        Broadcast("presence:updated", _presence_for(code, role), (room_for(code, role),))
        for role in ("board", "facilitator")
    ]


def presence_broadcasts(code: str, previous: Connection | None = None) -> list[Broadcast]:
    """The presence of the workshops concerned, now or, within a busy second, a little later."""
    codes = sorted({code} | ({previous.code} if previous is not None else set()))
    now = time.monotonic()
    due_now = [each for each in codes if presence_updates.hit(each, now)]
    if len(due_now) < len(codes):
        _start_presence_flusher()
    return [b for each in due_now for b in _presence_now(each)]


_flusher_lock = threading.Lock()


_flusher_started = False


# Workshop code -> (its app, the scanned cards of the deferred joins).
_waiting_seats: dict[str, tuple] = {}


def _start_presence_flusher() -> None:
    """One background task per process sends the deferred presence updates and seats the
    deferred joins."""
    global _flusher_started
    with _flusher_lock:
        if _flusher_started:
            return
        _flusher_started = True
    socketio.start_background_task(_flush_presence)


def _flush_presence() -> None:
    while True:
        socketio.sleep(max(0.05, min(presence_updates.interval, seating_updates.interval) / 4))
        now = time.monotonic()
        for code in seating_updates.due(now):
            try:
                _seat_waiting(code)
            except Exception:  # never let the loop die: the next join seats them
                log.exception("seating the joins of %s failed", code)
        try:
            for code in presence_updates.due(now):
                publish(_presence_now(code))
        except Exception:  # never let the loop die: the next tick tries again
            log.exception("presence update failed")


@socketio.on("disconnect")
def on_disconnect(reason=None):
    connection = presence.drop(request.sid)
    if connection is not None and connection.role == "participant":
        _seen(connection.participant_id)
        publish(presence_broadcasts(connection.code))


def _seen(participant_id: int | None) -> None:
    """The phone's seat is kept for PRESENT_SECONDS from its last socket's departure."""
    if participant_id is None:
        return
    try:
        participant_service.seen(participant_id, clock.now())
        db.session.commit()
    except Exception:  # the database away: the seat is freed a little earlier, nothing is lost
        db.session.rollback()
        log.warning("could not record when participant %s left", participant_id)


@handler("state:get", NOTHING)
def on_state(data: dict, connection: Connection):
    workshop = workshop_of(connection)
    participant = participant_of(connection) if connection.participant_id is not None else None
    return {"state": state_for(workshop, connection.role, clock.now(), participant)}, []


@handler("heartbeat", NOTHING, role=None)
def on_heartbeat(data: dict, previous: Connection | None):
    """A liveness probe for the board: answered without touching the database."""
    return {"now": clock.iso(clock.now())}, []


def follow_moves(workshop: Workshop) -> None:
    """Sockets of phones the facilitator moved join their new table's room."""
    for sid, connection in presence.connections(workshop.code, role="participant"):
        participant = db.session.get(Participant, connection.participant_id)
        if participant is not None and participant.table_number != connection.table:
            enter_rooms(sid, connection, Connection(**{**connection.__dict__, "table": participant.table_number}))
