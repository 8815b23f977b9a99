"""Open Space events: topics, the wall, attendance, reports, the dot vote."""

from __future__ import annotations

import uuid

from flask import request

from workshop import clock
from workshop.domain.errors import WorkshopError
from workshop.domain.notes import NOTE_MAX_LENGTH
from workshop.domain.openspace import REPORT_TAGS, TOPIC_DESCRIPTION_MAX, TOPIC_TITLE_MAX
from workshop.live import participants as participant_service
from workshop.live.serialize import note_json
from workshop.models import Participant, Workshop
from workshop.openspace import writes as openspace
from workshop.realtime.connections import enter_rooms
from workshop.realtime.handlers import (
    BLOCK_REF,
    check_note_text,
    handler,
    participant_of,
    payload_of,
    workshop_of,
)
from workshop.realtime.presence import Connection
from workshop.validation import Field

TOPIC_PROPOSE = (
    Field("id", kind="uuid", required=True),
    Field("title", required=True, max_length=TOPIC_TITLE_MAX),
    Field("convener", max_length=participant_service.NAME_MAX_LENGTH),
    Field("description", max_length=TOPIC_DESCRIPTION_MAX),
)


TOPIC_RENAME = (
    Field("topic", kind="uuid", required=True),
    Field("title", max_length=TOPIC_TITLE_MAX),
    Field("description", max_length=TOPIC_DESCRIPTION_MAX),
)


TOPIC_REF = (Field("topic", kind="uuid", required=True),)


TOPIC_SCHEDULE = (
    Field("topic", kind="uuid", required=True),
    Field("slot", required=True, max_length=64),
    Field("space", required=True, max_length=64),
)


TOPIC_ATTEND = (Field("topic", kind="uuid"),)


WALL_UPDATE = (
    Field("block", kind="int", required=True),
    Field(
        "slots",
        kind="object_list",
        required=True,
        max_items=48,
        items=(Field("id", required=True, max_length=64), Field("label", required=True, max_length=100)),
    ),
    Field(
        "spaces",
        kind="object_list",
        required=True,
        max_items=100,
        items=(Field("id", required=True, max_length=64), Field("name", required=True, max_length=100)),
    ),
)


REPORT_POST = (
    Field("id", kind="uuid", required=True),
    Field("topic", kind="uuid", required=True),
    Field("text", kind="text", required=True, max_length=NOTE_MAX_LENGTH),
    Field("tag", kind="choice", choices=REPORT_TAGS),
    Field("owner", max_length=60),
    Field("due", kind="date"),
    Field("color", max_length=16),
)


VOTE_OPEN = (
    Field("block", kind="int", required=True),
    Field("dots", kind="int", max_value=50),
    Field("top", kind="int", max_value=100),
)


VOTE_CAST = (
    Field("target", kind="choice", required=True, choices=("topic", "note")),
    Field("id", kind="uuid", required=True),
    Field("dot", kind="uuid"),
)


VOTE_WITHDRAW = (
    Field("target", kind="choice", required=True, choices=("topic", "note")),
    Field("id", kind="uuid", required=True),
)


def _actor(connection: Connection) -> Participant | None:
    """The participant acting, or None for the facilitator; a board acts on nothing."""
    if connection.role == "facilitator":
        return None
    if connection.role == "participant":
        return participant_of(connection)
    raise WorkshopError("forbidden")


def _follow_topics(workshop: Workshop, participant: Participant | None, connection: Connection) -> None:
    """The phone's socket joins the rooms of the sessions it now convenes or is in."""
    if participant is None:
        return
    topics = tuple(openspace.my_topics(workshop, participant))
    if topics != connection.topics:
        enter_rooms(request.sid, connection, Connection(**{**connection.__dict__, "topics": topics}))


@handler("topic:propose", TOPIC_PROPOSE, role="any")
def on_topic_propose(data: dict, connection: Connection):
    workshop = workshop_of(connection)
    actor = _actor(connection)
    topic, broadcasts = openspace.propose(
        workshop,
        data["id"],
        data["title"],
        clock.now(),
        convener=actor,
        convener_name=data["convener"],
        description=data["description"],
    )
    _follow_topics(workshop, actor, connection)
    return {"topic": openspace.topic_json(topic)}, broadcasts


@handler("topic:rename", TOPIC_RENAME, role="any")
def on_topic_rename(data: dict, connection: Connection):
    workshop = workshop_of(connection)
    return {}, openspace.rename(workshop, data["topic"], _actor(connection), data["title"], data["description"])


@handler("topic:withdraw", TOPIC_REF, role="any")
def on_topic_withdraw(data: dict, connection: Connection):
    workshop = workshop_of(connection)
    actor = _actor(connection)
    broadcasts = openspace.withdraw(workshop, data["topic"], actor, clock.now())
    _follow_topics(workshop, actor, connection)
    return {}, broadcasts


@handler("topic:schedule", TOPIC_SCHEDULE, role="any")
def on_topic_schedule(data: dict, connection: Connection):
    workshop = workshop_of(connection)
    _topic, broadcasts = openspace.schedule(workshop, data["topic"], data["slot"], data["space"], _actor(connection))
    return {"topic": payload_of(broadcasts, "topic:updated")["topic"]}, broadcasts


@handler("topic:unschedule", TOPIC_REF, role="any")
def on_topic_unschedule(data: dict, connection: Connection):
    return {}, openspace.unschedule(workshop_of(connection), data["topic"], _actor(connection))


@handler("wall:update", WALL_UPDATE, role="facilitator")
def on_wall_update(data: dict, connection: Connection):
    return {}, openspace.reshape_wall(workshop_of(connection), data["block"], data["slots"], data["spaces"])


@handler("topic:attend", TOPIC_ATTEND, role="participant")
def on_topic_attend(data: dict, connection: Connection):
    workshop = workshop_of(connection)
    participant = participant_of(connection)
    broadcasts = openspace.attend(workshop, participant, data["topic"], clock.now())
    _follow_topics(workshop, participant, connection)
    return {"topic": data["topic"]}, broadcasts


def post_report(data: dict, connection: Connection, workshop: Workshop, author: Participant | None):
    note, broadcasts = openspace.post_report(
        workshop,
        data["id"],
        data["topic"],
        data["text"],
        clock.now(),
        author=author,
        tag=data["tag"],
        owner=data["owner"],
        due=data["due"],
        color=data["color"],
    )
    return {"note": note_json(note)}, broadcasts


@handler("report:post", REPORT_POST, role="any", check=check_note_text, grouped=True)
def on_report_post(data: dict, connection: Connection):
    workshop = workshop_of(connection)
    return post_report(data, connection, workshop, _actor(connection))


@handler("vote:open", VOTE_OPEN, role="facilitator")
def on_vote_open(data: dict, connection: Connection):
    return {}, openspace.open_vote(workshop_of(connection), data["block"], data["dots"], data["top"])


@handler("vote:close", BLOCK_REF, role="facilitator")
def on_vote_close(data: dict, connection: Connection):
    broadcasts = openspace.close_vote(workshop_of(connection), data["block"])
    return payload_of(broadcasts, "vote:closed"), broadcasts


@handler("vote:cast", VOTE_CAST, role="participant", grouped=True)
def on_vote_cast(data: dict, connection: Connection):
    dot = data["dot"] or str(uuid.uuid4())
    return openspace.cast(
        workshop_of(connection), participant_of(connection), dot, data["target"], data["id"], clock.now()
    )


@handler("vote:withdraw", VOTE_WITHDRAW, role="participant", grouped=True)
def on_vote_withdraw(data: dict, connection: Connection):
    return openspace.withdraw_dot(workshop_of(connection), participant_of(connection), data["target"], data["id"])
