"""What crosses rounds and the World Café: the harvest closes or reopens a round. Rounds call the
Café (seating at a start, moves at a close); the Café never calls rounds; this module calls both."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import func, select

from workshop.broadcasts import Broadcast
from workshop.domain import rounds as rules
from workshop.domain.errors import WorkshopError
from workshop.extensions import db
from workshop.live.rounds import close_round, reopen_round, set_current_block
from workshop.models import Note, Workshop
from workshop.rooms import room_for


def open_harvest(workshop: Workshop, block_id: int, now: dt.datetime) -> list[Broadcast]:
    """The closing step of a World Café block: each table brings its key ideas to the plenary.
    Opening it twice (two consoles) is one change."""
    block = next((b for b in workshop.blocks if b.id == block_id), None)
    if block is None:
        raise WorkshopError("unknown_block", block=block_id)
    if not block.is_world_cafe:
        raise WorkshopError("not_world_cafe")
    if block.harvest == "open":
        return []
    broadcasts = []
    if workshop.current_block_id != block.id:
        broadcasts += set_current_block(workshop, block.id, now)
    block.harvest = "open"  # before closing the round: nobody is sent to another table now
    block.harvest_opened_at = now
    running = next((r for r in block.rounds if r.status == "running"), None)
    if running is not None:
        broadcasts += close_round(workshop, running.id, now)
    return broadcasts + [Broadcast("harvest:opened", {"block": block.id}, (room_for(workshop.code, "all"),))]


def cancel_harvest(workshop: Workshop, block_id: int, now: dt.datetime) -> list[Broadcast]:
    """Undoes an opened harvest within a few seconds: back to the tables, and the round it closed
    runs on to the same end. Once a key idea is posted, the harvest can only be closed."""
    block = next((b for b in workshop.blocks if b.id == block_id), None)
    if block is None:
        raise WorkshopError("unknown_block", block=block_id)
    if block.harvest == "none":
        return []  # already cancelled (another console, or the same press twice)
    if block.harvest != "open":
        raise WorkshopError("harvest_not_open")
    if not rules.can_undo(block.harvest_opened_at, now):
        raise WorkshopError("harvest_undo_too_late", seconds=rules.UNDO_SECONDS)
    ideas = db.session.execute(
        select(func.count()).select_from(Note).where(Note.block_id == block.id, Note.kind == "harvest")
    ).scalar_one()
    if ideas:
        raise WorkshopError("harvest_has_ideas")
    closed_by_it = next(
        (
            r
            for r in block.rounds
            if r.status == "closed" and r.closed_at is not None and r.closed_at == block.harvest_opened_at
        ),
        None,
    )
    block.harvest = "none"
    block.harvest_opened_at = None
    broadcasts = [Broadcast("harvest:cancelled", {"block": block.id}, (room_for(workshop.code, "all"),))]
    if closed_by_it is not None and rules.can_undo(closed_by_it.closed_at, now):
        broadcasts += reopen_round(workshop, closed_by_it.id, now)
    return broadcasts
