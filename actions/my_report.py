"""What a resident asks of a complaint they already sent, in their own words (nineteenth trial):

- "tolong nama saya jangan ditampilkan ya, takut": their open public complaints become *anonim* at once (officers no
  longer see who reported; replies still reach them), the officers are told to keep what they may have seen to
  themselves, and the operators are told when SP4N-LAPOR! already has it as a public report. With no complaint sent
  yet, or said of a report still to come ("kalau lapor nama saya bisa disembunyikan?"), the report is begun with
  *Anonim* already chosen.
- "tolong jangan disebar ke media ya" (thirty-first trial): nothing goes to the media, and their open public
  complaints become *rahasia* (never shown on the public map; secret at SP4N-LAPOR!, the operators told when it is
  already public there). With none open, what is ever shown and how to keep a report from it.
- "saya mau ketemu langsung sama petugasnya bisa?": where the office of their complaint is and when it is open (its
  directory line, else the regency's contact), and the request offered to its officer to set a time.
- "eh ternyata bukan jalannya pak, yang rusak itu jembatannya" soon after filing: offered as a change to that
  complaint, never filed as a second one. Taken while no officer has acted on it (moved to the right office if the
  topic is another's, as if the resident had picked it in the form); later, passed to the officer as a correction.
"""

from __future__ import annotations

import logging
import re
from datetime import datetime, timedelta
from typing import Any

from actions import complaint
from actions import understand as u
from actions.base import Button, Reply, Turn, find_ticket_number
from actions.common import format_date, location_text, opd_recipients, operator_recipients, staff_lang, topic_name
from actions.draft import ComplaintDraft
from actions.resident import add_resident_message, says_fixed_before_done
from bot.store.base import OPEN_STATUSES, STATUS_NEW, Ticket
from nlu.result import ParseResult
from nlu.router import agencies_of

FIX_YES = "btn:topic_fix"  # "Ya, ubah aduan itu"
FIX_NEW = "btn:topic_fix_new"  # "Bukan, ini aduan baru"
FIX_KEY = "topic_fix_offer"  # conversation state: {"number", "topic", "text", "at"} while the offer stands
FIX_MINUTES = 30
FIX_HOURS = 2  # a correction this soon after filing is offered as a change to that complaint
HIDE_WORDS = 20
MEETING_WORDS = 20
MAX_TICKETS = 5  # open complaints made anonymous by one request

# "kalau lapor", "nanti", "if I report": about a report still to come
_FUTURE = re.compile(r"\b(?:kalau|kalo|klo|kl|jika|jikalau|apabila|bila|nanti|nek|yen|menawi|if|when)\b"
                     r"(?:\s+\S+){0,3}?\s+(?:lapor|melapor|ngadu|mengadu|report|complain)\w*\b")
# "jadikan aduan saya anonim", "laporan saya dirahasiakan saja", "make my report anonymous"
_MAKE_PRIVATE = re.compile(
    r"\b(?:jadikan|jadiin|buat|bikin|ubah|ganti|dibuat|diubah|diganti|dijadikan)\s+(?:\S+\s+){0,3}?(?:anonim|anonymous)\b"
    r"|\b(?:aduan|laporan|pengaduan)(?:nya|ku)?\s+(?:saya\s+|sy\s+)?(?:tolong\s+|mohon\s+)?(?:di)?rahasia(?:kan|in)\b"
    r"|\bmake\s+(?:my\s+|it\s+)?(?:report\s+|complaint\s+)?(?:anonymous|confidential)\b"
    # "can I change my complaint to anonymous?" (thirty-sixth trial: told its words are not changed)
    r"|\b(?:change|switch|turn|set)\s+(?:my\s+|the\s+)?(?:report|complaint|it)\s+(?:to|into)\s+(?:anonymous|confidential)\b"
    r"|\bkeep\s+(?:my\s+)?(?:name|identity)\s+(?:\S+\s+)?(?:anonymous|private|secret|hidden|confidential)\b"
    r"|\b(?:anonymous|anonymously)\s+please\b"
    # "ternyata saya mau anonim saja", "saya ingin dirahasiakan saja" after sending (thirty-second trial: not
    # understood)
    r"|\b(?:saya|sy|aku)\s+(?:mau|ingin|pengen|minta|pilih)\s+(?:di)?(?:anonim\w*|rahasia\w*)\s*(?:saja|aja|deh|ya)?$"
    # "maaf pak saya salah pilih, harusnya rahasia bukan publik" (thirtieth trial: not understood)
    r"|\b(?:harusnya|seharusnya|mestinya|salah\s+pilih\w*|salah\s+pencet|salah\s+klik)\b(?:\s+\S+){0,3}?\s+"
    r"(?:rahasia|anonim|anonymous|confidential)\b")
# "saya mau ketemu langsung sama petugasnya", "bisa bertemu kepala dinasnya?", "can I meet the officer?"
_MEETING = re.compile(
    r"\b(?:ketemu|bertemu|menemui|ketemuan|jumpa|berjumpa|ketemu\s+langsung|pethuk|kepanggih|meet|see)\s+"
    r"(?:\S+\s+){0,3}?(?:petugas|pegawai|kepala\s+dinas|kadis|pejabat|orang\s+dinas|officer|official|staff|someone)"
    r"|\b(?:janji\s+temu|appointment)\b"
    # "can I speak to the head of the office?", "mau bicara dengan kepala dinasnya" (thirty-fifth trial: office hours)
    r"|\b(?:speak|talk)\s+(?:to|with)\s+(?:\S+\s+){0,2}?(?:head|director|manager|boss)\b"
    r"|\b(?:bicara|berbicara|ngomong|omong|ngobrol)\s+(?:langsung\s+)?(?:dengan|sama|ke|kepada)\s+(?:\S+\s+){0,2}?"
    r"(?:kepala\s+dinas|kadis|kepala\s+kantor|kepala\s+bidang|kabid|pejabat)\w*"
    r"|\b(?:datang|dateng|ke)\s+(?:langsung\s+)?(?:ke\s+)?kantor(?:nya)?\s+(?:\S+\s+){0,3}?(?:ketemu|menemui|bertemu)\b")


def wants_name_hidden(text: str) -> bool:
    """"tolong nama saya jangan ditampilkan", "tanpa nama aja", "jadikan aduan saya anonim", "hide my name"."""
    low = u.plain(text)
    if not low or len(low.split()) > HIDE_WORDS:
        return False
    return bool(complaint.name_hidden(low) or _MAKE_PRIVATE.search(low))


# "saya mau ubah isi laporan saya", "laporannya bisa diedit?", "I want to change my complaint": a sent complaint's
# words changed (thirtieth trial: a new complaint began)
_EDIT_SENT = re.compile(
    r"\b(?:ubah|mengubah|rubah|merubah|ganti|mengganti|edit|mengedit|revisi|merevisi|koreksi|mengoreksi|ralat|meralat)\s+"
    r"(?:\S+\s+){0,2}?(?:isi|laporan|aduan|pengaduan|tulisan|keterangan)(?:nya|ku)?\b"
    r"|\b(?:isi|laporan|aduan)(?:nya)?\s+(?:saya\s+|sy\s+)?(?:mau\s+|ingin\s+|bisa\s+|boleh\s+)?(?:di)?(?:ubah|rubah|ganti|edit|"
    r"revisi|koreksi|ralat)\b|\b(?:edit|change|correct|amend)\s+my\s+(?:complaint|report)\b")
EDIT_WORDS = 14
EDIT_TOLD_WORDS = 3  # "ubah aduan saya, lubangnya ada 3 bukan 1": the correction said with the wish, this long
_NUMBER_CHANGED = re.compile(r"\b(?:nomor|nomer|no|hp|wa|whatsapp|akun|telepon|telpon|number|phone|account)\b")


async def edit_sent(turn: Turn, text: str) -> bool:
    """A wish to change a sent complaint's words: they stay as sent (its history whole), and the next message goes
    to its officers as the correction. False with no open complaint of theirs, or other words."""
    low = u.plain(text)
    if (len(low.split()) > EDIT_WORDS or not _EDIT_SENT.search(low) or complaint.fixes_place(text)
            or _NUMBER_CHANGED.search(low)):
        return False  # ("nomor saya ganti, aduan WRG-… gimana?": a new number, actions/move_account.py)
    number = find_ticket_number(text)
    mine = await _open_complaints(turn)
    chosen = [t for t in mine if t.number == number] if number else mine[:1]
    if not chosen:
        return False
    turn.reset_flow()
    found = _EDIT_SENT.search(text)
    after = text[found.end():] if found else ""
    told = after.split(",", 1)[1].strip() if "," in after else after.split(":", 1)[1].strip() if ":" in after else ""
    if len(told.split()) >= EDIT_TOLD_WORDS:
        # "ubah aduan saya, lubangnya ada 3 bukan 1" (forty-second trial: asked to write the correction it holds):
        # the words after the wish are the correction, for its officers
        await add_resident_message(turn, chosen[0].number, told, quiet_if_not_mine=True,
                                   said="correction_added_to_ticket")
        return True
    turn.state["reply_ticket"] = chosen[0].number
    turn.say("edit_sent_how", number=chosen[0].number)
    return True


async def office_suggested(turn: Turn, text: str) -> bool:
    """"pak ini harusnya ke dinas perkim bukan pupr" after FIX_HOURS, when the resident may no longer move it: the
    office a correction names (read as offer_topic_fix reads it) is passed to the officers of their open complaint,
    who transfer it when it is so, and the resident is told. False for other words, no office named, the same
    office, or none open."""
    low = text.lower().strip()
    if (not _correction_lead(low) or len(low.split()) > complaint.CORRECTION_WORDS
            or _ONE_MORE.search(u.plain(low))):
        return False  # (words checked before any store read, as offer_topic_fix does)
    number = find_ticket_number(text)
    mine = await _open_complaints(turn)
    chosen = [t for t in mine if t.number == number] if number else mine[:1]
    found = await _correction(turn, text, chosen[0]) if chosen else None
    if found is None or found[0] is not None:  # an office named, not a topic read (that may be a new complaint)
        return False
    from actions.resident import add_resident_message

    return await add_resident_message(turn, chosen[0].number, text.strip(), said="office_hint_passed")


def about_report_to_come(text: str) -> bool:
    return bool(_FUTURE.search(u.plain(text)))


async def _open_complaints(turn: Turn) -> list[Ticket]:
    mine = await turn.store.recent_tickets(turn.identity.key, MAX_TICKETS * 2)
    return [t for t in mine if t.kind == "aduan" and t.status in OPEN_STATUSES][:MAX_TICKETS]


async def _open_named(turn: Turn, text: str) -> list[Ticket]:
    """The resident's open complaint the words number, else all their open ones."""
    number = find_ticket_number(text)
    mine = await _open_complaints(turn)
    return [t for t in mine if t.number == number] if number else mine


async def hide_name(turn: Turn, text: str, parse: dict[str, Any]) -> bool:
    """A wish to keep one's name from the officers. Said of a report to come, or with none open: the report begun
    with *Anonim* chosen. Else the named complaint, or every open one of theirs, made anonymous."""
    if not wants_name_hidden(text):
        return False
    mine = await _open_named(turn, text)
    if _asks_if_hidden(text):
        await tell_privacy(turn)
        return True
    if about_report_to_come(text) or not mine:
        await complaint.start_secret(turn, text, parse, privacy="anonim")
        return True
    public = [t for t in mine if t.privacy == "publik"]
    if not public:
        turn.say("name_already_hidden", numbers=", ".join(f"*{t.number}*" for t in mine),
                 privacy=turn.t(f"privacy_{mine[0].privacy}"))
        return True
    for ticket in public:
        await _make_anonymous(turn, ticket)
    turn.say("name_hidden_done", numbers=", ".join(f"*{t.number}*" for t in public))
    return True


# "apakah identitas saya dirahasiakan?", "nama saya kelihatan petugas gak?", "is my name hidden?": asked, not wished
# (fortieth trial: the complaint was made anonymous); "bisa nama saya disembunyikan?" asks for it
_WISH_ASKED = re.compile(r"\b(?:bisa|bisakah|boleh|bolehkah|tolong|mohon|minta|gimana|bagaimana|cara|caranya|can|could|"
                         r"please|how|pripun|saged|nyuwun)\b")


def _asks_if_hidden(text: str) -> bool:
    return u.is_question(text) and not _WISH_ASKED.search(u.plain(text))


async def tell_privacy(turn: Turn) -> None:
    """Who sees the resident's latest complaint, as they chose for it; with none, how identities are kept."""
    from actions.resident import PRIVACY_FAQ, answer_who_sees_mine, say_faq

    if not await answer_who_sees_mine(turn):
        say_faq(turn, PRIVACY_FAQ)


# "tolong jangan disebar ke media ya", "laporan saya jangan dipublikasikan", "don't publish my report": the complaint
# kept from any public place (thirty-first trial: "not understood")
_NOT_PUBLIC = re.compile(
    r"\b(?:jangan|jgn|jng|ojo|aja|ampun|tidak\s+usah|tdk\s+usah|gak\s+usah|ga\s+usah|gausah|nggak\s+usah|"
    r"ndak\s+usah|mohon\s+tidak)\s+(?:\S+\s+){0,2}?(?:di)?(?:sebar\w*|publikasi\w*|publish\w*|umumkan|diumumkan|"
    r"viral\w*|posting\w*|upload|diupload|unggah|diunggah|share|dishare|masuk(?:in|kan)?\s+(?:ke\s+)?"
    r"(?:media|berita|koran|tv|medsos|sosmed)|dimuat|beritakan|diberitakan|tampil\w*|ditampilkan)\b"
    r"|\b(?:don'?t|do\s+not|please\s+don'?t)\s+(?:\S+\s+){0,2}?(?:publish|share|post|make\s+(?:it\s+)?public|"
    r"give\s+(?:it\s+)?to\s+the\s+(?:media|press))\b")
_NAME_ONLY = re.compile(r"\b(?:nama|identitas|name|identity)\b")
NOT_PUBLIC_WORDS = 16


def wants_kept_from_public(text: str) -> bool:
    """"jangan disebar ke media", "laporan saya jangan dipublikasikan": the complaint itself kept from the public
    ("nama saya jangan ditampilkan" is the name only: `wants_name_hidden`)."""
    low = u.plain(text)
    return (bool(low) and len(low.split()) <= NOT_PUBLIC_WORDS and bool(_NOT_PUBLIC.search(low))
            and not _NAME_ONLY.search(low))


async def keep_from_public(turn: Turn, text: str) -> bool:
    """Nothing is given to the media; the resident's open public complaints become *rahasia* (never shown: not on
    the public map, secret at SP4N-LAPOR!, the operators told when LAPOR! already has it as public). With none
    open, what is ever shown and how to keep a report from it. Staff, and other words: False."""
    if not wants_kept_from_public(text):
        return False
    mine = await _open_named(turn, text)
    public = [t for t in mine if t.privacy == "publik"]
    if not mine:
        turn.say("not_to_media", turn.menu_buttons())
    elif not public:
        turn.say("not_to_media_already", numbers=", ".join(f"*{t.number}*" for t in mine),
                 privacy=turn.t(f"privacy_{mine[0].privacy}"))
    else:
        for ticket in public:
            await _change_privacy(turn, ticket, "rahasia", "kept_secret_lapor_to_operator", "secret-lapor")
        turn.say("kept_secret_done", numbers=", ".join(f"*{t.number}*" for t in public))
    return True


async def _make_anonymous(turn: Turn, ticket: Ticket) -> None:
    """The reporter is hidden from now on (cards, /info, the desk, a LAPOR! push still waiting in the outbox); the
    officers of its office are asked to keep what they saw; the operators, when LAPOR! already published it."""
    if ticket.opd_id:
        for to in await opd_recipients(turn, ticket.opd_id):
            lang = await staff_lang(turn, to)
            notice = turn.t("name_hidden_to_officer", lang, number=ticket.number)
            turn.deliver(to, [Reply(notice, ticket=ticket.number)], f"anonymous:{ticket.number}")
    await _change_privacy(turn, ticket, "anonim", "name_hidden_lapor_to_operator", "anonymous-lapor")
    logging.getLogger(__name__).info("%s made anonymous by its reporter", ticket.number)


async def _change_privacy(turn: Turn, ticket: Ticket, privacy: str, lapor_notice: str, key: str) -> None:
    """A public complaint's privacy changed at its reporter's wish, kept in its history; the operators are told
    (text `lapor_notice`) when SP4N-LAPOR! already has it as a public report, which only its admin can change."""
    ticket.privacy, ticket.updated_at = privacy, turn.now
    turn.save_ticket(ticket)
    turn.event(ticket, "privacy_changed", None, privacy=privacy, was="publik")
    if ticket.lapor_id:
        for to in await operator_recipients(turn):
            lang = await staff_lang(turn, to)
            turn.deliver(to, [Reply(turn.t(lapor_notice, lang, number=ticket.number, lapor_id=ticket.lapor_id),
                                    ticket=ticket.number)], f"{key}:{ticket.number}")


# "pak petugasnya tadi nelpon saya, katanya besok diperbaiki", "orang dinas sudah datang survei": news of the
# officer's visit or call, for their open complaint
_OFFICER_CAME = re.compile(
    r"\b(?:petugas|pegawai|orang\s+dinas|orang\s+pu|bapak\s+dari\s+dinas|officer|someone\s+from\s+the\s+office)(?:nya)?"
    r"\s+(?:\S+\s+){0,2}?(?:nelpon|nelepon|menelepon|menelpon|telpon|telepon|datang|dateng|rawuh|survei|survey|"
    r"meninjau|ngecek|mengecek|ke\s+lokasi|ke\s+rumah|kesini|ke\s+sini|called|came|visited)\b")
NEWS_WORDS = 30


async def officer_news(turn: Turn, text: str) -> bool:
    """News of the officer's call or visit, told by the resident: added to their latest open complaint."""
    low = u.plain(text)
    if len(low.split()) > NEWS_WORDS or not _OFFICER_CAME.search(low) or u.is_question(text):
        return False
    from actions import resident  # (late: resident imports much of actions/)
    if resident.complains_of_officer(text):
        return False  # "petugasnya kasar waktu datang kemarin" (thirty-fourth trial: told to that officer)
    mine = await _open_complaints(turn)
    if not mine:
        return False
    return await resident.add_resident_message(turn, mine[0].number, text, said="officer_news_added")


LAPOR_NUMBER_WORDS = 30


async def lapor_number(turn: Turn, text: str) -> bool:
    """The number of an SP4N-LAPOR! report of the same matter, told after filing: added to the resident's latest open
    complaint so that its officer does not handle it twice (thirty-second trial: answered with the status alone)."""
    from actions import resident  # (late: resident imports much of actions/)

    if (len(text.split()) > LAPOR_NUMBER_WORDS or not resident.reported_at_lapor(text)
            or resident.lapor_number_in(text) is None or find_ticket_number(text)):
        return False
    mine = await _open_complaints(turn)
    if not mine:
        return False  # (none here: where a report at SP4N-LAPOR! is followed, resident.answer_reported_at_lapor)
    return await resident.add_resident_message(turn, mine[0].number, text, said="lapor_number_added")


# "saya mau ganti foto, yang tadi salah", "fotonya salah kirim pak", "wrong photo, sorry": the photo sent with a
# complaint was not the one meant (thirty-second trial: not understood)
_WRONG_PHOTO = re.compile(
    r"\b(?:ganti|salah|keliru|ubah|tukar|hapus|wrong)\s+(?:\S+\s+)?(?:foto|fotonya|gambar|gambarnya|photo|picture|pic)\b"
    r"|\b(?:foto|fotonya|gambar|gambarnya|photo|picture)\s+(?:\S+\s+){0,3}?(?:salah|keliru|wrong)\b")
WRONG_PHOTO_WORDS = 16
_REMOVE_PHOTO = re.compile(r"\b(?:hapus|dihapus|hapuskan|buang|dibuang|delete|remove|apus|diapus)\b")


async def wrong_photo(turn: Turn, text: str) -> bool:
    """The officers of the resident's latest open complaint told that its photo was the wrong one, and the resident
    asked to send the right one (a photo sent now joins that complaint)."""
    low = u.plain(text)
    if len(low.split()) > WRONG_PHOTO_WORDS or not _WRONG_PHOTO.search(low):
        return False
    mine = await _open_complaints(turn)
    if not mine:
        return False
    if not mine[0].media and _REMOVE_PHOTO.search(low):
        # "tolong hapus foto yang tadi" about a complaint sent without one (thirty-fourth trial: the officer was told
        # its photo was wrong): none went; one can be sent now ("ganti foto" is the right one coming: as before)
        turn.say("wrong_photo_none_sent", number=mine[0].number)
        return True
    from actions import resident  # (late: resident imports much of actions/)
    return await resident.add_resident_message(turn, mine[0].number, text, said="wrong_photo_send")


def asks_meeting(text: str) -> bool:
    low = u.plain(text)
    return len(low.split()) <= MEETING_WORDS and bool(_MEETING.search(low))


async def meeting(turn: Turn, text: str) -> bool:
    """Where the office of their latest open complaint is, and the request to meet offered to its officer."""
    if not asks_meeting(text):
        return False
    mine = await _open_complaints(turn)
    number = find_ticket_number(text)
    ticket = next((t for t in mine if t.number == number), None) if number else (mine[0] if mine else None)
    if ticket is None or not ticket.opd_id or (opd := turn.directory.opd(ticket.opd_id)) is None:
        return False  # no complaint of theirs: the office question's own answer (asks_office) or the intent
    if opd.office:
        turn.say("meeting_office", name=opd.name, office=opd.office)
    elif turn.directory.contact:
        turn.say("meeting_contact", name=opd.name, contact=turn.directory.contact)
    from actions import resident  # (resident imports this module's neighbours; late to keep the graph acyclic)
    await resident.hold_for_officer(turn, ticket, asked="forward_ask_meeting")
    return True


# "bukan, ini aduan baru", "aduan lain", "a new one": the second button, typed
_NEW_ONE = re.compile(r"\b(?:aduan|laporan|masalah|hal|yang|yg)\s+(?:baru|lain|beda|berbeda)\b"
                      r"|\bnew\s+(?:one|complaint)\b|\b(?:another|different)\s+(?:one|complaint|problem)\b|\bbeda\b")
# "ternyata yang rusak itu jembatannya", "oh ternyata bukan jalan": a correction too
_TURNS_OUT = re.compile(r"^\W*(?:\S+\s+){0,2}?(?:ternyata|rupanya|actually)\b")
# "pak ini harusnya ke dinas perkim bukan pupr", "aduan saya seharusnya ditangani dishub", "this should go to DLH": the
# office it should have gone to (thirtieth trial: "not understood"; "salah dinas pak, harusnya …" was read already)
_SHOULD_GO = re.compile(r"^\W*(?:(?:pak|bu|min|kak|mas|mbak)\W+)?"
                        r"(?:(?:ini|itu|aduan|laporan|aduannya|laporannya|saya|sy)\s+){0,3}(?:harusnya|seharusnya|semestinya|mestinya)\s+(?:ke|kepada|ditangani|diteruskan\s+ke)?\s*"
                        r"|^\W*(?:this|it|my\s+complaint)\s+should\s+(?:go|have\s+gone)\s+to\s+")


def _correction_lead(low: str) -> re.Match[str] | None:
    return complaint.TOPIC_FIX_LEAD.match(low) or _TURNS_OUT.match(low) or _SHOULD_GO.match(low)


# "satu lagi", "juga", "selain itu", "also", "another thing": one more problem, not a correction of the first
# ("oh ya pak, sekalian, di dekat situ ada gorong-gorong yang tersumbat": thirty-fifth trial, offered as the topic of
# the complaint just sent)
_ONE_MORE = re.compile(r"\b(?:satu\s+lagi|lagi\s+satu|juga|jg|selain\s+itu|tambah\s+lagi|ada\s+lagi|sekalian|skalian|"
                       r"sekalan|sekaligus|btw|by\s+the\s+way|also|too|"
                       r"as\s+well|another\s+thing|one\s+more|siji\s+maneh|uga)\b")


async def _correction(turn: Turn, text: str, ticket: Ticket) -> tuple[str | None, str] | None:
    """(topic, OPD id) a correction gives instead of `ticket`'s: a topic by name ("bukan, maksudnya lampu lalu
    lintas"); else an office it names, alone ("salah dinas pak, harusnya ke dinas perkim": no topic, read when it
    moves); else the topic the router reads in what it says the matter is (not in what it takes
    back), when it is sure of it."""
    low = text.lower().strip()
    lead = _correction_lead(low)
    if lead is None or len(low.split()) > complaint.CORRECTION_WORDS:
        return None
    rest = complaint.after_lead(lead.group(0), low[lead.end():])
    topic = complaint.corrected_topic(turn, text, ticket.topic)
    parsed = ParseResult.from_dict(await turn.services.nlu.parse(rest[:1000])) if topic is None and rest else None
    if parsed is not None:
        named = agencies_of(parsed.entities, rest) - {ticket.opd_id or ""}
        if len(named) == 1 and (opd := turn.directory.opd(named.pop())) is not None:
            return None, opd.id  # (its topic is read when it moves, as a transfer's is)
        routing = parsed.routing
        if routing is not None and routing.confidence >= turn.directory.route_threshold and len(rest.split()) >= 2:
            topic = routing.topic
    if not topic or topic == ticket.topic or topic not in turn.directory.routing:
        return None
    return topic, turn.directory.routing[topic]


async def offer_topic_fix(turn: Turn, text: str) -> bool:
    """"eh ternyata bukan jalannya, yang rusak itu jembatannya" within FIX_HOURS of filing: change that complaint?
    ("oh iya satu lagi, got di sampingnya juga mampet" tells of one more problem, and is no correction.)"""
    low = text.lower().strip()
    if (not _correction_lead(low)
            or len(low.split()) > complaint.CORRECTION_WORDS or _ONE_MORE.search(u.plain(low))):
        return False  # (words checked before any store read: this runs on most messages outside a form)
    if says_fixed_before_done(text):
        return False  # "oh ternyata sudah nyala pak, tidak jadi": fixed, so withdrawn (it was offered a topic change)
    latest = await turn.store.recent_tickets(turn.identity.key, 1)
    ticket = latest[0] if latest else None
    if (ticket is None or ticket.kind != "aduan" or ticket.status not in OPEN_STATUSES
            or turn.now - ticket.created_at > timedelta(hours=FIX_HOURS)):
        return False
    found = await _correction(turn, text, ticket)
    if found is None:
        return False
    topic, opd_id = found
    turn.state[FIX_KEY] = {"number": ticket.number, "topic": topic, "opd": opd_id, "text": text.strip()[:1000],
                           "at": turn.now.isoformat()}
    opd = turn.directory.opd(opd_id)
    buttons = [turn.button("topic_fix_yes", FIX_YES), turn.button("topic_fix_new", FIX_NEW)]
    if topic is None:  # an office named, none of its topics fitting: the office only
        was = turn.directory.opd(ticket.opd_id)
        turn.say("office_fix_offer", buttons, number=ticket.number, opd=opd.name if opd else "-",
                 was=was.name if was else "-")
        return True
    turn.say("topic_fix_offer", buttons, number=ticket.number,
             was=topic_name(turn, ticket.topic) if ticket.topic else "-", topic=topic_name(turn, topic),
             opd=opd.name if opd else "-")
    return True


def _standing_offer(turn: Turn, key: str, codes: tuple[str, str], minutes: int,
                    code: str | None) -> dict[str, Any] | bool:
    """The offer kept under `key` while it stands (a dict); True when one of its buttons came after it was gone (the
    resident is told so); False when none stands (an old one expires here)."""
    offer = turn.state.get(key)
    if code in codes and not isinstance(offer, dict):
        turn.say("button_stale_no_question", turn.menu_buttons())
        return True
    if not isinstance(offer, dict):
        return False
    if turn.now - datetime.fromisoformat(str(offer.get("at"))) > timedelta(minutes=minutes):
        turn.state.pop(key, None)
        return False
    return offer


async def topic_fix_answer(turn: Turn, code: str | None, text: str) -> bool:
    """The answer to `offer_topic_fix`: its buttons, or a typed yes or no while it stands."""
    offer = _standing_offer(turn, FIX_KEY, (FIX_YES, FIX_NEW), FIX_MINUTES, code)
    if not isinstance(offer, dict):
        return offer
    answer = True if code == FIX_YES else False if code == FIX_NEW else (None if code else u.yes_no(text))
    if answer is None and not code and _NEW_ONE.search(u.plain(text)) and len(text.split()) <= 8:
        answer = False  # "bukan, ini aduan baru", "yang lain pak"
    if answer is None:
        turn.state.pop(FIX_KEY, None)  # something else: the offer lets go
        return False
    turn.state.pop(FIX_KEY, None)
    words = str(offer.get("text") or "")
    if answer is False:
        await complaint.start_from_text(turn, complaint.without_correction(words),
                                        await turn.services.nlu.parse(words[:1000]))
        return True
    ticket = await turn.store.get_ticket(str(offer.get("number")))
    if ticket is None or ticket.reporter != turn.identity.key or ticket.status not in OPEN_STATUSES:
        turn.say("button_stale_no_question", turn.menu_buttons())
        return True
    await _fix_topic(turn, ticket, offer.get("topic"), str(offer.get("opd") or ""), words)
    return True


async def _officer_acted(turn: Turn, ticket: Ticket) -> bool:
    events = await turn.store.ticket_events(ticket.number)
    return ticket.status != STATUS_NEW or bool(ticket.extra.get("assignee")) or any(
        e.actor not in (None, ticket.reporter) and e.kind not in ("created", "lapor") for e in events)


async def _fix_topic(turn: Turn, ticket: Ticket, topic: Any, opd_id: str, words: str) -> None:
    """Same office: the topic changes and its officers are told. Another office, nobody having acted yet: moved
    there (officer.reroute, the resident's words as the reason). An officer already on it: the words go to them
    as a correction, and moving it is theirs to decide."""
    from actions import officer, resident  # late: both import much of actions/
    topic = str(topic) if topic in turn.directory.routing else None
    opd = turn.directory.opd(opd_id)
    if opd is None:
        turn.say("button_stale_no_question", turn.menu_buttons())
        return
    if opd.id == ticket.opd_id and topic is not None:
        was = ticket.topic
        ticket.topic, ticket.updated_at = topic, turn.now
        turn.save_ticket(ticket)
        turn.event(ticket, "topic_corrected", words, from_topic=was, to_topic=topic)
        for to in await opd_recipients(turn, opd.id):
            lang = await staff_lang(turn, to)
            notice = turn.t("topic_fixed_to_officer", lang, number=ticket.number,
                            was=topic_name(turn, was, lang) if was else "-", topic=topic_name(turn, topic, lang),
                            text=words)
            reply = (Button(turn.t("button_reply", lang), f"/balas {ticket.number}"),)
            turn.deliver(to, [Reply(notice, reply, ticket=ticket.number)], f"topic-fixed:{ticket.number}:{topic}")
        turn.say("topic_fixed_same_office", number=ticket.number, topic=topic_name(turn, topic), opd=opd.name)
        return
    if await _officer_acted(turn, ticket):
        await resident.add_resident_message(turn, ticket.number, words, said="topic_fix_passed_on")
        return
    if await officer.reroute(turn, ticket, topic or opd.id, words, by_reporter=True):
        turn.say("topic_fixed_moved" if topic else "office_fixed_moved", number=ticket.number,
                 topic=topic_name(turn, ticket.topic), opd=opd.name, due=format_date(turn, ticket.due_at))


# --- the same problem back, after the complaint was closed (twentieth trial) ------------------------------------
# "pak lubangnya muncul lagi di tempat yang sama" two months after the pothole was filled was read as a new complaint
# with no topic ("Kami belum yakin dinas mana …"). Past the reopening window (resident.REOPEN_DAYS) a closed complaint
# is not reopened, but a new one is offered at its place and on its topic, naming it for the officers.
RECUR_KEY = "recur_offer"  # conversation state: {"number", "text", "at"} while the offer stands
RECUR_YES = "btn:recur"
RECUR_NO = "btn:recur_no"
RECUR_DAYS = 365
RECUR_WORDS = 25
RECUR_MINUTES = 30


async def offer_recurrence(turn: Turn, text: str) -> bool:
    """The problem of a complaint closed some time ago is back: a new complaint at its place, on its topic?"""
    from actions import resident  # (resident imports the complaint flow this module sits beside: lazy)

    low = u.plain(text)
    if len(low.split()) > RECUR_WORDS or not resident.says_not_fixed(text) or find_ticket_number(text):
        return False
    mine = [t for t in await turn.store.recent_tickets(turn.identity.key, MAX_TICKETS) if t.kind == "aduan"]
    if any(t.status in OPEN_STATUSES for t in mine):
        return False  # (the words may be for the open one: the usual checks decide)
    window = (timedelta(days=resident.REOPEN_DAYS), timedelta(days=RECUR_DAYS))
    closed = [t for t in mine if t.closed_at is not None and window[0] < turn.now - t.closed_at <= window[1]
              and not t.extra.get("withdrawn") and t.status != "diarsipkan"]
    if not closed:
        return False
    ticket = max(closed, key=lambda t: t.closed_at or t.created_at)
    turn.state[RECUR_KEY] = {"number": ticket.number, "text": text.strip()[:2000], "at": turn.now.isoformat()}
    turn.say("recur_offer", [turn.button("recur_yes", RECUR_YES), turn.button("recur_no", RECUR_NO)],
             number=ticket.number, topic=topic_name(turn, ticket.topic) if ticket.topic else "-",
             place=location_text(turn, ticket), closed=format_date(turn, ticket.closed_at))
    return True


# Words of a place that name no particular one ("yang di depan SD itu" names "SD" and nothing else)
_ANY_PLACE = frozenset("yang itu sana situ depan dekat deket samping sebelah belakang seberang jalan desa dusun "
                       "kelurahan kecamatan rumah saya kami lampu lagi masih tempat sama persis".split())
PLACE_ANSWER_WORDS = 10


def _names_its_place(turn: Turn, text: str, earlier: Ticket) -> bool:
    """A short answer that names the closed complaint's place ("yang di depan SD sukamaju itu"): one of its words
    (not a word any place has) is in the place or the words of that complaint."""
    low = u.plain(text)
    if len(low.split()) > PLACE_ANSWER_WORDS or u.is_question(text):
        return False
    said = {w for w in re.findall(r"[a-z0-9]{4,}", low) if w not in _ANY_PLACE}
    known = set(re.findall(r"[a-z0-9]{4,}", u.plain(f"{location_text(turn, earlier)} {earlier.text}")))
    return bool(said & known)


async def recurrence_answer(turn: Turn, code: str | None, text: str) -> bool:
    """The answer to `offer_recurrence`: its buttons, or a typed yes or no while it stands."""
    offer = _standing_offer(turn, RECUR_KEY, (RECUR_YES, RECUR_NO), RECUR_MINUTES, code)
    if not isinstance(offer, dict):
        return offer
    typed = None if code or len(text.split()) > 6 or u.is_question(text) else u.yes_no(text)
    answer = True if code == RECUR_YES else False if code == RECUR_NO else typed
    earlier = await turn.store.get_ticket(str(offer.get("number")))
    if answer is None and not code and earlier is not None and _names_its_place(turn, text, earlier):
        answer = True  # "yang di depan SD sukamaju itu": the same place, which is what was asked
    turn.state.pop(RECUR_KEY, None)
    if answer is None:
        return False  # something else: the offer lets go
    words = str(offer.get("text") or "")
    if answer is False or earlier is None or earlier.reporter != turn.identity.key:
        await complaint.start_from_text(turn, words, await turn.services.nlu.parse(words[:1000]))
        return True
    # routed by what was reported then and what is said now; at the same place; the earlier number named
    parse = await turn.services.nlu.parse(f"{earlier.text}\n{words}"[:1000])
    told = f"{words}\n{turn.t('recur_note', 'id', number=earlier.number)}"
    await complaint.start_from_text(turn, told, parse, ComplaintDraft(location=dict(earlier.location or {}) or None))
    return True
