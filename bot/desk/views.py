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
import functools
import io
import json
import logging
import re
import secrets
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import quote, quote_plus, unquote, urlencode, urlsplit

import jinja2
from aiohttp import web
from aiohttp.web_request import FileField

from actions import nearby
from actions.archive import ARCHIVE_ROLES, archive_reason, archive_ticket, archived_by
from actions.archive import USAGE as ARCHIVE_USAGE
from actions.areas import Boundaries, derive_areas
from actions.base import STAFF_ROLES, Command, Services, Turn, find_ticket_number
from actions.common import (
    WITHDRAW_REQUESTED,
    actor_names,
    event_actor,
    identity_can_act,
    opd_name,
    staff_label,
    status_name,
    topic_name,
)
from actions.desk import ask_for_information, assign, assignable_officers, canned_for, load_canned_replies
from actions.duplicates import cmd_merge
from actions.letters import LETTER_ROLES
from actions.officer import (
    CONFIRMED_REPLY_KEY,
    SEEN_EVENTS_KEY,
    TRIAGE,
    cmd_done,
    cmd_in_progress,
    cmd_reopen_by_office,
    cmd_reply,
    cmd_transfer,
    load_actionable,
    mark_done,
    may_reopen,
)
from actions.oversight import NO_OPD, Period, area_of, oversight
from actions.regent import cmd_dispose
from actions.staff_admin import signed_in_identity
from bot.desk.live import STREAMS_PER_STAFF, Listener, LiveHub
from bot.desk.public import PublicPage
from bot.http_input import read_form
from bot.logging_setup import mask_personal
from bot.media import NotAnImage, reencode_photo
from bot.message import Message
from bot.settings import WebSettings
from bot.store.base import (
    OPEN_STATUSES,
    ROLE_OFFICER,
    STATUS_ARCHIVED,
    STATUS_JOINED,
    Changes,
    Conversation,
    FactsFilter,
    Identity,
    Media,
    OversightStore,
    Ticket,
    TicketEvent,
    TicketQuery,
    retry_conflicts,
)
from bot.store.codec import text_to_dt
from bot.web.limits import CSP
from bot.web.session import SessionSigner

logger = logging.getLogger(__name__)

HERE = Path(__file__).resolve().parent
LIST_LIMIT = 5000  # tickets a list or an export reads at most
NO_OPD_OFFICER = "!none"  # an officer without an OPD sees no tickets (matches no OPD id)
PAGE_ROWS = 200  # rows the list page shows (the CSV export has them all)
MAX_TEXT = 4000
#: The cookie that carries what a desk action said to the page shown after it (post/redirect/get).
NOTICE_COOKIE = "warga_desk_notice"
NOTICE_CHARS = 300
#: Closing at the reporter's request (they asked to withdraw it): the chat's /selesai, only while the request stands.
CLOSE_WITHDRAWN = "tutup_dicabut"
#: Archiving a report outside the regency's authority (actions/archive.py): operators and the regent, as in the chat.
ARCHIVE = "arsipkan"
#: A ticket marked done by mistake, opened again by its office (the chat's /buka_kembali; thirty-third trial).
REOPEN = "buka_kembali"
ACTIONS = ("balas", "minta_info", "catatan", "proses", "selesai", "alihkan", "disposisi", "tugaskan", CLOSE_WITHDRAWN,
           ARCHIVE, "gabung", REOPEN)
#: Desk actions that are chat commands: the command's roles decide who may use them (dispose: the regent).
COMMANDS: dict[str, Command] = {"balas": cmd_reply, "proses": cmd_in_progress, "selesai": cmd_done,
                                "alihkan": cmd_transfer, "disposisi": cmd_dispose, CLOSE_WITHDRAWN: cmd_done,
                                "gabung": cmd_merge, REOPEN: cmd_reopen_by_office}
TEXT_REQUIRED = ("balas", "minta_info", "catatan", "alihkan", ARCHIVE)
STATUSES = ("baru", "triase", "diproses", "selesai", "ditutup", STATUS_ARCHIVED, STATUS_JOINED)


@dataclass(frozen=True, slots=True)
class ListFilter:
    """The ticket list's filters, from the query string; the same ones drive the CSV export."""

    opd: str | None = None
    status: str | None = None  # a status, or "terbuka" (open) / "terlambat" (overdue)
    topic: str | None = None
    kecamatan: str | None = None
    desa: str | None = None
    channel: str | None = None
    q: str = ""
    start: date | None = None
    end: date | None = None

    def query_string(self) -> str:
        pairs = {"opd": self.opd, "status": self.status, "topic": self.topic, "kecamatan": self.kecamatan,
                 "desa": self.desa, "kanal": self.channel, "q": self.q or None,
                 "dari": self.start.isoformat() if self.start else None,
                 "sampai": self.end.isoformat() if self.end else None}
        return "&".join(f"{k}={_quoted(v)}" for k, v in pairs.items() if v)  # as urlencode, with a memo


@functools.lru_cache(maxsize=4096)
def _quoted(value: str) -> str:
    """A query value quoted (the dashboard writes some hundred links over the same few values)."""
    return quote_plus(value)


class BadQuery(ValueError):
    """A page's query the desk cannot use: answered 400 with the text `key` (content/texts) in the page's language."""

    def __init__(self, key: str, **fields: Any) -> None:
        super().__init__(key)
        self.key, self.fields = key, fields


def _date(raw: str | None) -> date | None:
    if not raw:
        return None
    try:
        day = date.fromisoformat(raw.strip()[:10])
    except ValueError:
        raise BadQuery("desk_bad_date") from None
    if not MIN_YEAR <= day.year <= MAX_YEAR:  # a range is widened by days and time zones: year 1 or 9999 overflow
        raise BadQuery("desk_bad_year", low=MIN_YEAR, high=MAX_YEAR)
    return day


MIN_YEAR, MAX_YEAR = 2000, 2100


def _short(raw: str | None, limit: int = 100) -> str | None:
    value = (raw or "").strip()[:limit]
    return value or None



def back_to_page(path: str, lang: str, notice: str, public_url: str | None) -> web.HTTPSeeOther:
    """Post/redirect/get: after an action the browser goes to the page at `path`, so reloading it shows the
    page again instead of repeating the action; what the action said travels in a short-lived cookie of
    that page (read once by `said_after_action`)."""
    done = web.HTTPSeeOther(f"{path}?{urlencode({'lang': lang})}")
    done.set_cookie(NOTICE_COOKIE, quote(notice[:NOTICE_CHARS]), max_age=60, path=path, httponly=True,
                    samesite="Strict", secure=(public_url or "").startswith("https://"))
    return done


def said_after_action(request: web.Request) -> str | None:
    """What the action before this page said (`back_to_page`): shown by the page the browser goes to, not
    taken by a script's fetch (the live refresh) meanwhile. The page deletes the cookie when it has it."""
    page = request.method == "GET" and request.headers.get("Sec-Fetch-Mode", "navigate") == "navigate"
    said = request.cookies.get(NOTICE_COOKIE) if page else None
    return unquote(said)[:NOTICE_CHARS] if said else None

class Desk:
    """Routes of the web desk. `services` are the dialogue's; `sessions` the web chat's session signer."""

    def __init__(self, services: Services, sessions: SessionSigner, settings: WebSettings,
                 web_sender_for: Callable[[str], str] | None = None) -> None:
        self.services = services
        # the web chat sender a chat identity signs in as (bot/web/staff_auth.py): not someone to assign to
        self.web_sender_for = web_sender_for or (lambda key: "")
        self.sessions = sessions
        self.settings = settings
        self.env = jinja2.Environment(loader=jinja2.FileSystemLoader(HERE / "templates"), autoescape=True,
                                      undefined=jinja2.StrictUndefined)
        tiles = urlsplit(settings.map_tile_url)
        tile_origin = f"{tiles.scheme}://{tiles.netloc}" if tiles.scheme in ("http", "https") and tiles.netloc else ""
        self.csp = CSP.replace("img-src 'self' data: blob:", f"img-src 'self' data: blob: {tile_origin}".rstrip())
        self.live = LiveHub()
        self._publishing: set[asyncio.Task[None]] = set()
        self.canned = load_canned_replies(services.settings.content_dir, set(services.directory.opds))
        self.boundaries = Boundaries.load(settings.map_boundaries) if settings.map_boundaries else None

    def routes(self) -> list[web.AbstractRouteDef]:
        from bot.desk.outbox import OutboxPage  # they use this module's helpers
        from bot.desk.staff import StaffPage

        return [
            *StaffPage(self).routes(),
            *OutboxPage(self).routes(),
            web.get("/desk", self.dashboard),
            web.get("/desk/masuk", self.sign_in_page),
            web.get("/desk/tiket", self.ticket_list),
            web.get("/desk/tiket.csv", self.ticket_csv),
            web.get("/desk/tiket.xlsx", self.ticket_xlsx),
            web.get("/desk/live", self.list_stream),
            web.get("/desk/peta.json", self.map_points),
            web.get("/desk/batas.json", self.boundaries_json),
            web.get("/desk/tiket/{number}", self.ticket_detail),
            web.post("/desk/tiket/{number}", self.ticket_action),
            web.get("/desk/tiket/{number}/live", self.ticket_stream),
            web.get("/desk/media/{media_id}", self.media),
            web.static("/desk/static", HERE / "static"),
            *(PublicPage(self).routes() if self.settings.public_page else []),
        ]

    # --- who is asking -------------------------------------------------------------------------------
    async def _staff(self, request: web.Request) -> Identity:
        session = await self.sessions.staff_session(request, self.services.store)
        identity = await signed_in_identity(self.services.store, session.sender) if session else None
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
            "staff_label": (lambda who: staff_label(turn, who, lang)) if turn else (lambda who: who.name or "-"),
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

    def _bad_query(self, request: web.Request, problem: BadQuery) -> web.HTTPBadRequest:
        return web.HTTPBadRequest(text=self.services.texts.get(problem.key, self._lang(request), **problem.fields))

    def _period(self, request: web.Request) -> Period:
        calendar, now = self.services.calendar, self.services.clock()
        default = Period.last_days(calendar, now, 30)
        try:
            start = _date(request.query.get("dari")) or default.start
            end = _date(request.query.get("sampai")) or default.end
            if end < start or (end - start).days > 3660:
                raise BadQuery("desk_bad_period")
        except BadQuery as problem:
            raise self._bad_query(request, problem) from None
        return Period(start, end)

    def _own_opd(self, identity: Identity, wanted: str | None, unrouted: bool = False) -> str | None:
        """The OPD a page is about: an officer's own, whatever they ask; others' choice (None: all; with
        `unrouted`, "-" is the tickets no OPD holds yet, the dashboard's "-" row)."""
        if identity.role == ROLE_OFFICER:
            return identity.opd_id or NO_OPD_OFFICER
        if unrouted and wanted == NO_OPD:
            return NO_OPD
        return wanted if wanted and wanted in self.services.directory.opds else None

    async def dashboard(self, request: web.Request) -> web.Response:
        identity = await self._staff(request)
        period = self._period(request)
        opd = self._own_opd(identity, _short(request.query.get("opd")))
        now = self.services.clock()
        await derive_areas(self.services, self.boundaries)
        result = await oversight(self.services.store, self.services.calendar, now, period, opd_id=opd,
                                 opd_ids=list(self.services.directory.opds))
        lang = self._lang(request)
        turn = self._turn(identity, lang)
        chart = {
            "weeks": [w for w, _, _ in result.weeks],
            "received": [n for _, n, _ in result.weeks],
            "resolved": [d for _, _, d in result.weeks],
            "labels": {"received": self.services.texts.get("desk_received", lang),
                       "resolved": self.services.texts.get("desk_resolved", lang)},
            "tiles": self.settings.map_tile_url, "boundaries": bool(self.boundaries),
            "statuses": {status: status_name(turn, status) for status in STATUSES},
        }
        base = ListFilter(opd=opd, start=period.start, end=period.end)
        return self._render("dashboard.html", request, identity, result=result, period=period, opd=opd,
                            topics=list(self.services.directory.routing), statuses=STATUSES,
                            opds=self.services.directory.opds, chart_json=json.dumps(chart),
                            base=base, link=self._link)

    @staticmethod
    def _link(base: ListFilter, **changes: Any) -> str:
        return "/desk/tiket?" + replace(base, **changes).query_string()

    def _filter(self, request: web.Request, identity: Identity) -> ListFilter:
        q = request.query
        status = _short(q.get("status"), 20)
        try:
            if status and status not in (*STATUSES, "terbuka", "terlambat"):
                raise BadQuery("desk_bad_status")
            start, end = _date(q.get("dari")), _date(q.get("sampai"))
        except BadQuery as problem:
            raise self._bad_query(request, problem) from None
        return ListFilter(opd=self._own_opd(identity, _short(q.get("opd")), unrouted=True), status=status,
                          topic=_short(q.get("topic")), kecamatan=_short(q.get("kecamatan")),
                          desa=_short(q.get("desa")),
                          channel=_short(q.get("kanal"), 20), q=(q.get("q") or "").strip()[:100],
                          start=start, end=end)

    async def _tickets(self, flt: ListFilter, limit: int = LIST_LIMIT) -> tuple[int, list[Ticket]]:
        """How many tickets the filter matches, and the newest `limit` of them.

        On a store that keeps oversight facts (SQLite, MongoDB) the filter is one indexed query and only the rows
        shown are read whole; otherwise (and for a text search) the open/period query is filtered here."""
        calendar, now = self.services.calendar, self.services.clock()
        wanted = facts_filter(flt, calendar, now)
        since, until, statuses = wanted.created_since, wanted.created_until, wanted.statuses
        store: Any = self.services.store
        if isinstance(store, OversightStore) and not flt.q:
            total, rows = await store.find_facts(wanted, limit=limit)
            return total, await store.get_tickets([r[0] for r in rows])
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
            for level, area in (("kecamatan", flt.kecamatan), ("desa", flt.desa)):
                if area and (area_of_ticket(ticket, level) or "-") != area:
                    break
            else:
                if needle and needle not in ticket.number.lower() and needle not in ticket.text.lower():
                    continue
                out.append(ticket)
        out.sort(key=lambda t: (t.created_at, t.number), reverse=True)
        return len(out), out[:limit]

    async def ticket_list(self, request: web.Request) -> web.Response:
        identity = await self._staff(request)
        flt = self._filter(request, identity)
        await derive_areas(self.services, self.boundaries)
        total, tickets = await self._tickets(flt, PAGE_ROWS)
        now = self.services.clock()
        turn = self._turn(identity, self._lang(request))
        return self._render("list.html", request, identity, tickets=tickets, total=total, flt=flt,
                            message=self._moved_notice(request),
                            status_names=json.dumps({s: status_name(turn, s) for s in STATUSES}),
                            opds=self.services.directory.opds, statuses=STATUSES,
                            overdue=lambda t: t.status in OPEN_STATUSES and t.due_at is not None and t.due_at < now,
                            place=place_of_ticket, assignee_name=assignee_name, preview=preview_of)

    def _moved_notice(self, request: web.Request) -> str:
        """After a transfer out of the officer's OPD the list says where the ticket went."""
        number = find_ticket_number(request.query.get("dialihkan", "")[:40])
        return self.services.texts.get("desk_moved", self._lang(request), number=number) if number else ""

    async def ticket_csv(self, request: web.Request) -> web.Response:
        identity = await self._staff(request)
        flt = self._filter(request, identity)
        rows = await self._export(flt, self._turn(identity, self._lang(request)))
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        writer.writerow(self._export_header(self._lang(request)))
        writer.writerows([[csv_cell(v) for v in row] for row in rows])
        logger.info("desk: %s exported %d tickets as CSV", identity.key, len(rows))
        return web.Response(body=("\ufeff" + buffer.getvalue()).encode(), content_type="text/csv", charset="utf-8",
                            headers={"Content-Disposition": 'attachment; filename="tiket.csv"',
                                     "Cache-Control": "no-store"})

    async def _export(self, flt: ListFilter, turn: Turn) -> list[list[Any]]:
        """The rows of a CSV or XLSX export. On a store that keeps oversight facts (SQLite, MongoDB) they are read off
        the facts (the assignee from its ticket), without loading whole tickets; the same values either way."""
        store: Any = self.services.store
        if not isinstance(store, OversightStore) or flt.q:
            return self._export_rows((await self._tickets(flt))[1], turn)
        wanted = facts_filter(flt, self.services.calendar, self.services.clock())
        _, rows = await store.find_facts(wanted, limit=LIST_LIMIT, columns=EXPORT_COLUMNS, count=False)

        def when(text: str | None) -> str:
            return self._local(text_to_dt(text))

        return [[number, status_name(turn, status), opd_name(turn, opd), topic_name(turn, topic) if topic else "",
                 when(created), when(due), when(closed),
                 (reporter or "").partition(":")[0], str(kecamatan) if kecamatan else "", str(desa) if desa else "",
                 rating if rating is not None else "", privacy or "publik", assignee or ""]
                for (number, status, opd, topic, created, due, closed, reporter, kecamatan, desa, rating, privacy,
                     assignee) in rows]

    def _export_header(self, lang: str) -> list[str]:
        """The export's column names in the page's language (content/texts: `desk_export_header`, one name per
        column, separated by "|"); the internal names when the text has another number of them."""
        names = [n.strip() for n in self.services.texts.get("desk_export_header", lang).split("|")]
        if len(names) != len(EXPORT_HEADER):
            logger.warning("desk_export_header has %d names, the export %d columns: internal names used",
                           len(names), len(EXPORT_HEADER))
            return list(EXPORT_HEADER)
        return names

    def _local(self, moment: datetime | None) -> str:
        """An export's time as the desk shows it: the regency's local time to the minute ("2026-11-20 09:00")."""
        return moment.astimezone(self.services.calendar.tz).strftime("%Y-%m-%d %H:%M") if moment else ""

    def _export_rows(self, tickets: list[Ticket], turn: Turn) -> list[list[Any]]:
        """The rows of a CSV or XLSX export: the same columns, the same order."""
        return [[t.number, status_name(turn, t.status), opd_name(turn, t.opd_id),
                 topic_name(turn, t.topic) if t.topic else "", self._local(t.created_at),
                 self._local(t.due_at), self._local(t.closed_at),
                 t.reporter.partition(":")[0], area_of_ticket(t, "kecamatan"), area_of_ticket(t, "desa"),
                 t.rating if t.rating is not None else "", t.privacy,
                 (t.extra.get("assignee") or {}).get("name", "")] for t in tickets]

    async def _visible_ticket(self, request: web.Request, identity: Identity) -> Ticket:
        number = request.match_info["number"].strip().upper()[:40]
        ticket = await self.services.store.get_ticket(number)
        if ticket is None or not identity_can_act(identity, ticket.opd_id, ticket.kind):
            if ticket is not None:
                logger.warning("desk: %s refused ticket %s of another OPD", identity.key, number)
            raise web.HTTPNotFound(text=self.services.texts.get("desk_forbidden", self._lang(request)))
        return ticket

    async def ticket_detail(self, request: web.Request, notice: str | None = None, status: int = 200,
                            draft: str = "") -> web.Response:
        identity = await self._staff(request)
        ticket = await self._visible_ticket(request, identity)
        said = said_after_action(request)
        notice = notice if notice is not None else said
        events = await self.services.store.ticket_events(ticket.number)
        lang = self._lang(request)
        turn = self._turn(identity, lang)
        names = await actor_names(turn, ticket, events, lang)
        reporter = await self.services.store.get_identity(ticket.reporter)
        hidden = ticket.privacy in ("anonim", "rahasia")
        reporter_label = "-" if hidden else (reporter.name if reporter and reporter.name else
                                               turn.t("desk_reporter_unnamed", lang))  # the channel follows
        location = ticket.location or {}
        point = None
        if isinstance(location.get("latitude"), (int, float)) and isinstance(location.get("longitude"), (int, float)):
            point = {"lat": location["latitude"], "lon": location["longitude"], "n": ticket.number,
                     "tiles": self.settings.map_tile_url}
        officers = await assignable_officers(self._turn(identity, self._lang(request)), ticket.opd_id,
                                             lambda key: f"webchat:{self.web_sender_for(key)}")
        similar = await nearby.similar_open(turn, ticket) if ticket.status in OPEN_STATUSES else []
        archived = None
        if ticket.status == STATUS_ARCHIVED:  # no deadline runs: when, by whom and why instead
            archived = {"at": ticket.closed_at, "reason": archive_reason(ticket) or "-",
                        "by": await archived_by(turn, ticket, lang)}
        response = self._render("detail.html", request, identity, status=status, ticket=ticket, events=events,
                                similar=similar, draft=draft,
                                canned=canned_for(self.canned, ticket.opd_id), officers=officers,
                                opds=self.services.directory.opds, assignee=ticket.extra.get("assignee"),
                                may_dispose=identity.role in cmd_dispose.roles,
                                may_archive=identity.role in ARCHIVE_ROLES, archived=archived,
                                externals=self.services.directory.external,
                                actor_of=lambda e: event_actor(e, ticket, names),
                                reporter_label=reporter_label, notice=notice,
                                location_text=_place_words(location),
                                point_json=json.dumps(point) if point else "", area=area_of,
                                open=ticket.status in OPEN_STATUSES,
                                may_reopen=identity.role in cmd_reopen_by_office.roles and may_reopen(turn, ticket),
                                withdraw_requested=bool(ticket.extra.get(WITHDRAW_REQUESTED))
                                and ticket.status in OPEN_STATUSES,
                                overdue=is_overdue_ticket(ticket, self.services.clock()),
                                event_label=lambda e: self._event_label(e, self._lang(request)))
        if said:
            response.del_cookie(NOTICE_COOKIE, path=request.path)
        return response

    def _event_label(self, event: TicketEvent, lang: str) -> str:
        key = f"desk_event_{event.kind}"
        return self.services.texts.get(key, lang) if self.services.texts.has(key) else event.kind

    # --- actions -------------------------------------------------------------------------------------
    async def ticket_action(self, request: web.Request) -> web.StreamResponse:
        identity = await self._staff(request)
        lang = self._lang(request)
        form = await read_form(request, keep_files=True)
        try:
            return await self._act(request, identity, lang, form)
        finally:
            for value in form.values():
                if isinstance(value, FileField):
                    value.file.close()

    async def _act(self, request: web.Request, identity: Identity, lang: str, form: Any) -> web.StreamResponse:
        texts = self.services.texts
        action, text, token = form.get("action"), form.get("text", ""), form.get("csrf")
        if not isinstance(token, str) or token != self._csrf(identity) or action not in ACTIONS \
                or not isinstance(text, str):
            return await self.ticket_detail(request, texts.get("desk_bad_request", lang), 400)
        text = text.strip()
        if len(text) > MAX_TEXT:  # (the page's box stops at this length): never sent cut, the officer shortens it
            return await self.ticket_detail(request, texts.get(
                "desk_text_too_long", lang, length=f"{len(text):,}".replace(",", "."),
                limit=f"{MAX_TEXT:,}".replace(",", ".")), 400, draft=text[:MAX_TEXT])
        seen_field = form.get("seen")
        seen = int(seen_field) if isinstance(seen_field, str) and seen_field.isdigit() and len(seen_field) < 7 else None
        ticket = await self._visible_ticket(request, identity)
        command = COMMANDS.get(action)
        if command is not None and identity.role not in command.roles:
            logger.warning("desk: %s (%s) may not %s", identity.key, identity.role, action)
            return await self.ticket_detail(request, texts.get("desk_not_allowed", lang), 403)
        if action == ARCHIVE and identity.role not in ARCHIVE_ROLES:  # officers send it back to triage instead
            logger.warning("desk: %s (%s) may not %s", identity.key, identity.role, action)
            return await self.ticket_detail(request, texts.get("desk_not_allowed", lang), 403)
        if action in TEXT_REQUIRED and not text:
            return await self.ticket_detail(request, texts.get("desk_text_needed", lang), 400)
        external = _short(form.get("luar") if isinstance(form.get("luar"), str) else None)
        if action == ARCHIVE and external is not None and external not in self.services.directory.external:
            return await self.ticket_detail(request, texts.get("desk_bad_request", lang), 400)
        target = _short(form.get("opd") if isinstance(form.get("opd"), str) else None)
        to_triage = action == "alihkan" and target == TRIAGE and ticket.opd_id is not None
        if action in ("alihkan", "disposisi") and target not in self.services.directory.opds and not to_triage:
            return await self.ticket_detail(request, texts.get("desk_opd_needed", lang), 400)
        officer: Identity | None = None
        if action == "tugaskan":
            wanted = form.get("officer")
            officer = await self.services.store.get_identity(wanted[:200]) if isinstance(wanted, str) else None
            if officer is None:
                return await self.ticket_detail(request, texts.get("desk_officer_needed", lang), 400)
        main = find_ticket_number(str(form.get("ke") or "")[:40]) if action == "gabung" else None
        if action == "gabung" and main is None:  # the complaint to join this one to: its number, from the page
            return await self.ticket_detail(request, texts.get("desk_bad_request", lang), 400)
        photo = await self._photo(form.get("photo"), ticket.number) if action == "selesai" else None
        if photo is False:
            return await self.ticket_detail(request, texts.get("desk_photo_bad", lang), 400)
        number = ticket.number

        held: dict[str, Any] = {}

        async def work() -> list[str]:
            turn = self._turn(identity, lang, text)
            if action == "balas" and isinstance(seen, int):
                turn.state[SEEN_EVENTS_KEY] = seen  # a colleague's answer not on the page holds this one
            if action == "catatan":
                turn.changes.events.append(TicketEvent(ticket=number, kind="note", at=turn.now,
                                                       actor=identity.key, text=text))
            elif action == "minta_info":
                fresh = await load_actionable(turn, number, "-", open_only=True)
                if fresh is not None:
                    await ask_for_information(turn, fresh, text)
            elif action == "tugaskan" and officer is not None:
                fresh = await load_actionable(turn, number, "-", open_only=True)
                if fresh is not None:
                    await assign(turn, fresh, officer)
            elif action == ARCHIVE:
                fresh = await load_actionable(turn, number, ARCHIVE_USAGE, open_only=True)
                if fresh is not None:
                    await archive_ticket(turn, fresh, text, external)
            elif action == CLOSE_WITHDRAWN:
                fresh = await load_actionable(turn, number, "/selesai TIKET catatan", open_only=True)
                if fresh is not None and not fresh.extra.get(WITHDRAW_REQUESTED):
                    # taken back meanwhile (or never asked): a plain close is the other button's, not this one's
                    return [texts.get("desk_withdraw_not_requested", lang, number=number)]
                if fresh is not None:
                    await mark_done(turn, fresh, text)  # closes as withdrawn: actions/officer.py
            elif isinstance(photo, Media):
                fresh = await load_actionable(turn, number, "/selesai TIKET catatan", open_only=True)
                if fresh is not None:
                    turn.changes.media.append(photo)
                    await mark_done(turn, fresh, text, image=f"media:{photo.id}")
            elif command is not None:
                args = {"balas": f"{number} {text}", "proses": number, "selesai": f"{number} {text or '-'}",
                        "alihkan": f"{number} {target} {text}", "disposisi": f"{number} {target} {text}",
                        "gabung": f"{number} {main} {text}", REOPEN: f"{number} {text}"}[action]
                await command.handler(turn, args)
            if turn.changes:
                await self.services.store.commit(turn.changes)
            held.clear()
            held.update(turn.state.get(CONFIRMED_REPLY_KEY) or {})
            return [reply.text for reply in turn.replies]

        said = await retry_conflicts(work)
        if held:  # not sent: the page again, with the colleague's answer in its history and this one kept
            return await self.ticket_detail(request, texts.get("desk_reply_held", lang, by=held.get("by", ""),
                                                               ago=held.get("ago", "")), 409, draft=text)
        self.services.wake_outbox()
        logger.info("desk: %s did %s on %s", identity.key, action, number)
        after = await self.services.store.get_ticket(number)
        if after is not None:
            self.publish(after, action, previous_opd=ticket.opd_id)
        if main is not None and (joined_to := await self.services.store.get_ticket(main)) is not None:
            self.publish(joined_to, action)  # its followers and photos changed too
        notice = re.sub(r"\*", "", " ".join(said)) or texts.get("desk_note_saved", lang)  # chat bold: no markup here
        if after is None or not identity_can_act(identity, after.opd_id, after.kind):
            # transferred away from the officer's OPD: back to their list
            raise web.HTTPSeeOther(f"/desk/tiket?{urlencode({'lang': lang, 'dialihkan': number})}")
        raise back_to_page(f"/desk/tiket/{quote(number)}", lang, notice, self.services.settings.public_url)

    def publish(self, ticket: Ticket, kind: str, previous_opd: str | None = None) -> None:
        """Tell every open stream about a changed ticket (its OPD's lists, and the OPD it left)."""
        opds = [o for o in dict.fromkeys([ticket.opd_id, previous_opd]) if o]
        self.live.publish({"number": ticket.number, "status": ticket.status, "opd": ticket.opd_id, "opds": opds,
                           "kind": kind, "version": ticket.version})

    def chat_changed(self, changes: Changes) -> None:
        """A chat turn changed tickets (a resident's answer, an officer's /balas): tell the open streams now.

        Lists have no other way to hear of it; a ticket's own stream would notice at its next look. Nothing is
        read when no desk page is open (most chat turns)."""
        if not self.live.listeners:
            return
        numbers = list(dict.fromkeys([t.number for t in changes.tickets] + [e.ticket for e in changes.events]))
        task = asyncio.create_task(self._publish_changed(numbers, changes.events))
        self._publishing.add(task)
        task.add_done_callback(self._published)

    async def _publish_changed(self, numbers: list[str], events: list[TicketEvent]) -> None:
        for number in numbers:
            ticket = await self.services.store.get_ticket(number)
            if ticket is None:
                continue
            own = [e for e in events if e.ticket == number]
            previous = next((e.data.get("from_opd") for e in own if e.data.get("from_opd")), None)
            self.publish(ticket, own[-1].kind if own else "changed", previous_opd=previous)

    def _published(self, task: asyncio.Task[None]) -> None:
        self._publishing.discard(task)
        if not task.cancelled() and task.exception() is not None:
            logger.error("desk: live change not published", exc_info=task.exception())

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

    # --- the map ----------------------------------------------------------------------------------------
    async def map_points(self, request: web.Request) -> web.Response:
        """The pins of the filtered tickets (status, OPD, topic, period) as [lat, lon, number, status]."""
        identity = await self._staff(request)
        flt = self._filter(request, identity)
        if flt.start is None and flt.end is None:
            period = self._period(request)
            flt = replace(flt, start=period.start, end=period.end)
        await derive_areas(self.services, self.boundaries)
        points = await pins(self.services, flt, MAP_LIMIT)
        return web.json_response({"points": points, "limit": MAP_LIMIT}, headers={"Cache-Control": "no-store"})

    async def boundaries_json(self, request: web.Request) -> web.Response:
        """The operator's kecamatan/desa boundaries (GeoJSON) for the map, if configured."""
        await self._staff(request)
        if not self.boundaries:
            raise web.HTTPNotFound()
        return web.Response(body=self.boundaries.raw, content_type="application/geo+json",
                            headers={"Cache-Control": "private, max-age=3600"})

    # --- live changes (server-sent events) -----------------------------------------------------------
    async def ticket_stream(self, request: web.Request) -> web.StreamResponse:
        """Changes of one ticket, for everyone who may see it (another OPD's officer: 404)."""
        identity = await self._staff(request)
        ticket = await self._visible_ticket(request, identity)
        self._stream_room(identity)
        store, number = self.services.store, ticket.number
        seen = {"version": ticket.version, "events": len(await store.ticket_events(number))}

        async def poll() -> dict[str, Any] | None:
            # what the chat, a resident or another worker changed (this process publishes its own at once)
            now = await store.get_ticket(number)
            events = len(await store.ticket_events(number))
            if now is None or (now.version, events) == (seen["version"], seen["events"]):
                return None
            seen.update(version=now.version, events=events)
            if not identity_can_act(identity, now.opd_id, now.kind):
                return {"number": number, "gone": True}
            return {"number": number, "status": now.status, "opd": now.opd_id, "kind": "changed",
                    "version": now.version}

        def wants(change: dict[str, Any]) -> bool:
            if change.get("number") != number:
                return False
            # the store is looked at again anyway: a change seen twice refreshes the page twice, none is lost
            return True

        return await self.live.stream(request, Listener(wants, identity.key), poll, signed_in=self._signed_in(request))

    async def list_stream(self, request: web.Request) -> web.StreamResponse:
        """Changes of every ticket the staff member may see: an officer only their OPD's."""
        identity = await self._staff(request)
        self._stream_room(identity)
        own = self._own_opd(identity, None)

        def wants(change: dict[str, Any]) -> bool:
            return own is None or own in change.get("opds", ())

        return await self.live.stream(request, Listener(wants, identity.key), signed_in=self._signed_in(request))

    def _signed_in(self, request: web.Request) -> Callable[[], Awaitable[bool]]:
        """Whether the stream's staff session still holds (not signed out on any worker, not run out)."""
        session = self.sessions.from_request(request)

        async def check() -> bool:
            return session is not None and await self.sessions.still_staff(self.services.store, session)
        return check

    def _stream_room(self, identity: Identity) -> None:
        if self.live.count(identity.key) >= STREAMS_PER_STAFF:
            raise web.HTTPTooManyRequests(text="Too many open live streams")

    async def close_streams(self, app: web.Application) -> None:
        self.live.close()
        for task in list(self._publishing):  # nobody is left to tell
            task.cancel()

    # --- XLSX export ------------------------------------------------------------------------------------
    async def ticket_xlsx(self, request: web.Request) -> web.Response:
        identity = await self._staff(request)
        flt = self._filter(request, identity)
        rows = await self._export(flt, self._turn(identity, self._lang(request)))
        body = await asyncio.to_thread(xlsx_bytes, self._export_header(self._lang(request)), rows)
        logger.info("desk: %s exported %d tickets as XLSX", identity.key, len(rows))
        return web.Response(body=body, content_type=XLSX_MIME,
                            headers={"Content-Disposition": 'attachment; filename="tiket.xlsx"',
                                     "Cache-Control": "no-store"})

    async def media(self, request: web.Request) -> web.Response:
        identity = await self._staff(request)
        store = self.services.store
        media = await store.get_media(request.match_info["media_id"][:100])
        ticket = await store.get_ticket(media.ticket) if media and media.ticket else None
        if media is not None and ticket is None and (number := find_ticket_number(request.query.get("tiket", ""))):
            # a photo a resident sent to their ticket later (an answer) is kept before it belongs to one
            found = await store.get_ticket(number)
            ticket = found if found is not None and media.id in found.media else None
        if media is None or ticket is None or not identity_can_act(identity, ticket.opd_id, ticket.kind):
            raise web.HTTPNotFound()
        return web.Response(body=media.data, content_type=media.mime, headers={"Cache-Control": "private, no-store"})


def csv_cell(value: Any) -> Any:
    """A value for the CSV export: text a spreadsheet would run as a formula (a name chosen on Telegram such as
    `=HYPERLINK(...)`) gets a leading apostrophe, as OWASP advises; numbers stay numbers."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


EXPORT_HEADER = ["number", "status", "opd", "topic", "created_at", "due_at", "closed_at", "channel",
                 "kecamatan", "desa", "rating", "privacy", "assignee"]
# the export's columns of the facts (`find_facts`), in EXPORT_HEADER's order (the assignee from the ticket's record)
EXPORT_COLUMNS = ("number, status, opd_id, topic, created_at, due_at, closed_at, reporter, kecamatan, desa, rating, "
                  "privacy, assignee")
XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def xlsx_bytes(header: list[str], rows: list[list[Any]]) -> bytes:
    """One worksheet with a bold header row, written in constant memory (XlsxWriter)."""
    import xlsxwriter

    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True, "strings_to_numbers": False,
                                        "strings_to_formulas": False, "strings_to_urls": False})
    sheet = book.add_worksheet("tiket")
    sheet.write_row(0, 0, header, book.add_format({"bold": True}))
    for n, row in enumerate(rows, 1):
        # each cell by its type (what write_row would pick, without its per-cell dispatch); "" stays blank
        for column, value in enumerate(row):
            if isinstance(value, str):
                if value:
                    sheet.write_string(n, column, value)
            elif value is not None:
                sheet.write_number(n, column, value)
    sheet.freeze_panes(1, 0)
    sheet.autofilter(0, 0, max(1, len(rows)), len(header) - 1)
    book.close()
    return buffer.getvalue()


def area_of_ticket(ticket: Ticket, level: str) -> str:
    """A ticket's kecamatan or desa: the one the location pin falls in, else the one the resident typed."""
    location = ticket.location or {}
    value = location.get(level)
    return str(value) if value else ""


def place_of_ticket(ticket: Ticket) -> str:
    """A ticket's village and kecamatan as stored ("Sukamaju, Kota"), for a list row; "" when it has neither."""
    return ", ".join(p for p in (area_of_ticket(ticket, "desa"), area_of_ticket(ticket, "kecamatan")) if p)


def assignee_name(ticket: Ticket) -> str:
    """The name of the officer a ticket is assigned to (actions/desk.py: `assign`), "" when nobody is."""
    return str((ticket.extra.get("assignee") or {}).get("name") or "")


PREVIEW_CHARS = 80


def preview_of(text: str, limit: int = PREVIEW_CHARS) -> str:
    """A complaint's text on one line for a list: NIK and phone numbers masked first (so the cut never leaves part of
    one readable), then cut to `limit` characters with an ellipsis. The template escapes it."""
    line = " ".join(mask_personal(text).split())
    return line if len(line) <= limit else line[:limit - 1].rstrip() + "…"


MAP_LIMIT = 20_000  # pins the map shows at most (the newest)


def facts_filter(flt: ListFilter, calendar: Any, now: datetime, privacy: str | None = None,
                 with_pin: bool = False) -> FactsFilter:
    """The store's filter for a list, an export or the map."""
    statuses: tuple[str, ...] | None = None
    if flt.status in ("terbuka", "terlambat"):
        statuses = OPEN_STATUSES
    elif flt.status:
        statuses = (flt.status,)
    return FactsFilter(
        opd_id=None if flt.opd in (None, "-") else flt.opd, no_opd=flt.opd == "-", statuses=statuses,
        due_before=now if flt.status == "terlambat" else None,
        created_since=Period(flt.start, flt.start).bounds(calendar)[0] if flt.start else None,
        created_until=Period(flt.end, flt.end).bounds(calendar)[1] if flt.end else None,
        topic=flt.topic, kecamatan=flt.kecamatan, desa=flt.desa, channel=flt.channel, privacy=privacy,
        with_pin=with_pin)


async def pins(services: Services, flt: ListFilter, limit: int, privacy: str | None = None) -> list[list[Any]]:
    """[lat, lon, number, status] of the filtered tickets with a location pin, newest first."""
    calendar, now = services.calendar, services.clock()
    wanted = facts_filter(flt, calendar, now, privacy=privacy, with_pin=True)
    store: Any = services.store
    if isinstance(store, OversightStore):
        _, rows = await store.find_facts(wanted, limit=limit, columns="lat, lon, number, status", count=False)
        return [[round(r[0], 5), round(r[1], 5), r[2], r[3]] for r in rows]
    since = wanted.created_since or datetime(2000, 1, 1, tzinfo=calendar.tz)
    until = wanted.created_until or now + timedelta(days=1)
    out = []
    for f in reversed(await store.ticket_facts(since, until, wanted.opd_id)):
        location = f.location or {}
        lat, lon = location.get("latitude"), location.get("longitude")
        if not isinstance(lat, (int, float)) or not isinstance(lon, (int, float)):
            continue
        if (wanted.no_opd and f.opd_id) or (wanted.statuses and f.status not in wanted.statuses) \
                or (wanted.due_before and not (f.due_at and f.due_at < wanted.due_before)) \
                or (wanted.topic and f.topic != wanted.topic) or (privacy and f.privacy != privacy) \
                or (wanted.channel and f.reporter.partition(":")[0] != wanted.channel):
            continue
        out.append([round(lat, 5), round(lon, 5), f.number, f.status])
        if len(out) >= limit:
            break
    return out


def is_overdue_ticket(ticket: Ticket, now: datetime) -> bool:
    return ticket.status in OPEN_STATUSES and ticket.due_at is not None and ticket.due_at < now


def _place_words(location: dict[str, Any]) -> str:
    """The place in words (the map shows the pin); a pin without words shows its coordinates, not "-"."""
    words = ", ".join(v for v in location.values() if isinstance(v, str) and v)  # not the area_checked flag
    if words or location.get("latitude") is None or location.get("longitude") is None:
        return words
    return f"{float(location['latitude']):.6f}, {float(location['longitude']):.6f}"
