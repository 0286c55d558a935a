"""A village letter request is a ticket of its own kind that only the letter desk shows: it has no oversight
facts, so the complaint desk's lists, map, exports and the regent's figures never hold it, on every store,
also when an earlier release had given it facts."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from bot.store.base import LETTER_KIND, Changes, FactsFilter, TicketEvent
from tests.store.conftest import Backend
from tests.store.test_contract import NOW, ticket

SINCE, UNTIL = NOW - timedelta(days=1), NOW + timedelta(days=1)


def letter(number: str) -> Any:
    return ticket(number, kind=LETTER_KIND, topic="sk_domisili", opd_id=None, status="menunggu_kades",
                  text="", reporter="whatsapp:6281200000001", location={"latitude": -7.0, "longitude": 107.5})


async def numbers_seen(store: Any) -> tuple[int, list[str], list[str], int]:
    """What the complaint desk and the dashboard read: the list (with its count), the map pins, the
    tickets without an OPD, and the period's received total."""
    total, rows = await store.find_facts(FactsFilter(), columns="number")
    _, pins = await store.find_facts(FactsFilter(with_pin=True), columns="number", count=False)
    _, no_opd = await store.find_facts(FactsFilter(no_opd=True), columns="number", count=False)
    summary = await store.facts_summary(SINCE, UNTIL, NOW, [])
    assert [f.number for f in await store.ticket_facts(SINCE, UNTIL)] == sorted(r[0] for r in rows)
    return total, sorted(r[0] for r in rows + pins), sorted(r[0] for r in no_opd), summary.total.received


async def test_a_letter_request_never_reaches_the_complaint_desk_or_the_figures(backend: Backend) -> None:
    store = await backend.open()
    complaint = ticket("ADU-2612-0001", location={"latitude": -7.0, "longitude": 107.6})
    triage = ticket("ADU-2612-0002", opd_id=None, status="triase")
    request = letter("SRT-2612-0001")
    await store.commit(Changes(tickets=[complaint, triage, request], events=[
        TicketEvent(ticket=request.number, kind="message_out", at=NOW, actor="whatsapp:6281200000009", text="ok")]))
    assert await numbers_seen(store) == (2, ["ADU-2612-0001", "ADU-2612-0001", "ADU-2612-0002"],
                                         ["ADU-2612-0002"], 2)

    # the letter moves on (the head approves it, it is issued): still nothing of it in the facts
    stored = await store.get_ticket(request.number)
    stored.status = "terbit"
    await store.commit(Changes(tickets=[stored], events=[
        TicketEvent(ticket=request.number, kind="reopened", at=NOW)]))
    assert await numbers_seen(store) == (2, ["ADU-2612-0001", "ADU-2612-0001", "ADU-2612-0002"],
                                         ["ADU-2612-0002"], 2)
    # ... and the letter desk still finds it, as a ticket
    assert (await store.get_ticket(request.number)).status == "terbit"


async def test_facts_an_earlier_release_gave_letters_are_dropped_when_the_store_opens(backend: Backend) -> None:
    store = await backend.open()
    await store.commit(Changes(tickets=[ticket("ADU-2612-0001"), letter("SRT-2612-0001"), letter("SRT-2612-0002")]))
    # as the previous release wrote them: a facts row (document) for every ticket, letters included
    if backend.name == "sqlite":
        def old_facts(db: Any) -> None:
            for number in ("SRT-2612-0001", "SRT-2612-0002"):
                db.execute("INSERT INTO facts (created_at, number, kind, status, channel) "
                           "SELECT created_at, number, kind, status, 'whatsapp' FROM tickets WHERE number = ?",
                           (number,))
        await store._run(old_facts)
    else:
        from bot.store.mongo import FACT_DEFAULTS, fact_fields
        for number in ("SRT-2612-0001", "SRT-2612-0002"):
            old = await store.get_ticket(number)
            await store.db["facts"].insert_one({"_id": number, **fact_fields(old), **FACT_DEFAULTS,
                                                "stale": True, "stamp": 1})
    total, _ = await store.find_facts(FactsFilter())
    assert total == 3  # what the desk listed before

    reopened = await backend.open()
    assert await numbers_seen(reopened) == (1, ["ADU-2612-0001"], [], 1)
