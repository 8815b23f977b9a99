"""Socket.IO handlers (default namespace). Every client call is acknowledged:
``{"ok": true, ...}`` or ``{"ok": false, "error": {"code", "message"}}``. See docs/protocol.md.
"""

from __future__ import annotations

import functools
import logging
import random
import threading
import time
import uuid

from flask import current_app, request
from flask_babel import force_locale
from flask_socketio import disconnect, join_room, leave_room
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from workshop import clock
from workshop.agenda.read import current_block
from workshop.agenda.workshops import find_workshop, key_role
from workshop.broadcasts import Broadcast
from workshop.cafe import seating
from workshop.cafe import writes as cafe
from workshop.curation import writes as curation
from workshop.domain.errors import WorkshopError
from workshop.domain.notes import NOTE_MAX_LENGTH, note_text
from workshop.domain.openspace import REPORT_TAGS, TOPIC_DESCRIPTION_MAX, TOPIC_TITLE_MAX
from workshop.extensions import db, socketio
from workshop.i18n import venue_zone
from workshop.live import flow, modes, terms
from workshop.live import notes as note_service
from workshop.live import participants as participant_service
from workshop.live import rounds as round_service
from workshop.live.serialize import note_json, round_json
from workshop.live.snapshot import ROLES, state_for
from workshop.messages import error_payload
from workshop.models import Participant, Workshop
from workshop.openspace import writes as openspace
from workshop.realtime.broadcast import publish
from workshop.realtime.group_commit import group_commit_for
from workshop.realtime.presence import Connection, presence, presence_updates, seating_updates
from workshop.rooms import room_for
from workshop.validation import Field, validate

log = logging.getLogger(__name__)
refusals = logging.getLogger("workshop.refusals")  # one line per socket disconnected, rate-limited (guard.py)

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
NOTE_POST = (
    Field("id", kind="uuid", required=True),
    Field("text", kind="text", required=True, max_length=NOTE_MAX_LENGTH),
    Field("round", kind="int"),
    Field("table", kind="int", max_value=999),
    Field("topic", kind="uuid"),
    Field("color", max_length=16),
    Field("tag", kind="choice", choices=REPORT_TAGS),
    Field("owner", max_length=openspace.OWNER_MAX_LENGTH),
    Field("due", kind="date"),
)
# ``version``: the round's version as the console saw it; the same press twice is one change.
VERSION = Field("version", kind="int", min_value=0, max_value=1_000_000_000)
ROUND = (Field("round", kind="int", required=True), VERSION)
ROUND_EXTEND = (Field("round", kind="int", required=True), Field("minutes", kind="int", max_value=240), VERSION)
ROUND_END = (Field("round", kind="int", required=True), Field("ends_at", required=True, max_length=40), VERSION)
NOTE_REF = (Field("note", kind="uuid", required=True),)
ROUND_SETTINGS = (
    Field("round", kind="int", required=True),
    Field("reveal", kind="bool"),
    Field("moderated", kind="bool"),
    Field("anonymous", kind="bool"),
)
NOTES_REVEAL = (Field("round", kind="int", required=True), Field("table", kind="int", max_value=999))
ROUND_REF = (Field("round", kind="int", required=True),)
BLOCK_REF = (Field("block", kind="int", required=True),)
BLOCK_NEXT = (Field("from", kind="int"),)  # the block the console showed: pressed twice, one step
BOARD_VIEW = (Field("view", kind="choice", required=True, choices=curation.BOARD_VIEWS),)
TERMS_GET = (Field("block", kind="int"), Field("round", kind="int"))
TABLE_REF = (Field("table", kind="int", required=True, max_value=999),)
HOST_ASSIGN = (Field("table", kind="int", required=True, max_value=999), Field("participant", kind="int"))
PARTICIPANT_MOVE = (
    Field("participant", kind="int", required=True),
    Field("table", kind="int", required=True, max_value=999),
)
PARTICIPANT_REF = (Field("participant", kind="int", required=True),)
NOTE_STAR = (Field("note", kind="uuid", required=True), Field("starred", kind="bool"))
HARVEST_POST = (
    Field("id", kind="uuid", required=True),
    Field("text", kind="text", required=True, max_length=NOTE_MAX_LENGTH),
    Field("table", kind="int", max_value=999),
)
THEME_CREATE = (Field("title", required=True, max_length=200), Field("notes", kind="uuid_list"))
THEME_UPDATE = (
    Field("theme", kind="int", required=True),
    Field("title", max_length=200),
    Field("position", kind="int", min_value=0, max_value=10_000),
)
THEME_REF = (Field("theme", kind="int", required=True),)
NOTES_GROUP = (Field("notes", kind="uuid_list", required=True), Field("theme", kind="int"))
SECTION_CREATE = (Field("title", required=True, max_length=200), Field("intro", kind="text", max_length=10_000))
SECTION_UPDATE = (
    Field("section", kind="int", required=True),
    Field("title", max_length=200),
    Field("intro", kind="text", max_length=10_000),
    Field("position", kind="int", min_value=0, max_value=10_000),
)
SECTION_REF = (Field("section", kind="int", required=True),)
SECTION_FILE = (Field("section", kind="int"), Field("themes", kind="int_list"), Field("notes", kind="uuid_list"))
TOPIC_PROPOSE = (
    Field("id", kind="uuid", required=True),
    Field("title", required=True, max_length=TOPIC_TITLE_MAX),
    Field("convener", max_length=participant_service.NAME_MAX_LENGTH),
    Field("description", max_length=TOPIC_DESCRIPTION_MAX),
)
TOPIC_RENAME = (
    Field("topic", kind="uuid", required=True),
    Field("title", max_length=TOPIC_TITLE_MAX),
    Field("description", max_length=TOPIC_DESCRIPTION_MAX),
)
TOPIC_REF = (Field("topic", kind="uuid", required=True),)
TOPIC_SCHEDULE = (
    Field("topic", kind="uuid", required=True),
    Field("slot", required=True, max_length=64),
    Field("space", required=True, max_length=64),
)
TOPIC_ATTEND = (Field("topic", kind="uuid"),)
WALL_UPDATE = (
    Field("block", kind="int", required=True),
    Field(
        "slots",
        kind="object_list",
        required=True,
        max_items=48,
        items=(Field("id", required=True, max_length=64), Field("label", required=True, max_length=100)),
    ),
    Field(
        "spaces",
        kind="object_list",
        required=True,
        max_items=100,
        items=(Field("id", required=True, max_length=64), Field("name", required=True, max_length=100)),
    ),
)
REPORT_POST = (
    Field("id", kind="uuid", required=True),
    Field("topic", kind="uuid", required=True),
    Field("text", kind="text", required=True, max_length=NOTE_MAX_LENGTH),
    Field("tag", kind="choice", choices=REPORT_TAGS),
    Field("owner", max_length=60),
    Field("due", kind="date"),
    Field("color", max_length=16),
)
VOTE_OPEN = (
    Field("block", kind="int", required=True),
    Field("dots", kind="int", max_value=50),
    Field("top", kind="int", max_value=100),
)
VOTE_CAST = (
    Field("target", kind="choice", required=True, choices=("topic", "note")),
    Field("id", kind="uuid", required=True),
    Field("dot", kind="uuid"),
)
VOTE_WITHDRAW = (
    Field("target", kind="choice", required=True, choices=("topic", "note")),
    Field("id", kind="uuid", required=True),
)
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
    savepoint needed).
    """

    def decorate(function):
        @functools.wraps(function)
        def run(payload=None):
            connection = presence.get(request.sid)
            with force_locale(_language(connection, payload)):
                try:
                    budgets = _budgets()
                    try:
                        data = validate(payload, schema)
                        if check is not None:
                            check(data)
                    except WorkshopError as error:
                        _strike(budgets, event, error.code)
                        raise
                    participant = connection.participant_id if connection is not None else None
                    name = budget(data) if budget is not None else event
                    refused_by = budgets.refused_by(name, participant, request.sid, request.remote_addr)
                    if refused_by is not None:
                        if refused_by != "address":  # its own budget overrun: a fault of this socket
                            _strike(budgets, event, "rate_limited")
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
                        ack, broadcasts = _commit_with_retries(function, data, connection)
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


def _commit_with_retries(function, data: dict, connection: Connection | None):
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


def _note_text(data: dict) -> None:
    note_text(data["text"])  # empty or too long: refused before it counts against the room


def _strike(budgets, event: str, code: str) -> None:
    """One fault of this socket; past its budget it is disconnected (one line in the log)."""
    if budgets.strike(request.sid):
        return
    refusals.warning(
        "disconnected socket %s from %s: too many refused %s (%s)", request.sid, request.remote_addr, event, code
    )
    disconnect(request.sid)


def _language(connection: Connection | None, payload: object) -> str:
    if connection is not None and connection.language:
        return connection.language
    if isinstance(payload, dict) and payload.get("lang") in ("fr", "en"):
        return payload["lang"]
    return "fr"


def _workshop(connection: Connection) -> Workshop:
    workshop = db.session.get(Workshop, connection.workshop_id)
    if workshop is None:
        raise WorkshopError("unknown_workshop")
    return workshop


def _participant(connection: Connection) -> Participant:
    participant = db.session.get(Participant, connection.participant_id)
    if participant is None:
        raise WorkshopError("not_joined")
    return participant


def _join_budget(data: dict) -> str:
    """Phones, the board and the facilitator each count against budgets of their own."""
    return "join" if data["role"] == "participant" else f"join:{data['role']}"


@handler("join", JOIN, role=None, budget=_join_budget)
def on_join(data: dict, previous: Connection | None):
    budgets = _budgets()
    try:
        workshop = find_workshop(data["code"])
    except WorkshopError as error:  # a code nobody was given: a fault of this socket
        _strike(budgets, "join", error.code)
        raise
    now = clock.now()
    role = data["role"]
    language = data["lang"] or workshop.language
    participant = None
    if role == "facilitator":
        right = budgets.check_key(request.remote_addr, lambda: key_role(workshop, data["key"]) == "facilitator")
        if right is None:
            raise WorkshopError("rate_limited")
        if not right:
            _strike(budgets, "join", "wrong_key")
            raise WorkshopError("wrong_key")
    own = previous.own_participant if previous is not None else None
    if role == "participant":
        participant = participant_service.join(
            workshop,
            now,
            token=data["participant"],
            name=data["name"],
            sector=data["sector"],
            table=data["table"],
            own=own,
            may_create=lambda: _budgets().allow_new_participant(request.remote_addr),
        )
        if own is None and participant.token != data["participant"]:
            own = participant.id  # made by this socket: the only one it will ever make
    broadcasts = []
    if participant is not None:
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
        language=language,
        topics=tuple(openspace.my_topics(workshop, participant, reading)) if participant else (),
        own_participant=own,
    )
    _enter_rooms(request.sid, previous, connection)
    ack = {"state": state_for(workshop, role, now, participant, reading)}
    if role != "participant":
        ack["presence"] = _presence_for(workshop.code, role)
    if participant is not None:
        ack["participant"] = participant.token
    return ack, broadcasts + _presence_broadcasts(workshop.code, previous)


def _enter_rooms(sid: str, previous: Connection | None, connection: Connection) -> None:
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
    block = current_block(workshop)
    if block is None or not block.is_world_cafe:
        return []
    if seating_updates.hit(workshop.code, time.monotonic()):
        return seating.follow(workshop, block, now, prefer=prefer)
    with _flusher_lock:
        _app, waiting = _waiting_seats.setdefault(workshop.code, (current_app._get_current_object(), {}))
        waiting.update(prefer or {})
    _start_presence_flusher()
    return []


def _seat_waiting(code: str) -> None:
    """The joins deferred by ``_seat_newcomer``: seated in one pass; their sockets enter their
    table's room."""
    with _flusher_lock:
        waiting = _waiting_seats.pop(code, None)
    if waiting is None:
        return
    app, prefer = waiting
    with app.app_context():
        try:
            for attempt in range(1, UNIQUE_RETRIES + 1):
                try:
                    workshop = find_workshop(code)
                    broadcasts = seating.follow(workshop, current_block(workshop), clock.now(), prefer=prefer or None)
                    db.session.commit()
                    break
                except IntegrityError:  # a join's own pass seated someone meanwhile: again
                    db.session.rollback()
                    if attempt == UNIQUE_RETRIES:
                        raise
            _follow_new_seats(code)
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
            _enter_rooms(sid, connection, Connection(**{**connection.__dict__, "table": table}))


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


def _presence_broadcasts(code: str, previous: Connection | None = None) -> list[Broadcast]:
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
        publish(_presence_broadcasts(connection.code))


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


def _budgets():
    return current_app.extensions["event_budgets"]


@handler("state:get", NOTHING)
def on_state(data: dict, connection: Connection):
    workshop = _workshop(connection)
    participant = _participant(connection) if connection.participant_id is not None else None
    return {"state": state_for(workshop, connection.role, clock.now(), participant)}, []


@handler("heartbeat", NOTHING, role=None)
def on_heartbeat(data: dict, previous: Connection | None):
    """A liveness probe for the board: answered without touching the database."""
    return {"now": clock.iso(clock.now())}, []


def _lean_note(data: dict) -> bool:
    return data["topic"] is None  # a session report goes through the ORM (openspace.post_report)


@handler("note:post", NOTE_POST, role="participant", check=_note_text, grouped=True, atomic=_lean_note)
def on_note_post(data: dict, connection: Connection):
    if data["topic"] is not None:
        workshop = _workshop(connection)
        return _post_report(data, connection, workshop, _participant(connection))
    # The lean path: the phone's participant, table and workshop come from its socket, the agenda
    # from the cache; one INSERT (live/notes.py post_note_lean).
    note, broadcasts = note_service.post_note_lean(
        _poster(connection),
        data["id"],
        data["text"],
        clock.now(),
        round_id=data["round"],
        table=data["table"],
        color=data["color"],
    )
    return {"note": note}, broadcasts


def _poster(connection: Connection) -> note_service.Poster:
    if connection.participant_id is None:
        raise WorkshopError("not_joined")
    return note_service.Poster(
        workshop_id=connection.workshop_id,
        code=connection.code,
        participant_id=connection.participant_id,
        name=connection.name,
        table=connection.table,
    )


def _seated_ack(workshop: Workshop, participant: Participant, connection: Connection) -> dict:
    """After a change of table: the socket follows the phone into its table's room."""
    moved = Connection(**{**connection.__dict__, "table": participant.table_number})
    _enter_rooms(request.sid, connection, moved)
    state = state_for(workshop, "participant", clock.now(), participant)
    return {"table": participant.table_number, "state": state, "me": state["me"]}


@handler("table:arrive", TABLE_REF, role="participant")
def on_table_arrive(data: dict, connection: Connection):
    workshop = _workshop(connection)
    participant = _participant(connection)
    broadcasts = participant_service.seat(workshop, participant, data["table"], clock.now())
    return _seated_ack(workshop, participant, connection), broadcasts + _presence_broadcasts(workshop.code)


@handler("table:host", TABLE_REF, role="participant")
def on_table_host(data: dict, connection: Connection):
    workshop = _workshop(connection)
    participant = _participant(connection)
    broadcasts = cafe.host_table(workshop, participant, data["table"], clock.now())
    return _seated_ack(workshop, participant, connection), broadcasts + _presence_broadcasts(workshop.code)


@handler("host:assign", HOST_ASSIGN, role="facilitator")
def on_host_assign(data: dict, connection: Connection):
    workshop = _workshop(connection)
    broadcasts = cafe.assign_host(workshop, data["table"], data["participant"], clock.now())
    _follow_moves(workshop)
    return {}, broadcasts + _presence_broadcasts(workshop.code)


@handler("participant:move", PARTICIPANT_MOVE, role="facilitator")
def on_participant_move(data: dict, connection: Connection):
    workshop = _workshop(connection)
    broadcasts = cafe.move_person(workshop, data["participant"], data["table"], clock.now())
    _follow_moves(workshop)
    return {}, broadcasts + _presence_broadcasts(workshop.code)


@handler("participant:leave", PARTICIPANT_REF, role="facilitator")
def on_participant_leave(data: dict, connection: Connection):
    workshop = _workshop(connection)
    participant = cafe.find_participant_by_id(workshop, data["participant"])
    broadcasts = seating.depart(workshop, participant, clock.now())
    _follow_moves(workshop)
    return {}, broadcasts + _presence_broadcasts(workshop.code)


def _follow_moves(workshop: Workshop) -> None:
    """Sockets of phones the facilitator moved join their new table's room."""
    for sid, connection in presence.connections(workshop.code, role="participant"):
        participant = db.session.get(Participant, connection.participant_id)
        if participant is not None and participant.table_number != connection.table:
            _enter_rooms(sid, connection, Connection(**{**connection.__dict__, "table": participant.table_number}))


@handler("note:star", NOTE_STAR, role="any")
def on_note_star(data: dict, connection: Connection):
    workshop = _workshop(connection)
    if connection.role == "facilitator":
        host = None
    elif connection.role == "participant":
        host = _participant(connection)
    else:
        raise WorkshopError("forbidden")
    starred = True if data["starred"] is None else data["starred"]
    return {}, cafe.star(workshop, data["note"], starred, host=host)


@handler("harvest:open", BLOCK_REF, role="facilitator")
def on_harvest_open(data: dict, connection: Connection):
    return {}, flow.open_harvest(_workshop(connection), data["block"], clock.now())


@handler("harvest:cancel", BLOCK_REF, role="facilitator")
def on_harvest_cancel(data: dict, connection: Connection):
    return {}, flow.cancel_harvest(_workshop(connection), data["block"], clock.now())


@handler("harvest:close", BLOCK_REF, role="facilitator")
def on_harvest_close(data: dict, connection: Connection):
    return {}, cafe.close_harvest(_workshop(connection), data["block"])


@handler("harvest:post", HARVEST_POST, role="any", check=_note_text, grouped=True)
def on_harvest_post(data: dict, connection: Connection):
    workshop = _workshop(connection)
    if connection.role == "board":
        raise WorkshopError("forbidden")
    author = _participant(connection) if connection.role == "participant" else None
    note, broadcasts = cafe.post_harvest(
        workshop, data["id"], data["text"], clock.now(), author=author, table=data["table"]
    )
    return {"note": note_json(note)}, broadcasts


def _payload(broadcasts: list[Broadcast], event: str) -> dict:
    """The payload of the last broadcast of this event (what the acting client is told too)."""
    return next(b.payload for b in reversed(broadcasts) if b.event == event)


@handler("round:start", ROUND, role="facilitator")
def on_round_start(data: dict, connection: Connection):
    workshop = _workshop(connection)
    broadcasts = round_service.start_round(workshop, data["round"], clock.now(), seen=data["version"])
    _follow_moves(workshop)  # phones the plan seated at its start join their table's room
    return {"round": _payload(broadcasts, "round:started")}, broadcasts


@handler("round:extend", ROUND_EXTEND, role="facilitator")
def on_round_extend(data: dict, connection: Connection):
    minutes = data["minutes"] or round_service.rules.EXTEND_MINUTES
    broadcasts = round_service.extend_round(
        _workshop(connection), data["round"], clock.now(), minutes, seen=data["version"]
    )
    return _timer_ack(broadcasts), broadcasts


@handler("round:shorten", ROUND_EXTEND, role="facilitator")
def on_round_shorten(data: dict, connection: Connection):
    minutes = data["minutes"] or round_service.rules.EXTEND_MINUTES
    broadcasts = round_service.shorten_round(
        _workshop(connection), data["round"], clock.now(), minutes, seen=data["version"]
    )
    return _timer_ack(broadcasts), broadcasts


@handler("round:end", ROUND_END, role="facilitator")
def on_round_end(data: dict, connection: Connection):
    now = clock.now()
    ends_at = round_service.rules.end_time(data["ends_at"], now, venue_zone())
    broadcasts = round_service.set_round_end(_workshop(connection), data["round"], now, ends_at, seen=data["version"])
    return _timer_ack(broadcasts), broadcasts


def _timer_ack(broadcasts: list[Broadcast]) -> dict:
    """The round as it is now, and whether this press changed it (False: a repeat, already done)."""
    event = broadcasts[-1]
    return {"round": event.payload, "changed": bool(event.rooms)}


@handler("round:close", ROUND, role="facilitator")
def on_round_close(data: dict, connection: Connection):
    broadcasts = round_service.close_round(_workshop(connection), data["round"], clock.now(), seen=data["version"])
    return {"round": _payload(broadcasts, "round:closed")}, broadcasts


@handler("round:reopen", ROUND, role="facilitator")
def on_round_reopen(data: dict, connection: Connection):
    broadcasts = round_service.reopen_round(_workshop(connection), data["round"], clock.now(), seen=data["version"])
    return {"round": _payload(broadcasts, "round:started")}, broadcasts


@handler("round:skip", ROUND, role="facilitator")
def on_round_skip(data: dict, connection: Connection):
    broadcasts = round_service.skip_round(_workshop(connection), data["round"], clock.now(), True, seen=data["version"])
    return {"round": _payload(broadcasts, "round:skipped")}, broadcasts


@handler("round:unskip", ROUND, role="facilitator")
def on_round_unskip(data: dict, connection: Connection):
    broadcasts = round_service.skip_round(
        _workshop(connection), data["round"], clock.now(), False, seen=data["version"]
    )
    return {"round": _payload(broadcasts, "round:skipped")}, broadcasts


@handler("block:select", BLOCK_REF, role="facilitator")
def on_block_select(data: dict, connection: Connection):
    broadcasts = round_service.set_current_block(_workshop(connection), data["block"], clock.now())
    return {"block": data["block"]}, broadcasts


@handler("block:next", BLOCK_NEXT, role="facilitator")
def on_block_next(data: dict, connection: Connection):
    broadcasts = round_service.next_block(_workshop(connection), clock.now(), seen_block=data["from"])
    return {"block": _payload(broadcasts, "block:changed")["block"]}, broadcasts


@handler("note:hide", NOTE_REF, role="facilitator")
def on_note_hide(data: dict, connection: Connection):
    return {}, note_service.set_hidden(_workshop(connection), data["note"], True)


@handler("note:show", NOTE_REF, role="facilitator")
def on_note_show(data: dict, connection: Connection):
    return {}, note_service.set_hidden(_workshop(connection), data["note"], False)


# --- facilitation modes (issue 15): workshop.live.modes


@handler("round:settings", ROUND_SETTINGS, role="facilitator")
def on_round_settings(data: dict, connection: Connection):
    asked = {name: data[name] for name in ("reveal", "moderated", "anonymous")}
    round_, broadcasts = modes.set_settings(_workshop(connection), data["round"], **asked)
    return {"round": round_json(round_)}, broadcasts


@handler("notes:reveal", NOTES_REVEAL, role="facilitator")
def on_notes_reveal(data: dict, connection: Connection):
    count, broadcasts = modes.reveal(_workshop(connection), data["round"], data["table"])
    return {"revealed": count}, broadcasts


@handler("note:approve", NOTE_REF, role="facilitator")
def on_note_approve(data: dict, connection: Connection):
    return {}, modes.approve(_workshop(connection), data["note"])


@handler("notes:approve", ROUND_REF, role="facilitator")
def on_notes_approve(data: dict, connection: Connection):
    count, broadcasts = modes.approve_all(_workshop(connection), data["round"])
    return {"approved": count}, broadcasts


@handler("board:view", BOARD_VIEW, role="facilitator")
def on_board_view(data: dict, connection: Connection):
    return {}, curation.set_board_view(_workshop(connection), data["view"])


@handler("terms:get", TERMS_GET)
def on_terms_get(data: dict, connection: Connection):
    """The key terms of the visible notes of a round, a block or the workshop (board, console)."""
    if connection.role not in ("facilitator", "board"):
        raise WorkshopError("forbidden")
    found = terms.terms_for(_workshop(connection), data["block"], data["round"])
    return {"terms": terms.terms_json(found)}, []


@handler("theme:create", THEME_CREATE, role="facilitator")
def on_theme_create(data: dict, connection: Connection):
    theme, broadcasts = curation.create_theme(_workshop(connection), data["title"], data["notes"])
    return {"theme": curation.theme_json(theme)}, broadcasts


@handler("theme:update", THEME_UPDATE, role="facilitator")
def on_theme_update(data: dict, connection: Connection):
    return {}, curation.update_theme(_workshop(connection), data["theme"], data["title"], data["position"])


@handler("theme:delete", THEME_REF, role="facilitator")
def on_theme_delete(data: dict, connection: Connection):
    return {}, curation.delete_theme(_workshop(connection), data["theme"])


@handler("notes:group", NOTES_GROUP, role="facilitator")
def on_notes_group(data: dict, connection: Connection):
    return {}, curation.group_notes(_workshop(connection), data["notes"], data["theme"])


@handler("section:create", SECTION_CREATE, role="facilitator")
def on_section_create(data: dict, connection: Connection):
    section, broadcasts = curation.create_section(_workshop(connection), data["title"], data["intro"] or "")
    return {"section": curation.section_json(section)}, broadcasts


@handler("section:update", SECTION_UPDATE, role="facilitator")
def on_section_update(data: dict, connection: Connection):
    return {}, curation.update_section(
        _workshop(connection), data["section"], data["title"], data["intro"], data["position"]
    )


@handler("section:delete", SECTION_REF, role="facilitator")
def on_section_delete(data: dict, connection: Connection):
    return {}, curation.delete_section(_workshop(connection), data["section"])


@handler("section:file", SECTION_FILE, role="facilitator")
def on_section_file(data: dict, connection: Connection):
    return {}, curation.file_under(_workshop(connection), data["section"], data["themes"] or [], data["notes"] or [])


def _actor(connection: Connection) -> Participant | None:
    """The participant acting, or None for the facilitator; a board acts on nothing."""
    if connection.role == "facilitator":
        return None
    if connection.role == "participant":
        return _participant(connection)
    raise WorkshopError("forbidden")


def _follow_topics(workshop: Workshop, participant: Participant | None, connection: Connection) -> None:
    """The phone's socket joins the rooms of the sessions it now convenes or is in."""
    if participant is None:
        return
    topics = tuple(openspace.my_topics(workshop, participant))
    if topics != connection.topics:
        _enter_rooms(request.sid, connection, Connection(**{**connection.__dict__, "topics": topics}))


@handler("topic:propose", TOPIC_PROPOSE, role="any")
def on_topic_propose(data: dict, connection: Connection):
    workshop = _workshop(connection)
    actor = _actor(connection)
    topic, broadcasts = openspace.propose(
        workshop,
        data["id"],
        data["title"],
        clock.now(),
        convener=actor,
        convener_name=data["convener"],
        description=data["description"],
    )
    _follow_topics(workshop, actor, connection)
    return {"topic": openspace.topic_json(topic)}, broadcasts


@handler("topic:rename", TOPIC_RENAME, role="any")
def on_topic_rename(data: dict, connection: Connection):
    workshop = _workshop(connection)
    return {}, openspace.rename(workshop, data["topic"], _actor(connection), data["title"], data["description"])


@handler("topic:withdraw", TOPIC_REF, role="any")
def on_topic_withdraw(data: dict, connection: Connection):
    workshop = _workshop(connection)
    actor = _actor(connection)
    broadcasts = openspace.withdraw(workshop, data["topic"], actor, clock.now())
    _follow_topics(workshop, actor, connection)
    return {}, broadcasts


@handler("topic:schedule", TOPIC_SCHEDULE, role="any")
def on_topic_schedule(data: dict, connection: Connection):
    workshop = _workshop(connection)
    _topic, broadcasts = openspace.schedule(workshop, data["topic"], data["slot"], data["space"], _actor(connection))
    return {"topic": _payload(broadcasts, "topic:updated")["topic"]}, broadcasts


@handler("topic:unschedule", TOPIC_REF, role="any")
def on_topic_unschedule(data: dict, connection: Connection):
    return {}, openspace.unschedule(_workshop(connection), data["topic"], _actor(connection))


@handler("wall:update", WALL_UPDATE, role="facilitator")
def on_wall_update(data: dict, connection: Connection):
    return {}, openspace.reshape_wall(_workshop(connection), data["block"], data["slots"], data["spaces"])


@handler("topic:attend", TOPIC_ATTEND, role="participant")
def on_topic_attend(data: dict, connection: Connection):
    workshop = _workshop(connection)
    participant = _participant(connection)
    broadcasts = openspace.attend(workshop, participant, data["topic"], clock.now())
    _follow_topics(workshop, participant, connection)
    return {"topic": data["topic"]}, broadcasts


def _post_report(data: dict, connection: Connection, workshop: Workshop, author: Participant | None):
    note, broadcasts = openspace.post_report(
        workshop,
        data["id"],
        data["topic"],
        data["text"],
        clock.now(),
        author=author,
        tag=data["tag"],
        owner=data["owner"],
        due=data["due"],
        color=data["color"],
    )
    return {"note": note_json(note)}, broadcasts


@handler("report:post", REPORT_POST, role="any", check=_note_text, grouped=True)
def on_report_post(data: dict, connection: Connection):
    workshop = _workshop(connection)
    return _post_report(data, connection, workshop, _actor(connection))


@handler("vote:open", VOTE_OPEN, role="facilitator")
def on_vote_open(data: dict, connection: Connection):
    return {}, openspace.open_vote(_workshop(connection), data["block"], data["dots"], data["top"])


@handler("vote:close", BLOCK_REF, role="facilitator")
def on_vote_close(data: dict, connection: Connection):
    broadcasts = openspace.close_vote(_workshop(connection), data["block"])
    return _payload(broadcasts, "vote:closed"), broadcasts


@handler("vote:cast", VOTE_CAST, role="participant", grouped=True)
def on_vote_cast(data: dict, connection: Connection):
    dot = data["dot"] or str(uuid.uuid4())
    return openspace.cast(_workshop(connection), _participant(connection), dot, data["target"], data["id"], clock.now())


@handler("vote:withdraw", VOTE_WITHDRAW, role="participant", grouped=True)
def on_vote_withdraw(data: dict, connection: Connection):
    return openspace.withdraw_dot(_workshop(connection), _participant(connection), data["target"], data["id"])
