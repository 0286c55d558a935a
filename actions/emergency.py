"""Emergencies (fire, people trapped, flood or landslide danger, serious accident): numbers first.

The first answer gives the emergency numbers from the directory; the report is filed at once with what
is known and the OPD and the regent are alerted; location and photos are asked afterwards and added to
the ticket as they come.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterator
from typing import Any

from actions import understand as u
from actions.base import Turn
from actions.common import opd_name, opd_recipients, regent_recipients, staff_lang
from actions.draft import ComplaintDraft
from actions.resident import asks_what_now
from bot.directory import EmergencySign
from bot.message import Location, Reply
from bot.store.base import OPEN_STATUSES, STATUS_CLOSED, Media, Ticket

FLOW = "emergency"
_NEGATION = frozenset({"tidak", "tdk", "gak", "ga", "nggak", "enggak", "bukan", "belum", "no", "not", "padam", "ora",
                       "mboten", "tanpa", "without", "bekas", "sisa"})
MAX_PHOTOS = 5
PLACE_WORDS = 12  # at the photo step, a place this short with no problem in it is the fuller place, not news
# "pelatihan penanggulangan bencana dan kebakaran", "peta rawan longsor", "alat pemadam kebakaran", "sosialisasi
# pencegahan kebakaran": the danger is the subject of a training, a map or a tool, not something happening. Only in
# the three words right before the danger's words.
_ABOUT_DANGER = frozenset({
    "pelatihan", "penanggulangan", "penanggulan", "pencegahan", "simulasi", "sosialisasi", "edukasi", "mitigasi",
    "peta", "rawan", "asuransi", "apar", "latihan", "drill", "training", "prevention", "insurance", "map", "prone",
    "kesiapsiagaan", "tanggap", "penyuluhan",
})
# A danger that is over: "rumah saya kebakaran bulan lalu, bantuan belum cair", "minggu lalu ada kecelakaan parah",
# "last year's flood". The complaint is about what followed (aid, a street light), not a danger now. "sejak kemarin"
# and "dari kemarin" are still going on, so "kemarin" alone is not here. Only next to the danger's words, and not
# when the danger is said to be back or still there ("bulan lalu sudah dilaporkan, sekarang tanggul jebol lagi").
_PAST = re.compile(
    r"\b(?:minggu|bulan|tahun|pekan|taun|sasi) (?:lalu|kemarin|yang lalu|kepungkur|wingi)\b"
    r"|\b(?:beberapa|\d+|dua|tiga|empat|lima) (?:hari|minggu|bulan|tahun|pekan) (?:yang )?lalu\b"
    r"|\bkemarin dulu\b|\btempo hari\b"
    r"|\blast (?:week|month|year)\b|\b(?:days|weeks|months|years) ago\b"
    # "dulu pernah ada kebakaran di pasar, skrg hydrant nya rusak": a fire once, the complaint is the hydrant
    # ("at once", "there was" are not here: "come at once, there was an explosion" is happening)
    r"|\b(?:dulu|dahulu|pernah|biyen|used to)\b"
    # "tetangga tiap malam bakar sampah", "burning trash every night": a habit, not a danger happening now
    r"|\b(?:tiap|setiap|saben|every|each) (?:malam|hari|pagi|sore|siang|minggu|bulan|tahun|musim|hujan|kali|bengi|"
    r"esuk|night|day|morning|evening|week|month|year|time)\b"
)
_NOW = re.compile(r"\b(?:sekarang|saat ini|lagi|masih|kembali|now|again|still|right now)\b")
# "kalo ada kebakaran nomor damkar berapa?", "in case of fire who do I call?": a question about a danger, not a report
# of one. Only the conditional right before the danger's words ("kalau bisa cepat, rumah saya terbakar" is a fire).
_IF_THERE_IS = re.compile(
    r"\b(?:kalau|kalo|klo|kl|jika|jikalau|bila|apabila|seandainya|andaikan|andai|misal|misalnya|umpama|yen|menawi|"
    r"if|in case)(?: (?:ada|terjadi|sampai|sampe|kena|ono|wonten|there|there's|theres|is|a|an|of))+$"
)
# "sy mau tanya, ...", "numpang tanya", "may I ask": the resident says they ask a question.
_ASKING = re.compile(
    r"\b(?:mau|mo|ingin|pengen|pingin|izin|ijin|numpang|boleh|badhe|arep) (?:tanya|nanya|bertanya|takon|nyuwun pirsa)\b"
    r"|\btanya dong\b|\bwant to ask\b|\bmay i ask\b"
)
PAST_WINDOW = 5  # words on each side of the danger's words
# A long message the NLU confidently routes to an agency that does not handle the danger its words mention is a
# report about something else ("... timbunannya hanyut lagi ..." in a page about a road): it is not an emergency.
LONG_WORDS = 30
# "bukan darurat pak", "not an emergency": the resident says the report just filed as an emergency is not one.
_NOT_EMERGENCY = re.compile(
    r"\b(?:bukan|bkn|tidak|tdk|gak|ga|nggak|enggak|ndak|ora|mboten|sanes) (?:\S+ )?(?:darurat|emergency|urgent|gawat)\b"
    r"|\bnot (?:an |a )?(?:emergency|urgent)\b|\bno emergency\b"
)


RETRACT_WORDS = 5


def says_not_emergency(text: str) -> bool:
    return bool(_NOT_EMERGENCY.search(u.plain(text)))


def detect(turn: Turn, parse: dict[str, Any] | None) -> EmergencySign | None:
    """The danger this message reports, or None: a question about the fire brigade is not a fire, a fire last month
    is not a danger now, and a long report about something else that mentions one is that report."""
    text = turn.message.text
    if not text.strip():
        return None
    low = u.plain(text)
    if (u.starts_with_question(text) or _ASKING.search(low)) and u.faq_key(parse):
        return None
    if says_not_emergency(text):
        return None
    sign = _sign_in(turn, low)
    if sign is not None and len(low.split()) >= LONG_WORDS and _routed_elsewhere(turn, parse, sign):
        return None
    return sign


def _routed_elsewhere(turn: Turn, parse: dict[str, Any] | None, sign: EmergencySign) -> bool:
    routing = (parse or {}).get("opd") or {}
    if not isinstance(routing, dict) or float(routing.get("confidence") or 0) < turn.directory.route_threshold:
        return False
    emergency_opds = {s.opd for s in turn.directory.emergency_signs}
    return routing.get("id") != sign.opd and routing.get("id") not in emergency_opds


def _danger_words(turn: Turn, low: str) -> Iterator[tuple[EmergencySign, list[str], list[str]]]:
    """Each danger phrase in the words that is not denied ("sudah tidak terbakar", "no fire"), with the words before
    and after it."""
    length = len(low.split())
    for sign in turn.directory.emergency_signs:
        if sign.max_words and length > sign.max_words:
            continue
        for phrase in sign.phrases:
            for match in re.finditer(rf"(?<!\w){re.escape(phrase)}(?!\w)", low):
                before = low[: match.start()].split()
                if not _NEGATION.intersection(before[-3:]):
                    yield sign, before, [phrase] + low[match.end():].split()


def _asks_if(before: list[str]) -> bool:
    return bool(_IF_THERE_IS.search(" ".join(before[-4:])))  # "kalo ada kebakaran ...", "in case of fire ..."


def _sign_in(turn: Turn, low: str) -> EmergencySign | None:
    for sign, before, words in _danger_words(turn, low):
        after = words[1:]
        near = " ".join(before[-PAST_WINDOW:] + words[: PAST_WINDOW + 1])
        beside = " ".join(before[-2:] + after[:2])  # "sekarang tanggul jebol lagi": it is back
        if _PAST.search(near) and not _NOW.search(beside):  # "kebakaran bulan lalu", "tiap malam": not now
            continue
        if _asks_if(before) or set(after[:2]) & set(sign.not_with):  # a question; "burning trash" is a nuisance
            continue
        if set(before[-PAST_WINDOW:]) & set(sign.not_before):  # "kemarin ada maling masuk": told afterwards
            continue
        if _ABOUT_DANGER.intersection(before[-3:]):  # "pelatihan penanggulangan kebakaran": a subject, not a fire
            continue
        return sign
    return None


def answer_question(turn: Turn, parse: dict[str, Any] | None) -> bool:
    """"kalo ada kebakaran nomor damkar berapa ya?", "in case of fire who should I call?": a question about a danger,
    answered (the FAQ when the NLU is sure of one, else the emergency numbers) and never filed. False when the
    message is not such a question."""
    low = u.plain(turn.message.text)
    if not any(_asks_if(before) for _sign, before, _words in _danger_words(turn, low)):
        return False
    from actions.resident import FAQ_CONFIDENT, say_faq  # resident imports this module's callers

    key, confidence, _ = u.faq_selection(parse)
    if key and confidence >= FAQ_CONFIDENT and key in turn.services.faq_answers:
        say_faq(turn, key)
        return True
    turn.replies.append(Reply(numbers_text(turn)))
    turn.say("emergency_question_answered")
    return True


# "tolong pak anak saya hilang sejak kemarin sore belum pulang", "my son has gone missing": a missing person is the
# police's to search for, at once (they were offered birth certificates and sports). Not a thing lost ("anak kunci
# hilang", "KTP anak saya hilang") nor one found again ("… sudah ketemu").
_MISSING = re.compile(
    r"\b(?:anak|anakku|adik|adek|kakak|ibu|bapak|ayah|suami|istri|nenek|kakek|mbah|simbah|orang\s+tua|putra|putri|"
    r"keponakan|cucu|tetangga|bocah|anake|bojo|bojoku)\b(?!\s+(?:kunci|tangga|panah))"
    # ("… rumah tetangga, motornya hilang": fortieth trial, a missing person)
    r"(?:\s+(?!(?:ktp|kk|akta|dompet|motor|sepeda|hp|surat|ijazah|kartu|sertifikat|sapi|kambing|ayam|mobil|uang|"
    r"perhiasan|emas|barang)(?:nya|ku|e)?\b)\S+){0,3}?\s+"
    r"(?:hilang|ilang|belum\s+pulang|tidak\s+pulang|gak\s+pulang|ga\s+pulang|nggak\s+pulang|durung\s+mulih|ora\s+mulih|"
    r"tak\s+kunjung\s+pulang|kabur\s+dari\s+rumah|minggat)\b"
    r"|\borang\s+hilang\b"
    r"|\bmissing\s+(?:child|person|son|daughter|kid)\b"
    r"|\b(?:son|daughter|child|kid|father|mother|husband|wife|brother|sister)\s+(?:\S+\s+){0,2}?"
    r"(?:is|has\s+gone|went|has\s+been|gone)\s+missing\b")
_FOUND_AGAIN = re.compile(r"\b(?:ketemu|ditemukan|sudah\s+pulang|udah\s+pulang|wis\s+mulih|found|came\s+home|"
                          r"is\s+back)\b")
# "KTP anak saya hilang", "kartu KIA anak hilang": a document of the person's lost, not the person
_THING_OF = frozenset("ktp kk akta kartu kia ijazah dompet hp motor sepeda rapor sertifikat buku tas".split())
MISSING_WORDS = 40


def missing_person(text: str) -> bool:
    low = u.plain(text)
    found = _MISSING.search(low)
    if len(low.split()) > MISSING_WORDS or found is None or _FOUND_AGAIN.search(low):
        return False
    before = low[:found.start()].split()[-2:]
    return not _THING_OF.intersection(before)


# "hp saya hilang di pasar", "dompet saya dicopet di terminal", "motor saya hilang dicuri semalam", "I lost my wallet":
# a thing of one's own lost or stolen, which the police record (a report of loss, or of a theft) and no office of the
# regency acts on (thirty-fourth trial: unsure topics, markets first). Not the regency's property ("besi jembatan
# hilang dicuri", "tutup got hilang": a complaint) nor a document alone ("ktp saya hilang": its own FAQ).
_OWN = r"(?:saya|sy|ku|aku|kami|gue|gw|kula|istri\s+saya|suami\s+saya|anak\s+saya|ibu\s+saya|bapak\s+saya|my)"
_BELONGING = (r"(?:hp|handphone|ponsel|henpon|telepon\s+genggam|dompet|tas|motor|sepeda\s+motor|sepeda|mobil|sim|"
              r"stnk|bpkb|laptop|perhiasan|kalung|cincin|emas|uang|kunci\s+motor|kunci\s+mobil|phone|wallet|bag|"
              r"motorbike|motorcycle|bike|car|purse|jewel\w*)")
_LOST = (r"(?:hilang|ilang|raib|ketinggalan|tertinggal|dicuri|dicolong|dimaling|digondol|dijambret|dicopet|dirampas|"
         r"dibegal|kecurian|"
         r"kecopetan|kemalingan|kejambretan|lost|stolen|missing)")
_LOST_THING = re.compile(
    rf"\b{_BELONGING}(?:nya)?\s+(?:{_OWN}\s+)?(?:\S+\s+){{0,2}}?{_LOST}\b"
    rf"|\b(?:saya|sy|aku|kami|gue|gw|i|we)\s+(?:baru\s+saja\s+|tadi\s+|habis\s+|baru\s+)?(?:kehilangan|kecopetan|"
    rf"kecurian|kemalingan|kejambretan|dijambret|dicopet|dibegal|lost|got\s+robbed|was\s+robbed)\b"
    rf"|\b(?:someone|somebody)\s+stole\s+my\b")
# (a question about the service after a loss, "motor saya hilang di parkiran pasar, tukang parkirnya tidak mau
# tanggung jawab", is the parking's matter as well: long messages stay complaints)
LOST_THING_WORDS = 16
_DOCUMENT_ONLY = re.compile(r"^(?:\S+\s+){0,3}?(?:ktp|e-?ktp|kk|kartu\s+keluarga|akta|kia|npwp|ijazah|buku\s+nikah|"
                            r"sertifikat)\w*\s+(?:\S+\s+){0,2}?(?:hilang|ilang|lost)\b")


def lost_thing(text: str) -> bool:
    """A belonging of one's own lost or stolen, told in a few words (`_LOST_THING`)."""
    low = u.plain(text)
    return (len(low.split()) <= LOST_THING_WORDS and bool(_LOST_THING.search(low))
            # ("I lost my complaint number", "saya kehilangan pekerjaan": a belonging, or a theft, is named)
            and bool(re.search(rf"\b{_BELONGING}\b|\b(?:kecopetan|kecurian|kemalingan|kejambretan|dijambret|"
                               r"dicopet|dibegal|robbed)\b", low))
            and not _DOCUMENT_ONLY.search(low) and not _FOUND_AGAIN.search(low) and not _ELSEWHERE.search(low))


# a passport or a visa is the immigration office's ("I lost my passport": luar_imigrasi); a theft at a paid car park
# is the parking attendants' matter too ("motor saya hilang di parkiran pasar, tukang parkirnya tidak mau tanggung
# jawab": a complaint)
_ELSEWHERE = re.compile(r"\b(?:paspor|pasport|passport|visa|kitas|kitap|parkir\w*|jukir|"
                        # ... and money owed by the state, cut or withheld, is a complaint ("uang bansos saya hilang
                        # dipotong pak rt")
                        r"bansos|bantuan|pkh|bpnt|blt|gaji|honor\w*|dana|insentif|tunjangan|dipotong|potongan|pungli)\b")


# "saya korban penipuan online, uang saya 2 juta hilang", "I got scammed by a seller on facebook": the speaker
# defrauded (thirty-fifth trial: the answer on a lost belonging). Not a fraud in the government's name told by a
# witness ("ada penipuan mengatasnamakan dinas sosial …": actions/safety.py), nor a community's ("penipuan investasi
# bodong di desa, banyak warga jadi korban": a complaint for the police, routed).
_DEFRAUDED = re.compile(
    r"\b(?:saya|sy|aku|kami|gue|gw|kula|istri\s+saya|suami\s+saya|anak\s+saya|ibu\s+saya|bapak\s+saya|orang\s+tua\s+saya)\s+"
    r"(?:\S+\s+){0,2}?(?:korban\s+(?:penipuan|tipu\w*|scam)|ditipu|tertipu|kena\s+(?:tipu|scam|penipuan)|"
    r"dibohongi\s+penjual|kena\s+hipnotis)\b"
    r"|\b(?:i|we|my\s+\w+)\s+(?:was\s+|were\s+|got\s+|have\s+been\s+|has\s+been\s+)(?:scammed|defrauded|cheated)\b")
DEFRAUDED_WORDS = 25


def defrauded(text: str) -> bool:
    """The speaker (or their family) cheated of money, told in a few words (`_DEFRAUDED`)."""
    low = u.plain(text)
    return (len(low.split()) <= DEFRAUDED_WORDS and bool(_DEFRAUDED.search(low))
            and not _IN_OFFICE_NAME.search(low))


# ... a fraud by someone in, or in the name of, the government or its aid is a complaint (or the scam warning)
_IN_OFFICE_NAME = re.compile(r"\b(?:dinas|dinsos|pemkab|pemda|pemerintah|bupati|bansos|bantuan|pkh|blt|petugas|"
                             r"pegawai|pns|asn|oknum|desa|kades|lurah|camat|perangkat|government|official|officer)\b")


def answer_defrauded(turn: Turn) -> None:
    """Where a fraud is reported (the police, online too), and what stops the money going further (the bank, the
    registers of fraudsters' accounts and numbers)."""
    turn.say("fraud_victim")


def answer_lost_thing(turn: Turn) -> None:
    """Where a loss or a theft is reported (the police: a report of loss, or of the theft), what replaces the
    documents lost with it, and the way to block a phone's number."""
    turn.say("lost_thing")


def answer_missing_person(turn: Turn) -> None:
    """Where a missing person is reported (the police, at once), what to bring, and the emergency numbers."""
    turn.say("missing_person")
    turn.replies.append(Reply(numbers_text(turn)))


def numbers_text(turn: Turn) -> str:
    return turn.t("emergency_numbers", numbers=_numbers_list(turn))


def _numbers_list(turn: Turn) -> str:
    return "\n".join(f"• *{n.number}* — {n.name}" for n in turn.directory.emergency_numbers)


async def report(turn: Turn, sign: EmergencySign, parse: dict[str, Any] | None) -> None:
    """Give the numbers, file the report now, alert the OPD and the regent, then ask for the place."""
    from actions import complaint  # complaint imports this module's callers; keep the cycle lazy

    turn.replies.append(Reply(numbers_text(turn)))
    kept = ComplaintDraft.load(turn.state) if turn.state.get("flow") == complaint.FLOW else ComplaintDraft()
    text = turn.message.text.strip()
    if kept.text and kept.text not in text:
        text = f"{kept.text}\n{text}"
    # the place the report names ("… di dusun krajan desa sooko") is the officers' to go to at once; a pin may follow
    named = complaint.place_in_text(text) if not kept.location else None
    draft = ComplaintDraft(text=text, media=kept.media, privacy="publik", routed_by="emergency",
                           location=kept.location or (Location(address=named).to_dict() if named else None))
    complaint.keep_attachments(turn, draft)
    routing = (parse or {}).get("opd") or {}
    nlu_topic = routing.get("topic") if isinstance(routing, dict) else None
    draft.topic = nlu_topic if nlu_topic and turn.directory.routing.get(nlu_topic) == sign.opd else sign.topic
    draft.opd = sign.opd
    ticket = await complaint.submit(turn, draft, priority="darurat")
    # No officer has asked anything yet: the resident's next complaints are new ones, not answers to this ticket
    # (its own steps take the place and photos; "tambahan ..." within a day still reaches it).
    turn.state.update(flow=FLOW, target=ticket.number, step="photo" if draft.location else "location")
    turn.say("emergency_filed", number=ticket.number, opd=opd_name(turn, sign.opd))
    if named:  # (twenty-sixth trial: the place was asked again, and "ya" was "not clear enough")
        turn.say("emergency_place_from_text", place=named)
    await ask_again(turn)


async def ask_again(turn: Turn) -> None:
    if turn.state.get("step") == "location":
        turn.say("emergency_ask_location", [turn.button("skip", u.SKIP)])
    else:
        turn.say("emergency_ask_photo", [turn.button("emergency_finish", u.SKIP)])


def position(turn: Turn) -> str:
    return turn.t("where_emergency", number=turn.state.get("target") or "-")


_FIRE = re.compile(r"\b(?:api|kebakaran|terbakar|kebakar|kobong|geni|asap|meledak|ledakan|gas|fire|burning|smoke)\b")
_WATER = re.compile(r"\b(?:tenggelam|hanyut|terseret|kali|sungai|banjir|air|drown\w*|river|flood\w*|swept)\b")


def say_what_to_do(turn: Turn, ticket: Ticket) -> None:
    """What to do now, while help comes (thirty-second trial: "saya harus gimana?" after a drowning was reported was
    noted on the ticket and nothing more said): the numbers, safety first, and a line for a fire or for water."""
    low = u.plain(ticket.text)
    turn.say("emergency_what_now", numbers=_numbers_list(turn))
    if _FIRE.search(low):
        turn.say("emergency_what_now_fire")
    elif _WATER.search(low):
        turn.say("emergency_what_now_water")


async def handle_step(turn: Turn) -> None:
    """The location or photo of a report already filed."""
    number = str(turn.state.get("target") or "")
    ticket = await turn.store.get_ticket(number)
    if ticket is None or ticket.reporter != turn.identity.key:
        turn.reset_flow()
        turn.say("fallback", turn.menu_buttons())
        return
    if not turn.message.attachments and asks_what_now(turn.message.text):
        say_what_to_do(turn, ticket)
        await ask_again(turn)
        return
    if turn.state.get("step") == "location":
        await _on_location(turn, ticket)
    else:
        await _on_photo(turn, ticket)


async def emergency_to_retract(turn: Turn) -> Ticket | None:
    """The open emergency report this resident filed within a day, when they now say it is not an emergency."""
    if not says_not_emergency(turn.message.text):
        return None
    number = str(turn.state.get("target") or "") if turn.state.get("flow") == FLOW else ""
    ticket = await turn.store.get_ticket(number) if number else None
    if ticket is None and len(turn.message.text.split()) <= RETRACT_WORDS:
        # Out of its steps only a short "bukan darurat kok": "ini bukan darurat, tapi lampu jalan mati" is a new
        # complaint, and must never withdraw a fire reported an hour ago.
        from actions.resident import just_filed

        ticket = await just_filed(turn)
    if (ticket is None or ticket.reporter != turn.identity.key or ticket.status not in OPEN_STATUSES
            or ticket.priority != "darurat" or (ticket.extra or {}).get("retracted")):
        return None
    return ticket


async def retract(turn: Turn, ticket: Ticket) -> str:
    """Withdraw an emergency report the resident says is not one: closed, its OPD and the regent told, and its text
    given back so it can go through the ordinary complaint steps (topic, place, privacy). Gives that text."""
    ticket.status = STATUS_CLOSED
    ticket.closed_at = turn.now
    ticket.extra = {**(ticket.extra or {}), "retracted": True}
    turn.save_ticket(ticket)
    turn.event(ticket, "retracted", turn.message.text.strip()[:500])
    await _tell_opd(turn, ticket, "emergency_retracted_to_staff")
    for key in await regent_recipients(turn):  # the regent was alerted too
        lang = await staff_lang(turn, key)
        turn.deliver(key, [Reply(turn.t("emergency_retracted_to_staff", lang, number=ticket.number),
                                 ticket=ticket.number)], f"retracted:{ticket.number}")
    turn.reset_flow()
    turn.say("emergency_retracted", number=ticket.number)
    return ticket.text


async def _on_location(turn: Turn, ticket: Ticket) -> None:
    from actions.complaint import location_problem

    text = turn.message.text.strip()
    skip = u.code_of(text) == u.SKIP
    typed_pin = None if turn.message.location else Location.from_text(text)  # coordinates typed or pasted
    if turn.message.location or typed_pin:
        location = turn.message.location or typed_pin
    elif not skip and not any(a.kind == "photo" for a in turn.message.attachments):
        problem = location_problem(text)
        if problem:
            turn.say(problem)
            return
        location = Location(address=text[:300])
    else:
        location = None
    if location is not None:
        ticket.location = location.to_dict()
        turn.save_ticket(ticket)
        turn.event(ticket, "location", location.describe(), location=ticket.location)
        await _tell_opd(turn, ticket, "emergency_location_to_officer", where=location.describe(),
                        pin=location if location.latitude is not None else None)
        turn.say("emergency_location_added", number=ticket.number)
    turn.state["step"] = "photo"
    if any(a.kind == "photo" for a in turn.message.attachments):
        await _on_photo(turn, ticket)
        return
    await ask_again(turn)


async def _on_photo(turn: Turn, ticket: Ticket) -> None:
    photos = [a for a in turn.message.attachments if a.kind == "photo" and a.data]
    if photos:
        for attachment in photos[: max(0, MAX_PHOTOS - len(ticket.media))]:
            media = Media(id=uuid.uuid4().hex, mime=attachment.mime or "image/jpeg", data=attachment.data or b"",
                          created_at=turn.now)
            turn.changes.media.append(media)
            ticket.media.append(media.id)
            turn.event(ticket, "photo", None, media=media.id)
            await _tell_opd(turn, ticket, "emergency_photo_to_officer", image=f"media:{media.id}")
        turn.save_ticket(ticket)
        turn.say("emergency_photo_added", [turn.button("emergency_finish", u.SKIP)], number=ticket.number)
        return
    text = turn.message.text.strip()
    if u.code_of(text) in (u.SKIP, u.NEXT) or u.plain(text) in ("selesai", "sudah", "cukup", "done", "lewati", "skip"):
        turn.reset_flow()
        turn.say("emergency_done", number=ticket.number)
        return
    from actions.complaint import PROBLEM_WORDS, YES_WORDS, place_in_text, yes_emoji

    low = u.plain(text)
    if _NO_PHOTO.match(low):  # "tidak ada foto pak", "gak bisa foto": done, as "Selesai"
        turn.reset_flow()
        turn.say("emergency_done", number=ticket.number)
        return
    if low in YES_WORDS or low in u.RESIDENT_ACK or yes_emoji(text) or u.code_of(text) == u.YES:
        # "ya", "ok", "👍" to "kirim foto kejadian, atau pilih Selesai": no news for the officers (twenty-seventh
        # trial: each was passed on as a message), the step goes on
        turn.say("emergency_photo_wait", [turn.button("emergency_finish", u.SKIP)], number=ticket.number)
        return
    named = place_in_text(text) and len(text.split()) <= PLACE_WORDS and not PROBLEM_WORDS.search(u.plain(text))
    if turn.message.location or Location.from_text(text) or named:
        # a pin, or a fuller place typed ("Desa Sooko RT 01") after the place the report named was taken
        turn.state["step"] = "location"
        await _on_location(turn, ticket)
        return
    from actions.resident import add_resident_message

    await add_resident_message(turn, ticket.number, text)  # more about what is happening: to the officers


_NO_PHOTO = re.compile(r"^(?:maaf\s+)?(?:tidak|tdk|gak|ga|gk|nggak|ngga|enggak|ndak|mboten|no)\s+"
                       r"(?:ada|punya|bisa|sempat|sempet|wonten|saged)"
                       r"(?:\s+(?:foto\w*|gambar\w*|poto\w*|photos?|pak|bu|kak|min|mas|mbak))*$|"
                       r"^(?:no\s+photos?|i\s+(?:have|got)\s+no\s+photos?)$")


async def _tell_opd(turn: Turn, ticket: Ticket, key: str, image: str | None = None,
                    pin: Location | None = None, **fields: Any) -> None:
    for to in await opd_recipients(turn, ticket.opd_id or ""):
        lang = await staff_lang(turn, to)
        text = turn.t(key, lang, number=ticket.number, **fields)
        turn.deliver(to, [Reply(text, image=image, location=pin, ticket=ticket.number)], f"emergency:{ticket.number}")
