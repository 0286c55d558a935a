"""The twenty-ninth trial: a repair done by half, "nobody came" though it says done, a rating in words with a comment,
"bisa minta bukti laporannya?", a place typed with "sebenarnya lokasinya di …" or "actually it's in …", the public
asking for the figures and to see others' complaints, "nama saya jangan dikasih tau ke petugas" and "maaf salah pak,
bukan jalan tapi jembatannya" after sending, "sudah lewat batas waktu, siapa yang tanggung jawab?", "terus saya harus
gimana?", "pesan saya ke bupati sudah dibaca belum?", "kantor bupati dimana?", a family without food, how a letter is
had and how long it takes, a suggestion, "sambungkan ke petugas" and a complaint about the officer after filing, "iya
pak tidak apa-apa" to an apology, "I lost my complaint number"; an officer answering a low rating, asking for a photo or
the address from "the reporter" without naming one, reporting a problem of their own, and writing in English; the
operator asking who the staff are and to remove one; the regent asking which village has the most complaints and to
compare with last month. Over real HTTP on a settable clock.

Each was wrong before: "baru setengah yang ditambal pak, yang dekat masjid belum" to "Sudah beres?" began a new
complaint (topics to pick from), and "statusnya selesai tapi belum ada yang datang ke lokasi" was read as another
matter, "Pindah datang penduduk"; "lumayan lah pak, agak lama tapi" to the rating question began a complaint; "bisa
minta bukti laporannya pak?" was offered to an office as a question; "sebenarnya lokasinya di desa puri" and "actually
it's in puri village" were kept whole as the place; "berapa aduan yang sudah masuk bulan ini?" got the status FAQ,
"dinas mana yang paling lambat?" began a complaint, and "dimana saya bisa lihat aduan warga lain?" was answered as
someone from another regency; "nama saya jangan dikasih tau ke petugas" was offered to the officer as more words, and
"maaf salah pak, bukan jalan tapi jembatannya yang rusak" began a second complaint; "sudah lewat batas waktu, siapa yang
tanggung jawab?" began a complaint, "terus saya harus gimana?" got FAQs on job cards and permits, "pesan saya ke bupati
sudah dibaca belum ya?" was offered to the regent as a new message, and "kantor bupati dimana?" got FAQs on opening
hours and vehicle tax; "saya tidak punya uang untuk makan …" got three unrelated topics; "surat pengantar skck gimana
caranya?" and "berapa lama surat jadi?" got FAQs on SKTM and moving house; a suggestion's topic question said "Aduan
Anda"; "sambungkan ke petugas sekarang" and "jawabannya kok gitu pak, tidak sopan" after filing were passed to the
officer (the second to the officer it is about); "iya pak tidak apa-apa" and "I lost my complaint number" were not
understood; the officer's "mohon maaf atas keterlambatannya pak" after a low rating was not sent, "tolong minta foto
lokasinya ke pelapor" was offered to the reporter word for word, "… alamat lengkapnya ke pelapor" got the answer on the
reporter's phone number, "saya mau lapor lampu jalan mati di depan rumah saya" got "not sent to anyone" and the help,
"show me my open complaints" and "close WRG-… fixed yesterday" were offered only as answers; the operator's "petugas
pupr siapa saja?" and "hapus akun petugas …" got the help, "berapa petugas yang aktif?" the residents' FAQs; the
regent's "desa mana yang paling banyak aduannya?" and "bandingkan dengan bulan lalu" got the help, "aduan di kecamatan
mana yang paling banyak?" the topics.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta
from pathlib import Path

import pytest

from actions import complaint, report_card, resident
from bot.store.base import Changes
from tests.core.test_eighth_look import Clock, clock, svc  # noqa: F401
from tests.core.test_flows import enrol, file_complaint
from tests.harness import mailbox, make_settings, payloads, running_service, say, texts, wait_for


# --- residents ------------------------------------------------------------------------------------------------
async def test_a_repair_done_by_half_reopens_the_complaint_with_those_words(svc, http):  # noqa: F811
    await enrol(http, svc, "petugas-y1")
    number = await file_complaint(http, svc.url, "warga-y1")
    await say(http, svc.url, "petugas-y1", f"/selesai {number} sudah ditambal")
    said = texts(await say(http, svc.url, "warga-y1", "baru setengah yang ditambal pak, yang dekat masjid belum"))
    assert number in said and "Kami belum yakin" not in said, said
    ticket = await svc.store.get_ticket(number)
    assert ticket.status not in ("selesai", "ditutup"), ticket.status
    assert await wait_for(lambda: _heard(svc, "petugas-y1", "yang dekat masjid belum"))
    assert resident.starts_not_yet("only half of it was fixed")
    assert not resident.starts_not_yet("yang dekat masjid sudah bagus")


async def test_a_rating_in_words_with_a_comment(svc, http):  # noqa: F811
    await enrol(http, svc, "petugas-y2")
    number = await file_complaint(http, svc.url, "warga-y2")
    await say(http, svc.url, "petugas-y2", f"/selesai {number} sudah ditambal")
    replies = await say(http, svc.url, "warga-y2", "sudah pak, makasih")
    assert f"nilai:{number}:5" in payloads(replies), texts(replies)
    said = texts(await say(http, svc.url, "warga-y2", "lumayan lah pak, agak lama tapi"))
    assert "3/5" in said and "Kami belum yakin" not in said, said
    ticket = await svc.store.get_ticket(number)
    assert ticket.rating == 3 and "agak lama" in (ticket.rating_comment or ""), (ticket.rating, ticket.rating_comment)
    assert resident.rating_led("bagus, tapi lama") == (4, "bagus, tapi lama")
    assert resident.rating_led("jalan masih rusak, tolong") is None
    assert resident.rating_in("bagus tapi lama") is None  # (only an answer to the rating question is read so)


async def test_proof_of_the_report_is_its_number(svc, http):  # noqa: F811
    said = texts(await say(http, svc.url, "warga-y3", "bisa minta bukti laporannya pak?"))
    assert "bukti laporan Anda" not in said  # no complaint yet: nothing to prove
    number = await file_complaint(http, svc.url, "warga-y3")
    said = texts(await say(http, svc.url, "warga-y3", "bisa minta bukti laporannya pak?"))
    assert "bukti laporan Anda" in said and number in said and "diteruskan" not in said.split("\n")[0], said


async def test_words_that_open_a_typed_place_are_not_kept_in_it(svc, http):  # noqa: F811
    for who, place, kept in (("warga-y4", "sebenarnya lokasinya di desa puri dekat masjid", "desa puri dekat masjid"),
                             ("warga-y5", "actually it's in puri village, near the mosque",
                              "puri village, near the mosque")):
        await say(http, svc.url, who, "jalan rusak parah")
        await say(http, svc.url, who, "ya")
        replies = await say(http, svc.url, who, place)
        assert "btn:skip" in payloads(replies), texts(replies)  # the photo step: the place was taken
        for answer in ("lewati", "publik"):
            said = texts(await say(http, svc.url, who, answer))
        assert f": {kept}\n" in said, said
    assert complaint.without_krama_lead("tempat pemakaman umum desa sooko") == "tempat pemakaman umum desa sooko"


async def test_the_public_asks_for_the_figures(svc, http):  # noqa: F811
    for asked in ("berapa aduan yang sudah masuk bulan ini?", "dinas mana yang paling lambat?"):
        said = texts(await say(http, svc.url, "warga-y6", asked))
        assert "PPID" in said and "Kami belum yakin" not in said, said
    assert (await _state(svc, "warga-y6")).get("flow") is None
    number = await file_complaint(http, svc.url, "warga-y6")
    said = texts(await say(http, svc.url, "warga-y6", "berapa aduan saya?"))  # their own: listed
    assert number in said and "PPID" not in said, said


@pytest.fixture
async def open_svc(tmp_path: Path, nlu_model_path: Path, clock: Clock):  # noqa: F811
    async with running_service(make_settings(tmp_path, WARGA_PUBLIC_PAGE="yes"), clock=clock) as service:
        yield service


async def test_the_figures_with_the_public_page_on(open_svc, http):
    await file_complaint(http, open_svc.url, "warga-y7")
    said = texts(await say(http, open_svc.url, "warga-y8", "berapa aduan yang sudah masuk bulan ini?"))
    assert "1 aduan masuk" in said and "/transparansi" in said and "PPID" not in said, said


async def test_hiding_the_name_and_fixing_the_topic_after_sending(svc, http):  # noqa: F811
    number = await file_complaint(http, svc.url, "warga-y9")
    said = texts(await say(http, svc.url, "warga-y9", "tolong nama saya jangan dikasih tau ke petugas ya pak"))
    assert "*Anonim*" in said, said
    assert (await svc.store.get_ticket(number)).privacy == "anonim"
    number = await file_complaint(http, svc.url, "warga-y10")
    replies = await say(http, svc.url, "warga-y10", "maaf salah pak, bukan jalan tapi jembatannya yang rusak")
    assert "*Jembatan rusak*" in texts(replies) and "btn:topic_fix" in payloads(replies), texts(replies)
    await say(http, svc.url, "warga-y10", "btn:topic_fix")
    assert (await svc.store.get_ticket(number)).topic == "aduan_jembatan"
    assert complaint.after_lead("bukan ", "jalan tapi jembatannya") == "jembatannya"


async def test_past_the_deadline_and_what_now(svc, http, clock):  # noqa: F811
    number = await file_complaint(http, svc.url, "warga-y11")
    said = texts(await say(http, svc.url, "warga-y11", "terus saya harus gimana?"))
    assert "tidak perlu melakukan apa pun" in said and number in said and "Dinas PUPR" in said, said
    said = texts(await say(http, svc.url, "warga-y11", "what should I do now?"))
    assert "nothing more you need to do" in said and number in said, said
    clock.now += timedelta(days=20)
    said = texts(await say(http, svc.url, "warga-y11", "sudah lewat batas waktu, siapa yang tanggung jawab?"))
    assert number in said and "sudah lewat" in said and "Kami belum yakin" not in said, said
    assert not (await _state(svc, "warga-y11")).get("draft")
    said = texts(await say(http, svc.url, "warga-y11", "terus saya harus gimana?"))
    assert "Ombudsman" in said and number in said, said  # (the answer after an overdue status, from before)
    other = await file_complaint(http, svc.url, "warga-y16")
    clock.now += timedelta(days=20)
    said = texts(await say(http, svc.url, "warga-y16", "what should I do now?"))
    assert "past its deadline" in said and other in said and "Ombudsman" in said, said
    assert not resident.asks_what_now("jalan di desa puri rusak, terus gimana ini pak kok belum diperbaiki juga")


async def test_nobody_came_though_it_says_done_reopens_it(svc, http, clock):  # noqa: F811
    await enrol(http, svc, "petugas-y17")
    number = await file_complaint(http, svc.url, "warga-y17")
    await say(http, svc.url, "petugas-y17", f"/selesai {number} sudah ditangani")
    clock.now += timedelta(days=2)
    said = texts(await say(http, svc.url, "warga-y17", "aduan saya statusnya selesai tapi belum ada yang datang ke "
                                                       "lokasi"))
    assert "buka kembali" in said and "Pindah datang" not in said, said
    assert (await svc.store.get_ticket(number)).status not in ("selesai", "ditutup")
    assert not resident.says_not_fixed("sudah ada yang datang kemarin, terima kasih")


async def test_others_reports_and_whether_the_regent_read_a_message(svc, http, open_svc):  # noqa: F811
    said = texts(await say(http, svc.url, "warga-y18", "dimana saya bisa lihat aduan warga lain?"))
    assert "hanya dapat dilihat pelapornya" in said and "kabupaten sebelah" not in said and "/transparansi" not in said
    said = texts(await say(http, open_svc.url, "warga-y18", "can I see other people's complaints?"))
    assert "/transparansi" in said, said
    for answer in ("/bupati", "pak bupati jalan desa kami rusak 2 tahun", "kirim"):
        said = texts(await say(http, svc.url, "warga-y19", answer))
    number = (await svc.store.recent_tickets("webchat:warga-y19", 1))[0].number
    replies = await say(http, svc.url, "warga-y19", "pesan saya ke bupati sudah dibaca belum ya?")
    assert number in texts(replies) and "btn:send" not in payloads(replies), texts(replies)
    assert len(await svc.store.recent_tickets("webchat:warga-y19", 5)) == 1


async def test_a_family_without_food_is_told_where_to_get_it_and_reported_as_urgent(svc, http):  # noqa: F811
    await enrol(http, svc, "bupati-y20", role="regent", opd=None)
    replies = await say(http, svc.url, "warga-y20", "saya tidak punya uang untuk makan, anak saya belum makan dari "
                                                    "kemarin")
    said = texts(replies)
    assert "kantor desa" in said and "Dinas Sosial" in said and "btn:yes" in payloads(replies), said
    for answer in ("ya", "dusun Krajan desa Puri rt 1", "lewati", "publik", "kirim"):
        said = texts(await say(http, svc.url, "warga-y20", answer))
    ticket = (await svc.store.recent_tickets("webchat:warga-y20", 1))[0]
    assert ticket.topic == "aduan_bansos" and ticket.priority == "darurat", (ticket.topic, ticket.priority)
    assert ticket.number in said
    assert await wait_for(lambda: _heard(svc, "bupati-y20", ticket.number))
    assert not complaint.hungry("saya belum makan siang pak, nanti saja")


async def test_how_a_letter_is_had_here_and_how_long_it_takes(svc, http):  # noqa: F811
    replies = await say(http, svc.url, "warga-y23", "surat pengantar skck gimana caranya?")
    said = texts(replies)
    assert "*Surat Pengantar SKCK*" in said and "3 hari kerja" in said and "/surat skck" in payloads(replies), said
    said = texts(await say(http, svc.url, "warga-y23", "/surat skck"))
    assert "Anda terdaftar sebagai warga desa/kelurahan mana?" in said, said
    await say(http, svc.url, "warga-y23", "batal")
    said = texts(await say(http, svc.url, "warga-y23", "berapa lama surat jadi?"))
    assert "Surat Keterangan Domisili: 2 hari kerja" in said, said
    said = texts(await say(http, svc.url, "warga-y23", "saya mau pindah domisili ke luar kota, surat pindahnya "
                                                       "bagaimana?"))  # moving house: Dukcapil's, the FAQ's
    assert "Surat Keterangan Domisili" not in said and "pindah" in said.lower(), said
    said = texts(await say(http, svc.url, "warga-y23", "syarat sktm apa saja?"))  # requirements: the FAQ's
    assert "hari kerja\n" not in said and "Ajukan" not in said, said


async def test_a_suggestion_is_called_one_at_its_topic_question(svc, http):  # noqa: F811
    await say(http, svc.url, "warga-y24", "usul pak")
    said = texts(await say(http, svc.url, "warga-y24", "sebaiknya di taman kota ditambah lampu dan tempat sampah"))
    assert "Usulan Anda tentang" in said and "Aduan Anda" not in said, said
    said = texts(await say(http, svc.url, "warga-y25", "saya mau usul, di alun-alun perlu ditambah toilet umum"))
    assert "usulan Anda" in said and "aduan Anda" not in said, said


async def test_a_complaint_about_the_officer_is_not_passed_to_that_officer(svc, http):  # noqa: F811
    await enrol(http, svc, "petugas-y26")
    number = await file_complaint(http, svc.url, "warga-y26")
    said = texts(await say(http, svc.url, "warga-y26", "saya tidak mau dengan bot, sambungkan ke petugas sekarang"))
    assert "petugas membalas langsung di chat ini" in said and "tambahan untuk aduan" not in said, said
    await say(http, svc.url, "petugas-y26", f"/balas {number} ya nanti kalau sempat kami cek")
    replies = await say(http, svc.url, "warga-y26", "jawabannya kok gitu pak, tidak sopan")
    said = texts(replies)
    assert "Mohon maaf atas ketidaknyamanan Anda" in said and "btn:send" in payloads(replies), said
    await say(http, svc.url, "warga-y26", "kirim")
    regent_messages = [t for t in await svc.store.recent_tickets("webchat:warga-y26", 5) if t.kind == "bupati"]
    assert regent_messages and number in regent_messages[0].text, regent_messages
    passed_on = await svc.store.ticket_events(number, "message_in")  # (what reaches its officers is recorded so)
    assert not any("tidak sopan" in (e.text or "") for e in passed_on), passed_on
    replies = await say(http, svc.url, "warga-y27", "petugas kecamatan tidak sopan waktu saya urus surat pindah")
    # (no complaint of theirs: a complaint)
    assert "Mohon maaf atas ketidaknyamanan Anda" not in texts(replies), texts(replies)


async def test_where_the_regents_office_is(svc, http):  # noqa: F811
    replies = await say(http, svc.url, "warga-y28", "kantor bupati dimana?")
    said = texts(replies)
    assert "Alamat kantor Bupati belum tercatat" in said and "(0321) 321 321" in said, said
    assert "/bupati" in payloads(replies) and not any(p.startswith("faq:") for p in payloads(replies))


# --- staff ----------------------------------------------------------------------------------------------------
async def test_an_officer_asks_for_a_photo_from_the_reporter_without_naming_one(svc, http):  # noqa: F811
    await enrol(http, svc, "petugas-y12")
    number = await file_complaint(http, svc.url, "warga-y12")
    await say(http, svc.url, "petugas-y12", f"/ambil {number}")
    replies = await say(http, svc.url, "petugas-y12", "tolong minta foto lokasinya ke pelapor")
    offered = [p for p in payloads(replies) if p.startswith(f"/balas {number} ")]
    assert offered and "ke pelapor" not in offered[0] and "foto" in offered[0], payloads(replies)
    await say(http, svc.url, "petugas-y12", offered[0])
    assert await wait_for(lambda: _heard(svc, "warga-y12", "foto kondisi di lokasi"))
    replies = await say(http, svc.url, "petugas-y12", "tolong minta alamat lengkapnya ke pelapor")
    assert any("titik lokasi" in p for p in payloads(replies)) and "Nomor pelapor" not in texts(replies), texts(replies)


async def test_an_officer_answers_a_low_rating_and_the_resident_accepts(svc, http, clock):  # noqa: F811
    await enrol(http, svc, "petugas-y29")
    number = await file_complaint(http, svc.url, "warga-y29")
    await say(http, svc.url, "petugas-y29", f"/selesai {number} sudah ditambal")
    clock.now += timedelta(hours=1)  # (the reporter rates later: words written after it was closed)
    for answer in ("sudah", "2", "lama sekali baru dikerjakan"):
        await say(http, svc.url, "warga-y29", answer)
    replies = await say(http, svc.url, "petugas-y29", "mohon maaf atas keterlambatannya pak")
    offered = [p for p in payloads(replies) if p.startswith(f"/balas {number} ")]
    assert offered, texts(replies)
    await say(http, svc.url, "petugas-y29", offered[0])
    assert await wait_for(lambda: _heard(svc, "warga-y29", "mohon maaf atas keterlambatannya"))
    said = texts(await say(http, svc.url, "warga-y29", "iya pak tidak apa-apa"))
    assert "belum memahami" not in said, said
    said = texts(await say(http, svc.url, "warga-y29", "I lost my complaint number"))
    assert number in said, said


async def test_an_officer_with_a_problem_of_their_own(svc, http):  # noqa: F811
    await enrol(http, svc, "petugas-y13")
    for asked in ("saya mau lapor lampu jalan mati di depan rumah saya di desa puri",
                  "bagaimana cara saya melapor sebagai warga?"):
        said = texts(await say(http, svc.url, "petugas-y13", asked))
        assert "jendela penyamaran" in said and "/antrian" not in said, said
    said = texts(await say(http, svc.url, "petugas-y13", "saya mau lapor ke bupati soal aduan jalan itu"))
    assert "jendela penyamaran" not in said, said
    assert await svc.store.recent_tickets("webchat:petugas-y13", 1) == []


async def test_the_operator_asks_who_the_staff_are_and_to_remove_one(svc, http):  # noqa: F811
    await enrol(http, svc, "operator-y14", role="operator", opd=None)
    await enrol(http, svc, "petugas-y14")
    for asked in ("petugas pupr siapa saja?", "berapa petugas yang aktif?"):
        said = texts(await say(http, svc.url, "operator-y14", asked))
        assert "Staf terdaftar" in said and "-y14" in said and "kode *" in said, said
    said = texts(await say(http, svc.url, "operator-y14", "hapus akun petugas y14"))
    assert "/cabut_akses KODE alasan" in said and "kode *" in said, said
    person = await svc.store.get_identity("webchat:petugas-y14")
    assert person is not None and person.role == "officer"  # nothing removed by words alone


async def test_an_officer_writing_in_english_and_the_regent_comparing_months(svc, http, clock):  # noqa: F811
    await enrol(http, svc, "petugas-y21")
    number = await file_complaint(http, svc.url, "warga-y21")
    replies = await say(http, svc.url, "petugas-y21", "show me my open complaints")
    assert number in texts(replies) and "/balas" not in " ".join(payloads(replies)), texts(replies)
    replies = await say(http, svc.url, "petugas-y21", f"close {number} fixed yesterday")
    assert any(p.startswith(f"/selesai {number}") for p in payloads(replies)), payloads(replies)
    await enrol(http, svc, "bupati-y21", role="regent", opd=None)
    clock.now += timedelta(days=30)  # (6 January: December is last month)
    await file_complaint(http, svc.url, "warga-y22")
    said = texts(await say(http, svc.url, "bupati-y21", "bandingkan dengan bulan lalu"))
    assert "Bulan ini (01-01 s.d. 06-01-2027): 1 ·" in said and "Bulan lalu (01-12 s.d. 31-12-2026): 1 ·" in said, said
    said = texts(await say(http, svc.url, "bupati-y21", "minggu ini dibanding minggu lalu gimana?"))
    assert "Minggu ini" in said and "Minggu lalu" in said, said


async def test_the_regent_asks_which_area_has_the_most_complaints(svc, http):  # noqa: F811
    await enrol(http, svc, "bupati-y15", role="regent", opd=None)
    await file_complaint(http, svc.url, "warga-y15")
    said = texts(await say(http, svc.url, "bupati-y15", "desa mana yang paling banyak aduannya?"))
    assert "belum ada yang desa/kelurahan-nya dikenali" in said and "/ringkasan" not in said, said
    tickets = await svc.store.recent_tickets("webchat:warga-y15", 1)
    placed = [replace(tickets[0], number=f"WRG-2612-09{n:02d}", version=0, location={"kecamatan": "Kota", "desa": desa})
              for n, desa in enumerate(("Sooko", "Sooko", "Puri"))]
    await svc.store.commit(Changes(tickets=placed))
    said = texts(await say(http, svc.url, "bupati-y15", "desa mana yang paling banyak aduannya?"))
    assert "1. Sooko: 2" in said and "2. Puri: 1" in said and "Tanpa desa/kelurahan" in said, said
    said = texts(await say(http, svc.url, "bupati-y15", "aduan di kecamatan mana yang paling banyak?"))
    assert "1. Kota: 3" in said and "Jalan rusak" not in said, said
    assert report_card.area_asked("which village has the most complaints?") == "desa"


async def _state(service, who: str) -> dict:
    conversation = await service.store.get_conversation(f"webchat:{who}")
    return conversation.state if conversation is not None else {}


async def _heard(service, who: str, words: str) -> bool:
    return any(words in item["text"] for item in await mailbox(service.store, f"webchat:{who}"))
