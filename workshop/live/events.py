"""Live events: notes, rounds and their timers, blocks, the facilitation modes, key terms."""

from __future__ import annotations

from workshop import clock
from workshop.broadcasts import Broadcast
from workshop.domain.errors import WorkshopError
from workshop.domain.notes import NOTE_MAX_LENGTH
from workshop.domain.openspace import REPORT_TAGS
from workshop.i18n import venue_zone
from workshop.live import modes, terms
from workshop.live import notes as note_service
from workshop.live import rounds as round_service
from workshop.live.serialize import round_json
from workshop.openspace import writes as openspace
from workshop.openspace.events import post_report
from workshop.realtime.connections import follow_moves
from workshop.realtime.handlers import (
    BLOCK_REF,
    VERSION,
    check_note_text,
    handler,
    participant_of,
    payload_of,
    workshop_of,
)
from workshop.realtime.presence import Connection
from workshop.validation import Field

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


BLOCK_NEXT = (Field("from", kind="int"),)  # the block the console showed: pressed twice, one step


TERMS_GET = (Field("block", kind="int"), Field("round", kind="int"))


def _lean_note(data: dict) -> bool:
    return data["topic"] is None  # a session report goes through the ORM (openspace.post_report)


@handler("note:post", NOTE_POST, role="participant", check=check_note_text, grouped=True, atomic=_lean_note)
def on_note_post(data: dict, connection: Connection):
    if data["topic"] is not None:
        workshop = workshop_of(connection)
        return post_report(data, connection, workshop, participant_of(connection))
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


@handler("round:start", ROUND, role="facilitator")
def on_round_start(data: dict, connection: Connection):
    workshop = workshop_of(connection)
    broadcasts = round_service.start_round(workshop, data["round"], clock.now(), seen=data["version"])
    follow_moves(workshop)  # phones the plan seated at its start join their table's room
    return {"round": payload_of(broadcasts, "round:started")}, broadcasts


@handler("round:extend", ROUND_EXTEND, role="facilitator")
def on_round_extend(data: dict, connection: Connection):
    minutes = data["minutes"] or round_service.rules.EXTEND_MINUTES
    broadcasts = round_service.extend_round(
        workshop_of(connection), data["round"], clock.now(), minutes, seen=data["version"]
    )
    return _timer_ack(broadcasts), broadcasts


@handler("round:shorten", ROUND_EXTEND, role="facilitator")
def on_round_shorten(data: dict, connection: Connection):
    minutes = data["minutes"] or round_service.rules.EXTEND_MINUTES
    broadcasts = round_service.shorten_round(
        workshop_of(connection), data["round"], clock.now(), minutes, seen=data["version"]
    )
    return _timer_ack(broadcasts), broadcasts


@handler("round:end", ROUND_END, role="facilitator")
def on_round_end(data: dict, connection: Connection):
    now = clock.now()
    ends_at = round_service.rules.end_time(data["ends_at"], now, venue_zone())
    broadcasts = round_service.set_round_end(workshop_of(connection), data["round"], now, ends_at, seen=data["version"])
    return _timer_ack(broadcasts), broadcasts


def _timer_ack(broadcasts: list[Broadcast]) -> dict:
    """The round as it is now, and whether this press changed it (False: a repeat, already done)."""
    event = broadcasts[-1]
    return {"round": event.payload, "changed": bool(event.rooms)}


@handler("round:close", ROUND, role="facilitator")
def on_round_close(data: dict, connection: Connection):
    broadcasts = round_service.close_round(workshop_of(connection), data["round"], clock.now(), seen=data["version"])
    return {"round": payload_of(broadcasts, "round:closed")}, broadcasts


@handler("round:reopen", ROUND, role="facilitator")
def on_round_reopen(data: dict, connection: Connection):
    broadcasts = round_service.reopen_round(workshop_of(connection), data["round"], clock.now(), seen=data["version"])
    return {"round": payload_of(broadcasts, "round:started")}, broadcasts


@handler("round:skip", ROUND, role="facilitator")
def on_round_skip(data: dict, connection: Connection):
    broadcasts = round_service.skip_round(
        workshop_of(connection), data["round"], clock.now(), True, seen=data["version"]
    )
    return {"round": payload_of(broadcasts, "round:skipped")}, broadcasts


@handler("round:unskip", ROUND, role="facilitator")
def on_round_unskip(data: dict, connection: Connection):
    broadcasts = round_service.skip_round(
        workshop_of(connection), data["round"], clock.now(), False, seen=data["version"]
    )
    return {"round": payload_of(broadcasts, "round:skipped")}, broadcasts


@handler("block:select", BLOCK_REF, role="facilitator")
def on_block_select(data: dict, connection: Connection):
    broadcasts = round_service.set_current_block(workshop_of(connection), data["block"], clock.now())
    return {"block": data["block"]}, broadcasts


@handler("block:next", BLOCK_NEXT, role="facilitator")
def on_block_next(data: dict, connection: Connection):
    broadcasts = round_service.next_block(workshop_of(connection), clock.now(), seen_block=data["from"])
    return {"block": payload_of(broadcasts, "block:changed")["block"]}, broadcasts


@handler("note:hide", NOTE_REF, role="facilitator")
def on_note_hide(data: dict, connection: Connection):
    return {}, note_service.set_hidden(workshop_of(connection), data["note"], True)


@handler("note:show", NOTE_REF, role="facilitator")
def on_note_show(data: dict, connection: Connection):
    return {}, note_service.set_hidden(workshop_of(connection), data["note"], False)


@handler("round:settings", ROUND_SETTINGS, role="facilitator")
def on_round_settings(data: dict, connection: Connection):
    asked = {name: data[name] for name in ("reveal", "moderated", "anonymous")}
    round_, broadcasts = modes.set_settings(workshop_of(connection), data["round"], **asked)
    return {"round": round_json(round_)}, broadcasts


@handler("notes:reveal", NOTES_REVEAL, role="facilitator")
def on_notes_reveal(data: dict, connection: Connection):
    count, broadcasts = modes.reveal(workshop_of(connection), data["round"], data["table"])
    return {"revealed": count}, broadcasts


@handler("note:approve", NOTE_REF, role="facilitator")
def on_note_approve(data: dict, connection: Connection):
    return {}, modes.approve(workshop_of(connection), data["note"])


@handler("notes:approve", ROUND_REF, role="facilitator")
def on_notes_approve(data: dict, connection: Connection):
    count, broadcasts = modes.approve_all(workshop_of(connection), data["round"])
    return {"approved": count}, broadcasts


@handler("terms:get", TERMS_GET)
def on_terms_get(data: dict, connection: Connection):
    """The key terms of the visible notes of a round, a block or the workshop (board, console)."""
    if connection.role not in ("facilitator", "board"):
        raise WorkshopError("forbidden")
    found = terms.terms_for(workshop_of(connection), data["block"], data["round"])
    return {"terms": terms.terms_json(found)}, []
