"""SIGKILL the service in the middle of bursts on Telegram, WhatsApp and the web chat, restart it, and
check exactly once: every acknowledged message has one ticket, one card to each of the regent's
identities and a reply to the resident; nothing is doubled, including what the platforms delivered
twice. Real processes, real HTTP, fakes on loopback (tests/crash/cluster.py); the SQLite store, or a
fresh database on the MongoDB server named by MONGODB_URL when it is set."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.crash.cluster import CHANNELS, HEADER, IN_FLIGHT, Cluster, crash_run, make_burst
from tests.fakes.graph_api import FakeGraphApi
from tests.fakes.telegram_api import FakeTelegramApi

PER_CHANNEL = 40


@pytest.mark.parametrize("kill_point", ["mid-burst", "end-of-burst"])
async def test_sigkill_during_a_burst_loses_nothing_and_doubles_nothing(tmp_path: Path, nlu_model_path: Path,
                                                                        kill_point: str):
    async with FakeTelegramApi(token="4242:CRASH") as telegram, FakeGraphApi(token="crash-token") as graph:
        cluster = Cluster(tmp_path / "data", nlu_model_path, telegram, graph)
        await cluster.prepare()
        # The three channels interleaved, as residents would write at the same time.
        bursts = [make_burst(channel, PER_CHANNEL, 100_000 * (i + 1), kill_point) for i, channel in enumerate(CHANNELS)]
        messages = [m for group in zip(*bursts, strict=True) for m in group]
        kill_after = len(messages) // 3 if kill_point == "mid-burst" else len(messages)
        try:
            audits = await crash_run(cluster, messages, kill_after)
        finally:
            cluster.stop_all()
            await cluster.drop()
    report = "\n".join([HEADER] + [a.row() for a in audits.values()] +
                       [p for a in audits.values() for p in a.problems[:5]])
    for audit in audits.values():
        assert audit.sent == PER_CHANNEL, report
        assert audit.duplicates == 0 and audit.lost == 0, report
        assert audit.effects == audit.sent, report  # the platforms' redelivery got every message in
    # Telegram has no idempotency key: a card whose send the kill cut off before the outbox recorded
    # it goes again. Only what was in flight at that instant can be, never a card sent before.
    assert sum(a.resent for a in audits.values()) <= IN_FLIGHT, report
    if kill_point == "mid-burst":  # the kill really cut the burst: some were not acknowledged by the first node
        assert sum(m.deliveries > 1 for m in messages) > len(messages) // 7, report
