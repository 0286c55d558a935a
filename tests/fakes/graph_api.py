"""A fake of Meta's Graph API (WhatsApp Cloud API) on 127.0.0.1, for tests and the benchmark.

    async with FakeGraphApi(token="T", phone_number_id="1234567890") as graph:
        settings = make_settings(tmp_path, WHATSAPP_GRAPH_URL=graph.url, ...)
        ...
        graph.fail_next(2, "429")          # the next two calls answer 429 (rate limited)
        await graph.wait_for_sent(lambda m: m["to"] == "6281...")

It checks the bearer token on every call and the Cloud API's limits on what is sent (text length,
button and list sizes, titles, ids), answering Graph's error JSON like the real one, so a channel
that breaks a rule fails here the way it would fail in production.
"""

from __future__ import annotations

import asyncio
import itertools
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web

from tests.fakes.server import LoopbackServer

FAULTS = {
    "429": (429, 130429, "(#130429) Rate limit hit"),
    "throughput": (400, 131056, "(#131056) (Business Account, Consumer Account) pair rate limit hit"),
    "500": (500, 1, "An unknown error occurred"),
    "503": (503, 2, "Service temporarily unavailable"),
    "131047": (400, 131047, "Re-engagement message"),
    "invalid": (400, 100, "(#100) Invalid parameter"),
}


@dataclass
class Sent:
    """One message the channel sent: the JSON body, the wamid we answered and when."""

    body: dict[str, Any]
    wamid: str
    at: float

    @property
    def to(self) -> str:
        return str(self.body.get("to"))

    @property
    def type(self) -> str:
        return str(self.body.get("type"))

    @property
    def text(self) -> str:
        """The visible text of the message (text body, interactive body, caption, template name)."""
        kind = self.type
        if kind == "text":
            return self.body["text"]["body"]
        if kind == "interactive":
            return self.body["interactive"]["body"]["text"]
        if kind in ("image", "document"):
            return self.body[kind].get("caption", "")
        if kind == "template":
            return self.body["template"]["name"]
        return ""

    @property
    def choices(self) -> list[tuple[str, str]]:
        """(id, title) of the reply buttons or list rows."""
        if self.type != "interactive":
            return []
        interactive = self.body["interactive"]
        if interactive["type"] == "button":
            return [(b["reply"]["id"], b["reply"]["title"]) for b in interactive["action"]["buttons"]]
        return [(r["id"], r["title"]) for s in interactive["action"]["sections"] for r in s["rows"]]


@dataclass
class FakeGraphApi(LoopbackServer):
    token: str = "test-token"
    phone_number_id: str = "1234567890"
    retry_after: str | None = "0"
    sent: list[Sent] = field(default_factory=list)
    uploads: list[dict[str, Any]] = field(default_factory=list)
    media: dict[str, tuple[bytes, str]] = field(default_factory=dict)
    media_lookups: list[str] = field(default_factory=list)
    downloads: list[str] = field(default_factory=list)
    # GET /{phone-number-id}: the authenticated read the channel makes once at start to check its token
    number_checks: int = 0
    rejected: list[dict[str, Any]] = field(default_factory=list)
    calls: int = 0
    url: str = ""
    on_sent: list[Callable[[Sent], None]] = field(default_factory=list)

    def __post_init__(self) -> None:
        self._faults: list[tuple[str, str]] = []
        self._ids = itertools.count(1)
        self._changed = asyncio.Condition()

    # --- control --------------------------------------------------------------------------------
    def fail_next(self, count: int, kind: str = "500", path: str = "messages", after: int = 0) -> None:
        """After `after` good calls, the next `count` calls to `path` fail with fault `kind`.

        `path` is messages, media (upload), lookup (GET /{media-id}), bytes (the download) or number (GET
        /{phone-number-id}).
        """
        self._faults.extend([(path, "pass")] * after + [(path, kind)] * count)

    def add_media(self, media_id: str, data: bytes, mime: str = "image/jpeg") -> None:
        """A file a resident sent, downloadable through GET /{version}/{media_id}."""
        self.media[media_id] = (data, mime)

    def sent_to(self, to: str) -> list[Sent]:
        return [s for s in self.sent if s.to == to]

    async def wait_for_sent(self, predicate: Callable[[Sent], bool], timeout: float = 10.0,
                            count: int = 1) -> list[Sent]:
        """Wait until `count` sent messages match `predicate`; returns them."""
        def matched() -> list[Sent]:
            return [s for s in self.sent if predicate(s)]

        async with self._changed:
            await asyncio.wait_for(self._changed.wait_for(lambda: len(matched()) >= count), timeout)
        return matched()

    # --- server ---------------------------------------------------------------------------------
    def build_app(self) -> web.Application:
        app = web.Application(client_max_size=32 * 1024 * 1024)
        app.router.add_get("/media-bytes/{media_id}", self._bytes)
        app.router.add_post("/{version}/{phone_id}/messages", self._messages)
        app.router.add_post("/{version}/{phone_id}/media", self._upload)
        app.router.add_get("/{version}/{media_id}", self._lookup)
        return app

    # --- helpers --------------------------------------------------------------------------------
    @staticmethod
    def _error(status: int, code: int, message: str, headers: dict[str, str] | None = None) -> web.Response:
        body = {"error": {"message": message, "type": "OAuthException", "code": code, "error_subcode": 2494010,
                          "fbtrace_id": "AbCdEfGhIjK"}}
        return web.json_response(body, status=status, headers=headers)

    def _fault(self, path: str) -> web.Response | None:
        for index, (fault_path, kind) in enumerate(self._faults):
            if fault_path == path:
                del self._faults[index]
                if kind == "pass":
                    return None
                status, code, message = FAULTS[kind]
                headers = {"Retry-After": self.retry_after} if status == 429 and self.retry_after is not None else None
                return self._error(status, code, message, headers)
        return None

    def _authorised(self, request: web.Request) -> bool:
        return request.headers.get("Authorization") == f"Bearer {self.token}"

    def _unauthorised(self) -> web.Response:
        return self._error(401, 190, "Invalid OAuth access token - Cannot parse access token")

    async def _record(self, sent: Sent) -> None:
        async with self._changed:
            self.sent.append(sent)
            for callback in self.on_sent:
                callback(sent)
            self._changed.notify_all()

    # --- endpoints ------------------------------------------------------------------------------
    async def _messages(self, request: web.Request) -> web.Response:
        self.calls += 1
        if not self._authorised(request):
            return self._unauthorised()
        if request.match_info["phone_id"] != self.phone_number_id:
            return self._error(400, 100, "Unsupported post request. Object with ID does not exist")
        fault = self._fault("messages")
        if fault is not None:
            return fault
        try:
            body = await request.json()
        except json.JSONDecodeError:
            return self._error(400, 100, "(#100) Invalid JSON")
        problem = validate_message(body)
        if problem:
            self.rejected.append({"body": body, "problem": problem})
            return self._error(400, 100, f"(#100) Invalid parameter: {problem}")
        wamid = f"wamid.FAKE{next(self._ids):08d}"
        await self._record(Sent(body=body, wamid=wamid, at=asyncio.get_running_loop().time()))
        return web.json_response({"messaging_product": "whatsapp",
                                  "contacts": [{"input": body["to"], "wa_id": body["to"]}],
                                  "messages": [{"id": wamid}]})

    async def _upload(self, request: web.Request) -> web.Response:
        self.calls += 1
        if not self._authorised(request):
            return self._unauthorised()
        fault = self._fault("media")
        if fault is not None:
            return fault
        form = await request.post()
        upload = form.get("file")
        if form.get("messaging_product") != "whatsapp" or upload is None or not hasattr(upload, "file"):
            return self._error(400, 100, "(#100) The parameter messaging_product/file is required")
        data = upload.file.read()
        upload.file.close()  # (aiohttp spools it to a temporary file: left open, a later test warns)
        media_id = f"{900000 + next(self._ids)}"
        self.uploads.append({"id": media_id, "data": data, "mime": upload.content_type, "filename": upload.filename})
        self.media[media_id] = (data, upload.content_type or "application/octet-stream")
        return web.json_response({"id": media_id})

    async def _lookup(self, request: web.Request) -> web.Response:
        self.calls += 1
        if request.match_info["media_id"] == self.phone_number_id:
            return await self._phone_number(request)
        if not self._authorised(request):
            return self._unauthorised()
        fault = self._fault("lookup")
        if fault is not None:
            return fault
        media_id = request.match_info["media_id"]
        self.media_lookups.append(media_id)
        if media_id not in self.media:
            return self._error(400, 100, "(#100) Unsupported get request. Object does not exist")
        data, mime = self.media[media_id]
        return web.json_response({"messaging_product": "whatsapp", "url": f"{self.url}/media-bytes/{media_id}",
                                  "mime_type": mime, "sha256": "0" * 64, "file_size": len(data), "id": media_id})

    async def _phone_number(self, request: web.Request) -> web.Response:
        """The business phone number as Graph describes it (GET /{phone-number-id}, default fields)."""
        self.number_checks += 1
        if not self._authorised(request):
            return self._unauthorised()
        fault = self._fault("number")
        if fault is not None:
            return fault
        return web.json_response({"verified_name": "Pemkab Mojokerto", "display_phone_number": "+62 321 000000",
                                  "id": self.phone_number_id, "quality_rating": "GREEN"})

    async def _bytes(self, request: web.Request) -> web.Response:
        self.calls += 1
        if not self._authorised(request):
            return web.Response(status=401, text="Unauthorized")
        fault = self._fault("bytes")
        if fault is not None:
            return fault
        media_id = request.match_info["media_id"]
        if media_id not in self.media:
            return web.Response(status=404)
        self.downloads.append(media_id)
        data, mime = self.media[media_id]
        return web.Response(body=data, content_type=mime)


def validate_message(body: dict[str, Any]) -> str | None:
    """The Cloud API's rules for a message body; returns what is wrong, or None."""
    if body.get("messaging_product") != "whatsapp":
        return "messaging_product must be whatsapp"
    if not body.get("to"):
        return "to is required"
    kind = body.get("type")
    if kind == "text":
        text = body.get("text") or {}
        if not text.get("body") or len(text["body"]) > 4096:
            return "text.body must be 1-4096 characters"
    elif kind == "interactive":
        return _validate_interactive(body.get("interactive") or {})
    elif kind == "image":
        image = body.get("image") or {}
        if not (image.get("id") or image.get("link")):
            return "image needs id or link"
        if len(image.get("caption", "")) > 1024:
            return "image caption longer than 1024"
    elif kind == "document":
        document = body.get("document") or {}
        if not (document.get("id") or document.get("link")):
            return "document needs id or link"
        if len(document.get("caption", "")) > 1024:
            return "document caption longer than 1024"
    elif kind == "location":
        location = body.get("location") or {}
        if "latitude" not in location or "longitude" not in location:
            return "location needs latitude and longitude"
    elif kind == "template":
        template = body.get("template") or {}
        if not template.get("name") or not (template.get("language") or {}).get("code"):
            return "template needs name and language.code"
    else:
        return f"unsupported type {kind!r}"
    return None


def _validate_interactive(interactive: dict[str, Any]) -> str | None:
    body = (interactive.get("body") or {}).get("text", "")
    if not body or len(body) > 1024:
        return "interactive body.text must be 1-1024 characters"
    action = interactive.get("action") or {}
    if interactive.get("type") == "button":
        buttons = action.get("buttons") or []
        if not 1 <= len(buttons) <= 3:
            return "1-3 buttons"
        titles = [b["reply"]["title"] for b in buttons]
        ids = [b["reply"]["id"] for b in buttons]
        if any(not t or len(t) > 20 for t in titles) or len(set(titles)) != len(titles):
            return "button titles must be unique, 1-20 characters"
        if any(not i or len(i) > 256 for i in ids) or len(set(ids)) != len(ids):
            return "button ids must be unique, 1-256 characters"
        return None
    if interactive.get("type") == "list":
        label = action.get("button", "")
        if not label or len(label) > 20:
            return "list button label 1-20 characters"
        rows = [r for s in action.get("sections") or [] for r in s.get("rows") or []]
        if not 1 <= len(rows) <= 10:
            return "1-10 list rows"
        if any(not r.get("title") or len(r["title"]) > 24 for r in rows):
            return "row titles 1-24 characters"
        if any(len(r.get("description", "")) > 72 for r in rows):
            return "row descriptions up to 72 characters"
        ids = [r.get("id") for r in rows]
        if any(not i or len(i) > 200 for i in ids) or len(set(ids)) != len(ids):
            return "row ids must be unique, 1-200 characters"
        return None
    return "interactive type must be button or list"
