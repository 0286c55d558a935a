"""SP4N-LAPOR!: push every complaint once, keep its LAPOR! id, relay LAPOR! follow-ups to the resident.

The official API is documented only to registered agency developers, so everything that may differ
between deployments (paths, form field names, where answers keep ids, status names, category ids)
lives in content/lapor.yml; credentials and the base URL come from the environment.

Pushing is the outbox job kind `lapor_create` (queued by actions/complaint.py in the same commit as
the ticket). `LaporPusher` makes it idempotent: our ticket number travels as an external reference,
and a try that may have reached LAPOR! before (the job was retried, or a marker written just before
the create call survives a crash) first looks the ticket up there and reuses the id it finds.
`LaporSync` periodically reads status and follow-ups of open tickets, relays each new follow-up to
the resident once and moves our status forward.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import math
import re
from collections.abc import AsyncIterator, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from email.utils import parsedate_to_datetime
from pathlib import Path
from typing import Any

import aiohttp
import yaml

from actions import duplicates
from actions.base import Services
from actions.common import (
    ASPIRATION_KEY,
    JOB_LAPOR_FOLLOWUP,
    LAPOR_OUTGOING,
    LAPOR_POSTED,
    LAPOR_PUSHED,
    followup_digest,
    status_name,
)
from actions.sla import SlaConfig, commit_turn, deliver_once, reporter_lang, system_turn
from bot.errors import NotYetError, PermanentError, RetryableError
from bot.logging_setup import mask_personal
from bot.message import Button, Location, Reply, utcnow
from bot.settings import LaporSettings
from bot.store.base import (
    JOB_DEAD,
    OPEN_STATUSES,
    PATIENT,
    RESIDENT_TURNS,
    STATUS_ARCHIVED,
    STATUS_CLOSED,
    STATUS_DONE,
    STATUS_IN_PROGRESS,
    STATUS_JOINED,
    STATUS_NEW,
    STATUS_TRIAGE,
    OutboxJob,
    Ticket,
)
from integrations.periodic import Periodic
from nlu import yamlio

logger = logging.getLogger(__name__)

SYNC_LAST_KEY = "lapor:sync:last"
SYNC_CURSOR_KEY = "lapor:sync:cursor"
#: Tickets per store call (and per saved cursor) of a sync pass.
SYNC_PAGE = 100
INITIAL_STATUS = "Belum Terverifikasi"
# How far along each of our statuses is; LAPOR! may only move a ticket forward.
_PROGRESS = {STATUS_TRIAGE: 0, STATUS_NEW: 0, STATUS_IN_PROGRESS: 1, STATUS_DONE: 2, STATUS_CLOSED: 3,
             STATUS_ARCHIVED: 3, STATUS_JOINED: 3}  # archived or joined here: LAPOR! does not reopen it


# What opens a report but says nothing of it ("Assalamualaikum pak/bu, ...", "Selamat pagi min, ...", "Yth. Bapak"):
# left out of the LAPOR! title, which dispatchers read in a list. The content keeps every word.
_ADDRESS = r"(?:bapak|ibu|pak|bu|min|admin|kak)"
_OPENING = re.compile(
    r"^(?:(?:as+alamu\W?\s?alaikum(?:\s+(?:warahmatullahi\s+wabarakatuh|wr\.?\s*wb\.?))?|selamat\s+(?:pagi|siang|sore|"
    r"malam)|punten|permisi|mohon\s+maaf(?:\s+mengganggu)?|maaf|halo|hai|(?:kepada\s+)?(?:yth|yang\s+terhormat))"
    r"[\s,.!:;-]*|" + _ADDRESS + r"(?:\s*[/&]\s*" + _ADDRESS + r"|\s+" + _ADDRESS + r")*\s*[,.!:;]+\s*)+",
    re.IGNORECASE,
)


def title_words(text: str) -> str:
    """The report's words for its title: without the greeting it opens with (all of it when nothing else is left)."""
    words = " ".join(text.split())
    rest = _OPENING.sub("", words, count=1).strip()
    return (rest[:1].upper() + rest[1:]) if len(rest) >= 3 else words


class LaporConfigError(ValueError):
    """content/lapor.yml is malformed; the message names the file and the key."""


_DEFAULTS: dict[str, Any] = {
    "paths": {"upload": "/complaints/complaint/file", "create": "/complaints/complaint",
              "status": "/complaints/{id}/complaint", "followups": "/complaints/{id}/followups",
              "lookup": "/complaints", "lookup_param": "external_id", "followup_create": "/complaints/{id}/followups"},
    "fields": {"title": "title", "content": "content", "category": "category_id", "location": "location",
               "latitude": "latitude", "longitude": "longitude", "date_of_incident": "date_of_incident",
               "is_anonymous": "is_anonymous", "is_secret": "is_secret", "attachments": "attachments[]",
               "external_id": "external_id", "reporter_name": "reporter_name", "upload_file": "attachments[]",
               "followup_content": "content", "followup_author": "author_name", "followup_reference": "external_id"},
    "response": {"complaint_id": "data.id", "attachment_ids": "data.ids", "lookup_list": "data", "lookup_id": "id",
                 "status_name": "data.status.name", "disposition": "data.disposition.name", "followups": "data",
                 "followup_id": "id", "followup_text": "content", "followup_author": "author.name",
                 "followup_date": "created_at", "followup_created_id": "data.id",
                 "followup_reference": "external_id"},
    "statuses": {"belum terverifikasi": STATUS_NEW, "terverifikasi": STATUS_NEW, "dalam proses": STATUS_IN_PROGRESS,
                 "selesai": STATUS_DONE, "diarsipkan": STATUS_CLOSED, "ditolak": STATUS_CLOSED},
    "categories": {}, "opd_categories": {}, "default_category": 0, "title_max_chars": 120, "date_format": "%Y-%m-%d",
    "sla": {}, "sync": {"batch": 100, "concurrency": 4},
}


@dataclass(frozen=True)
class LaporConfig:
    """content/lapor.yml, with defaults for whatever it leaves out."""

    paths: dict[str, str]
    fields: dict[str, str]
    response: dict[str, str]
    statuses: dict[str, str]
    categories: dict[str, Any]
    opd_categories: dict[str, Any]
    default_category: Any
    title_max_chars: int = 120
    date_format: str = "%Y-%m-%d"
    sla: SlaConfig = field(default_factory=SlaConfig)
    sync_batch: int = 100
    sync_concurrency: int = 4

    @classmethod
    def load(cls, path: Path) -> LaporConfig:
        raw: Any = {}
        if path.is_file():
            try:
                raw = yamlio.safe_load(path.read_text(encoding="utf-8")) or {}
            except yaml.YAMLError as exc:
                raise LaporConfigError(f"{path}: not valid YAML: {exc}") from None
        if not isinstance(raw, dict):
            raise LaporConfigError(f"{path}: must be a mapping (paths, fields, response, statuses, categories)")
        return cls.from_dict(raw, str(path))

    @classmethod
    def from_dict(cls, raw: Mapping[str, Any], origin: str = "lapor.yml") -> LaporConfig:
        merged: dict[str, Any] = {}
        for key, default in _DEFAULTS.items():
            value = raw.get(key, default)
            if value is None:
                value = default
            if isinstance(default, dict):
                if not isinstance(value, dict):
                    raise LaporConfigError(f"{origin}: {key!r} must be a mapping, got {value!r}")
                merge = key in ("paths", "fields", "response", "statuses", "sync")
                value = {**default, **value} if merge else dict(value)
            merged[key] = value
        statuses = {str(k).strip().lower(): str(v) for k, v in merged["statuses"].items()}
        for name, ours in statuses.items():
            if ours not in _PROGRESS:
                raise LaporConfigError(
                    f"{origin}: statuses: {name!r} -> {ours!r} must be one of {', '.join(_PROGRESS)}")
        try:
            sla = SlaConfig.from_dict(merged["sla"])
        except (TypeError, ValueError) as exc:
            raise LaporConfigError(f"{origin}: sla: {exc}") from None
        return cls(
            paths={k: str(v) for k, v in merged["paths"].items()},
            fields={k: str(v) if v is not None else "" for k, v in merged["fields"].items()},
            response={k: str(v) for k, v in merged["response"].items()},
            statuses=statuses, categories=dict(merged["categories"]), opd_categories=dict(merged["opd_categories"]),
            default_category=merged["default_category"], title_max_chars=int(merged["title_max_chars"]),
            date_format=str(merged["date_format"]), sla=sla, sync_batch=int(merged["sync"]["batch"]),
            sync_concurrency=int(merged["sync"]["concurrency"]),
        )

    def our_status(self, lapor_status: str | None) -> str | None:
        return self.statuses.get((lapor_status or "").strip().lower())

    def category_for(self, ticket: Ticket) -> Any:
        if ticket.topic and ticket.topic in self.categories:
            return self.categories[ticket.topic]
        if ticket.opd_id and ticket.opd_id in self.opd_categories:
            return self.opd_categories[ticket.opd_id]
        return self.default_category


def dig(data: Any, path: str) -> Any:
    """The value at a dotted path ('data.status.name', 'data.0.id'); None when any step is missing."""
    current = data
    for part in path.split(".") if path else ():
        if isinstance(current, Mapping):
            current = current.get(part)
        elif isinstance(current, list) and part.lstrip("-").isdigit() and -len(current) <= int(part) < len(current):
            current = current[int(part)]
        else:
            return None
    return current


def retry_after_seconds(value: str | None) -> float | None:
    """Retry-After as seconds: either a number or an HTTP date."""
    if not value:
        return None
    try:
        seconds = float(value)
        return max(0.0, seconds) if math.isfinite(seconds) else None
    except ValueError:
        pass
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, (when - utcnow()).total_seconds()) if when.tzinfo else None


@dataclass(frozen=True, slots=True)
class LaporStatus:
    name: str | None
    disposition: str | None


@dataclass(frozen=True, slots=True)
class FollowUp:
    id: str
    text: str
    author: str | None = None
    at: str | None = None
    reference: str | None = None  # the reference we posted it with, when LAPOR! gives it back


# --- the HTTP client ------------------------------------------------------------------------------
class LaporClient:
    """One aiohttp session to LAPOR!; failures become RetryableError or PermanentError for the outbox."""

    def __init__(self, settings: LaporSettings, config: LaporConfig) -> None:
        if not settings.base_url or not settings.token:
            raise ValueError("LAPOR_BASE_URL and LAPOR_TOKEN are required")
        self.base_url = settings.base_url.rstrip("/")
        self.config = config
        self.timeout = aiohttp.ClientTimeout(total=settings.timeout)
        self._headers = {"Authorization": f"Bearer {settings.token}", "token": settings.api_key or settings.token,
                         "Accept": "application/json"}
        self._session: aiohttp.ClientSession | None = None
        self._closed = False
        self.calls = 0

    def _client(self) -> aiohttp.ClientSession:
        if self._closed:
            raise RetryableError("LAPOR! client is shutting down")
        if self._session is None:
            self._session = aiohttp.ClientSession(headers=self._headers, timeout=self.timeout)
        return self._session

    async def close(self) -> None:
        self._closed = True
        if self._session is not None:
            await self._session.close()
            self._session = None

    async def request(self, method: str, path: str, **kwargs: Any) -> Any:
        """Call LAPOR! and return its JSON; map every failure to retryable or permanent."""
        url = self.base_url + path
        if PATIENT.get():
            # a periodic pass's call (the sync): sent between residents' turns, so answering it on the event loop
            # does not delay theirs (the outbox's pushes are not patient: they are residents' complaints)
            await RESIDENT_TURNS.gap()
        self.calls += 1
        try:
            async with self._client().request(method, url, **kwargs) as resp:
                if resp.status == 429 or resp.status >= 500 or resp.status == 408:
                    retry_after = retry_after_seconds(resp.headers.get("Retry-After"))
                    raise RetryableError(f"LAPOR! {method} {path}: HTTP {resp.status}", retry_after)
                if resp.status >= 400:
                    detail = (await resp.text())[:200]
                    raise PermanentError(f"LAPOR! {method} {path}: HTTP {resp.status} {detail}")
                try:
                    return await resp.json(content_type=None)
                except ValueError as exc:
                    raise RetryableError(f"LAPOR! {method} {path}: answer is not JSON ({exc})") from None
        except TimeoutError:
            raise RetryableError(f"LAPOR! {method} {path}: timed out") from None
        except aiohttp.ClientError as exc:
            raise RetryableError(f"LAPOR! {method} {path}: {type(exc).__name__}: {exc}") from None

    # endpoints
    async def upload(self, files: list[tuple[str, str, bytes]]) -> list[str]:
        """Upload attachments (filename, mime, bytes); returns their LAPOR! ids."""
        if not files:
            return []
        form = aiohttp.FormData()
        for name, mime, data in files:
            form.add_field(self.config.fields["upload_file"], data, filename=name, content_type=mime)
        answer = await self.request("POST", self.config.paths["upload"], data=form)
        ids = dig(answer, self.config.response["attachment_ids"])
        if not isinstance(ids, list):
            raise PermanentError("LAPOR! upload: no attachment ids in the answer")
        return [str(i) for i in ids]

    async def create(self, fields: list[tuple[str, str]]) -> tuple[str, str | None]:
        """Create a complaint from form fields; returns (LAPOR! id, status name if given)."""
        form = aiohttp.FormData()
        for name, value in fields:
            form.add_field(name, value)
        answer = await self.request("POST", self.config.paths["create"], data=form)
        complaint_id = dig(answer, self.config.response["complaint_id"])
        if complaint_id in (None, ""):
            raise PermanentError("LAPOR! create: no complaint id in the answer")
        status = dig(answer, self.config.response["status_name"])
        return str(complaint_id), str(status) if status else None

    async def find(self, external_id: str) -> str | None:
        """The LAPOR! id of the complaint created with our ticket number, if one exists."""
        path = self.config.paths.get("lookup")
        if not path:
            return None
        answer = await self.request("GET", path, params={self.config.paths.get("lookup_param", "external_id"):
                                                         external_id})
        found = dig(answer, self.config.response["lookup_list"])
        if isinstance(found, Mapping):
            found = [found]
        for item in found or []:
            value = dig(item, self.config.response["lookup_id"])
            if value not in (None, ""):
                return str(value)
        return None

    async def status(self, lapor_id: str) -> LaporStatus:
        answer = await self.request("GET", self.config.paths["status"].format(id=lapor_id))
        name = dig(answer, self.config.response["status_name"])
        disposition = dig(answer, self.config.response["disposition"])
        return LaporStatus(str(name) if name else None, str(disposition) if disposition else None)

    async def add_followup(self, lapor_id: str, fields: list[tuple[str, str]]) -> str | None:
        """Post a follow-up (tindak lanjut) to a complaint; returns its LAPOR! id when the answer gives one."""
        form = aiohttp.FormData()
        for name, value in fields:
            form.add_field(name, value)
        answer = await self.request("POST", self.config.paths["followup_create"].format(id=lapor_id), data=form)
        followup_id = dig(answer, self.config.response["followup_created_id"])
        return str(followup_id) if followup_id not in (None, "") else None

    async def followups(self, lapor_id: str) -> list[FollowUp]:
        answer = await self.request("GET", self.config.paths["followups"].format(id=lapor_id))
        items = dig(answer, self.config.response["followups"]) or []
        result = []
        for item in items if isinstance(items, list) else []:
            fid = dig(item, self.config.response["followup_id"])
            text = dig(item, self.config.response["followup_text"])
            if fid in (None, "") or not text:
                continue
            author = dig(item, self.config.response["followup_author"])
            at = dig(item, self.config.response["followup_date"])
            reference = dig(item, self.config.response["followup_reference"])
            result.append(FollowUp(str(fid), str(text), str(author) if author else None, str(at) if at else None,
                                   str(reference) if reference else None))
        return result


# --- pushing a ticket -----------------------------------------------------------------------------
class LaporPusher:
    """The outbox sender for `lapor_create` jobs: each ticket reaches LAPOR! exactly once."""

    def __init__(self, services: Services, client: LaporClient) -> None:
        self.services = services
        self.client = client
        self.config = client.config
        self.lookups = 0

    async def __call__(self, job: OutboxJob) -> None:
        store = self.services.store
        number = str(job.payload.get("ticket") or "")
        ticket = await store.get_ticket(number) if number else None
        if ticket is None:
            raise PermanentError(f"ticket {number!r} does not exist")
        if ticket.lapor_id:
            return  # pushed before; only the job's completion was lost
        marker = f"lapor:try:{number}"
        lapor_id: str | None = None
        lapor_status: str | None = None
        if job.attempts > 0 or await store.get_value(marker):
            # A previous try may have reached LAPOR! before we could record its answer.
            self.lookups += 1
            lapor_id = await self.client.find(number)
        if lapor_id is None:
            await store.set_value(marker, self.services.clock().isoformat())
            attachments = await self._attachments(ticket)
            reporter = await self.reporter_name(ticket)
            lapor_id, lapor_status = await self.client.create(self.fields(ticket, attachments, reporter))
        await self._record(number, lapor_id, lapor_status)

    async def _attachments(self, ticket: Ticket) -> list[str]:
        """Upload the ticket's photos once; ids are kept so a retried push does not upload again."""
        if not ticket.media:
            return []
        store = self.services.store
        key = f"lapor:files:{ticket.number}"
        cached = await store.get_value(key)
        if isinstance(cached, list):
            return [str(i) for i in cached]
        files = []
        for index, media_id in enumerate(ticket.media, 1):
            media = await store.get_media(media_id)
            if media is None:
                continue
            extension = {"image/png": "png", "image/webp": "webp"}.get(media.mime, "jpg")
            files.append((f"{ticket.number}-{index}.{extension}", media.mime, media.data))
        ids = await self.client.upload(files)
        await store.set_value(key, ids)
        return ids

    def fields(self, ticket: Ticket, attachments: list[str], reporter_name: str | None = None) -> list[tuple[str, str]]:
        """The create form: privacy respected (anonymous: no identity at all; confidential: is_secret)."""
        f = self.config.fields
        texts = self.services.texts
        topic_key = f"topic_{ticket.topic}"
        topic = texts.get(topic_key if ticket.topic and texts.has(topic_key) else "topic_unknown", "id")
        # A NIK or phone number a resident wrote into the description is published with a public or anonymous
        # report at lapor.go.id (and would name the anonymous reporter): masked there; kept in a confidential one.
        text = ticket.text if ticket.privacy == "rahasia" else mask_personal(ticket.text)
        first_line = title_words(text)
        if not ticket.topic and ticket.extra.get("request") == "informasi":  # a question to an office
            topic = texts.get("lapor_title_question", "id")
        title = f"{topic}: {first_line}" if ticket.topic or ticket.extra.get("request") == "informasi" else first_line
        if ticket.extra.get(ASPIRATION_KEY):  # a suggestion: LAPOR!'s officers read it as aspirasi, not a complaint
            title = f"{texts.get('lapor_title_aspiration', 'id')}: {title}"
        if len(title) > self.config.title_max_chars:
            title = title[: self.config.title_max_chars - 1].rstrip() + "…"
        location = Location.from_dict(ticket.location)
        local_date = ticket.created_at.astimezone(self.services.calendar.tz)
        out: list[tuple[str, str]] = [
            (f["title"], title),
            (f["content"], text),
            (f["category"], str(self.config.category_for(ticket))),
            (f["location"], location.describe() if location else ""),
            (f["date_of_incident"], local_date.strftime(self.config.date_format)),
            (f["is_anonymous"], "1" if ticket.privacy == "anonim" else "0"),
            (f["is_secret"], "1" if ticket.privacy == "rahasia" else "0"),
            (f["external_id"], ticket.number),
        ]
        if location and location.latitude is not None and location.longitude is not None:
            out += [(f["latitude"], f"{location.latitude:.6f}"), (f["longitude"], f"{location.longitude:.6f}")]
        out += [(f["attachments"], attachment) for attachment in attachments]
        if reporter_name and ticket.privacy != "anonim":
            out.append((f.get("reporter_name", ""), reporter_name))
        return [(name, value) for name, value in out if name]

    async def reporter_name(self, ticket: Ticket) -> str | None:
        """The reporter's display name for public and confidential reports; never for anonymous ones. A ticket a
        village official filed for a resident carries the resident's name, not the official's."""
        if not self.config.fields.get("reporter_name") or ticket.privacy == "anonim":
            return None
        behalf = ticket.extra.get("on_behalf")
        if isinstance(behalf, dict) and behalf.get("name"):
            return str(behalf["name"])
        identity = await self.services.store.get_identity(ticket.reporter)
        return identity.name if identity and identity.name else None

    async def _record(self, number: str, lapor_id: str, lapor_status: str | None) -> None:
        """Keep the LAPOR! id, note it in the history and tell the resident — in one commit."""
        now = self.services.clock()
        turn = system_turn(self.services, now, "system:lapor")
        ticket = await self.services.store.get_ticket(number)
        if ticket is None:
            return
        if ticket.lapor_id:
            return
        ticket.lapor_id = lapor_id
        ticket.lapor_status = lapor_status or INITIAL_STATUS
        ticket.updated_at = now
        turn.changes.tickets.append(ticket)
        turn.event(ticket, "lapor", None, lapor_id=lapor_id, lapor_status=ticket.lapor_status)
        lang = await reporter_lang(turn, ticket)
        text = turn.t("lapor_created_to_resident", lang, number=number, lapor_id=lapor_id)
        deliver_once(turn, ticket.reporter, [Reply(text, ticket=number)], f"lapor:{number}")
        if not await commit_turn(turn):  # an officer changed the ticket meanwhile: store the id on the next try
            raise RetryableError(f"ticket {number} changed while saving its LAPOR! id", retry_after=1.0)


# --- our answers as LAPOR! follow-ups -------------------------------------------------------------
class LaporFollowupPusher:
    """The outbox sender for `lapor_followup` jobs (actions/common.py `push_to_lapor`): what staff told the resident,
    posted once as a follow-up of the complaint at LAPOR!, a ticket's answers in the order they were given.

    A complaint still on its way there (its `lapor_create` job not through yet) makes its answers wait, without
    using up their attempts; if the complaint itself became a dead letter, they do too (retried together). An
    answer waits for the ones given before it (unless those are dead letters). A try that may have reached LAPOR!
    before (a retry, or the marker written just before the post) first reads the complaint's follow-ups and stops
    if ours is there (by our reference, or by its text when LAPOR! does not give references back). Its LAPOR! id
    is kept with those the sync has seen, so it is never relayed back to the resident."""

    def __init__(self, services: Services, client: LaporClient) -> None:
        self.services = services
        self.client = client
        self.config = client.config

    async def __call__(self, job: OutboxJob) -> None:
        store = self.services.store
        number, text = str(job.payload.get("ticket") or ""), str(job.payload.get("text") or "")
        author, ref = str(job.payload.get("author") or ""), str(job.payload.get("ref") or "")
        ticket = await store.get_ticket(number) if number else None
        if ticket is None or not text:
            raise PermanentError(f"lapor follow-up: ticket {number!r} does not exist, or nothing to send")
        if not self.config.paths.get("followup_create"):
            logger.info("lapor follow-up of %s not sent: lapor.yml has no paths.followup_create", number)
            return
        if not ticket.lapor_id:
            if f"lapor_create:{number}" in await self._dead_keys():
                raise PermanentError(f"ticket {number} did not reach LAPOR! (its lapor_create job is a dead letter); "
                                     "retry that first, then this")
            raise NotYetError(f"ticket {number} is not at LAPOR! yet")
        outgoing = [str(r) for r in ticket.extra.get(LAPOR_OUTGOING, [])]
        posted = {str(r) for r in ticket.extra.get(LAPOR_POSTED, [])}
        earlier = [r for r in outgoing[:outgoing.index(ref)] if r not in posted] if ref in outgoing else []
        if earlier and not set(earlier) <= await self._dead_refs(number):
            raise NotYetError(f"an earlier answer of {number} goes to LAPOR! first")
        reference = f"{number}/{ref}" if ref else f"{number}/{followup_digest(text)}"
        marker = f"lapor:followup-try:{job.key}"
        if job.attempts > 0 or await store.get_value(marker):
            for item in await self.client.followups(ticket.lapor_id):
                if item.reference == reference or (item.reference is None and
                                                   followup_digest(item.text) == followup_digest(text)):
                    await self._record(number, item.id, ref)
                    return  # an earlier try got there; only its answer was lost
        await store.set_value(marker, self.services.clock().isoformat())
        f = self.config.fields
        fields = [(f.get("followup_content", ""), text), (f.get("followup_author", ""), author),
                  (f.get("followup_reference", ""), reference)]
        followup_id = await self.client.add_followup(ticket.lapor_id, [(k, v) for k, v in fields if k and v])
        await self._record(number, followup_id, ref)

    async def _dead_keys(self) -> set[str]:
        return {j.key for j in await self.services.store.list_jobs(JOB_DEAD, limit=1000)}

    async def _dead_refs(self, number: str) -> set[str]:
        return {str(j.payload.get("ref")) for j in await self.services.store.list_jobs(JOB_DEAD, limit=1000)
                if j.kind == JOB_LAPOR_FOLLOWUP and j.payload.get("ticket") == number}

    async def _record(self, number: str, followup_id: str | None, ref: str) -> None:
        """Note the answer as posted (its turn is over) and keep its LAPOR! id with those the sync has seen."""
        now = self.services.clock()
        for _ in range(5):
            turn = system_turn(self.services, now, "system:lapor")
            ticket = await self.services.store.get_ticket(number)
            if ticket is None:
                return
            seen = [str(i) for i in ticket.extra.get("lapor_followups", [])]
            posted = [str(r) for r in ticket.extra.get(LAPOR_POSTED, [])]
            if (not followup_id or followup_id in seen) and (not ref or ref in posted):
                return
            if followup_id and followup_id not in seen:
                ticket.extra["lapor_followups"] = [*seen, followup_id]
                turn.event(ticket, "lapor_pushed", None, followup_id=followup_id)
            if ref and ref not in posted:
                ticket.extra[LAPOR_POSTED] = [*posted, ref][-100:]
            turn.changes.tickets.append(ticket)
            if await commit_turn(turn):
                return
        raise RetryableError(f"ticket {number} kept changing while recording its LAPOR! follow-up", retry_after=1.0)


# --- periodic sync --------------------------------------------------------------------------------
class LaporSync:
    """Reads status and follow-ups of open tickets at LAPOR!; relays new follow-ups once each."""

    def __init__(self, services: Services, client: LaporClient, interval: float, *, batch: int = 100,
                 concurrency: int = 4) -> None:
        self.services = services
        self.client = client
        self.config = client.config
        self.interval = interval
        self.batch = batch
        self.concurrency = max(1, concurrency)
        self.stats: dict[str, int] = {"runs": 0, "checked": 0, "relayed": 0, "status_changes": 0, "errors": 0}
        self._periodic = Periodic("lapor sync", interval, self.run_once, first_wait=self._first_wait,
                                  store=services.store, clock=services.clock)

    async def start(self) -> None:
        self._periodic.start()

    async def stop(self) -> None:
        await self._periodic.stop()
        await self.client.close()

    async def _first_wait(self) -> float:
        """Honour the last run of any instance so a restart does not hammer LAPOR!."""
        last = await self.services.store.get_value(SYNC_LAST_KEY)
        if isinstance(last, str):
            with contextlib.suppress(ValueError):
                elapsed = (self.services.clock() - datetime.fromisoformat(last)).total_seconds()
                return min(self.interval, max(0.0, self.interval - elapsed))
        return self.interval

    async def run_once(self, now: datetime | None = None) -> dict[str, int]:
        """Sync the next `batch` open tickets that have a LAPOR! id; returns this run's counts.

        The batch is read a page (`SYNC_PAGE`) at a time, an index range of two fields per ticket, and the
        cursor is saved after each page, so a pass interrupted half-way resumes where it stopped and the
        event loop serves residents between pages.
        """
        now = now or self.services.clock()
        store = self.services.store
        semaphore = asyncio.Semaphore(self.concurrency)
        result = {"checked": 0, "relayed": 0, "status_changes": 0, "errors": 0}

        async def one(number: str, lapor_id: str) -> None:
            async with semaphore:
                try:
                    relayed, changed = await self.sync_ticket(number, now, lapor_id)
                except (RetryableError, PermanentError) as exc:
                    result["errors"] += 1
                    logger.info("lapor sync: %s: %s", number, exc)
                    return
                except Exception:
                    result["errors"] += 1
                    logger.exception("lapor sync: %s failed", number)
                    return
                result["checked"] += 1
                result["relayed"] += relayed
                result["status_changes"] += int(changed)

        async for page in self.pages():
            await asyncio.gather(*(one(number, lapor_id) for number, lapor_id in page))
            await store.set_value(SYNC_CURSOR_KEY, page[-1][0])
        await store.set_value(SYNC_LAST_KEY, now.isoformat())
        self.stats["runs"] += 1
        for key, value in result.items():
            self.stats[key] += value
        if result["relayed"] or result["status_changes"] or result["errors"]:
            logger.info("lapor sync: %(checked)d checked, %(relayed)d follow-up(s) relayed, "
                        "%(status_changes)d status change(s), %(errors)d error(s)", result)
        return result

    async def pages(self) -> AsyncIterator[list[tuple[str, str]]]:
        """The next `batch` (number, LAPOR! id) in turn, a page per store call: after the last one synced,
        wrapping round to the first, so every open LAPOR! ticket is read in turn however many there are."""
        store = self.services.store
        saved = await store.get_value(SYNC_CURSOR_KEY)
        cursor = saved if isinstance(saved, str) and saved else None
        taken: set[str] = set()
        wrapped = cursor is None
        while len(taken) < self.batch:
            want = min(SYNC_PAGE, self.batch - len(taken))
            page = [t for t in await store.open_lapor_tickets(cursor, want) if t[0] not in taken]
            if page:
                taken.update(number for number, _ in page)
                cursor = page[-1][0]
                yield page
            if len(page) < want:
                if wrapped:
                    return
                cursor, wrapped = None, True  # the end of the set: on from its start
            await asyncio.sleep(0)

    async def sync_ticket(self, number: str, now: datetime, lapor_id: str | None = None) -> tuple[int, bool]:
        """One ticket: (follow-ups relayed, whether our status moved)."""
        store = self.services.store
        if lapor_id is None:
            ticket = await store.get_ticket(number)
            if ticket is None or not ticket.lapor_id:
                return 0, False
            lapor_id = ticket.lapor_id
        status = await self.client.status(lapor_id)
        followups = await self.client.followups(lapor_id)
        ticket = await store.get_ticket(number)  # fresh: officers may have changed it meanwhile
        if ticket is None:
            return 0, False
        relayed_ids: list[str] = [str(i) for i in ticket.extra.get("lapor_followups", [])]
        # our own answers, sent there (LaporFollowupPusher): known by our reference, or by their text
        pushed = set(ticket.extra.get(LAPOR_PUSHED, []))
        new = [f for f in followups if f.id not in relayed_ids and followup_digest(f.text) not in pushed
               and not (f.reference or "").startswith(f"{number}/")]
        if not new and status.name in (None, "", ticket.lapor_status) \
                and status.disposition in (None, "", ticket.extra.get("lapor_disposition")):
            return 0, False  # nothing moved at LAPOR!: the usual case, one read and no write
        turn = system_turn(self.services, now, "system:lapor")
        lang = await reporter_lang(turn, ticket)
        changed_ticket = False
        reply_button = Button(turn.t("reply_button", lang), f"/tanggapi {number}")
        for item in new:
            author = item.author or turn.t("lapor_followup_author_unknown", lang)
            text = turn.t("lapor_followup_to_resident", lang, number=number, author=author, text=item.text)
            deliver_once(turn, ticket.reporter, [Reply(text, (reply_button,), ticket=number)],
                         f"lapor_followup:{number}:{item.id}")
            turn.event(ticket, "lapor_followup", item.text, followup_id=item.id, author=item.author, at=item.at)
            relayed_ids.append(item.id)
            changed_ticket = True
        if new:
            ticket.extra["lapor_followups"] = relayed_ids
            if ticket.status in OPEN_STATUSES:
                turn.patch_conversation(ticket.reporter, reply_ticket=number)
        moved = False
        if status.name and status.name != ticket.lapor_status:
            ticket.lapor_status = status.name
            changed_ticket = True
            ours = self.config.our_status(status.name)
            if ours is not None and moves_forward(ticket.status, ours):
                ticket.status = ours
                if ours in (STATUS_DONE, STATUS_CLOSED):
                    ticket.closed_at = ticket.closed_at or now
                turn.event(ticket, "status", None, status=ours, by="lapor", lapor_status=status.name)
                text = turn.t("lapor_status_to_resident", lang, number=number, lapor_status=status.name,
                              status=status_name(turn, ours, lang))
                deliver_once(turn, ticket.reporter, [Reply(text, ticket=number)], f"lapor_status:{number}:{ours}")
                if ours in (STATUS_DONE, STATUS_CLOSED):  # the reporters of complaints joined to it hear it too
                    await duplicates.tell_followers(turn, ticket, "done")
                moved = True
        if status.disposition and status.disposition != ticket.extra.get("lapor_disposition"):
            ticket.extra["lapor_disposition"] = status.disposition
            changed_ticket = True
        if changed_ticket:
            ticket.updated_at = now
            turn.changes.tickets.append(ticket)
            await commit_turn(turn)
        return len(new), moved


def moves_forward(current: str, ours: str) -> bool:
    """LAPOR! may only move a ticket forward; a ticket in triage keeps waiting for our routing
    unless LAPOR! finished or closed it."""
    if current == STATUS_TRIAGE:
        return ours in (STATUS_DONE, STATUS_CLOSED)
    return _PROGRESS[ours] > _PROGRESS.get(current, 0)


def lapor_config(services: Services) -> LaporConfig:
    return LaporConfig.load(services.settings.content_dir / "lapor.yml")
