"""The app factory: builds every part from settings and passes it into constructors.

`create_app(settings)` gives an aiohttp application serving the web chat, the webhooks of the
channels that are switched on, Rasa's `POST /model/parse`, and `/healthz`; its cleanup context
opens the store, loads the NLU model, starts the channels and the outbox worker, and stops them
in reverse order.
"""

from __future__ import annotations

import logging
import os
import socket
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from aiohttp import web

from actions.base import Services
from bot.channels.base import Channel
from bot.channels.webchat import WebChatChannel
from bot.dialogue import Dialogue
from bot.directory import Directory
from bot.message import Message, Reply, utcnow
from bot.settings import Settings
from bot.store.base import Store
from bot.texts import Texts
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


RUNTIME = web.AppKey("runtime", Runtime)


class _NluNotLoaded:
    """Placeholder until the model is loaded at start-up."""

    async def parse(self, text: str) -> dict[str, Any]:
        raise RuntimeError("NLU is not loaded yet")

    async def close(self) -> None:
        return None


def load_content(settings: Settings) -> tuple[Directory, Texts]:
    """The operator-edited YAML; raises with file, line and problem when something is wrong."""
    return (Directory.load(settings.content_dir / "directory.yml"), Texts.load(settings.content_dir / "texts"))


def _faq_answers(settings: Settings) -> dict[str, dict[str, str]]:
    from nlu.responses import load_responses

    return load_responses(settings.nlu_data_dir)


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
    )
    dialogue = Dialogue(services, detector=_language_detector())

    async def handler(message: Message) -> list[Reply]:
        return await dialogue.handle(message)

    channels: dict[str, Channel] = {
        "webchat": WebChatChannel(handler=handler, store=store, texts=texts, max_chars=100_000)
    }
    if settings.telegram.enabled:
        from bot.channels.telegram import TelegramChannel

        channels["telegram"] = TelegramChannel(
            settings=settings.telegram, public_url=settings.public_url, handler=handler, store=store, texts=texts
        )
    if settings.whatsapp.enabled:
        from bot.channels.whatsapp import WhatsAppChannel

        channels["whatsapp"] = WhatsAppChannel(
            settings=settings.whatsapp, handler=handler, store=store, texts=texts, clock=services.clock
        )
    channels.update(extra_channels or {})

    runtime = Runtime(settings, services, dialogue, channels)
    app = web.Application(client_max_size=8 * 1024 * 1024)
    app[RUNTIME] = runtime
    for channel in channels.values():
        app.router.add_routes(channel.routes())
    app.router.add_get("/healthz", _healthz)
    from bot.letters_web import letter_routes

    app.router.add_routes(letter_routes(services))

    from nlu.http import routes as nlu_routes

    class _LateNlu:
        async def parse(self, text: str) -> dict[str, Any]:
            return await services.nlu.parse(text)

    app.router.add_routes(nlu_routes(_LateNlu()))
    app.cleanup_ctx.append(_lifecycle(runtime, nlu is None))
    return app


def _lifecycle(runtime: Runtime, load_nlu: bool) -> Callable[[web.Application], AsyncIterator[None]]:
    async def lifecycle(app: web.Application) -> AsyncIterator[None]:
        settings, services = runtime.settings, runtime.services
        await services.store.open()
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
        for channel in runtime.channels.values():
            await channel.start()
        for worker in outbox:
            await worker.start()
        for extra in await _integration_workers(runtime):
            await extra.start()
            runtime.workers.append(extra)
        try:
            yield
        finally:
            for running in reversed(runtime.workers):
                await running.stop()
            for channel in runtime.channels.values():
                await channel.stop()
            await services.nlu.close()
            await services.store.close()

    return lifecycle


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
    logger.info(
        "SP4N-LAPOR!: %s", "on" if settings.lapor.enabled else "off (set LAPOR_BASE_URL and LAPOR_TOKEN to switch on)"
    )
    if not settings.mongodb_url:
        logger.info("MongoDB: off (set MONGODB_URL to use it instead of SQLite)")


async def _healthz(request: web.Request) -> web.Response:
    runtime = request.app[RUNTIME]
    outbox: dict[str, Any] = {}
    for worker in runtime.workers:
        health = getattr(worker, "health", None)
        if health is not None:
            result = health()
            outbox = (await result) if hasattr(result, "__await__") else result
            break
    return web.json_response({"status": "ok", "channels": sorted(runtime.channels), "outbox": outbox})
