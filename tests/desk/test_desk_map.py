"""The desk's map over real HTTP (pins with filters, per role), kecamatan/desa derived from the pin against the
operator's GeoJSON boundaries, and the optional public transparency page."""

from __future__ import annotations

import json
import re
from collections.abc import AsyncIterator
from datetime import UTC
from pathlib import Path
from typing import Any

import aiohttp
import pytest

from actions.areas import Boundaries, BoundariesError
from bot.store.base import Changes, Ticket
from tests.desk.seed import NOW, OFFICER_PUPR, REGENT, seed_store, wib
from tests.desk.test_desk_http import staff_client
from tests.harness import Service, make_settings, running_service

PERIOD = "dari=2026-11-01&sampai=2026-11-27"


def square(lon: float, lat: float, size: float) -> list[list[list[float]]]:
    return [[[lon, lat], [lon + size, lat], [lon + size, lat + size], [lon, lat + size], [lon, lat]]]


#: Kecamatan Kota covers the seeded pins around 112.44/-7.47; Desa Sukamaju is a part of it with a hole.
BOUNDARIES = {"type": "FeatureCollection", "features": [
    {"type": "Feature", "properties": {"kecamatan": "Kota"},
     "geometry": {"type": "Polygon", "coordinates": square(112.40, -7.50, 0.08)}},
    {"type": "Feature", "properties": {"kecamatan": "Kota", "desa": "Sukamaju"},
     "geometry": {"type": "Polygon", "coordinates": [square(112.43, -7.48, 0.03)[0],
                                                     square(112.445, -7.465, 0.005)[0]]}},
    {"type": "Feature", "properties": {"kecamatan": "Jauh"},
     "geometry": {"type": "MultiPolygon", "coordinates": [square(110.0, -6.0, 0.1)]}},
]}


async def start(tmp_path: Path, **env: str) -> Any:
    return running_service(make_settings(tmp_path, **env), clock=lambda: NOW.astimezone(UTC))


@pytest.fixture
async def svc(tmp_path: Path, nlu_model_path: Path) -> AsyncIterator[Service]:
    path = tmp_path / "batas.geojson"
    path.write_text(json.dumps(BOUNDARIES))
    async with await start(tmp_path, WARGA_MAP_BOUNDARIES=str(path), WARGA_PUBLIC_PAGE="yes") as service:
        await seed_store(service.store)
        yield service


async def add_pinned(svc: Service, number: str, lat: float, lon: float, privacy: str = "publik") -> None:
    at = wib(20)
    await svc.store.commit(Changes(tickets=[Ticket(
        number=number, kind="aduan", topic="aduan_jalan_rusak", opd_id="dinas-pupr", status="baru",
        text=f"Laporan rahasia {number}", reporter="telegram:r9999", created_at=at, updated_at=at, due_at=wib(30),
        privacy=privacy, location={"latitude": lat, "longitude": lon})]))


async def test_map_pins_follow_the_filters_and_the_officers_opd(svc: Service) -> None:
    async with await staff_client(svc, REGENT) as regent:
        async with regent.get(f"{svc.url}/desk/peta.json?{PERIOD}") as resp:
            assert resp.status == 200
            everything = {p[2] for p in (await resp.json())["points"]}
        assert everything == {"ADU-2611-0001", "ADU-2611-0002", "ADU-2611-0003", "ADU-2611-0004", "ADU-2611-0006",
                              "ADU-2611-0007"}
        async with regent.get(f"{svc.url}/desk/peta.json?{PERIOD}&status=terbuka&topic=aduan_jalan_rusak") as resp:
            assert [p[2:] for p in (await resp.json())["points"]] == [["ADU-2611-0004", "diproses"]]
        async with regent.get(f"{svc.url}/desk/peta.json?{PERIOD}&opd=dishub") as resp:
            assert {p[2] for p in (await resp.json())["points"]} == {"ADU-2611-0007"}
    async with await staff_client(svc, OFFICER_PUPR) as officer:
        async with officer.get(f"{svc.url}/desk/peta.json?{PERIOD}&opd=dishub") as resp:
            assert {p[2] for p in (await resp.json())["points"]} == everything - {"ADU-2611-0007"}
    async with aiohttp.ClientSession() as anonymous:
        for path in ("/desk/peta.json", "/desk/batas.json"):
            async with anonymous.get(f"{svc.url}{path}", allow_redirects=False) as resp:
                assert resp.status == 303


async def test_kecamatan_and_desa_come_from_the_pin_and_unknown_otherwise(svc: Service) -> None:
    await add_pinned(svc, "ADU-2611-0101", -7.465, 112.44)  # in Sukamaju, Kota
    await add_pinned(svc, "ADU-2611-0102", -7.462, 112.447)  # in the hole of Sukamaju: Kota only
    await add_pinned(svc, "ADU-2611-0103", -8.3, 113.5)  # outside every polygon
    async with await staff_client(svc, REGENT) as regent:
        async with regent.get(f"{svc.url}/desk?{PERIOD}") as resp:
            page = await resp.text()
        async with regent.get(f"{svc.url}/desk/batas.json") as resp:
            assert resp.status == 200 and (await resp.json())["features"][1]["properties"]["desa"] == "Sukamaju"
        async with regent.get(f"{svc.url}/desk/tiket?kecamatan=-&{PERIOD}") as resp:
            unknown = set(re.findall(r"ADU-2611-\d{4}", await resp.text()))
    located = {n: (await svc.store.get_ticket(n)).location for n in  # type: ignore[union-attr]
               ("ADU-2611-0101", "ADU-2611-0102", "ADU-2611-0103")}
    assert (located["ADU-2611-0101"]["kecamatan"], located["ADU-2611-0101"]["desa"]) == ("Kota", "Sukamaju")
    assert located["ADU-2611-0102"]["kecamatan"] == "Kota" and "desa" not in located["ADU-2611-0102"]
    assert "kecamatan" not in located["ADU-2611-0103"] and located["ADU-2611-0103"]["area_checked"] is True
    # the dashboard counts them (seeded Kota 4 + two derived) and names the rest "tidak diketahui"
    kecamatan = dict(re.findall(r'<tr><th scope="row">([^<]+)</th>\s*<td><a href="[^"]*kecamatan=[^"]*">(\d+)</a>',
                                re.search(r'id="by-kecamatan">(.*?)</table>', page, re.S).group(1)))  # type: ignore[union-attr]
    assert kecamatan["Kota"] == "6" and kecamatan["tidak diketahui"] == "3"
    assert unknown == {"ADU-2611-0005", "ADU-2611-0011", "ADU-2611-0103"}


async def test_a_pin_without_words_shows_its_coordinates_on_the_ticket(svc: Service) -> None:
    await add_pinned(svc, "ADU-2611-0104", -8.3, 113.5)  # outside every polygon: no kecamatan, no words
    async with await staff_client(svc, REGENT) as regent:
        async with regent.get(f"{svc.url}/desk/tiket/ADU-2611-0104") as resp:
            page = await resp.text()
    shown = re.search(r'id="ticket-location">([^<]*)<', page)
    assert shown and shown.group(1) == "-8.300000, 113.500000", shown


def test_bad_boundaries_are_named(tmp_path: Path) -> None:
    path = tmp_path / "batas.geojson"
    path.write_text(json.dumps({"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {"desa": "X"}, "geometry": {"type": "Polygon", "coordinates": []}}]}))
    with pytest.raises(BoundariesError, match=r"batas.geojson: feature 1: needs properties.kecamatan"):
        Boundaries.load(path)
    path.write_text("{not json")
    with pytest.raises(BoundariesError, match="not valid JSON"):
        Boundaries.load(path)
    with pytest.raises(BoundariesError, match="cannot read it"):
        Boundaries.load(tmp_path / "none.geojson")


async def test_public_page_shows_counts_and_only_public_pins_rounded(svc: Service) -> None:
    await add_pinned(svc, "ADU-2611-0104", -7.46789, 112.44321, privacy="rahasia")
    await add_pinned(svc, "ADU-2611-0105", -7.46789, 112.44321)
    async with aiohttp.ClientSession() as anyone:
        async with anyone.get(f"{svc.url}/transparansi") as resp:
            page = await resp.text()
            assert resp.status == 200
        async with anyone.get(f"{svc.url}/transparansi/peta.json") as resp:
            points = (await resp.json())["points"]
    row = re.search(r'<tr data-opd="dinas-pupr">(.*?)</tr>', page, re.S).group(1)  # type: ignore[union-attr]
    assert re.search(r'class="received">9<', row) and re.search(r'class="resolved">4<', row)  # with October's
    assert "Laporan" not in page and "ADU-2611" not in page and "r9999" not in page
    # public complaints only (ticket 7 is anonymous, 104 confidential), rounded, without numbers or text
    assert [-7.47, 112.44, "baru"] in points and all(len(p) == 3 for p in points)
    assert len(points) == 6 and all(round(p[0], 2) == p[0] and round(p[1], 2) == p[1] for p in points)
    assert "ADU" not in json.dumps(points)


async def test_public_page_is_off_unless_switched_on(tmp_path: Path, nlu_model_path: Path) -> None:
    async with await start(tmp_path) as service:
        async with aiohttp.ClientSession() as anyone:
            for path in ("/transparansi", "/transparansi/peta.json"):
                async with anyone.get(f"{service.url}{path}") as resp:
                    assert resp.status == 404
        async with await staff_client(service, REGENT) as regent:
            async with regent.get(f"{service.url}/desk/batas.json") as resp:
                assert resp.status == 404
