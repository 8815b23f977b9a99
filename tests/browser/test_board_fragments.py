"""The board's views rendered once, in a real browser: on each live event board.js fetches the
server's fragment again (GET /w/CODE/board/wall, /board/results), a burst of events makes a few
fetches, not one each, and the new notes are added to the columns already there (their live
regions read only the new notes)."""

from __future__ import annotations

import math
import re
import threading
import time
import uuid

import pytest

from browser.conftest import BOARD, SECONDS, join_over_socket, open_board, start_first_round_over_socket

pytestmark = pytest.mark.browser

PHONES = 10
NOTES_EACH = 50  # 500 notes in all, within a phone's budget of 60 a minute


def fetches(page, path: str) -> list[float]:
    """When each response of the board's fragment at ``path`` came (time.monotonic)."""
    seen: list[float] = []
    page.on("response", lambda r: r.url.split("?")[0].endswith(path) and r.ok and seen.append(time.monotonic()))
    return seen


def test_a_burst_of_notes_makes_a_few_fetches_and_every_note_reaches_the_board(live_server, windows):
    import socketio
    from playwright.sync_api import expect

    with socketio.SimpleClient() as facilitator:
        start_first_round_over_socket(facilitator, live_server)
    board = open_board(windows, live_server, column=5, **BOARD)
    walls = fetches(board, "/board/wall")
    expect(board.locator("#board")).to_have_attribute("data-view", "live")
    # The columns' lists as they are before the burst: the same elements must take the notes.
    board.evaluate("() => document.querySelectorAll('.column__notes').forEach((list) => (list.dataset.before = 'yes'))")
    board.wait_for_timeout(1500)  # the join's own fetch is over
    walls.clear()

    errors: list[str] = []

    def phone(index: int) -> None:
        try:
            with socketio.SimpleClient() as client:
                join_over_socket(client, live_server, "participant", table=index % 5 + 1, name=f"Rafale {index}")
                for n in range(NOTES_EACH):
                    ack = client.call("note:post", {"id": str(uuid.uuid4()), "text": f"Rafale {index}.{n}"}, timeout=30)
                    if not ack["ok"]:
                        errors.append(str(ack))
        except Exception as error:  # reported below, in the test's thread
            errors.append(repr(error))

    started = time.monotonic()
    threads = [threading.Thread(target=phone, args=(i,)) for i in range(PHONES)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    burst = time.monotonic() - started
    assert errors == []

    notes = board.locator("#wall .sticky", has_text="Rafale")
    expect(notes).to_have_count(PHONES * NOTES_EACH, timeout=SECONDS * 2)
    board.wait_for_timeout(500)
    # One fetch a second at most while the burst lasts, and the last one after it: a few, not 500.
    print(f"{PHONES * NOTES_EACH} notes in {burst:.1f} s: {len(walls)} fetches of the wall")
    assert 1 <= len(walls) <= math.ceil(burst) + 5, (len(walls), burst)
    # The notes went into the lists already there (their live regions read the new notes only).
    assert board.locator(".column__notes:not([data-before])").count() == 0
    # Each table's column: its hundred notes, in pages that say which show.
    table_1 = board.locator('.column[data-table="1"]')
    expect(table_1.locator(".sticky")).to_have_count(100)
    expect(table_1.locator(".column__pages")).to_have_text(re.compile(r"^Notes 1 \D+ \d+ \D+ 100$"))
    windows.close_and_check()


def test_a_note_hidden_or_starred_changes_in_its_column(live_server, windows):
    import socketio
    from playwright.sync_api import expect

    board = open_board(windows, live_server, column=2, **BOARD)
    walls = fetches(board, "/board/wall")
    with socketio.SimpleClient() as facilitator, socketio.SimpleClient() as phone:
        start_first_round_over_socket(facilitator, live_server)
        join_over_socket(phone, live_server, "participant", table=2, name="Awa")
        kept = phone.call("note:post", {"id": str(uuid.uuid4()), "text": "À garder <i>absolument</i>"})["note"]
        gone = phone.call("note:post", {"id": str(uuid.uuid4()), "text": "À retirer"})["note"]
        column = board.locator('.column[data-table="2"]')
        expect(column.locator(f'[data-note="{gone["id"]}"]')).to_have_count(1, timeout=SECONDS)
        expect(column.locator(f'[data-note="{kept["id"]}"]')).to_contain_text("À garder <i>absolument</i>")
        column.locator(f'[data-note="{kept["id"]}"]').evaluate("(note) => (note.keptSince = 'before')")
        walls.clear()

        assert facilitator.call("note:hide", {"note": gone["id"]})["ok"]
        expect(column.locator(f'[data-note="{gone["id"]}"]')).to_have_count(0, timeout=SECONDS)
        # The other note stayed as it was (the same element), and came through the fragment.
        assert column.locator(f'[data-note="{kept["id"]}"]').evaluate("(note) => note.keptSince") == "before"
        assert walls

        assert facilitator.call("note:star", {"note": kept["id"]})["ok"]
        starred = column.locator(f'[data-note="{kept["id"]}"]')
        expect(starred).to_have_attribute("data-starred", "true", timeout=SECONDS)
        expect(starred.locator(".star-mark")).to_have_count(1)
    windows.close_and_check()


def test_the_results_view_follows_the_curation_through_its_fragment(live_server, windows):
    import socketio
    from playwright.sync_api import expect

    with socketio.SimpleClient() as facilitator, socketio.SimpleClient() as phone:
        start_first_round_over_socket(facilitator, live_server)
        join_over_socket(phone, live_server, "participant", table=3, name="Léa")
        ids = [
            phone.call("note:post", {"id": str(uuid.uuid4()), "text": text})["note"]["id"]
            for text in ("Un comité de suivi", "Des rencontres trimestrielles", "Un bulletin")
        ]
        assert facilitator.call("board:view", {"view": "results"})["ok"]
        board = open_board(windows, live_server, **BOARD)
        results = fetches(board, "/board/results")
        flow = board.locator("#results-flow")
        expect(board.locator("#results")).to_be_visible(timeout=SECONDS)
        expect(flow.locator(".results__empty, .rgroup").first).to_be_visible(timeout=SECONDS)
        results.clear()

        theme = facilitator.call("theme:create", {"title": "Suivi de l’entente", "notes": ids})["theme"]
        card = flow.locator(f'.rtheme[data-theme="{theme["id"]}"]')
        expect(card.locator(".rtheme__name")).to_have_text("Suivi de l’entente", timeout=SECONDS)
        expect(card.locator(".rtheme__count")).to_have_text("3 notes")
        expect(card.locator(".rnote")).to_have_count(3)
        # The documents' order: the starred note first, then agenda (here, posting) order.
        assert facilitator.call("note:star", {"note": ids[2]})["ok"]
        expect(card.locator(".rnote").first).to_have_attribute("data-note", ids[2], timeout=SECONDS)
        expect(card.locator(".rnote").first.locator(".star-mark")).to_have_count(1)
        assert [card.locator(".rnote").nth(i).get_attribute("data-note") for i in range(3)] == [ids[2], ids[0], ids[1]]
        assert results, "the results view changed without its fragment"

        section = facilitator.call("section:create", {"title": "Gouvernance", "intro": "Ce que **retient** la salle."})
        assert facilitator.call("section:file", {"section": section["section"]["id"], "themes": [theme["id"]]})["ok"]
        group = flow.locator(".rgroup--section", has=board.locator(".rgroup__title", has_text="Gouvernance"))
        expect(group.locator(".rintro strong")).to_have_text("retient", timeout=SECONDS)
        expect(group.locator(f'.rtheme[data-theme="{theme["id"]}"]')).to_have_count(1)
        assert facilitator.call("board:view", {"view": "live"})["ok"]
        expect(board.locator("#results")).to_be_hidden(timeout=SECONDS)
        expect(board.locator("#wall")).to_be_visible()
    windows.close_and_check()
