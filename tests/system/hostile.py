"""A hostile WebSocket, written by hand: it speaks just enough of RFC 6455 to send one frame of
any announced size, which no well-behaved client library would send."""

from __future__ import annotations

import base64
import contextlib
import os
import socket
import struct
import time


class HostileSocket:
    def __init__(self, host: str, port: int, path: str = "/socket.io/?EIO=4&transport=websocket"):
        self.sock = socket.create_connection((host, port), timeout=10)
        key = base64.b64encode(os.urandom(16)).decode()
        self.sock.sendall(
            (
                f"GET {path} HTTP/1.1\r\nHost: {host}:{port}\r\nUpgrade: websocket\r\n"
                f"Connection: Upgrade\r\nSec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n\r\n"
            ).encode()
        )
        response = b""
        while b"\r\n\r\n" not in response:
            chunk = self.sock.recv(4096)
            if not chunk:
                raise ConnectionError("closed during the handshake")
            response += chunk
        self.status = response.split(b"\r\n", 1)[0].decode()

    def send_big_frame(self, size: int, chunk: int = 256 * 1024) -> int:
        """One masked text frame of ``size`` bytes (`42["x","AAAA…"]`), sent until the server stops
        reading. Returns how many bytes of it the server took."""
        body = b'42["x","' + b"A" * max(0, size - 10) + b'"]'
        mask = os.urandom(4)
        key = (mask * (len(body) // 4 + 1))[: len(body)]
        masked = (int.from_bytes(body, "big") ^ int.from_bytes(key, "big")).to_bytes(len(body), "big")
        sent = 0
        try:
            self.sock.sendall(bytes([0x81, 0x80 | 127]) + struct.pack("!Q", len(body)) + mask)
            while sent < len(masked):
                self.sock.sendall(masked[sent : sent + chunk])
                sent += len(masked[sent : sent + chunk])
        except OSError:  # a reset or a broken pipe: the server closed the connection
            pass
        return sent

    def closed_by_server(self, wait: float = 5.0) -> bool:
        """True once the server has closed (a close frame, end of stream or a reset)."""
        self.sock.settimeout(0.2)
        deadline = time.monotonic() + wait
        while time.monotonic() < deadline:
            try:
                data = self.sock.recv(65536)
            except TimeoutError:
                continue
            except OSError:
                return True
            if not data:
                return True
        return False

    def close(self) -> None:
        with contextlib.suppress(OSError):
            self.sock.close()
