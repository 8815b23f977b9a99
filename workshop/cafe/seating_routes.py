"""The roster and what is printed from the stored plan: passports, name badges; re-planning.

Every page here needs the facilitator key (``?key=`` once, then the session): the passports carry
each attendee's personal join code.
"""

from __future__ import annotations

import re

from flask import Blueprint, abort, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from markupsafe import Markup

from workshop import clock
from workshop.agenda.workshops import key_role
from workshop.cafe import pages as cafe_pages
from workshop.cafe import roster as roster_service
from workshop.cafe import seating
from workshop.cafe.cards_routes import qr_svg
from workshop.domain import roster as roster_rules
from workshop.domain.errors import WorkshopError
from workshop.extensions import db
from workshop.live.console_routes import key_form, no_store, person_label
from workshop.messages import describe
from workshop.realtime.broadcast import publish
from workshop.web.common import base_url, facilitator_key, load_workshop, remember

bp = Blueprint("seating", __name__)

PASTE_MAX = roster_rules.MAX_BYTES


def _facilitator(code: str):
    """The workshop, and None when the facilitator key is there (else the key form to answer)."""
    workshop = load_workshop(code)
    given = request.args.get("key")
    if facilitator_key(workshop) is None:
        if key_role(workshop, given) != "facilitator":
            return workshop, key_form(workshop)
        remember("keys", workshop.code, given)
    return workshop, None


def _render_roster(workshop, status: int = 200, result=None, error: str | None = None, pasted: str = ""):
    g.page_url = url_for("seating.roster", code=workshop.code)
    numbers = cafe_pages.participant_numbers(workshop)
    people = roster_service.roster_people(workshop)
    blocks = roster_service.cafe_blocks(workshop)
    hosts = {t.host_id: t.number for b in blocks for t in b.tables if t.host_id is not None}
    sectors = {s["id"]: s.get("name") or s["id"] for s in workshop.sectors or []}
    body = render_template(
        "cafe/roster.html",
        workshop=workshop,
        people=people,
        hosts=hosts,
        sectors=sectors,
        blocks=blocks,
        result=result,
        row_errors=[(e.line, describe(WorkshopError(e.code, **e.params))) for e in result.errors] if result else [],
        error=error,
        pasted=pasted,
        label=lambda p: person_label(p, numbers),
        paste_max=PASTE_MAX,
    )
    return no_store(body, status)


@bp.get("/w/<code>/roster")
def roster(code: str):
    workshop, refused = _facilitator(code)
    if refused is not None:
        return refused
    if "key" in request.args:  # the key leaves the address bar
        return redirect(url_for("seating.roster", code=workshop.code), 302)
    return _render_roster(workshop)


@bp.post("/w/<code>/roster")
def import_roster(code: str):
    workshop, refused = _facilitator(code)
    if refused is not None:
        return refused
    upload = request.files.get("file")
    data = upload.stream.read(PASTE_MAX + 1) if upload is not None and upload.filename else b""
    pasted = request.form.get("csv", "")[: PASTE_MAX + 1]
    if not data and pasted.strip():
        data = pasted.encode("utf-8")
    try:
        if not data:
            raise WorkshopError("roster_missing")
        result, broadcasts = roster_service.import_roster(workshop, data, clock.now())
        db.session.commit()
    except WorkshopError as error:
        db.session.rollback()
        return _render_roster(workshop, 400, error=describe(error), pasted=pasted[:PASTE_MAX])
    publish(broadcasts)
    return _render_roster(
        workshop, 400 if result.errors and not (result.added or result.updated) else 200, result=result
    )


@bp.post("/w/<code>/blocks/<int:block_id>/replan")
def replan(code: str, block_id: int):
    """The facilitator asks: the block's pending rounds are planned again (the rounds held stay)."""
    workshop, refused = _facilitator(code)
    if refused is not None:
        return refused
    block = cafe_pages.find_world_cafe_block(workshop, block_id)
    if block is None:
        abort(404)
    try:
        broadcasts = seating.ensure_plan(workshop, block, clock.now(), keep=_told(block), force=True)
        db.session.commit()
    except WorkshopError as error:
        db.session.rollback()
        flash(describe(error), "error")
    else:
        publish(broadcasts)
        flash(_("Plan updated."), "success")
    back = request.form.get("back", "")
    target = {
        "plan": url_for("facilitate.rotation_plan", code=workshop.code, block_id=block.id),
        "roster": url_for("seating.roster", code=workshop.code),
    }.get(back, url_for("facilitate.console", code=workshop.code))
    return redirect(target, 303)


def _told(block):
    """The pending round whose moves the phones already got (after a round closed), if any."""
    if any(r.status == "running" for r in block.rounds) or not seating.started(block):
        return None
    return seating.round_being_seated(block)


def _fresh_plans(workshop) -> list[seating.PlanView]:
    """Each World Café block's stored plan, planned again first only if the people changed."""
    views, broadcasts = [], []
    for block in roster_service.cafe_blocks(workshop):
        if seating.is_cafe(block):
            try:
                broadcasts += seating.ensure_plan(workshop, block, clock.now(), keep=seating.round_being_seated(block))
            except WorkshopError:
                db.session.rollback()
                continue
        views.append(seating.plan_view(workshop, block))
    db.session.commit()
    publish(broadcasts)
    return views


def passport_url(workshop, participant) -> str:
    return base_url() + url_for("participant.passport", code=workshop.code, token=participant.token)


def inline_qr(data: str) -> Markup:
    svg = qr_svg(data).decode("utf-8")
    svg = re.sub(r"^<\?xml[^>]*>\s*", "", svg)
    return Markup(svg.replace("<svg ", '<svg class="passport__qr" aria-hidden="true" focusable="false" ', 1))


@bp.get("/w/<code>/passports")
def passports(code: str):
    """One card per attendee: their table in each round of each World Café block, and a QR code
    that joins as them on any phone."""
    workshop, refused = _facilitator(code)
    if refused is not None:
        return refused
    g.page_url = url_for("seating.passports", code=workshop.code)
    views = _fresh_plans(workshop)
    only_roster = request.args.get("who") != "all"
    people = [
        p
        for p in sorted(workshop.participants, key=lambda p: ((p.name or "").casefold(), p.id))
        if p.on_roster or not only_roster
    ]
    numbers = cafe_pages.participant_numbers(workshop)
    cards = []
    for person in people:
        blocks = []
        for view in views:
            hosted = next((t.number for t in view.block.tables if t.host_id == person.id), None)
            blocks.append({"block": view.block, "tables": view.table_of(person.id), "hosted": hosted})
        cards.append(
            {
                "person": person,
                "label": person_label(person, numbers),
                "blocks": blocks,
                "url": passport_url(workshop, person),
                "qr": inline_qr(passport_url(workshop, person)),
            }
        )
    sectors = {s["id"]: s.get("name") or s["id"] for s in workshop.sectors or []}
    return no_store(
        render_template(
            "cafe/passports.html", workshop=workshop, cards=cards, views=views, sectors=sectors, only_roster=only_roster
        ),
        200,
    )


@bp.get("/w/<code>/badges")
def badges(code: str):
    """Name badges: the name and the sector, big; no QR code (a badge is seen by everyone)."""
    workshop, refused = _facilitator(code)
    if refused is not None:
        return refused
    g.page_url = url_for("seating.badges", code=workshop.code)
    people = sorted(roster_service.roster_people(workshop), key=lambda p: ((p.name or "").casefold(), p.id))
    sectors = {s["id"]: s.get("name") or s["id"] for s in workshop.sectors or []}
    return no_store(render_template("cafe/badges.html", workshop=workshop, people=people, sectors=sectors), 200)
