"""`workshop serve` runs the production server (gevent's pywsgi by default, gunicorn's threads on
request), not Werkzeug's development one, and a WebSocket phone joins and posts through it."""

from __future__ import annotations

import asyncio
import subprocess
import sys
import urllib.request
import uuid

import pytest
import socketio

from system.server import PROJECT_ROOT, Server


def serve(tmp_path, mode: str | None) -> Server:
    env = {"WORKSHOP_DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}", "WORKSHOP_SECRET_KEY": "serving-test"}
    server = Server(tmp_path, env)
    if mode is None:
        server.env.pop("WORKSHOP_ASYNC_MODE", None)  # the default
    else:
        server.env["WORKSHOP_ASYNC_MODE"] = mode
    return server


def post_through(server: Server, code: str, key: str) -> tuple[dict, list]:
    """A facilitator opens the Open Space round, a phone posts over WebSocket, the board sees it."""

    async def scenario():
        facilitator, board, phone = (socketio.AsyncClient(reconnection=False) for _ in range(3))
        on_board: list = []
        board.on("note:added", lambda data: on_board.append(data["note"]["id"]))
        for sio in (facilitator, board, phone):
            await sio.connect(server.url, transports=["websocket"], wait_timeout=10)
        try:
            state = (await facilitator.call("join", {"code": code, "role": "facilitator", "key": key}, timeout=10))[
                "state"
            ]
            round_id = next(b for b in state["blocks"] if b["method"] == "open-space")["rounds"][0]["id"]
            assert (await facilitator.call("round:start", {"round": round_id}, timeout=10))["ok"]
            assert (await board.call("join", {"code": code, "role": "board"}, timeout=10))["ok"]
            joined = await phone.call("join", {"code": code, "role": "participant"}, timeout=10)
            assert joined["ok"], joined
            note_id = str(uuid.uuid4())
            ack = await phone.call("note:post", {"id": note_id, "text": "Une idée par WebSocket"}, timeout=10)
            for _ in range(100):
                if on_board:
                    break
                await asyncio.sleep(0.05)
            return ack, on_board
        finally:
            for sio in (facilitator, board, phone):
                await sio.disconnect()

    return asyncio.run(scenario())


@pytest.mark.parametrize(
    ("mode", "announced", "header"),
    [
        (None, "with gevent", None),  # the default: gevent's pywsgi sends no Server header
        ("threading", "with gunicorn", "gunicorn"),
    ],
)
def test_serve_runs_the_production_server_and_a_phone_posts_through_it(tmp_path, mode, announced, header):
    server = serve(tmp_path, mode)
    workshop = server.new_workshop()
    server.start()
    try:
        with urllib.request.urlopen(f"{server.url}/healthz", timeout=5) as response:
            served_by = response.headers.get("Server")
        log = server.log.read_text()
        assert announced in log, log
        assert served_by == header, served_by
        assert "Werkzeug" not in (served_by or "") and "development server" not in log

        ack, on_board = post_through(server, workshop["code"], workshop["facilitator_key"])
        assert ack["ok"], ack
        assert on_board == [ack["note"]["id"]]
    finally:
        server.stop()


def test_an_unknown_async_mode_is_refused_in_one_clear_line(tmp_path):
    server = serve(tmp_path, "eventlet")
    process = subprocess.run(
        [sys.executable, "-m", "workshop", "serve", "--port", "1"],
        cwd=PROJECT_ROOT,
        env=server.env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert process.returncode != 0
    assert "WORKSHOP_ASYNC_MODE='eventlet': choose one of gevent, threading" in process.stderr


def test_links_printed_while_the_server_runs_carry_its_real_port(tmp_path):
    """`workshop new` printed port 5000 while the server ran on 5800: it now asks the running server."""
    server = serve(tmp_path, "threading")
    for name in ("HOST", "PORT"):
        server.env.pop(name, None)
    server.start()
    try:
        workshop = server.new_workshop("forum-ouvert-2009")
        code = workshop["code"]
        assert workshop["urls"]["join"] == f"{server.url}/j/{code}"
        assert workshop["urls"]["facilitate"].startswith(f"{server.url}/w/{code}/facilitate?key=")
        rotated = server.command("keys", code, "--rotate")
        assert f"console: {server.url}/w/{code}/facilitate?key=" in rotated
        with urllib.request.urlopen(workshop["urls"]["board"], timeout=5) as response:
            board = response.read().decode("utf-8")
        # Bound to 127.0.0.1: the board shows the address it really serves, and warns that phones cannot open it.
        assert f"127.0.0.1:{server.port}/j/{code}" in board
        assert "data-loopback" in board
    finally:
        server.stop()
    assert f"Warning: {server.url} is this computer's own address" in server.log.read_text()
