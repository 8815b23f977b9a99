"""The JSON shapes of CONTRACT.md, built from the models."""
from __future__ import annotations

from ..clock import iso
from ..models import Block, Note, Round, Table, Workshop


def workshop_json(workshop: Workshop) -> dict:
    return {
        "code": workshop.code,
        "title": workshop.title,
        "language": workshop.language,
        "organiser": workshop.organiser,
        "place": workshop.place,
        "question": workshop.question,
        "dates": list(workshop.dates or []),
        "sectors": list(workshop.sectors or []),
    }


def round_json(round_: Round) -> dict:
    return {
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
    }


def table_json(table: Table) -> dict:
    return {
        "number": table.number,
        "theme": table.theme,
        "capacity": table.capacity,
        "host": table.host.name if table.host is not None else None,
        "host_id": table.host_id,
    }


def block_json(block: Block) -> dict:
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
        "tables": [table_json(t) for t in block.tables],
    }
    if block.method == "open-space":
        data["wall"] = {
            "slots": list(block.slots or []),
            "spaces": list(block.spaces or []),
            "cells": [],  # filled from the topics by the snapshot (services.openspace.wall_json)
        }
        data["vote"] = {"status": block.vote_status, "dots": block.vote_dots, "top": block.vote_top}
    return data


def note_json(note: Note) -> dict:
    return {
        "id": note.id,
        "text": note.text,
        "round": note.round_id,
        "block": note.block_id,
        "table": note.table_number,
        "topic": note.topic_id,
        "color": note.color,
        "author": note.author.name if note.author is not None else None,
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
    }
