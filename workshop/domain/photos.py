"""Photos of a table's paper tablecloth (or a session's flipchart): what a phone sends becomes a
clean JPEG. Plain Python and Pillow, no Flask, no database.

Only JPEG, PNG and WebP are decoded; the size is checked before any pixel is loaded (a small file
can claim a huge picture: a decompression bomb). The phone's EXIF orientation is applied, then the
picture is drawn into a new image and encoded again, so nothing of the original file survives but
its pixels: no EXIF (GPS, camera, time), no ICC profile, no XMP, no comment.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import math
import warnings
from dataclasses import dataclass

from PIL import Image, ImageOps, UnidentifiedImageError

from workshop.domain.errors import WorkshopError

ACCEPTED_FORMATS = ("JPEG", "PNG", "WEBP")
MAX_UPLOAD_BYTES = 15 * 1024 * 1024  # a phone's original photo; the page's script sends far less
# What a phone photo needs. A JPEG is decoded at 1/2, 1/4 or 1/8 of its size (``draft``): 25
# megapixels covers the largest default photo of today's phones (24 MP) and never fills the memory.
# PNG and WebP have no such shortcut, every pixel is decoded (4 bytes each): 12 megapixels, a
# phone's screenshot or a 12 MP photo. A 49-megapixel PNG of 208 KB took 1.1 GB and seconds.
MAX_PIXELS = 25_000_000
MAX_FULL_DECODE_PIXELS = 12_000_000
LONG_SIDE = 1600  # the stored photo: sharp enough to read a tablecloth on the board and in print
THUMB_SIDE = 480  # the board's strip
QUALITY = 80
THUMB_QUALITY = 72
PER_PLACE = 6  # photos of one table in one round (or of one session)
PER_WORKSHOP = 200  # every photo of a workshop: the results embed them all

# Pillow's own guard, for any decoder that would get past the check below: past this it warns
# (made an error here), past twice this it refuses.
Image.MAX_IMAGE_PIXELS = MAX_PIXELS


@dataclass(frozen=True)
class CleanPhoto:
    """A photo as it is stored: a JPEG without metadata, its size, a thumbnail, its SHA-256."""

    jpeg: bytes
    width: int
    height: int
    thumbnail: bytes
    sha256: str


def clean_photo(data: bytes) -> CleanPhoto:
    """The JPEG to store, from the bytes a phone sent; WorkshopError ``photo_*`` when refused."""
    if not data:
        raise WorkshopError("photo_missing")
    if len(data) > MAX_UPLOAD_BYTES:
        raise WorkshopError("photo_too_big", max=MAX_UPLOAD_BYTES // (1024 * 1024))
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            with Image.open(io.BytesIO(data), formats=ACCEPTED_FORMATS) as image:
                return _clean(image)
        except UnidentifiedImageError:
            raise WorkshopError("photo_type") from None
        except (Image.DecompressionBombWarning, Image.DecompressionBombError):
            raise WorkshopError("photo_too_large", max=MAX_PIXELS // 1_000_000) from None
        except (OSError, ValueError, SyntaxError, EOFError, IndexError, TypeError, KeyError, MemoryError):
            # A truncated or corrupt file of an accepted type.
            raise WorkshopError("photo_unreadable") from None


def _clean(image: Image.Image) -> CleanPhoto:
    if image.format not in ACCEPTED_FORMATS:
        raise WorkshopError("photo_type")
    width, height = image.size  # from the file's header: nothing is decoded yet
    limit = MAX_PIXELS if image.format == "JPEG" else MAX_FULL_DECODE_PIXELS
    if width < 1 or height < 1 or width * height > limit:
        raise WorkshopError("photo_too_large", max=limit // 1_000_000)
    if image.format == "JPEG" and max(width, height) > LONG_SIDE:
        # JPEG decodes at 1/2, 1/4 or 1/8 directly: a 48-megapixel photo never fills the memory.
        scale = LONG_SIDE / max(width, height)
        image.draft("RGB", (math.ceil(width * scale), math.ceil(height * scale)))
    image.load()
    upright = ImageOps.exif_transpose(image)
    pixels = _flatten(upright)
    pixels.thumbnail((LONG_SIDE, LONG_SIDE), Image.Resampling.LANCZOS)
    jpeg = _encode(pixels, QUALITY)
    small = pixels.copy()
    small.thumbnail((THUMB_SIDE, THUMB_SIDE), Image.Resampling.LANCZOS)
    return CleanPhoto(
        jpeg=jpeg,
        width=pixels.width,
        height=pixels.height,
        thumbnail=_encode(small, THUMB_QUALITY),
        sha256=hashlib.sha256(jpeg).hexdigest(),
    )


def _flatten(image: Image.Image) -> Image.Image:
    """RGB pixels in a new image (no ``info`` carried over); transparency on white paper."""
    if image.mode in ("RGBA", "LA", "PA") or (image.mode == "P" and "transparency" in image.info):
        rgba = image.convert("RGBA")
        clean = Image.new("RGB", rgba.size, (255, 255, 255))
        clean.paste(rgba, mask=rgba.getchannel("A"))
        return clean
    rgb = image.convert("RGB")
    clean = Image.new("RGB", rgb.size)
    clean.paste(rgb)
    return clean


def _encode(image: Image.Image, quality: int) -> bytes:
    out = io.BytesIO()
    image.save(out, "JPEG", quality=quality, optimize=True, progressive=True)
    return out.getvalue()


# --------------------------------------------------------------------------- where a photo goes


def place_of(round_id: int | None, table: int | None, topic: str | None) -> str:
    """The key the per-place limit counts by: a table in a round, or an Open Space session."""
    if topic is not None:
        return f"topic:{topic}"
    return f"round:{round_id}:table:{table}"


@dataclass(frozen=True)
class PhotoItem:
    """A stored photo as the results documents show it (no database object)."""

    id: str
    url: str
    block: int | None
    round: int | None
    table: int | None
    topic: str | None
    width: int
    height: int
    created_at: dt.datetime
    sha256: str
    jpeg: bytes
