"""Every form carries a CSRF token; a post without it is refused and stores nothing."""

from __future__ import annotations

import re
import uuid

import pytest


@pytest.fixture
def csrf_on(app):
    app.config["WTF_CSRF_ENABLED"] = True
    yield app
    app.config["WTF_CSRF_ENABLED"] = False


def token_of(html: str) -> str:
    return re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)


def test_every_post_form_of_every_page_carries_a_token(csrf_on, client, create_workshop):
    keys = create_workshop()
    code = keys["code"]
    pages = [f"/j/{code}", f"/w/{code}/facilitate?key={keys['facilitator_key']}", f"/w/{code}/results"]
    forms = 0
    for url in pages:
        html = client.get(url, follow_redirects=True).get_data(as_text=True)
        for form in re.findall(r"<form\b[^>]*>.*?</form>", html, re.S | re.I):
            if 'method="post"' in form.lower():
                forms += 1
                assert 'name="csrf_token"' in form, (url, form[:120])
    assert forms >= 5


def test_a_form_post_without_its_token_is_refused(csrf_on, client, create_workshop, connect):
    keys = create_workshop()
    code = keys["code"]
    facilitator = connect({"code": code, "role": "facilitator", "key": keys["facilitator_key"]})
    facilitator.emit("round:start", {"round": facilitator.ack["state"]["blocks"][0]["rounds"][0]["id"]}, callback=True)
    page = client.get(f"/j/{code}?table=1").get_data(as_text=True)
    note = {"id": str(uuid.uuid4()), "text": "Sans jeton", "table": "1"}
    refused = client.post(f"/j/{code}/notes", data=note)
    assert refused.status_code == 400
    assert facilitator.emit("state:get", {}, callback=True)["state"]["notes"] == []
    accepted = client.post(f"/j/{code}/notes", data=note | {"csrf_token": token_of(page)})
    assert accepted.status_code == 303
    assert [n["text"] for n in facilitator.emit("state:get", {}, callback=True)["state"]["notes"]] == ["Sans jeton"]


def test_a_token_of_another_session_is_refused(csrf_on, app, create_workshop):
    code = create_workshop()["code"]
    theirs = app.test_client()
    token = token_of(theirs.get(f"/j/{code}").get_data(as_text=True))
    ours = app.test_client()
    response = ours.post(f"/j/{code}/join", data={"name": "Intrus", "csrf_token": token})
    assert response.status_code == 400
