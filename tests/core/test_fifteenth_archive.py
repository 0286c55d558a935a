"""Archived reports (`/arsipkan`, status `diarsipkan`), from the fifteenth session, over real HTTP: the status an
archived ticket shows its reporter and staff (no running deadline: when, why and where to go instead); the regent's
disposition of an archived ticket; archiving from the web desk; and the stores reading an archived ticket back."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from bot.store.base import (
    OPEN_STATUSES,
    STATUS_ARCHIVED,
    STATUS_IN_PROGRESS,
    STATUS_NEW,
    Changes,
    FactsFilter,
    OversightStore,
    Ticket,
    TicketEvent,
    TicketQuery,
)

# `backend`/`store`: SQLite and MongoDB over the in-process stand-in (standalone and replica set)
from tests.store.conftest import backend, store  # noqa: F401

# --- 4. the stores read an archived ticket back ----------------------------------------------------------------
NOW = datetime(2026, 12, 7, 2, 0, tzinfo=UTC)  # Monday 7 December 2026, 09:00 in the regency


def _ticket(number: str, status: str, reporter: str = "webchat:warga-st") -> Ticket:
    return Ticket(number=number, kind="aduan", topic="aduan_jalan_rusak", opd_id="dinas-pupr", status=status,
                  text="listrik padam", reporter=reporter, created_at=NOW, updated_at=NOW,
                  due_at=NOW + timedelta(days=14))


async def test_an_archived_ticket_reads_back_the_same_on_every_store(store: Any) -> None:  # noqa: F811
    await store.commit(Changes(tickets=[_ticket("WRG-2612-0001", STATUS_NEW), _ticket("WRG-2612-0002", STATUS_NEW),
                                        _ticket("WRG-2612-0003", STATUS_IN_PROGRESS)]))
    archived = await store.get_ticket("WRG-2612-0001")
    at = NOW + timedelta(hours=1)  # archived as actions/archive.py does it: status, closed_at, extra, history
    archived.status, archived.closed_at, archived.updated_at = STATUS_ARCHIVED, at, at
    archived.extra["archived"] = {"reason": "gangguan listrik ditangani PLN", "external": "luar_pln",
                                  "by": "webchat:operator-st", "at": at.isoformat()}
    version = archived.version
    await store.commit(Changes(tickets=[archived], events=[TicketEvent(
        ticket=archived.number, kind="status", at=at, actor="webchat:operator-st",
        text="gangguan listrik ditangani PLN",
        data={"status": STATUS_ARCHIVED, "closure": "outside_authority", "external": "luar_pln"})]))

    back = await store.get_ticket("WRG-2612-0001")
    assert back.status == STATUS_ARCHIVED and back.closed_at == at and back.version == version + 1, back
    assert back.extra["archived"]["reason"] == "gangguan listrik ditangani PLN", back.extra
    assert back.extra["archived"]["external"] == "luar_pln" and back.due_at == NOW + timedelta(days=14)
    [event] = await store.ticket_events("WRG-2612-0001", "status")
    assert event.data["status"] == STATUS_ARCHIVED and event.data["closure"] == "outside_authority", event

    def numbers(tickets: list[Ticket]) -> list[str]:
        return sorted(t.number for t in tickets)

    assert numbers(await store.list_tickets(TicketQuery(statuses=OPEN_STATUSES))) == ["WRG-2612-0002",
                                                                                    "WRG-2612-0003"]
    assert numbers(await store.list_tickets(TicketQuery(statuses=(STATUS_ARCHIVED,)))) == ["WRG-2612-0001"]
    assert numbers(await store.list_tickets(TicketQuery(opd_id="dinas-pupr", statuses=(STATUS_ARCHIVED,),
                                                        closed_after=NOW))) == ["WRG-2612-0001"]
    assert await store.count_tickets(TicketQuery(statuses=(STATUS_ARCHIVED,))) == 1
    assert await store.count_tickets(TicketQuery(statuses=OPEN_STATUSES)) == 2
    by_opd = await store.count_tickets_by_opd(TicketQuery(statuses=(STATUS_ARCHIVED,)))
    assert by_opd == {("dinas-pupr", "aduan"): 1}, by_opd
    recent = {t.number: t.status for t in await store.recent_tickets("webchat:warga-st", 10)}
    assert recent["WRG-2612-0001"] == STATUS_ARCHIVED and len(recent) == 3, recent
    due = await store.open_tickets_due(NOW + timedelta(days=30))  # an archived ticket's deadline no longer runs
    assert "WRG-2612-0001" not in {t.number for t in due} and len(due) == 2, due

    [facts] = [f for f in await store.ticket_facts(NOW - timedelta(days=1), NOW + timedelta(days=1))
               if f.number == "WRG-2612-0001"]
    assert facts.status == STATUS_ARCHIVED and facts.closed_at == at, facts
    if isinstance(store, OversightStore):
        total, rows = await store.find_facts(FactsFilter(statuses=(STATUS_ARCHIVED,)), columns="number, status")
        assert total == 1 and [tuple(r) for r in rows] == [("WRG-2612-0001", STATUS_ARCHIVED)], rows
        total, rows = await store.find_facts(FactsFilter(statuses=OPEN_STATUSES))
        assert total == 2, rows
        day = (NOW - timedelta(hours=2), NOW + timedelta(hours=22))
        summary = await store.facts_summary(NOW - timedelta(days=1), NOW + timedelta(days=1), NOW + timedelta(days=20),
                                            [("2026-12-07", *day)])
        counts = summary.total  # received, but neither open, overdue nor resolved
        assert (counts.received, counts.open, counts.overdue, counts.resolved, counts.ever_resolved) == \
            (3, 2, 2, 0, 0), counts
        assert sum(summary.resolved_by_day.values()) == 0, summary.resolved_by_day
        unmeasured = await store.resolved_unmeasured(NOW - timedelta(days=1), NOW + timedelta(days=1))
        assert "WRG-2612-0001" not in {f.number for f in unmeasured}, unmeasured
