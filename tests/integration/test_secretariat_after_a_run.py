"""The secretariat after a real run (issue 17), over HTTP: the page written for the person who sends
the document out (the technical help folded under « Pour l’informatique »), the two CSV variants,
and a participant count that leaves out the phones that only opened the join page."""

from __future__ import annotations

import json
import uuid


def secretariat_page(client, keys, lang: str) -> str:
    client.set_cookie("lang", lang)
    assert client.get(f"/w/{keys['code']}/results?key={keys['secretariat_key']}").status_code == 302
    page = client.get(f"/w/{keys['code']}/results")
    assert page.status_code == 200
    return page.get_data(as_text=True)


def test_the_downloads_page_keeps_the_technical_help_for_it(client, create_workshop):
    keys = create_workshop()
    code = keys["code"]
    html = secretariat_page(client, keys, "fr")
    main, _, for_it = html.partition('<details class="for-it">')
    assert "<summary>Pour l’informatique</summary>" in for_it
    # What the person sending the document out needs: Word, the printable page, the French CSV.
    for href in (f"/w/{code}/results.docx", f"/w/{code}/results.html", f'/w/{code}/results.csv"'):
        assert href in main, href
    assert "Tableur (CSV, points-virgules" in main
    for jargon in ("Bearer", "workshop export", "?key=", "JSON", "Markdown", "results.md", "results.json"):
        assert jargon not in main, jargon
    # Behind the disclosure: the other files and the script's ways in.
    for href in (f"/w/{code}/results.md", f"/w/{code}/results.json", f"/w/{code}/results.csv?variant=comma"):
        assert href in for_it, href
    assert "Authorization: Bearer" in for_it and "workshop export" in for_it


def test_the_key_form_speaks_to_the_secretariat(client, create_workshop):
    keys = create_workshop()
    client.set_cookie("lang", "fr")
    html = client.get(f"/w/{keys['code']}/results").get_data(as_text=True)
    main, _, for_it = html.partition('<details class="for-it">')
    assert "la clé que l’organisation vous a remise" in main
    assert "workshop new" not in main and "workshop new" in for_it


def test_both_csv_variants_download_and_a_made_up_one_does_not(client, create_workshop):
    keys = create_workshop()
    base = f"/w/{keys['code']}/results.csv?key={keys['secretariat_key']}"
    french = client.get(base).data.decode("utf-8-sig")
    assert french.startswith("numéro;identifiant;")
    assert client.get(base + "&variant=semicolon").data.decode("utf-8-sig") == french
    standard = client.get(base + "&variant=comma")
    assert standard.status_code == 200 and standard.data.startswith(b"\xef\xbb\xbfnum\xc3\xa9ro,identifiant,")
    assert client.get(base + "&variant=tab").status_code == 404
    assert client.get(base + "&variant=" + "x" * 5000).status_code == 404


def test_a_phone_that_only_looked_is_not_a_participant(client, create_workshop, connect):
    keys = create_workshop()
    code = keys["code"]
    facilitator = connect({"code": code, "role": "facilitator", "key": keys["facilitator_key"]})
    first = facilitator.ack["state"]["blocks"][0]["rounds"][0]["id"]
    assert facilitator.emit("round:start", {"round": first}, callback=True)["ok"]
    connect({"code": code, "role": "participant", "name": "Awa"})  # a name
    connect({"code": code, "role": "participant", "table": 2})  # a table
    writer = connect({"code": code, "role": "participant", "table": 1})
    assert writer.emit("note:post", {"id": str(uuid.uuid4()), "text": "Une idée"}, callback=True)["ok"]
    assert facilitator.emit("round:close", {"round": first, "confirm": True}, callback=True)["ok"]
    # Between two rounds, two phones open the page and do nothing more. (During a round the
    # seating plan gives a newcomer a table at once: that person sits there and counts.)
    connect({"code": code, "role": "participant"})
    connect({"code": code, "role": "participant"})
    doc = json.loads(client.get(f"/w/{code}/results.json?key={keys['secretariat_key']}").data)
    assert doc["participation"]["participants"] == 3
    md = client.get(f"/w/{code}/results.md?key={keys['secretariat_key']}").get_data(as_text=True)
    assert "3 personnes ont rejoint l’atelier (un nom, une table ou une note)" in md


def test_the_command_exports_either_variant(app, client, create_workshop, monkeypatch, tmp_path):
    from click.testing import CliRunner

    from workshop.cli import main

    monkeypatch.setenv("WORKSHOP_DATABASE_URL", app.config["SQLALCHEMY_DATABASE_URI"])
    monkeypatch.setenv("WORKSHOP_SECRET_KEY", "cli-test")
    monkeypatch.setenv("WORKSHOP_AUTO_MIGRATE", "0")
    keys = create_workshop()
    for variant in ("comma", "semicolon"):
        target = tmp_path / f"{variant}.csv"
        result = CliRunner().invoke(
            main, ["export", keys["code"], "--format", "csv", "--variant", variant, "-o", str(target)]
        )
        assert result.exit_code == 0, result.output
        download = client.get(f"/w/{keys['code']}/results.csv?variant={variant}&key={keys['secretariat_key']}")
        assert target.read_bytes() == download.data
    refused = CliRunner().invoke(main, ["export", keys["code"], "--format", "docx", "--variant", "comma"])
    assert refused.exit_code != 0 and "variants: none" in refused.output
