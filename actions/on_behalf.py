"""Filing for a resident who cannot use the bot: a village official or companion (pendamping) files for them.

The official is enrolled by code like an officer (`python -m bot invite --role pendamping`). They start
with `/wakili NOMOR_HP [nama]`, confirm that the resident agreed (`/wakili_setuju`), then go through the
ordinary complaint flow. The ticket's reporter is the resident's phone (on WhatsApp when that number
already writes to us there, else SMS), so the ticket number and every update reach the resident, who
can answer and check the status from that phone. A resident with no phone at all is filed for with
`/wakili Nama Warga[, Dusun/Desa]`: the official stays the reporter of record, so the ticket number and
every update reach the official, who passes them on in person (as SP4N-LAPOR!'s and FixMyStreet's
assisted reports do). The ticket keeps who filed it and for whom (`extra.on_behalf`); officers see it on
the card, and the official lists what they filed with `/wakilan`.
"""

from __future__ import annotations

import re
from typing import Any

from actions import understand as u
from actions.base import Turn, command
from actions.common import NO_PHONE, NO_SMS, status_name, topic_name
from bot.channels.sms import normalise_number
from bot.message import Reply
from bot.store.base import Ticket

ROLE_COMPANION = "pendamping"
PENDING = "behalf_pending"
HINTED_MATTER = "behalf_hinted_matter"  # the hint's own message when it told the problem: the report, once agreed
KEPT_HINT_WORDS = 12  # a message that speaks for a resident at least this long tells their problem too
HINTED_TWICE = "behalf_hinted_twice"  # the hint was offered a second time: not a third
HINTED_PHONE = "behalf_hinted_phone"  # the phone the hinted resident was named with ("atas nama pak Darto, 0812…")
HINTED = "behalf_hinted"  # the resident's name the last hint offered to file for (its next message may be about them)
ACTIVE = "behalf"
FILED = "behalf_filed"
FILED_KEPT = 20
NAME_MAX_CHARS = 80

# A phone number somewhere in "/wakili Bu Sri 0857-0000-1111"; away from the start it needs a mobile's length,
# so that "RT 002 003" in a village is never taken for one.
_PHONE = re.compile(r"\+?\d[\d().\-\s]{4,}\d")
_PHONE_DIGITS_INSIDE = 9
# "Mbah Sarinah, Dusun Krajan", "Mbah Sarinah dari Dusun Krajan", "Mbah Sarinah Dusun Krajan RT 02"; only a
# lowercase "dari" is a word, so that "Pak Dari" stays a name.
_PLACE_WORD = r"(?:dusun|dsn\.?|desa|ds\.|kelurahan|kel\.|kampung|kp\.|rt|rw)\b"
_NAME_AND_PLACE = re.compile(rf"^(?P<name>[^,]+?)\s*(?:,\s*|\s+(?-i:dari)\s+|\s+(?={_PLACE_WORD}))(?P<place>.+)$",
                             re.IGNORECASE)

# What a village official writes when they mean to file for someone else (`offer_filing_for`).
# ... and "mau bantu laporkan keluhan warga saya mbah Karto", "ini aduan dari warga kami pak Darmo"
_FOR_SOMEONE = re.compile(
    r"\b(?:atas\s+nama|untuk\s+warga(?:\s+(?:saya|kami|kita))?|mewakili|mewakilkan|wakili|bantu\s+(?:lapor|laporkan|melaporkan|melapor|"
    r"mengadukan|adukan)|(?:keluhan|aduan|laporan|masalah)\s+(?:dari\s+)?warga(?:\s+(?:saya|kami|kita))?"
    # "warganya bu minah, jalan di depan rumahnya ambles" (thirty-first trial: filed as the official's own)
    # ("ini ada warga saya bu suminah, rt 3, atap rumahnya bocor": thirty-sixth trial, filed as the official's own)
    # ("pak, warga saya bu Ijah mau lapor …": fortieth trial, the comma after "pak" hid it)
    r"|^\W*(?:(?:ini|itu|ada|pak|bu|mohon|tolong|maaf|permisi)[\s,]+){0,3}warga(?:nya)?(?:\s+(?:saya|kami|kita))?"
    r"(?=\s+(?:mbah|pak|bapak|bu|ibu|mak|nenek|kakek|eyang|mas|mbak)\b)"
    # "tolong juga laporkan untuk pak sarno, rumahnya rusak kena angin" (thirty-seventh trial: how to file, no name)
    r"|(?:laporkan|lapor|melapor|melaporkan|adukan|mengadukan|ngadu)\s+(?:juga\s+)?(?:untuk|buat)"
    r"(?=\s+(?:mbah|pak|bapak|bu|ibu|mak|nenek|kakek|eyang|mas|mbak)\b))\b"
    r"(?:\s+(?:keluhan|aduan|laporan|untuk|dari|warga(?:\s+(?:saya|kami|kita))?|saudara|sdr\.?|sdri\.?|"
    r"yang\s+bernama|bernama|namanya))*\s*(?P<rest>.*)",
    re.IGNORECASE | re.DOTALL)
# "mau bantu bu sri lapor, …": the resident named between "bantu" and the verb, read as "bantu lapor bu sri, …"
_HELP_NAME_REPORT = re.compile(r"\bbantu\s+(?P<name>(?:(?!lapor|melapor|ngadu|mengadu)\S+\s+){1,3}?)"
                               r"(?P<verb>lapor|melapor|ngadu|mengadu)\b", re.IGNORECASE)
_WITHOUT_PHONE = re.compile(
    r"\b(?:tidak|tdk|tak|gak|ga|nggak|ngga|enggak|gk|belum|blm)\s+(?:punya|pnya|py|ada|memiliki|pegang)\s+"
    r"(?:hp|hape|handphone|henpon|ponsel|telepon|telpon|telp|no\.?\s*hp|nomor\s+hp)\b",
    re.IGNORECASE)
# Words that end a guessed name: "atas nama mbah Sarinah yang tinggal...", "mbah Sarinah beliau tdk punya hp".
_NAME_STOP = frozenset("""yang beliau dia ia karena krn soalnya sebab tidak tdk tak gak nggak belum blm mau ingin
    minta mohon untuk utk di dari rumah rumahnya jalan dan atau sudah sdh lagi ini itu tsb tersebut
    punya sedang lapor melapor melaporkan aduan mengadu kena""".split())
_HONORIFICS = frozenset("mbah pak bapak bu ibu mak nenek nek kakek kek eyang mas mbak bang kak sdr sdri h hj".split())
# "atas nama pemerintah desa", "atas nama saya sendiri": the official speaking for an office or themself.
_NOT_A_RESIDENT = frozenset("desa pemerintah pemdes kelurahan dusun rt rw kami saya aku pribadi sendiri lembaga "
                            "kantor instansi organisasi karang".split())
_NAME_WORDS = 4
# "mbah sarinah minta dilaporkan, …", "pak Darmo nitip laporan: …", "bu Siti minta tolong diadukan …": a resident who
# asked the official to report for them, named first (with an honorific, so "jalan depan rumah minta diperbaiki" is not)
_ASKED_BY = re.compile(
    r"^(?P<name>(?:mbah|pak|bapak|bu|ibu|mak|nenek|nek|kakek|eyang|mas|mbak|bang|kak)\.?\s+[^\W\d_]+(?:\s+[^\W\d_]+)?)"
    # ("mbah karto mau lapor, jalan ke sawah rusak, dia tidak punya hp": thirty-fourth trial, no name guessed and the
    # complaint then filed as the official's own)
    r"\s+(?:minta|meminta|mohon|nitip|titip|menitipkan|mau|ingin|pengen|pingin|arep|badhe)\s+(?:tolong\s+)?(?:di)?"
    r"(?:laporkan|laporin|lapor|laporke|adukan|aduke|sampaikan|laporan|aduan|keluhan|melapor|mengadu|ngadu)\b",
    re.IGNORECASE)
# "pak darmo, rumahnya kebanjiran tiap hujan": a resident named with an honorific, a comma, and their problem (not
# "pak kades, …" nor "bu, …", who are spoken to)
_NAMED_FIRST = re.compile(
    r"^(?P<name>(?:mbah|pak|bapak|bu|ibu|mak|nenek|nek|kakek|eyang)\.?\s+(?!(?:kades|lurah|camat|bupati|kepala|rt|rw|"
    r"kadus|sekdes|carik|petugas|admin|dokter|bidan|guru|haji|ustad\w*|kyai|polisi|pol|babinsa)\b)[^\W\d_]+"
    r"(?:\s+[^\W\d_]+)?)\s*[,:;]\s*(?=\S)", re.IGNORECASE)
# "apakah saya bisa lihat status semua laporan warga yang saya bantu?", "daftar aduan yang saya wakili": /wakilan
_MY_FILED = re.compile(
    r"\b(?:laporan|aduan|pengaduan|tiket)\w*\s+(?:\S+\s+){0,3}?(?:yang|yg)\s+(?:(?:sudah|udah|udh|sdh|pernah|telah)\s+)?(?:saya|sy|aku|kami)\s+(?:bantu|bantu\s+\w+|"
    r"catat|catatkan|wakili|laporkan|ajukan|daftarkan)\b|\b(?:laporan|aduan)\w*\s+(?:semua\s+)?warga\s+(?:yang|yg)\s+"
    r"(?:saya|sy|aku|kami)\b"
    # "berapa warga yang sudah saya bantu lapor bulan ini?" (fortieth trial: a filing offered in the name of "Bulan")
    r"|\b(?:berapa|brp|jumlah|how\s+many)\s+(?:warga|orang|aduan|laporan|residents?|people)\b.*\b(?:saya|sy|aku|kami|i)\s+"
    r"(?:bantu|wakili|laporkan|catat|catatkan|ajukan|helped|filed)\w*\b"
    # "berapa aduan warga saya yang belum selesai?" (forty-first trial: how to file for a resident)
    r"|\b(?:laporan|aduan|pengaduan|tiket)\w*\s+(?:para\s+)?warga\s+(?:saya|sy|kami|binaan\s+saya)\b")
# "gimana cara lapor untuk warga yang gak punya hp?": how an official files for a resident
_HOW_FOR_RESIDENT = re.compile(
    r"\b(?:cara\w*|gimana|bagaimana|gmn|how)\b.*\b(?:lapor\w*|melapor\w*|aduan|mengadu|report\w*|file)\b.*"
    r"\b(?:untuk|buat|atas\s+nama|for|on\s+behalf)\b.*\b(?:warga|orang|mbah|resident|someone)\b")


def _mask(phone: str) -> str:
    return phone[:4] + "*" * max(0, len(phone) - 7) + phone[-3:]


@command("wakili", roles=(ROLE_COMPANION,), usage="/wakili [NOMOR_HP] Nama Warga")
async def cmd_file_for(turn: Turn, args: str) -> None:
    """Start filing for a resident: their phone number and (optional) name, or only the name (and village)
    of a resident who has no phone; consent is asked next."""
    turn.state.pop(HINTED, None)
    told = turn.state.pop(HINTED_MATTER, None)
    pending = parse_resident(args)
    if pending is None:
        turn.say("behalf_usage")
        return
    if isinstance(told, dict) and str(told.get("name") or "").lower() == str(pending.get("name") or "").lower():
        pending["matter"] = str(told.get("text") or "")  # the hint's message, filed once the resident agrees
    turn.state.pop(ACTIVE, None)
    turn.state[PENDING] = pending
    await _ask_consent(turn, pending)


def _phone_in(text: str) -> str | None:
    """A mobile number in a message ("atas nama pak Darto, 081234567891, …"), normalised, or None."""
    for found in _PHONE.finditer(text):
        if sum(c.isdigit() for c in found.group(0)) >= _PHONE_DIGITS_INSIDE and (phone := normalise_number(
                found.group(0))):
            return phone
    return None


def hinted_resident(turn: Turn, name: str) -> str:
    """The hinted resident as `/wakili` takes them: their phone first when they were named with one."""
    phone = turn.state.pop(HINTED_PHONE, None)
    return f"{phone} {name}" if isinstance(phone, str) and phone else name


# "pak darto sudah setuju", "beliau sudah setuju" right after the hint (thirty-ninth trial: "no report filed in
# Pak Darto's name yet"): filed for them, their consent given
_AGREED = re.compile(r"\b(?:sudah\s+|udah\s+|sdh\s+|wis\s+|sampun\s+)?(?:setuju|bersedia|mengizinkan|ngizinin|"
                     r"izinkan|agreed|agrees|consented)\b")
AGREED_WORDS = 8


async def agreed_after_hint(turn: Turn) -> bool:
    hinted = turn.state.get(HINTED)
    text = turn.message.text.strip()
    if (turn.identity.role != ROLE_COMPANION or not isinstance(hinted, str) or not text or text.startswith("/")
            or turn.state.get("flow") or turn.state.get(PENDING) or len(text.split()) > AGREED_WORDS
            or not _AGREED.search(u.plain(text)) or u.yes_no(text) is False or u.is_question(text)):
        return False
    turn.state.pop(HINTED, None)
    before = len(turn.replies)
    await cmd_file_for.handler(turn, hinted_resident(turn, hinted))
    if turn.state.get(PENDING):
        del turn.replies[before:]  # (the consent question: answered already)
        turn.say("behalf_agreed_noted", name=hinted)
        await cmd_consent.handler(turn, "")
    return True


def parse_resident(args: str) -> dict[str, Any] | None:
    """"08123456789 Bu Sri" (or "Bu Sri 0812 3456 789"): phone and optional name; "mbah Sarinah, Dusun Krajan":
    a resident without a phone (phone None) and where they live; None when it is neither (a mistyped number,
    nothing at all)."""
    text = " ".join(args.split())
    found = _PHONE.search(text)
    if found:
        phone = normalise_number(found.group(0))
        digits = sum(c.isdigit() for c in found.group(0))
        if phone and (found.start() == 0 or digits >= _PHONE_DIGITS_INSIDE):
            name = " ".join((text[:found.start()] + " " + text[found.end():]).split()).strip(" ,")
            return {"phone": phone, "name": name[:NAME_MAX_CHARS] or None}
    if not text or text[0].isdigit() or text[0] == "+" or not any(c.isalpha() for c in text):
        return None  # "/wakili 0857 Bu Sri": a number too short is a typo, never a name
    both = _NAME_AND_PLACE.match(text)
    name, village = (both.group("name"), both.group("place")) if both else (text, None)
    name = _capitalised(name.strip(" ,"))
    if not any(c.isalpha() for c in name):
        return None
    return {"phone": None, "name": name[:NAME_MAX_CHARS], "village": (village or "").strip(" ,")[:NAME_MAX_CHARS]
            or None}


def _capitalised(name: str) -> str:
    """"mbah sarinah" as "Mbah Sarinah"; a word typed with capitals ("McD", "RT") is left as it is."""
    return " ".join(w[:1].upper() + w[1:] if w.islower() else w for w in name.split())


async def _ask_consent(turn: Turn, pending: dict[str, Any]) -> None:
    buttons = (turn.button("behalf_consent_yes", "/wakili_setuju"), turn.button("behalf_consent_no", "/batal"))
    phone = pending.get("phone")
    if not phone:  # a resident without a phone: they agree in person, and hear from the official
        village = pending.get("village")
        turn.say("behalf_consent_nophone", buttons, name=pending.get("name") or "",
                 village=f" ({village})" if village else "")
        return
    reach = await _reach(turn, str(phone))
    pending["reach"] = reach  # for the summary's "on behalf of" line
    named = f" {pending['name']}" if pending.get("name") else ""
    turn.say("behalf_consent_via", buttons, phone=_mask(str(phone)), how=turn.t(f"behalf_reach_{reach}"), name=named)


async def _reach(turn: Turn, phone: str) -> str:
    """How the resident will hear from us: "whatsapp" (that number writes to us there), "sms", or "none"."""
    if await turn.store.get_identity(f"whatsapp:{phone}"):
        return "whatsapp"
    return "sms" if turn.services.settings.sms.enabled else "none"


async def answer_consent(turn: Turn) -> bool:
    """A typed answer to "has the resident agreed?" ("ya, sudah setuju", "belum", "batal"); False when the
    official is not being asked, or the message is a command."""
    pending = turn.state.get(PENDING)
    text = turn.message.text.strip()
    if not pending or turn.identity.role != ROLE_COMPANION or not text or text.startswith("/"):
        return False
    if u.is_cancel(text):
        turn.state.pop(PENDING, None)
        turn.say("behalf_cancelled", turn.menu_buttons())
        return True
    if u.is_question(text) and len(text.split()) >= 4 and u.yes_no(text.split()[0]) is None:
        # "bagaimana cara melaporkan untuk warga yang tidak punya HP?" (thirty-fifth trial: its "tidak" was taken
        # for "not agreed", and the report dropped): a question, answered when it asks how, and the consent again
        turn.say("behalf_how" if _HOW_FOR_RESIDENT.search(u.plain(text)) else "behalf_consent_unclear")
        await _ask_consent(turn, pending)
        return True
    if (fixed := _phone_in(text)) and _PHONE_FIX.search(u.plain(text)) and fixed != pending.get("phone"):
        # "eh salah nomor hp pak darto, yang benar 081234567892" (thirty-ninth trial: kept as the matter)
        pending["phone"] = fixed
        pending.pop("reach", None)
        turn.state[PENDING] = pending
        turn.say("behalf_phone_changed", phone=_mask(fixed))
        await _ask_consent(turn, pending)
        return True
    agreed = u.yes_no(text)
    if agreed and len(text.split()) >= MATTER_MIN_WORDS and u.yes_no(text.split()[0]) is not True:
        agreed = None  # "rumah mbah darmi atapnya bocor parah, mau roboh": its "mau" is no yes (thirty-third trial:
        # taken for the consent, and the matter lost)
    if _NEWS_VIA_ME.search(u.plain(text)) and (pending.get("phone") or u.yes_no(text.split()[0]) is not True):
        # ("mbah karto tidak punya hp, nanti kabarnya ke saya saja ya" for one without a phone: thirty-sixth trial, kept
        # as the matter; it is so already, said, and the consent asked again)
        # "bu sri minta dikabari lewat saya saja, hp nya jarang aktif" (thirty-fourth trial: kept as the matter): the
        # resident hears through the official, as for one without a phone; the consent asked again
        pending.pop("phone", None)
        pending.pop("reach", None)
        turn.state[PENDING] = pending
        turn.say("behalf_news_via_you", name=pending.get("name") or turn.t("behalf_the_resident"))
        await _ask_consent(turn, pending)
    elif agreed:
        await cmd_consent.handler(turn, "")
    elif agreed is False:
        turn.state.pop(PENDING, None)
        turn.say("behalf_not_agreed", turn.menu_buttons())
    elif len(text.split()) >= MATTER_MIN_WORDS and not u.is_question(text):
        # "saluran irigasi sawah pak darto jebol sejak banjir kemarin": the matter, told before the consent; kept
        # and filed from once the resident has agreed
        pending["matter"] = text[:4000]
        turn.state[PENDING] = pending
        turn.say("behalf_matter_kept", name=pending.get("name") or turn.t("behalf_the_resident"))
        await _ask_consent(turn, pending)
    else:
        turn.say("behalf_consent_unclear")
        await _ask_consent(turn, pending)
    return True


# "minta dikabari lewat saya saja", "kabarnya ke saya aja, hp nya jarang aktif", "send the news to me instead"
_NEWS_VIA_ME = re.compile(
    r"\b(?:lewat|melalui|via|ke|kepada|sama|through|to)\s+(?:saya|aku|sy|kula|me)\s+(?:saja|aja|wae|mawon|instead)\b"
    r"|\b(?:kabar|kabari|dikabari|kabarnya|info|infonya|pemberitahuan|news)\w*\s+(?:\S+\s+)?(?:lewat|melalui|via|ke|"
    r"kepada|to|through)\s+(?:saya|aku|sy|kula|me)\b"
    r"|\b(?:hp|hape|nomor|nomornya|hpnya|wa|phone)\s*(?:nya|ne)?\s+(?:\S+\s+)?(?:jarang\s+aktif|tidak\s+aktif|gak\s+aktif|"
    r"ga\s+aktif|mati|rusak|hilang|sering\s+mati|rarely\s+on|is\s+off|broken)\b"
    # "bu Sumi tidak punya hp" at the consent question (thirty-ninth trial: its "tidak" read as "not agreed")
    r"|\b(?:tidak|tdk|gak|ga|gk|nggak|ngga|enggak|ndak|belum|ora|mboten|no|doesn'?t\s+have)\s+(?:punya|ada|pakai|pake|"
    r"gadah|duwe|nduwe|kagungan|have)\s+(?:hp|hape|handphone|ponsel|wa|whatsapp|nomor|telepon|phone)\b")
# "eh salah nomor hp pak darto, yang benar 0812…": the number corrected
_PHONE_FIX = re.compile(r"\b(?:salah|keliru|ralat|ganti|bukan|yang\s+benar|yg\s+benar|harusnya|seharusnya|wrong)\b")
MATTER_MIN_WORDS = 5  # at the consent question, a message this long that answers nothing tells the matter


@command("wakili_setuju", roles=(ROLE_COMPANION,), usage="/wakili_setuju")
async def cmd_consent(turn: Turn, args: str) -> None:
    """The resident agreed: the next complaint this official files is theirs."""
    pending = turn.state.pop(PENDING, None)
    if not pending:
        turn.say("behalf_usage")
        return
    matter = str(pending.pop("matter", "") or "")
    turn.state[ACTIVE] = {**pending, "consent_at": turn.now.isoformat()}
    from actions import complaint

    if matter:  # told while the consent was asked: the report starts from it, not "tell me again"
        await complaint.start_from_text(turn, matter, await turn.services.nlu.parse(matter[:1000]))
        return
    await complaint.start_from_menu(turn)


async def reporter_for(turn: Turn) -> tuple[str, dict[str, Any] | None]:
    """Who a complaint being submitted belongs to: the resident filed for, or the sender themself."""
    active = turn.state.get(ACTIVE)
    if not active or turn.identity.role != ROLE_COMPANION:
        return turn.identity.key, None
    if not active.get("phone"):  # no phone: the official stays the reporter, so every update reaches them
        return turn.identity.key, {"by": turn.identity.key, "by_name": turn.identity.name,
                                   "place": turn.identity.opd_id, "name": active.get("name"),
                                   "village": active.get("village"), "contact": NO_PHONE,
                                   "consent_at": active.get("consent_at")}
    phone = str(active["phone"])
    on_whatsapp = await turn.store.get_identity(f"whatsapp:{phone}")
    if not on_whatsapp and not turn.services.settings.sms.enabled:
        # nothing of ours reaches that number: the official stays the reporter and passes the news on
        return turn.identity.key, {"by": turn.identity.key, "by_name": turn.identity.name,
                                   "place": turn.identity.opd_id, "name": active.get("name"),
                                   "village": active.get("village"), "contact": NO_SMS, "phone": phone,
                                   "consent_at": active.get("consent_at")}
    reporter = f"whatsapp:{phone}" if on_whatsapp else f"sms:{phone}"
    return reporter, {"by": turn.identity.key, "by_name": turn.identity.name, "place": turn.identity.opd_id,
                      "name": active.get("name"), "consent_at": active.get("consent_at")}


def after_submit(turn: Turn, number: str, reporter: str, behalf: dict[str, Any] | None) -> None:
    """Tell the resident their ticket number on their phone; end the filing-for state."""
    if behalf is None:
        return
    turn.state.pop(ACTIVE, None)
    turn.state[FILED] = [*(turn.state.get(FILED) or []), number][-FILED_KEPT:]
    if behalf.get("contact") == NO_PHONE:  # nobody else to tell: the official hears everything and passes it on
        turn.say("behalf_filed_nophone", number=number, name=behalf.get("name") or "")
        return
    if behalf.get("contact") == NO_SMS:  # a phone nothing of ours reaches: the same
        turn.say("behalf_filed_nosms", number=number, phone=_mask(str(behalf.get("phone") or "")),
                 name=behalf.get("name") or turn.t("behalf_the_resident"))
        return
    lang = "id"
    phone = reporter.split(":", 1)[1]
    reach = "whatsapp" if reporter.startswith("whatsapp:") else "sms" if turn.services.settings.sms.enabled else "none"
    if reach != "none":  # without SMS nothing can reach a resident who never wrote to us
        text = turn.t("behalf_to_resident", lang, for_channel=reach, number=number, name=behalf.get("name") or "",
                      by=behalf.get("by_name") or turn.t("role_pendamping", lang))
        turn.deliver(reporter, [Reply(text, ticket=number)], f"behalf:{number}")
    turn.say(f"behalf_filed_{reach}", number=number, phone=_mask(phone))


def village_filed_for(turn: Turn) -> str | None:
    """The hamlet or village of the resident an official is filing for, when the official gave one."""
    active = turn.state.get(ACTIVE)
    if not active or turn.identity.role != ROLE_COMPANION:
        return None
    return str(active.get("village") or "") or None


def summary_line(turn: Turn) -> str:
    """The summary's "on behalf of" line while an official files for a resident ("• Atas nama: Bu Sumi, updates to
    you"), so the official checks whose complaint it is before sending; empty otherwise."""
    active = turn.state.get(ACTIVE)
    if not active or turn.identity.role != ROLE_COMPANION:
        return ""
    name = str(active.get("name") or turn.t("behalf_summary_unnamed"))
    if active.get("phone") and active.get("reach") == "none":  # nothing of ours reaches it: news to the official
        reach = turn.t("behalf_summary_nosms", phone=_mask(str(active["phone"])))
    elif active.get("phone"):
        reach = turn.t("behalf_summary_phone", phone=_mask(str(active["phone"])))
    else:
        reach = turn.t("behalf_summary_nophone")
    return turn.t("behalf_summary_line", name=name, reach=reach)


def privacy_question(turn: Turn) -> str:
    """The text key of the complaint's identity question: about the resident's name when an official files for
    one, since it is the resident who is named (or not) on the ticket."""
    if turn.state.get(ACTIVE) and turn.identity.role == ROLE_COMPANION:
        return "behalf_ask_privacy"
    return "complaint_ask_privacy"


def offer_filing_for(turn: Turn, text: str) -> bool:
    """A village official's free text that files for someone else ("mau lapor atas nama mbah Sarinah, beliau tdk
    punya hp, ..."): tell them how to file it in the resident's name (a /wakili button when the name can be
    guessed) instead of filing it as their own complaint. False for anyone else, inside a flow, or when the
    message does not speak for someone."""
    hinted = turn.state.pop(HINTED, None)  # (the hint is taken up once, by the very next message)
    turn.state.pop(HINTED_PHONE, None)
    turn.state.pop(HINTED_MATTER, None)
    twice = turn.state.pop(HINTED_TWICE, None)
    if (turn.identity.role != ROLE_COMPANION or not text or text.startswith("/") or turn.state.get("flow")
            or turn.state.get(PENDING) or turn.state.get(ACTIVE)):
        return False
    if isinstance(hinted, str) and not twice and re.search(rf"\b{re.escape(hinted.lower())}\b", text.lower()):
        # "rumah mbah karto atapnya roboh …" right after the hint: about that resident, so offered once more
        turn.say("behalf_hint_again", (turn.button("behalf_hint_button", f"/wakili {hinted}", name=hinted),
                                       turn.button("behalf_hint_own", "/aduan")), name=hinted)
        # kept: "ya" next files for them (bot/dialogue.py), and this message is the matter once they agree
        turn.state[HINTED] = hinted
        turn.state[HINTED_MATTER] = {"name": hinted, "text": text[:4000]}
        turn.state[HINTED_TWICE] = True  # offered once more, not forever
        return True
    if (asked := _ASKED_BY.match(text.strip())) is not None and (name := _guess_name(asked.group("name").split())):
        # "mbah sarinah minta dilaporkan, jalan depan rumahnya rusak": the resident asked the official to report it;
        # the problem told is kept as the report once they agree
        kept = _tells_problem(text[asked.end():])
        turn.say("behalf_hint_named_kept" if kept else "behalf_hint_named",
                 (turn.button("behalf_hint_button", f"/wakili {name}", name=name),
                  turn.button("behalf_hint_own", "/aduan")), name=name)
        turn.state[HINTED] = name
        if kept:
            turn.state[HINTED_MATTER] = {"name": name, "text": text[:4000]}
        return True
    if ((named := _NAMED_FIRST.match(text.strip())) is not None and _tells_problem(text[named.end():])
            and (name := _guess_name(named.group("name").split()))):
        # "pak darmo, rumahnya kebanjiran tiap hujan, di RT 4" (thirty-fifth trial: filed as the official's own
        # complaint): a resident named, then their problem; kept as the report once they agree
        turn.say("behalf_hint_named_kept", (turn.button("behalf_hint_button", f"/wakili {name}", name=name),
                                            turn.button("behalf_hint_own", "/aduan")), name=name)
        turn.state[HINTED] = name
        turn.state[HINTED_MATTER] = {"name": name, "text": text[:4000]}
        return True
    if _SEVERAL.search(text):
        # "saya mau lapor untuk 3 warga sekaligus" (thirty-eighth trial: begun as the official's own complaint): one
        # complaint per resident, each in their name
        turn.say("behalf_hint_several", (turn.button("behalf_hint_own", "/aduan"),))
        return True
    for_someone = _FOR_SOMEONE.search(_HELP_NAME_REPORT.sub(r"bantu \g<verb> \g<name>", text))
    without_phone = bool(_WITHOUT_PHONE.search(text))
    words = _name_words(for_someone.group("rest")) if for_someone else []
    if for_someone and not without_phone and words[:1] and words[0].lower().strip(".") in _NOT_A_RESIDENT:
        return False  # "atas nama pemerintah desa": the official speaking for their office
    if not for_someone and not without_phone:
        return False
    name = _guess_name(words)
    own = turn.button("behalf_hint_own", "/aduan")
    if name:
        # "saya mau lapor untuk warga saya pak Darmo, rumahnya hampir roboh …": the problem is told already; kept
        # as the report once the resident agrees (the official was asked to tell it all again)
        kept = len(text.split()) >= KEPT_HINT_WORDS or _tells_problem(text)
        # "… atas nama pak Darto, 081234567891, lampu …": their phone with it (thirty-ninth trial: the button
        # filed for one without a phone, the number left in the report)
        phone = _phone_in(text)
        resident = f"{phone} {name}" if phone else name
        turn.say("behalf_hint_named_kept" if kept else "behalf_hint_named",
                 (turn.button("behalf_hint_button", f"/wakili {resident}", name=name), own), name=name)
        turn.state[HINTED] = name
        if phone:
            turn.state[HINTED_PHONE] = phone
        if kept:
            matter = _matter_after(_PHONE.sub(" ", text) if phone else text, name)
            turn.state[HINTED_MATTER] = {"name": name, "text": " ".join(matter.split()).strip(" ,")[:4000]}
    else:
        turn.say("behalf_hint", (own,))
    return True


_SEVERAL = re.compile(r"\b(?:untuk|buat|atas\s+nama|mewakili)\s+(?:\d+|dua|tiga|empat|lima|enam|beberapa|banyak|para|"
                      r"semua|sejumlah)\s+(?:orang\s+)?warga\b", re.IGNORECASE)
MATTER_AFTER_NAME_WORDS = 2
# the official's own introduction before the resident's name: "saya kades sooko, mau bantu lapor untuk …"
_INTRODUCTION = re.compile(r"\b(?:saya|sy|aku|kami|kula|lapor|melapor|melaporkan|bantu|membantu|mewakili|wakili|"
                           r"atas\s+nama)\b")


def _matter_after(text: str, name: str) -> str:
    """"saya kades sooko, mau bantu lapor untuk mbah karto, rumahnya hampir roboh" -> "mbah karto, rumahnya hampir
    roboh": the official's introduction left out (thirty-sixth trial: it was filed with the matter, and read as a
    complaint about village officials); "warganya bu minah, jalan …" stays whole."""
    found = re.search(rf"\b{re.escape(name)}\b", text, re.IGNORECASE)
    if found is None or len(text[found.end():].split()) < MATTER_AFTER_NAME_WORDS:
        return text
    return text[found.start():] if _INTRODUCTION.search(u.plain(text[:found.start()])) else text


KEPT_PROBLEM_WORDS = 5


def _tells_problem(text: str) -> bool:
    """"warganya bu minah, jalan di depan rumahnya ambles": short, but the problem is told (thirty-first trial: the
    official was asked to tell it again); "beliau tidak punya hp" tells none."""
    from actions.complaint import PROBLEM_WORDS  # (complaint imports this module: lazy)

    rest = _WITHOUT_PHONE.sub(" ", text)
    return len(rest.split()) >= KEPT_PROBLEM_WORDS and bool(PROBLEM_WORDS.search(u.plain(rest)))


def _name_words(rest: str) -> list[str]:
    """The words that follow "atas nama", up to the first punctuation."""
    # ("untuk warga saya, mbah darmo rt 3 …": the name after the comma that follows "warga saya")
    return re.split(r"[,.;:!?()\n]", rest.lstrip(" ,;:-"), maxsplit=1)[0].split()


def _guess_name(words: list[str]) -> str | None:
    """"mbah Sarinah beliau tdk punya hp" -> "Mbah Sarinah"; None when no word of a name is there ("warga")."""
    name: list[str] = []
    for word in words[:_NAME_WORDS]:
        plain = word.lower().strip(".'")
        if plain in _NAME_STOP or plain in _NOT_A_RESIDENT or not word.replace(".", "").replace("'", "").isalpha():
            break
        name.append(word)
    if not any(w.lower().strip(".") not in _HONORIFICS for w in name):
        return None  # "atas nama ibu, ..." names nobody we could write on a ticket
    return _capitalised(" ".join(name))


@command("wakilan", roles=(ROLE_COMPANION,), usage="/wakilan")
async def cmd_filed(turn: Turn, args: str) -> None:
    """The tickets this official filed for residents, with their status."""
    lines = []
    for number in reversed(turn.state.get(FILED) or []):
        ticket = await turn.store.get_ticket(number)
        if ticket is not None:
            lines.append(_filed_line(turn, ticket))
    if not lines:
        turn.say("behalf_none")
        return
    if u.HOW_MANY.search(u.plain(turn.message.text)):  # "berapa laporan yang sudah saya bantu?": the count first
        turn.say("behalf_count", count=len(lines))
    turn.say("behalf_list", items="\n".join(lines))


# "laporan mbah sarinah gimana pak?", "status laporan pak darmo?": one resident's report, asked after by name
_HOW_IS_IT = re.compile(r"\b(?:gimana|gmn|bagaimana|piye|pripun|kabar\w*|status\w*|sampai\s+mana|sampe\s+mana|"
                        r"sudah|udah|udh|belum|blm|perkembangan\w*)\b")
NAMED_MAX_WORDS = 12
MY_FILED_WORDS = 16


def asks_own_filed(text: str) -> bool:
    """"aduan warga yang saya bantu apa saja?": the reports this official filed for others, asked after."""
    low = u.plain(text)
    return len(low.split()) <= MY_FILED_WORDS and bool(_MY_FILED.search(low))


async def status_by_name(turn: Turn) -> bool:
    """A village official asking after a report they filed for someone, by that person's name: its line as
    `/wakilan` shows it (whose, about what, where it stands), with its status. False when no one filed name matches,
    or several do. Asked of all of them ("status semua laporan warga yang saya bantu?"): `/wakilan`; asked how to file
    for someone: how."""
    text = u.plain(turn.message.text)
    if turn.identity.role != ROLE_COMPANION:
        return False
    if asks_own_filed(text):
        await cmd_filed.handler(turn, "")
        return True
    if len(text.split()) <= MY_FILED_WORDS and _HOW_FOR_RESIDENT.search(text) and u.is_question(turn.message.text):
        turn.say("behalf_how")
        return True
    if len(text.split()) > NAMED_MAX_WORDS or not _HOW_IS_IT.search(text):
        return False
    words = {w for w in text.split() if len(w) >= 3 and w not in _HONORIFICS}
    found = []
    for number in reversed(turn.state.get(FILED) or []):
        ticket = await turn.store.get_ticket(number)
        name = behalf_name(ticket) if ticket is not None else ""
        if ticket is not None and words & {w for w in u.plain(name).split() if w not in _HONORIFICS}:
            found.append(ticket)
    if not found and (named := _HONORED_NAME.search(turn.message.text)) is not None:
        # "laporan mbah karto gimana?" with nothing filed in that name (thirty-fourth trial: offered to an office)
        turn.say("behalf_name_none", name=_capitalised(named.group(0)))
        await cmd_filed.handler(turn, "")
        return True
    if len(found) != 1:
        return False
    turn.say("behalf_list", items=_filed_line(turn, found[0]))
    return True


_HONORED_NAME = re.compile(r"\b(?:mbah|pak|bapak|bu|ibu|mak|nenek|kakek|eyang)\s+(?!(?:bupati|camat|kades|lurah|kepala|"
                           r"petugas|rt|rw|dinas|wali|sekdes|carik|bidan|dokter|guru)\b)[^\W\d_]{3,}", re.IGNORECASE)


def _filed_line(turn: Turn, ticket: Ticket) -> str:
    """Whose, about what, and where it stands: "WRG-…: Mbah Painem · Jalan rusak · Diproses"."""
    parts = [behalf_name(ticket), topic_name(turn, ticket.topic) if ticket.topic else "",
             status_name(turn, ticket.status)]
    return f"{ticket.number}: " + " · ".join(p for p in parts if p)


def behalf_name(ticket: Ticket) -> str:
    """The resident a ticket was filed for ("Mbah Painem"), or "" for one filed by its reporter."""
    behalf = ticket.extra.get("on_behalf")
    return str(behalf.get("name") or "") if isinstance(behalf, dict) else ""


def numbered(ticket: Ticket) -> str:
    """A ticket's number as a "which one?" list names it: with the resident's name when a village official filed it
    for them ("WRG-2612-0001 (Mbah Painem)"), as `/wakilan` shows it."""
    name = behalf_name(ticket)
    return f"{ticket.number} ({name})" if name else ticket.number


COMMANDS = [cmd_file_for, cmd_consent, cmd_filed]
