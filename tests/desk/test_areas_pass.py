"""Kecamatan/desa are derived from location pins in the background (integrations/areas.py), on SQLite and on
MongoDB, without any desk page opened: in bounded batches, and only for pins not derived yet."""

from __future__ import annotations

import json
from datetime import UTC
from pathlib import Path
from types import SimpleNamespace
from typing import Any

from actions.areas import Boundaries, derive_areas_in_batches
from actions.oversight import Period, oversight
from bot.store.base import Changes, Ticket
from bot.workdays import WorkCalendar
from integrations.areas import AreaWorker
from tests.desk.seed import NOW, seed_store, wib
from tests.desk.test_desk_map import BOUNDARIES, add_pinned, start

CAL = WorkCalendar("Asia/Jakarta")


def pinned(number: str, lat: float, lon: float) -> Ticket:
    return Ticket(number=number, kind="aduan", topic="aduan_jalan_rusak", opd_id="dinas-pupr", status="baru",
                  text="Jalan berlubang", reporter="telegram:r9999", created_at=wib(20), updated_at=wib(20),
                  due_at=wib(30), location={"latitude": lat, "longitude": lon})


def boundaries(tmp_path: Path) -> Boundaries:
    path = tmp_path / "batas.geojson"
    path.write_text(json.dumps(BOUNDARIES))
    return Boundaries.load(path)


async def test_the_pass_derives_the_areas_of_pins_on_every_store(store: Any, tmp_path: Path) -> None:
    await seed_store(store)
    await store.commit(Changes(tickets=[
        pinned("ADU-2611-0101", -7.465, 112.44),  # in Sukamaju, Kota
        pinned("ADU-2611-0102", -7.462, 112.447),  # in the hole of Sukamaju: Kota only
        pinned("ADU-2611-0103", -8.3, 113.5)]))  # outside every polygon
    assert sorted(await store.pinned_without_area(10)) == ["ADU-2611-0101", "ADU-2611-0102", "ADU-2611-0103"]
    services: Any = SimpleNamespace(store=store, clock=lambda: NOW.astimezone(UTC))
    worker = AreaWorker(services, boundaries(tmp_path))
    assert await worker.run_once() == 3
    located = {n: (await store.get_ticket(n)).location for n in ("ADU-2611-0101", "ADU-2611-0102", "ADU-2611-0103")}
    assert (located["ADU-2611-0101"]["kecamatan"], located["ADU-2611-0101"]["desa"]) == ("Kota", "Sukamaju")
    assert located["ADU-2611-0102"]["kecamatan"] == "Kota" and "desa" not in located["ADU-2611-0102"]
    assert "kecamatan" not in located["ADU-2611-0103"] and located["ADU-2611-0103"]["area_checked"] is True
    assert await store.pinned_without_area(10) == []
    assert await worker.run_once() == 0  # nothing waits: the pass touches no ticket again
    # the store's figures count them: the seeded Kota 4 and the two derived; the one outside is unknown
    result = await oversight(store, CAL, NOW, Period(wib(1).date(), wib(27).date()))
    assert dict(result.by_kecamatan)["Kota"] == 6 and dict(result.by_desa)["Sukamaju"] == 3
    assert dict(result.by_kecamatan)["-"] == 3


async def test_the_pass_works_in_bounded_batches(store: Any, tmp_path: Path) -> None:
    await store.commit(Changes(tickets=[pinned(f"ADU-2611-02{n:02d}", -7.465, 112.44) for n in range(5)]))
    services: Any = SimpleNamespace(store=store, clock=lambda: NOW.astimezone(UTC))
    area = boundaries(tmp_path)
    assert await derive_areas_in_batches(services, area, batch=2, batches=2) == 4  # at most two batches of two
    assert len(await store.pinned_without_area(10)) == 1
    assert await derive_areas_in_batches(services, area, batch=2, batches=2) == 1  # the rest at the next pass
    assert await store.pinned_without_area(10) == []
    assert await derive_areas_in_batches(services, None) == 0  # no boundaries: nothing to derive against


async def test_the_service_runs_the_pass_when_it_has_boundaries(tmp_path: Path, nlu_model_path: Path) -> None:
    """The running service has the area pass among its workers; its pass derives a pin nobody looked at."""
    path = tmp_path / "batas.geojson"
    path.write_text(json.dumps(BOUNDARIES))
    async with await start(tmp_path, WARGA_MAP_BOUNDARIES=str(path)) as svc:
        workers = [w for w in svc.runtime.workers if isinstance(w, AreaWorker)]
        assert len(workers) == 1
        await add_pinned(svc, "ADU-2611-0101", -7.465, 112.44)
        assert await workers[0]._periodic.run_pass()  # one pass, as its timer would run it (the lease taken)
        location = (await svc.store.get_ticket("ADU-2611-0101")).location  # type: ignore[union-attr]
        assert (location["kecamatan"], location["desa"]) == ("Kota", "Sukamaju")
    async with await start(tmp_path / "plain") as svc:
        assert not [w for w in svc.runtime.workers if isinstance(w, AreaWorker)]
