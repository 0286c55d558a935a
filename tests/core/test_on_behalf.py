"""Filing for a resident when the service has no SMS: the village official is told what will really happen."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.__main__ import issue_code
from tests.core.test_flows import TICKET
from tests.harness import make_settings, running_service, say, texts

RESIDENT_PHONE = "081298765432"


@pytest.fixture
async def svc(tmp_path: Path, nlu_model_path: Path):
    settings = make_settings(tmp_path)  # no SMS gateway configured
    assert not settings.sms.enabled
    async with running_service(settings) as service:
        yield service


async def test_without_sms_the_official_is_told_to_give_the_number_and_nothing_is_queued(svc, http):
    official = "perangkat-puri"
    code = await issue_code(svc.settings, "pendamping", None)
    assert "terdaftar" in texts(await say(http, svc.url, official, f"/daftar {code}"))

    consent = texts(await say(http, svc.url, official, f"/wakili {RESIDENT_PHONE} Pak Karto")).lower()
    assert "sms belum aktif" in consent and "lewat sms" not in consent
    replies = await say(http, svc.url, official, "ya, sudah setuju")  # consent in words
    assert "ceritakan" in texts(replies).lower()
    replies = await say(http, svc.url, official, "lampu jalan di dusun krajan mati semua sudah sebulan")
    for answer in ("ya", "Dusun Krajan, Desa Puri", "lewati", "publik", "kirim"):
        replies = await say(http, svc.url, official, answer)
    filed = texts(replies)
    number = TICKET.search(filed)
    assert number, filed
    assert "mohon sampaikan kepada warga" in filed.lower() and "lewat SMS" not in filed
    ticket = await svc.store.get_ticket(number.group(0))
    assert ticket is not None and ticket.extra["on_behalf"]["name"] == "Pak Karto"
    assert ticket.reporter == f"webchat:{official}"  # every update reaches the official, who passes it on
    # Nothing was queued for an SMS that cannot be sent.
    jobs = await svc.store.list_jobs(limit=500)
    assert not [j for j in jobs if str(j.payload.get("to", "")).startswith("sms:")], jobs
