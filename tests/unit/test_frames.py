"""The WebSocket message limit and the fast unmasking (workshop/frames.py)."""

from __future__ import annotations

import json
import os

from workshop.frames import MAX_MESSAGE_BYTES, unmask


def test_unmask_is_the_rfc_xor_with_the_repeated_mask():
    for length in (0, 1, 3, 4, 5, 127, 4096 + 3):
        payload, mask = os.urandom(length), os.urandom(4)
        assert unmask(payload, mask) == bytes(b ^ mask[i % 4] for i, b in enumerate(payload))


def socketio_text(event: str, payload: dict) -> int:
    """Bytes of the Socket.IO message a browser sends (JSON.stringify keeps UTF-8 as is)."""
    return len(("42" + json.dumps([event, payload], ensure_ascii=False)).encode())


def test_the_largest_messages_the_protocol_needs_fit_under_the_limit():
    accented = "é"  # two bytes in UTF-8, as most of a French text
    intro = {"section": 1, "title": accented * 200, "intro": accented * 10_000, "position": 1}
    wall = {
        "block": 1,
        "slots": [{"id": accented * 64, "label": accented * 100} for _ in range(48)],
        "spaces": [{"id": accented * 64, "name": accented * 100} for _ in range(100)],
    }
    grouped = {"notes": [str(os.urandom(16).hex()) for _ in range(500)], "theme": 1}
    note = {"id": "0" * 36, "text": "😀" * 500, "table": 999, "color": "yellow"}
    for event, payload in (
        ("section:update", intro),
        ("wall:update", wall),
        ("notes:group", grouped),
        ("note:post", note),
    ):
        assert socketio_text(event, payload) < MAX_MESSAGE_BYTES, event
