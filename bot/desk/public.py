"""The optional public transparency page (`WARGA_PUBLIC_PAGE=yes`): /transparansi.

Anyone sees, for a period, the complaints each OPD received and where they stand, how fast they were
answered and resolved, and a map of complaints filed with the `publik` privacy choice only: no names, no
text, no ticket numbers, and every location rounded to about a kilometre. Figures are cached for a minute
(the public cannot make the store count on every request).
"""

from __future__ import annotations

import json
import time
from typing import TYPE_CHECKING, Any

from aiohttp import web

from actions.oversight import Oversight, Period, oversight

if TYPE_CHECKING:
    from bot.desk.views import Desk

#: Decimal places kept of a public pin's latitude and longitude (2: about 1.1 km).
PUBLIC_PIN_DECIMALS = 2
PUBLIC_PIN_LIMIT = 5000
CACHE_SECONDS = 60.0
PUBLIC_DAYS = 90


class PublicPage:
    """Routes of the transparency page; uses the desk's renderer and the same oversight figures."""

    def __init__(self, desk: Desk) -> None:
        self.desk = desk
        self._cache: dict[str, tuple[float, Any]] = {}

    def routes(self) -> list[web.AbstractRouteDef]:
        return [web.get("/transparansi", self.page), web.get("/transparansi/peta.json", self.map)]

    def _period(self, request: web.Request) -> Period:
        services = self.desk.services
        return Period.last_days(services.calendar, services.clock(), PUBLIC_DAYS)

    async def _cached(self, key: str, make: Any) -> Any:
        hit = self._cache.get(key)
        if hit and time.monotonic() - hit[0] < CACHE_SECONDS:
            return hit[1]
        value = await make()
        self._cache[key] = (time.monotonic(), value)
        return value

    async def page(self, request: web.Request) -> web.Response:
        services = self.desk.services
        period = self._period(request)

        async def make() -> Oversight:
            return await oversight(services.store, services.calendar, services.clock(), period,
                                   opd_ids=list(services.directory.opds))

        result: Oversight = await self._cached(f"figures:{period}", make)
        data = json.dumps({"tiles": self.desk.settings.map_tile_url})
        return self.desk._render("public.html", request, None, result=result, period=period, data_json=data,
                                 opds=[f for f in result.opds if f.received])

    async def map(self, request: web.Request) -> web.Response:
        from bot.desk.views import ListFilter, pins

        services = self.desk.services
        period = self._period(request)

        async def make() -> list[list[Any]]:
            points = await pins(services, ListFilter(start=period.start, end=period.end), PUBLIC_PIN_LIMIT,
                                privacy="publik")
            # rounded, and without the ticket number: a pin says where and how far, not who or which
            return [[round(p[0], PUBLIC_PIN_DECIMALS), round(p[1], PUBLIC_PIN_DECIMALS), p[3]] for p in points]

        points = await self._cached(f"pins:{period}", make)
        return web.json_response({"points": points}, headers={"Cache-Control": "public, max-age=60"})
