"""The baseline of bench/load.py: a bare Flask-SocketIO app on the same server and async mode as
``workshop serve`` (workshop/serving.py). It speaks the few events the load generator sends:
``join`` puts the socket in the workshop's room (and the board's), ``note:post`` emits the note to
the board's room and acknowledges it, ``round:start`` emits to everyone. Nothing is stored.

    WORKSHOP_ASYNC_MODE=gevent .venv/bin/python bench/bare_server.py --port 5100
    ... --queue redis://127.0.0.1:6379/0 --channel bench   (several processes, WebSocket only)
    ... --no-nodelay   (Nagle's algorithm left on: what TCP_NODELAY is worth)
"""

import os

# As in `workshop serve`: with gevent, the patch comes before every other import.
MODE = os.environ.get("WORKSHOP_ASYNC_MODE") or "gevent"
if MODE == "gevent":
    from gevent import monkey

    monkey.patch_all()

import argparse  # noqa: E402
import secrets  # noqa: E402
import sys  # noqa: E402
from pathlib import Path  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from flask import Flask, request  # noqa: E402
from flask_socketio import SocketIO, emit, join_room  # noqa: E402

from workshop import serving  # noqa: E402


def make_app(queue: str | None, channel: str) -> Flask:
    app = Flask(__name__)
    socketio = SocketIO(
        app,
        async_mode=serving.socketio_async_mode(),
        message_queue=queue,
        channel=channel,
        transports=["websocket"] if queue else ["polling", "websocket"],
        cors_allowed_origins=[],
        logger=False,
        engineio_logger=False,
    )
    rooms: dict[str, str] = {}

    @app.get("/healthz")
    def healthz():
        return {"ok": True}

    @socketio.on("join")
    def on_join(data):
        code = str(data.get("code"))
        join_room(f"{code}:all")
        if data.get("role") in ("board", "facilitator"):
            join_room(f"{code}:board")
        rooms[request.sid] = code
        return {"ok": True, "participant": secrets.token_urlsafe(24), "state": {}}

    @socketio.on("note:post")
    def on_note_post(data):
        note = {"id": data.get("id"), "text": data.get("text")}
        emit("note:added", {"note": note}, to=f"{rooms.get(request.sid)}:board")
        return {"ok": True, "note": note}

    @socketio.on("round:start")
    def on_round_start(data):
        emit("round:started", {"round": data.get("round")}, to=f"{rooms.get(request.sid)}:all")
        return {"ok": True, "round": {"id": data.get("round")}}

    @socketio.on("disconnect")
    def on_disconnect(reason=None):
        rooms.pop(request.sid, None)

    return app


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--queue", default=None)
    parser.add_argument("--channel", default="bench-bare")
    parser.add_argument("--no-nodelay", action="store_true")
    args = parser.parse_args()
    serving.run(
        MODE,
        args.host,
        args.port,
        lambda: make_app(args.queue, args.channel),
        announce=lambda line: print(line, flush=True),
        no_delay=not args.no_nodelay,
    )


if __name__ == "__main__":
    main()
