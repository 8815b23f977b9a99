"""The curation page and its fragment (one partial: templates/curation/_curate_live.html), on the results'
blueprint (``results``): the facilitator groups notes into themes and sections."""

from __future__ import annotations

from flask import abort, g, make_response, redirect, render_template, request, url_for
from flask_babel import gettext as _

from workshop.curation import writes as curation
from workshop.domain.errors import WorkshopError
from workshop.live import terms
from workshop.messages import describe
from workshop.models import Workshop
from workshop.results.routes import bp, key_form, presented_key, private
from workshop.web.common import facilitator_key, load_workshop, presented_key_role, remember


def _curation_strings() -> dict:
    """What curate.js says itself (the page's regions are written by templates/curation/_curate_live.html)."""
    return {
        "offline": _("Connection lost: reconnecting…"),
        "done": _("Done."),
        "selected": _("%(count)s notes selected"),
        "selectedOne": _("1 note selected"),
        "noneSelected": _("No note selected"),
        "themeTitleNeeded": _("Give the new theme a title."),
        "selectFirst": _("Select notes first."),
        "confirmDelete": _("Delete “%(title)s”? Its notes are kept."),
        "termPicked": _("Selected the notes that use “%(term)s”."),
    }


def _number(raw: str | None) -> int | None:
    return int(raw) if raw is not None and raw.isascii() and raw.isdigit() and len(raw) < 10 else None


def _curation_filter(workshop: Workshop) -> curation.CurationFilter:
    """The page's filters from its address (``block``, ``round``, ``q``), as the filter form sends
    them; no ``block`` at all is the current block, an empty one every block."""
    args = request.args
    block = _number(args["block"]) if "block" in args else workshop.current_block_id
    chosen = args.get("round", "")
    return curation.CurationFilter(
        block=block, round=_number(chosen), harvest=chosen == "harvest", text=args.get("q", "")[:200]
    )


TERMS_SHOWN = 30


def _curation_context(workshop: Workshop, key: str | None) -> dict:
    """What the curation page and its fragment render (one partial, templates/curation/_curate_live.html)."""
    page = curation.curation_page(workshop, _curation_filter(workshop))
    scope = page.filter
    return {
        "workshop": workshop,
        "key": key,
        "curation": page,
        # The key terms of the notes the filter shows (the visible ones only: terms.visible_notes).
        "terms": terms.terms_for(workshop, scope.block, scope.round, limit=TERMS_SHOWN),
        "strings": _curation_strings(),
    }


def _curation_key(workshop: Workshop) -> str | None:
    """The facilitator key of this request: one shown with it (``?key=`` or Bearer) decides alone,
    else the session's."""
    presented = presented_key()
    if presented is not None:
        return presented if presented_key_role(workshop, presented) == "facilitator" else None
    return facilitator_key(workshop)


@bp.get("/w/<code>/curate")
def curate(code: str):
    workshop = load_workshop(code)
    if "key" in request.args:
        given = request.args["key"]
        if presented_key_role(workshop, given) != "facilitator":
            return key_form(workshop, "curate", describe(WorkshopError("wrong_key")), facilitator_only=True)
        remember("keys", workshop.code, given)
        return redirect(url_for("results.curate", code=workshop.code, lang=request.args.get("lang")), 302)
    key = facilitator_key(workshop)
    if key is None:
        return key_form(workshop, "curate", facilitator_only=True)
    g.page_url = url_for("results.curate", code=workshop.code)
    body = render_template("curation/curate.html", **_curation_context(workshop, key))
    return private(make_response(body))


@bp.get("/w/<code>/curate/fragment")
def curate_fragment(code: str):
    """The curation page's regions as HTML (the filters' choices, the key terms, the notes by block
    and round, the themes, the sections): the partial the page includes, fetched again by curate.js
    on each change (one renderer for both). Same keys as the page; 403 without one."""
    workshop = load_workshop(code)
    key = _curation_key(workshop)
    if key is None:
        abort(403)
    body = render_template("curation/_curate_live.html", curate_fragment=True, **_curation_context(workshop, key))
    return private(make_response(body))
