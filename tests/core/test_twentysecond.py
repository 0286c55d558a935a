"""One matter, several reports: joining a duplicate complaint to the one being handled, over real HTTP.

Neighbours report the same pothole. Until now the officer's card said "perhaps the same as WRG-…" and left the
officer to answer every reporter by hand, or to close the newer one with a note its reporter could not follow up.
`/gabung WRG-B WRG-A` (or "WRG-B sama dengan WRG-A" in words, or the desk's button) closes B as joined: B's reporter
is told, follows A's answers, progress and resolution on B's own number, can answer the officers, can say it is not
the same matter, and, when A's reporter withdraws, the matter stays reported by the others.
"""

from __future__ import annotations

import re
from datetime import timedelta

import pytest

from actions import complaint
from actions.duplicates import DUPLICATE_OF, FOLLOWERS
from bot.store.base import STATUS_CLOSED, STATUS_DONE, STATUS_IN_PROGRESS, STATUS_JOINED, Changes, Media

# `svc` is the service on a settable `clock` (Monday 7 December 2026)
from tests.core.test_eighth_look import clock, svc  # noqa: F401
from tests.core.test_flows import enrol, file_complaint
from tests.harness import mailbox, payloads, photo_jpeg, say, texts, upload, wait_for

ENGLISH = "big pothole on the road in front of the balai desa in Sooko village"


async def _pushed(svc, who: str, words: str) -> str:  # noqa: F811
    """Waits until something pushed to `who` holds `words`; gives all that was pushed."""

    async def found() -> str:
        said = texts(await mailbox(svc.store, f"webchat:{who}"))
        return said if words in said else ""

    return await wait_for(found)


async def _last_to(svc, who: str) -> dict:  # noqa: F811
    return (await mailbox(svc.store, f"webchat:{who}"))[-1]


async def _two_reports(http, svc, officer: str, first: str, second: str) -> tuple[str, str]:  # noqa: F811
    await enrol(http, svc, officer)
    return await file_complaint(http, svc.url, first), await file_complaint(http, svc.url, second)


# --- joining ----------------------------------------------------------------------------------------------
async def test_the_card_of_a_second_report_says_how_to_join_it(svc, http):  # noqa: F811
    main, dup = await _two_reports(http, svc, "petugas-g1", "warga-g1a", "warga-g1b")
    card = await _pushed(svc, "petugas-g1", f"/gabung {dup} {main}")
    assert f"Aduan baru *{dup}*" in card, card


async def test_joining_closes_the_duplicate_and_tells_its_reporter(svc, http):  # noqa: F811
    main, dup = await _two_reports(http, svc, "petugas-g2", "warga-g2a", "warga-g2b")
    said = texts(await say(http, svc.url, "petugas-g2", f"/gabung {dup} {main}"))
    assert f"{dup} digabung ke {main}" in said and "1 aduan kini mengikuti" in said, said
    joined, carrier = await svc.store.get_ticket(dup), await svc.store.get_ticket(main)
    assert joined.status == STATUS_JOINED and joined.extra[DUPLICATE_OF] == main and joined.closed_at is None
    assert carrier.extra[FOLLOWERS] == [dup] and carrier.status == "baru"
    told = await _pushed(svc, "warga-g2b", "ternyata sama")
    assert f"*{dup}*" in told and f"*{main}*" in told and "Dinas PUPR" in told, told
    assert payloads([await _last_to(svc, "warga-g2b")]) == [f"/bukan_sama {dup}"]
    kinds = [(e.kind, e.data) for e in await svc.store.ticket_events(main) if e.kind == "merged_in"]
    assert kinds == [("merged_in", {"from": dup})]
    # the main complaint's reporter is not told anything about the other reporter
    assert "warga-g2b" not in texts(await mailbox(svc.store, "webchat:warga-g2a"))


async def test_an_answer_on_the_main_complaint_reaches_the_joined_reporter_and_their_answer_comes_back(
        svc, http):  # noqa: F811
    main, dup = await _two_reports(http, svc, "petugas-g3", "warga-g3a", "warga-g3b")
    await say(http, svc.url, "petugas-g3", f"/gabung {dup} {main}")
    await say(http, svc.url, "petugas-g3", f"/balas {main} Lubangnya kira-kira seberapa besar, bu?")
    told = await _pushed(svc, "warga-g3b", "seberapa besar")
    assert f"aduan Anda *{dup}* digabung dengannya" in told, told
    assert payloads([await _last_to(svc, "warga-g3b")]) == [f"/tanggapi {dup}"]
    # the plain answer, as people answer, reaches the main complaint's officers, marked as the joined reporter's
    said = texts(await say(http, svc.url, "warga-g3b", "kira-kira satu meter pak, dalam juga"))
    assert "sudah kami teruskan kepada Dinas PUPR" in said and main in said, said
    heard = await _pushed(svc, "petugas-g3", "satu meter")
    assert f"Pesan pelapor aduan *{dup}* (digabung ke *{main}*)" in heard, heard
    answers = [e for e in await svc.store.ticket_events(main) if e.kind == "message_in"]
    assert [(e.text, e.data.get("follower"), e.actor) for e in answers] == [
        ("kira-kira satu meter pak, dalam juga", dup, "webchat:warga-g3b")]


async def test_the_tanggapi_button_of_a_joined_complaint_takes_the_next_words(svc, http):  # noqa: F811
    main, dup = await _two_reports(http, svc, "petugas-g4", "warga-g4a", "warga-g4b")
    await say(http, svc.url, "petugas-g4", f"/gabung {dup} {main}")
    asked = texts(await say(http, svc.url, "warga-g4b", f"/tanggapi {dup}"))
    assert dup in asked and "sudah Ditutup" not in asked, asked
    await say(http, svc.url, "warga-g4b", "tolong cepat pak, kemarin ada motor jatuh di situ")
    assert "motor jatuh" in await _pushed(svc, "petugas-g4", "motor jatuh")


async def test_the_status_of_a_joined_complaint_is_the_main_complaints(svc, http):  # noqa: F811
    main, dup = await _two_reports(http, svc, "petugas-g5", "warga-g5a", "warga-g5b")
    await say(http, svc.url, "petugas-g5", f"/gabung {dup} {main}")
    await say(http, svc.url, "petugas-g5", f"/balas {main} Tim kami survei besok pagi")
    replies = await say(http, svc.url, "warga-g5b", f"/status {dup}")
    said = texts(replies)
    assert f"digabung dengan aduan *{main}*" in said and "Sedang diproses" in said, said
    assert "survei besok pagi" in said, said
    assert f"/tanggapi {dup}" in payloads(replies) and f"/bukan_sama {dup}" in payloads(replies)


async def test_progress_reaches_the_joined_reporter(svc, http):  # noqa: F811
    main, dup = await _two_reports(http, svc, "petugas-g6", "warga-g6a", "warga-g6b")
    await say(http, svc.url, "petugas-g6", f"/gabung {dup} {main}")
    await say(http, svc.url, "petugas-g6", f"/proses {main}")
    told = await _pushed(svc, "warga-g6b", "sedang ditindaklanjuti")
    assert f"Aduan *{main}* (aduan Anda *{dup}* digabung dengannya)" in told, told


async def test_done_asks_the_joined_reporter_and_not_yet_separates_their_complaint(svc, http):  # noqa: F811
    main, dup = await _two_reports(http, svc, "petugas-g7", "warga-g7a", "warga-g7b")
    await say(http, svc.url, "petugas-g7", f"/gabung {dup} {main}")
    await say(http, svc.url, "petugas-g7", f"/selesai {main} sudah ditambal aspal")
    told = await _pushed(svc, "warga-g7b", "sudah ditambal aspal")
    assert "Sudah beres?" in told and "digabung dengan aduan Anda" in told, told
    assert payloads([await _last_to(svc, "warga-g7b")]) == [f"fixed:{dup}:yes", f"fixed:{dup}:no"]
    said = texts(await say(http, svc.url, "warga-g7b", "belum pak, lubang yang di depan balai desa masih ada"))
    assert f"*{dup}* kami buka kembali" in said, said
    reopened, carrier = await svc.store.get_ticket(dup), await svc.store.get_ticket(main)
    assert reopened.status == STATUS_IN_PROGRESS and DUPLICATE_OF not in reopened.extra
    assert carrier.extra[FOLLOWERS] == [] and carrier.status == STATUS_DONE
    assert "masih ada" in await _pushed(svc, "petugas-g7", "masih ada")


async def test_the_joined_reporter_rates_their_own_complaint(svc, http):  # noqa: F811
    main, dup = await _two_reports(http, svc, "petugas-g8", "warga-g8a", "warga-g8b")
    await say(http, svc.url, "petugas-g8", f"/gabung {dup} {main}")
    await say(http, svc.url, "petugas-g8", f"/selesai {main} sudah ditambal")
    await _pushed(svc, "warga-g8b", "Sudah beres?")
    await say(http, svc.url, "warga-g8b", f"fixed:{dup}:yes")
    await say(http, svc.url, "warga-g8b", f"nilai:{dup}:5")
    rated = await svc.store.get_ticket(dup)
    assert rated.rating == 5 and rated.status == STATUS_CLOSED
    assert (await svc.store.get_ticket(main)).rating is None  # the main reporter's rating is theirs to give


async def test_not_the_same_matter_opens_it_again_at_its_office(svc, http):  # noqa: F811
    main, dup = await _two_reports(http, svc, "petugas-g9", "warga-g9a", "warga-g9b")
    await say(http, svc.url, "petugas-g9", f"/gabung {dup} {main}")
    said = texts(await say(http, svc.url, "warga-g9b", f"/bukan_sama {dup}"))
    assert "pisahkan lagi" in said and "apa yang berbeda" in said, said
    separated = await svc.store.get_ticket(dup)
    assert separated.status == STATUS_IN_PROGRESS and DUPLICATE_OF not in separated.extra
    assert separated.closed_at is None and separated.due_at is not None
    assert (await svc.store.get_ticket(main)).extra[FOLLOWERS] == []
    told = await _pushed(svc, "petugas-g9", "bukan masalah yang sama")
    assert f"*{dup}*" in told and "dibuka kembali oleh pelapor" not in told, told
    await say(http, svc.url, "warga-g9b", "lubang saya di sisi utara, dekat jembatan, bukan di balai desa")
    assert "sisi utara" in await _pushed(svc, "petugas-g9", "sisi utara")
    said = texts(await say(http, svc.url, "warga-g9b", f"/bukan_sama {dup}"))
    assert "tidak sedang digabung" in said, said


async def test_a_withdrawn_main_complaint_leaves_the_matter_with_the_others(svc, http):  # noqa: F811
    await enrol(http, svc, "petugas-g10")
    main = await file_complaint(http, svc.url, "warga-g10a")
    second = await file_complaint(http, svc.url, "warga-g10b")
    third = await file_complaint(http, svc.url, "warga-g10c")
    await say(http, svc.url, "petugas-g10", f"/gabung {second} {main}")
    await say(http, svc.url, "petugas-g10", f"/gabung {third} {main}")
    await say(http, svc.url, "warga-g10a", "laporan saya tolong dibatalkan saja pak")
    await say(http, svc.url, "warga-g10a", "ya")
    said = texts(await say(http, svc.url, "petugas-g10", f"/selesai {main} -"))
    assert f"aduan {second}, yang digabung ke {main}, dibuka lagi" in said and third in said, said
    carrier, follower = await svc.store.get_ticket(second), await svc.store.get_ticket(third)
    assert carrier.status == STATUS_IN_PROGRESS and carrier.extra[FOLLOWERS] == [third]
    assert follower.status == STATUS_JOINED and follower.extra[DUPLICATE_OF] == second
    assert "kami buka lagi" in await _pushed(svc, "warga-g10b", "atas permintaan pelapornya")
    assert f"digabung dengan aduan *{second}*" in await _pushed(svc, "warga-g10c", f"aduan *{second}*")
    await say(http, svc.url, "petugas-g10", f"/balas {second} Besok kami tambal")
    assert "Besok kami tambal" in await _pushed(svc, "warga-g10c", "Besok kami tambal")


# --- what cannot be joined -----------------------------------------------------------------------------------
async def test_what_cannot_be_joined_is_said_plainly(svc, http):  # noqa: F811
    main, dup = await _two_reports(http, svc, "petugas-g11", "warga-g11a", "warga-g11b")
    await enrol(http, svc, "dishub-g11", opd="dishub")
    said = texts(await say(http, svc.url, "dishub-g11", f"/gabung {dup} {main}"))
    assert "bukan OPD Anda" in said and (await svc.store.get_ticket(dup)).status != STATUS_JOINED, said
    said = texts(await say(http, svc.url, "petugas-g11", f"/gabung {dup} {dup}"))
    assert "dengan dirinya sendiri" in said, said
    said = texts(await say(http, svc.url, "petugas-g11", f"/gabung {dup} WRG-2612-0999"))
    assert "tidak ditemukan" in said, said
    await say(http, svc.url, "petugas-g11", f"/selesai {main} sudah ditambal")
    said = texts(await say(http, svc.url, "petugas-g11", f"/gabung {dup} {main}"))
    assert "tidak dapat menjadi aduan utama" in said and f"/selesai {dup}" in said, said
    assert (await svc.store.get_ticket(dup)).status != STATUS_JOINED


async def test_a_complaint_joined_already_says_where(svc, http):  # noqa: F811
    main, dup = await _two_reports(http, svc, "petugas-g12", "warga-g12a", "warga-g12b")
    await say(http, svc.url, "petugas-g12", f"/gabung {dup} {main}")
    said = texts(await say(http, svc.url, "petugas-g12", f"/gabung {dup} {main}"))
    assert f"sudah digabung ke {main}" in said, said
    info = texts(await say(http, svc.url, "petugas-g12", f"/info {main}"))
    assert f"digabung ke sini: {dup}" in info and f"aduan lain digabung ke sini ({dup})" in info, info
    info = texts(await say(http, svc.url, "petugas-g12", f"/info {dup}"))
    assert f"(digabung ke {main})" in info, info


async def test_a_command_with_one_number_offers_the_complaints_at_the_same_place(svc, http):  # noqa: F811
    main, dup = await _two_reports(http, svc, "petugas-g13", "warga-g13a", "warga-g13b")
    replies = await say(http, svc.url, "petugas-g13", f"/gabung {dup}")
    assert payloads(replies) == [f"/gabung {dup} {main}"], texts(replies)
    await enrol(http, svc, "dishub-g13", opd="dishub")
    other = await file_complaint(http, svc.url, "warga-g13c", text="lampu jalan di gang mawar mati sudah seminggu")
    assert (await svc.store.get_ticket(other)).opd_id == "dishub"
    said = texts(await say(http, svc.url, "dishub-g13", f"/gabung {other}"))
    assert "Tidak ada aduan terbuka lain" in said, said


# --- in words ------------------------------------------------------------------------------------------
async def test_staff_saying_two_complaints_are_the_same_are_offered_the_join(svc, http):  # noqa: F811
    main, dup = await _two_reports(http, svc, "petugas-g14", "warga-g14a", "warga-g14b")
    replies = await say(http, svc.url, "petugas-g14", f"{dup} sama dengan {main} pak")
    assert f"/gabung {dup} {main}" in " ".join(payloads(replies)) or "Gabungkan aduan" in texts(replies), replies
    assert f"*{dup}* ke *{main}*" in texts(replies), texts(replies)
    assert (await svc.store.get_ticket(dup)).status != STATUS_JOINED  # nothing done unasked
    await say(http, svc.url, "petugas-g14", "ya")
    assert (await svc.store.get_ticket(dup)).extra.get(DUPLICATE_OF) == main


async def test_two_numbers_named_as_one_matter_join_the_newer_to_the_older(svc, http):  # noqa: F811
    main, dup = await _two_reports(http, svc, "petugas-g15", "warga-g15a", "warga-g15b")
    replies = await say(http, svc.url, "petugas-g15", f"tolong {main} dan {dup} digabung, itu lubang yang sama")
    assert f"*{dup}* ke *{main}*" in texts(replies), texts(replies)


# --- the same resident, photos, urgency, chains ---------------------------------------------------------------
async def test_the_same_resident_reporting_twice_hears_each_answer_once(svc, http):  # noqa: F811
    main, dup = await _two_reports(http, svc, "petugas-g16", "warga-g16", "warga-g16")
    await say(http, svc.url, "petugas-g16", f"/gabung {dup} {main}")
    await say(http, svc.url, "petugas-g16", f"/balas {main} Kami cek hari ini")
    await _pushed(svc, "warga-g16", "Kami cek hari ini")
    await say(http, svc.url, "petugas-g16", f"/proses {dup}")  # (anything after: the outbox has gone on since)
    await _pushed(svc, "petugas-g16", "")
    jobs = [j for j in await svc.store.list_jobs(limit=1000) if j.payload.get("to") == "webchat:warga-g16"
            and any("Kami cek hari ini" in r["text"] for r in j.payload["replies"])]
    assert len(jobs) == 1, jobs


async def test_the_duplicates_photos_and_urgency_go_to_the_main_complaint(svc, http):  # noqa: F811
    main, dup = await _two_reports(http, svc, "petugas-g17", "warga-g17a", "warga-g17b")
    joined = await svc.store.get_ticket(dup)
    media = "b" * 32
    joined.media.append(media)
    joined.priority = "tinggi"
    await svc.store.commit(Changes(tickets=[joined], media=[Media(id=media, mime="image/jpeg", data=photo_jpeg(),
                                                                  created_at=joined.created_at, ticket=dup)]))
    await say(http, svc.url, "petugas-g17", f"/gabung {dup} {main}")
    carrier = await svc.store.get_ticket(main)
    assert media in carrier.media and carrier.priority == "tinggi"


async def test_a_main_complaint_joined_elsewhere_takes_its_followers_along(svc, http):  # noqa: F811
    await enrol(http, svc, "petugas-g18")
    first = await file_complaint(http, svc.url, "warga-g18a")
    second = await file_complaint(http, svc.url, "warga-g18b")
    third = await file_complaint(http, svc.url, "warga-g18c")
    await say(http, svc.url, "petugas-g18", f"/gabung {third} {second}")
    await say(http, svc.url, "petugas-g18", f"/gabung {second} {first}")
    assert (await svc.store.get_ticket(first)).extra[FOLLOWERS] == [second, third]
    assert (await svc.store.get_ticket(third)).extra[DUPLICATE_OF] == first
    told = await _pushed(svc, "warga-g18c", f"sama dengan aduan *{first}*")  # the number it follows now
    assert f"aduan Anda *{third}* digabung" in told, told
    # naming a joined complaint as the main one joins to the one it follows
    fourth = await file_complaint(http, svc.url, "warga-g18d")
    said = texts(await say(http, svc.url, "petugas-g18", f"/gabung {fourth} {third}"))
    assert f"digabung ke {first}" in said, said
    await say(http, svc.url, "petugas-g18", f"/balas {first} Sudah kami jadwalkan")
    for who in ("warga-g18b", "warga-g18c", "warga-g18d"):
        assert "Sudah kami jadwalkan" in await _pushed(svc, who, "Sudah kami jadwalkan")


async def test_an_english_reporter_hears_the_join_in_english(svc, http):  # noqa: F811
    await enrol(http, svc, "petugas-g19")
    main = await file_complaint(http, svc.url, "warga-g19a")
    replies = await say(http, svc.url, "warga-g19b", ENGLISH)
    await say(http, svc.url, "warga-g19b", "yes")
    await say(http, svc.url, "warga-g19b", "Desa Sooko, in front of the balai desa")
    await say(http, svc.url, "warga-g19b", "skip")
    await say(http, svc.url, "warga-g19b", "public")
    sent = texts(await say(http, svc.url, "warga-g19b", "send"))
    dup = re.search(r"WRG-\d{4}-\d{4}", sent)
    assert dup, (texts(replies), sent)
    await say(http, svc.url, "petugas-g19", f"/gabung {dup.group(0)} {main}")
    told = await _pushed(svc, "warga-g19b", "same matter")
    assert "Every word from the officers will reach you too" in told, told


# --- supporting a neighbour's complaint while filing ---------------------------------------------------------
async def _to_summary(http, svc, who: str, privacy: str = "privacy:publik") -> list:  # noqa: F811
    await say(http, svc.url, who, "jalan di desa Sooko rusak parah banyak lubang")
    await say(http, svc.url, who, "btn:yes")
    await say(http, svc.url, who, "Desa Sooko RT 02 RW 01, depan balai desa")
    await say(http, svc.url, who, "lewati")
    return await say(http, svc.url, who, privacy)


async def test_a_neighbours_open_report_is_offered_for_support_at_the_summary(svc, http):  # noqa: F811
    await enrol(http, svc, "petugas-s1")
    main = await file_complaint(http, svc.url, "warga-s1a")
    await _pushed(svc, "petugas-s1", f"Aduan baru *{main}*")
    replies = await _to_summary(http, svc, "warga-s1b")
    said = texts(replies)
    assert "Warga lain sudah melaporkan Jalan rusak di tempat yang sama" in said, said
    assert main not in said  # a neighbour's complaint is not for others to follow up by its number
    assert "btn:support" in payloads(replies) and "btn:send" in payloads(replies), payloads(replies)
    said = texts(await say(http, svc.url, "warga-s1b", "btn:support"))
    found = re.search(r"nomor \*(WRG-\d{4}-\d{4})\* dan mendukung aduan \*" + main, said)
    assert found, said
    mine = found.group(1)
    joined, carrier = await svc.store.get_ticket(mine), await svc.store.get_ticket(main)
    assert joined.status == STATUS_JOINED and joined.extra[DUPLICATE_OF] == main and carrier.extra[FOLLOWERS] == [mine]
    heard = await _pushed(svc, "petugas-s1", "Warga lain melaporkan hal yang sama")
    assert f"aduannya *{mine}*" in heard and "banyak lubang" in heard, heard
    assert f"Aduan baru *{mine}*" not in heard  # no second card for the same matter
    await say(http, svc.url, "petugas-s1", f"/balas {main} Besok pagi kami tambal")
    assert f"aduan Anda *{mine}*" in await _pushed(svc, "warga-s1b", "Besok pagi kami tambal")


async def test_support_typed_in_words_and_sending_ones_own_still_works(svc, http):  # noqa: F811
    await enrol(http, svc, "petugas-s2")
    main = await file_complaint(http, svc.url, "warga-s2a")
    await _to_summary(http, svc, "warga-s2b")
    said = texts(await say(http, svc.url, "warga-s2b", "dukung aja pak"))
    assert f"mendukung aduan *{main}*" in said, said
    await _to_summary(http, svc, "warga-s2c")
    said = texts(await say(http, svc.url, "warga-s2c", "btn:send"))
    own = re.search(r"WRG-\d{4}-\d{4}", said)
    assert own and "mendukung" not in said, said
    assert (await svc.store.get_ticket(own.group(0))).status == "baru"  # a separate complaint, as chosen


async def test_a_confidential_or_anonymous_report_is_never_offered(svc, http):  # noqa: F811
    await file_complaint(http, svc.url, "warga-s3a", privacy="privacy:rahasia")
    await file_complaint(http, svc.url, "warga-s3b", privacy="privacy:anonim")
    replies = await _to_summary(http, svc, "warga-s3c")
    assert "Warga lain" not in texts(replies) and "btn:support" not in payloads(replies), texts(replies)


async def test_ones_own_open_report_is_offered_as_before_not_for_support(svc, http):  # noqa: F811
    await file_complaint(http, svc.url, "warga-s4b")
    own = await file_complaint(http, svc.url, "warga-s4a")
    replies = await _to_summary(http, svc, "warga-s4a")
    assert "sudah punya aduan" in texts(replies) and own in texts(replies), texts(replies)
    assert "btn:merge" in payloads(replies) and "btn:support" not in payloads(replies), payloads(replies)


async def test_a_report_finished_meanwhile_is_not_supported(svc, http):  # noqa: F811
    await enrol(http, svc, "petugas-s5")
    main = await file_complaint(http, svc.url, "warga-s5a")
    await _to_summary(http, svc, "warga-s5b")
    await say(http, svc.url, "petugas-s5", f"/selesai {main} sudah ditambal")
    replies = await say(http, svc.url, "warga-s5b", "btn:support")
    assert "Ringkasan aduan" in texts(replies) and "btn:support" not in payloads(replies), texts(replies)
    assert not [t for t in await svc.store.recent_tickets("webchat:warga-s5b", 5)]


# --- domestic violence told of by a neighbour ----------------------------------------------------------------
@pytest.mark.parametrize("typed, witness", [
    ("ada KDRT di rumah sebelah, tiap malam istrinya teriak minta tolong", True),
    ("tetangga saya sering kdrt, anaknya juga kena", True),
    ("my neighbour's house, domestic violence every night", True),
    ("saya korban kdrt, suami saya sering memukul saya", False),
    ("kdrt", False),
    ("saya korban kdrt, malu sama tetangga", False),  # the writer's own, whoever else is named
    ("aku kena kdrt, temen ku bilang lapor aja", False),
    ("I am a victim of domestic violence, my neighbour told me to report", False),
])
def test_domestic_violence_next_door_is_told_as_witnessed(typed, witness):
    assert complaint.harmed(typed) and complaint.witnessed(typed) is witness


async def test_a_neighbour_telling_of_violence_next_door_is_not_addressed_as_its_victim(svc, http):  # noqa: F811
    replies = await say(http, svc.url, "warga-k1", "ada KDRT di rumah sebelah, tiap malam istrinya teriak minta tolong")
    said = texts(replies)
    assert "Terima kasih sudah peduli" in said and "112" in said and "08111-129-129" in said, said
    assert "apa yang Anda alami" not in said and "Keselamatan Anda" not in said, said
    await say(http, svc.url, "warga-k1", "btn:yes")
    await say(http, svc.url, "warga-k1", "desa sooko")
    summary = texts(await say(http, svc.url, "warga-k1", "lewati"))
    assert "Rahasia" in summary, summary
    said = texts(await say(http, svc.url, "warga-k2", "saya korban kdrt, suami saya sering memukul saya"))
    assert "apa yang Anda alami" in said and "Terima kasih sudah peduli" not in said, said


# --- answers meant for one reporter; sensitive complaints; the matter's other turns -----------------------------
async def test_an_answer_to_the_joined_reporter_alone_reaches_only_them(svc, http):  # noqa: F811
    main, dup = await _two_reports(http, svc, "petugas-j1", "warga-j1a", "warga-j1b")
    await say(http, svc.url, "petugas-j1", f"/gabung {dup} {main}")
    await say(http, svc.url, "petugas-j1", f"/balas {main} Lubangnya di sebelah mana, pak/bu?")
    await _pushed(svc, "warga-j1b", "sebelah mana")
    await say(http, svc.url, "warga-j1b", "di depan rumah no 12 pak, rumah saya")
    await _pushed(svc, "petugas-j1", "rumah no 12 pak")
    card = [m for m in await mailbox(svc.store, "webchat:petugas-j1") if "rumah no 12 pak" in m.get("text", "")][0]
    assert f"/balas {dup}" in payloads([card]) and f"/balas {main}" in payloads([card]), card
    said = texts(await say(http, svc.url, "petugas-j1", f"/balas {dup} Baik, rumah no 12 kami catat"))
    assert dup in said, said
    assert "rumah no 12 kami catat" in await _pushed(svc, "warga-j1b", "rumah no 12 kami catat")
    assert "rumah no 12 kami catat" not in texts(await mailbox(svc.store, "webchat:warga-j1a"))


async def test_thanks_and_not_fixed_from_a_joined_reporter_go_to_the_main_complaint(svc, http):  # noqa: F811
    main, dup = await _two_reports(http, svc, "petugas-j2", "warga-j2a", "warga-j2b")
    await say(http, svc.url, "petugas-j2", f"/gabung {dup} {main}")
    await say(http, svc.url, "petugas-j2", f"/balas {main} Sudah kami jadwalkan Kamis")
    await _pushed(svc, "warga-j2b", "jadwalkan Kamis")
    await say(http, svc.url, "warga-j2b", "oke makasih pak")
    assert f"aduan *{dup}*" in await _pushed(svc, "petugas-j2", "oke makasih")
    await say(http, svc.url, "warga-j2b", "masih rusak pak, malah tambah lebar lubangnya")
    assert "tambah lebar" in await _pushed(svc, "petugas-j2", "tambah lebar")
    joined = await svc.store.get_ticket(dup)
    assert joined.extra.get(DUPLICATE_OF) == main and joined.status == STATUS_JOINED  # still joined, not split off
    notes = [e.data.get("follower") for e in await svc.store.ticket_events(main) if e.kind == "message_in"]
    assert notes == [dup, dup], notes


async def test_confidential_and_violence_reports_are_never_joined(svc, http):  # noqa: F811
    await enrol(http, svc, "petugas-j3")
    main = await file_complaint(http, svc.url, "warga-j3a")
    secret = await file_complaint(http, svc.url, "warga-j3b", privacy="privacy:rahasia")
    said = texts(await say(http, svc.url, "petugas-j3", f"/gabung {secret} {main}"))
    assert "tidak dapat digabung" in said and (await svc.store.get_ticket(secret)).status != STATUS_JOINED, said
    said = texts(await say(http, svc.url, "petugas-j3", f"/gabung {main} {secret}"))
    assert "tidak dapat digabung" in said, said
    violence = await file_complaint(http, svc.url, "warga-j3c")
    ticket = await svc.store.get_ticket(violence)
    ticket.topic = "aduan_kekerasan_perempuan_anak"
    await svc.store.commit(Changes(tickets=[ticket]))
    said = texts(await say(http, svc.url, "petugas-j3", f"/gabung {violence} {main}"))
    assert "tidak dapat digabung" in said, said


async def test_a_complaint_without_an_office_separated_again_goes_back_to_triage(svc, http):  # noqa: F811
    await enrol(http, svc, "operator-j4", role="operator", opd=None)
    main = await file_complaint(http, svc.url, "warga-j4a")
    dup = await file_complaint(http, svc.url, "warga-j4b")
    ticket = await svc.store.get_ticket(dup)
    ticket.opd_id, ticket.status = None, "triase"
    await svc.store.commit(Changes(tickets=[ticket]))
    said = texts(await say(http, svc.url, "operator-j4", f"/gabung {dup} {main}"))
    assert f"{dup} digabung ke {main}" in said, said
    await say(http, svc.url, "warga-j4b", f"/bukan_sama {dup}")
    separated = await svc.store.get_ticket(dup)
    assert separated.status == "triase" and separated.due_at is not None
    assert dup in texts(await say(http, svc.url, "operator-j4", "/triase"))


async def test_a_withdrawn_main_complaint_closes_its_reporters_own_second_report(svc, http):  # noqa: F811
    await enrol(http, svc, "petugas-j5")
    main = await file_complaint(http, svc.url, "warga-j5a")
    again = await file_complaint(http, svc.url, "warga-j5a")  # the same resident, twice
    other = await file_complaint(http, svc.url, "warga-j5b")
    await say(http, svc.url, "petugas-j5", f"/gabung {again} {main}")
    await say(http, svc.url, "petugas-j5", f"/gabung {other} {main}")
    await say(http, svc.url, "warga-j5a", "laporan saya tolong dibatalkan saja pak")
    await say(http, svc.url, "warga-j5a", "ya")
    said = texts(await say(http, svc.url, "petugas-j5", f"/selesai {main} -"))
    assert f"aduan {other}, yang digabung ke {main}, dibuka lagi" in said, said
    assert (await svc.store.get_ticket(again)).status == STATUS_CLOSED
    assert (await svc.store.get_ticket(other)).status == STATUS_IN_PROGRESS
    card = await _pushed(svc, "petugas-j5", "kini menjadi aduan utamanya")
    assert f"*{other}*" in card, card


async def test_an_archived_main_complaint_archives_the_joined_ones_and_tells_their_reporters(svc, http):  # noqa: F811
    await enrol(http, svc, "petugas-j6")
    await enrol(http, svc, "operator-j6", role="operator", opd=None)
    main, dup = await file_complaint(http, svc.url, "warga-j6a"), await file_complaint(http, svc.url, "warga-j6b")
    await say(http, svc.url, "petugas-j6", f"/gabung {dup} {main}")
    await say(http, svc.url, "operator-j6", f"/arsipkan {main} jalan provinsi, kewenangan Dinas PU provinsi")
    assert (await svc.store.get_ticket(dup)).status == "diarsipkan"
    assert "kewenangan Dinas PU provinsi" in await _pushed(svc, "warga-j6b", "kewenangan Dinas PU provinsi")


async def test_a_joined_reporter_asking_weeks_later_gets_the_overdue_status(svc, http, clock):  # noqa: F811
    main, dup = await _two_reports(http, svc, "petugas-j7", "warga-j7a", "warga-j7b")
    await say(http, svc.url, "petugas-j7", f"/gabung {dup} {main}")
    clock.now += timedelta(days=21)
    replies = await say(http, svc.url, "warga-j7b", "pak sudah 3 minggu kok belum ada yang datang?")
    said = texts(replies)
    assert f"digabung dengan aduan *{main}*" in said and "/bupati" in payloads(replies), said
    assert not [t for t in await svc.store.recent_tickets("webchat:warga-j7b", 5) if t.number != dup]


async def test_a_main_complaint_reopened_tells_the_joined_reporters(svc, http):  # noqa: F811
    main, dup = await _two_reports(http, svc, "petugas-j8", "warga-j8a", "warga-j8b")
    await say(http, svc.url, "petugas-j8", f"/gabung {dup} {main}")
    await say(http, svc.url, "petugas-j8", f"/selesai {main} sudah ditambal")
    await _pushed(svc, "warga-j8b", "Sudah beres?")
    assert (await svc.store.get_ticket(dup)).status == STATUS_DONE
    await say(http, svc.url, "warga-j8a", "belum pak, masih berlubang")
    assert "dibuka kembali" in await _pushed(svc, "warga-j8b", "dibuka kembali")
    joined = await svc.store.get_ticket(dup)
    assert joined.status == STATUS_JOINED and joined.extra[DUPLICATE_OF] == main


async def test_a_joined_reporter_withdrawing_stops_following_and_the_matter_goes_on(svc, http):  # noqa: F811
    main, dup = await _two_reports(http, svc, "petugas-j9", "warga-j9a", "warga-j9b")
    await say(http, svc.url, "petugas-j9", f"/gabung {dup} {main}")
    replies = await say(http, svc.url, "warga-j9b", "laporan saya tolong dibatalkan saja pak")
    assert f"digabung dengan aduan *{main}*" in texts(replies) and "btn:withdraw_yes" in payloads(replies), replies
    said = texts(await say(http, svc.url, "warga-j9b", "ya"))
    assert "tidak lagi kami kirim" in said, said
    joined, carrier = await svc.store.get_ticket(dup), await svc.store.get_ticket(main)
    assert DUPLICATE_OF not in joined.extra and joined.status == STATUS_CLOSED and carrier.extra[FOLLOWERS] == []
    assert carrier.status == "baru"  # the matter goes on for its own reporter
    await say(http, svc.url, "petugas-j9", f"/balas {main} Kami survei besok")
    await _pushed(svc, "warga-j9a", "Kami survei besok")
    assert "Kami survei besok" not in texts(await mailbox(svc.store, "webchat:warga-j9b"))


async def test_a_joined_complaint_is_neither_open_nor_resolved_until_the_main_one_is_done(svc, http, clock):  # noqa: F811
    """An office cannot make its figures look better by joining complaints: a joined one leaves the open count but
    is not resolved (FixMyStreet's "duplicate" state); done with the main complaint, it counts as done."""
    from actions.oversight import Period, oversight
    from bot.workdays import WorkCalendar

    calendar = WorkCalendar("Asia/Jakarta")
    period = Period.last_days(calendar, clock.now, 7)
    main, dup = await _two_reports(http, svc, "petugas-j10", "warga-j10a", "warga-j10b")
    await say(http, svc.url, "petugas-j10", f"/gabung {dup} {main}")
    figures = (await oversight(svc.store, calendar, clock.now, period, opd_id="dinas-pupr")).total
    assert (figures.received, figures.open, figures.resolved) == (2, 1, 0), figures
    clock.now += timedelta(hours=2)
    await say(http, svc.url, "petugas-j10", f"/selesai {main} sudah ditambal")
    figures = (await oversight(svc.store, calendar, clock.now, period, opd_id="dinas-pupr")).total
    assert (figures.received, figures.open, figures.resolved) == (2, 0, 2), figures


async def test_english_and_long_forms_of_the_join_command(svc, http):  # noqa: F811
    main, dup = await _two_reports(http, svc, "petugas-j11", "warga-j11a", "warga-j11b")
    said = texts(await say(http, svc.url, "petugas-j11", f"/merge {dup} into {main}"))
    assert f"{dup} digabung ke {main}" in said, said
    said = texts(await say(http, svc.url, "warga-j11b", f"/notsame {dup}"))
    assert "pisahkan lagi" in said, said


async def test_asking_what_support_means_is_answered_and_a_photo_after_supporting_is_kept(svc, http):  # noqa: F811
    await enrol(http, svc, "petugas-s6")
    main = await file_complaint(http, svc.url, "warga-s6a")
    await _to_summary(http, svc, "warga-s6b")
    replies = await say(http, svc.url, "warga-s6b", "dukung itu maksudnya apa?")
    said = texts(replies)
    assert "Mendukung berarti" in said and not re.search(r"WRG-\d{4}-\d{4}", said), said  # nothing filed yet
    assert "btn:support" in payloads(replies) and not await svc.store.recent_tickets("webchat:warga-s6b", 1), said
    said = texts(await say(http, svc.url, "warga-s6b", "btn:support"))
    mine = re.search(r"nomor \*(WRG-\d{4}-\d{4})\*", said)
    assert mine, said
    replies = await upload(http, svc.url, "warga-s6b", photo_jpeg(), caption="ini fotonya pak")
    assert "belum memahami" not in texts(replies), texts(replies)
    carrier = await svc.store.get_ticket(main)
    assert len(carrier.media) == 1, carrier.media
    await say(http, svc.url, "warga-s6b", "oh iya tambahan, lubangnya dekat halte juga")
    assert "dekat halte" in await _pushed(svc, "petugas-s6", "dekat halte")


async def test_joining_an_older_report_to_a_newer_one_keeps_the_earlier_deadline(svc, http, clock):  # noqa: F811
    await enrol(http, svc, "petugas-j12")
    older = await file_complaint(http, svc.url, "warga-j12a")
    clock.now += timedelta(days=3)
    newer = await file_complaint(http, svc.url, "warga-j12b")
    due = (await svc.store.get_ticket(older)).due_at
    assert due is not None and due < (await svc.store.get_ticket(newer)).due_at
    await say(http, svc.url, "petugas-j12", f"/gabung {older} {newer}")
    assert (await svc.store.get_ticket(newer)).due_at == due  # joining never buys an office time
