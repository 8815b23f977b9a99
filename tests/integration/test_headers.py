"""Security headers on every page; the strict policy leaves no room for inline script."""

from __future__ import annotations

import re

import pytest


@pytest.fixture
def pages(create_workshop):
    keys = create_workshop()
    code = keys["code"]
    return [
        f"/j/{code}",
        f"/j/{code}?table=2",
        f"/w/{code}/board",
        f"/w/{code}/facilitate?key={keys['facilitator_key']}",
        f"/w/{code}/cards",
        f"/w/{code}/qr.svg",
        "/healthz",
        "/j/NOPE00",
    ]


def test_every_response_carries_the_security_headers(client, pages):
    for url in pages:
        response = client.get(url)
        csp = response.headers["Content-Security-Policy"]
        assert "script-src 'self'" in csp and "'unsafe-inline'" not in csp, url
        assert "frame-ancestors 'none'" in csp
        assert response.headers["X-Content-Type-Options"] == "nosniff"
        assert response.headers["X-Frame-Options"] == "DENY"
        assert response.headers["Referrer-Policy"] == "same-origin"


def test_pages_hold_no_inline_script_or_style(client, pages):
    for url in pages:
        response = client.get(url, follow_redirects=True)
        if "text/html" not in response.content_type:
            continue
        html = response.get_data(as_text=True)
        for tag in re.findall(r"<script\b[^>]*>", html):
            assert "src=" in tag or 'type="application/json"' in tag, (url, tag)
        assert not re.search(r"\son[a-z]+\s*=", html), url
        assert " style=" not in html, url
