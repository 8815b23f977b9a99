"""The Open Space parts of the pages (issue 4): the phone's marketplace and its no-JavaScript forms
(propose a topic, "I'm here"), a space's QR code, the board's and the console's agenda wall, the
console's plain forms, and the proceedings page.

Pages are asked in English (``lang`` cookie) so the assertions hold whatever the French catalogue says.
"""

from __future__ import annotations

import json
import re
import uuid

import pytest
from markupsafe import escape
from page_tree import Tree, ancestors, by_id, same_shape, template_root, with_class

from workshop.config import PROJECT_ROOT

FORUM_2009 = PROJECT_ROOT / "sessions" / "forum-ouvert-2009.toml"

NASTY = "<script>alert('x')</script>"


def html(response) -> str:
    return response.get_data(as_text=True)


def ok(ack: dict) -> dict:
    assert ack["ok"] is True, ack
    return ack


def new_id() -> str:
    return str(uuid.uuid4())


def alert(page: str) -> str:
    found = re.search(r'<p id="form-error" class="form-error" role="alert">(.*?)</p>', page, re.S)
    assert found, "no error shown"
    return found.group(1).strip()


def state(sio) -> dict:
    return ok(sio.emit("state:get", {}, callback=True))["state"]


def events(sio, name: str) -> list[dict]:
    return [e["args"][0] for e in sio.get_received() if e["name"] == name]


@pytest.fixture
def english(client):
    client.set_cookie("lang", "en")
    return client


@pytest.fixture
def forum(create_workshop, connect):
    """The 2009 Forum ouvert: its first phase (RÊVER) is current; a facilitator and a board joined."""
    keys = create_workshop(FORUM_2009)
    facilitator = connect({"code": keys["code"], "role": "facilitator", "key": keys["facilitator_key"]})
    board = connect({"code": keys["code"], "role": "board"})
    ok(facilitator.ack)
    ok(board.ack)
    dream = facilitator.ack["state"]["blocks"][0]
    return {
        **keys,
        "facilitator": facilitator,
        "board": board,
        "block": dream,
        "slots": dream["wall"]["slots"],
        "spaces": dream["wall"]["spaces"],
    }


def phone(connect, code: str, name: str | None = None):
    join = {"code": code, "role": "participant"} | ({"name": name} if name else {})
    sio = connect(join)
    ok(sio.ack)
    return sio


def propose(sio, title: str, **extra) -> dict:
    return ok(sio.emit("topic:propose", {"id": new_id(), "title": title, **extra}, callback=True))["topic"]


def place(facilitator, topic: dict, slot: dict, space: dict) -> None:
    ok(
        facilitator.emit(
            "topic:schedule", {"topic": topic["id"], "slot": slot["id"], "space": space["id"]}, callback=True
        )
    )


def login(client, keys) -> None:
    assert client.get(f"/w/{keys['code']}/facilitate?key={keys['facilitator_key']}").status_code == 302


# --------------------------------------------------------------------------- the phone page


def test_the_phone_shows_the_marketplace_in_an_open_space_block(english, forum):
    page = html(english.get(f"/j/{forum['code']}"))
    assert '<div id="openspace" class="os"\n' in page  # shown: no hidden attribute
    assert 'id="topic-form"' in page and f'action="/j/{forum["code"]}/topics"' in page
    assert "Propose a topic" in page and 'maxlength="120"' in page and 'maxlength="200"' in page
    assert "RÊVER" in page
    assert escape("Nous sommes en 2013, faisons le bilan") in page  # the phase's question, before any round
    assert '<section id="post" class="post" aria-labelledby="post-heading" hidden>' in page  # reports replace notes
    assert '<span id="timer" class="timer" role="timer" data-status="none"></span>' in page  # no round to wait for


def test_the_phone_shows_no_marketplace_in_a_world_cafe_block(english, create_workshop):
    keys = create_workshop()  # the 2010 Café: its first block is a World Café
    page = html(english.get(f"/j/{keys['code']}?table=2"))
    assert '<div id="openspace" class="os" hidden' in page
    assert '<section id="post" class="post" aria-labelledby="post-heading">' in page  # the note form is there
    assert "Table 2" in page


def test_the_convener_field_is_the_phone_s_name(english, forum):
    assert english.post(f"/j/{forum['code']}/join", data={"name": "Awa"}).status_code == 303
    page = html(english.get(f"/j/{forum['code']}"))
    assert re.search(r'id="topic-convener" name="convener"[^>]*value="Awa"', page)


# --------------------------------------------------------------------------- proposing without JavaScript


def test_a_topic_proposed_by_the_plain_form(english, forum):
    forum["board"].get_received()
    topic_id = new_id()
    form = {"id": topic_id, "title": "  Loger les familles  ", "description": "Logement abordable", "convener": "Awa"}
    response = english.post(f"/j/{forum['code']}/topics", data=form)
    assert response.status_code == 303
    assert response.headers["Location"].endswith(f"/j/{forum['code']}")
    page = html(english.get(response.headers["Location"]))
    assert "Your topic “Loger les familles” is on the marketplace." in page
    assert "You convene" in page  # the phone's session list: its topic and its report
    added = events(forum["board"], "topic:added")
    assert [(a["topic"]["title"], a["topic"]["convener"], a["topic"]["description"]) for a in added] == [
        ("Loger les familles", "Awa", "Logement abordable")
    ]
    # The same form sent again (a double tap, a reload) is one topic.
    assert english.post(f"/j/{forum['code']}/topics", data=form).status_code == 303
    topics = state(forum["facilitator"])["topics"]
    assert [t["id"] for t in topics] == [topic_id]
    assert topics[0]["block"] == forum["block"]["id"] and topics[0]["convener_id"] is not None


@pytest.mark.parametrize(
    "title, message",
    [
        ("", "A title cannot be empty."),
        ("   ", "A title cannot be empty."),
        ("x" * 121, "The field “title” is longer than 120 characters."),
    ],
)
def test_a_bad_title_is_refused_readably(english, forum, title, message):
    topic_id = new_id()
    response = english.post(
        f"/j/{forum['code']}/topics", data={"id": topic_id, "title": title, "description": "Gardée"}
    )
    assert response.status_code == 400
    page = html(response)
    assert alert(page) == message
    assert 'value="Gardée"' in page  # what was typed stays in the form, with the same id
    assert f'name="id" value="{topic_id}"' in page
    assert state(forum["facilitator"])["topics"] == []


def test_an_overlong_description_is_refused(english, forum):
    response = english.post(
        f"/j/{forum['code']}/topics", data={"id": new_id(), "title": "Ok", "description": "y" * 201}
    )
    assert response.status_code == 400
    assert alert(html(response)) == "The field “description” is longer than 200 characters."


def test_no_topic_without_an_open_space_block(english, create_workshop):
    keys = create_workshop()  # the 2010 Café: its current block is a World Café
    response = english.post(f"/j/{keys['code']}/topics", data={"id": new_id(), "title": "Un sujet"})
    assert response.status_code == 400
    assert alert(html(response)) == "No Open Space block is open right now."


def test_a_bad_topic_id_is_refused(english, forum):
    response = english.post(f"/j/{forum['code']}/topics", data={"id": "not-a-uuid", "title": "Ok"})
    assert response.status_code == 400
    assert "identifier made by the phone" in alert(html(response))


# --------------------------------------------------------------------------- "I'm here" without JavaScript


def test_i_m_here_by_the_plain_form_then_leaving(english, forum, connect):
    awa = phone(connect, forum["code"], "Awa")
    topic = propose(awa, "Logement")
    forum["board"].get_received()
    response = english.post(f"/j/{forum['code']}/attend", data={"topic": topic["id"]})
    assert response.status_code == 303
    page = html(english.get(response.headers["Location"]))
    assert "You are in “Logement”." in page
    assert "Leave this session" in page and "You are here" in page
    assert events(forum["board"], "attendance:updated")[-1] == {"attendance": {topic["id"]: 1}}
    assert {t["id"]: t["attendance"] for t in state(forum["board"])["topics"]} == {topic["id"]: 1}

    response = english.post(f"/j/{forum['code']}/attend", data={"topic": ""})
    assert response.status_code == 303
    assert "You left the session." in html(english.get(response.headers["Location"]))
    assert events(forum["board"], "attendance:updated")[-1] == {"attendance": {topic["id"]: 0}}


@pytest.mark.parametrize(
    "topic, message",
    [
        (str(uuid.UUID(int=7)), "This topic does not exist in this workshop."),
        ("nope", "The field “topic” must be an identifier made by the phone (a UUID)."),
    ],
)
def test_i_m_here_on_an_unknown_topic_is_refused(english, forum, topic, message):
    response = english.post(f"/j/{forum['code']}/attend", data={"topic": topic})
    assert response.status_code == 400
    assert alert(html(response)) == message


def test_a_withdrawn_topic_cannot_be_attended(english, forum, connect):
    awa = phone(connect, forum["code"], "Awa")
    topic = propose(awa, "Retiré")
    ok(awa.emit("topic:withdraw", {"topic": topic["id"]}, callback=True))
    response = english.post(f"/j/{forum['code']}/attend", data={"topic": topic["id"]})
    assert response.status_code == 400


# --------------------------------------------------------------------------- a space's QR code


def test_a_space_s_qr_code_offers_the_session_placed_there(english, forum, connect):
    f = forum["facilitator"]
    slots, spaces = forum["slots"], forum["spaces"]
    awa, marc, lina = (phone(connect, forum["code"], name) for name in ("Awa", "Marc", "Lina"))
    first = propose(awa, "Premier créneau en salle B")
    second = propose(marc, "Deuxième créneau en salle B")
    elsewhere = propose(lina, "Ailleurs")
    place(f, first, slots[0], spaces[1])
    place(f, second, slots[1], spaces[1])
    place(f, elsewhere, slots[1], spaces[0])

    # Nobody in a session yet: the first slot's session of that space.
    page = html(english.get(f"/j/{forum['code']}?space={spaces[1]['id']}"))
    assert f"In {spaces[1]['name']} now" in page
    here = page.split('id="os-here-body"', 1)[1].split("</section>", 1)[0]
    assert "Premier créneau en salle B" in here and "I'm in this session" in here
    assert f'name="topic" value="{first["id"]}"' in here.split("Other sessions in this space")[0]
    assert "Deuxième créneau en salle B" in here  # the space's other session, offered too

    # The room is in the second slot (people say so): that slot's session comes first.
    ok(lina.emit("topic:attend", {"topic": elsewhere["id"]}, callback=True))
    here = html(english.get(f"/j/{forum['code']}?space={spaces[1]['id']}")).split('id="os-here-body"', 1)[1]
    assert f'name="topic" value="{second["id"]}"' in here.split("Other sessions in this space")[0]

    # A topic's own code; a space with no session; an unknown space shows nothing.
    page = html(english.get(f"/j/{forum['code']}?topic={elsewhere['id']}"))
    assert f"In {spaces[0]['name']} now" in page and "Ailleurs" in page
    assert f"No session is placed in {spaces[2]['name']} yet." in html(
        english.get(f"/j/{forum['code']}?space={spaces[2]['id']}")
    )
    page = html(english.get(f"/j/{forum['code']}?space=nowhere"))
    assert '<section id="os-here" class="os-here" aria-labelledby="os-here-title" hidden>' in page


def test_the_qr_code_s_offer_then_i_m_here(english, forum, connect):
    awa = phone(connect, forum["code"], "Awa")
    topic = propose(awa, "Sur place")
    place(forum["facilitator"], topic, forum["slots"][0], forum["spaces"][0])
    assert english.get(f"/j/{forum['code']}?space={forum['spaces'][0]['id']}").status_code == 200
    assert english.post(f"/j/{forum['code']}/attend", data={"topic": topic["id"]}).status_code == 303
    page = html(english.get(f"/j/{forum['code']}?space={forum['spaces'][0]['id']}"))
    assert "You are in this session" in page


def test_space_cards_carry_the_space_s_qr_code(english, forum):
    login(english, forum)
    page = html(english.get(f"/w/{forum['code']}/cards"))
    for space in forum["spaces"]:
        assert f'src="/w/{forum["code"]}/qr.svg?space={space["id"]}"' in page
        assert escape(space["name"]) in page
    assert f"/j/{forum['code']}?space={forum['spaces'][0]['id']}" in page
    svg = english.get(f"/w/{forum['code']}/qr.svg?space={forum['spaces'][0]['id']}")
    assert svg.status_code == 200 and svg.mimetype == "image/svg+xml"
    assert svg.data != english.get(f"/w/{forum['code']}/qr.svg").data
    assert english.get(f"/w/{forum['code']}/qr.svg?space=nowhere").status_code == 404


# --------------------------------------------------------------------------- the board and the console


def test_the_board_shows_the_agenda_wall_of_the_phase(english, forum, connect):
    f = forum["facilitator"]
    awa = phone(connect, forum["code"], "Awa")
    placed = propose(awa, "Placé sur le mur")
    propose(awa, NASTY, convener="Awa B.")
    place(f, placed, forum["slots"][1], forum["spaces"][2])
    ok(awa.emit("topic:attend", {"topic": placed["id"]}, callback=True))

    page = html(english.get(f"/w/{forum['code']}/board"))
    assert 'class="board board--open-space"' in page
    agenda = page.split('id="agenda"', 1)[1].split('id="wall"', 1)[0]
    assert 'data-view="wall"' in agenda.split(">", 1)[0]
    for slot in forum["slots"]:
        assert escape(slot["label"]) in agenda
    for space in forum["spaces"]:
        assert f'<th scope="col" class="agenda-grid__space">{escape(space["name"])}</th>' in agenda
    cell = re.search(
        rf'data-slot="{forum["slots"][1]["id"]}" data-space="{forum["spaces"][2]["id"]}" data-topic="{placed["id"]}">(.*?)</td>',
        agenda,
        re.S,
    ).group(1)
    assert "Placé sur le mur" in cell and "Awa" in cell and "1 here" in cell
    market = agenda.split('id="agenda-market"', 1)[1].split("</ol>", 1)[0]
    assert escape(NASTY) in market and "Awa B." in market and NASTY not in page
    assert 'id="wall" class="wall"' in page and "hidden>" in page.split('id="wall"', 1)[1].split("\n", 1)[0]
    assert f'src="/w/{forum["code"]}/qr.svg"' in page  # the join code stays on screen
    assert escape("Nous sommes en 2013") in page


def test_the_board_shows_the_ranking_during_the_vote(english, forum, connect):
    f = forum["facilitator"]
    awa, marc = phone(connect, forum["code"], "Awa"), phone(connect, forum["code"], "Marc")
    one, two = propose(awa, "Un"), propose(marc, "Deux")
    ok(f.emit("vote:open", {"block": forum["block"]["id"], "dots": 2, "top": 1}, callback=True))
    for voter in (awa, marc):
        ok(voter.emit("vote:cast", {"target": "topic", "id": two["id"]}, callback=True))
    ok(awa.emit("vote:cast", {"target": "topic", "id": one["id"]}, callback=True))
    page = html(english.get(f"/w/{forum['code']}/board"))
    assert 'data-view="vote"' in page and "Vote: 2 dots each" in page
    ranking = page.split('id="ranking"', 1)[1].split("</ol>", 1)[0]
    assert ranking.index(">Deux<") < ranking.index(">Un<")
    assert "2 dots" in ranking and "1 dot<" in ranking
    ok(f.emit("vote:close", {"block": forum["block"]["id"]}, callback=True))
    page = html(english.get(f"/w/{forum['code']}/board"))
    assert 'data-view="result"' in page and "The priorities" in page
    assert re.search(rf'data-topic="{two["id"]}" data-selected="true"', page)


def test_the_board_fetches_its_open_space_view_from_the_same_partial(english, forum, connect):
    """GET /w/CODE/board/agenda is the view the board page includes, as it is now: the ranking with
    each bar's share of the top count, and the report proposals that got dots (one renderer)."""
    f = forum["facilitator"]
    awa, marc = phone(connect, forum["code"], "Awa"), phone(connect, forum["code"], "Marc")
    one, two = propose(awa, "Un"), propose(marc, NASTY)
    ok(awa.emit("topic:attend", {"topic": one["id"]}, callback=True))
    idea = {"id": new_id(), "topic": one["id"], "text": "Une banque de logements", "tag": "proposal"}
    ok(awa.emit("report:post", idea, callback=True))
    unvoted = {"id": new_id(), "topic": one["id"], "text": "Personne n'en veut", "tag": "proposal"}
    ok(awa.emit("report:post", unvoted, callback=True))
    before = html(english.get(f"/w/{forum['code']}/board/agenda"))
    assert 'data-view="wall"' in before and 'id="ranking-proposals" class="ranking__proposals" hidden' in before

    ok(f.emit("vote:open", {"block": forum["block"]["id"], "dots": 3, "top": 1}, callback=True))
    for voter in (awa, marc):
        ok(voter.emit("vote:cast", {"target": "topic", "id": two["id"]}, callback=True))
    ok(awa.emit("vote:cast", {"target": "topic", "id": one["id"]}, callback=True))
    ok(marc.emit("vote:cast", {"target": "note", "id": idea["id"]}, callback=True))
    response = english.get(f"/w/{forum['code']}/board/agenda")
    assert response.headers["Cache-Control"] == "no-store"
    fragment = html(response)
    assert 'data-view="vote"' in fragment and NASTY not in fragment
    ranking = fragment.split('id="ranking"', 1)[1].split("</ol>", 1)[0]
    shares = re.findall(r'data-topic="([^"]+)"[^>]*data-votes="(\d)".*?data-share="([\d.]+)"', ranking, re.S)
    assert shares == [(two["id"], "2", "1.0000"), (one["id"], "1", "0.5000")]
    proposals = fragment.split('id="ranking-proposals"', 1)[1].split("</div>", 1)[0]
    assert "hidden" not in proposals.split(">", 1)[0]
    assert f'data-note="{idea["id"]}"' in proposals and "1 dot<" in proposals
    assert unvoted["id"] not in proposals  # no dot, not listed
    # The page includes the same partial.
    page = html(english.get(f"/w/{forum['code']}/board"))
    assert fragment.strip() in page


def test_the_console_shows_the_wall_to_edit(english, forum, connect):
    f = forum["facilitator"]
    awa = phone(connect, forum["code"], "Awa")
    placed = propose(awa, "Au mur")
    waiting = propose(awa, "En attente")
    place(f, placed, forum["slots"][0], forum["spaces"][0])
    login(english, forum)
    page = html(english.get(f"/w/{forum['code']}/facilitate"))
    panel = page.split('id="os-panel"', 1)[1].split('id="live"', 1)[0]
    assert "hidden" not in panel.split(">", 1)[0]
    assert [m for m in re.findall(r'class="os-phase__title">([^<]+)<', panel)] == ["RÊVER", "CONCEVOIR", "LIVRER"]
    assert 'aria-current="step"' in panel.split("CONCEVOIR")[0]
    for space in forum["spaces"]:
        assert f'<th scope="col">{escape(space["name"])}</th>' in panel
    assert re.search(
        rf'data-slot="{forum["slots"][0]["id"]}" data-space="{forum["spaces"][0]["id"]}" data-free="false">\s*<article class="os-ctopic" data-topic="{placed["id"]}"',
        panel,
    )
    market = panel.split('id="os-market-list"', 1)[1].split("</ol>", 1)[0]
    assert "En attente" in market and "Au mur" not in market
    # The keyboard's way: each topic's "Place on…" lists the free cells only.
    select = re.search(rf'<select id="place-{waiting["id"]}"[^>]*>(.*?)</select>', panel, re.S).group(1)
    taken = json.dumps([forum["slots"][0]["id"], forum["spaces"][0]["id"]], separators=(",", ":"))
    free = json.dumps([forum["slots"][0]["id"], forum["spaces"][1]["id"]], separators=(",", ":"))
    assert str(escape(free)) in select and str(escape(taken)) not in select
    assert 'draggable="true"' in panel
    assert 'data-event="vote:open"' in panel and 'name="dots"' in panel and 'value="5"' in panel
    assert f'href="/w/{forum["code"]}/proceedings"' in page
    assert '<section id="live" class="live" aria-labelledby="live-title" hidden>' in page


def test_the_console_fetches_its_open_space_panel_from_the_same_partial(english, forum, connect):
    """GET /w/CODE/facilitate/openspace is the panel the console page includes, as it is now: the
    script swaps it in on each change (one renderer). It needs the facilitator's key."""
    code = forum["code"]
    assert english.get(f"/w/{code}/facilitate/openspace").status_code == 403
    awa = phone(connect, code, "Awa")
    login(english, forum)
    before = html(english.get(f"/w/{code}/facilitate/openspace"))
    assert 'id="os-panel"' in before and "os-ctopic" not in before
    nasty = propose(awa, NASTY)
    placed = propose(awa, "Au mur")
    place(forum["facilitator"], placed, forum["slots"][0], forum["spaces"][0])
    response = english.get(f"/w/{code}/facilitate/openspace")
    assert response.headers["Cache-Control"] == "no-store"
    fragment = html(response)
    assert NASTY not in fragment and str(escape(NASTY)) in fragment
    market = fragment.split('id="os-market-list"', 1)[1].split("</ol>", 1)[0]
    assert nasty["id"] in market and placed["id"] not in market
    assert re.search(rf'data-free="false">\s*<article class="os-ctopic" data-topic="{placed["id"]}"', fragment)
    # The controls the script keeps focus on across a swap are known by their data-key.
    for key in (f"place-go-{nasty['id']}", f"rename-go-{nasty['id']}", f"withdraw-{nasty['id']}", "os-dots"):
        assert f'data-key="{key}"' in fragment

    # The same markup as the page's own panel.
    def bare(markup: str) -> str:  # without the values made per request (new ids, CSRF tokens)
        return re.sub(r'(name="(?:id|csrf_token)" value)="[^"]*"', r"\1", markup).strip()

    page = bare(html(english.get(f"/w/{code}/facilitate")))
    panel = page[page.index('<section id="os-panel"') :]
    assert panel[: len(bare(fragment))] == bare(fragment)


def test_the_console_s_plain_forms(english, forum, connect):
    awa = phone(connect, forum["code"], "Awa")
    topic = propose(awa, "Par formulaire")
    login(english, forum)
    code, block = forum["code"], forum["block"]["id"]
    cell = json.dumps([forum["slots"][2]["id"], forum["spaces"][3]["id"]])
    assert english.post(f"/w/{code}/topics/{topic['id']}/schedule", data={"cell": cell}).status_code == 303
    wall = state(forum["facilitator"])["blocks"][0]["wall"]
    assert wall["cells"] == [{"slot": forum["slots"][2]["id"], "space": forum["spaces"][3]["id"], "topic": topic["id"]}]
    # A taken cell is refused on the console, readably.
    other = propose(awa, "Autre")
    refused = english.post(f"/w/{code}/topics/{other['id']}/schedule", data={"cell": cell})
    assert refused.status_code == 400 and "Another topic already holds this slot and space" in html(refused)
    assert english.post(f"/w/{code}/topics/{other['id']}/schedule", data={"cell": "nope"}).status_code == 400
    assert english.post(f"/w/{code}/topics/{topic['id']}/unschedule").status_code == 303
    assert (
        english.post(f"/w/{code}/topics/{topic['id']}/rename", data={"title": "Renommé", "description": ""}).status_code
        == 303
    )
    assert (
        english.post(f"/w/{code}/topics", data={"id": new_id(), "title": "Pour Yves", "convener": "Yves"}).status_code
        == 303
    )
    assert english.post(f"/w/{code}/topics/{other['id']}/withdraw").status_code == 303
    topics = {t["title"]: t for t in state(forum["facilitator"])["topics"]}
    assert set(topics) == {"Renommé", "Pour Yves"} and topics["Pour Yves"]["convener"] == "Yves"
    assert state(forum["facilitator"])["blocks"][0]["wall"]["cells"] == []

    assert english.post(f"/w/{code}/blocks/{block}/vote/open", data={"dots": "2", "top": "1"}).status_code == 303
    ok(awa.emit("vote:cast", {"target": "topic", "id": topic["id"]}, callback=True))
    assert english.post(f"/w/{code}/blocks/{block}/vote/close").status_code == 303
    assert (
        english.post(
            f"/w/{code}/topics/{topic['id']}/actions",
            data={"id": new_id(), "text": "Agir", "owner": "Awa", "due": "2009-09-01"},
        ).status_code
        == 303
    )
    page = html(english.get(f"/w/{code}/facilitate"))
    plan = page.split('id="os-plan"', 1)[1]
    assert "Renommé" in plan and "Agir" in plan and "Awa · by Sep 1, 2009" in plan
    # Without the facilitator key: the key form.
    stranger = english.application.test_client()
    assert stranger.post(f"/w/{code}/blocks/{block}/vote/open").status_code == 403


def test_world_cafe_console_has_no_open_space_panel(english, create_workshop):
    keys = create_workshop()
    login(english, keys)
    page = html(english.get(f"/w/{keys['code']}/facilitate"))
    assert re.search(r'<section id="os-panel" class="os-panel"[^>]*hidden>', page)
    assert '<section id="live" class="live" aria-labelledby="live-title">' in page


# --------------------------------------------------------------------------- the proceedings


@pytest.fixture
def reported(forum, connect):
    """A session placed, attended by two people (one of whom walked away), with a report."""
    f = forum["facilitator"]
    awa, marc, lina = (phone(connect, forum["code"], name) for name in ("Awa", "Marc", "Lina"))
    housing = propose(awa, "Loger les familles", description="Logement abordable")
    nasty = propose(marc, NASTY)
    place(f, housing, forum["slots"][1], forum["spaces"][2])
    ok(marc.emit("topic:attend", {"topic": housing["id"]}, callback=True))
    ok(lina.emit("topic:attend", {"topic": housing["id"]}, callback=True))
    ok(lina.emit("topic:attend", {"topic": nasty["id"]}, callback=True))  # the law of two feet
    ok(marc.emit("topic:attend", {"topic": housing["id"]}, callback=True))
    for sio, text, extra in (
        (awa, "Manque de logements", {}),
        (marc, "Une banque de logements", {"tag": "proposal"}),
        (awa, "Rencontrer l'OMH", {"tag": "action", "owner": "Lina", "due": "2009-09-01"}),
    ):
        ok(sio.emit("note:post", {"id": new_id(), "topic": housing["id"], "text": text, **extra}, callback=True))
    return {**forum, "housing": housing, "nasty": nasty}


def test_the_phone_page_groups_a_session_s_report_by_tag_as_the_script_does(english, reported, connect):
    """Without JavaScript the phone shows the report as phone-openspace.js builds it: a group per tag
    in the report's order, with its count, and an action's owner and date."""
    awa = phone(connect, reported["code"], "Awa Bis")
    ok(awa.emit("topic:attend", {"topic": reported["housing"]["id"]}, callback=True))
    english.get(f"/j/{reported['code']}/p/{awa.ack['participant']}")
    page = html(english.get(f"/j/{reported['code']}"))
    report = page[page.index('class="os-report"') :]
    report = report[: report.index("</section>")]
    groups = re.findall(
        r'<div class="os-report__group" data-tag="([\w-]+)">\s*<h5 class="os-report__tag"[^>]*>([^<]+)</h5>', report
    )
    assert groups == [("key-point", "Key points (1)"), ("proposal", "Proposals (1)"), ("action", "Actions (1)")]
    action = report[report.index('data-tag="action"') :]
    assert "Rencontrer l" in action and "Lina · by Sep 1, 2009" in action


def test_the_proceedings_list_every_session_with_its_report(english, reported):
    keys = reported
    response = english.get(
        f"/w/{keys['code']}/proceedings", headers={"Authorization": f"Bearer {keys['secretariat_key']}"}
    )
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"
    page = html(response)
    assert "Open Space proceedings" in page
    assert [m for m in re.findall(r'class="proc-block__title">([^<]+)<', page)] == ["RÊVER", "CONCEVOIR", "LIVRER"]
    session = page.split('id="proc-session-' + keys["housing"]["id"], 1)[1].split("</article>", 1)[0]
    assert "Loger les familles" in session and "Logement abordable" in session
    assert "<dd>Awa</dd>" in session
    assert f"<dd>{escape(keys['slots'][1]['label'])}</dd>" in session
    assert f"<dd>{escape(keys['spaces'][2]['name'])}</dd>" in session
    assert "<dd>2 people</dd>" in session  # Marc and Lina, each counted once
    key_points = session.split('data-tag="key-point"', 1)[1].split("</section>", 1)[0]
    proposals = session.split('data-tag="proposal"', 1)[1].split("</section>", 1)[0]
    actions = session.split('data-tag="action"', 1)[1].split("</section>", 1)[0]
    assert "Manque de logements" in key_points and "Une banque" not in key_points
    assert "Une banque de logements" in proposals
    assert (
        escape("Rencontrer l’OMH") in actions
        and "<td>Lina</td>" in actions
        and '<time datetime="2009-09-01">Sep 1, 2009</time>' in actions
    )
    # A topic titled like a script is text, not markup; a session without a report says so.
    assert escape(NASTY) in page and NASTY not in page
    nasty = page.split('id="proc-session-' + keys["nasty"]["id"], 1)[1].split("</article>", 1)[0]
    assert "No report yet." in nasty and "Not on the wall" in nasty and "<dd>1 person</dd>" in nasty
    assert f'href="/w/{keys["code"]}/results"' in page  # back to the secretariat's page


def test_the_proceedings_leave_hidden_notes_out(english, reported):
    f = reported["facilitator"]
    hidden = next(n for n in state(f)["notes"] if n["text"] == "Manque de logements")
    ok(f.emit("note:hide", {"note": hidden["id"]}, callback=True))
    page = html(
        english.get(f"/w/{reported['code']}/proceedings?key={reported['secretariat_key']}", follow_redirects=True)
    )
    assert "Manque de logements" not in page and "Une banque de logements" in page


def test_the_proceedings_show_the_priorities_once_voted(english, reported, connect):
    f = reported["facilitator"]
    voter = phone(connect, reported["code"], "Yves")
    ok(f.emit("vote:open", {"block": reported["block"]["id"], "dots": 1, "top": 1}, callback=True))
    ok(voter.emit("vote:cast", {"target": "topic", "id": reported["housing"]["id"]}, callback=True))
    ok(f.emit("vote:close", {"block": reported["block"]["id"]}, callback=True))
    login(english, reported)
    page = html(english.get(f"/w/{reported['code']}/proceedings"))
    priorities = page.split('class="proc-priorities"', 1)[1].split("</section>", 1)[0]
    assert "The priorities" in priorities and "Loger les familles" in priorities and "Selected" in priorities
    assert f'href="/w/{reported["code"]}/facilitate"' in page  # the facilitator's way back


def test_the_proceedings_need_the_secretariat_or_facilitator_key(app, reported, create_workshop, connect):
    code = reported["code"]
    other = create_workshop(FORUM_2009)
    token = phone(connect, code, "Awa").ack["participant"]
    for key in (None, token, other["secretariat_key"], other["facilitator_key"], "wrong"):
        for how in ("query", "bearer"):
            client = app.test_client()
            client.set_cookie("lang", "en")
            url = f"/w/{code}/proceedings" + (f"?key={key}" if key and how == "query" else "")
            headers = {"Authorization": f"Bearer {key}"} if key and how == "bearer" else {}
            response = client.get(url, headers=headers)
            assert response.status_code == 403, (key, how)
            body = html(response)
            assert "Loger les familles" not in body and "Key needed" in body
    for key in (reported["secretariat_key"], reported["facilitator_key"]):
        client = app.test_client()
        response = client.get(f"/w/{code}/proceedings?key={key}")
        assert response.status_code == 302 and "key=" not in response.headers["Location"]
        assert client.get(response.headers["Location"]).status_code == 200  # the key now lives in the session
    # The key form sends back to the proceedings.
    client = app.test_client()
    response = client.post(f"/w/{code}/results", data={"key": reported["secretariat_key"], "next": "proceedings"})
    assert response.status_code == 303 and response.headers["Location"].endswith(f"/w/{code}/proceedings")
    assert app.test_client().get("/w/NOPE42/proceedings").status_code == 404


def test_the_secretariat_page_links_the_proceedings(english, forum, create_workshop):
    page = html(english.get(f"/w/{forum['code']}/results?key={forum['secretariat_key']}", follow_redirects=True))
    assert f'href="/w/{forum["code"]}/proceedings"' in page
    cafe = create_workshop()
    page = html(english.get(f"/w/{cafe['code']}/results?key={cafe['secretariat_key']}", follow_redirects=True))
    assert "/proceedings" in page  # the 2010 Café ends with an Open Space block


# --------------------------------------------------------------------------- the strict policy


def test_open_space_pages_hold_no_inline_script_or_style(english, reported):
    login(english, reported)
    code = reported["code"]
    for url in (
        f"/j/{code}",
        f"/j/{code}?space={reported['spaces'][2]['id']}",
        f"/w/{code}/board",
        f"/w/{code}/facilitate",
        f"/w/{code}/proceedings",
    ):
        response = english.get(url)
        assert response.status_code == 200, url
        page = html(response)
        for tag in re.findall(r"<script\b[^>]*>", page):
            assert "src=" in tag or 'type="application/json"' in tag, (url, tag)
        assert not re.search(r"\son[a-z]+\s*=", page), url
        assert " style=" not in page, url
        assert NASTY not in page, url


# --------------------------------------------------------------------------- one renderer: the <template>s


def test_the_phone_page_carries_each_template_the_script_clones(english, forum):
    """Every <template id="tpl-os-…"> that phone-openspace-*.js clones is on the page."""
    page = html(english.get(f"/j/{forum['code']}"))
    tree = Tree(page)
    scripts = "".join(
        (PROJECT_ROOT / "static" / "js" / name).read_text(encoding="utf-8")
        for name in (
            "openspace/phone-openspace.js",
            "openspace/phone-openspace-render.js",
            "openspace/phone-openspace-sessions.js",
        )
    )
    cloned = set(re.findall(r"""clone(?:Parts)?\(\s*["'`](tpl-[\w-]+(?:\$\{tag\})?)["'`]""", scripts))
    ids = {i.replace("${tag}", tag) for i in cloned for tag in ("key-point", "proposal", "action")}
    assert len(ids) >= 17, ids
    for id_ in sorted(ids):
        assert template_root(tree, id_).children, f"<template id={id_}> is empty"
    # The forms a convener and a reporter need, with the strings of the catalogue.
    tools = template_root(tree, "tpl-os-tools")
    assert [n.attrs["class"] for n in tools.find_all(lambda n: n.tag == "form")] == ["os-place", "os-rename__form"]
    assert "Manage this topic" in page and "Take off the wall" in page and "Withdraw this topic" in page
    report = template_root(tree, "tpl-os-report-form")
    assert [n.attrs["value"] for n in report.find_all(lambda n: n.attrs.get("name") == "tag")] == [
        "key-point",
        "proposal",
        "action",
    ]


def test_the_server_s_items_have_the_templates_structure(english, forum, connect):
    """What the server renders (the first paint, the page without JavaScript) and what the script
    clones come from one macro: the same elements and classes, item by item."""
    f = forum["facilitator"]
    slots, spaces = forum["slots"], forum["spaces"]
    awa, marc = phone(connect, forum["code"], "Awa"), phone(connect, forum["code"], "Marc")
    housing = propose(awa, "Loger les familles", description="Logement abordable")
    transport = propose(marc, "Le transport")
    propose(awa, "Pas encore au mur")
    place(f, housing, slots[0], spaces[0])
    place(f, transport, slots[1], spaces[0])
    ok(awa.emit("topic:attend", {"topic": housing["id"]}, callback=True))
    for text, extra in (
        ("Manque", {}),
        ("Une banque", {"tag": "proposal"}),
        ("Rencontrer", {"tag": "action", "owner": "Lina"}),
    ):
        ok(awa.emit("note:post", {"id": new_id(), "topic": housing["id"], "text": text, **extra}, callback=True))
    english.get(f"/j/{forum['code']}/p/{awa.ack['participant']}")
    tree = Tree(html(english.get(f"/j/{forum['code']}?space={spaces[0]['id']}")))
    live = by_id(tree, "openspace")
    roots = {
        "tpl-os-slot": "os-slot",
        "tpl-os-cell": "os-cell",
        "tpl-os-topic": "os-topic",
        "tpl-os-card": "os-card",
        "tpl-os-note": "os-note",
        "tpl-os-here-other": "os-here__other",
        **{f"tpl-os-report-group-{tag}": "os-report__group" for tag in ("key-point", "proposal", "action")},
    }
    items = set(roots.values())
    checked = 0
    for id_, name in roots.items():
        (template,) = template_root(tree, id_).children
        assert template.classes()[0] == name
        rendered = [
            node
            for node in with_class(live, name)
            if not any(a.tag == "template" for a in ancestors(node))
            and template.attrs.get("data-tag") in (None, node.attrs.get("data-tag"))
        ]
        assert rendered, f"the page renders no .{name}"
        for node in rendered:
            same_shape(node, template, items, id_)
            checked += 1
    assert checked >= 14
    # The "here" panel: its body is the template's parts, as they apply.
    body = by_id(tree, "os-here-body")
    here = template_root(tree, "tpl-os-here")
    same_shape(body, here, items, "tpl-os-here")
    # Both alternatives of the wall's cells were rendered: "You are here", and "I'm here".
    cells = with_class(by_id(tree, "os-wall-slots"), "os-cell")
    assert {c.attrs["data-here"] for c in cells} == {"true", "false"}
