"""The agenda, read once per change instead of once per join or note (issue 14).

Three things are kept per workshop, in this process's memory:

- ``facts``: what a note's path and a phone's join need, in plain tuples: every block's method,
  vote, rounds (status) and tables (host), the current block and round (four plain queries, no
  ORM object);
- ``snapshot``: the agenda part of the state snapshot (the workshop and its blocks as JSON,
  without the wall's cells, which follow the topics), built by ``services.snapshot``;
- ``open_space``: the Open Space's reading (``openspace.writes.read``: the topics, who is in which
  session, the dots; plain rows), the same for every phone that joins. It has a generation of its
  own: a dot cast or a session changed makes it stale, not the agenda; a change of the agenda, or a
  participant deleted (the database's cascades), makes both stale.

Every commit that changed a workshop, block, round or table (flushed objects, or an ORM bulk
update or delete of them) makes the whole cache stale: the next reader builds it again from the
database. A reader notes the generation before it reads the database and stores what it built
under that generation, so a commit that lands meanwhile is never hidden behind an old copy.

With a message queue (several server processes) the cache is off: a change committed by another
process would not reach this one (``configure``). Each note then reads its facts (three small
queries) and each join loads the agenda, as before.
"""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from itertools import chain
from typing import Any, TypeVar

from sqlalchemy import event, inspect, select
from sqlalchemy.orm import Session

from workshop.domain.methods import OPEN_SPACE, WORLD_CAFE
from workshop.domain.modes import RoundModes
from workshop.extensions import db
from workshop.models import Attendance, Block, DotVote, Participant, Round, Table, Topic, Workshop

AGENDA_MODELS = (Workshop, Block, Round, Table)
OPEN_SPACE_MODELS = (Topic, Attendance, DotVote)
_FLAG = "workshop.agenda_changed"
_OPEN_SPACE_FLAG = "workshop.open_space_changed"
_SEATED = "workshop.seated"
_SEEN = "workshop.agenda_generation"  # the generation when the session's transaction began
_OPEN_SPACE_SEEN = "workshop.open_space_generation"

T = TypeVar("T")


@dataclass(frozen=True)
class RoundFacts:
    """A round as a note's path sees it (the same attribute names as ``models.Round``)."""

    id: int
    block_id: int
    status: str
    started_at: dt.datetime | None
    reveal: bool = False
    moderated: bool = False
    anonymous: bool = False

    @property
    def modes(self) -> RoundModes:
        return RoundModes(reveal=self.reveal, moderated=self.moderated, anonymous=self.anonymous)


@dataclass(frozen=True)
class TableFacts:
    number: int
    host_id: int | None


@dataclass(frozen=True)
class BlockFacts:
    """A block as a phone's join sees it (the same attribute names as ``models.Block``, so the
    seating's and the snapshot's rules read either): its rounds in order, its tables by number."""

    id: int
    method: str
    harvest: str
    vote_status: str
    vote_dots: int
    rounds: tuple[RoundFacts, ...]
    tables: tuple[TableFacts, ...]

    @property
    def is_world_cafe(self) -> bool:
        return self.method == WORLD_CAFE and bool(self.tables)

    @property
    def is_open_space(self) -> bool:
        return self.method == OPEN_SPACE


@dataclass
class AgendaFacts:
    workshop_id: int
    rounds: dict[int, RoundFacts]
    tables: dict[int, frozenset[int]]  # block id -> its table numbers
    blocks: dict[int, BlockFacts]
    current_block_id: int | None
    current_round_id: int | None  # the running round; else the last started in the current block
    language: str | None  # the workshop's (how its texts are printed: note_json's "shown")

    def round(self, round_id: int | None) -> RoundFacts | None:
        return self.rounds.get(self.current_round_id if round_id is None else round_id)

    @property
    def current_block(self) -> BlockFacts | None:
        return self.blocks.get(self.current_block_id) if self.current_block_id is not None else None


@dataclass
class _Entry:
    generation: int
    facts: AgendaFacts | None = None
    snapshot: dict | None = None
    extra: dict[str, Any] = field(default_factory=dict)


class AgendaCache:
    def __init__(self) -> None:
        self.enabled = True
        self.generation = 0
        self._lock = threading.Lock()
        self._entries: dict[int, _Entry] = {}
        self.builds = 0  # how many times the facts were read from the database (tests, benchmarks)
        self.open_space_generation = 0
        self._readings: dict[int, tuple[int, Any]] = {}  # workshop id -> (generation, reading)
        self.open_space_builds = 0
        # participant id -> table, for every change of table this process committed since it
        # started: a socket's table (set at its join) may be older (a plan seated its person at a
        # round's start, the facilitator moved them from the console's plain form).
        self._seated: dict[int, int | None] = {}

    def invalidate(self) -> None:
        with self._lock:
            self.generation += 1
            self._entries.clear()

    def invalidate_open_space(self) -> None:
        with self._lock:
            self.open_space_generation += 1
            self._readings.clear()

    def open_space(self, workshop_id: int, build: Callable[[], T]) -> T:
        """The workshop's Open Space reading, ``build()`` when stale; shared: never changed by a
        caller. A transaction that changed a topic, an attendance or a dot itself (not committed
        yet) reads the database, and keeps nothing."""
        session = db.session
        if not self.enabled or _open_space_changed_in(session):
            return build()
        generation = session.info.get(_OPEN_SPACE_SEEN, self.open_space_generation)
        kept = self._readings.get(workshop_id)
        if kept is not None and kept[0] == generation:
            return kept[1]
        built = build()
        self.open_space_builds += 1
        with self._lock:
            if generation == self.open_space_generation:  # no change landed while it was read
                self._readings[workshop_id] = (generation, built)
        return built

    def seated(self, changes: dict[int, int | None]) -> None:
        with self._lock:
            self._seated.update(changes)

    def forget_seats(self) -> None:
        with self._lock:
            self._seated.clear()

    def table_of(self, participant_id: int, known: int | None) -> int | None:
        """Where the participant sits now: ``known`` (their socket's, from their join) unless this
        process committed a change since; with the cache off (several processes), the database."""
        if not self.enabled:
            return db.session.execute(
                select(Participant.table_number).where(Participant.id == participant_id)
            ).scalar_one_or_none()
        return self._seated.get(participant_id, known)

    def _seen(self) -> int:
        """The generation what this session reads belongs to: the one when its transaction began.
        A transaction that began before a change commits keeps reading the database as it was
        (SQLite's and PostgreSQL's snapshots): what it builds must not be kept as the new copy."""
        return db.session.info.get(_SEEN, self.generation)

    def _entry(self, workshop_id: int, generation: int) -> _Entry | None:
        entry = self._entries.get(workshop_id)
        return entry if entry is not None and entry.generation == generation else None

    def facts(self, workshop_id: int) -> AgendaFacts:
        if not self.enabled or _agenda_changed_in(db.session):
            return read_facts(workshop_id)
        generation = self._seen()
        entry = self._entry(workshop_id, generation)
        if entry is not None and entry.facts is not None:
            return entry.facts
        facts = read_facts(workshop_id)
        self.builds += 1
        self._store(workshop_id, generation, facts=facts)
        return facts

    def snapshot(self, workshop_id: int, build) -> dict:
        """The agenda part of the snapshot, ``build()`` when stale. Callers copy before changing."""
        if not self.enabled or _agenda_changed_in(db.session):
            return build()
        generation = self._seen()
        entry = self._entry(workshop_id, generation)
        if entry is not None and entry.snapshot is not None:
            return entry.snapshot
        built = build()
        self._store(workshop_id, generation, snapshot=built)
        return built

    def _store(self, workshop_id: int, generation: int, **parts) -> None:
        with self._lock:
            if generation != self.generation:
                return  # a change landed while this was read: never keep the older copy
            entry = self._entries.get(workshop_id)
            if entry is None or entry.generation != generation:
                entry = self._entries[workshop_id] = _Entry(generation)
            for name, value in parts.items():
                setattr(entry, name, value)


agenda_cache = AgendaCache()


def configure(app) -> None:
    """On unless several processes share the workshop through a message queue."""
    agenda_cache.enabled = not app.config.get("WORKSHOP_MESSAGE_QUEUE") and app.config.get(
        "WORKSHOP_AGENDA_CACHE", True
    )
    agenda_cache.invalidate()
    agenda_cache.invalidate_open_space()
    agenda_cache.forget_seats()  # another app, maybe another database: its participants' ids


def read_facts(workshop_id: int) -> AgendaFacts:
    """Four plain queries: the blocks, their rounds, their tables, the current block."""
    rows = db.session.execute(
        select(Round.id, Round.block_id, Round.status, Round.started_at, Round.reveal, Round.moderated, Round.anonymous)
        .join(Block, Round.block_id == Block.id)
        .where(Block.workshop_id == workshop_id)
        .order_by(Round.block_id, Round.position)
    ).all()
    rounds = {
        r.id: RoundFacts(r.id, r.block_id, r.status, r.started_at, bool(r.reveal), bool(r.moderated), bool(r.anonymous))
        for r in rows
    }
    tables: dict[int, list[TableFacts]] = {}
    for block_id, number, host_id in db.session.execute(
        select(Table.block_id, Table.number, Table.host_id)
        .join(Block, Table.block_id == Block.id)
        .where(Block.workshop_id == workshop_id)
        .order_by(Table.block_id, Table.number)
    ):
        tables.setdefault(block_id, []).append(TableFacts(number, host_id))
    blocks = {
        b.id: BlockFacts(
            b.id,
            b.method,
            b.harvest,
            b.vote_status,
            b.vote_dots,
            tuple(r for r in rounds.values() if r.block_id == b.id),
            tuple(tables.get(b.id, ())),
        )
        for b in db.session.execute(
            select(Block.id, Block.method, Block.harvest, Block.vote_status, Block.vote_dots).where(
                Block.workshop_id == workshop_id
            )
        )
    }
    workshop = db.session.execute(
        select(Workshop.current_block_id, Workshop.language).where(Workshop.id == workshop_id)
    ).one_or_none()
    current_block, language = workshop if workshop is not None else (None, None)
    return AgendaFacts(
        workshop_id=workshop_id,
        rounds=rounds,
        tables={block: frozenset(t.number for t in each) for block, each in tables.items()},
        blocks=blocks,
        current_block_id=current_block,
        current_round_id=_current_round(rounds.values(), current_block),
        language=language,
    )


def _current_round(rounds, current_block: int | None) -> int | None:
    """As ``services.agenda.current_round``: the running round, else the last one started in the
    current block."""
    rounds = sorted(rounds, key=lambda r: r.id)
    running = next((r for r in rounds if r.status == "running"), None)
    if running is not None:
        return running.id
    started = [r for r in rounds if r.block_id == current_block and r.started_at is not None]
    return max(started, key=lambda r: r.started_at).id if started else None


def _changed(session, models: tuple[type, ...]) -> bool:
    """A column changed, or a row added or deleted; not a collection appended to (a participant
    joining adds to ``workshop.participants``: the agenda stays the same)."""
    return any(isinstance(obj, models) for obj in chain(session.new, session.deleted)) or any(
        isinstance(obj, models) and session.is_modified(obj, include_collections=False) for obj in session.dirty
    )


def _agenda_changed_in(session) -> bool:
    """This transaction changed the agenda itself (flushed or still pending): it reads the
    database, and keeps nothing."""
    return bool(session.info.get(_FLAG)) or _changed(session, AGENDA_MODELS)


def _open_space_changed_in(session) -> bool:
    """This transaction changed what the Open Space reading holds (flushed or still pending)."""
    return bool(session.info.get(_OPEN_SPACE_FLAG) or session.info.get(_FLAG)) or _changed(session, OPEN_SPACE_MODELS)


@event.listens_for(Session, "after_flush")
def _after_flush(session, _context) -> None:
    if _changed(session, AGENDA_MODELS):
        session.info[_FLAG] = True
    if _changed(session, OPEN_SPACE_MODELS) or any(isinstance(obj, Participant) for obj in session.deleted):
        session.info[_OPEN_SPACE_FLAG] = True
    for obj in session.dirty:
        if isinstance(obj, Participant) and session.is_modified(obj, include_collections=False):
            history = inspect(obj).attrs.table_number.history
            if history.has_changes():
                session.info.setdefault(_SEATED, {})[obj.id] = obj.table_number


@event.listens_for(Session, "do_orm_execute")
def _bulk(state) -> None:
    if not (state.is_update or state.is_delete):
        return
    classes = {mapper.class_ for mapper in state.all_mappers}
    if classes.intersection(AGENDA_MODELS):
        state.session.info[_FLAG] = True
    if classes.intersection(OPEN_SPACE_MODELS) or (state.is_delete and Participant in classes):
        state.session.info[_OPEN_SPACE_FLAG] = True


@event.listens_for(Session, "after_begin")
def _after_begin(session, _transaction, _connection) -> None:
    session.info[_SEEN] = agenda_cache.generation
    session.info[_OPEN_SPACE_SEEN] = agenda_cache.open_space_generation


@event.listens_for(Session, "after_commit")
def _after_commit(session) -> None:
    session.info.pop(_SEEN, None)
    session.info.pop(_OPEN_SPACE_SEEN, None)
    agenda = session.info.pop(_FLAG, False)
    if agenda:
        agenda_cache.invalidate()
    if session.info.pop(_OPEN_SPACE_FLAG, False) or agenda:
        agenda_cache.invalidate_open_space()
    seated = session.info.pop(_SEATED, None)
    if seated:
        agenda_cache.seated(seated)


@event.listens_for(Session, "after_rollback")
def _after_rollback(session) -> None:
    session.info.pop(_SEATED, None)  # changes of table that never landed
    session.info.pop(_SEEN, None)
    session.info.pop(_OPEN_SPACE_SEEN, None)
