"""What a resident does besides filing: questions, status, answering officers, rating, reopening,
and writing to the regent."""

from __future__ import annotations

from typing import Any

from actions.base import Turn, command, find_ticket_number
from actions.common import (
    format_date,
    notify_staff_of_ticket,
    opd_name,
    regent_recipients,
    reporter_label,
    staff_lang,
    status_name,
    topic_name,
)
from actions.complaint import new_ticket_number
from bot.message import Button, Reply
from bot.store.base import (
    OPEN_STATUSES,
    STATUS_CLOSED,
    STATUS_DONE,
    STATUS_IN_PROGRESS,
    STATUS_NEW,
    Ticket,
)

FAQ_CONFIDENT = 0.5
REGENT_SLA_DAYS = 5


def example_number(turn: Turn) -> str:
    return f"{turn.directory.ticket_prefix}-{turn.now.astimezone(turn.services.calendar.tz):%y%m}-0042"


# --- questions (FAQ) ------------------------------------------------------------------------------
def answer_faq(turn: Turn, parse: dict[str, Any]) -> None:
    selector = (parse.get("response_selector") or {})
    result = selector.get("faq") or selector.get("default") or {}
    response = result.get("response") or {}
    key = response.get("intent_response_key")
    confidence = float(response.get("confidence") or 0.0)
    ranking = [r["intent_response_key"] for r in result.get("ranking", []) if r.get("intent_response_key")]
    if key and (confidence >= FAQ_CONFIDENT or len(ranking) < 2):
        say_faq(turn, key)
        return
    options = [k for k in ranking[:3] if k in turn.services.faq_answers]
    if not options:
        turn.say("faq_missing", turn.menu_buttons())
        return
    buttons = [Button(_faq_title(turn, k), f"faq:{k.split('/', 1)[1]}") for k in options]
    turn.say("faq_unsure", buttons)


def _faq_title(turn: Turn, key: str) -> str:
    title_key = f"faq_title_{key.split('/', 1)[1]}"
    if turn.texts.has(title_key):
        return turn.t(title_key)
    return key.split("/", 1)[1].replace("_", " ").upper() if len(key) < 20 else key.split("/", 1)[1].replace("_", " ")


def say_faq(turn: Turn, key: str) -> None:
    answers = turn.services.faq_answers.get(key)
    if not answers:
        turn.say("faq_missing", turn.menu_buttons())
        return
    turn.replies.append(Reply(answers.get(turn.lang) or answers["id"]))


@command("tanya")
async def cmd_ask(turn: Turn, args: str) -> None:
    turn.reset_flow()
    turn.state["flow"] = "ask"
    turn.say("info_ask")


# --- status -----------------------------------------------------------------------------------------
async def show_status(turn: Turn, number: str) -> None:
    ticket = await turn.store.get_ticket(number)
    if ticket is None:
        turn.say("status_not_found", number=number)
        return
    if ticket.reporter != turn.identity.key:
        turn.say("status_not_yours", number=number)
        return
    last = ""
    replies = await turn.store.ticket_events(number, "message_out")
    if replies:
        latest = replies[-1]
        last = turn.t("status_last_reply", when=format_date(turn, latest.at, with_time=True), text=latest.text or "")
    buttons: list[Button] = []
    if ticket.status in OPEN_STATUSES:
        buttons.append(turn.button("reply_button", f"/tanggapi {number}"))
    elif ticket.status == STATUS_DONE:
        buttons.append(turn.button("reopen_button", f"/buka {number}"))
    turn.say(
        "status_detail", buttons,
        number=number,
        topic=topic_name(turn, ticket.topic) if ticket.kind == "aduan" else turn.t("kind_bupati"),
        opd=opd_name(turn, ticket.opd_id) if ticket.opd_id else turn.directory.regent_title,
        status=status_name(turn, ticket.status),
        created=format_date(turn, ticket.created_at, with_time=True),
        due=format_date(turn, ticket.due_at),
        lapor=turn.t("status_lapor", lapor_id=ticket.lapor_id) if ticket.lapor_id else "",
        last=last,
    )


@command("status")
async def cmd_status(turn: Turn, args: str) -> None:
    number = find_ticket_number(args) or find_ticket_number(turn.message.text)
    turn.reset_flow()
    if number:
        await show_status(turn, number)
        return
    mine = await turn.store.recent_tickets(turn.identity.key, 3)
    turn.state["flow"] = "status"
    buttons = [Button(f"{t.number} · {status_name(turn, t.status)}", f"/status {t.number}") for t in mine]
    turn.say("status_ask", buttons, example=example_number(turn))


# --- answering an officer ---------------------------------------------------------------------------
async def add_resident_message(turn: Turn, number: str, text: str, quiet_if_not_mine: bool = False) -> bool:
    """Add what the reporter wrote to their open ticket and pass it to the officers."""
    ticket = await turn.store.get_ticket(number)
    if ticket is None or ticket.reporter != turn.identity.key or ticket.status not in OPEN_STATUSES:
        if not quiet_if_not_mine:
            turn.say("status_not_found", number=number)
        return False
    media = []
    from actions.complaint import keep_attachments

    turn.state.setdefault("c", {})
    if keep_attachments(turn):
        media = turn.state["c"].get("media", [])
        ticket.media.extend(media)
        turn.save_ticket(ticket)
    turn.state.pop("c", None)
    turn.event(ticket, "message_in", text, media=media)
    await notify_staff_of_ticket(turn, ticket, "resident_message_to_officer", f"in:{number}", text=text)
    turn.say("resident_reply_sent", number=number)
    return True


@command("tanggapi")
async def cmd_answer(turn: Turn, args: str) -> None:
    number = find_ticket_number(args)
    if not number:
        turn.say("status_ask", example=example_number(turn))
        return
    rest = args.split(maxsplit=1)[1].strip() if len(args.split(maxsplit=1)) > 1 else ""
    if rest:
        await add_resident_message(turn, number, rest)
        return
    turn.reset_flow()
    turn.state["reply_ticket"] = number
    turn.say("resident_reply_ask", number=number)


# --- rating and reopening ---------------------------------------------------------------------------
async def rate(turn: Turn, number: str, rating_text: str) -> None:
    ticket = await turn.store.get_ticket(number)
    if ticket is None or ticket.reporter != turn.identity.key:
        turn.say("status_not_found", number=number)
        return
    if ticket.status not in (STATUS_DONE, STATUS_CLOSED):
        turn.say("rating_not_done", number=number)
        return
    if not rating_text.isdigit() or not 1 <= int(rating_text) <= 5:
        turn.say("rating_invalid", _rating_buttons(turn, number))
        return
    ticket.rating = int(rating_text)
    ticket.status = STATUS_CLOSED
    ticket.closed_at = ticket.closed_at or turn.now
    turn.save_ticket(ticket)
    turn.event(ticket, "rating", None, rating=ticket.rating)
    turn.reset_flow()
    turn.state.pop("rating_ticket", None)
    turn.state.update(flow="rating_comment", target=number)
    turn.say("rating_thanks", [turn.button("skip", "lewati")], rating=ticket.rating)


def _rating_buttons(turn: Turn, number: str) -> list[Button]:
    return [Button("⭐" * n, f"nilai:{number}:{n}") for n in range(1, 6)] + [
        turn.button("reopen_button", f"/buka {number}")]


async def rating_comment(turn: Turn) -> None:
    number = turn.state.get("target")
    text = turn.message.text.strip()
    turn.reset_flow()
    if number and text and text.lower() not in ("lewati", "skip", "-"):
        ticket = await turn.store.get_ticket(number)
        if ticket is not None:
            ticket.rating_comment = text[:2000]
            turn.save_ticket(ticket)
            turn.event(ticket, "rating", text, rating=ticket.rating, comment=True)
            comment = f"\n“{text[:500]}”"
            await notify_staff_of_ticket(turn, ticket, "rating_to_officer", f"rating:{number}",
                                         rating=ticket.rating, comment=comment)
    turn.say("rating_comment_thanks")


@command("buka")
async def cmd_reopen(turn: Turn, args: str) -> None:
    number = find_ticket_number(args)
    ticket = await turn.store.get_ticket(number) if number else None
    if ticket is None or ticket.reporter != turn.identity.key:
        turn.say("status_not_found", number=number or args.strip() or "-")
        return
    if ticket.status not in (STATUS_DONE, STATUS_CLOSED):
        turn.say("ticket_closed", number=ticket.number, status=status_name(turn, ticket.status))
        return
    opd = turn.directory.opd(ticket.opd_id)
    ticket.status = STATUS_IN_PROGRESS if opd else STATUS_NEW
    ticket.closed_at = None
    ticket.rating = None
    if opd:
        ticket.due_at = turn.services.calendar.add_working_days(turn.now, opd.sla_days)
    ticket.escalated_at = None
    ticket.reminded_at = None
    turn.save_ticket(ticket)
    turn.event(ticket, "reopened", args.split(maxsplit=1)[1] if len(args.split(maxsplit=1)) > 1 else None)
    await notify_staff_of_ticket(turn, ticket, "reopened_to_officer", f"reopen:{ticket.number}",
                                 due=format_date(turn, ticket.due_at))
    turn.reset_flow()
    turn.state["reply_ticket"] = ticket.number
    turn.say("reopened", number=ticket.number, opd=opd.short if opd else turn.directory.regent_title)


# --- to the regent ----------------------------------------------------------------------------------
@command("bupati")
async def cmd_regent(turn: Turn, args: str) -> None:
    turn.reset_flow()
    if args.strip():
        await send_to_regent(turn, args.strip())
        return
    turn.state["flow"] = "regent"
    turn.say("regent_ask")


async def send_to_regent(turn: Turn, text: str) -> None:
    number = await new_ticket_number(turn)
    ticket = Ticket(
        number=number, kind="bupati", topic=None, opd_id=None, status=STATUS_NEW, text=text,
        reporter=turn.identity.key, created_at=turn.now, updated_at=turn.now,
        due_at=turn.services.calendar.add_working_days(turn.now, REGENT_SLA_DAYS), lang=turn.lang,
        extra={"channel": turn.message.channel},
    )
    turn.save_ticket(ticket)
    turn.event(ticket, "created", text)
    for key in await regent_recipients(turn):
        lang = await staff_lang(turn, key)
        card = turn.t("regent_card", lang, number=number, reporter=await reporter_label(turn, ticket, lang), text=text)
        turn.deliver(key, [Reply(card, (Button(turn.t("button_reply", lang), f"/balas {number}"),), ticket=number)],
                     f"regent:{number}")
    turn.reset_flow()
    turn.say("regent_sent", number=number)


COMMANDS = [cmd_ask, cmd_status, cmd_answer, cmd_reopen, cmd_regent]
