"""What the Open Space parts of the HTML pages read: the phone's marketplace and sessions, the
agenda wall of the board and the console, the space QR codes' suggestion, the proceedings.

Plain service code for ``workshop.web``: no Flask, no request, no writes.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from sqlalchemy import func, select

from workshop.agenda.read import current_block, current_round
from workshop.domain import openspace as rules
from workshop.extensions import db
from workshop.models import Attendance, Block, DotVote, Note, Participant, Topic, Workshop
from workshop.openspace import writes as openspace

TAG_ORDER = rules.REPORT_TAGS  # key points, proposals, actions: the order of a report


@dataclass
class TopicView:
    """A live topic as the pages show it: where it sits on its block's wall, who is in it now."""

    topic: Topic
    slot: dict | None = None  # {"id", "label"} of its cell, None off the wall
    space: dict | None = None  # {"id", "name"}
    attendance: int = 0  # people in the session now
    votes: int = 0  # dots of the convergence vote

    @property
    def id(self) -> str:
        return self.topic.id

    @property
    def convener(self) -> str | None:
        """The convener's name as proposed (the phone's name, or the one typed for them)."""
        return self.topic.convener_name

    @property
    def placed(self) -> bool:
        return self.slot is not None and self.space is not None


@dataclass
class WallCell:
    slot: dict
    space: dict
    topic: TopicView | None = None


@dataclass
class WallRow:
    slot: dict
    cells: list[WallCell]

    @property
    def free(self) -> list[dict]:
        return [c.space for c in self.cells if c.topic is None]


@dataclass
class ProposalView:
    """A proposal of a session's report, with the dots it got (the vote counts proposals too)."""

    note: Note
    votes: int


@dataclass
class AgendaWall:
    """An Open Space block's wall and marketplace, with the vote's state."""

    block: Block
    question: str | None
    topics: list[TopicView]  # every live topic of the block, in the order proposed
    rows: list[WallRow]
    unplaced: list[TopicView]
    vote: dict  # {"status", "dots", "top"}
    ranking: list[TopicView] = field(default_factory=list)  # most dots first (vote open or closed)
    proposals: list[ProposalView] = field(default_factory=list)  # voted proposals, most dots first

    @property
    def most_votes(self) -> int:
        """The ranking's top count (at least 1): the board's bars are drawn as shares of it."""
        return max([1, *(t.votes for t in self.ranking)])

    @property
    def spaces(self) -> list[dict]:
        return list(self.block.spaces or [])

    @property
    def free_cells(self) -> list[WallCell]:
        return [c for row in self.rows for c in row.cells if c.topic is None]

    @property
    def selected(self) -> list[TopicView]:
        return [t for t in self.ranking if t.topic.selected]


@dataclass
class PhoneOpenSpace:
    """The Open Space part of a phone's page; ``wall`` is None outside an Open Space block."""

    wall: AgendaWall | None = None
    attending: TopicView | None = None  # the session the phone is in now
    convened: list[TopicView] = field(default_factory=list)
    reports: dict[str, list[Note]] = field(default_factory=dict)  # topic id -> its report notes the phone sees
    here_space: dict | None = None  # ?space=ID: the space whose QR code was scanned
    here: TopicView | None = None  # the session to offer: "I'm in …"
    here_others: list[TopicView] = field(default_factory=list)  # the other sessions of that space

    @property
    def sessions(self) -> list[TopicView]:
        """The sessions the phone writes the report of: the one it is in, then those it convenes."""
        first = [self.attending] if self.attending is not None else []
        return first + [t for t in self.convened if self.attending is None or t.id != self.attending.id]


# --- the wall


def open_space_block(workshop: Workshop) -> Block | None:
    block = current_block(workshop)
    return block if block is not None and block.is_open_space else None


def block_question(workshop: Workshop, block: Block) -> str | None:
    """The question of the block's round that runs or ran last, else of its first round."""
    round_ = current_round(workshop)
    if round_ is not None and round_.block_id == block.id:
        return round_.question
    return block.rounds[0].question if block.rounds else None


def _dot_counts(block: Block) -> Counter[str]:
    rows = db.session.execute(
        select(DotVote.target, func.count(DotVote.id)).where(DotVote.block_id == block.id).group_by(DotVote.target)
    ).all()
    return Counter({target: count for target, count in rows})


def topic_views(workshop: Workshop, block: Block) -> list[TopicView]:
    topics = openspace.topics_of(workshop, block)
    slots = {s["id"]: s for s in block.slots or []}
    spaces = {s["id"]: s for s in block.spaces or []}
    people = rules.attendance(openspace.attending_now(workshop))
    dots = _dot_counts(block)
    views = []
    for topic in topics:
        placed = topic.slot in slots and topic.space in spaces
        views.append(
            TopicView(
                topic=topic,
                slot=slots[topic.slot] if placed else None,
                space=spaces[topic.space] if placed else None,
                attendance=people.get(topic.id, 0),
                votes=dots.get(f"topic:{topic.id}", 0),
            )
        )
    return views


def agenda_wall(workshop: Workshop, block: Block) -> AgendaWall:
    views = topic_views(workshop, block)
    at = {(v.slot["id"], v.space["id"]): v for v in views if v.placed}
    rows = [
        WallRow(slot, [WallCell(slot, space, at.get((slot["id"], space["id"]))) for space in block.spaces or []])
        for slot in block.slots or []
    ]
    vote = {"status": block.vote_status, "dots": block.vote_dots, "top": block.vote_top}
    ranking = []
    proposals = []
    if block.vote_status != "none":
        order = {v.id: index for index, v in enumerate(views)}
        ranking = sorted(views, key=lambda v: (-v.votes, order[v.id]))
        proposals = _voted_proposals(workshop, block)
    return AgendaWall(
        block=block,
        question=block_question(workshop, block),
        topics=views,
        rows=rows,
        unplaced=[v for v in views if not v.placed],
        vote=vote,
        ranking=ranking,
        proposals=proposals,
    )


def _voted_proposals(workshop: Workshop, block: Block) -> list[ProposalView]:
    """The block's visible report proposals that got dots, most dots first, then oldest first."""
    dots = _dot_counts(block)
    notes = db.session.execute(
        select(Note)
        .where(
            Note.workshop_id == workshop.id,
            Note.block_id == block.id,
            Note.tag == "proposal",
            Note.hidden.is_(False),
        )
        .order_by(Note.created_at, Note.id)
    ).scalars()
    voted = [ProposalView(note, dots[f"note:{note.id}"]) for note in notes if dots[f"note:{note.id}"] > 0]
    return sorted(voted, key=lambda p: -p.votes)


def spaces_of(workshop: Workshop) -> list[dict]:
    """Every space of the workshop's Open Space walls, once each (by id), in agenda order: the
    rooms that get a printed card with their QR code."""
    seen: dict[str, dict] = {}
    for block in workshop.blocks:
        if block.is_open_space:
            for space in block.spaces or []:
                seen.setdefault(space["id"], space)
    return list(seen.values())


def current_wall(workshop: Workshop) -> AgendaWall | None:
    block = open_space_block(workshop)
    return agenda_wall(workshop, block) if block is not None else None


def actions_of(workshop: Workshop, topics: list[TopicView]) -> dict[str, list[Note]]:
    """The visible action notes of these topics, oldest first (the console's action planning)."""
    ids = [t.id for t in topics]
    found: dict[str, list[Note]] = {i: [] for i in ids}
    if not ids:
        return found
    for note in db.session.execute(
        select(Note)
        .where(Note.workshop_id == workshop.id, Note.topic_id.in_(ids), Note.tag == "action", Note.hidden.is_(False))
        .order_by(Note.created_at, Note.id)
    ).scalars():
        found[note.topic_id].append(note)
    return found


# --- the phone


def phone_open_space(
    workshop: Workshop, participant: Participant | None, space: str | None = None, topic: str | None = None
) -> PhoneOpenSpace:
    wall = current_wall(workshop)
    if wall is None:
        return PhoneOpenSpace()
    view = PhoneOpenSpace(wall=wall)
    by_id = {t.id: t for t in wall.topics}
    if participant is not None:
        attending = openspace.attending_now(workshop).get(participant.id)
        view.attending = by_id.get(attending) if attending else None
        view.convened = [t for t in wall.topics if t.topic.convener_id == participant.id]
        view.reports = _reports(workshop, [t.id for t in view.sessions], participant)
    if topic is not None and topic in by_id:
        view.here = by_id[topic]
        view.here_space = view.here.space
    elif space is not None:
        view.here_space = next((s for s in wall.spaces if s["id"] == space), None)
        if view.here_space is not None:
            view.here, view.here_others = session_in_space(wall, space)
    return view


def current_slot(wall: AgendaWall) -> str | None:
    """The time slot under way, as the room says it: the one whose sessions hold the most people now
    (slot labels are free text, the server cannot read a time in them)."""
    people: Counter[str] = Counter()
    for t in wall.topics:
        if t.placed and t.attendance:
            people[t.slot["id"]] += t.attendance
    return people.most_common(1)[0][0] if people else None


def session_in_space(wall: AgendaWall, space: str) -> tuple[TopicView | None, list[TopicView]]:
    """The session a space's QR code offers: the one placed there in the current slot, else in the
    first slot that has one; and the space's other sessions."""
    here = [c.topic for row in wall.rows for c in row.cells if c.space["id"] == space and c.topic is not None]
    if not here:
        return None, []
    now = current_slot(wall)
    chosen = next((t for t in here if t.slot["id"] == now), here[0])
    return chosen, [t for t in here if t is not chosen]


def _reports(workshop: Workshop, topic_ids: list[str], participant: Participant) -> dict[str, list[Note]]:
    """The report notes of the phone's sessions, oldest first."""
    found: dict[str, list[Note]] = {i: [] for i in topic_ids}
    if not topic_ids:
        return found
    for note in db.session.execute(
        select(Note)
        .where(Note.workshop_id == workshop.id, Note.topic_id.in_(topic_ids), Note.hidden.is_(False))
        .order_by(Note.created_at, Note.id)
    ).scalars():
        found[note.topic_id].append(note)
    return found


# --- the proceedings


@dataclass
class SessionReport:
    topic: TopicView
    people: int  # distinct participants who said they were in it, at any time
    notes: dict[str, list[Note]]  # tag -> notes, in TAG_ORDER

    @property
    def empty(self) -> bool:
        return not any(self.notes.values())


@dataclass
class BlockProceedings:
    wall: AgendaWall
    sessions: list[SessionReport]  # in wall order (slot, then space), then the unplaced ones


def proceedings(workshop: Workshop) -> list[BlockProceedings]:
    """Every Open Space block of the workshop with the report of each of its sessions."""
    result = []
    for block in workshop.blocks:
        if not block.is_open_space:
            continue
        wall = agenda_wall(workshop, block)
        ids = [t.id for t in wall.topics]
        people = _people_who_attended(ids)
        notes = _report_notes(workshop, ids)
        ordered = [c.topic for row in wall.rows for c in row.cells if c.topic is not None] + wall.unplaced
        sessions = [
            SessionReport(
                topic=t,
                people=people.get(t.id, 0),
                notes={tag: [n for n in notes.get(t.id, []) if (n.tag or "key-point") == tag] for tag in TAG_ORDER},
            )
            for t in ordered
        ]
        result.append(BlockProceedings(wall=wall, sessions=sessions))
    return result


def _people_who_attended(topic_ids: list[str]) -> dict[str, int]:
    if not topic_ids:
        return {}
    rows = db.session.execute(
        select(Attendance.topic_id, func.count(func.distinct(Attendance.participant_id)))
        .where(Attendance.topic_id.in_(topic_ids))
        .group_by(Attendance.topic_id)
    ).all()
    return {topic: count for topic, count in rows}


def _report_notes(workshop: Workshop, topic_ids: list[str]) -> dict[str, list[Note]]:
    found: dict[str, list[Note]] = {}
    if not topic_ids:
        return found
    for note in db.session.execute(
        select(Note)
        .where(Note.workshop_id == workshop.id, Note.topic_id.in_(topic_ids), Note.hidden.is_(False))
        .order_by(Note.created_at, Note.id)
    ).scalars():
        found.setdefault(note.topic_id, []).append(note)
    return found
