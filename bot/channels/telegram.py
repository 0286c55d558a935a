"""Telegram through python-telegram-bot: webhook (or polling) in, Bot API calls out.

python-telegram-bot (PTB) does every HTTP call to the Bot API and its `AIORateLimiter` keeps us
inside Telegram's flood limits (about 30 messages/s overall, 20/min per group) and retries on
`RetryAfter`. We do not use PTB's `Updater` or handlers: updates arrive at our own aiohttp route
`/webhooks/telegram` (or from a polling task in development), are stored in the shared inbox
(bot/inbox.py) before they are acknowledged (a duplicate `update_id` is stored once; a restart or
another worker takes over what was pending), and are turned into one `Message` for the dialogue.
Replies go back with inline keyboards, photos and map pins; a reply that cannot be sent now becomes
an outbox job.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import logging
import os
import warnings
from collections.abc import Coroutine, Sequence
from datetime import UTC, timedelta
from typing import Any, ClassVar

from aiohttp import web
from telegram import (
    Bot,
    CallbackQuery,
    ChatMemberUpdated,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    MessageEntity,
    ReplyParameters,
    Update,
)
from telegram import Message as TgMessage
from telegram.error import (
    BadRequest,
    ChatMigrated,
    Conflict,
    Forbidden,
    InvalidToken,
    NetworkError,
    RetryAfter,
    TelegramError,
)
from telegram.ext import AIORateLimiter, Application
from telegram.request import HTTPXRequest

from bot.channels.base import Channel, Handler
from bot.channels.shape import NUMBER, PARSE_ERRORS, shape_problem
from bot.errors import DeliveryError, PermanentError, RetryableError
from bot.http_input import parse_json
from bot.inbox import Inbox, MalformedDelivery
from bot.message import BOLD_MARK, Attachment, Button, Location, Message, Reply, split_text, utcnow
from bot.secrets_compare import same_secret
from bot.settings import TelegramSettings
from bot.store.base import InboxItem, OutboxJob, Store
from bot.texts import Texts

logger = logging.getLogger(__name__)

# Opt in to python-telegram-bot's future behaviour (time periods as timedelta). Without it PTB warns
# on every RetryAfter it constructs; our code reads both forms (retry_after_seconds).
os.environ.setdefault("PTB_TIMEDELTA", "1")

CHANNEL = "telegram"
WEBHOOK_PATH = "/webhooks/telegram"
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
# What we ask Telegram to deliver (webhook and polling alike).
ALLOWED_UPDATES = ["message", "edited_message", "callback_query", "my_chat_member"]
TEXT_LIMIT = 4096
CAPTION_LIMIT = 1024
CALLBACK_DATA_LIMIT = 64
CALLBACK_PREFIX = "~"  # callback_data that is a key of a long payload kept in the store
GROUP_TYPES = ("group", "supergroup")
_BOLD = BOLD_MARK

# What we read of an update besides what python-telegram-bot requires (bot/channels/shape.py): PTB checks that
# required fields are there, not their types, and a text that is no string would fail deep in the dialogue.
_USER = {"id": int, "first_name": str, "is_bot?": bool, "username?": str, "language_code?": str}
_CHAT = {"id": int, "type": str}
_FILE = {"file_id": str, "file_size?": int, "mime_type?": str}
_PIN = {"latitude": NUMBER, "longitude": NUMBER}
_MESSAGE = {
    "message_id": int, "date": int, "chat": _CHAT, "from?": _USER, "text?": str, "caption?": str,
    "photo?": [{"file_id": str, "width": int, "height": int, "file_size?": int}],
    **{f"{kind}?": _FILE for kind in ("document", "voice", "audio", "video", "video_note", "animation", "sticker")},
    "location?": _PIN, "venue?": {"location": _PIN, "title": str, "address": str},
    "reply_to_message?": {"message_id": int, "from?": _USER},
}
UPDATE_SHAPE = {
    "update_id": int, "message?": _MESSAGE, "edited_message?": _MESSAGE,
    "callback_query?": {"id": str, "from": _USER, "data?": str, "message?": {"message_id": int, "chat": _CHAT}},
    "my_chat_member?": {"chat": _CHAT, "from": _USER},
}


def read_update(raw: Any, bot: Bot) -> Update:
    """The update PTB reads from `raw`; MalformedDelivery (saying what is wrong) for one it cannot read."""
    problem = shape_problem(raw, UPDATE_SHAPE, "update")
    if problem is None:
        try:
            return Update.de_json(raw, bot)
        except PARSE_ERRORS as exc:  # a required field missing deeper down, a date that is no time
            problem = f"python-telegram-bot cannot read it ({type(exc).__name__}: {str(exc)[:120]})"
    raise MalformedDelivery(problem)


def resolve_mode(mode: str, public_url: str | None) -> str:
    """`auto` means webhook when the service has a public URL, else polling (development)."""
    if mode in ("webhook", "polling"):
        return mode
    return "webhook" if public_url else "polling"


def retry_after_seconds(exc: RetryAfter) -> float:
    """Seconds from a RetryAfter without tripping PTB's int/timedelta deprecation warning."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        value = exc.retry_after
    return value.total_seconds() if isinstance(value, timedelta) else float(value)


def to_delivery_error(exc: TelegramError) -> DeliveryError:
    """Map PTB's errors onto the outbox's two kinds: try again later, or never."""
    name = exc.__class__.__name__
    if isinstance(exc, RetryAfter):
        return RetryableError("telegram: flood control", retry_after=retry_after_seconds(exc))
    if isinstance(exc, ChatMigrated):
        # A group became a supergroup: its old id is gone; the OPD must link the group again.
        return PermanentError(f"telegram: chat migrated to {exc.new_chat_id}")
    if isinstance(exc, (Forbidden, BadRequest)):  # blocked by the user, chat not found, bad request
        return PermanentError(f"telegram: {name}: {exc.message}")
    if isinstance(exc, InvalidToken):  # its message contains the token: never store or log it
        return RetryableError("telegram: the bot token was rejected")
    if isinstance(exc, NetworkError):  # covers TimedOut and 5xx
        return RetryableError(f"telegram: {name}: {exc.message}")
    return RetryableError(f"telegram: {name}: {exc.message}")


def utf16_len(text: str) -> int:
    """Telegram counts lengths and entity offsets in UTF-16 code units."""
    return len(text.encode("utf-16-le")) // 2


def bold_entities(text: str) -> tuple[str, list[MessageEntity]]:
    """Turn the texts' `*bold*` marks into bold entities, so no parse mode can fail on user text."""
    plain: list[str] = []
    entities: list[MessageEntity] = []
    position = 0
    offset = 0
    for match in _BOLD.finditer(text):
        before = text[position:match.start()]
        plain.append(before)
        offset += utf16_len(before)
        inner = match.group(1)
        entities.append(MessageEntity(MessageEntity.BOLD, offset, utf16_len(inner)))
        plain.append(inner)
        offset += utf16_len(inner)
        position = match.end()
    plain.append(text[position:])
    return "".join(plain), entities


def split_for_telegram(text: str, limit: int = TEXT_LIMIT) -> list[str]:
    """Pieces of at most `limit` characters as Telegram counts them (UTF-16 units)."""
    pieces: list[str] = []
    for piece in split_text(text, limit):
        if utf16_len(piece) <= limit:
            pieces.append(piece)
        else:  # astral characters (emoji) count twice: split again, tighter
            pieces.extend(split_for_telegram(piece, max(limit // 2, 1)) if limit > 1 else [piece])
    return pieces


class TelegramChannel(Channel):
    """Telegram bot: residents, officers (alone or in an OPD's group) and the regent's staff."""

    name: ClassVar[str] = CHANNEL
    # Telegram's documented limits; the benchmark may lower them to measure the service itself.
    OVERALL_MAX_RATE: ClassVar[float] = 30.0  # messages per second, all chats together
    GROUP_MAX_RATE: ClassVar[float] = 20.0  # messages per minute in one group
    MAX_RETRIES: ClassVar[int] = 3  # RetryAfter retries inside PTB before the outbox takes over
    POLL_TIMEOUT: ClassVar[int] = 25  # long-poll seconds

    def __init__(self, *, settings: TelegramSettings, public_url: str | None, handler: Handler, store: Store,
                 texts: Texts) -> None:
        super().__init__(handler)
        if not settings.token:
            raise ValueError("TELEGRAM_BOT_TOKEN is not set")
        self.settings = settings
        self.store = store
        self.texts = texts
        self.mode = resolve_mode(settings.mode, public_url)
        self.public_url = public_url
        self.bot_id = int(settings.token.split(":", 1)[0]) if settings.token.split(":", 1)[0].isdigit() else None
        self.username: str | None = None
        # Our own request objects, so we can close them even if getMe never succeeded.
        self._request = HTTPXRequest(connection_pool_size=256, connect_timeout=10.0, read_timeout=20.0,
                                     write_timeout=30.0, pool_timeout=30.0, media_write_timeout=60.0)
        self._updates_request = HTTPXRequest(connection_pool_size=2, connect_timeout=10.0,
                                             read_timeout=self.POLL_TIMEOUT + 15.0, pool_timeout=10.0)
        self.application = (
            Application.builder()
            .token(settings.token)
            .base_url(settings.api_base_url)
            .base_file_url(settings.file_base_url)
            .request(self._request)
            .get_updates_request(self._updates_request)
            .rate_limiter(AIORateLimiter(overall_max_rate=self.OVERALL_MAX_RATE, group_max_rate=self.GROUP_MAX_RATE,
                                         max_retries=self.MAX_RETRIES))
            .updater(None)
            .build()
        )
        self.bot: Bot = self.application.bot
        self._ready = False
        self.inbox = Inbox(store, CHANNEL, self._process, self._order_key)
        self._poller: asyncio.Task[None] | None = None
        self._initializer: asyncio.Task[None] | None = None
        self._stopping = False

    # --- lifecycle ------------------------------------------------------------------------------
    @property
    def state(self) -> str:
        return "ok" if self.username is not None else "connecting"  # getMe has not answered yet: retried

    def routes(self) -> list[web.AbstractRouteDef]:
        return [web.post(WEBHOOK_PATH, self._webhook)]

    async def start(self) -> None:
        """Connect (getMe), resume updates left pending by a restart, then poll if in polling mode."""
        self._stopping = False
        if not await self._initialize():
            self._initializer = asyncio.create_task(self._keep_initializing(), name="telegram-init")
        if self.mode == "webhook":
            if not self.settings.webhook_secret:
                logger.warning("Telegram: TELEGRAM_WEBHOOK_SECRET is not set; every webhook call will be refused")
            logger.info("Telegram: webhook mode at %s (register it: python -m bot telegram set-webhook URL)",
                        WEBHOOK_PATH)
        await self.inbox.start()
        if self.mode == "polling":
            logger.info("Telegram: polling mode (no public URL)")
            self._poller = asyncio.create_task(self._poll(), name="telegram-poll")

    async def stop(self) -> None:
        """Stop polling, let updates in progress finish (briefly), then close PTB's connections."""
        self._stopping = True
        for task in (self._poller, self._initializer):
            if task is not None:
                task.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await task
        self._poller = self._initializer = None
        await self.inbox.stop()
        if self._ready:
            await self.application.shutdown()
            self._ready = False
        else:
            await self._request.shutdown()
            await self._updates_request.shutdown()

    async def _initialize(self) -> bool:
        try:
            await self.application.initialize()
        except TelegramError as exc:
            logger.error("Telegram: getMe failed (%s); will keep trying", exc.__class__.__name__)
            return False
        self._ready = True
        self.username = self.bot.username
        logger.info("Telegram: connected as @%s", self.username)
        return True

    async def _keep_initializing(self) -> None:
        delay = 5.0
        while not await self._initialize():
            await asyncio.sleep(delay)
            delay = min(delay * 2, 300.0)

    # --- inbound --------------------------------------------------------------------------------
    async def _webhook(self, request: web.Request) -> web.Response:
        """Check the secret, store the update, answer at once; the update is processed after."""
        secret = self.settings.webhook_secret
        given = request.headers.get(SECRET_HEADER, "")
        if not secret or not same_secret(given, secret):
            return web.json_response({"ok": False, "error": "forbidden"}, status=403)
        try:
            raw = parse_json(await request.read())  # 400 for deep nesting or lone surrogates too
        except (ValueError, UnicodeDecodeError):
            return web.json_response({"ok": False, "error": "malformed JSON"}, status=400)
        try:
            read_update(raw, self.bot)
        except MalformedDelivery as exc:
            logger.warning("Telegram: update refused, it cannot be read: %s", exc)
            return web.json_response({"ok": False, "error": "not a Telegram update"}, status=400)
        await self.accept(raw)
        return web.json_response({"ok": True})

    async def accept(self, raw: dict[str, Any]) -> bool:
        """Store one raw update (deduplicated by update_id); it is handled after, through the inbox."""
        return await self.inbox.accept(str(raw["update_id"]), raw)

    async def _process(self, item: InboxItem) -> None:
        """Handle one stored update; an exception leaves it to the inbox's retry and poison policy."""
        await self._handle_update(read_update(item.payload, self.bot), item.payload)

    def _order_key(self, item: InboxItem) -> str:
        """Updates of one chat are handled one at a time, in arrival order, so replies keep order."""
        raw = item.payload
        for kind in ("message", "edited_message", "my_chat_member"):
            chat = (raw.get(kind) or {}).get("chat") if isinstance(raw.get(kind), dict) else None
            if isinstance(chat, dict) and "id" in chat:
                return str(chat["id"])
        query = raw.get("callback_query")
        if isinstance(query, dict):
            chat = ((query.get("message") or {}).get("chat") or {}) if isinstance(query.get("message"), dict) else {}
            if isinstance(chat, dict) and "id" in chat:
                return str(chat["id"])
            if isinstance(query.get("from"), dict):
                return str(query["from"].get("id"))
        return f"update:{item.message_id}"

    async def _handle_update(self, update: Update, raw: dict[str, Any]) -> None:
        origin = str(update.update_id)
        if update.callback_query is not None:
            await self._on_callback(update.callback_query, raw, origin)
        elif update.message is not None:
            await self._on_message(update.message, raw, origin)
        elif update.edited_message is not None:
            await self._on_edit(update.edited_message, origin)
        elif update.my_chat_member is not None:
            await self._on_membership(update.my_chat_member, origin)
        else:
            logger.debug("Telegram: update %s of an unhandled type ignored", origin)

    async def _on_message(self, tg: TgMessage, raw: dict[str, Any], origin: str) -> None:
        user = tg.from_user
        chat = tg.chat
        if user is None or user.is_bot or chat.type == "channel":
            return
        if tg.migrate_to_chat_id:
            logger.warning("Telegram: group %s became %s; the OPD must send /daftar_grup there again",
                           chat.id, tg.migrate_to_chat_id)
            return
        group = chat.type in GROUP_TYPES
        text = tg.text or tg.caption or ""
        if text.startswith("/"):
            addressed = self._command_text(text)
            if addressed is None:
                return  # a command for another bot in the same group
            text = addressed
        attachments = await self._attachments(tg)
        location = None
        if tg.venue is not None:
            location = Location(tg.venue.location.latitude, tg.venue.location.longitude, tg.venue.title,
                                tg.venue.address)
        elif tg.location is not None:
            location = Location(tg.location.latitude, tg.location.longitude)
        message = Message(
            channel=CHANNEL,
            sender_id=str(user.id),
            text=text,
            message_id=str(tg.message_id),
            received_at=tg.date.astimezone(UTC) if tg.date and tg.date.tzinfo else utcnow(),
            attachments=attachments,
            location=location,
            sender_name=user.full_name or user.username,
            reply_to=self._reply_target(tg),
            chat_id=str(chat.id) if group else None,
            raw=raw,
        )
        replies = await self.handler(message)
        await self.reply_now(str(chat.id), replies, origin, quote=tg.message_id if group else None)

    def _reply_target(self, tg: TgMessage) -> str | None:
        """The bot message this one answers; replies to other people's messages are not for us."""
        target = tg.reply_to_message
        if target is None:
            return None
        author = target.from_user
        if author is not None and self.bot_id is not None and author.id != self.bot_id:
            return None
        return str(target.message_id)

    def _command_text(self, text: str) -> str | None:
        """`/balas@WargaBot 12 ok` -> `/balas 12 ok`; None when addressed to another bot."""
        head, sep, rest = text.partition(" ")
        command, at, target = head.partition("@")
        if not at:
            return text
        if self.username and target.lower() != self.username.lower():
            return None
        return command + sep + rest

    async def _attachments(self, tg: TgMessage) -> tuple[Attachment, ...]:
        caption = tg.caption
        if tg.photo:
            largest = max(tg.photo, key=lambda p: (p.width * p.height, p.file_size or 0))
            return (await self._fetch("photo", "image/jpeg", largest.file_id, largest.file_size, caption),)
        document = tg.document
        if document is not None:
            mime = document.mime_type or ""
            if mime in ("image/jpeg", "image/png", "image/webp"):
                # A photo sent "as a file" keeps full quality; treat it as a photo.
                return (await self._fetch("photo", mime, document.file_id, document.file_size, caption),)
            return (Attachment("document", mime or None, ref=document.file_id, caption=caption),)
        for kind, item in (("voice", tg.voice), ("audio", tg.audio), ("video", tg.video),
                           ("video", tg.video_note), ("video", tg.animation), ("sticker", tg.sticker)):
            if item is not None:
                item_mime: str | None = getattr(item, "mime_type", None)
                if kind == "voice" and self.fetch_voice:
                    return (await self._fetch(kind, item_mime, item.file_id, item.file_size, caption),)
                return (Attachment(kind, item_mime, ref=item.file_id, caption=caption),)
        for kind, present in (("contact", tg.contact), ("poll", tg.poll), ("dice", tg.dice)):
            if present is not None:
                return (Attachment(kind),)
        return ()

    async def _fetch(self, kind: str, mime: str | None, file_id: str, size: int | None,
                     caption: str | None) -> Attachment:
        """Download a photo or voice note we keep; one over our limit (Telegram says its size in the update)
        is not downloaded but marked `too_large`, and the resident is told the limit."""
        limit = self.max_photo_bytes if kind == "photo" else self.max_file_bytes
        data = None if size is not None and size > limit else await self._download(file_id)
        if data is not None and len(data) > limit:
            size, data = len(data), None
        if data is None and size is not None and size > limit:
            logger.info("Telegram: a %s of %d bytes is over the %d-byte limit; not downloaded", kind, size, limit)
            return Attachment(kind, mime, ref=file_id, caption=caption, size=size, too_large=True)
        return Attachment(kind, mime, data, ref=file_id, caption=caption, size=size,
                          missing=data is None and kind == "photo")

    async def _download(self, file_id: str) -> bytes | None:
        """The file's bytes (kept with the ticket); None if Telegram would not give them."""
        try:
            file = await self.bot.get_file(file_id)
            return bytes(await file.download_as_bytearray())
        except TelegramError as exc:
            logger.warning("Telegram: could not download a file (%s)", exc.__class__.__name__)
            return None

    async def _on_callback(self, query: CallbackQuery, raw: dict[str, Any], origin: str) -> None:
        """A pressed inline button: its payload is the text of the message."""
        with contextlib.suppress(TelegramError):
            await query.answer()  # stops the spinner on the button
        payload = query.data or ""
        if payload.startswith(CALLBACK_PREFIX):
            payload = await self.store.get_value(f"telegram:callback:{payload[len(CALLBACK_PREFIX):]}") or ""
        if not payload:
            return
        user = query.from_user
        chat = query.message.chat if query.message is not None else None
        group = chat is not None and chat.type in GROUP_TYPES
        message = Message(
            channel=CHANNEL,
            sender_id=str(user.id),
            text=payload,
            message_id=f"callback:{query.id}",
            sender_name=user.full_name or user.username,
            chat_id=str(chat.id) if group and chat is not None else None,
            raw=raw,
        )
        replies = await self.handler(message)
        await self.reply_now(str(chat.id) if chat is not None else str(user.id), replies, origin)

    async def _on_edit(self, tg: TgMessage, origin: str) -> None:
        """We do not re-read edited messages; in a private chat, say so (groups stay quiet)."""
        if tg.chat.type != "private" or tg.from_user is None:
            return
        lang = await self._lang(tg.from_user.id, tg.from_user.language_code)
        await self.reply_now(str(tg.chat.id), [Reply(self.texts.get("telegram_edit_not_read", lang))], origin)

    async def _on_membership(self, change: ChatMemberUpdated, origin: str) -> None:
        """Added to a group: explain how an OPD links it."""
        if change.chat.type not in GROUP_TYPES:
            return
        was_in = change.old_chat_member.status in ("member", "administrator")
        is_in = change.new_chat_member.status in ("member", "administrator")
        if is_in and not was_in:
            lang = await self._lang(change.from_user.id, change.from_user.language_code)
            await self.reply_now(str(change.chat.id), [Reply(self.texts.get("telegram_group_hello", lang))], origin)

    async def _lang(self, user_id: int, language_code: str | None) -> str:
        identity = await self.store.get_identity(f"{CHANNEL}:{user_id}")
        if identity is not None:
            return identity.lang
        return "en" if (language_code or "").lower().startswith("en") else "id"

    # --- polling (development) -------------------------------------------------------------------
    async def _poll(self) -> None:
        """Long-poll getUpdates and feed each update into the same path as the webhook."""
        offset: int | None = None
        delay = 1.0
        while not self._stopping:
            try:
                updates = await self.bot.get_updates(offset=offset, timeout=self.POLL_TIMEOUT,
                                                     allowed_updates=ALLOWED_UPDATES)
            except Conflict:
                logger.error("Telegram: a webhook is set, so polling is refused; "
                             "run `python -m bot telegram delete-webhook` or set WARGA_PUBLIC_URL")
                await asyncio.sleep(30.0)
                continue
            except TelegramError as exc:
                logger.warning("Telegram: getUpdates failed (%s); retrying in %.0fs", exc.__class__.__name__, delay)
                await asyncio.sleep(delay)
                delay = min(delay * 2, 60.0)
                continue
            delay = 1.0
            for update in updates:
                offset = update.update_id + 1
                await self.accept(update.to_dict())

    # --- outbound -------------------------------------------------------------------------------
    async def send(self, recipient_id: str, replies: Sequence[Reply]) -> None:
        """Outbox pushes (cards, relayed answers). Raises RetryableError / PermanentError."""
        for reply in replies:
            await self._send_reply(recipient_id, reply)

    async def reply_now(self, chat_id: str, replies: Sequence[Reply], origin: str, quote: int | None = None) -> None:
        """Send the replies to an update; what cannot go now is queued in the outbox, not dropped."""
        for index, reply in enumerate(replies):
            try:
                await self._send_reply(chat_id, reply, quote=quote if index == 0 else None)
            except PermanentError as exc:
                logger.warning("Telegram: reply to update %s not deliverable: %s", origin, exc)
                return
            except RetryableError as exc:
                logger.info("Telegram: reply to update %s queued in the outbox (%s)", origin, exc)
                rest = [r.to_dict() for r in replies[index:]]
                job = OutboxJob(key=f"telegram-reply:{origin}", kind="deliver", created_at=utcnow(),
                                payload={"to": f"{CHANNEL}:{chat_id}", "replies": rest})
                await self.store.enqueue([job])
                return

    async def _call(self, coro: Coroutine[Any, Any, Any]) -> Any:
        try:
            return await coro
        except TelegramError as exc:
            raise to_delivery_error(exc) from exc

    async def _send_reply(self, chat_id: str, reply: Reply, quote: int | None = None) -> None:
        """One Reply: optional photo (with the text as caption when it fits), text pieces, map pin."""
        markup = await self._markup(reply.buttons)
        reply_parameters = ReplyParameters(quote, allow_sending_without_reply=True) if quote else None
        sent: list[int] = []
        text = reply.text.strip()
        if reply.document and await self._document(chat_id, reply, text):  # a signed letter: the PDF itself
            text = ""
        photo = await self._photo(reply.image)
        if photo is not None:
            caption, caption_entities = bold_entities(text)
            fits = bool(text) and utf16_len(caption) <= CAPTION_LIMIT
            try:
                message = await self._call(self.bot.send_photo(
                    chat_id=chat_id, photo=photo, caption=caption if fits else None,
                    caption_entities=caption_entities if fits else None,
                    reply_markup=markup if fits else None, reply_parameters=reply_parameters))
            except PermanentError as exc:  # a bad image must not cost the text
                logger.warning("Telegram: photo not sent (%s); sending the text alone", exc)
            else:
                sent.append(message.message_id)
                reply_parameters = None
                if fits:
                    text, markup = "", None
        if text:
            pieces = split_for_telegram(text)
            for number, piece in enumerate(pieces, start=1):
                plain, entities = bold_entities(piece)
                message = await self._call(self.bot.send_message(
                    chat_id=chat_id, text=plain, entities=entities or None,
                    reply_markup=markup if number == len(pieces) else None, reply_parameters=reply_parameters))
                sent.append(message.message_id)
                reply_parameters = None
        elif markup is not None:  # buttons without any text still need a message to sit on
            message = await self._call(self.bot.send_message(chat_id=chat_id, text="⬇️", reply_markup=markup))
            sent.append(message.message_id)
        pin = reply.location
        if pin is not None and pin.latitude is not None and pin.longitude is not None:
            message = await self._call(self.bot.send_location(chat_id=chat_id, latitude=pin.latitude,
                                                              longitude=pin.longitude))
            sent.append(message.message_id)
        if reply.ticket:
            for message_id in sent:  # replying to any part of a card answers its ticket
                await self.store.link_message(CHANNEL, chat_id, str(message_id), reply.ticket)

    async def _document(self, chat_id: str, reply: Reply, text: str) -> bool:
        """Send `reply.document` (a stored file) with the text as its caption when it fits; True when sent so."""
        media = await self.store.get_media((reply.document or "").removeprefix("media:"))
        if media is None:
            logger.warning("Telegram: document %s not found; sending the text alone", reply.document)
            return False
        caption, caption_entities = bold_entities(text)
        fits = bool(text) and utf16_len(caption) <= CAPTION_LIMIT
        await self._call(self.bot.send_document(
            chat_id=chat_id, document=media.data, filename=reply.filename or "dokumen.pdf",
            caption=caption if fits else None, caption_entities=caption_entities if fits else None))
        return fits

    async def _photo(self, image: str | None) -> bytes | str | None:
        if not image:
            return None
        if image.startswith("media:"):
            media = await self.store.get_media(image[len("media:"):])
            if media is None:
                logger.warning("Telegram: media %s not found; card sent without it", image)
                return None
            return media.data
        if image.startswith(("http://", "https://")):
            return image
        return None

    async def _markup(self, buttons: Sequence[Button]) -> InlineKeyboardMarkup | None:
        """Inline keyboard; two buttons a row when there are many short ones."""
        if not buttons:
            return None
        keys = [InlineKeyboardButton(b.title, callback_data=await self.callback_data(b.payload)) for b in buttons]
        per_row = 2 if len(keys) >= 4 and all(len(b.title) <= 18 for b in buttons) else 1
        return InlineKeyboardMarkup([keys[i:i + per_row] for i in range(0, len(keys), per_row)])

    async def callback_data(self, payload: str) -> str:
        """Telegram allows 64 bytes of callback data; a longer payload is kept in the store by hash."""
        if len(payload.encode("utf-8")) <= CALLBACK_DATA_LIMIT and not payload.startswith(CALLBACK_PREFIX):
            return payload
        digest = hashlib.sha256(payload.encode("utf-8")).hexdigest()[:24]
        await self.store.set_value(f"telegram:callback:{digest}", payload)
        return CALLBACK_PREFIX + digest
