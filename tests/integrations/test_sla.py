"""Working-day deadlines, reminders before them, one escalation when missed, one digest each morning.

The service runs with an injected clock; `SlaWorker.run_once(now)` is called at chosen moments.
"""

from __future__ import annotations

import asyncio
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import aiohttp
import pytest

from bot.__main__ import issue_code
from bot.store.base import STATUS_CLOSED, STATUS_DONE, STATUS_IN_PROGRESS, STATUS_NEW, Changes, Ticket
from bot.workdays import WorkCalendar
from integrations.sla import SlaWorker, parse_clock_time
from tests.harness import edited_content, make_settings, running_service, say, wait_for
from tests.integrations.test_lapor import file_complaint, mailbox, texts

WIB = ZoneInfo("Asia/Jakarta")


def wib(*args: int) -> datetime:
    return datetime(*args, tzinfo=WIB)


# --- the calendar ---------------------------------------------------------------------------------
def test_working_days_skip_weekends_and_national_holidays():
    calendar = WorkCalendar("Asia/Jakarta")
    friday = wib(2026, 8, 14, 10, 0)  # Monday 17 August is Independence Day, 25 August the Prophet's Birthday
    assert not calendar.is_working_day(date(2026, 8, 17)) and calendar.holiday_name(date(2026, 8, 17))
    expected = {1: date(2026, 8, 18), 3: date(2026, 8, 20), 5: date(2026, 8, 24), 7: date(2026, 8, 27),
                10: date(2026, 9, 1)}
    for days, day in expected.items():
        due = calendar.add_working_days(friday, days)
        assert due == datetime.combine(day, datetime.max.time().replace(microsecond=0), WIB), days
    assert calendar.working_days_between(friday, wib(2026, 8, 24, 9, 0)) == 5


def test_filing_on_a_holiday_or_late_at_night_counts_from_the_next_working_day():
    calendar = WorkCalendar("Asia/Jakarta", days_off=[date(2026, 12, 24)])
    christmas = wib(2026, 12, 25, 9, 0)  # Friday, a national holiday
    assert calendar.add_working_days(christmas, 1).date() == date(2026, 12, 28)
    assert calendar.add_working_days(wib(2026, 12, 23, 9, 0), 1).date() == date(2026, 12, 28)  # 24th off, 25th holiday
    # 23:30 UTC on Thursday is already Friday in Jakarta.
    late = datetime(2026, 8, 13, 23, 30, tzinfo=UTC)
    assert calendar.add_working_days(late, 1).date() == date(2026, 8, 18)
    assert calendar.add_working_days(wib(2026, 8, 15, 9), 0).date() == date(2026, 8, 18)


def test_digest_time_parsing():
    assert parse_clock_time("07:00").hour == 7 and parse_clock_time("6.30").minute == 30
    with pytest.raises(ValueError):
        parse_clock_time("pagi")


# --- the service with a clock ------------------------------------------------------------------
class Clock:
    def __init__(self, start: datetime) -> None:
        self.now = start

    def __call__(self) -> datetime:
        return self.now


def content_with_day_off(tmp_path: Path, day: str) -> Path:
    return edited_content(tmp_path, "days_off: []", f"days_off: [{day}]")


@pytest.fixture
def clock() -> Clock:
    return Clock(wib(2026, 8, 14, 10, 0))


@pytest.fixture
async def svc(tmp_path: Path, clock: Clock, nlu_model_path: Path):
    settings = make_settings(tmp_path, DIGEST_TIME="07:00")
    async with running_service(settings, clock=clock) as service:
        yield service


def sla_worker(svc: Any) -> SlaWorker:
    return next(w for w in svc.runtime.workers if isinstance(w, SlaWorker))


async def enrol(http: aiohttp.ClientSession, svc: Any, sender: str, role: str, opd: str | None) -> None:
    code = await issue_code(svc.settings, role, opd)
    replies = await say(http, svc.url, sender, f"/daftar {code}")
    assert "terdaftar" in texts(replies), texts(replies)


def ticket(number: str, opd: str | None, created: datetime, due: datetime | None, status: str = STATUS_NEW,
           **extra: Any) -> Ticket:
    return Ticket(number=number, kind="aduan", topic="aduan_sampah" if opd == "dlh" else "aduan_jalan_rusak",
                  opd_id=opd, status=status, text=f"keluhan warga nomor {number}", reporter=f"webchat:r-{number}",
                  created_at=created, updated_at=extra.get("closed_at") or created, due_at=due, **extra)


async def texts_to(svc: Any, key: str, needle: str) -> list[str]:
    return [i["text"] for i in await mailbox(svc.store, key) if needle in i["text"]]


async def test_a_complaint_filed_on_friday_before_a_holiday_gets_a_working_day_deadline(svc, http, clock):
    number = await file_complaint(http, svc, "warga1", "sampah numpuk di pinggir jalan dekat pasar sudah seminggu")
    filed = await svc.store.get_ticket(number)
    opd = svc.runtime.services.directory.opd(filed.opd_id)
    expected = {1: date(2026, 8, 18), 3: date(2026, 8, 20), 5: date(2026, 8, 24), 7: date(2026, 8, 27),
                10: date(2026, 9, 1)}[opd.sla_days]
    assert filed.created_at == clock.now and filed.due_at.astimezone(WIB).date() == expected


async def test_a_regency_day_off_moves_the_deadline(tmp_path, http, nlu_model_path):
    settings = make_settings(tmp_path, WARGA_CONTENT_DIR=str(content_with_day_off(tmp_path, "2026-08-18")))
    clock = Clock(wib(2026, 8, 14, 10, 0))
    async with running_service(settings, clock=clock) as svc:
        calendar = svc.runtime.services.calendar
        assert calendar.add_working_days(clock.now, 1).date() == date(2026, 8, 19)
        assert calendar.holiday_name(date(2026, 8, 18)) == "hari libur daerah"


async def test_reminder_before_the_deadline_once_then_escalation_once(svc, http, clock):
    await enrol(http, svc, "petugas-dlh", "officer", "dlh")
    await enrol(http, svc, "ajudan", "regent", None)
    due = svc.runtime.services.calendar.add_working_days(clock.now, 5)  # Monday 24 August
    await svc.store.commit(Changes(tickets=[ticket("WRG-2608-0001", "dlh", clock.now, due)]))
    worker = sla_worker(svc)

    clock.now = wib(2026, 8, 20, 9, 0)  # Thursday: two working days left
    assert await worker.run_once(clock.now) == {"reminders": 0, "escalations": 0, "digests": 1}
    clock.now = wib(2026, 8, 21, 9, 0)  # Friday: Monday is the last working day
    assert (await worker.run_once(clock.now))["reminders"] == 1
    clock.now = wib(2026, 8, 21, 15, 0)
    assert (await worker.run_once(clock.now))["reminders"] == 0
    reminders = await wait_for(lambda: texts_to(svc, "webchat:petugas-dlh", "Pengingat"))
    assert len(reminders) == 1 and "WRG-2608-0001" in reminders[0] and "24 Agustus 2026" in reminders[0]
    stored = await svc.store.get_ticket("WRG-2608-0001")
    assert stored.reminded_at == wib(2026, 8, 21, 9, 0)
    assert len(await svc.store.ticket_events("WRG-2608-0001", "reminder")) == 1

    clock.now = wib(2026, 8, 24, 23, 0)  # still in time
    assert (await worker.run_once(clock.now))["escalations"] == 0
    clock.now = wib(2026, 8, 26, 8, 0)  # Wednesday: overdue (Tuesday was a holiday)
    assert (await worker.run_once(clock.now))["escalations"] == 1
    clock.now = wib(2026, 8, 27, 8, 0)
    assert (await worker.run_once(clock.now))["escalations"] == 0
    escalations = await wait_for(lambda: texts_to(svc, "webchat:ajudan", "melewati batas waktu"))
    assert len(escalations) == 1 and "WRG-2608-0001" in escalations[0] and "DLH" in escalations[0]
    assert "/disposisi WRG-2608-0001" in escalations[0]
    [event] = await svc.store.ticket_events("WRG-2608-0001", "escalated")
    assert event.data["late_days"] == 1  # Wednesday 26 August, the one working day after Monday's deadline
    assert (await svc.store.get_ticket("WRG-2608-0001")).escalated_at == wib(2026, 8, 26, 8, 0)
    # The OPD hears the regent was told, and the resident that it is late and was passed up, each once.
    officer = await wait_for(lambda: texts_to(svc, "webchat:petugas-dlh", "sudah dilaporkan kepada"))
    resident = await wait_for(lambda: texts_to(svc, "webchat:r-WRG-2608-0001", "belum selesai sampai batas waktunya"))
    assert len(officer) == 1 and len(resident) == 1 and "WRG-2608-0001" in resident[0], (officer, resident)


async def test_done_tickets_are_neither_reminded_nor_escalated(svc, http, clock):
    await enrol(http, svc, "ajudan2", "regent", None)
    due = clock.now + timedelta(hours=5)
    await svc.store.commit(Changes(tickets=[
        ticket("WRG-2608-0002", "dlh", clock.now, due, status=STATUS_DONE, closed_at=clock.now)]))
    clock.now += timedelta(days=3)
    result = await sla_worker(svc).run_once(clock.now)
    assert result["reminders"] == 0 and result["escalations"] == 0


async def test_the_morning_digest_is_sent_once_a_day(svc, http, clock):
    await enrol(http, svc, "ajudan3", "regent", None)
    calendar = svc.runtime.services.calendar
    morning = wib(2026, 8, 26, 6, 59)
    day_before = morning - timedelta(hours=10)
    week_ago = wib(2026, 8, 10, 9, 0)
    await svc.store.commit(Changes(tickets=[
        ticket("WRG-2608-0101", "dlh", day_before, calendar.add_working_days(day_before, 5)),
        ticket("WRG-2608-0102", "dinas-pupr", day_before, calendar.add_working_days(day_before, 10)),
        ticket("WRG-2608-0103", "dinas-pupr", week_ago, calendar.add_working_days(week_ago, 1),
               status=STATUS_IN_PROGRESS),
        ticket("WRG-2608-0104", "dlh", week_ago, calendar.add_working_days(week_ago, 3)),
        ticket("WRG-2608-0105", "dlh", week_ago, calendar.add_working_days(week_ago, 5), status=STATUS_DONE,
               closed_at=day_before, rating=4),
        ticket("WRG-2608-0106", "dlh", week_ago, calendar.add_working_days(week_ago, 5), status=STATUS_CLOSED,
               closed_at=week_ago + timedelta(days=2), rating=5),
    ]))
    worker = sla_worker(svc)
    clock.now = morning
    assert (await worker.run_once(clock.now))["digests"] == 0  # not yet seven o'clock
    clock.now = wib(2026, 8, 26, 7, 0)
    assert (await worker.run_once(clock.now))["digests"] == 1
    clock.now = wib(2026, 8, 26, 9, 30)
    assert (await worker.run_once(clock.now))["digests"] == 0
    digests = await wait_for(lambda: texts_to(svc, "webchat:ajudan3", "Ringkasan aduan"))
    [digest] = digests
    assert "2 baru, 1 selesai" in digest and "lewat batas waktu: 2" in digest
    assert "• DLH: 1 / 1 / 1" in digest and "• Dinas PUPR: 1 / 0 / 1" in digest
    oldest = digest.split("Paling lama lewat batas waktu:")[1]
    assert oldest.index("WRG-2608-0103") < oldest.index("WRG-2608-0104")  # longest overdue first
    assert "4,5/5 dari 2 aduan" in digest
    assert await svc.store.get_value("sla:digest:last") == "2026-08-26"

    clock.now = wib(2026, 8, 27, 7, 5)
    assert (await worker.run_once(clock.now))["digests"] == 1
    await wait_for(lambda: len_at_least(texts_to(svc, "webchat:ajudan3", "Ringkasan aduan"), 2))

    # A service started in the evening sends no "morning" digest then; the next morning's goes as usual.
    clock.now = wib(2026, 8, 28, 22, 0)
    await svc.store.set_value("sla:digest:last", "2026-08-27")
    assert (await worker.run_once(clock.now))["digests"] == 0
    clock.now = wib(2026, 8, 29, 12, 59)  # late, still the morning's
    assert (await worker.run_once(clock.now))["digests"] == 1


async def test_a_digest_after_missed_mornings_counts_since_the_last_one(svc, http, clock):
    """Saturday's complaints are in Monday's digest when no digest went out on Sunday (the service was down)."""
    await enrol(http, svc, "ajudan4", "regent", None)
    calendar = svc.runtime.services.calendar
    saturday = wib(2026, 8, 29, 11, 0)
    await svc.store.commit(Changes(tickets=[
        ticket(f"WRG-2608-030{i}", "dlh", saturday, calendar.add_working_days(saturday, 5)) for i in range(1, 4)]))
    await svc.store.set_value("sla:digest:last", "2026-08-29")  # Saturday's went out at seven, before them
    worker = sla_worker(svc)
    clock.now = wib(2026, 8, 31, 7, 5)  # Monday; Sunday's digest was missed
    assert (await worker.run_once(clock.now))["digests"] == 1
    [digest] = await wait_for(lambda: texts_to(svc, "webchat:ajudan4", "Ringkasan aduan"))
    assert "Sejak ringkasan terakhir (Sabtu, 29 Agustus 2026" in digest and "3 baru" in digest, digest
    clock.now = wib(2026, 9, 1, 7, 5)  # the next day's is the usual 24 hours again
    assert (await worker.run_once(clock.now))["digests"] == 1
    digests = await wait_for(lambda: len_at_least(texts_to(svc, "webchat:ajudan4", "Ringkasan aduan"), 2))
    assert digests
    latest = (await texts_to(svc, "webchat:ajudan4", "Ringkasan aduan"))[-1]
    assert "24 jam terakhir: 0 baru" in latest, latest


async def len_at_least(awaitable: Any, n: int) -> bool:
    return len(await awaitable) >= n


async def test_two_sla_passes_at_once_send_one_reminder(svc, http, clock):
    """Two service instances (or an overlapping pass) must not remind twice: the jobs' keys are per deadline."""
    await enrol(http, svc, "petugas-pupr", "officer", "dinas-pupr")
    due = svc.runtime.services.calendar.add_working_days(clock.now, 1)  # Tuesday 18 August
    await svc.store.commit(Changes(tickets=[ticket("WRG-2608-0201", "dinas-pupr", clock.now, due)]))
    worker = sla_worker(svc)
    other = SlaWorker(svc.runtime.services, worker.config, "07:00")
    clock.now = wib(2026, 8, 14, 11, 0)
    await asyncio.gather(worker.remind(clock.now), other.remind(clock.now))
    reminders = await wait_for(lambda: texts_to(svc, "webchat:petugas-pupr", "Pengingat"))
    jobs = [j for j in await svc.store.list_jobs(limit=1000) if "sla_reminder:WRG-2608-0201" in j.key]
    assert len(jobs) == 1 and len(reminders) == 1
