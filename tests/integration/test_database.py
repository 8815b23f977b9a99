"""The schema lives under migrations, applied at start-up; SQLite runs in WAL mode."""

from __future__ import annotations

import uuid

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import select, text

from workshop import clock, create_app
from workshop.extensions import db
from workshop.models import Base, Note


def test_the_migrations_create_exactly_the_models(app):
    with app.app_context(), db.engine.connect() as connection:
        context = MigrationContext.configure(connection)
        differences = compare_metadata(context, Base.metadata)
    assert differences == [], "a model changed without a migration: flask db migrate"


def test_start_up_upgrades_an_existing_database_and_keeps_its_notes(tmp_path, create_workshop, connect, app):
    keys = create_workshop()
    phone = connect({"code": keys["code"], "role": "participant", "table": 1})
    facilitator = connect({"code": keys["code"], "role": "facilitator", "key": keys["facilitator_key"]})
    first_round = facilitator.ack["state"]["blocks"][0]["rounds"][0]["id"]
    facilitator.emit("round:start", {"round": first_round}, callback=True)
    note_id = str(uuid.uuid4())
    assert phone.emit("note:post", {"id": note_id, "text": "Gardée"}, callback=True)["ok"]

    # A second start of the app on the same database runs the migrations again: nothing lost.
    again = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"]})
    with again.app_context():
        stored = db.session.execute(select(Note)).scalars().all()
        assert [n.id for n in stored] == [note_id]
        assert stored[0].text == "Gardée"
        assert stored[0].created_at <= clock.now()
        db.session.remove()
        db.engine.dispose()


def test_sqlite_runs_in_wal_mode_with_a_busy_timeout(tmp_path):
    app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'wal.sqlite3'}"})
    with app.app_context():
        assert db.session.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert db.session.execute(text("PRAGMA busy_timeout")).scalar() == 5000
        assert db.session.execute(text("PRAGMA foreign_keys")).scalar() == 1
        db.session.remove()
        db.engine.dispose()


def test_healthz_answers_when_the_database_does(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.get_json() == {"ok": True, "database": "ok"}


def test_healthz_says_503_when_the_database_is_gone(tmp_path):
    app = create_app(
        {
            "TESTING": True,
            "SQLALCHEMY_DATABASE_URI": "postgresql+psycopg://postgres@127.0.0.1:1/none?connect_timeout=1",
            "WORKSHOP_AUTO_MIGRATE": False,
        }
    )
    response = app.test_client().get("/healthz")
    assert response.status_code == 503
    assert response.get_json()["ok"] is False


def test_a_database_of_the_first_version_upgrades_without_losing_a_note(database_url):
    """Made at revision 0001 with a note in it, then upgraded by a start of the current app."""
    from flask_migrate import upgrade

    from workshop.app import MIGRATIONS_DIR

    old = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": database_url, "WORKSHOP_AUTO_MIGRATE": False})
    with old.app_context():
        upgrade(directory=MIGRATIONS_DIR, revision="0001")
        db.session.execute(
            text(
                "INSERT INTO workshop (id, code, title, organiser, language, dates, sectors, "
                "facilitator_key_hash, secretariat_key_hash, created_at) VALUES "
                "(1, 'OLD1', 'Ancien', 'Table', 'fr', '[]', '[]', 'x', 'y', :now)"
            ),
            {"now": clock.now()},
        )
        db.session.execute(
            text(
                "INSERT INTO note (id, workshop_id, text, hidden, created_at) "
                "VALUES ('6f1c1d5e-0000-4000-8000-000000000001', 1, 'Note d''avant', :no, :now)"
            ),
            {"now": clock.now(), "no": False},
        )
        db.session.commit()
        db.session.remove()
        db.engine.dispose()

    new = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": database_url})
    with new.app_context():
        notes = db.session.execute(select(Note)).scalars().all()
        assert [(n.text, n.kind, n.starred, n.hidden) for n in notes] == [("Note d'avant", "note", False, False)]
        db.session.remove()
        db.engine.dispose()
