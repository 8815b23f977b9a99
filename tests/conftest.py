"""Shared fixtures: an app on a fresh database per test, and factories that return callables."""
from __future__ import annotations

import os
from pathlib import Path

import pytest

from workshop import clock, create_app
from workshop.config import PROJECT_ROOT
from workshop.domain.agenda import load_template
from workshop.extensions import db, socketio

SESSIONS = PROJECT_ROOT / "sessions"
CAFE_2010 = SESSIONS / "cafe-conversation-2010.toml"
FORUM_2009 = SESSIONS / "forum-ouvert-2009.toml"


def database_url(tmp_path: Path) -> str:
    """SQLite in a temp file by default; WORKSHOP_TEST_DATABASE_URL points the suite elsewhere."""
    return os.environ.get("WORKSHOP_TEST_DATABASE_URL") or f"sqlite:///{tmp_path / 'test.sqlite3'}"


@pytest.fixture
def app(tmp_path):
    app = create_app(
        {
            "TESTING": True,
            "SQLALCHEMY_DATABASE_URI": database_url(tmp_path),
            "SECRET_KEY": "test-secret",
            "WORKSHOP_AUTO_MIGRATE": False,
        }
    )
    with app.app_context():
        from workshop.app import upgrade_database

        upgrade_database()
    yield app
    with app.app_context():
        db.session.remove()
        if not app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):
            db.drop_all()
            db.session.execute(db.text("DROP TABLE IF EXISTS alembic_version"))
            db.session.commit()
        db.engine.dispose()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture
def create_workshop(app):
    """create_workshop(template=CAFE_2010) -> {"code", "facilitator_key", "secretariat_key"}."""

    def make(template: Path = CAFE_2010, code: str | None = None) -> dict:
        from workshop.services.workshops import create_workshop as create

        with app.app_context():
            workshop, keys = create(load_template(template), clock.now(), code=code)
            db.session.commit()
            return {
                "code": workshop.code,
                "facilitator_key": keys.facilitator,
                "secretariat_key": keys.secretariat,
            }

    return make


@pytest.fixture
def connect(app):
    """connect() -> a Socket.IO test client; connect(join={...}) also joins and keeps the ack."""
    clients = []

    def make(join: dict | None = None):
        sio = socketio.test_client(app)
        assert sio.is_connected()
        clients.append(sio)
        sio.ack = sio.emit("join", join, callback=True) if join is not None else None
        return sio

    yield make
    for sio in clients:
        if sio.is_connected():
            sio.disconnect()
