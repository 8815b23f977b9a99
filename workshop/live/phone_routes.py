"""The phone page (``/j/CODE``) and its plain forms, so a phone without JavaScript still takes part."""

from __future__ import annotations

import uuid

from flask import Blueprint, abort, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext

from workshop import clock
from workshop.agenda.read import current_block, current_round, table_themes
from workshop.cafe import pages as cafe_pages
from workshop.cafe import seating
from workshop.cafe import writes as cafe
from workshop.domain.errors import WorkshopError
from workshop.domain.notes import COLORS, NOTE_MAX_LENGTH
from workshop.domain.openspace import TOPIC_DESCRIPTION_MAX, TOPIC_TITLE_MAX
from workshop.extensions import db
from workshop.live import pages
from workshop.live import participants as participant_service
from workshop.messages import describe
from workshop.models import Participant, Workshop
from workshop.openspace import pages as openspace_pages
from workshop.realtime.broadcast import publish
from workshop.validation import Field, validate
from workshop.web.common import load_workshop, new_participant_allowed, remember, session_value

bp = Blueprint("participant", __name__)

JOIN_FORM = (
    Field("name", max_length=participant_service.NAME_MAX_LENGTH),
    Field("table", kind="int", max_value=999),
    Field("sector", max_length=64),
)
NOTE_FORM = (
    Field("id", kind="uuid", required=True),
    Field("text", kind="text", required=True, max_length=NOTE_MAX_LENGTH),
    Field("table", kind="int", max_value=999),
    Field("color", kind="choice", choices=COLORS),
)


def session_participant(workshop: Workshop) -> Participant | None:
    return participant_service.find_participant(workshop, session_value("participants", workshop.code))


def _known_table(workshop: Workshop, raw: str) -> int | None:
    """A table number of this workshop (``?table=N`` of a table card, or the form's), else None."""
    return int(raw) if raw.isdigit() and int(raw) in table_themes(workshop) else None


def modes_hints() -> dict:
    """What the phone says of the round's facilitation modes, above the note (issue 15)."""
    return {
        "reveal": _("Notes reach the board when the facilitator reveals them."),
        "moderated": _("The facilitator approves each note before it is shown."),
        "anonymous": _("This round is anonymous: no name is shown with the notes."),
    }


def modes_hint(round_) -> str:
    """The round's modes in one or two sentences; empty for a round without any."""
    if round_ is None:
        return ""
    hints = modes_hints()
    return " ".join(str(hints[name]) for name in ("reveal", "moderated", "anonymous") if getattr(round_, name))


def _strings() -> dict:
    """What participant.js says that the page's markup cannot: counts, a number or a name in a
    sentence, the status lines (templates/cafe/_cafe_phone_items.html and the page hold the rest)."""
    return {
        "waiting": _("Waiting to be sent…"),
        "offline": _("Offline: your notes are kept on this phone and sent when the connection comes back."),
        "timeUp": _("Time is up"),
        "minutesLeft": _("%(minutes)s min left"),
        "notStarted": _("The round has not started yet."),
        "closed": _("This round is closed."),
        "noRound": _("Waiting for the facilitator to start a round."),
        "table": _("Table %(number)s"),
        "saved": _("Saved."),
        "posted": _("Your note is posted."),
        "held": _("Your note is kept on this phone: it will be posted when the facilitator starts the round."),
        "queued": _("Your note is kept on this phone and will be sent as soon as possible."),
        "count": _("%(count)s / %(max)s characters"),
        "tooLong": _("%(count)s / %(max)s characters: too long"),
        # World Café
        "goTo": _("Go to table %(number)s"),
        "stayAt": _("Stay at table %(number)s"),
        "hostBrief": _("You host table %(number)s: welcome the newcomers and tell them what the table said before."),
        "movedBy": _("The facilitator gave you a seat at table %(number)s."),
        "moveLeft": _("%(time)s to change tables"),
        "seated": _("You are at table %(number)s."),
        "expectedElsewhere": _("You are expected at table %(expected)s. Sit at table %(table)s instead?"),
        "sitAt": _("Sit at table %(number)s"),
        "hosting": _("You host table %(number)s."),
        "hostedBy": _("Host: %(name)s"),
        "roundNumber": _("Round %(number)s"),
        "ideaPosted": _("Your key idea is posted."),
        "noAnswer": _("The server did not answer: check the connection and try again."),
        "joinWait": _("Many people are joining at once: wait a moment, this phone joins by itself."),
    } | _open_space_strings()


def _open_space_strings() -> dict:
    """What the Open Space part's script says that its <template>s cannot: counts, a name or a
    title in a sentence, the status lines and toasts (templates/openspace/_openspace_phone_items.html holds
    the rest)."""
    return {
        "topicWaiting": _("Waiting to be sent…"),
        "topicPosted": _("Your topic is on the marketplace."),
        "topicQueued": _("Your topic is kept on this phone and will be sent as soon as possible."),
        "convenedBy": _("Convener: %(name)s"),
        "anonymousConvener": _("Convener not named"),
        "notPlaced": _("Not on the wall yet"),
        "placedAt": _("%(slot)s · %(space)s"),
        "here": _("%(count)s here"),
        "inSession": _("You are in “%(title)s”."),
        "leftSession": _("You left the session."),
        "free": _("Free: %(spaces)s"),
        "allTaken": _("Every space is taken."),
        "inSpaceNow": _("In %(space)s now"),
        "noSessionInSpace": _("No session is placed in %(space)s yet."),
        "topics": _("Topics (%(count)s)"),
        "slotEmpty": _("No session in this time slot yet."),
        "confirmWithdraw": _("Withdraw “%(title)s” from the marketplace and the wall?"),
        "withdrawn": _("Your topic is withdrawn."),
        "placed": _("Your topic is on the wall."),
        "unplaced": _("Your topic is off the wall."),
        "renamed": _("Saved."),
        "reportPosted": _("Added to the report."),
        "ownerDue": _("%(owner)s · by %(due)s"),
        "dueOnly": _("By %(due)s"),
        # the vote
        "dotsLeft": _("%(left)s of %(dots)s dots left"),
        "myDots": _("Your dots: %(count)s"),
        "addDot": _("Give a dot to “%(title)s”"),
        "removeDot": _("Take a dot back from “%(title)s”"),
        # A count the page fills in: both forms of the catalogue, %(count)s left for the script (common.js countText).
        "votesCount": ngettext("%(count)s dot", "%(count)s dots", 2, count="%(count)s"),
        "voteOne": ngettext("%(count)s dot", "%(count)s dots", 1, count="%(count)s"),
        "actionFor": _("Add an action for “%(title)s”"),
        "actionPosted": _("Your action is added."),
        # the convener's flipchart photo (templates/photos/_photo_upload.html)
        "photoFor": _("Session: %(title)s"),
    }


def arrive_at(workshop: Workshop, participant: Participant, table: int, now):
    """Sits at a table: through the World Café's rules (capacity, the plan) in a World Café block."""
    if cafe_pages.world_cafe_block(current_block(workshop)) is not None:
        return cafe.arrive(workshop, participant, table, now)
    participant_service.sit(workshop, participant, table)
    return []


def render_page(
    workshop: Workshop,
    status: int = 200,
    error: str | None = None,
    text: str = "",
    color: str | None = None,
    note_id: str | None = None,
    form_seats: bool = True,
    harvest_text: str = "",
    harvest_id: str | None = None,
    topic_form: dict | None = None,
):
    """The phone page. ``form_seats``: the table of a refused POST is where the phone meant to sit
    (a note form) rather than a table it was refused (the host and arrival forms)."""
    g.page_url = url_for("participant.page", code=workshop.code)
    now = clock.now()
    participant = session_participant(workshop)
    block = current_block(workshop)
    round_ = current_round(workshop)
    source = request.args if request.method == "GET" else request.form
    wanted = _known_table(workshop, source.get("table", "")) if request.method == "GET" or form_seats else None
    # Another table's card scanned by someone the plan expects elsewhere: asked, never moved silently.
    expected = seating.planned_table(block, participant) if participant is not None else None
    elsewhere = None
    if (
        request.method == "GET"
        and wanted is not None
        and expected is not None
        and wanted != expected
        and participant.table_number != wanted
    ):
        elsewhere = {"expected": expected, "table": wanted}
        wanted = None
    table = wanted if wanted is not None else (participant.table_number if participant else None)
    themes = table_themes(workshop)
    cafe_view = cafe_pages.phone_cafe(workshop, participant, table)
    os_view = openspace_pages.phone_open_space(
        workshop, participant, space=_short(request.args.get("space")), topic=_short(request.args.get("topic"))
    )
    topic_form = {"id": str(uuid.uuid4()), "title": "", "description": "", "convener": None} | (topic_form or {})
    if topic_form["convener"] is None:
        topic_form["convener"] = participant.name if participant and participant.name else ""
    context = {
        "workshop": workshop,
        "block": block,
        "round": round_,
        "seconds_left": pages.seconds_left(round_, now),
        "ends_at": clock.iso(round_.ends_at) if round_ is not None and round_.status == "running" else None,
        "tables": block.tables if block is not None else [],
        "participant": participant,
        "table": table,
        "theme": themes.get(table) if table is not None else None,
        # A table chosen by the URL goes with the note, so the first note also seats the phone.
        "form_table": wanted if wanted is not None and block is not None and block.tables else None,
        "query_table": wanted if request.method == "GET" else None,
        "elsewhere": elsewhere,
        "notes": pages.own_notes(workshop, participant),
        "note_id": note_id or str(uuid.uuid4()),
        "modes_hint": modes_hint(round_),
        "modes_hints": modes_hints(),
        "text": text,
        "color": color or "yellow",
        "error": error,
        "max_length": NOTE_MAX_LENGTH,
        "now": clock.iso(now),
        "strings": _strings(),
        "sectors": list(workshop.sectors or []),
        "cafe": cafe_view,
        "harvest_text": harvest_text,
        "harvest_id": harvest_id or str(uuid.uuid4()),
        "os": os_view,
        "question": round_.question if round_ is not None else os_view.wall.question if os_view.wall else None,
        "topic_form": topic_form,
        "title_max": TOPIC_TITLE_MAX,
        "description_max": TOPIC_DESCRIPTION_MAX,
    }
    return render_template("live/participant.html", **context), status


def _short(raw: str | None) -> str | None:
    """An id from the address (``?space=``, ``?topic=``), or None when absent or absurd."""
    return raw if raw and len(raw) <= 64 else None


def reusable_id(raw: object) -> str | None:
    try:
        return str(uuid.UUID(raw)) if isinstance(raw, str) and len(raw) <= 64 else None
    except ValueError:
        return None


@bp.get("/j/<code>")
def page(code: str):
    return render_page(load_workshop(code))


@bp.get("/j/<code>/p/<token>")
def passport(code: str, token: str):
    """A passport's QR code: this phone joins as the attendee printed on it, no name to type."""
    workshop = load_workshop(code)
    participant = participant_service.find_participant(workshop, token)
    if participant is None:
        abort(404)
    now = clock.now()
    participant_service.join(workshop, now, token=participant.token)
    broadcasts = seating.follow(workshop, current_block(workshop), now)
    db.session.commit()
    publish(broadcasts)
    remember("participants", workshop.code, participant.token)
    response = redirect(url_for("participant.page", code=workshop.code, passport=1), 303)
    response.headers["Referrer-Policy"] = "no-referrer"  # the address holds the personal code
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.post("/j/<code>/join")
def join(code: str):
    workshop = load_workshop(code)
    try:
        data = validate(request.form.to_dict(), JOIN_FORM)
        now = clock.now()
        participant = participant_service.join(
            workshop,
            now,
            token=session_value("participants", workshop.code),
            name=data["name"],
            sector=data["sector"],
            may_create=new_participant_allowed,
        )
        # Choosing a table is arriving there: in a World Café, within its capacity, as the plan knows.
        broadcasts = arrive_at(workshop, participant, data["table"], now) if data["table"] is not None else []
        broadcasts += seating.follow(workshop, current_block(workshop), now)
        db.session.commit()
    except WorkshopError as error:
        db.session.rollback()
        return render_page(workshop, 400, error=describe(error), form_seats=False)
    remember("participants", workshop.code, participant.token)
    publish(broadcasts)
    flash(_("Saved."), "at:table" if data["table"] is not None else "at:name")
    return redirect(url_for("participant.page", code=workshop.code), 303)


@bp.post("/j/<code>/notes")
def post_note(code: str):
    workshop = load_workshop(code)
    form = request.form.to_dict()
    text = form.get("text", "")[: NOTE_MAX_LENGTH * 4]
    color = form.get("color") if form.get("color") in COLORS else None
    try:
        data = validate(form, NOTE_FORM)
        participant, _note, broadcasts = pages.post_from_form(
            workshop,
            session_value("participants", workshop.code),
            data["id"],
            data["text"],
            clock.now(),
            table=data["table"],
            color=data["color"],
            may_create=new_participant_allowed,
        )
        db.session.commit()
    except WorkshopError as error:
        db.session.rollback()
        # The typed text stays in the box, with the same id: nothing was stored.
        note_id = reusable_id(form.get("id")) if error.code != "note_id_taken" else None
        return render_page(workshop, 400, error=describe(error), text=text, color=color, note_id=note_id)
    remember("participants", workshop.code, participant.token)
    publish(broadcasts)
    flash(_("Your note is posted."), "success")
    return redirect(url_for("participant.page", code=workshop.code), 303)
