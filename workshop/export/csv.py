"""CSV: one row per visible note with every field, for spreadsheets. UTF-8 with a byte order mark,
so Excel opens accents intact; a cell that a spreadsheet would run as a formula (starting with
= + - @, a tab or a carriage return) gets a leading apostrophe and stays text."""
from __future__ import annotations

import csv
import io

from ..clock import iso
from . import Format
from ..domain.synthesis import NoteItem, Synthesis

COLUMNS = (
    "number", "id", "kind", "block_key", "block", "day", "part", "method", "round", "round_title",
    "question", "table", "table_theme", "topic", "topic_title", "text", "author", "color",
    "created_at", "votes", "starred", "theme_id", "theme", "section_id", "section", "tag", "owner", "due",
)
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def defuse(value: object) -> object:
    """Text a spreadsheet shows as typed, never runs: "=1+1" -> "'=1+1". Numbers stay numbers."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def row(note: NoteItem) -> list:
    origin = note.origin
    values = [
        note.number,
        note.id,
        note.kind,
        origin.block_key,
        origin.block_title,
        origin.day.isoformat() if origin.day else None,
        origin.part,
        origin.method,
        origin.round_position + 1 if origin.round_position is not None else None,
        origin.round_title,
        origin.question,
        origin.table,
        origin.table_theme,
        origin.topic,
        origin.topic_title,
        note.text,
        note.author,
        note.color,
        iso(note.created_at),
        note.votes,
        "yes" if note.starred else "no",
        note.theme,
        note.theme_title,
        note.section,
        note.section_title,
        note.tag,
        note.owner,
        note.due.isoformat() if note.due else None,
    ]
    return ["" if v is None else defuse(v) for v in values]


def render(synthesis: Synthesis) -> bytes:
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    writer.writerows(row(note) for note in synthesis.annex)
    return out.getvalue().encode("utf-8-sig")


FORMAT = Format("csv", "text/csv; charset=utf-8", render)
