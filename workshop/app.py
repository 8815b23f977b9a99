"""The application factory."""

from __future__ import annotations

import functools
import logging
from pathlib import Path
from urllib.parse import urlsplit

from flask import Flask, g, has_request_context, request
from flask.sessions import SecureCookieSessionInterface
from sqlalchemy import event
from sqlalchemy.engine import Engine

from workshop import config as settings
from workshop import (
    models,  # noqa: F401  (the tables, for migrations)
    ratelimit,
)
from workshop.extensions import babel, csrf, db, migrate, socketio
from workshop.frames import MAX_MESSAGE_BYTES
from workshop.realtime.guard import guard_packets, limit_logs

LANGUAGES = ("fr", "en")
MIGRATIONS_DIR = str(Path(__file__).resolve().parent / "migrations")


class SecureWhenHttps(SecureCookieSessionInterface):
    """The session cookie is Secure when configured so, or when this request came over https."""

    def get_cookie_secure(self, app: Flask) -> bool:
        return bool(super().get_cookie_secure(app) or (has_request_context() and request.is_secure))


def select_locale() -> str:
    """The person's choice (?lang= or the cookie), else the workshop's language, else French."""
    chosen = request.args.get("lang") or request.cookies.get("lang")
    if chosen in LANGUAGES:
        return chosen
    language = getattr(g, "workshop_language", None)
    if language in LANGUAGES:
        return language
    return request.accept_languages.best_match(LANGUAGES) or "fr"


def create_app(config: dict | None = None) -> Flask:
    app = Flask(
        __name__,
        instance_relative_config=True,
        template_folder=str(settings.PROJECT_ROOT / "templates"),
        static_folder=str(settings.PROJECT_ROOT / "static"),
    )
    instance = Path(app.instance_path)
    instance.mkdir(parents=True, exist_ok=True)
    app.config.update(
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        MAX_CONTENT_LENGTH=256 * 1024,
        WTF_CSRF_TIME_LIMIT=None,  # a phone's page may stay open all day: the token lives with the session
        BABEL_DEFAULT_LOCALE="fr",
        BABEL_TRANSLATION_DIRECTORIES=str(Path(__file__).resolve().parent / "translations"),
        SQLALCHEMY_ENGINE_OPTIONS={"pool_pre_ping": True},
    )
    app.config.update(settings.from_environment(instance))
    if config:
        app.config.update(config)
    # Behind HTTPS the session cookie (which holds the console's key) never travels in clear:
    # when the public address is https, and on every request that came over https (directly, or
    # through a proxy of WORKSHOP_PROXIES saying X-Forwarded-Proto: https).
    if (app.config["WORKSHOP_PUBLIC_URL"] or "").startswith("https://"):
        app.config["SESSION_COOKIE_SECURE"] = True
    app.session_interface = SecureWhenHttps()

    db.init_app(app)
    migrate.init_app(app, db, directory=MIGRATIONS_DIR, render_as_batch=True)
    babel.init_app(app, locale_selector=select_locale)
    # Handlers must be registered before init_app, which hands them to each new server.
    from workshop.agenda import cache as agenda_cache
    from workshop.realtime import (
        events,  # noqa: F401  (the handlers register themselves)
        group_commit,
    )
    from workshop.realtime.presence import presence_updates, seating_updates

    queue = app.config["WORKSHOP_MESSAGE_QUEUE"]
    socketio.init_app(
        app,
        message_queue=queue,
        channel=app.config["WORKSHOP_MESSAGE_QUEUE_CHANNEL"],
        # Several processes: WebSocket only, so a phone never needs to come back to the same one.
        transports=["websocket"] if queue else ["polling", "websocket"],
        # Same origin only: no other site's page drives a workshop. (An empty list, as before,
        # switched Engine.IO's check off altogether.)
        cors_allowed_origins=origin_check(app.config["WORKSHOP_PUBLIC_URL"]),
        # The largest message the protocol needs (workshop/frames.py); Engine.IO refuses a bigger
        # polling post from its Content-Length, the WebSocket reader from the frame's header.
        max_http_buffer_size=MAX_MESSAGE_BYTES,
        logger=False,
        engineio_logger=False,
    )
    bound_simple_websocket(socketio.server.eio)
    guard_packets(socketio.server)
    limit_logs()

    from workshop.web import register_blueprints

    register_blueprints(app)
    csrf.init_app(app)
    ratelimit.init_app(app)
    ratelimit.limit_forms(app)

    app.after_request(security_headers)
    presence_updates.interval = max(0.0, float(app.config["WORKSHOP_PRESENCE_INTERVAL"]))
    seating_updates.interval = max(
        0.0, float(app.config.get("WORKSHOP_SEATING_INTERVAL", app.config["WORKSHOP_PRESENCE_INTERVAL"]))
    )
    group_commit.init_app(app)
    agenda_cache.configure(app)
    if queue:
        start_shared_presence(queue)

    if app.config["WORKSHOP_AUTO_MIGRATE"]:
        with app.app_context():
            upgrade_database()
    logging.getLogger("werkzeug").setLevel(logging.WARNING)
    return app


# Scripts and styles come from our own files only: a note holding markup can never run.
CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data: blob:",
        "connect-src 'self' ws: wss:",
        "font-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)


def security_headers(response):
    headers = response.headers
    headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
    headers.setdefault("X-Content-Type-Options", "nosniff")
    headers.setdefault("X-Frame-Options", "DENY")
    headers.setdefault("Referrer-Policy", "same-origin")
    headers.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=(), interest-cohort=()")
    headers.setdefault("Cross-Origin-Opener-Policy", "same-origin")
    return response


def origin_check(public_url: str | None):
    """Engine.IO's origin check: a browser's page may open a socket only from the app's own origin
    (the host the request was sent to, http or https) or WORKSHOP_PUBLIC_URL's. Clients that send
    no Origin (not a browser) are not concerned."""
    public = urlsplit(public_url or "")
    public_origin = f"{public.scheme}://{public.netloc}".lower() if public.netloc else None

    def allowed(origin: str | None, environ: dict | None = None) -> bool:
        if not origin:
            return True
        origin = origin.strip().lower()
        if public_origin is not None and origin == public_origin:
            return True
        parts = urlsplit(origin)
        host = (environ or {}).get("HTTP_HOST", "").strip().lower()
        return parts.scheme in ("http", "https") and bool(host) and parts.netloc == host and not parts.path

    return allowed


def bound_simple_websocket(engine) -> None:
    """simple-websocket (the threaded server's WebSocket layer) stops reading a message once it
    passes the limit; Engine.IO's own check came only after the whole message was read."""
    websocket = (engine._async or {}).get("websocket")
    if isinstance(websocket, type) and websocket.__name__ == "SimpleWebSocketWSGI":
        engine._async = {**engine._async, "websocket": functools.partial(websocket, max_message_size=MAX_MESSAGE_BYTES)}


def start_shared_presence(queue_url: str) -> None:
    """Several processes: the phones connected to each are listed in the queue's Redis."""
    import redis

    from workshop.realtime.presence import HEARTBEAT, presence

    if presence._redis is not None:
        return
    presence.use_redis(redis.Redis.from_url(queue_url, socket_timeout=2, socket_connect_timeout=2))

    def beat() -> None:
        while True:
            socketio.sleep(HEARTBEAT)
            presence.heartbeat()

    socketio.start_background_task(beat)


def upgrade_database() -> None:
    """Brings the schema to the newest migration; an older database keeps every note."""
    from flask_migrate import upgrade

    upgrade(directory=MIGRATIONS_DIR)


@event.listens_for(Engine, "connect")
def _sqlite_pragmas(dbapi_connection, connection_record) -> None:
    # WAL lets the board read while phones write; the busy timeout waits instead of failing.
    if type(dbapi_connection).__module__.startswith("sqlite3"):
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA busy_timeout=5000")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.close()
