"""What every page blueprint shares: finding the workshop, the join URL, the session's keys and
tokens, the language switch, the locale's dates and numbers (workshop/i18n.py)."""

from __future__ import annotations

from urllib.parse import urlencode

from flask import Flask, abort, current_app, g, redirect, request, session, url_for
from flask_babel import get_locale
from flask_babel import lazy_gettext as _l

from workshop import address, i18n
from workshop.agenda.workshops import find_workshop, key_role
from workshop.app import LANGUAGES
from workshop.domain.errors import WorkshopError
from workshop.domain.methods import OPEN_SPACE, WORLD_CAFE
from workshop.domain.notes import COLORS
from workshop.domain.typography import prose
from workshop.messages import RETRYABLE
from workshop.models import Workshop
from workshop.ratelimit import check_key

LANG_COOKIE_AGE = 365 * 24 * 3600
LANGUAGE_NAMES = {"fr": "Français", "en": "English"}  # each in its own language, never translated

COLOR_NAMES = {
    "yellow": _l("Yellow"),
    "pink": _l("Pink"),
    "blue": _l("Blue"),
    "green": _l("Green"),
    "orange": _l("Orange"),
    "purple": _l("Purple"),
}
STATUS_NAMES = {
    "pending": _l("Not started"),
    "running": _l("Running"),
    "closed": _l("Closed"),
    "skipped": _l("Skipped"),
}
METHOD_NAMES = {WORLD_CAFE: _l("World Café"), OPEN_SPACE: _l("Open Space")}
PART_NAMES = {"am": _l("morning"), "pm": _l("afternoon"), "day": _l("all day"), "evening": _l("evening")}


def load_workshop(code: str) -> Workshop:
    """The workshop of the URL (any case), or the 404 page; its language becomes the page's."""
    try:
        workshop = find_workshop(code)
    except WorkshopError:
        abort(404)
    g.workshop_language = workshop.language
    return workshop


def base_url() -> str:
    """Never the request's Host header: see workshop/address.py."""
    return address.site_url()


def join_is_loopback() -> bool:
    """True when the join address points at this computer only: no phone can open it."""
    return address.url_is_loopback(base_url())


def join_url(workshop: Workshop, table: int | None = None, space: str | None = None) -> str:
    """The absolute address phones open (what the QR codes hold): a table's, or an Open Space space's."""
    return base_url() + url_for("participant.page", code=workshop.code, table=table, space=space)


def join_url_shown(workshop: Workshop) -> str:
    """The join address as people type it: no scheme."""
    return join_url(workshop).split("://", 1)[-1]


# --- the signed session: facilitator keys and no-JavaScript participant tokens, per workshop code


def session_value(bucket: str, code: str) -> str | None:
    values = session.get(bucket)
    value = values.get(code) if isinstance(values, dict) else None
    return value if isinstance(value, str) else None


def remember(bucket: str, code: str, value: str) -> None:
    values = session.get(bucket)
    values = dict(values) if isinstance(values, dict) else {}
    values[code] = value
    session[bucket] = values  # a new dict, so the session knows it changed


def new_participant_allowed() -> bool:
    """The per-address budget of new participants (the same as the sockets')."""
    return current_app.extensions["event_budgets"].allow_new_participant(request.remote_addr)


def presented_key_role(workshop: Workshop, given: str | None) -> str | None:
    """The role a key shown with this request opens (query, form, Bearer), within the address's
    budget of wrong keys (workshop/ratelimit.py): past it, 429 until the minute is over."""
    if given is None:
        return None
    found: list[str | None] = []

    def right() -> bool:
        found.append(key_role(workshop, given))
        return found[0] is not None

    if check_key(right) is None:
        abort(429)
    return found[0]


def key_from_address(workshop: Workshop, endpoint: str, refuse):
    """A facilitator page opened as ``?key=K``: the key checked (within the guessing budget), kept
    in the session, and the browser sent to the address without it (it leaves the address bar
    and the history at once); ``refuse(message)`` for a wrong key. None when no key was given."""
    if "key" not in request.args:
        return None
    given = request.args["key"]
    if presented_key_role(workshop, given) != "facilitator":
        from workshop.messages import describe

        return refuse(describe(WorkshopError("wrong_key")))
    remember("keys", workshop.code, given)
    return redirect(url_for(endpoint, code=workshop.code, lang=request.args.get("lang")), 302)


def key_from_form(workshop: Workshop, endpoint: str, refuse):
    """A facilitator key form posted: the key checked (within the guessing budget), kept in the
    session, and the browser sent to ``endpoint``; ``refuse(message)`` for a wrong key."""
    given = request.form.get("key", "").strip()
    if presented_key_role(workshop, given) != "facilitator":
        from workshop.messages import describe

        return refuse(describe(WorkshopError("wrong_key")))
    remember("keys", workshop.code, given)
    return redirect(url_for(endpoint, code=workshop.code), 303)


def facilitator_key(workshop: Workshop) -> str | None:
    """The facilitator key kept in the session, if it still opens this workshop; else the
    organiser key kept there, which opens every workshop."""
    key = session_value("keys", workshop.code)
    if key_role(workshop, key) == "facilitator":
        return key
    organiser = session.get("organiser")
    return organiser if isinstance(organiser, str) and key_role(workshop, organiser) == "facilitator" else None


# --- language


def current_language() -> str:
    return str(get_locale() or "fr")


# The switch keeps the page and its query (``?table=3``, ``?space=…``) but never a key, nor anything absurd.
KEPT_QUERY_MAX = 10
KEPT_VALUE_MAX = 200


def switch_url(here: str, code: str) -> str:
    """This page in another language."""
    kept = [
        (name, value)
        for name, value in request.args.items(multi=True)
        if name not in ("lang", "key") and len(name) <= 64 and len(value) <= KEPT_VALUE_MAX
    ][:KEPT_QUERY_MAX]
    return f"{here}?{urlencode(kept + [('lang', code)])}"


def language_links(here: str) -> list[dict]:
    return [{"code": code, "name": LANGUAGE_NAMES[code], "url": switch_url(here, code)} for code in LANGUAGES]


def block_when(block) -> str:
    """When a block happens: « mardi 4 mai 2010 · avant-midi » / "Tuesday, May 4, 2010 · morning"."""
    part = PART_NAMES.get(block.part)
    return " · ".join(str(piece) for piece in (i18n.long_date(block.day), part) if piece)


def remember_language(response):
    chosen = request.args.get("lang")
    if chosen in LANGUAGES:
        response.set_cookie(
            "lang",
            chosen,
            max_age=LANG_COOKIE_AGE,
            samesite="Lax",
            httponly=True,
            secure=current_app.session_interface.get_cookie_secure(current_app),
        )
    return response


def page_context() -> dict:
    """Names every template may use."""
    here = getattr(g, "page_url", None) or request.path
    return {
        "lang": current_language(),
        "language_links": language_links(here),
        "color_names": COLOR_NAMES,
        "colors": COLORS,
        "status_names": STATUS_NAMES,
        "method_names": METHOD_NAMES,
        "part_names": PART_NAMES,
        "join_is_loopback": join_is_loopback,
        "retryable": RETRYABLE,
    }


def typeset(text: str | None) -> str:
    """A text of the workshop as the live pages print it, the documents' typography: the
    apostrophe, French spacing in a French workshop (services.serialize gives scripts the same)."""
    return prose(text, g.get("workshop_language"))


def init_app(app: Flask) -> None:
    app.add_template_filter(typeset)
    app.after_request(remember_language)
    app.context_processor(page_context)
    i18n.init_app(app)
    app.add_template_filter(block_when, "when")
