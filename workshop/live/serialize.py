"""The JSON shapes of CONTRACT.md, built from the models.

Texts keep what people typed; ``shown`` holds the same texts as the live pages print them
(``typography.prose``: the apostrophe, French spacing in a French workshop), the typography the
documents use, so the board and the Word document say « objectif ? » alike."""

from __future__ import annotations

from workshop.clock import iso
from workshop.domain.typography import prose
from workshop.extensions import db
from workshop.models import Block, Note, Round, Table, Workshop


def language_of(workshop_id: int) -> str | None:
    """The workshop's language (the session's identity map usually has the workshop already)."""
    workshop = db.session.get(Workshop, workshop_id)
    return workshop.language if workshop is not None else None


def with_shown(data: dict, language: str | None, fields: tuple[str, ...], always: bool = True) -> dict:
    """``data["shown"]``: its ``fields`` as printed, those that differ from the text as written.
    ``always``: the key even when empty (objects that events merge into the client's copy)."""
    shown = {}
    for name in fields:
        value = data.get(name)
        if isinstance(value, str) and value:
            printed = prose(value, language)
            if printed != value:
                shown[name] = printed
    if shown or always:
        data["shown"] = shown
    return data


def workshop_json(workshop: Workshop) -> dict:
    return with_shown(
        {
            "code": workshop.code,
            "title": workshop.title,
            "language": workshop.language,
            "organiser": workshop.organiser,
            "place": workshop.place,
            "question": workshop.question,
            "dates": list(workshop.dates or []),
            "sectors": list(workshop.sectors or []),
        },
        workshop.language,
        ("title", "question"),
    )


def round_json(round_: Round) -> dict:
    return with_shown(
        {
            "id": round_.id,
            "block": round_.block_id,
            "position": round_.position,
            "title": round_.title,
            "question": round_.question,
            "minutes": round_.minutes,
            "status": round_.status,
            "started_at": iso(round_.started_at),
            "ends_at": iso(round_.ends_at),
            "closed_at": iso(round_.closed_at),
            "version": round_.timer_version or 0,  # sent back with a facilitator's press (idempotent)
            "reveal": bool(round_.reveal),  # facilitation modes (workshop.domain.modes)
            "moderated": bool(round_.moderated),
            "anonymous": bool(round_.anonymous),
        },
        language_of(round_.block.workshop_id),
        ("title", "question"),
    )


def table_json(table: Table, language: str | None = None) -> dict:
    return with_shown(
        {
            "number": table.number,
            "theme": table.theme,
            "capacity": table.capacity,
            "host": table.host.name if table.host is not None else None,
            "host_id": table.host_id,
        },
        language,
        ("theme",),
    )


def block_json(block: Block) -> dict:
    language = language_of(block.workshop_id)
    data = {
        "id": block.id,
        "key": block.key,
        "title": block.title,
        "day": block.day.isoformat(),
        "part": block.part,
        "method": block.method,
        "description": block.description,
        "harvest": block.harvest,
        "harvest_opened_at": iso(block.harvest_opened_at),
        "rounds": [round_json(r) for r in block.rounds],
        "tables": [table_json(t, language) for t in block.tables],
    }
    with_shown(data, language, ("title", "description"))
    if block.is_open_space:
        data["wall"] = {
            "slots": list(block.slots or []),
            "spaces": list(block.spaces or []),
            "cells": [],  # filled from the topics by the snapshot (services.openspace.wall_json)
        }
        data["vote"] = {"status": block.vote_status, "dots": block.vote_dots, "top": block.vote_top}
    return data


def note_json(note: Note, language: str | None = None) -> dict:
    """``language``: the workshop's, when the caller knows it (the snapshot); else looked up."""
    return with_shown(
        {
            "id": note.id,
            "text": note.text,
            "round": note.round_id,
            "block": note.block_id,
            "table": note.table_number,
            "topic": note.topic_id,
            "color": note.color,
            "author": note.author_name,  # none in an anonymous round, whoever asks
            "created_at": iso(note.created_at),
            "votes": 0,
            "hidden": note.hidden,
            "kind": note.kind,
            "starred": note.starred,
            "theme": note.theme_id,
            "section": note.section_id,
            "tag": note.tag,
            "owner": note.owner,
            "due": note.due.isoformat() if note.due else None,
            "revealed": note.revealed is not False,  # facilitation modes: see Note.public
            "approved": note.approved is not False,
            "anonymous": bool(note.anonymous),
        },
        language if language is not None else language_of(note.workshop_id),
        ("text",),
        always=False,
    )
