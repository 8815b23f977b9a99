"""HTTP blueprints: pages and form fallbacks, thin over the services."""

from __future__ import annotations

from flask import Flask, render_template, request


def register_blueprints(app: Flask) -> None:
    from workshop.agenda import design_routes as design
    from workshop.agenda import home_routes as home
    from workshop.cafe import cards_routes as cards

    # The feature's routes on the console's, the phone's and the results' blueprints register
    # themselves on import, before the blueprints are registered.
    from workshop.cafe import console_routes as _cafe_console  # noqa: F401
    from workshop.cafe import phone_routes as _cafe_phone  # noqa: F401
    from workshop.cafe import seating_routes as seating
    from workshop.curation import routes as _curation  # noqa: F401
    from workshop.live import board_routes as board
    from workshop.live import console_routes as facilitate
    from workshop.live import phone_routes as participant
    from workshop.openspace import console_routes as _openspace_console  # noqa: F401
    from workshop.openspace import phone_routes as _openspace_phone  # noqa: F401
    from workshop.photos import routes as photos
    from workshop.results import routes as results
    from workshop.web import common, health, vendor

    for module in (health, home, participant, board, facilitate, design, cards, results, photos, seating, vendor):
        app.register_blueprint(module.bp)
    common.init_app(app)
    for status in (400, 403, 404, 405):
        app.register_error_handler(status, _error_page)


def _error_page(error):
    if request.path == "/healthz" or request.path.startswith("/vendor/"):
        return error  # plain answers for machines
    return render_template(f"errors/{error.code}.html", error=error), error.code
