"""The data of the results' charts, from the synthesis tree: plain numbers, no drawing, no wording.

Three charts, each drawn by the documents (``workshop.results.export.plots``) and followed by its data as a
table:

- ``notes_per_block``: the workshop's visible notes per block (round notes and harvest notes);
- ``participation``: a World Café block's notes per table and round (one series per round);
- ``dot_vote``: an Open Space block's dot vote, its sessions ranked by dots (the priorities).

Categories and series carry keys (a table's number, a round's position) and the titles people
gave; the renderers word them in the document's language.
"""

from __future__ import annotations

from dataclasses import dataclass

from workshop.domain.methods import WORLD_CAFE
from workshop.domain.synthesis import BlockPart, Synthesis

NOTES_PER_BLOCK = "notes_per_block"
PARTICIPATION = "participation"
VOTES = "dot_vote"


@dataclass(frozen=True)
class Series:
    key: str  # "notes" | "harvest" | "votes" | "round-<position>"
    values: tuple[int, ...]  # one per category
    title: str | None = None  # a round's title, when it has one
    position: int | None = None  # a round's place in its block (0-based)


@dataclass(frozen=True)
class Category:
    key: str  # "block-<id>" | "table-<number>" | "topic-<id>"
    title: str | None = None  # the block's or the session's title
    number: int | None = None  # a table's number
    marked: bool = False  # a session the vote kept


@dataclass(frozen=True)
class Chart:
    kind: str  # NOTES_PER_BLOCK | PARTICIPATION | VOTES ("dot_vote")
    block: int | None
    categories: tuple[Category, ...]
    series: tuple[Series, ...]

    @property
    def total(self) -> int:
        return sum(sum(s.values) for s in self.series)

    def as_dict(self) -> dict:
        return {
            "kind": self.kind,
            "block": self.block,
            "categories": [
                {"key": c.key, "title": c.title, "number": c.number, "marked": c.marked} for c in self.categories
            ],
            "series": [
                {"key": s.key, "title": s.title, "position": s.position, "values": list(s.values)} for s in self.series
            ],
        }


def notes_per_block(synthesis: Synthesis) -> Chart | None:
    """Visible notes per block that has some (round notes, then harvest notes when any block has them)."""
    figures = [b for b in synthesis.participation.blocks if b.notes or b.harvest]
    if not figures:
        return None
    series = [Series("notes", tuple(b.notes for b in figures))]
    if any(b.harvest for b in figures):
        series.append(Series("harvest", tuple(b.harvest for b in figures)))
    return Chart(
        NOTES_PER_BLOCK,
        None,
        tuple(Category(f"block-{b.id}", title=b.title) for b in figures),
        tuple(series),
    )


def participation(block: BlockPart) -> Chart | None:
    """A World Café block: notes per table (in number order) and round (one series each)."""
    if block.method != WORLD_CAFE:
        return None
    counts: dict[tuple[int, int], int] = {}
    tables: set[int] = set()
    for round_ in block.rounds:
        for group in round_.groups:
            if group.kind == "table" and group.table is not None:
                tables.add(group.table)
                counts[(round_.id, group.table)] = counts.get((round_.id, group.table), 0) + group.count
    if not counts:
        return None
    numbers = sorted(tables)
    rounds = [r for r in block.rounds if any(counts.get((r.id, n)) for n in numbers)]
    return Chart(
        PARTICIPATION,
        block.id,
        tuple(Category(f"table-{n}", number=n) for n in numbers),
        tuple(
            Series(
                f"round-{r.position}",
                tuple(counts.get((r.id, n), 0) for n in numbers),
                title=r.title,
                position=r.position,
            )
            for r in rounds
        ),
    )


def votes(block: BlockPart) -> Chart | None:
    """An Open Space block's dot vote: the sessions that got dots or were kept, most dots first."""
    ranked = block.priorities
    if not ranked:
        return None
    return Chart(
        VOTES,
        block.id,
        tuple(Category(f"topic-{g.topic}", title=g.title, marked=g.selected) for g in ranked),
        (Series("votes", tuple(g.votes for g in ranked)),),
    )


def block_charts(block: BlockPart) -> list[Chart]:
    return [c for c in (participation(block), votes(block)) if c is not None]


def all_charts(synthesis: Synthesis) -> list[Chart]:
    """Every chart of the documents, in their order: the workshop's, then each block's."""
    found = [c for c in (notes_per_block(synthesis),) if c is not None]
    quiet = {b.id for b in synthesis.quiet_blocks}
    for block in synthesis.blocks:
        if block.id not in quiet:
            found += block_charts(block)
    return found
