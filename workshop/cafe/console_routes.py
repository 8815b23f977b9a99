"""The console's World Café actions as plain forms (hosts, moves, the harvest) and the printed rotation plan,
on the console's blueprint (``facilitate``)."""

from __future__ import annotations

from flask import abort, g, redirect, render_template, request, url_for
from flask_babel import lazy_gettext as _l

from workshop import clock
from workshop.cafe import pages as cafe_pages
from workshop.cafe import seating
from workshop.cafe import writes as cafe
from workshop.domain import rounds as rules
from workshop.domain.errors import WorkshopError
from workshop.domain.notes import NOTE_MAX_LENGTH
from workshop.extensions import db
from workshop.live import flow
from workshop.live.console_routes import act, ask, bp, confirmed, key_form, no_store, person_label
from workshop.messages import describe
from workshop.models import Workshop
from workshop.realtime.broadcast import publish
from workshop.validation import Field, validate
from workshop.web.common import (
    facilitator_key,
    load_workshop,
    presented_key_role,
    remember,
)

HOST_FORM = (Field("participant", kind="int"),)


MOVE_FORM = (Field("table", kind="int", required=True, max_value=999),)


HARVEST_FORM = (
    Field("id", kind="uuid", required=True),
    Field("text", kind="text", required=True, max_length=NOTE_MAX_LENGTH),
    Field("table", kind="int", required=True, max_value=999),
)


@bp.post("/w/<code>/tables/<int:number>/host")
def assign_host(code: str, number: int):
    def action(workshop: Workshop):
        participant = validate(request.form.to_dict(), HOST_FORM)["participant"]
        return cafe.assign_host(workshop, number, participant, clock.now())

    return act(code, action)


@bp.post("/w/<code>/seats/free")
def free_seats(code: str):
    """Frees the seats held by absent phones (World Café): they count for nobody."""
    return act(code, lambda w: cafe.free_absent_seats(w, clock.now())[1])


@bp.post("/w/<code>/participants/<int:participant_id>/move")
def move_person(code: str, participant_id: int):
    def action(workshop: Workshop):
        table = validate(request.form.to_dict(), MOVE_FORM)["table"]
        return cafe.move_person(workshop, participant_id, table, clock.now())

    return act(code, action)


@bp.post("/w/<code>/participants/<int:participant_id>/leave")
def leave(code: str, participant_id: int):
    """Someone left the workshop: out of the coming rounds' plan (the no-JS twin of participant:leave)."""
    return act(code, lambda w: seating.depart(w, cafe.find_participant_by_id(w, participant_id), clock.now()))


@bp.post("/w/<code>/blocks/<int:block_id>/harvest/open")
def open_harvest(code: str, block_id: int):
    if not confirmed():
        question = _l(
            "Open the harvest now? It closes the running round; you can cancel it for %(seconds)s seconds.",
            seconds=rules.UNDO_SECONDS,
        )
        return ask(
            code,
            question,
            _l("Yes, open the harvest"),
            url_for("facilitate.open_harvest", code=code, block_id=block_id),
        )
    return act(code, lambda w: flow.open_harvest(w, block_id, clock.now()))


@bp.post("/w/<code>/blocks/<int:block_id>/harvest/cancel")
def cancel_harvest(code: str, block_id: int):
    return act(code, lambda w: flow.cancel_harvest(w, block_id, clock.now()))


@bp.post("/w/<code>/blocks/<int:block_id>/harvest/close")
def close_harvest(code: str, block_id: int):
    return act(code, lambda w: cafe.close_harvest(w, block_id))


@bp.post("/w/<code>/harvest")
def post_harvest(code: str):
    def action(workshop: Workshop):
        data = validate(request.form.to_dict(), HARVEST_FORM)
        _note, broadcasts = cafe.post_harvest(workshop, data["id"], data["text"], clock.now(), table=data["table"])
        return broadcasts

    return act(code, action)


def fresh_plan(workshop: Workshop, block) -> list:
    """The stored plan, planned again first (and committed) only if the people changed since."""
    broadcasts = []
    if seating.is_cafe(block):
        being_seated = seating.round_being_seated(block)
        broadcasts = seating.ensure_plan(workshop, block, clock.now(), keep=being_seated)
        db.session.commit()
    return broadcasts


@bp.get("/w/<code>/blocks/<int:block_id>/plan")
def rotation_plan(code: str, block_id: int):
    """The seating of every round of a World Café block, to print (facilitator key needed)."""
    workshop = load_workshop(code)
    if "key" in request.args:
        given = request.args["key"]
        if presented_key_role(workshop, given) != "facilitator":
            return key_form(workshop, describe(WorkshopError("wrong_key")))
        remember("keys", workshop.code, given)
        # As the console: the key leaves the address bar (and the printed page's footer) at once.
        return redirect(
            url_for("facilitate.rotation_plan", code=workshop.code, block_id=block_id, lang=request.args.get("lang")),
            302,
        )
    if facilitator_key(workshop) is None:
        return key_form(workshop)
    block = cafe_pages.find_world_cafe_block(workshop, block_id)
    if block is None:
        abort(404)
    g.page_url = url_for("facilitate.rotation_plan", code=workshop.code, block_id=block.id)
    numbers = cafe_pages.participant_numbers(workshop)
    try:
        broadcasts = fresh_plan(workshop, block)
    except WorkshopError as refused:  # more people than seats: the message says what to change
        db.session.rollback()
        block = cafe_pages.find_world_cafe_block(workshop, block_id)
        plan, error = [], describe(refused)
    else:
        plan, error = cafe_pages.rotation_plan(workshop, block), None
        publish(broadcasts)
    body = render_template(
        "cafe/plan.html",
        workshop=workshop,
        block=block,
        plan=plan,
        error=error,
        people=len(seating.expected(workshop, block)),
        label=lambda p: person_label(p, numbers),
    )
    return no_store(body, 200)
