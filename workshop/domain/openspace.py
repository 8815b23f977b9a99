"""Open Space: the agenda wall (time slots × spaces), attendance, dot votes and their ranking.

Plain Python: the services hand in what is stored and write back what comes out.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace

from workshop.domain.errors import WorkshopError

TOPIC_TITLE_MAX = 120
TOPIC_DESCRIPTION_MAX = 200
REPORT_TAGS = ("key-point", "proposal", "action")
MAX_DOTS = 50


@dataclass(frozen=True)
class Placement:
    topic: str
    convener: int | None  # the participant who convenes it (None: proposed by the facilitator)
    slot: str
    space: str


@dataclass(frozen=True)
class AgendaWall:
    """Which topic sits in which cell. One topic per cell; a convener holds one topic per slot."""

    slots: tuple[str, ...]
    spaces: tuple[str, ...]
    placements: tuple[Placement, ...] = ()

    def cell_of(self, topic: str) -> tuple[str, str] | None:
        found = next((p for p in self.placements if p.topic == topic), None)
        return (found.slot, found.space) if found else None

    def topic_at(self, slot: str, space: str) -> str | None:
        return next((p.topic for p in self.placements if p.slot == slot and p.space == space), None)

    def place(self, topic: str, convener: int | None, slot: str, space: str) -> AgendaWall:
        """The topic moves to this cell (freeing the one it had); conflicts are refused."""
        if slot not in self.slots:
            raise WorkshopError("unknown_slot")
        if space not in self.spaces:
            raise WorkshopError("unknown_space")
        taken = self.topic_at(slot, space)
        if taken is not None and taken != topic:
            raise WorkshopError("cell_taken")
        if convener is not None and any(
            p.convener == convener and p.slot == slot and p.topic != topic for p in self.placements
        ):
            raise WorkshopError("convener_busy")
        others = tuple(p for p in self.placements if p.topic != topic)
        return replace(self, placements=others + (Placement(topic, convener, slot, space),))

    def remove(self, topic: str) -> AgendaWall:
        return replace(self, placements=tuple(p for p in self.placements if p.topic != topic))

    def reshape(self, slots: Sequence[str], spaces: Sequence[str]) -> tuple[AgendaWall, list[str]]:
        """New slots and spaces; topics whose cell is gone come off the wall (returned)."""
        kept = tuple(p for p in self.placements if p.slot in slots and p.space in spaces)
        dropped = [p.topic for p in self.placements if p not in kept]
        return AgendaWall(tuple(slots), tuple(spaces), kept), dropped

    def cells(self) -> list[dict]:
        order = {(s, sp): (i, j) for i, s in enumerate(self.slots) for j, sp in enumerate(self.spaces)}
        placed = sorted(self.placements, key=lambda p: order.get((p.slot, p.space), (0, 0)))
        return [{"slot": p.slot, "space": p.space, "topic": p.topic} for p in placed]


def topic_title(raw: str) -> str:
    return _bounded(raw, TOPIC_TITLE_MAX, "title")


def topic_description(raw: str | None) -> str | None:
    if raw is None:
        return None
    text = raw.strip()
    if len(text) > TOPIC_DESCRIPTION_MAX:
        raise WorkshopError("too_long", field="description", max=TOPIC_DESCRIPTION_MAX)
    return text or None


def _bounded(raw: str, limit: int, field: str) -> str:
    text = raw.strip()
    if not text:
        raise WorkshopError("empty_title")
    if len(text) > limit:
        raise WorkshopError("too_long", field=field, max=limit)
    return text


def report_tag(raw: str | None) -> str:
    tag = raw or "key-point"
    if tag not in REPORT_TAGS:
        raise WorkshopError("bad_choice", field="tag", choices=", ".join(REPORT_TAGS))
    return tag


@dataclass(frozen=True)
class Dot:
    id: str  # made by the phone, so a resend counts once
    voter: int
    target: str  # "topic:<id>" or "note:<id>"


@dataclass(frozen=True)
class Vote:
    """A dot vote: each participant spreads ``budget`` dots over topics (or report proposals)."""

    status: str  # "none" | "open" | "closed"
    budget: int
    dots: tuple[Dot, ...] = ()

    def left(self, voter: int) -> int:
        return self.budget - sum(1 for d in self.dots if d.voter == voter)

    def cast(self, dot: Dot) -> tuple[Vote, bool]:
        """The vote with the dot added, and whether it is new (a resend of the same dot is not)."""
        if self.status != "open":
            raise WorkshopError("vote_not_open")
        same = next((d for d in self.dots if d.id == dot.id), None)
        if same is not None:
            if same == dot:
                return self, False
            raise WorkshopError("dot_used")
        if self.left(dot.voter) <= 0:
            raise WorkshopError("no_dots_left", budget=self.budget)
        return replace(self, dots=self.dots + (dot,)), True

    def withdraw(self, voter: int, target: str) -> tuple[Vote, Dot]:
        """Takes back the voter's latest dot on this target."""
        if self.status != "open":
            raise WorkshopError("vote_not_open")
        mine = [d for d in self.dots if d.voter == voter and d.target == target]
        if not mine:
            raise WorkshopError("no_dot_here")
        gone = mine[-1]
        return replace(self, dots=tuple(d for d in self.dots if d is not gone)), gone

    def counts(self) -> Counter[str]:
        return Counter(d.target for d in self.dots)


def dot_budget(raw: int) -> int:
    if not 1 <= raw <= MAX_DOTS:
        raise WorkshopError("out_of_range", field="dots", min=1, max=MAX_DOTS)
    return raw


def ranking(counts: Counter[str], targets: Iterable[str]) -> list[tuple[str, int]]:
    """Targets by votes, most first; ties keep the order given (the order topics were proposed)."""
    order = list(targets)
    return sorted(((t, counts.get(t, 0)) for t in order), key=lambda item: -item[1])


def top(counts: Counter[str], targets: Iterable[str], k: int) -> list[str]:
    """The first ``k`` of the ranking that got at least one dot; ties at the cut all go through."""
    ranked = [(t, n) for t, n in ranking(counts, targets) if n > 0]
    if len(ranked) <= k:
        return [t for t, _ in ranked]
    cut = ranked[k - 1][1]
    return [t for t, n in ranked if n >= cut]


def attendance(current: dict[int, str | None]) -> Counter[str]:
    """People per session now, from where each participant says they are."""
    return Counter(topic for topic in current.values() if topic is not None)
