"""Key terms of the notes, "what the room said": per round, per block or for the whole workshop.

Only the notes the room may see count (``visible_notes``: the one place that says which); the
words are counted by ``workshop.domain.terms`` in the workshop's language. No Flask here.
"""

from __future__ import annotations

from sqlalchemy import Select, or_, select

from workshop.agenda.read import find_block, find_round
from workshop.domain.errors import WorkshopError
from workshop.domain.terms import Term, key_terms
from workshop.extensions import db
from workshop.models import Note, Workshop

BOARD_LIMIT = 40  # terms on the projected board: legible from the back of the room


def visible_notes(workshop: Workshop) -> Select:
    """The notes whose words count: the workshop's public notes (``Note.public``: not hidden, and
    revealed and approved in a reveal or moderated round), as (id, text).

    The one rule for "which notes count" for the board, the console and the curation: a note the
    room has not seen yet lends no word to what the room said. (The documents' key terms follow
    the results' own rule, ``Note.in_results``, through the synthesis.)"""
    return select(Note.id, Note.text).where(Note.workshop_id == workshop.id, Note.public)


def notes_for(workshop: Workshop, block: int | None = None, round_: int | None = None) -> list[tuple[str, str]]:
    """The visible notes of a round, of a block (its rounds' notes and its harvest), or of the
    workshop, in the order they were written. Ids that are not the workshop's are refused."""
    query = visible_notes(workshop)
    if round_ is not None:
        found = find_round(workshop, round_)
        if block is not None and found.block_id != block:
            find_block(workshop, block)  # an unknown block is said first
            raise WorkshopError("unknown_round", round=round_)
        query = query.where(Note.round_id == found.id)
    elif block is not None:
        found_block = find_block(workshop, block)
        rounds = [r.id for r in found_block.rounds]
        query = query.where(or_(Note.block_id == found_block.id, Note.round_id.in_(rounds)))
    return [(row[0], row[1]) for row in db.session.execute(query.order_by(Note.created_at, Note.id))]


def terms_for(workshop: Workshop, block: int | None = None, round_: int | None = None, limit: int = 60) -> list[Term]:
    return key_terms(notes_for(workshop, block, round_), workshop.language or "fr", limit=limit)


def terms_json(terms: list[Term]) -> list[dict]:
    return [{"term": t.term, "count": t.count, "notes": list(t.notes)} for t in terms]


def sized(terms: list[Term], steps: int = 6) -> list[tuple[Term, int]]:
    """Each term with its size step (1 to ``steps``), by its count between the fewest and the most:
    the most frequent reads from the back of the room, the rarest still from the middle."""
    if not terms:
        return []
    high = max(t.count for t in terms)
    low = min(t.count for t in terms)
    if high == low:
        return [(t, steps if high > 1 else 3) for t in terms]
    return [(t, 1 + round((steps - 1) * (t.count - low) / (high - low))) for t in terms]
