"""Someone speaking of ending their life ("saya capek, mau bunuh diri saja", "teman saya bilang ingin mengakhiri
hidupnya", "I want to kill myself"): care and the numbers of a counsellor at once, never "I did not understand" nor a
complaint form. Then an offer: a health worker of the crisis OPD (the directory's `crisis:`) answers them in this
chat. What they told is sent only when they accept, as a confidential request (`rahasia`; never to SP4N-LAPOR!, never
to the regent's channel), answered like any ticket with "Balas".

While the offer stands (OFFER_MINUTES), more words are heard as more of the story and the offer is repeated; a yes
files the request with everything told, a no is respected. A long complaint that mentions such words in passing
("jalan ini seperti jalur bunuh diri ...") keeps its course, with the number said beside it.
"""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable
from datetime import datetime, timedelta
from typing import Any

from actions import understand as u
from actions.base import Turn
from actions.common import notify_opd, opd_name
from bot.directory import CrisisLine
from bot.store.base import OPEN_STATUSES, STATUS_NEW, Ticket, TicketQuery

HELP = "btn:crisis_help"  # "🤝 Minta dihubungi"
DECLINE = "btn:crisis_no"  # "Tidak sekarang"
OFFER_KEY = "crisis_offer"  # conversation state: {"text", "at", "who"} while the offer stands
LAST_KEY = "crisis_last"  # what was told, kept a day: a "Ya" tapped later still files it
OFFER_MINUTES = 30
KEEP_HOURS = 24
LONG_WORDS = 30  # a long message the NLU routes confidently elsewhere is a complaint that mentions such words
MAX_TEXT = 3000
MAX_HEARD = 8  # messages heard as more of the story while the offer stands; the next goes its usual way
# "pencegahan bunuh diri", "seminar tentang self harm": a talk or a campaign, not a person in crisis (only in the
# three words before the phrase).
_ABOUT = frozenset({"pencegahan", "sosialisasi", "seminar", "penyuluhan", "edukasi", "kampanye", "film", "lagu",
                    "berita", "prevention", "awareness", "campaign", "movie", "song", "news"})
_NEGATION = frozenset({"tidak", "tdk", "gak", "ga", "nggak", "enggak", "ndak", "bukan", "jangan", "not", "never",
                       "ora", "mboten", "dont", "don't"})
# Someone else: "anak saya", "temanku", "my friend", "ada orang", "dia", "tetangga kami".
_PEOPLE = ("anak|teman|temen|kawan|sahabat|tetangga|adik|adek|kakak|abang|suami|istri|pacar|saudara|sepupu|"
           "keponakan|cucu|murid|siswa|mahasiswa|ibu|bapak|ayah|mama|papa|emak|kanca|bojo|putra|putri|warga|mbah|simbah|"
           "embah|eyang|nenek|kakek|lansia|pakde|bude|paman|bibi|om|tante|mertua|"
           "friend|son|daughter|neighbou?r|brother|sister|husband|wife|mother|father|mom|mum|dad|cousin|student")
_SOMEONE_ELSE = re.compile(
    rf"\b(?:{_PEOPLE})(?:ku|nya|mu)?\s+(?:saya|sy|aku|gue|gw|kami|kita|my|our)\b"
    rf"|\b(?:{_PEOPLE})(?:ku|nya)\b|\b(?:my|our|a)\s+(?:{_PEOPLE})\b"
    r"|\b(?:ada (?:orang|warga|seseorang|yang)|seseorang|someone|somebody|dia|beliau|he|she|they|"
    r"(?:mau|ingin|akan) (?:lompat|loncat|terjun))\b"
    # what someone else said: "mbah karto bilang ingin mati saja", "she keeps saying she wants to die"
    r"|\b(?:bilang|berkata|ngomong|mengatakan|cerita|curhat|says|said|saying)\b"
)
# "sebenarnya saya mau dihubungi", "tolong hubungi saya", "please contact me": the offer taken up in words, later
_WANTS_CONTACT = re.compile(
    r"\b(?:mau|ingin|pengen|minta|boleh|tolong|mohon)\s+(?:\S+\s+)?(?:dihubungi|ditelpon|ditelepon|dikontak|"
    r"bicara\s+(?:dengan|sama)\s+(?:petugas|konselor|psikolog))\b|\bhubungi\s+saya\b"
    r"|\b(?:please\s+)?(?:contact|call)\s+me\b|\b(?:talk|speak)\s+to\s+(?:someone|a\s+counsellor|a\s+health\s+worker)\b")
_DECLINE = re.compile(
    r"^(?:tidak|tdk|gak|ga|gk|nggak|ngga|enggak|ndak|ora|mboten|no|nope|jangan|belum)(?:\s+(?:usah|perlu|sekarang|dulu|"
    r"pak|bu|kak|min|mas|mbak|thanks|thank you|terima kasih|makasih|now|needed|need|ya|deh|kok))*$"
    r"|^(?:nanti\s+(?:saja|aja|dulu)|not\s+now|no\s+thanks?|ga\s+usah|gak\s+usah|tidak\s+usah)$")
# Things a "saya"/"aku" owns whose "mau mati" is no person's: "hp saya mau mati, nanti lanjut ya"
_THINGS = frozenset("hp handphone hape henpon ponsel gadget baterai batre batere baterei laptop komputer lampu listrik "
                    "motor mobil mesin aki sinyal wifi tv kulkas pompa token tanaman pohon ikan ayam kambing sapi "
                    "kucing anjing burung phone battery".split())
_OWNER_WORDS = frozenset("saya sy aku gue gw my".split())
_SELF = re.compile(r"\b(?:saya|sy|aku|aq|gue|gw|i|im|i'm|me|kula|kulo|awakku)\b")


def phrase_in(line: CrisisLine, low: str) -> tuple[list[str], str] | None:
    """The first crisis phrase in `low` (plain words) that is not denied nor the subject of a talk: the words
    before it, and the phrase."""
    for phrase in line.phrases:
        for match in re.finditer(rf"(?<!\w){re.escape(phrase)}(?:nya|ku|mu)?(?!\w)", low):  # "hidupnya"
            before = low[: match.start()].split()
            if _NEGATION.intersection(before[-2:]) or _ABOUT.intersection(before[-3:]):
                continue
            if before and before[-1] in _THINGS and phrase.split()[0] in _OWNER_WORDS:
                continue  # "hp saya mau mati" is the phone's battery (thirty-eighth trial: the crisis answer)
            return before, phrase
    return None


def who_is_it(before: list[str]) -> str:
    """"self" or "other": whose life the words are about, from the words before the phrase ("anak saya mau bunuh
    diri", "ada orang mau lompat dari jembatan"); the resident themself unless someone else is named."""
    near = " ".join(before[-6:])
    found = _SOMEONE_ELSE.search(near)
    if found is None:
        return "self"
    mine = list(_SELF.finditer(near))
    # "teman saya ... tapi sekarang saya juga ingin mati": the resident's own "saya" after the person named
    if mine and mine[-1].start() > found.end() and near[mine[-1].start() - 1:mine[-1].start()] == " " \
            and not re.search(rf"(?:{_PEOPLE})\s+$", near[: mine[-1].start()]):
        return "self"
    return "other"


def numbers_text(turn: Turn, line: CrisisLine) -> str:
    return "\n".join(f"• *{n.number}* — {n.name}" for n in line.numbers)


def _call(line: CrisisLine) -> str:
    return line.numbers[0].number


def _buttons(turn: Turn) -> list[Any]:
    return [turn.button("crisis_help_button", HELP), turn.button("crisis_no_button", DECLINE)]


def _kept(turn: Turn, key: str, within: timedelta) -> dict[str, Any] | None:
    """What the state keeps under `key` ({"text", "at", "who"}) when it is no older than `within`."""
    record = turn.state.get(key)
    if not isinstance(record, dict):
        return None
    try:
        at = datetime.fromisoformat(str(record.get("at")))
    except ValueError:
        return None
    return record if turn.now - at <= within else None


def _offer(turn: Turn) -> dict[str, Any] | None:
    return _kept(turn, OFFER_KEY, timedelta(minutes=OFFER_MINUTES))


def _last(turn: Turn) -> dict[str, Any] | None:
    return _kept(turn, LAST_KEY, timedelta(hours=KEEP_HOURS))


def _told(record: dict[str, Any], text: str) -> str:
    """What was told before (`record`) and these words, one after the other."""
    return f"{record.get('text') or ''}\n{text.strip()}".strip()


def _remember(turn: Turn, text: str, who: str, heard: int = 0) -> None:
    record = {"text": text[-MAX_TEXT:], "at": turn.now.isoformat(), "who": who}
    turn.state[OFFER_KEY] = {**record, "heard": heard}
    turn.state[LAST_KEY] = record


async def _something_else(turn: Turn, text: str, parse: Callable[[], Awaitable[dict[str, Any]]] | None) -> bool:
    """While the offer stands, a message that is plainly about something else: a question, or what the NLU reads
    confidently as a complaint or an FAQ ("lampu jalan di desa sooko mati", "syarat bikin ktp apa?")."""
    if u.is_question(text):
        return True
    if parse is None:
        return False
    reading = await parse()
    return _routed_confidently(turn, reading) or bool(u.faq_key(reading, 0.8))


async def handle(turn: Turn, code: str | None, text: str,
                 parse: Callable[[], Awaitable[dict[str, Any]]] | None = None) -> bool:
    """The whole of this module for one message; False when the message is not about a crisis (nor an answer to its
    offer), and goes its usual way."""
    line = turn.directory.crisis
    if line is None:
        return False
    if code in (HELP, DECLINE):
        turn.state.pop(OFFER_KEY, None)
        last = _last(turn)
        if code == DECLINE:
            turn.say("crisis_declined", call=_call(line))
        elif last is None:  # tapped days later: what was told is gone; say the numbers and offer again
            _remember(turn, "", "self")
            turn.say("crisis_offer_again", _buttons(turn), numbers=numbers_text(turn, line),
                     opd=opd_name(turn, line.opd))
        else:
            await file_request(turn, line, str(last.get("text") or ""), str(last.get("who") or "self"))
        return True
    if code or not text.strip():
        return False
    low = u.plain(text)
    offer = _offer(turn)
    found = phrase_in(line, low)
    last = _last(turn)
    if found is None and last is not None and _WANTS_CONTACT.search(low):
        # "sebenarnya saya mau dihubungi" after "Tidak sekarang", the same day: what was told goes now
        turn.state.pop(OFFER_KEY, None)
        await file_request(turn, line, _told(last, text), str(last.get("who") or "self"))
        return True
    if offer is not None and found is None:
        turn.state.pop(OFFER_KEY, None)
        if u.is_cancel(text):
            return False
        # a clear no only ("gak tau lagi" is no answer), a short yes ("iya tolong", not "ya allah saya capek sekali")
        answer = False if _DECLINE.match(low) else True if len(low.split()) <= 4 and u.yes_no(text) else None
        if answer is True:
            await file_request(turn, line, str(offer.get("text") or ""), str(offer.get("who") or "self"))
        elif answer is False:
            turn.say("crisis_declined", call=_call(line))
        elif int(offer.get("heard") or 0) >= MAX_HEARD or await _something_else(turn, text, parse):
            # a question, a complaint, or many messages on: the resident has moved on; so does the offer
            # (the words told are kept a day for "saya mau dihubungi")
            return False
        else:  # more of the story: heard, kept with the rest, and the offer stands
            heard = int(offer.get("heard") or 0)
            _remember(turn, _told(offer, text), str(offer.get("who") or "self"), heard + 1)
            turn.say("crisis_listen" if heard == 0 else "crisis_listen_more", _buttons(turn), call=_call(line))
        return True
    if found is None:
        return False
    before, _phrase = found
    if len(low.split()) >= LONG_WORDS and parse is not None and _routed_confidently(turn, await parse()):
        turn.say("crisis_aside", call=_call(line))  # said first; the complaint takes its course
        return False
    who = who_is_it(before)
    told = _told(offer, text) if offer else text.strip()
    _remember(turn, told, who)
    turn.say("crisis_self" if who == "self" else "crisis_other", _buttons(turn),
             numbers=numbers_text(turn, line), opd=opd_name(turn, line.opd))
    return True


def _routed_confidently(turn: Turn, parse: Any) -> bool:
    routing = (parse or {}).get("opd") if isinstance(parse, dict) else None
    return isinstance(routing, dict) and float(routing.get("confidence") or 0) >= turn.directory.route_threshold \
        and routing.get("id") != (turn.directory.crisis.opd if turn.directory.crisis else None)


async def file_request(turn: Turn, line: CrisisLine, text: str, who: str) -> None:
    """The confidential request to be contacted: a ticket of the crisis OPD, due within a working day, its card sent
    to the OPD's officers (the operators when none is enrolled). One open request per resident: more words join it."""
    from actions.complaint import CANCELLED_KEY, new_ticket_number, snapshot  # complaint imports the dialogue's
    from actions.resident import add_resident_message  # modules: lazy

    turn.state.pop(LAST_KEY, None)
    # A complaint being written is set aside ("lanjut yang tadi" brings it back within a day), and any other step
    # let go: what the resident writes next is for the health worker, not an answer to a form.
    kept = snapshot(turn)
    letter = turn.state.get("flow") == "letter"  # (actions/letters.FLOW: letters imports this module's callers)
    if turn.state.get("flow") and not letter:
        turn.reset_flow()
    if kept:
        turn.state[CANCELLED_KEY] = kept
    text = text.strip() or turn.t("crisis_no_words")
    mine = await turn.store.list_tickets(TicketQuery(reporter=turn.identity.key, statuses=tuple(OPEN_STATUSES)))
    for ticket in mine:
        if ticket.extra.get("crisis"):
            await add_resident_message(turn, ticket.number, text, said="crisis_filed_again")
            _kept_aside(turn, bool(kept), letter)
            return
    number = await new_ticket_number(turn)
    ticket = Ticket(
        number=number, kind="aduan", topic=None, opd_id=line.opd, status=STATUS_NEW, text=text,
        reporter=turn.identity.key, created_at=turn.now, updated_at=turn.now,
        due_at=turn.services.calendar.add_working_days(turn.now, 1), privacy="rahasia", lang=turn.lang,
        priority="tinggi", extra={"crisis": who, "channel": turn.message.channel},
    )
    turn.save_ticket(ticket)
    turn.event(ticket, "created", ticket.text)
    turn.event(ticket, "routed", None, topic=None, opd=line.opd, confidence=None, by="crisis")
    await notify_opd(turn, ticket, f"new:{number}")
    turn.state["last_ticket"] = number
    turn.say("crisis_filed", number=number, opd=opd_name(turn, line.opd), call=_call(line))
    _kept_aside(turn, bool(kept), letter)


def _kept_aside(turn: Turn, draft: bool, letter: bool) -> None:
    """Say what was set aside for the health worker's conversation: a complaint draft, a letter request."""
    if draft:
        turn.say("crisis_draft_kept")
    if letter:
        from actions.letters import park

        park(turn, said="crisis_letter_kept")

