"""The facilitator's console and its plain forms (the same actions as the Socket.IO events)."""
from __future__ import annotations

from flask import Blueprint, flash, g, make_response, redirect, render_template, request, url_for
from flask_babel import gettext as _

from .. import clock
from ..domain import rounds as rules
from ..domain.errors import WorkshopError
from ..extensions import db
from ..messages import describe
from ..models import Workshop
from ..realtime.broadcast import publish
from ..realtime.presence import presence
from ..services import notes as note_service
from ..services import pages
from ..services import rounds as round_service
from ..services.agenda import current_block, current_round
from ..services.workshops import key_role
from ..validation import Field, validate
from .board import columns
from .common import facilitator_key, join_url, join_url_shown, load_workshop, remember

bp = Blueprint("facilitate", __name__)

NOTE_REF = (Field("note", kind="uuid", required=True),)


def _strings() -> dict:
    return {
        "timeUp": _("Time is up"),
        "noRound": _("No round started in this block yet."),
        "table": _("Table %(number)s"),
        "notes": _("Notes"),
        "noTable": _("No table"),
        "hide": _("Hide"),
        "show": _("Show again"),
        "phones": _("%(count)s phones connected"),
        "phone": _("1 phone connected"),
        "noPhone": _("No phone connected yet"),
        "anonymous": _("%(count)s without a name"),
        "nobody": _("nobody"),
        "offline": _("Connection lost: reconnecting…"),
        "done": _("Done."),
        "empty": _("No note in this round yet."),
        "status": {"pending": _("Not started"), "running": _("Running"), "closed": _("Closed")},
    }


def render_console(workshop: Workshop, key: str, status: int = 200, error: str | None = None):
    g.page_url = url_for("facilitate.console", code=workshop.code)
    now = clock.now()
    block = current_block(workshop)
    round_ = current_round(workshop)
    notes = pages.round_notes(workshop, round_, include_hidden=True)
    body = render_template(
        "facilitate.html",
        workshop=workshop,
        key=key,
        block=block,
        round=round_,
        seconds_left=pages.seconds_left(round_, now),
        ends_at=clock.iso(round_.ends_at) if round_ is not None and round_.status == "running" else None,
        next_round=pages.next_round(workshop),
        next_block=pages.next_block(workshop),
        columns=columns(block, notes),
        presence=presence.summary(workshop.code),
        now=clock.iso(now),
        join_url=join_url(workshop),
        join_url_shown=join_url_shown(workshop),
        error=error,
        strings=_strings(),
        extend_minutes=rules.EXTEND_MINUTES,
    )
    return no_store(body, status)


def no_store(body: str, status: int):
    response = make_response(body, status)
    # The page carries the key: never kept by a shared cache or the back button of another person.
    response.headers["Cache-Control"] = "no-store"
    response.headers["Referrer-Policy"] = "same-origin"
    return response


def key_form(workshop: Workshop, error: str | None = None):
    g.page_url = url_for("facilitate.console", code=workshop.code)
    return no_store(render_template("facilitate_key.html", workshop=workshop, error=error), 403)


@bp.get("/w/<code>/facilitate")
def console(code: str):
    workshop = load_workshop(code)
    if "key" in request.args:
        given = request.args["key"]
        if key_role(workshop, given) != "facilitator":
            return key_form(workshop, describe(WorkshopError("wrong_key")))
        remember("keys", workshop.code, given)
        # The key leaves the address bar (and the browser history) at once.
        lang = request.args.get("lang")
        return redirect(url_for("facilitate.console", code=workshop.code, lang=lang), 302)
    key = facilitator_key(workshop)
    if key is None:
        return key_form(workshop)
    return render_console(workshop, key)


@bp.post("/w/<code>/facilitate")
def enter_key(code: str):
    workshop = load_workshop(code)
    given = request.form.get("key", "").strip()
    if key_role(workshop, given) != "facilitator":
        return key_form(workshop, describe(WorkshopError("wrong_key")))
    remember("keys", workshop.code, given)
    return redirect(url_for("facilitate.console", code=workshop.code), 303)


def _act(code: str, action):
    """Runs one console action for a facilitator of the session: commit, broadcast, back to the console."""
    workshop = load_workshop(code)
    key = facilitator_key(workshop)
    if key is None:
        return key_form(workshop)
    try:
        broadcasts = action(workshop)
        db.session.commit()
    except WorkshopError as error:
        db.session.rollback()
        return render_console(workshop, key, 400, describe(error))
    publish(broadcasts)
    flash(_("Done."), "success")
    return redirect(url_for("facilitate.console", code=workshop.code), 303)


@bp.post("/w/<code>/rounds/<int:round_id>/start")
def start_round(code: str, round_id: int):
    return _act(code, lambda w: round_service.start_round(w, round_id, clock.now()))


@bp.post("/w/<code>/rounds/<int:round_id>/extend")
def extend_round(code: str, round_id: int):
    return _act(code, lambda w: round_service.extend_round(w, round_id, clock.now(), rules.EXTEND_MINUTES))


@bp.post("/w/<code>/rounds/<int:round_id>/close")
def close_round(code: str, round_id: int):
    return _act(code, lambda w: round_service.close_round(w, round_id, clock.now()))


@bp.post("/w/<code>/blocks/next")
def next_block(code: str):
    return _act(code, lambda w: round_service.next_block(w, clock.now()))


@bp.post("/w/<code>/blocks/<int:block_id>/select")
def select_block(code: str, block_id: int):
    return _act(code, lambda w: round_service.set_current_block(w, block_id, clock.now()))


def _note_action(hidden: bool):
    def action(workshop: Workshop):
        note_id = validate({"note": request.view_args["note_id"]}, NOTE_REF)["note"]
        return note_service.set_hidden(workshop, note_id, hidden)

    return action


@bp.post("/w/<code>/notes/<note_id>/hide")
def hide_note(code: str, note_id: str):
    return _act(code, _note_action(True))


@bp.post("/w/<code>/notes/<note_id>/show")
def show_note(code: str, note_id: str):
    return _act(code, _note_action(False))
