"""The regent's commands: `/disposisi TICKET OPD instruction` sends a ticket to an OPD with an instruction;
`/ringkasan` gives today's figures (the morning digest's, on demand) and where the dashboard is.

The regent answers residents with the officers' `/balas TICKET text` or by replying to a ticket's card
(actions/officer.py, bot/dialogue.py); identities listed under `regent.identities` in the directory
act as the regent even before they enrol.
"""

from __future__ import annotations

import asyncio
import re
from datetime import datetime, time, timedelta

from actions import oversight
from actions import understand as u
from actions.base import Turn, command, find_ticket_number
from actions.common import (
    format_date,
    opd_name,
    opd_recipients,
    operator_recipients,
    regent_recipients,
    staff_label,
    staff_lang,
    subject_name,
    ticket_card,
    worded,
)
from actions.letters import public_base
from actions.officer import ask_instruction, load_actionable, read_number, say_unknown_opd, tell_opd_of_change
from actions.oversight import Period
from actions.resident import example_number
from actions.sla import group_label, watch_report_back
from bot.directory import Opd
from bot.message import Button, Reply
from bot.store.base import (
    OPEN_STATUSES,
    ROLE_OFFICER,
    ROLE_OPERATOR,
    ROLE_REGENT,
    STATUS_ARCHIVED,
    STATUS_TRIAGE,
    Ticket,
    TicketEvent,
    TicketQuery,
)

PRIORITY_HIGH = "tinggi"
PRIORITY_EMERGENCY = "darurat"
NO_INSTRUCTION = "-"  # "/disposisi WRG-… dinas-pupr -": sent without an instruction (the button for it)


@command("lapor_bupati", roles=(ROLE_OFFICER,), usage="/lapor_bupati TIKET laporan")
async def cmd_report_to_regent(turn: Turn, args: str) -> None:
    """An OPD officer's report to the regent on a ticket the regent disposed of to their office ("siap pak bupati,
    hari ini kami angkut"): kept in the ticket's history (it answers a report-back time, as a reply to the reporter
    does) and delivered to the regent, never to the reporter."""
    if (found := await read_number(turn, args, "/lapor_bupati")) is None:
        return
    number, text = found
    ticket = await load_actionable(turn, number, "/lapor_bupati TIKET laporan", open_only=True)
    if ticket is None:
        return
    disposition = ticket.extra.get("disposition")
    if not isinstance(disposition, dict) or disposition.get("opd") != ticket.opd_id:
        turn.say("regent_report_no_disposition", number=ticket.number)
        return
    text = text.strip()
    if not text:
        turn.say("usage", usage=f"/lapor_bupati {ticket.number} laporan")
        return
    turn.event(ticket, "regent_report", text[:2000])
    turn.save_ticket(ticket)
    regents = await regent_recipients(turn)
    for key in regents:
        lang = await staff_lang(turn, key)
        card = turn.t("regent_report_card", lang, number=ticket.number, opd=opd_name(turn, ticket.opd_id),
                      by=staff_label(turn, turn.identity, lang), text=text[:2000])
        turn.deliver(key, [Reply(card, (Button(ticket.number, f"/info {ticket.number}"),), ticket=ticket.number)],
                     f"regent_report:{ticket.number}:{turn.message.message_id or turn.now.isoformat()}")
    turn.say("regent_report_sent" if regents else "regent_report_recorded", number=ticket.number)


@command("disposisi", roles=(ROLE_REGENT,), usage="/disposisi TIKET ID-OPD instruksi")
async def cmd_dispose(turn: Turn, args: str) -> None:
    """Hand a ticket to an OPD with the regent's instruction and high priority."""
    if (found := await read_number(turn, args, "/disposisi")) is None:
        return
    number, rest = found
    if number and await _says_archived(turn, number):
        return
    target, instruction = turn.directory.split_target(rest)
    if not number or not target:
        turn.say("disposition_usage", example=example_number(turn))
        return
    ticket = await load_actionable(turn, number, "/disposisi TIKET ID-OPD instruksi", open_only=True)
    if ticket is None:
        return
    opd = turn.directory.find_opd(target) or turn.directory.opd_for(target.strip())
    if opd is None:
        say_unknown_opd(turn, target, f"/disposisi {ticket.number}", instruction.strip())  # "dishup": Dishub?
        return
    instruction = instruction.strip()
    if not instruction:  # asked for first: it is what the OPD needs most (and "lapor ke saya besok" sets a time)
        ask_instruction(turn, ticket.number, opd)
        return
    instruction = "" if instruction == NO_INSTRUCTION else instruction
    from_opd = ticket.opd_id
    due, report_by = disposition_deadlines(turn, ticket, opd.id, opd.sla_days, asked_deadline(turn, instruction))
    if due != ticket.due_at:
        ticket.due_at = due
        ticket.reminded_at = ticket.escalated_at = None
    ticket.opd_id = opd.id
    if ticket.priority != PRIORITY_EMERGENCY:
        ticket.priority = PRIORITY_HIGH
    if ticket.status == STATUS_TRIAGE:
        ticket.status = "baru"
    ticket.extra["disposition"] = {"by": turn.identity.key, "opd": opd.id, "instruction": instruction,
                                   "at": turn.now.isoformat(),
                                   **({"report_by": report_by.isoformat()} if report_by else {})}
    turn.save_ticket(ticket)
    turn.event(ticket, "disposition", instruction or None, opd=opd.id, from_opd=from_opd, priority=ticket.priority)
    if from_opd != opd.id:  # the OPD it leaves hears where it went, as after any transfer by someone else
        await tell_opd_of_change(turn, from_opd, ticket.number, "outside_transfer_to_officer", "disposition-from",
                                 instruction, opd=opd.short)

    recipients = await opd_recipients(turn, opd.id)
    for key in recipients:
        lang = await staff_lang(turn, key)
        note = turn.t("disposition_report_card" if report_by else "disposition_card", lang, number=ticket.number,
                      due=format_date(turn, ticket.due_at, lang), report_by=format_date(turn, report_by, lang),
                      instruction=instruction or turn.t("disposition_no_instruction", lang))
        card = await ticket_card(turn, ticket, lang, known=from_opd == opd.id)  # not "new" to the OPD that has it
        turn.deliver(key, [Reply(note, ticket=ticket.number), *card],
                     f"disposition:{ticket.number}:{opd.id}")
    if not recipients:
        for key in await operator_recipients(turn):
            lang = await staff_lang(turn, key)
            text = turn.t("card_no_officer", lang, opd=opd.short, number=ticket.number, opd_id=opd.id)
            turn.deliver(key, [Reply(text, ticket=ticket.number)], f"disposition:{ticket.number}:{opd.id}")

    reporter = await turn.store.get_identity(ticket.reporter)
    lang = reporter.lang if reporter else ticket.lang
    turn.deliver(ticket.reporter, [Reply(turn.t("disposition_to_resident", lang, number=ticket.number, opd=opd.name,
                                                due=format_date(turn, ticket.due_at, lang)), ticket=ticket.number)],
                 f"disposition:{ticket.number}")
    turn.reset_flow()
    turn.say("disposition_report_sent" if report_by else "disposition_sent", number=ticket.number,
             opd=opd_name(turn, opd.id), due=format_date(turn, ticket.due_at), report_by=format_date(turn, report_by))
    if report_by:
        await watch_report_back(turn.store, ticket.number, report_by)
    if not recipients:  # the regent hears it too, not only the operators: nobody there can act on it yet
        turn.say("disposition_no_officer", opd=opd_name(turn, opd.id))


async def _says_archived(turn: Turn, number: str) -> bool:
    """A disposition of an archived ticket: by whom, when and why it was archived, and what the regent can do if he
    disagrees (no command brings an archived ticket back: the operators can take it up; he can still write to the
    reporter). False, saying nothing, for any other ticket."""
    from actions.archive import archive_reason, archived_by  # (archive.py imports officer.py, as this does)

    ticket = await turn.store.get_ticket(number)
    if ticket is None or ticket.status != STATUS_ARCHIVED:
        return False
    turn.say(worded(turn, ticket, "disposition_archived"), [Button(turn.t("button_reply"), f"/balas {ticket.number}"),
                                      Button(ticket.number, f"/info {ticket.number}")],
             number=ticket.number, by=await archived_by(turn, ticket, turn.lang),
             date=format_date(turn, ticket.closed_at, with_time=True), reason=archive_reason(ticket) or "-")
    return True


def disposition_deadlines(turn: Turn, ticket: Ticket, opd_id: str, sla_days: int,
                          asked: datetime | None) -> tuple[datetime, datetime | None]:
    """The reporter's service deadline after a disposition, and the regent's report-back time (None: none asked).

    A new OPD gets its own service deadline, and so does a ticket already past its deadline ("/disposisi … dlh
    Tolong sampahnya segera diangkut" on 22 December of a ticket due 14 December: due in the OPD's working days from
    now, never the 14th again); the same OPD otherwise keeps the one it has. A time the regent names ("lapor ke saya
    2 hari") is his report-back time, watched for the staff (actions/sla.py): it never brings the reporter's
    deadline earlier, and a later one ("selesaikan dalam 30 hari") moves it later."""
    due = ticket.due_at
    if ticket.opd_id != opd_id or due is None or due <= turn.now:
        due = turn.services.calendar.add_working_days(turn.now, sla_days)
    if asked is None:
        return due, None
    if asked >= due:
        return asked, None
    return due, asked


# "lapor ke saya 3 hari", "paling lambat 2 hari kerja", "dalam seminggu", "within 5 days", "besok sudah beres".
# Only after a word that asks for it ("sudah 3 hari warga menunggu" names no deadline).
_DEADLINE = re.compile(r"\b(?:(?:dalam|paling lambat|maksimal|maks|max|batas|lapor|laporkan|selesai|selesaikan|"
                       r"tuntaskan|tangani|within|in)\b(?:\s+\w+){0,3}?\s+(?P<n>\d{1,2}|satu|dua|tiga|empat|lima|enam|"
                       r"tujuh|se)\s*(?P<unit>hari kerja|hari|minggu|pekan|working days?|days?|weeks?)|"
                       r"(?P<tomorrow>besok|tomorrow)|"
                       r"(?:lapor|laporkan|selesai|selesaikan|tuntaskan|paling lambat|batas|by)\b(?:\s+\w+){0,3}?\s+"
                       r"(?:hari\s+)?(?P<day>senin|selasa|rabu|kamis|jumat|jum'at|sabtu|monday|tuesday|wednesday|"
                       r"thursday|friday|saturday))\b")
_WEEKDAYS = {"senin": 0, "selasa": 1, "rabu": 2, "kamis": 3, "jumat": 4, "jum'at": 4, "sabtu": 5, "monday": 0,
             "tuesday": 1, "wednesday": 2, "thursday": 3, "friday": 4, "saturday": 5}
_COUNT_WORDS = {"satu": 1, "se": 1, "dua": 2, "tiga": 3, "empat": 4, "lima": 5, "enam": 6, "tujuh": 7}
MAX_ASKED_DAYS = 60


def asked_deadline(turn: Turn, instruction: str) -> datetime | None:
    """The time a disposition's instruction names ("lapor ke saya 3 hari": three days from now; "2 hari kerja":
    two working days; "seminggu": seven days; "besok": tomorrow; "lapor ke saya Senin": next Monday), else None
    (the OPD's service standard). `disposition_deadlines` makes it the report-back time or a later deadline."""
    found = _DEADLINE.search(instruction.lower())
    if found is None:
        return None
    calendar = turn.services.calendar
    today = calendar.local_date(turn.now)
    if found.group("tomorrow"):
        days = 1
    elif found.group("day"):  # "lapor ke saya Senin": the next Monday, a week on when said on a Monday
        days = (_WEEKDAYS[found.group("day")] - today.weekday() - 1) % 7 + 1
    else:
        count = found.group("n")
        n = int(count) if count.isdigit() else _COUNT_WORDS[count]
        unit = found.group("unit")
        if not 0 < n <= MAX_ASKED_DAYS:
            return None
        if unit in ("hari kerja", "working day", "working days"):
            return calendar.add_working_days(turn.now, n)
        days = min(n * 7 if unit in ("minggu", "pekan", "week", "weeks") else n, MAX_ASKED_DAYS)
    end = datetime.combine(today + timedelta(days=days), time(23, 59, 59), calendar.tz)  # the end of that day
    if found.group("day"):
        return end  # a day named is that day
    return calendar.add_working_days(end, 0)  # "3 hari" from a Thursday is a Sunday: the next working day


@command("ringkasan", roles=(ROLE_REGENT, ROLE_OPERATOR), usage="/ringkasan")
async def cmd_summary(turn: Turn, args: str) -> None:
    """Today's figures as the morning digest gives them (new and finished in 24 hours, open, overdue per OPD,
    the oldest overdue, the rating), and where the dashboard shows the rest."""
    from actions.sla import DeadlineRules
    from integrations.lapor import lapor_config  # the digest's settings (content/lapor.yml `sla:`)

    if (recap := recap_asked(turn, args)) is not None:  # "rekap PUPR minggu ini": that OPD over that period
        await send_recap(turn, *recap)
        return
    config = await asyncio.to_thread(lapor_config, turn.services)
    rules = DeadlineRules(turn.services, config.sla)
    text = rules.digest_text(turn, await rules.digest_stats(turn.now), turn.lang)
    desk = f"{public_base(turn.services)}/desk"  # WARGA_PUBLIC_URL, else where the service listens
    turn.replies.append(Reply(text + turn.t("summary_dashboard", desk=desk)))


# A recap's period in words, Indonesian and Javanese: "hari ini"/"dino iki", "kemarin"/"wingi", "minggu ini"/"minggu
# iki"/"pekan ini" (since Monday), "bulan ini"/"sasi iki"/"wulan iki", "7 hari terakhir"/"seminggu terakhir".
_PERIODS = (
    # "laporan bulan lalu", "rekap bulan kemarin", "last month's report" (thirty-fifth trial: the day's summary, or
    # yesterday's: "kemarin" was read alone); before "kemarin" and "bulan"
    ("last_month", re.compile(r"\b(?:bulan|sasi|wulan)\s+(?:lalu|kemarin|kemaren|kmrn|kepungkur|wingi|sebelumnya)\b"
                              r"|\b(?:last|previous)\s+month\b")),
    ("last_week", re.compile(r"\b(?:minggu|pekan|minggon)\s+(?:lalu|kemarin|kemaren|kmrn|kepungkur|wingi|sebelumnya)\b"
                             r"|\b(?:last|previous)\s+week\b")),
    ("today", re.compile(r"\b(?:hari ini|dino iki|dina iki|today)\b")),
    ("yesterday", re.compile(r"\b(?:kemarin|kemaren|kmrn|wingi|yesterday)\b")),
    ("week", re.compile(r"\b(?:minggu|pekan|minggon)\s+(?:ini|iki|niki)\b|\bthis week\b")),
    ("month", re.compile(r"\b(?:bulan|sasi|wulan)\s+(?:ini|iki|niki)\b|\bthis month\b")),
    ("last_days", re.compile(r"\b(?P<n>\d{1,2}|tujuh|pitung)\s+(?:hari|dino|dina|days)\s+(?:terakhir|kepungkur|"
                             r"pungkasan|last)\b|\b(?:seminggu|sepekan)\s+(?:terakhir|kepungkur)\b|\blast\s+"
                             r"(?P<m>\d{1,2})\s+days\b"
                             # "laporan mingguan", "weekly report": the last 7 days; "laporan bulanan": the last 30
                             r"|\b(?:mingguan|pekanan|weekly)\b|\b(?P<month>bulanan|monthly)\b")),
)
RECAP_DEFAULT_DAYS = 7  # "rekap PUPR" with no period named: the last seven days
RECAP_MAX_DAYS = 92


def recap_period(turn: Turn, text: str) -> tuple[str, Period] | None:
    """The period a recap asks for, as (kind, local days), or None when it names none."""
    low = text.lower()
    today = turn.services.calendar.local_date(turn.now)
    for kind, pattern in _PERIODS:
        if (found := pattern.search(low)) is None:
            continue
        if kind == "today":
            return kind, Period(today, today)
        if kind == "yesterday":
            return kind, Period(today - timedelta(days=1), today - timedelta(days=1))
        if kind == "week":
            return kind, Period(today - timedelta(days=today.weekday()), today)
        if kind == "month":
            return kind, Period(today.replace(day=1), today)
        if kind == "last_month":
            end = today.replace(day=1) - timedelta(days=1)
            return kind, Period(end.replace(day=1), end)
        if kind == "last_week":
            monday = today - timedelta(days=today.weekday())
            return kind, Period(monday - timedelta(days=7), monday - timedelta(days=1))
        count = found.group("n") or found.group("m") or ("30" if found.group("month") else "7")
        days = 7 if not count.isdigit() else min(max(int(count), 1), RECAP_MAX_DAYS)
        return "last_days", Period(today - timedelta(days=days - 1), today)
    return None


def period_or_last_days(turn: Turn, text: str, days: int = RECAP_DEFAULT_DAYS) -> tuple[str, Period]:
    """The period the words name, else the last `days` days up to today ("rekap PUPR", "berapa pengguna aktif?")."""
    if (found := recap_period(turn, text)) is not None:
        return found
    today = turn.services.calendar.local_date(turn.now)
    return "last_days", Period(today - timedelta(days=days - 1), today)


def recap_opd(turn: Turn, text: str) -> Opd | None:
    """The OPD a recap names by id, short name or name ("rekap PUPR", "rekap dinas pupr", "rekap dlh"), if one."""
    words = re.findall(r"[\w-]+", text.lower())
    for size in (3, 2, 1):  # the longest name first: "satpol pp" before "pp"
        for start in range(len(words) - size + 1):
            if (opd := turn.directory.find_opd(" ".join(words[start:start + size]))) is not None:
                return opd
    return None


def recap_asked(turn: Turn, args: str) -> tuple[Period, str, Opd | None] | None:
    """What "/ringkasan PUPR minggu ini" or "rekap dlh kemarin" asks: (period, its kind, OPD or None); None for the
    day's digest as before ("/ringkasan", "rekap hari ini": the last 24 hours of the whole regency)."""
    if not args.strip():
        return None
    found = recap_period(turn, args)
    opd = recap_opd(turn, args)
    if opd is None and (found is None or found[0] == "today"):
        return None
    kind, period = found or period_or_last_days(turn, args)
    return period, kind, opd


async def officer_recap(turn: Turn, text: str) -> bool:
    """"tolong kasih saya ringkasan minggu ini" from an officer: their own office's recap over the period asked (the
    last seven days when none is named); thirty-second trial: the officers' help was shown."""
    opd = turn.directory.opd(turn.identity.opd_id) if turn.identity.opd_id else None
    if opd is None:
        return False
    kind, period = period_or_last_days(turn, text)
    await send_recap(turn, period, kind, opd)
    return True


async def recap_in_words(turn: Turn, text: str) -> None:
    """"tolong kirim laporan ke email saya": the recap the words ask for (the office named, or the whole regency; the
    period named, else the last seven days), with the note that recaps are not e-mailed; an officer's, of their
    office (thirty-fourth trial: "not sent to anyone" and the help)."""
    if turn.identity.role == ROLE_OFFICER and await officer_recap(turn, text):
        return
    kind, period = period_or_last_days(turn, text)
    await send_recap(turn, period, kind, recap_opd(turn, text))


# "berapa jumlah aduan tahun ini?", "rekap tahun ini", "how many complaints this year?" (thirty-fourth trial: the day's
# summary): the year so far in counts the index gives (a recap's period stops at RECAP_MAX_DAYS), the rest on the desk
_THIS_YEAR = re.compile(r"\b(?:tahun\s+ini|taun\s+iki|this\s+year|sepanjang\s+tahun|year\s+to\s+date)\b")


def asks_this_year(text: str) -> bool:
    return bool(_THIS_YEAR.search(u.plain(text)))


async def this_year(turn: Turn, text: str) -> None:
    local = turn.now.astimezone(turn.services.calendar.tz)
    start = local.replace(month=1, day=1, hour=0, minute=0, second=0, microsecond=0)
    opd = recap_opd(turn, text)
    opd_id = opd.id if opd else None
    received = await turn.store.count_tickets(TicketQuery(kind="aduan", opd_id=opd_id, created_after=start))
    still_open = await turn.store.count_tickets(TicketQuery(kind="aduan", opd_id=opd_id, created_after=start,
                                                            statuses=OPEN_STATUSES))
    late = await turn.store.count_tickets(TicketQuery(kind="aduan", opd_id=opd_id, created_after=start,
                                                      statuses=OPEN_STATUSES, due_before=turn.now))
    turn.say("recap_this_year", year=local.year, received=received, open=still_open, overdue=late,
             scope=opd.name if opd else turn.directory.regency_short, desk=f"{public_base(turn.services)}/desk")


# "berapa aduan yang belum ditanggapi lebih dari seminggu?", "how many complaints have had no answer for 3 days?"
# (thirty-ninth trial: the day's summary, which counts none of that): the open complaints no officer of their office
# has answered yet, older than the age named (any age when none is), per office, the longest waiting first
_UNANSWERED = re.compile(
    r"\b(?:belum|blm|tidak|tdk|gak|ga|nggak)\s+(?:ada\s+|pernah\s+|juga\s+)?(?:ditanggapi|dibalas|dijawab|direspon\w*|"
    r"ditindaklanjuti|disentuh|dibuka|tanggapan\w*|balasan\w*|jawaban\w*|respon\w*|tindak\s*lanjut\w*)\b"
    r"|\b(?:no|without\s+an?)\s+(?:answer|reply|response)\b|\bunanswered\b")
_HOW_MANY = re.compile(r"\b(?:berapa|brp|jumlah|how\s+many|ada\s+berapa)\b")
_AGE = re.compile(r"\b(?:(?P<n>\d{1,3}|se|satu|dua|tiga|empat|lima|enam|tujuh|a|an|one|two|three|four|five|six|seven)"
                  r"\s*(?P<unit>hari|minggu|pekan|bulan|days?|weeks?|months?)|(?P<one>seminggu|sepekan|sebulan|sehari))\b")
_AGE_NUMBERS = {"se": 1, "satu": 1, "a": 1, "an": 1, "one": 1, "dua": 2, "two": 2, "tiga": 3, "three": 3, "empat": 4,
                "four": 4, "lima": 5, "five": 5, "enam": 6, "six": 6, "tujuh": 7, "seven": 7}
_AGE_DAYS = {"hari": 1, "day": 1, "days": 1, "minggu": 7, "pekan": 7, "week": 7, "weeks": 7, "bulan": 30, "month": 30,
             "months": 30, "seminggu": 7, "sepekan": 7, "sebulan": 30, "sehari": 1}
UNANSWERED_WORDS = 16
UNANSWERED_LISTED = 5
UNANSWERED_LOOKBACK_DAYS = 400


def asks_unanswered_count(text: str) -> bool:
    low = u.plain(text)
    return (len(low.split()) <= UNANSWERED_WORDS and bool(_HOW_MANY.search(low)) and bool(_UNANSWERED.search(low))
            and not find_ticket_number(text))


def unanswered_age(text: str) -> int | None:
    """The age in days the words name ("lebih dari seminggu": 7, "3 hari": 3), or None."""
    found = _AGE.search(u.plain(text))
    if found is None:
        return None
    if found.group("one"):
        return _AGE_DAYS[found.group("one")]
    count = found.group("n")
    number = int(count) if count.isdigit() else _AGE_NUMBERS[count]
    return number * _AGE_DAYS[found.group("unit")]


async def show_unanswered(turn: Turn, text: str) -> None:
    """How many open complaints have had no answer from their office, older than the age asked, by office; the
    longest waiting listed, and the offices one tap from a reminder (the regent)."""
    days = unanswered_age(text)
    named = recap_opd(turn, text)
    cutoff = turn.now - timedelta(days=days) if days else turn.now + timedelta(seconds=1)  # (until is exclusive)
    facts = await turn.store.ticket_facts(turn.now - timedelta(days=UNANSWERED_LOOKBACK_DAYS), cutoff,
                                          named.id if named else None)
    waiting = [f for f in facts if f.kind == "aduan" and f.status in OPEN_STATUSES and f.first_response_at is None
               and f.opd_id]
    age = (turn.t("unanswered_age", days=days) if days else "")
    if not waiting:
        turn.say("unanswered_none", age=age, scope=named.name if named else turn.directory.regency_short)
        return
    per_office: dict[str, int] = {}
    for fact in waiting:
        per_office[str(fact.opd_id)] = per_office.get(str(fact.opd_id), 0) + 1
    ranked = sorted(per_office.items(), key=lambda pair: (-pair[1], pair[0]))
    offices = "\n".join(turn.t("unanswered_office_line", opd=opd_name(turn, opd_id), count=count)
                        for opd_id, count in ranked)
    oldest = "\n".join(turn.t("unanswered_ticket_line", number=f.number, opd=opd_name(turn, str(f.opd_id)),
                               days=max(0, (turn.now - f.created_at).days))
                        for f in sorted(waiting, key=lambda f: f.created_at)[:UNANSWERED_LISTED])
    buttons = [Button(turn.t("report_card_remind_button", opd=opd_name(turn, opd_id)), f"/ingatkan {opd_id}")
               for opd_id, _ in ranked[:3]] if turn.identity.role == ROLE_REGENT else []
    turn.say("unanswered_count", buttons, count=len(waiting), age=age, offices=offices, oldest=oldest)


# "berapa pengguna aktif minggu ini?", "how many users this month?" (thirty-ninth trial, the operator: "not sent to
# anyone" and the help): chat users are not counted; the residents who filed in the period are, by channel
_USERS = re.compile(r"\b(?:pengguna|user|users|pemakai)\b(?:\s+\S+){0,2}?\s+(?:aktif|active)\b"
                    r"|\b(?:active|aktif)\s+(?:users?|pengguna)\b"
                    r"|\b(?:berapa|brp|jumlah|how\s+many)\s+(?:orang|warga|pengguna|users?|people|residents?)\s+"
                    r"(?:yang\s+|yg\s+|who\s+|have\s+)?(?:chat|nge-?chat|memakai|pakai|pake|menggunakan|use[ds]?|"
                    r"using|mengakses|akses)\b")
USERS_WORDS = 14
USERS_DEFAULT_DAYS = 7


def asks_users(text: str) -> bool:
    low = u.plain(text)
    return len(low.split()) <= USERS_WORDS and bool(_USERS.search(low))


async def show_users(turn: Turn, text: str) -> None:
    kind, period = period_or_last_days(turn, text, USERS_DEFAULT_DAYS)
    since, until = period.bounds(turn.services.calendar)
    facts = [f for f in await turn.store.ticket_facts(since, until) if f.kind == "aduan"]
    by_channel: dict[str, set[str]] = {}
    for fact in facts:
        by_channel.setdefault(oversight.channel_of(fact), set()).add(fact.reporter)
    people = len({f.reporter for f in facts})
    channels = ", ".join(f"{name} {len(who)}" for name, who in sorted(by_channel.items(), key=lambda p: -len(p[1])))
    label, _ = period_words(turn, period, kind)
    turn.say("users_counted", period=label, people=people, complaints=len(facts),
             channels=turn.t("users_channels", channels=channels) if channels else "")


# "berapa aduan yang masuk lewat whatsapp minggu ini?", "how many complaints came by SMS today?" (fortieth trial,
# the operator: the recap, with no word of channels): counted for the channel named, beside the others
_CHANNEL_NAMED = re.compile(r"\b(?:lewat|via|dari|melalui|pakai|pake|through|from|by|over|on)\s+"
                            r"(?P<channel>whatsapp|wa|telegram|tele|sms|web\s*chat|website|web|situs)\b")
_CHANNEL_IDS = {"whatsapp": "whatsapp", "wa": "whatsapp", "telegram": "telegram", "tele": "telegram", "sms": "sms",
                "webchat": "webchat", "website": "webchat", "web": "webchat", "situs": "webchat"}
CHANNEL_COUNT_WORDS = 16


def asks_channel_count(text: str) -> bool:
    low = u.plain(text)
    return len(low.split()) <= CHANNEL_COUNT_WORDS and bool(_HOW_MANY.search(low)) and bool(_CHANNEL_NAMED.search(low))


async def show_channel_count(turn: Turn, text: str) -> None:
    found = _CHANNEL_NAMED.search(u.plain(text))
    channel = _CHANNEL_IDS["".join(found["channel"].split())] if found else "webchat"
    kind, period = period_or_last_days(turn, text)
    since, until = period.bounds(turn.services.calendar)
    facts = [f for f in await turn.store.ticket_facts(since, until) if f.kind == "aduan"]
    counts: dict[str, int] = {}
    for fact in facts:
        counts[oversight.channel_of(fact)] = counts.get(oversight.channel_of(fact), 0) + 1
    label, dates = period_words(turn, period, kind)
    others = ", ".join(f"{_channel_name(turn, name)} {count}" for name, count in sorted(counts.items(),
                                                                                          key=lambda p: -p[1]))
    turn.say("channel_count", channel=_channel_name(turn, channel), count=counts.get(channel, 0), total=len(facts),
             period=label, dates=dates, channels=turn.t("channel_count_all", channels=others) if others else "")


def _channel_name(turn: Turn, channel: str) -> str:
    key = "channel_name_web" if channel == "webchat" else f"channel_name_{channel}"
    return turn.t(key) if turn.texts.has(key) else channel


# The regent's "ada pesan baru untuk saya?", "pesan dari warga hari ini apa saja?", "any new messages for me?"
# (thirty-ninth trial: offered to the last sender as his answer): the residents' messages to him still unanswered
_OWN_MESSAGES = re.compile(
    r"\bpesan\w*\s+(?:\S+\s+){0,3}?(?:baru|masuk|dari\s+(?:warga|masyarakat)|untuk\s+saya|buat\s+saya|ke\s+saya|"
    r"yang\s+belum\s+(?:saya\s+)?(?:jawab|balas|baca))\b|\b(?:ada|berapa)\s+pesan\b"
    r"|\b(?:new|unanswered|unread)\s+messages?\b|\bmessages?\s+(?:for|to)\s+me\b"
    # "pesan warga tadi sudah saya balas belum?" (fortieth trial: offered to its sender as his answer)
    r"|\bpesan\w*\s+(?:\S+\s+){0,3}?(?:sudah|udah|sdh|dah)\s+(?:saya\s+|sy\s+)?(?:balas|jawab|dibalas|dijawab|"
    r"tanggapi|ditanggapi)\b|\bhave\s+i\s+(?:answered|replied\s+to)\b"
    # "pesan warga hari ini ada berapa?" (forty-first trial: offered to the senders as his answer)
    r"|\bpesan\w*\s+(?:\S+\s+){0,4}?(?:ada\s+)?(?:berapa|apa\s+saja|apa\s+aja)\b")
OWN_MESSAGES_WORDS = 12
OWN_MESSAGES_SHOWN = 10


def asks_own_messages(text: str) -> bool:
    low = u.plain(text)
    return (len(low.split()) <= OWN_MESSAGES_WORDS and bool(_OWN_MESSAGES.search(low)) and u.is_question(text)
            and not find_ticket_number(text))


async def show_own_messages(turn: Turn) -> None:
    waiting = await turn.store.list_tickets(TicketQuery(kind="bupati", statuses=OPEN_STATUSES,
                                                        limit=OWN_MESSAGES_SHOWN))
    if not waiting:
        turn.say("regent_messages_none")
        return
    lines = "\n".join(turn.t("regent_messages_line", number=t.number, date=format_date(turn, t.created_at),
                              text=" ".join(t.text.split())[:80] + ("…" if len(t.text) > 80 else ""))
                       for t in waiting)
    buttons = [Button(turn.t("regent_messages_reply", number=t.number), f"/balas {t.number}") for t in waiting[:3]]
    turn.say("regent_messages", buttons, count=len(waiting), lines=lines)


def period_words(turn: Turn, period: Period, kind: str) -> tuple[str, str]:
    """A period as a recap names it ("minggu ini", "7 hari terakhir") and its dates ("01-12 s.d. 07-12-2026")."""
    label = turn.t(f"recap_period_{kind}", days=(period.end - period.start).days + 1)
    dates = period.start.strftime("%d-%m-%Y") if period.start == period.end else \
        f"{period.start.strftime('%d-%m')} s.d. {period.end.strftime('%d-%m-%Y')}"
    return label, dates


async def send_recap(turn: Turn, period: Period, kind: str, opd: Opd | None) -> None:
    """A recap of the complaints received in `period` (of one OPD, or the whole regency with a line per OPD): how
    many came in, of those how many are done, still open and overdue, withdrawn, on time and rated; the dashboard
    link for the rest. Figures as the dashboard counts them (actions/oversight.py)."""
    from actions.oversight import oversight

    result = await oversight(turn.store, turn.services.calendar, turn.now, period,
                             opd_id=opd.id if opd else None, opd_ids=list(turn.directory.opds))
    label, dates = period_words(turn, period, kind)
    scope = opd.name if opd else turn.directory.regency_name
    total = result.total
    lines = [turn.t("recap_header", scope=scope, period=label, dates=dates),
             turn.t("recap_totals", received=total.received, resolved=total.resolved, open=total.open,
                    overdue=total.overdue)]
    if total.withdrawn:
        lines.append(turn.t("recap_withdrawn", count=total.withdrawn))
    if total.within_sla is not None or total.average_rating is not None:
        lines.append(turn.t("recap_quality", sla=_percent(total.within_sla), rating=_decimal(total.average_rating)))
    if opd is None:
        rows = [f for f in result.opds if f.received]
        if rows:
            lines.append(turn.t("recap_opd_header"))
            lines += [turn.t("recap_opd_line", opd=group_label(turn, f.opd_id if f.opd_id not in (None, "-")
                                                                   else "~triase"),
                             received=f.received, resolved=f.resolved, overdue=f.overdue)
                      for f in sorted(rows, key=lambda f: (-f.received, f.opd_id or ""))]
    if not total.received:
        lines.append(turn.t("recap_nothing"))
    # "berapa aduan yang belum ditangani minggu ini?": what is still open now, whenever it came in (the period's
    # figures alone said 0 open while an older complaint was past its deadline); the digest's own counts
    open_now = await turn.store.count_tickets(TicketQuery(statuses=OPEN_STATUSES, opd_id=opd.id if opd else None))
    overdue = await turn.store.count_tickets_by_opd(TicketQuery(statuses=OPEN_STATUSES, due_before=turn.now))
    late = sum(n for (opd_id, _), n in overdue.items() if opd is None or opd_id == opd.id)
    lines.append(turn.t("recap_open_now", open=open_now, overdue=late))
    desk = f"{public_base(turn.services)}/desk"
    turn.replies.append(Reply("\n".join(lines) + turn.t("summary_dashboard", desk=desk)))
    if _BY_EMAIL.search(u.plain(turn.message.text)):
        # "tolong kirim laporan mingguan ke email saya" (thirty-second trial: the recap came, the e-mail unanswered)
        turn.say("recap_not_by_email")


_BY_EMAIL = re.compile(r"\b(?:e\s?mail|surel|imel|gmail)\b")


# "gimana perkembangan disposisi saya kemarin?", "disposisi saya gimana?", "disposisiku piye?": the regent's own
# dispositions (not "/disposisi …", a command, nor "disposisi WRG-…", a ticket named)
_MY_DISPOSITIONS = re.compile(r"\bdisposisi(?:ku|ne)\b|\bdisposisi\s+(?:\S+\s+)?(?:saya|sy|kula|kulo|aku|bupati)\b"
                              # "disposisi mana saja yang belum dilaporkan?" (fortieth trial: the help)
                              r"|\bdisposisi\s+(?:mana|apa)\s+(?:saja\s+|aja\s+)?(?:yang|yg)\b")
# ... those no office has reported back on (`/lapor_bupati`)
_NOT_REPORTED = re.compile(r"\b(?:belum|blm|tidak|tdk|gak|ga)\s+(?:ada\s+)?(?:di)?(?:laporkan|lapor|laporan|"
                           r"ditindaklanjuti|dijawab|dibalas)\b")
MY_DISPOSITIONS_SHOWN = 10
MY_DISPOSITIONS_BUTTONS = 5


def asks_my_dispositions(text: str) -> bool:
    return len(text.split()) <= 12 and bool(_MY_DISPOSITIONS.search(text.lower()))


async def show_my_dispositions(turn: Turn, text: str) -> None:
    """The regent's own dispositions, newest first (of the period the words name, "kemarin", "minggu ini"; else
    the latest ones): each ticket's number, topic, place, OPD, his instruction and where it stands now, with a
    button to open each."""
    from actions.common import location_text, status_name

    found = recap_period(turn, text)
    calendar = turn.services.calendar
    mine = [e for e in await turn.store.events_of_kind("disposition") if e.actor == turn.identity.key]
    if _NOT_REPORTED.search(text.lower()):
        reported = {e.ticket for e in await turn.store.events_of_kind("regent_report")}
        mine = [e for e in mine if e.ticket not in reported]
    if found is not None and found[0] == "yesterday" and mine and not any(
            calendar.local_date(e.at) >= found[1].start for e in mine):
        # "disposisi saya kemarin" said of one two days old, none since (fortieth trial: "none yesterday"): the latest
        # ones (one made today is not "yesterday's": the fourteenth trial)
        found = None
    if found is not None:
        period = found[1]
        mine = [e for e in mine if period.start <= calendar.local_date(e.at) <= period.end]
    latest: dict[str, TicketEvent] = {}
    for event in sorted(mine, key=lambda e: e.at, reverse=True):  # the newest disposition of each ticket
        latest.setdefault(event.ticket, event)
    label = turn.t(f"recap_period_{found[0]}", days=(found[1].end - found[1].start).days + 1) if found else ""
    if not latest and _NOT_REPORTED.search(text.lower()):
        turn.say("my_dispositions_all_reported")
        return
    if not latest:
        turn.say("my_dispositions_none_period" if found else "my_dispositions_none", period=label)
        return
    shown = list(latest.values())[:MY_DISPOSITIONS_SHOWN]
    lines = []
    tickets = []
    for event in shown:
        ticket = await turn.store.get_ticket(event.ticket)
        if ticket is None:
            continue
        tickets.append(ticket)
        topic = subject_name(turn, ticket) if ticket.kind == "aduan" else turn.t(f"kind_{ticket.kind}")
        lines.append(turn.t("my_dispositions_line", number=ticket.number, topic=topic,
                            place=location_text(turn, ticket) or "-",
                            opd=opd_name(turn, str(event.data.get("opd") or ticket.opd_id)),
                            instruction=event.text or turn.t("disposition_no_instruction"),
                            at=format_date(turn, event.at), status=status_name(turn, ticket.status)))
    more = turn.t("my_dispositions_more", count=len(latest) - len(shown)) if len(latest) > len(shown) else ""
    buttons = [Button(t.number, f"/info {t.number}") for t in tickets[:MY_DISPOSITIONS_BUTTONS]]
    turn.say("my_dispositions_period" if found else "my_dispositions", buttons, period=label,
             count=len(latest), tickets="\n".join(lines) + more)


def _percent(value: float | None) -> str:
    return "-" if value is None else f"{value * 100:.0f}%"


def _decimal(value: float | None) -> str:
    return "-" if value is None else f"{value:.1f}".replace(".", ",")


from actions.report_card import cmd_remind_opd  # noqa: E402 - the weekly report card's reminder button

COMMANDS = [cmd_dispose, cmd_summary, cmd_remind_opd, cmd_report_to_regent]
