"""The HTML pages and their plain forms (workshop/web), through the Flask test client.

Pages are asked in English (``lang=en``) so the assertions hold whatever the French catalogue says.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

import pytest

from workshop.cafe.cards_routes import qr_svg
from workshop.config import PROJECT_ROOT
from workshop.domain.agenda import load_template

CAFE_2010 = PROJECT_ROOT / "sessions" / "cafe-conversation-2010.toml"

QUESTION_1 = "Quels sont les principaux défis en lien avec cet objectif?"
QUESTION_2 = "Qu'est-ce qui vous stimule dans cet objectif?"
THEMES = {t.number: load_template(CAFE_2010).theme(t.theme).title for t in load_template(CAFE_2010).blocks[0].tables}
NASTY = "<script>alert('x')</script>"
ESCAPED = "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;"


def html(response) -> str:
    return response.get_data(as_text=True)


def escaped(text: str) -> str:
    """How Jinja writes a value into a page."""
    return str(__import__("markupsafe").escape(text))


def printed(text: str) -> str:
    """How a live page prints a text of the (French) workshop: the documents' typography, escaped."""
    from workshop.domain.typography import prose

    return escaped(prose(text, "fr"))


@pytest.fixture
def workshop(create_workshop):
    return create_workshop()


@pytest.fixture
def english(client):
    client.set_cookie("lang", "en")
    return client


@pytest.fixture
def facilitator(connect, workshop):
    sio = connect(join={"code": workshop["code"], "role": "facilitator", "key": workshop["facilitator_key"]})
    assert sio.ack["ok"], sio.ack
    return sio


def round_id(sio, block: int = 0, position: int = 0) -> int:
    return sio.ack["state"]["blocks"][block]["rounds"][position]["id"]


def start(sio, round_: int) -> None:
    ack = sio.emit("round:start", {"round": round_}, callback=True)
    assert ack["ok"], ack


def stored_notes(sio) -> list[dict]:
    ack = sio.emit("state:get", {}, callback=True)
    assert ack["ok"], ack
    return ack["state"]["notes"]


def form_id(page: str) -> str:
    return re.search(r'name="id" value="([0-9a-f-]{36})"', page).group(1)


def textarea(page: str) -> str:
    return re.search(r'<textarea id="note-text"[^>]*>(.*?)</textarea>', page, re.S).group(1)


def login(client, workshop) -> None:
    response = client.get(f"/w/{workshop['code']}/facilitate?key={workshop['facilitator_key']}")
    assert response.status_code == 302


# --------------------------------------------------------------------------- the phone page


def test_phone_page_shows_the_question_the_table_and_the_limit(english, workshop, facilitator):
    start(facilitator, round_id(facilitator))
    response = english.get(f"/j/{workshop['code'].lower()}?table=2")
    page = html(response)
    assert response.status_code == 200
    assert printed(QUESTION_1) in page
    assert "Table 2" in page and escaped(THEMES[2]) in page
    assert "at most 500 characters" in page
    assert 'maxlength="500"' in page
    assert "0 / 500 characters" in page
    assert 'name="table" value="2"' in page  # the first note seats the phone at the card's table
    for color in ("yellow", "pink", "blue", "green", "orange", "purple"):
        assert f'name="color" value="{color}"' in page
    assert escaped("Journées de réflexion sur la mise en œuvre de l’entente") in page


def test_phone_page_without_a_table_offers_every_table_of_the_block(english, workshop):
    page = html(english.get(f"/j/{workshop['code']}"))
    assert "Choose your table" in page
    for number, theme in THEMES.items():
        assert f'name="table" value="{number}"' in page
        assert printed(theme) in page
    assert "Waiting for the facilitator to start a round." in page


def test_an_unknown_table_in_the_address_is_ignored(english, workshop):
    response = english.get(f"/j/{workshop['code']}?table=9")
    assert response.status_code == 200
    assert "Choose your table" in html(response)


@pytest.mark.parametrize(
    "method, path",
    [
        ("get", "/j/NOPE42"),
        ("get", "/j/not-a-code!"),
        ("post", "/j/NOPE42/join"),
        ("post", "/j/NOPE42/notes"),
        ("get", "/w/NOPE42/board"),
        ("get", "/w/NOPE42/facilitate?key=x"),
        ("post", "/w/NOPE42/facilitate"),
        ("post", "/w/NOPE42/rounds/1/start"),
        ("post", "/w/NOPE42/blocks/next"),
        ("get", "/w/NOPE42/qr.svg"),
        ("get", "/w/NOPE42/cards"),
    ],
)
def test_an_unknown_code_gets_the_404_page(english, method, path):
    response = getattr(english, method)(path)
    assert response.status_code == 404
    assert "There is no workshop or page at this address" in html(response)


# --------------------------------------------------------------------------- the no-JS note form


def test_the_plain_form_stores_a_note_once_even_when_sent_twice(english, workshop, facilitator):
    start(facilitator, round_id(facilitator))
    page = html(english.get(f"/j/{workshop['code']}?table=2"))
    form = {"id": form_id(page), "text": "Un portail commun pour les organismes", "color": "pink", "table": "2"}

    first = english.post(f"/j/{workshop['code']}/notes", data=form)
    assert first.status_code == 303
    assert first.headers["Location"].endswith(f"/j/{workshop['code']}")
    again = english.post(f"/j/{workshop['code']}/notes", data=form)  # the browser resubmits
    assert again.status_code == 303

    notes = stored_notes(facilitator)
    assert [(n["id"], n["text"], n["table"], n["color"]) for n in notes] == [(form["id"], form["text"], 2, "pink")]
    after = english.get(f"/j/{workshop['code']}")
    assert "Your note is posted." in html(after)
    assert form["text"] in html(after)
    assert form_id(html(after)) != form["id"]  # a fresh form for the next note


def test_the_board_hears_a_note_sent_by_the_plain_form(english, workshop, facilitator, connect):
    start(facilitator, round_id(facilitator))
    board = connect(join={"code": workshop["code"], "role": "board"})
    board.get_received()
    page = html(english.get(f"/j/{workshop['code']}?table=3"))
    english.post(f"/j/{workshop['code']}/notes", data={"id": form_id(page), "text": "Mentorat", "table": "3"})
    added = [e for e in board.get_received() if e["name"] == "note:added"]
    assert [e["args"][0]["note"]["text"] for e in added] == ["Mentorat"]
    assert added[0]["args"][0]["note"]["table"] == 3


@pytest.mark.parametrize(
    "text, message",
    [
        ("   ", "The note is empty: write something before posting."),
        ("x" * 501, "A note holds at most 500 characters; this one has 501."),
    ],
)
def test_a_refused_note_is_said_and_kept_in_the_box(english, workshop, facilitator, text, message):
    start(facilitator, round_id(facilitator))
    page = html(english.get(f"/j/{workshop['code']}?table=1"))
    response = english.post(f"/j/{workshop['code']}/notes", data={"id": form_id(page), "text": text, "table": "1"})
    assert response.status_code == 400
    body = html(response)
    assert message in body
    assert 'role="alert"' in body
    assert textarea(body) == text
    assert stored_notes(facilitator) == []


def test_no_note_without_a_running_round(english, workshop, facilitator):
    page = html(english.get(f"/j/{workshop['code']}?table=1"))
    response = english.post(
        f"/j/{workshop['code']}/notes", data={"id": form_id(page), "text": "Trop tôt", "table": "1"}
    )
    assert response.status_code == 400
    assert "No round is open right now" in html(response)
    assert textarea(html(response)) == "Trop tôt"
    assert stored_notes(facilitator) == []


def test_no_note_after_the_round_is_closed(english, workshop, facilitator):
    first = round_id(facilitator)
    start(facilitator, first)
    assert facilitator.emit("round:close", {"round": first}, callback=True)["ok"]
    page = html(english.get(f"/j/{workshop['code']}?table=1"))
    response = english.post(f"/j/{workshop['code']}/notes", data={"id": form_id(page), "text": "Trop tard"})
    assert response.status_code == 400
    assert "This round is closed" in html(response)
    assert stored_notes(facilitator) == []


def test_a_note_form_without_an_id_is_refused(english, workshop, facilitator):
    start(facilitator, round_id(facilitator))
    response = english.post(f"/j/{workshop['code']}/notes", data={"text": "Sans id", "table": "1"})
    assert response.status_code == 400
    assert "note id" in html(response)
    assert stored_notes(facilitator) == []


# --------------------------------------------------------------------------- joining without JS


def test_the_plain_join_form_sets_name_and_table_and_shares_the_token(english, workshop, facilitator, connect):
    start(facilitator, round_id(facilitator))
    response = english.post(f"/j/{workshop['code']}/join", data={"name": "Amina", "table": "4"})
    assert response.status_code == 303
    page = html(english.get(f"/j/{workshop['code']}"))
    assert "Saved." in page
    assert 'value="Amina"' in page
    assert printed(THEMES[4]) in page
    token = re.search(r'data-session-token="([^"]+)"', page).group(1)

    # A note through the form, then the JavaScript path with the session's token: the same phone.
    english.post(f"/j/{workshop['code']}/notes", data={"id": form_id(page), "text": "Parrainage"})
    phone = connect(join={"code": workshop["code"], "role": "participant", "participant": token})
    assert phone.ack["participant"] == token
    me = phone.ack["state"]["me"]
    assert me["name"] == "Amina" and me["table"] == 4 and len(me["notes"]) == 1


def test_the_plain_join_form_refuses_an_unknown_table(english, workshop):
    response = english.post(f"/j/{workshop['code']}/join", data={"table": "42"})
    assert response.status_code == 400
    assert "There is no table 42 in this workshop." in html(response)


# --------------------------------------------------------------------------- the board


def test_the_board_shows_the_question_the_code_the_qr_and_the_notes(english, workshop, facilitator, connect):
    start(facilitator, round_id(facilitator))
    phone = connect(join={"code": workshop["code"], "role": "participant", "table": 5, "name": "Luc"})
    ack = phone.emit(
        "note:post", {"id": "0b7f8f5e-55d6-4a55-9a3c-3b8b1d1f0001", "text": "Parrainage citoyen"}, callback=True
    )
    assert ack["ok"], ack
    page = html(english.get(f"/w/{workshop['code']}/board"))
    assert printed(QUESTION_1) in page
    assert workshop["code"] in page
    assert f'src="/w/{workshop["code"]}/qr.svg"' in page
    assert f"localhost/j/{workshop['code']}" in page
    for number, theme in THEMES.items():
        assert f'data-table="{number}"' in page and printed(theme) in page
    column = page.split('data-table="5"', 1)[1].split("</section>", 1)[0]
    assert "Parrainage citoyen" in column and "Luc" in column


def test_the_board_and_console_count_connected_phones(english, workshop, connect):
    connect(join={"code": workshop["code"], "role": "participant", "table": 2, "name": "Awa"})
    board = html(english.get(f"/w/{workshop['code']}/board"))
    assert "1 phone connected" in board
    assert "1 at this table" in board.split('data-table="2"', 1)[1].split("</section>", 1)[0]
    login(english, workshop)
    console = html(english.get(f"/w/{workshop['code']}/facilitate"))
    assert "1 phone connected" in console and "Awa" in console


def test_the_board_shows_only_the_current_round(english, workshop, facilitator, connect):
    start(facilitator, round_id(facilitator, 0, 0))
    phone = connect(join={"code": workshop["code"], "role": "participant", "table": 1})
    phone.emit("note:post", {"id": "0b7f8f5e-55d6-4a55-9a3c-3b8b1d1f0002", "text": "Première ronde"}, callback=True)
    start(facilitator, round_id(facilitator, 0, 1))
    page = html(english.get(f"/w/{workshop['code']}/board"))
    assert printed(QUESTION_2) in page
    assert "Première ronde" not in page


# --------------------------------------------------------------------------- the console and its key


def test_the_console_without_a_key_is_a_403_key_form_without_agenda(english, workshop):
    for path in (f"/w/{workshop['code']}/facilitate", f"/w/{workshop['code']}/facilitate?key=wrong"):
        response = english.get(path)
        page = html(response)
        assert response.status_code == 403
        assert 'name="key"' in page
        assert QUESTION_1 not in page and escaped(QUESTION_1) not in page
        assert "IMAGINER LE FUTUR" not in page
        assert "data-key" not in page
    assert "This key does not open this workshop" in html(english.get(f"/w/{workshop['code']}/facilitate?key=wrong"))


def test_the_secretariat_key_does_not_open_the_console(english, workshop):
    response = english.get(f"/w/{workshop['code']}/facilitate?key={workshop['secretariat_key']}")
    assert response.status_code == 403


def test_the_key_moves_to_the_session_and_leaves_the_address(english, workshop):
    response = english.get(f"/w/{workshop['code']}/facilitate?key={workshop['facilitator_key']}")
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/w/{workshop['code']}/facilitate")
    console = english.get(response.headers["Location"])
    page = html(console)
    assert console.status_code == 200
    assert console.headers["Cache-Control"] == "no-store"
    for block in (
        "COMPRENDRE ET CRÉER DES LIENS",
        "IMAGINER LE FUTUR",
        "AGIR ET PERFORMER ENSEMBLE",
        "CRISTALLISER LA VISION",
    ):
        assert escaped(block) in page
    assert printed(QUESTION_2) in page
    assert f'href="/w/{workshop["code"]}/board"' in page
    assert f'href="/w/{workshop["code"]}/cards"' in page
    assert f'href="/w/{workshop["code"]}/results"' in page  # the secretariat's page: every format of the results


def test_the_key_form(english, workshop):
    wrong = english.post(f"/w/{workshop['code']}/facilitate", data={"key": "nope"})
    assert wrong.status_code == 403
    assert "This key does not open this workshop" in html(wrong)
    right = english.post(f"/w/{workshop['code']}/facilitate", data={"key": workshop["facilitator_key"]})
    assert right.status_code == 303
    assert english.get(f"/w/{workshop['code']}/facilitate").status_code == 200


def test_a_key_opens_only_its_own_workshop(english, create_workshop):
    first, second = create_workshop(), create_workshop()
    login(english, first)
    assert english.get(f"/w/{second['code']}/facilitate").status_code == 403


@pytest.mark.parametrize(
    "path",
    [
        "rounds/{round}/start",
        "rounds/{round}/extend",
        "rounds/{round}/close",
        "blocks/next",
        "blocks/{block}/select",
        "notes/0b7f8f5e-55d6-4a55-9a3c-3b8b1d1f0003/hide",
        "notes/0b7f8f5e-55d6-4a55-9a3c-3b8b1d1f0003/show",
    ],
)
def test_console_forms_need_the_key(english, workshop, facilitator, path):
    url = f"/w/{workshop['code']}/" + path.format(
        round=round_id(facilitator), block=facilitator.ack["state"]["blocks"][1]["id"]
    )
    response = english.post(url)
    assert response.status_code == 403
    assert 'name="key"' in html(response)
    state = facilitator.emit("state:get", {}, callback=True)["state"]
    assert state["blocks"][0]["rounds"][0]["status"] == "pending"
    assert state["current"]["block"] == state["blocks"][0]["id"]


def test_console_forms_run_the_rounds_and_live_clients_follow(english, workshop, facilitator, connect):
    login(english, workshop)
    board = connect(join={"code": workshop["code"], "role": "board"})
    board.get_received()
    first = round_id(facilitator)
    base = f"/w/{workshop['code']}"

    assert english.post(f"{base}/rounds/{first}/start").status_code == 303
    assert [e["name"] for e in board.get_received()] == ["round:started"]
    started = stored_round(facilitator, first)
    assert started["status"] == "running"

    assert english.post(f"{base}/rounds/{first}/extend").status_code == 303
    extended = stored_round(facilitator, first)
    assert extended["ends_at"] > started["ends_at"]
    assert [e["name"] for e in board.get_received()] == ["round:extended"]

    asked = english.post(f"{base}/rounds/{first}/close")  # without JavaScript: asked once more
    assert asked.status_code == 200 and "Yes, close the round" in html(asked)
    assert stored_round(facilitator, first)["status"] == "running"
    assert english.post(f"{base}/rounds/{first}/close", data={"confirm": "1"}).status_code == 303
    assert stored_round(facilitator, first)["status"] == "closed"
    assert "Done." in html(english.get(f"{base}/facilitate"))

    assert english.post(f"{base}/blocks/next").status_code == 303
    state = facilitator.emit("state:get", {}, callback=True)["state"]
    assert state["current"]["block"] == state["blocks"][1]["id"]
    assert "block:changed" in [e["name"] for e in board.get_received()]

    assert english.post(f"{base}/blocks/{state['blocks'][0]['id']}/select").status_code == 303
    state = facilitator.emit("state:get", {}, callback=True)["state"]
    assert state["current"]["block"] == state["blocks"][0]["id"]


def stored_round(sio, round_: int) -> dict:
    state = sio.emit("state:get", {}, callback=True)["state"]
    return next(r for b in state["blocks"] for r in b["rounds"] if r["id"] == round_)


def test_a_refused_console_action_is_said(english, workshop, facilitator):
    login(english, workshop)
    response = english.post(f"/w/{workshop['code']}/rounds/{round_id(facilitator)}/close", data={"confirm": "1"})
    assert response.status_code == 400
    assert "This round has not started yet." in html(response)
    assert english.post(f"/w/{workshop['code']}/rounds/999999/start").status_code == 400


def test_console_hides_and_shows_notes(english, workshop, facilitator, connect):
    login(english, workshop)
    start(facilitator, round_id(facilitator))
    phone = connect(join={"code": workshop["code"], "role": "participant", "table": 2})
    note = "0b7f8f5e-55d6-4a55-9a3c-3b8b1d1f0004"
    assert phone.emit("note:post", {"id": note, "text": "À cacher"}, callback=True)["ok"]
    board = connect(join={"code": workshop["code"], "role": "board"})
    board.get_received()

    assert english.post(f"/w/{workshop['code']}/notes/{note}/hide").status_code == 303
    assert [e["name"] for e in board.get_received()] == ["note:hidden"]
    assert "À cacher" not in html(english.get(f"/w/{workshop['code']}/board"))
    console = html(english.get(f"/w/{workshop['code']}/facilitate"))
    assert f'/notes/{note}/show"' in console and 'data-hidden="true"' in console

    assert english.post(f"/w/{workshop['code']}/notes/{note}/show").status_code == 303
    assert [e["name"] for e in board.get_received()] == ["note:shown"]
    assert "À cacher" in html(english.get(f"/w/{workshop['code']}/board"))
    assert english.post(f"/w/{workshop['code']}/notes/not-a-uuid/hide").status_code == 400


# --------------------------------------------------------------------------- QR codes and cards


def test_the_qr_code_is_svg_of_the_join_address(english, workshop, app):
    response = english.get(f"/w/{workshop['code']}/qr.svg?table=3")
    assert response.status_code == 200
    assert response.mimetype == "image/svg+xml"
    assert "public" in response.headers["Cache-Control"] and "max-age" in response.headers["Cache-Control"]
    assert ET.fromstring(response.data).tag == "{http://www.w3.org/2000/svg}svg"
    assert response.data == qr_svg(f"http://localhost/j/{workshop['code']}?table=3")

    plain = english.get(f"/w/{workshop['code'].lower()}/qr.svg")
    assert plain.data == qr_svg(f"http://localhost/j/{workshop['code']}")

    app.config["WORKSHOP_PUBLIC_URL"] = "https://atelier.example.org"
    public = english.get(f"/w/{workshop['code']}/qr.svg?table=1")
    assert public.data == qr_svg(f"https://atelier.example.org/j/{workshop['code']}?table=1")


@pytest.mark.parametrize("table", ["9", "0", "abc", "-1"])
def test_the_qr_code_of_an_unknown_table_is_404(english, workshop, table):
    assert english.get(f"/w/{workshop['code']}/qr.svg?table={table}").status_code == 404


def test_the_cards_are_the_facilitators_with_the_key_form_like_the_console(app, workshop):
    url = f"/w/{workshop['code']}/cards"
    for attempt in (url, f"{url}?key=wrong", f"{url}?key={workshop['secretariat_key']}"):
        refused = app.test_client().get(attempt)
        assert refused.status_code == 403 and 'name="key"' in refused.get_data(as_text=True), attempt
        assert "qr.svg?table=" not in refused.get_data(as_text=True)
    client = app.test_client()
    moved = client.get(f"{url}?key={workshop['facilitator_key']}")
    assert moved.status_code == 302 and "key" not in moved.headers["Location"]
    assert client.get(moved.headers["Location"]).status_code == 200


def test_the_cards_list_the_five_tables_with_their_themes(english, workshop):
    login(english, workshop)
    response = english.get(f"/w/{workshop['code']}/cards")
    page = html(response)
    assert response.status_code == 200
    assert len(THEMES) == 5
    for number, theme in THEMES.items():
        assert f"Table {number}" in page
        assert printed(theme) in page
        assert f'src="/w/{workshop["code"]}/qr.svg?table={number}"' in page
        assert f"localhost/j/{workshop['code']}?table={number}" in page
    assert page.count('class="card"') == 5


# --------------------------------------------------------------------------- escaping, language, scripts


def test_html_in_notes_and_names_is_escaped_on_every_page(english, workshop, facilitator, connect):
    start(facilitator, round_id(facilitator))
    # A no-JS phone (so its page lists its own note) with a nasty name and a nasty note.
    english.post(f"/j/{workshop['code']}/join", data={"name": "<b>Bob</b>", "table": "2"})
    page = html(english.get(f"/j/{workshop['code']}"))
    english.post(f"/j/{workshop['code']}/notes", data={"id": form_id(page), "text": NASTY})
    login(english, workshop)
    for path in (f"/j/{workshop['code']}", f"/w/{workshop['code']}/board", f"/w/{workshop['code']}/facilitate"):
        body = html(english.get(path))
        assert NASTY not in body, path
        assert ESCAPED in body, path
    for path in (f"/j/{workshop['code']}", f"/w/{workshop['code']}/board", f"/w/{workshop['code']}/facilitate"):
        body = html(english.get(path))
        assert "<b>Bob</b>" not in body


def test_a_refused_note_is_escaped_in_the_box(english, workshop, facilitator):
    page = html(english.get(f"/j/{workshop['code']}?table=1"))
    body = html(english.post(f"/j/{workshop['code']}/notes", data={"id": form_id(page), "text": NASTY + "</textarea>"}))
    assert "</textarea></textarea>" not in body
    assert textarea(body) == ESCAPED + "&lt;/textarea&gt;"


def test_the_language_switch_is_remembered(client, workshop):
    response = client.get(f"/j/{workshop['code']}?lang=en")
    assert '<html lang="en">' in html(response)
    assert "lang=en" in response.headers["Set-Cookie"]
    assert f'href="/j/{workshop["code"]}?lang=fr"' in html(response)
    assert '<html lang="en">' in html(client.get(f"/w/{workshop['code']}/board"))
    assert '<html lang="fr">' in html(client.get(f"/w/{workshop['code']}/board?lang=fr"))


def test_the_workshop_language_is_the_default(client, workshop):
    assert '<html lang="fr">' in html(client.get(f"/j/{workshop['code']}", headers={"Accept-Language": "en"}))


def test_pages_carry_no_inline_script_or_handler(english, workshop, facilitator):
    start(facilitator, round_id(facilitator))
    login(english, workshop)
    paths = [
        f"/j/{workshop['code']}",
        f"/w/{workshop['code']}/board",
        f"/w/{workshop['code']}/facilitate",
        f"/w/{workshop['code']}/cards",
        "/j/NOPE42",
    ]
    for path in paths:
        body = html(english.get(path))
        for tag in re.findall(r"<script\b[^>]*>", body):
            assert "src=" in tag or 'type="application/json"' in tag, (path, tag)
        assert not re.search(r"\son[a-z]+\s*=", body), path
        assert "style=" not in body, path
        assert "javascript:" not in body, path


def test_the_translated_strings_reach_the_scripts(english, workshop):
    page = html(english.get(f"/j/{workshop['code']}"))
    block = re.search(r'<script type="application/json" id="i18n">(.*?)</script>', page, re.S).group(1)
    strings = __import__("json").loads(block)
    assert strings["timeUp"] == "Time is up"
    assert strings["count"] == "%(count)s / %(max)s characters"


def test_the_socket_io_client_is_served(client):
    response = client.get("/vendor/socket.io.min.js")
    assert response.status_code == 200
    assert "javascript" in response.mimetype
    response.close()
    assert client.get("/vendor/package.json").status_code == 404
    assert client.get("/vendor/..%2Fpackage.json").status_code == 404


def test_every_page_names_its_icon_so_no_browser_asks_for_a_missing_favicon(english, workshop):
    for path in (f"/j/{workshop['code']}", f"/w/{workshop['code']}/board", "/w/NOPE99/board"):
        page = html(english.get(path))
        icon = re.search(r'<link rel="icon" href="([^"]+)" type="image/svg\+xml">', page)
        assert icon, path
    with english.get(icon.group(1)) as served:
        assert served.status_code == 200 and served.mimetype == "image/svg+xml"
        ET.fromstring(served.get_data())  # well-formed SVG
