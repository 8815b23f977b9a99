"""The phone's World Café forms (host a table, sit at one, post a key idea), on the phone's blueprint
(``participant``), for phones without JavaScript."""

from __future__ import annotations

from flask import flash, redirect, request, url_for
from flask_babel import gettext as _

from workshop import clock
from workshop.cafe import writes as cafe
from workshop.domain.errors import WorkshopError
from workshop.domain.notes import NOTE_MAX_LENGTH
from workshop.extensions import db
from workshop.live import participants as participant_service
from workshop.live.phone_routes import arrive_at, bp, render_page, reusable_id, session_participant
from workshop.messages import describe
from workshop.realtime.broadcast import publish
from workshop.validation import Field, validate
from workshop.web.common import load_workshop, new_participant_allowed, remember, session_value

TABLE_FORM = (Field("table", kind="int", required=True, max_value=999),)
HARVEST_FORM = (
    Field("id", kind="uuid", required=True),
    Field("text", kind="text", required=True, max_length=NOTE_MAX_LENGTH),
)


def _seat_form(code: str, action, message: str):
    """The host and arrival forms: the phone (made if new) sits at the form's table, then back."""
    workshop = load_workshop(code)
    try:
        table = validate(request.form.to_dict(), TABLE_FORM)["table"]
        now = clock.now()
        participant = participant_service.join(
            workshop, now, token=session_value("participants", workshop.code), may_create=new_participant_allowed
        )
        broadcasts = action(workshop, participant, table, now)
        db.session.commit()
    except WorkshopError as error:
        db.session.rollback()
        return render_page(workshop, 400, error=describe(error), form_seats=False)
    remember("participants", workshop.code, participant.token)
    publish(broadcasts)
    flash(message % {"number": table}, "success")
    return redirect(url_for("participant.page", code=workshop.code), 303)


@bp.post("/j/<code>/host")
def host(code: str):
    return _seat_form(code, cafe.host_table, _("You host table %(number)s. Stay there for every round."))


@bp.post("/j/<code>/arrive")
def arrive(code: str):
    return _seat_form(code, arrive_at, _("You are at table %(number)s."))


@bp.post("/j/<code>/harvest")
def post_harvest(code: str):
    """A key idea of the host's table, by the plain form (the same id sent twice is stored once)."""
    workshop = load_workshop(code)
    form = request.form.to_dict()
    text = form.get("text", "")[: NOTE_MAX_LENGTH * 4]
    try:
        data = validate(form, HARVEST_FORM)
        participant = session_participant(workshop)
        if participant is None:
            raise WorkshopError("not_host")  # without a phone of its own, nobody hosts
        _note, broadcasts = cafe.post_harvest(workshop, data["id"], data["text"], clock.now(), author=participant)
        db.session.commit()
    except WorkshopError as error:
        db.session.rollback()
        harvest_id = reusable_id(form.get("id")) if error.code != "note_id_taken" else None
        return render_page(
            workshop, 400, error=describe(error), harvest_text=text, harvest_id=harvest_id, form_seats=False
        )
    publish(broadcasts)
    flash(_("Your key idea is posted."), "success")
    return redirect(url_for("participant.page", code=workshop.code), 303)
