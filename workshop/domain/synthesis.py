"""The preliminary results as a document tree, built from a plain description of a workshop.

``build(WorkshopInput) -> Synthesis``. The input is what the services load (dataclasses, no
SQLAlchemy); the tree is what every renderer of ``workshop.results.export`` walks, so the Markdown, HTML,
DOCX, CSV and JSON files hold the same content. Hidden notes are left out everywhere and only
counted. Text is made printable here (no control characters); typography and escaping are the
renderers' business.

The tree:

    Synthesis
      cover               title, organiser, dates, place, the workshop's question
      participation       people, notes, per block and per table or session; hidden notes counted
      highlights          the starred notes
      sections            the facilitator's sections: introduction (Markdown), themes, notes
      themes              the facilitator's themes filed under no section
      blocks              the agenda: block -> round (its question) -> group -> theme -> notes
        rounds[].groups   World Café: one group per table; Open Space: one per session (topic)
                          for notes written in a round, else one group for the round
        harvest           World Café: the key ideas each table brought to the plenary
        sessions          Open Space: the proceedings, one report per session, with its dots;
                          ``priorities`` (the vote) and ``actions`` (the action plan)
        terms             the key terms of the block's visible notes (``domain.terms``)
      annex               every visible note, numbered in agenda order (the numbers cited above)
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from workshop.domain.methods import OPEN_SPACE
from workshop.domain.photos import PhotoItem
from workshop.domain.terms import Term, key_terms
from workshop.domain.typography import printable

TERMS_PER_BLOCK = 20  # key terms each block's part of the documents lists

# --------------------------------------------------------------------------- input


@dataclass(frozen=True)
class NoteInput:
    id: str
    text: str
    created_at: dt.datetime
    kind: str = "note"  # "note" | "harvest"
    block: int | None = None
    round: int | None = None
    table: int | None = None
    topic: str | None = None
    author_id: int | None = None
    author: str | None = None
    color: str | None = None
    votes: int = 0
    starred: bool = False
    hidden: bool = False
    theme: int | None = None
    section: int | None = None
    tag: str | None = None  # Open Space reports: "key-point" | "proposal" | "action"
    owner: str | None = None  # an action's owner
    due: dt.date | None = None  # an action's date


@dataclass(frozen=True)
class RoundInput:
    id: int
    position: int
    question: str
    title: str | None = None
    minutes: int | None = None
    status: str = "pending"


@dataclass(frozen=True)
class TableInput:
    number: int
    theme: str | None = None


@dataclass(frozen=True)
class TopicInput:
    """An Open Space session: its report's notes are the proceedings of the session."""

    id: str
    title: str
    convener: str | None = None
    slot: str | None = None  # the time slot's label on the agenda wall
    space: str | None = None  # the space's name
    description: str | None = None
    votes: int = 0  # dots of the convergence vote
    selected: bool = False  # among the priorities the vote kept for action planning


@dataclass(frozen=True)
class BlockInput:
    id: int
    key: str
    title: str
    day: dt.date
    part: str
    method: str
    description: str | None = None
    rounds: tuple[RoundInput, ...] = ()
    tables: tuple[TableInput, ...] = ()
    topics: tuple[TopicInput, ...] = ()
    harvest: str = "none"


@dataclass(frozen=True)
class ThemeInput:
    id: int
    title: str
    position: int = 0
    block: int | None = None
    section: int | None = None


@dataclass(frozen=True)
class SectionInput:
    id: int
    title: str
    intro: str = ""  # Markdown, as the facilitator wrote it
    position: int = 0


@dataclass(frozen=True)
class SectorInput:
    id: str
    name: str


@dataclass(frozen=True)
class ParticipantInput:
    id: int
    sector: str | None = None
    joined: bool = True  # gave a name, took a table or wrote a note (not a phone that only looked)


@dataclass(frozen=True)
class WorkshopInput:
    code: str
    title: str
    language: str = "fr"
    organiser: str = ""
    place: str | None = None
    question: str | None = None
    dates: tuple[dt.date, ...] = ()
    sectors: tuple[SectorInput, ...] = ()
    blocks: tuple[BlockInput, ...] = ()
    themes: tuple[ThemeInput, ...] = ()
    sections: tuple[SectionInput, ...] = ()
    participants: tuple[ParticipantInput, ...] = ()
    notes: tuple[NoteInput, ...] = ()
    generated_at: dt.datetime | None = None


# --------------------------------------------------------------------------- the tree


@dataclass(frozen=True)
class Origin:
    """Where a note was written, resolved once for the renderers (shared by the notes of a group)."""

    block: int | None = None
    block_key: str | None = None
    block_title: str | None = None
    day: dt.date | None = None
    part: str | None = None
    method: str | None = None
    round: int | None = None
    round_position: int | None = None  # 0-based
    round_title: str | None = None
    question: str | None = None
    table: int | None = None
    table_theme: str | None = None
    topic: str | None = None
    topic_title: str | None = None


@dataclass
class NoteItem:
    """A visible note. ``number`` is its place in the annex, which the other parts cite."""

    number: int
    id: str
    text: str
    kind: str
    created_at: dt.datetime
    origin: Origin
    author: str | None = None
    color: str | None = None
    votes: int = 0
    starred: bool = False
    theme: int | None = None
    theme_title: str | None = None
    section: int | None = None  # the section it is filed under: its own, else its theme's
    section_title: str | None = None
    filed_directly: bool = False  # filed under the section itself, not through its theme
    tag: str | None = None
    owner: str | None = None
    due: dt.date | None = None


@dataclass
class ThemeGroup:
    """The notes of one facilitator's theme within a group (a table, a session)."""

    id: int
    title: str
    notes: list[NoteItem]


@dataclass
class NoteGroup:
    """The notes of a round at one table (World Café), one session (Open Space), or the round's
    notes when it has neither: grouped by the facilitator's themes first, then the others."""

    kind: str  # "table" | "topic" | "round"
    table: int | None = None
    title: str | None = None  # the table's theme, or the topic's title
    topic: str | None = None
    convener: str | None = None
    slot: str | None = None  # a session's place on the agenda wall
    space: str | None = None
    description: str | None = None
    votes: int = 0  # a session's dots
    selected: bool = False  # a session the vote kept
    themes: list[ThemeGroup] = field(default_factory=list)
    notes: list[NoteItem] = field(default_factory=list)  # in no theme

    @property
    def count(self) -> int:
        return len(self.notes) + sum(len(t.notes) for t in self.themes)

    def all_notes(self) -> list[NoteItem]:
        return [n for t in self.themes for n in t.notes] + self.notes


@dataclass
class RoundPart:
    id: int
    position: int  # 0-based
    title: str | None
    question: str
    groups: list[NoteGroup]

    @property
    def count(self) -> int:
        return sum(g.count for g in self.groups)


@dataclass
class BlockPart:
    id: int
    key: str
    title: str
    day: dt.date
    part: str
    method: str
    description: str | None
    rounds: list[RoundPart]
    harvest: list[NoteGroup]  # World Café: one group per table that brought ideas
    other: NoteGroup | None = None  # notes of the block outside any of its rounds
    sessions: list[NoteGroup] = field(default_factory=list)  # Open Space: each session's report
    actions: list[NoteItem] = field(default_factory=list)  # Open Space: the action plan
    terms: list[Term] = field(default_factory=list)  # the key terms of its visible notes

    @property
    def priorities(self) -> list[NoteGroup]:
        """The sessions that got dots, most voted first (the convergence vote)."""
        voted = [s for s in self.sessions if s.votes > 0 or s.selected]
        return sorted(voted, key=lambda s: (not s.selected, -s.votes))

    @property
    def proceedings(self) -> bool:
        """An Open Space block reads as proceedings: one part per session."""
        return self.method == OPEN_SPACE

    @property
    def count(self) -> int:
        return (
            sum(r.count for r in self.rounds)
            + sum(g.count for g in self.harvest + self.sessions)
            + (self.other.count if self.other else 0)
        )

    @property
    def contributed(self) -> bool:
        """Something came of the block: a visible note, an Open Space session or an action."""
        return self.count > 0 or bool(self.sessions) or bool(self.actions)


@dataclass
class ThemePart:
    """A facilitator's theme with all its visible notes, wherever they were written."""

    id: int
    title: str
    block: int | None
    section: int | None
    notes: list[NoteItem]


@dataclass
class SectionPart:
    """A facilitator's section, e.g. « Résultats préliminaires – Table »."""

    id: int
    title: str
    intro: str  # Markdown; renderers sanitize it
    themes: list[ThemePart]
    notes: list[NoteItem]  # filed directly (not already shown under one of its themes)


@dataclass
class GroupFigures:
    kind: str  # "table" | "topic" | "round"
    table: int | None
    title: str | None
    notes: int
    harvest: int


@dataclass
class BlockFigures:
    id: int
    title: str
    day: dt.date
    part: str
    method: str
    notes: int
    harvest: int
    hidden: int
    contributors: int
    groups: list[GroupFigures]


@dataclass
class SectorFigures:
    id: str | None  # None: participants who gave no sector
    name: str | None
    participants: int


@dataclass
class Participation:
    participants: int  # people who joined: a name, a table or a note (not a phone that only looked)
    contributors: int  # people who wrote at least one visible note
    notes: int  # visible notes written in rounds
    harvest: int  # visible harvest notes
    hidden: int  # hidden notes, left out of the document
    by_sector: list[SectorFigures]
    blocks: list[BlockFigures]

    @property
    def visible(self) -> int:
        return self.notes + self.harvest


@dataclass
class Cover:
    code: str
    title: str
    language: str
    organiser: str
    place: str | None
    question: str | None
    dates: tuple[dt.date, ...]
    generated_at: dt.datetime | None


@dataclass
class Synthesis:
    cover: Cover
    participation: Participation
    highlights: list[NoteItem]
    sections: list[SectionPart]
    themes: list[ThemePart]  # filed under no section
    blocks: list[BlockPart]
    annex: list[NoteItem]  # every visible note, in agenda order
    other: list[NoteItem] = field(default_factory=list)  # notes of no known block
    photos: list[PhotoItem] = field(default_factory=list)  # tablecloths and flipcharts (services.photos)

    @property
    def language(self) -> str:
        return self.cover.language

    @property
    def quiet_blocks(self) -> list[BlockPart]:
        """The blocks nothing came of (no visible note, session, action or photo): the documents
        list them once under « Blocs sans contribution » instead of a part each."""
        pictured = {p.block for p in self.photos}
        return [b for b in self.blocks if not b.contributed and b.id not in pictured]


# --------------------------------------------------------------------------- building


def _order_in_group(note: NoteItem) -> tuple:
    """Highlights first, then the most voted, then agenda order."""
    return (not note.starred, -note.votes, note.number)


def build(workshop: WorkshopInput) -> Synthesis:
    blocks = list(workshop.blocks)
    block_index = {b.id: i for i, b in enumerate(blocks)}
    rounds = {r.id: (b, r) for b in blocks for r in b.rounds}
    themes = sorted(workshop.themes, key=lambda t: (t.position, t.id))
    theme_by_id = {t.id: t for t in themes}
    sections = sorted(workshop.sections, key=lambda s: (s.position, s.id))
    section_by_id = {s.id: s for s in sections}

    visible: list[NoteInput] = []
    hidden_by_block: dict[int | None, int] = defaultdict(int)
    for note in workshop.notes:
        block_id = _block_of(note, rounds)
        if note.hidden:
            hidden_by_block[block_id if block_id in block_index else None] += 1
        else:
            visible.append(note)

    origins: dict[tuple, Origin] = {}

    def origin_of(note: NoteInput) -> Origin:
        block_id = _block_of(note, rounds)
        round_id = note.round if note.round in rounds and note.kind != "harvest" else None
        key = (block_id, round_id, note.table, note.topic)
        found = origins.get(key)
        if found is None:
            block = blocks[block_index[block_id]] if block_id in block_index else None
            round_ = rounds[round_id][1] if round_id is not None else None
            table = next((t for t in block.tables if t.number == note.table), None) if block else None
            topic = next((t for t in block.topics if t.id == note.topic), None) if block else None
            found = origins[key] = Origin(
                block=block.id if block else None,
                block_key=block.key if block else None,
                block_title=printable(block.title) if block else None,
                day=block.day if block else None,
                part=block.part if block else None,
                method=block.method if block else None,
                round=round_.id if round_ else None,
                round_position=round_.position if round_ else None,
                round_title=printable(round_.title) or None if round_ else None,
                question=printable(round_.question) if round_ else None,
                table=note.table,
                table_theme=printable(table.theme) or None if table else None,
                topic=note.topic,
                topic_title=printable(topic.title) if topic else None,
            )
        return found

    def agenda_order(note: NoteInput) -> tuple:
        block_id = _block_of(note, rounds)
        round_ = rounds[note.round][1] if note.round in rounds else None
        return (
            block_index.get(block_id, len(blocks)),
            note.kind == "harvest",
            round_.position if round_ is not None else 1_000_000,
            note.table if note.table is not None else 1_000_000,
            note.created_at,
            note.id,
        )

    items: list[NoteItem] = []
    for number, note in enumerate(sorted(visible, key=agenda_order), start=1):
        theme = theme_by_id.get(note.theme)
        own_section = section_by_id.get(note.section)
        theme_section = section_by_id.get(theme.section) if theme is not None else None
        shown_section = own_section or theme_section
        items.append(
            NoteItem(
                number=number,
                id=note.id,
                text=printable(note.text).strip(),
                kind=note.kind,
                created_at=note.created_at,
                origin=origin_of(note),
                author=printable(note.author).strip() or None,
                color=note.color,
                votes=max(0, int(note.votes or 0)),
                starred=bool(note.starred),
                theme=theme.id if theme else None,
                theme_title=printable(theme.title) if theme else None,
                section=shown_section.id if shown_section else None,
                section_title=printable(shown_section.title) if shown_section else None,
                filed_directly=own_section is not None,
                tag=note.tag,
                owner=printable(note.owner).strip() or None,
                due=note.due,
            )
        )

    per_block: dict[int | None, list[NoteItem]] = defaultdict(list)
    for item in items:
        per_block[item.origin.block].append(item)
    block_parts = [_block_part(block, per_block.get(block.id, []), themes) for block in blocks]
    for part in block_parts:
        part.terms = key_terms(
            ((n.id, n.text) for n in per_block.get(part.id, [])), workshop.language, limit=TERMS_PER_BLOCK
        )
    theme_parts = {
        t.id: ThemePart(
            id=t.id,
            title=printable(t.title),
            block=t.block,
            section=t.section if t.section in section_by_id else None,
            notes=[],
        )
        for t in themes
    }
    for item in items:
        if item.theme is not None:
            theme_parts[item.theme].notes.append(item)
    for part in theme_parts.values():
        part.notes.sort(key=_order_in_group)

    section_parts = []
    for section in sections:
        filed = [theme_parts[t.id] for t in themes if theme_parts[t.id].section == section.id]
        shown = {n.id for part in filed for n in part.notes}
        direct = sorted(
            (n for n in items if n.filed_directly and n.section == section.id and n.id not in shown),
            key=_order_in_group,
        )
        section_parts.append(
            SectionPart(
                id=section.id,
                title=printable(section.title),
                intro=printable(section.intro),
                themes=filed,
                notes=direct,
            )
        )

    return Synthesis(
        cover=Cover(
            code=workshop.code,
            title=printable(workshop.title),
            language=workshop.language,
            organiser=printable(workshop.organiser),
            place=printable(workshop.place) or None,
            question=printable(workshop.question) or None,
            dates=tuple(sorted(workshop.dates)),
            generated_at=workshop.generated_at,
        ),
        participation=_participation(workshop, block_parts, items, hidden_by_block),
        highlights=[n for n in items if n.starred],
        sections=section_parts,
        themes=[p for p in theme_parts.values() if p.section is None],
        blocks=block_parts,
        annex=items,
        other=per_block.get(None, []),
    )


def _block_of(note: NoteInput, rounds: dict) -> int | None:
    """The block of the note's round when it has one (the truth), else the note's own."""
    if note.round in rounds and note.kind != "harvest":
        return rounds[note.round][0].id
    return note.block


def _grouped(kind: str, notes: list[NoteItem], themes: list[ThemeInput], **fields) -> NoteGroup:
    by_theme: dict[int, list[NoteItem]] = defaultdict(list)
    loose = []
    for note in notes:
        (by_theme[note.theme] if note.theme is not None else loose).append(note)
    return NoteGroup(
        kind=kind,
        themes=[
            ThemeGroup(id=t.id, title=printable(t.title), notes=sorted(by_theme[t.id], key=_order_in_group))
            for t in themes
            if by_theme.get(t.id)
        ],
        notes=sorted(loose, key=_order_in_group),
        **fields,
    )


def _by_table(block: BlockInput, notes: list[NoteItem], themes: list[ThemeInput], keep_empty: bool) -> list[NoteGroup]:
    """One group per table of the block (in order), then tables the block does not list, then
    notes without a table."""
    per_table: dict[int | None, list[NoteItem]] = defaultdict(list)
    for note in notes:
        per_table[note.origin.table].append(note)
    known = [t.number for t in block.tables]
    numbers = [n for n in known if keep_empty or per_table.get(n)]
    numbers += sorted(n for n in per_table if n is not None and n not in known)
    theme_of = {t.number: printable(t.theme) or None for t in block.tables}
    groups = [_grouped("table", per_table[n], themes, table=n, title=theme_of.get(n)) for n in numbers]
    if per_table.get(None):
        groups.append(_grouped("round", per_table[None], themes))
    return groups


def _by_topic(block: BlockInput, notes: list[NoteItem], themes: list[ThemeInput]) -> list[NoteGroup]:
    """Open Space: one group per session (topic) that has notes, then the round's other notes."""
    per_topic: dict[str | None, list[NoteItem]] = defaultdict(list)
    for note in notes:
        per_topic[note.origin.topic if note.origin.topic_title is not None else None].append(note)
    groups = [_topic_group(t, per_topic[t.id], themes) for t in block.topics if per_topic.get(t.id)]
    if per_topic.get(None):
        if block.tables:
            groups += _by_table(block, per_topic[None], themes, keep_empty=False)
        else:
            groups.append(_grouped("round", per_topic[None], themes))
    return groups


def _topic_group(topic: TopicInput, notes: list[NoteItem], themes: list[ThemeInput]) -> NoteGroup:
    return _grouped(
        "topic",
        notes,
        themes,
        topic=topic.id,
        title=printable(topic.title),
        convener=printable(topic.convener) or None,
        slot=printable(topic.slot) or None,
        space=printable(topic.space) or None,
        description=printable(topic.description) or None,
        votes=max(0, topic.votes),
        selected=topic.selected,
    )


def _block_part(block: BlockInput, notes: list[NoteItem], themes: list[ThemeInput]) -> BlockPart:
    per_round: dict[int | None, list[NoteItem]] = defaultdict(list)
    per_topic: dict[str, list[NoteItem]] = defaultdict(list)
    harvest: list[NoteItem] = []
    topics = {t.id for t in block.topics}
    for note in notes:
        if note.kind == "harvest":
            harvest.append(note)
        elif note.origin.round is None and note.origin.topic in topics:
            per_topic[note.origin.topic].append(note)  # a session's report
        else:
            per_round[note.origin.round].append(note)
    round_parts = []
    for round_ in sorted(block.rounds, key=lambda r: r.position):
        mine = per_round.get(round_.id, [])
        if block.method == OPEN_SPACE:
            groups = _by_topic(block, mine, themes)
        else:
            groups = _by_table(block, mine, themes, keep_empty=False)
        round_parts.append(
            RoundPart(
                id=round_.id,
                position=round_.position,
                title=printable(round_.title) or None,
                question=printable(round_.question),
                groups=groups,
            )
        )
    other = per_round.get(None)
    return BlockPart(
        id=block.id,
        key=block.key,
        title=printable(block.title),
        day=block.day,
        part=block.part,
        method=block.method,
        description=printable(block.description) or None,
        rounds=round_parts,
        harvest=_by_table(block, harvest, themes, keep_empty=False) if harvest else [],
        other=_grouped("round", other, themes) if other else None,
        sessions=[_topic_group(t, per_topic.get(t.id, []), themes) for t in block.topics],
        actions=sorted(
            (n for t in block.topics for n in per_topic.get(t.id, []) if n.tag == "action"),
            key=lambda n: (n.due or dt.date.max, n.number),
        ),
    )


def _participation(
    workshop: WorkshopInput, blocks: list[BlockPart], items: list[NoteItem], hidden_by_block: dict
) -> Participation:
    authors_by_block: dict[int | None, set[int]] = defaultdict(set)
    author_of = {n.id: n.author_id for n in workshop.notes}
    for item in items:
        author = author_of.get(item.id)
        if author is not None:
            authors_by_block[item.origin.block].add(author)

    block_figures = []
    for block in blocks:
        tallies: dict[tuple, list[int]] = {}
        titles: dict[tuple, str | None] = {}
        groups = [g for r in block.rounds for g in r.groups] + block.harvest + block.sessions
        for group in groups:
            key = (group.kind, group.table, group.topic)
            titles.setdefault(key, group.title)
            counts = tallies.setdefault(key, [0, 0])
            for note in group.all_notes():
                counts[1 if note.kind == "harvest" else 0] += 1
        ordered = sorted(
            tallies,
            key=lambda k: ({"table": 0, "topic": 1, "round": 2}[k[0]], k[1] if k[1] is not None else 0, k[2] or ""),
        )
        harvest = sum(g.count for g in block.harvest)
        block_figures.append(
            BlockFigures(
                id=block.id,
                title=block.title,
                day=block.day,
                part=block.part,
                method=block.method,
                notes=block.count - harvest,
                harvest=harvest,
                hidden=hidden_by_block.get(block.id, 0),
                contributors=len(authors_by_block.get(block.id, ())),
                groups=[GroupFigures(k[0], k[1], titles[k], *tallies[k]) for k in ordered],
            )
        )

    sectors = {s.id: s for s in workshop.sectors}
    per_sector: dict[str | None, int] = defaultdict(int)
    for person in (p for p in workshop.participants if p.joined):
        per_sector[person.sector if person.sector in sectors else None] += 1
    by_sector = [SectorFigures(s.id, printable(s.name), per_sector.get(s.id, 0)) for s in workshop.sectors]
    if per_sector.get(None) and by_sector:
        by_sector.append(SectorFigures(None, None, per_sector[None]))

    harvest = sum(1 for n in items if n.kind == "harvest")
    return Participation(
        participants=sum(1 for p in workshop.participants if p.joined),
        contributors=len({author_of.get(n.id) for n in items} - {None}),
        notes=len(items) - harvest,
        harvest=harvest,
        hidden=sum(hidden_by_block.values()),
        by_sector=by_sector,
        blocks=block_figures,
    )
