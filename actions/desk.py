"""What officers do only from the web desk: ask the resident for information, assign a ticket to a named
officer of its OPD, and the OPDs' canned replies (content/canned_replies.yml).

The chat commands' rules stay in actions/officer.py and actions/regent.py (reply, in progress, done,
transfer, dispose); the desk calls them with the signed-in staff member as the actor.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from actions.base import Turn
from actions.common import (
    identity_can_act,
    is_group,
    opd_recipients,
    push_to_lapor,
    staff_label,
    staff_lang,
    ticket_card,
)
from actions.officer import acting_name, chat_identity, send_to_resident
from bot.message import Reply
from bot.store.base import ROLE_OFFICER, Identity, Ticket
from nlu import yamlio

#: The key of canned replies every OPD sees (beside its own).
CANNED_ALL = "semua"
CANNED_FILE = "canned_replies.yml"


class CannedRepliesError(ValueError):
    """content/canned_replies.yml is malformed: the message names the file and the entry."""


@dataclass(frozen=True, slots=True)
class CannedReply:
    """A ready answer an officer picks and edits before sending."""

    title: str
    text: str


def load_canned_replies(content_dir: Path, opd_ids: set[str]) -> dict[str, list[CannedReply]]:
    """Per OPD id (and `semua` for all) its canned replies; an absent file means none."""
    path = content_dir / CANNED_FILE
    if not path.exists():
        return {}
    try:
        raw = yamlio.safe_load(path.read_text(encoding="utf-8")) or {}
    except yaml.YAMLError as exc:
        raise CannedRepliesError(f"{path}: not valid YAML: {exc}") from None
    if not isinstance(raw, dict):
        raise CannedRepliesError(f"{path}: expected a mapping of OPD id to a list of replies")
    out: dict[str, list[CannedReply]] = {}
    for opd_id, entries in raw.items():
        where = f"{path}: {opd_id}"
        if opd_id != CANNED_ALL and opd_id not in opd_ids:
            raise CannedRepliesError(f"{where}: unknown OPD id (known: {CANNED_ALL}, {', '.join(sorted(opd_ids))})")
        if not isinstance(entries, list):
            raise CannedRepliesError(f"{where}: expected a list of {{title, text}}")
        replies = []
        for n, entry in enumerate(entries, 1):
            title, text = (entry.get("title"), entry.get("text")) if isinstance(entry, dict) else (None, None)
            if not isinstance(title, str) or not isinstance(text, str) or not title.strip() or not text.strip():
                raise CannedRepliesError(f"{where}, entry {n}: needs a non-empty `title` and `text`")
            replies.append(CannedReply(title.strip(), text.strip()))
        out[str(opd_id)] = replies
    return out


def canned_for(canned: dict[str, list[CannedReply]], opd_id: str | None) -> list[CannedReply]:
    """The replies an OPD's ticket offers: the OPD's own first, then those for all."""
    return [*canned.get(opd_id or "", []), *canned.get(CANNED_ALL, [])]


async def ask_for_information(turn: Turn, ticket: Ticket, question: str) -> None:
    """Ask the resident for more information; their answer (a plain reply) comes back to the ticket.

    Kept as an outgoing message (`message_out` with `ask`), so it counts as a response like a reply.
    """
    turn.event(ticket, "message_out", question, opd=turn.identity.opd_id, role=turn.identity.role, ask=True)
    by = acting_name(turn, ticket, "id")
    push_to_lapor(turn, ticket, turn.t("lapor_followup_question", "id", by=by, text=question), by)
    await send_to_resident(  # who asks is named as the resident knows them (the OPD, the regent, the service)
        turn, ticket, lambda lang: turn.t("desk_ask_to_resident", lang, opd=acting_name(turn, ticket, lang),
                                          number=ticket.number, text=question),
        f"ask:{ticket.number}")
    await tell_colleagues_of_question(turn, ticket, question)
    turn.say("desk_asked", number=ticket.number)


async def tell_colleagues_of_question(turn: Turn, ticket: Ticket, question: str) -> None:
    """The officer the ticket is assigned to sees what a colleague asked its reporter (the answer comes to them
    without the question otherwise); an unassigned ticket's OPD sees it as it sees a colleague's reply. Not the
    one who asked, from the desk or their chat."""
    mine = {turn.identity.key, await chat_identity(turn, turn.identity.key)}
    assignee = ticket.extra.get("assignee")
    if isinstance(assignee, dict) and isinstance(assignee.get("key"), str):
        told = [assignee["key"]]
    else:
        told = await opd_recipients(turn, ticket.opd_id) if ticket.opd_id else []
    for to in told:
        if to in mine or await chat_identity(turn, to) in mine:
            continue
        lang = await staff_lang(turn, to)
        notice = turn.t("desk_ask_seen_by_colleague", lang, number=ticket.number,
                        by=await acting_staff(turn, lang), text=question)
        turn.deliver(to, [Reply(notice, ticket=ticket.number)], f"ask-by:{ticket.number}")


async def acting_staff(turn: Turn, lang: str) -> str:
    """The desk's signed-in staff member as colleagues know them: by the name they gave, else role, OPD and the end
    of the chat id they enrolled with (the one /petugas lists), not the web session's own."""
    origin = await chat_identity(turn, turn.identity.key)
    person = await turn.store.get_identity(origin) if origin != turn.identity.key else None
    if person is None or person.role != turn.identity.role:
        person = turn.identity
    return staff_label(turn, person, lang)


async def assignable_officers(turn: Turn, opd_id: str | None, shadow_of: Any) -> list[Identity]:
    """The named officers of an OPD a ticket can be assigned to: enrolled chat identities, no group chats
    and not the web sessions staff sign in with (`shadow_of(key)` names a chat identity's web one)."""
    if not opd_id:
        return []
    officers = [i for i in await turn.store.list_identities(ROLE_OFFICER, opd_id) if not is_group(i.key)]
    shadows = {shadow_of(i.key) for i in officers}
    return [i for i in officers if i.key not in shadows]


async def assign(turn: Turn, ticket: Ticket, officer: Identity) -> bool:
    """Assign `ticket` to `officer` (of the ticket's OPD): kept on the ticket and in its history, and the
    officer gets the ticket's card in their chat. False (and said why) when the officer cannot take it."""
    if officer.role != ROLE_OFFICER or not identity_can_act(officer, ticket.opd_id, ticket.kind):
        turn.say("desk_assign_bad", number=ticket.number)
        return False
    name = staff_label(turn, officer)  # ("webchat", the channel, for an officer who gave no name)
    ticket.extra["assignee"] = {"key": officer.key, "name": name}
    turn.save_ticket(ticket)
    turn.event(ticket, "assigned", None, to=officer.key, name=name)
    if officer.key not in (turn.identity.key, await chat_identity(turn, turn.identity.key)):  # oneself: no message
        lang = await staff_lang(turn, officer.key)
        note = Reply(turn.t("desk_assigned_to_officer", lang, number=ticket.number,
                            by=await acting_staff(turn, lang)), ticket=ticket.number)  # who, not "petugas"
        turn.deliver(officer.key, [note, *await ticket_card(turn, ticket, lang)], f"assign:{ticket.number}")
    turn.say("desk_assigned", number=ticket.number, name=name)
    return True
