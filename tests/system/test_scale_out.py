"""Several server processes on PostgreSQL and Redis: events cross processes, a Redis restart loses nothing."""

from __future__ import annotations

import asyncio
import os
import shutil
import subprocess
import time
import uuid

import pytest
import socketio
import sqlalchemy

from system.server import Server, free_port

POSTGRES_URL = os.environ.get("WORKSHOP_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
REDIS_URL = os.environ.get("WORKSHOP_TEST_REDIS_URL", "redis://127.0.0.1:6379/0")


@pytest.fixture
def postgres_url():
    """A schema of its own in the machine's PostgreSQL, dropped at the end."""
    schema = f"ws_scale_{uuid.uuid4().hex[:10]}"
    engine = sqlalchemy.create_engine(POSTGRES_URL)
    with engine.begin() as connection:
        connection.execute(sqlalchemy.text(f'CREATE SCHEMA "{schema}"'))
    yield f"{POSTGRES_URL}?options=-csearch_path%3D{schema}"
    with engine.begin() as connection:
        connection.execute(sqlalchemy.text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
    engine.dispose()


def servers(tmp_path, database_url: str, queue_url: str, count: int = 2) -> list[Server]:
    env = {
        "WORKSHOP_DATABASE_URL": database_url,
        "WORKSHOP_MESSAGE_QUEUE": queue_url,
        "WORKSHOP_MESSAGE_QUEUE_CHANNEL": f"workshop-test-{uuid.uuid4().hex[:8]}",  # runs never cross
        "WORKSHOP_SECRET_KEY": "scale-out-test",
    }
    return [Server(tmp_path, env) for _ in range(count)]


async def client(url: str, join: dict) -> tuple[socketio.AsyncClient, dict, list]:
    received: list = []
    sio = socketio.AsyncClient(reconnection=False)

    @sio.on("*")
    async def catch_all(event, data=None):
        received.append((event, data))

    await sio.connect(url, transports=["websocket"], wait_timeout=10)
    ack = await sio.call("join", join, timeout=10)
    assert ack["ok"], ack
    return sio, ack, received


async def wait_for(condition, seconds: float = 10) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return
        await asyncio.sleep(0.05)
    raise AssertionError("timed out")


def notes_added(received: list) -> list[str]:
    return [data["note"]["id"] for event, data in received if event == "note:added"]


def test_a_note_posted_on_one_process_reaches_the_board_on_the_other_once(tmp_path, postgres_url):
    a, b = servers(tmp_path, postgres_url, REDIS_URL)
    workshop = a.new_workshop()
    code, key = workshop["code"], workshop["facilitator_key"]
    a.start(), b.start()
    try:

        async def scenario():
            facilitator, state, _ = await client(a.url, {"code": code, "role": "facilitator", "key": key})
            board, _, on_board = await client(b.url, {"code": code, "role": "board"})
            phone, _, _on_phone = await client(a.url, {"code": code, "role": "participant", "table": 1})
            neighbour, _, on_neighbour = await client(b.url, {"code": code, "role": "participant", "table": 1})
            round_id = state["state"]["blocks"][0]["rounds"][0]["id"]
            assert (await facilitator.call("round:start", {"round": round_id}, timeout=10))["ok"]
            await wait_for(lambda: any(e == "round:started" for e, _ in on_board))
            # Presence counts the phones of both processes.
            await wait_for(lambda: any(e == "presence:updated" and d["phones"] == 2 for e, d in on_board))

            sent = [str(uuid.uuid4()) for _ in range(10)]
            for note_id in sent:
                assert (await phone.call("note:post", {"id": note_id, "text": "D'un processus à l'autre"}, timeout=10))[
                    "ok"
                ]
            await wait_for(lambda: len(notes_added(on_board)) >= 10)
            await wait_for(lambda: len(notes_added(on_neighbour)) >= 10)
            await asyncio.sleep(0.3)  # anything doubled would have arrived by now
            assert notes_added(on_board) == sent
            assert notes_added(on_neighbour) == sent
            for sio in (facilitator, board, phone, neighbour):
                await sio.disconnect()

        asyncio.run(scenario())
    finally:
        a.stop(), b.stop()


@pytest.fixture
def own_redis(tmp_path):
    """A Redis of the test's own, so that it can be restarted without touching the machine's."""
    binary = shutil.which("redis-server")
    assert binary, "redis-server is needed (Debian package redis-server)"
    port = free_port()

    def start() -> subprocess.Popen:
        process = subprocess.Popen(
            [binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        import redis

        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                redis.Redis(port=port).ping()
                return process
            except redis.ConnectionError:
                time.sleep(0.05)
        raise AssertionError("redis did not start")

    state = {"process": start()}

    def restart(down_for: float = 1.0) -> None:
        state["process"].kill()
        state["process"].wait()
        time.sleep(down_for)
        state["process"] = start()

    yield f"redis://127.0.0.1:{port}/0", restart
    state["process"].kill()
    state["process"].wait()


def test_a_redis_restart_loses_no_stored_note_and_the_processes_recover(tmp_path, postgres_url, own_redis):
    queue_url, restart_redis = own_redis
    a, b = servers(tmp_path, postgres_url, queue_url)
    workshop = a.new_workshop()
    code, key = workshop["code"], workshop["facilitator_key"]
    a.start(), b.start()
    try:

        async def scenario():
            facilitator, state, _ = await client(a.url, {"code": code, "role": "facilitator", "key": key})
            round_id = state["state"]["blocks"][0]["rounds"][0]["id"]
            assert (await facilitator.call("round:start", {"round": round_id}, timeout=10))["ok"]
            phone, _, _ = await client(a.url, {"code": code, "role": "participant", "table": 2})
            before = str(uuid.uuid4())
            assert (await phone.call("note:post", {"id": before, "text": "Avant"}, timeout=10))["ok"]

            restart_redis()
            during = str(uuid.uuid4())
            ack = await phone.call("note:post", {"id": during, "text": "Pendant"}, timeout=15)
            assert ack["ok"], ack  # stored and acknowledged; its broadcast may be lost, not the note

            # The processes resubscribe by themselves: a board on the other process gets new notes.
            board, board_ack, on_board = await client(b.url, {"code": code, "role": "board"})
            assert {n["id"] for n in board_ack["state"]["notes"]} == {before, during}
            after = str(uuid.uuid4())
            deadline = time.monotonic() + 20
            while after not in notes_added(on_board):
                assert time.monotonic() < deadline, "the processes did not recover"
                after = str(uuid.uuid4())
                assert (await phone.call("note:post", {"id": after, "text": "Après"}, timeout=10))["ok"]
                await asyncio.sleep(0.5)
            for sio in (facilitator, phone, board):
                await sio.disconnect()

        asyncio.run(scenario())
    finally:
        a.stop(), b.stop()
