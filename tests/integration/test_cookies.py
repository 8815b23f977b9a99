"""The session cookie (it holds the console's key) is Secure whenever the request came over
https, also through a proxy of WORKSHOP_PROXIES (issue 18, point 11)."""

from __future__ import annotations

from werkzeug.middleware.proxy_fix import ProxyFix


def session_cookie(response) -> str:
    return next(h for h in response.headers.getlist("Set-Cookie") if h.startswith("session="))


def test_over_https_behind_a_proxy_the_session_cookie_is_secure(app, create_workshop):
    keys = create_workshop()
    app.wsgi_app = ProxyFix(app.wsgi_app, x_for=1, x_proto=1, x_host=1)  # what `workshop serve` adds
    url = f"/w/{keys['code']}/facilitate?key={keys['facilitator_key']}"
    proxied = app.test_client().get(url, headers={"X-Forwarded-Proto": "https"})
    assert proxied.status_code == 302
    assert "; Secure" in session_cookie(proxied)
    direct = app.test_client().get(url, base_url="https://localhost")
    assert "; Secure" in session_cookie(direct)
    plain = app.test_client().get(url)  # plain http on the venue's LAN: a Secure cookie would be lost
    assert "; Secure" not in session_cookie(plain)
    lang = app.test_client().get(f"/j/{keys['code']}?lang=en", headers={"X-Forwarded-Proto": "https"})
    assert "; Secure" in next(h for h in lang.headers.getlist("Set-Cookie") if h.startswith("lang="))
