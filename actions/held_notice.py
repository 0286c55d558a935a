"""The operators are told, once, when a staff member's WhatsApp messages start to wait for them.

WhatsApp lets Warga write to someone only within 24 hours of their last message; without an approved template
(the production default) an officer who has not written for a day silently stops getting cards and notices. The
WhatsApp channel holds them (bot/held.py) and calls `tell_operators_held` when a wait begins, so an operator can
phone the officer: any message from them to Warga delivers everything held. Residents' held replies are only
listed (/desk/kiriman), not announced.
"""

from __future__ import annotations

import logging

from actions.base import Services
from actions.common import opd_name, staff_label
from actions.sla import deliver_once, system_turn
from bot.logging_setup import mask_personal
from bot.message import Reply
from bot.store.base import ROLE_OPERATOR, ROLE_RESIDENT

logger = logging.getLogger(__name__)


async def tell_operators_held(services: Services, identity_key: str) -> None:
    """Queue one notice to every operator (but the person concerned) that messages wait for `identity_key`."""
    store = services.store
    who = await store.get_identity(identity_key)
    if who is None or who.role == ROLE_RESIDENT:
        return
    now = services.clock()
    turn = system_turn(services, now, "system:whatsapp-window")
    operators = [o for o in await store.list_identities(ROLE_OPERATOR) if o.key != identity_key]
    for operator in operators:
        lang = operator.lang or "id"
        opd = f", {opd_name(turn, who.opd_id)}" if who.opd_id else ""
        text = turn.t("held_staff_notice", lang, for_channel=operator.channel, who=staff_label(turn, who, lang),
                      opd=opd, number=mask_personal(who.sender_id))
        deliver_once(turn, operator.key, [Reply(text)], f"held:{identity_key}:{now.isoformat()}")
    if turn.changes.jobs:
        await store.enqueue(turn.changes.jobs)
        services.wake_outbox()
        logger.info("WhatsApp: messages wait for %s; %d operator(s) told", identity_key, len(turn.changes.jobs))
