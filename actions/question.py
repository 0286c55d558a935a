"""A question the FAQ cannot answer, asked of the office that can (SP4N-LAPOR!'s "permintaan informasi").

Real messages to a regency are often questions no FAQ holds: "apakah surat pengganti ijazah bisa diwakilkan?",
"mohon info GSB di jalan Pujowiyoto berapa meter?", "mau tanya, rekrutmen PPPK kapan dibuka?". Instead of "Maaf,
saya belum memahami" or a list of complaint topics, the resident is offered to send the question to the likeliest
offices (or to the operators, who choose one). It becomes a ticket like a complaint, marked as a question
(`REQUEST_KEY`), with no place or photo asked: the office answers it with /balas and closes it with /selesai, within
its usual deadline, and the resident is asked whether it was answered.
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from typing import Any

from actions import understand as u
from actions.base import ROLE_RESIDENT, Turn, command
from actions.common import TO_LAPOR, format_date, notify_opd, opd_name
from actions.sla import triage_deadline
from bot.message import Button
from bot.store.base import STATUS_NEW, STATUS_TRIAGE, Ticket
from nlu.engine import OUTSIDE_AUTHORITY
from nlu.result import ParseResult

#: Ticket `extra` key and value of a question to an office (a complaint has none).
REQUEST_KEY = "request"
INFORMATION = "informasi"
#: The question waiting for the resident to pick an office, and how long it waits.
DRAFT_KEY = "question_draft"
DRAFT_HOURS = 24
#: When the offices were just offered: the next message may choose one in words ("1", "dinas sosial", "lainnya").
OFFERED_KEY = "question_offered"
OFFERED_MINUTES = 30
#: The last offer taken: {"number": the question's ticket, or None when it went on as a complaint}. An old
#: "Tanyakan ke …" button pressed later is told the offer is no longer valid (and where the question went).
USED_KEY = "question_offer_used"
MIN_WORDS = 4
MIN_SAID = 3  # words beyond "mau tanya" and fillers: "mau tanya dong min" asks nothing yet (/tanya asks for it)
_FILLERS = frozenset("dong min admin pak bu mas mbak kak sih ya yah nih deh gan sis om bang".split())
OFFICES = 3
LEAST_SHARE = 0.05  # an office the routing gives less than this is no likely one

# "mau tanya", "mohon info", "apakah", "bisakah": asking, not reporting. With these, a message the NLU cannot place
# among complaints is offered as a question; without them, only one that ends in "?" or starts with a question word.
_ASKING = re.compile(
    r"\b(?:(?:mau|ingin|mo|mau\s+ikut|pengen|pingin|izin|ijin|numpang|boleh)\s+(?:tanya|bertanya|menanyakan|nanya|"
    # ("mhn info syrat nikah di kua": fortieth trial, "not understood")
    r"takon|nyuwun\s+pirsa)|(?:mohon|mhn|mohn)\s+(?:info|informasi|infonya|informasinya|penjelasan|penjelasannya|pencerahan|"
    r"petunjuk)|(?:minta|meminta)\s+(?:info|informasi|infonya|penjelasan)|apakah|bisakah|bolehkah|adakah|"
    r"would\s+like\s+to\s+ask|i\s+want\s+to\s+ask|may\s+i\s+ask|can\s+you\s+tell\s+me)\b"
)


# Saying outright that it is a question ("mau tanya", "mohon info", "pertanyaan saya"): offered as one even when a
# complaint topic fits it well ("mau tanya, apakah dana desa bisa untuk membangun masjid?" is not a complaint).
_ASKING_OUTRIGHT = re.compile(
    r"\b(?:(?:mau|ingin|mo|pengen|pingin|izin|ijin|numpang|boleh)\s+(?:tanya|bertanya|menanyakan|nanya|takon)|"
    # Javanese: "nyuwun pirsa", "badhe tanglet", "arep takon" (thirty-ninth trial: "nyuwun pirsa, ngurus akta lair
    # niku teng pundi nggih?" was begun as a complaint on birth certificates)
    r"nyuwun\s+pirsa|(?:badhe|bade|ajeng|tumut|nderek)\s+(?:tanglet|nyuwun\s+pirsa)|(?:arep|meh|pengen|kepengin)\s+takon|"
    r"mohon\s+(?:info|informasi|infonya|informasinya|penjelasan|penjelasannya)|"
    r"(?:minta|meminta)\s+(?:info|informasi|penjelasan)|mengajukan\s+pertanyaan|permintaan\s+informasi|"
    r"pertanyaan\s+(?:saya|kami|untuk|tentang|mengenai|terkait)|would\s+like\s+to\s+ask|i\s+want\s+to\s+ask|"
    r"may\s+i\s+ask)\b"
)


# "saya ingin melaporkan gangguan kebisingan … apakah memang begitu??": the resident says it is a report; a question
# inside it is part of the complaint.
_REPORTING = re.compile(
    r"\b(?:melaporkan|mengadukan|mengadu|(?:mau|ingin|akan|hendak|izin|ijin|mo|pengen)\s+(?:lapor|melapor|ngadu)|"
    r"(?:laporan|pengaduan|aduan|keluhan)\s+(?:ini|saya|kami)|i\s+(?:want|would\s+like)\s+to\s+(?:report|complain))\b"
)


# "mohon maaf pak bupati, apakah ada bantuan modal usaha untuk umkm?", "adakah beasiswa untuk anak petani?": whether
# a programme exists, asked (thirty-ninth trial: filed as a complaint on cooperatives and small business)
_PROGRAMME_ASKED = re.compile(
    r"\b(?:apakah|apa|apa\s+saja|adakah|is\s+there|are\s+there|any)\s+(?:ada\s+|masih\s+ada\s+|sudah\s+ada\s+|tersedia\s+|"
    r"an?\s+)?(?:program|bantuan|subsidi|beasiswa|pelatihan|hibah|kredit|pinjaman|modal|kuota|lowongan|grant|"
    r"scholarship|subsid\w*|training|loan|aid|assistance|"
    # "is there a bus from the terminal to the beach?" (thirty-ninth trial: a complaint on public transport)
    r"bus|bis|angkot|angkutan|kereta|train|shuttle|jadwal|schedule|rute|route|trayek)\b")


def asks_programme(text: str) -> bool:
    """Whether `text` asks if a programme or aid exists ("apakah ada bantuan modal usaha untuk umkm?")."""
    return bool(_PROGRAMME_ASKED.search(u.plain(text))) and is_question(text) and not reports(text)


def reports(text: str) -> bool:
    """Whether `text` says it is a report ("saya ingin melaporkan …", "laporan ini …")."""
    return bool(_REPORTING.search(u.plain(text)))


def asks_outright(text: str) -> bool:
    """Whether `text` says outright it is a question ("mau tanya …", "mohon info …", "pertanyaan saya …")."""
    return bool(_ASKING_OUTRIGHT.search(u.plain(text))) and is_question(text)


def asks(text: str) -> bool:
    """Whether `text` says it is asking ("mau tanya …", "mohon info …", "apakah …")."""
    return bool(_ASKING.search(u.plain(text)))


def is_question(text: str) -> bool:
    """A question of some length: it asks, ends in "?", or starts with a question word; and says what it asks
    beyond "mau tanya" ("mau tanya dong min" is not one yet)."""
    plain = u.plain(text)
    said = [w for w in _ASKING.sub(" ", plain).split() if w not in _FILLERS]
    return (len(plain.split()) >= MIN_WORDS and len(said) >= MIN_SAID
            and (asks(text) or "?" in text or u.starts_with_question(text)))


def likely_offices(turn: Turn, parse: dict[str, Any] | None) -> list[str]:
    """The offices the routing finds likeliest for the question, best first (none outside the regency's)."""
    routing = ParseResult.from_dict(parse or {}).routing
    if routing is None:
        return []
    found: list[str] = []
    for score in routing.ranking or ():
        if (score.id != OUTSIDE_AUTHORITY and score.id not in found and turn.directory.opd(score.id) is not None
                and score.confidence >= LEAST_SHARE):
            found.append(score.id)
    return found[:OFFICES]


def offer(turn: Turn, text: str, parse: dict[str, Any] | None, *, lead: str = "question_offer",
          from_complaint: bool = False) -> None:
    """Offer to send `text` to one of the likeliest offices, or to the operators to choose ("Lainnya").
    `from_complaint`: it was about to be a complaint, so "it is a complaint" is one of the choices. A question the
    routing surely gives to an authority outside the regency ("mau bikin sertifikat tanah dimana ya": BPN at 0.97;
    thirty-ninth trial, offered to the operators alone) is told who answers it."""
    turn.reset_flow()
    routing = ParseResult.from_dict(parse or {}).routing
    if (routing is not None and routing.topic in turn.directory.external
            and routing.confidence >= turn.directory.route_threshold):
        how = turn.directory.external[routing.topic].how
        turn.say("outside_authority", how=how.get(turn.lang) or how["id"])
        return
    turn.say(lead, _office_buttons(turn, remember(turn, text, parse, from_complaint), from_complaint))
    turn.state[OFFERED_KEY] = turn.now.isoformat()


def remember(turn: Turn, text: str, parse: dict[str, Any] | None, from_complaint: bool = False) -> list[str]:
    """Keep `text` as the question waiting for an office (/tanyakan); gives the likeliest offices."""
    from actions.complaint import ranked_topics

    offices = likely_offices(turn, parse)
    ranking = ranked_topics(turn, ParseResult.from_dict(parse or {}))[:3]
    turn.state[DRAFT_KEY] = {"text": text.strip()[:4000], "at": turn.now.isoformat(), "offices": offices,
                             "ranking": ranking, "complaint": from_complaint}
    turn.state.pop(USED_KEY, None)
    return offices


def _office_buttons(turn: Turn, offices: list[str], from_complaint: bool) -> list[Button]:
    buttons = [turn.button("question_to_office", f"/tanyakan {o}", opd=opd_name(turn, o)) for o in offices]
    buttons.append(turn.button("question_to_operators", "/tanyakan lainnya"))
    if from_complaint:
        buttons.append(turn.button("question_is_complaint", "/tanyakan aduan"))
    buttons.append(turn.button("question_cancel", "/batal"))
    return buttons


def _draft(turn: Turn) -> dict[str, Any] | None:
    draft = turn.state.get(DRAFT_KEY)
    if not isinstance(draft, dict) or not draft.get("text"):
        return None
    try:
        if turn.now - datetime.fromisoformat(str(draft.get("at"))) > timedelta(hours=DRAFT_HOURS):
            return None
    except ValueError:
        return None
    return draft


def _office_named(turn: Turn, words: str) -> str | None:
    """The office `words` name: its id, its short name or its full name ("dinsos", "Dinas Sosial")."""
    low = u.plain(words)
    for opd in turn.directory.opds.values():
        if low in {opd.id.lower(), u.plain(opd.short), u.plain(opd.name)}:
            return opd.id
    return None


@command("tanyakan", roles=(ROLE_RESIDENT,), usage="/tanyakan <dinas|lainnya>")
async def cmd_ask_office(turn: Turn, args: str) -> None:
    """Send the waiting question to the office chosen (`lainnya`: the operators choose; `aduan`: it is a complaint
    after all, and goes through the complaint steps)."""
    draft = _draft(turn)
    if draft is None:
        expired = turn.state.pop(DRAFT_KEY, None) is not None
        used = turn.state.get(USED_KEY)
        if args.strip() and isinstance(used, dict) and used.get("number"):  # an old button of an offer taken
            turn.say("question_offer_used", turn.menu_buttons(), number=str(used["number"]))
        elif args.strip() and (expired or isinstance(used, dict)):  # of an offer that lapsed, or became a complaint
            turn.say("question_offer_expired", turn.menu_buttons())
        else:
            turn.say("question_none_waiting", turn.menu_buttons())
        return
    choice = args.strip()
    if choice.lower() == "aduan":
        from actions import complaint

        turn.state.pop(DRAFT_KEY, None)
        turn.state[USED_KEY] = {"number": None}
        text = str(draft["text"])
        await complaint.start_from_text(turn, text, await turn.services.nlu.parse(text[:1000]), as_complaint=True)
        return
    office = None if choice.lower() in ("lainnya", "other") else _office_named(turn, choice)
    if office is None and choice.lower() not in ("lainnya", "other"):
        turn.say("question_which_office", _office_buttons(turn, list(draft.get("offices") or []),
                                                          bool(draft.get("complaint"))))
        turn.state[OFFERED_KEY] = turn.now.isoformat()
        return
    turn.state.pop(DRAFT_KEY, None)
    ticket = await _file(turn, str(draft["text"]), office, list(draft.get("ranking") or []))
    turn.state[USED_KEY] = {"number": ticket.number}


async def _file(turn: Turn, text: str, office: str | None, ranking: list[Any]) -> Ticket:
    from actions.complaint import new_ticket_number, notify_triage

    number = await new_ticket_number(turn)
    opd = turn.directory.opd(office)
    calendar = turn.services.calendar
    due = calendar.add_working_days(turn.now, opd.sla_days) if opd else triage_deadline(turn.services, turn.now)
    # No topic: a question is about no problem; the routing's guesses go on the triage card ("ranking").
    ticket = Ticket(
        number=number, kind="aduan", topic=None, opd_id=opd.id if opd else None,
        status=STATUS_NEW if opd else STATUS_TRIAGE, text=text, reporter=turn.identity.key, created_at=turn.now,
        updated_at=turn.now, due_at=due, lang=turn.lang,
        extra={REQUEST_KEY: INFORMATION, "channel": turn.message.channel,
               "ranking": ranking},
    )
    turn.save_ticket(ticket)
    turn.event(ticket, "created", ticket.text, request=INFORMATION)
    turn.event(ticket, "routed", None, topic=None, opd=ticket.opd_id, by="resident" if opd else "triage")
    if opd:
        await notify_opd(turn, ticket, f"new:{number}")
    else:
        await notify_triage(turn, ticket)
    if turn.services.settings.lapor.enabled:
        ticket.extra[TO_LAPOR] = True
        turn.job("lapor_create", f"lapor_create:{number}", {"ticket": number})
    turn.state["last_ticket"] = number
    if opd:
        turn.say("question_filed", number=number, opd=opd.name, due=format_date(turn, due))
    else:
        turn.say("question_filed_triage", number=number)
    return ticket


_OTHER_WORDS = frozenset({"lainnya", "lain", "yang lain", "terserah", "other", "dipilihkan", "pilihkan"})
_COMPLAINT_WORDS = frozenset({"aduan", "ini aduan", "aduan saja", "aduan aja", "bukan pertanyaan", "complaint",
                              "it is a complaint", "lapor", "mau lapor"})


async def typed_choice(turn: Turn) -> bool:
    """The office typed instead of tapped right after the offer ("1", "dinas sosial", "lainnya", "ini aduan")."""
    offered = turn.state.pop(OFFERED_KEY, None)
    draft = _draft(turn)
    if not offered or draft is None or turn.identity.role != ROLE_RESIDENT:
        return False
    try:
        if turn.now - datetime.fromisoformat(str(offered)) > timedelta(minutes=OFFERED_MINUTES):
            return False
    except ValueError:
        return False
    low = u.plain(turn.message.text)
    offices = list(draft.get("offices") or [])
    choice: str | None = None
    if low.isdigit() and 1 <= int(low) <= len(offices) + 1:
        choice = offices[int(low) - 1] if int(low) <= len(offices) else "lainnya"
    elif low in _OTHER_WORDS:
        choice = "lainnya"
    elif low in _COMPLAINT_WORDS and draft.get("complaint"):
        choice = "aduan"
    else:
        named = low.removeprefix("ke ").removeprefix("tanyakan ke ")
        choice = _office_named(turn, named)
    if choice is None:
        return False
    await cmd_ask_office.handler(turn, choice)
    return True


def drop_offer(turn: Turn) -> bool:
    """Forget the question waiting for an office; whether one was just offered (for "batal" to say so)."""
    offered = turn.state.pop(OFFERED_KEY, None)
    turn.state.pop(USED_KEY, None)
    return turn.state.pop(DRAFT_KEY, None) is not None and offered is not None


def is_information_request(ticket: Ticket) -> bool:
    return ticket.extra.get(REQUEST_KEY) == INFORMATION


COMMANDS = [cmd_ask_office]
