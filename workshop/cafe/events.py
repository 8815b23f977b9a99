"""World Café events: tables and hosts, moves, stars, the harvest."""

from __future__ import annotations

from flask import request

from workshop import clock
from workshop.cafe import seating
from workshop.cafe import writes as cafe
from workshop.domain.errors import WorkshopError
from workshop.domain.notes import NOTE_MAX_LENGTH
from workshop.live import flow
from workshop.live import participants as participant_service
from workshop.live.serialize import note_json
from workshop.live.snapshot import state_for
from workshop.models import Participant, Workshop
from workshop.realtime.connections import enter_rooms, follow_moves, presence_broadcasts
from workshop.realtime.handlers import (
    BLOCK_REF,
    check_note_text,
    handler,
    participant_of,
    workshop_of,
)
from workshop.realtime.presence import Connection
from workshop.validation import Field

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


def _seated_ack(workshop: Workshop, participant: Participant, connection: Connection) -> dict:
    """After a change of table: the socket follows the phone into its table's room."""
    moved = Connection(**{**connection.__dict__, "table": participant.table_number})
    enter_rooms(request.sid, connection, moved)
    state = state_for(workshop, "participant", clock.now(), participant)
    return {"table": participant.table_number, "state": state, "me": state["me"]}


@handler("table:arrive", TABLE_REF, role="participant")
def on_table_arrive(data: dict, connection: Connection):
    workshop = workshop_of(connection)
    participant = participant_of(connection)
    broadcasts = participant_service.seat(workshop, participant, data["table"], clock.now())
    return _seated_ack(workshop, participant, connection), broadcasts + presence_broadcasts(workshop.code)


@handler("table:host", TABLE_REF, role="participant")
def on_table_host(data: dict, connection: Connection):
    workshop = workshop_of(connection)
    participant = participant_of(connection)
    broadcasts = cafe.host_table(workshop, participant, data["table"], clock.now())
    return _seated_ack(workshop, participant, connection), broadcasts + presence_broadcasts(workshop.code)


@handler("host:assign", HOST_ASSIGN, role="facilitator")
def on_host_assign(data: dict, connection: Connection):
    workshop = workshop_of(connection)
    broadcasts = cafe.assign_host(workshop, data["table"], data["participant"], clock.now())
    follow_moves(workshop)
    return {}, broadcasts + presence_broadcasts(workshop.code)


@handler("participant:move", PARTICIPANT_MOVE, role="facilitator")
def on_participant_move(data: dict, connection: Connection):
    workshop = workshop_of(connection)
    broadcasts = cafe.move_person(workshop, data["participant"], data["table"], clock.now())
    follow_moves(workshop)
    return {}, broadcasts + presence_broadcasts(workshop.code)


@handler("participant:leave", PARTICIPANT_REF, role="facilitator")
def on_participant_leave(data: dict, connection: Connection):
    workshop = workshop_of(connection)
    participant = cafe.find_participant_by_id(workshop, data["participant"])
    broadcasts = seating.depart(workshop, participant, clock.now())
    follow_moves(workshop)
    return {}, broadcasts + presence_broadcasts(workshop.code)


@handler("note:star", NOTE_STAR, role="any")
def on_note_star(data: dict, connection: Connection):
    workshop = workshop_of(connection)
    if connection.role == "facilitator":
        host = None
    elif connection.role == "participant":
        host = participant_of(connection)
    else:
        raise WorkshopError("forbidden")
    starred = True if data["starred"] is None else data["starred"]
    return {}, cafe.star(workshop, data["note"], starred, host=host)


@handler("harvest:open", BLOCK_REF, role="facilitator")
def on_harvest_open(data: dict, connection: Connection):
    return {}, flow.open_harvest(workshop_of(connection), data["block"], clock.now())


@handler("harvest:cancel", BLOCK_REF, role="facilitator")
def on_harvest_cancel(data: dict, connection: Connection):
    return {}, flow.cancel_harvest(workshop_of(connection), data["block"], clock.now())


@handler("harvest:close", BLOCK_REF, role="facilitator")
def on_harvest_close(data: dict, connection: Connection):
    return {}, cafe.close_harvest(workshop_of(connection), data["block"])


@handler("harvest:post", HARVEST_POST, role="any", check=check_note_text, grouped=True)
def on_harvest_post(data: dict, connection: Connection):
    workshop = workshop_of(connection)
    if connection.role == "board":
        raise WorkshopError("forbidden")
    author = participant_of(connection) if connection.role == "participant" else None
    note, broadcasts = cafe.post_harvest(
        workshop, data["id"], data["text"], clock.now(), author=author, table=data["table"]
    )
    return {"note": note_json(note)}, broadcasts
