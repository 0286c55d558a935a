"""What every fake outside service shares: an aiohttp app served on 127.0.0.1 at a free port.

    async with FakeSomething() as fake:   # fake.url = "http://127.0.0.1:PORT"
        ...
"""

from __future__ import annotations

from typing import Any

from aiohttp import web


class LoopbackServer:
    """Subclasses implement `build_app()`; `start()` serves it on loopback and returns the base URL."""

    shutdown_timeout: float = 0.5
    url: str = ""
    _runner: web.AppRunner | None = None  # set per instance by start()

    def build_app(self) -> web.Application:
        raise NotImplementedError

    async def start(self) -> str:
        self._runner = web.AppRunner(self.build_app(), access_log=None, shutdown_timeout=self.shutdown_timeout)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
        self.url = f"http://127.0.0.1:{port}"
        return self.url

    async def stop(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    async def __aenter__(self) -> Any:
        await self.start()
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.stop()
