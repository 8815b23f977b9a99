"""Curation for the preliminary results: themes that group notes, sections that file them."""

from __future__ import annotations

from sqlalchemy import func, select

from workshop.broadcasts import Broadcast
from workshop.domain.errors import WorkshopError
from workshop.domain.text import clean_text
from workshop.extensions import db
from workshop.models import Note, Section, Theme, Workshop
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
