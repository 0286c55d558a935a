"""The indexed questions (counts, pages, deadline scans, the LAPOR! batch, outbox health) answer the same
on every backend: SQLite, the MongoDB stand-in, and a real MongoDB when MONGODB_URL is set."""

from __future__ import annotations

from datetime import timedelta

from bot.store.base import (
    ESCALATED,
    JOB_DEAD,
    JOB_DONE,
    JOB_PENDING,
    OPEN_STATUSES,
    REMINDED,
    STATUS_CLOSED,
    STATUS_DONE,
    STATUS_IN_PROGRESS,
    STATUS_TRIAGE,
    Changes,
    TicketQuery,
    queue_key,
)
from tests.store.test_contract import NOW, job, ticket

DAY = timedelta(days=1)


async def test_counts_and_queue_pages(store):
    tickets = [ticket(f"WRG-2611-{i:04d}", due_at=NOW + i * DAY, opd_id="dlh" if i % 3 else "dinas-pupr",
                      status=STATUS_IN_PROGRESS if i % 2 else "baru") for i in range(1, 13)]
    tickets += [ticket("WRG-2611-0100", status=STATUS_DONE, opd_id="dlh"),
                ticket("WRG-2611-0101", status=STATUS_TRIAGE, opd_id=None, due_at=None),
                ticket("WRG-2611-0102", kind="bupati", opd_id=None, due_at=NOW - DAY)]
    await store.commit(Changes(tickets=tickets))
    dlh = TicketQuery(opd_id="dlh", statuses=OPEN_STATUSES, limit=3)
    assert await store.count_tickets(dlh) == 8
    page = await store.list_tickets(dlh)
    assert [t.number for t in page] == ["WRG-2611-0001", "WRG-2611-0002", "WRG-2611-0004"]
    assert await store.count_tickets(TicketQuery(statuses=OPEN_STATUSES)) == 14
    everything = await store.list_tickets(TicketQuery(statuses=OPEN_STATUSES, limit=100))
    assert everything[0].number == "WRG-2611-0102" and everything[-1].number == "WRG-2611-0101"  # undated last
    assert await store.count_tickets(TicketQuery(statuses=(STATUS_TRIAGE,))) == 1
    overdue = await store.count_tickets_by_opd(TicketQuery(statuses=OPEN_STATUSES, due_before=NOW + 2.5 * DAY))
    assert overdue == {("dlh", "aduan"): 2, (None, "bupati"): 1}
    new = await store.count_tickets_by_opd(TicketQuery(created_after=NOW - DAY))
    assert sum(new.values()) == 15 and new[(None, "aduan")] == 1 and new[("dinas-pupr", "aduan")] == 4


async def test_recent_tickets_newest_first(store):
    await store.commit(Changes(tickets=[
        ticket(f"WRG-2611-{i:04d}", reporter="webchat:w1" if i != 3 else "webchat:w2", created_at=NOW - i * DAY)
        for i in range(1, 6)]))
    assert [t.number for t in await store.recent_tickets("webchat:w1", 3)] == [
        "WRG-2611-0001", "WRG-2611-0002", "WRG-2611-0004"]
    assert await store.recent_tickets("webchat:nobody", 3) == []


async def test_deadline_scans_page_by_key_and_skip_marked(store):
    tickets = [ticket(f"WRG-2611-{i:04d}", due_at=NOW - 10 * DAY + i * DAY) for i in range(20)]
    tickets[0].escalated_at = NOW  # already escalated
    tickets[1].status = STATUS_DONE  # closed: never due
    tickets[12].reminded_at = NOW  # already reminded
    await store.commit(Changes(tickets=tickets))

    async def scan(before, **kw):
        seen, start = [], None
        while True:
            page = await store.open_tickets_due(before, start=start, limit=3, **kw)
            seen += [t.number for t in page]
            if len(page) < 3:
                return seen
            start = queue_key(page[-1])

    overdue = await scan(NOW, unmarked=ESCALATED)
    assert overdue == [f"WRG-2611-{i:04d}" for i in range(2, 10)]  # due before now, open, not escalated
    remind = await scan(NOW + 5 * DAY, after=NOW, unmarked=REMINDED)
    assert remind == [f"WRG-2611-{i:04d}" for i in (10, 11, 13, 14)]
    assert [t.number for t in await store.open_tickets_due(NOW, limit=2)] == ["WRG-2611-0000", "WRG-2611-0002"]
    # same deadline, same moment: the number breaks the tie, and paging neither skips nor repeats
    twins = [ticket(f"WRG-2612-{i:04d}", due_at=NOW - 30 * DAY) for i in range(5)]
    await store.commit(Changes(tickets=twins))
    assert (await scan(NOW - 29 * DAY, unmarked=ESCALATED)) == [t.number for t in twins]


async def test_rating_summary_and_closed_since(store):
    await store.commit(Changes(tickets=[
        ticket("WRG-2611-0001", status=STATUS_DONE, rating=5, closed_at=NOW),
        ticket("WRG-2611-0002", status=STATUS_CLOSED, rating=2, closed_at=NOW - 3 * DAY),
        ticket("WRG-2611-0003", status=STATUS_DONE, closed_at=NOW),  # not rated
        ticket("WRG-2611-0004", status=STATUS_DONE, rating=1, updated_at=NOW - 40 * DAY),  # too old
        ticket("WRG-2611-0005", rating=4),  # still open
    ]))
    assert await store.rating_summary(NOW - 30 * DAY) == (2, 3.5)
    assert await store.rating_summary(NOW + DAY) == (0, None)
    done = await store.count_tickets_by_opd(TicketQuery(statuses=(STATUS_DONE, STATUS_CLOSED),
                                                        updated_after=NOW - DAY, closed_after=NOW - DAY))
    assert done == {("dinas-pupr", "aduan"): 2}


async def test_open_lapor_numbers_after_a_cursor(store):
    await store.commit(Changes(tickets=[
        ticket(f"WRG-2611-{i:04d}", lapor_id=f"L{i}" if i != 2 else None,
               status=STATUS_DONE if i == 4 else STATUS_IN_PROGRESS) for i in range(1, 7)]))
    assert await store.open_lapor_tickets(None, 10) == [(f"WRG-2611-{i:04d}", f"L{i}") for i in (1, 3, 5, 6)]
    assert await store.open_lapor_tickets("WRG-2611-0003", 1) == [("WRG-2611-0005", "L5")]
    assert await store.open_lapor_tickets("WRG-2611-0006", 10) == []


async def test_outbox_counts_by_status(store):
    await store.enqueue([job(f"k{i}", next_attempt_at=NOW) for i in range(5)])
    claimed = await store.claim_jobs("w1", NOW, 30, 3)
    assert await store.complete_job(claimed[0].id, "w1", NOW)
    assert await store.fail_job(claimed[1].id, "w1", NOW, "boom", None)
    assert await store.outbox_counts() == {JOB_PENDING: 3, JOB_DONE: 1, JOB_DEAD: 1}
    assert [j.id for j in await store.list_jobs(JOB_DEAD)] == [claimed[1].id]
