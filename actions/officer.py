"""Officer, operator and enrolment commands: queue, reply, in progress, done, transfer, info, triage."""

from __future__ import annotations

import logging
import re
import secrets
import uuid
from collections.abc import Callable
from datetime import datetime, time, timedelta
from typing import Any

from actions import duplicates, regent_memo, report_card, staff_asides
from actions.base import (
    ALL_ROLES,
    ENROLLED_MARK_KEY,
    ISSUED_CODES_KEY,
    REVOKED_KEY,
    TICKET_RE,
    WEB_ORIGIN_KEY,
    Turn,
    command,
    find_ticket_number,
    was_staff,
)
from actions.common import (
    LAST_IN_KEY,
    NAME_CHOSEN_KEY,
    WITHDRAW_REQUESTED,
    WITHDRAW_RETRACTED,
    WITHDRAWN,
    actor_names,
    can_act,
    done_notice,
    event_actor,
    for_whom,
    format_date,
    handler_name,
    is_group,
    is_open,
    last_in_seq,
    location_text,
    map_line,
    notify_opd,
    opd_name,
    opd_recipients,
    operator_recipients,
    push_to_lapor,
    reporter_label,
    staff_label,
    staff_lang,
    stamped_within,
    status_name,
    subject_name,
    topic_name,
)
from actions.complaint import notify_triage, office_named, place_in_list, shorten
from actions.letters import LETTER_ROLES, ROLE_CAMAT, ROLE_VILLAGE_HEAD, catalog_of
from actions.mute import is_muted
from actions.on_behalf import ROLE_COMPANION
from actions.resident import REOPEN_DAYS, example_number, open_again, which_ticket
from actions.sla import triage_deadline
from actions.understand import HOW_MANY, is_question, plain
from bot.directory import Opd
from bot.message import Button, Reply
from bot.store.base import (
    OPEN_STATUSES,
    ROLE_OFFICER,
    ROLE_OPERATOR,
    ROLE_REGENT,
    ROLE_RESIDENT,
    STATUS_ARCHIVED,
    STATUS_CLOSED,
    STATUS_DONE,
    STATUS_IN_PROGRESS,
    STATUS_NEW,
    STATUS_TRIAGE,
    EnrolmentCode,
    Identity,
    Media,
    Store,
    Ticket,
    TicketEvent,
    TicketQuery,
)
from bot.texts import Texts
from nlu.result import ParseResult

logger = logging.getLogger(__name__)

OFFICERS = (ROLE_OFFICER, ROLE_OPERATOR, ROLE_REGENT)
QUEUE_LIMIT = 30


def _split(args: str) -> tuple[str | None, str]:
    """'WRG-2611-0042 some text' -> ('WRG-2611-0042', 'some text'); typed loosely too ('wrg 2611 0042 ...')."""
    parts = args.strip().split(maxsplit=1)
    if not parts:
        return None, ""
    number = find_ticket_number(parts[0])
    if number is None:
        words = args.strip().split(maxsplit=3)
        if len(words) >= 3 and (number := find_ticket_number(" ".join(words[:3]))):
            return number, words[3].strip() if len(words) > 3 else ""
    return number, parts[1].strip() if len(parts) > 1 else ""


#: How many months back a short number ("0002") is looked for: serials start again each month (PREFIX-YYMM-NNNN).
SHORT_NUMBER_MONTHS = 12
#: Tickets a short number that matches several offers to choose from (the newest first).
SHORT_NUMBER_CHOICES = 5
#: A serial as cards print it ("0002"), or marked as a number ("#2"): a bare "2" may be the start of the message
#: ("/balas 2 hari lagi kami datang"), never taken for a ticket.
_SHORT_NUMBER = re.compile(r"(\d{4,6})|#(\d{1,6})")
_PERIOD_AND_SERIAL = re.compile(r"\d{4}[-.]\d{1,6}")


#: Conversation state: the ticket staff last opened with /info, and when; a command typed without a number soon
#: after is offered for it ("/balas Baik pak, besok kami cek").
VIEWED_KEY = "viewed"
VIEWED_MINUTES = 30
_FOR_VIEWED = frozenset({"/balas", "/proses", "/selesai", "/alihkan", "/ambil"})


def viewed_ticket(turn: Turn) -> str | None:
    viewed = turn.state.get(VIEWED_KEY)
    if not isinstance(viewed, dict) or not stamped_within(viewed.get("at"), turn.now, VIEWED_MINUTES):
        return None
    return str(viewed.get("number")) if viewed.get("number") else None


#: Conversation state: the ticket a staff command acted on last (/ambil, /balas, /alihkan …), and when: with
#: `viewed_ticket`, the one "tiket ini" means ("siapa yang pegang tiket ini?", "ini dobel sama WRG-…").
AT_HAND_KEY = "at_hand"


def note_at_hand(turn: Turn, number: str) -> None:
    turn.state[AT_HAND_KEY] = {"number": number, "at": turn.now.isoformat()}


def ticket_at_hand(turn: Turn) -> str | None:
    """The ticket opened lately (/info), else the one a command acted on lately; None after `VIEWED_MINUTES`."""
    if (viewed := viewed_ticket(turn)) is not None:
        return viewed
    return acted_on_lately(turn)


async def _open_of(turn: Turn, number: str) -> list[Ticket]:
    """[the ticket `number`] when it is open and this person may act on it, else []."""
    ticket = await turn.store.get_ticket(number)
    return [ticket] if ticket is not None and can_act(turn, ticket) and is_open(ticket) else []


ACTED_WORDS = 3  # fewer words right after a command ("ok", "sip pak") are no answer for its reporter


def _acted_after_viewing(turn: Turn) -> bool:
    """A command acted on a ticket after the last one opened (or none was opened lately)."""
    viewed, held = turn.state.get(VIEWED_KEY), turn.state.get(AT_HAND_KEY)
    if viewed_ticket(turn) is None:
        return True
    return (isinstance(viewed, dict) and isinstance(held, dict)
            and str(held.get("at") or "") >= str(viewed.get("at") or ""))


def acted_on_lately(turn: Turn) -> str | None:
    """The ticket a staff command acted on in the last `VIEWED_MINUTES` (/proses, /ambil, /balas …), or None."""
    held = turn.state.get(AT_HAND_KEY)
    if not isinstance(held, dict) or not stamped_within(held.get("at"), turn.now, VIEWED_MINUTES):
        return None
    return str(held.get("number")) if held.get("number") else None


async def read_number(turn: Turn, args: str, command_name: str) -> tuple[str | None, str] | None:
    """`_split`, and a number typed short: "2612-0002" with the service's prefix, or the serial alone ("0002",
    "#2"; not a bare "2"), which is the one ticket of that serial (in the last `SHORT_NUMBER_MONTHS`) this person
    may act on. When several are, the bot asks which (a button each, the command kept) and gives None; when none
    is, it says so and gives None, naming no ticket (another office's ticket of that serial stays unseen)."""
    number, rest = _split(args)
    head, _, tail = args.strip().partition(" ")
    if number is None and command_name in _FOR_VIEWED and (viewed := viewed_ticket(turn)) is not None \
            and not (head and (_SHORT_NUMBER.fullmatch(head) or _PERIOD_AND_SERIAL.fullmatch(head))):
        # "/balas Baik pak, besok kami cek" right after /info WRG-…: that ticket, offered in one tap
        payload = offer_yes(turn, hold_photos(turn, f"{command_name} {viewed} {args.strip()}".strip()))
        turn.say("command_for_viewed", [Button(turn.t("command_for_viewed_button", number=viewed), payload),
                                        turn.button("officer_pending_no", "/batal")],
                 command=command_name, number=viewed)
        return None
    if number is None and not head and command_name in _FOR_VIEWED and turn.identity.opd_id:
        # "/selesai" alone (thirty-seventh trial: its usage, and the number typed next opened the card): which one,
        # of the office's open complaints, one tap each
        shown = await turn.store.list_tickets(TicketQuery(opd_id=turn.identity.opd_id, statuses=OPEN_STATUSES,
                                                          limit=SHORT_NUMBER_CHOICES))
        if shown:
            turn.say("command_which_ticket", [Button(t.number, f"{command_name} {t.number}") for t in shown[:3]],
                     command=command_name, tickets=_which_lines(turn, shown))
            turn.state[COMMAND_WHICH_KEY] = {"command": command_name, "at": turn.now.isoformat()}
            return None
    if number is not None and (typed := _SERIAL_TOO_SHORT.fullmatch(head)):  # "WRG-2612-01": 0001? 0010? 0100?
        await _ask_short_serial(turn, number, typed.group(1), tail.strip(), command_name)
        return None
    if number is not None or not head:
        return number, rest
    if _PERIOD_AND_SERIAL.fullmatch(head) and (full := find_ticket_number(f"{turn.directory.ticket_prefix}-{head}")):
        return full, tail.strip()
    short = _SHORT_NUMBER.fullmatch(head)
    if short is None or int(short.group(1) or short.group(2)) == 0:
        return None, rest
    found = await tickets_of_serial(turn, int(short.group(1) or short.group(2)))
    if len(found) == 1:
        return found[0].number, tail.strip()
    if not found:
        key = "short_number_none_reply" if command_name == "/balas" else "short_number_none"
        turn.say(key, short=head, command=command_name, example=example_number(turn))
        return None
    shown = found[:SHORT_NUMBER_CHOICES]
    payloads = [hold_photos(turn, f"{command_name} {t.number} {tail.strip()}".strip()) for t in shown]
    turn.say("short_number_which", [Button(t.number, payload) for t, payload in zip(shown, payloads, strict=True)],
             short=head, tickets=_which_lines(turn, shown))
    return None


def _which_lines(turn: Turn, tickets: list[Ticket]) -> str:
    """One line per ticket to choose from: its number, topic (or kind), status and day."""
    return "\n".join(turn.t("short_number_which_line", number=t.number, status=status_name(turn, t.status),
                            topic=topic_name(turn, t.topic) if t.kind == "aduan" else turn.t(f"kind_{t.kind}"),
                            created=format_date(turn, t.created_at)) for t in tickets)


#: A full number typed with fewer than four digits after the period ("WRG-2612-01"): zeros were left out, but
#: which ones is a guess (find_ticket_number reads it as 0001).
_SERIAL_TOO_SHORT = re.compile(r"[A-Za-z]{2,5}[- .]?\d{4}[- .](\d{1,3})")


def zeros_put_back(digits: str) -> list[str]:
    """The four-digit serials `digits` may be with zeros left out ("01" -> "0001", "0010", "0100")."""
    found = {digits}
    while len(next(iter(found))) < 4:
        found = {d[:i] + "0" + d[i:] for d in found for i in range(len(d) + 1)}
    return sorted(found)


async def _ask_short_serial(turn: Turn, read: str, digits: str, tail: str, command_name: str) -> None:
    """A number typed too short ("/balas WRG-2612-01 Tim kami datang"): never acted on at once. The one ticket it
    may be that this person may act on is offered in one tap ("Maksud Anda WRG-2612-0001?"), the command kept;
    several are listed to choose; none: not found."""
    prefix, period, _ = read.split("-", 2)
    found = [t for n in zeros_put_back(digits)
             if (t := await turn.store.get_ticket(f"{prefix}-{period}-{n}")) is not None and can_act(turn, t)]
    typed = f"{prefix}-{period}-{digits}"
    if not found:
        turn.say("ticket_not_found", number=typed)
        return
    if len(found) == 1:
        ticket = found[0]
        button = offer_button(turn, turn.t("ticket_near_button", number=ticket.number),
                              f"{command_name} {ticket.number} {tail}".strip())
        turn.say("short_serial_meant", [button,
                                        turn.button("officer_pending_no", "/batal")],
                 typed=typed, number=ticket.number, topic=topic_name(turn, ticket.topic))
        return
    lines = _which_lines(turn, found)
    turn.say("short_number_which", [Button(t.number, hold_photos(turn, f"{command_name} {t.number} {tail}".strip()))
                                    for t in found], short=typed, tickets=lines)


async def tickets_of_serial(turn: Turn, serial: int) -> list[Ticket]:
    """The tickets numbered `serial` in this month and the `SHORT_NUMBER_MONTHS` - 1 before it that this person may
    act on, the newest first."""
    local = turn.now.astimezone(turn.services.calendar.tz)
    found: list[Ticket] = []
    for back in range(SHORT_NUMBER_MONTHS):
        year, month = divmod(local.year * 12 + local.month - 1 - back, 12)
        number = f"{turn.directory.ticket_prefix}-{year % 100:02d}{month + 1:02d}-{serial:04d}"
        ticket = await turn.store.get_ticket(number)
        if ticket is not None and can_act(turn, ticket):
            found.append(ticket)
    return found


async def load_actionable(turn: Turn, number: str | None, usage: str, open_only: bool = False) -> Ticket | None:
    """The ticket if it exists and this identity may act on it (and, with `open_only`, it is still open);
    otherwise say why and None."""
    if not number:
        turn.say("usage", usage=usage)
        return None
    ticket = await turn.store.get_ticket(number)
    if ticket is None:
        await _say_not_found(turn, number)
        return None
    if not can_act(turn, ticket):
        if ticket.opd_id:
            turn.say("not_your_opd", number=number, opd=opd_name(turn, ticket.opd_id))
        else:  # in triage, a message to the regent, or a letter request: no OPD to name
            turn.say("not_your_ticket", number=number)
        return None
    if open_only and not is_open(ticket):
        turn.say("ticket_closed", number=ticket.number, status=status_name(turn, ticket.status))
        return None
    return ticket


def near_numbers(number: str) -> list[str]:
    """The numbers one slip away from `number` (PREFIX-YYMM-NNNN): a digit typed once too often in the serial
    ("WRG-2611-00421"), or two neighbouring digits swapped ("WRG-2611-0024", "WRG-2161-0042")."""
    prefix, period, serial = number.split("-", 2)
    found: list[str] = []
    found += [f"{prefix}-{p}-{serial}" for p in _swaps(period)] + [f"{prefix}-{period}-{n}" for n in _swaps(serial)]
    if len(serial) > 4:  # one digit too many
        found += [f"{prefix}-{period}-{serial[:i] + serial[i + 1:]}" for i in range(len(serial))]
    return [n for n in dict.fromkeys(found) if n != number]


def mistyped_numbers(number: str) -> list[str]:
    """The numbers with one digit of the serial typed wrong ("WRG-2611-0016" for "WRG-2611-0006"): a wider net,
    cast only when `near_numbers` finds nothing."""
    prefix, period, serial = number.split("-", 2)
    found = [f"{prefix}-{period}-{serial[:i] + d + serial[i + 1:]}" for i in range(len(serial)) for d in "0123456789"
             if serial.isdigit() and d != serial[i]]
    return [n for n in found if n != number]


def _swaps(digits: str) -> list[str]:
    """`digits` with two neighbours swapped, each way it differs ("0042" -> "0402", "0024")."""
    swapped = (digits[:i] + digits[i + 1] + digits[i] + digits[i + 2:] for i in range(len(digits) - 1))
    return [d for d in swapped if d != digits]


async def _say_not_found(turn: Turn, number: str) -> None:
    """No ticket `number`: say so, and offer the ticket one slip away that this person may act on ("did you mean
    WRG-2611-0042?"), as a button that repeats what they typed with the number corrected."""
    near: list[Ticket] = []
    for candidates in (near_numbers(number), mistyped_numbers(number)):  # the likelier slips first
        near = [t for t in [await turn.store.get_ticket(n) for n in candidates] if t is not None and can_act(turn, t)]
        if near:
            break
    if len(near) != 1:  # none, or several: a guess among several would be a coin toss
        turn.say("ticket_not_found", number=number)
        return
    typed = turn.message.text.strip()
    fixed = re.sub(re.escape(number), near[0].number, typed, count=1, flags=re.IGNORECASE)
    payload = fixed if fixed != typed else f"/info {near[0].number}"
    turn.say("ticket_not_found_near", [Button(turn.t("ticket_near_button", number=near[0].number),
                                              offer_yes(turn, payload))],
             number=number, near=near[0].number, topic=topic_name(turn, near[0].topic))


def event_name(texts: Texts, kind: str, lang: str) -> str:
    """A ticket history event's name in words ("created" -> "laporan masuk"); an unknown kind as it is."""
    key = f"event_name_{kind}"
    return texts.get(key, lang) if texts.has(key) else kind.replace("_", " ")


# --- enrolment ----------------------------------------------------------------------------------
@command("daftar", usage="/daftar KODE")
async def cmd_enrol(turn: Turn, args: str) -> None:
    code = args.strip().split()[0].upper() if args.strip() else ""
    if not code:
        turn.say("enrol_usage")
        return
    wanted = Identity(
        key=turn.identity.key, channel=turn.identity.channel, sender_id=turn.identity.sender_id,
        name=turn.identity.name, lang=turn.lang, created_at=turn.identity.created_at or turn.now,
    )
    before = (turn.identity.role, turn.identity.opd_id)
    redeemed = await turn.store.redeem_enrolment_code(code, wanted, turn.now)
    if redeemed is None:
        turn.say("enrol_bad")
        return
    await turn.store.set_value(ENROLLED_MARK_KEY + turn.identity.key, secrets.token_hex(8))
    await turn.store.set_value(REVOKED_KEY + turn.identity.key, None)  # enrolled again after a revocation
    turn.identity.role, turn.identity.opd_id = redeemed.role, redeemed.opd_id
    turn.reset_flow()
    turn.say("enrol_ok", role=enrolled_as(turn, redeemed.role, redeemed.opd_id))
    if before[0] != ROLE_RESIDENT and before != (redeemed.role, redeemed.opd_id):
        # An officer of Dinas PUPR who used the regent's code (or DLH's) is no longer PUPR's: say so, not silently.
        turn.say("enrol_switched", was=enrolled_as(turn, before[0], before[1]))
    if redeemed.role == ROLE_OFFICER and redeemed.opd_id:  # complaints that waited for someone to enrol here
        waiting = await turn.store.count_tickets(TicketQuery(opd_id=redeemed.opd_id, statuses=OPEN_STATUSES))
        if waiting:
            turn.say("enrol_waiting", [Button(turn.t("enrol_waiting_button"), "/antrian")], count=waiting)


def enrolled_as(turn: Turn, role: str, place: str | None) -> str:
    """What an enrolment makes someone, with the place's name ("petugas Dinas PUPR", "kepala Desa Sooko");
    the role alone where it has no place, never an empty name."""
    catalog = catalog_of(turn.services) if role in (ROLE_VILLAGE_HEAD, ROLE_CAMAT) else None
    opd = turn.directory.opd(place) if role == ROLE_OFFICER else None
    village = catalog.villages.get(place or "") if catalog and role == ROLE_VILLAGE_HEAD else None
    kecamatan = catalog.kecamatan.get(place or "") if catalog and role == ROLE_CAMAT else None
    if opd is not None:
        return turn.t("enrol_as_officer", opd=opd.name)
    if village is not None:
        return turn.t("enrol_as_village_head", village=f"{village.kind_title} {village.name}")
    if kecamatan is not None:
        return turn.t("enrol_as_camat", kecamatan=kecamatan.name)
    return turn.t(f"role_{role}")


@command("daftar_grup", roles=(ROLE_OFFICER,), usage="/daftar_grup")
async def cmd_link_group(turn: Turn, args: str) -> None:
    chat = turn.message.chat_id
    group_key = f"{turn.message.channel}:{chat}" if chat else ""
    if not chat or chat == turn.message.sender_id or not is_group(group_key):
        turn.say("group_only")
        return
    turn.changes.identities.append(Identity(
        key=group_key, channel=turn.message.channel, sender_id=chat, role=ROLE_OFFICER,
        opd_id=turn.identity.opd_id, name="grup", lang=turn.lang, created_at=turn.now))
    turn.say("group_linked", opd=opd_name(turn, turn.identity.opd_id))


# --- the queue and details ----------------------------------------------------------------------
@command("antrian", roles=OFFICERS, usage="/antrian [ID-OPD]")
async def cmd_queue(turn: Turn, args: str) -> None:
    await show_queue(turn, args)


# "tampilkan aduan yang terlambat", "aduan mana saja yang lewat batas waktu?", "show overdue complaints": the
# queue of those past their deadline ("berapa …": the figures, as before)
_OVERDUE = re.compile(r"\b(?:terlambat|telat|lewat\s+(?:batas\s+waktu|tenggat|deadline)|melewati\s+batas|overdue|"
                      r"late)\b")
# ("ada yang terlambat?", "ada yang telat gak?": thirty-sixth trial, the regent got the help)
_LIST_ASKED = re.compile(r"\b(?:tampilkan|tampilin|daftar|lihat|liat|mana|list|show|which|apa\s+saja|apa\s+aja)\b"
                         r"|^(?:\S+\s+)?ada\s+(?:aduan\s+)?(?:yang|yg)\s+(?:\S+\s+)?(?:terlambat|telat|lewat)\b"
                         r"|\bany\s+(?:complaints?\s+)?(?:overdue|late)\b")
_COUNT_ASKED = re.compile(r"\b(?:berapa|brp|jumlah|how\s+many|rekap|ringkasan)\b")


def asks_overdue_list(text: str, counting: bool = False) -> bool:
    """`counting`: "berapa aduan saya yang lewat tenggat?", "how many complaints are overdue?" from an officer, whose
    overdue queue is headed by its count (thirty-fourth trial: every open one was listed)."""
    low = text.lower()
    counted = bool(_COUNT_ASKED.search(low))
    asked = bool(_LIST_ASKED.search(low)) and not counted or counting and counted
    return len(text.split()) <= 12 and bool(_OVERDUE.search(low)) and asked and not find_ticket_number(text)


def counts(text: str) -> bool:
    return bool(_COUNT_ASKED.search(text.lower()))


# "bisa minta perpanjangan batas waktu?", "deadline WRG-… bisa diundur?", "can the deadline be extended?": how a
# deadline stands, and what to do when the work needs longer (thirtieth trial: offered to a reporter as the answer)
_EXTENSION = re.compile(r"\b(?:perpanjang\w*|diperpanjang|mundur\w*|diundur|undur|tambah(?:an)?\s+waktu|extend\w*|"
                        r"extension|postpone)\b")
_DEADLINE_WORD = re.compile(r"\b(?:batas\s+waktu|batas|tenggat|deadline|sla|jatuh\s+tempo|waktu)\b")


def asks_extension(text: str) -> bool:
    low = text.lower()
    return len(text.split()) <= 16 and bool(_EXTENSION.search(low)) and bool(_DEADLINE_WORD.search(low))


def explain_extension(turn: Turn, text: str) -> None:
    """A deadline is the office's working days for that kind of complaint and is not moved from the chat; the
    reporter is told the new estimate and why, which the regent reads in the ticket's history."""
    number = find_ticket_number(text)
    turn.say("staff_extension_how", number=number or turn.t("staff_extension_ticket"))


# "aduan ini sudah pernah dilaporkan sebelumnya", "ini dobel sama yang kemarin", "this is a duplicate": how two
# complaints of one matter are joined (thirtieth trial: the help)
_DUPLICATE = re.compile(r"\b(?:sudah|udah|pernah)\s+(?:\S+\s+)?(?:dilaporkan|dilapor|diadukan|masuk)\s+(?:sebelumnya|"
                        r"kemarin|juga|oleh\s+warga\s+lain|sama\s+warga\s+lain)\b|\b(?:dobel|double|duplikat|duplicate|"
                        r"ganda)\b")


def asks_duplicate(text: str) -> bool:
    return len(text.split()) <= 16 and bool(_DUPLICATE.search(text.lower())) and not find_ticket_number(text)


# "aduan yang hampir lewat batas", "mana yang mendekati tenggat?", "what is due soon?": the queue, nearest deadline
# first (thirtieth trial: offered to a reporter as the officer's answer)
_DUE_SOON = re.compile(r"\b(?:hampir|nyaris|mendekati|dekat|mau|akan|segera|sebentar\s+lagi)\s+(?:\S+\s+)?"
                       r"(?:lewat|habis|jatuh\s+tempo|tenggat|batas(?:\s+waktu)?|deadline)\b|\bdue\s+soon\b|\bnear(?:ing)?\s+(?:the\s+)?"
                       r"deadline\b")


def asks_due_soon(text: str) -> bool:
    return len(text.split()) <= 12 and bool(_DUE_SOON.search(text.lower())) and not find_ticket_number(text)


# "ada yang mendesak?", "aduan darurat mana yang belum selesai?", "anything urgent?": the open emergencies and
# urgent-topic complaints, and how many are past their deadline (twenty-sixth trial: it got the staff help)
_URGENT = re.compile(r"\b(?:mendesak|darurat|urgent|urgen|emergenc(?:y|ies)|genting|gawat|prioritas|priority)\b")
URGENT_WORDS = 10
URGENT_SCAN = 100  # the open queue's first page this long is searched (emergencies have the nearest deadlines)


# "tiket ini bisa saya kasih prioritas tinggi?", "WRG-… prioritas tinggi, ada korban", "prioritize WRG-…" (forty-first
# trial: the urgent list, and the words offered to the reporter): a ticket's priority set
_SET_PRIORITY = re.compile(r"\b(?:prioritas|priority)\s+(?:\S+\s+)?(?:tinggi|high|utama|penting|urgent)\b"
                           r"|\b(?:prioritaskan|diprioritaskan|memprioritaskan|prioriti[sz]e|prioriti[sz]ed)\b"
                           r"|\b(?:naikkan|naikin|ubah|ganti|set|kasih|beri|tandai)\s+(?:\S+\s+){0,3}?(?:prioritas|"
                           r"priority)\b")
PRIORITY_NORMAL, PRIORITY_HIGH, PRIORITY_EMERGENCY = "normal", "tinggi", "darurat"  # (as Ticket.priority)
PRIORITY_LEVELS = {"tinggi": PRIORITY_HIGH, "high": PRIORITY_HIGH, "penting": PRIORITY_HIGH, "utama": PRIORITY_HIGH,
                   "mendesak": PRIORITY_HIGH, "urgent": PRIORITY_HIGH, "normal": PRIORITY_NORMAL,
                   "biasa": PRIORITY_NORMAL, "rendah": PRIORITY_NORMAL, "low": PRIORITY_NORMAL}


def sets_priority(text: str) -> bool:
    return len(text.split()) <= URGENT_WORDS + 6 and bool(_SET_PRIORITY.search(plain(text)))


@command("prioritas", roles=OFFICERS, usage="/prioritas TIKET tinggi|normal alasan")
async def cmd_priority(turn: Turn, args: str) -> None:
    """An open ticket marked high priority (first in the queue's urgent list, as a disposition marks it) or back to
    normal, with the reason in its history; an emergency stays one."""
    if (found := await read_number(turn, args, "/prioritas")) is None:
        return
    number, rest = found
    ticket = await load_actionable(turn, number, "/prioritas TIKET tinggi|normal alasan")
    if ticket is None:
        return
    if not is_open(ticket):
        turn.say("ticket_closed", number=ticket.number, status=status_name(turn, ticket.status))
        return
    word, _, reason = rest.strip().partition(" ")
    level = PRIORITY_LEVELS.get(plain(word))
    if level is None:
        turn.say("priority_usage", number=ticket.number, priority=priority_name(turn, ticket.priority))
        return
    if ticket.priority == PRIORITY_EMERGENCY:
        turn.say("priority_emergency_stays", number=ticket.number)
        return
    if ticket.priority == level:
        turn.say("priority_same", number=ticket.number, priority=priority_name(turn, level))
        return
    ticket.priority = level
    turn.save_ticket(ticket)
    turn.event(ticket, "priority", priority_name(turn, level) + (f": {reason.strip()}" if reason.strip() else ""),
               priority=level)
    turn.say("priority_set", number=ticket.number, priority=priority_name(turn, level))


def priority_name(turn: Turn, priority: str) -> str:
    return turn.t(f"priority_name_{priority}") if turn.texts.has(f"priority_name_{priority}") else priority


def offer_priority(turn: Turn, text: str, ticket: Ticket | None) -> None:
    """Words asking to raise a ticket's priority: with the ticket, the command offered in one tap (the reason kept);
    without one, how it is done."""
    if ticket is None:
        turn.say("priority_how", number=viewed_ticket(turn) or example_number(turn))
        return
    reason = " ".join(_SET_PRIORITY.sub(" ", plain(text.replace(ticket.number, " "))).split()).strip(" ,.:;-")
    level = PRIORITY_NORMAL if re.search(r"\b(?:normal|biasa|rendah|low)\b", plain(text)) else PRIORITY_HIGH
    payload = offer_yes(turn, f"/prioritas {ticket.number} {level} {reason}".strip())
    turn.say("priority_offer", [Button(turn.t("priority_button", priority=priority_name(turn, level)), payload),
                                turn.button("officer_pending_no", "/batal")],
             number=ticket.number, priority=priority_name(turn, level))


def asks_urgent(text: str) -> bool:
    low = text.lower()
    # a question or a request for the list, not an instruction ("yang darurat tolong didahulukan ya")
    return (len(text.split()) <= URGENT_WORDS and bool(_URGENT.search(low)) and not find_ticket_number(text)
            and ("?" in text or bool(re.match(r"\W*(?:ada|apa|mana|any|anything|which|list|daftar|tampilkan|"
                                              r"tampilin|lihat|liat|show|cek)\b", low))
                 or bool(re.search(r"\bada\s+(?:yang|yg|aduan|laporan)\b", low))))


# "ada aduan yang viral?", "yang lagi ramai dibicarakan apa?", "anything trending?"
_VIRAL = re.compile(r"\b(?:viral|diviralkan|trending|heboh|ramai\s+dibicarakan|rame\s+dibicarakan|jadi\s+sorotan|"
                    r"going\s+viral)\b")


def asks_viral(text: str) -> bool:
    return len(text.split()) <= URGENT_WORDS and bool(_VIRAL.search(text.lower())) and not find_ticket_number(text)


async def show_urgent(turn: Turn) -> None:
    """The open complaints filed as emergencies or on an urgent topic (of the officer's office; every office's for
    the regent and operators), then the count past their deadline and how to list them."""
    opd_id = None if turn.identity.role in (ROLE_OPERATOR, ROLE_REGENT) else turn.identity.opd_id
    tickets = await turn.store.list_tickets(TicketQuery(opd_id=opd_id, statuses=OPEN_STATUSES, limit=URGENT_SCAN))
    urgent = [t for t in tickets if t.priority != "normal"]
    overdue = await turn.store.count_tickets(TicketQuery(opd_id=opd_id, statuses=OPEN_STATUSES, due_before=turn.now))
    label = opd_name(turn, opd_id) if opd_id else turn.directory.regency_short
    from actions.sla import ticket_opd_label

    lines = [turn.t("urgent_header", opd=label, count=len(urgent)) if urgent else turn.t("urgent_none", opd=label)]
    for ticket in urgent[:QUEUE_LIMIT]:
        lines.append(turn.t("queue_line_opd", flag="🚨 ", number=ticket.number, topic=subject_name(turn, ticket),
                            status=status_name(turn, ticket.status), due=format_date(turn, ticket.due_at),
                            opd=ticket_opd_label(turn, ticket)))
    lines.append(turn.t("urgent_overdue", count=overdue) if overdue else turn.t("urgent_overdue_none"))
    turn.replies.append(Reply("\n".join(lines), tuple(Button(t.number, f"/info {t.number}") for t in urgent[:3])))


# "tolong kirim daftar aduan yang masuk hari ini", "aduan hari ini apa saja?", "which complaints came in today?": the
# complaints received that day, listed (thirty-fourth trial: "not sent to anyone" and the help; the figures alone)
_NEW_LIST = re.compile(r"\b(?:apa\s+saja|apa\s+aja|mana\s+saja|mana\s+aja|daftar\w*|list|tampilkan|tampilin|which|"
                       r"what)\b")
_NEW_PERIOD = re.compile(r"\b(?:hari\s+ini|today|kemarin|kemaren|yesterday)\b")
_YESTERDAY = re.compile(r"\b(?:kemarin|kemaren|yesterday)\b")
NEW_LIST_SHOWN = 15


def asks_new_list(text: str) -> bool:
    low = plain(text)
    return (len(low.split()) <= 14 and bool(_NEW_LIST.search(low)) and bool(_NEW_PERIOD.search(low))
            and bool(re.search(r"\b(?:aduan|laporan|tiket|pengaduan|complaints?|tickets?|reports?)\b", low))
            and not find_ticket_number(text))


async def show_new_list(turn: Turn, text: str) -> None:
    """The complaints received since this morning (or since yesterday morning) that the staff member may see, the
    newest last, each with its office and where it stands."""
    local = turn.now.astimezone(turn.services.calendar.tz)
    start = local.replace(hour=0, minute=0, second=0, microsecond=0)
    if _YESTERDAY.search(plain(text)):
        start -= timedelta(days=1)
    opd_id = turn.identity.opd_id if turn.identity.role == ROLE_OFFICER else None
    tickets = [t for t in await turn.store.list_tickets(TicketQuery(opd_id=opd_id, created_after=start, limit=100))
               if can_act(turn, t) or turn.identity.role in (ROLE_REGENT, ROLE_OPERATOR)]
    tickets.sort(key=lambda t: t.created_at)
    since = turn.t("new_list_since_yesterday" if _YESTERDAY.search(plain(text)) else "new_list_today")
    if not tickets:
        turn.say("new_list_none", since=since)
        return
    from actions.sla import ticket_opd_label

    lines = [turn.t("new_list_header", since=since, count=len(tickets))]
    lines += [turn.t("new_list_line", number=t.number, topic=subject_name(turn, t), opd=ticket_opd_label(turn, t),
                     status=status_name(turn, t.status)) for t in tickets[:NEW_LIST_SHOWN]]
    if len(tickets) > NEW_LIST_SHOWN:
        lines.append(f"… +{len(tickets) - NEW_LIST_SHOWN}")
    turn.replies.append(Reply("\n".join(lines), tuple(Button(t.number, f"/info {t.number}") for t in tickets[-3:])))


# An officer's "minta daftar aduan yang sudah selesai bulan ini", "aduan apa saja yang sudah kami selesaikan minggu
# ini?" (thirty-sixth trial: the help): their office's complaints finished in the period named
_DONE_LIST = re.compile(r"\b(?:daftar|list|apa\s+saja|apa\s+aja|mana\s+saja|mana\s+aja|tampilkan|lihat|show)\b.*"
                        r"\b(?:selesai|diselesaikan|kami\s+selesaikan|ditutup|beres|done|finished|closed|resolved)\b")
DONE_LIST_WORDS = 14
DONE_LIST_SHOWN = 15


def asks_done_list(text: str) -> bool:
    low = plain(text)
    return len(low.split()) <= DONE_LIST_WORDS and bool(_DONE_LIST.search(low)) and not find_ticket_number(text)


async def show_done_list(turn: Turn, text: str) -> None:
    """The office's complaints finished in the period the words name (else the last seven days), newest first."""
    from actions.oversight import Period
    from actions.regent import period_words, recap_period

    found = recap_period(turn, text)
    kind, period = found if found is not None else ("last_days", Period.last_days(
        turn.services.calendar, turn.now, DONE_LIST_DAYS))
    start, end = period.bounds(turn.services.calendar)
    tickets = [t for t in await turn.store.list_tickets(TicketQuery(
        opd_id=turn.identity.opd_id, statuses=(STATUS_DONE, STATUS_CLOSED), closed_after=start, limit=200))
        if t.closed_at is not None and t.closed_at < end and can_act(turn, t)]
    tickets.sort(key=lambda t: t.closed_at or t.created_at, reverse=True)
    label, dates = period_words(turn, period, kind)
    if not tickets:
        turn.say("done_list_none", period=label, dates=dates)
        return
    lines = [turn.t("done_list_header", period=label, dates=dates, count=len(tickets))]
    lines += [turn.t("done_list_line", number=t.number, topic=subject_name(turn, t),
                     closed=format_date(turn, t.closed_at)) for t in tickets[:DONE_LIST_SHOWN]]
    if len(tickets) > DONE_LIST_SHOWN:
        lines.append(f"… +{len(tickets) - DONE_LIST_SHOWN}")
    turn.replies.append(Reply("\n".join(lines), tuple(Button(t.number, f"/info {t.number}") for t in tickets[:3])))


DONE_LIST_DAYS = 7


async def show_overdue_count(turn: Turn) -> None:
    """"berapa aduan saya yang lewat tenggat?": those past their deadline, listed under their count; none, said so,
    with the open queue beneath."""
    overdue = await turn.store.count_tickets(TicketQuery(opd_id=turn.identity.opd_id, statuses=OPEN_STATUSES,
                                                         due_before=turn.now))
    if not overdue:
        turn.say("queue_overdue_empty", opd=opd_name(turn, turn.identity.opd_id))
    await show_queue(turn, "", overdue=bool(overdue))


UNCLAIMED_LOOK = 100  # the open complaints read for those nobody has taken (an office's queue is shorter)


async def show_queue(turn: Turn, args: str, *, overdue: bool = False, unclaimed: bool = False) -> None:
    """The open complaints of the officer's office (the regent's and operators': every office's, or the one named),
    by deadline; `overdue`: only those past it; `unclaimed`: only those no officer has taken ("berapa aduan yang
    belum diambil?")."""
    opd_id = turn.identity.opd_id
    if turn.identity.role in (ROLE_OPERATOR, ROLE_REGENT):
        wanted = turn.directory.find_opd(args) if args.strip() else None
        if args.strip() and wanted is None:  # not the whole regency's queue for an OPD not understood
            say_unknown_opd(turn, args.strip()[:40], "/antrian", "")
            return
        opd_id = wanted.id if wanted else None
    elif args.strip() and (other := turn.directory.find_opd(args)) is not None and other.id != opd_id:
        # "/antrian dishub" from an officer of PUPR (thirty-second trial: PUPR's queue, unexplained)
        turn.say("queue_own_office_only", opd=opd_name(turn, opd_id), other=other.short)
    # one page and a count, both from the index of open tickets (never every open ticket)
    query = TicketQuery(opd_id=opd_id, statuses=OPEN_STATUSES, limit=UNCLAIMED_LOOK if unclaimed else QUEUE_LIMIT,
                        due_before=turn.now if overdue else None)
    count = await turn.store.count_tickets(query)
    tickets = await turn.store.list_tickets(query) if count else []
    label = opd_name(turn, opd_id) if opd_id else turn.directory.regency_short
    if unclaimed:
        tickets = [t for t in tickets if not t.extra.get("assignee") and t.status != STATUS_TRIAGE]
        count = len(tickets)
        tickets = tickets[:QUEUE_LIMIT]
        if not tickets:
            turn.say("queue_unclaimed_empty", opd=label)
            return
    if not tickets:
        turn.say("queue_overdue_empty" if overdue else "queue_empty", opd=label)
        return
    # The regent's and the operators' queue spans every OPD: each line names who has the ticket, as cards do.
    from actions.sla import ticket_opd_label

    every_opd = turn.identity.role in (ROLE_OPERATOR, ROLE_REGENT)
    lines = [turn.t("queue_unclaimed_header" if unclaimed else "queue_overdue_header" if overdue else "queue_header",
                    opd=label, count=count)]
    for ticket in tickets:
        overdue = ticket.due_at is not None and ticket.due_at < turn.now
        lines.append(turn.t(
            "queue_line_opd" if every_opd else "queue_line", flag="⚠️ " if overdue else "", number=ticket.number,
            topic=subject_name(turn, ticket),
            status=status_name(turn, ticket.status), due=format_date(turn, ticket.due_at),
            opd=ticket_opd_label(turn, ticket) if every_opd else ""))
    if count > len(tickets):
        lines.append(f"… +{count - len(tickets)}")
    buttons = tuple(Button(t.number, f"/info {t.number}") for t in tickets[:3])
    turn.replies.append(Reply("\n".join(lines), buttons))
    turn.state[QUEUE_SHOWN_KEY] = {"numbers": [t.number for t in tickets], "at": turn.now.isoformat()}


#: Conversation state: the queue just shown, in its order ("yang pertama saya ambil" after it).
QUEUE_SHOWN_KEY = "queue_shown"
QUEUE_SHOWN_MINUTES = 30


def queue_shown(turn: Turn) -> list[str]:
    """The numbers of the queue shown to this staff member within QUEUE_SHOWN_MINUTES, in order; [] otherwise."""
    shown = turn.state.get(QUEUE_SHOWN_KEY)
    if not isinstance(shown, dict) or not stamped_within(shown.get("at"), turn.now, QUEUE_SHOWN_MINUTES):
        return []
    return [str(n) for n in shown.get("numbers") or []]


@command("info", roles=OFFICERS, usage="/info TIKET")
async def cmd_info(turn: Turn, args: str) -> None:
    if not args.strip() and turn.identity.role == ROLE_OFFICER:
        # "/info" alone (thirty-second trial: the usage only): the office's open tickets, each one tap from its card
        await show_queue(turn, "")
        return
    if (found := await read_number(turn, args, "/info")) is None:
        return
    number, _ = found
    ticket = await load_actionable(turn, number, "/info TIKET")
    if ticket is None:
        return
    turn.state[VIEWED_KEY] = {"number": ticket.number, "at": turn.now.isoformat()}
    events = await turn.store.ticket_events(ticket.number)
    names = await actor_names(turn, ticket, events[-15:], turn.lang)
    history = "\n".join(_history_line(turn, e, event_actor(e, ticket, names)) for e in events[-15:])
    text = turn.t(
        "ticket_info", number=ticket.number, kind=turn.t(f"kind_{ticket.kind}"),
        topic=topic_name(turn, ticket.topic),
        opd=opd_name(turn, ticket.opd_id) if ticket.opd_id else turn.t("opd_not_chosen"),
        status=status_name(turn, ticket.status) + duplicates.info_note(turn, ticket),
        assignee=await assignee_line(turn, ticket, events), priority=ticket.priority,
        created=format_date(turn, ticket.created_at, with_time=True), due=await _info_due(turn, ticket),
        location=location_text(turn, ticket) + map_line(turn, ticket),
        reporter=await reporter_label(turn, ticket, turn.lang),
        routing=routing_note(turn, ticket, events), text=ticket.text, history=history or "-")
    image = f"media:{ticket.media[0]}" if ticket.media else None
    turn.replies.append(Reply(text, info_buttons(turn, ticket), image=image, ticket=ticket.number))


def info_buttons(turn: Turn, ticket: Ticket) -> tuple[Button, ...]:
    """/info's buttons, by what the one who asked can do there: an OPD's officer answers, processes, finishes or
    moves it; the regent answers or disposes of it (to its OPD, or to the likeliest while it waits in triage), not
    the OPD's steps; the operator routes a ticket waiting in triage to the likeliest OPDs. A finished, closed or
    archived ticket has nothing to process, finish or move; writing still is."""
    from actions.common import officer_buttons

    buttons = officer_buttons(turn, ticket.number, turn.lang)
    if not is_open(ticket):
        return buttons[:1]
    if turn.identity.role == ROLE_REGENT:
        ranked = [turn.directory.routing[n] for n, _ in ticket.extra.get("ranking", []) if n in turn.directory.routing]
        targets = [ticket.opd_id] if ticket.opd_id else list(dict.fromkeys(ranked))[:2]
        return (buttons[0], *(Button(turn.t("button_dispose_to", opd=opd_name(turn, o)),
                                     f"/disposisi {ticket.number} {o}") for o in targets))
    if turn.identity.role == ROLE_OPERATOR and ticket.status == STATUS_TRIAGE:
        return (buttons[0], *(Button(b.title, b.payload.replace("/alihkan", "/rute", 1))
                              for b in _transfer_buttons(turn, ticket)))
    return buttons


async def _info_due(turn: Turn, ticket: Ticket) -> str:
    """/info's deadline: the date, or for an archived ticket that none runs any more, who archived it, when, and
    why (the deadline it had would read as if it were still running)."""
    if ticket.status != STATUS_ARCHIVED:
        late = is_open(ticket) and ticket.due_at is not None and ticket.due_at < turn.now
        return format_date(turn, ticket.due_at) + (turn.t("status_due_passed") if late else "")  # as the reporter reads
    from actions.archive import archive_reason, archived_by  # (archive.py imports this module)

    return turn.t("info_due_archived", by=await archived_by(turn, ticket, turn.lang),
                  date=format_date(turn, ticket.closed_at, with_time=True), reason=archive_reason(ticket) or "-")


async def assignee_line(turn: Turn, ticket: Ticket, events: list[TicketEvent]) -> str:
    """The line of /info on who has a complaint: its assignee as colleagues know them; else the officer of its OPD
    who last answered the reporter or took it up (`events`, the ticket's history); nobody yet only when no officer
    did; nothing for a message to the regent (never assigned)."""
    if ticket.kind != "aduan":
        return ""
    assignee = ticket.extra.get("assignee")
    if not isinstance(assignee, dict):
        read: set[str] = {ticket.reporter}  # each actor read once
        for event in reversed(events):
            if event.kind not in _TAKES_IT_UP or not event.actor or event.actor in read:
                continue
            read.add(event.actor)
            who = await turn.store.get_identity(event.actor)
            if who is not None and who.role == ROLE_OFFICER and who.opd_id == ticket.opd_id:  # not a former OPD's
                return turn.t("info_handled_by", name=staff_label(turn, who))
        return turn.t("info_assignee_none")
    who = await turn.store.get_identity(str(assignee.get("key") or ""))
    return turn.t("info_assignee", name=staff_label(turn, who) if who else str(assignee.get("name") or "-"))


# "siapa yang menangani?", "sudah ada petugasnya?", "who is handling it?" right after a complaint was opened
_WHO_HANDLES = re.compile(r"\bsiapa\s+(?:\S+\s+)?(?:yang|yg)\s+(?:menangani|nangani|pegang|megang|handle|urus|"
                          r"mengurus)\b|\bsiapa\s+petugas\w*\b|\bwho\s+(?:is\s+|'s\s+)?(?:handling|in\s+charge)\b")


async def who_handles_viewed(turn: Turn, text: str) -> bool:
    """Who handles the complaint staff opened minutes ago (thirty-second trial: the regent's "siapa yang menangani?"
    after it got the help), or acted on ("siapa yang pegang tiket ini?" after /balas: thirty-eighth trial, "no open
    complaint matches"): its office and who has it; False when none was lately or other words."""
    number = ticket_at_hand(turn)
    if number is None or not _WHO_HANDLES.search(plain(text)) or len(text.split()) > 10:
        return False
    ticket = await turn.store.get_ticket(number)
    if ticket is None or not can_act(turn, ticket):
        return False
    events = await turn.store.ticket_events(ticket.number)
    turn.say("viewed_who_handles", number=ticket.number,
             opd=opd_name(turn, ticket.opd_id) if ticket.opd_id else turn.t("opd_not_chosen"),
             who=await assignee_line(turn, ticket, events))
    return True


# What an officer does on a ticket that shows they have it: answering the reporter, or changing its status
# (/proses, /selesai).
_TAKES_IT_UP = frozenset({"message_out", "status"})


_MERGE_EVENTS = ("merged", "merged_in", "unmerged")  # actions/duplicates.py


def _history_line(turn: Turn, event: TicketEvent, who: str | None = None) -> str:
    """One line of a ticket's history: when, what (in words), by whom, where it went, and what was said."""
    what = event_name(turn.texts, event.kind, turn.lang)
    if event.data.get("status") and event.kind == "status":
        what += f" → {status_name(turn, str(event.data['status']))}"
    target = event.data.get("to_opd") or (event.data.get("opd") if event.kind in ("routed", "disposition") else None)
    if target:
        what += f" → {opd_name(turn, str(target))}"
    joined = (event.data.get("into") or event.data.get("from")) if event.kind in _MERGE_EVENTS else \
        event.data.get("follower")  # (a message from the reporter of a complaint joined here)
    if joined:  # which complaint was joined here, or this one joined to
        what += f" ({joined})"
    said = f": {event.text[:200]}" if event.text and event.kind != "created" else ""  # created: the text above
    by = f" ({who})" if who else ""
    return f"• {format_date(turn, event.at, with_time=True)} — {what}{by}{said}"


def routing_note(turn: Turn, ticket: Ticket, events: list[TicketEvent]) -> str:
    """A line on how the OPD was chosen, only where it helps the officer: the bot was unsure, the resident
    picked the topic, or it waits for triage. A confident automatic route, or one a person corrected since,
    says nothing (a percentage on every ticket reads as certainty it does not have)."""
    if ticket.kind != "aduan" or any(e.kind in ("rerouted", "disposition") for e in events):
        return ""
    if ticket.status == STATUS_TRIAGE:
        return turn.t("routing_note_triage")
    routed = next((e for e in events if e.kind == "routed"), None)
    if routed is not None and routed.data.get("by") == "resident":
        return turn.t("routing_note_resident")
    if routed is not None and routed.data.get("by") not in (None, "nlu"):
        return ""  # routed by the operator (triage): a person chose
    if ticket.confidence is not None and ticket.confidence < turn.directory.route_threshold:
        return turn.t("routing_note_unsure", confidence=f"{ticket.confidence:.0%}")
    return ""


# --- acting on a ticket --------------------------------------------------------------------------
def acting_name(turn: Turn, ticket: Ticket, lang: str | None = None) -> str:
    """Who is acting on `ticket`, as the resident reads it: an officer's OPD, the regent (the regent's staff
    act in the regent's name), the complaint service for an operator; never the OPD for someone else's act."""
    role = turn.identity.role
    if role == ROLE_OFFICER and turn.identity.opd_id:
        return opd_name(turn, turn.identity.opd_id)
    if role == ROLE_REGENT:
        return turn.directory.regent_title
    if role == ROLE_OPERATOR:
        return turn.t("complaint_service", lang)
    return handler_name(turn, ticket, lang)


def _actor_for_staff(turn: Turn, lang: str) -> str:
    """The acting staff member as an OPD's officers read them: their role, with their name when they gave one."""
    role = turn.t(f"role_{turn.identity.role}", lang) if turn.texts.has(f"role_{turn.identity.role}") else ""
    if turn.identity.name and role:
        return f"{role[:1].upper()}{role[1:]} ({turn.identity.name})"
    return staff_label(turn, turn.identity, lang)


async def tell_opd_of_change(turn: Turn, opd_id: str | None, number: str, key: str, reason: str,
                             note: str = "", **fields: str) -> None:
    """When someone finishes, processes or moves one of an OPD's tickets (the regent, an operator, or one of its
    own officers), the OPD's others are told who did what, rather than learn it from the resident or act on it
    twice. Not the one who acted, from the chat or the desk, nor the group chat the command was typed in."""
    if not opd_id:
        return
    mine = await _own_chats(turn)
    for to in await opd_recipients(turn, opd_id):
        if to in mine or await chat_identity(turn, to) in mine:
            continue
        lang = await staff_lang(turn, to)
        text = turn.t(key, lang, number=number, by=_actor_for_staff(turn, lang),
                      note=turn.t("outside_note", lang, note=note) if note else "", **fields)
        turn.deliver(to, [Reply(text, ticket=number)], f"{reason}:{number}:{opd_id}")


async def send_to_resident(turn: Turn, ticket: Ticket, compose: Callable[[str], str], key: str,
                           image: str | None = None) -> None:
    """Staff's words to the resident, in the resident's language (`compose(lang)` writes them), with the
    Tanggapi button (and the officer's photo `image`, a `media:ID`); the resident's plain answer comes back to this
    ticket, and a new complaint that staff answered counts as in progress."""
    reporter = await turn.store.get_identity(ticket.reporter)
    lang = reporter.lang if reporter else ticket.lang
    button = Button(turn.t("reply_button", lang), f"/tanggapi {ticket.number}")
    text = for_whom(turn, ticket, lang) + compose(lang)  # a village official: for which resident
    turn.deliver(ticket.reporter, [Reply(text, (button,), ticket=ticket.number, image=image)], key)
    turn.patch_conversation(ticket.reporter, reply_ticket=ticket.number)
    if ticket.status == STATUS_NEW and ticket.kind == "aduan":
        ticket.status = STATUS_IN_PROGRESS
        turn.event(ticket, "status", None, status=STATUS_IN_PROGRESS)
    turn.save_ticket(ticket)


async def relay_reply(turn: Turn, ticket: Ticket, text: str, photos: list[str] | None = None,
                      more_photos_follow: bool = True) -> None:
    """An officer's or the regent's answer, relayed to the resident on the resident's channel (and to
    SP4N-LAPOR! as a follow-up, when the complaint went there), with the photos they sent with it ("ini foto
    setelah ditambal pak"), kept in the history. Held for its sender's word when a colleague answered the same
    reporter a moment ago (`hold_for_colleague`). With `more_photos_follow`, photos without words sent right
    after go to the same reporter (`more_photos_for_last_reply`); not after a photo the bot offered in one tap,
    where each photo is offered in turn."""
    photos = photos or []
    if await hold_for_colleague(turn, ticket, text):
        if photos:  # held with the answer, for its "Ya, tetap kirim"
            hold_photos(turn, f"/balas {ticket.number} {text}", photos)
        return
    await photos_belong_to(turn, photos, ticket.number)
    turn.event(ticket, "message_out", text, opd=turn.identity.opd_id, role=turn.identity.role,
               **({"media": photos} if photos else {}))
    push_to_lapor(turn, ticket, text, acting_name(turn, ticket, "id"))

    def compose(lang: str) -> str:
        if ticket.kind == "bupati" and not ticket.opd_id:
            return turn.t("regent_relay_to_resident", lang, number=ticket.number, text=text)
        return turn.t("relay_to_resident", lang, for_channel=ticket.reporter.split(":", 1)[0],
                      opd=acting_name(turn, ticket, lang), number=ticket.number, text=text)

    if turn.identity.role == ROLE_REGENT and ticket.opd_id:  # the reporter's answer will reach the regent too
        ticket.extra[REGENT_ANSWERED] = await chat_identity(turn, turn.identity.key)
    if ticket.kind == "bupati" and not ticket.opd_id:  # a message to the regent, answered: its deadline is met
        from actions.sla import settle_answered

        settle_answered(turn, ticket)
    await send_to_resident(turn, ticket, compose, f"out:{ticket.number}", f"media:{photos[0]}" if photos else None)
    await send_more_photos(turn, ticket, photos[1:])
    await duplicates.tell_followers(turn, ticket, "reply", text, f"media:{photos[0]}" if photos else None)
    await tell_colleagues_of_reply(turn, ticket, text)
    await tell_disposer(turn, ticket, "reply", text)
    turn.reset_flow()
    if more_photos_follow:
        turn.state[LAST_REPLY_KEY] = {"number": ticket.number, "at": turn.now.isoformat(), "photos": len(photos)}
    else:
        turn.state.pop(LAST_REPLY_KEY, None)
    if await is_muted(turn.store, ticket.reporter):  # "STOP" (actions/mute.py): kept in the history, not sent
        turn.say("reply_kept_muted", number=ticket.number)
    elif photos and not carries_pictures(ticket.reporter):
        turn.say("reply_sent_photo_not_carried", number=ticket.number)
    elif photos:
        turn.say("reply_sent_with_photo", number=ticket.number)
    else:
        turn.say("reply_sent", number=ticket.number)
    await _note_done_by_colleague(turn, ticket)


async def _note_done_by_colleague(turn: Turn, ticket: Ticket) -> None:
    """An answer sent on a ticket a colleague marked done (thirty-fourth trial: "besok kami perbaiki" went after a
    colleague's "sudah diperbaiki", unsaid): who closed it, and how to reopen it if the work is still to come."""
    if ticket.status != STATUS_DONE:
        return
    events = [e for e in await turn.store.ticket_events(ticket.number, "status") if e.data.get("status") == STATUS_DONE]
    if not events or not events[-1].actor or events[-1].actor == turn.identity.key:
        return
    names = await actor_names(turn, ticket, events[-1:], turn.lang)
    turn.say("reply_on_done_by_colleague", number=ticket.number, who=names.get(events[-1].actor, "-"),
             when=format_date(turn, events[-1].at))


async def send_more_photos(turn: Turn, ticket: Ticket, photos: list[str]) -> None:
    """Photos of staff's answer after the first (which went with the words): one message each, as the chat apps
    carry one picture a message; not to a reporter whose channel carries none (they are in the history)."""
    if not photos or not carries_pictures(ticket.reporter):
        return
    reporter = await turn.store.get_identity(ticket.reporter)
    lang = reporter.lang if reporter else ticket.lang
    for media_id in photos:
        turn.deliver(ticket.reporter, [Reply(turn.t("officer_more_photo_to_resident", lang, number=ticket.number),
                                             ticket=ticket.number, image=f"media:{media_id}")],
                     f"out-photo:{ticket.number}:{media_id}")


#: A staff conversation's state: the ticket staff's answer last went to, when, and with how many photos; photos
#: sent on their own right after (a Telegram album's other pictures, WhatsApp's one message a picture, the web
#: chat's one upload a picture) go to the same ticket (`more_photos_for_last_reply`).
LAST_REPLY_KEY = "last_reply"
#: How long after an answer (or its last photo) a photo without words still belongs to it.
MORE_PHOTOS_WINDOW = timedelta(minutes=3)


async def more_photos_for_last_reply(turn: Turn) -> bool:
    """Photos without words from staff right after their answer went to a reporter (or right after the photo
    before): they are that answer's further pictures, so they go to the same reporter and the ticket's history,
    and staff are told where they went. False when no answer went lately, or its ticket is no longer theirs."""
    last = turn.state.get(LAST_REPLY_KEY)
    photos = staff_photos(turn)
    if not isinstance(last, dict) or not photos or turn.message.text.strip():
        return False
    try:
        recent = turn.now - datetime.fromisoformat(str(last.get("at"))) <= MORE_PHOTOS_WINDOW
    except ValueError:
        return False
    ticket = await turn.store.get_ticket(str(last.get("number"))) if recent else None
    if ticket is None or not can_act(turn, ticket) or not is_open(ticket):
        return False
    await photos_belong_to(turn, photos, ticket.number)
    turn.event(ticket, "message_out", turn.t("officer_more_photo_to_resident", "id", number=ticket.number),
               opd=turn.identity.opd_id, role=turn.identity.role, media=photos)
    await send_more_photos(turn, ticket, photos)
    count = int(last.get("photos") or 0) + len(photos)
    turn.state[LAST_REPLY_KEY] = {"number": ticket.number, "at": turn.now.isoformat(), "photos": count}
    turn.say("more_photo_sent" if carries_pictures(ticket.reporter) else "more_photo_not_carried",
             number=ticket.number, count=count)
    return True


#: Channels whose messages carry no picture (an officer's photo to a reporter there is kept in the ticket's history
#: and the desk, and the officer is told it did not reach the reporter).
TEXT_ONLY_CHANNELS = frozenset({"sms"})
#: Conversation state: the photos staff sent with words the bot offered to send in one tap ("Ya, kirim ke pelapor
#: …"), and those offered commands: {"media": [ids], "payloads": [...]}; the tap sends the photos with the words.
OFFERED_PHOTOS_KEY = "offered_photos"


def carries_pictures(key: str) -> bool:
    """Whether a message to identity `key` can carry a photo (not an SMS)."""
    return key.split(":", 1)[0] not in TEXT_ONLY_CHANNELS


def staff_photos(turn: Turn) -> list[str]:
    """The photos of this message (already re-encoded without metadata by the message gate), kept as media: their
    ids. Kept once, however often asked in one turn."""
    kept = {id(m.data): m.id for m in turn.changes.media}
    ids: list[str] = []
    for attachment in turn.message.attachments:
        if attachment.kind != "photo" or not attachment.data:
            continue
        if id(attachment.data) not in kept:
            media = Media(id=uuid.uuid4().hex, mime=attachment.mime or "image/jpeg", data=attachment.data,
                          created_at=turn.now)
            turn.changes.media.append(media)
            kept[id(attachment.data)] = media.id
        ids.append(kept[id(attachment.data)])
    return ids


def hold_photos(turn: Turn, payload: str, photos: list[str] | None = None) -> str:
    """This message's photos (or `photos`) go with the one-tap command `payload` offered for it, when tapped; gives
    `payload`."""
    photos = photos or staff_photos(turn)
    if photos:
        held = turn.state.get(OFFERED_PHOTOS_KEY)
        payloads = held["payloads"] if isinstance(held, dict) and held.get("media") == photos else []
        turn.state[OFFERED_PHOTOS_KEY] = {"media": photos, "payloads": [*payloads, payload]}
    return payload


def photos_for(turn: Turn, line: str) -> list[str]:
    """The photos a command `line` ("/balas WRG-2612-0001 ini fotonya") carries: those sent with it, and those
    held with the same command when it was offered in one tap."""
    photos = staff_photos(turn)
    held = turn.state.get(OFFERED_PHOTOS_KEY)
    if isinstance(held, dict) and " ".join(line.split()) in [" ".join(str(p).split()) for p in held["payloads"]]:
        turn.state.pop(OFFERED_PHOTOS_KEY, None)
        photos = [*held["media"], *photos]
    return list(dict.fromkeys(photos))


async def photos_belong_to(turn: Turn, photos: list[str], number: str) -> None:
    """Staff's photos, once sent on ticket `number`, belong to it (the desk shows them to those who may see it)."""
    for media_id in photos:
        media = next((m for m in turn.changes.media if m.id == media_id), None) or \
            await turn.store.get_media(media_id)
        if media is not None and media.ticket != number:
            media.ticket = number
            if media not in turn.changes.media:
                turn.changes.media.append(media)


#: Ticket `extra` key: the regent (their chat identity) who answered the reporter; the reporter's answers reach
#: them too, not only the OPD.
REGENT_ANSWERED = "regent_answered"


async def chat_identity(turn: Turn, key: str) -> str:
    """The chat identity behind a web desk identity (the one its sign-in came from), else `key` itself."""
    origin = await turn.store.get_value(WEB_ORIGIN_KEY + key)
    return origin if isinstance(origin, str) else key


async def _own_chats(turn: Turn) -> set[str]:
    """The acting person's identities (the chat one and its desk copy) and the chat the message came from (a
    group): who needs no notice of what was just done there."""
    mine = {turn.identity.key, await chat_identity(turn, turn.identity.key)}
    if turn.message.chat_id:
        mine.add(f"{turn.message.channel}:{turn.message.chat_id}")
    return mine


async def tell_disposer(turn: Turn, ticket: Ticket, what: str, text: str = "") -> None:
    """The regent who disposed `ticket` hears each follow-up on it (`what`: reply, progress, done), whoever acts,
    so a disposition is watched without asking; the regent's own acts are not echoed back."""
    disposition = ticket.extra.get("disposition")
    by = disposition.get("by") if isinstance(disposition, dict) else None
    if not isinstance(by, str) or not by:
        return
    to = await chat_identity(turn, by)
    if to in (turn.identity.key, await chat_identity(turn, turn.identity.key)):
        return
    lang = await staff_lang(turn, to)
    body = turn.t(f"disposition_followup_{what}", lang, number=ticket.number, by=_actor_for_staff(turn, lang),
                  text=text, note=turn.t("outside_note", lang, note=text) if text else "")
    # not linked to the ticket: a reply to it ("baik, pantau terus") is for the staff, never sent to the reporter
    turn.deliver(to, [Reply(body)], f"disposition-followup:{ticket.number}")


async def tell_colleagues_of_reply(turn: Turn, ticket: Ticket, text: str) -> None:
    """Everyone else who handles the ticket's OPD sees what was answered, by a colleague, the regent or an operator
    (as an inbox shared by a team shows each answer), so a resident is not answered twice and the regent's word
    to a resident is not missed. The one who answered is not told, from the chat or from the desk."""
    if not ticket.opd_id:
        return
    mine = await _own_chats(turn)
    for to in await opd_recipients(turn, ticket.opd_id):
        if to in mine or await chat_identity(turn, to) in mine:
            continue
        lang = await staff_lang(turn, to)
        notice = turn.t("reply_seen_by_colleague", lang, number=ticket.number, by=_actor_for_staff(turn, lang),
                        text=text)
        # not linked to the ticket: a reply to it ("siap, makasih") is for the colleague, never sent to the reporter
        turn.deliver(to, [Reply(notice)], f"reply-by:{ticket.number}")


#: An answer waits for its sender's word when a colleague answered the same reporter this recently, after the
#: reporter last wrote, and the sender had not seen it: two officers of one OPD (one in chat, one on the desk)
#: must not send a resident two answers, perhaps contradicting, a minute apart.
COLLISION_WINDOW = timedelta(minutes=15)
#: Turn state the desk sets: how many of the ticket's history lines were on the page the answer was written on
#: (then any colleague's answer after those counts as unseen, however old).
SEEN_EVENTS_KEY = "seen_events"
#: Conversation state: a held answer's ticket and how much of its history its sender was shown ({number, seen, by,
#: ago}); their next answer to it (the same, or rewritten) goes, unless a colleague answered since.
CONFIRMED_REPLY_KEY = "reply_confirmed"


async def _is_own(turn: Turn, actor: str, mine: set[str]) -> bool:
    return actor in mine or await chat_identity(turn, actor) in mine


async def unseen_colleague_answer(turn: Turn, ticket: Ticket) -> tuple[TicketEvent | None, int]:
    """The latest answer someone else sent the reporter since the reporter last wrote, which the acting person
    has not seen (after the lines their desk page showed, else within `COLLISION_WINDOW`); and how many history
    lines there are now."""
    events = await turn.store.ticket_events(ticket.number)
    seen = turn.state.get(SEEN_EVENTS_KEY)
    confirmed = turn.state.pop(CONFIRMED_REPLY_KEY, None)
    if isinstance(confirmed, dict) and confirmed.get("number") == ticket.number:
        seen = confirmed.get("seen")  # shown the colleague's answer: this one, or one rewritten after it, goes
    mine = await _own_chats(turn)
    found: TicketEvent | None = None
    for index, event in enumerate(events):
        if event.kind == "message_in":
            found = None
        elif event.kind == "message_out" and event.actor and not await _is_own(turn, event.actor, mine):
            unseen = index >= seen if isinstance(seen, int) else turn.now - event.at <= COLLISION_WINDOW
            found = event if unseen else found
    return found, len(events)


async def hold_for_colleague(turn: Turn, ticket: Ticket, text: str) -> bool:
    """Hold an answer when a colleague (or the regent, or an operator) answered the same reporter a moment ago
    and the sender has not seen it: show that answer and send this one only when asked ("Ya, tetap kirim", or a
    typed "ya"), as a shared inbox warns of a reply collision. The desk's page shows it in the history. The regent
    is not held: their word after an officer's is a second voice on purpose, and officers see it."""
    if turn.identity.role == ROLE_REGENT:
        return False
    answer, count = await unseen_colleague_answer(turn, ticket)
    if answer is None:
        return False
    who = await turn.store.get_identity(answer.actor or "")
    if answer.data.get("role") == ROLE_REGENT or (who is not None and who.role == ROLE_REGENT):
        by = turn.t("regent_as_colleague")  # by the configured title ("Bapak/Ibu Bupati"), not "Pimpinan (…c847)"
    else:
        by = staff_label(turn, who, turn.lang) if who else turn.t("someone_else")
    minutes = max(0, int((turn.now - answer.at).total_seconds() // 60))
    ago = turn.t("moment_ago") if minutes < 1 else turn.t("minutes_ago", n=minutes)
    said = answer.text or ""
    turn.reset_flow()
    turn.state[CONFIRMED_REPLY_KEY] = {"number": ticket.number, "seen": count, "by": by, "ago": ago}
    payload = offer_yes(turn, hold_photos(turn, f"/balas {ticket.number} {text}"))
    turn.say("reply_held_for_colleague",
             [Button(turn.t("reply_send_anyway"), payload), turn.button("officer_pending_no", "/batal")],
             number=ticket.number, by=by, ago=ago, said=shown_words(said))
    return True


@command("balas", roles=OFFICERS, usage="/balas TIKET pesan")
async def cmd_reply(turn: Turn, args: str) -> None:
    if (found := await read_number(turn, args, "/balas")) is None:
        return
    number, text = found
    if number is None and (aimed := _REPLY_SUBJECT.match(args.strip())) is not None:
        # "/balas jembatan puri: besok kami cek" (thirty-first trial: "the ticket number was not read"): the one open
        # complaint the words before the colon name, offered in one tap (never sent on a guess)
        named = await _tickets_asked_after(turn, matter_words(aimed.group("which")))
        if len(named) == 1:
            picked = named[0][1]
            payload = offer_yes(turn, f"/balas {picked.number} {aimed.group('words').strip()}"[:900])
            turn.say("reply_by_subject_offer", [Button(turn.t("command_for_viewed_button", number=picked.number),
                                                       payload), turn.button("officer_pending_no", "/batal")],
                     number=picked.number, subject=topic_name(turn, picked.topic),
                     place=location_text(turn, picked))
            return
    if number is None and args.strip():
        turn.say("reply_needs_number", example=example_number(turn))  # say it was not sent, not only the usage
        return
    ticket = await load_actionable(turn, number, "/balas TIKET pesan")
    if ticket is None:
        return
    offered = OFFERED_PHOTOS_KEY in turn.state
    photos = photos_for(turn, f"/balas {args}")
    tapped = offered and OFFERED_PHOTOS_KEY not in turn.state  # photos the bot offered to send, tapped
    if not text and photos:  # a photo captioned "/balas WRG-…" alone: the photo is the answer
        text = turn.t("officer_photo_only", reporter_lang(turn, ticket))
    if not text:
        turn.reset_flow()
        _await_text(turn, "reply", ticket.number)
        turn.say("officer_reply_ask", number=ticket.number)
        return
    await relay_reply(turn, ticket, text, photos, more_photos_follow=not tapped)
    if turn.identity.role == ROLE_OFFICER and is_open(ticket) and ticket.status != STATUS_TRIAGE \
            and _NOT_OURS.search(plain(text)):
        # "ini jalan provinsi, bukan kewenangan kabupaten": the reporter knows; the ticket would still wait here, late
        turn.say("reply_not_ours_hint", [Button(turn.t("staff_not_ours_button"),
                                                f"/alihkan {ticket.number} {TRIAGE} {text}"[:900])],
                 number=ticket.number, opd=opd_short(turn, ticket.opd_id))


def reporter_lang(turn: Turn, ticket: Ticket) -> str:
    """The language the reporter of `ticket` filed in (for words the bot writes to them in staff's stead)."""
    return ticket.lang or "id"


@command("proses", roles=OFFICERS, usage="/proses TIKET")
async def cmd_in_progress(turn: Turn, args: str) -> None:
    if (found := await read_number(turn, args, "/proses")) is None:
        return
    number, note = found
    ticket = await load_actionable(turn, number, "/proses TIKET")
    if ticket is None:
        return
    if not is_open(ticket):
        turn.say("ticket_closed", number=ticket.number, status=status_name(turn, ticket.status))
        offer_reopen(turn, ticket)  # "/proses WRG-…" on one closed by mistake: reopening it, in one tap
        return
    if ticket.status == STATUS_IN_PROGRESS and note:
        # no second notice: the words reach the reporter as /balas would send them
        await cmd_reply.handler(turn, f"{ticket.number} {note}")
        return
    if ticket.status == STATUS_IN_PROGRESS:  # the resident was told already (a reply sets it too): no second notice
        turn.say("already_in_progress", number=ticket.number)
        return
    ticket.status = STATUS_IN_PROGRESS
    turn.save_ticket(ticket)
    turn.event(ticket, "status", note or None, status=STATUS_IN_PROGRESS)
    if note:
        # "/proses WRG-… tim survei besok, kapan bapak ada di rumah?": the note is for the reporter too, as /selesai's
        # is, with "Tanggapi", and their plain answer comes back to this ticket (thirty-first trial: the note reached
        # only the officer's colleagues, and "besok jam 9 saya di rumah" was asked whether it was for the officer)
        await send_to_resident(turn, ticket, lambda lang: turn.t(
            "in_progress_to_resident", lang, number=ticket.number, opd=acting_name(turn, ticket, lang))
            + turn.t("done_note", lang, note=note), f"progress:{ticket.number}")
    else:
        reporter = await turn.store.get_identity(ticket.reporter)
        lang = reporter.lang if reporter else ticket.lang
        turn.deliver(ticket.reporter, [Reply(turn.t("in_progress_to_resident", lang, number=ticket.number,
                                                    opd=acting_name(turn, ticket, lang)), ticket=ticket.number)],
                     f"progress:{ticket.number}")
    await duplicates.tell_followers(turn, ticket, "progress")
    await tell_opd_of_change(turn, ticket.opd_id, ticket.number, "outside_in_progress_to_officer", "progress-by",
                             note)
    await tell_disposer(turn, ticket, "progress", note)
    turn.say("marked_in_progress_with_note" if note else "marked_in_progress", number=ticket.number)


def may_reopen(turn: Turn, ticket: Ticket) -> bool:
    """A ticket this office marked done (not yet rated, not withdrawn) in the last `REOPEN_DAYS`: one its officers
    may open again, a closing by mistake undone."""
    return (ticket.status == STATUS_DONE and not ticket.extra.get(WITHDRAWN) and ticket.closed_at is not None
            and ticket.closed_at >= turn.now - timedelta(days=REOPEN_DAYS))


def offer_reopen(turn: Turn, ticket: Ticket) -> None:
    if may_reopen(turn, ticket):
        turn.say("officer_reopen_offer", [offer_button(turn, turn.t("officer_reopen_button", number=ticket.number),
                                                       f"/buka_kembali {ticket.number}")],
                 number=ticket.number)


@command("buka_kembali", roles=OFFICERS, usage="/buka_kembali TIKET [alasan]")
async def cmd_reopen_by_office(turn: Turn, args: str) -> None:
    """A complaint marked done by mistake (thirty-third trial: "/selesai WRG-…" took the officer's next words, a
    question about the reporter, as its note, and nothing could undo it): open again, in progress, with its old
    deadline; the reporter is told the closing was a mistake and no rating is asked, colleagues and the regent who
    disposed it hear it, and SP4N-LAPOR! gets the correction."""
    if (found := await read_number(turn, args, "/buka_kembali")) is None:
        return
    number, note = found
    ticket = await load_actionable(turn, number, "/buka_kembali TIKET alasan")
    if ticket is None:
        return
    if is_open(ticket):
        turn.say("officer_reopen_open", number=ticket.number, status=status_name(turn, ticket.status))
        return
    if not may_reopen(turn, ticket):
        turn.say("officer_reopen_closed_rated" if ticket.status == STATUS_CLOSED else "officer_reopen_not",
                 number=ticket.number, status=status_name(turn, ticket.status), days=REOPEN_DAYS)
        return
    await open_again(turn, ticket, note or None, new_due=False)
    by = acting_name(turn, ticket, "id")
    await send_to_resident(turn, ticket, lambda lang: turn.t(
        "reopened_by_office_to_resident", lang, number=ticket.number, opd=acting_name(turn, ticket, lang))
        + (turn.t("done_note", lang, note=note) if note else ""), f"reopened-by-office:{ticket.number}")
    push_to_lapor(turn, ticket, turn.t("lapor_followup_reopened_by_office", "id", by=by,
                                       note=f" {note}" if note else ""), by)
    await tell_opd_of_change(turn, ticket.opd_id, ticket.number, "outside_reopened_to_officer", "reopened-by", note)
    await tell_disposer(turn, ticket, "reopened", note)
    turn.reset_flow()
    turn.say("officer_reopened", number=ticket.number, due=format_date(turn, ticket.due_at) if ticket.due_at else "-")


REOPEN_CANDIDATES = 20  # the office's latest closings looked through for the one this person made
# "maaf saya salah tutup tiket", "WRG-… kepencet selesai", "I closed it by mistake": a closing to undo
_CLOSED_BY_MISTAKE = re.compile(
    r"\b(?:salah(?!\s+satu\b)|keliru|tidak\s+sengaja|tdk\s+sengaja|gak\s+sengaja|ga\s+sengaja|nggak\s+sengaja|kepencet|"
    r"terpencet|kepijet)\s+(?:\S+\s+){0,2}?(?:tutup|menutup|nutup|ditutup|selesai|selesaikan|diselesaikan|pencet\s+selesai|"
    r"tekan\s+selesai|klik\s+selesai|tandai\s+selesai)\b"
    r"|\b(?:closed|marked)\s+(?:\S+\s+){0,2}?(?:by\s+mistake|in\s+error|accidentally)\b|\baccidentally\s+(?:closed|marked)\b")


# "buka lagi WRG-…, warga bilang belum beres", "WRG-… tolong dibuka kembali", "reopen WRG-…" (forty-first trial: the
# ticket's card was shown, nothing said of reopening)
_REOPEN_ASKED = re.compile(r"\b(?:buka|bukakan|dibuka|membuka|aktifkan|diaktifkan|reopen|re-open)\s+(?:lagi|kembali|"
                           r"ulang)\b|\breopen\b")


async def _reopen_asked(turn: Turn, text: str) -> bool:
    """A ticket named with the wish to open it again: offered in one tap when the office may reopen it, else why not
    (open still, or rated by its reporter). False when no ticket of this office is named."""
    number = find_ticket_number(text)
    ticket = await turn.store.get_ticket(number) if number else None
    if ticket is None or not can_act(turn, ticket):
        return False
    if is_open(ticket):
        turn.say("officer_reopen_open", number=ticket.number, status=status_name(turn, ticket.status))
    elif may_reopen(turn, ticket):
        offer_reopen(turn, ticket)
    else:
        turn.say("officer_reopen_closed_rated" if ticket.status == STATUS_CLOSED else "officer_reopen_not",
                 number=ticket.number, status=status_name(turn, ticket.status), days=REOPEN_DAYS)
    return True


async def closed_by_mistake(turn: Turn, text: str) -> bool:
    """An officer saying a closing was a mistake: the ticket named, else the latest this office marked done, offered
    to be reopened in one tap; none to reopen, said so."""
    low = plain(text)
    if turn.identity.role not in (ROLE_OFFICER, ROLE_OPERATOR):
        return False
    if _REOPEN_ASKED.search(low) and await _reopen_asked(turn, text):
        return True
    if not _CLOSED_BY_MISTAKE.search(low):
        return False
    number = find_ticket_number(text)
    ticket = await turn.store.get_ticket(number) if number else None
    if ticket is None:
        done = await turn.store.list_tickets(TicketQuery(
            opd_id=turn.identity.opd_id if turn.identity.role == ROLE_OFFICER else None, statuses=(STATUS_DONE,),
            limit=ASKED_SEARCH_LIMIT))
        recent = sorted((t for t in done if can_act(turn, t) and may_reopen(turn, t)),
                        key=lambda t: t.closed_at or t.created_at, reverse=True)
        ticket = None
        for candidate in recent[:REOPEN_CANDIDATES]:  # the latest this person closed, not a colleague's
            closings = [e for e in await turn.store.ticket_events(candidate.number, "status")
                        if e.data.get("status") == STATUS_DONE]
            if closings and closings[-1].actor == turn.identity.key:
                ticket = candidate
                break
    if ticket is None or not can_act(turn, ticket) or not may_reopen(turn, ticket):
        turn.say("officer_reopen_none", days=REOPEN_DAYS)
        return True
    offer_reopen(turn, ticket)
    await _offer_close_meant(turn, ticket, text)
    return True


# "eh salah, yang selesai harusnya yang jalan, bukan jembatan": the one meant, named by its matter
_MEANT_INSTEAD = re.compile(r"\b(?:harusnya|seharusnya|mestinya|maksud(?:nya|ku|\s+saya)?|yang\s+benar|yg\s+benar|"
                            r"should\s+have\s+been|i\s+meant)\b\s*(?P<rest>.+)$")
_NOT_THAT = re.compile(r"\b(?:bukan|bkn|not)\b.*$")


async def _offer_close_meant(turn: Turn, closed: Ticket, text: str) -> None:
    """Beside reopening the one closed by mistake, the closing of the one meant, when the words name exactly one open
    ticket of this office by its matter (thirty-ninth trial: only the reopening was offered), with the same note."""
    meant = _MEANT_INSTEAD.search(plain(text))
    wanted = matter_words(_NOT_THAT.sub("", meant.group("rest"))) if meant else set()
    if not wanted:
        return
    open_ones = await turn.store.list_tickets(TicketQuery(
        opd_id=turn.identity.opd_id if turn.identity.role == ROLE_OFFICER else None, statuses=OPEN_STATUSES,
        limit=ASKED_SEARCH_LIMIT))
    named = [t for t in open_ones if t.number != closed.number and can_act(turn, t)
             and wanted <= set(plain(f"{subject_name(turn, t)} {t.text}").split())]
    if len(named) != 1:
        return
    closings = [e for e in await turn.store.ticket_events(closed.number, "status")
                if e.data.get("status") == STATUS_DONE]
    note = (closings[-1].text or "").strip() if closings else ""
    # (a plain button: a typed "ya" stays the reopening's)
    turn.say("officer_close_meant_offer", [Button(turn.t("officer_close_meant_button", number=named[0].number),
                                                  f"/selesai {named[0].number} {note or '-'}")],
             number=named[0].number, topic=subject_name(turn, named[0]), note=note or "-")


async def mark_done(turn: Turn, ticket: Ticket, note: str, image: str | None = None) -> None:
    """Close a ticket with a note (and, from the web desk, a photo `media:ID` of the finished work).

    After the reporter asked that it be closed (`WITHDRAW_REQUESTED`), it closes as withdrawn: the reporter is told
    it was closed as they asked (not asked whether the problem is fixed, nor for a rating), and SP4N-LAPOR! hears
    that the reporter withdrew it, not that it was resolved."""
    withdrawn = bool(ticket.extra.pop(WITHDRAW_REQUESTED, None))
    ticket.status = STATUS_DONE
    ticket.closed_at = turn.now
    if withdrawn:
        ticket.extra[WITHDRAWN] = True
    turn.save_ticket(ticket)
    data: dict[str, Any] = {"status": STATUS_DONE}
    if image:
        data["photo"] = image.removeprefix("media:")
    if withdrawn:
        data[WITHDRAWN] = True
    turn.event(ticket, "status", note or None, **data)
    reporter = await turn.store.get_identity(ticket.reporter)
    lang = reporter.lang if reporter else ticket.lang
    by = acting_name(turn, ticket, "id")
    if withdrawn:
        notice = Reply(turn.t("withdrawn_to_resident", lang, number=ticket.number, opd=acting_name(turn, ticket, lang),
                              note=turn.t("done_note", lang, note=note) if note else ""),
                       (Button(turn.t("withdrawn_reopen_button", lang), f"/buka {ticket.number}"),),
                       ticket=ticket.number)
        turn.deliver(ticket.reporter, [notice], f"done:{ticket.number}")
        withdrawn_note = turn.t("lapor_followup_withdrawn", "id", by=by, note=f" {note}" if note else "")
        push_to_lapor(turn, ticket, withdrawn_note, by)
    else:
        notice = done_notice(turn, ticket, lang, note, image, by=acting_name(turn, ticket, lang))
        turn.deliver(ticket.reporter, [notice], f"done:{ticket.number}")
        push_to_lapor(turn, ticket, turn.t("lapor_followup_done", "id", by=by, note=f" {note}" if note else ""), by)
        turn.patch_conversation(ticket.reporter, rating_ticket=ticket.number)
        await duplicates.tell_followers(turn, ticket, "done", note, image)
    told = "outside_withdrawn_to_officer" if withdrawn else "outside_done_to_officer"
    await tell_opd_of_change(turn, ticket.opd_id, ticket.number, told, "done-by", note)
    await tell_disposer(turn, ticket, "withdrawn" if withdrawn else "done", note)
    turn.reset_flow()
    turn.say("marked_withdrawn" if withdrawn else "marked_done", number=ticket.number)
    if withdrawn:
        await duplicates.release_followers(turn, ticket)  # the matter stays reported by the others


# More ticket numbers after the first ("WRG-2612-0002, WRG-2612-0003 dan"), before the note
_MORE_NUMBERS = re.compile(r"^(?:[\s,;&]*(?:dan\s+|and\s+|&\s+)?" + TICKET_RE.pattern + r")+[\s,;:]*")


@command("selesai", roles=OFFICERS, usage="/selesai TIKET catatan")
async def cmd_done(turn: Turn, args: str) -> None:
    if (found := await read_number(turn, args, "/selesai")) is None:
        return
    number, note = found
    others = _MORE_NUMBERS.match(note)
    if others and not staff_photos(turn):
        # "/selesai WRG-…-0001 WRG-…-0002 sudah diperbaiki": each ticket closed with the note (thirty-second trial:
        # the second number was sent to the first one's reporter as part of the note, and its ticket stayed open)
        note = note[others.end():].strip()
        more = [find_ticket_number(m.group(0)) for m in TICKET_RE.finditer(others.group(0))]
        for each in dict.fromkeys([number, *(n for n in more if n)]):
            if (ticket := await load_actionable(turn, each, "/selesai TIKET catatan", open_only=True)) is not None:
                await mark_done(turn, ticket, "" if note in ("", "-") else note)
        return
    ticket = await load_actionable(turn, number, "/selesai TIKET catatan", open_only=True)
    if ticket is None:
        return
    if note.strip() == "-" and ticket.extra.get(WITHDRAW_RETRACTED) and not ticket.extra.get(WITHDRAW_REQUESTED):
        # the one-tap "close as the reporter asked", tapped after the reporter took that request back
        turn.say("withdraw_retracted_close_refused", number=ticket.number)
        return
    photos = photos_for(turn, f"/selesai {args}")
    if photos:  # "/selesai WRG-… sudah ditambal, ini fotonya" with a photo: the photo goes with the notice
        await photos_belong_to(turn, photos[:1], ticket.number)
        await mark_done(turn, ticket, "" if note.strip() == "-" else note, image=f"media:{photos[0]}")
        if not carries_pictures(ticket.reporter):
            turn.say("done_photo_not_carried", number=ticket.number)
        return
    if not note:
        turn.reset_flow()
        _await_text(turn, "done", ticket.number)
        turn.say("officer_done_ask", number=ticket.number)
        return
    await mark_done(turn, ticket, "" if note.strip() == "-" else note)


def _transfer_buttons(turn: Turn, ticket: Ticket) -> list[Button]:
    ranked = [turn.directory.routing[n] for n, _ in ticket.extra.get("ranking", []) if n in turn.directory.routing]
    choices = [o for o in dict.fromkeys(ranked) if o != ticket.opd_id][:4]
    return [Button(opd_name(turn, o), f"/alihkan {ticket.number} {o}") for o in choices]


async def reroute(turn: Turn, ticket: Ticket, target: str, reason: str, kind: str = "rerouted",
                  by_reporter: bool = False) -> bool:
    """Move a ticket to another OPD (or topic). Keeps the correction as a labelled example. `by_reporter`: the
    resident corrected the topic soon after filing (actions/my_report.py): the office it leaves is told so without
    naming them, and they hear it in their own chat, not as a notice."""
    to_topic = target if target in turn.directory.routing else None
    opd = turn.directory.opd_for(to_topic) if to_topic else turn.directory.find_opd(target)
    if opd is None:
        command_name = "rute" if kind == "routed" else "alihkan"
        say_unknown_opd(turn, target, f"/{command_name} {ticket.number}", reason)
        return False
    guessed = to_topic is None
    if to_topic is None:
        to_topic = await topic_at(turn, ticket, opd.id, reason)
    from_topic, from_opd, from_due = ticket.topic, ticket.opd_id, ticket.due_at
    history = await turn.store.ticket_events(ticket.number) if kind == "rerouted" else []
    ticket.opd_id = opd.id
    # no topic of the new office fits: none, rather than the old office's (its "Jalan rusak" is no Dishub topic)
    ticket.topic = to_topic if to_topic or from_opd != opd.id else ticket.topic
    if ticket.status == STATUS_TRIAGE:
        ticket.status = STATUS_NEW
    moved_before = bool(kept_moves(history)) and from_opd != opd.id
    fresh_due = turn.services.calendar.add_working_days(turn.now, opd.sla_days)
    # The first transfer gives the office it goes to its own full time (the normal transfer allowance). From the
    # second on, the deadline stays where that left it, even when it has passed: a resident should not wait longer
    # because offices pass the report between them (the time lost is the government's, not theirs), and the
    # operators are asked to settle where it belongs from the third move (`LOOP_MOVES`).
    ticket.due_at = from_due if moved_before and from_due is not None else fresh_due
    ticket.reminded_at = ticket.escalated_at = None
    assignee = ticket.extra.pop("assignee", None) if from_opd != opd.id else None  # an officer of the office it left
    turn.save_ticket(ticket)
    turn.event(ticket, kind, reason or None, from_topic=from_topic, from_opd=from_opd, to_topic=to_topic,
               to_opd=opd.id, text=ticket.text, from_due=from_due.isoformat() if from_due else None,
               **({"topic_guessed": True} if guessed else {}))
    if isinstance(assignee, dict):
        turn.event(ticket, "unassigned", None, name=str(assignee.get("name") or ""), moved=True)
    if from_opd != opd.id:
        await _flag_transfer_loop(turn, ticket, [*kept_moves(history), TicketEvent(ticket.number, kind, turn.now, data={
            "from_opd": from_opd, "to_opd": opd.id})])
    moved_from = from_opd if from_opd and from_opd != opd.id else None
    await notify_opd(turn, ticket, f"{kind}:{ticket.number}:{opd.id}", moved_from, reason or None)
    if from_opd != opd.id:
        await tell_opd_of_change(turn, from_opd, ticket.number, "reporter_moved_to_officer" if by_reporter else
                                 "outside_transfer_to_officer", "transfer-by", reason, opd=opd.short)
    reporter = await turn.store.get_identity(ticket.reporter)
    lang = reporter.lang if reporter else ticket.lang
    # passed on again: no claim that this office is the one in charge (the last one was said to be), only that it
    # will look into it, and that the deadline stays
    key = "routed_to_resident" if kind == "routed" else \
        "rerouted_again_to_resident" if moved_before else "rerouted_to_resident"
    if not by_reporter:
        turn.deliver(ticket.reporter, [Reply(turn.t(key, lang, number=ticket.number, opd=opd.name,
                                                    due=format_date(turn, ticket.due_at, lang)), ticket=ticket.number)],
                     f"{kind}:{ticket.number}")
    if from_opd != opd.id:
        # Someone following the report at SP4N-LAPOR! learns what the resident learns: who handles it now, by when
        # (the reason stays between the offices, as it does with the resident).
        by = acting_name(turn, ticket, "id")
        followup = "lapor_followup_transfer_again" if moved_before else "lapor_followup_transfer"
        push_to_lapor(turn, ticket, turn.t(followup, "id", opd=opd.name,
                                           due=format_date(turn, ticket.due_at, "id")), by)
    return True


async def topic_at(turn: Turn, ticket: Ticket, opd_id: str, reason: str) -> str | None:
    """The topic a ticket most likely has among those of the office it moves to: read from the transfer's reason and
    the report together ("saluran lingkungan perumahan itu kewenangan perkim": the housing estate's drains, not
    uninhabitable housing), else the filing's own ranking, else the office's only topic."""
    topics = set(turn.directory.topics_of(opd_id))
    if len(topics) == 1:
        return next(iter(topics))
    parsed = ParseResult.from_dict(await turn.services.nlu.parse(f"{reason}. {ticket.text}"[:1000]))
    ranked = [i.name for i in parsed.intent_ranking[:TOPIC_FIT] if i.name in topics]
    ranked += [str(n) for n, _ in ticket.extra.get("ranking", [])[:TOPIC_FIT] if n in topics]
    return ranked[0] if ranked else None


#: Among how many of the likeliest topics, read from the reason and the report (else at filing), one of the new
#: office's must be to be given to the ticket; otherwise it goes without a topic ("belum ditentukan") rather than
#: with one of that office's that nothing points to ("bukan kewenangan kami" moves a road to Dishub: no Dishub topic).
TOPIC_FIT = 3


# A ticket passed on three times, or back to an office that passed it on before, is one no office takes: the
# operators are asked to settle where it belongs (SP4N-LAPOR!'s admin does the same for a bounced disposition),
# rather than let it bounce while its deadline restarts at every move.
LOOP_MOVES = 3


def kept_moves(events: list[TicketEvent]) -> list[TicketEvent]:
    """A ticket's transfers (`rerouted`) in order, without those taken back (`transfer_undone` names each by id)."""
    undone = {str(e.data.get("undoes")) for e in events if e.kind == "transfer_undone"}
    return [e for e in events if e.kind == "rerouted" and not (e.id and e.id in undone)]


async def _flag_transfer_loop(turn: Turn, ticket: Ticket, moves: list[TicketEvent]) -> None:
    back = any(m.data.get("from_opd") == ticket.opd_id for m in moves[:-1])
    if len(moves) < LOOP_MOVES and not back:
        return
    path = " → ".join([opd_short(turn, moves[0].data.get("from_opd")),
                       *(opd_short(turn, m.data.get("to_opd")) for m in moves)])
    for to in await operator_recipients(turn):
        lang = await staff_lang(turn, to)
        buttons = (Button(turn.t("button_info", lang), f"/info {ticket.number}"),)
        turn.deliver(to, [Reply(turn.t("transfer_loop_to_operator", lang, number=ticket.number, count=len(moves),
                                       path=path, topic=topic_name(turn, ticket.topic, lang)), buttons,
                                ticket=ticket.number)], f"transfer-loop:{ticket.number}:{len(moves)}")
    if turn.identity.role == ROLE_OFFICER:
        turn.say("transfer_loop_noted", number=ticket.number, count=len(moves), path=path)


def opd_short(turn: Turn, opd_id: Any) -> str:
    opd = turn.directory.opds.get(str(opd_id)) if opd_id else None
    return opd.short if opd else turn.t("triage_name")


@command("alihkan", roles=OFFICERS, usage="/alihkan TIKET ID-OPD alasan")
async def cmd_transfer(turn: Turn, args: str) -> None:
    if (found := await read_number(turn, args, "/alihkan")) is None:
        return
    number, rest = found
    ticket = await load_actionable(turn, number, "/alihkan TIKET ID-OPD alasan")
    if ticket is None or _refuse_finished_transfer(turn, ticket):
        return
    target, reason = turn.directory.split_target(rest)
    if not target:
        # "Pilih, atau ketik …": the OPD's id or name typed next ("dlh") goes on as its button does
        _await_text(turn, TRANSFER_TO_STEP, ticket.number)
        turn.say("officer_transfer_ask", _transfer_buttons(turn, ticket), number=ticket.number,
                 ids=opd_ids(turn, exclude=ticket.opd_id))
        return
    if target.lower() in TRIAGE_TARGETS:
        if ticket.status == STATUS_TRIAGE or not ticket.opd_id:  # already there: no reason to ask, the way on
            turn.reset_flow()
            buttons = [Button(b.title, b.payload.replace("/alihkan", "/rute", 1))
                       for b in _transfer_buttons(turn, ticket)] if turn.identity.role == ROLE_OPERATOR else []
            turn.say("transfer_triage_already", buttons, number=ticket.number)
            return
        if not reason.strip():
            turn.reset_flow()
            _await_text(turn, "transfer", ticket.number, to=TRIAGE)
            turn.say("officer_triage_reason_ask", number=ticket.number)
            return
        await _transfer(turn, ticket, TRIAGE, reason.strip())
        return
    opd = turn.directory.opd_for(target) if target in turn.directory.routing else turn.directory.find_opd(target)
    if opd is None:
        say_unknown_opd(turn, target, f"/alihkan {ticket.number}", reason, exclude=ticket.opd_id)
        return
    if not reason.strip():
        # The reason goes to the new OPD and labels the correction for retraining: ask for it.
        turn.reset_flow()
        _await_text(turn, "transfer", ticket.number, to=target)
        turn.say("officer_transfer_reason_ask", number=ticket.number, opd=opd.name)
        return
    await _transfer(turn, ticket, target, reason.strip())


#: The officer step after "/alihkan WRG-…" with no OPD: the OPD's id or name is typed next.
TRANSFER_TO_STEP = "transfer_to"


def names_transfer_target(turn: Turn, text: str) -> bool:
    """`text` begins with an OPD's id or name ("dlh", "DLH", "dinas lingkungan hidup"), a topic id, or triage."""
    head = turn.directory.split_target(text)[0]
    return bool(head) and (head.lower() in TRIAGE_TARGETS or head in turn.directory.routing
                           or turn.directory.find_opd(head) is not None)


# "/alihkan WRG-… triase alasan": not this OPD's matter and no other OPD's the officer knows of (a toll road, a
# driving licence): back to the operator's triage, not closed as done.
TRIAGE = "triase"
TRIAGE_TARGETS = frozenset({TRIAGE, "triage", "operator", "bukan-kewenangan", "bukan_kewenangan", "lainnya"})


async def return_to_triage(turn: Turn, ticket: Ticket, reason: str) -> bool:
    """Send an OPD's ticket back to triage with the officer's reason: the operators are told, with the ranked
    suggestions, and the resident hears that the right office is being found (triage's short deadline until then)."""
    if ticket.status == STATUS_TRIAGE or not ticket.opd_id:
        turn.say("not_triage_already", number=ticket.number)
        return False
    from_opd = ticket.opd_id
    ticket.opd_id = None
    ticket.status = STATUS_TRIAGE
    ticket.due_at = triage_deadline(turn.services, turn.now)  # watched as a new complaint in triage is
    ticket.reminded_at = ticket.escalated_at = None
    turn.save_ticket(ticket)
    turn.event(ticket, "returned", reason, from_opd=from_opd, from_topic=ticket.topic)
    await notify_triage(turn, ticket)
    await tell_opd_of_change(turn, from_opd, ticket.number, "outside_returned_to_officer", "returned-by", reason)
    reporter = await turn.store.get_identity(ticket.reporter)
    lang = reporter.lang if reporter else ticket.lang
    turn.deliver(ticket.reporter, [Reply(turn.t("returned_to_resident", lang, number=ticket.number,
                                                opd=opd_name(turn, from_opd)), ticket=ticket.number)],
                 f"returned:{ticket.number}:{from_opd}")
    return True


def _refuse_finished_transfer(turn: Turn, ticket: Ticket) -> bool:
    """A finished or closed ticket is not transferred (it would reach the new OPD as done, out of its queue):
    say so and how it can go on, and True. The status is the one this turn read; the commit writes the ticket
    only at that version, so an officer finishing it at the same moment makes this turn run again and refuse."""
    if is_open(ticket):
        return False
    turn.say("transfer_closed", number=ticket.number, status=status_name(turn, ticket.status))
    return True


async def _transfer(turn: Turn, ticket: Ticket, target: str, reason: str) -> None:
    if _refuse_finished_transfer(turn, ticket):  # finished since the reason was asked for
        turn.reset_flow()
        turn.state.pop("to", None)
        return
    if target == TRIAGE:
        if await return_to_triage(turn, ticket, reason):
            turn.reset_flow()
            turn.state.pop("to", None)
            turn.say("returned_ok", number=ticket.number)
        return
    if await reroute(turn, ticket, target, reason):
        turn.reset_flow()
        turn.state.pop("to", None)
        opd = opd_name(turn, ticket.opd_id)  # nobody enrolled there: the operators were told, and so is the mover
        enrolled = bool(ticket.opd_id and await opd_recipients(turn, ticket.opd_id))
        nobody = "" if enrolled else "\n\n" + await _nobody_there(turn, opd)
        said = (turn.t("transferred", number=ticket.number, opd=opd, topic=topic_name(turn, ticket.topic))
                if ticket.topic else turn.t("transferred_no_topic", number=ticket.number, opd=opd))
        undo = turn.button("transfer_undo_button", f"/batal_alihkan {ticket.number}")
        turn.replies.append(Reply(said + nobody, (undo,)))


async def _nobody_there(turn: Turn, opd: str) -> str:
    """What the mover of a ticket is told when nobody of the office it went to is enrolled: it waits in the desk for
    that office, and the operators were told (notify_opd) - or, with no operator enrolled, that nobody was."""
    told = await operator_recipients(turn)
    return turn.t("transferred_no_officer_told" if told else "transferred_no_officer_nobody", opd=opd)


@command("batal_alihkan", roles=OFFICERS, usage="/batal_alihkan TIKET")
async def cmd_undo_transfer(turn: Turn, args: str) -> None:
    """Take back a transfer made by mistake, while the office it went to has done nothing with it yet: the ticket
    returns to the office, topic and deadline it had; that office is told to leave it; the reporter hears it stays
    where it was; and the correction is not kept for retraining."""
    if (found := await read_number(turn, args, "/batal_alihkan")) is None:
        return
    number, _ = found
    if not number:
        turn.say("usage", usage="/batal_alihkan TIKET")
        return
    ticket = await turn.store.get_ticket(number)
    events = await turn.store.ticket_events(number) if ticket else []
    moves = [e for e in events if e.kind == "rerouted"]
    last = moves[-1] if moves else None  # only the latest transfer can be taken back, and only once
    if ticket is None or last is None or last not in kept_moves(events) or ticket.opd_id != last.data.get("to_opd"):
        turn.say("transfer_undo_nothing", number=number)
        return
    back = turn.directory.opds.get(str(last.data.get("from_opd") or ""))
    mine = last.actor == turn.identity.key or turn.identity.role in (ROLE_OPERATOR, ROLE_REGENT) or (
        back is not None and turn.identity.opd_id == back.id)
    if back is None or not mine:
        turn.say("transfer_undo_not_yours", number=number)
        return
    acted = [e for e in events if e.at > last.at and e.kind in _ACTED_ON]
    if acted or not is_open(ticket):
        turn.say("transfer_undo_too_late", number=number, opd=opd_name(turn, ticket.opd_id))
        return
    wrong = ticket.opd_id
    due = last.data.get("from_due")
    ticket.opd_id, ticket.topic = back.id, str(last.data.get("from_topic") or ticket.topic)
    ticket.due_at = datetime.fromisoformat(due) if isinstance(due, str) else \
        turn.services.calendar.add_working_days(turn.now, back.sla_days)
    ticket.reminded_at = ticket.escalated_at = None
    turn.save_ticket(ticket)
    turn.event(ticket, "transfer_undone", None, from_opd=wrong, to_opd=back.id, undoes=last.id or last.at.isoformat())
    await tell_opd_of_change(turn, wrong, ticket.number, "transfer_undone_to_officer", "transfer-undone",
                             "", opd=back.short)
    await tell_opd_of_change(turn, back.id, ticket.number, "transfer_undone_to_colleague", "transfer-back",
                             "", opd=opd_name(turn, wrong))  # colleagues heard it had left their queue
    reporter = await turn.store.get_identity(ticket.reporter)
    lang = reporter.lang if reporter else ticket.lang
    notice = turn.t("transfer_undone_to_resident", lang, number=ticket.number, opd=back.name,
                    due=format_date(turn, ticket.due_at, lang))
    turn.deliver(ticket.reporter, [Reply(notice, ticket=ticket.number)],
                 f"transfer-undone:{ticket.number}:{last.at.isoformat()}")
    by = acting_name(turn, ticket, "id")
    push_to_lapor(turn, ticket, turn.t("lapor_followup_transfer_undone", "id", opd=back.name,
                                       due=format_date(turn, ticket.due_at, "id")), by)
    turn.say("transfer_undone", number=ticket.number, opd=back.name, wrong=opd_name(turn, wrong))


#: What the office a ticket went to may have done with it, after which only it can send the ticket on again.
_ACTED_ON = frozenset({"message_out", "status", "rerouted", "returned", "assigned", "disposition"})


def say_unknown_opd(turn: Turn, typed: str, command_head: str, reason: str, exclude: str | None = None) -> None:
    """An OPD id nobody has: the ids to choose from, and, when `typed` is a slip of one ("dishbu"), a button that
    sends the same command (`command_head`, e.g. "/alihkan WRG-…") to that OPD with the same reason."""
    near = turn.directory.near_opd(typed)
    if near is None and reason.split():  # "dinas pu": the name was two words, the first alone names nothing
        two_words = f"{typed} {reason.split()[0]}"
        if (near := turn.directory.near_opd(two_words)) is not None:
            typed, reason = two_words, reason.split(maxsplit=1)[1] if len(reason.split()) > 1 else ""
    if near is not None and near.id == exclude and command_head.startswith("/alihkan"):
        # "/alihkan WRG-… dinaspupr" on a ticket at Dinas PUPR (thirty-third trial: "unknown", and the list without
        # it): it is already there; the way out of it, and the others
        turn.say("unknown_opd_is_current", opd=typed, name=near.name, number=command_head.split()[-1],
                 ids=opd_ids(turn, exclude=exclude))
        return
    if near is None or near.id == exclude:
        turn.say("unknown_opd", opd=typed, ids=opd_ids(turn, exclude=exclude))
        if command_head.startswith("/alihkan"):  # "pemprov", "bpjn": not the regency's; the operators take it
            turn.say("unknown_opd_outside_hint", command=command_head)
        return
    payload = f"{command_head} {near.id} {reason}".strip()
    turn.say("unknown_opd_near", [Button(turn.t("unknown_opd_near_button", opd=near.short), offer_yes(turn, payload))],
             opd=typed, near=near.id, name=near.name, ids=opd_ids(turn, exclude=exclude))


def opd_ids(turn: Turn, exclude: str | None = None) -> str:
    """The OPD ids to type, one a line with the OPD's short name ("• dishub — Dishub")."""
    return "\n".join(f"• {opd.id} — {opd.short}" for opd in turn.directory.opds.values() if opd.id != exclude)


# --- triage (operator) ---------------------------------------------------------------------------
# /triase, /rute and /undang are the operator's; every other role is told what it can do instead (the
# dialogue's generic refusal says "only for officers", which is wrong for an officer, the regent or a
# village head), so these commands accept every role and check inside.
EVERY_ROLE = ALL_ROLES | frozenset(LETTER_ROLES)


def operator_only(turn: Turn, command_name: str) -> bool:
    """True for the operator; otherwise say what this role can do instead, and False."""
    if turn.identity.role == ROLE_OPERATOR:
        return True
    role = turn.identity.role
    key = f"operator_only_{role}" if turn.texts.has(f"operator_only_{role}") else "staff_only"
    key = "former_staff_operator_command" if was_staff(turn) else key  # revoked: no longer staff, say so
    turn.say(key, command=f"/{command_name}", opd=opd_name(turn, turn.identity.opd_id))
    return False


@command("triase", roles=EVERY_ROLE, usage="/triase")
async def cmd_triage(turn: Turn, args: str) -> None:
    if not operator_only(turn, "triase"):
        return
    tickets = await turn.store.list_tickets(TicketQuery(statuses=(STATUS_TRIAGE,), limit=200))
    if not tickets:
        turn.say("triage_empty")
        return
    turn.say("triage_header", count=len(tickets))
    for ticket in tickets[:10]:
        if ticket.extra.get("request") == "pindah_akun":  # not routed: checked, then moved (actions/move_account.py)
            buttons = [Button(turn.t("button_reply"), f"/balas {ticket.number}"),
                       Button(turn.t("move_do_button"), f"/pindahkan_pelapor {ticket.number}")]
            head = f"*{ticket.number}* · {subject_name(turn, ticket)}"
        else:
            buttons = [Button(b.title, b.payload.replace("/alihkan", "/rute", 1))
                       for b in _transfer_buttons(turn, ticket)]
            head = f"*{ticket.number}*"
        turn.replies.append(Reply(f"{head} · {format_date(turn, ticket.created_at)}\n{ticket.text[:400]}",
                                  tuple(buttons), ticket=ticket.number))


@command("rute", roles=EVERY_ROLE, usage="/rute TIKET ID-OPD")
async def cmd_route(turn: Turn, args: str) -> None:
    if not operator_only(turn, "rute"):
        return
    if (found := await read_number(turn, args, "/rute")) is None:
        return
    number, rest = found
    ticket = await load_actionable(turn, number, "/rute TIKET ID-OPD")
    if ticket is None:
        return
    if ticket.extra.get("request") == "pindah_akun":  # no office handles it: the operators check and move it
        turn.say("move_not_routed", number=ticket.number)
        return
    if ticket.status != STATUS_TRIAGE:
        turn.say("not_triage", number=ticket.number, status=status_name(turn, ticket.status))
        return
    if not rest:
        turn.say("usage", usage="/rute TIKET ID-OPD")
        return
    target, reason = turn.directory.split_target(rest)
    if await reroute(turn, ticket, target.strip(), reason.strip(), kind="routed"):
        turn.say("routed_ok", number=ticket.number, opd=opd_name(turn, ticket.opd_id))


@command("muat_ulang", roles=EVERY_ROLE, usage="/muat_ulang")
async def cmd_reload(turn: Turn, args: str) -> None:
    """The operator has edited content/ (a topic re-routed, a contact added, a text reworded): use it from the next
    message on, without a restart. A broken file is reported with its line and changes nothing."""
    if not operator_only(turn, "muat_ulang") or turn.services.reload_content is None:
        return
    from bot.directory import DirectoryError
    from bot.texts import TextsError

    try:
        summary = turn.services.reload_content()
    except (DirectoryError, TextsError, OSError) as exc:
        logger.error("content not reloaded by %s, the running one stays: %s", turn.identity.key, exc)
        turn.say("reload_failed", error=str(exc)[:600])
        return
    turn.say("reload_done", summary=summary)


# --- enrolment codes in chat (operator) ----------------------------------------------------------------
CODE_DAYS = 7


async def add_enrolment_code(store: Store, role: str, place: str | None, now: datetime, days: int = CODE_DAYS,
                             issued_by: str | None = None) -> str:
    """Store a new one-time code granting `role` for `place` (OPD, village or kecamatan id); returns it. Codes an
    operator issued in chat (`issued_by`) are void once that operator's access is revoked."""
    from bot.web.staff_auth import new_code

    code = new_code()
    await store.add_enrolment_code(EnrolmentCode(code=code, role=role, opd_id=place, created_at=now,
                                                 expires_at=now + timedelta(days=days), issued_by=issued_by))
    if issued_by:  # the codes each issuer made, to void by key (never a scan of every code)
        for _ in range(10):
            made = await store.get_value(ISSUED_CODES_KEY + issued_by)
            if await store.set_value_if(ISSUED_CODES_KEY + issued_by, made,
                                        [*(made if isinstance(made, list) else [])][-99:] + [code]):
                break
    return code


def _invite_target(turn: Turn, args: str) -> tuple[str, str | None] | None:
    """(role, place) that `/undang` args name, or None: an OPD id or name (officer), "operator", "pimpinan",
    "desa ID" (village head), "kecamatan ID"/"camat ID"."""
    words = args.strip().lower().split()
    if not words:
        return None
    head, rest = words[0], " ".join(words[1:])
    if head in ("operator",) and not rest:
        return ROLE_OPERATOR, None
    if head in ("pimpinan", "bupati", "regent") and not rest:
        return ROLE_REGENT, None
    if head in ("desa", "kelurahan", "kades", "lurah", "village"):
        village = catalog_of(turn.services).find_village(rest) if rest else None
        return (ROLE_VILLAGE_HEAD, village.id) if village else None
    if head in ("kecamatan", "camat"):
        kecamatan = catalog_of(turn.services).kecamatan
        wanted = next((k for k in kecamatan.values() if rest in (k.id, k.name.lower())), None)
        return (ROLE_CAMAT, wanted.id) if wanted else None
    if head in ("petugas", "officer", "opd"):
        head, rest = rest, ""
    opd = turn.directory.find_opd(" ".join(filter(None, (head, rest))))
    return (ROLE_OFFICER, opd.id) if opd else None


@command("undang", roles=EVERY_ROLE, usage="/undang ID-OPD | operator | pimpinan | desa ID | kecamatan ID")
async def cmd_invite(turn: Turn, args: str) -> None:
    """The operator issues a one-time enrolment code in chat and passes it on to the new officer."""
    if not operator_only(turn, "undang"):
        return
    target = _invite_target(turn, args)
    words = args.strip().lower().split()
    if target is None and len(words) == 1 and turn.directory.near_opd(words[0]) is not None:
        say_unknown_opd(turn, words[0], "/undang", "")  # "/undang dishubb": Dishub offered in one tap
        return
    if target is None:
        catalog = catalog_of(turn.services)
        turn.say("invite_usage", ids=opd_ids(turn), villages=", ".join(catalog.villages),
                 kecamatan=", ".join(catalog.kecamatan))
        return
    role, place = target
    code = await add_enrolment_code(turn.store, role, place, turn.now, issued_by=turn.identity.key)
    logger.info("enrolment code issued in chat by %s for %s %s", turn.identity.key, role, place or "-")
    turn.say("invite_code", code=code, days=CODE_DAYS, role=enrolled_as(turn, role, place))


#: Conversation state: when an officer's command asked for its text, and that another command came since.
ASKED_AT_KEY = "asked_at"
ASIDE_KEY = "aside"
#: Conversation state: how many reporters' messages had reached the officer when a command asked for its text.
ASKED_SEQ_KEY = "asked_seq"
#: After this long, typed text is no longer taken as the text a command asked for without asking first.
PENDING_FRESH = timedelta(minutes=30)
# The command each waiting step completes, for the confirmation button (its payload is that command with the text).
_STEP_COMMANDS = {"reply": "balas", "done": "selesai", "transfer": "alihkan"}


def _await_text(turn: Turn, step: str, number: str, **more: str) -> None:
    """Wait for the text a command asked for (a reply, a closing note, a transfer's reason) for ticket `number`."""
    turn.reset_flow()
    turn.state.update(flow="officer", step=step, target=number, **more)
    turn.state[ASKED_AT_KEY] = turn.now.isoformat()
    turn.state[ASKED_SEQ_KEY] = last_in_seq(turn.state.get(LAST_IN_KEY))


def mark_aside(turn: Turn, before: str | None) -> None:
    """Another command was used while a command waited for its text (`before`: its `asked_at`); unless that
    command asked for text itself, the next typed text is confirmed before it is taken (it may be about another
    ticket the officer looked at since)."""
    if turn.state.get("flow") == "officer" and turn.state.get(ASKED_AT_KEY) == before:
        turn.state[ASIDE_KEY] = True


def _pending_is_stale(turn: Turn) -> bool:
    if turn.state.get(ASIDE_KEY):
        return True
    try:
        asked = datetime.fromisoformat(str(turn.state.get(ASKED_AT_KEY)))
    except ValueError:
        return False  # asked by an earlier release: as before
    return turn.now - asked > PENDING_FRESH


#: A staff conversation's state: the one-tap command just offered ("Ya, kirim ke pelapor …"), which a typed "ya"
#: as the very next message runs too (bot/dialogue.py `_staff_yes`).
OFFERED_KEY = "offered"


#: A staff conversation's state: the title of the button `OFFERED_KEY` is the payload of ("Ya, cabut akses"): typed
#: as the very next message, it runs that command as "ya" does.
OFFERED_TITLE_KEY = "offered_title"


#: A staff conversation's state: the offer `OFFERED_KEY` holds is the one button of the last reply, which did not ask
#: for "ya" itself; only a plain yes ("ya", "iya", "yes") runs it.
OFFERED_LONE_KEY = "offered_lone"


def offer_yes(turn: Turn, payload: str, title: str | None = None) -> str:
    """Remember `payload` as the command a typed "ya" (or the button's own words, `title`) runs next, with the
    photos of this message; gives it back (for the button)."""
    turn.state.pop(OFFERED_LONE_KEY, None)
    turn.state[OFFERED_KEY] = hold_photos(turn, payload)
    turn.state.pop(OFFERED_TITLE_KEY, None)
    if title:
        turn.state[OFFERED_TITLE_KEY] = title
    return payload


def offer_lone_button(turn: Turn) -> None:
    """A staff turn whose last reply offers one command in one tap and said nothing of a typed "ya" ("Kembalikan ke
    operator", "Minta izin dan nomornya", "Arsipkan"): "ya" next runs it too, as with the offers that call
    `offer_yes` themselves (thirty-seventh trial: "ya" to such an offer was "Baik 🙏" and nothing done)."""
    if OFFERED_KEY in turn.state or not turn.replies:
        return
    buttons = turn.replies[-1].buttons
    if len(buttons) == 1 and buttons[0].payload.startswith("/"):
        turn.state[OFFERED_KEY] = buttons[0].payload  # (no photos: those the button carries were held when made)
        turn.state[OFFERED_TITLE_KEY] = buttons[0].title
        turn.state[OFFERED_LONE_KEY] = True  # only a plain yes runs it ("ok" after "cannot be taken back" is no yes)


def offer_button(turn: Turn, title: str, payload: str) -> Button:
    """The one-tap button `title` for `payload`, which a typed "ya" or its own words ("Ya, cabut akses") run too."""
    return Button(title, offer_yes(turn, payload, title))


def said_offered_title(turn: Turn, text: str) -> bool:
    """Whether `text` is the offered button's own words, typed ("Ya, cabut akses"); the offer lasts one message."""
    title = turn.state.pop(OFFERED_TITLE_KEY, None)
    return isinstance(title, str) and bool(plain(text)) and plain(text) == plain(title)


#: How long after a reporter wrote an officer's plain words are offered as the answer to that reporter.
LAST_IN_FRESH = timedelta(hours=4)


DISPOSED_LATELY_DAYS = 2


async def _disposed_lately(turn: Turn, words: str) -> Ticket | None:
    """The open complaint of this officer's office the regent disposed of most lately (within DISPOSED_LATELY_DAYS),
    when the words address him ("siap pak bupati, …"); else None."""
    if turn.identity.role != ROLE_OFFICER or not turn.identity.opd_id or not _TO_THE_REGENT.search(plain(words)):
        return None
    since = turn.now - timedelta(days=DISPOSED_LATELY_DAYS)
    found = [t for t in await turn.store.list_tickets(TicketQuery(opd_id=turn.identity.opd_id, statuses=OPEN_STATUSES,
                                                                  updated_after=since))
             if isinstance(t.extra.get("disposition"), dict) and t.extra["disposition"].get("opd") == t.opd_id]
    return max(found, key=lambda t: str(t.extra["disposition"].get("at") or ""), default=None)


def shown_words(text: str) -> str:
    """Staff words as an offer quotes them: the first 300 characters."""
    return text[:300] + ("…" if len(text) > 300 else "")


def _wrote_since_viewed(turn: Turn, viewed: str) -> bool:
    """Someone else wrote to this staff member after they opened `viewed` ("terima kasih usulannya, akan kami tindak
    lanjuti" is the regent's answer to the resident who wrote since, not an instruction on the complaint he opened:
    thirty-sixth trial, it re-disposed that complaint)."""
    opened = turn.state.get(VIEWED_KEY)
    recent = turn.state.get(LAST_IN_KEY)
    try:
        at = datetime.fromisoformat(str(opened.get("at"))) if isinstance(opened, dict) else None
    except ValueError:
        return False
    for entry in recent if isinstance(recent, list) and at is not None else []:
        try:
            came = datetime.fromisoformat(str(entry.get("at")))
        except (ValueError, AttributeError):
            continue
        if at is not None and str(entry.get("number")) != viewed and came >= at:
            return True
    return False


def _another_wrote_after_acting(turn: Turn, acted: str) -> bool:
    """Another reporter wrote to this staff member after the command on `acted` (then the words may be for them)."""
    held = turn.state.get(AT_HAND_KEY)
    recent = turn.state.get(LAST_IN_KEY)
    stamp = str(held.get("at") or "") if isinstance(held, dict) else ""
    return any(isinstance(entry, dict) and str(entry.get("number")) != acted and str(entry.get("at") or "") > stamp
               for entry in (recent if isinstance(recent, list) else []))


def wrote_lately(turn: Turn) -> list[str]:
    """The tickets whose reporters wrote to this staff member within LAST_IN_FRESH, newest first."""
    recent = turn.state.get(LAST_IN_KEY)
    numbers: list[str] = []
    for entry in recent if isinstance(recent, list) else []:
        try:
            fresh = turn.now - datetime.fromisoformat(str(entry.get("at"))) <= LAST_IN_FRESH
        except (ValueError, AttributeError):
            continue
        if fresh:
            numbers.append(str(entry.get("number")))
    return numbers


# "please tell the reporter we will fix it tomorrow", "tolong sampaikan ke pelapor bahwa besok kami cek": words for
# the reporter, said through us; the lead is not theirs to read (twenty-eighth trial: offered with it)
_TELL_LEAD = re.compile(
    r"^(?:(?:tolong|mohon|please|pls)\s+)?(?:sampaikan|sampein|bilang(?:in|kan)?|kabari|kabarin|beritahu|beri\s+tahu|"
    # "tolong kirim pesan ke pelapor bahwa tim datang besok jam 9" (thirty-sixth trial: the help); "tolong kirim ke
    # warga WRG-…: mohon maaf, …" (forty-first trial: "tolong kirim ke warga :" offered to the reporter with the words)
    r"kirim(?:kan|in)?(?:\s+(?:pesan|kabar|info))?|infokan|informasikan|kasih\s+(?:tau|tahu)|"
    r"tell|inform)\s+(?:ke\s+|kepada\s+)?(?:warga(?:nya)?|pelapor(?:nya)?|the\s+(?:reporter|resident)|them|him|her)"
    # "tell the reporter of WRG-… that …" with the number taken out (thirty-seventh trial: "of" sent to the reporter)
    r"(?:\s+(?:of|dari|aduan|tiket)(?:\s+(?:this|it|that|the\s+complaint|ini|itu))?)?"
    r"\b\s*(?:[,:]\s*)?(?:(?:bahwa|kalau|kalo|that)\b\s*)?", re.IGNORECASE)


# "balas semua pesan warga hari ini: …", "reply to all: …": the words after the colon are the answer (each sender's,
# one tap each)
_REPLY_ALL_LEAD = re.compile(r"^(?:(?:tolong|mohon|please)\s+)?(?:balas|balaskan|jawab|reply(?:\s+to)?|answer)\s+"
                             r"(?:semua|seluruh|all|tiap|setiap|every)\b[^:]{0,60}:\s*", re.IGNORECASE)
# "tolong sampaikan terima kasih ke pelapor", "please pass our apologies to the reporter": the words come first
# (thirty-first trial: offered to the reporter as they stood)
_TELL_WRAPPED = re.compile(
    r"^(?:(?:tolong|mohon|please|pls)\s+)?(?:sampaikan|sampein|pass|give|send)\s+(?:our\s+|my\s+)?(?P<words>.+?)\s+"
    r"(?:ke|kepada|untuk|buat|to)\s+(?:warga(?:nya)?|pelapor(?:nya)?|the\s+(?:reporter|resident)|them|him|her)"
    r"\s*[.!]*$", re.IGNORECASE)

# "balas yang jembatan: besok kami cek", "reply to the bridge one: we will check tomorrow": the words for the
# reporter of the complaint the lead names
_REPLY_TO_WHICH = re.compile(
    r"^(?:balas|jawab|bales|reply(?:\s+to)?|answer)\s+(?P<which>[^:]{2,40}?)\s*:\s*(?P<words>\S.*)$",
    re.IGNORECASE | re.DOTALL)
# "/balas jembatan puri: besok kami cek": the complaint named by its subject, then the words
_REPLY_SUBJECT = re.compile(r"^(?P<which>[^:\d][^:]{1,40}?)\s*:\s*(?P<words>\S.*)$", re.DOTALL)
# "yang ini saya yang pegang", "saya ambil ya", "I'll take this one": the officer takes the complaint
_TAKE_WORDS = re.compile(r"\b(?:saya|sy|aku|gue|gw)\s+(?:yang\s+|yg\s+)?(?:pegang|megang|ambil|tangani|handle)\b"
                         r"|\bi(?:'ll|\s+will)\s+(?:take|handle)\s+(?:it|this|this\s+one)\b")
TAKE_WORDS = 6
_THANKS_TO_BOT = re.compile(r"^(?:ok\s+|oke\s+|sip\s+)?(?:terima\s*kasih|terimakasih|makasih|makasi|thanks|thank\s+you|"
                            r"thx|tq|suwun|matur\s+nuwun)\s+(?:ya\s+)?(?:bot|botnya|sistem|system|asisten|assistant)\s*$")
_NOT_WORDS_TO_PASS = frozenset({"ini", "itu", "pesan ini", "pesan saya", "this", "that", "it", "this message"})


# "ok", "siap", "noted": staff acknowledging what the bot said (dialogue answers "staff_ack")
STAFF_ACK = frozenset({"ok", "oke", "okay", "okey", "ok siap", "siap", "siap pak", "siap bu", "baik", "baik pak",
                       "baik bu", "sip", "noted", "ok noted", "oke noted", "ya", "iya", "nggih", "inggih", "got it",
                       "understood", "mengerti", "paham", "ok pak", "oke pak", "ok bu", "oke bu", "ok makasih",
                       "oke makasih", "👍"})


async def _answered_since(turn: Turn, ticket: Ticket) -> bool:
    """Staff answered the reporter after the reporter last wrote, or the reporter has only filed and said nothing
    since: a bare "ok" now is no answer to them (thirty-second trial: "ok" to the bot's advice was offered to the
    reporter as the officer's reply; thirty-fifth: "oke makasih" to the reporter of a new complaint)."""
    last_in = last_out = None
    for event in await turn.store.ticket_events(ticket.number):
        if event.kind in ("message_in", "reopened", "rating"):
            last_in = event.at
        elif event.kind in ("message_out", "status"):
            last_out = event.at
    return last_in is None or (last_out is not None and last_out >= last_in)


def which_topic(turn: Turn, ticket: Ticket) -> str:
    """A ticket's matter in a list to pick from: its topic, or "pesan untuk pimpinan" for a message to the regent."""
    return subject_name(turn, ticket) if ticket.kind == "bupati" else topic_name(turn, ticket.topic)


def which_line(turn: Turn, ticket: Ticket) -> str:
    return turn.t("reply_which_line", number=ticket.number, topic=which_topic(turn, ticket),
                  place=which_place(turn, ticket))


def which_place(turn: Turn, ticket: Ticket) -> str:
    """Beside it, its place; a message to the regent has none, so its first words (forty-first trial: "Belum
    ditentukan, belum diisi" for each of two)."""
    if ticket.kind == "bupati":
        return f"“{shorten(' '.join((ticket.text or '').split()), 60)}”"
    return location_text(turn, ticket)


def for_the_reporter(text: str) -> str:
    """Staff words without a lead that asks us to pass them on; unchanged when there is none (or nothing after)."""
    if (every := _REPLY_ALL_LEAD.match(text)) is not None and len(text[every.end():].split()) >= 2:
        rest = text[every.end():].strip()  # "balas semua pesan warga hari ini: terima kasih …" (forty-first trial)
        return rest[:1].upper() + rest[1:]
    if (wrapped := _TELL_WRAPPED.match(text)) and wrapped.group("words").lower() not in _NOT_WORDS_TO_PASS:
        words = wrapped.group("words").strip()
        return words[:1].upper() + words[1:] + "."
    lead = _TELL_LEAD.match(text)
    rest = text[lead.end():].strip() if lead else ""
    return rest[:1].upper() + rest[1:] if len(rest.split()) >= 2 else text


def _wrote_after_closing(turn: Turn, ticket: Ticket) -> bool:
    """The reporter of a finished `ticket` wrote to this staff member after it was finished (a rating's comment)."""
    recent = turn.state.get(LAST_IN_KEY)
    for entry in recent if isinstance(recent, list) else []:
        try:
            at = datetime.fromisoformat(str(entry.get("at")))
        except (ValueError, AttributeError):
            continue
        if entry.get("number") == ticket.number and ticket.closed_at is not None and at > ticket.closed_at:
            return True
    return False


async def offer_reply_to_last(turn: Turn) -> bool:
    """Plain words from staff, soon after a reporter wrote to them ("siap bu, besok tim kami cek"): they reach
    nobody as they are, so offer them, with one tap, as the answer to that reporter (never sent unasked: they may
    be meant for someone else); when two or three reporters wrote lately, one button each, newest first. False
    when no reporter wrote lately or their tickets are closed or not this person's."""
    text = for_the_reporter(turn.message.text.strip())  # ("please tell the reporter we …": "We …")
    if not (text or staff_photos(turn)):  # a photo alone is an answer too
        return False
    if _THANKS_TO_BOT.match(plain(text)):  # "terima kasih bot" (thirty-first trial: offered to the reporter)
        turn.say("thanks")
        return True
    tickets: list[Ticket] = []
    for number in wrote_lately(turn):
        ticket = await turn.store.get_ticket(number)
        # (finished too, when the reporter wrote after it was: "mohon maaf atas keterlambatannya pak" after their
        # rating and comment; twenty-ninth trial: not sent, and the help. "oke terima kasih" after /selesai is not)
        if ticket is not None and can_act(turn, ticket) and (is_open(ticket) or (
                ticket.status in (STATUS_DONE, STATUS_CLOSED) and _wrote_after_closing(turn, ticket))):
            tickets.append(ticket)
    if plain(text) in STAFF_ACK:
        tickets = [t for t in tickets if not await _answered_since(turn, t)]
    if (len(tickets) > 1 and (acted := acted_on_lately(turn)) is not None and _acted_after_viewing(turn)
            and any(t.number == acted for t in tickets) and not _another_wrote_after_acting(turn, acted)):
        # "oh iya, mohon kirim foto jembatannya" right after answering WRG-…-0002 (thirty-ninth trial: asked which of
        # the two reporters who filed): the one just answered
        tickets = [t for t in tickets if t.number == acted]
    if (len(tickets) > 1 and (viewed := viewed_ticket(turn)) is not None and not _wrote_since_viewed(turn, viewed)
            and any(t.number == viewed for t in tickets)):
        # "sudah ditambal kemarin sore" right after opening WRG-…-0001, two reporters having filed before (thirty-
        # seventh trial: asked which of the two): the one just opened
        tickets = [t for t in tickets if t.number == viewed]
    if not tickets and (disposed := await _disposed_lately(turn, text)) is not None:
        # "siap pak bupati, besok kami kerjakan" after the regent's disposition reached this office (thirty-sixth
        # trial: the help): a report to him, offered in one tap
        payload = offer_yes(turn, f"/lapor_bupati {disposed.number} {text}"[:900])
        turn.say("staff_regent_report_offer", [Button(turn.t("regent_report_button"), payload),
                                               turn.button("officer_pending_no", "/batal")],
                 number=disposed.number, text=shown_words(text))
        return True
    if (not tickets and (acted := acted_on_lately(turn)) is not None and len(plain(text).split()) >= ACTED_WORDS
            and not is_question(text) and plain(text) not in STAFF_ACK):
        # "besok tim turun ke lokasi" right after /proses (thirty-eighth trial: "not sent to anyone" and the help):
        # offered as the answer to the reporter of the ticket just acted on, with its other buttons
        tickets = await _open_of(turn, acted)
        acted_only = bool(tickets)
    else:
        acted_only = False
    opened = None
    if not tickets and text != turn.message.text.strip() and (viewed := viewed_ticket(turn)):
        # "tolong kirim pesan ke pelapor bahwa …" after /info, no reporter having written: the ticket just opened
        tickets = await _open_of(turn, viewed)
        opened = tickets[0].number if tickets else None
    if not tickets:
        return False
    if opened:
        payload = offer_yes(turn, f"/balas {opened} {text}")
        turn.say("staff_ticket_answer_offer", [Button(turn.t("officer_pending_yes_reply", number=opened), payload),
                                               turn.button("officer_pending_no", "/batal")], number=opened, text=text)
        return True
    if (aimed := _REPLY_TO_WHICH.match(text)) is not None:
        # "balas yang jembatan: besok kami cek ke lokasi" (thirty-first trial: offered to both, the lead included)
        subjects = {t.number: f"{topic_name(turn, t.topic) if t.topic else ''} {t.text[:200]}" for t in tickets}
        picked = which_ticket(plain(aimed.group("which")), [t.number for t in tickets], subjects) \
            if len(tickets) > 1 else tickets[0].number
        if picked is not None:
            tickets, text = [t for t in tickets if t.number == picked], aimed.group("words").strip()
    shown = shown_words(text) if text else "📷"
    buttons = [Button(turn.t("officer_pending_yes_reply", number=t.number),
                      hold_photos(turn, f"/balas {t.number} {text}".strip())) for t in tickets]
    if (len(tickets) == 1 and turn.identity.role == ROLE_OFFICER and is_open(tickets[0])
            and len(plain(text).split()) <= TAKE_WORDS and _TAKE_WORDS.search(plain(text))
            and not _STILL_TO_COME.search(plain(text))):  # ("saya yang tangani, besok ke lokasi": for the reporter)
        # "yang ini saya yang pegang" (thirty-first trial: offered to the reporter): /ambil, in one tap
        payload = offer_yes(turn, f"/ambil {tickets[0].number}")
        turn.say("staff_take_offer", [Button(turn.t("staff_take_button"), payload),
                                      turn.button("officer_pending_no", "/batal")], number=tickets[0].number)
        return True
    if len(tickets) == 1 and _offer_close_order(turn, tickets[0], text):
        return True
    if len(tickets) == 1 and (order := _progress_button(turn, tickets[0], text)) and _PROGRESS_ORDER.match(plain(text)):
        # "tolong tandai sedang diproses": the mark, not words for the reporter
        offer_yes(turn, order[0].payload, order[0].title)
        turn.say("staff_progress_offer", [*order, turn.button("officer_pending_no", "/batal")],
                 number=tickets[0].number)
        return True
    if len(tickets) == 1:
        offer_yes(turn, buttons[0].payload, buttons[0].title)
        if _reports_to_regent(turn, tickets[0], text):
            # "siap pak bupati, hari ini kami angkut" after his disposition: a report to him, not to the reporter
            buttons.insert(0, Button(turn.t("regent_report_button"), f"/lapor_bupati {tickets[0].number} {text}"))
        if (turn.identity.role == ROLE_REGENT and text and (opd := opd_in(turn, text)) is not None
                and _DISPOSE_WORDS.search(plain(text))):
            # "tolong PUPR cek jalan poros sooko japan" after a resident wrote to him: meant for the office, perhaps
            buttons.append(Button(turn.t("regent_disposition_button", opd=opd.short),
                                  f"/disposisi {tickets[0].number} {opd.id} {text}"))
        buttons += _done_button(turn, tickets[0], text) + _progress_button(turn, tickets[0], text)
        buttons += _memo_button(turn, text)
        elsewhere = _elsewhere_buttons(turn, tickets[0], text)  # "bukan wewenang kami pak, harusnya ke dishub"
        if elsewhere and _ORDERS_MOVE.search(plain(text)) and elsewhere[0].payload.split()[2] != TRIAGE:
            # "ini bukan wewenang kami, tolong alihkan ke dishub" (thirty-sixth trial: "ya" sent these words to the
            # reporter): the transfer it orders comes first, and is what "ya" does
            offer_yes(turn, elsewhere[0].payload, elsewhere[0].title)
            turn.say("staff_transfer_order_offer", [*elsewhere, *buttons, turn.button("officer_pending_no", "/batal")],
                     number=tickets[0].number, text=shown)
            return True
        buttons += elsewhere
        # (a message to the regent is no "aduan": its sender is asked about, not a complaint's reporter; "pelapornya
        # minta dipercepat, gimana?" asks about the reporter: fortieth trial, offered as words for them, no more)
        turn.say("staff_free_text_offer_regent" if tickets[0].kind == "bupati" else
                 f"{about_reporter_key(text)}_reply" if speaks_of_reporter(text) else
                 "staff_ticket_answer_offer" if acted_only else "staff_free_text_offer",
                 [*buttons, turn.button("officer_pending_no", "/batal")], number=tickets[0].number, text=shown)
        return True
    numbers = [t.number for t in tickets]
    shown_before = turn.state.pop(WHICH_SHOWN_KEY, None)  # the list went with the bot's last message
    turn.state[WHICH_OFFER_KEY] = {"text": text, "numbers": numbers, "at": turn.now.isoformat(),
                                   "about": {t.number: f"{which_topic(turn, t)} {which_place(turn, t)}"
                                             for t in tickets}}
    buttons += _memo_button(turn, text)
    if isinstance(shown_before, dict) and shown_before.get("numbers") == numbers:
        # asked again right after: the list is just above, so only the buttons and a word on how to pick
        turn.say("staff_free_text_offer_which_again", [*buttons, turn.button("officer_pending_no", "/batal")],
                 text=shown)
        return True
    # with its place, so two road complaints can be told apart ("yang jalan di sooko")
    about = "\n".join(which_line(turn, t) for t in tickets)
    turn.say("staff_free_text_offer_which", [*buttons, turn.button("officer_pending_no", "/batal")],
             tickets=about, text=shown)
    return True


def _memo_button(turn: Turn, text: str) -> list[Button]:
    """The regent's words after residents wrote to him that ask something of an office ("tolong minta kepala dinas
    pupr lapor ke saya besok"): a message to that office (or every office), beside the answers to the residents."""
    addressed = regent_memo.office_addressed(turn, text) if turn.identity.role == ROLE_REGENT and text else None
    if addressed is None:
        return []
    target, short = ((addressed, turn.t("memo_every_office_short") if addressed == regent_memo.EVERY_OFFICE
                      else turn.t(f"memo_every_{addressed}")) if isinstance(addressed, str)
                     else (addressed.id, addressed.short))
    words = regent_memo.without_addressee(turn, " ".join(text.split()))
    return [Button(turn.t("memo_send_button", opd=short), f"/pesan_opd {target} {words}"[:900])]


#: A staff conversation's state: the words `offer_reply_to_last` offered to one of several reporters, the tickets
#: listed (as shown) and each one's topic and place; the officer's next words may pick one ("yang jalan di sooko").
WHICH_OFFER_KEY = "which_offer"
#: A staff conversation's state for one message: the list was shown with the bot's last message and the officer's
#: words picked none, so the offer for their new words is asked in short.
WHICH_SHOWN_KEY = "which_shown"
#: Words around a pick that name no ticket ("yang di sooko pak", "buat yg jembatan").
_PICK_FILLERS = frozenset({"yang", "yg", "di", "ke", "untuk", "utk", "buat", "aduan", "laporan", "tiket", "itu",
                           "aja", "saja", "pak", "bu", "kak", "mas", "mbak", "dong", "deh", "ya", "sing", "nang",
                           "the", "one", "for", "at", "in", "please", "pls", "nomor", "no"})
_PICK_MAX_WORDS = 8


def picked_from_offer(turn: Turn, text: str) -> tuple[str | None, str] | None:
    """The officer's words right after several reporters' tickets were offered for their plain words: words that
    name exactly one listed ticket by its topic and/or place ("yang jalan di sooko", "yg jembatan"), its number's
    end ("0002") or its place in the list ("yang kedua") give (that ticket's number, the words offered), to be sent
    there; words that only name tickets but fit several or none ("yang di desa") give (None, the words offered),
    asked again (`ask_which_again`). None otherwise: the offer lasts one message (other words are offered in turn,
    in short)."""
    turn.state.pop(WHICH_SHOWN_KEY, None)
    offer = turn.state.pop(WHICH_OFFER_KEY, None)
    low = plain(text)
    if not isinstance(offer, dict) or not low or text.startswith("/") or staff_photos(turn):
        return None
    turn.state[WHICH_SHOWN_KEY] = {"numbers": offer.get("numbers")}  # unless picked: the list is just above
    try:
        fresh = turn.now - datetime.fromisoformat(str(offer.get("at"))) <= PENDING_FRESH
    except ValueError:
        return None
    if not fresh or len(low.split()) > _PICK_MAX_WORDS or find_ticket_number(text) or is_question(text):
        return None
    numbers = [str(n) for n in offer.get("numbers") or []]
    about = {str(k): str(v) for k, v in (offer.get("about") or {}).items()}
    # only naming words: "siap pak, jalan segera kami tambal" names the road too, but it is a new answer
    known = set(plain(" ".join([*about.values(), *numbers])).split())
    rest = [w for w in low.split() if w not in _PICK_FILLERS and w not in known and not w.isdigit()
            and w.removesuffix("nya") not in known]
    if rest and not place_in_list(low).isdigit():
        return None
    number = which_ticket(low, numbers, about)
    turn.state.pop(WHICH_SHOWN_KEY, None)
    if number is None:
        turn.state[WHICH_OFFER_KEY] = offer  # still unsent: the next words may name it better
    return number, str(offer.get("text") or "")


async def ask_which_again(turn: Turn, text: str) -> None:
    """Words that name tickets but not one of those offered ("yang di desa" fits all three): the words offered stay
    unsent, with the same buttons (the photos held with them go with a tap too), and how to name one."""
    offer = turn.state.get(WHICH_OFFER_KEY)
    numbers = [str(n) for n in offer.get("numbers") or []] if isinstance(offer, dict) else []
    buttons = [Button(turn.t("officer_pending_yes_reply", number=n), f"/balas {n} {text}".strip()) for n in numbers]
    turn.say("staff_which_not_told", [*buttons, turn.button("officer_pending_no", "/batal")],
             text=shown_words(text) if text else "📷")


# A ticket number in an officer's plain words with this many words besides it, and no question, is their answer to
# the reporter ("WRG-2612-0001 sudah kami tangani pak, besok ditambal"); fewer ("WRG-2612-0001 selesai") is a look.
ANSWER_MIN_WORDS = 2


# "tolong ingatkan pupr soal WRG-…", "tagih dishub untuk WRG-…": the operator reminding the office of one complaint
_REMIND_OFFICE = re.compile(r"\b(?:ingatkan|ingetin|ingatin|tegur|tagih|tagihkan|remind|chase|follow\s+up)\b")


#: Conversation state: the command staff typed alone and were asked the ticket of ("/selesai"); the number typed as
#: the very next message is that command's.
COMMAND_WHICH_KEY = "command_which"


async def staff_names_ticket(turn: Turn, number: str, text: str) -> None:
    """Staff typing a ticket number outside a command. The regent's "bagaimana perkembangan aduan WRG-2612-0001?" and
    the operator's "WRG-2612-0001 sudah ditangani belum?" get its /info; the handling officer's "WRG-2612-0001 sudah
    kami tangani pak, besok ditambal" (or the regent's words on a message to him) is offered, with one tap, as the
    answer to its reporter (never sent unasked);
    a ticket they may not see is refused plainly (another office's, not found)."""
    which = turn.state.pop(COMMAND_WHICH_KEY, None)
    if (isinstance(which, dict) and len(text.split()) <= 2 and str(which.get("command")).lstrip("/") in BARE_COMMANDS
            and stamped_within(which.get("at"), turn.now, VIEWED_MINUTES)):
        # "WRG-2612-0001" typed after "/selesai" asked which (thirty-seventh trial: its card): that command's
        await BARE_COMMANDS[str(which["command"]).lstrip("/")].handler(turn, number)
        return
    if await run_bare_command(turn, text):
        return
    if _UNDO_MOVE.search(plain(text)) and not is_question(text):
        # "eh salah, WRG-… jangan dialihkan" right after /alihkan (thirty-eighth trial: "handled by Dinas Sosial, not
        # your office"): the transfer taken back, as its button does
        await cmd_undo_transfer.handler(turn, number)
        return
    ticket = await load_actionable(turn, number, "/info TIKET")
    if ticket is None:
        return
    if sets_priority(text) and is_open(ticket) and turn.identity.role != ROLE_REGENT:
        # "WRG-… prioritas tinggi, ada korban" (the regent's "please ask PUPR to prioritise WRG-…" is a disposition)
        offer_priority(turn, text, ticket)
        return
    if asks_extension(text):  # "minta perpanjangan waktu 3 hari untuk WRG-…": how a deadline stands, not an answer
        explain_extension(turn, text)
        return
    # ("tiket WRG-… sudah saya kerjakan …": "sudah saya kerjakan …", not "tiket sudah …"; thirty-ninth trial)
    words = " ".join(re.sub(rf"(?i)^\s*(?:(?:no(?:mor)?\.?|tiket|ticket)\s+)+{re.escape(ticket.number)}", " ", text)
                     .replace(ticket.number, " ").split()).strip(" ,.:;-–")
    if (turn.identity.role in (ROLE_REGENT, ROLE_OPERATOR) and is_open(ticket)
            and (told := for_the_reporter(words)) != words):
        # the regent's "kirim pesan ke pelapor WRG-…, terima kasih sudah melapor, …" (thirty-ninth trial: offered as a
        # disposition to the office, "kirim pesan ke pelapor ," its instruction): his answer to the reporter
        payload = offer_yes(turn, f"/balas {ticket.number} {told}")
        yes = Button(turn.t("officer_pending_yes_reply", number=ticket.number), payload)
        turn.say("staff_ticket_answer_offer", [yes, turn.button("officer_pending_no", "/batal")],
                 number=ticket.number, text=shown_words(told))
        return
    if turn.identity.role == ROLE_REGENT and await _offer_disposition(turn, ticket, words):
        return
    if (turn.identity.role == ROLE_OPERATOR and _REMIND_OFFICE.search(plain(text)) and is_open(ticket)
            and (opd := turn.directory.opd(ticket.opd_id or "")) is not None):
        # "tolong ingatkan pupr soal WRG-…" (thirty-seventh trial: its card): a note to that office's officers,
        # offered in one tap
        from actions import regent_memo  # (regent_memo imports this module: lazy)

        regent_memo.offer(turn, opd, turn.t("memo_remind_ticket", number=ticket.number,
                                            topic=subject_name(turn, ticket), due=format_date(turn, ticket.due_at)))
        return
    if await _offer_merge(turn, ticket, text):
        return
    if await _offer_transfer(turn, ticket, words):
        return
    # the handling officer, or the regent for a message to him (an OPD's ticket is the OPD's to answer)
    handles = turn.identity.role == ROLE_OFFICER or (turn.identity.role == ROLE_REGENT and ticket.kind == "bupati")
    answers = handles and is_open(ticket) and not is_question(text) and len(words.split()) >= ANSWER_MIN_WORDS
    if not answers:
        await cmd_info.handler(turn, ticket.number)
        return
    if answers and _offer_close_order(turn, ticket, words):
        return
    words = for_the_reporter(words)  # ("tell the reporter of WRG-… that we will patch it": "We will patch it")
    elsewhere = _elsewhere_buttons(turn, ticket, words)
    if elsewhere and _NOT_OURS.search(plain(words)) and not _SPOKEN_TO_REPORTER.search(plain(words)):
        # "tiket WRG-… bukan wilayah kami, itu jalan provinsi" (forty-first trial: "ya" would have sent it to the
        # reporter): the return (or transfer) first, and what "ya" does; the answer to the reporter beside it
        offer_yes(turn, elsewhere[0].payload, elsewhere[0].title)
        reply = Button(turn.t("officer_pending_yes_reply", number=ticket.number), f"/balas {ticket.number} {words}")
        turn.say("staff_transfer_order_offer", [*elsewhere, reply, turn.button("officer_pending_no", "/batal")],
                 number=ticket.number, text=shown_words(words))
        return
    payload = offer_yes(turn, f"/balas {ticket.number} {words}")
    buttons = [Button(turn.t("officer_pending_yes_reply", number=ticket.number), payload), *_done_button(turn, ticket,
                                                                                                        words)]
    buttons += _progress_button(turn, ticket, words) + elsewhere
    if _reports_to_regent(turn, ticket, words):  # "WRG-… siap pak bupati, hari ini kami angkut"
        buttons.insert(0, Button(turn.t("regent_report_button"), f"/lapor_bupati {ticket.number} {words}"))
    turn.say("staff_ticket_answer_offer", [*buttons, turn.button("officer_pending_no", "/batal")],
             number=ticket.number, text=shown_words(words))


# "WRG-…02 sama dengan WRG-…01", "dobel sama WRG-…", "gabungkan WRG-…02 ke WRG-…01", "duplicate of": the same matter
_SAME_WORDS = re.compile(r"\b(?:sama\s+(?:dengan|dgn|dg|kayak|kaya|seperti|sama)|dobel|double|duplikat|duplikasi|"
                         r"kembar|gabung\w*|digabung\w*|same\s+as|duplicate|merge)\b")
# "tiket ini", "aduan itu", "yang ini", "this ticket": the ticket at hand, named as such
_THIS_TICKET = re.compile(r"\b(?:tiket|aduan|laporan|ticket|complaint)(?:nya)?\s+(?:ini|itu|tersebut|tsb)\b"
                          r"|\bthis\s+(?:ticket|complaint|one)\b|\byang\s+ini\b")


def says_this_ticket(text: str) -> bool:
    return bool(_THIS_TICKET.search(plain(text)))


async def undo_move_at_hand(turn: Turn, text: str) -> bool:
    """"eh salah pencet, jangan dialihkan" with no number, minutes after a transfer: that one taken back."""
    number = ticket_at_hand(turn)
    if number is None or not _UNDO_MOVE.search(plain(text)) or is_question(text) or len(text.split()) > 12:
        return False
    await cmd_undo_transfer.handler(turn, number)
    return True


# "ini", "yang ini", "tiket ini", "this one" before the one number: the ticket at hand is the other
_THIS_ONE = re.compile(r"\b(?:ini|this)\b")
# "eh salah, WRG-… jangan dialihkan", "batalkan pengalihan WRG-…", "undo the transfer of WRG-…"
_UNDO_MOVE = re.compile(r"\b(?:jangan|jgn|gak\s+jadi|ga\s+jadi|nggak\s+jadi|tidak\s+jadi|gajadi|batal|batalkan|batalin|"
                        r"cancel|undo)\s+(?:\S+\s+)?(?:di)?(?:alih\w*|pengalihan\w*|pindah\w*|transfer\w*|oper\w*)\b"
                        r"|\bsalah\s+(?:alih|ngalih|mengalih|pindah|transfer|oper)\w*\b")
# between the two numbers, the first is joined to the second ("WRG-B sama dengan WRG-A", "WRG-B ke WRG-A")
_INTO = re.compile(r"\b(?:dengan|dgn|dg|ke|kayak|kaya|seperti|sama|as|of|into|to|with)\s*$")


async def _offer_merge(turn: Turn, ticket: Ticket, text: str) -> bool:
    """Staff saying two complaints are one matter: `/gabung` offered in one tap, the first number joined to the second
    when the words say so ("WRG-B sama dengan WRG-A"), else the newer to the older."""
    numbers = list(dict.fromkeys(m.group(0).upper() for m in TICKET_RE.finditer(text)))
    at_hand = ticket_at_hand(turn)
    if (len(numbers) == 1 and at_hand and at_hand != numbers[0] and _SAME_WORDS.search(plain(text))
            and _THIS_ONE.search(plain(text.upper().split(numbers[0], 1)[0]))):
        # "ini aduan dobel sama WRG-…" after acting on another (thirty-eighth trial: the named one's card): the one
        # at hand joins the named one
        numbers, ordered = [at_hand, numbers[0]], True
    else:
        ordered = False
    if len(numbers) != 2 or not _SAME_WORDS.search(plain(text)) or ticket.kind != "aduan":
        return False
    first, second = numbers
    between = text.upper().split(first, 1)[-1].split(second, 1)[0] if text.upper().find(first) < \
        text.upper().find(second) else ""
    if not ordered and not _INTO.search(plain(between)):
        first, second = sorted(numbers, reverse=True)  # (numbers grow with time) the newer joins the older
    payload = offer_yes(turn, f"/gabung {first} {second}")
    turn.say("staff_merge_offer", [Button(turn.t("merge_into_button", main=second), payload),
                                   turn.button("officer_pending_no", "/batal")], number=first, main=second)
    return True


# "aduan yang jalan sooko itu gabungkan saja dengan yang jembatan", "merge the street light one into the road one"
_MERGE_IN_WORDS = re.compile(r"^(?P<first>.+?)\b(?:gabung|gabungkan|digabung|digabungkan|gabungin|satukan|disatukan|"
                             r"merge)\b(?:\s+(?:saja|aja|ya|pak|bu))*\s+(?:dengan|dgn|sama|ke|into|with)\s+"
                             r"(?P<second>.+)$")


async def _best_named(turn: Turn, words: str) -> Ticket | None:
    """The one open ticket that shares the most of these words ("yang jembatan"), else None (none, or a tie)."""
    scored = await _tickets_asked_after(turn, matter_words(words))
    best = max((score for score, _ in scored), default=0)
    top = [ticket for score, ticket in scored if score == best]
    return top[0] if best >= 1 and len(top) == 1 else None


async def merge_in_words(turn: Turn, text: str) -> bool:
    """Staff joining two complaints named by their matters (thirty-fifth trial: offered to the reporters as an
    answer): `/gabung` offered in one tap, the first joined to the second; False unless each names one open
    complaint, and they differ."""
    found = _MERGE_IN_WORDS.match(plain(text))
    if found is None or find_ticket_number(text) or turn.identity.role not in (ROLE_OFFICER, ROLE_OPERATOR):
        return False
    first = await _best_named(turn, found.group("first"))
    second = await _best_named(turn, found.group("second"))
    if first is None or second is None or first.number == second.number:
        return False
    number, main = first.number, second.number
    payload = offer_yes(turn, f"/gabung {number} {main}")
    turn.say("staff_merge_offer", [Button(turn.t("merge_into_button", main=main), payload),
                                   turn.button("officer_pending_no", "/batal")], number=number, main=main)
    return True


# "pindahkan WRG-… ke disperkim", "tolong dialihkan ke dishub", "move WRG-… to DLH": a transfer asked in words
_MOVE_WORDS = re.compile(r"\b(?:pindah\w*|dipindah\w*|alihkan|dialihkan|alihin|dialihin|ngalihin|oper|dioper|operkan|"
                         r"lempar|teruskan|diteruskan|terusin|forward|transfer|move|reassign|"
                         # "WRG-… kirim ke dpmd", "limpahkan ke dinsos" (thirty-seventh trial: its card)
                         r"kirim|kirimkan|kirimin|dikirim|serahkan|diserahkan|limpahkan|dilimpahkan|send|"
                         # "jalan berlubang depan SD itu harusnya ke dinas perkim"
                         r"harusnya|seharusnya|mestinya|semestinya|should\s+go|"
                         # "ganti OPD tiket WRG-… ke dishub" (thirty-ninth trial, the operator: its card)
                         r"(?:ganti|ubah|ubahkan|gantikan|change)\s+(?:\S+\s+)?(?:opd|dinas|instansi|office)(?:nya)?)\b")
# ("… harusnya perkim": twenty-seventh trial)
_TARGET = re.compile(r"\b(?:ke|kepada|to|(?:harusnya|seharusnya|mestinya|semestinya|should\s+be)"
                     r"(?:\s+(?:ke|di|urusan))?)\s+(?P<rest>.+)$")
_BECAUSE = re.compile(r"\b(?:karena|krn|karna|soalnya|sebab|alasannya|alasan|because|since)\b\s*(?P<why>.*)$")


async def offer_transfer_at_hand(turn: Turn, text: str) -> bool:
    """"ini bukan urusan kami, tolong alihkan ke dinas sosial" with no number, right after opening or acting on one
    (thirty-ninth trial: offered to the reporters as an answer): its transfer, offered as for a numbered one."""
    number = ticket_at_hand(turn)
    if number is None or turn.identity.role not in (ROLE_OFFICER, ROLE_OPERATOR) or is_question(text):
        return False
    ticket = await turn.store.get_ticket(number)
    return ticket is not None and can_act(turn, ticket) and await _offer_transfer(turn, ticket, text)


async def _offer_transfer(turn: Turn, ticket: Ticket, words: str) -> bool:
    """Staff asking in words that a ticket go to another office ("pindahkan WRG-2612-0002 ke disperkim karena
    lampunya di perumahan"): /alihkan offered in one tap, with the reason said (asked for when none was)."""
    low = plain(words)
    target = _TARGET.search(low)
    if not is_open(ticket) or not _MOVE_WORDS.search(low) or target is None:
        return False
    because = _BECAUSE.search(words)
    named = target.group("rest")
    if (cut := _BECAUSE.search(named)) is not None:
        named = named[: cut.start()]
    opd = opd_in(turn, named)
    if opd is None:
        return _offer_outside(turn, ticket, named)
    if opd.id == ticket.opd_id:
        return False
    reason = because.group("why").strip(" ,.") if because else ""
    payload = offer_yes(turn, f"/alihkan {ticket.number} {opd.id} {reason}".strip())
    buttons = [Button(turn.t("staff_transfer_button", opd=opd.short), payload),
               turn.button("officer_pending_no", "/batal")]
    turn.say("staff_transfer_offer_reason" if reason else "staff_transfer_offer", buttons,
             number=ticket.number, opd=opd.name, reason=reason)
    return True


def _offer_outside(turn: Turn, ticket: Ticket, named: str) -> bool:
    """"WRG-… kok masuk dishub? harusnya ke PLN kan?" (fortieth trial, the operator: its card alone): an authority
    outside the regency named, who it is and how residents reach it, with the way out offered in one tap (the
    operator archives it as outside the regency's authority; an officer hands it back to triage)."""
    words = set(re.findall(r"\w+", named.lower()))
    matter = next((m for m in turn.directory.external.values()
                   if words & {a.lower() for a in re.findall(r"\b[A-Z]{2,}\b", m.name)}
                   or any(len(w) >= OUTSIDE_WORD_LETTERS and w in m.name.lower() for w in words)), None)
    if matter is None:
        return False
    how = matter.how.get(turn.lang) or matter.how["id"]
    if turn.identity.role == ROLE_OPERATOR:
        payload = f"/arsipkan {ticket.number} {turn.t('staff_outside_reason', name=matter.name)}"
    else:
        payload = f"/alihkan {ticket.number} triase {turn.t('staff_outside_reason', name=matter.name)}"
    turn.say("staff_outside_offer", [Button(turn.t("staff_outside_button"), offer_yes(turn, payload)),
                                     turn.button("officer_pending_no", "/batal")],
             number=ticket.number, name=matter.name, how=how)
    return True


OUTSIDE_WORD_LETTERS = 6  # "polisi" in "Kepolisian", "nasional" in the national roads office; not "jalan"


# "sudah selesai diperbaiki tadi siang", "sudah beres pak", "sudah kami tangani, tolong ditutup": the work is done
_DONE_WORDS = re.compile(
    r"\b(?:sudah|udah|udh|sdh|telah|sampun|already)\s+(?:\S+\s+)?(?:selesai|beres|rampung|tuntas|diperbaiki|dibenerin|"
    r"ditambal|diganti|dipasang|diangkut|dibersihkan|fixed|done|repaired|"
    # "sudah kami perbaiki" (twenty-seventh trial)
    r"perbaiki|tambal|ganti|pasang|angkut|bersihkan|betulkan|selesaikan|tuntaskan)\b"
    r"|\b(?:tolong|mohon|silakan|bisa)\s+(?:di)?tutup(?:kan)?\b|\b(?:please\s+)?close\s+(?:it|the\s+ticket)\b"
    # "close WRG-… fixed yesterday", "fixed this morning", "mark it as done" (twenty-ninth trial: offered only as an
    # answer, "close fixed yesterday")
    # ("close WRG-…, patched this morning": fortieth trial, offered as an answer)
    r"|\b(?:close|resolve)\b(?:\s+\S+){0,2}?\s+(?:fixed|done|repaired|solved|patched|cleared|cleaned|collected|"
    r"replaced|installed|removed)\b"
    r"|^(?:\S+\s+){0,2}?(?:fixed|repaired|done|patched|cleared|cleaned|collected|replaced)\s+(?:yesterday|today|"
    r"already|this\s+morning)\b"
    r"|\bmark\w*\s+(?:it\s+)?(?:as\s+)?(?:done|resolved|closed)\b"
    # "pelapor tidak bisa dihubungi, tutup saja" (thirty-second trial: offered only as an answer)
    r"|\b(?:di)?tutup\s+(?:saja|aja|sj|ja)\b")
# "…, tutup saja": the order to close, not words for the reporter's closing note
_CLOSE_ORDER = re.compile(r"[\s,.;]*\b(?:jadi\s+|jd\s+|ya\s+)?(?:tolong\s+|mohon\s+)?(?:di)?tutup\s+"
                          r"(?:saja|aja|sj|ja)\b(?:\s+(?:ya|pak|bu|dulu))*[\s.!]*$")
# "tolong tutup tiket ini, …", "close this ticket: …": the order to close, leading the note
_CLOSE_LEAD = re.compile(r"^\W*(?:(?:tolong|mohon|please|pls)\s+)?(?:tutup|tutupkan|close|selesaikan)\s+"
                         r"(?:(?:tiket|aduan|laporan|ticket|complaint)(?:nya)?\s*)?(?:(?:ini|itu|this)\b)?[\s,.;:!-]*",
                         re.IGNORECASE)
# "besok ditambal", "akan kami perbaiki minggu depan": work still to come, whatever else is said
_STILL_TO_COME = re.compile(r"\b(?:besok|lusa|nanti|akan|segera|minggu\s+depan|bulan\s+depan|tomorrow|will|soon)\b")


async def offer_route_in_words(turn: Turn, text: str) -> bool:
    """The operator's "yang itu arahkan ke satpol pp" (no number) while exactly one complaint waits in triage: /rute
    to the office named, offered in one tap (never done unasked). False otherwise."""
    low = plain(text)
    if staff_asides.TOPIC_ROUTE.search(low):
        return False  # "ubah rute topik lampu jalan ke disperkim": the routing table, not a complaint (thirty-fifth)
    # "nomor 1 ke dishub", "yang kedua ke dlh", "semua ke dinas pupr" after /triase lists several (thirty-second
    # trial: the help): which of the list, or each of them
    picked = _PICKED_OF_LIST.match(low) if turn.identity.role == ROLE_OPERATOR else None
    if picked is not None:
        low = low[picked.end():]
    target = _TARGET.search(low)
    # "yang itu ke dinas pupr" right after /triase, without a verb (thirty-first trial: the help)
    bare = (turn.identity.role == ROLE_OPERATOR and len(low.split()) <= ROUTE_BARE_WORDS
            and _TO_OFFICE_ONLY.match(low) is not None)
    if not (_ROUTE_WORDS.search(low) or bare) or target is None or (opd := opd_in(turn, target.group("rest"))) is None:
        return False
    waiting = await turn.store.list_tickets(TicketQuery(statuses=(STATUS_TRIAGE,), limit=200 if picked else 2))
    if picked is not None and waiting:
        which = picked.group("n")
        chosen = waiting[:_ROUTE_ALL_MOST] if which is None else waiting[_ORDINALS[which] - 1:_ORDINALS[which]]
        if not chosen:
            await cmd_triage.handler(turn, "")  # "nomor 5" of a list of two: the list again
            return True
        if len(chosen) > 1:
            buttons = [Button(turn.t("staff_route_each_button", number=t.number, opd=opd.short),
                              f"/rute {t.number} {opd.id}") for t in chosen]
            turn.say("staff_route_offer_list", [*buttons, turn.button("officer_pending_no", "/batal")],
                     opd=opd.name)
            return True
        waiting = chosen
    if len(waiting) != 1:
        if turn.identity.role != ROLE_OPERATOR or find_ticket_number(text):
            return False
        # none waits ("Tidak ada aduan yang menunggu triase"), or several: which one is shown with the list (thirtieth
        # trial: the operator got the help)
        await cmd_triage.handler(turn, "")
        return True
    payload = offer_yes(turn, f"/rute {waiting[0].number} {opd.id}")
    turn.say("staff_route_offer", [Button(turn.t("staff_route_button", opd=opd.short), payload),
                                   turn.button("officer_pending_no", "/batal")],
             number=waiting[0].number, opd=opd.name, text=shorten(waiting[0].text, 120))
    return True


_TO_OFFICE_ONLY = re.compile(r"^(?:(?:yang|yg)\s+(?:itu|ini|tadi|terbaru|barusan|satu\s+itu)\s+|itu\s+|ini\s+)?"
                             r"(?:ke|kasih|kasihkan|buat|untuk|utk|to)\s+")
ROUTE_BARE_WORDS = 8
_ORDINALS = {"1": 1, "2": 2, "3": 3, "4": 4, "5": 5, "6": 6, "7": 7, "8": 8, "9": 9, "satu": 1, "dua": 2, "tiga": 3,
             "pertama": 1, "kedua": 2, "ketiga": 3, "keempat": 4, "kelima": 5, "first": 1, "second": 2, "third": 3}
_PICKED_OF_LIST = re.compile(
    r"^(?:(?:nomor|no|nmr|yang|yg|the)\s+)?(?:ke\s*-?\s*)?(?P<n>[1-9]|satu|dua|tiga|pertama|kedua|ketiga|keempat|kelima|"
    r"first|second|third)\s+(?:nya\s+)?"
    r"|^(?:semua|semuanya|seluruhnya|all(?:\s+of\s+them)?)\s+(?:nya\s+)?(?:aduan\s+(?:itu\s+)?)?")
_ROUTE_ALL_MOST = 5  # "semua ke dinas pupr": a button for each of the first five waiting
_ROUTE_WORDS = re.compile(r"\b(?:arahkan|diarahkan|arahin|teruskan|diteruskan|terusin|rute|rutekan|kirim|kirimkan|"
                          r"dikirim|serahkan|oper|lempar|route|send|forward)\b")


# "sedang kami proses", "tolong tandai sedang diproses", "mark it in progress": the work under way (thirty-first
# trial: offered only as an answer to the reporter); the bare instruction carries no note for the reporter
_PROGRESS_WORDS = re.compile(r"\b(?:sedang|lagi|masih|dalam)\s+(?:kami\s+|kita\s+)?(?:di)?(?:proses|tangani|kerjakan|"
                             r"garap|tindaklanjuti)\b"
                             # "sudah saya kerjakan tapi belum selesai, nunggu material" (thirty-ninth trial: taken for
                             # "I take it", the rest lost)
                             r"|\b(?:sudah|udah|sdh|sedang|lagi)\s+(?:saya|sy|kami|kita)\s+(?:kerjakan|tangani|proses|garap)\b"
                             r".*\bbelum\s+(?:selesai|beres|tuntas|rampung)\b"
                             r"|\b(?:tandai|ubah|set|jadikan)\s+(?:\S+\s+){0,2}?(?:sedang\s+)?"
                             r"(?:diproses|proses|ditangani)\b|\bin\s+progress\b")
_PROGRESS_ORDER = re.compile(r"^(?:(?:tolong|mohon|please|pls)\s+)?(?:tandai|ubah|set|jadikan|mark)\b")


def _progress_button(turn: Turn, ticket: Ticket, words: str) -> list[Button]:
    """"⏳ Tandai sedang diproses" beside the answer offered, when staff's words say the work is under way and the
    complaint is still new; the words go with it as the note for the reporter, unless they only ask for the mark."""
    low = plain(words)
    if (turn.identity.role not in (ROLE_OFFICER, ROLE_OPERATOR) or ticket.status != STATUS_NEW or not words
            or is_question(words) or not _PROGRESS_WORDS.search(low) or _STILL_TO_COME.search(low)):
        return []
    note = "" if _PROGRESS_ORDER.match(low) else f" {words}"
    return [Button(turn.t("staff_progress_button"), f"/proses {ticket.number}{note}"[:900])]


def _offer_close_order(turn: Turn, ticket: Ticket, words: str) -> bool:
    """"tolong tutup tiket ini, sudah selesai ditambal" (thirty-eighth trial: "ya" sent the whole order to the
    reporter): the mark offered in one tap, the words after the order its note; False for other words."""
    done = _done_button(turn, ticket, words)
    if not done or not _CLOSE_LEAD.match(plain(words)):
        return False
    offer_yes(turn, done[0].payload, done[0].title)
    turn.say("staff_done_offer", [*done, turn.button("officer_pending_no", "/batal")], number=ticket.number,
             text=shown_words(_CLOSE_LEAD.sub("", words, count=1).strip() or "-"))
    return True


def _done_button(turn: Turn, ticket: Ticket, words: str) -> list[Button]:
    """"✅ Tandai selesai" beside the answer offered, when staff's words say the work is done (the note goes to the
    reporter with "Sudah beres?"); not for a question, nor a message to the regent."""
    if (turn.identity.role not in (ROLE_OFFICER, ROLE_OPERATOR) or not is_open(ticket) or not words
            or is_question(words) or not _DONE_WORDS.search(plain(words)) or _STILL_TO_COME.search(plain(words))):
        return []
    note = _CLOSE_ORDER.sub("", _CLOSE_LEAD.sub("", words, count=1)).strip() or "-"
    return [Button(turn.t("staff_done_button"), f"/selesai {ticket.number} {note}"[:900])]


def _elsewhere_buttons(turn: Turn, ticket: Ticket, words: str) -> list[Button]:
    """Beside the answer offered, when the handling officer's words say the complaint is not their office's: "Ya,
    alihkan ke Dishub" when they name the office it belongs to ("bukan wewenang kami pak, harusnya ke dishub"), else
    "Kembalikan ke operator" ("WRG-… bukan wewenang kami, itu jembatan desa"), these words as the reason."""
    low = plain(words)
    own = turn.directory.opd(ticket.opd_id) if ticket.opd_id else None
    # "itu jembatan desa, harusnya dana desa bukan pupr" (thirty-seventh trial: offered only as an answer)
    own_name = re.sub(r"^dinas\s+", "", plain(own.short)) if own is not None else ""
    not_ours = bool(_NOT_OURS.search(low) or (own_name and re.search(
        rf"\bbukan\s+(?:di\s+|urusan\s+|tugas\s+|wewenang\s+)?(?:dinas\s+)?{re.escape(own_name)}\b", low)))
    if (turn.identity.role != ROLE_OFFICER or ticket.status == STATUS_TRIAGE or not is_open(ticket)
            or not (not_ours or (_MOVE_WORDS.search(low) and _TARGET.search(low)))):
        return []
    target = _TARGET.search(low)
    opd = office_named(turn, target.group("rest"), near=True) if target else None  # ("dinas perkim": Disperkim)
    if opd is not None and opd.id != ticket.opd_id:
        return [Button(turn.t("staff_transfer_button", opd=opd.short),
                       f"/alihkan {ticket.number} {opd.id} {words}"[:900])]
    if not not_ours:
        return []
    return [Button(turn.t("staff_not_ours_button"), f"/alihkan {ticket.number} {TRIAGE} {words}"[:900])]


# "bukan wewenang kami", "salah dinas", "itu bukan tupoksi PUPR": the officer says the ticket is not their office's
_NOT_OURS = re.compile(r"\bbukan\s+(?:di\s+)?(?:wewenang|kewenangan|tupoksi|ranah|urusan|bidang|tugas|wilayah|daerah)\b"
                       r"|\bsalah\s+(?:dinas|alamat|opd|kirim)\b|\bnot\s+(?:our|in\s+our)\s+(?:remit|authority|job|responsibility)\b")
# "bapak/ibu", "anda": words spoken to the reporter ("mohon maaf pak, ini bukan wewenang kami"), an answer to them
_SPOKEN_TO_REPORTER = re.compile(r"\b(?:bapak|ibu|bpk|anda|sdr|saudara|panjenengan|you)\b")
# "tolong alihkan ke dishub", "pindahkan ke perkim saja", "please transfer it to DLH": a transfer ordered
_ORDERS_MOVE = re.compile(r"\b(?:alihkan|alihin|pindahkan|pindahin|operkan|oper|lempar|teruskan|terusin|transfer|"
                          r"forward|move|reassign)\s+(?:\S+\s+)?(?:ke|kepada|to)\b")
_ASKS_ONLY = re.compile(r"\b(?:tolong|mohon|segera|minta|harap|please|agar|supaya|biar)\b")


def _reports_to_regent(turn: Turn, ticket: Ticket, words: str) -> bool:
    """An officer's words addressed to the regent on a ticket he disposed of to their office."""
    disposed = ticket.extra.get("disposition")
    return (turn.identity.role == ROLE_OFFICER and bool(words) and bool(_TO_THE_REGENT.search(plain(words)))
            and isinstance(disposed, dict) and disposed.get("opd") == ticket.opd_id)


# Words addressed to the regent: "siap pak bupati", "laporan untuk bapak bupati", "nggih pak wali"
_TO_THE_REGENT = re.compile(r"\b(?:pak|bapak|bpk|ibu|bu|yth)\s+(?:bupati|bup|wabup|wakil\s+bupati|wali\s*kota|wali|"
                            r"walkot|wawali)\b|\b(?:mr|madam)\s+regent\b")
# "tolong … didisposisikan ke PUPR", "segera ditindaklanjuti yo": the regent tells an office to act
# "tolong WRG-… diprioritaskan, anak sekolah bahaya", "utamakan yang itu", "tolong dicek dulu"
_DISPOSE_WORDS = re.compile(r"\b(?:disposisi\w*|didisposisikan|tindak\s*lanjut\w*|ditindaklanjuti|tindaklanjuti|"
                            # "tolong teruskan ke dinas pupr dan dishub" (thirty-fifth trial: offered as his answer)
                            r"teruskan|diteruskan|serahkan|diserahkan|limpahkan|dilimpahkan|"
                            r"ditangani|tangani|dikerjakan|kerjakan|diurus|urus|segera|secepatnya|cepat\s+ditangani|"
                            r"prioritas\w*|diprioritaskan|utamakan|diutamakan|dahulukan|didahulukan|tolong\s+dicek|"
                            r"ditinjau|tinjau|prioriti[sz]e\w*|priority|urgent|cek|dicek|periksa|diperiksa|check|"
                            # "tolong dipercepat, itu jalur anak sekolah" (thirty-second trial: the help)
                            r"percepat|dipercepat|percepatan|hurry|speed\s+up|expedite)\b")


def opd_in(turn: Turn, words: str) -> Opd | None:
    """An office the regent names in his words ("PUPR", "dinas pupr", "dishub")."""
    return office_named(turn, words)


async def _offer_disposition(turn: Turn, ticket: Ticket, words: str) -> bool:
    """The regent's words about an open complaint that tell an office to act ("piye iki kok durung ditangani?
    tolong PUPR segera ditindaklanjuti yo"): its /info, and the disposition with his words as the instruction,
    offered in one tap (never sent unasked). A message to him is disposed of to the office his words name
    ("WRG-… disposisi ke pupr, tolong ditinjau minggu ini": thirty-fifth trial, offered as his answer)."""
    if ticket.kind not in ("aduan", "bupati") or not is_open(ticket) or not _DISPOSE_WORDS.search(plain(words)):
        return False
    if is_question(words) and not _ASKS_ONLY.search(plain(words)):  # "WRG-… sudah ditangani belum?": a question
        return False
    opd = opd_in(turn, words) or turn.directory.opd(ticket.opd_id)
    if opd is None:
        return False
    await cmd_info.handler(turn, ticket.number)
    payload = f"/disposisi {ticket.number} {opd.id} {words}"
    turn.say("regent_disposition_offer",
             [offer_button(turn, turn.t("regent_disposition_button", opd=opd.short), payload),
              turn.button("officer_pending_no", "/batal")],
             number=ticket.number, opd=opd.name, text=shown_words(words))
    return True


def offices_named(turn: Turn, text: str) -> list[Opd]:
    """Every office the words name, in their order ("ke dinas pupr dan dishub": Dinas PUPR, Dishub)."""
    found: list[Opd] = []
    for part in re.split(r",|;|\bdan\b|\bserta\b|\b&\b|\band\b|\bsama\b", plain(text)):
        if (opd := opd_in(turn, part)) is not None and opd not in found:
            found.append(opd)
    return found


async def offer_disposition_of_last(turn: Turn, text: str) -> bool:
    """The regent's "tolong teruskan ke dinas pupr dan dishub" just after a resident wrote to him: the disposition of
    that resident's message or complaint to each office named, offered in one tap each (thirty-fifth trial: offered
    to the resident as his answer). False when nobody wrote lately, or his words name no office or ask something."""
    if turn.identity.role != ROLE_REGENT or not _DISPOSE_WORDS.search(plain(text)) or is_question(text):
        return False
    lately = wrote_lately(turn)
    ticket = await turn.store.get_ticket(lately[0]) if lately else None
    if ticket is None or ticket.kind not in ("aduan", "bupati") or not is_open(ticket):
        return False
    offices = offices_named(turn, text)[:DISPOSE_OFFICES]
    if not offices:
        return False
    words = " ".join(text.split())
    buttons = [offer_button(turn, turn.t("regent_disposition_button", opd=opd.short),
                            f"/disposisi {ticket.number} {opd.id} {words}"[:900]) for opd in offices]
    turn.say("regent_disposition_offer", [*buttons, turn.button("officer_pending_no", "/batal")],
             number=ticket.number, opd=" / ".join(opd.name for opd in offices),
             text=shown_words(words))
    return True


DISPOSE_OFFICES = 3  # offices offered at once for one message


# The regent's "dishub kok belum balas aduan lampu?", "pupr belum menangani jalan sooko": an office slow on a matter
_OFFICE_SLOW = re.compile(r"\b(?:belum|tidak|tdk|gak|ga|nggak|ngga|blm)\s+(?:juga\s+|pernah\s+|ada\s+yang\s+)?(?:di)?"
                          r"(?:balas|bales|jawab|tanggapi|tangani|respon|kerjakan|proses|tindaklanjuti|urus|perbaiki|"
                          r"benerin|cek)\w*\b")
OFFICE_SLOW_WORDS = 16


async def regent_asks_office_slow(turn: Turn, text: str) -> bool:
    """The regent asking why an office has not acted ("dishub kok belum balas aduan lampu?"; thirty-fifth trial: how
    to answer a reporter): the one open complaint of that office the words name (its /info), else the office's open
    queue, and the reminder to it offered in one tap. False unless he names one office and its slowness."""
    low = plain(text)
    if (turn.identity.role != ROLE_REGENT or len(low.split()) > OFFICE_SLOW_WORDS or not _OFFICE_SLOW.search(low)
            or find_ticket_number(text)):
        return False
    offices = offices_named(turn, text)
    if len(offices) != 1:
        return False
    opd = offices[0]
    wanted = matter_words(_OFFICE_SLOW.sub(" ", low)) - matter_words(f"{opd.id} {opd.short} {opd.name}")
    tickets = [t for t in await named_tickets(turn, wanted) if t.opd_id == opd.id] if wanted else []
    if len(tickets) == 1:
        await cmd_info.handler(turn, tickets[0].number)
    else:
        await show_queue(turn, opd.id)
    payload = offer_yes(turn, f"/ingatkan {opd.id}")
    turn.say("regent_remind_offer", [Button(turn.t("regent_remind_button", opd=opd.short), payload),
                                     turn.button("officer_pending_no", "/batal")], opd=opd.name)
    return True


async def offer_disposition_of_viewed(turn: Turn, text: str) -> bool:
    """The regent's instruction to an office minutes after he opened one of its open complaints ("aduan jalan di
    sukamaju itu kok belum ditangani?", then "tolong pupr segera tangani, lapor ke saya besok"): the disposition of
    that complaint with his words, offered in one tap, beside the message to the office alone (`/pesan_opd`).
    False when he opened none lately, or his words name another office or tell it nothing to do."""
    number = viewed_ticket(turn)
    ticket = await turn.store.get_ticket(number) if number else None
    if (ticket is None or turn.identity.role != ROLE_REGENT or ticket.kind != "aduan" or not is_open(ticket)
            or not _DISPOSE_WORDS.search(plain(text)) or _wrote_since_viewed(turn, ticket.number)):
        return False
    opd = opd_in(turn, text) or turn.directory.opd(ticket.opd_id)
    if opd is None or (ticket.opd_id is not None and opd.id != ticket.opd_id):
        return False
    words = " ".join(text.split())
    turn.say("regent_disposition_offer",
             [offer_button(turn, turn.t("regent_disposition_button", opd=opd.short),
                           f"/disposisi {ticket.number} {opd.id} {words}"[:900]),
              Button(turn.t("memo_send_button", opd=opd.short), f"/pesan_opd {opd.id} {words}"[:900]),
              turn.button("officer_pending_no", "/batal")],
             number=ticket.number, opd=opd.name, text=shown_words(words))
    return True


# Staff writing in English: "reply to WRG-… : we will check tomorrow", "mark WRG-… in progress", "mark WRG-… as done:
# patched" (thirtieth trial: offered to the reporter word for word, command and all)
_ENGLISH_COMMANDS = (
    (re.compile(r"^(?:reply|answer|respond)(?:\s+to)?\s+(?P<number>\S+?)\s*[:,\-–]?\s+(?P<rest>\S.*)$",
                re.I | re.S), "balas"),
    (re.compile(r"^(?:mark\s+)?(?P<number>\S+)\s+(?:as\s+)?in\s+progress(?P<rest>)\s*$", re.I), "proses"),
    (re.compile(r"^mark\s+(?P<number>\S+)\s+(?:as\s+)?(?:done|resolved|fixed|finished|completed)\s*[:,\-–]?\s*"
                r"(?P<rest>.*)$", re.I | re.S), "selesai"),
)


def _english_command(text: str) -> tuple[str, str] | None:
    """The command and its arguments an English instruction to staff spells out, or None."""
    for pattern, name in _ENGLISH_COMMANDS:
        found = pattern.match(text.strip())
        if found is not None and (number := find_ticket_number(found.group("number"))) is not None:
            return name, f"{number} {found.group('rest').strip()}".strip()
    return None


async def run_bare_command(turn: Turn, text: str) -> bool:
    """A command typed without its slash, a ticket number next ("balas WRG-2612-0001 Tim kami datang besok pagi"),
    or spelled out in English ("reply to WRG-2612-0001: we will come tomorrow"): run as the command (its word is not
    sent to the reporter). Not a question ("selesai WRG-2612-0001?")."""
    english = _english_command(text) if turn.identity.role in OFFICERS and not is_question(text) else None
    if english is not None:
        await BARE_COMMANDS[english[0]].handler(turn, english[1])
        return True
    word, _, rest = text.strip().partition(" ")
    command = BARE_COMMANDS.get(word.lower())
    if command is None or turn.identity.role not in OFFICERS or is_question(text) or not rest.strip():
        return False
    if find_ticket_number(rest.split(maxsplit=1)[0]) is None and find_ticket_number(" ".join(rest.split()[:3])) is None:
        return False
    await command.handler(turn, rest.strip())
    return True


def unglue_command(name: str, args: str, known: Any) -> tuple[str, str]:
    """A command typed glued to its ticket number ("/balasWRG-2612-0001 teks"): the command and the number
    apart ("balas", "WRG-2612-0001 teks"); any other name as it is."""
    if name in known:
        return name, args
    for command_name in BARE_COMMANDS:
        rest = name[len(command_name):]
        if name.startswith(command_name) and rest and find_ticket_number(rest) and rest[:1].isalpha():
            return command_name, f"{rest} {args}".strip()
    return name, args


# "tiket 0001 sudah kami cek pak": a ticket's serial after the word for it, in staff's plain words.
# ("balas 0001 baik pak segera kami cek": forty-second trial, offered to the reporter with "balas 0001" in it)
_SERIAL_NAMED = re.compile(r"\b(?:tiket|aduan|laporan|nomor|no|balas|selesai|proses|alihkan|info)\.?\s*#?(\d{4,6})\b",
                           re.IGNORECASE)


async def with_full_number(turn: Turn, text: str) -> str | None:
    """`text` with a serial named in it ("tiket 0001 sudah kami cek pak") written as the full number
    ("WRG-2612-0001 sudah kami cek pak") when it is the one ticket of that serial this person may act on; else None."""
    named = _SERIAL_NAMED.search(text)
    found = await tickets_of_serial(turn, int(named.group(1))) if named and int(named.group(1)) else []
    if named is None or len(found) != 1:
        return None
    return f"{text[:named.start()]}{found[0].number}{text[named.end():]}"


#: How many open tickets a staff question in words ("bagaimana perkembangan aduan jembatan di kedungrejo?") is
#: matched against, and how many matches are listed.
ASKED_SEARCH_LIMIT = 200
ASKED_SHOWN = 5
# Words of such a question that name no matter: greetings, question and status words, forms of address.
_NOT_MATTER_WORDS = frozenset(
    "selamat pagi siang sore malam bagaimana gimana gmn perkembangan kabar kabarnya progres progress status aduan "
    "aduannya laporan laporannya tiket soal tentang yang sudah belum apakah bapak ibu tolong mohon dari sampai mana "
    "apa kapan ditangani diperbaiki selesai what where when about complaint complaints ticket report status update "
    "the how has been udah dibenerin sing ning nang neng uwis sampun didandani dibenakke durung dereng piye pripun "
    "kepiye".split())  # Javanese: "sing lampu ning veteran wis didandani durung?"


def matter_words(text: str) -> set[str]:
    return {w for w in plain(text).split() if len(w) >= 4 and w not in _NOT_MATTER_WORDS}


# ... nor does a question on the figures ("dinas mana yang paling banyak aduan terlambat?", "kok belum ditangani"):
# words that a matter asked after by its topic and place must share with a ticket beyond these
_FIGURE_WORDS = frozenset(
    "perkembangannya dinas paling banyak terlambat lewat batas waktu berapa hari minggu bulan kemarin sekarang "
    "juga lagi masih semua kenapa knapa overdue many most".split())
#: Words a question must share with one open ticket to be about that matter, not about the figures.
MATTER_SHARED = 2


async def asks_after_matter(turn: Turn, text: str) -> bool:
    """Staff asking after one matter by its topic and place, in words that also read as a question on the figures
    ("aduan jalan di sukamaju itu kok belum ditangani?", "jalan rusak di sukamaju gimana perkembangannya?"): when
    open tickets they may see share MATTER_SHARED such words with it, those tickets (as `staff_asks_after`); False
    (nothing said) otherwise, so that the figures answer it."""
    wanted = matter_words(text) - _FIGURE_WORDS
    if len(wanted) < MATTER_SHARED:
        return False
    found = await named_tickets(turn, wanted)
    if not found or _reporter_wrote_lately(turn, found):
        return False
    await _show_asked_after(turn, found)
    return True


def _reporter_wrote_lately(turn: Turn, tickets: list[Ticket]) -> bool:
    """Whether the reporter of one of `tickets` wrote to this person lately: their question ("apakah jalan di sooko
    masih bisa dilewati?") is more likely meant for that reporter (`offer_reply_to_last`) than a search."""
    return bool({t.number for t in tickets} & set(wrote_lately(turn)))


# "tolong balas warga yang lapor jalan rusak, bilang besok dicek", "jawab pelapor lampu mati di sooko: sudah kami
# catat": an answer to the reporter of a complaint named by its matter (twenty-sixth trial: the regent got the help)
_REPLY_IN_WORDS = re.compile(
    r"^(?:(?:tolong|mohon|minta|coba|please)\s+)?(?:balas|bales|balaskan|jawab|jawabkan|kabari|kabarin|reply\s+to|"
    r"answer)\s+(?:ke\s+|kepada\s+)?(?:warga|pelapor|pelapornya|yang\s+lapor|yg\s+lapor|the\s+(?:resident|reporter))"
    r"\s+(?P<matter>.+?)\s*(?:[,:;]\s*|\s)(?:bilang(?:in)?|katakan|sampaikan|bahwa|dengan|tell\s+(?:them|him|her)|"
    r"say|that)\s*:?\s+(?P<message>.+)$", re.IGNORECASE | re.DOTALL)
# "soal sd di japan, sudah saya minta disdik cek minggu ini" (forty-second trial, the regent days after a resident
# wrote to him: offered to Disdik as his message): words for the reporter of the matter named first
# "tolong yang jembatan dibalas: tim kami survei besok pagi" (forty-second trial: offered to both reporters, those
# words and all): the words for the reporter of the matter named before "dibalas"
_MATTER_REPLIED = re.compile(r"^(?:(?:tolong|mohon|pak|bu)\s+)*(?:yang|yg|aduan|tiket|laporan)\s+"
                             r"(?P<matter>[^:,]{3,50}?)\s+(?:di)?(?:balas|bales|jawab)(?:kan|in)?(?:\s+(?:ya|dong|aja|saja|dengan))?\s*[:,]\s*"
                             r"(?P<message>.+)$", re.IGNORECASE | re.DOTALL)
_ABOUT_THEN = re.compile(r"^(?:(?:pak|bu|oke|ok|baik)\W+)?(?:soal|tentang|mengenai|terkait|perihal|masalah|"
                         r"untuk\s+(?:yang|yg)|about|re)\s+(?P<matter>[^,:;.]{3,60}?)\s*[,:;]\s*(?P<message>.+)$",
                         re.IGNORECASE | re.DOTALL)
REPLY_IN_WORDS = 40
_SHORT_MATTER_WORDS = frozenset({"sd", "smp", "sma", "smk", "mi", "mts", "tk", "paud", "pju", "tps", "tpa", "pdam",
                                 "kua", "rsud", "ktp", "kk", "bpjs", "pkh", "bpnt", "blt"})
ABOUT_THEN_WORDS = 3  # "soal sd di japan, sudah kami cek": the words for the reporter, at least this many
REPLY_IN_WORDS_CHOICES = 3  # more complaints alike than this: the words name none (the usual "which reporter?")


async def reply_in_words(turn: Turn, text: str) -> bool:
    """Staff words that answer the reporter of one complaint named by its matter: the one open complaint they may
    act on that shares MATTER_SHARED words with it, and the answer offered in one tap (/balas). False otherwise."""
    found = _REPLY_IN_WORDS.match(text.strip()) if len(text.split()) <= REPLY_IN_WORDS else None
    if found is None and len(text.split()) <= REPLY_IN_WORDS and not is_question(text):
        found = _ABOUT_THEN.match(text.strip()) or _MATTER_REPLIED.match(text.strip())
        if found is not None and len(found.group("message").split()) < ABOUT_THEN_WORDS:
            found = None
    if found is None or find_ticket_number(text):
        return False
    message = found.group("message").strip()
    wanted = matter_words(found.group("matter"))
    if found.re is not _REPLY_IN_WORDS:  # ("soal sd di japan": a school's short name names the matter too)
        wanted |= {w for w in plain(found.group("matter")).split() if w in _SHORT_MATTER_WORDS}
    tickets = await named_tickets(turn, wanted)
    if not tickets and len(wanted) == 1:
        # "yang jembatan dibalas: …": one word, of exactly one open complaint (as "yang mabuk itu ke satpol pp")
        tickets = [t for score, t in await _tickets_asked_after(turn, wanted) if score >= 1]
        tickets = tickets if len(tickets) == 1 else []
    if not tickets or len(tickets) > REPLY_IN_WORDS_CHOICES or len(message.split()) < 2:
        return False
    message = message[:1].upper() + message[1:]

    def about(ticket: Ticket) -> str:
        return topic_name(turn, ticket.topic) if ticket.topic else shorten(ticket.text, 60)

    if len(tickets) > 1:  # a few alike: which reporter, one tap each
        buttons = [Button(f"{t.number} · {shorten(location_text(turn, t), 30) or about(t)}"[:60],
                          f"/balas {t.number} {message}"[:900]) for t in tickets]
        turn.say("staff_reply_in_words_which", [*buttons, turn.button("officer_pending_no", "/batal")], text=message)
        return True
    ticket = tickets[0]
    send = Button(turn.t("staff_reply_send_button"), f"/balas {ticket.number} {message}"[:900])
    offer_yes(turn, send.payload, send.title)  # a typed "ya" sends it (thirty-sixth trial: such offers ignored it)
    turn.say("staff_reply_in_words", [send, turn.button("officer_pending_no", "/batal")], number=ticket.number,
             about=about(ticket), place=shorten(location_text(turn, ticket), 60) or "-", text=message)
    return True


ROUTE_IN_WORDS = 16  # longer, staff words are more than "that complaint to that office"


async def route_in_words(turn: Turn, text: str) -> bool:
    """An operator's or officer's words that send a complaint named by its matter to an office ("yang pabrik bising
    itu ke dlh aja", once generic help): the one open complaint they may act on that shares MATTER_SHARED words with
    what comes before "ke …", and its routing (/rute for a complaint in triage) or transfer (/alihkan, these words
    as the reason) offered in one tap. False when the words name no office, or not exactly one complaint."""
    low = plain(text)
    if (turn.identity.role not in (ROLE_OPERATOR, ROLE_OFFICER) or len(low.split()) > ROUTE_IN_WORDS
            or is_question(text) or find_ticket_number(text)):
        return False
    target = _TARGET.search(low)
    opd = office_named(turn, target.group("rest"), near=True) if target else None
    if target is None or opd is None:
        return False
    wanted = matter_words(low[:target.start()])
    found = await named_tickets(turn, wanted)
    if not found and len(wanted) == 1:
        # "yang mabuk itu ke satpol pp" (thirty-seventh trial: the help): one word, of exactly one open complaint
        found = [t for score, t in await _tickets_asked_after(turn, wanted) if score >= 1]
    if len(found) != 1 or found[0].opd_id == opd.id:
        return False
    ticket = found[0]
    if ticket.status == STATUS_TRIAGE and turn.identity.role == ROLE_OPERATOR:
        button = Button(turn.t("staff_route_button", opd=opd.short), f"/rute {ticket.number} {opd.id}")
    elif ticket.status != STATUS_TRIAGE:
        button = Button(turn.t("staff_transfer_button", opd=opd.short),
                        f"/alihkan {ticket.number} {opd.id} {text.strip()}"[:900])
    else:
        return False
    offer_yes(turn, button.payload, button.title)  # "ya" next routes it (thirty-sixth trial: "Baik 🙏", nothing done)
    turn.say("staff_route_in_words", [button, turn.button("officer_pending_no", "/batal")], number=ticket.number,
             about=topic_name(turn, ticket.topic) if ticket.topic else shorten(ticket.text, 60), opd=opd.short)
    return True


ROUTE_EVERY_SHOWN = 5
_EVERY_MATTER_NOISE = frozenset(
    "tolong mohon minta semua seluruh segala smua aduan laporan pengaduan tiket yang".split())


async def route_every_in_words(turn: Turn, text: str) -> bool:
    """An officer's or operator's words that every complaint of a matter go to another office ("tolong pindahkan
    semua aduan lampu ke perkim"): those open complaints they may act on, one transfer button each (a transfer is
    one complaint at a time, its reason on record), or that none of theirs is about it (twenty-eighth trial: the
    road complaint whose reporter wrote last was offered for the transfer)."""
    low = plain(text)
    if (turn.identity.role not in (ROLE_OPERATOR, ROLE_OFFICER) or len(low.split()) > ROUTE_IN_WORDS
            or is_question(text) or find_ticket_number(text) or not _EVERY.search(low) or not _MOVE_WORDS.search(low)):
        return False
    target = _TARGET.search(low)
    opd = office_named(turn, target.group("rest"), near=True) if target else None
    if target is None or opd is None:
        return False
    wanted = {w for w in low[:target.start()].split() if len(w) >= 4} - _EVERY_MATTER_NOISE
    wanted = {w for w in wanted if not _MOVE_WORDS.fullmatch(w)}
    matter = " ".join(w for w in low[:target.start()].split() if w in wanted)
    found = await _tickets_asked_after(turn, wanted) if wanted else []
    tickets = [t for score, t in found if score >= min(len(wanted), MATTER_SHARED) and t.opd_id != opd.id
               and (t.status != STATUS_TRIAGE or turn.identity.role == ROLE_OPERATOR)]
    if not tickets:
        turn.say("staff_route_every_none", matter=matter or "-", opd=opd.short)
        return True
    buttons = [Button(f"{t.number} → {opd.short}"[:60],
                      f"/rute {t.number} {opd.id}" if t.status == STATUS_TRIAGE
                      else f"/alihkan {t.number} {opd.id} {text.strip()}"[:900]) for t in tickets[:ROUTE_EVERY_SHOWN]]
    lines = "\n".join(turn.t("reply_which_line", number=t.number, topic=topic_name(turn, t.topic),
                             place=location_text(turn, t)) for t in tickets[:ROUTE_EVERY_SHOWN])
    more = f"\n… +{len(tickets) - ROUTE_EVERY_SHOWN}" if len(tickets) > ROUTE_EVERY_SHOWN else ""
    turn.say("staff_route_every", [*buttons, turn.button("officer_pending_no", "/batal")], tickets=lines + more,
             opd=opd.short, count=len(tickets))
    return True


async def _tickets_asked_after(turn: Turn, wanted: set[str]) -> list[tuple[int, Ticket]]:
    """The open tickets staff may see that share the most of `wanted` with their words, place and topic."""
    opd_id = turn.identity.opd_id if turn.identity.role == ROLE_OFFICER else None
    tickets = await turn.store.list_tickets(TicketQuery(opd_id=opd_id, statuses=OPEN_STATUSES,
                                                        limit=ASKED_SEARCH_LIMIT)) if wanted else []
    def words_of(ticket: Ticket) -> set[str]:
        said = f"{ticket.text} {location_text(turn, ticket)} {topic_name(turn, ticket.topic)}"
        return matter_words(said) | (set(plain(said).split()) & _SHORT_MATTER_WORDS)

    scored = [(len(wanted & words_of(t)), t) for t in tickets if can_act(turn, t)]
    best = max((score for score, _ in scored), default=0)
    return [(score, t) for score, t in scored if best and score == best]


async def named_tickets(turn: Turn, wanted: set[str]) -> list[Ticket]:
    """The open tickets staff may see that staff words name by their matter: those sharing the most of `wanted`, at
    least MATTER_SHARED of them (the words name one complaint when exactly one is returned)."""
    return [t for score, t in await _tickets_asked_after(turn, wanted) if score >= MATTER_SHARED]


async def staff_asks_after(turn: Turn, text: str) -> None:
    """Staff asking after a matter in words, without a number ("bagaimana perkembangan aduan jembatan di
    kedungrejo?"): the open tickets they may see that share the most words with it (one: its /info; several: a
    list to tap); none: the commands that answer it."""
    found = [t for _, t in await _tickets_asked_after(turn, matter_words(text))]
    if not found:
        key = "staff_asks_none_officer" if turn.identity.role == ROLE_OFFICER else "staff_asks_none"
        turn.say(key, example=example_number(turn))
        return
    await _show_asked_after(turn, found)


async def _show_asked_after(turn: Turn, found: list[Ticket], as_list: bool = False) -> None:
    """One ticket asked after: its /info; several (or any, `as_list`): a list to tap."""
    if len(found) == 1 and not as_list:
        await cmd_info.handler(turn, found[0].number)
        return
    shown = found[:ASKED_SHOWN]
    lines = _which_lines(turn, shown)
    more = f"\n… +{len(found) - len(shown)}" if len(found) > len(shown) else ""
    turn.say("staff_asks_found", [Button(t.number, f"/info {t.number}") for t in shown[:3]], tickets=lines + more)


HANDLED_WORDS = 40
_WE = frozenset({"kami", "saya", "kita", "tadi", "sini", "urusan"})
# "tolong minta foto ke pelapor jalan di sukamaju", "mintakan titik lokasinya ke warga yang lapor lampu mati": a request
# for a photo or the place, to the reporter of a complaint named by its matter (twenty-seventh trial: the help)
_ASK_REPORTER = re.compile(
    r"\b(?:minta|mintakan|mintain|tanyakan|tanya|ask|request)\s+(?:\S+\s+){0,2}?(?P<what>foto\w*|gambar\w*|photos?|"
    r"pictures?|lokasi\w*|titik\s+lokasi\w*|sharelo[ck]|location|alamat\w*|address)\b(?:\s+\S+){0,3}?\s+(?:ke|kepada|dari|from|of)\s+"
    r"(?:warga|pelapor|pelapornya|yang\s+lapor|yg\s+lapor|the\s+(?:resident|reporter))\b(?P<matter>.*)$"
    # "tolong minta pelapor kirim foto lubangnya" (forty-second trial: those words offered to the reporter)
    r"|\b(?:minta|mintakan|mintain|suruh|ask)\s+(?:ke\s+|kepada\s+)?(?:warga|pelapor|pelapornya|the\s+(?:resident|reporter))"
    r"\s+(?:untuk\s+|to\s+|buat\s+)?(?:kirim\w*|mengirim\w*|share|bagikan|send|kasih|ngirim)?\s*(?P<what2>foto\w*|"
    r"gambar\w*|photos?|pictures?|lokasi\w*|titik\s+lokasi\w*|sharelo[ck]|location|alamat\w*|address)\b(?P<matter2>.*)$")


def asks_of_reporter(text: str) -> bool:
    """Staff asking that the reporter send a photo, the place or the address ("tolong minta alamat lengkapnya ke
    pelapor"): a request to pass on, not a question about the reporter's own contact."""
    return bool(_ASK_REPORTER.search(plain(text)))


async def ask_reporter_in_words(turn: Turn, text: str) -> bool:
    """Staff asking that the reporter of a complaint named by its matter send a photo or the place: the request,
    written politely, offered in one tap as the answer to that reporter (/balas). False when the words name no one
    open complaint they may act on."""
    found = _ASK_REPORTER.search(plain(text)) if len(text.split()) <= HANDLED_WORDS else None
    if found is None or find_ticket_number(text) or turn.identity.role == ROLE_REGENT:
        return False
    wanted = matter_words(found.group("matter") or found.group("matter2") or "")
    tickets = await named_tickets(turn, wanted) if wanted else []
    if not tickets and len(wanted) <= 1:
        # "tolong minta foto lokasinya ke pelapor": the reporter who wrote to them last (twenty-ninth trial: the
        # request itself was offered to that reporter, word for word); so too "… foto lubangnya", one word of the
        # matter naming no complaint (forty-second trial)
        tickets = [t for number in wrote_lately(turn)[:1] if (t := await turn.store.get_ticket(number)) is not None
                   and can_act(turn, t) and is_open(t)]
    if len(tickets) != 1:
        return False
    ticket = tickets[0]
    asked = found.group("what") or found.group("what2")
    what = "location" if asked.startswith(("lokasi", "titik", "sharelo", "location", "alamat", "address")) else "photo"
    message = turn.t(f"staff_ask_reporter_{what}", ticket.lang or "id")  # (in the reporter's language)
    send = Button(turn.t("staff_reply_send_button"), f"/balas {ticket.number} {message}"[:900])
    offer_yes(turn, send.payload, send.title)
    turn.say("staff_reply_in_words", [send, turn.button("officer_pending_no", "/batal")], number=ticket.number,
             about=topic_name(turn, ticket.topic) if ticket.topic else shorten(ticket.text, 60),
             place=shorten(location_text(turn, ticket), 60) or "-", text=message)
    return True


_OPEN_WORDS = re.compile(r"^(?:(?:tolong|coba|lihat|liat|buka|bukakan|cek|info|detail|rincian)\s+)+")
PICK_WORDS = 5


async def pick_from_queue(turn: Turn, text: str) -> bool:
    """"yang nomor 2", "buka yang kedua" just after the queue was shown (forty-second trial: offered to two reporters
    as the answer): that ticket's /info. False otherwise."""
    low = plain(text)
    if len(low.split()) > PICK_WORDS or is_question(text) or find_ticket_number(text):
        return False
    place = place_in_list(_OPEN_WORDS.sub("", low).strip())
    shown = queue_shown(turn)
    if not place.isdigit() or not 0 < int(place) <= len(shown):
        return False
    await cmd_info.handler(turn, shown[int(place) - 1])
    return True


async def take_in_words(turn: Turn, text: str) -> bool:
    """An officer's "saya ambil yang jalan di sukamaju": /ambil of the one open complaint of their office the words
    name (twenty-seventh trial: the help; "saya ambil WRG-…" already took it)."""
    low = plain(text)
    from actions import claim  # (claim imports this module)

    if turn.identity.role != ROLE_OFFICER or not claim.takes_words(low) or is_question(text) \
            or find_ticket_number(text):
        return False
    place = place_in_list(claim.without_take_words(low).strip())
    if place.isdigit() and 0 < int(place) <= len(shown := queue_shown(turn)):
        # "yang pertama saya ambil" after /antrian (twenty-eighth trial: offered as an answer to its reporter)
        await claim.cmd_take.handler(turn, shown[int(place) - 1])
        return True
    wanted = matter_words(claim.without_take_words(low))  # (not "saya ambil": other reports say "saya")
    viewed = viewed_ticket(turn)
    if viewed is not None and not wanted:
        # "ini saya ambil ya" just after /info (thirty-fifth trial: offered to two reporters as the answer)
        await claim.cmd_take.handler(turn, viewed)
        return True
    tickets = await named_tickets(turn, wanted)
    if len(tickets) != 1:
        return False
    await claim.cmd_take.handler(turn, tickets[0].number)
    return True


_EVERY = re.compile(r"\b(?:semua|seluruh|segala|smua|all|every)\b")


async def instruct_in_words(turn: Turn, text: str) -> bool:
    """The regent's instruction on a complaint named by its matter ("tolong tindak lanjuti aduan jalan di sukamaju,
    segera diperbaiki"): that complaint's /info and the disposition with his words, offered in one tap, as for a
    number (twenty-seventh trial: the help). False when the words name no one open complaint, or instruct nothing."""
    low = plain(text)
    if turn.identity.role != ROLE_REGENT or len(low.split()) > HANDLED_WORDS or find_ticket_number(text) \
            or not _DISPOSE_WORDS.search(low) or _EVERY.search(low):
        return False  # ("… tangani semua aduan jalan rusak": to the office, /pesan_opd)
    tickets = await named_tickets(turn, matter_words(_DISPOSE_WORDS.sub(" ", low)))
    return len(tickets) == 1 and await _offer_disposition(turn, tickets[0], text.strip())


async def handled_in_words(turn: Turn, text: str) -> bool:
    """An officer's or the operator's words that a complaint named by its matter is done, or is not their office's
    ("yang jalan berlubang di sukamaju sudah kami perbaiki", "ini bukan urusan kami, harusnya perkim"): the one open
    complaint they may act on that the words name (for "not ours" from an officer, the one open in their office's
    queue when the words name none) gets the offer a number would have got: the answer to its reporter, "mark done",
    or the transfer, each one tap (twenty-seventh trial: "not sent" and the whole help). False otherwise."""
    low = plain(text)
    if (turn.identity.role not in (ROLE_OFFICER, ROLE_OPERATOR) or len(low.split()) > HANDLED_WORDS
            or is_question(text) or find_ticket_number(text)):
        return False
    done, not_ours = _DONE_WORDS.search(low), _NOT_OURS.search(low)
    if not (done or not_ours):
        return False
    rest = _DONE_WORDS.sub(" ", _NOT_OURS.sub(" ", low))
    target = _TARGET.search(rest)
    wanted = matter_words(rest[:target.start()] if target else rest) - _WE  # ("sudah kami perbaiki")
    tickets = await named_tickets(turn, wanted)
    if not tickets and (acted := acted_on_lately(turn)) is not None:
        # "tolong tutup tiket ini, sudah selesai ditambal" right after /proses (thirty-eighth trial: the help): the
        # ticket just acted on
        tickets = await _open_of(turn, acted)
    if not tickets and not_ours and turn.identity.role == ROLE_OFFICER:
        queue = await turn.store.list_tickets(TicketQuery(opd_id=turn.identity.opd_id, statuses=OPEN_STATUSES,
                                                          limit=2))
        tickets = [t for t in queue if can_act(turn, t) and t.status != STATUS_TRIAGE]
        if _reporter_wrote_lately(turn, tickets):
            return False  # ("ini …" just after its reporter wrote: offered as the answer to them, same buttons)
    if len(tickets) != 1:
        return False
    await staff_names_ticket(turn, tickets[0].number, text)
    return True


# "aduan dari desa sukamaju apa saja?", "ada aduan apa di kecamatan puri?", "complaints from sooko village?": the open
# complaints of one place (twenty-seventh trial: the regent got the day's summary)
# (only such words between: "aduan jalan di desa sukamaju kok belum ditangani?" asks after one matter)
_PLACE_ASKED = re.compile(
    r"\b(?:aduan|laporan|pengaduan|keluhan|complaints?|reports?)\w*\s+(?:(?:apa|apa\s+saja|yang|yg|masuk|ada|terbuka|"
    r"baru|open|new)\s+)*(?:dari|di|from|in)\s+"
    r"(?P<kind>desa|ds|kelurahan|kel|kecamatan|kec|dusun|dsn|village|district)\s+(?P<name>[a-z][a-z-]+)"
    r"|\b(?:complaints?|reports?)\s+(?:(?:open|new)\s+)?(?:from|in|of)\s+(?P<name2>[a-z][a-z-]+)\s+(?:village|district)\b")
PLACE_ASKED_WORDS = 14
_LIST_WORDS = re.compile(r"\b(?:apa\s+saja|apa\s+aja|mana\s+saja|daftar\w*|list|tampilkan|lihat|liat|show|which|"
                         # "tolong cek aduan di kecamatan sooko" (forty-second trial, the regent: the help)
                         r"what|cek|check|periksa|pantau)\b")


async def place_tickets(turn: Turn, text: str) -> bool:
    """Staff asking which complaints one village or district has: the open ones they may see whose place (or words)
    name it, a list to tap; none, said so. False when the words ask no such thing."""
    low = plain(text)
    asks = is_question(text) or _LIST_WORDS.search(low)  # (not "tolong tindak lanjuti aduan … di desa sooko")
    found = _PLACE_ASKED.search(low) if asks and len(low.split()) <= PLACE_ASKED_WORDS else None
    name = (found.group("name") or found.group("name2")) if found else None
    if found is None or not name or name in _NOT_MATTER_WORDS:
        return False
    opd_id = turn.identity.opd_id if turn.identity.role == ROLE_OFFICER else None
    tickets = await turn.store.list_tickets(TicketQuery(opd_id=opd_id, statuses=OPEN_STATUSES,
                                                        limit=ASKED_SEARCH_LIMIT))
    named = re.compile(rf"\b{re.escape(name)}\b")
    hits = [t for t in tickets if can_act(turn, t) and named.search(plain(f"{location_text(turn, t)} {t.text}"))]
    if not hits:
        turn.say("staff_place_none", place=name.title())
        return True
    if HOW_MANY.search(low):  # "berapa aduan dari desa sooko?": the count, then the list (not one ticket's card)
        turn.say("staff_place_count", count=len(hits), place=name.title())
    await _show_asked_after(turn, hits, as_list=bool(HOW_MANY.search(low)))
    return True


# "ada aduan tentang sampah minggu ini?", "aduan soal banjir apa saja?", "any complaints about flooding?" (forty-first
# trial, the regent: the help)
_TOPIC_ASKED = re.compile(r"\b(?:aduan|laporan|pengaduan|keluhan|complaints?|reports?)\w*\s+(?:\S+\s+)?(?:tentang|soal|"
                          r"mengenai|terkait|masalah|about|on)\s+(?P<what>[a-z][a-z-]{2,})")
TOPIC_ASKED_WORDS = 14


async def topic_tickets(turn: Turn, text: str) -> bool:
    """Staff asking which complaints are about a matter named by a word: the open ones they may see (received in the
    period named, if one is) whose topic or words name it, a list to tap (the count first when asked "berapa");
    none, said so. False when the words ask no such thing."""
    from actions.regent import recap_period  # (regent imports this module: lazy)

    low = plain(text)
    found = _TOPIC_ASKED.search(low) if len(low.split()) <= TOPIC_ASKED_WORDS else None
    if found is None or not (is_question(text) or _LIST_WORDS.search(low) or HOW_MANY.search(low)):
        return False
    word = found.group("what")
    if word in _NOT_MATTER_WORDS or word in _FIGURE_WORDS:
        return False
    period = recap_period(turn, text)
    opd_id = turn.identity.opd_id if turn.identity.role == ROLE_OFFICER else None
    since = (datetime.combine(period[1].start, time(0), turn.services.calendar.tz) if period else None)
    tickets = await turn.store.list_tickets(TicketQuery(opd_id=opd_id, statuses=OPEN_STATUSES, created_after=since,
                                                        kind="aduan", limit=ASKED_SEARCH_LIMIT))
    named = re.compile(rf"\b{re.escape(word)}")
    hits = [t for t in tickets if can_act(turn, t) and named.search(plain(f"{topic_name(turn, t.topic)} {t.text}"))]
    when = turn.t("staff_topic_since", date=format_date(turn, since)) if since else ""
    if not hits:
        turn.say("staff_topic_none", what=word, when=when)
        return True
    if HOW_MANY.search(low):
        turn.say("staff_topic_count", count=len(hits), what=word, when=when)
    await _show_asked_after(turn, hits, as_list=bool(HOW_MANY.search(low) or _LIST_WORDS.search(low)))
    return True


# The text a step asked for, taken back instead: "batal dulu, belum selesai ternyata", "eh salah tiket, maksudnya …",
# "jangan dikirim dulu", "wrong ticket"
_STEP_WITHDRAWN = re.compile(
    r"^(?:(?:eh|oh|ah|maaf|mohon\s+maaf|waduh|aduh|pak|bu|ya)\s+)*(?:batal\w*|gak\s+jadi|ga\s+jadi|gk\s+jadi|"
    r"tidak\s+jadi|nggak\s+jadi|ngga\s+jadi|jangan\s+(?:dulu|dikirim|ditutup|diselesaikan)|"
    # (not "tunggu ya pak, besok kami datang": words for the reporter)
    r"salah\s+(?:tiket|nomor|nomer|aduan|laporan|pencet|pilih)|keliru\s+(?:tiket|nomor|aduan)|cancel|"
    r"wrong\s+(?:ticket|one|number))\b")
# "… maksudnya yang jembatan", "… harusnya yang di japan": the ticket meant instead
_MEANT_ONE = re.compile(r"^.*?\b(?:maksud(?:nya|ku|\s+saya)?|harusnya|seharusnya|mestinya|i\s+meant|should\s+be)\b")


async def continue_officer_flow(turn: Turn) -> None:
    """An officer typing the text a button asked for (reply text, closing note, a transfer's reason). After another
    command, or after `PENDING_FRESH`, the text is not taken at once: a button confirms which ticket it is for."""
    step, number = turn.state.get("step"), turn.state.get("target")
    text = turn.message.text.strip()
    asked_at = turn.state.get(ASKED_AT_KEY)
    if await run_bare_command(turn, text):  # "balas WRG-2612-0002 …": that command, not the waiting step's text
        mark_aside(turn, asked_at if isinstance(asked_at, str) else None)
        return
    other = find_ticket_number(" ".join(text.split()[:2]))
    if other and other != number and len(text.split()) > 1:
        # "WRG-2612-0002 sudah selesai diperbaiki …" while an office for WRG-…-0001 is awaited: about that other
        # ticket (offered as its answer), and the step waits on
        mark_aside(turn, asked_at if isinstance(asked_at, str) else None)
        await staff_names_ticket(turn, other, text)
        return
    ticket = await load_actionable(turn, number, "/balas TIKET pesan")
    photos = staff_photos(turn)
    if ticket is not None and photos and not text and step in ("reply", "done"):  # a photo alone answers too
        text = turn.t("officer_photo_only", reporter_lang(turn, ticket)) if step == "reply" else "-"
    if ticket is None or not text:
        turn.reset_flow()
        return
    if step in _STEP_COMMANDS and _STEP_WITHDRAWN.match(plain(text)):
        # "batal dulu, belum selesai ternyata" after "/selesai WRG-…" asked for the note, "eh salah tiket, maksudnya
        # yang jembatan" after "/balas WRG-…" (forty-first trial: marked done with those words, sent to the reporter):
        # nothing is done; the one meant, named by its matter, is offered the same command in one tap
        turn.reset_flow()
        words = matter_words(_MEANT_ONE.sub(" ", plain(text))) if _MEANT_ONE.search(plain(text)) else set()
        # (one word of its matter, "yang jembatan", is enough among the open tickets this person may act on)
        wanted = [t for _, t in await _tickets_asked_after(turn, words) if t.number != ticket.number]
        command = _STEP_COMMANDS[str(step)]
        buttons = [offer_button(turn, turn.t("officer_step_meant_button", number=wanted[0].number),
                                f"/{command} {wanted[0].number}")] if len(wanted) == 1 else []
        turn.say("officer_step_withdrawn", buttons, number=ticket.number)
        return
    if step == "reply" and await _confirm_reply_after_other(turn, ticket, text):
        return
    if step in ("reply", "done") and speaks_of_reporter(text):
        # "pelapor marah-marah terus, gimana ini?" after "/selesai WRG-…" asked for the note (thirty-third trial: it
        # became the closing note, sent to that reporter): words about the reporter, asked of us, wait for a tap
        _hold_step_text(turn, ticket, str(step), text, f"{about_reporter_key(text)}_{step}")
        return
    if step in ("reply", "done") and staff_asides.asked_of_service(turn, text):
        # "berapa aduan saya yang lewat tenggat?", "bagaimana cara lihat foto dari pelapor?" typed after "/balas WRG-…"
        # asked for the answer (thirty-fourth trial: sent to the reporter): held with a button, and answered
        _hold_step_text(turn, ticket, str(step), text, f"officer_asks_us_{step}")
        if not await staff_asides.answer(turn, text):
            if asks_overdue_list(text, counting=True):
                await show_overdue_count(turn)
            elif turn.identity.opd_id and (report_card.asks_satisfaction(text) or report_card.performance_asked(text)):
                await report_card.send_ranking(turn, text, only=turn.identity.opd_id)  # "berapa rating saya?"
            else:
                turn.say("officer_asks_us_again")
        return
    if step in _STEP_COMMANDS and _pending_is_stale(turn):
        to = f" {turn.state.get('to')}" if step == "transfer" else ""
        _hold_step_text(turn, ticket, str(step), text, f"officer_pending_confirm_{step}", to)
        return
    if step == TRANSFER_TO_STEP:
        await _transfer_to_typed(turn, ticket, text)
    elif step == "reply":
        await relay_reply(turn, ticket, text, photos)
    elif step == "done" and not is_open(ticket):  # finished by a colleague since the note was asked for
        turn.reset_flow()
        turn.say("ticket_closed", number=ticket.number, status=status_name(turn, ticket.status))
    elif step == "done":
        await cmd_done.handler(turn, f"{ticket.number} {text}")
    elif step == "transfer":
        await _transfer(turn, ticket, str(turn.state.get("to") or ""), text)
    elif step == DISPOSE_STEP:  # the regent's instruction asked after "/disposisi WRG-… dinas-pupr"
        from actions.regent import cmd_dispose  # (actions.regent builds on this module)

        await cmd_dispose.handler(turn, f"{ticket.number} {turn.state.get('to') or ''} {text}")
    else:
        turn.reset_flow()


DISPOSE_STEP = "dispose"


async def finished_meanwhile(turn: Turn, text: str) -> bool:
    """The closing note awaited ("/selesai WRG-…" pressed) for a ticket a colleague finished since (thirty-ninth trial:
    "pelapornya siapa ya? minta nomor hp nya" was offered as its closing note): the step dropped and that said.
    False for anything else, and for a command or another ticket named."""
    number = turn.state.get("target")
    if (turn.state.get("flow") != "officer" or turn.state.get("step") != "done" or not isinstance(number, str)
            or text.startswith("/") or find_ticket_number(text)):
        return False
    ticket = await turn.store.get_ticket(number)
    if ticket is None or is_open(ticket):
        return False
    turn.reset_flow()
    turn.say("ticket_closed", number=ticket.number, status=status_name(turn, ticket.status))
    return True


async def question_for_reason(turn: Turn, text: str) -> bool:
    """A question typed where a transfer's reason was asked ("siapa saja petugas pupr yang aktif?": thirty-seventh
    trial, the transfer done with it as its reason): held with a button that makes it the reason after all, and the
    step dropped, so the question is answered as any staff message is. False for anything else."""
    number = turn.state.get("target")
    if (turn.state.get("flow") != "officer" or turn.state.get("step") != "transfer" or not isinstance(number, str)
            or not is_question(text) or find_ticket_number(text) or staff_photos(turn)):
        return False
    ticket = await turn.store.get_ticket(number)
    if ticket is None:
        return False
    _hold_step_text(turn, ticket, "transfer", text, "officer_asks_us_transfer", f" {turn.state.get('to') or ''}")
    return True


def _hold_step_text(turn: Turn, ticket: Ticket, step: str, text: str, key: str, to: str = "") -> None:
    """The text a step waited for, not taken: said back under `key` with a button that sends it as the step's
    command would ("Ya, tandai … selesai") and one that drops it."""
    turn.reset_flow()
    payload = f"/{_STEP_COMMANDS[step]} {ticket.number}{to} {text}"
    turn.say(key, [offer_button(turn, turn.t(f"officer_pending_yes_{step}", number=ticket.number), payload),
                   turn.button("officer_pending_no", "/batal")],
             number=ticket.number, text=shown_words(text))

# "pelapor marah-marah terus, gimana ini?", "warganya ngeyel pak, harus gimana?": the reporter spoken of in the
# third person, and a question asked of us; never words for that reporter
_OF_REPORTER = re.compile(r"\b(?:pelapor|pelapornya|warganya|warga\s+ini|warga\s+tersebut|the\s+(?:reporter|resident|"
                          r"complainant))\b")


_ADDRESSED = re.compile(r"\b(?:bapak|ibu|bpk|pak|bu|sdr|saudara|saudari|yth|kepada|dear)\s+(?:pelapor|warga)\b")


# "pelapornya gak bisa dihubungi, tiketnya saya tutup aja ya?", "the reporter doesn't answer" (forty-first trial: told
# how to meet a disappointed reporter)
_UNREACHABLE = re.compile(r"\b(?:tidak|tdk|gak|ga|gk|nggak|ngga|enggak|belum|blm)\s+(?:bisa\s+|pernah\s+|mau\s+)?"
                          r"(?:dihubungi|menjawab|jawab|dijawab|membalas|balas|bales|merespon\w*|respon\w*|aktif|"
                          r"nyambung|diangkat|ngangkat|ada\s+kabar)\b|\b(?:doesn'?t|does\s+not|won'?t|never)\s+"
                          r"(?:answer|reply|respond)\w*\b|\bunreachable\b|\bno\s+(?:answer|reply|response)\b")


def about_reporter_key(text: str) -> str:
    """The text key (less its step) for words about a reporter held back: one who cannot be reached, or any other."""
    return "officer_reporter_unreachable" if _UNREACHABLE.search(plain(text)) else "officer_about_reporter"


def speaks_of_reporter(text: str) -> bool:
    """(Not "bapak pelapor, apakah jalannya masih rusak?": the reporter addressed.)"""
    # ("pelapornya siapa ya? minta nomor hp nya": its "?" is not at the end)
    return (is_question(text) or "?" in text) and bool(_OF_REPORTER.search(_ADDRESSED.sub(" ", plain(text))))


def ask_instruction(turn: Turn, number: str, opd: Opd) -> None:
    """`/disposisi WRG-… dinas-pupr` without an instruction: the regent's next words are its instruction ("segera
    ditangani, lapor ke saya besok"); one tap sends it without one."""
    _await_text(turn, DISPOSE_STEP, number, to=opd.id)
    turn.say("disposition_ask_instruction",
             [offer_button(turn, turn.t("disposition_without_instruction"), f"/disposisi {number} {opd.id} -")],
             number=number, opd=opd.name)


async def others_written_since_asked(turn: Turn, ticket: Ticket) -> list[Ticket]:
    """The other open tickets of this officer whose reporters wrote to them after they pressed "Balas" on `ticket`
    (their words reached the officer while the answer was being written), the latest first."""
    asked = turn.state.get(ASKED_SEQ_KEY)
    recent = turn.state.get(LAST_IN_KEY)
    if not isinstance(asked, int) or not isinstance(recent, list):
        return []  # asked by an earlier release: as before
    found: list[Ticket] = []
    for entry in recent:
        since = isinstance(entry, dict) and isinstance(entry.get("seq"), int) and entry["seq"] > asked
        other = await turn.store.get_ticket(str(entry.get("number"))) if since else None
        if other is not None and other.number != ticket.number and can_act(turn, other) and is_open(other):
            found.append(other)
    return found


async def _confirm_reply_after_other(turn: Turn, ticket: Ticket, text: str) -> bool:
    """The officer pressed "Balas" on one ticket, then another ticket's reporter wrote to them ("pak tolong cepat,
    sudah ada motor yang jatuh"), then they typed their answer: it may be for either, so it is not sent at once;
    a button per ticket (topic and place shown) sends it. The ticket the words name ("…langsung ke jembatan") comes
    first, and a typed "ya" takes it. False (send as usual) when no other reporter wrote since."""
    others = await others_written_since_asked(turn, ticket)
    if not others:
        return False
    wanted = matter_words(text)

    def named(t: Ticket) -> int:
        return len(wanted & matter_words(f"{t.text} {location_text(turn, t)} {topic_name(turn, t.topic)}"))

    choices = sorted([ticket, *others], key=lambda t: -named(t))  # a tie keeps the ticket "Balas" was pressed on
    turn.reset_flow()
    lines = "\n".join(which_line(turn, t) for t in choices)
    buttons = [Button(turn.t("reply_which_button", number=t.number, topic=topic_name(turn, t.topic)),
                      hold_photos(turn, f"/balas {t.number} {text}")) for t in choices]
    offer_yes(turn, buttons[0].payload, buttons[0].title)
    turn.say("reply_which_after_other", [*buttons, turn.button("officer_pending_no", "/batal")],
             number=ticket.number, others=", ".join(t.number for t in others), tickets=lines,
             text=shown_words(text))
    return True


async def _transfer_to_typed(turn: Turn, ticket: Ticket, text: str) -> None:
    """The OPD typed after "/alihkan WRG-2612-0001" listed them ("dlh", or "dlh sampah pasar" with the reason): the
    transfer goes on as the OPD's button does (the reason is asked next). A slip of an id ("dhl") gets the near
    OPD's button; other words are not taken for an OPD, and are never sent anywhere."""
    turn.reset_flow()
    if names_transfer_target(turn, text):
        await cmd_transfer.handler(turn, f"{ticket.number} {text}")
        return
    if len(text.split()) == 1 and turn.directory.near_opd(text) is not None:
        say_unknown_opd(turn, text[:40], f"/alihkan {ticket.number}", "", exclude=ticket.opd_id)
        return
    turn.say("transfer_target_not_read", number=ticket.number)


def staff_help(turn: Turn) -> str:
    if turn.identity.role == ROLE_REGENT:  # the regent's own list: every OPD, the summary, /disposisi, /ingatkan
        return turn.t("regent_help")
    if turn.identity.role == ROLE_OPERATOR:  # every OPD's queue, the summary, triage; never "back to the operator"
        return turn.t("operator_help")
    return turn.t("officer_help")


_NAME = re.compile(r"^[^\W\d_][\w .,'’-]{1,59}$")


@command("nama", roles=EVERY_ROLE | {ROLE_COMPANION}, usage="/nama Nama Lengkap")  # a village official too
async def cmd_name(turn: Turn, args: str) -> None:
    """The name colleagues and the desk show for this person (staff enrolled on the web chat have none)."""
    name = " ".join(args.split())
    if not _NAME.match(name) or find_ticket_number(name):
        turn.say("name_ask")
        return
    turn.identity.name = name
    if not any(i.key == turn.identity.key for i in turn.changes.identities):
        turn.changes.identities.append(turn.identity)
    turn.state[NAME_CHOSEN_KEY] = True
    turn.say("name_saved", name=name)


#: Commands an officer may type without the slash (or glued to the number) before a ticket number.
BARE_COMMANDS = {"balas": cmd_reply, "selesai": cmd_done, "proses": cmd_in_progress, "alihkan": cmd_transfer,
                 "info": cmd_info}

COMMANDS = [cmd_enrol, cmd_link_group, cmd_queue, cmd_info, cmd_reply, cmd_in_progress, cmd_done,
            cmd_reopen_by_office, cmd_priority,
            cmd_transfer, cmd_undo_transfer, cmd_triage, cmd_route, cmd_reload, cmd_invite, cmd_name,
            *duplicates.COMMANDS]
