"""After a purge, the database is cleaned (issue 18, point 6): SQLite has no free page left and an
empty write-ahead log; PostgreSQL's purged tables were vacuumed. tests/integration/test_cli.py
searches the SQLite files' bytes for a purged name."""

from __future__ import annotations

import uuid
from pathlib import Path

from sqlalchemy import text

from workshop.agenda.workshops import find_workshop
from workshop.extensions import db
from workshop.results.privacy import purge_workshop, scrub


def test_purge_then_scrub_cleans_the_database(app, create_workshop, connect):
    keys = create_workshop()
    facilitator = connect({"code": keys["code"], "role": "facilitator", "key": keys["facilitator_key"]})
    facilitator.emit("round:start", {"round": facilitator.ack["state"]["blocks"][0]["rounds"][0]["id"]}, callback=True)
    phone = connect({"code": keys["code"], "role": "participant", "table": 1, "name": "Quaglietta"})
    for index in range(50):
        assert phone.emit("note:post", {"id": str(uuid.uuid4()), "text": f"Idée {index} " + "x" * 400}, callback=True)[
            "ok"
        ]
    with app.app_context():
        purge_workshop(find_workshop(keys["code"]))
        db.session.commit()
        db.session.close()
        assert scrub() is None
        with db.engine.connect() as connection:
            if db.engine.dialect.name == "sqlite":
                assert connection.execute(text("PRAGMA freelist_count")).scalar_one() == 0
                path = Path(db.engine.url.database)
                wal = path.with_name(path.name + "-wal")
                assert not wal.exists() or wal.stat().st_size == 0
                assert b"Quaglietta" not in path.read_bytes()
            else:
                vacuumed = (
                    connection.execute(
                        text(
                            "SELECT relname FROM pg_stat_user_tables WHERE schemaname = current_schema() AND last_vacuum IS NOT NULL"
                        )
                    )
                    .scalars()
                    .all()
                )
                assert {"note", "participant", "photo", "topic"} <= set(vacuumed)
