"""Who is enrolled as staff, and taking that access away again: the operator's side of enrolment.

An officer moves to another agency, a village head's term ends, a phone is lost: the operator lists the staff
(`/petugas [ID-OPD]`, `python -m bot staff list`) and revokes one by the short code the list gives
(`/cabut_akses KODE alasan`, `python -m bot staff remove KODE`). Revoking

- makes the identity a resident again (name, language and history kept), and the web identity that person
  signed in to the desk with as well; their signed-in web sessions end at once (desk pages and live streams);
- puts the open tickets assigned to them back in their OPD's queue, each with a history line;
- leaves their conversation's staff flow, and tells them, politely, on their own chat.

People named in `content/directory.yml` (the regent's identities, an OPD's contacts) are not enrolled here:
the file is changed instead. Nobody revokes their own access, so an operator cannot lock everyone out.
"""

from __future__ import annotations

import hashlib
import logging
import re

from actions.base import (
    FORMER_STAFF_KEY,
    ISSUED_CODES_KEY,
    REVOKED_KEY,
    WEB_COPY_KEY,
    WEB_ORIGIN_KEY,
    Turn,
    command,
    find_ticket_number,
    was_staff,
)
from actions.common import is_group, opd_name
from actions.letters import LETTER_ROLES
from actions.officer import EVERY_ROLE, enrolled_as, offer_button, operator_only
from actions.on_behalf import ROLE_COMPANION
from bot.message import Button, Reply
from bot.store.base import (
    OPEN_STATUSES,
    ROLE_OFFICER,
    ROLE_OPERATOR,
    ROLE_REGENT,
    ROLE_RESIDENT,
    Identity,
    Store,
    Ticket,
    TicketQuery,
)

logger = logging.getLogger(__name__)

#: Roles an operator lists and revokes (every role an enrolment code gives).
MANAGED_ROLES = (ROLE_OPERATOR, ROLE_REGENT, ROLE_OFFICER, *LETTER_ROLES, ROLE_COMPANION)
#: How many people one `/petugas` answer lists (a chat message stays readable; filter by OPD for more).
LIST_LIMIT = 40
#: Open tickets of one OPD read to release a revoked officer's assignments (far more than any OPD holds).
RELEASE_SCAN = 10000


def staff_ref(key: str) -> str:
    """A short code for one enrolled identity, stable and the same in chat, on the desk and on the command line,
    without showing the phone number or chat id it stands for."""
    return hashlib.sha256(key.encode()).hexdigest()[:6]


async def web_copy_key(turn: Turn, key: str) -> str | None:
    """The web chat identity `key` signs in to the desk with (bot/web/staff_auth.py): as the sign-in linked it,
    else as this service derives it (sign-ins of an earlier release), None when neither is known."""
    linked = await turn.store.get_value(WEB_COPY_KEY + key)
    if isinstance(linked, str):
        return linked
    sender_for = turn.services.web_sender_for
    return f"webchat:{sender_for(key)}" if sender_for is not None else None


async def origin_of(store: Store, key: str) -> str | None:
    """The chat identity a web identity signed in to the desk from, when the sign-in linked them."""
    origin = await store.get_value(WEB_ORIGIN_KEY + key)
    return origin if isinstance(origin, str) else None


async def signed_in_identity(store: Store, sender: str) -> Identity | None:
    """The web identity a signed-in staff session acts as, while the chat identity it signed in from still holds
    the same role and OPD: a revocation (or a new role) ends the desk session at its next request."""
    identity = await store.get_identity(f"webchat:{sender}")
    origin_key = await origin_of(store, identity.key) if identity is not None else None
    if identity is None or origin_key is None:
        return identity
    origin = await store.get_identity(origin_key)
    if origin is None or (origin.role, origin.opd_id) != (identity.role, identity.opd_id):
        return None
    return identity


async def is_self(turn: Turn, identity: Identity) -> bool:
    """`identity` is the one acting: the same chat identity, or the one the acting web desk session stands for."""
    me = turn.identity.key
    return identity.key == me or await web_copy_key(turn, identity.key) == me \
        or await web_copy_key(turn, me) == identity.key or await origin_of(turn.store, me) == identity.key


def configured(turn: Turn, identity: Identity) -> bool:
    """Named in content/directory.yml as the regent: the dialogue makes such an identity the regent at each
    message, so the file is changed first (and the service restarted), then the access revoked."""
    return identity.key in turn.directory.regent_identities


def contact_of(turn: Turn, identity: Identity) -> list[str]:
    """The OPDs whose `contacts` in content/directory.yml name this identity: they still send it their cards."""
    return [o.short for o in turn.directory.opds.values() if identity.key in o.contacts]


async def staff_members(turn: Turn, opd_id: str | None = None) -> list[Identity]:
    """Everyone enrolled with a staff role (of one OPD when `opd_id` is given), without the web identities they
    sign in to the desk with; operators first, then the regent's staff, officers by OPD, village and district
    heads, companions."""
    people: list[Identity] = []
    for role in MANAGED_ROLES:
        if opd_id is not None and role != ROLE_OFFICER:
            continue
        people += await turn.store.list_identities(role, opd_id if role == ROLE_OFFICER else None)
    copies = {await web_copy_key(turn, p.key) for p in people}
    order = {role: i for i, role in enumerate(MANAGED_ROLES)}
    people = [p for p in people if p.key not in copies and await origin_of(turn.store, p.key) is None]
    return sorted(people, key=lambda p: (order[p.role], p.opd_id or "", (p.name or "").lower(), p.key))


async def find_staff(turn: Turn, ref: str) -> Identity | None:
    wanted = ref.strip().lstrip("#").lower()
    if not wanted:
        return None
    return next((p for p in await staff_members(turn) if staff_ref(p.key) == wanted or p.key == ref.strip()), None)


def channel_words(turn: Turn, identity: Identity) -> str:
    """Where a staff member is reached, with only the end of their id ("telegram …4567", "grup Telegram")."""
    if is_group(identity.key):
        return turn.t("staff_channel_group")
    channel = turn.t("staff_channel_web") if identity.channel == "webchat" else identity.channel
    return f"{channel} …{identity.sender_id[-4:]}"


def describe(turn: Turn, identity: Identity) -> str:
    """ "Agus (petugas Dinas PUPR)", or the role alone for someone who never gave a name (OPDs by short name)."""
    opd = turn.directory.opd(identity.opd_id) if identity.role == ROLE_OFFICER else None
    role = f"{turn.t('role_officer')} {opd.short}" if opd else enrolled_as(turn, identity.role, identity.opd_id)
    return f"{identity.name} ({role})" if identity.name else role[:1].upper() + role[1:]


@command("petugas", roles=EVERY_ROLE, usage="/petugas [ID-OPD]")
async def cmd_staff(turn: Turn, args: str) -> None:
    """The operator's list of enrolled staff, each with the code `/cabut_akses` takes."""
    if not operator_only(turn, "petugas"):
        return
    opd = turn.directory.find_opd(args) if args.strip() else None
    if args.strip() and opd is None:
        turn.say("staff_list_unknown_opd", given=args.strip()[:40])
        return
    people = await staff_members(turn, opd.id if opd else None)
    where = turn.t("staff_list_where", opd=opd.short) if opd else ""
    if not people:
        turn.say("staff_list_empty", where=where)
        return
    lines = [turn.t("staff_list_header", where=where, count=len(people))]
    for person in people[:LIST_LIMIT]:
        since = person.created_at.astimezone(turn.services.calendar.tz).strftime("%d-%m-%Y") \
            if person.created_at else "-"
        lines.append(turn.t("staff_list_line", who=describe(turn, person), channel=channel_words(turn, person),
                            since=since, ref=staff_ref(person.key),
                            note=turn.t("staff_list_configured") if configured(turn, person) else ""))
    if len(people) > LIST_LIMIT:
        lines.append(turn.t("staff_list_more", more=len(people) - LIST_LIMIT))
    lines.append(turn.t("staff_list_footer"))
    turn.replies.append(Reply("\n".join(lines)))


# "siapa petugas pupr?", "siapa saja petugas di dinas saya?", "who are the officers of DLH?": the names of an office's
# officers and where they are reached, for the regent (any office) and an officer (their own); the operator gets
# /petugas, with the codes (twenty-sixth trial: the regent got the staff help)
_WHO_STAFF = re.compile(r"\bsiapa(?:\s+(?:saja|aja|sj))?\s+(?:nama\s+)?(?:petugas|admin|operator|pegawai|staf|staff|"
                        r"pj|penanggung\s+jawab)\w*\b|\bwho\s+(?:are|is)\s+(?:the\s+)?(?:officers?|staff)\b|"
                        r"\bdaftar\s+(?:nama\s+)?petugas\b"
                        # "petugas pupr siapa saja?", "berapa petugas yang aktif?", "how many officers are there?"
                        # (twenty-ninth trial: the help, and for the second the residents' FAQs)
                        r"|\b(?:petugas|pegawai|staf|staff)(?:nya)?\s+(?:\S+\s+){0,3}?siapa\s+(?:saja|aja|aj|sj)\b"
                        r"|\bberapa\s+(?:jumlah\s+|banyak\s+|orang\s+)?(?:petugas|pegawai|staf|staff|operator)\b"
                        r"|\bhow\s+many\s+(?:officers|staff)\b")
WHO_STAFF_WORDS = 12

# The operator's "hapus akun petugas budi", "cabut akses petugas dlh yang sudah pindah", "nonaktifkan staf X": how,
# with the list that holds each one's code (twenty-ninth trial: the help)
_REVOKE = re.compile(r"\b(?:hapus|hapuskan|dihapus|cabut|dicabut|nonaktifkan|dinonaktifkan|matikan|blokir|keluarkan|"
                     r"remove|delete|revoke|disable|deactivate)\b(?:\s+\S+){0,2}?\s+(?:akun|akses|petugas|staf|staff|"
                     # ("pu1 sudah pindah tugas, tolong hapus aksesnya": fortieth trial, the help)
                     r"pegawai|operator|account|access|officer)(?:nya)?\b")


def asks_revoke(text: str) -> bool:
    return len(text.split()) <= WHO_STAFF_WORDS and bool(_REVOKE.search(text.lower())) and \
        not text.strip().startswith("/")


async def explain_revoke(turn: Turn, text: str) -> None:
    """How the operator removes someone's access (/cabut_akses KODE alasan), and the list with the codes: never from
    a name alone, which two people can share."""
    from actions.regent import recap_opd

    turn.say("staff_revoke_how")
    named = recap_opd(turn, text)
    await cmd_staff.handler(turn, named.id if named else "")


# "siapa saja dinas yang belum punya petugas?", "opd mana yang belum ada petugasnya?", "which offices have no
# officers?" (thirty-eighth trial: the operator got the help)
_NO_STAFF = re.compile(r"\b(?:dinas|opd|offices?|agenc(?:y|ies)|instansi)\b.*\b(?:belum|blm|tidak|tdk|gak|ga|nggak|"
                       r"tanpa|no|without)\s+(?:\S+\s+)?(?:petugas|staf|staff|officers?|admin)\w*\b")
NO_STAFF_WORDS = 14


def asks_offices_without_staff(text: str) -> bool:
    return len(text.split()) <= NO_STAFF_WORDS and bool(_NO_STAFF.search(text.lower()))


async def show_offices_without_staff(turn: Turn) -> None:
    """The offices no officer is enrolled for (their complaints wait at the desk), with how to invite one."""
    staffed = {p.opd_id for p in await staff_members(turn) if p.role == ROLE_OFFICER}
    missing = [o for o in turn.directory.opds.values() if o.id not in staffed]
    if not missing:
        turn.say("offices_all_staffed")
        return
    turn.say("offices_without_staff_operator" if turn.identity.role == ROLE_OPERATOR else "offices_without_staff",
             count=len(missing), offices=", ".join(f"{o.short} ({o.id})" for o in missing))


def asks_who_staff(text: str) -> bool:
    return len(text.split()) <= WHO_STAFF_WORDS and bool(_WHO_STAFF.search(text.lower()) or asks_office_head(text))


# "siapa kepala dinas pupr?", "kadisnya siapa?", "who heads dishub?": the head is no enrolled role here; said so, and
# the office's enrolled staff listed (thirtieth trial: the regent got the help)
_OFFICE_HEAD = re.compile(r"\bsiapa\s+(?:nama\s+)?(?:kepala|kadis|pimpinan|kaban|camat)\w*\b"
                          r"|\b(?:kepala|kadis|pimpinan|kaban)\w*\s+(?:\S+\s+){0,3}?siapa\b|\bwho\s+(?:heads|leads|runs)\b"
                          r"|\bwho\s+is\s+the\s+head\b")


def asks_office_head(text: str) -> bool:
    return len(text.split()) <= WHO_STAFF_WORDS and bool(_OFFICE_HEAD.search(text.lower()))


async def show_office_staff(turn: Turn, text: str) -> None:
    """The enrolled officers of the office the words name (an officer's own office when they name none), by name
    and channel, without the codes that revoke them."""
    from actions.regent import recap_opd

    if asks_office_head(text):  # the head is not recorded: the enrolled staff follow
        turn.say("office_head_not_kept")
    if turn.identity.role == ROLE_OPERATOR:
        named = recap_opd(turn, text)
        await cmd_staff.handler(turn, named.id if named else "")
        return
    named = recap_opd(turn, text)
    opd = named if turn.identity.role == ROLE_REGENT else turn.directory.opd(turn.identity.opd_id)
    if opd is not None and named is not None and named.id != opd.id:  # an officer asking after another office
        turn.say("office_staff_own_only", opd=opd.short)
    if opd is None:
        turn.say("office_staff_which")
        return
    people = await staff_members(turn, opd.id)
    if not people:
        turn.say("office_staff_none", opd=opd.short)
        return
    lines = [turn.t("office_staff_header", opd=opd.short, count=len(people))]
    lines += [turn.t("office_staff_line", who=describe(turn, person), channel=channel_words(turn, person))
              for person in people[:LIST_LIMIT]]
    if len(people) > LIST_LIMIT:
        lines.append(turn.t("staff_list_more", more=len(people) - LIST_LIMIT))
    turn.replies.append(Reply("\n".join(lines)))


@command("cabut_akses", roles=EVERY_ROLE, usage="/cabut_akses KODE alasan")
async def cmd_remove_staff(turn: Turn, args: str) -> None:
    """The operator revokes one person's staff access by the code `/petugas` shows."""
    if not operator_only(turn, "cabut_akses"):
        return
    words = args.split(maxsplit=1)
    if not words:
        turn.say("remove_usage")
        return
    rest = (words[1] if len(words) > 1 else "").strip()
    confirmed = rest.startswith(CONFIRMED)
    reason = rest.removeprefix(CONFIRMED).strip()[:300]
    if confirmed:
        await revoke_by_ref(turn, words[0], reason)
        return
    # Typed once, it only asks: a slip of one letter in the code would otherwise lock out someone else.
    target = await revocable(turn, words[0])
    if target is None:
        return
    released = len(await assigned_open(turn, target)) if target.role == ROLE_OFFICER else 0
    confirm = f"/cabut_akses {words[0][:40]} {CONFIRMED} {reason}".strip()
    turn.say("remove_confirm", [
        offer_button(turn, turn.t("remove_confirm_yes"), confirm),
        Button(turn.t("remove_confirm_no"), "/batal")],
        who=describe(turn, target), channel=channel_words(turn, target),
        released=turn.t("remove_confirm_released", count=released) if released else "",
        reason=turn.t("remove_confirm_reason", reason=reason) if reason else "")


#: The mark the confirmation button adds after the code ("/cabut_akses K7Q2 ✓ pindah tugas").
CONFIRMED = "✓"


async def revocable(turn: Turn, ref: str) -> Identity | None:
    """The staff member `ref` names, if this operator may revoke them; otherwise say why not, and None."""
    target = await find_staff(turn, ref[:40])
    if target is None:
        turn.say("remove_not_found", ref=ref[:20])
        return None
    if await is_self(turn, target):
        turn.say("remove_self")
        return None
    if configured(turn, target):
        turn.say("remove_configured", who=describe(turn, target))
        return None
    return target


async def assigned_open(turn: Turn, target: Identity, keys: list[str] | None = None) -> list[Ticket]:
    """The open tickets assigned to `target` (or to any of `keys`, their identities)."""
    keys = keys or [target.key]
    found = []
    for ticket in await turn.store.list_tickets(TicketQuery(statuses=OPEN_STATUSES, limit=RELEASE_SCAN)):
        assignee = ticket.extra.get("assignee")
        if isinstance(assignee, dict) and assignee.get("key") in keys:
            found.append(ticket)
    return found


async def revoke_by_ref(turn: Turn, ref: str, reason: str) -> None:
    """Revoke the access of the staff member `ref` names, or say why not (the chat command and the desk's form)."""
    target = await revocable(turn, ref)
    if target is None:
        return
    released, voided = await remove_staff(turn, target, reason)
    contacts = contact_of(turn, target)
    turn.say("remove_done", who=describe(turn, target),
             released=turn.t("remove_released", count=released) if released else "",
             voided=turn.t("remove_voided", count=voided) if voided else "",
             contact=turn.t("remove_still_contact", opds=", ".join(contacts)) if contacts else "")


async def remove_staff(turn: Turn, target: Identity, reason: str) -> tuple[int, int]:
    """Take `target`'s staff access away (see the module docstring), as part of `turn`'s changes; gives how many
    open tickets assigned to them went back to their OPD's queue and how many enrolment codes they had issued and
    nobody used are void now. Their web sessions end at once."""
    store = turn.store
    copy_key = await web_copy_key(turn, target.key)
    keys = [target.key, *([copy_key] if copy_key else [])]
    copy = await store.get_identity(copy_key) if copy_key else None
    role_words = enrolled_as(turn, target.role, target.opd_id)
    for person in (target, copy):
        if person is None or person.role == ROLE_RESIDENT:
            continue
        turn.changes.identities.append(Identity(
            key=person.key, channel=person.channel, sender_id=person.sender_id, role=ROLE_RESIDENT, opd_id=None,
            name=person.name, lang=person.lang, created_at=person.created_at))
        turn.patch_conversation(person.key, flow=None, step=None, target=None, **{FORMER_STAFF_KEY: role_words})
        if person.channel == "webchat":
            if turn.services.revoke_web_staff is not None:
                await turn.services.revoke_web_staff(person.sender_id)
            await store.set_value(REVOKED_KEY + person.key, int(turn.now.timestamp()))
    made = [await store.get_value(ISSUED_CODES_KEY + k) for k in keys]  # a lost phone shows the codes they made
    voided = await store.void_enrolment_codes([str(c) for codes in made if isinstance(codes, list) for c in codes],
                                              turn.now)
    released = 0
    if target.role == ROLE_OFFICER:  # every open ticket: one transferred since keeps its assignee
        for ticket in await assigned_open(turn, target, keys):
            assignee = ticket.extra.pop("assignee")
            turn.save_ticket(ticket)
            turn.event(ticket, "unassigned", reason or None, name=str(assignee.get("name") or ""))
            released += 1
    lang = target.lang
    turn.deliver(target.key, [Reply(turn.t(
        "staff_removed_group" if is_group(target.key) else "staff_removed_notice", lang, role=role_words,
        regency=turn.directory.regency_short,
        reason=turn.t("staff_removed_reason", lang, reason=reason) if reason else ""))],
        f"staff-removed:{staff_ref(target.key)}")
    logger.info("staff access revoked: %s (code %s, %s %s) by %s; %d assigned ticket(s) back in the queue, "
                "%d unused enrolment code(s) void", target.key, staff_ref(target.key), target.role,
                target.opd_id or "-", turn.identity.key, released, voided)
    return released, voided


def refuse_command(turn: Turn, command_name: str, roles: frozenset[str] = frozenset(), args: str = "") -> None:
    """A command this person's role may not use (the dialogue's refusal): someone whose staff access was revoked
    hears that it was, and how to come back, rather than "only for officers" as if they had never been staff; an
    officer or operator trying the regent's own command (`/pesan_opd`) hears that it is the regent's; an officer
    who types `/tolak WRG-…` (the village head's command on a letter) hears how a complaint is declined instead
    (thirty-third trial: "Perintah /tolak hanya untuk petugas", said to an officer); any other staff member hears
    that the command is another role's, with their own commands (`/bantuan`)."""
    role = turn.identity.role
    if roles == {ROLE_REGENT} and role in (ROLE_OFFICER, ROLE_OPERATOR):
        turn.say("regent_only_command", command=command_name)
        return
    if roles == {ROLE_REGENT, ROLE_OPERATOR} and role == ROLE_OFFICER:
        turn.say("regent_operator_command", command=command_name)  # `/pesan_opd`, the operators' too since the
        return  # thirty-seventh trial
    if roles and set(roles) <= set(LETTER_ROLES) and role in (ROLE_OFFICER, ROLE_OPERATOR):
        turn.say(f"letter_command_{role}", command=command_name,
                 number=find_ticket_number(args) or "NOMOR-TIKET", opd=opd_name(turn, turn.identity.opd_id))
        return
    if role != ROLE_RESIDENT and role in MANAGED_ROLES:
        turn.say("command_not_your_role", command=command_name)
        return
    turn.say("former_staff_command" if was_staff(turn) else "staff_only", command=command_name)


COMMANDS = [cmd_staff, cmd_remove_staff]
