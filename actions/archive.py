"""Archiving a report that cannot be followed up (SP4N-LAPOR!'s "diarsipkan"): `/arsipkan TIKET [luar_xxx] alasan`
(alias `/arsip`, `/archive`) closes a ticket that is not the government's business (electricity from PLN, a private
dispute) with its own status, `diarsipkan`. It is never counted as resolved nor open in the digest, the dashboard or
the report card (the stores count only `selesai`/`ditutup` as resolved and OPEN_STATUSES as open), and no rating is
asked. The reporter hears the reason and where to go instead (the directory's `external` matter when one is named
or is the ticket's topic); "lho kok ditutup?" afterwards gets the same again, with a way to ask the regent.
Operators and the regent may archive; officers send the ticket back to triage instead (`/alihkan TIKET triase`).
"""

from __future__ import annotations

import re
from datetime import timedelta

from actions import duplicates
from actions import understand as u
from actions.base import Command, Turn, command, find_ticket_number
from actions.common import format_date, staff_label, worded
from actions.officer import EVERY_ROLE, load_actionable, offer_yes, read_number, tell_opd_of_change, viewed_ticket
from bot.directory import ExternalMatter
from bot.message import Button, Reply
from bot.store.base import (
    OPEN_STATUSES,
    ROLE_OPERATOR,
    ROLE_REGENT,
    STATUS_ARCHIVED,
    STATUS_TRIAGE,
    Ticket,
    TicketQuery,
)

ARCHIVE_KEY = "archived"  # ticket.extra: {"reason", "external", "by", "at"}
USAGE = "/arsipkan TIKET [luar_pln] alasan"
ASKED_DAYS = 30  # "kok ditutup?" is answered for tickets archived this recently
#: Who may archive, in the chat and on the desk: officers send a ticket back to triage instead.
ARCHIVE_ROLES = (ROLE_OPERATOR, ROLE_REGENT)


def _external(turn: Turn, ticket: Ticket, word: str) -> ExternalMatter | None:
    """The outside matter a word names ("luar_pln", "pln"), else the one that is the ticket's topic."""
    external = turn.directory.external
    wanted = word.lower()
    for key, matter in external.items():
        if wanted and wanted in (key, key.removeprefix("luar_")):
            return matter
    return external.get(ticket.topic or "")


def where_to_go(turn: Turn, ticket: Ticket, lang: str) -> str:
    """Where the reporter of an archived ticket can go instead: the named outside matter's words, else SP4N-LAPOR!."""
    archived = ticket.extra.get(ARCHIVE_KEY)
    key = archived.get("external") if isinstance(archived, dict) else None
    matter = turn.directory.external.get(str(key)) if key else None
    if matter is not None:
        how = matter.how.get(lang) or matter.how.get("id", "")
        return turn.t("archive_where_external", lang, name=matter.name, how=how)
    return turn.t("archive_where_general", lang)


@command("arsipkan", roles=EVERY_ROLE, usage=USAGE)
async def cmd_archive(turn: Turn, args: str) -> None:
    """Close a ticket outside the government's authority as archived, with the reason and where to go instead."""
    if turn.identity.role not in ARCHIVE_ROLES:
        turn.say("archive_not_allowed", number=args.split()[0] if args.split() else "TIKET")
        return
    if (found := await read_number(turn, args, "/arsipkan")) is None:
        return
    number, rest = found
    ticket = await load_actionable(turn, number, USAGE, open_only=True)
    if ticket is None:
        return
    head, _, tail = rest.strip().partition(" ")
    named = _external(turn, ticket, head) if head else None
    key = next((k for k, m in turn.directory.external.items() if m is named), None)
    reason = tail.strip() if named is not None and head.lower() in (key, (key or "").removeprefix("luar_")) \
        else rest.strip()
    if not reason:
        turn.say("archive_reason_ask", number=ticket.number, externals=", ".join(turn.directory.external))
        return
    await archive_ticket(turn, ticket, reason, key)


async def archive_ticket(turn: Turn, ticket: Ticket, reason: str, key: str | None) -> None:
    """Archive an open `ticket` the identity may act on (`ARCHIVE_ROLES`), with the reason the reporter is sent and
    the outside matter (`key`, content's `external`) it belongs to, if one: the chat's /arsipkan and the desk's
    "Arsipkan" (bot/desk/views.py)."""
    from_opd = ticket.opd_id
    ticket.status = STATUS_ARCHIVED
    ticket.closed_at = turn.now
    ticket.extra[ARCHIVE_KEY] = {"reason": reason, "external": key, "by": turn.identity.key, "at": turn.now.isoformat()}
    turn.save_ticket(ticket)
    turn.event(ticket, "status", reason, status=STATUS_ARCHIVED, closure="outside_authority",
               **({"external": key} if key else {}))
    await _tell_reporter(turn, ticket, reason)
    for joined in await duplicates.followers_of(turn, ticket):  # the same matter, reported by others: alike
        joined.status, joined.closed_at = STATUS_ARCHIVED, turn.now
        joined.extra[ARCHIVE_KEY] = dict(ticket.extra[ARCHIVE_KEY])
        turn.save_ticket(joined)
        turn.event(joined, "status", reason, status=STATUS_ARCHIVED, closure="outside_authority",
                   joined_to=ticket.number, **({"external": key} if key else {}))
        if joined.reporter != ticket.reporter:
            await _tell_reporter(turn, joined, reason)
    await tell_opd_of_change(turn, from_opd, ticket.number, worded(turn, ticket, "archive_to_officer"), "archived-by",
                             reason)
    turn.reset_flow()
    turn.say(worded(turn, ticket, "archive_done"), number=ticket.number, where=where_to_go(turn, ticket, turn.lang))


async def _tell_reporter(turn: Turn, ticket: Ticket, reason: str) -> None:
    reporter = await turn.store.get_identity(ticket.reporter)
    lang = reporter.lang if reporter else ticket.lang or "id"
    said = worded(turn, ticket, "archive_to_resident")  # a question is told as one ("Pertanyaan *WRG-…*")
    turn.deliver(ticket.reporter, [Reply(turn.t(said, lang, number=ticket.number, reason=reason,
                                                where=where_to_go(turn, ticket, lang)),
                                         (Button(turn.t("archive_ask_regent_button", lang), "/bupati"),),
                                         ticket=ticket.number)],
                 f"archived:{ticket.number}")


def archive_reason(ticket: Ticket) -> str:
    """The reason an archived ticket was archived with ("" when none was kept)."""
    info = ticket.extra.get(ARCHIVE_KEY)
    return str(info.get("reason") or "") if isinstance(info, dict) else ""


async def archived_by(turn: Turn, ticket: Ticket, lang: str) -> str:
    """Who archived a ticket, as staff read it (their name, else role and the end of their id); "operator" when
    the record names nobody still enrolled."""
    info = ticket.extra.get(ARCHIVE_KEY)
    key = str(info.get("by") or "") if isinstance(info, dict) else ""
    who = await turn.store.get_identity(key) if key else None
    return staff_label(turn, who, lang) if who is not None else turn.t("role_operator", lang)


# "lho kok ditutup, terus gimana pak?", "kenapa laporan saya diarsipkan?", "trus saya harus kemana?"
# (not a bare "kenapa" or "kok": "kenapa jalan di desa puri belum diperbaiki" is a new complaint)
_ASKS_WHY_CLOSED = re.compile(r"\b(?:ditutup|tutup|ditolak|diarsipkan|diarsip|arsip|(?:terus|trus|lalu|lha)\s+"
                              r"(?:gimana|gmn|bagaimana|piye|pripun)|(?:harus|mesti|kudu)\s+(?:kemana|ke\s+mana|"
                              r"lapor\s+ke\s+mana|lapor\s+kemana))\b")


_OWN_COMPLAINT = re.compile(r"\b(?:aduan|laporan|pengaduan|tiket|keluhan)(?:nya)?\s+(?:saya|sy|aku|kami|ku)\b"
                            r"|\b(?:aduan|laporan)ku\b|\bmy\s+(?:complaint|report)\b")


async def answer_why_archived(turn: Turn, text: str) -> bool:
    """A reporter asking about a ticket of theirs archived lately: the reason and where to go again, and a button
    to write to the regent. False when the words do not ask that or no ticket of theirs was archived."""
    low = u.plain(text)
    if len(low.split()) > 14 or not _ASKS_WHY_CLOSED.search(low):
        return False
    recent = await turn.store.recent_tickets(turn.identity.key, 3)
    if not recent and _OWN_COMPLAINT.search(low):
        # "min, kok aduan saya ditolak?" with none from this chat (thirty-ninth trial: offered to the offices as a
        # question): none is found here, and where to look
        turn.say("my_tickets_none", turn.menu_buttons())
        return True
    archived = [t for t in recent if t.status == STATUS_ARCHIVED and t.closed_at is not None
                and t.closed_at >= turn.now - timedelta(days=ASKED_DAYS)]
    if not archived or any(t.status in OPEN_STATUSES and t.created_at > archived[0].created_at for t in recent):
        return False
    ticket = archived[0]
    turn.say(worded(turn, ticket, "archive_why"), [turn.button("archive_ask_regent_button", "/bupati")],
             number=ticket.number, reason=archive_reason(ticket), where=where_to_go(turn, ticket, turn.lang),
             date=format_date(turn, ticket.closed_at))
    return True


# "/arsip WRG-… alasan": the short form, the same command
# "eh itu sebenarnya urusan polisi, bukan pemda", "ini wewenang PLN": a complaint outside the government's authority,
# by whose it is (forty-second trial, the operator after /triase: the help)
_OUTSIDE_SAID = re.compile(
    r"\b(?:urusan|urusannya|wewenang|wewenangnya|kewenangan|kewenangannya|ranah|ranahnya|tugas|tugasnya|bagian|"
    r"bagiannya|masuk)\s+(?:\S+\s+)?(?P<who>polisi|kepolisian|polres|polsek|polda|pln|bpn|pertanahan|bpjs|imigrasi|"
    r"jalan\s+nasional|bbpjn)\b")
_WHOSE = {"polisi": "luar_polisi", "kepolisian": "luar_polisi", "polres": "luar_polisi", "polsek": "luar_polisi",
          "polda": "luar_polisi", "pln": "luar_pln", "bpn": "luar_pertanahan", "pertanahan": "luar_pertanahan",
          "bpjs": "luar_bpjs", "imigrasi": "luar_imigrasi", "jalan nasional": "luar_jalan_nasional",
          "bbpjn": "luar_jalan_nasional"}
OUTSIDE_SAID_WORDS = 20


async def archive_in_words(turn: Turn, text: str) -> bool:
    """The operator's or the regent's words that a complaint is another authority's ("eh itu sebenarnya urusan
    polisi, bukan pemda"): its archiving as outside the regency's authority, with those words as the reason, offered
    in one tap for the ticket named, the one opened last, or the only one waiting in triage. False otherwise."""
    low = u.plain(text)
    found = _OUTSIDE_SAID.search(low) if turn.identity.role in ARCHIVE_ROLES else None
    if found is None or len(low.split()) > OUTSIDE_SAID_WORDS or u.is_question(text):
        return False
    key = _WHOSE.get(" ".join(found.group("who").split()))
    if key not in turn.directory.external:
        return False
    number = find_ticket_number(text) or viewed_ticket(turn)
    if number is None:
        waiting = await turn.store.list_tickets(TicketQuery(statuses=(STATUS_TRIAGE,), limit=2))
        number = waiting[0].number if len(waiting) == 1 else None
    ticket = await turn.store.get_ticket(number) if number else None
    if ticket is None or ticket.status not in OPEN_STATUSES:
        return False
    # (the reporter reads a plain reason, not the staff's aside; where to go instead follows it)
    outside = turn.directory.external[key].name
    reason = turn.t("archive_in_words_reason", ticket.lang or "id", outside=outside)
    payload = offer_yes(turn, f"/arsipkan {ticket.number} {key} {reason}"[:900])
    turn.say("archive_in_words_offer", [Button(turn.t("archive_in_words_button"), payload),
                                        turn.button("officer_pending_no", "/batal")],
             number=ticket.number, outside=outside, text=reason)
    return True


cmd_archive_short = Command("arsip", cmd_archive.handler, cmd_archive.roles, USAGE)

COMMANDS = [cmd_archive, cmd_archive_short]
