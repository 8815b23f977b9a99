"""A real server on a free port (SQLite in a temp folder) and Chromium driven by Playwright."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

PROJECT_ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
TEMPLATE = "cafe-conversation-2010"
FORUM_TEMPLATE = "forum-ouvert-2009"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_until_up(url: str, process: subprocess.Popen, log: Path, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"the server stopped (exit {process.returncode}):\n{log.read_text()}")
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.2)
    pytest.fail(f"the server did not answer {url} within {seconds} s:\n{log.read_text()}")


@pytest.fixture(scope="module")
def live_server(tmp_path_factory):
    """{"base_url", "code", "facilitator_key", "urls", ...}: a workshop of the 2010 template, served."""
    yield from serve(tmp_path_factory.mktemp("live"), TEMPLATE)


@pytest.fixture(scope="module")
def forum_server(tmp_path_factory):
    """The same for a workshop of the 2009 Forum ouvert (three Open Space phases)."""
    yield from serve(tmp_path_factory.mktemp("forum"), FORUM_TEMPLATE)


def serve(folder: Path, template: str):
    """Creates a workshop of the template with the ``workshop`` command, then serves it."""
    port = free_port()
    env = {
        **os.environ,
        "WORKSHOP_DATABASE_URL": f"sqlite:///{folder / 'db.sqlite3'}",
        "WORKSHOP_SECRET_KEY": "browser-test-secret",
        "HOST": "127.0.0.1",
        "PORT": str(port),
        "PYTHONUNBUFFERED": "1",
    }
    env.pop("WORKSHOP_PUBLIC_URL", None)
    created = subprocess.run(
        [sys.executable, "-m", "workshop", "new", template, "--json"],
        cwd=PROJECT_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert created.returncode == 0, created.stderr
    workshop = json.loads(created.stdout)

    log = folder / "server.log"
    with log.open("w") as output:
        server = subprocess.Popen(
            [sys.executable, "-m", "workshop", "serve", "--host", "127.0.0.1", "--port", str(port)],
            cwd=PROJECT_ROOT,
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
        )
    base_url = f"http://127.0.0.1:{port}"
    try:
        wait_until_up(f"{base_url}/healthz", server, log)
        yield {**workshop, "base_url": base_url, "log": log}
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait(timeout=10)


@pytest.fixture(scope="module")
def browser():
    if not CHROMIUM.exists():
        pytest.fail(f"{CHROMIUM} is missing: install Debian's chromium package to run the browser tests")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            yield chromium
        finally:
            chromium.close()


# What every browser test shares: the phone's viewport, how long an expectation waits, error
# watching, pages opened and closed together, and the scene set over Socket.IO.

PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True, "device_scale_factor": 2}
CONSOLE = {"viewport": {"width": 1280, "height": 900}}
BOARD = {"viewport": {"width": 1920, "height": 1080}}
SECONDS = 15_000  # milliseconds Playwright waits for each expectation


def watch_errors(page, errors: list[str]) -> None:
    """Script errors and failed requests (but the browser's own favicon probe) fail the test."""
    page.on("pageerror", lambda error: errors.append(f"{page.url}: {error}"))
    page.on(
        "response",
        lambda response: (
            response.status >= 400
            and not response.url.endswith("/favicon.ico")
            and errors.append(f"{response.status} {response.url}")
        ),
    )


class Windows:
    """The browser contexts one test opens: each page's errors collected in ``errors`` (see
    ``watch_errors``), every context closed at the end of the test whatever happens."""

    def __init__(self, browser):
        self.browser = browser
        self.contexts = []
        self.errors: list[str] = []

    def context(self, **options):
        """A new browser context (``browser.new_context(**options)``), closed with the others."""
        context = self.browser.new_context(**options)
        self.contexts.append(context)
        return context

    def page(self, url: str | None = None, *, context=None, watch: bool = True, **options):
        """A page in ``context`` or else in a new context of ``options``; with ``watch`` its errors
        go to ``errors``; with ``url`` it opens it."""
        page = (context or self.context(**options)).new_page()
        if watch:
            watch_errors(page, self.errors)
        if url is not None:
            page.goto(url)
        return page

    def close(self) -> None:
        for context in self.contexts:
            context.close()
        self.contexts = []

    def close_and_check(self) -> None:
        """The end of a test: closes every context, then fails on any error a page reported."""
        self.close()
        assert self.errors == []


@pytest.fixture
def windows(browser):
    """A ``Windows`` of the module's browser, closed after the test."""
    opened = Windows(browser)
    try:
        yield opened
    finally:
        opened.close()


def console_url(server) -> str:
    """The facilitator's console, the key in the address (the page takes it out)."""
    return f"{server['base_url']}/w/{server['code']}/facilitate?key={server['facilitator_key']}"


def board_url(server) -> str:
    return f"{server['base_url']}/w/{server['code']}/board"


def phone_url(server, table: int | None = None) -> str:
    """The participant's page, as scanned from a table's card when ``table`` is given."""
    url = f"{server['base_url']}/j/{server['code']}"
    return url if table is None else f"{url}?table={table}"


def open_board(windows: Windows, server, column: int | None = None, **options):
    """Opens the board (1920 × 1080 unless told); with ``column``, waits until that table's column shows."""
    from playwright.sync_api import expect

    board = windows.page(board_url(server), **(options or BOARD))
    if column is not None:
        expect(board.locator(f'.column[data-table="{column}"]')).to_be_visible(timeout=SECONDS)
    return board


def start_first_round(console):
    """On the console page: makes sure Ronde 1 of the first block runs (started unless it runs
    already); returns that round's locator."""
    from playwright.sync_api import expect

    first_round = console.locator(".block").first.locator(".round").first
    if first_round.get_attribute("data-status") != "running":
        first_round.locator(".act--start button").click()
    expect(first_round).to_have_attribute("data-status", "running", timeout=SECONDS)
    return first_round


def joined(page):
    """The live page joined over the socket (what localStorage-dependent steps wait for)."""
    from playwright.sync_api import expect

    expect(page.locator('#participant[data-joined="true"]')).to_have_count(1, timeout=SECONDS)


def open_phone(windows: Windows, server, table: int | None = None, **options):
    """A phone (its own context) on the participant page, once it joined over the socket."""
    page = windows.page(phone_url(server, table), **PHONE, **options)
    joined(page)
    return page


def host_the_table(phone) -> None:
    """The phone becomes its table's host (the host form's button), and the page says so."""
    from playwright.sync_api import expect

    phone.locator("#host-form button").tap()
    expect(phone.locator("#my-table-host")).to_have_attribute("data-me", "true", timeout=SECONDS)


def join_over_socket(client, server, role: str, **fields) -> dict:
    """Connects a ``socketio.SimpleClient`` over WebSocket and joins the workshop as ``role`` (the
    facilitator with the key); returns the join's acknowledgement, checked."""
    client.connect(server["base_url"], transports=["websocket"])
    payload = {"code": server["code"], "role": role, **fields}
    if role == "facilitator":
        payload["key"] = server["facilitator_key"]
    ack = client.call("join", payload)
    assert ack["ok"], ack
    return ack


def start_first_round_over_socket(facilitator, server) -> dict:
    """Joins ``facilitator`` (a ``socketio.SimpleClient``) as the facilitator and makes sure
    Ronde 1 of the first block runs; returns that round as the join saw it."""
    first = join_over_socket(facilitator, server, "facilitator")["state"]["blocks"][0]["rounds"][0]
    if first["status"] != "running":
        assert facilitator.call("round:start", {"round": first["id"]})["ok"]
    return first


class Facilitator:
    """The facilitator over Socket.IO, to set the scene the pages are tested in."""

    def __init__(self, server):
        import socketio

        self.client = socketio.SimpleClient()
        self.state = join_over_socket(self.client, server, "facilitator")["state"]

    def call(self, event: str, payload: dict) -> dict:
        ack = self.client.call(event, payload, timeout=15)
        assert ack["ok"], (event, payload, ack)
        return ack

    def block(self, key: str) -> dict:
        return next(block for block in self.state["blocks"] if block["key"] == key)

    def round(self, round_id: int) -> dict:
        """The round as the server has it now."""
        state = self.call("state:get", {})["state"]
        return next(r for b in state["blocks"] for r in b["rounds"] if r["id"] == round_id)

    def start(self, round_: dict) -> None:
        """Starts the round unless it runs already."""
        if self.round(round_["id"])["status"] != "running":
            self.call("round:start", {"round": round_["id"]})

    def wait_for(self, condition) -> None:
        """Until ``condition(state)`` holds on the server (SECONDS at most)."""
        deadline = time.monotonic() + SECONDS / 1000
        while not condition(self.call("state:get", {})["state"]):
            if time.monotonic() > deadline:
                pytest.fail("the server never saw what the page sent")
            time.sleep(0.1)

    def close(self) -> None:
        self.client.disconnect()


@pytest.fixture
def facilitator(live_server):
    """The facilitator of the World Café workshop, over Socket.IO."""
    facilitator = Facilitator(live_server)
    yield facilitator
    facilitator.close()


@pytest.fixture
def forum_facilitator(forum_server):
    """The facilitator of the Forum ouvert, over Socket.IO."""
    facilitator = Facilitator(forum_server)
    yield facilitator
    facilitator.close()


def open_os_console(windows: Windows, server, **options):
    """The console of an Open Space phase (1280 × 900 unless told), once its panel shows."""
    from playwright.sync_api import expect

    console = windows.page(console_url(server), **(options or CONSOLE))
    expect(console.locator("#os-panel")).to_be_visible()
    return console


def open_running_console(windows: Windows, server):
    """A console (1280 × 800, its errors not watched) on which Ronde 1 of the first block runs: the
    scene for tests of the phone and the board."""
    return start_first_round(windows.page(console_url(server), watch=False, viewport={"width": 1280, "height": 800}))
