"""Turns found by a third exploratory session on the service's defaults, each through the real REST endpoint: a
danger that is over is no emergency, an emergency report the resident says is not one is withdrawn and filed as an
ordinary complaint, later complaints are not glued to an emergency or to a finished ticket of another agency, numbers
and coordinates reach a waiting officer, a place in capitals, the officers' latest word in the status, where a
complaint is reported, FAQ buttons with names, the reply language kept at the place step, and /tanggapi on a ticket
that is not the sender's.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.core.test_conversations import tickets_of
from tests.core.test_flows import TICKET, enrol, file_complaint
from tests.harness import mailbox, make_settings, payloads, running_service, say, texts, wait_for


@pytest.fixture
async def svc(tmp_path: Path, nlu_model_path: Path):
    async with running_service(make_settings(tmp_path)) as service:
        yield service


async def mail_with(svc, sender: str, words: str) -> list[dict]:
    return [m for m in await mailbox(svc.store, sender) if words in m["text"]]


async def fire_reported_and_done(http, svc, sender: str) -> str:
    """A real fire reported, its place and photo skipped: the emergency's own steps are over. Gives its number."""
    replies = await say(http, svc.url, sender, "tolong ada kebakaran di gudang dekat pasar Sooko, api sudah besar")
    number = TICKET.search(texts(replies)).group(0)
    await say(http, svc.url, sender, "btn:skip")
    await say(http, svc.url, sender, "btn:skip")
    return number


@pytest.mark.parametrize("text", [
    "rumah saya kebakaran bulan lalu, sampai sekarang bantuan dari dinsos belum cair",
    "minggu lalu ada kecelakaan parah di perempatan Sooko karena lampu lalu lintas mati, tolong lampunya diperbaiki",
    "tahun lalu rumah nenek saya terbakar, kapan dapat bantuan bedah rumah?",
])
async def test_a_danger_that_is_over_is_an_ordinary_complaint(svc, http, text):
    replies = await say(http, svc.url, "lalu", text)
    assert "112" not in texts(replies) and not TICKET.search(texts(replies)), texts(replies)
    assert await tickets_of(svc, "lalu") == []


async def test_a_long_report_about_a_road_that_mentions_a_washout_is_no_emergency(svc, http):
    text = ("Selamat siang, saya warga Desa Sooko ingin melaporkan jalan desa yang rusak parah sejak awal tahun. "
            "Jalan sepanjang kurang lebih 500 meter dari balai desa sampai makam berlubang di banyak titik, "
            "tiap hujan timbunannya hanyut lagi dan aspalnya mengelupas sehingga motor warga sering jatuh. "
            "Sudah pernah diurug swadaya tapi tidak bertahan lama. Mohon jalan ini diperbaiki oleh dinas terkait.")
    replies = await say(http, svc.url, "panjang", text)
    assert "112" not in texts(replies) and "btn:yes" in payloads(replies), texts(replies)
    assert "Dinas PUPR" in texts(replies)


@pytest.mark.parametrize(("text", "opd"), [
    ("tolong ada kebakaran di gudang dekat pasar Sooko, api sudah besar", "damkar"),
    ("bulan lalu sudah dilaporkan, sekarang tanggul jebol lagi, air masuk rumah setinggi dada", "bpbd"),
])
async def test_a_real_emergency_is_still_one(svc, http, text, opd):
    replies = await say(http, svc.url, "api", text)
    assert "112" in replies[0]["text"]
    [ticket] = await tickets_of(svc, "api")
    assert ticket.priority == "darurat" and ticket.opd_id == opd


async def test_a_later_complaint_that_says_not_an_emergency_never_withdraws_a_real_one(svc, http):
    number = await fire_reported_and_done(http, svc, "api2")
    replies = await say(http, svc.url, "api2", "ini bukan darurat, tapi lampu jalan di depan balai desa mati semua")
    assert "tarik" not in texts(replies), texts(replies)
    assert (await svc.store.get_ticket(number)).status == "baru"


async def test_not_an_emergency_after_all_withdraws_it_and_files_an_ordinary_complaint(svc, http):
    await enrol(http, svc, "damkar-x", opd="damkar")
    await enrol(http, svc, "ajudan-x", role="regent", opd=None)
    replies = await say(http, svc.url, "salah", "rumah saya kebakaran, bantuan dari dinsos belum cair sampai sekarang")
    number = TICKET.search(texts(replies)).group(0)
    assert (await svc.store.get_ticket(number)).priority == "darurat"
    replies = await say(http, svc.url, "salah", "bukan darurat pak, kebakarannya sudah lama, saya mau tanya bantuannya")
    assert "tarik dari jalur darurat" in texts(replies), texts(replies)
    ticket = await svc.store.get_ticket(number)
    assert ticket.status == "ditutup" and ticket.location is None  # not taken as the place
    assert [e.kind for e in await svc.store.ticket_events(number, "retracted")] == ["retracted"]
    assert await wait_for(lambda: mail_with(svc, "webchat:damkar-x", "bukan keadaan darurat"))
    assert await wait_for(lambda: mail_with(svc, "webchat:ajudan-x", "bukan keadaan darurat"))
    # The same words now go through the ordinary steps: a topic to confirm or choose, not another emergency.
    assert "btn:yes" in payloads(replies) or "topic:lainnya" in payloads(replies), texts(replies)
    assert len(await tickets_of(svc, "salah")) == 1


async def test_cancel_during_an_emergency_says_the_report_stays(svc, http):
    replies = await say(http, svc.url, "batal-d", "tolong ada kebakaran di gudang, api sudah besar")
    number = TICKET.search(texts(replies)).group(0)
    replies = await say(http, svc.url, "batal-d", "batal")
    assert number in texts(replies) and "tetap kami tangani" in texts(replies), texts(replies)
    assert (await svc.store.get_ticket(number)).status == "baru"


async def test_a_new_complaint_after_an_emergency_is_not_glued_to_it(svc, http):
    number = await fire_reported_and_done(http, svc, "dua")
    replies = await say(http, svc.url, "dua", "sampah di TPS Desa Sooko tidak diangkut seminggu, baunya menyengat")
    assert "menunggu jawaban" not in texts(replies) and "btn:yes" in payloads(replies), texts(replies)
    replies = await say(http, svc.url, "dua", "oh iya satu lagi, lampu jalan di Desa Sooko mati semua sejak seminggu")
    assert await svc.store.ticket_events(number, "message_in") == []


async def test_a_complaint_about_another_agency_does_not_reopen_a_finished_ticket(svc, http):
    await enrol(http, svc, "pupr-fin")
    number = await file_complaint(http, svc.url, "fin")
    await say(http, svc.url, "pupr-fin", f"/selesai {number} sudah diaspal")
    replies = await say(http, svc.url, "fin", "sampah di TPS Desa Sooko tidak diangkut seminggu, baunya menyengat")
    assert "buka kembali" not in texts(replies), texts(replies)
    assert (await svc.store.get_ticket(number)).status == "selesai"
    assert "*DLH*" in texts(replies)  # the garbage complaint starts on its own
    await say(http, svc.url, "fin", "batal")
    replies = await say(http, svc.url, "fin", "jalannya masih rusak pak, lubangnya muncul lagi")
    assert "buka kembali" in texts(replies) and (await svc.store.get_ticket(number)).status == "diproses"


@pytest.mark.parametrize("answer", ["200-300", "-7.5521, 112.4367"])
async def test_numbers_and_coordinates_reach_the_officer_who_asked(svc, http, answer):
    await enrol(http, svc, "pupr-angka")
    number = await file_complaint(http, svc.url, "angka")
    await say(http, svc.url, "pupr-angka", f"/balas {number} Berapa panjang kerusakannya, dan di titik mana?")
    replies = await say(http, svc.url, "angka", answer)
    assert "emoji" not in texts(replies) and number in texts(replies), texts(replies)
    assert [e.text for e in await svc.store.ticket_events(number, "message_in")] == [answer]


async def test_typed_coordinates_at_the_location_step_are_a_pin(svc, http):
    await say(http, svc.url, "pin", "jalan di desa Sooko rusak parah banyak lubang")
    await say(http, svc.url, "pin", "btn:yes")
    replies = await say(http, svc.url, "pin", "-7.552100, 112.436700")
    assert "btn:skip" in payloads(replies), texts(replies)
    for message in ("lewati", "privacy:publik", "btn:send"):
        await say(http, svc.url, "pin", message)
    [ticket] = await tickets_of(svc, "pin")
    # the pin, with the place the report names in words (offered at the step and not denied)
    assert ticket.location == {"latitude": -7.5521, "longitude": 112.4367, "address": "desa Sooko"}


async def test_a_thumbs_up_is_thanked_and_other_emoji_asked_for_words(svc, http):
    await say(http, svc.url, "jempol", "syarat bikin ktp apa ya?")  # an answer first: then 👍 thanks for it
    assert "Sama-sama" in texts(await say(http, svc.url, "jempol", "👍🏽"))
    assert "emoji" in texts(await say(http, svc.url, "jempol", "😡😡"))


async def test_a_report_in_capitals_offers_only_the_place_it_names(svc, http):
    await say(http, svc.url, "kapital", "JALAN DESA TROWULAN RUSAK PARAH!!! SUDAH 2 BULAN TIDAK DIPERBAIKI")
    replies = await say(http, svc.url, "kapital", "btn:yes")
    assert "*DESA TROWULAN*" in texts(replies) and "RUSAK PARAH*" not in texts(replies), texts(replies)


async def test_the_status_shows_the_note_that_finished_the_ticket(svc, http):
    await enrol(http, svc, "pupr-cat")
    number = await file_complaint(http, svc.url, "catatan")
    await say(http, svc.url, "pupr-cat", f"/balas {number} Lubang di titik mana persisnya?")
    await say(http, svc.url, "pupr-cat", f"/selesai {number} Lubang sudah ditambal dan diaspal ulang")
    replies = await say(http, svc.url, "catatan", f"/status {number}")
    assert "Lubang sudah ditambal" in texts(replies) and "titik mana" not in texts(replies), texts(replies)


@pytest.mark.parametrize(("question", "opd"), [
    ("kalau ada jalan rusak lapornya kemana ya?", "Dinas PUPR"),
    ("where do I report a broken street light?", "Dishub"),
    ("sampah numpuk, ngadu ke siapa?", "DLH"),  # the NLU reads both as the complaint itself, not a question
])
async def test_where_to_report_is_answered_with_the_office_and_the_way_to_report(svc, http, question, opd):
    replies = await say(http, svc.url, "kemana", question)
    assert opd in texts(replies) and "/aduan" in payloads(replies), texts(replies)


def test_every_faq_has_a_short_name_for_its_button():
    from bot.settings import ROOT
    from bot.texts import Texts
    from nlu.responses import load_responses

    names = {k.split("/", 1)[1] for k in load_responses(ROOT / "nlu" / "data")}
    titles = Texts.load(ROOT / "content" / "texts")
    assert names and sorted(n for n in names if not titles.has(f"faq_title_{n}")) == []
    for name in names:
        for lang in ("id", "en"):
            assert len(titles.get(f"faq_title_{name}", lang)) <= 20, (name, lang)


async def test_the_reply_language_stays_at_the_place_step(svc, http):
    await say(http, svc.url, "lang-id", "min lampu jalan di depan masjid mati sudah seminggu")
    await say(http, svc.url, "lang-id", "btn:yes")
    replies = await say(http, svc.url, "lang-id", "Jalan Veteran, Desa Sooko, in front of the market")
    assert "foto" in texts(replies).lower(), texts(replies)
    replies = await say(http, svc.url, "lang-en", "the road in my village is badly broken with many potholes")
    assert "btn:yes" in payloads(replies), texts(replies)
    await say(http, svc.url, "lang-en", "btn:yes")
    replies = await say(http, svc.url, "lang-en", "Jalan Veteran, Desa Sooko, Kecamatan Sooko, depan pasar")
    assert "photo" in texts(replies).lower(), texts(replies)


async def test_only_the_reporter_is_asked_for_an_answer_on_a_ticket(svc, http):
    number = await file_complaint(http, svc.url, "pemilik")
    replies = await say(http, svc.url, "orang-lain", f"/tanggapi {number}")
    assert "tulis tanggapan" not in texts(replies).lower(), texts(replies)
    state = (await svc.store.get_conversation("webchat:orang-lain")).state
    assert "reply_ticket" not in state


@pytest.mark.parametrize("number", ["3515012345670001", "0812 3456 7890"])
async def test_a_nik_or_phone_number_alone_is_told_it_is_not_needed(svc, http, number):
    replies = await say(http, svc.url, "nik", number)
    assert "tidak diperlukan" in texts(replies), texts(replies)


async def test_a_forgotten_ticket_number_is_answered_with_the_residents_tickets(svc, http):
    number = await file_complaint(http, svc.url, "lupa")
    replies = await say(http, svc.url, "lupa", "saya lupa nomor tiketnya pak")
    assert number in texts(replies), texts(replies)


async def test_help_names_letters_and_the_letter_example_starts_one(svc, http):
    replies = await say(http, svc.url, "bantu", "bantuan")
    assert "surat pengantar" in texts(replies)
    replies = await say(http, svc.url, "bantu", "minta surat pengantar SKCK")
    assert "SKCK" in texts(replies) and (await svc.store.get_conversation("webchat:bantu")).state.get("flow"), \
        texts(replies)


async def test_a_second_problem_for_another_agency_is_offered_as_its_own_complaint(svc, http):
    text = "jalan di desa Sooko rusak parah banyak lubang dan lampu jalan di perempatan desa mati semua sejak seminggu"
    replies = await say(http, svc.url, "dua-masalah", text)
    # Two agencies' matters: the bot is unsure and offers both; the resident picks the road first.
    assert {"topic:aduan_jalan_rusak", "topic:aduan_lampu_jalan"} <= set(payloads(replies)), texts(replies)
    replies = await say(http, svc.url, "dua-masalah", "dua duanya pak")
    assert "satu per satu" in texts(replies) and "topic:aduan_lampu_jalan" in payloads(replies), texts(replies)
    for message in ("topic:aduan_jalan_rusak", "Desa Sooko RT 02 RW 01", "lewati", "privacy:publik"):
        replies = await say(http, svc.url, "dua-masalah", message)
    replies = await say(http, svc.url, "dua-masalah", "btn:send")
    assert "masalah lain" in texts(replies) and "btn:also" in payloads(replies), texts(replies)
    replies = await say(http, svc.url, "dua-masalah", "btn:also")
    assert "Dishub" in texts(replies) and "btn:yes" in payloads(replies), texts(replies)
    replies = await say(http, svc.url, "dua-masalah", "btn:yes")  # the place is known: the photo is next
    assert "btn:skip" in payloads(replies), texts(replies)
    for message in ("lewati", "privacy:publik", "btn:send"):
        await say(http, svc.url, "dua-masalah", message)
    first, second = sorted(await tickets_of(svc, "dua-masalah"), key=lambda t: t.number)
    assert (first.opd_id, second.opd_id) == ("dinas-pupr", "dishub")
    assert second.location == first.location and second.text == text


async def test_one_problem_in_one_message_gets_no_second_offer(svc, http):
    await file_complaint(http, svc.url, "satu-masalah",
                         "jalan di desa Sooko rusak parah banyak lubang. Sudah dua motor jatuh minggu ini.")
    assert "second_issue" not in (await svc.store.get_conversation("webchat:satu-masalah")).state


class _NluFailingOnParts:
    """The service's NLU, except that it fails (as a Rasa server that went away does) on any part of a message."""

    def __init__(self, inner, whole: str) -> None:
        self.inner, self.whole = inner, whole

    async def parse(self, text: str) -> dict:
        from bot.errors import RetryableError

        if text != self.whole and text in self.whole:
            raise RetryableError("Rasa server unreachable")
        return await self.inner.parse(text)

    async def close(self) -> None:
        await self.inner.close()


async def test_the_complaint_is_filed_even_when_the_second_problem_check_fails(tmp_path: Path, nlu_model_path: Path,
                                                                                http):
    from tests.harness import _shared_backend

    text = "jalan di desa Sooko rusak parah banyak lubang dan lampu jalan di perempatan desa mati semua sejak seminggu"
    settings = make_settings(tmp_path)
    async with running_service(settings, nlu=_NluFailingOnParts(_shared_backend(settings), text)) as svc:
        await say(http, svc.url, "gagal-nlu", text)
        for message in ("topic:aduan_jalan_rusak", "Desa Sooko RT 02 RW 01", "lewati", "privacy:publik"):
            await say(http, svc.url, "gagal-nlu", message)
        replies = await say(http, svc.url, "gagal-nlu", "btn:send")
        assert TICKET.search(texts(replies)) and "masalah lain" not in texts(replies), texts(replies)
        assert len(await tickets_of(svc, "gagal-nlu")) == 1
