"""A fake Telegram Bot API on 127.0.0.1 for tests and the benchmark.

python-telegram-bot runs unchanged against it: point its `base_url` at `<fake.url>/bot` and
`base_file_url` at `<fake.url>/file/bot`. It serves `/bot<token>/<method>` and
`/file/bot<token>/<path>`, records every call (method, params, uploaded files, the result) in
`calls`, answers with realistic Bot API JSON (message ids increase), and can be told to answer
429 with `retry_after`, or 403 for a blocked chat.

    async with FakeTelegramApi() as fake:
        fake.add_file("PHOTO-1", b"...jpeg...")
        fake.rate_limit(2, retry_after=1)      # the next 2 sending calls get 429
        ...
        fake.sent("sendMessage", chat_id="1001")
"""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web

from tests.fakes.server import LoopbackServer

SENDING_METHODS = ("sendMessage", "sendPhoto", "sendLocation", "sendDocument")


@dataclass
class Call:
    """One request the fake received."""

    method: str
    params: dict[str, Any]
    files: dict[str, bytes] = field(default_factory=dict)
    status: int = 200
    result: Any = None
    at: float = field(default_factory=time.monotonic)

    @property
    def chat_id(self) -> str | None:
        value = self.params.get("chat_id")
        return None if value is None else str(value)

    @property
    def text(self) -> str:
        return str(self.params.get("text") or self.params.get("caption") or "")

    @property
    def buttons(self) -> list[dict[str, Any]]:
        """Inline keyboard buttons, flattened (each has text and callback_data)."""
        markup = self.params.get("reply_markup") or {}
        return [button for row in markup.get("inline_keyboard", []) for button in row]

    @property
    def payloads(self) -> list[str]:
        """callback_data of the buttons, without the question mark of a button that answers a question
        (actions/freshness.py); `buttons` has them as sent."""
        from actions.freshness import unmark

        return [unmark(b.get("callback_data", ""))[0] for b in self.buttons]

    @property
    def message_id(self) -> int | None:
        return self.result.get("message_id") if isinstance(self.result, dict) else None


def _decode(value: str) -> Any:
    """PTB sends form fields; objects and arrays are JSON-encoded strings."""
    if value[:1] in ("{", "["):
        try:
            return json.loads(value)
        except ValueError:
            return value
    return value


class FakeTelegramApi(LoopbackServer):
    """The subset of the Bot API Warga uses, with the shapes the real server returns."""

    def __init__(self, token: str = "123:ABC", username: str = "WargaBot", poll_wait: float = 0.3) -> None:
        self.token = token
        self.me = {"id": int(token.split(":")[0]), "is_bot": True, "first_name": "Warga", "username": username,
                   "can_join_groups": True, "can_read_all_group_messages": False, "supports_inline_queries": False}
        self.calls: list[Call] = []
        self.files: dict[str, bytes] = {}
        self.updates: list[dict[str, Any]] = []
        self.webhook: dict[str, Any] = {}
        self.blocked: set[str] = set()
        self.poll_wait = poll_wait
        # Called with every successful sending call (the benchmark measures latency with it).
        self.listeners: list[Callable[[Call], None]] = []
        self.url = ""
        self._message_id = 5000
        self._file_counter = 0
        self._limited = 0
        self._limited_methods: tuple[str, ...] = SENDING_METHODS
        self._retry_after = 1
        self._flood_every = 0
        self._flood_burst = 0
        self._since_flood = 0
        self._new_update = asyncio.Event()

    # --- control ------------------------------------------------------------------------------
    def add_file(self, file_id: str, data: bytes) -> str:
        """Make a file downloadable by id (as a photo a user sent); returns its file_path."""
        self.files[file_id] = data
        return f"photos/{file_id}.jpg"

    def rate_limit(self, count: int, retry_after: int = 1, methods: tuple[str, ...] = SENDING_METHODS) -> None:
        """Answer the next `count` calls of `methods` with 429 and `retry_after`."""
        self._limited = count
        self._retry_after = retry_after
        self._limited_methods = methods

    def flood(self, every: int, burst: int, retry_after: int = 1) -> None:
        """After every `every` successful sends, answer the next `burst` sends with 429 (benchmark)."""
        self._flood_every, self._flood_burst, self._retry_after = every, burst, retry_after
        self._limited_methods = SENDING_METHODS

    def block(self, chat_id: str | int) -> None:
        """The user blocked the bot: sending to them answers 403."""
        self.blocked.add(str(chat_id))

    def push_update(self, update: dict[str, Any]) -> None:
        """Queue an update for getUpdates (polling)."""
        self.updates.append(update)
        self._new_update.set()

    def sent(self, method: str | None = None, chat_id: str | int | None = None) -> list[Call]:
        """Successful sending calls, optionally of one method and to one chat."""
        methods = (method,) if method else SENDING_METHODS
        return [c for c in self.calls if c.status == 200 and c.method in methods
                and (chat_id is None or c.chat_id == str(chat_id))]

    def of(self, method: str) -> list[Call]:
        return [c for c in self.calls if c.method == method]

    # --- server -------------------------------------------------------------------------------
    def build_app(self) -> web.Application:
        app = web.Application(client_max_size=64 * 1024 * 1024)
        app.router.add_route("*", "/{tail:.*}", self._dispatch)
        return app

    @property
    def api_base(self) -> str:
        return f"{self.url}/bot"

    @property
    def file_base(self) -> str:
        return f"{self.url}/file/bot"

    async def _dispatch(self, request: web.Request) -> web.StreamResponse:
        path = request.path
        if path.startswith("/file/bot"):
            token, _, file_path = path[len("/file/bot"):].partition("/")
            if token != self.token:
                return web.Response(status=401)
            for file_id, data in self.files.items():
                if file_path == f"photos/{file_id}.jpg":
                    return web.Response(body=data, content_type="image/jpeg")
            return web.Response(status=404)
        if not path.startswith("/bot"):
            return web.Response(status=404)
        token, _, method = path[len("/bot"):].rpartition("/")
        if token != self.token:
            return self._error(401, "Unauthorized")
        params: dict[str, Any] = {}
        files: dict[str, bytes] = {}
        if request.can_read_body:
            if request.content_type == "application/json":
                params = await request.json()
            else:
                form = await request.post()
                for key, value in form.items():
                    if isinstance(value, web.FileField):
                        files[key] = value.file.read()
                        value.file.close()  # (aiohttp spools it to a temporary file: left open, a later test warns)
                    else:
                        params[key] = _decode(str(value))
        params.update({k: _decode(v) for k, v in request.query.items()})
        call = Call(method, params, files)
        self.calls.append(call)
        if self._should_limit(method):
            call.status = 429
            return self._error(429, f"Too Many Requests: retry after {self._retry_after}",
                               parameters={"retry_after": self._retry_after})
        if method in SENDING_METHODS and call.chat_id in self.blocked:
            call.status = 403
            return self._error(403, "Forbidden: bot was blocked by the user")
        handler = getattr(self, "_m_" + method.lower(), None)
        if handler is None:
            call.status = 404
            return self._error(404, "Not Found")
        result = await handler(params, files)
        if isinstance(result, web.Response):
            call.status = result.status
            return result
        call.result = result
        if method in SENDING_METHODS:
            self._since_flood += 1
            for listener in self.listeners:
                listener(call)
        return web.json_response({"ok": True, "result": result})

    def _should_limit(self, method: str) -> bool:
        if method not in self._limited_methods:
            return False
        if self._limited > 0:
            self._limited -= 1
            return True
        if self._flood_every and self._since_flood >= self._flood_every:
            self._limited = self._flood_burst - 1
            self._since_flood = 0
            return True
        return False

    @staticmethod
    def _error(code: int, description: str, **extra: Any) -> web.Response:
        return web.json_response({"ok": False, "error_code": code, "description": description, **extra}, status=code)

    def _message(self, chat_id: Any, **content: Any) -> dict[str, Any]:
        self._message_id += 1
        cid = int(chat_id)
        chat: dict[str, Any] = ({"id": cid, "type": "private", "first_name": "Pengguna"} if cid > 0
                                else {"id": cid, "type": "supergroup", "title": "Grup"})
        message = {"message_id": self._message_id, "date": int(time.time()), "chat": chat, "from": self.me}
        message.update({k: v for k, v in content.items() if v is not None})
        return message

    def _photo_sizes(self) -> list[dict[str, Any]]:
        self._file_counter += 1
        base = f"AgACAgUAAxkDAAI{self._file_counter:05d}"
        return [{"file_id": f"{base}-{w}", "file_unique_id": f"AQAD{self._file_counter}{w}", "width": w,
                 "height": w * 3 // 4, "file_size": w * 40} for w in (90, 320, 1280)]

    # --- methods ------------------------------------------------------------------------------
    async def _m_getme(self, params: dict[str, Any], files: dict[str, bytes]) -> Any:
        return self.me

    async def _m_sendmessage(self, params: dict[str, Any], files: dict[str, bytes]) -> Any:
        if not str(params.get("text") or "").strip():
            return self._error(400, "Bad Request: message text is empty")
        if len(str(params["text"]).encode("utf-16-le")) // 2 > 4096:
            return self._error(400, "Bad Request: message is too long")
        return self._message(params["chat_id"], text=params["text"], entities=params.get("entities"),
                             reply_markup=params.get("reply_markup"))

    async def _m_sendphoto(self, params: dict[str, Any], files: dict[str, bytes]) -> Any:
        if "photo" not in params and not files:
            return self._error(400, "Bad Request: there is no photo in the request")
        return self._message(params["chat_id"], photo=self._photo_sizes(), caption=params.get("caption"),
                             reply_markup=params.get("reply_markup"))

    async def _m_senddocument(self, params: dict[str, Any], files: dict[str, bytes]) -> Any:
        if "document" not in params and not files:
            return self._error(400, "Bad Request: there is no document in the request")
        self._file_counter += 1
        return self._message(params["chat_id"], caption=params.get("caption"), document={
            "file_id": f"BQACAgUAAxkDAAI{self._file_counter:05d}", "file_unique_id": f"AgAD{self._file_counter}",
            "file_name": "document.pdf", "mime_type": "application/pdf"})

    async def _m_sendlocation(self, params: dict[str, Any], files: dict[str, bytes]) -> Any:
        return self._message(params["chat_id"], location={"latitude": float(params["latitude"]),
                                                          "longitude": float(params["longitude"])})

    async def _m_answercallbackquery(self, params: dict[str, Any], files: dict[str, bytes]) -> Any:
        return True

    async def _m_editmessagereplymarkup(self, params: dict[str, Any], files: dict[str, bytes]) -> Any:
        return self._message(params["chat_id"], text="(edited)")

    async def _m_getfile(self, params: dict[str, Any], files: dict[str, bytes]) -> Any:
        file_id = str(params.get("file_id"))
        if file_id not in self.files:
            return self._error(400, "Bad Request: invalid file_id")
        return {"file_id": file_id, "file_unique_id": "U" + file_id[-8:], "file_size": len(self.files[file_id]),
                "file_path": f"photos/{file_id}.jpg"}

    async def _m_setwebhook(self, params: dict[str, Any], files: dict[str, bytes]) -> Any:
        self.webhook = dict(params)
        return True

    async def _m_deletewebhook(self, params: dict[str, Any], files: dict[str, bytes]) -> Any:
        self.webhook = {}
        return True

    async def _m_getwebhookinfo(self, params: dict[str, Any], files: dict[str, bytes]) -> Any:
        return {"url": self.webhook.get("url", ""), "has_custom_certificate": False, "pending_update_count": 0,
                "max_connections": int(self.webhook.get("max_connections", 40)) if self.webhook else None,
                "allowed_updates": self.webhook.get("allowed_updates")}

    async def _m_getupdates(self, params: dict[str, Any], files: dict[str, bytes]) -> Any:
        if self.webhook.get("url"):
            return self._error(409, "Conflict: can't use getUpdates method while webhook is active")
        offset = int(params.get("offset") or 0)
        self.updates = [u for u in self.updates if u["update_id"] >= offset]
        if not self.updates:
            self._new_update.clear()
            wait = min(float(params.get("timeout") or 0), self.poll_wait)
            try:
                await asyncio.wait_for(self._new_update.wait(), wait)
            except TimeoutError:
                pass
        return list(self.updates[:100])
