"""A seeded store for the oversight and desk tests: tickets across OPDs, statuses and dates, overdue and reopened."""

from __future__ import annotations

import statistics
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from actions.oversight import Period, working_hours_between
from bot.store.base import (
    STATUS_DONE,
    STATUS_IN_PROGRESS,
    STATUS_NEW,
    STATUS_TRIAGE,
    Changes,
    Identity,
    Store,
    Ticket,
    TicketEvent,
    TicketQuery,
)
from bot.workdays import WorkCalendar

WIB = ZoneInfo("Asia/Jakarta")
#: Friday 27 November 2026, 10:00 in the regency.
NOW = datetime(2026, 11, 27, 10, 0, tzinfo=WIB)


def wib(day: int, hour: int = 9, month: int = 11) -> datetime:
    return datetime(2026, month, day, hour, 0, tzinfo=WIB)


@dataclass(frozen=True)
class Seed:
    """One seeded ticket: where it stands and what happened to it."""

    number: str
    opd: str | None
    topic: str | None
    status: str
    created: datetime
    due: datetime | None
    first_response: datetime | None = None
    closed: datetime | None = None
    rating: int | None = None
    reopened: int = 0
    channel: str = "telegram"
    kecamatan: str | None = None
    desa: str | None = None
    latlon: tuple[float, float] | None = None
    privacy: str = "publik"


SEEDS: list[Seed] = [
    # dinas-pupr: two closed on time, one closed late, one overdue, one open in time, one reopened
    Seed("ADU-2611-0001", "dinas-pupr", "aduan_jalan_rusak", STATUS_DONE, wib(2, 8), wib(16, 23),
         wib(2, 12), wib(5, 10), 5, kecamatan="Kota", desa="Sukamaju", latlon=(-7.4701, 112.4401)),
    Seed("ADU-2611-0002", "dinas-pupr", "aduan_jembatan", STATUS_DONE, wib(3, 9), wib(17, 23),
         wib(4, 9), wib(10, 15), 4, channel="whatsapp", kecamatan="Kota", desa="Sukamaju",
         latlon=(-7.4710, 112.4420)),
    Seed("ADU-2611-0003", "dinas-pupr", "aduan_drainase", STATUS_DONE, wib(4, 9), wib(6, 23),
         wib(6, 16), wib(12, 11), 2, kecamatan="Utara", desa="Mekar", latlon=(-7.4500, 112.4300)),
    Seed("ADU-2611-0004", "dinas-pupr", "aduan_jalan_rusak", STATUS_IN_PROGRESS, wib(9, 10), wib(20, 23),
         wib(10, 10), channel="webchat", kecamatan="Utara", desa="Mekar", latlon=(-7.4510, 112.4310)),
    Seed("ADU-2611-0005", "dinas-pupr", "aduan_jalan_rusak", STATUS_NEW, wib(26, 9), wib(12, 23, 12)),
    Seed("ADU-2611-0006", "dinas-pupr", "aduan_irigasi", STATUS_IN_PROGRESS, wib(5, 9), wib(30, 23),
         wib(5, 10), reopened=1, kecamatan="Kota", desa="Harapan", latlon=(-7.4800, 112.4500)),
    # dishub: one closed on time with a reply in 2 working hours, one overdue, one reopened then closed again
    Seed("ADU-2611-0007", "dishub", "aduan_lampu_jalan", STATUS_DONE, wib(6, 14), wib(9, 23),
         wib(6, 16), wib(9, 9), 3, kecamatan="Selatan", desa="Kidul", latlon=(-7.5000, 112.4200),
         privacy="anonim"),
    Seed("ADU-2611-0008", "dishub", "aduan_parkir_liar", STATUS_NEW, wib(11, 9), wib(12, 23), channel="whatsapp",
         kecamatan="Selatan", desa="Kidul"),
    Seed("ADU-2611-0009", "dishub", "aduan_lampu_jalan", STATUS_DONE, wib(13, 9), wib(18, 23),
         wib(16, 9), wib(24, 9), 1, reopened=2, channel="webchat", kecamatan="Kota", desa="Harapan"),
    # dlh: nothing answered yet, in time
    Seed("ADU-2611-0010", "dlh", "aduan_sampah", STATUS_NEW, wib(25, 9), wib(30, 23), kecamatan="Utara"),
    # triage and a message to the regent (no OPD)
    Seed("ADU-2611-0011", None, None, STATUS_TRIAGE, wib(20, 9), None, channel="webchat"),
    # before the period (October): not counted
    Seed("ADU-2610-0001", "dinas-pupr", "aduan_jalan_rusak", STATUS_DONE, wib(20, 9, 10), wib(30, 23, 10),
         wib(21, 9, 10), wib(22, 9, 10), 5),
]

#: The officers of the desk tests.
OFFICER_PUPR = Identity(key="telegram:700001", channel="telegram", sender_id="700001", role="officer",
                        opd_id="dinas-pupr", name="Petugas PUPR")
OFFICER_DISHUB = Identity(key="telegram:700002", channel="telegram", sender_id="700002", role="officer",
                          opd_id="dishub", name="Petugas Dishub")
REGENT = Identity(key="telegram:700009", channel="telegram", sender_id="700009", role="regent", name="Bupati")


def reporter_of(seed: Seed) -> str:
    return f"{seed.channel}:r{seed.number[-4:]}"


async def seed_store(store: Store, identities: bool = True) -> list[Ticket]:
    """Write SEEDS (tickets with their history) and, with `identities`, the reporters and staff."""
    tickets: list[Ticket] = []
    changes = Changes()
    for s in SEEDS:
        location: dict[str, object] = {}
        if s.latlon:
            location.update(latitude=s.latlon[0], longitude=s.latlon[1])
        if s.kecamatan:
            location["kecamatan"] = s.kecamatan
        if s.desa:
            location["desa"] = s.desa
        ticket = Ticket(number=s.number, kind="aduan", topic=s.topic, opd_id=s.opd, status=s.status,
                        text=f"Laporan uji {s.number}", reporter=reporter_of(s), created_at=s.created,
                        updated_at=s.closed or s.first_response or s.created, due_at=s.due, privacy=s.privacy,
                        location=location or None, rating=s.rating, closed_at=s.closed)
        tickets.append(ticket)
        changes.tickets.append(ticket)
        changes.events.append(TicketEvent(ticket=s.number, kind="created", at=s.created, actor=ticket.reporter,
                                          text=ticket.text))
        if s.first_response:
            changes.events.append(TicketEvent(ticket=s.number, kind="message_out", at=s.first_response,
                                              actor="telegram:700001", text="Sedang kami tangani."))
            changes.events.append(TicketEvent(ticket=s.number, kind="message_out",
                                              at=s.first_response + timedelta(hours=1), actor="telegram:700001",
                                              text="Tambahan."))
        for n in range(s.reopened):
            changes.events.append(TicketEvent(ticket=s.number, kind="reopened",
                                              at=(s.first_response or s.created) + timedelta(days=n + 1)))
        if s.closed:
            changes.events.append(TicketEvent(ticket=s.number, kind="status", at=s.closed, actor="telegram:700001",
                                              data={"status": STATUS_DONE}))
        if identities:
            changes.identities.append(Identity(key=ticket.reporter, channel=s.channel,
                                               sender_id=ticket.reporter.partition(":")[2]))
    if identities:
        changes.identities += [OFFICER_PUPR, OFFICER_DISHUB, REGENT]
    await store.commit(changes)
    return tickets


async def direct_figures(store: Store, opd: str, period: Period, calendar: WorkCalendar,
                         now: datetime) -> dict[str, Any]:
    """The figures computed the slow, obvious way: every ticket and every event read in Python."""
    since, until = period.bounds(calendar)
    tickets = [t for t in await store.list_tickets(TicketQuery(limit=10_000))
               if t.opd_id == opd and since <= t.created_at < until]
    hours, days, on_time, deadlines, ever, reopened = [], [], 0, 0, 0, 0
    for t in tickets:
        events = await store.ticket_events(t.number)
        answers = [e.at for e in events if e.kind in ("message_out", "status")]
        if answers:
            hours.append(working_hours_between(calendar, t.created_at, min(answers)))
        done = t.status in ("selesai", "ditutup") and t.closed_at is not None
        if done and t.closed_at is not None:
            days.append(calendar.working_days_between(t.created_at, t.closed_at))
            if t.due_at is not None:
                deadlines += 1
                on_time += t.closed_at <= t.due_at
        was_reopened = any(e.kind == "reopened" for e in events)
        if done or was_reopened:
            ever += 1
            reopened += was_reopened
    ratings = [t.rating for t in tickets if t.rating is not None]
    return {
        "received": len(tickets),
        "open": sum(t.status in ("baru", "triase", "diproses") for t in tickets),
        "overdue": sum(t.status in ("baru", "triase", "diproses") and t.due_at is not None and t.due_at < now
                       for t in tickets),
        "resolved": len(days),
        "median_first_response_hours": round(statistics.median(hours), 2) if hours else None,
        "median_resolution_days": float(statistics.median(days)) if days else None,
        "within_sla": round(on_time / deadlines, 4) if deadlines else None,
        "average_rating": round(sum(ratings) / len(ratings), 2) if ratings else None,
        "reopen_rate": round(reopened / ever, 4) if ever else None,
    }
