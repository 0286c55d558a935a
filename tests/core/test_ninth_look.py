"""Turns left over from the eighth look, the staff side: a withdrawal closed with one tap, a ticket number or an
OPD id typed with a slip offered corrected, a mistaken transfer taken back, a ticket that bounces between offices
brought to the operators, and a village official's help and summary naming whom they file for (the operator's
revocation asks first: tests/security/test_staff_access.py)."""

from __future__ import annotations

import shutil
from datetime import timedelta
from pathlib import Path

import pytest

from nlu.__main__ import export_corrections
from tests.core.test_eighth_look import Clock
from tests.core.test_flows import enrol, file_complaint
from tests.core.test_on_behalf_nophone import OFFICIAL, file_through
from tests.harness import ROOT, mailbox, make_settings, payloads, running_service, say, texts, wait_for


@pytest.fixture
async def svc(tmp_path: Path, nlu_model_path: Path):
    async with running_service(make_settings(tmp_path)) as service:
        yield service


async def heard(svc, who: str, words: str) -> bool:
    return any(words in i["text"] for i in await mailbox(svc.store, f"webchat:{who}"))


async def test_a_withdrawal_card_closes_it_as_withdrawn_with_one_tap(svc, http):
    await enrol(http, svc, "pupr-w")
    number = await file_complaint(http, svc.url, "rudi-w")
    await say(http, svc.url, "rudi-w", "tolong laporan saya dibatalkan saja, sudah diperbaiki swadaya warga")
    await say(http, svc.url, "rudi-w", "btn:withdraw_yes")

    async def card() -> list[dict]:
        return [i for i in await mailbox(svc.store, "webchat:pupr-w") if "meminta aduannya ditutup" in i["text"]]
    [item] = await wait_for(card)
    tap = [b["payload"] for b in item["buttons"] if b["title"] == "Tutup atas permintaan pelapor"]
    assert tap == [f"/selesai {number} -"], item["buttons"]
    await say(http, svc.url, "pupr-w", tap[0])
    ticket = await svc.store.get_ticket(number)
    assert ticket.status == "selesai" and ticket.extra.get("withdrawn") is True, ticket
    await wait_for(lambda: heard(svc, "rudi-w", "sesuai permintaan Anda"))
    assert not await heard(svc, "rudi-w", "Sudah beres?")  # a withdrawal is not asked for a rating


async def test_a_ticket_number_with_a_slip_is_offered_corrected(svc, http):
    await enrol(http, svc, "pupr-n")
    number = await file_complaint(http, svc.url, "warga-n")
    prefix, period, serial = number.split("-")
    doubled = f"{prefix}-{period}-{serial[:2]}{serial[2]}{serial[2:]}"  # one digit typed twice
    replies = await say(http, svc.url, "pupr-n", f"/balas {doubled} Besok tim kami datang")
    said = texts(replies)
    assert f"Tiket {doubled} tidak ditemukan" in said and f"*{number}*" in said, said
    assert payloads(replies) == [f"/balas {number} Besok tim kami datang"], payloads(replies)
    await say(http, svc.url, "pupr-n", payloads(replies)[0])
    assert [e.text for e in await svc.store.ticket_events(number, "message_out")] == ["Besok tim kami datang"]
    # Someone who may not act on the ticket is offered nothing: the number of another OPD's ticket stays unknown.
    await enrol(http, svc, "dlh-n", opd="dlh")
    replies = await say(http, svc.url, "dlh-n", f"/info {doubled}")
    assert payloads(replies) == [] and number not in texts(replies), texts(replies)


async def test_an_opd_id_with_a_slip_is_offered_with_the_same_reason(svc, http):
    await enrol(http, svc, "pupr-o")
    number = await file_complaint(http, svc.url, "warga-o")
    replies = await say(http, svc.url, "pupr-o", f"/alihkan {number} dishbu lampu lalu lintas mati, bukan jalan")
    assert "Mungkin maksud Anda *dishub*" in texts(replies), texts(replies)
    assert payloads(replies) == [f"/alihkan {number} dishub lampu lalu lintas mati, bukan jalan"], payloads(replies)
    await say(http, svc.url, "pupr-o", payloads(replies)[0])
    assert (await svc.store.get_ticket(number)).opd_id == "dishub"
    # Nothing close: the list only.
    other = await file_complaint(http, svc.url, "warga-o2")
    replies = await say(http, svc.url, "pupr-o", f"/alihkan {other} kantorpos salah alamat")
    assert "tidak dikenal" in texts(replies) and payloads(replies) == [], texts(replies)


async def test_a_mistaken_transfer_is_taken_back_before_the_other_office_acts(svc, http):
    await enrol(http, svc, "pupr-u")
    await enrol(http, svc, "dlh-u", opd="dlh")
    number = await file_complaint(http, svc.url, "warga-u")
    due = (await svc.store.get_ticket(number)).due_at
    replies = await say(http, svc.url, "pupr-u", f"/alihkan {number} aduan_sampah sampah menumpuk di lubang jalan")
    assert payloads(replies) == [f"/batal_alihkan {number}"], payloads(replies)
    await wait_for(lambda: heard(svc, "dlh-u", number))
    # Only the office that moved it (or the operator) takes it back.
    assert "hanya dapat dibatalkan" in texts(await say(http, svc.url, "dlh-u", f"/batal_alihkan {number}"))
    replies = await say(http, svc.url, "pupr-u", payloads(replies)[0])
    assert "dibatalkan" in texts(replies), texts(replies)
    ticket = await svc.store.get_ticket(number)
    assert (ticket.opd_id, ticket.due_at, ticket.topic) == ("dinas-pupr", due, "aduan_jalan_rusak"), ticket
    await wait_for(lambda: heard(svc, "dlh-u", "ditarik kembali"))
    await wait_for(lambda: heard(svc, "warga-u", "tetap ditangani oleh Dinas Pekerjaan Umum"))
    exported = await export_corrections(svc.settings)  # a transfer kept is exported: see the end
    assert f"# {number}:" not in exported and "0 example(s)" in exported, exported  # no label for retraining
    assert "Tidak ada pengalihan" in texts(await say(http, svc.url, "pupr-u", f"/batal_alihkan {number}"))

    # Once the other office has answered the reporter, only it can send the ticket on.
    await say(http, svc.url, "pupr-u", f"/alihkan {number} aduan_sampah ternyata memang sampah liar")
    await say(http, svc.url, "dlh-u", f"/balas {number} Petugas kebersihan kami jadwalkan besok")
    replies = await say(http, svc.url, "pupr-u", f"/batal_alihkan {number}")
    assert "tidak dapat dibatalkan lagi" in texts(replies), texts(replies)
    assert (await svc.store.get_ticket(number)).opd_id == "dlh"
    exported = await export_corrections(svc.settings)
    assert f"# {number}: aduan_jalan_rusak -> aduan_sampah" in exported and "1 example(s)" in exported, exported


async def test_a_ticket_sent_back_to_an_office_that_passed_it_on_is_brought_to_the_operators(svc, http):
    await enrol(http, svc, "pupr-p")
    await enrol(http, svc, "dlh-p", opd="dlh")
    await enrol(http, svc, "op-p", role="operator", opd=None)
    number = await file_complaint(http, svc.url, "warga-p")
    await say(http, svc.url, "pupr-p", f"/alihkan {number} dlh ada tumpukan sampah")
    assert not await heard(svc, "op-p", "kali dialihkan")  # one move is no loop
    replies = await say(http, svc.url, "dlh-p", f"/alihkan {number} dinas-pupr lubang jalannya urusan PUPR")
    assert "operator Diskominfo diminta memastikan" in texts(replies), texts(replies)

    async def alert() -> list[dict]:
        return [i for i in await mailbox(svc.store, "webchat:op-p") if "kali dialihkan" in i["text"]]
    [item] = await wait_for(alert)
    assert "2 kali dialihkan: Dinas PUPR → DLH → Dinas PUPR" in item["text"], item["text"]
    assert [b["payload"] for b in item["buttons"]] == [f"/info {number}"]


async def test_a_village_official_sees_how_to_file_for_a_resident_and_whom_the_summary_is_for(svc, http):
    await enrol(http, svc, OFFICIAL, "pendamping")
    helped = texts(await say(http, svc.url, OFFICIAL, "/bantuan"))
    assert "/wakili 08123456789 Nama Warga" in helped and "/wakilan" in helped and "Buat aduan" in helped, helped
    await say(http, svc.url, OFFICIAL, "/wakili mbah Sarinah, Dusun Krajan")
    await say(http, svc.url, OFFICIAL, "/wakili_setuju")
    _, seen = await file_through(http, svc, OFFICIAL, "jalan depan rumah mbah Sarinah di dusun Krajan rusak parah")
    summary = next(s for s in seen if "Ringkasan aduan" in s)
    assert "Atas nama: Mbah Sarinah (tanpa HP; setiap kabar dikirim kepada Anda" in summary, summary
    # A resident's own summary has no such line.
    _, seen = await file_through(http, svc, "warga-s", "jalan di desa Sooko rusak parah banyak lubang")
    assert "Atas nama" not in next(s for s in seen if "Ringkasan aduan" in s)


async def test_an_officers_plain_words_after_a_reporter_wrote_are_offered_as_the_answer(svc, http):
    await enrol(http, svc, "pupr-f")
    number = await file_complaint(http, svc.url, "warga-f")
    await say(http, svc.url, "warga-f", "/tanggapi " + number)
    await say(http, svc.url, "warga-f", "pak lubangnya makin lebar, kemarin ada motor jatuh")
    await wait_for(lambda: heard(svc, "pupr-f", "makin lebar"))
    replies = await say(http, svc.url, "pupr-f", "siap bu, besok pagi tim kami cek ke lokasi")
    said = texts(replies)
    assert "belum terkirim" in said and f"*{number}*" in said, said
    assert payloads(replies) == [f"/balas {number} siap bu, besok pagi tim kami cek ke lokasi", "/batal"]
    assert await svc.store.ticket_events(number, "message_out") == []  # never sent unasked
    await say(http, svc.url, "pupr-f", payloads(replies)[0])
    await wait_for(lambda: heard(svc, "warga-f", "besok pagi tim kami cek ke lokasi"))
    # Closed since, the words are only said to reach nobody.
    await say(http, svc.url, "pupr-f", f"/selesai {number} sudah ditambal")
    replies = await say(http, svc.url, "pupr-f", "oke terima kasih")
    assert f"/balas {number}" not in " ".join(payloads(replies)), payloads(replies)


async def test_the_operator_reloads_content_without_a_restart(tmp_path: Path, nlu_model_path: Path, http):
    """Street lights re-routed to Disperkim (as Kota Malang does) and a greeting reworded take effect at
    /muat_ulang; a broken file is reported with its line and the running content stays."""
    content = tmp_path / "content"
    shutil.copytree(ROOT / "content", content)
    settings = make_settings(tmp_path, WARGA_CONTENT_DIR=str(content))
    async with running_service(settings) as svc:
        await enrol(http, svc, "op-r", role="operator", opd=None)
        await enrol(http, svc, "pupr-r")
        light = "lampu jalan di desa Sooko mati sudah seminggu, gelap sekali kalau malam"
        before = await file_complaint(http, svc.url, "warga-r1", light)
        assert (await svc.store.get_ticket(before)).opd_id == "dishub"

        directory = content / "directory.yml"
        original = directory.read_text(encoding="utf-8")
        directory.write_text(original.replace("  aduan_lampu_jalan: dishub", "  aduan_lampu_jalan: disperkim:", 1),
                             encoding="utf-8")
        said = texts(await say(http, svc.url, "op-r", "/muat_ulang"))
        assert "tidak dimuat ulang" in said and "directory.yml" in said and "line" in said, said
        assert "khusus untuk operator" in texts(await say(http, svc.url, "pupr-r", "/muat_ulang"))
        still = await file_complaint(http, svc.url, "warga-r2", light)
        assert (await svc.store.get_ticket(still)).opd_id == "dishub"  # the running content stays

        directory.write_text(original.replace("  aduan_lampu_jalan: dishub", "  aduan_lampu_jalan: disperkim", 1),
                             encoding="utf-8")
        greet = content / "texts" / "core.yml"
        worded = greet.read_text(encoding="utf-8").replace("Halo, selamat datang", "Sugeng rawuh, selamat datang", 1)
        greet.write_text(worded, encoding="utf-8")
        assert "sudah dimuat ulang" in texts(await say(http, svc.url, "op-r", "/muat_ulang"))
        after = await file_complaint(http, svc.url, "warga-r3", light)
        assert (await svc.store.get_ticket(after)).opd_id == "disperkim"
        assert "Sugeng rawuh" in texts(await say(http, svc.url, "warga-r4", "halo"))


async def test_the_village_an_official_named_is_offered_as_the_place(svc, http):
    await enrol(http, svc, OFFICIAL, "pendamping")
    await say(http, svc.url, OFFICIAL, "/wakili mbah Sarinah, Dusun Krajan")
    await say(http, svc.url, OFFICIAL, "/wakili_setuju")
    replies = await say(http, svc.url, OFFICIAL, "jembatan kecil di dekat sawah ambrol, anak-anak tidak bisa lewat")
    assert "btn:yes" in payloads(replies) and "Dusun Krajan" not in texts(replies), texts(replies)  # the topic
    replies = await say(http, svc.url, OFFICIAL, "btn:yes")
    assert "Dusun Krajan" in texts(replies) and "btn:yes" in payloads(replies), texts(replies)
    await say(http, svc.url, OFFICIAL, "btn:yes")
    draft = (await svc.store.get_conversation(f"webchat:{OFFICIAL}")).state["draft"]
    assert "Dusun Krajan" in str(draft["location"]), draft  # the village became the place


# --- what a ninth trial met (helper session, residents and staff over a few days) -----------------------------
async def test_typed_choices_cancels_and_yes_with_more_words_are_understood(svc, http):
    # "yg baru aja kak" at "continue that complaint, or make this a new one?" is the new one.
    await say(http, svc.url, "rina", "sampah di depan rumah saya di desa Sooko sudah seminggu tidak diangkut")
    await say(http, svc.url, "rina", "btn:yes")
    replies = await say(http, svc.url, "rina", "saluran air di gang mawar desa Sooko mampet, kalau hujan banjir")
    assert "btn:restart" in payloads(replies), texts(replies)
    replies = await say(http, svc.url, "rina", "yg baru aja kak")
    said = texts(replies)
    assert "saluran" in said.lower() or "drainase" in said.lower(), said
    draft = (await svc.store.get_conversation("webchat:rina")).state["draft"]
    assert "saluran air" in draft["text"], draft
    # "udah deh batal aja kak" at any step cancels (it is no place), and a second "batal" keeps what was set aside.
    replies = await say(http, svc.url, "rina", "udah deh batal aja kak")
    assert "dibatalkan" in texts(replies), texts(replies)
    await say(http, svc.url, "rina", "batal")
    replies = await say(http, svc.url, "rina", "eh jadi deh")
    assert "saluran air" in texts(replies).lower(), texts(replies)


async def test_yes_with_the_spot_keeps_the_place_the_report_named(svc, http):
    await say(http, svc.url, "expat", "The street light on Jalan Gajah Mada, Mojosari has been off for a week")
    replies = await say(http, svc.url, "expat", "btn:yes")
    assert "Jalan Gajah Mada" in texts(replies) and "btn:yes" in payloads(replies), texts(replies)
    await say(http, svc.url, "expat", "yes, in front of house number 12, near the Indomaret")
    location = (await svc.store.get_conversation("webchat:expat")).state["draft"]["location"]
    assert "Jalan Gajah Mada" in location["address"] and "house number 12" in location["name"], location


async def test_one_more_complaint_about_another_office_is_not_added_to_the_first(svc, http):
    await enrol(http, svc, "dishub-s", opd="dishub")
    light = await file_complaint(http, svc.url, "sutrisno", "lampu jalan di desa Pungging mati semua sejak seminggu")
    assert (await svc.store.get_ticket(light)).opd_id == "dishub"
    replies = await say(http, svc.url, "sutrisno",
                        "satu lagi pak, jalan desa pungging ke arah makam rusak berat aspalnya mengelupas")
    assert "diteruskan ke petugas" not in texts(replies), texts(replies)
    assert await svc.store.ticket_events(light, "message_in") == []


async def test_javanese_status_question_rating_word_and_privacy_words(svc, http):
    await enrol(http, svc, "pupr-j")
    number = await file_complaint(http, svc.url, "mbah-j")
    replies = await say(http, svc.url, "mbah-j", "pripun laporan kulo pak, kok dereng enten sing teko")
    assert number in texts(replies) and await svc.store.ticket_events(number, "message_in") == [], texts(replies)
    await say(http, svc.url, "pupr-j", f"/selesai {number} sampun dipun tambal")
    await say(http, svc.url, "mbah-j", f"fixed:{number}:yes")
    await say(http, svc.url, "mbah-j", "lima")
    assert (await svc.store.get_ticket(number)).rating == 5
    # At the identity question, "nami kulo ditampilke mawon" is the public choice.
    replies = await say(http, svc.url, "mbah-p", "jalan di desa Sooko rusak parah banyak lubang")
    for answer in ("btn:yes", "Desa Sooko RT 02", "lewati"):
        replies = await say(http, svc.url, "mbah-p", answer)
    assert "privacy:publik" in payloads(replies), texts(replies)
    replies = await say(http, svc.url, "mbah-p", "nami kulo ditampilke mawon")
    assert "btn:send" in payloads(replies), texts(replies)


async def test_done_in_part_after_is_it_fixed_reopens_with_the_words(svc, http):
    await enrol(http, svc, "pupr-k")
    number = await file_complaint(http, svc.url, "rt-k", "jembatan desa Sooko rusak, papan dan pagar pengamannya roboh")
    await say(http, svc.url, "pupr-k", f"/selesai {number} papan jembatan sudah diganti")
    await wait_for(lambda: heard(svc, "rt-k", "Sudah beres?"))
    words = "papannya sudah diganti tapi pagar pengaman yang roboh belum dipasang pak, masih bahaya buat anak-anak"
    replies = await say(http, svc.url, "rt-k", words)
    assert "buka kembali" in texts(replies), texts(replies)
    assert (await svc.store.get_ticket(number)).status == "diproses"
    await wait_for(lambda: heard(svc, "pupr-k", "pagar pengaman yang roboh"))


async def test_staff_type_ya_for_the_offer_and_see_each_recent_reporter(svc, http):
    await enrol(http, svc, "dishub-y", opd="dishub")
    first = await file_complaint(http, svc.url, "w-y1", "lampu jalan di desa Pungging mati semua sejak seminggu")
    second = await file_complaint(http, svc.url, "w-y2", "lampu lalu lintas di perempatan Mojosari mati sejak kemarin")
    replies = await say(http, svc.url, "dishub-y", "baik pak, besok kami cek")
    assert payloads(replies)[:2] == [f"/balas {second} baik pak, besok kami cek",
                                     f"/balas {first} baik pak, besok kami cek"], payloads(replies)  # newest first
    await say(http, svc.url, "dishub-y", "ya")  # two offers: a typed "ya" sends nothing
    assert await svc.store.ticket_events(first, "message_out") == []
    # One reporter lately: a typed "ya" sends it, as the button would.
    await enrol(http, svc, "dishub-z", opd="dishub")
    await say(http, svc.url, "w-y1", f"/tanggapi {first}")
    await say(http, svc.url, "w-y1", "tiangnya nomor PJU 045 pak")
    await wait_for(lambda: heard(svc, "dishub-z", "PJU 045"))
    replies = await say(http, svc.url, "dishub-z", "siap, tiang PJU 045 kami cek besok pagi")
    assert payloads(replies) == [f"/balas {first} siap, tiang PJU 045 kami cek besok pagi", "/batal"], \
        payloads(replies)
    await say(http, svc.url, "dishub-z", "ya")
    assert [e.text for e in await svc.store.ticket_events(first, "message_out")] == \
        ["siap, tiang PJU 045 kami cek besok pagi"]


async def test_a_regent_names_an_opd_by_its_bare_name_and_a_short_ticket_number_is_read(svc, http):
    await enrol(http, svc, "bupati-q", role="regent", opd=None)
    number = await file_complaint(http, svc.url, "w-q")
    queue = texts(await say(http, svc.url, "bupati-q", "/antrian pupr"))
    assert "Antrian Dinas PUPR" in queue and number in queue, queue
    assert "tidak dikenal" in texts(await say(http, svc.url, "bupati-q", "/antrian dinas xyz"))
    prefix, period, serial = number.split("-")
    short = f"{prefix}-{period}-{int(serial):03d}"
    assert number in texts(await say(http, svc.url, "bupati-q", f"/info {short}"))
    replies = await say(http, svc.url, "bupati-q", f"/disposisi {number} dishup pasang rambu minggu ini")
    assert payloads(replies) == [f"/disposisi {number} dishub pasang rambu minggu ini"], texts(replies)


async def test_an_answer_when_two_officers_wait_asks_which_and_takes_the_topic_typed(svc, http):
    await enrol(http, svc, "pupr-2")
    await enrol(http, svc, "dishub-2", opd="dishub")
    road = await file_complaint(http, svc.url, "sutris")
    light = await file_complaint(http, svc.url, "sutris", "lampu jalan di desa Pungging mati semua sejak seminggu")
    await say(http, svc.url, "pupr-2", f"/balas {road} Mohon kirim foto jalannya pak")
    await say(http, svc.url, "dishub-2", f"/balas {light} Mohon kirim foto tiang lampunya pak")
    await wait_for(lambda: heard(svc, "sutris", "foto tiang lampunya"))
    replies = await say(http, svc.url, "sutris", "fotonya nanti sore ya pak, sekarang masih di sawah")
    assert road in texts(replies) and light in texts(replies), texts(replies)  # which one?
    assert await svc.store.ticket_events(light, "message_in") == []
    await say(http, svc.url, "sutris", "yg jalan rusak")
    assert [e.text for e in await svc.store.ticket_events(road, "message_in")] == \
        ["fotonya nanti sore ya pak, sekarang masih di sawah"]
    assert await svc.store.ticket_events(light, "message_in") == []


async def test_words_for_the_regent_reach_the_regent_even_in_the_middle_of_a_complaint(svc, http):
    await enrol(http, svc, "bupati-m", role="regent", opd=None)
    replies = await say(http, svc.url, "warga-m", "saya mau menyampaikan pesan langsung ke pak bupati: terima kasih "
                                                  "jalannya sudah diaspal, mohon lampunya juga diperhatikan")
    assert "btn:send" in payloads(replies) and "terima kasih jalannya sudah diaspal" in texts(replies), texts(replies)
    await say(http, svc.url, "warga-m", "btn:send")
    await wait_for(lambda: heard(svc, "bupati-m", "lampunya juga diperhatikan"))
    # Begun as a complaint, then said to be for the regent: what was written goes there, once confirmed.
    await say(http, svc.url, "warga-n", "mohon perhatian, anak-anak di dusun Kedung harus menyeberang sungai tiap hari")
    replies = await say(http, svc.url, "warga-n", "bukan, ini untuk pak bupati langsung")
    assert "btn:send" in payloads(replies) and "menyeberang sungai" in texts(replies), texts(replies)
    await say(http, svc.url, "warga-n", "btn:send")
    await wait_for(lambda: heard(svc, "bupati-m", "menyeberang sungai"))


async def test_news_for_a_resident_without_a_phone_names_them_to_the_official(svc, http):
    await enrol(http, svc, OFFICIAL, "pendamping")
    await enrol(http, svc, "pupr-v")
    await say(http, svc.url, OFFICIAL, "/wakili mbah Painem, Dusun Kedungrejo")
    await say(http, svc.url, OFFICIAL, "/wakili_setuju")
    number, _ = await file_through(http, svc, OFFICIAL, "jalan depan rumah mbah Painem di dusun Kedungrejo rusak parah")
    await say(http, svc.url, "pupr-v", f"/balas {number} Besok kami survei ke lokasi")
    await say(http, svc.url, "pupr-v", f"/selesai {number} Sudah ditambal")

    async def news() -> list[str]:
        return [i["text"] for i in await mailbox(svc.store, f"webchat:{OFFICIAL}") if number in i["text"]]
    told = await wait_for(lambda: _two(news))
    assert all(t.startswith("👤 Untuk Mbah Painem") for t in told[-2:]), told


async def _two(read):
    items = await read()
    return items if len(items) >= 2 and any("Sudah beres?" in t for t in items) else None


async def test_an_addition_days_later_is_offered_to_the_open_complaint(tmp_path: Path, nlu_model_path: Path, http):
    clock = Clock()
    async with running_service(make_settings(tmp_path), clock=clock) as svc:
        await enrol(http, svc, "pupr-t")
        number = await file_complaint(http, svc.url, "rina-t", "saluran air di gang mawar desa Sooko mampet total")
        clock.now += timedelta(days=2)
        words = "oh iya kak tambahan, semalem ujan airnya udah masuk ke 3 rumah tetangga juga"
        replies = await say(http, svc.url, "rina-t", words)
        assert number in texts(replies) and "btn:forward" in payloads(replies), texts(replies)
        await say(http, svc.url, "rina-t", "ya")
        assert [e.text for e in await svc.store.ticket_events(number, "message_in")] == [words]


async def test_what_a_revoked_officer_did_keeps_their_name_in_the_history(svc, http):
    from actions.staff_admin import staff_ref

    await enrol(http, svc, "op-h", role="operator", opd=None)
    await enrol(http, svc, "pupr-h")
    await say(http, svc.url, "pupr-h", "/nama Rudi Hartono")
    number = await file_complaint(http, svc.url, "warga-h")
    await say(http, svc.url, "pupr-h", f"/balas {number} Besok kami cek")
    await say(http, svc.url, "op-h", f"/cabut_akses {staff_ref('webchat:pupr-h')} ✓ pindah tugas")
    assert (await svc.store.get_identity("webchat:pupr-h")).role == "resident"
    history = texts(await say(http, svc.url, "op-h", f"/info {number}"))
    assert "Rudi Hartono" in history, history


async def test_what_now_after_an_outside_matter_says_who_and_how_again(svc, http):
    replies = await say(http, svc.url, "warga-o9", "jalan nasional di depan pasar Mojosari berlubang besar, "
                                                  "jalan provinsi juga")
    first = texts(replies)
    replies = await say(http, svc.url, "warga-o9", "lho terus saya harus gimana pak, tolong diteruskan saja ke yang "
                                                  "berwenang")
    said = texts(replies)
    assert "bukan kewenangan" in said and "SP4N-LAPOR!" in said, (first, said)
    assert "topic:" not in " ".join(payloads(replies)), payloads(replies)  # no topic choice for it
