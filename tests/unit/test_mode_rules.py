"""The facilitation modes' rules (workshop.domain.modes), without the app."""

from __future__ import annotations

import pytest

from workshop.domain.errors import WorkshopError
from workshop.domain.modes import RoundModes, change, in_results, initial_state, is_public, is_waiting


def test_a_new_notes_state_follows_its_rounds_modes():
    assert initial_state(None) == initial_state(RoundModes())
    plain = initial_state(RoundModes())
    assert (plain.revealed, plain.approved, plain.anonymous) == (True, True, False)
    every = initial_state(RoundModes(reveal=True, moderated=True, anonymous=True))
    assert (every.revealed, every.approved, every.anonymous) == (False, False, True)
    assert initial_state(RoundModes(moderated=True)).revealed is True


def test_the_board_shows_public_notes_and_the_results_hold_approved_ones():
    assert is_public(hidden=False, revealed=True, approved=True)
    assert not is_public(hidden=False, revealed=False, approved=True)
    assert not is_public(hidden=False, revealed=True, approved=False)
    assert not is_public(hidden=True, revealed=True, approved=True)
    # Approved but not yet revealed: off the board, in the results.
    assert in_results(hidden=False, approved=True)
    assert not in_results(hidden=False, approved=False) and not in_results(hidden=True, approved=True)
    assert is_waiting(hidden=False, revealed=False, approved=True)
    assert not is_waiting(hidden=True, revealed=False, approved=False)  # a hidden note waits for nothing
    assert not is_waiting(hidden=False, revealed=True, approved=True)


@pytest.mark.parametrize("status", ["pending", "running", "skipped"])
def test_a_change_keeps_what_it_does_not_name(status):
    modes = RoundModes(reveal=True)
    assert change(modes, status, moderated=True) == RoundModes(reveal=True, moderated=True)
    assert change(modes, status, reveal=False, anonymous=None) == RoundModes()


def test_a_closed_round_keeps_its_modes():
    with pytest.raises(WorkshopError) as refused:
        change(RoundModes(), "closed", reveal=True)
    assert refused.value.code == "round_closed"
