"""What the HTML pages read and the one write of the no-JavaScript phone form.

Plain service code for ``workshop.web``: no Flask, no request. The caller commits.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from workshop.agenda.read import current_block, current_round
from workshop.broadcasts import Broadcast
from workshop.cafe import pages as cafe_pages
from workshop.domain import rounds as rules
from workshop.extensions import db
from workshop.live import notes as note_service
from workshop.live import participants as participant_service
from workshop.models import Block, Note, Participant, Round, Table, Workshop


def own_notes(workshop: Workshop, participant: Participant | None) -> list[Note]:
    """The participant's visible notes, newest first."""
    if participant is None:
        return []
    query = (
        select(Note)
        .where(Note.workshop_id == workshop.id, Note.author_id == participant.id, Note.hidden.is_(False))
        .order_by(Note.created_at.desc(), Note.id)
    )
    return list(db.session.execute(query).scalars())


def round_notes(workshop: Workshop, round_: Round | None, include_hidden: bool = False) -> list[Note]:
    """The notes of one round, oldest first; the public ones, or every one for the facilitator."""
    if round_ is None:
        return []
    query = (
        select(Note)
        .where(Note.workshop_id == workshop.id, Note.round_id == round_.id)
        .options(selectinload(Note.author))
        .order_by(Note.created_at, Note.id)
    )
    if not include_hidden:
        query = query.where(Note.public)
    return list(db.session.execute(query).scalars())


def seconds_left(round_: Round | None, now: dt.datetime) -> int | None:
    """Whole seconds until the round's end (0 once past); None when it is not running."""
    if round_ is None:
        return None
    timer = rules.RoundTimer(
        status=round_.status, minutes=round_.minutes, started_at=round_.started_at, ends_at=round_.ends_at
    )
    return timer.seconds_left(now)


def next_round(workshop: Workshop) -> Round | None:
    """The round the facilitator most likely starts next: the one after the current round in the
    current block (the block's first round when none has started); None at the block's end."""
    block = current_block(workshop)
    if block is None:
        return None
    round_ = current_round(workshop)
    if round_ is None or round_.block_id != block.id:
        return next((r for r in block.rounds if r.status == "pending"), None)
    if round_.status == "running":
        return None
    return next((r for r in block.rounds if r.position > round_.position), None)


def next_block(workshop: Workshop) -> Block | None:
    block = current_block(workshop)
    blocks = workshop.blocks
    index = blocks.index(block) if block is not None else -1
    return blocks[index + 1] if index + 1 < len(blocks) else None


def post_from_form(
    workshop: Workshop,
    token: str | None,
    note_id: str,
    text: str,
    now: dt.datetime,
    table: int | None = None,
    color: str | None = None,
    may_create=None,
) -> tuple[Participant, Note, list[Broadcast]]:
    """A note sent by the phone page's plain form: the phone is found by its token (or made),
    sits at ``table`` when the page was opened for one, then posts into the running round."""
    participant = participant_service.join(workshop, now, token=token, table=table, may_create=may_create)
    note, broadcasts = note_service.post_note(workshop, participant, note_id, text, now, color=color)
    return participant, note, broadcasts


# --- the board's live wall (templates/live/_board_wall.html)


@dataclass
class WallColumn:
    """A table's column on the board: its notes oldest first (the page lists them newest first).
    ``table`` is None for the column of the notes of no table of the block."""

    number: int | None
    table: Table | None = None
    notes: list[Note] = field(default_factory=list)


@dataclass
class BoardWall:
    """What the board's live wall shows: the current round's public notes per table, or, once a
    World Café block's harvest opened (and no round of it runs), the key ideas of each table."""

    block: Block | None
    round: Round | None
    harvest: bool
    columns: list[WallColumn]
    waiting: int  # the round's notes waiting for a reveal or an approval (counted, never shown)


def harvest_shown(block: Block | None, round_: Round | None) -> bool:
    """The board shows the harvest once a World Café block's harvest opened, unless a round runs."""
    if cafe_pages.world_cafe_block(block) is None or block.harvest == "none":
        return False
    return round_ is None or round_.status != "running" or round_.block_id != block.id


def wall_columns(block: Block | None, notes: list[Note]) -> list[WallColumn]:
    """One column per table of the block, in order; notes without one of them go to a last column."""
    tables = list(block.tables) if block is not None else []
    numbers = {t.number for t in tables}
    columns = [WallColumn(t.number, t, [n for n in notes if n.table_number == t.number]) for t in tables]
    others = [n for n in notes if n.table_number not in numbers]
    if others or not tables:
        columns.append(WallColumn(None, None, others))
    return columns


def board_wall(workshop: Workshop) -> BoardWall:
    block = current_block(workshop)
    round_ = current_round(workshop)
    if block is not None and block.is_open_space:
        # The agenda wall takes the wall's place (openspace_pages.current_wall).
        return BoardWall(block, round_, False, [], note_service.waiting_count(round_.id) if round_ else 0)
    if harvest_shown(block, round_):
        by_table = cafe_pages.harvest_notes(workshop, block)
        columns = [WallColumn(t.number, t, by_table.get(t.number, [])) for t in block.tables]
        return BoardWall(block, round_, True, columns, 0)
    notes = round_notes(workshop, round_)
    waiting = note_service.waiting_count(round_.id) if round_ is not None else 0
    return BoardWall(block, round_, False, wall_columns(block, notes), waiting)
