"""Letters (surat pengantar / keterangan): a resident requests one in chat, the village head (and camat) decide.

The request is kept as a `Ticket` of kind "surat" (number SRT-2612-0001, `topic` = letter type, the answers
in `extra["letter"]`), its decisions as ticket events with who and when. On the last approval a
`letter_issue` outbox job renders the PDF, signs it (PAdES or BSrE, `integrations/signing.py`), stores it
and sends the resident a download link; the village head can revoke an issued letter.

The dialogue calls `intercept(turn)` for every message: it runs the letter flows and starts one when a
resident asks for a letter in words ("mau bikin surat pengantar SKCK").
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
import re
import secrets
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from actions import understand as u
from actions.base import WEB_ORIGIN_KEY, Services, Turn, command, find_ticket_number
from actions.common import format_date, staff_lang
from actions.letter_pdf import LetterContent, SignatureBlock, render_letter
from actions.letters_config import (
    SIGNER_CAMAT,
    Catalog,
    FieldSpec,
    LetterType,
    Village,
    check_nik,
    clean_nik,
    letter_number,
    load_catalog,
    mask_nik,
    parse_date,
    read_nik,
)
from actions.on_behalf import ROLE_COMPANION
from bot.errors import PermanentError, RetryableError
from bot.message import Attachment, Button, Reply
from bot.store.base import (
    LETTER_KIND,
    OPEN_STATUSES,
    ROLE_RESIDENT,
    Changes,
    ConflictError,
    Media,
    OutboxJob,
    Ticket,
    TicketEvent,
    TicketQuery,
)

logger = logging.getLogger(__name__)

KIND = LETTER_KIND
ROLE_VILLAGE_HEAD = "village_head"
ROLE_CAMAT = "camat"
LETTER_ROLES = (ROLE_VILLAGE_HEAD, ROLE_CAMAT)

# Statuses of a letter request (none of them is a complaint status, so complaint queues never list them).
WAIT_HEAD = "menunggu_kades"
WAIT_CAMAT = "menunggu_camat"
NEEDS_FIX = "perlu_perbaikan"
SIGNING = "ditandatangani"
ISSUED = "terbit"
REJECTED = "ditolak"
REVOKED = "dicabut"
PENDING = (WAIT_HEAD, WAIT_CAMAT, NEEDS_FIX, SIGNING)

FLOW = "letter"
STAFF_FLOW = "letter_staff"
JOB_ISSUE = "letter_issue"
TOKEN_KEY = "letter:verify:"
DOWNLOAD_KEY = "letter:download:"
# A letter request names a letter ("surat", "pengantar", "keterangan", SKCK...), asks for it (a verb) or is
# short ("SKTM"), and is not a question about requirements (those the FAQ answers).
_LETTER_WORDS = re.compile(r"\b(surat|pengantar|keterangan|sktm|skck|sku|letter|certificate)\b")
_REQUEST_WORDS = re.compile(r"\b(bikin|buat|membuat|minta|meminta|mengajukan|ajukan|urus|ngurus|mengurus|butuh|"
                            r"perlu|mau|ingin|pengen|pingin|request|need|want|apply)\b")
_QUESTION_WORDS = re.compile(r"\b(syarat|persyaratan|biaya|bayar|berapa|gimana|bagaimana|dimana|kemana|cara|apa|"
                             r"apakah|where|how|what|requirements?)\b|\bdi mana\b|\?\s*$")
# "bisa minta surat keterangan domisili untuk ibu saya?": a request asked politely (fortieth trial: FAQs to pick)
_MAY_I = re.compile(r"^(?:\S+\s+){0,2}?(?:bisa|boleh|bisakah|bolehkah|can\s+i|could\s+i|may\s+i)\s+(?:saya\s+)?"
                    r"(?:minta|meminta|buat|bikin|membuat|mengajukan|ajukan|urus|ngurus|request|get|apply\s+for)\b")
# "surat keterangan usaha bisa?", "sktm bisa gak?" (forty-first trial: FAQs to pick from): a request asked politely
_CAN_IT = re.compile(r"\s+(?:bisa|boleh|bisakah|can\s+i)"
                     r"(?:\s+(?:gak|ga|nggak|ngga|tidak|ndak|enggak|ya|kah|pak|bu|min))*"
                     r"\s*\??\s*$")
CAN_IT_WORDS = 4
_WANT_TO_MAKE = re.compile(r"^(?:\S+\s+){0,2}?(?:mau|ingin|pengen|pingin|hendak|arep|badhe)\s+"
                           r"(?:minta|meminta|bikin|buat|membuat|urus|ngurus|mengurus|mengajukan|ajukan|ajuin)\b")
_GENERIC = re.compile(r"\b(surat pengantar|surat keterangan|cover letter)\b")
SHORT_REQUEST_WORDS = 4  # "SKTM", "surat domisili": a request even without a verb
# ... or the letter named first, then what it is for: "surat domisili untuk daftar sekolah anak" (thirty-fourth
# trial: a complaint about school facilities began)
_FOR_PURPOSE = re.compile(r"^(?:surat|sktm|skck|sku)\b(?:\s+\S+){0,3}?\s+(?:untuk|utk|buat|keperluan|guna|for)\b")
MAX_TYPED_REQUEST_WORDS = 12  # longer messages naming a letter are complaints or stories, not requests
MAX_GENERIC_REQUEST_WORDS = 6


def catalog_of(services: Services) -> Catalog:
    return load_catalog(services.settings.content_dir)


def letter_of(ticket: Ticket) -> dict[str, Any]:
    data: dict[str, Any] = ticket.extra.setdefault("letter", {})
    return data


def wanted_type(text: str, catalog: Catalog) -> tuple[bool, LetterType | None]:
    """(is this a request for a letter, which type if one is named) for a resident's free text."""
    low = " ".join((text or "").lower().split())
    bare = _CAN_IT.sub("", low).rstrip("? ")
    # "bisa minta surat …?", "surat keterangan usaha bisa?" (the letter alone: not "sktm buat berobat ke rs bisa?",
    # whether it serves a purpose, the FAQ's)
    polite = _MAY_I.match(low) or (_CAN_IT.search(low) and len(bare.split()) <= CAN_IT_WORDS
                                   and not re.search(r"\b(?:buat|untuk|utk|for|dipakai|digunakan|pakai)\b", bare))
    # "sekalian mau bikin surat domisili juga bisa?" (forty-second trial: asked of the offices as a question)
    polite = polite or bool(_CAN_IT.search(low) and _WANT_TO_MAKE.match(bare))
    asked = _QUESTION_WORDS.search(low) and not (polite and not _QUESTION_WORDS.search(bare))
    if not low or low.startswith("/") or not _LETTER_WORDS.search(low) or asked:
        return False, None
    words = len(low.split())
    if not _REQUEST_WORDS.search(low) and words > SHORT_REQUEST_WORDS and not _FOR_PURPOSE.match(low):
        return False, None
    for letter_type in catalog.types.values():
        if any(re.search(rf"(?<!\w){re.escape(k)}(?!\w)", low) for k in letter_type.keywords):
            return words <= MAX_TYPED_REQUEST_WORDS, letter_type
    return bool(_GENERIC.search(low)) and words <= MAX_GENERIC_REQUEST_WORDS, None


# --- the dialogue's entry point ------------------------------------------------------------------------
async def intercept(turn: Turn) -> bool:
    """Handle the message if it belongs to a letter flow or asks for a letter; False to let the dialogue go on."""
    flow = turn.state.get("flow")
    if flow == FLOW:
        await _continue(turn)
        return True
    if flow == STAFF_FLOW:
        await _continue_staff(turn)
        return True
    if flow is not None:
        return False
    text = turn.message.text.strip()
    number = find_ticket_number(text)
    catalog = catalog_of(turn.services)
    if number and number.startswith(catalog.number_prefix + "-") and len(text.split()) <= 3:
        await show_letter_status(turn, number)
        return True
    if await staff_words(turn) or await fix_in_words(turn):
        return True
    if turn.identity.role == ROLE_RESIDENT and asks_own_letter(text):
        await show_own_letters(turn, catalog.number_prefix)  # "surat saya sudah jadi belum?"
        return True
    if turn.identity.role == ROLE_RESIDENT and await about_pending_letter(turn, text):
        return True
    if turn.identity.role == ROLE_RESIDENT and await about_letter_outcome(turn, text):
        return True
    if (turn.identity.role in (ROLE_RESIDENT, ROLE_COMPANION) and _WHO_SIGNS.search(u.plain(text))
            and len(text.split()) <= WHO_SIGNS_WORDS and u.is_question(text)):
        turn.say("letter_who_signs")  # "kalau pak kades tidak ada, siapa yang tanda tangan?" (forty-first trial)
        return True
    if (turn.identity.role in (ROLE_RESIDENT, ROLE_COMPANION) and _VALIDITY.search(text.lower())
            and re.search(r"\b(?:surat\w*|sktm|skck|letters?)\b", text.lower()) and u.is_question(text)):
        turn.say("letter_validity")  # "suratnya berlaku berapa lama?" (fortieth trial: FAQs to pick from)
        return True
    asked, letter_type = wanted_type(text, catalog)
    if not asked:
        return how_to_letter(turn, text, catalog)
    if (other := _FOR_RELATIVE.search(u.plain(text))) is not None:
        # "… untuk ibu saya": the letter names the person it is for; their data are asked, the letter comes here
        turn.say("letter_for_relative", relative=other.group("id") or other.group("en"))
    no_ktp = letter_type is not None and letter_type.photo == "ktp" and bool(_NO_KTP.search(u.plain(text)))
    if no_ktp:
        turn.say("letter_no_ktp")  # "… tapi saya belum punya ktp, masih kk saja" (forty-first trial: "have your KTP")
    await start(turn, letter_type, photo_doc="kk" if no_ktp else None)
    return True


# "saya belum punya ktp", "ktp saya hilang", "I don't have an ID card yet": the photo asked can be of the KK
_NO_KTP = re.compile(r"\b(?:belum|blm|tidak|tdk|gak|ga|nggak|ngga)\s+(?:\S+\s+)?(?:punya|ada|pny)\s+(?:e-?)?ktp\w*\b"
                     r"|\bktp\w*\s+(?:saya\s+|sy\s+)?(?:hilang|rusak|belum\s+jadi|masih\s+proses)\b"
                     r"|\b(?:don'?t|do\s+not)\s+have\s+(?:an?\s+)?(?:id|ktp)\b")


# "kalau pak kades tidak ada, siapa yang tanda tangan?", "who signs the letter?" (forty-first trial: a complaint on
# village officials began)
_WHO_SIGNS = re.compile(r"\b(?:siapa|sapa|who)\b.*\b(?:tanda\s*tangan\w*|tandatangan\w*|menandatangani|ttd|teken|neken|"
                        r"sign\w*)\b")
WHO_SIGNS_WORDS = 16
# "suratnya berlaku berapa lama?", "sampai kapan surat domisili berlaku?", "how long is the letter valid?"
_VALIDITY = re.compile(r"\b(?:berlaku|berlakunya|masa\s+berlaku|kadaluarsa|kedaluwarsa|kadaluwarsa|expire\w*|"
                       r"valid\w*)\b")
# "untuk ibu saya", "buat anak saya", "for my mother": a letter for a relative
_FOR_RELATIVE = re.compile(r"\b(?:untuk|buat|utk)\s+(?P<id>ibu|bapak|ayah|emak|mak|anak|suami|istri|orang\s+tua|mertua|"
                           r"adik|kakak|nenek|kakek|mbah|keponakan|cucu)(?:\s+(?:saya|sy|kami|aku)|ku)\b"
                           r"|\bfor\s+my\s+(?P<en>mother|father|mom|dad|son|daughter|husband|wife|parents?|brother|"
                           r"sister|grandmother|grandfather)\b")


# "surat pengantar skck gimana caranya?", "berapa lama surat domisili jadi?", "how do I get a police clearance
# letter?" (twenty-ninth trial: FAQs on SKTM and moving house to pick from): how it goes here, and a button to begin.
# Requirements ("syarat SKTM apa saja?") stay the FAQ's.
_HOW_LETTER = re.compile(r"\b(?:cara\w*|gimana|bagaimana|gmn|piye|prosedur\w*|alur\w*|how|berapa\s+lama|brp\s+lama|"
                         r"kapan\s+(?:jadi|selesai|beres)|lama\s+(?:jadi|selesai|prosesnya|bikinnya))\b")
HOW_LETTER_WORDS = 14
_HOW_LONG = re.compile(r"\b(?:berapa\s+lama|brp\s+lama|kapan\s+(?:jadi|selesai|beres)|lama\s+(?:jadi|selesai|"
                       r"prosesnya|bikinnya)|how\s+long)\b")
_LETTER_DONE = re.compile(r"\bsurat(?:nya)?\b(?:\s+\S+){0,2}?\s+(?:jadi|selesai|beres|keluar|diproses)\b"
                          r"|\bsurat\s+(?:dari\s+)?(?:desa|kelurahan)\b|\bletters?\b|\b(?:jadi|selesai)\s+surat\w*\b")


def how_to_letter(turn: Turn, text: str, catalog: Catalog) -> bool:
    """A resident asking how a letter is had here, or how long it takes: the one named (who signs, how long, what to
    have ready, a button to begin), else every kind with its days. False for anything else."""
    low = " ".join(text.lower().split())
    needs = bool(re.search(r"\bsyarat", low))  # "surat domisili syaratnya apa" (thirty-seventh trial: FAQs to pick)
    if (turn.identity.role not in (ROLE_RESIDENT, ROLE_COMPANION) or len(low.split()) > HOW_LETTER_WORDS
            or not _LETTER_WORDS.search(low) or not (_HOW_LETTER.search(low) or needs)):
        return False
    # the kind named as the letter ("surat pengantar skck", "surat domisili"), not a word of another matter ("pindah
    # domisili ke luar kota, surat pindahnya bagaimana?" asks about moving house: the FAQ's)
    named = next((t for t in catalog.types.values()
                  if any(re.search(rf"\b(?:surat|pengantar|keterangan|letter|certificate)\s+(?:\S+\s+){{0,2}}?"
                                   rf"{re.escape(k)}(?!\w)", low) for k in t.keywords)), None)
    if needs and (named is None or not re.search(r"\bsurat\b", low)):
        return False  # ("syarat skck": the police's, the FAQ's)
    if named is not None:
        signers = turn.t("letter_signers_camat" if named.needs_camat else "letter_signers_head")
        turn.say("letter_how", [Button(turn.t("letter_how_button"), f"/surat {named.id}")],
                 type=named.name_in(turn.lang), signers=signers, days=named.sla_days,
                 photo=turn.t(f"letter_photo_{named.photo}") if named.photo else "-")
        return True
    if not (_HOW_LONG.search(low) and _LETTER_DONE.search(low)) or re.search(r"\bpindah", low):
        return False  # ("berapa lama surat jadi?"; "surat pindahnya bagaimana?" is Dukcapil's, the FAQ's)
    kinds = "\n".join(turn.t("letter_how_line", type=t.name_in(turn.lang), days=t.sla_days)
                      for t in catalog.types.values())
    turn.say("letter_how_all", [Button(turn.t("letter_how_button"), "/surat")], kinds=kinds)
    return True


async def start(turn: Turn, letter_type: LetterType | None, photo_doc: str | None = None) -> None:
    """Begin a request: confirm the type (or pick one), then the village. `photo_doc`: the document whose photo is
    asked instead of the type's ("kk" for someone with no KTP yet)."""
    catalog = catalog_of(turn.services)
    turn.reset_flow()
    turn.state.update(flow=FLOW, step="type", l={"fields": {}, **({"photo_doc": photo_doc} if photo_doc else {})})
    if letter_type is None:
        buttons = [Button(t.name_in(turn.lang), f"jenis:{t.id}") for t in catalog.types.values()]
        turn.say("letter_pick_type", buttons)
        return
    _choose_type(turn, letter_type)


def photo_document(turn: Turn, letter_type: LetterType) -> str:
    """The document whose photo this request asks for, in words ("KTP"; "Kartu Keluarga (KK)" for someone who said
    they have no KTP yet); "-" for a letter that needs none."""
    if not letter_type.photo:
        return "-"
    doc = str(turn.state.get("l", {}).get("photo_doc") or letter_type.photo)
    return turn.t(f"letter_photo_{doc}")


def _choose_type(turn: Turn, letter_type: LetterType) -> None:
    data = turn.state["l"]
    data["type"] = letter_type.id
    turn.state["step"] = "village"
    catalog = catalog_of(turn.services)
    signers = turn.t("letter_signers_camat" if letter_type.needs_camat else "letter_signers_head")
    buttons = [Button(f"{v.kind_title} {v.name}", f"desa:{v.id}") for v in catalog.villages.values()][:10]
    turn.say("letter_start", buttons, type=letter_type.name_in(turn.lang), signers=signers,
             days=letter_type.sla_days, photo=photo_document(turn, letter_type))


@command("surat")
async def cmd_letter(turn: Turn, args: str) -> None:
    """/surat [jenis]: request a letter."""
    catalog = catalog_of(turn.services)
    wanted = catalog.types.get(args.strip().lower()) if args.strip() else None
    if wanted is None and args.strip():
        wanted = wanted_type(args, catalog)[1]
    await start(turn, wanted)


# --- the resident's flow: one small handler per step -----------------------------------------------------
async def _continue(turn: Turn) -> None:
    step = str(turn.state.get("step") or "")
    handler = _STEPS.get(step)
    if handler is None:
        turn.reset_flow()
        return
    if step in ("type", "village", "field") and _other_type(turn):
        return
    if step == "field" and _other_village(turn):
        return
    if step in ("village", "field") and (_answer_aside(turn) or _answer_later(turn)):
        return
    if step == "photo" and not turn.message.attachments and (_answer_aside(turn) or _answer_later(turn)):
        return  # "berapa lama jadinya?" where the KTP photo is asked (thirty-seventh trial: "send the photo")
    await handler(turn)


# "nik saya lupa, nanti saya lihat dulu di KTP", "belum hafal alamat lengkapnya": the answer comes later
_LATER = re.compile(r"\b(?:lupa|kelupaan|nanti|ntar|belum\s+(?:tahu|tau|ingat|inget|hafal|apal|ada|pegang|bawa)|"
                    # "besok saja ya, saya lagi kerja" (thirty-eighth trial: "a NIK has 16 digits")
                    r"besok\s+(?:saja|aja|ya|lagi|dilanjut\w*)|lain\s+kali|lagi\s+(?:kerja|sibuk|di\s+jalan|nyetir|repot)|"
                    r"(?:lihat|liat|cek|cari|tanya|tanyakan)\s+(?:\S+\s+)?dulu|forgot|forget|later|don'?t\s+remember)\b")
LATER_WORDS = 16


def _answer_later(turn: Turn) -> bool:
    """The resident will answer the question later: the request is kept as it is, and waits."""
    text = turn.message.text.strip()
    if len(text.split()) > LATER_WORDS or text.lower().startswith(("desa:", "/")) or not _LATER.search(u.plain(text)):
        return False
    if any(ch.isdigit() for ch in text):
        return False  # "nanti jam 3 ya, 3204…": an answer may be in it; the step reads it
    turn.say("letter_later")
    ask_step_again(turn)
    return True


def ask_step_again(turn: Turn) -> None:
    if turn.state.get("step") == "village":
        catalog = catalog_of(turn.services)
        turn.say("letter_ask_village", [Button(f"{v.kind_title} {v.name}", f"desa:{v.id}")
                                        for v in catalog.villages.values()][:10])
    else:
        _ask_next(turn)


# "eh bukan, maksudnya surat keterangan usaha", "salah, yang SKU": another letter type named as a correction
_TYPE_FIX_LEAD = re.compile(r"^\W*(?:(?:eh+|oh+|maaf|sorry|aduh|bukan|bkn|salah|ralat|keliru|gak jadi|ga jadi|"
                            r"nggak jadi|tidak jadi|no|wait|dudu|sanes)\W+)+(?:(?:maksud(?:nya|ku)?|maksud saya|"
                            r"i meant|i mean|yang|yg)\W+)?|^\W*(?:maksud(?:nya|ku)?|maksud saya|i meant|i mean)\W+")
TYPE_FIX_WORDS = 12


def _other_type(turn: Turn) -> bool:
    """A correction that names another letter type: the request becomes that type, keeping the village and the
    answers both types ask."""
    text = turn.message.text.strip()
    lead = _TYPE_FIX_LEAD.match(text.lower())
    current = _type_of(turn)
    if lead is None or len(text.split()) > TYPE_FIX_WORDS:
        return False
    wanted = wanted_type(f"surat {text[lead.end():]}", catalog_of(turn.services))[1]
    if wanted is None or current is None or wanted.id == current.id:
        return False
    data = turn.state["l"]
    keys = {spec.key for spec in wanted.fields}
    data["fields"] = {k: v for k, v in (data.get("fields") or {}).items() if k in keys}
    if data.get("village"):
        data["type"] = wanted.id
        turn.say("letter_type_changed", type=wanted.name_in(turn.lang))
        _ask_next(turn)
    else:
        _choose_type(turn, wanted)
    return True


# "eh salah desa, saya warga desa japan", "maaf, desanya japan bukan sooko" while the fields are asked (thirty-ninth
# trial: "a NIK has 16 digits"): the request goes to that village's head, the answers kept
_VILLAGE_FIX = re.compile(r"\b(?:salah|keliru|bukan|ralat|ganti|maksud\w*|harusnya|seharusnya|wrong)\b")
_VILLAGE_NAMED = re.compile(r"\b(?:desa|kelurahan|kel|ds|village)\s+([a-z][a-z'-]+)|\b([a-z][a-z'-]+)\s+village\b")
VILLAGE_FIX_WORDS = 14


def _other_village(turn: Turn) -> bool:
    low = u.plain(turn.message.text)
    if len(low.split()) > VILLAGE_FIX_WORDS or not _VILLAGE_FIX.search(low):
        return False
    catalog = catalog_of(turn.services)
    data = turn.state.get("l") or {}
    for found in _VILLAGE_NAMED.finditer(low):
        village = catalog.find_village(found.group(1) or found.group(2) or "")
        if village is not None and village.id != data.get("village"):
            data["village"] = village.id
            turn.say("letter_village_changed", village=f"{village.kind_title} {village.name}")
            _ask_next(turn)
            return True
    return False


# Questions asked in the middle of a request (nineteenth trial: "berapa lama jadinya?" at the village question was
# told the village is not served): answered, and the question of the step asked again.
_ASIDES = (
    # ("kapan suratnya jadi?" at the name question: thirty-fourth trial, taken for the name)
    ("letter_aside_duration", re.compile(r"\b(?:berapa\s+lama|brp\s+lama|how\s+long|when\s+will|"
                                         r"kapan\s+(?:surat\w*\s+)?(?:jadi|selesai|beres|keluar|bisa|jadinya|"
                                         r"diproses|ditandatangani)(?:nya)?)\b")),
    ("letter_aside_pickup", re.compile(r"\b(?:ambil|diambil|ngambil|mengambil|diwakilkan|diwakili|dijemput|"
                                       r"pick(?:ed)?\s+up|collect(?:ed)?)\b"
                                       # "harus datang ke balai desa gak?" (forty-second trial: "cannot answer")
                                       r"|\b(?:harus|perlu|wajib|mesti|kudu|apa|apakah)\s+(?:\S+\s+)?(?:datang|dateng|ke\s+"
                                       r"(?:balai|kantor)|menghadap|sowan)\b|\b(?:do|must|should)\s+i\s+(?:come|go)\b")),
    # "eh tunggu, syaratnya apa aja?" (thirty-sixth trial: "cannot answer that here"): what the request needs
    # (not "syarat pendaftaran sekolah anak", a purpose: the requirements asked after)
    ("letter_aside_requirements", re.compile(r"\b(?:syarat|persyaratan)(?:nya)?\s+(?:apa|apaan|gimana|bagaimana)\b|"
                                             r"\bapa\s+(?:saja\s+|aja\s+|sj\s+)?(?:syarat|persyaratan)\w*|"
                                             r"\b(?:bawa|dibawa|disiapkan)\s+apa\b|\bperlu\s+(?:bawa|disiapkan)\s+apa\b|"
                                             r"\bapa\s+(?:saja|aja)\s+yang\s+(?:perlu|harus|dibawa|disiapkan)\b|"
                                             r"\bwhat\s+(?:are\s+the\s+)?requirements\b|\bwhat\s+do\s+i\s+need\b"
                                             # "what documents do I need?" (forty-first trial: "cannot answer")
                                             r"|\bwhat\s+(?:\S+\s+)?(?:documents?|papers?)\b|\b(?:dokumen|berkas)\w*\s+"
                                             r"(?:apa|apaan)\b|\bapa\s+(?:saja\s+|aja\s+)?(?:dokumen|berkas)\w*")),
    ("letter_aside_cost", re.compile(r"\b(?:biaya|biayanya|bayar|berbayar|gratis|tarif|cost|fee|pay)\b")),
    # "kenapa harus pakai nik?", "nik buat apa?", "why do you need my NIK?" (thirty-first trial: "cannot answer")
    ("letter_aside_nik", re.compile(r"\b(?:kenapa|mengapa|knp|napa|buat\s+apa|untuk\s+apa|utk\s+apa|gunanya|why)\b"
                                    # "buat apa sih pak nanya-nanya?" (thirty-second trial: "cannot answer")
                                    r".{0,30}\b(?:nik|niknya|ktp|ktpnya|data\s+diri|data\s+saya|identitas|id|nanya\w*|"
                                    r"tanya\w*|ditanya\w*)\b"
                                    r"|\b(?:nik|niknya|ktp|ktpnya)\s+(?:\S+\s+)?(?:buat|untuk|utk)\s+apa\b")),
    # "halo, yang kemarin surat kelahiran gimana?" while it is still being filled in (thirty-eighth trial: "cannot
    # answer that here"): not sent yet, the question it stopped at
    ("letter_aside_not_sent", re.compile(r"\b(?:surat\w*|permohonan\w*|letter|request|yang\s+(?:kemarin|tadi))\b.*"
                                         r"\b(?:gimana|bagaimana|gmn|piye|kabar\w*|status\w*|sampai\s+mana)\b"
                                         r"|\b(?:how\s+is|any\s+news\s+on)\s+(?:my\s+)?(?:letter|request)\b")),
)


# "buat apa ya ini, saya cuma perlu buat daftar sekolah anak", "apakah ini bisa buat daftar kerja?": a question about
# the letter (which the request keeps), not a complaint to set the request aside for
_ABOUT_LETTER = re.compile(r"^(?:\S+\s+){0,2}?(?:apa|apakah|apa\s+ya|gimana|bagaimana|kenapa|knp|bisa|bisakah|boleh|"
                           r"perlu|perlukah|harus|untuk\s+apa|buat\s+apa|what|which|can|do\s+i|is\s+this)\b")


def asks_about_letter(text: str) -> bool:
    return len(text.split()) <= 16 and bool(_ABOUT_LETTER.search(u.plain(text)))


def about_the_request(text: str) -> bool:
    """A question about the letter, its answer put off ("nik saya lupa, nanti saya lihat dulu"), or what it is for
    ("untuk berobat anak saya"): words for the request, which a complaint must not set aside."""
    return (asks_about_letter(text) or (len(text.split()) <= LATER_WORDS and bool(_LATER.search(u.plain(text))))
            or _PURPOSE_LEAD.match(u.plain(text)) is not None)


# "untuk berobat anak saya", "buat daftar sekolah", "keperluannya melamar kerja", "for a job application": a letter's
# purpose, told before it is asked
_PURPOSE_LEAD = re.compile(r"^(?:(?:ini|itu|suratnya|surat\s+ini|pak|bu|kak|min)\s+)*(?:untuk|utk|buat|bwt|guna|"
                           r"keperluan(?:nya)?|keperluan\s+untuk|for)\s+(?P<purpose>\S.{3,})$")
PURPOSE_WORDS = 20


def _purpose_told(turn: Turn, text: str) -> str | None:
    """The purpose in a message at the village question, when the letter asks one and it is not answered yet."""
    letter_type = _type_of(turn)
    found = _PURPOSE_LEAD.match(u.plain(text)) if len(text.split()) <= PURPOSE_WORDS else None
    if (found is None or letter_type is None or "purpose" not in {f.key for f in letter_type.fields}
            or "purpose" in turn.state["l"]["fields"]):
        return None
    spec = next(f for f in letter_type.fields if f.key == "purpose")
    purpose = found.group("purpose").strip(" .,!?")
    return purpose if len(purpose) >= spec.min and len(purpose) <= spec.max else None


# "ini untuk apa ya?", "maksudnya apa?", "diisi apa?", "contohnya?", "what does this mean?": the part asked, explained
_FIELD_MEANING = re.compile(r"^(?:\S+\s+){0,2}?(?:untuk\s+apa|buat\s+apa|maksud\w*(?:\s+\S+)?\s+apa|apa\s+maksud\w*|"
                            r"diisi\s+apa|isi(?:nya)?\s+apa|contoh\w*|misal\w*\s+apa|apa\s+itu|itu\s+apa|"
                            r"what\s+(?:does\s+(?:this|that|it)\s+mean|should\s+i\s+(?:write|put))|for\s+example)\b")


def _answer_aside(turn: Turn) -> bool:
    text = turn.message.text.strip()
    if text.lower().startswith(("desa:", "/")) or len(text.split()) > 16:
        return False
    if not u.is_question(text) and not asks_about_letter(text):
        return False
    key = next((k for k, pattern in _ASIDES if pattern.search(u.plain(text))), None)
    if key is None and turn.state.get("step") == "field" and _FIELD_MEANING.search(u.plain(text)):
        # "ini untuk apa ya?" where the purpose is asked (thirty-ninth trial: "cannot answer that here"): what the
        # part means, with an example, and the question again
        field = str(turn.state.get("field") or "")
        turn.say(f"letter_field_help_{field}" if turn.texts.has(f"letter_field_help_{field}") else "letter_field_help")
        ask_step_again(turn)
        return True
    if key == "letter_aside_nik" and re.search(r"\d{6}", text):
        return False  # "nik saya 3516… bener gak?": the NIK, which its step reads
    letter_type = _type_of(turn)
    if letter_type is None:
        return False
    if key is None:
        if turn.state.get("step") != "village" or catalog_of(turn.services).find_village(text) is not None:
            return False  # (a question at a field may be its answer's doubt: the field's own check answers it)
        key = "letter_aside_other"
    turn.say(key, days=letter_type.sla_days, type=letter_type.name_in(turn.lang),
             photo=photo_document(turn, letter_type))
    ask_step_again(turn)
    return True


def _type_of(turn: Turn) -> LetterType | None:
    return catalog_of(turn.services).types.get(str(turn.state.get("l", {}).get("type")))


async def _step_type(turn: Turn) -> None:
    text = turn.message.text.strip()
    catalog = catalog_of(turn.services)
    chosen = catalog.types.get(text[6:]) if text.lower().startswith("jenis:") else wanted_type(
        f"surat {text}", catalog)[1]
    if chosen is None:
        buttons = [Button(t.name_in(turn.lang), f"jenis:{t.id}") for t in catalog.types.values()]
        turn.say("letter_pick_type", buttons)
        return
    _choose_type(turn, chosen)


async def _step_village(turn: Turn) -> None:
    text = turn.message.text.strip()
    catalog = catalog_of(turn.services)
    village = catalog.villages.get(text[5:]) if text.lower().startswith("desa:") else catalog.find_village(text)
    if village is None and (purpose := _purpose_told(turn, text)) is not None:
        # "untuk berobat anak saya" at the village question: the purpose, kept for its field, and the village asked
        # again (thirtieth trial: taken for a complaint, the request set aside)
        turn.state["l"]["fields"]["purpose"] = purpose
        buttons = [Button(f"{v.kind_title} {v.name}", f"desa:{v.id}") for v in catalog.villages.values()][:10]
        turn.say("letter_purpose_kept", buttons, purpose=purpose)
        return
    if village is None:
        names = ", ".join(f"{v.kind_title} {v.name}" for v in catalog.villages.values())
        turn.say("letter_unknown_village", villages=names)
        return
    turn.state["l"]["village"] = village.id
    _ask_next(turn)


def _ask_next(turn: Turn) -> None:
    """Ask the first field not answered yet; then the photo; then the summary."""
    letter_type = _type_of(turn)
    if letter_type is None:
        turn.reset_flow()
        return
    answers: dict[str, str] = turn.state["l"]["fields"]
    for spec in letter_type.fields:
        if spec.key not in answers:
            _ask_field(turn, spec)
            return
    if letter_type.photo and not turn.state["l"].get("photo"):
        turn.state["step"] = "photo"
        turn.say("letter_ask_photo", document=photo_document(turn, letter_type))
        return
    _summary(turn)


def _ask_field(turn: Turn, spec: FieldSpec) -> None:
    turn.state.update(step="field", field=spec.key)
    turn.state.pop("suggested", None)
    buttons = [Button(o, o) for o in spec.options]
    hint = turn.t(f"letter_hint_{spec.kind}") if turn.texts.has(f"letter_hint_{spec.kind}") else ""
    suggested = _from_nik(turn, spec)
    if suggested:
        # What the NIK already says is offered first: one tap (or "ya") answers; typing another answer still works.
        turn.state["suggested"] = suggested
        buttons = [Button(suggested, suggested), *(b for b in buttons if b.payload != suggested)]
        turn.say("letter_ask_field_from_nik", buttons, label=spec.label_in(turn.lang), value=suggested)
        return
    turn.say("letter_ask_field", buttons, label=spec.label_in(turn.lang), hint=hint)


def _from_nik(turn: Turn, spec: FieldSpec) -> str:
    """The answer to `spec` that the NIK given in this request encodes ("17 Agustus 1990", "Perempuan"), or ""."""
    nik = turn.state["l"]["fields"].get("nik") if spec.from_nik else None
    if not nik:
        return ""
    born, sex = read_nik(nik, turn.now.date())
    if spec.from_nik == "birth_date" and born is not None:
        months = turn.texts.get("month_names", "id").split(",")
        return f"{born.day} {months[born.month - 1]} {born.year}"
    if spec.from_nik == "sex" and sex is not None and len(spec.nik_options) == 2:
        return spec.nik_options[0] if sex == "male" else spec.nik_options[1]
    return ""


# "Yes" to the answer the NIK suggests.
_ACCEPT_WORDS = frozenset({"ya", "iya", "y", "yes", "benar", "betul", "bener", "sudah benar", "ok", "oke", "okay",
                           "sesuai", "correct", "right", "nggih", "inggih", "leres"})


# Month words beyond the full Indonesian and English names (those come from `month_names` in the texts):
# common abbreviations and older or regional spellings. Any 3+ letter start of a full name works too.
_MONTH_WORDS = {
    "peb": 2, "pebruari": 2, "febuari": 2, "mrt": 3, "maret": 3, "djuni": 6, "djuli": 7, "agt": 8, "ags": 8,
    "agst": 8, "agus": 8, "sept": 9, "spt": 9, "nop": 11, "nopember": 11, "des": 12, "dec": 12,
}
_DAY_MONTH_YEAR = re.compile(r"^(\d{1,2})[-/. ](\d{1,2})[-/. ](\d{2}|\d{4})$")
_DAY_NAME_YEAR = re.compile(r"^(\d{1,2})(?:st|nd|rd|th)?[-/. ]*([^\W\d_]+)\.?[-/., ]*(\d{2}|\d{4})$")
_NAME_DAY_YEAR = re.compile(r"^([^\W\d_]+)\.?[ ]*(\d{1,2})(?:st|nd|rd|th)?[, ]+(\d{2}|\d{4})$")
_DATE_FILLER = re.compile(r"^(?:tanggal|tgl\.?|lahir|date|born|on)\s+")


def _month_of(word: str, turn: Turn) -> int | None:
    """1-12 for a month's name in Indonesian or English, an abbreviation or a regional spelling."""
    word = word.lower()
    if word in _MONTH_WORDS:
        return _MONTH_WORDS[word]
    found = set()
    for lang in ("id", "en"):
        for number, name in enumerate(turn.texts.get("month_names", lang).lower().split(","), start=1):
            if word == name or (len(word) >= 3 and name.startswith(word)):
                found.add(number)
    return found.pop() if len(found) == 1 else None


def read_date(text: str, turn: Turn) -> date | None:
    """A past date typed as '15/7/1999', '15-07-99', '15 juli 1999', '15 Jul 99' or 'July 15, 1999'.

    A two-digit year is the latest year that keeps the date from being in the future (these dates are births
    and deaths): '99' is 1999 and '05' is 2005."""
    low = " ".join((text or "").lower().replace(",", " , ").split()).replace(" ,", ",")
    low = _DATE_FILLER.sub("", low)
    match = _DAY_MONTH_YEAR.match(low)
    if match:
        day, month, year = int(match.group(1)), int(match.group(2)), match.group(3)
    else:
        named = _DAY_NAME_YEAR.match(low)
        if named:
            day, month_word, year = int(named.group(1)), named.group(2), named.group(3)
        else:
            named = _NAME_DAY_YEAR.match(low)
            if not named:
                return None
            month_word, day, year = named.group(1), int(named.group(2)), named.group(3)
        found = _month_of(month_word, turn)
        if found is None:
            return None
        month = found
    today = turn.now.date()  # as the field's check has it
    years = [int(year)] if len(year) == 4 else [2000 + int(year), 1900 + int(year)]
    for full in years:
        try:
            value = date(full, month, day)
        except ValueError:
            return None
        if value <= today or len(years) == 1:
            return value if 1890 <= value.year else None
    return None


# Everyday words for the options of a choice field (matched after the options themselves).
_CHOICE_WORDS = {
    "Laki-laki": ("laki", "laki laki", "lakilaki", "laki2", "lelaki", "pria", "cowok", "cowo", "cowoq", "lk", "l",
                  "male", "man", "boy"),
    "Perempuan": ("perempuan", "wanita", "cewek", "cewe", "pr", "p", "female", "woman", "girl"),
    "Islam": ("muslim", "muslimah", "moslem"),
    "Kristen": ("kristen protestan", "protestan", "protestant", "christian", "kristiani"),
    "Katolik": ("katholik", "katolik roma", "catholic"),
    "Buddha": ("budha", "buda", "buddhist", "budhis"),
    "Khonghucu": ("konghucu", "konghuchu", "kong hu cu", "confucian"),
}


def _plain(text: str) -> str:
    """Lower case, letters and digits only, single spaces: how typed words are compared with labels."""
    return " ".join(re.sub(r"[^\w]+", " ", text.lower()).replace("_", " ").split())


def _validate(turn: Turn, spec: FieldSpec, text: str) -> tuple[str | None, str | None]:
    """(clean value, None) or (None, problem text key)."""
    value = " ".join(text.split())
    if spec.kind == "nik":
        problem = check_nik(value)
        return (None, problem) if problem else (clean_nik(value), None)
    if spec.kind == "date":
        parsed = parse_date(value) or read_date(value, turn)
        if parsed is None or parsed > turn.now.date():
            return None, "letter_bad_date"
        months = turn.texts.get("month_names", "id").split(",")
        return f"{parsed.day} {months[parsed.month - 1]} {parsed.year}", None
    if spec.kind == "choice":
        typed = _plain(value)
        for option in spec.options:
            if typed == _plain(option) or typed in _CHOICE_WORDS.get(option, ()):
                return option, None
        return None, "letter_bad_choice"
    if not (spec.min <= len(value) <= spec.max) or not re.search(r"[^\W\d_]", value):
        return None, "letter_bad_text"
    if _AS_ON_CARD.match(_plain(value)):
        # "alamat sama dengan ktp" (thirty-ninth trial: printed so on the letter): the letter needs the words
        return None, "letter_write_it_out"
    return value, None


# "alamat sama dengan ktp", "sesuai KTP", "same as my ID card": the value pointed at, not written
_AS_ON_CARD = re.compile(r"^(?:\S+\s+){0,2}?(?:sama|sesuai|seperti|kayak|kaya|spt|same\s+as|as\s+(?:on|in))\s+"
                         r"(?:dengan\s+|dgn\s+|di\s+|yang\s+di\s+|yg\s+di\s+)?(?:the\s+|my\s+)?"
                         r"(?:ktp|e-?ktp|kk|kartu\s+keluarga|id(?:\s+card)?|identity\s+card)(?:nya|\s+saya|\s+aja|\s+saja)?$")


def _say_problem(turn: Turn, spec: FieldSpec, problem: str) -> None:
    suggested = str(turn.state.get("suggested") or "")
    buttons = [Button(o, o) for o in ([suggested] if suggested else []) + [o for o in spec.options if o != suggested]]
    turn.say(problem, buttons, label=spec.label_in(turn.lang),
             min=spec.min, max=spec.max, options=", ".join(spec.options))


async def _step_field(turn: Turn) -> None:
    letter_type = _type_of(turn)
    key = turn.state.get("field")
    spec = next((f for f in letter_type.fields if f.key == key), None) if letter_type else None
    if spec is None:
        turn.reset_flow()
        return
    text = turn.message.text.strip()
    photos = [a for a in turn.message.attachments if a.kind == "photo" and a.data]
    if photos and not text and letter_type is not None and letter_type.photo:
        # the KTP photo sent while a field is asked (thirty-second trial: "please fill in the place of birth with 2
        # to 40 characters"): kept for the request, the field asked again
        _keep_photo(turn, photos[0])
        turn.say("letter_photo_kept_early", document=photo_document(turn, letter_type))
        _ask_field(turn, spec)
        return
    suggested = turn.state.get("suggested")
    if suggested and _plain(text) in _ACCEPT_WORDS:
        text = str(suggested)
    if letter_type is not None and _answer_for_another_field(turn, letter_type, spec, text):
        return
    if spec.kind != "nik" and (found := _nik_elsewhere(turn, letter_type, text)) is not None:
        # "3516011203850001" where the name is asked: the NIK, answered early; kept, and the name asked again. "eh
        # salah, nik saya yang benar 3516…" (thirty-first trial: taken for the name): the NIK answered again
        nik_spec, digits = found
        again = nik_spec.key in turn.state["l"]["fields"]
        nik, problem = _validate(turn, nik_spec, digits)
        if nik is not None and not problem:
            turn.state["l"]["fields"][nik_spec.key] = nik
            turn.say("letter_nik_changed" if again else "letter_nik_taken_early")
            _ask_field(turn, spec)
            return
        if again:
            _say_problem(turn, nik_spec, problem or "letter_bad_text")
            return
    if spec.kind == "nik" and not any(ch.isdigit() for ch in text) and _NO_NIK.search(u.plain(text)):
        # "i don't have nik, i am a foreigner", "saya belum punya KTP" (thirty-eighth trial: "a NIK has 16 digits")
        turn.say("letter_no_nik", label=spec.label_in(turn.lang))
        return
    if u.is_question(text) and not any(ch.isdigit() for ch in text) and (
            spec.kind in ("nik", "date") or (text.endswith("?") and len(text.split()) >= FIELD_QUESTION_WORDS)):
        # "eh tunggu, alamat saya beda dengan KTP, gimana?" where the NIK is asked: a question, not a wrong NIK
        turn.say("letter_field_question")
        _ask_field(turn, spec)
        return
    if letter_type is not None and _place_and_date(turn, letter_type, spec, text):
        return
    if spec.key in _NAME_FIELDS and (named := _NAME_SAID.match(" ".join(text.split()))) is not None \
            and not _SENTENCE.search(u.plain(named.group("name"))):
        text = named.group("name").strip(" .,!")  # "nama saya Siti Rahayu": the name
    elif spec.key in _NAME_FIELDS and len(text.split()) >= NAME_SENTENCE_WORDS and _SENTENCE.search(u.plain(text)):
        # "anak saya namanya Budi, tapi yang minta saya ibunya" (thirty-eighth trial: that sentence became the name on
        # the letter): the name alone, asked again
        turn.say("letter_name_only", label=spec.label_in(turn.lang))
        return
    value, problem = _validate(turn, spec, text)
    if problem or value is None:
        _say_problem(turn, spec, problem or "letter_bad_text")
        return
    turn.state.pop("field", None)
    turn.state.pop("suggested", None)
    if turn.state["l"].get("editing"):
        turn.state["l"].pop("editing", None)
        _changed(turn, spec, value)
        return
    turn.state["l"]["fields"][spec.key] = value
    _ask_next(turn)


FIELD_QUESTION_WORDS = 4  # "eh tunggu, alamat saya beda dengan KTP, gimana?" is no place of birth nor a name
_NO_NIK = re.compile(r"\b(?:tidak|tdk|gak|ga|gk|nggak|ngga|enggak|belum|blm|ndak|durung|dereng|don'?t|do\s+not|no)\s+"
                     r"(?:punya|pnya|ada|memiliki|have|got)\s+(?:\S+\s+)?(?:nik|ktp|kk|e-?ktp|id\s+card|id)\b"
                     r"|\bforeigner\b|\bforeign\s+(?:citizen|national|resident)\b|\bwarga\s+negara\s+asing\b|\bwna\b"
                     r"|\bbukan\s+(?:wni|warga\s+negara\s+indonesia)\b")
_NAME_FIELDS = frozenset({"name", "mother_name", "deceased_name", "child_name"})
_NAME_SAID = re.compile(r"^(?:nama\s+(?:lengkap\s+)?(?:saya|sy|aku|ku|beliau|ibunya|bayinya|almarhum\w*)|namanya|"
                        r"my\s+name\s+is|her\s+name\s+is|his\s+name\s+is)\s*:?\s+(?P<name>.+)$", re.I)
# words no name has, that a sentence has ("Anak Agung" is a name; "anak saya" is not)
_SENTENCE = re.compile(r"\b(?:saya|sy|aku|tapi|tetapi|tp|namanya|nama|untuk|buat|yang|yg|karena|krn|mau|minta|"
                       r"tolong|adalah|my|i|is|for|but|the)\b")
NAME_SENTENCE_WORDS = 4


def _place_and_date(turn: Turn, letter_type: LetterType, spec: FieldSpec, text: str) -> bool:
    """"mojokerto, 12 mei 1990" where the place of birth is asked, as the KTP writes "Tempat/Tgl Lahir" (thirty-seventh
    trial: all of it taken for the place, the date asked next and the answers after it read as dates): the place and
    the date, each kept, and the next field asked. False for anything else."""
    place, comma, when = text.partition(",")
    date_spec = next((f for f in letter_type.fields if f.key == "birth_date"), None)
    if (spec.key != "birth_place" or not comma or date_spec is None or date_spec.key in turn.state["l"]["fields"]
            or turn.state["l"].get("editing") or not place.strip() or not any(ch.isdigit() for ch in when)):
        return False
    born, problem = _validate(turn, date_spec, when)
    where, wrong = _validate(turn, spec, place)
    if born is None or problem or where is None or wrong:
        return False
    turn.state.pop("field", None)
    turn.state.pop("suggested", None)
    turn.state["l"]["fields"][spec.key] = where.title() if where.islower() else where
    turn.state["l"]["fields"][date_spec.key] = born
    turn.say("letter_place_and_date_taken", place=turn.state["l"]["fields"][spec.key], date=born)
    _ask_next(turn)
    return True


# "eh salah, nik saya yang benar 3516…", "NIK-nya keliru pak, ini 3516…": the NIK given again, with its word
_NIK_AGAIN = re.compile(r"\b(?:nik|niknya|no\s+ktp|nomor\s+ktp|nomer\s+ktp)\b")
NIK_AGAIN_WORDS = 12


def _nik_elsewhere(turn: Turn, letter_type: LetterType | None, text: str) -> tuple[FieldSpec, str] | None:
    """The request's NIK field and the digits, when `text` is a NIK alone (16 digits, spaces allowed) and the NIK
    is not answered yet, or names the NIK with one number in a short message (answered again)."""
    if letter_type is None:
        return None
    answers = turn.state["l"]["fields"]
    digits = re.sub(r"[\s.-]", "", text)
    if re.fullmatch(r"\d{16}", digits):
        spec = next((f for f in letter_type.fields if f.kind == "nik" and f.key not in answers), None)
        return (spec, digits) if spec else None
    numbers = re.findall(r"\d[\d\s.-]{10,}\d", text)
    if len(numbers) != 1 or len(text.split()) > NIK_AGAIN_WORDS or not _NIK_AGAIN.search(u.plain(text)):
        return None
    spec = next((f for f in letter_type.fields if f.kind == "nik"), None)
    return (spec, re.sub(r"[\s.-]", "", numbers[0])) if spec else None


async def _step_photo(turn: Turn) -> None:
    photos = [a for a in turn.message.attachments if a.kind == "photo" and a.data]
    letter_type = _type_of(turn)
    if not photos or letter_type is None:
        turn.say("letter_photo_needed", document=photo_document(turn, letter_type) if letter_type and
                 letter_type.photo else turn.t("letter_photo_ktp"))
        return
    _keep_photo(turn, photos[0])
    _summary(turn)


# An answer plainly shaped for another field than the one asked: an address ("Dusun Krajan RT 02 RW 01" where the
# occupation is asked), or a purpose ("untuk daftar sekolah anak" where the address is asked). Thirty-second trial:
# residents answer ahead of the question, and the summary showed "Pekerjaan: Dusun Krajan RT 02 RW 01".
_ADDRESS_SHAPE = re.compile(r"\b(?:rt|rw)\s*\.?\s*\d{1,3}\b|\b(?:jl|jln|jalan|gang|gg|blok|perum|perumahan|dusun|dsn|"
                            r"dukuh)\b\s+\S+")
_SHAPED_FOR = (("address", lambda text: bool(_ADDRESS_SHAPE.search(_plain(text)))),
               ("purpose", lambda text: _PURPOSE_LEAD.match(_plain(text)) is not None))
# The fields an early answer may be typed at (a place of birth or a name is never taken for an address)
_TAKES_EARLY = frozenset({"occupation", "address", "purpose", "business", "business_since", "income", "relation"})


def _answer_for_another_field(turn: Turn, letter_type: LetterType, spec: FieldSpec, text: str) -> bool:
    """Keep an answer meant for a later field there, and ask the current one again; False for anything else."""
    if len(text.split()) > 25:
        return False
    answered = turn.state["l"]["fields"]
    for key, shaped in _SHAPED_FOR:
        other = next((f for f in letter_type.fields if f.key == key), None)
        if other is None or key == spec.key or key in answered or not shaped(text):
            continue
        if spec.key not in _TAKES_EARLY and key != "purpose":
            continue  # (a purpose is never a name: "untuk melamar kerja di pabrik" at the name, thirty-seventh trial)
        value, problem = _validate(turn, other, text)
        if value is None or problem:
            continue
        answered[key] = value
        turn.say("letter_field_taken_early", label=other.label_in(turn.lang), value=value)
        _ask_field(turn, spec)
        return True
    return False


def _keep_photo(turn: Turn, photo: Attachment) -> None:
    """The request's document photo, stored with the turn."""
    media = Media(id=uuid.uuid4().hex, mime=photo.mime or "image/jpeg", data=photo.data or b"", created_at=turn.now)
    turn.changes.media.append(media)
    turn.state["l"]["photo"] = media.id


def _details(turn: Turn, letter_type: LetterType, answers: dict[str, str], lang: str, masked: bool = True) -> str:
    lines = []
    for spec in letter_type.fields:
        value = answers.get(spec.key, "-")
        if spec.kind == "nik" and masked:
            value = mask_nik(value)
        lines.append(f"• {spec.label_in(lang)}: {value}")
    return "\n".join(lines)


def _summary_buttons(turn: Turn) -> tuple[Button, ...]:
    return (turn.button("letter_button_send", "kirim"), turn.button("letter_button_edit", "ubah"),
            turn.button("letter_button_cancel", "batal"))


def _summary(turn: Turn) -> None:
    letter_type = _type_of(turn)
    data = turn.state["l"]
    village = catalog_of(turn.services).villages.get(str(data.get("village")))
    if letter_type is None or village is None:
        turn.reset_flow()
        return
    turn.state["step"] = "confirm"
    turn.say("letter_summary", _summary_buttons(turn),
             type=letter_type.name_in(turn.lang), village=f"{village.kind_title} {village.name}",
             details=_details(turn, letter_type, data["fields"], turn.lang),
             photo=turn.t("letter_photo_attached") if data.get("photo") else "-")


# At the summary: words that send it, words that open the list of parts, and ways of saying a part is wrong
# ("pekerjaannya salah, harusnya mahasiswa", "ganti alamat jadi ...", "occupation is wrong, should be student").
_SEND_WORDS = frozenset({"kirim", "ya", "send", "yes", "ajukan", "kirimkan", "benar", "sudah benar", "ya kirim"})
_EDIT_WORDS = frozenset({"ubah", "edit", "perbaiki", "ganti", "koreksi", "change", "correct", "fix"})
_WRONG = (r"(?:salah|keliru|kurang\s+tepat|tidak\s+(?:benar|tepat|sesuai)|(?:gak|ga|nggak|ngga)\s+(?:bener|benar)|"
          r"typo|(?:is\s+|are\s+)?(?:wrong|incorrect|not\s+right))")
_SHOULD = (r"(?:(?:se)?harusnya(?:\s+adalah)?|(?:se)?mestinya|sebenarnya|yang\s+benar(?:\s+adalah)?|yg\s+benar|"
           r"benarnya|(?:it\s+)?should\s+be|must\s+be|(?:the\s+)?(?:right|correct)\s+(?:one\s+)?is)")
_CHANGE = r"(?:ubah|ganti|edit|koreksi|perbaiki|change|correct|fix|update)"
_CORRECTIONS = (
    re.compile(rf"^(?P<field>.+?)\s+{_WRONG}\b(?:.*?\b{_SHOULD}\b\s*:?\s*(?P<value>.+))?", re.I),
    re.compile(rf"^(?P<field>.+?)\s*,?\s+{_SHOULD}\b\s*:?\s*(?P<value>.+)$", re.I),
    re.compile(rf"^{_CHANGE}\s+(?P<field>.+?)\s+(?:jadi|menjadi|dengan|ke|to|into|with)\s+(?P<value>.+)$", re.I),
    re.compile(rf"^{_CHANGE}\s+(?P<field>.+?)\s*[:=]\s*(?P<value>.+)$", re.I),
    re.compile(rf"^(?:{_CHANGE}\s+)?(?P<field>.+)$", re.I),
)
# Other names residents use for the parts (the labels in both languages and the keys work as they are).
_FIELD_WORDS = {
    "name": ("nama", "name"), "nik": ("nomor ktp", "no ktp", "nomor induk kependudukan", "nomor nik", "no nik"),
    "birth_date": ("tgl lahir", "tanggal lahir", "birthday", "dob", "birth date"),
    "birth_place": ("kota lahir", "tempat lahir", "birthplace"),
    "gender": ("kelamin", "jk", "gender", "sex", "jenis kelamin"),
    "occupation": ("kerja", "kerjaan", "profesi", "job", "work", "profession"),
    "address": ("alamat", "domisili", "rt rw", "address"), "purpose": ("tujuan", "keperluan", "purpose"),
    "religion": ("agama", "religion"), "business": ("usaha", "nama usaha", "jenis usaha", "business"),
    "income": ("penghasilan", "gaji", "income", "salary"),
}
_FILLER = frozenset({"yang", "yg", "bagian", "data", "kolom", "isian", "saya", "aku", "ku", "nya", "my", "the",
                     "your", "is", "are", "itu", "ini", "di", "pada", "tolong", "mohon", "please"})


def _field_named(letter_type: LetterType, text: str) -> FieldSpec | None:
    """The field of `letter_type` that `text` names ("pekerjaan", "Pekerjaannya", "Occupation", "alamat")."""
    words = [w[:-3] if w.endswith("nya") and len(w) > 5 else w for w in _plain(text).split()]
    phrase = " ".join(w for w in words if w not in _FILLER)
    if not phrase:
        return None

    def names(spec: FieldSpec) -> set[str]:
        labels = {spec.label_in("id"), spec.label_in("en"), spec.key}
        found = {_plain(n) for n in labels} | {_plain(n.split("(")[0]) for n in labels}
        return found | set(_FIELD_WORDS.get(spec.key, ()))

    for spec in letter_type.fields:
        if phrase in names(spec):
            return spec
    for spec in letter_type.fields:  # "tanggal" is the first date asked; "nama" the applicant's own name
        if any(n.startswith(phrase + " ") for n in names(spec)):
            return spec
    return None


def _correction(letter_type: LetterType, text: str) -> tuple[FieldSpec, str] | None:
    """(the field the resident names, the new value or "") for a message at the summary; None if none."""
    said = " ".join(text.split())
    for pattern in _CORRECTIONS:
        match = pattern.match(said)
        spec = _field_named(letter_type, match.group("field")) if match else None
        if match and spec is not None:
            value = (match.groupdict().get("value") or "").strip(" \t\"'“”‘’.,;!")
            return spec, value
    return None


def _changed(turn: Turn, spec: FieldSpec, value: str) -> None:
    """Keep a corrected answer and show the summary again, saying what changed."""
    turn.state["l"]["fields"][spec.key] = value
    shown = mask_nik(value) if spec.kind == "nik" else value
    turn.say("letter_field_changed", label=spec.label_in(turn.lang), value=shown)
    _summary(turn)


def _edit_field(turn: Turn, spec: FieldSpec) -> None:
    turn.state["l"]["editing"] = True
    _ask_field(turn, spec)


async def _step_confirm(turn: Turn) -> None:
    """The summary and its list of parts: send, pick a part to change (tapped or typed), or correct one."""
    text = turn.message.text.strip()
    low = _plain(text)
    letter_type = _type_of(turn)
    if letter_type is None:
        turn.reset_flow()
        return
    if text.lower().startswith("ubah:"):
        spec = next((f for f in letter_type.fields if f.key == text[5:].strip().lower()), None)
        if spec is not None:
            _edit_field(turn, spec)
            return
    if low in _EDIT_WORDS:
        buttons = [Button(f.label_in(turn.lang), f"ubah:{f.key}") for f in letter_type.fields]
        turn.say("letter_which_field", buttons)
        return
    if low in _SEND_WORDS:
        await _file(turn, letter_type)
        return
    # ("eh pekerjaannya salah, harusnya pedagang": thirty-ninth trial, "not understood")
    found = _correction(letter_type, text) or _correction(letter_type, _without_preamble(text))
    if found is None:
        turn.say("letter_summary_unchanged", _summary_buttons(turn))
        return
    spec, value = found
    clean, problem = _validate(turn, spec, value) if value else (None, None)
    if clean is not None:
        _changed(turn, spec, clean)
        return
    turn.state["l"]["editing"] = True
    if problem:  # the new value does not fit the part: say why and ask for it again
        turn.state.update(step="field", field=spec.key)
        turn.state.pop("suggested", None)
        _say_problem(turn, spec, problem)
        return
    _edit_field(turn, spec)


async def _file(turn: Turn, letter_type: LetterType) -> None:
    """File the request (or re-file a corrected one) and tell the village head."""
    catalog = catalog_of(turn.services)
    data = turn.state["l"]
    village = catalog.villages[str(data["village"])]
    record = {"type": letter_type.id, "village": village.id, "kecamatan": village.kecamatan,
              "fields": dict(data["fields"]), "photo": data.get("photo")}
    due = turn.services.calendar.add_working_days(turn.now, letter_type.sla_days)
    editing = data.get("fix")
    changes: list[dict[str, str]] = []
    if editing:
        ticket = await turn.store.get_ticket(str(editing))
        if ticket is None or ticket.reporter != turn.identity.key or ticket.status != NEEDS_FIX:
            turn.reset_flow()
            turn.say("letter_not_fixable", number=editing)
            return
        changes = _changes(letter_type, letter_of(ticket).get("fields", {}), record["fields"])
        letter_of(ticket).update(record)
        ticket.status, ticket.due_at, ticket.reminded_at = WAIT_HEAD, due, None
        turn.event(ticket, "letter_corrected", None, status=WAIT_HEAD, changes=changes)
    else:
        period = turn.now.astimezone(turn.services.calendar.tz).strftime("%y%m")
        seq = await turn.store.next_ticket_seq(f"{catalog.number_prefix}{period}")
        number = f"{catalog.number_prefix}-{period}-{seq:04d}"
        ticket = Ticket(number=number, kind=KIND, topic=letter_type.id, opd_id=None, status=WAIT_HEAD,
                        text=letter_type.name_in("id"), reporter=turn.identity.key, created_at=turn.now,
                        updated_at=turn.now, due_at=due, privacy="rahasia", lang=turn.lang,
                        media=[data["photo"]] if data.get("photo") else [], extra={"letter": record})
        turn.event(ticket, "created", None, status=WAIT_HEAD, letter_type=letter_type.id, village=village.id)
    turn.save_ticket(ticket)
    turn.reset_flow()
    await _notify_deciders(turn, ticket, ROLE_VILLAGE_HEAD, village.id, changes if editing else None)
    turn.say("letter_refiled" if editing else "letter_filed", number=ticket.number,
             type=letter_type.name_in(turn.lang), head=village.head_title, due=format_date(turn, due))


def _changes(letter_type: LetterType, before: dict[str, str], after: dict[str, str]) -> list[dict[str, str]]:
    """What a correction changed, part by part in the letter's order (a NIK masked, as everywhere)."""
    found = []
    for spec in letter_type.fields:
        old, new = before.get(spec.key, ""), after.get(spec.key, "")
        if old != new:
            shown = (mask_nik(old), mask_nik(new)) if spec.kind == "nik" else (old, new)
            found.append({"field": spec.key, "old": shown[0] or "-", "new": shown[1] or "-"})
    return found


_STEPS: dict[str, Callable[[Turn], Awaitable[None]]] = {
    "type": _step_type, "village": _step_village, "field": _step_field, "photo": _step_photo,
    "confirm": _step_confirm,
}


# --- a request set aside for a complaint ---------------------------------------------------------------------
PARKED_KEY = "parked_letter"  # conversation state: a letter request set aside while a complaint is told (the same
# key is actions/complaint.PARKED_LETTER_KEY, which reminds of it once the complaint is sent)
_PARKED_KEYS = ("flow", "step", "l", "field", "suggested")
# "lanjut surat", "lanjutkan surat yang tadi", "surat SKCK tadi gimana", "continue my letter"
_RESUME_LETTER = re.compile(r"\blanjut(?:kan|in)?\s+(?:\S+\s+){0,2}?(?:surat|permohonan)(?:nya)?\b"
                            r"|\b(?:surat|permohonan)(?:nya)?\s+(?:\S+\s+){0,2}?(?:yang\s+|yg\s+)?tadi\b"
                            r"|\bcontinue\s+(?:my\s+|the\s+)?(?:letter|request)\b")


def not_a_village(turn: Turn, text: str) -> bool:
    """At the village question, words that name none of the villages served (nor are its button)."""
    return (turn.state.get("flow") == FLOW and turn.state.get("step") == "village"
            and not text.lower().startswith("desa:") and catalog_of(turn.services).find_village(text) is None)


def park(turn: Turn, said: str = "letter_parked") -> None:
    """Set the letter request aside ("eh sebentar, jalan depan rumah saya juga rusak parah" at the village question):
    the complaint is told now, and "lanjut surat" brings the request back where it was. `said`: the text key that
    tells the resident so (of a crisis request: "crisis_letter_kept")."""
    kept = {k: turn.state.pop(k) for k in _PARKED_KEYS if k in turn.state}
    letter_type = catalog_of(turn.services).types.get(str((kept.get("l") or {}).get("type")))
    turn.state[PARKED_KEY] = kept
    turn.say(said, type=letter_type.name_in(turn.lang) if letter_type else "-")


def resume_parked(turn: Turn, text: str) -> bool:
    """"lanjut surat" with a request set aside: it comes back at the question it stopped at."""
    kept = turn.state.get(PARKED_KEY)
    if not isinstance(kept, dict) or not _RESUME_LETTER.search(u.plain(text)):
        return False
    turn.reset_flow()
    turn.state.pop(PARKED_KEY, None)
    turn.state.update(kept)
    letter_type = _type_of(turn)
    if letter_type is None:
        turn.reset_flow()
        turn.state.pop("l", None)
        return False
    if turn.state.get("step") in ("village", "type"):  # the village question again, with its buttons
        turn.state["step"] = "village"
        villages = catalog_of(turn.services).villages.values()
        turn.say("letter_resumed_village", [Button(f"{v.kind_title} {v.name}", f"desa:{v.id}") for v in villages][:10],
                 type=letter_type.name_in(turn.lang))
        return True
    turn.say("letter_resumed", type=letter_type.name_in(turn.lang))
    _ask_next(turn)
    return True


# --- status for the resident ------------------------------------------------------------------------------
# "surat saya sudah jadi belum?", "permohonan surat saya gimana?", "is my letter ready?" (thirty-sixth trial: "no
# complaint from this account")
_OWN_LETTER = re.compile(
    # (not "surat pengantar skck gimana caranya?", how one is had, nor "surat pindahnya bagaimana?", Dukcapil's)
    r"\b(?:surat|permohonan(?:\s+surat)?)\s+(?:\S+\s+){0,3}?(?:saya|sy|aku|kula|kulo)\b.*\b(?:jadi|selesai|beres|"
    r"keluar|terbit|sampai\s+mana|status\w*|diproses|ditandatangani)\b"
    r"|\b(?:surat|permohonan(?:\s+surat)?)\s+(?:saya|sy|aku|kula|kulo)\s+(?:\S+\s+)?(?:gimana|bagaimana|gmn)\b"
    r"|\bsurat(?:ku|nya)\b.*\b(?:jadi|selesai|terbit|keluar|sampai\s+mana|diproses|ditandatangani)\b"
    r"|\bmy\s+(?:letter|request)\b.*\b(?:ready|done|status|issued|signed)\b")
# "surat saya kok lama ya pak", "kok suratnya belum jadi" (forty-second trial: "not understood"): asked, question mark
# or not
_LETTER_SLOW = re.compile(
    # (not "suratnya berlaku berapa lama?", how long it is valid)
    r"\b(?:surat|suratnya|suratku|permohonan|permohonannya)\s+(?:\S+\s+){0,2}?(?:kok\s+)?(?<!berapa )(?<!brp )"
    r"(?:lama|lambat|lelet|belum\s+"
    r"(?:jadi|selesai|keluar|ada\s+kabar))\b|\bkok\s+(?:\S+\s+)?(?:surat\w*|permohonan\w*)\s+(?:\S+\s+)?(?:lama|belum)\b"
    r"|\bmy\s+(?:letter|request)\b.*\b(?:taking|slow|long)\b")
OWN_LETTER_WORDS = 12
OWN_LETTERS_SHOWN = 3


# After a letter request was filed (thirty-eighth trial: "kalau sudah jadi diambil dimana?" and "bisa dikirim lewat
# pos?" were offered to the offices as questions, "saya salah tulis nama, harusnya …" began a complaint, and "batalkan
# surat saya" was added to it): how the letter comes, and a correction or a withdrawal for whoever decides it now.
_HOW_DELIVERED = re.compile(r"\b(?:harus|perlu|wajib|mesti|kudu)\s+(?:\S+\s+)?(?:datang|dateng)\b|"
                            r"\b(?:diambil|ambil|ngambil|mengambil|dikirim|kirim|pos|dicetak|cetak|print|fisik|"
                            r"hardcopy|asli(?:nya)?|pick\s+up|collect|delivered|sent)\b")
_LETTER_FIX = re.compile(r"\bsalah\s+(?:tulis|ketik|isi|input|nulis|masukin)\b|\b(?:harusnya|seharusnya|mestinya|ralat|"
                         r"koreksi|keliru|yang\s+benar|yg\s+benar)\b|\b(?:wrong|typo|misspelt|misspelled|should\s+be)\b")
_LETTER_CANCEL = re.compile(r"\b(?:batal\w*|gak\s+jadi|ga\s+jadi|tidak\s+jadi|nggak\s+jadi|cancel\w*|withdraw\w*)\b")
_FIELD_WORD = re.compile(r"\b(?:nama|nik|tanggal\s+lahir|tempat\s+lahir|alamat|pekerjaan|agama|keperluan|usaha|name|"
                         r"address|birth)\b")
# "tolong dipercepat ya", "besok mau dipakai", "bisa cepat gak pak?": the request hurried
_LETTER_HURRY = re.compile(r"\b(?:dipercepat|percepat|percepatan|disegerakan|segerakan|dicepetin|cepetan|cepetin|"
                           r"buru-buru|mendesak|urgent|asap|hurry)\b|\bbesok\s+(?:mau\s+|harus\s+|sudah\s+)?"
                           r"(?:dipakai|dipake|digunakan|diperlukan|dibutuhkan|diserahkan|dikumpulkan)\b")
# the right value told with the correction ("harusnya 17 agustus 1990", "yang benar Siti"): a correction to pass on
_VALUE_GIVEN = re.compile(r"\d|\b(?:harusnya|seharusnya|mestinya|yang\s+benar|yg\s+benar|should\s+be)\b")
# A village head or camat away: "besok saya cuti, gimana permohonan surat yang masuk?", "saya dinas luar seminggu"
_HEAD_AWAY = re.compile(r"\b(?:cuti|libur|dinas\s+luar|diklat|pelatihan|sakit|umroh|umrah|haji|on\s+leave|away|"
                        r"holiday|vacation|tidak\s+di\s+kantor|gak\s+di\s+kantor|berhalangan)\b.*\b(?:surat\w*|permohonan\w*|"
                        r"tanda\s*tangan\w*|ttd|letters?|requests?|gimana|bagaimana|siapa)\b")
_READY_ASKED = re.compile(r"\b(?:sudah|udah|sdh|dah|wis)\s+(?:jadi|selesai|beres|keluar|terbit|ditandatangani)\b"
                          # "pak kades sudah baca permohonan saya?" (forty-first trial: a complaint on village
                          # officials)
                          r"|\b(?:sudah|udah|sdh|dah|wis)\s+(?:di)?(?:baca|lihat|liat|periksa|cek|proses|terima)\w*\b"
                          r"|\bkapan\s+(?:jadi|selesai|beres|keluar|terbit)(?:nya)?\b|\bjadinya\s+kapan\b")
_DECIDER_WORD = re.compile(r"\b(?:kades|kepala\s+desa|lurah|pak\s+lurah|camat|village\s+head)\b")
# "nama ibu kandung perlu diisi gak?", "harus isi pekerjaan juga?", "do I need to fill in …?"
_FIELD_NEEDED = re.compile(r"\b(?:perlu|harus|wajib|mesti|musti|usah)\s+(?:\S+\s+)?(?:di)?(?:isi|isikan|tulis|"
                           r"cantumkan|lampirkan|sertakan)\b|\b(?:di)?(?:isi|tulis|cantumkan)\s+(?:\S+\s+)?(?:gak|tidak|nggak|ga)\b"
                           r"|\b(?:need|have)\s+to\s+(?:fill\s+in|give|provide|enter)\b")
PENDING_LETTER_DAYS = 30
PENDING_LETTER_WORDS = 25


async def _open_complaint(turn: Turn) -> bool:
    return any(t.kind == "aduan" and t.status in OPEN_STATUSES
               for t in await turn.store.recent_tickets(turn.identity.key, 5))


async def about_pending_letter(turn: Turn, text: str) -> bool:
    """Words about the resident's letter request still being decided (filed within `PENDING_LETTER_DAYS`): how the
    signed letter reaches them, or a correction or withdrawal, passed to the village head or camat it waits for."""
    low = u.plain(text)
    if not low or len(low.split()) > PENDING_LETTER_WORDS or find_ticket_number(text):
        return False
    mine = [t for t in await turn.store.recent_tickets(turn.identity.key, 5) if t.kind == KIND
            and t.status in PENDING and turn.now - t.created_at <= timedelta(days=PENDING_LETTER_DAYS)]
    if not mine:
        return False
    ticket = mine[0]
    letter_type = catalog_of(turn.services).types.get(ticket.topic or "")
    name = letter_type.name_in(turn.lang) if letter_type else "-"
    said_letter = bool(re.search(r"\b(?:surat\w*|permohonan\w*|letter|request)\b", low))
    of_it = said_letter or bool(re.search(r"\b(?:sudah|udah|sdh|kalau|kalo|klo)\s+jadi\b|\bjadinya\b|\b(?:pos|kurir|"
                                          r"ekspedisi|diambil|dicetak)\b", low))
    if of_it and u.is_question(text) and _HOW_DELIVERED.search(low) and not _LETTER_FIX.search(low):
        turn.say("letter_how_delivered", number=ticket.number, type=name)
        return True
    if of_it and u.is_question(text) and _READY_ASKED.search(low) and not _LETTER_FIX.search(low):
        # "terima kasih pak kades, sudah jadi belum?" (forty-first trial: a complaint on village officials began)
        await show_own_letters(turn, catalog_of(turn.services).number_prefix)
        return True
    if u.is_question(text) and _FIELD_NEEDED.search(low) and letter_type is not None:
        # "nama ibu kandung perlu diisi gak?" (forty-second trial: a complaint on unsure topics): what the request
        # asks for, all of it given already
        fields = ", ".join(spec.label_in(turn.lang) for spec in letter_type.fields)
        turn.say("letter_fields_asked", number=ticket.number, type=name, fields=fields)
        return True
    if ticket.status == NEEDS_FIX:
        return False  # (its correction is `fix_in_words`'s)
    if said_letter and _LETTER_CANCEL.search(low) and not u.is_question(text):
        key, kind = "letter_cancel_passed", "letter_cancel_to_head"
    elif ((said_letter or _FIELD_WORD.search(low)) and _LETTER_FIX.search(low) and u.is_question(text)
          and not _VALUE_GIVEN.search(low)):
        # "saya salah ketik tanggal lahir, bisa diganti?" (forty-first trial: the answer on changing KK data): how the
        # right value reaches whoever checks the request
        turn.say("letter_fix_how", number=ticket.number, type=name)
        return True
    elif (said_letter or _FIELD_WORD.search(low)) and _LETTER_FIX.search(low):
        key, kind = "letter_correction_passed", "letter_correction_to_head"
    elif _LETTER_HURRY.search(low) and (said_letter or _DECIDER_WORD.search(low)
                                        or not await _open_complaint(turn)):
        # "pak kades, tolong dipercepat ya, besok mau dipakai" (fortieth trial: a complaint on village officials)
        key, kind = "letter_hurry_passed", "letter_hurry_to_head"
    else:
        return False
    turn.event(ticket, "letter_note", text[:1000])
    role, place = decider_place(turn.services, ticket)
    for identity in await turn.store.list_identities(role, place):
        lang = await staff_lang(turn, identity.key)
        turn.deliver(identity.key, [Reply(turn.t(kind, lang, number=ticket.number, type=name, text=text[:500]),
                                          ticket=ticket.number)], f"letter-note:{ticket.number}:{turn.now.isoformat()}")
    turn.say(key, number=ticket.number, type=name)
    return True


# A resident with a recent letter request: "kenapa ditolak?", "surat saya kok ditolak?" (thirty-ninth trial: begun as a
# complaint on unsure topics), and "pdfnya gak bisa dibuka" (the same): the reason given, or where it stands; and how
# the PDF opens, with its link again
_WHY_REJECTED = re.compile(r"\b(?:kenapa|mengapa|knp|napa|kok|why|alasan\w*|apa\s+sebab\w*)\b.*\b(?:ditolak|tolak|"
                           r"rejected|refused|tidak\s+disetujui|gak\s+disetujui|ga\s+disetujui|not\s+approved)\b"
                           r"|\b(?:ditolak|rejected)\b.*\b(?:kenapa|mengapa|knp|napa|why|alasan\w*)\b")
_PDF_TROUBLE = re.compile(r"\b(?:pdf\w*|file\w*|berkas\w*|dokumen\w*|lampiran\w*|link\w*|tautan\w*|surat\w*|"
                          r"document|attachment)\b.*\b(?:(?:tidak|tdk|gak|ga|gk|nggak|ngga|enggak|belum|blm|can'?t|cannot|"
                          r"won'?t|doesn'?t|does\s+not)\s+(?:bisa\s+|mau\s+|bs\s+)?(?:dibuka|buka|kebuka|terbuka|kebukak|"
                          r"diunduh|unduh|didownload|download|open|be\s+opened|muncul|tampil|kebaca|dibaca)|"
                          r"rusak|error|corrupt\w*|kosong|blank)\b")
OUTCOME_WORDS = 20
OUTCOME_DAYS = 30


async def about_letter_outcome(turn: Turn, text: str) -> bool:
    low = u.plain(text)
    why, pdf = bool(_WHY_REJECTED.search(low)), bool(_PDF_TROUBLE.search(low))
    if not (why or pdf) or len(low.split()) > OUTCOME_WORDS or find_ticket_number(text):
        return False
    mine = [t for t in await turn.store.recent_tickets(turn.identity.key, 5) if t.kind == KIND
            and turn.now - t.created_at <= timedelta(days=OUTCOME_DAYS)]
    if not mine:
        return False
    ticket = mine[0]
    letter_type = catalog_of(turn.services).types.get(ticket.topic or "")
    name = letter_type.name_in(turn.lang) if letter_type else "-"
    if why and ticket.status == REJECTED:
        said = [e.text for e in await turn.store.ticket_events(ticket.number, "letter_rejected") if e.text]
        again = [Button(turn.t("letter_how_button"), f"/surat {ticket.topic}")] if letter_type else []
        turn.say("letter_why_rejected", again, number=ticket.number, type=name, reason=said[-1] if said else "-")
        return True
    if pdf and ticket.status == ISSUED:
        letter = letter_of(ticket)
        token = str(letter.get("download_token") or "")
        turn.say("letter_pdf_help", number=ticket.number, type=name,
                 url=download_url(turn.services, token) if token else "-",
                 verify=verify_url(turn.services, str(letter.get("verify_token") or "")))
        return True
    # not rejected, or not issued yet: where it stands, said as the question asked it
    turn.say("letter_not_rejected" if why else "letter_not_issued_yet", number=ticket.number, type=name,
             status=turn.t(f"status_name_{ticket.status}"))
    return True


def asks_own_letter(text: str) -> bool:
    low = u.plain(text)
    return len(low.split()) <= OWN_LETTER_WORDS and ((u.is_question(text) and bool(_OWN_LETTER.search(low)))
                                                     or bool(_LETTER_SLOW.search(low)))


async def show_own_letters(turn: Turn, prefix: str) -> None:
    """The resident's latest letter requests, each with its status; when there are none, how to ask after one."""
    mine = [t for t in await turn.store.recent_tickets(turn.identity.key, 20) if t.kind == KIND][:OWN_LETTERS_SHOWN]
    if not mine:
        turn.say("letter_none_yet", turn.menu_buttons(), example=f"{prefix}-{turn.now:%y%m}-0042")
        return
    for ticket in mine:
        await show_letter_status(turn, ticket.number)


async def show_letter_status(turn: Turn, number: str) -> None:
    ticket = await turn.store.get_ticket(number)
    if ticket is None or ticket.kind != KIND:
        turn.say("status_not_found", number=number)
        return
    if ticket.reporter != turn.identity.key:
        if _decides_now(turn, ticket):  # the village head or camat it waits for: the request itself
            turn.replies.extend(await _card(turn, ticket, turn.identity.key))
            return
        turn.say("status_not_yours", number=number)
        return
    letter_type = catalog_of(turn.services).types.get(ticket.topic or "")
    turn.say("letter_status", number=number, type=letter_type.name_in(turn.lang) if letter_type else "-",
             status=turn.t(f"status_name_{ticket.status}"), due=format_date(turn, ticket.due_at))


# --- the village head and the camat -------------------------------------------------------------------------
async def _card(turn: Turn, ticket: Ticket, to: str, key: str = "letter_card",
                changes: list[dict[str, str]] | None = None) -> list[Reply]:
    """The request as the village head or camat sees it: details (NIK masked), KTP photo, decision buttons;
    after a correction, headed by what the applicant changed (part: old → new)."""
    lang = await staff_lang(turn, to)
    letter = letter_of(ticket)
    letter_type = catalog_of(turn.services).types[ticket.topic or ""]
    labels = {spec.key: spec.label_in(lang) for spec in letter_type.fields}
    changed = "\n".join(f"• {labels.get(c['field'], c['field'])}: {c['old']} → {c['new']}" for c in changes or ())
    if changes is not None:
        key = "letter_corrected_card" if changes else "letter_corrected_card_same"
    text = turn.t(key, lang, number=ticket.number, type=letter_type.name_in(lang),
                  details=_details(turn, letter_type, letter["fields"], lang),
                  due=format_date(turn, ticket.due_at, lang), changes=changed,
                  photo=turn.t("letter_photo_attached", lang) if letter.get("photo") else "-")
    buttons = (Button(turn.t("letter_button_approve", lang), f"/setujui {ticket.number}"),
               Button(turn.t("letter_button_fix", lang), f"/perbaiki {ticket.number}"),
               Button(turn.t("letter_button_reject", lang), f"/tolak {ticket.number}"))
    image = f"media:{letter['photo']}" if letter.get("photo") else None
    return [Reply(text, buttons, image=image, ticket=ticket.number)]


async def reminder_card(turn: Turn, ticket: Ticket, to: str) -> list[Reply]:
    """The card again, headed as overdue (integrations/letter_deadlines.py)."""
    return await _card(turn, ticket, to, "letter_overdue_card")


def decider_place(services: Services, ticket: Ticket) -> tuple[str, str]:
    """(role, village or kecamatan id) of who must decide `ticket` now."""
    letter = letter_of(ticket)
    if ticket.status == WAIT_CAMAT:
        return ROLE_CAMAT, str(letter.get("kecamatan"))
    return ROLE_VILLAGE_HEAD, str(letter.get("village"))


async def _notify_deciders(turn: Turn, ticket: Ticket, role: str, place: str,
                           changes: list[dict[str, str]] | None = None) -> None:
    recipients = [i.key for i in await turn.store.list_identities(role, place)]
    for key in recipients:
        turn.deliver(key, await _card(turn, ticket, key, changes=changes), f"letter:{ticket.number}")
    if not recipients:
        logger.warning("letters: nobody is enrolled as %s of %s for %s", role, place, ticket.number)


def _decides_now(turn: Turn, ticket: Ticket) -> bool:
    """True if this identity is who must decide `ticket` now: the head of its village while it waits for the
    head, or the camat of its kecamatan while it waits for the camat."""
    village = catalog_of(turn.services).villages.get(letter_of(ticket).get("village", ""))
    role, place = turn.identity.role, turn.identity.opd_id
    if village is None or ticket.kind != KIND:
        return False
    if role == ROLE_VILLAGE_HEAD:
        return place == village.id and ticket.status == WAIT_HEAD
    return role == ROLE_CAMAT and place == village.kecamatan and ticket.status == WAIT_CAMAT


async def _load_for_decision(turn: Turn, args: str, usage: str) -> tuple[Ticket, str] | None:
    """The request named in `args` if this identity decides it now; else say why. Returns (ticket, rest)."""
    parts = args.strip().split(maxsplit=1)
    number = find_ticket_number(parts[0]) if parts else None
    rest = parts[1].strip() if len(parts) > 1 else ""
    if not number:
        turn.say("usage", usage=usage)
        return None
    ticket = await turn.store.get_ticket(number)
    if ticket is None or ticket.kind != KIND:
        turn.say("ticket_not_found", number=number)
        return None
    letter = letter_of(ticket)
    catalog = catalog_of(turn.services)
    village = catalog.villages.get(letter.get("village", ""))
    role, place = turn.identity.role, turn.identity.opd_id
    mine = village is not None and (
        (role == ROLE_VILLAGE_HEAD and place == village.id) or (role == ROLE_CAMAT and place == village.kecamatan))
    if not mine:
        turn.say("letter_not_yours", number=number)
        return None
    wanted = WAIT_HEAD if role == ROLE_VILLAGE_HEAD else WAIT_CAMAT
    if ticket.status != wanted:
        turn.say("letter_not_waiting", number=number, status=turn.t(f"status_name_{ticket.status}"))
        return None
    return ticket, rest


@command("setujui", roles=LETTER_ROLES, usage="/setujui NOMOR")
async def cmd_approve(turn: Turn, args: str) -> None:
    loaded = await _load_for_decision(turn, args, "/setujui NOMOR")
    if loaded is None:
        return
    ticket, _ = loaded
    catalog = catalog_of(turn.services)
    letter = letter_of(ticket)
    letter_type = catalog.types[ticket.topic or ""]
    village = catalog.villages[letter["village"]]
    letter.setdefault("approvals", []).append(
        {"role": turn.identity.role, "by": turn.identity.key, "at": turn.now.isoformat()})
    turn.event(ticket, "letter_approved", None, role=turn.identity.role)
    if turn.identity.role == ROLE_VILLAGE_HEAD and letter_type.needs_camat:
        ticket.status = WAIT_CAMAT
        ticket.reminded_at = None  # a reminder is owed to the camat too if the deadline passes
        turn.save_ticket(ticket)
        await _notify_deciders(turn, ticket, ROLE_CAMAT, village.kecamatan)
        turn.say("letter_approved_to_camat", number=ticket.number)
        await _tell_resident(turn, ticket, "letter_progress_camat")
        return
    # The last approval: the letter gets its number now; the outbox renders, signs and delivers it.
    local = turn.now.astimezone(turn.services.calendar.tz)
    seq = await turn.store.next_ticket_seq(f"letter:{village.id}:{local.year}")
    letter["letter_no"] = letter_number(village, letter_type, seq, local.date())
    letter["issued_on"] = local.date().isoformat()
    letter["verify_token"] = secrets.token_urlsafe(15)
    letter["download_token"] = secrets.token_urlsafe(24)
    ticket.status = SIGNING
    turn.save_ticket(ticket)
    turn.job(JOB_ISSUE, f"{JOB_ISSUE}:{ticket.number}", {"number": ticket.number})
    turn.say("letter_approved_signing", number=ticket.number, letter_no=letter["letter_no"])


async def _tell_resident(turn: Turn, ticket: Ticket, key: str, **fields: Any) -> None:
    reporter = await turn.store.get_identity(ticket.reporter)
    lang = reporter.lang if reporter else ticket.lang
    letter_type = catalog_of(turn.services).types.get(ticket.topic or "")
    buttons = (Button(turn.t("letter_button_fix_now", lang), f"/ubah_surat {ticket.number}"),) if (
        key == "letter_fix_to_resident") else ()
    text = turn.t(key, lang, number=ticket.number, type=letter_type.name_in(lang) if letter_type else "", **fields)
    turn.deliver(ticket.reporter, [Reply(text, buttons, ticket=ticket.number)], f"letter:{key}:{ticket.number}")


async def _decide_with_reason(turn: Turn, args: str, kind: str) -> None:
    usage = f"/{'tolak' if kind == 'reject' else 'perbaiki'} NOMOR alasan"
    loaded = await _load_for_decision(turn, args, usage)
    if loaded is None:
        return
    ticket, reason = loaded
    if not reason:
        turn.reset_flow()
        turn.state.update(flow=STAFF_FLOW, step=kind, target=ticket.number)
        turn.say(f"letter_ask_{kind}_reason", number=ticket.number)
        return
    turn.reset_flow()
    if kind == "reject":
        ticket.status = REJECTED
        ticket.closed_at = turn.now
        turn.event(ticket, "letter_rejected", reason, role=turn.identity.role)
        await _tell_resident(turn, ticket, "letter_rejected_to_resident", reason=reason)
        turn.say("letter_rejected", number=ticket.number)
    else:
        ticket.status = NEEDS_FIX
        letter_of(ticket).pop("approvals", None)  # a corrected request is decided afresh
        turn.event(ticket, "letter_fix_requested", reason, role=turn.identity.role)
        await _tell_resident(turn, ticket, "letter_fix_to_resident", reason=reason)
        turn.say("letter_fix_sent", number=ticket.number)
    turn.save_ticket(ticket)


# A village head or camat asking what waits: "ada permohonan surat baru?", "berapa surat yang belum saya tanda
# tangani?", "any new letter requests?"
_PENDING_ASKED = re.compile(
    r"\b(?:permohonan|surat|pengajuan)\w*\b.*\b(?:baru|masuk|menunggu|belum|pending)\b|\b(?:antrian|antrean)\s+surat\b"
    r"|\bberapa\s+(?:permohonan|surat)\b|\bbelum\s+(?:saya\s+)?(?:tanda\s*tangani|tandatangani|ttd|setujui|acc)\b"
    r"|\b(?:any|new|pending)\s+(?:letter|request)s?\b"
    # "ada surat yang perlu saya tanda tangani?" (forty-second trial: "not passed to anyone", a card, and the help)
    r"|\b(?:perlu|harus|mesti|musti|menunggu)\s+(?:saya\s+|sy\s+|kami\s+)?(?:di)?(?:tanda\s*tangani|tandatangani|ttd|setujui|"
    r"acc|putuskan)\b|\b(?:need|waiting\s+for)\s+(?:my\s+)?(?:signature|approval)\b")
# "yang SRT-… nanti dulu, saya mau telpon orangnya", "tunda dulu", "hold on that one": a decision put off
_PUT_OFF = re.compile(r"\bnanti\s+(?:dulu|saja|aja|sore|siang|malam|besok)\b|\b(?:tunda|ditunda|tunda\w+|tahan|ditahan|"
                    r"pending\w*)\s+(?:dulu|sebentar|aja|saja)?\b|\btunggu\s+dulu\b|\bbelum\s+(?:saya\s+)?(?:putuskan|"
                    r"proses)\b|\b(?:later|hold\s+(?:on|off)|not\s+yet)\b|\bmengko\s+(?:disik|dhisik|sik)\b")
# "surat apa saja yang sudah saya setujui bulan ini?", "which letters have I signed?" (fortieth trial: the help): the
# requests of the village (or kecamatan) decided lately, each with where it stands
_DECIDED_ASKED = re.compile(
    r"\b(?:sudah|udah|udh|sdh|telah|pernah)\s+(?:saya\s+|sy\s+|kami\s+)?(?:setujui|disetujui|acc|tandatangani|"
    r"ditandatangani|tanda\s+tangani|ttd|tolak|ditolak|terbitkan|diterbitkan|putuskan|diputuskan)\b"
    r"|\b(?:letters?|requests?)\s+(?:i|we)\s+(?:have\s+)?(?:approved|signed|rejected|decided)\b")
DECIDED_DAYS = 31
DECIDED_SHOWN = 20


async def show_decided(turn: Turn) -> None:
    """The requests of this village head's village (a camat's kecamatan) filed within DECIDED_DAYS and no longer
    waiting for them, newest first, each with its status."""
    waiting = WAIT_HEAD if turn.identity.role == ROLE_VILLAGE_HEAD else WAIT_CAMAT
    since = turn.now - timedelta(days=DECIDED_DAYS)
    place_key = "village" if turn.identity.role == ROLE_VILLAGE_HEAD else "kecamatan"
    tickets = await turn.store.list_tickets(TicketQuery(kind=KIND, created_after=since, limit=500))
    decided = sorted((t for t in tickets if t.status != waiting and t.status != NEEDS_FIX
                      and letter_of(t).get(place_key) == turn.identity.opd_id
                      and (turn.identity.role == ROLE_VILLAGE_HEAD or t.status != WAIT_HEAD)),
                     key=lambda t: t.created_at, reverse=True)
    if not decided:
        turn.say("letter_decided_none", days=DECIDED_DAYS)
        return
    catalog = catalog_of(turn.services)
    lines = [turn.t("letter_decided_header", count=len(decided), days=DECIDED_DAYS)]
    for ticket in decided[:DECIDED_SHOWN]:
        letter_type = catalog.types.get(ticket.topic or "")
        lines.append(f"{ticket.number} · {letter_type.name_in(turn.lang) if letter_type else '-'} · "
                     f"{turn.t(f'status_name_{ticket.status}')}")
    turn.replies.append(Reply("\n".join(lines)))


async def _put_off(turn: Turn, number: str) -> bool:
    """"yang SRT-… nanti dulu, saya mau telpon orangnya" (forty-second trial: "not passed to anyone" and the help):
    nothing is sent, the request still waits for them, and its deadline is said."""
    ticket = await turn.store.get_ticket(number)
    if ticket is None or ticket.kind != KIND:
        return False
    waiting = WAIT_HEAD if turn.identity.role == ROLE_VILLAGE_HEAD else WAIT_CAMAT
    if ticket.status != waiting:
        return False
    turn.say("letter_put_off", number=ticket.number, due=format_date(turn, ticket.due_at))
    return True


# "setujui yang dari budi", "acc semua", "tolak yang kemarin": a decision asked without the request's number
_DECIDE_WORDS = re.compile(r"^(?:tolong\s+|mohon\s+)?(?:setujui|setujuin|acc|approve|tanda\s*tangani|tandatangani|ttd|"
                           r"tolak|reject)\b")

# A decision in plain words: "ok setuju", "SRT-2612-0001 tolak, datanya kurang lengkap", "yang itu perbaiki, NIK-nya
# salah" (thirty-ninth trial: "not passed to anyone" and the help). Offered in one tap for the request named, or the
# only one that waits; never taken unasked (a head's words may be meant for someone else).
_SAYS_REJECT = re.compile(r"\b(?:tolak|ditolak|tolakin|reject|rejected|decline)\b")
_SAYS_FIX = re.compile(r"\b(?:perbaiki|diperbaiki|perbaikan|revisi|direvisi|koreksi|dikoreksi|kurang\s+lengkap|"
                       r"belum\s+lengkap|tidak\s+lengkap)\b")
_SAYS_APPROVE = re.compile(r"\b(?:setuju|setujui|disetujui|setujuin|acc|approve|approved|tanda\s*tangani|tandatangani|"
                           r"ttd|lanjutkan|oke\s+lanjut)\b")
DECISION_WORDS = 25


async def _decision_in_words(turn: Turn, text: str) -> bool:
    low = u.plain(text)
    if len(low.split()) > DECISION_WORDS or u.is_question(text):
        return False
    reject, fix = bool(_SAYS_REJECT.search(low)), bool(_SAYS_FIX.search(low))
    approve = bool(_SAYS_APPROVE.search(low)) and not (reject or fix)
    if not (reject or fix or approve):
        return False
    number = find_ticket_number(text)
    if number is None:
        wanted = WAIT_HEAD if turn.identity.role == ROLE_VILLAGE_HEAD else WAIT_CAMAT
        place = turn.identity.opd_id
        waiting = [t for t in await turn.store.list_tickets(TicketQuery(kind=KIND, statuses=(wanted,), limit=500))
                   if (letter_of(t).get("village") if turn.identity.role == ROLE_VILLAGE_HEAD
                       else letter_of(t).get("kecamatan")) == place]
        if len(waiting) != 1:
            return False  # (none, or several: which one is asked, with the queue)
        number = waiting[0].number
    ticket = await turn.store.get_ticket(number)
    if ticket is None or ticket.kind != KIND:
        return False
    reason = re.sub(r"(?i)\b(?:SRT-\d{4}-\d{3,6})\b", " ", text)
    reason = " ".join(re.sub(r"(?i)^\W*(?:(?:ok|oke|baik|pak|bu|yang\s+itu|itu|ini|saya|mohon|tolong)\W+)*"
                             r"(?:tolak|ditolak|perbaiki|diperbaiki|revisi|koreksi)?\W*", "", reason.strip()).split())
    cancel = Button(turn.t("letter_words_not_now"), "/batal")
    if approve:
        turn.say("letter_words_approve", [Button(turn.t("letter_words_approve_button"), f"/setujui {number}"), cancel],
                 number=number)
    elif reject:
        buttons = [Button(turn.t("letter_words_reject_button"), f"/tolak {number} {reason}".strip()[:900])]
        if fix:  # "tolak, datanya kurang lengkap": the applicant could correct it instead
            buttons.append(Button(turn.t("letter_words_fix_button"), f"/perbaiki {number} {reason}".strip()[:900]))
        turn.say("letter_words_reject_or_fix" if fix else "letter_words_reject", [*buttons, cancel], number=number,
                 reason=reason or "-")
    else:
        turn.say("letter_words_fix", [Button(turn.t("letter_words_fix_button"),
                                             f"/perbaiki {number} {reason}".strip()[:900]), cancel],
                 number=number, reason=reason or "-")
    return True


#: What letter staff may say to the bot that is no correction and needs no hint: the menu or the polite answer.
_SMALL_TALK = frozenset({"greet", "thanks", "goodbye"})


# "apa saja yang bisa saya lakukan di sini?", "fitur apa saja yang ada?", "what can I do here?"
_WHAT_CAN_I = re.compile(r"\b(?:apa\s+(?:saja|aja)\s+(?:yang|yg)\s+(?:bisa|dapat)\s+(?:saya|sy|aku|kami)\s+"
                         r"(?:lakukan|kerjakan|pakai|gunakan)|fitur\w*\s+apa|menu\w*\s+apa|bisa\s+(?:ngapain|apa\s+saja)|"
                         r"what\s+can\s+i\s+do|what\s+are\s+the\s+commands)\b")


async def staff_words(turn: Turn) -> bool:
    """A village head's or camat's typed words outside a command: a reply to a request's card (its message is
    linked to the request, as complaint cards are) asks the applicant for that correction, as
    `/perbaiki NOMOR catatan` does; other words reach nobody, so say so and name the commands."""
    message, text = turn.message, turn.message.text.strip()
    if turn.identity.role not in LETTER_ROLES or not text or text.startswith("/"):
        return False
    number = await turn.store.linked_ticket(message.channel, message.chat_id or message.sender_id,
                                            message.reply_to) if message.reply_to else None
    ticket = await turn.store.get_ticket(number) if number else None
    if ticket is not None and ticket.kind == KIND:
        await _decide_with_reason(turn, f"{ticket.number} {text}", "fix")
        return True
    low = u.plain(text)
    from actions import regent_memo  # (regent_memo is imported by officer, which imports this module: lazy)

    if await regent_memo.answer_in_words(turn, text):
        return True  # "siap pak" to the regent's message to every camat: his answer, in one tap
    if await _decision_in_words(turn, text):
        return True
    if (number := find_ticket_number(text)) and _PUT_OFF.search(low) and await _put_off(turn, number):
        return True
    if _DECIDE_WORDS.match(low) and not find_ticket_number(text):
        # "setujui yang dari budi": decided per request, from its card or by number, never by a name (thirtieth
        # trial: the help); the requests that wait follow
        turn.say("letter_decide_which")
        await cmd_letter_queue.handler(turn, "")
        return True
    if _DECIDED_ASKED.search(low):  # "surat apa saja yang sudah saya setujui bulan ini?"
        await show_decided(turn)
        return True
    if _HEAD_AWAY.search(low):
        # "besok saya cuti, gimana permohonan surat yang masuk?" (forty-first trial: "none waiting", no word of how)
        turn.say("letter_head_away")
        await cmd_letter_queue.handler(turn, "")
        return True
    if _PENDING_ASKED.search(low):  # "ada permohonan surat baru?", "berapa surat yang belum saya tanda tangani?"
        await cmd_letter_queue.handler(turn, "")
        return True
    from actions import staff_asides  # (staff_asides is imported by officer, which imports this module: lazy)

    if staff_asides.own_problem(text):  # "saya mau lapor jalan desa rusak" (thirty-first trial: the help)
        staff_asides.report_as_resident(turn)
        return True
    if _WHAT_CAN_I.search(low):  # "apa saja yang bisa saya lakukan di sini?": the commands, nothing was lost
        turn.say("letter_staff_help")
        return True
    parse = await turn.parse()
    if u.is_greeting(text) or (u.intent_of(parse) in _SMALL_TALK and u.intent_confidence(parse) >= 0.6):
        return False  # "selamat pagi" gets the letter menu, "terima kasih" its answer
    turn.say("letter_staff_free_text")
    turn.say("letter_staff_help")
    return True


@command("lihat_surat", roles=LETTER_ROLES, usage="/lihat_surat NOMOR")
async def cmd_show(turn: Turn, args: str) -> None:
    """The request as its card (details with the NIK masked, the photo, the decision buttons), for whoever
    decides it now; deciding is left to those buttons."""
    loaded = await _load_for_decision(turn, args, "/lihat_surat NOMOR")
    if loaded is None:
        return
    turn.replies.extend(await _card(turn, loaded[0], turn.identity.key))


@command("tolak", roles=LETTER_ROLES, usage="/tolak NOMOR alasan")
async def cmd_reject(turn: Turn, args: str) -> None:
    await _decide_with_reason(turn, args, "reject")


@command("perbaiki", roles=LETTER_ROLES, usage="/perbaiki NOMOR catatan")
async def cmd_ask_fix(turn: Turn, args: str) -> None:
    await _decide_with_reason(turn, args, "fix")


async def _continue_staff(turn: Turn) -> None:
    step, number = turn.state.get("step"), turn.state.get("target")
    text = turn.message.text.strip()
    turn.reset_flow()
    if not text or not number:
        return
    if step == "revoke":
        await cmd_revoke.handler(turn, f"{number} {text}")
    elif step in ("reject", "fix"):
        await _decide_with_reason(turn, f"{number} {text}", str(step))


@command("ubah_surat", usage="/ubah_surat NOMOR")
async def cmd_fix(turn: Turn, args: str) -> None:
    """The resident corrects a request the village head sent back."""
    number = find_ticket_number(args)
    ticket = await turn.store.get_ticket(number) if number else None
    if ticket is None or ticket.kind != KIND or ticket.reporter != turn.identity.key or ticket.status != NEEDS_FIX:
        turn.say("letter_not_fixable", number=number or "-")
        return
    _start_fix(turn, ticket)
    _summary(turn)


def _start_fix(turn: Turn, ticket: Ticket) -> dict[str, Any]:
    """The letter flow at its summary, holding the request sent back for correction; gives the letter."""
    letter = letter_of(ticket)
    turn.reset_flow()
    turn.state.update(flow=FLOW, step="confirm", l={"type": ticket.topic, "village": letter["village"],
                                                     "fields": dict(letter["fields"]), "photo": letter.get("photo"),
                                                     "fix": ticket.number})
    return letter


# Words a resident may put before the part they correct: "oh iya pak, tempat lahirnya ...", "baik bu, alamat ...".
_PREAMBLE = frozenset({"oh", "o", "oo", "ooh", "eh", "iya", "iyaa", "iyo", "ya", "yaa", "y", "baik", "baiklah", "pak",
                       "bu", "bapak", "ibu", "mbak", "mas", "kak", "min", "admin", "maaf", "mohon", "siap", "ok", "oke",
                       "okay", "okey", "sip", "nggih", "njih", "injih", "enggih", "betul", "benar", "sorry", "yes",
                       "sir", "madam", "terima", "kasih", "makasih", "trims", "untuk", "utk", "soal", "mengenai",
                       "tentang", "kalau", "kalo", "ini", "itu", "jadi", "sudah", "udah"})
_VALUE_LEAD = re.compile(
    r"^(?:(?:adalah|yaitu|yakni|ialah|jadi|menjadi|harusnya|seharusnya|is|should\s+be)\b|[:=-])\s*", re.I)
_PAYLOAD = re.compile(r"^[\w-]+:\S")  # a button's payload ("desa:sooko", "ubah:address"), not typed words
MAX_PREAMBLE_WORDS = 5
MAX_FIELD_WORDS = 4


def _without_preamble(text: str) -> str:
    """`text` without a short lead of greetings or acknowledgements ("eh", "oh iya pak")."""
    words = " ".join(text.split()).split()
    start = 0
    while start < len(words) and (_plain(words[start]) in _PREAMBLE or not _plain(words[start])):
        start += 1
    return " ".join(words[start:])


def _named_correction(letter_type: LetterType, text: str) -> tuple[FieldSpec, str] | None:
    """(the part, the new value or "") for a resident's words naming a part of the letter outside the summary:
    the summary's ways ("tempat lahir salah, harusnya ...") and a part followed by its value ("tempat lahirnya
    Kabupaten Mojokerto"), after a short greeting or acknowledgement ("oh iya pak,")."""
    said = " ".join(text.split())
    candidates = [said, _without_preamble(said)]
    head, comma, rest = said.partition(",")
    if comma and len(head.split()) <= MAX_PREAMBLE_WORDS:
        candidates.append(rest.strip())
    for candidate in dict.fromkeys(c for c in candidates if c):
        found = _correction(letter_type, candidate)
        if found is not None:
            return found
        parts = candidate.split()
        for size in range(min(MAX_FIELD_WORDS, len(parts) - 1), 0, -1):
            spec = _field_named(letter_type, " ".join(parts[:size]))
            value = _VALUE_LEAD.sub("", " ".join(parts[size:])).strip(" \t\"'“”‘’.,;!")
            if spec is not None and value:
                return spec, value
    return None


async def fix_in_words(turn: Turn) -> bool:
    """While a correction of the resident's request is asked for, their words naming a part and its new value
    ("oh iya pak, tempat lahirnya Kabupaten Mojokerto") correct it and send it back, as the button path does; a
    part without a value, or with one that does not fit, opens the correction at that part."""
    text = turn.message.text.strip()
    if turn.identity.role in LETTER_ROLES or not text or text.startswith("/") or _PAYLOAD.match(text):
        return False
    catalog = catalog_of(turn.services)
    if not any(_named_correction(t, text) for t in catalog.types.values()):
        return False  # most messages name no part of a letter: the store is not asked
    waiting = await turn.store.list_tickets(TicketQuery(kind=KIND, statuses=(NEEDS_FIX,), reporter=turn.identity.key))
    for ticket in sorted(waiting, key=lambda t: t.updated_at, reverse=True):  # the latest request asked first
        letter_type = catalog.types.get(ticket.topic or "")
        found = _named_correction(letter_type, text) if letter_type else None
        if letter_type is None or found is None:
            continue
        letter = _start_fix(turn, ticket)
        spec, value = found
        clean, problem = _validate(turn, spec, value) if value else (None, None)
        if clean is not None and clean != letter["fields"].get(spec.key):
            turn.state["l"]["fields"][spec.key] = clean
            turn.say("letter_field_changed", label=spec.label_in(turn.lang),
                     value=mask_nik(clean) if spec.kind == "nik" else clean)
            await _file(turn, letter_type)
        elif clean is not None:  # the same as before: show the request to change something else or send it
            _changed(turn, spec, clean)
        elif problem:
            turn.state["l"]["editing"] = True
            turn.state.update(step="field", field=spec.key)
            turn.state.pop("suggested", None)
            _say_problem(turn, spec, problem)
        else:
            _edit_field(turn, spec)
        return True
    return False


@command("cabut", roles=(ROLE_VILLAGE_HEAD,), usage="/cabut NOMOR alasan")
async def cmd_revoke(turn: Turn, args: str) -> None:
    """The village head revokes an issued letter; the verification page shows it as revoked from then on."""
    parts = args.strip().split(maxsplit=1)
    number = find_ticket_number(parts[0]) if parts else None
    reason = parts[1].strip() if len(parts) > 1 else ""
    ticket = await turn.store.get_ticket(number) if number else None
    if ticket is None or ticket.kind != KIND:
        turn.say("usage", usage="/cabut NOMOR alasan")
        return
    if letter_of(ticket).get("village") != turn.identity.opd_id:
        turn.say("letter_not_yours", number=ticket.number)
        return
    if ticket.status != ISSUED:
        turn.say("letter_not_issued", number=ticket.number, status=turn.t(f"status_name_{ticket.status}"))
        return
    if not reason:
        turn.reset_flow()
        turn.state.update(flow=STAFF_FLOW, step="revoke", target=ticket.number)
        turn.say("letter_ask_revoke_reason", number=ticket.number)
        return
    ticket.status = REVOKED
    letter_of(ticket)["revoked"] = {"at": turn.now.isoformat(), "by": turn.identity.key, "reason": reason}
    turn.event(ticket, "letter_revoked", reason)
    turn.save_ticket(ticket)
    await _tell_resident(turn, ticket, "letter_revoked_to_resident", reason=reason,
                         letter_no=letter_of(ticket).get("letter_no", ""))
    turn.say("letter_revoked", number=ticket.number, letter_no=letter_of(ticket).get("letter_no", ""))


@command("antrian_surat", roles=LETTER_ROLES, usage="/antrian_surat")
async def cmd_letter_queue(turn: Turn, args: str) -> None:
    """Requests waiting for this village head or camat, oldest deadline first."""
    wanted = WAIT_HEAD if turn.identity.role == ROLE_VILLAGE_HEAD else WAIT_CAMAT
    catalog = catalog_of(turn.services)
    tickets = await turn.store.list_tickets(TicketQuery(kind=KIND, statuses=(wanted,), limit=500))
    place = turn.identity.opd_id
    mine = [t for t in tickets if (letter_of(t).get("village") if turn.identity.role == ROLE_VILLAGE_HEAD
                                   else letter_of(t).get("kecamatan")) == place]
    if not mine:
        turn.say("letter_queue_empty")
        return
    lines = [turn.t("letter_queue_header", count=len(mine))]
    for ticket in mine[:30]:
        letter_type = catalog.types.get(ticket.topic or "")
        overdue = ticket.due_at is not None and ticket.due_at < turn.now
        name = letter_type.name_in(turn.lang) if letter_type else ""
        lines.append(f"{'⚠️ ' if overdue else ''}{ticket.number} · {name} · {format_date(turn, ticket.due_at)}")
    # A button opens the request (its card has the decisions); it never decides by itself.
    turn.replies.append(Reply("\n".join(lines), tuple(Button(t.number, f"/lihat_surat {t.number}") for t in mine[:3])))


COMMANDS = [cmd_letter, cmd_approve, cmd_reject, cmd_ask_fix, cmd_show, cmd_fix, cmd_revoke, cmd_letter_queue]


# --- issuing: render, sign, store, deliver (an outbox job) ----------------------------------------------------
def public_base(services: Services) -> str:
    settings = services.settings
    return (settings.public_url or f"http://{settings.host}:{settings.port}").rstrip("/")


def verify_url(services: Services, token: str) -> str:
    return f"{public_base(services)}/surat/v/{token}"


def download_url(services: Services, token: str) -> str:
    return f"{public_base(services)}/surat/unduh/{token}"


def letter_content(services: Services, ticket: Ticket) -> LetterContent:
    """What the letter says, from the request, the catalog and the texts (Indonesian: letters are official)."""
    catalog = catalog_of(services)
    texts = services.texts
    letter = letter_of(ticket)
    letter_type = catalog.types[ticket.topic or ""]
    village = catalog.villages[letter["village"]]
    kecamatan = catalog.kecamatan[village.kecamatan]
    answers: dict[str, str] = dict(letter["fields"])
    regency = services.directory.regency_name
    fill = {**answers, "village": village.name, "village_kind": village.kind_title, "kecamatan": kecamatan.name,
            "regency": regency}
    details = tuple((spec.label_in("id"), answers.get(spec.key, "-")) for spec in letter_type.fields
                    if spec.key not in ("purpose",) and not spec.key.startswith(("deceased", "death", "child")))
    issued = _issued_date(services, letter)
    place_date = f"{village.name}, {issued}"
    camat = None
    if letter_type.needs_camat:
        camat = SignatureBlock(texts.get("letter_pdf_camat_caption", "id", kecamatan=kecamatan.name),
                               kecamatan.camat_name, f"NIP. {kecamatan.camat_nip}" if kecamatan.camat_nip else "")
    phone = texts.get("letter_pdf_phone", "id", phone=village.phone) if village.phone else ""
    return LetterContent(
        heading=(catalog.regency_heading, f"Kecamatan {kecamatan.name}", f"{village.kind_title} {village.name}"),
        address=f"{village.address}{phone}",
        title=letter_type.title, number=str(letter["letter_no"]), subject=letter_type.subject,
        intro=texts.get("letter_pdf_intro", "id", head_title=village.head_title, kecamatan=kecamatan.name,
                        regency=regency),
        details=details,
        body=tuple(_fill(p, fill) for p in letter_type.body),
        closing=texts.get("letter_pdf_closing", "id"),
        place_date=place_date,
        head=SignatureBlock(village.head_title, village.head_name.upper()),
        camat=camat,
        verify_url=verify_url(services, letter["verify_token"]),
        verify_note=texts.get("letter_pdf_verify_note", "id"),
        signed_note=texts.get("letter_pdf_signed_note", "id"),
        logo=village.logo,
        metadata={"warga-request": ticket.number},
    )


def _fill(template: str, values: dict[str, str]) -> str:
    return re.sub(r"{(\w+)}", lambda m: values.get(m.group(1), m.group(0)), template)


def _issued_date(services: Services, letter: dict[str, Any]) -> str:
    day = date.fromisoformat(str(letter["issued_on"]))
    months = services.texts.get("month_names", "id").split(",")
    return f"{day.day} {months[day.month - 1]} {day.year}"


@dataclass
class SignerParty:
    """Who signs for one role on a letter, for the signer adapter."""

    field: str
    name: str
    title: str
    location: str
    nik: str | None


def signer_parties(services: Services, ticket: Ticket) -> list[SignerParty]:
    catalog = catalog_of(services)
    letter = letter_of(ticket)
    letter_type = catalog.types[ticket.topic or ""]
    village: Village = catalog.villages[letter["village"]]
    kecamatan = catalog.kecamatan[village.kecamatan]
    parties = [SignerParty("TTE-KepalaDesa", village.head_name, village.head_title, village.name, village.bsre_nik)]
    if SIGNER_CAMAT in letter_type.signers:
        parties.append(SignerParty("TTE-Camat", kecamatan.camat_name, f"Camat {kecamatan.name}", kecamatan.name,
                                   kecamatan.bsre_nik))
    return parties


class LetterIssuer:
    """The `letter_issue` outbox sender: render, sign, keep and deliver one approved letter (idempotent)."""

    def __init__(self, services: Services, signer_factory: Callable[[], Any]) -> None:
        self.services = services
        self._signer_factory = signer_factory
        self._signer: Any | None = None

    def signer(self) -> Any:
        if self._signer is None:
            self._signer = self._signer_factory()
        return self._signer

    async def __call__(self, job: OutboxJob) -> None:
        from integrations.signing import SignerInfo

        store = self.services.store
        number = str(job.payload.get("number", ""))
        ticket = await store.get_ticket(number)
        if ticket is None or ticket.kind != KIND:
            raise PermanentError(f"no letter request {number}")
        if ticket.status != SIGNING:
            return  # issued already (a repeated job) or revoked meanwhile: nothing to do
        letter = letter_of(ticket)
        pdf = await asyncio.to_thread(render_letter, letter_content(self.services, ticket))  # CPU work
        for party in signer_parties(self.services, ticket):
            pdf = await self.signer().sign(pdf, SignerInfo(field=party.field, name=party.name, title=party.title,
                                                          location=party.location, nik=party.nik))
        now = self.services.clock()
        media = Media(id=uuid.uuid4().hex, mime="application/pdf", data=pdf, created_at=now, ticket=number)
        letter.update(pdf_media=media.id, sha256=hashlib.sha256(pdf).hexdigest(), issued_at=now.isoformat())
        ticket.status = ISSUED
        ticket.closed_at = now
        ticket.updated_at = now
        # Lookups from the public token (QR) and the resident's download token to the request.
        await store.set_value(TOKEN_KEY + letter["verify_token"], number)
        await store.set_value(DOWNLOAD_KEY + letter["download_token"], number)
        reporter = await store.get_identity(ticket.reporter)
        lang = reporter.lang if reporter else ticket.lang
        letter_type = catalog_of(self.services).types[ticket.topic or ""]
        text = self.services.texts.get(
            "letter_issued_to_resident", lang, number=number, type=letter_type.name_in(lang),
            letter_no=letter["letter_no"], url=download_url(self.services, letter["download_token"]),
            verify=verify_url(self.services, letter["verify_token"]))
        # Chat apps get the PDF itself; the web chat gets the link its session can open.
        document = None if ticket.reporter.startswith("webchat:") else f"media:{media.id}"
        reply = Reply(text, ticket=number, document=document, filename=f"surat-{number}.pdf")
        deliver = OutboxJob(key=f"letter_deliver:{number}", kind="deliver", created_at=now,
                            payload={"to": ticket.reporter, "replies": [reply.to_dict()]})
        # Those who approved it hear that it went out: "sedang ditandatangani" was the last they heard.
        jobs = [deliver]
        for approver in dict.fromkeys(str(a.get("by")) for a in letter.get("approvals", []) if a.get("by")):
            # on their own chat (an approval on the desk was made as its web identity), unless revoked since
            by = str(await store.get_value(WEB_ORIGIN_KEY + approver) or approver)
            signer = await store.get_identity(by)
            if signer is None or signer.role not in LETTER_ROLES:
                continue
            signer_lang = signer.lang
            said = self.services.texts.get("letter_issued_to_signer", signer_lang, number=number,
                                           letter_no=letter["letter_no"], type=letter_type.name_in(signer_lang))
            jobs.append(OutboxJob(key=f"letter_issued_signer:{number}:{by}", kind="deliver", created_at=now,
                                  payload={"to": by, "replies": [Reply(said, ticket=number).to_dict()]}))
        event = TicketEvent(ticket=number, kind="letter_issued", at=now, actor="system",
                            data={"letter_no": letter["letter_no"], "sha256": letter["sha256"]})
        try:
            await store.commit(Changes(tickets=[ticket], media=[media], events=[event], jobs=jobs))
        except ConflictError as exc:
            raise RetryableError("the request changed while it was signed; signing again") from exc
        self.services.wake_outbox()
