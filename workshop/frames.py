"""How big a Socket.IO message may be, and a WebSocket reader that refuses a bigger one from its
header, before reading it.

gevent-websocket (the default server's WebSocket layer) read every frame in full, then unmasked it
byte by byte in Python (about 240 ms a megabyte, the whole process waiting): one 20 MB frame from a
socket that had not even joined froze every phone, board and console for 4.8 s. Engine.IO checked
the size only afterwards. Here the frame's announced length is checked first: a message over
``MAX_MESSAGE_BYTES`` closes the socket (1009, "message too big") with its payload unread, and the
frames under it are unmasked in one big-integer XOR instead of a Python loop.

This module is imported by ``serving`` when the gevent server starts; it imports gevent-websocket
only there.
"""

from __future__ import annotations

# The largest message the protocol needs, in bytes of UTF-8 JSON: a note is 500 characters, but
# the facilitator's largest events are bigger (a section intro of 10,000 characters, a wall of 48
# slots and 100 spaces); photos go over HTTP. tests/unit/test_frames.py checks those fit.
MAX_MESSAGE_BYTES = 128 * 1024


def unmask(payload: bytes, mask: bytes) -> bytes:
    """RFC 6455 5.3: XOR with the 4-byte mask, repeated; in C (big integers), not per byte."""
    length = len(payload)
    if not length:
        return b""
    key = (mask * (length // 4 + 1))[:length]
    return (int.from_bytes(payload, "big") ^ int.from_bytes(key, "big")).to_bytes(length, "big")


class MessageTooBig(Exception):
    """A frame announced more than the protocol allows."""


def bounded_websocket_class(limit: int = MAX_MESSAGE_BYTES):
    """gevent-websocket's WebSocket, refusing a message over ``limit`` bytes from its header."""
    from geventwebsocket.exceptions import ProtocolError, WebSocketError
    from geventwebsocket.websocket import MSG_CLOSED, Header, WebSocket

    class BoundedWebSocket(WebSocket):
        __slots__ = ("message_bytes",)

        def read_frame(self):
            header = Header.decode_header(self.stream)
            if header.flags:
                raise ProtocolError
            if header.opcode in (self.OPCODE_TEXT, self.OPCODE_BINARY):
                self.message_bytes = 0  # a new message
            if header.opcode <= self.OPCODE_BINARY:  # data frames add up to one message
                self.message_bytes = getattr(self, "message_bytes", 0) + header.length
                if self.message_bytes > limit:
                    raise MessageTooBig(header.length)
            if not header.length:
                return header, b""
            try:
                payload = self.raw_read(header.length)
            except OSError:
                payload = b""
            if len(payload) != header.length:
                raise WebSocketError("Unexpected EOF reading frame payload")
            if header.mask:
                payload = unmask(payload, header.mask)
            return header, payload

        def receive(self):
            try:
                return super().receive()
            except MessageTooBig:
                # 1009: the message is too big to process. The payload stays unread; the server
                # drops the connection, and the client's kernel gets a reset for the rest.
                self.close(1009, b"message too big")
                self.current_app.on_close(MSG_CLOSED)
                return None

    return BoundedWebSocket
