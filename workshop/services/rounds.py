"""Running the agenda: start, extend and close rounds; move between blocks."""
from __future__ import annotations

import datetime as dt

from ..clock import iso
from ..domain import rounds as rules
from ..domain.errors import WorkshopError
from ..models import Round, Workshop
from ..rooms import room_for
from .agenda import current_block, find_block, find_round, running_round
from .broadcasts import Broadcast
from .serialize import round_json


def _timer(round_: Round) -> rules.RoundTimer:
    return rules.RoundTimer(
        status=round_.status,
        minutes=round_.minutes,
        started_at=round_.started_at,
        ends_at=round_.ends_at,
        closed_at=round_.closed_at,
    )


def _apply(round_: Round, timer: rules.RoundTimer) -> None:
    round_.status = timer.status
    round_.started_at = timer.started_at
    round_.ends_at = timer.ends_at
    round_.closed_at = timer.closed_at


def _round_event(event: str, workshop: Workshop, round_: Round, now: dt.datetime) -> Broadcast:
    payload = round_json(round_) | {"round": round_.id, "now": iso(now)}
    return Broadcast(event, payload, (room_for(workshop.code, "all"),))


def start_round(workshop: Workshop, round_id: int, now: dt.datetime) -> list[Broadcast]:
    """Starts a round; the one running elsewhere, if any, is closed first (one round at a time)."""
    round_ = find_round(workshop, round_id)
    broadcasts: list[Broadcast] = []
    running = running_round(workshop)
    if running is not None and running.id != round_.id:
        from .cafe import record_round

        _apply(running, rules.close(_timer(running), now))
        record_round(workshop, running, now)
        broadcasts.append(_round_event("round:closed", workshop, running, now))
    _apply(round_, rules.start(_timer(round_), now))
    if workshop.current_block_id != round_.block_id:
        workshop.current_block_id = round_.block_id
        broadcasts.append(block_event(workshop, now))
    broadcasts.append(_round_event("round:started", workshop, round_, now))
    from .seating import start

    return broadcasts + start(workshop, round_, now)


def extend_round(workshop: Workshop, round_id: int, now: dt.datetime, minutes: int = rules.EXTEND_MINUTES) -> list[Broadcast]:
    round_ = find_round(workshop, round_id)
    _apply(round_, rules.extend(_timer(round_), now, minutes))
    return [_round_event("round:extended", workshop, round_, now)]


def close_round(workshop: Workshop, round_id: int, now: dt.datetime) -> list[Broadcast]:
    """Closes a round; in a World Café, the next round's seating is planned and sent to phones."""
    from .cafe import plan_moves

    round_ = find_round(workshop, round_id)
    _apply(round_, rules.close(_timer(round_), now))
    return [_round_event("round:closed", workshop, round_, now)] + plan_moves(workshop, round_, now)


def block_event(workshop: Workshop, now: dt.datetime) -> Broadcast:
    block = current_block(workshop)
    return Broadcast(
        "block:changed",
        {"block": block.id if block else None, "now": iso(now)},
        (room_for(workshop.code, "all"),),
    )


def set_current_block(workshop: Workshop, block_id: int, now: dt.datetime) -> list[Broadcast]:
    """Moves the agenda to a block; a round still running in another block is closed."""
    block = find_block(workshop, block_id)
    broadcasts: list[Broadcast] = []
    running = running_round(workshop)
    if running is not None and running.block_id != block.id:
        _apply(running, rules.close(_timer(running), now))
        broadcasts.append(_round_event("round:closed", workshop, running, now))
    workshop.current_block_id = block.id
    broadcasts.append(block_event(workshop, now))
    return broadcasts


def next_block(workshop: Workshop, now: dt.datetime) -> list[Broadcast]:
    blocks = workshop.blocks
    block = current_block(workshop)
    index = blocks.index(block) if block is not None else -1
    if index + 1 >= len(blocks):
        raise WorkshopError("no_next_block")
    return set_current_block(workshop, blocks[index + 1].id, now)
