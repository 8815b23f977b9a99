"""Issue 16 in real browsers: the night before, the facilitator imports a roster and prints its
passports; on the day, each attendee scans their passport, and through three rounds each phone
is sent where its passport said."""

from __future__ import annotations

import re

import pytest

from browser.conftest import CONSOLE, PHONE, SECONDS, Facilitator, console_url, joined

pytestmark = pytest.mark.browser

ROSTER = "Nom;Secteur;Table;Rôle\r\n" + "".join(
    f"{name};{sector};{table};{role}\r\n"
    for name, sector, table, role in [
        ("Hélène Côté", "signataires", "1", "hôte"),
        ("Éric Nadeau", "employabilite", "", ""),
        ("Amina Diallo", "education", "", ""),
        ("Jean Roy", "sante", "", ""),
        ("Zoë Ng", "territorial", "", ""),
        ("Luc Poirier", "employeurs", "", ""),
    ]
)


def test_passports_printed_the_night_before_are_what_each_phone_is_told(live_server, windows, tmp_path):
    from playwright.sync_api import expect

    base, code = live_server["base_url"], live_server["code"]
    console = windows.page(console_url(live_server), **CONSOLE)
    expect(console.locator("#roster-link")).to_be_visible()
    console.locator("#roster-link").click()
    roster = tmp_path / "roster.csv"
    roster.write_bytes(ROSTER.encode("cp1252"))  # as Excel saves it on Windows, in French
    console.locator("#roster-file").set_input_files(str(roster))
    console.locator(".roster-form button[type=submit]").click()
    expect(console.locator("#roster-result")).to_contain_text("6", timeout=SECONDS)
    expect(console.locator(".roster-table")).to_contain_text("Hélène Côté")

    # The passports, one click away; read as the paper will say them.
    console.goto(f"{base}/w/{code}/passports")
    cards = console.locator("li.passport")
    expect(cards).to_have_count(6)
    passports = {}
    for index in range(6):
        card = cards.nth(index)
        name = card.locator(".passport__name").inner_text()
        tables = [
            int(t)
            for t in card.locator(".passport__rounds")
            .first.locator("li")
            .evaluate_all("items => items.map((li) => li.dataset.table)")
        ]
        assert len(tables) == 3 and all(tables), (name, tables)
        passports[name] = {"url": card.get_attribute("data-join"), "tables": tables}
        expect(card.locator("svg.passport__qr")).to_have_count(1)
    assert passports["Hélène Côté"]["tables"] == [1, 1, 1]  # the host stays
    console.emulate_media(media="print")
    expect(console.locator(".seating-head")).to_be_hidden()
    console.emulate_media(media="screen")

    # On the day: each attendee scans their passport (no name to type) and is told round 1's table.
    phones = {}
    for name, passport in passports.items():
        phone = windows.page(passport["url"], **PHONE)
        joined(phone)
        assert "passport" not in phone.url and "/p/" not in phone.url
        expect(phone.locator("#name")).to_have_value(name)
        expect(phone.locator("#move-number")).to_have_text(str(passport["tables"][0]), timeout=SECONDS)
        phones[name] = phone

    facilitator = Facilitator(live_server)
    try:
        rounds = facilitator.state["blocks"][0]["rounds"]
        facilitator.call("round:start", {"round": rounds[0]["id"]})
        for name, phone in phones.items():
            expect(phone.locator("#my-table-number")).to_contain_text(
                str(passports[name]["tables"][0]), timeout=SECONDS
            )
        for index in (1, 2):
            facilitator.call("round:close", {"round": rounds[index - 1]["id"]})
            for name, phone in phones.items():
                expect(phone.locator("#move")).to_be_visible(timeout=SECONDS)
                expect(phone.locator("#move-number")).to_have_text(str(passports[name]["tables"][index]))
            facilitator.call("round:start", {"round": rounds[index]["id"]})
            for name, phone in phones.items():
                expect(phone.locator("#my-table-number")).to_contain_text(
                    re.compile(rf"\b{passports[name]['tables'][index]}\b"), timeout=SECONDS
                )
    finally:
        facilitator.close()
    windows.close_and_check()
