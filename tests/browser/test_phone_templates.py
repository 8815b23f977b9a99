"""The phone's Open Space items that the script adds live (a topic proposed from another phone, a
line of a session's report, a cell of the wall) look as the server renders them: the same elements
with the same class lists, since both come from one Jinja macro (the page's <template>s)."""

from __future__ import annotations

import uuid

import pytest

from browser.conftest import PHONE, SECONDS, Facilitator, joined, open_phone, phone_url

pytestmark = pytest.mark.browser

# The element's outline: its tag and classes, then each element under it, in order.
OUTLINE = (
    """(node) => [node, ...node.querySelectorAll("*")].map((e) => [e.tagName, [...e.classList].join(" ")].join("."))"""
)

# The same items in the page as the server renders it for this phone (its passport signs it in).
SERVER_OUTLINES = """async ({ code, token, selectors }) => {
  await fetch(`/j/${code}/p/${token}`);
  const page = await (await fetch(`/j/${code}`)).text();
  const doc = new DOMParser().parseFromString(page, "text/html");
  const outline = OUTLINE;
  return Object.fromEntries(selectors.map((s) => [s, doc.querySelector(s) ? outline(doc.querySelector(s)) : null]));
}""".replace("OUTLINE", OUTLINE)


def test_items_added_by_the_script_look_as_the_server_renders_them(forum_server, windows):
    from playwright.sync_api import expect

    code = forum_server["code"]
    facilitator = Facilitator(forum_server)
    try:
        phone = open_phone(windows, forum_server)
        # A topic proposed from elsewhere reaches the phone's marketplace live.
        topic = facilitator.call(
            "topic:propose", {"id": str(uuid.uuid4()), "title": "Proposé ailleurs", "convener": "Marc"}
        )["topic"]["id"]
        market = phone.locator(f'#os-topics .os-topic[data-topic="{topic}"]')
        expect(market).to_have_count(1, timeout=SECONDS)
        block = next(b for b in facilitator.call("state:get", {})["state"]["blocks"] if b["method"] == "open-space")
        slot, space = block["wall"]["slots"][0]["id"], block["wall"]["spaces"][0]["id"]
        facilitator.call("topic:schedule", {"topic": topic, "slot": slot, "space": space})
        # The phone says "I'm here" and adds a line to the session's report.
        phone.locator(f'#os-wall .os-cell[data-topic="{topic}"] button').tap()
        card = phone.locator(f'.os-card[data-role="attending"][data-topic="{topic}"]')
        expect(card).to_be_visible(timeout=SECONDS)
        card.locator("[name=text]").fill("Une ligne du compte rendu")
        card.locator(".os-report-form button[type=submit]").tap()
        note = card.locator('.os-note[data-status="sent"]')
        expect(note).to_have_count(1, timeout=SECONDS)

        selectors = {
            "market": f'#os-topics .os-topic[data-topic="{topic}"]',
            "note": f'#os-session-list .os-note[data-note="{note.get_attribute("data-note")}"]',
            "group": f'#os-session-list .os-card[data-topic="{topic}"] .os-report__group',
            "cell": f'#os-wall .os-cell[data-topic="{topic}"]',
        }
        live = {name: phone.locator(selector).evaluate(OUTLINE) for name, selector in selectors.items()}
        token = phone.evaluate(f"JSON.parse(localStorage.getItem('workshop:{code}:token'))")
        server = phone.evaluate(SERVER_OUTLINES, {"code": code, "token": token, "selectors": list(selectors.values())})
        for name, selector in selectors.items():
            assert server[selector] is not None, f"the server renders no {name}"
            assert live[name] == server[selector], name
        assert live["market"][0] == "LI.os-topic" and "P.os-topic__title" in live["market"]
        assert live["note"] == ["LI.os-note", "P.os-note__text"]
        assert "P.os-cell__you" in live["cell"]
    finally:
        facilitator.close()
    windows.close_and_check()


def test_what_waits_on_an_offline_phone_is_drawn_from_the_same_templates(forum_server, windows):
    """A topic and a report line kept on a phone without network show as waiting (the template's
    state line instead of the meta and the "I'm here"), then as the server's items once sent."""
    from playwright.sync_api import expect

    facilitator = Facilitator(forum_server)
    try:
        topic = facilitator.call("topic:propose", {"id": str(uuid.uuid4()), "title": "Une session", "convener": "Ana"})
    finally:
        facilitator.close()
    topic = topic["topic"]["id"]
    phone = windows.page(phone_url(forum_server), watch=False, **PHONE)  # offline: the socket's errors
    joined(phone)
    phone.locator(f'#os-topics .os-topic[data-topic="{topic}"] button[type="submit"]').tap()
    card = phone.locator(f'.os-card[data-role="attending"][data-topic="{topic}"]')
    expect(card).to_be_visible(timeout=SECONDS)

    phone.context.set_offline(True)
    expect(phone.locator("#connection")).to_be_visible(timeout=SECONDS)
    phone.locator("#topic-title").fill("Proposé hors ligne")
    phone.locator("#topic-form button[type=submit]").tap()
    card.locator("[name=text]").fill("Écrite hors ligne")
    card.locator(".os-report-form button[type=submit]").tap()
    waiting_topic = phone.locator('#os-topics .os-topic[data-status="waiting"]')
    waiting_note = card.locator('.os-note[data-status="waiting"]')
    expect(waiting_topic).to_have_count(1)
    expect(waiting_note).to_have_count(1)
    assert waiting_topic.evaluate(OUTLINE) == ["LI.os-topic", "P.os-topic__title", "P.os-topic__state"]
    assert waiting_note.evaluate(OUTLINE) == ["LI.os-note", "P.os-note__text", "P.os-note__state"]
    assert waiting_topic.locator(".os-topic__state").inner_text().strip()

    phone.context.set_offline(False)
    sent = phone.locator('#os-topics .os-topic[data-status="sent"]', has_text="Proposé hors ligne")
    expect(sent).to_have_count(1, timeout=SECONDS)
    expect(card.locator('.os-note[data-status="sent"]', has_text="Écrite hors ligne")).to_have_count(1, timeout=SECONDS)
    assert sent.evaluate(OUTLINE)[:3] == ["LI.os-topic", "P.os-topic__title", "P.os-topic__meta"]


HOSTILE = "<img src=x onerror=alert(1)> & <b>gras</b>"


def test_the_world_cafe_items_added_by_the_script_look_as_the_server_renders_them(live_server, windows):
    """A note in "My notes", a table of the picker, a key idea of the harvest: the same outline
    live and from the server (one macro, templates/cafe/_cafe_phone_items.html); a note of the
    tablecloth gets its star button. A hostile text and name stay text in every copy."""
    from playwright.sync_api import expect

    code = live_server["code"]
    facilitator = Facilitator(live_server)
    dialogs = []
    try:
        block = facilitator.state["blocks"][0]
        facilitator.start(block["rounds"][0])
        host = open_phone(windows, live_server, 3)
        guest = open_phone(windows, live_server, 3)
        for page in (host, guest):
            page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
        host.locator("#host-form button").tap()
        expect(host.locator("#my-table-host")).to_have_attribute("data-me", "true", timeout=SECONDS)
        guest.locator("#name").fill(HOSTILE)
        guest.locator("#name-form button[type=submit]").tap()
        expect(guest.locator("#name-status")).not_to_be_empty(timeout=SECONDS)
        guest.locator("#note-text").fill(HOSTILE)
        guest.locator("#note-form button[type=submit]").tap()
        mine = guest.locator('#my-notes [data-status="sent"]')
        expect(mine).to_have_count(1, timeout=SECONDS)
        expect(mine.locator(".mine__text")).to_have_text(HOSTILE)
        expect(mine.locator(".mine__state")).not_to_be_empty()

        # The host's tablecloth gets the note live, with the guest's name, as text.
        note = host.locator(f'#tablecloth [data-note="{mine.get_attribute("data-note")}"]')
        expect(note).to_have_count(1, timeout=SECONDS)
        expect(note.locator(".cloth__text")).to_have_text(HOSTILE)
        expect(note.locator(".cloth__author")).to_have_text(HOSTILE)
        assert note.evaluate(OUTLINE) == [
            "LI.cloth__note",
            "P.cloth__text",
            "P.cloth__author",
            "BUTTON.star",
            "SPAN.star__icon",
            "SPAN.",
        ]
        note.locator("button").tap()
        expect(note).to_have_attribute("data-starred", "true", timeout=SECONDS)
        expect(host.locator('#tablecloth [data-starred="true"] button')).to_have_attribute("aria-pressed", "true")

        # The harvest: the host's key idea, live and from the server.
        facilitator.call("harvest:open", {"block": block["id"]})
        expect(host.locator("#harvest-form")).to_be_visible(timeout=SECONDS)
        host.locator("#harvest-text").fill("Une idée clé")
        host.locator("#harvest-form button[type=submit]").tap()
        idea = host.locator('#harvest-list [data-status="sent"]')
        expect(idea).to_have_count(1, timeout=SECONDS)

        for page, selectors in (
            (guest, {"note": f'#my-notes [data-note="{mine.get_attribute("data-note")}"]'}),
            (
                host,
                {
                    "idea": f'#harvest-list [data-note="{idea.get_attribute("data-note")}"]',
                    "table": '#picker-tables [value="3"]',
                },
            ),
        ):
            live = {name: page.locator(selector).evaluate(OUTLINE) for name, selector in selectors.items()}
            token = page.evaluate(f"JSON.parse(localStorage.getItem('workshop:{code}:token'))")
            server = page.evaluate(
                SERVER_OUTLINES, {"code": code, "token": token, "selectors": list(selectors.values())}
            )
            for name, selector in selectors.items():
                assert server[selector] is not None, f"the server renders no {name}"
                assert live[name] == server[selector], name
        for page in (host, guest):
            assert page.locator(":is(#my-notes, #cloth-rounds, #harvest-list) :is(img, b)").count() == 0
        assert dialogs == []
    finally:
        facilitator.close()
    windows.close_and_check()
