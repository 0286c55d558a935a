"""The regent's word to an office outside any one complaint (twentieth trial).

"tolong minta kepala dinas pupr lapor ke saya besok pagi soal jalan-jalan rusak" used to be told "this message has not
been sent to anyone" and the whole command list: the regent's chat could dispose of a complaint to an office
(`/disposisi`) or remind it of its open ones (`/ingatkan`), but not pass it an instruction of his own. Now:

- Words of the regent that name one office and ask something of it (no ticket number) are offered, in one tap, as a
  message to that office (`/pesan_opd ID-OPD pesan`); never sent unasked.
- Each officer of the office (its linked group, if it has one) receives it with "✅ Siap, diterima"
  (`/terima_pesan KODE [jawaban]`): the regent is told who read it, with their answer if they typed one.
- An office with nobody enrolled: the regent is told so, and the operators are asked to enrol someone.

A message is kept as a small value (`memo:KODE`: who sent it, to which office, the words, who has read it).
"""

from __future__ import annotations

import logging
import re
import secrets
from typing import Any

from actions import understand as u
from actions.base import Turn, command
from actions.common import opd_recipients, operator_recipients, staff_label, staff_lang
from bot.directory import Opd
from bot.message import Button, Reply
from bot.store.base import ROLE_OFFICER, ROLE_OPERATOR, ROLE_REGENT

logger = logging.getLogger(__name__)

MEMO_VALUE_KEY = "memo:{}"
MEMO_WORDS = 60  # longer, the words are more than an instruction: still offered, shortened in the offer
ACK_TRIES = 5  # officers reading at once: each adds their name to the memo with a compare-and-set
USAGE = "/pesan_opd ID-OPD pesan"
UNREACHED_SHOWN = 8  # offices with nobody enrolled, named in the regent's confirmation
# Asking something of an office: "tolong minta …", "suruh kadisnya menghadap", "undang rapat", "lapor ke saya",
# "sampaikan ke dishub …", "please ask PUPR to …".
_ASKS_OF_OFFICE = re.compile(
    r"\b(?:tolong|mohon|minta|meminta|suruh|perintahkan|instruksikan|sampaikan|sampekan|kabari|undang|panggil|"
    r"hadirkan|lapor\s+ke\s+saya|laporan\s+ke\s+saya|menghadap|sowan|rapat|koordinasi|siapkan|please|ask|tell)\b"
    # "kirim ucapan terima kasih ke dinas pupr atas kerja kerasnya" (thirty-third trial: "not sent to anyone")
    r"|\b(?:kirim|kirimkan|kirimin|teruskan|ucapkan)\s+(?:\S+\s+){0,4}?(?:ke|kepada|kpd|to)\b"
    r"|\bucapan\s+terima\s+kasih\b|\b(?:apresiasi|thank)\b"
    # "pesan untuk kadis kesehatan, cek …", "ke semua camat: pastikan …" (forty-second trial: "not sent to anyone")
    r"|^(?:\S+\s+){0,2}?(?:pesan|pesen|message)\s+(?:untuk|utk|buat|ke|kepada|kpd|for|to)\b"
    r"|^(?:ke|kepada|kpd|untuk|utk|buat|to)\s+[^:]{2,50}:")


EVERY_OFFICE = "semua"
ALL_WORDS = frozenset({"semua", "all", "semuanya", "seluruh"})
# "sampaikan ke semua dinas …", "seluruh kepala OPD diminta …", "tell every office …"
_EVERY_OFFICE = re.compile(r"\b(?:semua|seluruh|setiap|tiap|all|every)\s+(?:kepala\s+)?(?:dinas|opd|kadis|instansi|"
                           r"perangkat\s+daerah|kantor|offices?|agenc(?:y|ies)|departments?)\b")


# "kirim pesan ke semua camat: …", "para kepala desa diminta …" (forty-first trial: "not sent to anyone" and the help):
# the camats and village heads enrolled to decide letters get the regent's words as an office's officers do
EVERY_CAMAT, EVERY_HEAD = "camat", "kades"
_EVERY_LOCAL = re.compile(r"\b(?:semua|seluruh|setiap|tiap|para|all|every)\s+"
                          r"(?:(?P<camat>camat|kecamatan|district\s+heads?)|(?P<head>kades|kepala\s+desa|kepala\s+kelurahan|lurah|village\s+heads?))\b")


# The lead that names whom the words are for, up to a colon ("kirim pesan ke semua camat:", "tolong sampaikan ke dinas
# pupr:"), or up to a comma after "pesan untuk …" ("pesan untuk kadis kesehatan, cek …")
_TO_LEAD = re.compile(r"^(?P<colon>[^:]{0,70}):\s*|^(?P<comma>(?:\S+\s+){0,2}?(?:pesan|pesen|message)\s+"
                      r"(?:untuk|utk|buat|ke|kepada|kpd|for|to)\s+[^,]{2,50}),\s*", re.IGNORECASE)
_ADDRESSEE_WORDS = re.compile(r"\b(?:camat|kecamatan|kades|desa|kelurahan|lurah|heads?)\b")


def without_addressee(turn: Turn, words: str) -> str:
    """The regent's words without the lead naming whom they are for ("tolong sampaikan ke dinas pupr: segera perbaiki
    …" -> "Segera perbaiki …"; forty-second trial: the officers read the lead too); the words as they are when the
    lead names nobody or little would be left."""
    from actions.officer import opd_in  # (officer imports this module: lazy)

    told = _TO_LEAD.match(words)
    if told is None:
        return words
    lead, rest = told.group("colon") or told.group("comma") or "", words[told.end():].strip()
    low = u.plain(lead)
    if len(rest.split()) < 2 or not (_EVERY_LOCAL.search(low) or _EVERY_OFFICE.search(low)
                                     or _ADDRESSEE_WORDS.search(low) or opd_in(turn, lead)):
        return words
    return rest[:1].upper() + rest[1:]


def _local_role(group: str) -> str:
    from actions.letters import ROLE_CAMAT, ROLE_VILLAGE_HEAD  # (letters imports officer, which imports this: lazy)

    return ROLE_CAMAT if group == EVERY_CAMAT else ROLE_VILLAGE_HEAD


def office_addressed(turn: Turn, text: str) -> Opd | str | None:
    """The one office the regent's words ask something of, outside any complaint ("tolong minta kepala dinas pupr lapor
    ke saya besok pagi"), or EVERY_OFFICE ("sampaikan ke semua dinas …"), EVERY_CAMAT or EVERY_HEAD ("kirim pesan ke
    semua camat: …"); None for anything else."""
    from actions.base import find_ticket_number
    from actions.officer import opd_in  # (officer imports this module: lazy)

    low = u.plain(text)
    if turn.identity.role != ROLE_REGENT or find_ticket_number(text) or not _ASKS_OF_OFFICE.search(low):
        return None
    if (local := _EVERY_LOCAL.search(low)) is not None:
        return EVERY_CAMAT if local.group("camat") else EVERY_HEAD
    return EVERY_OFFICE if _EVERY_OFFICE.search(low) else opd_in(turn, text)


def offer(turn: Turn, opd: Opd | str, text: str) -> None:
    from actions.officer import offer_yes  # (officer imports this module: lazy)

    words = " ".join(text.split())
    target, short, name = ((opd, turn.t(f"memo_every_{opd}"), turn.t(f"memo_every_{opd}"))
                           if isinstance(opd, str) and opd in (EVERY_CAMAT, EVERY_HEAD)
                           else (EVERY_OFFICE, turn.t("memo_every_office_short"), turn.t("memo_every_office"))
                           if isinstance(opd, str) else (opd.id, opd.short, opd.name))
    local = target in (EVERY_CAMAT, EVERY_HEAD)
    words = without_addressee(turn, words)  # "kirim pesan ke semua camat: mohon pantau …": "Mohon pantau …"
    payload = offer_yes(turn, f"/pesan_opd {target} {words}"[:900])
    shown = words if len(words.split()) <= MEMO_WORDS else " ".join(words.split()[:MEMO_WORDS]) + "…"
    turn.say("memo_offer_local" if local else "memo_offer", [Button(turn.t("memo_send_button", opd=short), payload),
                            turn.button("officer_pending_no", "/batal")], opd=name, text=shown)


@command("pesan_opd", roles=(ROLE_REGENT, ROLE_OPERATOR), usage=USAGE)
async def cmd_memo(turn: Turn, args: str) -> None:
    """Send the regent's words to an office's officers, each with a button to say they have read it; the operators'
    words too, as their notice ("besok server maintenance jam 22.00" to every office: thirty-seventh trial)."""
    operator = turn.identity.role == ROLE_OPERATOR
    head, _, words = args.strip().partition(" ")
    if head.lower() in (EVERY_CAMAT, EVERY_HEAD) and words.strip():
        await _memo_to_local(turn, head.lower(), words.strip())
        return
    every = head.lower() in ALL_WORDS
    opd = turn.directory.find_opd(head) if head and not every else None
    if opd is None and not every:
        turn.say("unknown_opd", opd=head or "-", ids=", ".join(turn.directory.opds))
        return
    words = words.strip()
    if not words:
        turn.say("usage", usage=USAGE)
        return
    offices = list(turn.directory.opds.values()) if opd is None else [opd]
    to_whom = {o.id: await opd_recipients(turn, o.id) for o in offices}
    if opd is not None and not to_whom[opd.id]:
        for key in await operator_recipients(turn):
            lang = await staff_lang(turn, key)
            turn.deliver(key, [Reply(turn.t("memo_no_officer_to_operator", lang, opd=opd.name, opd_id=opd.id))],
                         f"memo-none:{opd.id}")
        turn.say("memo_nobody", opd=opd.name)
        return
    if not any(to_whom.values()):
        turn.say("memo_nobody", opd=turn.t("memo_every_office"))
        return
    code = f"M{secrets.token_hex(3).upper()}"
    await turn.store.set_value(MEMO_VALUE_KEY.format(code), {"by": turn.identity.key,
                                                            "opd": opd.id if opd else EVERY_OFFICE,
                                                            "text": words[:4000], "at": turn.now.isoformat(),
                                                            "read": [], "role": turn.identity.role})
    sender = staff_label(turn, turn.identity)
    for office in offices:
        for to in to_whom[office.id]:
            lang = await staff_lang(turn, to)
            turn.deliver(to, [Reply(turn.t("memo_to_officer_operator" if operator else "memo_to_officer", lang,
                                           regent=sender, opd=office.name, text=words,
                                           code=code),
                                    (Button(turn.t("memo_read_button", lang), f"/terima_pesan {code}"),))],
                         f"memo:{code}")
            # "siap pak, besok jam 8 kepala dinas menghadap" typed next is offered as the answer to this message
            turn.patch_conversation(to, **{WAITING_KEY: {"code": code, "at": turn.now.isoformat(),
                                                         "operator": operator}})
    count = sum(len(keys) for keys in to_whom.values())
    logger.info("the regent's message %s went to %s (%d recipients)", code, opd.id if opd else EVERY_OFFICE, count)
    if opd is None:
        unreached = [o.short for o in offices if not to_whom[o.id]]
        listed = ", ".join(unreached[:UNREACHED_SHOWN]) + (f" (+{len(unreached) - UNREACHED_SHOWN})"
                                                           if len(unreached) > UNREACHED_SHOWN else "")
        turn.say("memo_sent_every", count=count, offices=sum(1 for keys in to_whom.values() if keys), code=code,
                 missing=turn.t("memo_unreached", offices=listed) if unreached else "")
        return
    turn.say("memo_sent", opd=opd.name, count=count, code=code)


async def _memo_to_local(turn: Turn, group: str, words: str) -> None:
    """The regent's words to every enrolled camat (EVERY_CAMAT) or village head (EVERY_HEAD), each with the button
    that tells him they have read it; none enrolled, said so with how they are enrolled."""
    to_whom = [i.key for i in await turn.store.list_identities(_local_role(group))]
    if not to_whom:
        turn.say("memo_nobody_local", group=turn.t(f"memo_every_{group}"))
        return
    code = f"M{secrets.token_hex(3).upper()}"
    await turn.store.set_value(MEMO_VALUE_KEY.format(code), {"by": turn.identity.key, "opd": group,
                                                            "text": words[:4000], "at": turn.now.isoformat(),
                                                            "read": [], "role": turn.identity.role})
    sender = staff_label(turn, turn.identity)
    for to in to_whom:
        lang = await staff_lang(turn, to)
        turn.deliver(to, [Reply(turn.t("memo_to_officer", lang, regent=sender, opd=turn.t(f"memo_every_{group}", lang),
                                       text=words, code=code),
                                (Button(turn.t("memo_read_button", lang), f"/terima_pesan {code}"),))],
                     f"memo:{code}")
        turn.patch_conversation(to, **{WAITING_KEY: {"code": code, "at": turn.now.isoformat(), "operator": False}})
    logger.info("the regent's message %s went to %s (%d recipients)", code, group, len(to_whom))
    turn.say("memo_sent_local", group=turn.t(f"memo_every_{group}"), count=len(to_whom), code=code)


@command("terima_pesan", roles=(ROLE_OFFICER, "camat", "village_head"), usage="/terima_pesan KODE [jawaban]")
async def cmd_read(turn: Turn, args: str) -> None:
    """An officer has read the regent's message (and may answer it): the regent is told, once per officer."""
    code, _, answer = args.strip().partition(" ")
    key = MEMO_VALUE_KEY.format(code.upper())
    memo = await turn.store.get_value(key) if code else None
    if not isinstance(memo, dict):
        turn.say("memo_unknown", code=code or "-")
        return
    if turn.identity.role == ROLE_OFFICER and memo.get("opd") not in (turn.identity.opd_id, EVERY_OFFICE):
        turn.say("memo_not_yours", code=code.upper())
        return
    group = str(memo.get("opd"))
    if (turn.identity.role in (_local_role(EVERY_CAMAT), _local_role(EVERY_HEAD))
            and (group not in (EVERY_CAMAT, EVERY_HEAD) or _local_role(group) != turn.identity.role)):
        turn.say("memo_not_yours", code=code.upper())
        return
    waiting = turn.state.get(WAITING_KEY)
    if isinstance(waiting, dict) and str(waiting.get("code")) == code.upper():
        turn.state.pop(WAITING_KEY, None)
    first = await _mark_read(turn, key, memo)
    answer = answer.strip()
    if not first and not answer:
        turn.say("memo_read_again", code=code.upper())
        return
    opd = turn.directory.opd(str(turn.identity.opd_id or memo.get("opd") or ""))
    regent = str(memo.get("by") or "")
    lang = await staff_lang(turn, regent)
    said = turn.t("memo_answer_line", lang, answer=answer) if answer else ""
    who = staff_label(turn, turn.identity, lang)  # "Petugas Dinas PUPR (…1234)", or the name they gave, with its office
    who += f" ({opd.name})" if turn.identity.name and opd else ""
    turn.deliver(regent, [Reply(turn.t("memo_read_to_regent", lang, who=who,
                                       text=_short(str(memo.get("text") or "")), answer=said))],
                 f"memo-read:{code.upper()}:{turn.identity.key}:{len(answer)}")
    turn.say("memo_read_done" if not answer else "memo_answer_sent_operator" if memo.get("role") == ROLE_OPERATOR
             else "memo_answer_sent")


async def _mark_read(turn: Turn, key: str, memo: dict[str, Any]) -> bool:
    """Add this officer to the memo's readers; False when they were there already."""
    for _ in range(ACK_TRIES):
        read = list(memo.get("read") or [])
        if turn.identity.key in read:
            return False
        updated = {**memo, "read": [*read, turn.identity.key]}
        if await turn.store.set_value_if(key, memo, updated):
            return True
        fresh = await turn.store.get_value(key)
        memo = fresh if isinstance(fresh, dict) else memo
    return True  # (read by many at once: the regent is still told; the list catches up on their next tap)


# An officer's words right after the regent's message that answer him: "siap pak", "baik, dilaksanakan", "nggih pak",
# "siap pak bupati, besok jam 8 kepala dinas menghadap"
_ANSWERS_REGENT = re.compile(
    r"^(?:siap|baik|oke|ok|okay|noted|laksanakan|dilaksanakan|nggih|inggih|sendika|sendiko|will\s+do|yes\s+sir|"
    r"understood|copy)\b|\b(?:pak|bapak|ibu|bu|yth)\s+(?:bupati|wali\s*kota|wabup)\b|\bmenghadap\b|\bsowan\b")
# Words only the regent is answered with: "pak bupati", "menghadap", "sowan"
_TO_HIM = re.compile(r"\b(?:pak|bapak|ibu|bu|yth)\s+(?:bupati|wali\s*kota|wabup)\b|\bmenghadap\b|\bsowan\b")


def _reporter_wrote_since(turn: Turn, since: str) -> bool:
    """A reporter wrote to this officer after the regent's message arrived (common.LAST_IN_KEY)."""
    from actions.common import LAST_IN_KEY

    recent = turn.state.get(LAST_IN_KEY)
    return isinstance(recent, list) and any(isinstance(e, dict) and str(e.get("at") or "") > since for e in recent)


WAITING_KEY = "memo_waiting"  # an officer's conversation: {"code", "at"} of the regent's message they got last
WAITING_HOURS = 12
ANSWER_WORDS = 60


async def answer_in_words(turn: Turn, text: str) -> bool:
    """An officer's plain words that answer the regent's message they got (not yet marked read): offered, in one
    tap, as their answer to him; never sent unasked, and never offered to a reporter instead."""
    from datetime import datetime, timedelta

    from actions.officer import offer_yes  # (officer imports this module: lazy)

    waiting = turn.state.get(WAITING_KEY)
    local = (_local_role(EVERY_CAMAT), _local_role(EVERY_HEAD))  # (a camat's "siap pak" to his word: forty-first trial)
    if (turn.identity.role not in (ROLE_OFFICER, *local) or not isinstance(waiting, dict) or text.startswith("/")
            or len(text.split()) > ANSWER_WORDS or not _ANSWERS_REGENT.search(u.plain(text))):
        return False
    try:
        fresh = turn.now - datetime.fromisoformat(str(waiting.get("at"))) <= timedelta(hours=WAITING_HOURS)
    except ValueError:
        fresh = False
    if not fresh:
        turn.state.pop(WAITING_KEY, None)
        return False
    if not _TO_HIM.search(u.plain(text)) and _reporter_wrote_since(turn, str(waiting.get("at"))):
        return False  # "baik pak, besok kami perbaiki" after a reporter wrote: theirs (officer.offer_reply_to_last)
    code = str(waiting.get("code"))
    words = " ".join(text.split())
    payload = offer_yes(turn, f"/terima_pesan {code} {words}"[:900])
    by_operator = "_operator" if waiting.get("operator") else ""
    turn.say(f"memo_answer_offer{by_operator}", [Button(turn.t(f"memo_answer_button{by_operator}"), payload),
                                                 turn.button("officer_pending_no", "/batal")], code=code,
             text=words[:300])
    return True


def _short(text: str, words: int = 20) -> str:
    parts = text.split()
    return " ".join(parts[:words]) + ("…" if len(parts) > words else "")


COMMANDS = [cmd_memo, cmd_read]
