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


def asks_from_elsewhere(text: str) -> bool:
    """Someone from another regency asking whether they may report here (not yet telling what happened)."""
    low = u.plain(text)
    return (0 < len(low.split()) <= REPORT_WORDS and bool(_ELSEWHERE.search(low)) and bool(_MAY_REPORT.search(low))
            and not _TELLS_WHAT.search(low))


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
    return 0 < len(low.split()) <= WHO_WORDS and u.is_question(text) and bool(WHO_COMES.search(low))


def answer_who_comes(turn: Turn) -> None:
    turn.say("who_follows_up", [turn.button("menu_complaint", "/aduan")])
