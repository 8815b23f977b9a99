"""The live loop in real browsers: the console starts a round, a phone posts, the board shows it."""
from __future__ import annotations

import re

import pytest

pytestmark = pytest.mark.browser

PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True, "device_scale_factor": 2}
SECONDS = 15_000  # milliseconds Playwright waits for each expectation


def watch_errors(page, errors: list[str]) -> None:
    """Script errors and failed requests (but the browser's own favicon probe) fail the test."""
    page.on("pageerror", lambda error: errors.append(f"{page.url}: {error}"))
    page.on(
        "response",
        lambda response: response.status >= 400
        and not response.url.endswith("/favicon.ico")
        and errors.append(f"{response.status} {response.url}"),
    )


def start_first_round(browser, live_server):
    """Opens the console and makes sure Ronde 1 of the first block runs; returns the context."""
    from playwright.sync_api import expect

    context = browser.new_context(viewport={"width": 1280, "height": 800})
    console = context.new_page()
    console.goto(f"{live_server['base_url']}/w/{live_server['code']}/facilitate?key={live_server['facilitator_key']}")
    first_round = console.locator(".block").first.locator(".round").first
    if first_round.get_attribute("data-status") != "running":
        first_round.locator(".act--start button").click()
    expect(first_round).to_have_attribute("data-status", "running", timeout=SECONDS)
    return context


def test_a_note_posted_on_a_phone_reaches_the_board(live_server, browser):
    from playwright.sync_api import expect

    base, code = live_server["base_url"], live_server["code"]
    errors: list[str] = []
    contexts = []
    try:
        console_context = browser.new_context(viewport={"width": 1280, "height": 800})
        board_context = browser.new_context(viewport={"width": 1920, "height": 1080})
        phone_context = browser.new_context(**PHONE)
        contexts += [console_context, board_context, phone_context]

        console = console_context.new_page()
        watch_errors(console, errors)
        console.goto(f"{base}/w/{code}/facilitate?key={live_server['facilitator_key']}")
        assert "key=" not in console.url  # the key left the address bar
        first_round = console.locator(".block").first.locator(".round").first
        expect(first_round).to_have_attribute("data-status", "pending")
        first_round.locator(".act--start button").click()
        expect(first_round).to_have_attribute("data-status", "running", timeout=SECONDS)
        expect(console.locator("#timer")).to_have_text(re.compile(r"^\d+:\d\d$"), timeout=SECONDS)

        board = board_context.new_page()
        watch_errors(board, errors)
        board.goto(f"{base}/w/{code}/board")
        expect(board.locator("#question")).to_contain_text("principaux défis", timeout=SECONDS)
        expect(board.locator('.column[data-table="2"]')).to_be_visible()
        expect(board.locator(".join__qr")).to_be_visible()

        phone = phone_context.new_page()
        watch_errors(phone, errors)
        phone.goto(f"{base}/j/{code}?table=2")
        expect(phone.locator("#question")).to_contain_text("principaux défis", timeout=SECONDS)
        expect(phone.locator("#my-table-number")).to_contain_text("2")
        text = "Créer des liens entre les jeunes & leur famille <b>vraiment</b>"
        phone.locator("#note-text").fill(text)
        phone.locator("#note-form button[type=submit]").tap()

        sticky = board.locator('.column[data-table="2"] .sticky', has_text=text)
        expect(sticky).to_be_visible(timeout=SECONDS)
        expect(board.locator(".sticky b")).to_have_count(0)  # the note's HTML stays text

        sent = phone.locator('#my-notes [data-status="sent"]', has_text=text)
        expect(sent).to_be_visible(timeout=SECONDS)
        expect(phone.locator('#my-notes [data-status="waiting"]')).to_have_count(0)

        # The console lists the note too, with a button to hide it.
        expect(console.locator(".live__note", has_text=text)).to_be_visible(timeout=SECONDS)
        expect(board.locator("#presence")).to_contain_text("1", timeout=SECONDS)
    finally:
        for context in contexts:
            context.close()
    assert errors == []


def test_the_outbox_resends_with_the_same_id_and_the_note_is_stored_once(live_server, browser):
    """A note left in the phone's outbox (its ack lost) goes out again at every connection."""
    from playwright.sync_api import expect

    base, code = live_server["base_url"], live_server["code"]
    errors: list[str] = []
    contexts = [start_first_round(browser, live_server)]
    try:
        board_context = browser.new_context(viewport={"width": 1280, "height": 720})
        phone_context = browser.new_context(**PHONE)
        contexts += [board_context, phone_context]
        board = board_context.new_page()
        watch_errors(board, errors)
        board.goto(f"{base}/w/{code}/board")
        phone = phone_context.new_page()
        watch_errors(phone, errors)
        phone.goto(f"{base}/j/{code}?table=3")
        # Joined over the socket: from here on the page's own writes to localStorage are done.
        expect(phone.locator('#participant[data-joined="true"]')).to_have_count(1, timeout=SECONDS)
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
            expect(phone.locator('#participant[data-joined="true"]')).to_have_count(1, timeout=SECONDS)
            mine = phone.locator(f'#my-notes [data-note="{note_id}"]')
            expect(mine).to_have_attribute("data-status", "sent", timeout=SECONDS)
            expect(mine).to_have_count(1)
            assert phone.evaluate(f"localStorage.getItem('workshop:{code}:outbox')") == "[]"
        expect(board.locator(f'.column[data-table="3"] [data-note="{note_id}"]')).to_have_count(1, timeout=SECONDS)
        board.reload()
        expect(board.locator(f'[data-note="{note_id}"]')).to_have_count(1, timeout=SECONDS)
        expect(board.locator(f'[data-note="{note_id}"]')).to_have_attribute("data-color", "green")
    finally:
        for context in contexts:
            context.close()
    assert errors == []
