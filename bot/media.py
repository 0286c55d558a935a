"""Photos are decoded and re-encoded before they are kept: EXIF, GPS and anything hidden are dropped.

What does not decode as a picture is refused. The pixels are kept (oriented as the camera meant, at
most `MAX_SIDE` pixels on the longer side); everything else a file may carry is not.
"""

from __future__ import annotations

import io
import warnings

from PIL import Image, ImageOps, UnidentifiedImageError

MAX_SIDE = 2560
MAX_PIXELS = 40_000_000  # a decompression bomb is refused before it is decoded
_FORMATS = {"JPEG": "image/jpeg", "PNG": "image/png", "WEBP": "image/webp", "GIF": "image/png"}


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
