"""Facilitation modes in real browsers (issue 15): a reveal seen on the board; a moderated note
approved from the console with the keyboard (A for the focused note, Shift+A for all)."""

from __future__ import annotations

import pytest

from browser.conftest import BOARD, CONSOLE, PHONE, SECONDS, console_url, joined, open_board, phone_url

pytestmark = pytest.mark.browser

TAB_LIMIT = 150


def post_from_the_phone(phone, text: str) -> None:
    phone.locator("#note-text").fill(text)
    phone.locator("#note-form button[type=submit]").tap()


def tab_to(page, selector: str) -> None:
    """Tab (never a click) until the focus is on ``selector``."""
    for _ in range(TAB_LIMIT):
        page.keyboard.press("Tab")
        if page.evaluate("(selector) => document.activeElement?.matches(selector) ?? false", selector):
            return
    pytest.fail(f"{selector} is not reachable with Tab within {TAB_LIMIT} stops")


def test_a_reveal_round_reaches_the_board_when_the_facilitator_reveals_it(live_server, windows, facilitator):
    from playwright.sync_api import expect

    first = facilitator.state["blocks"][0]["rounds"][0]
    facilitator.start(first)
    facilitator.call("round:settings", {"round": first["id"], "reveal": True, "moderated": False})

    board = open_board(windows, live_server, column=2, **BOARD)
    console = windows.page(console_url(live_server), **CONSOLE)
    expect(console.locator('#console[data-joined="true"]')).to_have_count(1, timeout=SECONDS)
    expect(console.locator("#mode-reveal")).to_be_checked()
    phone = windows.page(phone_url(live_server, 2), **PHONE)
    joined(phone)

    text = "Une idée gardée pour le dévoilement"
    post_from_the_phone(phone, text)
    # The author sees it at once, and that it is not on the board yet.
    mine = phone.locator("#my-notes .mine__note", has_text=text)
    expect(mine).to_contain_text("pas encore au tableau", timeout=SECONDS)
    # The console sees it, marked; the board only counts it.
    expect(console.locator(".live__note", has_text=text)).to_contain_text("Pas encore affichée", timeout=SECONDS)
    expect(board.locator("#waiting")).to_have_text("1 note en attente", timeout=SECONDS)
    expect(board.locator(".sticky", has_text=text)).to_have_count(0)
    # Legible from the back of the room.
    size = board.locator("#waiting").evaluate("(el) => parseFloat(getComputedStyle(el).fontSize)")
    assert size >= 24, size

    console.locator(".modes-reveal-table", has_text="2").locator("button").click()
    expect(board.locator('.column[data-table="2"] .sticky', has_text=text)).to_be_visible(timeout=SECONDS)
    expect(board.locator("#waiting")).to_be_hidden()
    expect(console.locator(".live__note", has_text=text)).not_to_contain_text("Pas encore affichée")
    expect(mine).to_contain_text("Envoyée", timeout=SECONDS)
    expect(mine).not_to_contain_text("pas encore au tableau")
    windows.close_and_check()


def test_a_moderated_note_is_approved_from_the_console_with_the_keyboard(live_server, windows, facilitator):
    from playwright.sync_api import expect

    first = facilitator.state["blocks"][0]["rounds"][0]
    facilitator.start(first)
    facilitator.call("round:settings", {"round": first["id"], "reveal": False, "moderated": True})

    board = open_board(windows, live_server, column=3, **BOARD)
    console = windows.page(console_url(live_server), **CONSOLE)
    expect(console.locator('#console[data-joined="true"]')).to_have_count(1, timeout=SECONDS)
    phone = windows.page(phone_url(live_server, 3), **PHONE)
    joined(phone)

    texts = ["À valider au clavier", "Deuxième à valider", "Troisième à valider"]
    post_from_the_phone(phone, texts[0])
    expect(phone.locator("#my-notes .mine__note", has_text=texts[0])).to_contain_text(
        "En attente de validation", timeout=SECONDS
    )
    waiting = console.locator(".live__note", has_text=texts[0])
    expect(waiting).to_have_attribute("data-approved", "false", timeout=SECONDS)
    expect(board.locator("#waiting")).to_have_text("1 note en attente", timeout=SECONDS)

    # Tab to the waiting note, then A approves it.
    tab_to(console, f'.live__note[data-note="{waiting.get_attribute("data-note")}"]')
    console.keyboard.press("a")
    expect(waiting).to_have_attribute("data-approved", "true", timeout=SECONDS)
    expect(board.locator('.column[data-table="3"] .sticky', has_text=texts[0])).to_be_visible(timeout=SECONDS)
    expect(phone.locator("#my-notes .mine__note", has_text=texts[0])).not_to_contain_text("En attente de validation")

    # Shift+A approves the rest of the queue at once.
    for text in texts[1:]:
        post_from_the_phone(phone, text)
    queued = console.locator('.live__note[data-approved="false"]')
    expect(queued).to_have_count(2, timeout=SECONDS)
    expect(board.locator("#waiting")).to_have_text("2 notes en attente", timeout=SECONDS)
    tab_to(console, '.live__note[data-approved="false"]')
    console.keyboard.press("Shift+A")
    expect(queued).to_have_count(0, timeout=SECONDS)
    for text in texts[1:]:
        expect(board.locator(".sticky", has_text=text)).to_be_visible(timeout=SECONDS)
    expect(board.locator("#waiting")).to_be_hidden()
    windows.close_and_check()
