"""Two service processes on one store behind the same webhooks: the deliveries are split between them,
some reach both (a platform retry that lands on the other worker), and one worker is SIGKILLed in the
middle of the burst. The other takes over what the dead one had accepted (its inbox leases and outbox
jobs run out), and the periodic deadline worker still runs once per period, not once per worker.

The two processes share the SQLite file, or, when MONGODB_URL is set, a fresh database on that MongoDB
server (it must be a replica set: a standalone server supports one worker, docs/mongodb.md). Without a
server this test cannot run on MongoDB: the in-process stand-in lives in one process and has no write
conflicts between transactions, no read preference and no document size limit.
"""

from __future__ import annotations

import asyncio
import shutil
from datetime import datetime
from pathlib import Path

import aiohttp
import pytest

from bot.settings import ROOT
from tests.crash.cluster import CHANNELS, HEADER, IN_FLIGHT, Cluster, Message, Observer, make_burst, send_burst
from tests.fakes.graph_api import FakeGraphApi
from tests.fakes.telegram_api import FakeTelegramApi

PER_CHANNEL = 30
SLA_INTERVAL = 1.0


def fast_sla_content(tmp_path: Path) -> Path:
    """content/ with the deadline worker passing every second instead of every minute."""
    content = tmp_path / "content"
    shutil.copytree(ROOT / "content", content)
    lapor = content / "lapor.yml"
    text = lapor.read_text(encoding="utf-8")
    assert "check_interval: 60" in text
    lapor.write_text(text.replace("check_interval: 60", f"check_interval: {SLA_INTERVAL:g}", 1), encoding="utf-8")
    return content


async def test_two_workers_one_killed_mid_burst(tmp_path: Path, nlu_model_path: Path):
    async with FakeTelegramApi(token="4242:CRASH") as telegram, FakeGraphApi(token="crash-token") as graph:
        cluster = Cluster(tmp_path / "data", nlu_model_path, telegram, graph, content_dir=fast_sla_content(tmp_path))
        await cluster.prepare()
        if cluster.mongodb_url:
            store = cluster.open_store()
            await store.open()
            standalone = store.standalone
            await store.close()
            if standalone:  # the second worker would be refused at start, as it must be
                await cluster.drop()
                pytest.skip("MONGODB_URL is a standalone server, which takes one worker (docs/mongodb.md)")
        bursts = [make_burst(channel, PER_CHANNEL, 100_000 * (i + 1), "pair") for i, channel in enumerate(CHANNELS)]
        messages: list[Message] = [m for group in zip(*bursts, strict=True) for m in group]
        try:
            a, b = await asyncio.gather(cluster.start_node(), cluster.start_node())
            killed = asyncio.Event()
            to_both: list[Message] = []

            def route(index: int, message: Message) -> list[str]:
                urls = [a.url, b.url] if index % 2 == 0 else [b.url, a.url]
                if message.channel == "webchat" or index % 5 != 0:
                    urls = urls[:1]  # web chat: one request, one answer; the others: every 5th to both
                if killed.is_set():
                    return [b.url]
                if len(urls) == 2:
                    to_both.append(message)
                return urls

            def on_ack(count: int) -> None:
                if count >= len(messages) // 2 and not killed.is_set():
                    a.kill()
                    killed.set()

            async with aiohttp.ClientSession() as http:
                await send_burst(http, route, messages, 12, on_ack)
                assert killed.is_set()
                # The platforms deliver again to the live worker what was not acknowledged.
                await send_burst(http, lambda i, m: [b.url], [m for m in messages if not m.acknowledged], 12)
            observer = Observer(cluster)
            done = await observer.wait_complete(messages, 60.0)
            await asyncio.sleep(2 * SLA_INTERVAL)  # the deadline worker keeps passing meanwhile
            b.stop()
            audits = await observer.audit(messages)
        finally:
            cluster.stop_all()
        store = cluster.open_store()
        await store.open()
        try:
            passes = (await store.get_value("periodic:sla") or {}).get("passes", [])
        finally:
            await store.close()
        await cluster.drop()

    report = "\n".join([HEADER] + [x.row() for x in audits.values()] + [p for x in audits.values() for p in x.problems])
    assert done, report
    for audit in audits.values():
        assert audit.sent == audit.acknowledged == audit.effects == PER_CHANNEL, report
        assert audit.duplicates == 0 and audit.lost == 0, report
    assert sum(x.resent for x in audits.values()) <= IN_FLIGHT, report
    # Every 5th Telegram/WhatsApp delivery went to both workers until the kill: the split really overlapped.
    assert len(to_both) >= 3 and all(m.deliveries >= 2 for m in to_both), len(to_both)
    # One pass per period across both workers: never two passes within one lease period.
    times = sorted(datetime.fromisoformat(p["at"]) for p in passes)
    assert len(times) >= 3, passes
    gaps = [(later - earlier).total_seconds() for earlier, later in zip(times, times[1:], strict=False)]
    assert min(gaps) >= 0.85 * SLA_INTERVAL, (gaps, passes)
