"""Links and QR codes carry the configured or detected address, never a request's Host header
(issue 18, point 9), and the pages say so when phones cannot reach that address (issue 12)."""

from __future__ import annotations

import pytest

from workshop.cafe.cards_routes import qr_svg

LAN = "192.168.1.20"
LOOPBACK_WARNING = "Phones cannot open this address"
LOOPBACK_WARNING_FR = "Les téléphones ne peuvent pas ouvrir cette adresse"


@pytest.fixture(autouse=True)
def venue_network(monkeypatch):
    monkeypatch.setattr("workshop.address.lan_address", lambda: LAN)


@pytest.fixture
def workshop(create_workshop):
    return create_workshop()


@pytest.fixture
def facilitator_client(client, workshop):
    client.get(f"/w/{workshop['code']}/facilitate?key={workshop['facilitator_key']}&lang=en")
    return client


def pages(code: str) -> list[str]:
    return [f"/w/{code}/facilitate?lang=en", f"/w/{code}/board?lang=en", f"/w/{code}/cards?lang=en"]


def test_a_poisoned_host_header_never_reaches_a_qr_code_or_a_page(facilitator_client, workshop):
    code = workshop["code"]
    evil = {"HTTP_HOST": "evil.example"}  # in the environ, so the test client still sends the session cookie
    qr = facilitator_client.get(f"/w/{code}/qr.svg?table=2", environ_overrides=evil)
    assert qr.status_code == 200
    # Not started by `workshop serve`: the LAN address and the port the request really came in on.
    assert qr.data == qr_svg(f"http://{LAN}/j/{code}?table=2")
    # The board, and the cards opened with the key in the address (the console's cookie is for
    # localhost; the cards are the facilitator's, the key moves to this host's session).
    for path in (pages(code)[1], f"/w/{code}/cards?key={workshop['facilitator_key']}&lang=en"):
        page = facilitator_client.get(path, environ_overrides=evil, follow_redirects=True).get_data(as_text=True)
        assert "evil.example" not in page, path
        assert f"{LAN}/j/{code}" in page, path


def test_the_server_s_own_address_wins_over_any_host(app, facilitator_client, workshop):
    code = workshop["code"]
    app.config["WORKSHOP_SERVER_URL"] = f"http://{LAN}:5800"
    for host in ("evil.example", "localhost", f"{LAN}:5800"):
        qr = facilitator_client.get(f"/w/{code}/qr.svg", headers={"Host": host})
        assert qr.data == qr_svg(f"http://{LAN}:5800/j/{code}"), host
    page = facilitator_client.get(f"/w/{code}/board", headers={"Host": "evil.example"}).get_data(as_text=True)
    assert f"{LAN}:5800/j/{code}" in page and "evil.example" not in page
    app.config["WORKSHOP_PUBLIC_URL"] = "https://atelier.example.org"
    qr = facilitator_client.get(f"/w/{code}/qr.svg", headers={"Host": "evil.example"})
    assert qr.data == qr_svg(f"https://atelier.example.org/j/{code}")


def test_a_request_to_this_machine_keeps_its_own_address(facilitator_client, workshop):
    """Opened on the laptop itself or at its LAN address: that address is this machine's."""
    code = workshop["code"]
    assert facilitator_client.get(f"/w/{code}/qr.svg").data == qr_svg(f"http://localhost/j/{code}")
    at_lan = facilitator_client.get(f"/w/{code}/qr.svg", headers={"Host": f"{LAN}:5000"})
    assert at_lan.data == qr_svg(f"http://{LAN}:5000/j/{code}")


def test_the_console_the_board_and_the_cards_warn_of_a_loopback_join_address(app, facilitator_client, workshop):
    code = workshop["code"]
    app.config["WORKSHOP_SERVER_URL"] = "http://127.0.0.1:5000"
    for path in pages(code):
        page = facilitator_client.get(path).get_data(as_text=True)
        assert LOOPBACK_WARNING in page, path
        french = facilitator_client.get(path.replace("lang=en", "lang=fr")).get_data(as_text=True)
        assert LOOPBACK_WARNING_FR in french, path
    app.config["WORKSHOP_SERVER_URL"] = f"http://{LAN}:5000"
    for path in pages(code):
        page = facilitator_client.get(path).get_data(as_text=True)
        assert LOOPBACK_WARNING not in page and "data-loopback" not in page, path
