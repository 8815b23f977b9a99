"""Readable, translated messages for the domain's refusal codes."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from workshop.domain.errors import WorkshopError

# Field names as a person knows them.
FIELD_NAMES = {
    "code": _l("workshop code"),
    "role": _l("role"),
    "key": _l("key"),
    "participant": _l("participant token"),
    "table": _l("table"),
    "name": _l("name"),
    "sector": _l("sector"),
    "id": _l("note id"),
    "text": _l("text"),
    "round": _l("round"),
    "topic": _l("topic"),
    "color": _l("colour"),
    "note": _l("note"),
    "block": _l("block"),
    "minutes": _l("minutes"),
    "hidden": _l("hidden"),
    "starred": _l("starred"),
    "title": _l("title"),
    "intro": _l("introduction"),
    "theme": _l("theme"),
    "section": _l("section"),
    "notes": _l("notes"),
    "themes": _l("themes"),
    "position": _l("position"),
    "description": _l("description"),
    "convener": _l("convener"),
    "slot": _l("time slot"),
    "space": _l("space"),
    "tag": _l("tag"),
    "owner": _l("owner"),
    "due": _l("date"),
    "target": _l("target"),
    "dots": _l("dots"),
    "top": _l("number of topics kept"),
    "slots": _l("time slots"),
    "spaces": _l("spaces"),
    "label": _l("label"),
    "dot": _l("dot"),
}

MESSAGES = {
    "bad_payload": _l("The message could not be read: it must be a JSON object with named fields."),
    "missing_field": _l("The field “%(field)s” is missing."),
    "wrong_type": _l("The field “%(field)s” has the wrong type."),
    "too_long": _l("The field “%(field)s” is longer than %(max)s characters."),
    "out_of_range": _l("The field “%(field)s” must be between %(min)s and %(max)s."),
    "bad_choice": _l("The field “%(field)s” must be one of: %(choices)s."),
    "bad_uuid": _l("The field “%(field)s” must be an identifier made by the phone (a UUID)."),
    "empty_note": _l("The note is empty: write something before posting."),
    "note_too_long": _l("A note holds at most %(max)s characters; this one has %(length)s."),
    "unknown_workshop": _l("There is no workshop with this code. Check the code shown on the board."),
    "bad_code": _l("A workshop code is 4 to 16 letters and digits."),
    "code_taken": _l("The code %(code)s is already used by another workshop."),
    "wrong_key": _l("This key does not open this workshop. Check the link you were given."),
    "not_joined": _l("Join the workshop first (reload the page)."),
    "forbidden": _l("Only the facilitator can do this."),
    "unknown_round": _l("This round does not exist in this workshop."),
    "unknown_block": _l("This block does not exist in this workshop."),
    "unknown_table": _l("There is no table %(table)s in this workshop."),
    "unknown_sector": _l("This sector is not one of the workshop's sectors."),
    "unknown_note": _l("This note does not exist in this workshop."),
    "unknown_topic": _l("This topic does not exist in this workshop."),
    "no_table": _l("Choose your table first."),
    "no_running_round": _l("No round is open right now: wait for the facilitator to start one."),
    "round_closed": _l("This round is closed: notes can no longer be added to it."),
    "round_not_running": _l("This round is not running."),
    "round_not_started": _l("This round has not started yet."),
    "round_already_running": _l("This round is already running."),
    "bad_minutes": _l("A round can be extended by 1 to %(max)s minutes."),
    "no_next_block": _l("This is the last block of the agenda."),
    "round_changed": _l(
        "Another facilitator changed this round a moment ago. Check the timer, then press again if you still want to."
    ),
    "time_already_up": _l("The time is already up: there is no time left to take off."),
    "bad_end_time": _l("Give the end time in hours and minutes, like 14:30."),
    "end_in_past": _l("The end time must be later than now."),
    "end_too_late": _l("A round ends at most %(max)s minutes from now."),
    "round_not_closed": _l("This round is not closed."),
    "reopen_too_late": _l(
        "Too late to reopen: a round can be reopened for %(seconds)s seconds after it closed. Start it again instead, with a fresh timer."
    ),
    "round_not_pending": _l("Only a round not started yet can be skipped."),
    "round_not_skipped": _l("This round is not skipped."),
    "harvest_undo_too_late": _l(
        "Too late to cancel the harvest: it opened more than %(seconds)s seconds ago. Close it instead."
    ),
    "harvest_has_ideas": _l("The harvest already holds key ideas: it can be closed, no longer cancelled."),
    "note_id_taken": _l("This note id is already used by another note."),
    "not_world_cafe": _l("The current block is not a World Café with tables."),
    "block_closed": _l("This block is over: its tables are closed."),
    "table_hosted": _l("Table %(table)s already has a host."),
    "table_full": _l("Table %(table)s is full: choose another one or ask the facilitator."),
    "unknown_participant": _l("This participant is not in this workshop."),
    "not_host": _l("Only the host of this table (or the facilitator) can do this."),
    "harvest_not_open": _l("The harvest of this block is not open."),
    "too_many_items": _l("The field “%(field)s” holds more than %(max)s items."),
    "empty_title": _l("A title cannot be empty."),
    "unknown_theme": _l("This theme does not exist in this workshop."),
    "unknown_section": _l("This section does not exist in this workshop."),
    "too_many_notes": _l("At most %(max)s notes at a time."),
    "bad_date": _l("The field “%(field)s” must be a date written YYYY-MM-DD."),
    "no_open_space": _l("No Open Space block is open right now."),
    "topic_id_taken": _l("This topic id is already used by another topic."),
    "not_convener": _l("Only the topic's convener (or the facilitator) can do this."),
    "unknown_slot": _l("This time slot is not on the agenda wall."),
    "unknown_space": _l("This space is not on the agenda wall."),
    "cell_taken": _l("Another topic already holds this slot and space: choose a free cell."),
    "convener_busy": _l("This convener already holds a topic in this time slot."),
    "bad_wall": _l("The wall needs at least one %(kind)s, each with its own id."),
    "not_in_session": _l("Say you are in this session first (“I'm here”), then write its report."),
    "owner_for_actions": _l("Only an action has an owner and a date."),
    "vote_not_open": _l("The vote is not open."),
    "vote_already_open": _l("The vote is already open."),
    "dot_used": _l("This dot is already placed."),
    "no_dots_left": _l("You have used all your %(budget)s dots: take one back to vote elsewhere."),
    "no_dot_here": _l("You have no dot on this to take back."),
    "not_votable": _l("Only the topics (and report proposals) of this block can get dots."),
    "tables_full": _l(
        "%(people)s people do not fit at tables with %(seats)s seats in all: add a table or raise a capacity."
    ),
    "intro_too_complex": _l(
        "This introduction has too many brackets or nested levels to be laid out (at most %(brackets)s “[” and %(levels)s levels of lists or quotes): simplify it."
    ),
    "one_participant": _l("This connection already joined another workshop: reload the page to join this one."),
    "rate_limited": _l("Too many messages in a short time: wait a moment, nothing you wrote is lost."),
    "internal": _l("Something went wrong on the server; nothing was saved. Please try again."),
    # the roster (issue 16): the whole file, then one row
    "roster_missing": _l("Choose the roster file (CSV) or paste its lines."),
    "roster_too_big": _l("The roster file is larger than %(max)s KB: split it in two."),
    "roster_not_text": _l("This file is not a CSV text file: in the spreadsheet, save it as “CSV”."),
    "roster_empty": _l("The roster file is empty."),
    "roster_too_long": _l("The roster holds more than %(max)s people: split it in two."),
    "roster_no_name": _l("the name is empty."),
    "roster_name_too_long": _l("the name is longer than %(max)s characters."),
    "roster_twice": _l("%(name)s is already on line %(other)s (add an initial to tell them apart)."),
    "roster_unknown_sector": _l("the sector “%(sector)s” is not one of the workshop’s sectors."),
    "roster_sector_too_long": _l("the sector is longer than %(max)s characters."),
    "roster_bad_table": _l("“%(table)s” is not a table number."),
    "roster_unknown_table": _l("there is no table %(table)s in this workshop’s World Café."),
    "roster_bad_role": _l("the role “%(role)s” is neither “host” nor empty."),
    "roster_two_hosts": _l("table %(table)s already has a host on line %(other)s."),
    "roster_no_free_table": _l("every table already has a host: %(name)s cannot host one."),
}


# Refusals that say "later", not "never": a phone keeps the write and sends it again (same id,
# stored once). The pages carry this list (<body data-retryable>) for the phone's outboxes.
RETRYABLE = ("internal", "not_joined", "rate_limited")


def describe(error: WorkshopError) -> str:
    template = MESSAGES.get(error.code, MESSAGES["internal"])
    params = dict(error.params)
    if "field" in params:
        params["field"] = str(FIELD_NAMES.get(str(params["field"]), params["field"]))
    return str(template) % params if params else str(template)


def error_payload(error: WorkshopError) -> dict:
    return {"ok": False, "error": {"code": error.code, "message": describe(error)}}
