"""World Café: hosts who stay, moves between rounds, the tablecloth, stars and the harvest."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from workshop.agenda.read import current_block
from workshop.broadcasts import Broadcast
from workshop.cafe import seating
from workshop.clock import iso
from workshop.domain import rotation
from workshop.domain.errors import WorkshopError
from workshop.domain.methods import WORLD_CAFE
from workshop.domain.notes import note_text
from workshop.domain.presence import present_since
from workshop.extensions import db
from workshop.live.notes import existing_note, note_rooms, store
from workshop.models import Block, Note, Participant, Round, Seat, Table, Workshop
from workshop.rooms import room_for

MOVE_SECONDS = 90  # the "change tables" screen on the board


def cafe_block(workshop: Workshop) -> Block:
    """The current block, if it is a World Café still taking moves."""
    block = current_block(workshop)
    if block is None or not block.is_world_cafe:
        raise WorkshopError("not_world_cafe")
    if block.harvest == "closed":
        raise WorkshopError("block_closed")
    return block


def find_table(block: Block, number: int) -> Table:
    for table in block.tables:
        if table.number == number:
            return table
    raise WorkshopError("unknown_table", table=number)


def _host_event(workshop: Workshop, block: Block, table: Table) -> Broadcast:
    host = table.host
    payload = {
        "block": block.id,
        "table": table.number,
        "host": host.name if host else None,
        "host_id": host.id if host else None,
    }
    return Broadcast("table:hosted", payload, (room_for(workshop.code, "all"),))


def _release(workshop: Workshop, block: Block, participant: Participant, keep: Table | None = None) -> list[Broadcast]:
    broadcasts = []
    for table in block.tables:
        if table.host_id == participant.id and table is not keep:
            table.host = None
            table.host_id = None
            broadcasts.append(_host_event(workshop, block, table))
    return broadcasts


def host_table(workshop: Workshop, participant: Participant, number: int, now: dt.datetime) -> list[Broadcast]:
    """The participant hosts this table of the current block; one host per table."""
    block = cafe_block(workshop)
    table = find_table(block, number)
    if table.host_id not in (None, participant.id):
        raise WorkshopError("table_hosted", table=number)
    broadcasts = _release(workshop, block, participant, keep=table)
    table.host = participant
    participant.table_number = number
    _record_arrival(block, participant, number, now)
    db.session.flush()
    return broadcasts + [_host_event(workshop, block, table)] + seating.follow(workshop, block, now)


def assign_host(workshop: Workshop, number: int, participant_id: int | None, now: dt.datetime) -> list[Broadcast]:
    """The facilitator names (or removes, with None) a table's host; the former host stays seated."""
    block = cafe_block(workshop)
    table = find_table(block, number)
    if participant_id is None:
        table.host = None
        table.host_id = None
        db.session.flush()
        return [_host_event(workshop, block, table)] + seating.follow(workshop, block, now)
    participant = find_participant_by_id(workshop, participant_id)
    if table.host_id == participant.id:
        return []
    table.host = None  # the facilitator's word replaces the former host
    table.host_id = None
    return host_table(workshop, participant, number, now)


def find_participant_by_id(workshop: Workshop, participant_id: int) -> Participant:
    participant = db.session.get(Participant, participant_id)
    if participant is None or participant.workshop_id != workshop.id:
        raise WorkshopError("unknown_participant")
    return participant


def seated(workshop: Workshop, block: Block, number: int, now: dt.datetime | None = None) -> int:
    """People at this table now, less those the plan sends elsewhere who have not left yet.
    With ``now``, only people present hold a seat: connected, or seen within PRESENT_SECONDS."""
    at_table = select(Participant.id).where(Participant.workshop_id == workshop.id, Participant.table_number == number)
    ids = set(db.session.execute(at_table).scalars())
    round_ = _round_being_seated(block)
    if round_ is not None and ids:
        ids -= set(
            db.session.execute(
                select(Seat.participant_id).where(
                    Seat.round_id == round_.id,
                    Seat.participant_id.in_(at_table),
                    Seat.planned_table != number,
                    Seat.table.is_(None),
                )
            ).scalars()
        )
    if now is None or not ids:
        return len(ids)
    return len(ids) - len(absent_among(workshop, ids, now))


def absent_among(workshop: Workshop, ids: set[int], now: dt.datetime) -> set[int]:
    """Those of ``ids`` not seen within PRESENT_SECONDS and not connected now."""
    from workshop.realtime.presence import presence  # plain Python: who has a socket, in any process

    stale = set(
        db.session.execute(
            select(Participant.id).where(Participant.id.in_(ids), Participant.last_seen_at < present_since(now))
        ).scalars()
    )
    if not stale:
        return stale
    return stale - presence.participants(workshop.code)


def absent_seated(workshop: Workshop, block: Block, now: dt.datetime) -> list[Participant]:
    """People seated at the block's tables whose phone is gone (their seat counts for nobody)."""
    people = present_people(workshop, block)
    absent = absent_among(workshop, {p.id for p in people}, now) if people else set()
    return [p for p in people if p.id in absent]


def free_absent_seats(workshop: Workshop, now: dt.datetime) -> tuple[int, list[Broadcast]]:
    """The facilitator frees the seats (and tables hosted) of absent phones: they sit nowhere
    until they come back and choose a table again."""
    block = cafe_block(workshop)
    broadcasts: list[Broadcast] = []
    absent = absent_seated(workshop, block, now)
    for participant in absent:
        broadcasts += _release(workshop, block, participant)
        participant.table_number = None
    db.session.flush()
    return len(absent), broadcasts


def arrive(workshop: Workshop, participant: Participant, number: int, now: dt.datetime) -> list[Broadcast]:
    """The participant sits at this table (scanned its card or tapped "I'm here")."""
    block = cafe_block(workshop)
    table = find_table(block, number)
    if participant.table_number != number:
        if table.capacity is not None and seated(workshop, block, number, now) >= table.capacity:
            raise WorkshopError("table_full", table=number)
        broadcasts = _release(workshop, block, participant, keep=table)  # a host who sits elsewhere stops hosting
    else:
        broadcasts = []
    participant.table_number = number
    _record_arrival(block, participant, number, now)
    db.session.flush()
    return broadcasts + seating.follow(workshop, block, now)


def move_person(workshop: Workshop, participant_id: int, number: int, now: dt.datetime) -> list[Broadcast]:
    """The facilitator seats someone elsewhere; they are told on their phone."""
    participant = find_participant_by_id(workshop, participant_id)
    broadcasts = arrive(workshop, participant, number, now)
    round_ = _round_being_seated(cafe_block(workshop))
    payload = {"round": round_.id if round_ else None, "table": number, "by": "facilitator"}
    return broadcasts + [Broadcast("table:move", payload, (room_for(workshop.code, "participant", participant.id),))]


def _round_being_seated(block: Block) -> Round | None:
    """The running round, else the next round not yet started."""
    running = next((r for r in block.rounds if r.status == "running"), None)
    if running is not None:
        return running
    return next((r for r in block.rounds if r.status == "pending"), None)


def _seat(round_: Round, participant: Participant) -> Seat:
    seat = db.session.execute(
        select(Seat).where(Seat.round_id == round_.id, Seat.participant_id == participant.id)
    ).scalar_one_or_none()
    if seat is None:
        seat = Seat(round_id=round_.id, participant_id=participant.id)
        db.session.add(seat)
    return seat


def _record_arrival(block: Block, participant: Participant, number: int, now: dt.datetime) -> None:
    if participant.arrived_at is None:
        participant.arrived_at = now
    round_ = _round_being_seated(block)
    if round_ is not None:
        seat = _seat(round_, participant)
        seat.table = number
        seat.arrived_at = now


def block_history(block: Block, before: Round | None = None) -> list[rotation.Seating]:
    """Who sat where in the block's rounds (before a given round), as the planner reads it."""
    rounds = [r for r in block.rounds if before is None or r.position < before.position]
    ids = [r.id for r in rounds]
    if not ids:
        return []
    seats = db.session.execute(select(Seat).where(Seat.round_id.in_(ids))).scalars().all()
    history: list[rotation.Seating] = []
    for round_ in rounds:
        tables: dict[int, list[str]] = {}
        for seat in seats:
            number = seat.table if seat.table is not None else seat.planned_table
            if seat.round_id == round_.id and number is not None:
                tables.setdefault(number, []).append(str(seat.participant_id))
        if tables:
            history.append({n: tuple(sorted(people)) for n, people in tables.items()})
    return history


def present_people(workshop: Workshop, block: Block) -> list[Participant]:
    """Everyone who says they sit at one of the block's tables."""
    numbers = [t.number for t in block.tables]
    return list(
        db.session.execute(
            select(Participant)
            .where(Participant.workshop_id == workshop.id, Participant.table_number.in_(numbers))
            .order_by(Participant.id)
        ).scalars()
    )


def record_round(workshop: Workshop, round_: Round, now: dt.datetime) -> None:
    """When a round closes: note where everyone sat, for the planner's history."""
    for participant in present_people(workshop, round_.block):
        seat = _seat(round_, participant)
        if seat.table is None:
            seat.table = participant.table_number


def plan_moves(workshop: Workshop, closed: Round, now: dt.datetime) -> list[Broadcast]:
    """After a round closes, tell each phone where the stored plan seats it for the next round
    (planned again first if the round just held went otherwise than planned)."""
    block = closed.block
    if not seating.is_cafe(block):
        return []
    following = next((r for r in block.rounds if r.position > closed.position and r.status == "pending"), None)
    if following is None:
        return []
    record_round(workshop, closed, now)
    try:
        updates = seating.ensure_plan(workshop, block, now)
    except WorkshopError as error:
        # The round closes all the same; the facilitator is told why nobody was sent anywhere.
        payload = {"round": following.id, "error": {"code": error.code, **error.params}}
        return [Broadcast("moves:unplanned", payload, (room_for(workshop.code, "facilitator"),))]
    seats = seating.seats_of([following])[following.id]
    if not seats:
        return updates
    hosts = {t.host_id for t in block.tables if t.host_id}
    until = now + dt.timedelta(seconds=MOVE_SECONDS)
    broadcasts = [b for b in updates if b.event != "table:move"]  # each phone is told once, below
    counts: dict[int, int] = {t.number: 0 for t in block.tables}
    for pid, seat in sorted(seats.items()):
        if seat.planned_table is None:
            continue
        counts[seat.planned_table] = counts.get(seat.planned_table, 0) + 1
        payload = {"round": following.id, "table": seat.planned_table, "host": pid in hosts, "until": iso(until)}
        broadcasts.append(Broadcast("table:move", payload, (room_for(workshop.code, "participant", pid),)))
    summary = {
        "round": following.id,
        "block": block.id,
        "until": iso(until),
        "now": iso(now),
        "tables": {str(n): c for n, c in sorted(counts.items())},
    }
    broadcasts.append(Broadcast("tables:moving", summary, (room_for(workshop.code, "all"),)))
    block.plan_basis = dict(block.plan_basis or {}) | {"told": following.id}  # its start seats them there
    return broadcasts


def tablecloth(workshop: Workshop, block: Block, number: int) -> list[Note]:
    """Every public note posted at this table in the block, oldest first."""
    return list(
        db.session.execute(
            select(Note)
            .where(
                Note.workshop_id == workshop.id,
                Note.block_id == block.id,
                Note.table_number == number,
                Note.public,
            )
            .order_by(Note.created_at, Note.id)
        ).scalars()
    )


def hosted_table(block: Block, participant: Participant) -> Table | None:
    return next((t for t in block.tables if t.host_id == participant.id), None)


def star(workshop: Workshop, note_id: str, starred: bool, host: Participant | None = None) -> list[Broadcast]:
    """A table's host (or the facilitator, host=None) stars an idea for the harvest."""
    note = db.session.get(Note, note_id)
    if note is None or note.workshop_id != workshop.id:
        raise WorkshopError("unknown_note")
    if host is not None:
        block = next((b for b in workshop.blocks if b.id == note.block_id), None)
        table = hosted_table(block, host) if block is not None else None
        if table is None or table.number != note.table_number:
            raise WorkshopError("not_host")
    if note.starred == starred:
        return []
    note.starred = starred
    return [Broadcast("note:starred", {"note": note.id, "starred": starred}, note_rooms(workshop, note))]


def close_harvest(workshop: Workshop, block_id: int) -> list[Broadcast]:
    block = next((b for b in workshop.blocks if b.id == block_id), None)
    if block is None:
        raise WorkshopError("unknown_block", block=block_id)
    if block.harvest == "closed":
        return []  # already closed: the same press twice is one change
    if block.harvest != "open":
        raise WorkshopError("harvest_not_open")
    block.harvest = "closed"
    return [Broadcast("harvest:closed", {"block": block.id}, (room_for(workshop.code, "all"),))]


def post_harvest(
    workshop: Workshop,
    note_id: str,
    text: str,
    now: dt.datetime,
    author: Participant | None = None,
    table: int | None = None,
) -> tuple[Note, list[Broadcast]]:
    """A key idea of a table for the harvest, by its host (their table) or the facilitator (any)."""
    existing = existing_note(workshop, note_id, author)
    if existing is not None:
        return existing, []
    block = current_block(workshop)
    if block is None or block.method != WORLD_CAFE or block.harvest != "open":
        raise WorkshopError("harvest_not_open")
    if author is not None:
        hosted = hosted_table(block, author)
        if hosted is None:
            raise WorkshopError("not_host")
        if table is not None and table != hosted.number:
            raise WorkshopError("not_host")
        table = hosted.number
    if table is None:
        raise WorkshopError("missing_field", field="table")
    find_table(block, table)
    note = Note(
        id=note_id,
        workshop_id=workshop.id,
        block_id=block.id,
        round_id=None,
        table_number=table,
        author=author,
        text=note_text(text),
        kind="harvest",
        created_at=now,
    )
    return store(workshop, note)
