"""The letter desk: the village head and the camat decide letter requests on the web after staff sign-in.

    GET  /desk/surat                  the signer's queue (waiting for them) and their place's recent requests
    GET  /desk/surat/{number}         one request: details (NIK masked), the KTP/KK photo, history, decisions
    POST /desk/surat/{number}         action=setujui|perbaiki|tolak|cabut, text=the reason, csrf
    GET  /desk/surat/{number}/foto    the KTP/KK photo of the request

Decisions run the same commands as the chat (actions/letters.py): the rules, the records (who, when), the
notices to the resident and the camat, and the signing job are theirs. Only the village head of the request's
village, or the camat of its kecamatan where its type needs one, sees a request; anyone else gets 404, as for
an unknown number. Other staff signed in on the desk are told the page is for village heads and camat (403).
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from aiohttp import web

from actions.base import Command
from actions.letters import (
    ISSUED,
    KIND,
    LETTER_ROLES,
    ROLE_CAMAT,
    ROLE_VILLAGE_HEAD,
    WAIT_CAMAT,
    WAIT_HEAD,
    catalog_of,
    cmd_approve,
    cmd_ask_fix,
    cmd_reject,
    cmd_revoke,
    letter_of,
    verify_url,
)
from actions.letters_config import mask_nik
from actions.officer import event_name
from actions.staff_admin import signed_in_identity
from bot.desk.views import MAX_TEXT, NOTICE_COOKIE, Desk, back_to_page, said_after_action
from bot.http_input import read_form
from bot.store.base import Identity, Ticket, TicketQuery, retry_conflicts
from bot.web.staff_auth import SIGN_IN_ROLES

logger = logging.getLogger(__name__)

RECENT_DAYS = 90  # how far back the page lists the place's other requests
LIST_LIMIT = 1000


@dataclass(frozen=True, slots=True)
class Decision:
    """A form on the request page: the chat command it runs, and whether it needs a reason."""

    command: Command
    needs_reason: bool


DECISIONS = {
    "setujui": Decision(cmd_approve, False),
    "perbaiki": Decision(cmd_ask_fix, True),
    "tolak": Decision(cmd_reject, True),
    "cabut": Decision(cmd_revoke, True),
}


def waiting_status(identity: Identity) -> str:
    """The status of the requests that wait for this signer's decision."""
    return WAIT_HEAD if identity.role == ROLE_VILLAGE_HEAD else WAIT_CAMAT


def is_signers(identity: Identity, ticket: Ticket, needs_camat: bool) -> bool:
    """True if `identity` signs `ticket`: the head of its village, or the camat of its kecamatan (types signed
    by the camat too)."""
    if ticket.kind != KIND or not identity.opd_id:
        return False
    letter = letter_of(ticket)
    if identity.role == ROLE_VILLAGE_HEAD:
        return letter.get("village") == identity.opd_id
    return identity.role == ROLE_CAMAT and needs_camat and letter.get("kecamatan") == identity.opd_id


class LetterDesk(Desk):
    """Routes of the letter desk; pages are rendered like the rest of the desk (same layout, CSP, CSRF)."""

    def routes(self) -> list[web.AbstractRouteDef]:
        return [
            web.get("/desk/surat", self.queue),
            web.get("/desk/surat/{number}", self.request_page),
            web.post("/desk/surat/{number}", self.decide),
            web.get("/desk/surat/{number}/foto", self.photo),
        ]

    # --- who is asking, and what they may see ----------------------------------------------------------
    async def _signer(self, request: web.Request) -> Identity:
        session = await self.sessions.staff_session(request, self.services.store)
        identity = await signed_in_identity(self.services.store, session.sender) if session else None
        if identity is None or identity.role not in SIGN_IN_ROLES:
            raise web.HTTPSeeOther(f"/desk/masuk?lang={self._lang(request)}")
        if identity.role not in LETTER_ROLES:
            raise web.HTTPForbidden(text=self.services.texts.get("desk_letters_signers_only", self._lang(request)))
        return identity

    def _mine(self, identity: Identity, ticket: Ticket) -> bool:
        letter_type = catalog_of(self.services).types.get(ticket.topic or "")
        return is_signers(identity, ticket, letter_type is not None and letter_type.needs_camat)

    async def _request(self, request: web.Request, identity: Identity) -> Ticket:
        number = request.match_info["number"].strip().upper()[:40]
        ticket = await self.services.store.get_ticket(number)
        if ticket is None or not self._mine(identity, ticket):
            if ticket is not None:
                logger.warning("letter desk: %s refused request %s of another place", identity.key, number)
            raise web.HTTPNotFound(text=self.services.texts.get("desk_letters_not_found", self._lang(request)))
        return ticket

    # --- pages -------------------------------------------------------------------------------------------
    async def queue(self, request: web.Request) -> web.Response:
        identity = await self._signer(request)
        store, now = self.services.store, self.services.clock()
        waiting = [t for t in await store.list_tickets(TicketQuery(
            kind=KIND, statuses=(waiting_status(identity),), limit=LIST_LIMIT)) if self._mine(identity, t)]
        recent = [t for t in await store.list_tickets(TicketQuery(
            kind=KIND, created_after=now - timedelta(days=RECENT_DAYS), limit=LIST_LIMIT))
            if self._mine(identity, t) and t.number not in {w.number for w in waiting}]
        recent.sort(key=lambda t: t.created_at, reverse=True)
        return self._render("letters_list.html", request, identity, waiting=waiting, recent=recent,
                            **self._helpers(identity))

    async def request_page(self, request: web.Request, notice: str | None = None,
                           status: int = 200) -> web.Response:
        identity = await self._signer(request)
        ticket = await self._request(request, identity)
        store = self.services.store
        catalog = catalog_of(self.services)
        letter = letter_of(ticket)
        letter_type = catalog.types.get(ticket.topic or "")
        lang = self._lang(request)
        fields = [(spec.label_in(lang), mask_nik(letter["fields"].get(spec.key, "-")) if spec.kind == "nik"
                   else letter["fields"].get(spec.key, "-")) for spec in (letter_type.fields if letter_type else ())]
        events = await store.ticket_events(ticket.number)
        names = {actor: await self._who(actor, ticket, lang) for actor in {e.actor for e in events if e.actor}}
        can = {action for action in DECISIONS if self._may(identity, ticket, action)}
        said = said_after_action(request)
        response = self._render(
            "letters_detail.html", request, identity, status=status, ticket=ticket, letter=letter, fields=fields,
            events=events, names=names, notice=notice if notice is not None else said, can=can,
            ticket_needs_camat=letter_type is not None and letter_type.needs_camat,
            verify=verify_url(self.services, letter["verify_token"]) if ticket.status == ISSUED else "",
            event_label=lambda e: self.services.texts.get("desk_letters_filed", lang) if e.kind == "created"
            else event_name(self.services.texts, e.kind, lang), **self._helpers(identity))
        if said:
            response.del_cookie(NOTICE_COOKIE, path=request.path)
        return response

    async def _who(self, actor: str, ticket: Ticket, lang: str) -> str:
        """How the history names who did something: the applicant, a signer by name or role, or the system."""
        texts = self.services.texts
        if actor == ticket.reporter:
            return texts.get("desk_letters_applicant", lang)
        if actor == "system" or actor.startswith("system:"):  # "system:letters", the deadline worker, by its work
            key = f"actor_system_{actor.partition(':')[2]}"
            return texts.get(key if texts.has(key) else "desk_letters_system", lang)
        who = await self.services.store.get_identity(actor)
        if who is None:
            return actor.partition(":")[0]
        return who.name or (texts.get(f"role_{who.role}", lang) if texts.has(f"role_{who.role}") else who.channel)

    def _helpers(self, identity: Identity) -> dict[str, Any]:
        catalog = catalog_of(self.services)
        now = self.services.clock()

        def type_name(ticket: Ticket, lang: str) -> str:
            letter_type = catalog.types.get(ticket.topic or "")
            return letter_type.name_in(lang) if letter_type else "-"

        def village_name(ticket: Ticket) -> str:
            village = catalog.villages.get(str(letter_of(ticket).get("village")))
            return f"{village.kind_title} {village.name}" if village else "-"

        place = (catalog.villages[identity.opd_id].name if identity.role == ROLE_VILLAGE_HEAD and
                 identity.opd_id in catalog.villages else
                 catalog.kecamatan[identity.opd_id].name if identity.opd_id in catalog.kecamatan else "-")
        return {"type_name": type_name, "village_name": village_name, "place": place,
                "overdue": lambda t: t.status in (WAIT_HEAD, WAIT_CAMAT) and t.due_at is not None and t.due_at < now,
                "letter_status": lambda status, lang: self.services.texts.get(f"status_name_{status}", lang)}

    @staticmethod
    def _may(identity: Identity, ticket: Ticket, action: str) -> bool:
        """Whether the page offers `action` (the command decides again when it runs)."""
        if identity.role not in DECISIONS[action].command.roles:
            return False
        if action == "cabut":
            return ticket.status == ISSUED
        return ticket.status == waiting_status(identity)

    # --- deciding ----------------------------------------------------------------------------------------
    async def decide(self, request: web.Request) -> web.Response:
        identity = await self._signer(request)
        lang = self._lang(request)
        form = await read_form(request)
        action, text, token = form.get("action"), form.get("text", ""), form.get("csrf")
        if not isinstance(token, str) or token != self._csrf(identity) or action not in DECISIONS \
                or not isinstance(text, str):
            return await self.request_page(request, self.services.texts.get("desk_bad_request", lang), 400)
        ticket = await self._request(request, identity)
        decision = DECISIONS[str(action)]
        if identity.role not in decision.command.roles:
            return await self.request_page(request, self.services.texts.get("desk_letters_not_allowed", lang), 403)
        reason = " ".join(text.split())[:MAX_TEXT]
        if decision.needs_reason and not reason:
            return await self.request_page(request, self.services.texts.get("desk_letters_reason_needed", lang), 400)

        async def work() -> list[str]:
            turn = self._turn(identity, lang, reason)
            await decision.command.handler(turn, f"{ticket.number} {reason}".strip())
            if turn.changes:
                await self.services.store.commit(turn.changes)
            return [reply.text for reply in turn.replies]

        said = await retry_conflicts(work)
        self.services.wake_outbox()
        logger.info("letter desk: %s did %s on %s", identity.key, action, ticket.number)
        raise back_to_page(request.path, lang, re.sub(r"\*", "", " ".join(said)), self.services.settings.public_url)

    async def photo(self, request: web.Request) -> web.Response:
        identity = await self._signer(request)
        ticket = await self._request(request, identity)
        media_id = letter_of(ticket).get("photo")
        media = await self.services.store.get_media(str(media_id)) if media_id else None
        if media is None:
            raise web.HTTPNotFound()
        return web.Response(body=media.data, content_type=media.mime, headers={"Cache-Control": "private, no-store"})

