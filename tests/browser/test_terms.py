"""« Ce que la salle a dit » in a real browser: the console switches the board to the key terms of
the visible notes, sized by count and legible at 1920 × 1080 and 1280 × 720; a new note updates
them; curation selects the notes of a term; the results carry their charts. Screenshots go to the
test's temporary folder, or to WORKSHOP_SCREENSHOTS when it is set: the README's board-terms.png
and results-chart.png are made with WORKSHOP_SCREENSHOTS=docs/screenshots."""

from __future__ import annotations

import os
import uuid
from pathlib import Path

import pytest

from browser.conftest import (
    PROJECT_ROOT,
    SECONDS,
    console_url,
    join_over_socket,
    open_board,
    start_first_round_over_socket,
)

pytestmark = pytest.mark.browser


def screenshots(tmp_path: Path) -> Path:
    """Where the screenshots go: the README's folder only when asked (a test run leaves docs/ as it is)."""
    asked = os.environ.get("WORKSHOP_SCREENSHOTS")
    folder = (PROJECT_ROOT / asked) if asked else tmp_path
    folder.mkdir(parents=True, exist_ok=True)
    return folder


# What four tables of the 2010 café might have written in the first round.
NOTES = {
    1: [
        "Rejoindre les jeunes issus de l’immigration là où ils sont",
        "Des rencontres régulières entre les organismes et les jeunes",
        "Mieux faire connaître les services aux familles immigrantes",
        "La reconnaissance des diplômes reste trop lente",
        "Des stages en entreprise pour les jeunes",
        "Créer des occasions de rencontres entre familles",
    ],
    2: [
        "Les employeurs des régions recrutent peu de personnes immigrantes",
        "Arrimer francisation et stages en entreprise",
        "Accompagner les employeurs dans le recrutement",
        "La francisation en milieu de travail",
        "Valoriser les diplômes obtenus à l’étranger",
        "Des mentors pour les jeunes professionnels",
    ],
    3: [
        "Les familles arrivées depuis peu ne connaissent pas les organismes",
        "Un guichet unique pour les services",
        "Le logement des familles nombreuses",
        "Plus de rencontres entre citoyens et nouveaux arrivants",
        "Soutenir les organismes communautaires",
    ],
    4: [
        "L’engagement des jeunes dans le quartier",
        "Le transport vers les emplois en région",
        "La francisation des parents et des jeunes",
        "Des rencontres interculturelles dans les écoles",
        "Financement stable des organismes",
    ],
}
HIDDEN = "Zygomatique zygomatique zygomatique"


def play(live_server) -> dict:
    """Over Socket.IO: the first round runs, four tables post their notes; one note is hidden."""
    import socketio

    with socketio.SimpleClient() as facilitator:
        first = start_first_round_over_socket(facilitator, live_server)
        ids = []
        for table, texts in NOTES.items():
            with socketio.SimpleClient() as phone:
                join_over_socket(phone, live_server, "participant", table=table)
                for text in texts:
                    ack = phone.call("note:post", {"id": str(uuid.uuid4()), "text": text})
                    assert ack["ok"], ack
                    ids.append(ack["note"]["id"])
                if table == 4:
                    hidden = phone.call("note:post", {"id": str(uuid.uuid4()), "text": HIDDEN})
                    assert facilitator.call("note:hide", {"note": hidden["note"]["id"]})["ok"]
        terms = facilitator.call("terms:get", {"round": first["id"]})
        assert terms["ok"], terms
        return {"round": first["id"], "notes": ids, "terms": terms["terms"]}


def post(live_server, table: int, text: str) -> None:
    import socketio

    with socketio.SimpleClient() as phone:
        join_over_socket(phone, live_server, "participant", table=table)
        assert phone.call("note:post", {"id": str(uuid.uuid4()), "text": text})["ok"]


def fits(page) -> bool:
    """Every term inside the terms section: nothing cut off at the bottom or the side."""
    return page.evaluate(
        """() => {
          const box = document.querySelector('#terms').getBoundingClientRect();
          return [...document.querySelectorAll('#terms .term')].every((term) => {
            const r = term.getBoundingClientRect();
            return r.top >= box.top - 1 && r.bottom <= box.bottom + 1 && r.left >= box.left - 1 && r.right <= box.right + 1;
          });
        }"""
    )


def test_the_console_shows_what_the_room_said_on_the_board(live_server, windows, tmp_path):
    from playwright.sync_api import expect

    played = play(live_server)
    top = played["terms"][0]
    assert top["term"] == "jeunes" and top["count"] == 6

    board = open_board(windows, live_server, column=1)
    console = windows.page(console_url(live_server), viewport={"width": 1280, "height": 800})
    switch = console.locator("#board-view")
    expect(switch).to_have_attribute("data-joined", "true", timeout=SECONDS)
    switch.locator('button[value="terms"]').click()
    expect(switch.locator('button[value="terms"]')).to_have_attribute("aria-pressed", "true", timeout=SECONDS)
    expect(console.locator("#board-view-status")).to_have_text("L’écran montre ce que la salle a dit.")

    # The board, without a reload: the question line says it, the wall gives way to the terms.
    terms = board.locator("#terms")
    expect(terms).to_be_visible(timeout=SECONDS)
    expect(board.locator("#wall")).to_be_hidden()
    expect(board.locator("#question")).to_have_text("Ce que la salle a dit")
    first = terms.locator(".term").first
    expect(first).to_have_attribute("data-term", "jeunes", timeout=SECONDS)
    expect(first.locator(".term__count")).to_contain_text("6")
    expect(first.locator(".visually-hidden")).to_have_text("6\u00a0notes")
    expect(first).to_have_class("term term--6")
    expect(terms.locator('.term[data-term^="zygomat"]')).to_have_count(0)
    # A list with a name, each item its word and its count: what a screen reader reads.
    assert terms.get_by_role("list").get_attribute("aria-label")
    assert terms.get_by_role("listitem").count() == terms.locator(".term").count() > 15
    # Legible from the back of the room: the largest term at least 80 px, the smallest at least 24 px.
    sizes = board.evaluate(
        "() => [...document.querySelectorAll('#terms .term')].map((t) => parseFloat(getComputedStyle(t).fontSize))"
    )
    assert max(sizes) >= 100 and min(sizes) >= 32, sizes
    assert fits(board)
    board.screenshot(path=str(screenshots(tmp_path) / "board-terms.png"))

    # A smaller projector: everything still fits.
    board.set_viewport_size({"width": 1280, "height": 720})
    expect(first).to_be_visible()
    assert fits(board)
    board.screenshot(path=str(tmp_path / "board-terms-1280.png"))  # to look at, not kept
    assert (
        min(
            board.evaluate(
                "() => [...document.querySelectorAll('#terms .term')].map((t) => parseFloat(getComputedStyle(t).fontSize))"
            )
        )
        >= 18
    )

    # A new note: the board fetches the terms again.
    post(live_server, 2, "Encore les jeunes, toujours les jeunes")
    expect(first.locator(".term__count")).to_contain_text("7", timeout=SECONDS)

    # Back to the live wall.
    switch.locator('button[value="live"]').click()
    expect(board.locator("#wall")).to_be_visible(timeout=SECONDS)
    expect(terms).to_be_hidden()
    windows.close_and_check()


def test_curation_selects_the_notes_of_a_term(live_server, windows):
    from playwright.sync_api import expect

    curate = windows.page(
        f"{live_server['base_url']}/w/{live_server['code']}/curate?key={live_server['facilitator_key']}",
        viewport={"width": 1400, "height": 900},
    )
    expect(curate.locator("#curate")).to_have_attribute("data-joined", "true", timeout=SECONDS)
    button = curate.locator('#block-terms .term-pick[data-term="francisation"]')
    expect(button).to_be_visible(timeout=SECONDS)
    expect(button.locator(".term-pick__count")).to_have_text("3")
    button.click()
    expect(curate.locator("#selection-count")).to_have_text("3 notes sélectionnées", timeout=SECONDS)
    checked = curate.locator(".cnote__pick:checked")
    expect(checked).to_have_count(3)
    for index in range(3):
        text = checked.nth(index).locator("xpath=..").inner_text().lower()
        assert "francisation" in text, text
    # Then they group into a theme as any selection does.
    curate.locator("#group-theme").select_option("new")
    curate.locator("#group-title").fill("Francisation")
    curate.locator("#group-form button[type=submit]").click()
    expect(curate.locator("#theme-list input[type=text]").first).to_have_value("Francisation", timeout=SECONDS)
    expect(curate.locator("#theme-list")).to_contain_text("3 notes")
    windows.close_and_check()


def test_the_results_show_their_charts_with_their_data(live_server, windows, tmp_path):
    from playwright.sync_api import expect

    page = windows.page(
        f"{live_server['base_url']}/w/{live_server['code']}/results.html?key={live_server['facilitator_key']}",
        viewport={"width": 1100, "height": 900},
    )
    chart = page.locator('figure[data-chart="participation"]')
    expect(chart).to_be_visible(timeout=SECONDS)
    expect(chart.locator("svg[role=img]")).to_have_count(1)
    table = chart.locator("xpath=following-sibling::table[1]")
    expect(table.locator("tbody tr")).to_have_count(4)
    expect(table.locator("tbody tr").first).to_contain_text("Table 1")
    expect(page.locator(".terms li").first).to_contain_text("jeunes")
    # The chart and its table, in page coordinates (the part shot may lie below the window).
    box = chart.evaluate(
        """(figure) => {
          const table = figure.nextElementSibling.getBoundingClientRect(), r = figure.getBoundingClientRect();
          return {x: r.left + scrollX, y: r.top + scrollY, width: r.width, height: table.bottom - r.top};
        }"""
    )
    assert box["height"] > 250
    page.screenshot(
        path=str(screenshots(tmp_path) / "results-chart.png"),
        full_page=True,
        clip={"x": box["x"] - 24, "y": box["y"] - 2, "width": box["width"] + 48, "height": box["height"] + 20},
    )
    windows.close_and_check()
