"""The facilitator's side of the facilitation modes (issue 15): a round's settings, the reveal,
the moderation queue. The rules are ``workshop.domain.modes``; the caller commits."""

from __future__ import annotations

from collections import defaultdict

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from workshop.agenda.read import find_round
from workshop.broadcasts import Broadcast
from workshop.domain import modes as rules
from workshop.domain.errors import WorkshopError
from workshop.extensions import db
from workshop.live.notes import audience_rooms, waiting_broadcast
from workshop.live.serialize import note_json, round_json
from workshop.models import Note, Round, Workshop
from workshop.rooms import room_for


def set_settings(
    workshop: Workshop,
    round_id: int,
    reveal: bool | None = None,
    moderated: bool | None = None,
    anonymous: bool | None = None,
) -> tuple[Round, list[Broadcast]]:
    """A round's modes, for the notes posted from now on (those waiting stay waiting)."""
    round_ = find_round(workshop, round_id)
    changed = rules.change(round_.modes, round_.status, reveal=reveal, moderated=moderated, anonymous=anonymous)
    if changed == round_.modes:
        return round_, []
    round_.reveal, round_.moderated, round_.anonymous = changed.reveal, changed.moderated, changed.anonymous
    payload = round_json(round_) | {"round": round_.id}
    return round_, [Broadcast("round:settings", payload, (room_for(workshop.code, "all"),))]


def reveal(workshop: Workshop, round_id: int, table: int | None = None) -> tuple[int, list[Broadcast]]:
    """The round's notes not yet revealed (of one table, or all) go to the board: (how many, broadcasts)."""
    round_ = find_round(workshop, round_id)
    if table is not None and table not in {t.number for t in round_.block.tables}:
        raise WorkshopError("unknown_table", table=table)
    query = select(Note).where(Note.round_id == round_.id, Note.revealed.is_(False))
    if table is not None:
        query = query.where(Note.table_number == table)
    notes = list(
        db.session.execute(query.options(selectinload(Note.author)).order_by(Note.created_at, Note.id)).scalars()
    )
    for note in notes:
        note.revealed = True
    return len(notes), shown_together(workshop, round_.id, table, notes)


def approve(workshop: Workshop, note_id: str) -> list[Broadcast]:
    """One note of the moderation queue goes on (to the board, unless it also waits for a reveal)."""
    note = db.session.get(Note, note_id)
    if note is None or note.workshop_id != workshop.id:
        raise WorkshopError("unknown_note")
    if note.approved:
        return []
    note.approved = True
    return [
        Broadcast("note:shown", {"note": note_json(note)}, audience_rooms(workshop, note)),
        waiting_broadcast(workshop, note.round_id),
    ]


def approve_all(workshop: Workshop, round_id: int) -> tuple[int, list[Broadcast]]:
    """Every note waiting in the round's queue (hidden ones stay hidden): (how many, broadcasts)."""
    round_ = find_round(workshop, round_id)
    notes = list(
        db.session.execute(
            select(Note)
            .where(Note.round_id == round_.id, Note.approved.is_(False), Note.hidden.is_(False))
            .options(selectinload(Note.author))
            .order_by(Note.created_at, Note.id)
        ).scalars()
    )
    for note in notes:
        note.approved = True
    return len(notes), shown_together(workshop, round_.id, None, notes)


def shown_together(workshop: Workshop, round_id: int, table: int | None, notes: list[Note]) -> list[Broadcast]:
    """``notes:shown`` for notes whose state changed at once: the console gets them all, the board
    and each table the public ones, an author its own that its table's event does not bring."""
    if not notes:
        return []
    code = workshop.code

    def event(items: list[Note], *rooms: str) -> Broadcast:
        payload = {"round": round_id, "table": table, "notes": [note_json(n, workshop.language) for n in items]}
        return Broadcast("notes:shown", payload, rooms)

    public = [n for n in notes if n.public]
    broadcasts = [event(notes, room_for(code, "facilitator"))]
    if public:
        broadcasts.append(event(public, room_for(code, "board")))
    by_table: dict[int, list[Note]] = defaultdict(list)
    for note in public:
        if note.table_number is not None:
            by_table[note.table_number].append(note)
    for number, items in sorted(by_table.items()):
        broadcasts.append(event(items, room_for(code, "table", number)))
    by_author: dict[int, list[Note]] = defaultdict(list)
    for note in notes:
        at_its_table = note.public and note.author is not None and note.author.table_number == note.table_number
        if note.author_id is not None and not at_its_table:
            by_author[note.author_id].append(note)
    for author, items in sorted(by_author.items()):
        broadcasts.append(event(items, room_for(code, "participant", author)))
    broadcasts.append(waiting_broadcast(workshop, round_id))
    return broadcasts
