"""The regent's and staff's turns from the fourteenth trial, over real HTTP: a recap of one OPD or the whole regency
over a named period ("rekap PUPR minggu ini"); a Javanese question after a ticket named by its matter ("sing lampu
ning veteran wis didandani durung?")."""

from __future__ import annotations

from datetime import timedelta

import pytest

from bot.store.base import STATUS_TRIAGE, Changes

# `svc` is the service on a settable `clock` (Monday 7 December 2026, 09:00 in the regency)
from tests.core.test_eighth_look import clock, svc  # noqa: F401
from tests.core.test_flows import enrol, file_complaint
from tests.core.test_on_behalf_nophone import file_through
from tests.core.test_thirteenth_staff import received
from tests.desk.test_desk_http import staff_client
from tests.harness import payloads, say, texts

LIGHT = "lampu PJU di jalan veteran mati sudah seminggu, gelap sekali kalau malam"
BRIDGE = "jembatan kecil di dusun krajan desa puri ambrol separuh"


# --- 1. a recap of one OPD, or the whole regency, over a named period ------------------------------------------
async def test_a_recap_of_one_opd_this_week_counts_that_opds_complaints_since_monday(svc, http, clock):  # noqa: F811
    await enrol(http, svc, "bupati-r1", role="regent", opd=None)
    clock.now -= timedelta(days=4)  # Thursday of the week before: not "this week"
    await file_complaint(http, svc.url, "warga-r1a")
    clock.now += timedelta(days=4)  # Monday
    await file_complaint(http, svc.url, "warga-r1b")
    clock.now += timedelta(days=2)  # Wednesday: two more this week, one of PUPR's and one of Dishub's
    await file_complaint(http, svc.url, "warga-r1c", BRIDGE)
    await file_complaint(http, svc.url, "warga-r1d", LIGHT)
    said = texts(await say(http, svc.url, "bupati-r1", "rekap PUPR minggu ini"))
    assert "Rekap aduan Dinas Pekerjaan Umum" in said and "sejak Senin) (07-12 s.d. 09-12-2026)" in said, said
    assert "Aduan masuk: 2." in said, said  # Monday's and Wednesday's, not the week before's nor Dishub's
    said = texts(await say(http, svc.url, "bupati-r1", "rekap aduan minggu iki"))  # Javanese, the whole regency
    assert "Aduan masuk: 3." in said and "Dinas PUPR: 2" in said and "Dishub: 1" in said, said
    said = texts(await say(http, svc.url, "bupati-r1", "/ringkasan dishub kemarin"))
    assert "Rekap aduan Dinas Perhubungan" in said and "kemarin (08-12-2026)" in said, said
    assert "Aduan masuk: 0." in said and "Tidak ada aduan" in said, said
    said = texts(await say(http, svc.url, "bupati-r1", "tolong rekap aduan dinas pupr 7 hari terakhir"))
    assert "Dinas Pekerjaan Umum" in said and "7 hari terakhir (03-12 s.d. 09-12-2026)" in said, said
    assert "Aduan masuk: 3." in said, said


@pytest.mark.parametrize("typed", ["rekap hari ini", "/ringkasan"])
async def test_a_recap_of_today_is_still_the_days_digest(svc, http, clock, typed):  # noqa: F811
    await enrol(http, svc, "bupati-r2", role="regent", opd=None)
    await file_complaint(http, svc.url, "warga-r2")
    said = texts(await say(http, svc.url, "bupati-r2", typed))
    assert "Rekap aduan" not in said and "dasbor" in said, said


# --- 2. a Javanese question after a ticket named by its matter -------------------------------------------------
@pytest.mark.parametrize("typed", ["sing lampu ning veteran wis didandani durung?",
                                   "sing lampu ning veteran uwis dibenakke dereng pak?",
                                   "lampu ning veteran piye?",
                                   "yg lampu di veteran udah dibenerin belum?"])
async def test_a_javanese_question_after_a_matter_finds_its_ticket(svc, http, clock, typed):  # noqa: F811
    await enrol(http, svc, "bupati-r3", role="regent", opd=None)
    road = await file_complaint(http, svc.url, "warga-r3a")
    light = await file_complaint(http, svc.url, "warga-r3b", LIGHT)
    said = texts(await say(http, svc.url, "bupati-r3", typed))
    assert light in said and road not in said, said


# --- 3. the regent's own dispositions, listed ------------------------------------------------------------------
@pytest.mark.parametrize("typed", ["gimana perkembangan disposisi saya kemarin?", "disposisi saya gimana?"])
async def test_the_regent_asking_after_his_dispositions_gets_each_of_them(svc, http, clock, typed):  # noqa: F811
    await enrol(http, svc, "bupati-r4", role="regent", opd=None)
    await enrol(http, svc, "bupati-r4b", role="regent", opd=None)  # a colleague's disposition is not his
    road = await file_complaint(http, svc.url, "warga-r4a")
    light = await file_complaint(http, svc.url, "warga-r4b", LIGHT)
    bridge = await file_complaint(http, svc.url, "warga-r4c", BRIDGE)
    await say(http, svc.url, "bupati-r4", f"/disposisi {road} dinas-pupr Tolong segera ditambal")
    clock.now += timedelta(hours=1)
    await say(http, svc.url, "bupati-r4", f"/disposisi {light} dishub Mohon dicek hari ini juga")
    await say(http, svc.url, "bupati-r4b", f"/disposisi {bridge} dinas-pupr Pasang rambu dulu")
    clock.now += timedelta(days=1)
    replies = await say(http, svc.url, "bupati-r4", typed)
    said = texts(replies)
    assert light in said and road in said and bridge not in said, said
    assert said.index(light) < said.index(road), said  # the newest first
    assert "Mohon dicek hari ini juga" in said and "Tolong segera ditambal" in said, said
    assert "Dishub" in said and "Dinas PUPR" in said and "Lampu" in said and "Sooko" in said, said
    assert f"/info {light}" in payloads(replies) and f"/info {road}" in payloads(replies), payloads(replies)


async def test_the_regent_with_no_disposition_that_day_is_told_so(svc, http, clock):  # noqa: F811
    await enrol(http, svc, "bupati-r5", role="regent", opd=None)
    road = await file_complaint(http, svc.url, "warga-r5")
    await say(http, svc.url, "bupati-r5", f"/disposisi {road} dinas-pupr Tolong segera ditambal")
    said = texts(await say(http, svc.url, "bupati-r5", "gimana disposisi saya kemarin?"))
    assert "Belum ada disposisi" in said and road not in said, said


# --- 4. a village official's "which complaint?" lists name the resident of each -------------------------------
async def file_for(http, svc, official: str, resident: str, problem: str) -> str:  # noqa: F811
    await say(http, svc.url, official, f"/wakili {resident}, Dusun Krajan")
    await say(http, svc.url, official, "/wakili_setuju")
    number, _ = await file_through(http, svc, official, problem)
    return number


async def test_a_village_officials_which_complaint_lists_name_the_resident_of_each(svc, http, clock):  # noqa: F811
    await enrol(http, svc, "perangkat-r6", role="pendamping", opd=None)
    await enrol(http, svc, "pupr-r6")
    road = await file_for(http, svc, "perangkat-r6", "mbah Sarinah", "jalan depan rumah di dusun Krajan rusak parah")
    bridge = await file_for(http, svc, "perangkat-r6", "pak Darmo", BRIDGE)
    replies = await say(http, svc.url, "perangkat-r6", "laporan saya gimana?")
    said = texts(replies)
    assert f"{road} (Mbah Sarinah)" in said and f"{bridge} (Pak Darmo)" in said, said
    assert any("Pak Darmo" in b["title"] for r in replies for b in r.get("buttons", [])), replies
    for number in (road, bridge):  # both officers wait for an answer: a message is asked which it is for
        await say(http, svc.url, "pupr-r6", f"/balas {number} bapak, mohon kirim foto lokasinya")
    replies = await say(http, svc.url, "perangkat-r6", "ini fotonya pak, sudah saya kirim")
    said = texts(replies)
    assert f"{bridge} (Pak Darmo)*" in said and f"{road} (Mbah Sarinah)*" in said, said
    titles = [b["title"] for r in replies for b in r.get("buttons", [])]
    assert f"Untuk aduan {bridge} (Pak Darmo)" in titles and f"Untuk aduan {road} (Mbah Sarinah)" in titles, titles
    await say(http, svc.url, "perangkat-r6", "batal")
    said = texts(await say(http, svc.url, "perangkat-r6", "tolong batalkan laporan saya"))
    assert f"{road} (Mbah Sarinah)" in said and f"{bridge} (Pak Darmo)" in said, said


# --- 5. "/alihkan … triase" on a ticket already in triage ------------------------------------------------------
async def in_triage(svc, number: str) -> None:  # noqa: F811
    ticket = await svc.store.get_ticket(number)
    ticket.status, ticket.opd_id = STATUS_TRIAGE, None
    ticket.extra["ranking"] = [["aduan_jalan_rusak", 0.4], ["aduan_lampu_jalan", 0.3]]
    await svc.store.commit(Changes(tickets=[ticket]))


async def test_returning_a_ticket_already_in_triage_says_so_and_offers_the_route(svc, http, clock):  # noqa: F811
    await enrol(http, svc, "operator-r7", role="operator", opd=None)
    number = await file_complaint(http, svc.url, "warga-r7")
    await in_triage(svc, number)
    replies = await say(http, svc.url, "operator-r7", f"/alihkan {number} triase")
    said = texts(replies)
    assert "sudah berada di triase" in said and f"/rute {number}" in said and "Mengapa" not in said, said
    assert f"/rute {number} dinas-pupr" in payloads(replies), payloads(replies)
    said = texts(await say(http, svc.url, "operator-r7", "jalan tol, bukan urusan kita"))  # no reason was asked
    assert "dikembalikan ke operator" not in said, said
    assert [e for e in await svc.store.ticket_events(number) if e.kind == "returned"] == []


# --- 6. archiving a report outside the government's authority --------------------------------------------------
POWER = "listrik di dusun krajan desa sooko padam terus sejak kemarin, tolong diperbaiki"


async def test_an_operator_archives_a_report_outside_the_regencys_authority(svc, http, clock):  # noqa: F811
    await enrol(http, svc, "operator-r8", role="operator", opd=None)
    await enrol(http, svc, "bupati-r8", role="regent", opd=None)
    await enrol(http, svc, "pupr-r8")
    number = await file_complaint(http, svc.url, "warga-r8")
    assert "/arsipkan TIKET alasan" in texts(await say(http, svc.url, "operator-r8", "/bantuan"))
    said = texts(await say(http, svc.url, "pupr-r8", f"/arsipkan {number} listrik urusan PLN"))  # an officer: no
    assert "dilakukan oleh operator" in said and f"/alihkan {number} triase" in said, said
    assert (await svc.store.get_ticket(number)).status == "baru"
    said = texts(await say(http, svc.url, "operator-r8", f"/arsipkan {number} luar_pln gangguan listrik ditangani PLN"))
    assert f"Aduan {number} diarsipkan" in said and "tidak dihitung selesai" in said, said
    ticket = await svc.store.get_ticket(number)
    assert ticket.status == "diarsipkan" and ticket.closed_at is not None, ticket
    assert ticket.extra["archived"]["external"] == "luar_pln"
    [event] = [e for e in await svc.store.ticket_events(number, "status") if e.data.get("status") == "diarsipkan"]
    assert event.data["closure"] == "outside_authority" and event.text == "gangguan listrik ditangani PLN"
    notice = "\n".join(i.get("text", "") for i in await received(svc, "warga-r8", "arsipkan"))
    assert "gangguan listrik ditangani PLN" in notice and "PLN 123" in notice and "Sudah beres?" not in notice, notice
    replies = await say(http, svc.url, "warga-r8", "lho kok ditutup, terus gimana pak?")
    said = texts(replies)
    assert f"Aduan *{number}* ditutup dan diarsipkan" in said and "PLN 123" in said, said
    assert "/bupati" in payloads(replies), payloads(replies)
    said = texts(await say(http, svc.url, "warga-r8", "3"))  # no rating was asked: a digit rates nothing
    assert [e for e in await svc.store.ticket_events(number) if e.kind == "rating"] == []
    said = texts(await say(http, svc.url, "bupati-r8", "/ringkasan"))
    assert "0 selesai" in said, said  # not counted as done
    said = texts(await say(http, svc.url, "operator-r8", f"/info {number}"))
    assert "Diarsipkan (di luar kewenangan" in said, said
    operator = await svc.store.get_identity("webchat:operator-r8")
    async with await staff_client(svc, operator) as desk, desk.get(f"{svc.url}/desk/tiket/{number}") as resp:
        page = await resp.text()
    assert resp.status == 200 and "Diarsipkan (di luar kewenangan" in page and "status_name_" not in page, page
