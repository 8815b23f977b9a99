"""Photos under attack (issue 18, point 4): who may send one is checked before the picture is
read, and padding the phone's token makes no new rate-limit key."""

from __future__ import annotations

import io

import pytest
from PIL import Image

JSON = {"Accept": "application/json"}


def ok(ack: dict) -> dict:
    assert ack["ok"] is True, ack
    return ack


def png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (64, 48), (10, 120, 30)).save(out, "PNG")
    return out.getvalue()


@pytest.fixture
def cafe(create_workshop, connect):
    keys = create_workshop()
    facilitator = connect({"code": keys["code"], "role": "facilitator", "key": keys["facilitator_key"]})
    ok(
        facilitator.emit(
            "round:start", {"round": facilitator.ack["state"]["blocks"][0]["rounds"][0]["id"]}, callback=True
        )
    )
    host = connect({"code": keys["code"], "role": "participant", "table": 1})
    ok(host.emit("table:host", {"table": 1}, callback=True))
    guest = connect({"code": keys["code"], "role": "participant", "table": 1})
    return {"code": keys["code"], "host": host.ack["participant"], "guest": guest.ack["participant"]}


def test_a_guest_picture_is_refused_before_it_is_decoded(app, cafe, monkeypatch):
    from workshop.photos import routes as photos

    decoded = []
    real = photos.rules.clean_photo
    monkeypatch.setattr(photos.rules, "clean_photo", lambda data: decoded.append(len(data)) or real(data))
    refused = app.test_client().post(
        f"/j/{cafe['code']}/photos",
        headers=JSON,
        data={"participant": cafe["guest"], "table": "1", "photo": (io.BytesIO(png()), "nappe.png")},
    )
    assert refused.status_code == 403 and refused.get_json()["error"]["code"] == "not_host"
    assert decoded == []
    # The host's goes through, decoded once.
    sent = app.test_client().post(
        f"/j/{cafe['code']}/photos",
        headers=JSON,
        data={"participant": cafe["host"], "table": "1", "photo": (io.BytesIO(png()), "nappe.png")},
    )
    assert sent.status_code == 201 and len(decoded) == 1


def test_padding_the_token_makes_no_new_rate_limit_key(app, cafe):
    statuses = [
        app.test_client()
        .post(
            f"/j/{cafe['code']}/photos",
            headers=JSON,
            data={"participant": " " * i + cafe["host"] + " " * i, "table": "1"},
        )
        .status_code
        for i in range(22)
    ]
    assert statuses[:20] == [400] * 20  # no photo: each refused for its own reason, and counted
    assert statuses[20:] == [429, 429]
