"""Filing a complaint: topic and OPD (correctable), location, optional photo, privacy, summary, ticket.

The flow is a table of steps (`STEPS`): each step has the question it asks and a small handler that
validates the answer and says what happens next, over a typed `ComplaintDraft`. What any step must
recognise first (cancel words, greetings, questions the bot can answer, new complaints, emergencies)
is decided by the dialogue before a step sees the message.
"""

from __future__ import annotations

import dataclasses
import logging
import re
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from actions import duplicates, nearby, on_behalf, question, safety
from actions import understand as u
from actions.base import STAFF_ROLES, Turn
from actions.common import (
    ASPIRATION_KEY,
    NAME_CHOSEN_KEY,
    TO_LAPOR,
    format_date,
    handler_name,
    location_text,
    notify_opd,
    notify_staff_of_ticket,
    opd_name,
    operator_recipients,
    regent_recipients,
    staff_lang,
    status_name,
    topic_name,
)
from actions.draft import ComplaintDraft
from actions.sla import triage_deadline
from bot.directory import Opd
from bot.logging_setup import has_personal_data
from bot.message import Button, Location, Reply
from bot.store.base import OPEN_STATUSES, STATUS_NEW, STATUS_TRIAGE, Media, Ticket
from nlu.result import GATE_COMPLAINT, ParseResult

logger = logging.getLogger(__name__)

FLOW = "complaint"
PRIVACY_CHOICES = ("publik", "anonim", "rahasia")
# Words residents use for each privacy choice, besides the button payloads.
_PRIVACY_WORDS = {
    "publik": ("publik", "public", "1", "biasa", "terbuka", "umum"),  # krama "umum mawon"
    "anonim": ("anonim", "anonymous", "anonymously", "anon", "2", "sembunyikan", "disembunyikan"),
    # krama "kula nyuwun dipun rahasiakaken": please keep it secret
    "rahasia": ("rahasia", "confidential", "secret", "3", "rahasiakan", "rahasiakaken", "dirahasiakaken",
                "rahasiaaken", "dirahasiakan", "dirahasiain", "rahasiain", "private", "privat"),
}
YES_WORDS = frozenset(
    {
        "ya", "iya", "y", "yes", "benar", "betul", "ok", "oke", "okay", "sudah benar", "nggih", "leres",
        "siap", "kirim", "lanjut", "sip", "send", "correct", "right", "sure", "yep", "ya benar", "iya benar",
        "nggih leres", "betul pak", "benar pak", "benar bu", "ya betul", "muhun", "sumuhun", "muhun leres",
    }
)
NO_WORDS = frozenset(
    {"tidak", "tdk", "gak", "nggak", "enggak", "no", "bukan", "salah", "mboten", "ganti", "ganti topik", "wrong"}
)
_GO_ON_WORDS = frozenset({"lewati", "lanjut", "lanjutkan", "skip", "next", "continue", "send", "kirim"})
SKIP_WORDS = frozenset({"lewati", "lanjut", "skip", "next", "tidak ada", "gak ada", "ga ada", "nggak ada", "tidak",
                        "no", "none", "no photo", "ndak ada", "mboten wonten", "gaada", "ora ono", "continue",
                        "ora ana", "ra ana", "ra ono", "mboten enten", "teu aya", "henteu aya", "teu gaduh",
                        # "gak usah pak" to "Ada foto pendukung?": none needed ("udah gak usah" drops the draft)
                        "gak usah", "ga usah", "nggak usah", "tidak usah", "ndak usah", "gak perlu", "tidak perlu"})
MAX_PHOTOS = 3
MIN_COMPLAINT_WORDS = 3
MAX_TOPIC_CHOICES = 3  # the two or three most likely OPDs, then the full list and "Lainnya"
TOPIC_LIST_KEY = "topic_list"
MAX_TOPIC_WORDS = 4  # a typed topic or OPD name is short ("lampu jalan"); longer text describes a problem


def _plain(text: str) -> str:
    return " ".join(text.lower().strip().strip(".!?").split())


# 👍, 👌 or 🙏 alone (any skin tone, repeated) to a yes/no question: a yes without words.
_YES_EMOJI = frozenset("👍👌🙏")
_EMOJI_MODIFIERS = frozenset("\ufe0f\u200d🏻🏼🏽🏾🏿")


def yes_emoji(text: str) -> bool:
    """"👍", "🙏🏻", "👌👌" answering "Apakah sudah benar?" or "Kirim aduan ini?": yes."""
    marks = [c for c in text if not c.isspace() and c not in _EMOJI_MODIFIERS]
    return bool(marks) and all(c in _YES_EMOJI for c in marks)


def is_yes(turn: Turn) -> bool:
    text = _plain(turn.message.text)
    if u.code_of(text) in (u.YES, u.SEND, u.NEXT) or text in YES_WORDS or yes_emoji(text):
        return True
    # "saya mau ketemu langsung sama petugasnya bisa?" is a question of its own, not a yes to the one asked
    return u.intent_of(turn.nlu) == "affirm" and not _own_question(turn.message.text)


def is_no(turn: Turn) -> bool:
    text = _plain(turn.message.text)
    return u.code_of(text) in (u.NO, u.CHANGE_TOPIC) or text in NO_WORDS or u.intent_of(turn.nlu) == "deny"


def topic_candidates(turn: Turn, ranking: list[list[Any]], exclude: str | None = None) -> list[str]:
    """Complaint topics from a ranking, best first, one per OPD, that the directory routes."""
    names: list[str] = []
    opds: set[str] = set()
    for pair in ranking:
        name = pair[0]
        if name in turn.directory.routing and name != exclude and turn.directory.routing[name] not in opds:
            names.append(name)
            opds.add(turn.directory.routing[name])
    return names[:MAX_TOPIC_CHOICES]


def ranked_topics(turn: Turn, result: ParseResult) -> list[list[Any]]:
    """[topic, confidence] per OPD, most likely OPD first: the routing decision's ranking (summed per
    OPD), else the intent ranking. Kept with the ticket as the triage suggestions."""
    if result.routing is not None and result.routing.ranking:
        pairs = [(o.topic, o.confidence) for o in result.routing.ranking]
    else:
        pairs = [(i.name or "", i.confidence) for i in result.intent_ranking]
    return [[topic, round(float(conf), 4)] for topic, conf in pairs if topic in turn.directory.routing][:5]


# Stored photo ids that wait in the conversation state for the complaint the current turn starts (cleared at the
# end of the turn if none starts).
CARRIED_MEDIA = "carried_media"


def keep_attachments(turn: Turn, draft: ComplaintDraft) -> int:
    """Keep photos (and a shared pin) of this message with `draft`; returns how many photos were added.

    Photos already stored and carried over from an earlier message (`CARRIED_MEDIA`: held with words the resident
    then said were a new matter) come first."""
    added = 0
    for media_id in turn.state.pop(CARRIED_MEDIA, None) or []:
        if isinstance(media_id, str) and media_id not in draft.media and len(draft.media) < MAX_PHOTOS:
            draft.media.append(media_id)
            added += 1
    for attachment in turn.message.attachments:
        ref = attachment.ref or ""
        if attachment.kind == "voice" and ref.startswith("media:"):  # a transcribed voice note
            draft.audio.append(ref[len("media:"):])
            continue
        if attachment.kind != "photo" or not attachment.data or len(draft.media) >= MAX_PHOTOS:
            continue
        media = Media(
            id=uuid.uuid4().hex, mime=attachment.mime or "image/jpeg", data=attachment.data, created_at=turn.now
        )
        turn.changes.media.append(media)
        draft.media.append(media.id)
        added += 1
    if turn.message.location and not draft.location:
        draft.location = turn.message.location.to_dict()
    return added


def _at(turn: Turn, draft: ComplaintDraft, step: str) -> None:
    """Move to `step`, keeping the draft with it."""
    turn.state["flow"] = FLOW
    turn.state["step"] = step
    draft.save(turn.state)


# --- starting -----------------------------------------------------------------------------------
# "saya mau lapor tapi takut ketahuan kepala desa, bisa dirahasiakan?": whether a report can be kept secret, asked
# before the matter is told
_SECRECY = re.compile(r"\b(?:dirahasiakan|dirahasiain|dirahasiakne|rahasiakan|rahasia|anonim|anonymous|anonymously|"
                      r"tanpa nama|takut ketahuan|ketahuan|identitas|didelikne|secret|without my name|"
                      # "bisakah saya melapor tanpa menyebutkan nama?" (thirty-sixth trial: offered to the offices)
                      r"tanpa\s+(?:menyebut\w*|mencantumkan|mencantumin|pakai|memakai|pake|nyebut\w*)\s+nama\w*)\b")
_NOT_THE_MATTER = frozenset(
    "pak bu kak mas mbak min admin saya sy aku kula kulo mau ingin pengen pingin arep lapor melapor melaporkan mengadu "
    "ngadu laporan aduan tapi tetapi namun cuma tp bisa boleh apakah apa gak ga nggak tidak kah ya nanti takut "
    "jika kalau kalo klo i want to report complain but can it be kept is my name hi hello halo permisi sesuatu "
    "something ada hal".split())
SECRECY_MAX_WORDS = 25
SECRECY_QUESTION_WORDS = 10


# "mau melapor pungli di kantor desa tapi saya takut diancam", "I'm afraid of retaliation": fear of what follows a
# report, said without asking (eighteenth trial). Heard, and answered with how the identity is protected.
_FEAR = re.compile(
    # "mau lapor tapi takut, nanti saya dicari orangnya", "saya takut melapor pak" (twenty-fifth trial)
    r"\b(?:mau|ingin|pengen|pingin|arep|badhe)\s+(?:lapor|melapor|ngadu|mengadu|ngelapor)\s+(?:tapi|tp|tetapi|namun)\s+"
    r"(?:\S+\s+)?(?:takut|khawatir|was-was|wedi|ajrih)\b"
    # ("saya takut kalau lapor nanti dilaporkan balik": thirty-fourth trial, not understood)
    r"|\b(?:takut|khawatir|wedi|ajrih)\s+(?:untuk\s+|mau\s+|kalau\s+|kalo\s+|klo\s+|jika\s+|nek\s+)?(?:saya\s+|aku\s+)?"
    r"(?:lapor|melapor|ngelapor|mengadu|ngadu|nglaporke)\b"
    r"|\b(?:takut|khawatir|was-was|wedi|ajrih)\s+(?:\S+\s+){0,3}?(?:diancam|ancaman|diintimidasi|intimidasi|dibalas|"
    r"dilaporkan\s+balik|dilapor\s+balik|dilaporin\s+balik|dituntut|dipolisikan|"
    r"balas dendam|diteror|dipecat|dimusuhi|dikucilkan|ketahuan|dimarahi|dicari|disakiti|dipersulit|dilabrak|digrudug|"
    r"diapa-apain|kenapa-napa|diincar)\b"
    r"|\b(?:afraid|scared|worried)\s+(?:of\s+)?(?:retaliation|reprisal|being\s+(?:threatened|fired|found\s+out|targeted))\b"
    # "mau lapor korupsi dana desa, tapi jangan sampai pak kades tahu ya" (twenty-sixth trial: its place was read as
    # "desa, tapi jangan" and nothing was said of how the reporter is kept unknown)
    r"|\bjangan\s+sampai\s+(?:\S+\s+){0,3}?(?:tahu|tau|ngerti|ketahuan|dengar)\b"
    r"|\bdon'?t\s+(?:let\s+)?(?:\S+\s+){0,3}?(?:know|find\s+out)\s+(?:it\s+was\s+|that\s+)?(?:me|i)\b"
)


def fears_reporting(text: str) -> bool:
    return bool(_FEAR.search(u.plain(text)))


_REPORT_WORD = re.compile(r"\b(?:lapor|melapor|melaporkan|ngelapor|nglaporke|mengadu|ngadu|pelapor|report|reporting)\b")


def asks_secrecy_first(text: str) -> bool:
    """A short message that says it wants to report and asks whether it can be kept secret, or says it is afraid of
    what reporting would bring on them."""
    low = u.plain(text)
    if len(low.split()) > SECRECY_MAX_WORDS:
        return False
    if fears_reporting(text) and _REPORT_WORD.search(low):
        return True  # "saya takut kalau lapor nanti dilaporkan balik" (thirty-fourth trial: not understood)
    if (len(low.split()) <= SECRECY_QUESTION_WORDS and _REPORT_WORD.search(low) and _SECRECY.search(low)
            and u.is_question(text)):
        return True  # "bisakah saya melapor tanpa menyebutkan nama?" (thirty-sixth trial: offered to the offices)
    if not question.reports(text):
        return False
    return fears_reporting(text) or (bool(_SECRECY.search(low)) and (
        u.is_question(text) or bool(re.search(r"\b(?:bisa|boleh|can|could)\b", low))))


def matter_beyond_secrecy(text: str) -> bool:
    """Whether the message tells the matter besides asking for secrecy ("mau lapor kades pungli bantuan, bisa
    dirahasiakan?" does; "mau lapor tapi takut ketahuan kepala desa, bisa dirahasiakan?" does not)."""
    clauses = [u.plain(c) for c in re.split(r"[,.;!?\n]+|\b(?:tapi|tetapi|namun|but)\b", text)]
    words = [w for c in clauses if c and not _SECRECY.search(c)
             for w in _FEAR.sub(" ", c).split() if w not in _NOT_THE_MATTER]
    return len(words) >= 3


async def start_secret(turn: Turn, text: str, parse: dict[str, Any], privacy: str | None = None) -> None:
    """Yes, it can: how identities are kept (the privacy FAQ's words), then the report, from this message when it
    tells the matter, else asked for; `privacy` ("tolong nama saya jangan ditampilkan kalau lapor": anonim) is
    chosen for it already, and said so."""
    if privacy:
        turn.say("secrecy_chosen", privacy=turn.t(f"privacy_{privacy}"))
    else:
        turn.say("fear_first" if fears_reporting(text) else "secrecy_first")
    kept = ComplaintDraft(early_privacy=privacy)
    if matter_beyond_secrecy(without_privacy_wish(text) if privacy else text):
        await start_from_text(turn, text, parse, kept)
    else:
        await start_from_menu(turn, kept)


# "suami saya sering memukul saya, saya takut pulang", "saya dipukuli pacar", "KDRT", "my husband hits me": violence
# against the one writing, at home or by someone close
_HARMED = re.compile(
    r"\b(?:suami|istri|pacar|mantan|ayah|bapak|bapa|ibu|mertua|kakak|kakak ipar|adik|paman|om|bojo)\s*"
    r"(?:saya|sy|aku|ku|gue|gw|kula|kulo)\b.{0,40}?\b(?:pukul|memukul|mukul|mukulin|menampar|nampar|menendang|nendang|menganiaya|aniaya|"
    r"mencekik|nyekik|mengancam|ngancam|menyiksa|nyiksa|memperkosa|melecehkan|ngantem|nggebuki|nggebugi)\w*"
    # "saya sering dipukuli suami", "aku ditampar pacarku": the one writing, by someone close (not "saya dipukul
    # preman di pasar", which is the police's)
    r"|\b(?:saya|sy|aku|kula)\s+(?:sering\s+|selalu\s+|terus\s+|habis\s+|baru\s+(?:saja\s+)?)?(?:dipukul|dipukuli|"
    r"dianiaya|disiksa|ditampar|ditendang|diperkosa|dilecehkan|dicekik|diancam)\s+(?:oleh\s+|sama\s+|ambek\s+)?"
    r"(?:suami|istri|pacar|mantan|ayah|bapak|ibu|mertua|kakak|adik|paman|om|bojo)"
    r"|\bmy\s+(?:husband|wife|partner|boyfriend|girlfriend|father|dad|stepfather|mother|ex)\s+(?:\w+\s+){0,3}?"
    r"(?:hits|beats|hit|beat|abuses|abused|hurts|hurt|threatens|threatened|rapes|raped)\b"
    r"|\bi\s+(?:am|was|get|got)\s+(?:\w+\s+)?(?:beaten|hit|abused|raped|assaulted)\s+by\s+my\s+(?:husband|wife|"
    r"partner|boyfriend|girlfriend|father|dad|stepfather|mother|ex)\b"
    # "saya mau melaporkan suami saya yang tidak menafkahi anak-anak" (thirty-second trial: "not understood"):
    # neglect in the household is domestic violence too (UU 23/2004 on PKDRT, art. 9)
    r"|\b(?:suami|ayah|bapak|mantan\s+suami|bojo)\s*(?:saya|sy|aku|ku|kula|nya)?\b.{0,30}?\b(?:tidak|tdk|gak|ga|nggak|"
    r"ora|mboten)\s+(?:pernah\s+|mau\s+)?(?:menafkahi|nafkahi|menafkahin|memberi\s+nafkah|kasih\s+nafkah|ngasih\s+nafkah|"
    r"ngasih\s+uang\s+belanja|kasih\s+uang\s+belanja)\b"
    r"|\b(?:menelantarkan|ditelantarkan|nelantarin)\s+(?:\S+\s+){0,2}?(?:istri|anak|saya|kami)\b"
    r"|\b(?:istri|anak|anak-anak)\s+(?:saya|sy|kami)\s+(?:di)?telantarkan\s+(?:oleh\s+|sama\s+)?(?:suami|ayah|bapak)")
# "KDRT", "kekerasan dalam rumah tangga": said by the one suffering it, or by a neighbour who hears it
_KDRT = re.compile(r"\bkdrt\b|\bkekerasan\s+dalam\s+rumah\s+tangga\b|\bdomestic\s+(?:violence|abuse)\b")
# "ada KDRT di rumah sebelah", "tetangga saya sering KDRT", "my neighbour's husband ...": someone else's home
_SOMEONE_ELSE = re.compile(r"\b(?:tetangga\w*|sebelah|sebelahnya|depan\s+rumah|belakang\s+rumah|teman|temen|kawan|"
                           r"saudara|kerabat|neighbou?rs?|next\s+door|friend|relative)\b")
VIOLENCE_TOPIC = "aduan_kekerasan_perempuan_anak"


def harmed(text: str) -> bool:
    """Violence against the one writing, at home or by someone close, or "KDRT" told of (not a neighbour's child
    told of otherwise)."""
    low = u.plain(text)
    return bool(_HARMED.search(low) or _KDRT.search(low))


# "saya korban kdrt", "aku kena kdrt", "saya mengalami kdrt", "I am a victim of domestic violence": the writer's own
_ME_VICTIM = re.compile(r"\b(?:saya|sy|aku|ku|kula|gue|gw|i)\s+(?:\S+\s+){0,2}?(?:korban|mengalami|ngalami|alami|"
                        r"kena|kenak|menderita|victim|suffer\w*|experienc\w*)\b|\bkorban\s+(?:\S+\s+)?(?:saya|aku)\b")


def witnessed(text: str) -> bool:
    """Domestic violence told of in someone else's home ("ada KDRT di rumah sebelah"), not the writer's own ("saya
    korban kdrt, malu sama tetangga")."""
    low = u.plain(text)
    return (bool(_KDRT.search(low)) and not _HARMED.search(low) and not _ME_VICTIM.search(low)
            and bool(_SOMEONE_ELSE.search(low)))


async def start_harmed(turn: Turn, text: str, parse: dict[str, Any]) -> None:
    """Safety first (112 when in danger now, the national SAPA 129 line), then the report, kept confidential and put
    to the office for women and children (UPTD PPA) for the resident to confirm."""
    turn.say("violence_support_witness" if witnessed(text) else "violence_support")  # a neighbour: no "you"
    turn.reset_flow()
    await start_on_topic(turn, text, parse, ComplaintDraft(text=text.strip()[:4000], early_privacy="rahasia"),
                          VIOLENCE_TOPIC)


async def start_on_topic(turn: Turn, text: str, parse: dict[str, Any], draft: ComplaintDraft, topic: str) -> None:
    """`draft` put to the resident on `topic`, whatever else the words read as; read afresh when the regency's
    directory has no such topic."""
    keep_attachments(turn, draft)
    if topic not in turn.directory.routing:
        await start_from_text(turn, text, parse, draft)
        return
    draft.topic, draft.opd, draft.routed_by = topic, turn.directory.routing[topic], "nlu"
    await ask_topic_confirmation(turn, draft)


# "saya tidak punya uang untuk makan, anak saya belum makan dari kemarin", "we have no food", "keluwen": a family
# without food today (twenty-ninth trial: three unrelated topics to pick from)
_HUNGRY = re.compile(
    r"\b(?:tidak|tdk|gak|ga|gk|nggak|ndak|ora|mboten)\s+(?:punya|ada|duwe|gadah|gduwe)\s+(?:uang|duit|beras|makanan|"
    r"bahan\s+makanan|sembako)\s+(?:untuk|buat|utk|kanggo|go)\s+(?:makan|mangan|beli\s+makan\w*)\b"
    r"|\b(?:belum|blm|tidak|tdk|gak|ga|nggak|durung|ora|dereng)\s+(?:\S+\s+)?(?:makan|mangan|nedha)\s+(?:dari|sejak|selama|"
    r"wis|sudah|sampai)\s+(?:kemarin|kemaren|wingi|\d+\s+hari|dua\s+hari|tiga\s+hari|berhari|pagi|semalam)"
    r"|\bkelaparan\b|\bkeluwen\b|\bstarving\b|\bhaven'?t\s+eaten\s+(?:since|for)\b"
    r"|\b(?:no|don'?t\s+have\s+any|do\s+not\s+have\s+any|have\s+no)\s+(?:money|food)\s+(?:for|to\s+buy)\s+(?:food|eat)")
HUNGER_TOPIC = "aduan_bansos"


def hungry(text: str) -> bool:
    """A family without food told of, the writer's or a neighbour's."""
    return bool(_HUNGRY.search(u.plain(text)))


async def start_hungry(turn: Turn, text: str, parse: dict[str, Any]) -> None:
    """Where to get food today (the village office, the health centre for anyone weak), then the report, urgent, for
    the social office to confirm."""
    turn.say("hunger_support")
    turn.reset_flow()
    await start_on_topic(turn, text, parse, ComplaintDraft(text=text.strip()[:4000], urgent=True), HUNGER_TOPIC)


# "ibu saya sakit tidak punya bpjs, biaya rumah sakit mahal", "we have no health insurance and my father is in
# hospital": someone ill without cover (thirtieth trial: unsure topics about the hospital and housing)
_UNINSURED = re.compile(r"\b(?:tidak|tdk|gak|ga|gk|nggak|belum|blm|ndak|ora)\s+(?:punya|ada|memiliki|duwe|pakai|"
                        r"pake)\s+(?:bpjs|kis|jkn|asuransi|jaminan\s+kesehatan)\b|\bno\s+(?:health\s+)?insurance\b"
                        r"|\b(?:don'?t|do\s+not)\s+have\s+(?:health\s+)?insurance\b")
_ILL = re.compile(r"\b(?:sakit|dirawat|berobat|operasi|opname|melahirkan|rumah\s+sakit|rs|rsud|puskesmas|biaya|ill|"
                  r"sick|hospital\w*|treatment|surgery)\b")


# "puskesmas menolak pasien karena tidak punya bpjs": a service refusing, which is a complaint to file
_REFUSED = re.compile(r"\b(?:ditolak|menolak|tolak|disuruh|dipersulit|mempersulit|diusir|tidak\s+dilayani|"
                      r"gak\s+dilayani|refused|turned\s+away)\b")


def uninsured_sick(text: str) -> bool:
    """Someone ill, or in hospital, without health cover, told of (not a service refusing them for it)."""
    low = u.plain(text)
    return bool(_UNINSURED.search(low) and _ILL.search(low)) and not _REFUSED.search(low)


async def start_from_menu(turn: Turn, kept: ComplaintDraft | None = None, named: str = "") -> None:
    """A complaint begun with nothing of it told, or only its topic named (`named`: "jalan berlubang" of "saya mau
    lapor jalan berlubang"): what happened, where, is asked."""
    turn.reset_flow()
    draft = ComplaintDraft(early_privacy=kept.early_privacy if kept else None, named=named)
    keep_attachments(turn, draft)
    if named:
        _at(turn, draft, "describe")
        turn.say("complaint_describe_named", words=shorten(named, 60))
        return
    await ask_describe(turn, draft)


# "pak yang perbaiki minta uang rokok", "petugasnya minta imbalan", "kami dimintai uang 200 ribu", "they asked for
# money": money asked by those who did the work (pungutan liar)
_ASKED_FOR_MONEY = re.compile(
    r"\b(?:minta|meminta|mintai|dimintai|dimintain|diminta|nodong|menodong|malak|memalak|dipalak|narik|menarik|ditarik|"
    r"asked\s+(?:us\s+|me\s+)?for|wanted)\b.{0,25}?\b(?:uang|duit|imbalan|upah|ongkos|biaya|pungutan|"
    r"rokok|bensin|kopi|money|bribe|tips?)\b"
    r"|\b(?:uang|duit)\s+(?:rokok|bensin|kopi|pelicin|terima\s+kasih)\b|\bpungli\b|\bpungutan\s+liar\b|\bbribe\w*\b"
    # "satpol PP-ne pada nampani amplop" (a real Purbalingga report): a bribe taken
    r"|\b(?:terima|menerima|nerima|nampani|ditampani)\s+(?:\S+\s+)?(?:amplop|suap\w*|sogok\w*|upeti)\b"
    r"(?!\s+(?:undangan|nikah|pernikahan))|\b(?:disuap|disogok|suap-menyuap|menyuap|nyogok|menyogok)\b")
EXTORTION_TOPIC = "aduan_pungli"


def asked_for_money(text: str) -> bool:
    return bool(_ASKED_FOR_MONEY.search(u.plain(text)))

# ... asked by an official: "pak RT minta uang untuk urus KTP" is extortion, whatever service it was for (thirty-second
# trial: routed to the ID cards)
_OFFICIAL = re.compile(r"\b(?:rt|rw|kades|kepala\s+desa|lurah|perangkat|petugas\w*|pegawai\w*|oknum|camat|staf\w*|"
                       r"calo|sekdes|kadus|kasun|polisi|satpol|sapol|pol\s+pp|dinas|officials?|officers?|clerk)\b")


def extortion_by_official(text: str) -> bool:
    low = u.plain(text)
    return asked_for_money(text) and bool(_OFFICIAL.search(low))


# A pin typed with a report: four decimals or more ("-7.4705, 112.4401"), never prices ("dari 12.000, jadi 15.000")
_PIN = re.compile(r"(?<![\d.])-?\d{1,2}\.\d{4,}\s*[,;]\s*-?\d{1,3}\.\d{4,}(?![\d.])")


async def start_from_text(turn: Turn, text: str, parse: dict[str, Any], draft: ComplaintDraft | None = None, *,
                          as_complaint: bool = False, next_of_many: bool = False) -> None:
    """A message that already says what is wrong: propose the topic and OPD, or ask. One that asks ("mau tanya",
    "mohon info", "apakah …") and that no topic fits well is offered as a question to an office instead, with "it is
    a complaint" among the choices (`as_complaint`: that was chosen). `next_of_many`: the next problem of a message
    whose others were named already (offer_second_issue)."""
    if not next_of_many and (draft is None or not draft.text) and turn.identity.role not in STAFF_ROLES:
        for note in safety.notes_for(text):  # "anjing liar gigit anak saya": wash the wound, the vaccine today
            turn.say(note)
    kept = draft or ComplaintDraft()
    turn.reset_flow()
    text = without_correction(text.strip()) or text.strip()
    draft = ComplaintDraft(text=text, media=kept.media, audio=kept.audio, location=kept.location,
                           no_photo=kept.no_photo, early_privacy=kept.early_privacy,
                           suggestion=kept.suggestion or is_suggestion(text))
    if draft.location is None and _PIN.search(text) and (pin := Location.from_text(text)) is not None:
        # "-7.4705, 112.4401 jalan ambles di sini": the pin typed with the report is its place (thirty-ninth trial:
        # asked for again at the place step)
        draft.location = Location(pin.latitude, pin.longitude).to_dict()
    keep_attachments(turn, draft)
    _answers_in_report(draft)
    if (routed := without_curse(text)) != text:  # "babi, pelayanan capil lama bgt": routed by what follows the curse
        try:
            parse = await turn.services.nlu.parse(routed[:1000])
        except Exception:  # routed as a whole instead
            logger.warning("routing the report without its opening curse failed", exc_info=True)
    result = ParseResult.from_dict(parse)
    draft.ranking = ranked_topics(turn, result)
    name, confidence = result.intent.name, result.intent.confidence
    if result.routing is not None and result.routing.topic in turn.directory.routing:
        # The routing decision (calibrated: 0.9 means right 9 times in 10) decides, not the intent's
        # confidence: the resident is describing a complaint ("TPS BAU BANGET" is not a greeting).
        name, confidence = result.routing.topic, result.routing.confidence
    if EXTORTION_TOPIC in turn.directory.routing and extortion_by_official(text):
        # (read as extortion already, but unsurely: "saya diminta uang sama petugas yang memperbaiki jalan" at 0.83 got
        # the list; thirty-eighth trial)
        name, confidence = EXTORTION_TOPIC, max(confidence, turn.directory.route_threshold)
    draft.confidence = confidence
    turn.state.pop(OUTSIDE_CHOICE_KEY, None)
    if (result.routing is not None and result.routing.topic in turn.directory.external
            and result.routing.confidence >= OUTSIDE_CHOICE_CONFIDENCE):
        # "ayam saya dicuri tetangga", the police's at 0.85 (thirty-eighth trial: only regency offices offered, none
        # of them right): who handles it is offered beside them, one tap from how to reach them
        turn.state[OUTSIDE_CHOICE_KEY] = result.routing.topic
    asked = not as_complaint and not draft.media and not draft.audio
    if draft.suggestion and not kept.text:  # "saya mau kasih saran pak, …": thanked (once), and kept as aspirasi
        turn.say("aspiration_noted")
    if (asked and (question.asks_outright(text) or question.asks_programme(text)
                   or (question.asks(text) and question.is_question(text) and not question.reports(text)))
            and await _question_in_faq(turn, text)):
        pass  # "Selamat pagi. Saya mau menanyakan, apakah pembuatan akta kematian dipungut biaya? Terima kasih"
    elif asked and (question.asks_outright(text) or question.asks_programme(text)):
        # "mau tanya, apakah dana desa bisa …?", "apakah ada bantuan modal usaha untuk umkm?": likeliest office first
        question.offer(turn, text, parse, lead="question_offer_unsure", from_complaint=True)
    elif name in turn.directory.routing and confidence >= turn.directory.route_threshold:
        draft.topic, draft.opd, draft.routed_by = name, turn.directory.routing[name], "nlu"
        if not next_of_many and (others := await other_matters(turn, text, draft.opd)):  # offered once this is sent
            turn.say("other_matters_noted", others=turn.t("list_and").join(
                turn.t("other_matter_item", topic=topic_name(turn, t), opd=opd_name(turn, turn.directory.routing[t]))
                for t in others))
        await ask_topic_confirmation(turn, draft)
    elif asked and question.asks(text) and question.is_question(text) and not question.reports(text):
        question.offer(turn, text, parse, lead="question_offer_unsure", from_complaint=True)
    elif len(both := await two_matters(turn, text, most=3)) >= 2:
        # "jalan rusak di depan SD 2, terus lampu jalannya juga mati": one at a time, each to its own office (the
        # other is offered once the first is sent: offer_second_issue)
        first, second = both[:2]
        named: dict[str, Any] = {"first": topic_name(turn, first),
                                 "first_opd": opd_name(turn, turn.directory.routing[first]),
                                 "second": topic_name(turn, second),
                                 "second_opd": opd_name(turn, turn.directory.routing[second])}
        if len(both) == 3:  # "1. jalan rusak di sooko 2. lampu mati di puri 3. sampah numpuk di pasar" (thirty-sixth
            # trial: "two matters", the third unnamed)
            turn.say("three_matters_note", third=topic_name(turn, both[2]),
                     third_opd=opd_name(turn, turn.directory.routing[both[2]]), **named)
        else:
            turn.say("two_matters_note", **named)
        await ask_topic_choice(turn, draft, list(both), lead="two_matters_pick")
    else:
        await ask_topic_choice(turn, draft)


# "saya mau kasih saran pak, …", "usul pak, gimana kalau …", "I'd like to suggest …": a suggestion (aspirasi), which
# SP4N-LAPOR! keeps as its own kind beside complaints (twenty-seventh trial: each was filed as a complaint, unsaid)
_GREETING_FIRST = (r"^\W*(?:(?:pak|bu|bapak|ibu|min|admin|kak|mas|mbak|halo|hai|hello|hi|permisi|punten|assalamu\S*|"
                   r"selamat\s+\w+|good\s+\w+)\W+){0,2}")
_SUGGESTION = re.compile(
    _GREETING_FIRST + r"(?:(?:saya|kami|aku|sy|kula)\s+)?"
    r"(?:(?:mau|ingin|pengen|pingin|mo|izin|ijin|boleh|badhe|hendak)\s+)?"
    r"(?:(?:kasih|ngasih|memberi|memberikan|menyampaikan|sampaikan|kirim|ngirim|mengajukan|ajukan|urun)\s+)?"
    # ("masukan" only alone, below: "masukan data ktp susah" is a misspelt "masukkan")
    r"(?:saran|usul|usulan|aspirasi|mengusulkan|menyarankan|ngusulin|nyaranin|ngusulke)\b"
    r"|" + _GREETING_FIRST + r"(?:i'?d\s+like\s+to|i\s+would\s+like\s+to|i\s+want\s+to|can\s+i|may\s+i|let\s+me)\s+"
    r"(?:suggest|propose|make\s+a\s+(?:suggestion|proposal))\b|^\W*(?:suggestion|proposal|saran|usul)\s*:",
    re.IGNORECASE)
# "usul pak", "saya mau kasih saran", "I have a suggestion": a suggestion to come, nothing said of it yet
_SUGGESTION_ONLY = re.compile(
    _GREETING_FIRST + r"(?:(?:saya|kami|aku|sy|kula)\s+)?(?:(?:mau|ingin|pengen|pingin|mo|izin|ijin|boleh|badhe|hendak|"
    r"bisa)\s+)?(?:(?:kasih|ngasih|memberi|memberikan|menyampaikan|sampaikan|kirim|ngirim|mengajukan|ajukan|urun)\s+)?"
    r"(?:saran|usul|usulan|aspirasi|masukan)(?:\s+(?:pak|bu|min|kak|mas|mbak|dong|nih|ya|boleh|bisa|gimana|caranya|"
    r"sedikit|nih|untuk\s+pemkab|buat\s+pemkab))*"
    # "saya mau kasih saran, bukan keluhan" (thirty-fourth trial: asked for the problem to complain of)
    r"(?:\s+(?:bukan|bkn|not|tidak|tdk)\s+(?:mau\s+)?(?:keluhan|aduan|komplain|complain|complaint|pengaduan|"
    r"laporan|a\s+complaint|ngeluh|mengeluh|ngadu|mengadu))?$"
    r"|" + _GREETING_FIRST + r"(?:i\s+have\s+a\s+suggestion|can\s+i\s+(?:make|give)\s+a\s+suggestion|"
    r"i'?d\s+like\s+to\s+(?:make|give)\s+a\s+suggestion|suggestion)$", re.IGNORECASE)


def is_suggestion(text: str) -> bool:
    """A report that opens as a suggestion for the regency rather than a complaint about something wrong."""
    return bool(_SUGGESTION.search(text.strip()[:200]))


def asks_to_suggest(text: str) -> bool:
    """"usul pak", "saya mau kasih saran": a suggestion is coming, its content not yet said."""
    return bool(_SUGGESTION_ONLY.match(u.plain(text)))


async def start_suggestion(turn: Turn) -> None:
    """Ask what the suggestion is; what comes next is filed as aspirasi (it was "not understood")."""
    turn.reset_flow()
    draft = ComplaintDraft(suggestion=True)
    keep_attachments(turn, draft)
    _at(turn, draft, "describe")
    turn.say("aspiration_ask")


_ABOUT_NAME = re.compile(r"\b(?:nama|nami|identitas|jeneng|name|identity|pelapor|pelapornya)\b")
REPORT_ANSWER_WORDS = 12  # a sentence of the report that answers a later step is short ("Saya tidak punya foto.")


def _answers_in_report(draft: ComplaintDraft) -> None:
    """"... sudah 2 bulan. Saya tidak punya foto. Tolong nama saya dirahasiakan ya pak": the photo and privacy
    questions the report already answers are not asked again."""
    for sentence in re.split(r"[.!?;\n]+", draft.text):
        low = u.plain(sentence)
        if not low or len(low.split()) > REPORT_ANSWER_WORDS:
            continue
        if not draft.no_photo and _PHOTO_WORD.search(low) and says_no_photo(sentence):
            draft.no_photo = True
        # about the reporter's name ("surat anonim", "jalan private" in a report are the matter, not a choice)
        if not draft.early_privacy and _ABOUT_NAME.search(low) and (privacy := _early_privacy(sentence)):
            draft.early_privacy = privacy


# --- cancelled, then wanted after all ----------------------------------------------------------------
CANCELLED_KEY = "cancelled_complaint"
CANCEL_REGRET_MINUTES = 24 * 60  # "pak saya mau lanjut lapor yang tadi" hours later, the same day or the next
_FLOW_KEYS = ("flow", "step", "draft", "choices", "topic_list")
# "eh bentar, jadi deh lapor sampah tadi", "gak jadi batal", "lanjutkan yang tadi", "sido wae": the resident wants the
# complaint they just cancelled ("ga jadi deh" itself is a cancel word, matched before this).
# "kok berhenti?", "lho kok batal?", "why did it stop?" right after the cancel word: it was not meant to end
_WHY_STOPPED = re.compile(r"^(?:(?:lho|loh|lha|eh|pak|bu|kak|min|lo|kok|lah|why|hey|hei)\s+)*(?:kok|kenapa|knp|ngapa|"
                          r"why\s+(?:did|is|was)\s+(?:it|this|my\s+complaint))\s+(?:jadi\s+|malah\s+|sudah\s+|udah\s+)?"
                          r"(?:berhenti|stop|stopped|batal|dibatalkan|dibatalin|cancel\w*|hilang|ilang|end\w*)"
                          r"(?:\s+(?:pak|bu|sih|ya|min|kak|lagi))*$")
_REGRET = re.compile(
    r"(?<!ga )(?<!gak )(?<!gk )(?<!tidak )(?<!nggak )(?<!enggak )(?<!ndak )(?<!ora )"
    r"\bjadi (?:deh|aja|saja|lapor|ngadu|diadukan|dilaporkan)\b|"
    r"\b(?:ga|gak|tidak|nggak|ndak) jadi (?:batal|dibatalkan)\b|"
    r"\blanjut(?:kan|in)? (?:aduan|aduannya|laporan|laporannya|lapor|ngadu|pengaduan|yang) (?:saya |sy )?(?:yang |yg )?"
    r"(?:tadi|kemarin|barusan|sebelumnya)\b|"
    r"\b(?:aduan|laporan) (?:yang )?tadi (?:aja|saja|deh)\b|\bsido (?:wae|ae|lapor)\b|"
    r"\bnever ?mind,? (?:continue|go on|send it)\b|\bcontinue (?:the|my) (?:complaint|report|request|letter)\b|"
    # "eh jangan dibatalkan, tadi salah pencet", "yang tadi masih bisa dilanjutkan?", "I didn't mean to cancel"
    # (thirty-fifth trial: "not understood", then offered to an office as a question)
    r"\bjangan (?:di)?batal(?:kan|in)?\b|"
    r"\b(?:yang|yg|aduan|laporan|aduannya|laporannya) (?:tadi|barusan) (?:masih )?(?:bisa )?(?:di)?lanjut(?:kan|in)?\b|"
    r"\b(?:didn'?t|did not) mean to cancel\b|\bdon'?t cancel\b"
)
# "tadi salah pencet", "undo": a mis-tap, only of the cancel just made
_MIS_TAP = re.compile(r"\b(?:salah|keliru) (?:pencet|tekan|klik|pilih)\b|\bkepencet\b|\b(?:pencet|tekan|klik) salah\b|"
                      r"\bundo\b|\bwrong button\b")
MIS_TAP_MINUTES = 10
MIS_TAP_WORDS = 8


# A letter request (actions/letters.py) is kept the same way (thirty-first trial: "eh jadi deh" after "batal aja
# deh" got "nothing is under way", and the answers given were lost).
LETTER_FLOW = "letter"
_LETTER_KEYS = ("flow", "step", "l", "field", "suggested")


def snapshot(turn: Turn) -> dict[str, Any] | None:
    """The complaint being written, or the letter requested, to keep when it is cancelled (None when there is none
    worth keeping)."""
    if turn.state.get("flow") == LETTER_FLOW and (turn.state.get("l") or {}).get("type"):
        kept: dict[str, Any] = {k: turn.state[k] for k in _LETTER_KEYS if k in turn.state}
    elif turn.state.get("flow") == FLOW and (turn.state.get("draft") or {}).get("text"):
        kept = {k: turn.state[k] for k in _FLOW_KEYS if k in turn.state}
    else:
        return None
    kept["at"] = turn.now.isoformat()
    return kept


def set_aside(turn: Turn) -> None:
    """Leave the flow, the complaint (or letter request) being written kept a while for "eh jadi deh"."""
    kept = snapshot(turn)
    turn.reset_flow()
    if kept:
        turn.state[CANCELLED_KEY] = kept


async def restore_cancelled(turn: Turn) -> str | None:
    """Bring back the complaint (or letter request) cancelled within CANCEL_REGRET_MINUTES when the resident says
    they want it after all: its flow, for the caller to ask its step again; None when nothing is brought back."""
    kept = turn.state.get(CANCELLED_KEY)
    low = u.plain(turn.message.text)
    why = bool(_WHY_STOPPED.search(low))
    mis_tap = bool(_MIS_TAP.search(low)) and len(low.split()) <= MIS_TAP_WORDS
    if not isinstance(kept, dict) or not (why or mis_tap or _REGRET.search(low)):
        return None
    try:
        at = datetime.fromisoformat(str(kept.get("at")))
    except ValueError:
        turn.state.pop(CANCELLED_KEY, None)
        return None
    if mis_tap and not (why or _REGRET.search(low)) and turn.now - at > timedelta(minutes=MIS_TAP_MINUTES):
        return None  # (a mis-tap said later is of something else: the cancelled complaint stays kept)
    turn.state.pop(CANCELLED_KEY, None)
    if turn.now - at > timedelta(minutes=CANCEL_REGRET_MINUTES):
        return None
    turn.reset_flow()
    letter = kept.get("flow") == LETTER_FLOW
    turn.state.update({k: v for k, v in kept.items() if k in (_LETTER_KEYS if letter else _FLOW_KEYS)})
    if why:  # "kok berhenti?" after a "stop" (thirty-second trial: "nothing is under way"): why, and it goes on
        turn.say("restored_after_stop")
    turn.say("letter_restored" if letter else "complaint_restored")
    if not letter:
        await ask_again(turn)
    return LETTER_FLOW if letter else FLOW


# --- dropping the draft in everyday words ---------------------------------------------------------------
# "hapus aja laporannya", "udah gak usah pak", "pak laporan saya batalin aja", "never mind, I'll call the village head",
# "ga jadi deh pak, udah dibersihin warga": the complaint being written is dropped, often with the reason after a
# comma (u.is_cancel knows the bare words: "batal", "ga jadi deh"). A bare "gak usah" is left to the step (at the photo
# question it says "no photo"): only "udah gak usah", or "gak usah dilanjut", "gak perlu lagi", drops the draft.
_DROP_LEAD = r"(?:(?:pak|bu|kak|min|mas|mbak|eh|oh|ah|ya|yaudah|ok|oke|wah)\s+)*"
_DROP_TAIL = (r"(?:\s+(?:aja|saja|ae|wae|deh|dong|ya|yah|pak|bu|kak|min|mas|mbak|sih|lah|lagi|dulu|nya|it|this|"
              r"please|(?:laporan|aduan)(?:nya)?|the (?:complaint|report)))*")
_NEG = r"(?:gak|ga|gk|nggak|ngga|enggak|tidak|tdk|ndak|nda|ora)"
_DROP_DRAFT = re.compile(
    _DROP_LEAD + r"(?:(?:udah|udh|sudah|sdh|wis|wes)\s+)?"
    r"(?:(?:laporan|aduan)(?:nya)?\s+(?:(?:saya|sy|ku|aku|ini|tadi)\s+)?)?"
    r"(?:(?:di)?hapus(?:kan|in)?|(?:di)?batal(?:kan|in)?|cancel|delete|never ?mind|forget it|forget about it|"
    + _NEG + r"\s+(?:usah|perlu)\s+(?:lagi|(?:di)?lanjut(?:kan|in)?|lapor|dilaporkan|dikirim|diproses))" + _DROP_TAIL
    + r"|" + _DROP_LEAD + r"(?:udah|udh|sudah|sdh|yaudah|wis|wes)\s+(?:lah\s+)?" + _NEG + r"\s+usah" + _DROP_TAIL
)
DROP_WORDS = 15  # longer, a message is more than a request to drop the draft


_CORRECTS = re.compile(r"\bbukan\b.*\b(?:tapi|tp|tetapi|melainkan|namun)\b|\bmaksud(?:nya|ku|saya|sy)?\b|"
                       r"\b(?:yang|yg)\s+(?:benar|bener|betul)\b|\b(?:harusnya|seharusnya|i\s+mean|it'?s\s+actually)\b")


def cancels_draft(text: str) -> bool:
    """The resident drops the complaint being written: a cancel word, or a short message whose first or last part
    says so in everyday words ("hapus aja laporannya", "ga jadi deh pak, udah dibersihin warga"). Not a question
    ("udah dibatalin blm?"), nor words about the photo ("gak usah foto")."""
    if u.is_cancel(text):
        return True
    low = u.plain(text)
    if (not low or len(low.split()) > DROP_WORDS or u.is_question(text) or _PHOTO_WORD.search(low)
            or _REGRET.search(low)):  # "never mind, continue": the draft goes on
        return False
    parts = [u.plain(part) for part in re.split(r"[,.;!\n]+|\s-\s", text) if u.plain(part)]
    if len(parts) > 1 and _EARLIER_ONE.search(parts[-1]) and not _DROP_DRAFT.fullmatch(parts[-1]):
        return False  # "eh gk jadi, yg tadi aja pohon": the topic chosen before, not the draft dropped
    if len(parts) > 1 and _CORRECTS.search(" ".join(parts[1:])):
        return False  # "eh ga jadi, itu bukan trotoar tapi jalan aspalnya" (thirty-sixth trial: the draft dropped)
    return any(u.is_cancel(part) or _DROP_DRAFT.fullmatch(part) for part in {parts[0], parts[-1]})


# --- the questions ------------------------------------------------------------------------------
# "desa sooko rt 2", "dusun krajan desa puri" as the very first words: the place of a complaint still to be told
# (thirty-eighth trial: read as one about village funds, on unsure topics)
_PLACE_FIRST = re.compile(r"^(?:(?:di|ing|nang|neng|at|in|lokasi|alamat)\s+)?(?:desa|ds|dusun|dsn|dukuh|kelurahan|kel|"
                          r"kampung|kp|rt|rw|perum|perumahan|komplek|kompleks|blok|kecamatan|kec)\b")


def opens_with_place(turn: Turn, text: str) -> bool:
    return bool(_PLACE_FIRST.match(u.plain(text))) and place_only(turn, text)


async def start_from_place(turn: Turn, text: str) -> None:
    """A complaint begun with its place: the place kept for it (not asked again), and what happened asked."""
    turn.reset_flow()
    draft = ComplaintDraft(location=Location(address=shorten(text.strip(), 300)).to_dict())
    _at(turn, draft, "describe")
    turn.say("describe_place_first", place=shorten(text.strip(), 120))


async def ask_describe(turn: Turn, draft: ComplaintDraft) -> None:
    _at(turn, draft, "describe")
    turn.say("complaint_describe")


async def ask_topic_confirmation(turn: Turn, draft: ComplaintDraft) -> None:
    _at(turn, draft, "confirm_topic")
    turn.say(
        # a suggestion is no complaint (the last note left it: "Aduan Anda tentang …" for "usul pak, …")
        "suggestion_topic_confirm" if _a_suggestion(draft) else "complaint_topic_confirm",
        [
            turn.button("complaint_topic_yes", u.YES),
            turn.button("complaint_topic_change", u.CHANGE_TOPIC),
            turn.button("cancel_button", u.CANCEL),
        ],
        topic=topic_name(turn, draft.topic),
        opd=opd_name(turn, draft.opd),
    )


def say_topic_note(turn: Turn, topic: str | None, *, once: bool = False) -> None:
    """What a resident with this topic must know at once (`note_<topic>` in content/texts/topics.yml): for
    violence against women and children, where to call now. Said when the topic is settled (`once` per draft:
    not again when the place is asked again) and with the ticket number."""
    if not topic or not turn.texts.has(f"note_{topic}") or (once and turn.state.get("noted") == topic):
        return
    turn.state["noted"] = topic
    turn.say(f"note_{topic}")


def _current_choice(turn: Turn, draft: ComplaintDraft) -> str:
    if not draft.opd:
        return ""
    return turn.t("topic_current", topic=topic_name(turn, draft.topic), opd=opd_name(turn, draft.opd))


# state: a matter outside the regency that the report most likely is, read with too little confidence to send the
# resident away (`OUTSIDE_CHOICE_CONFIDENCE` up to the routing threshold): offered beside the offices
OUTSIDE_CHOICE_KEY = "outside_choice"
OUTSIDE_CHOICE_CONFIDENCE = 0.75  # (below it, "my water bill is too high" read as PLN's at 0.6 would offer PLN)


async def ask_topic_choice(turn: Turn, draft: ComplaintDraft, candidates: list[str] | None = None, *,
                           lead: str | None = None) -> None:
    """The topics to choose from. Asked again at the list (a place or "yang mana" in between), a short line goes
    with the buttons instead of the whole "Kami belum yakin …" paragraph; `lead`, a line that already asks for
    the choice ("Maaf, saya belum menemukan topik itu. Pilih …"), goes with them in its place."""
    if candidates is None:
        candidates = topic_candidates(turn, draft.ranking, exclude=draft.topic)
    again = turn.state.get("step") == "choose_topic"
    _at(turn, draft, "choose_topic")
    turn.state["choices"] = candidates
    buttons = [
        Button(f"{opd_name(turn, turn.directory.routing[t])}: {topic_name(turn, t)}", f"{u.TOPIC_PREFIX}{t}")
        for t in candidates
    ]
    if draft.topic:
        buttons.insert(0, Button(turn.t("topic_keep", topic=topic_name(turn, draft.topic)), u.YES))
    outside = turn.state.get(OUTSIDE_CHOICE_KEY)
    if not draft.topic and isinstance(outside, str) and outside in turn.directory.external:
        buttons.append(Button(turn.t("topic_outside_button", name=turn.directory.external[outside].name),
                              f"{u.TOPIC_PREFIX}{outside}"))
    buttons.append(turn.button("topic_all_button", u.ALL_TOPICS))
    buttons.append(turn.button("complaint_topic_other", f"{u.TOPIC_PREFIX}lainnya"))
    if draft.topic:
        if lead:
            turn.say(lead)
        key = "topic_choose_again"
    else:
        key = lead or ("topic_choose_short" if again else
                       "suggestion_choose_topic" if _a_suggestion(draft) else "complaint_choose_topic")
    turn.say(key, buttons, current=_current_choice(turn, draft))


def _a_suggestion(draft: ComplaintDraft) -> bool:
    """A suggestion (aspirasi) is being written: "usul pak, …", or words that are one ("saya mau usul, …")."""
    return draft.suggestion or is_suggestion(draft.text)


async def show_all_topics(turn: Turn, draft: ComplaintDraft) -> None:
    """Every topic, numbered and grouped by OPD; the resident types a number or a name."""
    _at(turn, draft, "choose_topic")
    ordered: list[str] = []
    lines: list[str] = []
    for opd in turn.directory.opds.values():
        topics = turn.directory.topics_of(opd.id)
        if not topics:
            continue
        items = []
        for topic in topics:
            ordered.append(topic)
            items.append(f"{len(ordered)}. {topic_name(turn, topic)}")
        lines.append(f"*{opd.short}*: " + ", ".join(items))
    turn.state[TOPIC_LIST_KEY] = ordered
    turn.state["choices"] = []
    turn.say("topic_all", [turn.button("complaint_topic_other", f"{u.TOPIC_PREFIX}lainnya")],
             current=_current_choice(turn, draft), list="\n".join(lines))


async def ask_location(turn: Turn, draft: ComplaintDraft) -> None:
    if draft.location:
        await ask_photo(turn, draft)
        return
    _at(turn, draft, "location")
    say_topic_note(turn, draft.topic, once=True)
    # The report names a place, or an official files for a resident of a named hamlet or village ("/wakili mbah
    # Sarinah, Dusun Krajan"): confirm it rather than ask for it from scratch.
    guess = (await _place_of_topic(turn, draft.text, draft.topic) or place_in_text(draft.text)
             or landmark_in_text(draft.text) or on_behalf.village_filed_for(turn) or _known_village(turn, draft.text))
    if guess:
        # "Is it at *at Sooko market*?" (thirty-sixth trial); "in front of …" stays whole
        guess = re.sub(r"^(?:at|in|on)\s+(?!front\b|the\s+front\b)(?=\S)", "", guess)
        turn.state[PLACE_GUESS_KEY] = guess
        turn.say("complaint_ask_location_guess", [turn.button("complaint_place_yes", u.YES)], place=guess)
    else:
        turn.state.pop(PLACE_GUESS_KEY, None)
        turn.say("complaint_ask_location")


def _known_village(turn: Turn, text: str) -> str | None:
    """"jalan rusak … di sooko": a village of the regency's list (content/letters.yml) named after "di", as "Desa
    Sooko" (thirty-sixth trial: its place was asked from scratch)."""
    from actions.letters import catalog_of  # (letters imports this module: lazy)

    low = " ".join(text.lower().split())
    try:
        villages = list(catalog_of(turn.services).villages.values())
    except Exception:  # a regency without the letters' list of villages: no guess, the place is asked
        logger.debug("no village list to read the place from", exc_info=True)
        return None
    for village in villages:
        if re.search(rf"\b(?:di|ing|nang|neng|in|at)\s+{re.escape(village.name.lower())}\b", low):
            return f"{'Kelurahan' if village.kind == 'kelurahan' else 'Desa'} {village.name}"
    return None


async def _place_of_topic(turn: Turn, text: str, topic: str | None) -> str | None:
    """Of a message naming two problems at two places ("jalan rusak di desa sooko dan lampu jalan mati di desa puri"),
    the place of the part about `topic` (twenty-eighth trial: the street light was asked to be in Desa Sooko, the
    first place of the message). None when the message names fewer than two places, or no part is about it."""
    placed = [(clause, place) for clause in clauses_of(text)[:6] if (place := place_in_text(clause))]
    if topic is None or len({u.plain(place) for _, place in placed}) < 2:
        return None
    for clause, place in placed:
        try:
            result = ParseResult.from_dict(await turn.services.nlu.parse(clause[:1000]))
        except Exception:  # a guess is a courtesy: the question is asked without it
            logger.warning("place-of-topic check skipped: the NLU did not answer", exc_info=True)
            return None
        if result.routing is not None and result.routing.topic == topic:
            return place
    return None


async def ask_photo(turn: Turn, draft: ComplaintDraft) -> None:
    if draft.privacy in PRIVACY_CHOICES:
        # the place (or topic) changed from the summary: the photo and identity were answered, so the summary again
        # (thirty-ninth trial: "ubah lokasi" then the new place asked for the photo and the identity a second time)
        await show_summary(turn, draft)
        return
    if draft.no_photo and not draft.media:  # "I don't have a photo", said at the topic question
        draft.no_photo = False
        turn.say("later_photo_skipped")
        await ask_privacy(turn, draft)
        return
    if draft.photo_promised and not draft.media:  # promised at the topic question: it comes after filing
        draft.photo_promised = False
        turn.say("photo_later_ok")
        await ask_privacy(turn, draft)
        return
    _at(turn, draft, "photo")
    if draft.media:
        turn.say("complaint_photo_received", [turn.button("next", u.NEXT)], count=len(draft.media))
    else:
        turn.say("complaint_ask_photo", [turn.button("skip", u.SKIP)])


async def ask_privacy(turn: Turn, draft: ComplaintDraft) -> None:
    if draft.early_privacy in PRIVACY_CHOICES:  # "please keep my name anonymous", said in the report or at the topic
        draft.privacy, draft.early_privacy = draft.early_privacy, None
        turn.say("privacy_as_asked", privacy=turn.t(f"privacy_{draft.privacy}"))
        await show_summary(turn, draft)
        return
    _at(turn, draft, "privacy")
    turn.say(on_behalf.privacy_question(turn),  # filing for a resident: the question is about their name
             [turn.button(f"privacy_{p}", f"{u.PRIVACY_PREFIX}{p}") for p in PRIVACY_CHOICES])


SAME_OPEN_KEY = "same_open"  # state: the resident's open complaint on the same topic, offered to add the draft to
SAME_OPEN_DAYS = 30


async def same_open_complaint(turn: Turn, draft: ComplaintDraft) -> Ticket | None:
    """The resident's own open complaint on this draft's topic, filed within SAME_OPEN_DAYS (not for a village
    official filing for someone else): the same matter reported again, perhaps."""
    if not draft.topic or turn.state.get(on_behalf.ACTIVE):
        return None
    for ticket in await turn.store.recent_tickets(turn.identity.key, 10):
        # the same privacy too: words the resident wants kept anonymous never join a ticket in their name
        if (ticket.kind == "aduan" and ticket.topic == draft.topic and ticket.status in OPEN_STATUSES
                and ticket.privacy == (draft.privacy or "publik")
                and turn.now - ticket.created_at <= timedelta(days=SAME_OPEN_DAYS)):
            return ticket
    return None


SUPPORT_KEY = "support_open"  # state: another resident's open complaint on the same matter, offered to support


async def others_open_complaint(turn: Turn, draft: ComplaintDraft) -> Ticket | None:
    """Another resident's open, public complaint of this draft's topic and office at the same place (actions/nearby.py),
    the oldest: the matter is reported already, and the resident may support it instead of sending a second card.
    Never a confidential or anonymous one (not even its number is told), nor for a village official filing."""
    if turn.state.get(on_behalf.ACTIVE) or draft.privacy == "rahasia":  # (one's confidential report stays apart)
        return None
    found = await nearby.open_at_place(turn, draft.opd, draft.topic, draft.location, turn.now)
    public = [t for t in found if t.reporter != turn.identity.key and t.privacy == "publik"
              and duplicates.joinable(t) and not duplicates.main_of(t)]
    return public[-1] if public else None


# "sudah ada yang lapor jalan rusak di desa sooko belum?", "has anyone reported the broken road in sooko village?":
# whether the matter is reported already (twenty-eighth trial: a complaint began, the question unanswered)
_ASKS_IF_REPORTED = re.compile(
    r"\b(?:sudah|udah|udh|sdh)\s+ada\s+(?:yang|yg|warga\s+(?:yang|yg)|orang\s+(?:yang|yg))\s+(?:lapor|melapor|"
    r"melaporkan|ngelapor|laporin|ngadu|mengadu|mengadukan)\b"
    r"|\b(?:sudah|udah|udh|sdh)\s+(?:pernah\s+)?(?:ada\s+(?:yang|yg)\s+)?(?:dilaporkan|dilapor|dilaporin|diadukan)\b"
    # "ada yang sudah lapor jalan rusak di desa sooko belum?" (thirty-seventh trial: told no complaint came from here),
    # "sudah berapa orang yang lapor jalan rusak di sooko?" (a complaint begun)
    r"|\bberapa\s+(?:orang|warga|kali)\s+(?:yang\s+|yg\s+)?(?:sudah\s+|udah\s+|pernah\s+)?(?:lapor|melapor|melaporkan|"
    r"ngelapor|ngadu|mengadu|mengadukan)\b"
    r"|\bada\s+(?:yang|yg|warga\s+(?:yang|yg)|orang\s+(?:yang|yg))\s+(?:sudah|udah|udh|sdh|pernah)\s+(?:lapor|melapor|"
    r"melaporkan|ngelapor|laporin|ngadu|mengadu|mengadukan)\b"
    r"|\bhas\s+(?:anyone|anybody|someone)\s+(?:already\s+)?(?:reported|complained)\b"
    r"|\b(?:is|was|has)\s+(?:this|it|that)\s+(?:been\s+)?already\s+(?:been\s+)?reported\b")
IF_REPORTED_WORDS = 25


def asks_if_reported(text: str) -> bool:
    return len(text.split()) <= IF_REPORTED_WORDS and u.is_question(text) and bool(
        _ASKS_IF_REPORTED.search(u.plain(text)))


async def answer_if_reported(turn: Turn, text: str, parse: dict[str, Any]) -> bool:
    """Whether the matter the question names is reported already: the resident's own open complaint on it (its
    number), a neighbour's public one at the same place (as the summary would say, without its number), or none
    known here; then the complaint begins, so it can be supported or sent at its last step. False when the words
    name no topic the model routes."""
    routing = ParseResult.from_dict(parse).routing
    if routing is None or routing.topic not in turn.directory.routing:
        return False
    place, where = place_in_text(text), None
    if place is not None:
        where = {"address": place}
    elif villages := nearby.village_names({"address": text}):  # "… in sooko village?"
        place, where = min(villages).title(), {"address": text}
    elif (village := _known_village(turn, text)) is not None:  # "… di sooko?" (thirty-seventh trial: none known)
        place, where = village, {"address": village}
    draft = ComplaintDraft(text=text, topic=routing.topic, opd=turn.directory.routing[routing.topic], location=where)
    topic = topic_name(turn, routing.topic)
    if (own := await same_open_complaint(turn, draft)) is not None:
        turn.say("reported_already_own", number=own.number, topic=topic, status=status_name(turn, own.status))
        return True
    other = await others_open_complaint(turn, draft) if place else None
    if other is not None:
        turn.say("reported_already_other", topic=topic, place=place, opd=handler_name(turn, other),
                 status=status_name(turn, other.status), date=format_date(turn, other.created_at))
    else:
        turn.say("reported_already_none", topic=topic, place=place or "-")
    await start_from_text(turn, text, parse)
    return True


async def show_summary(turn: Turn, draft: ComplaintDraft) -> None:
    _at(turn, draft, "confirm")
    location = Location.from_dict(draft.location)
    same = await same_open_complaint(turn, draft)
    merge: list[Button] = []
    turn.state.pop(SAME_OPEN_KEY, None)
    turn.state.pop(SUPPORT_KEY, None)
    if same is not None:
        # "Already reported?" as FixMyStreet asks: one report per matter, so its officer gets no second card.
        turn.state[SAME_OPEN_KEY] = same.number
        turn.say("complaint_same_open", number=same.number, topic=topic_name(turn, same.topic),
                 status=status_name(turn, same.status), date=format_date(turn, same.created_at))
        merge = [Button(turn.t("complaint_merge_button", number=same.number), u.MERGE)]
    elif (other := await others_open_complaint(turn, draft)) is not None:
        # a neighbour reported it already: support theirs (one card, every reporter told), or send one's own
        turn.state[SUPPORT_KEY] = other.number
        # (not its number: a neighbour's complaint is not for others to follow up by number)
        turn.say("complaint_others_open", topic=topic_name(turn, other.topic),
                 opd=handler_name(turn, other), status=status_name(turn, other.status),
                 date=format_date(turn, other.created_at))
        merge = [Button(turn.t("complaint_support_button"), u.SUPPORT)]
    if draft.privacy == "anonim" and has_personal_data(draft.text):
        # "Nama ibu saya Siti Aminah NIK 3516…, hp saya 0857…" in an anonymous report: the officers read the text as
        # it is, so the resident is told before sending (not masked: the office may need that NIK for the case)
        turn.say("complaint_anonymous_personal_data")
    turn.say(
        "complaint_summary",
        [
            turn.button("complaint_send", u.SEND),
            *merge,
            turn.button("complaint_topic_change", u.CHANGE_TOPIC),
            turn.button("complaint_place_change", u.CHANGE_PLACE),
            turn.button("cancel_button", u.CANCEL),
        ],
        topic=topic_name(turn, draft.topic),
        opd=opd_name(turn, draft.opd) if draft.opd else turn.t("topic_unknown"),
        location=location.describe() if location else turn.t("location_none"),
        photos=len(draft.media) or turn.t("photo_count_none"),
        privacy=turn.t(f"privacy_{draft.privacy or 'publik'}"),
        behalf=on_behalf.summary_line(turn),
        text=shorten(draft.text, 500),
    )


def shorten(text: str, limit: int) -> str:
    """`text`, cut to `limit` characters with "…" when longer."""
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


# --- the answers: one small handler per step ----------------------------------------------------
# "jadi gini pak", "pak mohon maaf mengganggu", "saya mau menyampaikan": a lead-in, nothing of the matter yet
# (thirty-ninth trial: taken for the report, "pak mohon maaf mengganggu" routed to public order)
_LEAD_IN = re.compile(
    r"^(?:(?:jadi|jd|begini|bgini|gini|gene|ngene|dadi|ngeten|mekaten|mohon\s+maaf|mhn\s+maaf|maaf|permisi|punten|"
    r"nuwun\s+sewu|pak|bu|bapak|ibu|mas|mbak|min|admin|kak|dik|ya|yaa|nggih|langsung\s+saja|langsung\s+aja|"
    r"to\s+the\s+point|so|well|um+|eh+|anu|gan|sis|mengganggu|ganggu|sebentar|waktunya|nih|ini|lho|loh|sih|dong|"
    r"izin|ijin|sorry\s+to\s+bother(?:\s+you)?|excuse\s+me)[\s,.!…]*)+$")
# ... one of these makes it a lead-in ("ya", "pak", "nggih" alone are answers or a call, as before)
_LEAD_WORD = re.compile(r"\b(?:jadi|jd|begini|bgini|gini|gene|ngene|dadi|ngeten|mekaten|maaf|permisi|punten|nuwun|"
                        r"langsung|point|mengganggu|ganggu|izin|ijin|bother|excuse)\b")
# ... or only the wish to tell something ("saya mau menyampaikan sesuatu pak")
_WISH_TO_TELL = re.compile(
    r"^(?:(?:pak|bu|min|kak|mas|mbak)\s+)?(?:saya|sy|aku|kula|i)?\s*(?:mau|ingin|pengen|pingin|hendak|izin|ijin|"
    r"badhe|would\s+like\s+to|want\s+to)\s+(?:menyampaikan|nyampaikan|sampaikan|cerita|curhat|matur|ngomong|"
    r"bicara|say\s+something|tell\s+you\s+something)(?:\s+(?:sesuatu|pak|bu|min|nih|ya|dong|sedikit|hal))*[\s.!…]*$")


def lead_in_only(text: str) -> bool:
    """A message that only leads in ("jadi gini pak", "mohon maaf mengganggu"), telling nothing yet."""
    low = u.plain(text)
    return bool(_LEAD_IN.match(low)) and bool(_LEAD_WORD.search(low)) or bool(_WISH_TO_TELL.match(low))


# The question asked inside a longer message: "…, apakah pembuatan akta kematian dipungut biaya?"
_QUESTION_CLAUSE = re.compile(r"\b(?:apakah|apa|bagaimana|gimana|berapa|kapan|di\s*mana|kemana|ke\s+mana|kenapa|"
                              r"mengapa|bisakah|bolehkah|siapa|is|are|can|do|does|how|what|where|when)\b[^.?!]*\?",
                              re.IGNORECASE)


QUESTION_REST_WORDS = 12
_MONEY_TOLD = re.compile(r"\b(?:dimintai|diminta|disuruh|bayar|membayar|dibayar|uang|duit|pungli|pungutan|"
                         r"\d+\s*(?:rb|ribu|k|jt|juta)|rp\s*\d)")


async def _question_in_faq(turn: Turn, text: str) -> bool:
    """The FAQ's answer to the question a longer message asks, when the FAQs are sure of it read alone (fortieth
    trial: "Selamat pagi. Saya mau menanyakan, apakah pembuatan akta kematian dipungut biaya? Terima kasih", read
    whole as a complaint on certificates, was offered to Dispendukcapil as a question; the FAQ says it is free)."""
    from actions.resident import FAQ_CONFIDENT, say_faq  # (resident imports this module: lazy)

    found = _QUESTION_CLAUSE.search(text)
    if found is None or found.group(0).strip() == text.strip():
        return False
    rest = u.plain(text[:found.start()] + " " + text[found.end():])
    if (len(rest.split()) > QUESTION_REST_WORDS or PROBLEM_WORDS.search(rest) or _MONEY_TOLD.search(rest)
            or extortion_by_official(text)):
        return False  # ("saya dimintai 100rb waktu urus akta, apakah memang bayar?": a report beside the question)
    parse = await turn.services.nlu.parse(found.group(0)[:1000])
    key, confidence, _ = u.faq_selection(parse)
    if u.intent_of(parse) != "faq" or key is None or confidence < FAQ_CONFIDENT or key not in turn.services.faq_answers:
        return False
    turn.reset_flow()
    say_faq(turn, key)
    return True


async def _named_replaced(turn: Turn, typed: str) -> dict[str, Any] | None:
    """The parse of what a correction at the describe step names instead ("eh bukan, jembatannya yang rusak"), when
    it names a matter surely; None for other words ("bukan di sooko tapi di japan" corrects the place)."""
    fixed = correction_words(typed)
    if not fixed:
        return None
    parse = await turn.services.nlu.parse(fixed[:1000])
    routing = ParseResult.from_dict(parse).routing
    return parse if routing is not None and routing.confidence >= turn.directory.route_threshold else None


_REGENT_ALONE = frozenset({"bupati", "pak bupati", "ke bupati", "lapor bupati", "wali kota", "walikota", "regent",
                           "bu bupati", "wabup"})


async def on_describe(turn: Turn, draft: ComplaintDraft) -> None:
    added = keep_attachments(turn, draft)
    typed = turn.message.text.strip()
    if typed and not draft.text and not draft.named and lead_in_only(typed) and not added:
        draft.save(turn.state)
        turn.say("describe_listening")  # "jadi gini pak": the matter is still to come
        return
    if typed and not draft.text and not draft.named and u.plain(typed) in _REGENT_ALONE:
        # "mau lapor", then "bupati" (forty-first trial: "tell us a little more"): the way to write to the regent
        draft.save(turn.state)
        turn.say("describe_regent_offer", [turn.button("menu_regent", "/bupati")])
        return
    if (typed and not added and u.is_question(typed) and not PROBLEM_WORDS.search(u.plain(typed))
            and (sendable := can_send_answer(turn, typed)) is not None):
        # "mau lapor jalan rusak", then "bisa kirim foto?" (forty-first trial: taken for the report's words)
        draft.save(turn.state)
        turn.say(sendable)
        turn.say("complaint_describe_more" if draft.named else "complaint_describe")
        return
    # "jalan rusak", then "di desa cibiru hilir depan SD": a report typed in pieces, as chats are, is one report
    held = draft.text if not draft.topic else ""
    named = draft.named if not draft.topic and not held else ""  # "mau lapor jalan berlubang": read with the rest
    if named and u.yes_no(typed) is True and len(typed.split()) <= 2:
        typed = ""  # "ya" to "tell us more": nothing more told
    text = f"{held} {typed}".strip() if held and held.lower() not in typed.lower() else typed
    if not held and not draft.location and typed and place_only(turn, typed):
        # "dusun krajan desa sukamaju" before the matter: the place, kept for its step, and the matter asked
        draft.location = Location(address=shorten(typed, 300)).to_dict()
        if not named:
            draft.save(turn.state)
            turn.say("describe_place_first", place=shorten(typed, 120))
            return
        text = named  # "mau lapor jalan berlubang", then "di jalan kenanga, dekat sd 1": the topic named, its place
    elif named and (replaced := await _named_replaced(turn, typed)) is not None:
        # "mau lapor jalan rusak", then "eh bukan, jembatannya yang rusak, di desa japan" (fortieth trial: routed as
        # the road): the matter first named is taken back, and the report routed by what replaced it
        await start_from_text(turn, typed, replaced, draft)
        return
    elif named:
        text = f"{named} {typed}".strip() if named.lower() not in typed.lower() else typed
    enough = len(text.split()) >= MIN_COMPLAINT_WORDS or bool(draft.location and match_topics(turn, text))
    if not enough:
        if typed and (match_topics(turn, text) or PROBLEM_WORDS.search(u.plain(text))):
            draft.text = text  # held until the rest comes; "pak", "ok" are not
        draft.save(turn.state)
        turn.say("complaint_describe" if added or turn.message.location else "complaint_describe_more")
        return
    parse = turn.nlu or {}
    if text != typed:
        try:
            parse = await turn.services.nlu.parse(text[:1000])
        except Exception:  # routed by the last piece alone instead
            logger.warning("routing a report typed in pieces failed", exc_info=True)
    await start_from_text(turn, text, parse, draft)


async def on_confirm_topic(turn: Turn, draft: ComplaintDraft) -> None:
    code = u.code_of(turn.message.text)
    typed = None if code else _typed_button(turn, _plain(turn.message.text))  # "lainnya", "semua topik"
    if code == u.ALL_TOPICS or typed == u.ALL_TOPICS:
        await show_all_topics(turn, draft)
    elif code == u.CHANGE_TOPIC or _plain(turn.message.text) in NO_WORDS or typed:
        await ask_topic_choice(turn, draft)  # "lainnya" typed: the other topics, as "Ganti topik" shows them
    elif code is None and draft.location and names_a_place(turn.message.text) and await fix_place(
            turn, draft, ask_topic_confirmation):
        pass  # "eh bentar, sebenarnya itu di jalan mawar, bukan melati": the place given before, corrected
        # (thirty-sixth trial: added to the complaint's words, the wrong place kept)
    elif code is None and await _piece_of_short_report(turn, draft):
        pass  # "jalan", then "rusak", "di sooko" (fortieth trial: topics to choose, then "topic not found")
    elif code is None and await _office_redirected(turn, draft):
        pass  # "eh tapi itu bukan urusan pupr kayaknya, lebih ke bpbd deh": that office's topics
    elif code is None and await _take_corrected_topic(turn, draft):
        pass  # "bukan, maksudnya lampu lalu lintas": the topic only; the report's words and place stay
    elif code is None and await _privacy_at_confirmation(turn, draft):
        pass  # "publik", "menawi saged asma kula dipun rahasiakaken": the identity choice, said early
    elif code is None and (place := _yes_with_place(turn, turn.message.text)):
        # "iya pak betul, lokasinya di desa sooko rt 3 depan masjid": yes, and the place (twenty-eighth trial: the
        # place was added to the report and the topic asked again)
        draft.location = Location(address=shorten(place, 300)).to_dict()
        keep_attachments(turn, draft)
        turn.say("detail_place_noted", place=shorten(place, 120))
        await ask_location(turn, draft)
    elif not tells_duration(turn.message.text) and (is_yes(turn) or (
            code is None and not _own_question(turn.message.text)
            and ((u.yes_no(turn.message.text) is True and not u.yes_as_aspect(turn.message.text))
                 or says_send(turn.message.text)))):
        if code is None and (more := _words_after_yes(turn.message.text)):
            # "oh iya, lubangnya udah ada 3 bulan lho pak" (thirty-seventh trial: the yes taken, the words lost)
            draft.text = f"{draft.text}\n{more}".strip()
            turn.say("detail_added")
        await ask_location(turn, draft)  # "iya betul, tolong cepat ya", "looks good, send it"
    elif (code is None and map_link(turn.message.text)
          and (pin := Location.from_text(turn.message.text)) is None):
        # "https://maps.app.goo.gl/…" at the topic question (forty-second trial: added to the complaint's words, and
        # the place asked later): the place, as the place question takes it
        await _take_place_early(turn, draft, place_of_link(turn.message.text))
    elif code is None and (place := place_answer(turn, turn.message.text)):
        await _take_place_early(turn, draft, place)
    elif code is None and (pin := Location.from_text(turn.message.text)) is not None:
        # "-7.5521, 112.4367" at the topic question (thirty-second trial: added to the complaint's words)
        await _take_place_early(turn, draft, pin)
    elif code is None and await _later_step_words(turn, draft):
        pass
    elif code is None and await _question_at_topic(turn):
        pass
    elif await _typed_topic(turn, draft) or (code is None and await _more_words(turn, draft)):
        pass
    elif code is None and _corrected_words(turn, draft):
        turn.say("detail_added")  # "bukan, maksud saya di sungai" after "sampah numpuk di pasar"
        await ask_topic_confirmation(turn, draft)
    else:
        turn.say("complaint_please_choose")
        await ask_topic_confirmation(turn, draft)


# "lebih ke bpbd deh", "harusnya ke dinsos", "ini urusan satpol pp", "should go to the health office": where the
# resident says the report belongs (not after "bukan": "bukan urusan pupr" takes an office back)
_TO_OFFICE = re.compile(r"(?<!bukan )(?<!bkn )(?<!not )\b(?:lebih\s+(?:ke|kpd|kepada)|"
                        r"lebih\s+(?:cocok|pas|tepat)\s+(?:ke|di)|(?:se)?harusnya\s+(?:ke|di)?|mestinya\s+(?:ke|di)?|urusan(?:nya)?|wewenang(?:nya)?|"
                        r"ranah(?:nya)?|should\s+go\s+to|belongs\s+to|is\s+for)\s*(?P<rest>(?:\S+\s*){1,4})")


def redirected_office(turn: Turn, text: str) -> Opd | None:
    """The office the words say the report belongs to ("lebih ke bpbd deh"), or None."""
    for found in _TO_OFFICE.finditer(u.plain(text)):
        if (opd := office_named(turn, found.group("rest"))) is not None:
            return opd
    return None


async def _office_redirected(turn: Turn, draft: ComplaintDraft) -> bool:
    """"eh tapi itu bukan urusan pupr kayaknya, lebih ke bpbd deh" at the topic question (forty-second trial: "this
    looks like another matter"): the one topic of the office named taken, or its topics offered to choose from."""
    office = redirected_office(turn, turn.message.text)
    if office is None or office.id == draft.opd:
        return False
    topics = [t for t, o in turn.directory.routing.items() if o == office.id]
    if not topics:
        return False
    if len(topics) > 1:
        await ask_topic_choice(turn, draft, topics[: MAX_TOPIC_CHOICES + 2])
        return True
    keep_attachments(turn, draft)
    _choose(turn, draft, topics[0])
    turn.say("topic_taken", topic=topic_name(turn, draft.topic), opd=opd_name(turn, draft.opd))
    await ask_location(turn, draft)
    return True


CORRECTED_WORDS_MAX = 8
SHORT_REPORT_WORDS = 2  # a report this short, then a word or a place at the topic question: typed in pieces
_AT_NAME = re.compile(r"^(?:di|ning|neng|nang|ndek|teng|in|at)\s+(?P<name>[a-z]{3,}(?:\s+[a-z]{3,})?)$")  # "di sooko"
PIECE_WORDS = 4


async def _piece_of_short_report(turn: Turn, draft: ComplaintDraft) -> bool:
    """"jalan", then "rusak" and "di sooko" at the topic question: a report typed a word at a time, as chats are;
    a problem word is added to the report, a place kept for its step, and the topic asked again."""
    text = turn.message.text.strip()
    if (len(draft.text.split()) > SHORT_REPORT_WORDS or not text or len(text.split()) > PIECE_WORDS
            or u.is_question(text) or u.yes_no(text) is not None):
        return False
    if not draft.location and (place_only(turn, text) or ((at := _AT_NAME.match(u.plain(text)))
                                                          and not match_topics(turn, at.group("name")))):
        draft.location = Location(address=shorten(text, 300)).to_dict()
        turn.say("detail_place_noted", place=shorten(text, 120))
    elif PROBLEM_WORDS.search(u.plain(text)) and (not (named := match_topics(turn, text)) or draft.topic in named):
        draft.text = f"{draft.text} {text}".strip()
        turn.say("detail_added")
    else:
        return False
    draft.save(turn.state)
    await ask_topic_confirmation(turn, draft)
    return True


def _corrected_words(turn: Turn, draft: ComplaintDraft) -> bool:
    """"bukan, maksud saya di sungai" to "Sampah … ke DLH, sudah benar?" after "sampah numpuk di pasar": no other
    topic (that is `_take_corrected_topic`'s), but the words corrected; kept beside the report for the officer
    (thirty-third trial: "choose a button")."""
    text = turn.message.text.strip()
    rest = without_correction(text)
    if rest == text or not rest or len(rest.split()) > CORRECTED_WORDS_MAX or u.is_question(text):
        return False
    draft.text = f"{draft.text} {turn.t('draft_correction_note', 'id', words=shorten(rest, 200))}".strip()
    draft.save(turn.state)
    return True


# "udah lama banget", "sudah 3 bulan pak", "wis suwe", "it's been weeks": how long it has been so, which begins with the
# "sudah" of a yes but answers nothing; more of the report
_DURATION = re.compile(
    r"^(?:sudah|udah|udh|sdh|dah|wis|uwis|sampun|already|it'?s\s+been|been)\s+(?:\S+\s+)?(?:lama\w*|lami|suwe|suwi|\d+|"
    r"se(?:minggu|bulan|tahun|hari)\w*|satu|dua|tiga|empat|lima|enam|berhari\w*|berminggu\w*|berbulan\w*|bertahun\w*|"
    r"tahunan|bulanan|mingguan|months?|years?|weeks?|days?|ages|long)\b")


def tells_duration(text: str) -> bool:
    return bool(_DURATION.match(u.plain(text)))


_YES_LEAD = re.compile(r"^\W*(?:(?:oh+|o|ya|iya|iyo|yes|yep|betul|benar|bener|leres|nggih|inggih|oke|ok|sip|siap|"
                       r"pak|bu|"
                       r"mas|mbak|kak|min|sudah|udah|correct|right|that's\s+right)\b[\s,.!]*)+", re.IGNORECASE)


# Words after a yes at the topic question that add nothing to the report ("iya betul, tolong cepat ya")
_NOTHING_MORE = frozenset(
    "ya yah iya pak bu mas mbak min kak tolong mohon cepat cepet segera secepatnya ditangani diproses diperbaiki "
    "dibenerin ditindaklanjuti terima kasih makasih trims thanks thank you please quickly asap soon dong lah sih "
    "kirim lanjut lanjutkan saja aja sudah udah betul benar bener itu ini nggih matur nuwun sampun "
    # "yes it is", "yes that's right" (forty-first trial: "it is" was added to the report)
    "it is it's thats that's that right correct yes yeah yep sure exactly indeed sir madam".split())


def _words_after_yes(text: str) -> str:
    """More of the report after a yes to its topic ("oh iya, lubangnya udah ada 3 bulan lho pak", "ya benar,
    lubangnya dalam sekali"), or "" (a yes alone, a plea to hurry, thanks, a question)."""
    lead = _YES_LEAD.match(text)
    rest = text[lead.end():].strip() if lead else ""
    content = [w for w in u.plain(rest).split() if w not in _NOTHING_MORE]
    return rest if len(content) >= 2 and not u.is_question(rest) and not says_send(rest) else ""


def _yes_with_place(turn: Turn, text: str) -> str | None:
    """The place after a yes ("iya betul, lokasinya di desa sooko rt 3", "yes, it's near the mosque in Sooko"), or
    None (a yes alone, or more words that are no place)."""
    lead = _YES_LEAD.match(text)
    if lead is None or not _YES_FIRST.match(u.plain(text)) or len(text[lead.end():].split()) < 2:
        return None
    return place_answer(turn, text[lead.end():])


def _own_question(text: str) -> bool:
    """"saya mau ketemu langsung sama petugasnya bisa?": a question of its own, though "mau" reads as a yes."""
    return u.is_question(text) and len(u.plain(text).split()) > 3 and not _YES_FIRST.match(u.plain(text))


# "menawi saged asma kula sampun dipun rahasiakaken" starts with no yes; "iya betul, rahasiakan nama saya" does.
_YES_FIRST = re.compile(r"^(?:ya|iya|iyo|yes|yep|betul|benar|bener|leres|nggih|inggih|oke|ok|sip|siap)\b")


def _bare_privacy(text: str) -> str | None:
    """A privacy word alone ("publik", "anonim aja pak"): the identity choice, said before it is asked."""
    words = [w for w in u.plain(text).split() if w not in _ORDINAL_FILLER]
    if len(words) != 1 or words[0].isdigit():
        return None
    return next((p for p, said in _PRIVACY_WORDS.items() if words[0] in said), None)


async def _privacy_at_confirmation(turn: Turn, draft: ComplaintDraft) -> bool:
    """The identity choice typed where the topic is confirmed ("publik" to "... ke Dinas PUPR. Apakah sudah
    benar?"): kept for the privacy step (never a topic such as "Wi-Fi publik"), and the confirmation asked again;
    after a yes ("iya betul, rahasiakan nama saya"), kept and on to the place."""
    text = turn.message.text
    if len(u.plain(text).split()) > LATER_STEP_WORDS:
        return False
    privacy = _early_privacy(text) or _bare_privacy(text)
    if not privacy:
        return False
    draft.early_privacy = privacy
    if _YES_FIRST.match(u.plain(text)):
        turn.say("later_privacy_noted", privacy=turn.t(f"privacy_{privacy}"))
        await ask_location(turn, draft)
        return True
    turn.say("early_privacy_at_topic", privacy=turn.t(f"privacy_{privacy}"))
    await ask_topic_confirmation(turn, draft)
    return True


# "bukan, maksudnya lampu lalu lintas / bangjo", "eh gk jadi, yg tadi aja pohon": the topic corrected by name; the
# report's words and place stay as they are.
TOPIC_FIX_LEAD = re.compile(
    r"^\W*(?:(?:eh+|oh+|maaf|sorry|aduh|bukan|bkn|salah|ralat|keliru|(?:gk|gak|ga|nggak|tidak|tdk|ndak) jadi|gajadi|"
    # "aduh saya lupa, tadi harusnya lampu jalan bukan jalan rusak" (thirty-second trial)
    r"(?:saya |sy |aku )?lupa|"
    r"no|wait|not that|dudu|sanes)\W+(?:(?:pak|bu|min|kak|mas|mbak)\W+)?)+"
    r"(?:(?:maksud(?:nya|ku)?|maksud saya|i meant|i mean|(?:tadi |yang tadi )?(?:se)?harusnya|mestinya)\W+)?"
    r"|^\W*(?:maksud(?:nya|ku)?|maksud saya|i meant|i mean)\W+")
_LEAD_NEGATION = re.compile(r"\b(?:bukan|bkn|dudu|sanes|not)\W*$")
_EARLIER_ONE = re.compile(r"\b(?:yg|yang|sing|the one) (?:tadi|pertama|sebelumnya|awal|before)\b")
# "…, not the light", "jalannya, bukan lampunya", "dalane dudu lampune": what the correction says it is NOT about
_NEGATED_CLAUSE = re.compile(r"^\s*(?:not|bukan|bkn|dudu|sanes)\b")
_NEGATED_WORD = re.compile(r"\b(?:not|bukan|bkn|dudu|sanes)\s+(?:(?:the|a|yang|yg|sing|soal|masalah)\s+)?[\w-]+")


def without_negated(text: str) -> str:
    """The text without what it says the matter is not ("the road, not the light" -> "the road"), so that a
    correction is routed by what it names, not by the topic it takes back."""
    clauses = [_BUT_RATHER.split(c, maxsplit=1)[-1] if _NEGATED_CLAUSE.match(c) else c  # "bukan jalan tapi jembatannya"
               for c in re.split(r"[,.;!?\n]+", text) if c.strip()]
    return " ".join(_NEGATED_WORD.sub(" ", c).strip() for c in clauses if not _NEGATED_CLAUSE.match(c)).strip()


# "bukan jalan tapi jembatannya yang rusak", "not the road but the bridge": what it is, after what it is not
# (twenty-ninth trial: the whole clause was dropped, and the correction read as none)
_BUT_RATHER = re.compile(r"\b(?:tapi|tp|tetapi|melainkan|namun|but|rather|tapine|ning)\b")


def after_lead(lead: str, rest: str) -> str:
    """What a correction says the matter is, after its `lead`: the words after "tapi" when the lead ended with a
    "bukan" ("maaf salah pak, bukan " + "jalan tapi jembatannya yang rusak"), else `rest` without what it denies."""
    if _LEAD_NEGATION.search(lead) and len(parts := _BUT_RATHER.split(rest, maxsplit=1)) == 2:
        rest = parts[1]
    return without_negated(rest)


def corrected_topic(turn: Turn, text: str, current: str | None = None) -> str | None:
    """The one topic a correction names ("bukan, maksudnya lampu lalu lintas" -> traffic lights); among several,
    the one of the list just offered, and never the `current` one it takes back ("bukan, maksud saya jalannya
    berlubang" names the road, not "Lampu penerangan jalan"). None when the message corrects nothing or names no
    single topic."""
    found = corrected_topics(turn, text, current)
    return found[0] if len(found) == 1 else None


def office_named(turn: Turn, text: str, *, near: bool = False) -> Opd | None:
    """An office the words name ("PUPR", "dinas pupr", "dishub") by id or name; with `near`, also by a slip of its
    short name ("ke dinas perkim aja": Disperkim)."""
    # ("tolong sampaikan ke dinas pupr: segera …": the colon after the name is no part of it; forty-second trial)
    tokens = u.plain(text).replace(":", " ").split()
    for size in (3, 2, 1):
        for i in range(len(tokens) - size + 1):
            words = " ".join(tokens[i:i + size])
            if (opd := turn.directory.find_opd(words)) is not None:
                return opd
            # "tambah petugas baru untuk dinkes" (fortieth trial: the help): the names the NLU data knows
            if (alias := turn.services.agency_names.get(words)) and (opd := turn.directory.opd(alias)) is not None:
                return opd
            if near and size == 1 and len(words) >= 5 and (opd := turn.directory.near_opd(words)) is not None:
                return opd
    return None


def correction_words(text: str) -> str | None:
    """What a topic correction says the matter is ("eh maaf bukan jalan, maksud saya lampu jalannya" -> "lampu
    jalannya"), or None when the message corrects nothing."""
    low = text.lower().strip()
    lead = TOPIC_FIX_LEAD.match(low)
    if not lead or len(low.split()) > CORRECTION_WORDS:
        return None
    rest = without_negated(low[lead.end():])
    negated = _LEAD_NEGATION.search(low[:lead.end()])
    if _NEGATED_CLAUSE.match(low) or negated:
        # "bukan PUPR, …", "eh maaf bukan jalan, maksud saya lampu jalannya": the lead's "bukan" takes back what
        # follows it too
        rest = without_negated(low[negated.start():] if negated else low)
        rest = rest[again.end():] if (again := TOPIC_FIX_LEAD.match(rest)) else rest
    return _EARLIER_ONE.sub(" ", u.plain(rest))


# The lead of a correction that says what is reported: "bentar sebenernya yang mau saya laporkan itu …"
_WHAT_I_REPORT = re.compile(r"^(?:\S+\s+){0,3}?(?:yang|yg)\s+(?:mau|ingin|mo|pengen)\s+(?:saya|sy|aku|kami)\s+"
                            r"(?:laporkan|laporin|lapor|adukan|sampaikan)\s+(?:itu\s+|tuh\s+|adalah\s+|sebenarnya\s+)?")


async def _routed_correction(turn: Turn, text: str, current: str | None) -> str | None:
    """The topic a short correction names in words the directory does not use ("dudu, maksudku lampu dalan sing
    mati", "no, I meant the street light"), when the NLU routes those words alone without asking."""
    rest = correction_words(text)
    if rest is not None:  # "sebenernya yang mau saya laporkan itu saluran airnya mampet" (thirty-seventh trial)
        rest = _WHAT_I_REPORT.sub("", rest)
    if rest is None or not 2 <= len(rest.split()) <= CORRECTION_NLU_WORDS:
        return None
    try:
        result = ParseResult.from_dict(await turn.services.nlu.parse(rest))
    except Exception:
        logger.warning("routing a topic correction failed; it is read as more of the report", exc_info=True)
        return None
    routing = result.routing
    if (routing is None or routing.topic == current or routing.confidence < turn.directory.route_threshold
            or routing.topic not in turn.directory.routing):
        return None
    return routing.topic


def corrected_topics(turn: Turn, text: str, current: str | None = None) -> list[str]:
    """The topics a correction names, best first ("bukan PUPR, ke dinas perkim aja": Disperkim's, not PUPR's, which
    it takes back); the one of the list just offered when it is among them; [] when it corrects nothing."""
    rest = correction_words(text)
    if rest is None:
        return []
    found = [t for t in match_topics(turn, rest) if t != current]
    offered = [t for t in found if t in (turn.state.get("choices") or ())]
    return offered if len(offered) == 1 else found


async def _take_corrected_topic(turn: Turn, draft: ComplaintDraft, then: StepHandler | None = None) -> bool:
    """A topic correction taken: the topic changes, said back, and the place is asked (or confirmed), or `then` is
    the next step (the summary shown again, for a correction made there). One that names an office of several topics
    ("bukan PUPR, ke dinas perkim aja") offers that office's topics."""
    found = corrected_topics(turn, turn.message.text, draft.topic)
    office = office_named(turn, without_negated(turn.message.text.lower()), near=True) if len(found) > 1 else None
    if office is not None:
        found = [t for t in found if turn.directory.routing.get(t) == office.id]
        if len(found) > 1:  # "bukan PUPR, ke dinas perkim aja": that office's topics, to choose from
            await ask_topic_choice(turn, draft, found[: MAX_TOPIC_CHOICES + 2])
            return True
    if len(found) != 1 and (routed := await _routed_correction(turn, turn.message.text, draft.topic)) and (
            not found or routed in found):  # "lampu dalan": street or traffic lights by the words; the NLU knows
        found = [routed]
    if len(found) != 1:
        return False
    topic = found[0]
    keep_attachments(turn, draft)
    said = turn.message.text.strip()
    if (len(said.split()) >= CORRECTION_KEPT_WORDS and PROBLEM_WORDS.search(u.plain(said))
            and said not in draft.text):
        # "eh bentar, sebenarnya yang rusak jembatannya bukan jalannya": the officer reads why the report's words
        # ("jalan … rusak") are filed under another topic
        draft.text = f"{draft.text}\n{said}".strip()[:4000]
    _choose(turn, draft, topic)
    turn.say("topic_taken", topic=topic_name(turn, draft.topic), opd=opd_name(turn, draft.opd))
    await (then or ask_location)(turn, draft)
    return True


# Typed instead of pressing "Lainnya" / "Semua topik" (the buttons' titles are matched too, in every language).
_OTHER_WORDS = frozenset({"lainnya", "lain", "yang lain", "lain lain", "lain-lain", "other", "others", "something else",
                          "liyane", "lainne", "liane", "dipilihkan petugas", "serahkan petugas", "terserah petugas"})
# At the topic list, "terserah" and "kirim aja": no topic chosen, the resident wants it sent, so staff choose (at the
# confirmation of one topic they are a yes, and stay so)
_LEAVE_TO_STAFF = frozenset({"terserah", "terserah aja", "terserah saja", "serah", "bebas", "terserah kalian",
                             "terserah bapak", "up to you", "whatever", "kirim", "kirim aja", "kirim saja",
                             "langsung kirim", "langsung kirim aja", "send", "send it", "just send it"})
# "tidak ada", "ga ada yang cocok", "none of these" to the list (thirty-eighth trial: "tidak" matched *Rumah tidak
# layak huni* and that topic was taken): none fits, so staff choose
_NONE_FITS = re.compile(r"^(?:(?:eh|hmm|wah|waduh|maaf|sepertinya|kayaknya|kayanya)\s+)?(?:tidak|tdk|gak|ga|gk|nggak|"
                        r"ngga|enggak|ndak|gada|gaada|ora|ra|mboten|bukan|none)(?:\s+(?:ada|ana|ono|wonten|enten|semua|"
                        r"semuanya|of\s+(?:these|them|those)|yang|yg|sing|ingkang|cocok|sesuai|pas|tepat|match(?:es)?|"
                        r"fits?|ya|pak|bu|kak|min|deh|sih|kok|kayaknya|dari|itu|situ|daftar|pilihan|topik|nya)){0,5}$")
_ALL_WORDS = frozenset({"semua topik", "semua", "daftar topik", "semua daftar", "lihat semua", "topik lain",
                        "all topics", "all", "topic list", "list", "kabeh", "sedaya"})


def _typed_button(turn: Turn, low: str) -> str | None:
    """The code of the topic button whose title (or a usual word for it) the resident typed, or None."""
    def titles(key: str) -> set[str]:
        names = turn.texts.raw(key).values() if turn.texts.has(key) else ()
        return {u.plain(n) for name in names for n in (name, name.split("(")[0])}

    text = u.plain(low)
    bare = " ".join(w for w in text.split() if w not in _ORDINAL_FILLER)  # "yg lainnya aja"
    if text in _OTHER_WORDS or bare in _OTHER_WORDS or text in titles("complaint_topic_other"):
        return f"{u.TOPIC_PREFIX}lainnya"
    if text in _ALL_WORDS or text in titles("topic_all_button"):
        return u.ALL_TOPICS
    outside = turn.state.get(OUTSIDE_CHOICE_KEY)
    if isinstance(outside, str) and outside in turn.directory.external:
        # "Urusan Kepolisian", "polisi", "kepolisian aja": the outside matter offered beside the offices
        name = u.plain(turn.directory.external[outside].name)
        said = " ".join(w for w in bare.split() if w not in ("urusan", "ke", "lapor", "aja", "saja", "a", "matter",
                                                              "for", "the"))
        if said and (said == name or (len(said) >= 3 and " " not in said and said in name)):
            return f"{u.TOPIC_PREFIX}{outside}"
    return None


# "yang mana ya? saya bingung", "gak tau pak", "not sure which one": no topic fits that the resident can tell
_UNSURE_WHICH = re.compile(r"\b(?:bingung|binggung|ragu|gak\s+tau|ga\s+tau|nggak\s+tau|tidak\s+tahu|gak\s+ngerti|"
                           r"tidak\s+mengerti|ora\s+ngerti|mboten\s+ngertos|not\s+sure|no\s+idea|don'?t\s+know|"
                           r"confused|(?:yang|yg)\s+mana\s+ya)\b")
UNSURE_WORDS = 8
NO_CHOICE_WORDS = 3


async def on_choose_topic(turn: Turn, draft: ComplaintDraft) -> None:
    low = _plain(turn.message.text)
    code = u.code_of(turn.message.text) or _typed_button(turn, low) or ""
    if code == u.SEND and not turn.message.text.strip().startswith("btn:"):
        code = ""  # "kirim" typed (read as the send button's word): below, as the words it is
    if not code and not draft.topic and u.plain(low) in _LEAVE_TO_STAFF:
        code = f"{u.TOPIC_PREFIX}lainnya"
    elif not code and draft.topic and u.plain(low) in _LEAVE_TO_STAFF:
        code = u.YES  # "kirim" to a list that keeps a choice (forty-second trial: "topic not found"): that choice kept
    if not code and _NONE_FITS.match(u.plain(low)) and u.plain(low) not in ("tidak", "tdk", "gak", "no", "bukan"):
        code = f"{u.TOPIC_PREFIX}lainnya"
    if not code and _CHANGE_PLACE.search(turn.message.text) and (place := place_answer(turn, turn.message.text)):
        await _take_place_early(turn, draft, place)  # "wait, can you change the location to Japan village?"
        return
    if not code and not _WHICH.fullmatch(low) and await _question_at_topic(turn):
        return
    missed_before = bool(turn.state.pop("topic_misses", None))
    yes_asked = bool(turn.state.pop(YES_WHICH_KEY, None))  # "ya" was answered with "which one?"
    if code == u.ALL_TOPICS:
        await show_all_topics(turn, draft)
        return
    if code == u.YES and draft.topic:
        await ask_location(turn, draft)
        return
    if code == u.YES:  # "ya" to a list that proposed none: as typed "iya bener" (below)
        code = ""
    if code == u.SKIP:  # "lewati": no choice made, so staff choose
        code = f"{u.TOPIC_PREFIX}lainnya"
    if not code and _BOTH.fullmatch(low):  # "dua duanya pak": one complaint per agency, the first one first
        draft.both = True
        await ask_topic_choice(turn, draft, turn.state.get("choices"), lead="topic_both")
        return
    if not code and _WHICH.fullmatch(low):  # "yang mana?": how to choose, and the same buttons (no miss counted)
        await ask_topic_choice(turn, draft, turn.state.get("choices"), lead="topic_which_help")
        if missed_before:
            turn.state["topic_misses"] = 1
        if yes_asked:
            turn.state[YES_WHICH_KEY] = 1
        return
    choice = code.removeprefix(u.TOPIC_PREFIX) if code.startswith(u.TOPIC_PREFIX) else _numbered_choice(turn, low)
    if (not code and not choice and len(low.split()) <= UNSURE_WORDS and "?" in turn.message.text
            and _UNSURE_WHICH.search(low)):
        # "yang mana ya? saya bingung" (thirty-second trial: "that topic was not found"): "Lainnya" is for that, and
        # a second miss hands the choice to an officer as any other does
        await ask_topic_choice(turn, draft, turn.state.get("choices"), lead="topic_unsure_help")
        turn.state["topic_misses"] = 1
        return
    if not code and not choice and low not in _GO_ON_WORDS | YES_WORDS and await _later_step_words(turn, draft):
        return  # "I don't have a photo", "looks good, send it", "thanks!": not the topic, nor the report
    agreed = not code and (is_yes(turn) or low in _GO_ON_WORDS)
    # "ora usah", "gak usah", "mboten" (thirty-ninth trial: "ora usah" joined the report's words): none of these
    said_no = is_no(turn) or (len(low.split()) <= NO_CHOICE_WORDS and u.yes_no(low) is False)
    if not code and not choice and await _take_corrected_topic(turn, draft):
        return  # "eh salah, maksudnya lampu lalu lintas": that topic, the report as it was
    if not code and not choice and not agreed and not said_no:
        # More of the report, sent before the list was answered (residents write in bursts): a place is kept for
        # the location step; other words join the description, which is routed again.
        if place := place_answer(turn, turn.message.text):
            await _take_place_early(turn, draft, place)
            return
        if not match_topics(turn, turn.message.text) and await _more_words(turn, draft):
            return
    choices = turn.state.get("choices") or []
    if not choice and not code and agreed and not draft.topic and not missed_before and choices:
        # "yes", "iya bener" to a list with no topic proposed: which one? (one listed: that one)
        if len(choices) == 1:
            choice = str(choices[0])
        else:
            await ask_topic_choice(turn, draft, choices, lead="topic_yes_which")
            turn.state["topic_misses"] = 1
            turn.state[YES_WHICH_KEY] = 1
            return
    if not choice and not code and agreed and not draft.topic and yes_asked and choices \
            and str(choices[0]) in turn.directory.routing:
        # "ya" again to "which one?": the likeliest one, by name, one tap away (not triage, nor the list a third time)
        await _offer_top_choice(turn, draft, str(choices[0]))
        return
    if not choice and not code and (agreed or said_no or missed_before):
        # "yes", "skip": the current topic if there is one; that, "none of these", or a second message the list
        # did not match: an officer picks the OPD (triage) instead of the same list again
        choice = draft.topic if agreed and draft.topic else "lainnya"
    if choice and choice in turn.directory.external and choice == turn.state.get(OUTSIDE_CHOICE_KEY):
        how = turn.directory.external[choice].how  # the outside matter offered beside the offices: who handles it
        turn.reset_flow()
        turn.say("outside_authority", how=how.get(turn.lang) or how["id"])
        return
    if choice == "lainnya":
        draft.topic, draft.opd, draft.routed_by = None, None, "triage"
        turn.say("complaint_triage_note")
        await ask_location(turn, draft)
    elif choice in turn.directory.routing:
        _choose(turn, draft, choice)
        if not code:  # typed as a number: say what it was
            turn.say("topic_taken", topic=topic_name(turn, draft.topic), opd=opd_name(turn, draft.opd))
        await ask_location(turn, draft)
    elif not await _typed_topic(turn, draft, prefer=turn.state.get(TOPIC_LIST_KEY) or turn.state.get("choices")):
        await ask_topic_choice(turn, draft, turn.state.get("choices"), lead="topic_not_understood")
        turn.state["topic_misses"] = 1


async def _question_at_topic(turn: Turn) -> bool:
    """A question at the topic list or confirmation ("nanti yg dateng petugas dari mana ya?") is no topic: answered
    as `answer_aside` can, then the topic asked again. A short one that names a topic ("lampu jalan?") is the
    answer."""
    text = turn.message.text
    if len(text.split()) <= 3 and match_topics(turn, text):
        return False
    return await answer_aside(turn, any_question=True)


YES_WHICH_KEY = "topic_yes_asked"  # state: "ya" to a list proposing no topic was answered with "which one?"


async def _offer_top_choice(turn: Turn, draft: ComplaintDraft, topic: str) -> None:
    """"Dinas PUPR: Jalan rusak?" with "Ya" and "Pilih lain", at the topic confirmation step."""
    _choose(turn, draft, topic)
    _at(turn, draft, "confirm_topic")
    turn.say("topic_top_offer", [turn.button("complaint_topic_yes", u.YES), turn.button("topic_pick_other",
                                                                                        u.CHANGE_TOPIC)],
             opd=opd_name(turn, draft.opd), topic=topic_name(turn, topic))


# --- words about a later step while the topic is asked ----------------------------------------------------------
_PHOTO_WORD = re.compile(r"\b(?:foto|fotonya|photo|photos|picture|pictures|pic|gambar|gambarnya|potone|fotone)\b")
_THANKS = re.compile(r"^(?:thanks|thank you|thank u|thx|tq|makasih|makasi|terima kasih|trims|matur nuwun|hatur nuhun|"
                     r"maturnuwun|suwun|nuwun)\b(?:\s+\S+){0,3}$")
LATER_STEP_WORDS = 8  # longer, a message is more of the report


def _early_privacy(text: str) -> str | None:
    """The privacy choice a short message at the topic question asks for ("please keep my name anonymous",
    "rahasia saja"); a public one only with the name named ("nama saya boleh ditampilkan"): "public" alone is as
    likely about a public toilet."""
    low = u.plain(text)
    privacy = privacy_in(text) if not low.isdigit() else None
    if privacy in ("anonim", "rahasia") or (privacy and (_NAME_SHOWN.search(low) or _PUBLIC_IS_FINE.match(low)
                                                         or _MADE_PUBLIC.search(low))):
        return privacy
    return None


# "actually can you make it public?", "dibuat publik saja", "jadikan publik" (thirty-fifth trial: "I cannot answer that
# here yet"): the complaint made public, not a public place
_MADE_PUBLIC = re.compile(r"\b(?:make|made|keep|set|change|switch|jadikan|jadiin|dijadikan|dibuat|dibikin|bikin|ganti|"
                          r"diganti|ubah|diubah)\s+(?:it\s+|this\s+|my\s+complaint\s+|aduannya\s+|aduan\s+saya\s+|"
                          r"laporannya\s+|identitasnya\s+|identitas\s+saya\s+)?(?:to\s+|jadi\s+|menjadi\s+|ke\s+)?"
                          r"(?:publik|public)\b")
# "public is fine", "publik aja", "public please": the choice said, not a public toilet ("public" alone may be one)
_PUBLIC_IS_FINE = re.compile(r"^(?:publik|public)\s+(?:is\s+(?:fine|ok|okay|good)|please|aja|saja|ae|wae|mawon|deh|gpp|"
                             r"gapapa|ga\s+papa|gak\s+papa|nggak\s+papa|tidak\s+apa|ndak\s+papa|boleh)\b")


async def _later_step_words(turn: Turn, draft: ComplaintDraft) -> bool:
    """Words at the topic question about a later step, which are no part of the report: "I don't have a photo" and
    "please keep my name anonymous" are kept for their steps, "looks good, send it" is told the topic comes first,
    "thanks!" is answered; then the topic question again. False for anything else."""
    text = turn.message.text.strip()
    low = u.plain(text)
    if not low or len(low.split()) > LATER_STEP_WORDS or u.code_of(text):
        return False
    if _PHOTO_WORD.search(low) and says_no_photo(text):
        draft.no_photo = True
        turn.say("later_no_photo_noted")
    elif _ONLY_HERE.match(low):  # "di depan rumah saya" (twenty-sixth trial: offered topics about houses)
        turn.say("later_place_vague")
    elif photo_later(text):  # "nanti fotonya nyusul" (twenty-sixth trial: added to the report's words)
        draft.photo_promised = True
        turn.say("later_photo_promised")
    elif privacy := _early_privacy(text):
        draft.early_privacy = privacy
        turn.say("later_privacy_noted", privacy=turn.t(f"privacy_{privacy}"))
    elif says_send(text):
        turn.say("later_send_noted")
    elif _THANKS.match(low) or (u.intent_of(turn.nlu) == "thanks" and len(low.split()) <= 3):
        turn.say("topic_thanks")
    else:
        return False
    await _ask_topic_again(turn, draft)
    return True


# --- more of the report while the topic is asked --------------------------------------------------------
# "eh salah, maksudnya sampahnya numpuk", "ralat: ...", "maksud saya ...": what follows replaces the description.
# English too: "sorry, I meant the road", "no, I meant the road", "actually it's the road", "wrong one, it is the
# bridge"; Javanese "dudu, maksudku dalane"
_MEANT = (r"(?:maksud(?:nya|ku|\s+saya)?|yang (?:benar|bener)|yg (?:benar|bener)|seharusnya|harusnya|i\s+mean(?:t)?|"
          r"actually(?:\W+it(?:'s|\s+is|\s+was))?|it(?:'s|\s+is)\s+actually)")
_CORRECTION = re.compile(
    r"^(?:(?:eh+|oh+|maaf|sorry|aduh|ups|waduh|lho|no|nope|dudu|sanes)\W+)*"
    r"(?:(?:bukan|bkn)\W+(?=salah|ralat|keliru|koreksi|wrong|maksud|yang|yg|seharusnya|harusnya))?(?:"
    r"(?:salah(?:\s+(?:ketik|tulis|kirim))?|ralat|keliru|koreksi|bukan itu|wrong(?:\s+one)?|my\s+mistake|correction)"
    r"\W+(?:" + _MEANT + r"\W+)?"
    r"|(?:bukan\W+)?" + _MEANT + r"\W+)",
    re.IGNORECASE,
)
# "saya tidak tahu yang mana", "bingung pak", "terserah": no more of the report, an answer to the question.
_UNSURE = re.compile(r"\b(?:tidak|tdk|gak|ga|nggak|ndak|kurang|belum) (?:tahu|tau|yakin|paham|ngerti|mengerti)\b"
                     r"|\bbingung\b|\bterserah\b|\bdon'?t know\b|\bnot sure\b|\bora ngerti\b", re.IGNORECASE)
# "lokasinya di depan balai desa", "di desa japanan kec mojowarno", "alamat: jl. merdeka 5": a place, sent
# before the topic was answered.
_PLACE_LEAD = re.compile(
    r"^(?:(?:lokasi(?:nya)?|alamat(?:nya)?|tempat(?:nya)?|letak(?:nya)?|posisi(?:nya)?|tepatnya|persisnya|"
    r"location|address)\b\W*(?:(?:ada\s+)?di\b)?|(?:ada\s+|yaitu\s+|yakni\s+)?di\s+(?=\S+\s+\S+))",
    re.IGNORECASE,
)


# Words about the list, not about the matter: "salah pilih", "maksudku yg pertama", "yg lain aja", "topiknya".
_ABOUT_CHOICE = re.compile(r"\b(?:salah pilih|salah klik|salah pencet|salah topik|pilih|pilihan|topik|topiknya|"
                           r"kategori|(?:yg|yang) (?:pertama|kedua|ketiga|lain|lainnya)|"
                           r"the (?:first|second|third|other) one)\b")


def about_the_choice(text: str) -> bool:
    """A short message about the topic list rather than the matter ("eh salah pilih, maksudku yg pertama")."""
    low = u.plain(text)
    return len(low.split()) <= 8 and bool(_ABOUT_CHOICE.search(low))


def without_correction(text: str) -> str:
    """The text after a leading "eh salah, maksudnya"; the text itself when it starts with none."""
    found = _CORRECTION.match(text.strip())
    return text.strip()[found.end():].strip(" ,.:-") if found else text.strip()


def place_answer(turn: Turn, text: str) -> str | None:
    """The place a message sent at a topic question gives ("lokasinya di depan balai desa sooko", "depan pasar
    kemlagi"), or None; "di dinas sosial aja" names an agency, not a place."""
    text = text.strip()
    if (change := _CHANGE_PLACE.search(text)) and len(text.split()) <= 15:
        # "wait, can you change the location to Japan village?", "tolong ganti lokasinya jadi desa puri" (asked)
        place = next(g for g in change.groups() if g).strip(" ,.!?")
        return place if len(place) >= 4 and location_problem(place) is None else None
    if not text or len(text.split()) > 15 or u.is_question(text):
        return None
    if (corrected := without_correction(text)) != text and corrected:
        text = corrected  # "actually it's in Sooko village, near the mosque": the place, not a new report
    # "pokoknya dekat pasar sooko" (thirty-second trial: "pasar" was taken for the topic "Harga dan pasar")
    text = _PLACE_FILLER.sub("", text) or text
    if (english := _EN_PLACE_LEAD.match(text)) and (place_in_text(text[english.end():])
                                                     or landmark_in_text(text[english.end():])):
        # "in Sooko village, near the mosque", "it's near the mosque in Sooko" (a place named after it)
        return text[english.start("near") if english.group("near") else english.end():].strip(" ,.!")
    if (english and not english.group("near") and re.match(r"[A-Z][a-z]{2,}\b", rest := text[english.end():])
            and len(rest.split()) <= EN_PLACE_WORDS and location_problem(rest) is None
            and not match_topics(turn, rest)):
        # "I live in Puri, near the big mosque": a name (capitalised, as English writes places) after "in"
        return rest.strip(" ,.!")
    if _by_landmark(text):  # ("di depan rumah saya" is no place an officer can find: the place step asks for more)
        return text.strip(" ,.!") if location_problem(text) is None else None
    if both := _place_then_landmark(text):
        return both
    lead = _PLACE_LEAD.match(text)
    named = place_in_text(text)
    if lead:
        rest = text[lead.end():].strip(" ,.:-")
        names_agency = not place_in_text(rest) and not _by_landmark(rest) and bool(match_topics(turn, rest))
        if len(rest) < 4 or location_problem(rest) is not None or names_agency:
            return None
        return rest
    if named and len(named) >= 0.6 * len(text.strip(" ,.!")):
        return text.strip(" ,.!")
    landmark = landmark_in_text(text)
    if landmark and len(landmark) >= 0.6 * len(text.strip(" ,.!")) and location_problem(text) is None:
        return text.strip(" ,.!")  # "SDN 2 Puri" after a complaint on a teacher (thirty-sixth trial: its words)
    return None


EN_PLACE_WORDS = 8
PLACE_TAIL_WORDS = 6  # "dekat masjid al ikhlas rt 4": longer, the landmark says more than where
_JAVANESE_AT = re.compile(r"^(?:ndek|nang|neng|ning|teng|wonten|ing|ten)\s+", re.IGNORECASE)
_JAVANESE_BY = re.compile(r"^(?:cedak|cerak|caket|ngarep|ngajeng|mburi|wingking|sandhing|sanding)\s+", re.IGNORECASE)
_EN_ROAD_OF = re.compile(r"^(?:on\s+|at\s+|in\s+)?(?:the\s+)?(?:main\s+)?(?:road|street)\s+(?:of|in|at)\s+",
                         re.IGNORECASE)


def _place_then_landmark(text: str) -> str | None:
    """A named place, then a landmark after a comma: "desa Japan, dekat masjid", "ndek desa Japan, cedak masjid",
    "main road of Sooko village, in front of the market" (thirty-ninth trial: at the topic list, words added to the
    report, or the choice left to staff)."""
    head, comma, tail = text.partition(",")
    if not comma and (by := _LANDMARK_AFTER.search(text)) is not None:
        # "desa japan dekat sd", "dusun krajan depan masjid" (forty-second trial: the topics of villages offered)
        head, comma, tail = text[:by.start()], " ", text[by.start():]
    head = _JAVANESE_AT.sub("", _EN_ROAD_OF.sub("", head.strip()))
    tail = _JAVANESE_BY.sub("dekat ", tail.strip(" ,.!"))  # "cedak masjid", "ngarep pasar", "mburi balai desa"
    named = place_in_text(head)
    if (comma and named and len(named) >= 0.6 * len(head.strip(" ,.")) and _by_landmark(tail)
            and len(tail.split()) <= PLACE_TAIL_WORDS and not PROBLEM_WORDS.search(u.plain(text))
            and location_problem(text) is None):
        return text.strip(" ,.!")
    return None


_LANDMARK_AFTER = re.compile(r"\s(?=(?:dekat|depan|samping|belakang|sebelah|seberang|di\s+depan|di\s+dekat|cedak|"
                             r"ngarep|near|opposite)\s)", re.IGNORECASE)
_PLACE_FILLER = re.compile(r"^(?:(?:pokoknya|pokoke|pokok\s+e|intinya|yang\s+penting|yg\s+penting|pak|bu|mas|mbak|kak|"
                           r"min)[\s,]+)+", re.IGNORECASE)
_EN_PLACE_LEAD = re.compile(r"^(?:it'?s\s+|it\s+is\s+|(?:the\s+)?(?:location|place|address)\s+is\s+|located\s+|"
                            # "I live in Puri, near the big mosque" at the topic list (thirty-fifth trial: "this looks
                            # like another matter")
                            r"(?:i|we)\s+live\s+|i'?m\s+|i\s+am\s+|we'?re\s+|we\s+are\s+|it\s+happens\s+|"
                            r"it'?s\s+happening\s+)?"
                            r"(?:(?:in|at|on)\s+|(?P<near>near|next\s+to|opposite)\s+)", re.IGNORECASE)
_CHANGE_PLACE = re.compile(
    r"\b(?:change|set|make)\s+(?:the\s+|my\s+|its\s+)?(?:location|place|address)\s+(?:to|into)\s+(.+)"
    r"|\b(?:ganti|ubah|diganti|diubah|ganti\s+aja)\s+(?:lokasi|alamat|tempat)(?:nya)?\s+(?:jadi|menjadi|ke|dengan)\s+(.+)"
    r"|\b(?:lokasi|alamat|tempat)(?:nya)?\s+(?:diganti|diubah|ganti|ubah)\s+(?:jadi|menjadi|ke|dengan)\s+(.+)",
    re.IGNORECASE)


async def _take_place_early(turn: Turn, draft: ComplaintDraft, place: str | Location) -> None:
    """Keep the place (`_place_answer` of the message, or coordinates typed or pasted) for the location step,
    which is then skipped, and ask the topic question again."""
    pin = place if isinstance(place, Location) else Location(address=shorten(place, 300))
    draft.location = pin.to_dict()
    keep_attachments(turn, draft)
    turn.say("detail_place_noted", place=shorten(pin.describe(), 120))
    await _ask_topic_again(turn, draft)


async def _ask_topic_again(turn: Turn, draft: ComplaintDraft) -> None:
    if turn.state.get("step") == "confirm_topic":
        await ask_topic_confirmation(turn, draft)
    else:
        await ask_topic_choice(turn, draft, turn.state.get("choices"))


async def _more_words(turn: Turn, draft: ComplaintDraft) -> bool:
    """Words sent at a topic question that are neither an answer nor a place ("udah 2 minggu gak dibenerin"):
    they join the description (a correction replaces it), which is routed again. False for short messages and
    questions, which the step answers itself."""
    text = turn.message.text.strip()
    if len(_words(text)) < 2 or u.is_question(text) or _UNSURE.search(text) or (
            u.yes_no(text) is True and not tells_duration(text) and not u.yes_as_aspect(text)):
        return False  # "pokoknya itu deh", "hmm bingung saya", "iya betul pak": no more of the report
    corrected = without_correction(text)
    # "actually it's more like the whole road is collapsing", "sebenarnya lebih parah, ...": more of the same report,
    # which keeps what it said first ("big pothole on the main road near Sooko market")
    replaced = corrected != text and not _REFINES.match(corrected)
    if replaced and len(_words(corrected)) < 2:
        return False  # "eh salah pak": a correction with nothing after it ("dalane bolong-bolong" is enough)
    if about_the_choice(text):  # "eh salah pilih, maksudku yg pertama": the topic, never the report's words
        await ask_topic_choice(turn, draft, turn.state.get("choices") or None)
        return True
    combined = corrected if replaced else f"{draft.text}\n{text}".strip()
    try:
        routed = (without_negated(combined) or combined) if replaced else combined  # not "…, not the light"
        parse = await turn.services.nlu.parse(routed[:1000])
    except Exception:  # the words are kept even when the NLU cannot route them again
        logger.warning("routing the longer description failed; the topic question is asked again", exc_info=True)
        draft.text = combined
        turn.say("detail_replaced" if replaced else "detail_added")
        await _ask_topic_again(turn, draft)
        return True
    turn.say("detail_replaced" if replaced else "detail_added")
    await start_from_text(turn, combined, parse, draft)
    return True


_REFINES = re.compile(r"(?:more\s+like|rather|even\s+worse|even|worse|lebih\s+(?:tepatnya|ke|kayak|kaya|seperti|"
                      r"parah|dari)|tepatnya|malah|bahkan|makin|semakin|tambah|"
                      # "eh salah, bukan darurat kok, cuma ranting" (thirty-ninth trial: the fallen tree's report
                      # replaced by these words, its routing lost): how serious, not what
                      r"(?:bukan|tidak|tdk|gak|ga|nggak|not)\s+(?:terlalu\s+)?(?:darurat|parah|gawat|urgent|serious|"
                      r"besar)|cuma|cuman|hanya|only|just)\b", re.IGNORECASE)


# "yang mana?", "mana ya pak", "pilih yang mana", "which one?": the resident asks how to choose.
_WHICH = re.compile(r"(?:(?:terus|trus|lalu|jadi|jd|saya|sy|aku|harus|pilih|milih)\s+)*"
                    r"(?:(?:yang|yg|sing|ingkang)\s+)?(?:mana|endi|pundi|which(?: one)?)"
                    r"(?:\s+(?:ya|sih|nih|pak|bu|kak|min|mas|mbak|dong|itu|nggih|should i (?:choose|pick)|"
                    r"(?:yang|yg) (?:cocok|benar|bener|pas|sesuai)))*")


# "dua duanya", "keduanya", "both": the message names two problems.
_BOTH = re.compile(r"(?:(?:ya|iya|yang)\s+)?(?:dua duanya|dua2nya|duaduanya|keduanya|kedua duanya|semuanya|"
                   r"both|both of them|all of them|loro lorone|kalih kalihipun)(?:\s+(?:pak|bu|kak|min|ya|deh|sih))*")


# "yang pertama", "nomor 2", "the first one", "sing kapindho": a place in the list typed in words.
_ORDINALS = {"pertama": "1", "kesatu": "1", "satu": "1", "first": "1", "siji": "1", "kapisan": "1",
             "kedua": "2", "dua": "2", "second": "2", "two": "2", "loro": "2", "kapindho": "2", "kalih": "2",
             "ketiga": "3", "tiga": "3", "third": "3", "three": "3", "telu": "3", "katelu": "3"}
_ORDINAL_FILLER = frozenset({"yang", "nomor", "no", "nomer", "pilih", "pilihan", "opsi", "the", "one", "option",
                             "number", "kaping", "sing", "ingkang", "nang", "ke", "aja", "saja", "sajah", "deh", "itu",
                             "ya", "yg", "pak", "bu", "kak", "mas", "mbak", "min", "dong", "sih", "please"})


def place_in_list(low: str) -> str:
    return _place_in_list(low)


def _place_in_list(low: str) -> str:
    """The list position typed as a number or in words ("yang pertama" -> "1"), else the text unchanged."""
    words = low.replace(".", " ").replace(":", " ").split()
    if not words or len(words) > 4:
        return low
    places = {_ORDINALS[w] for w in words if _ORDINALS.get(w)} | {w for w in words if w.isdigit()}
    rest = [w for w in words if w not in _ORDINALS and not w.isdigit() and w not in _ORDINAL_FILLER]
    return places.pop() if len(places) == 1 and not rest else low


def _numbered_choice(turn: Turn, low: str) -> str | None:
    low = _place_in_list(low)
    if not low.isdigit():
        return None
    listed = turn.state.get(TOPIC_LIST_KEY) or []
    choices = turn.state.get("choices") or []
    index = int(low) - 1
    if listed:
        return listed[index] if 0 <= index < len(listed) else None
    if 0 <= index < len(choices):
        return str(choices[index])
    return "lainnya" if index == len(choices) else None


def _choose(turn: Turn, draft: ComplaintDraft, topic: str, opd: str | None = None) -> None:
    draft.topic = topic
    draft.opd = opd or turn.directory.routing[topic]
    draft.routed_by = "resident"
    turn.state.pop(TOPIC_LIST_KEY, None)


async def _typed_topic(turn: Turn, draft: ComplaintDraft, prefer: list[str] | None = None) -> bool:
    """The resident typed the topic or OPD in their own words: take it (or offer the close ones). Among several
    matches, the one topic of the list just offered (`prefer`) that matches is taken."""
    found = match_topics(turn, turn.message.text)
    if not found:
        return False
    offered = [t for t in found if t in (prefer or ())]
    if len(offered) == 1:
        found = offered
    if len(found) == 1:
        _choose(turn, draft, found[0])
        turn.say("topic_taken", topic=topic_name(turn, draft.topic), opd=opd_name(turn, draft.opd))
        await ask_location(turn, draft)
        return True
    await ask_topic_choice(turn, draft, found[: MAX_TOPIC_CHOICES + 2])
    return True


_FILLER = frozenset(
    "bukan harusnya seharusnya mestinya semestinya ke kepada itu ini aduan aduannya laporan topik topiknya soal "
    "tentang masalah yang untuk dinas badan bagian salah bener benar pak bu kak min dong deh ya sih saya mau "
    "pilih ganti jadi the it is should be to about topic agency department wrong not no instead please "
    "dan di dengan atau umum daerah kabupaten kota "
    # words any report may use, which name no topic ("pokoknya ada masalah pak warga resah" is not "ODGJ/warga
    # terlantar")
    "warga masyarakat orang penduduk pokoknya resah meresahkan ada kami kita "
    # ("eh tunggu, jangan dikirim dulu" named "Tunjangan … guru": fortieth trial, and the complaint went there)
    "jangan tunggu dulu sebentar kirim dikirim "
    # English words of a sentence that a topic's English name shares ("sorry I don't understand Indonesian well" is
    # not "Polluted well water": thirty-second trial)
    "well sorry don understand indonesian english".split()
)


def _words(text: str) -> list[str]:
    return [w for w in re.findall(r"[a-z0-9]+", text.lower()) if w not in _FILLER and len(w) >= 3]


def _similar(a: str, b: str) -> bool:
    return a == b or (min(len(a), len(b)) >= 5 and (a in b or b in a))


def match_topics(turn: Turn, text: str) -> list[str]:
    """Topics whose name (or whose OPD's name) the text names, best first; [] when it names none."""
    wanted = _words(text)
    if not wanted or len(wanted) > MAX_TOPIC_WORDS:
        return []
    scores: dict[str, float] = {}
    for topic, opd_id in turn.directory.routing.items():
        names = " ".join(turn.texts.raw(f"topic_{topic}").values()) if turn.texts.has(f"topic_{topic}") else ""
        topic_words = _words(names.replace("/", " "))
        opd = turn.directory.opd(opd_id)
        opd_words = _words(f"{opd.name} {opd.short} {opd.id.replace('-', ' ')}") if opd else []
        score = sum(1.0 for w in wanted if any(_similar(w, n) for n in topic_words))
        score += sum(0.5 for w in wanted if any(_similar(w, n) for n in opd_words))
        if score:
            scores[topic] = score
    if not scores:
        return []
    best = max(scores.values())
    return sorted((t for t, s in scores.items() if s == best), key=lambda t: list(turn.directory.routing).index(t))


_PLACE_WORDS = re.compile(
    r"\b(desa|ds|dusun|dsn|kelurahan|kel|kecamatan|kec|jalan|jl|jln|gang|gg|rt|rw|no|nomor|dekat|depan|"
    r"belakang|samping|sebelah|utara|selatan|timur|barat|perumahan|perum|kampung|blok|pasar|sekolah|masjid|"
    r"balai|kantor|street|road|village|near|district|dukuh|lingkungan)\b"
)


# A place named in the report itself, offered at the location step ("Desa Trowulan Kecamatan Trowulan, benar?")
# instead of asking for it from scratch. A place word, then its name: after desa/dusun/kecamatan... a capitalised
# name or one lower-case word that is no common word; after RT/RW/blok/no a number; after jalan/gang a capitalised
# name only ("jalan di desa Sooko rusak" names Desa Sooko, not a street).
_PLACE_AREA = frozenset("dusun dsn desa ds kelurahan kel kecamatan kec perumahan perum kampung kp dukuh lingkungan "
                        "kompleks komplek".split())
_PLACE_NUMBERED = frozenset("rt rw blok no nomor".split())
_PLACE_STREET = frozenset("jalan jln jl gang gg".split())
_PLACE_STOP = frozenset(
    "di ke dari yang ini itu sudah udah sdh belum rusak parah banyak sangat sekali kami saya kita mohon tolong dan "
    "atau dengan untuk pada sejak sampai karena jadi juga sering ada tidak gak ga nggak bisa akan lagi sebelah depan "
    "belakang samping dekat pinggir tengah ujung arah menuju raya utama setempat tersebut sini situ sana kota "
    "kabupaten kab "
    # krama sentence starters: "... wonten Desa Sumberejo. Kula nyuwun tulung ..." ends the place before "Kula"
    "kula kulo nyuwun matur menawi mugi "
    # Javanese and Sundanese negations and auxiliaries: "sampah wonten pasar mboten dipun angkut" names no Pasar
    # Mboten (thirty-seventh trial)
    "mboten boten ora gak ndak dereng durung sampun dipun teu henteu acan "
    # Sundanese and chat spellings of what is wrong: "jalan di desa puri ruksak pisan" names no Desa Puri Ruksak
    # (forty-second trial)
    "ruksak rusaak pisan teuing seueur "
    # people and what they do: "petugas kecamatan minta uang 50 ribu" names no Kecamatan Minta (twenty-fifth trial)
    "minta meminta dimintai mintain bilang kasih suruh nyuruh mau ingin pengen bikin urus ngurus pungut memungut "
    "narik menarik malah kok petugas pegawai orang warga "
    # how long: "pelayanan di kantor kecamatan lama sekali" names no Kecamatan Lama (twenty-sixth trial)
    "lama lambat lelet".split()
)
# What ends a capitalised name: a place word or a common word ("Jalan Raya Mojosari" keeps "Raya").
# English puts the kind after the name: "at Sooko village", "in Trowulan district", "Krajan hamlet".
_PLACE_AREA_AFTER = frozenset("village district subdistrict sub-district hamlet".split())
_NOT_A_NAME = frozenset("the my our a an at in on near of this that i we it there here".split())
_RUN_STOP = _PLACE_AREA | _PLACE_NUMBERED | _PLACE_STREET | (_PLACE_STOP - {"raya", "utama"}) | _PLACE_AREA_AFTER
_PLACE_TOKEN = re.compile(r"[A-Za-z0-9][\w'./-]*")


# "depan pasar kemlagi", "dekat masjid al ikhlas", "near the market": a spot by a landmark. Only a short one, with no
# word of a description after it ("samping rumah saya ada sampah menumpuk" is the report).
_BY_LANDMARK = re.compile(r"^(?:di\s+)?(?:depan|dpn|belakang|blkg|samping|sebelah|sblh|dekat|deket|dkt|seberang|"
                          r"sebrang|pinggir|ujung|pojok|perempatan|pertigaan|in front of|near|next to|behind|"
                          r"opposite)\s+(?=\w)", re.IGNORECASE)
_NOT_IN_A_LANDMARK = _PLACE_STOP - {"di", "ke", "dari", "yang", "saya", "kami", "kita", "raya", "utama", "kota",
                                    "kabupaten", "kab", "sebelah", "depan", "belakang", "samping", "dekat",
                                    "pinggir", "tengah", "ujung", "arah", "menuju", "setempat"}


def _by_landmark(text: str) -> bool:
    """A message that only names a spot by a landmark ("depan pasar kemlagi"), which a topic name in it
    ("pasar") does not make a topic answer."""
    found = _BY_LANDMARK.match(text)
    words = re.findall(r"[\w'-]+", text[found.end():].lower()) if found else []
    return 0 < len(words) <= 6 and not any(w in _NOT_IN_A_LANDMARK for w in words)


def _place_word(token: str) -> str:
    return token.lower().rstrip(".")


def _capitalised_run(tokens: list[tuple[str, int, int]], j: int, most: int) -> int:
    """The index after the capitalised words from `j` (at most `most`), stopping at the next place word or a common
    word. In capitals throughout ("JALAN DESA TROWULAN RUSAK PARAH") capitals say nothing: one word is the name."""
    if tokens[j][0].isupper() and len(tokens[j][0]) > 1:
        most = 1
    end = j
    while (end < len(tokens) and end - j < most and tokens[end][0][:1].isupper()
           and _place_word(tokens[end][0]) not in _RUN_STOP):
        end += 1
        if _ends_sentence(tokens[end - 1][0]):
            break  # "Desa Sumberejo. Kula …": a full stop ends the name ("Jl. Moh. Hatta" keeps its short ones)
    return end


def _ends_sentence(token: str) -> bool:
    """A word with a full stop after it that is no abbreviation ("Sumberejo.", not "Moh." nor "H.")."""
    return token.endswith(".") and sum(c.isalpha() for c in token) >= 4


# A housing estate's name typed in lower case runs on: "perumahan griya permata sooko", not "perumahan griya". Its
# words are the usual ones of estate names (a closing one, "indah", "asri", ends it), and one more where the place
# ends (the village it is named after, "... permata sooko, mampet"); "perumahan griya asri mampet" stops at "asri".
_ESTATE = frozenset("perumahan perum kompleks komplek komp".split())
_ESTATE_OPENING = frozenset(
    "griya graha grha bumi puri taman villa vila wisma pondok permata pesona citra mutiara intan kencana mas emas "
    "harapan tirta alam bukit green garden royal nirwana kartika delta cluster istana mega surya sari".split())
_ESTATE_CLOSING = frozenset("indah asri permai sejahtera sentosa lestari jaya mulia agung damai elok baru regency "
                            "residence residen park hill hills raya".split())


def _estate_run(text: str, tokens: list[tuple[str, int, int]], j: int, most: int = 5) -> int:
    """The index after a lower-case estate name from `j`; `j` when it starts with none of the usual words."""
    end = j
    while end < len(tokens) and end - j < most and _place_word(tokens[end][0]) in _ESTATE_OPENING:
        end += 1
    if j < end < len(tokens) and end - j < most:  # "... permata sooko": the name it ends with, where the place ends
        last, follows = tokens[end], (tokens[end + 1] if end + 1 < len(tokens) else None)
        word = _place_word(last[0])
        if word.isalpha() and len(word) >= 3 and word not in _RUN_STOP and word not in _ESTATE_CLOSING and (
                follows is None or last[0].endswith(".") or re.search(r"[,;:!?()]", text[last[2]:follows[1]])
                or _place_word(follows[0]) in _RUN_STOP | _ESTATE_CLOSING):
            end += 1
    while end < len(tokens) and end - j < most and _place_word(tokens[end][0]) in _ESTATE_CLOSING:
        end += 1
    return end


# "kecamatan bale endah", "kelurahan pasir mulya": a lower-case name of two words after these. Its second word is
# none of the report's ("desa sooko mati lampunya", "desa sooko kemarin ada …", "desa sooko jalannya berlubang").
_TWO_WORD_AREA = frozenset("kecamatan kec kelurahan kel desa".split())
_DESCRIPTION_WORDS = frozenset(
    "lampu sampah air got saluran selokan drainase jembatan pohon warga rumah sungai kali banjir listrik pju tiang "
    "kabel mati padam macet bau bocor tumbang longsor gelap kotor rawan licin putus ambrol jebol mampet numpuk "
    "menumpuk tergenang genangan lubang lubangnya berlubang retak hancur kemarin kemaren tadi sekarang malam pagi "
    "siang sore hari minggu bulan tahun pak bu mas mbak kak min aja saja dong sih deh nih kok lho ya yg selalu "
    "sering masih terus lagi juga semua sekitar sekali sudah belum hampir kurang tanpa tapi namun warganya "
    "jalannya motor mobil truk anak sekolah pasar masjid mushola kantor balai puskesmas rt rw no wis durung "
    "ing neng nang kok ding deng dink lho loh toh the is are was has have and with near "
    # what a road, a bank or a wall does ("desa sukamaju ambles, sudah 2 minggu" names "desa sukamaju")
    "ambles amblas anjlok rusak parah retak2 roboh ambruk miring patah bengkok bolong rembes meluap tersumbat "
    "tumpah pecah "
    # Javanese of the same ("lampu ratan teng ngajeng mesjid pejah sampun seminggu": not "mesjid pejah"; thirty-ninth
    # trial)
    "pejah sampun dereng risak bibrah rubuh peteng mampet bocor teng wonten mboten ugi ampun nggih".split())
_AFFIXED = re.compile(r"^(?:di|ber|ter|men|mem|meng|meny|per)\w{3,}$|^\w{3,}(?:nya|kan|lah|ne|e?ipun)$")


def _second_name_word(text: str, tokens: list[tuple[str, int, int]], k: int) -> bool:
    """Whether token `k`, after a one-word lower-case area name with no punctuation between, is its second word."""
    if k >= len(tokens) or re.search(r"[,;:!?()]", text[tokens[k - 1][2]:tokens[k][1]]) \
            or tokens[k - 1][0].endswith("."):
        return False
    word = tokens[k][0]
    low = _place_word(word)
    return (word.isalpha() and word.islower() and len(word) >= 3 and low not in _RUN_STOP
            and low not in _DESCRIPTION_WORDS and not _AFFIXED.match(low))


def _place_end(text: str, tokens: list[tuple[str, int, int]], i: int) -> int:
    """Where the place that starts at token `i` ends (`i + 1` or less when none starts there)."""
    word, j = _place_word(tokens[i][0]), i + 1
    if j >= len(tokens):
        return j
    if tokens[i][0][:1].isupper() and word not in _NOT_A_NAME and word not in _RUN_STOP:
        end = _capitalised_run(tokens, i, 3)
        if end < len(tokens) and _place_word(tokens[end][0]) in _PLACE_AREA_AFTER:
            return end + 1
    name = tokens[j][0]
    if (word in _PLACE_AREA and re.search(r"[,;!?]", text[tokens[i][2]:tokens[j][1]])
            and (_place_word(name) in _CLAUSE_WORDS or (name[:1].islower() and not _lower_name(name)))):
        # "korupsi dana desa, tapi jangan …": a sentence goes on after "desa", no name follows it; so too "di kantor
        # kecamatan, pelayanannya lama" (twenty-eighth trial: "kecamatan, pelayanannya" was offered as the place)
        return j
    if word in _PLACE_AREA:
        if name[:1].isupper():
            return _capitalised_run(tokens, j, 3)
        if word in _ESTATE and (end := _estate_run(text, tokens, j)) > j:
            return end
        if not (name.isalpha() and len(name) >= 3 and name.lower() not in _PLACE_STOP) or (
                name[:1].islower() and PROBLEM_WORDS.fullmatch(name.lower())):
            return j  # ("lampu jalan di perempatan desa mati semua": no Desa Mati)
        return j + 2 if word in _TWO_WORD_AREA and _second_name_word(text, tokens, j + 1) else j + 1
    if word in _PLACE_NUMBERED:
        return j + 1 if re.fullmatch(r"\d{1,3}[a-zA-Z]?", name.rstrip(".,")) else j
    if word in _PLACE_STREET:
        if tokens[i][0].lower() in ("jl.", "jln.") and name[:1].islower():
            # "di jl. ahmad yani no 5": the abbreviation is a street's, its name typed in lower case (twenty-eighth
            # trial: no place was offered)
            k = j
            while k < len(tokens) and k - j < 3 and _lower_name(tokens[k][0]):
                k += 1
            return k
        if (name.lower() == "raya" and j + 1 < len(tokens) and not tokens[j + 1][0][:1].isupper()
                and re.fullmatch(r"\s+", text[tokens[j][2]:tokens[j + 1][1]])
                and _lower_name(tokens[j + 1][0])):
            return j + 2  # "jalan raya sooko km 3" typed in lower case (twenty-sixth trial: read as a road topic)
        return _capitalised_run(tokens, j, 4)
    return j


# Words that begin a clause: after "desa," they are no village's name ("dana desa, tapi jangan sampai …", "ke desa,
# setelah kejadian …"), where "Desa, Girimulya" and "desa,Hegarmanah" name one.
_CLAUSE_WORDS = frozenset("tapi tp tetapi namun setelah sesudah sebelum kemudian lalu terus trus sedangkan apalagi "
                          "bahkan karena krn padahal jadi dan atau yang yg agar supaya sehingga mohon tolong saya sy "
                          "kami aku kok sudah udah belum dia mereka itu ini but and so".split())


def _lower_name(word: str) -> bool:
    """A lower-case word that can be a name after "jalan raya" (not "rusak", "depan", "ini")."""
    low = _place_word(word)
    return (word.isalpha() and len(word) >= 3 and low not in _PLACE_STOP and low not in _DESCRIPTION_WORDS
            and low not in _RUN_STOP and low not in _CLAUSE_WORDS and not _AFFIXED.match(low))


def place_in_text(text: str) -> str | None:
    """The place a report names ("Dusun Kedungrejo Desa Trowulan Kecamatan Trowulan", "ds sooko kec trowulan"), or
    None. Neighbouring pieces ("Desa Sooko, RT 02 RW 01") make one place; the one with most pieces wins. A place
    never runs over a line's end: a report with a correction added below ("… di desa sukamaju\nsalah pak, maksud
    saya …") names "desa sukamaju", not "desa sukamaju salah"."""
    found = [place for line in text.split("\n") if (place := _place_in_line(line)) is not None]
    if found:
        return max(found, key=lambda p: (p[0], p[1]))[2]
    # "the garbage truck has not come to sooko village": English names the village first (thirty-first trial: no
    # place guessed, and "yes" to the place question was "not a place yet")
    english = next((m for m in _ENGLISH_PLACE.finditer(text) if m.group(1).lower() not in _NOT_A_PLACE_NAME), None)
    return english.group(0).strip() if english else None


_ENGLISH_PLACE = re.compile(r"\b([A-Za-z][a-z]{2,})\s+(?:village|hamlet|sub-?district|district)\b")
_NOT_A_PLACE_NAME = frozenset("our my the this that his her their your same whole entire neighbouring neighboring "
                              "next nearby other small big local every each one another".split())


def _place_in_line(text: str) -> tuple[int, int, str] | None:
    """The best place in one line, with its number of pieces and its length (how lines are compared)."""
    tokens = [(m.group(0), m.start(), m.end()) for m in _PLACE_TOKEN.finditer(text)]
    groups: list[list[tuple[int, int]]] = []
    i = 0
    while i < len(tokens):
        end = _place_end(text, tokens, i)
        if end <= i + 1:
            i += 1
            continue
        span = (tokens[i][1], tokens[end - 1][2])
        if groups and re.fullmatch(r"[\s,/]{0,3}", text[groups[-1][-1][1]:span[0]]):
            groups[-1].append(span)
        else:
            groups.append([span])
        i = end
    if not groups:
        return None
    best = max(groups, key=lambda g: (len(g), g[-1][1] - g[0][0]))
    place = text[best[0][0]:best[-1][1]].strip(" ,.")
    return (len(best), best[-1][1] - best[0][0], place) if len(place) >= 6 else None


# A spot a report names by a landmark and its name, offered at the location step when the report names no
# village, street or RT: "PKL di depan kantor DKPP Purbalingga yang memakai tenda" -> "depan kantor DKPP
# Purbalingga", "jalan di seputar pasar segamas berlubang" -> "seputar pasar segamas". The landmark's name is up to
# three capitalised words, or one lower-case word that is no word of a report ("depan pasar mati lampunya" names
# none); a school's "N 2" / "Negeri 1" is part of it.
_LANDMARK_PLACE = re.compile(
    r"(?i:\b(?:(?P<by>depan|dpn|dekat|deket|dkt|samping|sebelah|belakang|seberang|sebrang|seputar|sekitar)\s+)?"
    r"(?P<what>pasar|kantor|terminal|stasiun|alun-alun|alun alun|masjid|mesjid|musholla|mushola|puskesmas|"
    r"pukesmas|rsud|polsek|polres|koramil|gor|lapangan|smpn?|sdn?|sman?|smkn?|mts|man|sekolah|taman|monumen|"
    r"pabrik|gereja|klenteng|tpu|kampus|bandara|pelabuhan|perempatan|pertigaan|simpang)"
    r"(?P<grade>(?:\s+(?:n|negeri|\d{1,3}))*)\b)"
    r"(?P<name>(?:\s+[A-Z][\w'-]*\.?){1,3}|\s+[a-z]{3,}\b)"
)


def landmark_in_text(text: str) -> str | None:
    """The spot a report names by a landmark and its name ("depan kantor DKPP Purbalingga"), or None."""
    for found in _LANDMARK_PLACE.finditer(text):
        words = found.group("name").split()
        if words[0][:1].islower():
            low = _place_word(words[0])
            if low in _PLACE_STOP or low in _DESCRIPTION_WORDS or _AFFIXED.match(low) or low in _RUN_STOP:
                continue
        else:
            kept: list[str] = []
            for word in words:
                if kept and kept[0].isupper() and not word.rstrip(".").isupper():
                    break  # "SMP N 2 BUKATEJA BEsok": in capitals, the name is the words in capitals
                if _place_word(word) in _RUN_STOP or word.endswith("."):
                    if word.endswith(".") and _place_word(word) not in _RUN_STOP:
                        kept.append(word.rstrip("."))
                    break
                kept.append(word)
            if not kept:
                continue
            words = kept
        place = text[found.start():found.start("name")] + " " + " ".join(words)
        place = re.sub(r"\s+", " ", place).strip(" ,.")
        return place if len(place) >= 8 else None
    english = _EN_LANDMARK.search(text)
    return " ".join(english.group(0).split()) if english else None


# In English the landmark's name comes first, or after "in"/"of": "near Sooko market", "in front of the village hall
# in Sooko", "the mosque of Puri" (the village hall in Sooko had no place offered at the place step).
_EN_LANDMARK_KIND = (r"(?:village\s+hall|market|mosque|school|primary\s+school|hospital|health\s+(?:centre|center)|"
                     r"station|bus\s+(?:stop|station|terminal)|terminal|office|church|square|field|bridge|junction|"
                     r"crossroads|intersection|temple|cemetery|park)")
_EN_LANDMARK = re.compile(
    r"(?i:\b(?:in\s+front\s+of|near|next\s+to|beside|behind|opposite|across\s+from|at|by)\s+(?:the\s+)?)?"
    r"(?:(?!(?:The|A|An|This|That|My|Our|Your|Their|Hello|Hi|There|Please|Dear)\b)"
    r"[A-Z][\w'-]+(?:\s+[A-Z][\w'-]+){0,2}\s+(?i:" + _EN_LANDMARK_KIND + r")\b"
    r"|(?i:" + _EN_LANDMARK_KIND + r")\s+(?i:in|of|at)\s+[A-Z][\w'-]+(?:\s+[A-Z][\w'-]+){0,2})")


def location_problem(text: str) -> str | None:
    """Why `text` is not a place (a text key), or None when it can be one."""
    stripped = text.strip()
    low = stripped.lower()
    if len(stripped) < 3 or not re.search(r"[^\W\d_]", stripped):
        return "complaint_location_too_short"
    if u.is_greeting(stripped) or u.is_cancel(stripped) or u.code_of(stripped):
        return "complaint_location_not_a_place"  # a button's code ("privacy:publik") is an answer to another step
    if _ONLY_HERE.match(u.plain(stripped)):
        return "complaint_location_too_short"  # "di sini pak", "rumah sy": the officer could not find it from that
    if _PLACE_WORDS.search(low):
        return None
    words = u.plain(stripped).split()
    if _KEEP_PRIVATE.match(" ".join(words)):
        return "complaint_location_private"
    if _PRIVACY_CHOICE.match(" ".join(words)):
        return "complaint_location_privacy_later"  # "public", "anonim": the answer to the next question
    if u.is_question(stripped) or _NOT_A_PLACE.match(" ".join(words)):
        return "complaint_location_not_a_place"
    if all(w in _ANSWER_WORDS or u.yes_no(w) is not None for w in words):
        return "complaint_location_not_a_place"  # "yes", "lanjut", "oke deh": an answer to another question
    return None


# A place only the resident can find: "di sini pak", "rumah sy", "depan rumah saya", "here", "my house".
_ONLY_HERE = re.compile(
    r"^(?:ya\s+|iya\s+|di\s*|ning\s+|nang\s+|at\s+|in\s+|near\s+)?(?:(?:depan|belakang|samping|sebelah|dekat)\s+)?"
    r"(?:sini|situ|sana|mriki|kene|kono|here|there|rumah|omah|griya|home|my\s+house|my\s+home)"
    r"(?:\s+(?:saya|sy|ku|aku|kula|kulo|gue|gw|pak|bu|ya|aja|saja|kak|min|mas|mbak|lho|kok))*$")
_PRIVACY_CHOICE = re.compile(r"(?:publik|public|umum|terbuka|anonim|anonymous|anon|tanpa nama)"
                             r"(?:\s+(?:aja|saja|ya|pak|bu|kak|min|dong|please))*$")


# Words that only answer or steer ("ya", "lanjut", "oke deh"): a message made of nothing else is no place.
_ANSWER_WORDS = frozenset({"lanjut", "lanjutkan", "skip", "next", "continue", "lewati", "pak", "bu", "deh", "aja",
                           "saja", "kak", "min", "dong", "sih", "kok", "please", "terus", "itu", "ini", "sudah",
                           "send", "submit", "kirim", "kirimkan", "done", "ok", "oke", "okay", "it", "now"})


# A whole message that says something about the conversation, not about a place: "eh salah, bukan itu",
# "tidak tahu", "I don't know" ("tidak tahu persisnya, sekitar Rancaekek" names one and is kept).
_NOT_A_PLACE = re.compile(
    r"(?:(?:eh|oh|maaf|sorry|aduh)\s+)?(?:salah|keliru|bukan itu|bukan|wrong|sorry wrong)"
    r"(?:\s+(?:bukan itu|itu|pak|bu|ya|deh|kak|min|maksud saya))*$|"
    r"(?:tidak|gak|ga|nggak|ndak|kurang) (?:tahu|tau)(?:\s+(?:pak|bu|ya|persisnya|juga|saya))*$|"
    # "tidak ada" where the place is asked (forty-second trial: kept as the place)
    r"(?:tidak|tdk|gak|ga|gk|nggak|ngga|ndak|enggak)\s+ada(?:\s+(?:pak|bu|ya|kak|min|lokasinya|alamatnya))*$|"
    r"(?:gada|gaada|none|nothing)$|"
    r"(?:i )?(?:don ?t|don't|do not) know$"
)
# "rahasia", "dirahasiakan saja", "jangan disebut", "private": the resident fears being known, which the identity
# step answers; the office still needs the place.
_KEEP_PRIVATE = re.compile(
    r"(?:(?:mohon|tolong|minta|please)\s+)?(?:di)?(?:rahasia(?:kan)?|privat|private|confidential|secret|"
    r"jangan (?:di ?)?(?:sebut(?:kan)?|tulis|kasih tau|beritahu)|"
    r"(?:tidak|gak|ga|nggak|ndak) (?:mau|ingin|bisa) "
    r"(?:di ?)?(?:sebut(?:kan)?|menyebut(?:kan)?|kasih tau|beritahu|memberitahu)|"
    r"(?:i )?(?:would rather|prefer) not(?: to)?(?: say| tell)?)"
    r"(?:\s+(?:aja|saja|ya|pak|bu|kak|min|dulu|dong|lokasinya|alamatnya|tempatnya|it|please))*$"
)
# "kan sudah saya sebutkan tadi", "sudah saya tulis di atas", "already said": the place is in the description.
_ALREADY_SAID = re.compile(
    r"\b(?:sudah|udah|sdh|kan|tadi)\s+(?:saya\s+|sy\s+|aku\s+|kami\s+)?(?:sebut|sebutkan|tulis|tuliskan|bilang|"
    r"kasih tau|jelaskan|cantumkan)\b|^(?:ada\s+|sudah\s+)?di\s+atas(?:\s+(?:ya|pak|bu|kak|min))*$|"
    r"\bdi\s+pesan\s+(?:pertama|sebelumnya|tadi)\b|"
    r"\b(?:already|i)\s+(?:said|wrote|mentioned|told)\b|\bsee above\b"
)


def location_already_given(text: str) -> bool:
    """The resident says the place is in what they wrote before ("kan sudah saya sebutkan tadi", "di atas");
    a place named along ("sudah saya bilang jalan Sukamaju no 5") is taken as the place instead."""
    low = u.plain(text)
    return len(low.split()) <= 10 and not _PLACE_WORDS.search(low) and bool(_ALREADY_SAID.search(low))


PLACE_GUESS_KEY = "place_guess"
# "inggih leres, wonten dusun Sumberan": krama yes-words and "at" before the place say nothing of it.
_KRAMA_LEAD = re.compile(r"^(?:(?:inggih|nggih|leres|wonten|ing|dhateng|dateng)\b[\s,.!:;-]*)+", re.IGNORECASE)


# Who told the resident the place, opening the answer: "pak RT bilang di RT 02 …", "kata pak kades, di …", "menurut
# ketua RW", "my neighbour says".
_TELLER_LEAD = re.compile(
    r"^(?:(?:kata|menurut|jare|jarene|ngendikane|according\s+to)\s+)?(?:(?:pak|bu|bapak|ibu|ketua|mbah|my|the)\s+)?"
    r"(?:rt|rw|kades|lurah|kadus|kepala\s+desa|tetangga(?:\s+saya)?|neighbou?r)\s*"
    r"(?:bilang|bilangnya|ngomong|katanya|kata(?:nya)?|ngendika|said|says)?\b[\s,.:;-]*(?:(?:itu|tuh|lokasinya)\s+)?",
    re.IGNORECASE)


def without_krama_lead(text: str) -> str:
    """A place answer without the krama words it opens with ("inggih leres, wonten dusun Sumberan" is "dusun
    Sumberan") or who told it ("pak RT bilang di RT 02 RW 05" is "di RT 02 RW 05"); the text itself when nothing
    would be left."""
    rest = text[found.end():].strip() if (found := _KRAMA_LEAD.match(text.strip())) else text.strip()
    if (told := _TELLER_LEAD.match(rest)) and re.search(r"(?:bilang|ngomong|kata|menurut|jare|ngendika|said|says|"
                                                        r"according)", told.group(0), re.IGNORECASE):
        rest = rest[told.end():].strip()
    if (said := _SAYS_PLACE_LEAD.match(rest)) and said.group(0).strip() and len(rest[said.end():].strip(" ,.")) >= 4:
        rest = rest[said.end():].strip(" ,")  # "sebenarnya lokasinya di desa puri": "desa puri"
    return rest or text.strip()


# Words that open a place without being part of it: "sebenarnya lokasinya di …", "actually it's in …", "it's in …",
# "alamatnya …" (twenty-ninth trial: kept in the complaint's place)
_SAYS_PLACE_LEAD = re.compile(
    r"^(?:(?:sebenarnya|sebenernya|sebetulnya|sebenere|sakjane|actually|oh|eh|ehm|maaf|sorry|jadi)\b[\s,.!]*)*"
    r"(?:(?:lokasi|alamat|tempat|letak|posisi)(?:nya)?\s+(?:ada\s+)?di\s+|(?:lokasi|alamat|letak|posisi)nya\s+"
    r"(?:ada\s+|yaitu\s+)?|(?:lokasi|alamat)\s*:\s*|(?:it'?s|it\s+is|(?:the\s+)?(?:location|place|address)\s+is)\s+"
    r"(?:(?:in|at|on)\s+)?)?", re.IGNORECASE)
# "yes, in front of house number 12", "iya betul, depan masjid": the guessed place confirmed, with the spot in it.
_YES_AND_MORE = re.compile(r"^(?:ya|iya|iyo|yes|yep|yup|betul|benar|bener|leres|nggih|inggih|oke|ok)"
                           r"(?:\s+(?:betul|benar|bener|bnr|btl|bener2|pak|bu|kak|min|mas|mbak|that'?s right|correct))*"
                           r"(?:\s*[,.!:;-]+\s*|\s+)(?!(?:tapi|tp|but|bukan|salah|no|not)\b)(.+)$",
                           re.IGNORECASE | re.DOTALL)


# "tolong cepet ya pak", "sudah seminggu", "please hurry": urging, or how long it has been, which reads as a yes to
# "is it at …?" but says nothing of the place
_HURRY_OR_SINCE = re.compile(
    r"\b(?:cepet|cepetan|cepat|segera|secepatnya|buruan|hurry|asap|urgent)\b"
    r"|\b(?:sudah|udah|udh|sdh|dah|wis|already|been)\s+(?:\S+\s+)?(?:se(?:minggu|bulan|tahun|hari)\w*|"
    r"\d+\s+(?:hari|minggu|bulan|tahun|days?|weeks?|months?|years?)|lama\w*|berhari\w*|berminggu\w*|berbulan\w*|"
    r"weeks|months|ages)\b")


_PUZZLED = re.compile(r"\b(?:kurang|tidak|tdk|gak|ga|nggak|ngga|belum|ora|mboten)\s+(?:paham|ngerti|mengerti|faham|"
                      r"jelas|dong)\b|\bbingung\b|\bmaksud(?:nya)?\s+(?:\S+\s+)?(?:apa|gimana|bagaimana|gmn|piye)\b|"
                      r"\bwhat\s+do\s+you\s+mean\b|\bi\s+don'?t\s+understand\b")
PUZZLED_WORDS = 12


async def on_location(turn: Turn, draft: ComplaintDraft) -> None:
    text = turn.message.text.strip()
    if not text and not turn.message.location and keep_attachments(turn, draft):
        # a photo sent where the place is asked (thirty-first trial: "please describe the place more clearly"): kept
        # for the complaint, and the place asked again
        turn.say("photo_kept_place_asked")
        await ask_location(turn, draft)
        return
    if not turn.message.location and _plain(text) in _OTHER_WORDS:
        # "lainnya" (the topic list's "Other") typed where the place is asked: the topic was not the one meant
        await ask_topic_choice(turn, draft)
        return
    if not turn.message.location and await privacy_wish(turn, draft):
        await ask_location(turn, draft)
        return
    if (not turn.message.location and (early := _early_privacy(text) or _bare_privacy(text)) == "publik"
            and location_problem(text) is None):
        # "public gpp" where the place is asked (forty-second trial: kept as the place): the identity choice, said
        # early, and the place asked again ("public" alone is told the choice comes in a moment, and "rahasia saja
        # ya pak" both ways to stay unnamed, below)
        draft.early_privacy = early
        turn.say("later_privacy_noted", privacy=turn.t(f"privacy_{early}"))
        await ask_location(turn, draft)
        return
    if (not turn.message.location and len(text.split()) <= PUZZLED_WORDS and _PUZZLED.search(u.plain(text))
            and not place_in_text(text)):
        # "maksudnya lokasi gimana? saya kurang paham" (thirty-sixth trial: "that is no place yet"): what is asked
        turn.say("place_explained")
        await ask_location(turn, draft)
        return
    guess = turn.state.get(PLACE_GUESS_KEY)
    if (not turn.message.location and aside_kind(text) in ("how_long", "free", "privacy", "why_place", "why_photo",
                                                           "how_place")
            and await answer_aside(turn)):
        return  # "wait, what happens after I send this?": answered, then the place asked again
    if (not turn.message.location and u.is_question(text) and not_a_place(text) is None and not place_in_text(text)
            and not _SPOT.search(u.plain(text)) and await answer_aside(turn, any_question=True)):
        # "nanti yg dateng petugas dari mana ya?": no yes to the place guessed, nor a place ("lho kok ga bisa sih?"
        # is told below that it names no place)
        return
    more = _YES_AND_MORE.match(text) if guess and not turn.message.location else None
    # "ya bener, depan SDN 2 sooko" reads as a yes too, but names the spot: kept with the place ("ya betul pak,
    # terima kasih" names none, and is the yes)
    spot_named = bool(more and len(more.group(1).split()) >= 2 and not_a_place(more.group(1)) is None
                      and (not is_yes(turn) or _PLACE_WORDS.search(u.plain(more.group(1)))))
    if (guess and not turn.message.location and _plain(text) not in YES_WORDS and u.code_of(text) is None
            and _HURRY_OR_SINCE.search(u.plain(text)) and not place_in_text(text) and not more):
        # "tolong cepet ya pak, sudah seminggu" to "is it at desa puri?": more of the report, no yes to the place
        draft.text = f"{draft.text}\n{text}".strip()[:4000]
        turn.say("detail_added")
        await ask_location(turn, draft)
        return
    if guess and not turn.message.location and is_yes(turn) and not spot_named:  # the report's place, confirmed
        turn.state.pop(PLACE_GUESS_KEY, None)
        draft.location = Location(address=str(guess)).to_dict()
        keep_attachments(turn, draft)
        await ask_photo(turn, draft)
        return
    if more and spot_named:  # "ya, depan rumah no 12": the place named, and the spot in it
        turn.state.pop(PLACE_GUESS_KEY, None)
        spot = shorten(without_krama_lead(more.group(1)), 300)
        # "ya, di Dusun Krajan RT 03": a village or hamlet of its own is the fuller place; a spot keeps the guess
        draft.location = (Location(address=spot) if nearby.village_names({"address": spot})
                          else Location(name=spot, address=str(guess))).to_dict()
        keep_attachments(turn, draft)
        await ask_photo(turn, draft)
        return
    pin = turn.message.location or Location.from_text(text)  # a shared pin, or coordinates typed or pasted
    if pin:
        if guess and not pin.address and not pin.name:
            pin = dataclasses.replace(pin, address=str(guess))  # the pin, and the place the report names in words
        draft.location = pin.to_dict()
        keep_attachments(turn, draft)
        await ask_photo(turn, draft)
        return
    if map_link(text):  # "ini lokasinya https://maps.app.goo.gl/…": the link, with any words beyond the lead
        draft.location = (Location(name=place_of_link(text), address=str(guess)) if guess
                          else Location(address=place_of_link(text))).to_dict()
        turn.state.pop(PLACE_GUESS_KEY, None)
        keep_attachments(turn, draft)
        await ask_photo(turn, draft)
        return
    if location_already_given(text) and len(draft.text.split()) >= MIN_COMPLAINT_WORDS:
        draft.location = Location(address=turn.t("location_in_description")).to_dict()
        keep_attachments(turn, draft)
        turn.say("location_in_description_ok")
        await ask_photo(turn, draft)
        return
    if await _topic_change_at_location(turn, draft, text):
        return
    if place_later(text):  # "alamat persisnya belum tahu, nanti saya tanya pak RT dulu": no place, and none guessed
        draft.place_later = True
        keep_attachments(turn, draft)
        draft.save(turn.state)
        turn.say("location_later")
        return
    if _AS_ON_ID.search(u.plain(text)) and len(text.split()) <= AS_ON_ID_WORDS:
        # "sama seperti alamat di ktp saya" (forty-first trial: kept as the place): the ID card's address is not
        # known here
        draft.save(turn.state)
        turn.say("place_not_from_id")
        return
    if await _same_place_as_before(turn, draft, text):
        return
    if await _words_instead_of_place(turn, draft, text):
        return
    problem = location_problem(text) if not text.startswith("/") else "complaint_location_too_short"
    if problem:
        keep_attachments(turn, draft)
        draft.save(turn.state)
        turn.say(problem)
        return
    if (split := _place_then_detail(text)) is not None:
        # "di desa sooko pak, dekat masjid, itu lubangnya sudah bikin 2 orang jatuh minggu lalu" (forty-first trial:
        # all of it kept as the place): the place, and the rest added to the report
        text, detail = split
        draft.text = f"{draft.text}\n{detail}".strip()[:4000]
        turn.say("detail_added")
    typed = shorten(without_krama_lead(text), 300)
    if guess and nearby.village_names({"address": str(guess)}) and not nearby.village_names({"address": typed}):
        # "depan SD negeri 1" typed after the report named "desa Sooko": the typed spot, in the village named
        draft.location = Location(name=typed, address=str(guess)).to_dict()
    else:
        draft.location = Location(address=typed).to_dict()
    turn.state.pop(PLACE_GUESS_KEY, None)
    keep_attachments(turn, draft)
    await ask_photo(turn, draft)


# "sama seperti alamat di ktp saya", "sesuai ktp", "same as on my ID card": a place the service cannot see
_AS_ON_ID = re.compile(r"\b(?:alamat|domisili)\s+(?:\S+\s+){0,2}?(?:ktp|kk|e-?ktp)\b|\b(?:sesuai|seperti|sama\s+dengan|"
                       r"sama\s+seperti|kayak)\s+(?:\S+\s+){0,2}?(?:ktp|kk)\b|\b(?:on|in)\s+my\s+(?:id|ktp)\b")
AS_ON_ID_WORDS = 10
# After the place, words of the matter: "…, itu lubangnya sudah bikin 2 orang jatuh", "…, sudah 3 bulan rusak"
_DETAIL_CLAUSE = re.compile(r"\b(?:jatuh|kecelakaan|korban|celaka|bahaya|berbahaya|sejak|berbulan\w*|bertahun\w*|parah|"
                            r"makin|semakin|tolong|mohon|segera|lubangnya|rusaknya|airnya|sampahnya|baunya)\b"
                            r"|\b(?:sudah|udah|sdh)\s+(?:\d+|se\w+|lama)\b")


def _place_then_detail(text: str) -> tuple[str, str] | None:
    """The place typed first, then (after a comma or full stop) words of the matter: (place, those words); None when
    no clause after the first tells of the matter."""
    parts = [p.strip() for p in re.split(r"[,.;]\s+", text) if p.strip()]
    for at in range(1, len(parts)):
        clause = u.plain(parts[at])
        if (_DETAIL_CLAUSE.search(clause) or _PROBLEM_WORDS_IN_PLACE.search(clause)) and len(clause.split()) >= 3:
            place, detail = ", ".join(parts[:at]), ", ".join(parts[at:])
            return (place, detail) if len(place.split()) >= 2 else None
    return None


# "belum tahu alamatnya", "nanti saya kabari lokasinya", "saya tanya pak RT dulu", "mboten ngertos alamate, mengko tak
# takon pak RT", "I'm not sure of the exact address, I'll ask my neighbour": the resident does not know the place yet.
_PLACE_UNKNOWN = re.compile(
    r"\b(?:belum|blm|tidak|tdk|gak|ga|gk|nggak|ngga|enggak|ndak|kurang|mboten|ora|durung|dereng)\s+(?:\S+\s+)?"
    r"(?:tahu|tau|ngerti|ngertos|hafal|apal|yakin|pasti|jelas)\b"
    r"|\b(?:nanti|ntar|nanti2|mengko|sesuk)\s+(?:saya\s+|sy\s+|aku\s+|kami\s+|tak\s+|kula\s+)?(?:kabari\w*|kabar\w*|"
    r"kasih\s+(?:tau|tahu)|infokan|info\w*|kirim\w*|beritahu\w*|beri\s+tahu|susul\w*|takon\w*|tanya\w*|cek|lihat|liat)\b"
    r"|\b(?:tanya|tanyakan|nanya|tanyain|cek|lihat|liat|takon|takonke|nyari|cari)\s+(?:\S+\s+){0,3}?(?:dulu|dulu\s+ya|disik|"
    r"rumiyin)\b"
    r"|\b(?:not\s+sure|don'?t\s+know|do\s+not\s+know|no\s+idea)\b(?:\s+\S+){0,4}\s+(?:address|location|place|where)\b"
    r"|\b(?:get\s+back\s+to\s+you|let\s+you\s+know\s+later|ask\s+(?:my|the|a)\s+\w+\s+(?:first|and))\b"
    # "boleh saya kirim lokasi nanti saja? sekarang lagi di jalan", "lokasinya nyusul" (thirty-second trial: kept as
    # the place)
    r"|\b(?:kirim\w*|kasih|share|send)\s+(?:\S+\s+)?(?:lokasi\w*|alamat\w*|location|address)\s+(?:\S+\s+)?"
    r"(?:nanti|ntar|besok|belakangan|nyusul|menyusul|later)\b"
    r"|\b(?:lokasi|alamat)(?:nya)?\s+(?:nanti|ntar|nyusul|menyusul|belakangan|susulan)\b")
# "lagi di jalan", "masih di perjalanan", "on the way": where the resident is now, not the place of the complaint
_ON_THE_WAY = re.compile(r"\b(?:lagi|lg|sedang|sdg|masih|msh)\s+(?:di\s+)?(?:jalan|perjalanan|luar|kerja)\b"
                         r"|\bon\s+the\s+(?:road|way|move)\b", re.I)
# The people asked about the place, no part of it: "pak RT", "ketua RW", "pak kades", "my neighbour".
_ASKED_PERSON = re.compile(r"\b(?:pak|bu|bapak|ibu|ketua|pengurus|mbah|kang|mas)\s+(?:rt|rw|kades|lurah|kadus|"
                           r"kepala\s+desa|dukuh|kamituwo|bayan)\b|\b(?:my|the)\s+(?:neighbou?r|neighbou?rs|rt\s+head|village\s+head)\b",
                           re.I)


def place_later(text: str) -> bool:
    """Words at the place question that say the place is not known yet (and name none beside the person asked):
    "tidak tahu persisnya, sekitar Rancaekek" names one and is a place."""
    low = u.plain(text)
    if not low or not _PLACE_UNKNOWN.search(low):
        return False
    if _PHOTO_WORD.search(low) and not _PLACE_ASKED.search(low):
        return False  # "nanti saya kirim fotonya": the photo comes later, which the place question answers itself
    without_person = _ON_THE_WAY.sub(" ", _ASKED_PERSON.sub(" ", text))
    rest = u.plain(without_person)
    return not (_SPOT.search(rest) or _AROUND.search(rest) or place_in_text(without_person)
                or _by_landmark(without_person))


_PLACE_ASKED = re.compile(r"\b(?:alamat\w*|lokasi\w*|tempat\w*|letak\w*|panggon\w*|address|location|place|where)\b")
# "sekitar Rancaekek", "daerah ciwidey", "around the market": a place named loosely is still a place
_AROUND = re.compile(r"\b(?:sekitar|sekitaran|daerah|wilayah|kawasan|area|arah|around|somewhere\s+in)\s+"
                     r"(?!(?:sini|situ|sana|rumah|sana|situ)\b)[a-z]{3,}")


# Where the place is asked, words that name none: "saya mau ngomong langsung sama pak bupati", "no foto", "ok makasih,
# lanjut yg tadi", "kok lama banget sih", "masih pak tapi pelan2". A place looks like one: the names place_in_text
# finds, a spot by a landmark, a usual kind of spot ("rumah pak RT", "sawah"), or "di" and a name ("di sooko").
_SPOT = re.compile(
    r"\b(?:desa|ds|dusun|dsn|kelurahan|kel|kecamatan|kec|kampung|dukuh|perum|perumahan|jalan|jl|jln|gang|gg|rt|rw|"
    r"blok|rumah|sawah|ladang|kebun|lapangan|makam|kuburan|sungai|kali|jembatan|perempatan|pertigaan|tikungan|"
    r"alun|stasiun|terminal|puskesmas|rsud|toko|warung|indomaret|alfamart|masjid|mushola|musholla|musala|langgar|"
    r"gereja|pabrik|pasar|sekolah|sdn?|smpn?|sman?|smkn?|balai|kantor|gapura|bundaran|tps|spbu|pom|ruko|kios|"
    r"street|road|village|market|school|mosque|bridge|junction|house|home|shop|church|field|river|office|"
    r"hospital|park|corner)(?:nya|s)?\b"
    r"|\b(?:di|dkt|deket|dekat|near|at|in)\s+(?!(?:sini|situ|sana|atas|mana|rumah|telpon|telepon|wa)\b)[a-z]{3,}")
_REGENT_NAMED = re.compile(r"\b(?:bupati|wali\s?kota|walkot|regent|mayor)\b")
# "ok makasih, lanjut yg tadi", "lanjut", "terima kasih pak": thanks, or go on, and nothing else.
_GO_ON = frozenset("ok oke okay okey sip baik siap makasih makasi mksh terima kasih thanks thank you thx tq trims "
                   "suwun nuwun matur lanjut lanjutkan lanjutin terus continue go on yg yang tadi sebelumnya pak bu "
                   "kak min mas mbak ya iya deh aja saja dong the one earlier".split())
_GO_ON_SAID = re.compile(r"\b(?:makasih|makasi|mksh|terima kasih|thanks|thank|thx|tq|trims|suwun|nuwun|lanjut\w*|"
                         r"terus|continue|go on)\b")
# "kok lama banget sih", "bot ga guna", "ribet amat": about the bot, not the place.
_IMPATIENT = re.compile(r"\b(?:lama|lemot|lambat|ribet|ruwet|bertele|muter muter|slow|bot|robot|mesin|goblok|bodoh|"
                        r"ga guna|gak guna|nggak guna|useless)\b")
# Words of a sentence to the bot ("saya mau …", "masih pak tapi …", "I'll …"), which a bare place name has none of.
_CHAT = re.compile(r"\b(?:saya|sy|aku|gw|gue|kami|mau|ingin|pengen|kok|sih|banget|bgt|gimana|gmn|kenapa|knp|tolong|"
                   r"tapi|tp|masih|pokoknya|ngomong|bicara|telpon|telepon|nelpon|i|i'll|i'm|my|want|will|call|please)\b")


def not_a_place(text: str) -> str | None:
    """What a message typed where the place is asked says instead of a place, as the kind of reply it gets
    ("regent", "photo", "go_on", "impatient", "chat"), or None when it may be a place."""
    low = u.plain(text)
    if not low or _SPOT.search(low) or place_in_text(text) or _by_landmark(text):
        return None
    if _REGENT_NAMED.search(low):
        return "regent"
    if _PHOTO_WORD.search(low):
        return "photo"
    if _GO_ON_SAID.search(low) and all(w in _GO_ON for w in low.split()):
        return "go_on"
    if _IMPATIENT.search(low):
        return "impatient"
    return "chat" if _CHAT.search(low) else None


async def _words_instead_of_place(turn: Turn, draft: ComplaintDraft, text: str) -> bool:
    """Words that name no place where it is asked: never kept as the place. The regent is one tap away, "no photo"
    is kept for the photo step, an apology for the wait; then the place is asked again."""
    kind = not_a_place(text)
    if kind is None:
        return False
    keep_attachments(turn, draft)
    if kind == "regent":
        turn.say("location_regent_hint", [turn.button("menu_regent", "/bupati")])
    elif kind == "photo" and says_no_photo(text):
        draft.no_photo = True
        turn.say("later_no_photo_noted")
    elif kind == "photo":
        turn.say("location_photo_next")
    elif kind == "impatient":
        turn.say("location_sorry_wait")
    elif kind == "chat":
        turn.say("complaint_location_not_a_place")
        draft.save(turn.state)
        return True
    await ask_location(turn, draft)
    return True


# At the location step, words about the topic chosen, not a place: "ganti topik", "salah kategori", "change topic",
# "wait no i meant the first one, street lights", "maksud saya yang kedua".
_TOPIC_CHANGE = re.compile(
    r"\b(?:ganti|ubah|change|salah|wrong|keliru)\s+(?:the\s+)?(?:topik|topiknya|kategori|kategorinya|topic|category|"
    r"dinas|dinasnya|agency|opd)\b|\b(?:i\s+)?meant\s+the\s+(?:first|second|third|other)\b|"
    r"\bmaksud(?:nya|\s+saya|\s+sy|\s+aku)?\s+(?:yang|yg)\s+(?:pertama|kedua|ketiga|lain)\b|"
    r"\bbukan\s+(?:topik|kategori|dinas)(?:nya)?\s+(?:itu|ini)\b")
_LIST_PLACES = {"first": 0, "pertama": 0, "second": 1, "kedua": 1, "third": 2, "ketiga": 2}


async def _topic_change_at_location(turn: Turn, draft: ComplaintDraft, text: str) -> bool:
    """"ganti topik", "wait no i meant the first one" typed where the place is asked: back to the topic, or straight
    to the one named by its place in the list just shown; never kept as the place."""
    if await _take_corrected_topic(turn, draft):  # "eh gk jadi, yg tadi aja pohon"
        return True
    low = u.plain(text)
    if (not draft.topic and len(low.split()) <= TOPIC_AT_PLACE_WORDS and not place_in_text(text)
            and not _PLACE_WORDS.search(low) and privacy_in(text) is None  # ("publik": no Wi-Fi)
            and low not in YES_WORDS | NO_WORDS | SKIP_WORDS | _GO_ON_WORDS and not is_yes(turn)
            and len(found := match_topics(turn, text)) == 1
            and _words(text) and all(any(_similar(w, n) for n in _words(topic_name(turn, found[0]).replace("/", " ")))
                                     for w in _words(text))):
        # "bukan" to the likely topics (so staff were to choose), then "saluran air" where the place is asked
        # (thirty-eighth trial: kept as the place): the topic, named after all; the place asked again
        _choose(turn, draft, found[0])
        turn.say("topic_taken", topic=topic_name(turn, draft.topic), opd=opd_name(turn, draft.opd))
        await ask_location(turn, draft)
        return True
    if len(low.split()) > 12 or not _TOPIC_CHANGE.search(low):
        return False
    choices = [str(c) for c in turn.state.get("choices") or [] if str(c) in turn.directory.routing]
    place = next((_LIST_PLACES[w] for w in low.split() if w in _LIST_PLACES), None)
    keep_attachments(turn, draft)
    if place is not None and place < len(choices):
        _choose(turn, draft, choices[place])
        turn.say("topic_taken", topic=topic_name(turn, draft.topic), opd=opd_name(turn, draft.opd))
        await ask_location(turn, draft)
        return True
    await ask_topic_choice(turn, draft, choices or None)
    return True


TOPIC_AT_PLACE_WORDS = 4
_NO_PHOTO = re.compile(
    # Sundanese too: "teu aya poto", "henteu gaduh fotona"
    r"^(?:\S+\s+){0,2}(?:tidak|tdk|gak|ga|gk|nggak|ngga|enggak|ndak|belum|blm|no|don'?t|do not|mboten|ora|ra|dereng|"
    r"teu|henteu|hente|acan)"
    r"\s+(?:\S+\s+)?(?:ada|punya|bisa|sempat|have|got|wonten|enten|duwe|gadah|gadhah|nggadahi|ndue|nduwe|ono|ana|aya|"
    r"boga|gaduh)\b|"
    r"\btanpa foto\b|\bno (?:photo|picture|foto|gambar)s?\b|"
    r"^(?:gaada|gada|gapunya|ndak ada|nggak punya)\b|"
    # "g ad", "gk ad", "tdk ad" typed short, as on SMS (thirty-sixth trial: "please send the photo")
    r"^(?:g|ga|gk|gak|tdk|tak|ngga|nggak)\s+(?:ad|ada|pny|pnya|punya)$|"
    # "ga jadi deh, fotonya gelap" after "tunggu, saya mau tambah foto" (thirty-seventh trial: "send the photo")
    r"^(?:eh\s+)?(?:ga|gak|gk|nggak|ngga|tidak|tdk|ndak|nda)\s+jadi(?:\s+(?:deh|aja|saja|ah|dulu))*"
    r"\s+(?:foto\w*|potone|motret|difoto)\b.*$|"
    r"^(?:eh\s+)?(?:ga|gak|gk|nggak|ngga|tidak|tdk|ndak|nda)\s+jadi(?:\s+(?:deh|aja|saja|ah))*\s+\S*(?:foto|gelap|"
    r"buram|blur|jelek)\w*\b"
)


# After a photo: "udah itu aja", "sudah cukup", "itu saja pak", "that's all": no more photos.
# "udah", "sudah pak" alone say the same once a photo came.
_ENOUGH = re.compile(
    r"^(?:(?:(?:udah|udh|sudah|sdh|dah|wis|uwis)\s+)?(?:itu\s+|ini\s+)?(?:aja|saja|cukup|semua|tok|thok)"
    r"|udah|udh|sudah|sdh|dah|wis|uwis|sampun)"
    r"(?:\s+(?:pak|bu|kak|min|ya|deh|fotonya|foto|dulu|kok|sih|itu|nggih))*$"
    r"|^(?:that'?s all|that is all|that'?s it|done|enough|finished|all done|i'?m done)$"
)


# Around a skip: "ya wis lewati", "lewati aja pak", "yaudah skip".
_THATS_ALL = re.compile(r"\b(?:aja|saja|cukup|tok|thok|that'?s all|that is all|that'?s it|enough)\b")
_SKIP_FILLERS = _ORDINAL_FILLER | {"iya", "yaudah", "yawis", "wis", "udah", "udh", "sudah", "ok", "oke", "dulu", "just"}


def _skips(text: str) -> bool:
    low = _plain(text)
    return low in SKIP_WORDS or " ".join(w for w in low.split() if w not in _SKIP_FILLERS) in SKIP_WORDS


def says_no_photo(text: str, last_sentence: bool = False) -> bool:
    """'tidak ada foto', 'gak punya fotonya', 'belum sempat foto', 'I don't have a photo': no photo to send (with
    `last_sentence`, said at the end of a longer message: "lho jd blm kekirim to? ya udh gak ada foto")."""
    texts = [text]
    if last_sentence:
        clauses = re.split(r"[?.!,;]+", text.strip().rstrip("?.!, "))
        last = clauses[-1]
        texts.append(re.sub(r"^\s*(?:ya|iya|yaudah|ya udah|ya udh|udah|udh|ok|oke)\b[\s,]*", "", last.strip(),
                            flags=re.I))
        # "maaf baru balas, ini fotonya nggak ada, langsung kirim aja": a clause about the photo, anywhere
        texts += [c for c in clauses[:-1] if _PHOTO_WORD.search(u.plain(c))]
    return any(len(low.split()) <= 8 and bool(_NO_PHOTO.search(low)) for low in map(u.plain, texts))


PLACE_ONLY_WORDS = 10


def place_only(turn: Turn, text: str) -> bool:
    """"dusun krajan desa sukamaju", "di RT 3 dekat masjid": a place and nothing of what is wrong there."""
    low = u.plain(text)
    rest = " ".join(w for w in low.split() if w not in _PLACE_TOKENS)  # "desa" names no topic ("Dana desa") here
    return (len(low.split()) <= PLACE_ONLY_WORDS and not u.is_question(text) and not PROBLEM_WORDS.search(low)
            and bool(place_in_text(text)) and not (rest and match_topics(turn, rest)))


_PLACE_TOKENS = frozenset("di ke desa ds dusun dsn kelurahan kel kecamatan kec kampung kp dukuh rt rw gang gg jalan jl "
                          "jln perum perumahan blok dekat depan samping belakang sebelah".split())


# "fotonya nanti saya kirim ya", "fotonya nyusul", "I have a photo but I'll send it later": the photo comes after the
# complaint is sent (a photo sent then goes to the ticket: bot/dialogue.py _photo_for_ticket)
_LATER = re.compile(r"\b(?:nanti|ntar|entar|nti|nyusul|menyusul|susulan|belakangan|besok|mengko|mangke|later|"
                    r"afterwards|tomorrow)\b")
_SEND_OR_TAKE = re.compile(r"\b(?:kirim\w*|dikirim|ngirim|send|sent|foto|fotonya|photo|picture|nyusul|menyusul|"
                           r"susulan|ambil|motret|dipotret|difoto|take)\b")


def photo_later(text: str) -> bool:
    """A short promise of the photo for later, or asking whether it may come later ("can I add a photo later?",
    thirty-first trial: "cannot answer that here"); not another question about sending one, nor a "no photo"."""
    low = u.plain(text)
    return (len(low.split()) <= 12 and bool(_LATER.search(low)) and bool(_SEND_OR_TAKE.search(low))
            and not says_no_photo(text) and (not u.is_question(text) or bool(_MAY.search(low))))


_MAY = re.compile(r"^(?:\S+\s+){0,2}?(?:bisa|boleh|bisakah|bolehkah|can|could|may)\b")


_BUT = re.compile(r"\b(?:tapi|tp|tetapi|melainkan|namun|harusnya|seharusnya|but|instead|should be)\b", re.I)
# "bukan desa puri tp desa sooko", "bukan di puri, di desa sooko", "di desa sooko ding, bukan puri": the place said to
# be wrong, up to the next comma or turn of phrase; the rest names the right one.
_NOT_THERE = re.compile(r"\b(?:bukan|bkn|not)\s+(?:(?:di|ke|in|at)\s+)?[^,;.]*?(?=\s*(?:[,;.]|\b(?:tapi|tp|tetapi|"
                        r"melainkan|namun|but)\b|$))", re.I)
# Words that close a spoken correction ("di desa sooko ding", "desa sooko pak"), no part of the place.
_CLOSING_WORDS = re.compile(r"(?:[\s,]+(?:ding|deng|dink|deh|dong|kok|lho|loh|to|toh|ya|yah|pak|bu|kak|min|mas|mbak|"
                            r"sih|aja|saja|tp|tapi))+$", re.I)
CORRECTION_WORDS = 15
CORRECTION_NLU_WORDS = 8  # a correction naming its topic in other words is routed by the NLU up to this long
CORRECTION_KEPT_WORDS = 6  # a topic correction this long that tells what is wrong is kept in the description


def _without_wrong_place(text: str) -> str:
    """The correction without the place it says is wrong ("eh salah, bukan desa puri tp desa sooko" -> "eh salah,
    tp desa sooko")."""
    return _NOT_THERE.sub(" ", text)


def names_other_place(text: str, before: str | None = None) -> bool:
    """"eh salah, bukan desa puri tp desa sooko", "maaf pak bukan di puri, di desa sooko": a short message that
    turns one place down and names another. With the place given `before`, the one turned down is in it ("foto
    jalan di desa sooko, bukan jalan kabupaten" turns down no place)."""
    turned_down = " ".join(m.group(0) for m in _NOT_THERE.finditer(text))
    after_but = [m.end() for m in _BUT.finditer(text)]
    # ("… bukan di sooko tapi di japan": fortieth trial, the village named after "tapi" without "desa")
    named_after = bool(after_but) and bool(_AT_NAME.match(u.plain(text[after_but[-1]:])))
    if len(text.split()) > CORRECTION_WORDS or not turned_down or (
            place_in_text(_without_wrong_place(text)) is None and not named_after):
        return False
    names = {w for w in u.plain(turned_down).split()[1:] if len(w) >= 3 and w not in _PLACE_AREA | _PLACE_STOP}
    return before is None or bool(names & set(u.plain(before).split()))


# "eh lokasinya tambah rt 3 ya", "alamatnya ditambah: gang melati", "tambahkan rt 3 di lokasinya", "add RT 3 to the
# place": more of the place given, added to it
_MORE_PLACE = re.compile(
    r"\b(?:lokasi|lokasinya|alamat|alamatnya|tempat|tempatnya|place|address)\s+(?:di)?(?:tambah|tambahin|tambahkan|"
    r"ditambah|ditambahin|ditambahkan|lengkapnya)\s*:?\s+(?P<more>.+)$"
    r"|^(?:(?:eh|oh|pak|bu|tolong|mohon)\s+)*(?:tambah|tambahin|tambahkan|add)\s+(?P<more2>.+?)\s+(?:di|ke|pada|to)\s+"
    r"(?:lokasi|lokasinya|alamat|alamatnya|the\s+place|the\s+address)\b")
_MORE_PLACE_TAIL = re.compile(r"(?:\s+(?:ya|yah|ya\s+pak|pak|bu|min|dong|deh|please))+$")
MORE_PLACE_WORDS = 12


def _more_place(turn: Turn, draft: ComplaintDraft) -> bool:
    """More of the place at the summary, added to the place given (said so); False for anything else."""
    text = turn.message.text.strip()
    found = _MORE_PLACE.search(u.plain(text)) if len(text.split()) <= MORE_PLACE_WORDS else None
    given = Location.from_dict(draft.location)
    if found is None or given is None:
        return False
    more = _MORE_PLACE_TAIL.sub("", found.group("more") or found.group("more2") or "").strip(" .,")
    if not more:
        return False
    if given.address:
        given = dataclasses.replace(given, address=shorten(f"{given.address}, {more}", 300))
    else:
        given = dataclasses.replace(given, name=shorten(f"{given.name or ''}, {more}".strip(" ,"), 300))
    draft.location = given.to_dict()
    turn.say("complaint_place_changed", place=given.describe())
    return True


async def fix_place(turn: Turn, draft: ComplaintDraft, again: StepHandler) -> bool:
    """"the location is wrong, it's in Sooko village near the mosque", "lokasinya salah, di desa Sooko" at a later
    step: the place named there replaces the draft's and the step is asked again; without a place named, the
    location is asked again. False when the message corrects no place."""
    given = Location.from_dict(draft.location)
    if u.code_of(turn.message.text) or not fixes_place(turn.message.text, given.describe() if given else ""):
        return False
    text = _without_wrong_place(turn.message.text)
    # "bukan di Desa Sooko tapi di Desa Puri": the place after the turn of phrase is the right one
    turn_at = [m.end() for m in _BUT.finditer(text)]
    place = ((place_in_text(text[turn_at[-1]:]) if turn_at else None) or place_in_text(text) or _named_after_fix(text)
             or _right_place(text) or _soft_right_place(turn.message.text) or _place_is(turn.message.text))
    if place is None:
        draft.location = None
        await ask_location(turn, draft)
        return True
    # with what follows it ("... near the mosque"), not the words that close the sentence ("..., ding")
    place = shorten(_CLOSING_WORDS.sub("", text[text.find(place):].strip(" .,!")).strip(" .,!"), 300)
    before = Location.from_dict(draft.location)
    soft = (found := _RIGHT_PLACE.search(turn.message.text.strip())) is not None and found.group("soft")
    if before is not None and soft and (swapped := _swapped_word(turn.message.text, place, before.address or "")):
        place = swapped  # "sebenarnya di jalan mawar, bukan melati" after "jalan melati no 5 desa puri"
    elif before is not None and place == _place_is(turn.message.text):
        # "lokasinya sebelah utara pasar, bukan depan" after "depan pasar sooko": "sebelah utara pasar sooko"
        old = (before.address or "").split()
        last = place.split()[-1].lower()
        at = next((i for i, w in enumerate(old) if w.lower().strip(",.") == last), None)
        if at is not None and old[at + 1:]:
            place = f"{place} {' '.join(old[at + 1:])}"
    villages = nearby.village_names({"address": before.address or before.name or ""}) if before else set()
    if villages and not nearby.village_names({"address": place}):
        # "lokasinya salah, harusnya depan SDN 3" after "Desa Sooko RT 02, depan masjid": the new spot, in that village
        village = ", ".join(f"Desa {v.title()}" for v in sorted(villages))
        draft.location = Location(name=place, address=village).to_dict()
    else:
        draft.location = Location(address=place).to_dict()
    turn.say("complaint_place_changed", place=place)
    await again(turn, draft)
    return True


FINER_PLACE_WORDS = 8


def _finer_place(text: str, draft: ComplaintDraft) -> str | None:
    """A short message that is only a place holding every word of the draft's place and more ("desa puri rt 05"
    after "desa puri"): that fuller place; None otherwise."""
    given = Location.from_dict(draft.location)
    old = set(re.findall(r"[a-z0-9]+", u.plain(given.address or given.name or ""))) if given else set()
    if (not old or u.code_of(text) or len(text.split()) > FINER_PLACE_WORDS or u.is_question(text)
            or place_in_text(text) is None or _PROBLEM_WORDS_IN_PLACE.search(u.plain(text))):
        return None
    new = set(re.findall(r"[a-z0-9]+", u.plain(text)))
    return shorten(without_krama_lead(text.strip()), 300) if old < new else None


_PROBLEM_WORDS_IN_PLACE = re.compile(r"\b(?:rusak|mati|padam|bocor|banjir|sampah|lubang|berlubang|macet|tumbang|"
                                     r"ambles|longsor|bau|kotor|foto|photo|gambar)\b")


async def on_photo(turn: Turn, draft: ComplaintDraft) -> None:
    added = keep_attachments(turn, draft)
    if not added and await fix_place(turn, draft, ask_photo):
        return
    if not added and (finer := _finer_place(turn.message.text, draft)) is not None:
        # "desa puri rt 05" after "desa puri" was confirmed: the fuller place, and the photo asked again
        draft.location = Location(address=finer).to_dict()
        turn.say("complaint_place_changed", place=finer)
        await ask_photo(turn, draft)
        return
    if added:
        if len(draft.media) >= MAX_PHOTOS:
            await ask_privacy(turn, draft)
        else:
            await ask_photo(turn, draft)
    elif not draft.media and photo_later(turn.message.text):
        turn.say("photo_later_ok")  # "fotonya nyusul ya", "I'll send it later": after filing, into this chat
        await ask_privacy(turn, draft)
    elif (sendable := can_send_answer(turn, turn.message.text)) is not None:
        # "bisa kirim bukti video?" before its "boleh" reads as a yes (thirty-fourth trial: "boleh kirim video?" went
        # on to the identity question unanswered); "bisa tanpa foto?" is answered and goes on without one
        turn.say(sendable)
        await (ask_privacy(turn, draft) if sendable == "can_send_no_photo" else ask_photo(turn, draft))
    elif (not draft.media and turn.message.channel != "sms" and not u.code_of(turn.message.text)
          and _plain(turn.message.text) in _HAVE_PHOTO):
        # "ya", "ada", "yes" to "Ada foto pendukung?": there is one, so it is asked for (SMS cannot carry it)
        draft.save(turn.state)
        turn.say("photo_yes_send", [turn.button("skip", u.SKIP)])
        turn.say("how_to_send_photo")
    elif (u.code_of(turn.message.text) in (u.SKIP, u.NEXT) or _skips(turn.message.text) or is_yes(turn)
          or says_no_photo(turn.message.text, last_sentence=True) or says_send(turn.message.text)
          or (_ENOUGH.match(_plain(turn.message.text))
              and (draft.media or _THATS_ALL.search(_plain(turn.message.text))))):
        # "udah itu aja" with no photo sent: that is all there is, no photo (thirty-second trial: asked again)
        if not u.code_of(turn.message.text) and (privacy := _early_privacy(turn.message.text)):
            draft.early_privacy = privacy  # "gak ada foto pak, tapi nama saya jangan disebut ya" (forty-first trial)
        await ask_privacy(turn, draft)
    elif len(turn.message.text.split()) <= 4 and privacy_in(turn.message.text):
        await on_privacy(turn, draft)  # "publik" at the photo step: no (more) photos, and the next step's answer
    elif (link := _LINK.search(turn.message.text)) is not None and not draft.media:
        # "fotonya ada di sini https://drive.google.com/…" (thirty-eighth trial: "send the photo"): the link joins the
        # report for the officers, who can open it; a photo sent here is still better, and the step goes on
        draft.text = f"{draft.text}\n{link.group(0)}".strip()[:4000]
        turn.say("photo_link_kept")
        await ask_privacy(turn, draft)
    elif await added_detail(turn, draft):  # "oh iya, kemarin ada anak sekolah yang jatuh juga": more of the report
        await ask_photo(turn, draft)
    elif await privacy_wish(turn, draft):  # "tolong nama saya jangan ditampilkan ya": kept, and the photo asked again
        await ask_photo(turn, draft)
    elif await answer_aside(turn, any_question=True):  # "nanti yg dateng petugas dari mana ya?"
        pass
    elif not draft.media and _PHOTO_CLAIMED.search(_plain(turn.message.text)):
        # "sudah saya kirim fotonya tadi" with none received (thirty-fourth trial: "please send a photo"): it did not
        # arrive, how to send it again, and that it can follow later
        draft.save(turn.state)
        turn.say("photo_not_arrived", [turn.button("skip", u.SKIP)])
        turn.say("how_to_send_photo")
    elif _THANKS.match(_plain(turn.message.text)):
        # "hatur nuhun", "makasih" where the photo is asked (thirty-eighth trial: "send the photo"): not sent yet
        turn.say("draft_thanks_not_sent")
        await ask_photo(turn, draft)
    else:
        draft.save(turn.state)
        turn.say("complaint_photo_expected", [turn.button("skip", u.SKIP)])


_LINK = re.compile(r"https?://\S+", re.IGNORECASE)
# A link to a place on a map: Google Maps (long, short and old forms), Apple Maps, OpenStreetMap, Waze
_MAP_LINK = re.compile(r"(?:https?://)?(?:maps\.app\.goo\.gl|goo\.gl/maps|(?:www\.)?google\.[a-z.]+/maps|"
                       r"maps\.google\.[a-z.]+|maps\.apple\.com|(?:www\.)?openstreetmap\.org|(?:www\.)?waze\.com|"
                       r"share\.here\.com)\S*", re.IGNORECASE)
# "ini lokasinya", "lokasi:", "here is the location" before a map link
_LINK_LEAD = re.compile(r"^(?:(?:ini|itu|berikut|nih|this\s+is|here\s+is|here's)\s+)?(?:lokasi(?:nya)?|titik(?:nya)?|"
                        r"alamat(?:nya)?|maps(?:nya)?|the\s+location|location|the\s+place|link(?:nya)?)?\s*(?:ya|pak|bu|"
                        r"kak|min)?\s*[:,-]?\s*$", re.IGNORECASE)


def map_link(text: str) -> str | None:
    """The link to a place on a map the message holds ("ini lokasinya https://maps.app.goo.gl/…"), or None."""
    found = _MAP_LINK.search(text or "")
    return found.group(0) if found else None


def place_of_link(text: str) -> str:
    """A message with a map link as the place it gives: the link, and any words that are more than a lead ("ini
    lokasinya"): "https://goo.gl/maps/xyz dekat pasar sooko"."""
    found = _MAP_LINK.search(text)
    if found is None:
        return text.strip()
    before, after = text[: found.start()].strip(), text[found.end():].strip()
    words = " ".join(w for w in (before if not _LINK_LEAD.match(before) else "", after) if w)
    return shorten(f"{found.group(0)} {words}".strip(), 300)
_PHOTO_CLAIMED = re.compile(
    r"\b(?:sudah|udah|udh|sdh|dah|wis|uwis|barusan|tadi)\s+(?:saya\s+|sy\s+|aku\s+|tak\s+|ku\s+)?(?:kirim|dikirim|"
    r"kirimkan|ngirim|ngirim|upload|diupload|unggah|diunggah|lampirkan|dilampirkan|tak\s+kirim|kukirim|send|sent)\b"
    r"|\b(?:i\s+(?:already\s+)?sent|i'?ve\s+(?:already\s+)?sent|already\s+sent|just\s+sent)\b"
    r"|\b(?:fotonya|gambarnya|photo|picture)\s+(?:sudah|udah|udh|sdh|dah|is|was)\s+(?:saya\s+)?(?:kirim|dikirim|"
    r"masuk|terkirim|sent|uploaded)\b")


# (a bare "ya" or "iya" still goes on, as it always did: it is also how residents say "ok, next")
_HAVE_PHOTO = frozenset({"yes", "ada", "ada pak", "ada bu", "ya ada", "iya ada", "ada kok", "punya", "ada fotonya",
                         "yes i do", "yes i have", "i have", "i have one", "yes i have one", "nggih wonten", "wonten",
                         "ono", "ana", "wonten pak"})
_NEGATIONS = frozenset({"jangan", "tidak", "tdk", "gak", "ga", "nggak", "ndak", "bukan", "not", "no", "ojo", "ora"})


def privacy_in(text: str) -> str | None:
    """The privacy choice a message names: the button's code, a bare word ("anonim"), or the one choice named
    among other words ("publik aja gpp", "anonim aja ya"); none when two are named or the only one is negated
    ("jangan publik")."""
    low = _plain(text)
    choice = (u.code_of(low) or low).removeprefix(u.PRIVACY_PREFIX)
    for privacy, words in _PRIVACY_WORDS.items():
        if choice == privacy or choice in words:
            return privacy
    tokens = re.findall(r"[a-z]+", low)
    named = {privacy for i, token in enumerate(tokens) for privacy, words in _PRIVACY_WORDS.items()
             if token in words and not token.isdigit() and (i == 0 or tokens[i - 1] not in _NEGATIONS)}
    if len(named) == 1:
        return named.pop()
    if _NAMELESS.search(low):  # "tanpa nama aja", "without my name"
        return "anonim"
    if _NAME_HIDDEN.search(low):  # "nama saya disembunyikan", "ojo ditampilke", "hide my name"
        return "anonim"
    if _NAME_SHOWN.search(low):  # "nami kulo ditampilke mawon", "nama saya boleh ditampilkan", "show my name"
        return "publik"
    if _NAME_USED.search(low) and not _NOT_USED.search(low):
        return "publik"  # "pakai nama saya saja" (thirty-fourth trial: "choose a button")
    return None


# "pakai nama saya saja", "pake nama asli gpp", "use my name" (not "jangan pakai nama saya")
_NAME_USED = re.compile(r"\b(?:pakai|pake|pakek|gunakan|nganggo|ngangge|use)\s+(?:nama|jeneng|asma|my\s+(?:real\s+)?"
                        r"name)\s*(?:saya|sy|asli|ku|kula|aku|lengkap)?\b|\bnama\s+asli\b|\bmy\s+real\s+name\b")
_NOT_USED = re.compile(r"\b(?:jangan|jgn|tidak|tdk|gak|ga|nggak|ojo|ora|mboten|tanpa|don'?t|not|without)\s+(?:usah\s+)?"
                       r"(?:pakai|pake|pakek|gunakan|nganggo|ngangge|use|dengan|dgn|nama)\b")


_NAMELESS = re.compile(r"\b(?:tanpa|tanpo|without|no)\s+(?:my\s+)?(?:nama|name|identitas|jeneng)\b")
# "jenengku ojo disebut", "namaku jangan ditulis": the owner glued on too
_NAME = r"(?:nama|nami|jeneng|asma|identitas)(?:nya|ne|ku|e)?\s+(?:saya|sy|kulo|kula|aku|ku|kawula)?\s*"
_NAME_HIDDEN = re.compile(
    # krama puts "dipun" (and "sampun", "nyuwun") between: "asma kula dipun samarke mawon"
    rf"\b{_NAME}(?:(?:dipun|sampun|nyuwun|mohon|tolong|minta)\s+)*(?:(?:di)?sembunyi(?:kan|ke)?|(?:di)?rahasia(?:kan|ke)?|(?:di)?samar(?:kan|ke)?|diumpetke|"
    r"(?:jangan|jgn|ojo|ampun|tidak|tdk|gak|ga|ora|mboten)\s+(?:usah\s+)?(?:di)?(?:tampil|tampilkan|tampilke|"
    # "nama saya jangan dikasih tau ke petugas" (twenty-ninth trial: offered to the officer as more words)
    r"tulis|sebut|cantum|kasih\s+(?:tau|tahu|lihat|liat)|kasi\s+(?:tau|tahu)|beri\s*tahu|beritahukan|bocorkan)"
    # krama: "asma kula mboten usah dipunpirsani", "nami kulo ampun ketingal" (thirty-fifth trial: "choose a button")
    r"|(?:mboten|ampun|ojo|aja)\s+(?:usah\s+|perlu\s+)?(?:dipun\w+|dipirsan\w*|katingal\w*|ketingal\w*|kawruhan|"
    r"dingerten\w*|dingerteni))"
    r"|\b(?:hide|don'?t show) my name\b|"
    # "keep my name hidden please", "keep me anonymous" (thirty-sixth trial: "choose a button")
    r"\bkeep\s+(?:my\s+name|me|my\s+identity)\s+(?:hidden|secret|private|anonymous|confidential)\b|"
    # "saya tidak mau nama saya muncul tapi petugas boleh hubungi saya" (thirty-second trial: "choose a button")
    r"\b(?:tidak|tdk|gak|ga|nggak|ndak|ora|mboten)\s+(?:mau|ingin|pengen|usah)\s+(?:\S+\s+)?(?:nama|identitas|jeneng)"
    r"(?:nya|ku)?\s+(?:saya\s+|sy\s+|aku\s+)?(?:muncul|kelihatan|keliatan|terlihat|ketahuan|diketahui|(?:di)?tampil\w*|"
    r"(?:di)?sebut\w*)\b|\b" + _NAME + r"(?:jangan|jgn|tidak\s+boleh|gak\s+boleh|ojo)\s+(?:sampai\s+)?"
    r"(?:muncul|kelihatan|keliatan|terlihat|ketahuan)\b|"
    # the verb first: "ampun disebut asmane kulo", "jangan ditampilkan nama saya"
    r"\b(?:jangan|jgn|ojo|ampun|tidak|tdk|gak|ga|ora|mboten)\s+(?:usah\s+)?(?:di)?(?:tampil|sebut|tulis|cantum)\w*\s+"
    r"(?:nama|nami|jeneng|asma|identitas)")
_NAME_SHOWN = re.compile(
    rf"\b{_NAME}(?:boleh\s+|dipun\s+)?(?:di)?(?:tampil(?:kan|ke|aken)?|tulis|cantumkan|sebut(?:kan)?)\b"
    r"|\bshow my name\b|\b(?:my name|nama saya) (?:is )?(?:fine|ok|gpp|tidak apa)")


# "bisa kirim bukti video?", "boleh lampirkan pdf?", "can I send a video?": what can be sent here
_CAN_SEND = re.compile(
    r"\b(?:bisa|boleh|bisakah|bolehkah|apa\s+bisa|can|could|may)\b(?:\s+\S+){0,3}?\s+(?:kirim|mengirim|ngirim|kirimkan|"
    r"lampirkan|melampirkan|upload|unggah|send|attach|share)\w*\b(?:\s+\S+){0,3}?\s+(video|vidio|rekaman|foto|fotonya|"
    r"gambar|photo|photos|picture|pictures|pdf|dokumen|file|berkas|document|voice|vn|suara|"
    # "boleh kirim lokasi lewat google maps?" (thirty-fourth trial: offered to an office as a question)
    r"lokasi|lokasinya|location|titik|maps|peta|sharelok|shareloc|share\s+loc)\b"
    # "apakah bisa lapor tanpa foto?" (thirty-fourth trial: the privacy FAQ)
    r"|\b(?:bisa|boleh|bisakah|bolehkah|apa\s+bisa|can|could|may)\b(?:\s+\S+){0,3}?\s+(?:lapor|melapor|ngadu|mengadu|report|"
    r"complain|kirim|send)\w*\s+(?:\S+\s+)?(without|tanpa)\s+(?:\S+\s+)?(?:foto|fotonya|gambar|photos?|pictures?)\b"
    # "boleh lapor pakai voice note?", "kenapa tidak ada tombol untuk kirim lokasi?" (thirty-seventh trial: offered to
    # an office as a question, and complaint topics)
    r"|\b(?:lapor|melapor|ngadu|mengadu|report|complain)\w*\s+(?:\S+\s+)?(?:pakai|pake|lewat|dengan|dgn|via|using|by)\s+"
    r"(?:pesan\s+)?(voice|vn|suara|video|vidio|rekaman)\b"
    r"|\b(?:tombol|button|fitur|menu)\s+(?:\S+\s+){0,2}?(?:kirim|share|bagikan|send)\s+(lokasi|location|titik|sharelok)\b")
_SEND_KINDS = {"video": "video", "vidio": "video", "rekaman": "video", "pdf": "document", "dokumen": "document",
               "file": "document", "berkas": "document", "document": "document", "voice": "voice", "vn": "voice",
               "suara": "voice", "lokasi": "location", "lokasinya": "location", "location": "location",
               "titik": "location", "maps": "location", "peta": "location", "sharelok": "location",
               "shareloc": "location", "share loc": "location", "tanpa": "no_photo", "without": "no_photo"}


CAN_SEND_WORDS = 16


def can_send_answer(turn: Turn, text: str) -> str | None:
    """The text key that answers "bisa kirim bukti video?": photos yes, videos and files not (yet), voice notes
    transcribed. None when the message asks nothing of the kind."""
    low = u.plain(text)
    found = _CAN_SEND.search(low) if len(low.split()) <= CAN_SEND_WORDS and u.is_question(text) else None
    if found is None:
        return None
    kind = _SEND_KINDS.get(found.group(1) or found.group(2) or found.group(3) or found.group(4), "photo")
    if kind == "voice" and not turn.services.settings.stt_url:  # no speech-to-text service: voice notes are not read
        kind = "voice_off_help" if _CANNOT_TYPE.search(low) else "voice_off"
    return f"can_send_{kind}"


def voice_help_key(turn: Turn) -> str:
    """What someone who cannot type (or see) is told of voice notes: read here, or not yet, and who can help."""
    return "can_send_voice" if turn.services.settings.stt_url else "can_send_voice_off_help"


def cannot_type(text: str) -> bool:
    return bool(_CANNOT_TYPE.search(u.plain(text)))


# "saya tidak bisa baca tulis, bisa kirim pesan suara?", "I can't type well": someone for whom typing is no way to
# report (thirty-first trial: told to type the message)
_CANNOT_TYPE = re.compile(
    r"\b(?:tidak|tdk|gak|ga|gk|nggak|ngga|enggak|ndak|belum|kurang|susah|sulit|ora|mboten)\s+(?:\S+\s+)?(?:bisa\s+|lancar\s+)?"
    r"(?:baca|membaca|nulis|menulis|tulis|ngetik|mengetik|ketik)\b|\bbuta\s+huruf\b"
    r"|\b(?:can'?t|cannot|can\s+not|unable\s+to)\s+(?:\S+\s+)?(?:read|write|type)\b")


def _privacy_changed(text: str, draft: ComplaintDraft) -> str | None:
    """Another identity choice named at the summary, in a short message ("eh jadi publik aja deh")."""
    low = u.plain(text)
    if len(low.split()) > PRIVACY_WISH_WORDS // 2 or low.isdigit():
        return None  # ("1" at the summary is no identity choice: thirty-second trial, it made the complaint public)
    privacy = "anonim" if name_hidden(low) else privacy_in(text)
    return privacy if privacy in PRIVACY_CHOICES and privacy != (draft.privacy or "publik") else None


# "lokasinya sama dengan aduan saya sebelumnya", "tempat yang sama", "same place as my last report"
_SAME_PLACE = re.compile(
    r"\b(?:sama|seperti|persis|kayak|kaya)\s+(?:\S+\s+){0,2}?(?:aduan|laporan|lapor|tiket|pengaduan)\w*\s+(?:saya\s+|sy\s+|"
    r"ku\s+)?(?:sebelumnya|kemarin|kemaren|yang\s+lalu|yg\s+lalu|tadi|yang\s+kemarin|yg\s+kemarin|pertama|lalu|"
    r"yang\s+tadi|yg\s+tadi|wingi)\b"
    r"|\b(?:lokasi|tempat|alamat)(?:nya)?\s+(?:yang\s+|yg\s+)?sama\b|\bdi\s+(?:tempat|lokasi)\s+(?:yang\s+|yg\s+)?sama\b"
    r"|\bsame\s+(?:place|location|spot|address)\b|\bas\s+(?:in\s+)?my\s+(?:last|previous|earlier)\s+(?:report|complaint)\b"
    # "sama seperti tadi lokasinya", "sama kayak yang tadi" (thirty-fifth trial: kept as the place, word for word)
    r"|^(?:\S+\s+){0,2}?(?:sama|persis)\s+(?:seperti|kayak|kaya|dengan|dgn)\s+(?:yang\s+|yg\s+)?(?:tadi|barusan|"
    r"sebelumnya|kemarin|kemaren)\b(?:\s+(?:lokasinya|tempatnya|alamatnya|pak|bu|min|ya|saja|aja))*\W*$"
    # Javanese: "panggone podo karo laporanku wingi", "papane sami kaliyan laporan kula"
    r"|\b(?:panggon|panggone|nggon|nggone|lokasine|papan|papane)\s+(?:\S+\s+)?(?:podo|padha|sami)\b")
SAME_PLACE_WORDS = 14


async def _same_place_as_before(turn: Turn, draft: ComplaintDraft, text: str) -> bool:
    """"lokasinya sama dengan aduan saya sebelumnya": the place of the resident's latest complaint that has one,
    said back, then the photo; nothing when they have none."""
    low = u.plain(text)
    if len(low.split()) > SAME_PLACE_WORDS or not _SAME_PLACE.search(low):
        return False
    earlier = next((t for t in await turn.store.recent_tickets(turn.identity.key, 5)
                    if t.location and t.kind == "aduan"), None)
    if earlier is None:
        return False
    draft.location = dict(earlier.location or {})
    keep_attachments(turn, draft)
    turn.say("same_place_taken", number=earlier.number, place=location_text(turn, earlier))
    await ask_photo(turn, draft)
    return True


# "jangan sampai kepala dinasnya tahu nama saya", "jangan ada yang tahu identitas saya": nobody is to know who it is
_NOT_KNOWN = re.compile(r"\b(?:jangan|jgn|ojo|ampun)\s+(?:sampai\s+|sampe\s+)?(?:\S+\s+){0,3}?(?:tahu|tau|ngerti|"
                        r"mengetahui|melihat|lihat|ngerti)\s+(?:nama|identitas|nomor|jeneng)\w*\s*(?:saya|sy|ku|kula|aku)?\b"
                        # "tolong jangan kasih tahu kades kalau saya yang lapor", "jangan sampai dia tahu saya yang
                        # melapor", "don't tell the village head it was me"
                        r"|\b(?:jangan|jgn|ojo|ampun)\s+(?:sampai\s+|sampe\s+)?(?:\S+\s+){0,2}?(?:kasih\s+tahu|kasih\s+tau|"
                        r"beritahu|beri\s+tahu|kabari|bilang|ngomong|tahu|tau|ngerti|dikandhani|dikasih\s+tahu)\s+"
                        r"(?:\S+\s+){0,3}?(?:kalau|kalo|klo|bahwa|nek|yen)?\s*(?:saya|sy|aku|kula)\s+(?:yang|yg|sing|ingkang)\s+"
                        r"(?:lapor|melapor|ngadu|mengadu|laporan|matur)\b|\bdon'?t\s+tell\s+(?:\S+\s+){0,4}?(?:it\s+was\s+me|i\s+reported)\b")


def name_hidden(low: str) -> bool:
    """"tanpa nama aja", "nama saya jangan ditampilkan", "hide my name", "jangan sampai kadisnya tahu nama saya"
    (plain text)."""
    return bool(_NAMELESS.search(low) or _NAME_HIDDEN.search(low) or _NOT_KNOWN.search(low))


def without_privacy_wish(text: str) -> str:
    """The words without the clauses that only ask for the name to be kept ("…, tapi jangan sampai kepala dinasnya
    tahu nama saya" -> "…")."""
    clauses = re.split(r"(?<=[,.;!?])\s+|\s+(?=(?:tapi|tetapi|namun|but)\b)", text.strip())
    kept = [c for c in clauses if not name_hidden(u.plain(c))]
    return " ".join(kept).strip(" ,.;")


PRIVACY_WISH_WORDS = 20


async def privacy_wish(turn: Turn, draft: ComplaintDraft) -> bool:
    """"tolong nama saya jangan ditampilkan ya" at the place or photo question: kept for the identity question (it is
    then taken, and said), and the question asked again."""
    low = u.plain(turn.message.text)
    if u.code_of(turn.message.text) or len(low.split()) > PRIVACY_WISH_WORDS or not name_hidden(low):
        return False
    draft.early_privacy = "anonim"
    turn.say("later_privacy_noted", privacy=turn.t("privacy_anonim"))
    return True


def _privacy_by_place(text: str) -> str | None:
    """The privacy button named by its place in the list ("nomor 2", "yg ketiga"), or None."""
    place = _place_in_list(_plain(text))
    return PRIVACY_CHOICES[int(place) - 1] if place.isdigit() and 1 <= int(place) <= len(PRIVACY_CHOICES) else None


# "eh tunggu, saya ada fotonya, bentar saya foto dulu", "fotonya nyusul ya", "wait, I have a photo": a photo coming
# after the photo step was passed
_PHOTO_COMING = re.compile(
    r"\b(?:ada|punya|nyusul|menyusul|mau kirim|saya kirim|sy kirim|tak kirim|tak kirime|ono|wonten)\s+(?:\S+\s+)?"
    r"(?:foto|fotonya|gambar|gambarnya|poto|potonya)\b|\b(?:foto|fotonya|gambarnya|poto|potonya)\s+(?:\S+\s+)?"
    r"(?:nyusul|menyusul|dulu|bentar|sebentar|nanti)\b|\b(?:saya|sy|aku) (?:foto|fotokan|fotoin) dulu\b"
    # "fotonya mau saya tambah" at the summary (thirty-second trial: the words were added to the complaint)
    r"|\b(?:foto|fotonya|gambar|gambarnya)\s+(?:mau\s+|ingin\s+)?(?:saya\s+|sy\s+)?(?:tambah\w*|tambahin|susulkan)\b"
    r"|\b(?:tambah|nambah|tambahin|tambahkan)\s+(?:\S+\s+)?(?:foto|fotonya|gambar)\b"
    r"|\bi(?:'ll|\s+will|\s+can|\s+do)?\s+(?:send|have|got|take)\s+(?:you\s+)?(?:a\s+|the\s+|one\s+)?(?:photo|picture|pic)")


async def _photo_after_its_step(turn: Turn, draft: ComplaintDraft, again: Callable[[Turn, ComplaintDraft],
                                                                                  Awaitable[None]]) -> bool:
    """A photo sent after the photo step (at the identity question or the summary) is attached, never dropped;
    words saying one is coming are told to send it here. The step is asked `again`; False for anything else."""
    if added := keep_attachments(turn, draft):
        draft.no_photo = False
        turn.say("photo_added_late", count=len(draft.media))
    elif _PHOTO_COMING.search(u.plain(turn.message.text)) and not says_no_photo(turn.message.text):
        if len(draft.media) >= MAX_PHOTOS:
            return False
        turn.say("photo_send_now")
    else:
        return False
    if added and (privacy := privacy_in(turn.message.text)) and turn.state.get("step") == "privacy":
        draft.privacy = privacy  # a caption that answers the question ("rahasia ya pak")
        await show_summary(turn, draft)
        return True
    await again(turn, draft)
    return True


async def on_privacy(turn: Turn, draft: ComplaintDraft) -> None:
    if await _photo_after_its_step(turn, draft, ask_privacy):
        return
    # first: "rahasia saja, alamat rumah saya jangan disebut" is a choice
    privacy = privacy_in(turn.message.text) or _privacy_by_place(turn.message.text)
    if not privacy and await fix_place(turn, draft, ask_privacy):
        return
    if privacy:
        draft.privacy = privacy
        await show_summary(turn, draft)
        return
    if await added_detail(turn, draft):  # "tambahan, lubangnya ada 3": more of the report, and the choice asked again
        await ask_privacy(turn, draft)
        return
    if _AFRAID_KNOWN.search(_plain(turn.message.text)):
        # "eh kok minta foto? saya gak mau ketahuan tetangga" (fortieth trial: "choose a button"): the choice that
        # keeps their name from everyone, said so
        draft.privacy = "anonim"
        turn.say("privacy_afraid_anonymous", privacy=turn.t("privacy_anonim"))
        await show_summary(turn, draft)
        return
    if not draft.media and (photo_later(turn.message.text) or says_no_photo(turn.message.text)):
        # "ini fotonya belum ada, besok aja" at the identity question (fortieth trial: "choose a button")
        turn.say("photo_later_ok" if _LATER.search(u.plain(turn.message.text)) else "privacy_step_no_photo")
        await ask_privacy(turn, draft)
        return
    if _UP_TO_YOU.match(_plain(turn.message.text)):
        # "terserah", "bebas aja pak", "up to you": the choice that keeps the resident's name out of public and still
        # lets the officer reach them
        draft.privacy = "rahasia"
        turn.say("privacy_chosen_for_you", privacy=turn.t("privacy_rahasia"))
        await show_summary(turn, draft)
        return
    if await _privacy_step_words(turn):
        await ask_privacy(turn, draft)
        return
    if await answer_aside(turn, any_question=True):  # "kalau sy gk ada di rumah gmn?"
        return
    turn.say("complaint_please_choose")
    await ask_privacy(turn, draft)


# "saya gak mau ketahuan tetangga", "takut ketahuan", "I don't want them to know it was me": afraid of being known
_AFRAID_KNOWN = re.compile(r"\b(?:gak|ga|gk|nggak|ngga|enggak|tidak|tdk|ndak|ogah|emoh|ora|mboten)\s+"
                           r"(?:mau\s+|pengen\s+|ingin\s+|pingin\s+|gelem\s+)?ketahuan\b|\b(?:takut|wedi|khawatir|kuatir|was\s+was)\s+"
                           r"(?:\S+\s+)?ketahuan\b|\bjangan\s+sampai\s+ketahuan\b|\b(?:don'?t|do\s+not)\s+want\s+(?:\S+\s+){0,3}?to\s+"
                           r"know\b")


# At the identity question (twenty-sixth trial: each got "Silakan pilih salah satu tombol" or "cannot answer that
# here"): "nama saya Budi Santoso" (the name kept for the officers to see, when public), "bedanya apa?" (the three
# choices explained), "NIK saya 3201…" (not needed, and better not sent).
_GIVEN_NAME = re.compile(r"^(?:nama\s+saya|nama\s+sy|namaku|nama\s+lengkap\s+saya|my\s+name\s+is|nami\s+kula|"
                         r"jenengku|jeneng\s+kula)\s*(?::|adalah|ialah)?\s+(?P<name>[^\W\d_][^\W\d_ .'’-]*"
                         r"(?:[ .'’-]+[^\W\d_]+){0,4})\W*$", re.IGNORECASE)
_PRIVACY_WHAT = re.compile(r"\b(?:beda|bedanya|perbedaan|perbedaannya|bedane|maksudnya|artinya|apa\s+itu|"
                           r"difference|what\s+do(?:es)?\s+(?:they|it|these|those)\s+mean|(?:pilih|milih)\s+(?:yang|yg)\s+"
                           r"mana|mana\s+yang\s+(?:lebih\s+)?(?:aman|baik|bagus)|which\s+(?:one\s+)?should)\b")
_ANY_PERSONAL_NUMBER = re.compile(r"(?<!\d)(?:\d[\s.-]?){10,16}(?!\d)")


async def _privacy_step_words(turn: Turn) -> bool:
    text = turn.message.text.strip()
    if (given := _GIVEN_NAME.match(text)) is not None and len(text.split()) <= 8:
        name = " ".join(w[:1].upper() + w[1:] for w in given.group("name").split())
        turn.identity.name = name
        if not any(i.key == turn.identity.key for i in turn.changes.identities):
            turn.changes.identities.append(turn.identity)
        turn.state[NAME_CHOSEN_KEY] = True  # (a chat profile name does not replace it)
        turn.say("privacy_name_noted", name=name)
        return True
    if _ANY_PERSONAL_NUMBER.search(text):
        turn.say("privacy_no_number")
        return True
    if _PRIVACY_WHAT.search(u.plain(text)) and len(text.split()) <= 12:
        turn.say("privacy_explained")
        return True
    return False


_UP_TO_YOU = re.compile(
    r"^(?:ya\s+|yaudah\s+|ya\s+udah\s+)?(?:terserah|serah|trserah|bebas|gimana\s+baiknya|mana\s+aja|apa\s+aja|"
    r"yang\s+mana\s+aja|yg\s+mana\s+aja|sak\s*karepmu|pripun\s+sae|manut|up\s+to\s+you|whatever|any|"
    r"i\s+don\s*t\s+mind|doesn\s*t\s+matter)\b(?:\s+\S+){0,4}$")


# "eh lokasinya salah", "alamatnya kurang tepat", "the place is wrong": the place needs changing (a place word
# and a word saying it is wrong; "ya, lokasinya sudah benar" is a yes).
_PLACE_FIX = re.compile(r"\b(?:lokasi|lokasinya|alamat|alamatnya|tempat|tempatnya|place|address|location)\b")
_WRONG = re.compile(r"\b(?:salah|keliru|ubah|ganti|kurang tepat|bukan|wrong|change|incorrect|harusnya|seharusnya)\b")


# At the summary, the description changed in words: "isinya mau ditambah: lubangnya 1 meter", "tambahan, sudah 2
# motor jatuh" (added), "isinya salah, mau saya ganti: lampu PJU 3 tiang mati" (replaced), "isinya mau saya ubah"
# (asked for the new text).
_TEXT_WORD = (r"(?:isi|isinya|uraian|uraiannya|keterangan|keterangannya|ceritanya|deskripsi|deskripsinya|laporannya|"
              r"aduannya|description|text)")
_TEXT_ADD = re.compile(
    _TEXT_WORD + r"\s+(?:(?:mau|ingin|saya|perlu|boleh|bisa|tolong)\s+){0,3}(?:di)?tambah(?:kan|in)?"
    r"(?:\s+(?:lagi|dong|ya|pak|bu))*"
    r"\s*[:,.-]?\s*(?P<rest>.*)$|^(?:add to (?:the )?description|add)\s*[:,-]?\s*(?P<rest2>.*)$"
)
_TEXT_REPLACE = re.compile(
    _TEXT_WORD + r"\s+(?:(?:salah|keliru|kurang tepat|mau|ingin|saya|perlu|tolong)[\s,]+){0,4}"
    r"(?:di)?(?:ganti|ubah|ralat|perbaiki|"
    r"revisi|koreksi)(?:\s+(?:jadi|menjadi|dengan|begini|sbb|sebagai berikut))*\s*[:,.-]?\s*(?P<rest>.*)$"
    r"|^(?:change|replace) (?:the )?(?:description|text)(?: to| with)?\s*[:,-]?\s*(?P<rest2>.*)$"
)


_TEXT_REPLACE_VERB_FIRST = re.compile(r"^(?:(?:eh|tolong|mohon|saya\s+mau|mau)\s+)*(?:ubah|ganti|ralat|revisi|koreksi|"
                                      r"perbaiki)\s+" + _TEXT_WORD
                                      # ("ubah isinya jadi air keruh sekali": no colon needed after "jadi")
                                      + r"(?:\s+(?:jadi|menjadi|dengan|begini)\s*[:,.-]?\s*|\s*[:,.-]\s*)")


_VAGUE_NEW_TEXT = frozenset({"yang baru", "yg baru", "berikut", "sbb", "ini", "yang ini", "begini", "yang benar",
                             "yg benar", "the new one"})
# "ubah isi", "ganti isinya", "edit uraian aduan", "change the description" with nothing after (thirty-ninth trial:
# "choose a button", and the new words next too): the new words are asked for
_TEXT_REPLACE_BARE = re.compile(r"^(?:(?:eh|tolong|mohon|saya\s+mau|mau|aku\s+mau|i\s+want\s+to|please)\s+)*(?:ubah|"
                                r"ganti|ralat|revisi|koreksi|perbaiki|edit|change|fix)\s+(?:the\s+)?" + _TEXT_WORD
                                + r"(?:\s+(?:aduan|laporan|aduannya|laporannya|nya|saya|dulu))*\s*[.!?]*$")


# "wait, can you add that two people already got hurt last week?", "please also add that it floods", "tolong
# tambahkan bahwa sudah 2 motor jatuh": words to add, asked for as such
_ADD_THAT = re.compile(
    r"^(?:(?:wait|oh|also|and|sorry|eh+|oh iya|o iya|maaf|sebentar|bentar)\W+)*"
    r"(?:(?:can|could|would)\s+you\s+|(?:can|could|may)\s+i\s+|please\s+)*(?:also\s+)?add\s+(?:that\s+|this\s*:?\s+)"
    r"(?P<rest>.+)$"
    r"|^(?:(?:eh+|oh iya|o iya|maaf|sebentar|bentar|pak|bu)\W+)*(?:tolong\s+|mohon\s+|bisa\s+)?(?:di)?tambah(?:kan|in)"
    r"\s+(?:juga\s+)?(?:bahwa|kalau|kalo|klo)\s+(?P<rest2>.+)$")


# "tambahkan: …", "tambah lagi - …": the words after the colon are what is added
_ADD_LEAD = re.compile(r"^(?:tolong\s+|mohon\s+)?(?:di)?tambah(?:kan|in)?(?:\s+(?:lagi|juga|ya))?\s*[:-]\s*")

_ADD_LEAD_WORDS = re.compile(r"^(?:(?:eh+|oh|oh\s+iya|oh\s+ya|o\s+iya|tunggu|sebentar|bentar|maaf|pak|bu)\W+)*"
                             # ("tambahin dong, kemarin ada motor jatuh": forty-first trial, "dong," was added)
                             r"(?:tolong\s+|mohon\s+)?(?:di)?tambah(?:kan|in)(?:\s+(?:lagi|juga|ya|dong|donk|deh|pak|bu|"
                             r"min))*\s*[:,-]?\s+(?=\S)")
DETAIL_MIN_WORDS = 4
# Words of a problem ("rusak", "mati", "mampet", "broken"): a short message with one tells of a problem
PROBLEM_WORDS = re.compile(
    r"\b(?:rusak|mati|padam|mampet|tersumbat|banjir|kebanjiran|bocor|jebol|ambrol|ambruk|ambles|amblas|amblesan|roboh|"
    r"tumbang|longsor|"
    r"lubang|berlubang|bolong|macet|bau|numpuk|menumpuk|tidak|tdk|gak|ga|nggak|belum|blm|kotor|liar|pungli|"
    r"tergenang|meluap|putus|terbakar|kebakaran|sampah|limbah|parah|broken|damaged|blocked|flooded|flooding|not|"
    r"off|dark|leaking|potholes?|smells?|overflow\w*|rubbish|garbage)\b")
OTHER_OFFICE_CONFIDENCE = 0.5


def other_office_problem(turn: Turn, text: str, parse: dict[str, Any] | None) -> bool:
    """Words that tell of a problem another office handles ("eh satu lagi, lampu jalan di depan masjid juga mati"
    while a road is reported): a complaint of its own, not more of this one."""
    routing = ParseResult.from_dict(parse or {}).routing
    draft = ComplaintDraft.load(turn.state)
    return (bool(PROBLEM_WORDS.search(u.plain(text))) and routing is not None
            and routing.confidence >= OTHER_OFFICE_CONFIDENCE and routing.id != draft.opd)


ASKED_ADD_WORDS = 2


async def added_detail(turn: Turn, draft: ComplaintDraft) -> bool:
    """Words that add to the report at the photo or identity question ("tambahan, lubangnya ada 3 dan dalam",
    "oh iya, kemarin ada anak sekolah yang jatuh juga"): kept in its description, said so (the summary shows them)."""
    text = turn.message.text.strip()
    edit = text_edit(text) if _ADD_THAT.match(" ".join(text.lower().split())) else None
    if edit is not None and len(edit[1].split()) >= ASKED_ADD_WORDS:
        # "wait, can I add that there are rats too?" at the identity question (thirty-sixth trial: "cannot answer
        # that here"): the words after the ask, added
        draft.text = f"{draft.text}\n{edit[1]}".strip()[:4000]
        keep_attachments(turn, draft)
        turn.say("detail_added")
        return True
    if len(text.split()) < DETAIL_MIN_WORDS or u.is_question(text) or not u.adds_detail(text):
        return False
    if other_office_problem(turn, text, await turn.parse()):
        return False  # "eh satu lagi, lampu jalan di depan masjid juga mati": another office's problem, a new one
    draft.text = f"{draft.text}\n{u.detail_words(text)}".strip()[:4000]
    keep_attachments(turn, draft)
    turn.say("detail_added")
    return True


def text_edit(text: str) -> tuple[str, str] | None:
    """("add" | "replace", the new words, possibly empty) when a message at the summary changes the description."""
    stripped = " ".join(text.split())
    low = stripped.lower()
    if (added := _ADD_THAT.match(low)) is not None:
        start = added.start("rest") if added.group("rest") is not None else added.start("rest2")
        return "add", stripped[start:].strip(" ?")
    if (lead := _ADD_LEAD.match(low) or _ADD_LEAD_WORDS.match(low)) is not None and lead.end() < len(low):
        # "tambahkan: sudah lapor ke kantor pdam …", "oh iya tambahkan juga baunya menyengat": without the words that
        # ask it (thirty-fifth trial: the officers read "oh iya tambahkan juga" in the complaint)
        return "add", stripped[lead.end():].strip()
    if _TEXT_REPLACE_BARE.match(low):
        return "replace", ""
    if (verb_first := _TEXT_REPLACE_VERB_FIRST.match(low)) is not None and verb_first.end() < len(low):
        # "ubah isinya: air masuk rumah sampai selutut, bukan sebetis" (thirty-seventh trial: "choose a button")
        rest = stripped[verb_first.end():].strip()
        return "replace", "" if rest.lower().strip(" .!") in _VAGUE_NEW_TEXT else rest
    for kind, pattern in (("replace", _TEXT_REPLACE), ("add", _TEXT_ADD)):
        match = pattern.match(low)
        if match:
            start = match.start("rest") if match.group("rest") is not None else match.start("rest2")
            return kind, stripped[start:].strip()
    if u.adds_detail(stripped):
        return "add", u.detail_words(stripped)
    return None


async def _edit_text(turn: Turn, draft: ComplaintDraft, kind: str, words: str) -> None:
    if len(words.split()) < 2:  # "isinya mau saya ubah": ask for the words
        turn.state["text_edit"] = kind
        draft.save(turn.state)
        turn.say("complaint_text_ask_add" if kind == "add" else "complaint_text_ask_replace")
        return
    turn.state.pop("text_edit", None)
    draft.text = f"{draft.text}\n{words}" if kind == "add" else words
    turn.say("complaint_text_added" if kind == "add" else "complaint_text_replaced")
    await show_summary(turn, draft)


# "the location is wrong, it's jalan gajah mada in front of the alun-alun", "lokasinya salah, harusnya depan pasar":
# the words after the correction's turn of phrase.
_FIX_THEN = re.compile(r"(?:\bit'?s|\bit is|\bshould be|\bharusnya|\bseharusnya|\bsebenarnya|\btepatnya|\byang benar|"
                       r"\byg bener|\byaitu|\byakni|\bdi|:)\s+(?P<place>[^,;]{6,}.*)$", re.IGNORECASE | re.DOTALL)


def _named_after_fix(text: str) -> str | None:
    wrong = _WRONG.search(text.lower())
    found = _FIX_THEN.search(text, wrong.end()) if wrong else None
    place = found.group("place").strip(" .!") if found else None
    return place if place and len(place.split()) >= 2 and location_problem(place) is None else None


# "eh tunggu, yang benar di pasar sooko", "ralat pak, di desa puri rt 3", "maksud saya di depan SDN 2": no word of a
# wrong place, but a correction's lead, and a place after "di".
_RIGHT_PLACE = re.compile(r"\b(?:(?:yang|yg)\s+(?:benar|bener|betul|tepat)(?:nya)?|ralat|koreksi|"
                          r"maksud\s*(?:nya|saya|sy|ku|aku)?|(?P<soft>sebenarnya|sebenernya|sbnrnya|seharusnya|"
                          r"harusnya|actually)(?:\s+(?:itu|tempatnya|lokasinya|letaknya))?)"
                          r"\b[\s,]*(?:(?:pak|bu|min|kak|mas|mbak)\b[\s,]*)?di\s+(?!(?:sini|situ|sana)\b)"
                          r"(?P<place>\S.{4,})$",
                          re.IGNORECASE)


def _right_place(text: str) -> str | None:
    """The place a correction's lead gives ("yang benar di pasar sooko" -> "pasar sooko"), or None."""
    if len(text.split()) > CORRECTION_WORDS or (found := _RIGHT_PLACE.search(text.strip())) is None:
        return None
    if found.group("soft") and not _NOT_THERE.search(text):
        return None  # "sebenarnya di desa kami banyak yang rusak" corrects nothing; "…, bukan melati" does
    place = _CLOSING_WORDS.sub("", found.group("place").strip(" .!")).strip(" .,!")
    return (place if len(place.split()) >= 2 and location_problem(place) is None
            and not _PROBLEM_WORDS_IN_PLACE.search(u.plain(place)) else None)


# "eh tunggu, lokasinya sebelah utara pasar, bukan depan" at the summary (thirty-seventh trial: the place asked again,
# the old one offered): the place said after "lokasinya", before the "bukan" that turns the old one down
_PLACE_IS = re.compile(r"\b(?:lokasi|tempat|letak|alamat|posisi)(?:nya)?\s+(?:itu\s+)?(?:di\s+)?"
                       r"(?P<place>(?!(?:salah|keliru|kurang|bukan|tidak|gak|ga)\b)[^,.;]{5,}?)\s*[,;]?\s*\bbukan\b",
                       re.IGNORECASE)


def _place_is(text: str) -> str | None:
    found = _PLACE_IS.search(text)
    place = found.group("place").strip(" .!") if found else None
    return place if place and len(place.split()) >= 2 and location_problem(place) is None else None


def _swapped_word(text: str, place: str, before: str) -> str | None:
    """The place given `before` with the one word the correction turns down put right ("jalan melati no 5 desa puri",
    "… di jalan mawar, bukan melati" -> "jalan mawar no 5 desa puri"); None unless exactly one word is swapped."""
    turned_down = {w for m in _NOT_THERE.finditer(text) for w in u.plain(m.group(0)).split()[1:]
                   if w not in _PLACE_AREA | _PLACE_STOP and w not in ("di", "ke", "in", "at")}
    old_words = u.plain(before).split()
    new_words = [w for w in u.plain(place).split() if w not in old_words]
    if len(turned_down) != 1 or len(new_words) != 1 or (gone := next(iter(turned_down))) not in old_words:
        return None
    return re.sub(rf"\b{re.escape(gone)}\b", new_words[0], before, count=1, flags=re.IGNORECASE)


def _soft_right_place(text: str) -> str | None:
    """"sebenarnya itu di jalan mawar, bukan melati" -> "jalan mawar": the place of a soft correction, without the one
    it turns down."""
    place = _right_place(text)
    return (_without_wrong_place(place).strip(" .,;!") or None) if place else None


def names_a_place(text: str) -> bool:
    """A place correction that gives the place ("lokasinya salah, harusnya depan pasar"), not only says it is wrong
    ("saya mau ubah lokasinya")."""
    return bool(_named_after_fix(text) or _right_place(text) or place_in_text(text) or _by_landmark(text)
                or Location.from_text(text))


def fixes_place(text: str, before: str | None = None) -> bool:
    """The message corrects the place: says it is wrong, turns down the place given `before` for another, or
    gives the right one after a correction's lead."""
    low = u.plain(text)
    return (bool(_PLACE_FIX.search(low) and _WRONG.search(low)) or names_other_place(text, before)
            or _right_place(text) is not None)


# "send it", "submit", "go ahead", "looks good", "kirim aja", "kirim sekarang", "monggo dikirim", "nggih, kintunaken":
# send the complaint. Not a refusal or a wait ("jangan kirim", "don't send", "belum, jangan dikirim dulu", Javanese
# "aja dikirim"), a question, nor words about a photo ("kirim foto lagi").
_SEND = re.compile(r"\b(?:send|submit|kirim|krim|kirm|kiirim|kirimkan|kirimin|kirimen|kirimno|dikirim|dikirimkan|"
                   r"dikirimin|kintun|"
                   r"kintunaken|dikintun|dikintunaken|ajukan|diajukan|go ahead|looks good|look good|looks fine|"
                   r"proceed)\b")
_NOT_SEND = re.compile(r"\b(?:jangan|jgn|ojo|ampun|don'?t|do not|not|no|belum|blm|blum|dereng|durung|tunggu|wait|"
                       r"hold|salah|"
                       r"nanti|later|tidak|tdk|gak|ga|nggak|enggak|ndak|mboten|ora|batal|cancel|stop|besok|"
                       r"tomorrow|lusa|aja\s+(?:di)?(?:kirim|kintun)"
                       # "tolong kirim petugas sekarang juga!!!": someone sent out, not the complaint (thirty-third
                       # trial: told it was sent already)
                       r"|(?<=kirim\s)(?:petugas\w*|orang|org|tim)|(?<=kirimkan\s)(?:petugas\w*|orang|org|tim)"
                       r"|(?<=send\s)(?:someone|somebody|people|a\s+team|an\s+officer))\b")
# "jangan dikirim dulu", "don't send yet", "kirim besok aja", "wait": not now, the draft kept as it is.
_NOT_NOW = re.compile(r"\b(?:dulu|nanti|besok|lusa|tunggu|bentar|sebentar|later|tomorrow|yet|wait|hold on)\b")
SEND_WORDS = 8


def says_send(text: str) -> bool:
    """A short message that asks for the complaint to be sent, in everyday words."""
    low = u.plain(text)
    return (0 < len(low.split()) <= SEND_WORDS and bool(_SEND.search(low)) and not _NOT_SEND.search(low)
            and not _PHOTO_WORD.search(low) and not u.is_question(text))


def _says_not_now(text: str) -> bool:
    """A short "not now" at the summary: about sending ("jangan dikirim dulu", "send it tomorrow") or a plain wait."""
    low = u.plain(text)
    words = low.split()
    return 0 < len(words) <= SEND_WORDS and bool(_NOT_NOW.search(low)) and (
        bool(_SEND.search(low)) or len(words) <= 2 or bool(_CONSULT.search(low)))


# "sebentar saya tanya suami dulu", "tunggu, saya pikir-pikir dulu", "wait, let me ask my husband": the summary waits
# while someone is asked (thirty-first trial: "choose one of the buttons")
_CONSULT = re.compile(r"\b(?:tanya|tanyakan|nanya|nanyain|takon|cek|diskusi\w*|rembug\w*|omong\w*|bicarakan|rundingkan|"
                      r"izin|ijin|pikir\w*|mikir|ask|check|think|discuss)\b")


_TOPIC_DOUBT = re.compile(r"\btopik(?:nya)?\s+(?:\S+\s+)?(?:kok|kenapa|knp|napa|ngapain)\b"
                          r"|\b(?:kok|kenapa|knp|napa)\s+(?:\S+\s+)?topik(?:nya)?\b"
                          r"|\bwhy\s+(?:is\s+)?(?:the\s+|my\s+)?topic\b")
TOPIC_DOUBT_WORDS = 16


def doubts_topic(text: str) -> bool:
    """"topiknya kok saluran? itu selokan pak", "why is the topic drains?": the topic shown, doubted."""
    low = u.plain(text)
    return len(low.split()) <= TOPIC_DOUBT_WORDS and bool(_TOPIC_DOUBT.search(low))


async def on_confirm(turn: Turn, draft: ComplaintDraft) -> None:
    code = u.code_of(turn.message.text)
    if not code and await _photo_after_its_step(turn, draft, show_summary):
        return
    pending = turn.state.pop("text_edit", None)
    if pending and not code and not is_yes(turn) and not is_no(turn) and len(turn.message.text.split()) >= 2:
        await _edit_text(turn, draft, str(pending), turn.message.text.strip())
        return
    if code == u.CHANGE_TOPIC:
        await ask_topic_choice(turn, draft)
    elif code == u.ALL_TOPICS:
        await show_all_topics(turn, draft)
    elif code == u.MERGE and turn.state.get(SAME_OPEN_KEY):
        await merge_into(turn, draft, str(turn.state[SAME_OPEN_KEY]))
    elif turn.state.get(SUPPORT_KEY) and not code and asks_about_support(turn.message.text):
        turn.say("complaint_support_meaning")  # "dukung itu maksudnya apa?"
        await show_summary(turn, draft)
    elif turn.state.get(SUPPORT_KEY) and (code == u.SUPPORT or (not code and says_support(turn.message.text))):
        await support_other(turn, draft, str(turn.state[SUPPORT_KEY]))
    elif code == u.CHANGE_PLACE:
        draft.location = None
        await ask_location(turn, draft)
    elif not code and _more_place(turn, draft):  # "eh lokasinya tambah rt 3 ya" (forty-first trial: into the text)
        await show_summary(turn, draft)
    elif await fix_place(turn, draft, show_summary):
        pass
    elif not code and _says_not_now(turn.message.text):  # "jangan dikirim dulu", "kirim besok aja", "wait"
        # (before the corrections: "eh tunggu, jangan dikirim dulu" was read as a new topic, teachers' allowances,
        # and sent there: fortieth trial)
        draft.save(turn.state)
        turn.say("complaint_kept_for_later")
        await show_summary(turn, draft)
    elif not code and draft.topic and doubts_topic(turn.message.text):
        # "sebentar, topiknya kok saluran? itu selokan pak" (thirty-sixth trial: "choose a button"): what the topic
        # decides, and how to change it
        turn.say("topic_doubt", topic=topic_name(turn, draft.topic), opd=opd_name(turn, draft.opd or ""))
        await show_summary(turn, draft)
    elif not code and (privacy := _privacy_changed(turn.message.text, draft)):
        draft.privacy = privacy  # "eh jadi publik aja deh", "nama saya jangan ditampilkan ya": changed, and shown
        turn.say("privacy_changed_at_summary", privacy=turn.t(f"privacy_{privacy}"))
        await show_summary(turn, draft)
    elif not code and (edit := text_edit(turn.message.text)) is not None:
        await _edit_text(turn, draft, *edit)
    elif not code and correction_words(turn.message.text) is not None and await _take_corrected_topic(
            turn, draft, show_summary):
        pass  # "eh bukan lampu pak, maksud saya jalannya yang rusak": the topic changes, the summary again
    elif (not code and says_send(turn.message.text)
          and (named := office_named(turn, turn.message.text, near=True)) is not None
          and named.id != draft.opd):
        # "kirim ke dinas perkim saja" at the summary of a Dishub complaint (thirty-fourth trial: sent to Dishub, the
        # wish unsaid): who handles this topic here, and the topic to change if it is another matter; nothing sent
        draft.save(turn.state)
        turn.say("send_to_other_office", [turn.button("complaint_send", u.SEND),
                                          turn.button("complaint_topic_change", u.CHANGE_TOPIC)],
                 named=named.short, topic=topic_name(turn, draft.topic) if draft.topic else "-",
                 opd=opd_name(turn, draft.opd) if draft.opd else "-")
    elif is_yes(turn) or says_send(turn.message.text):  # "send it", "kirim aja", "nggih, kintunaken"
        await submit(turn, draft)
    elif is_no(turn):  # "tidak", "eh salah, bukan itu": something is wrong, which is no "throw it all away"
        draft.save(turn.state)
        turn.say("complaint_what_to_change", [turn.button("complaint_topic_change", u.CHANGE_TOPIC),
                                              turn.button("complaint_place_change", u.CHANGE_PLACE),
                                              turn.button("cancel_button", u.CANCEL)])
    elif not code and await answer_aside(turn, any_question=True):
        pass
    elif not code and _THANKS.match(u.plain(turn.message.text)):
        # "makasih", "matur nuwun sanget" at the summary (thirty-eighth trial: "choose a button"): the resident may
        # think it is sent; it is not yet
        turn.say("summary_thanks_not_sent")
        await show_summary(turn, draft)
    else:
        turn.say("complaint_please_choose")
        await show_summary(turn, draft)


async def merge_into(turn: Turn, draft: ComplaintDraft, number: str) -> None:
    """The draft (its words, place and photos) added to the resident's open complaint `number`, whose officers get
    it as a message from the reporter; no new ticket."""
    ticket = await turn.store.get_ticket(number)
    if ticket is None or ticket.reporter != turn.identity.key or ticket.status not in OPEN_STATUSES:
        turn.state.pop(SAME_OPEN_KEY, None)
        await show_summary(turn, draft)  # closed meanwhile: the summary again, to send as a new complaint
        return
    location = Location.from_dict(draft.location)
    text = draft.text + (f"\n({turn.t('complaint_merge_place', 'id', place=location.describe())})" if location else "")
    if draft.media:
        ticket.media.extend(draft.media)
        turn.save_ticket(ticket)
    turn.event(ticket, "message_in", text, media=list(draft.media), merged=True)
    await notify_staff_of_ticket(turn, ticket, "resident_message_to_officer", f"in:{number}", reply_button=True,
                                 image=f"media:{draft.media[0]}" if draft.media else None, text=text)
    turn.reset_flow()
    turn.say("complaint_merged", number=number)


# "dukung aja", "ikut aduan itu saja", "gabung ke situ", "support theirs", "join that one": the offered support
_SUPPORT_WORDS = re.compile(r"^(?:\S+\s+){0,2}?(?:dukung|dukungan|ikut|ikutan|ikuti|gabung|gabungkan|digabung|"
                            r"support|follow|join)\b")


def says_support(text: str) -> bool:
    """Words choosing the offered support of a neighbour's complaint ("dukung aja pak", "ikut yang itu aja")."""
    low = u.plain(text)
    return len(low.split()) <= SEND_WORDS and bool(_SUPPORT_WORDS.search(low)) and not u.is_question(text)


_SUPPORT_QUESTION = re.compile(r"\b(?:dukung\w*|support\w*|ikut\w*|gabung\w*|follow\w*|join\w*|bedanya|difference)\b")


def asks_about_support(text: str) -> bool:
    """"dukung itu maksudnya apa?", "what does support mean?", "bedanya apa sama kirim sendiri?": what supporting is."""
    low = u.plain(text)
    return len(low.split()) <= 15 and u.is_question(text) and bool(_SUPPORT_QUESTION.search(low))


async def support_other(turn: Turn, draft: ComplaintDraft, number: str) -> None:
    """The draft filed as the resident's own complaint, joined at once to another resident's open one on the same
    matter (actions/duplicates.py): its officers read the words on that complaint, and the resident follows it."""
    main = await turn.store.get_ticket(number)
    if main is None or main.status not in OPEN_STATUSES or duplicates.main_of(main) or \
            main.reporter == turn.identity.key:
        turn.state.pop(SUPPORT_KEY, None)
        await show_summary(turn, draft)  # finished meanwhile: the summary again, to send as a new complaint
        return
    await submit(turn, draft, joined_to=main)


# --- a question or a curse in the middle of the draft ----------------------------------------------------------
# "ini gratis kan?", "menapa menika mbayar?", "is this free?": does reporting cost anything.
_ASKS_FREE = re.compile(r"\b(?:gratis|bayar|mbayar|dibayar|biaya|biayanya|pungutan|dipungut|ongkos|tarif|free|pay|"
                        r"paid|cost|costs|charge|charged|fee|fees)\b")
# "berapa lama biasanya diperbaiki?", "kapan dibenerin?", "how long does it take?": how soon it is handled.
_ASKS_HOW_LONG = re.compile(r"\b(?:berapa|brp|pinten|pira|piro|how)\s+(?:lama|lami|suwe|long|hari|dinten|dino)\b|"
                            r"\b(?:kapan|kpn|when)\b.{0,40}\b(?:diperbaiki|dibenerin|dibetulkan|ditangani|diproses|"
                            r"selesai|datang|dateng|fixed|done|handled|repaired)\b|\bsampai kapan\b"
                            # "what happens after I send this?", "habis dikirim terus gimana?": what comes next
                            r"|\bwhat\s+happens\s+(?:after|next|then|when|once)\b|\bwhat(?:'s|\s+is)\s+next\b"
                            r"|\b(?:habis|setelah|sesudah|abis|sakwise|sasampunipun)\s+(?:ini|itu|dikirim|kirim|terkirim|"
                            r"lapor)\s+(?:\S+\s+)?(?:gimana|bagaimana|terus|lalu|apa|piye|pripun)\b"
                            r"|\b(?:terus|lalu|trus)\s+(?:prosesnya|alurnya|selanjutnya)\s+(?:gimana|bagaimana|apa)\b")
# "nanti kades tau gk yg lapor siapa?", "identitas sy aman gk?", "will the officers see my name?": who learns the
# reporter's name; "anonim itu apa?", "what does confidential mean?": what a choice means.
_ABOUT_REPORTER = re.compile(r"\b(?:nama|nami|asma|jeneng|identitas|identity|name|pelapor|pelapornya|"
                             r"(?:yg|yang|sing|who)\s+(?:lapor|melapor|ngelapor|laporan|reported))\b")
_LEARNS = re.compile(r"\b(?:tau|tahu|ketahuan|ngerti|aman|dikasih|diberitahu|dikasihtau|disebut|kelihatan|terlihat|"
                     r"dilihat|muncul|see|sees|know|knows|safe|shown)\b")
_CHOICE_MEANING = re.compile(r"\b(?:anonim|rahasia|publik|anonymous|confidential|public)\b.*\b(?:apa|artinya|"
                             r"maksudnya|bedanya|beda|mean|means|difference)\b|\b(?:apa|what|bedanya)\b.*"
                             r"\b(?:anonim|rahasia|anonymous|confidential)\b")
# A curse said as an exclamation ("anjing lah", "monyet kalian semua", "tai lah"): never a topic nor an answer.
CURSES = frozenset("anjing anjir anjrit njir asu babi monyet tai taik bangsat goblok goblog bodoh tolol jancok "
                    "jancuk dancok diancuk cok cuk kampret bajingan brengsek keparat sialan fuck shit".split())
_CURSE_FILLERS = frozenset("lah deh sih dah kau lu lo loe lho kalian semua semuanya kabeh tenan banget bgt bener emang "
                           "memang dasar ah ih eh woy woi kok ini itu kamu kowe koe pada".split())
CURSE_WORDS = 4
DESCRIBE_ASIDE_WORDS = 10
SHORT_ANSWER_WORDS = 3  # "bener kan pak?": a yes, asked


def is_curse(text: str) -> bool:
    """A short curse and nothing more ("anjing lah", "monyet kalian semua"); "anjing liar menggigit anak" is a
    report."""
    words = re.findall(r"[a-z]+", u.plain(text))
    return (0 < len(words) <= CURSE_WORDS and any(w in CURSES for w in words)
            and all(w in CURSES or w in _CURSE_FILLERS for w in words))


_OPENING = re.compile(r"^\W*([^,.!?;:]{1,30})[,.!?;:]+\s*")


def without_curse(text: str) -> str:
    """The report without a curse it opens with ("anjing lah, jalan depan rumah gk dibenerin2" -> "jalan depan rumah
    gk dibenerin2"), which says nothing of its topic; the text itself otherwise."""
    found = _OPENING.match(text)
    rest = text[found.end():].strip() if found else ""
    return rest if found and is_curse(found.group(1)) and len(rest.split()) >= MIN_COMPLAINT_WORDS else text


# "apakah bisa lapor tanpa KTP?", "harus pakai NIK gak kalau mau lapor?", "do I need an ID card to report?": what
# reporting here asks of a resident (twenty-eighth trial: offered to an office as a question); "kenapa harus pakai
# nik?" needs no word of reporting (thirty-first trial: while a complaint was described, taken for its words)
_NEEDS_ID = re.compile(r"\b(?:tanpa|gak\s+pakai|ga\s+pake|gak\s+pake|tidak\s+pakai|tdk\s+pakai|harus|wajib|perlu|"
                       r"pakai|pake|butuh|minta|need|needs|without)\s+(?:\S+\s+){0,2}?(?:ktp|ktpnya|nik|niknya|"
                       r"identitas|kk|id|id\s+card|identity)\b")
TO_REPORT = re.compile(r"\b(?:lapor|melapor|laporan|mengadu|ngadu|aduan|report|complain|complaint)\w*\b")
_WHY_ASKED = re.compile(r"\b(?:kenapa|mengapa|knp|napa|kok|buat\s+apa|untuk\s+apa|utk\s+apa|why)\b")
NEEDS_ID_WORDS = 14


def asks_need_id(text: str) -> bool:
    low = u.plain(text)
    return (len(low.split()) <= NEEDS_ID_WORDS and u.is_question(text) and bool(_NEEDS_ID.search(low))
            and bool(TO_REPORT.search(low) or _WHY_ASKED.search(low)))


# "kenapa harus pakai nomor hp?", "buat apa nomor wa saya?", "why do you need my phone number?" (thirty-fifth trial:
# FAQs to pick from): the account written from is what the news comes back to
_WHY_PHONE = re.compile(
    r"\b(?:kenapa|mengapa|knp|napa|buat\s+apa|untuk\s+apa|utk\s+apa|gunanya|why|what\s+for)\b.{0,30}"
    r"\b(?:nomor|nomer|no)\s+(?:hp|handphone|telepon|telpon|wa|whatsapp)\b"
    r"|\b(?:kenapa|mengapa|knp|napa|buat\s+apa|untuk\s+apa|utk\s+apa|why)\b.{0,30}\b(?:hp|wa)\s+(?:saya|sy|aku)\b"
    r"|\bwhy\b.{0,30}\b(?:phone\s+number|my\s+number)\b")


def asks_why_phone(text: str) -> bool:
    low = u.plain(text)
    return len(low.split()) <= NEEDS_ID_WORDS and u.is_question(text) and bool(_WHY_PHONE.search(low))


FEAR_ASIDE_WORDS = 10


def aside_kind(text: str) -> str | None:
    """What a message in the middle of a complaint says besides the step's answer: "curse", or a question the bot
    answers ("privacy", "free", "how_long"); None for anything else."""
    low = u.plain(text)
    if is_curse(text):
        return "curse"
    if fears_reporting(text) and len(low.split()) <= FEAR_ASIDE_WORDS and not PROBLEM_WORDS.search(low):
        return "fear"  # "saya takut ketahuan" at the topic question (forty-second trial: routed afresh as the report)
    if not u.is_question(text):
        return None
    if (_ABOUT_REPORTER.search(low) and _LEARNS.search(low)) or _CHOICE_MEANING.search(low):
        return "privacy"
    if _ASKS_FREE.search(low):
        return "free"
    if asks_need_id(text):
        return "need_id"
    if asks_why_phone(text):
        return "why_phone"
    if _ASKS_HOW_LONG.search(low):
        return "how_long"
    if WHO_COMES.search(low):
        return "who_comes"
    if _CONTACT_ME.search(low):
        return "contact_me"
    if _WHY_NEEDED.search(low) and _PHOTO_WORD.search(low):
        return "why_photo"
    if _WHY_NEEDED.search(low) and _PLACE_ASKED.search(low):
        return "why_place"
    if _HOW_PLACE.search(low):
        return "how_place"
    if _NEWS_VIA.search(low):
        return "news_here"
    if _DATA_SAFE.search(low) and _OWN_DATA.search(low):
        return "data_safe"
    if _REGENT_SEES.search(low):
        return "regent_sees"
    return None


# "eh btw ini bakal dibaca bupati juga gak?", "will the regent see this?" (forty-first trial: "cannot answer that here
# yet")
_REGENT_SEES = re.compile(r"\b(?:dibaca|dilihat|diketahui|sampai|nyampe|sampe|dipantau|read|seen|see|reach)\b.{0,20}?"
                          r"\b(?:bupati|wali\s*kota|walikota|regent|mayor)\b|\b(?:bupati|wali\s*kota|walikota|regent|"
                          r"mayor)\s+(?:\S+\s+)?(?:tahu|tau|baca|membaca|lihat|melihat|see|read|know)\b")


# "apakah aman kasih NIK di sini?", "data saya tidak bocor kan?", "is my data safe here?" (thirty-seventh trial: "cannot
# answer that here yet")
_DATA_SAFE = re.compile(r"\b(?:aman|amankah|safe|secure|bocor|dibocorkan|disalahgunakan|disebar\w*|dijual|leak\w*)\b")
_OWN_DATA = re.compile(r"\b(?:nik|ktp|kk|data|datanya|data\s+saya|nomor|nomer|identitas|privasi|privacy|details?)\b")


# "mbah darmi tidak punya hp, nanti kabarnya lewat saya saja ya?", "can you update me instead of my mother?": the news
# of the complaint comes to the chat it is sent from (thirty-second trial: "cannot answer that here yet")
_NEWS_VIA = re.compile(r"\b(?:kabar\w*|info\w*|balasan\w*|jawaban\w*|perkembangan\w*|hasil\w*|updates?|news|replies)\s+"
                       r"(?:\S+\s+){0,3}?(?:lewat|melalui|via|ke|kepada|to|through)\s+(?:saya|sy|aku|kula|me|nomor\s+"
                       r"(?:ini|saya)|this\s+(?:number|chat)|hp\s+saya)\b"
                       r"|\b(?:update|tell|inform)\s+me\s+instead\b")


# "bisa kirim lokasi lewat google maps?", "cara share lokasi gimana?", "how do I send my location?": how a place is
# given (thirty-first trial: "that is not a place yet")
_HOW_PLACE = re.compile(
    r"\b(?:bisa|boleh|bisakah|gimana|bagaimana|gmn|cara\w*|can|how)\b.{0,30}\b(?:kirim|kirimkan|share|bagikan|"
    r"membagikan|send|pakai|pake|lewat|via|with)\s+(?:\S+\s+){0,2}?(?:lokasi\w*|titik|pin|koordinat|location|"
    r"google\s*maps?|gmaps?|maps|link\s+maps?|shareloc|sharelok)\b")


# "berapa lama biasanya aduan jalan rusak diperbaiki?", "how long does a street light complaint take?" with nothing
# being written: that topic's office and its deadline (thirty-first trial: the FAQ on checking a ticket's status)
_HOW_LONG_FOR = re.compile(r"\b(?:berapa|brp|pinten|pira|piro|how)\s+(?:lama|lami|suwe|long|hari|dinten|dino)\b")
_OF_A_COMPLAINT = re.compile(r"\b(?:aduan|laporan|keluhan|pengaduan|complaints?|reports?|diperbaiki|dibenerin|"
                             r"dibetulkan|ditangani|ditindaklanjuti|diangkut|fixed|repaired|handled)\b")
HOW_LONG_WORDS = 16
HOW_LONG_CONFIDENCE = 0.5


def asks_how_long(text: str) -> bool:
    """Words that ask how long something takes (read before the NLU is asked anything)."""
    return bool(_HOW_LONG_FOR.search(u.plain(text)))


async def answer_how_long_for_topic(turn: Turn, text: str, parse: dict[str, Any]) -> bool:
    """The deadline of the office a question about a kind of complaint names, with the way to report; False when
    the question names no topic surely enough, or is about the resident's own complaint."""
    low = _ASKING_LEAD.sub("", u.plain(text))  # ("halo pak, saya mau tanya, …": the question after it)
    if (len(low.split()) > HOW_LONG_WORDS or not u.is_question(text) or not _HOW_LONG_FOR.search(low)
            or not _OF_A_COMPLAINT.search(low) or re.search(r"\b(?:saya|sy|kami|ku|my)\b", low)):
        return False  # ("berapa lama bikin ktp?" asks of a service: its FAQ)
    if any(t.status in OPEN_STATUSES for t in await turn.store.recent_tickets(turn.identity.key, 5)):
        return False  # "berapa lama biasanya diperbaiki pak?" with a complaint open: its own deadline (the status)
    routing = ParseResult.from_dict(parse).routing
    if routing is None or routing.topic not in turn.directory.routing or routing.confidence < HOW_LONG_CONFIDENCE:
        if not TO_REPORT.search(low):
            return False
        # "kalau lapor disini nanti ditindaklanjuti berapa lama?" names no kind of complaint (thirty-second trial:
        # offered to the offices as a question): how deadlines work
        turn.say("how_long_general", [turn.button("menu_complaint", "/aduan")])
        return True
    opd = turn.directory.opd(turn.directory.routing[routing.topic])
    if opd is None:
        return False
    turn.say("how_long_for_topic", [turn.button("menu_complaint", "/aduan")], topic=topic_name(turn, routing.topic),
             opd=opd.name, sla=opd.sla_days)
    return True


_ASKING_LEAD = re.compile(r"^(?:\S+\s+){0,3}?(?:saya|sy|aku)\s+(?:mau|ingin|pengen|mo)\s+(?:tanya|nanya|bertanya)\s+")


# "nanti petugasnya bisa hubungi saya kalau perlu info tambahan?", "can the officer contact me if they need more?"
_CONTACT_ME = re.compile(r"\b(?:hubungi|menghubungi|dihubungi|kontak|ngontak|dikontak|telepon|telpon|nelpon|ditelepon|"
                         r"ditelpon|contact|reach|call)\s+(?:saya|sy|aku|kula|kulo|me)\b|\b(?:saya|sy|aku)\s+"
                         r"(?:bisa\s+|akan\s+)?(?:dihubungi|dikontak|ditelepon|ditelpon)\b")


# "kenapa harus kasih lokasi?", "fotonya wajib ga?", "buat apa fotonya?", "why do you need the location?": why a
# step is asked, or whether it must be answered
_WHY_NEEDED = re.compile(
    r"\b(?:perlu|perlukah|harus|haruskah|wajib|mesti|musti|kudu|butuh|dibutuhkan|buat\s+apa|untuk\s+apa|utk\s+apa|"
    r"gunanya|fungsinya|ngapain|need|needed|required|must|have\s+to|necessary|mandatory|what\s+for|"
    r"(?:kenapa|mengapa|knp|napa|why)\s+(?:\w+\s+)?(?:minta|diminta|tanya|nanya|ask|want))\b")


# "nanti yang datang ngecek siapa?", "petugasnya dari dinas apa?", "who will come to check?": who follows it up
WHO_COMES = re.compile(
    r"\b(?:siapa|dari\s+mana|dari\s+dinas\s+apa|dinas\s+apa|sopo|sinten|who)\b.{0,40}\b(?:datang|dateng|ngecek|"
    r"mengecek|cek|survei|survey|meninjau|turun|menangani|nangani|come|check|visit|handle)\b"
    r"|\b(?:datang|dateng|ngecek|mengecek|survei|turun|menangani|nangani)\b.{0,30}\b(?:siapa|dari\s+mana|"
    r"dari\s+dinas\s+apa|sopo|sinten)\b|\bwho\s+(?:will\s+)?(?:come|check|visit|handle)")


async def answer_aside(turn: Turn, *, any_question: bool = False) -> bool:
    """A curse or a question at a step of the complaint (not while it is described): a calm apology, or the answer
    (reporting is free; the OPD's deadline in working days; who sees the reporter's name), then the same step's
    question again; the topic, place or choice stays as it was. With `any_question`, a question the bot cannot
    answer is told to wait for the officers. False for anything else."""
    text = turn.message.text.strip()
    step = str(turn.state.get("step") or "")
    if turn.state.get("flow") != FLOW or step not in STEPS or not text or u.code_of(text):
        return False
    kind = aside_kind(text)
    low = u.plain(text)
    about_reporting = (step == "describe" and kind in ("how_long", "who_comes") and u.is_question(text)
                       and len(low.split()) <= DESCRIBE_ASIDE_WORDS and not PROBLEM_WORDS.search(low)
                       and not match_topics(turn, text))
    # ("mau lapor", then "berapa lama biasanya ditangani?": forty-first trial, taken for the complaint's words)
    if step == "describe" and not about_reporting and not (kind == "need_id" or (
            kind == "free" and TO_REPORT.search(low) and len(low.split()) <= DESCRIBE_ASIDE_WORDS)):
        # (what is written while the complaint is described is its words: "kenapa harus bayar retribusi?" is one;
        # "apakah ada biaya untuk lapor?" and "kenapa harus pakai nik?" are about reporting, answered)
        return False
    # "kirim ya?", "bener kan?" are answers, asked as questions
    answer_like = (u.yes_no(text) is not None and len(low.split()) <= SHORT_ANSWER_WORDS) or _SEND.search(low)
    unanswered = any_question and u.is_question(text) and not answer_like
    if kind is None and not unanswered:
        return False
    draft = ComplaintDraft.load(turn.state)
    opd = turn.directory.opd(draft.opd) if draft.opd else None
    if (unanswered and step in ("confirm_topic", "choose_topic", "location", "photo")
            and len(low.split()) <= LATER_STEP_WORDS and (privacy := _early_privacy(text))):
        # "actually can you make it public?" before the identity is asked (thirty-fifth trial: "I cannot answer that
        # here yet"): kept for the identity step, as the same words unasked are
        draft.early_privacy = privacy
        turn.say("later_privacy_noted", privacy=turn.t(f"privacy_{privacy}"))
    elif kind == "how_long" and opd:
        turn.say("aside_how_long", opd=opd.name, sla=opd.sla_days)
    elif about_reporting:
        turn.say(f"aside_{kind}_describe")  # no office chosen yet: how it goes, before the matter is told
    elif kind == "who_comes":  # the office the complaint goes to, when chosen
        turn.say("aside_who_comes" if opd else "aside_who_comes_triage", opd=opd.name if opd else "")
    else:
        turn.say(f"aside_{kind}_triage" if kind == "how_long" else f"aside_{kind or 'question_later'}")
    keep_attachments(turn, draft)
    if step in ("confirm_topic", "choose_topic"):
        await _ask_topic_again(turn, draft)
    else:
        await STEPS[step].ask(turn, draft)
    return True


StepHandler = Callable[[Turn, ComplaintDraft], Awaitable[None]]


@dataclass(frozen=True)
class Step:
    """A step of the flow: the question it asks (again when the resident comes back) and its answer's handler."""

    ask: StepHandler
    answer: StepHandler
    position: str  # text key naming where the resident is ("the location")


STEPS: dict[str, Step] = {
    "describe": Step(ask_describe, on_describe, "where_describe"),
    "confirm_topic": Step(ask_topic_confirmation, on_confirm_topic, "where_topic"),
    "choose_topic": Step(ask_topic_choice, on_choose_topic, "where_topic"),
    "location": Step(ask_location, on_location, "where_location"),
    "photo": Step(ask_photo, on_photo, "where_photo"),
    "privacy": Step(ask_privacy, on_privacy, "where_privacy"),
    "confirm": Step(show_summary, on_confirm, "where_confirm"),
}
BRIEF_ANSWER_WORDS = 2


def brief_answer(state: dict[str, Any], text: str) -> bool:
    """A word or two typed at the photo or privacy step ("done", "private please", "udah"): the answer to a button
    question, which says nothing of the language the resident writes in ("done" in an Indonesian chat)."""
    return (state.get("flow") == FLOW and state.get("step") in ("photo", "privacy")
            and len(u.plain(text).split()) <= BRIEF_ANSWER_WORDS)


# Steps whose answer is a free sentence (the rest expect a button or a word like "ya").
FREE_TEXT_STEPS = frozenset({"describe", "location"})


async def handle_step(turn: Turn) -> None:
    """Continue the complaint flow with this message."""
    step = STEPS.get(str(turn.state.get("step") or ""))
    if step is None:  # an unknown step (e.g. texts changed between versions): start over politely
        turn.reset_flow()
        turn.say("fallback", turn.menu_buttons())
        return
    await step.answer(turn, ComplaintDraft.load(turn.state))


# "kembali", "back", "langkah sebelumnya" in the middle of a complaint: the step before, asked again with its answer
# let go (thirty-first trial: "kembali" at the photo step showed the menu as if the draft were gone, and "back" was not
# understood). Before the place there is no step to go back to: "kembali" is the menu there, as outside a flow.
BACK_WORDS = frozenset({"kembali", "balik", "back", "go back", "mundur", "sebelumnya", "langkah sebelumnya",
                        "ke langkah sebelumnya", "kembali ke langkah sebelumnya", "kembali ke sebelumnya", "balik lagi",
                        "previous", "previous step", "step back", "bali", "mbalik"})


async def go_back(turn: Turn) -> bool:
    """The step before the one the resident is at, asked again; False where there is none."""
    step = turn.state.get("step")
    draft = ComplaintDraft.load(turn.state)
    if step not in ("location", "photo", "privacy", "confirm"):
        return False
    turn.say("step_back")
    if step == "location":
        if draft.topic:
            await ask_topic_confirmation(turn, draft)
        else:
            await ask_topic_choice(turn, draft)
    elif step == "photo":
        draft.location = None
        turn.state.pop(PLACE_GUESS_KEY, None)
        await ask_location(turn, draft)
    elif step == "privacy":
        draft.no_photo = draft.photo_promised = False
        await ask_photo(turn, draft)
    else:
        draft.privacy = draft.early_privacy = None
        await ask_privacy(turn, draft)
    return True


async def late_topic_fix(turn: Turn) -> bool:
    """A topic correction after the place was given ("aduh saya lupa, tadi harusnya lampu jalan bukan jalan rusak" at
    the photo step): the topic changes, the place and photos stay, and the step is asked again (thirty-second trial:
    it was offered as another complaint)."""
    step = STEPS.get(str(turn.state.get("step") or ""))
    # (at the place question too: "eh bentar, sebenernya yang mau saya laporkan itu saluran airnya mampet", thirty-
    # seventh trial, offered as another complaint)
    if (step is None or turn.state.get("step") not in ("location", "photo", "privacy")
            or correction_words(turn.message.text) is None or fixes_place(turn.message.text)
            or (turn.state.get("step") == "location" and place_answer(turn, turn.message.text))):
        return False  # ("eh tunggu, yang benar di pasar sooko" corrects the place: the step's own answer)
    return await _take_corrected_topic(turn, ComplaintDraft.load(turn.state), then=step.ask)


async def ask_again(turn: Turn) -> None:
    """Repeat the question of the step the resident is at."""
    step = STEPS.get(str(turn.state.get("step") or ""))
    if step is None:
        await start_from_menu(turn)
        return
    await step.ask(turn, ComplaintDraft.load(turn.state))


def position(turn: Turn) -> str:
    """Where the resident is in the flow, in words ("aduan tentang Jalan rusak, di langkah lokasi")."""
    draft = ComplaintDraft.load(turn.state)
    step = STEPS.get(str(turn.state.get("step") or ""))
    about = topic_name(turn, draft.topic) if draft.topic else shorten(draft.text, 60)
    if not about:  # "mau lapor", then nothing: no "aduan tentang *Belum ditentukan*"
        return turn.t("where_complaint_blank")
    return turn.t("where_complaint", about=about, step=turn.t(step.position if step else "where_describe"))


async def new_ticket_number(turn: Turn) -> str:
    period = turn.now.astimezone(turn.services.calendar.tz).strftime("%y%m")
    seq = await turn.store.next_ticket_seq(period)
    return f"{turn.directory.ticket_prefix}-{period}-{seq:04d}"


async def submit(turn: Turn, draft: ComplaintDraft, priority: str | None = None,
                 joined_to: Ticket | None = None) -> Ticket:
    """Create the ticket, tell the OPD (or triage), the regent if urgent, and LAPOR!; `joined_to`, another resident's
    open complaint the resident chose to support: joined to it at once, its officers told there instead."""
    number = await new_ticket_number(turn)
    opd = turn.directory.opd(draft.opd)
    # the OPD's service deadline, or triage's short one for the operators to choose the OPD (actions/sla.py)
    calendar = turn.services.calendar
    due = calendar.add_working_days(turn.now, opd.sla_days) if opd else triage_deadline(turn.services, turn.now)
    reporter, behalf = await on_behalf.reporter_for(turn)  # a village official may file for a resident
    urgent = draft.topic in turn.directory.urgent_topics or priority == "darurat" or draft.urgent
    ticket = Ticket(
        number=number,
        kind="aduan",
        topic=draft.topic,
        opd_id=opd.id if opd else None,
        status=STATUS_NEW if opd else STATUS_TRIAGE,
        text=draft.text,
        reporter=reporter,
        created_at=turn.now,
        updated_at=turn.now,
        due_at=due,
        privacy=draft.privacy or "publik",
        location=draft.location,
        media=list(draft.media),
        lang=turn.lang,
        confidence=draft.confidence,
        priority="darurat" if urgent else "normal",
        extra={"ranking": draft.ranking, "channel": turn.message.channel, **({"both": True} if draft.both else {}),
               **({"on_behalf": behalf} if behalf else {}), **({"audio": draft.audio} if draft.audio else {}),
               **({"addressed_to": "regent"} if addresses_regent(draft.text) else {}),
               **({ASPIRATION_KEY: True} if draft.suggestion or is_suggestion(draft.text) else {})},
    )
    turn.save_ticket(ticket)
    turn.event(ticket, "created", ticket.text)
    turn.event(ticket, "routed", None, topic=ticket.topic, opd=ticket.opd_id, confidence=ticket.confidence,
               by=draft.routed_by)
    if turn.services.settings.lapor.enabled:
        ticket.extra[TO_LAPOR] = True  # its answers follow it there (push_to_lapor)
        turn.job("lapor_create", f"lapor_create:{number}", {"ticket": number})
    if joined_to is not None:
        location = Location.from_dict(draft.location)
        words = draft.text + (f"\n({turn.t('complaint_merge_place', 'id', place=location.describe())})"
                              if location else "")
        await duplicates.supported_at_filing(turn, ticket, joined_to, words)
    elif opd:
        await notify_opd(turn, ticket, f"new:{number}")
    else:
        await notify_triage(turn, ticket)
    if urgent and joined_to is None:
        await alert_regent(turn, ticket)
    turn.reset_flow()
    turn.state["last_ticket"] = number
    if joined_to is not None:
        turn.say("complaint_supported", number=number, main=joined_to.number, opd=handler_name(turn, joined_to))
    elif priority != "darurat":
        if opd:
            turn.say("complaint_filed", number=number, opd=opd.name, sla=opd.sla_days, due=format_date(turn, due))
            if ticket.extra.get("addressed_to") == "regent":  # "pak bupati yth, ...": why it went to the OPD
                turn.say("addressed_to_regent_note", opd=opd.name)
            if ticket.extra.get(ASPIRATION_KEY):
                turn.say("aspiration_filed_note", opd=opd.name)
            say_topic_note(turn, ticket.topic)
        else:
            turn.say("complaint_filed_triage", number=number)
    on_behalf.after_submit(turn, number, reporter, behalf)
    if priority != "darurat" and not behalf and not offer_next_matter(turn, ticket):
        await offer_second_issue(turn, ticket)  # (a village official filing for someone: one complaint at a time)
    if isinstance(turn.state.get(PARKED_LETTER_KEY), dict) and SECOND_KEY not in turn.state:
        # the letter request set aside for this complaint (actions/letters.park) is still there
        turn.say("letter_still_parked", [turn.button("letter_resume_button", turn.t("letter_resume_words"))])
    return ticket


PARKED_LETTER_KEY = "parked_letter"  # (actions/letters.PARKED_KEY: letters imports from this module's callers)


# "Pak Bupati yth, ...", "Yth. Bapak Bupati Mojokerto", "kepada wali kota": a complaint written to the regent. It
# goes to the OPD that can act on it (as SP4N-LAPOR! dispatches a report addressed to a high official); the
# resident is told why, that the regent follows every complaint, and how to write to the regent directly.
_REGENT_WORD = r"(?:bupati|wali\s?kota|walkot|regent|mayor)"
_TO_REGENT = re.compile(
    r"^\W*(?:as+alamu\S*(?:\s+(?:wr\.?\s*wb\.?|warahmatullahi\s+wabarakatuh))?[\s,.!]+)?"
    r"(?:(?:yth\.?|kepada(?:\s+yth\.?)?|yang\s+terhormat|dear)\s+)?"
    r"(?:(?:bapak|pak|ibu|bu|mr\.?|mrs\.?|madam)\s+" + _REGENT_WORD + r"\b|" + _REGENT_WORD + r"\s*[,!:])"
    r"|^\W*(?:yth\.?|kepada(?:\s+yth\.?)?|yang\s+terhormat|dear)\s+" + _REGENT_WORD + r"\b",
    re.IGNORECASE,
)


# "…, kapan diperbaiki? sekalian mau tanya cara bikin ktp", "… dan juga saya mau tanya soal bpjs", "… also I want to
# ask about ID cards": a question of its own after a report.
_ALSO_ASKS = re.compile(
    r"(?:[,.;!?]\s*|\s)(?:(?:dan|terus|trus|lalu|oh\s+ya|satu\s+lagi|and)\s+)?(?:sekalian|sekaligus|juga|sama|also)\s+"
    r"(?:(?:saya|sy|aku|i)\s+)?(?:(?:mau|ingin|pengen|mo|want\s+to|would\s+like\s+to)\s+)?"
    r"(?:tanya|nanya|bertanya|menanyakan|ask)\b", re.IGNORECASE)
REPORT_BEFORE_QUESTION_WORDS = 4  # fewer words before the question, and they are no report


# "saya mau tanya, kalau mau bikin KTP syaratnya apa? terus jalan depan rumah saya di desa sooko rusak": a question
# first, then a problem after "?" (twenty-eighth trial: only KTP answers to pick from, and the road was lost)
_THEN_REPORTS = re.compile(r"\?\s*(?:(?:terus|trus|lalu|dan|sama|satu\s+lagi|oh\s+ya|oiya|juga|also|and|then)\b"
                           r"[\s,]*(?:juga\s+|pak\s+|bu\s+|min\s+)?)?(?P<report>[^?]+)$", re.IGNORECASE)


def complaint_then_question(text: str) -> tuple[str, str] | None:
    """The report and the question of a message that tells a problem, then asks something else (or asks first, then
    tells the problem after the question mark); else None."""
    found = _ALSO_ASKS.search(text)
    if found is None:
        then = _THEN_REPORTS.search(text)
        if then is None or len(then.group("report").split()) < REPORT_BEFORE_QUESTION_WORDS:
            return None
        asked = text[:then.start()].strip(" ,.;")
        return (then.group("report").strip(" ,.;"), asked + "?") if len(asked.split()) >= 3 else None
    report, asked = text[:found.start()].strip(" ,.;"), text[found.start():].strip(" ,.;")
    if len(report.split()) < REPORT_BEFORE_QUESTION_WORDS or len(asked.split()) < 3:
        return None
    return report, asked


def addresses_regent(text: str) -> bool:
    """The complaint opens by addressing the regent ("pak bupati yth, bantuan PKH ibu saya ...")."""
    return bool(_TO_REGENT.search(text[:120]))


# --- two problems in one message ---------------------------------------------------------------------
SECOND_KEY = "second_issue"
SECOND_DONE_KEY = "second_issue_done"  # the offices one message's complaints went to, while its next is offered
SECOND_MIN_WORDS = 2  # "jalan rusak dan lampu mati juga": two words name a problem
# A chat message listing problems is short; a long portal-style report names many things in passing ("… cek di
# aplikasi", "Di jl …"), and offering each as a complaint of its own was wrong more often than right (twenty-fifth
# trial: of 400 real Bandung reports, 34 got an offer, most of them nonsense; of the 116 up to this long, 2).
SECOND_MAX_WORDS = 40
PLACE_ONLY_SHARE = 0.6  # a part mostly made of a place names no problem
# Where a message passes from one problem to the next: sentence ends, commas ("jalan rusak parah, lampu jalannya
# juga mati, terus sampah numpuk …"), and "dan", "serta", "selain itu"... A bare "juga" is not one: "lampu jalannya
# juga mati" is a single problem.
_CLAUSES = re.compile(r"[.;!?\n,]+|\s+(?:dan juga|dan|serta|selain itu|terus|trus|lalu|plus|and also|and|also)\s+"
                      # "saya mau lapor 2 hal: jalan rusak dan lampu mati" (thirty-first trial: unsure topics)
                      r"|(?<=\bhal)\s*:\s*|(?<=\bmasalah)\s*:\s*|(?<=\bkeluhan)\s*:\s*|(?<=\bthings)\s*:\s*"
                      r"|(?<=\bproblems)\s*:\s*|(?<=\bissues)\s*:\s*", re.IGNORECASE)


def clauses_of(text: str) -> list[str]:
    """The parts of a short message that may each tell a problem of its own (none for a long report): each says
    what is wrong ("rusak", "mati", "numpuk"), and is more than a place ("Desa Wargaluyu", which the NLU read as a
    village-fund matter: of 585 short real reports routed with confidence, 38 were named another problem that way,
    8 with this rule, most of them rightly)."""
    if len(text.split()) > SECOND_MAX_WORDS:
        return []
    clauses = [c.strip(" ,") for c in _CLAUSES.split(text) if len(c.split()) >= SECOND_MIN_WORDS]
    return [c for c in clauses if PROBLEM_WORDS.search(u.plain(c))
            and len(place_in_text(c) or "") < PLACE_ONLY_SHARE * len(c)]


async def two_matters(turn: Turn, text: str, most: int = 2) -> list[str]:
    """The topics of the first parts (up to `most`) of a short message that each name, confidently, a problem of a
    different office ("jalan rusak di depan SD 2 puri, terus lampu jalannya juga mati semua"), in the order told."""
    clauses = clauses_of(text)
    found: dict[str, str] = {}  # OPD -> its first topic
    for clause in clauses[:6] if len(clauses) >= 2 else []:
        try:
            result = ParseResult.from_dict(await turn.services.nlu.parse(clause[:1000]))
        except Exception:  # the usual choice is shown instead
            logger.warning("two-problem check skipped: the NLU did not answer", exc_info=True)
            return []
        routing = result.routing
        if (routing is not None and result.gate == GATE_COMPLAINT and routing.by == "model"
                and routing.topic in turn.directory.routing and routing.confidence >= turn.directory.route_threshold):
            found.setdefault(turn.directory.routing[routing.topic], routing.topic)
    return list(found.values())[:most]


async def other_matters(turn: Turn, text: str, opd: str | None) -> list[str]:
    """The topics of the other offices a short message names with confidence, beside the one it was routed to."""
    return [t for t in await two_matters(turn, text, most=3) if turn.directory.routing[t] != opd][:2]


async def offer_second_issue(turn: Turn, ticket: Ticket) -> None:
    """"jalan rusak dan lampu jalan mati semua": after filing the first, a part of the message that confidently
    names a problem of another agency is offered as a complaint of its own (the same place), one button away."""
    ranking = ticket.extra.get("ranking") or []
    # The topic the whole message was read as, when the resident chose another (or "Lainnya"): the same problem,
    # which they already declined ("BTS → Diskominfo" turned down is not offered again as a second complaint).
    # ("dua duanya": neither was declined, whichever the NLU ranked first.)
    declined = (str(ranking[0][0]) if ranking and ranking[0] and ranking[0][0] != ticket.topic
                and not ticket.extra.get("both") else None)
    # "saya mau lapor 3 hal: 1. jalan rusak … 2. lampu jalan mati … 3. sampah …": the offices already filed from
    # this same message are not offered again, so the third problem comes after the second
    earlier = turn.state.pop(SECOND_DONE_KEY, None)
    done = set(earlier.get("opds") or ()) if isinstance(earlier, dict) and earlier.get("text") == ticket.text else set()
    done.add(ticket.opd_id or "")
    await _offer_next_issue(turn, ticket.text or "", ticket.location, done, declined)


async def offer_after_declined(turn: Turn, offer: dict[str, Any]) -> bool:
    """"tidak" to the second problem of a message: its third, if it names one (the offer ended there before)."""
    done = {str(o) for o in offer.get("done") or ()} | {str(offer.get("opd") or "")}
    return await _offer_next_issue(turn, str(offer.get("text") or ""), offer.get("location"), done, None)


async def _offer_next_issue(turn: Turn, text: str, location: Any, done: set[str], declined: str | None) -> bool:
    """Offer the first part of the message that confidently names a problem of an office not in `done`."""
    clauses = clauses_of(text)
    if len(clauses) < 2:
        return False
    for clause in clauses[:6]:
        try:
            result = ParseResult.from_dict(await turn.services.nlu.parse(clause[:1000]))
        except Exception:  # an offer is a courtesy: the complaint just filed never waits on it
            logger.warning("second-problem check skipped: the NLU did not answer", exc_info=True)
            return False
        routing = result.routing
        if (routing is None or result.gate != GATE_COMPLAINT or routing.by != "model"
                or routing.topic not in turn.directory.routing or routing.confidence < turn.directory.route_threshold
                or routing.topic == declined or turn.directory.routing[routing.topic] in done):
            continue
        opd = turn.directory.routing[routing.topic]  # (the regency's office for it, as the complaint will be routed)
        # a part with a place of its own, in a message naming two ("… di desa sooko dan lampu jalan mati di desa
        # puri"), is at its own place: asked (with that guess), not the first complaint's
        own = place_in_text(clause)
        elsewhere = own is not None and len({u.plain(p) for c in clauses if (p := place_in_text(c))}) >= 2
        turn.state[SECOND_KEY] = {"text": text, "part": clause, "location": None if elsewhere else location, "opd": opd,
                                  "done": sorted(done)}
        turn.state[SECOND_DONE_KEY] = {"text": text, "opds": sorted(done)}
        turn.say("second_issue_offer_elsewhere" if elsewhere else "second_issue_offer",
                 [turn.button("second_issue_yes", u.ALSO), turn.button("second_issue_no", u.NO)],
                 topic=topic_name(turn, routing.topic), opd=opd_name(turn, opd), place=own)
        return True
    return False


# "eh iya pak satu lagi, sampah di pasar numpuk gak diangkut", "oh ya sekalian, …", "one more thing: …" in the middle of
# a complaint: another matter, kept for after this one is sent (twenty-sixth trial: "continue, or make this a new
# complaint?" was asked, and the draft's own step was lost)
_ONE_MORE = re.compile(r"^\W*(?:(?:eh+|oh+|o|oiya|oya|iya|ya|nggih|inggih|pak|bu|mas|mbak|kak|min|dan|and|terus|"
                       r"trus)\W+)*"
                       r"(?:satu\s+lagi|1\s+lagi|ada\s+(?:satu\s+)?lagi|sekalian|selain\s+itu|one\s+more(?:\s+thing)?|"
                       r"another\s+thing|also|setunggal\s+malih|siji\s+(?:maneh|meneh|engkas)|sekalian\s+mawon)\b")
NEXT_MATTER_KEY = "next_matter"  # state: the other matter told mid-draft, offered once the draft is sent
NEXT_MATTER_HOURS = 2  # later, the draft was left: the matter is not offered out of the blue


async def note_next_matter(turn: Turn, text: str, parse: dict[str, Any]) -> bool:
    """Another matter begun with "satu lagi" mid-draft, when it reads as a complaint of another topic: noted (the
    resident told so, with its office when the NLU is sure), for `offer_next_matter`."""
    if not _ONE_MORE.match(u.plain(text)) or len(text.split()) < 4:
        return False
    draft = ComplaintDraft.load(turn.state)
    result = ParseResult.from_dict(parse)
    routing = result.routing
    if result.gate != GATE_COMPLAINT or routing is None or routing.topic == draft.topic:
        return False  # "oh iya satu lagi, lubangnya dalam": more of this one
    sure = routing.confidence >= turn.directory.route_threshold and routing.topic in turn.directory.routing
    lead = re.match(_ONE_MORE.pattern + r"\W*", text.strip(), re.IGNORECASE)
    told = text.strip()[lead.end():] if lead and len(text.strip()[lead.end():].split()) >= 3 else text.strip()
    turn.state[NEXT_MATTER_KEY] = {"text": told[:4000], "at": turn.now.isoformat()}  # (without "satu lagi")
    if sure:
        turn.say("next_matter_noted", topic=topic_name(turn, routing.topic),
                 opd=opd_name(turn, turn.directory.routing[routing.topic]))
    else:
        turn.say("next_matter_noted_plain")
    return True


def offer_next_matter(turn: Turn, ticket: Ticket) -> bool:
    """Right after filing: the matter noted mid-draft, offered as its own complaint (the same buttons as a second
    problem in one message). False when none is noted, or it was noted hours ago."""
    noted = turn.state.pop(NEXT_MATTER_KEY, None)
    if not isinstance(noted, dict) or not isinstance(noted.get("at"), str) or \
            turn.now - datetime.fromisoformat(noted["at"]) > timedelta(hours=NEXT_MATTER_HOURS):
        return False
    text = str(noted.get("text") or "")
    turn.state[SECOND_KEY] = {"text": text, "part": text, "location": None, "opd": "", "done": [ticket.opd_id or ""]}
    turn.say("next_matter_offer", [turn.button("second_issue_yes", u.ALSO), turn.button("second_issue_no", u.NO)],
             text=shorten(" ".join(text.split()), 120))
    return True


async def start_second_issue(turn: Turn, offer: dict[str, Any]) -> None:
    """The offered second problem: its own complaint, routed by its part of the message, at the same place."""
    parse = await turn.services.nlu.parse(str(offer.get("part") or "")[:1000])
    await start_from_text(turn, str(offer.get("text") or ""), parse,
                          ComplaintDraft(location=offer.get("location") or None), next_of_many=True)


async def alert_regent(turn: Turn, ticket: Ticket) -> None:
    """An urgent complaint goes straight to the regent too."""
    for key in await regent_recipients(turn):
        lang = await staff_lang(turn, key)
        text = turn.t(
            "urgent_card",
            lang,
            number=ticket.number,
            topic=topic_name(turn, ticket.topic, lang),
            opd=opd_name(turn, ticket.opd_id),
            location=location_text(turn, ticket, lang),
            text=ticket.text,
        )
        turn.deliver(key, [Reply(text, ticket=ticket.number)], f"urgent:{ticket.number}")


async def notify_triage(turn: Turn, ticket: Ticket) -> None:
    ranking = ticket.extra.get("ranking") or []
    for key in await operator_recipients(turn):
        lang = await staff_lang(turn, key)
        guesses = [
            f"{topic_name(turn, n, lang)} → {opd_name(turn, turn.directory.routing[n])} ({s:.0%})"
            for n, s in ranking
            if n in turn.directory.routing
        ][:3]
        opds = list(dict.fromkeys(turn.directory.routing[n] for n, _ in ranking if n in turn.directory.routing))
        # One button per OPD, named as staff know it ("Dinas PUPR"); /rute picks that OPD's likeliest topic.
        buttons = tuple(Button(opd_name(turn, o), f"/rute {ticket.number} {o}") for o in opds[:3])
        text = turn.t("card_triage", lang, number=ticket.number, guess="; ".join(guesses) or "-", text=ticket.text)
        turn.deliver(key, [Reply(text, buttons, ticket=ticket.number)], f"triage:{ticket.number}")
