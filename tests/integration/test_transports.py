"""With several processes (a message queue), pages tell the Socket.IO client to use WebSocket only."""

from __future__ import annotations


def test_one_process_lets_the_client_choose(client, create_workshop):
    page = client.get(f"/j/{create_workshop()['code']}").get_data(as_text=True)
    assert "data-transports" not in page


def test_several_processes_use_websocket_only(app, client, create_workshop):
    app.config["WORKSHOP_MESSAGE_QUEUE"] = "redis://127.0.0.1:6379/0"  # as the pages see it
    code = create_workshop()["code"]
    for url in (f"/j/{code}", f"/w/{code}/board"):
        assert 'data-transports="websocket"' in client.get(url).get_data(as_text=True)
