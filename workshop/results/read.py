"""Loading a workshop into the plain input of the synthesis (``workshop.domain.synthesis``).

A handful of queries whatever the size: the agenda with its rounds and tables, then the notes,
themes, sections and participants as plain rows (no ORM objects per note: 10,000 notes load fast).
No Flask here.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace

from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from workshop.domain import synthesis
from workshop.domain.methods import OPEN_SPACE
from workshop.domain.synthesis import (
    BlockInput,
    NoteInput,
    ParticipantInput,
    RoundInput,
    SectionInput,
    SectorInput,
    TableInput,
    ThemeInput,
    TopicInput,
    WorkshopInput,
)
from workshop.extensions import db
from workshop.models import Block, DotVote, Note, Participant, Seat, Section, Theme, Topic, Workshop
from workshop.photos import writes as photos
from workshop.results.export import richtext


def load_input(workshop: Workshop, now: dt.datetime | None = None) -> WorkshopInput:
    blocks = db.session.execute(
        select(Block)
        .where(Block.workshop_id == workshop.id)
        .options(selectinload(Block.rounds), selectinload(Block.tables))
        .order_by(Block.position)
    ).scalars()
    # Dots of the convergence vote, per "note:<id>" or "topic:<id>".
    votes = dict(
        db.session.execute(
            select(DotVote.target, func.count()).where(DotVote.workshop_id == workshop.id).group_by(DotVote.target)
        ).all()
    )
    topics: dict[int, list[Topic]] = {}
    for topic in db.session.execute(
        select(Topic)
        .where(Topic.workshop_id == workshop.id, Topic.withdrawn.is_(False))
        .order_by(Topic.created_at, Topic.id)
    ).scalars():
        topics.setdefault(topic.block_id, []).append(topic)
    notes = db.session.execute(
        select(
            Note.id,
            Note.text,
            Note.created_at,
            Note.kind,
            Note.block_id,
            Note.round_id,
            Note.table_number,
            Note.topic_id,
            Note.author_id,
            Participant.name,
            Note.color,
            Note.starred,
            Note.hidden,
            Note.theme_id,
            Note.section_id,
            Note.tag,
            Note.owner,
            Note.due,
            Note.in_results,
            Note.anonymous,
        )
        .outerjoin(Participant, Participant.id == Note.author_id)
        .where(Note.workshop_id == workshop.id)
    )
    themes = db.session.execute(
        select(Theme.id, Theme.title, Theme.position, Theme.block_id, Theme.section_id).where(
            Theme.workshop_id == workshop.id
        )
    )
    sections = db.session.execute(
        select(Section.id, Section.title, Section.intro, Section.position).where(Section.workshop_id == workshop.id)
    )
    participants = db.session.execute(
        select(Participant.id, Participant.sector, Participant.name, Participant.table_number).where(
            Participant.workshop_id == workshop.id
        )
    ).all()
    # Who joined: a name, a table (now or in an earlier round) or a note; a phone that only opened
    # the join page is not counted.
    wrote = set(db.session.execute(select(Note.author_id).where(Note.workshop_id == workshop.id).distinct()).scalars())
    sat = set(
        db.session.execute(
            select(Seat.participant_id)
            .join(Participant, Participant.id == Seat.participant_id)
            .where(Participant.workshop_id == workshop.id, Seat.table.is_not(None))
            .distinct()
        ).scalars()
    )
    return WorkshopInput(
        code=workshop.code,
        title=workshop.title,
        language=workshop.language or "fr",
        organiser=workshop.organiser or "",
        place=workshop.place,
        question=workshop.question,
        dates=tuple(dt.date.fromisoformat(d) for d in workshop.dates or ()),
        sectors=tuple(SectorInput(id=s["id"], name=s["name"]) for s in workshop.sectors or ()),
        blocks=tuple(_block(b, topics.get(b.id, []), votes) for b in blocks),
        themes=tuple(ThemeInput(id=i, title=t, position=p, block=b, section=s) for i, t, p, b, s in themes),
        sections=tuple(SectionInput(id=i, title=t, intro=x or "", position=p) for i, t, x, p in sections),
        participants=tuple(
            ParticipantInput(
                id=i, sector=s, joined=bool((name or "").strip()) or table is not None or i in wrote or i in sat
            )
            for i, s, name, table in participants
        ),
        notes=tuple(
            NoteInput(
                id=row[0],
                text=row[1],
                created_at=row[2],
                kind=row[3],
                block=row[4],
                round=row[5],
                table=row[6],
                topic=row[7],
                author_id=row[8],
                author=None if row[19] else row[9],  # an anonymous round's notes carry no name
                color=row[10],
                votes=votes.get(f"note:{row[0]}", 0),
                starred=bool(row[11]),
                hidden=not row[18],  # hidden, or never approved (domain.modes.in_results)
                theme=row[13],
                section=row[14],
                tag=row[15],
                owner=row[16],
                due=row[17],
            )
            for row in notes
        ),
        generated_at=now,
    )


def _topic(block: Block, topic: Topic, votes: dict[str, int]) -> TopicInput:
    slots = {s["id"]: s.get("label") for s in block.slots or []}
    spaces = {s["id"]: s.get("name") for s in block.spaces or []}
    return TopicInput(
        id=topic.id,
        title=topic.title,
        convener=topic.convener_name,
        slot=slots.get(topic.slot),
        space=spaces.get(topic.space),
        description=topic.description,
        votes=votes.get(f"topic:{topic.id}", 0),
        selected=topic.selected,
    )


def _wall_order(block: Block):
    """Sessions in the order of the agenda wall (slot, then space); unplaced ones last."""
    slots = {s["id"]: i for i, s in enumerate(block.slots or [])}
    spaces = {s["id"]: i for i, s in enumerate(block.spaces or [])}

    def key(topic: Topic) -> tuple:
        return (slots.get(topic.slot, len(slots)), spaces.get(topic.space, len(spaces)))

    return key


def _block(block: Block, topics: list[Topic], votes: dict[str, int]) -> BlockInput:
    return BlockInput(
        id=block.id,
        key=block.key,
        title=block.title,
        day=block.day,
        part=block.part,
        method=block.method,
        description=block.description,
        rounds=tuple(
            RoundInput(
                id=r.id, position=r.position, question=r.question, title=r.title, minutes=r.minutes, status=r.status
            )
            for r in block.rounds
        ),
        tables=tuple(TableInput(number=t.number, theme=t.theme) for t in block.tables),
        topics=tuple(_topic(block, t, votes) for t in sorted(topics, key=_wall_order(block))),
        harvest=block.harvest,
    )


def build_synthesis(workshop: Workshop, now: dt.datetime | None = None) -> synthesis.Synthesis:
    return photos.illustrate(synthesis.build(load_input(workshop, now)), workshop)


# --- the board's results view (templates/live/_board_results.html)


@dataclass
class BoardSection:
    part: synthesis.SectionPart
    intro: list  # richtext.outline of its introduction


@dataclass
class BoardPriorities:
    """An Open Space block's dot vote, once opened: the sessions that got dots, as the documents
    rank them (``BlockPart.priorities``)."""

    status: str  # "open" | "closed"
    dots: int  # each person's dots
    sessions: list[synthesis.NoteGroup]

    @property
    def most(self) -> int:
        """The top count (at least 1): the bars are drawn as shares of it."""
        return max([1, *(s.votes for s in self.sessions)])


@dataclass
class BoardRound:
    round: synthesis.RoundPart
    themes: list[synthesis.ThemePart]


@dataclass
class BoardBlock:
    part: synthesis.BlockPart
    rounds: list[BoardRound]  # themes whose notes all come from one round, under its question
    themes: list[synthesis.ThemePart]  # the block's other themes
    priorities: BoardPriorities | None


@dataclass
class BoardResults:
    """The preliminary results as curated so far, as the board shows them: the sections (their
    themes, then the notes filed directly), then the themes of no section by block and round, with
    an Open Space block's priorities, then the themes of no known block. Every list of notes is in
    the documents' order (starred, most voted, then agenda order)."""

    sections: list[BoardSection]
    blocks: list[BoardBlock]
    other: list[synthesis.ThemePart]

    @property
    def empty(self) -> bool:
        return not (self.sections or self.blocks or self.other)


def board_results_of(tree: synthesis.Synthesis, votes: dict[int, tuple[str, int]]) -> BoardResults:
    """The board's grouping of the documents' tree; ``votes``: block id -> (vote status, dots)."""
    blocks = []
    for part in tree.blocks:
        mine = [t for t in tree.themes if t.block == part.id]
        status, dots = votes.get(part.id, ("none", 0))
        sessions = part.priorities if part.method == OPEN_SPACE and status != "none" else []
        if not mine and not sessions:
            continue
        rounds = {r.id for r in part.rounds}

        def single_round(theme: synthesis.ThemePart, rounds=rounds) -> int | None:
            found = {n.origin.round for n in theme.notes}
            return found.pop() if len(found) == 1 and found <= rounds else None

        placed = {t.id: single_round(t) for t in mine}
        blocks.append(
            BoardBlock(
                part=part,
                rounds=[
                    BoardRound(r, [t for t in mine if placed[t.id] == r.id])
                    for r in part.rounds
                    if any(placed[t.id] == r.id for t in mine)
                ],
                themes=[t for t in mine if placed[t.id] is None],
                priorities=BoardPriorities(status, dots, sessions) if sessions else None,
            )
        )
    known = {b.id for b in tree.blocks}
    return BoardResults(
        sections=[BoardSection(s, richtext.outline(s.intro)) for s in tree.sections],
        blocks=blocks,
        other=[t for t in tree.themes if t.block not in known],
    )


def board_results(workshop: Workshop) -> BoardResults:
    """The board's results view: the documents' tree over the notes the room may see (a note still
    waiting for its reveal is in the documents, not yet on the projector)."""
    data = load_input(workshop)
    waiting = set(
        db.session.execute(select(Note.id).where(Note.workshop_id == workshop.id, Note.revealed.is_(False))).scalars()
    )
    if waiting:
        data = replace(data, notes=tuple(replace(n, hidden=True) if n.id in waiting else n for n in data.notes))
    votes = {b.id: (b.vote_status, b.vote_dots) for b in workshop.blocks}
    return board_results_of(synthesis.build(data), votes)
