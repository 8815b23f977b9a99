"""Where phones reach this server: the configured public address, else the laptop's LAN address.

The address in QR codes, printed cards and the links the ``workshop`` command prints never comes
from a request's ``Host`` header (anyone on the Wi-Fi can send one; the QR code is cached an hour).
It is, in order: ``WORKSHOP_PUBLIC_URL``; the address the running server found at start-up (its
LAN address and its real port); for an app not started by ``workshop serve`` (the test client, a
WSGI server of one's own), the request's address only when it names this machine.

``workshop serve`` records its address under ``instance/servers/`` (one small file per database),
so that ``workshop new`` and ``workshop keys`` print the port the server really listens on.
"""

from __future__ import annotations

import functools
import hashlib
import ipaddress
import json
import os
import socket
from pathlib import Path
from urllib.parse import urlsplit

LOOPBACK = "127.0.0.1"
ANY_ADDRESSES = ("0.0.0.0", "::", "")
# connect() on a UDP socket sends nothing: it only asks the kernel which interface would route there.
PROBES = ("10.255.255.255", "192.168.255.255", "172.31.255.255")


def is_loopback(host: str | None) -> bool:
    """localhost, 127.x.x.x, ::1: addresses a phone can never reach."""
    if not host:
        return False
    host = host.strip("[]").lower().rstrip(".")
    if host == "localhost" or host.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _usable(address: str | None) -> bool:
    if not address:
        return False
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return not (ip.is_loopback or ip.is_unspecified or ip.is_multicast or ip.is_link_local)


def detect_lan_address(probes: tuple[str, ...] = PROBES, sockets=socket) -> str:
    """This machine's address on the local network, found without sending a packet; 127.0.0.1
    when it has none (no Wi-Fi, no cable)."""
    for target in probes:
        try:
            with sockets.socket(sockets.AF_INET, sockets.SOCK_DGRAM) as probe:
                probe.connect((target, 9))
                address = probe.getsockname()[0]
        except OSError:
            continue
        if _usable(address):
            return address
    try:
        infos = sockets.getaddrinfo(sockets.gethostname(), None, sockets.AF_INET)
    except OSError:
        infos = []
    for info in infos:
        if _usable(info[4][0]):
            return info[4][0]
    return LOOPBACK


@functools.cache
def lan_address() -> str:
    """Found once per process, at start-up (the first call)."""
    return detect_lan_address()


def server_url(host: str, port: int, lan: str | None = None) -> str:
    """The address phones use for a server bound to ``host``:``port``: a server on every interface
    is reached at the LAN address; one bound to a single address, at that address."""
    if host in ANY_ADDRESSES:
        host = lan or lan_address()
    if ":" in host and not host.startswith("["):
        host = f"[{host}]"
    return f"http://{host}" if port == 80 else f"http://{host}:{port}"


def url_is_loopback(url: str | None) -> bool:
    return bool(url) and is_loopback(urlsplit(url).hostname)


# --- the running server's record, read by the CLI


def _record_path(instance: Path, database_url: str) -> Path:
    # The database's URL may hold a password: the file is named by a digest, never the URL.
    digest = hashlib.sha256(database_url.encode("utf-8")).hexdigest()[:16]
    return Path(instance) / "servers" / f"{digest}.json"


def record_server(instance: Path, database_url: str, url: str, pid: int | None = None) -> Path:
    path = _record_path(instance, database_url)
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_suffix(f".{os.getpid()}.tmp")
    temporary.write_text(json.dumps({"url": url, "pid": pid or os.getpid()}))
    os.replace(temporary, path)  # a reader never sees half a file
    _forget_stopped(path.parent, keep=path)
    return path


def _forget_stopped(folder: Path, keep: Path) -> None:
    """The records of servers that have stopped go: the folder never grows with every test run."""
    for other in folder.glob("*.json"):
        if other == keep:
            continue
        try:
            alive = _alive(json.loads(other.read_text()).get("pid"))
        except (OSError, ValueError, AttributeError):
            alive = False
        if not alive:
            other.unlink(missing_ok=True)


def _alive(pid: object) -> bool:
    if not isinstance(pid, int) or pid <= 0:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # another user's process: it exists
        return True
    return True


def running_server_url(instance: Path, database_url: str) -> str | None:
    """The address of the server running now on this database, if one recorded it."""
    try:
        record = json.loads(_record_path(instance, database_url).read_text())
    except (OSError, ValueError):
        return None
    if not isinstance(record, dict) or not isinstance(record.get("url"), str) or not _alive(record.get("pid")):
        return None
    return record["url"]


# --- inside the app


def site_url() -> str:
    """The address links and QR codes carry, for the current app and request (see the module's doc)."""
    from flask import current_app, has_request_context, request

    config = current_app.config
    chosen = config.get("WORKSHOP_PUBLIC_URL") or config.get("WORKSHOP_SERVER_URL")
    if chosen:
        return chosen.rstrip("/")
    if not has_request_context():
        return ""
    host = urlsplit(f"//{request.host}").hostname
    if is_loopback(host) or host == lan_address():
        return request.host_url.rstrip("/")
    # Any other name was typed by someone else: never echoed into a link.
    return server_url("", int(request.environ.get("SERVER_PORT") or 80))
