"""Settings, read from the environment with the ``WORKSHOP_`` prefix."""

from __future__ import annotations

import os
import secrets
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent


def from_environment(instance_path: Path, environ: dict[str, str] | None = None) -> dict:
    env = os.environ if environ is None else environ
    database_url = env.get("WORKSHOP_DATABASE_URL") or f"sqlite:///{instance_path / 'workshop.sqlite3'}"
    return {
        "SQLALCHEMY_DATABASE_URI": database_url,
        "SECRET_KEY": env.get("WORKSHOP_SECRET_KEY") or _instance_secret(instance_path),
        "WORKSHOP_MESSAGE_QUEUE": env.get("WORKSHOP_MESSAGE_QUEUE") or None,
        "WORKSHOP_MESSAGE_QUEUE_CHANNEL": env.get("WORKSHOP_MESSAGE_QUEUE_CHANNEL") or "workshop",
        "WORKSHOP_SESSIONS_DIR": Path(env.get("WORKSHOP_SESSIONS_DIR") or PROJECT_ROOT / "sessions"),
        "WORKSHOP_NODE_MODULES": Path(env.get("WORKSHOP_NODE_MODULES") or PROJECT_ROOT / "node_modules"),
        # Where phones reach the server; the request's own address when not set.
        "WORKSHOP_PUBLIC_URL": (env.get("WORKSHOP_PUBLIC_URL") or "").rstrip("/") or None,
        "WORKSHOP_AUTO_MIGRATE": env.get("WORKSHOP_AUTO_MIGRATE", "1") != "0",
        # Proxies (nginx) in front whose X-Forwarded-For/-Proto/-Host are trusted; 0: none.
        "WORKSHOP_PROXIES": int(env.get("WORKSHOP_PROXIES") or 0),
        # Times on pages (the proceedings' "as of") in the venue's zone; the seed's workshops are in Quebec.
        "BABEL_DEFAULT_TIMEZONE": _timezone(env.get("WORKSHOP_TIMEZONE") or "America/Toronto"),
        # Seconds a client has to send its request's headers (the gevent server); then it is closed.
        "WORKSHOP_HEADER_TIMEOUT": float(env.get("WORKSHOP_HEADER_TIMEOUT") or 10.0),
        # Seconds between two presence updates of a workshop (a join storm sends about one a second).
        "WORKSHOP_PRESENCE_INTERVAL": float(env.get("WORKSHOP_PRESENCE_INTERVAL") or 1.0),
        # Milliseconds the writes of the hot path wait for others to share their commit (and its
        # fsync) with (workshop/realtime/group_commit.py); a negative value: one commit each.
        "WORKSHOP_GROUP_COMMIT_MS": float(env.get("WORKSHOP_GROUP_COMMIT_MS") or 2.0),
    }


# How `workshop serve` serves (workshop/serving.py); docs/benchmarks.md says why gevent is the default.
ASYNC_MODES = ("gevent", "threading")
DEFAULT_ASYNC_MODE = "gevent"


def async_mode(environ: dict[str, str] | None = None) -> str:
    """WORKSHOP_ASYNC_MODE, else the default; an unknown name is refused, never guessed."""
    env = os.environ if environ is None else environ
    mode = (env.get("WORKSHOP_ASYNC_MODE") or DEFAULT_ASYNC_MODE).strip().lower()
    if mode not in ASYNC_MODES:
        raise ValueError(f"WORKSHOP_ASYNC_MODE={mode!r}: choose one of {', '.join(ASYNC_MODES)}")
    return mode


def _instance_secret(instance_path: Path) -> str:
    """A secret kept under instance/, made once, so sessions survive a restart."""
    path = instance_path / "secret_key"
    try:
        return path.read_text().strip()
    except FileNotFoundError:
        instance_path.mkdir(parents=True, exist_ok=True)
        key = secrets.token_urlsafe(48)
        path.write_text(key)
        path.chmod(0o600)
        return key


def _timezone(name: str) -> str:
    """An IANA zone name, checked at start-up: a typo is refused, never silently UTC."""
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as error:
        raise ValueError(f"WORKSHOP_TIMEZONE={name!r} is not a time zone (e.g. America/Toronto)") from error
    return name
