"""The weekly OPD report card in chat: every Monday the regent gets last week's ranking of OPDs by median first
response, share resolved within the SLA and rating, with one-tap reminders for the lagging OPDs; each OPD's
officers get their own line. `/ingatkan OPD` (the regent) sends that reminder.
"""

from __future__ import annotations

import re
from datetime import datetime, time, timedelta
from typing import Any

from actions.base import Services, Turn, command
from actions.common import opd_name, opd_recipients, operator_recipients, regent_recipients, staff_lang, topic_name
from actions.oversight import OpdFigures, Oversight, Period, oversight
from bot.message import Button, Reply
from bot.store.base import OPEN_STATUSES, ROLE_REGENT, OutboxJob, TicketQuery

LAST_SENT_KEY = "report_card:last_week"
SEND_AT = time(7, 0)  # local time on Monday
LAGGING = 3  # reminder buttons for at most this many OPDs


def last_week(services: Services, now: datetime) -> Period:
    """Monday to Sunday of the week before `now`'s (local) week."""
    today = services.calendar.local_date(now)
    monday = today - timedelta(days=today.weekday())
    return Period(monday - timedelta(days=7), monday - timedelta(days=1))


def week_label(period: Period) -> str:
    year, week, _ = period.start.isocalendar()
    return f"{year}-W{week:02d}"


def due(services: Services, now: datetime, last_sent: str | None) -> bool:
    """Monday from 07:00 local, once per week."""
    local = now.astimezone(services.calendar.tz)
    return local.weekday() == 0 and local.time() >= SEND_AT and last_sent != week_label(last_week(services, now))


def rank_for_card(opds: list[OpdFigures]) -> list[OpdFigures]:
    """Faster median first response first, then higher share within the SLA, then fewer overdue, then higher
    rating; only OPDs that received something. (Thirty-first trial: of two offices that had answered nothing, the
    one with a complaint past its deadline was ranked above the one without, by name.)"""
    def key(f: OpdFigures) -> tuple[float, float, int, float, str]:
        return (f.median_first_response_hours if f.median_first_response_hours is not None else float("inf"),
                -(f.within_sla if f.within_sla is not None else -1.0), f.overdue, -(f.average_rating or 0.0),
                f.opd_id or "")
    return sorted((f for f in opds if f.received and f.opd_id not in (None, "-")), key=key)


def lagging(ranked: list[OpdFigures]) -> list[OpdFigures]:
    """The OPDs to remind: from the bottom of the ranking, those with overdue tickets or under 80 % on time."""
    late = [f for f in ranked if f.overdue or (f.within_sla is not None and f.within_sla < 0.8)
            or f.median_first_response_hours is None]
    return list(reversed(late))[:LAGGING]


def _num(value: float | None) -> str:
    return "-" if value is None else f"{value:g}"


def _pct(value: float | None) -> str:
    return "-" if value is None else f"{value * 100:.0f}%"


def line(turn: Turn, rank: int, f: OpdFigures, lang: str) -> str:
    """An OPD's line; complaints its reporters withdrew are named apart (they are not in the share on time)."""
    withdrawn = turn.t("report_card_withdrawn", lang, count=f.withdrawn) if f.withdrawn else ""
    return turn.t("report_card_line", lang, rank=rank, opd=opd_name(turn, f.opd_id),
                  first=_num(f.median_first_response_hours), sla=_pct(f.within_sla),
                  rating=_num(f.average_rating), received=f.received, overdue=f.overdue) + withdrawn


async def send_report_card(turn: Turn) -> int:
    """Queue last week's card to the regent(s) and each ranked OPD's line to its officers; returns how many
    people it goes to. Keys are per week and person, so running twice sends nothing new."""
    services = turn.services
    period = last_week(services, turn.now)
    week = week_label(period)
    result = await oversight(turn.store, services.calendar, turn.now, period, opd_ids=list(turn.directory.opds))
    ranked = rank_for_card(result.opds)
    sent = 0
    for to in await regent_recipients(turn):
        lang = await staff_lang(turn, to)
        lines = [turn.t("report_card_header", lang, week=week, start=period.start.strftime("%d-%m"),
                        end=period.end.strftime("%d-%m"), received=result.total.received)]
        lines += [line(turn, n, f, lang) for n, f in enumerate(ranked, 1)] or [turn.t("report_card_empty", lang)]
        buttons = tuple(Button(turn.t("report_card_remind_button", lang, opd=opd_name(turn, f.opd_id)),
                               f"/ingatkan {f.opd_id}") for f in lagging(ranked))
        turn.changes.jobs.append(_job(f"report:{week}:{to}", to, Reply("\n".join(lines), buttons), turn))
        sent += 1
    for n, f in enumerate(ranked, 1):
        for to in await opd_recipients(turn, str(f.opd_id)):
            lang = await staff_lang(turn, to)
            text = turn.t("report_card_own", lang, week=week, total=len(ranked), line=line(turn, n, f, lang))
            turn.changes.jobs.append(_job(f"report:{week}:{to}", to, Reply(text), turn))
            sent += 1
    return sent


def _job(key: str, to: str, reply: Reply, turn: Turn) -> OutboxJob:
    return OutboxJob(key=f"deliver:{key}", kind="deliver", payload={"to": to, "replies": [reply.to_dict()]},
                     created_at=turn.now)


@command("ingatkan", roles=(ROLE_REGENT,), usage="/ingatkan ID-OPD | semua")
async def cmd_remind_opd(turn: Turn, args: str) -> None:
    """The regent's one-tap reminder from the report card: the OPD's officers are told their open and overdue
    tickets need attention. `/ingatkan semua`: each office with an overdue complaint is reminded."""
    if args.strip().lower() in ALL_WORDS:
        await _remind_all_overdue(turn)
        return
    opd = turn.directory.find_opd(args.strip()) if args.strip() else None
    if opd is None:
        turn.say("unknown_opd", opd=args.strip() or "-", ids=", ".join(turn.directory.opds))
        return
    figures, recipients = await _remind(turn, opd.id)
    if not recipients:
        turn.say("report_card_no_officer", opd=opd.name, open=figures.open, overdue=figures.overdue)
        return
    turn.say("report_card_reminded", opd=opd.name, count=len(recipients))


async def _remind(turn: Turn, opd_id: str) -> tuple[Any, list[str]]:
    """Tell the OPD's officers (else the operators, who are asked to enrol someone) of its open and overdue
    complaints; the figures and who was told."""
    opd = turn.directory.opd(opd_id)
    period = Period.last_days(turn.services.calendar, turn.now, 90)
    figures = (await oversight(turn.store, turn.services.calendar, turn.now, period, opd_id=opd_id)).total
    recipients = await opd_recipients(turn, opd_id)
    for to in recipients:
        lang = await staff_lang(turn, to)
        text = turn.t("report_card_reminder", lang, open=figures.open, overdue=figures.overdue)
        button = Button(turn.t("report_card_queue_button", lang), "/antrian")
        turn.deliver(to, [Reply(text, (button,))], f"remind-opd:{opd_id}")
    if not recipients:  # nobody to remind: the operators are asked to enrol someone there
        for key in await operator_recipients(turn):
            lang = await staff_lang(turn, key)
            turn.deliver(key, [Reply(turn.t("report_card_no_officer_to_operator", lang,
                                            opd=opd.name if opd else opd_id, opd_id=opd_id, open=figures.open,
                                            overdue=figures.overdue))], f"remind-opd-none:{opd_id}")
    return figures, recipients


ALL_WORDS = frozenset({"semua", "all", "semuanya"})
# "ingatkan semua dinas yang punya aduan lewat batas waktu", "tegur seluruh OPD yang terlambat", "remind all offices"
_REMIND_ALL = re.compile(r"\b(?:ingatkan|ingetin|ingatin|tegur|tegurkan|tagih|remind)\s+(?:\S+\s+){0,2}?"
                         r"(?:semua|seluruh|setiap|tiap|all|every)\s+(?:\S+\s+)?(?:dinas|opd|kantor|instansi|offices?|"
                         r"agencies|agency|departments?)\b"
                         # "tolong tindak lanjuti semua aduan yang terlambat", "follow up every overdue complaint"
                         # (thirty-first trial: the day's summary was shown)
                         r"|\b(?:tindak\s*lanjuti|tindaklanjuti|selesaikan|kejar|tuntaskan|follow\s+up(?:\s+on)?)\s+"
                         r"(?:semua|seluruh|setiap|tiap|all|every)\s+(?:\S+\s+){0,2}?(?:terlambat|telat|lewat\s+batas|"
                         # ("… yang lewat tenggat": forty-second trial, the day's summary)
                         r"melewati\s+batas|lewat\s+tenggat|melewati\s+tenggat|lewat\s+deadline|overdue|late)\b"
                         # "tolong OPD yang lambat ditegur", "dinas yang telat diingatkan" (thirty-third trial: the
                         # help, "not sent to anyone")
                         r"|\b(?:dinas|opd|kantor|instansi)\w*\s+(?:yang|yg)\s+(?:lambat|lamban|telat|terlambat|lelet|"
                         r"molor|lewat\s+batas\s+waktu)\s+(?:\S+\s+){0,2}?(?:ditegur|diingatkan|diingetin|ditagih|"
                         r"dikejar|diperingatkan)\b"
                         r"|\b(?:ingatkan|ingetin|ingatin|tegur|tegurkan|tagih|peringatkan|kejar)\s+(?:\S+\s+){0,1}?"
                         r"(?:dinas|opd|kantor|instansi)\w*\s+(?:yang|yg)\s+(?:lambat|lamban|telat|terlambat|lelet|molor)\b")


def asks_remind_all(text: str) -> bool:
    return len(text.split()) <= 20 and bool(_REMIND_ALL.search(text.lower()))


async def overdue_by_opd(turn: Turn) -> dict[str, int]:
    """Open complaints past their deadline, counted per office (most first)."""
    late = await turn.store.list_tickets(TicketQuery(statuses=tuple(OPEN_STATUSES), due_before=turn.now, limit=1000))
    counts: dict[str, int] = {}
    for ticket in late:
        if ticket.opd_id:
            counts[ticket.opd_id] = counts.get(ticket.opd_id, 0) + 1
    return dict(sorted(counts.items(), key=lambda item: -item[1]))


async def offer_remind_overdue(turn: Turn) -> None:
    """The regent's "ingatkan semua dinas yang lewat batas waktu": which offices have overdue complaints, and the
    reminder to all of them in one tap (`/ingatkan semua`), or to each."""
    counts = await overdue_by_opd(turn)
    if not counts:
        turn.say("remind_none_overdue")
        return
    listed = "\n".join(turn.t("remind_overdue_line", opd=opd_name(turn, opd_id), count=n)
                       for opd_id, n in counts.items())
    from actions.officer import offer_button  # (officer reads this module's figures: late, to keep the graph acyclic)

    # "ya" sends it to all (thirty-fifth trial: "Baik 🙏", and nothing sent); each office its own button when several
    buttons = [offer_button(turn, turn.t("remind_all_button"), "/ingatkan semua")]
    if len(counts) > 1:
        buttons += [Button(turn.t("regent_remind_button", opd=opd_name(turn, opd_id)), f"/ingatkan {opd_id}")
                    for opd_id in list(counts)[:LAGGING]]
    turn.say("remind_overdue_offer", [*buttons, turn.button("officer_pending_no", "/batal")], offices=listed)


async def _remind_all_overdue(turn: Turn) -> None:
    counts = await overdue_by_opd(turn)
    if not counts:
        turn.say("remind_none_overdue")
        return
    for opd_id in counts:
        await _remind(turn, opd_id)
    turn.say("remind_all_done", offices=", ".join(opd_name(turn, opd_id) for opd_id in counts))


# "dinas mana yang paling lambat bulan ini?", "OPD apa yang paling buruk?", "peringkat dinas minggu ini", "which office
# is slowest?": the ranking of the weekly card, over the period asked (twenty-fifth trial: it got the queue)
_OFFICE_WORD = r"(?:dinas|opd|skpd|instansi|kantor|offices?|agenc(?:y|ies)|departments?)"
_RANK_WORD = (r"(?:paling\s+(?:lambat|lama|lelet|buruk|jelek|cepat|baik|bagus|rajin|malas|banyak\s+(?:telat|terlambat|"
              r"tunggakan))|terlambat|terlama|terburuk|tercepat|terbaik|slowest|fastest|worst|best"
              # "dinas mana saja yang belum membalas aduan warga?" (twenty-eighth trial: the day's summary)
              r"|belum\s+(?:membalas|menanggapi|merespon|merespons|menjawab|balas|respon|direspon|ditanggapi)|"
              r"(?:haven'?t|have\s+not|not\s+yet)\s+(?:answered|responded|replied))")
_RANKING = re.compile(rf"\b{_OFFICE_WORD}\b.*\b{_RANK_WORD}\b|\b{_RANK_WORD}\b.*\b{_OFFICE_WORD}\b"
                      rf"|\b(?:peringkat|ranking|rangking|rank|klasemen|rapor|raport|report\s+card)\s+(?:\S+\s+)?"
                      rf"{_OFFICE_WORD}\b|\b{_OFFICE_WORD}\s+(?:ranking|rangking|peringkat)\b")
RANKING_WORDS = 14
RANKING_DEFAULT_DAYS = 30  # no period named: the last thirty days


def asks_ranking(text: str) -> bool:
    low = text.lower()
    return len(text.split()) <= RANKING_WORDS and bool(_RANKING.search(low)) and not re.search(
        r"\b(?:aduan|laporan|tiket|complaints?)\s+(?:\S+\s+){0,2}?(?:paling|ter)\w*\b", low)


# "bagaimana kinerja dinas pupr?", "rapor dishub bulan ini", "how is DLH doing?": one office's line of that ranking
# and its place in it (twenty-sixth trial: "Tidak ada aduan terbuka yang cocok dengan kata-kata itu")
_PERFORMANCE = re.compile(r"\b(?:kinerja|kinerjanya|performa|performanya|performance|capaian|capaiannya|rapor|"
                          r"rapornya|raport|nilai|doing|performing|perform)\b")
PERFORMANCE_WORDS = 12


def office_asked(turn: Turn, text: str) -> str | None:
    """The office whose performance the words ask about, or None."""
    from actions.regent import recap_opd

    if len(text.split()) > PERFORMANCE_WORDS or not _PERFORMANCE.search(text.lower()):
        return None
    opd = recap_opd(turn, text)
    return opd.id if opd is not None else None


def offices_named(turn: Turn, text: str) -> list[str]:
    """Every office the words name ("bandingkan kinerja dinas pupr dan dishub": both; forty-first trial, only the
    first was shown), in the order named."""
    words = re.findall(r"[\w-]+", text.lower())
    found: list[tuple[int, str]] = []
    taken: set[int] = set()
    for size in (3, 2, 1):  # the longest name first: "satpol pp" before "pp"
        for start in range(len(words) - size + 1):
            span = set(range(start, start + size))
            if span & taken or (opd := turn.directory.find_opd(" ".join(words[start:start + size]))) is None:
                continue
            taken |= span
            if opd.id not in (i for _, i in found):
                found.append((start, opd.id))
    return [i for _, i in sorted(found)]


# "tolong kirim rekap ke saya tiap senin pagi", "send me a weekly summary": the weekly card, which comes already.
# ("kirim laporan mingguan" asks for this week's recap now: twenty-eighth trial)
_EVERY_WEEK = re.compile(r"\b(?:tiap|setiap|saban|per)\s+(?:hari\s+)?(?:senin|minggu|pekan)\b|"
                         r"\bevery\s+(?:monday|week)\b|\b(?:rutin|otomatis|automatically|regularly)\b")
_RECAP_WORD = re.compile(r"\b(?:rekap\w*|laporan|rapor|raport|ringkasan|report|summary|recap)\b")
_SEND_WORD = re.compile(r"\b(?:kirim\w*|dikirim\w*|send|sent|mail|tolong|minta|bisa|can|could|please)\b")
WEEKLY_CARD_WORDS = 14


# "tolong kirim ringkasan tiap pagi", "send me a daily summary" (fortieth trial: the summary, now): the morning
# digest, which comes already
_EVERY_DAY = re.compile(r"\b(?:tiap|setiap|saban)\s+(?:hari|pagi)\b|\bevery\s+(?:day|morning)\b|\b(?:daily|harian)\b")


def asks_daily_digest(text: str) -> bool:
    low = text.lower()
    return (len(low.split()) <= WEEKLY_CARD_WORDS and bool(_EVERY_DAY.search(low)) and bool(_RECAP_WORD.search(low))
            and bool(_SEND_WORD.search(low)) and not re.search(r"\b(?:e\s?mail|surel|imel|gmail)\b", low))


def asks_weekly_card(text: str) -> bool:
    low = text.lower()
    return (len(low.split()) <= WEEKLY_CARD_WORDS and bool(_EVERY_WEEK.search(low)) and bool(_RECAP_WORD.search(low))
            and bool(_SEND_WORD.search(low)) and not re.search(r"\b(?:e\s?mail|surel|imel|gmail)\b", low))


def performance_asked(text: str) -> bool:
    """"bagaimana kinerja dinas minggu ini?", "how are the offices doing?": every office's performance, no one office
    named (thirty-sixth trial: the help)."""
    low = text.lower()
    return (len(text.split()) <= PERFORMANCE_WORDS and bool(_PERFORMANCE.search(low))
            and bool(re.search(rf"\b{_OFFICE_WORD}\b|\b(?:semua|para|kami|our)\b", low)))


async def _figures_asked(turn: Turn, text: str) -> tuple[str, str, Oversight]:
    """The oversight figures of the period the words name (else the last RANKING_DEFAULT_DAYS), with its words."""
    from actions.regent import period_words, recap_period

    found = recap_period(turn, text)
    if found is None:
        period, kind = Period.last_days(turn.services.calendar, turn.now, RANKING_DEFAULT_DAYS), "last_days"
    else:
        kind, period = found
    label, dates = period_words(turn, period, kind)
    result = await oversight(turn.store, turn.services.calendar, turn.now, period, opd_ids=list(turn.directory.opds))
    return label, dates, result


# "aduan terbanyak tentang apa?", "masalah apa yang paling banyak dilaporkan bulan ini?", "top complaints this week":
# the topics counted over the period (twenty-sixth trial: the regent got the staff help)
_TOP_TOPICS = re.compile(r"\b(?:aduan|laporan|keluhan|masalah|topik|pengaduan|complaints?|issues?|topics?)\b.*"
                         r"\b(?:terbanyak|paling\s+banyak|paling\s+sering|most|top|common)\b|\b(?:terbanyak|"
                         r"paling\s+banyak|paling\s+sering|top|most\s+common)\s+(?:\S+\s+)?(?:aduan|laporan|keluhan|"
                         r"masalah|topik|complaints?|issues?|topics?)\b")
# "berapa rata-rata waktu tanggapan bulan ini?", "how fast do offices respond?": the regency's median first response
# and on-time share, then the offices ranked
_RESPONSE_TIME = re.compile(r"\b(?:rata\s*-?\s*rata|rata2|median|waktu\s+(?:tanggapan|respon|respons|penyelesaian)|"
                            r"lama\s+(?:tanggapan|respon|respons)|kecepatan\s+(?:tanggapan|respon|respons|penanganan)|"
                            r"response\s+times?|how\s+fast|"
                            # "berapa persen aduan selesai tepat waktu?" (thirty-fourth trial: the day's summary)
                            r"tepat\s+waktu|on\s+time|within\s+(?:the\s+)?deadlines?|sesuai\s+(?:batas\s+waktu|tenggat))\b")
FIGURES_WORDS = 14
TOP_TOPICS = 5


# "aduan di kecamatan mana yang paling banyak?", "desa mana yang paling banyak aduannya?", "which village has the most
# complaints?" (twenty-ninth trial: the topics, or the help): the areas ranked
_TOP_AREAS = re.compile(r"\b(?:kecamatan|kec|desa|kelurahan|wilayah|daerah|villages?|districts?|areas?)\s+(?:mana|apa|"
                        r"which)\b.*\b(?:terbanyak|paling\s+banyak|paling\s+sering|most)\b"
                        r"|\b(?:which|what)\s+(?:villages?|districts?|areas?)\b.*\bmost\b"
                        r"|\b(?:terbanyak|paling\s+banyak)\b.*\bper\s+(?:kecamatan|desa|wilayah)\b")
_DESA = re.compile(r"\b(?:desa|kelurahan|villages?)\b")


# the regent's "siapa yang paling sering lapor?", "who reports the most?": no ranking of residents; the villages that
# report the most instead (thirty-sixth trial: the help)
_TOP_REPORTER = re.compile(r"\b(?:siapa|who)\b.{0,20}\b(?:paling\s+(?:sering|banyak|rajin)|terbanyak|most)\b.{0,20}"
                           r"\b(?:lapor\w*|melapor|mengadu|ngadu|report\w*|complain\w*)\b"
                           r"|\bpelapor\s+(?:paling\s+(?:sering|banyak|aktif|rajin)|terbanyak|teraktif)\b")


# "siapa petugas paling rajin bulan ini?", "petugas mana yang paling lambat?", "which officer is the fastest?" (forty-
# first trial: asked which office's staff to list): the figures are kept per office, not per officer
_TOP_OFFICER = re.compile(r"\b(?:petugas|pegawai|staf|staff|officers?)\s+(?:\S+\s+){0,2}?(?:paling|ter(?:rajin|cepat|"
                          r"lambat|malas|baik|buruk|aktif))\b"
                          r"|\b(?:siapa|who|which)\b.{0,20}\b(?:petugas|pegawai|officer)\b.{0,20}"
                          r"\b(?:paling|most|fastest|slowest|best|worst)\b")


def asks_top_officer(text: str) -> bool:
    return len(text.split()) <= FIGURES_WORDS and bool(_TOP_OFFICER.search(text.lower()))


def asks_top_reporter(text: str) -> bool:
    return len(text.split()) <= FIGURES_WORDS and bool(_TOP_REPORTER.search(text.lower()))


def area_asked(text: str) -> str | None:
    """"kecamatan" or "desa" when the words ask which area has the most complaints, else None."""
    low = text.lower()
    if len(text.split()) > FIGURES_WORDS or not _TOP_AREAS.search(low):
        return None
    return "desa" if _DESA.search(low) else "kecamatan"


def asks_top_topics(text: str) -> bool:
    low = text.lower()
    return len(text.split()) <= FIGURES_WORDS and bool(_TOP_TOPICS.search(low)) and not asks_ranking(text)


def asks_response_time(text: str) -> bool:
    low = text.lower()
    return len(text.split()) <= FIGURES_WORDS and bool(_RESPONSE_TIME.search(low)) and bool(
        re.search(r"\b(?:tanggapan|respon\w*|penyelesaian|penanganan|selesai|respond|response|resolve\w*)\b", low))


# "bandingkan dengan bulan lalu", "minggu ini dibanding minggu lalu gimana?", "compare with last month" (twenty-ninth
# trial: the help): this period so far beside the whole one before
_COMPARE = re.compile(r"\b(?:bandingkan|dibandingkan|dibanding|banding|bandingin|perbandingan|compare|compared|"
                      r"versus|vs)\b")
_WEEKLY = re.compile(r"\b(?:minggu|pekan|week)\b")


def compare_asked(text: str) -> str | None:
    """"week" or "month" when the words ask to compare this period with the last, else None."""
    low = text.lower()
    if len(text.split()) > FIGURES_WORDS or not _COMPARE.search(low):
        return None
    return "week" if _WEEKLY.search(low) else "month"


async def send_comparison(turn: Turn, unit: str) -> None:
    """This week (or month) so far and the whole week (month) before: received, resolved, first response, on time."""
    from actions.regent import period_words

    calendar = turn.services.calendar
    today = calendar.local_date(turn.now)
    if unit == "week":
        start = today - timedelta(days=today.weekday())
        before = Period(start - timedelta(days=7), start - timedelta(days=1))
    else:
        start = today.replace(day=1)
        before = Period((start - timedelta(days=1)).replace(day=1), start - timedelta(days=1))
    lines = [turn.t("compare_header")]
    periods = ((f"compare_this_{unit}", Period(start, today), unit), (f"compare_last_{unit}", before, "last_days"))
    for key, period, kind in periods:
        result = await oversight(turn.store, calendar, turn.now, period, opd_ids=list(turn.directory.opds))
        total = result.total
        lines.append(turn.t("compare_line", period=turn.t(key), dates=period_words(turn, period, kind)[1],
                            received=total.received, resolved=total.resolved,
                            first=turn.t("compare_hours", hours=_num(total.median_first_response_hours))
                            if total.median_first_response_hours is not None else "-", sla=_pct(total.within_sla)))
    turn.replies.append(Reply("\n".join(lines)))


async def send_top_areas(turn: Turn, text: str, level: str) -> None:
    """The kecamatan or desa with the most complaints in the period asked (the last 30 days by default), as the
    complaints' places record them; those whose area is not known are counted apart."""
    label, dates, result = await _figures_asked(turn, text)
    counts = result.by_desa if level == "desa" else result.by_kecamatan
    known = [(name, count) for name, count in counts if name != "-"][:TOP_TOPICS]
    unknown = sum(count for name, count in counts if name == "-")
    area = turn.t(f"area_{level}")
    if not known:
        turn.say("top_areas_empty", period=label, dates=dates, area=area, received=result.total.received)
        return
    lines = [turn.t("top_areas_header", period=label, dates=dates, area=area, received=result.total.received)]
    lines += [turn.t("top_topics_line", rank=n, topic=name, count=count) for n, (name, count) in enumerate(known, 1)]
    if unknown:
        lines.append(turn.t("top_areas_unknown", count=unknown, area=area))
    turn.replies.append(Reply("\n".join(lines)))


async def send_top_topics(turn: Turn, text: str) -> None:
    label, dates, result = await _figures_asked(turn, text)
    counted = result.by_topic[:TOP_TOPICS]  # ("-": not yet routed, named so)
    if not counted:
        turn.say("top_topics_empty", period=label, dates=dates)
        return
    lines = [turn.t("top_topics_header", period=label, dates=dates, received=result.total.received)]
    lines += [turn.t("top_topics_line", rank=n, topic=topic_name(turn, topic if topic != "-" else None), count=count)
              for n, (topic, count) in enumerate(counted, 1)]
    turn.replies.append(Reply("\n".join(lines)))


async def send_response_time(turn: Turn, text: str) -> None:
    label, dates, result = await _figures_asked(turn, text)
    total = result.total
    turn.say("response_time_total", period=label, dates=dates, received=total.received,
             first=_num(total.median_first_response_hours), sla=_pct(total.within_sla),
             days=_num(total.median_resolution_days))
    _say_ranking(turn, label, dates, result)


# "bagaimana kepuasan warga bulan ini?", "rating pelayanan berapa?", "are residents satisfied?" (thirty-fourth trial:
# residents' FAQs to pick from): the average rating over the period, then the offices ranked (each with its rating)
_SATISFACTION = re.compile(r"\b(?:kepuasan|kepuasannya|puas|rating|ratingnya|penilaian|penilaiannya|"
                           r"nilai\s+(?:warga|pelayanan|rata)|bintang|bintangnya|satisfaction|satisfied|ratings?)\b")
# "dinas mana yang ratingnya paling rendah?", "which office is rated lowest?" (fortieth trial: the day's summary)
_LOWEST = re.compile(r"\b(?:paling\s+(?:rendah|jelek|buruk|kecil|sedikit)|terendah|terburuk|terjelek|lowest|worst)\b")


def asks_satisfaction(text: str) -> bool:
    low = text.lower()
    return len(text.split()) <= FIGURES_WORDS and bool(_SATISFACTION.search(low)) and not asks_ranking(text)


async def send_satisfaction(turn: Turn, text: str) -> None:
    label, dates, result = await _figures_asked(turn, text)
    if result.total.average_rating is None:
        turn.say("satisfaction_none", period=label, dates=dates)
    else:
        turn.say("satisfaction_total", period=label, dates=dates, rating=_num(result.total.average_rating),
                 resolved=result.total.resolved)
        rated = sorted((f for f in result.opds if f.average_rating is not None and f.opd_id not in (None, "-")),
                       key=lambda f: (f.average_rating or 0.0, f.opd_id or ""))
        if _LOWEST.search(text.lower()) and len(rated) > 1:
            turn.say("satisfaction_lowest", opd=opd_name(turn, rated[0].opd_id), rating=_num(rated[0].average_rating))
    _say_ranking(turn, label, dates, result)


async def send_ranking(turn: Turn, text: str, only: str | None = None) -> None:
    """The offices ranked as the weekly card ranks them (median first response, share on time, rating), over the
    period the words name, else the last RANKING_DEFAULT_DAYS; the slowest named, and (for the regent) the
    reminder buttons for the lagging; `only`: that office's line and place."""
    label, dates, result = await _figures_asked(turn, text)
    if only is not None:
        for opd_id in [only, *(i for i in offices_named(turn, text) if i != only)]:  # each office the words name
            _one_office(turn, opd_id, rank_for_card(result.opds), label, dates)
    else:
        _say_ranking(turn, label, dates, result)


def _say_ranking(turn: Turn, label: str, dates: str, result: Oversight) -> None:
    ranked = rank_for_card(result.opds)
    if not ranked:
        turn.say("opd_ranking_empty", period=label, dates=dates)
        return
    lines = [turn.t("opd_ranking_header", period=label, dates=dates, received=result.total.received)]
    lines += [line(turn, n, f, turn.lang) for n, f in enumerate(ranked, 1)]
    if len(ranked) > 1 and _one_stands_out(ranked):
        lines.append(turn.t("opd_ranking_slowest", opd=opd_name(turn, ranked[-1].opd_id)))
    elif len(ranked) > 1:
        # no office answered, closed or let a complaint pass its deadline yet (fortieth trial: "slowest: DLH", by
        # name): nothing to tell them apart
        lines.append(turn.t("opd_ranking_not_yet"))
    buttons = tuple(Button(turn.t("report_card_remind_button", opd=opd_name(turn, f.opd_id)), f"/ingatkan {f.opd_id}")
                    for f in lagging(ranked)) if turn.identity.role == ROLE_REGENT else ()
    turn.replies.append(Reply("\n".join(lines), buttons))


def _one_stands_out(ranked: list[OpdFigures]) -> bool:
    """Whether the last of the ranking is behind for something measured (not the order of names alone)."""
    def measured(f: OpdFigures) -> tuple[float | None, float | None, int, float | None]:
        return f.median_first_response_hours, f.within_sla, f.overdue, f.average_rating
    return measured(ranked[-1]) != measured(ranked[-2])


def _one_office(turn: Turn, opd_id: str, ranked: list[OpdFigures], label: str, dates: str) -> None:
    """One office's line of the ranking, its place among the offices that received complaints, and (for the regent,
    when it lags) the reminder button."""
    place = next((n for n, f in enumerate(ranked, 1) if f.opd_id == opd_id), None)
    if place is None:
        turn.say("opd_performance_none", opd=opd_name(turn, opd_id), period=label, dates=dates)
        return
    figures = ranked[place - 1]
    text = "\n".join((turn.t("opd_performance_header", opd=opd_name(turn, opd_id), period=label, dates=dates),
                      line(turn, place, figures, turn.lang),
                      turn.t("opd_performance_place", place=place, count=len(ranked))))
    buttons = (Button(turn.t("report_card_remind_button", opd=opd_name(turn, opd_id)), f"/ingatkan {opd_id}"),) \
        if turn.identity.role == ROLE_REGENT and figures in lagging(ranked) else ()
    turn.replies.append(Reply(text, buttons))


COMMANDS = [cmd_remind_opd]
