"""The projector in a real browser: the console switches it to the preliminary results and back,
curation shows there live, and the countdown changes in the last minute (with the chime)."""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import urllib.request
import uuid

import pytest

from browser.conftest import (
    BOARD,
    SECONDS,
    board_url,
    console_url,
    join_over_socket,
    open_board,
    start_first_round_over_socket,
)

pytestmark = pytest.mark.browser

SECTION = "Résultats préliminaires – Table"
INTRO = "Ce que la **Table** retient pour son fonctionnement."
THEME = "Fonctionnement de la Table"
RENAMED = "Le fonctionnement de la Table"
LOOSE = "Gouvernance"
TEXTS = ["Plus de rencontres de la Table", "Garder le contact entre les rencontres", "Une présidence tournante"]

# Records the chimes instead of sounding them: the frequency of every note started.
FAKE_AUDIO = """
window.__chimes = [];
class FakeParam { setValueAtTime() {} exponentialRampToValueAtTime() {} linearRampToValueAtTime() {} }
class FakeNode { connect(node) { return node; } disconnect() {} }
class FakeOscillator extends FakeNode {
  constructor() { super(); this.type = "sine"; this.frequency = Object.assign(new FakeParam(), { value: 0 }); }
  start() { window.__chimes.push(this.frequency.value); }
  stop() {}
}
class FakeGain extends FakeNode { constructor() { super(); this.gain = new FakeParam(); } }
window.AudioContext = class {
  constructor() { this.state = "running"; this.currentTime = 0; this.destination = new FakeNode(); }
  resume() { return Promise.resolve(); }
  createOscillator() { return new FakeOscillator(); }
  createGain() { return new FakeGain(); }
};
"""


def curate(live_server) -> dict:
    """Over Socket.IO: the first round runs, table 1 posts three notes, the facilitator stars the
    last one, groups two into a theme filed under a section, and the third into a loose theme."""
    import socketio

    with socketio.SimpleClient() as facilitator, socketio.SimpleClient() as phone:
        first = start_first_round_over_socket(facilitator, live_server)
        join_over_socket(phone, live_server, "participant", table=1, name="Marie")
        notes = []
        for text in TEXTS:
            ack = phone.call("note:post", {"id": str(uuid.uuid4()), "text": text})
            assert ack["ok"], ack
            notes.append(ack["note"]["id"])
        assert facilitator.call("note:star", {"note": notes[1]})["ok"]
        theme = facilitator.call("theme:create", {"title": THEME, "notes": notes[:2]})
        assert theme["ok"], theme
        loose = facilitator.call("theme:create", {"title": LOOSE, "notes": notes[2:]})
        assert loose["ok"], loose
        section = facilitator.call("section:create", {"title": SECTION, "intro": INTRO})
        assert section["ok"], section
        filed = facilitator.call(
            "section:file", {"section": section["section"]["id"], "themes": [theme["theme"]["id"]]}
        )
        assert filed["ok"], filed
        return {"notes": notes, "theme": theme["theme"]["id"], "round": first["id"]}


def as_facilitator(live_server, event: str, payload: dict) -> dict:
    import socketio

    with socketio.SimpleClient() as facilitator:
        join_over_socket(facilitator, live_server, "facilitator")
        ack = facilitator.call(event, payload)
        assert ack["ok"], ack
        return ack


def board_state(live_server) -> dict:
    with urllib.request.urlopen(
        f"{live_server['base_url']}/w/{live_server['code']}/board/state.json", timeout=10
    ) as response:
        return json.load(response)


def test_the_console_shows_the_results_on_the_board_and_curation_follows_live(live_server, windows):
    from playwright.sync_api import expect

    data = curate(live_server)
    board = open_board(windows, live_server)
    expect(board.locator('.column[data-table="1"] .sticky', has_text=TEXTS[0])).to_be_visible(timeout=SECONDS)
    results = board.locator("#results")
    expect(results).to_be_hidden()

    console = windows.page(console_url(live_server), viewport={"width": 1280, "height": 800})
    switch = console.locator("#board-view")
    live_button = switch.locator('button[value="live"]')
    results_button = switch.locator('button[value="results"]')
    expect(live_button).to_have_attribute("aria-pressed", "true")
    expect(switch).to_have_attribute("data-joined", "true", timeout=SECONDS)
    results_button.click()
    expect(results_button).to_have_attribute("aria-pressed", "true", timeout=SECONDS)
    expect(live_button).to_have_attribute("aria-pressed", "false")
    expect(console.locator("#board-view-status")).not_to_be_empty()  # said by the script: no page load

    # The board: the section with its introduction (Markdown as text, never as markup), the
    # theme under it with the starred note first and marked, then the loose theme.
    expect(board.locator("body")).to_have_class(re.compile(r"\bboard--results\b"), timeout=SECONDS)
    expect(results).to_be_visible()
    expect(board.locator("#wall")).to_be_hidden()
    section = results.locator(".rgroup--section")
    expect(section.locator(".rgroup__title")).to_have_text(SECTION)
    expect(section.locator(".rintro")).to_contain_text("retient pour son fonctionnement")
    expect(section.locator(".rintro strong")).to_have_text("Table")
    expect(section.locator(".rintro")).not_to_contain_text("**")
    theme = section.locator(f'.rtheme[data-theme="{data["theme"]}"]')
    expect(theme.locator(".rtheme__name")).to_have_text(THEME)
    items = theme.locator(".rnote")
    expect(items).to_have_count(2)
    expect(items.nth(0)).to_have_attribute("data-starred", "true")
    expect(items.nth(0)).to_contain_text(TEXTS[1])
    expect(items.nth(0).locator(".star-mark")).to_have_count(1)
    expect(items.nth(1)).to_have_attribute("data-starred", "false")
    expect(items.nth(1)).to_contain_text(TEXTS[0])
    block = results.locator(".rgroup--block")
    expect(block.locator(".rgroup__question")).to_contain_text("principaux défis")
    expect(block.locator(".rtheme__name")).to_have_text(LOOSE)
    expect(block.locator(".rnote")).to_have_text([TEXTS[2]])
    # The section comes first, then the themes of no section.
    assert results.locator(".rgroup").first.get_attribute("class").count("rgroup--section") == 1
    # Large type: the notes read from the back of the room.
    size = float(items.nth(0).evaluate("node => parseFloat(getComputedStyle(node).fontSize)"))
    assert size >= 22, size
    if os.environ.get("SHOTS_DIR"):
        board.screenshot(path=os.path.join(os.environ["SHOTS_DIR"], "board-results.png"))

    # Curation from elsewhere shows live: a renamed theme, a note starred.
    as_facilitator(live_server, "theme:update", {"theme": data["theme"], "title": RENAMED})
    expect(theme.locator(".rtheme__name")).to_have_text(RENAMED, timeout=SECONDS)
    as_facilitator(live_server, "note:star", {"note": data["notes"][0]})
    expect(theme.locator('.rnote[data-starred="true"]')).to_have_count(2, timeout=SECONDS)
    as_facilitator(live_server, "notes:group", {"notes": [data["notes"][2]], "theme": data["theme"]})
    expect(theme.locator(".rnote")).to_have_count(3, timeout=SECONDS)
    expect(block.locator(".rnote")).to_have_count(0)

    # Back to the live wall, from the console.
    live_button.click()
    expect(live_button).to_have_attribute("aria-pressed", "true", timeout=SECONDS)
    expect(results).to_be_hidden(timeout=SECONDS)
    expect(board.locator("body")).not_to_have_class(re.compile(r"\bboard--results\b"))
    expect(board.locator('.column[data-table="1"] .sticky', has_text=TEXTS[0])).to_be_visible()

    # A board opened while the results show starts on them.
    as_facilitator(live_server, "board:view", {"view": "results"})
    board.reload()
    expect(board.locator("#results .rtheme__name", has_text=RENAMED)).to_be_visible(timeout=SECONDS)
    expect(console.locator('#board-view button[value="results"]')).to_have_attribute(
        "aria-pressed", "true", timeout=SECONDS
    )
    as_facilitator(live_server, "board:view", {"view": "live"})
    expect(results).to_be_hidden(timeout=SECONDS)
    windows.close_and_check()


def test_the_countdown_turns_in_the_last_minute_and_chimes(live_server, windows):
    from playwright.sync_api import expect

    state = board_state(live_server)
    rounds = {r["id"]: r for b in state["blocks"] for r in b["rounds"]}
    current = rounds.get(state["current"]["round"]) or state["blocks"][0]["rounds"][0]
    if current["status"] != "running":
        as_facilitator(live_server, "round:start", {"round": current["id"]})
    context = windows.context(**BOARD)
    context.add_init_script(FAKE_AUDIO)
    board = windows.page(board_url(live_server), context=context)
    timer = board.locator("#timer")
    expect(timer).to_have_text(re.compile(r"^\d+:\d\d$"), timeout=SECONDS)
    expect(timer).to_have_attribute("data-status", "running")

    # The chime: off by default, on once ticked (heard once then), remembered.
    chime = board.locator("#chime")
    expect(chime).to_be_visible()
    expect(chime).not_to_be_checked()
    chime.check()
    assert board.evaluate("window.__chimes.length") == 2
    assert board.evaluate("localStorage.getItem('workshop:board:chime')") == "on"
    board.reload()
    expect(board.locator("#chime")).to_be_checked()
    expect(timer).to_have_text(re.compile(r"^\d+:\d\d$"), timeout=SECONDS)
    assert board.evaluate("window.__chimes.length") == 0
    # Joined first: the state the join brings sets the page's clock to the server's again.
    expect(board.locator("#board")).to_have_attribute("data-joined", "true", timeout=SECONDS)

    # Time moves on in the page only: to 40 s before the end.
    state = board_state(live_server)
    ends = next(r for b in state["blocks"] for r in b["rounds"] if r["id"] == state["current"]["round"])["ends_at"]
    left = dt.datetime.fromisoformat(ends.replace("Z", "+00:00")) - dt.datetime.fromisoformat(
        state["now"].replace("Z", "+00:00")
    )
    board.clock.install()
    board.clock.fast_forward(int((left.total_seconds() - 40) * 1000))
    expect(timer).to_have_attribute("data-status", "last-minute", timeout=SECONDS)
    expect(timer).to_have_class(re.compile(r"\bboard-head__timer--last-minute\b"))
    expect(timer).to_have_text(re.compile(r"^0:[0-5]\d$"))
    assert board.evaluate("window.__chimes") == [659.25, 523.25]  # once, at the minute
    if os.environ.get("SHOTS_DIR"):
        board.screenshot(path=os.path.join(os.environ["SHOTS_DIR"], "board-last-minute.png"))
    colour = timer.evaluate("node => getComputedStyle(node).color")

    board.clock.fast_forward(45_000)
    expect(timer).to_have_attribute("data-status", "over", timeout=SECONDS)
    expect(timer).to_have_class(re.compile(r"\bboard-head__timer--over\b"))
    expect(timer).not_to_have_class(re.compile(r"\bboard-head__timer--last-minute\b"))
    expect(timer).not_to_have_text(re.compile(r"\d:\d\d"))  # time's up, in words
    assert timer.evaluate("node => getComputedStyle(node).backgroundColor") != "rgb(15, 21, 30)"
    assert colour != "rgb(255, 255, 255)"
    assert board.evaluate("window.__chimes") == [659.25, 523.25, 523.25, 392.0]  # and once at zero
    windows.close_and_check()


def test_many_notes_fit_the_results_view_with_every_theme_and_highlight(live_server, windows):
    """Five themes of twelve notes: the view keeps every theme and starred note on the screen, in
    type still large, and counts the notes it leaves out."""
    import socketio
    from playwright.sync_api import expect

    starred = []
    with socketio.SimpleClient() as facilitator:
        join_over_socket(facilitator, live_server, "facilitator")
        section = facilitator.call("section:create", {"title": "Résultats préliminaires – Mise en œuvre"})["section"]
        for table in range(1, 6):
            with socketio.SimpleClient() as phone:
                join_over_socket(phone, live_server, "participant", table=table)
                ids = []
                for n in range(12):
                    text = (
                        f"Idée {table}.{n} : favoriser l’insertion en emploi des personnes immigrantes par le mentorat"
                    )
                    ack = phone.call("note:post", {"id": str(uuid.uuid4()), "text": text})
                    assert ack["ok"], ack
                    ids.append(ack["note"]["id"])
            theme = facilitator.call("theme:create", {"title": f"Mise en œuvre, table {table}", "notes": ids})["theme"]
            assert facilitator.call("note:star", {"note": ids[7]})["ok"]
            starred.append(ids[7])
            if table % 2:
                assert facilitator.call("section:file", {"section": section["id"], "themes": [theme["id"]]})["ok"]
        assert facilitator.call("board:view", {"view": "results"})["ok"]

    board = open_board(windows, live_server)
    flow = board.locator("#results-flow")
    expect(flow.locator(".rtheme__name", has_text="Mise en œuvre, table 5")).to_be_visible(timeout=SECONDS)
    assert flow.evaluate("node => node.scrollWidth <= node.clientWidth + 1")
    assert float(flow.get_attribute("data-fit")) >= 0.8
    width, height = BOARD["viewport"]["width"], BOARD["viewport"]["height"]
    themes = flow.locator(".rtheme")
    assert themes.count() >= 7  # the five new ones and the first test's two
    for index in range(themes.count()):
        box = themes.nth(index).bounding_box()
        assert box and box["x"] >= 0 and box["x"] + box["width"] <= width and box["y"] + box["height"] <= height, box
    for note in starred:
        expect(flow.locator(f'.rnote[data-note="{note}"][data-starred="true"]')).to_be_visible()
    expect(flow.locator(".rmore:not([hidden])").first).to_have_text(re.compile(r"^\+ \d+ "))
    as_facilitator(live_server, "board:view", {"view": "live"})
    expect(board.locator("#results")).to_be_hidden(timeout=SECONDS)
    windows.close_and_check()


def test_the_results_show_an_open_space_vote_priorities(forum_server, windows):
    """The Forum ouvert: three topics, dots cast, the vote closed; the results view ranks the
    topics that got dots, the selected one marked, in place of the agenda wall."""
    import socketio
    from playwright.sync_api import expect

    titles = ["Logement abordable", "Emploi des jeunes", "École et familles"]
    with socketio.SimpleClient() as facilitator, socketio.SimpleClient() as phone:
        block = join_over_socket(facilitator, forum_server, "facilitator")["state"]["blocks"][0]
        assert block["method"] == "open-space"
        topics = []
        for title in titles:
            ack = facilitator.call("topic:propose", {"id": str(uuid.uuid4()), "title": title})
            assert ack["ok"], ack
            topics.append(ack["topic"]["id"])
        assert facilitator.call("vote:open", {"block": block["id"], "dots": 3, "top": 1})["ok"]
        join_over_socket(phone, forum_server, "participant")
        for topic in (topics[1], topics[1], topics[2]):
            assert phone.call("vote:cast", {"target": "topic", "id": topic})["ok"]
        closed = facilitator.call("vote:close", {"block": block["id"]})
        assert closed["ok"] and closed["selected"] == [topics[1]], closed
        assert facilitator.call("board:view", {"view": "results"})["ok"]

    board = open_board(windows, forum_server)
    priorities = board.locator(f'#results .rpriorities[data-block="{block["id"]}"]')
    expect(priorities).to_be_visible(timeout=SECONDS)
    expect(priorities).to_have_attribute("data-vote", "closed")
    expect(board.locator("#agenda")).to_be_hidden()
    items = priorities.locator(".rpriority")
    expect(items).to_have_count(2)  # the topic without a dot stays out
    expect(items.nth(0).locator(".rpriority__title")).to_have_text(titles[1])
    expect(items.nth(0)).to_have_attribute("data-selected", "true")
    expect(items.nth(0).locator(".rpriority__votes")).to_contain_text("2")
    expect(items.nth(0).locator(".rpriority__badge")).to_have_count(1)
    expect(items.nth(1).locator(".rpriority__title")).to_have_text(titles[2])
    expect(items.nth(1)).to_have_attribute("data-selected", "false")
    # The ranking as a chart: each bar as long as its dots, the most voted full width.
    widths = [items.nth(i).locator(".rpriority__bar").bounding_box()["width"] for i in range(2)]
    assert abs(widths[1] / widths[0] - 0.5) < 0.02, widths
    # Back to the live view: the agenda wall again, with the vote's result.
    as_facilitator(forum_server, "board:view", {"view": "live"})
    expect(board.locator("#agenda")).to_be_visible(timeout=SECONDS)
    expect(board.locator("#results")).to_be_hidden()
    windows.close_and_check()


def test_a_note_on_the_board_is_as_tall_as_its_text_and_author(live_server, windows):
    """The server renders the notes (templates/_macros.html: sticky): the markup's line breaks
    between a note's parts never show as blank lines (the note's own line breaks do), so a few
    notes are shown at full size, not shrunk to fit the blank space."""
    from playwright.sync_api import expect

    curate(live_server)
    as_facilitator(live_server, "board:view", {"view": "live"})  # another test may have left the results shown
    board = open_board(windows, live_server)
    note = board.locator('.column[data-table="1"] .sticky:not([hidden])').first
    expect(note).to_be_visible(timeout=SECONDS)
    spare = note.evaluate(
        """note => {
            const style = getComputedStyle(note);
            const inner = [...note.children].reduce((sum, child) => {
                const own = getComputedStyle(child);
                return sum + child.offsetHeight + parseFloat(own.marginTop) + parseFloat(own.marginBottom);
            }, 0);
            return note.clientHeight - parseFloat(style.paddingTop) - parseFloat(style.paddingBottom) - inner;
        }"""
    )
    assert abs(spare) < 3, f"{spare} px of blank lines in a note"
