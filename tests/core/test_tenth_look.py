"""Turns from the tenth look: two officers of one OPD answering the same reporter a moment apart (one in chat,
one on the desk) are told of each other before the resident gets a second answer, as a shared inbox warns of a
reply collision (actions/officer.py `hold_for_colleague`)."""

from __future__ import annotations

import re
from datetime import timedelta
from pathlib import Path

import pytest

from tests.core.test_eighth_look import Clock
from tests.core.test_flows import enrol, file_complaint
from tests.desk.test_desk_http import staff_client
from tests.harness import mailbox, make_settings, payloads, running_service, say, texts, unmarked, wait_for


@pytest.fixture
async def svc(tmp_path: Path, nlu_model_path: Path):
    async with running_service(make_settings(tmp_path)) as service:
        yield service


async def relayed(svc, number: str) -> list[str]:
    return [e.text or "" for e in await svc.store.ticket_events(number, "message_out")]


async def test_a_second_answer_a_moment_after_a_colleagues_waits_for_its_sender(svc, http):
    await enrol(http, svc, "pupr-ani")
    await enrol(http, svc, "pupr-budi")
    number = await file_complaint(http, svc.url, "warga-dua-jawaban")
    await say(http, svc.url, "pupr-ani", f"/balas {number} Tim kami ke lokasi besok pagi.")
    held = await say(http, svc.url, "pupr-budi", f"/balas {number} Sudah kami jadwalkan minggu depan.")
    assert "belum dikirim" in texts(held) and "Tim kami ke lokasi besok pagi." in texts(held), texts(held)
    assert f"/balas {number} Sudah kami jadwalkan minggu depan." in [unmarked(p) for p in payloads(held)], held
    assert await relayed(svc, number) == ["Tim kami ke lokasi besok pagi."]  # the resident got one answer
    sent = await say(http, svc.url, "pupr-budi", "ya")  # a typed "ya" is the button
    assert "belum dikirim" not in texts(sent), texts(sent)
    assert await relayed(svc, number) == ["Tim kami ke lokasi besok pagi.", "Sudah kami jadwalkan minggu depan."]


async def test_the_other_answer_is_dropped_when_its_sender_says_no(svc, http):
    await enrol(http, svc, "pupr-cici")
    await enrol(http, svc, "pupr-dedi")
    number = await file_complaint(http, svc.url, "warga-batal-jawab")
    await say(http, svc.url, "pupr-cici", f"/balas {number} Besok kami cek.")
    await say(http, svc.url, "pupr-dedi", f"/balas {number} Lusa kami cek.")
    await say(http, svc.url, "pupr-dedi", "/batal")
    await say(http, svc.url, "pupr-dedi", "ya")  # the offer lasted one message
    assert await relayed(svc, number) == ["Besok kami cek."]


async def test_no_hold_after_the_reporter_wrote_again_for_the_answerer_themself_or_for_the_regent(svc, http):
    await enrol(http, svc, "pupr-eko")
    await enrol(http, svc, "pupr-fani")
    await enrol(http, svc, "bupati-g", role="regent", opd=None)
    number = await file_complaint(http, svc.url, "warga-lanjut")
    await say(http, svc.url, "pupr-eko", f"/balas {number} Lubangnya di sebelah mana persisnya, Pak?")
    await say(http, svc.url, "pupr-eko", f"/balas {number} Mohon kirim fotonya juga.")  # their own: no hold
    await say(http, svc.url, "bupati-g", f"/balas {number} Saya minta segera ditangani.")  # the regent: no hold
    await say(http, svc.url, "warga-lanjut", "depan masjid al ikhlas pak")
    replies = await say(http, svc.url, "pupr-fani", f"/balas {number} Baik Pak, kami catat.")
    assert "belum dikirim" not in texts(replies), texts(replies)
    assert (await relayed(svc, number))[-1] == "Baik Pak, kami catat."
    assert len(await relayed(svc, number)) == 4


async def test_an_answer_long_after_a_colleagues_is_sent_at_once(tmp_path: Path, nlu_model_path: Path, http):
    clock = Clock()
    async with running_service(make_settings(tmp_path), clock=clock) as svc:
        await enrol(http, svc, "pupr-hadi")
        await enrol(http, svc, "pupr-ina")
        number = await file_complaint(http, svc.url, "warga-lama")
        await say(http, svc.url, "pupr-hadi", f"/balas {number} Sedang kami koordinasikan.")
        clock.now += timedelta(minutes=16)
        replies = await say(http, svc.url, "pupr-ina", f"/balas {number} Perbaikan dijadwalkan Kamis.")
        assert "belum dikirim" not in texts(replies), texts(replies)
        assert len(await relayed(svc, number)) == 2


async def test_the_desk_keeps_an_answer_written_before_a_colleagues_arrived_and_sends_it_when_sent_again(svc, http):
    await enrol(http, svc, "pupr-joko")
    await enrol(http, svc, "pupr-kiki")
    number = await file_complaint(http, svc.url, "warga-desk")
    kiki = await svc.store.get_identity("webchat:pupr-kiki")
    url = f"{svc.url}/desk/tiket/{number}"
    async with await staff_client(svc, kiki) as desk:
        async with desk.get(url) as resp:
            page = await resp.text()
        form = {"csrf": re.search(r'name="csrf" value="([^"]+)"', page).group(1),  # type: ignore[union-attr]
                "seen": re.search(r'name="seen" value="(\d+)"', page).group(1),  # type: ignore[union-attr]
                "action": "balas", "text": "Petugas kami datang hari Senin."}
        # while the page is open, a colleague answers in chat
        await say(http, svc.url, "pupr-joko", f"/balas {number} Petugas kami datang hari Sabtu.")
        async with desk.post(url, data=form, allow_redirects=False) as resp:
            held = await resp.text()
        assert resp.status == 409, held
        assert "belum dikirim" in held and "Petugas kami datang hari Sabtu." in held, held
        assert ">Petugas kami datang hari Senin.</textarea>" in held, held  # kept in the box
        assert await relayed(svc, number) == ["Petugas kami datang hari Sabtu."]
        form["seen"] = re.search(r'name="seen" value="(\d+)"', held).group(1)  # type: ignore[union-attr]
        async with desk.post(url, data=form, allow_redirects=False) as resp:
            assert resp.status == 303, await resp.text()
        assert await relayed(svc, number) == ["Petugas kami datang hari Sabtu.", "Petugas kami datang hari Senin."]
        # and the chat officer, who did not see the desk's answer, is held in turn
        replies = await say(http, svc.url, "pupr-joko", f"/balas {number} Mohon ditunggu.")
        assert "belum dikirim" in texts(replies) and "hari Senin" in texts(replies), texts(replies)

    async def told() -> list[str]:  # the chat officer was also told of the desk's answer, as every colleague is
        return [i["text"] for i in await mailbox(svc.store, "webchat:pupr-joko")
                if "sudah menjawab pelapor" in i["text"] and "hari Senin" in i["text"]]
    assert await wait_for(told)


async def two_open(http, svc, resident: str) -> tuple[str, str, list[dict]]:
    road = await file_complaint(http, svc.url, resident)
    await say(http, svc.url, resident, "menu")
    lamp = await file_complaint(http, svc.url, resident, "lampu jalan di desa Sooko mati sudah seminggu gelap")
    asked = await say(http, svc.url, resident, "tolong laporan saya dibatalkan saja, sudah diperbaiki swadaya warga")
    assert road in texts(asked) and lamp in texts(asked) and "mana" in texts(asked), texts(asked)
    return road, lamp, asked


@pytest.mark.parametrize("answer", ["yang lampu pak", "yg lampunya kak", "yg {place}", "{digits}"])
async def test_a_withdrawal_with_two_open_complaints_is_finished_in_words(svc, http, answer):
    resident = f"warga-cabut-{abs(hash(answer)) % 1000}"
    road, lamp, asked = await two_open(http, svc, resident)
    shown = [b["payload"].split()[0] for r in asked for b in r.get("buttons", [])]
    place = {1: "pertama", 2: "kedua"}[shown.index(lamp) + 1]
    typed = answer.format(place=place, digits=lamp.rsplit("-", 1)[-1])
    replies = await say(http, svc.url, resident, typed)
    assert f"aduan *{lamp}*" in texts(replies) and "ditutup?" in texts(replies), (typed, texts(replies))
    assert "btn:withdraw_yes" in payloads(replies) or any("withdraw" in p for p in payloads(replies)), replies
    await say(http, svc.url, resident, "ya")
    ticket = await svc.store.get_ticket(lamp)
    assert ticket is not None and ticket.extra.get("withdraw_requested"), ticket
    other = await svc.store.get_ticket(road)
    assert other is not None and not other.extra.get("withdraw_requested")


async def test_words_that_name_neither_let_the_question_go(svc, http):
    road, lamp, _ = await two_open(http, svc, "warga-cabut-x")
    replies = await say(http, svc.url, "warga-cabut-x", "syarat bikin ktp apa saja?")
    assert "ditutup?" not in texts(replies), texts(replies)
    for number in (road, lamp):
        ticket = await svc.store.get_ticket(number)
        assert ticket is not None and not ticket.extra.get("withdraw_requested")


async def test_a_ticket_number_with_one_digit_mistyped_is_offered_when_only_one_fits(svc, http):
    await enrol(http, svc, "pupr-sub")
    number = await file_complaint(http, svc.url, "warga-sub")
    prefix, period, serial = number.split("-")
    wrong = f"{prefix}-{period}-{serial[:2]}{(int(serial[2]) + 1) % 10}{serial[3:]}"  # "0016" for "0006"
    replies = await say(http, svc.url, "pupr-sub", f"/proses {wrong}")
    assert f"*{number}*" in texts(replies) and payloads(replies) == [f"/proses {number}"], texts(replies)
    await say(http, svc.url, "pupr-sub", "ya")
    assert (await svc.store.get_ticket(number)).status == "diproses"
    # two tickets as near ("…0009" is one digit from "…0001" and from "…0002"): a coin toss, nothing is offered
    other = await file_complaint(http, svc.url, "warga-sub2")
    assert other.split("-")[2][:3] == serial[:3] == "000", (number, other)
    replies = await say(http, svc.url, "pupr-sub", f"/info {prefix}-{period}-0009")
    assert payloads(replies) == [] and "tidak ditemukan" in texts(replies), texts(replies)


async def test_an_invitation_with_a_slip_in_the_opd_id_offers_the_opd(svc, http):
    await enrol(http, svc, "operator-und", role="operator", opd=None)
    replies = await say(http, svc.url, "operator-und", "/undang dishubb")
    assert "Mungkin maksud Anda *dishub*" in texts(replies) and payloads(replies) == ["/undang dishub"], replies
    replies = await say(http, svc.url, "operator-und", "ya")
    assert "Kode pendaftaran untuk petugas Dinas Perhubungan" in texts(replies), texts(replies)


async def test_a_disposition_that_names_a_deadline_gets_it_and_the_opd_that_has_it_is_not_told_it_is_new(svc, http):
    await enrol(http, svc, "pupr-disp")
    await enrol(http, svc, "bupati-disp", role="regent", opd=None)
    number = await file_complaint(http, svc.url, "warga-disp")
    before = (await svc.store.get_ticket(number)).due_at
    replies = await say(http, svc.url, "bupati-disp",
                        f"/disposisi {number} dinas-pupr segera tangani, lapor ke saya 3 hari")
    ticket = await svc.store.get_ticket(number)
    calendar = svc.runtime.services.calendar
    expected = calendar.local_date(svc.runtime.services.clock()) + timedelta(days=3)
    assert calendar.local_date(ticket.due_at) == expected and ticket.due_at != before, (ticket.due_at, before)
    assert expected.strftime("%-d") in texts(replies), texts(replies)

    async def card() -> list[str]:
        return [i["text"] for i in await mailbox(svc.store, "webchat:pupr-disp") if "sudah di OPD Anda" in i["text"]]
    [text] = await wait_for(card)
    assert f"Aduan *{number}* (sudah di OPD Anda)" in text and "Aduan baru" not in text, text
    # words that name no deadline keep the OPD's own
    other = await file_complaint(http, svc.url, "warga-disp2")
    due = (await svc.store.get_ticket(other)).due_at
    await say(http, svc.url, "bupati-disp", f"/disposisi {other} dinas-pupr sudah 3 hari warga menunggu, tolong dicek")
    assert (await svc.store.get_ticket(other)).due_at == due
