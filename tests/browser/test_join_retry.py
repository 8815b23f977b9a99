"""A phone whose join is refused as rate_limited (the whole room joining behind one address)
tells its person to wait and joins by itself a moment later (issue 18, point 3)."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from browser.conftest import PHONE, SECONDS, phone_url

pytestmark = pytest.mark.browser

# The page's Socket.IO client over WebSocket only, so the test can stand between it and the server.
WEBSOCKET_ONLY = """
(() => {
  let real;
  Object.defineProperty(window, "io", {
    configurable: true,
    get() { return real && ((options) => real({ ...(options || {}), transports: ["websocket"] })); },
    set(value) { real = value; },
  });
})();
"""


def test_a_rate_limited_join_waits_and_retries_by_itself(windows, live_server):
    refused = []

    def between(ws):
        server = ws.connect_to_server()

        def from_page(message):
            found = re.match(r'^42(\d+)\["join"', message) if isinstance(message, str) else None
            if found and not refused:  # the first join: refused as the server does past the budget
                refused.append(message)
                ws.send(
                    f'43{found.group(1)}[{{"ok":false,"error":{{"code":"rate_limited","message":"Trop de messages"}}}}]'
                )
                return
            server.send(message)

        ws.on_message(from_page)
        server.on_message(lambda message: ws.send(message))

    context = windows.context(**PHONE)
    context.add_init_script(WEBSOCKET_ONLY)
    context.route_web_socket(re.compile(r".*/socket\.io/.*"), between)
    phone = windows.page(phone_url(live_server), context=context)
    status = phone.locator("#note-status")
    expect(status).to_contain_text("Beaucoup de personnes se joignent", timeout=SECONDS)
    expect(phone.locator('#participant[data-joined="true"]')).to_have_count(1, timeout=SECONDS)
    assert len(refused) == 1
    expect(status).not_to_contain_text("Beaucoup de personnes")
    windows.close_and_check()
