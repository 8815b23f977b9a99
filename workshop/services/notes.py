"""Posting and hiding sticky notes."""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict

from sqlalchemy import func, select

from ..domain.errors import WorkshopError
from ..domain.modes import initial_state
from ..domain.notes import note_color, note_text
from ..extensions import db
from ..models import Note, Participant, Table, Workshop
from ..rooms import room_for
from .agenda import current_round, find_round
from .broadcasts import Broadcast
from .serialize import note_json


def note_rooms(workshop: Workshop, note: Note) -> tuple[str, ...]:
    rooms = [room_for(workshop.code, "board"), room_for(workshop.code, "facilitator")]
    if note.table_number is not None:
        rooms.append(room_for(workshop.code, "table", note.table_number))
    if note.author_id is not None:
        rooms.append(room_for(workshop.code, "participant", note.author_id))
    if note.topic_id is not None:
        rooms.append(room_for(workshop.code, "topic", note.topic_id))
    return tuple(rooms)


def private_rooms(workshop: Workshop, note: Note) -> tuple[str, ...]:
    """Who sees a note that is not public (waiting for a reveal or an approval): the console and its author."""
    rooms = [room_for(workshop.code, "facilitator")]
    if note.author_id is not None:
        rooms.append(room_for(workshop.code, "participant", note.author_id))
    return tuple(rooms)


def audience_rooms(workshop: Workshop, note: Note) -> tuple[str, ...]:
    """Everyone who may see the note as it stands (``Note.public``)."""
    return note_rooms(workshop, note) if note.public else private_rooms(workshop, note)


def waiting_count(round_id: int | None) -> int:
    """The round's notes waiting for the facilitator (not yet revealed or approved, not hidden)."""
    if round_id is None:
        return 0
    return db.session.execute(
        select(func.count()).select_from(Note).where(Note.round_id == round_id, Note.hidden.is_(False), ~Note.public)
    ).scalar_one()


def waiting_broadcast(workshop: Workshop, round_id: int | None) -> Broadcast:
    """The count the board shows while notes wait (``notes:waiting``)."""
    rooms = (room_for(workshop.code, "board"), room_for(workshop.code, "facilitator"))
    return Broadcast("notes:waiting", {"round": round_id, "count": waiting_count(round_id)}, rooms)


def post_note(
    workshop: Workshop,
    author: Participant,
    note_id: str,
    text: str,
    now: dt.datetime,
    round_id: int | None = None,
    table: int | None = None,
    topic: str | None = None,
    color: str | None = None,
) -> tuple[Note, list[Broadcast]]:
    """Stores the note once: the same id posted again returns the stored note and broadcasts nothing."""
    existing = existing_note(workshop, note_id, author)
    if existing is not None:
        return existing, []

    clean_text = note_text(text)
    clean_color = note_color(color)
    round_ = find_round(workshop, round_id) if round_id is not None else current_round(workshop)
    if round_ is None or round_.status == "pending":
        raise WorkshopError("no_running_round")
    if round_.status != "running":
        raise WorkshopError("round_closed")
    if topic is not None:
        raise WorkshopError("unknown_topic")  # report notes go through openspace.post_report
    block_tables = table_numbers_of(round_.block_id)
    if block_tables:
        table = table if table is not None else author.table_number
        if table is None:
            raise WorkshopError("no_table")
        if table not in block_tables:
            raise WorkshopError("unknown_table", table=table)
    elif table is not None:
        raise WorkshopError("unknown_table", table=table)

    note = Note(
        id=note_id,
        workshop_id=workshop.id,
        block_id=round_.block_id,
        round_id=round_.id,
        table_number=table,
        author=author,
        text=clean_text,
        color=clean_color,
        created_at=now,
        **asdict(initial_state(round_.modes)),  # revealed, approved, anonymous: the round's modes
    )
    return store(workshop, note)


def table_numbers_of(block_id: int) -> set[int]:
    """The block's table numbers in one query (a note's path does not need the block itself)."""
    return set(db.session.execute(select(Table.number).where(Table.block_id == block_id)).scalars())


def store(workshop: Workshop, note: Note) -> tuple[Note, list[Broadcast]]:
    note.hidden = False
    db.session.add(note)
    db.session.flush()
    broadcasts = [Broadcast("note:added", {"note": note_json(note)}, audience_rooms(workshop, note))]
    if not note.public:
        broadcasts.append(waiting_broadcast(workshop, note.round_id))
    return note, broadcasts


def existing_note(workshop: Workshop, note_id: str, author: Participant | None) -> Note | None:
    """The note already stored under this client id, if its author sends it again."""
    note = db.session.get(Note, note_id)
    if note is None:
        return None
    if note.workshop_id != workshop.id or note.author_id != (author.id if author else None):
        raise WorkshopError("note_id_taken")
    return note


def set_hidden(workshop: Workshop, note_id: str, hidden: bool) -> list[Broadcast]:
    note = db.session.get(Note, note_id)
    if note is None or note.workshop_id != workshop.id:
        raise WorkshopError("unknown_note")
    if note.hidden == hidden:
        return []
    before = audience_rooms(workshop, note)
    note.hidden = hidden
    if hidden:
        broadcasts = [Broadcast("note:hidden", {"note": note.id}, before)]
    else:
        broadcasts = [Broadcast("note:shown", {"note": note_json(note)}, audience_rooms(workshop, note))]
    if not (note.revealed and note.approved):  # it was, or is again, waiting
        broadcasts.append(waiting_broadcast(workshop, note.round_id))
    return broadcasts
