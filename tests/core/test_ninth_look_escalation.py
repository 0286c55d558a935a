"""Many complaints past their deadline at once (the first pass after a long weekend): the regent gets one
message for the pass, not one per complaint, and each complaint is still escalated once, even when the pass
crashed before its commit; its officers and its reporter still hear of each complaint on its own."""

from __future__ import annotations

from datetime import timedelta

import pytest

from bot.store.base import STATUS_IN_PROGRESS, Changes
from tests.harness import say, texts, wait_for
from tests.integrations.test_sla import (  # noqa: F401 - the service on a clock (Friday 14 August 2026, 10:00)
    clock,
    enrol,
    sla_worker,
    svc,
    texts_to,
    ticket,
)


async def test_a_pass_with_many_overdue_complaints_sends_the_regent_one_message(svc, http, clock):  # noqa: F811
    await enrol(http, svc, "ajudan-banyak", "regent", None)
    await enrol(http, svc, "petugas-dlh-banyak", "officer", "dlh")
    week_ago = clock.now - timedelta(days=7)
    overdue = [ticket(f"WRG-2608-{i:04d}", "dlh" if i % 2 else "dinas-pupr", week_ago, week_ago + timedelta(hours=i),
                      status=STATUS_IN_PROGRESS) for i in range(1, 13)]
    await svc.store.commit(Changes(tickets=overdue))
    worker = sla_worker(svc)

    # The pass crashes at its commit: nothing is marked, nothing is queued.
    commit = svc.store.commit

    async def crash(changes: Changes) -> None:
        raise RuntimeError("the worker died here")

    svc.store.commit = crash
    with pytest.raises(RuntimeError):
        await worker.escalate(clock.now)
    svc.store.commit = commit
    assert [(await svc.store.get_ticket(t.number)).escalated_at for t in overdue] == [None] * 12

    # A reporter adds words to one of them while the pass runs: the pass reads them again and escalates all.
    reads, bumped = svc.store.get_ticket, []

    async def racing(number: str):
        ticket = await reads(number)
        if number == "WRG-2608-0005" and not bumped:
            fresh = await reads(number)
            fresh.text += " (ditambah pelapor)"
            await commit(Changes(tickets=[fresh]))
            bumped.append(number)
        return ticket

    svc.store.get_ticket = racing
    assert await worker.escalate(clock.now) == 12 and bumped
    svc.store.get_ticket = reads
    assert await worker.escalate(clock.now + timedelta(hours=1)) == 0
    [message] = await wait_for(lambda: texts_to(svc, "webchat:ajudan-banyak", "melewati batas waktu"))
    lines = message.splitlines()
    assert "12 aduan" in lines[0], message
    named = [ln for ln in lines if ln.startswith("• WRG-")]
    assert len(named) == 10 and "dan 2 lainnya" in message and "/antrian" in message, message
    # the most overdue first, with its OPD, its topic in words and how late it is
    assert named[0].startswith("• WRG-2608-0001") and "Dinas PUPR" not in named[0] and "DLH" in named[0]
    assert "Sampah" in named[0] or "sampah" in named[0], named[0]
    assert "hari kerja" in named[0]
    for t in overdue:
        assert len(await svc.store.ticket_events(t.number, "escalated")) == 1, t.number
    # Each OPD officer hears of each of their complaints, and each reporter of theirs, as before.
    dlh = [t.number for t in overdue if t.opd_id == "dlh"]
    told = await wait_for(lambda: texts_to(svc, "webchat:petugas-dlh-banyak", "sudah dilaporkan kepada"))
    await wait_for(lambda: _all_told(svc, "webchat:petugas-dlh-banyak", dlh))
    assert all(sum(n in x for x in told) <= 1 for n in dlh)
    resident = await wait_for(lambda: texts_to(svc, "webchat:r-WRG-2608-0002", "belum selesai sampai batas waktunya"))
    assert len(resident) == 1
    # The regent's queue has them all.
    assert "WRG-2608-0012" in texts(await say(http, svc.url, "ajudan-banyak", "/antrian"))


async def _all_told(service, key: str, numbers: list[str]) -> bool:
    told = " ".join(await texts_to(service, key, "sudah dilaporkan kepada"))
    return all(n in told for n in numbers)
