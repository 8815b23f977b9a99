"""Facilitation modes of a round: reveal, moderated, anonymous (issue 15).

- reveal: a note reaches the board (and the other phones) only when the facilitator reveals it.
- moderated: a note waits in the console's queue until the facilitator approves it.
- anonymous: no name goes with the round's notes, to anyone, in any document.

A round's modes apply to the notes posted while they hold: changing them mid-round applies to what
comes next (the notes already waiting stay waiting until revealed or approved). Plain Python.
"""

from __future__ import annotations

from dataclasses import dataclass

from workshop.domain.errors import WorkshopError
from workshop.domain.rounds import CLOSED

MODES = ("reveal", "moderated", "anonymous")


@dataclass(frozen=True)
class RoundModes:
    reveal: bool = False
    moderated: bool = False
    anonymous: bool = False


@dataclass(frozen=True)
class NoteState:
    """What a note carries of its round's modes when it is posted."""

    revealed: bool = True
    approved: bool = True
    anonymous: bool = False


def initial_state(modes: RoundModes | None) -> NoteState:
    """A new note's state from its round's modes (None: no round, a note like any other)."""
    if modes is None:
        return NoteState()
    return NoteState(revealed=not modes.reveal, approved=not modes.moderated, anonymous=modes.anonymous)


def change(modes: RoundModes, status: str, **asked: bool | None) -> RoundModes:
    """The round's modes after the facilitator's change; a closed round keeps its modes."""
    if status == CLOSED:
        raise WorkshopError("round_closed")
    values = {name: getattr(modes, name) if asked.get(name) is None else bool(asked[name]) for name in MODES}
    return RoundModes(**values)


def is_public(hidden: bool, revealed: bool, approved: bool) -> bool:
    """Shown on the board and to the other phones: not hidden, revealed and approved."""
    return not hidden and revealed and approved


def in_results(hidden: bool, approved: bool) -> bool:
    """In the preliminary results: not hidden and approved. A note approved but not yet revealed is
    in the documents: a reveal only delays the projector, the record does not depend on it."""
    return not hidden and approved


def is_waiting(hidden: bool, revealed: bool, approved: bool) -> bool:
    """Waiting for the facilitator: not hidden, and not yet revealed or not yet approved."""
    return not hidden and not (revealed and approved)
