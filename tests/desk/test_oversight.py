"""The oversight figures from the store equal a direct computation over the seeded tickets and their history."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from actions.oversight import Period, oversight, working_hours_between
from bot.store.base import OversightStore
from bot.store.mongo import MongoStore
from bot.store.sqlite import SqliteStore
from bot.workdays import WorkCalendar
from tests.desk.seed import NOW, SEEDS, direct_figures, seed_store, wib
from tests.fakes.async_mongomock import AsyncMongoMockClient

CAL = WorkCalendar("Asia/Jakarta")
PERIOD = Period(date(2026, 11, 1), date(2026, 11, 27))


async def test_figures_per_opd_equal_a_direct_computation(store: Any) -> None:
    await seed_store(store)
    result = await oversight(store, CAL, NOW, PERIOD, opd_ids=["dinas-pupr", "dishub", "dlh", "dinas-kesehatan"])
    by_id = {f.opd_id: f for f in result.opds}
    for opd in ("dinas-pupr", "dishub", "dlh", "dinas-kesehatan"):
        expected = await direct_figures(store, opd, PERIOD, CAL, NOW)
        got = by_id[opd]
        assert {name: getattr(got, name) for name in expected} == expected, opd
    pupr, dishub = by_id["dinas-pupr"], by_id["dishub"]
    # the same figures by hand, so the direct computation cannot be wrong in the same way
    assert (pupr.received, pupr.open, pupr.overdue, pupr.resolved) == (6, 3, 1, 3)
    assert pupr.within_sla == round(2 / 3, 4) and pupr.average_rating == round(11 / 3, 2)
    assert pupr.reopen_rate == 0.25
    assert (dishub.received, dishub.overdue, dishub.within_sla, dishub.reopen_rate) == (3, 1, 0.5, 0.5)
    assert dishub.median_first_response_hours == 13.0  # 2 h, and 24 h across a weekend (Fri 09:00 -> Mon 09:00)
    assert by_id["dinas-kesehatan"].received == 0 and by_id["dinas-kesehatan"].within_sla is None
    # the October ticket is outside the period
    assert result.total.received == sum(1 for s in SEEDS if s.created.month == 11) == 11
    assert by_id["-"].received == 1  # the triage ticket


async def test_ranking_trends_and_breakdowns(store: Any) -> None:
    await seed_store(store)
    result = await oversight(store, CAL, NOW, PERIOD, opd_ids=["dinas-pupr", "dishub", "dlh"])
    ranked = [f.opd_id for f in result.opds]
    assert ranked.index("dinas-pupr") < ranked.index("dishub")  # 67 % within the SLA against 50 %
    assert ranked[-2:] == ["-", "dlh"]  # nothing resolved: last
    weeks = dict((w, (n, done)) for w, n, done in result.weeks)
    assert weeks["2026-W45"] == (5, 1)  # 2-8 Nov: tickets 1, 2, 3, 6, 7 in; only 1 closed (7 closed on 9 Nov)
    assert sum(n for n, _ in weeks.values()) == 11
    assert sum(done for _, done in weeks.values()) == 5
    assert dict(result.by_channel) == {"telegram": 6, "whatsapp": 2, "webchat": 3}
    assert dict(result.by_kecamatan)["Kota"] == 4 and dict(result.by_kecamatan)["-"] == 2
    assert dict(result.by_topic)["aduan_jalan_rusak"] == 3
    one = await oversight(store, CAL, NOW, PERIOD, opd_id="dishub")
    assert one.total.received == 3 and [f.opd_id for f in one.opds] == ["dishub"]
    facts = await store.ticket_facts(*PERIOD.bounds(CAL), "dishub")
    assert {f.number for f in facts} == {"ADU-2611-0007", "ADU-2611-0008", "ADU-2611-0009"}


async def test_the_stores_aggregates_equal_the_figures_from_single_facts(store: Any) -> None:
    """SQLite aggregates in SQL (facts table, stored working-time measures); the result must be the one
    computed ticket by ticket, also after tickets change (their measures are recomputed)."""
    from dataclasses import replace

    from actions.oversight import summarise
    from bot.store.base import Changes, TicketEvent

    await seed_store(store)
    ids = ["dinas-pupr", "dishub", "dlh", "dinas-kesehatan"]

    async def both() -> tuple[Any, Any]:
        fast = await oversight(store, CAL, NOW, PERIOD, opd_ids=ids)
        slow = summarise(await store.ticket_facts(*PERIOD.bounds(CAL)), CAL, NOW, PERIOD, ids)
        return replace(fast, facts=[]), replace(slow, facts=[])

    assert isinstance(store, OversightStore)  # SQLite and MongoDB both aggregate (not the Python fallback)
    fast, slow = await both()
    assert fast == slow
    ticket = await store.get_ticket("ADU-2611-0004")
    ticket.status, ticket.closed_at = "selesai", wib(25, 15)
    await store.commit(Changes(tickets=[ticket], events=[
        TicketEvent(ticket="ADU-2611-0005", kind="message_out", at=wib(26, 13), actor="telegram:700001", text="ok"),
        TicketEvent(ticket="ADU-2611-0010", kind="reopened", at=wib(26, 13))]))
    fast, slow = await both()
    assert fast == slow
    assert fast.total.resolved == 6


async def test_sqlite_and_mongo_show_the_same_dashboard(tmp_path: Path) -> None:
    """The seeded fixture in both stores: the same dashboard (all OPDs and one), period by period."""
    from dataclasses import replace

    sqlite, mongo = SqliteStore(tmp_path / "warga.sqlite3"), MongoStore(
        "mongodb://stand-in", "warga_same", client=AsyncMongoMockClient())
    ids = ["dinas-pupr", "dishub", "dlh", "dinas-kesehatan"]
    for store in (sqlite, mongo):
        await store.open()
        await seed_store(store)
    try:
        for period in (PERIOD, Period(date(2026, 10, 1), date(2026, 11, 30)), Period(date(2026, 11, 9),
                                                                                      date(2026, 11, 9))):
            for opd in (None, "dinas-pupr"):
                a = await oversight(sqlite, CAL, NOW, period, opd_id=opd, opd_ids=ids)
                b = await oversight(mongo, CAL, NOW, period, opd_id=opd, opd_ids=ids)
                assert replace(a, facts=[]) == replace(b, facts=[]), (period, opd)
        whole = await oversight(mongo, CAL, NOW, PERIOD, opd_ids=ids)
        assert whole.total.received == 11 and whole.total.overdue == 2  # one of PUPR, one of Dishub
    finally:
        for store in (sqlite, mongo):
            await store.close()


async def test_lists_exports_and_pins_are_the_same_on_both_stores(tmp_path: Path) -> None:
    """`find_facts` (the desk's lists, CSV/XLSX exports and map pins) answers the same on SQLite and MongoDB."""
    from bot.desk.views import EXPORT_COLUMNS
    from bot.store.base import OPEN_STATUSES, Changes, FactsFilter
    from bot.store.codec import text_to_dt

    sqlite, mongo = SqliteStore(tmp_path / "warga.sqlite3"), MongoStore(
        "mongodb://stand-in", "warga_lists", client=AsyncMongoMockClient(transactions=True))
    since, until = PERIOD.bounds(CAL)
    filters = [
        FactsFilter(), FactsFilter(opd_id="dinas-pupr", statuses=OPEN_STATUSES, due_before=NOW),
        FactsFilter(no_opd=True), FactsFilter(kecamatan="-"), FactsFilter(kecamatan="Kota", desa="Harapan"),
        FactsFilter(desa="-", created_since=since, created_until=until), FactsFilter(channel="webchat"),
        FactsFilter(topic="aduan_lampu_jalan", privacy="anonim"),
        FactsFilter(statuses=("selesai",), opd_id="dishub"),
    ]
    answers: list[list[Any]] = []
    for store in (sqlite, mongo):
        await store.open()
        await seed_store(store)
        ticket = await store.get_ticket("ADU-2611-0004")
        ticket.extra["assignee"] = {"key": "telegram:700001", "name": "Petugas PUPR"}
        await store.commit(Changes(tickets=[ticket]))
        got: list[Any] = []
        for flt in filters:
            total, rows = await store.find_facts(flt, limit=5, columns=EXPORT_COLUMNS)
            got.append((total, [tuple(text_to_dt(v) if k in (4, 5, 6) else v for k, v in enumerate(r))
                                for r in rows]))  # SQLite's datetimes are text, MongoDB's datetimes
        got.append(await store.find_facts(FactsFilter(created_since=since, created_until=until, with_pin=True),
                                          limit=100, columns="lat, lon, number, status", count=False))
        answers.append(got)
        await store.close()
    assert answers[0] == answers[1]
    totals = [total for total, _ in answers[1][:-1]]
    assert totals == [12, 1, 1, 3, 2, 3, 3, 1, 2]
    exported = dict((r[0], r) for _, rows in answers[1][:-1] for r in rows)
    assert exported["ADU-2611-0004"][-1] == "Petugas PUPR" and exported["ADU-2611-0004"][7] == "webchat:r0004"
    assert [p[2] for p in answers[1][-1][1]] == ["ADU-2611-0004", "ADU-2611-0007", "ADU-2611-0006",
                                                 "ADU-2611-0003", "ADU-2611-0002", "ADU-2611-0001"]


def test_working_hours_skip_weekends() -> None:
    assert working_hours_between(CAL, wib(13, 9), wib(16, 9)) == 24.0
    assert working_hours_between(CAL, wib(14, 9), wib(15, 9)) == 0.0  # Saturday to Sunday
    assert working_hours_between(CAL, wib(16, 9), wib(16, 8)) == 0.0


def test_measures_agree_with_the_day_by_day_rule_across_weekends_and_holidays() -> None:
    import random
    from datetime import timedelta

    from actions.oversight import Measures

    calendar = WorkCalendar("Asia/Jakarta", [date(2026, 12, 24), date(2026, 12, 25)])
    measures = Measures(calendar)
    rng = random.Random(7)
    start = wib(1)
    for _ in range(300):
        a = start + timedelta(minutes=rng.randint(0, 60 * 24 * 60))
        b = a + timedelta(minutes=rng.randint(-600, 60 * 24 * 20))
        assert abs(measures.working_hours(a, b) - working_hours_between(calendar, a, b)) < 1e-9, (a, b)
