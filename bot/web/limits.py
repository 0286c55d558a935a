"""Limits that keep one client from wearing the service down: rates, open streams, body sizes, slow clients.

- `RateLimiter`: at most N hits per key in a window (fixed windows, a bounded number of keys).
- `StreamGate`: open event streams per session, per client address and in total.
- `body_limits` middleware: a body size per route and a deadline for reading it (408 for a slow body).
- `GuardedRunner`: aiohttp's runner with a cap on open connections; idle connections and clients slow to
  send their headers are closed after `keepalive_timeout` (aiohttp's own timer).
"""

from __future__ import annotations

import asyncio
import logging
import socket
import time
from collections.abc import Awaitable, Callable
from typing import Any

from aiohttp import web

from bot.settings import WebSettings

logger = logging.getLogger(__name__)

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


class RateLimiter:
    """At most `limit` hits per key in each `window` seconds; remembers at most `max_keys` keys."""

    def __init__(self, limit: int, window: float, max_keys: int = 100_000,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.limit = limit
        self.window = window
        self.max_keys = max_keys
        self.clock = clock
        self._counts: dict[str, tuple[float, int]] = {}

    def hit(self, key: str) -> bool:
        """Count one hit; False when the key is over its limit in this window."""
        now = self.clock()
        start, count = self._counts.get(key, (now, 0))
        if now - start >= self.window:
            start, count = now, 0
        count += 1
        if key not in self._counts and len(self._counts) >= self.max_keys:
            self._prune(now)
        self._counts[key] = (start, count)
        return count <= self.limit

    def over(self, key: str) -> bool:
        """True when the key has used up its hits in this window (without counting one)."""
        start, count = self._counts.get(key, (0.0, 0))
        return self.clock() - start < self.window and count >= self.limit

    def first_refusal(self, key: str) -> bool:
        """True exactly once per window: the first hit over the limit (to answer politely only once)."""
        start, count = self._counts.get(key, (0.0, 0))
        return self.clock() - start < self.window and count == self.limit + 1

    def retry_after(self, key: str) -> int:
        start, _ = self._counts.get(key, (self.clock(), 0))
        return max(1, int(self.window - (self.clock() - start)) + 1)

    def _prune(self, now: float) -> None:
        self._counts = {k: v for k, v in self._counts.items() if now - v[0] < self.window}
        if len(self._counts) >= self.max_keys:  # still full: forget the oldest half
            keep = list(self._counts.items())[len(self._counts) // 2:]
            self._counts = dict(keep)


class StreamGate:
    """Counts open event streams per session, per client address and in total."""

    def __init__(self, per_session: int, per_address: int, total: int) -> None:
        self.per_session = per_session
        self.per_address = per_address
        self.total = total
        self.open = 0
        self._sessions: dict[str, int] = {}
        self._addresses: dict[str, int] = {}
        self._address_of: dict[object, str] = {}  # connection handler -> client address

    def acquire(self, session: str, address: str) -> bool:
        if (self.open >= self.total or self._sessions.get(session, 0) >= self.per_session
                or self._addresses.get(address, 0) >= self.per_address):
            return False
        self.open += 1
        self._sessions[session] = self._sessions.get(session, 0) + 1
        self._addresses[address] = self._addresses.get(address, 0) + 1
        return True

    def release(self, session: str, address: str) -> None:
        self.open -= 1
        for counts, key in ((self._sessions, session), (self._addresses, address)):
            left = counts.get(key, 1) - 1
            if left <= 0:
                counts.pop(key, None)  # nothing kept for a session with no stream: memory is given back
            else:
                counts[key] = left

    def streams_of(self, session: str) -> int:
        return self._sessions.get(session, 0)


class WebLimits:
    """The limits of one service instance, built from settings."""

    def __init__(self, settings: WebSettings) -> None:
        self.settings = settings
        self.sender_messages = RateLimiter(settings.messages_per_minute, 60.0)
        self.address_messages = RateLimiter(settings.ip_messages_per_minute, 60.0)
        self.enrol_identity = RateLimiter(settings.enrol_attempts_per_identity, 900.0)
        self.enrol_address = RateLimiter(settings.enrol_attempts_per_ip, 900.0)
        self.streams = StreamGate(settings.streams_per_session, settings.streams_per_ip, settings.streams_total)

    async def slow_down(self) -> None:
        """Wait before a refusal: a client over its limit then costs a sleeping coroutine, not the CPU of
        as many refusals as it can send (its connections are capped, so its refusals per second are too)."""
        await asyncio.sleep(self.settings.refusal_delay)

    def client_address(self, request: web.BaseRequest) -> str:
        """The client's address; behind a trusted proxy, the last hop it added to X-Forwarded-For."""
        if self.settings.trust_forwarded_for:
            forwarded = request.headers.get("X-Forwarded-For", "")
            if forwarded:
                return forwarded.split(",")[-1].strip()[:64]
        return request.remote or "?"


def polite(text: str, status: int, retry_after: int | None = None) -> web.Response:
    """A JSON error a person can read: `{"error": text}`."""
    headers = {"Retry-After": str(retry_after)} if retry_after else None
    return web.json_response({"error": text}, status=status, headers=headers)


def body_limit_for(path: str, settings: WebSettings) -> int:
    if path.startswith(("/webhooks/rest/upload", "/desk/tiket/")):  # the desk: mark done with a photo
        return settings.upload_body_bytes
    if path.startswith(("/webhooks/telegram", "/webhooks/whatsapp")):
        return settings.webhook_body_bytes
    return settings.json_body_bytes


def body_limits(settings: WebSettings, too_large: Callable[[web.Request], str],
                too_slow: Callable[[web.Request], str]) -> Any:
    """Middleware: refuse bodies over the route's limit (413) and bodies not sent within `body_timeout` (408).

    Non-multipart bodies are read here, so handlers find them already read; multipart bodies are read by
    the upload handler under the same deadline.
    """

    @web.middleware
    async def middleware(request: web.Request, handler: Handler) -> web.StreamResponse:
        if request.method not in ("POST", "PUT", "PATCH") or not request.body_exists:
            return await handler(request)
        limit = body_limit_for(request.path, settings)
        if request.content_length is not None and request.content_length > limit:
            return polite(too_large(request), 413)
        limited = request.clone(client_max_size=limit)
        if not request.content_type.startswith("multipart/"):
            try:
                async with asyncio.timeout(settings.body_timeout):
                    await limited.read()
            except TimeoutError:
                logger.info("slow client: body not sent within %.0f s, closed", settings.body_timeout)
                response = polite(too_slow(request), 408)
                response.force_close()
                return response
            except web.HTTPRequestEntityTooLarge:
                return polite(too_large(request), 413)
        return await handler(limited)

    return middleware


# Content-Security-Policy: our own scripts and styles only (no inline script), never inside a frame.
CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; "
       "connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'")
SECURITY_HEADERS = {
    "Content-Security-Policy": CSP,
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "no-referrer",
    "Cross-Origin-Opener-Policy": "same-origin",
}


async def security_headers(request: web.Request, response: web.StreamResponse) -> None:
    """on_response_prepare: the security headers on every answer (pages, JSON, files, errors)."""
    for name, value in SECURITY_HEADERS.items():
        response.headers.setdefault(name, value)


class GuardedRunner(web.AppRunner):
    """An AppRunner that answers 503 and closes connections beyond `max_connections` or beyond
    `connections_per_ip` from one address (the latter only without a trusted proxy in front)."""

    def __init__(self, app: web.Application, settings: WebSettings, **kwargs: Any) -> None:
        kwargs.setdefault("keepalive_timeout", settings.keepalive_timeout)
        # After an early answer (408, 413) aiohttp reads and drops the rest of the body for this long (default 10 s).
        kwargs.setdefault("lingering_time", min(1.0, settings.body_timeout))
        super().__init__(app, **kwargs)
        self.max_connections = settings.max_connections
        self.per_address = None if settings.trust_forwarded_for else settings.connections_per_ip
        self.refused = 0
        self._addresses: dict[str, int] = {}
        self._address_of: dict[object, str] = {}  # connection handler -> client address

    async def _make_server(self) -> web.Server:
        server = await super()._make_server()
        made, lost = server.connection_made, server.connection_lost

        def connection_made(handler: Any, transport: asyncio.Transport) -> None:
            made(handler, transport)
            peer = transport.get_extra_info("peername")
            address = str(peer[0]) if isinstance(peer, tuple) and peer else "?"
            self._address_of[handler] = address
            count = self._addresses.get(address, 0) + 1
            self._addresses[address] = count
            if len(server._connections) > self.max_connections or (
                    self.per_address is not None and count > self.per_address):
                self.refused += 1
                if self.refused % 1000 == 1:
                    logger.warning("connection limit reached (%d open, %d from %s): refusing new connections",
                                   len(server._connections), count, address)
                # A short 503 then a reset: the cheapest refusal that still tells an honest client why.
                transport.write(b"HTTP/1.1 503 Service Unavailable\r\nRetry-After: 5\r\nContent-Length: 0\r\n"
                                b"Connection: close\r\n\r\n")
                # Reset only after aiohttp's own start-up of the connection has run (call_later(0) comes after
                # the callbacks already queued); losing it earlier trips an assertion and logs a traceback.
                asyncio.get_running_loop().call_later(0, transport.abort)

        def connection_lost(handler: Any, exc: BaseException | None = None) -> None:
            lost(handler, exc)
            address = self._address_of.pop(handler, None)
            if address is not None:
                left = self._addresses.get(address, 1) - 1
                if left <= 0:
                    self._addresses.pop(address, None)
                else:
                    self._addresses[address] = left

        server.connection_made = connection_made  # type: ignore[method-assign]
        server.connection_lost = connection_lost  # type: ignore[method-assign]
        return server


# The accept queue. asyncio accepts up to this many connections in one turn of the loop, and every
# request waiting meanwhile waits for all of them: a burst of connections from one client stalls others
# less with a shorter queue (measured with bench/abuse.py: 4096 -> p99 526 ms, 512 -> 291 ms). Too short,
# and the kernel drops new clients' SYNs during a burst (a 1-3 s retry for them).
BACKLOG = 256


async def start_site(app: web.Application, settings: WebSettings, host: str, port: int,
                     **runner_kwargs: Any) -> tuple[GuardedRunner, int]:
    """Start `app` on host:port behind the guards; returns the runner and the bound port. The port is tried
    first: a second copy on a port in use stops at once (OSError) before its workers start."""
    if port:
        _port_free(host, port)
    runner = GuardedRunner(app, settings, **runner_kwargs)
    await runner.setup()
    site = web.TCPSite(runner, host, port, backlog=BACKLOG)
    await site.start()
    server = site._server
    sockets = getattr(server, "sockets", None) or []
    bound = sockets[0].getsockname()[1] if sockets else port
    return runner, int(bound)


def _port_free(host: str, port: int) -> None:
    """Raise OSError ("address already in use") when another process listens on host:port."""
    for family, kind, proto, _, address in socket.getaddrinfo(host or None, port, type=socket.SOCK_STREAM,
                                                             flags=socket.AI_PASSIVE):
        with socket.socket(family, kind, proto) as probe:
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as aiohttp binds: TIME_WAIT is no user
            try:
                probe.bind(address)
            except OSError as exc:
                raise OSError(exc.errno, f"{host}:{port} is in use by another process ({exc.strerror}); stop it "
                                         "or set WARGA_PORT") from None
