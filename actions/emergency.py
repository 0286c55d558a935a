"""Emergencies (fire, people trapped, flood or landslide danger, serious accident): numbers first.

The first answer gives the emergency numbers from the directory; the report is filed at once with what
is known and the OPD and the regent are alerted; location and photos are asked afterwards and added to
the ticket as they come.
"""

from __future__ import annotations

import re
import uuid
from typing import Any

from actions import understand as u
from actions.base import Turn
from actions.common import opd_name, opd_recipients, staff_lang
from actions.draft import ComplaintDraft
from bot.directory import EmergencySign
from bot.message import Location, Reply
from bot.store.base import Media, Ticket

FLOW = "emergency"
_NEGATION = frozenset({"tidak", "tdk", "gak", "ga", "nggak", "enggak", "bukan", "belum", "no", "not", "padam", "ora",
                       "mboten", "tanpa", "without", "bekas", "sisa"})
MAX_PHOTOS = 5


def detect(turn: Turn, parse: dict[str, Any] | None) -> EmergencySign | None:
    """The danger this message reports, or None (a question about the fire brigade is not a fire)."""
    text = turn.message.text
    if not text.strip():
        return None
    low = u.plain(text)
    if u.starts_with_question(text) and u.faq_key(parse):
        return None
    for sign in turn.directory.emergency_signs:
        for phrase in sign.phrases:
            for match in re.finditer(rf"(?<!\w){re.escape(phrase)}(?!\w)", low):
                before = low[: match.start()].split()[-3:]
                if not _NEGATION.intersection(before):  # "sudah tidak terbakar", "no fire" are not emergencies
                    return sign
    return None


def numbers_text(turn: Turn) -> str:
    lines = [f"• *{n.number}* — {n.name}" for n in turn.directory.emergency_numbers]
    return turn.t("emergency_numbers", numbers="\n".join(lines))


async def report(turn: Turn, sign: EmergencySign, parse: dict[str, Any] | None) -> None:
    """Give the numbers, file the report now, alert the OPD and the regent, then ask for the place."""
    from actions import complaint  # complaint imports this module's callers; keep the cycle lazy

    turn.replies.append(Reply(numbers_text(turn)))
    kept = ComplaintDraft.load(turn.state) if turn.state.get("flow") == complaint.FLOW else ComplaintDraft()
    text = turn.message.text.strip()
    if kept.text and kept.text not in text:
        text = f"{kept.text}\n{text}"
    draft = ComplaintDraft(text=text, media=kept.media, location=kept.location, privacy="publik",
                           routed_by="emergency")
    complaint.keep_attachments(turn, draft)
    routing = (parse or {}).get("opd") or {}
    nlu_topic = routing.get("topic") if isinstance(routing, dict) else None
    draft.topic = nlu_topic if nlu_topic and turn.directory.routing.get(nlu_topic) == sign.opd else sign.topic
    draft.opd = sign.opd
    ticket = await complaint.submit(turn, draft, priority="darurat")
    turn.state.update(flow=FLOW, target=ticket.number, step="photo" if draft.location else "location")
    turn.state["reply_ticket"] = ticket.number
    turn.say("emergency_filed", number=ticket.number, opd=opd_name(turn, sign.opd))
    await ask_again(turn)


async def ask_again(turn: Turn) -> None:
    if turn.state.get("step") == "location":
        turn.say("emergency_ask_location", [turn.button("skip", u.SKIP)])
    else:
        turn.say("emergency_ask_photo", [turn.button("emergency_finish", u.SKIP)])


def position(turn: Turn) -> str:
    return turn.t("where_emergency", number=turn.state.get("target") or "-")


async def handle_step(turn: Turn) -> None:
    """The location or photo of a report already filed."""
    number = str(turn.state.get("target") or "")
    ticket = await turn.store.get_ticket(number)
    if ticket is None or ticket.reporter != turn.identity.key:
        turn.reset_flow()
        turn.say("fallback", turn.menu_buttons())
        return
    if turn.state.get("step") == "location":
        await _on_location(turn, ticket)
    else:
        await _on_photo(turn, ticket)


async def _on_location(turn: Turn, ticket: Ticket) -> None:
    from actions.complaint import location_problem

    text = turn.message.text.strip()
    skip = u.code_of(text) == u.SKIP
    if turn.message.location:
        location = turn.message.location
    elif not skip and not any(a.kind == "photo" for a in turn.message.attachments):
        problem = location_problem(text)
        if problem:
            turn.say(problem)
            return
        location = Location(address=text[:300])
    else:
        location = None
    if location is not None:
        ticket.location = location.to_dict()
        turn.save_ticket(ticket)
        turn.event(ticket, "location", location.describe(), location=ticket.location)
        await _tell_opd(turn, ticket, "emergency_location_to_officer", where=location.describe(),
                        pin=location if location.latitude is not None else None)
        turn.say("emergency_location_added", number=ticket.number)
    turn.state["step"] = "photo"
    if any(a.kind == "photo" for a in turn.message.attachments):
        await _on_photo(turn, ticket)
        return
    await ask_again(turn)


async def _on_photo(turn: Turn, ticket: Ticket) -> None:
    photos = [a for a in turn.message.attachments if a.kind == "photo" and a.data]
    if photos:
        for attachment in photos[: max(0, MAX_PHOTOS - len(ticket.media))]:
            media = Media(id=uuid.uuid4().hex, mime=attachment.mime or "image/jpeg", data=attachment.data or b"",
                          created_at=turn.now)
            turn.changes.media.append(media)
            ticket.media.append(media.id)
            turn.event(ticket, "photo", None, media=media.id)
            await _tell_opd(turn, ticket, "emergency_photo_to_officer", image=f"media:{media.id}")
        turn.save_ticket(ticket)
        turn.say("emergency_photo_added", [turn.button("emergency_finish", u.SKIP)], number=ticket.number)
        return
    text = turn.message.text.strip()
    if u.code_of(text) in (u.SKIP, u.NEXT) or u.plain(text) in ("selesai", "sudah", "cukup", "done", "lewati", "skip"):
        turn.reset_flow()
        turn.say("emergency_done", number=ticket.number)
        return
    if turn.message.location:
        turn.state["step"] = "location"
        await _on_location(turn, ticket)
        return
    from actions.resident import add_resident_message

    await add_resident_message(turn, ticket.number, text)  # more about what is happening: to the officers


async def _tell_opd(turn: Turn, ticket: Ticket, key: str, image: str | None = None,
                    pin: Location | None = None, **fields: Any) -> None:
    for to in await opd_recipients(turn, ticket.opd_id or ""):
        lang = await staff_lang(turn, to)
        text = turn.t(key, lang, number=ticket.number, **fields)
        turn.deliver(to, [Reply(text, image=image, location=pin, ticket=ticket.number)], f"emergency:{ticket.number}")
