"""No note lost or doubled: SIGKILL of the server mid-burst, and 200 concurrent posters; on
SQLite and PostgreSQL (tests/conftest.py ``database_url``), with the group commit on (the
server's default, workshop/realtime/group_commit.py)."""

from __future__ import annotations

import asyncio
import uuid

import pytest
import socketio

from system.server import Server


@pytest.fixture
def server(tmp_path, database_url):
    server = Server(
        tmp_path,
        {
            "WORKSHOP_DATABASE_URL": database_url,
            "WORKSHOP_SECRET_KEY": "fault-test",
            "WORKSHOP_GROUP_COMMIT_MS": "2",
        },
    )
    yield server
    server.stop()


class Phone:
    """A phone with an outbox: a note leaves it only when the server acknowledged it."""

    def __init__(self, url: str, code: str, table: int | None):
        self.url, self.code, self.table = url, code, table
        self.token: str | None = None
        self.outbox: dict[str, str] = {}
        self.acked: set[str] = set()
        self.sio: socketio.AsyncClient | None = None

    async def connect(self) -> None:
        self.sio = socketio.AsyncClient(reconnection=False)
        await self.sio.connect(self.url, transports=["websocket"], wait_timeout=10)
        join = {"code": self.code, "role": "participant", "participant": self.token}
        if self.table is not None:
            join["table"] = self.table
        ack = await self.sio.call("join", join, timeout=10)
        assert ack["ok"], ack
        self.token = ack["participant"]

    async def post(self, note_id: str) -> None:
        try:
            ack = await self.sio.call("note:post", {"id": note_id, "text": self.outbox[note_id]}, timeout=5)
        except (socketio.exceptions.TimeoutError, socketio.exceptions.BadNamespaceError, ConnectionError):
            return  # unacknowledged: stays in the outbox
        if ack["ok"]:
            self.acked.add(note_id)
            self.outbox.pop(note_id, None)

    async def burst(self, count: int) -> None:
        for index in range(count):
            note_id = str(uuid.uuid4())
            self.outbox[note_id] = f"Note {index} de la table {self.table} — idée n° {index}"
            await self.post(note_id)

    async def resend(self) -> None:
        for note_id in list(self.outbox):
            await self.post(note_id)

    async def close(self) -> None:
        if self.sio is not None and self.sio.connected:
            await self.sio.disconnect()


async def facilitator_state(url: str, code: str, key: str) -> dict:
    sio = socketio.AsyncClient(reconnection=False)
    await sio.connect(url, transports=["websocket"], wait_timeout=10)
    try:
        return (await sio.call("join", {"code": code, "role": "facilitator", "key": key}, timeout=10))["state"]
    finally:
        await sio.disconnect()


async def start_first_round(url: str, code: str, key: str, block: int = 0) -> None:
    sio = socketio.AsyncClient(reconnection=False)
    await sio.connect(url, transports=["websocket"], wait_timeout=10)
    state = (await sio.call("join", {"code": code, "role": "facilitator", "key": key}, timeout=10))["state"]
    ack = await sio.call("round:start", {"round": state["blocks"][block]["rounds"][0]["id"]}, timeout=10)
    assert ack["ok"], ack
    await sio.disconnect()


def test_sigkill_mid_burst_loses_and_doubles_nothing(server):
    workshop = server.new_workshop()
    code, key = workshop["code"], workshop["facilitator_key"]
    server.start()

    async def scenario() -> tuple[list[Phone], dict]:
        await start_first_round(server.url, code, key)
        phones = [Phone(server.url, code, table=i % 5 + 1) for i in range(20)]
        await asyncio.gather(*(p.connect() for p in phones))
        bursts = asyncio.gather(*(p.burst(40) for p in phones), return_exceptions=True)
        await asyncio.sleep(0.4)  # mid-burst
        server.kill()
        await bursts
        for phone in phones:
            await phone.close()
        acked_before = sum(len(p.acked) for p in phones)
        waiting = sum(len(p.outbox) for p in phones)
        assert acked_before > 0 and waiting > 0, (acked_before, waiting)  # the kill did land mid-burst

        server.start()
        for phone in phones:
            await phone.connect()
            # The outbox goes out again, with the same ids; some already stored sends too.
            await phone.resend()
            for note_id in list(phone.acked)[:2]:
                phone.outbox[note_id] = "renvoi"
                await phone.post(note_id)
            await phone.close()
        return phones, await facilitator_state(server.url, code, key)

    phones, state = asyncio.run(scenario())
    stored = [n["id"] for n in state["notes"]]
    assert len(stored) == len(set(stored)), "a note was stored twice"
    acknowledged = set().union(*(p.acked for p in phones))
    assert all(not p.outbox for p in phones), "every resend was acknowledged"
    assert set(stored) == acknowledged, "stored notes = acknowledged notes, no more, no less"
    assert len(stored) <= 20 * 40


def test_200_concurrent_posters_lose_and_double_nothing(server):
    workshop = server.new_workshop()
    code, key = workshop["code"], workshop["facilitator_key"]
    server.start()

    async def scenario() -> tuple[list[Phone], dict]:
        # 200 people: the 5 May afternoon, in Open Space (the Café's tables seat 40).
        await start_first_round(server.url, code, key, block=3)
        phones = [Phone(server.url, code, table=None) for i in range(200)]
        for group in range(0, 200, 50):  # a join storm in four waves
            await asyncio.gather(*(p.connect() for p in phones[group : group + 50]))
        await asyncio.gather(*(p.burst(3) for p in phones))
        await asyncio.gather(*(p.resend() for p in phones))
        await asyncio.gather(*(p.close() for p in phones))
        return phones, await facilitator_state(server.url, code, key)

    phones, state = asyncio.run(scenario())
    stored = [n["id"] for n in state["notes"]]
    acknowledged = set().union(*(p.acked for p in phones))
    assert len(stored) == len(set(stored)) == 600
    assert set(stored) == acknowledged


def test_concurrent_joins_in_a_cafe_round_all_get_a_seat(server):
    """Phones joining at once while a World Café round seats newcomers: on PostgreSQL two joins
    used to insert the same seat (uq_seat_round_id) and one got an internal error."""
    workshop = server.new_workshop()
    code, key = workshop["code"], workshop["facilitator_key"]
    server.start()

    async def scenario() -> tuple[list[Phone], dict]:
        await start_first_round(server.url, code, key)
        phones = [Phone(server.url, code, table=None) for _ in range(40)]
        await asyncio.gather(*(p.connect() for p in phones))  # each asserts its join's ack is ok
        await asyncio.gather(*(p.close() for p in phones))
        return phones, await facilitator_state(server.url, code, key)

    phones, state = asyncio.run(scenario())
    assert all(p.token for p in phones)
    assert len({p["id"] for p in state["participants"]}) == 40
