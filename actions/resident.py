"""What a resident does besides filing: questions, status, answering officers, rating, reopening,
and writing to the regent."""

from __future__ import annotations

import difflib
import logging
import re
from collections.abc import Awaitable, Callable
from datetime import date, datetime, timedelta
from typing import Any

from actions import duplicates, question
from actions import understand as u
from actions.base import STAFF_ROLES, Turn, command, find_ticket_number, without_ticket_numbers
from actions.common import (
    WITHDRAW_REQUESTED,
    WITHDRAW_RETRACTED,
    WITHDRAWN,
    format_date,
    handler_name,
    mark_last_in,
    notify_staff_of_ticket,
    opd_name,
    operator_recipients,
    own_ticket_named,
    regent_recipients,
    reporter_label,
    staff_lang,
    stamped_within,
    status_name,
    subject_name,
    topic_name,
    worded,
)
from actions.complaint import (
    CURSES,
    EXTORTION_TOPIC,
    NEEDS_ID_WORDS,
    PROBLEM_WORDS,
    TO_REPORT,
    asked_for_money,
    cannot_type,
    keep_attachments,
    match_topics,
    name_hidden,
    new_ticket_number,
    office_named,
    place_in_list,
    place_in_text,
    shorten,
    start_from_text,
    start_on_topic,
    without_privacy_wish,
)
from actions.draft import ComplaintDraft
from actions.on_behalf import behalf_name, numbered
from actions.question import is_information_request
from bot.directory import Opd
from bot.logging_setup import mask_nik_in
from bot.message import Button, Reply
from bot.store.base import (
    LETTER_KIND,
    OPEN_STATUSES,
    ROLE_REGENT,
    STATUS_ARCHIVED,
    STATUS_CLOSED,
    STATUS_DONE,
    STATUS_IN_PROGRESS,
    STATUS_NEW,
    STATUS_TRIAGE,
    Ticket,
    TicketEvent,
)
from nlu.result import ParseResult
from nlu.router import agencies_of

FAQ_CONFIDENT = 0.5
# Below this, the FAQs likeliest for a question are near random ("dimana bisa buang sampah elektronik?" offered ID
# cards, driving licences and immunisation: thirty-fifth trial): the office that knows is asked instead
FAQ_PICKS_FLOOR = 0.2
REGENT_SLA_DAYS = 5
REPLY_MODE_DAYS = 14  # an officer's question stays open for the resident's answers this long
REOPEN_DAYS = 14  # a finished ticket can be reopened in words this long (the rating window)
# "Ada komentar atau saran?" after a rating waits this long: "pak lubangnya muncul lagi" two days later is news for
# the officer (it reopens the ticket), not a comment on the rating
RATING_COMMENT_MINUTES = 60
MY_TICKETS = 10
ACTIVITY_DAYS = 3  # an officer's recent work on the latest ticket makes a resident's words likely about it
REGENT_MIN_WORDS = 3


def example_number(turn: Turn) -> str:
    return f"{turn.directory.ticket_prefix}-{turn.now.astimezone(turn.services.calendar.tz):%y%m}-0042"


# --- questions (FAQ) ------------------------------------------------------------------------------
def answer_faq(turn: Turn, parse: dict[str, Any]) -> None:
    key, confidence, ranking = u.faq_selection(parse)
    if key and (confidence >= FAQ_CONFIDENT or len(ranking) < 2):
        say_faq(turn, key)
        if (turn.identity.role not in STAFF_ROLES and question.is_question(turn.message.text)
                and _THIS_TIME.search(u.plain(turn.message.text))):
            # "apakah ada program bedah rumah tahun ini?": the FAQ says how it is had, not whether it runs now, which
            # only the office knows; asking it is offered beside the answer (as for this year's recruitment dates)
            question.offer(turn, turn.message.text, parse, lead="faq_time_ask_office")
        return
    options = [k for k in ranking[:3] if k in turn.services.faq_answers]
    asked = question.is_question(turn.message.text) and turn.identity.role not in STAFF_ROLES
    if asked and (_WHEN_HELD.search(u.plain(turn.message.text)) or confidence < FAQ_PICKS_FLOOR):
        # "kapan ada pasar murah?" with no FAQ sure of it (thirty-fifth trial: FAQs on elections, school admission and
        # ambulances to pick from): when a programme runs only its office knows, so that office is asked
        question.offer(turn, turn.message.text, parse)
        return
    if not options:
        if asked:  # no answer here: the office that knows is asked instead
            question.offer(turn, turn.message.text, parse)
            return
        turn.say("faq_missing", turn.menu_buttons())
        return
    buttons = [Button(_faq_title(turn, k), f"faq:{k.split('/', 1)[1]}") for k in options]
    if asked:  # none of these? the office that knows is asked instead
        question.remember(turn, turn.message.text, parse)
        buttons.append(turn.button("question_ask_office_button", "/tanyakan pilih"))
    turn.say("faq_unsure", buttons)


# When, or whether this year: what an FAQ does not hold ("… tahun ini?", "kapan dibuka?", "masih ada kuotanya?")
_THIS_TIME = re.compile(r"\b(?:tahun\s+ini|tahun\s+depan|tahun\s+20\d\d|bulan\s+ini|bulan\s+depan|kapan\s+(?:di)?buka|"
                        r"sudah\s+dibuka|masih\s+dibuka|dibuka\s+lagi|kapan\s+(?:pendaftaran|jadwal|cair|pencairan)\w*|"
                        r"jadwal\w*|gelombang|kuota\w*|this\s+year|next\s+year|this\s+month)\b")


# "kapan ada pasar murah?", "kapan diadakan vaksinasi gratis lagi?", "when is there a free health check?"
_WHEN_HELD = re.compile(r"^(?:\S+\s+){0,3}?kapan\s+(?:lagi\s+)?(?:ada|diadakan|dibuka|digelar|dilaksanakan|dimulai|"
                        r"mulai|buka)\b|\bwhen\s+(?:is|will)\s+(?:there|the\s+next)\b")


# "kalau ada jalan rusak lapornya kemana ya?", "where do I report a broken street light?": the resident asks where a
# complaint goes; the answer is the office, and that it can be reported right here.
_RESPONSIBLE = (r"\b(?:tanggung\s*jawab|tanggungjawab|wewenang|kewenangan|urusan|tugas)(?:nya)?\s+(?:siapa|dinas\s+apa|"
                r"instansi\s+apa|opd\s+apa|mana)\b|\bsiapa\s+(?:yang|yg)\s+(?:bertanggung\s*jawab|berwenang|ngurus|"
                r"mengurus|menangani|tanggung\s*jawab)\b|\bwho\s+is\s+responsible\b|\bwhose\s+(?:responsibility|job)\b")


def asks_responsible(text: str) -> bool:
    """"… itu tanggung jawab siapa?", "who is responsible for …?": which office a matter is, asked."""
    return u.is_question(text) and bool(re.search(_RESPONSIBLE, u.plain(text)))


_WHERE_TO_REPORT = re.compile(
    r"\b(?:lapor|lapornya|laporkan|melapor|melaporkannya|mengadu|ngadu|ngadunya|aduin|adukan|diadukan|dilaporkan)\s+"
    r"(?:ke\s*)?(?:mana|siapa|dimana)\b|\bke\s*mana\s+(?:saya\s+)?(?:harus\s+|bisa\s+|mesti\s+)?(?:lapor|mengadu|ngadu|"
    r"melapor)\b|\bwhere (?:do|can|should) i (?:report|complain)\b|\bwho (?:do|should|can) i (?:report|complain) to\b"
    # "kalau jalan desa rusak itu tanggung jawab siapa ya? desa atau kabupaten?" (thirty-sixth trial: filed)
    r"|" + _RESPONSIBLE +
    # "mau lapor gimana caranya?", "lapor gmn ya min", "how do I file a complaint?"
    r"|^(?:(?:saya|sy|aku|kalau|kalo|klo|mau|ingin|pengen|pingin|bisa|arep)\s+)*(?:lapor|melapor|mengadu|ngadu|"
    r"bikin\s+aduan|buat\s+aduan|bikin\s+laporan|buat\s+laporan)\s+(?:gimana|bagaimana|gmn|gmana|piye|pripun)"
    r"(?:\s+(?:caranya|carane|ya|yah|pak|bu|kak|min|sih))*$"
    r"|^(?:\S+\s+){0,2}?cara\s+(?:lapor|melapor|mengadu|ngadu|buat\s+aduan|bikin\s+aduan|membuat\s+aduan)\s*$"
    # "piye carane lapor?", "gimana caranya melapor ya min?" (thirty-fourth trial: FAQs to pick from)
    r"|^(?:\S+\s+){0,2}?(?:gimana|bagaimana|gmn|gmana|piye|pripun|kepiye|kados\s+pundi)\s+(?:caranya|carane|cara|"
    r"caranipun)\s+(?:lapor|melapor|mengadu|ngadu|buat\s+aduan|bikin\s+aduan|membuat\s+aduan|matur|nglaporake)"
    r"(?:\s+(?:ya|yah|pak|bu|min|kak|sih|mas|mbak|nggih|dhik|lur))*\s*$"
    r"|\bhow\s+(?:do|can)\s+i\s+(?:report|complain|file\s+a\s+complaint|make\s+a\s+complaint)\s*$"
    # "siapa yang menangani sampah?", "dinas apa yang ngurus PJU?", "who handles garbage collection?"
    r"|\b(?:siapa|dinas\s+apa|instansi\s+apa|kantor\s+apa|opd\s+apa|dinas\s+mana|instansi\s+mana)\s+(?:sih\s+)?"
    r"(?:yang\s+|yg\s+)?(?:menangani|mengurus|mengurusi|ngurus|ngurusi|nangani|bertanggung\s*jawab|berwenang)\b"
    r"|\b(?:who|which\s+(?:office|agency|department))\s+(?:handles|deals\s+with|is\s+responsible\s+for|takes\s+care"
    r"\s+of|looks\s+after|is\s+in\s+charge\s+of|fixes|repairs)\b"
)


WHERE_ANY_WORDS = 6  # "kemana saya harus lapor ya pak?": longer, the question is about something in particular
WHERE_QUESTION_WORDS = 12  # longer, a message that asks where to report tells what happened: it is the report


_PROCEDURE = re.compile(r"\b(?:prosedur|alur|tata\s+cara|mekanisme|langkah)\s+(?:\S+\s+)?(?:pengaduan|aduan|melapor|"
                        r"lapor|pelaporan|mengadu)\b|\b(?:complaint|reporting)\s+(?:procedure|process)\b")


def asks_procedure(text: str) -> bool:
    """"saya ingin menanyakan prosedur pengaduan pelayanan publik di kabupaten ini": how to report, no matter told."""
    low = u.plain(text)
    return len(low.split()) <= PROCEDURE_WORDS and bool(_PROCEDURE.search(low)) and not PROBLEM_WORDS.search(low)


PROCEDURE_WORDS = 25


def answer_procedure(turn: Turn) -> None:
    turn.say("where_to_report_here", [turn.button("menu_complaint", "/aduan"), turn.button("menu_status", "/status")])


def answer_where_to_report(turn: Turn, parse: dict[str, Any]) -> bool:
    """Say which office handles what the question is about and offer to report it here; False when the question
    is not that, or its subject is unclear."""
    low = u.plain(turn.message.text)
    if not _WHERE_TO_REPORT.search(low):
        return False
    routing = ParseResult.from_dict(parse).routing
    if routing is None or routing.confidence < FAQ_CONFIDENT or routing.topic not in turn.directory.routing:
        if len(u.plain(turn.message.text).split()) > WHERE_ANY_WORDS:
            return False
        # "lapor kemana ya?", "where can I report?": no subject to name an office for; it is reported right here
        turn.say("where_to_report_here", [turn.button("menu_complaint", "/aduan"),
                                          turn.button("menu_status", "/status")])
        return True
    turn.say("where_to_report", [turn.button("menu_complaint", "/aduan")], topic=topic_name(turn, routing.topic),
             opd=opd_name(turn, routing.id))
    return True


# "kalau mau lapor ke dinas kesehatan soal puskesmas yang tutup siang gimana caranya?", "how can I report the broken
# bridge in Sooko?": how to report, with the matter already told; it is reported right here, starting now.
_HOW_TO_REPORT_THIS = re.compile(
    r"\b(?:mau|ingin|pengen|pingin|hendak|bisa|arep|badhe|ajeng)\s+(?:lapor|melapor|mengadu|ngadu|melaporkan|"
    r"mengadukan|ngelapor|laporan|lapur)\b.*\b(?:gimana|bagaimana|gmn|gmana|piye|pripun|kepiye|kados\s+pundi)"
    r"(?:\s+(?:caranya|carane|prosedure?nya|ya|yah|nih|pak|bu|kak|min))*$"
    r"|\b(?:gimana|bagaimana|gmn|gmana|piye|pripun)\s+(?:caranya|carane|cara)\s+(?:lapor|melapor|mengadu|ngadu|"
    r"melaporkan|mengadukan)\s+(?:(?:soal|tentang|masalah|perihal|kalau|kalo|ada)\s+)?\S+"
    r"|\bhow\s+(?:do|can|should)\s+i\s+(?:report|complain\s+about)\s+(?:the|a|an|this|my|our)\s+\S+")
# shorter, it names no matter ("mau lapor gimana caranya?"): the way is explained ("kalau mau lapor jalan rusak
# gimana?", six words, names one: thirtieth trial, FAQs on ticket status came; the routing's confidence guards it)
HOW_TO_REPORT_MIN_WORDS = 5


def how_to_report_outside(turn: Turn, text: str, parse: dict[str, Any]) -> bool:
    """"bagaimana cara lapor penipuan online?": how to report a matter another authority handles (thirty-second
    trial: FAQs on ticket status to pick from); who handles it, and how (directory `external`)."""
    low = u.plain(text)
    if len(low.split()) < HOW_TO_REPORT_MIN_WORDS or not _HOW_TO_REPORT_THIS.search(low):
        return False
    routing = ParseResult.from_dict(parse).routing
    outside = turn.directory.external.get(routing.topic) if routing is not None else None
    if outside is None or routing is None or routing.confidence < FAQ_CONFIDENT:
        return False
    turn.say("outside_authority", how=outside.how.get(turn.lang) or outside.how["id"])
    return True


def how_to_report_this(turn: Turn, text: str, parse: dict[str, Any]) -> bool:
    """The resident asks how to report something and says what ("… soal puskesmas yang tutup siang gimana
    caranya?"), and the words name an office clearly: the complaint is started from them."""
    low = u.plain(text)
    if len(low.split()) < HOW_TO_REPORT_MIN_WORDS or not _HOW_TO_REPORT_THIS.search(low):
        return False
    routing = ParseResult.from_dict(parse).routing
    return routing is not None and routing.confidence >= FAQ_CONFIDENT and routing.topic in turn.directory.routing


# "Is this the right place to report a problem?", "can I use this service?", "bisa lapor di sini?": whether this chat
# takes their report, however long the introduction before it ("hi, I'm an expat living in Sooko village. ...")
_RIGHT_PLACE = re.compile(
    r"\bis\s+this\s+(?:the\s+)?(?:right|correct|proper)\s+(?:place|channel|service|number)\s+(?:to|for)\b"
    r"|\bcan\s+i\s+(?:use|report\s+(?:here|through|via|on)|complain\s+here)\b|\bdo\s+you\s+(?:take|accept)\s+"
    r"(?:reports|complaints)\b|\b(?:bisa|boleh)\s+(?:lapor|melapor|mengadu|ngadu)\s+(?:di\s*sini|disini|lewat\s+sini|ke\s+sini)\b"
    r"|\b(?:apakah|apa)\s+(?:benar\s+)?(?:di\s*sini|disini)\s+(?:bisa|tempat|untuk)\s+(?:lapor|melapor|mengadu|aduan)\b"
    # "lapor jalan rusak bisa lewat sini?" (forty-second trial: the FAQ on SP4N-LAPOR!)
    r"|\b(?:lapor|melapor|mengadu|ngadu|aduan|laporan)\b.{0,40}\b(?:bisa|boleh|bs)\s+(?:di\s*sini|disini|lewat\s+sini|"
    r"ke\s+sini|(?:lewat|via|di)\s+(?:chat|wa|bot|layanan)\s+ini)\b")
RIGHT_PLACE_MAX_WORDS = 30  # longer, the message tells what happened: it is read as the complaint


def answer_right_place(turn: Turn, parse: dict[str, Any]) -> bool:
    """Yes, here: with the office when the question names what it is about, else how to report here."""
    text = u.plain(turn.message.text)
    if len(text.split()) > RIGHT_PLACE_MAX_WORDS or not _RIGHT_PLACE.search(text):
        return False
    routing = ParseResult.from_dict(parse).routing
    if routing is not None and routing.confidence >= FAQ_CONFIDENT and routing.topic in turn.directory.routing:
        turn.say("where_to_report", [turn.button("menu_complaint", "/aduan")], topic=topic_name(turn, routing.topic),
                 opd=opd_name(turn, routing.id))
        return True
    turn.say("where_to_report_here", [turn.button("menu_complaint", "/aduan"), turn.button("menu_status", "/status")])
    return True


def _faq_title(turn: Turn, key: str) -> str:
    title_key = f"faq_title_{key.split('/', 1)[1]}"
    if turn.texts.has(title_key):
        return turn.t(title_key)
    return key.split("/", 1)[1].replace("_", " ").upper() if len(key) < 20 else key.split("/", 1)[1].replace("_", " ")


def say_faq(turn: Turn, key: str) -> None:
    answers = turn.services.faq_answers.get(key)
    if not answers:
        turn.say("faq_missing", turn.menu_buttons())
        return
    turn.replies.append(Reply(answers.get(turn.lang) or answers["id"]))
    turn.state[LAST_FAQ] = {"key": key, "at": turn.now.isoformat()}


LAST_FAQ = "last_faq"  # the question answered last, and when: a short follow-up is about it
FAQ_CONTEXT_MINUTES = 30
FAQ_FOLLOW_UP_WORDS = 10  # "kalau sudah lewat 60 hari kena denda gak?" after the birth-certificate answer


async def answer_question(turn: Turn, parse: dict[str, Any]) -> None:
    """A question for the FAQ. "brp lama jadinya?", "bayar gk?", "kantornya dmn" right after the birth-certificate
    answer are about birth certificates: a short question the FAQ is unsure about is read with the subject of the
    answer before it (not as building approval, property tax or scholarships)."""
    if not await _answer_follow_up(turn, parse):
        answer_faq(turn, parse)


async def faq_follow_up(turn: Turn, parse: dict[str, Any]) -> bool:
    """A short question just after an answer ("kalau anaknya sudah umur 5 tahun?" after the birth-certificate one)
    that the model reads as a complaint it is unsure of: answered as a follow-up when, read with the subject of
    that answer, it is about the same thing. False otherwise (a complaint named surely stays one)."""
    routing = ParseResult.from_dict(parse).routing
    if not u.is_question(turn.message.text):
        return False
    if routing is not None and routing.confidence >= turn.directory.route_threshold:
        return await _follow_up_elsewhere(turn)
    text = turn.message.text.strip()
    if not _FOLLOW_UP_LEAD.match(u.plain(text)) and await _answer_follow_up(turn, parse):
        return True  # ("kalau anaknya sudah umur 5 tahun?" is a case the answer just given did not cover: below)
    last = _fresh_faq(turn)
    if last is None or not _FOLLOW_UP_LEAD.match(u.plain(text)) or len(text.split()) > FAQ_FOLLOW_UP_WORDS:
        return False
    # "kalau anaknya sudah umur 5 tahun?": a follow-up the answers here do not cover; asked of the office, with
    # its subject so the officer reads it whole (not filed as a complaint on an unsure topic)
    subject = _faq_title(turn, last)
    asked = f"{subject}: {text}"
    question.offer(turn, asked, await turn.services.nlu.parse(asked[:1000]), lead="faq_follow_up_offer",
                   from_complaint=True)
    return True


async def _follow_up_elsewhere(turn: Turn) -> bool:
    """"kalau pindah dari luar kota?" just after the answer on a new KK, read surely as a complaint on moving in
    (fortieth trial: one began): a "kalau …?" question goes on from the answer, so it is read as "bagaimana kalau …?"
    and answered by the FAQ that is sure of it, when that FAQ is also among the likely ones read with the subject of
    the answer before. False otherwise (a complaint named surely stays one)."""
    last = _fresh_faq(turn)
    text = turn.message.text.strip()
    lead = _FOLLOW_UP_LEAD.match(u.plain(text))
    if last is None or lead is None or len(text.split()) > FAQ_FOLLOW_UP_WORDS or not lead.group(0).endswith(
            ("kalau", "kalo", "klo", "kl", "jika", "bila", "apabila")):
        return False
    key, confidence, _ = u.faq_selection(await turn.services.nlu.parse(
        f"bagaimana kalau {u.plain(text)[lead.end():].strip()}?"))
    if key is None or confidence < FAQ_CONFIDENT:
        return False
    _, _, likely = u.faq_selection(await turn.services.nlu.parse(f"{_faq_title(turn, last)} {text}"[:1000]))
    if key not in likely[:FOLLOW_UP_LIKELY]:
        return False
    turn.say("faq_follow_up", subject=_faq_title(turn, key))
    say_faq(turn, key)
    return True


FOLLOW_UP_LIKELY = 3
# Another FAQ than the one just answered, read with its subject: two readings agree on it, so a lower bar
FAQ_BESIDE_CONFIDENT = 0.35


# "kalau …", "terus kalau …", "bagaimana kalau …", "what if …": a question that goes on from the answer before it
_FOLLOW_UP_LEAD = re.compile(r"^(?:(?:terus|trus|lalu|nah|oh|oke|ok|pak|bu|min|kak|maaf)\s+)*"
                             r"(?:kalau|kalo|klo|kl|jika|bila|apabila|seandainya|gimana\s+kalau|bagaimana\s+kalau|bagaimana\s+jika|what\s+if|and\s+if|"
                             r"if)\b")


def answered_since(turn: Turn, since: datetime) -> bool:
    """Whether an FAQ was answered after `since` (and within FAQ_CONTEXT_MINUTES)."""
    last = turn.state.get(LAST_FAQ) or {}
    return _fresh_faq(turn) is not None and datetime.fromisoformat(str(last["at"])) > since


def _fresh_faq(turn: Turn) -> str | None:
    """The key of the FAQ answered within FAQ_CONTEXT_MINUTES, or None."""
    last = turn.state.get(LAST_FAQ) or {}
    if not last.get("key") or not last.get("at"):
        return None
    fresh = turn.now - datetime.fromisoformat(last["at"]) <= timedelta(minutes=FAQ_CONTEXT_MINUTES)
    return str(last["key"]) if fresh else None


async def _answer_follow_up(turn: Turn, parse: dict[str, Any]) -> bool:
    last = turn.state.get(LAST_FAQ) or {}
    text = turn.message.text.strip()
    if not last.get("key") or not last.get("at") or len(u.plain(text).split()) > FAQ_FOLLOW_UP_WORDS:
        return False
    if turn.now - datetime.fromisoformat(last["at"]) > timedelta(minutes=FAQ_CONTEXT_MINUTES):
        return False
    if u.faq_selection(parse)[1] >= FAQ_CONFIDENT:  # "syarat bikin KTP?": a question of its own
        return False
    title_key = f"faq_title_{last['key'].split('/', 1)[1]}"
    subject = turn.texts.get(title_key, "id") if turn.texts.has(title_key) else last["key"].split("/", 1)[1]
    key, confidence, _ = u.faq_selection(await turn.services.nlu.parse(f"{subject} {text}"[:1000]))
    # "nek ilang piye?" after the answer on making a KTP (forty-second trial: three FAQs to pick from): the FAQ that
    # the words read with that subject name, when it was among those the words alone made likely
    # ("kalau rusak gimana?" after the KK answer: the KK's, read with its subject surely, as a "kalau …" goes on)
    likely = key in u.faq_selection(parse)[2][:FOLLOW_UP_LIKELY]
    if key is None or confidence < (FAQ_BESIDE_CONFIDENT if likely else FAQ_CONFIDENT) or (
            key != last["key"] and not likely and not _FOLLOW_UP_LEAD.match(u.plain(text))):
        return False
    turn.say("faq_follow_up", subject=_faq_title(turn, key))
    say_faq(turn, key)
    return True


@command("tanya")
async def cmd_ask(turn: Turn, args: str) -> None:
    turn.reset_flow()
    turn.state["flow"] = "ask"
    turn.say("info_ask")


# --- status -----------------------------------------------------------------------------------------
async def show_status(turn: Turn, number: str, mine: list[Ticket] | None = None) -> None:
    """One ticket's status for its reporter; `mine`, the reporter's recent tickets when the caller has just read them
    (for "kalau yang jalan?" next)."""
    ticket = await turn.store.get_ticket(number)
    if ticket is None or ticket.reporter != turn.identity.key:
        why = "status_not_found" if ticket is None else "status_not_yours"
        turn.say(why, number=number)
        # "kok tidak bisa dilihat?" next is asked of this answer (why_not_shown)
        turn.state[NOT_SHOWN_KEY] = {"number": number, "why": why, "at": turn.now.isoformat()}
        return
    if ticket.kind == LETTER_KIND:
        # "cek" or /status from someone whose only request is a letter (forty-second trial: shown as a message to the
        # regent, "handled by" the complaints service): the letter's own status
        from actions.letters import show_letter_status  # (letters imports officer, which imports this: lazy)

        await show_letter_status(turn, number)
        return
    if (main_number := duplicates.main_of(ticket)) is not None:
        await _show_joined_status(turn, ticket, main_number)
        return
    if ticket.status in OPEN_STATUSES:  # "kok lama banget" next is said having seen this (answer_regent_threat)
        turn.state[DELAY_SHOWN_KEY] = {"number": ticket.number, "at": turn.now.isoformat()}
    last = ""
    events = await turn.store.ticket_events(number)
    # The officers' latest word: an answer, or the note that came with a change of status ("lampu sudah diganti").
    replies = [e for e in events if e.kind == "message_out" or (e.kind == "status" and e.text)]
    if replies:
        latest = max(reversed(replies), key=lambda e: e.at)  # (the later of two at one instant)
        last = turn.t("status_last_reply", when=format_date(turn, latest.at, with_time=True), text=latest.text or "")
    reopened = [e for e in events if e.kind == "reopened"]  # (the events just read, not read again)
    if reopened and ticket.status in OPEN_STATUSES and (not replies or reopened[-1].at > latest.at):
        # "Sudah ditambal" as the latest word of a complaint reopened since: the resident sees it is being looked at
        # again because of what they said, and that no answer came since
        note = (reopened[-1].text or "").strip()
        last += turn.t("status_reopened_since" if note else "status_reopened_since_plain",
                       when=format_date(turn, reopened[-1].at, with_time=True), text=shorten(note, 200))
    moves = [e for e in events if e.kind in ("rerouted", "transfer_undone")]
    if moves and moves[-1].kind == "rerouted" and ticket.status in OPEN_STATUSES:
        # "kenapa aduan saya dialihkan?": from where and when (the reason stays between the offices)
        move = moves[-1]
        if move.data.get("from_opd") and move.data.get("from_opd") != move.data.get("to_opd"):
            last = turn.t("status_moved", from_opd=opd_name(turn, str(move.data["from_opd"])),
                          to_opd=opd_name(turn, str(move.data.get("to_opd") or ticket.opd_id or "")),
                          when=format_date(turn, move.at, with_time=True)) + last
    buttons: list[Button] = []
    if ticket.status in OPEN_STATUSES:
        buttons.append(turn.button("reply_button", f"/tanggapi {number}"))
    elif ticket.status == STATUS_DONE:
        buttons.append(turn.button("reopen_button", f"/buka {number}"))
    elif ticket.status == STATUS_ARCHIVED:
        await _show_archived_status(turn, ticket, replies)
        return
    late = (ticket.status in OPEN_STATUSES and ticket.status != STATUS_TRIAGE and ticket.due_at is not None
            and ticket.due_at < turn.now)
    turn.say(
        "status_detail", buttons,
        number=number,
        topic=subject_name(turn, ticket),
        opd=handler_name(turn, ticket),
        status=ticket_status_name(turn, ticket),
        created=format_date(turn, ticket.created_at, with_time=True),
        due=format_date(turn, ticket.due_at) + (turn.t("status_due_passed") if late else ""),
        # in triage the date is when the operators will have chosen the office, not the office's deadline
        due_label=turn.t("status_due_triage" if ticket.status == STATUS_TRIAGE else "status_due"),
        lapor=turn.t("status_lapor", lapor_id=ticket.lapor_id) if ticket.lapor_id else "",
        last=last,
    )
    if late and ticket.status in OPEN_STATUSES and _OMBUDSMAN.search(u.plain(turn.message.text)):
        # "… saya lapor ke ombudsman saja kalau begini": the rights with this number as the proof, once (twenty-eighth
        # trial: the Ombudsman was named twice, in the overdue rights and again after them)
        turn.say("status_overdue_ombudsman", [turn.button("menu_regent", "/bupati")], number=number)
        turn.state[OVERDUE_SHOWN_KEY] = number
    elif late:  # what a resident may do when the office let the deadline pass (as SP4N-LAPOR! tells its reporters)
        turn.say("status_overdue_rights", [turn.button("menu_regent", "/bupati")])
        turn.state[OVERDUE_SHOWN_KEY] = number  # "terus saya harus bagaimana?" next is about this
    if ticket.status in OPEN_STATUSES and _OMBUDSMAN.search(u.plain(turn.message.text)) and not late:
        # "… saya mau lapor ke ombudsman saja": that right, and this number as the proof of having complained here
        turn.say("ombudsman_right", number=number)
    if mine is None:
        mine = await turn.store.recent_tickets(turn.identity.key, MY_TICKETS)
    if len(mine) > 1:  # "kalau yang jalan?" next: the status of that other one (dialogue: _my_list_pick)
        turn.state[MY_LIST_KEY] = {"numbers": [t.number for t in mine if t.number != number],
                                   "about": {t.number: _about_any(turn, t) for t in mine if t.number != number},
                                   "at": turn.now.isoformat(), "after_status": True}


_OMBUDSMAN = re.compile(r"\bombudsman\w*\b|\bombusman\b")


def ombudsman_note(turn: Turn) -> None:
    """The Ombudsman's way, when the resident names it and has no complaint here to give as proof."""
    if _OMBUDSMAN.search(u.plain(turn.message.text)):
        turn.say("ombudsman_right_general")


#: Conversation state: the overdue complaint whose status was just shown, for the resident's next message.
OVERDUE_SHOWN_KEY = "overdue_shown"


async def answer_what_now_overdue(turn: Turn, number: str) -> None:
    """"terus saya harus bagaimana?" right after an overdue complaint's status: the three things the resident can
    do, each a tap (urge the office on this ticket, write to the regent) or a number (Ombudsman RI)."""
    turn.say("overdue_what_now", [turn.button("reply_button", f"/tanggapi {number}"),
                                  turn.button("menu_regent", "/bupati")], number=number,
             regent=turn.directory.regent_title)


async def _show_archived_status(turn: Turn, ticket: Ticket, replies: list[TicketEvent]) -> None:
    """An archived ticket's status: no deadline (none runs any more), but when and why it was archived, where to go
    instead, and a button to write to the regent; the officers' latest word when it is not the archiving itself."""
    from actions.archive import archive_reason, where_to_go  # (archive.py imports officer.py, which imports this)

    answers = [e for e in replies if e.data.get("status") != STATUS_ARCHIVED]
    latest = max(reversed(answers), key=lambda e: e.at) if answers else None
    turn.say(
        worded(turn, ticket, "status_detail_archived"), [turn.button("archive_ask_regent_button", "/bupati")],
        number=ticket.number,
        topic=subject_name(turn, ticket),
        opd=handler_name(turn, ticket),
        status=ticket_status_name(turn, ticket),
        created=format_date(turn, ticket.created_at, with_time=True),
        archived=format_date(turn, ticket.closed_at, with_time=True),
        reason=archive_reason(ticket) or "-",
        where=where_to_go(turn, ticket, turn.lang),
        lapor=turn.t("status_lapor", lapor_id=ticket.lapor_id) if ticket.lapor_id else "",
        last=turn.t("status_last_reply", when=format_date(turn, latest.at, with_time=True), text=latest.text or "")
        if latest else "",
    )


async def _show_joined_status(turn: Turn, ticket: Ticket, main_number: str) -> None:
    """The status of a complaint joined to another (actions/duplicates.py): the other's status, deadline and latest
    word, which are this resident's too; answering goes to its officers; "not the same matter" separates it."""
    main = await turn.store.get_ticket(main_number)
    if main is None:  # (never deleted; kept safe) the joined complaint as it stands
        turn.say("not_same_not_joined", number=ticket.number, status=status_name(turn, ticket.status))
        return
    replies = [e for e in await turn.store.ticket_events(main.number)
               if e.kind == "message_out" or (e.kind == "status" and e.text)]
    last = ""
    if replies:
        latest = max(reversed(replies), key=lambda e: e.at)
        last = turn.t("status_last_reply", when=format_date(turn, latest.at, with_time=True), text=latest.text or "")
    buttons = [turn.button("reply_button", f"/tanggapi {ticket.number}")] if main.status in OPEN_STATUSES else []
    buttons.append(turn.button("merged_not_same_button", f"/bukan_sama {ticket.number}"))
    late = (main.status in OPEN_STATUSES and main.status != STATUS_TRIAGE and main.due_at is not None
            and main.due_at < turn.now)
    turn.say("status_joined", buttons, number=ticket.number, topic=subject_name(turn, ticket),
             created=format_date(turn, ticket.created_at, with_time=True), main=main.number,
             opd=handler_name(turn, main), status=ticket_status_name(turn, main),
             due_label=turn.t("status_due_triage" if main.status == STATUS_TRIAGE else "status_due"),
             due=format_date(turn, main.due_at) + (turn.t("status_due_passed") if late else ""), last=last)
    if late:  # the office let the deadline pass: what the resident may do, as for their own complaint
        turn.say("status_overdue_rights", [turn.button("menu_regent", "/bupati")])
        turn.state[OVERDUE_SHOWN_KEY] = ticket.number


async def open_for_reporter(turn: Turn, ticket: Ticket) -> bool:
    """Whether `ticket` is still being handled as its reporter sees it: open, or joined to a complaint that is."""
    return ticket.status in OPEN_STATUSES or await duplicates.open_main(turn, ticket) is not None


#: Conversation state: a status just refused (no such number, or another reporter's), for "kok tidak bisa?" next.
NOT_SHOWN_KEY = "status_not_shown"
NOT_SHOWN_MINUTES = 15
# "kok tidak bisa dilihat?", "kenapa gak ketemu?", "lho kok ga ada?", "why can't I see it?": why that answer.
_WHY_NOT_SHOWN = re.compile(
    r"^(?:(?:lho|loh|lah|lha|kok|kenapa|knp|mengapa|napa|why|how come|pak|bu|min|kak)\s+)+(?:\S+\s+){0,2}?"
    r"(?:tidak|tdk|gak|ga|gk|nggak|ngga|enggak|ndak|ora|belum|blm|can'?t|cannot|isn'?t|not|no)\b"
    r"|^(?:why|kenapa|kok|knp)\??$")


async def why_not_shown(turn: Turn) -> bool:
    """"kok tidak bisa dilihat?" just after a status was refused: why (only its reporter sees a complaint, and how
    a reporter on a new number moves it; or what a number here looks like). Was offered to the resident's own
    complaint as more words."""
    shown = turn.state.get(NOT_SHOWN_KEY)
    text = turn.message.text.strip()
    if not isinstance(shown, dict) or not text or text.startswith("/") or len(text.split()) > 8:
        return False
    if (not _WHY_NOT_SHOWN.search(u.plain(text)) or find_ticket_number(text)
            or turn.now - datetime.fromisoformat(str(shown.get("at"))) > timedelta(minutes=NOT_SHOWN_MINUTES)):
        return False
    turn.state.pop(NOT_SHOWN_KEY, None)
    number = str(shown.get("number") or "")
    if shown.get("why") == "status_not_yours":
        turn.say("status_not_yours_why", number=number)
    else:
        turn.say("status_not_found_why", number=number, example=example_number(turn))
    return True


def ticket_status_name(turn: Turn, ticket: Ticket) -> str:
    """A ticket's status as its reporter reads it: closed at their request when they withdrew it."""
    return turn.t("status_name_withdrawn") if ticket.extra.get(WITHDRAWN) else status_name(turn, ticket.status)


# "cek status bansos saya, nik …", "pkh saya sudah cair belum? nik …": the status of an aid, which its own service
# tells (the FAQ), not of a complaint
_AID_STATUS = re.compile(r"\b(bansos|pkh|bpnt|blt|sembako|pbi|bpjs|kis|prakerja|pip|kip)\b")
_AID_FAQ = {"bansos": "faq/bansos", "pkh": "faq/bansos", "bpnt": "faq/bansos", "blt": "faq/bansos",
            "sembako": "faq/bansos", "pbi": "faq/bpjs_pbi", "bpjs": "faq/bpjs_pbi", "kis": "faq/bpjs_pbi",
            "prakerja": "faq/prakerja", "pip": "faq/beasiswa", "kip": "faq/beasiswa"}


@command("status")
async def cmd_status(turn: Turn, args: str) -> None:
    number = find_ticket_number(args) or find_ticket_number(turn.message.text)
    drafting = turn.state.get("flow") == "complaint" and bool(turn.state.get("draft"))
    turn.reset_flow()
    if _RECEIPT_ASKED.search(u.plain(f"{args} {turn.message.text}")) and await turn.store.recent_tickets(
            turn.identity.key, 1):
        turn.say("status_receipt")  # "bisa minta bukti laporannya?": the number is the proof
    if number:
        await show_status(turn, number)
        return
    mine = await turn.store.recent_tickets(turn.identity.key, STATUS_LOOK_BACK)
    open_ones = [t for t in mine if await open_for_reporter(turn, t)]
    named = _tickets_named(turn, mine, f"{args} {turn.message.text}")
    if len(named) == 1:  # "laporan saya yang lampu gimana?", "gimana laporan saya kemarin?"
        await show_status(turn, named[0].number, mine)
        return
    if not named and (len(mine) == 1 or len(open_ones) == 1):  # "status aduan saya?" with one ticket in hand
        await show_status(turn, (open_ones or mine)[0].number, mine)
        return
    if not mine and (drafting or turn.state.get(DRAFT_ASIDE_KEY)):
        # "laporan saya kemarin gmn?" with only an unsent draft: that is what they mean (it is offered next)
        turn.say("status_only_a_draft")
        return
    turn.state["flow"] = "status"
    shown = (named or mine)[:3]
    buttons = [Button(f"{numbered(t)} · {ticket_status_name(turn, t)}"[:60], f"/status {t.number}") for t in shown]
    if not mine and not turn.message.text.strip().startswith("/"):
        if await _reported_before_elsewhere(turn):
            return
        if (_SIXTEEN_DIGITS.search(turn.message.text) and (aid := _AID_STATUS.search(u.plain(turn.message.text)))
                and _AID_FAQ[aid.group(1)] in turn.services.faq_answers):
            # "bisa bantu cek status bansos saya? nik 3516…": the aid's own status check, not a complaint's
            # (thirty-first trial: told complaints are found by number)
            say_faq(turn, _AID_FAQ[aid.group(1)])
            turn.say("privacy_no_number")
            return
        if _SIXTEEN_DIGITS.search(turn.message.text):  # "nik saya 3516…": complaints are found by number, not NIK
            turn.say("status_not_by_nik", [turn.button("menu_complaint", "/aduan")], example=example_number(turn))
            return
        # "when will it be fixed?" from a chat with no complaint: filed elsewhere (the number finds it), or not yet
        turn.say("status_none_here", [turn.button("menu_complaint", "/aduan")], example=example_number(turn))
        return
    if not mine:
        turn.say("status_ask", buttons, example=example_number(turn))
        return
    lines = [f"• {numbered(t)}: {_about(turn, t)} ({ticket_status_name(turn, t)})" for t in shown]
    turn.say("status_pick", buttons, tickets="\n".join(lines))
    # "and the road one?", "yang kedua" next: that one's status (dialogue: _my_list_pick; it began a complaint)
    turn.state[MY_LIST_KEY] = {"numbers": [t.number for t in shown],
                               "about": {t.number: _about_any(turn, t) for t in shown}, "at": turn.now.isoformat()}


async def _reported_before_elsewhere(turn: Turn) -> bool:
    """"jalan di desa puri rusak sudah 3 tahun, sudah lapor berkali-kali tidak pernah diperbaiki" from a chat that
    has filed nothing here: the problem is told whole, and reported before somewhere we cannot see (the village
    office, a letter, another number). It is taken as a complaint now, the earlier reports acknowledged, rather
    than answered with "no complaint from this account" and lost."""
    text = turn.message.text.strip()
    low = u.plain(text)
    if (len(text.split()) < REPORTED_BEFORE_MIN_WORDS or _VIA_THIS_SERVICE.search(low)
            or not _LONG_STANDING.search(low)):
        return False  # ("saya sudah lapor kemarin lewat wa": here, so its number is asked for)
    result = ParseResult.from_dict(await turn.parse())
    routing = result.routing
    if (result.gate != "complaint" or routing is None or routing.topic not in turn.directory.routing
            or routing.confidence < turn.directory.route_threshold):
        return False
    turn.say("status_none_taken_now", example=example_number(turn))
    await start_from_text(turn, text, await turn.parse())
    return True


_SIXTEEN_DIGITS = re.compile(r"(?<!\d)\d(?:[ .\-]?\d){15}(?!\d)")
# A status complaint with fewer words names no problem of its own ("sudah lapor kok belum diperbaiki?").
REPORTED_BEFORE_MIN_WORDS = 8
# Reported through this service ("lewat wa", "di sini"): a ticket exists, and its number is asked for.
_VIA_THIS_SERVICE = re.compile(r"\b(?:lewat|via|pakai|pake|di|melalui|through|on)\s+"
                               r"(?:wa|whatsapp|telegram|tele|sms|web|website|chat|aplikasi|sini|layanan\s+ini|this\s+(?:chat|service))\b")
# Long-standing and told again and again: no ticket to look for, the matter to file.
_LONG_STANDING = re.compile(r"\b(?:berkali[\s-]*kali|berulang[\s-]*kali|sering|bertahun[\s-]*tahun|berbulan[\s-]*bulan|"
                            r"\d+\s+(?:tahun|bulan)|(?:satu|dua|tiga|empat|lima)\s+(?:tahun|bulan)|many\s+times|"
                            r"again\s+and\s+again|for\s+(?:years|months))\b")

# state, for one turn: a complaint draft left idle was set aside while this message is read (bot/dialogue.py)
DRAFT_ASIDE_KEY = "draft_aside"
STATUS_LOOK_BACK = 10  # the resident's tickets a status question without a number is matched against
_YESTERDAY = re.compile(r"\b(?:kemarin|kemaren|kmrn|kmarin|yesterday|wingi|wingenane)\b")
_TODAY = re.compile(r"\b(?:tadi|td|barusan|hari ini|today|earlier today|mau iki|wau)\b")


def _about(turn: Turn, ticket: Ticket) -> str:
    """What a ticket is about, in a few words: its topic, or the first words of the report."""
    if ticket.kind == LETTER_KIND:
        return turn.t("kind_surat")
    if ticket.kind == "bupati":  # (its first words may name another ticket's matter: "aduan jalan saya …")
        return turn.t("kind_bupati")
    if ticket.topic and turn.texts.has(f"topic_{ticket.topic}"):
        return topic_name(turn, ticket.topic)
    words = ticket.text.split()
    return " ".join(words[:6]) + ("…" if len(words) > 6 else "")


def _about_any(turn: Turn, ticket: Ticket) -> str:
    """What a ticket is about, for matching a short answer: as `_about` says it, then its topic's name in the other
    languages ("the road one" after a list shown in Indonesian: twenty-seventh trial)."""
    about = _about(turn, ticket)
    key = f"topic_{ticket.topic}"
    if ticket.kind != "aduan" or not ticket.topic or not turn.texts.has(key):
        return about
    return " ".join([about, *(name for name in turn.texts.raw(key).values() if name != about)])


def _tickets_named(turn: Turn, mine: list[Ticket], text: str) -> list[Ticket]:
    """The resident's tickets a status question points at by topic ("yang lampu") or day ("kemarin", "tadi");
    [] when it names neither or matches none."""
    low = u.plain(text)
    if (ends := _short_numbers(low)) and (by_number := [t for t in mine if t.number.rsplit("-", 1)[-1].isdigit()
                                                        and int(t.number.rsplit("-", 1)[-1]) in ends]):
        return by_number  # "status 0001": the one whose number ends so
    picked = list(mine)
    topics = set(match_topics(turn, text)) & {t.topic for t in mine}
    if len(topics) != 1:  # "aduan jalan saya" names Jalan rusak and Lampu penerangan jalan alike: the head word decides
        topics = _topics_worded(turn, mine, low) or topics
    if topics and (about := [t for t in picked if t.topic in topics]):
        picked = about
    local = turn.now.astimezone(turn.services.calendar.tz).date()
    day = local - timedelta(days=1) if _YESTERDAY.search(low) else local if _TODAY.search(low) else None
    if day is not None and (on_day := [t for t in picked
                                       if t.created_at.astimezone(turn.services.calendar.tz).date() == day]):
        picked = on_day
    return picked if len(picked) < len(mine) else []


# words of a status question that name no topic ("what is the status of my street light complaint?")
_STATUS_WORDS = frozenset(
    "status statusnya aduan aduannya laporan laporannya pengaduan complaint complaints report reports what whats "
    "the of my is are how about gimana bagaimana gmn sudah udah sampai sampe mana kabarnya kabar perkembangan "
    "perkembangannya saya sy aku kula pak bu min kak yang yg punya mine please tolong cek check".split())


def _topics_worded(turn: Turn, mine: list[Ticket], low: str) -> set[str]:
    """The topics of the resident's own tickets that a longer status question names by more of their words (in any
    language of the topic's name) than the others' ("status aduan lampu saya gimana pak": Lampu penerangan jalan,
    not Jalan rusak; "the street light one": Street lights); empty when it names none, or two alike (twenty-seventh
    trial: both were listed, as match_topics reads only a few words)."""
    def stems(text: str) -> set[str]:  # "lampunya" is "lampu", "lights" is "light"
        return {w.removesuffix("nya").removesuffix("s") if len(w) > 4 else w
                for w in re.findall(r"[a-z]+", u.plain(text)) if len(w) >= 3 and w not in _STATUS_WORDS}

    words = stems(low)
    scores: dict[str, float] = {}
    for topic in {t.topic for t in mine if t.topic and t.kind == "aduan"}:
        names = list(turn.texts.raw(f"topic_{topic}").values()) if turn.texts.has(f"topic_{topic}") else []
        scores[topic] = max((len(words & stems(n)) + (0.5 if stems(n.split()[0]) & words else 0) for n in names if n),
                            default=0)
    best = max(scores.values(), default=0)
    tops = {t for t, s in scores.items() if s == best}
    return tops if best and len(tops) == 1 else set()


# "yg lampu gmn pak?", "kalau yang jalan udh sampe mana?", "what about the street light one?": one of the resident's
# complaints, named by its topic, asked after in a few words
_HOW_IS = re.compile(r"\b(?:gmn|gimana|gmana|bagaimana|bgmn|piye|pripun|kabarnya|gimana\s+kabarnya|sampe\s+mana|"
                     r"sampai\s+mana|udah\s+belum|udh\s+blm|sdh\s+blm|sudah\s+belum|kapan|how\s+about|what\s+about|"
                     r"any\s+news)\b")
NAMED_STATUS_MAX_WORDS = 8


def asks_how_is(text: str) -> bool:
    """"… gimana perkembangannya?", "… kok belum ditangani?": asks how a matter stands."""
    low = u.plain(text)
    return bool(_HOW_IS.search(low) or _NO_NEWS.search(low))


def asks_after_named(turn: Turn, text: str) -> bool:
    """A short question after a matter named by its topic ("lampu ning veteran piye?", "yg jalan gmn?"), as staff
    ask after a ticket they do not know the number of."""
    low = u.plain(text)
    return len(low.split()) <= NAMED_STATUS_MAX_WORDS and bool(_HOW_IS.search(low)) and bool(match_topics(turn, text))


async def status_of_named(turn: Turn, text: str) -> bool:
    """Show the status of the one complaint a short question names by its topic; False when it names none, or
    more than one (or the resident has fewer than two: a plain status question handles that)."""
    low = u.plain(text)
    if len(low.split()) > NAMED_STATUS_MAX_WORDS or not _HOW_IS.search(low):
        return False
    mine = [t for t in await turn.store.recent_tickets(turn.identity.key, STATUS_LOOK_BACK) if t.kind == "aduan"]
    named = _tickets_named(turn, mine, text) if len(mine) > 1 else []
    if len({t.topic for t in named}) != 1:
        return False
    await show_status(turn, named[0].number)  # (the latest of them, when two were about the same)
    return True


# --- answering an officer ---------------------------------------------------------------------------
async def add_resident_message(turn: Turn, number: str, text: str, quiet_if_not_mine: bool = False,
                               media: list[str] | None = None, said: str | None = None) -> bool:
    """Add what the reporter wrote (and the photos of this message, or `media` kept from an earlier one) to their
    open ticket and pass it to the officers; `said` is the text key the reporter hears instead of "passed on" (a
    photo or a correction added to the complaint, not an answer)."""
    ticket = await turn.store.get_ticket(number)
    if ticket is not None and ticket.reporter == turn.identity.key and ticket.status not in OPEN_STATUSES \
            and (main := await duplicates.open_main(turn, ticket)) is not None:
        # joined to another complaint: its officers read it, with this message's photos
        await _pass_to_staff(turn, ticket, text, media)
        turn.say("follower_message_sent", number=number, main=main.number, opd=handler_name(turn, main))
        return True
    if ticket is None or ticket.reporter != turn.identity.key or ticket.status not in OPEN_STATUSES:
        if not quiet_if_not_mine:  # not one's own, or none: alike, and the words went nowhere
            mine = ticket is not None and ticket.reporter == turn.identity.key
            turn.say("status_not_found" if mine else "ticket_not_theirs", number=number)
        return False
    told = await _pass_to_staff(turn, ticket, text, media)
    if told and ticket.kind == "bupati" and not ticket.opd_id:  # a message to the regent: the regent reads it
        turn.say("resident_reply_sent_regent", number=number)
    elif said is not None:
        turn.say(said, number=number)
    else:
        turn.say(worded(turn, ticket, "resident_reply_sent" if told else "resident_reply_recorded"), number=number)
    return True


async def _pass_to_staff(turn: Turn, ticket: Ticket, text: str, media: list[str] | None = None) -> list[str]:
    """Keep what the reporter wrote (and this message's photos, or `media` kept from an earlier one) in `ticket`'s
    history and pass it to its officers (and to the regent when they answered); who was told."""
    number = ticket.number
    held = ComplaintDraft()
    media = list(media or [])
    if keep_attachments(turn, held):
        media += held.media
    if (main := await duplicates.open_main(turn, ticket)) is not None:  # joined: the complaint carrying it hears
        return await duplicates.pass_to_main(turn, ticket, main, text, media)
    if media:
        ticket.media.extend(media)
        turn.save_ticket(ticket)
    text = text or turn.t("photo_for_officer", "id", count=len(media))  # kept on the ticket for its officers
    turn.event(ticket, "message_in", text, media=media)
    told = await notify_staff_of_ticket(turn, ticket, "resident_message_to_officer", f"in:{number}",
                                        image=f"media:{media[0]}" if media else None, reply_button=True, text=text)
    regent = ticket.extra.get("regent_answered")  # the regent answered this reporter: their answer reaches them too
    if isinstance(regent, str) and regent not in told:
        lang = await staff_lang(turn, regent)
        turn.deliver(regent, [Reply(turn.t("resident_message_to_officer", lang, number=number, text=text),
                                    (Button(turn.t("button_reply", lang), f"/balas {number}"),),
                                    image=f"media:{media[0]}" if media else None, ticket=number)], f"in:{number}")
        told = [*told, regent]
    return told


async def question_left_open(turn: Turn, ticket: Ticket) -> TicketEvent | None:
    """Staff's last words to the reporter of `ticket` when the reporter has not written since, within
    REPLY_MODE_DAYS: "Pak, lubangnya di sebelah mana balai desa?" and then /selesai before the answer came."""
    said = [e for e in await turn.store.ticket_events(ticket.number) if e.kind in ("message_out", "message_in")]
    if not said or said[-1].kind != "message_out" or said[-1].actor == ticket.reporter:
        return None
    return said[-1] if turn.now - said[-1].at <= timedelta(days=REPLY_MODE_DAYS) else None


async def officer_awaits(turn: Turn, ticket: Ticket) -> bool:
    """Whether staff's last words on `ticket` are still unanswered: nothing from the reporter since (an answer or
    a thank-you)."""
    kinds = ("message_out", "message_in", "thanks")
    said = [e for e in await turn.store.ticket_events(ticket.number) if e.kind in kinds]
    return bool(said) and said[-1].kind == "message_out" and said[-1].actor != ticket.reporter


async def answer_after_done(turn: Turn, ticket: Ticket, text: str, media: list[str] | None = None) -> None:
    """The answer to an officer's question that arrives after the ticket was marked done ("sebelah timur balai desa
    pak, depan warung"): it goes to the officers and the ticket's history, and "Sudah beres?" stays the question."""
    await _pass_to_staff(turn, ticket, text, media)
    if turn.state.get("rating_asked") == ticket.number:  # they said it is fixed already: the rating is asked
        turn.say("resident_reply_sent", number=ticket.number)
        return
    turn.say("answer_after_done", [turn.button("fixed_yes", f"{u.FIXED_PREFIX}{ticket.number}:yes"),
                                   turn.button("fixed_no", f"{u.FIXED_PREFIX}{ticket.number}:no")],
             number=ticket.number, opd=handler_name(turn, ticket))


@command("tanggapi")
async def cmd_answer(turn: Turn, args: str) -> None:
    number = find_ticket_number(args)
    if not number:
        turn.say("status_ask", example=example_number(turn))
        return
    rest = args.split(maxsplit=1)[1].strip() if len(args.split(maxsplit=1)) > 1 else ""
    if rest:
        await add_resident_message(turn, number, rest)
        return
    ticket = await turn.store.get_ticket(number)
    if ticket is None or ticket.reporter != turn.identity.key:  # only the reporter answers on a ticket
        turn.say("status_not_found" if ticket is None else "status_not_yours", number=number)  # as /status says
        return
    if ticket.status not in OPEN_STATUSES and await duplicates.open_main(turn, ticket) is None:
        await show_status(turn, number)  # finished: its status, with the button to reopen it
        return
    turn.reset_flow()
    turn.state["reply_ticket"] = number
    turn.say("resident_reply_ask", number=number)


# --- rating and reopening ---------------------------------------------------------------------------
async def _own_finished_ticket(turn: Turn, number: str, not_finished: str) -> Ticket | None:
    """The resident's own ticket `number` when it is done or closed; otherwise says why (text key
    `not_finished` when it is still open) and gives None."""
    ticket = await turn.store.get_ticket(number)
    if ticket is None or ticket.reporter != turn.identity.key:
        turn.say("status_not_found", number=number)
        return None
    if ticket.status not in (STATUS_DONE, STATUS_CLOSED):
        turn.say(not_finished, number=number)
        return None
    return ticket


async def rate(turn: Turn, number: str, rating_text: str, comment: str = "") -> None:
    """Record the rating; with a `comment` typed along ("bintang 4, agak lama"), that is kept too."""
    ticket = await _own_finished_ticket(turn, number, "rating_not_done")
    if ticket is None:
        return
    if not rating_text.isdigit() or not 1 <= int(rating_text) <= 5:
        turn.say("rating_invalid", _rating_buttons(turn, number))
        return
    ticket.rating = int(rating_text)
    ticket.status = STATUS_CLOSED
    ticket.closed_at = ticket.closed_at or turn.now
    turn.save_ticket(ticket)
    turn.event(ticket, "rating", None, rating=ticket.rating)
    turn.reset_flow()
    turn.state.pop("rating_ticket", None)
    turn.state.pop("rating_asked", None)
    held = turn.state.pop(RATING_WORDS_KEY, None)
    if not comment and isinstance(held, dict) and held.get("number") == number:
        comment = str(held.get("text") or "")  # what they said of the work before rating it
    if comment:
        await _keep_rating_comment(turn, ticket, comment)
        turn.say("rating_with_comment_thanks", rating=ticket.rating)
        turn.state[RATED_KEY] = {"number": ticket.number, "at": turn.now.isoformat()}
        return
    turn.state.update(flow="rating_comment", target=number, asked_at=turn.now.isoformat())
    turn.say("rating_thanks", [turn.button("skip", u.SKIP)], rating=ticket.rating)


RATING_WORDS_KEY = "rating_words"  # what the resident said of the work before rating it: the rating's comment
# state: a rating given with its comment just now; "tapi aspalnya tipis, takutnya cepat rusak lagi" next is more of
# that comment (thirty-eighth trial: the complaint was reopened, and after the fix a new one begun)
RATED_KEY = "rated_with_comment"
RATED_MORE_MINUTES = 15
RATED_MORE_WORDS = 40
_MORE_LEAD = re.compile(r"^(?:tapi|tp|tetapi|namun|cuma|cuman|hanya|sayangnya|sayang|walaupun|meskipun|padahal|"
                        r"mung|nanging|ning|but|though|only|however|just)\b")


async def more_rating_comment(turn: Turn, text: str) -> bool:
    """More words on the work just rated with a comment ("tapi …", a worry that it breaks again): added to the
    comment, and its officers told; False for anything else (a new matter, "still broken", a question)."""
    held = turn.state.get(RATED_KEY)
    if not isinstance(held, dict) or not stamped_within(held.get("at"), turn.now, RATED_MORE_MINUTES):
        turn.state.pop(RATED_KEY, None)
        return False
    low = u.plain(text)
    if (not low or len(low.split()) > RATED_MORE_WORDS or says_not_fixed(text) or u.is_question(text)
            or not (_MORE_LEAD.match(low) or _WORRY.intersection(low.split()))):
        return False
    turn.state.pop(RATED_KEY, None)
    ticket = await turn.store.get_ticket(str(held.get("number") or ""))
    if ticket is None or ticket.reporter != turn.identity.key:
        return False
    comment = f"{ticket.rating_comment} {text.strip()}" if ticket.rating_comment else text.strip()
    await _keep_rating_comment(turn, ticket, comment)
    turn.say("rating_comment_more_thanks", number=ticket.number)
    return True


def _rating_buttons(turn: Turn, number: str) -> list[Button]:
    return [Button("⭐" * n, f"nilai:{number}:{n}") for n in range(1, 6)] + [
        turn.button("reopen_button", f"/buka {number}")]


def comment_wait_over(turn: Turn) -> bool:
    """The rating's "Ada komentar?" was asked more than RATING_COMMENT_MINUTES ago (or by a version that did not
    note when): the message is no answer to it."""
    if turn.state.get("flow") != "rating_comment":
        return False
    asked = turn.state.get("asked_at")
    return not isinstance(asked, str) or turn.now - datetime.fromisoformat(asked) > timedelta(
        minutes=RATING_COMMENT_MINUTES)


async def comment_is_new_matter(turn: Turn) -> bool:
    """Words typed at the rating's "Ada komentar?" that are a complaint on another topic than the rated ticket's
    ("sampah menumpuk di depan balai desa sudah seminggu tidak diangkut" after a street light): no comment, and no
    reopening of the street light, but a new complaint (dialogue reads them afresh)."""
    if (turn.state.get("flow") != "rating_comment" or len(turn.message.text.split()) < OTHER_MATTER_WORDS
            or asked_for_money(turn.message.text)):
        return False  # (money asked for the work done is about that work: rating_comment)
    ticket = await turn.store.get_ticket(str(turn.state.get("target") or ""))
    parse = await turn.parse()
    # the gate must read a complaint too: "they came late but did a good job" is routed (to jobs, for its "job") but
    # is no complaint (thirty-seventh trial: the comment was read afresh and "not understood")
    return (ticket is not None and u.intent_of(parse) in turn.directory.routing
            and another_matter(turn, {ticket.topic}, parse))


async def rating_comment(turn: Turn) -> None:
    number = turn.state.get("target")
    text = turn.message.text.strip()
    # ("eh tadi aku salah kasih bintang, harusnya 5": the rating named, the correction not first; thirty-ninth trial)
    if number and (value := rating_change_in(text, named=False) or rating_change_in(text)) is not None:
        # "eh salah pak, maksud saya 5" right after rating 4: the rating changes, and the comment is still asked
        ticket = await turn.store.get_ticket(str(number))
        if ticket is not None and ticket.reporter == turn.identity.key and ticket.rating is not None:
            _change_rating(turn, ticket, value)
            turn.state["asked_at"] = turn.now.isoformat()
            turn.say("rating_changed_ask_comment", [turn.button("skip", u.SKIP)], rating=value)
            return
    if number and (split := _rating_fix_then_comment(text)) is not None:
        # "eh maaf salah pencet, harusnya 3, tambalannya kurang rapi" (forty-second trial: all of it the comment, the
        # 5 standing): the rating changes, and the rest is the comment
        ticket = await turn.store.get_ticket(str(number))
        if ticket is not None and ticket.reporter == turn.identity.key and ticket.rating is not None:
            turn.reset_flow()
            _change_rating(turn, ticket, split[0])
            await _keep_rating_comment(turn, ticket, split[1])
            turn.say("rating_changed_with_comment", number=ticket.number, rating=split[0])
            return
    turn.reset_flow()
    if u.is_greeting(text):  # the web page's greeting is no comment
        turn.say("greet", turn.menu_buttons())
        return
    if number and (says_not_fixed(text) or (text and _bare_no(text))):
        # "masih rusak pak", "lubangnya muncul lagi", "durung pak": not a comment on the work, it is not done
        ticket = await turn.store.get_ticket(number)
        if ticket is not None and ticket.reporter == turn.identity.key and ticket.status in (STATUS_DONE,
                                                                                             STATUS_CLOSED):
            await reopen(turn, ticket, text)
            return
    if number and asks_status(text):
        # "siapa nama petugasnya?" right after rating (thirty-third trial: kept as the comment, and thanked)
        await show_status(turn, number)
        return
    if number and asked_for_money(text):
        # "pak yang perbaiki minta uang rokok": not a comment for the office whose crew asked (thirty-second trial:
        # begun as a complaint with unsure topics); a confidential complaint of extortion for the inspectorate
        turn.say("comment_extortion", number=number)
        await start_on_topic(
            turn, text, await turn.parse(),
            ComplaintDraft(text=turn.t("extortion_report_text", "id", words=text[:3800], number=number),
                           early_privacy="rahasia"), EXTORTION_TOPIC)
        return
    if number and text and text.lower() not in ("lewati", "skip", "-") and u.code_of(text) != u.SKIP:
        ticket = await turn.store.get_ticket(number)
        if ticket is not None:
            await _keep_rating_comment(turn, ticket, text)
    turn.say("rating_comment_thanks")



async def _keep_rating_comment(turn: Turn, ticket: Ticket, text: str) -> None:
    ticket.rating_comment = text[:2000]
    turn.save_ticket(ticket)
    turn.event(ticket, "rating", text, rating=ticket.rating, comment=True)
    # (with "Balas", and their plain words next offered as the answer: "mohon maaf atas keterlambatannya pak" after
    # "lama sekali baru dikerjakan"; twenty-ninth trial: not sent, and the help)
    await notify_staff_of_ticket(turn, ticket, "rating_to_officer", f"rating:{ticket.number}", reply_button=True,
                                 rating=ticket.rating, comment=f"\n“{text[:500]}”")


# "kok ditutup? saya belum kasih nilai", "kenapa aduan saya diselesaikan?", "why was my complaint closed?": their
# finished complaint, when and with what the office closed it, and the way to reopen or rate it (thirty-first trial:
# sixteen days later, unsure topics)
_WHY_CLOSED = re.compile(
    r"\b(?:kok|kenapa|mengapa|knp|napa|why)\b.{0,30}\b(?:ditutup|tutup|diselesaikan|dinyatakan\s+selesai|"
    r"ditandai\s+selesai|closed|marked\s+(?:as\s+)?(?:done|resolved))\b"
    r"|\b(?:belum|blm|tidak|gak|ga|never)\s+(?:\S+\s+)?(?:kasih|memberi|beri|ngasih|kasi|gave|give)\s+(?:\S+\s+)?"
    r"(?:nilai|penilaian|rating|bintang|rate|stars?)\b")
WHY_CLOSED_WORDS = 16


async def why_closed(turn: Turn, text: str) -> bool:
    """The resident's latest finished complaint (the one the words number, if any), told as closed by its office
    on that day with its note, with the rating buttons (and "not solved yet") or, once rated, the reopen button.
    False for other words, or none finished."""
    low = u.plain(text)
    if len(low.split()) > WHY_CLOSED_WORDS or not _WHY_CLOSED.search(low) or says_not_fixed(text):
        return False  # ("laporan saya ditutup padahal belum beres": reopened, elsewhere)
    number = find_ticket_number(text)
    done = [t for t in await turn.store.recent_tickets(turn.identity.key, STATUS_LOOK_BACK)
            if t.kind == "aduan" and t.status in (STATUS_DONE, STATUS_CLOSED) and not t.extra.get(WITHDRAWN)
            and (number is None or t.number == number)]
    if not done:
        return False
    ticket = done[0]
    finished = [e for e in await turn.store.ticket_events(ticket.number, "status")
                if e.data.get("status") == STATUS_DONE]
    note = finished[-1].text if finished and finished[-1].text else ""
    opd = turn.directory.opd(ticket.opd_id) if ticket.opd_id else None
    fields = dict(number=ticket.number, opd=opd.short if opd else turn.t("complaint_service"),
                  date=format_date(turn, ticket.closed_at or turn.now),
                  note=turn.t("done_note", note=note) if note else "", rating=ticket.rating or "")
    if ticket.rating is None:
        turn.say("why_closed", _rating_buttons(turn, ticket.number), **fields)
        turn.state["rating_ticket"] = ticket.number
    else:
        turn.say("why_closed_rated", [turn.button("reopen_button", f"/buka {ticket.number}")], **fields)
    return True


# "saya sudah pindah rumah, aduan saya gimana?", "I've moved house, what happens to my complaint?": a complaint is
# about a place, not the reporter's address (thirty-first trial: offered to the offices as a question)
_MOVED_HOUSE = re.compile(
    r"\b(?:saya|sy|aku|kami|kita)\s+(?:sudah\s+|udah\s+|udh\s+|sdh\s+|mau\s+|akan\s+|baru\s+)?(?:pindah|pindahan)\s+"
    r"(?:rumah|alamat|domisili|tempat\s+tinggal|kota|kabupaten|ke)\b|\bi(?:'ve|\s+have)?\s+(?:just\s+)?moved\b")
_OF_MY_REPORT = re.compile(r"\b(?:aduan|laporan|pengaduan|complaint|report)\w*\b")


async def moved_house(turn: Turn, text: str) -> bool:
    low = u.plain(text)
    if len(low.split()) > WHY_CLOSED_WORDS or not _MOVED_HOUSE.search(low) or not _OF_MY_REPORT.search(low):
        return False
    mine = [t for t in await turn.store.recent_tickets(turn.identity.key, STATUS_LOOK_BACK)
            if t.kind == "aduan" and t.status in OPEN_STATUSES]
    if not mine:
        return False
    turn.say("moved_house_complaint", numbers=", ".join(f"*{t.number}*" for t in mine[:3]))
    return True


@command("buka")
async def cmd_reopen(turn: Turn, args: str) -> None:
    if (ticket := await own_ticket_named(turn, args)) is None:
        return
    if ticket.status not in (STATUS_DONE, STATUS_CLOSED):
        turn.say("ticket_closed", number=ticket.number, status=status_name(turn, ticket.status))
        return
    await reopen(turn, ticket, args.split(maxsplit=1)[1] if len(args.split(maxsplit=1)) > 1 else None)


async def open_again(turn: Turn, ticket: Ticket, note: str | None, new_due: bool = True) -> Opd | None:
    """A finished ticket open again (by its reporter, or by an officer who closed it by mistake): in progress at its
    office, unrated, with a new deadline (`new_due`), and everyone who reported the same matter told."""
    if (joined := duplicates.main_of(ticket)) is not None:  # separated from the complaint it was joined to
        duplicates.unlink(turn, ticket)
        await duplicates.drop_follower(turn, ticket, joined, said_not_same=False)
    opd = turn.directory.opd(ticket.opd_id)
    ticket.status = STATUS_IN_PROGRESS if opd else STATUS_NEW
    ticket.closed_at = None
    ticket.rating = None
    ticket.extra.pop(WITHDRAWN, None)  # a withdrawal taken back is an open complaint again
    if opd and (new_due or ticket.due_at is None):
        ticket.due_at = turn.services.calendar.add_working_days(turn.now, opd.sla_days)
    ticket.escalated_at = None
    ticket.reminded_at = None
    turn.save_ticket(ticket)
    turn.event(ticket, "reopened", note)
    await duplicates.tell_followers(turn, ticket, "reopened")  # the matter is open again for everyone who reported it
    return opd


async def reopen(turn: Turn, ticket: Ticket, note: str | None, said: str | None = None) -> None:
    """Open a finished ticket again, tell its OPD (with what the resident said) and hear the resident; `said` is the
    text key the resident hears instead of "reopened" (a question's follow-up that reopened it)."""
    opd = await open_again(turn, ticket, note)
    due_at = ticket.due_at  # each officer reads the date in their own language, not the reporter's
    if note:  # one message: the reopening and the resident's words, with the button to answer them
        await notify_staff_of_ticket(turn, ticket, worded(turn, ticket, "reopened_with_words_to_officer"),
                                     f"reopen:{ticket.number}", reply_button=True,
                                     due=lambda lang: format_date(turn, due_at, lang), text=note)
    else:
        await notify_staff_of_ticket(turn, ticket, worded(turn, ticket, "reopened_to_officer"),
                                     f"reopen:{ticket.number}", due=lambda lang: format_date(turn, due_at, lang))
    turn.reset_flow()
    turn.state.pop("rating_ticket", None)
    still = [t for t in await awaiting_fixed(turn) if t.number != ticket.number]
    if still:  # another "Sudah beres?" is still waiting: "lampunya udh nyala kok" next answers it
        turn.state["rating_ticket"] = still[0].number
    turn.state["reply_ticket"] = ticket.number
    key = said or worded(turn, ticket, "reopened_with_note" if note else "reopened")
    turn.say(key, number=ticket.number, opd=opd.short if opd else turn.directory.regent_title)


_NOT_FIXED = re.compile(
    r"\b(belum|blm|blum|durung|dereng|tidak|tdk|gak|ga|nggak|enggak)\s+(juga\s+|sama\s+sekali\s+)?"
    r"(selesai|beres|diperbaiki|dibenerin|dibetulkan|ditangani|tuntas|rampung|bener|benar|diperbaiki|diganti|"
    r"dikerjakan|diangkut|nyala|jalan|mari|beres2|ditambal|diaspal|dicor|dibersihkan|dikeruk|dipasang|didandani|"
    r"dibenakke|dibenake|digarap|diresiki)\b"
    r"|\b(?:masih|isih|taksih)\s+(rusak|ambrol|ambruk|jebol|mati|padam|bocor|ada|ana|ono|wonten|sama|parah|banjir|"
    r"berlubang|bolong|lubang|numpuk|menumpuk|bau|macet|belum|gelap|putus|terjadi|kotor|berserakan|retak|ngelupas|"
    r"mengelupas|tergenang|mampet|tersumbat)\b"
    r"|\bnot\s+(yet\s+)?(fixed|solved|resolved|done|repaired)\b|\bstill\s+(broken|there|not|the same|dark|"
    r"flooded|leaking)\b|\bbelum\s+selesai\b"
    r"|\b(?:isn|wasn|hasn|haven|aren)\s+t\s+(?:been\s+)?(?:fixed|repaired|solved|resolved)\b"
    # "statusnya selesai tapi belum ada yang datang ke lokasi", "nobody came" (twenty-ninth trial: read as another
    # matter, "Pindah datang penduduk")
    r"|\b(?:belum|blm|tidak|tdk|gak|ga|nggak|enggak|durung)\s+(?:pernah\s+)?ada\s+(?:yang|yg|petugas\s+yang|petugas\s+yg|"
    r"petugas)\s*(?:datang|dateng|ke\s+lokasi|ngecek|mengecek|cek|meninjau|survei|survey)\b"
    r"|\b(?:nobody|no\s+one)\s+(?:has\s+|ever\s+)?(?:came|come|visited|showed\s+up|checked)\b"
    # "jelek, petugasnya datang cuma lihat-lihat terus pergi", "belum diapa-apain" to "Sudah beres?" (thirty-third
    # trial: a new complaint with unsure topics began)
    r"|\b(?:cuma|hanya|cuman|mung|cuman|only)\s+(?:di)?(?:lihat|liat|foto|difoto|cek|dicek|ngecek|survei|survey|"
    r"looked|came\s+to\s+look)(?:-\w+|2)?\b.{0,30}\b(?:pergi|pulang|balik|lalu|terus|left|went)\b"
    r"|\b(?:belum|blm|tidak|tdk|gak|ga|nggak|enggak)\s+(?:di)?apa[-\s]?(?:apa|2)(?:in|kan|ke)\b"
    # "pak bisa dicek lagi?", "mohon ditinjau ulang", "please check it again" of a finished complaint (thirtieth
    # trial: offered to an office as a question)
    r"|\b(?:dicek|dicheck|dicek2|diperiksa|ditinjau|dilihat|dilihatin|disurvei|disurvey)\s+(?:lagi|ulang|kembali|maneh)\b"
    r"|\b(?:check|look\s+at|inspect|recheck)\s+(?:it\s+|this\s+)?again\b"
    # "petugasnya tidak datang sama sekali, ditutup sepihak" as the rating's comment (thirty-first trial: thanked, and
    # the complaint stayed closed)
    r"|\b(?:petugas\w*|orang\s+dinas\w*|officers?)\s+(?:\S+\s+)?(?:tidak|tdk|gak|ga|nggak|belum|blm|ora|durung|never|"
    r"did\s+not|didn'?t)\s+(?:pernah\s+|sama\s+sekali\s+)?(?:datang|dateng|ke\s+lokasi|ngecek|mengecek|meninjau|come|"
    r"came|visit)\b|\b(?:ditutup|tutup|closed)\s+(?:secara\s+)?sepihak\b|\basal\s+(?:di)?tutup\b"
    # "lho kok sudah selesai, padahal katanya besok baru diperbaiki?" (thirty-fourth trial: a complaint on unsure
    # topics began): marked done before the work the officer promised
    r"|\b(?:kok|lho|loh|lha|why\s+is\s+it)\s+(?:\S+\s+)?(?:sudah|udah|udh|sdh|wis|already)\s+(?:di)?(?:selesai|selesaikan|"
    r"tutup|ditutup|beres|marked\s+done|closed)\b.{0,60}\b(?:padahal|katanya|belum|blm|baru|besok|but|yet|still)\b"
)
# "lubangnya muncul lagi setelah hujan", "rusak maneh", "broken again": the work held for a while, and the problem is
# back. Said after a negation ("tidak pernah muncul lagi") it is the opposite (`_back_again`).
_BACK_AGAIN = re.compile(
    r"\b(?:muncul|rusak|ambrol|ambruk|jebol|mati|padam|bocor|banjir|berlubang|bolong|macet|mampet|tersumbat|"
    r"numpuk|menumpuk|tergenang|retak|putus|longsor|ngelupas|mengelupas|kambuh|"
    # "tambalannya sudah lepas lagi pak" (thirty-fifth trial: "not understood")
    r"lepas|copot|hancur|ambles|amblas|pecah|rontok|roboh|tumbang|keruh|bau|kotor)\s+(?:lagi|maneh|meneh|malih)\b"
    r"|\b(?:broken|leaking|flooded|blocked|back|off)\s+again\b|\bcame\s+back\b"
)
_NEGATIONS = frozenset({"tidak", "tdk", "gak", "ga", "gk", "nggak", "enggak", "ndak", "nda", "tak", "ora", "mboten",
                        "boten", "belum", "blm", "durung", "dereng", "not", "never", "jangan", "usah"})
_BETWEEN_NEGATION = frozenset({"pernah", "akan", "bakal", "sampai", "sampe", "sampek", "boleh", "nate"})


# "lho belum pak, yg depan masjid masih ...", "waduh belum bu, ...": a "not yet" within the first words, said right
# after "Sudah beres?" (dialogue._done_ticket), answers it with more to tell the officer.
# "belum pernah secepat ini" (never before) is praise, not a "not yet".
_NOT_YET_FIRST = re.compile(r"^(?:\S+\s+){0,2}?(?:belum|blm|blum|durung|dereng|not yet)\b"
                            r"(?!\s+(?:pernah|tau|tahu|nate|ever))")


# "papannya sudah diganti tapi pagar pengamannya belum dipasang": done in part, the rest not yet.
_PARTLY = re.compile(r"\b(?:tapi|tp|tetapi|namun|cuma|cuman|hanya|but|only|nanging|ning)\b(?:\s+\S+){0,8}?\s+"
                     r"(?:belum|blm|blum|masih|durung|dereng|taksih|still|not yet)\b")


# "baru setengah yang ditambal pak, yang dekat masjid belum", "only half of it was fixed": done in part, said
# without a "but".
_HALF_DONE = re.compile(r"\b(?:baru|cuma|cuman|hanya|mung|only|just)\s+(?:setengah|sebagian|separuh|separo|sebagean|"
                        r"sak\s*paro|half|part|some)\b|\bpartly\b|\bpartially\b"
                        r"|\byang\s+(?:\S+\s+){1,6}(?:belum|blm|durung|dereng)(?:\s+(?:pak|bu|mas|mbak|min))?\s*$")


def starts_not_yet(text: str) -> bool:
    """A "not yet" within the first words, or done in part with the rest not yet."""
    low = u.plain(text)
    return bool(_NOT_YET_FIRST.match(low) or _PARTLY.search(low) or _HALF_DONE.search(low))


async def own_done_ticket(turn: Turn, number: str) -> Ticket | None:
    """The resident's own ticket `number` when it was finished within REOPEN_DAYS (it can be reopened in words)."""
    ticket = await turn.store.get_ticket(number)
    if (ticket is None or ticket.reporter != turn.identity.key or ticket.status not in (STATUS_DONE, STATUS_CLOSED)
            or ticket.closed_at is None or turn.now - ticket.closed_at > timedelta(days=REOPEN_DAYS)
            or await duplicates.open_main(turn, ticket)):  # joined to one still being handled: not done
        return None
    return ticket


# "lho kok gitu, ini jalan desa pak bukan jalan provinsi", "itu tidak benar pak, belum ada yang datang", "that's not
# true": the closing note contested, right after "Sudah beres?"
_DISPUTE = re.compile(r"^(?:lho|loh|lha|lah|lo|waduh|wah|lho\s+kok|loh\s+kok)?\s*(?:kok|lho|loh)\s+"
                      # ("lho kok sudah selesai, padahal katanya besok baru diperbaiki?": thirty-fourth trial)
                      r"(?:sudah\s+|udah\s+|udh\s+|sdh\s+|wis\s+)?(?:gitu|begitu|gini|begini|bisa|malah|ditutup|selesai)\b"
                      r"|\b(?:tidak|gak|ga|nggak|enggak)\s+(?:benar|bener|betul)\b|\b(?:itu|ini)\s+(?:salah|keliru|bohong)\b"
                      r"|\bthat'?s\s+(?:not\s+true|wrong|a\s+lie)\b|\bnot\s+true\b")
DISPUTE_WORDS = 25


def disputes_closing(text: str) -> bool:
    low = u.plain(text)
    return 0 < len(low.split()) <= DISPUTE_WORDS and bool(_DISPUTE.search(low))


def says_not_fixed(text: str) -> bool:
    """'belum selesai pak, jembatannya masih ambrol', 'still broken', 'lubangnya muncul lagi': the work did not solve
    it, or the problem is back."""
    low = u.plain(text)
    return bool(_NOT_FIXED.search(low)) or _back_again(low)


def _back_again(low: str) -> bool:
    """'pak lubangnya muncul lagi setelah hujan', not 'semoga tidak rusak lagi' nor 'jangan sampai rusak lagi' (the
    word before, past "pernah", "sampai", is no negation)."""
    for found in _BACK_AGAIN.finditer(low):
        before = low[:found.start()].split()
        while before and before[-1] in _BETWEEN_NEGATION:
            before.pop()
        if before and before[-1] in _NEGATIONS:
            continue
        if _WORRY.intersection(before[-3:]):  # "tapi aspalnya tipis, takutnya cepat rusak lagi": a worry, not a fact
            continue
        return True
    return False


# words before "rusak lagi" that make it a fear for later (thirty-eighth trial: reopened after a 5-star rating)
_WORRY = frozenset({"takut", "takutnya", "khawatir", "khawatirnya", "kuatir", "kawatir", "cemas", "waswas", "was-was",
                    "worried", "afraid", "semoga", "moga", "mudah-mudahan", "mudah2an", "nanti", "ntar", "gampang",
                    "bakal", "will", "might", "kuwatir", "wedi"})


THANKS_DAYS = 3
_NOT_FOR_OFFICER_THANKS = re.compile(r"\b(?:info|infonya|informasi|informasinya|jawaban|jawabannya|penjelasan|"
                                     r"penjelasannya|bot|admin|min|the info|the answer)\b")


async def pass_thanks_on(turn: Turn, text: str) -> bool:
    """A thank-you after a complaint was finished goes to its officers and its history; False with none finished
    lately."""
    ticket = await recently_done(turn)
    if (ticket is None or ticket.closed_at is None or turn.now - ticket.closed_at > timedelta(days=THANKS_DAYS)
            or _NOT_FOR_OFFICER_THANKS.search(u.plain(text))
            or any(e.at >= ticket.closed_at for e in await turn.store.ticket_events(ticket.number, "thanks"))):
        return False  # long after, about the bot's own answer ("makasih infonya"), or already passed on once
    turn.event(ticket, "thanks", text)
    await notify_staff_of_ticket(turn, ticket, "resident_thanks_to_officer", f"thanks:{ticket.number}", text=text)
    turn.say("thanks_passed_on", opd=handler_name(turn, ticket))
    return True


# "boleh minta foto bukti perbaikannya pak?", "can you send a photo of the repair?" after a complaint was finished:
# for its officers (twenty-sixth trial: its "boleh" was a yes to "Sudah beres?", then it was offered to an office)
_PROOF = re.compile(r"\b(?:foto|fotonya|gambar|bukti|buktinya|dokumentasi|dokumentasinya|photos?|pictures?|proof)\b")
# (named apart from the appreciation's `_ASKS_FOR` below, which this one's name hid: forty-second trial)
_ASKS_PROOF = re.compile(r"\b(?:minta|boleh|bisa|tolong|mohon|kirim|kirimkan|kirimin|lihat|liat|can|could|please|send|"
                         r"show)\b")
# ... of the work ("foto KTP saya" is no proof of a repair)
_THE_WORK = re.compile(r"\b(?:perbaikan\w*|pekerjaan\w*|hasil\w*|dikerjakan|diperbaiki|ditambal|dibersihkan|diganti|"
                       r"diangkut|dipasang|penanganan\w*|sesudah|setelah|repairs?|repaired|fixed|work|done|after)\b")


async def pass_proof_request(turn: Turn, text: str) -> bool:
    """A request to see proof of the work on a complaint just finished: passed to its officers, with a button to
    answer; False for other words, or with none finished lately."""
    low = u.plain(text)
    if (len(low.split()) > FOLLOW_UP_WORDS or not (_PROOF.search(low) and _ASKS_PROOF.search(low))
            or not _THE_WORK.search(low) or says_not_fixed(text)):
        return False
    ticket = await recently_done(turn)
    if ticket is None:
        return False
    turn.event(ticket, "message_in", text)
    await notify_staff_of_ticket(turn, ticket, "resident_proof_request_to_officer", f"in:{ticket.number}",
                                 reply_button=True, text=text)
    turn.say("proof_request_passed", number=ticket.number, opd=handler_name(turn, ticket))
    return True


# "oke makasih pak", "siap, terima kasih banyak bu", "matur nuwun", "thanks!": thanks alone, with no answer in it
_THANKS_PHRASE = re.compile(r"\b(?:terima kasih|terimakasih|trima kasih|matur nuwun|matur suwun|hatur nuhun|"
                            r"thank you|thank u)\b")
_THANKS_WORD = frozenset("makasih makasi mksh trims trimakasih thanks thx tq suwun nuwun maturnuwun".split())
_THANKS_FILLER = frozenset("oke ok okey okay okeh siap sip baik baiklah nggih inggih njih ya iya yes pak bu kak mas "
                           "mbak min bapak ibu banyak sekali sangat very much so lot for the you u atas infonya info "
                           "balasannya jawabannya responnya tanggapannya kabarnya penjelasannya sanget sampun bupati "
                           "walikota wakil regent mayor sir".split())
THANKS_ONLY_WORDS = 10


def only_thanks(text: str) -> bool:
    """A message that thanks and says nothing else ("oke makasih pak", "siap, terima kasih banyak bu 🙏")."""
    low = u.plain(text)
    rest = _THANKS_PHRASE.sub(" ", low).split()
    thanked = len(rest) < len(low.split()) or any(w in _THANKS_WORD for w in rest)
    return (thanked and len(low.split()) <= THANKS_ONLY_WORDS
            and all(w in _THANKS_WORD or w in _THANKS_FILLER or w in _ACK_WORD or w in _ACK_FILLER for w in rest))


# "ok ditunggu pak", "siap, ditunggu kabarnya", "baik pak": an acknowledgement, with nothing in it to pass on
_ACK_WORD = frozenset("ok oke okey okay okeh siap sip baik baiklah noted ditunggu tunggu menunggu tengga tenggo "
                      "nengga nenggo nunggu enteni dienteni nggih inggih njih ya iya yes mantap alright fine waiting "
                      "wait".split())
# ... the words around it: "kula tengga", "saya tunggu kabarnya", "thanks, see you"
_ACK_FILLER = frozenset("kula kulo saya sy aku kabarnya kabar selanjutnya berikutnya see bye later".split())


def only_ack(text: str) -> bool:
    """A message that only acknowledges ("ok ditunggu pak", "siap bu") or thanks."""
    words = u.plain(_THANKS_PHRASE.sub(" ", u.plain(text))).split()
    return (only_thanks(text) or (bool(words) and len(words) <= THANKS_ONLY_WORDS
                                  and any(w in _ACK_WORD for w in words)
                                  and all(w in _ACK_WORD or w in _ACK_FILLER or w in _THANKS_FILLER
                                          or w in _THANKS_WORD for w in words)))


async def staff_asked(turn: Turn, ticket: Ticket) -> bool:
    """Whether staff's last words to the reporter of `ticket` ask something ("… di depan rumah nomor berapa?")."""
    said = await turn.store.ticket_events(ticket.number, "message_out")
    return bool(said) and "?" in (said[-1].text or "")


async def courtesy_on_open(turn: Turn, ticket: Ticket, text: str) -> None:
    """Thanks or an acknowledgement of an officer's words on a ticket still open ("oke makasih pak" after
    "dijadwalkan hari Kamis", "ok ditunggu pak"): passed on like any answer (the officers see their words were
    read), but the resident hears the ticket goes on, not "Jika ini aduan baru"."""
    told = await _pass_to_staff(turn, ticket, text)
    if ticket.kind == "bupati" and not ticket.opd_id:
        key = "thanks_on_open_regent"
    else:
        key = worded(turn, ticket, "thanks_on_open_ticket" if only_thanks(text) else "ack_on_open_ticket")
    if not told and turn.texts.has(f"{key}_recorded"):  # no officer to tell yet (in triage, none enrolled)
        key = f"{key}_recorded"
    turn.say(key, number=ticket.number)


# "please hurry, it's dangerous", "mohon segera ya pak, bahaya": urging, said with thanks
_URGING = re.compile(r"\b(?:hurry|asap|urgent|dangerous|segera|secepatnya|dipercepat|cepat\s+(?:ditangani|diperbaiki|"
                     r"dibenerin)|bahaya|berbahaya|membahayakan|gek\s+ndang|enggal|diprioritaskan|prioritaskan|"
                     r"didahulukan|prioritize|prioritise|sekarang\s+juga|saat\s+ini\s+juga|right\s+now|"
                     r"kirim\w*\s+(?:petugas|orang|org|tim)|send\s+(?:someone|somebody|a\s+team|an\s+officer))\b")


async def urge_open_ticket(turn: Turn, text: str) -> bool:
    """Thanks with urging in it ("ok thanks, please hurry, it's dangerous") from a resident whose latest ticket is
    open: the words are passed to its officers (not only "sama-sama"); False otherwise."""
    if only_thanks(text) or not _URGING.search(u.plain(text)):
        return False
    latest = await turn.store.recent_tickets(turn.identity.key, 1)
    if not latest or latest[0].status not in OPEN_STATUSES or latest[0].kind == LETTER_KIND:
        return False
    return await add_resident_message(turn, latest[0].number, text)


async def recently_done(turn: Turn) -> Ticket | None:
    """The resident's ticket finished within the rating window, most recent first."""
    wanted = turn.state.get("rating_ticket")
    candidates = [await turn.store.get_ticket(wanted)] if wanted else []
    candidates += await turn.store.recent_tickets(turn.identity.key, 3)
    for ticket in candidates:
        if ticket is None or ticket.reporter != turn.identity.key or await duplicates.open_main(turn, ticket):
            continue  # (joined to a complaint still being handled: not done, its words go there)
        if ticket.status in (STATUS_DONE, STATUS_CLOSED) and ticket.closed_at is not None and (
            turn.now - ticket.closed_at <= timedelta(days=REOPEN_DAYS)
        ):
            return ticket
    return None


_FIXED_WORDS = frozenset({"sudah", "sudah beres", "sudah pak", "sudah bu", "udah", "udah beres", "sudah selesai",
                          "beres", "sampun", "wis", "yes", "yes fixed", "fixed", "it is fixed", "sip", "alhamdulillah",
                          # "lumayan lah": good enough (it was not understood); the rating that follows says how good
                          "lumayan", "lumayan lah", "lumayanlah", "lumayan pak", "lumayan bu", "ya lumayan",
                          "cukup lah", "oke lah", "okelah", "good enough"})
_NOT_YET_WORDS = frozenset({"belum", "belum pak", "belum bu", "blm", "durung", "dereng", "not yet", "belum beres"})


def fixed_answer(text: str) -> bool | None:
    """A typed answer to "Sudah beres?": True, False, or None when it is something else. Besides the short
    answers, a yes or no in a few words counts: 'alhamdulillah sudah pak, terima kasih banyak'. Words saying it
    is not fixed ('belum, masih bocor') are None here: they reopen the ticket with what was said."""
    low = u.plain(text)
    if low in _FIXED_WORDS:
        return True
    if low in _NOT_YET_WORDS:
        return False
    if says_not_fixed(text) or find_ticket_number(text) or len(low.split()) > 8:
        return None  # "belum, masih bocor" reopens the ticket with those words (dialogue._done_ticket)
    if set(low.split()) & _BUT_WORDS:
        return None  # "sudah tapi bocor lagi", "iya masih": not a plain yes; the buttons stay the answer
    if low.split()[:1] in (["boleh"], ["bisa"], ["minta"], ["tolong"], ["mohon"], ["can"], ["could"], ["please"]) or (
            text.rstrip().endswith("?") and len(low.split()) > 2):
        return None  # "boleh minta foto bukti perbaikannya pak?": a request, no yes (twenty-sixth trial: rated)
    if low.split()[:1] == ["alhamdulillah"]:
        return True  # "alhamdulillah udh nyala semua mas makasih"
    return u.yes_no(text)


def _bare_no(text: str) -> bool:
    """'belum', 'lho belum pak', 'durung mas' (or no words: the button): a "not yet" that tells nothing more."""
    said = " ".join(w for w in u.plain(text).split() if w not in _POLITE | _NO_FILLERS)
    return said in _NOT_YET_WORDS or not u.plain(text)


_NO_FILLERS = frozenset({"lho", "loh", "lha", "wah", "waduh", "eh", "kok", "sih", "ya", "yah", "iya", "yo", "ini",
                         "itu", "kayaknya", "sepertinya", "sayangnya"})
_BUT_WORDS = frozenset({"tapi", "tp", "namun", "masih", "lagi", "sebagian", "kurang", "cuma", "cuman", "hanya",
                        "but", "still", "partly", "again"})


_RATING_WORDS = frozenset({"bintang", "nilai", "nilainya", "rating", "star", "stars", "skor", "score",
                           "kasih", "beri", "bintangnya"})
# The scale in words, as residents answer "1 (sangat buruk) sampai 5 (sangat baik)" (twenty-sixth trial: "bagus
# sekali" was not understood, "mantap" was thanked for); only the whole message, so "bagus tapi lama" is no rating.
# A bare "baik" is left out: it is as often "alright".
_RATING_PHRASES = {
    **dict.fromkeys(("sangat baik", "sangat bagus", "bagus sekali", "baik sekali", "bagus banget", "baik banget",
                     "sangat puas", "puas sekali", "puas banget", "sangat memuaskan", "memuaskan sekali", "mantap",
                     "mantab", "mantul", "mantap sekali", "mantap banget", "luar biasa", "sempurna", "top", "keren",
                     "excellent", "very good", "great", "perfect", "apik banget", "sae sanget", "sip banget",
                     # "good job" to "Sudah beres?" (thirty-ninth trial: "you're welcome", no rating)
                     "good job", "great job", "well done", "nice work", "nice job", "awesome", "amazing"), 5),
    **dict.fromkeys(("bagus", "puas", "memuaskan", "good", "apik", "sae", "oke banget", "cukup baik",
                     "cukup bagus", "cukup puas"), 4),
    **dict.fromkeys(("lumayan", "cukup", "biasa", "biasa saja", "biasa aja", "standar", "sedang", "not bad",
                     "so so", "so-so", "average", "lumayan baik", "lumayan bagus"), 3),
    **dict.fromkeys(("kurang", "kurang baik", "kurang bagus", "kurang puas", "kurang memuaskan", "jelek", "buruk",
                     "poor", "bad", "not good", "elek"), 2),
    **dict.fromkeys(("sangat buruk", "sangat jelek", "jelek sekali", "jelek banget", "buruk sekali", "parah",
                     "sangat kecewa", "kecewa berat", "mengecewakan", "very bad", "terrible", "awful", "elek banget"),
                    1),
}
# Where the first clause of "lumayan lah pak, agak lama tapi" / "bagus tapi lama" ends.
_CLAUSE_END = re.compile(r"(?<=\w)\s*(?:[,;.!]+|\s(?=(?:tapi|tp|tetapi|namun|but|soalnya|karena|krn)\b))",
                         re.IGNORECASE)
_RATING_DIGIT = re.compile(r"(?<![\d/.,])([1-5])(?![\d.,]*\d)")
_STARS = re.compile(r"^[⭐★🌟\s]+$")
_TEN_OF_TEN = re.compile(r"^(?:nilai\s+|bintang\s+)?(?:10|sepuluh|ten)\s*(?:/|dari|of|out\s+of)?\s*(?:10|sepuluh|ten)"
                         r"(?:\s+(?:pak|bu|deh|dong|min|lah|sir))*$")


def names_rating(text: str) -> bool:
    """The words say they give a rating ("bintang 3 aja, …", "nilai 4", "4/5", "⭐⭐⭐"), not only a number."""
    words = set(u.plain(text).split()) - {"kasih", "beri"}
    return bool(words & _RATING_WORDS) or bool(re.search(r"/\s*5\b|[⭐★🌟]", text))


def rating_in(text: str) -> tuple[int, str] | None:
    """A rating typed in words after "Bagaimana penilaian Anda?": '4', '⭐⭐⭐⭐', '4/5', or 'bintang 4 deh, agak
    lama tapi oke', which gives (4, the whole text) since it says more than the number: that is the comment. None
    when the text holds no single rating from 1 to 5, or a number inside a sentence ('sudah 3 hari')."""
    stripped = text.strip()
    if _STARS.match(stripped) and 1 <= (n := sum(stripped.count(c) for c in "⭐★🌟")) <= 5:
        return n, ""
    if _TEN_OF_TEN.match(u.plain(stripped)):
        return 5, ""  # "sepuluh dari sepuluh", "10/10" (thirty-ninth trial: "not understood")
    if says_not_fixed(text) or find_ticket_number(text):
        return None
    words = u.plain(stripped).split()
    said = [_NUMBER_WORDS[w] for w in words if w in _NUMBER_WORDS]  # "lima", "bintang papat", "five stars"
    if len(said) == 1 and all(w in _NUMBER_WORDS or w in _RATING_WORDS | _RATING_FILLERS | _POLITE for w in words):
        return said[0], ""
    if (value := _RATING_PHRASES.get(" ".join(w for w in words if w not in _RATING_FILLERS | _POLITE))) is not None:
        return value, ""  # "bagus sekali", "lumayan lah", "kurang memuaskan": the words of the scale
    out_of_five = re.sub(r"\s*/\s*5\b", "", stripped)
    match = _RATING_DIGIT.search(out_of_five)
    if match is None or len(re.findall(r"\d+", out_of_five)) != 1:
        return None
    words = u.plain(stripped).split()
    named = any(w in _RATING_WORDS for w in words) or out_of_five != stripped
    rest = [w for w in (out_of_five[:match.start()] + " " + out_of_five[match.end():]).split()
            if u.plain(w) and u.plain(w) not in _RATING_WORDS | _RATING_FILLERS]
    if not named and rest and match.start() > 0:
        return None  # "sudah 3 hari", "masih 2 lubang": a number in a sentence is no rating ("4 deh, cepat" is one)
    said_more = [w for w in rest if u.plain(w) not in _POLITE]  # "bintang 3 aja, lambat": one word is a comment too
    return int(match.group(1)), (stripped if len(rest) >= 2 or (said_more and "," in stripped) else "")


TOP_RATING = 5  # "good job", "sangat bagus" alone to "Sudah beres?": fixed, and the top of the scale
FIXED_RATING_LED = 3  # "lumayan, tapi …" to "Sudah beres?" says it is fixed; "kurang puas, …" does not


def rating_led(text: str) -> tuple[int, str] | None:
    """"lumayan lah pak, agak lama tapi", "bagus, tapi lama": the words of the scale, then a comment, as (rating, the
    whole text). Only an answer to the rating question itself (dialogue._done_ticket; twenty-ninth trial: taken for
    a new complaint): elsewhere "bagus tapi lama" is no rating (`rating_in`)."""
    stripped = text.strip()
    if says_not_fixed(text) or find_ticket_number(text):
        return None
    words = u.plain(stripped).split()
    clause = [w for w in u.plain(_CLAUSE_END.split(stripped, maxsplit=1)[0]).split()
              if w not in _RATING_FILLERS | _POLITE]
    if len(clause) < len(words) and (value := _RATING_PHRASES.get(" ".join(clause))) is not None:
        return value, stripped
    return None


# "eh salah pak, maksud saya 5", "maaf pencet salah, harusnya bintang 5", "ubah nilai jadi 5", "sorry, I meant 5":
# a rating given is corrected (twenty-fifth trial: taken for the comment, or, later, for a new complaint).
_RATING_FIX = re.compile(r"\b(?:salah|keliru|kepencet|kepilih|maksud\w*|harusnya|seharusnya|mestinya|ubah|ubahkan|"
                         r"diubah|ganti|diganti|gantikan|koreksi|ralat|revisi|jadiin|jadikan|meant|mean|change|wrong|"
                         r"mistake|instead|update)\b")
RATING_FIX_WORDS = 12
RATING_FIX_BARE_WORDS = 8  # without "nilai"/"bintang", only a short correction that begins so ("eh salah, maksud…")
_RATING_FIX_LEAD = re.compile(r"^(?:(?:eh+|maaf|sorry|aduh|waduh|oops|ups|pak|bu|mas|mbak|kak|oh)\s+)*"
                              # "eh ratingnya salah, harusnya 5", "my rating was wrong, 5" (thirty-ninth trial: kept
                              # as the comment, the 3 standing)
                              r"(?:(?:rating|nilai|bintang|penilaian)(?:nya)?\s+(?:(?:tadi|saya|is|was)\s+)?|"
                              r"(?:my|the)\s+rating\s+(?:is\s+|was\s+)?)?"
                              r"(?:salah|keliru|kepencet|(?:pencet|klik|tekan|ketik)\s+salah|maksud\w*|harusnya|"
                              r"seharusnya|ralat|koreksi|ganti|ubah|i\s+meant|meant|wrong)\b")
RATING_FIX_DAYS = 7  # a rating this recent may be changed by words alone
RATING_REASON_WORDS = 7  # a correction this long says why, too: kept as the rating's comment


def rating_change_in(text: str, *, named: bool = True) -> int | None:
    """The new rating of words that correct one ("maksud saya 5"), else None. `named`: the words must also say it
    is the rating ("ubah nilai jadi 5"), as they must when no rating was just given."""
    low = u.plain(text)
    if len(low.split()) > RATING_FIX_WORDS or not _RATING_FIX.search(low) or says_not_fixed(text):
        return None
    if named and not names_rating(text) and not re.search(r"\b(?:penilaian|penilaiannya)\b", low):
        return None
    if not named and (len(low.split()) > RATING_FIX_BARE_WORDS or not _RATING_FIX_LEAD.match(low)):
        return None  # "pelayanan lambat, harusnya 3 hari sudah selesai" is a comment: the correction comes first
    said = {_NUMBER_WORDS[w] for w in low.split() if w in _NUMBER_WORDS}
    digits = re.findall(r"\d+", re.sub(r"\s*/\s*5\b", "", text))
    if len(digits) == 1 and not said and 1 <= int(digits[0]) <= 5:
        return int(digits[0])
    if len(said) == 1 and not digits:
        return said.pop()
    return None


RESTATED_WORDS = 4


def restated_rating(text: str) -> int | None:
    """"bintang 5 deh", "nilai 4 ya" said after the rating was given: that rating, else None."""
    found = rating_in(text) if len(u.plain(text).split()) <= RESTATED_WORDS and names_rating(text) else None
    return found[0] if found else None


async def change_recent_rating(turn: Turn, value: int, text: str = "", *, restated: bool = False) -> bool:
    """"ubah nilai jadi 5": the resident's most recently rated complaint (of the last RATING_FIX_DAYS) gets it;
    words that say why ("ubah nilai jadi 3, ternyata tambalannya jelek") become its comment. `restated` ("bintang 5
    deh" after rating it 5; thirty-sixth trial: not understood): the same rating is said to be noted already."""
    for ticket in await turn.store.recent_tickets(turn.identity.key, 10):
        if (ticket.rating is not None and ticket.closed_at is not None
                and ticket.closed_at >= turn.now - timedelta(days=RATING_FIX_DAYS)):
            if restated and ticket.rating == value:
                turn.say("rating_already_noted", number=ticket.number, rating=value)
                return True
            _change_rating(turn, ticket, value)
            if len(u.plain(text).split()) >= RATING_REASON_WORDS:
                await _keep_rating_comment(turn, ticket, text)
            turn.say("rating_changed", number=ticket.number, rating=value)
            return True
    return False


def _rating_fix_then_comment(text: str) -> tuple[int, str] | None:
    """A rating corrected first, then words on the work ("eh maaf salah pencet, harusnya 3, tambalannya kurang rapi"):
    (the new rating, the words after it); None when the words are not so."""
    found = re.search(r"\b[1-5]\b(?:\s*/\s*5\b)?[^,.;!\n]*[,.;!\n]+\s*", text)
    if found is None:
        return None
    head, rest = text[: found.end()].strip(" ,.;!"), text[found.end():].strip()
    value = rating_change_in(head, named=False) or rating_change_in(head)
    if value is None or len(rest.split()) < 2:
        return None
    return value, rest


def _change_rating(turn: Turn, ticket: Ticket, value: int) -> None:
    ticket.rating = value
    turn.save_ticket(ticket)
    turn.event(ticket, "rating", None, rating=value)


_RATING_FILLERS = frozenset({"deh", "aja", "saja", "ya", "dari", "of", "out", "saya", "sy", "aku", "lah", "dong"})
_NUMBER_WORDS = {"satu": 1, "dua": 2, "tiga": 3, "empat": 4, "lima": 5, "siji": 1, "setunggal": 1, "loro": 2,
                 "kalih": 2, "telu": 3, "tigo": 3, "papat": 4, "sekawan": 4, "limo": 5, "gangsal": 5,
                 "one": 1, "two": 2, "three": 3, "four": 4, "five": 5}
_POLITE = frozenset({"pak", "bu", "kak", "mas", "mbak", "min", "nggih", "mawon", "wae", "ae", "kulo", "kula"})


async def answer_fixed(turn: Turn, number: str, fixed: bool, typed: str = "") -> None:
    """The answer to "Sudah beres?": yes asks for a rating, not yet reopens the ticket. A "not yet" `typed` with
    more than the bare no ("belum pak, yang depan toko bangunan belum ditambal") goes to the officers with it, and
    the resident is not asked to tell it again."""
    ticket = await _own_finished_ticket(turn, number, "fixed_already_open")
    if ticket is None:
        return
    asked = turn.state.pop(FIXED_WHICH_KEY, None)
    if not typed and isinstance(asked, dict) and number in (asked.get("numbers") or []):
        typed = str(asked.get("text") or "")  # "belum pak, yg depan toko …" before "which one?": its words go along
    typed = typed or other_matter_words(turn, number)  # "reopen it" to "reopen or new?": the words go along
    if not fixed:
        await reopen(turn, ticket, None if _bare_no(typed) else typed.strip())
        return
    if typed and poor_fix(typed):  # "kurang puas, …", then "fixed after all": the words go with the rating
        turn.state[RATING_WORDS_KEY] = {"number": number, "text": typed.strip()[:2000]}
    turn.state["rating_ticket"] = number
    turn.state["rating_asked"] = number  # a rating in words counts only as the answer to this question
    turn.say("rating_ask", _rating_buttons(turn, number)[:5], number=number)


# "bagus pak mantap, cepat sekali", "keren, rapi banget", "great job, thanks": the work praised, so fixed
_PRAISE = re.compile(r"^(?:\S+\s+){0,2}?(?:bagus|mantap|mantab|mantul|keren|top|jos|joss|sip|rapi|puas|memuaskan|"
                     r"gercep|great|nice|excellent|awesome|well\s+done|josss)\b")
_PRAISE_BUT = re.compile(r"\b(?:kurang|tidak|tdk|gak|ga|gk|nggak|ngga|belum|blm|masih|tapi|tp|namun|cuma|cuman|hanya|"
                         r"but|not|still|yet|lama|lambat|telat|slow)\b")
PRAISE_WORDS = 12


def praises_fix(text: str) -> bool:
    """Words to "Sudah beres?" that praise the work and take nothing back ("bagus pak mantap, cepat sekali")."""
    low = u.plain(text)
    return (len(low.split()) <= PRAISE_WORDS and bool(_PRAISE.search(low)) and not _PRAISE_BUT.search(low)
            and not says_not_fixed(text) and not u.is_question(text))


#: Conversation state: "belum" / "sudah" typed while several of the resident's tickets wait for "Sudah beres?": the
#: tickets offered, the answer and the words, until the resident says which ticket they meant.
FIXED_WHICH_KEY = "fixed_which"
# Words that say how a thing is or are said around it, never which thing: "belum pak, masih rusak" names no ticket
# (a street light is "rusak" too), "yg jalan pak" names the road.
_NOT_NAMING = frozenset({"rusak", "mati", "padam", "nyala", "menyala", "bocor", "macet", "mampet", "parah", "beres",
                         "selesai", "sudah", "udah", "udh", "sdh", "dah", "belum", "blm", "blum", "masih", "tidak",
                         "tdk", "gak", "ga", "gk", "lagi", "baik", "bagus", "yang", "yg", "di", "dan", "desa",
                         "dusun", "kec", "kecamatan", "kelurahan", "kel", "rt", "rw", "jl", "dekat", "depan", "makasih",
                         "terima", "kasih", "thanks", "the", "one", "not", "yet", "still", "fixed", "broken"})
# "lampunya udh nyala kok", "jalannya sudah mulus": fixed, told in the resident's own words.
_FIXED_NOW = re.compile(
    r"\b(?:sudah|udah|udh|sdh|dah|wis|uwis|sampun|already|is|now)\s+(?:\S+\s+)?(?:nyala|menyala|beres|selesai|"
    r"diperbaiki|dibenerin|diganti|bagus|baik|lancar|mulus|diangkut|bersih|terang|normal|aman|urip|fixed|working|"
    r"repaired|ok|oke|"
    # "jalannya sudah ditambal kemarin" (twenty-seventh trial: thanked, and the "5" after it not understood)
    r"ditambal|diaspal|dicor|dibetulkan|dibetulin|dibersihkan|dipangkas|ditebang|dikeruk|disedot|dilepas|"
    r"diturunkan|ditertibkan|dibongkar|dipasang|patched|cleaned|cleared|"
    # "matur nuwun pak, sampun sae dalanipun" (fortieth trial: "you're welcome", and the "5" after it not understood)
    r"sae|apik|becik|padhang|rampung|didandani|dipundandosi|dandos)\b"
    # "it works now", "the light is working again" (twenty-eighth trial)
    r"|\b(?:works?|working)\s+(?:now|again|fine)\b"
)


async def awaiting_fixed(turn: Turn) -> list[Ticket]:
    """The resident's tickets marked done within REOPEN_DAYS whose "Sudah beres?" is not answered yet."""
    asked = turn.state.get("rating_asked")  # said fixed already: its rating is asked
    return [t for t in await turn.store.recent_tickets(turn.identity.key, MY_TICKETS)
            if t.status == STATUS_DONE and t.closed_at is not None and t.number != asked
            and turn.now - t.closed_at <= timedelta(days=REOPEN_DAYS) and not t.extra.get(WITHDRAWN)
            and t.kind != LETTER_KIND and not t.extra.get("crisis")]


def _fixed_verdict(text: str) -> bool | None:
    """What words typed after "Sudah beres?" answer: not fixed ("belum pak, masih rusak"), fixed ("sudah",
    "lampunya udh nyala kok"), or None."""
    if says_not_fixed(text) or starts_not_yet(text):
        return False
    fixed = fixed_answer(text)
    if fixed is not None:
        return fixed
    low = u.plain(text)
    return True if _FIXED_NOW.search(low) and not set(low.split()) & _BUT_WORDS else None


def _about_and_place(turn: Turn, ticket: Ticket) -> str:
    """"Jalan rusak · dusun krajan desa sumberejo": what a ticket is about and where, to tell two apart."""
    location = ticket.location or {}
    place = " ".join(str(location[k]) for k in ("name", "address") if location.get(k))
    return f"{_about(turn, ticket)} · {place}" if place else _about(turn, ticket)


def _named_about(turn: Turn, ticket: Ticket) -> str:
    """`_about_and_place`, after the resident's name when a village official filed it for them."""
    name = behalf_name(ticket)
    return f"{name} · {_about_and_place(turn, ticket)}" if name else _about_and_place(turn, ticket)


def named_among(turn: Turn, tickets: list[Ticket], text: str, parse: dict[str, Any] | None) -> Ticket | None:
    """Which of `tickets` the words name by topic or place ("lampunya …", "yg di dusun krajan", "yg kedua"), or,
    when a word names a topic of several ("yg jalan pak": Jalan rusak and Lampu penerangan jalan), the one the NLU
    is sure the words are about. None when they name none, or two alike."""
    low = " ".join(w for w in u.plain(text).split() if w not in _NOT_NAMING | _POLITE | _NO_FILLERS)
    if not low or not tickets:
        return None
    about = {t.number: _about_and_place(turn, t) for t in tickets}
    number = which_ticket(low, list(about), about)
    if number is None:
        routing = (parse or {}).get("opd") or {}
        sure = isinstance(routing, dict) and float(routing.get("confidence") or 0) >= OTHER_MATTER_CONFIDENCE
        same = [t for t in tickets if sure and t.topic and t.topic == routing.get("topic")]
        stems = {w.removesuffix("nya") for w in low.split()}
        if len(same) == 1 and stems & set(u.plain(about[same[0].number]).split()):
            number = same[0].number
    return next((t for t in tickets if t.number == number), None)


def another_matter(turn: Turn, topics: set[str | None], parse: dict[str, Any] | None) -> bool:
    """Six words or more the NLU is sure are a complaint on another topic than all of `topics` ("sampah menumpuk di
    depan balai desa sudah seminggu tidak diangkut" after a street light was fixed): a new complaint, whatever
    "tidak diangkut" says."""
    routing = (parse or {}).get("opd") or {}
    if not isinstance(routing, dict) or not routing.get("topic") or routing.get("topic") in topics:
        return False
    sure = float(routing.get("confidence") or 0) >= OTHER_MATTER_CONFIDENCE
    return sure and routing.get("topic") in turn.directory.routing and len(turn.message.text.split()) >= \
        OTHER_MATTER_WORDS


# "yang jalan belum, yang lampu sudah" to the street light's "Sudah beres?": each clause about one complaint
_VERDICT_CLAUSES = re.compile(r"[,;.]+|\b(?:tapi|tp|tetapi|sedangkan|sementara|kalau|kalo|klo|dan|but|while)\b")
_DONE_SAID = re.compile(r"\b(?:sudah|udah|udh|sdh|wis|sampun|beres|selesai|nyala|menyala|terang|bagus|done|fixed)\b")
_NOT_YET_SAID = re.compile(r"\b(?:belum|blm|durung|dereng|masih|tidak|tdk|gak|ga|nggak|not|still)\b")


async def split_verdict(turn: Turn, done: Ticket, text: str) -> Ticket | None | bool:
    """When `text` says the finished `done` complaint is fixed in one clause and speaks of another of the resident's
    complaints in another ("yang jalan belum, yang lampu sudah"; thirty-second trial: the street light was reopened):
    the other complaint (or True when none is named); False when the words are not so split."""
    clauses = [u.plain(c) for c in _VERDICT_CLAUSES.split(text.lower()) if c and u.plain(c)]
    if len(clauses) < 2:
        return False
    others = [t for t in await turn.store.recent_tickets(turn.identity.key, STATUS_LOOK_BACK)
              if t.number != done.number and t.kind == "aduan" and t.status in OPEN_STATUSES]
    fixed = other = None
    for clause in clauses:
        if named_among(turn, [done], clause, None) is not None and _DONE_SAID.search(clause) \
                and not _NOT_YET_SAID.search(clause):
            fixed = True
        elif others and (named := named_among(turn, others, clause, None)) is not None:
            other = named
    if not fixed:
        return False
    return other or True


async def answer_fixed_which(turn: Turn, text: str, parse: dict[str, Any] | None) -> bool:
    """"belum pak, masih rusak" while two tickets wait for "Sudah beres?": asks which (a button each, named by topic
    and place, its answer and these words kept), unless the words name one ("yg jalan pak", "lampunya udh nyala
    kok"); then that one is answered. False when the words answer no "Sudah beres?" or only one waits (the
    single-ticket checks in dialogue._done_ticket take it)."""
    asked = turn.state.pop(FIXED_WHICH_KEY, None)
    if not asked and not turn.state.get("rating_ticket"):
        return False  # no "Sudah beres?" was asked
    waiting = await awaiting_fixed(turn)
    if isinstance(asked, dict):  # the answer to "which one?"
        chosen = named_among(turn, [t for t in waiting if t.number in (asked.get("numbers") or [])], text, parse)
        if chosen is not None:
            await answer_fixed(turn, chosen.number, bool(asked.get("fixed")), str(asked.get("text") or ""))
            return True
    if turn.state.get("rating_ticket") and len(waiting) > 1 and all_fixed(text):
        await answer_all_fixed(turn, waiting[:MAX_WHICH])  # "sudah semua pak", "dua2nya sudah": each is rated
        return True
    verdict = _fixed_verdict(text)
    opener = starts_not_yet(text) or fixed_answer(text) is not None  # "belum pak, yang depan toko bangunan": an answer
    if (not turn.state.get("rating_ticket") or not waiting or verdict is None
            or (not opener and another_matter(turn, {t.topic for t in waiting}, parse))):
        return False  # ("lampu merah di perempatan mati, tidak diperbaiki" after a street light: a new complaint)
    chosen = named_among(turn, waiting, text, parse)
    if chosen is not None and (len(waiting) > 1 or (verdict and fixed_answer(text) is None)):
        await answer_fixed(turn, chosen.number, verdict, text)  # one named: "lampunya udh nyala kok, makasih"
        return True
    if len(waiting) < 2 or chosen is not None:
        return False
    shown = waiting[:MAX_WHICH]
    answer = "yes" if verdict else "no"
    turn.state[FIXED_WHICH_KEY] = {"numbers": [t.number for t in shown], "fixed": verdict, "text": text[:2000]}
    turn.say("fixed_which_ask", [Button(_named_about(turn, t)[:60], f"{u.FIXED_PREFIX}{t.number}:{answer}")
                                 for t in shown],
             numbers=", ".join(numbered(t) for t in shown), example=_about(turn, shown[0]).split()[0].lower())
    return True


MAX_WHICH = 5  # tickets offered as buttons when asking which one

# "sudah semua pak", "dua2nya sudah", "semuanya beres": every ticket waiting for "Sudah beres?" is fixed.
_ALL = re.compile(r"\b(?:semua|semuanya|smua|smuanya|dua2nya|dua-duanya|dua duanya|duanya|keduanya|kedua2nya|"
                  r"kabeh|kabeh e|sedaya|sedoyo|both|all)\b")
_ALL_FIXED_WORDS = frozenset({"sudah", "udah", "udh", "sdh", "dah", "beres", "selesai", "sampun", "wis", "fixed",
                              "done", "ok", "oke", "aman", "mantap"})
_EXCEPT = re.compile(r"\b(?:kecuali|selain|except|but|belum|blm|durung|dereng|not)\b")


def all_fixed(text: str) -> bool:
    """'sudah semua pak', 'dua2nya sudah', 'semuanya beres': all of them are fixed (not 'belum semua', 'sudah semua
    kecuali lampunya', 'semua masih rusak')."""
    low = u.plain(text)
    if not _ALL.search(low) or _EXCEPT.search(low) or set(low.split()) & _BUT_WORDS or says_not_fixed(text):
        return False
    return _fixed_verdict(text) is True or bool(set(low.split()) & _ALL_FIXED_WORDS)


async def answer_all_fixed(turn: Turn, tickets: list[Ticket]) -> None:
    """"sudah semua pak" with several tickets waiting for "Sudah beres?": thanks once, then each one's rating asked as
    for one ticket (its own stars; a typed digit rates the first)."""
    turn.state.pop(FIXED_WHICH_KEY, None)
    first = tickets[0].number
    turn.state["rating_ticket"] = first
    turn.state["rating_asked"] = first  # a rating in words counts only as the answer to this question
    turn.say("all_fixed_thanks", numbers=", ".join(t.number for t in tickets))
    for ticket in tickets:
        turn.say("all_fixed_rating_ask", _rating_buttons(turn, ticket.number)[:5], number=ticket.number,
                 topic=_about(turn, ticket))


# --- "belum" about another matter ---------------------------------------------------------------------------------
#: Conversation state: "belum pak, sampah di TPS … tidak diangkut" after "Sudah beres?" on a road: the ticket and the
#: words, until the resident says whether to reopen the ticket with them or file them as a new complaint.
OTHER_MATTER_KEY = "other_matter"
# Words of topic names that say nothing of a matter on their own, or name a landmark more often than a topic
# ("dekat pasar", "warga"): never taken as naming another topic.
_TOPIC_WORDS_SAY_NOTHING = frozenset(
    "rusak umum liar layanan pelayanan lingkungan data publik baru tidak layak tempat warga pemerintah pasar kaki "
    "lima rawan berbahaya dan atau and or of the public illegal service change well small persons dangerous order "
    "conduct datang pindah".split())  # ("belum ada yang datang ke lokasi" is no move of residence)
# A word after these names a place, not a matter: "yang depan toko bangunan", "dekat pasar".
_LANDMARK_BEFORE = frozenset(
    "depan dekat samping belakang sebelah seberang toko warung kantor balai pasar masjid mushola musala gereja "
    "sekolah arah sekitar pinggir ujung gang gg jl jln pertigaan perempatan simpang near behind opposite".split())


def _topic_words(turn: Turn, topic: str) -> set[str]:
    key = f"topic_{topic}"
    names = " ".join(turn.texts.raw(key).values()) if turn.texts.has(key) else ""
    return {w for w in re.findall(r"[a-z]+", names.lower()) if len(w) >= 3}


def _names_word(words: list[str], topic_words: set[str]) -> str | None:
    """The first of `words` that is one of `topic_words`, or one with "-nya" or a longer ending ("sampahnya")."""
    for word in words:
        for known in topic_words:
            if word == known or word.removesuffix("nya") == known or (len(known) >= 5 and word.startswith(known)):
                return known
    return None


def other_topic_named(turn: Turn, ticket: Ticket, text: str) -> str | None:
    """The topic of another office that the words name ("belum pak, sampah di TPS dekat pasar tidak diangkut" after
    a road): a word only one topic's name has, while no word of the ticket's own topic name is there. None when the
    words name no other office's topic ("jembatannya masih ambrol" after a road: the same officers), or the
    ticket's own ("jalan dekat TPS masih berlubang"), or only a landmark ("yang depan toko bangunan")."""
    if not ticket.topic:
        return None
    said = u.plain(text).split()
    words = [w for i, w in enumerate(said) if not (i and said[i - 1] in _LANDMARK_BEFORE)]
    if _names_word(said, _topic_words(turn, ticket.topic)):
        return None
    # another office's matter only: a bridge after a road goes to the same officers, who read the words anyway
    by_topic = {topic: _topic_words(turn, topic) for topic, opd in turn.directory.routing.items()
                if topic != ticket.topic and opd != ticket.opd_id}
    counts: dict[str, int] = {}
    for known in by_topic.values():
        for word in known:
            counts[word] = counts.get(word, 0) + 1
    own = _topic_words(turn, ticket.topic)
    for topic, known in by_topic.items():
        distinctive = {w for w in known - own if counts[w] == 1 and w not in _TOPIC_WORDS_SAY_NOTHING}
        if _names_word(words, distinctive):
            return topic
    return None


async def ask_reopen_or_new(turn: Turn, number: str, text: str) -> bool:
    """"belum pak, sampah di TPS dekat pasar tidak diangkut" to "Sudah beres?" on a road: the words tell of another
    matter, so the resident chooses: reopen the road with them, or file them as a new complaint. False when the
    words are no "not yet", tell nothing more, or name no other topic (then the ticket is reopened as before)."""
    if turn.state.get("rating_asked") == number or not (starts_not_yet(text) or fixed_answer(text) is False):
        return False
    if _bare_no(text) or find_ticket_number(text):
        return False
    ticket = await own_done_ticket(turn, number)
    if ticket is None or ticket.status != STATUS_DONE or (other := other_topic_named(turn, ticket, text)) is None:
        return False
    turn.state[OTHER_MATTER_KEY] = {"number": number, "text": text[:2000]}
    topic = _about(turn, ticket)
    turn.say("other_matter_ask", [
        turn.button("other_matter_reopen", f"{u.FIXED_PREFIX}{number}:no", number=number, topic=topic),
        turn.button("other_matter_new", u.OTHER_MATTER)], number=number, topic=topic, other=topic_name(turn, other))
    return True


# "kurang puas, cuma ditambal pakai tanah", "asal-asalan ngerjainnya", "not happy with the repair": the work done is
# found wanting, which may mean it is not fixed, or fixed badly
_POOR_FIX = re.compile(
    r"\b(?:kurang|tidak|tdk|gak|ga|gk|nggak|ngga|enggak|ora|mboten)\s+(?:terlalu\s+)?(?:puas|memuaskan|maksimal|rapi|"
    r"bagus|layak|permanen|marem|sae)\b|\bkecewa\b|\basal[\s-]*(?:asalan|jadi|tambal|tutup|ditambal)\b|\bseadanya\b"
    r"|\btambal\s+sulam\b|\b(?:cuma|cuman|hanya|mung|namung|only)\s+(?:di)?(?:tambal|urug|uruk|timbun|tutup)(?:\s+|$)"
    r"|\b(?:pakai|pake|pakek|dengan|dipakai|nganggo|ngangge)\s+(?:tanah|pasir|batu|sirtu|krikil|kerikil)\b"
    r"|\b(?:sementara|darurat)\s+(?:saja|aja|doang|tok)\b"
    r"|\bnot\s+(?:happy|satisfied|pleased)\b|\b(?:unsatisfied|dissatisfied|disappointed|sloppy|half[\s-]done)\b"
    r"|\b(?:done|fixed|repaired)\s+(?:badly|poorly)\b"
    # "jelek, lama banget" (thirty-ninth trial: a complaint on unsure topics)
    # (short: "jelek, petugasnya datang cuma lihat-lihat terus pergi" says it is not fixed, and is reopened)
    r"|^(?:\S+\s+)?(?:jelek|buruk|elek|payah|ancur|hancur|bad|terrible|awful|lousy)\b(?:\W+\w+){0,3}\W*$")


def poor_fix(text: str) -> bool:
    """Words that find the work on a finished ticket wanting ("kurang puas, cuma ditambal pakai tanah")."""
    return bool(_POOR_FIX.search(u.plain(text)))


async def ask_poor_fix(turn: Turn, number: str, text: str, parse: dict[str, Any]) -> bool:
    """"kurang puas, cuma ditambal pakai tanah" to "Sudah beres?": not fixed (reopened with these words, as LAPOR!
    sends a report back when its reporter is not satisfied) or fixed after all (then rated, the words kept as the
    rating's comment)? The resident chooses; False when the words do not find the work wanting."""
    if (turn.state.get("rating_asked") == number or find_ticket_number(text) or not poor_fix(text)
            or len(text.split()) > FOLLOW_UP_WORDS):
        return False  # (a long report that says "kecewa" is read as what it is)
    ticket = await own_done_ticket(turn, number)
    if ticket is None or ticket.status != STATUS_DONE or another_matter(turn, {ticket.topic}, parse):
        return False
    turn.state[OTHER_MATTER_KEY] = {"number": number, "text": text[:2000]}
    turn.say("poor_fix_ask", [turn.button("poor_fix_reopen", f"{u.FIXED_PREFIX}{number}:no"),
                              turn.button("poor_fix_rate", f"{u.FIXED_PREFIX}{number}:yes")],
             number=number, topic=_about(turn, ticket))
    return True


def other_matter_words(turn: Turn, number: str) -> str:
    """The words held by "reopen or new complaint?" for ticket `number` (the reopen button takes them along)."""
    held = turn.state.pop(OTHER_MATTER_KEY, None)
    return str(held.get("text") or "") if isinstance(held, dict) and held.get("number") == number else ""


# --- to the regent ----------------------------------------------------------------------------------
@command("bupati")
async def cmd_regent(turn: Turn, args: str) -> None:
    turn.reset_flow()
    if turn.identity.role == ROLE_REGENT:
        # the regent's own "/bupati" (thirty-fourth trial: asked for a message to himself): where residents' messages
        # to him arrive, and how he answers them and writes to the offices
        turn.say("regent_own_channel", regent=turn.directory.regent_title)
        return
    if args.strip():  # the whole message in the command: an explicit send, as typed
        await send_to_regent(turn, args.strip())
        return
    await ask_regent(turn)


def _regent_privacy(turn: Turn) -> str:
    """"anonim" when the resident asked, within the hour, that their name be kept from this message."""
    asked = turn.state.pop(REGENT_PRIVACY_KEY, None)
    if isinstance(asked, dict) and turn.now - datetime.fromisoformat(str(asked.get("at"))) <= timedelta(hours=1):
        return str(asked.get("privacy") or "publik")
    return "publik"


async def ask_regent(turn: Turn) -> None:
    turn.reset_flow()
    turn.state.update(flow="regent", step="write")
    if _NUMBER_ASKED.search(u.plain(turn.message.text)):  # "minta nomor hp pak bupati dong": not given; write here
        turn.say("regent_number_not_given", regent=turn.directory.regent_title)
    turn.say("regent_ask")


_NUMBER_ASKED = re.compile(r"\b(?:nomor|nomer|no|kontak|contact|number)\s+(?:hp|wa|whatsapp|telepon|telpon|tlp|"
                           r"pribadi|phone)\b|\bphone\s+number\b")


REGENT_PRIVACY_KEY = "regent_privacy"  # conversation state: "anonim" when the resident asked their name be kept


async def confirm_to_regent(turn: Turn, text: str) -> None:
    """Show what will be sent to the regent; nothing goes before the resident says so. A wish to keep their name
    ("…, tapi jangan sampai kepala dinasnya tahu nama saya") makes the message anonymous (the regent, and any office
    it is disposed to, see no name) and is no part of it; with nothing else said, the message is asked for."""
    if name_hidden(u.plain(text)):
        turn.state[REGENT_PRIVACY_KEY] = {"privacy": "anonim", "at": turn.now.isoformat()}
        text = without_privacy_wish(text)
        if len(u.plain(text).split()) < 3:
            turn.state.update(flow="regent", step="write")
            turn.say("regent_anonymous_noted")
            turn.say("regent_ask")
            return
        turn.say("regent_anonymous_noted")
    turn.state.update(flow="regent", step="confirm", held={"text": text[:4000]})
    turn.say("regent_confirm", [turn.button("regent_send_button", u.SEND), turn.button("regent_edit_button", u.EDIT),
                                turn.button("cancel_button", u.CANCEL)], text=text[:1000])


_REGENT = r"(?:pak\s+|bapak\s+|bu\s+|ibu\s+|the\s+)?(?:bupati|walikota|wali\s+kota|regent|mayor)\b"
# "saya mau menyampaikan pesan langsung ke pak bupati: …", "titip pesan untuk bupati, …", "message for the regent: …"
_REGENT_MESSAGE = re.compile(
    r"^(?:\S+\s+){0,5}?(?:pesan|sampaikan|menyampaikan|titip|surat|message|tell)\b(?:\s+\S+){0,3}?\s+"
    r"(?:langsung\s+)?(?:untuk|utk|untk|tuk|ke|kepada|kpd|buat|bwt|to|for)\s+" + _REGENT +
    r"(?:\s+langsung)?\s*[:,.-]?\s*(.*)$",
    re.DOTALL)
# "bukan, ini untuk pak bupati langsung", "ini buat bupati": said about the words just written.
_FOR_REGENT = re.compile(r"^(?:\S+\s+){0,3}?(?:untuk|utk|untk|tuk|buat|bwt|ke|kepada|kpd|for)\s+" + _REGENT +
                         r"(?:\s+\S+){0,2}$")


# "bupati aja pokoknya", "langsung pak bupati saja": only who it is for
_REGENT_ONLY = re.compile(r"^(?:(?:pokoknya|pokok|langsung|sama|ama|kalau\s+bisa)\s+)?(?:ke\s+|sama\s+)?" + _REGENT +
                          r"(?:\s+(?:aja|saja|wae|mawon|langsung|pokoknya|deh|dong|ya|yah|please|only|directly|pak|bu|"
                          r"sir|mas|mbak|min))+$")


# "pak bupati, saya mau mengucapkan terima kasih atas …", "yth bapak bupati, …": words addressed to him
# ("Dear Regent, I want to thank you for the new park, …": thirty-ninth trial, its words asked for again)
_TO_REGENT_VOCATIVE = re.compile(r"^(?:(?:yth\.?\s+|kepada\s+yth\.?\s+|dear\s+)(?:(?:pak|bapak|bu|ibu|mr\.?|mrs\.?|"
                                 r"madam)\s+)?|(?:pak|bapak|bu|ibu|mr\.?)\s+)"
                                 r"(?:bupati|walikota|wali\s+kota|regent|mayor)\b(?:\s+yang\s+(?:saya\s+)?"
                                 r"(?:terhormat|hormati))?[\s,.:!-]+(?P<rest>.+)$", re.IGNORECASE | re.DOTALL)
REGENT_VOCATIVE_WORDS = 4


def speaks_to_regent(text: str) -> bool:
    """Words addressed to the regent with something said after his name (not the wish to write alone)."""
    found = _TO_REGENT_VOCATIVE.match(text.strip())
    return found is not None and len(found.group("rest").split()) >= REGENT_VOCATIVE_WORDS


def regent_message_in(text: str) -> tuple[str, bool] | None:
    """A resident saying their words are for the regent: (what to send, or "" when they follow or came before;
    whether the message only says who it is for). None otherwise."""
    low = u.plain(text)
    if _FOR_REGENT.match(low) or _REGENT_ONLY.match(low):
        return "", True
    match = _REGENT_MESSAGE.match(text.strip().lower())
    if match is None:
        return None
    content = text.strip()[match.start(1):].strip()
    return (content if len(content.split()) >= 4 else ""), False


# "pesan saya ke bupati sudah dibaca belum ya?", "surat saya untuk pak bupati sudah sampai?", "has the regent read my
# message?" (twenty-ninth trial: "sudah dibaca belum ya?" was offered to the regent as a new message)
_REGENT_READ = re.compile(r"\b(?:sudah|udah|sdh|udh|dah|belum|blm|apa|apakah)\s+(?:\S+\s+)?(?:dibaca|dibaca\w*|dibalas|"
                          r"dibales|dijawab|ditanggapi|sampai|sampe|nyampe|diterima|direspon\w*)\b"
                          r"|\b(?:kapan|when)\s+(?:\S+\s+)?(?:dibalas|dibales|dijawab|ditanggapi|reply|replies|answer)"
                          r"|\b(?:read|received|answered|replied\s+to)\s+(?:my\s+)?(?:message|letter)\b"
                          r"|\bmy\s+(?:message|letter)\b.*\b(?:read|received|answered|arrived)\b")


def asks_regent_read(text: str) -> bool:
    """A question whether the message sent to the regent was read or answered (not a new message)."""
    low = u.plain(text)
    return len(low.split()) <= 16 and bool(_REGENT_READ.search(low)) and (
        u.is_question(text) or bool(re.search(r"\b(?:belum|blm)\b", low)))


async def show_regent_message_status(turn: Turn) -> bool:
    """"kapan pak bupati bales?", "pak bupati sudah baca belum?" after writing to the regent: where that message
    stands, not a new message. False when the resident has written no message to the regent lately."""
    sent = [t for t in await turn.store.recent_tickets(turn.identity.key, STATUS_LOOK_BACK) if t.kind == "bupati"]
    if not sent or turn.now - sent[0].created_at > timedelta(days=REPLY_MODE_DAYS):
        return False
    await show_status(turn, sent[0].number)
    return True


def answer_who_is_regent(turn: Turn) -> None:
    name = turn.directory.regent_name
    turn.say("regent_who" if name else "regent_who_unknown", [turn.button("menu_regent", "/bupati")], name=name)


WHO_IS_REGENT_MAX_WORDS = 12  # longer, "ibu bupati … siapa yg membuang sampahnya" is a report to the regent


def asks_regent_number(text: str) -> bool:
    """"nomor hp pak bupati berapa?" while the message to the regent is written (thirty-second trial: taken for the
    message); the regent named, a number asked (not "pak, nomor hp saya 0812…, mohon dihubungi")."""
    low = u.plain(text)
    return (len(low.split()) <= WHO_IS_REGENT_MAX_WORDS and bool(_NUMBER_ASKED.search(low))
            and bool(re.search(r"\b" + _REGENT, low)) and not re.search(r"\d{6,}", low))


def asks_who_is_regent(text: str) -> bool:
    low = u.plain(text)
    return len(low.split()) <= WHO_IS_REGENT_MAX_WORDS and bool(
        re.search(r"\b(siapa|who|sinten)\b.*\b(bupati|walikota|wali kota|regent|mayor)\b|"
                  r"\b(bupati|regent)\b.*\b(siapa|sinten)\b", low))


async def regent_step(turn: Turn) -> None:
    """Writing to the regent: the message, then its confirmation."""
    text = turn.message.text.strip()
    code = u.code_of(text)
    held = (turn.state.get("held") or {}).get("text")
    if turn.state.get("step") == "confirm" and held:
        if code in (u.SEND, u.YES) or (not code and says_send(text)):
            await send_to_regent(turn, held)
            return
        if code == u.EDIT:
            await ask_regent(turn)
            return
        if not code and len(text.split()) <= TO_OFFICE_WORDS and _TO_OFFICE_INSTEAD.search(u.plain(text)):
            # "eh mending lapor ke dinasnya aja deh" (forty-second trial: added to the message to the regent): not
            # sent to him; the words become a complaint for the office that handles them
            turn.reset_flow()
            turn.say("regent_to_office_instead")
            await start_from_text(turn, held, await turn.services.nlu.parse(held[:1000]))
            return
        if code or not reads_as_message(turn, text):  # "terima kasih", "hmm", "tidak": the letter stays as it is
            turn.say("complaint_please_choose")
            await confirm_to_regent(turn, held)
            return
        if not _rewrites(held, text):  # "oh iya, juga lampu jalannya mati semua": more of the message, kept with it
            await confirm_to_regent(turn, f"{held}\n{text}")
            return
        # the resident rewrote the message ("Pak bupati, tolong jalan desa kami ..." again): confirmed again below
    if asks_who_is_regent(text):
        answer_who_is_regent(turn)
        turn.say("regent_ask")
        return
    if asks_regent_number(text):
        turn.say("regent_number_not_given", regent=turn.directory.regent_title)
        turn.say("regent_ask")
        return
    if not reads_as_message(turn, text):
        turn.say("regent_too_short")
        return
    await confirm_to_regent(turn, text)


REWRITE_SIMILARITY = 0.5  # a second text this much like the first is the same message written again
# "mending lapor ke dinasnya aja", "jadikan aduan saja", "langsung ke dinas terkait aja": the office, not the regent
_TO_OFFICE_INSTEAD = re.compile(
    r"\b(?:lapor|laporkan|laporin|kirim|kirimkan|teruskan|langsung)\s+(?:\S+\s+)?(?:ke|kepada|k)\s+(?:dinas|dinasnya|opd|opdnya|"
    r"instansi|petugas|kantor)\w*\b|\b(?:jadikan|jadiin|dijadikan|buat|bikin)\s+(?:\S+\s+)?(?:aduan|laporan)\s+"
    r"(?:biasa|saja|aja|ke\s+dinas)\b|\b(?:to|report\s+to)\s+the\s+(?:office|department|agency)\s+instead\b")
TO_OFFICE_WORDS = 12


def _rewrites(held: str, text: str) -> bool:
    """Whether `text` is `held` written again (its words much alike) rather than more to add to it."""
    return difflib.SequenceMatcher(None, u.plain(held).split(), u.plain(text).split()).ratio() >= REWRITE_SIMILARITY


_SEND_WORDS = frozenset({"kirim", "kirimkan", "kirim saja", "kirim aja", "kirim sekarang", "send", "send it", "submit",
                         "kirim pesannya", "kirimkan saja", "kirimno", "dikirim", "tolong kirim", "lanjut",
                         "lanjutkan"})
_SMALL_TALK = frozenset({"thanks", "greet", "goodbye", "affirm", "deny", "bot_challenge", "cancel", "help"})


_NOT_YET = frozenset({"tunggu", "sebentar", "bentar", "nanti", "dulu", "ganti", "ubah", "edit", "tapi", "jangan",
                      "belum", "wait", "later", "change", "but", "kurang", "tambah", "tambahkan", "revisi"})


_TO_REPORT_AGAIN = re.compile(r"\b(?:lapor|melapor|ngadu|mengadu|report|complain)\b")


def says_send(text: str) -> bool:
    """A typed "send it" to the message shown for the regent: 'kirim saja', 'ya kirim', 'yes please send it',
    'nggih'. A no ('tidak', 'jangan dulu') or a "wait" ('ok tunggu dulu', 'iya sebentar', 'boleh saya ganti') is
    not: the message goes only when the resident clearly says so."""
    low = u.plain(text)
    words = low.split()
    if low in _SEND_WORDS:
        return True
    if set(words) & _NOT_YET or _TO_REPORT_AGAIN.search(low) or set(words) & _THANKS_WORD or _THANKS_PHRASE.search(low):
        return False  # ("saya mau lapor lagi": something new; "makasih ya bot": thanks, not a yes)
    if len(words) <= 3 and words[0] in ("kirim", "kirimkan", "send"):
        return True
    return u.yes_no(text) is True and len(words) <= 4


def reads_as_message(turn: Turn, text: str) -> bool:
    """Whether `text` can be the message to the regent: a few words, not a greeting, thanks or a bare yes/no."""
    words = len(text.split())
    if words < REGENT_MIN_WORDS or u.is_greeting(text) or (words <= 3 and u.yes_no(text) is not None):
        return False
    return not (u.intent_of(turn.nlu) in _SMALL_TALK and words <= 6)


def regent_position(turn: Turn) -> str:
    return turn.t("where_regent")


# "aduan jalan saya", "laporan kami kemarin", "yang saya laporkan", "my complaint": the resident's own report named
_OWN_REPORT = re.compile(r"\b(?:aduan|laporan|pengaduan|tiket|laporane|aduane)(?:nya)?\s+(?:\S+\s+){0,2}?"
                         r"(?:saya|sy|kami|ku|kula|kulo|aku)\b|\b(?:aduanku|laporanku)\b"
                         r"|\b(?:yang|yg|sing|ingkang)\s+(?:saya|sy|kami|kula|aku)\s+(?:laporkan|adukan|laporaken|"
                         r"laporke)\b|\bmy\s+(?:complaint|report|ticket)\b")


# "who can I escalate to?", "I want to talk to your supervisor", "lapor ke atasannya": higher than the office
_ESCALATE = re.compile(r"\bescalat\w*|\b(?:supervisor|superior|higher\s+up|someone\s+higher|your\s+boss|manager)\b"
                       r"|\b(?:atasan|atasannya|pimpinan|pimpinannya)\b")


# "kalau tidak diperbaiki saya lapor ke bupati ya", "klo gak ditangani sy laporkan ke pak bupati", "if it's not
# fixed I'll tell the regent": what the resident will do if nothing happens, not a message to send now
_IF_NOT = r"(?:kalau|kalo|klo|kl|jika|jikalau|bila|apabila|nek|yen|menawi|if)\s+(?:\S+\s+){0,3}?" \
          r"(?:tidak|tdk|gak|ga|nggak|enggak|belum|blm|ora|mboten|dereng|durung|not|\S*n't|nothing|no\s+one|nobody|" \
          r"noone|never)\b"
_TELL_REGENT = r"(?:(?:lapor|laporkan|melapor|laporin|ngelaporin|adukan|aduin|ngaduin|ngadu|mengadu|bilang|bilangin|" \
               r"sampaikan|wadul|matur|report|complain)" \
               r"\s+(?:\S+\s+)?(?:ke|kepada|kpd|sama|ring|dateng|to)|tell|inform|write\s+to|go\s+to|laporke|" \
               r"laporake|lapurke|laporaken|wadulke|wadulaken|aturke)\s+" + _REGENT
_IF_NOT_THEN_REGENT = re.compile(r"\b" + _IF_NOT + r".{0,60}?\b" + _TELL_REGENT + r"|\b" + _TELL_REGENT + r".{0,30}?\b"
                                 + _IF_NOT)
IF_NOT_REGENT_WORDS = 25


# "langsung ke bupati aja pak, dinas ga pernah respon", "kirim ke pak bupati saja", "send it to the regent": the
# complaint being written is wanted at the regent's instead of the office's
_REGENT_INSTEAD = re.compile(r"\b(?:langsung|kirim|kirimkan|teruskan|terusin|sampaikan|laporkan|send|forward)\s+"
                             r"(?:\S+\s+){0,2}?(?:ke|kepada|kpd|sama|to)\s+" + _REGENT)
REGENT_INSTEAD_WORDS = 16


def wants_regent_instead(text: str) -> bool:
    low = u.plain(text)
    return (len(low.split()) <= REGENT_INSTEAD_WORDS and bool(_REGENT_INSTEAD.search(low))
            and not threatens_regent(text))


# "tadi petugas bilang apa ya? pesannya kehapus", "balasan petugas kemarin gak kebaca", "what did the officer say?":
# the officers' last word again (it was passed to the officer as the resident's answer)
_WHAT_WAS_SAID = re.compile(
    r"\b(?:petugas|petugasnya|dinas|dinasnya|admin|adminnya|officer|they)\s+(?:\S+\s+){0,2}?(?:bilang|ngomong|jawab|"
    r"menjawab|balas|bales|membalas|kirim|ngirim|ngabari|say|said|write|wrote|reply|replied)\s+apa\b"
    r"|\b(?:pesan|pesannya|balasan|balasannya|jawaban|jawabannya|tanggapan|tanggapannya|chat|chatnya)\s+(?:\S+\s+){0,3}?"
    r"(?:ke\s?hapus|terhapus|dihapus|hilang|ilang|gak\s+kebaca|ga\s+kebaca|tidak\s+terbaca|gak\s+masuk|ga\s+masuk|"
    r"tidak\s+masuk|gak\s+muncul|ga\s+muncul|tidak\s+muncul)\b"
    r"|\bwhat\s+did\s+(?:the\s+)?(?:officer|office|they|you)\s+(?:say|write|reply|answer)\b"
    r"|\b(?:kirim|tampilkan|tunjukkan|ulangi)\s+(?:ulang\s+|lagi\s+)?(?:pesan|balasan|jawaban|tanggapan)\s+"
    r"(?:dari\s+)?(?:petugas|dinas)\b")
WHAT_WAS_SAID_WORDS = 16


def asks_what_was_said(text: str) -> bool:
    low = u.plain(text)
    return len(low.split()) <= WHAT_WAS_SAID_WORDS and bool(
        _WHAT_WAS_SAID.search(low) or (u.is_question(text) and _ANY_WORD_FROM.search(low)))


# "ada kabar dari petugas?", "sudah ada balasan dari dinas?": asked of the bot, not said to the officer (twenty-fifth
# trial: passed to the officer as the answer, right after the officer had written)
_ANY_WORD_FROM = re.compile(r"^(?:\S+\s+){0,2}?(?:ada|sudah\s+ada|udah\s+ada|udh\s+ada|sdh\s+ada)\s+(?:kabar|balasan|"
                            r"jawaban|tanggapan|info|berita)\s+(?:dari|dr)\s+(?:petugas\w*|dinas\w*|admin)\b")


async def show_what_was_said(turn: Turn) -> bool:
    """The status of the resident's latest complaint that staff wrote on (with their last word), else of the latest
    one; False when the resident has none."""
    tickets = [t for t in await turn.store.recent_tickets(turn.identity.key, STATUS_LOOK_BACK) if t.kind != LETTER_KIND]
    if not tickets:
        return False
    for ticket in tickets:
        if [e for e in await turn.store.ticket_events(ticket.number, "message_out") if e.actor != ticket.reporter]:
            await show_status(turn, ticket.number)
            return True
    await show_status(turn, tickets[0].number)
    return True


# "lama banget sih", "kok lambat sekali ya", "this is taking so long": impatience with one's open complaint, said
# alone (twenty-fifth trial: asked whether it was more words for the complaint)
_DELAY_WORDS = frozenset("lama lamanya lambat lelet lemot kelamaan lamban slow long".split())
_DELAY_FILLERS = frozenset(
    "banget bgt sekali amat bener sih nih ya yah deh dong kok lho loh duh aduh haduh waduh kenapa knp mengapa ini itu "
    "prosesnya penanganannya pelayanannya ditanganinya pak bu kak min mas mbak ah so too very its it's is this taking "
    "why really so soo pelayanan layanan disini sini di respon responnya balasnya jawabnya".split())
DELAY_WORDS = 7


# "kok diam aja", "dicuekin terus", "gak direspon pak", "no response": ignored, said alone (twenty-seventh trial: a
# complaint was begun with unrelated topics)
_IGNORED = re.compile(
    # ("min kenapa tadi pesan saya gak dibalas?": thirty-ninth trial, offered to the offices as a question)
    r"^(?:(?:kok|ko|lho|loh|kenapa|knp|pak|bu|min|kak|ini|tadi|aduan\s+saya|laporan\s+saya|pesan\s+saya|chat\s+saya|"
    r"pesannya|why|is)\s+)*"
    r"(?:diam|diem|dicuekin|dicuekan|dikacangin|didiamkan|didiemin|(?:tidak|tdk|gak|ga|gk|nggak|ngga|belum|blm)\s+"
    r"(?:(?:direspon|direspons|dibales|dibalas|ditanggapi|dijawab|digubris|diurus)(?:2|\s*-\s*\w+)?|ada\s+(?:respon|respons|tanggapan|balasan|"
    r"jawaban))|"
    r"no\s+(?:response|reply|answer)|no\s+one\s+(?:answers|replies)|nobody\s+(?:answers|replies)|"
    r"ignored|being\s+ignored)(?:\s+(?:aja|saja|aj|sih|nih|ya|pak|bu|min|kak|terus|trus|dari\s+kemarin|sama\s+sekali|"
    r"at\s+all|yet))*$")


# "bisa dipercepat gak pak?", "tolong disegerakan ya", "can it be done sooner?": a plea that one's complaint be sped up
_HURRY = re.compile(r"\b(?:dipercepat|percepat|dipercepet|percepatan|disegerakan|segerakan|dipercepatkan|"
                    r"(?:bisa|tolong|mohon|minta)\s+(?:lebih\s+)?(?:cepat|cepet|segera)(?:\s+(?:ditangani|diperbaiki|"
                    r"diproses|dikerjakan))?$|sooner|speed\s+(?:it\s+)?up|hurry\s+up|expedite)\b")
HURRY_WORDS = 14


# "kok batas waktunya lama sekali 10 hari?", "hari kerja itu maksudnya gimana? sabtu minggu dihitung?" (thirty-eighth
# trial: added to the complaint unanswered, and the FAQ on job-seeker cards): what the deadline is, and how it counts
_DEADLINE = re.compile(r"\b(?:batas\s+waktu\w*|tenggat\w*|deadline|hari\s+kerja|working\s+days?|sla)\b")
_DEADLINE_ASKED = re.compile(r"\b(?:lama|kelamaan|lamanya|kok|kenapa|knp|mengapa|why|long|maksud\w*|arti\w*|dihitung|"
                             r"termasuk|hitung\w*|sabtu|minggu|libur|tanggal\s+merah|mean\w*|count\w*|weekends?)\b")
_URGENT = re.compile(r"\b(?:bahaya|berbahaya|darurat|membahayakan|kecelakaan|celaka|jatuh|korban|dangerous|urgent|"
                     r"accident)\b")
DEADLINE_WORDS = 24


def asks_about_deadline(text: str) -> bool:
    low = u.plain(text)
    return (len(low.split()) <= DEADLINE_WORDS and bool(_DEADLINE.search(low)) and bool(_DEADLINE_ASKED.search(low))
            and (u.is_question(text) or "?" in text or bool(re.search(r"\b(?:kok|kenapa|knp|why)\b", low))))


async def answer_deadline(turn: Turn, text: str) -> None:
    """How the deadline counts (working days: Monday to Friday, no public holidays) and that it is the latest, with
    the resident's open complaint's date; a danger told with it goes to that complaint's officers too."""
    mine = await open_complaint_of(turn)
    if mine is None or mine.due_at is None:
        turn.say("deadline_explained_general", regent=turn.directory.regent_title)
        return
    turn.say("deadline_explained", number=mine.number, due=format_date(turn, mine.due_at),
             regent=turn.directory.regent_title)
    if _URGENT.search(u.plain(text)):  # "… jalannya bahaya": the officers read why it should be sooner
        await add_resident_message(turn, mine.number, text, quiet_if_not_mine=True, said="deadline_urgent_passed")


def asks_to_hurry(text: str) -> bool:
    """A plea that the resident's complaint be sped up, with its reason or none ("bisa dipercepat gak pak? anak saya
    sekolah lewat situ")."""
    low = u.plain(text).replace("?", " ").strip()
    return len(low.split()) <= HURRY_WORDS and bool(_HURRY.search(low))


_HAILED = re.compile(r"^(?:(?:halo+|hallo+|helo+|hai+|hi+|hello+|p+|ping|permisi|woi+|oi+|pak|bu|min|kak|mas|"
                            r"mbak)\s+)+")


def feels_ignored(text: str) -> bool:
    """"halo?? kok diam aja", "min kok ga dibales": the resident thinks nobody answers (said while the bot waits for
    their answer to its own question)."""
    said = " ".join(u.plain(text).replace("?", " ").replace("!", " ").split())
    return bool(_IGNORED.match(_HAILED.sub("", said)))


# "sudah lewat batas waktu, siapa yang tanggung jawab?", "it's past the deadline": the deadline passed, said of
# their own complaint (twenty-ninth trial: a complaint about it was begun, with unrelated topics)
# "sudah sebulan lebih pak", "udah 2 minggu loh" said alone of one's open complaint: the time gone by (thirty-third
# trial: a complaint with unsure topics was begun)
_TIME_GONE = re.compile(
    r"^(?:(?:ini|lho|loh|pak|bu|min|kak|kok)\s+)*(?:sudah|udah|udh|sdh|dah|wis|sampun)\s+(?:se|satu\s+|dua\s+|tiga\s+|\d+\s*|"
    r"ber)(?:minggu|pekan|bulan|bln|hari|tahun|thn)(?:\s*-?\s*(?:minggu|bulan|hari|tahun))?(?:\s+(?:lebih|lbh|an|loh|lho|"
    r"pak|bu|min|kak|mas|mbak|ya|nih|sih|ini|belum|blm|juga|masih|gak|ga|ada|kabar|apa\s*apa|tuh|lamanya|lho))*$")
_PAST_DEADLINE = re.compile(
    r"^(?:\S+\s+){0,3}?(?:sudah\s+|udah\s+|udh\s+|sdh\s+|dah\s+|wis\s+)?(?:lewat|melewati|lewati|ngeliwati|liwat|"
    r"melebihi|past|over|passed)\s+(?:(?:dari|the)\s+)?(?:batas\s+waktu\w*|deadline\w*|tenggat\w*|jatuh\s+tempo|"
    r"janji\w*)\b(?:\s+\S+){0,8}$")
PAST_DEADLINE_WORDS = 12


# "ini laporan ke-3 saya soal jalan yang sama, kok gak ada tindakan", "sudah 3 kali lapor belum ditindaklanjuti":
# reported again and again, nothing done, and no problem told anew (thirty-second trial: a complaint with unsure
# topics was begun, and then "bisa minta nomor tiket lagi?" was added to it)
_NOTHING_DONE = re.compile(
    r"\b(?:gak|ga|gk|tidak|tdk|belum|blm|nggak|ngga)\s+(?:ada\s+)?(?:tindakan|tindak\s*lanjut\w*|ditindaklanjuti|"
    r"perbaikan|hasil\w*|action)\b|\b(?:laporan|aduan)\s+(?:yang\s+|yg\s+)?ke\s*(?:\d|dua|tiga|empat|lima)\b"
    r"|\b(?:sudah|udah|udh|sdh)\s+(?:\d+|dua|tiga|empat|lima|berkali|beberapa)\s*(?:kali|x)\s+(?:saya\s+|sy\s+)?"
    r"(?:lapor|ngadu|mengadu)"
    # "pak katanya minggu depan, ini sudah 3 minggu belum juga": a promised date passed (thirty-second trial)
    r"|\b(?:katanya|janjinya|dijanjikan|janji|dijanjiin|katane|promised|said)\b.{0,50}?\b(?:belum|blm|tidak|tdk|gak|ga|"
    r"durung|not|nothing)\b")
NOTHING_DONE_WORDS = 16


def _delay_words(text: str) -> list[str]:
    # ("bangsat lama banget pelayanan disini": the curse is no matter; thirty-third trial, unsure topics)
    return [w for w in u.plain(text).replace("?", " ").replace("!", " ").split() if w not in CURSES]


def complains_of_delay(text: str) -> bool:
    words = _delay_words(text)
    said = " ".join(words)
    return _delay_said(words, said) or (len(words) <= NOTHING_DONE_WORDS and _nothing_done(said))


def _delay_said(words: list[str], said: str) -> bool:
    """"lama banget", "kok dicuekin", "sudah lewat batas waktu": a delay in so many words."""
    return (0 < len(words) <= DELAY_WORDS and any(w in _DELAY_WORDS for w in words)
            and all(w in _DELAY_WORDS or w in _DELAY_FILLERS for w in words)) or bool(_IGNORED.match(said)) \
        or (len(words) <= PAST_DEADLINE_WORDS and bool(_PAST_DEADLINE.match(said) or _TIME_GONE.match(said)))


def reported_again_only(text: str) -> bool:
    """Of the ways `complains_of_delay` reads a delay, only "reported again, nothing done": said with no complaint
    open, it may well be a new one ("operasi miras belum ada tindakan tegas")."""
    words = _delay_words(text)
    return complains_of_delay(text) and not _delay_said(words, " ".join(words))


def _nothing_done(said: str) -> bool:
    """Reported again, nothing done, no problem told anew, and no threat to go public (its own answer)."""
    told = [m.group(0) for m in PROBLEM_WORDS.finditer(_NOTHING_DONE.sub(" ", said))]
    return (bool(_NOTHING_DONE.search(said)) and not _GOING_PUBLIC.search(said)
            and all(word in _NEGATION_WORDS for word in told))


_NEGATION_WORDS = frozenset({"tidak", "tdk", "gak", "ga", "nggak", "belum", "blm", "not", "off", "parah"})


def threatens_regent(text: str) -> bool:
    """"kalau tidak diperbaiki saya lapor ke bupati ya": the regent is named as what comes if nothing is done."""
    low = u.plain(text)
    return len(low.split()) <= IF_NOT_REGENT_WORDS and bool(_IF_NOT_THEN_REGENT.search(low))


async def open_complaint_of(turn: Turn) -> Ticket | None:
    """The resident's latest open complaint (a message to the regent, a question or a letter is none)."""
    for ticket in await turn.store.recent_tickets(turn.identity.key, STATUS_LOOK_BACK):
        if ticket.kind == "aduan" and not is_information_request(ticket) and await open_for_reporter(turn, ticket):
            return ticket
    return None


# "terus saya harus gimana?", "saya harus apa sekarang pak?", "what should I do now?" with a complaint open
# (twenty-ninth trial: FAQs on job cards, business permits and death certificates to pick from)
_WHAT_NOW = re.compile(
    r"^(?:\S+\s+){0,2}?(?:(?:terus|trus|lalu|jadi|so|then)\s+)?(?:saya|sy|aku|kami|kita|kula|i|we)\s+(?:harus|mesti|"
    r"musti|perlu|kudu|should|need\s+to|have\s+to)\s+(?:gimana|bagaimana|gmn|apa|ngapain|berbuat\s+apa|piye|pripun|"
    r"do\s+what|what)\b"
    r"|^(?:\S+\s+){0,1}?(?:terus|trus|lalu|lha|then|so)\s+(?:(?:saya|sy|aku)\s+)?(?:gimana|bagaimana|gmn|piye|pripun|"
    r"ngapain|what\s+now|what\s+next)\b"
    r"|^(?:\S+\s+){0,2}?what\s+(?:should|do|can)\s+(?:i|we)\s+do\b|^(?:\S+\s+){0,2}?what\s+(?:happens\s+)?(?:now|next)\b"
    r"|\bapa\s+(?:yang|yg)\s+(?:harus|bisa|perlu)\s+(?:saya|kami|kita)\s+(?:lakukan|kerjakan|perbuat)\b")
WHAT_NOW_WORDS = 9


def asks_what_now(text: str) -> bool:
    low = u.plain(text)
    return 0 < len(low.split()) <= WHAT_NOW_WORDS and bool(_WHAT_NOW.search(low))


async def answer_what_now(turn: Turn, ticket: Ticket) -> None:
    """Nothing is needed of them: who handles their complaint, by when, where news comes, and what they may add."""
    opd = turn.directory.opd(ticket.opd_id) if ticket.opd_id else None
    overdue = ticket.due_at is not None and ticket.due_at < turn.now
    turn.say("what_now_overdue" if overdue else "what_now", [turn.button("menu_regent", "/bupati")] if overdue else [],
             number=ticket.number, opd=opd.short if opd else turn.t("what_now_triage"),
             due=format_date(turn, ticket.due_at) if ticket.due_at else "-", regent=turn.directory.regent_title)


async def answer_regent_threat(turn: Turn, ticket: Ticket) -> None:
    """Where `ticket` stands, and that an overdue complaint goes to the regent by itself (actions/sla.py escalates
    each one past its deadline), with a button to write to the regent now for one who would rather not wait. Said
    again within DELAY_AGAIN_MINUTES ("kok lama banget, sudah sebulan" after it): not the same status once more, but
    the words passed to its officers with an apology."""
    if await delay_again(turn, ticket.number):
        return
    await show_status(turn, ticket.number)
    if turn.state.get(OVERDUE_SHOWN_KEY) == ticket.number:
        return  # past its deadline: the status said the regent follows the delay, with the button to write
    turn.say("regent_if_not_fixed", [turn.button("menu_regent", "/bupati")])
    turn.state[REGENT_OFFER_KEY] = turn.now.isoformat()  # a typed "ya" next is that button (regent_offer_taken)


# "bagaimana kalau petugasnya tidak datang?", "kalau tidak ditindaklanjuti gimana?", "what if nobody comes?" about
# one's open complaint (thirty-seventh trial: offered to the offices as a question)
_WHAT_IF_IGNORED = re.compile(r"\b(?:kalau|kalo|klo|jika|bila|apabila|seandainya|what\s+if|if)\b.{0,30}?"
                              r"\b(?:tidak|tdk|gak|ga|nggak|ngga|belum|blm|not|never|doesn'?t|don'?t|nobody|no\s+one)"
                              r"\s+(?:\S+\s+)?(?:datang|ditangani|ditindaklanjuti|diperbaiki|dikerjakan|direspon|dibalas|"
                              r"ditanggapi|diurus|come|comes|fixed|answered|handled|replies)\b")


def asks_what_if_ignored(text: str) -> bool:
    return len(text.split()) <= 16 and u.is_question(text) and bool(_WHAT_IF_IGNORED.search(u.plain(text)))


#: Conversation state: when the button to write to the regent was offered alone; "ya" just after is a tap on it.
REGENT_OFFER_KEY = "regent_offered"
REGENT_OFFER_MINUTES = 30


def regent_offer_taken(turn: Turn, text: str) -> bool:
    """"ya" (or "iya mau", "yes") right after "Bila ingin menyampaikannya langsung kepada Bupati sekarang, pilih
    tombol di bawah" (thirty-sixth trial: "not understood"); the offer is spent by any message."""
    fresh = stamped_within(turn.state.pop(REGENT_OFFER_KEY, None), turn.now, REGENT_OFFER_MINUTES)
    # ("oke terima kasih infonya" is thanks for the answer, not a yes to writing: thirty-seventh trial)
    return fresh and len(text.split()) <= 4 and u.yes_no(text) is True and not _THANKED.search(u.plain(text))


_THANKED = re.compile(r"\b(?:terima\s*kasih|makasih|makasi|trims|thanks?|thank\s+you|matur\s+nuwun|suwun|nuhun)\b")


#: Conversation state: the open complaint whose status was just shown ("kok lama banget" next is said of it).
DELAY_SHOWN_KEY = "delay_shown"
DELAY_AGAIN_MINUTES = 60


async def delay_again(turn: Turn, number: str | None = None) -> bool:
    """A complaint of delay just after the status of that open complaint was shown ("kok lama banget, sudah
    sebulan"): not the same status once more, but an apology and the words passed to its officers (thirtieth trial).
    `number`: only when it is that complaint. False otherwise."""
    shown = turn.state.get(DELAY_SHOWN_KEY)
    low = u.plain(turn.message.text)
    if _ESCALATE.search(low) or re.search(r"\b" + _REGENT, low):
        return False  # "who can I escalate to?": the message to the regent is offered, as before
    if (not isinstance(shown, dict) or not shown.get("number") or (number and shown.get("number") != number)
            or turn.now - datetime.fromisoformat(str(shown.get("at"))) > timedelta(minutes=DELAY_AGAIN_MINUTES)):
        return False
    turn.state.pop(DELAY_SHOWN_KEY, None)
    turn.say("delay_again_sorry")
    return await add_resident_message(turn, str(shown["number"]), turn.message.text.strip(), quiet_if_not_mine=True,
                                      said="delay_again_passed")


def names_own_report(text: str) -> bool:
    return bool(_OWN_REPORT.search(u.plain(text)))


async def offer_delay_to_regent(turn: Turn, text: str, mine: list[Ticket]) -> None:
    """After the status, a resident who says they will take the delay to the regent ("… saya mau lapor ke bupati
    saja") is shown the message the regent would get, naming the ticket, to send with one tap (nothing unasked)."""
    if not re.search(r"\b" + _REGENT, u.plain(text)) and not _ESCALATE.search(u.plain(text)):
        return
    open_ = [t for t in mine if t.status in OPEN_STATUSES and t.kind == "aduan"]
    named = _tickets_named(turn, open_, text) if len(open_) > 1 else open_
    about = turn.t("regent_about_ticket", number=named[0].number) if len(named) == 1 else ""
    await confirm_to_regent(turn, f"{text.strip()}{about}")


async def send_to_regent(turn: Turn, text: str) -> None:
    number = await new_ticket_number(turn)
    ticket = Ticket(
        number=number, kind="bupati", topic=None, opd_id=None, status=STATUS_NEW, text=text,
        reporter=turn.identity.key, created_at=turn.now, updated_at=turn.now,
        due_at=turn.services.calendar.add_working_days(turn.now, REGENT_SLA_DAYS), lang=turn.lang,
        extra={"channel": turn.message.channel}, privacy=_regent_privacy(turn),
    )
    turn.save_ticket(ticket)
    turn.event(ticket, "created", text)
    for key in await regent_recipients(turn):
        lang = await staff_lang(turn, key)
        card = turn.t("regent_card", lang, number=number, reporter=await reporter_label(turn, ticket, lang), text=text)
        turn.deliver(key, [Reply(card, (Button(turn.t("button_reply", lang), f"/balas {number}"),), ticket=number)],
                     f"regent:{number}")
        await mark_last_in(turn, key, ticket)  # the regent's plain words next are offered as the answer to it
    turn.reset_flow()
    turn.say("regent_sent", number=number)


# --- the resident's own tickets -------------------------------------------------------------------
_MY_TICKETS = re.compile(
    r"^(?:(?:lihat|cek|daftar|list|semua)\s+)?(?:aduan|tiket|laporan|pengaduan)(?:\s+-?\s*aduan)?\s+(?:saya|sy|ku|aku|kula)"
    r"(?:\s+apa\s+saja)?$|^aduanku$|^(?:show\s+)?my\s+(?:complaints|tickets|reports)$|^daftar\s+aduan$"
)
# "saya lupa nomor tiketnya", "nomor aduan saya hilang", "I forgot my ticket number": their tickets answer it.
_LOST_NUMBER = re.compile(
    r"\b(?:lupa|kelalen|hilang|ilang)\s+(?:\S+\s+)?(?:no|nomor|nomer|nmr)\s+(?:tiket|aduan|laporan)"
    r"|\b(?:no|nomor|nomer|nmr)\s+(?:tiket|aduan|laporan)(?:nya)?\s+(?:saya\s+|sy\s+)?(?:lupa|hilang|kehapus|terhapus)\b"
    r"|\bforgot\s+(?:my\s+)?(?:ticket|complaint|report)\s+number\b"
    r"|\blost\s+(?:my\s+|the\s+)?(?:ticket|complaint|report)\s+number\b"  # (twenty-ninth trial: "complaint")
    # "nomor tiket saya berapa ya?", "no aduan saya apa ya", "tiket saya nomor berapa", "what's my ticket number?"
    r"|\b(?:no|nomor|nomer|nmr)\s+(?:tiket|aduan|laporan)(?:nya|ku|e)?\s+(?:saya\s+|sy\s+|kulo\s+|kula\s+|aku\s+)?"
    r"(?:berapa|brp|brapa|apa|pinten|piro|sing\s+endi)\b"
    r"|\b(?:tiket|aduan|laporan)(?:nya|ku|e)?\s+(?:saya\s+|sy\s+|kulo\s+|aku\s+)?(?:nomor|nomer|no)\s+(?:berapa|brp|"
    r"pinten|piro)\b|\bwhat(?:'s|\s+is|\s+was)\s+my\s+(?:ticket|complaint|report)\s+number\b"
)


# "laporan saya apa aja ya? bisa liat daftarnya?", "laporan saya masih ada yg aktif gk?", "can I see a list of all my
# reports?": the list asked for in more words
_MY_TICKETS_ASKED = re.compile(
    r"\b(?:aduan|tiket|laporan|pengaduan)(?:2|-aduan|-laporan)?\s+(?:saya|sy|ku|aku|kula)\s+"
    r"(?:apa\s+(?:aja|saja)|mana\s+(?:aja|saja)|ada\s+(?:berapa|brp|apa)|yang\s+(?:masih\s+)?(?:aktif|berjalan|terbuka)|"
    r"yg\s+(?:masih\s+)?(?:aktif|berjalan|terbuka)|(?:masih\s+)?ada\s+(?:yang|yg)\s+(?:aktif|berjalan|terbuka|belum))"
    r"|\b(?:daftar|list)\s*(?:nya|aduan|laporan|tiket)?\s+(?:aduan|laporan|tiket)?\s*(?:saya|sy|ku)\b"
    r"|\b(?:see|show|view|check)\s+(?:me\s+)?(?:a\s+)?(?:list\s+of\s+)?(?:all\s+)?my\s+(?:complaints|tickets|reports)\b"
    r"|\blist\s+of\s+(?:all\s+)?my\s+(?:complaints|tickets|reports)\b"
    # "berapa aduan saya?", "how many complaints have I made?" (twenty-ninth trial: not understood)
    r"|\b(?:berapa|brp)\s+(?:banyak\s+|jumlah\s+)?(?:aduan|laporan|tiket|pengaduan)\s*(?:saya|sy|ku|aku|kula)\b"
    r"|\bhow\s+many\s+(?:complaints|reports|tickets)\s+(?:have\s+i|did\s+i|i\s+have)\b"
    # "yang mana yang sudah selesai?", "mana yang belum beres?", "which ones are done?" with two or more (thirty-fourth
    # trial: offered to an office as a question)
    r"|^(?:\S+\s+)?(?:yang|yg)\s+mana\s+(?:yang|yg)\s+(?:sudah|udah|udh|sdh|belum|blm|masih)\s+(?:selesai|beres|ditutup|"
    r"diproses|ditangani|diperbaiki|jalan|terbuka)\b|^(?:\S+\s+)?mana\s+(?:yang|yg)\s+(?:sudah|udah|udh|sdh|belum|blm)\s+"
    r"(?:selesai|beres|ditutup|ditangani|diperbaiki)\b|\bwhich\s+(?:ones?|complaints?|reports?)\s+(?:are|is)\s+"
    r"(?:done|finished|closed|resolved|still\s+open|open)\b")


def asks_my_tickets(text: str) -> bool:
    low = u.plain(text)
    return bool(_MY_TICKETS.match(low) or (len(low.split()) <= 12 and (_LOST_NUMBER.search(low)
                                                                         or _MY_TICKETS_ASKED.search(low))))


# "aduan saya yang bulan lalu nomornya berapa ya?", "lupa nomor tiket saya", "what was my ticket number?"
_MY_NUMBERS = re.compile(
    r"\b(?:nomor|nomer|no|nmr)\s+(?:tiket|aduan|laporan|pengaduan)\w*\s+(?:saya|sy|ku|kula|aku)\b"
    r"|\b(?:aduan|laporan|tiket|pengaduan)\w*\s+(?:saya|sy|ku|kula|aku)\b.*\b(?:nomor|nomer|no|nmr)\w*\b"
    r"|\blupa\s+(?:nomor|nomer|no)\s+(?:tiket|aduan|laporan)\w*\b"
    # "bisa minta nomor tiket lagi? lupa" (thirty-second trial: the general FAQ on ticket numbers)
    r"|\b(?:minta|kirim|kasih|kirimkan|berikan)\s+(?:lagi\s+|ulang\s+)?(?:nomor|nomer|no)\s+(?:tiket|aduan|laporan)\w*"
    r"(?:\s+(?:saya|sy|ku))?\s+(?:lagi|ulang)\b"
    r"|\bwhat\s+(?:is|was|'s)\s+my\s+(?:ticket|complaint|report)\s+number\b|\bmy\s+(?:ticket|complaint)\s+numbers?\b"
    # "what's the ticket number again?", "aduan saya yang mana saja yang masih proses?", "daftar laporan saya",
    # "list of my complaints" (twenty-fifth trial: a general answer, or a question offered to an office)
    r"|\b(?:what|what's|which)\s+(?:is\s+|was\s+)?(?:the|my)\s+(?:ticket|complaint|report)\s+(?:number|no)\b"
    r"|\b(?:aduan|laporan|tiket|pengaduan)\w*\s+(?:saya|sy|ku|aku)\s+(?:yang|yg)\s+mana\s+(?:saja|aja|aj|sj|wae)\b"
    r"|\b(?:daftar|list|semua|seluruh)\s+(?:aduan|laporan|tiket|pengaduan)\w*\s+(?:saya|sy|ku|aku)\b"
    r"|\b(?:list|all)\s+(?:of\s+)?my\s+(?:complaints|reports|tickets)\b"
    # "boleh minta nomor tiket baru? yang lama hilang" (thirty-ninth trial: a complaint on unsure topics)
    r"|\b(?:nomor|nomer|no)\s+(?:tiket|aduan|laporan)\w*\b.*\b(?:hilang|lupa|kehapus|terhapus|ilang|lost|forgot)\b")
MY_NUMBERS_WORDS = 14


def asks_my_numbers(text: str) -> bool:
    low = u.plain(text)
    return (0 < len(low.split()) <= MY_NUMBERS_WORDS and bool(_MY_NUMBERS.search(low))
            and find_ticket_number(text) is None and not asks_withdrawal(text)  # "membatalkan semua aduan saya"
            and (u.is_question(text) or bool(re.search(r"\b(?:berapa|brp|apa|lupa|hilang|kehapus|mana|what|forgot|"
                                                       r"daftar|list|semua|seluruh|lihat|liat|tampilkan|show)\b",
                                                       low))))


@command("aduansaya")
async def cmd_my_tickets(turn: Turn, args: str) -> None:
    """The resident's own tickets on this identity: number, topic, status."""
    turn.reset_flow()
    mine = await turn.store.recent_tickets(turn.identity.key, MY_TICKETS)
    if not mine:
        turn.say("my_tickets_none", turn.menu_buttons())
        return
    lines = [
        turn.t("my_tickets_line", number=numbered(t),
               topic=subject_name(turn, t),
               status=ticket_status_name(turn, t), created=format_date(turn, t.created_at))
        for t in mine
    ]
    buttons = [Button(numbered(t)[:60], f"/status {t.number}") for t in mine[:3]]
    turn.say("my_tickets", buttons, lines="\n".join(lines))
    # "yang kedua", "the first one", "yang lampu" next: that one's status (dialogue: _my_list_pick)
    turn.state[MY_LIST_KEY] = {"numbers": [t.number for t in mine],
                               "about": {t.number: _about_any(turn, t) for t in mine},
                               "at": turn.now.isoformat()}


MY_LIST_KEY = "my_list"  # state: the complaints just listed by /aduansaya, in the order shown
MY_LIST_PICK_WORDS = 6
MY_LIST_MINUTES = 30  # later, "yang kedua" is about something else


def picked_from_list(turn: Turn, text: str) -> str | None:
    """The number of the listed complaint a short answer names ("yang kedua", "the first one", "yg jalan"), if
    the list was the last thing shown; the list is forgotten either way."""
    shown = turn.state.pop(MY_LIST_KEY, None)
    low = u.plain(text)
    if (not isinstance(shown, dict) or not low or len(low.split()) > MY_LIST_PICK_WORDS
            or not isinstance(shown.get("at"), str)
            or turn.now - datetime.fromisoformat(shown["at"]) > timedelta(minutes=MY_LIST_MINUTES)):
        return None
    if shown.get("after_status") and not _ANOTHER_OF_MINE.match(low):
        return None  # after one complaint's status no list was shown: only "kalau yang jalan?" names another
    if says_still(text) or says_fixed_before_done(text):
        return None  # "lampunya masih mati pak" after the list: news of that one, no question
    numbers = [str(n) for n in shown.get("numbers") or []]
    low = _STATUS_TAIL.sub("", low).strip() or low  # "yang pertama gimana?" (thirty-first trial: FAQs to pick from)
    return which_ticket(low, numbers, {str(k): str(v) for k, v in (shown.get("about") or {}).items()})


# "… gimana?", "… statusnya?", "… sudah sampai mana?", "… how is it?": a status asked of the one picked from the list
_STATUS_TAIL = re.compile(r"\s+(?:gimana|bagaimana|gmn|piye|pripun|statusnya|kabarnya|"
                          r"(?:sudah\s+|udah\s+|udh\s+)?sampai\s+mana|how\s+is\s+it|status)(?:\s+(?:ya|pak|bu|kak|min))?$")


# "kalau yang jalan?", "terus yang lampu gimana?", "what about the road one?" right after one complaint's status: the
# status of the other one it names (twenty-sixth trial: asked whether it was more words for the first)
_ANOTHER_OF_MINE = re.compile(r"^(?:(?:kalau|kalo|klo|kl|terus|trus|lalu|lha|lah|nah|trs|and|what|how)\s+)+"
                              r"(?:about\s+)?(?:(?:yang|yg|sing|the)\s+)?\S+")


# --- a message while an officer waits for an answer -------------------------------------------------
FORWARD, OWN, ASK = "forward", "own", "ask"


async def waiting_ticket(turn: Turn) -> Ticket | None:
    """The open ticket whose officer asked this resident something recently, if any."""
    number = turn.state.get("reply_ticket")
    if not number:
        return None
    ticket = await turn.store.get_ticket(number)
    if ticket is None or ticket.reporter != turn.identity.key or (
            ticket.status not in OPEN_STATUSES and await duplicates.open_main(turn, ticket) is None):
        turn.state.pop("reply_ticket", None)  # (a complaint joined to an open one is answered there)
        return None
    outs = await turn.store.ticket_events(number, "message_out")
    latest = max([e.at for e in outs] + [ticket.created_at])
    if turn.now - latest > timedelta(days=REPLY_MODE_DAYS):
        turn.state.pop("reply_ticket", None)
        return None
    return ticket


async def active_ticket(turn: Turn) -> Ticket | None:
    """The resident's latest open ticket if an officer acted on it lately (no question asked, though)."""
    latest = await turn.store.recent_tickets(turn.identity.key, 1)
    if not latest or latest[0].status not in OPEN_STATUSES:
        return None
    ticket = latest[0]
    for event in await turn.store.ticket_events(ticket.number):
        if (event.kind in ("message_out", "status") and event.actor != ticket.reporter
                and turn.now - event.at <= timedelta(days=ACTIVITY_DAYS)):
            return ticket
    return None


FILED_HOURS = 24  # more details right after filing ("oh iya pak tambahan, ...") go to that ticket this long


# "aduan saya yang kemarin mau saya tambah fotonya", "fotonya menyusul ya pak", "can I add a photo to my complaint?":
# a photo announced for a complaint already sent (twenty-eighth trial: a new complaint began, and the photo after it
# was taken for a topic). The next photo is added to that complaint.
#: Conversation state: the complaint a photo was announced for, and when.
PHOTO_FOR_KEY = "photo_for"
PHOTO_FOR_HOURS = 6
PHOTO_COMING_WORDS = 16
_PHOTO_WORD = r"(?:foto\w*|gambar\w*|poto\w*|photos?|pictures?|pics?)"
_PHOTO_COMING = re.compile(
    rf"\b(?:tambah\w*|menambah\w*|ditambah\w*|nambah\w*|kirim\w*|ngirim|dikirim\w*|susul\w*|nyusul\w*|"
    rf"menyusul\w*|lampir\w*|melampir\w*|upload|unggah\w*|add|send|attach)\s+(?:\S+\s+){{0,2}}?{_PHOTO_WORD}"
    rf"|\b{_PHOTO_WORD}\s+(?:\S+\s+){{0,2}}?(?:menyusul|nyusul|susul\w*|(?:saya|sy|aku)\s+(?:kirim\w*|"
    rf"tambah\w*|susul\w*|lampir\w*)|mau\s+(?:saya\s+)?(?:kirim\w*|tambah\w*)|coming|later)\b"
    # "ini fotonya pak" with no photo in it (thirty-fourth trial: not understood): the photo is on its way
    rf"|^(?:\S+\s+)?(?:ini|berikut(?:\s+ini)?|here\s+is|here'?s|this\s+is)\s+(?:the\s+)?{_PHOTO_WORD}"
    rf"(?:\s+(?:nya|pak|bu|min|kak|mas|mbak|ya|sir))*$"
    # "nanti saya minta tolong anak saya fotoin" (thirty-seventh trial: the help): the photo taken later, by someone
    r"|\b(?:nanti|ntar|entar|besok|later|tomorrow)\b.*\b(?:fotoin|difotoin|fotokan|difotokan|fotokno|motret|dipotret|"
    r"memotret|motoin|dipotoin|ambil\s+foto\w*|take\s+(?:a\s+)?(?:photo|picture))\b"
    r"|\b(?:fotoin|difotoin|fotokan|difotokan|motret|memotret|motoin)\b.*\b(?:nanti|ntar|besok|dulu|later)\b")
_HOW_QUESTION = re.compile(r"\b(?:cara\w*|gimana|bagaimana|gmn|how)\b")


# "bisa minta foto hasil perbaikannya nanti?", "nanti dikirimi foto buktinya ya pak": the officers' photo of the work
_RESULT_PHOTO = re.compile(r"\b(?:foto|fotonya|gambar|photo|picture)\w*\s+(?:\S+\s+)?(?:hasil|bukti|sesudah|setelah|"
                           r"after|of\s+the\s+(?:repair|work))\b")


def asks_result_photo(text: str) -> bool:
    low = u.plain(text)
    return len(low.split()) <= 16 and bool(_RESULT_PHOTO.search(low)) and bool(
        re.search(r"\b(?:minta|mohon|bisa|boleh|tolong|dikirimi|kirimi|kirimin|dikirim|send|can|could|please)\b", low))


def announces_photo(text: str) -> bool:
    """A short message that a photo is coming for a complaint already sent: the photo words, and either few words or
    the complaint named as one's own ("aduan saya yang kemarin"); not how to send one (`how_to_send`)."""
    low = u.plain(text)
    words = len(low.split())
    return (words <= PHOTO_COMING_WORDS and bool(_PHOTO_COMING.search(low)) and not _HOW_QUESTION.search(low)
            and (words <= 7 or names_own_report(text) or bool(re.search(r"\b(?:aduan|laporan|complaint|report)\w*\b",
                                                                     low))))


async def expect_photo(turn: Turn, text: str) -> bool:
    """A photo announced for the resident's own open complaint (the one its words name, else the latest): asked for
    now, and the next photo added there (`photo_announced`). False when they have none open."""
    mine = [t for t in await turn.store.recent_tickets(turn.identity.key, STATUS_LOOK_BACK)
            if t.kind == "aduan" and await open_for_reporter(turn, t)]
    if not mine:
        return False
    named = _tickets_named(turn, mine, text) if len(mine) > 1 else []
    ticket = (named or mine)[0]
    turn.state[PHOTO_FOR_KEY] = {"number": ticket.number, "at": turn.now.isoformat()}
    about = topic_name(turn, ticket.topic) if ticket.topic else shorten(ticket.text, 40)
    turn.say("photo_expected" if len(mine) == 1 or named else "photo_expected_latest", number=ticket.number,
             about=about)
    return True


def photo_announced(turn: Turn) -> str | None:
    """The complaint a photo was announced for within PHOTO_FOR_HOURS, if any (the announcement is let go)."""
    asked = turn.state.pop(PHOTO_FOR_KEY, None)
    if not isinstance(asked, dict) or not asked.get("number") or not asked.get("at"):
        return None
    try:
        at = datetime.fromisoformat(str(asked["at"]))
    except ValueError:
        return None
    return str(asked["number"]) if turn.now - at <= timedelta(hours=PHOTO_FOR_HOURS) else None


async def just_filed(turn: Turn) -> Ticket | None:
    """The resident's latest ticket if it is open and was filed within FILED_HOURS."""
    latest = await turn.store.recent_tickets(turn.identity.key, 1)
    if not latest or not await open_for_reporter(turn, latest[0]):  # (one supporting a neighbour's: its words go there)
        return None
    return latest[0] if turn.now - latest[0].created_at <= timedelta(hours=FILED_HOURS) else None


# --- questions about one's own data ---------------------------------------------------------------------
# "apakah laporan saya bisa dilihat orang lain?", "nama saya kelihatan gak sama kades?", "can others see my report?"
_WHO_SEES = re.compile(
    r"\b(?:laporan|aduan|nama|identitas|data|nomor|nik|hp)(?:nya|ku)?\s+(?:\S+\s+){0,3}?(?:bisa\s+|akan\s+|bakal\s+|jadi\s+)?"
    r"(?:dilihat|diketahui|dibaca|ketahuan|kelihatan|terlihat|dipublikasikan|disebarkan|dibagikan|tersebar|dibuka|"
    r"ketok|diweruhi|katon)\b"
    r"|\b(?:can|could|will|would|do)\s+(?:other\s+people|others|anyone|anybody|the\s+public|people|my\s+neighbou?rs|"
    r"the\s+village\s+head|the\s+officers?|officers|the\s+staff|they)\s+(?:\S+\s+)?(?:see|know|read|find\s+out)\b.*"
    r"\b(?:my|me|i)\b"
    r"|\bwill\s+my\s+(?:name|identity|report|complaint|number)\s+be\s+(?:shown|seen|published|public|shared)\b"
    # "is my report anonymous?", "aduan saya anonim gak?", "laporan saya publik atau rahasia?"
    r"|\b(?:is|was)\s+my\s+(?:report|complaint|name)\s+(?:anonymous|public|private|confidential|secret|hidden)\b"
    r"|\b(?:laporan|aduan)(?:nya)?\s+(?:saya|sy|ku)\s+(?:\S+\s+)?(?:anonim|publik|rahasia)\b"
    # "data saya aman gak?", "identitas pelapor dijamin aman?", "is my data safe?" (twenty-sixth trial: a complaint)
    r"|\b(?:data|identitas|nama|nomor|privasi)(?:nya|ku)?\s+(?:\S+\s+){0,2}?(?:dijamin\s+|terjamin\s+|bakal\s+|akan\s+)?"
    r"(?:aman|terlindungi|dilindungi|bocor|disalahgunakan)\b"  # ("… bisa dirahasiakan?" asks for secrecy: start_secret)
    r"|\b(?:is|are|will)\s+my\s+(?:data|identity|name|number|details|information)\s+(?:be\s+)?(?:safe|secure|"
    r"protected|kept\s+secret)\b")
# "saya mau hapus data saya dari sistem ini", "tolong hapus nomor saya", "please delete my data"
_DELETE_MY_DATA = re.compile(
    r"\b(?:hapus|hapuskan|hapusin|menghapus|dihapus|dihapuskan|busak|dibusak)\b(?:\s+\S+){0,3}?\s+"
    r"(?:(?:data|akun|nomor|identitas)(?:\s+(?:pribadi|diri))?\s+(?:saya|sy|kula|aku)\b|(?:data|akun|nomor|identitas)ku\b"
    r"|data\s+pribadi\b)"
    # "saya mau data pribadi saya dihapus dari sistem", "nomor saya tolong dihapus"
    r"|\b(?:data|akun|nomor|identitas)(?:\s+(?:pribadi|diri))?\s+(?:saya|sy|kula|aku)\s+(?:\S+\s+){0,2}?"
    r"(?:dihapus|dihapuskan|dihapusin|dibusak)\b|\b(?:data|akun|nomor|identitas)ku\s+(?:\S+\s+){0,2}?"
    r"(?:dihapus|dihapuskan|dihapusin|dibusak)\b"
    r"|\b(?:delete|remove|erase)\s+(?:all\s+)?my\s+(?:data|account|information|details|number|personal\s+data)\b"
    r"|\bhak\s+(?:untuk\s+)?dilupakan\b|\bright\s+to\s+be\s+forgotten\b")
_MY_DATA_WORDS = 16  # longer, the words tell something else (a report that mentions data)


PRIVACY_FAQ = "faq/privasi_data_pelapor"  # who sees a report, and what is done with the reporter's data


async def answer_who_sees_mine(turn: Turn) -> bool:
    """Who sees the resident's latest complaint, by the privacy they chose for it, and how to hide their name
    (thirtieth trial: the general privacy FAQ, not their choice). False with no complaint of theirs."""
    mine = [t for t in await turn.store.recent_tickets(turn.identity.key, 3) if t.kind == "aduan"]
    if not mine:
        return False
    privacy = mine[0].privacy if mine[0].privacy in ("anonim", "rahasia") else "publik"
    turn.say(f"who_sees_mine_{privacy}", number=mine[0].number)
    return True


# "aduan saya sudah dibaca petugas belum?", "sudah dibaca belum pak?", "has my complaint been read?": whether it has
# been seen, which its status says (thirty-first trial: the privacy answer, and an offer to ask an office)
_READ_YET = re.compile(r"\b(?:sudah|udah|udh|sdh|dah)\s+(?:\S+\s+){0,2}?dibaca\b|\bdibaca\s+(?:\S+\s+)?(?:belum|blm)\b"
                       r"|\bhas\s+(?:it|my\s+(?:complaint|report))\s+been\s+(?:read|seen)\b")


def asks_who_sees(text: str) -> bool:
    """A question on who may see one's report or name ("apakah laporan saya bisa dilihat orang lain?"); not whether
    it has been read yet (its status)."""
    low = u.plain(text)
    return (len(low.split()) <= _MY_DATA_WORDS and bool(_WHO_SEES.search(low)) and not _READ_YET.search(low)
            and (u.is_question(text) or "?" in text
                 or low.startswith(("apakah", "apa ", "can ", "will ", "do ", "does ", "is ", "are "))))


# ... not data held by an office ("tolong hapus data KTP saya yang salah di dukcapil" is Dukcapil's matter)
_OFFICE_DATA = re.compile(r"\b(?:ktp|e-?ktp|kk|kartu\s+keluarga|akta|dukcapil|capil|disdukcapil|dtks|bansos|pkh|bpnt|"
                          r"bpjs|kis|siak|dapodik|sekolah|pajak|sppt|pbb|sertifikat|bpn|desa|kelurahan|dinas|kantor)\b")


def asks_data_deleted(text: str) -> bool:
    """"saya mau hapus data saya dari sistem ini", "please delete my data": our records of them, not an office's."""
    return _asks_own_data(text, _DELETE_MY_DATA)


def _asks_own_data(text: str, wish: re.Pattern[str]) -> bool:
    """A short message with `wish` about the resident's own data here, not data an office holds."""
    low = u.plain(text)
    return len(low.split()) <= _MY_DATA_WORDS and bool(wish.search(low)) and not _OFFICE_DATA.search(low)


# "apakah bisa minta salinan data aduan saya?", "data apa saja yang disimpan tentang saya?", "can I get a copy of my
# data?" (thirty-sixth trial: offered to the offices as a question): the right of access
_COPY_MY_DATA = re.compile(
    r"\b(?:salinan|kopi|copy|unduh|download|ekspor|export)\s+(?:\S+\s+){0,2}?(?:data|informasi)\b.{0,20}?\b(?:saya|sy|"
    r"kula|aku|my|me)\b|\bdata\s+(?:apa|apa\s+saja|apa\s+aja)\s+(?:yang\s+|yg\s+)?(?:disimpan|dicatat|dikumpulkan)\s+"
    r"(?:\S+\s+)?(?:tentang|dari|soal)\s+(?:saya|sy|aku)\b|\bwhat\s+(?:data|information)\s+do\s+you\s+(?:keep|have|"
    r"hold|store)\s+(?:about|on)\s+me\b|\bcopy\s+of\s+my\s+(?:data|information|details)\b")


def asks_data_copy(text: str) -> bool:
    return _asks_own_data(text, _COPY_MY_DATA)


async def answer_data_deletion(turn: Turn, *, copy: bool = False) -> None:
    """"saya mau hapus data saya dari sistem ini": what is kept and why, the right to have one's personal data erased
    (UU No. 27/2022 on personal data protection), and the request passed to the operators with the resident's tickets
    (the bot erases nothing by itself: a report is also a public-service record, kept as the archive rules say)."""
    text = turn.message.text.strip()[:1000]
    mine = [t.number for t in await turn.store.recent_tickets(turn.identity.key, MY_TICKETS)]
    operators = await operator_recipients(turn)
    for key in operators:
        lang = await staff_lang(turn, key)
        card = turn.t("data_copy_to_operator" if copy else "data_deletion_to_operator", lang,
                      who=turn.identity.name or turn.identity.key, channel=turn.message.channel, text=text,
                      tickets=", ".join(mine) or "-")
        kind = "data-copy" if copy else "data-deletion"
        turn.deliver(key, [Reply(card)], f"{kind}:{turn.identity.key}:{turn.now.date().isoformat()}")
    logging.getLogger(__name__).info("personal data %s asked by %s (%d tickets)", "copy" if copy else "deletion",
                                     turn.identity.key, len(mine))
    if copy:  # (a copy: what is kept, where they see their complaints now, and the request passed on)
        turn.say("data_copy_asked" if operators else "data_copy_no_operator",
                 [turn.button("data_copy_tickets_button", "/aduansaya")])
        return
    turn.say("data_deletion_asked" if operators else "data_deletion_no_operator")


# --- a message soon after filing --------------------------------------------------------------------------
FOLLOW_UP_HOURS = 2  # a complaint-like message this soon after filing may be more of the same one: asked
FOLLOW_UP_WORDS = 25  # urging or harm told in more words is a report of its own (real reports urge too)
ADD, ASK_FRESH = "add", "ask_fresh"

# "kemarin ada yang jatuh", "sudah 2 motor jatuh di situ", "ada korban", "someone already fell there"
_HARM = re.compile(
    r"\b(?:ada|sudah|udah|sdh|udh|dah|sempat|pernah|kemarin|tadi|barusan|wis|sampun)\s+(?:ada\s+)?(?:yang|yg|orang|"
    r"warga|anak|motor|pengendara|tiyang|\d+\s+(?:orang|motor|anak|pengendara|warga))\s+(?:\S+\s+)?(?:jatuh|terjatuh|"
    r"celaka|kecelakaan|terluka|luka|tertabrak|terperosok|kesetrum|tersetrum|tersengat|meninggal|tenggelam|nyungsep|"
    r"tiba|ceblok|kecemplung)\b"
    r"|\bada\s+(?:yang\s+)?korban\b"
    r"|\b(?:someone|somebody|people|a child|a kid|kids|children|two people|\d+\s+people)\s+(?:already\s+|almost\s+)?"
    r"(?:fell|got hurt|was hurt|were hurt|got injured|was injured|were injured|crashed|died)\b")
# "mau lapor lagi", "satu lagi pak", "aduan lain": another matter, and it says so
_ANOTHER_MATTER = re.compile(
    r"\bsatu lagi\b|\b(?:lapor|laporan|aduan|ngadu)\s+(?:lagi|baru|lain|juga)\b|\b(?:hal|masalah|soal)\s+lain\b"
    r"|^(?:\S+\s+){0,3}?(?:mau|ingin|pengen|pingin|mo|badhe|arep|ajeng)\s+(?:lapor|melapor|ngadu|mengadu|matur)\b"
    r"|\banother\s+(?:complaint|report|problem|issue|thing)\b|\bsomething else\b|\bsiji\s+maneh\b"
    r"|\bsetunggal\s+malih\b")


def urges_or_tells_harm(text: str) -> bool:
    """Urging ("tolong segera pak") or harm done since ("kemarin ada yang jatuh"): more about the same matter."""
    low = u.plain(text)
    return bool(_URGING.search(low) or _HARM.search(low))


def follow_up_of_fresh(turn: Turn, fresh: Ticket, parse: dict[str, Any], complaint_like: bool) -> str | None:
    """A message soon after `fresh` was filed, with nobody waiting for an answer: urging or harm done since ("pak
    tolong segera, kemarin ada yang jatuh") is ADDed to that complaint; other words that read as a complaint
    within FOLLOW_UP_HOURS and not confidently as another office's are asked about (ASK_FRESH: more of the same,
    or something else?), as FixMyStreet's updates are kept on the report and not filed as a second one. None when
    the message is its own matter ("satu lagi, ...", "mau lapor ...") or is not about a complaint at all."""
    text = turn.message.text.strip()
    if fresh.kind != "aduan" or is_information_request(fresh) or _ANOTHER_MATTER.search(u.plain(text)):
        return None
    if _PASS_ON.match(u.plain(text)) and len(text.split()) <= FOLLOW_UP_WORDS:
        return ADD  # "tolong sampaikan ke petugasnya, lubangnya makin besar …" (fortieth trial: asked whether to)
    harm = urges_or_tells_harm(text)
    if harm and names_own_report(text) and len(text.split()) <= FOLLOW_UP_WORDS:
        return ADD  # "aduan saya tolong diprioritaskan, ibu saya sakit harus lewat situ ke puskesmas": theirs, urged
    if (len(text.split()) <= PLACE_DETAIL_WORDS and _PLACE_DETAIL.search(u.plain(text))
            and not PROBLEM_WORDS.search(u.plain(text)) and not u.is_question(text)
            and turn.now - fresh.created_at <= timedelta(hours=FOLLOW_UP_HOURS)):
        return ADD  # "eh nomor rumahnya 12 ya pak" (thirty-fourth trial: not understood): the place told more finely
    decision, elsewhere = reply_decision(turn, fresh, parse), about_another_office(turn, fresh, parse)
    if decision == OWN or (decision == ASK and not elsewhere):
        return None
    routing = parse.get("opd") or {}
    topic = routing.get("topic") if isinstance(routing, dict) else None
    urged_only = harm and not PROBLEM_WORDS.search(u.plain(text))
    if elsewhere and (topic in turn.directory.routing or not harm) and not urged_only:
        # "tolong segera, lampu jalan depan masjid mati": another office's matter, a complaint of its own ("pak tolong
        # dipercepat ya, anak saya tiap hari lewat situ ke sekolah" names no problem: it urges this one; thirty-first
        # trial: a complaint for the schools began)
        return None
    if harm and not place_in_text(text) and len(text.split()) <= FOLLOW_UP_WORDS:
        # ("please hurry, someone already fell there" read as the police's)
        return ADD  # ("tolong segera, jalan di desa Puri juga rusak" names a place: perhaps another report)
    sure = isinstance(routing, dict) and float(routing.get("confidence") or 0) >= turn.directory.route_threshold
    if complaint_like and not sure and turn.now - fresh.created_at <= timedelta(hours=FOLLOW_UP_HOURS):
        return ASK_FRESH  # (a sure one of the same office is drafted, and its summary offers to join: same_open)
    return None


def adds_to_regent_message(turn: Turn, fresh: Ticket, text: str, parse: dict[str, Any]) -> bool:
    """A few more words just after a message to the regent, nobody having answered it ("kalau bisa sebelum musim
    hujan pak"): more of that message, not a new matter (a complaint routed surely, "satu lagi …") nor a question."""
    if fresh.kind != "bupati" or fresh.opd_id or turn.now - fresh.created_at > timedelta(hours=FOLLOW_UP_HOURS):
        return False
    low = u.plain(text)
    routing = ParseResult.from_dict(parse).routing
    return (0 < len(low.split()) <= FOLLOW_UP_WORDS and not u.is_question(text) and not _ANOTHER_MATTER.search(low)
            and not (routing is not None and routing.confidence >= turn.directory.route_threshold)
            and not only_ack(text) and u.intent_of(parse) not in ("greet", "thanks", "goodbye", "cancel"))


# "tolong sampaikan ke petugasnya, …", "teruskan ke petugas ya: …", "please tell the officer …": words for its officers
_PASS_ON = re.compile(r"^(?:(?:tolong|mohon|minta|pak|bu|min)\s+)*(?:sampaikan|sampein|teruskan|terusin|kasih\s+tahu|"
                      r"kasih\s+tau|kabari|bilang|please\s+tell|tell|let)\w*\s+(?:ke\s+|kepada\s+|sama\s+|the\s+)?"
                      r"(?:petugas\w*|dinas\w*|officers?|staff)\b")


# "eh nomor rumahnya 12 ya pak", "rt 03 rw 02 pak", "lokasinya persis depan masjid": the place of the complaint just
# sent, told more finely
_PLACE_DETAIL = re.compile(r"\b(?:nomor|nomer|no|nmr)\s+(?:rumah(?:nya)?|rmh)\s*\d+|\b(?:rt|rw)\s*\.?\s*\d+"
                           r"|\b(?:lokasi|alamat|tempat|titik)(?:nya)?\s+(?:persis(?:nya)?\s+|tepatnya\s+|lengkapnya\s+)?"
                           r"(?:di\s+)?(?:depan|dekat|samping|sebelah|belakang|seberang|pojok|ujung|gang|jl|jalan|dusun|"
                           r"perumahan|blok)\b|\b(?:house|home)\s+(?:number|no)\.?\s*\d+")
PLACE_DETAIL_WORDS = 12


ADDITION_DAYS = 14  # "oh iya tambahan, …" days after filing: asked whether it is for that complaint's officer


async def only_open_complaint(turn: Turn, ticket: Ticket) -> bool:
    """`ticket` is the only complaint of the resident still open to them."""
    for other in await turn.store.recent_tickets(turn.identity.key, STATUS_LOOK_BACK):
        if (other.number != ticket.number and other.kind == "aduan" and not is_information_request(other)
                and await open_for_reporter(turn, other)):
            return False
    return True


async def open_for_addition(turn: Turn) -> Ticket | None:
    """The resident's latest ticket if it is open and was filed within ADDITION_DAYS."""
    latest = await turn.store.recent_tickets(turn.identity.key, 1)
    if not latest or not await open_for_reporter(turn, latest[0]):  # (one joined to an open one: its words go there)
        return None
    return latest[0] if turn.now - latest[0].created_at <= timedelta(days=ADDITION_DAYS) else None


_STATUS_WORD = re.compile(r"\b(?:status|statusnya|progres|progress|perkembangan|perkembangannya|tindak lanjut)\b"
                          r"|^(?:tolong\s+|mohon\s+|minta\s+)?(?:cek|check|lihat|liat|cari)\b")
# "... sudah diperbaiki belum?" asks; "... sudah diperbaiki belum lama ini" tells: "belum" ends the question.
_QUESTION_END = r"(?:\s+(?:ya|yah|sih|pak|bu|kak|min|mas|mbak|dong|nih|kah|ini|tuh|gan))*$"
_QUESTION_END_EN = r"(?:\s+(?:now|so far|please|then))*$"
_MY_REPORT = r"(?:complaint|report|ticket)s?\b"
_FIX_VERBS = (r"(?:tangani|tanganin|proses|tindaklanjuti|tindak lanjuti|kerjakan|kerjain|respon|tanggapi|cek|urus|"
              r"urusin|perbaiki|benerin|betulin|dandani|dandosi|dandosaken|benakke|garap|tandangi)")
# "bukti laporan", "tanda terima aduan", "proof of my complaint": the number is the receipt (cmd_status says so)
_RECEIPT = (r"|\bbukti\s+(?:\S+\s+)?(?:laporan|lapor|melapor|aduan|mengadu|pengaduan|pelaporan)\w*\b"
            r"|\btanda\s+terima\s+(?:\S+\s+)?(?:laporan|aduan|pengaduan)\w*\b"
            r"|\b(?:proof|receipt)\s+(?:of|for)\s+(?:my\s+|the\s+)?(?:complaint|report)\b")
_RECEIPT_ASKED = re.compile(_RECEIPT[1:])
_STATUS_OF = re.compile(
    # "pak aduan saya kok dialihkan ke dinas lain?", "dinas mana sekarang yang pegang?" (forty-first trial: offered to
    # the offices as questions): where it stands, with the move (show_status)
    r"\b(?:aduan|laporan|tiket|pengaduan)\s*(?:saya|sy|ku|kula)?\s+(?:\S+\s+)?(?:dialihkan|dipindah|dipindahkan|"
    r"dioper|dilempar|pindah)\b|\b(?:dinas|opd|kantor)\s+mana\s+(?:sekarang|skrg)\s+(?:yang|yg)\s+"
    r"(?:pegang|megang|memegang|menangani|nangani|handle|urus|ngurus|mengurus)\b|"
    r"\b(?:status|statusnya|progres|progress|perkembangan|perkembangannya|tindak lanjut)\s+(?:\S+\s+){0,2}?"
    r"(?:aduan|aduannya|tiket|tiketnya|laporan|laporannya|pengaduan|complaint|ticket|report)\b"
    r"|\b(?:aduan|laporan|tiket|pengaduan)\s*(?:saya|sy|ku|kula)?\s+(?:sudah\s+|udah\s+|sdh\s+)?sampai\s+mana\b"
    # "yang kedua sudah sampai mana?", "yg lampu udah sampe mana" (twenty-seventh trial: "yang kedua …" was answered
    # with a goodbye)
    r"|^(?:\S+\s+){0,1}?(?:yang|yg)\s+\S+\s+(?:sudah\s+|udah\s+|udh\s+|sdh\s+)?(?:sampai|sampe|nyampe)\s+(?:mana|dimana)\b"
    r"|^(?:cek|lihat|check)\s+(?:status|tiket|aduan|laporan)\b|^(?:cek\s+)?status$"
    # "how do i check my complaint status?", "cara cek tiket saya" (twenty-sixth trial: asked of an office)
    r"|\b(?:complaint|ticket|report)s?\s+status\b|\b(?:check|track|follow)\s+(?:on\s+)?(?:my|the)\s+"
    r"(?:complaints?|tickets?|reports?)\b"
    # "siapa petugas yang menangani aduan saya?", "laporan saya ditangani siapa?", "who is handling my complaint?"
    r"|\bsiapa\s+(?:\S+\s+){0,3}?(?:yang\s+|yg\s+)?(?:menangani|nangani|pegang|megang|memproses|ngurus|mengurus)\s+"
    r"(?:aduan|laporan|tiket|pengaduan)\b"
    r"|\b(?:aduan|laporan|tiket|pengaduan)\s*(?:saya|sy|ku)?\s+(?:ditangani|dipegang|diproses|diurus)\s+(?:oleh\s+)?siapa\b"
    # "kenapa aduan saya dialihkan ke pupr?", "why was my complaint moved?": where it went, in its status
    r"|\b(?:kenapa|mengapa|kok|why)\s+(?:\S+\s+){0,2}?(?:aduan|laporan|tiket|pengaduan|complaint|report|ticket)\w*\s+"
    r"(?:\S+\s+){0,2}?(?:dialihkan|dipindah|dipindahkan|dilempar|diteruskan|moved|transferred|passed)\b"
    # "pak kapan diperbaiki?", "kapan ditangani ya?" alone (twenty-eighth trial: FAQs on PBB, social aid and
    # vaccination to pick from): when, as the status's deadline says
    r"|^(?:\S+\s+){0,2}?kapan\s+(?:akan\s+|mau\s+|bisa\s+)?(?:di(?:perbaiki|tangani|tindaklanjuti|cek|proses|benerin|"
    # "kapan dibalas?" after asking about the message to the regent (forty-second trial: FAQs to pick from)
    r"betulkan|betulin|kerjakan|garap|aspal|tambal|ganti|angkut|bersihkan|balas|bales|jawab|tanggapi|respon|baca)"
    r"|selesai|beres)(?:nya)?(?:\s+\w+nya)?"
    r"(?:\s+(?:ya|yah|pak|bu|min|kak|sih|nih|ini|itu))*\W*$"
    # "kapan dikerjakan pak? perkiraan tanggalnya", "estimasi waktu perbaikannya kapan?" (thirty-fifth trial: FAQs to
    # pick from): when, asked with the words of an estimate
    r"|^(?:\S+\s+){0,2}?kapan\s+(?:akan\s+|mau\s+|bisa\s+)?di(?:perbaiki|tangani|tindaklanjuti|proses|kerjakan|garap|"
    r"aspal|tambal|ganti|angkut|bersihkan)\b.{0,30}\b(?:perkiraan|perkiraannya|estimasi|estimasinya|kira-kira|kira2|"
    r"tanggal\w*|jadwal\w*|target\w*)\b"
    r"|^(?:\S+\s+){0,2}?(?:perkiraan|estimasi|target|jadwal)\s+(?:waktu|tanggal|hari)?\s*(?:perbaikan|pengerjaan|"
    r"penanganan|pengerjaannya|perbaikannya|penanganannya)(?:nya)?\s+kapan\b"
    # "pak petugas, kapan datang?", "kapan petugasnya ke lokasi?", "when will the officer come?" (thirty-fourth trial:
    # FAQs to pick from, or a new complaint on unsure topics)
    r"|^(?:\S+\s+){0,2}?(?:petugas(?:nya)?\s+)?kapan\s+(?:petugas(?:nya)?\s+|orang\s+dinas(?:nya)?\s+)?(?:akan\s+|mau\s+|"
    r"bisa\s+|jadi\s+)?(?:datang|dateng|rawuh|ke\s+lokasi|kesini|ke\s+sini|kemari|survei|survey|turun|meninjau|ngecek|"
    r"cek\s+lokasi)(?:\s+(?:ke\s+)?(?:lokasi|lapangan|sini|rumah\s+saya|tempat\s+saya|tempat\s+kami))?"
    r"(?:\s+(?:ya|yah|pak|bu|min|kak|sih|nih|ini|itu|lagi))*\W*$"
    # "pak, sudah ada yang datang belum ke lokasi?", "petugasnya sudah ke lokasi belum?" (thirty-sixth trial: asked
    # whether to pass it to the officer)
    r"|^(?:\S+\s+){0,2}?(?:sudah|udah|udh|sdh|apa\s+sudah|apakah\s+sudah)\s+(?:ada\s+(?:yang|yg)\s+|ada\s+petugas\s+"
    r"(?:yang\s+|yg\s+)?|petugas(?:nya)?\s+)?(?:datang|dateng|ke\s+lokasi|survei|survey|turun|meninjau|ngecek|cek\s+lokasi)"
    r"\b.{0,20}\b(?:belum|blm|apa\s+belum)\b"
    r"|^(?:\S+\s+){0,2}?petugas(?:nya)?\s+(?:sudah|udah|udh|sdh)\s+(?:datang|dateng|ke\s+lokasi|survei|survey)\s+"
    r"(?:\S+\s+)?(?:belum|blm)\b"
    r"|\bwhen\s+(?:will|is|does)\s+(?:the\s+|an\s+|your\s+)?(?:officers?|someone|anyone|staff|team)\s+(?:come|coming|"
    r"visit|be\s+here|arrive)\b"
    # "who will fix it and when?", "when will it be fixed?" of one's complaint (thirty-fourth trial: FAQs to pick from)
    r"|^(?:\S+\s+){0,2}?who\s+(?:will|is\s+going\s+to|is)\s+(?:fix|fixing|handle|handling|repair|repairing)\s+(?:it|this)\b"
    r"|^(?:\S+\s+){0,2}?when\s+will\s+(?:it|this|they|you)\s+(?:be\s+)?(?:fixed|repaired|done|handled|fix\s+it)\b"
    # "aduan saya diteruskan ke siapa?", "laporan saya dikirim ke dinas mana?", "kenapa dialihkan ke dinas lain?",
    # "bisa minta nama petugasnya?" (twenty-eighth trial: each offered to an office as a question)
    r"|\b(?:aduan|laporan|tiket|pengaduan)\w*\s*(?:saya|sy|ku)?\s+(?:sudah\s+|udah\s+)?(?:diteruskan|dikirim|"
    r"diserahkan|dialihkan|dilimpahkan)\s+(?:ke\s+|kepada\s+)(?:siapa|mana|dinas\s+(?:apa|mana)|opd\s+(?:apa|mana))\b"
    r"|^(?:\S+\s+)?(?:kenapa|mengapa|kok|why)\s+(?:kok\s+|was\s+it\s+|is\s+it\s+)?(?:dialihkan|dipindah\w*|dilempar|"
    r"dioper|moved|transferred)\b"
    # "aduan saya dipindah ke dinas lain kenapa?" (thirty-first trial: offered to the offices as a question)
    r"|\b(?:aduan|laporan|tiket|pengaduan)\w*\s*(?:saya|sy|ku)?\s+(?:kok\s+)?(?:dialihkan|dipindah\w*|dilempar|dioper|"
    r"dilimpahkan)\b.{0,40}\b(?:kenapa|mengapa|knp|napa|alasannya\s+apa)\b"
    r"|\bwhere\s+(?:did|has)\s+my\s+(?:complaint|report)\s+(?:go|gone|been\s+sent)\b"
    r"|^(?:\S+\s+){0,2}?(?:minta|boleh\s+(?:minta|tahu|tau)|bisa\s+(?:minta|tahu|tau))\s+nama\s+petugas(?:nya)?"
    r"(?:\s+(?:yang\s+|yg\s+)?(?:menangani|nangani)(?:nya)?)?(?:\s+(?:ya|yah|pak|bu|min|kak|mas|mbak|sih|nih))*\W*$"
    # "siapa nama petugas yang menangani?", "petugasnya siapa ya?": the officer in charge of their complaint
    r"|\bsiapa\s+(?:nama\s+)?(?:petugas|pegawai|orang|staf|pejabat)(?:nya)?\s+(?:yang\s+|yg\s+)?(?:menangani|nangani|"
    r"nanganin|memproses|ngurus|mengurus|pegang|megang)(?:nya)?(?:\s+(?:ya|yah|pak|bu|min|kak|mas|mbak|sih|nih))*\W*$"
    # "ini istrinya, mau tanya laporan suami saya kemarin" (thirty-third trial: offered to an office as a question)
    r"|\b(?:tanya|tanyakan|menanyakan|nanya|nanyain|cek|ngecek|mengecek)\s+(?:soal\s+|tentang\s+|kabar\s+|perkembangan\s+)?"
    r"(?:laporan|aduan|pengaduan)\s+(?:saya|sy|suami\s+saya|istri\s+saya|bapak\s+saya|ibu\s+saya|kami|kemarin)\b"
    # "siapa nama petugasnya?" (thirty-third trial: not understood)
    r"|^(?:\S+\s+){0,1}?siapa\s+nama\s+(?:petugas|pegawai|staf)(?:nya)?(?:\s+(?:ya|yah|pak|bu|min|kak|mas|mbak|sih|nih))*\W*$"
    # "berapa lama lagi kira-kira?" (thirty-third trial: the FAQ on vehicle testing)
    r"|^(?:\S+\s+){0,1}?(?:kira\s*-?\s*kira\s+|kira2\s+)?(?:berapa|brp)\s+lama\s+lagi(?:\s+(?:kira\s*-?\s*kira|kira2|ya|yah|pak|"
    r"bu|min|kak|mas|mbak|sih|nih))*\W*$"
    r"|^(?:\S+\s+){0,2}?(?:nama\s+)?petugas(?:nya)?\s+(?:yang\s+|yg\s+)?(?:menangani\s+|nangani\s+)?siapa"
    r"(?:\s+(?:ya|yah|pak|bu|min|kak|mas|mbak|sih|nih))*\W*$"
    r"|\bwho\s+(?:is|'s)\s+(?:handling|dealing\s+with|working\s+on)\s+my\s+(?:complaint|report|ticket)\b"
    # "kapan batas waktunya?", "deadlinenya kapan pak?", "when is the deadline?" (twenty-seventh trial: FAQs)
    r"|^(?:\S+\s+){0,2}?(?:kapan\s+)?(?:batas\s+waktu|tenggat|tenggat\s+waktu|deadline)(?:nya)?(?:\s+(?:aduan|laporan)"
    r"(?:\s+saya)?)?(?:\s+(?:kapan|sampai\s+kapan|tanggal\s+berapa))?(?:\s+(?:ya|yah|pak|bu|min|kak|sih))*\W*$"
    r"|\bwhen\s+is\s+(?:the|my)\s+deadline\b"
    # "bisa minta bukti laporannya pak?", "tanda terima aduan saya mana?" (twenty-ninth trial: offered to an office)
    + _RECEIPT +
    # "surat saya udah jadi belum?", "permohonan surat pengantar saya sudah sampai mana", "is my letter ready?"
    r"|\b(?:surat|suratnya|permohonan|permohonannya)\s+(?:\S+\s+){0,3}?(?:saya\s+|sy\s+|ku\s+)?(?:sudah|udah|sdh|udh|wis)\s+"
    r"(?:jadi|selesai|beres|ditandatangani|ditandatangan|diproses|disetujui|sampai mana|sampai dimana|dadi|rampung)\b"
    r"|\b(?:is|has) my (?:letter|request) (?:ready|done|signed|approved)\b"
    # "udh ditanganin blm", "laporan saya sudah diproses belum?", "sudah ditindaklanjuti atau belum pak"
    # ... and in Javanese: "sing lampu ning veteran wis didandani durung?", "uwis dibenakke dereng pak?"
    r"|^(?:\S+\s+){0,6}?(?:sudah|udah|udh|sdh|dah|wis|uwis|sampun)\s+(?:di|dipun\s*)?" + _FIX_VERBS +
    r"\s+(?:atau\s+|apa\s+|opo\s+|utawa\s+)?(?:belum|blm|durung|dereng)" + _QUESTION_END +
    # ... by the office named: "yang banjir sudah ditangani bpbd belum?" (forty-second trial, the regent: the help)
    r"|^(?:\S+\s+){0,6}?(?:sudah|udah|udh|sdh|dah|wis|uwis|sampun)\s+(?:di|dipun\s*)?" + _FIX_VERBS +
    r"\s+(?:(?:oleh|sama|karo|dening)\s+)?(?:dinas\s+)?[a-z]{3,10}\s+(?:atau\s+|apa\s+)?(?:belum|blm|durung|dereng)" +
    _QUESTION_END +
    # ... with the thing after it, "wis dibenakke durung dalane?", "sudah diperbaiki belum jalannya?" (thirty-fourth
    # trial: a new complaint began)
    r"|^(?:\S+\s+){0,6}?(?:sudah|udah|udh|sdh|dah|wis|uwis|sampun)\s+(?:di|dipun\s*)?" + _FIX_VERBS +
    r"\s+(?:atau\s+|apa\s+|opo\s+|utawa\s+)?(?:belum|blm|durung|dereng)\s+\S+(?:nya|ne|ipun)" + _QUESTION_END +
    # ... with what was reported after it: "sampun dipun dandosi dereng dalan ingkang kula laporaken?"
    r"|^(?:\S+\s+){0,6}?(?:sudah|udah|udh|sdh|dah|wis|uwis|sampun)\s+(?:di|dipun\s*)?" + _FIX_VERBS +
    r"\s+(?:atau\s+|apa\s+|opo\s+|utawa\s+)?(?:belum|blm|durung|dereng)\s+(?:\S+\s+){0,3}?(?:sing|ingkang|yang|yg)\s+"
    r"(?:kula\s+|kulo\s+|aku\s+|saya\s+|sy\s+)?(?:lapor|laporke|laporake|laporaken|laporkan|adukan|aturaken)\b" +
    # "sudah ada tindak lanjut belum", "udah ada kabar blm?", "any update on my complaint?"
    r"|^(?:\S+\s+){0,4}?(?:sudah|udah|udh|sdh|dah)\s+ada\s+(?:tindak\s*lanjut|tindaklanjut|kabar|progres|progress|"
    r"perkembangan|respon|tanggapan|jawaban)(?:nya)?\s+(?:atau\s+|apa\s+)?(?:belum|blm|durung)" + _QUESTION_END +
    r"|\bany (?:update|news|progress) on my (?:complaint|report|ticket)\b"
    # "I reported a pothole last week, any update?" (thirty-second trial: unsure topics)
    r"|^(?:\S+\s+){0,2}?i\s+(?:already\s+)?(?:reported|sent|submitted|filed|complained)\b(?:\s+\S+){0,7}?\s+"
    r"(?:any\s+(?:update|updates|news|progress)|what(?:'?s|\s+is)\s+(?:the\s+)?(?:status|update)|is\s+there\s+(?:any\s+)?"
    r"(?:news|update|progress)|has\s+(?:anything|anyone)\s+(?:happened|done|come))\b"
    # "has anyone looked at my complaint yet?", "is there any news about my report?", "how is my complaint going?",
    # "what's happening with my report?", "did you receive my report?", "when will my complaint be handled?"
    r"|\b(?:has|have|did)\s+(?:anyone|anybody|someone|somebody|you|an officer|the officer)\s+(?:already\s+)?"
    r"(?:looked at|look at|checked|check|seen|see|read|handled|handle|received|receive|got|get)\s+my\s+" + _MY_REPORT +
    r"|\b(?:is|are)\s+there\s+(?:any\s+)?(?:news|update|updates|progress)\s+(?:on|about|for|with|regarding)\s+my\s+"
    + _MY_REPORT +
    r"|\bhow(?:'s|\s+is|\s+are)\s+my\s+" + _MY_REPORT + r"(?:\s+(?:going|doing|progressing|coming along))?"
    + _QUESTION_END_EN +
    r"|\bwhat(?:'s|\s+is)\s+(?:happening|going on)\s+with\s+my\s+" + _MY_REPORT +
    r"|\bwhat\s+happened\s+(?:to|with)\s+my\s+" + _MY_REPORT +
    # "did anyone fix the pothole yet?", "has the street light been repaired yet?", "is it fixed yet?"
    r"|\b(?:did|has|have)\s+(?:anyone|anybody|someone|somebody|you|they|the\s+officers?)\s+(?:already\s+)?(?:fix|fixed|"
    r"repair|repaired|handle|handled|check|checked|look\s+at|looked\s+at)\b(?:\s+\S+){0,4}\s+yet\b"
    r"|\b(?:has|have|is|was)\s+(?:(?!not\b)\S+\s+){1,3}?(?:been\s+)?(?:fixed|repaired|handled|resolved)\s+yet\b" +
    r"|\bwhen\s+will\s+my\s+" + _MY_REPORT + r"\s+be\s+(?:handled|fixed|resolved|processed|done|repaired|checked)\b"
    r"|^(?:any\s+)(?:progress|update|updates|news)(?:\s+(?:yet|so far|please|pak|bu))?$"
    # "any update on my pothole report?", "hi, any news about the street light complaint I sent?"
    r"|^(?:\S+\s+){0,2}?any\s+(?:news|update|updates|progress)\s+(?:on|about|for|with|regarding)\s+(?:my|the)\s+"
    r"(?:\S+\s+){0,2}?" + _MY_REPORT +
    # "why is my report not answered?", "why hasn't anyone replied?", "when will it be fixed?"
    r"|^why\s+(?:\S+\s+){0,3}?my\s+" + _MY_REPORT +
    r"|^why\s+(?:\S+\s+){0,2}?(?:nobody|no one|anyone|anybody)\s+(?:\S+\s+)?(?:answered|replied|responded|"
    r"handled|come|came|contacted)\b"
    # "berapa lama prosesnya?", "how long will it take?" (not "berapa lama proses bikin KTP?": that one is the FAQ's)
    r"|^(?:kira\s*kira\s+|kira2\s+)?(?:berapa|brp)\s+lama\s+(?:lagi\s+)?(?:proses|prosesnya|diproses|ditangani|"
    r"diperbaiki|ditindaklanjuti|selesai|selesainya|nunggu|nunggunya|menunggu)" + _QUESTION_END +
    r"|^how\s+long\s+(?:will|does|do|would)\s+(?:it|this|that|they|you)\s+(?:take|need)(?:\s+to\s+(?:fix|handle|"
    r"repair|resolve|answer)(?:\s+it)?)?" + _QUESTION_END_EN +
    # ("kira2 kapan ya diangkut?", "terus kapan diganti lampunya?": fortieth trial, the KIR answer and topics)
    r"|^(?:(?:kira\s*kira|kira2|kirakira|terus|trus|lalu|nah|jadi|pak|bu|min|kak)\s+){0,2}kapan\s+(?:\S+\s+){0,2}?"
    r"(?:di)?(?:perbaiki|tangani|tanganin|benerin|betulin|proses|tindaklanjuti|tindak\s+lanjuti|"
    r"kerjakan|kerjain|urus|dandani|angkut|bersihkan|bersihin|ganti|nyalakan|pasang|tambal|tebang|potong|keruk|"
    r"sedot|aspal|cor)(?:nya)?(?:\s+(?:lampunya|jalannya|sampahnya|pohonnya|lubangnya|salurannya))?" + _QUESTION_END +
    # "yang kemarin gimana?", "halo pak, yang tadi sudah sampai mana?" (fortieth trial: asked of an office)
    r"|^(?:\S+\s+){0,3}?(?:yang|yg|sing)\s+(?:kemarin|kemaren|kmrn|wingi|tadi|semalam|semalem|minggu\s+lalu|"
    r"pekan\s+lalu)\s+(?:gimana|gmn|gmana|bagaimana|pripun|piye|kepiye|kumaha)" + _QUESTION_END +
    # "terus kapan petugas datang?", "kapan petugasnya survei ke lokasi?", "kapan dicek pak?" (twenty-sixth trial:
    # offered topics, as a new complaint)
    r"|^(?:(?:terus|trus|lalu|nah|oh|ok|oke|okay|ya|iya|baik|makasih|terimakasih|terima\s+kasih|trims|thanks|pak|bu|"
    r"mas|mbak)\s+){0,5}kapan\s+(?:ya\s+)?(?:(?:petugas|petugasnya|tim|timnya|"
    r"orang\s+dinas|dinasnya|bapak|ibu)\s+)?(?:(?:akan|bakal|mau)\s+)?(?:datang|dateng|ke\s+lokasi|turun|survei|survey|"
    r"cek|dicek|ngecek|mengecek|meninjau|ditinjau|disurvei)(?:nya)?\b(?:\s+(?:ke\s+lokasi|ke\s+sini|kesini|lagi|untuk\s+"
    r"(?:cek|survei|ngecek)))?" + _QUESTION_END +  # ("… lubangnya makin besar" says more: for the officer)
    r"|^when\s+will\s+(?:it|this|that|they|you|someone|anyone)\s+(?:be\s+)?(?:fixed|handled|repaired|resolved|"
    r"done|checked|fix|repair|handle|check|come)\b"
    # "udah sampai mana laporan saya pak?"
    r"|\b(?:sudah\s+|udah\s+|sdh\s+|udh\s+|dah\s+)?sampai\s+(?:mana|dimana)\s+(?:laporan|aduan|tiket|pengaduan)"
    r"(?:nya|ku)?\b"
    # "gimana laporan saya", "pripun laporan kulo pak", "piye aduanku", "laporan saya gimana ya"
    r"|^(?:\S+\s+){0,2}?(?:gimana|gmn|gmana|bagaimana|pripun|piye|kepiye|kados\s+pundi)\s+(?:dengan\s+|niki\s+)?"
    r"(?:laporan|aduan|pengaduan|tiket)(?:nya|ku|ipun|e)?(?:\s+(?:saya|sy|kulo|kula|aku|kawula))?\b"
    r"|^(?:laporan|aduan|pengaduan)(?:nya|ku|ipun)?\s+(?:(?:saya|sy|kulo|kula|aku)\s+)?"
    r"(?:gimana|gmn|bagaimana|pripun|piye|kepiye)" + _QUESTION_END
)


STATUS_QUESTION_WORDS = 12  # longer, a message that mentions a ticket's progress says more (it goes on)


# "pripun kok dereng enten kabar?", "kok belum ada kabar ya pak", "wis ditangani opo durung": no news yet, asked.
_NO_NEWS = re.compile(
    r"\b(?:kok|koq|kenapa|knp|ngapa|lha|lho)\s+(?:\S+\s+)?(?:belum|blm|dereng|durung|gak|ga|nggak|ora|mboten)\s+"
    r"(?:ada|enten|onten|wonten|ono|dapat|dapet|oleh|angsal)\s+(?:kabar|tindak\s*lanjut|tindakan|tanggapan|respon|"
    r"jawaban|balasan)"
    r"|\b(?:wis|uwis|sampun|sudah|udah|sdh|udh)\s+(?:di)?(?:tangani|tandangi|garap|proses|tindaklanjuti|perbaiki|"
    r"dandani)\s+(?:opo|apa|napa|atau|utawa)\s+(?:durung|belum|blm|dereng)\b"
    # "pripun kok dereng dipun dandani", "kok belum diperbaiki juga", Sundanese "naha teu acan dibereskeun?"
    # "kok gak dibales2 sih, udah 3 hari" (forty-first trial: "not understood"): no answer
    r"|\b(?:kok|koq|kenapa|knp)\s+(?:\S+\s+)?(?:gak|ga|gk|nggak|ngga|tidak|tdk|ndak)\s+(?:di)?(?:balas\w*|bales\w*|"
    r"respon\w*|tanggapi|jawab|gubris)\b"
    r"|\b(?:kok|koq|kenapa|knp|naha)\s+(?:\S+\s+)?(?:belum|blm|dereng|durung|acan|tacan)\s+(?:juga\s+)?"
    r"(?:di|dipun\s+)?(?:perbaiki|dandani|tangani|benerin|betulin|garap|proses|tindaklanjuti|urus|urusi|bereskan|"
    r"beresin|bereskeun|benerkeun|oméan|omean|"
    # "halo?? kok belum dibales", "kok blm direspon min": no answer yet
    r"balas\w*|bales\w*|respon\w*|tanggapi|jawab|gubris|wales)\b"
    # "sudah 3 minggu kok belum ada yang datang?", "kenapa gak ada yg ngecek"
    r"|\b(?:kok|koq|kenapa|knp|naha)\s+(?:\S+\s+)?(?:belum|blm|gak|ga|nggak|tidak|tdk|dereng|durung)\s+(?:ada\s+)?"
    r"(?:yang|yg|sing)\s+(?:datang|dateng|ngecek|mengecek|cek|survei|survey|nengok|turun|benerin|memperbaiki|"
    r"perbaiki|menangani|nangani)\b")
# "sing lapor … wingi", "laporan saya kemarin", "yang saya laporkan": about what was reported before.
_REPORTED_BEFORE = re.compile(
    r"\b(?:sing|ingkang|yang|yg)\s+(?:\S+\s+)?(?:lapor|laporkan|dilaporkan|adukan|ngadu)\b|"
    r"\b(?:laporan|aduan|laporane|aduane|laporanipun)\s+(?:saya|sy|kulo|kula|aku|ku)\b|"
    r"\b(?:wingi|kemarin|kemaren|kmrn|minggu lalu|pekan lalu|sing wingi)\b")


# "yang kemarin", "laporan saya", "yang saya laporkan": what the resident reported, named as such (not a bare
# "kemarin", which a report of its own says too: "rusak dari kemarin kok belum diperbaiki")
_THE_REPORT = re.compile(
    r"\b(?:yang|yg|sing)\s+(?:kemarin|kemaren|kmrn|wingi|tadi|semalam|semalem|minggu lalu|pekan lalu)\b"
    r"|\b(?:laporan|aduan|laporane|aduane)\s+(?:saya|sy|kulo|kula|aku|ku)\b"
    r"|\b(?:sing|yang|yg)\s+(?:\S+\s+)?(?:lapor|laporkan|dilaporkan|adukan)\b")
_AFTER_REPORT_WORDS = 20


def asks_after_report(text: str) -> bool:
    """"pak yang kemarin gimana ya kok belum ada kabar": no news asked of something reported before (whether or not
    anything was sent: the caller knows)."""
    low = u.plain(text)
    return len(low.split()) <= _AFTER_REPORT_WORDS and bool(_NO_NEWS.search(low)) and bool(_THE_REPORT.search(low))


async def asks_after_own(turn: Turn, text: str) -> bool:
    """A longer message that asks after what the resident reported before ("niki kulo mbah karto sing lapor dalan
    rusak wingi. pripun kok dereng enten kabar? wis ditangani opo durung"), from someone with an open complaint:
    a status question, not a new complaint (a short one is `asks_status`'s)."""
    low = u.plain(text)
    if len(low.split()) <= STATUS_QUESTION_WORDS or len(low.split()) > 60:
        return False
    sentences = [x for x in re.split(r"[.?!\n]+", text) if x.strip()]
    asks = _NO_NEWS.search(low) or any(asks_status(x) for x in sentences)
    if not asks or not _REPORTED_BEFORE.search(low):
        return False
    for ticket in await turn.store.recent_tickets(turn.identity.key, STATUS_LOOK_BACK):
        if ticket.kind != LETTER_KIND and await open_for_reporter(turn, ticket):
            return True
    return False


# "yg semalem udah masuk blm ya laporan sy?", "laporan saya sudah terkirim?", "did my report go through?"
_SENT_QUESTION = re.compile(
    r"\b(?:udah|sudah|sdh|dah|wis|uwis|blm|belum|dereng)\s+(?:ke)?(?:masuk|terkirim|kekirim|dikirim|kirim|sampai|"
    r"nyampe|diterima|tercatat)\b|\b(?:masuk|terkirim|kekirim|sampai|diterima|tercatat)\s+(?:belum|blm|gak|ga|nggak|"
    r"tidak|ora|dereng)\b|\b(?:was|is|did|has)\s+(?:it|my\s+(?:report|complaint))\s+(?:been\s+)?(?:sent|received|go "
    r"through|went through|submitted|get through)\b")


# "yang kemarin belum saya kirim ya?" (thirty-sixth trial, at an idle draft's place question: "that is no place"),
# asked: not "fotonya belum saya kirim", said
_SENT_BY_ME = re.compile(r"\b(?:udah|sudah|sdh|dah|belum|blm)\s+(?:saya|sy|aku|tak|kula)\s+"
                         r"(?:kirim|kirimkan|kirimin)\b")


def asks_if_sent(text: str) -> bool:
    """The resident asks whether what they wrote reached us ("udah masuk blm ya laporan sy?")."""
    low = u.plain(text)
    return len(low.split()) <= STATUS_QUESTION_WORDS and (bool(_SENT_QUESTION.search(low)) or (
        u.is_question(text) and bool(_SENT_BY_ME.search(low)) and not re.search(r"\b(?:foto|photo|gambar)", low)))


# "berapa lama biasanya diperbaiki pak?": how long such a thing takes, which for a resident with a complaint open is
# its deadline (while a complaint is being written, the office's usual time: complaint.aside_kind)
_HOW_LONG_USUALLY = re.compile(
    r"^(?:\S+\s+){0,2}?(?:berapa|brp|pinten|piro)\s+(?:lama|lami|suwe)\s+(?:(?:lagi|biasanya|biasane|kira2|ya|sih)\s+)*"
    r"(?:di)?(?:proses|tangani|perbaiki|benerin|betulin|dandani|tindaklanjuti|urus)(?:nya)?" + _QUESTION_END
    # "how long until it's fixed?", "how long does it usually take?", "how long will it take to fix?"
    + r"|^(?:\S+\s+){0,2}?how\s+long\s+(?:until|till|til|before|will|would|does|do|is|usually|it)\b(?:\s+\S+){0,6}\s*$")


def asks_how_long_usually(text: str) -> bool:
    return bool(_HOW_LONG_USUALLY.search(u.plain(text)))


def asks_status(text: str) -> bool:
    """'cek status WRG 2612 0002', 'status tiket saya', 'what is the status of my complaint?', 'aduan saya sudah sampai
    mana?', 'kok belum ada kabar ya pak': the resident asks where a ticket stands (the bot answers; the officer is
    not asked)."""
    low = u.plain(text)
    if len(low.split()) > STATUS_QUESTION_WORDS:
        return False
    return bool(_STATUS_OF.search(low) or (_STATUS_WORD.search(low) and find_ticket_number(text))
                or (_NO_NEWS.search(low) and len(low.split()) <= 8) or _READ_YET.search(low)
                or (len(low.split()) <= 4 and _STATUS_WORD.search(low) and _short_numbers(low)))


# "status 0001", "cek 0002", "status tiket 2": a ticket named by the end of its number (twenty-fifth trial: taken
# for more words about the complaint just sent)
_SHORT_NUMBER = re.compile(r"\b(0\d{3})\b|\b(?:status|nomor|nomer|no|tiket|cek|check)\s+(?:tiket\s+)?(\d{1,4})\b")


def _short_numbers(low: str) -> set[int]:
    return {int(a or b) for a, b in _SHORT_NUMBER.findall(low)}


# "tolong laporan saya dibatalkan saja, sudah diperbaiki swadaya warga", "saya mau cabut aduan WRG-2612-0001",
# "please withdraw my complaint": the reporter asks that a complaint be closed. Not "laporan saya kok ditutup"
# (that one is reopened).
# ("saya mau membatalkan aduan saya": the prefixed verbs began a new complaint, twenty-sixth trial)
_WITHDRAW_VERB = (r"(?:batal|batalkan|batalin|dibatalkan|dibatalin|membatalkan|mbatalaken|dibatalaken|batalke|"
                  r"dibatalke|batalno|dibatalno|cabut|dicabut|cabutkan|mencabut|tarik|"
                  r"ditarik|menarik|hapus|hapuskan|menghapus|"
                  r"dihapus|dihapuskan|hapusin|dihapusin|apus|diapus|diapusin|withdraw|cancel|delete)")
_REPORT_WORD = (r"(?:laporan|laporannya|laporanku|aduan|aduannya|aduanku|pengaduan|tiket|tiketnya|complaint|report|"
                r"ticket)")
_WITHDRAW = re.compile(rf"\b{_WITHDRAW_VERB}\b(?:\s+\S+){{0,2}}?\s+{_REPORT_WORD}\b"
                       rf"|\b{_REPORT_WORD}\b(?:\s+\S+){{0,4}}?\s+{_WITHDRAW_VERB}\b")
_FIRST_PERSON = re.compile(r"\b(?:saya|sy|aku|ku|kami|kula|gue|gw|my|our|i)\b|\b\w+ku\b"
                           # "salah kirim, batalkan aja aduannya": the one just sent, their own
                           r"|\bsalah\s+(?:kirim|kirem|ngirim|pencet|tekan|klik|lapor)\b|\bke(?:kirim|pencet)\b"
                           r"|\b(?:aduannya|laporannya|pengaduannya|tiketnya)\b")
# Not a withdrawal: a question about one ("kenapa laporan saya dibatalkan?"), a refusal ("jangan dibatalkan"), or
# a complaint about something else withdrawn ("saya mau aduan, bansos saya ditarik kembali oleh kades").
_WITHDRAW_NOT = re.compile(
    rf"\b(?:kenapa|mengapa|kok|why|apakah|apa)\b|\b(?:jangan|jgn|tidak|tdk|gak|ga|nggak|dont|don't|not)\s+(?:\S+\s+)?"
    rf"{_WITHDRAW_VERB}\b|\b(?:mau|ingin|akan|pengen|pingin|want to)\s+(?:aduan|lapor|melapor|mengadu|adukan|report|"
    rf"complain)\b")
WITHDRAW_MAX_WORDS = 30


# "aduan saya tolong ditutup saja", "mohon tutup laporan saya", "please close my complaint": asked to close it
# (nineteenth trial; "laporan saya ditutup padahal belum beres" says the opposite)
_CLOSE_REQUEST = re.compile(
    rf"\b{_REPORT_WORD}\s+(?:saya\s+|sy\s+|kami\s+)?(?:tolong|mohon|minta|bisa|boleh|silakan)\s+(?:di)?tutup(?:kan)?\b"
    rf"|\b{_REPORT_WORD}\s+(?:saya\s+|sy\s+|kami\s+)?(?:di)?tutup(?:kan)?\s+(?:saja|aja|sj|mawon)\b"
    rf"|\b(?:tolong|mohon|minta)\s+(?:di)?tutup(?:kan)?\s+(?:\S+\s+)?{_REPORT_WORD}\b"
    r"|\b(?:please\s+)?close\s+(?:my|the)\s+(?:complaint|report|ticket)\b")


def asks_withdrawal(text: str) -> bool:
    """The reporter asks that their complaint be withdrawn (their own: a ticket number or "saya/my" is there)."""
    low = u.plain(text)
    if (len(low.split()) > WITHDRAW_MAX_WORDS or not (_WITHDRAW.search(low) or _CLOSE_REQUEST.search(low))
            or _WITHDRAW_NOT.search(low) or u.is_question(text)):
        return False
    return bool(find_ticket_number(text) or _FIRST_PERSON.search(low))


# "apakah laporan saya bisa dicabut?", "gimana cara membatalkan aduan?", "can I withdraw my complaint?": whether one
# may. Not why one was ("kenapa laporan saya dibatalkan?") nor who did it.
_HOW_WITHDRAW = re.compile(r"^(?:apa(?:kah)?|apa\s+bisa|bisa(?:kah)?|boleh(?:kah)?|gimana|bagaimana|gmn|gmana|"
                           r"caranya|cara|can|could|may|how)\b")
_WHY_WITHDRAWN = re.compile(r"\b(?:kenapa|mengapa|kok|why|siapa|who|jangan|jgn)\b")


def asks_how_to_withdraw(text: str) -> bool:
    """A question whether (or how) a complaint can be withdrawn, asked before asking for it."""
    low = u.plain(text)
    return (len(low.split()) <= WITHDRAW_MAX_WORDS and bool(_WITHDRAW.search(low)) and bool(_HOW_WITHDRAW.search(low))
            and not _WHY_WITHDRAWN.search(low))


# "yang lampu gimana pak?", "kalau yang jalan sudah sampai mana?", "what about the street light one?": one of several
# complaints asked after by what it is about
_ONE_ASKED_AFTER = re.compile(
    r"^(?:(?:terus|trus|lalu|kalau|kalo|klo|nah)\s+)?(?:yang|yg|aduan|laporan)\s+(?:\S+\s+){1,3}?(?:gimana|bagaimana|gmn|"
    r"gmana|piye|sudah\s+sampai\s+mana|udah\s+sampai\s+mana|sampai\s+mana|kabarnya|statusnya)\b"
    r"|^(?:and\s+)?what\s+about\s+the\s+(?:\S+\s+){1,3}?(?:one|complaint)\b")
ONE_ASKED_WORDS = 8


def asks_after_one(text: str) -> bool:
    low = u.plain(text)
    return len(low.split()) <= ONE_ASKED_WORDS and bool(_ONE_ASKED_AFTER.search(low))


def which_ticket(low: str, numbers: list[str], about: dict[str, str]) -> str | None:
    """Which of the tickets a short typed answer names: by the end of its number ("0007", "yang 7"), by its place
    in the list as shown ("yg kedua", "the first one"), or by more words of its topic than any other's ("yg jalan
    rusak": Jalan rusak, not Lampu jalan). None when it names none, or two alike."""
    digits = {int(w) for w in low.split() if w.isdigit()}
    by_number = [n for n in numbers if n.rsplit("-", 1)[-1].isdigit() and int(n.rsplit("-", 1)[-1]) in digits]
    if len(by_number) == 1:
        return by_number[0]
    place = place_in_list(low)
    if place.isdigit() and not by_number:
        return numbers[int(place) - 1] if 0 < int(place) <= len(numbers) else None
    def stems(text: str) -> set[str]:  # "lampunya" is "lampu"
        return {w.removesuffix("nya") if len(w) > 5 else w for w in u.plain(text).split()}

    words = stems(low)

    def score(number: str) -> float:  # the topic's head word counts a little more: "yg jalan" is Jalan rusak, not
        topic = str(about.get(number, ""))  # Lampu penerangan jalan
        head = u.plain(topic).split()[:1]
        return len(words & stems(topic)) + (0.5 if head and head[0] in words else 0)

    scores = sorted(((score(n), n) for n in numbers), reverse=True)
    if not scores or scores[0][0] == 0 or (len(scores) > 1 and scores[0][0] == scores[1][0]):
        return None
    return scores[0][1]


#: Conversation state: the open complaints a withdrawal asked the reporter to choose between, and its reason.
WITHDRAW_WHICH_KEY = "withdraw_which"


async def answer_withdraw_which(turn: Turn, text: str) -> bool:
    """A typed answer to "which one should be closed?" ("yang jalan pak", "yg kedua", "0007"): the withdrawal goes
    on for that one. False (and the question let go) when the words name none of them."""
    asked = turn.state.pop(WITHDRAW_WHICH_KEY, None)
    low = u.plain(text)
    if not isinstance(asked, dict) or not low or len(low.split()) > 8 or find_ticket_number(text):
        return False
    numbers = [str(n) for n in asked.get("numbers") or []]
    if _EVERY_ONE.search(low) and len(low.split()) <= 4:  # "dua duanya", "semua aja"
        return await request_withdrawal(turn, str(asked.get("reason") or text), every=True)
    number = which_ticket(low, numbers, asked.get("about") or {})
    if number is None:
        return False
    return await request_withdrawal(turn, f"{number} {asked.get('reason') or ''}".strip())


def says_fixed_before_done(text: str) -> bool:
    """"pak, lampunya sudah nyala sendiri tadi malam": the resident tells that the matter is fixed, of a complaint the
    office has not marked done (the caller knows it is open)."""
    low = u.plain(text)
    return (len(low.split()) <= WITHDRAW_MAX_WORDS and bool(_FIXED_NOW.search(low)) and not says_not_fixed(text)
            and not starts_not_yet(text) and not u.is_question(text) and not _NEVER_DONE.search(low)
            and not _IF_DONE.search(low))


# "kalau sudah diperbaiki kabari ya pak", "once it's fixed let me know": a wish for news, not news that it is fixed
# (thirty-first trial: asked whether the complaint could be closed)
_IF_DONE = re.compile(r"\b(?:kalau|kalo|klo|kl|jika|jikalau|bila|apabila|nanti|nek|yen|menawi|if|once|when)\s+"
                      r"(?:\S+\s+){0,2}?(?:sudah|udah|udh|sdh|dah|wis|sampun|it'?s|is|gets?)\b")


# "sudah tidak diperbaiki 3 tahun", "sudah lama gak dibenerin": a complaint, whose "sudah … diperbaiki" is no news
_NEVER_DONE = re.compile(r"\b(?:sudah|udah|udh|sdh|dah|wis|already)\s+(?:\S+\s+)?(?:tidak|tdk|gak|ga|gk|nggak|ngga|"
                         r"enggak|belum|blm|ora|mboten|dereng|durung|not|never)\b")


# "waduh salah kirim pak", "kepencet kirim", "sorry, sent by mistake": a complaint sent by mistake, said alone
_BY_MISTAKE = (r"salah\s+(?:kirim|kirem|ngirim|pencet|tekan|klik|lapor|ketik)|kekirim|kepencet(?:\s+kirim)?|ke\s+kirim|"
               r"sent\s+(?:it\s+|this\s+)?by\s+mistake|wrong\s+(?:chat|number|person)")
_TRAILING = r"(?:\s+(?:pak|bu|kak|min|mas|mbak|ya|yah|nih|tadi|deh|sorry|maaf))*$"
_SENT_BY_MISTAKE = re.compile(r"^(?:\S+\s+){0,2}?(?:" + _BY_MISTAKE +
                              # "eh tunggu, jangan dikirim dulu" just after it was sent (thirty-third trial: offered
                              # as a change of topic to teachers' allowances)
                              r"|(?:jangan|jgn|belum|blm)\s+(?:mau\s+)?(?:di\s*kirim|dikirim|kirim|dikirimkan|"
                              r"diteruskan)(?:\s+dulu|\s+dlu)?|don'?t\s+send\s+(?:it|this)(?:\s+yet)?)" + _TRAILING)
# "mohon maaf salah kirim" while a complaint is still being written (thirty-fourth trial: added to its words)
_TYPED_BY_MISTAKE = re.compile(r"^(?:\S+\s+){0,2}?(?:" + _BY_MISTAKE + r")" + _TRAILING)


def sent_by_mistake(text: str) -> bool:
    return bool(_SENT_BY_MISTAKE.match(u.plain(text)))


def typed_by_mistake(text: str) -> bool:
    """"salah kirim", "kepencet", "sorry, wrong chat": the message before was not meant for us (not "jangan dikirim
    dulu", which asks to wait)."""
    return bool(_TYPED_BY_MISTAKE.match(u.plain(text)))


# "lampu jalan di depan SD sukamaju masih mati pak", "the road is still broken": the problem goes on
_STILL = re.compile(r"\b(?:masih|msh|masi|isih|isik|tesih|tetep|tetap|still)\b"
                    # "jalannya rusak lagi pak" weeks later, the complaint still open (twenty-sixth trial: a second one
                    # began)
                    r"|\b(?:rusak|mati|padam|bocor|mampet|macet|numpuk|menumpuk|berlubang|bolong|putus|ambles|amblas|"
                    r"banjir|tergenang|nyala)(?:nya)?\s+(?:lagi|maneh|meneh|again)\b")
STILL_WORDS = 25


def says_still(text: str) -> bool:
    low = u.plain(text)
    return len(low.split()) <= STILL_WORDS and bool(_STILL.search(low)) and not u.is_question(text)


# "gimana cara share lokasi pak?", "bagaimana cara kirim foto lewat sini?", "cara kirim foto gimana ya?", "how do I
# send my location?": a question about the chat itself (twenty-fifth trial: passed to the officer as the answer).
_HOW = r"(?:gimana|gmn|gmna|bagaimana|bgmn|caranya|cara|piye|kepriye|how|tutorial)"
_SEND_VERB = (r"(?:kirim|kirimnya|ngirim|mengirim|dikirim|share|sharenya|shareloc|sharelok|bagikan|membagikan|kasih|"
              r"ngasih|upload|unggah|lampirkan|melampirkan|attach|send|post|pasang|masukin|masukkan|ngirimnya)")
_SENT_THING = {"photo": r"(?:foto\w*|gambar\w*|poto\w*|pict?\w*|photos?|pictures?|images?|gambare)",
               "location": r"(?:lokasi\w*|lokasine|titik|maps?|lok|loc|locations?|pin|koordinat\w*|gmaps|sharelo[ck])"}
HOW_TO_SEND_WORDS = 14


def how_to_send(text: str) -> str | None:
    """"photo" or "location" when the words ask how to send one in this chat, else None."""
    low = u.plain(text)
    if (len(low.split()) > HOW_TO_SEND_WORDS or not re.search(rf"\b{_HOW}\b", low)
            or re.search(r"\b(?:sudah|udah|udh|sdh|tadi|kemarin|kemaren|diterima|nyampe|sampai|masuk|sent|received)\b",
                         low)):
        return None  # ("foto yang tadi saya kirim gimana, sudah diterima?": about one sent, not how to send)
    for kind, thing in _SENT_THING.items():
        if re.search(rf"\b{_SEND_VERB}\b(?:\s+\S+){{0,3}}?\s+{thing}\b|\b{thing}\s+(?:\S+\s+){{0,3}}?{_SEND_VERB}\b"
                     rf"|\b(?:shareloc|sharelok)\b", low):
            return "location" if re.search(r"\b(?:shareloc|sharelok)\b", low) else kind
    return None


_EVERY_ONE = re.compile(r"\b(?:semua|semuanya|seluruh|seluruhnya|dua\s*(?:-\s*)?duanya|kabeh|sedaya|all|both|"
                        r"everything)\b")


# "…, yang lampu tetap", "tapi yang jembatan jangan", "but keep the street light one": the complaint kept, not withdrawn
_KEPT_CLAUSE = re.compile(r"(?:^|[,;.]|\b(?:tapi|tp|tetapi|sedangkan|kalau|kalo|but)\b)\s*(?:yang|yg|the)\s+"
                          r"(?:\S+\s+){1,3}?"
                          r"(?:tetap|tetep|jangan|biar\w*|lanjut\w*|masih|stays?|keep)\b[^,;.]*"
                          r"|\bkeep\s+the\s+(?:\S+\s+){1,3}?one\b")


async def request_withdrawal(turn: Turn, text: str, fixed: bool = False, number: str | None = None,
                             every: bool = False) -> bool:
    """Which complaint the reporter wants withdrawn: `number`, or the number given, else the only open one (with
    several, they are asked to name it); then they confirm before its officers are asked to close it. False with
    none open (the words are handled as any other message)."""
    number = number or find_ticket_number(text)
    if number is None:
        mine = []  # open, or joined to another reporter's open complaint (one's own second report of it goes with it)
        for t in await turn.store.recent_tickets(turn.identity.key, 20):
            if t.kind == LETTER_KIND or t.extra.get(WITHDRAW_REQUESTED):
                continue
            main = await duplicates.open_main(turn, t) if t.status not in OPEN_STATUSES else None
            if t.status in OPEN_STATUSES or (main is not None and main.reporter != turn.identity.key):
                mine.append(t)
        if not mine:
            latest = await turn.store.recent_tickets(turn.identity.key, 1)
            if not latest:  # "sy mau cabut laporan saya", none filed
                turn.say("withdraw_none", turn.menu_buttons())
                return True
            if not fixed and latest[0].kind != LETTER_KIND:
                # "saya mau membatalkan aduan saya" when the last one is finished (twenty-sixth trial: a complaint
                # began): nothing is open to withdraw
                turn.say("withdraw_finished", number=latest[0].number)
                return True
            return False
        asked = _KEPT_CLAUSE.sub(" ", text)  # ("…, yang lampu tetap": forty-first trial, the lamp was the one taken)
        named = which_ticket(u.plain(asked), [t.number for t in mine], {t.number: _about_any(turn, t) for t in mine}) \
            if len(mine) > 1 else None  # "batalin aduan saya yg jalan aja": the road one
        if named is not None:
            mine = [t for t in mine if t.number == named]
        if len(mine) > 1 and (every or _EVERY_ONE.search(u.plain(text))):
            # "saya mau membatalkan semua aduan saya", "dua duanya" to "which one?": all of them, confirmed at once
            # (twenty-sixth trial: they were listed, and "ya" then was not understood)
            own = [t for t in mine if t.status in OPEN_STATUSES][:5]
            turn.state["withdraw"] = {"numbers": [t.number for t in own], "text": text[:2000], "fixed": fixed}
            turn.say("withdraw_all_confirm", [turn.button("withdraw_yes", u.WITHDRAW_YES),
                                              turn.button("withdraw_no", u.WITHDRAW_NO)],
                     tickets="\n".join(f"• *{t.number}* ({_about(turn, t)})" for t in own))
            return True
        if len(mine) > 1:  # one button each, named by its topic, carrying the reason given
            reason = " ".join(text.split())[:300]
            buttons = [Button(f"{numbered(t)}: {_about(turn, t)}"[:60], f"{t.number} {reason}") for t in mine[:5]]
            turn.state[WITHDRAW_WHICH_KEY] = {"numbers": [t.number for t in mine[:5]], "reason": reason,
                                              "about": {t.number: _about_any(turn, t) for t in mine[:5]}}
            turn.say("withdraw_which", buttons, numbers=", ".join(numbered(t) for t in mine), example=mine[0].number)
            return True
        number = mine[0].number
    ticket = await turn.store.get_ticket(number)
    if ticket is None or ticket.reporter != turn.identity.key:
        turn.say("status_not_found", number=number)
        return True
    main = await duplicates.open_main(turn, ticket)
    if ticket.status not in OPEN_STATUSES and main is None:
        turn.say("withdraw_finished", number=number)
        return True
    turn.state["withdraw"] = {"number": number, "text": text[:2000], "fixed": fixed}
    buttons = [turn.button("withdraw_yes", u.WITHDRAW_YES), turn.button("withdraw_no", u.WITHDRAW_NO)]
    if main is not None:  # joined to another reporter's complaint: only the following stops; the matter goes on
        turn.say("withdraw_joined_confirm", buttons, number=number, main=main.number, opd=handler_name(turn, main))
        return True
    key = "fixed_before_done_confirm" if fixed else "withdraw_confirm" if _gives_reason(text) else \
        "withdraw_confirm_no_reason"  # ("sudah nyala sendiri": the news is the reason)
    turn.say(key, buttons, number=number, about=_about(turn, ticket))
    return True


async def answer_withdrawal(turn: Turn, yes: bool) -> None:
    """The reporter's answer to "ask the officers to close it?" (or "… all of them?"): yes passes the request and its
    reason on, for each."""
    pending = turn.state.pop("withdraw", None) or {}
    for number in pending.get("numbers") or [pending.get("number")]:
        await _answer_withdrawal_of(turn, {**pending, "number": number}, yes)


async def _answer_withdrawal_of(turn: Turn, pending: dict[str, Any], yes: bool) -> None:
    ticket = await turn.store.get_ticket(str(pending.get("number") or ""))
    main = await duplicates.open_main(turn, ticket) if ticket is not None else None
    if ticket is None or ticket.reporter != turn.identity.key or (ticket.status not in OPEN_STATUSES and main is None):
        turn.say("held_expired", turn.menu_buttons())
        return
    if not yes and pending.get("fixed") and main is None:
        # "tidak, tetap berjalan saja": the news of the fix still goes to the officers, as the question promised
        text = str(pending.get("text") or "")
        turn.event(ticket, "message_in", text)
        await notify_staff_of_ticket(turn, ticket, "resident_fixed_news_to_officer", f"in:{ticket.number}",
                                     reply_button=True, text=text)
        turn.say("withdraw_kept_news", number=ticket.number, opd=handler_name(turn, ticket))
        return
    if not yes:
        turn.say("withdraw_kept", number=ticket.number)
        return
    if main is not None:
        await duplicates.stop_following(turn, ticket, main, str(pending.get("text") or ""))
        return
    text = str(pending.get("text") or "")
    ticket.extra[WITHDRAW_REQUESTED] = turn.now.isoformat()  # the officer's /selesai then closes it as withdrawn
    ticket.extra.pop(WITHDRAW_RETRACTED, None)
    turn.save_ticket(ticket)
    turn.event(ticket, "message_in", text, withdrawal=True)
    # One tap closes it as withdrawn ("/selesai … -": no closing note; the reporter is told it was closed as asked).
    close = ("button_close_withdrawn", f"/selesai {ticket.number} -")
    await notify_staff_of_ticket(turn, ticket, "resident_withdraw_to_officer", f"in:{ticket.number}",
                                 reply_button=True, more_buttons=(close,), text=text)
    turn.say("withdraw_forwarded" if _gives_reason(text) else "withdraw_forwarded_no_reason", number=ticket.number,
             opd=handler_name(turn, ticket))


# "tunggu, jangan dibatalkan dulu", "gak jadi ditutup pak", "tetap dilanjutkan saja", "don't close it": the request
# to close a complaint taken back before an officer closed it.
_KEEP_OPEN = re.compile(
    r"\b(?:jangan|jgn|gak\s+jadi|ga\s+jadi|gk\s+jadi|nggak\s+jadi|ngga\s+jadi|tidak\s+jadi|tdk\s+jadi|gajadi|batal|ojo|"
    r"ora\s+sida|mboten\s+sida)\s+(?:\S+\s+)?(?:dibatalkan|dibatalin|batalkan|ditutup|tutup|dicabut|cabut|ditarik|"
    r"dibatalke|ditutup|ditutupe|close\w*|cancel\w*)\b"
    r"|\b(?:tetap|tetep|tetapkan)\s+(?:saja\s+|aja\s+)?(?:dilanjut\w*|lanjut\w*|diproses|proses|jalan|berjalan|dibuka|"
    r"buka|ditangani)\b"
    r"|\b(?:don'?t|do\s+not|please\s+don'?t)\s+(?:close|cancel|withdraw)\b|\bkeep\s+it\s+open\b"
    # ("never mind, it's fine": the request stands; thirty-seventh trial, it was taken back)
    r"|\b(?:never\s*mind(?!\W*(?:it'?s|it\s+is|that'?s|all)\s+(?:fine|ok|okay|good))|cancel\s+(?:the|my)\s+"
    r"(?:request|withdrawal))\b")
KEEP_OPEN_WORDS = 15
# To "ask the officers to close it?" only: "eh jangan deh, lanjut aja", "gak jadi pak", "lanjut aja" (thirty-eighth
# trial: taken for a teacher-allowance complaint); alone, after no such question, they say nothing of a complaint
_NOT_WITHDRAW = re.compile(
    r"^(?:(?:eh|ehh|oh|wah|hmm|aduh|loh|lho|maaf|sorry)\s+)*(?:(?:jangan|jgn|gak\s+jadi|ga\s+jadi|gk\s+jadi|"
    r"nggak\s+jadi|ngga\s+jadi|tidak\s+jadi|tdk\s+jadi|ndak\s+jadi|gajadi|ojo|ora\s+sida|ora\s+sido|mboten\s+sida|"
    r"mboten\s+sios)(?:\s+(?:deh|dulu|dong|pak|bu|kak|min|ya|yah|aja|saja|ding|wae|mawon|sih))*"
    r"(?:\s+(?:tetap\s+|tetep\s+)?(?:lanjut|lanjutkan|lanjutin|dilanjut|dilanjutkan|terus|diteruskan|jalan)"
    r"(?:\s+(?:aja|saja|ae|wae|mawon|terus|pak|bu|ya|deh))*)?"
    r"|(?:lanjut|lanjutkan|lanjutin|dilanjut|dilanjutkan|diteruskan|terusin|teruskan)(?:\s+(?:aja|saja|ae|wae|mawon|"
    r"terus|pak|bu|ya|deh|dong))*)$")


# To "ask the officers to close it?": "eh maaf, belum ding, yang diangkut cuma separuh", "oh ternyata belum beres pak,
# masih ada yang bocor": it is not fixed after all (thirty-ninth trial: asked whether to pass it on, the question
# dropped); the complaint goes on, and the words with the first reach its officers
_TAKEN_BACK = re.compile(r"^(?:(?:eh|ehh|oh|aduh|waduh|wah|maaf|sorry|pak|bu|mas|mbak|kak|min)\s+)*"
                         r"(?:ternyata\s+|masih\s+)?(?:belum|blm|blum|durung|dereng|not\s+yet)(?:\s+(?:ding|deh|kok|sih|juga|pak|bu|ternyata|"
                         r"beres|selesai|semua|semuanya))*\b")
TAKEN_BACK_WORDS = 25


def takes_back_withdrawal(text: str) -> bool:
    low = u.plain(text)
    return len(low.split()) <= TAKEN_BACK_WORDS and bool(_TAKEN_BACK.match(low)) and not u.is_question(text)


def declines_withdrawal(text: str) -> bool:
    """"eh jangan deh, lanjut aja" to "ask the officers to close it?": no, it goes on."""
    return bool(_NOT_WITHDRAW.match(u.plain(text)))


def keeps_open(text: str) -> bool:
    """"tidak, tetap berjalan saja, takut mati lagi", "jangan ditutup dulu pak": the complaint is to stay open."""
    low = u.plain(text)
    return 0 < len(low.split()) <= KEEP_OPEN_WORDS and bool(_KEEP_OPEN.search(low))


async def keep_open(turn: Turn, text: str) -> bool:
    """The reporter takes back their request to close a complaint that is still open: the officers are told it goes
    on, and the one-tap close they were sent no longer closes it as withdrawn."""
    low = u.plain(text)
    if len(low.split()) > KEEP_OPEN_WORDS or not _KEEP_OPEN.search(low):
        return False
    named = find_ticket_number(text)
    mine = await turn.store.recent_tickets(turn.identity.key, 10)
    asked = [t for t in mine if t.extra.get(WITHDRAW_REQUESTED) and t.status in OPEN_STATUSES
             and (named is None or t.number == named)]
    if not asked:
        return False
    ticket = asked[0]
    ticket.extra.pop(WITHDRAW_REQUESTED, None)
    ticket.extra[WITHDRAW_RETRACTED] = turn.now.isoformat()
    turn.save_ticket(ticket)
    turn.event(ticket, "withdrawal_retracted", text.strip()[:2000])
    await notify_staff_of_ticket(turn, ticket, "withdraw_retracted_to_officer", f"in:{ticket.number}",
                                 reply_button=True, text=text.strip()[:1000])
    turn.say("withdraw_retracted", number=ticket.number, opd=handler_name(turn, ticket))
    return True


# "… sudah diperbaiki swadaya warga", "karena sudah beres", "it was fixed": a withdrawal that says why
_REASON = re.compile(r"\b(?:karena|krn|karna|soalnya|sebab|sudah|udah|udh|sdh|dah|wis|sampun|already|because|since|"
                     r"fixed|resolved|salah|keliru|double|dobel|ganda|mistake|wrong)\b")


def _gives_reason(text: str) -> bool:
    return bool(_REASON.search(u.plain(without_ticket_numbers(text))))


# "WRG-… kok belum ada kabar ya pak", "WRG-… kapan diperbaiki": about its progress, answered with the status.
_PROGRESS_WORDS = re.compile(r"\b(?:kabar|kabarnya|gimana|bagaimana|kapan|sampai mana|sampai dimana|progres|progress|"
                             r"update|status|statusnya|belum ada|blm ada|how is|when)\b")


# "sudah ada yang jatuh", "lubangnya makin lebar": news of harm or of the problem growing, told beside a question
# about progress ("WRG-2612-0002 kapan diperbaiki pak? sudah ada yang jatuh"): the officers must hear it.
_NEWS_WORDS = re.compile(
    r"\b(?:jatuh|terjatuh|jatoh|kecelakaan|celaka|korban|luka|terluka|lecet|cedera|meninggal|tewas|tabrakan|"
    r"terperosok|kejeblos|nyemplung|kecemplung|(?:tambah|makin|semakin|kian) (?:parah|besar|lebar|dalam|"
    r"dalem|banyak|luas|gede|jembar|ambles)|melebar|meluas|membesar|fell|fallen|injured|hurt|accident|worse|bigger|"
    r"wider|deeper)\b"
)


# Words about the number alone, around it: "nomor tiket saya … ya?", "no aduan saya ini kan?"
_ABOUT_THE_NUMBER = re.compile(r"^(?:\S+\s+){0,1}?(?:nomor|nomer|nmr|no)\s+(?:tiket|aduan|laporan|pengaduan)\w*"
                               r"(?:\s+(?:saya|sy|ku|nya|yang\s+benar|yg\s+bener))?(?:\s+(?:ya|yah|kan|bukan|benar|betul|"
                               r"bener|pak|bu|min|kak|ini|itu|apa|to|tho|nggih))*\W*$")


async def add_detail_by_number(turn: Turn, text: str, parse: dict[str, Any] | None = None) -> bool:
    """"WRG-2612-0002 sekarang ada genangan air di lubangnya": words beyond the number of one's own open ticket go
    to its officers (not only its status shown). A question about its progress is answered with the status, and
    passed on too when it brings news ("kapan diperbaiki pak? sudah ada yang jatuh"). False when the words are
    only such a question, or confidently about another agency's matter (a new complaint that mentions an old
    number)."""
    number = find_ticket_number(text)
    rest = u.plain(without_ticket_numbers(text))
    if number is not None and _ABOUT_THE_NUMBER.match(rest):
        await show_status(turn, number)  # "nomor tiket saya WRG-2612-1 ya?": its status (thirty-third trial: passed
        return True  # to the officers as words on it)
    progress = asks_status(text) or bool(_PROGRESS_WORDS.search(rest))
    if number is None or len(rest.split()) < 4 or (progress and not _NEWS_WORDS.search(rest)):
        return False
    ticket = await turn.store.get_ticket(number)
    if ticket is None or ticket.status not in OPEN_STATUSES:
        return False
    routing = (parse or {}).get("opd") or {}
    # (a complaint waiting in triage has no office yet: "WRG-… maksud saya pak, ada tiang listrik miring mau roboh"
    # is the clarification the operators asked for, whatever office it reads as)
    if (ticket.status != STATUS_TRIAGE and isinstance(routing, dict) and routing.get("id")
            and routing.get("id") != ticket.opd_id
            and float(routing.get("confidence") or 0) >= turn.directory.route_threshold):
        return False
    if ticket.reporter != turn.identity.key:  # someone else's: told as /tanggapi tells it (no ticket named)
        turn.say("ticket_not_theirs", [turn.button("menu_complaint", "/aduan")], number=number)
        return True
    if progress:  # the status asked for, and the news passed on
        await show_status(turn, number)
        told = await _pass_to_staff(turn, ticket, text.strip())
        turn.say("status_news_passed" if told else "status_news_recorded", number=number,
                 opd=handler_name(turn, ticket))
        return True
    return await add_resident_message(turn, number, text)


OTHER_MATTER_CONFIDENCE = 0.5
OTHER_MATTER_WORDS = 6  # shorter words ("lampu lain mati") are too few to tell another matter by


def reply_decision(turn: Turn, ticket: Ticket, parse: dict[str, Any]) -> str:
    """Whether free text goes to the officer (FORWARD), is the bot's to answer (OWN), or we ask (ASK)."""
    text = turn.message.text.strip()
    if asks_status(text):
        return OWN
    intent = u.intent_of(parse)
    answer_shaped = u.looks_like_answer(text)
    number = find_ticket_number(text)
    if number == ticket.number and len(text.split()) > 3:
        return FORWARD  # "WRG-2612-0001 sudah saya kirim fotonya pak"
    if number and ticket.extra.get("request") == "pindah_akun":
        return FORWARD  # "lampu mati di desa puri, WRG-2612-0001": the old ticket's number, for the operator checking
    if u.is_greeting(text) or number or asks_my_tickets(text) or asks_who_is_regent(text):
        return OWN
    if intent in ("talk_to_regent", "check_status", "ask_info", "cancel", "help") and not answer_shaped:
        return OWN
    if u.faq_key(parse, 0.6) and (u.is_question(text) or not answer_shaped):
        # ("nama saya Dewi", no question, is an answer whatever it reads as; "oh iya pak, saya juga mau tanya, syarat
        # bikin KK baru apa ya?" says it asks something else: thirty-fifth trial, asked whether to forward it)
        return ASK if answer_shaped and not _ALSO_ASKS.search(u.plain(text)) else OWN
    if about_another_office(turn, ticket, parse) and not answer_shaped:
        return ASK  # perhaps a new complaint about something else
    if _ANOTHER_REPORT.search(u.plain(text)) and about_another_office(turn, ticket, parse):
        # "saya juga mau lapor untuk diri sendiri, lampu depan balai desa mati" (thirty-seventh trial: passed to the
        # social officer as the answer): a new complaint, said so
        return OWN
    if ticket.kind == "bupati" and _ONE_MORE.search(u.plain(text)) and about_another_office(turn, ticket, parse):
        # "pak bupati, satu lagi, jalan di desa kami juga rusak" a day after his answer (thirty-eighth trial: added to
        # the message on honorary teachers): for him, or a complaint of its own? asked
        return ASK
    return FORWARD


# "saya juga mau lapor …", "satu lagi mau lapor …", "mau lapor hal lain": a new report announced
_ANOTHER_REPORT = re.compile(r"\b(?:juga|lagi|sekalian|satu\s+lagi|also)\s+(?:mau|ingin|pengen|pingin|hendak|"
                             r"want\s+to)\s+"
                             r"(?:lapor|melapor|melaporkan|ngadu|mengadu|report|complain)\b"
                             r"|\b(?:mau|ingin|pengen)\s+(?:lapor|melapor|melaporkan|ngadu|mengadu)\s+(?:hal|masalah|soal)\s+"
                             r"(?:lain|yang\s+lain)\b")


_ONE_MORE = re.compile(r"\b(?:satu\s+lagi|ada\s+lagi|selain\s+itu|oh\s+iya?\s+(?:satu\s+lagi|lagi)|one\s+more\s+thing|"
                       r"another\s+thing|also)\b")
_ALSO_ASKS = re.compile(r"\b(?:mau|ingin|pengen|sekalian|juga|numpang|boleh|izin|ijin)\s+(?:juga\s+)?(?:tanya|nanya|"
                        r"bertanya|takon|nyuwun\s+pirsa)\b|\b(?:also|another)\s+(?:a\s+)?question\b|\bcan\s+i\s+also\s+ask\b")
LAPOR_QUESTION_WORDS = 40
# "… tidak ada tanggapan?", "statusnya gimana", "kapan dijawab": asking after it
_ASKS_AFTER = re.compile(r"\b(?:tanggapan|ditanggapi|kabar|kabarnya|respon|direspon|status|statusnya|tindak\s*lanjut|"
                         r"ditindaklanjuti|gimana|bagaimana|kapan|update|progress|news)\b")
_TRACKING = re.compile(r"\b(?:nomor|no|kode|id)\s+(?:tracking|lacak)\b|\btracking\s+(?:id|number|nomor)\b")


async def answer_lapor_report(turn: Turn, text: str, parse: Callable[[], Awaitable[dict[str, Any]]]) -> bool:
    """A resident asking after a report they follow on SP4N-LAPOR! ("kenapa laporan saya di lapor.go.id tidak ada
    tanggapan? nomor tracking 3412345"): one of theirs that we pushed there, named by its LAPOR! number (or the only
    such), gets its status here; another is told where it is followed (answer_reported_at_lapor). False for other
    words, and for a complaint told with it, which is filed (`parse`: the routing, read only when needed)."""
    low = u.plain(text)
    if (not (reported_at_lapor(text) or _TRACKING.search(low)) or len(low.split()) > LAPOR_QUESTION_WORDS
            or not ("?" in text or asks_status(text) or _ASKS_AFTER.search(low))):
        return False
    numbers = set(re.findall(r"\d{4,}", text))

    def names(lapor_id: str) -> bool:  # "LAPOR-7781" or its digits, as the resident copies it
        digits = "".join(c for c in lapor_id if c.isdigit())
        return lapor_id.lower() in text.lower() or (len(digits) >= 4 and digits in numbers)

    for ticket in await turn.store.recent_tickets(turn.identity.key, STATUS_LOOK_BACK):
        if ticket.lapor_id and (names(ticket.lapor_id) or not numbers):
            await show_status(turn, ticket.number)  # ours, pushed to LAPOR!: its status and LAPOR! number
            return True
    routing = ParseResult.from_dict(await parse()).routing
    if (routing is not None and turn.directory.opd(routing.id) is not None
            and routing.confidence >= turn.directory.route_threshold):
        return False  # "… tapi jalan desa sooko tetap rusak parah": the matter, told here
    answer_reported_at_lapor(turn, text)
    return True


STILL_ANSWERING_MINUTES = 10  # a message this soon after an answer passed on to the officer goes on with it


async def still_answering(turn: Turn, ticket: Ticket, parse: dict[str, Any]) -> bool:
    """The resident answered the officer on `ticket` minutes ago and writes on ("boleh pak, 0812…", then "tapi saya
    kerja sampai sore, bisanya setelah jam 4"): more of that answer, though its words alone read as another office's
    matter. A confident complaint for another office, a question or a greeting is still the resident's own."""
    text = turn.message.text.strip()
    if (u.is_greeting(text) or u.is_question(text) or find_ticket_number(text) or asks_status(text)
            or _ANOTHER_MATTER.search(u.plain(text))):  # "oh iya pak satu lagi, …": another matter, said so
        return False
    routing = parse.get("opd") or {}
    if (isinstance(routing, dict) and float(routing.get("confidence") or 0) >= turn.directory.route_threshold
            and turn.directory.routing.get(str(routing.get("topic"))) != ticket.opd_id):
        return False
    said = [e for e in await turn.store.ticket_events(ticket.number) if e.kind in ("message_out", "message_in")]
    return (bool(said) and said[-1].kind == "message_in" and said[-1].actor == ticket.reporter
            and turn.now - said[-1].at <= timedelta(minutes=STILL_ANSWERING_MINUTES))


def about_another_office(turn: Turn, ticket: Ticket, parse: dict[str, Any]) -> bool:
    """Six words or more that read as a complaint for another office than `ticket`'s. Only asking (or filing anew)
    is at stake, so the bar is lower than routing's: the likeliest OPD is likelier than all the others together
    ("satu lagi pak, jalan desa … rusak" just after a street-light report)."""
    routing = parse.get("opd") or {}
    topic = routing.get("topic") if isinstance(routing, dict) else None
    confident = isinstance(routing, dict) and float(routing.get("confidence") or 0) >= OTHER_MATTER_CONFIDENCE
    return bool(topic and confident and turn.directory.routing.get(topic) != ticket.opd_id
                and len(turn.message.text.split()) >= 6)


async def hold_for_officer(turn: Turn, ticket: Ticket, other: Ticket | None = None, asked: str = "forward_ask") -> None:
    """Ask whether the message is for the officer waiting on `ticket`; with `other` (another open complaint of
    theirs the message reads as being about), ask which of the two, or neither. `asked` is the question's text key
    ("forward_ask_fresh": more about the complaint just filed?)."""
    turn.state["held"] = {"text": turn.message.text.strip()[:4000], "ticket": ticket.number}
    if is_information_request(ticket):  # a question's follow-up: "batal" says it was not passed on as one
        turn.state["held"]["question"] = True
    if asked in ("forward_ask_fresh", "forward_ask_later"):  # "yes": added to the complaint, no officer asked for it
        turn.state["held"]["said"] = "follow_up_added_to_ticket"
    kept = ComplaintDraft()
    if keep_attachments(turn, kept):  # the photos wait with the words (stored now, attached when answered)
        turn.state["held"]["media"] = kept.media
    if other is not None:
        turn.state["held"]["other"] = other.number
        # what each is about, so "yg jalan rusak" or "0007" answers "which one?" (bot/dialogue.py)
        turn.state["held"]["about"] = {t.number: topic_name(turn, t.topic) if t.topic else handler_name(turn, t)
                                       for t in (ticket, other)}
        buttons = [Button(turn.t(worded(turn, ticket, "forward_to_ticket"), number=numbered(ticket)), u.FORWARD),
                   Button(turn.t(worded(turn, other, "forward_to_ticket"), number=numbered(other)), u.FORWARD_OTHER),
                   turn.button("forward_no", u.NOT_FORWARD)]
        if is_information_request(ticket) or is_information_request(other):  # each named as what it is
            turn.state["held"]["either_question"] = True
            turn.say("forward_ask_which_question", buttons, first=_which_item(turn, ticket),
                     second=_which_item(turn, other))
            return
        turn.say("forward_ask_which", buttons, number=numbered(ticket), opd=handler_name(turn, ticket),
                 other=numbered(other),
                 other_topic=topic_name(turn, other.topic) if other.topic else handler_name(turn, other))
        return
    turn.say(worded(turn, ticket, asked),
             [turn.button(worded(turn, ticket, "forward_yes"), u.FORWARD),
              turn.button(worded(turn, ticket, "forward_no"), u.NOT_FORWARD)],
             number=ticket.number, opd=handler_name(turn, ticket),
             topic=topic_name(turn, ticket.topic) if ticket.topic else handler_name(turn, ticket))


def _which_item(turn: Turn, ticket: Ticket) -> str:
    """`ticket` as "which one?" names it: "pertanyaan Anda *WRG-…* kepada Disperkim", "aduan Anda *WRG-…* (Jalan
    rusak)"."""
    if is_information_request(ticket):
        return turn.t("forward_which_item_question", number=numbered(ticket), opd=handler_name(turn, ticket))
    return turn.t("forward_which_item_complaint", number=numbered(ticket),
                  topic=topic_name(turn, ticket.topic) if ticket.topic else handler_name(turn, ticket))


async def forward_held(turn: Turn, number: str, text: str, media: list[str] | None = None,
                       said: str | None = None) -> None:
    """The held message the resident said to pass on ("Ya, teruskan"). When its ticket was marked done meanwhile
    (the office closed it while the resident was being asked) it is not lost, as a message on a just-resolved
    SP4N-LAPOR! report or Chatwoot conversation is not: a question's follow-up reopens the question with these
    words, a complaint's goes to its officers and "Sudah beres?" stays the question."""
    joined = await turn.store.get_ticket(number)
    if joined is not None and joined.reporter == turn.identity.key and joined.status not in OPEN_STATUSES and \
            await duplicates.open_main(turn, joined) is not None:
        await add_resident_message(turn, number, text, media=media)  # joined meanwhile: its main one's officers read it
        return
    ticket = await own_done_ticket(turn, number)
    if ticket is not None and is_information_request(ticket):
        ticket.media.extend(media or [])  # the photos held with it stay on the question (reopen saves it)
        await reopen(turn, ticket, text, said="follow_up_reopened_question")
        return
    if ticket is not None and ticket.status == STATUS_DONE:
        await answer_after_done(turn, ticket, text, media)
        return
    ticket = await turn.store.get_ticket(number)
    if ticket is not None and ticket.reporter == turn.identity.key and ticket.status not in OPEN_STATUSES:
        # closed after a rating, or archived, while the resident was being asked: the words become a new report
        # (its steps start; "batal" drops them) instead of "ticket not found"
        turn.say("held_ticket_finished", number=ticket.number, status=status_name(turn, ticket.status))
        try:
            parse = await turn.services.nlu.parse(text[:1000])
        except Exception:  # the steps still start: the resident picks the topic
            logging.getLogger(__name__).warning("routing a held message failed; the topic is asked", exc_info=True)
            parse = {}
        await start_from_text(turn, text, parse, ComplaintDraft(media=list(media or [])))
        return
    await add_resident_message(turn, number, text, media=media, said=said)


async def other_ticket_about(turn: Turn, ticket: Ticket, parse: dict[str, Any]) -> Ticket | None:
    """Another open complaint of this resident's, at the OPD this message is routed to (not `ticket`'s): "ini foto
    lampu yang mati" while the roads officer waits on a road complaint and a street-light one is open too."""
    routing = parse.get("opd") or {}
    opd = routing.get("id") if isinstance(routing, dict) else None
    if not opd or opd == ticket.opd_id or float(routing.get("confidence") or 0) < OTHER_TICKET_CONFIDENCE:
        return None
    for other in await turn.store.recent_tickets(turn.identity.key, 10):
        if other.number != ticket.number and other.status in OPEN_STATUSES and other.opd_id == opd:
            return other
    return None


OTHER_TICKET_CONFIDENCE = 0.5


async def other_waiting(turn: Turn, ticket: Ticket) -> Ticket | None:
    """Another open complaint of this resident's whose officer also wrote last and waits for an answer: two
    officers asked for a photo, and "fotonya nanti sore ya pak" could be for either (so the resident is asked)."""
    for other in await turn.store.recent_tickets(turn.identity.key, 10):
        if other.number == ticket.number or other.status not in OPEN_STATUSES:
            continue
        events = [e for e in await turn.store.ticket_events(other.number) if e.kind in ("message_out", "message_in")]
        if (events and events[-1].kind == "message_out"
                and turn.now - events[-1].at <= timedelta(days=REPLY_MODE_DAYS)):
            return other
    return None


COMMANDS = [cmd_ask, cmd_status, cmd_answer, cmd_reopen, cmd_regent, cmd_my_tickets]


# "awas kalo ga dibenerin, saya viralin", "nanti saya upload ke fb biar viral": a resident at the end of their
# patience. Heard, not argued with: their open complaint's state, or the way to file one.
GOING_PUBLIC_MAX_WORDS = 14  # longer, the message tells what happened (it is read as a complaint)
GOING_PUBLIC_DRAFTING_WORDS = 24  # beside an unsent draft, a longer one too: the draft holds what happened
_GOING_PUBLIC = re.compile(
    r"\b(?:viral\w*|diviralkan|viralkan|viralin|masukin\s+(?:ke\s+)?(?:medsos|sosmed|fb|ig|tiktok)|"
    r"(?:upload|posting|post|sebar\w*|share)\s+(?:ke\s+|di\s+)?(?:medsos|sosmed|fb|facebook|ig|instagram|tiktok|"
    r"twitter|grup|group)|lapor(?:kan)?\s+(?:ke\s+)?(?:media|wartawan|tv|koran|ombudsman)|go\s+viral|"
    r"post\s+it\s+on\s+social\s+media)\b"
    # "percuma lapor di sini", "kenapa lapor ke sini kalau tidak ada tindakan", "what's the point of reporting"
    # (thirty-second trial: not understood, or unsure topics): the same apology, and the complaint or how to file one
    r"|\b(?:percuma|sia[\s-]?sia|useless)\s+(?:\S+\s+){0,2}?(?:lapor|ngadu|mengadu|melapor|aduan|report\w*)\b"
    r"|\b(?:lapor|ngadu|mengadu|melapor)\s+(?:\S+\s+){0,3}?(?:percuma|sia[\s-]?sia|(?:gak|ga|tidak|nggak)\s+(?:ada\s+)?"
    r"(?:guna\w*|hasil\w*))\b"
    r"|\bkenapa\s+(?:harus\s+)?(?:lapor|ngadu|mengadu)\s+(?:ke\s+|di\s+)?(?:sini|situ)\s+(?:kalau|kalo|klo|jika|kl)\s+"
    r"(?:tidak|gak|ga|nggak|tdk)\s+(?:ada\s+)?(?:tindakan|tindak\s+lanjut\w*|ditanggapi|direspon\w*|dikerjakan)\b"
    r"|\bwhat'?s\s+the\s+point\s+(?:of\s+)?(?:report\w*|complain\w*)\b"
    # "sudah berkali-kali lapor tidak ada tanggapan" (thirty-ninth trial: not understood)
    # (reported again and again: "sudah lapor ke kantor pdam tapi tidak ada tindak lanjut" is more of a report)
    r"|\b(?:sering|berkali[\s-]*kali|berulang[\s-]*kali|beberapa\s+kali|\d+\s*x|\d+\s+kali)\s+"
    r"(?:\S+\s+){0,2}?(?:lapor|melapor|ngadu|mengadu|komplain)\b.{0,30}\b(?:tidak|tdk|gak|ga|nggak|ngga|belum|blm)\s+"
    r"(?:pernah\s+)?(?:ada\s+)?(?:tanggapan|respon\w*|ditanggapi|tindak\s*lanjut\w*|ditindaklanjuti|dibalas|"
    r"balasan|hasil\w*)\b"
    # "kalian semua tidak becus!!!", "pemkab gak becus kerja", "you are all useless" (thirty-fourth trial: a complaint
    # on unsure topics began)
    r"|\b(?:kalian|pemkab|pemda|pemerintah|dinas|petugas|pejabat|aparat|admin|you|you\s+all|you\s+people)\s+"
    r"(?:\S+\s+){0,2}?(?:tidak|tdk|gak|ga|nggak|ngga|enggak|ora|ndak)\s+(?:pernah\s+)?becus\b"
    r"|^(?:\S+\s+){0,2}?(?:tidak|tdk|gak|ga|nggak|ngga|enggak)\s+becus(?:\s+\S+){0,3}$"
    r"|\byou\s+(?:are|'re)\s+(?:all\s+)?(?:useless|incompetent|hopeless)\b"
    # "goblok semua pegawai pemkab" (thirty-sixth trial: a complaint on unsure topics, which the next message was
    # then asked to set aside)
    r"|^(?:\S+\s+){0,2}?(?:goblok|bodoh|tolol|bego|oon|brengsek|bangsat|bajingan|kampret)\s+(?:semua\s+|kabeh\s+)?"
    r"(?:pegawai|petugas|pejabat|aparat|pemkab|pemda|pemerintah|dinas|kalian|admin|orang\s+dinas)\w*(?:\s+\S+){0,2}$"
    r"|^(?:\S+\s+){0,1}?(?:pegawai|petugas|pejabat|aparat|pemkab|pemda|pemerintah|dinas|kalian|admin)\w*\s+(?:\S+\s+)?"
    r"(?:goblok|bodoh|tolol|bego|oon|brengsek|bangsat|bajingan|kampret)(?:\s+\S+){0,2}$"
    # "saya kecewa sekali", "kecewa banget sama pelayanannya", "I'm very disappointed" (thirty-sixth trial: not
    # understood)
    r"|^(?:\S+\s+){0,2}?(?:kecewa|sangat\s+kecewa|kuciwa|disappointed|very\s+disappointed)(?:\s+(?:sekali|banget|bgt|"
    r"berat|sama|dengan|dgn|atas|terhadap|with|in)){0,2}(?:\s+(?:pelayanan\w*|layanan\w*|pemkab|pemda|pemerintah|dinas|"
    r"kalian|this|you|the\s+service))?(?:\s+(?:ini|nya|pak|bu|min))*$"
    # "knp sih pemerintah gak pernah dengerin rakyat", "the government never listens" (thirty-sixth trial: unsure
    # topics)
    r"|\b(?:kalian|pemkab|pemda|pemerintah|pejabat|aparat)\s+(?:\S+\s+){0,2}?(?:tidak|tdk|gak|ga|nggak|ngga|"
    r"enggak|ora|ndak)\s+(?:pernah\s+|mau\s+)?(?:dengerin|dengar\w*|mendengar\w*|peduli\w*|perhatikan|"
    r"memperhatikan|merhatiin|mikirin|memikirkan)\s+(?:rakyat|warga|masyarakat|kami|kita|wong)(?:\s+\S+){0,3}$"
    r"|\b(?:government|you|officials)\s+(?:never|don'?t|doesn'?t)\s+(?:listen|care)\w*")


# "mohon ditindaklanjuti", "tolong segera ditindak lanjuti ya pak" alone: follow up what?
_FOLLOW_UP_BARE = re.compile(r"^(?:(?:mohon|tolong|harap|please)\s+)?(?:segera\s+)?(?:di)?tindak\s*lanjut(?:i|in|kan)?"
                             r"(?:\s+(?:ya|yah|pak|bu|min|kak|segera|secepatnya|dong|terima\s+kasih|makasih))*$"
                             r"|^(?:please\s+)?follow\s+(?:it\s+)?up(?:\s+please)?$")


def asks_follow_up_bare(text: str) -> bool:
    return bool(_FOLLOW_UP_BARE.match(u.plain(text)))


def going_public(text: str, max_words: int = GOING_PUBLIC_MAX_WORDS) -> bool:
    """A short threat to take the matter to social media or the press."""
    return len(text.split()) <= max_words and bool(_GOING_PUBLIC.search(u.plain(text)))


async def answer_going_public(turn: Turn, drafting: bool = False) -> None:
    """The resident's latest open complaint with an apology, or how to file one so that it gets a deadline; while
    `drafting` one never sent ("woy gmn ini laporan sy gk ada yg respon, mau sy viralin"), that it is not sent yet."""
    mine = await turn.store.recent_tickets(turn.identity.key, STATUS_LOOK_BACK)
    open_ones = [t for t in mine if t.status in OPEN_STATUSES and t.kind == "aduan"]
    if open_ones:
        turn.say("going_public_open")
        await show_status(turn, open_ones[0].number)
        return
    if drafting:
        turn.say("going_public_draft")
        return
    turn.say("going_public_none", [turn.button("menu_complaint", "/aduan")])


# "ada nomor telepon yg bisa dihubungi?", "call center pemkab berapa", "what is your phone number?": how to reach the
# service by phone. A named service ("nomor ambulans", "wa damkar", "BPJS") has an answer of its own.
_CONTACT_WORD = re.compile(r"\b(?:nomor|nomer|(?:no|nmr)\s+(?:telp\w*|tlp|hp|wa|kontak)|kontak|kontaknya|contact|telp|"
                           r"telpon|telepon|tlp|call\s*center|hotline|phone|number|cs|customer\s+service)\b")
_CONTACT_ASK = re.compile(r"\b(?:berapa|brp|brapa|ada|minta|mnt|bisa\s+dihubungi|dihubungi|hubungi|kemana|kmn|"
                          r"what|which|where|how|is\s+there|nelpon|telpon\s+ke|ditelpon)\b|\?")
_CONTACT_NAMED = re.compile(r"\b(?:ambulan\w*|damkar|pemadam|polisi|police|darurat|emergency|bpbd|psc|bpjs|pln|"
                            r"samsat|pdam|ktp|nik|kk|rekening|tiket|ticket|aduan\s+saya|laporan\s+saya|wrg|rumah|"
                            r"antrian|antrean|plat|seri|urut|sertifikat)\b"
                            r"|\b\d{3,}\b")


# "mau ngomong sama orang beneran", "I'd like to speak with a real person", "kula badhe matur kaliyan petugas
# langsung", "cs nya mana sih": a person, not the bot
_HUMAN = re.compile(
    r"\b(?:ngomong|ngobrol|bicara|berbicara|omong|chat|chatting|matur|speak|talk|telpon|telepon)\s+(?:langsung\s+)?"
    r"(?:sama|sm|dengan|dgn|dg|ama|kaliyan|kalih|karo|to|with)\s+(?:a\s+|an\s+|the\s+)?(?:real\s+)?"
    r"(?:orang|manusia|petugas|pegawai|admin|cs|operator|human|person|someone|staff|officer|agent)\b"
    # "bisa telpon saya saja?", "tolong telepon saya", "can you call me?" (thirty-third trial: the help)
    r"|\b(?:bisa|tolong|mohon|boleh|minta)\s+(?:di)?(?:telpon|telepon|telp|tlp|telfon)\s+(?:saya|aku|sy|kula)\b"
    r"|\b(?:di)?(?:telpon|telepon|telp|tlp|telfon)\s+(?:saya|aku|sy)\s+(?:saja|aja|aj|balik)\b|\bcall\s+me\b"
    r"|\b(?:saya|aku|sy)\s+(?:di)?(?:telpon|telepon|telp|tlp|telfon)\s+(?:saja|aja|aj|balik)\b"
    r"|\borang\s+(?:beneran|asli|sungguhan)\b|\breal\s+(?:person|human)\b|\bhuman\s+(?:being|agent)\b"
    r"|\b(?:cs|admin|operator)\s*(?:nya|e)?\s+(?:mana|dimana|endi|pundi)\b|\bbukan\s+(?:sama\s+)?(?:bot|robot|mesin)\b"
    # "halo ada orang?", "ada yang jaga gak?", "is anyone there?": the whole message asks whether a person is there
    r"|^(?:(?:halo|hallo|hello|hi|permisi|pak|bu|min|kak|mas|mbak)\s+)*(?:ada\s+(?:orang|orangnya|yang\s+jaga|yg\s+jaga|"
    r"admin|adminnya|petugas|petugasnya)(?:\s+(?:gak|ga|nggak|tidak|kah|ya|nih|disini|di\s+sini|sini))*|is\s+(?:anyone|"
    r"anybody|someone|somebody)\s+(?:there|here|around)|(?:anyone|anybody)\s+(?:there|here|home))$")


# "sambungkan ke petugas dinas pupr sekarang", "saya tidak mau dengan bot", "connect me to an officer" (twenty-ninth
# trial: offered to the officer as more words of the complaint just sent)
_HUMAN_MORE = re.compile(
    r"\b(?:sambungkan|sambungin|hubungkan|hubungin|connect|transfer|oper)\s+(?:saya\s+|aku\s+|me\s+)?(?:ke|dengan|dgn|"
    r"sama|to|with)\s+(?:\S+\s+)?(?:petugas|orang|manusia|admin|operator|cs|human|person|officer|agent|staff)\b"
    r"|\b(?:tidak|tdk|gak|ga|nggak|ogah|males|don'?t)\s+(?:mau\s+|want\s+(?:to\s+talk\s+to\s+)?)?(?:dengan|dgn|sama|"
    r"pakai|pake|ngomong\s+sama|a\s+|the\s+)?(?:bot|robot|mesin|chatbot)\b")


# "saya tunanetra, apakah ada layanan suara?", "tolong hubungi saya lewat telepon saja, saya tidak bisa ngetik
# panjang", "I'm blind, can I use voice?": someone for whom typing or reading is hard (not "makan gaji buta",
# idle staff: forty-first trial, an angry resident was told voice notes cannot be read); "bisa kirim pesan suara?"
# alone is can_send_voice's
_VOICE_HELP = re.compile(r"\b(?:tunanetra|tuna\s+netra|(?<!gaji )buta(?!\s+(?:arah|warna))|low\s+vision|blind|"
                         r"visually\s+impaired|disabilitas\s+netra|layanan\s+suara|voice\s+service)\b")
_BY_CALL = re.compile(r"\b(?:telpon|telepon|telp|tlp|telfon|phone|call|suara|voice)\b")


def asks_voice_help(text: str) -> bool:
    low = u.plain(text)
    if len(low.split()) > 20:
        return False
    return bool(_VOICE_HELP.search(low)) or (cannot_type(text) and bool(_BY_CALL.search(low)))


# "saya wartawan, mau konfirmasi data aduan jalan rusak tahun ini", "I'm a journalist …": the press, who ask the
# regency's public information office (PPID), not a complaint (thirty-eighth trial: filed as one)
_PRESS = re.compile(r"\b(?:wartawan|jurnalis|journalist|reporter\s+(?:dari|from)|media\s+online|pers|redaksi|"
                    r"press)\b")
_PRESS_ASKS = re.compile(r"\b(?:konfirmasi|data|wawancara|liputan|statistik|jumlah|interview|comment|statement|"
                         r"tanggapan|klarifikasi|informasi)\b")


def is_press(text: str) -> bool:
    low = u.plain(text)
    return len(low.split()) <= 30 and bool(_PRESS.search(low)) and bool(_PRESS_ASKS.search(low))


def asks_human(text: str) -> bool:
    return len(text.split()) <= 16 and bool(_HUMAN.search(u.plain(text)) or _HUMAN_MORE.search(u.plain(text)))


# "jawabannya kok gitu pak, tidak sopan", "petugasnya kasar", "saya mau komplain soal petugasnya", "the officer was
# rude": the officer's conduct complained of (twenty-ninth trial: passed to that same officer as the reporter's answer)
_OFFICER_CONDUCT = re.compile(
    r"\b(?:petugas|pegawai|officer|staff|jawaban|balasan|bahasa|omongan|cara\s+(?:bicara|menjawab|membalas))(?:nya)?\s+"
    r"(?:\S+\s+){0,4}?(?:kasar|ketus|judes|sombong|arogan|(?:tidak|kurang|gak|ga|nggak|ndak)\s+(?:sopan|ramah|beretika|"
    r"profesional|menghargai)|seenaknya|asal(?:-asalan|\s+asalan)?|rude|impolite|unprofessional|disrespectful)\b"
    r"|\b(?:komplain|keluhkan|mengeluhkan|protes|adukan|laporkan|complain)\s+(?:\S+\s+){0,2}?(?:soal|tentang|terhadap|"
    r"sikap|about)?\s*(?:sikap\s+)?(?:petugas|pegawai|officer)(?:nya)?\b"
    r"|\b(?:the\s+)?(?:officer|staff|answer|reply)\s+(?:was|is)\s+(?:very\s+|so\s+)?(?:rude|impolite|unprofessional|"
    r"disrespectful)\b")
CONDUCT_WORDS = 25


def complains_of_officer(text: str) -> bool:
    low = u.plain(text)
    return 0 < len(low.split()) <= CONDUCT_WORDS and bool(_OFFICER_CONDUCT.search(low))


async def answer_officer_conduct(turn: Turn, ticket: Ticket, text: str) -> None:
    """An apology, and the words offered as a message to the regent with the complaint's number (sent only when the
    resident says so), rather than passed to the officer they are about."""
    turn.say("officer_conduct_apology", number=ticket.number, regent=turn.directory.regent_title)
    await confirm_to_regent(turn, f"{text.strip()} ({ticket.number})")


# In the middle of a complaint: "ini bot ya?", "are you a bot?", "bisa lapor lewat telpon aja gak?" (a person, or the
# phone, instead of these steps)
_IS_BOT = re.compile(r"\b(?:ini|kamu|anda|sampeyan|you|are\s+you)\s+(?:\S+\s+)?(?:bot|robot|mesin|chatbot|ai)\b"
                     # "is this answered by a human?" (thirty-second trial: "I cannot answer that here yet")
                     r"|\b(?:answered|handled|read|replied\s+to|run)\s+by\s+(?:a\s+)?(?:real\s+)?(?:human|person|people|"
                     r"bot|robot|machine)\b|\b(?:dijawab|dibalas|dibaca|ditangani)\s+(?:oleh\s+)?(?:manusia|orang|bot|robot|"
                     r"mesin)\b")
_BY_PHONE = re.compile(r"\b(?:lapor|melapor|laporan|ngadu|mengadu|aduan|report|complain)\w*\s+(?:\S+\s+)?(?:lewat|via|"
                       r"melalui|pakai|pake|by)\s+(?:telpon|telepon|telp|tlp|phone|call|telfon)\b")


# "kok nomornya tidak bisa ditelepon?", "call center tidak diangkat", "nobody answers the phone": the regency's line
# unanswered (thirty-fifth trial: offered to the offices as a question)
_CALL_FAILED = re.compile(
    r"\b(?:nomor|nomer|no|telp|telepon|telpon|telfon|call\s*center|callcenter|hotline|cs)(?:nya)?\s+(?:\S+\s+){0,3}?"
    r"(?:tidak|tdk|gak|ga|nggak|ngga|enggak|gk|ndak|ora|mboten)\s+(?:bisa\s+|pernah\s+)?(?:ditelepon|ditelpon|ditelfon|"
    r"dihubungi|diangkat|aktif|nyambung|tersambung|masuk|dijawab|angkat)\b"
    r"|\b(?:telepon|telpon|telp|call\s*center|callcenter|hotline)(?:nya)?\s+(?:\S+\s+){0,2}?(?:sibuk\s+terus|"
    r"tidak\s+ada\s+yang\s+angkat|gak\s+ada\s+yang\s+angkat|ga\s+ada\s+yang\s+angkat)\b"
    r"|\b(?:nobody|no\s+one)\s+(?:answers|answered|picks\s+up|picked\s+up)\b"
    r"|\b(?:can'?t|cannot|couldn'?t)\s+(?:get\s+through|reach\s+(?:you|the\s+(?:number|office|call\s+cent(?:er|re))))\b")
CALL_FAILED_WORDS = 14


def says_call_failed(text: str) -> bool:
    low = u.plain(text)
    return (len(low.split()) <= CALL_FAILED_WORDS and bool(_CALL_FAILED.search(low))
            # (not "nomor wa saya tidak aktif lagi": one's own number, moved)
            and not _OWN_LINE.search(low))


_OWN_LINE = re.compile(r"\b(?:nomor|nomer|no|hp|wa|telepon|telpon)\s+(?:\S+\s+)?(?:saya|sy|aku|kami|ku|my)\b")


# "saya mau ganti nama di aduan saya", "nama saya di laporan salah", "can I change my name on the complaint?"
# (thirty-fifth trial: asked for a problem to report): the name officers see is the account's, changed by /nama
_NAME_CHANGE = re.compile(
    r"\b(?:ganti|ubah|mengganti|mengubah|koreksi|perbaiki|betulkan|benerin|change|correct|fix)\s+(?:\S+\s+)?"
    r"(?:nama|name)\b(?:\s+\S+){0,3}?\s+(?:di|pada|dalam|on|in)\s+(?:\S+\s+)?(?:aduan|laporan|tiket|complaint|report)"
    r"|\bnama\s+(?:saya\s+|sy\s+)?(?:di|pada|dalam)\s+(?:aduan|laporan|tiket)\w*\s+(?:\S+\s+)?(?:salah|keliru|"
    r"typo|beda)\b")


def asks_name_change(text: str) -> bool:
    low = u.plain(text)
    return len(low.split()) <= 16 and bool(_NAME_CHANGE.search(low))


def answer_call_failed(turn: Turn) -> None:
    """The regency's line and its hours, and that this chat is open at any hour, answered here."""
    contact = turn.directory.contact
    turn.say("call_failed" if contact else "call_failed_chat_only", turn.menu_buttons(), contact=contact)


def asks_human_in_flow(text: str) -> bool:
    low = u.plain(text)
    return asks_human(text) or (len(low.split()) <= 16 and bool(_IS_BOT.search(low) or _BY_PHONE.search(low)))


def answer_human(turn: Turn, menu: bool = True) -> None:
    """What a person can do for them: officers answer in this chat once the complaint is sent, and the regency's
    contact (regency.contact) for a call or a visit. Without `menu` beside a draft (its own buttons follow)."""
    contact = turn.directory.contact
    turn.say("human_with" if contact else "human_chat_only", turn.menu_buttons() if menu else (), contact=contact)


def asks_contact(text: str) -> bool:
    low = u.plain(text)
    return (len(low.split()) <= 12 and bool(_CONTACT_WORD.search(low)) and bool(_CONTACT_ASK.search(low))
            and not _CONTACT_NAMED.search(low))


def asks_named_contact(text: str) -> bool:
    """A number asked of a service named ("berapa nomor pengaduan PLN?"), which `asks_contact` leaves to its answer."""
    low = u.plain(text)
    return (len(low.split()) <= 12 and bool(_CONTACT_WORD.search(low)) and bool(_CONTACT_ASK.search(low))
            and bool(_CONTACT_NAMED.search(low)))


# "boleh minta nomor wa petugasnya?", "can I have the officer's number?": an officer's own number.
_OFFICER_NUMBER = re.compile(
    r"\b(?:nomor|nomer|nmr|no|kontak|contact|number|wa|whatsapp)\s+(?:hp\s+|wa\s+|whatsapp\s+|telp\w*\s+|pribadi\s+)?"
    r"(?:\S+\s+)?(?:petugas|pegawai|officer|kadis|kepala\s+dinas|staf|staff)(?:nya)?\b"
    r"|\b(?:petugas|officer|pegawai)(?:nya|'s)?\s+(?:\S+\s+)?(?:nomor|nomer|number|kontak|contact|wa|whatsapp)\b")


# "nama saya budi", "perkenalkan, saya Sri dari desa Puri", "saya warga desa sooko", "my name is Budi": a resident
# introducing themself before saying what they came for (thirtieth trial: "not understood", or a complaint on
# unsure topics began from "saya warga desa sooko")
_GREETING_LEAD = (r"^(?:(?:halo|hallo|hai|hi|hello|selamat\s+(?:pagi|siang|sore|malam)|assalamu\S*|permisi|punten|"
                  r"pak|bu|min|kak|mas|mbak)[\s,.!]+)*")
_INTRODUCTION = re.compile(
    _GREETING_LEAD
    + r"(?:(?:perkenalkan[\s,]+)?(?:nama\s+saya|nama\s+sy|namaku|my\s+name\s+is)\s+"
    r"(?P<name>[a-z][a-z.']*(?:\s+[a-z][a-z.']*)?)"
    r"(?:[\s,]+(?:saya\s+)?(?:warga|penduduk|dari|tinggal\s+di|from)\s+(?P<place>[a-z][a-z\s]{2,40}))?"
    r"|(?:perkenalkan[\s,]+)?saya\s+(?:adalah\s+)?(?:warga|penduduk)\s+(?P<place2>[a-z][a-z\s]{2,40})"
    # "perkenalkan, saya Sri dari desa Puri" (thirty-first trial: a complaint on unsure topics began from it)
    r"|perkenalkan[\s,]+saya\s+(?:bernama\s+)?(?P<name3>[a-z][a-z.']*(?:\s+[a-z][a-z.']*)?)[\s,]+(?:warga|penduduk|"
    r"dari|tinggal\s+di)\s+(?P<place3>[a-z][a-z\s]{2,40}))[\s.!]*$")
INTRODUCTION_WORDS = 12


def after_greeting(text: str) -> str:
    """The words after a greeting that opens a message ("hello min, my KTP is lost" -> "my KTP is lost")."""
    words = text.strip()
    lead = re.match(_GREETING_LEAD, words, re.IGNORECASE)
    return words[lead.end():].strip() if lead else words


def introduction(text: str) -> tuple[str, str] | None:
    """(the name, the place) a resident gives of themself in a message that says only that, else None."""
    low = " ".join(text.lower().split())  # (commas kept: "saya warga desa sooko, jalan rusak parah" says more)
    found = _INTRODUCTION.match(low) if len(low.split()) <= INTRODUCTION_WORDS else None
    if found is None or PROBLEM_WORDS.search(low):
        return None
    name = " ".join(w.capitalize() for w in (found.group("name") or found.group("name3") or "").strip(".'").split())
    return name, (found.group("place") or found.group("place2") or found.group("place3") or "").strip()


def answer_introduction(turn: Turn, name: str) -> None:
    turn.say("introduction_named" if name else "introduction", turn.menu_buttons(), name=name,
             regency=turn.directory.regency_short)


# "apakah pak bupati baca sendiri?", "pesannya dibaca langsung sama bupati?", "does the regent read it himself?": who
# reads a message to the regent (thirty-first trial: the message's status was shown)
_REGENT_READS = re.compile(
    r"\b(?:bupati|wali\s*kota|walikota|walkot|regent|mayor)\b.{0,30}\b(?:baca|membaca|dibaca|bacanya|read|reads|lihat|"
    r"melihat|dilihat)\b|\b(?:dibaca|dilihat|read)\b.{0,30}\b(?:bupati|wali\s*kota|walikota|walkot|regent|mayor)\b")
# ... read by them in person ("sudah dibaca belum?" is that message's status)
_IN_PERSON = re.compile(r"\b(?:sendiri|langsung|pribadi|beneran|benar2|betul2|himself|herself|personally|in\s+person|"
                        r"really)\b")
REGENT_READS_WORDS = 14


def asks_regent_reads(text: str) -> bool:
    low = u.plain(text)
    return (len(low.split()) <= REGENT_READS_WORDS and u.is_question(text) and bool(_REGENT_READS.search(low))
            and (bool(_IN_PERSON.search(low)) or complaint_read_by_regent(low)))


# "apakah laporan saya nanti dibaca pak bupati?", "does the regent see my complaint?" (thirty-fourth trial: the
# privacy answer): a complaint, not a message to the regent, asked after
_A_COMPLAINT = re.compile(r"\b(?:laporan|aduan|keluhan|pengaduan|complaints?|reports?)\b")
_A_MESSAGE = re.compile(r"\b(?:pesan|surat|message|letter|/bupati)\b")


def complaint_read_by_regent(low: str) -> bool:
    return bool(_A_COMPLAINT.search(low)) and not _A_MESSAGE.search(low) and not _READ_YET.search(low)


def answer_regent_reads(turn: Turn) -> None:
    """Who reads a message to the regent; for a complaint, who acts on it and how the regent watches it."""
    key = "complaint_regent_sees" if complaint_read_by_regent(u.plain(turn.message.text)) else "regent_reads"
    turn.say(key, [turn.button("menu_regent", "/bupati")], regent=turn.directory.regent_title)


# "lho kok dialihkan ke dinas sosial? ini jalan rusak", "salah dinas pak": a transfer of their complaint disputed
# (thirty-eighth trial: the status card, the objection reaching no one)
_TRANSFER_DISPUTED = re.compile(
    r"\b(?:kok|kenapa|knp|mengapa|why)\b.{0,25}\b(?:dialihkan|dialihin|dipindah\w*|dioper|dilempar|diserahkan|"
    r"transferred|moved|sent\s+to)\b|\bsalah\s+(?:dinas|opd|alamat\s+dinas)\b|\bwrong\s+(?:office|agency|department)\b")
_OBJECTION = re.compile(r"\b(?:bukan|salah|harusnya|seharusnya|mestinya|keberatan|protes|tidak\s+setuju|gak\s+setuju|"
                        r"ga\s+setuju|nggak\s+setuju|wrong|should\s+be|not\s+(?:a|their|the))\b")
TRANSFER_DISPUTE_DAYS = 14
TRANSFER_DISPUTE_WORDS = 30


async def dispute_transfer(turn: Turn, text: str) -> bool:
    """The reporter objects to their complaint's transfer to another office: the objection, with its reason, goes to
    the officers who have it now (they can send it back to the operators), and the reporter is told so. False when no
    complaint of theirs was moved lately, or other words."""
    low = u.plain(text)
    if (len(low.split()) > TRANSFER_DISPUTE_WORDS or not _TRANSFER_DISPUTED.search(low)
            or not _OBJECTION.search(low)):
        return False  # ("kenapa aduan saya dialihkan?" asks why: its status says, with the officer's reason)
    for ticket in await turn.store.recent_tickets(turn.identity.key, 5):
        if ticket.status not in OPEN_STATUSES or ticket.kind != "aduan":
            continue
        moves = [e for e in await turn.store.ticket_events(ticket.number, "rerouted")
                 if turn.now - e.at <= timedelta(days=TRANSFER_DISPUTE_DAYS)]
        if moves:
            return await add_resident_message(turn, ticket.number, text, quiet_if_not_mine=True,
                                              said="transfer_disputed")
    return False


# "laporan tetangga saya sudah ditangani belum?", "is my neighbour's complaint being handled?": another's complaint,
# which only its reporter follows (thirty-eighth trial: their own complaint's status was shown)
# (others' complaints in general, "dimana saya bisa lihat aduan warga lain?", are `public_info.asks_others_reports`')
_OTHERS_REPORT = re.compile(r"\b(?:laporan|aduan|pengaduan)(?:nya)?\s+(?:\S+\s+)?(?:tetangga|teman|temen|saudara|"
                            r"kerabat)\b|\b(?:neighbou?r|friend)'?s\s+(?:report|complaint)\b")


def asks_others_report(text: str) -> bool:
    low = u.plain(text)
    return len(low.split()) <= 16 and bool(_OTHERS_REPORT.search(low)) and not find_ticket_number(text)


def asks_officer_number(text: str) -> bool:
    low = u.plain(text)
    return len(low.split()) <= 14 and bool(_OFFICER_NUMBER.search(low) or _OFFICER_NAME.search(low))


# "saya mau tahu nama petugas yang menangani", "siapa nama petugasnya?" (thirty-eighth trial: asked whether to pass it
# to the officer)
_OFFICER_NAME = re.compile(r"\b(?:mau|ingin|pengen|boleh|minta|perlu)\s+(?:\S+\s+)?nama\s+(?:\S+\s+)?"
                           r"(?:petugas|pegawai|officer|staf|staff)(?:nya)?\b|\b(?:officer|staff\s+member)'?s\s+name\b")
# ("siapa nama petugasnya?" gets the complaint's status, which names who handles it: fifteenth corpus)


def answer_officer_number(turn: Turn, text: str = "") -> None:
    """An officer's own number is not given (their safety, and every answer kept on the complaint); they answer in
    this chat, and the regency's line is there for a call. A name asked: the office that handles it is named."""
    if _OFFICER_NAME.search(u.plain(text)) and not _OFFICER_NUMBER.search(u.plain(text)):
        turn.say("officer_name_private", turn.menu_buttons())
        return
    contact = turn.directory.contact
    turn.say("officer_number_private" if contact else "officer_number_private_chat_only", turn.menu_buttons(),
             contact=contact)


def answer_contact(turn: Turn) -> None:
    """This chat first (every office answers here), the regency's own contact when the directory has one, and the
    emergency numbers."""
    contact = turn.directory.contact
    emergency = "\n".join(f"• {n.name}: {n.number}" for n in turn.directory.emergency_numbers)
    turn.say("contact_with" if contact else "contact_chat_only", turn.menu_buttons(), contact=contact,
             emergency=emergency)


# "tes", "test 123", "ping": someone trying whether the service answers.
_TRYING = re.compile(r"^(?:tes+|test(?:ing)?|ping|cek cek|coba coba|percobaan)"
                     r"(?:\s+(?:tes+|test|123|1 2 3|aja|saja|dulu|bot|min|ya|masuk|ok))*$")
# "bot nya gak ngerti2, capek saya", "you don't understand me", "sistemnya ga nyambung": the resident is tired of
# the bot; an apology, how to say it so it is understood, and a person to call.
_BOT_FAILS = re.compile(
    r"\b(?:bot|botnya|bot nya|robot|robotnya|mesin|sistem|sistemnya|aplikasi|aplikasinya|kamu|you|this)\b.{0,25}?"
    r"\b(?:gak|ga|gk|nggak|ngga|tidak|tdk|enggak|ndak|ora|don't|doesn't|dont|doesnt|not|never)\s+(?:\S+\s+)?"
    r"(?:ngerti\w*|mengerti|paham|nyambung|faham|jelas|membantu|bantu|berguna|understand\w*|help\w*|work\w*)\b"
    r"|\b(?:bot|robot|mesin|sistem)\s*(?:nya\s+)?(?:bodoh|goblok|oon|bego|useless|stupid|dumb)\b"
    r"|\b(?:useless|stupid|dumb)\s+(?:bot|robot|machine|system)\b|\bga(?:k)? nyambung\b|\btidak nyambung\b"
    # "thanks for nothing" (thirty-fifth trial: "you're welcome, glad to help")
    r"|\b(?:thanks|thank\s+you)\s+for\s+nothing\b|\b(?:makasih|terima\s*kasih|trims)\s+(?:atas\s+|untuk\s+)?"
    r"(?:tidak\s+ada\s+apa-?apanya|gak\s+ada\s+apa-?apanya|nothing)\b")
FRUSTRATION_WORDS = 16
# "apakah layanan ini gratis?", "lapor di sini bayar gak?", "is this service free?": what reporting here costs.
_COST = re.compile(r"\b(?:gratis|bayar|berbayar|biaya|biayanya|dipungut|dikenakan|free|cost|costs|charge|pay)\b")
_THIS_SERVICE = re.compile(r"\b(?:layanan ini|layanan aduan|chat ini|bot ini|lapor|melapor|laporan|aduan|mengadu|ngadu|"
                           r"di sini|disini|this service|this chat|report|reporting|complain\w*)\b")


# "apakah layanan ini buka 24 jam?", "kalau hari minggu ada yang balas?", "is anyone here at night?": when this service
# answers (thirty-second trial: offered to the offices as a question, and unsure topics)
_SERVICE_HOURS = re.compile(
    r"\b(?:layanan\s+ini|chat\s+ini|bot\s+ini|this\s+service|you)\b.{0,15}\b(?:buka|aktif|online|melayani|open|"
    r"available)\b|\b(?:buka|aktif|online|melayani)\s+(?:\S+\s+)?(?:24\s*jam|jam\s+berapa|sampai\s+jam)\b"
    r"|\b(?:hari\s+(?:minggu|libur|sabtu)|tanggal\s+merah|malam\s+hari|malam|weekend|sunday|at\s+night)\b.{0,30}\b(?:ada\s+"
    r"(?:yang|yg)\s+(?:balas|bales|jawab|respon\w*)|dibalas|dibales|dijawab|ditanggapi|direspon\w*|buka|aktif|"
    r"reply|replies|answer\w*|open)\b")
SERVICE_HOURS_WORDS = 14


def asks_service_hours(text: str) -> bool:
    """When this service answers; not an office's opening hours ("kantor dukcapil buka jam berapa?")."""
    low = u.plain(text)
    return (len(low.split()) <= SERVICE_HOURS_WORDS and u.is_question(text) and bool(_SERVICE_HOURS.search(low))
            and not _AN_OFFICE.search(low))


_AN_OFFICE = re.compile(r"\b(?:dinas|kantor|puskesmas|rsud|kecamatan|desa|kelurahan|mpp|mal|samsat|bank|pasar)\b")


# "saya mau daftar jadi petugas", "bagaimana cara jadi admin di sini?", "how do I become an officer here?"
_BECOME_STAFF = re.compile(r"\b(?:daftar|mendaftar|jadi|menjadi|gabung|bergabung|become|join\s+as|register\s+as|"
                           r"sign\s+up\s+as)"
                           r"\s+(?:sebagai\s+|jadi\s+|as\s+)?(?:an?\s+)?(?:petugas|admin|operator|officer|staff|staf|"
                           # "saya sekretaris desa japan, bagaimana cara daftar sebagai perangkat desa di layanan
                           # ini?" (forty-second trial: FAQs on divorce and moving house to pick from)
                           r"perangkat\s+desa|kades|kepala\s+desa|lurah|camat|pendamping|village\s+official|"
                           r"pegawai\s+(?:layanan|aduan))\b(?!\s+(?:kebersihan|kesehatan|damkar|pemadam|satpol|kebun|"
                           r"parkir|honorer|pppk|cpns|asn))")


def asks_to_become_staff(text: str) -> bool:
    low = u.plain(text)
    return len(low.split()) <= BECOME_STAFF_WORDS and bool(_BECOME_STAFF.search(low))


BECOME_STAFF_WORDS = 16


def is_trying(text: str) -> bool:
    return bool(_TRYING.match(u.plain(text)))


# "ribet banget sih", "susah amat", "ruwet": the whole message says it is too complicated (thirty-seventh trial, after
# an archived complaint's answer: complaint topics to pick from)
_TOO_HARD = re.compile(r"^(?:(?:aduh|duh|haduh|ah|wah|kok|ih|pak|bu|min)\s+)*(?:ribet|repot|rumit|ruwet|mbulet|njlimet|"
                       r"susah|sulit|complicated|confusing|bingung|pusing)(?:\s+(?:banget|bgt|amat|sekali|bener|beneran|"
                       r"sih|deh|ah|ya|yah|nih|pol|tenan|so|too|really|very))*$")


def frustrated_with_bot(text: str) -> bool:
    low = u.plain(text)
    return len(low.split()) <= FRUSTRATION_WORDS and bool(_BOT_FAILS.search(low))


def finds_it_too_hard(text: str) -> bool:
    return bool(_TOO_HARD.match(u.plain(text)))


def answer_too_hard(turn: Turn) -> None:
    """Sorry for the trouble, and help one step at a time (and a person to call, when the regency has a line)."""
    contact = turn.directory.contact
    turn.say("too_hard_sorry" if contact else "too_hard_sorry_chat_only", turn.menu_buttons(), contact=contact)


def answer_frustration(turn: Turn) -> None:
    contact = turn.directory.contact
    turn.say("bot_frustration" if contact else "bot_frustration_chat_only", turn.menu_buttons(), contact=contact)


# "ktp saya dari kabupaten lain, bisa lapor?", "saya bukan warga sini, boleh mengadu?", "I'm not from here, can I
# report?": whether someone from elsewhere may report here (thirtieth trial: FAQs on ID cards and privacy offered)
_NOT_FROM_HERE = re.compile(
    r"\b(?:ktp|ktpnya|kk|domisili|tinggal|warga|penduduk|alamat)\s+(?:\S+\s+){0,3}?(?:luar\s+(?:daerah|kota|kabupaten|"
    r"kab|provinsi|wilayah|sini)|(?:kabupaten|kab|kota|daerah|provinsi)\s+(?:lain|sebelah))\b"
    r"|\bbukan\s+(?:warga|penduduk|orang)\s+(?:sini|asli|kabupaten\s+ini|daerah\s+ini)\b|\bpendatang\b|\bperantau\b"
    r"|\b(?:not\s+from\s+here|not\s+a\s+(?:local|resident)|don'?t\s+live\s+here|visitor|tourist|visiting)\b")


def asks_not_from_here(text: str) -> bool:
    low = u.plain(text)
    return (len(low.split()) <= NEEDS_ID_WORDS and u.is_question(text) and bool(_NOT_FROM_HERE.search(low))
            and bool(TO_REPORT.search(low)))


# "aplikasi ini bagus tapi balasnya lama", "botnya oke tapi petugasnya lambat balas" (thirty-sixth trial: a complaint on
# unsure topics): praise with a but about the time answers take
_GOOD_BUT_SLOW = re.compile(
    r"\b(?:bagus|mantap|mantab|oke|ok|baik|keren|membantu|good|great|nice|helpful)\b.{0,30}\b(?:tapi|tp|tetapi|namun|"
    r"cuma|hanya|but)\b.{0,30}\b(?:lama|lambat|lemot|lelet|slow|takes\s+(?:too\s+)?long)\b")
GOOD_BUT_SLOW_WORDS = 14


def praises_but_slow(text: str) -> bool:
    low = u.plain(text)
    return (len(low.split()) <= GOOD_BUT_SLOW_WORDS and bool(_GOOD_BUT_SLOW.search(low))
            and not PROBLEM_WORDS.search(low))


# "terima kasih pak, semoga cepat ditangani", "makasih, mudah-mudahan segera diperbaiki ya", "thanks, hope it gets fixed
# soon": thanks and a hope, just after filing, which tell the officer nothing
_THANKS_HOPE = re.compile(
    r"^(?:(?:ok|oke|baik|siap|iya|ya)\s+)?(?:pak\s+|bu\s+|min\s+)?(?:terima\s*kasih|trima\s*kasih|makasih|makasi|mksh|"
    r"trims|thanks|thank\s+you|matur\s+nuwun|nuhun|hatur\s+nuhun)\b.{0,20}?\b(?:semoga|moga|mudah-mudahan|mudah2an|"
    r"mudahan|hopefully|hope|mugi|muga)\b(?:\s+\S+){0,6}$")


def thanks_and_hope(text: str) -> bool:
    low = u.plain(text)
    return bool(_THANKS_HOPE.match(low)) and not PROBLEM_WORDS.search(low)


# "kenapa harus pakai aplikasi, saya gaptek", "saya tidak bisa pakai hp": no app is needed, and who helps
_NO_APP = re.compile(
    r"\b(?:harus|wajib|mesti|perlu)\s+(?:pakai|pake|memakai|install|instal|unduh|download|lewat)\s+(?:\S+\s+)?"
    r"(?:aplikasi|app|apk|internet|smartphone|hp\s+android)\b|\bgaptek\b|\b(?:tidak|tdk|gak|ga|nggak|kurang)\s+"
    r"(?:bisa|paham|ngerti|mengerti)\s+(?:pakai|pake|main|menggunakan)?\s*(?:hp|aplikasi|internet|smartphone)\b")
NO_APP_WORDS = 14


def unsure_of_apps(text: str) -> bool:
    low = u.plain(text)
    return len(low.split()) <= NO_APP_WORDS and bool(_NO_APP.search(low)) and not PROBLEM_WORDS.search(low)


# "apakah bisa lapor untuk desa lain?", "boleh lapor masalah di kecamatan sebelah?", "can I report something in
# another village?": a place other than one's own village (thirty-fifth trial: the privacy FAQ)
_OTHER_VILLAGE = re.compile(
    r"\b(?:desa|kelurahan|dusun|kampung|kecamatan|wilayah|daerah|lingkungan|rt|rw|dukuh)\s+(?:lain|sebelah|tetangga)\b"
    r"|\bbukan\s+(?:di\s+)?(?:desa|kampung|wilayah|daerah|lingkungan|dusun|kelurahan)\s+(?:saya|sendiri|sy|ku|kami)\b"
    r"|\bluar\s+(?:desa|kampung|dusun|kelurahan|kecamatan)\b"
    r"|\b(?:another|other|neighbou?ring|different)\s+(?:village|district|area|neighbou?rhood)\b"
    r"|\b(?:desa|ndesa|deso)\s+(?:liya|liyane|sanes|sebelah)\b")


def asks_other_village(text: str) -> bool:
    """Whether a problem outside one's own village may be reported (it may, anywhere in the regency)."""
    low = u.plain(text)
    return (len(low.split()) <= NEEDS_ID_WORDS and u.is_question(text) and bool(_OTHER_VILLAGE.search(low))
            and bool(TO_REPORT.search(low)) and not _NOT_FROM_HERE.search(low))


# "saya ingin menyampaikan terima kasih kepada dinas pupr karena jalan di desa sooko sudah bagus", "makasih buat
# dishub, lampu alun-alun sekarang terang": appreciation of an office by someone with no open complaint there
# (twenty-eighth trial: a complaint about a damaged road began). Thanked, and passed to that office's officers.
_APPRECIATION = re.compile(
    r"\b(?:terima\s*kasih|trima\s*kasih|makasih|matur\s+nuwun|apresiasi|thank\s+you|thanks)\s+(?:\S+\s+){0,3}?"
    r"(?:kepada|kpd|untuk|utk|buat|ke|to)\b|\b(?:mengapresiasi|apresiasi|appreciate)\b"
    # "saya mau kasih pujian untuk petugas damkar yang cepat datang kemarin" (thirty-eighth trial: a fire complaint)
    r"|\b(?:pujian|jempol|acungan\s+jempol|salut|penghargaan|praise|compliments?|kudos)\s+(?:\S+\s+){0,2}?"
    r"(?:kepada|kpd|untuk|utk|buat|ke|to|for)\b|\b(?:memuji|muji|mau\s+puji|ingin\s+puji|compliment)\b")
# ... or thanks first, naming the office after it, with words of praise and none of a problem ("makasih dishub,
# lampunya sekarang terang")
_THANKS_FIRST = re.compile(r"^(?:\S+\s+){0,2}?(?:terima\s*kasih|trima\s*kasih|makasih|matur\s+nuwun|thank\s+you|"
                           r"thanks)\b"
                           # "pak saya mau mengucapkan terima kasih, jalan di desa kami sudah diaspal" (thirty-fifth
                           # trial: a complaint on unsure topics)
                           r"|^(?:\S+\s+){0,3}?(?:mau|ingin|hendak|izin|ijin)\s+(?:mengucapkan|menyampaikan|ngucapin|"
                           r"ngucapke|matur)\s+(?:banyak\s+)?(?:terima\s*kasih|trima\s*kasih|makasih|nuwun)\b")
_PRAISED = re.compile(r"\b(?:bagus|mulus|terang|bersih|cepat|sigap|tanggap|mantap|rapi|lancar|nyaman|good|great|"
                      r"clean|quick|fast|bright)\b")
_BUT = re.compile(r"\b(?:tapi|tetapi|namun|sayangnya|cuma|hanya\s+saja|sayang|but|however|although)\b")
_ASKS_FOR = re.compile(r"\b(?:mohon|tolong|minta|harap|segera|please|pls|mbok)\b")
APPRECIATION_WORDS = 40
_PASS_ON_THANKS = re.compile(r"\b(?:tolong|mohon|minta|please|pls)\s+(?:di)?(?:sampaikan|sampekan|teruskan|ucapkan|"
                             r"pass\s+on|convey|send)\b")


def appreciation_for(turn: Turn, text: str) -> Opd | None:
    """The office a message of thanks names, or None (a complaint after a "but", a question, no office named)."""
    return office_named(turn, text) if is_appreciation(text) else None


def is_appreciation(text: str) -> bool:
    """Thanks and praise, and nothing asked nor a problem told."""
    low = u.plain(text)
    thanked = bool(_APPRECIATION.search(low)) or (bool(_THANKS_FIRST.match(low))
                                                  and bool(_PRAISED.search(low) or _FIXED_NOW.search(low)))
    # ("terima kasih kepada dinas pupr, mohon jalan di desa puri juga diperbaiki" asks for something: a complaint; so
    # does one that tells of a problem without saying it is fixed)
    # ("tolong sampaikan terima kasih ke petugas pupr …": forty-second trial, a complaint on unsure topics; the
    # "tolong" asks only that the thanks be passed on)
    asked = _PASS_ON_THANKS.sub(" ", low)
    if (len(low.split()) > APPRECIATION_WORDS or not thanked or _BUT.search(low) or u.is_question(text)
            or says_not_fixed(text) or _ASKS_FOR.search(asked)
            or (PROBLEM_WORDS.search(low) and not _FIXED_NOW.search(low))):
        return False
    return True


async def pass_appreciation(turn: Turn, text: str, opd: Opd) -> None:
    """The thanks, to the officers of `opd` (each in their language), and the resident told so."""
    from actions.common import opd_recipients

    recipients = await opd_recipients(turn, opd.id)
    for key in recipients:
        lang = await staff_lang(turn, key)
        turn.deliver(key, [Reply(turn.t("appreciation_card", lang, text=shorten(text, 600)))],
                     f"appreciation:{opd.id}")
    # (an office with no one enrolled yet: thanked, without saying it reached anyone)
    turn.say("appreciation_passed" if recipients else "appreciation_noted", turn.menu_buttons(), opd=opd.short)


# "bisa dicetak?", "bukti laporannya bisa diprint?", "can I print it?": a printed proof of a complaint (thirty-first
# trial: "not understood" right after the proof was explained); a letter's own print is the letter's (its PDF)
_PRINT = re.compile(r"\b(?:dicetak|cetak|cetakan|mencetak|nyetak|diprint|print|printout|ngeprint|ngeprin|printed)\b")
_LETTER_WORD = re.compile(r"\b(?:surat|suratnya|letter|sktm|skck|domisili|pengantar)\b")
PRINT_WORDS = 10


def asks_print(text: str) -> bool:
    low = u.plain(text)
    return (len(low.split()) <= PRINT_WORDS and u.is_question(text) and bool(_PRINT.search(low))
            and not _LETTER_WORD.search(low))


def asks_cost(text: str) -> bool:
    low = u.plain(text)
    return (len(low.split()) <= 12 and u.is_question(text) and bool(_COST.search(low))
            and bool(_THIS_SERVICE.search(low)))


# "pak saya sudah lapor lewat lapor.go.id tapi belum ada jawaban, nomor laporannya 1234567": a report made at
# SP4N-LAPOR! itself, which this service cannot see (nineteenth trial)
_AT_LAPOR = re.compile(r"\blapor\.go\.id\b|\bsp4n\b|\bsp4n[- ]lapor\b|\b(?:aplikasi|app|web|website|situs)\s+lapor\b"
                       r"|\blapor!")
_LAPOR_NUMBER = re.compile(r"\b\d{5,10}\b")


def reported_at_lapor(text: str) -> bool:
    return bool(_AT_LAPOR.search(text.lower()))


def lapor_number_in(text: str) -> str | None:
    """The SP4N-LAPOR! tracking number a message names, if one."""
    found = _LAPOR_NUMBER.search(text)
    return found.group(0) if found else None


def answer_reported_at_lapor(turn: Turn, text: str) -> None:
    """Where such a report is followed (lapor.go.id and its app, with its tracking number), and the offer to tell
    the matter here, naming that number, so that the office gets it from us too."""
    number = lapor_number_in(text)
    turn.say("reported_at_lapor", [turn.button("menu_complaint", "/aduan")],
             number=turn.t("reported_at_lapor_number", number=number) if number else "")


# "apakah bisa lapor atas nama orang lain? ibu saya tidak bisa pakai hp", "can I report for my mother?"
_FOR_OTHER = re.compile(
    r"\b(?:lapor|melapor|laporkan|melaporkan|mengadu|ngadu|aduan|report|complain)\w*\s+(?:\S+\s+){0,2}?(?:atas\s+nama|"
    r"mewakili|wakil(?:i|kan)?|untuk|buat|utk|for|on\s+behalf\s+of)\s+(?:orang\s+lain|ibu|bapak|ayah|ortu|orang\s+tua|"
    r"tetangga|nenek|kakek|mbah|simbah|keluarga|saudara|warga|anak|suami|istri|someone\s+else|my\s+\w+)\b"
    r"|\b(?:diwakilkan|diwakili|mewakilkan)\b.*\b(?:lapor|melapor|aduan|laporan)\w*\b"
    # "warga saya mau lapor tapi tidak punya hp, bisa lewat saya?" (thirty-second trial: unsure topics)
    r"|\b(?:lapor|melapor|ngadu|mengadu|report)\w*\b.{0,50}\b(?:lewat|melalui|via|pakai|pake|through|using)\s+(?:saya|sy|"
    r"aku|hp\s+saya|nomor\s+saya|me|my\s+phone)\b")
FOR_OTHER_WORDS = 20


def asks_report_for_other(text: str) -> bool:
    low = u.plain(text)
    # ("bisa lapor atas nama orang lain? ibu saya tidak punya hp": the question mark inside, then why)
    return len(low.split()) <= FOR_OTHER_WORDS and (u.is_question(text) or "?" in text or low.startswith(
        ("bisa ", "boleh ", "can ", "may "))) and bool(_FOR_OTHER.search(low))


# "apakah benar ada bantuan Rp 600 ribu dari pemerintah? saya dapat sms suruh klik link", "dapat WA katanya menang
# undian dari pemkab" (thirty-eighth trial: offered to the offices as a question): a message received that reads as a
# scam
_RECEIVED = re.compile(r"\b(?:sms|wa|whatsapp|pesan|chat|telepon|telpon|ditelepon|ditelpon|dichat|message|text|call|"
                       r"called|email|e-mail|dm|inbox)\b")
_SCAM_SIGNS = re.compile(r"\b(?:klik|link|tautan|url|transfer|tf|kode\s+otp|otp|pin|undian|hadiah|menang|pemenang|"
                         r"biaya\s+admin|biaya\s+pencairan|apk|aplikasi|click|prize|won|winner|lottery)\b")
_ASKS_TRUE = re.compile(r"\b(?:apa(?:kah)?\s+(?:benar|bener|betul|asli|resmi)|benarkah|beneran|"
                        r"asli\s+(?:gak|nggak|ga|tidak|"
                        r"atau)|resmi\s+(?:gak|nggak|ga|tidak|atau)|is\s+(?:it|this)\s+(?:real|true|legit|official)|hoax|"
                        r"hoaks|penipuan|tipu|scam)\b")
SCAM_WORDS = 40


def asks_about_scam(text: str) -> bool:
    low = u.plain(text)
    return (len(low.split()) <= SCAM_WORDS and bool(_RECEIVED.search(low)) and bool(_SCAM_SIGNS.search(low))
            and bool(_ASKS_TRUE.search(low) or u.is_question(text)))


# "pak saya mau lapor, tapi saya bukan warga sini, cuma lewat", "I'm not from here, can I still report?": anyone may
# report a problem in the regency (thirty-eighth trial: a complaint begun on unsure topics)
_OUTSIDER = re.compile(r"\bbukan\s+(?:warga|penduduk|orang)\s+(?:sini|daerah\s+sini|kabupaten\s+ini|sini\s+pak|asli)\b|"
                       r"\b(?:cuma|hanya|cuman|sekedar|sekadar)\s+(?:lewat|mampir|numpang\s+lewat|berkunjung|liburan)\b|"
                       r"\bnot\s+from\s+here\b|\b(?:don'?t|do\s+not)\s+live\s+here\b|\bjust\s+passing\s+(?:through|by)\b|"
                       r"\b(?:wisatawan|turis|tourist|pendatang)\b")


def outsider_wants_to_report(text: str) -> bool:
    low = u.plain(text)
    return (len(low.split()) <= 20 and bool(_OUTSIDER.search(low)) and bool(TO_REPORT.search(low))
            and not PROBLEM_WORDS.search(low))


# "ini nomor resmi pemkab bukan? takut penipuan", "is this the official number?": this service's own standing, and
# what it never asks for (nineteenth trial; scams in the government's name come by WhatsApp too)
_OFFICIAL = re.compile(
    r"\b(?:nomor|nomer|no|akun|layanan|bot|wa|whatsapp|chat|ini|nomer\s+ini|this|number|account)\b(?:\s+\S+){0,3}?\s+"
    r"(?:resmi|asli|official|real|genuine|legit)\b|\b(?:resmi|asli|official|genuine)\s+(?:dari\s+)?(?:pemkab|pemda|"
    r"pemerintah|pemkot|government)\b|\b(?:bukan|not)\s+(?:penipuan|penipu|scam|hoax|hoaks)\b")
OFFICIAL_WORDS = 20  # "excuse me, is this the official government chat? how do I know this is not a scam?" (17)


def asks_official(text: str) -> bool:
    low = u.plain(text)
    return (len(low.split()) <= OFFICIAL_WORDS and bool(_OFFICIAL.search(low))
            and (u.is_question(text) or bool(re.search(r"\b(?:takut|khawatir|penipuan|scam|bukan|kah)\b", low))))


def answer_official(turn: Turn) -> None:
    turn.say("official_service", turn.menu_buttons(), regency=turn.directory.regency_name)


# "siapa kepala dinas PUPR sekarang?", "who heads DLH?": who heads one named office (twenty-sixth trial: offered
# complaint topics); this service keeps no officials' names, and says so beside the office's contact.
_OFFICE_HEAD = re.compile(r"\bsiapa\s+(?:nama\s+)?(?:kepala|kadis|kadin|kepalanya|pimpinan|pimpinannya)\b"
                          r"|\bwho\s+(?:is\s+)?(?:heads?|runs|the\s+head)\b")
# "di mana alamat kantor dukcapil?", "jam buka dinsos sampai jam berapa?", "nomor wa dinsos berapa?", "where is the
# RSUD?": where, when or how to reach one named office. Its `office` line in the directory, else the regency's contact.
_OFFICE_ASK = re.compile(
    r"\b(?:alamat\w*|lokasi\w*|letak\w*|di\s*mana\w*|dmn|ning\s+endi|wonten\s+pundi|jam\s+(?:buka|layanan|kerja|"
    r"operasional|pelayanan|berapa|brp|pinten|pira)|(?:buka|bukak)\s+(?:jam|hari|sampai|sampe|gak|tidak|nggak|ga|gk|ndak)|"
    r"tutup\s+(?:jam|hari)|"
    r"(?:buka|open)\s+(?:on\s+)?(?:sabtu|minggu|saturday|sunday)|(?:sabtu|minggu)\s+(?:buka|bukak|tutup)|"
    # "hari ini kantor dukcapil buka?", "is it open tomorrow?" (twenty-eighth trial: offered to an office as a question)
    r"(?:hari\s+ini|besok|besuk|lusa|sekarang|today|tomorrow)\s+(?:\S+\s+){0,3}?(?:buka|bukak|open)|"
    r"(?:buka|bukak|open)\s+(?:\S+\s+)?(?:hari\s+ini|besok|besuk|lusa|sekarang|today|tomorrow)|nomor|nomer|no\s+(?:telp\w*|tlp|hp|wa)|kontak\w*|"
    r"telp|telepon|tlp|where|address|opening|hours|phone|number)\b|" + _OFFICE_HEAD.pattern)
OFFICE_WORDS = 14


def asks_office(turn: Turn, text: str, parse: dict[str, Any] | None) -> Opd | None:
    """The one office a short question asks the address, hours or number of; None for anything else (a complaint
    about the office, "dukcapil buka jam 8 tapi petugasnya datang jam 10", is read as the NLU reads it)."""
    low = u.plain(text)
    if len(low.split()) > OFFICE_WORDS or not _OFFICE_ASK.search(low):
        return None
    intent = u.intent_of(parse)
    if intent in turn.directory.routing and not text.rstrip().endswith("?"):
        return None
    named = agencies_of((parse or {}).get("entities") or [], text)
    named |= {o.id for o in turn.directory.opds.values()
              if any(re.search(rf"(?<!\w){re.escape(n)}(?!\w)", low) for n in (u.plain(o.short), o.id))}
    # "dimana rumah sakit terdekat?", "where is the nearest hospital?" (thirty-second trial: FAQs on housing permits)
    named |= {office for word, office in _PLAIN_OFFICE_WORDS.items() if re.search(rf"\b{word}\b", low)}
    offices = [turn.directory.opds[n] for n in named if n in turn.directory.opds]
    if not offices and len(low.split()) <= OFFICE_FOLLOW_WORDS:  # "kalau hari sabtu buka?" just after the answer
        last = turn.state.get(LAST_OFFICE_KEY)
        if isinstance(last, dict) and last.get("opd") in turn.directory.opds and \
                turn.now - datetime.fromisoformat(str(last.get("at"))) <= timedelta(minutes=OFFICE_FOLLOW_MINUTES):
            return turn.directory.opds[str(last["opd"])]
    return offices[0] if len(offices) == 1 else None


_PLAIN_OFFICE_WORDS = {"rumah sakit": "rsud", "hospital": "rsud"}  # everyday words for the one office of that kind
LAST_OFFICE_KEY = "last_office"  # conversation state: the office whose address and hours were just given
OFFICE_FOLLOW_WORDS = 8
OFFICE_FOLLOW_MINUTES = 30


_DAYS = ("senin", "selasa", "rabu", "kamis", "jumat", "sabtu", "minggu")
_DAY_ASKED = {"senin": 0, "monday": 0, "selasa": 1, "tuesday": 1, "rabu": 2, "wednesday": 2, "kamis": 3, "thursday": 3,
              "jumat": 4, "jum'at": 4, "friday": 4, "sabtu": 5, "saturday": 5, "minggu": 6, "ahad": 6, "sunday": 6}


def open_days(office: str) -> set[int] | None:
    """The weekdays (0 is Monday) an office's directory line says it is open ("Senin-Kamis …, Jumat …": 0-4); None
    when it names no day."""
    low = office.lower().replace("jum'at", "jumat")
    days: set[int] = set()
    for found in re.finditer(rf"\b({'|'.join(_DAYS)})\b(?:\s*[-–]\s*\b({'|'.join(_DAYS)})\b)?", low):
        first, last = _DAYS.index(found.group(1)), _DAYS.index(found.group(2) or found.group(1))
        days.update(range(first, last + 1) if first <= last else [first])
    return days or None


# "kantor bupati dimana?", "alamat kantor pemkab?", "where is the regent's office?" (twenty-ninth trial: FAQs on
# opening hours, vehicle tax and vehicle testing to pick from)
_REGENT_OFFICE = re.compile(
    r"\bkantor\s+(?:pak\s+|bu\s+)?(?:bupati|wali\s*kota|walikota|pemkab|pemda|pemerintah\s+kabupaten|kabupaten)\b"
    r"(?:\s+\S+){0,3}?\s+(?:dimana|di\s+mana|mana|alamat\w*|lokasi\w*|letak\w*)\b"
    r"|\b(?:alamat|lokasi|letak)(?:nya)?\s+kantor\s+(?:pak\s+)?(?:bupati|wali\s*kota|walikota|pemkab|pemda)\b"
    r"|\b(?:di\s*mana|dimana)\s+(?:\S+\s+)?kantor\s+(?:pak\s+)?(?:bupati|wali\s*kota|walikota|pemkab|pemda)\b"
    r"|\bwhere\s+is\s+the\s+(?:regent'?s?|regency|mayor'?s?)\s+office\b")


# "is the regent's office open on saturday?", "kantor bupati buka hari sabtu?" (thirty-fifth trial: offered to the
# offices as a question): the regency's opening hours
_REGENCY_HOURS = re.compile(
    r"\b(?:regent'?s?|regency|mayor'?s?|government|district)\s+offices?\s+(?:\S+\s+)?(?:open|opening|hours|closed)\b"
    r"|\bkantor\s+(?:pak\s+|bu\s+)?(?:bupati|wali\s*kota|walikota|pemkab|pemda)\s+(?:\S+\s+)?(?:buka|tutup|libur|"
    r"jam\s+(?:buka|kerja|layanan))\b")


def asks_regency_hours(text: str) -> bool:
    low = u.plain(text)
    return len(low.split()) <= 12 and u.is_question(text) and bool(_REGENCY_HOURS.search(low))


def asks_regent_office(text: str) -> bool:
    low = u.plain(text)
    return len(low.split()) <= 12 and bool(_REGENT_OFFICE.search(low))


def answer_regent_office(turn: Turn) -> None:
    """Where the regent's office is reached: the regency's contact as the directory holds it, and that a message to
    the regent can be written here."""
    buttons = [turn.button("menu_regent", "/bupati")]
    if turn.directory.contact:
        turn.say("regent_office", buttons, regent=turn.directory.regent_title, contact=turn.directory.contact)
    else:
        turn.say("regent_office_chat_only", buttons, regent=turn.directory.regent_title)


# "apakah saya bisa ketemu langsung dengan bupati?", "can I meet the regent?" (thirty-fifth trial: the status of the
# message just sent to him)
_MEET_REGENT = re.compile(
    r"\b(?:ketemu|bertemu|menemui|ketemuan|jumpa|berjumpa|sowan|pethuk|kepanggih|meet|see|audiensi|menghadap)\s+"
    r"(?:\S+\s+){0,3}?(?:bupati|wali\s*kota|walikota|regent|mayor)\b"
    r"|\baudiensi\b.{0,30}\b(?:bupati|wali\s*kota|walikota|regent|mayor)\b")


def asks_meet_regent(text: str) -> bool:
    low = u.plain(text)
    return len(low.split()) <= 16 and bool(_MEET_REGENT.search(low))


def answer_meet_regent(turn: Turn) -> None:
    """How to meet the regent (an audience asked of his office, which sets the day), and that a written message
    reaches him from here."""
    buttons = [turn.button("menu_regent", "/bupati")]
    turn.say("meet_regent" if turn.directory.contact else "meet_regent_chat_only", buttons,
             regent=turn.directory.regent_title, contact=turn.directory.contact)


def _emergency_line_of(turn: Turn, opd: Opd) -> str | None:
    """The emergency number the directory lists for `opd` ("Pemadam Kebakaran Kab. Warga" for Damkar, "BPBD Kab.
    Warga" for BPBD), if any."""
    name = u.plain(opd.name)
    for n in turn.directory.emergency_numbers:
        listed = u.plain(n.name)
        first = " ".join(listed.split()[:2])
        if re.search(rf"\b{re.escape(u.plain(opd.short))}\b", listed) or (len(first.split()) == 2 and first in name):
            return n.number
    return None


def answer_office(turn: Turn, opd: Opd) -> None:
    turn.state[LAST_OFFICE_KEY] = {"opd": opd.id, "at": turn.now.isoformat()}
    if _OFFICE_HEAD.search(u.plain(turn.message.text)):  # officials change; this service keeps no names of them
        turn.say("office_head_unknown", name=opd.name)
    low = turn.message.text.lower()
    asked = [d for w, d in _DAY_ASKED.items()  # ("minggu depan" is next week, no Sunday)
             if re.search(rf"\b{re.escape(w)}\b(?!\s+(?:ini|depan|lalu|kemarin|besok|ke|pertama|kedua|terakhir))", low)]
    on = _day_asked(turn, low) if not asked else None  # "hari ini", "besok": that date
    if on is not None:
        asked = [on.weekday()]
    days = open_days(opd.office) if opd.office and len(set(asked)) == 1 else None
    holiday = turn.services.calendar.holiday_name(on) if on is not None else None
    if days is not None and asked[0] not in days:
        # "jam berapa kantor disdukcapil buka hari sabtu?": closed that day, said first (twenty-seventh trial: the
        # hours alone, the Saturday left to be worked out); "hari ini buka?" on a Sunday alike
        turn.say("office_closed_day", short=opd.short, day=turn.t(f"weekday_{asked[0]}"))
    elif days is not None and holiday:
        turn.say("office_closed_holiday", short=opd.short, day=turn.t(f"weekday_{asked[0]}"), holiday=holiday)
    line = _emergency_line_of(turn, opd)
    if line is not None:  # "minta nomor telepon damkar": its emergency number first (thirty-seventh trial: the
        turn.say("office_emergency_line", short=opd.short, number=line)  # regency's office line only)
    if opd.office:
        turn.say("office_info", turn.menu_buttons(), name=opd.name, short=opd.short, office=opd.office)
    elif turn.directory.contact:
        turn.say("office_unknown", turn.menu_buttons(), name=opd.name, short=opd.short, contact=turn.directory.contact)
    else:
        turn.say("office_unknown_chat_only", turn.menu_buttons(), name=opd.name, short=opd.short)


_RELATIVE_DAYS = (("lusa", 2), ("besok", 1), ("besuk", 1), ("tomorrow", 1), ("hari ini", 0), ("sekarang", 0),
                  ("today", 0))


# "jam berapa sekarang?", "hari ini tanggal berapa?", "what time is it?": the regency's clock
_TIME_ASKED = re.compile(r"^(?:(?:maaf|pak|bu|min|kak|mas|mbak)\s+)*(?:(?:sekarang|skrg)\s+)?(?:jam|pukul)\s+"
                         r"(?:berapa|brp)"
                         r"(?:\s+(?:sekarang|skrg|ya|pak|bu|min|kak|di\s+sana|disana))*$"
                         r"|^(?:(?:maaf|pak|bu|min|kak)\s+)*(?:hari\s+ini|sekarang|skrg)\s+(?:tanggal|tgl|hari)\s+(?:berapa|brp|apa)"
                         r"(?:\s+(?:ya|pak|bu|min|kak))*$"
                         r"|^(?:tanggal|tgl)\s+(?:berapa|brp)\s+(?:hari\s+ini|sekarang|skrg)(?:\s+(?:ya|pak|bu|min|kak))*$"
                         r"|^what\s+(?:time|day|date)\s+is\s+(?:it|today)(?:\s+(?:now|today|there))?$"
                         r"|^what'?s\s+(?:the\s+)?(?:time|date)(?:\s+(?:now|today))?$")
_ZONES = {"Asia/Jakarta": "WIB", "Asia/Pontianak": "WIB", "Asia/Makassar": "WITA", "Asia/Jayapura": "WIT"}


# "saya mau kasih masukan untuk aplikasi ini", "ada saran buat chatbot ini", "feedback on this app": words about this
# service itself, for its operators (thirty-seventh trial: "not understood", then the help)
_FEEDBACK_WISH = re.compile(r"\b(?:komplain|keluhan|protes|complain\w*)\s+(?:\S+\s+){0,2}?(?:bot|botnya|chatbot|"
                            # "saya mau komplain soal bot ini, jawabannya gak nyambung" (forty-first trial: "not
                            # understood"); not "keluhan soal sistem PPDB", a complaint
                            r"robot|(?:aplikasi|sistem|layanan)\s+(?:ini|chat))\b"
                            r"|\b(?:masukan|saran|kritik|kritikan|usul|usulan|feedback|suggestions?)\b.{0,30}?"
                            r"\b(?:aplikasi|aplikasinya|layanan\s+ini|bot|botnya|chatbot|sistem|sistemnya|app|this\s+"
                            r"(?:service|app|bot|chat))\b")
FEEDBACK_KEY = "feedback_asked"  # state: when the resident was asked to write their words about the service
FEEDBACK_MINUTES = 30
FEEDBACK_WISH_WORDS = 10  # a wish this short carries no words of the feedback itself ...
FEEDBACK_SAID_WORDS = 3  # ... unless this many follow it ("…, jawabannya gak nyambung")


def wants_to_give_feedback(text: str) -> bool:
    return len(text.split()) <= 40 and bool(_FEEDBACK_WISH.search(u.plain(text)))


async def take_feedback(turn: Turn, text: str) -> None:
    """The resident's words about this service go to its operators (none there: kept in the log only), and they are
    thanked; a wish alone ("saya mau kasih masukan untuk aplikasi ini") asks for the words first."""
    wish = _FEEDBACK_WISH.search(u.plain(text))
    said = u.plain(text)[wish.end():].split() if wish else []
    if len(text.split()) <= FEEDBACK_WISH_WORDS and wants_to_give_feedback(text) and len(said) < FEEDBACK_SAID_WORDS:
        turn.state[FEEDBACK_KEY] = turn.now.isoformat()
        turn.say("feedback_ask")
        return
    turn.state.pop(FEEDBACK_KEY, None)
    for key in await operator_recipients(turn):
        lang = await staff_lang(turn, key)
        turn.deliver(key, [Reply(turn.t("feedback_to_operator", lang, channel=turn.message.channel,
                                         text=mask_nik_in(text[:2000])))], "feedback")
    turn.say("feedback_thanks", turn.menu_buttons())


def feedback_awaited(turn: Turn) -> bool:
    """The resident was asked for their words about the service within FEEDBACK_MINUTES."""
    fresh = stamped_within(turn.state.get(FEEDBACK_KEY), turn.now, FEEDBACK_MINUTES)
    if not fresh:
        turn.state.pop(FEEDBACK_KEY, None)
    return fresh


# "kalau lapor di sini beneran ditindaklanjuti gak sih?", "is anything actually done about reports here?": whether
# reporting here leads anywhere (thirty-seventh trial: offered to the offices as a question)
_FOLLOWED_UP = re.compile(r"\b(?:beneran|benar|betul|bener|pasti|sungguh|really|actually)\s+(?:\S+\s+)?(?:di)?"
                          r"(?:tindaklanjuti|tanggapi|proses|respon|urus|tangani|baca|followed\s+up|handled|read|done)\b"
                          r"|\b(?:ditindaklanjuti|ditanggapi|direspon|diproses|diurus|ditangani)\s+(?:beneran|benar|betul|"
                          r"gak|nggak|tidak|ga|atau\s+(?:tidak|gak|nggak))\b")
_HERE = re.compile(r"\b(?:lapor|melapor|laporan|aduan|ngadu|mengadu|report\w*|complain\w*)\b")


def asks_if_followed_up(text: str) -> bool:
    low = u.plain(text)
    return (len(low.split()) <= 16 and u.is_question(text) and bool(_FOLLOWED_UP.search(low))
            and bool(_HERE.search(low)))


def asks_time(text: str) -> bool:
    return bool(_TIME_ASKED.match(u.plain(text).replace("?", "").strip()))


def answer_time(turn: Turn) -> None:
    """The regency's date and time ("jam berapa sekarang?": thirty-seventh trial, FAQs to pick from)."""
    local = turn.now.astimezone(turn.services.calendar.tz)
    zone = _ZONES.get(str(turn.services.calendar.tz), "")
    turn.say("time_now", turn.menu_buttons(), time=f"{local:%H.%M} {zone}".strip(),
             date=format_date(turn, turn.now))


# "besok kantor dinas buka gak? kan tanggal merah", "hari sabtu pelayanan buka?": whether offices open that day
_OPEN_ASKED = re.compile(r"\b(?:buka|tutup|libur|masuk|melayani|beroperasi|open|closed)\b")
_OFFICE_WORDS = re.compile(r"\b(?:kantor|dinas|pelayanan|layanan|pemkab|pemda|kecamatan|kelurahan|desa|mpp|"
                           r"mal\s+pelayanan|"
                           r"offices?|government)\b")


async def answer_open_day(turn: Turn, text: str) -> bool:
    """Whether government offices open on the day a question names (today, tomorrow, a weekday), by the regency's
    calendar of holidays; False when it names no day, no office, or one office (`answer_office` tells its hours)."""
    low = u.plain(text)
    if (len(low.split()) > 14 or not (u.is_question(text) or "?" in text) or not _OPEN_ASKED.search(low)
            or not _OFFICE_WORDS.search(low)):
        return False
    on = _day_asked(turn, low)
    if on is None:
        asked = [d for w, d in _DAY_ASKED.items() if re.search(rf"\b{re.escape(w)}\b(?!\s+(?:ini|depan|lalu))", low)]
        if len(set(asked)) != 1:
            return False
        today = turn.services.calendar.local_date(turn.now)
        on = today + timedelta(days=(asked[0] - today.weekday()) % 7)
    calendar = turn.services.calendar
    day = format_date(turn, datetime.combine(on, datetime.min.time(), calendar.tz))
    if calendar.is_working_day(on):
        turn.say("open_day_working", turn.menu_buttons(), day=day)
    else:
        holiday = calendar.holiday_name(on)
        turn.say("open_day_closed", turn.menu_buttons(), day=day,
                 why=turn.t("open_day_holiday", holiday=holiday) if holiday else turn.t("open_day_weekend"))
    return True


def _day_asked(turn: Turn, low: str) -> date | None:
    """The date "hari ini", "besok" or "lusa" names, as the regency's calendar reads today."""
    today = turn.services.calendar.local_date(turn.now)
    for words, ahead in _RELATIVE_DAYS:
        if re.search(rf"\b{words}\b", low):
            return today + timedelta(days=ahead)
    return None


# "no tiket sy 2612-0001", "laporan 2612 0001": the ticket number without its prefix, said to be one
# (a serial typed short, "WRG-2612-1": thirty-third trial, passed to the officers as words on the ticket)
_BARE_NUMBER = re.compile(r"\b([2-9]\d(?:0[1-9]|1[0-2]))[-. ]?(\d{4,6})\b|\b([2-9]\d(?:0[1-9]|1[0-2]))-(\d{1,3})\b")
_SAYS_A_NUMBER = re.compile(r"\b(?:tiket|tiketnya|nomor|nomer|no|nmr|laporan|aduan|ticket|number|report)\b")


async def own_number_without_prefix(turn: Turn, text: str) -> str | None:
    """One of the resident's own ticket numbers typed without its prefix, beside a word saying it is a number."""
    low = u.plain(text)
    if len(low.split()) > STATUS_QUESTION_WORDS or not _SAYS_A_NUMBER.search(low):
        return None
    typed = {f"{m.group(1) or m.group(3)}-{(m.group(2) or m.group(4)).zfill(4)}" for m in _BARE_NUMBER.finditer(text)}
    if not typed:
        return None
    mine = await turn.store.recent_tickets(turn.identity.key, STATUS_LOOK_BACK)
    found = [t.number for t in mine if t.number.split("-", 1)[-1] in typed]
    return found[0] if len(found) == 1 else None
