"""Staff words that are about a reporter or the work, not words for the reporter (nineteenth trial). Each of these
used to be offered with one tap as an answer to the reporter who wrote last:

- "nomor hp pelapor WRG-2612-0001 berapa? mau saya telpon": the reporter's number is not shown (the privacy FAQ
  promises it is used only to follow the complaint up, in this chat); asking them for a call is offered instead.
- "maaf tadi salah kirim balasan ke pelapor, bisa dihapus?": a sent answer cannot be taken back from the
  resident's chat app; a correction is offered.
- "saya cuti minggu depan, aduan saya siapa yang pegang?": who else of the office is enrolled, and how to hand
  complaints over (the desk's assignment, or a colleague's "saya ambil WRG-…").
"""

from __future__ import annotations

import re

from actions import understand as u
from actions.base import Button, Turn, find_ticket_number
from actions.common import LAST_IN_KEY, staff_label
from bot.store.base import ROLE_OFFICER

ASIDE_WORDS = 25
# the reporter spoken of, not to: "pelapor", "pelapornya", "warga yang lapor"
_OF_REPORTER = r"(?:pelapor(?:nya)?|warga\s+(?:yang|yg)\s+(?:lapor|melapor|mengadu)|the\s+reporter|reporter'?s)"
_CONTACT = re.compile(
    r"\b(?:nomor|nomer|no|nmr|kontak|hp|wa|whatsapp|telp|telpon|telepon|alamat|phone|number|contact)\b(?:\s+\S+){0,3}?"
    rf"\s+{_OF_REPORTER}\b|\b{_OF_REPORTER}\s+(?:\S+\s+){{0,2}}?(?:nomor|nomer|no|hp|wa|kontak|telp\w*|phone|number)\b")
_RETRACT = re.compile(
    r"\b(?:hapus|dihapus|hapuskan|menghapus|tarik|ditarik|menarik|batalkan|dibatalkan|batalin|delete|deleted|unsend|"
    r"retract|recall)\b(?:\s+\S+){0,4}?\s+(?:pesan|balasan|kiriman|chat|jawaban|message|reply|answer)\b"
    r"|\b(?:pesan|balasan|jawaban|message|reply)\w*\s+(?:\S+\s+){0,4}?(?:dihapus|ditarik|dibatalkan|deleted|unsent)\b"
    r"|\bsalah\s+kirim\b.*\b(?:hapus|dihapus|tarik|ditarik|batal\w*)\b")
_LEAVE = re.compile(
    r"\b(?:cuti|libur|izin|ijin|dinas\s+luar|diklat|pelatihan|sakit|pindah\s+tugas|mutasi|on\s+leave|away|"
    r"holiday|vacation)\b.*\b(?:aduan|tiket|laporan|siapa|pegang|megang|handle|gantikan|ganti|complaints?|tickets?)\b")


def _words(text: str) -> str:
    low = u.plain(text)
    return low if len(low.split()) <= ASIDE_WORDS else ""


async def answer(turn: Turn, text: str) -> bool:
    """One of the asides above, answered; False for anything else."""
    low = _words(text)
    if not low:
        return False
    if _CONTACT.search(low):
        _reporter_contact(turn, text)
    elif _RETRACT.search(low):
        _cannot_retract(turn, text)
    elif turn.identity.role == ROLE_OFFICER and turn.identity.opd_id and _LEAVE.search(low):
        await _on_leave(turn)
    else:
        return False
    return True


def _ticket_meant(turn: Turn, text: str) -> str | None:
    """The ticket named, else the one whose reporter wrote last to this staff member."""
    named = find_ticket_number(text)
    if named:
        return named
    recent = turn.state.get(LAST_IN_KEY)
    first = recent[0] if isinstance(recent, list) and recent and isinstance(recent[0], dict) else None
    return str(first["number"]) if first and first.get("number") else None


def _reporter_contact(turn: Turn, text: str) -> None:
    number = _ticket_meant(turn, text)
    if number is None:
        turn.say("reporter_contact_hidden_no_ticket")
        return
    ask = turn.t("reporter_contact_request", turn.lang)
    turn.say("reporter_contact_hidden", [Button(turn.t("reporter_contact_button"), f"/balas {number} {ask}")],
             number=number)


def _cannot_retract(turn: Turn, text: str) -> None:
    number = _ticket_meant(turn, text)
    fix = turn.t("staff_correction_start", turn.lang)
    buttons = [Button(turn.t("staff_correction_button"), f"/balas {number} {fix}")] if number else []
    turn.say("staff_cannot_retract", buttons)


async def _on_leave(turn: Turn) -> None:
    opd_id = turn.identity.opd_id or ""
    others = [i for i in await turn.store.list_identities(ROLE_OFFICER, opd_id) if i.key != turn.identity.key]
    names = ", ".join(staff_label(turn, i) for i in others[:8])
    opd = turn.directory.opd(opd_id)
    turn.say("staff_leave_colleagues" if others else "staff_leave_alone", names=names,
             opd=opd.short if opd else opd_id)
