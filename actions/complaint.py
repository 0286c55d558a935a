"""Filing a complaint: topic and OPD (correctable), location, optional photo, privacy, summary, ticket."""

from __future__ import annotations

import uuid
from typing import Any

from actions import on_behalf
from actions.base import Turn
from actions.common import (
    format_date,
    location_text,
    notify_opd,
    opd_name,
    operator_recipients,
    regent_recipients,
    staff_lang,
    topic_name,
)
from bot.message import Button, Location, Reply
from bot.store.base import STATUS_NEW, STATUS_TRIAGE, Media, Ticket
from nlu.result import ParseResult

PRIVACY_CHOICES = ("publik", "anonim", "rahasia")
# Words residents use for each privacy choice, besides the button payloads.
_PRIVACY_WORDS = {
    "publik": ("publik", "public", "1", "biasa", "terbuka"),
    "anonim": ("anonim", "anonymous", "anon", "2", "sembunyikan"),
    "rahasia": ("rahasia", "confidential", "secret", "3", "rahasiakan"),
}
YES_WORDS = frozenset(
    {
        "ya",
        "iya",
        "y",
        "yes",
        "benar",
        "betul",
        "ok",
        "oke",
        "okay",
        "sudah benar",
        "nggih",
        "leres",
        "siap",
        "kirim",
        "lanjut",
        "sip",
    }
)
NO_WORDS = frozenset(
    {"tidak", "tdk", "gak", "nggak", "enggak", "no", "bukan", "salah", "mboten", "ganti", "ganti topik"}
)
MAX_PHOTOS = 3
MIN_COMPLAINT_WORDS = 3
MAX_TOPIC_CHOICES = 3  # the two or three most likely OPDs, then "Lainnya"


def _plain(text: str) -> str:
    return " ".join(text.lower().strip().strip(".!?").split())


def is_yes(turn: Turn) -> bool:
    text = _plain(turn.message.text)
    return text in YES_WORDS or (turn.nlu or {}).get("intent", {}).get("name") == "affirm"


def is_no(turn: Turn) -> bool:
    text = _plain(turn.message.text)
    return text in NO_WORDS or (turn.nlu or {}).get("intent", {}).get("name") == "deny"


def _complaint(turn: Turn) -> dict[str, Any]:
    return turn.state.setdefault("c", {})


def topic_candidates(turn: Turn, parse: dict[str, Any] | None, exclude: str | None = None) -> list[str]:
    """Complaint topics from the NLU ranking, best first, one per OPD, that the directory routes."""
    ranking = (parse or {}).get("intent_ranking") or []
    names: list[str] = []
    opds: set[str] = set()
    for r in ranking:
        name = r["name"]
        if name in turn.directory.routing and name != exclude and turn.directory.routing[name] not in opds:
            names.append(name)
            opds.add(turn.directory.routing[name])
    return names[:MAX_TOPIC_CHOICES]


def ranked_topics(turn: Turn, result: ParseResult) -> list[list[Any]]:
    """[topic, confidence] per OPD, most likely OPD first: the routing decision's ranking (summed per
    OPD), else the intent ranking. Kept with the ticket as the triage suggestions."""
    if result.routing is not None and result.routing.ranking:
        pairs = [(o.topic, o.confidence) for o in result.routing.ranking]
    else:
        pairs = [(i.name or "", i.confidence) for i in result.intent_ranking]
    return [[topic, round(float(conf), 4)] for topic, conf in pairs if topic in turn.directory.routing][:5]


def keep_attachments(turn: Turn) -> int:
    """Keep photos of this message with the complaint being written; returns how many were added."""
    c = _complaint(turn)
    media_ids: list[str] = c.setdefault("media", [])
    added = 0
    for attachment in turn.message.attachments:
        ref = attachment.ref or ""
        if attachment.kind == "voice" and ref.startswith("media:"):  # a transcribed voice note
            c.setdefault("audio", []).append(ref[len("media:"):])
            continue
        if attachment.kind != "photo" or not attachment.data or len(media_ids) >= MAX_PHOTOS:
            continue
        media = Media(
            id=uuid.uuid4().hex, mime=attachment.mime or "image/jpeg", data=attachment.data, created_at=turn.now
        )
        turn.changes.media.append(media)
        media_ids.append(media.id)
        added += 1
    if turn.message.location and not c.get("location"):
        c["location"] = turn.message.location.to_dict()
    return added


async def start_from_menu(turn: Turn) -> None:
    turn.reset_flow()
    turn.state.update(flow="complaint", step="describe", c={})
    keep_attachments(turn)
    turn.say("complaint_describe")


async def start_from_text(turn: Turn, text: str, parse: dict[str, Any]) -> None:
    """A message that already says what is wrong: propose the topic and OPD, or ask."""
    preserved = turn.state.get("pending") or {}
    turn.reset_flow()
    turn.state.pop("pending", None)
    c = {"text": text.strip(), "media": list(preserved.get("media", [])), "location": preserved.get("location")}
    turn.state.update(flow="complaint", c=c)
    keep_attachments(turn)
    result = ParseResult.from_dict(parse)
    ranking = ranked_topics(turn, result)
    c["ranking"] = ranking
    candidates = topic_candidates(turn, {"intent_ranking": [{"name": n, "confidence": s} for n, s in ranking]})
    name, confidence = result.intent.name, result.intent.confidence
    if result.routing is not None and result.routing.topic in turn.directory.routing:
        # The routing decision (calibrated: 0.9 means right 9 times in 10) decides, not the intent's
        # confidence: the resident is describing a complaint ("TPS BAU BANGET" is not a greeting).
        name, confidence = result.routing.topic, result.routing.confidence
    if name in turn.directory.routing and confidence >= turn.directory.route_threshold:
        c.update(topic=name, opd=turn.directory.routing[name], confidence=confidence, routed_by="nlu")
        await ask_topic_confirmation(turn)
    else:
        c["confidence"] = confidence
        await ask_topic_choice(turn, candidates)


async def ask_topic_confirmation(turn: Turn) -> None:
    c = _complaint(turn)
    turn.state["step"] = "confirm_topic"
    turn.say(
        "complaint_topic_confirm",
        [
            turn.button("complaint_topic_yes", "ya"),
            turn.button("complaint_topic_change", "ganti topik"),
            turn.button("cancel_button", "batal"),
        ],
        topic=topic_name(turn, c["topic"]),
        opd=opd_name(turn, c["opd"]),
    )


async def ask_topic_choice(turn: Turn, candidates: list[str]) -> None:
    turn.state["step"] = "choose_topic"
    turn.state["choices"] = candidates
    buttons = [
        Button(f"{opd_name(turn, turn.directory.routing[t])}: {topic_name(turn, t)}", f"topik:{t}") for t in candidates
    ]
    buttons.append(turn.button("complaint_topic_other", "topik:lainnya"))
    turn.say("complaint_choose_topic", buttons)


async def ask_location(turn: Turn) -> None:
    c = _complaint(turn)
    if c.get("location"):
        await ask_photo(turn)
        return
    turn.state["step"] = "location"
    turn.say("complaint_ask_location")


async def ask_photo(turn: Turn) -> None:
    turn.state["step"] = "photo"
    if _complaint(turn).get("media"):
        turn.say("complaint_photo_received", [turn.button("next", "lanjut")], count=len(_complaint(turn)["media"]))
    else:
        turn.say("complaint_ask_photo", [turn.button("skip", "lewati")])


async def ask_privacy(turn: Turn) -> None:
    turn.state["step"] = "privacy"
    turn.say("complaint_ask_privacy", [turn.button(f"privacy_{p}", f"privasi:{p}") for p in PRIVACY_CHOICES])


async def show_summary(turn: Turn) -> None:
    c = _complaint(turn)
    turn.state["step"] = "confirm"
    location = Location.from_dict(c.get("location"))
    turn.say(
        "complaint_summary",
        [
            turn.button("complaint_send", "kirim"),
            turn.button("complaint_topic_change", "ganti topik"),
            turn.button("cancel_button", "batal"),
        ],
        topic=topic_name(turn, c.get("topic")),
        opd=opd_name(turn, c.get("opd")) if c.get("opd") else turn.t("topic_unknown"),
        location=location.describe() if location else turn.t("location_none"),
        photos=len(c.get("media") or []) or turn.t("photo_count_none"),
        privacy=turn.t(f"privacy_{c.get('privacy', 'publik')}"),
        text=_shorten(c.get("text", ""), 500),
    )


def _shorten(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


async def handle_step(turn: Turn) -> None:
    """Continue the complaint flow with this message."""
    step = turn.state.get("step")
    c = _complaint(turn)
    text = turn.message.text.strip()
    low = _plain(text)

    if step == "describe":
        added = keep_attachments(turn)
        if len(text.split()) < MIN_COMPLAINT_WORDS:
            if added or turn.message.location:
                turn.say("complaint_describe")
            else:
                turn.say("complaint_describe_more")
            return
        await start_from_text(turn, text, turn.nlu or {})
        return

    if step == "confirm_topic":
        if low in ("ganti topik",) or is_no(turn):
            await ask_topic_choice(
                turn,
                topic_candidates(
                    turn,
                    {"intent_ranking": [{"name": n, "confidence": s} for n, s in c.get("ranking", [])]},
                    exclude=c.get("topic"),
                ),
            )
        elif is_yes(turn):
            await ask_location(turn)
        else:
            turn.say("complaint_please_choose")
            await ask_topic_confirmation(turn)
        return

    if step == "choose_topic":
        choice = low.removeprefix("topik:") if low.startswith("topik:") else None
        choices = turn.state.get("choices") or []
        if choice is None and low.isdigit() and 1 <= int(low) <= len(choices) + 1:
            choice = choices[int(low) - 1] if int(low) <= len(choices) else "lainnya"
        if choice == "lainnya":
            c.update(topic=None, opd=None, routed_by="triage")
            turn.say("complaint_triage_note")
            await ask_location(turn)
        elif choice in turn.directory.routing:
            c.update(topic=choice, opd=turn.directory.routing[choice], routed_by="resident")
            await ask_location(turn)
        else:
            turn.say("complaint_please_choose")
            await ask_topic_choice(turn, choices)
        return

    if step == "location":
        if turn.message.location:
            c["location"] = turn.message.location.to_dict()
            keep_attachments(turn)
            await ask_photo(turn)
        elif len(text) >= 3 and not text.startswith("/"):
            c["location"] = Location(address=_shorten(text, 300)).to_dict()
            keep_attachments(turn)
            await ask_photo(turn)
        else:
            turn.say("complaint_location_too_short")
        return

    if step == "photo":
        added = keep_attachments(turn)
        if added:
            if len(c.get("media") or []) >= MAX_PHOTOS:
                await ask_privacy(turn)
            else:
                await ask_photo(turn)
        elif (
            low in ("lewati", "lanjut", "skip", "next", "tidak ada", "gak ada", "tidak") or is_yes(turn) or is_no(turn)
        ):
            await ask_privacy(turn)
        else:
            turn.say("complaint_photo_expected", [turn.button("skip", "lewati")])
        return

    if step == "privacy":
        choice = low.removeprefix("privasi:")
        for privacy, words in _PRIVACY_WORDS.items():
            if choice == privacy or choice in words:
                c["privacy"] = privacy
                await show_summary(turn)
                return
        turn.say("complaint_please_choose")
        await ask_privacy(turn)
        return

    if step == "confirm":
        if low == "ganti topik":
            await ask_topic_choice(
                turn,
                topic_candidates(
                    turn,
                    {"intent_ranking": [{"name": n, "confidence": s} for n, s in c.get("ranking", [])]},
                    exclude=c.get("topic"),
                ),
            )
        elif is_yes(turn):
            await submit(turn)
        elif is_no(turn):
            turn.reset_flow()
            turn.say("cancelled", turn.menu_buttons())
        else:
            turn.say("complaint_please_choose")
            await show_summary(turn)
        return

    # An unknown step (e.g. texts changed between versions): start over politely.
    turn.reset_flow()
    turn.say("fallback", turn.menu_buttons())


async def new_ticket_number(turn: Turn) -> str:
    period = turn.now.astimezone(turn.services.calendar.tz).strftime("%y%m")
    seq = await turn.store.next_ticket_seq(period)
    return f"{turn.directory.ticket_prefix}-{period}-{seq:04d}"


async def submit(turn: Turn) -> None:
    """Create the ticket, tell the OPD (or triage), the regent if urgent, and LAPOR!."""
    c = _complaint(turn)
    number = await new_ticket_number(turn)
    opd = turn.directory.opd(c.get("opd"))
    due = turn.services.calendar.add_working_days(turn.now, opd.sla_days) if opd else None
    reporter, behalf = await on_behalf.reporter_for(turn)  # a village official may file for a resident
    ticket = Ticket(
        number=number,
        kind="aduan",
        topic=c.get("topic"),
        opd_id=opd.id if opd else None,
        status=STATUS_NEW if opd else STATUS_TRIAGE,
        text=c.get("text", ""),
        reporter=reporter,
        created_at=turn.now,
        updated_at=turn.now,
        due_at=due,
        privacy=c.get("privacy", "publik"),
        location=c.get("location"),
        media=list(c.get("media") or []),
        lang=turn.lang,
        confidence=c.get("confidence"),
        priority="darurat" if c.get("topic") in turn.directory.urgent_topics else "normal",
        extra={"ranking": c.get("ranking", []), "channel": turn.message.channel,
               **({"on_behalf": behalf} if behalf else {}), **({"audio": c["audio"]} if c.get("audio") else {})},
    )
    turn.save_ticket(ticket)
    turn.event(ticket, "created", ticket.text)
    turn.event(
        ticket,
        "routed",
        None,
        topic=ticket.topic,
        opd=ticket.opd_id,
        confidence=ticket.confidence,
        by=c.get("routed_by", "nlu"),
    )
    if opd:
        await notify_opd(turn, ticket, f"new:{number}")
        turn.say("complaint_filed", number=number, opd=opd.name, sla=opd.sla_days, due=format_date(turn, due))
    else:
        await notify_triage(turn, ticket)
        turn.say("complaint_filed_triage", number=number)
    if ticket.topic in turn.directory.urgent_topics:
        for key in await regent_recipients(turn):
            lang = await staff_lang(turn, key)
            text = turn.t(
                "urgent_card",
                lang,
                number=number,
                topic=topic_name(turn, ticket.topic, lang),
                opd=opd_name(turn, ticket.opd_id),
                location=location_text(turn, ticket, lang),
                text=ticket.text,
            )
            turn.deliver(key, [Reply(text, ticket=number)], f"urgent:{number}")
    if turn.services.settings.lapor.enabled:
        turn.job("lapor_create", f"lapor_create:{number}", {"ticket": number})
    turn.reset_flow()
    turn.state["last_ticket"] = number
    on_behalf.after_submit(turn, number, reporter, behalf)


async def notify_triage(turn: Turn, ticket: Ticket) -> None:
    ranking = ticket.extra.get("ranking") or []
    for key in await operator_recipients(turn):
        lang = await staff_lang(turn, key)
        guesses = [
            f"{topic_name(turn, n, lang)} → {turn.directory.routing[n]} ({s:.0%})"
            for n, s in ranking
            if n in turn.directory.routing
        ][:3]
        buttons = tuple(
            Button(turn.directory.routing[n], f"/rute {ticket.number} {turn.directory.routing[n]}")
            for n, _ in ranking
            if n in turn.directory.routing
        )[:3]
        text = turn.t("card_triage", lang, number=ticket.number, guess="; ".join(guesses) or "-", text=ticket.text)
        turn.deliver(key, [Reply(text, buttons, ticket=ticket.number)], f"triage:{ticket.number}")
