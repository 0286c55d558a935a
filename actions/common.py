"""Pieces several actions share: dates in words, names of topics and OPDs, ticket cards, recipients."""

from __future__ import annotations

import hashlib
from datetime import datetime, timedelta
from typing import Any

from actions import nearby
from actions.base import Turn, find_ticket_number
from bot.message import Button, Location, Reply
from bot.store.base import (
    LETTER_KIND,
    OPEN_STATUSES,
    ROLE_OFFICER,
    ROLE_OPERATOR,
    ROLE_REGENT,
    ROLE_RESIDENT,
    Identity,
    Ticket,
    TicketEvent,
)

#: extra.on_behalf.contact of a resident filed for by a village official who has no phone: updates go to the
#: official, who passes them on in person (actions/on_behalf.py).
NO_PHONE = "tanpa HP"
#: The contact of a resident filed for whose phone we cannot reach (not on WhatsApp, SMS not set up): like one
#: without a phone, the official hears everything and passes it on.
NO_SMS = "HP tanpa SMS"


#: Ticket extra: the report is a suggestion (aspirasi), not a complaint (actions/complaint.is_suggestion).
ASPIRATION_KEY = "aspiration"
#: Conversation state: the person's name was chosen (/nama, or given at the identity question); a chat profile name
#: does not replace it.
NAME_CHOSEN_KEY = "name_chosen"

def relayed_by_official(behalf: Any) -> bool:
    """News of this filing-for goes to the village official, to pass on in person (no phone, or one we cannot reach)."""
    return isinstance(behalf, dict) and behalf.get("contact") in (NO_PHONE, NO_SMS)


def stamped_within(stamp: Any, now: datetime, minutes: float) -> bool:
    """Whether `stamp`, a moment kept in conversation state as ISO text, is at most `minutes` before `now` (False for
    no stamp, or one that cannot be read)."""
    try:
        return isinstance(stamp, str) and now - datetime.fromisoformat(stamp) <= timedelta(minutes=minutes)
    except ValueError:
        return False


def format_date(turn: Turn, moment: datetime | None, lang: str | None = None, with_time: bool = False) -> str:
    """'Senin, 7 Desember 2026' in the regency's time zone, in the reader's language."""
    if moment is None:
        return "-"
    lang = lang or turn.lang
    local = moment.astimezone(turn.services.calendar.tz)
    days = turn.texts.get("day_names", lang).split(",")
    months = turn.texts.get("month_names", lang).split(",")
    text = f"{days[local.weekday()]}, {local.day} {months[local.month - 1]} {local.year}"
    if with_time:
        text += f" {local.strftime(turn.texts.get('time_format', lang))}"
    return text


def topic_name(turn: Turn, topic: str | None, lang: str | None = None) -> str:
    key = f"topic_{topic}"
    return turn.texts.get(key if topic and turn.texts.has(key) else "topic_unknown", lang or turn.lang)


def subject_name(turn: Turn, ticket: Ticket, lang: str | None = None) -> str:
    """What a ticket is about, in a list or a status: its topic, "pesan untuk pimpinan" for a message to the regent,
    "pertanyaan" for a question to an office that no topic has been given (actions/question.py)."""
    if ticket.kind != "aduan":
        return turn.t("kind_bupati", lang or turn.lang)
    if ticket.extra.get("request") == "informasi":  # a question stays one when the operators route it
        return turn.t("kind_question", lang or turn.lang)
    if ticket.extra.get("crisis"):  # a confidential request for a health worker (actions/crisis.py)
        return turn.t("kind_crisis", lang or turn.lang)
    if ticket.extra.get("request") == "pindah_akun":  # a complaint to move to a new account (actions/move_account.py)
        return turn.t("kind_move_request", lang or turn.lang)
    return topic_name(turn, ticket.topic, lang)


def worded(turn: Turn, ticket: Ticket, key: str) -> str:
    """The text key that names `ticket` rightly: `<key>_question` for a question to an office when that text exists
    ("Pertanyaan *WRG-…* kami buka kembali"), else `key` (a complaint's wording, "Aduan *WRG-…*")."""
    if ticket.extra.get("request") == "informasi" and turn.texts.has(f"{key}_question"):
        return f"{key}_question"
    if ticket.kind == "bupati" and not ticket.opd_id and turn.texts.has(f"{key}_regent"):
        return f"{key}_regent"  # a message to the regent, not a complaint at an office ("Petugas Bupati … aduan")
    return key


def opd_name(turn: Turn, opd_id: str | None) -> str:
    opd = turn.directory.opd(opd_id)
    return opd.short if opd else "-"


def handler_name(turn: Turn, ticket: Ticket, lang: str | None = None) -> str:
    """Who answers for `ticket`, as the resident reads it: its OPD; the regent for a message to the regent not
    yet disposed; else the regency's complaint service (a complaint in triage, which the operator handles)."""
    if ticket.opd_id:
        return opd_name(turn, ticket.opd_id)
    if ticket.kind == "bupati":
        return turn.directory.regent_title
    return turn.t("complaint_service", lang)


def status_name(turn: Turn, status: str, lang: str | None = None) -> str:
    key = f"status_name_{status}"
    return turn.texts.get(key, lang or turn.lang) if turn.texts.has(key) else status


def location_text(turn: Turn, ticket: Ticket, lang: str | None = None) -> str:
    location = Location.from_dict(ticket.location)
    return location.describe() if location else turn.t("location_none", lang)


def map_url(ticket: Ticket) -> str | None:
    """An OpenStreetMap link to the ticket's pin, or None without one."""
    location = Location.from_dict(ticket.location)
    if location is None or location.latitude is None or location.longitude is None:
        return None
    lat, lon = f"{location.latitude:.6f}", f"{location.longitude:.6f}"
    return f"https://www.openstreetmap.org/?mlat={lat}&mlon={lon}#map=18/{lat}/{lon}"


def map_line(turn: Turn, ticket: Ticket, lang: str | None = None) -> str:
    url = map_url(ticket)
    return turn.t("map_link", lang, url=url) if url else ""


async def staff_lang(turn: Turn, key: str) -> str:
    identity = await turn.store.get_identity(key)
    return identity.lang if identity else "id"


async def reporter_label(turn: Turn, ticket: Ticket, lang: str) -> str:
    behalf = ticket.extra.get("on_behalf")
    if isinstance(behalf, dict):  # filed by a village official for a resident: say so, and by whom
        by = await turn.store.get_identity(str(behalf.get("by")))
        hidden = ticket.privacy == "anonim" or not behalf.get("name")
        village = behalf.get("village") if not hidden else None
        key = {NO_PHONE: "reporter_on_behalf_nophone", NO_SMS: "reporter_on_behalf_nosms"}.get(
            str(behalf.get("contact")), "reporter_on_behalf")
        return turn.t(key, lang, name="-" if hidden else behalf["name"], village=f" ({village})" if village else "",
                      phone="-" if hidden else str(behalf.get("phone") or "-"),
                      by=staff_label(turn, by, lang) if by else turn.t("role_pendamping", lang),
                      place=f" ({behalf['place']})" if behalf.get("place") else "")
    if ticket.privacy == "anonim":
        return turn.t("reporter_anonymous", lang)
    channel = ticket.reporter.split(":", 1)[0]
    identity = await turn.store.get_identity(ticket.reporter)
    if identity and identity.name:
        return turn.t("reporter_shown", lang, name=identity.name, channel=channel)
    return turn.t("reporter_unnamed", lang, channel=channel)


def is_group(identity_key: str) -> bool:
    """Telegram group chats have negative ids; a group identity stands for an OPD's group."""
    return identity_key.startswith("telegram:-")


async def opd_recipients(turn: Turn, opd_id: str) -> list[str]:
    """Who is told of an OPD's tickets: its linked groups if any, else each enrolled officer."""
    officers = [i.key for i in await turn.store.list_identities(ROLE_OFFICER, opd_id)]
    opd = turn.directory.opd(opd_id)
    contacts = list(opd.contacts) if opd else []
    groups = [k for k in officers + contacts if is_group(k)]
    chosen = groups or officers + contacts
    return list(dict.fromkeys(chosen))


async def regent_recipients(turn: Turn) -> list[str]:
    enrolled = [i.key for i in await turn.store.list_identities(ROLE_REGENT)]
    return list(dict.fromkeys(list(turn.directory.regent_identities) + enrolled))


async def operator_recipients(turn: Turn) -> list[str]:
    return [i.key for i in await turn.store.list_identities(ROLE_OPERATOR)]


def officer_buttons(turn: Turn, number: str, lang: str) -> tuple[Button, ...]:
    return (
        Button(turn.t("button_reply", lang), f"/balas {number}"),
        Button(turn.t("button_process", lang), f"/proses {number}"),
        Button(turn.t("button_done", lang), f"/selesai {number}"),
        Button(turn.t("button_transfer", lang), f"/alihkan {number}"),
    )


async def ticket_card(turn: Turn, ticket: Ticket, lang: str, moved_from: str | None = None,
                      why: str | None = None, similar: list[Ticket] | None = None, known: bool = False) -> list[Reply]:
    """The card an officer gets for a new ticket: text, buttons, photo and map pin. A ticket transferred from
    another OPD (`moved_from`) says so first: from where, by whom and why (`why`, the transfer's reason). One
    the OPD already has (`known`: a disposition to it) is not headed as new."""
    asked = ticket.extra.get("request") == "informasi"  # a question to the office (actions/question.py)
    text = turn.t(
        "card_known_ticket" if known else "card_new_question" if asked
        else "card_new_crisis" if ticket.extra.get("crisis") else "card_new_ticket", lang,
        number=ticket.number,
        topic=turn.t("kind_crisis", lang) if ticket.extra.get("crisis") else topic_name(turn, ticket.topic, lang),
        opd=opd_name(turn, ticket.opd_id),
        location=location_text(turn, ticket, lang) + map_line(turn, ticket, lang),
        due=format_date(turn, ticket.due_at, lang),
        reporter=await reporter_label(turn, ticket, lang),
        text=ticket.text,
    )
    if ticket.extra.get("crisis"):  # someone in crisis asked for a health worker (actions/crisis.py)
        who = turn.t("crisis_who_other" if ticket.extra["crisis"] == "other" else "crisis_who_self", lang)
        text = turn.t("card_crisis_note", lang, who=who) + "\n\n" + text
    if ticket.extra.get(ASPIRATION_KEY):  # a resident's suggestion, as SP4N-LAPOR! keeps aspirasi beside complaints
        text = turn.t("card_aspiration_note", lang) + "\n\n" + text
    if ticket.lang == "en":  # the reporter writes English: answers in English reach them best
        text += "\n\n" + turn.t("card_reporter_english", lang)
    if similar is None:
        similar = await nearby.similar_open(turn, ticket)
    if similar:  # a neighbour's report of the same matter at the same place: fixed once, every reporter answered
        text += "\n\n" + turn.t("card_similar_open", lang, tickets=", ".join(
            turn.t("card_similar_item", lang, number=t.number, date=format_date(turn, t.created_at, lang))
            for t in similar), example=similar[0].number, number=ticket.number)
    if moved_from:
        because = turn.t("card_moved_why", lang, why=why) if why else ""
        moved = turn.t("card_moved_from", lang, opd=opd_name(turn, moved_from),
                       by=turn.t("desk_reporter", lang) if turn.identity.key == ticket.reporter  # (never their name)
                       else staff_label(turn, turn.identity, lang), why=because)
        text = f"{moved}\n\n{text}"
    location = Location.from_dict(ticket.location)
    pin = location if location and location.latitude is not None else None
    image = f"media:{ticket.media[0]}" if ticket.media else None
    return [Reply(text, officer_buttons(turn, ticket.number, lang), image=image, location=pin, ticket=ticket.number)]


#: A staff conversation's state: the ticket whose reporter last wrote to them, and when.
LAST_IN_KEY = "last_in"
LAST_IN_KEPT = 3


async def mark_last_in(turn: Turn, staff_key: str, ticket: Ticket) -> None:
    """Remember that `ticket`'s reporter was last to write to `staff_key` (with the two before): their next plain
    words may be the answer to one of them, and are offered as such (officer.offer_reply_to_last)."""
    conv = await turn.store.get_conversation(staff_key)
    before = conv.state.get(LAST_IN_KEY) if conv is not None else None
    earlier = [e for e in before if isinstance(e, dict) and e.get("number") != ticket.number] \
        if isinstance(before, list) else []
    seq = last_in_seq(before) + 1  # which came after an officer pressed "Balas", even within one second
    recent = [{"number": ticket.number, "at": turn.now.isoformat(), "seq": seq}, *earlier][:LAST_IN_KEPT]
    turn.patch_conversation(staff_key, **{LAST_IN_KEY: recent})


def last_in_seq(recent: Any) -> int:
    """The count of reporters' messages `mark_last_in` has recorded for a staff member (0 for none yet)."""
    if not isinstance(recent, list):
        return 0
    return max((e["seq"] for e in recent if isinstance(e, dict) and isinstance(e.get("seq"), int)), default=0)


async def notify_opd(turn: Turn, ticket: Ticket, reason: str, moved_from: str | None = None,
                     why: str | None = None) -> None:
    """Send the new-ticket card to the OPD (saying it was moved from `moved_from` and `why`, for a transfer);
    if nobody is enrolled there, warn the operators."""
    assert ticket.opd_id
    recipients = await opd_recipients(turn, ticket.opd_id)
    similar = await nearby.similar_open(turn, ticket) if recipients else []
    for key in recipients:
        card = await ticket_card(turn, ticket, await staff_lang(turn, key), moved_from, why, similar)
        turn.deliver(key, card, reason)
        await mark_last_in(turn, key, ticket)
    if not recipients:
        for key in await operator_recipients(turn):
            lang = await staff_lang(turn, key)
            text = turn.t("card_no_officer", lang, opd=opd_name(turn, ticket.opd_id),
                          number=ticket.number, opd_id=ticket.opd_id)
            turn.deliver(key, [Reply(text, ticket=ticket.number)], reason)


async def notify_staff_of_ticket(turn: Turn, ticket: Ticket, key: str, reason: str, image: str | None = None,
                                 reply_button: bool = False, more_buttons: tuple[tuple[str, str], ...] = (),
                                 **fields: Any) -> list[str]:
    """Tell everyone handling `ticket` (its OPD, or the regent for messages to the regent); `image` a `media:ID`;
    `reply_button` adds a "Balas" button that starts the answer to the reporter, `more_buttons` more of them
    (the text key of each title, and its payload); a field given as a function of the language (a date) is
    written in each recipient's own. An OPD with nobody enrolled
    passes it to whoever sent the ticket there: the regent for a message the regent disposed, else the
    operators. Gives who was told (none: only the ticket's history and the desk hold it)."""
    recipients: list[str] = []
    if ticket.opd_id:
        recipients = await opd_recipients(turn, ticket.opd_id)
    if not recipients and ticket.kind == "bupati":
        recipients = await regent_recipients(turn)
    if not recipients:
        recipients = await operator_recipients(turn)
    if reply_button:  # the reporter wrote and waits for an answer: an answered message to the regent, again
        from actions.sla import await_answer_again

        await_answer_again(turn, ticket)
    for to in recipients:
        lang = await staff_lang(turn, to)
        buttons: tuple[Button, ...] = (Button(turn.t("button_reply", lang), f"/balas {ticket.number}"),) \
            if reply_button else ()
        buttons += tuple(Button(turn.t(key, lang), payload) for key, payload in more_buttons)
        if reply_button:
            await mark_last_in(turn, to, ticket)
        values = {name: value(lang) if callable(value) else value for name, value in fields.items()}
        turn.deliver(to, [Reply(turn.t(key, lang, number=ticket.number, **values), buttons, ticket=ticket.number,
                                image=image)], reason)
    return recipients


async def own_ticket_named(turn: Turn, args: str) -> Ticket | None:
    """The resident's own ticket whose number `args` gives (a resident's command such as /buka); else "not found",
    alike for none and another's, and None."""
    number = find_ticket_number(args)
    ticket = await turn.store.get_ticket(number) if number else None
    if ticket is None or ticket.reporter != turn.identity.key:
        turn.say("status_not_found", number=number or args.strip() or "-")
        return None
    return ticket


def can_act(turn: Turn, ticket: Ticket) -> bool:
    """Officers act on their own OPD's tickets; the regent and operators on all."""
    return identity_can_act(turn.identity, ticket.opd_id, ticket.kind)


def identity_can_act(identity: Identity, opd_id: str | None, kind: str | None = None) -> bool:
    """The rule of `can_act` for an identity and a ticket's OPD and kind (the web desk uses it too)."""
    if kind == LETTER_KIND:
        return False
    if identity.role in (ROLE_REGENT, ROLE_OPERATOR):
        return True
    return identity.role == ROLE_OFFICER and opd_id is not None and opd_id == identity.opd_id


def is_open(ticket: Ticket) -> bool:
    return ticket.status in OPEN_STATUSES


def identity_display(identity: Identity) -> str:
    return identity.name or identity.key.split(":", 1)[0]


def staff_label(turn: Turn, identity: Identity, lang: str | None = None) -> str:
    """A staff member as colleagues read them: the name they gave (`/nama`, or their chat profile), else their
    role and OPD with the end of their id ("Petugas Dishub (…c847)"), so two unnamed officers differ."""
    if identity.name:
        return identity.name
    role = turn.t(f"role_{identity.role}", lang) if turn.texts.has(f"role_{identity.role}") else identity.role
    opd = turn.directory.opd(identity.opd_id)
    label = f"{role} {opd.short}" if opd and identity.role == ROLE_OFFICER else role
    return f"{label[:1].upper()}{label[1:]} (…{identity.sender_id[-4:]})"


async def actor_names(turn: Turn, ticket: Ticket, events: list[TicketEvent], lang: str) -> dict[str, str]:
    """Who did what in a ticket's history, by actor key: the reporter is "Pelapor" (never their name: an
    anonymous ticket stays anonymous in its history), staff by name or by role, OPD and the end of their id."""
    names: dict[str, str] = {ticket.reporter: turn.t("desk_reporter", lang)}
    for event in events:
        if event.actor and event.actor not in names:
            if event.actor == "system" or event.actor.startswith("system:"):  # the service's own workers
                names[event.actor] = system_actor(turn, event.actor, lang)
                continue
            who = await turn.store.get_identity(event.actor)
            if who and who.role != ROLE_RESIDENT:
                names[event.actor] = staff_label(turn, who, lang)
            elif who and who.name:  # staff since revoked: what they did keeps their name
                names[event.actor] = who.name
            else:
                names[event.actor] = event.actor.partition(":")[0]
    return names


def system_actor(turn: Turn, actor: str, lang: str | None = None) -> str:
    """What the service did by itself, as a history names it: "Sistem (batas waktu)" for `system:sla`, "Sistem"
    for a worker without a name of its own (never the raw "system")."""
    key = f"actor_system_{actor.partition(':')[2]}"
    return turn.t(key if turn.texts.has(key) else "actor_system", lang)


def event_actor(event: TicketEvent, ticket: Ticket, names: dict[str, str]) -> str | None:
    """Who a history line names (`names` from `actor_names`): nobody for what the bot itself did on the
    reporter's message (routing it), which would otherwise read as the resident's doing."""
    if not event.actor or (event.kind == "routed" and event.actor == ticket.reporter):
        return None
    return names.get(event.actor, "-")


def for_whom(turn: Turn, ticket: Ticket, lang: str) -> str:
    """The first line of news for a village official who filed for a resident without a phone ("Untuk Mbah Painem,
    mohon disampaikan:"): the official gets news of several residents and passes each on in person."""
    behalf = ticket.extra.get("on_behalf")
    if not relayed_by_official(behalf) or not isinstance(behalf, dict) or not behalf.get("name"):
        return ""
    return turn.t("behalf_news_for", lang, name=behalf["name"])


def done_notice(turn: Turn, ticket: Ticket, lang: str, note: str, image: str | None = None,
                by: str | None = None) -> Reply:
    """What the resident gets when staff mark their ticket done: "Sudah beres?" (yes / not yet). `by` names who
    did (the regent, the complaint service); the ticket's handler when not given.

    "Yes" then asks for a rating; "not yet" reopens the ticket and tells the OPD (actions/resident.py).
    """
    if ticket.extra.get("crisis"):  # support given (actions/crisis.py): no "fixed?" nor rating; the door stays open
        call = turn.directory.crisis.numbers[0].number if turn.directory.crisis else "112"
        body = turn.t("crisis_done", lang, number=ticket.number, opd=by or handler_name(turn, ticket, lang), call=call,
                      note=turn.t("done_note", lang, note=note) if note else "")
        return Reply(body, (Button(turn.t("crisis_talk_again", lang), f"/buka {ticket.number}"),),
                     ticket=ticket.number, image=image)
    asked = ticket.extra.get("request") == "informasi"  # a question: "was it answered?" instead
    body = for_whom(turn, ticket, lang) + turn.t("done_ask_answered" if asked else "done_ask_fixed", lang,
                                                 number=ticket.number, opd=by or handler_name(turn, ticket, lang),
                                                 note=turn.t("done_note", lang, note=note) if note else "")
    buttons = (Button(turn.t("answered_yes" if asked else "fixed_yes", lang), f"fixed:{ticket.number}:yes"),
               Button(turn.t("fixed_no", lang), f"fixed:{ticket.number}:no"))
    return Reply(body, buttons, ticket=ticket.number, image=image)


#: Ticket `extra` keys: when the reporter asked that the complaint be closed (their withdrawal, passed to its
#: officers), and, once an officer closed it after that, that it was closed at the reporter's request.
WITHDRAW_REQUESTED = "withdraw_requested"
#: ticket.extra: when the reporter took back their request to close it ("jangan dibatalkan dulu"): the officers' one-tap
#: close ("/selesai TIKET -") then closes nothing, and says why
WITHDRAW_RETRACTED = "withdraw_retracted"
WITHDRAWN = "withdrawn"


#: Outbox job kind: what staff told a resident about a complaint, recorded at SP4N-LAPOR! too (integrations/lapor.py).
JOB_LAPOR_FOLLOWUP = "lapor_followup"
#: Ticket `extra` key: the complaint was sent to SP4N-LAPOR! (its `lapor_create` job queued), id or not yet.
TO_LAPOR = "to_lapor"
#: Ticket `extra` key: digests of the follow-ups we pushed to LAPOR! (the sync does not relay them back).
LAPOR_PUSHED = "lapor_pushed"
#: Ticket `extra` keys: the references of our answers for LAPOR!, in the order given, and those posted there.
LAPOR_OUTGOING = "lapor_outgoing"
LAPOR_POSTED = "lapor_posted"


def followup_digest(text: str) -> str:
    """The same for a follow-up's text as we sent it and as LAPOR! gives it back (spacing and case aside)."""
    return hashlib.sha256(" ".join(text.split()).casefold().encode()).hexdigest()[:16]


def push_to_lapor(turn: Turn, ticket: Ticket, text: str, author: str) -> None:
    """What staff tell the resident about a complaint that went to SP4N-LAPOR! goes there too, as a follow-up
    (tindak lanjut) by `author` (the OPD, as the resident knows it): someone following the report at LAPOR!, and
    the regency's LAPOR! admin, see it answered. Queued in the same commit as the answer; the digest kept on the
    ticket lets the LAPOR! sync tell our own follow-ups from LAPOR!'s and never relay them back."""
    if not turn.services.settings.lapor.enabled or ticket.kind != "aduan" or not text.strip():
        return
    if not (ticket.lapor_id or ticket.extra.get(TO_LAPOR)):
        return  # filed before LAPOR! was switched on: never there
    digest = followup_digest(text)
    key = f"{JOB_LAPOR_FOLLOWUP}:{ticket.number}:{digest}:{turn.now.timestamp():.0f}"
    ref = hashlib.sha256(key.encode()).hexdigest()[:12]  # our reference for this one answer at LAPOR!
    ticket.extra[LAPOR_PUSHED] = [d for d in ticket.extra.get(LAPOR_PUSHED, []) if d != digest][-199:] + [digest]
    ticket.extra[LAPOR_OUTGOING] = [r for r in ticket.extra.get(LAPOR_OUTGOING, []) if r != ref][-99:] + [ref]
    turn.save_ticket(ticket)
    turn.job(JOB_LAPOR_FOLLOWUP, key, {"ticket": ticket.number, "text": text, "author": author, "ref": ref})
