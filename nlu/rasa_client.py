"""Use a real Rasa server (`rasa run --enable-api`) as the NLU: `POST {RASA_URL}/model/parse`.

The answer is Rasa's own; its `opd` (and `gate`) come from our ComplaintRouter component inside the Rasa
model. With a pipeline without it, `opd` is derived from the intent ranking here. We also restore the
resident's text (our normaliser component rewrites the text Rasa echoes).
"""

from __future__ import annotations

from typing import Any

import aiohttp

from bot.errors import RetryableError
from nlu.engine import route


class RasaBackend:
    name = "rasa"

    def __init__(self, url: str, routing: dict[str, str], timeout: float = 10.0) -> None:
        self.url = url.rstrip("/")
        self.routing = routing
        self.timeout = aiohttp.ClientTimeout(total=timeout)
        self._session: aiohttp.ClientSession | None = None

    async def start(self) -> None:
        self._session = aiohttp.ClientSession(timeout=self.timeout)

    def use_routing(self, routing: dict[str, str]) -> None:
        """The directory was read again: route by its table from the next message on (a Rasa server that runs
        our ComplaintRouter routes by the directory file it was started with)."""
        self.routing = dict(routing)

    async def parse(self, text: str) -> dict[str, Any]:
        if self._session is None:
            await self.start()
        assert self._session is not None
        try:
            async with self._session.post(f"{self.url}/model/parse", json={"text": text}) as resp:
                if resp.status != 200:
                    raise RetryableError(f"Rasa answered {resp.status}: {(await resp.text())[:200]}")
                result: dict[str, Any] = await resp.json()
        except (aiohttp.ClientError, TimeoutError) as exc:
            raise RetryableError(f"Rasa server at {self.url} unreachable: {exc}") from exc
        result["text"] = text
        if not isinstance(result.get("opd"), dict):
            result["opd"] = route(result, self.routing)
        return result

    async def close(self) -> None:
        if self._session is not None:
            await self._session.close()
            self._session = None
