"""Malformed nested payloads (issue 18, point 10): each unreadable packet disconnects its socket
with one line in the log, no traceback, and those lines are rate-limited."""

from __future__ import annotations

import asyncio

import pytest
import socketio

from system.server import Server
from workshop.realtime.guard import LINES_PER_MINUTE


@pytest.fixture
def server(tmp_path):
    server = Server(
        tmp_path,
        {
            "WORKSHOP_DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
            "WORKSHOP_SECRET_KEY": "logs-test",
        },
    )
    server.start()
    yield server
    server.stop()


def test_nested_payloads_cost_one_rate_limited_line_each_and_their_socket(server):
    sockets = 3 * LINES_PER_MINUTE

    async def scenario():
        disconnected = 0
        for _ in range(sockets):
            sio = socketio.AsyncClient(reconnection=False)
            await sio.connect(server.url, transports=["websocket"], wait_timeout=10)
            await sio.eio.ws.send_str('42["join",' + "[" * 20_000 + "]" * 20_000 + "]")
            for _ in range(100):
                if not sio.connected:
                    break
                await asyncio.sleep(0.02)
            disconnected += not sio.connected
            if sio.connected:
                await sio.disconnect()
        calm = socketio.AsyncClient(reconnection=False)
        await calm.connect(server.url, transports=["websocket"], wait_timeout=10)
        ack = await calm.call("heartbeat", {}, timeout=10)
        await calm.disconnect()
        return disconnected, ack

    disconnected, ack = asyncio.run(scenario())
    assert disconnected == sockets
    assert ack["ok"]
    log = server.log.read_text()
    assert "Traceback" not in log and "RecursionError: maximum" not in log
    lines = [line for line in log.splitlines() if "unreadable packet" in line]
    assert 1 <= len(lines) <= LINES_PER_MINUTE + 1, len(lines)  # a minute boundary may fall in between
    assert len(log) < 10_000
