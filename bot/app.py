"""The app factory: builds every part from settings and passes it into constructors.

`create_app(settings)` gives an aiohttp application serving the web chat, the webhooks of the
channels that are switched on, staff sign-in, Rasa's `POST /model/parse` (only with NLU_PARSE_TOKEN),
and `/healthz`; its cleanup context opens the store, loads the NLU model, starts the channels and the
outbox worker, and stops them in reverse order. Every inbound message of every channel passes one
gate first (`MessageGate`): sender id check, per-sender rate, enrolment-code attempts, stored text
length, and photos re-encoded without metadata.
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import difflib
import functools
import gc
import logging
import os
import re
import socket
import sys
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from aiohttp import web

from actions.base import Services, remember_ticket_prefix
from actions.letters_config import LettersConfigError, load_catalog
from bot.channels.base import Channel
from bot.channels.webchat import UPLOAD_PATH, WebChatChannel
from bot.dialogue import Dialogue
from bot.directory import Directory, DirectoryError
from bot.held import HeldReplies
from bot.logging_setup import mask_personal
from bot.message import Attachment, Message, Reply, utcnow, valid_sender_id
from bot.secrets_compare import same_secret
from bot.settings import ROOT, Settings
from bot.store.base import RESIDENT_TURNS, Store
from bot.texts import Texts, TextsError
from bot.web.limits import WebLimits, body_limits, security_headers
from bot.web.session import SessionSigner
from bot.web.staff_auth import StaffSignIn, is_enrolment
from bot.workdays import WorkCalendar

logger = logging.getLogger(__name__)


@dataclass
class Runtime:
    """The running parts of one service instance, reachable from the app for tests and tools."""

    settings: Settings
    services: Services
    dialogue: Dialogue
    channels: dict[str, Channel]
    workers: list[Any] = field(default_factory=list)
    sessions: SessionSigner | None = None
    limits: WebLimits | None = None
    # Channels or workers that failed to start: name -> reason (shown to the operator on /healthz).
    failures: dict[str, str] = field(default_factory=dict)


RUNTIME = web.AppKey("runtime", Runtime)


class _NluNotLoaded:
    """Placeholder until the model is loaded at start-up."""

    async def parse(self, text: str) -> dict[str, Any]:
        raise RuntimeError("NLU is not loaded yet")

    async def close(self) -> None:
        return None


def load_content(settings: Settings) -> tuple[Directory, Texts]:
    """The operator-edited YAML; raises with file, line and problem when something is wrong."""
    directory = Directory.load(settings.content_dir / "directory.yml")
    texts = Texts.load(settings.content_dir / "texts")
    check_content(settings.content_dir, directory, texts)
    return directory, texts


def reload_content(services: Services) -> str:
    """Read content/directory.yml and content/texts again and use them from the next message on: an operator
    re-routes a topic, adds a contact or words a text better without a restart (`/muat_ulang`, or SIGHUP).
    Raises as start-up does (file, line, problem) and then changes nothing. Gives what is in use now, in a line."""
    directory, texts = load_content(services.settings)
    services.texts.replace_with(texts)  # in place: the channels hold this object
    services.directory = directory
    services.calendar = WorkCalendar(directory.timezone, directory.days_off)
    use_routing = getattr(services.nlu, "use_routing", None)
    if use_routing is not None:
        use_routing(directory.routing)
    summary = f"{len(directory.opds)} OPD, {len(directory.routing)} topik, route_threshold {directory.route_threshold}"
    logger.info("content reloaded: %s", summary)
    return summary


# The literal text keys our code asks for: the first argument of say, t, texts.get and button when it is a string.
_TEXT_CALL = re.compile(r"""(?:\bsay|\.t|\btexts\.get|\bbutton)\(\s*["']([a-z][a-z0-9_]*)["']""")


@functools.cache
def text_keys_in_code() -> dict[str, str]:
    """Each literal text key the code uses, with the first file that uses it."""
    found: dict[str, str] = {}
    for package in ("actions", "bot", "integrations"):
        for path in sorted((ROOT / package).rglob("*.py")):
            for key in _TEXT_CALL.findall(path.read_text(encoding="utf-8")):
                found.setdefault(key, str(path.relative_to(ROOT)))
    return found


def check_content(content_dir: Path, directory: Directory, texts: Texts) -> None:
    """What the files can only be checked for together, before the service says it is ready: every topic routed
    has a name and every named topic a route (a misspelt topic would leave its complaints "not understood"),
    and every text the code asks for exists (a renamed key would fail each message that needs it)."""
    named = {k.removeprefix("topic_") for k in texts.keys() if k.startswith("topic_aduan_")}
    unnamed, unrouted = sorted(set(directory.routing) - named), sorted(named - set(directory.routing))
    where = content_dir / "directory.yml"
    if unnamed:
        topic, guess = unnamed[0], difflib.get_close_matches(unnamed[0], unrouted, n=1)
        raise DirectoryError(f"{where}{_line_of(where, topic)}: routing names topic {topic!r}, which content/texts "
                             f"does not name (topic_{topic})" + (f"; did you mean {guess[0]!r}?" if guess else ""))
    if unrouted:
        raise DirectoryError(f"{where}: topic {unrouted[0]!r} has no OPD under routing, so its complaints could not "
                             f"be routed; add '{unrouted[0]}: OPD-ID'")
    missing = {k: f for k, f in text_keys_in_code().items() if not texts.has(k)}
    if missing:
        listed = ", ".join(f"{k!r} (used in {f})" for k, f in sorted(missing.items())[:5])
        raise TextsError(f"{content_dir / 'texts'}: {len(missing)} text key(s) the bot needs are missing: {listed}"
                         " (renamed or deleted?)")


def _line_of(path: Path, key: str) -> str:
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if line.strip().startswith(f"{key}:"):
            return f": line {number}"
    return ""


def _faq_answers(settings: Settings) -> dict[str, dict[str, str]]:
    from nlu.responses import load_responses

    return load_responses(settings.nlu_data_dir)


def _agency_names(settings: Settings) -> dict[str, str]:
    """Names residents and staff write for an office ("dinkes", "dinsos", "disdik"), to its OPD id: the synonyms
    the NLU data keeps for the `agency` entity (nlu/data/agencies.yml)."""
    from nlu.training_data import load_file

    path = settings.nlu_data_dir / "agencies.yml"
    if not path.is_file():
        return {}
    return {variant: "-".join(canonical.lower().split()) for variant, canonical in load_file(path).synonyms.items()}


def _language_detector() -> Any:
    from nlu.language import LanguageDetector

    return LanguageDetector(seed=0)


def create_app(
    settings: Settings,
    *,
    store: Store | None = None,
    nlu: Any | None = None,
    clock: Callable[[], datetime] | None = None,
    extra_channels: dict[str, Channel] | None = None,
) -> web.Application:
    """Build the service. Passing `store`, `nlu` or `clock` replaces the default one (tests)."""
    directory, texts = load_content(settings)
    remember_ticket_prefix(directory.ticket_prefix)
    with contextlib.suppress(LettersConfigError):  # a broken letters.yml is reported where letters are used
        remember_ticket_prefix(load_catalog(settings.content_dir).number_prefix)
    if store is None:
        from bot.store import create_store

        store = create_store(settings)
    services = Services(
        settings=settings,
        store=store,
        nlu=nlu or _NluNotLoaded(),
        directory=directory,
        texts=texts,
        calendar=WorkCalendar(directory.timezone, directory.days_off),
        clock=clock or utcnow,
        faq_answers=_faq_answers(settings),
        agency_names=_agency_names(settings),
    )
    dialogue = Dialogue(services, detector=_language_detector())
    limits = WebLimits(settings.web)
    sessions = SessionSigner(settings.web)
    gate = MessageGate(settings, limits, texts, dialogue)
    secure_cookie = bool(settings.public_url and settings.public_url.startswith("https://"))
    channels: dict[str, Channel] = {}
    staff = StaffSignIn(store, sessions, limits, texts, settings.web, clock=services.clock,
                        channels_on=lambda: set(channels), wake_outbox=lambda: services.wake_outbox(),
                        secure_cookie=secure_cookie)
    services.web_sender_for = staff.web_sender_for
    services.revoke_web_staff = lambda sender: sessions.revoke_staff(services.store, sender)
    services.reload_content = lambda: reload_content(services)
    handler = gate.handle
    channels["webchat"] = webchat = WebChatChannel(handler=handler, store=store, texts=texts, sessions=sessions,
                                         limits=limits, staff=staff, max_chars=settings.web.max_stored_chars,
                                         secure_cookie=secure_cookie)
    if settings.telegram.enabled:
        from bot.channels.telegram import TelegramChannel

        channels["telegram"] = TelegramChannel(
            settings=settings.telegram, public_url=settings.public_url, handler=handler, store=store, texts=texts
        )
    if settings.whatsapp.enabled:
        from actions.held_notice import tell_operators_held
        from bot.channels.whatsapp import WhatsAppChannel

        channels["whatsapp"] = WhatsAppChannel(
            settings=settings.whatsapp, handler=handler, store=store, texts=texts, clock=services.clock,
            on_held=lambda number: tell_operators_held(services, f"whatsapp:{number}"),
        )
    if settings.sms.enabled:
        from bot.channels.sms import SmsChannel

        channels["sms"] = SmsChannel(settings=settings.sms, handler=handler, store=store, texts=texts,
                                     public_url=settings.public_url, clock=services.clock)
    channels.update(extra_channels or {})
    for channel in channels.values():
        channel.fetch_voice = bool(settings.stt_url)
        channel.max_photo_bytes = settings.max_photo_bytes
        channel.max_file_bytes = min(channel.max_file_bytes, getattr(store, "max_media_bytes", channel.max_file_bytes))

    runtime = Runtime(settings, services, dialogue, channels, sessions=sessions, limits=limits)
    app = web.Application(
        client_max_size=settings.web.upload_body_bytes,
        middlewares=[body_limits(settings.web, lambda r: (webchat.photo_too_large(_lang(r)) if r.path == UPLOAD_PATH
                                                          else texts.get("limit_body", _lang(r))),
                                 lambda r: texts.get("limit_slow", _lang(r)))],
    )
    app.on_response_prepare.append(security_headers)

    async def end_streams(app: web.Application) -> None:
        webchat.close_streams()

    app.on_shutdown.append(end_streams)
    app[RUNTIME] = runtime
    for channel in channels.values():
        app.router.add_routes(channel.routes())
    app.router.add_routes(staff.routes())
    from bot.desk import Desk  # the officers' web desk and the oversight dashboard (issue #15)

    desk = Desk(services, sessions, settings.web, web_sender_for=staff.web_sender_for)
    app.router.add_routes(desk.routes())
    services.tickets_changed = desk.chat_changed  # residents' answers and chat commands reach live pages
    app.on_shutdown.append(desk.close_streams)
    app.router.add_get("/healthz", _healthz)
    from bot.letters_web import letter_routes

    app.router.add_routes(letter_routes(services, sessions))
    if settings.web.nlu_parse_token:
        app.router.add_routes(_nlu_routes(services, settings.web.nlu_parse_token))
    app.cleanup_ctx.append(_lifecycle(runtime, nlu is None))
    return app


def _lang(request: web.BaseRequest) -> str:
    return "en" if request.query.get("lang") == "en" else "id"


def _bearer_ok(request: web.BaseRequest, token: str | None) -> bool:
    if not token:
        return False
    given = request.headers.get("Authorization", "")
    given = given[7:].strip() if given.lower().startswith("bearer ") else request.query.get("token", "")
    return same_secret(given, token)


def _nlu_routes(services: Services, token: str) -> list[web.AbstractRouteDef]:
    """Rasa's `POST /model/parse` (and `GET /status`), only for callers with NLU_PARSE_TOKEN."""
    from nlu.http import routes as nlu_routes

    class _LateNlu:
        async def parse(self, text: str) -> dict[str, Any]:
            return await services.nlu.parse(text)

    guarded: list[web.AbstractRouteDef] = []
    for route in nlu_routes(_LateNlu()):
        assert isinstance(route, web.RouteDef)
        inner = route.handler

        async def checked(request: web.Request, inner: Any = inner) -> web.StreamResponse:
            if not _bearer_ok(request, token):
                return web.json_response({"status": "failure", "reason": "NotAuthorized",
                                          "message": "Send the NLU_PARSE_TOKEN as Authorization: Bearer TOKEN"},
                                         status=401)
            response: web.StreamResponse = await inner(request)
            return response

        guarded.append(web.route(route.method, route.path, checked))
    return guarded


class MessageGate:
    """What every channel's messages pass before the dialogue: sender, rate, enrolment attempts, size, photos."""

    def __init__(self, settings: Settings, limits: WebLimits, texts: Texts, dialogue: Dialogue) -> None:
        self.settings = settings
        self.limits = limits
        self.texts = texts
        self.dialogue = dialogue
        from bot.voice import VoiceNotes

        self.voice = VoiceNotes(settings, dialogue.services.store, texts)

    def _say(self, message: Message, key: str) -> list[Reply]:
        return [Reply(self.texts.get(key, "id"))]

    async def handle(self, message: Message) -> list[Reply]:
        with RESIDENT_TURNS.turn():  # the periodic passes' store calls wait for a gap between residents' turns
            return await self._handle(message)

    async def _handle(self, message: Message) -> list[Reply]:
        if not valid_sender_id(message.sender_id):
            logger.warning("%s: message from an invalid sender id refused", message.channel)
            return []
        limiter = self.limits.sender_messages
        if not limiter.hit(message.identity):
            if limiter.first_refusal(message.identity):
                logger.warning("%s: message limit reached by %s", message.channel, message.identity)
                return self._say(message, "limit_messages")
            return []  # answered once already in this minute
        if is_enrolment(message.text) and message.channel != "webchat":  # the web chat counts per address too
            if not self.limits.enrol_identity.hit(f"enrol:{message.identity}"):
                logger.warning("enrolment code: too many attempts by %s", message.identity)
                return self._say(message, "limit_enrol")
            logger.info("enrolment code tried by %s", message.identity)
        if any(a.unfetched for a in message.attachments):  # not fetched: say why, handle the rest
            from bot.media import unfetched_notice

            identity = await self.dialogue.services.store.get_identity(message.identity)
            notice = [Reply(unfetched_notice(self.texts, identity.lang if identity else "id", message.attachments,
                                             self.settings.max_photo_bytes))]
            rest = dataclasses.replace(message, attachments=tuple(a for a in message.attachments if not a.unfetched))
            if not (rest.text.strip() or rest.attachments or rest.location):
                return notice
            return notice + await self._answer(rest)
        return await self._answer(message)

    async def _answer(self, message: Message) -> list[Reply]:
        answered = await self.voice.answer(message)  # yes/no to "Kami menangkap: ... Benar?"
        if isinstance(answered, list):
            return answered
        if answered is None:
            heard = await self.voice.intercept(message)  # a voice note: transcribe and ask, or explain
            if heard is not None:
                return heard
        message = await self._clean(answered or message)
        return await self.dialogue.handle(message)

    async def _clean(self, message: Message) -> Message:
        """The text at most WARGA_MAX_STORED_CHARS long; photos re-encoded, non-images kept as documents.

        The dialogue asks for a shorter message above WARGA_MAX_MESSAGE_CHARS; the cut here only bounds
        what one message can make the store keep.
        """
        limit = max(self.settings.web.max_stored_chars, self.settings.max_message_chars + 1)
        changes: dict[str, Any] = {}
        if len(message.text) > limit:
            changes["text"] = message.text[:limit]
        if any(a.kind == "photo" and a.data and not a.reencoded for a in message.attachments):
            changes["attachments"] = tuple([await _reencoded(a) for a in message.attachments])
        return dataclasses.replace(message, **changes) if changes else message


async def _reencoded(attachment: Attachment) -> Attachment:
    from bot.media import NotAnImage, reencode_photo

    if attachment.kind != "photo" or not attachment.data or attachment.reencoded:
        return attachment
    try:
        mime, data = await asyncio.to_thread(reencode_photo, attachment.data)
    except NotAnImage:
        logger.info("a file sent as a photo is not a picture; kept as an unsupported document")
        return dataclasses.replace(attachment, kind="document", mime=None, data=None)
    return dataclasses.replace(attachment, mime=mime, data=data, reencoded=True)


def _lifecycle(runtime: Runtime, load_nlu: bool) -> Callable[[web.Application], AsyncIterator[None]]:
    async def lifecycle(app: web.Application) -> AsyncIterator[None]:
        settings, services = runtime.settings, runtime.services
        await services.store.open()
        await _hold_sole_worker(services.store)
        if runtime.sessions is not None:
            await runtime.sessions.load_secret(services.store)
        if load_nlu:
            from nlu.backend import load_backend

            services.nlu = await load_backend(settings, services.directory.routing)
        _log_switches(settings)
        from integrations.outbox import DeliverySender, OutboxWorker

        senders: dict[str, Any] = {"deliver": DeliverySender(runtime.channels)}
        senders.update(await _integration_senders(runtime))
        owner = f"{socket.gethostname()}:{os.getpid()}:{id(app):x}"
        # OUTBOX_WORKERS claimers per process; leases keep them (and other processes) from sending a job twice.
        outbox = [
            OutboxWorker(
                services.store,
                senders,
                owner=f"{owner}:{index}",
                clock=services.clock,
                poll_interval=settings.outbox_poll_interval,
                max_attempts=settings.outbox_max_attempts,
                backoff_base=settings.outbox_backoff_base,
                backoff_cap=settings.outbox_backoff_cap,
            )
            for index in range(max(1, settings.outbox_workers))
        ]

        def wake_outbox() -> None:
            for worker in outbox:
                worker.wake()

        services.wake_outbox = wake_outbox
        runtime.workers.extend(outbox)
        started: list[Channel] = []
        for name, channel in runtime.channels.items():
            if await _start(runtime, name, channel.start):
                started.append(channel)
        for worker in outbox:
            await worker.start()
        for extra in await _integration_workers(runtime):
            if await _start(runtime, type(extra).__name__, extra.start):
                runtime.workers.append(extra)
        try:
            yield
        finally:
            for running in reversed(runtime.workers):
                await running.stop()
            for channel in started:
                await channel.stop()
            await services.nlu.close()
            await services.store.close()

    return lifecycle


async def _hold_sole_worker(store: Store) -> None:
    """A store that allows one service process only (MongoDB without a replica set) refuses a second one."""
    hold = getattr(store, "hold_sole_worker", None)
    if hold is None:
        return
    try:
        await hold()
    except BaseException:
        await store.close()
        raise


#: Seconds a thread runs before the GIL is handed over when another thread waits for it (Python's default 0.005).
SWITCH_INTERVAL = 0.001


def freeze_start_up_heap() -> None:
    """Call once the service is up: what start-up built (the NLU model, content, routes) lives as long as the
    process, so it leaves the garbage collector's generations. A full collection then walks only what was
    made since, instead of every object of the model, which held the event loop for hundreds of ms."""
    gc.collect()
    gc.freeze()
    # The store's thread (SQLite) needs the GIL back after each statement; while the loop runs Python (a
    # periodic pass), it waited up to the default 5 ms switch interval per hand-over, about 13 per chat turn.
    sys.setswitchinterval(SWITCH_INTERVAL)


async def _start(runtime: Runtime, name: str, start: Callable[[], Any]) -> bool:
    """Start one part; a part that cannot start (the outside unreachable) is reported, the rest keeps serving."""
    try:
        await start()
    except Exception as exc:  # any failure of one channel must not stop the others or the web chat
        reason = mask_personal(f"{exc.__class__.__name__}: {exc}")[:300]
        runtime.failures[name] = reason
        logger.exception("%s could not start; the rest of the service keeps running", name)
        return False
    return True


async def _integration_senders(runtime: Runtime) -> dict[str, Any]:
    """Outbox senders of the integrations that are switched on (LAPOR!)."""
    try:
        from integrations.wiring import senders_for
    except ImportError:
        return {}
    return await senders_for(runtime)


async def _integration_workers(runtime: Runtime) -> list[Any]:
    """Periodic workers (LAPOR! sync, reminders, escalation, digest)."""
    try:
        from integrations.wiring import workers_for
    except ImportError:
        return []
    return await workers_for(runtime)


def _log_switches(settings: Settings) -> None:
    backend = f"Rasa server at {settings.rasa_url}" if settings.nlu_backend == "rasa" else "built-in engine"
    logger.info("NLU: %s", backend)
    logger.info("Store: %s", "MongoDB (MONGODB_URL)" if settings.mongodb_url else f"SQLite at {settings.sqlite_path}")
    logger.info("Web chat: on at http://%s:%s/", settings.host, settings.port)
    logger.info("Telegram: %s", "on" if settings.telegram.enabled else "off (set TELEGRAM_BOT_TOKEN to switch on)")
    logger.info(
        "WhatsApp: %s",
        "on" if settings.whatsapp.enabled else "off (set WHATSAPP_TOKEN and WHATSAPP_PHONE_NUMBER_ID to switch on)",
    )
    if settings.whatsapp.enabled and not settings.whatsapp.template_name:
        logger.warning("WhatsApp: no WHATSAPP_TEMPLATE_NAME: an officer's answer more than 24 hours after the "
                       "resident's last message waits until the resident writes again (docs/whatsapp.md)")
    logger.info(
        "SP4N-LAPOR!: %s", "on" if settings.lapor.enabled else "off (set LAPOR_BASE_URL and LAPOR_TOKEN to switch on)"
    )
    logger.info("SMS: %s", f"on ({settings.sms.provider})" if settings.sms.enabled else
                "off (set SMS_ANDROID_USERNAME and SMS_ANDROID_PASSWORD, or SMS_PROVIDER=twilio and TWILIO_*)")
    if not settings.mongodb_url:
        logger.info("MongoDB: off (set MONGODB_URL to use it instead of SQLite)")
    for name, meant in settings.unknown_settings:  # only names: values may be secrets
        logger.warning("Setting %s is not one Warga reads%s; it is ignored", name,
                       f" (did you mean {meant}?)" if meant else "")


async def _healthz(request: web.Request) -> web.Response:
    """Counts and states for everyone; error texts and details only with WARGA_OPERATOR_TOKEN."""
    runtime = request.app[RUNTIME]
    outbox: dict[str, Any] = {}
    for worker in runtime.workers:
        health = getattr(worker, "health", None)
        if health is not None:
            result = health()
            outbox = (await result) if asyncio.iscoroutine(result) else result
            break
    states = {name: _channel_state(runtime, name, channel) for name, channel in runtime.channels.items()}
    for name in runtime.failures:
        states.setdefault(name, "error")
    degraded = any(state != "ok" for state in states.values()) or bool(outbox.get("last_error"))
    public: dict[str, Any] = {
        "status": "degraded" if degraded else "ok",
        "channels": sorted(runtime.channels),
        "states": states,
        "outbox": {k: v for k, v in outbox.items() if isinstance(v, int)},
    }
    sms_health = getattr(runtime.channels.get("sms"), "health", None)
    if sms_health is not None:  # SMS cost money: segments billed in total and per OPD
        public["outbox"]["sms"] = await sms_health()
    if _bearer_ok(request, runtime.settings.web.operator_token):
        error = outbox.get("last_error")
        public["outbox"]["last_error"] = mask_personal(error) if isinstance(error, str) else None
        public["failures"] = dict(runtime.failures)
        held = await HeldReplies(runtime.services.store, runtime.services.clock).all()
        oldest = min((h.since for h in held if h.since), default=None)
        # replies WhatsApp's 24-hour window keeps from going out until their recipient writes (bot/held.py)
        public["outbox"]["whatsapp_held"] = {"recipients": len(held), "messages": sum(h.count for h in held),
                                             "oldest": oldest.isoformat() if oldest else None}
        limits = runtime.limits
        if limits is not None:
            public["open_streams"] = limits.streams.open
    elif outbox.get("last_error"):
        public["outbox"]["has_error"] = True
    return web.json_response(public)


def _channel_state(runtime: Runtime, name: str, channel: Channel) -> str:
    return "error" if name in runtime.failures else channel.state
