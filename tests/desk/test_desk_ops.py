"""The desk's operations views over real HTTP: the operator's outbox page (only the operator; CSRF; malformed and
unknown ids are 4xx; phone numbers masked; "retry now" makes a job due and the outbox worker then delivers it to a
fake Telegram on 127.0.0.1), the ticket list's place, officer and preview columns, and closing a complaint at its
reporter's request from the desk, which reaches the reporter as the chat's /selesai does."""

from __future__ import annotations

import html
import re
from collections.abc import AsyncIterator
from datetime import UTC, timedelta
from pathlib import Path

import aiohttp
import pytest

from bot.desk.outbox import masked_address, short_error
from bot.store.base import JOB_DEAD, JOB_DONE, JOB_PENDING, Changes, Identity, OutboxJob, Ticket
from tests.channels.test_telegram import tg_settings
from tests.desk.seed import NOW, OFFICER_DISHUB, OFFICER_PUPR, REGENT, seed_store
from tests.desk.test_desk_actions import csrf_of
from tests.desk.test_desk_http import staff_client, svc  # noqa: F401 - the seeded desk service, as a fixture
from tests.desk.test_desk_staff import OPERATOR, operator_only_page
from tests.fakes.telegram_api import FakeTelegramApi
from tests.harness import Service, mailbox, running_service, say, texts, wait_for

PAGE = "/desk/kiriman"


def row_of(page: str, job_id: str) -> dict[str, str]:
    """The cells of one outbox row by their class, as text."""
    row = re.search(rf'<tr data-job="{job_id}" data-state="(\w+)"[^>]*>(.*?)</tr>', page, re.S)
    assert row, (job_id, page[-3000:])
    cells = {name: html.unescape(re.sub(r"<[^>]+>", "", value)).strip()
             for name, value in re.findall(r'<td class="(\w+)">(.*?)</td>', row.group(2), re.S)}
    return {"data-state": row.group(1), **cells}


def list_row(page: str, number: str) -> dict[str, str]:
    row = re.search(rf'<tr class="[^"]*" data-number="{number}">(.*?)</tr>', page, re.S)
    assert row, number
    return {name: html.unescape(re.sub(r"<[^>]+>", "", value)).strip()
            for name, value in re.findall(r'<td class="(\w+)">(.*?)</td>', row.group(1), re.S)}


async def jobs_to(service: Service, to: str, status: str | None = None) -> list[OutboxJob]:
    return [j for j in await service.store.list_jobs(limit=1000)
            if j.payload.get("to") == to and (status is None or j.status == status)]


async def undelivered_reply(service: Service, officer: aiohttp.ClientSession, reporter: str) -> list[OutboxJob]:
    """An officer's desk reply on ADU-2611-0005 that cannot reach its reporter: its dead letters."""
    url = f"{service.url}/desk/tiket/ADU-2611-0005"
    async with officer.post(url, data={"csrf": await csrf_of(officer, url), "action": "balas",
                                       "text": "Tim kami datang Senin."}) as resp:
        assert resp.status == 200
    dead: list[OutboxJob] = await wait_for(lambda: jobs_to(service, reporter, JOB_DEAD), timeout=10)
    return dead


def test_errors_and_addresses_are_shown_short_and_masked() -> None:
    error = ("telegram: Forbidden at https://api.telegram.org/bot123456:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw/sendMessage "
             "for 0812-3456-7890, NIK 3516012345678901")
    shown = short_error(error)
    assert "AAHdqTcv" not in shown and "sendMessage" not in shown and "api.telegram.org/…" in shown, shown
    assert "3456-7890" not in shown and "3516012345678901" not in shown and "3516********8901" in shown, shown
    assert len(short_error("x" * 500)) == 120 and short_error(None) == ""
    shown = short_error("permanent: no channel for 'whatsapp:6281234567890' or 'telegram:700001'")
    assert shown == "permanent: no channel for 'whatsapp:628*****890' or 'telegram:…0001'", shown
    assert masked_address("6281234567890") == "628*****890" and masked_address("700001") == "…0001"


async def test_only_the_operator_sees_the_outbox_and_retry_now_makes_a_job_due(svc: Service) -> None:  # noqa: F811
    await svc.store.commit(Changes(identities=[OPERATOR]))
    # a message to a WhatsApp number waiting for its next try (the clock of this service stands still: it waits)
    waiting = OutboxJob(key="test:wa-wait", kind="deliver", created_at=NOW.astimezone(UTC) - timedelta(hours=2),
                        next_attempt_at=NOW.astimezone(UTC) + timedelta(hours=3),
                        payload={"to": "whatsapp:6281234567890",
                                 "replies": [{"text": "NIK Anda 3516012345678901 sudah kami catat.",
                                              "ticket": "ADU-2611-0008"}]})
    # one the web chat takes at once: sent, so nothing to retry
    sent = OutboxJob(key="test:web-sent", kind="deliver", created_at=NOW.astimezone(UTC),
                     payload={"to": "webchat:r0009", "replies": [{"text": "Terkirim.", "ticket": "ADU-2611-0009"}]})
    await svc.store.enqueue([waiting, sent])
    assert waiting.id and sent.id
    await wait_for(lambda: _status_is(svc, str(sent.id), JOB_DONE), timeout=10)

    async with await staff_client(svc, OFFICER_PUPR) as officer, await staff_client(svc, OPERATOR) as operator, \
            await staff_client(svc, REGENT) as regent:
        # an officer's desk reply to a Telegram reporter, with Telegram switched off here: undelivered
        dead = await undelivered_reply(svc, officer, "telegram:r0005")

        await operator_only_page(svc, PAGE, {"job": str(waiting.id)}, operator, officer, regent)

        async with operator.get(f"{svc.url}{PAGE}") as resp:
            page = await resp.text()
        assert resp.status == 200
        row = row_of(page, str(waiting.id))
        assert row["data-state"] == "pending" and row["state"] == "Menunggu", row
        assert row["ticket"] == "ADU-2611-0008" and row["channel"] == "whatsapp" and row["attempts"] == "0", row
        assert row["destination"] == "Warga (628*****890)" and row["age"] == "2 jam", row
        assert row["next"] == "27-11-2026 13:00", row  # the regency's time
        assert "6281234567890" not in page and "3516012345678901" not in page
        undelivered = row_of(page, str(dead[0].id))
        assert undelivered["data-state"] == "undelivered" and undelivered["state"] == "Tidak sampai", undelivered
        assert undelivered["ticket"] == "ADU-2611-0005" and undelivered["destination"] == "Pelapor (…0005)"
        assert "no channel" in undelivered["error"] and undelivered["next"] == "tidak dicoba lagi", undelivered
        assert "telegram:…0005" in undelivered["error"] and "700001" not in page, undelivered
        assert f'data-job="{sent.id}"' not in page  # sent jobs are not listed
        assert page.index(f'data-job="{dead[0].id}"') < page.index(f'data-job="{waiting.id}"')  # the worst first
        csrf = re.search(r'name="csrf" value="([^"]+)"', page).group(1)  # type: ignore[union-attr]

        for form, status in (({"csrf": "salah", "job": str(waiting.id)}, 400), ({"csrf": csrf}, 400),
                             ({"csrf": csrf, "job": "abc"}, 400), ({"csrf": csrf, "job": "9" * 30}, 400),
                             ({"csrf": csrf, "job": "-1"}, 400), ({"csrf": csrf, "job": "424242"}, 404),
                             ({"csrf": csrf, "job": str(sent.id)}, 409)):
            async with operator.post(f"{svc.url}{PAGE}", data=form) as resp:
                assert resp.status == status, (form, status, resp.status)
        job = await svc.store.get_job(str(waiting.id))
        assert job is not None and job.status == JOB_PENDING and job.attempts == 0
        assert job.next_attempt_at == NOW.astimezone(UTC) + timedelta(hours=3)  # refused posts changed nothing

        async with operator.post(f"{svc.url}{PAGE}", data={"csrf": csrf, "job": str(waiting.id)}) as resp:
            page = await resp.text()
        assert resp.status == 200 and f"Kiriman #{waiting.id} dijadwalkan sekarang" in page, page[-2000:]
    # due now: the worker takes it (WhatsApp is off in this service, so it ends a dead letter after one try)
    tried = await wait_for(lambda: _status_is(svc, str(waiting.id), JOB_DEAD), timeout=10)
    assert tried is not None and tried.attempts == 1 and "whatsapp" in (tried.last_error or "")


async def test_a_job_being_sent_is_left_alone_and_a_retrying_one_is_tried_now(svc: Service) -> None:  # noqa: F811
    await svc.store.commit(Changes(identities=[OPERATOR]))
    later = NOW.astimezone(UTC) + timedelta(hours=1)
    lapor = OutboxJob(key="test:lapor", kind="lapor_create", payload={"ticket": "ADU-2611-0010"},
                      created_at=NOW.astimezone(UTC) - timedelta(days=3), next_attempt_at=later)
    busy = OutboxJob(key="test:busy", kind="deliver", created_at=NOW.astimezone(UTC), next_attempt_at=later,
                     payload={"to": "telegram:700002", "replies": [{"text": "Kartu", "ticket": "ADU-2611-0008"}]})
    await svc.store.enqueue([lapor, busy])
    # another worker holds both; it fails the LAPOR! push (502) and tries again in two hours, and is still sending
    # the other (the clock of this service stands still, so neither is due by itself)
    assert len(await svc.store.claim_jobs("other-worker", later, 600, 10)) == 2
    error = "lapor: HTTP 502 from https://api.lapor.go.id/v1/complaints?key=rahasia123"
    await svc.store.fail_job(str(lapor.id), "other-worker", NOW.astimezone(UTC), error, later + timedelta(hours=1))
    async with await staff_client(svc, OPERATOR) as operator:
        async with operator.get(f"{svc.url}{PAGE}?lang=en") as resp:
            page = await resp.text()
        row = row_of(page, str(lapor.id))
        assert (row["data-state"], row["state"], row["attempts"]) == ("retrying", "Retrying", "1"), row
        assert row["destination"] == "SP4N-LAPOR! (new complaint)" and row["age"] == "3 days", row
        assert "api.lapor.go.id/…" in row["error"] and "rahasia123" not in page, row
        sending = row_of(page, str(busy.id))
        assert sending["state"] == "Being sent" and sending["destination"] == "Petugas Dishub", sending
        assert not re.search(rf'name="job" value="{busy.id}"', page)  # no button on it
        csrf = re.search(r'name="csrf" value="([^"]+)"', page).group(1)  # type: ignore[union-attr]
        async with operator.post(f"{svc.url}{PAGE}?lang=en", data={"csrf": csrf, "job": str(busy.id)}) as resp:
            assert resp.status == 409 and "being sent right now" in await resp.text()
        held = await svc.store.get_job(str(busy.id))
        assert held is not None and held.lease_owner == "other-worker" and held.next_attempt_at == later
        async with operator.post(f"{svc.url}{PAGE}", data={"csrf": csrf, "job": str(lapor.id)}) as resp:
            assert resp.status == 200 and f"Kiriman #{lapor.id} dijadwalkan sekarang" in await resp.text()
    # due now: the worker tries it at once (no LAPOR! sender in this service: a failed job, listed as such)
    failed = await wait_for(lambda: _status_is(svc, str(lapor.id), JOB_DEAD), timeout=10)
    assert failed is not None and failed.attempts == 1 and "no sender" in (failed.last_error or "")
    async with await staff_client(svc, OPERATOR) as operator:
        async with operator.get(f"{svc.url}{PAGE}") as resp:
            row = row_of(await resp.text(), str(lapor.id))
        assert (row["data-state"], row["state"], row["ticket"]) == ("failed", "Gagal", "ADU-2611-0010"), row


async def _status_is(service: Service, job_id: str, status: str) -> OutboxJob | None:
    job = await service.store.get_job(job_id)
    return job if job is not None and job.status == status else None


@pytest.fixture
async def tg() -> AsyncIterator[FakeTelegramApi]:
    async with FakeTelegramApi() as api:
        yield api


async def test_retry_now_delivers_an_undelivered_message_once_the_chat_takes_it(
        tmp_path: Path, nlu_model_path: Path, tg: FakeTelegramApi) -> None:
    async with running_service(tg_settings(tmp_path, tg), clock=lambda: NOW.astimezone(UTC)) as service:
        await seed_store(service.store)
        ticket = await service.store.get_ticket("ADU-2611-0005")
        assert ticket is not None
        ticket.reporter = "telegram:5005"  # a Telegram chat id is a number
        await service.store.commit(Changes(tickets=[ticket], identities=[OPERATOR, Identity(
            key="telegram:5005", channel="telegram", sender_id="5005")]))
        tg.block("5005")  # the reporter blocked the bot for a while
        async with await staff_client(service, OFFICER_PUPR) as officer, \
                await staff_client(service, OPERATOR) as operator:
            dead = await undelivered_reply(service, officer, "telegram:5005")
            assert not tg.sent("sendMessage", chat_id="5005")
            async with operator.get(f"{service.url}{PAGE}") as resp:
                page = await resp.text()
            row = row_of(page, str(dead[0].id))
            assert row["state"] == "Tidak sampai" and "blocked" in row["error"] and "123:ABC" not in page, row

            tg.blocked.discard("5005")  # unblocked: the operator retries
            csrf = await csrf_of(operator, f"{service.url}{PAGE}")
            async with operator.post(f"{service.url}{PAGE}", data={"csrf": csrf, "job": str(dead[0].id)}) as resp:
                assert resp.status == 200
            delivered = await wait_for(lambda: _status_is(service, str(dead[0].id), JOB_DONE), timeout=10)
            assert delivered is not None
            assert any("Tim kami datang Senin." in c.text for c in tg.sent("sendMessage", chat_id="5005"))
            async with operator.get(f"{service.url}{PAGE}") as resp:
                assert f'data-job="{dead[0].id}"' not in await resp.text()


async def test_the_list_shows_place_officer_and_a_masked_escaped_preview(svc: Service) -> None:  # noqa: F811
    assigned = await svc.store.get_ticket("ADU-2611-0008")
    long = await svc.store.get_ticket("ADU-2611-0005")
    assert assigned is not None and long is not None
    assigned.extra["assignee"] = {"key": "telegram:700002", "name": "Bu Sari"}
    long.text = ("<b>Jalan</b> berlubang\ndi depan rumah, NIK saya 3516012345678901, hubungi 0812-3456-7890 "
                 "kalau perlu, lubangnya makin lebar tiap hujan turun")
    await svc.store.commit(Changes(tickets=[assigned, long]))
    async with await staff_client(svc, REGENT) as regent:
        async with regent.get(f"{svc.url}/desk/tiket?dari=2026-11-01") as resp:
            page = await resp.text()
        assert resp.status == 200
        row = list_row(page, "ADU-2611-0008")
        assert (row["place"], row["assignee"]) == ("Kidul, Selatan", "Bu Sari")
        assert row["preview"] == "Laporan uji ADU-2611-0008"
        row = list_row(page, "ADU-2611-0005")
        assert row["place"] == "-" and row["assignee"] == "belum ada petugas", row
        preview = row["preview"]
        assert preview.startswith("<b>Jalan</b> berlubang di depan rumah, NIK saya 3516********8901"), preview
        assert len(preview) == 80 and preview.endswith("…") and "3516012345678901" not in page, preview
        assert "<b>Jalan" not in page and "&lt;b&gt;Jalan" in page  # escaped
    async with await staff_client(svc, REGENT) as regent:
        async with regent.get(f"{svc.url}/desk/tiket?dari=2026-11-01&lang=en") as resp:
            english = await resp.text()
        assert list_row(english, "ADU-2611-0005")["assignee"] == "no officer yet"


async def test_a_withdrawal_request_is_closed_from_the_desk_and_reaches_the_reporter(svc: Service) -> None:  # noqa: F811
    url = f"{svc.url}/desk/tiket/ADU-2611-0004"
    other = f"{svc.url}/desk/tiket/ADU-2611-0006"
    async with await staff_client(svc, OFFICER_PUPR) as officer:
        csrf = await csrf_of(officer, url)
        async with officer.get(url) as resp:
            assert "withdraw-requested" not in await resp.text()  # nobody asked yet
        # the button of a ticket nobody asked to withdraw closes nothing
        async with officer.post(other, data={"csrf": csrf, "action": "tutup_dicabut"}) as resp:
            page = await resp.text()
        assert resp.status == 200 and "pelapor sudah tidak meminta" in page, page[-2000:]
        assert (await svc.store.get_ticket("ADU-2611-0006")).status == "diproses"  # type: ignore[union-attr]

        async with aiohttp.ClientSession() as http:
            await say(http, svc.url, "r0004", "tolong laporan saya dibatalkan saja, sudah diperbaiki swadaya warga")
            replies = await say(http, svc.url, "r0004", "btn:withdraw_yes")
        assert "ADU-2611-0004" in texts(replies), texts(replies)

        async with officer.get(f"{svc.url}/desk/tiket") as resp:
            listed = await resp.text()
        asking = re.findall(r'data-number="(ADU-[\d-]+)">(?:(?!</tr>).)*pelapor minta dicabut', listed, re.S)
        assert asking == ["ADU-2611-0004"], asking
        async with officer.get(url) as resp:
            page = await resp.text()
        banner = re.search(r'<div class="banner" id="withdraw-requested".*?</div>', page, re.S)
        assert banner and "Pelapor meminta aduan ini dicabut" in banner.group(0), page[:3000]
        assert "Tutup atas permintaan pelapor" in banner.group(0) and 'value="tutup_dicabut"' in banner.group(0)
        async with await staff_client(svc, OFFICER_DISHUB) as stranger:
            async with stranger.post(url, data={"csrf": await csrf_of(stranger, f"{svc.url}/desk/tiket/ADU-2611-0008"),
                                                "action": "tutup_dicabut"}) as resp:
                assert resp.status == 404
        async with officer.post(url, data={"csrf": "salah", "action": "tutup_dicabut"}) as resp:
            assert resp.status == 400
        assert (await svc.store.get_ticket("ADU-2611-0004")).status == "diproses"  # type: ignore[union-attr]

        async with officer.post(url, data={"csrf": csrf, "action": "tutup_dicabut"}) as resp:
            page = await resp.text()
        assert resp.status == 200 and 'id="withdraw-requested"' not in page, page[-2000:]
        assert "ditutup atas permintaan pelapor" in page
        async with officer.get(f"{svc.url}/desk/tiket") as resp:
            assert "pelapor minta dicabut" not in await resp.text()
    ticket: Ticket | None = await svc.store.get_ticket("ADU-2611-0004")
    assert ticket is not None and ticket.status == "selesai" and ticket.extra.get("withdrawn") is True
    assert "withdraw_requested" not in ticket.extra

    async def told() -> str:
        said = " ".join(item["text"] for item in await mailbox(svc.store, "webchat:r0004"))
        return said if "sesuai permintaan Anda" in said else ""

    said = await wait_for(told, timeout=10)
    assert said and "ADU-2611-0004" in said and "penilaian" not in said.split("sesuai permintaan Anda")[-1]
    conv = await svc.store.get_conversation("webchat:r0004")
    assert conv is not None and not conv.state.get("rating_ticket")
