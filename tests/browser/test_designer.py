"""A facilitator who is not a programmer prepares the library's World Café in the browser, runs
round 1 with a phone, corrects the question while it runs, and reuses the agenda as a file."""

from __future__ import annotations

import os
import re
import subprocess
import sys

import pytest
from playwright.sync_api import expect

from browser.conftest import CONSOLE, PHONE, PROJECT_ROOT, SECONDS, serve
from browser.test_accessibility import axe_source  # noqa: F401  (the fixture)
from workshop.domain.typography import prose

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def organiser_server(tmp_path_factory):
    """A served database, and the organiser key made for it with the `workshop` command."""
    folder = tmp_path_factory.mktemp("designer")
    for server in serve(folder, "cafe-conversation-2010"):
        env = {
            "WORKSHOP_DATABASE_URL": f"sqlite:///{folder / 'db.sqlite3'}",
            "WORKSHOP_SECRET_KEY": "browser-test-secret",
        }
        made = subprocess.run(
            [sys.executable, "-m", "workshop", "organiser-key"],
            cwd=PROJECT_ROOT,
            env={**os.environ, **env},
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert made.returncode == 0, made.stderr
        key = re.search(r"^  ([A-Za-z0-9_-]{30,})$", made.stdout, re.M).group(1)
        yield server | {"organiser_key": key}


def fill(page, label_or_selector: str, value: str) -> None:
    page.locator(label_or_selector).fill(value)


def test_a_non_programmer_prepares_runs_and_corrects_a_workshop(organiser_server, windows, tmp_path):
    base = organiser_server["base_url"]
    laptop = windows.context(**CONSOLE, locale="fr-CA", accept_downloads=True)
    page = windows.page(f"{base}/?key={organiser_server['organiser_key']}", context=laptop)
    expect(page).to_have_url(f"{base}/")

    # 1. From the gallery: "World Café, 3 rondes", renamed, three questions, four tables.
    page.get_by_role("link", name="Nouvel atelier").click()
    page.locator('[data-template="cafe-3-rondes-recolte"] button').click()
    expect(page.get_by_role("heading", name=re.compile("L’atelier est créé"))).to_be_visible()
    designer_url = page.url
    code = re.search(r"/w/(\w+)/design", designer_url).group(1)
    fill(page, "#f-workshop-title", "L’avenir de la bibliothèque")
    fill(page, "#f-workshop-organiser", "Ville de Québec")
    questions = [
        "Qu’aimez-vous de la bibliothèque d’aujourd’hui?",
        "Que devrait-elle offrir aux familles dans dix ans?",
        "Que feriez-vous dès l’an prochain?",
    ]
    for index, question in enumerate(questions):
        fill(page, f"#f-blocks-0-rounds-{index}-question", question)
    fill(page, "#f-blocks-0-count", "4")
    page.get_by_role("button", name="Fixer le nombre de tables").click()
    expect(page.locator(".flash--success")).to_be_visible()
    expect(page.locator("#f-blocks-0-tables .row--table")).to_have_count(4)
    expect(page.locator("#f-blocks-0-rounds-1-question")).to_have_value(questions[1])

    # 2. An Open Space block: 2 time slots and 3 spaces.
    page.get_by_role("button", name="Ajouter un bloc Forum ouvert").click()
    expect(page.locator("#f-blocks-1")).to_be_visible()
    fill(page, "#f-blocks-1-title", "Forum ouvert")
    expect(page.locator("#f-blocks-1-slots .row")).to_have_count(2)
    expect(page.locator("#f-blocks-1-spaces .row")).to_have_count(3)
    fill(page, "#f-blocks-1-spaces-0-name", "Salle du conseil")
    page.locator(".save-bar button").click()
    expect(page.locator(".flash--success")).to_be_visible()

    # A mistake is shown beside its field, and nothing is lost.
    fill(page, "#f-blocks-0-rounds-0-minutes", "0")
    page.locator(".save-bar button").click()
    expect(page.locator("#f-blocks-0-rounds-0-minutes-error1")).to_contain_text("doit être entre 1 et 240 minutes")
    expect(page.locator("#f-blocks-0-rounds-0-minutes")).to_have_attribute("aria-invalid", "true")
    expected_refusal = f"400 {base}/w/{code}/design"
    assert windows.errors.count(expected_refusal) == 1  # the form came back with its problem, as it should
    windows.errors.remove(expected_refusal)
    fill(page, "#f-blocks-0-rounds-0-minutes", "20")
    page.locator(".save-bar button").click()
    expect(page.locator(".flash--success")).to_be_visible()

    # 3. The console runs round 1; a phone at table 1 sees the question.
    console = windows.page(f"{base}/w/{code}/facilitate", context=laptop)
    console.locator(".block").first.locator(".round").first.locator(".act--start button").click()
    expect(console.locator(".block").first.locator(".round").first).to_have_attribute(
        "data-status", "running", timeout=SECONDS
    )
    board = windows.page(f"{base}/w/{code}/board", viewport={"width": 1920, "height": 1080}, locale="fr-CA")
    phone = windows.page(f"{base}/j/{code}?table=1", **PHONE, locale="fr-CA")
    # live pages print texts as the documents do (« ? » spaced in a French workshop)
    expect(phone.locator("#question")).to_have_text(prose(questions[0], "fr"), timeout=SECONDS)
    expect(board.locator("#question")).to_have_text(prose(questions[0], "fr"), timeout=SECONDS)

    # 4. The running question had a typo: corrected, the board and the phone follow without a reload.
    page.goto(designer_url)
    expect(page.locator("#f-blocks-0-rounds-0 .badge")).to_have_attribute("data-status", "running")
    corrected = "Qu’aimez-vous de votre bibliothèque d’aujourd’hui?"
    fill(page, "#f-blocks-0-rounds-0-question", corrected)
    page.locator(".save-bar button").click()
    expect(page.locator(".flash--success")).to_be_visible()
    expect(phone.locator("#question")).to_have_text(prose(corrected, "fr"), timeout=SECONDS)
    expect(board.locator("#question")).to_have_text(prose(corrected, "fr"), timeout=SECONDS)
    expect(console.locator("#question")).to_have_text(prose(corrected, "fr"), timeout=SECONDS)

    # 5. The agenda as a file makes a second workshop with the same agenda.
    with page.expect_download() as download:
        page.get_by_role("link", name="Télécharger le programme (.toml)").click()
    saved = tmp_path / "agenda.toml"
    download.value.save_as(saved)
    assert "L’avenir de la bibliothèque" in saved.read_text(encoding="utf-8")
    page.goto(f"{base}/new")
    page.locator("#file").set_input_files(str(saved))
    page.get_by_role("button", name="Créer à partir de ce fichier").click()
    expect(page.get_by_role("heading", name=re.compile("L’atelier est créé"))).to_be_visible()
    assert page.url != designer_url
    expect(page.locator("#f-workshop-title")).to_have_value("L’avenir de la bibliothèque")
    expect(page.locator("#f-blocks-0-rounds-0-question")).to_have_value(corrected)
    expect(page.locator("#f-blocks-1-spaces-0-name")).to_have_value("Salle du conseil")
    windows.close_and_check()


def test_the_home_the_gallery_and_the_designer_pass_the_accessibility_audit(organiser_server, browser, axe_source):  # noqa: F811 (the fixture)
    from browser.test_accessibility import Audit

    base = organiser_server["base_url"]
    audit = Audit(browser, axe_source)
    try:
        phone = audit.page(**PHONE, locale="fr-CA")
        phone.goto(f"{base}/")
        audit.check(phone, "home, a participant on a phone", phone=True)
        phone.locator("#code").fill("NOPE99")
        phone.locator(".home-join__form button").tap()
        expect(phone.locator("#code-error")).to_be_visible()
        audit.check(phone, "home, an unknown code", phone=True)

        laptop = audit.page(**CONSOLE, locale="fr-CA")
        laptop.goto(f"{base}/?key={organiser_server['organiser_key']}")
        audit.check(laptop, "home, the organiser's workshops")
        laptop.goto(f"{base}/new")
        audit.check(laptop, "new workshop: the gallery")
        laptop.locator('[data-template="forum-ouvert-une-journee"] button').click()
        expect(laptop.locator("#f-workshop-title")).to_be_visible()
        audit.check(laptop, "designer, just created")
        laptop.locator("#f-workshop-title").fill("")
        laptop.locator(".save-bar button").click()
        expect(laptop.locator("#problems")).to_be_visible()
        audit.check(laptop, "designer, with a problem")
        code = laptop.url.split("/w/")[1].split("/")[0]
        laptop.goto(f"{base}/w/{code}/retire")
        audit.check(laptop, "retiring a workshop")
        audit.assert_clean()
    finally:
        audit.close()
