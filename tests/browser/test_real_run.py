"""What a real run showed (issue 17), in real browsers: the board at 1920 × 1080 with 30 notes at one
table, the console's header after a block change, its notes' line breaks, and the phone's messages."""

from __future__ import annotations

import re
import uuid

import pytest

from browser.conftest import SECONDS, TEMPLATE, Facilitator, join_over_socket, open_board, open_phone, serve

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def quiet_server(tmp_path_factory):
    """A workshop of the 2010 template where no round has started."""
    yield from serve(tmp_path_factory.mktemp("quiet"), TEMPLATE)


# Notes of the length a real table writes (one to three lines on the projector).
WORDS = (
    "Francisation des personnes immigrantes en milieu de travail",
    "Reconnaissance des acquis et des compétences des employeurs",
    "Mieux informer les organismes",
    "Une vaste campagne régionale ciblée selon les clientèles, avec les médias locaux et les écoles",
    "Des jumelages",
)


def post_notes(server, table: int, count: int) -> list[str]:
    import socketio

    texts = [f"{n + 1}. {WORDS[n % len(WORDS)]}" for n in range(count)]
    with socketio.SimpleClient() as phone:
        join_over_socket(phone, server, "participant", table=table, name="Ana")
        for text in texts:
            ack = phone.call("note:post", {"id": str(uuid.uuid4()), "text": text})
            assert ack["ok"], ack
    return texts


# Every shown note of table 1 lies whole inside its column's list: nothing cut at the bottom.
CLIPPED = """() => {
  const list = document.querySelector('.column[data-table="1"] .column__notes');
  const box = list.getBoundingClientRect();
  const shown = [...list.querySelectorAll('.sticky')].filter((n) => !n.hidden);
  const cut = shown.filter((n) => { const r = n.getBoundingClientRect(); return r.top < box.top - 3 || r.bottom > box.bottom + 3; });
  return {shown: shown.map((n) => n.querySelector('.sticky__text').textContent), cut: cut.length,
          size: Math.min(...shown.map((n) => parseFloat(getComputedStyle(n).fontSize)))};
}"""


def test_thirty_notes_at_one_table_are_all_readable_on_the_board(live_server, windows):
    from playwright.sync_api import expect

    facilitator = Facilitator(live_server)
    try:
        facilitator.start(facilitator.state["blocks"][0]["rounds"][0])
        texts = post_notes(live_server, 1, 30)
    finally:
        facilitator.close()
    board = windows.page(context=windows.context(viewport={"width": 1920, "height": 1080}))
    board.clock.install()
    board.goto(f"{live_server['base_url']}/w/{live_server['code']}/board")
    notes = board.locator('.column[data-table="1"] .column__notes')
    expect(notes.locator(".sticky")).to_have_count(30, timeout=SECONDS)
    expect(notes).to_have_attribute("data-fit", re.compile("."))  # fitted by the script

    seen: set[str] = set()
    for _ in range(
        24
    ):  # page after page (a banner may come and go: the pages are made again), every note shows whole, in type read from the room
        view = board.evaluate(CLIPPED)
        assert view["cut"] == 0, view
        assert view["size"] >= 14, view
        seen.update(view["shown"])
        if seen == set(texts):
            break
        pages = notes.locator(".column__pages")
        expect(pages).to_contain_text("30")
        said = pages.text_content()
        # The next page comes within one period; a rebuild of the pages (a banner that came or
        # went on a loaded machine) starts the period again, so it may take one more.
        for _attempt in range(3):
            board.clock.fast_forward(13_000)
            try:
                expect(pages).not_to_have_text(said, timeout=5_000)
                break
            except AssertionError:
                continue
        else:
            pytest.fail(f"the board stayed on « {said} » for three periods")
    assert seen == set(texts)

    # A new note comes in on the first page, newest first, whole.
    post_notes(live_server, 1, 1)
    expect(notes.locator(".sticky").first).to_contain_text("1. Francisation")
    expect(notes.locator(".sticky").first).to_be_visible()
    assert board.evaluate(CLIPPED)["cut"] == 0
    windows.close_and_check()


def test_before_any_round_the_phone_says_so_first_and_keeps_the_note_until_the_round_opens(quiet_server, windows):
    from playwright.sync_api import expect

    phone = open_phone(windows, quiet_server, 1, locale="fr-CA")
    wait = phone.locator("#note-wait")
    # Said before anyone types, right above the box.
    expect(wait).to_be_visible()
    expect(wait).to_contain_text("Aucune ronde n’est encore ouverte")
    phone.locator("#note-text").fill("Écrit avant la ronde")
    phone.locator("#note-form button[type=submit]").tap()
    expect(phone.locator("#note-status")).to_contain_text("gardée sur ce téléphone")
    expect(phone.locator('#my-notes .mine__note[data-status="waiting"]')).to_contain_text("Écrit avant la ronde")

    # The facilitator starts the round: the note goes, once, and the notice leaves.
    facilitator = Facilitator(quiet_server)
    try:
        facilitator.start(facilitator.state["blocks"][0]["rounds"][0])
        expect(phone.locator('#my-notes .mine__note[data-status="sent"]')).to_contain_text(
            "Écrit avant la ronde", timeout=SECONDS
        )
        expect(wait).to_be_hidden()
        notes = facilitator.call("state:get", {})["state"]["notes"]
        assert [n["text"] for n in notes].count("Écrit avant la ronde") == 1
    finally:
        facilitator.close()
    windows.close_and_check()


def test_the_name_form_says_saved_beside_itself(quiet_server, windows):
    from playwright.sync_api import expect

    phone = open_phone(windows, quiet_server, 2, locale="fr-CA")
    phone.locator("#name").fill("Awa")
    phone.locator("#name-form button[type=submit]").tap()
    expect(phone.locator("#name-status")).to_have_text("Enregistré.")
    assert phone.locator("#name-form #name-status").count() == 1
    expect(phone.locator("#note-status")).to_have_text("")

    # Without JavaScript, the plain form's message comes back beside the form too, not at the top.
    plain = windows.page(
        context=windows.context(java_script_enabled=False, locale="fr-CA", viewport={"width": 390, "height": 844})
    )
    plain.goto(f"{quiet_server['base_url']}/j/{quiet_server['code']}")
    plain.locator("#name").fill("Léa")
    plain.locator("#name-form button[type=submit]").click()
    expect(plain.locator("#name-form #name-status")).to_have_text("Enregistré.")
    expect(plain.locator(".flashes")).to_have_count(0)
    windows.close_and_check()


# Each word of the console's notes on one line: a Range per word has a single box (a word cut in
# two has two). Chromium here has no hyphenation dictionary, so `hyphens: auto` breaks nothing.
SPLIT_WORDS = """() => {
  const split = [];
  for (const text of document.querySelectorAll('.live__text')) {
    const node = [...text.childNodes].find((n) => n.nodeType === Node.TEXT_NODE && n.textContent.trim());
    if (!node) continue;
    for (const match of node.textContent.matchAll(/\\S+/g)) {
      const range = document.createRange();
      range.setStart(node, match.index);
      range.setEnd(node, match.index + match[0].length);
      const lines = new Set([...range.getClientRects()].map((r) => Math.round(r.top)));
      if (lines.size > 1) split.push(match[0]);
    }
  }
  return split;
}"""


def test_the_console_breaks_notes_between_words_at_1440_px(live_server, windows):
    from playwright.sync_api import expect

    from browser.conftest import console_url

    facilitator = Facilitator(live_server)
    try:
        facilitator.start(facilitator.state["blocks"][0]["rounds"][0])
    finally:
        facilitator.close()
    post_notes(live_server, 2, 3)
    console = windows.page(console_url(live_server), viewport={"width": 1440, "height": 900}, locale="fr-CA")
    expect(console.locator(".live__text").filter(has_text="Francisation")).not_to_have_count(0, timeout=SECONDS)
    assert console.evaluate(SPLIT_WORDS) == []
    # Hyphenation, where the browser has it, follows the page's language.
    assert console.evaluate("document.documentElement.lang") == "fr"
    # (one evaluation: the list may be rebuilt between finding a note and reading its style)
    assert console.evaluate("getComputedStyle(document.querySelector('.live__note')).hyphens") == "auto"
    windows.close_and_check()


def test_the_console_header_follows_a_change_of_block_without_a_reload(live_server, windows):
    from playwright.sync_api import expect

    from browser.conftest import console_url

    console = windows.page(console_url(live_server), viewport={"width": 1440, "height": 900}, locale="fr-CA")
    expect(console.locator("#block-method")).to_have_text("Café de conversation")
    open_space = console.locator(".block:has(.act--select)").filter(has_text="CRISTALLISER")
    open_space.locator(".act--select button").click()
    expect(console.locator("#block-title")).to_have_text("CRISTALLISER LA VISION", timeout=SECONDS)
    expect(console.locator("#block-method")).to_have_text("Forum ouvert")
    windows.close_and_check()


def test_the_board_prints_texts_as_the_documents_do(live_server, windows):
    """« l'apport » and « objectif? » typed by people come out as in the Word document: the
    typographic apostrophe, a no-break space before « ? » (one typography module for both)."""
    import urllib.request

    from playwright.sync_api import expect

    from workshop.domain.typography import prose

    facilitator = Facilitator(live_server)
    try:
        first = facilitator.state["blocks"][0]["rounds"][0]
        facilitator.start(first)
    finally:
        facilitator.close()
    board = open_board(windows, live_server, column=1)
    question = board.locator("#question")
    printed = prose(first["question"], "fr")
    assert first["question"].endswith("objectif?") and printed.endswith("objectif\u202f?")
    expect(question).to_have_text(printed)
    typed = "Sensibiliser à l'apport de l’immigration: quel objectif?"
    import socketio

    with socketio.SimpleClient() as phone:
        join_over_socket(phone, live_server, "participant", table=3)
        ack = phone.call("note:post", {"id": str(uuid.uuid4()), "text": typed})
        assert ack["ok"] and ack["note"]["text"] == typed  # the note as written stays the data
    expect(board.locator('.column[data-table="3"] .sticky__text').first).to_have_text(
        "Sensibiliser à l’apport de l’immigration\u00a0: quel objectif\u202f?"
    )
    # The same words in the document the secretariat downloads.
    url = f"{live_server['base_url']}/w/{live_server['code']}/results.md?key={live_server['secretariat_key']}"
    with urllib.request.urlopen(url, timeout=10) as response:
        document = response.read().decode("utf-8")
    assert printed in document
    assert "Sensibiliser à l’apport de l’immigration\u00a0: quel objectif\u202f?" in document
    # A reload (the page rendered by the server) prints them the same way.
    board.reload()
    expect(question).to_have_text(printed)
    expect(board.locator('.column[data-table="3"] .sticky__text').first).to_have_text(
        "Sensibiliser à l’apport de l’immigration\u00a0: quel objectif\u202f?"
    )
    windows.close_and_check()


def test_a_vote_row_keeps_its_guillemets_on_the_line(forum_server, forum_facilitator, windows):
    """A topic typed « Les jeunes » with ordinary spaces: the phone's vote row prints no-break
    spaces inside the guillemets, so a lone « » » never starts a line at 390 px."""
    from playwright.sync_api import expect

    block = forum_facilitator.state["current"]["block"]
    title = "Mobiliser les acteurs de la région autour des « jeunes et de leur famille »"
    forum_facilitator.call("topic:propose", {"id": str(uuid.uuid4()), "title": title, "convener": "Ana"})
    phone = open_phone(windows, forum_server, locale="fr-CA")
    forum_facilitator.call("vote:open", {"block": block, "dots": 2})
    row = phone.locator(".os-ballot__item .os-ballot__title-text", has_text="Mobiliser les acteurs de la région")
    expect(row).to_have_text(title.replace("« ", "«\u00a0").replace(" »", "\u00a0»"), timeout=SECONDS)
    # Every line of the row starts with something other than a closing guillemet.
    starts = row.evaluate("""(p) => {
      const node = p.firstChild, starts = [];
      let top = null;
      for (let i = 0; i < node.length; i++) {
        const range = document.createRange(); range.setStart(node, i); range.setEnd(node, i + 1);
        const box = range.getClientRects()[0];
        if (box && box.top !== top) { if (top !== null) starts.push(node.textContent[i]); top = box.top; }
      }
      return starts;
    }""")
    assert "»" not in starts
    windows.close_and_check()
