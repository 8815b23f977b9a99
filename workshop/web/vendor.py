"""Front-end libraries installed by npm, served from ``node_modules`` (no build step)."""

from __future__ import annotations

from flask import Blueprint, abort, current_app, send_from_directory

bp = Blueprint("vendor", __name__)

# Only these files leave node_modules.
ASSETS = {
    "socket.io.min.js": "socket.io-client/dist",
    "socket.io.min.js.map": "socket.io-client/dist",
}


@bp.get("/vendor/<name>")
def asset(name: str):
    folder = ASSETS.get(name)
    if folder is None:
        abort(404)
    return send_from_directory(current_app.config["WORKSHOP_NODE_MODULES"] / folder, name, max_age=3600)
