"""The desk's pages and actions: dashboard, ticket list (CSV export), ticket detail with reply, notes and status.

Every page needs a signed-in staff session (bot/web/staff_auth.py); officers see only their own OPD
(another OPD's ticket by URL answers 404, as an unknown one does), the regent and operators see all.
Actions go through the same officer actions as the chat (actions/officer.py): the rules, the texts sent
to the resident and the history lines (who, when) are theirs. Internal notes are history lines of kind
`note`, never delivered to anyone.
"""

from __future__ import annotations

import asyncio
import csv
import io
import json
import logging
import secrets
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import jinja2
from aiohttp import web
from aiohttp.web_request import FileField

from actions.base import STAFF_ROLES, Services, Turn
from actions.common import identity_can_act, opd_name, status_name, topic_name
from actions.letters import LETTER_ROLES
from actions.officer import cmd_done, cmd_in_progress, cmd_reply, load_actionable, mark_done
from actions.oversight import Period, area_of, oversight
from bot.media import NotAnImage, reencode_photo
from bot.message import Message
from bot.settings import WebSettings
from bot.store.base import (
    OPEN_STATUSES,
    ROLE_OFFICER,
    Changes,
    Conversation,
    Identity,
    Media,
    Ticket,
    TicketEvent,
    TicketQuery,
    retry_conflicts,
)
from bot.web.limits import CSP
from bot.web.session import SessionSigner

logger = logging.getLogger(__name__)

HERE = Path(__file__).resolve().parent
LIST_LIMIT = 5000  # tickets a list or an export reads at most
NO_OPD_OFFICER = "!none"  # an officer without an OPD sees no tickets (matches no OPD id)
PAGE_ROWS = 200  # rows the list page shows (the CSV export has them all)
MAX_TEXT = 4000
ACTIONS = ("balas", "catatan", "proses", "selesai")
STATUSES = ("baru", "triase", "diproses", "selesai", "ditutup")


@dataclass(frozen=True, slots=True)
class ListFilter:
    """The ticket list's filters, from the query string; the same ones drive the CSV export."""

    opd: str | None = None
    status: str | None = None  # a status, or "terbuka" (open) / "terlambat" (overdue)
    topic: str | None = None
    kecamatan: str | None = None
    channel: str | None = None
    q: str = ""
    start: date | None = None
    end: date | None = None

    def query_string(self) -> str:
        from urllib.parse import urlencode

        pairs = {"opd": self.opd, "status": self.status, "topic": self.topic, "kecamatan": self.kecamatan,
                 "kanal": self.channel, "q": self.q or None,
                 "dari": self.start.isoformat() if self.start else None,
                 "sampai": self.end.isoformat() if self.end else None}
        return urlencode({k: v for k, v in pairs.items() if v})


def _date(raw: str | None) -> date | None:
    if not raw:
        return None
    try:
        return date.fromisoformat(raw.strip()[:10])
    except ValueError:
        raise web.HTTPBadRequest(text="Dates are YYYY-MM-DD") from None


def _short(raw: str | None, limit: int = 100) -> str | None:
    value = (raw or "").strip()[:limit]
    return value or None


class Desk:
    """Routes of the web desk. `services` are the dialogue's; `sessions` the web chat's session signer."""

    def __init__(self, services: Services, sessions: SessionSigner, settings: WebSettings) -> None:
        self.services = services
        self.sessions = sessions
        self.settings = settings
        self.env = jinja2.Environment(loader=jinja2.FileSystemLoader(HERE / "templates"), autoescape=True,
                                      undefined=jinja2.StrictUndefined)
        tiles = urlsplit(settings.map_tile_url)
        tile_origin = f"{tiles.scheme}://{tiles.netloc}" if tiles.scheme in ("http", "https") and tiles.netloc else ""
        self.csp = CSP.replace("img-src 'self' data: blob:", f"img-src 'self' data: blob: {tile_origin}".rstrip())

    def routes(self) -> list[web.AbstractRouteDef]:
        return [
            web.get("/desk", self.dashboard),
            web.get("/desk/masuk", self.sign_in_page),
            web.get("/desk/tiket", self.ticket_list),
            web.get("/desk/tiket.csv", self.ticket_csv),
            web.get("/desk/tiket/{number}", self.ticket_detail),
            web.post("/desk/tiket/{number}", self.ticket_action),
            web.get("/desk/media/{media_id}", self.media),
            web.static("/desk/static", HERE / "static"),
        ]

    # --- who is asking -------------------------------------------------------------------------------
    async def _staff(self, request: web.Request) -> Identity:
        session = self.sessions.from_request(request)
        identity = None
        if session is not None and session.staff:
            identity = await self.services.store.get_identity(f"webchat:{session.sender}")
        if identity is not None and identity.role in LETTER_ROLES:
            raise web.HTTPSeeOther(f"/desk/surat?lang={self._lang(request)}")  # their desk (bot/desk/letters.py)
        if identity is None or identity.role not in STAFF_ROLES:
            raise web.HTTPSeeOther(f"/desk/masuk?lang={self._lang(request)}")
        return identity

    def _csrf(self, identity: Identity) -> str:
        return self.sessions.derive(f"desk-csrf:{identity.key}")

    @staticmethod
    def _lang(request: web.Request) -> str:
        return "en" if request.query.get("lang") == "en" else "id"

    def _turn(self, identity: Identity, lang: str, text: str = "") -> Turn:
        now = self.services.clock()
        message = Message(channel=identity.channel, sender_id=identity.sender_id, text=text, received_at=now)
        return Turn(services=self.services, message=message, identity=identity,
                    conv=Conversation(key=identity.key, lang=lang), now=now)

    def _render(self, name: str, request: web.Request, identity: Identity | None, status: int = 200,
                **context: Any) -> web.Response:
        lang = self._lang(request)
        texts = self.services.texts
        directory = self.services.directory

        def t(key: str, **fields: Any) -> str:
            return texts.get(key, lang, **fields)

        turn = self._turn(identity, lang) if identity else None
        helpers: dict[str, Any] = {
            "t": t, "lang": lang, "identity": identity, "csrf": self._csrf(identity) if identity else "",
            "role_name": (texts.get(f"role_{identity.role}", lang) if identity else ""),
            "opd_name": (lambda opd_id: opd_name(turn, opd_id)) if turn else str,
            "topic_name": (lambda topic: topic_name(turn, topic)) if turn else str,
            "status_name": (lambda status: status_name(turn, status)) if turn else str,
            "fmt_time": lambda moment: (moment.astimezone(self.services.calendar.tz).strftime("%d-%m-%Y %H:%M")
                                        if moment else "-"),
            "pct": lambda value: "-" if value is None else f"{value * 100:.0f}%",
            "num": lambda value: "-" if value is None else f"{value:g}",
            "regency": directory.regency_short,
        }
        body = self.env.get_template(name).render(**helpers, **context)
        response = web.Response(text=body, status=status, content_type="text/html", charset="utf-8")
        response.headers["Content-Security-Policy"] = self.csp
        response.headers["Cache-Control"] = "no-store"
        return response

    # --- pages ---------------------------------------------------------------------------------------
    async def sign_in_page(self, request: web.Request) -> web.Response:
        return self._render("signin.html", request, None)

    def _period(self, request: web.Request) -> Period:
        calendar, now = self.services.calendar, self.services.clock()
        default = Period.last_days(calendar, now, 30)
        start = _date(request.query.get("dari")) or default.start
        end = _date(request.query.get("sampai")) or default.end
        if end < start or (end - start).days > 3660:
            raise web.HTTPBadRequest(text="The period must run forwards and last at most ten years")
        return Period(start, end)

    def _own_opd(self, identity: Identity, wanted: str | None) -> str | None:
        """The OPD a page is about: an officer's own, whatever they ask; others' choice (None: all)."""
        if identity.role == ROLE_OFFICER:
            return identity.opd_id or NO_OPD_OFFICER
        return wanted if wanted and wanted in self.services.directory.opds else None

    async def dashboard(self, request: web.Request) -> web.Response:
        identity = await self._staff(request)
        period = self._period(request)
        opd = self._own_opd(identity, _short(request.query.get("opd")))
        now = self.services.clock()
        result = await oversight(self.services.store, self.services.calendar, now, period, opd_id=opd,
                                 opd_ids=list(self.services.directory.opds))
        lang = self._lang(request)
        turn = self._turn(identity, lang)
        # compact: [lat, lon, number, status] (thousands of pins for the regent); the popup links to the ticket
        points = [[round(f.location["latitude"], 5), round(f.location["longitude"], 5), f.number, f.status]
                  for f in result.facts
                  if f.location and isinstance(f.location.get("latitude"), (int, float))
                  and isinstance(f.location.get("longitude"), (int, float))]
        chart = {
            "weeks": [w for w, _, _ in result.weeks],
            "received": [n for _, n, _ in result.weeks],
            "resolved": [d for _, _, d in result.weeks],
            "labels": {"received": self.services.texts.get("desk_received", lang),
                       "resolved": self.services.texts.get("desk_resolved", lang)},
            "points": points, "tiles": self.settings.map_tile_url,
            "statuses": {status: status_name(turn, status) for status in STATUSES},
        }
        base = ListFilter(opd=opd, start=period.start, end=period.end)
        return self._render("dashboard.html", request, identity, result=result, period=period, opd=opd,
                            opds=self.services.directory.opds, chart_json=json.dumps(chart),
                            base=base, link=self._link)

    @staticmethod
    def _link(base: ListFilter, **changes: Any) -> str:
        from dataclasses import replace

        return "/desk/tiket?" + replace(base, **changes).query_string()

    def _filter(self, request: web.Request, identity: Identity) -> ListFilter:
        q = request.query
        status = _short(q.get("status"), 20)
        if status and status not in (*STATUSES, "terbuka", "terlambat"):
            raise web.HTTPBadRequest(text="Unknown status")
        return ListFilter(opd=self._own_opd(identity, _short(q.get("opd"))), status=status,
                          topic=_short(q.get("topic")), kecamatan=_short(q.get("kecamatan")),
                          channel=_short(q.get("kanal"), 20), q=(q.get("q") or "").strip()[:100],
                          start=_date(q.get("dari")), end=_date(q.get("sampai")))

    async def _tickets(self, flt: ListFilter) -> list[Ticket]:
        calendar, now = self.services.calendar, self.services.clock()
        statuses: tuple[str, ...] | None = None
        if flt.status in ("terbuka", "terlambat"):
            statuses = OPEN_STATUSES
        elif flt.status:
            statuses = (flt.status,)
        since = Period(flt.start, flt.start).bounds(calendar)[0] if flt.start else None
        until = Period(flt.end, flt.end).bounds(calendar)[1] if flt.end else None
        tickets = await self.services.store.list_tickets(TicketQuery(
            opd_id=None if flt.opd in (None, "-") else flt.opd, statuses=statuses, created_after=since,
            due_before=now if flt.status == "terlambat" else None, limit=LIST_LIMIT))
        needle = flt.q.lower()
        out = []
        for ticket in tickets:
            if flt.opd == "-" and ticket.opd_id is not None:
                continue
            if until is not None and ticket.created_at >= until:
                continue
            if flt.topic and ticket.topic != flt.topic:
                continue
            if flt.channel and ticket.reporter.partition(":")[0] != flt.channel:
                continue
            if flt.kecamatan and (ticket.location or {}).get("kecamatan", "-") != flt.kecamatan:
                continue
            if needle and needle not in ticket.number.lower() and needle not in ticket.text.lower():
                continue
            out.append(ticket)
        return out

    async def ticket_list(self, request: web.Request) -> web.Response:
        identity = await self._staff(request)
        flt = self._filter(request, identity)
        tickets = await self._tickets(flt)
        now = self.services.clock()
        return self._render("list.html", request, identity, tickets=tickets[:PAGE_ROWS], total=len(tickets), flt=flt,
                            opds=self.services.directory.opds, statuses=STATUSES,
                            overdue=lambda t: t.status in OPEN_STATUSES and t.due_at is not None and t.due_at < now)

    async def ticket_csv(self, request: web.Request) -> web.Response:
        identity = await self._staff(request)
        flt = self._filter(request, identity)
        tickets = await self._tickets(flt)
        turn = self._turn(identity, self._lang(request))
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        writer.writerow(["number", "status", "opd", "topic", "created_at", "due_at", "closed_at", "channel",
                         "kecamatan", "rating", "privacy"])
        for t in tickets:
            writer.writerow([t.number, t.status, opd_name(turn, t.opd_id), t.topic or "", t.created_at.isoformat(),
                             t.due_at.isoformat() if t.due_at else "", t.closed_at.isoformat() if t.closed_at else "",
                             t.reporter.partition(":")[0], (t.location or {}).get("kecamatan", ""),
                             t.rating if t.rating is not None else "", t.privacy])
        logger.info("desk: %s exported %d tickets as CSV", identity.key, len(tickets))
        return web.Response(body=("\ufeff" + buffer.getvalue()).encode(), content_type="text/csv", charset="utf-8",
                            headers={"Content-Disposition": 'attachment; filename="tiket.csv"',
                                     "Cache-Control": "no-store"})

    async def _visible_ticket(self, request: web.Request, identity: Identity) -> Ticket:
        number = request.match_info["number"].strip().upper()[:40]
        ticket = await self.services.store.get_ticket(number)
        if ticket is None or not identity_can_act(identity, ticket.opd_id):
            if ticket is not None:
                logger.warning("desk: %s refused ticket %s of another OPD", identity.key, number)
            raise web.HTTPNotFound(text=self.services.texts.get("desk_forbidden", self._lang(request)))
        return ticket

    async def ticket_detail(self, request: web.Request, notice: str | None = None, status: int = 200) -> web.Response:
        identity = await self._staff(request)
        ticket = await self._visible_ticket(request, identity)
        events = await self.services.store.ticket_events(ticket.number)
        names: dict[str, str] = {}
        for event in events:
            if event.actor and event.actor not in names:
                who = await self.services.store.get_identity(event.actor)
                names[event.actor] = (who.name if who and who.name else event.actor.partition(":")[0])
        reporter = await self.services.store.get_identity(ticket.reporter)
        hidden = ticket.privacy in ("anonim", "rahasia")
        reporter_label = "-" if hidden else (reporter.name if reporter and reporter.name else
                                               ticket.reporter.partition(":")[0])
        location = ticket.location or {}
        point = None
        if isinstance(location.get("latitude"), (int, float)) and isinstance(location.get("longitude"), (int, float)):
            point = {"lat": location["latitude"], "lon": location["longitude"], "n": ticket.number,
                     "tiles": self.settings.map_tile_url}
        return self._render("detail.html", request, identity, status=status, ticket=ticket, events=events,
                            names=names, reporter_label=reporter_label, notice=notice,
                            location_text=", ".join(str(v) for k, v in location.items()
                                                    if k not in ("latitude", "longitude")),
                            point_json=json.dumps(point) if point else "", area=area_of,
                            open=ticket.status in OPEN_STATUSES,
                            overdue=is_overdue_ticket(ticket, self.services.clock()),
                            event_label=lambda e: self._event_label(e, self._lang(request)))

    def _event_label(self, event: TicketEvent, lang: str) -> str:
        key = f"desk_event_{event.kind}"
        return self.services.texts.get(key, lang) if self.services.texts.has(key) else event.kind

    # --- actions -------------------------------------------------------------------------------------
    async def ticket_action(self, request: web.Request) -> web.Response:
        identity = await self._staff(request)
        lang = self._lang(request)
        form = await request.post()
        action, text, token = form.get("action"), form.get("text", ""), form.get("csrf")
        if not isinstance(token, str) or token != self._csrf(identity) or action not in ACTIONS \
                or not isinstance(text, str):
            return await self.ticket_detail(request, self.services.texts.get("desk_bad_request", lang), 400)
        text = text.strip()[:MAX_TEXT]
        ticket = await self._visible_ticket(request, identity)
        if action in ("balas", "catatan") and not text:
            return await self.ticket_detail(request, self.services.texts.get("desk_text_needed", lang), 400)
        if action == "catatan":
            now = self.services.clock()
            await self.services.store.commit(Changes(events=[TicketEvent(
                ticket=ticket.number, kind="note", at=now, actor=identity.key, text=text)]))
            logger.info("desk: %s added an internal note to %s", identity.key, ticket.number)
            return await self.ticket_detail(request, self.services.texts.get("desk_note_saved", lang))
        handler = {"balas": cmd_reply, "proses": cmd_in_progress, "selesai": cmd_done}[str(action)]
        args = f"{ticket.number} {text or ('-' if action == 'selesai' else '')}".strip()
        try:
            photo = await self._photo(form.get("photo"), ticket.number) if action == "selesai" else None
        finally:
            for value in form.values():
                if isinstance(value, FileField):
                    value.file.close()
        if photo is False:
            return await self.ticket_detail(request, self.services.texts.get("desk_photo_bad", lang), 400)

        async def work() -> list[str]:
            turn = self._turn(identity, lang, text)
            if isinstance(photo, Media):
                done = await load_actionable(turn, ticket.number, "/selesai TIKET catatan", open_only=True)
                if done is not None:
                    turn.changes.media.append(photo)
                    await mark_done(turn, done, text, image=f"media:{photo.id}")
            else:
                await handler.handler(turn, args)
            if turn.changes:
                await self.services.store.commit(turn.changes)
            return [reply.text for reply in turn.replies]

        said = await retry_conflicts(work)
        self.services.wake_outbox()
        logger.info("desk: %s did %s on %s", identity.key, action, ticket.number)
        return await self.ticket_detail(request, " ".join(said))

    async def _photo(self, field: Any, number: str) -> Media | None | bool:
        """The photo of the finished work, re-encoded without metadata; None without one, False if not a picture."""
        if not isinstance(field, FileField):
            return None
        data = field.file.read(self.settings.upload_body_bytes + 1)
        if not data:
            return None
        if len(data) > self.settings.upload_body_bytes:
            return False
        try:
            mime, clean = await asyncio.to_thread(reencode_photo, data)
        except NotAnImage:
            return False
        return Media(id=secrets.token_hex(16), mime=mime, data=clean, created_at=self.services.clock(), ticket=number)

    async def media(self, request: web.Request) -> web.Response:
        identity = await self._staff(request)
        media = await self.services.store.get_media(request.match_info["media_id"][:100])
        ticket = await self.services.store.get_ticket(media.ticket) if media and media.ticket else None
        if media is None or ticket is None or not identity_can_act(identity, ticket.opd_id):
            raise web.HTTPNotFound()
        return web.Response(body=media.data, content_type=media.mime, headers={"Cache-Control": "private, no-store"})


def is_overdue_ticket(ticket: Ticket, now: datetime) -> bool:
    return ticket.status in OPEN_STATUSES and ticket.due_at is not None and ticket.due_at < now

