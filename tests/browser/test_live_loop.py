"""The live loop in real browsers: the console starts a round, a phone posts, the board shows it."""

from __future__ import annotations

import re

import pytest

from browser.conftest import (
    BOARD,
    PHONE,
    SECONDS,
    console_url,
    joined,
    open_board,
    open_running_console,
    phone_url,
    start_first_round,
)

pytestmark = pytest.mark.browser


def test_a_note_posted_on_a_phone_reaches_the_board(live_server, windows):
    from playwright.sync_api import expect

    console = windows.page(console_url(live_server), viewport={"width": 1280, "height": 800})
    assert "key=" not in console.url  # the key left the address bar
    first_round = console.locator(".block").first.locator(".round").first
    expect(first_round).to_have_attribute("data-status", "pending")
    start_first_round(console)
    expect(console.locator("#timer")).to_have_text(re.compile(r"^\d+:\d\d$"), timeout=SECONDS)

    board = open_board(windows, live_server, **BOARD)
    expect(board.locator("#question")).to_contain_text("principaux défis", timeout=SECONDS)
    expect(board.locator('.column[data-table="2"]')).to_be_visible()
    expect(board.locator(".join__qr")).to_be_visible()

    phone = windows.page(phone_url(live_server, 2), **PHONE)
    expect(phone.locator("#question")).to_contain_text("principaux défis", timeout=SECONDS)
    expect(phone.locator("#my-table-number")).to_contain_text("2")
    # The board takes the note from the server's fragment, into the column's list already there.
    walls = []
    board.on("response", lambda r: r.url.endswith("/board/wall") and r.ok and walls.append(r.url))
    board.locator('.column[data-table="2"] .column__notes').evaluate("(list) => (list.keptSince = 'before')")
    text = "Créer des liens entre les jeunes & leur famille <b>vraiment</b>"
    phone.locator("#note-text").fill(text)
    phone.locator("#note-form button[type=submit]").tap()

    sticky = board.locator('.column[data-table="2"] .sticky', has_text=text)
    expect(sticky).to_be_visible(timeout=SECONDS)
    expect(board.locator(".sticky b")).to_have_count(0)  # the note's HTML stays text
    assert walls, "the note reached the board without the wall's fragment"
    assert board.locator('.column[data-table="2"] .column__notes').evaluate("(list) => list.keptSince") == "before"

    sent = phone.locator('#my-notes [data-status="sent"]', has_text=text)
    expect(sent).to_be_visible(timeout=SECONDS)
    expect(phone.locator('#my-notes [data-status="waiting"]')).to_have_count(0)

    # The console lists the note too, with a button to hide it.
    expect(console.locator(".live__note", has_text=text)).to_be_visible(timeout=SECONDS)
    expect(board.locator("#presence")).to_contain_text("1", timeout=SECONDS)
    windows.close_and_check()


def test_the_outbox_resends_with_the_same_id_and_the_note_is_stored_once(live_server, windows):
    """A note left in the phone's outbox (its ack lost) goes out again at every connection."""
    from playwright.sync_api import expect

    code = live_server["code"]
    open_running_console(windows, live_server)
    board = open_board(windows, live_server, viewport={"width": 1280, "height": 720})
    phone = windows.page(phone_url(live_server, 3), **PHONE)
    # Joined over the socket: from here on the page's own writes to localStorage are done.
    joined(phone)
    expect(phone.locator("#my-table-number")).to_contain_text("3", timeout=SECONDS)

    note_id = "5d1c7c1e-7f0e-4b7e-9a53-2f7f3f0c0a01"
    text = "Note restée dans la boîte d’envoi"
    outbox = [{"id": note_id, "text": text, "color": "green", "round": None}]
    for _ in range(2):  # sent at the first reconnection; the second finds it stored already
        phone.evaluate(
            "([code, outbox]) => localStorage.setItem(`workshop:${code}:outbox`, JSON.stringify(outbox))",
            [code, outbox],
        )
        phone.reload()
        joined(phone)
        mine = phone.locator(f'#my-notes [data-note="{note_id}"]')
        expect(mine).to_have_attribute("data-status", "sent", timeout=SECONDS)
        expect(mine).to_have_count(1)
        assert phone.evaluate(f"localStorage.getItem('workshop:{code}:outbox')") == "[]"
    expect(board.locator(f'.column[data-table="3"] [data-note="{note_id}"]')).to_have_count(1, timeout=SECONDS)
    board.reload()
    expect(board.locator(f'[data-note="{note_id}"]')).to_have_count(1, timeout=SECONDS)
    expect(board.locator(f'[data-note="{note_id}"]')).to_have_attribute("data-color", "green")
    windows.close_and_check()
