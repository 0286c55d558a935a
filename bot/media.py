"""Photos are decoded and re-encoded before they are kept: EXIF, GPS and anything hidden are dropped.

What does not decode as a picture is refused. The pixels are kept (oriented as the camera meant, at
most `MAX_SIDE` pixels on the longer side); everything else a file may carry is not. A file bigger
than we take (a photo over WARGA_MAX_PHOTO_BYTES) is never fetched: the channel marks it `too_large`
and the message gate answers with `unfetched_notice` (also for a photo the platform would not give us).
"""

from __future__ import annotations

import io
import math
import warnings
from collections.abc import Iterable

from PIL import Image, ImageOps, UnidentifiedImageError

from bot.message import Attachment
from bot.texts import Texts

MAX_SIDE = 2560
MAX_PIXELS = 40_000_000  # a decompression bomb is refused before it is decoded
_FORMATS = {"JPEG": "image/jpeg", "PNG": "image/png", "WEBP": "image/webp", "GIF": "image/png"}
MEGABYTE = 1024 * 1024


class NotAnImage(ValueError):
    """The bytes are not a picture we accept."""


def reencode_photo(data: bytes) -> tuple[str, bytes]:
    """(mime, bytes) of the photo re-encoded without metadata; NotAnImage when it is not a picture.

    Blocking (CPU): call it in a thread from async code.
    """
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as image:
                if image.format not in _FORMATS:
                    raise NotAnImage(f"{image.format or 'unknown'} is not a photo format we keep")
                width, height = image.size
                if width * height > MAX_PIXELS:
                    raise NotAnImage("the picture is too large")
                image.load()
                picture = ImageOps.exif_transpose(image)
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombWarning,
            Image.DecompressionBombError) as exc:
        if isinstance(exc, NotAnImage):
            raise
        raise NotAnImage("the file is not a picture") from None
    if max(picture.size) > MAX_SIDE:
        picture.thumbnail((MAX_SIDE, MAX_SIDE))
    out = io.BytesIO()
    if image.format == "JPEG":
        picture.convert("RGB").save(out, "JPEG", quality=85, optimize=True)
        return "image/jpeg", out.getvalue()
    if picture.mode not in ("RGB", "RGBA", "L", "LA"):
        picture = picture.convert("RGBA")
    if image.format == "WEBP":
        picture.save(out, "WEBP", quality=85)
        return "image/webp", out.getvalue()
    picture.save(out, "PNG", optimize=True)
    return "image/png", out.getvalue()


def megabytes(size: int, lang: str, *, round_up: bool) -> str:
    """A size for people: "5 MB", "16 MB", "5,1 MB" (Indonesian decimal comma). A file's size is rounded
    up and a limit down, so a file just over the limit never reads as the limit itself."""
    tenths = (math.ceil if round_up else math.floor)(size / MEGABYTE * 10)
    text = f"{tenths // 10}" if tenths % 10 == 0 else f"{tenths // 10}{',' if lang == 'id' else '.'}{tenths % 10}"
    return f"{text} MB"


def unfetched_notice(texts: Texts, lang: str, attachments: Iterable[Attachment], photo_limit: int) -> str:
    """What the resident is told about a file we could not fetch: a photo the platform would not give
    us, to send it again; one too big, the limit (WARGA_MAX_PHOTO_BYTES) and what to do; for a voice
    note or another file, to send a shorter one."""
    attachments = list(attachments)
    if not any(a.too_large for a in attachments):
        return texts.get("media_photo_missing", lang)
    oversized = next(a for a in attachments if a.too_large)
    key = {"photo": "media_photo_too_large", "voice": "media_voice_too_large"}.get(oversized.kind,
                                                                                 "media_file_too_large")
    return texts.get(key, lang, size=megabytes(oversized.size or 0, lang, round_up=True),
                     limit=megabytes(photo_limit, lang, round_up=False))
