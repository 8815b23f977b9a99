"""The `workshop` command, as CONTRACT.md sets it."""

from __future__ import annotations

import io
import json
import subprocess
import sys

import pytest
from click.testing import CliRunner
from PIL import Image

from workshop.cli import main


@pytest.fixture
def env(tmp_path, monkeypatch):
    monkeypatch.setenv("WORKSHOP_DATABASE_URL", f"sqlite:///{tmp_path / 'cli.sqlite3'}")
    monkeypatch.setenv("WORKSHOP_SECRET_KEY", "cli-test")
    monkeypatch.delenv("WORKSHOP_PUBLIC_URL", raising=False)
    monkeypatch.delenv("HOST", raising=False)
    monkeypatch.delenv("PORT", raising=False)
    # The laptop's address on the venue's network, as start-up would find it.
    monkeypatch.setattr("workshop.address.lan_address", lambda: "192.168.1.20")
    return tmp_path


def run(*args):
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def test_templates_lists_the_seed_workshops_and_the_gallery(env):
    result = run("templates")
    assert result.exit_code == 0
    assert result.output.splitlines() == [
        "cafe-3-rondes-recolte",
        "cafe-conversation-2010",
        "demi-journee-cafe-forum",
        "enquete-appreciative-4d",
        "forum-ouvert-2009",
        "forum-ouvert-une-journee",
    ]


@pytest.mark.parametrize(
    "name", ["cafe-conversation-2010", "forum-ouvert-2009.toml", "sessions/forum-ouvert-2009.toml"]
)
def test_check_accepts_the_seed_templates(env, name):
    result = run("check", name)
    assert result.exit_code == 0, result.output
    assert "OK" in result.output


def test_check_explains_every_error_with_file_and_place(env):
    broken = env / "broken.toml"
    broken.write_text(
        '[workshop]\ntitle = "Atelier"\norganiser = "Moi"\nlanguage = "fr"\ndates = [2010-05-04]\n'
        '[[blocks]]\nid = "b"\ntitle = "Bloc"\nday = 2010-05-05\npart = "am"\nmethod = "cafe"\n'
        '[[blocks.rounds]]\nquestion = "Q?"\nminutes = 0\n'
    )
    result = CliRunner().invoke(main, ["check", str(broken)])
    assert result.exit_code == 1
    lines = [line for line in result.stderr.splitlines() if line]
    assert len(lines) >= 3
    assert all(line.startswith(f"{broken}: ") for line in lines)
    places = " ".join(lines)
    assert "blocks[0].day" in places and "blocks[0].method" in places
    assert "blocks[0].rounds[0].minutes" in places


def test_check_of_an_unknown_template_fails_clearly(env):
    result = CliRunner().invoke(main, ["check", "nope"])
    assert result.exit_code != 0
    assert "cafe-conversation-2010" in result.output  # says which templates exist


def test_new_json_prints_code_keys_and_urls_that_work(env, monkeypatch):
    result = run("new", "cafe-conversation-2010", "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert set(data) >= {"code", "facilitator_key", "secretariat_key", "urls"}
    code = data["code"]
    # No server running: the address `make run` serves (every interface, so the LAN address).
    assert data["urls"] == {
        "join": f"http://192.168.1.20:5000/j/{code}",
        "board": f"http://192.168.1.20:5000/w/{code}/board",
        "facilitate": f"http://192.168.1.20:5000/w/{code}/facilitate?key={data['facilitator_key']}",
        "results": f"http://192.168.1.20:5000/w/{code}/results.html",
        "cards": f"http://192.168.1.20:5000/w/{code}/cards",
    }
    assert data["facilitator_key"] != data["secretariat_key"]

    from workshop import create_app
    from workshop.extensions import socketio

    app = create_app({"TESTING": True})
    sio = socketio.test_client(app)
    ack = sio.emit("join", {"code": code, "role": "facilitator", "key": data["facilitator_key"]}, callback=True)
    assert ack["ok"] is True
    assert ack["state"]["workshop"]["title"] == "Journées de réflexion sur la mise en œuvre de l’entente"
    wrong = sio.emit("join", {"code": code, "role": "facilitator", "key": data["secretariat_key"]}, callback=True)
    assert wrong["ok"] is False and wrong["error"]["code"] == "wrong_key"
    sio.disconnect()


def test_new_follows_the_public_url(env, monkeypatch):
    monkeypatch.setenv("WORKSHOP_PUBLIC_URL", "https://atelier.example.org/")
    data = json.loads(run("new", "forum-ouvert-2009", "--json").stdout)
    assert data["urls"]["join"] == f"https://atelier.example.org/j/{data['code']}"


def test_new_follows_host_and_port(env, monkeypatch):
    monkeypatch.setenv("HOST", "127.0.0.1")
    monkeypatch.setenv("PORT", "5800")
    data = json.loads(run("new", "forum-ouvert-2009", "--json").stdout)
    assert data["urls"]["join"] == f"http://127.0.0.1:5800/j/{data['code']}"


def test_new_prints_the_address_of_the_server_running_on_the_same_database(env, monkeypatch):
    """`workshop new` printed port 5000 while the server ran on 5800: the server's record wins."""
    import os

    from workshop import address, create_app

    app = create_app({"TESTING": True})
    database = app.config["SQLALCHEMY_DATABASE_URI"]
    address.record_server(app.instance_path, database, "http://192.168.1.20:5800", pid=os.getpid())
    try:
        data = json.loads(run("new", "forum-ouvert-2009", "--json").stdout)
        assert data["urls"]["board"] == f"http://192.168.1.20:5800/w/{data['code']}/board"
        # Another database's server is not this one.
        assert address.running_server_url(app.instance_path, database + "-other") is None
    finally:
        address._record_path(app.instance_path, database).unlink()
    # A server that has stopped (its process is gone) is not trusted either, and its record goes
    # when the next server starts.
    stopped = address.record_server(app.instance_path, database, "http://192.168.1.20:5800", pid=2**22 + 12345)
    data = json.loads(run("new", "forum-ouvert-2009", "--json").stdout)
    assert data["urls"]["join"].startswith("http://192.168.1.20:5000/")
    address.record_server(app.instance_path, database + "-next", "http://192.168.1.20:5900", pid=os.getpid())
    assert not stopped.exists()
    address._record_path(app.instance_path, database + "-next").unlink()


def test_new_twice_gives_two_workshops(env):
    first = json.loads(run("new", "forum-ouvert-2009", "--json").stdout)
    second = json.loads(run("new", "forum-ouvert-2009", "--json").stdout)
    assert first["code"] != second["code"]


def test_new_with_a_broken_template_fails_and_creates_nothing(env):
    broken = env / "broken.toml"
    broken.write_text("[workshop]\ntitle = 3\n")
    result = CliRunner().invoke(main, ["new", str(broken), "--json"])
    assert result.exit_code != 0
    assert "workshop.title" in result.output
    assert not (env / "cli.sqlite3").exists()


def test_demo_workshops_keep_their_links_across_restarts(env):
    from workshop import create_app
    from workshop.cli import ensure_demo_workshops

    app = create_app({"TESTING": True})
    with app.app_context():
        first = ensure_demo_workshops(app, "http://127.0.0.1:5000")
        again = ensure_demo_workshops(app, "http://127.0.0.1:5000")
    assert [w["code"] for w in first] == ["CC2010", "FO2009"]
    assert [w["urls"]["facilitate"] for w in first] == [w["urls"]["facilitate"] for w in again]


def test_a_facilitators_own_files_in_sessions_never_stop_the_demo(env, monkeypatch):
    """bibliotheque.toml once gave the code "B" and stopped start-up; a draft with a mistake did too."""
    import shutil

    from workshop import create_app
    from workshop.cli import ensure_demo_workshops
    from workshop.config import PROJECT_ROOT

    sessions = env / "sessions"
    sessions.mkdir()
    shutil.copy(PROJECT_ROOT / "sessions" / "cafe-conversation-2010.toml", sessions)
    own = (PROJECT_ROOT / "sessions" / "forum-ouvert-2009.toml").read_text(encoding="utf-8")
    (sessions / "bibliotheque.toml").write_text(own.replace('demo = "FO2009"\n', ""), encoding="utf-8")
    (sessions / "brouillon.toml").write_text('[workshop]\ntitle = "Brouillon"\n', encoding="utf-8")
    (sessions / "x.toml").write_text(own.replace('demo = "FO2009"', 'demo = "CC2010"'), encoding="utf-8")
    monkeypatch.setenv("WORKSHOP_SESSIONS_DIR", str(sessions))

    app = create_app({"TESTING": True})
    reported: list[str] = []
    with app.app_context():
        made = ensure_demo_workshops(app, "http://192.168.1.20:5000", report=reported.append)
    assert [w["code"] for w in made] == ["CC2010"]  # only the shipped template
    assert len(reported) == 2, reported
    assert reported[0].startswith("sessions/brouillon.toml: skipped: workshop.organiser: required key is missing")
    assert (
        reported[1] == "sessions/x.toml: skipped: its demo code CC2010 is already that of cafe-conversation-2010.toml"
    )
    assert all("\n" not in line for line in reported)


def test_serve_demo_starts_with_a_bad_file_in_sessions(env, monkeypatch, tmp_path):
    """The whole start-up path of `make run`, in-process up to the moment it would listen."""
    import shutil

    from workshop import serving
    from workshop.config import PROJECT_ROOT

    sessions = env / "sessions"
    sessions.mkdir()
    for name in ("cafe-conversation-2010.toml", "forum-ouvert-2009.toml"):
        shutil.copy(PROJECT_ROOT / "sessions" / name, sessions)
    (sessions / "bibliotheque.toml").write_text("[workshop\ntitle = ", encoding="utf-8")
    monkeypatch.setenv("WORKSHOP_SESSIONS_DIR", str(sessions))
    monkeypatch.setenv("WORKSHOP_ASYNC_MODE", "threading")
    loaded = {}

    def fake_run(mode, host, port, load_app, announce):
        loaded["app"] = load_app()
        loaded["where"] = (host, port)

    monkeypatch.setattr(serving, "run", fake_run)
    result = CliRunner().invoke(main, ["serve", "--demo", "--port", "5800"], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert loaded["where"] == ("0.0.0.0", 5800)  # the venue's network by default
    assert "sessions/bibliotheque.toml: skipped: line 1" in result.stderr
    assert "http://192.168.1.20:5800/w/CC2010/board" in result.stdout
    assert "http://192.168.1.20:5800/w/FO2009/board" in result.stdout
    assert loaded["app"].config["WORKSHOP_SERVER_URL"] == "http://192.168.1.20:5800"
    from workshop import address

    app = loaded["app"]
    assert (
        address.running_server_url(app.instance_path, app.config["SQLALCHEMY_DATABASE_URI"])
        == "http://192.168.1.20:5800"
    )
    address._record_path(app.instance_path, app.config["SQLALCHEMY_DATABASE_URI"]).unlink()


def test_python_dash_m_workshop_works(env):
    result = subprocess.run([sys.executable, "-m", "workshop", "templates"], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert "forum-ouvert-2009" in result.stdout


def _make_workshop_with_notes(env) -> dict:
    data = json.loads(run("new", "cafe-conversation-2010", "--json").stdout)
    from workshop import create_app
    from workshop.extensions import socketio

    app = create_app({"TESTING": True})
    facilitator = socketio.test_client(app)
    state = facilitator.emit(
        "join", {"code": data["code"], "role": "facilitator", "key": data["facilitator_key"]}, callback=True
    )["state"]
    facilitator.emit("round:start", {"round": state["blocks"][0]["rounds"][0]["id"]}, callback=True)
    phone = socketio.test_client(app)
    phone.emit("join", {"code": data["code"], "role": "participant", "table": 1, "name": "Awa"}, callback=True)
    import uuid

    for text in ("Première idée", "Deuxième idée"):
        assert phone.emit("note:post", {"id": str(uuid.uuid4()), "text": text}, callback=True)["ok"]
    data["app"], data["facilitator"] = app, facilitator
    return data


def test_keys_rotate_issues_new_keys_and_the_old_stop_working(env):
    data = _make_workshop_with_notes(env)
    refused = CliRunner().invoke(main, ["keys", data["code"]])
    assert refused.exit_code != 0 and "--rotate" in refused.output
    result = run("keys", data["code"], "--rotate")
    assert result.exit_code == 0
    new_key = result.stdout.split("facilitator key: ")[1].split()[0]
    from workshop.extensions import socketio

    sio = socketio.test_client(data["app"])
    old = sio.emit("join", {"code": data["code"], "role": "facilitator", "key": data["facilitator_key"]}, callback=True)
    assert old["ok"] is False and old["error"]["code"] == "wrong_key"
    assert sio.emit("join", {"code": data["code"], "role": "facilitator", "key": new_key}, callback=True)["ok"]
    assert CliRunner().invoke(main, ["keys", "NOPE99", "--rotate"]).exit_code != 0


def _state(data) -> dict:
    """The facilitator's view, from an app made now (each command binds the shared Socket.IO anew)."""
    from workshop import create_app
    from workshop.extensions import socketio

    sio = socketio.test_client(create_app({"TESTING": True}))
    state = sio.emit(
        "join", {"code": data["code"], "role": "facilitator", "key": data["facilitator_key"]}, callback=True
    )["state"]
    sio.disconnect()
    return state


def test_purge_asks_first_then_deletes_what_participants_wrote(env):
    data = _make_workshop_with_notes(env)
    declined = CliRunner().invoke(main, ["purge", data["code"]], input="n\n")
    assert declined.exit_code != 0
    assert len(_state(data)["notes"]) == 2

    with data["app"].app_context():  # a photo of the tablecloth, from the facilitator
        from workshop import clock
        from workshop.domain.photos import clean_photo
        from workshop.extensions import db
        from workshop.models import Photo, Workshop
        from workshop.photos.writes import add_photo

        workshop = db.session.execute(db.select(Workshop).filter_by(code=data["code"])).scalar_one()
        image = io.BytesIO()
        Image.new("RGB", (64, 48), "beige").save(image, "JPEG")
        add_photo(workshop, clean_photo(image.getvalue()), clock.now(), table=1)
        db.session.commit()

    exported = env / "avant-purge.json"
    result = CliRunner().invoke(main, ["purge", data["code"], "--export", str(exported)], input="y\n")
    assert result.exit_code == 0, result.output
    assert "2 notes" in result.stdout and "1 participants" in result.stdout and "1 photos" in result.stdout
    assert "Première idée" in exported.read_text(encoding="utf-8")
    state = _state(data)
    assert state["notes"] == [] and state["participants"] == []
    assert state["photos"] == []
    with data["app"].app_context():
        from workshop.extensions import db
        from workshop.models import Photo

        assert db.session.execute(db.select(Photo)).first() is None
    assert state["blocks"][0]["title"] == "COMPRENDRE ET CRÉER DES LIENS"  # the agenda stays


def _database_bytes(folder) -> bytes:
    """Every file of the SQLite database (the file, its write-ahead log, its index of the log)."""
    return b"".join(path.read_bytes() for path in sorted(folder.glob("cli.sqlite3*")))


def test_purge_leaves_no_purged_text_in_the_database_files(env):
    data = _make_workshop_with_notes(env)
    from workshop.extensions import socketio

    phone = socketio.test_client(data["app"])
    name, note = "Zéphyrine Quaglietta", "Une idée très personnelle de Quaglietta"
    phone.emit("join", {"code": data["code"], "role": "participant", "table": 2, "name": name}, callback=True)
    import uuid

    assert phone.emit("note:post", {"id": str(uuid.uuid4()), "text": note}, callback=True)["ok"]
    phone.disconnect()
    assert b"Quaglietta" in _database_bytes(env)
    result = CliRunner().invoke(main, ["purge", data["code"], "--yes"])
    assert result.exit_code == 0, result.output
    stored = _database_bytes(env)
    for text in ("Quaglietta", "Première idée", "Deuxième idée"):
        assert text.encode() not in stored, text
    assert b"CONVERSATION" in stored or b"COMPRENDRE" in stored  # the agenda stays
