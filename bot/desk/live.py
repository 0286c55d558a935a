"""Live changes on the desk: server-sent events for everyone looking at a ticket or at a list.

Every desk action publishes the ticket it changed to the `LiveHub` of its process; a ticket's stream
also looks at the ticket in the store every few seconds, so what the chat, another worker or a resident
changed reaches the page too. Officers' list streams carry only their own OPD's tickets.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web

from bot.web.session import SIGNED_OUT_EVENT

logger = logging.getLogger(__name__)

#: Seconds between comment lines that keep an idle stream (and its proxies) open.
HEARTBEAT = 15.0
#: Open streams per signed-in staff member (more answer 429).
STREAMS_PER_STAFF = 8


@dataclass(eq=False)
class Listener:
    """One open stream: which changes it wants and the queue they wait in."""

    wants: Callable[[dict[str, Any]], bool]
    owner: str
    queue: asyncio.Queue[dict[str, Any] | None] = field(default_factory=lambda: asyncio.Queue(maxsize=100))


class LiveHub:
    """Fans a changed ticket out to the open streams that want it (one hub per process)."""

    def __init__(self) -> None:
        self.listeners: set[Listener] = set()

    def publish(self, change: dict[str, Any]) -> None:
        for listener in list(self.listeners):
            if listener.wants(change):
                with contextlib.suppress(asyncio.QueueFull):  # a stuck reader misses changes, never blocks us
                    listener.queue.put_nowait(change)

    def count(self, owner: str) -> int:
        return sum(1 for listener in self.listeners if listener.owner == owner)

    def close(self) -> None:
        """End every stream (service shutdown)."""
        for listener in list(self.listeners):
            with contextlib.suppress(asyncio.QueueFull):
                listener.queue.put_nowait(None)

    async def stream(self, request: web.Request, listener: Listener,
                     poll: Callable[[], Any] | None = None, poll_every: float = 3.0,
                     signed_in: Callable[[], Awaitable[bool]] | None = None) -> web.StreamResponse:
        """Serve `listener`'s changes as server-sent events until the client leaves, the service stops or
        the staff member is no longer signed in.

        `poll` (async, optional) returns a change to send when the store shows one this process did not
        publish (None otherwise); it runs every `poll_every` seconds. `signed_in` (async, optional) is asked
        before every change is sent and at least every HEARTBEAT seconds: once it says no (signed out on any
        worker, or the session ran out), the stream sends a `signed_out` event and ends.
        """
        response = web.StreamResponse(headers={"Content-Type": "text/event-stream", "Cache-Control": "no-store",
                                               "X-Accel-Buffering": "no"})
        await response.prepare(request)
        self.listeners.add(listener)
        try:
            await response.write(b"retry: 3000\n: connected\n\n")
            loop = asyncio.get_running_loop()
            last_beat = loop.time()
            while True:
                timeout = min(HEARTBEAT, poll_every) if poll else HEARTBEAT
                try:
                    change = await asyncio.wait_for(listener.queue.get(), timeout)
                except TimeoutError:
                    change = await poll() if poll else None
                    if change is None:
                        if loop.time() - last_beat >= HEARTBEAT:
                            if signed_in is not None and not await signed_in():
                                await response.write(SIGNED_OUT_EVENT)
                                break
                            await response.write(b": keep-alive\n\n")
                            last_beat = loop.time()
                        continue
                if change is None:
                    break
                if signed_in is not None and not await signed_in():
                    await response.write(SIGNED_OUT_EVENT)
                    break
                data = json.dumps(change, ensure_ascii=False)
                await response.write(f"event: ticket\ndata: {data}\n\n".encode())
                last_beat = loop.time()
        except ConnectionResetError:  # the client left
            pass
        finally:
            self.listeners.discard(listener)
        return response
