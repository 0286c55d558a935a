"""Turns from the tenth look: two officers of one OPD answering the same reporter a moment apart (one in chat,
one on the desk) are told of each other before the resident gets a second answer, as a shared inbox warns of a
reply collision (actions/officer.py `hold_for_colleague`)."""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from bot.store.base import Changes
from tests.core.test_eighth_look import Clock
from tests.core.test_flows import enrol, file_complaint
from tests.core.test_on_behalf_nophone import OFFICIAL, file_through
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
    replies = await say(http, svc.url, "pupr-dedi", "/batal")
    assert f"jawaban Anda untuk aduan {number} tidak dikirim" in texts(replies), texts(replies)
    assert payloads(replies) == [], payloads(replies)  # no resident's menu for an officer
    await say(http, svc.url, "pupr-dedi", "ya")  # the offer lasted one message
    assert await relayed(svc, number) == ["Besok kami cek."]


async def test_an_answer_rewritten_after_the_hold_goes_and_a_newer_colleagues_answer_holds_again(svc, http):
    for officer in ("pupr-rw1", "pupr-rw2", "pupr-rw3"):
        await enrol(http, svc, officer)
    number = await file_complaint(http, svc.url, "warga-rw")
    await say(http, svc.url, "pupr-rw1", f"/balas {number} Besok pagi tim kami survei.")
    held = await say(http, svc.url, "pupr-rw2", f"/balas {number} Minggu depan kami survei.")
    assert "belum dikirim" in texts(held), texts(held)
    sent = await say(http, svc.url, "pupr-rw2", f"/balas {number} Menambahkan info rekan saya: bawa alat ukur juga.")
    assert "belum dikirim" not in texts(sent), texts(sent)  # shown the colleague's answer, rewritten: it goes
    await say(http, svc.url, "pupr-rw3", f"/balas {number} Kami cek besok.")  # rw3 is held in turn
    assert await relayed(svc, number) == ["Besok pagi tim kami survei.",
                                          "Menambahkan info rekan saya: bawa alat ukur juga."]


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


async def test_a_disposition_that_names_a_time_keeps_it_for_staff_and_the_opd_that_has_it_is_not_told_new(svc, http):
    await enrol(http, svc, "pupr-disp")
    await enrol(http, svc, "bupati-disp", role="regent", opd=None)
    number = await file_complaint(http, svc.url, "warga-disp")
    before = (await svc.store.get_ticket(number)).due_at
    replies = await say(http, svc.url, "bupati-disp",
                        f"/disposisi {number} dinas-pupr segera tangani, lapor ke saya 3 hari")
    ticket = await svc.store.get_ticket(number)
    calendar = svc.runtime.services.calendar
    day = calendar.local_date(svc.runtime.services.clock()) + timedelta(days=3)
    while not calendar.is_working_day(day):  # three days from a Thursday is a Sunday: the Monday after
        day += timedelta(days=1)
    expected = day
    # the regent's report-back time, for the staff; the reporter's deadline stays (tests/core/test_twelfth_deadlines.py)
    report_by = datetime.fromisoformat(ticket.extra["disposition"]["report_by"])
    assert calendar.local_date(report_by) == expected and ticket.due_at == before, (report_by, ticket.due_at, before)
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


async def test_a_message_for_the_regent_written_utk_goes_to_the_regent_not_to_the_officers(svc, http):
    await enrol(http, svc, "pupr-utk")
    number = await file_complaint(http, svc.url, "warga-utk")
    await say(http, svc.url, "pupr-utk", f"/balas {number} Jembatan itu kewenangan provinsi.")
    replies = await say(http, svc.url, "warga-utk", "pesan utk pak bupati: pak, jembatan di kedungrejo itu sdh sy "
                                                    "laporkan tp petugasnya jawabannya beda2, mohon bapak perhatikan")
    assert "Bupati" in texts(replies) and "tanggapan anda sudah kami teruskan" not in texts(replies).lower(), replies
    assert [e.text for e in await svc.store.ticket_events(number, "message_in")] == []  # nothing to the officers


async def test_a_transfer_reads_the_topic_from_its_reason_and_lets_the_old_offices_assignee_go(svc, http):
    await enrol(http, svc, "pupr-tr")
    await enrol(http, svc, "perkim-tr", opd="disperkim")
    number = await file_complaint(http, svc.url, "warga-tr", "saluran air di perumahan griya asri mampet, tiap hujan "
                                                             "banjir sampai masuk rumah")
    ticket = await svc.store.get_ticket(number)
    # as the trial had it: at the roads office, as drainage, assigned to one of its officers
    ticket.opd_id, ticket.topic = "dinas-pupr", "aduan_drainase"
    ticket.extra["assignee"] = {"key": "webchat:pupr-tr", "name": "Agus"}
    await svc.store.commit(Changes(tickets=[ticket]))
    replies = await say(http, svc.url, "pupr-tr", f"/alihkan {number} disperkim saluran lingkungan perumahan itu "
                                                  "kewenangan perkim")
    moved = await svc.store.get_ticket(number)
    assert (moved.opd_id, moved.topic) == ("disperkim", "aduan_psu_perumahan"), (moved.opd_id, moved.topic)
    assert "assignee" not in moved.extra
    assert "dengan topik" in texts(replies) and "perumahan" in texts(replies).lower(), texts(replies)
    [event] = await svc.store.ticket_events(number, "rerouted")
    assert event.data.get("topic_guessed") is True
    assert [e.data.get("moved") for e in await svc.store.ticket_events(number, "unassigned")] == [True]


async def test_yes_to_the_not_sure_list_asks_which_one_instead_of_passing_it_to_triage(svc, http):
    replies = await say(http, svc.url, "warga-ya-list", "tolong, ibu di rumah sebelah sering dianiaya suaminya sampai "
                                                        "lebam, anaknya juga ketakutan")
    assert "belum yakin" in texts(replies), texts(replies)
    listed = [p for p in payloads(replies) if p.startswith("topic:") and p != "topic:lainnya"]
    replies = await say(http, svc.url, "warga-ya-list", "ya")  # a bare "ya" too (it reads as the yes button)
    assert "memilihkan" not in texts(replies), texts(replies)
    if len(listed) == 1:  # one proposed: that one
        assert "lokasi" in texts(replies).lower(), texts(replies)
    else:
        assert "Yang mana yang paling sesuai" in texts(replies), texts(replies)
        replies = await say(http, svc.url, "warga-ya-list", "yg pertama")
        assert "lokasi" in texts(replies).lower(), texts(replies)


AMBIGUOUS = ("street light broken near the market and the road is damaged too",
             "lampu jalan mati dan jalannya juga berlubang di depan pasar",
             "tolong, ibu di rumah sebelah sering dianiaya suaminya sampai lebam, anaknya juga ketakutan")


async def a_list_of_two(http, svc, resident: str) -> list[str]:
    for text in AMBIGUOUS:
        replies = await say(http, svc.url, resident, text)
        listed = [p.removeprefix("topic:") for p in payloads(replies)
                  if p.startswith("topic:") and p != "topic:lainnya"]
        if len(listed) >= 2:
            return listed
        await say(http, svc.url, resident, "batal")
    raise AssertionError("no message here gives a list of two topics")


async def test_changing_the_topic_at_the_location_step_is_never_kept_as_the_place(svc, http):
    listed = await a_list_of_two(http, svc, "warga-ganti")
    await say(http, svc.url, "warga-ganti", "2")  # the second one, then the place is asked
    replies = await say(http, svc.url, "warga-ganti", "wait no i meant the first one")
    said = texts(replies)
    assert "lokasi" in said.lower() or "where" in said.lower(), said
    replies = await say(http, svc.url, "warga-ganti", "Desa Sooko RT 02, depan balai desa")
    replies = await say(http, svc.url, "warga-ganti", "lewati")
    replies = await say(http, svc.url, "warga-ganti", "privacy:publik")
    replies = await say(http, svc.url, "warga-ganti", "btn:send")
    number = re.search(r"WRG-\d{4}-\d{4}", texts(replies)).group(0)  # type: ignore[union-attr]
    ticket = await svc.store.get_ticket(number)
    assert ticket.topic == listed[0] and "meant" not in str(ticket.location), (ticket.topic, ticket.location)

    await a_list_of_two(http, svc, "warga-ganti2")
    await say(http, svc.url, "warga-ganti2", "1")
    replies = await say(http, svc.url, "warga-ganti2", "eh ganti topik deh")
    assert any(p.startswith("topic:") for p in payloads(replies)), texts(replies)  # the list again
    assert "foto" not in texts(replies).lower(), texts(replies)


async def test_a_resident_back_the_next_day_is_told_the_complaint_was_not_sent_and_where_it_stopped(svc, http):
    await say(http, svc.url, "warga-kembali", "saluran air depan rumah saya mampet, air meluap ke jalan")
    await say(http, svc.url, "warga-kembali", "btn:yes")
    replies = await say(http, svc.url, "warga-kembali", "Desa Sooko RT 02 RW 01, depan balai desa")
    assert "btn:skip" in payloads(replies), texts(replies)  # at the photo step
    replies = await say(http, svc.url, "warga-kembali", "pagi min, yg semalem udah masuk blm ya laporan sy?")
    assert "belum terkirim" in texts(replies) and "foto" in texts(replies).lower(), texts(replies)
    replies = await say(http, svc.url, "warga-kembali", "lho jd blm kekirim to? ya udh gak ada foto")
    assert "privacy:publik" in payloads(replies), texts(replies)  # the photo step answered, on to privacy
    assert await svc.store.recent_tickets("webchat:warga-kembali", 5) == []


async def test_sms_and_javanese_answers_in_passing(svc, http):
    await say(http, svc.url, "mbah-karto", "dalan ing dusun krajan rusak parah akeh bolongan")
    await say(http, svc.url, "mbah-karto", "btn:yes")
    await say(http, svc.url, "mbah-karto", "Dusun Krajan, Desa Sooko")
    replies = await say(http, svc.url, "mbah-karto", "mboten gadhah foto, hp kulo elek")
    assert "privacy:publik" in payloads(replies), texts(replies)
    replies = await say(http, svc.url, "mbah-karto", "ampun disebut asmane kulo")
    assert "btn:send" in payloads(replies) and "Anonim" in texts(replies), texts(replies)
    replies = await say(http, svc.url, "mbah-karto", "btn:send")
    number = re.search(r"WRG-\d{4}-\d{4}", texts(replies)).group(0)  # type: ignore[union-attr]
    # days later, a long message asking after it: its status, not a second complaint
    replies = await say(http, svc.url, "mbah-karto", "assalamualaikum, niki kulo mbah karto sing lapor dalan rusak "
                                                     "wingi. pripun kok dereng enten kabar? wis ditangani opo durung")
    assert number in texts(replies) and "Apakah sudah benar" not in texts(replies), texts(replies)
    assert len(await svc.store.recent_tickets("webchat:mbah-karto", 5)) == 1
    # "ya wis lewati" skips the photo
    await say(http, svc.url, "warga-sms-ish", "lampu jalan di desa Sooko mati sudah seminggu gelap")
    await say(http, svc.url, "warga-sms-ish", "btn:yes")
    await say(http, svc.url, "warga-sms-ish", "Desa Sooko, depan masjid")
    replies = await say(http, svc.url, "warga-sms-ish", "ya wis lewati")
    assert "privacy:publik" in payloads(replies), texts(replies)


async def test_the_regent_asking_in_words_that_an_office_be_reminded_is_offered_the_reminder(svc, http):
    await enrol(http, svc, "dishub-ingat", opd="dishub")
    await enrol(http, svc, "bupati-ingat", role="regent", opd=None)
    replies = await say(http, svc.url, "bupati-ingat",
                        "tolong ingatkan dishub soal lampu jalan gajah mada itu, sdh telat")
    assert payloads(replies)[0] == "/ingatkan dishub" and "Dinas Perhubungan" in texts(replies), texts(replies)
    await say(http, svc.url, "bupati-ingat", "ya")

    async def reminded() -> list[dict]:
        return [i for i in await mailbox(svc.store, "webchat:dishub-ingat") if "/antrian" in str(i.get("buttons"))]
    assert await wait_for(reminded)


async def test_a_place_corrected_at_the_summary_without_a_village_word_is_taken(svc, http):
    await say(http, svc.url, "warga-fix", "lampu jalan di desa Sooko mati sudah seminggu gelap")
    await say(http, svc.url, "warga-fix", "btn:yes")
    await say(http, svc.url, "warga-fix", "Desa Sooko, depan masjid")
    await say(http, svc.url, "warga-fix", "lewati")
    await say(http, svc.url, "warga-fix", "privacy:publik")
    replies = await say(http, svc.url, "warga-fix", "the location is wrong, it's jalan gajah mada in front of the "
                                                    "alun-alun")
    assert "jalan gajah mada in front of the alun-alun" in texts(replies) and "btn:send" in payloads(replies), replies


async def test_filing_for_a_resident_whose_phone_we_cannot_reach_keeps_the_official_told(svc, http):
    """SMS not set up (the default) and the number not on WhatsApp: nothing of ours reaches the resident, so the
    official stays the reporter and hears every update, as for a resident without a phone."""
    assert not svc.settings.sms.enabled
    await enrol(http, svc, OFFICIAL, "pendamping")
    await enrol(http, svc, "pupr-nosms")
    assert "Slamet Riyadi" in texts(await say(http, svc.url, OFFICIAL, "/nama Slamet Riyadi"))  # a name, as staff
    replies = await say(http, svc.url, OFFICIAL, "/wakili 081234567890 Bu Sarmi")
    assert "dikirim kepada Anda" in texts(replies) and "warga Bu Sarmi dengan nomor" in texts(replies), texts(replies)
    await say(http, svc.url, OFFICIAL, "/wakili_setuju")
    number, seen = await file_through(http, svc, OFFICIAL, "jalan di desa Sooko rusak parah banyak lubang")
    summary = next(x for x in seen if "Atas nama" in x)
    assert "pesan kami tidak sampai" in summary and "kabar dikirim ke HP" not in summary, summary
    assert "Layanan SMS belum aktif" in seen[-1] and "6281******890" in seen[-1], seen[-1]
    ticket = await svc.store.get_ticket(number)
    assert ticket.reporter == f"webchat:{OFFICIAL}" and ticket.extra["on_behalf"]["phone"] == "6281234567890"
    await say(http, svc.url, "pupr-nosms", f"/balas {number} Besok tim kami ke lokasi.")

    async def news() -> list[str]:
        return [i["text"] for i in await mailbox(svc.store, f"webchat:{OFFICIAL}") if "Besok tim kami" in i["text"]]
    [text] = await wait_for(news)
    assert "Bu Sarmi" in text, text

    async def card() -> list[str]:
        return [i["text"] for i in await mailbox(svc.store, "webchat:pupr-nosms") if number in i["text"]
                and "Slamet Riyadi" in i["text"]]
    assert await wait_for(card)  # the officer's card names the official who filed it



async def test_a_correction_about_the_topic_at_the_topic_question_never_replaces_the_report(svc, http):
    replies = await say(http, svc.url, "warga-koreksi", "lampu jalan mati dan jalannya juga berlubang di depan pasar "
                                                        "kemlagi")
    assert "btn:yes" in payloads(replies) or "belum yakin" in texts(replies), texts(replies)
    replies = await say(http, svc.url, "warga-koreksi", "eh salah pilih, maksudku yg pertama")
    assert "kami ganti" not in texts(replies) and any(p.startswith("topic:") for p in payloads(replies)), replies
    replies = await say(http, svc.url, "warga-koreksi", "yg lainnya aja")
    assert "memilihkan" in texts(replies), texts(replies)  # "Lainnya": staff choose the office
    conv = await svc.store.get_conversation("webchat:warga-koreksi")
    assert "lampu jalan mati" in str(conv.state.get("draft", conv.state)), conv.state


async def test_a_transfer_whose_reason_fits_no_topic_of_the_new_office_leaves_the_topic_open(svc, http):
    await enrol(http, svc, "pupr-fit")
    await enrol(http, svc, "dishub-fit", opd="dishub")
    number = await file_complaint(http, svc.url, "warga-fit")
    replies = await say(http, svc.url, "pupr-fit", f"/alihkan {number} dishub bukan kewenangan kami")
    ticket = await svc.store.get_ticket(number)
    assert ticket.opd_id == "dishub" and ticket.topic != "aduan_jalan_rusak", ticket.topic  # never PUPR's topic
    if ticket.topic is None:
        assert "topiknya belum ditentukan" in texts(replies), texts(replies)
    else:
        assert ticket.topic in svc.runtime.services.directory.topics_of("dishub")


async def test_a_javanese_status_question_while_an_officer_waits_and_a_late_no_photo(svc, http):
    await enrol(http, svc, "dishub-jw", opd="dishub")
    number = await file_complaint(http, svc.url, "warga-jw", "lampu pju mati di depan pasar trowulan sudah seminggu")
    await say(http, svc.url, "dishub-jw", f"/balas {number} Tiang nomor berapa, Pak?")
    replies = await say(http, svc.url, "warga-jw", "assalamualaikum, niki kulo sing lapor lampu pju mati ten ngajeng "
                                                   "pasar trowulan. pripun kok dereng dipun dandani, tasih peteng")
    assert number in texts(replies) and "Teruskan" not in texts(replies), texts(replies)
    replies = await say(http, svc.url, "warga-jw", "nyuwun sewu, kulo ingkang lapor lampu ten ngajeng pasar wingi. "
                                                   "pripun niku kok dereng wonten tindakan")
    assert number in texts(replies) and "Apakah sudah benar" not in texts(replies), texts(replies)
    await say(http, svc.url, "warga-foto", "saluran air depan rumah saya mampet, air meluap ke jalan")
    await say(http, svc.url, "warga-foto", "btn:yes")
    await say(http, svc.url, "warga-foto", "Desa Sooko RT 02 RW 01, depan balai desa")
    replies = await say(http, svc.url, "warga-foto", "oalah blm to, yaudah ga ada fotonya")
    assert "privacy:publik" in payloads(replies), texts(replies)


async def test_skipping_the_topic_list_lets_staff_choose(svc, http):
    await a_list_of_two(http, svc, "warga-lewati-list")
    replies = await say(http, svc.url, "warga-lewati-list", "lewati")
    assert "memilihkan" in texts(replies) and "lokasi" in texts(replies).lower(), texts(replies)
