"""Questions a resident asks that read like complaints but are not (twentieth trial):

- "ada lowongan kerja di pemkab?", "info loker pemkab dong", "kapan pendaftaran PPPK dibuka?", "are there any job
  openings at the regency government?": where job openings are announced (the regency's labour office, Kemnaker's
  job portal) and that civil-service recruitment (CPNS, PPPK) runs only through BKN's portal and is never paid for.
  They used to start a complaint about job openings, ask for a question, or answer with school admissions. A
  complaint about recruitment ("loker abal2 minta uang pendaftaran", "tes cpns dijanjikan lulus kalau bayar") is
  still a complaint, and is read as one.
- "saya warga kabupaten sebelah, bisa lapor di sini?", "I live in the next regency, can I report here?": what
  counts is where it happened, not the resident's address. The first was told "yes" without that, the second was
  answered about noise.
"""

from __future__ import annotations

import re
from typing import Any

from actions import understand as u
from actions.base import Turn

JOB_WORDS = 16  # longer, the message tells of something that happened
# Job openings and civil-service recruitment.
_JOBS = re.compile(
    r"\b(?:lowongan|lowker|loker|rekrutmen|recruitment|cpns|pppk|casn|p3k|job\s+openings?|vacanc(?:y|ies)|"
    r"jobs?|hiring|lapangan\s+kerja|lamaran\s+kerja|penerimaan\s+(?:pegawai|asn|honorer|tenaga\s+\w+|karyawan)|"
    r"pendaftaran\s+(?:pegawai|asn|honorer))\b")
# Words of a question or a request for information about them: "ada", "kapan", "info", "dibuka", "how do I apply".
_ASKS = re.compile(
    r"\b(?:ada|adakah|apakah|kapan|kpn|info\w*|dibuka|buka|bukak|cara\w*|gimana|bagaimana|syarat\w*|daftar|mendaftar|"
    r"where|when|how|any|is\s+there|are\s+there|apply|open)\b")
# A complaint about recruitment: money asked, a promise bought, a fake opening, unfairness.
_COMPLAINT = re.compile(
    r"\b(?:calo|bayar\w*|uang|duit|pungli|pungut\w*|penipuan|penipu|tipu\w*|palsu|abal\w*|hoax|hoaks|dijanjikan|janji\w*|"
    r"curang|kecurangan|nepotisme|orang\s+dalam|titipan|transparan|susah|sulit|angel|tidak\s+pernah|gak\s+pernah|"
    r"ga\s+pernah|nggak\s+pernah|diskriminasi|ditolak|gagal|scam|fake|bribe\w*|paid|pay)\b")


def asks_jobs(text: str) -> bool:
    """A short question about job openings or civil-service recruitment, not a complaint about them."""
    low = u.plain(text)
    words = low.split()
    return (0 < len(words) <= JOB_WORDS and bool(_JOBS.search(low)) and not _COMPLAINT.search(low)
            and (u.is_question(text) or bool(_ASKS.search(low))))


def answer_jobs(turn: Turn, text: str, parse: dict[str, Any] | None) -> None:
    """Where openings are announced; and this year's dates, which only the office knows, offered as a question to it
    (actions/question.py), as any question no FAQ answers."""
    from actions import question  # (question imports the complaint flow, which imports this module's siblings)

    turn.say("jobs_answer", regency=turn.directory.regency_name)
    question.offer(turn, text, parse, lead="jobs_ask_office")


REPORT_WORDS = 30
# Someone from elsewhere: "warga kabupaten sebelah", "bukan warga sini", "KTP saya luar daerah", "I live in the next
# regency", "I'm not from here".
_ELSEWHERE = re.compile(
    r"\b(?:warga|penduduk|tinggal|domisili|ktp)\s+(?:di\s+)?(?:kabupaten|kab|kota|daerah|luar|desa|kecamatan)?\s*"
    r"(?:sebelah|lain|tetangga|luar\s+(?:kota|daerah|kabupaten))\b"
    r"|\bbukan\s+(?:warga|penduduk|orang)\s+(?:sini|asli\s+sini|kabupaten\s+ini|daerah\s+ini)\b"
    r"|\b(?:ktp|alamat)\s+(?:saya\s+|sy\s+)?(?:luar|bukan)\b"
    r"|\b(?:live|living|from)\s+(?:in\s+)?(?:the\s+|a\s+)?(?:next|neighbou?ring|another|other|different)\s+"
    r"(?:regency|city|town|district|province)\b|\bnot\s+(?:a\s+)?(?:resident|from\s+here|local)\b")
# Asking whether they may report: "bisa lapor?", "boleh mengadu di sini?", "can I report here?"
_MAY_REPORT = re.compile(
    r"\b(?:bisa|boleh|dapat|apakah|apa)\b(?:\s+\S+){0,3}?\s+(?:lapor|melapor|laporan|mengadu|ngadu|aduan|adukan|"
    r"laporkan)\b|\bcan\s+i\s+(?:\w+\s+)?(?:report|complain|use)\b|\b(?:may|allowed\s+to)\s+(?:i\s+)?report\b")


# "jalan di kabupaten sebelah rusak parah", "the road in the next regency is broken": the matter is in another
# regency's territory (thirty-third trial: routed to Dinas PUPR)
_OTHER_TERRITORY = re.compile(
    r"\b(?:di|ke|wilayah|masuk|daerah)\s+(?:kabupaten|kab|kota|pemkab|pemkot)\s+(?:sebelah|lain|tetangga)\b"
    r"|\b(?:in|of)\s+(?:the\s+)?(?:next|neighbou?ring|another|other)\s+(?:regency|city|town)\b")


def problem_elsewhere(text: str) -> bool:
    """A problem told as lying in another regency or city (not a resident of elsewhere asking to report here)."""
    low = u.plain(text)
    return 0 < len(low.split()) <= REPORT_WORDS and bool(_OTHER_TERRITORY.search(low))


def asks_from_elsewhere(text: str) -> bool:
    """Someone from another regency asking whether they may report here (not yet telling what happened)."""
    low = u.plain(text)
    return (0 < len(low.split()) <= REPORT_WORDS and bool(_ELSEWHERE.search(low)) and bool(_MAY_REPORT.search(low))
            and not _TELLS_WHAT.search(low) and not asks_others_reports(text))


# "dimana saya bisa lihat aduan warga lain?", "can I see other people's complaints?" (twenty-ninth trial: answered
# as someone from another regency asking whether they may report here)
_OTHERS_REPORTS = re.compile(
    r"\b(?:aduan|laporan|pengaduan|keluhan)\w*\s+(?:\S+\s+)?(?:warga|orang|masyarakat|penduduk)\s+(?:lain|lainnya)\b"
    r"|\b(?:aduan|laporan|pengaduan)\s+(?:yang\s+|yg\s+)?(?:lain|lainnya|masuk|publik)\b(?=.*\b(?:lihat|liat|melihat|cek|"
    r"baca|tampil\w*)\b)"
    r"|\b(?:other|others)\s*(?:people\s*'?s?\s+|residents\s*'?\s+)?(?:complaints|reports)\b"
    # "di mana saya bisa lihat semua aduan warga?", "can I see all the complaints?" (fortieth trial: offered to the
    # offices as a question)
    r"|\b(?:semua|seluruh|daftar)\s+(?:aduan|laporan|pengaduan|keluhan)(?:\s+(?:dari\s+)?(?:warga|masyarakat|publik))?\b"
    r"(?!\s+(?:saya|sy|aku|kami|kula))"
    r"|\ball\s+(?:the\s+)?(?:complaints|reports)\b")
_SEE = re.compile(r"\b(?:lihat|liat|melihat|dilihat|cek|baca|membaca|tampil\w*|buka|akses|see|view|read|look|find)\b")
OTHERS_WORDS = 14


def asks_others_reports(text: str) -> bool:
    low = u.plain(text)
    return 0 < len(low.split()) <= OTHERS_WORDS and bool(_OTHERS_REPORTS.search(low)) and bool(_SEE.search(low))


def answer_others_reports(turn: Turn) -> None:
    """Others' complaints are theirs and their officers'; the public page (when the regency opens it) shows the
    public ones on a map, without names, words or numbers; a resident with the same problem reports it and may join."""
    from actions.letters import public_base  # (letters imports most actions: lazy)

    buttons = [turn.button("menu_complaint", "/aduan")]
    if turn.services.settings.web.public_page:
        turn.say("others_reports_public", buttons, url=f"{public_base(turn.services)}/transparansi")
    else:
        turn.say("others_reports_private", buttons)


# Words of what happened ("jalan … rusak parah"): the complaint is being told, and is read as one.
_TELLS_WHAT = re.compile(r"\b(?:rusak|ruksak|mati|banjir|longsor|menumpuk|bau|macet|tumbang|bocor|pungli|sampah|"
                         r"lubang|berlubang|broken|pothole|flood\w*|damaged|garbage|rubbish)\b")


def answer_from_elsewhere(turn: Turn) -> None:
    turn.say("report_from_elsewhere", [turn.button("menu_complaint", "/aduan")], regency=turn.directory.regency_name)


WHO_WORDS = 16


def asks_who_comes(text: str) -> bool:
    """"kalau saya lapor nanti yang datang ngecek siapa?": who follows a complaint up (none filed yet)."""
    from actions.complaint import WHO_COMES  # (complaint imports the modules this one is beside: lazy)

    low = u.plain(text)
    return 0 < len(low.split()) <= WHO_WORDS and u.is_question(text) and bool(WHO_COMES.search(low)
                                                                               or _VISIT_ASKED.search(low))


# "bisa minta tolong bapak datang ke rumah saya?", "can someone come to my house?" (thirty-second trial: unsure topics)
_VISIT_ASKED = re.compile(r"\b(?:datang|dateng|mampir|berkunjung|ke)\s+(?:ke\s+)?(?:rumah|tempat|lokasi)\s+"
                          r"(?:saya|kami|sy)\b|\bcome\s+(?:to|over\s+to)\s+my\s+(?:house|home|place)\b")


def answer_who_comes(turn: Turn) -> None:
    turn.say("who_follows_up", [turn.button("menu_complaint", "/aduan")])


# "bisa lapor lewat telepon?", "ada nomor telepon untuk pengaduan?", "can I report by SMS?": which ways in this
# service has (twenty-seventh trial: "lewat telepon" was offered FAQs on SP4N-LAPOR!, privacy and ambulances)
_CHANNEL_WORDS = {
    "phone": r"telepon|telpon|telp|tlp|tilpun|nelpon|menelepon|ditelepon|call|phone|calling|hotline",
    "sms": r"sms",
    "whatsapp": r"whatsapp|wa|whatsap|watsap",
    "telegram": r"telegram|tele",
    "email": r"email|e-mail|surel|surat\s+elektronik",
}
_BY_CHANNEL = re.compile(
    r"\b(?:lapor|melapor|laporan|aduan|pengaduan|mengadu|ngadu|report|complain|complaint)\w*\b.*?\b(?:lewat|via|melalui|"
    r"pakai|pake|pakek|dengan|dgn|lwt|by|through|over\s+the|on)\s+(?P<via>" + "|".join(_CHANNEL_WORDS.values()) + r")\b"
    r"|\bnomor\s+(?P<line>telepon|telpon|telp|tlp|hotline|wa|whatsapp)\s+(?:untuk|buat|utk|pengaduan|aduan|lapor)\b"
    r"|\bcan\s+i\s+(?P<call>call|phone)\b"
    # "kalau lewat telegram bisa?" after "apakah aduan bisa lewat sms?" (thirtieth trial: FAQs to pick from)
    r"|^(?:kalau|kalo|klo|terus|trus|lalu|how\s+about|what\s+about)\s+(?:lewat|via|melalui|pakai|pake|by|through|on)?\s*"
    r"(?P<then>" + "|".join(_CHANNEL_WORDS.values()) + r")\b(?:\s+(?:bisa|bisakah|boleh|juga|gimana|bagaimana|ya|"
    r"gak|nggak|tidak))*$")
CHANNEL_WORDS = 14


# "minggu lalu saya lapor via telepon ke call center, sudah dicatat belum?": a report made another way, asked after
# (thirty-second trial: told that reporting by phone is possible)
_REPORTED_BEFORE = re.compile(r"\b(?:sudah|udah|udh|sdh|pernah|kemarin|kemaren|minggu\s+lalu|bulan\s+lalu|tadi|already|"
                              r"last\s+week|yesterday)\b.{0,40}?\b(?:lapor|melapor|ngadu|mengadu|reported|called|rang)\b")
_RECORDED = re.compile(r"\b(?:dicatat|tercatat|masuk|diterima|sampai|ditindaklanjuti|diproses|recorded|received|"
                       r"logged)\b")


def asks_after_channel_report(text: str) -> bool:
    low = u.plain(text)
    return (0 < len(low.split()) <= CHANNEL_WORDS and u.is_question(text) and _BY_CHANNEL.search(low) is not None
            and bool(_REPORTED_BEFORE.search(low)) and bool(_RECORDED.search(low)))


def channel_asked(text: str) -> str | None:
    """The way in a short question asks about ("phone", "sms", "whatsapp", "telegram", "email"), or None."""
    low = u.plain(text)
    if not 0 < len(low.split()) <= CHANNEL_WORDS or not u.is_question(text) and not low.startswith(("bisa", "boleh")):
        return None
    if asks_after_channel_report(text):
        return None  # (asked after a report made that way: resident's own, dialogue answers it)
    found = _BY_CHANNEL.search(low)
    if found is None:
        return None
    word = found.group("via") or found.group("line") or found.group("call") or found.group("then") or ""
    return next((name for name, words in _CHANNEL_WORDS.items() if re.fullmatch(words, word)), None)


# "can you notify me by email too?", "bisa dikabari lewat email?", "updatenya kirim ke email saya ya" (thirty-sixth
# trial: offered to the offices as a question): the news comes to the chat the complaint came from, not by e-mail
_NOTICE_BY_EMAIL = re.compile(
    r"\b(?:notify|notif\w*|notification\w*|kabar\w*|dikabari|dikabarin|kabari|kabarin|update\w*|info\w*|inform\w*|"
    r"pemberitahuan|balasan\w*|jawaban\w*|send|sent|kirim\w*|dikirim\w*)\b.{0,40}?\b(?:email|e-mail|surel|gmail)\b")
NOTICE_WORDS = 14


def asks_notice_by_email(text: str) -> bool:
    low = u.plain(text)
    return 0 < len(low.split()) <= NOTICE_WORDS and bool(_NOTICE_BY_EMAIL.search(low))


def answer_channel(turn: Turn, channel: str) -> None:
    """Whether that way is open here, and the ways that are: this chat always, and each channel switched on."""
    settings = turn.services.settings
    ways = {"whatsapp": settings.whatsapp.enabled, "telegram": settings.telegram.enabled, "sms": settings.sms.enabled}
    names = [turn.t(f"channel_name_{name}") for name, on in ways.items() if on] + [turn.t("channel_name_web")]
    open_ways = ", ".join(names)
    buttons = [turn.button("menu_complaint", "/aduan")]
    if channel in ways and ways[channel]:
        turn.say("channel_open", buttons, channel=turn.t(f"channel_name_{channel}"), ways=open_ways)
    elif channel == "phone" and turn.directory.contact:  # the regency's call centre, beside this chat
        turn.say("channel_phone_call_centre", buttons, ways=open_ways, contact=turn.directory.contact)
    elif channel == "phone":
        turn.say("channel_phone", buttons, ways=open_ways)
    else:
        turn.say("channel_closed", buttons, channel=turn.t(f"channel_name_{channel}"), ways=open_ways)


# "siapa presiden indonesia sekarang?", "skor timnas semalam berapa?": general knowledge, no public service of the
# regency (twenty-seventh trial: the first was offered as a question to Disperkim, Disperindag or Dinas Pendidikan)
_GENERAL = re.compile(
    r"\b(?:presiden|wakil\s+presiden|wapres|president|ibu\s*kota\s+negara|capital\s+city|skor|score|timnas|"
    r"sepak\s*bola|football|liga|piala\s+dunia|world\s+cup|harga\s+emas|kurs|nilai\s+tukar|exchange\s+rate|bitcoin|"
    r"crypto|saham|resep|recipe|zodiak|ramalan|horoskop|lirik|lyrics|film\s+terbaru|jadwal\s+(?:bola|film|tv)|"
    r"prakiraan\s+cuaca|weather|cuaca)\b")
_REGENCY = re.compile(r"\b(?:pemkab|pemda|kabupaten|kab|bupati|dinas|desa|kecamatan|jalan|sekolah|puskesmas)\b")
GENERAL_WORDS = 12


def general_knowledge(text: str) -> bool:
    """A short question on national news, sport, money markets, the weather and the like, with nothing of the
    regency's services in it."""
    low = u.plain(text)
    return (0 < len(low.split()) <= GENERAL_WORDS and bool(_GENERAL.search(low)) and not _REGENCY.search(low)
            and (u.is_question(text) or bool(re.search(r"\b(?:siapa|berapa|apa|kapan|who|what|how)\b", low))))


# "berapa aduan yang sudah masuk bulan ini?", "dinas mana yang paling lambat?", "how many complaints were there this
# month?": the public's question on the figures (twenty-ninth trial: the status FAQ, and a complaint about the slow
# office begun). Not their own ("berapa aduan saya?" lists theirs).
_FIGURES = re.compile(
    r"\b(?:berapa|brp)\s+(?:banyak\s+|jumlah\s+|total\s+)?(?:aduan|laporan|pengaduan|keluhan)\w*\b"
    r"|\b(?:jumlah|total|statisti[ck]\w*|rekap\w*|data)\s+(?:aduan|laporan|pengaduan|keluhan)\b"
    r"|\b(?:dinas|opd|instansi|kantor)\s+(?:mana|apa)\s+(?:saja\s+)?(?:yang\s+|yg\s+)?(?:paling\s+|ter)"
    r"(?:lambat|lama|lelet|cepat|cepet|banyak|sedikit|bagus|baik|buruk|jelek|malas|males|responsif|rajin)\b"
    r"|\bhow\s+many\s+complaints\b|\bwhich\s+(?:office|agency|department)\s+is\s+(?:the\s+)?(?:slowest|fastest|"
    r"worst|best)\b|\bcomplaints?\s+(?:statistics|figures|numbers)\b"
    # "aduan paling banyak tentang apa?", "what do people complain about most?" (thirty-second trial: offered to the
    # offices as a question)
    r"|\b(?:aduan|laporan|pengaduan|keluhan)\w*\s+(?:yang\s+|yg\s+)?(?:paling\s+banyak|terbanyak)\b"
    r"|\b(?:paling\s+banyak|terbanyak|paling\s+sering)\s+(?:di)?(?:adukan|laporkan|keluhkan)\b"
    r"|\bmost\s+(?:common\s+)?complaints?\b|\bcomplain\w*\s+about\s+most\b")
_OWN = re.compile(r"\b(?:saya|sy|aku|ku|kula|gue|gw|my|mine)\b|\b\w+ku\b")
FIGURES_WORDS = 14
FIGURES_DAYS = 30


def asks_figures(text: str) -> bool:
    low = u.plain(text)
    return (0 < len(low.split()) <= FIGURES_WORDS and bool(_FIGURES.search(low)) and not _OWN.search(low)
            and (u.is_question(text) or low.startswith(("berapa", "brp", "jumlah", "dinas", "how", "which"))))


async def answer_figures(turn: Turn) -> None:
    """The last thirty days' totals and the transparency page where each office's figures are public; when the
    regency keeps that page off, the figures are not given here, and the public-information request (PPID) is."""
    from actions.letters import public_base  # (letters imports most actions: lazy)
    from actions.oversight import Period, oversight

    services = turn.services
    buttons = [turn.button("menu_status", "/status"), turn.button("menu_complaint", "/aduan")]
    if not services.settings.web.public_page:
        turn.say("public_figures_closed", buttons, regency=turn.directory.regency_short)
        return
    period = Period.last_days(services.calendar, turn.now, FIGURES_DAYS)
    figures = await oversight(services.store, services.calendar, turn.now, period,
                              opd_ids=list(services.directory.opds))
    turn.say("public_figures", buttons, days=FIGURES_DAYS, received=figures.total.received,
             resolved=figures.total.resolved, open=figures.total.open,
             url=f"{public_base(services)}/transparansi")
