"""What one join and one note cost inside the server: CPU time and SQL statements, through
Flask-SocketIO's test client (no network, threading mode, SQLite in a temporary file).

    .venv/bin/python bench/hot_paths.py              # 300 phones join, then each posts a note
    .venv/bin/python bench/hot_paths.py --phones 1000

Two joins are measured: into a running Open Space round (the phones then post their notes there),
and into the World Café block before its first round, where bench/load.py's join storm lands (the
phones are seated, most of them in the deferred pass, which is not counted).
Every statement is counted, the group commit's too (BEGIN IMMEDIATE, SAVEPOINT, RELEASE: one
call is one batch here); pysqlite's implicit BEGIN and the COMMIT are not statements.

Prints a table. CPU time is this process's (time.process_time), so other work on the machine
matters less than it does for wall-clock figures; compare two versions in the same session.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import event

from workshop import clock, create_app
from workshop.agenda.workshops import create_workshop
from workshop.config import PROJECT_ROOT
from workshop.domain.agenda import load_template
from workshop.extensions import db, socketio


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--phones", type=int, default=300)
    args = parser.parse_args()

    folder = tempfile.mkdtemp(prefix="workshop-hot-")
    app = create_app(
        {
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder}/hot.sqlite3",
            "TESTING": True,
            "WORKSHOP_PRESENCE_INTERVAL": 1.0,
            "WORKSHOP_RATE_LIMITS": {"*": [("socket", "1000000/minute")]},
        }
    )
    statements = [0]
    with app.app_context():
        event.listen(db.engine, "before_cursor_execute", lambda *a, **k: statements.__setitem__(0, statements[0] + 1))
    rows = [_measure("join (World Café, before its first round)", app, _new_workshop(app)[0], args.phones, statements)]

    code, keys = _new_workshop(app)
    board = socketio.test_client(app)
    board.emit("join", {"code": code, "role": "board"}, callback=True)
    console = socketio.test_client(app)
    state = console.emit("join", {"code": code, "role": "facilitator", "key": keys.facilitator}, callback=True)["state"]
    open_space = next(b for b in state["blocks"] if b["method"] == "open-space")
    assert console.emit("round:start", {"round": open_space["rounds"][0]["id"]}, callback=True)["ok"]

    phones = [socketio.test_client(app) for _ in range(args.phones)]
    for name, call in (
        ("join (Open Space, its round running)", _join(code)),
        ("note:post", lambda i, p: p.emit("note:post", {"id": str(uuid.uuid4()), "text": f"Idée {i}"}, callback=True)),
    ):
        rows.append(_timed(name, phones, call, statements))
        for client in [board, console, *phones]:
            client.get_received()

    print("| event | calls | CPU ms per call | SQL statements per call |\n|---|---:|---:|---:|")
    for name, calls, cpu, sql in rows:
        print(f"| {name} | {calls} | {cpu:.2f} | {sql:.1f} |")


def _new_workshop(app) -> tuple[str, object]:
    with app.app_context():
        workshop, keys = create_workshop(
            load_template(PROJECT_ROOT / "sessions/cafe-conversation-2010.toml"), clock.now()
        )
        db.session.commit()
        return workshop.code, keys


def _join(code: str):
    return lambda i, p: p.emit("join", {"code": code, "role": "participant", "name": f"P{i}"}, callback=True)


def _measure(name: str, app, code: str, phones: int, statements: list[int]) -> tuple:
    clients = [socketio.test_client(app) for _ in range(phones)]
    row = _timed(name, clients, _join(code), statements)
    for client in clients:
        client.disconnect()
    return row


def _timed(name: str, phones: list, call, statements: list[int]) -> tuple:
    statements[0] = 0
    started = time.process_time()
    for index, phone in enumerate(phones):
        answer = call(index, phone)
        assert answer["ok"], answer
    spent = time.process_time() - started
    return (name, len(phones), spent / len(phones) * 1000, statements[0] / len(phones))


if __name__ == "__main__":
    main()
