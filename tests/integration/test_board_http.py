"""The board over plain HTTP: the state it polls while its socket is silent, and the console's
no-JavaScript switch between the live wall and the results."""

from __future__ import annotations

import re
import uuid

import pytest


def ok(ack):
    assert ack["ok"] is True, ack
    return ack


@pytest.fixture
def workshop(create_workshop):
    return create_workshop()


@pytest.fixture
def english(client):
    client.set_cookie("lang", "en")
    return client


@pytest.fixture
def room(workshop, connect):
    """A running first round, two notes from table 1 (one hidden), a theme filed under a section."""
    code = workshop["code"]
    facilitator = connect({"code": code, "role": "facilitator", "key": workshop["facilitator_key"]})
    phone = connect({"code": code, "role": "participant", "table": 1, "name": "Marie"})
    first = facilitator.ack["state"]["blocks"][0]["rounds"][0]["id"]
    ok(facilitator.emit("round:start", {"round": first}, callback=True))
    shown = ok(phone.emit("note:post", {"id": str(uuid.uuid4()), "text": "Plus de rencontres"}, callback=True))["note"]
    hidden = ok(phone.emit("note:post", {"id": str(uuid.uuid4()), "text": "Hors sujet"}, callback=True))["note"]
    ok(facilitator.emit("note:hide", {"note": hidden["id"]}, callback=True))
    ok(facilitator.emit("note:star", {"note": shown["id"]}, callback=True))
    theme = ok(facilitator.emit("theme:create", {"title": "Fonctionnement", "notes": [shown["id"]]}, callback=True))[
        "theme"
    ]
    section = ok(
        facilitator.emit(
            "section:create", {"title": "Résultats – Table", "intro": "Ce que la *Table* retient."}, callback=True
        )
    )["section"]
    ok(facilitator.emit("section:file", {"section": section["id"], "themes": [theme["id"]]}, callback=True))
    return {"facilitator": facilitator, "shown": shown, "hidden": hidden, "theme": theme, "section": section}


def login(client, workshop) -> None:
    assert client.get(f"/w/{workshop['code']}/facilitate?key={workshop['facilitator_key']}").status_code == 302


# --------------------------------------------------------------------------- /w/CODE/board/state.json


def test_the_board_state_is_the_board_snapshot_without_hidden_notes(client, workshop, room, connect):
    response = client.get(f"/w/{workshop['code']}/board/state.json")
    assert response.status_code == 200
    assert response.mimetype == "application/json"
    assert response.headers["Cache-Control"] == "no-store"
    state = response.get_json()
    assert set(state) >= {
        "workshop",
        "blocks",
        "current",
        "notes",
        "topics",
        "themes",
        "sections",
        "board_view",
        "now",
        "role",
    }
    assert state["role"] == "board"
    assert state["workshop"]["code"] == workshop["code"]
    assert state["board_view"] == "live"
    ids = [n["id"] for n in state["notes"]]
    assert ids == [room["shown"]["id"]]  # the hidden note stays out
    assert room["hidden"]["id"] not in response.get_data(as_text=True)
    note = state["notes"][0]
    assert note["starred"] is True and note["theme"] == room["theme"]["id"]
    assert [t["id"] for t in state["themes"]] == [room["theme"]["id"]]
    assert state["themes"][0]["section"] == room["section"]["id"]
    assert state["sections"][0]["title"] == "Résultats – Table"
    # Nothing a board may not see: no participants list, no participant's own part.
    assert "participants" not in state and "me" not in state

    # What the board's socket gets when it joins, but for the clock.
    board = connect({"code": workshop["code"], "role": "board"})
    joined = {k: v for k, v in board.ack["state"].items() if k != "now"}
    assert {k: v for k, v in state.items() if k != "now"} == joined


def test_the_board_state_needs_no_key_and_follows_the_view(client, workshop, room):
    ok(room["facilitator"].emit("board:view", {"view": "results"}, callback=True))
    state = client.get(f"/w/{workshop['code']}/board/state.json").get_json()
    assert state["board_view"] == "results"
    # The code in any case, as the board page takes it.
    assert client.get(f"/w/{workshop['code'].lower()}/board/state.json").status_code == 200


@pytest.mark.parametrize("code", ["NOPE42", "x" * 40, "%3Cscript%3E"])
def test_an_unknown_code_gets_a_404_that_no_cache_keeps(client, code):
    response = client.get(f"/w/{code}/board/state.json")
    assert response.status_code == 404
    assert response.headers["Cache-Control"] == "no-store"
    body = response.get_json()
    assert body["ok"] is False and body["error"]["code"] == "unknown_workshop"


def test_the_board_state_is_read_only(client, workshop):
    assert client.post(f"/w/{workshop['code']}/board/state.json").status_code == 405


# --------------------------------------------------------------------------- the board page


def test_the_board_page_carries_what_its_script_needs(english, workshop):
    page = english.get(f"/w/{workshop['code']}/board").get_data(as_text=True)
    assert f'data-state-url="/w/{workshop["code"]}/board/state.json"' in page
    assert 'data-poll="5"' in page
    assert 'data-view="live"' in page
    assert "board--results" not in page
    assert '<section id="results" class="results"' in page
    assert 'id="chime"' in page  # the chime toggle, revealed by the script
    assert "Connection lost: the board updates every %(seconds)s s." in page  # the banner's words


# --------------------------------------------------------------------------- the console's switch, without JavaScript


def test_the_console_switch_moves_the_board_to_the_results_and_back(english, workshop, room, connect):
    board = connect({"code": workshop["code"], "role": "board"})
    board.get_received()
    login(english, workshop)
    console = english.get(f"/w/{workshop['code']}/facilitate").get_data(as_text=True)
    form = re.search(r'<form id="board-view".*?</form>', console, re.S).group(0)
    assert f'action="/w/{workshop["code"]}/board/view"' in form
    assert re.search(r'value="live" class="button"\s+aria-pressed="true"', form)
    assert re.search(r'value="results" class="button"\s+aria-pressed="false"', form)

    response = english.post(f"/w/{workshop['code']}/board/view", data={"view": "results"})
    assert response.status_code == 303
    assert response.headers["Location"].endswith(f"/w/{workshop['code']}/facilitate")
    assert [e["args"][0] for e in board.get_received() if e["name"] == "board:view"] == [{"view": "results"}]
    page = english.get(f"/w/{workshop['code']}/board").get_data(as_text=True)
    assert re.search(r'<body class="board[^"]* board--results"', page)
    assert 'data-view="results"' in page
    assert re.search(r'<div id="wall"[^>]* hidden>', page)
    console = english.get(f"/w/{workshop['code']}/facilitate").get_data(as_text=True)
    assert re.search(r'value="results" class="button"\s+aria-pressed="true"', console)

    assert english.post(f"/w/{workshop['code']}/board/view", data={"view": "live"}).status_code == 303
    assert [e["args"][0] for e in board.get_received() if e["name"] == "board:view"] == [{"view": "live"}]
    assert "board--results" not in english.get(f"/w/{workshop['code']}/board").get_data(as_text=True)


@pytest.mark.parametrize("view", ["", "board", "RESULTS", "live" * 100])
def test_the_console_switch_refuses_anything_else(english, workshop, view):
    login(english, workshop)
    response = english.post(f"/w/{workshop['code']}/board/view", data={"view": view})
    assert response.status_code == 400
    assert english.get(f"/w/{workshop['code']}/board/state.json").get_json()["board_view"] == "live"


def test_the_console_switch_needs_the_facilitator(english, workshop):
    response = english.post(f"/w/{workshop['code']}/board/view", data={"view": "results"})
    assert response.status_code == 403
    assert english.get(f"/w/{workshop['code']}/board/state.json").get_json()["board_view"] == "live"
    assert english.post("/w/NOPE42/board/view", data={"view": "results"}).status_code == 404


# --------------------------------------------------------------------------- the countdown as the page arrives


def test_the_board_page_draws_the_countdown_state_before_its_script_runs(english, workshop, room, monkeypatch):
    import datetime as dt

    from workshop import clock

    state = english.get(f"/w/{workshop['code']}/board/state.json").get_json()
    ends = next(r for b in state["blocks"] for r in b["rounds"] if r["id"] == state["current"]["round"])["ends_at"]
    end = dt.datetime.fromisoformat(ends.replace("Z", "+00:00"))

    def timer(seconds_before_end: int) -> str:
        monkeypatch.setattr(clock, "now", lambda: end - dt.timedelta(seconds=seconds_before_end))
        page = english.get(f"/w/{workshop['code']}/board").get_data(as_text=True)
        return re.search(r'<p id="timer"[^>]*>[^<]*</p>', page).group(0)

    running = timer(600)
    assert 'data-status="running"' in running and "board-head__timer--running" in running
    last = timer(45)
    assert 'data-status="last-minute"' in last and "board-head__timer--last-minute" in last
    assert "1 min left" in last
    over = timer(-5)
    assert 'data-status="over"' in over and "board-head__timer--over" in over
    assert "Time is up" in over
