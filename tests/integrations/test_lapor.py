"""SP4N-LAPOR!: every complaint reaches the fake LAPOR! once, with the right fields; follow-ups come back once."""

from __future__ import annotations

import asyncio
import re
import shutil
from datetime import timedelta
from pathlib import Path
from typing import Any

import aiohttp
import pytest

from bot.message import Attachment, Message, utcnow
from bot.settings import ROOT, LaporSettings
from bot.store import base as store_base
from bot.store.base import (
    JOB_DEAD,
    JOB_DONE,
    JOB_PENDING,
    RESIDENT_TURNS,
    STATUS_DONE,
    STATUS_IN_PROGRESS,
    STATUS_NEW,
    STATUS_TRIAGE,
    Changes,
    OutboxJob,
    Ticket,
    background_task,
)
from integrations.lapor import LaporClient, LaporConfig, LaporPusher, dig, moves_forward, retry_after_seconds
from integrations.outbox_cli import main as outbox_cli
from integrations.wiring import lapor_for
from tests.fakes.lapor import Complaint, FakeLapor
from tests.harness import mailbox, make_settings, payloads, running_service, say, texts, wait_for, web_headers

TICKET = re.compile(r"WRG-\d{4}-\d{4}")
TOKEN, API_KEY = "tok-123", "key-456"


async def mailbox_text(store: Any, key: str) -> str:
    return "\n".join(item["text"] for item in await mailbox(store, key))


async def file_complaint(http: aiohttp.ClientSession, svc: Any, sender: str,
                         text: str = "jalan di desa Sooko rusak parah banyak lubang",
                         privacy: str = "publik", name: str | None = None, photo: bytes | None = None) -> str:
    """File a complaint through the web chat's REST endpoint, as a resident does."""
    body: dict[str, Any] = {"sender": sender, "message": text}
    if name:
        body["metadata"] = {"name": name}
    async with http.post(f"{svc.url}/webhooks/rest/webhook", json=body, headers=web_headers(svc.url, sender)) as resp:
        replies = await resp.json()
    assert "btn:yes" in payloads(replies), texts(replies)
    await say(http, svc.url, sender, "ya")
    replies = await say(http, svc.url, sender, "Desa Sooko RT 02 RW 01, depan balai desa")
    assert "btn:skip" in payloads(replies), texts(replies)
    if photo is not None:
        await svc.dialogue.handle(Message(channel="webchat", sender_id=sender, text="",
                                          attachments=(Attachment(kind="photo", mime="image/jpeg", data=photo),)))
        await say(http, svc.url, sender, "lanjut")
    else:
        await say(http, svc.url, sender, "lewati")
    replies = await say(http, svc.url, sender, f"privacy:{privacy}")
    assert "btn:send" in payloads(replies), texts(replies)
    replies = await say(http, svc.url, sender, "kirim")
    match = TICKET.search(texts(replies))
    assert match, texts(replies)
    return match.group(0)


def content_with_categories(tmp_path: Path) -> Path:
    """A copy of content/ whose lapor.yml maps two topics and one OPD to LAPOR! categories."""
    content = tmp_path / "content"
    shutil.copytree(ROOT / "content", content)
    lapor_yml = content / "lapor.yml"
    text = lapor_yml.read_text(encoding="utf-8")
    text = text.replace("categories: {}\n", "categories:\n  aduan_jalan_rusak: 101\n  aduan_sampah: 205\n", 1)
    text = text.replace("opd_categories: {}\n", "opd_categories:\n  dinas-pupr: 100\n", 1)
    lapor_yml.write_text(text, encoding="utf-8")
    return content


def lapor_settings(tmp_path: Path, fake: FakeLapor, **env: str):
    base = {"LAPOR_BASE_URL": fake.url, "LAPOR_TOKEN": TOKEN, "LAPOR_API_KEY": API_KEY,
            "LAPOR_SYNC_INTERVAL": "0", "LAPOR_TIMEOUT": "0.5",
            "WARGA_CONTENT_DIR": str(content_with_categories(tmp_path))}
    base.update(env)
    return make_settings(tmp_path, **base)


@pytest.fixture
async def fake():
    async with FakeLapor(token=TOKEN, api_key=API_KEY, seed=3) as server:
        server.timeout_delay = 1.0
        yield server


@pytest.fixture
async def svc(tmp_path: Path, fake: FakeLapor, nlu_model_path: Path):
    settings = lapor_settings(tmp_path, fake)
    async with running_service(settings) as service:
        yield service


async def pushed(svc: Any, number: str) -> Ticket:
    async def check() -> Ticket | None:
        ticket = await svc.store.get_ticket(number)
        return ticket if ticket and ticket.lapor_id else None

    return await wait_for(check, timeout=15)


# --- pushing -------------------------------------------------------------------------------------
async def test_the_title_leaves_out_the_greeting_the_content_keeps_it(svc, fake, http):
    number = await file_complaint(http, svc, "salam-1",
                                  text="Assalamualaikum pak/bu, jalan di desa Sooko rusak parah banyak lubang")
    await pushed(svc, number)
    [complaint] = fake.by_reference(number)
    title = complaint.one("title")
    assert title == "Jalan rusak: Jalan di desa Sooko rusak parah banyak lubang", title
    assert complaint.one("content").startswith("Assalamualaikum pak/bu"), complaint.one("content")


async def test_a_public_complaint_reaches_lapor_with_its_fields(svc, fake, http):
    number = await file_complaint(http, svc, "warga1", name="Budi Santoso", photo=b"\xff\xd8jpeg-bytes")
    ticket = await pushed(svc, number)
    [complaint] = fake.by_reference(number)
    assert ticket.lapor_id == complaint.id and ticket.lapor_status == "Belum Terverifikasi"
    assert complaint.one("content") == "jalan di desa Sooko rusak parah banyak lubang"
    assert complaint.one("title").startswith("Jalan rusak") or "jalan di desa Sooko" in complaint.one("title")
    assert complaint.one("category_id") == "101"  # from content/lapor.yml
    assert complaint.one("location") == "Desa Sooko RT 02 RW 01, depan balai desa"
    assert complaint.one("date_of_incident") == ticket.created_at.astimezone(
        svc.runtime.services.calendar.tz).strftime("%Y-%m-%d")
    assert complaint.one("is_anonymous") == "0" and complaint.one("is_secret") == "0"
    assert complaint.one("reporter_name") == "Budi Santoso"
    [file_id] = complaint.fields["attachments[]"]
    assert fake.files[file_id]["data"] == b"\xff\xd8jpeg-bytes" and fake.files[file_id]["mime"] == "image/jpeg"
    assert fake.unauthorized == 0  # both credentials were sent on every call

    events = await svc.store.ticket_events(number, "lapor")
    assert [e.data["lapor_id"] for e in events] == [complaint.id]
    told = await wait_for(lambda: mailbox_text(svc.store, "webchat:warga1"))
    assert complaint.id in told and "SP4N-LAPOR!" in told
    replies = await say(http, svc.url, "warga1", f"/status {number}")
    assert complaint.id in texts(replies)


async def test_anonymous_and_confidential_reports_keep_their_privacy(svc, fake, http):
    anonymous = await file_complaint(http, svc, "warga2", "sampah numpuk di pinggir jalan dekat pasar sudah seminggu",
                                     privacy="anonim", name="Siti Aminah")
    secret = await file_complaint(http, svc, "warga3", privacy="rahasia", name="Joko")
    await pushed(svc, anonymous)
    await pushed(svc, secret)
    [a] = fake.by_reference(anonymous)
    [s] = fake.by_reference(secret)
    assert a.one("is_anonymous") == "1" and a.one("is_secret") == "0"
    assert "reporter_name" not in a.fields
    assert all("Siti" not in v and "warga2" not in v for values in a.fields.values() for v in values)
    assert s.one("is_secret") == "1" and s.one("is_anonymous") == "0"
    assert a.one("category_id") == "205"


async def test_a_nik_or_phone_in_a_public_description_is_masked_at_lapor_and_kept_in_a_confidential_one(
        svc, fake, http):
    words = "bansos PKH saya tidak cair padahal terdaftar, NIK 3599015708900003, hp 081234567890"
    public = await file_complaint(http, svc, "warga-nik1", words, privacy="publik")
    secret = await file_complaint(http, svc, "warga-nik2", words, privacy="rahasia")
    await pushed(svc, public)
    await pushed(svc, secret)
    [p] = fake.by_reference(public)
    [s] = fake.by_reference(secret)
    sent = " ".join(v for values in p.fields.values() for v in values)
    assert "3599015708900003" not in sent and "081234567890" not in sent, sent
    assert "3599********0003" in p.one("content") and "PKH" in p.one("content")
    assert "3599015708900003" in s.one("content") and "081234567890" in s.one("content")
    assert "3599015708900003" in (await svc.store.get_ticket(public)).text  # our officers still read it


async def test_outage_then_recovery_pushes_once(svc, fake, http):
    fake.down = True
    number = await file_complaint(http, svc, "warga4")

    async def failing_job() -> OutboxJob | None:
        jobs = [j for j in await svc.store.list_jobs(JOB_PENDING) if j.kind == "lapor_create"]
        return jobs[0] if jobs and jobs[0].attempts >= 2 else None

    job = await wait_for(failing_job, timeout=15)
    assert "503" in job.last_error
    assert (await svc.store.get_ticket(number)).lapor_id is None
    fake.down = False
    ticket = await pushed(svc, number)
    assert fake.created_per_reference[number] == 1 and fake.duplicates == 0
    assert ticket.lapor_id == fake.by_reference(number)[0].id


async def test_rate_limit_answer_is_honoured(svc, fake, http):
    fake.retry_after = 0.4
    fake.fail_next("429")
    number = await file_complaint(http, svc, "warga5")
    await pushed(svc, number)

    async def done() -> list[OutboxJob]:  # marked done in its own write after the ticket got its LAPOR! id
        return [j for j in await svc.store.list_jobs(JOB_DONE) if j.kind == "lapor_create"]

    [job] = await wait_for(done, timeout=15)
    assert job.attempts == 2 and "429" in job.last_error
    assert fake.faults["429"] == 1 and fake.duplicates == 0


async def test_timeouts_and_dropped_connections_after_lapor_acted_make_no_duplicate(svc, fake, http):
    # LAPOR! creates the complaint but the answer never arrives: first a timeout, then a dropped connection.
    fake.fail_next("timeout")
    first = await file_complaint(http, svc, "warga6")
    await pushed(svc, first)
    fake.fail_next("drop")
    second = await file_complaint(http, svc, "warga7")
    await pushed(svc, second)
    assert fake.faults["timeout"] == 1 and fake.faults["drop"] == 1
    assert fake.created_per_reference[first] == 1 and fake.created_per_reference[second] == 1
    assert fake.duplicates == 0
    assert lapor_for(svc.runtime).pusher.lookups >= 2


async def test_rejected_report_is_a_dead_letter_until_retried(svc, fake, http, capsys):
    fake.fail_next("422")
    number = await file_complaint(http, svc, "warga8")

    async def dead() -> list[OutboxJob]:
        return [j for j in await svc.store.list_jobs(JOB_DEAD) if j.kind == "lapor_create"]

    [job] = await wait_for(dead)
    assert "422" in job.last_error and (await svc.store.get_ticket(number)).lapor_id is None
    assert await outbox_cli(["retry", str(job.id)], svc.settings) == 0
    await pushed(svc, number)
    assert fake.duplicates == 0


async def test_wrong_credentials_are_refused(tmp_path, fake, http, nlu_model_path):
    settings = lapor_settings(tmp_path, fake, LAPOR_API_KEY="wrong")
    async with running_service(settings) as svc:
        number = await file_complaint(http, svc, "warga9")

        async def dead() -> list[OutboxJob]:
            return [j for j in await svc.store.list_jobs(JOB_DEAD) if j.kind == "lapor_create"]

        [job] = await wait_for(dead)
    assert "401" in job.last_error and fake.unauthorized >= 1 and not fake.by_reference(number)


# --- idempotency across a crash --------------------------------------------------------------------
async def test_service_killed_during_a_push_sends_it_after_restart_without_duplicate(tmp_path, fake, http,
                                                                                    nlu_model_path):
    settings = lapor_settings(tmp_path, fake, LAPOR_TIMEOUT="30")
    fake.timeout_delay = 20  # LAPOR! creates the complaint, then its answer hangs
    fake.fail_next("timeout")
    async with running_service(settings) as svc:
        number = await file_complaint(http, svc, "warga10")
        await wait_for(lambda: fake.created_per_reference[number] == 1, timeout=15)
        # The service goes down while LAPOR!'s answer is still on its way.
    async with running_service(settings, clock=lambda: utcnow() + timedelta(minutes=10)) as svc:
        ticket = await pushed(svc, number)  # a lease left by the first run has expired by now
        assert ticket.lapor_id == fake.by_reference(number)[0].id
        told = await wait_for(lambda: mailbox_text(svc.store, "webchat:warga10"))
        assert ticket.lapor_id in told
    assert fake.created_per_reference[number] == 1 and fake.duplicates == 0


async def test_a_retried_push_reuses_the_complaint_lapor_already_has(tmp_path, fake, nlu_model_path):
    """A job that was tried before (attempts > 0) whose create reached LAPOR!: the id is looked up, not re-created."""
    settings = lapor_settings(tmp_path, fake)
    async with running_service(settings) as svc:
        now = utcnow()
        number = "WRG-2611-0777"
        ticket = Ticket(number=number, kind="aduan", topic="aduan_jalan_rusak", opd_id="dinas-pupr", status=STATUS_NEW,
                        text="jembatan putus", reporter="webchat:warga11", created_at=now, updated_at=now)
        client = lapor_for(svc.runtime).client
        existing, _ = await client.create([("title", "jembatan"), ("content", "jembatan putus"), ("category_id", "1"),
                                           ("is_anonymous", "0"), ("is_secret", "0"), ("external_id", number)])
        await svc.store.commit(Changes(tickets=[ticket]))
        pusher: LaporPusher = lapor_for(svc.runtime).pusher
        await pusher(OutboxJob(key=f"lapor_create:{number}", kind="lapor_create", payload={"ticket": number},
                               attempts=1))
        assert (await svc.store.get_ticket(number)).lapor_id == existing
        # The marker written before a create also triggers the lookup when the crash left attempts at 0.
        second = "WRG-2611-0778"
        ticket.number, ticket.version = second, 0  # a new ticket
        await svc.store.commit(Changes(tickets=[ticket]))
        await svc.store.set_value(f"lapor:try:{second}", now.isoformat())
        other, _ = await client.create([("title", "x"), ("content", "x"), ("category_id", "1"), ("is_anonymous", "0"),
                                        ("is_secret", "0"), ("external_id", second)])
        await pusher(OutboxJob(key=f"lapor_create:{second}", kind="lapor_create", payload={"ticket": second}))
        assert (await svc.store.get_ticket(second)).lapor_id == other
        # Pushing a ticket that already has its LAPOR! id does nothing.
        await pusher(OutboxJob(key=f"lapor_create:{second}", kind="lapor_create", payload={"ticket": second}))
    assert fake.created_per_reference == {number: 1, second: 1}


# --- sync -----------------------------------------------------------------------------------------
async def test_follow_ups_are_relayed_once_and_status_moves_forward(svc, fake, http):
    number = await file_complaint(http, svc, "warga12")
    ticket = await pushed(svc, number)
    sync = lapor_for(svc.runtime).sync
    fake.add_followup(ticket.lapor_id, "Laporan sudah kami teruskan ke Dinas PUPR.", author="Admin LAPOR!")
    fake.add_followup(ticket.lapor_id, "Tim akan survei lokasi hari Kamis.", author="Dinas PUPR")
    fake.set_status(ticket.lapor_id, "Dalam Proses", disposition="Dinas PUPR Kab. Warga")
    result = await sync.run_once()
    assert result["relayed"] == 2 and result["status_changes"] == 1
    assert (await sync.run_once())["relayed"] == 0  # nothing new: nothing relayed again
    fake.add_followup(ticket.lapor_id, "Perbaikan dijadwalkan minggu depan.", author="Dinas PUPR")
    fake.fail_next("503")  # one sync call fails; the next run catches up
    assert (await sync.run_once())["errors"] == 1
    assert (await sync.run_once())["relayed"] == 1

    async def followups_received() -> list[str]:
        items = [i["text"] for i in await mailbox(svc.store, "webchat:warga12") if i["text"].startswith("📨")]
        return items if len(items) == 3 else []

    items = await wait_for(followups_received)
    assert "survei lokasi" in items[1] and "Dinas PUPR" in items[1] and "minggu depan" in items[2]
    ticket = await svc.store.get_ticket(number)
    assert ticket.status == STATUS_IN_PROGRESS and ticket.lapor_status == "Dalam Proses"
    assert ticket.extra["lapor_disposition"] == "Dinas PUPR Kab. Warga"
    assert len(await svc.store.ticket_events(number, "lapor_followup")) == 3
    assert await svc.store.get_value("lapor:sync:last")

    # The resident's answer to a relayed follow-up goes to the ticket.
    replies = await say(http, svc.url, "warga12", "lubangnya ada tiga, paling besar di depan masjid")
    assert number in texts(replies)
    fake.set_status(ticket.lapor_id, "Selesai")
    await sync.run_once()
    ticket = await svc.store.get_ticket(number)
    assert ticket.status == STATUS_DONE and ticket.closed_at is not None and ticket.lapor_status == "Selesai"
    assert (await sync.run_once())["checked"] == 0  # done tickets are no longer synced


async def test_the_syncs_requests_wait_for_a_gap_between_residents_turns(fake, monkeypatch):
    """A periodic pass's request to LAPOR! (patient work) is sent once no resident's turn is being answered, so
    its answer is not handled on the event loop in the middle of theirs; the outbox's pushes (background but not
    patient: they are residents' complaints) and a pass past the wait go at once."""
    monkeypatch.setattr(store_base, "GAP_LIMIT", 3600.0)
    fake.complaints["L-1"] = Complaint(id="L-1", fields={}, status="Dalam Proses")
    client = LaporClient(LaporSettings(base_url=fake.url, token=TOKEN, api_key=API_KEY), LaporConfig.from_dict({}))

    async def pass_asks() -> str | None:
        background_task()
        return (await client.status("L-1")).name

    async def outbox_asks() -> str | None:
        background_task(patient=False)
        return (await client.status("L-1")).name

    try:
        with RESIDENT_TURNS.turn():
            asking = asyncio.create_task(pass_asks())
            for _ in range(10):
                await asyncio.sleep(0.002)  # time passes; the turn goes on
            assert fake.calls["status"] == 0 and not asking.done()
            assert await asyncio.wait_for(asyncio.create_task(outbox_asks()), 30) == "Dalam Proses"
            assert fake.calls["status"] == 1
        assert await asyncio.wait_for(asking, 30) == "Dalam Proses"  # the turn answered: the pass asks
        assert fake.calls["status"] == 2

        monkeypatch.setattr(store_base, "GAP_LIMIT", 0.05)
        with RESIDENT_TURNS.turn():  # residents never pause: the pass asks after the wait all the same
            assert await asyncio.wait_for(asyncio.create_task(pass_asks()), 30) == "Dalam Proses"
        assert fake.calls["status"] == 3
    finally:
        await client.close()


def test_status_mapping_only_moves_forward():
    config = LaporConfig.from_dict({})
    assert [config.our_status(s) for s in ("Belum Terverifikasi", "terverifikasi", "DALAM PROSES", "Selesai",
                                           "Diarsipkan", "Ditolak", "Aneh")] == [
        "baru", "baru", "diproses", "selesai", "ditutup", "ditutup", None]
    assert moves_forward(STATUS_NEW, STATUS_IN_PROGRESS) and moves_forward(STATUS_IN_PROGRESS, STATUS_DONE)
    assert not moves_forward(STATUS_IN_PROGRESS, STATUS_NEW) and not moves_forward(STATUS_DONE, STATUS_IN_PROGRESS)
    assert not moves_forward(STATUS_TRIAGE, STATUS_IN_PROGRESS) and moves_forward(STATUS_TRIAGE, STATUS_DONE)


def test_config_helpers():
    assert dig({"data": {"items": [{"id": 7}]}}, "data.items.0.id") == 7
    assert dig({"data": None}, "data.id") is None
    assert retry_after_seconds("12") == 12 and retry_after_seconds(None) is None
    assert retry_after_seconds("Wed, 21 Oct 2015 07:28:00 GMT") == 0
    with pytest.raises(ValueError):
        LaporConfig.from_dict({"statuses": {"selesai": "finished"}})
    with pytest.raises(ValueError):
        LaporClient(LaporSettings(base_url=None, token=None), LaporConfig.from_dict({}))
