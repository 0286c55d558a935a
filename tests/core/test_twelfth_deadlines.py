"""Deadlines from the twelfth trial, over real HTTP on a settable clock: a disposition of an overdue complaint gets a
new deadline counted from that day, never the past one; the regent's report-back time ("lapor ke saya 2 hari") is
watched for the staff and never becomes the reporter's deadline; a complaint nobody routes out of triage has its own
short deadline, past which the operators, the regent (escalation, /ringkasan) and, once, the reporter are told."""

from __future__ import annotations

from datetime import timedelta

from actions.common import format_date
from actions.sla import REPORT_BACK_KEY, system_turn
from tests.core.test_eighth_look import clock, svc  # noqa: F401 - the service on a settable clock (Mon 7 Dec 2026)
from tests.core.test_flows import TICKET, enrol, file_complaint
from tests.core.test_tenth_staff import said_to
from tests.harness import say, texts, wait_for
from tests.integrations.test_sla import sla_worker


def services_of(svc):  # noqa: F811 - the running service's calendar, directory and store
    return sla_worker(svc).services


def date_of(svc, moment) -> str:  # noqa: F811 - as the bot writes it: "Senin, 21 Desember 2026"
    return format_date(system_turn(services_of(svc), moment, "system:test"), moment, "id")


async def queued_for(svc, who: str, key_part: str) -> list[str]:  # noqa: F811
    """The texts the outbox holds for `who` under keys containing `key_part` (queued by a pass's commit, whether or
    not delivered yet)."""
    jobs = await svc.store.list_jobs(limit=1000)
    return [r["text"] for j in jobs if j.kind == "deliver" and j.payload["to"] == who and key_part in j.key
            for r in j.payload["replies"]]


async def run_days(svc, clock, days: int) -> None:  # noqa: F811
    """The deadline pass once a day at this hour, as the worker would run it."""
    for _ in range(days):
        clock.now += timedelta(days=1)
        await sla_worker(svc).run_once(clock.now)


# --- 1. a disposition of an overdue complaint -----------------------------------------------------------------
async def test_a_disposition_of_an_overdue_complaint_gets_a_deadline_from_that_day(svc, http, clock):  # noqa: F811
    await enrol(http, svc, "bupati-d", role="regent", opd=None)
    await enrol(http, svc, "pupr-d")
    number = await file_complaint(http, svc.url, "warga-d")
    old_due = (await svc.store.get_ticket(number)).due_at
    clock.now = old_due + timedelta(days=1)
    await sla_worker(svc).run_once(clock.now)  # escalated: overdue
    assert old_due < clock.now

    said = texts(await say(http, svc.url, "bupati-d", f"/disposisi {number} dinas-pupr Tolong segera ditangani"))
    ticket = await svc.store.get_ticket(number)
    services = services_of(svc)
    new_due = services.calendar.add_working_days(clock.now, services.directory.opd("dinas-pupr").sla_days)
    assert ticket.due_at == new_due and new_due > clock.now, (ticket.due_at, new_due)
    assert ticket.escalated_at is None and ticket.reminded_at is None  # watched again against the new deadline
    assert f"Batas waktu: {date_of(svc, new_due)}" in said and date_of(svc, old_due) not in said, said
    [told] = await wait_for(lambda: said_to(svc, "webchat:warga-d", "Bupati meneruskan"))
    assert date_of(svc, new_due) in told and date_of(svc, old_due) not in told, told
    [card] = await wait_for(lambda: said_to(svc, "webchat:pupr-d", "📌 Disposisi"))
    assert date_of(svc, new_due) in card, card


# --- 2. the regent's report-back time -------------------------------------------------------------------------
async def test_a_report_back_time_is_for_the_staff_and_the_reporters_deadline_stays(svc, http, clock):  # noqa: F811
    await enrol(http, svc, "bupati-r", role="regent", opd=None)
    await enrol(http, svc, "pupr-r")
    number = await file_complaint(http, svc.url, "warga-r")
    due = (await svc.store.get_ticket(number)).due_at
    clock.now += timedelta(hours=2)
    instruction = "Segera tambal, lapor ke saya 2 hari"
    said = texts(await say(http, svc.url, "bupati-r", f"/disposisi {number} dinas-pupr {instruction}"))
    ticket = await svc.store.get_ticket(number)
    report_by = ticket.extra["disposition"]["report_by"]
    assert ticket.due_at == due, ticket.due_at  # the reporter's deadline is not brought forward
    assert "Laporan ke Anda paling lambat Rabu, 9 Desember 2026" in said and date_of(svc, due) in said, said
    [told] = await wait_for(lambda: said_to(svc, "webchat:warga-r", "Bupati meneruskan"))
    assert date_of(svc, due) in told and "9 Desember" not in told, told
    [card] = await wait_for(lambda: said_to(svc, "webchat:pupr-r", "📌 Disposisi"))
    assert "Lapor ke Bupati paling lambat: Rabu, 9 Desember 2026" in card and date_of(svc, due) in card, card

    # The OPD does nothing: reminded the day before, then the regent and the OPD hear the time passed.
    await run_days(svc, clock, 1)
    [reminder] = await wait_for(lambda: said_to(svc, "webchat:pupr-r", "Pengingat disposisi"))
    assert "Rabu, 9 Desember 2026" in reminder, reminder
    await run_days(svc, clock, 2)
    [to_regent] = await wait_for(lambda: said_to(svc, "webchat:bupati-r", "belum ada tindak lanjut"))
    assert number in to_regent and "Rabu, 9 Desember 2026" in to_regent and date_of(svc, due) in to_regent
    await wait_for(lambda: said_to(svc, "webchat:pupr-r", "Batas lapor disposisi"))
    # ... and the reporter hears nothing: their deadline has not passed.
    assert await queued_for(svc, "webchat:warga-r", "sla_overdue") == []
    assert (await svc.store.get_ticket(number)).escalated_at is None
    kinds = [e.kind for e in await svc.store.ticket_events(number)]
    assert kinds.count("report_back_reminder") == 1 and kinds.count("report_back_overdue") == 1, kinds
    assert number not in (await svc.store.get_value(REPORT_BACK_KEY) or {})  # settled: watched no more
    await run_days(svc, clock, 2)
    assert len(await queued_for(svc, "webchat:bupati-r", "report_back_regent")) == 1, report_by

    # Past the service deadline the reporter's apology names that deadline, as for any complaint.
    clock.now = due + timedelta(hours=1)
    await sla_worker(svc).run_once(clock.now)
    [apology] = await queued_for(svc, "webchat:warga-r", "sla_overdue_resident")
    assert date_of(svc, due) in apology and "9 Desember" not in apology, apology


async def test_an_offices_follow_up_meets_the_report_back_time_and_a_later_time_moves_the_deadline(
        svc, http, clock):  # noqa: F811
    await enrol(http, svc, "bupati-f", role="regent", opd=None)
    await enrol(http, svc, "pupr-f")
    answered = await file_complaint(http, svc.url, "warga-f1")
    await say(http, svc.url, "bupati-f", f"/disposisi {answered} dinas-pupr Segera tambal, lapor ke saya 2 hari")
    clock.now += timedelta(hours=3)
    await say(http, svc.url, "pupr-f", f"/balas {answered} Tim kami ke lokasi besok pagi")
    await run_days(svc, clock, 4)
    assert await queued_for(svc, "webchat:bupati-f", "report_back") == []
    assert await queued_for(svc, "webchat:pupr-f", "report_back_officer") == []

    # "selesaikan dalam 30 hari" gives more time than the office's standard: the reporter's deadline moves later.
    later = await file_complaint(http, svc.url, "warga-f2", "jalan di desa Puri rusak berlubang besar")
    due = (await svc.store.get_ticket(later)).due_at
    await say(http, svc.url, "bupati-f", f"/disposisi {later} dinas-pupr Perbaiki total, selesaikan dalam 30 hari")
    ticket = await svc.store.get_ticket(later)
    assert ticket.due_at > due and "report_by" not in ticket.extra["disposition"], ticket.due_at


# --- 3. a complaint left in triage ----------------------------------------------------------------------------
TRIAGE_FILING = ("ada masalah di kampung saya mohon dibantu pak", "topic:lainnya", "desa sooko", "lewati", "publik",
                 "kirim")


async def test_a_complaint_left_in_triage_is_overdue_and_escalates(svc, http, clock):  # noqa: F811
    await enrol(http, svc, "bupati-t", role="regent", opd=None)
    await enrol(http, svc, "op-t", role="operator", opd=None)
    await enrol(http, svc, "dishub-t", opd="dishub")
    for typed in TRIAGE_FILING:
        replies = await say(http, svc.url, "warga-t", typed)
    number = TICKET.search(texts(replies)).group(0)
    ticket = await svc.store.get_ticket(number)
    assert ticket.status == "triase" and ticket.due_at == services_of(svc).calendar.add_working_days(
        clock.now, services_of(svc).directory.triage_days)

    # The same day's pass sends no reminder: the operators' triage card is hours old.
    clock.now += timedelta(hours=3)
    assert (await sla_worker(svc).run_once(clock.now))["reminders"] == 0
    await run_days(svc, clock, 2)
    [to_operator] = await wait_for(lambda: said_to(svc, "webchat:op-t", "belum dipilihkan OPD"))
    assert number in to_operator and f"/rute {number}" in to_operator, to_operator
    [escalation] = await wait_for(lambda: said_to(svc, "webchat:bupati-t", "melewati batas waktu"))
    assert number in escalation and "Triase" in escalation, escalation
    [apology] = await wait_for(lambda: said_to(svc, "webchat:warga-t", "belum kami teruskan"))
    assert number in apology, apology
    summary = texts(await say(http, svc.url, "bupati-t", "/ringkasan"))
    assert "• Triase: 0 / 0 / 1" in summary and number in summary, summary

    # Once each: later passes repeat nothing.
    await run_days(svc, clock, 3)
    assert len(await queued_for(svc, "webchat:warga-t", "sla_triage_overdue")) == 1
    assert len(await svc.store.ticket_events(number, "escalated")) == 1

    # Routed at last: the office's own deadline, watched afresh.
    await say(http, svc.url, "op-t", f"/rute {number} dishub")
    ticket = await svc.store.get_ticket(number)
    assert ticket.status == "baru" and ticket.due_at > clock.now and ticket.escalated_at is None, ticket
