"""The facilitator's console and its plain forms (the same actions as the Socket.IO events)."""

from __future__ import annotations

import datetime as dt
import json
import uuid

from flask import Blueprint, abort, flash, g, make_response, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext

from workshop import clock
from workshop.agenda.read import current_block, current_round
from workshop.cafe import pages as cafe_pages
from workshop.cafe import seating
from workshop.cafe import writes as cafe
from workshop.curation import writes as curation
from workshop.domain import rounds as rules
from workshop.domain.errors import WorkshopError
from workshop.domain.modes import MODES
from workshop.domain.notes import NOTE_MAX_LENGTH
from workshop.domain.openspace import TOPIC_DESCRIPTION_MAX, TOPIC_TITLE_MAX
from workshop.domain.presence import PRESENT_SECONDS
from workshop.extensions import db
from workshop.i18n import venue_zone
from workshop.live import modes, pages
from workshop.live import notes as note_service
from workshop.live import rounds as round_service
from workshop.messages import describe
from workshop.models import Workshop
from workshop.openspace import pages as openspace_pages
from workshop.realtime.broadcast import publish
from workshop.realtime.presence import presence
from workshop.validation import Field, validate
from workshop.web.common import (
    facilitator_key,
    join_url,
    join_url_shown,
    key_from_address,
    key_from_form,
    load_workshop,
)

bp = Blueprint("facilitate", __name__)

NOTE_REF = (Field("note", kind="uuid", required=True),)


def _strings() -> dict:
    """The strings facilitate.js and console-openspace.js write themselves (the page's ``t`` JSON)."""
    return {
        "timeUp": _("Time is up"),
        "noRound": _("No round started in this block yet."),
        "offline": _("Connection lost: reconnecting…"),
        "done": _("Done."),
        "unchanged": _("Already done: another facilitator made the same change."),
    } | _open_space_strings()


def _labels() -> dict:
    """The labels of the console's live parts (_console_live.html), a few written with a value."""
    return {
        "nextRound": _("Next round"),
        "left": _("Left"),
        "leftLabel": _("%(name)s left the workshop"),
        "hide": _("Hide"),
        "show": _("Show again"),
        "phones": _("%(count)s phones connected"),
        "phone": _("1 phone connected"),
        "noPhone": _("No phone connected yet"),
        "empty": _("No note in this round yet."),
        "noHost": _("No host"),
        "host": _("Host"),
        "hostOf": _("Host of table %(number)s"),
        "assign": _("Assign"),
        "atThisTable": _("At this table"),
        "elsewhere": _("Elsewhere"),
        "atTable": _("table %(number)s"),
        "seated": _("Seats taken: %(count)s"),
        "seatedOf": _("Seats taken: %(count)s of %(capacity)s"),
        "nobodySeated": _("No seat taken yet."),
        "moveTo": _("Move %(name)s to"),
        "move": _("Move"),
        "hostBadge": _("host"),
        "notesPerRound": _("Notes per round"),
        "roundNumber": _("Round %(number)s"),
        "keyIdeas": _("Key ideas: %(count)s"),
        "unseated": _("Without a table"),
        "harvestState": {"none": "", "open": _("Harvest open"), "closed": _("Harvest closed")},
        # facilitation modes (issue 15): a note waiting in the queue or for the reveal
        "queued": _("Waiting for approval"),
        "notShown": _("Not yet shown"),
        "approve": _("Approve"),
    }


def people_lines(summary: dict) -> list[tuple[str, str]]:
    """The connected phones per table, as the console lists them: the numbered tables in order,
    then those at no table; per table the names, then how many gave none ("nobody" when empty)."""
    lines = []
    for table, names in sorted(summary.get("people", {}).items(), key=lambda item: _table_order(item[0])):
        named = [name for name in names if name]
        anonymous = len(names) - len(named)
        who = named + ([_("%(count)s without a name", count=anonymous)] if anonymous else [])
        lines.append((table, ", ".join(who) or _("nobody")))
    return lines


def _table_order(table: str) -> float:
    return int(table) if table.isdigit() and int(table) else float("inf")


def modes_panel(round_, next_round, notes) -> dict:
    """The console's modes panel: the settings of the running round (else of the next one), and
    what waits in the current round for a reveal or an approval."""
    settings = round_ if round_ is not None and round_.status == "running" else next_round
    waiting = [n for n in notes if not n.hidden and not n.public]
    unrevealed = [n for n in waiting if not n.revealed]
    return {
        "settings": settings,
        "settings_title": (settings.title or _("Round %(number)s", number=settings.position + 1)) if settings else "",
        "choices": [
            ("reveal", _("Reveal"), _("notes reach the board when you reveal them")),
            ("moderated", _("Moderated"), _("you approve each note before it is shown")),
            ("anonymous", _("Anonymous"), _("no name is shown with the notes")),
        ],
        "waiting_text": ngettext("%(count)s note waiting", "%(count)s notes waiting", len(waiting), count=len(waiting))
        if waiting
        else "",
        "unrevealed": bool(unrevealed),
        "unrevealed_tables": sorted({n.table_number for n in unrevealed if n.table_number is not None}),
        "queued": any(not n.approved for n in waiting),
    }


def _open_space_strings() -> dict:
    return {
        "marketplace": _("Marketplace"),
        "marketEmpty": _("No topic waiting: every topic is on the wall."),
        "timeSlot": _("Time slot"),
        "here": _("%(count)s here"),
        "noConvener": _("Convener not named"),
        "free": _("Free"),
        "placeLabel": _("Place “%(title)s”"),
        "placeChoose": _("Place on…"),
        "place": _("Place"),
        "noFreeCell": _("No free cell"),
        "unplace": _("Take off the wall"),
        "titleLabel": _("Title"),
        "descriptionLabel": _("Description"),
        "save": _("Save"),
        "withdraw": _("Withdraw"),
        "confirmWithdraw": _("Withdraw “%(title)s” from the marketplace and the wall? Its report stays in the data."),
        "manage": _("Options for “%(title)s”"),
        "manageShort": _("Options"),
        "slotLabel": _("Time slot %(number)s"),
        "spaceLabel": _("Space %(number)s"),
        "removeSlot": _("Remove the time slot “%(label)s”"),
        "removeSpace": _("Remove the space “%(label)s”"),
        "wallSaved": _("The wall is saved."),
        "voteNone": _("No vote yet."),
        "voteOpenState": _("The vote is open: %(dots)s dots each; the top %(top)s go on to action planning."),
        "voteClosedState": _("The vote is closed: the selected topics go on to action planning."),
        # A count the page fills in: both forms of the catalogue, %(count)s left for the script (common.js countText).
        "votes": ngettext("%(count)s dot", "%(count)s dots", 2, count="%(count)s"),
        "voteOne": ngettext("%(count)s dot", "%(count)s dots", 1, count="%(count)s"),
        "selected": _("Selected"),
        "noAction": _("No action yet."),
        "actionFor": _("An action for “%(title)s”"),
        "ownerDue": _("%(owner)s · by %(due)s"),
        "dueOnly": _("By %(due)s"),
        "owner": _("Who does it"),
        "due": _("By when"),
        "addAction": _("Add the action"),
    }


def person_label(participant, numbers: dict[int, int]) -> str:
    """A participant as the facilitator reads them: the name, else "Participant N"."""
    return participant.name or _("Participant %(number)s", number=numbers.get(participant.id, participant.id))


def tables_panel(workshop: Workshop) -> dict | None:
    """The console's World Café tables for the current block (None outside a World Café)."""
    block = cafe_pages.world_cafe_block(current_block(workshop))
    if block is None:
        return None
    numbers = cafe_pages.participant_numbers(workshop)
    people = sorted(workshop.participants, key=lambda p: p.id)
    numbers_of_tables = {t.number for t in block.tables}
    return {
        "block": block,
        "tables": cafe_pages.table_overview(workshop, block),
        "people": [{"id": p.id, "label": person_label(p, numbers), "table": p.table_number} for p in people],
        "unseated": [
            {"id": p.id, "label": person_label(p, numbers), "table": p.table_number}
            for p in people
            if p.table_number not in numbers_of_tables
        ],
        "label": lambda p: person_label(p, numbers),
        "harvest_id": str(uuid.uuid4()),
        "absent": cafe.absent_seated(workshop, block, clock.now()),
        "absent_minutes": PRESENT_SECONDS // 60,
        "seating_line": seating_line(seating.last_summary(block)),
        "coming": _coming(workshop, block),
    }


def _coming(workshop: Workshop, block) -> dict[int, list]:
    """The stored plan's next round per table (participants), between two rounds; else empty."""
    found = seating.coming(block)
    if found is None:
        return {}
    people = {p.id: p for p in workshop.participants}
    return {int(n): [people[i] for i in ids if i in people] for n, ids in found["tables"].items()}


def seating_line(summary: dict | None) -> str:
    """The last round start in one line: "3 people absent, 2 walk-ins seated; plan updated"."""
    if not summary:
        return ""
    absent = ngettext("%(count)s person absent", "%(count)s people absent", summary["absent"], count=summary["absent"])
    walk_ins = ngettext(
        "%(count)s walk-in seated", "%(count)s walk-ins seated", summary["walk_ins"], count=summary["walk_ins"]
    )
    plan = _("plan updated") if summary["replanned"] else _("plan unchanged")
    return _("%(absent)s, %(walk_ins)s; %(plan)s", absent=absent, walk_ins=walk_ins, plan=plan)


def cell_value(slot: dict, space: dict) -> str:
    """A cell of the wall as a select's value: both ids, whatever characters they hold."""
    return json.dumps([slot["id"], space["id"]], ensure_ascii=False, separators=(",", ":"))


def open_space_panel(workshop: Workshop) -> dict | None:
    """The console's Open Space panel for the current block (None outside an Open Space)."""
    wall = openspace_pages.current_wall(workshop)
    if wall is None:
        return None
    return {
        "wall": wall,
        "actions": openspace_pages.actions_of(workshop, wall.selected),
        "topic_id": str(uuid.uuid4()),
        "action_ids": {view.id: str(uuid.uuid4()) for view in wall.selected},
    }


def _undo_until(moment, now) -> str | None:
    """Until when an undo is offered (ISO), or None once it is too late."""
    if not rules.can_undo(moment, now):
        return None
    return clock.iso(moment + dt.timedelta(seconds=rules.UNDO_SECONDS))


def console_context(workshop: Workshop, key: str | None, error: str | None = None, confirm: dict | None = None) -> dict:
    """What the console's templates read: the page (facilitate.html) and its live parts
    (_console_live.html, served again by live_fragment) are rendered from the same values."""
    now = clock.now()
    block = current_block(workshop)
    round_ = current_round(workshop)
    cafe_block = cafe_pages.world_cafe_block(block)
    notes = pages.round_notes(workshop, round_, include_hidden=True)
    phones = presence.summary(workshop.code)
    return dict(
        workshop=workshop,
        key=key,
        block=block,
        round=round_,
        seconds_left=pages.seconds_left(round_, now),
        ends_at=clock.iso(round_.ends_at) if round_ is not None and round_.status == "running" else None,
        next_round=pages.next_round(workshop),
        next_block=pages.next_block(workshop),
        columns=pages.wall_columns(block, notes),
        modes=modes_panel(round_, pages.next_round(workshop), notes),
        presence=phones,
        people_lines=people_lines(phones),
        now=clock.iso(now),
        error=error,
        strings=_strings(),
        labels=_labels(),
        extend_minutes=rules.EXTEND_MINUTES,
        cafe=tables_panel(workshop),
        max_length=NOTE_MAX_LENGTH,
        os=open_space_panel(workshop),
        cell_value=cell_value,
        title_max=TOPIC_TITLE_MAX,
        description_max=TOPIC_DESCRIPTION_MAX,
        undo_seconds=rules.UNDO_SECONDS,
        reopen_until=_undo_until(round_.closed_at, now) if round_ is not None and round_.status == "closed" else None,
        harvest_cancel_until=(
            _undo_until(cafe_block.harvest_opened_at, now)
            if cafe_block is not None and cafe_block.harvest == "open"
            else None
        ),
        ends_at_clock=(
            round_.ends_at.astimezone(venue_zone()).strftime("%H:%M")
            if round_ is not None and round_.status == "running" and round_.ends_at
            else None
        ),
        confirm=confirm,
    )


def render_console(
    workshop: Workshop, key: str, status: int = 200, error: str | None = None, confirm: dict | None = None
):
    g.page_url = url_for("facilitate.console", code=workshop.code)
    body = render_template(
        "live/facilitate.html",
        join_url=join_url(workshop),
        join_url_shown=join_url_shown(workshop),
        **console_context(workshop, key, error, confirm),
    )
    return no_store(body, status)


def no_store(body: str, status: int):
    response = make_response(body, status)
    # The page carries the key: never kept by a shared cache or the back button of another person.
    response.headers["Cache-Control"] = "no-store"
    response.headers["Referrer-Policy"] = "same-origin"
    return response


def key_form(workshop: Workshop, error: str | None = None, here: str | None = None):
    """The key form (403); ``here``: the page asked for, which the language switch keeps."""
    g.page_url = here or url_for("facilitate.console", code=workshop.code)
    return no_store(render_template("live/facilitate_key.html", workshop=workshop, error=error), 403)


@bp.get("/w/<code>/facilitate")
def console(code: str):
    workshop = load_workshop(code)
    moved = key_from_address(workshop, "facilitate.console", lambda error: key_form(workshop, error))
    if moved is not None:
        return moved
    key = facilitator_key(workshop)
    if key is None:
        return key_form(workshop)
    return render_console(workshop, key)


@bp.get("/w/<code>/facilitate/openspace")
def open_space_fragment(code: str):
    """The console's Open Space panel as HTML: the partial the console page includes, fetched again
    by console-openspace.js when a topic, the wall or the vote changes (one renderer for both)."""
    workshop = load_workshop(code)
    if facilitator_key(workshop) is None:
        abort(403)
    body = render_template(
        "openspace/_openspace_console.html",
        workshop=workshop,
        strings=_strings(),
        os=open_space_panel(workshop),
        cell_value=cell_value,
        title_max=TOPIC_TITLE_MAX,
        description_max=TOPIC_DESCRIPTION_MAX,
        max_length=NOTE_MAX_LENGTH,
    )
    return no_store(body, 200)


@bp.get("/w/<code>/facilitate/live")
def live_fragment(code: str):
    """The console's live parts as HTML (the round and its actions, the phones, the World Café
    tables, the round's notes, the agenda): the partial the console page includes, fetched again by
    facilitate.js on each change (one renderer for both)."""
    workshop = load_workshop(code)
    key = facilitator_key(workshop)
    if key is None:
        abort(403)
    body = render_template("live/_console_live.html", live_fragment=True, **console_context(workshop, key))
    return no_store(body, 200)


@bp.post("/w/<code>/facilitate")
def enter_key(code: str):
    workshop = load_workshop(code)
    return key_from_form(workshop, "facilitate.console", lambda error: key_form(workshop, error))


def act(code: str, action):
    """Runs one console action for a facilitator of the session: commit, broadcast, back to the console."""
    workshop = load_workshop(code)
    key = facilitator_key(workshop)
    if key is None:
        return key_form(workshop)
    try:
        broadcasts = action(workshop)
        db.session.commit()
    except WorkshopError as error:
        db.session.rollback()
        return render_console(workshop, key, 400, describe(error))
    publish(broadcasts)
    flash(_("Done."), "success")
    return redirect(url_for("facilitate.console", code=workshop.code), 303)


# The round's version as the page showed it: a press repeated (two consoles) is one change.
VERSION_FORM = (Field("version", kind="int", min_value=0, max_value=1_000_000_000),)
END_FORM = (Field("ends_at", required=True, max_length=40),) + VERSION_FORM


def _seen() -> int | None:
    return validate(request.form.to_dict(), VERSION_FORM)["version"]


def confirmed() -> bool:
    return request.form.get("confirm") == "1"


def ask(code: str, question, label, action: str):
    """Without JavaScript, the console asks once more before a close or a harvest. ``question``
    and ``label`` are lazy: read once the workshop (and so the page's language) is known."""
    workshop = load_workshop(code)
    key = facilitator_key(workshop)
    if key is None:
        return key_form(workshop)
    try:
        seen = _seen()
    except WorkshopError:
        seen = None
    confirm = {"question": str(question), "label": str(label), "action": action, "version": seen}
    return render_console(workshop, key, 200, confirm=confirm)


@bp.post("/w/<code>/rounds/<int:round_id>/start")
def start_round(code: str, round_id: int):
    return act(code, lambda w: round_service.start_round(w, round_id, clock.now(), seen=_seen()))


@bp.post("/w/<code>/rounds/<int:round_id>/extend")
def extend_round(code: str, round_id: int):
    return act(code, lambda w: round_service.extend_round(w, round_id, clock.now(), rules.EXTEND_MINUTES, seen=_seen()))


@bp.post("/w/<code>/rounds/<int:round_id>/shorten")
def shorten_round(code: str, round_id: int):
    return act(
        code, lambda w: round_service.shorten_round(w, round_id, clock.now(), rules.EXTEND_MINUTES, seen=_seen())
    )


@bp.post("/w/<code>/rounds/<int:round_id>/end")
def end_round(code: str, round_id: int):
    """The no-JS twin of ``round:end``: "14:30" on the venue's clock."""

    def action(workshop: Workshop):
        data = validate(request.form.to_dict(), END_FORM)
        now = clock.now()
        ends_at = rules.end_time(data["ends_at"], now, venue_zone())
        return round_service.set_round_end(workshop, round_id, now, ends_at, seen=data["version"])

    return act(code, action)


@bp.post("/w/<code>/rounds/<int:round_id>/close")
def close_round(code: str, round_id: int):
    if not confirmed():
        question = _l(
            "Close the round now? Phones stop taking notes; you can reopen it for %(seconds)s seconds.",
            seconds=rules.UNDO_SECONDS,
        )
        return ask(
            code, question, _l("Yes, close the round"), url_for("facilitate.close_round", code=code, round_id=round_id)
        )
    return act(code, lambda w: round_service.close_round(w, round_id, clock.now(), seen=_seen()))


@bp.post("/w/<code>/rounds/<int:round_id>/reopen")
def reopen_round(code: str, round_id: int):
    return act(code, lambda w: round_service.reopen_round(w, round_id, clock.now(), seen=_seen()))


@bp.post("/w/<code>/rounds/<int:round_id>/skip")
def skip_round(code: str, round_id: int):
    return act(code, lambda w: round_service.skip_round(w, round_id, clock.now(), True, seen=_seen()))


@bp.post("/w/<code>/rounds/<int:round_id>/unskip")
def unskip_round(code: str, round_id: int):
    return act(code, lambda w: round_service.skip_round(w, round_id, clock.now(), False, seen=_seen()))


@bp.post("/w/<code>/blocks/next")
def next_block(code: str):
    def action(workshop: Workshop):
        seen = validate(request.form.to_dict(), (Field("from", kind="int"),))["from"]
        return round_service.next_block(workshop, clock.now(), seen_block=seen)

    return act(code, action)


@bp.post("/w/<code>/board/view")
def board_view(code: str):
    """The projector's view, live wall, results or key terms (the no-JS twin of `board:view`)."""
    view = request.form.get("view", "")
    return act(code, lambda w: curation.set_board_view(w, view))


@bp.post("/w/<code>/blocks/<int:block_id>/select")
def select_block(code: str, block_id: int):
    return act(code, lambda w: round_service.set_current_block(w, block_id, clock.now()))


def _note_action(hidden: bool):
    def action(workshop: Workshop):
        note_id = validate({"note": request.view_args["note_id"]}, NOTE_REF)["note"]
        return note_service.set_hidden(workshop, note_id, hidden)

    return action


@bp.post("/w/<code>/notes/<note_id>/hide")
def hide_note(code: str, note_id: str):
    return act(code, _note_action(True))


@bp.post("/w/<code>/notes/<note_id>/show")
def show_note(code: str, note_id: str):
    return act(code, _note_action(False))


# --- facilitation modes (issue 15): the no-JS twins of round:settings, notes:reveal, note:approve


@bp.post("/w/<code>/rounds/<int:round_id>/settings")
def round_settings(code: str, round_id: int):
    """The form holds the three boxes: one left unticked turns its mode off."""

    def action(workshop: Workshop):
        asked = {name: request.form.get(name) in ("1", "on", "true") for name in MODES}
        return modes.set_settings(workshop, round_id, **asked)[1]

    return act(code, action)


@bp.post("/w/<code>/rounds/<int:round_id>/reveal")
def reveal_notes(code: str, round_id: int):
    def action(workshop: Workshop):
        table = validate(request.form.to_dict(), (Field("table", kind="int", max_value=999),))["table"]
        return modes.reveal(workshop, round_id, table)[1]

    return act(code, action)


@bp.post("/w/<code>/rounds/<int:round_id>/approve")
def approve_notes(code: str, round_id: int):
    return act(code, lambda w: modes.approve_all(w, round_id)[1])


@bp.post("/w/<code>/notes/<note_id>/approve")
def approve_note(code: str, note_id: str):
    def action(workshop: Workshop):
        return modes.approve(workshop, validate({"note": note_id}, NOTE_REF)["note"])

    return act(code, action)
