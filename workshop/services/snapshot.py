"""The state snapshot of CONTRACT.md: everything one role may see, built once per request."""
from __future__ import annotations

import datetime as dt

from sqlalchemy import or_, select
from sqlalchemy.orm import selectinload

from ..clock import iso
from ..extensions import db
from ..models import Block, Note, Participant, Seat, Workshop
from .agenda import current_block, current_round
from .curation import curation_json
from .serialize import block_json, note_json, workshop_json

ROLES = ("participant", "board", "facilitator")


def participant_json(participant: Participant) -> dict:
    return {
        "token": participant.token,
        "name": participant.name,
        "sector": participant.sector,
        "table": participant.table_number,
    }


def visible_notes(workshop: Workshop, role: str, participant: Participant | None = None) -> list[Note]:
    """Board: every visible note. Facilitator: every note. Phone: its table's and its own."""
    query = (
        select(Note)
        .where(Note.workshop_id == workshop.id)
        .options(selectinload(Note.author))
        .order_by(Note.created_at, Note.id)
    )
    if role == "facilitator":
        return list(db.session.execute(query).scalars())
    query = query.where(Note.hidden.is_(False))
    if role == "participant":
        if participant is None:
            return []
        mine = Note.author_id == participant.id
        if participant.table_number is not None:
            query = query.where(or_(mine, Note.table_number == participant.table_number))
        else:
            query = query.where(mine)
    return list(db.session.execute(query).scalars())


def state_for(workshop: Workshop, role: str, now: dt.datetime, participant: Participant | None = None) -> dict:
    block = current_block(workshop)
    round_ = current_round(workshop)
    notes = visible_notes(workshop, role, participant)
    state = {
        "workshop": workshop_json(workshop),
        "blocks": [block_json(b) for b in workshop.blocks],
        "current": {"block": block.id if block else None, "round": round_.id if round_ else None},
        "notes": [note_json(n) for n in notes],
        "topics": [],
        "now": iso(now),
        "role": role,
    }
    if participant is not None:
        state["me"] = participant_json(participant) | {
            "notes": [n.id for n in notes if n.author_id == participant.id],
            "host": _hosted(block, participant),
            "move": _pending_move(block, participant),
        }
    if role in ("board", "facilitator"):
        state |= curation_json(workshop)
    if role == "facilitator":
        state["participants"] = [
            participant_json(p) | {"id": p.id, "token": None}
            for p in sorted(workshop.participants, key=lambda p: p.id)
        ]
    return state


def _hosted(block: Block | None, participant: Participant) -> int | None:
    if block is None:
        return None
    return next((t.number for t in block.tables if t.host_id == participant.id), None)


def _pending_move(block: Block | None, participant: Participant) -> dict | None:
    """The table the phone was asked to go to for the coming round, until it arrives there."""
    if block is None or block.method != "world-cafe":
        return None
    upcoming = next((r for r in block.rounds if r.status == "pending"), None)
    if upcoming is None or any(r.status == "running" for r in block.rounds):
        return None
    seat = db.session.execute(
        select(Seat).where(Seat.round_id == upcoming.id, Seat.participant_id == participant.id)
    ).scalar_one_or_none()
    if seat is None or seat.planned_table is None or seat.table is not None:
        return None
    return {"round": upcoming.id, "table": seat.planned_table}
