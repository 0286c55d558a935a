"""One matter, several reports: a duplicate complaint joined to the one being handled.

Neighbours report the same dark street light or the same broken bridge. The officer's card and the desk already
name open complaints of the same topic at the same place (actions/nearby.py); `/gabung WRG-B WRG-A` joins B to A,
as FixMyStreet marks a report a duplicate and subscribes its reporter to the original, and a resident filing may
support a neighbour's open complaint instead of sending a second card (SP4N-LAPOR!'s "dukung";
`supported_at_filing`, offered by actions/complaint.py):

- B gets the status `digabung` (`STATUS_JOINED`: neither open nor resolved in any figure) and `DUPLICATE_OF`; its
  reporter is told which complaint carries their matter, with a button to say it is not the same (`cmd_not_same`);
- A keeps B in its `FOLLOWERS`; every answer, "in progress" and "done" of A reaches B's reporter too, on B's number
  (`tell_followers`), and what B's reporter writes back goes to A's officers (`pass_to_main`), who may answer that
  reporter alone (`/balas B`) or all of them (`/balas A`);
- when A is done, B is done with it and its reporter asked "Sudah beres?": "belum" opens B again on its own; when
  A's reporter withdraws A, the oldest joined complaint carries the matter (`release_followers`).

Only who may act on both complaints may join them, never a confidential one, support given in a crisis or a report
of violence (`joinable`); the reporter of A is never named to B's, nor B's to A's.
"""

from __future__ import annotations

import re
from typing import Any

from actions import nearby
from actions.base import Turn, command, find_ticket_number
from actions.common import (
    WITHDRAWN,
    done_notice,
    for_whom,
    format_date,
    handler_name,
    identity_can_act,
    is_open,
    mark_last_in,
    notify_staff_of_ticket,
    own_ticket_named,
    push_to_lapor,
    status_name,
    topic_name,
)
from bot.message import Button, Reply
from bot.store.base import (
    OPEN_STATUSES,
    ROLE_OFFICER,
    ROLE_OPERATOR,
    ROLE_REGENT,
    STATUS_CLOSED,
    STATUS_DONE,
    STATUS_IN_PROGRESS,
    STATUS_JOINED,
    STATUS_TRIAGE,
    Ticket,
)

#: Ticket `extra`: on a joined complaint, the number of the complaint it was joined to.
DUPLICATE_OF = "duplicate_of"
#: Ticket `extra`: on the complaint being handled, the numbers of the complaints joined to it, oldest first.
FOLLOWERS = "followers"
_PRIORITY = {"normal": 0, "tinggi": 1, "darurat": 2}
OFFICERS = (ROLE_OFFICER, ROLE_OPERATOR, ROLE_REGENT)
USAGE = "/gabung TIKET TIKET-UTAMA"


#: Topics whose reports are never joined: what officers answer there is for the one who reported it alone.
PRIVATE_TOPICS = frozenset({"aduan_kekerasan_perempuan_anak"})


def joinable(ticket: Ticket) -> bool:
    """Whether a complaint may share its answers with other reporters: not a confidential one, not support given to
    someone in crisis, nor a report of violence against a woman or child (whatever privacy was chosen)."""
    return (ticket.kind == "aduan" and ticket.privacy != "rahasia" and not ticket.extra.get("crisis")
            and ticket.topic not in PRIVATE_TOPICS)


def main_of(ticket: Ticket) -> str | None:
    """The complaint `ticket` was joined to, while it stays joined (done with it, too)."""
    main = ticket.extra.get(DUPLICATE_OF)
    return main if isinstance(main, str) and ticket.status in (STATUS_JOINED, STATUS_DONE) else None


@command("gabung", roles=OFFICERS, usage=USAGE)
async def cmd_merge(turn: Turn, args: str) -> None:
    """`/gabung WRG-B WRG-A [catatan]` ("ke", "dengan" between are read too): B is the same matter as A."""
    from actions import officer

    if (found := await officer.read_number(turn, args, "/gabung")) is None:
        return
    number, rest = found
    rest = re.sub(r"^(?:ke|dengan|dgn|into|with|to|->|=)\s+", "", rest.strip(), flags=re.IGNORECASE)
    main_number = find_ticket_number(rest.split(maxsplit=1)[0]) if rest else None
    note = rest.split(maxsplit=1)[1].strip() if main_number and len(rest.split(maxsplit=1)) > 1 else ""
    if number is None:
        turn.say("usage", usage=USAGE)
        return
    ticket = await officer.load_actionable(turn, number, USAGE)
    if ticket is None:
        return
    if (joined := main_of(ticket)) is not None:
        turn.say("merge_already_joined", number=ticket.number, main=joined)
        return
    if not is_open(ticket):
        turn.say("ticket_closed", number=ticket.number, status=status_name(turn, ticket.status))
        return
    if main_number is None:
        await _offer_similar(turn, ticket)
        return
    main = await turn.store.get_ticket(main_number)
    if main is not None and (further := main_of(main)) is not None:  # joined itself: to the one it joined
        main = await turn.store.get_ticket(further)
    if main is None:
        turn.say("merge_main_not_found", number=main_number)
        return
    if main.number == ticket.number:
        turn.say("merge_same_ticket", number=ticket.number)
        return
    if not identity_can_act(turn.identity, main.opd_id, main.kind):
        turn.say("merge_main_not_yours", number=main.number)
        return
    if ticket.kind != "aduan" or main.kind != "aduan":
        turn.say("merge_only_complaints")
        return
    if not joinable(ticket) or not joinable(main):  # one's answers would reach the other's reporter
        turn.say("merge_sensitive", number=(ticket if not joinable(ticket) else main).number)
        return
    if not is_open(main):
        turn.say("merge_main_finished", number=main.number, other=ticket.number,
                 status=status_name(turn, main.status))
        return
    await merge(turn, ticket, main, note)


async def _offer_similar(turn: Turn, ticket: Ticket) -> None:
    """`/gabung WRG-B` alone: the open complaints at the same place, one tap each; or how to name one."""
    similar = await nearby.similar_open(turn, ticket)
    if not similar:
        turn.say("merge_which_none", number=ticket.number)
        return
    turn.say("merge_which", [Button(turn.t("merge_into_button", main=t.number), f"/gabung {ticket.number} {t.number}")
                             for t in similar], number=ticket.number)


async def join(turn: Turn, ticket: Ticket, main: Ticket, note: str = "") -> None:
    """`ticket` joined to `main` (with whatever was joined to it), `main` taking its photos and urgency;
    both histories say so, and SP4N-LAPOR! hears where the joined report is followed up. Nobody is told here."""
    from actions.officer import acting_name

    moved = []  # joined to it before: to main now, and their reporters told the number they follow now
    for number in ticket.extra.pop(FOLLOWERS, []):
        other = await turn.store.get_ticket(number) if isinstance(number, str) else None
        if other is not None and main_of(other) == ticket.number and other.number != main.number:
            other.extra[DUPLICATE_OF] = main.number
            turn.save_ticket(other)
            turn.event(other, "merged", None, into=main.number, moved_from=ticket.number)
            moved.append(other.number)
            if other.reporter not in (ticket.reporter, main.reporter):
                await _tell_reporter(turn, other, "joined_moved_along_to_resident", main=ticket.number,
                                     carrier=main.number)
    ticket.status = STATUS_JOINED  # (not closed: it is not resolved until the main complaint is)
    ticket.closed_at = None
    ticket.extra[DUPLICATE_OF] = main.number
    turn.save_ticket(ticket)
    turn.event(ticket, "merged", note or None, into=main.number)
    followers = [n for n in main.extra.get(FOLLOWERS, []) if n not in (ticket.number, *moved)]
    main.extra[FOLLOWERS] = [*followers, ticket.number, *moved]
    if _PRIORITY.get(ticket.priority, 0) > _PRIORITY.get(main.priority, 0):
        main.priority = ticket.priority  # an urgent duplicate keeps the matter urgent
    if ticket.due_at is not None and (main.due_at is None or ticket.due_at < main.due_at):
        main.due_at = ticket.due_at  # the matter was reported earlier: its earlier deadline rules (no later one)
    for media in ticket.media:
        if media not in main.media:
            main.media.append(media)  # the duplicate's photos show the same matter: the officers see them on A
    turn.save_ticket(main)
    turn.event(main, "merged_in", note or None, **{"from": ticket.number})
    by = acting_name(turn, ticket, "id")
    push_to_lapor(turn, ticket, turn.t("lapor_followup_merged", "id", main=main.number, by=by), by)


async def merge(turn: Turn, ticket: Ticket, main: Ticket, note: str = "") -> None:
    """Staff join `ticket` to `main`: its reporter is told, and follows `main` from now on."""
    from actions.officer import acting_name, tell_opd_of_change

    await join(turn, ticket, main, note)
    reporter = await turn.store.get_identity(ticket.reporter)
    lang = reporter.lang if reporter else ticket.lang
    body = for_whom(turn, ticket, lang) + turn.t(
        "merged_to_resident", lang, for_channel=ticket.reporter.split(":", 1)[0], number=ticket.number,
        main=main.number, topic=topic_name(turn, main.topic, lang),
        opd=acting_name(turn, main, lang), status=status_name(turn, main.status, lang),
        note=turn.t("merged_note", lang, note=note) if note else "")
    turn.deliver(ticket.reporter, [Reply(body, (Button(turn.t("merged_not_same_button", lang),
                                                       f"/bukan_sama {ticket.number}"),), ticket=ticket.number)],
                 f"merged:{ticket.number}")
    await tell_opd_of_change(turn, ticket.opd_id, ticket.number, "outside_merged_to_officer", "merged-by", note,
                             main=main.number)
    turn.reset_flow()
    turn.say("marked_merged", number=ticket.number, main=main.number, count=str(len(main.extra[FOLLOWERS])))


async def supported_at_filing(turn: Turn, ticket: Ticket, main: Ticket, words: str) -> None:
    """A resident filing a complaint chose to support another resident's open one on the same matter at the same
    place (as SP4N-LAPOR!'s "dukung" and FixMyStreet's "this is the same"): theirs is kept, joined to it at once;
    its officers get the resident's words on `main` (no second card), and the resident follows `main`."""
    await join(turn, ticket, main)
    turn.event(main, "message_in", words, media=list(ticket.media), follower=ticket.number)
    await _tell_main_staff(turn, main, ticket, "supporter_to_officer", words, list(ticket.media),
                           count=str(len(main.extra[FOLLOWERS])))


def info_note(turn: Turn, ticket: Ticket) -> str:
    """/info's words after the status: the complaint this one is joined to, or those joined to it."""
    if (main := main_of(ticket)) is not None:
        return turn.t("info_joined_to", main=main)
    followers = [n for n in ticket.extra.get(FOLLOWERS, []) if isinstance(n, str)]
    return turn.t("info_followers", numbers=", ".join(followers)) if followers else ""


async def followers_of(turn: Turn, main: Ticket) -> list[Ticket]:
    """The complaints still joined to `main` (one its reporter opened again is no longer)."""
    found = []
    for number in main.extra.get(FOLLOWERS, []):
        ticket = await turn.store.get_ticket(number) if isinstance(number, str) else None
        if ticket is not None and main_of(ticket) == main.number:
            found.append(ticket)
    return found


async def tell_followers(turn: Turn, main: Ticket, what: str, text: str = "", image: str | None = None) -> None:
    """What staff did on `main` ("reply" with their words, "progress", or "done" with its note), to the reporters
    of the complaints joined to it, each on their own number; their plain answer comes back to `main`'s officers."""
    if not main.extra.get(FOLLOWERS):
        return
    from actions.officer import acting_name

    told = {main.reporter}  # a resident who reported it twice hears it once
    for ticket in await followers_of(turn, main):
        if ticket.reporter in told:
            continue
        told.add(ticket.reporter)
        reporter = await turn.store.get_identity(ticket.reporter)
        lang = reporter.lang if reporter else ticket.lang
        fields: dict[str, Any] = {"number": ticket.number, "main": main.number,
                                  "opd": acting_name(turn, main, lang), "text": text}
        if what == "done":  # done as the main complaint is: "Sudah beres?" and "belum" work as for any
            ticket.status, ticket.closed_at = STATUS_DONE, turn.now
            turn.save_ticket(ticket)
            notice = done_notice(turn, ticket, lang, text, image, by=fields["opd"])
            head = turn.t("merged_done_head", lang, **fields)
            turn.deliver(ticket.reporter, [Reply(head + notice.text, notice.buttons, ticket=ticket.number,
                                                 image=image)], f"done:{ticket.number}")
            turn.patch_conversation(ticket.reporter, rating_ticket=ticket.number)
            continue
        if what == "reopened":  # joined again to a complaint being handled: its "Sudah beres?" is withdrawn
            ticket.status, ticket.closed_at, ticket.rating = STATUS_JOINED, None, None
            turn.save_ticket(ticket)
        key = {"reply": "merged_reply_to_follower", "progress": "merged_progress_to_follower",
               "reopened": "merged_reopened_to_follower"}[what]
        buttons = (Button(turn.t("reply_button", lang), f"/tanggapi {ticket.number}"),) if what == "reply" else ()
        words = turn.t(key, lang, for_channel=ticket.reporter.split(":", 1)[0], **fields)
        turn.deliver(ticket.reporter, [Reply(for_whom(turn, ticket, lang) + words, buttons,
                                             ticket=ticket.number, image=image)], f"follow:{ticket.number}")
        if what == "reply":  # kept in its history as sent to it; the plain answer back goes to `main`
            turn.event(ticket, "message_out", text, via=main.number, opd=turn.identity.opd_id,
                       role=turn.identity.role)
            turn.patch_conversation(ticket.reporter, reply_ticket=ticket.number)


async def open_main(turn: Turn, ticket: Ticket) -> Ticket | None:
    """The open complaint `ticket` (the reporter's own) is joined to, if any."""
    main_number = main_of(ticket)
    main = await turn.store.get_ticket(main_number) if main_number else None
    return main if main is not None and main.status in OPEN_STATUSES else None


async def pass_to_main(turn: Turn, ticket: Ticket, main: Ticket, text: str, media: list[str]) -> list[str]:
    """Words (and photos) of `ticket`'s reporter, kept in `main`'s history as theirs and passed to its officers, whose
    "Balas" answers that reporter alone (`/balas` on the joined complaint); who was told."""
    if media:
        main.media.extend(m for m in media if m not in main.media)
        turn.save_ticket(main)
    words = text or turn.t("photo_for_officer", "id", count=len(media))
    turn.event(main, "message_in", words, media=media, follower=ticket.number)
    return await _tell_main_staff(turn, main, ticket, "follower_message_to_officer", words, media)


async def _tell_main_staff(turn: Turn, main: Ticket, ticket: Ticket, key: str, words: str, media: list[str],
                           **fields: Any) -> list[str]:
    """`main`'s officers hear from the reporter of `ticket` (joined to it), with a button answering that reporter
    alone and one answering every reporter of the matter."""
    told = await notify_staff_of_ticket(
        turn, main, key, f"in:{main.number}", image=f"media:{media[0]}" if media else None,
        more_buttons=(("follower_reply_one", f"/balas {ticket.number}"),
                      ("follower_reply_all", f"/balas {main.number}")),
        text=words, joined=ticket.number, **fields)
    for to in told:  # a reply to this card (Telegram, WhatsApp) answers the one who wrote
        await mark_last_in(turn, to, ticket)
    return told


def unlink(turn: Turn, ticket: Ticket) -> str | None:
    """`ticket` no longer joined (its reporter opened it again): the number it was joined to, or None. The main
    complaint's list is mended by the caller (`drop_follower`), which loads it."""
    main = ticket.extra.pop(DUPLICATE_OF, None)
    return main if isinstance(main, str) else None


async def drop_follower(turn: Turn, ticket: Ticket, main_number: str, said_not_same: bool) -> None:
    """`ticket` leaves `main_number`'s followers; its officers read why in the history."""
    main = await turn.store.get_ticket(main_number)
    if main is None:
        return
    main.extra[FOLLOWERS] = [n for n in main.extra.get(FOLLOWERS, []) if n != ticket.number]
    turn.save_ticket(main)
    turn.event(main, "unmerged", None, **{"from": ticket.number, "not_same": said_not_same})


async def release_followers(turn: Turn, main: Ticket) -> None:
    """`main` closed at its reporter's request: the matter is still reported by the others. The oldest complaint
    joined to it opens again at its office (a fresh deadline) and carries the matter; the others follow it now. Their
    reporters and the officers are told. The withdrawing reporter's own second report of it closes with it."""
    joined = await followers_of(turn, main)
    main.extra[FOLLOWERS] = []
    turn.save_ticket(main)
    for own in [t for t in joined if t.reporter == main.reporter]:
        own.extra[WITHDRAWN] = True  # withdrawn with the first: they asked for the matter to be closed
        own.status, own.closed_at = STATUS_CLOSED, turn.now
        turn.save_ticket(own)
        turn.event(own, "unmerged", None, **{"from": main.number, "withdrawn": True})
    released = [t for t in joined if t.reporter != main.reporter]
    if not released:
        return
    carrier, rest = released[0], released[1:]
    unlink(turn, carrier)
    _open_again(turn, carrier)
    carrier.extra[FOLLOWERS] = [t.number for t in rest]
    turn.save_ticket(carrier)
    turn.event(carrier, "unmerged", None, **{"from": main.number, "released": True})
    by = handler_name(turn, carrier, "id")
    push_to_lapor(turn, carrier, turn.t("lapor_followup_separated", "id", main=main.number), by)
    await _tell_reporter(turn, carrier, "joined_released_to_resident", main=main.number)
    due_at = carrier.due_at
    await notify_staff_of_ticket(turn, carrier, "carrier_to_officer", f"released:{carrier.number}", reply_button=True,
                                 main=main.number, due=lambda lang: format_date(turn, due_at, lang))
    for ticket in rest:
        ticket.extra[DUPLICATE_OF] = carrier.number
        turn.save_ticket(ticket)
        turn.event(ticket, "merged", None, into=carrier.number, moved_from=main.number)
        await _tell_reporter(turn, ticket, "joined_moved_to_resident", main=main.number, carrier=carrier.number)
    others = turn.t("joined_released_others", main=main.number, numbers=", ".join(t.number for t in rest))
    turn.say("joined_released_to_officer", main=main.number, carrier=carrier.number, others=others if rest else "")


def _open_again(turn: Turn, ticket: Ticket) -> None:
    """A joined complaint open again at its office, with a fresh deadline (its own had stopped when it was joined)."""
    from actions.sla import triage_deadline

    opd = turn.directory.opd(ticket.opd_id)
    ticket.status = STATUS_IN_PROGRESS if opd else STATUS_TRIAGE  # (no office yet: the operators choose one)
    ticket.closed_at = None
    ticket.due_at = turn.services.calendar.add_working_days(turn.now, opd.sla_days) if opd else \
        triage_deadline(turn.services, turn.now)
    ticket.escalated_at = None
    ticket.reminded_at = None
    ticket.rating = None


async def _tell_reporter(turn: Turn, ticket: Ticket, key: str, **fields: str) -> None:
    from actions.officer import acting_name

    reporter = await turn.store.get_identity(ticket.reporter)
    lang = reporter.lang if reporter else ticket.lang
    text = for_whom(turn, ticket, lang) + turn.t(key, lang, for_channel=ticket.reporter.split(":", 1)[0],
                                                 number=ticket.number, opd=acting_name(turn, ticket, lang), **fields)
    turn.deliver(ticket.reporter, [Reply(text, (Button(turn.t("reply_button", lang), f"/tanggapi {ticket.number}"),),
                                         ticket=ticket.number)], f"{key}:{ticket.number}")


async def stop_following(turn: Turn, ticket: Ticket, main: Ticket, reason: str) -> None:
    """The reporter of a joined complaint withdraws it: it stops following `main` (closed as withdrawn), whose
    officers read why in its history; the matter goes on for its other reporters."""
    unlink(turn, ticket)
    ticket.status, ticket.closed_at = STATUS_CLOSED, turn.now
    ticket.extra[WITHDRAWN] = True
    turn.save_ticket(ticket)
    turn.event(ticket, "unmerged", reason or None, **{"from": main.number, "withdrawn": True})
    turn.event(ticket, "status", None, status=STATUS_CLOSED, withdrawn=True)
    await drop_follower(turn, ticket, main.number, said_not_same=False)
    turn.say("withdraw_joined_done", number=ticket.number, main=main.number, opd=handler_name(turn, main))


@command("bukan_sama")
async def cmd_not_same(turn: Turn, args: str) -> None:
    """The reporter of a joined complaint says it is not the same matter: it opens again at its office."""
    if (ticket := await own_ticket_named(turn, args)) is None:
        return
    main_number = main_of(ticket)
    if main_number is None:
        turn.say("not_same_not_joined", number=ticket.number, status=status_name(turn, ticket.status))
        return
    unlink(turn, ticket)
    await drop_follower(turn, ticket, main_number, said_not_same=True)
    _open_again(turn, ticket)
    turn.save_ticket(ticket)
    turn.event(ticket, "unmerged", None, **{"from": main_number, "not_same": True})
    push_to_lapor(turn, ticket, turn.t("lapor_followup_separated", "id", main=main_number),
                  handler_name(turn, ticket, "id"))
    due_at = ticket.due_at
    await notify_staff_of_ticket(turn, ticket, "not_same_to_officer", f"not-same:{ticket.number}", reply_button=True,
                                 main=main_number, due=lambda lang: format_date(turn, due_at, lang))
    turn.reset_flow()
    turn.state["reply_ticket"] = ticket.number  # what is different, typed next, goes to its officers
    turn.say("not_same_reopened", number=ticket.number, opd=handler_name(turn, ticket))


COMMANDS = [cmd_merge, cmd_not_same]
