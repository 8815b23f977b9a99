"""The role matrix: every protected route and event tried with no key, a participant token,
the secretariat key, a key of another workshop and the right key."""

from __future__ import annotations

import uuid

import pytest


@pytest.fixture
def two(create_workshop, connect):
    ours, theirs = create_workshop(), create_workshop()
    phone = connect({"code": ours["code"], "role": "participant", "table": 1})
    facilitator = connect({"code": ours["code"], "role": "facilitator", "key": ours["facilitator_key"]})
    state = facilitator.ack["state"]
    return {
        "ours": ours,
        "theirs": theirs,
        "token": phone.ack["participant"],
        "block": state["blocks"][0]["id"],
        "round": state["blocks"][0]["rounds"][0]["id"],
        "facilitator": facilitator,
        "phone": phone,
    }


def credentials(two) -> dict[str, str | None]:
    return {
        "none": None,
        "participant token": two["token"],
        "secretariat": two["ours"]["secretariat_key"],
        "another workshop's facilitator": two["theirs"]["facilitator_key"],
        "another workshop's secretariat": two["theirs"]["secretariat_key"],
        "facilitator": two["ours"]["facilitator_key"],
    }


FACILITATOR_PAGES = ["/w/{code}/facilitate", "/w/{code}/blocks/{block}/plan", "/w/{code}/curate"]
RESULTS = ["/w/{code}/results", *[f"/w/{{code}}/results.{ext}" for ext in ("md", "html", "docx", "csv", "json")]]
CONSOLE_FORMS = [
    "/w/{code}/rounds/{round}/start",
    "/w/{code}/rounds/{round}/extend",
    "/w/{code}/rounds/{round}/close",
    "/w/{code}/rounds/{round}/shorten",
    "/w/{code}/rounds/{round}/end",
    "/w/{code}/rounds/{round}/reopen",
    "/w/{code}/rounds/{round}/skip",
    "/w/{code}/rounds/{round}/unskip",
    "/w/{code}/blocks/next",
    "/w/{code}/blocks/{block}/select",
    "/w/{code}/blocks/{block}/harvest/open",
    "/w/{code}/blocks/{block}/harvest/cancel",
    "/w/{code}/tables/1/host",
]


def fill(url: str, two) -> str:
    return url.format(code=two["ours"]["code"], block=two["block"], round=two["round"])


@pytest.mark.parametrize("url", FACILITATOR_PAGES + RESULTS)
def test_protected_pages_by_credential(app, url, two):
    allowed = {"facilitator"} | ({"secretariat"} if url in RESULTS else set())
    for who, key in credentials(two).items():
        for how in ("query", "bearer"):
            client = app.test_client()  # no session cookie from an earlier try
            target = fill(url, two) + (f"?key={key}" if key and how == "query" else "")
            headers = {"Authorization": f"Bearer {key}"} if key and how == "bearer" else {}
            response = client.get(target, headers=headers)
            if who in allowed and (how == "query" or url in RESULTS):
                assert response.status_code in (200, 302), (who, how, url, response.status_code)
            else:
                assert response.status_code == 403, (who, how, url, response.status_code)
                body = response.get_data(as_text=True)
                assert "Quels sont les principaux défis" not in body  # no agenda data leaks


@pytest.mark.parametrize("url", CONSOLE_FORMS)
def test_console_forms_need_the_facilitator_key_in_the_session(app, url, two):
    # Refused tries first: the workshop is untouched when the facilitator's turn comes.
    for who, key in sorted(credentials(two).items(), key=lambda item: item[0] == "facilitator"):
        client = app.test_client()
        if key:
            client.post(f"/w/{two['ours']['code']}/facilitate", data={"key": key})  # the key form
        response = client.post(
            fill(url, two), data={"participant": "", "table": "1", "confirm": "1", "ends_at": "23:59"}
        )
        if who == "facilitator":
            assert response.status_code in (302, 303, 400), (who, url, response.status_code)
        else:
            assert response.status_code == 403, (who, url, response.status_code)


FACILITATOR_EVENTS = {
    "round:start": {"round": "{round}"},
    "round:extend": {"round": "{round}"},
    "round:close": {"round": "{round}"},
    "round:shorten": {"round": "{round}"},
    "round:end": {"round": "{round}", "ends_at": "23:59"},
    "round:reopen": {"round": "{round}"},
    "round:skip": {"round": "{round}"},
    "round:unskip": {"round": "{round}"},
    "harvest:cancel": {"block": "{block}"},
    "block:next": {},
    "block:select": {"block": "{block}"},
    "note:hide": {"note": str(uuid.uuid4())},
    "note:show": {"note": str(uuid.uuid4())},
    "host:assign": {"table": 1},
    "participant:move": {"participant": 1, "table": 2},
    "harvest:open": {"block": "{block}"},
    "harvest:close": {"block": "{block}"},
    "theme:create": {"title": "Thème"},
    "section:create": {"title": "Section"},
    "wall:update": {"block": "{block}", "slots": [{"id": "a", "label": "A"}], "spaces": [{"id": "b", "name": "B"}]},
    "vote:open": {"block": "{block}"},
    "vote:close": {"block": "{block}"},
}


def payload_for(event: str, two) -> dict:
    values = {"{round}": two["round"], "{block}": two["block"]}
    return {k: values.get(v, v) if isinstance(v, str) else v for k, v in FACILITATOR_EVENTS[event].items()}


@pytest.mark.parametrize("event", sorted(FACILITATOR_EVENTS))
def test_facilitator_events_by_role(event, two, connect):
    code = two["ours"]["code"]
    before = two["facilitator"].emit("state:get", {}, callback=True)["state"]
    board = connect({"code": code, "role": "board"})
    for sio in (two["phone"], board):
        ack = sio.emit(event, payload_for(event, two), callback=True)
        assert ack["ok"] is False and ack["error"]["code"] == "forbidden", (event, ack)
    for key in (two["ours"]["secretariat_key"], two["theirs"]["facilitator_key"], two["token"], None):
        sio = connect({"code": code, "role": "facilitator", "key": key})
        assert sio.ack["ok"] is False and sio.ack["error"]["code"] == "wrong_key"
        ack = sio.emit(event, payload_for(event, two), callback=True)
        assert ack["ok"] is False and ack["error"]["code"] == "not_joined", (event, ack)
    after = two["facilitator"].emit("state:get", {}, callback=True)["state"]
    assert (after["blocks"], after["current"], after["themes"], after["sections"]) == (
        before["blocks"],
        before["current"],
        before["themes"],
        before["sections"],
    )


def test_a_participant_acts_only_as_itself(two, connect):
    code = two["ours"]["code"]
    two["facilitator"].emit("round:start", {"round": two["round"]}, callback=True)
    other = connect({"code": code, "role": "participant", "table": 2})
    note = two["phone"].emit("note:post", {"id": str(uuid.uuid4()), "text": "À moi"}, callback=True)["note"]
    # Another phone can neither take the note's id, nor hide it, nor star it.
    assert (
        other.emit("note:post", {"id": note["id"], "text": "Volé"}, callback=True)["error"]["code"] == "note_id_taken"
    )
    assert other.emit("note:hide", {"note": note["id"]}, callback=True)["error"]["code"] == "forbidden"
    assert other.emit("note:star", {"note": note["id"]}, callback=True)["error"]["code"] == "not_host"
    # A token is the phone's only in its own workshop.
    stranger = connect({"code": two["theirs"]["code"], "role": "participant", "participant": two["token"]})
    assert stranger.ack["participant"] != two["token"]
