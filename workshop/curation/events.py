"""Curation events: themes, sections, filing, and the board's view."""

from __future__ import annotations

from workshop.curation import writes as curation
from workshop.realtime.handlers import (
    handler,
    workshop_of,
)
from workshop.realtime.presence import Connection
from workshop.validation import Field

BOARD_VIEW = (Field("view", kind="choice", required=True, choices=curation.BOARD_VIEWS),)


THEME_CREATE = (Field("title", required=True, max_length=200), Field("notes", kind="uuid_list"))


THEME_UPDATE = (
    Field("theme", kind="int", required=True),
    Field("title", max_length=200),
    Field("position", kind="int", min_value=0, max_value=10_000),
)


THEME_REF = (Field("theme", kind="int", required=True),)


NOTES_GROUP = (Field("notes", kind="uuid_list", required=True), Field("theme", kind="int"))


SECTION_CREATE = (Field("title", required=True, max_length=200), Field("intro", kind="text", max_length=10_000))


SECTION_UPDATE = (
    Field("section", kind="int", required=True),
    Field("title", max_length=200),
    Field("intro", kind="text", max_length=10_000),
    Field("position", kind="int", min_value=0, max_value=10_000),
)


SECTION_REF = (Field("section", kind="int", required=True),)


SECTION_FILE = (Field("section", kind="int"), Field("themes", kind="int_list"), Field("notes", kind="uuid_list"))


@handler("board:view", BOARD_VIEW, role="facilitator")
def on_board_view(data: dict, connection: Connection):
    return {}, curation.set_board_view(workshop_of(connection), data["view"])


@handler("theme:create", THEME_CREATE, role="facilitator")
def on_theme_create(data: dict, connection: Connection):
    theme, broadcasts = curation.create_theme(workshop_of(connection), data["title"], data["notes"])
    return {"theme": curation.theme_json(theme)}, broadcasts


@handler("theme:update", THEME_UPDATE, role="facilitator")
def on_theme_update(data: dict, connection: Connection):
    return {}, curation.update_theme(workshop_of(connection), data["theme"], data["title"], data["position"])


@handler("theme:delete", THEME_REF, role="facilitator")
def on_theme_delete(data: dict, connection: Connection):
    return {}, curation.delete_theme(workshop_of(connection), data["theme"])


@handler("notes:group", NOTES_GROUP, role="facilitator")
def on_notes_group(data: dict, connection: Connection):
    return {}, curation.group_notes(workshop_of(connection), data["notes"], data["theme"])


@handler("section:create", SECTION_CREATE, role="facilitator")
def on_section_create(data: dict, connection: Connection):
    section, broadcasts = curation.create_section(workshop_of(connection), data["title"], data["intro"] or "")
    return {"section": curation.section_json(section)}, broadcasts


@handler("section:update", SECTION_UPDATE, role="facilitator")
def on_section_update(data: dict, connection: Connection):
    return {}, curation.update_section(
        workshop_of(connection), data["section"], data["title"], data["intro"], data["position"]
    )


@handler("section:delete", SECTION_REF, role="facilitator")
def on_section_delete(data: dict, connection: Connection):
    return {}, curation.delete_section(workshop_of(connection), data["section"])


@handler("section:file", SECTION_FILE, role="facilitator")
def on_section_file(data: dict, connection: Connection):
    return {}, curation.file_under(workshop_of(connection), data["section"], data["themes"] or [], data["notes"] or [])
