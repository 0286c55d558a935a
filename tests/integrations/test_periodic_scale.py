"""Periodic work and staff commands ask the store only for what they need, a page at a time.

A backlog of overdue tickets is escalated a bounded number per pass, in pages read by deadline; the
reminders, the digest, the LAPOR! sync and `/antrian` never list every open ticket (the store's
`list_tickets` is made to fail while they run, except for the one page `/antrian` shows).
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any

import aiohttp
import pytest

from actions import sla  # the deadline rules (integrations/sla.py schedules them)
from bot.store.base import STATUS_CLOSED, STATUS_IN_PROGRESS, Changes, Ticket
from integrations import lapor
from integrations.wiring import lapor_for
from tests.fakes.lapor import FakeLapor
from tests.harness import make_settings, running_service, say, texts
from tests.integrations.test_lapor import API_KEY, TOKEN, lapor_settings
from tests.integrations.test_sla import Clock, enrol, sla_worker, ticket, wib


@pytest.fixture
def clock() -> Clock:
    return Clock(wib(2026, 8, 26, 10, 0))  # a Wednesday


@pytest.fixture
async def svc(tmp_path: Path, clock: Clock, nlu_model_path: Path) -> Any:
    async with running_service(make_settings(tmp_path, DIGEST_TIME="07:00"), clock=clock) as service:
        yield service


def forbid_full_listing(monkeypatch: pytest.MonkeyPatch, store: Any) -> list[int]:
    """Make `list_tickets` fail and record the page sizes of the deadline scans."""
    limits: list[int] = []
    scan = store.open_tickets_due

    async def listing(query: Any) -> list[Ticket]:
        raise AssertionError(f"a periodic pass listed tickets: {query}")

    async def due(*args: Any, **kw: Any) -> list[Ticket]:
        limits.append(kw.get("limit", 100))
        return await scan(*args, **kw)

    monkeypatch.setattr(store, "list_tickets", listing)
    monkeypatch.setattr(store, "open_tickets_due", due)
    return limits


async def test_a_backlog_is_escalated_in_pages_a_bounded_number_per_pass(svc, http, clock, monkeypatch):
    await enrol(http, svc, "ajudan-scale", "regent", None)
    monkeypatch.setattr(sla, "PAGE", 10)
    monkeypatch.setattr(sla, "PASS_LIMIT", 40)
    week_ago = clock.now - timedelta(days=7)
    overdue = [ticket(f"WRG-2608-{i:04d}", "dlh" if i % 2 else "dinas-pupr", week_ago,
                      week_ago + timedelta(hours=i), status=STATUS_IN_PROGRESS) for i in range(55)]
    escalated_before = [ticket(f"WRG-2608-{i:04d}", "dlh", week_ago, week_ago - timedelta(hours=1),
                              escalated_at=week_ago) for i in range(100, 105)]
    closed = [ticket(f"WRG-2608-{i:04d}", "dlh", week_ago, week_ago, status=STATUS_CLOSED, closed_at=week_ago)
              for i in range(200, 203)]
    soon = [ticket(f"WRG-2608-{i:04d}", "dlh", clock.now, clock.now + timedelta(hours=30)) for i in range(300, 325)]
    later = [ticket(f"WRG-2608-{i:04d}", "dlh", clock.now, clock.now + timedelta(days=14)) for i in range(400, 410)]
    await svc.store.commit(Changes(tickets=overdue + escalated_before + closed + soon + later))
    limits = forbid_full_listing(monkeypatch, svc.store)
    worker = sla_worker(svc)

    first = await worker.run_once(clock.now)
    assert first["escalations"] == 40 and first["reminders"] == 25  # tomorrow's deadlines, not next fortnight's
    assert (await worker.run_once(clock.now))["escalations"] == 15
    assert (await worker.run_once(clock.now))["escalations"] == 0
    for t in overdue:
        assert len(await svc.store.ticket_events(t.number, "escalated")) == 1, t.number
    for t in escalated_before:
        assert await svc.store.ticket_events(t.number, "escalated") == []
    assert (await svc.store.get_ticket("WRG-2608-0400")).reminded_at is None
    assert limits and max(limits) <= 10

    stats = await worker.digest_stats(clock.now)
    assert stats["overdue"] == 60 and stats["open"] == 95 and stats["new"] == 35
    assert stats["per_opd"]["dlh"]["overdue"] == 27 + 5 and stats["per_opd"]["dinas-pupr"]["overdue"] == 28
    assert [t.number for t, _ in stats["oldest"]][:1] == ["WRG-2608-0100"]


async def test_the_queue_counts_every_open_ticket_but_reads_one_page(svc, http, clock, monkeypatch):
    await enrol(http, svc, "petugas-scale", "officer", "dlh")
    await svc.store.commit(Changes(tickets=[
        ticket(f"WRG-2608-{i:04d}", "dlh", clock.now, clock.now + timedelta(days=1, hours=i)) for i in range(35)]))
    pages: list[int] = []
    listing = svc.store.list_tickets

    async def one_page(query: Any) -> list[Ticket]:
        pages.append(query.limit)
        return await listing(query)

    monkeypatch.setattr(svc.store, "list_tickets", one_page)
    reply = texts(await say(http, svc.url, "petugas-scale", "/antrian"))
    assert "(35 terbuka" in reply and "… +5" in reply, reply
    assert reply.index("WRG-2608-0000") < reply.index("WRG-2608-0029") and "WRG-2608-0030" not in reply
    assert pages == [30]


async def test_the_lapor_sync_reads_every_open_ticket_in_turn(tmp_path: Path, nlu_model_path: Path,
                                                              http: aiohttp.ClientSession,
                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    async with FakeLapor(token=TOKEN, api_key=API_KEY, seed=5) as fake, \
            running_service(lapor_settings(tmp_path, fake)) as svc:
        parts = lapor_for(svc.runtime)
        assert parts is not None
        now = svc.runtime.services.clock()
        numbers = [f"WRG-2611-{i:04d}" for i in range(5)]
        tickets = []
        for number in numbers:
            lapor_id, _ = await parts.client.create([("title", "jalan"), ("content", "jalan rusak"),
                                                     ("category_id", "1"), ("is_anonymous", "0"),
                                                     ("is_secret", "0"), ("external_id", number)])
            tickets.append(Ticket(number=number, kind="aduan", topic="aduan_jalan_rusak", opd_id="dinas-pupr",
                                  status=STATUS_IN_PROGRESS, text="jalan rusak", reporter="webchat:w-sync",
                                  created_at=now, updated_at=now, lapor_id=lapor_id))
        await svc.store.commit(Changes(tickets=tickets))
        forbid_full_listing(monkeypatch, svc.store)
        sync = parts.sync
        sync.batch = 2
        monkeypatch.setattr(lapor, "SYNC_PAGE", 1)  # a batch of two is read a ticket per store call
        pages: list[int] = []
        cursors: list[str] = []
        read, write = svc.store.open_lapor_tickets, svc.store.set_value

        async def page(after: str | None, limit: int) -> list[tuple[str, str]]:
            pages.append(limit)
            return await read(after, limit)

        async def saved(key: str, value: Any) -> None:
            if key == lapor.SYNC_CURSOR_KEY:
                cursors.append(value)
            await write(key, value)

        monkeypatch.setattr(svc.store, "open_lapor_tickets", page)
        monkeypatch.setattr(svc.store, "set_value", saved)
        seen: list[list[str]] = []
        original = sync.sync_ticket

        async def recording(number: str, moment: Any, lapor_id: str | None = None) -> tuple[int, bool]:
            seen[-1].append(number)
            return await original(number, moment, lapor_id)

        monkeypatch.setattr(sync, "sync_ticket", recording)
        for _ in range(3):
            seen.append([])
            assert (await sync.run_once())["checked"] == 2
        assert [sorted(batch) for batch in seen] == [numbers[0:2], numbers[2:4], [numbers[0], numbers[4]]]
        assert fake.calls["status"] == 6
        assert set(pages) == {1}
        assert cursors == [numbers[0], numbers[1], numbers[2], numbers[3], numbers[4], numbers[0]]  # after each page
