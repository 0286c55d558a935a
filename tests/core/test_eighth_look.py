"""Turns found by an eighth exploratory session, the staff side over a working week: a command that waits for its
text (a reply, a closing note, a transfer's reason) no longer takes whatever the officer types after looking at
something else, or half an hour later, without asking (a reply to a card answers that card's ticket even then:
tests/channels/test_telegram.py)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bot.__main__ import issue_code
from tests.core.test_flows import TICKET, enrol, file_complaint
from tests.harness import mailbox, make_settings, payloads, running_service, say, texts, wait_for


class Clock:
    def __init__(self) -> None:
        self.now = datetime(2026, 12, 7, 2, 0, tzinfo=UTC)  # Monday 09:00 in the regency

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
async def svc(tmp_path: Path, nlu_model_path: Path, clock: Clock):
    async with running_service(make_settings(tmp_path), clock=clock) as service:
        yield service


async def two_tickets(http, svc, officer: str) -> tuple[str, str]:
    await enrol(http, svc, officer)
    first = await file_complaint(http, svc.url, f"{officer}-w1")
    second = await file_complaint(http, svc.url, f"{officer}-w2", "jembatan desa Puri retak dan lampunya mati")
    return first, second


async def heard(svc, who: str, words: str) -> bool:
    return any(words in i["text"] for i in await mailbox(svc.store, f"webchat:{who}"))


async def test_a_waiting_reply_is_confirmed_after_the_officer_looked_at_another_ticket(svc, http):
    first, second = await two_tickets(http, svc, "pupr-a")
    await say(http, svc.url, "pupr-a", f"/balas {first}")
    await say(http, svc.url, "pupr-a", "/antrian")
    await say(http, svc.url, "pupr-a", f"/info {second}")
    words = "pak, tim sudah jalan ke jembatan, lampu diganti sore ini"
    replies = await say(http, svc.url, "pupr-a", words)
    said = texts(replies)
    assert first in said and "belum kami kirim" in said, said
    assert await svc.store.ticket_events(first, "message_out") == []
    [yes, no] = payloads(replies)
    assert yes == f"/balas {first} {words}" and no == "/batal", payloads(replies)
    # The officer meant the bridge: nothing goes to the first ticket's reporter; the card's ticket is answered.
    await say(http, svc.url, "pupr-a", no)
    await say(http, svc.url, "pupr-a", f"/balas {second} {words}")
    assert [e.text for e in await svc.store.ticket_events(second, "message_out")] == [words]
    assert await svc.store.ticket_events(first, "message_out") == []
    # Pressed yes, it goes where the button says.
    await say(http, svc.url, "pupr-a", f"/balas {first}")
    await say(http, svc.url, "pupr-a", "/antrian")
    replies = await say(http, svc.url, "pupr-a", "lubangnya kami tambal Rabu")
    await say(http, svc.url, "pupr-a", payloads(replies)[0])
    await wait_for(lambda: heard(svc, "pupr-a-w1", "lubangnya kami tambal Rabu"))


async def test_a_waiting_closing_note_or_transfer_reason_does_nothing_unconfirmed(svc, http):
    first, second = await two_tickets(http, svc, "pupr-b")
    await say(http, svc.url, "pupr-b", f"/selesai {first}")
    await say(http, svc.url, "pupr-b", f"/info {second}")
    replies = await say(http, svc.url, "pupr-b", "lampu jembatan sudah menyala semua")
    assert "belum kami tandai selesai" in texts(replies), texts(replies)
    assert (await svc.store.get_ticket(first)).status != "selesai"
    await say(http, svc.url, "pupr-b", f"/alihkan {first} dlh")
    await say(http, svc.url, "pupr-b", "/antrian")
    replies = await say(http, svc.url, "pupr-b", "ok nanti sore saya cek lagi")
    assert "belum kami alihkan" in texts(replies) and payloads(replies)[0].startswith(f"/alihkan {first} dlh "), \
        payloads(replies)
    assert (await svc.store.get_ticket(first)).opd_id == "dinas-pupr"
    # Typed straight after the question, the text is taken as before.
    await say(http, svc.url, "pupr-b", f"/selesai {first}")
    await say(http, svc.url, "pupr-b", "lubang sudah ditambal")
    assert (await svc.store.get_ticket(first)).status == "selesai"


async def test_a_waiting_reply_typed_half_an_hour_later_is_confirmed(svc, http, clock: Clock):
    first, _ = await two_tickets(http, svc, "pupr-c")
    await say(http, svc.url, "pupr-c", f"/balas {first}")
    clock.now += timedelta(minutes=31)
    replies = await say(http, svc.url, "pupr-c", "siap bu")
    assert "belum kami kirim" in texts(replies), texts(replies)
    assert await svc.store.ticket_events(first, "message_out") == []


async def test_the_regent_hears_each_follow_up_of_a_disposition_and_the_reporters_answer_to_the_regent(svc, http):
    await enrol(http, svc, "pupr-e")
    await enrol(http, svc, "bupati-e", role="regent", opd=None)
    number = await file_complaint(http, svc.url, "warga-e")
    await say(http, svc.url, "bupati-e", f"/disposisi {number} dinas-pupr Segera tangani, lapor ke saya Senin")
    await wait_for(lambda: heard(svc, "pupr-e", "otomatis dilaporkan"))
    await say(http, svc.url, "pupr-e", f"/proses {number}")
    await say(http, svc.url, "pupr-e", f"/balas {number} Tim dijadwalkan Sabtu pagi")
    await say(http, svc.url, "pupr-e", f"/selesai {number} Sudah ditambal")

    async def followups() -> list[str]:
        return [i["text"] for i in await mailbox(svc.store, "webchat:bupati-e")
                if "Tindak lanjut disposisi" in i["text"]]

    told = await wait_for(lambda: _at_least(followups, 3))
    assert "diproses" in told[0] and "Tim dijadwalkan Sabtu pagi" in told[1] and "Sudah ditambal" in told[2], told
    assert not await heard(svc, "pupr-e", "Tindak lanjut disposisi")  # the officer gets no echo of their own acts

    # The regent answers a reporter: the reporter's answer reaches the regent as well as the OPD.
    other = await file_complaint(http, svc.url, "warga-f")
    await say(http, svc.url, "bupati-e", f"/balas {other} Saya minta Dinas PUPR mengutamakan jalan ini")
    await wait_for(lambda: heard(svc, "warga-f", "mengutamakan jalan ini"))
    await say(http, svc.url, "warga-f", "matur nuwun pak bupati, mohon diutamakan karena dekat sekolah")
    await wait_for(lambda: heard(svc, "bupati-e", "dekat sekolah"))
    await wait_for(lambda: heard(svc, "pupr-e", "dekat sekolah"))


async def test_an_officers_colleagues_hear_what_was_done_and_a_withdrawal_closes_as_such(svc, http):
    await enrol(http, svc, "pupr-g")
    await enrol(http, svc, "pupr-h")
    number = await file_complaint(http, svc.url, "warga-g")
    await say(http, svc.url, "pupr-g", f"/proses {number}")
    await wait_for(lambda: heard(svc, "pupr-h", "sedang diproses"))
    await say(http, svc.url, "warga-g", "tolong laporan saya dibatalkan saja, sudah diperbaiki swadaya warga")
    await say(http, svc.url, "warga-g", "btn:withdraw_yes")
    replies = await say(http, svc.url, "pupr-g", f"/selesai {number} dicek, memang sudah diperbaiki")
    said = texts(replies)
    assert "atas permintaan pelapor" in said and "diminta memberi penilaian" not in said, said
    await wait_for(lambda: heard(svc, "pupr-h", "atas permintaan pelapor"))
    assert not any("oleh" in i["text"] and number in i["text"] and "ℹ️" in i["text"]
                   for i in await mailbox(svc.store, "webchat:pupr-g"))  # no echo to the one who acted


async def _at_least(read, n: int):
    found = await read()
    return found if len(found) >= n else None


async def test_the_card_of_an_english_report_says_the_reporter_writes_english(svc, http):
    await enrol(http, svc, "pupr-i")
    replies = await say(http, svc.url, "tourist", "the road in Sooko village is badly damaged with many potholes")
    for answer in ("btn:yes", "near the mosque in Sooko village", "skip", "privacy:publik", "btn:send"):
        replies = await say(http, svc.url, "tourist", answer)
    number = TICKET.search(texts(replies))
    assert number, texts(replies)

    async def card() -> list[str]:
        return [i["text"] for i in await mailbox(svc.store, "webchat:pupr-i") if number.group(0) in i["text"]]

    assert "bahasa Inggris" in (await wait_for(card))[0]
    indonesian = await file_complaint(http, svc.url, "warga-i")
    [plain] = [i["text"] for i in await wait_for(lambda: _cards_of(svc, "pupr-i", indonesian))]
    assert "bahasa Inggris" not in plain, plain


async def _cards_of(svc, officer: str, number: str) -> list[dict]:
    return [i for i in await mailbox(svc.store, f"webchat:{officer}") if f"Aduan baru *{number}*" in i["text"]]


async def test_send_at_the_location_step_is_no_place_and_a_privacy_word_at_the_photo_step_is_the_choice(svc, http):
    await say(http, svc.url, "eng2", "the street light in front of my house is broken, it is very dark")
    await say(http, svc.url, "eng2", "btn:yes")
    replies = await say(http, svc.url, "eng2", "send")
    assert "photo" not in texts(replies).lower(), texts(replies)  # still asked where, not taken as the place
    await say(http, svc.url, "eng2", "in front of the mosque, Sooko village")
    replies = await say(http, svc.url, "eng2", "publik")
    assert "btn:send" in payloads(replies), texts(replies)  # the summary, with the choice made
    draft = (await svc.store.get_conversation("webchat:eng2")).state.get("draft") or {}
    assert draft.get("privacy") == "publik" and "send" not in str(draft.get("location")), draft


async def test_a_mistyped_or_english_command_runs_with_the_same_text_in_one_tap(svc, http):
    first, _ = await two_tickets(http, svc, "pupr-j")
    replies = await say(http, svc.url, "pupr-j", f"/selesei {first} sudah dinormalisasi")
    assert "/selesai" in texts(replies) and payloads(replies) == [f"/selesai {first} sudah dinormalisasi"], replies
    assert (await svc.store.get_ticket(first)).status != "selesai"  # nothing done before the tap
    await say(http, svc.url, "pupr-j", payloads(replies)[0])
    assert (await svc.store.get_ticket(first)).status == "selesai"
    replies = await say(http, svc.url, "pupr-j", f"/reply {first} the crew comes on Monday")
    assert [e.text for e in await svc.store.ticket_events(first, "message_out")] == ["the crew comes on Monday"]
    replies = await say(http, svc.url, "pupr-j", "/xyzzy")
    assert "tidak dikenal" in texts(replies) and "/balas" in texts(replies), texts(replies)  # no guess: the help


async def test_a_spot_typed_after_the_report_named_its_village_keeps_the_village(svc, http):
    await say(http, svc.url, "warga-k", "jalan di desa Sooko rusak parah banyak lubang")
    replies = await say(http, svc.url, "warga-k", "btn:yes")
    assert "Sooko" in texts(replies), texts(replies)  # the place the report names is offered
    await say(http, svc.url, "warga-k", "depan SD negeri 1, sebelah warung")
    draft = (await svc.store.get_conversation("webchat:warga-k")).state.get("draft") or {}
    place = ", ".join(str(v) for v in (draft.get("location") or {}).values())
    assert "depan SD negeri 1" in place and "Sooko" in place, draft


@pytest.mark.parametrize("question", ["berapa aduan yang belum ditangani?", "how many complaints are overdue?"])
async def test_the_regent_asking_about_the_figures_in_plain_words_gets_the_summary(svc, http, question: str):
    await enrol(http, svc, "bupati-l", role="regent", opd=None)
    replies = await say(http, svc.url, "bupati-l", question)
    said = texts(replies)
    assert ("Ringkasan aduan" in said or "Complaints digest" in said) and "belum terkirim" not in said, said


async def test_the_regent_asking_which_complaints_are_overdue_gets_them_listed(svc, http):
    # (the twenty-fifth trial: "which ones" asks for the list, not the day's figures)
    await enrol(http, svc, "bupati-l2", role="regent", opd=None)
    said = texts(await say(http, svc.url, "bupati-l2", "aduan apa saja yang lewat batas waktu?"))
    assert "yang lewat batas waktu" in said and "belum terkirim" not in said, said


@pytest.mark.parametrize("fix", ["the location is wrong, it's near the school in Puri village",
                                 "the location is wrong, it is in Puri village near the school"])
async def test_a_place_corrected_in_english_at_the_summary_is_taken(svc, http, fix: str):
    await say(http, svc.url, "eng3", "the street light in front of the Sooko village mosque is broken")
    await say(http, svc.url, "eng3", "topic:aduan_lampu_jalan")
    replies = await say(http, svc.url, "eng3", "privacy:publik")  # a button's code is no place
    assert "photo" not in texts(replies).lower(), texts(replies)
    await say(http, svc.url, "eng3", "in front of the mosque, Sooko village")
    await say(http, svc.url, "eng3", "skip")
    replies = await say(http, svc.url, "eng3", "privacy:publik")
    assert "btn:send" in payloads(replies), texts(replies)
    replies = await say(http, svc.url, "eng3", fix)
    assert "Puri village" in texts(replies) and "btn:send" in payloads(replies), texts(replies)


async def test_an_officer_enrolling_hears_that_complaints_are_waiting(svc, http):
    await file_complaint(http, svc.url, "warga-m")  # no PUPR officer yet
    code = await issue_code(svc.settings, "officer", "dinas-pupr")
    replies = await say(http, svc.url, "pupr-baru", f"/daftar {code}")
    assert "terdaftar" in texts(replies) and "1 aduan OPD Anda" in texts(replies), texts(replies)
    assert "/antrian" in payloads(replies)
