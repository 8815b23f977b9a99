"""Issue 16: one stored World Café plan that the paper, the console and the phones agree on; the
roster imported before the day, its passports, walk-ins and no-shows.

Pages are asked in English (``lang`` cookie) so the assertions hold whatever the French catalogue says.
"""

from __future__ import annotations

import re

import pytest

SECTORS = ["signataires", "employabilite", "accueil-integration", "education", "territorial", "employeurs", "sante"]


def ok(ack: dict) -> dict:
    assert ack["ok"] is True, ack
    return ack


def events(sio, name):
    return [e["args"][0] for e in sio.get_received() if e["name"] == name]


def html(response) -> str:
    return response.get_data(as_text=True)


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


def login(client, workshop) -> None:
    assert client.get(f"/w/{workshop['code']}/facilitate?key={workshop['facilitator_key']}").status_code == 302


def roster_csv(count: int, separator: str = ";") -> str:
    lines = [separator.join(["Nom", "Secteur", "Table", "Rôle"])]
    for i in range(count):
        role = "hôte" if i < 2 else ""
        table = str(i + 1) if i < 2 else ""
        lines.append(separator.join([f"Personne {i + 1:02d}", SECTORS[i % len(SECTORS)], table, role]))
    return "\r\n".join(lines) + "\r\n"


def import_roster(client, workshop, data: bytes, filename: str = "roster.csv"):
    import io

    return client.post(
        f"/w/{workshop['code']}/roster", data={"file": (io.BytesIO(data), filename)}, content_type="multipart/form-data"
    )


def plan_rounds(page: str) -> list[dict[int, list[int]]]:
    """The printed plan: per round, table -> participant ids (host first)."""
    rounds = []
    for section in re.findall(r'<section class="plan-round".*?</section>', page, re.S):
        rows = re.findall(r'<tr data-table="(\d+)" data-people="([\d ]*)">', section)
        rounds.append({int(t): [int(i) for i in ids.split()] for t, ids in rows})
    return rounds


def passports(page: str) -> dict[int, list[list[int | None]]]:
    """participant id -> per World Café block, the table of each round."""
    found = {}
    for pid, body in re.findall(
        r'<li class="passport" data-participant="(\d+)"(.*?)</li>\s*</ol>\s*</div>', page, re.S
    ):
        blocks = re.findall(r'<ol class="passport__rounds"[^>]*>(.*?)</ol>', body + "</ol>", re.S)
        found[int(pid)] = [[int(t) if t else None for t in re.findall(r'data-table="(\d*)"', b)] for b in blocks]
    return found


def block_url(workshop, block_id: int) -> str:
    return f"/w/{workshop['code']}/blocks/{block_id}/plan"


def test_a_roster_in_windows_1252_with_semicolons_is_planned_before_anyone_arrives(english, workshop, facilitator):
    login(english, workshop)
    data = roster_csv(14).replace("Personne 03", "Hélène Côté").encode("cp1252")
    response = import_roster(english, workshop, data)
    page = html(response)
    assert response.status_code == 200, page
    assert "14 added, 0 updated, 0 with an error." in page
    assert "Hélène Côté" in page
    first = facilitator.emit("state:get", {}, callback=True)["state"]["blocks"][0]
    assert [t["host"] for t in first["tables"][:2]] == ["Personne 01", "Personne 02"]
    printed = plan_rounds(html(english.get(block_url(workshop, first["id"]))))
    assert len(printed) == 3
    for seating in printed:
        seated = [pid for ids in seating.values() for pid in ids]
        assert len(seated) == len(set(seated)) == 14
        assert max(len(ids) for ids in seating.values()) - min(len(ids) for ids in seating.values()) <= 1
    assert printed[0][1][0] == printed[1][1][0] == printed[2][1][0]  # the host stays
    # Opened again, nothing changed: the same plan, not a new one.
    assert plan_rounds(html(english.get(block_url(workshop, first["id"])))) == printed


def test_a_utf8_roster_with_a_bom_and_commas_reports_each_bad_row(english, workshop):
    login(english, workshop)
    text = (
        "Name,Sector,Table,Role\n"
        "Ana Lopez,education,,\n"
        ",education,,\n"
        "Ben Roy,astrologie,,\n"
        "Chloé Simard,sante,12,\n"
        "Dan Oké,sante,table 3,chef\n"
        "Ana Lopez,sante,,\n"
        "Éli Nault,Organismes œuvrant en employabilité,Table 4,\n"
    )
    response = import_roster(english, workshop, b"\xef\xbb\xbf" + text.encode("utf-8"))
    page = html(response)
    assert response.status_code == 200
    assert "2 added, 0 updated, 5 with an error." in page
    errors = dict(re.findall(r'<li data-line="(\d+)">(.*?)</li>', page))
    assert set(errors) == {"3", "4", "5", "6", "7"}
    assert "the name is empty" in errors["3"]
    assert "astrologie" in errors["4"]
    assert "no table 12" in errors["5"]
    assert "chef" in errors["6"]
    assert "already on line 2" in errors["7"]
    assert "Éli Nault" in page and "Always table 4" in page


def test_importing_again_updates_and_a_bad_file_is_refused_readably(english, workshop):
    login(english, workshop)
    assert "3 added" in html(import_roster(english, workshop, roster_csv(3).encode()))
    again = html(import_roster(english, workshop, roster_csv(4).encode()))
    assert "1 added, 3 updated, 0 with an error." in again
    refused = import_roster(english, workshop, b"\x00\x01\x02PK")
    assert refused.status_code == 400
    assert "not a CSV text file" in html(refused)
    empty = english.post(f"/w/{workshop['code']}/roster", data={"csv": "  "})
    assert empty.status_code == 400 and "Choose the roster file" in html(empty)
    pasted = english.post(f"/w/{workshop['code']}/roster", data={"csv": "Zoé Tremblay;sante"})
    assert "1 added" in html(pasted)


def test_the_roster_pages_need_the_facilitator_key(english, workshop):
    for path in ("roster", "passports", "badges"):
        assert english.get(f"/w/{workshop['code']}/{path}").status_code == 403
        assert english.get(f"/w/{workshop['code']}/{path}?key={workshop['secretariat_key']}").status_code == 403
    assert import_roster(english, workshop, roster_csv(2).encode()).status_code == 403
    assert english.get(f"/w/{workshop['code']}/passports?key={workshop['facilitator_key']}").status_code == 200


def test_passports_phones_and_paper_agree_through_three_rounds(app, english, workshop, facilitator, connect):
    """The night before: import, print the passports. On the day: 12 of 14 come (2 no-shows), one
    walk-in; each phone is told what its passport says, and the summary line counts them."""
    login(english, workshop)
    import_roster(english, workshop, roster_csv(14).encode())
    cards = passports(html(english.get(f"/w/{workshop['code']}/passports")))
    assert len(cards) == 14
    state = facilitator.emit("state:get", {}, callback=True)["state"]
    block = state["blocks"][0]
    with app.app_context():
        from workshop.extensions import db
        from workshop.models import Participant

        tokens = {p.id: p.token for p in db.session.execute(db.select(Participant)).scalars()}
    coming = sorted(cards)[:12]
    phones = {}
    for pid in coming:
        phone = english.application.test_client()
        response = phone.get(f"/j/{workshop['code']}/p/{tokens[pid]}")
        assert response.status_code == 303 and "passport=1" in response.headers["Location"]
        sio = connect(join={"code": workshop["code"], "role": "participant", "participant": tokens[pid]})
        me = ok(sio.ack)["state"]["me"]
        assert me["move"]["table"] == cards[pid][0][0]  # round 1: the passport's table
        phones[pid] = sio
    walk_in = connect(join={"code": workshop["code"], "role": "participant", "name": "Nouvelle"})
    walk_in_move = ok(walk_in.ack)["state"]["me"]["move"]
    assert walk_in_move is not None
    facilitator.get_received()
    ok(facilitator.emit("round:start", {"round": block["rounds"][0]["id"]}, callback=True))
    summary = events(facilitator, "seating:summary")
    assert summary and summary[-1]["absent"] == 2 and summary[-1]["walk_ins"] == 1 and summary[-1]["replanned"]
    # Round 1 as held: every phone where its passport said, the walk-in where they were told.
    for pid, sio in phones.items():
        assert sio.emit("state:get", {}, callback=True)["state"]["me"]["table"] == cards[pid][0][0]
    for index in (1, 2):
        for sio in phones.values():
            sio.get_received()
        ok(facilitator.emit("round:close", {"round": block["rounds"][index - 1]["id"]}, callback=True))
        printed = plan_rounds(html(english.get(block_url(workshop, block["id"]))))
        for pid, sio in phones.items():
            told = events(sio, "table:move")
            assert len(told) == 1
            assert pid in printed[index][told[0]["table"]]  # the phone = the printed plan
        ok(facilitator.emit("round:start", {"round": block["rounds"][index]["id"]}, callback=True))
    page = html(english.get(block_url(workshop, block["id"])))
    assert page.count('data-held="true"') == 3


def test_when_everyone_comes_each_move_is_the_passport_and_nothing_is_planned_again(
    app, english, workshop, facilitator, connect
):
    login(english, workshop)
    import_roster(english, workshop, roster_csv(10).encode())
    cards = passports(html(english.get(f"/w/{workshop['code']}/passports")))
    block = facilitator.emit("state:get", {}, callback=True)["state"]["blocks"][0]
    with app.app_context():
        from workshop.extensions import db
        from workshop.models import Block, Participant

        tokens = {p.id: p.token for p in db.session.execute(db.select(Participant)).scalars()}
        planned_at = db.session.get(Block, block["id"]).planned_at
    phones = {
        pid: connect(join={"code": workshop["code"], "role": "participant", "participant": tokens[pid]})
        for pid in cards
    }
    ok(facilitator.emit("round:start", {"round": block["rounds"][0]["id"]}, callback=True))
    summary = events(facilitator, "seating:summary")[-1]
    assert (summary["absent"], summary["walk_ins"], summary["replanned"]) == (0, 0, False)
    for index in (1, 2):
        for sio in phones.values():
            sio.get_received()
        ok(facilitator.emit("round:close", {"round": block["rounds"][index - 1]["id"]}, callback=True))
        for pid, sio in phones.items():
            assert [m["table"] for m in events(sio, "table:move")] == [cards[pid][0][index]]
        # The console shows the same next round, table by table.
        coming = facilitator.emit("state:get", {}, callback=True)["state"]["seating"]
        assert coming["round"] == block["rounds"][index]["id"]
        assert {pid: int(n) for n, ids in coming["tables"].items() for pid in ids} == {
            pid: cards[pid][0][index] for pid in phones
        }
        console = html(english.get(f"/w/{workshop['code']}/facilitate"))
        assert console.count('class="table-card__next"') == 5
        ok(facilitator.emit("round:start", {"round": block["rounds"][index]["id"]}, callback=True))
    with app.app_context():
        assert db.session.get(Block, block["id"]).planned_at == planned_at  # planned once


def test_scanning_another_tables_card_asks_first(english, workshop, facilitator, connect, app):
    login(english, workshop)
    import_roster(english, workshop, roster_csv(6).encode())
    with app.app_context():
        from workshop.extensions import db
        from workshop.models import Participant

        person = db.session.execute(db.select(Participant).where(Participant.name == "Personne 05")).scalar_one()
        token = person.token
    phone = english.application.test_client()
    phone.set_cookie("lang", "en")
    phone.get(f"/j/{workshop['code']}/p/{token}")
    sio = connect(join={"code": workshop["code"], "role": "participant", "participant": token})
    expected = ok(sio.ack)["state"]["me"]["expected"]
    other = expected % 5 + 1
    page = html(phone.get(f"/j/{workshop['code']}?table={other}"))
    assert f"You are expected at table {expected}. Sit at table {other} instead?" in page
    assert 'data-table=""' in page  # the script is not told to sit there on its own
    # Not moved by looking: the phone is still expected where it was, and sits elsewhere only when it says so.
    assert sio.emit("state:get", {}, callback=True)["state"]["me"]["expected"] == expected
    assert phone.post(f"/j/{workshop['code']}/arrive", data={"table": str(other)}).status_code == 303
    assert sio.emit("state:get", {}, callback=True)["state"]["me"]["table"] == other
    # Its own table's card asks nothing.
    own = html(phone.get(f"/j/{workshop['code']}?table={other}"))
    assert f"You are expected at table {expected}" not in own
    assert re.search(r'<form id="elsewhere"[^>]* hidden>', own)  # only the script may show it, if asked


def test_a_departure_leaves_the_others_where_they_were_told(english, workshop, facilitator, connect):
    phones = [
        connect(join={"code": workshop["code"], "role": "participant", "table": i % 5 + 1, "name": f"P{i}"})
        for i in range(10)
    ]
    block = facilitator.ack["state"]["blocks"][0]
    ok(facilitator.emit("round:start", {"round": block["rounds"][0]["id"]}, callback=True))
    for sio in phones:
        sio.get_received()
    ok(facilitator.emit("round:close", {"round": block["rounds"][0]["id"]}, callback=True))
    told = {i: events(sio, "table:move")[0]["table"] for i, sio in enumerate(phones)}
    gone = ok(phones[0].emit("state:get", {}, callback=True))["state"]["me"]
    people = facilitator.emit("state:get", {}, callback=True)["state"]["participants"]
    gone_id = next(p["id"] for p in people if p["name"] == "P0")
    ok(facilitator.emit("participant:leave", {"participant": gone_id}, callback=True))
    ok(facilitator.emit("round:start", {"round": block["rounds"][1]["id"]}, callback=True))
    for i, sio in enumerate(phones[1:], start=1):
        assert sio.emit("state:get", {}, callback=True)["state"]["me"]["table"] == told[i]
    assert gone["table"] is not None
    assert phones[0].emit("state:get", {}, callback=True)["state"]["me"]["table"] is None


def test_the_console_says_the_round_start_in_one_line_and_can_plan_again(app, english, workshop, facilitator, connect):
    login(english, workshop)
    import_roster(english, workshop, roster_csv(5).encode())
    block = facilitator.emit("state:get", {}, callback=True)["state"]["blocks"][0]
    with app.app_context():
        from workshop.extensions import db
        from workshop.models import Block, Participant

        tokens = [p.token for p in db.session.execute(db.select(Participant).order_by(Participant.id)).scalars()]
        planned_at = db.session.get(Block, block["id"]).planned_at
    for token in tokens[:3]:  # 2 of 5 do not come
        connect(join={"code": workshop["code"], "role": "participant", "participant": token})
    connect(join={"code": workshop["code"], "role": "participant", "name": "Walk-in"})
    ok(facilitator.emit("round:start", {"round": block["rounds"][0]["id"]}, callback=True))
    page = html(english.get(f"/w/{workshop['code']}/facilitate"))
    assert "2 people absent, 1 walk-in seated; plan updated" in page
    assert english.post(f"/w/{workshop['code']}/blocks/{block['id']}/replan", data={"back": "plan"}).status_code == 303
    with app.app_context():
        assert db.session.get(Block, block["id"]).planned_at > planned_at
    other = english.application.test_client()
    assert other.post(f"/w/{workshop['code']}/blocks/{block['id']}/replan").status_code == 403
    assert english.post(f"/w/{workshop['code']}/blocks/999999/replan").status_code == 404


def test_badges_carry_names_not_codes_and_a_passport_needs_a_real_token(english, workshop):
    login(english, workshop)
    import_roster(english, workshop, "Nom;Secteur\n<b>Éve</b>;sante\n".encode())
    page = html(english.get(f"/w/{workshop['code']}/badges"))
    assert "&lt;b&gt;Éve&lt;/b&gt;" in page and "<b>Éve</b>" not in page
    assert "<svg" not in page and "/p/" not in page
    for token in ("nope", "x" * 40, "a" * 500):
        assert english.get(f"/j/{workshop['code']}/p/{token}").status_code == 404
    passports = english.get(f"/w/{workshop['code']}/passports")
    assert passports.headers["Cache-Control"] == "no-store"
    assert html(passports).count('class="passport__qr"') == 1


def test_a_block_never_planned_starts_where_people_sit(english, workshop, facilitator, connect):
    """The second World Café block, no roster: its first round is where people are; nobody is
    moved without being told."""
    phones = [connect(join={"code": workshop["code"], "role": "participant", "table": i % 5 + 1}) for i in range(8)]
    ok(facilitator.emit("block:next", {}, callback=True))
    second = facilitator.emit("state:get", {}, callback=True)["state"]["blocks"][1]
    for sio in phones:
        sio.get_received()
    ok(facilitator.emit("round:start", {"round": second["rounds"][0]["id"]}, callback=True))
    for i, sio in enumerate(phones):
        assert events(sio, "table:seated") == []
        assert sio.emit("state:get", {}, callback=True)["state"]["me"]["table"] == i % 5 + 1
    login(english, workshop)
    printed = plan_rounds(html(english.get(block_url(workshop, second["id"]))))
    assert all(len(ids) for ids in printed[1].values())  # the next rounds are planned
    assert sum(len(ids) for ids in printed[0].values()) == sum(len(ids) for ids in printed[3].values()) == 8
