"""A table host photographs the tablecloth from the phone; the board and the console show it live,
and it opens large on the board."""

from __future__ import annotations

import io
import urllib.request

import pytest

from browser.conftest import CONSOLE, SECONDS, console_url, host_the_table, open_board, open_phone, start_first_round

pytestmark = pytest.mark.browser


def tablecloth_photo(path) -> str:
    """A phone's JPEG: 3000 × 2000, with the camera and the place in its EXIF."""
    from PIL import ExifTags, Image

    image = Image.new("RGB", (3000, 2000), (235, 230, 210))
    image.paste((30, 60, 160), (300, 300, 2700, 700))
    exif = Image.Exif()
    exif[ExifTags.Base.Make] = "PhoneMaker"
    exif.get_ifd(ExifTags.IFD.GPSInfo).update(
        {ExifTags.GPS.GPSLatitudeRef: "N", ExifTags.GPS.GPSLatitude: (46.0, 48.0, 52.0)}
    )
    file = path / "nappe.jpg"
    image.save(file, "JPEG", quality=90, exif=exif.tobytes())
    return str(file)


def test_a_host_sends_the_tablecloth_photo_and_the_board_shows_it(live_server, windows, tmp_path):
    from PIL import Image
    from playwright.sync_api import expect

    base = live_server["base_url"]
    console = windows.page(console_url(live_server), **CONSOLE)
    start_first_round(console)
    board = open_board(windows, live_server, column=1)
    phone = open_phone(windows, live_server, 1)
    host_the_table(phone)
    upload = phone.locator("#photos")
    expect(upload).to_be_visible()
    expect(phone.locator("#photo-file")).to_have_attribute("capture", "environment")

    phone.locator("#photo-file").set_input_files(tablecloth_photo(tmp_path))
    expect(phone.locator("#photo-preview")).to_be_visible()
    phone.locator("#photo-send").tap()
    expect(phone.locator("#photo-status")).to_have_attribute("data-kind", "ok", timeout=SECONDS)
    expect(phone.locator("#photo-list .photo-strip__item")).to_have_count(1)

    # The board shows it under table 1, live, with what it is in words.
    shown = board.locator('#photos .photos__group[data-table="1"] .photo-thumb img')
    expect(shown).to_have_count(1, timeout=SECONDS)
    expect(board.locator("#photos")).to_be_visible()
    expect(shown).to_have_attribute("alt", "Photo de la nappe de la table 1, ronde 1")
    expect(console.locator('#photos .photos__group[data-table="1"] .photo-thumb')).to_have_count(1, timeout=SECONDS)

    # It opens large (click or Enter on the link), and Escape closes it.
    board.locator("#photos .photo-thumb").first.focus()
    board.keyboard.press("Enter")
    viewer = board.locator("#photo-viewer")
    expect(viewer).to_be_visible(timeout=SECONDS)
    expect(board.locator("#photo-viewer-caption")).to_have_text("Photo de la nappe de la table 1, ronde 1")
    expect(board.locator("#photo-viewer-image")).to_have_js_property("complete", True)
    assert board.locator("#photo-viewer-image").evaluate("image => image.naturalWidth") == 1600
    board.keyboard.press("Escape")
    expect(viewer).to_be_hidden()

    # What the server keeps: 1600 px on the long side, no EXIF.
    href = board.locator("#photos .photo-thumb").first.get_attribute("href")
    with urllib.request.urlopen(f"{base}{href}", timeout=10) as response:
        assert response.headers["Content-Type"] == "image/jpeg"
        with Image.open(io.BytesIO(response.read())) as stored:
            assert stored.size == (1600, 1067) and dict(stored.getexif()) == {}

    # The console removes it (after asking): gone from both strips, and the board's section hides.
    # (Its lazy thumbnail loads first: scrolled into view by the click, it would be asked for
    # as the photo goes, and answered 404.)
    thumbnail = console.locator('#photos .photos__group[data-table="1"] .photo-thumb img')
    thumbnail.scroll_into_view_if_needed()
    expect(thumbnail).to_have_js_property("complete", True)
    console.once("dialog", lambda dialog: dialog.accept())
    console.locator('#photos .photos__group[data-table="1"] .photo-strip__remove button').click()
    expect(console.locator("#photos .photo-thumb")).to_have_count(0, timeout=SECONDS)
    expect(board.locator("#photos .photo-thumb")).to_have_count(0, timeout=SECONDS)
    expect(board.locator("#photos")).to_be_hidden()
    expect(console.locator("#photo-form")).to_be_visible()  # a table's photo can still be sent
    windows.close_and_check()
