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
        cwd=PROJECT_ROOT, env=env, capture_output=True, text=True, timeout=60,
    )
    assert created.returncode == 0, created.stderr
    workshop = json.loads(created.stdout)

    log = folder / "server.log"
    with log.open("w") as output:
        server = subprocess.Popen(
            [sys.executable, "-m", "workshop", "serve", "--host", "127.0.0.1", "--port", str(port)],
            cwd=PROJECT_ROOT, env=env, stdout=output, stderr=subprocess.STDOUT,
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
