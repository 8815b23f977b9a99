"""Photos of the tablecloths (issue 8, point 6): a table host sends one from the phone, the board
gets it live, the picture is served clean, and the results carry it. On SQLite and PostgreSQL.

Pages are asked in English (``lang`` cookie) so the assertions hold whatever the French catalogue says.
"""

from __future__ import annotations

import io
import json
import re

import pytest
from PIL import ExifTags, Image
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from werkzeug.datastructures import FileStorage
from werkzeug.test import encode_multipart

from workshop import clock
from workshop.agenda.workshops import find_workshop
from workshop.config import PROJECT_ROOT
from workshop.domain import photos as rules
from workshop.extensions import db
from workshop.models.photo import Photo

JSON = {"Accept": "application/json"}


def ok(ack: dict) -> dict:
    assert ack["ok"] is True, ack
    return ack


def jpeg(width: int = 800, height: int = 600, colour=(200, 40, 40), gps: bool = True) -> bytes:
    image = Image.new("RGB", (width, height), colour)
    image.paste((30, 30, 200), (0, height // 2, width, height))
    exif = Image.Exif()
    exif[ExifTags.Base.Make] = "PhoneMaker"
    if gps:
        exif.get_ifd(ExifTags.IFD.GPSInfo).update(
            {ExifTags.GPS.GPSLatitudeRef: "N", ExifTags.GPS.GPSLatitude: (46.0, 48.0, 52.0)}
        )
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif.tobytes())
    return out.getvalue()


def form(data: bytes | None = None, name: str = "nappe.jpg", **fields) -> dict:
    body = {key: str(value) for key, value in fields.items()}
    if data is not None:
        body["photo"] = (io.BytesIO(data), name)
    return body


def alert(page: str) -> str:
    found = re.search(r'<p id="form-error" class="form-error" role="alert">(.*?)</p>', page, re.S)
    assert found, "no error shown"
    return found.group(1).strip()


@pytest.fixture
def workshop(create_workshop):
    return create_workshop()


@pytest.fixture
def facilitator(connect, workshop):
    sio = connect(join={"code": workshop["code"], "role": "facilitator", "key": workshop["facilitator_key"]})
    ok(sio.ack)
    return sio


@pytest.fixture
def first_round(facilitator):
    round_id = facilitator.ack["state"]["blocks"][0]["rounds"][0]["id"]
    ok(facilitator.emit("round:start", {"round": round_id}, callback=True))
    return round_id


@pytest.fixture
def host(app, workshop):
    """A phone without JavaScript that hosts table 1."""
    phone = app.test_client()
    phone.set_cookie("lang", "en")
    assert phone.post(f"/j/{workshop['code']}/host", data={"table": "1"}).status_code == 303
    return phone


@pytest.fixture
def board(connect, workshop):
    sio = connect(join={"code": workshop["code"], "role": "board"})
    ok(sio.ack)
    sio.get_received()
    return sio


def events(sio, name: str) -> list[dict]:
    return [item["args"][0] for item in sio.get_received() if item["name"] == name]


def listing(client, workshop) -> list[dict]:
    response = client.get(f"/w/{workshop['code']}/photos.json")
    assert response.status_code == 200
    return response.get_json()["photos"]


def stored_count(app) -> int:
    with app.app_context():
        return db.session.execute(select(func.count(Photo.id))).scalar_one()


def test_a_host_sends_a_photo_and_the_board_gets_it_live(app, client, workshop, first_round, host, board, facilitator):
    facilitator.get_received()
    response = host.post(f"/j/{workshop['code']}/photos", data=form(jpeg(3000, 2000), table=1))
    assert response.status_code == 303
    assert response.headers["Location"].endswith(f"/j/{workshop['code']}#photos")

    [added] = events(board, "photo:added")
    photo = added["photo"]
    assert (photo["table"], photo["round"], photo["round_number"]) == (1, first_round, 1)
    assert (photo["width"], photo["height"]) == (1600, 1067)
    assert photo["url"] == f"/w/{workshop['code']}/photos/{photo['id']}.jpg"
    assert photo["block"] == facilitator.ack["state"]["blocks"][0]["id"]
    assert set(photo) >= {"id", "url", "table", "round", "block", "width", "height", "created_at"}
    assert events(facilitator, "photo:added") == [added]
    assert [p["id"] for p in listing(client, workshop)] == [photo["id"]]

    # The host's phone page lists it, and says it is saved.
    page = host.get(f"/j/{workshop['code']}").get_data(as_text=True)
    assert "The photo is saved." in page and photo["thumb"] in page


def test_the_photo_is_served_as_a_clean_jpeg_kept_by_caches(client, workshop, first_round, host):
    host.post(f"/j/{workshop['code']}/photos", data=form(jpeg(2400, 1800), table=1))
    [photo] = listing(client, workshop)
    for url, longest in ((photo["url"], 1600), (photo["thumb"], rules.THUMB_SIDE)):
        response = client.get(url)
        assert response.status_code == 200
        assert response.headers["Content-Type"] == "image/jpeg"
        assert response.headers["X-Content-Type-Options"] == "nosniff"
        assert (
            "immutable" in response.headers["Cache-Control"] and "max-age=31536000" in response.headers["Cache-Control"]
        )
        with Image.open(io.BytesIO(response.data)) as served:
            assert served.format == "JPEG" and max(served.size) == longest
            assert dict(served.getexif()) == {}
        assert b"PhoneMaker" not in response.data
    # Another workshop's code, an unknown id, an unknown code: 404.
    assert client.get(photo["url"].replace(photo["id"], "00000000-0000-4000-8000-000000000000")).status_code == 404
    assert client.get(photo["url"].replace(workshop["code"], "NOPE99")).status_code == 404


def test_the_board_and_the_console_show_the_photos_per_table_with_their_alt_text(
    app, client, workshop, first_round, host
):
    host.post(f"/j/{workshop['code']}/photos", data=form(jpeg(), table=1))
    [photo] = listing(client, workshop)
    client.set_cookie("lang", "en")
    board = client.get(f"/w/{workshop['code']}/board").get_data(as_text=True)
    section = board[board.index('id="photos"') :]
    assert 'data-table="1"' in section and photo["thumb"] in section
    assert 'alt="Photo of the tablecloth of table 1, round 1"' in section
    assert f'href="{photo["url"]}"' in section
    client.get(f"/w/{workshop['code']}/facilitate?key={workshop['facilitator_key']}")
    console = client.get(f"/w/{workshop['code']}/facilitate").get_data(as_text=True)
    assert photo["thumb"] in console and f"/w/{workshop['code']}/photos/{photo['id']}/delete" in console
    french = app.test_client()
    french.set_cookie("lang", "fr")
    board_fr = french.get(f"/w/{workshop['code']}/board").get_data(as_text=True)
    assert 'alt="Photo de la nappe de la table 1, ronde 1"' in board_fr


def test_only_the_host_of_the_table_may_send_a_photo(app, client, workshop, first_round, host):
    guest = app.test_client()
    guest.set_cookie("lang", "en")
    assert guest.post(f"/j/{workshop['code']}/join", data={"table": "1"}).status_code == 303
    refused = guest.post(f"/j/{workshop['code']}/photos", data=form(jpeg(), table=1))
    assert refused.status_code == 403
    assert alert(refused.get_data(as_text=True)) == "Only the host of this table (or the facilitator) can do this."
    stranger = app.test_client()
    assert stranger.post(f"/j/{workshop['code']}/photos", data=form(jpeg(), table=1), headers=JSON).status_code == 403
    # The host of table 1 is not the host of table 2.
    other = host.post(f"/j/{workshop['code']}/photos", data=form(jpeg(), table=2), headers=JSON)
    assert other.status_code == 403 and other.get_json()["error"]["code"] == "not_host"
    assert listing(client, workshop) == [] and stored_count(app) == 0


def test_a_script_gets_json_and_a_wrong_file_a_readable_refusal(app, client, workshop, first_round, host):
    sent = host.post(f"/j/{workshop['code']}/photos", data=form(jpeg(), table=1), headers=JSON)
    assert sent.status_code == 201
    body = sent.get_json()
    assert body["ok"] is True and body["photo"]["table"] == 1 and body["photo"]["round_number"] == 1
    gif = io.BytesIO()
    Image.new("RGB", (40, 40)).save(gif, "GIF")
    for data, name in ((gif.getvalue(), "a.gif"), (b"<svg onload=alert(1)>", "a.svg"), (b"hello", "a.jpg")):
        refused = host.post(f"/j/{workshop['code']}/photos", data=form(data, name, table=1), headers=JSON)
        assert refused.status_code == 400
        error = refused.get_json()["error"]
        assert error["code"] == "photo_type"
        assert error["message"].startswith("This file is not a JPEG, PNG or WebP photo. Nothing was saved")
    missing = host.post(f"/j/{workshop['code']}/photos", data=form(None, table=1), headers=JSON)
    assert missing.status_code == 400 and missing.get_json()["error"]["code"] == "photo_missing"
    # Without JavaScript: the page again, with the reason.
    page = host.post(f"/j/{workshop['code']}/photos", data=form(b"hello", "a.txt", table=1))
    assert page.status_code == 400 and "Nothing was saved" in alert(page.get_data(as_text=True))
    assert stored_count(app) == 1


def test_an_unknown_workshop_is_404(client):
    assert client.post("/j/NOPE99/photos", data=form(jpeg(), table=1)).status_code == 404
    assert client.get("/w/NOPE99/photos.json").status_code == 404


def in_memory(fields: dict) -> dict:
    """A multipart body built in memory (the test client would spool a large one to a temporary
    file that nobody closes when the server refuses to read it)."""
    values = {k: FileStorage(v[0], filename=v[1]) if isinstance(v, tuple) else v for k, v in fields.items()}
    boundary, body = encode_multipart(values)
    return {"data": body, "content_type": f"multipart/form-data; boundary={boundary}"}


def test_a_file_too_big_is_413_with_a_readable_message(app, client, workshop, first_round, host):
    huge = b"\xff\xd8" + b"\x00" * (rules.MAX_UPLOAD_BYTES + 200 * 1024)
    page = host.post(f"/j/{workshop['code']}/photos", **in_memory(form(huge, table=1)))
    assert page.status_code == 413
    assert (
        alert(page.get_data(as_text=True)) == "This file is larger than 15 MB. Nothing was saved: send a smaller photo."
    )
    answer = host.post(f"/j/{workshop['code']}/photos", headers=JSON, **in_memory(form(huge, table=1)))
    assert answer.status_code == 413 and answer.get_json()["error"]["code"] == "photo_too_big"
    # The room is for photos only: every other form keeps the small limit.
    note = host.post(f"/j/{workshop['code']}/notes", data={"id": "0" * 8, "text": "x" * 300_000})
    assert note.status_code == 413
    assert stored_count(app) == 0


def test_the_csrf_token_is_required_when_csrf_is_on(app, client, workshop, first_round, host):
    app.config["WTF_CSRF_ENABLED"] = True
    try:
        page = host.get(f"/j/{workshop['code']}").get_data(as_text=True)
        upload_form = re.search(r'<form id="photo-form".*?</form>', page, re.S).group(0)
        token = re.search(r'name="csrf_token" value="([^"]+)"', upload_form).group(1)
        assert 'enctype="multipart/form-data"' in upload_form and 'capture="environment"' in upload_form
        refused = host.post(f"/j/{workshop['code']}/photos", data=form(jpeg(), table=1))
        assert refused.status_code == 400
        assert stored_count(app) == 0
        accepted = host.post(f"/j/{workshop['code']}/photos", data=form(jpeg(), table=1, csrf_token=token))
        assert accepted.status_code == 303
        assert stored_count(app) == 1
    finally:
        app.config["WTF_CSRF_ENABLED"] = False


def test_the_same_photo_sent_twice_is_stored_once(app, client, workshop, first_round, host, board):
    data = jpeg()
    first = host.post(f"/j/{workshop['code']}/photos", data=form(data, table=1), headers=JSON).get_json()
    again = host.post(f"/j/{workshop['code']}/photos", data=form(data, table=1), headers=JSON).get_json()
    assert first["photo"]["id"] == again["photo"]["id"]
    assert len(events(board, "photo:added")) == 1 and stored_count(app) == 1


def test_a_table_holds_six_photos_a_round_and_the_workshop_its_total(
    app, client, workshop, first_round, host, facilitator, monkeypatch
):
    for shade in range(rules.PER_PLACE):
        sent = host.post(
            f"/j/{workshop['code']}/photos", data=form(jpeg(120, 90, (shade * 30, 90, 90)), table=1), headers=JSON
        )
        assert sent.status_code == 201
    full = host.post(f"/j/{workshop['code']}/photos", data=form(jpeg(120, 90, (250, 250, 0)), table=1), headers=JSON)
    assert full.status_code == 409
    assert (
        full.get_json()["error"]["message"]
        == "This table already has 6 photos for this round: the facilitator can remove one."
    )
    # The next round has room again; the workshop's total still holds.
    ok(facilitator.emit("round:close", {"round": first_round}, callback=True))
    second = facilitator.ack["state"]["blocks"][0]["rounds"][1]["id"]
    ok(facilitator.emit("round:start", {"round": second}, callback=True))
    monkeypatch.setattr(rules, "PER_WORKSHOP", 7)
    assert (
        host.post(
            f"/j/{workshop['code']}/photos", data=form(jpeg(120, 90, (1, 2, 3)), table=1), headers=JSON
        ).status_code
        == 201
    )
    over = host.post(f"/j/{workshop['code']}/photos", data=form(jpeg(120, 90, (9, 9, 9)), table=1), headers=JSON)
    assert over.status_code == 409 and over.get_json()["error"]["code"] == "photo_limit_workshop"
    assert stored_count(app) == 7


def test_the_photo_goes_to_the_round_the_phone_names_or_the_last_one_started(
    client, workshop, first_round, host, facilitator
):
    rounds = facilitator.ack["state"]["blocks"][0]["rounds"]
    ok(facilitator.emit("round:close", {"round": first_round}, callback=True))
    # Between two rounds: the photo of the tablecloth as the round closed.
    sent = host.post(f"/j/{workshop['code']}/photos", data=form(jpeg(colour=(1, 1, 1)), table=1), headers=JSON)
    assert sent.get_json()["photo"]["round"] == first_round
    pending = host.post(
        f"/j/{workshop['code']}/photos", data=form(jpeg(colour=(2, 2, 2)), table=1, round=rounds[1]["id"]), headers=JSON
    )
    assert pending.status_code == 400 and pending.get_json()["error"]["code"] == "round_not_started"
    ok(facilitator.emit("round:start", {"round": rounds[1]["id"]}, callback=True))
    late = host.post(
        f"/j/{workshop['code']}/photos", data=form(jpeg(colour=(3, 3, 3)), table=1, round=first_round), headers=JSON
    )
    assert late.get_json()["photo"]["round"] == first_round
    now = host.post(f"/j/{workshop['code']}/photos", data=form(jpeg(colour=(4, 4, 4)), table=1), headers=JSON)
    assert now.get_json()["photo"]["round"] == rounds[1]["id"]


def test_before_any_round_the_photo_waits(client, workshop, facilitator, host):
    refused = host.post(f"/j/{workshop['code']}/photos", data=form(jpeg(), table=1), headers=JSON)
    assert refused.status_code == 400 and refused.get_json()["error"]["code"] == "photo_no_round"


def test_the_facilitator_sends_for_any_table_and_removes_a_photo(
    app, client, workshop, first_round, board, facilitator
):
    client.set_cookie("lang", "en")
    assert client.post(f"/w/{workshop['code']}/photos", data=form(jpeg(), table=2)).status_code == 403
    client.get(f"/w/{workshop['code']}/facilitate?key={workshop['facilitator_key']}")
    sent = client.post(f"/w/{workshop['code']}/photos", data=form(jpeg(), table=2))
    assert sent.status_code == 303 and sent.headers["Location"].endswith("/facilitate#photos")
    [photo] = [e["photo"] for e in events(board, "photo:added")]
    assert photo["table"] == 2
    unknown = client.post(f"/w/{workshop['code']}/photos", data=form(jpeg(colour=(5, 5, 5)), table=42))
    assert unknown.status_code == 400 and "There is no table 42" in unknown.get_data(as_text=True)

    facilitator.get_received()
    stranger = app.test_client()
    assert stranger.post(f"/w/{workshop['code']}/photos/{photo['id']}/delete").status_code == 403
    removed = client.post(f"/w/{workshop['code']}/photos/{photo['id']}/delete")
    assert removed.status_code == 303
    assert events(board, "photo:removed") == [{"photo": photo["id"], "block": photo["block"], "table": 2}]
    assert client.get(photo["url"]).status_code == 404 and listing(client, workshop) == []
    assert client.post(f"/w/{workshop['code']}/photos/{photo['id']}/delete", headers=JSON).status_code == 404


def test_a_phone_with_javascript_names_itself_with_its_token(app, client, workshop, first_round, connect):
    phone = connect(join={"code": workshop["code"], "role": "participant", "table": 3})
    ok(phone.emit("table:host", {"table": 3}, callback=True))
    script = app.test_client()  # its cookie knows nobody: the page's script sends the phone's token
    sent = script.post(
        f"/j/{workshop['code']}/photos", data=form(jpeg(), table=3, participant=phone.ack["participant"]), headers=JSON
    )
    assert sent.status_code == 201 and sent.get_json()["photo"]["table"] == 3
    [event] = [e for e in phone.get_received() if e["name"] == "photo:added"]  # the table's room hears it
    assert event["args"][0]["photo"]["table"] == 3


def test_two_photos_cannot_take_the_same_number(app, workshop, first_round, host):
    host.post(f"/j/{workshop['code']}/photos", data=form(jpeg(), table=1))
    with app.app_context():
        stored = db.session.execute(select(Photo)).scalar_one()
        twin = Photo(
            id="00000000-0000-4000-8000-000000000001",
            workshop_id=stored.workshop_id,
            block_id=stored.block_id,
            round_id=stored.round_id,
            table_number=2,
            place="round:x:table:2",
            number=stored.number,
            slot=1,
            created_at=clock.now(),
            width=1,
            height=1,
            sha256="0" * 64,
            jpeg=b"",
            thumbnail=b"",
        )
        db.session.add(twin)
        with pytest.raises(IntegrityError):
            db.session.commit()
        db.session.rollback()


def test_the_state_lists_the_photos_for_the_board_and_the_console(app, workshop, first_round, host, board, facilitator):
    from workshop.photos.writes import photos_json

    host.post(f"/j/{workshop['code']}/photos", data=form(jpeg(), table=1))
    with app.app_context():
        [photo] = photos_json(find_workshop(workshop["code"]))
    assert photo["table"] == 1 and photo["round"] == first_round and photo["url"].endswith(".jpg")
    for sio in (board, facilitator):
        assert ok(sio.emit("state:get", {}, callback=True))["state"]["photos"] == [photo]


def test_a_convener_photographs_the_flipchart_of_the_session(app, client, create_workshop, connect):
    forum = create_workshop(PROJECT_ROOT / "sessions" / "forum-ouvert-2009.toml")
    code = forum["code"]
    board = connect({"code": code, "role": "board"})
    convener = app.test_client()
    convener.set_cookie("lang", "en")
    topic = "6f1c1d5e-0000-4000-8000-00000000c0de"
    assert convener.post(f"/j/{code}/topics", data={"id": topic, "title": "Financement"}).status_code == 303
    sent = convener.post(f"/j/{code}/photos", data=form(jpeg(), topic=topic), headers=JSON)
    assert sent.status_code == 201
    photo = sent.get_json()["photo"]
    assert (photo["topic"], photo["topic_title"], photo["table"], photo["round"]) == (topic, "Financement", None, None)
    assert [e["photo"]["id"] for e in events(board, "photo:added")] == [photo["id"]]
    # The plain form goes back to the convener's own form, not the table host's.
    plain = convener.post(f"/j/{code}/photos", data=form(jpeg(colour=(200, 30, 30)), topic=topic))
    assert plain.status_code == 303 and plain.headers["Location"].endswith(f"/j/{code}#os-photos")
    other = app.test_client()
    assert other.post(f"/j/{code}/join", data={"name": "Awa"}).status_code == 303
    refused = other.post(f"/j/{code}/photos", data=form(jpeg(colour=(9, 9, 9)), topic=topic), headers=JSON)
    assert refused.status_code == 403 and refused.get_json()["error"]["code"] == "not_convener"
    client.set_cookie("lang", "en")
    board_page = client.get(f"/w/{code}/board").get_data(as_text=True)
    assert 'alt="Photo of the flipchart of the session “Financement”"' in board_page

    # In the results: under the session, in its proceedings.
    from workshop.results.export import render
    from workshop.results.read import build_synthesis

    with app.test_request_context("/"):
        found = find_workshop(code)
        markdown = render(build_synthesis(found, clock.now()), "md").decode()
    caption = "![Photo du tableau de la session «\u00a0Financement\u00a0»]"
    assert markdown.index("Session – Financement") < markdown.index(caption)


# --- the results


@pytest.fixture
def results(app, workshop):
    """results(extension) -> the document, with the workshop's photos, as the downloads make it."""
    from workshop.results.export import render
    from workshop.results.read import build_synthesis

    def make(extension: str) -> bytes:
        with app.test_request_context("/"):
            found = find_workshop(workshop["code"])
            return render(build_synthesis(found, clock.now()), extension)

    return make


def test_the_results_carry_the_photos_under_their_table_and_round(
    app, client, workshop, first_round, host, results, connect
):
    import docx

    # Table 2 wrote a note and the facilitator photographed its tablecloth; table 1 only a photo.
    writer = connect({"code": workshop["code"], "role": "participant", "table": 2})
    ok(
        writer.emit(
            "note:post", {"id": "6f1c1d5e-0000-4000-8000-0000000000a2", "text": "Une idée de la table 2"}, callback=True
        )
    )
    console = app.test_client()
    console.get(f"/w/{workshop['code']}/facilitate?key={workshop['facilitator_key']}")
    assert (
        console.post(f"/w/{workshop['code']}/photos", data=form(jpeg(600, 900, (7, 7, 7)), table=2)).status_code == 303
    )
    document = docx.Document(io.BytesIO(results("docx")))
    texts = [p.text for p in document.paragraphs]
    second = texts.index("Photo de la nappe de la table 2, ronde 1")
    assert texts.index("Une idée de la table 2") < second
    assert [t for t in texts[:second] if t.startswith("Table ")][-1].startswith("Table 2 – ")
    # The pictures: the charts' first (their title as alternative text), then the photos.
    portrait = next(s for s in document.inline_shapes if s._inline.docPr.get("descr", "").startswith("Photo"))
    assert portrait.height <= docx.shared.Cm(13.01) and portrait.width < portrait.height
    console.post(f"/w/{workshop['code']}/photos/{listing(client, workshop)[0]['id']}/delete")

    host.post(f"/j/{workshop['code']}/photos", data=form(jpeg(2000, 1000), table=1))
    [photo] = listing(client, workshop)
    caption = "Photo de la nappe de la table 1, ronde 1"

    document = docx.Document(io.BytesIO(results("docx")))
    [shape] = [s for s in document.inline_shapes if s._inline.docPr.get("descr", "").startswith("Photo")]
    section = document.sections[0]
    assert shape.width <= section.page_width - section.left_margin - section.right_margin
    assert shape._inline.docPr.get("descr") == caption
    texts = [p.text for p in document.paragraphs]
    assert caption in texts
    # Under the round's heading and table 1's, before the next round's.
    at = texts.index(caption)
    headings = [(i, p.text) for i, p in enumerate(document.paragraphs) if p.style.name.startswith("Heading") and i < at]
    assert headings[-1][1].startswith("Table 1")
    assert any(t.startswith("Ronde 1") for _, t in headings[-3:])

    html = results("html").decode()
    img = re.search(r'<img src="data:image/jpeg;base64,([^"]+)" alt="([^"]+)"', html)
    assert img and img.group(2) == caption
    assert html.index("Table 1") < html.index(img.group(0))

    markdown = results("md").decode()
    assert f"![{caption}](<http://localhost{photo['url']}>)" in markdown

    data = json.loads(results("json"))
    [listed] = data["photos"]
    assert listed["id"] == photo["id"] and listed["url"] == f"http://localhost{photo['url']}"
    assert (listed["table"], listed["round"], listed["block"]) == (1, first_round, photo["block"])

    rows = results("csv").decode("utf-8-sig").splitlines()  # a French workshop: semicolons, French headers
    assert rows[0].endswith(";adresse")
    photo_rows = [r for r in rows if f";{photo['id']};photo;" in r]
    assert len(photo_rows) == 1 and caption in photo_rows[0] and photo_rows[0].endswith(photo["url"])


def test_a_phone_sending_photo_after_photo_is_slowed_down(client, workshop, first_round, host):
    statuses = [
        host.post(f"/j/{workshop['code']}/photos", data=form(None, table=1), headers=JSON).status_code
        for _ in range(21)
    ]
    assert statuses[:20] == [400] * 20  # each refused for its own reason (no photo)
    assert statuses[20] == 429
    slowed = host.post(f"/j/{workshop['code']}/photos", data=form(jpeg(), table=1), headers=JSON)
    assert slowed.status_code == 429
    assert slowed.get_json()["error"]["message"].startswith("Too many messages in a short time")
    assert listing(client, workshop) == []


# --- the strips: one partial for the pages and GET /w/CODE/photos/fragment


def bare(markup: str) -> str:
    """Without what is made per request (CSRF tokens)."""
    return re.sub(r'(name="csrf_token" value)="[^"]*"', r"\1", markup)


def part(html: str, name: str) -> str:
    """The element of id ``name`` up to its first closing tag of the same kind."""
    tag = re.search(rf'<(\w+) id="{name}"', html).group(1)
    return html[html.index(f'<{tag} id="{name}"') :].split(f"</{tag}>", 1)[0]


def test_the_photo_strips_come_from_the_partial_the_pages_include(app, client, workshop, first_round, host):
    code = workshop["code"]
    host.post(f"/j/{code}/photos", data=form(jpeg(), table=1))
    [photo] = listing(client, workshop)
    client.set_cookie("lang", "en")

    # The board's: public within the code, like the board; no remove button, no dialog.
    response = client.get(f"/w/{code}/photos/fragment")
    assert response.status_code == 200 and response.headers["Cache-Control"] == "no-store"
    board = response.get_data(as_text=True)
    strip = part(board, "photos-groups")
    assert f'data-photo="{photo["id"]}"' in strip and f'href="{photo["url"]}"' in strip
    assert 'alt="Photo of the tablecloth of table 1, round 1"' in strip
    assert 'data-role="board"' in board and "data-remove" not in board and "photo-viewer" not in board
    assert "<script" not in board and "<link" not in board
    assert part(board, "photos-groups") in client.get(f"/w/{code}/board").get_data(as_text=True)

    # The console's: the facilitator's only, with the remove buttons and the upload form's choices.
    assert client.get(f"/w/{code}/photos/fragment?view=console").status_code == 403
    assert app.test_client().get(f"/w/{code}/photos/fragment?view=console").status_code == 403
    client.get(f"/w/{code}/facilitate?key={workshop['facilitator_key']}")
    console = bare(client.get(f"/w/{code}/photos/fragment?view=console").get_data(as_text=True))
    assert 'data-role="facilitator"' in console
    assert f'action="/w/{code}/photos/{photo["id"]}/delete"' in part(console, "photos-groups")
    assert 'data-key="photo-table"' in part(console, "photo-table-field")
    assert "Ronde 1" in part(console, "photo-round-field")
    page = bare(client.get(f"/w/{code}/facilitate").get_data(as_text=True))
    for name in ("photos-groups", "photo-table-field", "photo-round-field"):
        assert part(console, name) in page, name
    assert client.get("/w/NOPE99/photos/fragment").status_code == 404


def test_the_photo_strips_escape_a_sessions_title(app, client, create_workshop):
    forum = create_workshop(PROJECT_ROOT / "sessions" / "forum-ouvert-2009.toml")
    code = forum["code"]
    hostile = '<img src=x onerror="alert(1)"> & co'
    convener = app.test_client()
    topic = "6f1c1d5e-0000-4000-8000-00000000bad0"
    assert convener.post(f"/j/{code}/topics", data={"id": topic, "title": hostile}).status_code == 303
    assert convener.post(f"/j/{code}/photos", data=form(jpeg(), topic=topic), headers=JSON).status_code == 201
    client.set_cookie("lang", "en")
    strip = part(client.get(f"/w/{code}/photos/fragment").get_data(as_text=True), "photos-groups")
    assert hostile not in strip and "<img src=x" not in strip
    escaped = "&lt;img src=x onerror=&#34;alert(1)&#34;&gt; &amp; co"
    assert f'aria-label="{escaped}"' in strip and f">{escaped}</h3>" in strip
    assert f'alt="Photo of the flipchart of the session “{escaped}”"' in strip


def test_the_phones_photo_item_is_one_macro_for_the_list_and_its_template(client, workshop, first_round, host):
    """The host's list and the page's <template id="tpl-photo-item"> (photos.js fills a copy with
    the photo just sent) are the same markup."""
    code = workshop["code"]
    host.post(f"/j/{code}/photos", data=form(jpeg(), table=1))
    [photo] = listing(client, workshop)
    page = host.get(f"/j/{code}").get_data(as_text=True)
    template = page.split('<template id="tpl-photo-item">', 1)[1].split("</template>", 1)[0]
    assert 'data-fill-attr="data-photo:id"' in template and 'data-fill-attr="href:url"' in template
    assert 'data-fill-attr="src:thumb alt:alt width:width"' in template and "src=" not in template
    item = part(page, "photo-list").split(f'data-photo="{photo["id"]}"', 1)[1].split("</li>", 1)[0]
    assert f'href="{photo["url"]}"' in item and f'src="{photo["thumb"]}"' in item and 'width="160"' in item

    def shape(markup: str) -> list[str]:  # the elements and their classes
        return re.findall(r'<(\w+)(?: class="([^"]*)")?', markup)

    assert shape(template) == shape('<li class="photo-strip__item"' + item)
