"""Controls on the fly in real browsers: two consoles pressing "+5 min" add five minutes once; a
close asks first and can be undone."""

from __future__ import annotations

import datetime as dt
import json
import re
import time
import urllib.request

import pytest

from browser.conftest import CONSOLE, SECONDS, console_url, start_first_round, watch_errors

pytestmark = pytest.mark.browser


def wait_for(page, condition, what: str, seconds: float = 15) -> None:
    """Waits for a condition on Python's side while Playwright keeps handling the page's events."""
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            pytest.fail(f"waited {seconds} s for {what}")
        page.wait_for_timeout(50)


def first_round(server) -> dict:
    with urllib.request.urlopen(f"{server['base_url']}/w/{server['code']}/board/state.json", timeout=10) as response:
        return json.load(response)["blocks"][0]["rounds"][0]


def ends_at(server) -> dt.datetime:
    return dt.datetime.fromisoformat(first_round(server)["ends_at"].replace("Z", "+00:00"))


class HeldSocket:
    """The second console's WebSocket, through Playwright: its presses always reach the server;
    what the server sends it can be held back, as when two people press in the same second."""

    def __init__(self):
        self.hold = False
        self.held: list = []
        self.pages: list = []
        self.sent: list[str] = []

    def route(self, ws):
        server = ws.connect_to_server()
        self.pages.append(ws)

        def to_page(message):
            if self.hold:
                self.held.append((ws, message))
            else:
                ws.send(message)

        def to_server(message):
            self.sent.append(message if isinstance(message, str) else "")
            server.send(message)

        server.on_message(to_page)
        ws.on_message(to_server)

    def release(self) -> None:
        self.hold = False
        held, self.held = self.held, []
        for ws, message in held:
            ws.send(message)


def test_two_consoles_pressing_plus_5_add_5_minutes_once(live_server, windows):
    from playwright.sync_api import expect

    first = windows.page(console_url(live_server), **CONSOLE)
    expect(first.locator('#console[data-joined="true"]')).to_have_count(1, timeout=SECONDS)
    link = HeldSocket()
    second = windows.context(**CONSOLE).new_page()
    watch_errors(second, windows.errors)
    second.route_web_socket(re.compile(r"/socket\.io/"), link.route)
    second.goto(console_url(live_server))

    start_first_round(first)
    extend = second.locator(".now-extend")
    expect(extend).to_be_visible(timeout=SECONDS)
    # Both consoles show the round at the same version.
    version = first.locator(".now-extend input[name=version]").input_value()
    expect(second.locator(".now-extend input[name=version]")).to_have_value(version, timeout=SECONDS)
    # Frames go over the WebSocket once the transport upgraded from long-polling.
    wait_for(
        second, lambda: any('"heartbeat"' in m or m == "5" for m in link.sent), "the second console on the WebSocket"
    )
    before = ends_at(live_server)

    # The second console hears nothing of the first one's press before its own.
    link.hold = True
    first.locator(".now-extend button").click()
    expect(first.locator("#console-status")).to_have_text("C’est fait.", timeout=SECONDS)
    second.locator(".now-extend button").click()
    wait_for(second, lambda: any('"round:extend"' in m for m in link.sent), "the second press sent")
    link.release()

    expect(second.locator("#console-status")).to_contain_text("Déjà fait", timeout=SECONDS)
    assert ends_at(live_server) == before + dt.timedelta(minutes=5)
    # Both consoles now show the same end and the same new version.
    new_version = str(int(version) + 1)
    for page in (first, second):
        expect(page.locator(".now-extend input[name=version]")).to_have_value(new_version, timeout=SECONDS)
    expect(second.locator(".now-end__time")).to_have_value(first.locator(".now-end__time").input_value())

    # A press on the version now shown adds five more minutes: pressing again is never refused.
    second.locator(".now-extend button").click()
    expect(second.locator("#console-status")).to_have_text("C’est fait.", timeout=SECONDS)
    assert ends_at(live_server) == before + dt.timedelta(minutes=10)
    windows.close_and_check()


def test_closing_asks_first_and_can_be_undone(live_server, windows):
    from playwright.sync_api import expect

    console = windows.page(console_url(live_server), **CONSOLE)
    start_first_round(console)
    expect(console.locator('#console[data-joined="true"]')).to_have_count(1, timeout=SECONDS)
    close = console.locator(".now-close button")
    close.click()
    # Armed, not sent: the button asks for a second press and the status line says why.
    expect(close).to_have_text("Appuyez de nouveau pour fermer")
    expect(console.locator("#console-status")).to_contain_text("Fermer la ronde maintenant")
    assert first_round(live_server)["status"] == "running"
    close.click()
    expect(console.locator("#round-status")).to_have_attribute("data-status", "closed", timeout=SECONDS)
    assert first_round(live_server)["status"] == "closed"

    reopen = console.locator(".now-reopen button")
    expect(reopen).to_be_visible()
    reopen.click()
    expect(console.locator("#round-status")).to_have_attribute("data-status", "running", timeout=SECONDS)
    expect(reopen).to_be_hidden()
    assert first_round(live_server)["status"] == "running"
    windows.close_and_check()
