"""The projected board: the question, the countdown, the join QR code and a wall of notes, or the
preliminary results as curated so far. Its state is also served as JSON, which the board polls
while its socket is silent."""

from __future__ import annotations

from flask import Blueprint, g, jsonify, make_response, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext

from workshop import clock
from workshop.agenda.read import current_block
from workshop.agenda.workshops import find_workshop
from workshop.cafe import pages as cafe_pages
from workshop.domain.errors import WorkshopError
from workshop.live import pages, terms
from workshop.live.snapshot import state_for
from workshop.messages import error_payload
from workshop.openspace import pages as openspace_pages
from workshop.realtime.presence import presence
from workshop.results import read as results
from workshop.validation import Field, validate
from workshop.web.common import join_url_shown, load_workshop

TERMS_QUERY = (Field("block", kind="int"), Field("round", kind="int"))
# The board polls this often (seconds) once its socket has gone quiet.
POLL_SECONDS = 5

bp = Blueprint("board", __name__)


def _strings() -> dict:
    return (
        {
            "timeUp": _("Time is up"),
            "notStarted": _("The round has not started yet."),
            "closed": _("This round is closed."),
            "noRound": _("Waiting for the facilitator to start a round."),
            "phones": _("%(count)s phones connected"),
            "phone": _("1 phone connected"),
            "noPhone": _("No phone connected yet"),
            "atTable": _("%(count)s at this table"),
            "host": _("Host: %(name)s"),
            "hostAnonymous": _("This table has a host."),
            "harvest": _("The harvest: the key ideas of each table"),
            "expected": _("%(count)s people expected"),
            "expectedOne": _("1 person expected"),
            "expectedNone": _("Nobody expected"),
            "nextRound": _("Next: %(title)s"),
            "stalled": _("Connection lost: the board updates every %(seconds)s s."),
        }
        | _open_space_strings()
        | _results_strings()
    )


def _results_strings() -> dict:
    return {
        "results": _("Preliminary results"),
        "terms": _("What the room said"),
        "resultsEmpty": _("The facilitator has not grouped the notes into themes yet."),
        "otherThemes": _("Other themes"),
        "otherNotes": _("Other notes"),
        "priorities": _("The priorities"),
        # Filled in by the script as the view fits the screen (common.js countText).
        "moreNotes": _("+ %(count)s other notes"),
        "moreNote": _("+ 1 other note"),
        "notePage": _("Notes %(first)s to %(last)s of %(count)s"),
    }


def _open_space_strings() -> dict:
    return {
        "marketplace": _("Marketplace"),
        "marketEmpty": _("Propose a topic from your phone."),
        "timeSlot": _("Time slot"),
        "here": _("%(count)s here"),
        "noConvener": _("Convener not named"),
        "voteOpen": _("Vote: %(dots)s dots each"),
        "voteClosed": _("The priorities"),
        "selected": _("Selected"),
        "proposals": _("Proposals from the reports"),
        "moreTopics": _("+ %(count)s more"),
    }


def timer_status(round_, seconds_left: int | None) -> str:
    """What the countdown's colour says, as board.js computes it: none, pending, closed, running,
    last-minute (60 s or less) or over."""
    if round_ is None:
        return "none"
    if round_.status != "running" or seconds_left is None:
        return round_.status
    if seconds_left == 0:
        return "over"
    return "last-minute" if seconds_left <= 60 else "running"


def board_context(workshop) -> dict:
    """What the board's live parts read (templates/live/_board_wall.html): the page and the fragment
    GET /w/CODE/board/wall are rendered from the same values."""
    wall = pages.board_wall(workshop)
    agenda = openspace_pages.current_wall(workshop)
    round_ = wall.round
    live = workshop.board_view == "live"
    return {
        "workshop": workshop,
        "wall": wall,
        "agenda": agenda,
        "question": round_.question if round_ is not None else agenda.question if agenda else None,
        "waiting": waiting_text(wall.waiting if live else 0),
        "moving": cafe_pages.moving_screen(wall.block),
        "presence": presence.summary(workshop.code),
        "board_view": workshop.board_view,
        "strings": _strings(),
    }


def no_store(body: str):
    response = make_response(body)
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.get("/w/<code>/board")
def board(code: str):
    workshop = load_workshop(code)
    g.page_url = url_for("board.board", code=workshop.code)
    now = clock.now()
    context = board_context(workshop)
    round_ = context["wall"].round
    seconds = pages.seconds_left(round_, now)
    return render_template(
        "live/board.html",
        **context,
        block=context["wall"].block,
        round=round_,
        harvest=context["wall"].harvest,
        seconds_left=seconds,
        timer_status=timer_status(round_, seconds),
        ends_at=clock.iso(round_.ends_at) if round_ is not None and round_.status == "running" else None,
        now=clock.iso(now),
        join_url=join_url_shown(workshop),
        poll_seconds=POLL_SECONDS,
        **(board_terms(workshop) if workshop.board_view == "terms" else {}),
        **({"results": results.board_results(workshop)} if workshop.board_view == "results" else {}),
    )


@bp.get("/w/<code>/board/wall")
def board_wall_fragment(code: str):
    """The board's live parts as HTML (the header's lines, the phones, the "change tables" screen,
    the wall of notes): the partial the board page includes, fetched again by board.js on each
    change (one renderer for both). Open to whoever may open the board."""
    workshop = load_workshop(code)
    return no_store(render_template("live/_board_wall.html", wall_fragment=True, **board_context(workshop)))


@bp.get("/w/<code>/board/results")
def board_results_fragment(code: str):
    """The board's results view as HTML (the partial the board page includes), fetched by board.js
    when the view shows and when the curation, the notes or the vote change."""
    workshop = load_workshop(code)
    body = render_template(
        "live/_board_results.html", workshop=workshop, results=results.board_results(workshop), strings=_strings()
    )
    return no_store(body)


@bp.get("/w/<code>/board/agenda")
def board_agenda_fragment(code: str):
    """The board's Open Space view as HTML: the partial the board page includes, fetched again by
    board-openspace.js when a topic, the wall, the attendance or the vote changes."""
    workshop = load_workshop(code)
    body = render_template(
        "openspace/_openspace_board.html",
        workshop=workshop,
        agenda=openspace_pages.current_wall(workshop),
        board_view=workshop.board_view,
        strings=_strings(),
    )
    response = make_response(body)
    response.headers["Cache-Control"] = "no-store"
    return response


def waiting_text(count: int) -> str:
    """The board's line while notes wait for a reveal or an approval; empty when none do."""
    if not count:
        return ""
    return ngettext("%(count)s note waiting", "%(count)s notes waiting", count, count=count)


@bp.get("/w/<code>/board/state.json")
def board_state(code: str):
    """The board's snapshot (what its join ack holds), for the board to poll when events stall."""
    try:
        workshop = find_workshop(code)
    except WorkshopError as error:
        response = jsonify(error_payload(error))
        response.status_code = 404
    else:
        response = jsonify(state_for(workshop, "board", clock.now()))
    # Always the state of now: never from a cache, the browser's or a proxy's.
    response.headers["Cache-Control"] = "no-store"
    return response


def board_terms(workshop) -> dict:
    """What the key-terms view shows: the current block's terms (the workshop's without one)."""
    block = current_block(workshop)
    found = terms.terms_for(workshop, block.id if block is not None else None, limit=terms.BOARD_LIMIT)
    return {"terms_block": block, "terms": terms.sized(found)}


@bp.get("/w/<code>/board/terms")
def board_terms_fragment(code: str):
    """The key-terms view as HTML (the partial the board page includes), fetched by board.js when
    the view shows and when notes change."""
    workshop = load_workshop(code)
    response = make_response(render_template("live/_board_terms.html", workshop=workshop, **board_terms(workshop)))
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.get("/w/<code>/terms.json")
def terms_json(code: str):
    """The key terms of the visible notes (``?block=`` or ``?round=``), as ``terms:get`` answers."""
    try:
        workshop = find_workshop(code)
        query = validate(request.args.to_dict(), TERMS_QUERY)
        found = terms.terms_for(workshop, query["block"], query["round"])
    except WorkshopError as error:
        response = jsonify(error_payload(error))
        response.status_code = 404 if error.code.startswith("unknown_") else 400
    else:
        response = jsonify({"terms": terms.terms_json(found)})
    response.headers["Cache-Control"] = "no-store"
    return response
