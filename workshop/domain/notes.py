"""What a sticky note may hold."""

from __future__ import annotations

from workshop.domain.errors import WorkshopError
from workshop.domain.text import clean_text

NOTE_MAX_LENGTH = 500
COLORS = ("yellow", "pink", "blue", "green", "orange", "purple")


def note_text(raw: str) -> str:
    text = clean_text(raw, multiline=True)
    if not text:
        raise WorkshopError("empty_note")
    if len(text) > NOTE_MAX_LENGTH:
        raise WorkshopError("note_too_long", max=NOTE_MAX_LENGTH, length=len(text))
    return text


def note_color(raw: str | None) -> str | None:
    if raw in (None, ""):
        return None
    if raw not in COLORS:
        raise WorkshopError("bad_choice", field="color", choices=", ".join(COLORS))
    return raw
