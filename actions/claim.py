"""An officer takes a ticket in the chat, as on the desk (Chatwoot's "assign to me"): `/ambil TIKET` (alias
`/pegang`, `/take`), or in words with the number ("saya ambil WRG-2612-0002", "WRG-2612-0002 saya yang tangani").
The ticket's assignee is then that officer: colleagues see the name in /info and on the desk, and the officer
is the one reminded. A ticket a colleague holds is not taken silently: the officer is told who has it and offered
to take it over, and the colleague hears that it was taken over.
"""

from __future__ import annotations

import re

from actions import understand as u
from actions.base import Command, Turn, command, find_ticket_number
from actions.common import staff_label, staff_lang
from actions.desk import assign
from actions.officer import load_actionable, offer_yes, read_number
from bot.message import Reply
from bot.store.base import ROLE_OFFICER

USAGE = "/ambil TIKET"
TAKE_OVER = "alih"  # `/ambil TIKET alih`: take a ticket a colleague holds
# "saya ambil WRG-…", "sy tangani", "biar saya yang pegang", "WRG-… saya yang handle", "I'll take WRG-…"
_TAKES = re.compile(
    r"\b(?:saya|sy|aku|kulo|biar\s+saya)\s+(?:yang\s+|yg\s+)?(?:ambil|tangani|pegang|handle|urus|kerjakan)\b"
    r"|\bi(?:'ll|\s+will)\s+(?:take|handle)\b|\bassign\s+(?:it\s+)?to\s+me\b")
MAX_WORDS = 12
# "WRG-… sudah saya kerjakan tapi belum selesai": the work under way, told (thirty-ninth trial: taken for "I take it")
_DONE_BY_ME = re.compile(r"\b(?:sudah|udah|sdh|telah|sempat)\s+(?:saya|sy|aku|kulo)\s+(?:yang\s+|yg\s+)?"
                         r"(?:tangani|pegang|handle|urus|kerjakan)\b")


def takes_words(low: str) -> bool:
    """Whether plain words say "I take it" ("saya ambil yang jalan di sukamaju"), a number or not."""
    return len(low.split()) <= MAX_WORDS and bool(_TAKES.search(low)) and not _DONE_BY_ME.search(low)


def without_take_words(low: str) -> str:
    return _TAKES.sub(" ", low)


def takes(text: str) -> bool:
    """Whether an officer's words say they take the ticket they name ("saya ambil WRG-2612-0002")."""
    low = u.plain(text)
    return len(low.split()) <= MAX_WORDS and bool(_TAKES.search(low)) and not u.is_question(text) \
        and find_ticket_number(text) is not None and not _DONE_BY_ME.search(low)


@command("ambil", roles=(ROLE_OFFICER,), usage=USAGE)
async def cmd_take(turn: Turn, args: str) -> None:
    if (found := await read_number(turn, args, "/ambil")) is None:
        return
    number, rest = found
    ticket = await load_actionable(turn, number, USAGE, open_only=True)
    if ticket is None:
        return
    held = ticket.extra.get("assignee")
    holder = str(held.get("key") or "") if isinstance(held, dict) else ""
    if holder == turn.identity.key:
        turn.say("claim_already_yours", number=ticket.number)
        return
    if holder and rest.strip().lower() != TAKE_OVER:
        name = str(held.get("name") or "-") if isinstance(held, dict) else "-"
        take = turn.button("claim_take_over_button", f"/ambil {ticket.number} {TAKE_OVER}")
        offer_yes(turn, take.payload, take.title)  # "ya" takes it over
        turn.say("claim_held_by", [take, turn.button("officer_pending_no", "/batal")], number=ticket.number, name=name)
        return
    if not await assign(turn, ticket, turn.identity):
        return
    if holder:  # the colleague who held it hears who has it now
        lang = await staff_lang(turn, holder)
        turn.deliver(holder, [Reply(turn.t("claim_taken_over", lang, number=ticket.number,
                                           name=staff_label(turn, turn.identity, lang)),
                                    ticket=ticket.number)], f"claim:{ticket.number}:{turn.identity.key}")


COMMANDS: list[Command] = [cmd_take, Command("pegang", cmd_take.handler, cmd_take.roles, USAGE),
                           Command("take", cmd_take.handler, cmd_take.roles, USAGE)]
