"""A resident who says "STOP", "unsubscribe" or "jangan kirim pesan lagi" (nineteenth trial): what it means is said
first (news of their open complaints would stop too), then, on a yes, nothing more is pushed to them: the outbox
keeps every message for them in their tickets' history instead of sending it (integrations/outbox.py), and the
officers of their open complaints are told, so they do not wait for an answer. Whatever the resident writes is still
answered in the same chat; "mulai" or "start" turns the news back on. WhatsApp's business rules ask for opt-outs to
be honoured, and an SMS gateway's STOP is the same wish.

The choice is kept in the store's key-value table under `muted:<identity key>`, where the outbox reads it.
"""

from __future__ import annotations

import logging
import re
from datetime import datetime, timedelta
from typing import Any

from actions import understand as u
from actions.base import Reply, Turn
from actions.common import opd_recipients, staff_lang
from bot.store.base import MUTED_VALUE_KEY, OPEN_STATUSES, ROLE_RESIDENT, Store

YES = "btn:mute_yes"  # "Ya, berhenti"
NO = "btn:mute_no"  # "Tidak, tetap kirim"
OFFER_KEY = "mute_offer"  # conversation state: when the question was asked
OFFER_MINUTES = 30
MAX_TICKETS = 10

# the whole message: "STOP", "unsubscribe", "stop kirim pesan", "jangan kirim pesan lagi", "berhenti berlangganan"
_STOP = re.compile(
    r"^(?:stop|unsubscribe|opt\s*out|berhenti(?:\s+berlangganan)?|"
    r"(?:stop|berhenti|jangan|jgn|ojo|ampun|tolong\s+jangan|tolong\s+stop|please\s+stop|stop\s+sending)\s+"
    r"(?:kirim|ngirim|mengirim|kirimi|ngirimi|dikirimi|dikirim|kintun|sending|send)?\s*(?:saya\s+|sy\s+|aku\s+|kula\s+|"
    r"me\s+)?(?:pesan|pesen|sms|wa|chat|notif\w*|messages?|notifications?|texts?)"
    r"(?:\s+(?:ke\s+saya|lagi|maneh|malih|ini|again|to\s+me|anymore))*)"
    r"(?:\s+(?:ya|pak|bu|min|dong|please|saja|aja|lagi|thanks|makasih))*$")
# "mulai", "start", "aktifkan lagi", "subscribe": the news back on
_START = re.compile(r"^/?(?:mulai(?:\s+lagi)?|start(?:\s+again)?|subscribe|unstop|aktifkan(?:\s+lagi)?|"
                    r"kirim\s+(?:pesan\s+)?lagi|"
                    r"kirimi\s+(?:saya\s+)?kabar\s+lagi)$")


def value_key(identity_key: str) -> str:
    return MUTED_VALUE_KEY.format(identity_key)


async def is_muted(store: Store, identity_key: str) -> bool:
    value = await store.get_value(value_key(identity_key))
    return isinstance(value, dict) and bool(value.get("on"))


def says_stop(text: str) -> bool:
    return bool(_STOP.match(u.plain(text)))


async def handle(turn: Turn, code: str | None, text: str, in_flow: bool) -> bool:
    """The question, its answer (buttons or typed), and "mulai" after it; False for anything else."""
    if turn.identity.role != ROLE_RESIDENT:
        return False
    offered = turn.state.get(OFFER_KEY)
    if code in (YES, NO) or (isinstance(offered, str) and not code):
        fresh = isinstance(offered, str) and turn.now - datetime.fromisoformat(offered) <= timedelta(
            minutes=OFFER_MINUTES)
        # ("jangan kirim pesan lagi" to the question says it again: a yes, not the "no" its "jangan" read as)
        typed = (True if says_stop(text) else u.yes_no(text)) if fresh and not code else None
        answer = True if code == YES else False if code == NO else typed
        turn.state.pop(OFFER_KEY, None)
        if answer is True:
            await _mute(turn)
            return True
        if answer is False or (answer is None and not code and _START.match(u.plain(text))):
            # "mulai lagi" after "STOP" was asked but never confirmed: nothing was stopped (it went to the officer)
            turn.say("mute_kept", turn.menu_buttons())
            return True
    if not code and text and _START.match(u.plain(text)) and await is_muted(turn.store, turn.identity.key):
        await turn.store.set_value(value_key(turn.identity.key), {"on": False, "at": turn.now.isoformat()})
        logging.getLogger(__name__).info("%s asked for news again", turn.identity.key)
        turn.say("mute_off", turn.menu_buttons())
        return True
    if in_flow or code or not text or not says_stop(text):
        return False
    if await is_muted(turn.store, turn.identity.key):
        turn.say("mute_already")
        return True
    turn.state[OFFER_KEY] = turn.now.isoformat()
    mine = await _open_tickets(turn)
    turn.say("mute_ask_open" if mine else "mute_ask",
             [turn.button("mute_yes_button", YES), turn.button("mute_no_button", NO)],
             numbers=", ".join(t.number for t in mine))
    return True


async def _open_tickets(turn: Turn) -> list[Any]:
    mine = await turn.store.recent_tickets(turn.identity.key, MAX_TICKETS)
    return [t for t in mine if t.status in OPEN_STATUSES]


async def _mute(turn: Turn) -> None:
    await turn.store.set_value(value_key(turn.identity.key), {"on": True, "at": turn.now.isoformat()})
    logging.getLogger(__name__).info("%s asked for no more messages", turn.identity.key)
    for ticket in await _open_tickets(turn):
        turn.event(ticket, "reporter_muted", None)
        if not ticket.opd_id:
            continue
        for to in await opd_recipients(turn, ticket.opd_id):
            lang = await staff_lang(turn, to)
            turn.deliver(to, [Reply(turn.t("mute_to_officer", lang, number=ticket.number), ticket=ticket.number)],
                         f"muted:{ticket.number}")
    turn.say("mute_on")
