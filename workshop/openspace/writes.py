"""Open Space: the marketplace, the agenda wall, the law of two feet, session reports and the vote."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, fields
from functools import cached_property

from sqlalchemy import delete, func, select

from workshop.agenda.cache import agenda_cache
from workshop.agenda.read import current_block, find_block
from workshop.broadcasts import Broadcast
from workshop.domain import openspace as rules
from workshop.domain.errors import WorkshopError
from workshop.domain.notes import note_color, note_text
from workshop.extensions import db
from workshop.live.notes import existing_note, store
from workshop.live.serialize import language_of, with_shown
from workshop.models import Attendance, Block, DotVote, Note, Participant, Topic, Workshop
from workshop.rooms import room_for

OWNER_MAX_LENGTH = 60


# --- reading


def topics_of(workshop: Workshop, block: Block | None = None) -> list[Topic]:
    query = select(Topic).where(Topic.workshop_id == workshop.id, Topic.withdrawn.is_(False))
    if block is not None:
        query = query.where(Topic.block_id == block.id)
    return list(db.session.execute(query.order_by(Topic.created_at, Topic.id)).scalars())


def attending_now(workshop: Workshop) -> dict[int, str]:
    """Each participant's current session."""
    rows = db.session.execute(
        select(Attendance.participant_id, Attendance.topic_id)
        .join(Topic, Topic.id == Attendance.topic_id)
        .where(Topic.workshop_id == workshop.id, Attendance.until.is_(None))
    ).all()
    return {participant: topic for participant, topic in rows}


def dots_of(workshop: Workshop, block: Block) -> list[DotVote]:
    return list(
        db.session.execute(
            select(DotVote).where(DotVote.block_id == block.id).order_by(DotVote.created_at, DotVote.id)
        ).scalars()
    )


def _vote(block: Block, dots: list[DotVote]) -> rules.Vote:
    return rules.Vote(
        status=block.vote_status,
        budget=block.vote_dots,
        dots=tuple(rules.Dot(d.id, d.participant_id, d.target) for d in dots),
    )


def wall_of(block: Block, topics: Iterable[Topic | TopicRow]) -> rules.AgendaWall:
    return rules.AgendaWall(
        slots=tuple(s["id"] for s in block.slots or []),
        spaces=tuple(s["id"] for s in block.spaces or []),
        placements=tuple(
            rules.Placement(t.id, t.convener_id, t.slot, t.space)
            for t in topics
            if t.block_id == block.id and t.slot is not None and t.space is not None
        ),
    )


def wall_json(block: Block, topics: Iterable[Topic | TopicRow]) -> dict:
    return {
        "slots": list(block.slots or []),
        "spaces": list(block.spaces or []),
        "cells": wall_of(block, topics).cells(),
    }


def topic_json(topic: Topic | TopicRow, attendance: int = 0, votes: int = 0) -> dict:
    return with_shown(
        {
            "id": topic.id,
            "block": topic.block_id,
            "title": topic.title,
            "description": topic.description,
            "convener": topic.convener_name,
            "convener_id": topic.convener_id,
            "slot": topic.slot,
            "space": topic.space,
            "attendance": attendance,
            "votes": votes,
            "selected": topic.selected,
        },
        language_of(topic.workshop_id),
        ("title", "description"),
    )


@dataclass(frozen=True, slots=True)
class TopicRow:
    """A live topic as the snapshot reads it: plain data, the same attribute names as ``Topic``."""

    id: str
    workshop_id: int
    block_id: int
    title: str
    description: str | None
    convener_id: int | None
    convener_name: str | None
    slot: str | None
    space: str | None
    selected: bool


@dataclass(frozen=True, slots=True)
class DotRow:
    id: str
    block_id: int
    participant_id: int
    target: str
    created_at: dt.datetime


@dataclass(frozen=True)
class Reading:
    """What a snapshot needs of the Open Space, read in three queries (plain rows) and shared by
    every part of it and, through the agenda cache, by every join until the next change of a
    topic, an attendance or a dot. Nobody changes it: the counts and indexes below are computed
    once per reading."""

    topics: tuple[TopicRow, ...]
    attending: Mapping[int, str]  # participant id -> the session they are in now
    dots: tuple[DotRow, ...]

    @cached_property
    def dot_counts(self) -> Mapping[str, int]:
        return rules.Vote("none", 0, tuple(rules.Dot(d.id, d.participant_id, d.target) for d in self.dots)).counts()

    @cached_property
    def _dots_by_participant(self) -> Mapping[int, tuple[DotRow, ...]]:
        found: dict[int, list[DotRow]] = {}
        for dot in sorted(self.dots, key=lambda d: (d.created_at, d.id)):
            found.setdefault(dot.participant_id, []).append(dot)
        return {participant: tuple(dots) for participant, dots in found.items()}

    def dots_of(self, participant_id: int, block_id: int) -> list[DotRow]:
        """The participant's dots in this block, oldest first."""
        return [d for d in self._dots_by_participant.get(participant_id, ()) if d.block_id == block_id]

    def convened_by(self, participant_id: int) -> list[str]:
        return [t.id for t in self.topics if t.convener_id == participant_id]


_TOPIC_COLUMNS = tuple(getattr(Topic, f.name) for f in fields(TopicRow))
_DOT_COLUMNS = tuple(getattr(DotVote, f.name) for f in fields(DotRow))


def read(workshop: Workshop) -> Reading:
    """The workshop's Open Space reading, kept until a commit changes it (``agenda_cache``)."""
    return agenda_cache.open_space(workshop.id, lambda: _read(workshop))


def _read(workshop: Workshop) -> Reading:
    topics = db.session.execute(
        select(*_TOPIC_COLUMNS)
        .where(Topic.workshop_id == workshop.id, Topic.withdrawn.is_(False))
        .order_by(Topic.created_at, Topic.id)
    )
    dots = db.session.execute(select(*_DOT_COLUMNS).where(DotVote.workshop_id == workshop.id))
    return Reading(
        tuple(TopicRow(*row) for row in topics), attending_now(workshop), tuple(DotRow(*row) for row in dots)
    )


def topics_json(workshop: Workshop, reading: Reading | None = None) -> list[dict]:
    """Every live topic of the workshop with its attendance now and its dots."""
    reading = reading or read(workshop)
    people = rules.attendance(reading.attending)
    votes = reading.dot_counts
    return [topic_json(t, people.get(t.id, 0), votes.get(f"topic:{t.id}", 0)) for t in reading.topics]


def note_votes(workshop: Workshop, reading: Reading | None = None) -> dict[str, int]:
    """Dots per report proposal, by note id."""
    if reading is not None:
        counts = reading.dot_counts
        return {target.split(":", 1)[1]: count for target, count in counts.items() if target.startswith("note:")}
    rows = db.session.execute(
        select(DotVote.target, func.count(DotVote.id))
        .where(DotVote.workshop_id == workshop.id, DotVote.target.like("note:%"))
        .group_by(DotVote.target)
    ).all()
    return {target.split(":", 1)[1]: count for target, count in rows}


# --- the marketplace


def open_space_block(workshop: Workshop) -> Block:
    block = current_block(workshop)
    if block is None or not block.is_open_space:
        raise WorkshopError("no_open_space")
    return block


def find_topic(workshop: Workshop, topic_id: str) -> Topic:
    topic = db.session.get(Topic, topic_id)
    if topic is None or topic.workshop_id != workshop.id or topic.withdrawn:
        raise WorkshopError("unknown_topic")
    return topic


def _everyone(workshop: Workshop) -> tuple[str, ...]:
    return (room_for(workshop.code, "all"),)


def _topic_event(event: str, workshop: Workshop, topic: Topic) -> Broadcast:
    return Broadcast(event, {"topic": _one_topic_json(workshop, topic)}, _everyone(workshop))


def _one_topic_json(workshop: Workshop, topic: Topic) -> dict:
    people = sum(1 for t in attending_now(workshop).values() if t == topic.id)
    votes = db.session.execute(
        select(DotVote.id).where(DotVote.block_id == topic.block_id, DotVote.target == f"topic:{topic.id}")
    ).all()
    return topic_json(topic, people, len(votes))


def _agenda_event(workshop: Workshop, block: Block) -> Broadcast:
    payload = {"block": block.id, "wall": wall_json(block, topics_of(workshop, block))}
    return Broadcast("agenda:updated", payload, _everyone(workshop))


def propose(
    workshop: Workshop,
    topic_id: str,
    title: str,
    now: dt.datetime,
    convener: Participant | None = None,
    convener_name: str | None = None,
    description: str | None = None,
) -> tuple[Topic, list[Broadcast]]:
    """A topic for the current Open Space block; whoever proposes it convenes it."""
    existing = db.session.get(Topic, topic_id)
    if existing is not None:
        if existing.workshop_id != workshop.id or existing.convener_id != (convener.id if convener else None):
            raise WorkshopError("topic_id_taken")
        return existing, []
    block = open_space_block(workshop)
    topic = Topic(
        id=topic_id,
        workshop_id=workshop.id,
        block_id=block.id,
        title=rules.topic_title(title),
        description=rules.topic_description(description),
        convener_id=convener.id if convener else None,
        convener_name=convener_name or (convener.name if convener else None),
        created_at=now,
    )
    db.session.add(topic)
    db.session.flush()
    return topic, [_topic_event("topic:added", workshop, topic)]


def _may_change(topic: Topic, actor: Participant | None) -> None:
    """The facilitator (actor None) or the topic's convener."""
    if actor is not None and topic.convener_id != actor.id:
        raise WorkshopError("not_convener")


def rename(
    workshop: Workshop, topic_id: str, actor: Participant | None, title: str | None, description: str | None
) -> list[Broadcast]:
    topic = find_topic(workshop, topic_id)
    _may_change(topic, actor)
    if title is not None:
        topic.title = rules.topic_title(title)
    if description is not None:
        topic.description = rules.topic_description(description)
    return [_topic_event("topic:updated", workshop, topic)]


def withdraw(workshop: Workshop, topic_id: str, actor: Participant | None, now: dt.datetime) -> list[Broadcast]:
    """The topic leaves the marketplace and the wall; its report notes stay in the data."""
    topic = find_topic(workshop, topic_id)
    _may_change(topic, actor)
    topic.withdrawn = True
    topic.slot = topic.space = None
    # Its dots go back to the voters: nobody's budget stays spent on a topic that is gone.
    db.session.execute(delete(DotVote).where(DotVote.target == f"topic:{topic.id}"))
    for attendance in db.session.execute(
        select(Attendance).where(Attendance.topic_id == topic.id, Attendance.until.is_(None))
    ).scalars():
        attendance.until = now
    db.session.flush()
    block = find_block(workshop, topic.block_id)
    removed = Broadcast("topic:removed", {"topic": topic.id, "block": block.id}, _everyone(workshop))
    return [removed, _agenda_event(workshop, block)]


# --- the agenda wall


def schedule(
    workshop: Workshop, topic_id: str, slot: str, space: str, actor: Participant | None
) -> tuple[Topic, list[Broadcast]]:
    """Places the topic in a free cell of its block's wall (moving it frees its former cell)."""
    topic = find_topic(workshop, topic_id)
    _may_change(topic, actor)
    block = find_block(workshop, topic.block_id)
    wall = wall_of(block, topics_of(workshop, block)).place(topic.id, topic.convener_id, slot, space)
    topic.slot, topic.space = wall.cell_of(topic.id)
    db.session.flush()
    return topic, [_agenda_event(workshop, block), _topic_event("topic:updated", workshop, topic)]


def unschedule(workshop: Workshop, topic_id: str, actor: Participant | None) -> list[Broadcast]:
    topic = find_topic(workshop, topic_id)
    _may_change(topic, actor)
    topic.slot = topic.space = None
    db.session.flush()
    block = find_block(workshop, topic.block_id)
    return [_agenda_event(workshop, block), _topic_event("topic:updated", workshop, topic)]


def reshape_wall(workshop: Workshop, block_id: int, slots: list[dict], spaces: list[dict]) -> list[Broadcast]:
    """The facilitator edits the wall's slots and spaces; topics whose cell is gone come off it."""
    block = find_block(workshop, block_id)
    if not block.is_open_space:
        raise WorkshopError("no_open_space")
    for kind, items in (("slot", slots), ("space", spaces)):
        ids = [item["id"] for item in items]
        if not items or len(set(ids)) != len(ids):
            raise WorkshopError("bad_wall", kind=kind)
    topics = topics_of(workshop, block)
    _, dropped = wall_of(block, topics).reshape([s["id"] for s in slots], [s["id"] for s in spaces])
    for topic in topics:
        if topic.id in dropped:
            topic.slot = topic.space = None
    block.slots = [{"id": s["id"], "label": s["label"]} for s in slots]
    block.spaces = [{"id": s["id"], "name": s["name"]} for s in spaces]
    db.session.flush()
    moved = [_topic_event("topic:updated", workshop, t) for t in topics if t.id in dropped]
    return [_agenda_event(workshop, block), *moved]


# --- the law of two feet


def attend(workshop: Workshop, participant: Participant, topic_id: str | None, now: dt.datetime) -> list[Broadcast]:
    """The participant is in this session now (None: in none); they may move at any time."""
    topic = find_topic(workshop, topic_id) if topic_id is not None else None
    current = (
        db.session.execute(
            select(Attendance)
            .join(Topic, Topic.id == Attendance.topic_id)
            .where(
                Attendance.participant_id == participant.id,
                Attendance.until.is_(None),
                Topic.workshop_id == workshop.id,
            )
        )
        .scalars()
        .all()
    )
    if topic is not None and [a.topic_id for a in current] == [topic.id]:
        return []
    changed = {a.topic_id for a in current}
    for attendance in current:
        attendance.until = now
    if topic is not None:
        db.session.add(Attendance(topic_id=topic.id, participant_id=participant.id, since=now))
        changed.add(topic.id)
    db.session.flush()
    counts = rules.attendance(attending_now(workshop))
    payload = {"attendance": {t: counts.get(t, 0) for t in sorted(changed)}}
    return [Broadcast("attendance:updated", payload, _everyone(workshop))]


def my_topics(workshop: Workshop, participant: Participant, reading: Reading | None = None) -> list[str]:
    """Sessions the participant convenes or is in now: their report notes reach the phone."""
    if reading is not None:
        convened = reading.convened_by(participant.id)
        attending = reading.attending.get(participant.id)
        return convened + ([attending] if attending and attending not in convened else [])
    convened = [
        t
        for (t,) in db.session.execute(
            select(Topic.id).where(Topic.convener_id == participant.id, Topic.withdrawn.is_(False))
        )
    ]
    attending = attending_now(workshop).get(participant.id)
    return convened + ([attending] if attending and attending not in convened else [])


# --- session reports


def _was_in(topic: Topic, participant: Participant) -> bool:
    if topic.convener_id == participant.id:
        return True
    return (
        db.session.execute(
            select(Attendance.id).where(Attendance.topic_id == topic.id, Attendance.participant_id == participant.id)
        ).first()
        is not None
    )


def post_report(
    workshop: Workshop,
    note_id: str,
    topic_id: str,
    text: str,
    now: dt.datetime,
    author: Participant | None = None,
    tag: str | None = None,
    owner: str | None = None,
    due: dt.date | None = None,
    color: str | None = None,
) -> tuple[Note, list[Broadcast]]:
    """A note of a session's report: by its convener, someone who was in it, or the facilitator.

    Actions on the topics the vote selected may be written by anyone (the action-planning step).
    """
    existing = existing_note(workshop, note_id, author)
    if existing is not None:
        return existing, []
    topic = find_topic(workshop, topic_id)
    clean_tag = rules.report_tag(tag)
    if author is not None and not _was_in(topic, author) and not (topic.selected and clean_tag == "action"):
        raise WorkshopError("not_in_session")
    if (owner or due) and clean_tag != "action":
        raise WorkshopError("owner_for_actions")
    if owner is not None and len(owner) > OWNER_MAX_LENGTH:
        raise WorkshopError("too_long", field="owner", max=OWNER_MAX_LENGTH)
    note = Note(
        id=note_id,
        workshop_id=workshop.id,
        block_id=topic.block_id,
        round_id=None,
        topic_id=topic.id,
        author=author,
        text=note_text(text),
        color=note_color(color),
        tag=clean_tag,
        owner=owner,
        due=due,
        created_at=now,
    )
    return store(workshop, note)


# --- convergence


def open_vote(workshop: Workshop, block_id: int, dots: int | None, top: int | None) -> list[Broadcast]:
    block = find_block(workshop, block_id)
    if not block.is_open_space:
        raise WorkshopError("no_open_space")
    if block.vote_status == "open":
        raise WorkshopError("vote_already_open")
    if dots is not None:
        block.vote_dots = rules.dot_budget(dots)
    if top is not None:
        block.vote_top = top
    block.vote_status = "open"
    for topic in topics_of(workshop, block):
        topic.selected = False
    payload = {"block": block.id, "dots": block.vote_dots, "top": block.vote_top}
    return [Broadcast("vote:opened", payload, _everyone(workshop))]


def _target(workshop: Workshop, kind: str, target_id: str) -> tuple[Block, str]:
    """The block whose vote takes this dot (the topic's or the proposal's), and the target's name."""
    if kind == "topic":
        topic = find_topic(workshop, target_id)
        block, target = find_block(workshop, topic.block_id), f"topic:{topic.id}"
    else:
        note = db.session.get(Note, target_id)
        if note is None or note.workshop_id != workshop.id or note.hidden:
            raise WorkshopError("unknown_note")
        if note.tag != "proposal" or note.block_id is None:
            raise WorkshopError("not_votable")
        block, target = find_block(workshop, note.block_id), f"note:{note.id}"
    if not block.is_open_space or block.vote_status != "open":
        raise WorkshopError("vote_not_open")
    return block, target


def _vote_broadcast(workshop: Workshop, target: str, votes: int) -> Broadcast:
    kind, target_id = target.split(":", 1)
    rooms = (room_for(workshop.code, "board"), room_for(workshop.code, "facilitator"))
    return Broadcast("vote:updated", {"target": kind, "id": target_id, "votes": votes}, rooms)


def cast(
    workshop: Workshop, participant: Participant, dot_id: str, kind: str, target_id: str, now: dt.datetime
) -> tuple[dict, list[Broadcast]]:
    """One dot on a topic (or a report proposal) of the current block's open vote."""
    block, target = _target(workshop, kind, target_id)
    dots = dots_of(workshop, block)
    taken = db.session.get(DotVote, dot_id)
    if taken is not None and taken.block_id != block.id:
        raise WorkshopError("dot_used")
    vote, new = _vote(block, dots).cast(rules.Dot(dot_id, participant.id, target))
    if new:
        db.session.add(
            DotVote(
                id=dot_id,
                workshop_id=workshop.id,
                block_id=block.id,
                participant_id=participant.id,
                target=target,
                created_at=now,
            )
        )
        db.session.flush()
    votes = vote.counts()[target]
    result = {"votes": votes, "left": vote.left(participant.id), "dot": dot_id}
    return result, [_vote_broadcast(workshop, target, votes)] if new else []


def withdraw_dot(
    workshop: Workshop, participant: Participant, kind: str, target_id: str
) -> tuple[dict, list[Broadcast]]:
    block, target = _target(workshop, kind, target_id)
    vote, gone = _vote(block, dots_of(workshop, block)).withdraw(participant.id, target)
    db.session.delete(db.session.get(DotVote, gone.id))
    db.session.flush()
    votes = vote.counts()[target]
    return {"votes": votes, "left": vote.left(participant.id)}, [_vote_broadcast(workshop, target, votes)]


def ranking_json(workshop: Workshop, block: Block) -> list[dict]:
    topics = topics_of(workshop, block)
    counts = _vote(block, dots_of(workshop, block)).counts()
    titles = {f"topic:{t.id}": t for t in topics}
    return [
        {"topic": titles[target].id, "title": titles[target].title, "votes": votes}
        for target, votes in rules.ranking(counts, titles)
    ]


def close_vote(workshop: Workshop, block_id: int) -> list[Broadcast]:
    """Closes the vote; the top K topics go on to action planning."""
    block = find_block(workshop, block_id)
    if block.vote_status != "open":
        raise WorkshopError("vote_not_open")
    block.vote_status = "closed"
    topics = topics_of(workshop, block)
    counts = _vote(block, dots_of(workshop, block)).counts()
    chosen = set(rules.top(counts, [f"topic:{t.id}" for t in topics], block.vote_top))
    for topic in topics:
        topic.selected = f"topic:{topic.id}" in chosen
    db.session.flush()
    payload = {
        "block": block.id,
        "ranking": ranking_json(workshop, block),
        "selected": [t.id for t in topics if t.selected],
    }
    return [Broadcast("vote:closed", payload, _everyone(workshop))]
