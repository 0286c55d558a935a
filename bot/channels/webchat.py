"""The regency website's chat: Rasa's REST channel contract, plus server-sent events for later replies.

- `GET /` the chat page (bot/static/), its texts from content/texts/webchat.yml at `GET /webchat/texts`.
- `GET /webhooks/rest/session` the visitor's session (issued now if it has none):
  `{"sender", "staff", "photo_max_bytes"}`.
- `POST /webhooks/rest/webhook` `{"sender"?: ID, "message": TEXT, "metadata"?: {"location": {...}, "greeting"?: true}}`
  (`greeting`: the page's automatic greeting, not kept as the visitor's line of the conversation) answers
  a JSON list of `{"recipient_id", "text", "buttons"?: [{"title", "payload"}], "image"?}` (Rasa's shape).
  The sender is the session's, never the body's: the server issues each visitor an unguessable session
  (an HttpOnly SameSite cookie, or `Authorization: Bearer TOKEN`) and a client cannot choose who it is.
- `POST /webhooks/rest/upload` multipart (`file`, optional `caption`): a photo for a complaint.
- `GET /webhooks/rest/stream?after=N` server-sent events: replies pushed later (an officer's answer) to the
  session's own identity, kept in the store's mailbox so a reconnecting page (or another worker) misses nothing.
- `GET /webhooks/rest/history?after=N` the session's own conversation as JSON: what the visitor sent, the bot's
  direct answers and the replies pushed later, oldest first (the page restores itself from it after a reload).
- `GET /media/{id}` a stored photo (ids are random and unguessable; photos are re-encoded without metadata).
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from aiohttp import BodyPartReader, web

from actions.base import ENROLLED_MARK_KEY, REVOKED_KEY
from actions.staff_admin import signed_in_identity
from bot.channels.base import Channel, Handler
from bot.http_input import FORM_ERRORS, parse_json
from bot.logging_setup import mask_nik_in
from bot.message import Attachment, InputError, Location, Message, Reply, clean_text, utcnow
from bot.store.base import Store
from bot.texts import Texts
from bot.web.limits import WebLimits, polite
from bot.web.session import SIGNED_OUT_EVENT, SessionSigner, WebSession, is_web_enrolled
from bot.web.staff_auth import SIGN_IN_ROLES, StaffSignIn, is_enrolment

logger = logging.getLogger(__name__)

STATIC = Path(__file__).resolve().parent.parent / "static"
MAX_UPLOAD = 5 * 1024 * 1024  # a photo; never more than the upload body limit allows (see photo_limit)
UPLOAD_OVERHEAD = 64 * 1024  # the form's other fields and boundaries within the upload body limit
UPLOAD_PATH = "/webhooks/rest/upload"
HISTORY_ITEMS = 200  # what a restored page shows at most (the most recent)
# A transcript item's origin in the mailbox: the visitor's own message, or a direct answer to it. Both were
# shown when they were sent, so the push stream skips them; the history serves them for a reload.
SENT_BY_VISITOR = "me"
DIRECT_ANSWER = "reply"
MAX_FIELD = 4000
KEEPALIVE_SECONDS = 15.0
POLL_SECONDS = 3.0  # another worker may have added to the mailbox: look again this often


class WebChatChannel(Channel):
    """The web chat: sessions issued by the server, Rasa's REST contract, a push stream per session."""

    name = "webchat"

    def __init__(self, handler: Handler, store: Store, texts: Texts, sessions: SessionSigner, limits: WebLimits,
                 staff: StaffSignIn, max_chars: int = 4000, secure_cookie: bool = False) -> None:
        super().__init__(handler)
        self.store = store
        self.texts = texts
        self.sessions = sessions
        self.limits = limits
        self.staff = staff
        self.max_chars = max_chars
        self.secure_cookie = secure_cookie
        self._events: dict[str, asyncio.Event] = {}
        self._closing = asyncio.Event()

    def routes(self) -> list[web.AbstractRouteDef]:
        return [
            web.get("/", self._page),
            web.get("/webchat/texts", self._page_texts),
            web.static("/static", STATIC),
            web.get("/webhooks/rest/session", self._session),
            web.post("/webhooks/rest/webhook", self._webhook),
            web.post(UPLOAD_PATH, self._upload),
            web.get("/webhooks/rest/stream", self._stream),
            web.get("/webhooks/rest/history", self._history),
            web.get("/webhooks/rest/", self._health),
            web.get("/media/{media_id}", self._media),
        ]

    async def stop(self) -> None:
        self.close_streams()

    def close_streams(self) -> None:
        """End every open event stream (the server is shutting down)."""
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

    # --- sessions ----------------------------------------------------------------------------------
    def _lang(self, request: web.Request) -> str:
        return "en" if request.query.get("lang") == "en" else "id"

    def _session_of(self, request: web.Request) -> WebSession:
        return (self.sessions.from_request(request) or self.sessions.renewed_web_staff(request)
                or self.sessions.issue_anonymous())

    def _answer(self, data: Any, session: WebSession, status: int = 200) -> web.Response:
        response = web.json_response(data, status=status)
        if session.new:
            self.sessions.set_cookie(response, session, self.secure_cookie)
        return response

    async def _session(self, request: web.Request) -> web.Response:
        existing = self.sessions.from_request(request)
        if existing is None:  # issuing sessions counts against the address like messages do
            refused = await self._over_address_limit(request)
            if refused is not None:
                return refused
        session = existing or self.sessions.renewed_web_staff(request) or self.sessions.issue_anonymous()
        return self._answer({"sender": session.sender, "staff": session.staff,
                             "photo_max_bytes": self.photo_limit}, session)

    @property
    def photo_limit(self) -> int:
        """The largest photo the upload accepts: 5 MB, or less when the upload body limit is set lower."""
        return max(1, min(MAX_UPLOAD, self.limits.settings.upload_body_bytes - UPLOAD_OVERHEAD))

    def photo_too_large(self, lang: str) -> str:
        """What to do about a photo over the limit, naming the real limit."""
        megabytes = self.photo_limit / (1024 * 1024)
        return self.texts.get("web_photo_too_large", lang, limit=f"{megabytes:.1f}".removesuffix(".0"))

    async def _over_address_limit(self, request: web.Request) -> web.Response | None:
        address = self.limits.client_address(request)
        if self.limits.address_messages.hit(address):
            return None
        if self.limits.address_messages.first_refusal(address):
            logger.warning("web chat: message limit reached for client %s", address)
        await self.limits.slow_down()
        return polite(self.texts.get("limit_messages", self._lang(request)), 429,
                      self.limits.address_messages.retry_after(address))

    async def _guard_staff(self, session: WebSession, text: str,
                           request: web.Request) -> tuple[list[Reply], int] | None:
        """Replies that refuse the message and the status to answer with, or None to handle it.

        A staff identity is usable on the web only through a signed-in staff session; enrolment codes
        (`/daftar`) are limited per session and per client address.
        """
        lang = self._lang(request)
        if await self._staff_without_staff_session(session):
            # Staff enrolled on this web chat sign in again here with a new code; nothing else until then.
            if not (is_web_enrolled(session.sender) and is_enrolment(text)):
                return [Reply(self.texts.get(await self._sign_in_text(session), lang))], 403
        if is_enrolment(text):
            address = self.limits.client_address(request)
            if not self.staff.enrol_allowed(f"{self.name}:{session.sender}", address):
                return [Reply(self.texts.get("limit_enrol", lang))], 429
        return None

    async def _staff_without_staff_session(self, session: WebSession) -> bool:
        """A staff identity reached with a resident token (one from before its enrolment) or with a staff session
        that signed out: what it would read or send belongs to a signed-in staff session only."""
        if session.staff:
            if await self.sessions.signed_out(self.store, session):
                logger.warning("web chat: a staff session used after signing out, refused")
                return True
            staff = await self.store.get_identity(f"{self.name}:{session.sender}")
            if staff is not None and staff.role in SIGN_IN_ROLES and \
                    await signed_in_identity(self.store, session.sender) is None:
                logger.warning("web chat: a staff session whose chat identity no longer holds the role, refused")
                return True
            return False
        identity = await self.store.get_identity(f"{self.name}:{session.sender}")
        if identity is not None and identity.role in SIGN_IN_ROLES:
            logger.warning("web chat: staff identity used without a staff session, refused")
            return True
        if await self._revoked(session):
            # Staff whose access the operator revoked: this browser's chat history holds staff cards.
            logger.warning("web chat: a browser of staff whose access was revoked, refused")
            return True
        return False

    async def _revoked(self, session: WebSession) -> bool:
        return bool(await self.store.get_value(REVOKED_KEY + f"{self.name}:{session.sender}"))

    async def _sign_in_text(self, session: WebSession) -> str:
        if await self._revoked(session):  # only staff enrolled on this web chat itself can /daftar here again
            return "staff_access_revoked_web" if is_web_enrolled(session.sender) else "staff_access_revoked_desk"
        return "staff_web_sign_in_again" if is_web_enrolled(session.sender) else "staff_sign_in_required"

    async def _enrolment_mark(self, session: WebSession) -> Any:
        return await self.store.get_value(ENROLLED_MARK_KEY + f"{self.name}:{session.sender}")

    async def _upgrade_after_enrolment(self, session: WebSession, text: str, mark_before: Any) -> WebSession:
        """`/daftar CODE` on the web redeemed a good code for this session's identity (its enrolment mark
        changed), and the identity is staff: the session becomes a staff session. So a staff member enrolled on
        the web chat who signed out, or whose session ran out, signs in again with a new code as themselves."""
        if not is_enrolment(text) or (session.staff and not await self.sessions.signed_out(self.store, session)):
            return session
        if await self._enrolment_mark(session) in (None, mark_before):
            return session  # the code was wrong, used or expired: nothing changes
        identity = await self.store.get_identity(f"{self.name}:{session.sender}")
        if identity is not None and identity.role in SIGN_IN_ROLES:
            logger.info("web chat: enrolled as %s; the session is now a staff session", identity.role)
            return self.sessions.issue(session.sender, staff=True)
        return session

    # --- inbound -----------------------------------------------------------------------------------
    async def _webhook(self, request: web.Request) -> web.Response:
        refused = await self._over_address_limit(request)
        if refused is not None:
            return refused
        try:
            body = parse_json(await request.read())
        except InputError as exc:
            return polite(f'{exc}. Send JSON like {{"message": "..."}}', 400)
        if not isinstance(body, dict):
            return polite('Body must be a JSON object like {"message": "..."}', 400)
        text = body.get("message")
        metadata_raw = body.get("metadata")
        metadata: dict[str, Any] = metadata_raw if isinstance(metadata_raw, dict) else {}
        if text is None and metadata.get("location"):
            text = ""  # a shared location needs no text
        if not isinstance(text, str):
            return polite("Field `message` (a string) is required", 400)
        try:
            text = clean_text(text)
        except InputError as exc:
            return polite(str(exc), 400)
        session = self._session_of(request)
        sender = session.sender
        refusal = await self._guard_staff(session, text, request)
        if refusal is not None:
            return self._answer([self._render(sender, r) for r in refusal[0]], session, refusal[1])
        name = metadata.get("name")
        message = Message(channel=self.name, sender_id=sender, text=text[: self.max_chars],
                          location=self._location(metadata.get("location")),
                          message_id=str(body.get("message_id") or "")[:128],
                          sender_name=clean_text(name[:100], "metadata.name") if isinstance(name, str) else None)
        if metadata.get("greeting") is not True:  # the page's own greeting is not something the visitor wrote
            await self._record(sender, {"text": mask_nik_in(text) or self._location_label(message)}, SENT_BY_VISITOR)
        mark_before = await self._enrolment_mark(session) if is_enrolment(text) else None
        replies = await self.handler(message)
        session = await self._upgrade_after_enrolment(session, text, mark_before)
        rendered = [self._render(sender, r) for r in replies]
        for item in rendered:
            await self._record(sender, item, DIRECT_ANSWER)
        return self._answer(rendered, session)

    @staticmethod
    def _location_label(message: Message) -> str:
        location = message.location
        if location is None or location.latitude is None or location.longitude is None:
            return ""
        return f"📍 {location.latitude:.5f}, {location.longitude:.5f}"

    async def _record(self, sender: str, item: dict[str, Any], origin: str) -> None:
        """Keep one line of the visitor's conversation in their mailbox, for the page to restore after a reload."""
        if origin == SENT_BY_VISITOR and not item.get("text"):
            return
        await self.store.mailbox_add(f"{self.name}:{sender}", {**item, "recipient_id": sender, "origin": origin},
                                     utcnow())

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
        name = raw.get("name")
        return Location(lat, lon, clean_text(name[:200], "location.name") if isinstance(name, str) else None)

    async def _upload(self, request: web.Request) -> web.Response:
        lang = self._lang(request)
        refused = await self._over_address_limit(request)
        if refused is not None:
            return refused
        if not request.content_type.startswith("multipart/"):
            return polite("Upload a photo as multipart/form-data with fields file and caption", 400)
        try:
            async with asyncio.timeout(self.limits.settings.body_timeout):
                photo, caption = await self._read_upload(request)
        except TimeoutError:
            response = polite(self.texts.get("limit_slow", lang), 408)
            response.force_close()
            return response
        except InputError as exc:
            return polite(str(exc), 400)
        except _TooLarge:
            return polite(self.photo_too_large(lang), 413)
        if photo is None:
            return polite("Field `file` (the photo) is missing", 400)
        session = self._session_of(request)
        refusal = await self._guard_staff(session, caption, request)
        if refusal is not None:
            return self._answer([self._render(session.sender, r) for r in refusal[0]], session, refusal[1])
        from bot.media import NotAnImage, reencode_photo

        try:
            mime, data = await asyncio.to_thread(reencode_photo, photo)
        except NotAnImage:
            return self._answer({"error": self.texts.get("photo_not_image", lang)}, session, 415)
        message = Message(channel=self.name, sender_id=session.sender, text=caption[: self.max_chars],
                          attachments=(Attachment(kind="photo", mime=mime, data=data, caption=caption or None,
                                                  reencoded=True),))
        await self._record(session.sender, {"text": f"📷 {caption}".rstrip()}, SENT_BY_VISITOR)
        replies = await self.handler(message)
        rendered = [self._render(session.sender, r) for r in replies]
        for item in rendered:
            await self._record(session.sender, item, DIRECT_ANSWER)
        return self._answer(rendered, session)

    async def _read_upload(self, request: web.Request) -> tuple[bytes | None, str]:
        try:
            reader = await request.multipart()
        except FORM_ERRORS:
            raise InputError("The multipart body has no boundary; send multipart/form-data") from None
        photo: bytes | None = None
        caption = ""
        try:
            async for part in reader:
                if not isinstance(part, BodyPartReader):
                    continue
                data = await _read_part(part, self.photo_limit if part.name == "file" else MAX_FIELD * 4)
                if part.name == "file":
                    photo = data
                elif part.name == "caption":
                    caption = clean_text(data.decode("utf-8", errors="replace")[:MAX_FIELD], "caption")
        except FORM_ERRORS as exc:
            if isinstance(exc, InputError):
                raise
            raise InputError("The multipart body is malformed") from None
        return photo, caption

    async def _stream(self, request: web.Request) -> web.StreamResponse:
        lang = self._lang(request)
        session = self.sessions.from_request(request)
        if session is None:
            return polite(self.texts.get("session_needed", lang), 401)
        if await self._staff_without_staff_session(session):
            return polite(self.texts.get(await self._sign_in_text(session), lang), 403)
        after = _cursor(request.query.get("after") or request.headers.get("Last-Event-ID"))
        if after is None:
            return polite("Query parameter `after` must be a whole number from 0", 400)
        address = self.limits.client_address(request)
        gate = self.limits.streams
        if not gate.acquire(session.sender, address):
            await self.limits.slow_down()
            busy = gate.open >= gate.total
            return polite(self.texts.get("limit_busy" if busy else "limit_streams", lang), 429, 10)
        sender = session.sender
        try:
            return await self._serve_stream(request, sender, after, session if session.staff else None)
        finally:
            gate.release(sender, address)
            if gate.streams_of(sender) == 0:
                self._events.pop(sender, None)  # nothing is kept for a visitor who left

    async def _serve_stream(self, request: web.Request, sender: str, after: int,
                            staff: WebSession | None = None) -> web.StreamResponse:
        """The visitor's later replies as server-sent events; a staff session's (`staff` given) is checked
        again before replies are sent and at every keep-alive, and ends with a `signed_out` event."""
        response = web.StreamResponse(headers={"Content-Type": "text/event-stream", "Cache-Control": "no-cache",
                                               "X-Accel-Buffering": "no"})
        await response.prepare(request)
        event = self._events.setdefault(sender, asyncio.Event())
        key = f"{self.name}:{sender}"
        loop = asyncio.get_running_loop()
        last_write = loop.time()
        try:
            while not self._closing.is_set():
                transport = request.transport
                if transport is None or transport.is_closing():
                    break  # the visitor left: give the stream's resources back now, not at the next write
                items = await self.store.mailbox_after(key, after)
                if staff is not None and (items or loop.time() - last_write >= KEEPALIVE_SECONDS) \
                        and not await self.sessions.still_staff(self.store, staff):
                    await response.write(SIGNED_OUT_EVENT)
                    break
                for item_id, reply in items:
                    after = item_id
                    if reply.get("origin"):
                        continue  # the visitor's own line or a direct answer: the page showed it already
                    await response.write(f"id: {item_id}\nevent: reply\ndata: {json.dumps(reply)}\n\n".encode())
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

    async def _history(self, request: web.Request) -> web.Response:
        """The session's own conversation, oldest first: `{"items": [{"id", "from", "text", ...}], "last": N}`.

        `from` is `me` (the visitor), `bot` (a direct answer) or `push` (a reply that came later, e.g. an
        officer's). Only the most recent HISTORY_ITEMS are served; `last` is the cursor for the push stream.
        """
        session = self.sessions.from_request(request)
        if session is None:
            return polite(self.texts.get("session_needed", self._lang(request)), 401)
        if await self._staff_without_staff_session(session):
            return polite(self.texts.get(await self._sign_in_text(session), self._lang(request)), 403)
        after = _cursor(request.query.get("after"))
        if after is None:
            return polite("Query parameter `after` must be a whole number from 0", 400)
        key = f"{self.name}:{session.sender}"
        items: list[dict[str, Any]] = []
        last = after
        while True:
            page = await self.store.mailbox_after(key, last, limit=500)
            for item_id, reply in page:
                origin = reply.pop("origin", None)
                reply.pop("recipient_id", None)
                kind = "me" if origin == SENT_BY_VISITOR else "bot" if origin == DIRECT_ANSWER else "push"
                items.append({"id": item_id, "from": kind, **reply})
            if len(page) < 500:
                break
            last = page[-1][0]
            del items[:-HISTORY_ITEMS]
        items = items[-HISTORY_ITEMS:]
        return web.json_response({"items": items, "last": items[-1]["id"] if items else after},
                                 headers={"Cache-Control": "no-store"})

    async def _media(self, request: web.Request) -> web.StreamResponse:
        media = await self.store.get_media(request.match_info["media_id"])
        if media is None:
            raise web.HTTPNotFound(text="no such file")
        return web.Response(body=media.data, content_type=media.mime,
                            headers={"Cache-Control": "private, max-age=86400",
                                     "Content-Disposition": "inline; filename=foto"})

    async def _page(self, request: web.Request) -> web.StreamResponse:
        return web.FileResponse(STATIC / "index.html", headers={"Cache-Control": "no-cache"})

    async def _page_texts(self, request: web.Request) -> web.Response:
        lang = self._lang(request)
        keys = [k for k in self.texts.keys() if k.startswith("web_")]
        return web.json_response({k: self.texts.get(k, lang, self.name) for k in keys})

    async def _health(self, request: web.Request) -> web.Response:
        return web.json_response({"status": "ok"})


_MAX_CURSOR = 2**62  # mailbox ids are SQLite/Mongo 64-bit integers


def _cursor(raw: str | None) -> int | None:
    """A mailbox cursor (`after`, `Last-Event-ID`): 0 when absent, None when not a whole number in range."""
    raw = (raw or "0").strip()
    if not raw.isascii() or not raw.isdigit() or len(raw) > 19 or int(raw) > _MAX_CURSOR:
        return None
    return int(raw)


class _TooLarge(Exception):
    """A multipart part is larger than its limit."""


async def _read_part(part: BodyPartReader, limit: int) -> bytes:
    chunks: list[bytes] = []
    size = 0
    while chunk := await part.read_chunk(64 * 1024):
        size += len(chunk)
        if size > limit:
            raise _TooLarge
        chunks.append(bytes(chunk))
    return b"".join(chunks)
