"""QR codes of the join address and the printable table cards."""

from __future__ import annotations

import qrcode
import qrcode.image.svg
from flask import Blueprint, Response, abort, g, redirect, render_template, request, url_for

from workshop.agenda.read import table_themes
from workshop.openspace.pages import spaces_of
from workshop.web.common import facilitator_key, join_url, join_url_shown, load_workshop, presented_key_role, remember

bp = Blueprint("cards", __name__)

QR_MAX_AGE = 3600


def qr_svg(data: str) -> bytes:
    # Medium error correction survives a folded or smudged card.
    code = qrcode.QRCode(
        error_correction=qrcode.constants.ERROR_CORRECT_M, border=4, image_factory=qrcode.image.svg.SvgPathImage
    )
    code.add_data(data)
    code.make(fit=True)
    return code.make_image().to_string(encoding="unicode").encode("utf-8")


def _table(workshop) -> int | None:
    """``?table=N``: None when absent, 404 when not a table of this workshop."""
    raw = request.args.get("table")
    if raw is None or raw == "":
        return None
    if not raw.isdigit() or int(raw) not in table_themes(workshop):
        abort(404)
    return int(raw)


def _space(workshop) -> str | None:
    """``?space=ID``: None when absent, 404 when not a space of this workshop's Open Space walls."""
    raw = request.args.get("space")
    if raw is None or raw == "":
        return None
    if raw not in {s["id"] for s in spaces_of(workshop)}:
        abort(404)
    return raw


@bp.get("/w/<code>/qr.svg")
def qr(code: str):
    workshop = load_workshop(code)
    space = _space(workshop)
    target = join_url(workshop, space=space) if space is not None else join_url(workshop, _table(workshop))
    response = Response(qr_svg(target), mimetype="image/svg+xml")
    response.cache_control.public = True
    response.cache_control.max_age = QR_MAX_AGE
    return response


@bp.get("/w/<code>/cards")
def cards(code: str):
    """The printable cards: the facilitator's (docs/protocol.md), with the key like the console."""
    from workshop.domain.errors import WorkshopError
    from workshop.live.console_routes import key_form, no_store
    from workshop.messages import describe

    workshop = load_workshop(code)
    here = url_for("cards.cards", code=workshop.code)
    if "key" in request.args:
        given = request.args["key"]
        if presented_key_role(workshop, given) != "facilitator":
            return key_form(workshop, describe(WorkshopError("wrong_key")), here)
        remember("keys", workshop.code, given)
        # The key leaves the address bar (and the printed page) at once.
        return redirect(url_for("cards.cards", code=workshop.code, lang=request.args.get("lang")), 302)
    if facilitator_key(workshop) is None:
        return key_form(workshop, here=here)
    g.page_url = here
    tables = [
        {
            "number": number,
            "theme": theme,
            "url": join_url(workshop, number),
            "shown": join_url(workshop, number).split("://", 1)[-1],
            "qr": url_for("cards.qr", code=workshop.code, table=number),
        }
        for number, theme in table_themes(workshop).items()
    ]
    spaces = [
        {
            "id": space["id"],
            "name": space["name"],
            "shown": join_url(workshop, space=space["id"]).split("://", 1)[-1],
            "qr": url_for("cards.qr", code=workshop.code, space=space["id"]),
        }
        for space in spaces_of(workshop)
    ]
    return no_store(
        render_template(
            "cafe/cards.html",
            workshop=workshop,
            tables=tables,
            spaces=spaces,
            join_url=join_url_shown(workshop),
            qr=url_for("cards.qr", code=workshop.code),
        ),
        200,
    )
