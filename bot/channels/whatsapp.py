"""WhatsApp through Meta's Cloud API, over plain aiohttp.

Inbound: `POST /webhooks/whatsapp` carries Meta's signature of the raw body (X-Hub-Signature-256,
HMAC-SHA256 with the app secret). Every message is stored in the shared inbox (bot/inbox.py) before
we answer 200, so a crash loses nothing, Meta's retries (for up to a day) are recognised by the
message id, and another worker takes over what a dead one held. Processing happens after the answer,
one sender at a time and in arrival order.

Outbound: `POST /{phone-number-id}/messages` with text, interactive buttons/lists, images,
locations and templates. WhatsApp allows free-form messages only within 24 hours of the
resident's last message; outside it we send the approved template and keep the replies until the
resident writes again, then deliver them first (bot/held.py: the operator's outbox page lists them,
and the operators are told once when a staff member's messages start to wait). Graph errors map to
RetryableError (the outbox retries) or PermanentError.

At start, one authenticated GET of the phone number (`GET /{phone-number-id}`, the cheapest call that needs
the token) tells /healthz whether Graph accepts the token: "ok", "unauthorised" or "unreachable" (tried again,
less and less often, until it answers); it runs in the background and never holds up or fails the start.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import hmac
import json
import logging
import weakref
from collections import OrderedDict
from collections.abc import Awaitable, Callable, Sequence
from datetime import UTC, datetime, timedelta
from typing import Any

import aiohttp
from aiohttp import web

from bot.channels.base import Channel, Handler
from bot.channels.shape import NUMBER, shape_problem
from bot.errors import DeliveryError, OutsideWindowError, PermanentError, RetryableError, TooLargeError
from bot.held import HeldReplies
from bot.http_input import parse_json
from bot.inbox import Inbox, MalformedDelivery
from bot.message import Attachment, Location, Message, Reply, split_text, utcnow
from bot.secrets_compare import same_secret
from bot.store.base import InboxItem, OutboxJob, Store, update_value
from bot.texts import Texts

logger = logging.getLogger(__name__)

CHANNEL = "whatsapp"
TEXT_LIMIT = 4096
BODY_LIMIT = 1024  # interactive body and image caption
BUTTON_TITLE_LIMIT = 20
BUTTON_ID_LIMIT = 256
LIST_ROW_TITLE_LIMIT = 24
LIST_ROW_DESCRIPTION_LIMIT = 72
LIST_ROW_ID_LIMIT = 200
MAX_BUTTONS = 3
MAX_LIST_ROWS = 10
WINDOW = timedelta(hours=24)
DEFAULT_RETRY_AFTER = 5.0
MAX_MEDIA_BYTES = 16 * 1024 * 1024
MEDIA_ATTEMPTS = 3
STATUS_KEY = "wa_status:{}"

# Graph error codes: throttling (retry later), the closed 24-hour window, and transient failures.
RATE_LIMIT_CODES = frozenset({4, 80007, 130429, 131056})
WINDOW_CLOSED_CODES = frozenset({131047})
TRANSIENT_CODES = frozenset({1, 2, 131000})
STATUS_RANK = {"sent": 1, "delivered": 2, "read": 3, "failed": 4}
ATTACHMENT_TYPES = {"audio", "video", "document", "sticker"}
PHOTO_MIMES = frozenset({"image/jpeg", "image/png", "image/webp"})

# What we read of a delivery (bot/channels/shape.py): a message that does not fit is not stored, one that does is
# read without surprises. A message type not named here is read by its type alone (the dialogue explains it).
_MEDIA = {"id?": str, "mime_type?": str, "caption?": str, "voice?": bool}
_CHOICE = {"id?": str, "title?": str}
MESSAGE_SHAPE = {"id": str, "from": str, "type?": str, "timestamp?": (str, int), "context?": {"id?": str}}
TYPE_SHAPES: dict[str, dict[str, object]] = {
    "text": {"text": {"body": str}},
    **{kind: {kind: _MEDIA} for kind in ("image", "document", "audio", "video", "sticker")},
    "location": {"location": {"latitude?": NUMBER, "longitude?": NUMBER, "name?": str, "address?": str}},
    "interactive": {"interactive": {"button_reply?": _CHOICE, "list_reply?": _CHOICE}},
    "button": {"button": {"payload?": str, "text?": str}},
}
CONTACT_SHAPE = {"wa_id?": str, "profile?": {"name?": str}}
STATUS_SHAPE = {"id": str, "status?": str, "recipient_id?": str, "timestamp?": (str, int),
                "errors?": [{"code?": int, "title?": str, "message?": str, "error_data?": {"details?": str}}]}


class _Partial(Exception):
    """Sending stopped at a failure; `remaining` are the replies not (completely) sent."""

    def __init__(self, remaining: list[Reply], cause: DeliveryError) -> None:
        super().__init__(str(cause))
        self.remaining = remaining
        self.cause = cause


def signature_of(secret: str, body: bytes) -> str:
    """The X-Hub-Signature-256 header value Meta sends for `body` (also used by tests and the bench)."""
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def _shorten(text: str, limit: int) -> str:
    """Fit a title into WhatsApp's limit, cutting at a word where possible and marking the cut."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    space = cut.rfind(" ")
    if space >= limit // 2:
        cut = cut[:space]
    return cut.rstrip(" ,.;:-") + "…"


def _row_title(title: str) -> str:
    """A list row's title: of "Dishub: Lampu penerangan jalan (PJU)", too long for a row, the topic after the
    agency's name (the row's description carries the whole); other titles as they are."""
    head, sep, tail = " ".join(title.split()).partition(": ")
    return tail if sep and len(title) > LIST_ROW_TITLE_LIMIT and len(head) <= 20 and tail else title


def _unique_titles(titles: list[str], limit: int) -> list[str]:
    """WhatsApp rejects two buttons or rows with the same title; number the repeats."""
    seen: set[str] = set()
    out: list[str] = []
    for title in titles:
        candidate, n = title, 2
        while candidate in seen:
            suffix = f" {n}"
            candidate = _shorten(title, limit - len(suffix)) + suffix
            n += 1
        seen.add(candidate)
        out.append(candidate)
    return out


def _tail_split(text: str, limit: int) -> tuple[str, str]:
    """Split `text` into (head, tail) with the tail at most `limit` characters, cut at a boundary."""
    if len(text) <= limit:
        return "", text
    start = len(text) - limit
    window = text[start:]
    for sep in ("\n\n", "\n", " "):
        at = window.find(sep)
        if 0 <= at < limit // 2:
            return text[: start + at].rstrip(), window[at:].lstrip()
    return text[:start].rstrip(), window


def message_problem(message: Any) -> str | None:
    """What makes a delivered message unreadable ("message.text.body is not a string"), or None."""
    problem = shape_problem(message, MESSAGE_SHAPE, "message")
    if problem is None:
        problem = shape_problem(message, TYPE_SHAPES.get(message.get("type") or "", {}), "message")
    return problem


def _readable(contact: dict[str, Any]) -> dict[str, Any]:
    """The sender's contact, or nothing when it does not fit (only its profile name is read: the message is kept)."""
    return {} if shape_problem(contact, CONTACT_SHAPE) else contact


def _sent_at(timestamp: Any) -> datetime:
    """When the message was sent (Meta gives Unix seconds as a string); now for a value that is no time."""
    try:
        return datetime.fromtimestamp(int(timestamp), UTC)
    except (TypeError, ValueError, OverflowError, OSError):
        return utcnow()


def _text_bodies(text: str) -> list[dict[str, Any]]:
    return [{"type": "text", "text": {"body": piece, "preview_url": False}}
            for piece in split_text(text, TEXT_LIMIT) if piece.strip()]


def _parse_retry_after(value: str | None) -> float | None:
    if not value:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        return None


def _graph_error(status: int, data: dict[str, Any], retry_after: str | None,
                 default_retry_after: float = DEFAULT_RETRY_AFTER) -> DeliveryError:
    """Map a Graph API error answer to retry, the template path, or a permanent failure."""
    raw_error = data.get("error")
    error: dict[str, Any] = raw_error if isinstance(raw_error, dict) else {}
    code = error.get("code")
    reason = f"Graph API {status}: code {code} {error.get('message') or ''}".strip()
    if code in WINDOW_CLOSED_CODES:
        return OutsideWindowError(reason)
    if status == 429 or code in RATE_LIMIT_CODES:
        wait = _parse_retry_after(retry_after)
        return RetryableError(reason, retry_after=default_retry_after if wait is None else wait)
    if status >= 500 or code in TRANSIENT_CODES:
        return RetryableError(reason, retry_after=_parse_retry_after(retry_after))
    return PermanentError(reason)


class WhatsAppChannel(Channel):
    """The WhatsApp Cloud API channel: webhook in, Graph API out."""

    name = CHANNEL
    # Seconds to wait after a rate-limit answer without Retry-After (tests lower it).
    default_retry_after: float = DEFAULT_RETRY_AFTER

    # Seconds before the start-up check of the token is tried again while Graph is unreachable (doubling, capped).
    CHECK_RETRY: float = 5.0
    CHECK_RETRY_CAP: float = 300.0

    def __init__(self, settings: Any, handler: Handler, store: Store, texts: Texts,
                 clock: Callable[[], datetime] | None = None,
                 on_held: Callable[[str], Awaitable[None]] | None = None) -> None:
        super().__init__(handler)
        self.settings = settings
        self.store = store
        self.texts = texts
        self.clock = clock or utcnow
        self.held = HeldReplies(store, self.clock)
        # Called with the number when replies start to wait for someone (the operators hear of a staff member's).
        self.on_held = on_held
        self.access = "checking"  # what Graph said of the token at start: ok, unauthorised, unreachable
        self._checker: asyncio.Task[None] | None = None
        self.base = f"{settings.graph_url.rstrip('/')}/{settings.api_version}"
        self._session: aiohttp.ClientSession | None = None
        self.inbox = Inbox(store, CHANNEL, self._process, self._order_key)
        self._locks: weakref.WeakValueDictionary[str, asyncio.Lock] = weakref.WeakValueDictionary()
        # Steps already sent of a batch that failed part-way, so an outbox retry does not repeat them.
        self._progress: OrderedDict[str, int] = OrderedDict()

    # --- lifecycle ------------------------------------------------------------------------------
    def routes(self) -> list[web.AbstractRouteDef]:
        return [web.get("/webhooks/whatsapp", self._verify), web.post("/webhooks/whatsapp", self._receive)]

    async def start(self) -> None:
        self._session = aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=30, connect=10))
        self._checker = asyncio.create_task(self._check_access(), name="whatsapp-check")
        await self.inbox.start()

    @property
    def state(self) -> str:
        return self.access

    async def stop(self) -> None:
        if self._checker is not None:
            self._checker.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._checker
            self._checker = None
        await self.inbox.stop()
        if self._session is not None:
            await self._session.close()
            self._session = None

    async def _check_access(self) -> None:
        """GET the phone number with the token, once; again later only while Graph cannot be reached."""
        delay = self.CHECK_RETRY
        while True:
            try:
                await self._call("GET", f"{self.base}/{self.settings.phone_number_id}")
            except RetryableError as exc:
                self.access = "unreachable"
                logger.warning("WhatsApp: the Graph API cannot be reached (%s); checking again in %.0f s", exc, delay)
                await asyncio.sleep(delay)
                delay = min(delay * 2, self.CHECK_RETRY_CAP)
                continue
            except PermanentError as exc:
                self.access = "unauthorised"
                logger.error("WhatsApp: the Graph API refused WHATSAPP_TOKEN for WHATSAPP_PHONE_NUMBER_ID (%s); "
                             "nothing can be sent on WhatsApp until they are right (docs/whatsapp.md)", exc)
                return
            self.access = "ok"
            logger.info("WhatsApp: the Graph API accepted the token for this phone number")
            return

    def _lock(self, key: str) -> asyncio.Lock:
        lock = self._locks.get(key)
        if lock is None:
            lock = asyncio.Lock()
            self._locks[key] = lock
        return lock

    # --- webhook --------------------------------------------------------------------------------
    async def _verify(self, request: web.Request) -> web.Response:
        """Meta's subscription handshake: echo the challenge only for our verify token."""
        expected = self.settings.verify_token or ""
        given = request.query.get("hub.verify_token", "")
        if (request.query.get("hub.mode") == "subscribe" and expected
                and same_secret(given, expected)):
            return web.Response(text=request.query.get("hub.challenge", ""), content_type="text/plain")
        logger.warning("WhatsApp webhook verification refused (wrong verify token or mode)")
        return web.Response(status=403, text="forbidden")

    async def _receive(self, request: web.Request) -> web.Response:
        raw = await request.read()
        header = request.headers.get("X-Hub-Signature-256")
        if not header:
            return web.Response(status=401, text="missing signature")
        secret = self.settings.app_secret or ""
        if not secret or not same_secret(header.strip().lower(), signature_of(secret, raw)):
            logger.warning("WhatsApp webhook with a wrong signature refused")
            return web.Response(status=403, text="bad signature")
        try:
            body = parse_json(raw)  # 400 for deep nesting or lone surrogates too
            values = self._values(body)
        except (ValueError, TypeError, AttributeError, KeyError):
            return web.Response(status=400, text="malformed payload")
        for value in values:
            await self._store_messages(value)
            for status in value.get("statuses") or ():
                await self._record_status(status)
        return web.Response(text="ok")

    def _values(self, body: Any) -> list[dict[str, Any]]:
        """The `value` objects of message changes meant for our phone number."""
        if not isinstance(body, dict) or not isinstance(body.get("entry"), list):
            raise ValueError("no entry list")
        values: list[dict[str, Any]] = []
        for entry in body["entry"]:
            for change in entry.get("changes") or ():
                value = change.get("value")
                if change.get("field", "messages") != "messages" or not isinstance(value, dict):
                    continue
                phone_id = (value.get("metadata") or {}).get("phone_number_id")
                if phone_id and str(phone_id) != str(self.settings.phone_number_id):
                    logger.info("WhatsApp delivery for another phone number id ignored")
                    continue
                lists = {k: [x for x in value.get(k) or () if isinstance(x, dict)] if isinstance(value.get(k), list)
                         else [] for k in ("messages", "contacts", "statuses")}
                values.append({**value, **lists})
        return values

    async def _store_messages(self, value: dict[str, Any]) -> int:
        """Keep each new message durably before we acknowledge; repeats from Meta are dropped here."""
        contacts = value.get("contacts") or []
        fresh = 0
        for message in value.get("messages") or ():
            problem = message_problem(message)
            if problem:
                logger.warning("WhatsApp message ignored, it cannot be read: %s", problem)
                continue
            wamid, sender = message["id"], message["from"]
            mine = next((c for c in contacts if c.get("wa_id") == sender), contacts[0] if contacts else {})
            contact = _readable(mine)
            payload = {"message": message, "contact": contact, "metadata": value.get("metadata") or {}}
            fresh += await self.inbox.accept(wamid, payload, utcnow())
        return fresh

    async def _record_status(self, status: dict[str, Any]) -> None:
        """Keep what became of a message we sent (sent, delivered, read, failed) under its wamid."""
        problem = shape_problem(status, STATUS_SHAPE, "status")
        if problem:
            logger.warning("WhatsApp status ignored, it cannot be read: %s", problem)
            return
        wamid, state = str(status["id"]), str(status.get("status", ""))
        at = status.get("timestamp")
        errors = [{"code": e.get("code"), "title": e.get("title"),
                   "details": (e.get("error_data") or {}).get("details") or e.get("message")}
                  for e in status.get("errors") or () if isinstance(e, dict)]
        if state == "failed":
            codes = ", ".join(f"{e['code']} {e['title'] or ''}".strip() for e in errors) or "no error code"
            logger.warning("WhatsApp message %s failed: %s", wamid, codes)
        entry = {"status": state, "at": at}

        def record(current: Any | None) -> dict[str, Any]:
            value = current or {"history": []}
            if entry in value["history"]:
                return value
            value["history"].append(entry)
            value["recipient"] = status.get("recipient_id") or value.get("recipient")
            if STATUS_RANK.get(state, 0) >= STATUS_RANK.get(value.get("status", ""), 0):
                value["status"] = state
            if errors:
                value["errors"] = value.get("errors", []) + errors
            value["updated_at"] = utcnow().isoformat()
            return value

        await update_value(self.store, STATUS_KEY.format(wamid), record)

    # --- processing -----------------------------------------------------------------------------
    async def _process(self, item: InboxItem) -> None:
        """Handle one stored delivery; an exception leaves it to the inbox's retry and poison policy."""
        problem = message_problem(item.payload.get("message"))  # stored before its shape was checked
        if problem:
            raise MalformedDelivery(problem)
        sender = item.payload["message"]["from"]
        async with self._lock(sender):
            await self._process_locked(item, sender)

    @staticmethod
    def _order_key(item: InboxItem) -> str:
        message = item.payload.get("message")
        return str(message.get("from") or item.message_id) if isinstance(message, dict) else item.message_id

    async def _process_locked(self, item: InboxItem, sender: str) -> None:
        message = await self._to_message(item.payload)
        if message is None:
            return
        replies = await self.handler(message)
        held = await self.held.replies(sender)
        outgoing = held + list(replies)
        try:
            await self._send_replies(sender, outgoing)
        except _Partial as failed:
            if isinstance(failed.cause, OutsideWindowError):
                await self._hold(sender, failed.remaining, drop=len(held))  # what is left replaces what was held
                held = []
            else:
                logger.warning("WhatsApp replies to %s queued for retry: %s", item.message_id, failed.cause)
                payload = {"to": f"{CHANNEL}:{sender}", "replies": [r.to_dict() for r in failed.remaining]}
                job = OutboxJob(key=f"whatsapp-reply:{item.message_id}", kind="deliver", payload=payload,
                                created_at=utcnow())
                await self.store.enqueue([job])
        if held:  # sent: drop exactly those, keeping whatever another worker held meanwhile
            await self.held.delivered(sender, len(held))

    async def _to_message(self, payload: dict[str, Any]) -> Message | None:
        """The normalised Message of one stored delivery; None for what needs no answer (reactions)."""
        data: dict[str, Any] = payload["message"]
        kind = data.get("type", "")
        if kind in ("reaction", "system"):
            return None
        text = ""
        attachments: list[Attachment] = []
        location: Location | None = None
        if kind == "text":
            text = (data.get("text") or {}).get("body", "")
        elif kind == "image" or (kind == "document" and (data.get("document") or {}).get("mime_type") in PHOTO_MIMES):
            image = data.get(kind) or {}  # a photo sent as a file (a document) keeps full quality: still a photo
            text = image.get("caption") or ""
            attachments.append(await self._photo(image))
        elif kind == "location":
            pin = data.get("location") or {}
            location = Location(pin.get("latitude"), pin.get("longitude"), pin.get("name"), pin.get("address"))
        elif kind == "interactive":
            interactive = data.get("interactive") or {}
            choice = interactive.get("button_reply") or interactive.get("list_reply") or {}
            text = str(choice.get("id") or choice.get("title") or "")
        elif kind == "button":  # a quick-reply button of a template
            button = data.get("button") or {}
            text = str(button.get("payload") or button.get("text") or "")
        elif kind in ATTACHMENT_TYPES:
            media = data.get(kind) or {}
            attachment_kind = "voice" if kind == "audio" and media.get("voice") else kind
            audio: bytes | None = None
            size: int | None = None
            if attachment_kind == "voice" and media.get("id") and self.fetch_voice:  # speech-to-text
                try:
                    audio, _ = await self.download_media(str(media["id"]))
                except TooLargeError as exc:
                    size = exc.size
                except DeliveryError as exc:
                    logger.warning("WhatsApp voice note download failed: %s", exc)
            attachments.append(Attachment(kind=attachment_kind, mime=media.get("mime_type"), ref=media.get("id"),
                                          caption=media.get("caption"), data=audio, size=size,
                                          too_large=size is not None))
            text = media.get("caption") or ""
        else:  # contacts, unsupported (polls, ...), order: the dialogue explains what it can read
            attachments.append(Attachment(kind=kind or "unsupported"))
        contact = _readable(payload.get("contact") or {})
        return Message(
            channel=CHANNEL, sender_id=data["from"], text=text, message_id=data["id"],
            received_at=_sent_at(data.get("timestamp")), attachments=tuple(attachments), location=location,
            sender_name=(contact.get("profile") or {}).get("name"),
            reply_to=(data.get("context") or {}).get("id"), raw=data,
        )

    async def _photo(self, image: dict[str, Any]) -> Attachment:
        """Download a photo now, while its media id is valid; on failure keep only the reference, marked
        `missing` (the resident is asked to send it again), and one over WARGA_MAX_PHOTO_BYTES is not
        downloaded but marked `too_large` (the resident is told the limit)."""
        media_id = str(image.get("id", ""))
        for attempt in range(MEDIA_ATTEMPTS):
            try:
                data, mime = await self.download_media(media_id, self.max_photo_bytes)
                return Attachment(kind="photo", mime=mime or image.get("mime_type"), data=data, ref=media_id,
                                  caption=image.get("caption"))
            except TooLargeError as exc:
                return Attachment(kind="photo", mime=image.get("mime_type"), ref=media_id,
                                  caption=image.get("caption"), size=exc.size, too_large=True)
            except RetryableError as exc:
                logger.warning("WhatsApp media download failed (attempt %d): %s", attempt + 1, exc)
                await asyncio.sleep(0.2 * (attempt + 1))
            except PermanentError as exc:
                logger.warning("WhatsApp media download failed: %s", exc)
                break
        return Attachment(kind="photo", mime=image.get("mime_type"), ref=media_id, caption=image.get("caption"),
                          missing=True)

    async def download_media(self, media_id: str, limit: int | None = None) -> tuple[bytes, str | None]:
        """GET /{media-id} for the short-lived URL, then the bytes; both need the bearer token.

        A file over `limit` (default: what the store keeps in one record, MongoDB's document limit) raises
        TooLargeError; the size Graph gives is checked before anything is downloaded.
        """
        info = await self._call("GET", f"{self.base}/{media_id}")
        url = info.get("url")
        if not url:
            raise PermanentError("Graph API media answer without url")
        limit = min(MAX_MEDIA_BYTES, self.max_file_bytes, limit or MAX_MEDIA_BYTES)
        size = int(info.get("file_size") or 0)
        if size > limit:
            raise TooLargeError(f"media file too large to keep ({size} > {limit} bytes)", size)
        try:
            async with self._http().get(url, headers=self._auth()) as resp:
                if resp.status != 200:
                    raise _graph_error(resp.status, {}, resp.headers.get("Retry-After"))
                if (resp.content_length or 0) > limit:
                    raise TooLargeError(f"media file too large to keep ({resp.content_length} > {limit} bytes)",
                                        resp.content_length or 0)
                data = bytearray()
                async for chunk in resp.content.iter_chunked(1 << 16):  # never more than the limit in memory
                    data += chunk
                    if len(data) > limit:
                        raise TooLargeError(f"media file too large to keep (over {limit} bytes)", len(data))
                return bytes(data), info.get("mime_type") or resp.headers.get("Content-Type")
        except (TimeoutError, aiohttp.ClientError) as exc:
            raise RetryableError(f"media download: {type(exc).__name__}") from exc

    # --- outbound -------------------------------------------------------------------------------
    async def send(self, recipient_id: str, replies: Sequence[Reply]) -> None:
        """Pushes: inside the 24-hour window send now, outside it send the template and hold."""
        await self.deliver(recipient_id, replies, None)

    async def deliver(self, recipient_id: str, replies: Sequence[Reply], key: str | None) -> None:
        """An outbox delivery: held outside the window under the job's key, so a retried job is held once."""
        replies = list(replies)
        async with self._lock(recipient_id):
            if not await self._window_open(recipient_id):
                await self._hold(recipient_id, replies, key=key)
                return
            try:
                await self._send_replies(recipient_id, replies)
            except _Partial as failed:
                if isinstance(failed.cause, OutsideWindowError):
                    await self._hold(recipient_id, failed.remaining, key=key)
                    return
                raise failed.cause from None

    async def _window_open(self, recipient_id: str) -> bool:
        conversation = await self.store.get_conversation(f"{CHANNEL}:{recipient_id}")
        last = conversation.last_inbound_at if conversation else None
        if last is None:
            return False
        if last.tzinfo is None:
            last = last.replace(tzinfo=UTC)
        return self.clock() - last < WINDOW

    async def _hold(self, recipient_id: str, replies: list[Reply], drop: int = 0, key: str | None = None) -> None:
        """Outside the window: keep replies for the person's next message; announce them once by template, and
        tell whoever must know (`on_held`: the operators, of a staff member) once when the wait begins.

        `drop` removes that many replies from the front of what was held (the caller has just tried to
        send them and passes what is left). Compare-and-set, so a held reply is never lost between workers.
        """
        if not replies:
            return
        if not (await self.held.replies(recipient_id))[drop:]:
            if self.settings.template_name:
                try:
                    await self._send_template(recipient_id, replies)
                except PermanentError as exc:
                    logger.error("WhatsApp template %r could not be sent (%s); the answer is kept until the "
                                 "resident writes", self.settings.template_name, exc)
            else:
                logger.warning("WhatsApp: the 24-hour window is closed and WHATSAPP_TEMPLATE_NAME is not set; "
                               "the answer is kept until the resident writes again")
        began = await self.held.add(recipient_id, replies, drop, key)
        self._progress.pop(self._batch_key(recipient_id, replies), None)
        if began and self.on_held is not None:
            try:
                await self.on_held(recipient_id)
            except Exception:  # the replies are held and listed either way; only the word to the operators failed
                logger.exception("WhatsApp: could not tell the operators that replies wait for a number")

    async def _send_template(self, recipient_id: str, replies: list[Reply]) -> None:
        ticket = next((r.ticket for r in replies if r.ticket), None)
        lang = await self._lang(recipient_id)
        parameter = ticket or self.texts.get("wa_template_no_ticket", lang)
        body = {"type": "template", "template": {
            "name": self.settings.template_name, "language": {"code": self.settings.template_lang},
            "components": [{"type": "body", "parameters": [{"type": "text", "text": parameter}]}],
        }}
        wamid = await self._send_message(recipient_id, body)
        if ticket and wamid:
            await self.store.link_message(CHANNEL, recipient_id, wamid, ticket)

    def _batch_key(self, recipient_id: str, replies: Sequence[Reply]) -> str:
        blob = json.dumps([recipient_id, [r.to_dict() for r in replies]], sort_keys=True, default=str)
        return hashlib.sha256(blob.encode()).hexdigest()

    async def _send_replies(self, recipient_id: str, replies: list[Reply]) -> None:
        """Send every reply in order; on a failure raise _Partial with what is left.

        Messages already sent of a batch are remembered, so when the outbox retries the same batch
        the resident does not get them twice.
        """
        key = self._batch_key(recipient_id, replies)
        done = self._progress.get(key, 0)
        step = 0
        lang: str | None = None
        for index, reply in enumerate(replies):
            if self._needs_lang(reply) and lang is None:
                lang = await self._lang(recipient_id)
            reply_start = step
            for body in self._bodies(reply, lang or "id"):
                if step < done:
                    step += 1
                    continue
                try:
                    wamid = await self._send_message(recipient_id, body)
                except DeliveryError as exc:
                    self._remember(key, step)
                    # The rest may be retried as a batch of its own (an outbox job): remember that too.
                    self._remember(self._batch_key(recipient_id, replies[index:]), step - reply_start)
                    raise _Partial(replies[index:], exc) from exc
                step += 1
                if reply.ticket and wamid:
                    await self.store.link_message(CHANNEL, recipient_id, wamid, reply.ticket)
        self._progress.pop(key, None)

    def _remember(self, key: str, step: int) -> None:
        if step:
            self._progress[key] = step
            self._progress.move_to_end(key)
            while len(self._progress) > 10000:
                self._progress.popitem(last=False)

    async def _lang(self, recipient_id: str) -> str:
        identity = await self.store.get_identity(f"{CHANNEL}:{recipient_id}")
        return identity.lang if identity else "id"

    @staticmethod
    def _needs_lang(reply: Reply) -> bool:
        return len(reply.buttons) > MAX_BUTTONS or (bool(reply.buttons) and len(reply.text) > BODY_LIMIT) \
            or (bool(reply.buttons) and not reply.text.strip())

    def _bodies(self, reply: Reply, lang: str) -> list[dict[str, Any]]:
        """The Graph message bodies (without `to`) one Reply becomes, in order."""
        bodies: list[dict[str, Any]] = []
        text = reply.text or ""
        if reply.document and reply.document.startswith("media:"):  # a signed letter: the PDF itself
            document: dict[str, Any] = {"_store_media": reply.document[len("media:"):],
                                        "filename": reply.filename or "dokumen.pdf"}
            if text and not reply.buttons and len(text) <= BODY_LIMIT:
                document["caption"] = text
                text = ""
            bodies.append({"type": "document", "document": document})
        if reply.image:
            image: dict[str, Any] = ({"_store_media": reply.image[len("media:"):]} if reply.image.startswith("media:")
                                     else {"link": reply.image})
            if text and not reply.buttons and len(text) <= BODY_LIMIT:
                image["caption"] = text
                text = ""
            bodies.append({"type": "image", "image": image})
        bodies.extend(self._text_or_interactive(text, reply, lang))
        pin = reply.location
        if pin and pin.latitude is not None and pin.longitude is not None:
            location: dict[str, Any] = {"latitude": pin.latitude, "longitude": pin.longitude}
            location.update({k: v for k, v in (("name", pin.name), ("address", pin.address)) if v})
            bodies.append({"type": "location", "location": location})
        elif pin and pin.describe():
            bodies.extend(_text_bodies(pin.describe()))
        return bodies

    def _text_or_interactive(self, text: str, reply: Reply, lang: str) -> list[dict[str, Any]]:
        buttons = reply.buttons
        payloads = [b.payload for b in buttons]
        fits = (len(set(payloads)) == len(payloads) and all(payloads)
                and all(len(p) <= (BUTTON_ID_LIMIT if len(buttons) <= MAX_BUTTONS else LIST_ROW_ID_LIMIT)
                        for p in payloads))
        if not buttons:
            return _text_bodies(text)
        if len(buttons) > MAX_LIST_ROWS or not fits:
            return _text_bodies(reply.plain_text())
        head, body = _tail_split(text, BODY_LIMIT)
        bodies = _text_bodies(head) if head.strip() else []
        if not body.strip():
            body = self.texts.get("wa_choose", lang)
        if len(buttons) <= MAX_BUTTONS:
            titles = _unique_titles([_shorten(b.title, BUTTON_TITLE_LIMIT) for b in buttons], BUTTON_TITLE_LIMIT)
            action: dict[str, Any] = {"buttons": [{"type": "reply", "reply": {"id": b.payload, "title": t}}
                                                  for b, t in zip(buttons, titles, strict=True)]}
            bodies.append({"type": "interactive",
                           "interactive": {"type": "button", "body": {"text": body}, "action": action}})
            return bodies
        titles = _unique_titles([_shorten(_row_title(b.title), LIST_ROW_TITLE_LIMIT) for b in buttons],
                                LIST_ROW_TITLE_LIMIT)
        rows = []
        for button, title in zip(buttons, titles, strict=True):
            row: dict[str, Any] = {"id": button.payload, "title": title}
            if title != " ".join(button.title.split()):
                row["description"] = _shorten(button.title, LIST_ROW_DESCRIPTION_LIMIT)
            rows.append(row)
        action = {"button": _shorten(self.texts.get("wa_list_button", lang), BUTTON_TITLE_LIMIT),
                  "sections": [{"rows": rows}]}
        bodies.append({"type": "interactive",
                       "interactive": {"type": "list", "body": {"text": body}, "action": action}})
        return bodies

    async def _send_message(self, recipient_id: str, body: dict[str, Any]) -> str | None:
        """POST one message; returns its wamid."""
        kind = str(body.get("type"))
        if kind in ("image", "document") and "_store_media" in body[kind]:
            media = dict(body[kind])
            media["id"] = await self._upload(media.pop("_store_media"))
            body = {**body, kind: media}
        payload = {"messaging_product": "whatsapp", "recipient_type": "individual", "to": recipient_id, **body}
        data = await self._call("POST", f"{self.base}/{self.settings.phone_number_id}/messages", json=payload)
        messages = data.get("messages") or [{}]
        return messages[0].get("id")

    async def _upload(self, media_id: str) -> str:
        """Upload a photo kept in the store to WhatsApp; returns WhatsApp's media id."""
        media = await self.store.get_media(media_id)
        if media is None:
            raise PermanentError(f"media {media_id} is not in the store")
        form = aiohttp.FormData()
        form.add_field("messaging_product", "whatsapp")
        form.add_field("type", media.mime)
        form.add_field("file", media.data, filename=f"{media_id}.{media.mime.rsplit('/', 1)[-1]}",
                       content_type=media.mime)
        data = await self._call("POST", f"{self.base}/{self.settings.phone_number_id}/media", data=form)
        if not data.get("id"):
            raise PermanentError("Graph API media upload answer without id")
        return str(data["id"])

    # --- HTTP -----------------------------------------------------------------------------------
    def _http(self) -> aiohttp.ClientSession:
        if self._session is None:
            raise RuntimeError("WhatsApp channel is not started")
        return self._session

    def _auth(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.settings.token}"}

    async def _call(self, method: str, url: str, **kwargs: Any) -> dict[str, Any]:
        try:
            async with self._http().request(method, url, headers=self._auth(), **kwargs) as resp:
                raw = await resp.read()
                status, retry_after = resp.status, resp.headers.get("Retry-After")
        except (TimeoutError, aiohttp.ClientError) as exc:
            raise RetryableError(f"Graph API unreachable: {type(exc).__name__}") from exc
        try:
            data = json.loads(raw) if raw else {}
        except ValueError:
            data = {}
        if not isinstance(data, dict):
            data = {}
        if status < 300:
            return data
        raise _graph_error(status, data, retry_after, self.default_retry_after)
