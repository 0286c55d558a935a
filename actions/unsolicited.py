"""Promotions and scams sent to the service's number ("Promo spesial! Pinjaman online cepat cair tanpa jaminan, klik
bit.ly/…", "slot gacor deposit 10rb"): a public service's WhatsApp number gets them daily. They are told what this
chat is for and how to report such a scam, and are never offered as a complaint to an office nor sent to
the operators' triage. A resident reporting one ("tolong berantas pinjol ilegal yang sms warga, ini pesannya: …")
speaks of it in the first person or as a complaint, and goes its usual way."""

from __future__ import annotations

import re

from actions import understand as u
from actions.base import Turn

# a link or a contact to follow
_LINK = re.compile(r"https?://|\bwww\.|\b(?:bit\.ly|wa\.me|t\.me|s\.id|linktr\.ee|tinyurl\.com)/|\b[a-z0-9-]+\.(?:com|net|"
                   r"xyz|id|co|io|vip|top|site|online|store|link|me)/\S+|(?:\+62|\b0)8\d{8,11}\b")
# what is offered
_OFFER = re.compile(
    r"\b(?:promo|diskon|discount|pinjaman|pinjol|dana\s+(?:cepat|tunai|darurat)|cair|tanpa\s+jaminan|slot|gacor|"
    r"deposit|depo|bonus|jackpot|maxwin|togel|judi|casino|kasino|hadiah|menang|pemenang|undian|investasi|profit|"
    r"cuan|gratis|free|order|reseller|dropship|followers|likes|klik|daftar\s+sekarang|buruan|terbatas|spesial|"
    r"special\s+offer|loan|win|winner|prize)\b")
# a resident speaking of it: a complaint, a question, or themselves
_RESIDENT = re.compile(
    r"\b(?:tolong|mohon|lapor|melapor|laporkan|aduan|mengadu|keluh|resah|meresahkan|ditipu|tertipu|penipuan|penipu|"
    r"tipu|modus|ilegal|berantas|blokir|diblokir|korban|mengganggu|ganggu|marak|warga|saya|sy|aku|kami|kenapa|apakah|"
    r"gimana|bagaimana|please|report|scam|fraud|illegal|my|i)\b")


def is_promotion(text: str) -> bool:
    low = u.plain(text)
    return bool(_LINK.search(text.lower()) and len(set(_OFFER.findall(low))) >= 2 and not _RESIDENT.search(low)
                and "?" not in text)


def answer(turn: Turn) -> None:
    """What this chat is for, and how to report such a scam."""
    turn.say("promotion_not_handled", turn.menu_buttons())
