"""Photos of the tablecloths: what a phone sends becomes a clean JPEG, or is refused with a reason."""

from __future__ import annotations

import io
import struct
import zlib

import pytest
from PIL import ExifTags, Image

from workshop.domain import photos
from workshop.domain.errors import WorkshopError

RED, BLUE = (220, 30, 30), (30, 30, 220)
GPS = {
    ExifTags.GPS.GPSLatitudeRef: "N",
    ExifTags.GPS.GPSLatitude: (46.0, 48.0, 52.0),
    ExifTags.GPS.GPSLongitudeRef: "W",
    ExifTags.GPS.GPSLongitude: (71.0, 12.0, 30.0),
}


def two_halves(width: int, height: int) -> Image.Image:
    """Red above, blue below: where each colour ends up tells how the picture was turned."""
    image = Image.new("RGB", (width, height), RED)
    image.paste(BLUE, (0, height // 2, width, height))
    return image


def phone_jpeg(image: Image.Image, orientation: int = 1, **extra) -> bytes:
    """A JPEG as a phone writes it: EXIF with the camera, the place (GPS), the orientation."""
    exif = Image.Exif()
    exif[ExifTags.Base.Orientation] = orientation
    exif[ExifTags.Base.Make] = "PhoneMaker"
    exif[ExifTags.Base.Model] = "Phone 12"
    exif.get_ifd(ExifTags.IFD.GPSInfo).update(GPS)
    out = io.BytesIO()
    image.save(out, "JPEG", quality=90, exif=exif.tobytes(), **extra)
    return out.getvalue()


def encoded(image: Image.Image, kind: str, **options) -> bytes:
    out = io.BytesIO()
    image.save(out, kind, **options)
    return out.getvalue()


def markers(jpeg: bytes) -> list[int]:
    """The JPEG segments before the picture data (APPn, COM, tables, frame)."""
    assert jpeg[:2] == b"\xff\xd8"
    found, at = [], 2
    while at < len(jpeg):
        assert jpeg[at] == 0xFF
        marker = jpeg[at + 1]
        found.append(marker)
        if marker == 0xDA:  # start of scan: the pixels follow
            return found
        (length,) = struct.unpack(">H", jpeg[at + 2 : at + 4])
        at += 2 + length
    return found


def colour_at(image: Image.Image, x: int, y: int) -> str:
    r, g, b = image.convert("RGB").getpixel((x, y))[:3]
    return "red" if r > 150 and b < 100 else "blue" if b > 150 and r < 100 else f"other {r, g, b}"


def refusal(data: bytes) -> str:
    with pytest.raises(WorkshopError) as caught:
        photos.clean_photo(data)
    return caught.value.code


def test_a_phone_photo_loses_its_gps_camera_icc_xmp_and_comment():
    original = phone_jpeg(
        two_halves(400, 300),
        icc_profile=b"an icc profile " * 20,
        comment=b"taken at table 3",
        xmp=b'<x:xmpmeta xmlns:x="adobe:ns:meta/">GPS 46.8 -71.2</x:xmpmeta>',
    )
    with Image.open(io.BytesIO(original)) as before:  # the test's own file does carry them all
        assert before.getexif().get_ifd(ExifTags.IFD.GPSInfo)
        assert before.getexif()[ExifTags.Base.Make] == "PhoneMaker"
        assert before.info.get("icc_profile") and before.info.get("comment") and before.info.get("xmp")
    assert {0xE1, 0xE2, 0xFE} <= set(markers(original))

    clean = photos.clean_photo(original)

    # Only the JFIF header, quantisation and Huffman tables and the frame: no APP1 (EXIF, XMP),
    # APP2 (ICC), APP13 (IPTC) or COM segment.
    assert set(markers(clean.jpeg)) <= {0xE0, 0xDB, 0xC4, 0xC0, 0xC2, 0xDD, 0xDA}
    for stored in (clean.jpeg, clean.thumbnail):
        with Image.open(io.BytesIO(stored)) as after:
            assert after.format == "JPEG"
            assert dict(after.getexif()) == {}
            assert not after.getexif().get_ifd(ExifTags.IFD.GPSInfo)
            assert not {"exif", "icc_profile", "comment", "xmp"} & set(after.info)
    assert b"PhoneMaker" not in clean.jpeg and b"table 3" not in clean.jpeg and b"46.8" not in clean.jpeg


def test_the_exif_orientation_is_applied_before_it_goes():
    # Orientation 6: the camera was held upright, the sensor wrote the picture turned a quarter left.
    clean = photos.clean_photo(phone_jpeg(two_halves(400, 200), orientation=6))
    with Image.open(io.BytesIO(clean.jpeg)) as upright:
        assert upright.size == (200, 400) == (clean.width, clean.height)
        # Turned a quarter right to stand up: the red top is now on the right.
        assert colour_at(upright, 150, 200) == "red"
        assert colour_at(upright, 50, 200) == "blue"
    unturned = photos.clean_photo(phone_jpeg(two_halves(400, 200), orientation=1))
    assert (unturned.width, unturned.height) == (400, 200)


def test_a_large_photo_is_brought_to_1600_pixels_on_its_long_side_with_a_small_thumbnail():
    clean = photos.clean_photo(phone_jpeg(two_halves(4000, 3000)))
    assert (clean.width, clean.height) == (1600, 1200)
    with Image.open(io.BytesIO(clean.jpeg)) as stored:
        assert stored.size == (1600, 1200)
        assert colour_at(stored, 800, 100) == "red" and colour_at(stored, 800, 1100) == "blue"
    with Image.open(io.BytesIO(clean.thumbnail)) as small:
        assert max(small.size) == photos.THUMB_SIDE and small.size == (480, 360)
    portrait = photos.clean_photo(encoded(two_halves(900, 2400), "PNG"))
    assert (portrait.width, portrait.height) == (600, 1600)
    small_one = photos.clean_photo(phone_jpeg(two_halves(640, 480)))
    assert (small_one.width, small_one.height) == (640, 480)  # never enlarged


def test_png_and_webp_are_accepted_and_stored_as_jpeg_transparency_on_white():
    see_through = Image.new("RGBA", (300, 200), (0, 0, 0, 0))
    see_through.paste((30, 30, 220, 255), (0, 100, 300, 200))
    for kind in ("PNG", "WEBP"):
        clean = photos.clean_photo(encoded(see_through, kind))
        with Image.open(io.BytesIO(clean.jpeg)) as stored:
            assert stored.format == "JPEG" and stored.mode == "RGB"
            assert min(stored.getpixel((150, 40))) > 240, kind  # the transparent half is paper white
            assert colour_at(stored, 150, 160) == "blue"
    palette = Image.new("P", (50, 50), 3)
    assert photos.clean_photo(encoded(palette, "PNG")).width == 50


@pytest.mark.parametrize(
    "data",
    [
        pytest.param(encoded(two_halves(60, 40), "GIF"), id="gif"),
        pytest.param(encoded(two_halves(60, 40), "BMP"), id="bmp"),
        pytest.param(encoded(two_halves(60, 40), "TIFF"), id="tiff"),
        pytest.param(b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>', id="svg"),
        pytest.param(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n", id="pdf"),
        pytest.param(b"Bonjour la table 3", id="text"),
        pytest.param(b"\x00\x00\x00\x18ftypheic\x00\x00\x00\x00mif1heic", id="heic"),
    ],
)
def test_anything_but_jpeg_png_and_webp_is_refused(data):
    assert refusal(data) == "photo_type"


def png_claiming(width: int, height: int) -> bytes:
    """A tiny PNG whose header claims a huge picture (a decompression bomb's first bytes)."""
    real = encoded(Image.new("L", (8, 8)), "PNG")
    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    chunk = b"IHDR" + header
    patched = struct.pack(">I", len(header)) + chunk + struct.pack(">I", zlib.crc32(chunk))
    return real[:8] + patched + real[8 + 25 :]


@pytest.mark.parametrize("size", [(8000, 8000), (30000, 30000), (60000, 1000)])
def test_a_picture_too_large_in_pixels_is_refused_before_it_is_decoded(size):
    bomb = png_claiming(*size)
    assert len(bomb) < 200
    assert refusal(bomb) == "photo_too_large"


def test_a_broken_or_empty_file_or_one_too_big_is_refused():
    whole = phone_jpeg(two_halves(800, 600))
    assert refusal(whole[: len(whole) // 2]) == "photo_unreadable"
    assert refusal(b"") == "photo_missing"
    assert refusal(b"\xff\xd8" + b"\x00" * photos.MAX_UPLOAD_BYTES) == "photo_too_big"


def test_the_same_picture_gives_the_same_bytes_and_digest():
    original = phone_jpeg(two_halves(500, 300))
    first, again = photos.clean_photo(original), photos.clean_photo(original)
    assert first.jpeg == again.jpeg and first.sha256 == again.sha256
    assert len(first.sha256) == 64


def test_places_of_the_limit():
    assert photos.place_of(12, 3, None) == "round:12:table:3"
    assert photos.place_of(None, None, "9b0e") == "topic:9b0e"


@pytest.mark.parametrize("size", [(7000, 7000), (5000, 2500)])  # 49 MP (the red team's PNG), 12.5 MP
def test_a_png_is_refused_from_its_header_past_what_a_phone_needs(size, monkeypatch):
    """PNG and WebP are decoded in full: past 12 MP they are refused before any pixel is read."""
    bomb = png_claiming(*size)
    loaded = []
    from PIL import ImageFile

    for cls in (Image.Image, ImageFile.ImageFile):
        monkeypatch.setattr(cls, "load", lambda self: loaded.append(self) or None)
    assert refusal(bomb) == "photo_too_large"
    assert loaded == []


def test_a_phone_sized_jpeg_still_goes_through():
    # A 24-megapixel photo (an iPhone's default) is under the limit; it is decoded at a fraction.
    assert photos.MAX_PIXELS >= 5712 * 4284
    assert photos.MAX_FULL_DECODE_PIXELS >= 4000 * 3000
