"""The designer (/w/CODE/design) and the agenda as a file (/w/CODE/agenda.toml): the form as a
browser posts it, the rules of the day, and every open page following a change."""

from __future__ import annotations

import datetime as dt
import re
import uuid
from html.parser import HTMLParser

import pytest

from workshop import clock
from workshop.agenda.design import editable_data
from workshop.agenda.workshops import find_workshop
from workshop.config import PROJECT_ROOT
from workshop.domain.agenda import load_template, read_text
from workshop.extensions import db

SESSIONS = PROJECT_ROOT / "sessions"
CAFE_2010 = SESSIONS / "cafe-conversation-2010.toml"
FORUM_2009 = SESSIONS / "forum-ouvert-2009.toml"


class FormReader(HTMLParser):
    """The designer form's fields as a browser would post them (selected options, textareas)."""

    def __init__(self) -> None:
        super().__init__()
        self.fields: dict[str, str] = {}
        self._textarea: str | None = None
        self._select: str | None = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "input" and a.get("type") == "checkbox" and ("checked" not in a or "disabled" in a):
            return  # a browser posts a box only when it is ticked and enabled
        if tag == "input" and a.get("name") and a.get("type") != "submit":
            self.fields[a["name"]] = a.get("value") or ""
        elif tag == "textarea":
            self._textarea = a["name"]
            self.fields[self._textarea] = ""
        elif tag == "select":
            self._select = a["name"]
            self.fields.setdefault(self._select, "")
        elif tag == "option" and "selected" in a and self._select:
            self.fields[self._select] = a.get("value") or ""

    def handle_data(self, data):
        if self._textarea:
            self.fields[self._textarea] += data

    def handle_endtag(self, tag):
        if tag == "textarea":
            self._textarea = None
        elif tag == "select":
            self._select = None


def form_of(html: str) -> dict[str, str]:
    reader = FormReader()
    reader.feed(html[html.index('class="design-form"') :])
    return reader.fields


@pytest.fixture
def designer(client, create_workshop):
    """A 2010 café with its designer open in a browser that gave the facilitator key once."""
    keys = create_workshop()
    opened = client.get(f"/w/{keys['code']}/design?key={keys['facilitator_key']}")
    assert opened.status_code == 302 and opened.location.endswith(f"/w/{keys['code']}/design")

    def page():
        response = client.get(f"/w/{keys['code']}/design")
        assert response.status_code == 200
        return response.get_data(as_text=True)

    def save(changes: dict | None = None, action: str = "save", fields: dict | None = None):
        data = dict(fields if fields is not None else form_of(page()))
        data.update(changes or {})
        data["action"] = action
        return client.post(f"/w/{keys['code']}/design", data=data)

    return {"keys": keys, "code": keys["code"], "page": page, "save": save, "client": client}


def agenda_of(app, code: str) -> dict:
    with app.app_context():
        return editable_data(find_workshop(code))


def test_the_designer_needs_the_facilitator_key(client, create_workshop):
    keys = create_workshop()
    other = create_workshop(FORUM_2009)
    assert client.get(f"/w/{keys['code']}/design").status_code == 403
    assert client.get(f"/w/{keys['code']}/design?key=nope").status_code == 403
    # another workshop's key opens only its own workshop
    assert client.get(f"/w/{keys['code']}/design?key={other['facilitator_key']}").status_code == 403
    assert client.post(f"/w/{keys['code']}/design", data={"workshop.title": "Pris"}).status_code == 403
    assert client.get("/w/NOPE99/design").status_code == 404


def test_the_key_leaves_the_address_and_every_field_is_shown(designer):
    html = designer["page"]()
    fields = form_of(html)
    assert fields["workshop.title"] == "Journées de réflexion sur la mise en œuvre de l’entente"
    assert fields["blocks[0].rounds[0].question"] == "Quels sont les principaux défis en lien avec cet objectif?"
    assert fields["blocks[0].tables[0].theme"] == "objectif-1"
    assert fields["blocks[3].method"] == "open-space" and "blocks[3].slots[0].label" in fields
    assert "Cache-Control" in designer["client"].get(f"/w/{designer['code']}/design").headers


def test_saving_the_page_unchanged_changes_nothing(app, designer):
    before = agenda_of(app, designer["code"])
    response = designer["save"]()
    assert response.status_code == 303
    assert agenda_of(app, designer["code"]) == before


def test_a_change_is_saved_and_what_stays_keeps_its_ids(app, designer):
    before = agenda_of(app, designer["code"])
    response = designer["save"](
        {"workshop.title": "Café de la bibliothèque", "blocks[0].rounds[1].question": "Qu’est-ce qui vous stimule?"}
    )
    assert response.status_code == 303
    after = agenda_of(app, designer["code"])
    assert after["workshop"]["title"] == "Café de la bibliothèque"
    assert after["blocks"][0]["rounds"][1]["question"] == "Qu’est-ce qui vous stimule?"
    assert [r["_id"] for r in after["blocks"][0]["rounds"]] == [r["_id"] for r in before["blocks"][0]["rounds"]]


def test_a_problem_shows_beside_its_field_in_the_pages_language_and_nothing_is_saved(app, designer):
    before = agenda_of(app, designer["code"])
    response = designer["save"]({"workshop.title": "", "blocks[0].rounds[0].minutes": "900"})
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert (
        'id="f-workshop-title" name="workshop.title" type="text" value=""' in html.replace("\n", " ")
        or 'name="workshop.title"' in html
    )
    title_field = re.search(r'<input id="f-workshop-title"[^>]*>', html).group(0)
    assert 'aria-invalid="true"' in title_field and "f-workshop-title-error1" in title_field
    assert re.search(r'id="f-workshop-title-error1" class="form-error">ne doit pas être vide<', html)
    assert "doit être entre 1 et 240 minutes, reçu\u00a0: 900" in html
    assert 'value="900"' in html  # what was typed stays in the form
    assert agenda_of(app, designer["code"]) == before


def test_adding_a_round_and_an_open_space_block_mid_day(app, designer, connect):
    keys = designer["keys"]
    phone = connect({"code": keys["code"], "role": "participant", "table": 1})
    phone.get_received()
    assert designer["save"](action="add:blocks[0].rounds").status_code == 303
    assert designer["save"](action="add:blocks:open-space").status_code == 303
    after = agenda_of(app, designer["code"])
    assert len(after["blocks"][0]["rounds"]) == 4
    assert after["blocks"][-1]["method"] == "open-space" and len(after["blocks"][-1]["spaces"]) == 3
    told = [e for e in phone.get_received() if e["name"] == "block:changed"]
    assert len(told) == 2
    state = phone.emit("state:get", {}, callback=True)["state"]
    assert len(state["blocks"]) == 5 and len(state["blocks"][0]["rounds"]) == 4


def test_the_number_of_tables(app, designer):
    assert designer["save"]({"blocks[0]._count": "7"}, action="tables:0").status_code == 303
    assert [t["number"] for t in agenda_of(app, designer["code"])["blocks"][0]["tables"]] == [1, 2, 3, 4, 5, 6, 7]
    assert designer["save"]({"blocks[0]._count": "4"}, action="tables:0").status_code == 303
    assert [t["number"] for t in agenda_of(app, designer["code"])["blocks"][0]["tables"]] == [1, 2, 3, 4]
    refused = designer["save"]({"blocks[0]._count": "deux"}, action="tables:0")
    assert refused.status_code == 400 and "nombre entier de tables" in refused.get_data(as_text=True)


def start_round_with_notes(designer, connect, notes: int = 2):
    keys = designer["keys"]
    facilitator = connect({"code": keys["code"], "role": "facilitator", "key": keys["facilitator_key"]})
    first = facilitator.ack["state"]["blocks"][0]["rounds"][0]["id"]
    assert facilitator.emit("round:start", {"round": first}, callback=True)["ok"]
    phone = connect({"code": keys["code"], "role": "participant", "table": 1, "name": "Awa"})
    for n in range(notes):
        assert phone.emit("note:post", {"id": str(uuid.uuid4()), "text": f"Idée {n}"}, callback=True)["ok"]
    return facilitator, phone, first


def test_a_round_holding_notes_can_be_renamed_not_removed(app, designer, connect):
    start_round_with_notes(designer, connect)
    response = designer["save"](action="remove:blocks[0].rounds[0]")
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert "Cette ronde contient 2\u00a0notes" in html or "Cette ronde contient 2 notes" in html
    assert len(agenda_of(app, designer["code"])["blocks"][0]["rounds"]) == 3
    # A forged post that leaves the round out is refused too.
    fields = {k: v for k, v in form_of(designer["page"]()).items() if not k.startswith("blocks[0].rounds[0].")}
    assert designer["save"](fields=fields).status_code == 400
    assert len(agenda_of(app, designer["code"])["blocks"][0]["rounds"]) == 3
    # The block and the table with notes stay too.
    assert designer["save"](action="remove:blocks[0]").status_code == 400
    assert designer["save"](action="remove:blocks[0].tables[0]").status_code == 400


def test_correcting_the_running_question_reaches_the_board_and_the_phones(app, designer, connect):
    facilitator, phone, first = start_round_with_notes(designer, connect, notes=1)
    board = connect({"code": designer["code"], "role": "board"})
    with app.app_context():
        ends_before = next(r for b in find_workshop(designer["code"]).blocks for r in b.rounds if r.id == first).ends_at
    for sio in (board, phone, facilitator):
        sio.get_received()
    response = designer["save"](
        {
            "blocks[0].rounds[0].question": "Quels sont les principaux défis de cet objectif?",
            "blocks[0].rounds[0].minutes": "30",
        }
    )
    assert response.status_code == 303
    for sio in (board, phone, facilitator):
        assert [e["name"] for e in sio.get_received()].count("block:changed") == 1
        state = sio.emit("state:get", {}, callback=True)["state"]
        running = state["blocks"][0]["rounds"][0]
        assert running["question"] == "Quels sont les principaux défis de cet objectif?"
        assert running["status"] == "running"
    with app.app_context():
        ends_after = next(r for b in find_workshop(designer["code"]).blocks for r in b.rounds if r.id == first).ends_at
    assert ends_after - ends_before == dt.timedelta(minutes=5)  # 25 -> 30 minutes


def test_a_closed_round_keeps_its_length(app, designer, connect):
    facilitator, _phone, first = start_round_with_notes(designer, connect, notes=0)
    assert facilitator.emit("round:close", {"round": first}, callback=True)["ok"]
    response = designer["save"]({"blocks[0].rounds[0].minutes": "40"})
    assert response.status_code == 400
    assert "Cette ronde est terminée" in response.get_data(as_text=True)


def test_a_save_from_an_older_page_is_told_and_can_be_confirmed(app, designer):
    stale = form_of(designer["page"]())
    assert designer["save"]({"workshop.title": "Première version"}).status_code == 303
    response = designer["save"]({"workshop.title": "Seconde version"}, fields=stale)
    assert response.status_code == 400
    assert "Quelqu’un d’autre a enregistré ce programme" in response.get_data(as_text=True)
    assert agenda_of(app, designer["code"])["workshop"]["title"] == "Première version"
    again = form_of(response.get_data(as_text=True))
    assert designer["save"](fields=again).status_code == 303
    assert agenda_of(app, designer["code"])["workshop"]["title"] == "Seconde version"


@pytest.mark.parametrize(
    "forged",
    [
        {"blocks[0].rounds[0]": "x"},
        {"blocks[x].title": "x"},
        {"<script>": "x"},
    ],
)
def test_a_forged_form_saves_nothing(app, designer, forged):
    before = agenda_of(app, designer["code"])
    response = designer["save"](forged)
    assert response.status_code == 303
    assert agenda_of(app, designer["code"]) == before
    assert "Le formulaire n’a pas pu être lu" in designer["page"]()


def test_text_with_markup_is_escaped_in_the_designer(app, designer):
    assert designer["save"]({"workshop.title": "<script>alert(1)</script>"}).status_code == 303
    html = designer["page"]()
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


# --- the agenda as a file


def test_agenda_toml_needs_the_facilitator_key(client, create_workshop):
    keys = create_workshop()
    code = keys["code"]
    assert client.get(f"/w/{code}/agenda.toml").status_code == 403
    assert client.get(f"/w/{code}/agenda.toml?key=wrong").status_code == 403
    assert client.get(f"/w/{code}/agenda.toml?key={keys['secretariat_key']}").status_code == 403
    by_query = client.get(f"/w/{code}/agenda.toml?key={keys['facilitator_key']}")
    by_bearer = client.get(f"/w/{code}/agenda.toml", headers={"Authorization": f"Bearer {keys['facilitator_key']}"})
    assert by_query.status_code == by_bearer.status_code == 200
    assert by_query.headers["Content-Type"].startswith("application/toml")
    assert by_query.data == by_bearer.data


@pytest.mark.parametrize("path", sorted(SESSIONS.glob("*.toml")), ids=lambda p: p.stem)
def test_agenda_toml_gives_the_same_agenda_back(app, client, create_workshop, path):
    keys = create_workshop(path)
    text = client.get(f"/w/{keys['code']}/agenda.toml?key={keys['facilitator_key']}").get_data(as_text=True)
    template, problems = read_text(text, path.stem, "agenda.toml")
    assert problems == []
    original = load_template(path)
    assert [b.rounds for b in template.blocks] == [b.rounds for b in original.blocks]
    copy = create_workshop(path)  # and a workshop made from the file holds the same agenda
    with app.app_context():
        from workshop.agenda.workshops import create_workshop as create

        workshop, _keys = create(template, clock.now())
        db.session.commit()
        made_from_file = editable_data(workshop)
        made_from_template = editable_data(find_workshop(copy["code"]))
    from workshop.domain.design import without_ids

    assert without_ids(made_from_file) == without_ids(made_from_template)


def test_the_results_show_the_corrected_wording(designer, connect):
    start_round_with_notes(designer, connect, notes=1)
    assert designer["save"]({"blocks[0].rounds[0].question": "La question telle qu’on l’a posée?"}).status_code == 303
    markdown = (
        designer["client"]
        .get(f"/w/{designer['code']}/results.md?key={designer['keys']['secretariat_key']}")
        .get_data(as_text=True)
    )
    assert "La question telle qu’on l’a posée" in markdown
    assert "principaux défis en lien avec cet objectif" not in markdown


def test_the_designer_changes_an_english_workshop_in_english(client, create_workshop):
    keys = create_workshop(CAFE_2010)
    client.get(f"/w/{keys['code']}/design?key={keys['facilitator_key']}")
    html = client.get(f"/w/{keys['code']}/design?lang=en").get_data(as_text=True)
    fields = form_of(html)
    fields.update({"workshop.title": "", "action": "save"})
    response = client.post(f"/w/{keys['code']}/design?lang=en", data=fields, headers={"Cookie": "lang=en"})
    assert "must not be empty" in response.get_data(as_text=True)


def test_the_console_adds_a_round_after_the_running_one_once(app, designer, connect):
    _facilitator, phone, first = start_round_with_notes(designer, connect, notes=0)
    block = agenda_of(app, designer["code"])["blocks"][0]
    client = designer["client"]
    form = {"block": str(block["_id"]), "rounds": "3"}
    added = client.post(f"/w/{designer['code']}/rounds/add", data=form)
    assert added.status_code == 303 and added.location.endswith("/design#f-blocks-0-rounds-1")
    again = client.post(f"/w/{designer['code']}/rounds/add", data=form)  # a second console, same press
    assert again.status_code == 303
    rounds = agenda_of(app, designer["code"])["blocks"][0]["rounds"]
    assert len(rounds) == 4
    assert rounds[0]["_id"] == first and rounds[1]["question"] == "Écrivez la question ici"
    assert "block:changed" in [e["name"] for e in phone.get_received()]
    assert (
        client.post("/w/" + designer["code"] + "/rounds/add", data={"block": "999999", "rounds": "4"}).status_code
        == 303
    )
    assert len(agenda_of(app, designer["code"])["blocks"][0]["rounds"]) == 4


def test_the_designer_sets_a_rounds_facilitation_modes(app, designer, connect):
    """Issue 15: the designer's boxes set a round's modes; the agenda file keeps them."""
    response = designer["save"]({"blocks[0].rounds[1].reveal": "1", "blocks[0].rounds[1].anonymous": "1"})
    assert response.status_code == 303
    keys = designer["keys"]
    facilitator = connect({"code": keys["code"], "role": "facilitator", "key": keys["facilitator_key"]})
    second = facilitator.ack["state"]["blocks"][0]["rounds"][1]
    assert (second["reveal"], second["moderated"], second["anonymous"]) == (True, False, True)
    fields = form_of(designer["page"]())
    assert fields["blocks[0].rounds[1].reveal"] == "1" and "blocks[0].rounds[1].moderated" not in fields
    toml = designer["client"].get(f"/w/{designer['code']}/agenda.toml").get_data(as_text=True)
    assert toml.count("reveal = true") == 1 and toml.count("anonymous = true") == 1
    # Unticked, saved again: off.
    fields.pop("blocks[0].rounds[1].reveal")
    assert designer["save"](fields=fields).status_code == 303
    again = facilitator.emit("state:get", {}, callback=True)["state"]["blocks"][0]["rounds"][1]
    assert (again["reveal"], again["anonymous"]) == (False, True)


def test_a_closed_round_keeps_its_modes_in_the_designer(app, designer, connect):
    facilitator, _phone, first = start_round_with_notes(designer, connect, notes=0)
    assert facilitator.emit("round:settings", {"round": first, "moderated": True}, callback=True)["ok"]
    assert facilitator.emit("round:close", {"round": first}, callback=True)["ok"]
    html = designer["page"]()
    assert re.search(r'name="blocks\[0\]\.rounds\[0\]\.moderated" value="1" checked disabled', html)
    fields = form_of(html)
    fields.pop("blocks[0].rounds[0].moderated", None)  # a forged post that leaves it out
    assert designer["save"](fields=fields).status_code == 303
    state = facilitator.emit("state:get", {}, callback=True)["state"]
    assert state["blocks"][0]["rounds"][0]["moderated"] is True


def test_a_template_says_a_rounds_modes_with_true_or_false():
    text = CAFE_2010.read_text(encoding="utf-8")
    first_minutes = re.search(r"^\s*minutes = \d+$", text, re.M)
    with_modes = text[: first_minutes.end()] + "\nreveal = true\nmoderated = false" + text[first_minutes.end() :]
    template, problems = read_text(with_modes, "modes", "modes.toml")
    assert problems == [] and template is not None
    first = template.blocks[0].rounds[0]
    assert (first.reveal, first.moderated, first.anonymous) == (True, False, False)
    wrong = text[: first_minutes.end()] + '\nanonymous = "oui"' + text[first_minutes.end() :]
    template, problems = read_text(wrong, "modes", "modes.toml")
    assert template is None
    (problem,) = problems
    assert problem.place == "blocks[0].rounds[0].anonymous"
    assert problem.message.startswith("expected true or false, got a string")
