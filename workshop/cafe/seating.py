"""One stored rotation plan per World Café block: the paper, the console, the board and the phones
all read it.

The plan is ``Seat.planned_table`` for every (round, person) of the block, made by
``rotation.plan_block`` and stored; ``Seat.table`` is where the person really sat. The rounds held
(running or closed) are kept as they were; the pending rounds are planned again only when what
the plan was made from changes (the people expected, their sectors and fixed tables, the hosts,
the capacities, or a held round that went otherwise than planned), or when the facilitator asks.

Who the plan seats (``expected``): the hosts, everyone seated at one of the block's tables, the
phones that joined without a table yet and, until the block's first round starts, the roster's
people who have not arrived. At a round's start, the roster's people still not here are left out
of it (the others keep their seats), everyone else sits where the plan says, and newcomers are
seated at the smallest tables.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select

from workshop.agenda.cache import BlockFacts, RoundFacts
from workshop.broadcasts import Broadcast
from workshop.clock import iso
from workshop.domain import rotation
from workshop.extensions import db
from workshop.models import Block, Participant, Round, Seat, Workshop
from workshop.rooms import room_for

# Kept beside the basis in Block.plan_basis, not part of it: the last round start's summary, and
# the round whose moves were sent to the phones.
NOTES = ("summary", "told")


@dataclass
class StartSummary:
    """What a round's start changed: the facilitator's one line."""

    absent: int = 0
    walk_ins: int = 0
    replanned: bool = False

    def json(self) -> dict:
        return {"absent": self.absent, "walk_ins": self.walk_ins, "replanned": self.replanned}


def is_cafe(block: Block | BlockFacts | None) -> bool:
    return block is not None and block.is_world_cafe and block.harvest == "none"


def started(block: Block) -> bool:
    return any(r.status != "pending" for r in block.rounds)


def expected(workshop: Workshop, block: Block) -> list[Participant]:
    """Everyone the plan seats, in order of arrival (see the module's docstring)."""
    numbers = {t.number for t in block.tables}
    hosts = {t.host_id for t in block.tables if t.host_id is not None}
    began = started(block)
    people = []
    for p in sorted(workshop.participants, key=lambda p: p.id):
        if p.arrived_at is None:
            if p.on_roster and not began:
                people.append(p)
        elif p.id in hosts or p.table_number in numbers or p.fixed_table in numbers or p.table_number is None:
            people.append(p)
    return people


def seats_of(rounds: list[Round]) -> dict[int, dict[int, Seat]]:
    """round id -> participant id -> seat."""
    ids = [r.id for r in rounds]
    found: dict[int, dict[int, Seat]] = {i: {} for i in ids}
    if ids:
        for seat in db.session.execute(select(Seat).where(Seat.round_id.in_(ids))).scalars():
            found[seat.round_id][seat.participant_id] = seat
    return found


def seat_number(seat: Seat) -> int | None:
    """Where the seat is: where the person sat, else where the plan puts them."""
    return seat.table if seat.table is not None else seat.planned_table


def _seat(seats: dict[int, Seat], round_: Round, participant: Participant) -> Seat:
    seat = seats.get(participant.id)
    if seat is None:
        seat = Seat(round_id=round_.id, participant_id=participant.id)
        db.session.add(seat)
        seats[participant.id] = seat
    return seat


def _basis(block: Block, people: list[Participant]) -> dict:
    """What the plan is made from, besides the rounds held (JSON, to compare with the stored one)."""
    numbers = {t.number for t in block.tables}
    return {
        "people": [[p.id, p.sector, p.fixed_table if p.fixed_table in numbers else None] for p in people],
        "tables": [[t.number, t.capacity, t.host_id] for t in block.tables],
    }


def has_plan(block: Block) -> bool:
    return block.planned_at is not None


def _first_free(block: Block, keep: Round | None) -> int:
    """Index of the first round the plan may change: after the rounds held (and ``keep``)."""
    index = 0
    for i, round_ in enumerate(block.rounds):
        if round_.status != "pending" or (keep is not None and round_.id == keep.id):
            index = i + 1
    return index


def ensure_plan(
    workshop: Workshop, block: Block, now: dt.datetime, keep: Round | None = None, force: bool = False
) -> list[Broadcast]:
    """Plans the block's free rounds again if what the plan was made from changed (or ``force``).

    ``keep``: a pending round whose seating the phones were already told (between two rounds):
    it stays as stored, like the rounds held.
    """
    if not is_cafe(block):
        return []
    rounds = list(block.rounds)
    people = expected(workshop, block)
    if not people and not has_plan(block):
        return []  # nobody yet: nothing to plan, nothing to say
    if (
        keep is not None
        and keep.status == "pending"
        and not any(seat_number(s) is not None for s in seats_of([keep])[keep.id].values())
    ):
        keep = None  # nobody told or seated yet: it is planned like the others
    first = _first_free(block, keep)
    seats = seats_of(rounds)
    basis = _basis(block, people)
    drift = any(
        s.table is not None and s.table != s.planned_table for r in rounds[:first] for s in seats[r.id].values()
    )
    stored = {k: v for k, v in (block.plan_basis or {}).items() if k not in NOTES}
    if not force and not drift and stored == basis:
        return []
    # The rounds held (and kept) are history: their plan becomes what really happened.
    history: list[rotation.Seating] = []
    for round_ in rounds[:first]:
        tables: dict[int, list[str]] = {}
        for seat in seats[round_.id].values():
            if seat.table is not None:
                seat.planned_table = seat.table
            if seat.planned_table is not None:
                tables.setdefault(seat.planned_table, []).append(str(seat.participant_id))
        history.append({n: tuple(sorted(ids)) for n, ids in tables.items()})
    free = rounds[first:]
    broadcasts: list[Broadcast] = []
    if free:
        numbers = {t.number for t in block.tables}
        hosts = {t.host_id for t in block.tables}
        planned = rotation.plan_block(
            [
                rotation.Person(
                    id=str(p.id),
                    sector=p.sector,
                    table=p.fixed_table if p.fixed_table in numbers and p.id not in hosts else None,
                )
                for p in people
            ],
            [
                rotation.TableSeat(number=t.number, capacity=t.capacity, host=str(t.host_id) if t.host_id else None)
                for t in block.tables
            ],
            rounds=len(free),
            seed=block.id,
            history=history,
        )
        by_id = {p.id: p for p in people}
        being_seated = round_being_seated(block)
        hosted = {t.host_id: t.number for t in block.tables if t.host_id is not None}
        for round_, seating in zip(free, planned):
            where = {int(member): number for number, members in seating.items() for member in members}
            for pid, seat in list(seats[round_.id].items()):
                if pid not in where:
                    db.session.delete(seat)
                    del seats[round_.id][pid]
            for pid, number in where.items():
                seat = _seat(seats[round_.id], round_, by_id[pid])
                if seat.planned_table != number or seat.table not in (None, number):
                    told = seat.planned_table is not None
                    seat.planned_table = number
                    seat.table = None  # told anew: they have not arrived there yet
                    if told and round_ is being_seated:
                        payload = {"round": round_.id, "table": number, "host": hosted.get(pid) == number, "by": "plan"}
                        broadcasts.append(
                            Broadcast("table:move", payload, (room_for(workshop.code, "participant", pid),))
                        )
    block.plan_basis = basis | {k: v for k, v in (block.plan_basis or {}).items() if k in NOTES}
    block.planned_at = now
    db.session.flush()
    broadcasts.append(
        Broadcast("plan:updated", {"block": block.id, "planned_at": iso(now)}, (room_for(workshop.code, "all"),))
    )
    return broadcasts


def _smallest_table(block: Block, counts: dict[int, int]) -> int | None:
    """The table with the fewest people and room left (ties: the lowest number); None: all full."""
    room = [t for t in block.tables if t.capacity is None or counts.get(t.number, 0) < t.capacity]
    if not room:
        return None
    return min(room, key=lambda t: (counts.get(t.number, 0), t.number)).number


def seat_newcomers(
    workshop: Workshop, block: Block, round_: Round, now: dt.datetime, prefer: dict[int, int] | None = None
) -> tuple[int, list[Broadcast]]:
    """People expected but not in ``round_``'s seating: seated without moving anyone else.

    Their host table or fixed table if they have one; the table they already chose (sat there,
    or ``prefer``: the card they scanned, if it has room); else the smallest table. Each phone is
    told where to go.
    """
    seats = seats_of([round_])[round_.id]
    counts: dict[int, int] = {}
    for seat in seats.values():
        number = seat_number(seat)
        if number is not None:
            counts[number] = counts.get(number, 0) + 1
    numbers = {t.number for t in block.tables}
    hosted = {t.host_id: t.number for t in block.tables if t.host_id is not None}
    running = round_.status == "running"
    broadcasts: list[Broadcast] = []
    seated = 0
    for person in expected(workshop, block):
        seat = seats.get(person.id)
        if seat is not None and seat_number(seat) is not None:
            if seat.planned_table is None:
                seat.planned_table = seat.table  # chose a table themselves: the plan knows it
            continue
        if person.arrived_at is None:
            continue  # on the roster, not here: nobody keeps a seat for them
        number = hosted.get(person.id) or (person.fixed_table if person.fixed_table in numbers else None)
        wish = (prefer or {}).get(person.id)
        if number is None and wish in numbers:
            table = next(t for t in block.tables if t.number == wish)
            if table.capacity is None or counts.get(wish, 0) < table.capacity:
                number = wish
        if number is None:
            number = _smallest_table(block, counts)
        if number is None:
            continue  # every table is full: the facilitator sees them among the unseated
        counts[number] = counts.get(number, 0) + 1
        seat = _seat(seats, round_, person)
        seat.planned_table = number
        if running:
            seat.table = number
            seat.arrived_at = now
            person.table_number = number
        seated += 1
        # A round under way: seated there now (the page says so); else told where to go.
        event, extra = ("table:seated", {}) if running else ("table:move", {"by": "plan"})
        payload = {"round": round_.id, "table": number, "host": hosted.get(person.id) == number} | extra
        broadcasts.append(Broadcast(event, payload, (room_for(workshop.code, "participant", person.id),)))
    db.session.flush()
    return seated, broadcasts


def round_being_seated(block: Block | BlockFacts) -> Round | RoundFacts | None:
    running = next((r for r in block.rounds if r.status == "running"), None)
    return running or next((r for r in block.rounds if r.status == "pending"), None)


def follow(
    workshop: Workshop, block: Block | None, now: dt.datetime, prefer: dict[int, int] | None = None
) -> list[Broadcast]:
    """After an arrival (a phone joins, sits, hosts): newcomers get a seat in the round being
    seated, nobody else moves. The later rounds are planned again at the next round's start or
    close, or when the plan is printed (``ensure_plan``), not on every arrival."""
    if not is_cafe(block):
        return []
    round_ = round_being_seated(block)
    if round_ is None:
        return []
    _count, broadcasts = seat_newcomers(workshop, block, round_, now, prefer)
    if not has_plan(block):
        broadcasts += ensure_plan(workshop, block, now, keep=round_)
    return broadcasts


def start(workshop: Workshop, round_: Round, now: dt.datetime) -> list[Broadcast]:
    """A World Café round starts: the absent are left out, everyone else sits where the plan
    says, walk-ins are seated where tables stay even, the later rounds follow."""
    block = round_.block
    if not is_cafe(block):
        return []
    broadcasts: list[Broadcast] = []
    seats = seats_of([round_])[round_.id]
    numbers = {t.number for t in block.tables}
    if not has_plan(block):
        # Never planned (no roster, nobody told): this round is where people sit now; the plan
        # starts from it.
        for person in expected(workshop, block):
            if person.arrived_at is not None and person.table_number in numbers and person.id not in seats:
                seat = _seat(seats, round_, person)
                seat.table = seat.planned_table = person.table_number
                seat.arrived_at = now
        db.session.flush()
    summary = StartSummary()
    planned_for = {row[0] for row in (block.plan_basis or {}).get("people", [])}  # whom the plan knew
    # Phones told where to go (the round's moves were sent, or it opens the block): they sit where
    # the plan says. Started without its moves sent, everyone stays where they are.
    told = round_.id == block.rounds[0].id or (block.plan_basis or {}).get("told") == round_.id
    people = {p.id: p for p in workshop.participants}
    hosted = {t.host_id: t.number for t in block.tables if t.host_id is not None}
    for pid, seat in list(seats.items()):
        person = people.get(pid)
        if person is None or person.arrived_at is None:
            db.session.delete(seat)  # not here: left out of this round, nobody moves for them
            summary.absent += 1
            continue
        number = hosted.get(pid) or seat_number(seat)  # a host swapped since: at their table
        if not told and pid not in hosted and seat.table is None and person.table_number in numbers:
            number = seat.planned_table = person.table_number
        if seat.table is None and number is not None:
            seat.table = number
            seat.arrived_at = now
            if person.table_number != number:
                person.table_number = number
                payload = {"round": round_.id, "table": number, "host": hosted.get(pid) == number}
                broadcasts.append(Broadcast("table:seated", payload, (room_for(workshop.code, "participant", pid),)))
    db.session.flush()
    _count, moves = seat_newcomers(workshop, block, round_, now)
    broadcasts += moves
    if planned_for:  # walk-ins: seated in this round, unknown to the plan made before it
        summary.walk_ins = sum(1 for pid in seats_of([round_])[round_.id] if pid not in planned_for)
    replanned = ensure_plan(workshop, block, now)
    summary.replanned = bool(replanned)
    broadcasts += replanned
    block.plan_basis = dict(block.plan_basis or {}) | {"summary": summary.json()}
    broadcasts.append(
        Broadcast(
            "seating:summary",
            {"block": block.id, "round": round_.id} | summary.json(),
            (room_for(workshop.code, "facilitator"),),
        )
    )
    return broadcasts


def depart(workshop: Workshop, participant: Participant, now: dt.datetime) -> list[Broadcast]:
    """Someone leaves the workshop: out of the round being seated if it has not started (nobody
    else moves), out of the later rounds at the next plan; a host's table is left unhosted."""
    broadcasts: list[Broadcast] = []
    participant.table_number = None
    participant.arrived_at = None  # gone: a roster person is planned again only before a block starts
    for block in workshop.blocks:
        for table in block.tables:
            if table.host_id == participant.id:
                table.host = None
                table.host_id = None
                payload = {"block": block.id, "table": table.number, "host": None, "host_id": None}
                broadcasts.append(Broadcast("table:hosted", payload, (room_for(workshop.code, "all"),)))
        pending = [r for r in block.rounds if r.status == "pending"]
        for seat in seats_of(pending).values():
            if participant.id in seat:
                db.session.delete(seat[participant.id])
    db.session.flush()
    return broadcasts


def coming(block: Block | None) -> dict | None:
    """The stored plan of the round about to start, once planned: {"round", "tables": {"N": [ids]}}
    (the console shows it per table between two rounds)."""
    if not is_cafe(block):
        return None
    round_ = round_being_seated(block)
    if round_ is None or round_.status != "pending":
        return None
    tables: dict[str, list[int]] = {str(t.number): [] for t in block.tables}
    hosts = {t.number: t.host_id for t in block.tables}
    for pid, seat in sorted(seats_of([round_])[round_.id].items()):
        number = seat_number(seat)
        if number is not None and str(number) in tables:
            tables[str(number)].append(pid)
    if not any(tables.values()):
        return None
    for number, ids in tables.items():
        ids.sort(key=lambda pid: pid != hosts.get(int(number)))
    return {"round": round_.id, "tables": tables}


def last_summary(block: Block) -> dict | None:
    return (block.plan_basis or {}).get("summary")


# The round being seated (a Round or the agenda cache's RoundFacts) and the person's seat in it.
BeingSeated = tuple[Round | RoundFacts | None, Seat | None]


def seat_being_seated(block: Block | BlockFacts | None, participant: Participant) -> BeingSeated:
    """The round being seated and this person's seat in it (one query); (None, None) outside a
    World Café. ``block``: a ``Block`` or the agenda cache's ``BlockFacts``."""
    if not is_cafe(block):
        return None, None
    round_ = round_being_seated(block)
    if round_ is None:
        return None, None
    seat = db.session.execute(
        select(Seat).where(Seat.round_id == round_.id, Seat.participant_id == participant.id)
    ).scalar_one_or_none()
    return round_, seat


def planned_table(
    block: Block | BlockFacts | None, participant: Participant, seated: BeingSeated | None = None
) -> int | None:
    """Where the plan expects this person in the round being seated (None: nowhere yet).
    ``seated``: ``seat_being_seated(block, participant)``, when the caller has it."""
    _round, seat = seated if seated is not None else seat_being_seated(block, participant)
    return seat_number(seat) if seat is not None else None


@dataclass
class PlanView:
    """The stored plan as the pages print it: round by round, table by table, people ids."""

    block: Block
    planned_at: dt.datetime | None
    rounds: list[tuple[Round, bool, dict[int, list[int]]]]  # (round, held, table -> participant ids)
    people: dict[int, Participant]

    def table_of(self, participant_id: int) -> list[int | None]:
        """Per round, the person's table (None: not seated in that round)."""
        found = []
        for _round, _held, tables in self.rounds:
            found.append(next((n for n, ids in tables.items() if participant_id in ids), None))
        return found


def plan_view(workshop: Workshop, block: Block) -> PlanView:
    """Held rounds as they really were, the rest as planned (read only)."""
    rounds = list(block.rounds)
    seats = seats_of(rounds)
    hosts = {t.number: t.host_id for t in block.tables}
    view = []
    for round_ in rounds:
        held = round_.status != "pending"
        tables: dict[int, list[int]] = {t.number: [] for t in block.tables}
        for pid, seat in sorted(seats[round_.id].items()):
            number = seat_number(seat)  # a pending round's early arrivals show where they sat
            if number is not None:
                tables.setdefault(number, []).append(pid)
        for number, ids in tables.items():
            ids.sort(key=lambda pid: pid != hosts.get(number))  # the host first
        view.append((round_, held, tables))
    return PlanView(block, block.planned_at, view, {p.id: p for p in workshop.participants})
