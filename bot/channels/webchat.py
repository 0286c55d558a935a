"""The regency website's chat: Rasa's REST channel contract, plus server-sent events for later replies.

- `GET /` the chat page (bot/static/), its texts from content/texts/webchat.yml at `GET /webchat/texts`.
- `POST /webhooks/rest/webhook` `{"sender": ID, "message": TEXT, "metadata"?: {"location": {...}}}` answers
  a JSON list of `{"recipient_id", "text", "buttons"?: [{"title", "payload"}], "image"?}` (Rasa's shape).
- `POST /webhooks/rest/upload` multipart (`sender`, `file`, optional `caption`): a photo for a complaint.
- `GET /webhooks/rest/stream?sender=ID&after=N` server-sent events: replies pushed later (an officer's
  answer), kept in the store's mailbox so a reconnecting page (or another worker) misses nothing.
- `GET /media/{id}` a stored photo (ids are random and unguessable).
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from aiohttp import web

from bot.channels.base import Channel, Handler
from bot.message import Attachment, Location, Message, Reply, utcnow
from bot.store.base import Store
from bot.texts import Texts

logger = logging.getLogger(__name__)

STATIC = Path(__file__).resolve().parent.parent / "static"
SENDER_RE = re.compile(r"^[A-Za-z0-9_.:@-]{1,128}$")
PHOTO_TYPES = {"image/jpeg", "image/png", "image/webp", "image/gif"}
MAX_UPLOAD = 5 * 1024 * 1024
KEEPALIVE_SECONDS = 15.0
POLL_SECONDS = 1.0  # another worker may have added to the mailbox: look again this often


class WebChatChannel(Channel):
    name = "webchat"

    def __init__(self, handler: Handler, store: Store, texts: Texts, max_chars: int = 20000) -> None:
        super().__init__(handler)
        self.store = store
        self.texts = texts
        self.max_chars = max_chars
        self._events: dict[str, asyncio.Event] = {}
        self._closing = asyncio.Event()

    def routes(self) -> list[web.AbstractRouteDef]:
        return [
            web.get("/", self._page),
            web.get("/webchat/texts", self._page_texts),
            web.static("/static", STATIC),
            web.post("/webhooks/rest/webhook", self._webhook),
            web.post("/webhooks/rest/upload", self._upload),
            web.get("/webhooks/rest/stream", self._stream),
            web.get("/webhooks/rest/", self._health),
            web.get("/media/{media_id}", self._media),
        ]

    async def stop(self) -> None:
        self._closing.set()
        for event in self._events.values():
            event.set()

    # --- outbound ----------------------------------------------------------------------------------
    async def send(self, recipient_id: str, replies: Sequence[Reply]) -> None:
        await self.deliver(recipient_id, replies, "")

    async def deliver(self, recipient_id: str, replies: Sequence[Reply], key: str) -> None:
        """Into the mailbox; with an outbox job's key each reply is recorded once however often it is retried."""
        box = f"{self.name}:{recipient_id}"
        now = utcnow()
        for index, reply in enumerate(replies):
            await self.store.mailbox_add(box, self._render(recipient_id, reply), now,
                                         dedupe=f"{key}#{index}" if key else None)
        event = self._events.get(recipient_id)
        if event is not None:
            event.set()

    def _render(self, recipient_id: str, reply: Reply) -> dict[str, Any]:
        data: dict[str, Any] = {"recipient_id": recipient_id, "text": reply.text}
        if reply.buttons:
            data["buttons"] = [{"title": b.title, "payload": b.payload} for b in reply.buttons]
        if reply.image:
            data["image"] = f"/media/{reply.image[6:]}" if reply.image.startswith("media:") else reply.image
        if reply.location and reply.location.latitude is not None:
            data["custom"] = {"location": reply.location.to_dict()}
        return data

    # --- inbound -----------------------------------------------------------------------------------
    @staticmethod
    def _bad(message: str, status: int = 400) -> web.Response:
        return web.json_response({"error": message}, status=status)

    async def _webhook(self, request: web.Request) -> web.Response:
        try:
            body = await request.json()
        except (ValueError, UnicodeDecodeError):
            return self._bad('Body must be JSON like {"sender": "...", "message": "..."}')
        if not isinstance(body, dict):
            return self._bad('Body must be a JSON object like {"sender": "...", "message": "..."}')
        sender = body.get("sender")
        text = body.get("message")
        if not isinstance(sender, str) or not SENDER_RE.match(sender):
            return self._bad("Field `sender` must be 1-128 letters, digits or . _ : @ -")
        metadata_raw = body.get("metadata")
        if text is None and isinstance(metadata_raw, dict) and metadata_raw.get("location"):
            text = ""  # a shared location needs no text
        if not isinstance(text, str):
            return self._bad("Field `message` (a string) is required")
        metadata = body.get("metadata") if isinstance(body.get("metadata"), dict) else {}
        location = self._location(metadata.get("location"))
        message = Message(channel=self.name, sender_id=sender, text=text[: self.max_chars] if len(text) > self.max_chars
                          else text, location=location, message_id=str(body.get("message_id") or ""),
                          sender_name=metadata.get("name") if isinstance(metadata.get("name"), str) else None)
        replies = await self.handler(message)
        return web.json_response([self._render(sender, r) for r in replies])

    @staticmethod
    def _location(raw: Any) -> Location | None:
        if not isinstance(raw, dict):
            return None
        try:
            lat, lon = float(raw["latitude"]), float(raw["longitude"])
        except (KeyError, TypeError, ValueError):
            return None
        if not (-90 <= lat <= 90 and -180 <= lon <= 180):
            return None
        return Location(lat, lon, raw.get("name") if isinstance(raw.get("name"), str) else None)

    async def _upload(self, request: web.Request) -> web.Response:
        if not request.content_type.startswith("multipart/"):
            return self._bad("Upload a photo as multipart/form-data with fields sender, file, caption")
        fields: dict[str, str] = {}
        photo: tuple[str, bytes] | None = None
        reader = await request.multipart()
        async for part in reader:
            if part.name == "file":
                mime = (part.headers.get("Content-Type") or "").split(";")[0].strip().lower()
                data = await part.read(decode=False)
                if len(data) > MAX_UPLOAD:
                    return self._bad("The photo is larger than 5 MB", 413)
                photo = (mime, bytes(data))
            elif part.name in ("sender", "caption"):
                fields[part.name] = (await part.text())[:2000]
        sender = fields.get("sender", "")
        if not SENDER_RE.match(sender):
            return self._bad("Field `sender` must be 1-128 letters, digits or . _ : @ -")
        if photo is None:
            return self._bad("Field `file` (the photo) is missing")
        kind = "photo" if photo[0] in PHOTO_TYPES else "document"
        message = Message(channel=self.name, sender_id=sender, text=fields.get("caption", ""),
                          attachments=(Attachment(kind=kind, mime=photo[0], data=photo[1],
                                                  caption=fields.get("caption")),))
        replies = await self.handler(message)
        return web.json_response([self._render(sender, r) for r in replies])

    async def _stream(self, request: web.Request) -> web.StreamResponse:
        sender = request.query.get("sender", "")
        if not SENDER_RE.match(sender):
            return self._bad("Query parameter `sender` is required")
        try:
            after = int(request.query.get("after") or request.headers.get("Last-Event-ID") or 0)
        except ValueError:
            return self._bad("Query parameter `after` must be a number")
        response = web.StreamResponse(headers={"Content-Type": "text/event-stream", "Cache-Control": "no-cache",
                                               "X-Accel-Buffering": "no"})
        await response.prepare(request)
        event = self._events.setdefault(sender, asyncio.Event())
        key = f"{self.name}:{sender}"
        loop = asyncio.get_running_loop()
        last_write = loop.time()
        try:
            while not self._closing.is_set():
                for item_id, reply in await self.store.mailbox_after(key, after):
                    await response.write(f"id: {item_id}\nevent: reply\ndata: {json.dumps(reply)}\n\n".encode())
                    after = item_id
                    last_write = loop.time()
                if loop.time() - last_write >= KEEPALIVE_SECONDS:
                    await response.write(b": keep-alive\n\n")
                    last_write = loop.time()
                event.clear()
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(event.wait(), POLL_SECONDS)
        except (ConnectionResetError, asyncio.CancelledError):
            pass
        return response

    async def _media(self, request: web.Request) -> web.StreamResponse:
        media = await self.store.get_media(request.match_info["media_id"])
        if media is None:
            raise web.HTTPNotFound(text="no such file")
        return web.Response(body=media.data, content_type=media.mime,
                            headers={"Cache-Control": "private, max-age=86400"})

    async def _page(self, request: web.Request) -> web.StreamResponse:
        return web.FileResponse(STATIC / "index.html", headers={"Cache-Control": "no-cache"})

    async def _page_texts(self, request: web.Request) -> web.Response:
        lang = request.query.get("lang", "id")
        keys = [k for k in self.texts.keys() if k.startswith("web_")]
        return web.json_response({k: self.texts.get(k, lang) for k in keys})

    async def _health(self, request: web.Request) -> web.Response:
        return web.json_response({"status": "ok"})
