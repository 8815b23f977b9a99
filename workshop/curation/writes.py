"""Curation for the preliminary results: themes that group notes, sections that file them."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from workshop.broadcasts import Broadcast
from workshop.domain.errors import WorkshopError
from workshop.domain.text import clean_text
from workshop.extensions import db
from workshop.models import Block, Note, Round, Section, Theme, Workshop
from workshop.results.export.richtext import MAX_BRACKETS, MAX_NESTING, sanitized_html, too_complex
from workshop.rooms import room_for

TITLE_MAX_LENGTH = 200
INTRO_MAX_LENGTH = 10_000
BOARD_VIEWS = ("live", "results", "terms")


def theme_json(theme: Theme) -> dict:
    return {
        "id": theme.id,
        "title": theme.title,
        "block": theme.block_id,
        "section": theme.section_id,
        "position": theme.position,
    }


def section_json(section: Section) -> dict:
    return {
        "id": section.id,
        "title": section.title,
        "intro": section.intro,
        # The intro as the results print it: Markdown made HTML, then cleaned by nh3's allow-list.
        # Rendered once, when the intro was saved: a snapshot never runs the Markdown renderer.
        "intro_html": section.intro_html,
        "position": section.position,
    }


def themes(workshop: Workshop) -> list[Theme]:
    return list(
        db.session.execute(
            select(Theme).where(Theme.workshop_id == workshop.id).order_by(Theme.position, Theme.id)
        ).scalars()
    )


def sections(workshop: Workshop) -> list[Section]:
    return list(
        db.session.execute(
            select(Section).where(Section.workshop_id == workshop.id).order_by(Section.position, Section.id)
        ).scalars()
    )


def curation_json(workshop: Workshop) -> dict:
    return {
        "themes": [theme_json(t) for t in themes(workshop)],
        "sections": [section_json(s) for s in sections(workshop)],
    }


def set_board_view(workshop: Workshop, view: str) -> list[Broadcast]:
    """What the projector shows: the live wall, the results as curated so far, or the key terms."""
    if view not in BOARD_VIEWS:
        raise WorkshopError("bad_choice", field="view", choices=", ".join(BOARD_VIEWS))
    if workshop.board_view == view:
        return []
    workshop.board_view = view
    rooms = (room_for(workshop.code, "board"), room_for(workshop.code, "facilitator"))
    return [Broadcast("board:view", {"view": view}, rooms)]


def _updated(workshop: Workshop, notes: list[Note] | None = None) -> list[Broadcast]:
    """The whole curation (small) to the board and console; the notes that changed, with it."""
    payload = curation_json(workshop)
    if notes:
        payload["notes"] = [{"id": n.id, "theme": n.theme_id, "section": n.section_id} for n in notes]
    rooms = (room_for(workshop.code, "board"), room_for(workshop.code, "facilitator"))
    return [Broadcast("curation:updated", payload, rooms)]


def _title(raw: str) -> str:
    title = clean_text(raw)
    if not title:
        raise WorkshopError("empty_title")
    if len(title) > TITLE_MAX_LENGTH:
        raise WorkshopError("too_long", field="title", max=TITLE_MAX_LENGTH)
    return title


def _intro(raw: str) -> str:
    intro = clean_text(raw, multiline=True)
    if len(intro) > INTRO_MAX_LENGTH:
        raise WorkshopError("too_long", field="intro", max=INTRO_MAX_LENGTH)
    if too_complex(intro):
        raise WorkshopError("intro_too_complex", brackets=MAX_BRACKETS, levels=MAX_NESTING)
    return intro


def intro_html(intro: str) -> str:
    """The intro as the results print it: Markdown made HTML, then cleaned by nh3's allow-list."""
    return sanitized_html(intro) if intro.strip() else ""


def find_theme(workshop: Workshop, theme_id: int) -> Theme:
    theme = db.session.get(Theme, theme_id)
    if theme is None or theme.workshop_id != workshop.id:
        raise WorkshopError("unknown_theme")
    return theme


def find_section(workshop: Workshop, section_id: int) -> Section:
    section = db.session.get(Section, section_id)
    if section is None or section.workshop_id != workshop.id:
        raise WorkshopError("unknown_section")
    return section


def _notes(workshop: Workshop, note_ids: list[str]) -> list[Note]:
    if len(note_ids) > 500:
        raise WorkshopError("too_many_notes", max=500)
    found = {
        n.id: n
        for n in db.session.execute(
            select(Note).where(Note.workshop_id == workshop.id, Note.id.in_(note_ids))
        ).scalars()
    }
    missing = [i for i in note_ids if i not in found]
    if missing:
        raise WorkshopError("unknown_note")
    return [found[i] for i in note_ids]


def _next_position(model, workshop: Workshop) -> int:
    highest = db.session.execute(select(func.max(model.position)).where(model.workshop_id == workshop.id)).scalar_one()
    return 0 if highest is None else highest + 1


def create_theme(workshop: Workshop, title: str, note_ids: list[str] | None = None) -> tuple[Theme, list[Broadcast]]:
    """A theme named by the facilitator, holding the selected notes (taken from any other theme)."""
    notes = _notes(workshop, note_ids or [])
    blocks = {n.block_id for n in notes}
    theme = Theme(
        workshop_id=workshop.id,
        title=_title(title),
        block_id=blocks.pop() if len(blocks) == 1 else None,
        position=_next_position(Theme, workshop),
    )
    db.session.add(theme)
    db.session.flush()
    for note in notes:
        note.theme_id = theme.id
    return theme, _updated(workshop, notes)


def update_theme(
    workshop: Workshop, theme_id: int, title: str | None = None, position: int | None = None
) -> list[Broadcast]:
    theme = find_theme(workshop, theme_id)
    if title is not None:
        theme.title = _title(title)
    if position is not None:
        _move(themes(workshop), theme, position)
    return _updated(workshop)


def delete_theme(workshop: Workshop, theme_id: int) -> list[Broadcast]:
    """The theme goes; its notes stay, ungrouped."""
    theme = find_theme(workshop, theme_id)
    notes = list(db.session.execute(select(Note).where(Note.theme_id == theme.id)).scalars())
    for note in notes:
        note.theme_id = None
    db.session.delete(theme)
    db.session.flush()
    return _updated(workshop, notes)


def group_notes(workshop: Workshop, note_ids: list[str], theme_id: int | None) -> list[Broadcast]:
    """Puts notes into a theme (None: out of any theme)."""
    notes = _notes(workshop, note_ids)
    theme = find_theme(workshop, theme_id) if theme_id is not None else None
    for note in notes:
        note.theme_id = theme.id if theme else None
    return _updated(workshop, notes)


def create_section(workshop: Workshop, title: str, intro: str = "") -> tuple[Section, list[Broadcast]]:
    intro = _intro(intro)
    section = Section(
        workshop_id=workshop.id,
        title=_title(title),
        intro=intro,
        intro_html=intro_html(intro),
        position=_next_position(Section, workshop),
    )
    db.session.add(section)
    db.session.flush()
    return section, _updated(workshop)


def update_section(
    workshop: Workshop, section_id: int, title: str | None = None, intro: str | None = None, position: int | None = None
) -> list[Broadcast]:
    section = find_section(workshop, section_id)
    if title is not None:
        section.title = _title(title)
    if intro is not None:
        section.intro = _intro(intro)
        section.intro_html = intro_html(section.intro)
    if position is not None:
        _move(sections(workshop), section, position)
    return _updated(workshop)


def delete_section(workshop: Workshop, section_id: int) -> list[Broadcast]:
    """The section goes; what was filed under it stays, unfiled."""
    section = find_section(workshop, section_id)
    notes = list(db.session.execute(select(Note).where(Note.section_id == section.id)).scalars())
    for note in notes:
        note.section_id = None
    for theme in themes(workshop):
        if theme.section_id == section.id:
            theme.section_id = None
    db.session.delete(section)
    db.session.flush()
    return _updated(workshop, notes)


def file_under(
    workshop: Workshop, section_id: int | None, theme_ids: list[int] = (), note_ids: list[str] = ()
) -> list[Broadcast]:
    """Files themes and notes under a section (None: take them out of any section)."""
    section = find_section(workshop, section_id) if section_id is not None else None
    target = section.id if section else None
    for theme_id in theme_ids:
        find_theme(workshop, theme_id).section_id = target
    notes = _notes(workshop, list(note_ids))
    for note in notes:
        note.section_id = target
    return _updated(workshop, notes)


def _move(items: list, item, position: int) -> None:
    """Reorders: the item goes to ``position`` (0-based, clamped), the others keep their order."""
    others = [i for i in items if i is not item]
    position = max(0, min(position, len(others)))
    others.insert(position, item)
    for index, each in enumerate(others):
        each.position = index


# --- the curation page's read model (templates/curation/_curate_live.html: the page and its fragment)


@dataclass(frozen=True)
class CurationFilter:
    """Which notes the page lists: a block (None: every block), then a round of it or its harvest,
    and words the text holds."""

    block: int | None = None
    round: int | None = None
    harvest: bool = False
    text: str = ""


@dataclass(frozen=True)
class CuratedNote:
    note: Note
    block: Block | None  # the block of its round, else its own
    round: Round | None
    theme: Theme | None
    section: Section | None


@dataclass(frozen=True)
class NoteGroup:
    """The notes of one round, or of a block's harvest (or of a block outside its rounds)."""

    block: Block | None
    round: Round | None
    harvest: bool
    notes: list[CuratedNote]


@dataclass(frozen=True)
class CuratedTheme:
    theme: Theme
    notes: list[Note]


@dataclass(frozen=True)
class CuratedSection:
    section: Section
    themes: list[Theme]
    notes: int


@dataclass(frozen=True)
class CurationPage:
    blocks: list[Block]
    filter: CurationFilter  # as applied: an unknown block or round is left out
    chosen: Block | None
    groups: list[NoteGroup]
    themes: list[CuratedTheme]
    sections: list[CuratedSection]


def curation_page(workshop: Workshop, wanted: CurationFilter) -> CurationPage:
    """Every note of the workshop (the facilitator sees them all, hidden ones too), those the filter
    keeps grouped by round in agenda order, a group's notes by table then time; the themes with
    their notes and the sections with what is filed under them."""
    blocks = list(workshop.blocks)
    chosen = next((b for b in blocks if b.id == wanted.block), None)
    round_ = next((r for r in chosen.rounds if r.id == wanted.round), None) if chosen else None
    applied = CurationFilter(
        block=chosen.id if chosen else None,
        round=round_.id if round_ else None,
        harvest=bool(chosen and chosen.is_world_cafe and wanted.harvest and round_ is None),
        text=wanted.text.strip(),
    )
    rounds = {r.id: r for b in blocks for r in b.rounds}
    by_block = {b.id: b for b in blocks}
    all_themes = themes(workshop)
    all_sections = sections(workshop)
    theme_by_id = {t.id: t for t in all_themes}
    section_by_id = {s.id: s for s in all_sections}
    notes = list(
        db.session.execute(
            select(Note)
            .where(Note.workshop_id == workshop.id)
            .options(selectinload(Note.author))
            .order_by(Note.created_at, Note.id)
        ).scalars()
    )
    words = applied.text.casefold()
    order = {b.id: index for index, b in enumerate(blocks)}
    groups: dict[tuple, list[CuratedNote]] = {}
    for note in notes:
        round_of = rounds.get(note.round_id) if note.round_id is not None else None
        block = by_block.get(round_of.block_id) if round_of else by_block.get(note.block_id)
        harvest = note.kind == "harvest"
        if applied.block is not None and (block is None or block.id != applied.block):
            continue
        if applied.harvest and not harvest:
            continue
        if applied.round is not None and note.round_id != applied.round:
            continue
        if words and words not in note.text.casefold():
            continue
        key = (block.id if block else None, None if harvest else round_of.id if round_of else None, harvest)
        groups.setdefault(key, []).append(
            CuratedNote(note, block, round_of, theme_by_id.get(note.theme_id), section_by_id.get(note.section_id))
        )

    def place(key: tuple) -> tuple:
        block_id, round_id, harvest = key
        return (
            order.get(block_id, -1),
            2 if harvest else 1 if round_id is None else 0,
            rounds[round_id].position if round_id is not None else 0,
        )

    later = float("inf")
    listed = []
    for key in sorted(groups, key=place):
        found = sorted(
            groups[key],
            key=lambda n: (n.note.table_number if n.note.table_number is not None else later, n.note.created_at),
        )
        block_id, round_id, harvest = key
        listed.append(
            NoteGroup(by_block.get(block_id), rounds.get(round_id) if round_id is not None else None, harvest, found)
        )
    return CurationPage(
        blocks=blocks,
        filter=applied,
        chosen=chosen,
        groups=listed,
        themes=[CuratedTheme(t, [n for n in notes if n.theme_id == t.id]) for t in all_themes],
        sections=[
            CuratedSection(
                s, [t for t in all_themes if t.section_id == s.id], sum(1 for n in notes if n.section_id == s.id)
            )
            for s in all_sections
        ],
    )
