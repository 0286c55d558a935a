"""Recognising what a message is before a flow takes it as an answer: button codes, cancel words,
greetings, questions and replies meant for an officer.

Button payloads are language-neutral codes (`btn:yes`, `topic:aduan_jalan_rusak`, `privacy:anonim`):
tapping a button never tells the language detector anything, so an English speaker stays English.
Payloads sent by earlier versions ("ya", "lewati", "topik:...", "privasi:...") are still understood.
"""

from __future__ import annotations

import re
from typing import Any

YES = "btn:yes"
NO = "btn:no"
CHANGE_TOPIC = "btn:change_topic"
CHANGE_PLACE = "btn:change_place"
MERGE = "btn:merge"  # add the draft to the resident's open complaint about the same thing
SUPPORT = "btn:support"  # file the draft joined to another resident's open complaint on the same matter
ALL_TOPICS = "btn:all_topics"
SKIP = "btn:skip"
NEXT = "btn:next"
SEND = "btn:send"
EDIT = "btn:edit"
CANCEL = "btn:cancel"
RESUME = "btn:resume"
RESTART = "btn:restart"
FORWARD = "btn:forward"
NOT_FORWARD = "btn:not_forward"
FORWARD_OTHER = "btn:forward_other"
WITHDRAW_YES = "btn:withdraw_yes"  # ask the officers to close one's complaint
WITHDRAW_NO = "btn:withdraw_no"  # to the resident's other open complaint the message is about
OTHER_MATTER = "btn:other_matter"  # file words said after "Sudah beres?" as a new complaint, not a reopening
ALSO = "btn:also"  # report the second problem a message named as a complaint of its own
TOPIC_PREFIX = "topic:"
PRIVACY_PREFIX = "privacy:"
FIXED_PREFIX = "fixed:"  # fixed:NUMBER:yes | fixed:NUMBER:no, the "Sudah beres?" question

# Payloads of buttons sent before the codes existed (still in residents' chats).
_LEGACY = {
    "ya": YES,
    "ganti topik": CHANGE_TOPIC,
    "lewati": SKIP,
    "lanjut": NEXT,
    "kirim": SEND,
    "batal": CANCEL,
}
_LEGACY_PREFIXES = {"topik:": TOPIC_PREFIX, "privasi:": PRIVACY_PREFIX}

_PUNCT = re.compile(r"[^\w\s/:'-]+", re.UNICODE)


def plain(text: str) -> str:
    """Lower case, punctuation and repeated spaces removed: what word lists are matched against."""
    return " ".join(_PUNCT.sub(" ", (text or "").lower()).split())


# "oh iya pak tambahan, lubangnya 1 meter", "lupa bilang, sudah 2 motor jatuh", "satu lagi pak": more about what was
# reported, within the first few words.
_ADDS_DETAIL = re.compile(
    r"^(?:\S+\s+){0,3}?(?:tambahan|tambahannya|tambah|nambah|nambahin|menambahkan|tambahkan|tambahin|ditambahin|"
    r"ditambahkan|tambahi|lupa (?:bilang|ngasih tau|"
    r"kasih tau|sebut|menyebutkan|cerita)|ketinggalan|satu lagi|sekalian (?:info|informasi|tambah)|info lagi|"
    r"additionally|additional info|i forgot to|forgot to (?:say|mention|tell)|one more thing|kelalen|tambahane)\b"
)
# "actually can you add that it smells really bad?", "tolong ditambahkan, baunya menyengat": asked to add to the report
# (thirtieth trial: offered to an office as a question)
_ASKS_TO_ADD = re.compile(
    r"^(?:\S+\s+){0,3}?(?:(?:can|could) you (?:please )?add|please add|i(?: want to|'d like to| would like to)? add|"
    r"let me add|also add|(?:tolong|mohon|bisa|minta) (?:di)?tambah(?:kan|in|i)?)\b")


def asks_to_add(text: str) -> bool:
    return bool(_ASKS_TO_ADD.search(plain(text)))


def adds_detail(text: str) -> bool:
    """The resident adds to what they reported ("tambahan, lubangnya selebar 1 meter", "oh iya, kemarin ada anak
    sekolah yang jatuh juga"; not "oh iya kirim", a yes)."""
    low = plain(text)
    if _ADDS_DETAIL.search(low) or _ASKS_TO_ADD.search(low):
        return True
    by_the_way = _BY_THE_WAY.match(low)
    return (by_the_way is not None and len(low.split()) >= BY_THE_WAY_WORDS
            and yes_no(low[by_the_way.end():]) is None)


def detail_words(text: str) -> str:
    """What a message adding to the report adds, without its lead when a colon ends that ("tunggu, saya tambah
    keterangan dulu: lubangnya sedalam 30 cm" -> "lubangnya sedalam 30 cm"; thirty-second trial: the lead was kept)."""
    lead, colon, rest = text.partition(":")
    if colon and len(lead.split()) <= 8 and adds_detail(lead) and len(rest.split()) >= 2:
        return rest.strip()
    return text.strip()


# "oh iya, …", "btw …": something more said, when enough words follow (not "oh iya kirim")
# "sebenarnya lubangnya ada tiga, …", "actually it's two lights, both broken": the report told more exactly
# ("eh bukan, sebenarnya lampunya nyala tapi redup" at the photo question: thirty-third trial, "send a photo")
_BY_THE_WAY = re.compile(r"^(?:(?:eh+|oh+|maaf|sorry|aduh|bukan|bkn|no|nope)\W*\s+){0,2}"
                         r"(?:oh+\s+iya|o\s+iya|oiya|oh\s+ya|btw|by\s+the\s+way|sebenarnya|sebenernya|sebetulnya|"
                         r"sakjane|sakjatine|actually|in\s+fact)\b")
BY_THE_WAY_WORDS = 6


def code_of(text: str) -> str | None:
    """The language-neutral code of a button payload (old or new), or None for typed text."""
    low = " ".join((text or "").strip().lower().split())
    if low.startswith(("btn:", TOPIC_PREFIX, PRIVACY_PREFIX, FIXED_PREFIX)):
        return low
    for old, new in _LEGACY_PREFIXES.items():
        if low.startswith(old):
            return new + low[len(old):]
    return _LEGACY.get(low)


_TAIL = (
    r"(?:\s+(?:aja|saja|ae|wae|deh|dulu|ya|yah|yaa|kak|pak|bu|mas|mbak|min|dong|lah|sih|kok|please|sekarang|now|"
    r"it|this|that|aduannya|aduan|laporannya|lapor|the complaint|mawon|nggih|lho|tok))*"
)
_CANCEL_WORD = (
    r"(?:(?:ga|gak|gk|g|nggak|ngga|nggk|enggak|engga|tidak|tdk|ndak|nda|gajadi|ora|mboten|nda)\s*(?:jadi|jd|sido|sida)"
    r"|gajadi|gajd|batal(?:kan|in)?|cancel(?:led)?|stop|keluar|berhenti|udahan|sudahan|quit|exit|never ?mind|"
    r"nevermind|forget it|wis ora sido|mboten sios)"
)
# "udah deh batal aja kak", "ga jadi deh kak, batal aja", "eh ga jadi": a lead-in, then one or two cancel words.
_CANCEL = re.compile(
    # ("eh ternyata gak jadi, sudah punya" in a letter request: forty-first trial, "that village is not served")
    r"^(?:(?:udah|udh|sudah|sdh|yaudah|ya|eh|oh|ah|hmm|deh|kak|pak|bu|mas|mbak|min|wis|wes|ternyata|waduh|wah)\s+)*"
    + _CANCEL_WORD + _TAIL + r"(?:\s+" + _CANCEL_WORD + _TAIL + ")?$"
)


def is_cancel(text: str) -> bool:
    """'batal', 'ga jadi deh', 'keluar', 'cancel', 'mboten sido'... (a cancel button too)."""
    return code_of(text) == CANCEL or bool(_CANCEL.match(plain(text)))


_GREETING_WORDS = frozenset(
    "halo hallo haloo helo hello hai hay hi hey hei pagi siang sore malam selamat assalamualaikum "
    "assalamu'alaikum asalamualaikum salam permisi min admin kak pak bu mas mbak good morning afternoon "
    "evening sugeng enjing siyang ndalu dalu p ping tes test om wr wb warahmatullahi wabarakatuh "
    "swastiastu shalom".split()
)


def is_greeting(text: str) -> bool:
    """A greeting and nothing else ('halo', 'selamat pagi min', the web page's automatic 'halo')."""
    words = plain(text).split()
    return 0 < len(words) <= 6 and all(w in _GREETING_WORDS for w in words)


_QUESTION_START = frozenset(
    "apa apakah bagaimana gimana gmn gmana bgmn berapa brp kapan kpn dimana mana siapa kenapa knp mengapa "
    "bisakah bolehkah syarat syaratnya persyaratan how what when where who why which can could is are do "
    "does cara caranya piye pripun sinten pundi kados".split()
)


def is_question(text: str) -> bool:
    words = plain(text).split()
    return (text or "").strip().endswith("?") or bool(words and words[0] in _QUESTION_START)


def starts_with_question(text: str) -> bool:
    words = plain(text).split()
    return bool(words and words[0] in _QUESTION_START)


# Words that mark a message as an answer to someone (the officer) rather than a new request.
_ANSWER_START = frozenset(
    "iya ya y yes yup iyo nggih inggih enggih sudah udah sdh dah wis sampun belum blm blum durung dereng nama "
    "namaku nomor nomer no nmr alamat alamatnya rumah rumahnya lokasi lokasinya baik oke ok okay siap betul "
    "benar tidak nggak gak enggak ga mboten ora maaf sorry mohon pak bu mas mbak bapak ibu terima makasih "
    "trims thx thanks thank itu ini sejak kemarin tadi sekarang masih saya sy aku kami my it the "
    "dekat depan belakang samping sebelah "
    # English answers to an officer ("it's right in front of the school", "near the mosque": asked whether they were
    # for the officer, twenty-sixth trial)
    "its it's in at near next right there here behind opposite across about around".split()
)
_ADDRESS = re.compile(r"\b(pak|bu|bapak|ibu|mas|mbak|kak|sir|madam)\b")
_DIGITS = re.compile(r"\d{3,}")


def looks_like_answer(text: str) -> bool:
    """A message shaped like an answer to an officer: it starts with an answer word, addresses
    someone ("pak", "bu"), or carries a number (a phone number, an RT, a date)."""
    low = plain(text)
    words = low.split()
    if not words:
        return False
    return words[0] in _ANSWER_START or bool(_ADDRESS.search(low)) or bool(_DIGITS.search(low))


def intent_of(parse: dict[str, Any] | None) -> str | None:
    return ((parse or {}).get("intent") or {}).get("name")


def intent_confidence(parse: dict[str, Any] | None) -> float:
    return float(((parse or {}).get("intent") or {}).get("confidence") or 0.0)


def faq_selection(parse: dict[str, Any] | None) -> tuple[str | None, float, list[str]]:
    """The response selector's FAQ answer, its confidence and its ranking of answers (whatever the intent)."""
    selector = (parse or {}).get("response_selector") or {}
    result = selector.get("faq") or selector.get("default") or {}
    response = result.get("response") or {}
    key = response.get("intent_response_key")
    ranking = [str(r["intent_response_key"]) for r in result.get("ranking", []) if r.get("intent_response_key")]
    return (str(key) if key else None), float(response.get("confidence") or 0.0), ranking


# "berapa …", "jumlah …", "how many …": a count asked (a village official's filings, staff's complaints from a place)
HOW_MANY = re.compile(r"\b(?:berapa|brp|brapa|jumlah|how\s+many)\b")


# A resident's "ok", "siap pak", "oke deh", "nggih" with nothing asked of them: an acknowledgement, news for nobody (the
# dialogue answers it; an emergency's photo step asks for the photo again). One set for both (third reading of the
# twenty-seventh trial: two sets drifted apart).
RESIDENT_ACK = frozenset(
    {f"{word}{tail}" for word in ("ok", "oke", "okey", "okay", "okeh", "siap", "sip", "baik", "baiklah", "noted",
                                  "oke deh", "ok deh", "alright", "got it", "ok siap", "oke siap",
                                  # "ok sip" (thirty-fifth trial: not understood)
                                  "ok sip", "oke sip", "sip deh", "siap deh", "ok baik", "oke baik", "okelah")
     for tail in ("", " pak", " bu", " kak", " min", " mas", " mbak", " ya", " sir")}
    | {"nggih", "inggih", "ya pak", "iya pak"})
# "iya pak tidak apa-apa", "gpp bu", "no problem": an apology accepted (twenty-ninth trial: "not understood")
_NO_MATTER = re.compile(r"^(?:(?:iya|ya|ok|oke|baik|siap)\s+)?(?:(?:pak|bu|mas|mbak|min|kak)\s+)?"
                        r"(?:(?:tidak|tdk|gak|ga|nggak|ngga|ndak|enggak)\s+(?:apa[\s-]*apa|papa|masalah)|gpp|gapapa|nggakpapa|no\s+problem|"
                        r"no\s+worries|that'?s\s+(?:ok|okay|fine|alright))(?:\s+(?:kok|pak|bu|mas|mbak|min|kak|sir))*$")


def is_resident_ack(text: str) -> bool:
    """A whole message that only acknowledges ("ok pak", "siap", "iya pak tidak apa-apa")."""
    low = plain(text)
    return low in RESIDENT_ACK or bool(_NO_MATTER.match(low))


def faq_key(parse: dict[str, Any] | None, threshold: float = 0.5) -> str | None:
    """The FAQ answer the NLU is confident about, or None."""
    if intent_of(parse) != "faq":
        return None
    key, confidence, _ = faq_selection(parse)
    return key if key and confidence >= threshold else None


# Natural yes/no answers to a yes/no question, in Indonesian, English and Javanese: "ya, sudah setuju",
# "iya boleh", "yes they agreed", "nggih sampun", "belum", "not yet", "dereng". Phrases that say yes with a
# negation ("gak papa", "no problem") are read as yes first.
_YES_IDIOMS = re.compile(
    r"\b(?:(?:tidak|tdk|gak|ga|nggak|ngga|enggak|ndak) (?:apa apa|apa2|papa|masalah|keberatan)|gapapa|gpp|"
    r"no problem|ora popo|ora opo opo|mboten menapa)\b"
)
_YES_ANSWER = frozenset(
    "ya iya iyaa yaa y yes yep yup yeah ok oke okay okey sip siap boleh setuju sudah udah sdh dah uwis wis "
    "sampun nggih inggih enggih iyo yo leres betul benar bener sure agreed agree agrees correct of course tentu "
    "bersedia mau purun gelem kersa consent consented "
    # Sundanese: "muhun", "sumuhun", "enya" (thirty-eighth trial: "muhun" to the topic was "choose a button")
    "muhun sumuhun enya".split()
)
_NO_ANSWER = frozenset(
    "tidak tdk gak ga gk nggak ngga enggak engga ndak nda no nope not belum blm blum durung dereng mboten ora "
    "emoh moh jangan never nah refuse refused menolak nolak henteu sanes".split()
)
MAX_YES_NO_WORDS = 10
# Not an answer though a yes word is in it: a wish to ask something ("mau tanya syarat bikin ktp", where "mau" is
# no "yes, I want"), or putting the question off ("nanti saja ya pak, saya lagi di jalan", where "ya" is a filler).
_NOT_AN_ANSWER = re.compile(
    r"^(?:(?:saya|sy|aku|gue|gw|kula|i)\s+)?(?:mau|ingin|pengen|pingin|pengin|kepengen|want\s+to|wanna|would\s+like\s+to)"
    r"\s+(?:tanya|nanya|bertanya|menanyakan|nanyain|tanyain|tanyakan|takon|ask|know|tau|tahu|ngerti)\b"
    r"|^(?:nanti|ntar|entar|nti|later|mengko|mangke|engko)\b")


_ASPECT_YES = frozenset("sudah udah sdh dah uwis wis sampun".split())
_FITS = frozenset("tepat pas cocok sesuai".split())
ASPECT_MIN_WORDS = 4


def yes_as_aspect(text: str) -> bool:
    """"lubangnya dalam, sudah 2 motor jatuh": its only yes word is a "sudah" inside the sentence, which says something
    has happened and answers nothing (thirty-sixth trial: taken for a yes to the topic, and the words lost)."""
    words = plain(text).split()
    found = set(words) & _YES_ANSWER
    return (len(words) >= ASPECT_MIN_WORDS and bool(found) and found <= _ASPECT_YES and words[0] not in _YES_ANSWER
            and not set(words) & _FITS)


def yes_no(text: str) -> bool | None:
    """True for a natural yes, False for a no, None when the text is neither (or too long to be an answer)."""
    code = code_of(text)
    if code in (YES, NO):
        return code == YES
    words = set(_YES_IDIOMS.sub("ok", plain(text)).split())
    if not words or len(words) > MAX_YES_NO_WORDS or _NOT_AN_ANSWER.search(plain(text)):
        return None
    if words & _NO_ANSWER:
        return False
    return True if words & _YES_ANSWER else None
