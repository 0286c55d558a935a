"""Filing for a resident who cannot use the bot: a village official or companion (pendamping) files for them.

The official is enrolled by code like an officer (`python -m bot invite --role pendamping`). They start
with `/wakili NOMOR_HP [nama]`, confirm that the resident agreed (`/wakili_setuju`), then go through the
ordinary complaint flow. The ticket's reporter is the resident's phone (on WhatsApp when that number
already writes to us there, else SMS), so the ticket number and every update reach the resident, who
can answer and check the status from that phone. The ticket keeps who filed it (`extra.on_behalf`);
officers see it on the card, and the official lists what they filed with `/wakilan`.
"""

from __future__ import annotations

from typing import Any

from actions import understand as u
from actions.base import Turn, command
from actions.common import status_name
from bot.channels.sms import normalise_number
from bot.message import Reply

ROLE_COMPANION = "pendamping"
PENDING = "behalf_pending"
ACTIVE = "behalf"
FILED = "behalf_filed"
FILED_KEPT = 20


def _mask(phone: str) -> str:
    return phone[:4] + "*" * max(0, len(phone) - 7) + phone[-3:]


@command("wakili", roles=(ROLE_COMPANION,), usage="/wakili NOMOR_HP [nama warga]")
async def cmd_file_for(turn: Turn, args: str) -> None:
    """Start filing for a resident: their phone number and (optional) name; consent is asked next."""
    raw, _, name = args.strip().partition(" ")
    phone = normalise_number(raw)
    if not phone:
        turn.say("usage", usage="/wakili 08123456789 Nama Warga")
        return
    turn.state.pop(ACTIVE, None)
    turn.state[PENDING] = {"phone": phone, "name": " ".join(name.split())[:80] or None}
    await _ask_consent(turn, phone)


async def _ask_consent(turn: Turn, phone: str) -> None:
    reach = await _reach(turn, phone)
    turn.say("behalf_consent_via", (turn.button("behalf_consent_yes", "/wakili_setuju"),
                                    turn.button("behalf_consent_no", "/batal")),
             phone=_mask(phone), how=turn.t(f"behalf_reach_{reach}"))


async def _reach(turn: Turn, phone: str) -> str:
    """How the resident will hear from us: "whatsapp" (that number writes to us there), "sms", or "none"."""
    if await turn.store.get_identity(f"whatsapp:{phone}"):
        return "whatsapp"
    return "sms" if turn.services.settings.sms.enabled else "none"


async def answer_consent(turn: Turn) -> bool:
    """A typed answer to "has the resident agreed?" ("ya, sudah setuju", "belum", "batal"); False when the
    official is not being asked, or the message is a command."""
    pending = turn.state.get(PENDING)
    text = turn.message.text.strip()
    if not pending or turn.identity.role != ROLE_COMPANION or not text or text.startswith("/"):
        return False
    if u.is_cancel(text):
        turn.state.pop(PENDING, None)
        turn.say("behalf_cancelled", turn.menu_buttons())
        return True
    agreed = u.yes_no(text)
    if agreed:
        await cmd_consent.handler(turn, "")
    elif agreed is False:
        turn.state.pop(PENDING, None)
        turn.say("behalf_not_agreed", turn.menu_buttons())
    else:
        turn.say("behalf_consent_unclear")
        await _ask_consent(turn, str(pending["phone"]))
    return True


@command("wakili_setuju", roles=(ROLE_COMPANION,), usage="/wakili_setuju")
async def cmd_consent(turn: Turn, args: str) -> None:
    """The resident agreed: the next complaint this official files is theirs."""
    pending = turn.state.pop(PENDING, None)
    if not pending:
        turn.say("usage", usage="/wakili 08123456789 Nama Warga")
        return
    turn.state[ACTIVE] = {**pending, "consent_at": turn.now.isoformat()}
    from actions import complaint

    await complaint.start_from_menu(turn)


async def reporter_for(turn: Turn) -> tuple[str, dict[str, Any] | None]:
    """Who a complaint being submitted belongs to: the resident filed for, or the sender themself."""
    active = turn.state.get(ACTIVE)
    if not active or turn.identity.role != ROLE_COMPANION:
        return turn.identity.key, None
    phone = str(active["phone"])
    on_whatsapp = await turn.store.get_identity(f"whatsapp:{phone}")
    reporter = f"whatsapp:{phone}" if on_whatsapp else f"sms:{phone}"
    return reporter, {"by": turn.identity.key, "by_name": turn.identity.name, "place": turn.identity.opd_id,
                      "name": active.get("name"), "consent_at": active.get("consent_at")}


def after_submit(turn: Turn, number: str, reporter: str, behalf: dict[str, Any] | None) -> None:
    """Tell the resident their ticket number on their phone; end the filing-for state."""
    if behalf is None:
        return
    turn.state.pop(ACTIVE, None)
    turn.state[FILED] = [*(turn.state.get(FILED) or []), number][-FILED_KEPT:]
    lang = "id"
    phone = reporter.split(":", 1)[1]
    reach = "whatsapp" if reporter.startswith("whatsapp:") else "sms" if turn.services.settings.sms.enabled else "none"
    if reach != "none":  # without SMS nothing can reach a resident who never wrote to us
        text = turn.t("behalf_to_resident", lang, for_channel=reach, number=number, name=behalf.get("name") or "",
                      by=behalf.get("by_name") or turn.t("role_pendamping", lang))
        turn.deliver(reporter, [Reply(text, ticket=number)], f"behalf:{number}")
    turn.say(f"behalf_filed_{reach}", number=number, phone=_mask(phone))


@command("wakilan", roles=(ROLE_COMPANION,), usage="/wakilan")
async def cmd_filed(turn: Turn, args: str) -> None:
    """The tickets this official filed for residents, with their status."""
    lines = []
    for number in reversed(turn.state.get(FILED) or []):
        ticket = await turn.store.get_ticket(number)
        if ticket is not None:
            lines.append(f"{ticket.number}: {status_name(turn, ticket.status)}")
    if not lines:
        turn.say("behalf_none")
        return
    turn.say("behalf_list", items="\n".join(lines))


COMMANDS = [cmd_file_for, cmd_consent, cmd_filed]
