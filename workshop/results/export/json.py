"""JSON: everything in the synthesis, with stable keys (see docs/results-format.md). Notes appear
once, in ``notes`` (the annex, numbered); every other part refers to them by id."""

from __future__ import annotations

import json

from workshop.clock import iso
from workshop.domain.charts import all_charts
from workshop.domain.photos import PhotoItem
from workshop.domain.synthesis import NoteGroup, NoteItem, Synthesis, ThemePart
from workshop.results.export import Format, richtext

NAME = "workshop-results"
VERSION = 1


def _note(note: NoteItem) -> dict:
    origin = note.origin
    return {
        "number": note.number,
        "id": note.id,
        "kind": note.kind,
        "text": note.text,
        "author": note.author,
        "color": note.color,
        "created_at": iso(note.created_at),
        "votes": note.votes,
        "starred": note.starred,
        "block": origin.block,
        "round": origin.round,
        "table": origin.table,
        "topic": origin.topic,
        "theme": note.theme,
        "section": note.section,
        "filed_directly": note.filed_directly,
        "tag": note.tag,
        "owner": note.owner,
        "due": note.due.isoformat() if note.due else None,
    }


def _photo(photo: PhotoItem) -> dict:
    return {
        "id": photo.id,
        "url": photo.url,
        "block": photo.block,
        "round": photo.round,
        "table": photo.table,
        "topic": photo.topic,
        "width": photo.width,
        "height": photo.height,
        "created_at": iso(photo.created_at),
        "sha256": photo.sha256,
    }


def _ids(notes: list[NoteItem]) -> list[str]:
    return [n.id for n in notes]


def _group(group: NoteGroup) -> dict:
    return {
        "kind": group.kind,
        "table": group.table,
        "title": group.title,
        "topic": group.topic,
        "convener": group.convener,
        "slot": group.slot,
        "space": group.space,
        "description": group.description,
        "votes": group.votes,
        "selected": group.selected,
        "themes": [{"theme": t.id, "title": t.title, "notes": _ids(t.notes)} for t in group.themes],
        "notes": _ids(group.notes),
    }


def _theme(theme: ThemePart) -> dict:
    return {
        "id": theme.id,
        "title": theme.title,
        "block": theme.block,
        "section": theme.section,
        "notes": _ids(theme.notes),
    }


def document(synthesis: Synthesis) -> dict:
    cover, p = synthesis.cover, synthesis.participation
    return {
        "format": NAME,
        "version": VERSION,
        "generated_at": iso(cover.generated_at),
        "workshop": {
            "code": cover.code,
            "title": cover.title,
            "language": cover.language,
            "organiser": cover.organiser,
            "place": cover.place,
            "question": cover.question,
            "dates": [d.isoformat() for d in cover.dates],
        },
        "participation": {
            "participants": p.participants,
            "contributors": p.contributors,
            "notes": p.notes,
            "harvest": p.harvest,
            "hidden": p.hidden,
            "by_sector": [{"sector": s.id, "name": s.name, "participants": s.participants} for s in p.by_sector],
            "blocks": [
                {
                    "block": b.id,
                    "notes": b.notes,
                    "harvest": b.harvest,
                    "hidden": b.hidden,
                    "contributors": b.contributors,
                    "groups": [
                        {"kind": g.kind, "table": g.table, "title": g.title, "notes": g.notes, "harvest": g.harvest}
                        for g in b.groups
                    ],
                }
                for b in p.blocks
            ],
        },
        "highlights": _ids(synthesis.highlights),
        "sections": [
            {
                "id": s.id,
                "title": s.title,
                "intro": s.intro,
                "intro_html": richtext.sanitized_html(s.intro) if s.intro.strip() else "",
                "themes": [_theme(t) for t in s.themes],
                "notes": _ids(s.notes),
            }
            for s in synthesis.sections
        ],
        "themes": [_theme(t) for t in synthesis.themes],
        "blocks": [
            {
                "id": b.id,
                "key": b.key,
                "title": b.title,
                "day": b.day.isoformat(),
                "part": b.part,
                "method": b.method,
                "description": b.description,
                "rounds": [
                    {
                        "id": r.id,
                        "position": r.position,
                        "title": r.title,
                        "question": r.question,
                        "groups": [_group(g) for g in r.groups],
                    }
                    for r in b.rounds
                ],
                "harvest": [_group(g) for g in b.harvest],
                "sessions": [_group(g) for g in b.sessions],
                "actions": _ids(b.actions),
                "other": _group(b.other) if b.other else None,
                # The key terms of the block's visible notes, most frequent first.
                "terms": [{"term": t.term, "count": t.count, "notes": list(t.notes)} for t in b.terms],
            }
            for b in synthesis.blocks
        ],
        # Blocks nothing came of (still in "blocks", with their empty rounds): the documents list
        # them once under « Blocs sans contribution ».
        "quiet_blocks": [b.id for b in synthesis.quiet_blocks],
        "other": _ids(synthesis.other),
        # The charts' data (workshop/domain/charts.py): notes per block, per table and round, the dot vote.
        "charts": [c.as_dict() for c in all_charts(synthesis)],
        "notes": [_note(n) for n in synthesis.annex],
    } | _photos(synthesis)


def _photos(synthesis: Synthesis) -> dict:
    return {"photos": [_photo(p) for p in synthesis.photos]}


def render(synthesis: Synthesis) -> bytes:
    return (json.dumps(document(synthesis), ensure_ascii=False, indent=2) + "\n").encode("utf-8")


FORMAT = Format("json", "application/json", render)
