"""The JSON the server sends has the shapes declared in workshop/shapes.py, and static/js/shapes.js
mirrors them field for field (what tsc --checkJs checks the scripts against)."""

from __future__ import annotations

import re
import typing
import uuid

import pytest

from workshop import shapes
from workshop.config import PROJECT_ROOT

DEMI_JOURNEE = PROJECT_ROOT / "sessions" / "demi-journee-cafe-forum.toml"
TYPEDEF = re.compile(r"@typedef \{Object\} (\w+)(.*?)\*/", re.S)
PROPERTY = re.compile(r"@property \{(.+?)\} (\[?)(\w+)\]?")
SHAPES = [value for name, value in vars(shapes).items() if name.endswith("JSON") and isinstance(value, type)]


def script_typedefs() -> dict[str, dict[str, bool]]:
    """Each typedef of static/js/shapes.js: its properties, and whether each is optional."""
    text = (PROJECT_ROOT / "static" / "js" / "shapes.js").read_text(encoding="utf-8")
    return {
        name: {prop: bool(optional) for _type, optional, prop in PROPERTY.findall(body)}
        for name, body in TYPEDEF.findall(text)
    }


def fields(shape) -> dict[str, bool]:
    return {key: key in shape.__optional_keys__ for key in typing.get_type_hints(shape)}


@pytest.mark.parametrize("shape", SHAPES, ids=lambda shape: shape.__name__)
def test_the_scripts_typedef_mirrors_the_python_shape(shape):
    typedefs = script_typedefs()
    assert shape.__name__ in typedefs, f"static/js/shapes.js has no @typedef {shape.__name__}"
    assert typedefs[shape.__name__] == fields(shape)


def conforms(shape, data: dict, where: str) -> None:
    required, optional = set(shape.__required_keys__), set(shape.__optional_keys__)
    keys = set(data)
    assert required <= keys, f"{where}: {shape.__name__} lacks {sorted(required - keys)}"
    assert keys <= required | optional, f"{where}: {shape.__name__} has undeclared {sorted(keys - required - optional)}"


def test_the_snapshot_and_events_have_the_declared_shapes(create_workshop, connect):
    keys = create_workshop(DEMI_JOURNEE)
    facilitator = connect({"code": keys["code"], "role": "facilitator", "key": keys["facilitator_key"]})
    assert facilitator.ack["ok"] is True, facilitator.ack
    conforms(shapes.AckJSON, {"ok": True}, "ack")
    state = facilitator.ack["state"]
    conforms(shapes.WorkshopJSON, state["workshop"], "workshop")
    methods = set()
    for block in state["blocks"]:
        methods.add(block["method"])
        conforms(shapes.BlockJSON, block, f"block {block['id']}")
        for round_ in block["rounds"]:
            conforms(shapes.RoundJSON, round_, f"round {round_['id']}")
        for table in block["tables"]:
            conforms(shapes.TableJSON, table, f"table {table['number']}")
        if "wall" in block:
            conforms(shapes.WallJSON, block["wall"], "wall")
            conforms(shapes.VoteJSON, block["vote"], "vote")
    assert methods == {"world-cafe", "open-space"}

    cafe = next(block for block in state["blocks"] if block["method"] == "world-cafe")
    phone = connect({"code": keys["code"], "role": "participant", "name": "Awa", "table": cafe["tables"][0]["number"]})
    started = facilitator.emit("round:start", {"round": cafe["rounds"][0]["id"]}, callback=True)
    assert started["ok"] is True, started
    posted = phone.emit("note:post", {"id": str(uuid.uuid4()), "text": "Des jeunes l'ont dit"}, callback=True)
    assert posted["ok"] is True, posted
    conforms(shapes.NoteJSON, posted["note"], "note:post ack")
    added = [e["args"][0] for e in facilitator.get_received() if e["name"] == "note:added"]
    assert added, "the console got no note:added"
    conforms(shapes.NoteJSON, added[-1]["note"], "note:added")

    board = connect({"code": keys["code"], "role": "board"})
    for who, sio in (("facilitator", facilitator), ("board", board), ("phone", phone)):
        snapshot = sio.emit("state:get", {}, callback=True)["state"]
        conforms(shapes.SnapshotJSON, snapshot, f"{who}'s snapshot")
        conforms(shapes.CurrentJSON, snapshot["current"], f"{who}'s current")
        for note in snapshot["notes"]:
            conforms(shapes.NoteJSON, note, f"a note of the {who}'s snapshot")
    conforms(shapes.MeJSON, phone.emit("state:get", {}, callback=True)["state"]["me"], "the phone's me")

    refused = phone.emit("note:post", {"id": "not a uuid", "text": ""}, callback=True)
    assert refused["ok"] is False
    conforms(shapes.AckJSON, {k: v for k, v in refused.items() if k in ("ok", "error")}, "refusal")
    conforms(shapes.ErrorJSON, refused["error"], "error")

    forum = next(block for block in state["blocks"] if block["method"] == "open-space")
    select = facilitator.emit("block:select", {"block": forum["id"]}, callback=True)
    assert select["ok"] is True, select
    proposed = phone.emit("topic:propose", {"id": str(uuid.uuid4()), "title": "Le logement"}, callback=True)
    assert proposed["ok"] is True, proposed
    conforms(shapes.TopicJSON, proposed["topic"], "topic:propose ack")


def test_the_pages_tell_the_phones_which_refusals_to_retry(client, create_workshop):
    """The phone's outboxes (static/js/outbox.js) read the retryable codes from the page: the same
    list as the server's, each a code the server knows how to explain."""
    from workshop.messages import MESSAGES, RETRYABLE

    workshop = create_workshop()
    page = client.get(f"/j/{workshop['code']}").get_data(as_text=True)
    carried = re.search(r'<body[^>]* data-retryable="([^"]*)"', page)
    assert carried, "the participant page carries no data-retryable"
    assert carried.group(1).split(",") == list(RETRYABLE)
    assert set(RETRYABLE) <= set(MESSAGES)
    assert "note_too_long" not in RETRYABLE  # a refusal for good gives the text back to its person
