"""A World Café round change in real browsers: a phone hosts its table, the console closes the round,
the other phone is told where to go and says it arrived, the board shows the change of tables; then
the harvest, posted from the host's phone, reaches the board."""

from __future__ import annotations

import re
import urllib.error
import urllib.parse
import urllib.request

import pytest

from browser.conftest import (
    CONSOLE,
    SECONDS,
    console_url,
    host_the_table,
    joined,
    open_board,
    open_phone,
    start_first_round,
)

pytestmark = pytest.mark.browser


def fill_table(base: str, code: str, table: int, capacity: int = 8) -> None:
    """New phones take the table through the plain join form (a new cookie jar: a new phone each
    time, with the form's CSRF token) until it refuses them: the table is full."""
    import http.cookiejar
    import re

    for _ in range(capacity + 1):
        phone = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))
        with phone.open(f"{base}/j/{code}", timeout=10) as page:
            token = re.search(r'name="csrf_token" value="([^"]+)"', page.read().decode()).group(1)
        data = urllib.parse.urlencode({"table": str(table), "csrf_token": token}).encode()
        try:
            with phone.open(
                urllib.request.Request(f"{base}/j/{code}/join", data=data, method="POST"), timeout=10
            ) as response:
                assert response.status == 200  # after the redirect
        except urllib.error.HTTPError as refused:
            assert refused.code == 400
            assert f"{table}" in refused.read().decode()  # the table's refusal, not a bad form
            return
    pytest.fail(f"table {table} took more than {capacity} people")


def test_the_round_change_on_phones_and_board(live_server, windows):
    from playwright.sync_api import expect

    base, code = live_server["base_url"], live_server["code"]
    console = windows.page(console_url(live_server), **CONSOLE)
    first_round = console.locator(".block").first.locator(".round").first
    expect(first_round).to_have_attribute("data-status", "pending")  # the start button is there
    start_first_round(console)
    board = open_board(windows, live_server, column=1)

    host = open_phone(windows, live_server, 1)
    guest = open_phone(windows, live_server, 2)
    expect(host.locator("#my-table-number")).to_contain_text("1")
    expect(guest.locator("#my-table-number")).to_contain_text("2")

    # The first phone hosts table 1: the tablecloth appears, the others see the host.
    host_the_table(host)
    expect(host.locator("#host-form")).to_be_hidden()
    expect(host.locator("#tablecloth")).to_be_visible()
    expect(console.locator('.table-card[data-table="1"] .badge--host')).to_have_count(1, timeout=SECONDS)

    # The facilitator closes the round from the console.
    console.locator(".now-close button").click()
    console.locator(".now-close button").click()  # the second press confirms
    expect(first_round).to_have_attribute("data-status", "closed", timeout=SECONDS)

    # The guest is told where to go, unmistakably, and says it arrived.
    move = guest.locator("#move")
    expect(move).to_be_visible(timeout=SECONDS)
    table = int(move.get_attribute("data-table"))
    expect(guest.locator("#move-title")).to_contain_text(str(table))
    expect(guest.locator("#move-number")).to_have_text(str(table))
    expect(guest.locator("#move-elsewhere")).to_be_visible()
    guest.locator("#move-here").tap()
    expect(move).to_be_hidden(timeout=SECONDS)
    expect(guest.locator("#my-table-number")).to_contain_text(str(table))

    # The host is asked to stay.
    expect(host.locator("#move")).to_be_visible(timeout=SECONDS)
    expect(host.locator("#move")).to_have_attribute("data-host", "true")
    expect(host.locator("#move-elsewhere")).to_be_hidden()
    host.locator("#move-here").tap()
    expect(host.locator("#move")).to_be_hidden(timeout=SECONDS)
    expect(host.locator("#my-table-number")).to_contain_text("1")

    # The board shows the change of tables with a countdown and the people each table expects.
    moving = board.locator("#moving")
    expect(moving).to_be_visible(timeout=SECONDS)
    expect(board.locator("#moving-timer")).to_have_text(re.compile(r"^\d+:\d\d$"))
    expect(board.locator("#moving-tables li")).to_have_count(5)
    expect(board.locator("#moving-question")).to_contain_text("stimule")
    expect(board.locator('.column[data-table="1"] .column__host')).to_be_visible()

    # Scanning another table's card asks first (issue 16), then seats the phone there; a full
    # table says so.
    other = 4 if table != 4 else 3
    guest.goto(f"{base}/j/{code}?table={other}")
    joined(guest)
    expect(guest.locator("#elsewhere-text")).to_contain_text(f"table {table}")
    expect(guest.locator("#my-table-number")).to_contain_text(str(table))
    guest.locator("#elsewhere-yes").tap()
    expect(guest.locator("#my-table-number")).to_contain_text(str(other), timeout=SECONDS)
    expect(guest.locator("#elsewhere")).to_have_count(0)
    assert "table=" not in guest.url
    fill_table(base, code, 5)
    guest.goto(f"{base}/j/{code}?table=5")
    joined(guest)
    guest.locator("#elsewhere-yes").tap()
    expect(guest.locator("#table-status")).to_have_attribute("data-kind", "error", timeout=SECONDS)
    expect(guest.locator("#table-status")).to_contain_text("5")
    expect(guest.locator("#my-table-number")).to_contain_text(str(other))
    windows.close_and_check()


def test_the_harvest_from_the_host_phone_to_the_board(live_server, windows):
    from playwright.sync_api import expect

    code = live_server["code"]
    console = windows.page(console_url(live_server), **CONSOLE)
    board = open_board(windows, live_server, viewport={"width": 1280, "height": 720})

    host = open_phone(windows, live_server, 3)
    expect(host.locator("#my-table-number")).to_contain_text("3")
    if host.locator("#host-form").is_visible():
        host.locator("#host-form button").tap()
    expect(host.locator("#my-table-host")).to_have_attribute("data-me", "true", timeout=SECONDS)

    console.locator(".harvest-open button").click()
    console.locator(".harvest-open button").click()  # the second press confirms
    expect(console.locator(".harvest-cancel")).to_be_visible(timeout=SECONDS)  # for a few seconds
    expect(console.locator(".harvest-close")).to_be_visible(timeout=SECONDS)
    expect(board.locator('#wall[data-view="harvest"]')).to_have_count(1, timeout=SECONDS)
    expect(host.locator("#harvest-form")).to_be_visible(timeout=SECONDS)

    idea = "Un comité <b>régional</b> des employeurs"
    host.locator("#harvest-text").fill(idea)
    host.locator("#harvest-form button[type=submit]").tap()
    expect(host.locator('#harvest-list [data-status="sent"]', has_text=idea)).to_be_visible(timeout=SECONDS)
    expect(board.locator('.column[data-table="3"] .sticky', has_text=idea)).to_be_visible(timeout=SECONDS)
    expect(board.locator(".sticky b")).to_have_count(0)
    assert host.evaluate(f"localStorage.getItem('workshop:{code}:harvest-outbox')") == "[]"

    # The facilitator posts for another table from the console; closing keeps the harvest shown.
    console.locator("#harvest-table").select_option("2")
    console.locator("#harvest-text").fill("Idée de la table 2")
    console.locator("#harvest-post button[type=submit]").click()
    expect(board.locator('.column[data-table="2"] .sticky', has_text="Idée de la table 2")).to_be_visible(
        timeout=SECONDS
    )
    console.locator(".harvest-close button").click()
    expect(console.locator(".harvest-open")).to_be_visible(timeout=SECONDS)
    expect(board.locator('#wall[data-view="harvest"]')).to_have_count(1)
    expect(host.locator("#harvest-form")).to_be_hidden(timeout=SECONDS)
    windows.close_and_check()
