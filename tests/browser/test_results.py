"""Curation in a real browser: two notes grouped into a theme on the curation page show up under
that theme in the printable results."""

from __future__ import annotations

import os
import uuid

import pytest

from browser.conftest import SECONDS, join_over_socket, start_first_round_over_socket

pytestmark = pytest.mark.browser

THEME = "Fonctionnement de la Table"
TEXTS = ["Plus de rencontres de la Table (4 à 6 par année)", "Garder le contact entre les rencontres"]


def post_notes(live_server) -> None:
    """A facilitator starts the first round and a phone at table 1 posts two notes (over Socket.IO)."""
    import socketio

    with socketio.SimpleClient() as facilitator, socketio.SimpleClient() as phone:
        start_first_round_over_socket(facilitator, live_server)
        join_over_socket(phone, live_server, "participant", table=1, name="Marie")
        for text in TEXTS:
            ack = phone.call("note:post", {"id": str(uuid.uuid4()), "text": text})
            assert ack["ok"], ack


def test_grouping_two_notes_into_a_theme_shows_in_the_results(live_server, browser):
    from playwright.sync_api import expect

    post_notes(live_server)
    base, code = live_server["base_url"], live_server["code"]
    problems: list[str] = []
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-US")
    try:
        page = context.new_page()
        page.on("pageerror", lambda error: problems.append(str(error)))
        # CSP violations and script errors are console errors; failed loads are checked by URL
        # (the browser's own favicon probe aside).
        page.on(
            "console",
            lambda m: (
                m.type == "error" and not m.text.startswith("Failed to load resource") and problems.append(m.text)
            ),
        )
        page.on(
            "response",
            lambda r: r.status >= 400 and not r.url.endswith("/favicon.ico") and problems.append(f"{r.status} {r.url}"),
        )
        response = page.goto(f"{base}/w/{code}/curate?key={live_server['facilitator_key']}&lang=en")
        assert "key=" not in page.url
        # The app's strict policy (scripts and styles from files only): a violation is a console error.
        assert "script-src 'self'" in response.headers["content-security-policy"]
        expect(page.locator("#curate")).to_have_attribute("data-joined", "true", timeout=SECONDS)
        for text in TEXTS:
            page.locator(".cnote", has_text=text).locator(".cnote__pick").check()
        expect(page.locator("#selection-count")).to_have_text("2 notes selected")
        page.locator("#group-title").fill(THEME)
        page.locator("#group-form button[type=submit]").click()

        theme = page.locator("#theme-list .theme")
        expect(theme).to_have_count(1, timeout=SECONDS)
        expect(theme.locator(".theme__title")).to_have_value(THEME)
        expect(theme.locator(".theme__count")).to_have_text("2 notes")
        for text in TEXTS:
            expect(page.locator(".cnote", has_text=text).locator(".pill--theme")).to_have_text(THEME)
        expect(page.locator("#selection-count")).to_have_text("No note selected")

        star = page.locator(".cnote", has_text=TEXTS[0]).locator(".cnote__star")
        star.click()
        expect(star).to_have_attribute("aria-pressed", "true", timeout=SECONDS)
        if os.environ.get("SHOTS_DIR"):
            page.screenshot(path=os.path.join(os.environ["SHOTS_DIR"], "curate.png"), full_page=True)

        results = context.new_page()
        results.goto(f"{base}/w/{code}/results.html")  # the facilitator key is in the session
        heading = results.locator("h3", has_text=THEME).first
        expect(heading).to_be_visible()
        listed = results.locator(f"h3:has-text('{THEME}') + ul.notes").first
        for text in TEXTS:
            expect(listed).to_contain_text(text)
        expect(results.locator("h5", has_text=THEME)).to_have_count(1)  # under table 1 of round 1
        expect(results.locator("h1")).to_have_text("Résultats préliminaires")
    finally:
        context.close()
    assert problems == []


def test_a_second_curation_page_sees_a_theme_made_on_the_first_through_the_fragment(live_server, windows):
    """Two facilitators curate at once: a theme one makes appears on the other's page, rendered by
    the server (GET /w/CODE/curate/fragment) and swapped in, while what the other person was doing
    stays: their ticked note, the title they are typing, the focus."""
    import socketio
    from playwright.sync_api import expect

    base, code = live_server["base_url"], live_server["code"]
    texts = ["Un calendrier commun des rencontres", "Un bulletin entre les rencontres"]
    with socketio.SimpleClient() as facilitator, socketio.SimpleClient() as phone:
        start_first_round_over_socket(facilitator, live_server)
        join_over_socket(phone, live_server, "participant", table=2, name="Awa")
        notes = [phone.call("note:post", {"id": str(uuid.uuid4()), "text": text})["note"]["id"] for text in texts]

    url = f"{base}/w/{code}/curate?key={live_server['facilitator_key']}&lang=en"
    first = windows.page(url, viewport={"width": 1280, "height": 900})
    second = windows.page(url, viewport={"width": 1280, "height": 900})
    for page in (first, second):
        expect(page.locator("#curate")).to_have_attribute("data-joined", "true", timeout=SECONDS)
    fetched: list[str] = []
    second.on("request", lambda request: "/curate/fragment" in request.url and fetched.append(request.url))

    # The second person ticks a note and starts typing a section's title.
    second.locator(f'.cnote__pick[data-note="{notes[1]}"]').check()
    expect(second.locator("#selection-count")).to_have_text("1 note selected")
    second.locator("#section-title").fill("Brouillon")

    # The first makes a theme of the other note.
    first.locator(f'.cnote__pick[data-note="{notes[0]}"]').check()
    first.locator("#group-title").fill("Calendrier")
    first.locator("#group-form button[type=submit]").click()
    expect(first.locator("#theme-list .theme", has_text="Calendrier")).to_have_count(1, timeout=SECONDS)

    theme = second.locator("#theme-list .theme").filter(has=second.locator('input[value="Calendrier"]'))
    expect(theme).to_have_count(1, timeout=SECONDS)
    expect(theme.locator(".theme__count")).to_have_text("1 note")
    expect(second.locator(f'.cnote[data-note="{notes[0]}"] .pill--theme')).to_have_text("Calendrier")
    expect(second.locator("#group-theme option", has_text="Calendrier")).to_have_count(1)
    assert fetched and all(f"/w/{code}/curate/fragment?" in each for each in fetched)
    # What the second person was doing is still there.
    expect(second.locator(f'.cnote__pick[data-note="{notes[1]}"]')).to_be_checked()
    expect(second.locator(f'.cnote[data-note="{notes[1]}"]')).to_have_attribute("data-selected", "true")
    expect(second.locator("#selection-count")).to_have_text("1 note selected")
    expect(second.locator("#section-title")).to_have_value("Brouillon")

    # A title being typed in a swapped region survives the next swap, with the focus.
    title = second.locator("#theme-list .theme__title").last
    title.fill("Calendrier commun")
    title.focus()
    count = len(fetched)
    first.locator(f'.cnote[data-note="{notes[0]}"] .cnote__star').click()
    expect(second.locator(f'.cnote[data-note="{notes[0]}"] .cnote__star')).to_have_attribute(
        "aria-pressed", "true", timeout=SECONDS
    )
    assert len(fetched) > count
    expect(second.locator("#theme-list .theme__title").last).to_have_value("Calendrier commun")
    expect(second.locator("#theme-list .theme__title").last).to_be_focused()
    windows.close_and_check()
