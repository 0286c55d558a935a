"""Questions the thirteenth trial saw taken for complaints, over real HTTP: a late birth certificate's fine, who gets
PKH and when it is paid, a lost family card and Kartu Prakerja are answered from the FAQ and file nothing, while the
complaints that use the same words still start a report."""

from __future__ import annotations

import aiohttp
import pytest

from tests.core.test_conversations import tickets_of

# `svc` is the service on a settable `clock` (Monday 7 December 2026)
from tests.core.test_eighth_look import clock, svc  # noqa: F401
from tests.core.test_flows import TICKET, enrol
from tests.harness import mailbox, payloads, say, texts, wait_for


@pytest.mark.parametrize(("sender", "text", "answer"), [
    ("q1", "akta kelahiran anak sy telat 2 thn, kena denda gk?", "denda keterlambatan diatur peraturan daerah"),
    ("q2", "bansos PKH ki sing oleh sopo wae?", "DTSEN"),
    ("q3", "PKH kapan cair", "dicairkan bertahap"),
    ("q4", "pkh kapan cairnya pak", "dicairkan bertahap"),
    ("q5", "KK hilang", "KK yang hilang atau rusak dicetak ulang"),
    ("q6", "kartu keluarga saya hilang, bikin lagi gimana?", "KK yang hilang atau rusak dicetak ulang"),
    ("q7", "daftar kartu prakerja", "prakerja.go.id"),
    ("q8", "cara daftar prakerja gimana min", "prakerja.go.id"),
])
async def test_a_question_is_answered_from_the_faq_and_nothing_is_filed(svc, http, sender, text, answer):  # noqa: F811
    said = texts(await say(http, svc.url, sender, text))
    assert answer in said, said
    assert "Apakah sudah benar" not in said and "Di mana lokasinya" not in said, said
    assert await tickets_of(svc, sender) == []


@pytest.mark.parametrize(("sender", "text"), [
    ("c1", "akta kelahiran anak saya sudah sebulan belum jadi, padahal berkas lengkap"),
    ("c2", "PKH saya sudah 2 tahap tidak cair padahal masih terdaftar di desa sumberejo"),
    ("c3", "bansos salah sasaran, tetangga saya yang kaya malah dapat pkh"),
    ("c4", "urus KK di dispendukcapil sudah 3 bulan belum jadi juga"),
])
async def test_the_complaints_with_the_same_words_still_start_a_report(svc, http, sender, text):  # noqa: F811
    said = texts(await say(http, svc.url, sender, text))
    assert "dicetak ulang" not in said and "prakerja.go.id" not in said, said
    assert not TICKET.search(said), said  # asked for the place or to confirm: a report has begun
    assert "lokasi" in said.lower() or "Apakah sudah benar" in said or "Di mana" in said, said


# --- a question no FAQ answers goes to the office that can (SP4N-LAPOR!'s "permintaan informasi") ----------------
RUSUNAWA = "apakah ada program rusunawa untuk warga tahun ini?"
IJAZAH = ("Selamat pagi, Mohon dibantu, mengenai pembuatan surat keterangan pengganti ijazah yang hilang apakah bisa "
          "diwakilkan? karena saya berada di luar kota. Mohon informasinya, terima kasih.")


async def test_a_question_no_faq_answers_is_asked_of_the_office_and_its_answer_comes_back(svc, http):  # noqa: F811
    await enrol(http, svc, "perkim-q", opd="disperkim")
    replies = await say(http, svc.url, "tq1", RUSUNAWA)
    said, offered = texts(replies), payloads(replies)
    assert "belum ada di layanan ini" in said and "/tanyakan disperkim" in offered, (said, offered)
    assert "/tanyakan lainnya" in offered and "belum memahami" not in said
    assert await tickets_of(svc, "tq1") == []  # nothing is filed before the resident chooses
    said = texts(await say(http, svc.url, "tq1", "/tanyakan disperkim"))
    [number] = TICKET.findall(said)
    assert "pertanyaan Anda sudah diteruskan" in said and "Perumahan" in said, said  # Disperkim's full name
    [ticket] = await tickets_of(svc, "tq1")
    assert ticket.opd_id == "disperkim" and ticket.extra.get("request") == "informasi" and ticket.location is None
    said = texts(await say(http, svc.url, "tq1", f"/status {number}"))
    assert "pertanyaan (permintaan informasi)" in said, said
    card = await wait_for(lambda: _said(svc, "perkim-q", "Pertanyaan warga"))
    assert number in card and RUSUNAWA in card, card
    await say(http, svc.url, "perkim-q", f"/balas {number} Ada pak, pendaftaran lewat kantor desa bulan Januari.")
    await wait_for(lambda: _said(svc, "tq1", "pendaftaran lewat kantor desa"))
    await say(http, svc.url, "perkim-q", f"/selesai {number} Sudah dijawab.")
    done = await wait_for(lambda: _said(svc, "tq1", "ditandai sudah dijawab"))
    assert "Apakah pertanyaan Anda sudah terjawab?" in done and "Sudah beres?" not in done, done


async def test_a_question_shaped_report_can_still_be_a_complaint(svc, http):  # noqa: F811
    replies = await say(http, svc.url, "tq2", IJAZAH)
    said, offered = texts(replies), payloads(replies)
    assert "berupa pertanyaan" in said and "/tanyakan aduan" in offered, (said, offered)
    said = texts(await say(http, svc.url, "tq2", "ini aduan"))  # typed instead of tapped
    assert "Kami belum yakin dinas mana" in said, said  # the complaint steps, from the topic
    assert await tickets_of(svc, "tq2") == []


async def test_the_office_typed_by_its_place_in_the_list_or_other_for_the_operators(svc, http):  # noqa: F811
    await enrol(http, svc, "op-q", role="operator", opd=None)
    replies = await say(http, svc.url, "tq3", RUSUNAWA)
    other = payloads(replies).index("/tanyakan lainnya") + 1
    said = texts(await say(http, svc.url, "tq3", str(other)))
    assert "Petugas kami akan meneruskannya ke dinas yang tepat" in said, said
    [ticket] = await tickets_of(svc, "tq3")
    assert ticket.opd_id is None and ticket.status == "triase"
    await wait_for(lambda: _said(svc, "op-q", ticket.number))
    await say(http, svc.url, "tq4", RUSUNAWA)
    said = texts(await say(http, svc.url, "tq4", "1"))
    [ticket] = await tickets_of(svc, "tq4")
    assert ticket.opd_id == "disperkim" and "pertanyaan Anda sudah diteruskan" in said, said


async def test_asking_without_a_question_yet_gets_the_question_prompt(svc, http):  # noqa: F811
    said = texts(await say(http, svc.url, "tq5", "mau tanya dong min"))
    assert "Silakan tulis pertanyaan Anda" in said, said
    said = texts(await say(http, svc.url, "tq5", "/tanyakan lainnya"))
    assert "Tidak ada pertanyaan yang menunggu" in said and await tickets_of(svc, "tq5") == [], said


async def test_a_question_already_written_after_mau_tanya_is_not_asked_for_again(svc, http):  # noqa: F811
    said = texts(await say(http, svc.url, "tq6", "mau tanya, rekrutmen PPPK tahun ini kapan dibuka?"))
    assert "Silakan tulis pertanyaan Anda" not in said and "dinas yang berwenang" in said, said


async def test_staff_questions_are_not_offered_to_an_office(svc, http):  # noqa: F811
    await enrol(http, svc, "pupr-q")
    said = texts(await say(http, svc.url, "pupr-q", RUSUNAWA))
    assert "dinas yang berwenang" not in said, said
    said = texts(await say(http, svc.url, "pupr-q", "/tanyakan lainnya"))
    assert "Pertanyaan warga" not in said and "pertanyaan Anda sudah" not in said, said


async def _said(svc, who: str, words: str) -> str:  # noqa: F811
    said = "\n".join(m.get("text", "") for m in await mailbox(svc.store, f"webchat:{who}"))
    return said if words in said else ""


async def test_a_question_reaches_lapor_titled_as_a_request_for_information(tmp_path, nlu_model_path, http):
    from tests.fakes.lapor import FakeLapor
    from tests.harness import running_service
    from tests.integrations.test_lapor import API_KEY, TOKEN, lapor_settings, pushed

    async with FakeLapor(token=TOKEN, api_key=API_KEY, seed=3) as fake, \
            running_service(lapor_settings(tmp_path, fake)) as service:
        await say(http, service.url, "tq7", RUSUNAWA)
        said = texts(await say(http, service.url, "tq7", "/tanyakan disperkim"))
        [number] = TICKET.findall(said)
        await pushed(service, number)
        [complaint] = fake.by_reference(number)
        assert complaint.one("title") == f"Permintaan informasi: {RUSUNAWA[0].upper()}{RUSUNAWA[1:]}", \
            complaint.one("title")
        assert complaint.one("content") == RUSUNAWA and complaint.one("location") == ""


async def test_the_desk_shows_a_question_as_one(svc, http):  # noqa: F811
    from tests.security.test_hostile_clients import bearer, staff_session

    await say(http, svc.url, "tq8", RUSUNAWA)
    [number] = TICKET.findall(texts(await say(http, svc.url, "tq8", "/tanyakan disperkim")))
    async with aiohttp.ClientSession() as browser:
        _, staff = await staff_session(browser, svc, "operator")
        async with browser.get(f"{svc.url}/desk/tiket/{number}", headers=bearer(staff)) as resp:
            page = await resp.text()
        assert resp.status == 200 and "pertanyaan (permintaan informasi)" in page, page[:500]
        async with browser.get(f"{svc.url}/desk/tiket", headers=bearer(staff)) as resp:
            listing = await resp.text()
        assert number in listing and "pertanyaan (permintaan informasi)" in listing


async def test_a_question_said_outright_is_offered_as_one_even_when_a_topic_fits(svc, http):  # noqa: F811
    text = "Maaf mau tanya. Apakah dana desa bisa di gunakan buat pembangunan masjid?"
    replies = await say(http, svc.url, "tq9", text)
    said, offered = texts(replies), payloads(replies)
    assert "berupa pertanyaan" in said and offered[0].startswith("/tanyakan ") and "/tanyakan aduan" in offered, \
        (said, offered)
    said = texts(await say(http, svc.url, "tq9", "batal"))  # "batal" at the offer: nothing is passed on
    assert "tidak kami teruskan" in said and await tickets_of(svc, "tq9") == [], said
    said = texts(await say(http, svc.url, "tq9", "/tanyakan lainnya"))
    assert "Tidak ada pertanyaan yang menunggu" in said, said


async def test_a_question_routed_by_the_operators_is_still_shown_as_a_question(svc, http):  # noqa: F811
    await enrol(http, svc, "op-q2", role="operator", opd=None)
    await say(http, svc.url, "tq10", RUSUNAWA)
    [number] = TICKET.findall(texts(await say(http, svc.url, "tq10", "/tanyakan lainnya")))
    said = texts(await say(http, svc.url, "op-q2", f"/rute {number} disperkim"))
    [ticket] = await tickets_of(svc, "tq10")
    assert ticket.opd_id == "disperkim", said
    said = texts(await say(http, svc.url, "tq10", f"/status {number}"))
    assert "pertanyaan (permintaan informasi)" in said, said
