"""Turns from the twelfth trial about a half-written complaint and a filed one: an answer (or photo) to an officer who
wrote after the draft's last step reaches the officer, and a draft left for a day takes no typed answers; a photo
sent soon after filing, or naming the ticket, is added to it; a correction of the place, a "no news yet" and "I
reported already" about one's own complaint are not taken for a new complaint."""

from __future__ import annotations

from datetime import timedelta

import pytest

from tests.core.test_eighth_look import Clock, clock, svc  # noqa: F401 - Monday 09:00, the service on that clock
from tests.core.test_flows import enrol, file_complaint
from tests.harness import mailbox, photo_jpeg, say, texts, upload, wait_for


async def incoming(service, number: str) -> list[str]:
    return [e.text or "" for e in await service.store.ticket_events(number, "message_in")]


async def officer_heard(service, officer: str, words: str) -> bool:
    return any(words in i["text"] for i in await mailbox(service.store, f"webchat:{officer}"))


async def state(service, sender: str) -> dict:
    return (await service.store.get_conversation(f"webchat:{sender}")).state


async def drainage_left_at_the_place(service, http, sender: str) -> None:
    """A second complaint, left where it asks for the place."""
    await say(http, service.url, sender, "pak sekalian, got di depan rumah saya mampet")
    replies = await say(http, service.url, sender, "ya")
    assert "lokasi" in texts(replies).lower(), texts(replies)


# --- 1. an unfinished draft and an officer's question ------------------------------------------------------------
async def test_an_answer_to_the_officer_days_after_a_draft_was_left_goes_to_the_officer(svc, http, clock):  # noqa: F811
    await enrol(http, svc, "pupr-ani")
    number = await file_complaint(http, svc.url, "warga-got")
    clock.now += timedelta(days=1)
    await drainage_left_at_the_place(svc, http, "warga-got")
    clock.now += timedelta(days=4)
    await say(http, svc.url, "pupr-ani", f"/balas {number} Baik pak, apakah jalan itu masih bisa dilewati mobil?")
    clock.now += timedelta(hours=1)
    replies = await say(http, svc.url, "warga-got", "masih pak tapi pelan2")
    assert "masih pak tapi pelan2" in await incoming(svc, number)  # the officer has it, not the draft's place
    assert "Lanjutkan" in texts(replies), texts(replies)  # and the draft is offered again
    assert (await state(svc, "warga-got"))["draft"].get("location") is None
    replies = await say(http, svc.url, "warga-got", "iya")  # "iya" to "Pilih Lanjutkan": the place asked again
    assert texts(replies).startswith("Di mana lokasinya?"), texts(replies)
    assert "iya" not in await incoming(svc, number)


async def test_replies_after_the_officer_wrote_go_on_to_the_officer_with_a_fresh_draft(svc, http, clock):  # noqa: F811
    await enrol(http, svc, "pupr-bayu")
    number = await file_complaint(http, svc.url, "warga-lampu")
    await say(http, svc.url, "warga-lampu", "aduan baru")
    await say(http, svc.url, "warga-lampu", "lampu penerangan jalan di depan rumah saya mati sudah seminggu")
    clock.now += timedelta(minutes=2)
    await say(http, svc.url, "pupr-bayu", f"/balas {number} Terima kasih pak, minggu depan tim kami turun ke lokasi.")
    await say(http, svc.url, "warga-lampu", "terima kasih pak")
    await say(http, svc.url, "warga-lampu", "ditunggu ya pak")  # still talking with the officer
    assert await incoming(svc, number) == ["terima kasih pak", "ditunggu ya pak"]
    replies = await say(http, svc.url, "warga-lampu", "lanjut")  # the street-light draft goes on ("lanjut": yes)
    assert "lokasi" in texts(replies).lower(), texts(replies)
    replies = await say(http, svc.url, "warga-lampu", "depan masjid desa Sooko")
    assert "foto" in texts(replies).lower(), texts(replies)
    assert len(await incoming(svc, number)) == 2


async def test_a_photo_for_the_officer_is_not_lost_to_an_old_draft(svc, http, clock):  # noqa: F811
    await enrol(http, svc, "pupr-citra")
    number = await file_complaint(http, svc.url, "warga-foto")
    await drainage_left_at_the_place(svc, http, "warga-foto")
    clock.now += timedelta(hours=5)
    await say(http, svc.url, "pupr-citra", f"/balas {number} Bisa kirim foto lubangnya pak?")
    clock.now += timedelta(days=6)
    replies = await upload(http, svc.url, "warga-foto", photo_jpeg())
    assert "pilih salah satu tombol" not in texts(replies).lower() and "Lanjutkan" in texts(replies), texts(replies)
    assert len((await svc.store.get_ticket(number)).media) == 1
    await wait_for(lambda: officer_heard(svc, "pupr-citra", "foto dari pelapor"))


async def test_a_draft_left_for_a_day_takes_no_typed_answer(svc, http, clock):  # noqa: F811
    await say(http, svc.url, "warga-lupa", "lampu penerangan jalan di depan rumah saya mati sudah seminggu")
    clock.now += timedelta(days=2)
    replies = await say(http, svc.url, "warga-lupa", "ya")
    assert "Lanjutkan" in texts(replies), texts(replies)  # not taken as "yes, Dishub": the draft is offered again
    assert (await state(svc, "warga-lupa"))["step"] == "confirm_topic"


# --- 2. a photo after filing ------------------------------------------------------------------------------------
@pytest.mark.parametrize("caption", ["", "ini fotonya pak"])
async def test_a_photo_soon_after_filing_is_added_to_the_complaint(svc, http, clock, caption):  # noqa: F811
    sender = f"warga-pkl-{len(caption)}"
    await enrol(http, svc, f"pupr-foto-{len(caption)}")
    number = await file_complaint(http, svc.url, sender)
    clock.now += timedelta(minutes=20)
    replies = await upload(http, svc.url, sender, photo_jpeg(), caption=caption)
    assert f"foto Anda sudah kami tambahkan ke aduan *{number}*" in texts(replies), texts(replies)
    assert len((await svc.store.get_ticket(number)).media) == 1
    assert "flow" not in await state(svc, sender)  # no new complaint started
    await wait_for(lambda: officer_heard(svc, f"pupr-foto-{len(caption)}", caption or "foto dari pelapor"))


async def test_a_photo_naming_the_ticket_is_added_to_it_days_later(svc, http, clock):  # noqa: F811
    number = await file_complaint(http, svc.url, "warga-nomor")
    clock.now += timedelta(days=3)
    replies = await upload(http, svc.url, "warga-nomor", photo_jpeg(), caption=f"foto untuk {number}")
    assert "tambahkan" in texts(replies) and "Status tiket" not in texts(replies), texts(replies)
    assert len((await svc.store.get_ticket(number)).media) == 1
    assert f"foto untuk {number}" in await incoming(svc, number)


async def test_a_photo_days_after_filing_with_no_words_still_starts_a_complaint(svc, http, clock):  # noqa: F811
    number = await file_complaint(http, svc.url, "warga-lama")
    clock.now += timedelta(days=3)
    replies = await upload(http, svc.url, "warga-lama", photo_jpeg())
    assert "tambahkan" not in texts(replies), texts(replies)
    assert (await svc.store.get_ticket(number)).media == []


# --- 3. follow-ups about one's own complaint --------------------------------------------------------------------
async def test_a_place_corrected_hours_after_filing_is_added_to_the_complaint(svc, http, clock):  # noqa: F811
    await enrol(http, svc, "pupr-koreksi")
    number = await file_complaint(http, svc.url, "warga-koreksi")
    clock.now += timedelta(hours=3)
    words = "pak maaf lokasinya salah, bukan kutorejo tapi desa singowangi kec kutorejo, depan balai desa"
    replies = await say(http, svc.url, "warga-koreksi", words)
    assert f"koreksi Anda sudah kami tambahkan ke aduan *{number}*" in texts(replies), texts(replies)
    assert words in await incoming(svc, number)
    assert "flow" not in await state(svc, "warga-koreksi")  # no topic list: no new complaint
    await wait_for(lambda: officer_heard(svc, "pupr-koreksi", "desa singowangi"))


@pytest.mark.parametrize("words", ["kok lama banget sih, udah 6 hari ga ada kabar",
                                   "belum ada tindak lanjut sama sekali"])
async def test_no_news_about_ones_open_complaint_gets_its_status(svc, http, clock, words):  # noqa: F811
    sender = f"warga-kabar-{len(words)}"
    number = await file_complaint(http, svc.url, sender)
    clock.now += timedelta(days=6)
    replies = await say(http, svc.url, sender, words)
    assert f"Status tiket *{number}*" in texts(replies), texts(replies)
    assert "flow" not in await state(svc, sender) or (await state(svc, sender))["flow"] == "status"


async def test_already_reported_elsewhere_asks_for_the_number_rather_than_filing_again(svc, http):  # noqa: F811
    replies = await say(http, svc.url, "warga-wa", "saya sudah lapor kemarin lewat wa pak, soal jalan rusak")
    assert "kirim nomor tiketnya" in texts(replies), texts(replies)
    assert "btn:yes" not in " ".join(b["payload"] for r in replies for b in r.get("buttons") or ())
    assert await svc.store.recent_tickets("webchat:warga-wa", 5) == []


async def test_already_reported_here_shows_that_complaint(svc, http, clock):  # noqa: F811
    number = await file_complaint(http, svc.url, "warga-sudah")
    clock.now += timedelta(days=1)
    replies = await say(http, svc.url, "warga-sudah", "saya sudah lapor kemarin pak, soal jalan rusak")
    assert number in texts(replies) and "Apakah sudah benar" not in texts(replies), texts(replies)


async def test_the_photo_a_draft_asked_for_is_its_answer_days_later(svc, http, clock):  # noqa: F811
    await say(http, svc.url, "warga-nanti", "jalan di desa Sooko rusak parah banyak lubang")
    await say(http, svc.url, "warga-nanti", "btn:yes")
    replies = await say(http, svc.url, "warga-nanti", "Desa Sooko RT 02 RW 01, depan balai desa")
    assert "btn:skip" in " ".join(b["payload"] for r in replies for b in r.get("buttons") or ()), texts(replies)
    clock.now += timedelta(days=2)
    await upload(http, svc.url, "warga-nanti", photo_jpeg())
    assert len((await state(svc, "warga-nanti"))["draft"]["media"]) == 1
