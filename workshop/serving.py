"""How ``workshop serve`` serves the app: a production server for the async mode chosen.

- ``gevent`` (the default; docs/benchmarks.md, "Load: phones on one machine", says why): gevent's
  pywsgi in this one process, a greenlet per connection, WebSocket through gevent-websocket
  (engineio uses it whenever it is installed; simple-websocket otherwise). The standard library
  is monkey-patched before the app, psycopg or redis are imported: ``prepare`` starts the
  interpreter again with the patch as its first statement.
- ``threading``: gunicorn's threaded worker (one worker process, a thread per connection), with
  simple-websocket.

Both set TCP_NODELAY on every accepted socket: with Nagle's algorithm an event followed by its
ack waited for the client's delayed ACK, about 40 ms per note.

This module is imported by ``extensions`` before anything else of the app: it imports nothing heavy.
"""

from __future__ import annotations

import contextlib
import gc
import logging
import os
import socket
import sys
from collections.abc import Callable

from workshop.config import async_mode as requested_mode  # noqa: F401  (WORKSHOP_ASYNC_MODE)

HEADER_TIMEOUT = 10.0  # seconds for a client to send its request's headers (WORKSHOP_HEADER_TIMEOUT)
THREADS = 1200  # threading mode: a WebSocket holds a thread for as long as the phone is connected

# The first statement of a gevent server process: nothing may be imported before the patch.
BOOTSTRAP = (
    "from gevent import monkey; monkey.patch_all()\n"
    "import sys\n"
    "from workshop.cli import main\n"
    "main(sys.argv[1:], prog_name='workshop')\n"
)

log = logging.getLogger(__name__)


def gevent_patched() -> bool:
    monkey = sys.modules.get("gevent.monkey")
    return monkey is not None and monkey.is_module_patched("socket")


def socketio_async_mode() -> str:
    """The mode of this process: gevent only where the standard library was patched first,
    threading everywhere else (the test client, ``workshop new``, a threaded server)."""
    return "gevent" if gevent_patched() else "threading"


def prepare(mode: str, argv: list[str]) -> None:
    """Called first in ``serve``: for gevent, runs ``workshop ARGV`` again in a fresh interpreter
    (same process id) whose first statement is the monkey-patching. Returns when ready to serve."""
    if mode != "gevent" or gevent_patched():
        return
    sys.stdout.flush()
    sys.stderr.flush()
    env = {**os.environ, "WORKSHOP_ASYNC_MODE": "gevent"}
    os.execve(sys.executable, [sys.executable, "-c", BOOTSTRAP, *argv], env)


def describe(mode: str) -> str:
    """The server, as the start-up line names it."""
    if mode == "gevent":
        return f"gevent {_version('gevent')} pywsgi, WebSocket by {_gevent_websocket_name()}, TCP_NODELAY"
    return f"gunicorn {_version('gunicorn')} gthread (1 worker, {THREADS} threads), WebSocket by simple-websocket, TCP_NODELAY"


def run(
    mode: str,
    host: str,
    port: int,
    load_app: Callable[[], object],
    announce: Callable[[str], None] = print,
    no_delay: bool = True,
) -> None:
    """Serves the app that ``load_app`` makes (called once, in the process that serves).
    ``no_delay=False`` is for measuring what TCP_NODELAY is worth (bench/bare_server.py)."""
    load_app = _behind_proxies(load_app)
    if mode == "gevent":
        if not gevent_patched():
            raise RuntimeError("gevent mode needs the standard library patched first (serving.prepare)")
        _run_gevent(host, port, load_app, announce, no_delay)
    elif mode == "threading":
        _run_gunicorn(host, port, load_app, announce, no_delay)
    else:
        raise ValueError(f"unknown async mode {mode!r}")


def _behind_proxies(load_app):
    """Behind WORKSHOP_PROXIES proxies (nginx), the phone's address is the one they forward:
    otherwise every phone has nginx's address and shares one rate-limit budget."""

    def load():
        app = load_app()
        tune_garbage_collector()
        config = getattr(app, "config", {})
        proxies = config.get("WORKSHOP_PROXIES") or 0
        if proxies:
            from werkzeug.middleware.proxy_fix import ProxyFix

            # Outside Socket.IO's middleware, so each socket's environ has the phone's address too.
            app.wsgi_app = ProxyFix(app.wsgi_app, x_for=proxies, x_proto=proxies, x_host=proxies)
        return app

    return load


# A thousand connections keep a million objects alive; with the default thresholds (700, 10, 10)
# the collector walks all of them every few seconds under load, 125-200 ms each time on the
# 2-core machine, and every phone waits meanwhile (gevent: one thread). Young collections rarer,
# full ones far rarer: see docs/benchmarks.md ("Garbage collection").
GC_THRESHOLDS = (50_000, 20, 100)


def tune_garbage_collector() -> None:
    """Once the app is loaded: what exists now lives as long as the process (modules, the app,
    its templates), so the collector stops walking it (gc.freeze), and collects less often."""
    gc.collect()
    gc.freeze()
    gc.set_threshold(*GC_THRESHOLDS)


def _version(package: str) -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version(package)
    except PackageNotFoundError:
        return "?"


def _gevent_websocket_name() -> str:
    try:
        import geventwebsocket  # noqa: F401
    except ImportError:
        return "simple-websocket"
    return "gevent-websocket"


def _no_delay(sock) -> None:
    with contextlib.suppress(OSError, AttributeError):  # not TCP (a Unix socket behind nginx): nothing to do
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)


def _run_gevent(host: str, port: int, load_app, announce, no_delay: bool) -> None:
    from gevent.pywsgi import WSGIHandler, WSGIServer

    # engineio's gevent driver uses gevent-websocket whenever it is importable; the server must match.
    try:
        import geventwebsocket.handler as websocket_handler
        from geventwebsocket.handler import WebSocketHandler as base

        from workshop.frames import bounded_websocket_class

        # Its upgrade makes a `WebSocket`: ours refuses an oversize message from the frame's header.
        websocket_handler.WebSocket = bounded_websocket_class()
    except ImportError:
        base = WSGIHandler

    class NoDelayHandler(base):
        def handle(self):
            if no_delay:
                _no_delay(self.socket)
            super().handle()

        def handle_one_request(self):
            # A client has HEADER_TIMEOUT seconds to send its request line and headers (slowloris,
            # or a keep-alive connection left idle); then the connection is closed.
            if self.socket is not None:
                self.socket.settimeout(header_timeout)
            return super().handle_one_request()

        def read_request(self, raw_requestline):
            result = super().read_request(raw_requestline)
            # Headers read: the body and a WebSocket's frames have the app's own timeouts
            # (Engine.IO's pings), not this one.
            if self.socket is not None:
                self.socket.settimeout(None)
            return result

    logging.getLogger("geventwebsocket.handler").setLevel(logging.WARNING)  # no access log
    app = load_app()
    header_timeout = float(getattr(app, "config", {}).get("WORKSHOP_HEADER_TIMEOUT") or HEADER_TIMEOUT)
    server = WSGIServer((host, port), app, handler_class=NoDelayHandler, log=None, backlog=2048)
    server.init_socket()
    announce(f"Serving on http://{host}:{port} with {describe('gevent')}  (Ctrl+C to stop)")
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        server.stop(timeout=1)


def _die_with_parent(server, worker) -> None:
    """The worker goes when the master goes, even by SIGKILL (Linux): no orphan keeps the port."""
    try:
        import ctypes
        import signal

        ctypes.CDLL(None, use_errno=True).prctl(1, int(signal.SIGKILL))  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass


def _socket_option(app, value: int):
    def wsgi(environ, start_response):
        sock = environ.get("gunicorn.socket")
        if sock is not None:
            with contextlib.suppress(OSError):
                sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, value)
        return app(environ, start_response)

    return wsgi


def _run_gunicorn(host: str, port: int, load_app, announce, no_delay: bool) -> None:
    from gunicorn.app.base import BaseApplication

    class Application(BaseApplication):
        def load_config(self) -> None:
            settings = {
                "bind": f"{host}:{port}",
                "workers": 1,  # in-process rooms and presence: one process, or several with Redis
                "worker_class": "gthread",
                "threads": THREADS,
                "worker_connections": THREADS + 100,
                "backlog": 2048,
                "timeout": 60,
                "graceful_timeout": 5,  # open WebSockets never finish by themselves
                "keepalive": 5,
                "accesslog": None,
                "post_fork": _die_with_parent,
            }
            # gunicorn 24+ opens a control socket at one fixed path: two servers would share it.
            settings["control_socket_disable"] = True
            for name, value in settings.items():
                if name in self.cfg.settings:
                    self.cfg.set(name, value)

        def load(self):
            app = load_app()  # in the worker, after the fork: its own threads and connections
            announce(f"Serving on http://{host}:{port} with {describe('threading')}  (Ctrl+C to stop)")
            # gunicorn sets TCP_NODELAY on its listening socket and Linux hands it to each accepted
            # one; this wrapper sets it again (or clears it, to measure what it is worth).
            return _socket_option(app, 1 if no_delay else 0)

    Application().run()
