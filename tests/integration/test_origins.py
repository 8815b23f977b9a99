"""The Socket.IO origin check is on (issue 18, point 7): a page of another site cannot open a
socket, over polling or WebSocket; the app's own origin and WORKSHOP_PUBLIC_URL's can."""

from __future__ import annotations

import pytest

from workshop import create_app

HANDSHAKE = "/socket.io/?EIO=4&transport={transport}"


@pytest.mark.parametrize("transport", ["polling", "websocket"])
def test_a_foreign_origin_is_refused(client, transport):
    response = client.get(HANDSHAKE.format(transport=transport), headers={"Origin": "http://evil.example"})
    assert response.status_code == 400
    for sneaky in ("http://localhost.evil.example", "null", "http://localhost/evil", "ftp://localhost"):
        assert client.get(HANDSHAKE.format(transport=transport), headers={"Origin": sneaky}).status_code == 400, sneaky


def test_the_apps_own_origin_and_clients_without_one_connect(client):
    for headers in ({"Origin": "http://localhost"}, {"Origin": "https://localhost"}, {}):
        response = client.get(HANDSHAKE.format(transport="polling"), headers=headers)
        assert response.status_code == 200, headers
        assert response.get_data(as_text=True).startswith("0{"), headers  # Engine.IO's open packet


def test_the_public_url_is_allowed(app):
    public = create_app(
        {
            "TESTING": True,
            "SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"],
            "SECRET_KEY": "t",
            "WORKSHOP_AUTO_MIGRATE": False,
            "WORKSHOP_PUBLIC_URL": "https://atelier.example.org",
        }
    ).test_client()
    ok = public.get(HANDSHAKE.format(transport="polling"), headers={"Origin": "https://atelier.example.org"})
    assert ok.status_code == 200
    assert (
        public.get(HANDSHAKE.format(transport="polling"), headers={"Origin": "https://evil.example"}).status_code == 400
    )
