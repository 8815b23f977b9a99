"""What one join and one note cost inside the server: CPU time and SQL statements, through
Flask-SocketIO's test client (no network, threading mode, SQLite in a temporary file).

    .venv/bin/python bench/hot_paths.py              # 300 phones join, then each posts a note
    .venv/bin/python bench/hot_paths.py --phones 1000

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
        workshop, keys = create_workshop(
            load_template(PROJECT_ROOT / "sessions/cafe-conversation-2010.toml"), clock.now()
        )
        db.session.commit()
        code = workshop.code

    board = socketio.test_client(app)
    board.emit("join", {"code": code, "role": "board"}, callback=True)
    console = socketio.test_client(app)
    state = console.emit("join", {"code": code, "role": "facilitator", "key": keys.facilitator}, callback=True)["state"]
    open_space = next(b for b in state["blocks"] if b["method"] == "open-space")
    assert console.emit("round:start", {"round": open_space["rounds"][0]["id"]}, callback=True)["ok"]

    phones = [socketio.test_client(app) for _ in range(args.phones)]
    rows = []
    for name, call in (
        ("join", lambda i, p: p.emit("join", {"code": code, "role": "participant", "name": f"P{i}"}, callback=True)),
        ("note:post", lambda i, p: p.emit("note:post", {"id": str(uuid.uuid4()), "text": f"Idée {i}"}, callback=True)),
    ):
        statements[0] = 0
        started = time.process_time()
        for index, phone in enumerate(phones):
            answer = call(index, phone)
            assert answer["ok"], answer
        spent = time.process_time() - started
        rows.append((name, args.phones, spent / args.phones * 1000, statements[0] / args.phones))
        for client in [board, console, *phones]:
            client.get_received()

    print("| event | calls | CPU ms per call | SQL statements per call |\n|---|---:|---:|---:|")
    for name, calls, cpu, sql in rows:
        print(f"| {name} | {calls} | {cpu:.2f} | {sql:.1f} |")


if __name__ == "__main__":
    main()
