"""Service processes on one store, bursts of residents, SIGKILL, and the exactly-once audit.

Used by the crash tests (tests/crash/) and by bench/crash.py. Everything runs on 127.0.0.1: the fake
Telegram Bot API and Graph API (tests/fakes/) in the calling process, the real service
(`python -m bot run`, SQLite) in child processes that share one data directory.

A burst: each resident sends one message to the regent (`/bupati ...`), which must become exactly
one ticket, one card to each of the regent's identities (a Telegram chat and a web chat) and one
reply to the resident carrying the ticket number. A message counts as acknowledged when the service
answered 200 (the platform would not deliver it again); messages that were not acknowledged are
delivered again after the restart, as Telegram and Meta do, and so are some that were (a platform
retry after a lost answer).
"""

from __future__ import annotations

import asyncio
import contextlib
import copy
import json
import os
import re
import signal
import subprocess
import sys
import time
import uuid
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import aiohttp

from bot.channels.whatsapp import signature_of
from bot.message import utcnow
from bot.settings import ROOT, WebSettings
from bot.store.base import ROLE_REGENT, Changes, Identity, TicketQuery
from bot.store.sqlite import SqliteStore
from bot.web.session import SessionSigner
from tests.fakes.graph_api import FakeGraphApi
from tests.fakes.telegram_api import FakeTelegramApi

TOKEN = "4242:CRASH"
SECRET = "crash-secret"
WA_TOKEN = "crash-token"
WA_SECRET = "crash-app-secret"
SESSION_SECRET = "crash-session-secret-0123456789abcdef"  # tests sign web chat sessions as the server does
_SESSIONS = SessionSigner(WebSettings(session_secret=SESSION_SECRET))
WA_PHONE = "1234567890"
REGENT_TELEGRAM = "7000001"
REGENT_WEBCHAT = "staf-bupati"
CHANNELS = ("telegram", "whatsapp", "webchat")
TICKET = re.compile(r"WRG-\d{4}-\d{4}")
CARD_MARK = "Pesan warga untuk"  # content/texts/core.yml regent_card (id): other messages to the regent are not cards
WA_TEMPLATE = json.loads((ROOT / "tests" / "payloads" / "whatsapp" / "text.json").read_text(encoding="utf-8"))

# The real entry point, with leases short enough that a test sees a dead worker's work taken over
# within seconds (production: 30 s for the inbox, 120 s for the outbox) and Telegram's overall
# 30 msg/s limit lifted (the fake has no such limit; the bench measures the service).
LAUNCHER = (
    "import sys\n"
    "from bot.inbox import Inbox\n"
    "Inbox.LEASE_SECONDS = 2.0\n"
    "Inbox.POLL_SECONDS = 0.2\n"
    "from integrations.outbox import OutboxWorker\n"
    "OutboxWorker.LEASE_SECONDS = 2.0\n"
    "from bot.channels.telegram import TelegramChannel\n"
    "TelegramChannel.OVERALL_MAX_RATE = 0\n"
    "from bot.__main__ import main\n"
    "sys.exit(main(['run']))\n"
)


def free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class Node:
    """One service process."""

    process: subprocess.Popen[bytes]
    url: str
    log: Path

    def kill(self) -> None:
        """SIGKILL: no cleanup, no flush, exactly like a power cut for the process."""
        if self.process.poll() is None:
            os.kill(self.process.pid, signal.SIGKILL)
        self.process.wait()

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.kill()


@dataclass
class Message:
    """One resident's one message on one channel, and what became of it."""

    channel: str
    sender: str
    text: str
    platform_id: str
    body: bytes = b""
    acknowledged: bool = False
    acked_before_kill: bool = False
    deliveries: int = 0
    web_replies: list[dict[str, Any]] = field(default_factory=list)


class Cluster:
    """The fakes, a shared data directory and the service processes started on it."""

    def __init__(self, data_dir: Path, model: Path, telegram: FakeTelegramApi, graph: FakeGraphApi,
                 content_dir: Path | None = None) -> None:
        self.data_dir = data_dir
        self.model = model
        self.telegram = telegram
        self.graph = graph
        self.content_dir = content_dir
        self.nodes: list[Node] = []
        self._counter = 0
        # With MONGODB_URL set (a real replica set), the processes share a fresh MongoDB database instead
        # of the SQLite file; the in-process stand-in cannot be shared between processes.
        self.mongodb_url = os.environ.get("MONGODB_URL") or None
        self.mongodb_db = f"warga_crash_{uuid.uuid4().hex[:10]}"

    def open_store(self) -> Any:
        """A store object on the cluster's data, for preparing and auditing (open it, close it after)."""
        if self.mongodb_url:
            from bot.store.mongo import MongoStore

            return MongoStore(self.mongodb_url, self.mongodb_db)
        return SqliteStore(self.data_dir / "warga.sqlite3")

    async def drop(self) -> None:
        """Remove the MongoDB database of this run (SQLite: the test's tmp_path goes by itself)."""
        if self.mongodb_url:
            store = self.open_store()
            await store.open()
            try:
                await store.client.drop_database(self.mongodb_db)
            finally:
                await store.close()

    def env(self, port: int) -> dict[str, str]:
        env = {**os.environ, "WARGA_DATA_DIR": str(self.data_dir), "WARGA_PORT": str(port),
               "WARGA_HOST": "127.0.0.1", "LOG_LEVEL": "WARNING", "NLU_MODEL_PATH": str(self.model),
               "TELEGRAM_BOT_TOKEN": TOKEN, "TELEGRAM_WEBHOOK_SECRET": SECRET, "TELEGRAM_MODE": "webhook",
               "TELEGRAM_API_BASE_URL": self.telegram.api_base, "TELEGRAM_FILE_BASE_URL": self.telegram.file_base,
               "WARGA_PUBLIC_URL": f"http://127.0.0.1:{port}",
               "WHATSAPP_TOKEN": WA_TOKEN, "WHATSAPP_PHONE_NUMBER_ID": WA_PHONE, "WHATSAPP_APP_SECRET": WA_SECRET,
               "WHATSAPP_VERIFY_TOKEN": "crash-verify", "WHATSAPP_GRAPH_URL": self.graph.url,
               "WARGA_SESSION_SECRET": SESSION_SECRET, "WARGA_MESSAGES_PER_MINUTE": "100000",
               "WARGA_IP_MESSAGES_PER_MINUTE": "100000", "WARGA_CONNECTIONS_PER_IP": "2000",
               "OUTBOX_POLL_INTERVAL": "0.05", "OUTBOX_BACKOFF_BASE": "0.05", "OUTBOX_BACKOFF_CAP": "0.5"}
        env.pop("MONGODB_URL", None)
        if self.mongodb_url:
            env.update(MONGODB_URL=self.mongodb_url, MONGODB_DB=self.mongodb_db)
        if self.content_dir is not None:
            env["WARGA_CONTENT_DIR"] = str(self.content_dir)
        return env

    async def prepare(self) -> None:
        """The regent's two identities (a Telegram chat and a web chat), enrolled before any start."""
        self.data_dir.mkdir(parents=True, exist_ok=True)
        store = self.open_store()
        await store.open()
        try:
            now = utcnow()
            regents = [Identity(f"{channel}:{sender}", channel, sender, ROLE_REGENT, created_at=now)
                       for channel, sender in (("telegram", REGENT_TELEGRAM), ("webchat", REGENT_WEBCHAT))]
            await store.commit(Changes(identities=regents))
        finally:
            await store.close()

    def spawn(self) -> Node:
        """Start one service process (not yet healthy)."""
        port = free_port()
        self._counter += 1
        log = self.data_dir / f"node-{self._counter}.log"
        with open(log, "wb") as out:
            process = subprocess.Popen([sys.executable, "-c", LAUNCHER], cwd=ROOT, env=self.env(port),
                                       stdout=out, stderr=subprocess.STDOUT)
        node = Node(process, f"http://127.0.0.1:{port}", log)
        self.nodes.append(node)
        return node

    async def start_node(self, timeout: float = 120.0) -> Node:
        node = self.spawn()
        process, log = node.process, node.log
        deadline = time.monotonic() + timeout
        async with aiohttp.ClientSession() as http:
            while time.monotonic() < deadline:
                if process.poll() is not None:
                    raise RuntimeError(f"service exited during start-up:\n{log.read_text(errors='replace')[-3000:]}")
                with contextlib.suppress(aiohttp.ClientError):
                    async with http.get(f"{node.url}/healthz") as resp:
                        if resp.status == 200:
                            return node
                await asyncio.sleep(0.1)
        node.kill()
        raise RuntimeError("service did not become healthy")

    def stop_all(self) -> None:
        for node in self.nodes:
            node.stop()



# --- messages -------------------------------------------------------------------------------------
def make_burst(channel: str, residents: int, first: int, run: str) -> list[Message]:
    """`residents` messages to the regent on `channel`, one per resident."""
    burst = []
    for n in range(residents):
        sender = (f"{first + n}" if channel == "telegram" else f"62812{first + n:07d}" if channel == "whatsapp"
                  else f"warga-{run}-{first + n}")
        text = f"/bupati Mohon perhatian untuk jalan desa nomor {n} ({run})"
        platform_id = (str(first + n) if channel == "telegram" else f"wamid.{run}.{first + n}" if channel == "whatsapp"
                       else f"{run}-{first + n}")
        message = Message(channel, sender, text, platform_id)
        message.body = _body(message)
        burst.append(message)
    return burst


def _body(message: Message) -> bytes:
    if message.channel == "telegram":
        user = {"id": int(message.sender), "is_bot": False, "first_name": "Warga", "language_code": "id"}
        return json.dumps({"update_id": int(message.platform_id), "message": {
            "message_id": int(message.platform_id) % 1_000_000, "from": user, "date": int(time.time()),
            "chat": {"id": int(message.sender), "type": "private", "first_name": "Warga"},
            "text": message.text}}).encode()
    if message.channel == "whatsapp":
        body = copy.deepcopy(WA_TEMPLATE)
        value = body["entry"][0]["changes"][0]["value"]
        value["metadata"]["phone_number_id"] = WA_PHONE
        value["contacts"][0]["wa_id"] = message.sender
        data = value["messages"][0]
        data.update({"from": message.sender, "id": message.platform_id, "timestamp": str(int(time.time()))})
        data["text"]["body"] = message.text
        return json.dumps(body).encode()
    return json.dumps({"sender": message.sender, "message": message.text,
                       "message_id": message.platform_id}).encode()


async def deliver(http: aiohttp.ClientSession, url: str, message: Message, timeout: float = 30.0) -> bool:
    """One delivery as the platform makes it; True when the service acknowledged it (200)."""
    message.deliveries += 1
    if message.channel == "telegram":
        path, headers = "/webhooks/telegram", {"X-Telegram-Bot-Api-Secret-Token": SECRET}
    elif message.channel == "whatsapp":
        path, headers = "/webhooks/whatsapp", {"X-Hub-Signature-256": signature_of(WA_SECRET, message.body)}
    else:
        path, headers = "/webhooks/rest/webhook", {"Authorization": f"Bearer {_SESSIONS.issue(message.sender).token}"}
    headers["Content-Type"] = "application/json"
    try:
        async with http.post(url + path, data=message.body, headers=headers,
                             timeout=aiohttp.ClientTimeout(total=timeout)) as resp:
            if resp.status != 200:
                return False
            if message.channel == "webchat":
                message.web_replies = await resp.json()
    except (aiohttp.ClientError, TimeoutError, ConnectionError):
        return False
    message.acknowledged = True
    return True


async def send_burst(http: aiohttp.ClientSession, route: Callable[[int, Message], list[str]],
                     messages: list[Message], concurrency: int,
                     on_ack: Callable[[int], None] | None = None) -> None:
    """Deliver every message (to each URL `route` names for it), `concurrency` at a time; `on_ack(n)` after
    the n-th acknowledgement (the kill switch)."""
    semaphore = asyncio.Semaphore(concurrency)
    acked = 0

    async def one(index: int, message: Message) -> None:
        nonlocal acked
        async with semaphore:
            for url in route(index, message):
                if await deliver(http, url, message) and on_ack is not None:
                    acked += 1
                    on_ack(acked)

    await asyncio.gather(*(one(i, m) for i, m in enumerate(messages)))


# --- the audit ------------------------------------------------------------------------------------
@dataclass
class Audit:
    """What became of the messages of one channel."""

    channel: str
    sent: int = 0
    acknowledged: int = 0  # by either process, after the platforms' redelivery
    before_kill: int = 0  # acknowledged by the process that was then killed
    effects: int = 0  # messages with at least one ticket
    duplicates: int = 0  # extra tickets, extra cards in the store (web chat mailbox)
    lost: int = 0  # acknowledged, but no ticket, no card or no reply
    resent: int = 0  # a card to the regent's Telegram chat sent again: the kill fell between its send and record
    problems: list[str] = field(default_factory=list)

    def row(self) -> str:
        return (f"{self.channel:<9} {self.sent:>5} {self.before_kill:>11} {self.acknowledged:>6} {self.effects:>7} "
                f"{self.duplicates:>10} {self.lost:>5} {self.resent:>12}")


HEADER = (f"{'channel':<9} {'sent':>5} {'acked→kill':>11} {'acked':>6} {'effects':>7} {'duplicates':>10} {'lost':>5} "
          f"{'cards resent':>12}")
#: Cards that can be in flight to a platform when the process dies (outbox concurrency per worker).
IN_FLIGHT = 16


class Observer:
    """Reads what the residents and the regent received (the fakes) and what the store holds."""

    def __init__(self, cluster: Cluster) -> None:
        self.cluster = cluster

    def telegram_texts(self, chat: str) -> list[str]:
        return [c.text for c in self.cluster.telegram.sent("sendMessage", chat)]

    def whatsapp_texts(self, to: str) -> list[str]:
        return [s.text for s in self.cluster.graph.sent_to(to)]

    async def snapshot(self) -> tuple[dict[str, list[str]], dict[str, Counter[str]]]:
        """Tickets per reporter, and cards per ticket per regent identity (web chat cards from the mailbox)."""
        store = self.cluster.open_store()
        await store.open()
        try:
            tickets: dict[str, list[str]] = defaultdict(list)
            for ticket in await store.list_tickets(TicketQuery(kind="bupati", limit=100_000)):
                tickets[ticket.reporter].append(ticket.number)
            cards: dict[str, Counter[str]] = {"telegram": Counter(), "webchat": Counter()}
            for text in self.telegram_texts(REGENT_TELEGRAM):
                if CARD_MARK in text:
                    cards["telegram"].update(TICKET.findall(text)[:1])
            for _, reply in await store.mailbox_after(f"webchat:{REGENT_WEBCHAT}", 0, limit=100_000):
                if CARD_MARK in str(reply.get("text", "")) and not reply.get("origin"):  # pushed cards only
                    cards["webchat"].update(TICKET.findall(str(reply.get("text", "")))[:1])
            return tickets, cards
        finally:
            await store.close()

    def replies(self, message: Message) -> list[str]:
        if message.channel == "telegram":
            return self.telegram_texts(message.sender)
        if message.channel == "whatsapp":
            return self.whatsapp_texts(message.sender)
        return [str(r.get("text", "")) for r in message.web_replies]

    async def complete(self, messages: Iterable[Message]) -> bool:
        """Has every acknowledged message its ticket, both cards and its reply?"""
        tickets, cards = await self.snapshot()
        for message in messages:
            if not message.acknowledged:
                continue
            numbers = tickets.get(f"{message.channel}:{message.sender}", [])
            if len(numbers) != 1 or any(cards[c][numbers[0]] < 1 for c in cards):
                return False
            if not any(numbers[0] in text for text in self.replies(message)):
                return False
        return True

    async def wait_complete(self, messages: list[Message], timeout: float) -> bool:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if await self.complete(messages):
                return True
            await asyncio.sleep(0.25)
        return False

    async def audit(self, messages: list[Message]) -> dict[str, Audit]:
        tickets, cards = await self.snapshot()
        audits = {channel: Audit(channel) for channel in CHANNELS}
        for message in messages:
            audit = audits[message.channel]
            audit.sent += 1
            numbers = tickets.get(f"{message.channel}:{message.sender}", [])
            if message.acknowledged:
                audit.acknowledged += 1
            audit.before_kill += message.acked_before_kill
            if numbers:
                audit.effects += 1
            extra_cards = sum(max(0, cards["webchat"][n] - 1) for n in numbers)
            resent = sum(max(0, cards["telegram"][n] - 1) for n in numbers)
            audit.duplicates += max(0, len(numbers) - 1) + extra_cards
            audit.resent += resent
            if len(numbers) > 1 or extra_cards or resent:
                audit.problems.append(f"{message.channel}:{message.sender}: tickets {numbers}, "
                                      f"cards {[dict((c, cards[c][n]) for c in cards) for n in numbers]}")
            if message.acknowledged:
                missing = []
                if not numbers:
                    missing.append("ticket")
                elif any(cards[c][numbers[0]] < 1 for c in cards):
                    missing.append("card")
                if numbers and not any(numbers[0] in text for text in self.replies(message)):
                    missing.append("reply")
                if not numbers and message.channel != "webchat" and not self.replies(message):
                    missing.append("reply")
                if missing:
                    audit.lost += 1
                    audit.problems.append(f"{message.channel}:{message.sender}: acknowledged, no {', '.join(missing)}")
        return audits


async def crash_run(cluster: Cluster, messages: list[Message], kill_after: int, *, concurrency: int = 16,
                    redeliver_acked_every: int = 7, settle: float = 60.0) -> dict[str, Audit]:
    """Burst into one node, SIGKILL it after `kill_after` acknowledgements, restart, redeliver, audit."""
    first = await cluster.start_node()
    killed = asyncio.Event()

    def on_ack(count: int) -> None:
        if count >= kill_after and not killed.is_set():
            first.kill()
            killed.set()

    async with aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=concurrency * 2)) as http:
        await send_burst(http, lambda i, m: [first.url], messages, concurrency, on_ack)
        if not killed.is_set():  # the kill point lies after the last acknowledgement: right now
            first.kill()
        for message in messages:
            message.acked_before_kill = message.acknowledged
        second = await cluster.start_node()
        # The platforms deliver again what was not acknowledged, and sometimes what was (a lost 200).
        again = [m for i, m in enumerate(messages) if not m.acknowledged or i % redeliver_acked_every == 0]
        await send_burst(http, lambda i, m: [second.url], again, concurrency)
        observer = Observer(cluster)
        await observer.wait_complete(messages, settle)
        await asyncio.sleep(0.5)  # anything sent twice would show up now
        second.stop()
        return await observer.audit(messages)
