"""The console's Open Space actions as plain forms (the marketplace, the wall, actions, the vote), on the
console's blueprint (``facilitate``)."""

from __future__ import annotations

import json

from flask import request

from workshop import clock
from workshop.domain.errors import WorkshopError
from workshop.domain.notes import NOTE_MAX_LENGTH
from workshop.domain.openspace import TOPIC_DESCRIPTION_MAX, TOPIC_TITLE_MAX
from workshop.live.console_routes import act, bp
from workshop.models import Workshop
from workshop.openspace import writes as openspace
from workshop.validation import Field, validate

TOPIC_FORM = (
    Field("id", kind="uuid", required=True),
    Field("title", required=True, max_length=TOPIC_TITLE_MAX),
    Field("description", max_length=TOPIC_DESCRIPTION_MAX),
    Field("convener", max_length=60),
)


TOPIC_RENAME_FORM = (
    Field("title", required=True, max_length=TOPIC_TITLE_MAX),
    Field("description", max_length=TOPIC_DESCRIPTION_MAX),
)


CELL_FORM = (Field("cell", required=True, max_length=300),)


VOTE_FORM = (Field("dots", kind="int", max_value=50), Field("top", kind="int", max_value=100))


ACTION_FORM = (
    Field("id", kind="uuid", required=True),
    Field("text", kind="text", required=True, max_length=NOTE_MAX_LENGTH),
    Field("owner", max_length=openspace.OWNER_MAX_LENGTH),
    Field("due", kind="date"),
)


def _topic_action(action):
    """A topic form: the topic id of the address is checked like an event's."""

    def run(workshop: Workshop):
        topic_id = validate({"topic": request.view_args["topic_id"]}, (Field("topic", kind="uuid", required=True),))[
            "topic"
        ]
        return action(workshop, topic_id)

    return run


@bp.post("/w/<code>/topics")
def propose_topic(code: str):
    def action(workshop: Workshop):
        data = validate(request.form.to_dict(), TOPIC_FORM)
        _topic, broadcasts = openspace.propose(
            workshop,
            data["id"],
            data["title"],
            clock.now(),
            convener_name=data["convener"],
            description=data["description"],
        )
        return broadcasts

    return act(code, action)


@bp.post("/w/<code>/topics/<topic_id>/schedule")
def schedule_topic(code: str, topic_id: str):
    def action(workshop: Workshop, topic: str):
        raw = validate(request.form.to_dict(), CELL_FORM)["cell"]
        try:
            slot, space = json.loads(raw)
        except (ValueError, TypeError):
            raise WorkshopError("wrong_type", field="slot") from None
        if not isinstance(slot, str) or not isinstance(space, str):
            raise WorkshopError("wrong_type", field="slot")
        _topic, broadcasts = openspace.schedule(workshop, topic, slot, space, None)
        return broadcasts

    return act(code, _topic_action(action))


@bp.post("/w/<code>/topics/<topic_id>/unschedule")
def unschedule_topic(code: str, topic_id: str):
    return act(code, _topic_action(lambda w, topic: openspace.unschedule(w, topic, None)))


@bp.post("/w/<code>/topics/<topic_id>/rename")
def rename_topic(code: str, topic_id: str):
    def action(workshop: Workshop, topic: str):
        data = validate(request.form.to_dict(), TOPIC_RENAME_FORM)
        return openspace.rename(workshop, topic, None, data["title"], data["description"] or "")

    return act(code, _topic_action(action))


@bp.post("/w/<code>/topics/<topic_id>/withdraw")
def withdraw_topic(code: str, topic_id: str):
    return act(code, _topic_action(lambda w, topic: openspace.withdraw(w, topic, None, clock.now())))


@bp.post("/w/<code>/topics/<topic_id>/actions")
def post_action(code: str, topic_id: str):
    """An action of the action planning (or of a session's report), by the facilitator."""

    def action(workshop: Workshop, topic: str):
        data = validate(request.form.to_dict(), ACTION_FORM)
        _note, broadcasts = openspace.post_report(
            workshop, data["id"], topic, data["text"], clock.now(), tag="action", owner=data["owner"], due=data["due"]
        )
        return broadcasts

    return act(code, _topic_action(action))


@bp.post("/w/<code>/blocks/<int:block_id>/vote/open")
def open_vote(code: str, block_id: int):
    def action(workshop: Workshop):
        data = validate(request.form.to_dict(), VOTE_FORM)
        return openspace.open_vote(workshop, block_id, data["dots"], data["top"])

    return act(code, action)


@bp.post("/w/<code>/blocks/<int:block_id>/vote/close")
def close_vote(code: str, block_id: int):
    return act(code, lambda w: openspace.close_vote(w, block_id))
