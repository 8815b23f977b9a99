"""The state snapshot of CONTRACT.md: everything one role may see, built once per request."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import and_, or_, select
from sqlalchemy.orm import selectinload

from workshop.agenda.cache import BlockFacts, agenda_cache
from workshop.cafe import seating
from workshop.clock import iso
from workshop.curation.writes import curation_json
from workshop.domain.methods import WORLD_CAFE
from workshop.extensions import db
from workshop.live.notes import waiting_count
from workshop.live.serialize import block_json, note_json, workshop_json
from workshop.models import Block, Note, Participant, Table, Workshop
from workshop.openspace import writes as openspace
from workshop.photos.writes import photos_json

ROLES = ("participant", "board", "facilitator")


def participant_json(participant: Participant) -> dict:
    return {
        "token": participant.token,
        "name": participant.name,
        "sector": participant.sector,
        "table": participant.table_number,
    }


def visible_notes(
    workshop: Workshop, role: str, participant: Participant | None = None, reading: openspace.Reading | None = None
) -> list[Note]:
    """Board: every public note. Facilitator: every note. Phone: its table's public notes and its own
    (waiting for a reveal or an approval or not: ``Note.public``)."""
    query = (
        select(Note)
        .where(Note.workshop_id == workshop.id)
        .options(selectinload(Note.author))
        .order_by(Note.created_at, Note.id)
    )
    if role == "facilitator":
        return list(db.session.execute(query).scalars())
    if role != "participant":
        return list(db.session.execute(query.where(Note.public)).scalars())
    if participant is None:
        return []
    seen = []
    if participant.table_number is not None:
        seen.append(Note.table_number == participant.table_number)
    topics = openspace.my_topics(workshop, participant, reading)
    if topics:
        seen.append(Note.topic_id.in_(topics))
    seen.append(Note.tag == "proposal")  # every session's proposals can get the phone's dots
    query = query.where(Note.hidden.is_(False), or_(Note.author_id == participant.id, and_(Note.public, or_(*seen))))
    return list(db.session.execute(query).scalars())


@dataclass(frozen=True)
class WallShape:
    """An Open Space block's wall as ``openspace.wall_json`` reads it (no ORM object kept)."""

    id: int
    slots: list
    spaces: list


def agenda_json(workshop: Workshop) -> dict:
    """The part of every snapshot that only the agenda changes (kept by agenda_cache). The blocks
    are shared between snapshots: a caller copies one before changing it."""
    load_agenda(workshop)
    return {
        "workshop": workshop_json(workshop),
        "blocks": [block_json(each) for each in workshop.blocks],
        "walls": {
            each.id: WallShape(each.id, list(each.slots or []), list(each.spaces or []))
            for each in workshop.blocks
            if each.is_open_space
        },
    }


def load_agenda(workshop: Workshop) -> None:
    """Blocks, their rounds, tables and hosts in four queries, not one lazy load per block."""
    db.session.execute(
        select(Workshop)
        .where(Workshop.id == workshop.id)
        .options(
            selectinload(Workshop.blocks).selectinload(Block.rounds),
            selectinload(Workshop.blocks).selectinload(Block.tables).selectinload(Table.host),
        )
        .execution_options(populate_existing=True)
    ).scalar_one()


def state_for(
    workshop: Workshop,
    role: str,
    now: dt.datetime,
    participant: Participant | None = None,
    reading: openspace.Reading | None = None,
) -> dict:
    # The agenda (workshop, blocks, rounds, tables) is built once per change of it, the Open
    # Space's topics, attendance and dots once per change of them (agenda/cache.py); what is
    # personal (notes, seat, dots) is added per join.
    agenda = agenda_cache.snapshot(workshop.id, lambda: agenda_json(workshop))
    facts = agenda_cache.facts(workshop.id)
    reading = reading or openspace.read(workshop)
    block = facts.current_block  # plain (BlockFacts): what a phone's part reads of it
    notes = visible_notes(workshop, role, participant, reading)
    blocks = []
    for each in agenda["blocks"]:
        data = dict(each)
        wall = agenda["walls"].get(each["id"])
        if wall is not None:
            data["wall"] = openspace.wall_json(wall, [t for t in reading.topics if t.block_id == wall.id])
        blocks.append(data)
    state = {
        "workshop": dict(agenda["workshop"]),
        "blocks": blocks,
        "current": {"block": facts.current_block_id, "round": facts.current_round_id},
        "notes": _with_votes(openspace.note_votes(workshop, reading), [note_json(n, workshop.language) for n in notes]),
        "topics": openspace.topics_json(workshop, reading),
        "now": iso(now),
        "role": role,
    }
    if participant is not None:
        seated = seating.seat_being_seated(block, participant)  # one query for "move" and "expected"
        state["me"] = (
            participant_json(participant)
            | {
                "notes": [n.id for n in notes if n.author_id == participant.id],
                "host": hosted_number(block, participant),
                "move": pending_move(block, participant, seated),
                "expected": seating.planned_table(block, participant, seated),
                "topics": reading.convened_by(participant.id),
                "attending": reading.attending.get(participant.id),
            }
            | _my_dots(block, participant, reading)
        )
    if role in ("board", "facilitator"):
        state |= curation_json(workshop)
        state["board_view"] = workshop.board_view
        state["photos"] = photos_json(workshop)
        # Notes of the current round waiting for a reveal or an approval (the board shows the count).
        state["waiting"] = {"round": facts.current_round_id, "count": waiting_count(facts.current_round_id)}
    if role == "facilitator":
        current = db.session.get(Block, block.id) if block is not None else None
        state["seating"] = seating.coming(current)  # the stored plan's next round, per table
        state["participants"] = [
            participant_json(p) | {"id": p.id, "token": None} for p in sorted(workshop.participants, key=lambda p: p.id)
        ]
    return state


def _with_votes(counts: dict[str, int], notes: list[dict]) -> list[dict]:
    """The dots each report proposal holds (other notes hold none)."""
    for note in notes:
        note["votes"] = counts.get(note["id"], 0)
    return notes


def _my_dots(block: Block | BlockFacts | None, participant: Participant, reading: openspace.Reading) -> dict:
    """The phone's dots in the current block's vote, and how many it has left."""
    if block is None or not block.is_open_space:
        return {"dots": [], "dots_left": None}
    mine = reading.dots_of(participant.id, block.id)
    left = block.vote_dots - len(mine) if block.vote_status == "open" else None
    return {"dots": [{"id": d.id, "target": d.target} for d in mine], "dots_left": left}


def hosted_number(block: Block | BlockFacts | None, participant: Participant) -> int | None:
    if block is None:
        return None
    return next((t.number for t in block.tables if t.host_id == participant.id), None)


def pending_move(
    block: Block | BlockFacts | None, participant: Participant, seated: seating.BeingSeated | None = None
) -> dict | None:
    """The table the phone was asked to go to for the coming round, until it arrives there.
    ``seated``: ``seating.seat_being_seated(block, participant)``, when the caller has it."""
    if block is None or block.method != WORLD_CAFE or block.harvest != "none":
        return None
    upcoming, seat = seated if seated is not None else seating.seat_being_seated(block, participant)
    if upcoming is None or upcoming.status != "pending":  # a round runs: no move until it closes
        return None
    if seat is None or seat.planned_table is None or seat.table is not None:
        return None
    return {"round": upcoming.id, "table": seat.planned_table}
