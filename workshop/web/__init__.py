"""HTTP blueprints: pages and form fallbacks, thin over the services."""

from __future__ import annotations

from flask import Flask, render_template, request


def register_blueprints(app: Flask) -> None:
    from . import board, cards, common, design, facilitate, health, home, participant, photos, results, seating, vendor

    for module in (health, home, participant, board, facilitate, design, cards, results, photos, seating, vendor):
        app.register_blueprint(module.bp)
    common.init_app(app)
    for status in (400, 403, 404, 405):
        app.register_error_handler(status, _error_page)


def _error_page(error):
    if request.path == "/healthz" or request.path.startswith("/vendor/"):
        return error  # plain answers for machines
    return render_template(f"errors/{error.code}.html", error=error), error.code
