"""Schedules the derivation of kecamatan/desa from location pins (actions/areas.py) in the background.

Every pass (one per period across all workers: the `periodic:areas` lease) looks at the pinned tickets whose
kecamatan/desa was not derived yet, in bounded batches, so the dashboard's and the lists' counts by kecamatan
and desa are right without anyone opening a desk page. Runs only when the operator gave boundaries
(`WARGA_MAP_BOUNDARIES`).
"""

from __future__ import annotations

from actions.areas import Boundaries, derive_areas_in_batches
from actions.base import Services
from integrations.periodic import Periodic

AREA_SECONDS = 60.0


class AreaWorker:
    """Derives the kecamatan/desa of newly pinned tickets every `interval` seconds."""

    def __init__(self, services: Services, boundaries: Boundaries, interval: float = AREA_SECONDS) -> None:
        self.services = services
        self.boundaries = boundaries
        self._periodic = Periodic("areas", interval, self.run_once, store=services.store, clock=services.clock)

    async def start(self) -> None:
        self._periodic.start()

    async def stop(self) -> None:
        await self._periodic.stop()

    async def run_once(self) -> int:
        return await derive_areas_in_batches(self.services, self.boundaries)
