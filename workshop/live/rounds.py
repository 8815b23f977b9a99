"""Running the agenda: start, extend and close rounds; move between blocks."""

from __future__ import annotations

import datetime as dt

from workshop.agenda.read import current_block, find_block, find_round, running_round
from workshop.broadcasts import Broadcast
from workshop.cafe.seating import start as seat_the_round
from workshop.cafe.writes import plan_moves, record_round
from workshop.clock import iso
from workshop.domain import rounds as rules
from workshop.domain.errors import WorkshopError
from workshop.live.serialize import round_json
from workshop.models import Round, Workshop
from workshop.rooms import room_for


def _timer(round_: Round) -> rules.RoundTimer:
    return rules.RoundTimer(
        status=round_.status,
        minutes=round_.minutes,
        started_at=round_.started_at,
        ends_at=round_.ends_at,
        closed_at=round_.closed_at,
        version=round_.timer_version or 0,
        last_action=round_.timer_action,
    )


def _apply(round_: Round, timer: rules.RoundTimer) -> None:
    round_.status = timer.status
    round_.started_at = timer.started_at
    round_.ends_at = timer.ends_at
    round_.closed_at = timer.closed_at
    round_.timer_version = timer.version
    round_.timer_action = timer.last_action


def _changed(round_: Round, change) -> None:
    """A change the facilitator did not press on this round (another round started, a block left):
    the version moves all the same, so a press made before it is not taken as a repeat."""
    _apply(round_, rules.press(_timer(round_), "other", None, change)[0])


def _press(round_: Round, action: str, seen: int | None, change) -> bool:
    timer, changed = rules.press(_timer(round_), action, seen, change)
    _apply(round_, timer)
    return changed


def _round_event(event: str, workshop: Workshop, round_: Round, now: dt.datetime, to: tuple | None = None) -> Broadcast:
    """``to=()``: the acting client's ack only (a repeated press changes nothing, tells nobody)."""
    payload = round_json(round_) | {"round": round_.id, "now": iso(now)}
    return Broadcast(event, payload, (room_for(workshop.code, "all"),) if to is None else to)


def start_round(workshop: Workshop, round_id: int, now: dt.datetime, seen: int | None = None) -> list[Broadcast]:
    """Starts a round; the one running elsewhere, if any, is closed first (one round at a time)."""
    round_ = find_round(workshop, round_id)
    if rules.is_repeat(_timer(round_), "start", seen):
        return [_round_event("round:started", workshop, round_, now, to=())]  # the same press twice
    broadcasts: list[Broadcast] = []
    running = running_round(workshop)
    if running is not None and running.id != round_.id:
        _changed(running, lambda timer: rules.close(timer, now))
        record_round(workshop, running, now)
        broadcasts.append(_round_event("round:closed", workshop, running, now))
    _press(round_, "start", seen, lambda timer: rules.start(timer, now))
    if workshop.current_block_id != round_.block_id:
        workshop.current_block_id = round_.block_id
        broadcasts.append(block_event(workshop, now))
    broadcasts.append(_round_event("round:started", workshop, round_, now))
    return broadcasts + seat_the_round(workshop, round_, now)


def _timer_change(
    workshop: Workshop, round_id: int, now: dt.datetime, action: str, seen: int | None, change
) -> list[Broadcast]:
    """Any change of a running round's end: one event, ``round:extended``, with the whole round."""
    round_ = find_round(workshop, round_id)
    changed = _press(round_, action, seen, change)
    return [_round_event("round:extended", workshop, round_, now, to=None if changed else ())]


def extend_round(
    workshop: Workshop, round_id: int, now: dt.datetime, minutes: int = rules.EXTEND_MINUTES, seen: int | None = None
) -> list[Broadcast]:
    return _timer_change(workshop, round_id, now, f"extend:{minutes}", seen, lambda t: rules.extend(t, now, minutes))


def shorten_round(
    workshop: Workshop, round_id: int, now: dt.datetime, minutes: int = rules.EXTEND_MINUTES, seen: int | None = None
) -> list[Broadcast]:
    return _timer_change(workshop, round_id, now, f"shorten:{minutes}", seen, lambda t: rules.shorten(t, now, minutes))


def set_round_end(
    workshop: Workshop, round_id: int, now: dt.datetime, ends_at: dt.datetime, seen: int | None = None
) -> list[Broadcast]:
    action = f"end:{iso(ends_at.replace(microsecond=0))}"[:32]
    return _timer_change(workshop, round_id, now, action, seen, lambda t: rules.set_end(t, now, ends_at))


def close_round(workshop: Workshop, round_id: int, now: dt.datetime, seen: int | None = None) -> list[Broadcast]:
    """Closes a round; in a World Café, the next round's seating is planned and sent to phones."""
    round_ = find_round(workshop, round_id)
    if not _press(round_, "close", seen, lambda timer: rules.close(timer, now)):
        return [_round_event("round:closed", workshop, round_, now, to=())]
    return [_round_event("round:closed", workshop, round_, now)] + plan_moves(workshop, round_, now)


def reopen_round(workshop: Workshop, round_id: int, now: dt.datetime, seen: int | None = None) -> list[Broadcast]:
    """Undoes a close of a few seconds ago: the round runs on to the same end, and everyone stays
    at their table (sent as ``round:started``, which cancels the moves announced at the close)."""
    round_ = find_round(workshop, round_id)
    running = running_round(workshop)
    if running is not None and running.id != round_.id:
        raise WorkshopError("round_already_running")
    if not _press(round_, "reopen", seen, lambda timer: rules.reopen(timer, now)):
        return [_round_event("round:started", workshop, round_, now, to=())]
    broadcasts: list[Broadcast] = []
    if workshop.current_block_id != round_.block_id:
        workshop.current_block_id = round_.block_id
        broadcasts.append(block_event(workshop, now))
    return broadcasts + [_round_event("round:started", workshop, round_, now)]


def skip_round(
    workshop: Workshop, round_id: int, now: dt.datetime, skipped: bool = True, seen: int | None = None
) -> list[Broadcast]:
    """Leaves a round not started out of the day (or brings it back): ``round:skipped``."""
    round_ = find_round(workshop, round_id)
    action, change = ("skip", rules.skip) if skipped else ("unskip", rules.unskip)
    changed = _press(round_, action, seen, change)
    return [_round_event("round:skipped", workshop, round_, now, to=None if changed else ())]


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
        _changed(running, lambda timer: rules.close(timer, now))
        broadcasts.append(_round_event("round:closed", workshop, running, now))
    workshop.current_block_id = block.id
    broadcasts.append(block_event(workshop, now))
    return broadcasts


def next_block(workshop: Workshop, now: dt.datetime, seen_block: int | None = None) -> list[Broadcast]:
    """The next block; ``seen_block``: the block the console showed as current. When the agenda
    already left it (another console pressed first), nothing moves: two presses, one step."""
    blocks = workshop.blocks
    block = current_block(workshop)
    if seen_block is not None and (block is None or block.id != seen_block):
        if not any(b.id == seen_block for b in blocks):
            raise WorkshopError("unknown_block", block=seen_block)
        return [Broadcast("block:changed", {"block": block.id if block else None, "now": iso(now)}, ())]
    index = blocks.index(block) if block is not None else -1
    if index + 1 >= len(blocks):
        raise WorkshopError("no_next_block")
    return set_current_block(workshop, blocks[index + 1].id, now)
