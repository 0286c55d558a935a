"""What officers and the operator read (issue 12, item 9), through the real REST endpoint: history in words,
no empty placeholders, routing confidence only where it helps, /triase for every role, enrolment codes in
chat, /alihkan asking for its reason and listing the OPD ids, map links for pins."""

from __future__ import annotations

import re
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

from bot.__main__ import issue_code
from bot.letters_cli import issue_letter_code
from bot.store.base import STATUS_NEW, STATUS_TRIAGE, Changes, Ticket, TicketEvent
from tests.core.test_flows import enrol, file_complaint
from tests.harness import mailbox, make_settings, payloads, running_service, say, texts, wait_for

CODE = re.compile(r"/daftar ([A-Z2-9]{8})")
PIN = {"latitude": -7.471234, "longitude": 112.439876, "name": "depan balai desa"}


@pytest.fixture
async def svc(tmp_path: Path, nlu_model_path: Path):
    async with running_service(make_settings(tmp_path)) as service:
        yield service


async def seed(svc: Any, number: str, opd: str | None, confidence: float | None, by: str = "nlu",
               location: dict[str, Any] | None = None) -> None:
    """A complaint as the complaint flow files it (ticket, `created` and `routed` events), straight into the store."""
    now = svc.runtime.services.clock()  # type: ignore[union-attr]
    ticket = Ticket(number=number, kind="aduan", topic="aduan_jalan_rusak" if opd else None, opd_id=opd,
                    status=STATUS_NEW if opd else STATUS_TRIAGE, text="jalan berlubang di depan balai desa",
                    reporter="webchat:warga-seed", created_at=now, updated_at=now,
                    due_at=now + timedelta(days=7) if opd else None, confidence=confidence, location=location)
    await svc.store.commit(Changes(tickets=[ticket], events=[
        TicketEvent(ticket=number, kind="created", at=now, actor="webchat:warga-seed", text=ticket.text),
        TicketEvent(ticket=number, kind="routed", at=now, actor="webchat:warga-seed",
                    data={"topic": ticket.topic, "opd": opd, "confidence": confidence, "by": by})]))


async def test_ticket_history_is_in_words_and_a_confident_route_shows_no_percentage(svc, http):
    await enrol(http, svc, "pupr-info")
    number = await file_complaint(http, svc.url, "warga-info")
    assert (await svc.store.get_ticket(number)).confidence >= svc.runtime.services.directory.route_threshold
    await say(http, svc.url, "pupr-info", f"/proses {number}")
    await say(http, svc.url, "pupr-info", f"/balas {number} Tim kami datang besok")
    info = texts(await say(http, svc.url, "pupr-info", f"/info {number}"))
    history = info.split("Riwayat:")[1]
    for words in ("laporan masuk (Pelapor)", "diteruskan ke OPD → Dinas PUPR\n", "status diubah → ",
                  "balasan ke pelapor (Petugas Dinas PUPR (…info)): Tim"):
        assert words in history, info
    names = [re.split(r" → |: | \(", line.split(" — ", 1)[1])[0] for line in history.strip().splitlines()]
    assert names == ["laporan masuk", "diteruskan ke OPD", "status diubah", "balasan ke pelapor"], info
    assert "Keyakinan" not in info and "Rute:" not in info and "%" not in info
    # An English-speaking officer reads the same history in English.
    await say(http, svc.url, "pupr-info", "/bahasa en")
    info = texts(await say(http, svc.url, "pupr-info", f"/info {number}"))
    assert "filed" in info and "reply to the reporter" in info and "laporan masuk" not in info


async def test_routing_is_explained_only_when_it_was_uncertain(svc, http):
    await enrol(http, svc, "pupr-route")
    await seed(svc, "WRG-2612-0901", "dinas-pupr", 0.62)
    await seed(svc, "WRG-2612-0902", "dinas-pupr", 0.40, by="resident")
    await seed(svc, "WRG-2612-0903", "dinas-pupr", 0.99)
    unsure = texts(await say(http, svc.url, "pupr-route", "/info WRG-2612-0901"))
    assert "kurang yakin (62%)" in unsure and "/alihkan" in unsure
    picked = texts(await say(http, svc.url, "pupr-route", "/info WRG-2612-0902"))
    assert "dipilih sendiri oleh pelapor" in picked and "%" not in picked
    sure = texts(await say(http, svc.url, "pupr-route", "/info WRG-2612-0903"))
    assert "Rute:" not in sure and "99%" not in sure


async def test_no_empty_placeholders(svc, http):
    code = await issue_code(svc.settings, "operator", None)
    enrolled = texts(await say(http, svc.url, "op-empty", f"/daftar {code}"))
    assert "terdaftar sebagai operator." in enrolled and " ." not in enrolled
    code = await issue_code(svc.settings, "officer", "dishub")
    enrolled = texts(await say(http, svc.url, "dishub-empty", f"/daftar {code}"))
    assert "terdaftar sebagai petugas Dinas Perhubungan" in enrolled, enrolled
    # A ticket without an OPD (triage) is refused without a "-" where the OPD's name would be.
    await seed(svc, "WRG-2612-0911", None, 0.2, by="triage")
    refused = texts(await say(http, svc.url, "dishub-empty", "/info WRG-2612-0911"))
    assert "bukan aduan OPD Anda" in refused and " -" not in refused
    info = texts(await say(http, svc.url, "op-empty", "/info WRG-2612-0911"))
    assert "OPD: belum ditentukan" in info and "menunggu operator" in info


async def test_triase_is_answered_for_every_role(svc, http):
    await enrol(http, svc, "dishub-triase", opd="dishub")
    await enrol(http, svc, "regent-triase", role="regent", opd=None)
    await enrol(http, svc, "op-triase", role="operator", opd=None)
    code = await issue_letter_code(svc.settings, "village_head", "sooko")
    await say(http, svc.url, "kades-triase", f"/daftar {code}")
    officer = texts(await say(http, svc.url, "dishub-triase", "/triase"))
    assert "hanya untuk petugas" not in officer and "operator Diskominfo" in officer
    assert "petugas Dishub" in officer and "/antrian" in officer and "/alihkan" in officer
    assert "operator Diskominfo" in texts(await say(http, svc.url, "dishub-triase", "/rute WRG-2612-0001 dlh"))
    regent = texts(await say(http, svc.url, "regent-triase", "/triase"))
    assert "/disposisi" in regent and "hanya untuk petugas" not in regent
    head = texts(await say(http, svc.url, "kades-triase", "/triase"))
    assert "/antrian_surat" in head
    assert "khusus untuk operator Diskominfo" in texts(await say(http, svc.url, "warga-triase", "/triase"))
    assert "triase" in texts(await say(http, svc.url, "op-triase", "/triase")).lower()


async def test_operator_issues_enrolment_codes_in_chat(svc, http):
    await enrol(http, svc, "op-undang", role="operator", opd=None)
    usage = texts(await say(http, svc.url, "op-undang", "/undang"))
    assert "dinas-pupr" in usage and "dishub" in usage and "/undang desa" in usage and "sooko" in usage
    assert "python -m" not in usage
    assert "Untuk siapa" in texts(await say(http, svc.url, "op-undang", "/undang dinas-entah"))
    for args, person, words in (("dinas-pupr", "baru-pupr", "petugas Dinas Pekerjaan Umum"),
                                ("desa sooko", "baru-kades", "kepala Desa Sooko"),
                                ("kecamatan trowulan", "baru-camat", "camat Kecamatan Trowulan"),
                                ("operator", "baru-op", "operator")):
        issued = texts(await say(http, svc.url, "op-undang", f"/undang {args}"))
        code = CODE.search(issued)
        assert code and words in issued, issued
        enrolled = texts(await say(http, svc.url, person, f"/daftar {code.group(1)}"))
        assert f"terdaftar sebagai {words}" in enrolled, enrolled
    identity = await svc.store.get_identity("webchat:baru-kades")
    assert (identity.role, identity.opd_id) == ("village_head", "sooko")
    # Only the operator issues codes; an officer is told whose command it is.
    await enrol(http, svc, "pupr-undang")
    refused = texts(await say(http, svc.url, "pupr-undang", "/undang dishub"))
    assert not CODE.search(refused) and "operator Diskominfo" in refused


async def test_a_complaint_for_an_opd_without_officers_tells_the_operator_the_chat_command(svc, http):
    await enrol(http, svc, "op-card", role="operator", opd=None)
    await file_complaint(http, svc.url, "warga-card")
    told = await wait_for(lambda: mailbox(svc.store, "webchat:op-card"))
    assert "/undang dinas-pupr" in told[-1]["text"] and "python -m" not in told[-1]["text"]


async def test_transfer_lists_opd_ids_and_asks_for_the_reason(svc, http):
    await enrol(http, svc, "pupr-alih")
    await enrol(http, svc, "dishub-alih", opd="dishub")
    await seed(svc, "WRG-2612-0921", "dinas-pupr", 0.97, location=PIN)
    asked = await say(http, svc.url, "pupr-alih", "/alihkan WRG-2612-0921")
    assert "• dishub — Dishub" in texts(asked) and "• dinas-pupr" not in texts(asked)
    assert all(p.startswith("/alihkan WRG-2612-0921 ") for p in payloads(asked))
    unknown = texts(await say(http, svc.url, "pupr-alih", "/alihkan WRG-2612-0921 dinas-entah alasan"))
    assert "tidak dikenal" in unknown and "• dishub — Dishub" in unknown
    # Without a reason the bot asks for one; nothing moves until it is given.
    reason = texts(await say(http, svc.url, "pupr-alih", "/alihkan WRG-2612-0921 dishub"))
    assert "Mengapa" in reason and "Dinas Perhubungan" in reason
    assert (await svc.store.get_ticket("WRG-2612-0921")).opd_id == "dinas-pupr"
    done = texts(await say(http, svc.url, "pupr-alih", "ini lampu lalu lintas, kewenangan dishub"))
    assert "dialihkan" in done
    assert (await svc.store.get_ticket("WRG-2612-0921")).opd_id == "dishub"
    moved = await svc.store.ticket_events("WRG-2612-0921", "rerouted")
    assert moved[0].text == "ini lampu lalu lintas, kewenangan dishub"
    # The new OPD's card and /info carry a map link for the pin.
    url = "https://www.openstreetmap.org/?mlat=-7.471234&mlon=112.439876#map=18/-7.471234/112.439876"
    card = await wait_for(lambda: mailbox(svc.store, "webchat:dishub-alih"))
    assert url in card[-1]["text"]
    assert url in texts(await say(http, svc.url, "dishub-alih", "/info WRG-2612-0921"))

