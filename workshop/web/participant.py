"""The phone page (``/j/CODE``) and its plain forms, so a phone without JavaScript still takes part."""
from __future__ import annotations

import uuid

from flask import Blueprint, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _

from .. import clock
from ..domain.errors import WorkshopError
from ..domain.notes import COLORS, NOTE_MAX_LENGTH
from ..extensions import db
from ..messages import describe
from ..models import Participant, Workshop
from ..realtime.broadcast import publish
from ..services import pages
from ..services import participants as participant_service
from ..services.agenda import current_block, current_round, table_themes
from ..validation import Field, validate
from .common import load_workshop, remember, session_value

bp = Blueprint("participant", __name__)

JOIN_FORM = (
    Field("name", max_length=participant_service.NAME_MAX_LENGTH),
    Field("table", kind="int", max_value=999),
    Field("sector", max_length=64),
)
NOTE_FORM = (
    Field("id", kind="uuid", required=True),
    Field("text", kind="text", required=True, max_length=NOTE_MAX_LENGTH),
    Field("table", kind="int", max_value=999),
    Field("color", kind="choice", choices=COLORS),
)


def _participant(workshop: Workshop) -> Participant | None:
    return participant_service.find_participant(workshop, session_value("participants", workshop.code))


def _known_table(workshop: Workshop, raw: str) -> int | None:
    """A table number of this workshop (``?table=N`` of a table card, or the form's), else None."""
    return int(raw) if raw.isdigit() and int(raw) in table_themes(workshop) else None


def _strings() -> dict:
    """What participant.js says, translated here."""
    return {
        "waiting": _("Waiting to be sent…"),
        "sent": _("Sent"),
        "failed": _("Not posted"),
        "writeAgain": _("Write it again"),
        "offline": _("Offline: your notes are kept on this phone and sent when the connection comes back."),
        "timeUp": _("Time is up"),
        "minutesLeft": _("%(minutes)s min left"),
        "notStarted": _("The round has not started yet."),
        "closed": _("This round is closed."),
        "noRound": _("Waiting for the facilitator to start a round."),
        "table": _("Table %(number)s"),
        "noTable": _("No table chosen yet"),
        "saved": _("Saved."),
        "posted": _("Your note is posted."),
        "queued": _("Your note is kept on this phone and will be sent as soon as possible."),
        "count": _("%(count)s / %(max)s characters"),
        "tooLong": _("%(count)s / %(max)s characters: too long"),
    }


def render_page(workshop: Workshop, status: int = 200, error: str | None = None, text: str = "",
                color: str | None = None, note_id: str | None = None):
    g.page_url = url_for("participant.page", code=workshop.code)
    now = clock.now()
    participant = _participant(workshop)
    block = current_block(workshop)
    round_ = current_round(workshop)
    source = request.args if request.method == "GET" else request.form
    wanted = _known_table(workshop, source.get("table", ""))
    table = wanted if wanted is not None else (participant.table_number if participant else None)
    themes = table_themes(workshop)
    context = {
        "workshop": workshop,
        "block": block,
        "round": round_,
        "seconds_left": pages.seconds_left(round_, now),
        "ends_at": clock.iso(round_.ends_at) if round_ is not None and round_.status == "running" else None,
        "tables": block.tables if block is not None else [],
        "participant": participant,
        "table": table,
        "theme": themes.get(table) if table is not None else None,
        # A table chosen by the URL goes with the note, so the first note also seats the phone.
        "form_table": wanted if wanted is not None and block is not None and block.tables else None,
        "query_table": wanted if request.method == "GET" else None,
        "notes": pages.own_notes(workshop, participant),
        "note_id": note_id or str(uuid.uuid4()),
        "text": text,
        "color": color or "yellow",
        "error": error,
        "max_length": NOTE_MAX_LENGTH,
        "now": clock.iso(now),
        "strings": _strings(),
    }
    return render_template("participant.html", **context), status


def _reusable_id(raw: object) -> str | None:
    try:
        return str(uuid.UUID(raw)) if isinstance(raw, str) and len(raw) <= 64 else None
    except ValueError:
        return None


@bp.get("/j/<code>")
def page(code: str):
    return render_page(load_workshop(code))


@bp.post("/j/<code>/join")
def join(code: str):
    workshop = load_workshop(code)
    try:
        data = validate(request.form.to_dict(), JOIN_FORM)
        participant = participant_service.join(
            workshop,
            clock.now(),
            token=session_value("participants", workshop.code),
            name=data["name"],
            sector=data["sector"],
            table=data["table"],
        )
        db.session.commit()
    except WorkshopError as error:
        db.session.rollback()
        return render_page(workshop, 400, error=describe(error))
    remember("participants", workshop.code, participant.token)
    flash(_("Saved."), "success")
    return redirect(url_for("participant.page", code=workshop.code), 303)


@bp.post("/j/<code>/notes")
def post_note(code: str):
    workshop = load_workshop(code)
    form = request.form.to_dict()
    text = form.get("text", "")[: NOTE_MAX_LENGTH * 4]
    color = form.get("color") if form.get("color") in COLORS else None
    try:
        data = validate(form, NOTE_FORM)
        participant, _note, broadcasts = pages.post_from_form(
            workshop,
            session_value("participants", workshop.code),
            data["id"],
            data["text"],
            clock.now(),
            table=data["table"],
            color=data["color"],
        )
        db.session.commit()
    except WorkshopError as error:
        db.session.rollback()
        # The typed text stays in the box, with the same id: nothing was stored.
        note_id = _reusable_id(form.get("id")) if error.code != "note_id_taken" else None
        return render_page(workshop, 400, error=describe(error), text=text, color=color, note_id=note_id)
    remember("participants", workshop.code, participant.token)
    publish(broadcasts)
    flash(_("Your note is posted."), "success")
    return redirect(url_for("participant.page", code=workshop.code), 303)
