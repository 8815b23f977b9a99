"""Reading the agenda of a workshop: blocks, rounds, tables, what is current."""

from __future__ import annotations

from sqlalchemy import select

from workshop.domain.errors import WorkshopError
from workshop.extensions import db
from workshop.models import Block, Round, Workshop


def current_block(workshop: Workshop) -> Block | None:
    return next((b for b in workshop.blocks if b.id == workshop.current_block_id), None)


def running_round(workshop: Workshop) -> Round | None:
    """One query, not a walk over every block's rounds: this is on every note's path."""
    return db.session.execute(
        select(Round)
        .join(Block, Round.block_id == Block.id)
        .where(Block.workshop_id == workshop.id, Round.status == "running")
        .limit(1)
    ).scalar_one_or_none()


def current_round(workshop: Workshop) -> Round | None:
    """The running round; else the last one started in the current block; else None."""
    running = running_round(workshop)
    if running is not None:
        return running
    block = current_block(workshop)
    if block is None:
        return None
    started = [r for r in block.rounds if r.started_at is not None]
    return max(started, key=lambda r: r.started_at) if started else None


def find_round(workshop: Workshop, round_id: int) -> Round:
    for block in workshop.blocks:
        for round_ in block.rounds:
            if round_.id == round_id:
                return round_
    raise WorkshopError("unknown_round", round=round_id)


def find_block(workshop: Workshop, block_id: int) -> Block:
    for block in workshop.blocks:
        if block.id == block_id:
            return block
    raise WorkshopError("unknown_block", block=block_id)


def table_numbers(workshop: Workshop) -> set[int]:
    return {t.number for b in workshop.blocks for t in b.tables}


def table_themes(workshop: Workshop) -> dict[int, str | None]:
    """Each table number with its theme, as printed on the cards (the first block's wins)."""
    themes: dict[int, str | None] = {}
    for block in workshop.blocks:
        for table in block.tables:
            themes.setdefault(table.number, table.theme)
    return dict(sorted(themes.items()))
