"""The home page, the organiser key, creating workshops (gallery, blank, file, copy, POST /workshops)
and retiring one."""

from __future__ import annotations

import io
import json
import re

import pytest
from click.testing import CliRunner

from workshop import clock
from workshop.agenda.organiser import ensure_organiser_key
from workshop.config import PROJECT_ROOT
from workshop.extensions import db

SESSIONS = PROJECT_ROOT / "sessions"
GALLERY = sorted(p.stem for p in SESSIONS.glob("*.toml"))
BROKEN = b'[workshop]\ntitle = ""\norganiser = "Moi"\nlanguage = "fr"\ndates = [2026-12-08]\n[[blocks]]\nid = "b"\ntitle = "Bloc"\nday = 2026-12-09\npart = "am"\nmethod = "world-cafe"\n[[blocks.rounds]]\nquestion = "Q?"\nminutes = 0\n'


@pytest.fixture
def organiser_key(app):
    with app.app_context():
        key = ensure_organiser_key(clock.now())
        db.session.commit()
    return key


@pytest.fixture
def organiser(client, organiser_key):
    """A browser that opened the organiser's address once."""
    response = client.get(f"/?key={organiser_key}")
    assert response.status_code == 302 and response.location == "/"
    return client


def test_the_home_page_offers_a_code_box_and_lists_nothing_without_the_key(client, create_workshop, organiser_key):
    workshop = create_workshop()
    html = client.get("/", headers={"Accept-Language": "fr"}).get_data(as_text=True)
    assert 'name="code"' in html and "Rejoindre un atelier" in html
    assert workshop["code"] not in html and "Nouvel atelier" not in html
    assert client.get("/new").status_code == 403
    assert client.post("/new", data={"source": "blank"}).status_code == 403


def test_a_typed_code_leads_to_the_phone_page(client, create_workshop):
    code = create_workshop()["code"]
    response = client.get(f"/go?code={code.lower()}")
    assert response.status_code == 303 and response.location == f"/j/{code}"
    unknown = client.get("/go?code=ZZZZZZ", headers={"Accept-Language": "fr"})
    assert (
        unknown.status_code == 404 and "Il n’y a aucun atelier" in unknown.get_data(as_text=True)
    ) or unknown.status_code == 404


def test_the_organiser_sees_every_workshop_with_its_links(organiser, create_workshop):
    first, second = create_workshop(), create_workshop(SESSIONS / "forum-ouvert-2009.toml")
    html = organiser.get("/").get_data(as_text=True)
    for code in (first["code"], second["code"]):
        assert f'data-code="{code}"' in html
        for path in ("design", "facilitate", "board", "cards", "results", "retire"):
            assert f"/w/{code}/{path}" in html


def test_a_wrong_organiser_key_is_refused(client, organiser_key):
    assert client.get("/?key=nope").status_code == 403
    response = client.post("/organiser", data={"key": "nope"})
    assert response.status_code == 403
    assert client.post("/organiser", data={"key": organiser_key}).status_code == 303
    assert client.get("/new").status_code == 200


def test_the_organiser_key_opens_every_workshops_console(organiser, create_workshop):
    code = create_workshop()["code"]
    assert organiser.get(f"/w/{code}/facilitate").status_code == 200
    assert organiser.get(f"/w/{code}/design").status_code == 200


def created_code(response) -> str:
    assert response.status_code == 303, response.get_data(as_text=True)[:500]
    return re.match(r"/w/(\w+)/design$", response.location).group(1)


@pytest.mark.parametrize("name", GALLERY)
def test_every_gallery_template_makes_a_workshop_and_lands_on_the_designer(organiser, name):
    code = created_code(organiser.post("/new", data={"source": f"gallery:{name}"}))
    first = organiser.get(f"/w/{code}/design").get_data(as_text=True)
    assert "Gardez ces liens" in first or "Keep these links" in first
    assert re.search(r"<dt>[^<]*</dt><dd><code>[A-Za-z0-9_-]{20,}</code></dd>", first)
    again = organiser.get(f"/w/{code}/design").get_data(as_text=True)
    assert "Gardez ces liens" not in again and "Keep these links" not in again  # shown once


def test_the_gallery_lists_what_sessions_holds_with_each_sentence(organiser):
    html = organiser.get("/new", headers={"Accept-Language": "fr"}).get_data(as_text=True)
    for name in GALLERY:
        assert f'data-template="{name}"' in html
    assert "Enquête appréciative" in html and "trois rondes de conversation" in html


def test_a_blank_agenda_and_a_copy(app, organiser, create_workshop):
    blank = created_code(organiser.post("/new", data={"source": "blank"}))
    source = create_workshop(SESSIONS / "forum-ouvert-2009.toml")["code"]
    copy = created_code(organiser.post("/new", data={"source": f"copy:{source}"}))
    with app.app_context():
        from workshop.agenda.design import editable_data
        from workshop.agenda.workshops import find_workshop
        from workshop.domain.design import without_ids

        assert without_ids(editable_data(find_workshop(copy))) == without_ids(editable_data(find_workshop(source)))
        assert len(find_workshop(blank).blocks) == 1
    assert organiser.post("/new", data={"source": "copy:NOPE99"}).status_code == 400
    assert organiser.post("/new", data={"source": "gallery:../../etc/passwd"}).status_code == 400
    assert organiser.post("/new", data={"source": "whatever"}).status_code == 400


def test_an_uploaded_file_makes_a_workshop_or_lists_every_problem(organiser):
    good = (SESSIONS / "cafe-conversation-2010.toml").read_bytes()
    created_code(
        organiser.post(
            "/new",
            data={"source": "upload", "file": (io.BytesIO(good), "mon-cafe.toml")},
            content_type="multipart/form-data",
        )
    )
    bad = organiser.post(
        "/new",
        data={"source": "upload", "file": (io.BytesIO(BROKEN), "brouillon.toml")},
        content_type="multipart/form-data",
        headers={"Accept-Language": "fr"},
    )
    assert bad.status_code == 400
    html = bad.get_data(as_text=True)
    assert "workshop.title" in html and "blocks[0].day" in html and "blocks[0].rounds[0].minutes" in html
    assert "ne doit pas être vide" in html


# --- POST /workshops


def test_post_workshops_with_the_bearer_key(client, organiser_key):
    body = (SESSIONS / "forum-ouvert-2009.toml").read_bytes()
    response = client.post(
        "/workshops",
        data=body,
        headers={"Authorization": f"Bearer {organiser_key}", "Content-Type": "application/toml"},
    )
    assert response.status_code == 201
    made = response.get_json()
    assert set(made) >= {"code", "facilitator_key", "secretariat_key", "urls"}
    assert set(made["urls"]) >= {"join", "board", "facilitate", "results"}
    assert made["urls"]["join"].endswith(f"/j/{made['code']}")
    assert client.get(f"/w/{made['code']}/agenda.toml?key={made['facilitator_key']}").status_code == 200


def test_post_workshops_refuses_without_the_key_and_lists_every_problem(client, organiser_key, create_workshop):
    body = (SESSIONS / "forum-ouvert-2009.toml").read_bytes()
    assert client.post("/workshops", data=body, content_type="application/toml").status_code == 401
    assert (
        client.post(
            "/workshops", data=body, headers={"Authorization": "Bearer wrong", "Content-Type": "application/toml"}
        ).status_code
        == 403
    )
    facilitator = create_workshop()["facilitator_key"]  # a workshop's key is not the server's
    assert (
        client.post(
            "/workshops",
            data=body,
            headers={"Authorization": f"Bearer {facilitator}", "Content-Type": "application/toml"},
        ).status_code
        == 403
    )
    bad = client.post(
        "/workshops",
        data=BROKEN,
        headers={"Authorization": f"Bearer {organiser_key}", "Content-Type": "application/toml"},
    )
    assert bad.status_code == 400
    problems = bad.get_json()["problems"]
    assert [p["place"] for p in problems] == [
        "workshop.title",
        "blocks[0].day",
        "blocks[0].rounds[0].minutes",
        "blocks[0].tables",
    ]
    assert all(p["message"] for p in problems)
    syntax = client.post(
        "/workshops",
        data=b"[workshop\n",
        headers={"Authorization": f"Bearer {organiser_key}", "Content-Type": "application/toml"},
    )
    assert syntax.status_code == 400 and syntax.get_json()["problems"][0]["place"].startswith("line 1")
    empty = client.post(
        "/workshops", data=b"", headers={"Authorization": f"Bearer {organiser_key}", "Content-Type": "application/toml"}
    )
    assert empty.status_code == 400


def test_post_workshops_as_a_form_upload_with_the_key(client, organiser_key):
    body = (SESSIONS / "cafe-3-rondes-recolte.toml").read_bytes()
    response = client.post(
        "/workshops",
        data={"file": (io.BytesIO(body), "cafe.toml")},
        content_type="multipart/form-data",
        headers={"Authorization": f"Bearer {organiser_key}"},
    )
    assert response.status_code == 201 and response.get_json()["title"] == "World Café, 3 rondes, récolte"


def test_a_browser_form_to_post_workshops_needs_its_csrf_token(app, organiser, organiser_key):
    app.config["WTF_CSRF_ENABLED"] = True
    try:
        body = (SESSIONS / "cafe-3-rondes-recolte.toml").read_bytes()
        refused = organiser.post(
            "/workshops", data={"file": (io.BytesIO(body), "cafe.toml")}, content_type="multipart/form-data"
        )
        assert refused.status_code == 400
        refused_new = organiser.post("/new", data={"source": "blank"})
        assert refused_new.status_code == 400
    finally:
        app.config["WTF_CSRF_ENABLED"] = False


# --- the key's life


def test_a_new_organiser_key_replaces_the_old_one_at_once(app, client, organiser_key, tmp_path, monkeypatch):
    from workshop.cli import main

    monkeypatch.setenv("WORKSHOP_DATABASE_URL", app.config["SQLALCHEMY_DATABASE_URI"])
    monkeypatch.setenv("WORKSHOP_SECRET_KEY", "test-secret")
    result = CliRunner().invoke(main, ["organiser-key"], catch_exceptions=False)
    assert result.exit_code == 0
    new_key = re.search(r"^  ([A-Za-z0-9_-]{30,})$", result.output, re.M).group(1)
    assert new_key != organiser_key
    assert client.get(f"/?key={organiser_key}").status_code == 403  # the running app refuses the old one
    assert client.get(f"/?key={new_key}").status_code == 302
    with app.app_context():
        from workshop.models import ServerKey

        stored = db.session.get(ServerKey, "organiser").key_hash
    assert new_key not in stored and len(stored) == 64  # only a hash is kept


def test_the_first_start_makes_one_key_and_says_it_once(app):
    with app.app_context():
        first = ensure_organiser_key(clock.now())
        db.session.commit()
        second = ensure_organiser_key(clock.now())
    assert first and second is None


# --- retiring


def test_retiring_asks_for_the_code_then_deletes_everything(app, organiser, create_workshop, connect):
    keys = create_workshop()
    code = keys["code"]
    phone = connect({"code": code, "role": "participant", "table": 1, "name": "Awa"})
    assert phone.ack["ok"]
    page = organiser.get(f"/w/{code}/retire").get_data(as_text=True)
    assert f"/w/{code}/results.docx" in page and f"/w/{code}/results.json" in page
    assert organiser.get(f"/w/{code}/results.json").status_code == 200  # the organiser may export first
    assert organiser.post(f"/w/{code}/retire", data={"confirm": "WRONG"}).status_code == 400
    assert organiser.get(f"/w/{code}/board").status_code == 200
    assert organiser.post(f"/w/{code}/retire", data={"confirm": code.lower()}).status_code == 303
    assert organiser.get(f"/w/{code}/board").status_code == 404
    with app.app_context():
        from workshop.models import Participant

        assert db.session.query(Participant).count() == 0


def test_retiring_needs_the_organiser_and_no_running_round(client, organiser_key, create_workshop, connect):
    keys = create_workshop()
    code = keys["code"]
    assert client.get(f"/w/{code}/retire").status_code == 403
    assert client.post(f"/w/{code}/retire", data={"confirm": code}).status_code == 403
    facilitator = connect({"code": code, "role": "facilitator", "key": keys["facilitator_key"]})
    facilitator.emit("round:start", {"round": facilitator.ack["state"]["blocks"][0]["rounds"][0]["id"]}, callback=True)
    client.get(f"/?key={organiser_key}")
    assert client.post(f"/w/{code}/retire", data={"confirm": code}).status_code == 409
    assert client.get(f"/w/{code}/board").status_code == 200


def test_organiser_pages_escape_titles(organiser, create_workshop, app):
    code = create_workshop()["code"]
    with app.app_context():
        from workshop.agenda.workshops import find_workshop

        find_workshop(code).title = "<img src=x onerror=alert(1)>"
        db.session.commit()
    html = organiser.get("/").get_data(as_text=True)
    assert "<img src=x" not in html and "&lt;img src=x" in html
    json.dumps(html)  # the page renders
