"""Everything by keyboard alone, in Chromium: the phone joins a table, gives its name and posts a
note; the console starts, extends and closes a round; curation selects notes, groups them into
themes, moves a note to another theme, reorders the themes and files a theme and a note under a
section; the Open Space console places a topic on the wall through its Options menu.

Controls are reached with Tab (never clicked, never focused by script), used with Enter, Space and
the arrow keys, and every control Tab lands on shows a visible focus ring."""

from __future__ import annotations

import json
import re
import uuid

import pytest

from browser.conftest import CONSOLE, PHONE, SECONDS, console_url, joined, phone_url

pytestmark = pytest.mark.browser

TAB_LIMIT = 150  # more stops than any page has: a control never reached fails

# What the focused element shows: its own outline, or that of what draws it (a hidden radio's
# label, a visually hidden checkbox's next sibling).
FOCUS_RING = """() => {
  const element = document.activeElement;
  const ring = (node) => {
    if (!node || node === document.body) return false;
    const style = getComputedStyle(node);
    return (style.outlineStyle !== "none" && parseFloat(style.outlineWidth) >= 2) ||
      (style.boxShadow !== "none" && style.boxShadow.includes("0px 0px 0px"));
  };
  if (!element || element === document.body) return null;
  const shown = ring(element) || ring(element.nextElementSibling) || ring(element.closest("label"));
  return shown ? "" : element.outerHTML.slice(0, 160);
}"""


class Keyboard:
    """Tabs through a page to a control, checking the focus ring of every stop on the way."""

    def __init__(self, page):
        self.page = page
        self.unringed: set[str] = set()

    def tab_to(self, selector: str, backwards: bool = False) -> None:
        key = "Shift+Tab" if backwards else "Tab"
        for _ in range(TAB_LIMIT):
            self.page.keyboard.press(key)
            missing = self.page.evaluate(FOCUS_RING)
            if missing:
                self.unringed.add(missing)
            if self.page.evaluate("(selector) => document.activeElement?.matches(selector) ?? false", selector):
                return
        pytest.fail(f"{selector} is not reachable with {key} within {TAB_LIMIT} stops on {self.page.url}")

    def choose(self, selector: str, value: str) -> None:
        """A closed <select> changes with the arrow keys (a change event at each step)."""
        self.tab_to(selector)
        values = self.page.locator(selector).evaluate("(s) => [...s.options].map((o) => o.value)")
        assert value in values, (selector, value, values)
        current = values.index(self.page.locator(selector).input_value())
        target = values.index(value)
        for _ in range(abs(target - current)):
            self.page.keyboard.press("ArrowDown" if target > current else "ArrowUp")
        assert self.page.locator(selector).input_value() == value

    def assert_focus_visible(self) -> None:
        assert not self.unringed, "focused without a visible focus ring:\n" + "\n".join(sorted(self.unringed))


def test_the_phone_joins_names_itself_and_posts_a_note_by_keyboard(live_server, windows, facilitator):
    from playwright.sync_api import expect

    facilitator.start(facilitator.state["blocks"][0]["rounds"][0])
    page = windows.page(phone_url(live_server), watch=False, **PHONE)
    joined(page)
    keys = Keyboard(page)
    # A walk-in during a World Café round is seated at once (issue 16); the picker changes it.
    expect(page.locator("#my-table-number")).to_contain_text(re.compile(r"\d"), timeout=SECONDS)
    keys.tab_to("#picker-summary")
    page.keyboard.press("Enter")

    keys.tab_to('#picker-tables button[value="2"]')
    page.keyboard.press("Enter")
    expect(page.locator("#my-table-number")).to_contain_text("2", timeout=SECONDS)

    keys.tab_to("#note-text")
    text = "Rejoindre les familles nouvellement arrivées"
    page.keyboard.type(text)
    keys.tab_to('#note-form input[name="color"]')  # the checked colour; the arrows choose another
    page.keyboard.press("ArrowRight")
    chosen = page.locator('#note-form input[name="color"]:checked').get_attribute("value")
    assert chosen != "yellow"
    keys.tab_to("#note-form button[type=submit]")
    page.keyboard.press("Enter")
    mine = page.locator('#my-notes [data-status="sent"]', has_text=text)
    expect(mine).to_be_visible(timeout=SECONDS)
    expect(mine).to_have_attribute("data-color", chosen)

    keys.tab_to("#name")
    page.keyboard.type("Amira")
    keys.tab_to("#name-form button[type=submit]")
    page.keyboard.press("Enter")
    facilitator.wait_for(lambda state: any(p["name"] == "Amira" and p["table"] == 2 for p in state["participants"]))
    keys.assert_focus_visible()


def test_the_console_starts_extends_and_closes_a_round_by_keyboard(live_server, windows, facilitator):
    from playwright.sync_api import expect

    block = next(b for b in facilitator.state["blocks"] if b["key"] == "4-mai-pm")
    facilitator.call("block:select", {"block": block["id"]})
    first = block["rounds"][0]
    page = windows.page(console_url(live_server), watch=False, **CONSOLE)
    expect(page.locator(".now-start")).to_be_visible(timeout=SECONDS)
    expect(page.locator(".now-start")).to_have_attribute("data-round", str(first["id"]))
    keys = Keyboard(page)

    keys.tab_to(".now-start button")
    page.keyboard.press("Enter")
    expect(page.locator(".now-panel")).to_have_attribute("data-status", "running", timeout=SECONDS)
    started = facilitator.round(first["id"])
    assert started["status"] == "running"

    keys.tab_to(".now-extend button")
    page.keyboard.press("Enter")
    # The status line may still say the start: the server is asked until it has the extension.
    facilitator.wait_for(
        lambda state: (
            next(r for b in state["blocks"] for r in b["rounds"] if r["id"] == first["id"])["ends_at"]
            > started["ends_at"]
        )
    )
    expect(page.locator("#console-status")).not_to_be_empty(timeout=SECONDS)

    keys.tab_to(".now-close button")
    page.keyboard.press("Enter")
    expect(page.locator(".now-close")).to_have_attribute("data-armed", "true")
    page.keyboard.press("Enter")  # the second press confirms
    expect(page.locator(f'.round[data-round="{first["id"]}"]')).to_have_attribute(
        "data-status", "closed", timeout=SECONDS
    )
    assert facilitator.round(first["id"])["status"] == "closed"
    keys.assert_focus_visible()


def test_curation_by_keyboard(live_server, windows, facilitator):
    """Select, group into a new theme, move a note to another theme, reorder, file under a section."""
    import socketio
    from playwright.sync_api import expect

    base, code = live_server["base_url"], live_server["code"]
    block = next(b for b in facilitator.state["blocks"] if b["key"] == "5-mai-am")
    facilitator.call("round:start", {"round": block["rounds"][0]["id"]})
    texts = [
        "Plus de rencontres de la Table",
        "Garder le contact entre les rencontres",
        "Ne plus fonctionner par appels de projets",
        "Financement sur 2-3 ans",
    ]
    with socketio.SimpleClient() as phone:
        phone.connect(base, transports=["websocket"])
        assert phone.call("join", {"code": code, "role": "participant", "table": 4})["ok"]
        notes = [phone.call("note:post", {"id": str(uuid.uuid4()), "text": text})["note"]["id"] for text in texts]

    def curation():
        state = facilitator.call("state:get", {})["state"]
        return (
            {n["id"]: n for n in state["notes"]},
            {t["title"]: t for t in state["themes"]},
            {s["title"]: s for s in state["sections"]},
        )

    page = windows.page(f"{base}/w/{code}/curate?key={live_server['facilitator_key']}", watch=False, **CONSOLE)
    expect(page.locator("#curate")).to_have_attribute("data-joined", "true", timeout=SECONDS)
    keys = Keyboard(page)

    # Two notes into a new theme: Space ticks them, Enter in the title field groups them.
    for note in notes[:2]:
        keys.tab_to(f'.cnote__pick[data-note="{note}"]')
        page.keyboard.press("Space")
        expect(page.locator(f'.cnote[data-note="{note}"]')).to_have_attribute("data-selected", "true")
    keys.tab_to("#group-title")
    page.keyboard.type("Fonctionnement de la Table")
    page.keyboard.press("Enter")
    expect(page.locator("#theme-list .theme")).to_have_count(1, timeout=SECONDS)
    # A second theme, from the third note.
    keys.tab_to(f'.cnote__pick[data-note="{notes[2]}"]', backwards=True)
    page.keyboard.press("Space")
    keys.tab_to("#group-title")
    page.keyboard.type("Mise en œuvre")
    page.keyboard.press("Enter")
    expect(page.locator("#theme-list .theme")).to_have_count(2, timeout=SECONDS)
    by_note, themes, _ = curation()
    table, work = themes["Fonctionnement de la Table"], themes["Mise en œuvre"]
    assert [by_note[n]["theme"] for n in notes[:3]] == [table["id"], table["id"], work["id"]]

    # The second note moves to the other theme: tick it, choose the theme, Group.
    keys.tab_to(f'.cnote__pick[data-note="{notes[1]}"]', backwards=True)
    page.keyboard.press("Space")
    keys.choose("#group-theme", str(work["id"]))
    keys.tab_to("#group-form button[type=submit]")
    page.keyboard.press("Enter")
    expect(page.locator(f'.cnote[data-note="{notes[1]}"] .pill--theme')).to_have_text("Mise en œuvre", timeout=SECONDS)
    assert curation()[0][notes[1]]["theme"] == work["id"]

    # The second theme goes up.
    keys.tab_to(f"#theme-up-{work['id']}")
    page.keyboard.press("Enter")
    expect(page.locator("#theme-list .theme").first).to_have_attribute("data-theme", str(work["id"]), timeout=SECONDS)

    # A section, then a theme and a note filed under it.
    keys.tab_to("#section-title")
    page.keyboard.type("Résultats préliminaires – Table")
    page.keyboard.press("Enter")
    expect(page.locator("#section-list .section")).to_have_count(1, timeout=SECONDS)
    section = curation()[2]["Résultats préliminaires – Table"]
    keys.choose(f"#theme-section-{table['id']}", str(section["id"]))
    expect(page.locator(".section__filed")).to_contain_text("Fonctionnement de la Table", timeout=SECONDS)
    keys.tab_to(f'.cnote__pick[data-note="{notes[3]}"]', backwards=True)
    page.keyboard.press("Space")
    keys.choose("#file-section", str(section["id"]))
    keys.tab_to("#file-form button[type=submit]")
    page.keyboard.press("Enter")
    expect(page.locator(f'.cnote[data-note="{notes[3]}"] .pill--section')).to_be_visible(timeout=SECONDS)
    by_note, themes, _ = curation()
    assert themes["Fonctionnement de la Table"]["section"] == section["id"]
    assert by_note[notes[3]]["section"] == section["id"]
    keys.assert_focus_visible()


def test_a_topic_goes_on_the_open_space_wall_by_keyboard(forum_server, windows):
    import socketio
    from playwright.sync_api import expect

    base, code = forum_server["base_url"], forum_server["code"]
    with socketio.SimpleClient() as phone:
        phone.connect(base, transports=["websocket"])
        assert phone.call("join", {"code": code, "role": "participant"})["ok"]
        topics = [
            phone.call("topic:propose", {"id": str(uuid.uuid4()), "title": title})["topic"]["id"]
            for title in ("Loger les familles nouvellement arrivées", "Un guichet unique pour les employeurs")
        ]
    page = windows.page(console_url(forum_server), watch=False, **CONSOLE)
    topic = topics[0]
    expect(page.locator(f'#os-market-list .os-ctopic[data-topic="{topic}"]')).to_be_visible(timeout=SECONDS)
    keys = Keyboard(page)

    # Escape closes an Options menu and gives the focus back to it.
    keys.tab_to(f'.os-ctopic[data-topic="{topics[1]}"] summary')
    page.keyboard.press("Enter")
    menu = page.locator(f'.os-ctopic[data-topic="{topics[1]}"] details')
    expect(menu).to_have_attribute("open", "")
    page.keyboard.press("Escape")
    expect(menu).not_to_have_attribute("open", "")

    keys.tab_to(f'.os-ctopic[data-topic="{topic}"] summary')
    page.keyboard.press("Enter")
    options = page.locator(f"#place-{topic} option")
    cell = options.nth(1).get_attribute("value")  # the first free cell
    keys.choose(f"#place-{topic}", cell)
    keys.tab_to(f'#os-market-list .os-ctopic[data-topic="{topic}"] .os-ctopic__place button')
    page.keyboard.press("Enter")
    slot, space = json.loads(cell)
    placed = page.locator(f'.os-gcell[data-slot="{slot}"][data-space="{space}"] .os-ctopic[data-topic="{topic}"]')
    expect(placed).to_be_visible(timeout=SECONDS)
    keys.assert_focus_visible()


def test_a_close_pressed_before_the_console_s_parts_come_back_still_closes(live_server, windows, facilitator):
    """The console's parts come from the server after each change; a press on the round right
    after another one (close just after extending) carries the round's new version at once, so
    the server does not take it for a repeat and drop it, even while the fragment is late."""
    from playwright.sync_api import expect

    block = next(b for b in facilitator.state["blocks"] if b["key"] == "5-mai-pm")
    facilitator.call("block:select", {"block": block["id"]})
    first = block["rounds"][0]
    page = windows.page(console_url(live_server), watch=False, **CONSOLE)
    expect(page.locator("#console[data-joined=true]")).to_have_count(1, timeout=SECONDS)
    expect(page.locator(".now-start")).to_have_attribute("data-round", str(first["id"]), timeout=SECONDS)
    page.locator(".now-start button").click()
    expect(page.locator(".now-panel")).to_have_attribute("data-status", "running", timeout=SECONDS)
    expect(page.locator(".now-close")).to_be_visible(timeout=SECONDS)

    page.route("**/facilitate/live", lambda route: route.abort())  # the server's parts never come back
    page.locator(".now-extend button").click()
    expect(page.locator("#console-status")).not_to_be_empty(timeout=SECONDS)
    close = page.locator(".now-close button")
    close.click()
    expect(page.locator(".now-close")).to_have_attribute("data-armed", "true")
    close.click()  # the second press confirms
    facilitator.wait_for(
        lambda state: (
            next(r for b in state["blocks"] for r in b["rounds"] if r["id"] == first["id"])["status"] == "closed"
        )
    )
