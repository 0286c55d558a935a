"""Working-day arithmetic in the regency's time zone: weekends, Indonesian public holidays, days off.

SLA deadlines are counted in working days (hari kerja). A deadline of N working days falls at the
end of the Nth working day after the day the ticket was filed (filing on a holiday or weekend
starts the count on the next working day).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import holidays


class WorkCalendar:
    """Indonesian working days: Monday-Friday except national holidays and regency days off."""

    def __init__(self, timezone: str = "Asia/Jakarta", days_off: Iterable[date] = ()) -> None:
        self.tz = ZoneInfo(timezone)
        self._days_off = set(days_off)
        self._holidays = holidays.country_holidays("ID")

    def is_working_day(self, day: date) -> bool:
        return day.weekday() < 5 and day not in self._holidays and day not in self._days_off

    def holiday_name(self, day: date) -> str | None:
        if day in self._days_off:
            return "hari libur daerah"
        name = self._holidays.get(day)
        return str(name) if name else None

    def local_date(self, moment: datetime) -> date:
        return moment.astimezone(self.tz).date()

    def add_working_days(self, start: datetime, days: int) -> datetime:
        """The end (23:59:59 local) of the `days`-th working day after `start`'s local date."""
        day = self.local_date(start)
        counted = 0
        while counted < max(days, 0):
            day += timedelta(days=1)
            if self.is_working_day(day):
                counted += 1
        if days <= 0:
            while not self.is_working_day(day):
                day += timedelta(days=1)
        return datetime.combine(day, time(23, 59, 59), self.tz)

    def working_days_between(self, start: datetime, end: datetime) -> int:
        """Working days after `start`'s date up to and including `end`'s date (0 if end <= start)."""
        first, last = self.local_date(start), self.local_date(end)
        count = 0
        day = first
        while day < last:
            day += timedelta(days=1)
            if self.is_working_day(day):
                count += 1
        return count
