"""Where phones reach the server: the LAN address found at start-up, and the sessions folder."""

from __future__ import annotations

import socket

import pytest

from workshop import address
from workshop.domain.agenda import demo_templates


class FakeSockets:
    """The part of the socket module that detection uses: each probe answers from ``routes``."""

    AF_INET = socket.AF_INET
    SOCK_DGRAM = socket.SOCK_DGRAM

    def __init__(self, routes: dict[str, str | None], host_addresses: list[str] = ()):
        self.routes = routes
        self.host_addresses = list(host_addresses)
        self.sent = 0

    def socket(self, family, kind):
        fake = self

        class Probe:
            def __enter__(self):
                return self

            def __exit__(self, *exc):
                return False

            def connect(self, target):
                self.target = target[0]
                if fake.routes.get(self.target) is None:
                    raise OSError("Network is unreachable")

            def getsockname(self):
                return (fake.routes[self.target], 40000)

            def send(self, data):  # pragma: no cover  (detection never sends)
                fake.sent += 1

        return Probe()

    def gethostname(self):
        return "laptop"

    def getaddrinfo(self, host, port, family):
        return [(family, socket.SOCK_STREAM, 6, "", (a, 0)) for a in self.host_addresses]


def test_the_lan_address_is_the_interface_toward_a_private_network():
    fake = FakeSockets({"10.255.255.255": "192.168.1.20"})
    assert address.detect_lan_address(sockets=fake) == "192.168.1.20"
    assert fake.sent == 0


def test_a_probe_that_answers_loopback_is_passed_over():
    fake = FakeSockets({"10.255.255.255": "127.0.0.1", "192.168.255.255": "10.0.0.7"})
    assert address.detect_lan_address(sockets=fake) == "10.0.0.7"


def test_without_a_route_the_host_name_s_address_then_loopback():
    assert address.detect_lan_address(sockets=FakeSockets({}, ["127.0.1.1", "172.20.0.5"])) == "172.20.0.5"
    assert address.detect_lan_address(sockets=FakeSockets({}, ["127.0.1.1"])) == "127.0.0.1"


def test_detection_on_this_machine_gives_an_address():
    found = address.detect_lan_address()
    assert found == "127.0.0.1" or not address.is_loopback(found)


@pytest.mark.parametrize(
    ("host", "port", "url"),
    [
        ("0.0.0.0", 5800, "http://192.168.1.20:5800"),
        ("::", 5000, "http://192.168.1.20:5000"),
        ("127.0.0.1", 5000, "http://127.0.0.1:5000"),
        ("10.1.2.3", 8080, "http://10.1.2.3:8080"),
        ("fe80::1", 5000, "http://[fe80::1]:5000"),
    ],
)
def test_the_server_url_of_a_bound_address(host, port, url):
    assert address.server_url(host, port, lan="192.168.1.20") == url


@pytest.mark.parametrize(
    ("url", "loopback"),
    [
        ("http://127.0.0.1:5000", True),
        ("http://localhost:5000", True),
        ("http://[::1]:5000", True),
        ("http://127.8.0.1", True),
        ("http://192.168.1.20:5000", False),
        ("https://atelier.example.org", False),
        ("", False),
    ],
)
def test_loopback_urls(url, loopback):
    assert address.url_is_loopback(url) is loopback


# --- the sessions folder: a facilitator's own files never stop start-up

SHIPPED = """[workshop]
title = "Atelier"
organiser = "Ville"
language = "fr"
dates = [2026-05-04]
demo = "{code}"

[[blocks]]
id = "matin"
title = "Matin"
day = 2026-05-04
part = "am"
method = "world-cafe"

[[blocks.rounds]]
question = "Quoi?"
minutes = 20

[[blocks.tables]]
number = 1
"""


def test_only_templates_marked_demo_make_demo_workshops(tmp_path):
    (tmp_path / "a-shipped.toml").write_text(SHIPPED.format(code="AB2026"), encoding="utf-8")
    (tmp_path / "bibliotheque.toml").write_text(SHIPPED.replace('demo = "{code}"\n', ""), encoding="utf-8")
    shipped, problems = demo_templates(tmp_path)
    assert [(t.name, t.demo) for t in shipped] == [("a-shipped", "AB2026")]
    assert problems == []


@pytest.mark.parametrize(
    ("name", "content", "said"),
    [
        (
            "brouillon.toml",
            SHIPPED.replace("minutes = 20", "minutes = 0").format(code="AB2026"),
            "blocks[0].rounds[0].minutes",
        ),
        ("bad code.toml", SHIPPED.format(code="b"), "workshop.demo"),
        ("été 2026 (copie).toml", "[workshop\n", "line 1"),
        ("latin1.toml", None, "UTF-8"),
        ("dossier.toml", "folder", "is a folder"),
    ],
)
def test_a_bad_file_or_an_odd_name_is_one_line_and_skipped(tmp_path, name, content, said):
    (tmp_path / "z-shipped.toml").write_text(SHIPPED.format(code="ZZ2026"), encoding="utf-8")
    if content == "folder":
        (tmp_path / name).mkdir()
    elif content is None:
        (tmp_path / name).write_bytes(SHIPPED.format(code="AB2026").replace("Quoi", "Qué").encode("latin-1"))
    else:
        (tmp_path / name).write_text(content, encoding="utf-8")
    shipped, problems = demo_templates(tmp_path)
    assert [t.demo for t in shipped] == ["ZZ2026"]
    if content == "folder":  # not a file: not a template at all
        assert problems == []
        return
    assert len(problems) == 1 and "\n" not in problems[0]
    assert problems[0].startswith(f"{name}: skipped: ")
    assert said in problems[0]
