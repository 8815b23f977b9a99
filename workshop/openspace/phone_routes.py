"""The phone's Open Space forms (propose a topic, the law of two feet), on the phone's blueprint
(``participant``), for phones without JavaScript."""

from __future__ import annotations

import uuid

from flask import flash, redirect, request, url_for
from flask_babel import gettext as _

from workshop import clock
from workshop.domain.errors import WorkshopError
from workshop.domain.openspace import TOPIC_DESCRIPTION_MAX, TOPIC_TITLE_MAX
from workshop.extensions import db
from workshop.live import participants as participant_service
from workshop.live.phone_routes import bp, render_page, reusable_id
from workshop.messages import describe
from workshop.openspace import writes as openspace
from workshop.realtime.broadcast import publish
from workshop.validation import Field, validate
from workshop.web.common import load_workshop, new_participant_allowed, remember, session_value

TOPIC_FORM = (
    Field("id", kind="uuid", required=True),
    Field("title", max_length=TOPIC_TITLE_MAX),
    Field("description", max_length=TOPIC_DESCRIPTION_MAX),
    Field("convener", max_length=participant_service.NAME_MAX_LENGTH),
)


ATTEND_FORM = (Field("topic", kind="uuid"),)


@bp.post("/j/<code>/topics")
def propose_topic(code: str):
    """A topic for the current Open Space block; the phone (made if new) convenes it."""
    workshop = load_workshop(code)
    form = request.form.to_dict()
    kept = {
        key: form.get(key, "")[: limit * 4]
        for key, limit in (("title", TOPIC_TITLE_MAX), ("description", TOPIC_DESCRIPTION_MAX), ("convener", 60))
    }
    try:
        data = validate(form, TOPIC_FORM)
        if data["title"] is None:
            raise WorkshopError("empty_title")
        now = clock.now()
        participant = participant_service.join(
            workshop, now, token=session_value("participants", workshop.code), may_create=new_participant_allowed
        )
        topic, broadcasts = openspace.propose(
            workshop,
            data["id"],
            data["title"],
            now,
            convener=participant,
            convener_name=data["convener"] or participant.name,
            description=data["description"],
        )
        db.session.commit()
    except WorkshopError as error:
        db.session.rollback()
        topic_id = reusable_id(form.get("id")) if error.code != "topic_id_taken" else None
        return render_page(
            workshop,
            400,
            error=describe(error),
            form_seats=False,
            topic_form=kept | {"id": topic_id or str(uuid.uuid4())},
        )
    remember("participants", workshop.code, participant.token)
    publish(broadcasts)
    flash(_("Your topic “%(title)s” is on the marketplace.", title=topic.title), "success")
    return redirect(url_for("participant.page", code=workshop.code), 303)


@bp.post("/j/<code>/attend")
def attend(code: str):
    """The session the phone is in now (law of two feet); an empty topic leaves the session."""
    workshop = load_workshop(code)
    try:
        topic_id = validate(request.form.to_dict(), ATTEND_FORM)["topic"]
        now = clock.now()
        participant = participant_service.join(
            workshop, now, token=session_value("participants", workshop.code), may_create=new_participant_allowed
        )
        broadcasts = openspace.attend(workshop, participant, topic_id, now)
        title = openspace.find_topic(workshop, topic_id).title if topic_id is not None else None
        db.session.commit()
    except WorkshopError as error:
        db.session.rollback()
        return render_page(workshop, 400, error=describe(error), form_seats=False)
    remember("participants", workshop.code, participant.token)
    publish(broadcasts)
    if title is not None:
        flash(_("You are in “%(title)s”.", title=title), "success")
    else:
        flash(_("You left the session."), "success")
    return redirect(url_for("participant.page", code=workshop.code), 303)
