"""The board's live parts and results view, rendered once by the server: the page includes the
partials (templates/live/_board_wall.html, _board_results.html) and GET /w/CODE/board/wall and
/board/results serve them again for board.js. Open to whoever may open the board (no key, as the
board page), never more than the board may show; an unknown code gets a 404."""

from __future__ import annotations

import re
import uuid

import pytest

from workshop.config import PROJECT_ROOT

FORUM_2009 = PROJECT_ROOT / "sessions" / "forum-ouvert-2009.toml"


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
def facilitator(workshop, connect):
    return connect({"code": workshop["code"], "role": "facilitator", "key": workshop["facilitator_key"]})


def post(phone, text: str) -> dict:
    return ok(phone.emit("note:post", {"id": str(uuid.uuid4()), "text": text}, callback=True))["note"]


def first_round(facilitator) -> dict:
    return facilitator.ack["state"]["blocks"][0]["rounds"][0]


def fragment(client, workshop, name: str) -> str:
    response = client.get(f"/w/{workshop['code']}/board/{name}")
    assert response.status_code == 200
    assert response.mimetype == "text/html"
    assert response.headers["Cache-Control"] == "no-store"
    return response.get_data(as_text=True)


def region(page: str, tag: str, id_: str) -> str:
    """The element of this id, up to its closing tag (the regions hold no element of their kind)."""
    found = re.search(rf'<{tag} id="{id_}".*?</{tag}>', page, re.S)
    assert found, f"no #{id_}"
    return found.group(0)


def wall_of(page: str) -> str:
    start = page.index('<div id="wall"')
    return page[start : page.index("</section>\n</div>", start)]


def notes_in(page: str) -> list[str]:
    return re.findall(r'class="sticky" data-note="([^"]+)"', page)


# --------------------------------------------------------------------------- GET /w/CODE/board/wall


def test_the_wall_fragment_is_the_page_wall_with_the_round_notes(english, workshop, facilitator, connect):
    ok(facilitator.emit("round:start", {"round": first_round(facilitator)["id"]}, callback=True))
    marie = connect({"code": workshop["code"], "role": "participant", "table": 2, "name": "Marie"})
    paul = connect({"code": workshop["code"], "role": "participant", "table": 4, "name": "Paul"})
    older = post(marie, "Plus de <b>rencontres</b>")
    newer = post(marie, "Garder le contact")
    other = post(paul, "Une présidence tournante")
    hidden = post(paul, "Hors sujet")
    ok(facilitator.emit("note:hide", {"note": hidden["id"]}, callback=True))
    ok(facilitator.emit("note:star", {"note": newer["id"]}, callback=True))

    body = fragment(english, workshop, "wall")
    wall = wall_of(body)
    assert 'data-view="round"' in wall and f'data-shows="round-{first_round(facilitator)["id"]}"' in wall
    assert re.findall(r'<section class="column" data-table="(\d*)"', wall) == ["1", "2", "3", "4", "5"]
    # Newest first in its table's column, starred with its mark; the hidden note nowhere.
    table_2 = wall[wall.index('data-table="2"') : wall.index('data-table="3"')]
    assert notes_in(table_2) == [newer["id"], older["id"]]
    assert re.search(rf'data-note="{newer["id"]}"[^>]*data-starred="true"><span class="star-mark"', table_2)
    assert "Plus de &lt;b&gt;rencontres&lt;/b&gt;" in table_2 and "<b>rencontres" not in body
    assert '<p class="sticky__author">Marie</p>' in table_2
    assert notes_in(wall) == [newer["id"], older["id"], other["id"]]
    assert hidden["id"] not in body and "Hors sujet" not in body
    # The line a column's pages will need, hidden until then; the notes' list is a live region.
    assert wall.count('<li class="column__pages" aria-live="off" hidden></li>') == 5
    assert wall.count('<ol class="column__notes" aria-live="polite">') == 5
    # The header's lines and the phones.
    assert "Quels sont les principaux défis" in region(body, "h1", "question")
    assert re.search(r'<p id="waiting" class="board-head__waiting" role="status" hidden></p>', body)
    assert '<p id="presence" class="join__presence" aria-live="polite">' in body
    assert re.search(r'<ol id="moving-tables" class="moving__tables" data-round="">\s*</ol>', body)

    # One renderer: the page's wall is the fragment's.
    page = english.get(f"/w/{workshop['code']}/board").get_data(as_text=True)
    assert wall_of(page) == wall
    for tag, id_ in (("h1", "question"), ("p", "waiting"), ("span", "round-title"), ("ol", "moving-tables")):
        assert region(page, tag, id_) == region(body, tag, id_)


def test_the_wall_fragment_counts_waiting_notes_without_showing_them(english, workshop, facilitator, connect):
    round_id = first_round(facilitator)["id"]
    ok(facilitator.emit("round:settings", {"round": round_id, "reveal": True}, callback=True))
    ok(facilitator.emit("round:start", {"round": round_id}, callback=True))
    phone = connect({"code": workshop["code"], "role": "participant", "table": 1})
    waiting = [post(phone, f"Secret {n}") for n in range(2)]
    body = fragment(english, workshop, "wall")
    assert (
        region(body, "p", "waiting") == '<p id="waiting" class="board-head__waiting" role="status">2 notes waiting</p>'
    )
    assert notes_in(body) == [] and "Secret" not in body
    ok(facilitator.emit("notes:reveal", {"round": round_id}, callback=True))
    body = fragment(english, workshop, "wall")
    assert sorted(notes_in(body)) == sorted(n["id"] for n in waiting)
    assert 'id="waiting" class="board-head__waiting" role="status" hidden' in body


def test_the_wall_fragment_follows_the_view_and_the_harvest(english, workshop, facilitator, connect):
    block = facilitator.ack["state"]["blocks"][0]
    host = connect({"code": workshop["code"], "role": "participant", "table": 3, "name": "Awa"})
    ok(host.emit("table:host", {"table": 3}, callback=True))
    body = fragment(english, workshop, "wall")
    assert '<p class="column__host">Host: Awa</p>' in wall_of(body)
    assert region(body, "h1", "question").endswith("Waiting for the facilitator to start a round.</h1>")

    ok(facilitator.emit("harvest:open", {"block": block["id"]}, callback=True))
    idea = ok(host.emit("harvest:post", {"id": str(uuid.uuid4()), "text": "Un comité régional"}, callback=True))
    body = fragment(english, workshop, "wall")
    wall = wall_of(body)
    assert 'data-view="harvest"' in wall and f'data-shows="harvest-{block["id"]}"' in wall
    assert notes_in(wall) == [idea["note"]["id"]]
    assert "The harvest: the key ideas of each table" in region(body, "h1", "question")

    # The results view: the wall hidden, the header says so.
    ok(facilitator.emit("board:view", {"view": "results"}, callback=True))
    body = fragment(english, workshop, "wall")
    assert re.search(r'<div id="wall"[^>]*hidden>', body)
    assert region(body, "h1", "question").endswith(">Preliminary results</h1>")


def test_the_wall_fragment_shows_where_people_go_between_two_rounds(english, workshop, facilitator, connect):
    rounds = facilitator.ack["state"]["blocks"][0]["rounds"]
    phones = [
        connect({"code": workshop["code"], "role": "participant", "table": n % 5 + 1, "name": f"P{n}"})
        for n in range(10)
    ]
    ok(phones[0].emit("table:host", {"table": 1}, callback=True))
    ok(facilitator.emit("round:start", {"round": rounds[0]["id"]}, callback=True))
    body = fragment(english, workshop, "wall")
    assert 'data-round=""' in region(body, "ol", "moving-tables")
    ok(facilitator.emit("round:close", {"round": rounds[0]["id"]}, callback=True))

    body = fragment(english, workshop, "wall")
    moving = region(body, "ol", "moving-tables")
    assert f'data-round="{rounds[1]["id"]}"' in moving
    assert re.findall(r'<li class="moving__table" data-table="(\d+)">', moving) == ["1", "2", "3", "4", "5"]
    expected = [int(n) for n in re.findall(r'<p class="moving__count">(\d+) people expected</p>', moving)]
    assert sum(expected) == 10 and len(expected) == 5
    assert '<p class="moving__host">Host: P0</p>' in moving
    assert "Qu’est-ce qui vous stimule" in region(body, "p", "moving-question")  # the coming round's
    assert region(body, "p", "moving-next").endswith(">Next: Ronde 2</p>")

    ok(facilitator.emit("round:start", {"round": rounds[1]["id"]}, callback=True))
    assert 'data-round=""' in region(fragment(english, workshop, "wall"), "ol", "moving-tables")


# --------------------------------------------------------------------------- GET /w/CODE/board/results


@pytest.fixture
def curated(workshop, facilitator, connect):
    """Table 1 posts four notes in round 1 (one hidden, one voted), one in round 2; a section with an
    introduction holds a theme; a loose theme holds round 1's last note."""
    rounds = first_round(facilitator), facilitator.ack["state"]["blocks"][0]["rounds"][1]
    ok(facilitator.emit("round:start", {"round": rounds[0]["id"]}, callback=True))
    phone = connect({"code": workshop["code"], "role": "participant", "table": 1, "name": "Marie"})
    notes = [post(phone, text) for text in ("Première idée", "Deuxième idée", "Troisième idée", "Hors sujet")]
    ok(facilitator.emit("note:hide", {"note": notes[3]["id"]}, callback=True))
    ok(facilitator.emit("note:star", {"note": notes[2]["id"]}, callback=True))
    ok(facilitator.emit("round:close", {"round": rounds[0]["id"]}, callback=True))
    ok(facilitator.emit("round:start", {"round": rounds[1]["id"]}, callback=True))
    later = post(phone, "Idée de la deuxième ronde")
    theme = ok(
        facilitator.emit(
            "theme:create",
            {"title": "Fonctionnement", "notes": [later["id"], notes[0]["id"], notes[2]["id"], notes[3]["id"]]},
            callback=True,
        )
    )["theme"]
    loose = ok(facilitator.emit("theme:create", {"title": "Gouvernance", "notes": [notes[1]["id"]]}, callback=True))
    intro = "# Ce que retient la Table\n\nUn **fonctionnement** [souple](https://example.org) <script>x()</script>\n\n- a\n- b"
    section = ok(facilitator.emit("section:create", {"title": "Résultats – Table", "intro": intro}, callback=True))
    ok(facilitator.emit("section:file", {"section": section["section"]["id"], "themes": [theme["id"]]}, callback=True))
    return {"notes": notes, "later": later, "theme": theme, "loose": loose["theme"], "rounds": rounds}


def test_the_results_fragment_holds_the_curation_in_the_documents_order(english, workshop, curated, facilitator):
    body = fragment(english, workshop, "results")
    section = body[
        body.index('<section class="rgroup rgroup--section"') : body.index('<section class="rgroup rgroup--block"')
    ]
    assert '<h3 class="rgroup__title">Résultats – Table</h3>' in section
    # The introduction: bold kept, the link as its text, the heading a line (not a heading of the
    # page), the script as text; nothing else.
    intro = re.search(r'<div class="rintro">(.*?)</div>', section, re.S).group(1)
    assert intro.startswith('<p class="rintro__heading">Ce que retient la Table</p>')
    assert "<strong>fonctionnement</strong>" in intro and "souple" in intro
    assert "<a" not in intro and "<script" not in intro and "<h1" not in intro
    assert "<ul><li>a</li><li>b</li></ul>" in intro
    # The theme's notes: starred first, then agenda order (round 1 before round 2); the hidden one out.
    theme = section[section.index(f'data-theme="{curated["theme"]["id"]}"') :]
    ids = re.findall(r'<li class="rnote" data-note="([^"]+)"', theme)
    assert ids == [curated["notes"][2]["id"], curated["notes"][0]["id"], curated["later"]["id"]]
    assert '<span class="rtheme__count">3 notes</span>' in theme
    assert re.search(rf'data-note="{curated["notes"][2]["id"]}" data-starred="true"><span class="star-mark"', theme)
    assert "Hors sujet" not in body
    assert '<p class="rmore" hidden></p>' in theme
    # The loose theme, under its block and the question of the round its notes come from.
    block = body[body.index('<section class="rgroup rgroup--block"') :]
    assert f'<p class="rgroup__question" data-round="{curated["rounds"][0]["id"]}">' in block
    assert '<span class="rtheme__name">Gouvernance</span>' in block
    assert re.findall(r'<li class="rnote" data-note="([^"]+)"', block) == [curated["notes"][1]["id"]]
    assert "results__empty" not in body

    # The page in the results view includes the same partial.
    ok(facilitator.emit("board:view", {"view": "results"}, callback=True))
    page = english.get(f"/w/{workshop['code']}/board").get_data(as_text=True)
    flow = re.search(r'<div id="results-flow" class="results__flow">(.*?)</div>\n</section>', page, re.S).group(1)
    assert flow == body


def test_the_results_fragment_leaves_out_notes_waiting_for_their_reveal(english, workshop, facilitator, connect):
    round_id = first_round(facilitator)["id"]
    ok(facilitator.emit("round:settings", {"round": round_id, "reveal": True}, callback=True))
    ok(facilitator.emit("round:start", {"round": round_id}, callback=True))
    phone = connect({"code": workshop["code"], "role": "participant", "table": 1})
    notes = [post(phone, "Pas encore révélée"), post(phone, "Pas encore non plus")]
    ok(facilitator.emit("theme:create", {"title": "Thème", "notes": [n["id"] for n in notes]}, callback=True))
    body = fragment(english, workshop, "results")
    assert '<span class="rtheme__count">0 notes</span>' in body and "révélée" not in body
    ok(facilitator.emit("notes:reveal", {"round": round_id}, callback=True))
    body = fragment(english, workshop, "results")
    assert '<span class="rtheme__count">2 notes</span>' in body and "Pas encore révélée" in body


def test_the_results_fragment_says_when_nothing_is_curated(english, workshop):
    body = fragment(english, workshop, "results")
    assert body.strip() == '<p class="results__empty">The facilitator has not grouped the notes into themes yet.</p>'


def test_the_results_fragment_ranks_an_open_space_vote(english, create_workshop, connect):
    forum = create_workshop(FORUM_2009)
    facilitator = connect({"code": forum["code"], "role": "facilitator", "key": forum["facilitator_key"]})
    block = facilitator.ack["state"]["blocks"][0]
    topics = [
        ok(facilitator.emit("topic:propose", {"id": str(uuid.uuid4()), "title": title}, callback=True))["topic"]["id"]
        for title in ("Logement", "Emploi", "École")
    ]
    ok(facilitator.emit("vote:open", {"block": block["id"], "dots": 3, "top": 1}, callback=True))
    phone = connect({"code": forum["code"], "role": "participant"})
    for topic in (topics[1], topics[1], topics[2]):
        ok(phone.emit("vote:cast", {"target": "topic", "id": topic}, callback=True))
    body = fragment(english, forum, "results")
    vote = re.search(rf'<div class="rpriorities" data-block="{block["id"]}" data-vote="open">.*?</div>', body, re.S)
    assert vote and "Vote: 3 dots each" in vote.group(0)
    assert re.findall(r'data-topic="([^"]+)"', vote.group(0)) == [topics[1], topics[2]]  # no dot, not listed
    assert re.findall(r'data-share="([^"]+)"', vote.group(0)) == ["1.0000", "0.5000"]
    ok(facilitator.emit("vote:close", {"block": block["id"]}, callback=True))
    vote = re.search(
        r'<div class="rpriorities"[^>]*data-vote="closed">.*?</div>', fragment(english, forum, "results"), re.S
    )
    assert vote and "The priorities" in vote.group(0)
    assert re.search(rf'data-topic="{topics[1]}" data-selected="true">.*?rpriority__badge">Selected<', vote.group(0))


# --------------------------------------------------------------------------- who may fetch them


@pytest.mark.parametrize("name", ["wall", "results"])
def test_the_fragments_are_as_open_as_the_board_and_no_more(client, workshop, facilitator, connect, name):
    # No key, no session: what the board page shows, to whoever may open the board page.
    assert client.get(f"/w/{workshop['code']}/board").status_code == 200
    response = client.get(f"/w/{workshop['code'].lower()}/board/{name}")
    assert response.status_code == 200
    body = response.get_data(as_text=True)
    # Nothing of the facilitator's: no key, no form, no participant list.
    assert workshop["facilitator_key"] not in body and workshop["secretariat_key"] not in body
    assert "<form" not in body and "csrf_token" not in body
    # Only a read.
    assert client.post(f"/w/{workshop['code']}/board/{name}").status_code == 405


@pytest.mark.parametrize("name", ["wall", "results"])
@pytest.mark.parametrize("code", ["NOPE42", "x" * 40, "%3Cscript%3E"])
def test_an_unknown_workshop_gets_a_404_and_no_fragment(client, name, code):
    response = client.get(f"/w/{code}/board/{name}")
    assert response.status_code == 404
    assert "column" not in response.get_data(as_text=True) and "rgroup" not in response.get_data(as_text=True)


# --------------------------------------------------------------------------- the read model, pure


def test_the_board_groups_the_documents_tree_by_block_and_round():
    import datetime as dt

    from workshop.domain import synthesis as s
    from workshop.results.read import board_results_of

    at = dt.datetime(2010, 5, 4, 13, 0, tzinfo=dt.UTC)
    rounds = (s.RoundInput(10, 0, "Premier ?"), s.RoundInput(11, 1, "Second ?"))
    topics = (s.TopicInput("t1", "Logement", votes=2), s.TopicInput("t2", "Emploi", votes=3, selected=True))
    data = s.WorkshopInput(
        code="X",
        title="Atelier",
        blocks=(
            s.BlockInput(1, "cafe", "Café", at.date(), "am", "world-cafe", rounds=rounds),
            s.BlockInput(2, "forum", "Forum", at.date(), "pm", "open-space", topics=topics),
            s.BlockInput(3, "calme", "Calme", at.date(), "pm", "open-space", topics=topics[:1]),
        ),
        themes=(
            s.ThemeInput(1, "D’une ronde", block=1),
            s.ThemeInput(2, "De deux rondes", block=1),
            s.ThemeInput(3, "D’ailleurs", block=99),
        ),
        notes=(
            s.NoteInput("a", "a", at, round=10, theme=1),
            s.NoteInput("b", "b", at, round=10, theme=2),
            s.NoteInput("c", "c", at, round=11, theme=2),
        ),
    )
    board = board_results_of(s.build(data), {2: ("closed", 5), 3: ("none", 5)})
    assert [b.part.id for b in board.blocks] == [1, 2]  # the quiet block, its vote not opened, is left out
    cafe, forum = board.blocks
    assert [(r.round.id, [t.id for t in r.themes]) for r in cafe.rounds] == [(10, [1])]
    assert [t.id for t in cafe.themes] == [2] and cafe.priorities is None
    assert forum.priorities.status == "closed" and forum.priorities.most == 3
    assert [g.topic for g in forum.priorities.sessions] == ["t2", "t1"]
    assert [t.id for t in board.other] == [3] and not board.empty
