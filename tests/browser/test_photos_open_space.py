"""A session's convener photographs its flipchart from the phone (Open Space): the console shows
the photo under the session, live; with several sessions the phone asks which one; and the form
works as a plain form, without JavaScript."""

from __future__ import annotations

import pytest

from browser.conftest import PHONE, SECONDS, open_os_console, open_phone, phone_url

pytestmark = pytest.mark.browser


def flipchart_photo(path, name="tableau.jpg") -> str:
    """A small phone JPEG of a flipchart."""
    from PIL import Image

    image = Image.new("RGB", (800, 1200), (245, 245, 240))
    image.paste((200, 40, 40), (100, 150, 700, 260))
    file = path / name
    image.save(file, "JPEG", quality=85)
    return str(file)


def propose(phone, title: str) -> str:
    phone.locator("#topic-title").fill(title)
    phone.locator("#topic-form button[type=submit]").click()
    mine = phone.locator('#os-topics .os-topic[data-status="sent"]', has_text=title)
    from playwright.sync_api import expect

    expect(mine).to_have_count(1, timeout=SECONDS)
    return mine.get_attribute("data-topic")


def test_a_convener_sends_the_flipchart_photo_and_the_console_shows_it(forum_server, windows, tmp_path):
    from playwright.sync_api import expect

    console = open_os_console(windows, forum_server)
    phone = open_phone(windows, forum_server)
    upload = phone.locator("#os-photos")
    expect(upload).to_be_hidden()  # convening nothing yet

    # Proposing a topic makes the phone its convener: the flipchart form appears, for it.
    title = "Les jardins communautaires"
    topic = propose(phone, title)
    expect(upload).to_be_visible(timeout=SECONDS)
    expect(upload.locator("h3")).to_have_text("Photo du tableau")
    expect(phone.locator("#os-photo-topic")).to_have_value(topic)
    expect(upload.locator(".photo-upload__for")).to_have_text(f"Session\u00a0: {title}")
    assert phone.locator("#os-photo-send").bounding_box()["height"] >= 44

    phone.locator("#os-photo-file").set_input_files(flipchart_photo(tmp_path))
    expect(phone.locator("#os-photo-preview")).to_be_visible()
    phone.locator("#os-photo-send").tap()
    expect(phone.locator("#os-photo-status")).to_have_attribute("data-kind", "ok", timeout=SECONDS)
    expect(phone.locator("#os-photo-list .photo-strip__item")).to_have_count(1)

    # The console shows it under the session, live, named as the session's flipchart.
    shown = console.locator(f'#photos .photos__group[data-topic="{topic}"] .photo-thumb img')
    expect(shown).to_have_count(1, timeout=SECONDS)
    expect(shown).to_have_attribute("alt", f"Photo du tableau de la session «\u00a0{title}\u00a0»")
    expect(console.locator("#photos")).to_be_visible()

    # A second session: the phone now asks which one the photo is for.
    second = propose(phone, "Le covoiturage")
    choice = phone.locator("select#os-photo-topic")
    expect(choice.locator("option")).to_have_count(2, timeout=SECONDS)
    choice.select_option(second)
    expect(choice).to_have_value(second)
    windows.close_and_check()


def test_the_flipchart_photo_is_a_plain_form_without_javascript(forum_server, windows, tmp_path):
    from playwright.sync_api import expect

    phone = windows.page(phone_url(forum_server), watch=False, **PHONE, java_script_enabled=False)
    expect(phone.locator("#os-photos")).to_be_hidden()
    title = "Un marché de producteurs"
    phone.locator("#topic-title").fill(title)
    phone.locator("#topic-form button[type=submit]").click()
    upload = phone.locator("#os-photos")
    expect(upload).to_be_visible()
    expect(phone.locator("#os-photo-topic")).to_have_attribute("type", "hidden")

    phone.locator("#os-photo-file").set_input_files(flipchart_photo(tmp_path, "marche.jpg"))
    phone.locator("#os-photo-send").click()
    expect(phone.locator(".flash--success")).to_have_text("La photo est enregistrée.")
    thumb = phone.locator("#os-photo-list .photo-thumb img")
    expect(thumb).to_have_count(1)
    expect(thumb).to_have_attribute("alt", f"Photo du tableau de la session «\u00a0{title}\u00a0»")
