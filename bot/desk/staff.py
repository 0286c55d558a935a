"""The operator's staff page on the desk: /desk/petugas.

Everyone enrolled with a staff role, as `/petugas` lists them in chat, and a form on each row to revoke that
person's access (`/cabut_akses`: actions/staff_admin.py). Only the Diskominfo operator sees the page or
posts to it; the form carries the desk's CSRF token, and the browser returns to the page after it (the notice
says what happened).
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from aiohttp import web

from actions.staff_admin import channel_words, configured, describe, is_self, revoke_by_ref, staff_members, staff_ref
from bot.desk.views import NOTICE_COOKIE, back_to_page, said_after_action
from bot.http_input import read_form
from bot.store.base import ROLE_OPERATOR, Identity, retry_conflicts

if TYPE_CHECKING:
    from bot.desk.views import Desk

logger = logging.getLogger(__name__)

PATH = "/desk/petugas"
MAX_REASON = 300


async def operator_only(desk: Desk, request: web.Request, doing: str) -> Identity:
    """The signed-in Diskominfo operator; anyone else on the desk gets 403 (and the log says what they tried)."""
    identity = await desk._staff(request)
    if identity.role != ROLE_OPERATOR:
        logger.warning("desk: %s (%s) may not %s", identity.key, identity.role, doing)
        raise web.HTTPForbidden(text=desk.services.texts.get("desk_not_allowed", desk._lang(request)))
    return identity


class StaffPage:
    """Routes of the operator's staff page; uses the desk's sign-in, renderer and CSRF token."""

    def __init__(self, desk: Desk) -> None:
        self.desk = desk

    def routes(self) -> list[web.AbstractRouteDef]:
        return [web.get(PATH, self.page), web.post(PATH, self.revoke)]

    async def _operator(self, request: web.Request) -> Identity:
        return await operator_only(self.desk, request, "manage staff")

    async def page(self, request: web.Request, notice: str | None = None, status: int = 200) -> web.Response:
        identity = await self._operator(request)
        lang = self.desk._lang(request)
        turn = self.desk._turn(identity, lang)
        wanted = request.query.get("opd", "")[:60]
        opd = self.desk.services.directory.opd(wanted) if wanted else None
        rows = [{"who": describe(turn, p), "channel": channel_words(turn, p), "ref": staff_ref(p.key),
                 "since": p.created_at, "configured": configured(turn, p), "self": await is_self(turn, p)}
                for p in await staff_members(turn, opd.id if opd else None)]
        said = notice or said_after_action(request)
        response = self.desk._render("staff.html", request, identity, status, rows=rows, message=said,
                                     opds=self.desk.services.directory.opds, chosen=opd.id if opd else "")
        if said and notice is None:
            response.del_cookie(NOTICE_COOKIE, path=request.path)
        return response

    async def revoke(self, request: web.Request) -> web.StreamResponse:
        identity = await self._operator(request)
        lang = self.desk._lang(request)
        texts = self.desk.services.texts
        form = await read_form(request)
        token, ref, reason = form.get("csrf"), form.get("ref"), form.get("reason", "")
        if not isinstance(token, str) or token != self.desk._csrf(identity) or not isinstance(ref, str) \
                or not isinstance(reason, str):
            return await self.page(request, texts.get("desk_bad_request", lang), 400)
        reason = reason.strip()[:MAX_REASON]

        async def work() -> list[str]:
            turn = self.desk._turn(identity, lang)
            await revoke_by_ref(turn, ref, reason)
            if turn.changes:
                await self.desk.services.store.commit(turn.changes)
                self.desk.chat_changed(turn.changes)  # released assignments reach open desk pages
            return [reply.text for reply in turn.replies]

        said = await retry_conflicts(work)
        self.desk.services.wake_outbox()
        notice = " ".join(said).replace("*", "")
        raise back_to_page(PATH, lang, notice, self.desk.services.settings.public_url)
