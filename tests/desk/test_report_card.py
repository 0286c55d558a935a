"""The weekly OPD report card with a fixed clock: sent on Monday from 07:00 once, the right OPDs ranked, the
regent's reminder buttons reach the lagging OPD's officers."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from bot.message import Message
from bot.store.base import Changes, Ticket, TicketEvent
from integrations.report_card import ReportCardWorker
from tests.desk.seed import OFFICER_DISHUB, OFFICER_PUPR, REGENT, WIB, wib
from tests.harness import Service, make_settings, running_service

CLOCK = [datetime(2026, 11, 22, 10, 0, tzinfo=WIB)]  # Sunday


def ticket(number: str, opd: str, created: datetime, due: datetime, answered: datetime | None,
           closed: datetime | None, rating: int | None) -> tuple[Ticket, list[TicketEvent]]:
    t = Ticket(number=number, kind="aduan", topic=None, opd_id=opd, status="selesai" if closed else "baru",
               text="uji", reporter=f"telegram:9{number[-3:]}", created_at=created, updated_at=created, due_at=due,
               closed_at=closed, rating=rating)
    events = [TicketEvent(ticket=number, kind="message_out", at=answered, actor="telegram:1")] if answered else []
    return t, events


@pytest.fixture
async def svc(tmp_path: Path, nlu_model_path: Path) -> AsyncIterator[Service]:
    CLOCK[0] = datetime(2026, 11, 22, 10, 0, tzinfo=WIB)
    async with running_service(make_settings(tmp_path), clock=lambda: CLOCK[0].astimezone(UTC)) as service:
        changes = Changes(identities=[OFFICER_PUPR, OFFICER_DISHUB, REGENT])
        for t, events in [
            ticket("ADU-2611-0101", "dlh", wib(16, 9), wib(20, 23), wib(16, 10), wib(18, 9), 5),
            ticket("ADU-2611-0102", "dlh", wib(17, 9), wib(21, 23), wib(17, 12), wib(19, 9), 5),
            ticket("ADU-2611-0103", "dishub", wib(16, 9), wib(17, 23), wib(16, 19), wib(20, 9), 2),
            ticket("ADU-2611-0104", "dinas-pupr", wib(16, 9), wib(27, 23), wib(17, 15), None, None),
            ticket("ADU-2611-0105", "dinas-pupr", wib(18, 9), wib(20, 23), None, None, None),
            ticket("ADU-2611-0106", "dinas-pupr", wib(9, 9), wib(12, 23), wib(9, 10), None, None),  # week before
        ]:
            changes.tickets.append(t)
            changes.events += events
        await service.store.commit(changes)
        yield service


async def deliveries(svc: Service, to: str) -> list[dict]:
    return [r for j in await svc.store.list_jobs(limit=1000) if j.payload.get("to") == to for r in j.payload["replies"]]


async def test_report_card_ranks_and_reminds(svc: Service) -> None:
    worker = ReportCardWorker(svc.runtime.services)
    assert await worker.run_once() == 0  # Sunday
    CLOCK[0] = datetime(2026, 11, 23, 6, 59, tzinfo=WIB)
    assert await worker.run_once() == 0  # Monday, before 07:00
    CLOCK[0] = datetime(2026, 11, 23, 7, 30, tzinfo=WIB)
    assert await worker.run_once() > 0
    assert await worker.run_once() == 0  # once a week
    card = await deliveries(svc, REGENT.key)
    assert len(card) == 1
    lines = card[0]["text"].splitlines()
    assert "2026-W47" in lines[0] and "5 aduan" in lines[0]
    ranked = [ln.split(":")[0] for ln in lines[2:]]
    assert ranked == ["1. DLH", "2. Dishub", "3. Dinas PUPR"]  # median first response 2 h, 10 h, 30 h
    assert "tanggapan 2 jam" in lines[2] and "tepat waktu 100%" in lines[2] and "nilai 5" in lines[2]
    assert "1 lewat tenggat" in lines[4]
    assert [b["payload"] for b in card[0]["buttons"]] == ["/ingatkan dinas-pupr", "/ingatkan dishub"]
    own = await deliveries(svc, OFFICER_PUPR.key)
    assert len(own) == 1 and "3. Dinas PUPR" in own[0]["text"] and "dari 3 OPD" in own[0]["text"]

    # The regent taps "Ingatkan Dinas PUPR": its officers get the reminder, nobody else.
    before = len(await deliveries(svc, OFFICER_DISHUB.key))
    replies = await svc.dialogue.handle(Message(channel=REGENT.channel, sender_id=REGENT.sender_id,
                                                text="/ingatkan dinas-pupr", message_id="m1"))
    assert "Pengingat terkirim" in " ".join(r.text for r in replies)
    reminder = [r for r in await deliveries(svc, OFFICER_PUPR.key) if "Pengingat dari Bupati" in r["text"]]
    # open tickets of the last 90 days, the week before's too
    assert len(reminder) == 1 and "3 aduan terbuka" in reminder[0]["text"] and "2 di antaranya" in reminder[0]["text"]
    assert len(await deliveries(svc, OFFICER_DISHUB.key)) == before
    # An officer cannot send it.
    replies = await svc.dialogue.handle(Message(channel=OFFICER_DISHUB.channel, sender_id=OFFICER_DISHUB.sender_id,
                                                text="/ingatkan dinas-pupr", message_id="m2"))
    assert "Pengingat terkirim" not in " ".join(r.text for r in replies)
    # An OPD nobody is enrolled at: the regent is told the reminder reached nobody, not "0 recipients".
    replies = await svc.dialogue.handle(Message(channel=REGENT.channel, sender_id=REGENT.sender_id,
                                                text="/ingatkan satpol-pp", message_id="m3"))
    said = " ".join(r.text for r in replies)
    assert "tidak sampai ke siapa pun" in said and "0 penerima" not in said, said
