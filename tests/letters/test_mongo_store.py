"""The same letter records on MongoDB (the in-process stand-in with transactions): request, decision, issue."""

from __future__ import annotations

import re
from datetime import timedelta
from pathlib import Path

import aiohttp

from actions.letters import ISSUED, letter_of
from bot.message import utcnow
from bot.store.base import EnrolmentCode
from bot.store.mongo import MongoStore
from integrations.signing import check_pdf, create_dev_certificate, load_pem_certificates
from tests.fakes.async_mongomock import AsyncMongoMockClient
from tests.harness import mailbox, make_settings, running_service, say, texts, upload, wait_for, web_headers
from tests.letters.conftest import KTP_PHOTO, REQUEST


async def test_domicile_letter_on_mongodb(tmp_path: Path, nlu_model_path: Path, http: aiohttp.ClientSession):
    p12 = tmp_path / "signer.p12"
    ca = create_dev_certificate(p12, "", "Kepala Desa Japan", "Pemerintah Kabupaten Warga")
    store = MongoStore("mongodb://stand-in", "warga_letters", client=AsyncMongoMockClient(transactions=True))
    settings = make_settings(tmp_path, LETTERS_P12_PATH=str(p12))
    async with running_service(settings, store=store) as svc:
        now = utcnow()
        await store.add_enrolment_code(EnrolmentCode(code="KADESJPN", role="village_head", opd_id="japan",
                                                     created_at=now, expires_at=now + timedelta(days=1)))
        assert "terdaftar" in texts(await say(http, svc.url, "kades-japan", "/daftar KADESJPN"))
        sender = "warga-mongo"
        await say(http, svc.url, sender, "mau bikin surat domisili")
        await say(http, svc.url, sender, "desa japan")
        for answer in ("Budi Santoso", "3599011708900003", "Mojokerto", "17-08-1990", "Laki-laki", "Petani",
                       "Dusun Japan RT 01 RW 02", "syarat melamar kerja"):
            await say(http, svc.url, sender, answer)
        await upload(http, svc.url, sender, KTP_PHOTO)
        number = REQUEST.search(texts(await say(http, svc.url, sender, "kirim"))).group(0)
        await say(http, svc.url, "kades-japan", f"/setujui {number}")

        async def issued() -> list[dict]:
            return [i for i in await mailbox(store, f"webchat:{sender}") if "terbit" in i.get("text", "")]

        pushed = await wait_for(issued, timeout=30)
        ticket = await store.get_ticket(number)
        assert ticket.status == ISSUED and letter_of(ticket)["letter_no"].endswith("/35.99.01.2002/" + str(
            now.astimezone(svc.runtime.services.calendar.tz).year))
        events = await store.ticket_events(number)
        assert [(e.kind, e.actor) for e in events] == [
            ("created", f"webchat:{sender}"), ("letter_approved", "webchat:kades-japan"), ("letter_issued", "system")]
        link = re.search(r"(/surat/unduh/\S+)", pushed[0]["text"]).group(1)
        async with http.get(f"{svc.url}{link}", headers=web_headers(svc.url, sender)) as resp:
            pdf = await resp.read()
        assert (await check_pdf(pdf, load_pem_certificates(ca))).ok
