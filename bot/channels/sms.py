"""SMS through a gateway the regency runs itself (SMS Gateway for Android) or a commercial one (Twilio).

Inbound: the gateway posts each received SMS to `POST /webhooks/sms`. The delivery's signature is
checked first (Android: X-Signature, hex HMAC-SHA256 of the raw body followed by X-Timestamp, with
the timestamp at most five minutes off; Twilio: X-Twilio-Signature, base64 HMAC-SHA1 of the webhook
URL and the sorted form fields), then the message is stored in the shared inbox (bot/inbox.py)
before the gateway gets its 200, so nothing acknowledged is lost and a repeated delivery is handled
once. Delivery reports (Android `sms:sent`/`sms:delivered`/`sms:failed`, Twilio's status callback)
come to the same URL and are recorded under the gateway's message id.

SMS-shaped conversation: buttons become numbered choices ("Balas 1 untuk Ya, 2 untuk ..."), a digit
answer is mapped back to the button's payload, text is transliterated to GSM-7 (nothing forces UCS-2)
and cut into messages of at most SMS_MAX_SEGMENTS segments (160/153 characters), links and pictures
are left out. Every SMS sent is counted per ticket and per OPD (it costs money): `/healthz` shows it.
"""

from __future__ import annotations

import asyncio
import base64
import contextlib
import hashlib
import hmac
import json
import logging
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol

import aiohttp
from aiohttp import web

from actions.base import find_ticket_number
from bot.channels.base import Channel, Handler
from bot.errors import DeliveryError, PermanentError, RetryableError
from bot.gsm7 import fit, segments, to_gsm7
from bot.http_input import parse_json
from bot.inbox import Inbox
from bot.message import Message, Reply, utcnow, without_bold_marks
from bot.secrets_compare import same_secret
from bot.settings import SmsSettings
from bot.store.base import InboxItem, OutboxJob, Store, update_value
from bot.texts import Texts

logger = logging.getLogger(__name__)

CHANNEL = "sms"
CHOICES_KEY = "sms_choices:{}"
STATUS_KEY = "sms_status:{}"
TICKET_KEY = "sms_ticket:{}"
COUNTS_KEY = "sms_counts"
FLUSH_SECONDS = 1.0
STATUS_RANK = {"pending": 0, "queued": 0, "sent": 1, "delivered": 2, "undelivered": 3, "failed": 3}


def normalise_number(raw: str) -> str:
    """A phone number as a sender id: digits only, Indonesian 08... written 628...; '' when not a number."""
    digits = "".join(c for c in raw if c.isdigit())
    if raw.strip().startswith("0") and digits.startswith("0"):
        digits = "62" + digits[1:]
    return digits if 6 <= len(digits) <= 15 else ""


def android_signature(key: str, body: bytes, timestamp: str) -> str:
    """X-Signature of SMS Gateway for Android: hex HMAC-SHA256 of the raw body followed by X-Timestamp."""
    return hmac.new(key.encode(), body + timestamp.encode(), hashlib.sha256).hexdigest()


def twilio_signature(token: str, url: str, params: Mapping[str, str]) -> str:
    """X-Twilio-Signature: base64 HMAC-SHA1 of the URL followed by each form field name and value, sorted."""
    data = url + "".join(f"{k}{params[k]}" for k in sorted(params))
    return base64.b64encode(hmac.new(token.encode(), data.encode(), hashlib.sha1).digest()).decode()


@dataclass(frozen=True, slots=True)
class Inbound:
    """One received SMS: the gateway's unique id, the sender's number and the text."""

    id: str
    sender: str
    text: str


@dataclass(frozen=True, slots=True)
class Report:
    """A delivery report: the gateway's id of a message we sent and what became of it."""

    id: str
    state: str
    error: str | None = None


class Gateway(Protocol):
    """What an SMS provider adapter does: send one SMS, verify and read its webhooks."""

    name: str

    async def send(self, http: aiohttp.ClientSession, to: str, text: str) -> str: ...

    def verify(self, request: web.Request, raw: bytes, form: Mapping[str, str]) -> bool: ...

    def read(self, raw: bytes, form: Mapping[str, str]) -> tuple[list[Inbound], list[Report]]: ...

    def ack(self) -> web.Response: ...


def _error(status: int, text: str, retry_after: str | None) -> DeliveryError:
    reason = f"SMS gateway {status}: {text[:200]}"
    if status == 429 or status >= 500:
        wait = None
        if retry_after:
            try:
                wait = max(0.0, float(retry_after))
            except ValueError:
                wait = None
        return RetryableError(reason, retry_after=wait)
    return PermanentError(reason)


def basic_auth(user: str, password: str) -> str:
    """An HTTP Basic Authorization header value."""
    return "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode()


async def _post(http: aiohttp.ClientSession, url: str, auth: str, **kwargs: Any) -> dict[str, Any]:
    try:
        async with http.post(url, headers={"Authorization": auth}, **kwargs) as resp:
            raw = await resp.text()
            if resp.status >= 300:
                raise _error(resp.status, raw, resp.headers.get("Retry-After"))
    except (TimeoutError, aiohttp.ClientError) as exc:
        raise RetryableError(f"SMS gateway unreachable: {type(exc).__name__}") from exc
    try:
        data = json.loads(raw) if raw else {}
    except ValueError:
        data = {}
    return data if isinstance(data, dict) else {}


class AndroidGateway:
    """SMS Gateway for Android (capcom6/android-sms-gateway): `POST /message` with basic auth; signed webhooks."""

    name = "android"

    def __init__(self, settings: SmsSettings, clock: Callable[[], float] = time.time) -> None:
        self.settings = settings
        self.clock = clock

    async def send(self, http: aiohttp.ClientSession, to: str, text: str) -> str:
        body = {"textMessage": {"text": text}, "phoneNumbers": ["+" + to], "withDeliveryReport": True}
        auth = basic_auth(self.settings.android_username or "", self.settings.android_password or "")
        data = await _post(http, f"{self.settings.android_url.rstrip('/')}/message", auth, json=body)
        return str(data.get("id") or "")

    def verify(self, request: web.Request, raw: bytes, form: Mapping[str, str]) -> bool:
        signature = request.headers.get("X-Signature", "").strip().lower()
        stamp = request.headers.get("X-Timestamp", "").strip()
        key = self.settings.android_signing_key or ""
        if not (signature and stamp.isascii() and stamp.isdigit() and len(stamp) <= 12 and key):
            return False  # (a 400-digit or superscript "timestamp" is no time)
        if abs(self.clock() - int(stamp)) > self.settings.timestamp_tolerance:
            return False  # an old delivery replayed
        return same_secret(signature, android_signature(key, raw, stamp))

    def read(self, raw: bytes, form: Mapping[str, str]) -> tuple[list[Inbound], list[Report]]:
        body = parse_json(raw)
        if not isinstance(body, dict) or not isinstance(body.get("payload"), dict):
            raise ValueError("no payload")
        event, payload = str(body.get("event", "")), body["payload"]
        if event == "sms:received":
            sender = normalise_number(str(payload.get("phoneNumber", "")))
            if not sender or not body.get("id"):
                raise ValueError("sms:received without sender or id")
            # The event id is unique; payload.messageId is derived from the content and may repeat.
            return [Inbound(str(body["id"]), sender, str(payload.get("message") or ""))], []
        if event in ("sms:sent", "sms:delivered", "sms:failed") and payload.get("messageId"):
            state = event.split(":", 1)[1]
            return [], [Report(str(payload["messageId"]), state, payload.get("reason"))]
        return [], []  # system:ping and events we do not use

    def ack(self) -> web.Response:
        return web.Response(text="ok")


class TwilioGateway:
    """Twilio Programmable Messaging: `POST .../Messages.json` with the account's basic auth; signed webhooks."""

    name = "twilio"

    def __init__(self, settings: SmsSettings, public_url: str | None) -> None:
        self.settings = settings
        self.public_url = public_url

    async def send(self, http: aiohttp.ClientSession, to: str, text: str) -> str:
        sid = self.settings.twilio_account_sid or ""
        form = {"To": "+" + to, "From": self.settings.twilio_from or "", "Body": text}
        if self.public_url:
            form["StatusCallback"] = f"{self.public_url.rstrip('/')}/webhooks/sms"
        url = f"{self.settings.twilio_url.rstrip('/')}/2010-04-01/Accounts/{sid}/Messages.json"
        data = await _post(http, url, basic_auth(sid, self.settings.twilio_auth_token or ""), data=form)
        return str(data.get("sid") or "")

    def verify(self, request: web.Request, raw: bytes, form: Mapping[str, str]) -> bool:
        given = request.headers.get("X-Twilio-Signature", "").strip()
        token = self.settings.twilio_auth_token or ""
        if not given or not token:
            return False
        # The URL Twilio was given: behind a proxy the public one, else the one this request came to.
        url = f"{self.public_url.rstrip('/')}{request.path_qs}" if self.public_url else str(request.url)
        return same_secret(given, twilio_signature(token, url, form))

    def read(self, raw: bytes, form: Mapping[str, str]) -> tuple[list[Inbound], list[Report]]:
        sid = form.get("MessageSid") or form.get("SmsSid")
        if not sid:
            raise ValueError("no MessageSid")
        if "Body" in form:
            sender = normalise_number(form.get("From", ""))
            if not sender:
                raise ValueError("no sender")
            return [Inbound(sid, sender, form["Body"])], []
        state = form.get("MessageStatus") or form.get("SmsStatus") or ""
        return [], [Report(sid, state, form.get("ErrorCode"))] if state else []

    def ack(self) -> web.Response:
        return web.Response(text="<Response/>", content_type="text/xml")


class SmsChannel(Channel):
    """The SMS channel: a gateway adapter's webhook in, numbered choices and GSM-7 segments out."""

    name = CHANNEL

    def __init__(self, settings: SmsSettings, handler: Handler, store: Store, texts: Texts,
                 public_url: str | None = None, clock: Callable[[], datetime] | None = None) -> None:
        super().__init__(handler)
        self.settings = settings
        self.store = store
        self.texts = texts
        self.clock = clock or utcnow
        self.gateway: Gateway = (TwilioGateway(settings, public_url) if settings.provider == "twilio"
                                 else AndroidGateway(settings))
        self.inbox = Inbox(store, CHANNEL, self._process, self._order_key, clock=self.clock)
        self._session: aiohttp.ClientSession | None = None
        self.stats: dict[str, int] = {"sms_sent": 0, "sms_segments": 0, "sms_received": 0, "sms_failed": 0}
        # Segments sent and not yet added to the stored counts, per ticket ("" for none): one store
        # update per second instead of one per SMS (a shared counter would conflict under load).
        self._unbooked: dict[str, int] = {}
        self._flusher: asyncio.Task[None] | None = None
        self._flush_lock = asyncio.Lock()

    # --- lifecycle ------------------------------------------------------------------------------
    def routes(self) -> list[web.AbstractRouteDef]:
        return [web.post("/webhooks/sms", self._receive)]

    async def start(self) -> None:
        self._session = aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=30, connect=10))
        await self.inbox.start()
        self._flusher = asyncio.create_task(self._flush_every(FLUSH_SECONDS), name="sms:counts")

    async def stop(self) -> None:
        await self.inbox.stop()
        if self._flusher is not None:
            self._flusher.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._flusher
            self._flusher = None
        await self.flush()
        if self._session is not None:
            await self._session.close()
            self._session = None

    # --- webhook --------------------------------------------------------------------------------
    async def _receive(self, request: web.Request) -> web.Response:
        raw = await request.read()
        form: dict[str, str] = {}
        if request.content_type == "application/x-www-form-urlencoded":
            try:
                from urllib.parse import parse_qsl

                form = dict(parse_qsl(raw.decode("utf-8"), keep_blank_values=True, strict_parsing=False))
            except UnicodeDecodeError:
                return web.Response(status=400, text="malformed form")
        if not self.gateway.verify(request, raw, form):
            logger.warning("SMS webhook with a missing or wrong signature refused")
            return web.Response(status=403, text="bad signature")
        try:
            received, reports = self.gateway.read(raw, form)
        except (ValueError, TypeError, KeyError):
            return web.Response(status=400, text="malformed payload")
        for sms in received:
            if await self.inbox.accept(sms.id, {"from": sms.sender, "text": sms.text}, utcnow()):
                self.stats["sms_received"] += 1
        for report in reports:
            await self._record_report(report)
        return self.gateway.ack()

    async def _record_report(self, report: Report) -> None:
        """Keep what became of an SMS we sent under the gateway's id (the best state wins)."""
        if report.state in ("failed", "undelivered"):
            logger.warning("SMS %s was not delivered: %s", report.id, report.error or "no reason given")

        def record(current: Any | None) -> dict[str, Any]:
            value = dict(current or {"history": []})
            value["history"] = [*value.get("history", []), report.state]
            if STATUS_RANK.get(report.state, 0) >= STATUS_RANK.get(str(value.get("status", "")), -1):
                value["status"] = report.state
            if report.error:
                value["error"] = report.error
            value["updated_at"] = utcnow().isoformat()
            return value

        await update_value(self.store, STATUS_KEY.format(report.id), record)

    # --- processing -----------------------------------------------------------------------------
    @staticmethod
    def _order_key(item: InboxItem) -> str:
        return str(item.payload.get("from", item.message_id))

    async def _process(self, item: InboxItem) -> None:
        sender, text = str(item.payload["from"]), str(item.payload.get("text", ""))
        text = await self._choice(sender, text)
        message = Message(channel=CHANNEL, sender_id=sender, text=text, message_id=item.message_id,
                          received_at=item.received_at)
        replies = await self.handler(message)
        try:
            await self.send(sender, replies)
        except DeliveryError as exc:
            logger.warning("SMS replies to %s queued for retry: %s", item.message_id, exc)
            job = OutboxJob(key=f"sms-reply:{item.message_id}", kind="deliver", created_at=utcnow(),
                            payload={"to": f"{CHANNEL}:{sender}", "replies": [r.to_dict() for r in replies]})
            await self.store.enqueue([job])

    async def _choice(self, sender: str, text: str) -> str:
        """A digit answering the numbered choices last sent to `sender` becomes that choice's payload."""
        answer = text.strip().rstrip(".")
        if not answer.isdigit() or len(answer) > 2:
            return text
        choices = await self.store.get_value(CHOICES_KEY.format(sender)) or []
        index = int(answer) - 1
        if 0 <= index < len(choices):
            return str(choices[index])
        return text

    # --- outbound -------------------------------------------------------------------------------
    def render(self, reply: Reply, lang: str = "id") -> list[str]:
        """The SMS texts one Reply becomes: GSM-7, numbered choices, each at most max_segments long."""
        text = reply.text
        if reply.buttons:
            options = ", ".join(f"{n} {self.texts.get('sms_choice_for', lang)} {b.title}"
                                for n, b in enumerate(reply.buttons, 1))
            text = f"{text}\n{self.texts.get('sms_choose', lang, options=options)}"
        if reply.location and reply.location.describe() and not reply.buttons:
            text = f"{text}\n{reply.location.describe()}"
        plain = to_gsm7(without_bold_marks(text))  # an SMS shows no bold: the marks would only cost characters
        return [p for p in fit(plain, self.settings.max_segments) if p.strip()]

    async def send(self, recipient_id: str, replies: Sequence[Reply]) -> None:
        """Send each reply as SMS; the buttons of the last one with buttons are remembered for a digit answer."""
        identity = await self.store.get_identity(f"{CHANNEL}:{recipient_id}")
        lang = identity.lang if identity else "id"
        choices: list[str] | None = None
        for reply in replies:
            if reply.buttons:
                choices = [b.payload for b in reply.buttons]
            ticket = reply.ticket or find_ticket_number(reply.text)  # whom the cost is booked to
            for text in self.render(reply, lang):
                await self._send_one(recipient_id, text, ticket)
        if choices is not None:
            await self.store.set_value(CHOICES_KEY.format(recipient_id), choices)
        elif replies:
            await self.store.set_value(CHOICES_KEY.format(recipient_id), [])

    async def _send_one(self, to: str, text: str, ticket: str | None) -> None:
        if self._session is None:
            raise RetryableError("SMS channel is not started")
        try:
            gateway_id = await self.gateway.send(self._session, to, text)
        except PermanentError:
            self.stats["sms_failed"] += 1
            raise
        parts = segments(text)
        self.stats["sms_sent"] += 1
        self.stats["sms_segments"] += parts
        await self._count(ticket, parts)
        if gateway_id:
            sent = {"to": to, "ticket": ticket, "segments": parts}

            def record(current: Any | None) -> dict[str, Any]:  # a delivery report may have come first: keep it
                return {"status": "pending", "history": ["pending"], **(current or {}), **sent}

            try:  # sent already: a failure to note it must not make the outbox send it again
                await update_value(self.store, STATUS_KEY.format(gateway_id), record)
            except Exception:
                logger.warning("SMS %s sent but its record could not be stored", gateway_id, exc_info=True)

    async def _count(self, ticket: str | None, parts: int) -> None:
        """Book the segments to the ticket (and so its OPD) at the next flush; each segment is billed."""
        self._unbooked[ticket or ""] = self._unbooked.get(ticket or "", 0) + parts

    async def _flush_every(self, seconds: float) -> None:
        while True:
            await asyncio.sleep(seconds)
            try:
                await self.flush()
            except Exception:  # the store may be briefly unavailable: the counts stay for the next flush
                logger.warning("SMS counts could not be stored; trying again", exc_info=True)

    async def flush(self) -> None:
        """Add the segments sent since the last flush to the stored counts per ticket and per OPD."""
        async with self._flush_lock:
            unbooked, self._unbooked = self._unbooked, {}
            try:
                per_opd: dict[str, int] = {}
                for ticket, parts in unbooked.items():
                    opd = "-"
                    if ticket:
                        found = await self.store.get_ticket(ticket)
                        opd = (found.opd_id if found else None) or "-"
                        await update_value(self.store, TICKET_KEY.format(ticket), _adder(parts))
                    per_opd[opd] = per_opd.get(opd, 0) + parts
                if per_opd:
                    await update_value(self.store, COUNTS_KEY, lambda current: _add_counts(current, per_opd))
            except Exception:
                for ticket, parts in unbooked.items():  # a partial flush may count some twice: rather than lose them
                    self._unbooked[ticket] = self._unbooked.get(ticket, 0) + parts
                raise

    async def health(self) -> dict[str, Any]:
        """SMS segments billed in total and per OPD (for /healthz and the outbox health line)."""
        with contextlib.suppress(Exception):
            await self.flush()
        counts = await self.store.get_value(COUNTS_KEY) or {}
        return {"segments": int(counts.get("total", 0)), "per_opd": dict(counts.get("opd") or {}), **self.stats}


def _adder(parts: int) -> Callable[[Any | None], int]:
    return lambda current: int(current or 0) + parts


def _add_counts(current: Any | None, per_opd: Mapping[str, int]) -> dict[str, Any]:
    value = dict(current or {})
    totals = dict(value.get("opd") or {})
    for opd, parts in per_opd.items():
        totals[opd] = int(totals.get(opd, 0)) + parts
    value["opd"] = totals
    value["total"] = int(value.get("total", 0)) + sum(per_opd.values())
    return value


async def segments_of_ticket(store: Store, number: str) -> int:
    """SMS segments sent about one ticket."""
    return int(await store.get_value(TICKET_KEY.format(number)) or 0)


async def delivery_report(store: Store, gateway_id: str) -> dict[str, Any] | None:
    """The recorded state of one SMS we sent (pending, sent, delivered, failed)."""
    value = await store.get_value(STATUS_KEY.format(gateway_id))
    return value if isinstance(value, dict) else None


__all__ = ["AndroidGateway", "SmsChannel", "TwilioGateway", "android_signature", "delivery_report",
           "normalise_number", "segments_of_ticket", "twilio_signature"]
