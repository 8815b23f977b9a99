"""What the HTML pages read and the one write of the no-JavaScript phone form.

Plain service code for ``workshop.web``: no Flask, no request. The caller commits.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from workshop.agenda.read import current_block, current_round
from workshop.broadcasts import Broadcast
from workshop.domain import rounds as rules
from workshop.extensions import db
from workshop.live import notes as note_service
from workshop.live import participants as participant_service
from workshop.models import Block, Note, Participant, Round, Workshop


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
