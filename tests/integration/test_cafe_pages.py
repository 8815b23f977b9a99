"""The World Café parts of the pages (issue 3): the no-JS host and arrival forms, the rotation plan,
the sector choice, hosts and the harvest on the board and the console.

Pages are asked in English (``lang`` cookie) so the assertions hold whatever the French catalogue says.
"""

from __future__ import annotations

import re
import uuid

import pytest
from markupsafe import escape

NASTY_NAME = "<b>x</b>"


def html(response) -> str:
    return response.get_data(as_text=True)


def ok(ack: dict) -> dict:
    assert ack["ok"] is True, ack
    return ack


@pytest.fixture
def english(client):
    client.set_cookie("lang", "en")
    return client


@pytest.fixture
def workshop(create_workshop):
    return create_workshop()


@pytest.fixture
def facilitator(connect, workshop):
    sio = connect(join={"code": workshop["code"], "role": "facilitator", "key": workshop["facilitator_key"]})
    return ok(sio.ack) and sio


@pytest.fixture
def phone(connect, workshop):
    """phone(table=None, name=None, sector=None) -> a joined Socket.IO participant."""

    def make(table: int | None = None, name: str | None = None, sector: str | None = None):
        join = {"code": workshop["code"], "role": "participant"}
        for key, value in (("table", table), ("name", name), ("sector", sector)):
            if value is not None:
                join[key] = value
        sio = connect(join=join)
        ok(sio.ack)
        return sio

    return make


def state(sio) -> dict:
    return ok(sio.emit("state:get", {}, callback=True))["state"]


def block(sio, index: int = 0) -> dict:
    return state(sio)["blocks"][index]


def login(client, workshop) -> None:
    assert client.get(f"/w/{workshop['code']}/facilitate?key={workshop['facilitator_key']}").status_code == 302


def no_js_phone(client, workshop, table: int, name: str | None = None) -> None:
    data = {"table": str(table)} | ({"name": name} if name else {})
    assert client.post(f"/j/{workshop['code']}/join", data=data).status_code == 303


def alert(page: str) -> str:
    found = re.search(r'<p id="form-error" class="form-error" role="alert">(.*?)</p>', page, re.S)
    assert found, "no error shown"
    return found.group(1).strip()


# --------------------------------------------------------------------------- the no-JS host form


def test_a_phone_without_javascript_hosts_its_table(english, workshop, facilitator):
    no_js_phone(english, workshop, 2, "Amina")
    response = english.post(f"/j/{workshop['code']}/host", data={"table": "2"})
    assert response.status_code == 303
    assert response.headers["Location"].endswith(f"/j/{workshop['code']}")
    page = html(english.get(f"/j/{workshop['code']}"))
    assert "You host table 2. Stay there for every round." in page  # the flashed message
    assert "You host table 2." in page
    assert (
        'id="tablecloth" class="cloth"' in page
        and 'id="tablecloth" class="cloth" aria-labelledby="cloth-title" hidden' not in page
    )
    tables = block(facilitator)["tables"]
    assert [(t["number"], t["host"]) for t in tables if t["host"]] == [(2, "Amina")]


def test_a_new_phone_can_host_without_joining_first(english, workshop, facilitator):
    assert english.post(f"/j/{workshop['code']}/host", data={"table": "4"}).status_code == 303
    assert block(facilitator)["tables"][3]["host_id"] is not None
    participants = state(facilitator)["participants"]
    assert len(participants) == 1 and participants[0]["table"] == 4


def test_a_hosted_table_cannot_be_claimed_again(english, workshop, facilitator, phone):
    ok(phone(table=1, name="Luc").emit("table:host", {"table": 1}, callback=True))
    no_js_phone(english, workshop, 1)
    response = english.post(f"/j/{workshop['code']}/host", data={"table": "1"})
    assert response.status_code == 400
    assert alert(html(response)) == "Table 1 already has a host."
    assert block(facilitator)["tables"][0]["host"] == "Luc"


@pytest.mark.parametrize(
    "table, message", [("9", "There is no table 9 in this workshop."), ("", "The field “table” is missing.")]
)
def test_hosting_an_unknown_table_is_refused(english, workshop, facilitator, table, message):
    response = english.post(f"/j/{workshop['code']}/host", data={"table": table})
    assert response.status_code == 400
    assert alert(html(response)) == str(escape(message))
    assert all(t["host"] is None for t in block(facilitator)["tables"])


# --------------------------------------------------------------------------- the no-JS "I'm here" form


def test_a_phone_without_javascript_says_it_arrived(english, workshop, facilitator):
    no_js_phone(english, workshop, 1, "Awa")
    response = english.post(f"/j/{workshop['code']}/arrive", data={"table": "3"})
    assert response.status_code == 303
    page = html(english.get(f"/j/{workshop['code']}"))
    assert "You are at table 3." in page
    assert [p["table"] for p in state(facilitator)["participants"]] == [3]


def test_i_am_here_answers_the_move_between_rounds(english, workshop, facilitator, phone):
    rounds = [r["id"] for r in block(facilitator)["rounds"]]
    no_js_phone(english, workshop, 1, "Awa")
    for number in (1, 2, 3, 4, 5, 1, 2):
        phone(table=number)
    ok(facilitator.emit("round:start", {"round": rounds[0]}, callback=True))
    ok(facilitator.emit("round:close", {"round": rounds[0]}, callback=True))

    page = html(english.get(f"/j/{workshop['code']}"))
    dialog = re.search(r'<dialog id="move".*?</dialog>', page, re.S).group(0)
    assert " open " in dialog
    planned = int(re.search(r'data-table="(\d+)"', dialog).group(1))
    assert f"Go to table {planned}" in dialog or f"Stay at table {planned}" in dialog
    assert f'name="table" value="{planned}"' in dialog and "I'm here" in dialog

    assert english.post(f"/j/{workshop['code']}/arrive", data={"table": str(planned)}).status_code == 303
    after = html(english.get(f"/j/{workshop['code']}"))
    assert re.search(r'<dialog id="move"[^>]* open', after) is None  # the move is done
    assert f"You are at table {planned}." in after


def test_arriving_at_a_full_table_is_refused(english, workshop, facilitator, phone):
    for _ in range(8):  # table 1 seats 8
        phone(table=1)
    no_js_phone(english, workshop, 2)
    response = english.post(f"/j/{workshop['code']}/arrive", data={"table": "1"})
    assert response.status_code == 400
    page = html(response)
    assert alert(page) == "Table 1 is full: choose another one or ask the facilitator."
    # The page still says where the phone sits, not the table it was refused.
    assert re.search(r'id="my-table-number"[^>]*>Table 2<', page)
    assert sorted(p["table"] for p in state(facilitator)["participants"]) == [1] * 8 + [2]


def test_choosing_a_full_table_in_the_plain_join_form_is_refused(english, workshop, facilitator, phone):
    for _ in range(8):
        phone(table=1)
    response = english.post(f"/j/{workshop['code']}/join", data={"name": "Awa", "table": "1"})
    assert response.status_code == 400
    assert alert(html(response)) == "Table 1 is full: choose another one or ask the facilitator."
    assert sorted(p["table"] for p in state(facilitator)["participants"]) == [1] * 8


def test_a_host_who_chooses_another_table_stops_hosting(english, workshop, facilitator):
    no_js_phone(english, workshop, 2, "Awa")
    assert english.post(f"/j/{workshop['code']}/host", data={"table": "2"}).status_code == 303
    no_js_phone(english, workshop, 3)
    assert block(facilitator)["tables"][1]["host"] is None
    assert [p["table"] for p in state(facilitator)["participants"]] == [3]


def test_arriving_at_an_unknown_table_is_refused(english, workshop, facilitator):
    no_js_phone(english, workshop, 2)
    response = english.post(f"/j/{workshop['code']}/arrive", data={"table": "42"})
    assert response.status_code == 400
    assert alert(html(response)) == "There is no table 42 in this workshop."
    assert [p["table"] for p in state(facilitator)["participants"]] == [2]


def test_the_forms_of_an_unknown_workshop_are_404(english):
    for path in ("/j/NOPE42/host", "/j/NOPE42/arrive", "/j/NOPE42/harvest"):
        assert english.post(path, data={"table": "1"}).status_code == 404


# --------------------------------------------------------------------------- the phone page


def test_the_phone_page_offers_the_sectors(english, workshop, facilitator):
    page = html(english.get(f"/j/{workshop['code']}"))
    assert '<select id="sector" name="sector"' in page
    assert "Your sector (optional)" in page
    for sector in state(facilitator)["workshop"]["sectors"]:
        assert f'<option value="{sector["id"]}">{escape(sector["name"])}</option>' in page
    # The plain form keeps the choice; the page shows it selected.
    assert english.post(f"/j/{workshop['code']}/join", data={"name": "Awa", "sector": "education"}).status_code == 303
    assert '<option value="education" selected>' in html(english.get(f"/j/{workshop['code']}"))
    assert state(facilitator)["participants"][0]["sector"] == "education"
    refused = english.post(f"/j/{workshop['code']}/join", data={"sector": "astronauts"})
    assert refused.status_code == 400
    assert "This sector is not one of the workshop&#39;s sectors." in html(refused)


def test_the_host_sees_the_tablecloth_by_round(english, workshop, facilitator, phone):
    rounds = [r["id"] for r in block(facilitator)["rounds"]]
    guest = phone(table=1, name="Guest")
    no_js_phone(english, workshop, 1, "Hostess")
    assert english.post(f"/j/{workshop['code']}/host", data={"table": "1"}).status_code == 303
    ok(facilitator.emit("round:start", {"round": rounds[0]}, callback=True))
    ok(guest.emit("note:post", {"id": str(uuid.uuid4()), "text": "Idée <i>première</i>"}, callback=True))
    starred = ok(guest.emit("note:post", {"id": str(uuid.uuid4()), "text": "Idée étoilée"}, callback=True))["note"]
    ok(facilitator.emit("note:star", {"note": starred["id"]}, callback=True))
    ok(facilitator.emit("round:start", {"round": rounds[1]}, callback=True))
    other = phone(table=2)
    ok(other.emit("note:post", {"id": str(uuid.uuid4()), "text": "Autre table"}, callback=True))

    page = html(english.get(f"/j/{workshop['code']}"))
    cloth = page.split('id="tablecloth"', 1)[1].split("</section>\n\n", 1)[0]
    assert cloth.index("Ronde 1") < cloth.index("Ronde 2")
    assert "Idée &lt;i&gt;première&lt;/i&gt;" in cloth and "<i>" not in cloth
    assert "Starred" in cloth.split("Idée étoilée", 1)[1].split("</li>", 1)[0]
    assert "No note at this table in this round yet." in cloth.split("Ronde 2", 1)[1]
    assert "Autre table" not in cloth


def test_the_phone_offers_to_host_a_table_without_host(english, workshop, phone):
    no_js_phone(english, workshop, 3)
    assert re.search(
        r'<form id="host-form"[^>]*action="/j/[A-Z0-9]+/host">', html(english.get(f"/j/{workshop['code']}"))
    )
    ok(phone(table=3, name=NASTY_NAME).emit("table:host", {"table": 3}, callback=True))
    page = html(english.get(f"/j/{workshop['code']}"))
    assert re.search(r'<form id="host-form"[^>]*hidden>', page)
    assert "Host: &lt;b&gt;x&lt;/b&gt;" in page and NASTY_NAME not in page


def test_the_host_posts_a_key_idea_without_javascript(english, workshop, facilitator, connect):
    board = connect(join={"code": workshop["code"], "role": "board"})
    no_js_phone(english, workshop, 2, "Hostess")
    assert english.post(f"/j/{workshop['code']}/host", data={"table": "2"}).status_code == 303
    idea = {"id": str(uuid.uuid4()), "text": "Un comité régional"}
    early = english.post(f"/j/{workshop['code']}/harvest", data=idea)
    assert early.status_code == 400 and alert(html(early)) == "The harvest of this block is not open."
    assert 'name="text" rows="3" maxlength="500" required>Un comité régional</textarea>' in html(early)

    ok(facilitator.emit("harvest:open", {"block": block(facilitator)["id"]}, callback=True))
    board.get_received()
    for _ in range(2):  # a resubmitted form stores the idea once
        assert english.post(f"/j/{workshop['code']}/harvest", data=idea).status_code == 303
    ideas = [n for n in state(facilitator)["notes"] if n["kind"] == "harvest"]
    assert [(n["id"], n["table"], n["text"]) for n in ideas] == [(idea["id"], 2, idea["text"])]
    assert [e["name"] for e in board.get_received()] == ["note:added"]
    page = html(english.get(f"/j/{workshop['code']}"))
    assert "Your key idea is posted." in page and "Un comité régional" in page


def test_a_phone_that_hosts_nothing_posts_no_key_idea(english, workshop, facilitator):
    ok(facilitator.emit("harvest:open", {"block": block(facilitator)["id"]}, callback=True))
    response = english.post(f"/j/{workshop['code']}/harvest", data={"id": str(uuid.uuid4()), "text": "Pas hôte"})
    assert response.status_code == 400
    assert alert(html(response)) == "Only the host of this table (or the facilitator) can do this."
    assert [n for n in state(facilitator)["notes"] if n["kind"] == "harvest"] == []


# --------------------------------------------------------------------------- the rotation plan


@pytest.fixture
def seated(phone, workshop):
    """Twelve named people and one unnamed at the five tables; Personne 01 and 02 host tables 1 and 2."""
    phones = [phone(table=i % 5 + 1, name=f"Personne {i + 1:02d}") for i in range(12)]
    phones.append(phone(table=3))
    ok(phones[0].emit("table:host", {"table": 1}, callback=True))
    ok(phones[1].emit("table:host", {"table": 2}, callback=True))
    return phones


def plan_url(workshop, block_id) -> str:
    return f"/w/{workshop['code']}/blocks/{block_id}/plan"


def test_the_plan_needs_the_facilitator_key(english, workshop, facilitator):
    url = plan_url(workshop, block(facilitator)["id"])
    for attempt in (url, f"{url}?key=wrong", f"{url}?key={workshop['secretariat_key']}"):
        response = english.get(attempt)
        assert response.status_code == 403
        assert "Rotation plan" not in html(response)
    # The key goes to the session and leaves the address (as on the console): the printed page
    # and the browser's history never show it.
    moved = english.get(f"{url}?key={workshop['facilitator_key']}")
    assert moved.status_code == 302 and "key" not in moved.headers["Location"]
    assert english.get(moved.headers["Location"]).status_code == 200


def test_the_plan_of_an_unknown_or_open_space_block_is_404(english, workshop, facilitator):
    login(english, workshop)
    open_space = next(b for b in state(facilitator)["blocks"] if b["method"] == "open-space")
    assert english.get(plan_url(workshop, 999_999)).status_code == 404
    assert english.get(plan_url(workshop, open_space["id"])).status_code == 404
    assert english.get(f"/w/NOPE42/blocks/{open_space['id']}/plan").status_code == 404


def test_the_plan_seats_everyone_once_per_round_with_hosts_staying(english, workshop, facilitator, seated):
    login(english, workshop)
    first = block(facilitator)
    response = english.get(plan_url(workshop, first["id"]))
    page = html(response)
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"
    assert "The phones, the console and the board read this same plan." in page
    assert "13 people, 5 tables, 3 rounds" in page
    numbers = {p["id"]: i for i, p in enumerate(sorted(state(facilitator)["participants"], key=lambda p: p["id"]), 1)}
    unnamed = f"Participant {numbers[max(numbers)]}"
    rounds = re.findall(r'<section class="plan-round".*?</section>', page, re.S)
    assert len(rounds) == 3
    for index, section in enumerate(rounds):
        assert first["rounds"][index]["question"].replace("'", "&#39;") in section
        for i in range(12):
            assert section.count(f"Personne {i + 1:02d}") == 1, (index, i)
        assert section.count(unnamed) == 1
        rows = dict(re.findall(r'<tr data-table="(\d)"[^>]*>(.*?)</tr>', section, re.S))
        assert set(rows) == {"1", "2", "3", "4", "5"}
        assert "Personne 01" in rows["1"].split('class="plan-table__host"', 1)[1].split("</td>", 1)[0]
        assert "Personne 02" in rows["2"].split('class="plan-table__host"', 1)[1].split("</td>", 1)[0]
        for row in rows.values():
            guests = re.findall(r"<li>(.*?)</li>", row)
            assert len(guests) <= 7  # capacity 8 with the host


def test_the_plan_of_an_empty_block_says_so(english, workshop, facilitator):
    login(english, workshop)
    page = html(english.get(plan_url(workshop, block(facilitator)["id"])))
    assert "No seat is taken at the tables of this block yet" in page


def test_the_plan_says_when_people_outnumber_the_seats(app, english, workshop, facilitator, phone):
    from workshop.extensions import db
    from workshop.models import Table

    for index in range(29):
        phone(table=index % 5 + 1)
    with app.app_context():  # the tables shrank after people sat down: five tables of 5 seats
        for table in db.session.execute(db.select(Table)).scalars():
            table.capacity = 5
        db.session.commit()
    login(english, workshop)
    response = english.get(plan_url(workshop, block(facilitator)["id"]))
    assert response.status_code == 200
    said = re.search(r'<p class="form-error" role="alert">(.*?)</p>', html(response), re.S).group(1)
    assert "29" in said and "25" in said  # how many people, how many seats
    assert '<section class="plan-round"' not in html(response)


def test_the_console_links_to_the_plan(english, workshop, facilitator):
    login(english, workshop)
    page = html(english.get(f"/w/{workshop['code']}/facilitate"))
    assert f'href="{plan_url(workshop, block(facilitator)["id"])}"' in page
    assert "Print the rotation plan" in page


# --------------------------------------------------------------------------- the board


def test_the_board_shows_hosts_escaped(english, workshop, phone):
    ok(phone(table=2, name=NASTY_NAME).emit("table:host", {"table": 2}, callback=True))
    page = html(english.get(f"/w/{workshop['code']}/board"))
    assert NASTY_NAME not in page
    column = page.split('data-table="2"', 1)[1].split("</header>", 1)[0]
    assert '<p class="column__host">Host: &lt;b&gt;x&lt;/b&gt;</p>' in column


def test_the_board_stars_starred_notes(english, workshop, facilitator, phone):
    ok(facilitator.emit("round:start", {"round": block(facilitator)["rounds"][0]["id"]}, callback=True))
    note = ok(phone(table=1).emit("note:post", {"id": str(uuid.uuid4()), "text": "Étoile"}, callback=True))["note"]
    ok(facilitator.emit("note:star", {"note": note["id"]}, callback=True))
    page = html(english.get(f"/w/{workshop['code']}/board"))
    sticky = page.split(f'data-note="{note["id"]}"', 1)[1].split("</li>", 1)[0]
    assert 'data-starred="true"' in sticky and "★" in sticky and "Starred" in sticky


def test_the_board_shows_the_harvest_side_by_side(english, workshop, facilitator, phone):
    ok(facilitator.emit("round:start", {"round": block(facilitator)["rounds"][0]["id"]}, callback=True))
    host = phone(table=1, name="Hôte")
    ok(host.emit("table:host", {"table": 1}, callback=True))
    ok(host.emit("note:post", {"id": str(uuid.uuid4()), "text": "Note de ronde"}, callback=True))
    ok(facilitator.emit("harvest:open", {"block": block(facilitator)["id"]}, callback=True))
    ok(host.emit("harvest:post", {"id": str(uuid.uuid4()), "text": "Idée clé <u>1</u>"}, callback=True))
    ok(facilitator.emit("harvest:post", {"id": str(uuid.uuid4()), "text": "Idée clé 3", "table": 3}, callback=True))

    for moment in ("open", "closed"):  # closing the harvest keeps it on the board
        if moment == "closed":
            ok(facilitator.emit("harvest:close", {"block": block(facilitator)["id"]}, callback=True))
        page = html(english.get(f"/w/{workshop['code']}/board"))
        assert 'data-view="harvest"' in page
        assert "The harvest: the key ideas of each table" in page
        assert "Note de ronde" not in page
        assert "Idée clé &lt;u&gt;1&lt;/u&gt;" in page.split('data-table="1"', 1)[1].split("</section>", 1)[0]
        assert "Idée clé 3" in page.split('data-table="3"', 1)[1].split("</section>", 1)[0]
        assert page.count('class="column"') == 5


# --------------------------------------------------------------------------- the console


def test_the_console_lists_tables_hosts_people_and_notes(english, workshop, facilitator, phone):
    ok(facilitator.emit("round:start", {"round": block(facilitator)["rounds"][0]["id"]}, callback=True))
    host = phone(table=2, name=NASTY_NAME)
    ok(host.emit("table:host", {"table": 2}, callback=True))
    guest = phone(table=2, name="Awa")
    phone(table=4)
    for text in ("Un", "Deux"):
        ok(guest.emit("note:post", {"id": str(uuid.uuid4()), "text": text}, callback=True))
    login(english, workshop)
    page = html(english.get(f"/w/{workshop['code']}/facilitate"))
    assert NASTY_NAME not in page
    card = page.split('<li class="table-card" data-table="2"', 1)[1].split('<li class="table-card"', 1)[0]
    assert '<span class="seated__name">&lt;b&gt;x&lt;/b&gt;</span>' in card
    assert re.search(r'<option value="\d+" selected>&lt;b&gt;x&lt;/b&gt;</option>', card)  # the host select
    assert "Awa" in card and "Seats taken: 2 of 8" in card
    assert re.search(r"Ronde 1&nbsp;<strong>2</strong>", card)
    assert 'aria-label="Move Awa to"' in card
    other = page.split('<li class="table-card" data-table="4"', 1)[1].split('<li class="table-card"', 1)[0]
    assert "Participant 3" in other  # the unnamed, by order of arrival
    assert "Open the harvest" in page


def test_the_console_has_no_tables_panel_outside_a_world_cafe(english, workshop, facilitator):
    open_space = next(b for b in state(facilitator)["blocks"] if b["method"] == "open-space")
    ok(facilitator.emit("block:select", {"block": open_space["id"]}, callback=True))
    login(english, workshop)
    page = html(english.get(f"/w/{workshop['code']}/facilitate"))
    assert re.search(r'<section id="tables-panel"[^>]*hidden>', page)
    assert '<li class="table-card"' not in page


def test_console_forms_swap_hosts_move_people_and_run_the_harvest(english, workshop, facilitator, phone, connect):
    awa, luc = phone(table=1, name="Awa"), phone(table=1, name="Luc")
    people = {p["name"]: p["id"] for p in state(facilitator)["participants"]}
    base = f"/w/{workshop['code']}"
    assert english.post(f"{base}/tables/1/host", data={"participant": str(people["Awa"])}).status_code == 403  # no key
    login(english, workshop)

    assert english.post(f"{base}/tables/1/host", data={"participant": str(people["Awa"])}).status_code == 303
    assert block(facilitator)["tables"][0]["host"] == "Awa"
    assert state(awa)["me"]["host"] == 1
    assert english.post(f"{base}/tables/1/host", data={"participant": ""}).status_code == 303
    assert block(facilitator)["tables"][0]["host"] is None

    luc.get_received()
    assert english.post(f"{base}/participants/{people['Luc']}/move", data={"table": "5"}).status_code == 303
    assert [e["args"][0]["table"] for e in luc.get_received() if e["name"] == "table:move"] == [5]
    refused = english.post(f"{base}/participants/{people['Luc']}/move", data={"table": "9"})
    assert refused.status_code == 400 and "There is no table 9 in this workshop." in html(refused)

    block_id = block(facilitator)["id"]
    idea = {"id": str(uuid.uuid4()), "text": "Pour la table 5", "table": "5"}
    assert english.post(f"{base}/harvest", data=idea).status_code == 400  # not open yet
    assert english.post(f"{base}/blocks/{block_id}/harvest/open").status_code == 200  # asked once more
    assert block(facilitator)["harvest"] == "none"
    assert english.post(f"{base}/blocks/{block_id}/harvest/open", data={"confirm": "1"}).status_code == 303
    assert block(facilitator)["harvest"] == "open"
    assert english.post(f"{base}/harvest", data=idea).status_code == 303
    assert english.post(f"{base}/harvest", data=idea).status_code == 303  # resubmitted: stored once
    assert [(n["table"], n["kind"]) for n in state(facilitator)["notes"]] == [(5, "harvest")]
    assert english.post(f"{base}/blocks/{block_id}/harvest/close").status_code == 303
    assert block(facilitator)["harvest"] == "closed"
    again = english.post(f"{base}/blocks/{block_id}/harvest/close")  # pressed twice: one change
    assert again.status_code == 303 and block(facilitator)["harvest"] == "closed"


def test_the_new_pages_carry_no_inline_script_or_style(english, workshop, facilitator, seated):
    login(english, workshop)
    block_id = block(facilitator)["id"]
    for path in (
        f"/w/{workshop['code']}/blocks/{block_id}/plan",
        f"/w/{workshop['code']}/facilitate",
        f"/j/{workshop['code']}",
        f"/w/{workshop['code']}/board",
    ):
        body = html(english.get(path))
        for tag in re.findall(r"<script\b[^>]*>", body):
            assert "src=" in tag or 'type="application/json"' in tag, (path, tag)
        assert not re.search(r"\son[a-z]+\s*=", body), path
        assert "style=" not in body, path


def test_the_console_fetches_its_live_parts_from_the_same_partial(english, workshop, facilitator, phone):
    """GET /w/CODE/facilitate/live is the round, the phones, the tables, the round's notes and the
    agenda as the console page includes them, as they are now: facilitate.js swaps them in on each
    change (one renderer). It needs the facilitator's key."""
    code = workshop["code"]
    assert english.get(f"/w/{code}/facilitate/live").status_code == 403
    first = block(facilitator)["rounds"][0]["id"]
    ok(facilitator.emit("round:start", {"round": first}, callback=True))
    host = phone(table=2, name=NASTY_NAME)
    ok(host.emit("table:host", {"table": 2}, callback=True))
    guest = phone(table=2)
    note = ok(guest.emit("note:post", {"id": str(uuid.uuid4()), "text": NASTY_NAME}, callback=True))["note"]
    ok(facilitator.emit("note:star", {"note": note["id"], "starred": True}, callback=True))
    login(english, workshop)
    response = english.get(f"/w/{code}/facilitate/live")
    assert response.status_code == 200 and response.headers["Cache-Control"] == "no-store"
    fragment = html(response)
    assert NASTY_NAME not in fragment and str(escape(NASTY_NAME)) in fragment
    for region in ("now-panel", "now-actions", "people", "tables-panel", "tables-list", "live", "agenda"):
        assert f'id="{region}"' in fragment, region
    # The note as the script used to write it: starred, escaped, with its hide button.
    item = fragment.split(f'data-note="{note["id"]}"', 1)[1].split("</li>", 1)[0]
    assert 'class="star-mark"' in item and "&lt;b&gt;x&lt;/b&gt;" in item
    # The phones per table: the names, then how many gave none.
    people = fragment.split('id="people"', 1)[1].split("</ul>", 1)[0]
    assert re.search(r"Table 2</strong> &lt;b&gt;x&lt;/b&gt;, 1 without a name", people)
    # The controls the script keeps focus on across a swap are known by their data-key.
    for key in ("now-extend", "now-close", "host-2", "host-go-2", f"note-{note['id']}", f"start-{first}", "seated-2"):
        assert f'data-key="{key}"' in fragment, key

    # The same markup as the page's own parts.
    def bare(markup: str) -> str:  # without the values made per request (new ids, CSRF tokens)
        return re.sub(r'(name="(?:id|csrf_token)" value)="[^"]*"', r"\1", markup).strip()

    page = bare(html(english.get(f"/w/{code}/facilitate")))
    for region in ("now-actions", "people", "tables-list", "live", "agenda"):
        tag = re.search(rf'<(\w+) id="{region}"', fragment).group(1)
        start = f'<{tag} id="{region}"'
        part = bare(fragment)[bare(fragment).index(start) :]
        assert part.split(f"</{tag}>", 1)[0] in page, region
