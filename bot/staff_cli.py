"""`python -m bot staff ...`: the operator's list of enrolled staff and revoking access, on the server.

    python -m bot staff list [--opd ID]               everyone enrolled with a staff role, with their codes
    python -m bot staff remove CODE [--reason TEXT]   revoke one person's access (as /cabut_akses does in chat)

The same rules as the chat commands (actions/staff_admin.py); the running service needs no restart: the
person is a resident from their next message, their web sessions end at once, and the outbox of the running
service sends them the notice. This is also the way back in when no operator is left to do it in chat.
"""

from __future__ import annotations

import argparse
import sys

from bot.settings import Settings


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m bot staff", description="Enrolled staff: list, revoke access")
    sub = parser.add_subparsers(dest="action", required=True)
    listing = sub.add_parser("list", help="everyone enrolled with a staff role, and the code that names each")
    listing.add_argument("--opd", help="only the officers of this OPD (id from content/directory.yml)")
    remove = sub.add_parser("remove", help="revoke one person's staff access by the code `list` shows")
    remove.add_argument("code")
    remove.add_argument("--reason", default="", help="said to the person, and kept with released assignments")
    return parser


async def main(argv: list[str], settings: Settings) -> int:
    args = _parser().parse_args(argv)
    from actions.base import Services, Turn
    from actions.staff_admin import (
        channel_words,
        configured,
        describe,
        find_staff,
        revoke_by_ref,
        staff_members,
        staff_ref,
    )
    from bot.app import _NluNotLoaded, load_content
    from bot.message import Message, utcnow
    from bot.store import create_store
    from bot.store.base import ROLE_OPERATOR, Conversation, Identity, retry_conflicts
    from bot.web.session import SECRET_KEY, SessionSigner
    from bot.workdays import WorkCalendar

    directory, texts = load_content(settings)
    store = create_store(settings)
    await store.open()
    try:
        sessions = SessionSigner(settings.web)
        services = Services(settings=settings, store=store, nlu=_NluNotLoaded(), directory=directory, texts=texts,
                            calendar=WorkCalendar(directory.timezone, directory.days_off), clock=utcnow)
        if settings.web.session_secret or isinstance(await store.get_value(SECRET_KEY), str):
            # the service's secret (never a new one made here): web identities of earlier sign-ins are derived
            # from it; those of this release are linked in the store
            await sessions.load_secret(store)
            services.web_sender_for = sessions.staff_web_sender
        services.revoke_web_staff = lambda sender: sessions.revoke_staff(store, sender)
        now = utcnow()
        actor = Identity(key="cli:server", channel="cli", sender_id="server", role=ROLE_OPERATOR,
                         name="Operator (server)", created_at=now)
        turn = Turn(services=services, message=Message(channel="cli", sender_id="server", text="", received_at=now),
                    identity=actor, conv=Conversation(key=actor.key), now=now)
        if args.action == "list":
            opd = directory.find_opd(args.opd) if args.opd else None
            if args.opd and opd is None:
                print(f"Error: unknown OPD {args.opd!r}; ids: {', '.join(directory.opds)}", file=sys.stderr)
                return 2
            people = await staff_members(turn, opd.id if opd else None)
            for person in people:
                note = "  (directory.yml)" if configured(turn, person) else ""
                print(f"{staff_ref(person.key)}  {describe(turn, person)}  {channel_words(turn, person)}{note}")
            print(f"{len(people)} enrolled", file=sys.stderr)
            return 0
        if await find_staff(turn, args.code) is None:
            print(f"Error: no enrolled staff member has the code {args.code!r} (see: python -m bot staff list)",
                  file=sys.stderr)
            return 2

        async def work() -> list[str]:  # the chat command's steps; a ticket changed meanwhile: all of it again
            fresh = Turn(services=services, message=turn.message, identity=actor, conv=Conversation(key=actor.key),
                         now=utcnow())
            await revoke_by_ref(fresh, args.code, args.reason.strip()[:300])
            if fresh.changes:
                await store.commit(fresh.changes)
            return [reply.text.replace("*", "") for reply in fresh.replies]

        said = await retry_conflicts(work)
        print("\n".join(said))
        return 0 if any(s.startswith("✅") for s in said) else 2
    finally:
        await store.close()
