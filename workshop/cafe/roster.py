"""The roster: people known before the day, imported from a CSV, planned before they arrive.

Each imported person is a participant without a phone yet (``arrived_at`` None) and with a
token: their passport's QR code joins as them. Importing again updates the people of the same
name instead of adding them twice.
"""

from __future__ import annotations

import datetime as dt
import secrets
from dataclasses import dataclass, field

from sqlalchemy import select

from workshop.broadcasts import Broadcast
from workshop.cafe import seating
from workshop.domain import roster as rules
from workshop.domain.errors import WorkshopError
from workshop.extensions import db
from workshop.models import Block, Participant, Workshop


@dataclass
class ImportResult:
    added: int = 0
    updated: int = 0
    errors: list[rules.RowError] = field(default_factory=list)


def cafe_blocks(workshop: Workshop) -> list[Block]:
    return [b for b in workshop.blocks if b.is_world_cafe]


def roster_people(workshop: Workshop) -> list[Participant]:
    return list(
        db.session.execute(
            select(Participant)
            .where(Participant.workshop_id == workshop.id, Participant.on_roster.is_(True))
            .order_by(Participant.name, Participant.id)
        ).scalars()
    )


def import_roster(workshop: Workshop, data: bytes, now: dt.datetime) -> tuple[ImportResult, list[Broadcast]]:
    """Reads the file, adds or updates each good row, names the hosts, plans the blocks again."""
    blocks = cafe_blocks(workshop)
    tables = {t.number for b in blocks for t in b.tables}
    try:
        roster = rules.read_roster(data, {s["id"]: s.get("name") or s["id"] for s in workshop.sectors or []}, tables)
    except rules.RosterFileError as error:
        raise WorkshopError(error.code, **error.params) from None
    result = ImportResult(errors=list(roster.errors))
    known = {(p.name or "").casefold(): p for p in roster_people(workshop)}
    for row in roster.rows:
        if row.host:
            free = _host_tables(blocks, row.table, known.get(row.name.casefold()))
            if free is None:
                result.errors.append(rules.RowError(row.line, "roster_no_free_table", {"name": row.name}))
                continue
        person = known.get(row.name.casefold())
        if person is None:
            person = Participant(
                workshop=workshop,
                token=secrets.token_urlsafe(24),
                name=row.name,
                on_roster=True,
                created_at=now,
                last_seen_at=now,
                arrived_at=None,
            )
            db.session.add(person)
            known[row.name.casefold()] = person
            result.added += 1
        else:
            result.updated += 1
        person.name = row.name
        person.sector = row.sector
        person.fixed_table = None if row.host else row.table
        db.session.flush()
        if row.host:
            for block in blocks:
                for table in block.tables:
                    if table.host_id == person.id and table.number != free.get(block.id):
                        table.host = None
                        table.host_id = None
                number = free.get(block.id)
                table = next((t for t in block.tables if t.number == number), None)
                if table is not None:
                    table.host = person
        else:
            for block in blocks:  # no longer a host on this roster
                for table in block.tables:
                    if table.host_id == person.id:
                        table.host = None
                        table.host_id = None
        db.session.flush()
    result.errors.sort(key=lambda e: e.line)
    broadcasts: list[Broadcast] = []
    for block in blocks:
        if seating.is_cafe(block):
            before_day = not seating.started(block)
            keep = None if before_day else seating.round_being_seated(block)
            broadcasts += seating.ensure_plan(workshop, block, now, keep=keep, force=before_day)
    return result, broadcasts


def _host_tables(blocks: list[Block], number: int | None, person: Participant | None) -> dict[int, int] | None:
    """Per block, the table this host takes: the roster's number, else the first without a host."""
    found = {}
    for block in blocks:
        if number is not None:
            if any(t.number == number for t in block.tables):
                found[block.id] = number
            continue
        mine = next((t for t in block.tables if person is not None and t.host_id == person.id), None)
        free = mine or next((t for t in block.tables if t.host_id is None), None)
        if free is None:
            return None
        found[block.id] = free.number
    return found
