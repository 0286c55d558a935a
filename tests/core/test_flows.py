"""Residents, officers and the operator through the real REST endpoint of the running service."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import aiohttp
import pytest

from bot.__main__ import issue_code
from bot.store.base import STATUS_CLOSED, STATUS_DONE, STATUS_IN_PROGRESS, STATUS_NEW, STATUS_TRIAGE
from tests.harness import mailbox, make_settings, payloads, running_service, say, texts, wait_for

TICKET = re.compile(r"WRG-\d{4}-\d{4}")


@pytest.fixture
async def svc(tmp_path: Path, nlu_model_path: Path):
    settings = make_settings(tmp_path)
    async with running_service(settings) as service:
        yield service


async def file_complaint(
    http: aiohttp.ClientSession,
    url: str,
    sender: str,
    text: str = "jalan di desa Sooko rusak parah banyak lubang",
    privacy: str = "privacy:publik",
) -> str:
    # Buttons carry language-neutral codes (issue 12); what a resident types ("ya", "lewati") works too.
    replies = await say(http, url, sender, text)
    assert "btn:yes" in payloads(replies), texts(replies)
    replies = await say(http, url, sender, "btn:yes")
    assert "lokasi" in texts(replies).lower()
    replies = await say(http, url, sender, "Desa Sooko RT 02 RW 01, depan balai desa")
    assert "btn:skip" in payloads(replies)
    replies = await say(http, url, sender, "lewati")
    assert privacy in payloads(replies)
    replies = await say(http, url, sender, privacy)
    assert "btn:send" in payloads(replies)
    replies = await say(http, url, sender, "btn:send")
    match = TICKET.search(texts(replies))
    assert match, texts(replies)
    return match.group(0)


async def enrol(
    http: aiohttp.ClientSession, svc: Any, sender: str, role: str = "officer", opd: str | None = "dinas-pupr"
) -> None:
    code = await issue_code(svc.settings, role, opd)
    replies = await say(http, svc.url, sender, f"/daftar {code}")
    assert "terdaftar" in texts(replies), texts(replies)


async def test_greeting_shows_the_menu(svc, http):
    replies = await say(http, svc.url, "warga1", "halo")
    assert "selamat datang" in texts(replies).lower()
    assert payloads(replies) == ["/aduan", "/tanya", "/status", "/bupati"]
    assert all(r["recipient_id"] == "warga1" for r in replies)


async def test_english_greeting_is_answered_in_english(svc, http):
    replies = await say(http, svc.url, "tourist", "Hello, good morning")
    assert "welcome" in texts(replies).lower()


async def test_faq_is_answered(svc, http):
    replies = await say(http, svc.url, "warga2", "bagaimana cara membuat akta kelahiran anak saya?")
    body = texts(replies).lower()
    assert "akta" in body and "kelahiran" in body


async def test_complaint_in_one_message_gets_a_ticket_with_opd_and_deadline(svc, http):
    replies = await say(http, svc.url, "warga3", "jalan di desa Sooko rusak parah banyak lubang")
    assert "Dinas PUPR" in texts(replies)
    number = await file_complaint(http, svc.url, "warga3")
    ticket = await svc.store.get_ticket(number)
    assert ticket.opd_id == "dinas-pupr" and ticket.topic == "aduan_jalan_rusak"
    assert ticket.status == STATUS_NEW and ticket.reporter == "webchat:warga3"
    assert ticket.location == {"address": "Desa Sooko RT 02 RW 01, depan balai desa"}
    assert ticket.due_at is not None and ticket.due_at > ticket.created_at
    kinds = [e.kind for e in await svc.store.ticket_events(number)]
    assert kinds[:2] == ["created", "routed"]


async def test_resident_can_correct_the_topic(svc, http):
    await say(http, svc.url, "warga4", "lampu jalan di depan rumah saya mati sudah seminggu")
    replies = await say(http, svc.url, "warga4", "ganti topik")
    choices = [p for p in payloads(replies) if p.startswith("topic:")]
    assert "topic:lainnya" in choices and "btn:all_topics" in payloads(replies)
    replies = await say(http, svc.url, "warga4", "topik:aduan_drainase")  # an old payload still works
    assert "lokasi" in texts(replies).lower()
    for message in ("Dusun Krajan, Desa Puri", "lewati", "privasi:anonim"):
        replies = await say(http, svc.url, "warga4", message)
    assert "Saluran air" in texts(replies) and "Anonim" in texts(replies)
    replies = await say(http, svc.url, "warga4", "kirim")
    ticket = await svc.store.get_ticket(TICKET.search(texts(replies)).group(0))
    assert ticket.opd_id == "dinas-pupr" and ticket.topic == "aduan_drainase" and ticket.privacy == "anonim"


async def test_complaint_through_the_menu_and_cancel(svc, http):
    replies = await say(http, svc.url, "warga5", "/aduan")
    assert "ceritakan" in texts(replies).lower()
    replies = await say(
        http, svc.url, "warga5", "sampah numpuk di pinggir jalan dekat pasar sudah seminggu tidak diangkut"
    )
    assert "DLH" in texts(replies)
    replies = await say(http, svc.url, "warga5", "batal")
    assert "dibatalkan" in texts(replies).lower()
    conversation = await svc.store.get_conversation("webchat:warga5")
    assert "flow" not in conversation.state


async def test_status_only_for_the_reporter(svc, http):
    number = await file_complaint(http, svc.url, "warga6")
    replies = await say(http, svc.url, "warga6", f"cek status {number}")
    assert number in texts(replies) and "Dinas PUPR" in texts(replies)
    replies = await say(http, svc.url, "stranger", number)
    assert "hanya dapat dilihat oleh pelapornya" in texts(replies)
    assert "Sooko" not in texts(replies)
    replies = await say(http, svc.url, "warga6", "WRG-0000-9999")
    assert "tidak ditemukan" in texts(replies)


async def test_officer_answers_and_resident_rates(svc, http):
    await enrol(http, svc, "petugas-pupr")
    number = await file_complaint(http, svc.url, "warga7")
    cards = await wait_for(lambda: mailbox(svc.store, "webchat:petugas-pupr"))
    assert number in cards[0]["text"] and "Sooko" in cards[0]["text"]
    assert f"/balas {number}" in [b["payload"] for b in cards[0]["buttons"]]

    replies = await say(http, svc.url, "petugas-pupr", "/antrian")
    assert number in texts(replies)
    replies = await say(
        http, svc.url, "petugas-pupr", f"/balas {number} Terima kasih, tim kami meninjau lokasi besok pagi"
    )
    assert "dikirim" in texts(replies)
    relayed = await wait_for(lambda: mailbox(svc.store, "webchat:warga7"))
    assert "tim kami meninjau lokasi" in relayed[-1]["text"]
    assert (await svc.store.get_ticket(number)).status == STATUS_IN_PROGRESS

    replies = await say(http, svc.url, "warga7", "baik pak, lubangnya ada tiga di dekat jembatan")
    assert number in texts(replies)

    async def officer_got_answer():
        items = await mailbox(svc.store, "webchat:petugas-pupr")
        return any("lubangnya ada tiga" in i["text"] for i in items)

    await wait_for(officer_got_answer)

    replies = await say(http, svc.url, "petugas-pupr", f"/selesai {number} Jalan sudah ditambal")
    assert "selesai" in texts(replies).lower()

    async def fixed_asked():  # issue 12: "Sudah beres?" first, the rating after "yes"
        items = await mailbox(svc.store, "webchat:warga7")
        return [i for i in items if any(b["payload"] == f"fixed:{number}:yes" for b in i.get("buttons", []))]

    await wait_for(fixed_asked)
    assert (await svc.store.get_ticket(number)).status == STATUS_DONE
    replies = await say(http, svc.url, "warga7", f"fixed:{number}:yes")
    assert f"nilai:{number}:5" in payloads(replies)
    replies = await say(http, svc.url, "warga7", f"nilai:{number}:5")
    assert "5/5" in texts(replies)
    replies = await say(http, svc.url, "warga7", "Cepat sekali, terima kasih")
    ticket = await svc.store.get_ticket(number)
    assert ticket.rating == 5 and ticket.rating_comment == "Cepat sekali, terima kasih"
    assert ticket.status == STATUS_CLOSED

    replies = await say(http, svc.url, "warga7", f"/buka {number}")
    assert "buka kembali" in texts(replies)
    assert (await svc.store.get_ticket(number)).status == STATUS_IN_PROGRESS


async def test_roles_are_enforced(svc, http):
    number = await file_complaint(http, svc.url, "warga8")
    replies = await say(http, svc.url, "warga8", f"/balas {number} saya petugas")
    assert "hanya untuk petugas" in texts(replies)
    await enrol(http, svc, "petugas-dlh", opd="dlh")
    replies = await say(http, svc.url, "petugas-dlh", f"/selesai {number} beres")
    assert "bukan OPD Anda" in texts(replies)
    assert (await svc.store.get_ticket(number)).status == STATUS_NEW
    replies = await say(http, svc.url, "warga8", "/triase")
    assert "khusus untuk operator Diskominfo" in texts(replies)  # the operator's, not every officer's
    replies = await say(http, svc.url, "stranger2", "/daftar ABCDEFGH")
    assert "tidak berlaku" in texts(replies)


async def test_enrolment_code_is_single_use(svc, http):
    code = await issue_code(svc.settings, "officer", "dlh")
    assert "terdaftar" in texts(await say(http, svc.url, "first", f"/daftar {code}"))
    assert "tidak berlaku" in texts(await say(http, svc.url, "second", f"/daftar {code}"))


async def test_transfer_keeps_a_labelled_correction(svc, http):
    await enrol(http, svc, "petugas-pupr2")
    number = await file_complaint(http, svc.url, "warga9")
    replies = await say(http, svc.url, "petugas-pupr2", f"/alihkan {number} dishub ini jalan kewenangan dishub")
    assert "dialihkan" in texts(replies)
    ticket = await svc.store.get_ticket(number)
    assert ticket.opd_id == "dishub"
    corrections = await svc.store.ticket_events(number, "rerouted")
    assert corrections[0].data["from_opd"] == "dinas-pupr" and corrections[0].data["to_opd"] == "dishub"
    assert corrections[0].data["text"] == ticket.text
    replies = await say(http, svc.url, "petugas-pupr2", f"/proses {number}")
    assert "bukan OPD Anda" in texts(replies)


async def test_unroutable_complaint_goes_to_triage_and_operator_routes_it(svc, http):
    await enrol(http, svc, "operator1", role="operator", opd=None)
    await say(http, svc.url, "warga10", "/aduan")
    replies = await say(http, svc.url, "warga10", "ada masalah di kampung kami yang sudah lama tidak ada yang mengurus")
    replies = (
        await say(http, svc.url, "warga10", "ganti topik") if "topic:lainnya" not in payloads(replies) else replies
    )
    replies = await say(http, svc.url, "warga10", "topic:lainnya")
    for message in ("Desa Trowulan", "lewati", "privasi:publik"):
        replies = await say(http, svc.url, "warga10", message)
    replies = await say(http, svc.url, "warga10", "kirim")
    number = TICKET.search(texts(replies)).group(0)
    assert (await svc.store.get_ticket(number)).status == STATUS_TRIAGE
    await wait_for(lambda: mailbox(svc.store, "webchat:operator1"))
    card = next(i for i in await mailbox(svc.store, "webchat:operator1") if number in i["text"])
    titles = [b["title"] for b in card.get("buttons") or []]
    shorts = {o.short for o in svc.runtime.services.directory.opds.values()}
    # One button per likely OPD, named as staff know it ("Dinas PUPR"), never a raw id twice.
    assert titles and len(set(titles)) == len(titles) and set(titles) <= shorts, card
    assert "→ dinas-" not in card["text"], card["text"]
    replies = await say(http, svc.url, "operator1", "/triase")
    assert number in texts(replies)
    replies = await say(http, svc.url, "operator1", f"/rute {number} dpmd")
    ticket = await svc.store.get_ticket(number)
    assert ticket.opd_id == "dpmd" and ticket.status == STATUS_NEW and ticket.due_at is not None


async def test_outside_authority_is_explained(svc, http):
    replies = await say(http, svc.url, "warga11", "listrik di rumah saya padam sejak pagi, token PLN juga error")
    assert "PLN" in texts(replies)
    conversation = await svc.store.get_conversation("webchat:warga11")
    assert "flow" not in conversation.state  # no complaint was started


async def test_message_to_the_regent(svc, http):
    await enrol(http, svc, "ajudan", role="regent", opd=None)
    replies = await say(http, svc.url, "warga12", "/bupati")
    assert "Bupati" in texts(replies)
    replies = await say(http, svc.url, "warga12", "Pak Bupati, mohon perhatikan nasib guru honorer di desa kami")
    assert "guru honorer" in texts(replies) and "btn:send" in payloads(replies)  # issue 12: confirmed first
    replies = await say(http, svc.url, "warga12", "btn:send")
    number = TICKET.search(texts(replies)).group(0)
    cards = await wait_for(lambda: mailbox(svc.store, "webchat:ajudan"))
    assert "guru honorer" in cards[-1]["text"]
    await say(
        http, svc.url, "ajudan", f"/balas {number} Terima kasih, akan kami tindak lanjuti bersama Dinas Pendidikan"
    )
    relayed = await wait_for(lambda: mailbox(svc.store, "webchat:warga12"))
    assert "Dinas Pendidikan" in relayed[-1]["text"]


async def test_help_and_unknown_command(svc, http):
    replies = await say(http, svc.url, "warga13", "bantuan")
    assert "batal" in texts(replies)
    replies = await say(http, svc.url, "warga13", "/terbang")
    assert "tidak dikenal" in texts(replies) and "batal" in texts(replies)


async def test_bad_input_is_answered_and_kept(svc, http):
    replies = await say(http, svc.url, "warga14", "")
    assert "kosong" in texts(replies)
    long_text = "jalan rusak " * 1700
    replies = await say(http, svc.url, "warga14", long_text)
    assert "lebih panjang dari" in texts(replies)
    conversation = await svc.store.get_conversation("webchat:warga14")
    assert conversation.state["history"][-1]["text"] == long_text[: svc.settings.web.max_stored_chars]
    replies = await say(http, svc.url, "warga14", "🙏🙏🙏😡")
    assert "emoji" in texts(replies)
    async with http.post(
        f"{svc.url}/webhooks/rest/webhook", data=b"{not json", headers={"Content-Type": "application/json"}
    ) as resp:
        assert resp.status == 400
    async with http.post(f"{svc.url}/webhooks/rest/webhook", json={"sender": "x"}) as resp:
        assert resp.status == 400


async def test_outbox_health_is_reported(svc, http):
    async with http.get(f"{svc.url}/healthz") as resp:
        body = await resp.json()
    assert body["status"] == "ok" and "webchat" in body["channels"]
