"""The desk's lists, CSV export, dashboard, map, derived kecamatan/desa and the operator's outbox page over real
HTTP on MongoDB (the in-process stand-in, as a replica set): the same tests as on SQLite, now that MongoDB keeps the
oversight facts and the pages read them through `find_facts` and `facts_summary`."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from datetime import UTC
from pathlib import Path

import pytest

from bot.store.base import OversightStore
from bot.store.mongo import MongoStore
from tests.desk import test_desk_http, test_desk_map, test_desk_ops
from tests.desk.seed import NOW, seed_store
from tests.fakes.async_mongomock import AsyncMongoMockClient
from tests.harness import Service, make_settings, running_service


@pytest.fixture
async def svc(tmp_path: Path, nlu_model_path: Path) -> AsyncIterator[Service]:
    path = tmp_path / "batas.geojson"
    path.write_text(json.dumps(test_desk_map.BOUNDARIES))
    store = MongoStore("mongodb://stand-in", "warga_desk", client=AsyncMongoMockClient(transactions=True))
    settings = make_settings(tmp_path, WARGA_MAP_BOUNDARIES=str(path))
    async with running_service(settings, store=store, clock=lambda: NOW.astimezone(UTC)) as service:
        assert isinstance(service.store, MongoStore) and isinstance(service.store, OversightStore)
        await seed_store(service.store)
        yield service


async def test_csv_export_holds_the_filtered_tickets(svc: Service) -> None:
    await test_desk_http.test_csv_export_holds_the_filtered_tickets(svc)


async def test_csv_rows_from_the_facts_equal_the_rows_from_whole_tickets(svc: Service) -> None:
    await test_desk_http.test_csv_rows_from_the_facts_equal_the_rows_from_whole_tickets(svc)


async def test_map_pins_follow_the_filters_and_the_officers_opd(svc: Service) -> None:
    await test_desk_map.test_map_pins_follow_the_filters_and_the_officers_opd(svc)


async def test_kecamatan_and_desa_come_from_the_pin_and_unknown_otherwise(svc: Service) -> None:
    await test_desk_map.test_kecamatan_and_desa_come_from_the_pin_and_unknown_otherwise(svc)


async def test_the_outbox_page_and_retry_now(svc: Service) -> None:
    await test_desk_ops.test_only_the_operator_sees_the_outbox_and_retry_now_makes_a_job_due(svc)


async def test_a_job_being_sent_is_left_alone_and_a_retrying_one_is_tried_now(svc: Service) -> None:
    await test_desk_ops.test_a_job_being_sent_is_left_alone_and_a_retrying_one_is_tried_now(svc)


async def test_the_list_shows_place_officer_and_a_masked_escaped_preview(svc: Service) -> None:
    await test_desk_ops.test_the_list_shows_place_officer_and_a_masked_escaped_preview(svc)
