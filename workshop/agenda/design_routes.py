"""The designer (``/w/CODE/design``) and the agenda as a file (``/w/CODE/agenda.toml``).

One plain form holds the whole agenda; its field names are the template file's places, so the
validator of ``workshop check`` puts each problem beside its field. Every button (add, remove,
move, save) posts the whole form: what was typed is never lost, and nothing is saved while a
problem remains.
"""

from __future__ import annotations

import re

from flask import Blueprint, abort, flash, g, make_response, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from markupsafe import Markup, escape

from workshop import clock
from workshop.agenda.design import (
    add_round_after_current,
    agenda_template,
    check_agenda,
    editable_data,
    facts_for,
    save_agenda,
    version,
)
from workshop.agenda.home_routes import CREATED
from workshop.domain import design
from workshop.domain.agenda import PARTS, PHASES, template_toml
from workshop.domain.design import Defaults, FormError, Problem
from workshop.domain.errors import WorkshopError
from workshop.domain.wording import N_, Wording
from workshop.extensions import db
from workshop.i18n import as_date
from workshop.messages import describe
from workshop.models import Workshop
from workshop.realtime.broadcast import publish
from workshop.validation import Field, validate
from workshop.web.common import (
    base_url,
    facilitator_key,
    join_url,
    key_from_address,
    key_from_form,
    load_workshop,
    presented_key_role,
)

bp = Blueprint("design", __name__)

PHASE_NAMES = {"discover": _l("Discover"), "dream": _l("Dream"), "design": _l("Design"), "deliver": _l("Deliver")}
LANGUAGE_CHOICES = {"fr": "Français", "en": "English"}
FORM_ONLY = ("csrf_token", "action", "version")
_ANCHOR = re.compile(r"[^A-Za-z0-9]+")


def anchor(place: str) -> str:
    """The element id of a place: ``blocks[1].rounds`` -> ``f-blocks-1-rounds``."""
    return "f-" + _ANCHOR.sub("-", place).strip("-")


def _presented_key() -> str | None:
    if "key" in request.args:
        return request.args["key"]
    scheme, _sep, value = request.headers.get("Authorization", "").partition(" ")
    return value.strip() if scheme.lower() == "bearer" and value.strip() else None


def _key_form(workshop: Workshop, error: str | None = None):
    g.page_url = url_for("design.designer", code=workshop.code)
    body = render_template(
        "live/facilitate_key.html",
        workshop=workshop,
        error=error,
        action=url_for("design.enter_key", code=workshop.code),
    )
    response = make_response(body, 403)
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.get("/w/<code>/design")
def designer(code: str):
    workshop = load_workshop(code)
    moved = key_from_address(workshop, "design.designer", lambda error: _key_form(workshop, error))
    if moved is not None:
        return moved
    if facilitator_key(workshop) is None:
        return _key_form(workshop)
    data = editable_data(workshop)
    return _page(workshop, data, [], version(data))


@bp.post("/w/<code>/design/key")
def enter_key(code: str):
    workshop = load_workshop(code)
    return key_from_form(workshop, "design.designer", lambda error: _key_form(workshop, error))


def defaults() -> Defaults:
    return Defaults(
        block_title=_("New block"),
        question=_("Write the question here"),
        round_title=_("Round %(number)s", number="%(number)s"),
        sector=_("Sector %(number)s", number="%(number)s"),
        theme=_("Theme %(number)s", number="%(number)s"),
        slot=_("Time slot %(number)s", number="%(number)s"),
        space=_("Space %(number)s", number="%(number)s"),
        today=as_date(clock.now()),
    )


@bp.post("/w/<code>/design")
def save(code: str):
    workshop = load_workshop(code)
    if facilitator_key(workshop) is None:
        abort(403)
    action = request.form.get("action", "save")
    fields = {name: value for name, value in request.form.items() if name not in FORM_ONLY}
    try:
        data = design.coerce(design.unflatten(fields))
        if not isinstance(data.get("blocks"), list):
            data["blocks"] = []
        facts = facts_for(workshop)
        if action.startswith("tables:"):
            index = int(action.removeprefix("tables:"))
            count = design.get_at(data, design.place("blocks", index, "_count"))
            data, refused = design.set_table_count(data, index, count, facts)
        else:
            data, refused = design.apply_action(data, action, facts, defaults())
    except (FormError, ValueError):
        flash(_("The form could not be read: nothing was saved. Reload the page and try again."), "error")
        return redirect(url_for("design.designer", code=workshop.code), 303)
    design.fit_methods(data, defaults())
    design.fill_ids(data)
    template, problems = check_agenda(data, facts, _("the designer"))
    if refused is not None:
        problems.insert(0, refused)
    current = version(editable_data(workshop))
    if not problems and request.form.get("version") != current:
        problems.append(
            Problem(
                "",
                Wording(
                    N_(
                        "Someone else saved this agenda since you opened the page. Check the fields below, then save again to keep yours."
                    )
                ),
            )
        )
    if problems or template is None:
        return _page(workshop, data, problems, current, status=400)
    broadcasts = save_agenda(workshop, data, template, clock.now())
    db.session.commit()
    publish(broadcasts)
    flash(_("Saved. The board, the console and the phones show the change."), "success")
    return redirect(url_for("design.designer", code=workshop.code) + "#" + _where(action), 303)


def _where(action: str) -> str:
    verb, _sep, target = action.partition(":")
    if verb == "tables":
        return anchor(design.place("blocks", int(target), "tables"))
    if verb in ("add", "remove", "up", "down"):
        path = target.partition(":")[0]
        return anchor(path.rsplit("[", 1)[0] if verb == "remove" else path)
    return "main"


def _page(workshop: Workshop, data: dict, problems: list[Problem], current_version: str, status: int = 200):
    g.page_url = url_for("design.designer", code=workshop.code)
    messages: dict[str, list[str]] = {}
    for problem in problems:
        messages.setdefault(problem.place, []).append(problem.wording.render(_))
    created = dict(session.get(CREATED) or {})
    keys = created.pop(workshop.code, None)
    if keys is not None:
        session[CREATED] = created
    statuses = {r.id: r.status for b in workshop.blocks for r in b.rounds}

    def described(name: str, help: object = None) -> Markup:
        """A field's aria-describedby (its help and its problems) and aria-invalid."""
        ids = ([anchor(name) + "-help"] if help else []) + [
            f"{anchor(name)}-error{number}" for number in range(1, len(messages.get(name, [])) + 1)
        ]
        attributes = f' aria-describedby="{escape(" ".join(ids))}"' if ids else ""
        return Markup(attributes + (' aria-invalid="true"' if messages.get(name) else ""))

    body = render_template(
        "agenda/design.html",
        workshop=workshop,
        data=data,
        problems=[
            {"place": p.place, "anchor": anchor(p.place) if p.place else "main", "message": p.wording.render(_)}
            for p in problems
        ],
        messages=messages,
        version=current_version,
        keys=keys,
        join_url=join_url(workshop),
        console_url=base_url() + url_for("facilitate.console", code=workshop.code, key=keys["facilitator_key"])
        if keys
        else None,
        anchor=anchor,
        described=described,
        place=design.place,
        statuses=statuses,
        languages=LANGUAGE_CHOICES,
        parts=PARTS,
        phases=PHASES,
        phase_names=PHASE_NAMES,
        limits=design.LISTS,
        mode_names=[
            ("reveal", _("Reveal: notes reach the board when you reveal them")),
            ("moderated", _("Moderated: you approve each note before it is shown")),
            ("anonymous", _("Anonymous: no name is shown with the notes")),
        ],
    )
    response = make_response(body, status)
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.get("/w/<code>/agenda.toml")
def agenda_file(code: str):
    workshop = load_workshop(code)
    presented = _presented_key()
    allowed = (
        presented_key_role(workshop, presented) == "facilitator"
        if presented is not None
        else facilitator_key(workshop) is not None
    )
    if not allowed:
        if presented is None and "text/html" in request.headers.get("Accept", ""):
            return _key_form(workshop)
        abort(403)
    response = make_response(template_toml(agenda_template(workshop)))
    response.headers["Content-Type"] = "application/toml; charset=utf-8"
    response.headers["Content-Disposition"] = f'attachment; filename="agenda-{workshop.code}.toml"'
    response.headers["Cache-Control"] = "no-store"
    return response


ADD_ROUND_FORM = (Field("block", kind="int", required=True), Field("rounds", kind="int", min_value=0, max_value=1000))


@bp.post("/w/<code>/rounds/add")
def add_round(code: str):
    """The console's « add a round after this one »: then the designer, at the new round's question."""
    workshop = load_workshop(code)
    if facilitator_key(workshop) is None:
        abort(403)
    try:
        form = validate(request.form.to_dict(), ADD_ROUND_FORM)
        block_index = next(i for i, b in enumerate(workshop.blocks) if b.id == form["block"])
        position, broadcasts = add_round_after_current(
            workshop, form["block"], form["rounds"], _("New round"), _("Write the question here"), clock.now()
        )
        db.session.commit()
    except (WorkshopError, StopIteration) as error:
        db.session.rollback()
        flash(
            describe(error) if isinstance(error, WorkshopError) else describe(WorkshopError("unknown_block")), "error"
        )
        return redirect(url_for("facilitate.console", code=workshop.code), 303)
    publish(broadcasts)
    if position is None:
        flash(_("Already done: the round was added from another screen."), "success")
        return redirect(
            url_for("design.designer", code=workshop.code)
            + "#"
            + anchor(design.place("blocks", block_index, "rounds")),
            303,
        )
    flash(_("A round was added: write its question, then save."), "success")
    return redirect(
        url_for("design.designer", code=workshop.code)
        + "#"
        + anchor(design.place("blocks", block_index, "rounds", position)),
        303,
    )
