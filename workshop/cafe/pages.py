"""What the World Café parts of the HTML pages read: the phone's tablecloth and harvest, the
console's tables, the printable rotation plan.

Plain service code for ``workshop.web``: no Flask, no request, no writes.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import func, select

from workshop.agenda.read import current_block
from workshop.cafe import seating
from workshop.cafe import writes as cafe
from workshop.extensions import db
from workshop.live.snapshot import hosted_number, pending_move
from workshop.models import Block, Note, Participant, Round, Table, Workshop


@dataclass
class RoundNotes:
    round: Round
    notes: list[Note]


@dataclass
class PhoneCafe:
    """The World Café part of a phone's page; ``block`` is None outside a World Café block."""

    block: Block | None = None
    table: Table | None = None  # the phone's table in the block
    hosted: int | None = None  # the table this phone hosts
    move: dict | None = None  # {"round", "table"}: where to sit for the coming round
    tablecloth: list[RoundNotes] = field(default_factory=list)  # the host's view, earlier rounds first
    harvest: list[Note] = field(default_factory=list)  # the key ideas of the phone's table


@dataclass
class TableOverview:
    table: Table
    people: list[Participant]  # seated there now (the host first)
    notes_per_round: list[tuple[Round, int]]
    harvest: int


@dataclass
class PlannedTable:
    table: Table
    host: Participant | None
    people: list[Participant]  # the others, in the plan's order


@dataclass
class PlannedRound:
    round: Round
    tables: list[PlannedTable]
    held: bool = False  # started or closed: as it happened, not as planned


@dataclass
class MovingTable:
    number: int
    table: Table | None  # None: a table the plan uses that the block does not list
    expected: int  # people the plan seats there for the coming round


@dataclass
class MovingScreen:
    """The board's "change tables" screen between two World Café rounds: the round about to start
    and how many people each table expects (what ``cafe.plan_moves`` told the phones)."""

    round: Round
    tables: list[MovingTable]


def world_cafe_block(block: Block | None) -> Block | None:
    """The block itself when it is a World Café with tables, else None."""
    if block is None or not block.is_world_cafe:
        return None
    return block


def find_world_cafe_block(workshop: Workshop, block_id: int) -> Block | None:
    return world_cafe_block(next((b for b in workshop.blocks if b.id == block_id), None))


def participant_numbers(workshop: Workshop) -> dict[int, int]:
    """Each participant's number in the workshop (1, 2, ...: order of arrival), to name the unnamed."""
    ids = sorted(p.id for p in workshop.participants)
    return {pid: index for index, pid in enumerate(ids, start=1)}


def phone_cafe(workshop: Workshop, participant: Participant | None, table: int | None) -> PhoneCafe:
    """What the phone sitting at ``table`` sees of the current World Café block."""
    block = world_cafe_block(current_block(workshop))
    if block is None:
        return PhoneCafe()
    view = PhoneCafe(block=block, table=next((t for t in block.tables if t.number == table), None))
    if participant is not None:
        view.hosted = hosted_number(block, participant)
        if block.harvest == "none":  # once the harvest opens, nobody moves any more
            view.move = pending_move(block, participant)
    if view.table is None:
        return view
    notes = cafe.tablecloth(workshop, block, view.table.number)
    view.harvest = [n for n in notes if n.kind == "harvest"]
    if view.hosted == view.table.number:
        view.tablecloth = rounds_with_notes(block, [n for n in notes if n.kind != "harvest"])
    return view


def rounds_with_notes(block: Block, notes: list[Note]) -> list[RoundNotes]:
    """The block's rounds that started or hold notes, earlier first, each with its notes."""
    by_round: dict[int | None, list[Note]] = {}
    for note in notes:
        by_round.setdefault(note.round_id, []).append(note)
    return [
        RoundNotes(round_, by_round.get(round_.id, []))
        for round_ in block.rounds
        if round_.status != "pending" or round_.id in by_round
    ]


def table_overview(workshop: Workshop, block: Block) -> list[TableOverview]:
    """Per table of the block: who sits there, the notes of each round, the key ideas."""
    people = cafe.present_people(workshop, block)
    counts = db.session.execute(
        select(Note.table_number, Note.round_id, Note.kind, func.count(Note.id))
        .where(Note.workshop_id == workshop.id, Note.block_id == block.id, Note.hidden.is_(False))
        .group_by(Note.table_number, Note.round_id, Note.kind)
    ).all()
    notes = {(number, round_id): count for number, round_id, kind, count in counts if kind != "harvest"}
    harvest: dict[int, int] = {}
    for number, _round_id, kind, count in counts:
        if kind == "harvest":
            harvest[number] = harvest.get(number, 0) + count
    overview = []
    for table in block.tables:
        seated = [p for p in people if p.table_number == table.number]
        seated.sort(key=lambda p: p.id != table.host_id)  # the host first, then in order of arrival
        overview.append(
            TableOverview(
                table=table,
                people=seated,
                notes_per_round=[(r, notes.get((table.number, r.id), 0)) for r in block.rounds],
                harvest=harvest.get(table.number, 0),
            )
        )
    return overview


def harvest_notes(workshop: Workshop, block: Block) -> dict[int, list[Note]]:
    """The key ideas of each table of the block, oldest first."""
    notes = db.session.execute(
        select(Note)
        .where(
            Note.workshop_id == workshop.id,
            Note.block_id == block.id,
            Note.kind == "harvest",
            Note.hidden.is_(False),
        )
        .order_by(Note.created_at, Note.id)
    ).scalars()
    by_table: dict[int, list[Note]] = {t.number: [] for t in block.tables}
    for note in notes:
        by_table.setdefault(note.table_number, []).append(note)
    return by_table


def rotation_plan(workshop: Workshop, block: Block) -> list[PlannedRound]:
    """The stored plan of the block (``seating.plan_view``) with people instead of ids: the rounds
    held as they were, the others as planned."""
    view = seating.plan_view(workshop, block)
    tables = {t.number: t for t in block.tables}
    plan = []
    for round_, held, seated in view.rounds:
        planned = []
        for number, ids in sorted(seated.items()):
            table = tables.get(number)
            if table is None:
                continue
            members = [view.people[i] for i in ids if i in view.people]
            host = next((p for p in members if p.id == table.host_id), None)
            planned.append(PlannedTable(table=table, host=host, people=[p for p in members if p is not host]))
        plan.append(PlannedRound(round=round_, tables=planned, held=held))
    return plan


def moving_screen(block: Block | None) -> MovingScreen | None:
    """Between two rounds of a World Café block whose phones were told where to sit for the next
    one: that round and the people each table expects; None otherwise (a round runs, the harvest
    opened, nobody was told)."""
    if world_cafe_block(block) is None or block.harvest != "none":
        return None
    if any(r.status == "running" for r in block.rounds):
        return None
    coming = next((r for r in block.rounds if r.status == "pending"), None)
    if coming is None or (block.plan_basis or {}).get("told") != coming.id:
        return None
    counts = {t.number: 0 for t in block.tables}
    for seat in seating.seats_of([coming])[coming.id].values():
        if seat.planned_table is not None:
            counts[seat.planned_table] = counts.get(seat.planned_table, 0) + 1
    tables = {t.number: t for t in block.tables}
    return MovingScreen(coming, [MovingTable(n, tables.get(n), c) for n, c in sorted(counts.items())])
