"""Facilitation modes of a round (issue 15): reveal, moderated, anonymous. Each mode is checked
from every audience: the author's phone, a phone at the same table, a phone at another table, the
board, the console, and each download of the results."""

from __future__ import annotations

import csv
import io
import json
import re
import uuid

import pytest
from docx import Document


def ok(ack):
    assert ack["ok"] is True, ack
    return ack


def refused(ack, code):
    assert ack["ok"] is False, ack
    assert ack["error"]["code"] == code, ack
    assert len(ack["error"]["message"]) > 10  # a sentence for a person
    return ack


def received(sio, name):
    """The ``name`` events this client got since it was last asked (other events stay for later)."""
    inbox = getattr(sio, "inbox", []) + sio.get_received()
    sio.inbox = [e for e in inbox if e["name"] != name]
    return [e["args"][0] for e in inbox if e["name"] == name]


def note_ids(payloads, key="note"):
    """Ids of the notes in ``note:added`` / ``note:shown`` ({"note"}) or ``notes:shown`` ({"notes"})."""
    ids = []
    for payload in payloads:
        if "notes" in payload:
            ids.extend(n["id"] for n in payload["notes"])
        else:
            ids.append(payload[key]["id"] if isinstance(payload[key], dict) else payload[key])
    return ids


class Room:
    """A World Café round running, a console, a board and three phones (two at table 1, one at 2)."""

    def __init__(self, create_workshop, connect):
        self.keys = create_workshop()
        self.code = self.keys["code"]
        self.console = connect({"code": self.code, "role": "facilitator", "key": self.keys["facilitator_key"]})
        self.board = connect({"code": self.code, "role": "board"})
        self.author = connect({"code": self.code, "role": "participant", "table": 1, "name": "Awa Diallo"})
        self.neighbour = connect({"code": self.code, "role": "participant", "table": 1, "name": "Bruno"})
        self.other = connect({"code": self.code, "role": "participant", "table": 2, "name": "Chen"})
        for sio in self.everyone:
            ok(sio.ack)
        blocks = self.console.ack["state"]["blocks"]
        self.rounds = [r["id"] for r in blocks[0]["rounds"]]
        self.round = self.rounds[0]
        ok(self.console.emit("round:start", {"round": self.round}, callback=True))
        self.drain()

    @property
    def everyone(self):
        return (self.console, self.board, self.author, self.neighbour, self.other)

    def drain(self):
        for sio in self.everyone:
            sio.get_received()
            sio.inbox = []

    def settings(self, **modes):
        return ok(self.console.emit("round:settings", {"round": self.round} | modes, callback=True))

    def post(self, text, phone=None):
        phone = phone or self.author
        return ok(phone.emit("note:post", {"id": str(uuid.uuid4()), "text": text}, callback=True))["note"]

    def state(self, sio):
        return ok(sio.emit("state:get", {}, callback=True))["state"]

    def download(self, client, extension):
        response = client.get(f"/w/{self.code}/results.{extension}?key={self.keys['secretariat_key']}")
        assert response.status_code == 200, response.status_code
        if extension == "docx":
            document = Document(io.BytesIO(response.data))
            cells = [c.text for t in document.tables for row in t.rows for c in row.cells]
            return "\n".join([p.text for p in document.paragraphs] + cells)
        return response.data.decode("utf-8-sig")


@pytest.fixture
def room(create_workshop, connect):
    return Room(create_workshop, connect)


EXPORTS = ("md", "html", "docx", "csv", "json")


def item_of(html: str, note_id: str) -> str:
    """The list item of one note on a page (``data-note="ID"`` up to its closing ``</li>``)."""
    found = re.search(rf'<li[^>]*data-note="{note_id}".*?</li>', html, re.S)
    assert found, note_id
    return found.group(0)


# --------------------------------------------------------------------------- settings


def test_settings_are_stored_on_the_round_and_sent_to_everyone(room):
    ack = room.settings(reveal=True, anonymous=True)
    assert (ack["round"]["reveal"], ack["round"]["moderated"], ack["round"]["anonymous"]) == (True, False, True)
    for sio in room.everyone:
        (event,) = received(sio, "round:settings")
        assert event["round"] == room.round and event["reveal"] is True and event["anonymous"] is True
    # Unchanged fields stay; the same settings again tell nobody.
    assert room.settings(moderated=True)["round"]["reveal"] is True
    room.drain()
    room.settings(moderated=True)
    assert received(room.board, "round:settings") == []
    state = room.state(room.other)
    shown = next(r for b in state["blocks"] for r in b["rounds"] if r["id"] == room.round)
    assert (shown["reveal"], shown["moderated"], shown["anonymous"]) == (True, True, True)


def test_a_change_mid_round_applies_to_what_comes_next(room):
    before = room.post("Avant le mode")
    room.settings(reveal=True)
    after = room.post("Après le mode")
    board = {n["id"] for n in room.state(room.board)["notes"]}
    assert before["id"] in board and after["id"] not in board
    room.settings(reveal=False)
    later = room.post("Mode retiré")
    board = {n["id"] for n in room.state(room.board)["notes"]}
    assert later["id"] in board and after["id"] not in board  # the waiting note waits for its reveal


def test_bad_settings_payloads_get_readable_errors(room, create_workshop, connect):
    console = room.console
    refused(console.emit("round:settings", {"round": room.round, "reveal": "maybe"}, callback=True), "wrong_type")
    refused(console.emit("round:settings", {"round": room.round, "anonymous": 3}, callback=True), "wrong_type")
    refused(console.emit("round:settings", {"reveal": True}, callback=True), "missing_field")
    refused(console.emit("round:settings", {"round": "un", "reveal": True}, callback=True), "wrong_type")
    refused(console.emit("round:settings", {"round": 999_999, "reveal": True}, callback=True), "unknown_round")
    refused(console.emit("round:settings", ["round"], callback=True), "bad_payload")
    # A round of another workshop is unknown here.
    other = create_workshop()
    elsewhere = connect({"code": other["code"], "role": "facilitator", "key": other["facilitator_key"]})
    foreign = ok(elsewhere.ack)["state"]["blocks"][0]["rounds"][0]["id"]
    refused(console.emit("round:settings", {"round": foreign, "reveal": True}, callback=True), "unknown_round")
    # Phones and the board may not.
    refused(room.author.emit("round:settings", {"round": room.round, "reveal": True}, callback=True), "forbidden")
    refused(room.board.emit("round:settings", {"round": room.round, "reveal": True}, callback=True), "forbidden")
    # A closed round keeps its modes.
    ok(console.emit("round:close", {"round": room.round}, callback=True))
    refused(console.emit("round:settings", {"round": room.round, "reveal": True}, callback=True), "round_closed")
    refused(console.emit("notes:reveal", {"round": room.round, "table": 42}, callback=True), "unknown_table")
    refused(console.emit("notes:reveal", {"round": room.round, "table": "une"}, callback=True), "wrong_type")
    refused(console.emit("note:approve", {"note": "pas-un-uuid"}, callback=True), "bad_uuid")
    refused(console.emit("note:approve", {"note": str(uuid.uuid4())}, callback=True), "unknown_note")
    refused(console.emit("notes:approve", {}, callback=True), "missing_field")
    refused(room.author.emit("notes:reveal", {"round": room.round}, callback=True), "forbidden")
    refused(room.author.emit("note:approve", {"note": str(uuid.uuid4())}, callback=True), "forbidden")


# --------------------------------------------------------------------------- reveal


def test_reveal_keeps_notes_off_the_board_until_the_facilitator_reveals_them(room, client):
    room.settings(reveal=True)
    room.drain()
    note = room.post("Une idée à l’abri du groupe")
    assert note["revealed"] is False and note["approved"] is True
    # The author's phone has it at once; the console too, flagged; nobody else.
    assert note_ids(received(room.author, "note:added")) == [note["id"]]
    (console_added,) = received(room.console, "note:added")
    assert console_added["note"]["revealed"] is False
    assert received(room.board, "note:added") == []
    assert received(room.neighbour, "note:added") == [] and received(room.other, "note:added") == []
    # The board hears how many wait, not what they say.
    (waiting,) = received(room.board, "notes:waiting")
    assert waiting == {"round": room.round, "count": 1}
    assert note["text"] not in json.dumps(waiting)
    # Snapshots say the same.
    assert note["id"] not in {n["id"] for n in room.state(room.board)["notes"]}
    assert room.state(room.board)["waiting"] == {"round": room.round, "count": 1}
    assert note["id"] not in {n["id"] for n in room.state(room.neighbour)["notes"]}
    mine = room.state(room.author)
    assert note["id"] in {n["id"] for n in mine["notes"]} and note["id"] in mine["me"]["notes"]
    console_note = next(n for n in room.state(room.console)["notes"] if n["id"] == note["id"])
    assert console_note["revealed"] is False
    # The board page without script, and the console's page, say the same.
    board_html = client.get(f"/w/{room.code}/board").get_data(as_text=True)
    assert "Une idée" not in board_html
    assert "1 note en attente" in board_html
    client.get(f"/w/{room.code}/facilitate?key={room.keys['facilitator_key']}")
    console_html = client.get(f"/w/{room.code}/facilitate").get_data(as_text=True)
    assert "Une idée" in console_html and "pas encore affichée" in console_html.lower()

    # Table by table: table 2 has nothing waiting, table 1 has the note.
    room.drain()
    assert ok(room.console.emit("notes:reveal", {"round": room.round, "table": 2}, callback=True))["revealed"] == 0
    assert received(room.board, "notes:shown") == []
    assert ok(room.console.emit("notes:reveal", {"round": room.round, "table": 1}, callback=True))["revealed"] == 1
    (shown,) = received(room.board, "notes:shown")
    assert shown["table"] == 1 and [n["id"] for n in shown["notes"]] == [note["id"]]
    assert shown["notes"][0]["revealed"] is True
    assert note_ids(received(room.neighbour, "notes:shown")) == [note["id"]]
    assert note_ids(received(room.author, "notes:shown")) == [note["id"]]
    assert received(room.other, "notes:shown") == []  # another table's note
    assert note_ids(received(room.console, "notes:shown")) == [note["id"]]
    assert received(room.board, "notes:waiting")[-1]["count"] == 0
    assert note["id"] in {n["id"] for n in room.state(room.board)["notes"]}
    # Revealing again reveals nothing.
    assert ok(room.console.emit("notes:reveal", {"round": room.round}, callback=True))["revealed"] == 0


def test_reveal_all_at_once_reaches_every_table(room):
    room.settings(reveal=True)
    first = room.post("Table un")
    second = room.post("Table deux", phone=room.other)
    room.drain()
    assert ok(room.console.emit("notes:reveal", {"round": room.round}, callback=True))["revealed"] == 2
    assert set(note_ids(received(room.board, "notes:shown"))) == {first["id"], second["id"]}
    assert note_ids(received(room.neighbour, "notes:shown")) == [first["id"]]
    assert note_ids(received(room.other, "notes:shown")) == [second["id"]]


def test_a_note_waiting_for_its_reveal_is_in_the_results(room, client):
    """Decided: the documents hold every approved note; a reveal only delays the projector."""
    room.settings(reveal=True)
    room.post("Pas encore révélée")
    for extension in EXPORTS:
        assert "Pas encore révélée" in room.download(client, extension), extension


# --------------------------------------------------------------------------- moderated


def test_moderated_notes_wait_in_the_queue_until_approved(room, client):
    room.settings(moderated=True)
    room.drain()
    note = room.post("À valider")
    assert note["approved"] is False and note["revealed"] is True
    assert note_ids(received(room.author, "note:added")) == [note["id"]]
    assert received(room.console, "note:added")[0]["note"]["approved"] is False
    assert received(room.board, "note:added") == [] and received(room.neighbour, "note:added") == []
    assert received(room.board, "notes:waiting") == [{"round": room.round, "count": 1}]
    # The phone's page says the note waits.
    with client.session_transaction() as session:
        session["participants"] = {room.code: room.author.ack["participant"]}
    phone_html = client.get(f"/j/{room.code}").get_data(as_text=True)
    assert "À valider" in phone_html and "En attente de validation" in phone_html
    assert "L’animation valide chaque note avant son affichage." in phone_html  # said before anyone types

    room.drain()
    ok(room.console.emit("note:approve", {"note": note["id"]}, callback=True))
    (on_board,) = received(room.board, "note:shown")
    assert on_board["note"]["id"] == note["id"] and on_board["note"]["approved"] is True
    assert note_ids(received(room.neighbour, "note:shown")) == [note["id"]]
    assert note_ids(received(room.author, "note:shown")) == [note["id"]]
    assert received(room.other, "note:shown") == []
    assert received(room.board, "notes:waiting") == [{"round": room.round, "count": 0}]
    # Approving twice changes nothing.
    room.drain()
    ok(room.console.emit("note:approve", {"note": note["id"]}, callback=True))
    assert received(room.board, "note:shown") == []


def test_approve_all_and_hide_from_the_queue(room):
    room.settings(moderated=True)
    kept = [room.post("Première"), room.post("Deuxième", phone=room.other)]
    rejected = room.post("Refusée", phone=room.neighbour)
    ok(room.console.emit("note:hide", {"note": rejected["id"]}, callback=True))
    room.drain()
    assert ok(room.console.emit("notes:approve", {"round": room.round}, callback=True))["approved"] == 2
    assert set(note_ids(received(room.board, "notes:shown"))) == {n["id"] for n in kept}
    assert note_ids(received(room.other, "notes:shown")) == [kept[1]["id"]]
    board = {n["id"] for n in room.state(room.board)["notes"]}
    assert board >= {n["id"] for n in kept} and rejected["id"] not in board


def test_a_note_never_approved_stays_out_of_the_board_and_every_download(room, client):
    room.settings(moderated=True)
    room.post("Jamais validée")
    approved = room.post("Validée")
    ok(room.console.emit("note:approve", {"note": approved["id"]}, callback=True))
    assert "Jamais validée" not in json.dumps(room.state(room.board))
    for extension in EXPORTS:
        text = room.download(client, extension)
        assert "Jamais validée" not in text, extension
        assert "Validée" in text, extension


def test_showing_a_hidden_note_of_the_queue_keeps_it_off_the_board(room):
    room.settings(moderated=True)
    note = room.post("Cachée puis remontrée")
    ok(room.console.emit("note:hide", {"note": note["id"]}, callback=True))
    room.drain()
    ok(room.console.emit("note:show", {"note": note["id"]}, callback=True))
    assert received(room.board, "note:shown") == [] and received(room.neighbour, "note:shown") == []
    assert note_ids(received(room.console, "note:shown")) == [note["id"]]
    assert received(room.board, "notes:waiting")[-1]["count"] == 1


def test_both_modes_an_approved_note_still_waits_for_its_reveal(room):
    room.settings(reveal=True, moderated=True)
    note = room.post("Deux portes")
    room.drain()
    ok(room.console.emit("note:approve", {"note": note["id"]}, callback=True))
    assert received(room.board, "note:shown") == []
    assert note_ids(received(room.author, "note:shown")) == [note["id"]]
    assert received(room.board, "notes:waiting")[-1]["count"] == 1
    ok(room.console.emit("notes:reveal", {"round": room.round}, callback=True))
    assert note_ids(received(room.board, "notes:shown")) == [note["id"]]


# --------------------------------------------------------------------------- anonymous


def test_anonymous_rounds_send_no_name_to_anyone(room, client):
    named = room.post("Signée")  # before the mode: it keeps its author
    room.settings(anonymous=True)
    room.drain()
    note = room.post("Sans nom")
    assert note["author"] is None and note["anonymous"] is True
    for sio in (room.console, room.board, room.author, room.neighbour):
        (added,) = received(sio, "note:added")
        assert added["note"]["author"] is None
        assert "Awa" not in json.dumps(added)
    for sio in (room.console, room.board, room.neighbour, room.author):
        state_note = next(n for n in room.state(sio)["notes"] if n["id"] == note["id"])
        assert state_note["author"] is None
    # The phone's own notes still work.
    assert note["id"] in room.state(room.author)["me"]["notes"]
    assert next(n for n in room.state(room.board)["notes"] if n["id"] == named["id"])["author"] == "Awa Diallo"
    # Pages without script: the signed note has its name, the anonymous one none.
    client.get(f"/w/{room.code}/facilitate?key={room.keys['facilitator_key']}")
    for page in (f"/w/{room.code}/facilitate", f"/w/{room.code}/board"):
        html = client.get(page).get_data(as_text=True)
        assert "Awa Diallo" in item_of(html, named["id"]), page
        assert "Sans nom" in item_of(html, note["id"]) and "Awa" not in item_of(html, note["id"]), page


def test_anonymous_notes_carry_no_name_in_any_download(room, client):
    room.settings(anonymous=True)
    note = room.post("Anonyme dans les documents")
    for extension in EXPORTS:
        text = room.download(client, extension)
        assert "Anonyme dans les documents" in text, extension
        assert "Awa" not in text, extension
    rows = list(csv.DictReader(io.StringIO(room.download(client, "csv")), delimiter=";"))
    row = next(r for r in rows if "Anonyme dans les documents" in json.dumps(r, ensure_ascii=False))
    assert not any(value == "Awa Diallo" for value in row.values())
    data = json.loads(room.download(client, "json"))
    assert "Awa" not in json.dumps(data, ensure_ascii=False)
    assert note["id"] in json.dumps(data)


def test_names_stay_in_the_downloads_of_a_round_not_anonymous(room, client):
    room.post("Signée par Awa")
    for extension in ("md", "csv", "json"):
        assert "Awa Diallo" in room.download(client, extension), extension


# --------------------------------------------------------------------------- the console's plain forms


def test_the_console_forms_without_javascript(room, client):
    client.get(f"/w/{room.code}/facilitate?key={room.keys['facilitator_key']}")
    base = f"/w/{room.code}"
    response = client.post(f"{base}/rounds/{room.round}/settings", data={"reveal": "1", "moderated": "on"})
    assert response.status_code == 303
    settings = next(r for r in room.state(room.console)["blocks"][0]["rounds"] if r["id"] == room.round)
    assert (settings["reveal"], settings["moderated"], settings["anonymous"]) == (True, True, False)
    page = client.get(f"{base}/facilitate").get_data(as_text=True)
    assert f'action="{base}/rounds/{room.round}/settings"' in page
    note = room.post("Par formulaire")
    page = client.get(f"{base}/facilitate").get_data(as_text=True)
    assert f'action="{base}/notes/{note["id"]}/approve"' in page
    assert f'action="{base}/rounds/{room.round}/reveal"' in page
    assert f'action="{base}/rounds/{room.round}/approve"' in page
    room.drain()
    assert client.post(f"{base}/notes/{note['id']}/approve").status_code == 303
    assert received(room.board, "note:shown") == []  # still waits for its reveal
    assert client.post(f"{base}/rounds/{room.round}/reveal", data={"table": "1"}).status_code == 303
    assert note_ids(received(room.board, "notes:shown")) == [note["id"]]
    other = room.post("Deuxième par formulaire")
    assert client.post(f"{base}/rounds/{room.round}/approve").status_code == 303
    assert client.post(f"{base}/rounds/{room.round}/reveal").status_code == 303
    assert other["id"] in {n["id"] for n in room.state(room.board)["notes"]}
    # Unticked boxes turn the modes off; bad values are refused with the reason.
    assert client.post(f"{base}/rounds/{room.round}/settings", data={}).status_code == 303
    settings = next(r for r in room.state(room.console)["blocks"][0]["rounds"] if r["id"] == room.round)
    assert not (settings["reveal"] or settings["moderated"] or settings["anonymous"])
    response = client.post(f"{base}/rounds/{room.round}/reveal", data={"table": "77"})
    assert response.status_code == 400 and "77" in response.get_data(as_text=True)
    assert client.post(f"{base}/notes/not-a-note/approve").status_code == 400
    assert client.post(f"{base}/rounds/999999/settings", data={"reveal": "1"}).status_code == 400
