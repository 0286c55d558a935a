"""The one normalised inbound `Message` every channel builds, and the `Reply` it sends back."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any


def utcnow() -> datetime:
    """Timezone-aware now in UTC; every timestamp in Warga is aware."""
    return datetime.now(UTC)


# Decimal degrees, latitude then longitude, as phones and maps write them.
_COORDINATES = re.compile(r"(?<![\d.])(-?\d{1,2}\.\d{3,})\s*[,;]\s*(-?\d{1,3}\.\d{3,})(?![\d.])")


@dataclass(frozen=True, slots=True)
class Location:
    """A place: a shared pin (latitude/longitude) and/or a typed description."""

    latitude: float | None = None
    longitude: float | None = None
    name: str | None = None
    address: str | None = None

    def describe(self) -> str:
        parts = [p for p in (self.name, self.address) if p]
        if self.latitude is not None and self.longitude is not None:
            parts.append(f"{self.latitude:.6f},{self.longitude:.6f}")
        return ", ".join(parts)

    def to_dict(self) -> dict[str, Any]:
        return {k: v for k, v in (("latitude", self.latitude), ("longitude", self.longitude),
                                  ("name", self.name), ("address", self.address)) if v is not None}

    @classmethod
    def from_dict(cls, data: dict[str, Any] | None) -> Location | None:
        if not data:
            return None
        return cls(data.get("latitude"), data.get("longitude"), data.get("name"), data.get("address"))

    @classmethod
    def from_text(cls, text: str) -> Location | None:
        """Coordinates typed or pasted ("-7.5521, 112.4367", a maps link with "@-7.55,112.43"): a pin, with
        the rest of the words (if any) as the address. None when the text holds no coordinates."""
        match = _COORDINATES.search(text or "")
        if match is None:
            return None
        latitude, longitude = float(match.group(1)), float(match.group(2))
        if not (-90 <= latitude <= 90 and -180 <= longitude <= 180):
            return None
        rest = " ".join((text[: match.start()] + " " + text[match.end():]).split())
        words = rest if re.search(r"[^\W\d_]{3,}", rest) and "://" not in rest else None
        return cls(latitude, longitude, address=words[:300] if words else None)


@dataclass(frozen=True, slots=True)
class Attachment:
    """Something sent with a message. `kind` is photo, document, audio, voice, video or sticker.

    A channel that can fetch the bytes puts them in `data` (photos are kept with the ticket);
    `ref` is the platform's own id or URL of the file.
    """

    kind: str
    mime: str | None = None
    data: bytes | None = None
    ref: str | None = None
    caption: str | None = None
    # Set once the photo's bytes were decoded and re-encoded without metadata (bot/media.py).
    reencoded: bool = False
    # The file's size in bytes when the platform says it; `too_large`: over our limit, so not fetched
    # (the message gate tells the resident the limit; bot/media.py).
    size: int | None = None
    too_large: bool = False
    # The platform would not give us the bytes of a photo after retries: the resident is asked to send it again.
    missing: bool = False

    @property
    def unfetched(self) -> bool:
        """A file we do not have: too big to fetch, or the platform would not give it."""
        return self.too_large or self.missing


@dataclass(frozen=True, slots=True)
class Message:
    """A message from a person on any channel. Ids are strings; `received_at` is aware UTC."""

    channel: str
    sender_id: str
    text: str
    message_id: str = ""
    received_at: datetime = field(default_factory=utcnow)
    attachments: tuple[Attachment, ...] = ()
    location: Location | None = None
    sender_name: str | None = None
    # The platform id of the bot message this one answers (Telegram reply, WhatsApp context).
    reply_to: str | None = None
    # Chat the message came from when it differs from the sender (a Telegram group).
    chat_id: str | None = None
    raw: dict[str, Any] | None = None

    @property
    def identity(self) -> str:
        """The key of who sent it: `channel:sender_id`."""
        return f"{self.channel}:{self.sender_id}"


@dataclass(frozen=True, slots=True)
class Button:
    """A quick reply. Pressing it sends `payload` back as the message text."""

    title: str
    payload: str


_SPACES = re.compile(r"[ \t]+")


@dataclass(frozen=True, slots=True)
class Reply:
    """What the bot says: text, optional buttons, an optional image and location pin.

    `image` is a URL or `media:<id>` of a file kept in the store. `ticket` names the ticket a
    message is about, so a channel can remember which ticket a sent card belongs to (reply-to-card).
    `document` is `media:<id>` of a file (a signed letter) sent as a document named `filename` by
    channels that can (Telegram, WhatsApp); others send the text alone, which then carries a link.
    """

    text: str
    buttons: tuple[Button, ...] = ()
    image: str | None = None
    location: Location | None = None
    ticket: str | None = None
    document: str | None = None
    filename: str | None = None

    def plain_text(self) -> str:
        """Text with the buttons written out, for channels that cannot show buttons."""
        if not self.buttons:
            return self.text
        lines = [self.text, ""]
        for button in self.buttons:
            if button.payload.startswith("/") or button.payload == button.title:
                lines.append(f"• {button.title}: ketik {button.payload}")
            else:
                lines.append(f"• {button.title}")
        return "\n".join(lines)

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {"text": self.text}
        if self.buttons:
            data["buttons"] = [{"title": b.title, "payload": b.payload} for b in self.buttons]
        if self.image:
            data["image"] = self.image
        if self.location:
            data["location"] = self.location.to_dict()
        if self.ticket:
            data["ticket"] = self.ticket
        if self.document:
            data["document"] = self.document
            data["filename"] = self.filename
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Reply:
        return cls(
            text=data.get("text", ""),
            buttons=tuple(Button(b["title"], b["payload"]) for b in data.get("buttons", ())),
            image=data.get("image"),
            location=Location.from_dict(data.get("location")),
            ticket=data.get("ticket"),
            document=data.get("document"),
            filename=data.get("filename"),
        )


# The texts mark bold as `*words*` (WhatsApp's own markup). Telegram turns the marks into bold entities, the web
# page into <strong>, and channels without bold (SMS) drop them.
BOLD_MARK = re.compile(r"\*([^*\n]{1,120})\*")


def without_bold_marks(text: str) -> str:
    """`text` with its `*bold*` marks removed (for channels that cannot show bold)."""
    return BOLD_MARK.sub(r"\1", text)


def split_text(text: str, limit: int) -> list[str]:
    """Split long text at paragraph, line or word boundaries so no piece exceeds `limit`."""
    if len(text) <= limit:
        return [text]
    pieces: list[str] = []
    rest = text
    while len(rest) > limit:
        cut = max(rest.rfind("\n\n", 0, limit), rest.rfind("\n", 0, limit), rest.rfind(" ", 0, limit))
        if cut <= limit // 2:
            cut = limit
        pieces.append(rest[:cut].rstrip())
        rest = rest[cut:].lstrip()
    if rest:
        pieces.append(rest)
    return pieces


class InputError(ValueError):
    """Input a person or client sent that cannot be accepted; the message says why (for a 4xx answer)."""


# A sender id on any channel: letters, digits and . _ : @ - only, the whole string (no trailing newline).
_SENDER = re.compile(r"[A-Za-z0-9_.:@-]{1,128}")
_SURROGATE = re.compile(r"[\ud800-\udfff]")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def valid_sender_id(sender_id: object) -> bool:
    """True for a sender id every channel accepts: 1-128 of letters, digits, `. _ : @ -`, nothing else."""
    return isinstance(sender_id, str) and _SENDER.fullmatch(sender_id) is not None


def clean_text(text: str, field_name: str = "message") -> str:
    """The text with control characters dropped; InputError when it holds a lone surrogate (not Unicode text)."""
    if _SURROGATE.search(text):
        raise InputError(f"Field `{field_name}` is not valid Unicode text (it holds a lone surrogate)")
    return _CONTROL.sub("", text)
