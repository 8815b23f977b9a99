"""The home page, the organiser's workshops, creating one (gallery, blank, file, copy), retiring one.

The organiser key belongs to the server. It is typed once (or opened as ``/?key=K``) and kept in the
signed session cookie, like the facilitator key. Without it nobody creates, lists, changes or
deletes workshops; ``POST /workshops`` also takes it as ``Authorization: Bearer KEY``.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    g,
    jsonify,
    make_response,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _
from sqlalchemy import select

from workshop import clock
from workshop.agenda.design import agenda_template
from workshop.agenda.organiser import is_organiser_key
from workshop.agenda.workshops import create_workshop, normalise_code
from workshop.domain.agenda import (
    BlockSpec,
    RoundSpec,
    TableSpec,
    Template,
    TemplateProblem,
    list_templates,
    load_template,
    read_text,
)
from workshop.domain.errors import WorkshopError
from workshop.domain.methods import WORLD_CAFE
from workshop.extensions import csrf, db
from workshop.i18n import as_date
from workshop.messages import describe
from workshop.models import Workshop
from workshop.ratelimit import check_key
from workshop.results.privacy import purge_workshop
from workshop.web.common import base_url, current_language, load_workshop, remember

bp = Blueprint("home", __name__)

ORGANISER = "organiser"
CREATED = "created"  # the keys of a workshop just made, shown once on its designer
MAX_TEMPLATE_BYTES = 256 * 1024


def presented_organiser_key(given: str) -> bool:
    """A typed or sent organiser key, within the address's budget of wrong keys (429 past it)."""
    right = check_key(lambda: is_organiser_key(given))
    if right is None:
        abort(429)
    return right


def organiser_key() -> str | None:
    """The organiser key kept in the session, if it still is the server's."""
    key = session.get(ORGANISER)
    return key if is_organiser_key(key) else None


def _bearer() -> str | None:
    scheme, _sep, value = request.headers.get("Authorization", "").partition(" ")
    return value.strip() if scheme.lower() == "bearer" and value.strip() else None


def _private(body: str, status: int = 200):
    response = make_response(body, status)
    response.headers["Cache-Control"] = "no-store"
    return response


def _translate(problem: TemplateProblem) -> dict:
    return {"place": problem.place, "message": problem.wording.render(_)}


# --- the home page


@bp.get("/")
def home():
    if "key" in request.args:
        given = request.args["key"]
        if not presented_organiser_key(given):
            return _home(error=describe(WorkshopError("wrong_key")), status=403)
        session[ORGANISER] = given
        # The key leaves the address bar (and the browser history) at once.
        return redirect(url_for("home.home", lang=request.args.get("lang")), 302)
    return _home()


def _home(error: str | None = None, code_error: str | None = None, status: int = 200):
    g.page_url = url_for("home.home")
    organiser = organiser_key() is not None
    workshops = _workshops() if organiser else []
    return _private(
        render_template(
            "agenda/home.html", organiser=organiser, workshops=workshops, error=error, code_error=code_error
        ),
        status,
    )


def _workshops() -> list[dict]:
    found = db.session.execute(select(Workshop).order_by(Workshop.created_at.desc(), Workshop.id.desc())).scalars()
    listed = []
    for workshop in found:
        statuses = [r.status for b in workshop.blocks for r in b.rounds]
        if "running" in statuses:
            state = "running"
        elif statuses and all(s != "pending" for s in statuses):
            state = "done"
        elif any(s != "pending" for s in statuses):
            state = "started"
        else:
            state = "ready"
        listed.append(
            {"workshop": workshop, "state": state, "dates": [dt.date.fromisoformat(d) for d in workshop.dates]}
        )
    return listed


@bp.get("/go")
def go():
    """The home page's code box: a participant who typed the server's address lands on /j/CODE."""
    raw = request.args.get("code", "")
    code = normalise_code(raw.replace(" ", "")) if len(raw) <= 40 else None
    if code is None or db.session.execute(select(Workshop.id).where(Workshop.code == code)).first() is None:
        return _home(
            code_error=_("There is no workshop with this code. Check the code shown on the board."), status=404
        )
    return redirect(url_for("participant.page", code=code), 303)


@bp.post("/organiser")
def enter_key():
    given = request.form.get("key", "").strip()
    if not presented_organiser_key(given):
        return _home(error=describe(WorkshopError("wrong_key")), status=403)
    session[ORGANISER] = given
    return redirect(url_for("home.home"), 303)


@bp.post("/organiser/leave")
def leave():
    session.pop(ORGANISER, None)
    return redirect(url_for("home.home"), 303)


# --- a new workshop


def _gallery() -> list[dict]:
    """What sessions/ holds, with each template's sentence; a broken file is left out, never fatal."""
    entries = []
    for path in list_templates(current_app.config["WORKSHOP_SESSIONS_DIR"]):
        try:
            template = load_template(path)
        except Exception:
            current_app.logger.warning("template %s skipped: it does not pass `workshop check`", path.name)
            continue
        rounds = sum(len(b.rounds) for b in template.blocks)
        minutes = sum(r.minutes for b in template.blocks for r in b.rounds)
        entries.append(
            {
                "name": path.stem,
                "template": template,
                "rounds": rounds,
                "minutes": minutes,
                "methods": sorted({b.method for b in template.blocks}),
            }
        )
    return entries


@bp.get("/new")
def new():
    if organiser_key() is None:
        return _home(error=_("The organiser key is needed to create a workshop."), status=403)
    return _new_page()


def _new_page(problems: list[dict] | None = None, status: int = 200):
    g.page_url = url_for("home.new")
    earlier = (
        db.session.execute(select(Workshop).order_by(Workshop.created_at.desc(), Workshop.id.desc())).scalars().all()
    )
    return _private(
        render_template("agenda/new.html", gallery=_gallery(), earlier=earlier, problems=problems or []), status
    )


def blank_template(language: str, today: dt.date) -> Template:
    """An agenda to start from: one World Café block of one round at four tables."""
    return Template(
        name="blank",
        title=_("New workshop"),
        organiser=_("Organiser"),
        language=language,
        dates=(today,),
        blocks=(
            BlockSpec(
                id="bloc-1",
                title=_("World Café"),
                day=today,
                part="am",
                method=WORLD_CAFE,
                rounds=(
                    RoundSpec(
                        question=_("What question matters most to us?"),
                        minutes=20,
                        title=_("Round %(number)s", number=1),
                    ),
                ),
                tables=tuple(TableSpec(number=n) for n in range(1, 5)),
            ),
        ),
    )


@bp.post("/new")
def create():
    if organiser_key() is None:
        abort(403)
    source = request.form.get("source", "")
    template, problems = _template_from_form(source)
    if template is None:
        return _new_page(problems, 400)
    workshop, keys = create_workshop(template, clock.now())
    db.session.commit()
    remember("keys", workshop.code, keys.facilitator)
    created = dict(session.get(CREATED) or {})
    created[workshop.code] = {"facilitator_key": keys.facilitator, "secretariat_key": keys.secretariat}
    session[CREATED] = created
    return redirect(url_for("design.designer", code=workshop.code), 303)


def _template_from_form(source: str) -> tuple[Template | None, list[dict]]:
    kind, _sep, value = source.partition(":")
    if kind == "blank":
        return blank_template(_language(), as_date(clock.now())), []
    if kind == "gallery":
        entry = next((e for e in _gallery() if e["name"] == value), None)
        if entry is None:
            return None, [{"place": "source", "message": _("This template is no longer in the gallery.")}]
        return entry["template"], []
    if kind == "copy":
        code = normalise_code(value)
        workshop = (
            db.session.execute(select(Workshop).where(Workshop.code == code)).scalar_one_or_none() if code else None
        )
        if workshop is None:
            return None, [
                {
                    "place": "source",
                    "message": _("There is no workshop with this code. Check the code shown on the board."),
                }
            ]
        return agenda_template(workshop), []
    if kind == "upload":
        upload = request.files.get("file")
        if upload is None or not upload.filename:
            return None, [{"place": "file", "message": _("Choose a template file (.toml) to upload.")}]
        raw = upload.read(MAX_TEMPLATE_BYTES + 1)
        if len(raw) > MAX_TEMPLATE_BYTES:
            return None, [
                {
                    "place": "file",
                    "message": _(
                        "The file is larger than %(size)s KB: is it really a template?", size=MAX_TEMPLATE_BYTES // 1024
                    ),
                }
            ]
        name = Path(upload.filename).stem[:60] or "upload"
        template, problems = read_text(raw, name, Path(upload.filename).name[:100])
        return template, [_translate(p) for p in problems]
    return None, [{"place": "source", "message": _("Choose where the new workshop starts from.")}]


def _language() -> str:
    return current_language()


@bp.post("/workshops")
@csrf.exempt  # a program with the organiser key in its header, or the form below with its token
def create_api():
    bearer = _bearer()
    if bearer is None:
        if organiser_key() is None:
            return _json_error(401, "no_key", _("The organiser key is needed to create a workshop."))
        csrf.protect()  # a browser's form: its session holds the key, so its token must come along
    elif not presented_organiser_key(bearer):
        return _json_error(403, "wrong_key", describe(WorkshopError("wrong_key")))
    if request.mimetype == "multipart/form-data":
        upload = request.files.get("file")
        raw = upload.read(MAX_TEMPLATE_BYTES + 1) if upload is not None else b""
        name = Path(upload.filename or "upload").stem[:60] if upload is not None else "upload"
        file = Path(upload.filename or "upload.toml").name[:100] if upload is not None else "upload.toml"
    else:
        raw = request.get_data(cache=False)[: MAX_TEMPLATE_BYTES + 1]
        name, file = "upload", "agenda.toml"
    if not raw:
        return _json_error(400, "no_template", _("Send a template file (.toml) as the body, or as the form's “file”."))
    if len(raw) > MAX_TEMPLATE_BYTES:
        return _json_error(
            400,
            "template_too_big",
            _("The file is larger than %(size)s KB: is it really a template?", size=MAX_TEMPLATE_BYTES // 1024),
        )
    template, problems = read_text(raw, name, file)
    if template is None:
        body = {
            "ok": False,
            "error": {
                "code": "bad_template",
                "message": _("The template has problems: fix each one and send it again."),
            },
            "problems": [
                _translate(p) | {"file": p.file, "line": f"{p.file}: {p.place}: {p.wording.render(_)}"}
                for p in problems
            ],
        }
        return jsonify(body), 400
    workshop, keys = create_workshop(template, clock.now())
    db.session.commit()
    from workshop.cli import workshop_urls

    return (
        jsonify(
            {
                "code": workshop.code,
                "title": workshop.title,
                "facilitator_key": keys.facilitator,
                "secretariat_key": keys.secretariat,
                "urls": workshop_urls(base_url(), workshop.code, keys.facilitator),
            }
        ),
        201,
    )


def _json_error(status: int, code: str, message: str):
    return jsonify({"ok": False, "error": {"code": code, "message": message}}), status


# --- retiring a workshop


@bp.get("/w/<code>/retire")
def retire_page(code: str):
    workshop = load_workshop(code)
    if organiser_key() is None:
        abort(403)
    g.page_url = url_for("home.retire_page", code=workshop.code)
    return _private(render_template("agenda/retire.html", workshop=workshop, counts=_counts(workshop), error=None))


def _counts(workshop: Workshop) -> dict:
    from sqlalchemy import func

    from workshop.models import Note, Participant, Topic

    def count(model, column) -> int:
        return db.session.execute(select(func.count()).select_from(model).where(column == workshop.id)).scalar_one()

    return {
        "participants": count(Participant, Participant.workshop_id),
        "notes": count(Note, Note.workshop_id),
        "topics": count(Topic, Topic.workshop_id),
    }


@bp.post("/w/<code>/retire")
def retire(code: str):
    workshop = load_workshop(code)
    if organiser_key() is None:
        abort(403)
    typed = (request.form.get("confirm") or "").strip().upper()
    if typed != workshop.code:
        g.page_url = url_for("home.retire_page", code=workshop.code)
        error = _("Type the workshop’s code, %(code)s, to confirm.", code=workshop.code)
        return _private(
            render_template("agenda/retire.html", workshop=workshop, counts=_counts(workshop), error=error), 400
        )
    if any(r.status == "running" for b in workshop.blocks for r in b.rounds):
        g.page_url = url_for("home.retire_page", code=workshop.code)
        error = _("A round is running: close it before retiring the workshop.")
        return _private(
            render_template("agenda/retire.html", workshop=workshop, counts=_counts(workshop), error=error), 409
        )
    title = workshop.title
    purge_workshop(workshop)
    db.session.delete(workshop)
    db.session.commit()
    flash(_("“%(title)s” is retired: its agenda and everything written in it are deleted.", title=title), "success")
    return redirect(url_for("home.home"), 303)
