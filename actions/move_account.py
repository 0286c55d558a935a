"""A resident whose phone was lost or whose number changed follows their complaint from the new account.

"hp saya hilang, nomor wa ganti, aduan saya gimana?" from an account that never reported anything: a complaint is
followed only from its reporter's account, so the resident is offered a request to move it (`/pindah_akun
[TIKET]`). The request goes to the operators as a ticket of its own (in triage, `extra.request = "pindah_akun"`): they
ask, with "Balas", what only the reporter knows (what was reported, where, when) and, once sure, move it with
`/pindahkan_pelapor PERMINTAAN [TIKET]`. Nobody names an account: the new one is the request's sender, the old one
the ticket's reporter, and the old account is told (if it was not its owner who asked, they can say so). Letter
requests are not moved here (their NIK data is checked at the village office).
"""

from __future__ import annotations

import re
from datetime import timedelta

from actions import understand as u
from actions.base import Turn, command, find_ticket_number
from actions.common import LETTER_KIND, staff_lang, subject_name
from bot.message import Button, Reply
from bot.store.base import (
    OPEN_STATUSES,
    ROLE_OPERATOR,
    ROLE_RESIDENT,
    STATUS_CLOSED,
    STATUS_TRIAGE,
    Ticket,
    TicketQuery,
)

REQUEST = "pindah_akun"  # Ticket.extra["request"] of a request to move a complaint to its sender's account
OFFER_KEY = "move_offer"  # conversation state: the words and ticket number of an offered request
MAX_WORDS = 30
MAX_OPEN = 3  # requests one account may have waiting at once
AGAIN = timedelta(days=1)  # a closed request still moves the sender's other complaints this long
# "nomor wa saya ganti", "hp saya hilang", "ini nomor baru saya", "I changed my number", "lost my phone"
_CHANGED = re.compile(
    r"\b(?:ganti|pindah|berubah|baru)\s+(?:nomor|nomer|no|hp|akun|wa|whatsapp)\b"
    r"|\b(?:nomor|nomer|no|hp|akun|wa|whatsapp|telegram)\s+(?:hp\s+|wa\s+)?(?:saya\s+|sy\s+|lama\s+|lamaku\s+)?"
    r"(?:ganti|diganti|berubah|baru|hilang|ilang|dicuri|rusak|hangus|tidak\s+aktif|gak\s+aktif|ga\s+aktif|mati)\b"
    r"|\bhp\s+(?:saya\s+|sy\s+)?(?:hilang|ilang|dicuri|rusak|kecopetan)\b"
    r"|\b(?:new|changed?\s+my|lost\s+my|my\s+old)\s+(?:phone|number|account)\b"
    r"|" + r"(?P<channel>"
    # "saya mau pindah ke telegram saja, bisa?", "can I continue on WhatsApp?" (thirty-fourth trial: passed to the
    # officer as the answer to their question)
    r"\b(?:pindah|ganti|lanjut|lanjutkan|beralih|pakai|pake)\s+(?:ke\s+|lewat\s+|via\s+|pakai\s+)?(?:telegram|tele|wa|whatsapp|"
    r"sms)\b|\b(?:switch|move|continue)\s+(?:to|on)\s+(?:telegram|whatsapp|sms)\b)"
)
_ABOUT_REPORT = re.compile(r"\b(?:aduan\w*|laporan\w*|lapor|tiket\w*|pengaduan|complaint|report|ticket)\b")


def says_changed_account(text: str) -> bool:
    low = u.plain(text)
    return (len(low.split()) <= MAX_WORDS and bool(_CHANGED.search(low))
            and (bool(_ABOUT_REPORT.search(low)) or find_ticket_number(text) is not None
                 or (len(low.split()) <= NUMBER_ONLY_WORDS and bool(_NUMBER_WORD.search(low)))))


NUMBER_ONLY_WORDS = 15
# "nomor hp saya ganti pak", "saya mau ganti nomor hp, yang lama hilang": the number or account is named, no report
_NUMBER_WORD = re.compile(r"\b(?:nomor|nomer|no|akun|wa|whatsapp|telegram|number|account)\b")


async def offer(turn: Turn, text: str) -> None:
    """Explain, and offer the request (for the ticket named, or for the one the operators will find from the words).
    Said with no report named: from an account with complaints of its own, how to follow them from a new number; else
    that a new number needs no sign-up, and the request for a complaint made from the old one."""
    number = find_ticket_number(text)
    if number is not None and _not_movable(turn, await turn.store.get_ticket(number), number):
        return
    if (found := _CHANGED.search(u.plain(text))) is not None and found.group("channel"):
        # another channel: write from it, and the complaints follow once the operators are sure
        own = [t for t in await turn.store.list_tickets(TicketQuery(reporter=turn.identity.key, limit=20))
               if t.extra.get("request") != REQUEST]
        newest = max(own, key=lambda t: t.created_at).number if own else None
        turn.say("move_to_channel" if newest else "move_to_channel_none", turn.menu_buttons(), number=newest)
        return
    if number is None and not _ABOUT_REPORT.search(u.plain(text)):
        own = [t for t in await turn.store.list_tickets(TicketQuery(reporter=turn.identity.key, limit=20))
               if t.extra.get("request") != REQUEST]
        if own:
            latest = max(own, key=lambda t: t.created_at)
            turn.say("move_from_this_account", turn.menu_buttons(), number=latest.number)
            return
    turn.state[OFFER_KEY] = {"text": text.strip()[:1000], "number": number}
    payload = f"/pindah_akun {number}" if number else "/pindah_akun"
    key = "move_explain_number" if number else "move_explain" if _ABOUT_REPORT.search(u.plain(text)) \
        else "move_explain_new_number"
    turn.say(key, [turn.button("move_request_button", payload), turn.button("cancel_button", "/batal")],
             number=number)


def _not_movable(turn: Turn, ticket: Ticket | None, number: str) -> bool:
    """Say why `ticket` needs no request (it is this account's already) or cannot have one (a letter request)."""
    if ticket is not None and ticket.reporter == turn.identity.key:
        turn.say("move_already_yours", turn.menu_buttons(), number=number)
        return True
    if ticket is not None and ticket.kind == LETTER_KIND:
        turn.say("move_not_letters", number=number)
        return True
    return False


@command("pindah_akun", roles=(ROLE_RESIDENT,), usage="/pindah_akun [TIKET]")
async def cmd_move_request(turn: Turn, args: str) -> None:
    """File the request with the operators: the ticket named (or none), and what the resident wrote."""
    from actions.complaint import new_ticket_number  # complaint imports this package's modules: lazy
    from actions.sla import triage_deadline

    offered = turn.state.pop(OFFER_KEY, None)
    offered = offered if isinstance(offered, dict) else {}
    number = find_ticket_number(args) or offered.get("number")
    words = str(offered.get("text") or args or "").strip() or turn.t("move_no_words")
    target = await turn.store.get_ticket(str(number)) if number else None
    if number and target is None:
        turn.say("status_not_found", number=number)
        return
    if number and _not_movable(turn, target, number):
        return
    mine = await turn.store.list_tickets(TicketQuery(reporter=turn.identity.key, statuses=tuple(OPEN_STATUSES)))
    asked = [t for t in mine if t.extra.get("request") == REQUEST]
    if any(t.extra.get("ticket") == number for t in asked):
        turn.say("move_already_asked", number=number or "-")
        return
    if len(asked) >= MAX_OPEN:  # the operators check each by hand: a few at a time
        turn.say("move_too_many", numbers=", ".join(t.number for t in asked))
        return
    request = Ticket(
        number=await new_ticket_number(turn), kind="aduan", topic=None, opd_id=None, status=STATUS_TRIAGE,
        text=words, reporter=turn.identity.key, created_at=turn.now, updated_at=turn.now,
        due_at=triage_deadline(turn.services, turn.now), privacy="rahasia", lang=turn.lang,
        extra={"request": REQUEST, "ticket": number, "channel": turn.message.channel},
    )
    turn.save_ticket(request)
    turn.event(request, "created", request.text)
    for key in await _operators(turn):
        lang = await staff_lang(turn, key)
        about = turn.t("move_card_ticket", lang, number=number,
                       subject=subject_name(turn, target, lang)) if target else turn.t("move_card_no_ticket", lang)
        buttons = (Button(turn.t("button_reply", lang), f"/balas {request.number}"),
                   Button(turn.t("move_do_button", lang), f"/pindahkan_pelapor {request.number}"))
        turn.deliver(key, [Reply(turn.t("move_card", lang, request=request.number, about=about,
                                     channel=request.extra["channel"], text=words), buttons,
                                 ticket=request.number)], f"move:{request.number}")
    turn.state["last_ticket"] = request.number
    turn.say("move_requested", number=request.number)


async def _operators(turn: Turn) -> list[str]:
    return [i.key for i in await turn.store.list_identities(ROLE_OPERATOR)]


@command("pindahkan_pelapor", roles=(ROLE_OPERATOR,), usage="/pindahkan_pelapor PERMINTAAN [TIKET]")
async def cmd_move(turn: Turn, args: str) -> None:
    """Move a ticket to the account that asked for it, once the operator is sure the asker reported it."""
    numbers = re.findall(r"\S+", args)
    found = [find_ticket_number(n) for n in numbers]
    request = await turn.store.get_ticket(found[0]) if found and found[0] else None
    # (a request moved one complaint and closed: the same sender's other complaints may follow within a day)
    recent = request is not None and request.closed_at is not None and turn.now - request.closed_at <= AGAIN
    if request is None or request.extra.get("request") != REQUEST or not (request.status in OPEN_STATUSES or recent):
        turn.say("usage", usage="/pindahkan_pelapor PERMINTAAN [TIKET]")
        return
    number = (found[1] if len(found) > 1 else None) or request.extra.get("ticket")
    ticket = await turn.store.get_ticket(str(number)) if number else None
    if ticket is None:
        turn.say("move_which_ticket", request=request.number)
        return
    if ticket.kind == LETTER_KIND or ticket.extra.get("request") == REQUEST:
        turn.say("move_not_letters", number=ticket.number)
        return
    if ticket.reporter == request.reporter:
        turn.say("move_already_moved", number=ticket.number, request=request.number)
        return
    old = ticket.reporter
    ticket.reporter = request.reporter
    ticket.updated_at = turn.now
    moves = list(ticket.extra.get("reporter_moves") or [])
    ticket.extra["reporter_moves"] = [*moves, {"at": turn.now.isoformat(), "request": request.number}]
    turn.save_ticket(ticket)
    turn.event(ticket, "reporter_moved", None, request=request.number)
    if request.status in OPEN_STATUSES:
        request.status, request.closed_at, request.updated_at = STATUS_CLOSED, turn.now, turn.now
        turn.event(request, "status", None, status=STATUS_CLOSED)
    request.extra["moved"] = [*(request.extra.get("moved") or []), ticket.number]
    turn.save_ticket(request)
    new_lang = request.lang
    turn.deliver(request.reporter, [Reply(turn.t("move_done_new", new_lang, number=ticket.number),
                                          (Button(turn.t("menu_status", new_lang), f"/status {ticket.number}"),),
                                          ticket=ticket.number)], f"moved:{ticket.number}")
    contact = turn.directory.contact or "-"
    turn.deliver(old, [Reply(turn.t("move_done_old", ticket.lang, number=ticket.number, contact=contact),
                             ticket=ticket.number)], f"moved-old:{ticket.number}")
    turn.say("move_done_staff", number=ticket.number, request=request.number)


COMMANDS = [cmd_move_request, cmd_move]
