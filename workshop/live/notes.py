"""Posting and hiding sticky notes."""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass

from sqlalchemy import func, select
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from workshop.agenda import cache as _agenda_cache
from workshop.agenda.read import current_round, find_round
from workshop.broadcasts import Broadcast
from workshop.domain import modes
from workshop.domain.errors import WorkshopError
from workshop.domain.notes import note_color, note_text
from workshop.extensions import db
from workshop.live.serialize import note_json
from workshop.models import Note, Participant, Table, Workshop
from workshop.rooms import room_for

agenda_cache = _agenda_cache.agenda_cache


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
    return _waiting_broadcast(workshop.code, round_id)


def _waiting_broadcast(code: str, round_id: int | None) -> Broadcast:
    rooms = (room_for(code, "board"), room_for(code, "facilitator"))
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
    """Stores the note once: the same id posted again returns the stored note and broadcasts nothing.

    The per-note rules (``clean_note``, ``check_accepting``, ``note_table``, ``initial_state``)
    are shared with the socket's lean path, ``post_note_lean``."""
    existing = existing_note(workshop, note_id, author)
    if existing is not None:
        return existing, []

    clean_text, clean_color = clean_note(text, color)
    round_ = find_round(workshop, round_id) if round_id is not None else current_round(workshop)
    check_accepting(round_)
    if topic is not None:
        raise WorkshopError("unknown_topic")  # report notes go through openspace.post_report
    table = note_table(table_numbers_of(round_.block_id), table, author.table_number)

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
        **initial_state(round_),  # hidden, revealed, approved, anonymous: as the round's modes say
    )
    return store(workshop, note)


# The per-note rules, shared by post_note and post_note_lean.


def clean_note(text: str, color: str | None) -> tuple[str, str | None]:
    """The text and colour as stored (refuses an empty or too long text, an unknown colour)."""
    return note_text(text), note_color(color)


def check_accepting(round_) -> None:
    """Notes go to a running round only. ``round_``: a ``Round`` or the cache's ``RoundFacts``."""
    if round_ is None or round_.status == "pending":
        raise WorkshopError("no_running_round")
    if round_.status != "running":
        raise WorkshopError("round_closed")


def note_table(block_tables: set[int] | frozenset[int], table: int | None, seated: int | None) -> int | None:
    """The note's table: the one asked for, else where its author sits; none in a block without
    tables."""
    if block_tables:
        table = table if table is not None else seated
        if table is None:
            raise WorkshopError("no_table")
        if table not in block_tables:
            raise WorkshopError("unknown_table", table=table)
        return table
    if table is not None:
        raise WorkshopError("unknown_table", table=table)
    return None


def initial_state(round_) -> dict:
    """A new note's state as its round decides it (the Note columns it sets: hidden, and the
    round's facilitation modes, ``domain.modes.initial_state``). ``round_``: a ``Round`` or the
    cache's ``RoundFacts`` (agenda/cache.py)."""
    return {"hidden": False, **asdict(modes.initial_state(round_.modes))}


@dataclass(frozen=True)
class Poster:
    """What a phone's socket already knows about its participant (realtime.presence.Connection):
    the lean path reads none of it from the database."""

    workshop_id: int
    code: str
    participant_id: int
    name: str | None
    table: int | None


@dataclass
class _NoteRow:
    """A stored note's columns, for ``note_json`` without an ORM object."""

    id: str
    workshop_id: int
    block_id: int | None
    round_id: int | None
    table_number: int | None
    author_id: int | None
    text: str
    color: str | None
    created_at: dt.datetime
    hidden: bool = False
    author: object = None
    topic_id: str | None = None
    kind: str = "note"
    starred: bool = False
    theme_id: int | None = None
    section_id: int | None = None
    tag: str | None = None
    owner: str | None = None
    due: dt.date | None = None
    revealed: bool = True
    approved: bool = True
    anonymous: bool = False

    @property
    def public(self) -> bool:
        return modes.is_public(self.hidden, self.revealed, self.approved)

    @property
    def author_name(self) -> str | None:
        """As ``Note.author_name``: none in an anonymous round."""
        return None if self.anonymous or self.author is None else self.author.name


def post_note_lean(
    poster: Poster,
    note_id: str,
    text: str,
    now: dt.datetime,
    round_id: int | None = None,
    table: int | None = None,
    color: str | None = None,
) -> tuple[dict, list[Broadcast]]:
    """post_note for a phone's socket: the same rules, the agenda from the cache
    (agenda/cache.py), one INSERT … ON CONFLICT DO NOTHING. Returns the note's JSON."""
    facts = agenda_cache.facts(poster.workshop_id)
    try:
        clean_text, clean_color = clean_note(text, color)
        round_ = facts.round(round_id)
        if round_id is not None and round_ is None:
            raise WorkshopError("unknown_round", round=round_id)
        check_accepting(round_)
        seated = agenda_cache.table_of(poster.participant_id, poster.table)
        number = note_table(facts.tables.get(round_.block_id, frozenset()), table, seated)
    except WorkshopError:
        stored = _stored_note_json(poster, note_id, facts.language)
        if stored is not None:  # a resend of a note stored before the round closed
            return stored, []
        raise
    row = _NoteRow(
        id=note_id,
        workshop_id=poster.workshop_id,
        block_id=round_.block_id,
        round_id=round_.id,
        table_number=number,
        author_id=poster.participant_id,
        text=clean_text,
        color=clean_color,
        created_at=now,
        **initial_state(round_),
    )
    inserted = db.session.execute(*_insert_once(row)).scalar_one_or_none() is not None
    if not inserted:  # the same id again: the stored note, broadcast once already
        stored = _stored_note_json(poster, note_id, facts.language)
        if stored is None:
            raise WorkshopError("note_id_taken")
        return stored, []
    row.author = _Author(poster.name)
    data = note_json(row, facts.language)  # type: ignore[arg-type]
    if not row.public:  # waiting for a reveal or an approval: the console and its author only
        rooms = [room_for(poster.code, "facilitator"), room_for(poster.code, "participant", poster.participant_id)]
        return data, [
            Broadcast("note:added", {"note": data}, tuple(rooms)),
            _waiting_broadcast(poster.code, row.round_id),
        ]
    rooms = [room_for(poster.code, "board"), room_for(poster.code, "facilitator")]
    if number is not None:
        rooms.append(room_for(poster.code, "table", number))
    rooms.append(room_for(poster.code, "participant", poster.participant_id))
    return data, [Broadcast("note:added", {"note": data}, tuple(rooms))]


@dataclass(frozen=True)
class _Author:
    name: str | None


_COLUMNS = [
    "id",
    "workshop_id",
    "block_id",
    "round_id",
    "table_number",
    "author_id",
    "text",
    "color",
    "created_at",
    "hidden",
    "kind",
    "starred",
    "revealed",
    "approved",
    "anonymous",
]


_INSERTS: dict[str, object] = {}


def _insert_once(row: _NoteRow):
    """The statement and its values. The statement is built once per dialect: building it costs
    more than running it."""
    dialect = db.session.get_bind().dialect.name
    statement = _INSERTS.get(dialect)
    if statement is None:
        insert = postgresql_insert if dialect == "postgresql" else sqlite_insert
        # RETURNING, not rowcount: psycopg reports no row count for it (-1).
        statement = _INSERTS[dialect] = (
            insert(Note.__table__).on_conflict_do_nothing(index_elements=["id"]).returning(Note.__table__.c.id)
        )
    return statement, {name: getattr(row, name) for name in _COLUMNS}


def _stored_note_json(poster: Poster, note_id: str, language: str | None) -> dict | None:
    note = db.session.get(Note, note_id)
    if note is None:
        return None
    if note.workshop_id != poster.workshop_id or note.author_id != poster.participant_id:
        raise WorkshopError("note_id_taken")
    return note_json(note, language)


def table_numbers_of(block_id: int) -> set[int]:
    """The block's table numbers in one query (a note's path does not need the block itself)."""
    return set(db.session.execute(select(Table.number).where(Table.block_id == block_id)).scalars())


def store(workshop: Workshop, note: Note) -> tuple[Note, list[Broadcast]]:
    if note.hidden is None:  # post_note sets it from the round (initial_state)
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
