"""The preliminary results: downloads for the secretariat (``/w/CODE/results.FORMAT``), the
secretariat's page listing them, and the facilitator's curation page.

A download opens with the secretariat or the facilitator key: ``?key=K``, ``Authorization: Bearer
K``, or a key kept in the session by an earlier visit (the console's facilitator key included).
Anything else gets 403 and a key form, never data.
"""

from __future__ import annotations

from flask import Blueprint, abort, g, make_response, redirect, render_template, request, url_for
from flask_babel import gettext as _

from workshop import clock
from workshop.agenda.workshops import key_role
from workshop.domain.errors import WorkshopError
from workshop.messages import describe
from workshop.models import Workshop
from workshop.openspace import pages as openspace_pages
from workshop.results.export import FORMATS, file_name, render
from workshop.results.read import build_synthesis
from workshop.web.common import facilitator_key, load_workshop, presented_key_role, remember, session_value

bp = Blueprint("results", __name__)

ROLES = ("facilitator", "secretariat")
SECRETARIAT_BUCKET = "secretariat_keys"  # the facilitator's stay in "keys", as for the console


def presented_key() -> str | None:
    """The key this request shows: ``?key=`` or an ``Authorization: Bearer`` header."""
    if "key" in request.args:
        return request.args["key"]
    header = request.headers.get("Authorization", "")
    scheme, _sep, value = header.partition(" ")
    if scheme.lower() == "bearer" and value.strip():
        return value.strip()
    return None


def _session_role(workshop: Workshop) -> str | None:
    if facilitator_key(workshop) is not None:
        return "facilitator"
    if key_role(workshop, session_value(SECRETARIAT_BUCKET, workshop.code)) == "secretariat":
        return "secretariat"
    return None


def _role(workshop: Workshop) -> str | None:
    """ "facilitator" or "secretariat" when the request may read the results, else None. A key
    shown with the request decides alone: a wrong one is refused even with a good session."""
    presented = presented_key()
    if presented is not None:
        role = presented_key_role(workshop, presented)
        return role if role in ROLES else None
    return _session_role(workshop)


def _remember(workshop: Workshop, key: str, role: str) -> None:
    remember("keys" if role == "facilitator" else SECRETARIAT_BUCKET, workshop.code, key)


def private(response):
    # The answer carries the workshop's notes: no shared cache keeps it, no referrer leaks the key.
    response.headers["Cache-Control"] = "no-store"
    response.headers["Referrer-Policy"] = "same-origin"
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response


def _next_target(workshop: Workshop, raw: str | None) -> str:
    """Where the key form sends back: one of this workshop's results pages, nothing else."""
    if raw in FORMATS:
        return url_for("results.download", code=workshop.code, extension=raw)
    if raw == "curate":
        return url_for("results.curate", code=workshop.code)
    if raw == "proceedings":
        return url_for("results.proceedings", code=workshop.code)
    return url_for("results.secretariat", code=workshop.code)


def key_form(workshop: Workshop, target: str, error: str | None = None, facilitator_only: bool = False):
    g.page_url = request.path
    body = render_template(
        "results/results_key.html",
        workshop=workshop,
        target=target,
        error=error,
        facilitator_only=facilitator_only,
    )
    return private(make_response(body, 403))


@bp.get("/w/<code>/results.<extension>")
def download(code: str, extension: str):
    workshop = load_workshop(code)
    found = FORMATS.get(extension)
    if found is None:
        abort(404)
    if _role(workshop) is None:
        error = describe(WorkshopError("wrong_key")) if presented_key() is not None else None
        return key_form(workshop, extension, error)
    variant = request.args.get("variant")
    if variant is not None and variant not in found.variants:
        abort(404)  # a file that does not exist, like an unknown extension
    synthesis = build_synthesis(workshop, clock.now())
    response = make_response(render(synthesis, extension, variant))
    response.headers["Content-Type"] = found.media_type
    disposition = "inline" if found.inline else "attachment"
    response.headers["Content-Disposition"] = f'{disposition}; filename="{file_name(synthesis, extension)}"'
    response.headers.update(found.headers)
    return private(response)


@bp.get("/w/<code>/results")
def secretariat(code: str):
    workshop = load_workshop(code)
    presented = request.args.get("key")
    if presented is not None:
        role = presented_key_role(workshop, presented)
        if role not in ROLES:
            return key_form(workshop, "results", describe(WorkshopError("wrong_key")))
        _remember(workshop, presented, role)
        # The key leaves the address bar (and the browser history) at once.
        return redirect(url_for("results.secretariat", code=workshop.code, lang=request.args.get("lang")), 302)
    role = _role(workshop)
    if role is None:
        return key_form(workshop, "results")
    g.page_url = url_for("results.secretariat", code=workshop.code)
    items = [
        {
            "extension": extension,
            "url": url_for("results.download", code=workshop.code, extension=extension, variant=variant),
            "name": name,
            "about": about,
            "for_it": for_it,
        }
        for extension, variant, name, about, for_it in _downloads(workshop.language or "fr")
        if extension in FORMATS
    ]
    return private(
        make_response(
            render_template(
                "results/secretariat.html",
                workshop=workshop,
                role=role,
                downloads=[i for i in items if not i["for_it"]],
                technical=[i for i in items if i["for_it"]],
            )
        )
    )


def _downloads(language: str) -> list[tuple[str, str | None, str, str, bool]]:
    """The secretariat page's list: extension, variant (None: the file's default), name, what the
    file is for, and whether it is for the IT people (under the page's « For IT » disclosure)."""
    csv_default = FORMATS["csv"].default_variant(language)
    csv_other = "comma" if csv_default == "semicolon" else "semicolon"
    csv_names = {
        "semicolon": _("Spreadsheet (CSV, semicolons: Excel in French)"),
        "comma": _("Spreadsheet (CSV, commas: Excel in English, other programs)"),
    }
    return [
        (
            "docx",
            None,
            _("Word document"),
            _(
                "The finished document to edit, print or send: its headings follow the agenda and the facilitator’s sections, so Word’s navigation pane shows the structure."
            ),
            False,
        ),
        (
            "html",
            None,
            _("Printable web page"),
            _("The same document in the browser. Print it, or save it as PDF from the print dialog (A4 or Letter)."),
            False,
        ),
        (
            "csv",
            None,
            csv_names[csv_default],
            _(
                "Every note on its own row, with its block, round, table, theme, section and dots: to sort, count or filter in a spreadsheet."
            ),
            False,
        ),
        (
            "csv",
            csv_other,
            csv_names[csv_other],
            _("The same table for a spreadsheet set to the other separator."),
            True,
        ),
        (
            "md",
            None,
            _("Markdown"),
            _("The same document as plain text with light markup, for a wiki, an e-mail or a version history."),
            True,
        ),
        (
            "json",
            None,
            _("Data (JSON)"),
            _(
                "Everything in the document, for other programs; the format is described in the project’s documentation."
            ),
            True,
        ),
    ]


@bp.post("/w/<code>/results")
def enter_key(code: str):
    workshop = load_workshop(code)
    target = request.form.get("next")
    given = request.form.get("key", "").strip()
    role = presented_key_role(workshop, given)
    if role not in ROLES or (target == "curate" and role != "facilitator"):
        return key_form(workshop, target or "results", describe(WorkshopError("wrong_key")), target == "curate")
    _remember(workshop, given, role)
    return redirect(_next_target(workshop, target), 303)


@bp.get("/w/<code>/proceedings")
def proceedings(code: str):
    """The Open Space proceedings: every session of each Open Space block with its report, live
    (the page is made when asked: reload it for the latest reports). Same keys as the results."""
    workshop = load_workshop(code)
    presented = presented_key()
    role = _role(workshop)
    if role is None:
        error = describe(WorkshopError("wrong_key")) if presented is not None else None
        return key_form(workshop, "proceedings", error)
    if presented is not None and "key" in request.args:
        # The key leaves the address bar (and the browser history) at once.
        _remember(workshop, presented, role)
        return redirect(url_for("results.proceedings", code=workshop.code, lang=request.args.get("lang")), 302)
    g.page_url = url_for("results.proceedings", code=workshop.code)
    body = render_template(
        "results/proceedings.html",
        workshop=workshop,
        role=role,
        blocks=openspace_pages.proceedings(workshop),
        made_at=clock.now(),
    )
    return private(make_response(body))
