"""The oversight figures in one place: per OPD, for a period, from the store's ticket facts.

received, open, overdue, median time to first response (working hours) and to resolution (working days,
the SLA worker's calendar: bot/workdays.py), share resolved within the SLA, average rating, reopen rate;
complaints closed as withdrawn by their reporter are counted apart ("dicabut pelapor"), never as resolved, and
have no time to resolution;
a ranking of OPDs; weekly trends; counts by topic, by kecamatan/desa and by channel. The store answers
one narrow query (`Store.ticket_facts`); nothing here loads whole tickets.
"""

from __future__ import annotations

import asyncio
import statistics
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

from bot.store.base import (
    OPEN_STATUSES,
    STATUS_CLOSED,
    STATUS_DONE,
    FactsSummary,
    OpdCounts,
    OversightStore,
    Store,
    TicketFacts,
)
from bot.workdays import WorkCalendar

NO_OPD = "-"  # tickets not yet routed (triage, messages to the regent)
RESOLVED_STATUSES = (STATUS_DONE, STATUS_CLOSED)


@dataclass(frozen=True, slots=True)
class Period:
    """Local calendar days [start, end] (inclusive) in the regency's time zone."""

    start: date
    end: date

    @classmethod
    def last_days(cls, calendar: WorkCalendar, now: datetime, days: int = 30) -> Period:
        today = calendar.local_date(now)
        return cls(today - timedelta(days=days - 1), today)

    def bounds(self, calendar: WorkCalendar) -> tuple[datetime, datetime]:
        """The UTC-comparable instants [since, until) covering the period's local days."""
        return (datetime.combine(self.start, time.min, calendar.tz),
                datetime.combine(self.end + timedelta(days=1), time.min, calendar.tz))


def working_hours_between(calendar: WorkCalendar, start: datetime, end: datetime,
                          is_working: Callable[[date], bool] | None = None) -> float:
    """Hours from `start` to `end` that fall on working days (local time), weekends and holidays skipped."""
    if end <= start:
        return 0.0
    working = is_working or calendar.is_working_day
    start, end = start.astimezone(calendar.tz), end.astimezone(calendar.tz)
    total = 0.0
    day = start.date()
    while day <= end.date():
        if working(day):
            day_start = datetime.combine(day, time.min, calendar.tz)
            day_end = day_start + timedelta(days=1)
            lo, hi = max(start, day_start), min(end, day_end)
            if hi > lo:
                total += (hi - lo).total_seconds() / 3600
        day += timedelta(days=1)
    return total


def is_closed(fact: TicketFacts) -> bool:
    return fact.status in RESOLVED_STATUSES and fact.closed_at is not None


def is_resolved(fact: TicketFacts) -> bool:
    """Closed, and not because the reporter withdrew it."""
    return is_closed(fact) and not fact.withdrawn


def is_overdue(fact: TicketFacts, now: datetime) -> bool:
    return fact.status in OPEN_STATUSES and fact.due_at is not None and fact.due_at < now


def channel_of(fact: TicketFacts) -> str:
    return fact.reporter.partition(":")[0] or "-"


def area_of(fact: TicketFacts, level: str) -> str:
    """The ticket's kecamatan or desa as the location records it (`kecamatan` / `desa` keys), else '-'."""
    location = fact.location or {}
    value = location.get(level)
    return str(value) if value else "-"


@dataclass(slots=True)
class OpdFigures:
    """The figures of one OPD (or of all, `opd_id` None) for a period."""

    opd_id: str | None
    received: int = 0
    open: int = 0
    overdue: int = 0
    resolved: int = 0
    withdrawn: int = 0  # closed as withdrawn by the reporter: not resolved, not in the rates nor the times
    median_first_response_hours: float | None = None
    median_resolution_days: float | None = None
    within_sla: float | None = None  # share of resolved tickets closed by their deadline
    average_rating: float | None = None
    reopen_rate: float | None = None  # reopened tickets / tickets resolved at least once


@dataclass(slots=True)
class Oversight:
    """Everything the dashboard shows for one period."""

    period: Period
    total: OpdFigures
    opds: list[OpdFigures]  # ranked, best first
    weeks: list[tuple[str, int, int]]  # (ISO week "2026-W48", received, resolved)
    by_topic: list[tuple[str, int]]
    by_kecamatan: list[tuple[str, int]]
    by_desa: list[tuple[str, int]]
    by_channel: list[tuple[str, int]]
    facts: list[TicketFacts] = field(default_factory=list)


class Measures:
    """Each ticket's working hours to its first response and working days to resolution, computed once.

    Working time is read off a running count of working days per local day, so a ticket costs the same
    whether it waited an hour or a month (the same calendar and result as `working_hours_between`).
    """

    def __init__(self, calendar: WorkCalendar) -> None:
        self.calendar = calendar
        self._days: dict[date, bool] = {}
        self._before: dict[date, int] = {}  # working days from the first day seen up to (not incl.) a day
        self._hours: dict[str, float | None] = {}
        self._resolution: dict[str, int | None] = {}

    def is_working(self, day: date) -> bool:
        known = self._days.get(day)
        if known is None:
            known = self._days[day] = self.calendar.is_working_day(day)
        return known

    def working_days_before(self, day: date) -> int:
        """Working days in [first day asked, day): differences of two of these count working days between."""
        known = self._before.get(day)
        if known is not None:
            return known
        if not self._before:
            self._before[day] = 0
            return 0
        one = timedelta(days=1)
        if day > max(self._before):
            cursor = max(self._before)
            while cursor < day:
                self._before[cursor + one] = self._before[cursor] + self.is_working(cursor)
                cursor += one
        else:
            cursor = min(self._before)
            while cursor > day:
                self._before[cursor - one] = self._before[cursor] - self.is_working(cursor - one)
                cursor -= one
        return self._before[day]

    def _working_seconds(self, moment: datetime) -> float:
        local = moment.astimezone(self.calendar.tz)
        day = local.date()
        seconds = self.working_days_before(day) * 86400.0
        if self.is_working(day):
            seconds += (local - datetime.combine(day, time.min, self.calendar.tz)).total_seconds()
        return seconds

    def working_hours(self, start: datetime, end: datetime) -> float:
        if end <= start:
            return 0.0
        return (self._working_seconds(end) - self._working_seconds(start)) / 3600

    def first_response_hours(self, fact: TicketFacts) -> float | None:
        if fact.number not in self._hours:
            self._hours[fact.number] = None if fact.first_response_at is None else self.working_hours(
                fact.created_at, fact.first_response_at)
        return self._hours[fact.number]

    def resolution_days(self, fact: TicketFacts) -> int | None:
        if fact.number not in self._resolution:
            value = None
            if is_resolved(fact) and fact.closed_at is not None:
                one = timedelta(days=1)
                start, end = self.calendar.local_date(fact.created_at), self.calendar.local_date(fact.closed_at)
                value = max(0, self.working_days_before(end + one) - self.working_days_before(start + one))
            self._resolution[fact.number] = value
        return self._resolution[fact.number]


def figures(facts: Iterable[TicketFacts], calendar: WorkCalendar, now: datetime, opd_id: str | None,
            measures: Measures | None = None) -> OpdFigures:
    """The figures of these tickets (all of one OPD, or all)."""
    measures = measures or Measures(calendar)
    rows = list(facts)
    out = OpdFigures(opd_id=opd_id, received=len(rows))
    out.open = sum(1 for f in rows if f.status in OPEN_STATUSES)
    out.overdue = sum(1 for f in rows if is_overdue(f, now))
    resolved = [f for f in rows if is_resolved(f)]
    out.resolved = len(resolved)
    out.withdrawn = sum(1 for f in rows if f.withdrawn and is_closed(f))
    responses = [h for h in (measures.first_response_hours(f) for f in rows) if h is not None]
    if responses:
        out.median_first_response_hours = round(statistics.median(responses), 2)
    durations = [d for d in (measures.resolution_days(f) for f in resolved) if d is not None]
    if durations:
        out.median_resolution_days = float(statistics.median(durations))
    with_deadline = [f for f in resolved if f.due_at is not None and f.closed_at is not None]
    if with_deadline:
        on_time = sum(1 for f in with_deadline if f.closed_at is not None and f.due_at is not None
                      and f.closed_at <= f.due_at)
        out.within_sla = round(on_time / len(with_deadline), 4)
    ratings = [f.rating for f in rows if f.rating is not None]
    if ratings:
        out.average_rating = round(sum(ratings) / len(ratings), 2)
    ever_resolved = [f for f in rows if is_resolved(f) or f.reopened > 0]
    if ever_resolved:
        out.reopen_rate = round(sum(1 for f in ever_resolved if f.reopened > 0) / len(ever_resolved), 4)
    return out


def rank(opds: list[OpdFigures]) -> list[OpdFigures]:
    """Best first: higher share within the SLA, then faster median first response, then fewer overdue, then higher
    rating."""
    def key(f: OpdFigures) -> tuple[float, float, int, float, str]:
        return (-(f.within_sla if f.within_sla is not None else -1.0),
                f.median_first_response_hours if f.median_first_response_hours is not None else float("inf"),
                f.overdue, -(f.average_rating or 0.0), f.opd_id or "")
    return sorted(opds, key=key)


def _counted(values: Iterable[str]) -> list[tuple[str, int]]:
    return sorted(Counter(values).items(), key=lambda kv: (-kv[1], kv[0]))


def iso_week(calendar: WorkCalendar, moment: datetime) -> str:
    year, week, _ = calendar.local_date(moment).isocalendar()
    return f"{year}-W{week:02d}"


def summarise(facts: list[TicketFacts], calendar: WorkCalendar, now: datetime, period: Period,
              opd_ids: Iterable[str] = ()) -> Oversight:
    """The whole dashboard from the period's facts; `opd_ids` are listed even when they received nothing."""
    by_opd: dict[str, list[TicketFacts]] = defaultdict(list)
    for fact in facts:
        by_opd[fact.opd_id or NO_OPD].append(fact)
    names = list(dict.fromkeys([*opd_ids, *by_opd]))
    measures = Measures(calendar)
    opds = rank([figures(by_opd.get(name, []), calendar, now, name, measures) for name in names])
    weeks_in: Counter[str] = Counter(iso_week(calendar, f.created_at) for f in facts)
    weeks_done: Counter[str] = Counter(iso_week(calendar, f.closed_at) for f in facts
                                       if is_resolved(f) and f.closed_at is not None)
    weeks = [(w, weeks_in.get(w, 0), weeks_done.get(w, 0)) for w in sorted(set(weeks_in) | set(weeks_done))]
    return Oversight(
        period=period, total=figures(facts, calendar, now, None, measures), opds=opds, weeks=weeks,
        by_topic=_counted(f.topic or "-" for f in facts),
        by_kecamatan=_counted(area_of(f, "kecamatan") for f in facts),
        by_desa=_counted(area_of(f, "desa") for f in facts),
        by_channel=_counted(channel_of(f) for f in facts), facts=facts)


def _sorted_counts(counts: dict[str, int]) -> list[tuple[str, int]]:
    return sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))


def figures_from_counts(counts: OpdCounts, opd_id: str | None) -> OpdFigures:
    """An OPD's figures from what the store counted (the same rounding as `figures`)."""
    out = OpdFigures(opd_id=opd_id, received=counts.received, open=counts.open, overdue=counts.overdue,
                     resolved=counts.resolved, withdrawn=counts.withdrawn)
    if counts.median_first_response_hours is not None:
        out.median_first_response_hours = round(counts.median_first_response_hours, 2)
    if counts.median_resolution_days is not None:
        out.median_resolution_days = float(counts.median_resolution_days)
    if counts.with_deadline:
        out.within_sla = round(counts.on_time / counts.with_deadline, 4)
    if counts.rated:
        out.average_rating = round(counts.rating_sum / counts.rated, 2)
    if counts.ever_resolved:
        out.reopen_rate = round(counts.reopened / counts.ever_resolved, 4)
    return out


def from_summary(summary: FactsSummary, period: Period, opd_ids: Iterable[str]) -> Oversight:
    """The dashboard from the store's aggregates (see `summarise` for the same from single facts)."""
    counted = {c.opd_id or NO_OPD: c for c in summary.opds}
    names = list(dict.fromkeys([*opd_ids, *counted]))
    opds = rank([figures_from_counts(counted.get(name) or OpdCounts(name), name) for name in names])
    weeks_in: Counter[str] = Counter()
    weeks_done: Counter[str] = Counter()
    for days, weeks in ((summary.received_by_day, weeks_in), (summary.resolved_by_day, weeks_done)):
        for day, n in days.items():
            year, week, _ = date.fromisoformat(day).isocalendar()
            weeks[f"{year}-W{week:02d}"] += n
    return Oversight(
        period=period, total=figures_from_counts(summary.total, None), opds=opds,
        weeks=[(w, weeks_in.get(w, 0), weeks_done.get(w, 0)) for w in sorted(set(weeks_in) | set(weeks_done))],
        by_topic=_sorted_counts(summary.by_topic), by_kecamatan=_sorted_counts(summary.by_kecamatan),
        by_desa=_sorted_counts(summary.by_desa), by_channel=_sorted_counts(summary.by_channel))


CALENDAR_KEY = "oversight:calendar"
MEASURE_BATCH = 2000
#: What the stored measures mean; a new one measures every ticket again once (2: a withdrawn complaint has no
#: time to resolution, so tickets withdrawn before are measured again).
MEASURES_VERSION = "2"


def calendar_fingerprint(calendar: WorkCalendar) -> str:
    """What the stored working-time measures depend on: the time zone, the regency's own days off, and
    `MEASURES_VERSION`."""
    days_off = sorted(str(d) for d in getattr(calendar, "_days_off", ()))
    return f"{calendar.tz.key}|{','.join(days_off)}|v{MEASURES_VERSION}"


async def refresh_measures(store: Any, calendar: WorkCalendar) -> int:
    """Compute the working-time measures of every ticket whose facts changed since the last time (and of
    all, when the calendar changed); the store keeps them, so a dashboard reads them on its index."""
    fingerprint = calendar_fingerprint(calendar)
    if await store.get_value(CALENDAR_KEY) != fingerprint:
        await store.reset_fact_metrics()
        await store.set_value(CALENDAR_KEY, fingerprint)
    measures, done = Measures(calendar), 0
    for _ in range(10_000):  # bounded: facts written meanwhile wait for the next call
        stale = await store.stale_facts(MEASURE_BATCH)
        if not stale:
            break
        closed = [f.number for f, _ in stale if is_closed(f)]
        withdrawn = await store.withdrawn_among(closed) if closed else set()
        stored = await store.set_fact_metrics([(f.number, stamp, measures.first_response_hours(f),
                                                None if f.number in withdrawn else measures.resolution_days(f))
                                               for f, stamp in stale])
        done += stored
        if stored == 0:
            break
        await asyncio.sleep(0)
    return done


async def withdrawn_facts(store: Any, since: datetime, until: datetime, opd_id: str | None) -> list[TicketFacts]:
    """The period's complaints closed as withdrawn by their reporter: among its closed tickets without a
    resolution measure (`refresh_measures` gives them none), those the tickets say were withdrawn."""
    unmeasured = await store.resolved_unmeasured(since, until, opd_id)
    withdrawn = await store.withdrawn_among([f.number for f in unmeasured]) if unmeasured else set()
    return [f for f in unmeasured if f.number in withdrawn]


def set_apart_withdrawn(summary: FactsSummary, withdrawn: list[TicketFacts], calendar: WorkCalendar) -> None:
    """The store counts a withdrawn complaint as resolved (its status is done): count it as withdrawn instead,
    out of the resolved, the share within the SLA, the reopen rate's base and the resolved per day. (The
    medians leave it out already: it has no resolution measure.)"""
    by_opd = {counts.opd_id: counts for counts in summary.opds}
    for fact in withdrawn:
        for counts in (c for c in (by_opd.get(fact.opd_id), summary.total) if c is not None):
            counts.resolved -= 1
            counts.withdrawn += 1
            if fact.due_at is not None:
                counts.with_deadline -= 1
                counts.on_time -= int(fact.closed_at is not None and fact.closed_at <= fact.due_at)
            counts.ever_resolved -= int(not fact.reopened)
        day = calendar.local_date(fact.closed_at).isoformat() if fact.closed_at else ""
        if summary.resolved_by_day.get(day):
            summary.resolved_by_day[day] -= 1
            if not summary.resolved_by_day[day]:
                del summary.resolved_by_day[day]


async def oversight(store: Store, calendar: WorkCalendar, now: datetime, period: Period,
                    opd_id: str | None = None, opd_ids: Iterable[str] = ()) -> Oversight:
    """The dashboard of `period` (one OPD's when `opd_id` is given).

    A store that aggregates (SQLite and MongoDB: `facts_summary` over their facts) answers with counts and medians;
    otherwise the figures are computed here from the period's facts (`ticket_facts`, index-served).
    """
    since, until = period.bounds(calendar)
    names = [opd_id] if opd_id else list(opd_ids)
    if isinstance(store, OversightStore):
        await refresh_measures(store, calendar)
        # every local day a ticket of the period may have been created or resolved on: the period, up to today
        last = max(period.end, calendar.local_date(now))
        days = [(day.isoformat(), *Period(day, day).bounds(calendar))
                for day in (period.start + timedelta(days=n) for n in range((last - period.start).days + 1))]
        summary = await store.facts_summary(since, until, now, days, opd_id)
        set_apart_withdrawn(summary, await withdrawn_facts(store, since, until, opd_id), calendar)
        return from_summary(summary, period, names)
    facts = await store.ticket_facts(since, until, opd_id)
    return summarise(facts, calendar, now, period, names)
