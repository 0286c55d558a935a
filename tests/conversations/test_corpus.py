"""Every conversation of the corpus (tests/conversations/*.yml) through the real HTTP endpoints of a running service.

The service runs on 127.0.0.1 in a thread of its own, as `make run` would serve it, for the whole module, with
SMS through a fake of SMS Gateway for Android, Telegram through a fake Bot API and WhatsApp through a fake
Graph API; each conversation is run by `bot.converse` exactly as `python -m bot converse FILE --url URL` runs
it, and people on `channel: sms`, `telegram` or `whatsapp` write through those fakes (phones.py).
Conversations tagged `pending: NAME` wait for another branch's work: they may fail (xfail, not strict) until
it lands.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.converse import Conversation, Runner, load, settings_code_issuer
from bot.settings import Settings
from tests.conversations.phones import TELEGRAM_SECRET, WHATSAPP_SECRET, phones
from tests.fakes.graph_api import FakeGraphApi
from tests.fakes.sms_gateways import FakeAndroidGateway
from tests.fakes.telegram_api import FakeTelegramApi
from tests.harness import make_settings, running_service

CORPUS = Path(__file__).resolve().parent
CONVERSATIONS = [c for path in sorted(CORPUS.glob("*.yml")) for c in load(path)]


def _params() -> Iterator[object]:
    for conversation in CONVERSATIONS:
        marks = [pytest.mark.xfail(strict=False, reason=f"pending: {conversation.pending}")] \
            if conversation.pending else []
        yield pytest.param(conversation, id=f"{conversation.source}:{conversation.name}", marks=marks)


class ServiceThread:
    """The real service, served from its own thread and event loop until `stop()`."""

    def __init__(self, data: Path) -> None:
        self.data = data
        self.settings: Settings | None = None  # once started: the fake SMS gateway's address is in them
        self.gateway = FakeAndroidGateway()  # the regency's SMS phone, faked on loopback
        self.telegram = FakeTelegramApi()  # Telegram's Bot API, faked on loopback
        self.graph = FakeGraphApi()  # WhatsApp's Graph API, faked on loopback
        self.url = ""
        self._ready = threading.Event()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._stop: asyncio.Event | None = None
        self._error: BaseException | None = None
        self._thread = threading.Thread(target=self._main, name="corpus-service", daemon=True)

    def _main(self) -> None:
        try:
            asyncio.run(self._serve())
        except BaseException as exc:  # reported to the test by start()
            self._error = exc
            self._ready.set()

    async def _serve(self) -> None:
        self._loop = asyncio.get_running_loop()
        self._stop = asyncio.Event()
        phone, telegram, graph = self.gateway, self.telegram, self.graph
        async with phone, telegram, graph:
            # Many staff enrol from this one address: the per-address limit (tests/security checks it) is raised.
            self.settings = make_settings(
                self.data, WARGA_ENROL_ATTEMPTS_PER_IP="100000", SMS_ANDROID_URL=phone.url,
                SMS_ANDROID_USERNAME=phone.username, SMS_ANDROID_PASSWORD=phone.password,
                SMS_ANDROID_SIGNING_KEY=phone.signing_key, TELEGRAM_BOT_TOKEN=telegram.token,
                TELEGRAM_WEBHOOK_SECRET=TELEGRAM_SECRET, TELEGRAM_API_BASE_URL=telegram.api_base,
                TELEGRAM_FILE_BASE_URL=telegram.file_base, TELEGRAM_MODE="webhook",
                WARGA_PUBLIC_URL="http://127.0.0.1:1", WHATSAPP_TOKEN=graph.token,
                WHATSAPP_PHONE_NUMBER_ID=graph.phone_number_id, WHATSAPP_APP_SECRET=WHATSAPP_SECRET,
                WHATSAPP_VERIFY_TOKEN="corpus-verify", WHATSAPP_GRAPH_URL=graph.url)
            await self._serve_until_stopped(self.settings)

    async def _serve_until_stopped(self, settings: Settings) -> None:
        assert self._stop is not None
        async with running_service(settings) as svc:
            self.url = svc.url
            self._ready.set()
            await self._stop.wait()

    def start(self) -> str:
        self._thread.start()
        self._ready.wait(120)
        if self._error is not None or not self.url:
            raise RuntimeError(f"the service did not start: {self._error!r}")
        return self.url

    def stop(self) -> None:
        if self._loop is not None and self._stop is not None:
            self._loop.call_soon_threadsafe(self._stop.set)
        self._thread.join(30)


@pytest.fixture(scope="module")
def service(tmp_path_factory: pytest.TempPathFactory, nlu_model_path: Path) -> Iterator[ServiceThread]:
    served = ServiceThread(tmp_path_factory.mktemp("corpus"))
    served.start()
    try:
        yield served
    finally:
        served.stop()


def test_the_corpus_is_large_and_covers_every_language() -> None:
    assert len(CONVERSATIONS) >= 150, len(CONVERSATIONS)
    assert {c.lang for c in CONVERSATIONS} >= {"id", "id-informal", "en", "jv"}


@pytest.fixture(scope="module")
def runner(service: ServiceThread) -> Runner:
    """One runner for the module: staff enrol once and keep their sessions, as in `python -m bot converse`."""
    assert service.settings is not None
    return Runner(service.url, settings_code_issuer(service.settings),
                  channels=phones(service.gateway, service.telegram, service.graph, service.url))


@pytest.mark.parametrize("conversation", list(_params()))
async def test_conversation(runner: Runner, conversation: Conversation) -> None:
    outcome = await runner.run(conversation)
    assert outcome.status == "pass", f"{conversation.source}: {conversation.name}\n{outcome.difference}"
