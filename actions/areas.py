"""Kecamatan and desa from a complaint's location pin, by point-in-polygon against the operator's boundaries.

Residents share a pin (or type a place) but do not name their kecamatan and desa at intake. When the
operator provides the regency's boundaries as GeoJSON (`WARGA_MAP_BOUNDARIES`), each pinned ticket gets
the kecamatan and desa its pin falls in, stored on the ticket's location (`kecamatan`, `desa`,
`area_checked`), so the dashboard counts them and the lists filter on them; without boundaries, or
outside every polygon, the ticket counts under "tidak diketahui". A periodic pass (integrations/areas.py)
derives them in the background, in bounded batches (`derive_areas_in_batches`); the desk's pages also
derive what is still waiting when they open, so a pin filed a moment ago is counted at once.

The GeoJSON: a FeatureCollection of Polygon/MultiPolygon features (WGS84 longitude, latitude), each
with `properties.kecamatan` and, for a desa polygon, `properties.desa`. A file of desa polygons alone
gives both (each desa names its kecamatan).
"""

from __future__ import annotations

import asyncio
import json
import logging
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from actions.base import Services
from bot.store.base import Changes, ConflictError, OversightStore

logger = logging.getLogger(__name__)

Ring = list[tuple[float, float]]  # (lon, lat) points


class BoundariesError(ValueError):
    """The boundaries file is missing or malformed: the message names the file and the feature."""


@dataclass(frozen=True)
class Area:
    """One polygon (with holes) of a kecamatan, or of a desa in it."""

    kecamatan: str
    desa: str | None
    polygons: list[list[Ring]]  # each polygon: outer ring, then holes
    bbox: tuple[float, float, float, float]  # min lon, min lat, max lon, max lat

    def contains(self, lon: float, lat: float) -> bool:
        x0, y0, x1, y1 = self.bbox
        if not (x0 <= lon <= x1 and y0 <= lat <= y1):
            return False
        return any(_in_ring(lon, lat, rings[0]) and not any(_in_ring(lon, lat, hole) for hole in rings[1:])
                   for rings in self.polygons)


def _in_ring(x: float, y: float, ring: Ring) -> bool:
    """Ray casting: does the point lie inside the closed ring?"""
    inside = False
    j = len(ring) - 1
    for i in range(len(ring)):
        xi, yi = ring[i]
        xj, yj = ring[j]
        if (yi > y) != (yj > y) and x < (xj - xi) * (y - yi) / (yj - yi) + xi:
            inside = not inside
        j = i
    return inside


@dataclass
class Boundaries:
    """The regency's kecamatan/desa polygons, and the file's text for the map."""

    areas: list[Area]
    raw: bytes = field(repr=False, default=b"")

    def __bool__(self) -> bool:
        return bool(self.areas)

    @classmethod
    def load(cls, path: Path) -> Boundaries:
        where = str(path)
        try:
            raw = path.read_bytes()
            data = json.loads(raw)
        except OSError as exc:
            raise BoundariesError(f"{where}: cannot read it ({exc.strerror})") from None
        except ValueError as exc:
            raise BoundariesError(f"{where}: not valid JSON ({exc})") from None
        if not isinstance(data, dict) or data.get("type") != "FeatureCollection" \
                or not isinstance(data.get("features"), list):
            raise BoundariesError(f"{where}: expected a GeoJSON FeatureCollection")
        areas = [_area(feature, f"{where}: feature {n}") for n, feature in enumerate(data["features"], 1)]
        if not areas:
            raise BoundariesError(f"{where}: no features")
        return cls(areas, raw)

    def locate(self, lat: float, lon: float) -> tuple[str | None, str | None]:
        """(kecamatan, desa) the point falls in; (None, None) outside every polygon."""
        kecamatan = desa = None
        for area in self.areas:
            if (desa is None or kecamatan is None) and area.contains(lon, lat):
                if area.desa and desa is None:
                    desa, kecamatan = area.desa, area.kecamatan
                elif kecamatan is None:
                    kecamatan = area.kecamatan
        return kecamatan, desa


def _area(feature: Any, where: str) -> Area:
    props = feature.get("properties") if isinstance(feature, dict) else None
    geometry = feature.get("geometry") if isinstance(feature, dict) else None
    if not isinstance(props, dict) or not isinstance(props.get("kecamatan"), str) or not props["kecamatan"].strip():
        raise BoundariesError(f"{where}: needs properties.kecamatan (a name)")
    desa = props.get("desa")
    if desa is not None and (not isinstance(desa, str) or not desa.strip()):
        raise BoundariesError(f"{where}: properties.desa must be a name")
    if not isinstance(geometry, dict) or geometry.get("type") not in ("Polygon", "MultiPolygon"):
        raise BoundariesError(f"{where}: geometry must be a Polygon or MultiPolygon")
    coordinates: Any = geometry.get("coordinates")
    polygons_raw: Any = [coordinates] if geometry["type"] == "Polygon" else coordinates
    try:
        polygons = [[[(float(p[0]), float(p[1])) for p in ring] for ring in polygon] for polygon in polygons_raw]
    except (TypeError, ValueError, IndexError):
        raise BoundariesError(f"{where}: coordinates must be [longitude, latitude] rings") from None
    if not polygons or any(not rings or len(rings[0]) < 4 for rings in polygons):
        raise BoundariesError(f"{where}: every polygon needs a closed outer ring of at least 4 points")
    points = [p for rings in polygons for p in rings[0]]
    bbox = (min(p[0] for p in points), min(p[1] for p in points), max(p[0] for p in points), max(p[1] for p in points))
    return Area(props["kecamatan"].strip(), desa.strip() if isinstance(desa, str) else None, polygons, bbox)


async def derive_areas(services: Services, boundaries: Boundaries | None, limit: int = 2000) -> int:
    """Store the kecamatan/desa of pinned tickets that have none yet; returns how many were looked at.

    A ticket changed meanwhile (ConflictError) is left for the next pass. Needs a store that keeps
    oversight facts (SQLite and MongoDB: it finds the pinned tickets without an area on an index)."""
    store = services.store
    if not boundaries or not isinstance(store, OversightStore):
        return 0
    done = 0
    for ticket in await store.get_tickets(await store.pinned_without_area(limit)):
        location = dict(ticket.location or {})
        lat, lon = location.get("latitude"), location.get("longitude")
        if not isinstance(lat, (int, float)) or not isinstance(lon, (int, float)):
            continue
        kecamatan, desa = boundaries.locate(float(lat), float(lon))
        location.update({k: v for k, v in (("kecamatan", kecamatan), ("desa", desa)) if v})
        location["area_checked"] = True
        ticket.location = location
        try:
            await store.commit(Changes(tickets=[ticket]))
        except ConflictError:
            continue
        done += 1
    if done:
        logger.info("areas: kecamatan/desa derived from the pins of %d tickets", done)
    return done


AREA_BATCH = 200  # tickets derived per batch
AREA_BATCHES = 50  # batches per background pass: at most 10,000 tickets, the rest at the next pass


async def derive_areas_in_batches(services: Services, boundaries: Boundaries | None, batch: int = AREA_BATCH,
                                  batches: int = AREA_BATCHES) -> int:
    """The background pass: `derive_areas` a batch at a time, yielding to the event loop between batches
    (residents' messages are served meanwhile), at most `batches` of them. Stops early once a batch finds
    fewer than `batch` tickets it could derive (nothing more waiting, or only tickets being changed)."""
    total = 0
    for _ in range(batches):
        done = await derive_areas(services, boundaries, batch)
        total += done
        if done < batch:
            break
        await asyncio.sleep(0)
    return total
