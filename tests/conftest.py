"""Shared fixtures: an app on a fresh database per test, and factories that return callables."""

from __future__ import annotations

import os
import shutil
import uuid
from pathlib import Path

import jinja2
import pytest
import sqlalchemy

from workshop import clock, create_app
from workshop.config import PROJECT_ROOT
from workshop.domain.agenda import load_template
from workshop.extensions import db, socketio

SESSIONS = PROJECT_ROOT / "sessions"
CAFE_2010 = SESSIONS / "cafe-conversation-2010.toml"
FORUM_2009 = SESSIONS / "forum-ouvert-2009.toml"


# The PostgreSQL of the development and CI machines (trust authentication); another one with
# WORKSHOP_TEST_POSTGRES_URL. Each test run works in a schema of its own, dropped at the end.
POSTGRES_URL = os.environ.get("WORKSHOP_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
DATABASES = os.environ.get("WORKSHOP_TEST_DATABASES", "sqlite,postgresql").split(",")


@pytest.fixture(scope="session")
def postgres_schema():
    """A schema for this run; a missing server fails the tests loudly, it never skips them."""
    schema = f"ws_test_{os.getpid()}_{uuid.uuid4().hex[:8]}"
    engine = sqlalchemy.create_engine(POSTGRES_URL)
    with engine.begin() as connection:
        connection.execute(sqlalchemy.text(f'CREATE SCHEMA "{schema}"'))
    yield engine, schema
    with engine.begin() as connection:
        connection.execute(sqlalchemy.text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
    engine.dispose()


@pytest.fixture(params=DATABASES)
def database(request):
    """Which database a test runs on: each test that uses the app runs on every one of DATABASES."""
    return request.param


@pytest.fixture
def database_url(database, request, tmp_path):
    """A fresh, empty database for one test (no tables): SQLite in a temp file, or a PostgreSQL schema."""
    if database == "sqlite":
        return f"sqlite:///{tmp_path / 'test.sqlite3'}"
    engine, schema = request.getfixturevalue("postgres_schema")
    _reset_schema(engine, schema)
    return _schema_url(schema)


def _schema_url(schema: str) -> str:
    return f"{POSTGRES_URL}?options=-csearch_path%3D{schema}"


# Whether this process's PostgreSQL schema holds the newest tables (then a test empties them
# instead of migrating again), or was just dropped by ``database_url``.
_schema_migrated = {"ready": False}


def _reset_schema(engine, schema: str) -> None:
    with engine.begin() as connection:
        connection.execute(sqlalchemy.text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
        connection.execute(sqlalchemy.text(f'CREATE SCHEMA "{schema}"'))
    _schema_migrated["ready"] = False


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory):
    """A SQLite file migrated to the newest revision once per process; each test gets a copy (the
    same bytes as migrating again, in a millisecond instead of a tenth of a second)."""
    path = tmp_path_factory.mktemp("template") / "migrated.sqlite3"
    made = create_app(_test_settings(f"sqlite:///{path}"))
    with made.app_context():
        from workshop.app import upgrade_database

        upgrade_database()
        db.session.execute(sqlalchemy.text("PRAGMA wal_checkpoint(TRUNCATE)"))
        db.session.remove()
        db.engine.dispose()
    return path


@pytest.fixture(scope="session")
def template_bytecode(tmp_path_factory):
    """The templates compiled once per process and shared by every test's app. Each test makes a
    new app, so a new Jinja environment that would compile every template it renders again: half
    of a page test's time. Jinja checks each entry against its template's source, so an edited
    template is compiled afresh."""
    return jinja2.FileSystemBytecodeCache(str(tmp_path_factory.mktemp("jinja")))


def _test_settings(database_url: str) -> dict:
    return {
        "TESTING": True,
        "SQLALCHEMY_DATABASE_URI": database_url,
        "SECRET_KEY": "test-secret",
        "WORKSHOP_AUTO_MIGRATE": False,
        # Every presence change at once; tests/integration/test_presence_throttle.py keeps the
        # production interval.
        "WORKSHOP_PRESENCE_INTERVAL": 0,
        # Form tests post without a token; tests/integration/test_csrf.py turns it back on.
        "WTF_CSRF_ENABLED": False,
    }


@pytest.fixture
def app(database, request, tmp_path):
    """The app on a database at the newest revision with no rows: SQLite, a copy of the migrated
    template; PostgreSQL, this process's schema migrated once, then emptied (identities restarted)
    before each test."""
    migrate = False
    if database == "sqlite":
        path = tmp_path / "test.sqlite3"
        shutil.copyfile(request.getfixturevalue("sqlite_template"), path)
        url = f"sqlite:///{path}"
    else:
        engine, schema = request.getfixturevalue("postgres_schema")
        url = _schema_url(schema)
        if _schema_migrated["ready"]:
            _empty_tables(engine, schema)
        else:
            _reset_schema(engine, schema)
            migrate = True
    app = create_app(_test_settings(url))
    app.jinja_env.bytecode_cache = request.getfixturevalue("template_bytecode")
    with app.app_context():
        if migrate:
            from workshop.app import upgrade_database

            upgrade_database()
            _schema_migrated["ready"] = True
    yield app
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


def _empty_tables(engine, schema: str) -> None:
    with engine.begin() as connection:
        tables = connection.execute(
            sqlalchemy.text(
                "SELECT tablename FROM pg_tables WHERE schemaname = :schema AND tablename <> 'alembic_version'"
            ),
            {"schema": schema},
        ).scalars()
        names = ", ".join(f'"{schema}"."{name}"' for name in tables)
        if names:
            connection.execute(sqlalchemy.text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))


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
        from workshop.agenda.workshops import create_workshop as create

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


@pytest.fixture
def frozen_budget_clock(monkeypatch):
    """The rate limits' clock held in the middle of one window (minute and hour): a test that
    spends a budget never sees it refilled by a window turning over on a slow machine."""
    import time as real_time
    import types

    import workshop.ratelimit as ratelimit

    fixed = 1_800_000_000.0 + 1_800  # half an hour, and half a minute, into their windows
    monkeypatch.setattr(
        ratelimit,
        "time",
        types.SimpleNamespace(time=lambda: fixed, monotonic=real_time.monotonic, sleep=real_time.sleep),
    )
    return fixed
