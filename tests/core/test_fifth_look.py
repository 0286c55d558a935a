"""Turns found by a fifth exploratory session, as staff on Telegram, each through the real service: a "not yet"
with more words after "Sudah beres?" reopens the ticket, so does naming the finished ticket inside another
complaint; the summary counts village letters apart from triage; the regent hears that a disposition reached
nobody; a topic the resident turned down is not offered again as a second complaint; /balas reads a loosely typed
number and says when its words were not sent.
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest

from bot.store.base import LETTER_KIND, STATUS_IN_PROGRESS, Changes, Ticket
from tests.core.test_conversations import tickets_of
from tests.core.test_flows import TICKET, enrol, file_complaint
from tests.harness import mailbox, make_settings, payloads, running_service, say, texts, unmarked, wait_for
from tests.integrations.test_regent import regent_says, write_to_regent
from tests.integrations.test_regent import svc as regent_svc  # noqa: F401 - the regent's service, as a fixture


@pytest.fixture
async def svc(tmp_path: Path, nlu_model_path: Path):
    async with running_service(make_settings(tmp_path)) as service:
        yield service


async def done_and_asked(http, svc, officer: str, resident: str) -> str:
    """A complaint filed, finished by its officer, and the resident asked "Sudah beres?"."""
    number = await file_complaint(http, svc.url, resident)
    await say(http, svc.url, officer, f"/selesai {number} sudah ditambal tim UPT jalan hari ini, 5 lubang")

    async def asked() -> bool:
        return any("Sudah beres?" in i["text"] for i in await mailbox(svc.store, f"webchat:{resident}"))
    await wait_for(asked)
    return number


async def officer_heard(svc, officer: str, words: str) -> bool:
    return any(words in i["text"] for i in await mailbox(svc.store, f"webchat:{officer}"))


async def test_not_yet_with_more_words_reopens_and_the_officer_hears_them(svc, http):
    await enrol(http, svc, "agus")
    number = await done_and_asked(http, svc, "agus", "budi")
    replies = await say(http, svc.url, "budi",
                        "lho belum pak, yg depan masjid masih bolong 2, cuma ditaburi pasir doang")
    assert "buka kembali" in texts(replies) and "Kami belum yakin" not in texts(replies), texts(replies)
    ticket = await svc.store.get_ticket(number)
    assert ticket.status == STATUS_IN_PROGRESS and len(await tickets_of(svc, "budi")) == 1
    await wait_for(lambda: officer_heard(svc, "agus", "masih bolong 2"))


async def test_naming_the_finished_ticket_inside_a_new_complaint_reopens_it(svc, http):
    await enrol(http, svc, "agus")
    number = await done_and_asked(http, svc, "agus", "rina")
    await say(http, svc.url, "rina", "mau lapor")  # a complaint started by mistake
    replies = await say(http, svc.url, "rina", f"bukan aduan baru pak, maksud saya yg tadi {number} itu belum beres")
    assert number in texts(replies) and "buka kembali" in texts(replies), texts(replies)
    assert (await svc.store.get_ticket(number)).status == STATUS_IN_PROGRESS


async def test_the_summary_counts_village_letters_apart_from_triage(svc, http):
    await enrol(http, svc, "operator-1", "operator", None)
    now = svc.runtime.services.clock()
    await svc.store.commit(Changes(tickets=[Ticket(
        number="SRT-2612-0001", kind=LETTER_KIND, topic="sktm", opd_id=None, status="menunggu_kades",
        text="Surat keterangan tidak mampu", reporter="webchat:rina", created_at=now - timedelta(hours=1),
        updated_at=now - timedelta(hours=1))]))
    summary = texts(await say(http, svc.url, "operator-1", "/ringkasan"))
    assert "Surat pengantar desa: 1" in summary and "Triase" not in summary, summary
    # Without WARGA_PUBLIC_URL the dashboard's address is where the service listens, never a bare "/desk".
    assert "dasbor: http://127.0.0.1:" in summary and summary.endswith("/desk"), summary  # its port, 0 in tests


async def test_the_regent_hears_that_a_disposition_reached_nobody(regent_svc, http):  # noqa: F811
    number = await write_to_regent(http, regent_svc, "warga9", "Harga pupuk di kios resmi Desa Sooko naik terus")
    answer = await regent_says(regent_svc, f"/disposisi {number} disperindag tolong diperiksa")
    assert "didisposisikan" in answer and "belum ada petugas" in answer, answer


async def test_a_topic_turned_down_is_not_offered_again_as_a_second_complaint(svc, http):
    text = ("Ada tower BTS baru dibangun di belakang rumah warga tanpa sosialisasi. "
            "Warga khawatir radiasi menara telekomunikasi itu")
    replies = await say(http, svc.url, "sari", text)
    if "btn:yes" in payloads(replies):  # confidently read as a telecom tower: turned down
        replies = await say(http, svc.url, "sari", "btn:change_topic")
    other = next(b["payload"] for r in replies for b in r.get("buttons", [])
                 if unmarked(b["payload"]) == "topic:lainnya")
    replies = await say(http, svc.url, "sari", other)
    for message in ("Desa Sooko RT 02 RW 01", "lewati", "privacy:publik", "btn:send"):
        replies = await say(http, svc.url, "sari", message)
    assert TICKET.search(texts(replies)), texts(replies)
    assert "masalah lain" not in texts(replies) and "btn:also" not in payloads(replies), texts(replies)


async def test_reply_reads_a_loose_number_and_says_when_nothing_was_sent(svc, http):
    await enrol(http, svc, "agus")
    number = await file_complaint(http, svc.url, "dewi")
    loose = number.lower().replace("-", " ")  # "wrg 2612 0001"
    replies = await say(http, svc.url, "agus", f"/balas {loose} Tim kami meninjau lokasi besok pagi")
    assert "Cara pakai" not in texts(replies), texts(replies)
    await wait_for(lambda: officer_heard(svc, "dewi", "meninjau lokasi besok pagi"))
    # A serial alone that is none of the officer's tickets: nothing sent, and said so ("0001", the one ticket of
    # that number they handle, is taken since the eleventh trial: tests/core/test_eleventh_staff.py).
    replies = await say(http, svc.url, "agus", "/balas 0009 sudah kami cek")
    assert "belum terkirim" in texts(replies), texts(replies)
    replies = await say(http, svc.url, "agus", "/balas nomor satu sudah kami cek")
    assert "belum terkirim" in texts(replies), texts(replies)


async def test_an_agency_named_in_two_words_is_read_whole_by_transfer_and_disposition(svc, http):
    """/alihkan and /disposisi name the agency as staff say it ("satpol pp", "dinas pendidikan"); what follows is
    the reason or the instruction."""
    await enrol(http, svc, "agus")
    await enrol(http, svc, "sri-satpol", opd="satpol-pp")
    number = await file_complaint(http, svc.url, "dewi")
    await say(http, svc.url, "agus", "/nama Agus PUPR")
    answer = texts(await say(http, svc.url, "agus", f"/alihkan {number} satpol pp yang jualan di trotoar itu PKL"))
    assert "tidak dikenal" not in answer, answer
    ticket = await svc.store.get_ticket(number)
    assert ticket.opd_id == "satpol-pp", (ticket.opd_id, answer)
    events = await svc.store.ticket_events(number, "rerouted")
    assert events and events[-1].text == "yang jualan di trotoar itu PKL", events
    # The new OPD's card says where it came from, who moved it and why.
    await wait_for(lambda: officer_heard(svc, "sri-satpol", number))
    card = next(i["text"] for i in await mailbox(svc.store, "webchat:sri-satpol") if number in i["text"])
    assert card.startswith("↪️ Dialihkan ke OPD Anda dari Dinas PUPR oleh Agus PUPR. Alasan:"), card
    assert "Alasan: yang jualan di trotoar itu PKL" in card and "Aduan baru" in card, card
    # /info names who did each step: the reporter as "Pelapor", staff by name.
    info = texts(await say(http, svc.url, "sri-satpol", f"/info {number}"))
    assert "(Pelapor)" in info and "(Agus PUPR): yang jualan di trotoar itu PKL" in info, info


async def test_the_regents_disposition_reads_an_agency_of_two_words(regent_svc, http):  # noqa: F811
    number = await write_to_regent(http, regent_svc, "warga8", "Gedung SD di Desa Sooko atapnya bocor sejak Oktober")
    answer = await regent_says(regent_svc, f"/disposisi {number} dinas pendidikan tolong dicek minggu ini")
    assert "didisposisikan" in answer, answer
    ticket = await regent_svc.store.get_ticket(number)
    assert ticket.opd_id == "dinas-pendidikan", answer
    assert ticket.extra["disposition"]["instruction"] == "tolong dicek minggu ini"


async def test_marking_in_progress_again_tells_the_resident_nothing_twice(svc, http):
    """A reply puts the ticket in progress; "/proses" after it (or a second one) says so, records nothing and
    sends the resident nothing; on a new ticket it still tells the resident."""
    await enrol(http, svc, "agus")
    number = await file_complaint(http, svc.url, "tono")
    await say(http, svc.url, "agus", f"/balas {number} Baik pak, tim kami cek besok pagi.")

    async def told() -> int:
        return sum("sedang ditindaklanjuti" in i["text"] for i in await mailbox(svc.store, "webchat:tono"))
    answer = texts(await say(http, svc.url, "agus", f"/proses {number}"))
    assert "sudah berstatus sedang diproses" in answer and f"/balas {number}" in answer, answer
    assert await told() == 0
    assert len(await svc.store.ticket_events(number, "status")) == 1  # the reply's
    other = await file_complaint(http, svc.url, "tini")

    async def told() -> int:
        return sum("sedang ditindaklanjuti" in i["text"] for i in await mailbox(svc.store, "webchat:tini"))
    answer = texts(await say(http, svc.url, "agus", f"/proses {other}"))
    assert "ditandai sedang diproses" in answer, answer
    await wait_for(lambda: told())
    answer = texts(await say(http, svc.url, "agus", f"/proses {other}"))
    assert "sudah berstatus sedang diproses" in answer and await told() == 1, answer


async def test_an_answer_to_the_regent_is_said_to_reach_the_regent(regent_svc, http):  # noqa: F811
    number = await write_to_regent(http, regent_svc, "warga7", "Pak Bupati, jalan desa kami belum diaspal sejak 2019")
    await regent_says(regent_svc, f"/balas {number} Terima kasih, di dusun mana tepatnya?")
    replies = await say(http, regent_svc.url, "warga7", "di dusun Krajan RT 3 pak, sudah berlubang semua")
    assert "sampaikan kepada Bupati" in texts(replies) and "petugas" not in texts(replies), texts(replies)
