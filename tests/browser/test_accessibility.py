"""axe-core (from node_modules) run inside Chromium on every page, in the states people see: the
phone's join form, posting, hosting a World Café table, the move between rounds, the harvest, the
Open Space marketplace, wall, sessions and vote; the board; the console; curation; the printable
pages; the key forms; an error page. French and English for the phone and the console.

A violation of impact "serious" or "critical" fails the test, with its rule, the elements and the
help text, so a person can fix it. The phone page is held to more: WCAG's enhanced contrast (7:1
for body text), read on a phone in a bright room."""

from __future__ import annotations

import re
import uuid
from pathlib import Path

import pytest

from browser.conftest import PHONE, PROJECT_ROOT, SECONDS, joined

pytestmark = pytest.mark.browser

AXE = PROJECT_ROOT / "node_modules" / "axe-core" / "axe.min.js"
BLOCKING = ("serious", "critical")
WIDE = {"viewport": {"width": 1280, "height": 900}}
# Every visible control of the page measured (a radio or checkbox by the label that draws it).
SMALL_TARGETS = """() => [...document.querySelectorAll('a[href], button, input:not([type=hidden]), select, textarea, summary')]
  .filter((e) => e.getClientRects().length && getComputedStyle(e).visibility !== "hidden")
  .map((e) => {
    const label = (e.type === "radio" || e.type === "checkbox") && e.closest("label");
    const box = (label || e).getBoundingClientRect();
    return {box, html: e.outerHTML.slice(0, 120)};
  })
  .filter(({box}) => box.width > 1 && (box.width < 44 || box.height < 44))
  .map(({box, html}) => `${Math.round(box.width)}×${Math.round(box.height)} ${html}`)"""
BOARD = {"viewport": {"width": 1920, "height": 1080}}


@pytest.fixture(scope="module")
def axe_source() -> Path:
    if not AXE.exists():
        pytest.fail(f"{AXE} is missing: run `npm ci` (axe-core is a dev dependency in package.json)")
    return AXE


class Audit:
    """Runs axe on pages and keeps every blocking violation, to report them all at once."""

    def __init__(self, browser, axe: Path):
        self.browser, self.axe = browser, axe
        self.contexts = []
        self.problems: list[str] = []
        self.pages = 0

    def page(self, **options):
        # The app's CSP refuses injected scripts: only these audits bypass it.
        context = self.browser.new_context(bypass_csp=True, **options)
        self.contexts.append(context)
        return context.new_page()

    def check(self, page, what: str, phone: bool = False) -> None:
        """``phone``: WCAG's enhanced contrast too, and targets of 44 × 44 px at least for thumbs."""
        page.add_script_tag(path=str(self.axe))
        rules = {"color-contrast-enhanced": {"enabled": True}} if phone else {}
        violations = page.evaluate(
            """async (rules) => {
                const result = await axe.run(document, {resultTypes: ["violations"], rules});
                return result.violations.map((v) => ({
                    id: v.id, impact: v.impact, help: v.help, url: v.helpUrl,
                    nodes: v.nodes.map((n) => `${n.target.join(" ")}: ${(n.failureSummary || "").replace(/\\s+/g, " ")}`),
                }));
            }""",
            rules,
        )
        self.pages += 1
        if phone:
            for small in page.evaluate(SMALL_TARGETS):
                self.problems.append(f"{what} ({page.url}): a target smaller than 44 × 44 px: {small}")
        for v in violations:
            if v["impact"] in BLOCKING:
                nodes = "\n      ".join(v["nodes"][:8])
                self.problems.append(
                    f"{what} ({page.url}): [{v['impact']}] {v['id']}: {v['help']} ({v['url']})\n      {nodes}"
                )

    def close(self) -> None:
        for context in self.contexts:
            context.close()

    def assert_clean(self) -> None:
        assert self.pages > 0
        assert not self.problems, "accessibility violations:\n" + "\n".join(self.problems)


@pytest.fixture
def audit(browser, axe_source):
    audit = Audit(browser, axe_source)
    try:
        yield audit
    finally:
        audit.close()


def post_a_note(page, text: str) -> None:
    from playwright.sync_api import expect

    page.locator("#note-text").fill(text)
    page.locator("#note-form button[type=submit]").tap()
    expect(page.locator('#my-notes [data-status="sent"]', has_text=text)).to_be_visible(timeout=SECONDS)


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_the_phone_page_joining_and_posting(live_server, facilitator, audit, lang):
    from playwright.sync_api import expect

    base, code = live_server["base_url"], live_server["code"]
    facilitator.start(facilitator.block("4-mai-am")["rounds"][0])

    phone = audit.page(**PHONE)
    phone.goto(f"{base}/j/{code}?lang={lang}")
    joined(phone)
    # A walk-in during a World Café round is seated where tables stay even (issue 16); the
    # picker still lets them change.
    expect(phone.locator("#my-table-number")).to_contain_text(re.compile(r"\d"), timeout=SECONDS)
    phone.locator("#picker-summary").tap()
    expect(phone.locator("#table-picker")).to_have_attribute("open", "")
    audit.check(phone, f"phone, join form ({lang})", phone=True)

    phone.locator('#picker-tables button[value="1"]').tap()
    expect(phone.locator("#my-table-number")).to_contain_text("1", timeout=SECONDS)
    post_a_note(phone, "Rejoindre les jeunes là où ils sont" if lang == "fr" else "Reach young people where they are")
    phone.locator("#name").fill("Marie")
    audit.check(phone, f"phone, posting ({lang})", phone=True)
    audit.assert_clean()


def test_the_phone_page_in_the_world_cafe_states(live_server, facilitator, audit):
    """Hosting and the tablecloth, the move between two rounds, the harvest (host and guest)."""
    from playwright.sync_api import expect

    base, code = live_server["base_url"], live_server["code"]
    block = facilitator.block("4-mai-pm")
    facilitator.start(block["rounds"][0])

    host = audit.page(**PHONE)
    host.goto(f"{base}/j/{code}?table=2")
    joined(host)
    host.locator("#host-form button").tap()
    expect(host.locator("#my-table-host")).to_have_attribute("data-me", "true", timeout=SECONDS)
    post_a_note(host, "Un projet de parrainage entre entreprises")
    expect(host.locator("#tablecloth .cloth__note")).not_to_have_count(0, timeout=SECONDS)
    audit.check(host, "phone, host and tablecloth", phone=True)

    guest = audit.page(**PHONE)
    guest.goto(f"{base}/j/{code}?table=2")
    joined(guest)
    post_a_note(guest, "Des stages dans les MRC")
    facilitator.call("round:close", {"round": block["rounds"][0]["id"]})
    expect(guest.locator("#move")).to_be_visible(timeout=SECONDS)
    audit.check(guest, "phone, the move to another table", phone=True)

    facilitator.call("harvest:open", {"block": block["id"]})
    expect(host.locator("#harvest-form")).to_be_visible(timeout=SECONDS)
    host.locator("#harvest-text").fill("Un comité régional des employeurs")
    host.locator("#harvest-form button[type=submit]").tap()
    expect(host.locator('#harvest-list [data-status="sent"]')).to_have_count(1, timeout=SECONDS)
    audit.check(host, "phone, the host's harvest", phone=True)
    guest.reload()
    expect(guest.locator("#harvest")).to_be_visible(timeout=SECONDS)
    audit.check(guest, "phone, a guest during the harvest", phone=True)
    facilitator.call("harvest:close", {"block": block["id"]})
    audit.assert_clean()


def test_the_board_console_curation_and_printable_pages(live_server, facilitator, audit):
    from playwright.sync_api import expect

    base, code, key = live_server["base_url"], live_server["code"], live_server["facilitator_key"]
    block = facilitator.block("5-mai-am")
    facilitator.start(block["rounds"][0])
    import socketio

    with socketio.SimpleClient() as phone:
        phone.connect(base, transports=["websocket"])
        assert phone.call("join", {"code": code, "role": "participant", "table": 3, "name": "Luc"})["ok"]
        notes = [
            phone.call("note:post", {"id": str(uuid.uuid4()), "text": text, "color": color})["note"]["id"]
            for text, color in [
                ("Plus de rencontres de la Table", "blue"),
                ("Garder le contact", "pink"),
                ("Ouvrir l’ordre du jour", "green"),
            ]
        ]
        # A moderated round: the console shows the modes panel and a note waiting in its queue.
        facilitator.call("round:settings", {"round": block["rounds"][0]["id"], "moderated": True})
        waiting = phone.call("note:post", {"id": str(uuid.uuid4()), "text": "Une note à valider"})["note"]
        assert waiting["approved"] is False
    theme = facilitator.call("theme:create", {"title": "Fonctionnement de la Table", "notes": notes[:2]})["theme"]
    section = facilitator.call("section:create", {"title": "Résultats préliminaires – Table"})["section"]
    facilitator.call("section:file", {"section": section["id"], "themes": [theme["id"]]})
    facilitator.call("note:star", {"note": notes[0], "starred": True})

    board = audit.page(**BOARD)
    board.goto(f"{base}/w/{code}/board")
    expect(board.locator(".sticky").first).to_be_visible(timeout=SECONDS)
    audit.check(board, "board, a round running")
    # « Ce que la salle a dit »: the key terms, a named list, each term with its count in words.
    assert facilitator.call("board:view", {"view": "terms"})["ok"]
    expect(board.locator("#terms .term").first).to_be_visible(timeout=SECONDS)
    audit.check(board, "board, what the room said")
    assert facilitator.call("board:view", {"view": "live"})["ok"]
    expect(board.locator("#wall")).to_be_visible(timeout=SECONDS)

    for lang in ("fr", "en"):
        console = audit.page(**WIDE)
        console.goto(f"{base}/w/{code}/facilitate?key={key}&lang={lang}")
        expect(console.locator(".live__note").first).to_be_visible(timeout=SECONDS)
        expect(console.locator(f'.live__note[data-note="{waiting["id"]}"] .live__approve')).to_be_visible()
        expect(console.locator(".modes-approve")).to_be_visible()
        audit.check(console, f"console, a note waiting for approval ({lang})")
    console.locator(".now-close button").click()
    console.locator(".now-close button").click()  # the second press confirms
    expect(console.locator(".now-start")).to_be_visible(timeout=SECONDS)
    audit.check(console, "console, between two rounds (en)")

    curate = console.context.new_page()
    curate.goto(f"{base}/w/{code}/curate")
    expect(curate.locator("#curate")).to_have_attribute("data-joined", "true", timeout=SECONDS)
    curate.locator(f'.cnote__pick[data-note="{notes[2]}"]').check()
    curate.locator(".theme__details summary").first.click()
    expect(curate.locator("#block-terms .term-pick").first).to_be_visible(timeout=SECONDS)
    audit.check(curate, "curation")

    for path, what in [
        ("cards", "table cards"),
        (f"blocks/{block['id']}/plan", "rotation plan"),
        ("results", "secretariat page"),
        ("results.html", "printable results"),
        ("proceedings", "proceedings"),
    ]:
        page = console.context.new_page()
        response = page.goto(f"{base}/w/{code}/{path}")
        assert response.status == 200, (path, response.status)
        audit.check(page, what)

    stranger = audit.page(**WIDE)
    for path, what, status in [
        (f"/w/{code}/facilitate", "facilitator key page", 403),
        (f"/w/{code}/results", "results key page", 403),
        ("/w/NOSUCH/board", "error page", 404),
    ]:
        response = stranger.goto(base + path)
        assert response.status == status, (path, response.status)
        audit.check(stranger, what)
    audit.assert_clean()


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_the_open_space_pages(forum_server, forum_facilitator, audit, lang):
    """The phone's marketplace, wall, sessions and report form, then the vote; the console's panel
    with a topic's Options open; the board's wall and ranking; the proceedings and space cards."""
    from playwright.sync_api import expect

    base, code, key = forum_server["base_url"], forum_server["code"], forum_server["facilitator_key"]
    # One phase of the Forum ouvert per language: each starts with an empty wall and no vote.
    phases = [b for b in forum_facilitator.state["blocks"] if b["method"] == "open-space"]
    block = phases[0] if lang == "fr" else phases[1]
    forum_facilitator.call("block:select", {"block": block["id"]})

    phone = audit.page(**PHONE)
    phone.goto(f"{base}/j/{code}?lang={lang}")
    joined(phone)
    title = f"Loger les familles nouvellement arrivées ({lang})"
    phone.locator("#topic-title").fill(title)
    phone.locator("#topic-form button[type=submit]").tap()
    mine = phone.locator('#os-topics .os-topic[data-status="sent"]', has_text=title)
    expect(mine).to_have_count(1, timeout=SECONDS)
    topic = mine.get_attribute("data-topic")
    fresh = next(b for b in forum_facilitator.call("state:get", {})["state"]["blocks"] if b["id"] == block["id"])
    taken = {(cell["slot"], cell["space"]) for cell in fresh["wall"]["cells"] if cell["topic"]}
    slot, space = next(
        (slot["id"], space["id"])
        for slot in fresh["wall"]["slots"]
        for space in fresh["wall"]["spaces"]
        if (slot["id"], space["id"]) not in taken
    )
    forum_facilitator.call("topic:schedule", {"topic": topic, "slot": slot, "space": space})
    phone.locator(f'#os-wall .os-cell[data-topic="{topic}"] button').tap()
    expect(phone.locator(f'.os-card[data-role="attending"][data-topic="{topic}"]')).to_be_visible(timeout=SECONDS)
    audit.check(phone, f"phone, Open Space wall and my session ({lang})", phone=True)

    console = audit.page(**WIDE)
    console.goto(f"{base}/w/{code}/facilitate?key={key}&lang={lang}")
    expect(console.locator(f'.os-gcell .os-ctopic[data-topic="{topic}"]')).to_be_visible(timeout=SECONDS)
    console.locator("#os-wall-editor summary").click()
    console.locator(f'.os-ctopic[data-topic="{topic}"] summary').click()
    audit.check(console, f"console, Open Space ({lang})")

    board = audit.page(**BOARD)
    board.goto(f"{base}/w/{code}/board?lang={lang}")
    expect(board.locator("#agenda")).to_be_visible(timeout=SECONDS)
    expect(board.locator(f'.agenda-grid__cell[data-topic="{topic}"]')).to_have_count(1, timeout=SECONDS)
    audit.check(board, f"board, Open Space wall ({lang})")

    # A second topic nobody votes for: once the vote closes, the board shows it not selected.
    forum_facilitator.call(
        "topic:propose", {"id": str(uuid.uuid4()), "title": f"Le transport en commun ({lang})", "convener": "Marc"}
    )
    forum_facilitator.call("vote:open", {"block": block["id"], "dots": 3, "top": 1})
    expect(phone.locator("#os-vote")).to_be_visible(timeout=SECONDS)
    phone.locator(f'.os-ballot__item[data-target="topic:{topic}"] [data-vote="cast"]').tap()
    expect(phone.locator(".os-dots")).to_have_attribute("data-left", "2", timeout=SECONDS)
    audit.check(phone, f"phone, the dot vote ({lang})", phone=True)
    expect(board.locator('#agenda[data-view="vote"]')).to_have_count(1, timeout=SECONDS)
    audit.check(board, f"board, the dot vote ({lang})")
    forum_facilitator.call("vote:close", {"block": block["id"]})
    expect(console.locator("#os-plan")).to_be_visible(timeout=SECONDS)
    audit.check(console, f"console, action planning ({lang})")
    expect(board.locator('#agenda[data-view="result"] .ranking__item[data-selected="false"]')).to_have_count(
        1, timeout=SECONDS
    )
    expect(board.locator(f'.ranking__item[data-topic="{topic}"]')).to_have_attribute("data-selected", "true")
    audit.check(board, f"board, the priorities ({lang})")

    for path, what in [("proceedings", "proceedings"), ("cards", "space cards")]:
        page = console.context.new_page()
        assert page.goto(f"{base}/w/{code}/{path}?lang={lang}").status == 200
        audit.check(page, f"{what} ({lang})")
    audit.assert_clean()
