"""The venue's Wi-Fi in real browsers: a phone that goes offline keeps its notes and sends each
once when back; a board whose socket stays open but carries nothing says so, polls, and recovers
by itself; a phone without JavaScript posts with the plain form."""

from __future__ import annotations

import json
import re
import time
import urllib.request
import uuid

import pytest

from browser.conftest import (
    BOARD,
    PHONE,
    SECONDS,
    board_url,
    join_over_socket,
    joined,
    open_board,
    open_running_console,
    phone_url,
)

pytestmark = pytest.mark.browser

STALL = 25_000  # the board calls itself stalled after two to three silent heartbeats (3 s each)


def stored_texts(live_server) -> list[str]:
    """Every visible note the server holds, from the results JSON (facilitator key as a bearer)."""
    request = urllib.request.Request(
        f"{live_server['base_url']}/w/{live_server['code']}/results.json",
        headers={"Authorization": f"Bearer {live_server['facilitator_key']}"},
    )
    with urllib.request.urlopen(request, timeout=10) as response:
        return [note["text"] for note in json.load(response)["notes"]]


def post_from_a_phone(live_server, table: int, text: str) -> str:
    """A phone that is not a browser: joins table ``table`` over Socket.IO and posts one note."""
    import socketio

    with socketio.SimpleClient() as phone:
        join_over_socket(phone, live_server, "participant", table=table)
        ack = phone.call("note:post", {"id": str(uuid.uuid4()), "text": text})
        assert ack["ok"], ack
        return ack["note"]["id"]


def wait_for(page, condition, what: str, seconds: float = 15) -> None:
    """Waits for a condition on Python's side while Playwright keeps handling the page's events."""
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            pytest.fail(f"waited {seconds} s for {what}")
        page.wait_for_timeout(100)


def test_an_offline_phone_keeps_its_notes_and_sends_each_once(live_server, windows):
    from playwright.sync_api import expect

    code = live_server["code"]
    open_running_console(windows, live_server)
    board = open_board(windows, live_server)
    phone = windows.page(watch=False, **PHONE)
    phone.on("pageerror", lambda error: windows.errors.append(f"{phone.url}: {error}"))
    phone.goto(phone_url(live_server, 4))
    joined(phone)
    expect(phone.locator("#my-table-number")).to_contain_text("4", timeout=SECONDS)
    phone_context = phone.context

    phone_context.set_offline(True)
    expect(phone.locator("#connection")).to_be_visible(timeout=SECONDS)
    texts = [f"Écrite hors ligne n° {n} — {uuid.uuid4().hex[:6]}" for n in (1, 2)]
    for text in texts:
        phone.locator("#note-text").fill(text)
        phone.locator("#note-form button[type=submit]").tap()
        expect(phone.locator("#note-text")).to_have_value("")
    # Kept on the phone, shown as waiting, nowhere else yet.
    for text in texts:
        expect(phone.locator('#my-notes [data-status="waiting"]', has_text=text)).to_have_count(1)
    waiting = phone.evaluate(f"JSON.parse(localStorage.getItem('workshop:{code}:outbox'))")
    assert [item["text"] for item in waiting] == texts
    assert not set(texts) & set(stored_texts(live_server))
    for text in texts:
        expect(board.locator(".sticky", has_text=text)).to_have_count(0)

    phone_context.set_offline(False)
    for text in texts:
        expect(phone.locator('#my-notes [data-status="sent"]', has_text=text)).to_have_count(1, timeout=SECONDS)
    expect(phone.locator('#my-notes [data-status="waiting"]')).to_have_count(0)
    expect(phone.locator("#connection")).to_be_hidden()
    assert phone.evaluate(f"localStorage.getItem('workshop:{code}:outbox')") == "[]"
    for text in texts:
        expect(board.locator('.column[data-table="4"] .sticky', has_text=text)).to_have_count(1, timeout=SECONDS)
    # Once on the server, whatever was resent; once on a freshly loaded board.
    stored = stored_texts(live_server)
    assert [stored.count(text) for text in texts] == [1, 1]
    board.reload()
    for text in texts:
        expect(board.locator(".sticky", has_text=text)).to_have_count(1, timeout=SECONDS)
    windows.close_and_check()


def test_a_stalled_board_says_so_polls_and_recovers_by_itself(live_server, windows):
    from playwright.sync_api import expect

    open_running_console(windows, live_server)
    board = windows.page(**BOARD)

    # The board's WebSocket passes through here: frames from the page always reach the
    # server; frames from the server are dropped while ``blocked`` (the socket stays open).
    blocked = {"on": False}
    sent: list[str] = []

    def route(ws):
        server = ws.connect_to_server()
        server.on_message(lambda message: None if blocked["on"] else ws.send(message))

        def to_server(message):
            sent.append(message if isinstance(message, str) else "")
            server.send(message)

        ws.on_message(to_server)

    board.route_web_socket(re.compile(r"/socket\.io/"), route)
    polls: list[str] = []
    board.on("request", lambda request: request.url.endswith("/board/state.json") and polls.append(request.url))
    board.goto(board_url(live_server))
    expect(board.locator('.column[data-table="2"]')).to_be_visible(timeout=SECONDS)
    # Heartbeats go over the WebSocket once the transport upgraded from long-polling.
    wait_for(board, lambda: any('"heartbeat"' in message for message in sent), "a heartbeat over the WebSocket")
    expect(board.locator("#connection")).to_be_hidden()

    blocked["on"] = True
    banner = board.locator("#connection")
    expect(banner).to_be_visible(timeout=STALL)
    expect(banner).not_to_be_empty()
    expect(board.locator("body")).to_have_attribute("data-connection", "stalled")
    # A note posted meanwhile reaches the board by polling (the socket carries nothing).
    text = f"Arrivée par la relève HTTP {uuid.uuid4().hex[:6]}"
    note = post_from_a_phone(live_server, 2, text)
    expect(board.locator(f'.column[data-table="2"] [data-note="{note}"]')).to_have_text(
        re.compile(re.escape(text)), timeout=SECONDS
    )
    assert polls, "the board did not poll its state"
    expect(banner).to_be_visible()  # still stalled: polling is no sign of a live socket

    # The frames pass again: the banner goes by itself, the polling stops, events flow.
    blocked["on"] = False
    expect(banner).to_be_hidden(timeout=SECONDS)
    expect(board.locator("body")).to_have_attribute("data-connection", "up")
    settled = len(polls)
    live_text = f"Arrivée par le socket {uuid.uuid4().hex[:6]}"
    live_note = post_from_a_phone(live_server, 2, live_text)
    expect(board.locator(f'[data-note="{live_note}"]')).to_have_count(1, timeout=SECONDS)
    expect(board.locator(f'[data-note="{note}"]')).to_have_count(1)
    # Three more heartbeats (over 6 s, longer than a polling interval): no poll came meanwhile.
    beats = sum('"heartbeat"' in message for message in sent)
    wait_for(board, lambda: sum('"heartbeat"' in message for message in sent) >= beats + 3, "three more heartbeats")
    assert len(polls) == settled
    windows.close_and_check()


def test_a_phone_without_javascript_posts_with_the_plain_form(live_server, windows):
    from playwright.sync_api import expect

    open_running_console(windows, live_server)
    board = open_board(windows, live_server, column=5)
    phone = windows.page(phone_url(live_server), **PHONE, java_script_enabled=False)
    # Join: a name and a table with the plain form (the table picker is open for a new phone).
    expect(phone.locator("#table-picker")).to_have_attribute("open", "")
    phone.locator('#table-form button[name="table"][value="5"]').click()
    expect(phone.locator("#my-table-number")).to_contain_text("5")
    phone.locator("#name").fill("Sans script")
    phone.locator("#name-form button[type=submit]").click()
    expect(phone.locator("#name")).to_have_value("Sans script")

    text = f"Écrite sans JavaScript {uuid.uuid4().hex[:6]}"
    phone.locator("#note-text").fill(text)
    phone.locator("#note-form button[type=submit]").click()
    # Back on the page: confirmed there, the box empty for the next note.
    expect(phone.locator(".flashes")).to_be_visible()
    expect(phone.locator('#my-notes [data-status="sent"]', has_text=text)).to_have_count(1)
    expect(phone.locator("#note-text")).to_have_value("")

    expect(board.locator('.column[data-table="5"] .sticky', has_text=text)).to_have_count(1, timeout=SECONDS)
    expect(board.locator('.column[data-table="5"] .sticky', has_text=text)).to_contain_text("Sans script")
    assert stored_texts(live_server).count(text) == 1
    windows.close_and_check()
