"""Phones joining a workshop and saying where they sit."""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Callable

from sqlalchemy import select

from workshop.agenda.read import current_block, table_numbers
from workshop.cafe import writes as cafe
from workshop.domain.errors import WorkshopError
from workshop.extensions import db
from workshop.models import Participant, Workshop

NAME_MAX_LENGTH = 60


def find_participant(workshop: Workshop, token: object) -> Participant | None:
    if not isinstance(token, str) or not 10 <= len(token) <= 64:
        return None
    return db.session.execute(
        select(Participant).where(Participant.workshop_id == workshop.id, Participant.token == token)
    ).scalar_one_or_none()


def join(
    workshop: Workshop,
    now: dt.datetime,
    token: str | None = None,
    name: str | None = None,
    sector: str | None = None,
    table: int | None = None,
    own: int | None = None,
    may_create: Callable[[], bool] | None = None,
) -> Participant:
    """The phone's participant: found by its token, or new. A token of another workshop is new here.

    ``own``: the participant this connection made already; a connection makes at most one, so a
    join without a known token gets that one back. ``may_create``: asked before a new participant
    is made (the per-address budget); False refuses with ``rate_limited``."""
    if sector is not None and workshop.sectors and sector not in {s["id"] for s in workshop.sectors}:
        raise WorkshopError("unknown_sector")
    if table is not None:
        check_table(workshop, table)
    participant = find_participant(workshop, token)
    if participant is None and own is not None:
        participant = db.session.get(Participant, own)
        if participant is None or participant.workshop_id != workshop.id:
            raise WorkshopError("one_participant")
    if participant is None:
        if may_create is not None and not may_create():
            raise WorkshopError("rate_limited")
        participant = Participant(workshop=workshop, token=secrets.token_urlsafe(24), created_at=now, last_seen_at=now)
        db.session.add(participant)
    participant.last_seen_at = now
    if participant.arrived_at is None:
        participant.arrived_at = now  # a roster attendee's passport scanned: here now
    if name is not None:
        participant.name = name
    if sector is not None:
        participant.sector = sector
    db.session.flush()
    if table is not None:
        seat(workshop, participant, table, now)
    return participant


def seen(participant_id: int, now: dt.datetime) -> None:
    """The phone was seen now (its socket left: its seat is kept domain.presence.PRESENT_SECONDS from here)."""
    participant = db.session.get(Participant, participant_id)
    if participant is not None:
        participant.last_seen_at = now


def seat(workshop: Workshop, participant: Participant, table: int, now: dt.datetime) -> list:
    """The phone sits at this table: in a World Café, within its capacity and as an arrival."""
    block = current_block(workshop)
    if block is not None and block.is_world_cafe:
        return cafe.arrive(workshop, participant, table, now)
    sit(workshop, participant, table)
    return []


def check_table(workshop: Workshop, number: int) -> None:
    """A table of the current block (or of any block, between blocks)."""
    block = current_block(workshop)
    numbers = table_numbers(workshop) if block is None or not block.tables else {t.number for t in block.tables}
    if number not in numbers:
        raise WorkshopError("unknown_table", table=number)


def sit(workshop: Workshop, participant: Participant, table: int) -> None:
    check_table(workshop, table)
    participant.table_number = table
