"""Turns found by a second exploratory session on the service's defaults (residents, officers of three OPDs, the
operator and the regent), each through the real REST endpoint: more details right after filing, a cancelled
complaint wanted after all, the description changed at the summary, choices typed with a filler word, a ticket
that is no OPD's matter, who the resident is told answered, and answers that would have reached nobody.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.core.test_awkward_turns import to_summary
from tests.core.test_conversations import tickets_of
from tests.core.test_flows import TICKET, enrol, file_complaint
from tests.harness import mailbox, make_settings, payloads, running_service, say, texts, wait_for


async def mail_with(svc, sender: str, words: str) -> list[dict]:
    """What `sender` has been sent that contains `words`."""
    return [m for m in await mailbox(svc.store, sender) if words in m["text"]]


@pytest.fixture
async def svc(tmp_path: Path, nlu_model_path: Path):
    async with running_service(make_settings(tmp_path)) as service:
        yield service


async def test_more_details_right_after_filing_reach_that_ticket(svc, http):
    await enrol(http, svc, "pupr-tambah")
    number = await file_complaint(http, svc.url, "tono")
    addition = "oh iya pak tambahan, lubangnya selebar 1 meter udah 2 motor jatuh"
    replies = await say(http, svc.url, "tono", addition)
    assert number in texts(replies) and "belum yakin" not in texts(replies), texts(replies)
    assert [e.text for e in await svc.store.ticket_events(number, "message_in")] == [addition]
    assert await wait_for(lambda: mail_with(svc, "webchat:pupr-tambah", addition))
    assert len(await tickets_of(svc, "tono")) == 1


async def test_a_cancelled_complaint_comes_back_when_the_resident_wants_it_after_all(svc, http):
    report = "sampah numpuk di pinggir jalan raya dekat pasar Sooko sudah seminggu tidak diangkut, baunya menyengat"
    replies = await say(http, svc.url, "rina2", report)
    assert "btn:yes" in payloads(replies) or "topic:lainnya" in payloads(replies), texts(replies)
    await say(http, svc.url, "rina2", "gajadi deh")
    replies = await say(http, svc.url, "rina2", "eh bentar, jadi deh lapor sampah tadi")
    assert "kami lanjutkan" in texts(replies), texts(replies)
    if "btn:yes" in payloads(replies):
        await say(http, svc.url, "rina2", "btn:yes")
    else:
        await say(http, svc.url, "rina2", "sampah")
    for message in ("Jalan raya Sooko depan pasar", "lewati", "privacy:publik"):
        replies = await say(http, svc.url, "rina2", message)
    assert report in texts(replies)
    await say(http, svc.url, "rina2", "btn:send")
    [ticket] = await tickets_of(svc, "rina2")
    assert ticket.text == report


async def test_the_description_is_added_to_or_replaced_at_the_summary(svc, http):
    await to_summary(http, svc, "dedi")
    replies = await say(http, svc.url, "dedi", "isinya mau ditambah: lubangnya 1 meter, udah 2 motor jatuh")
    assert "sudah kami tambahkan" in texts(replies) and "btn:send" in payloads(replies), texts(replies)
    assert "banyak lubang\nlubangnya 1 meter" in texts(replies)
    replies = await say(http, svc.url, "dedi", "isinya salah, mau saya ganti")
    assert "uraian aduan yang baru" in texts(replies)
    new = "jalan di desa Sooko ambles separuh badan jalan, truk tidak bisa lewat"
    replies = await say(http, svc.url, "dedi", new)
    assert new in texts(replies) and "banyak lubang" not in texts(replies), texts(replies)
    await say(http, svc.url, "dedi", "btn:send")
    [ticket] = await tickets_of(svc, "dedi")
    assert ticket.text == new


@pytest.mark.parametrize(("typed", "privacy"), [("anonim aja ya", "anonim"), ("publik aja gpp", "publik"),
                                                ("rahasia saja pak, jangan publik", "rahasia")])
async def test_a_privacy_choice_typed_with_filler_words_is_taken(svc, http, typed, privacy):
    sender = f"yuni-{privacy}"
    from tests.core.test_awkward_turns import start_to_location

    await start_to_location(http, svc, sender)
    await say(http, svc.url, sender, "Desa Sooko RT 02, depan masjid")
    await say(http, svc.url, sender, "lewati")
    replies = await say(http, svc.url, sender, typed)
    assert "btn:send" in payloads(replies), texts(replies)
    await say(http, svc.url, sender, "btn:send")
    [ticket] = await tickets_of(svc, sender)
    assert ticket.privacy == privacy


def test_ratings_photos_and_yes_typed_with_more_words() -> None:
    from actions.complaint import _ENOUGH, privacy_in
    from actions.resident import asks_status, fixed_answer, rating_in

    assert rating_in("4 deh lumayan cepet") == (4, "4 deh lumayan cepet")
    assert rating_in("sudah 3 hari") is None and rating_in("masih 2 lubang") is None
    assert fixed_answer("alhamdulillah udh nyala semua mas makasih") is True
    assert fixed_answer("alhamdulillah tapi masih bocor") is None
    assert all(_ENOUGH.match(t) for t in ("udah itu aja", "sudah cukup", "itu saja pak", "that's all"))
    # (a bare "sudah" is enough once a photo came: the twelfth trial's "udah" after a photo)
    assert not _ENOUGH.match("sudah rusak") and privacy_in("jangan publik") is None
    assert privacy_in("publik atau anonim") is None
    for typed in ("surat saya udah jadi belum?", "permohonan surat pengantar saya sudah sampai mana",
                  "is my letter ready?"):
        assert asks_status(typed), typed
    assert not asks_status("kalo mau bikin surat pengantar skck gimana caranya ya?")


async def test_an_officer_returns_a_ticket_that_is_no_agencys_matter_to_triage(svc, http):
    await enrol(http, svc, "pupr-tol")
    await enrol(http, svc, "operator-tol", role="operator", opd=None)
    number = await file_complaint(http, svc.url, "bima")
    replies = await say(http, svc.url, "pupr-tol", f"/alihkan {number} triase")
    assert "bukan kewenangan" in texts(replies)
    replies = await say(http, svc.url, "pupr-tol", "ini jalan tol, kewenangan badan usaha jalan tol")
    assert "dikembalikan ke operator" in texts(replies), texts(replies)
    ticket = await svc.store.get_ticket(number)
    # triage's own short deadline (actions/sla.py `triage_deadline`), not none
    assert ticket.opd_id is None and ticket.status == "triase" and ticket.due_at is not None
    [returned] = await svc.store.ticket_events(number, "returned")
    assert returned.data["from_opd"] == "dinas-pupr" and "jalan tol" in returned.text
    told = await wait_for(lambda: mail_with(svc, "webchat:bima", "bukan kewenangan"))
    assert "Dinas PUPR" in told[-1]["text"]
    await wait_for(lambda: mail_with(svc, "webchat:operator-tol", number))
    replies = await say(http, svc.url, "pupr-tol", f"/proses {number}")
    assert "bukan aduan OPD Anda" in texts(replies)
    # the operator answers and closes it: the resident reads who did, not "the regent" nor "-"
    await say(http, svc.url, "operator-tol", f"/balas {number} Jalan tol dikelola Jasa Marga, hubungi 14080")
    await say(http, svc.url, "operator-tol", f"/selesai {number} bukan kewenangan kabupaten")

    notices = await wait_for(lambda: mail_with(svc, "webchat:bima", "oleh Layanan Aduan"))
    joined = " ".join(m["text"] for m in await mailbox(svc.store, "webchat:bima"))
    assert "Tanggapan dari Layanan Aduan" in joined and "oleh Layanan Aduan" in joined, joined
    assert "Tanggapan dari -" not in joined and "oleh Bupati" not in joined and notices


async def test_an_answer_on_a_disposed_message_to_the_regent_reaches_the_regent_when_the_opd_has_nobody(svc, http):
    await enrol(http, svc, "ajudan2", role="regent", opd=None)
    await say(http, svc.url, "citra", "/bupati")
    await say(http, svc.url, "citra", "Pak Bupati, mohon ruang kelas SD di desa kami diperbaiki, atapnya bocor")
    replies = await say(http, svc.url, "citra", "btn:send")
    number = TICKET.search(texts(replies)).group(0)
    await say(http, svc.url, "ajudan2", f"/disposisi {number} dinas-pendidikan mohon ditindaklanjuti")
    await say(http, svc.url, "ajudan2", f"/balas {number} Terima kasih bu, usulan ini sedang kami kaji")
    await wait_for(lambda: mail_with(svc, "webchat:citra", "sedang kami kaji"))
    answer = "matur nuwun pak bupati, kapan kira2 ada kabarnya pak?"
    replies = await say(http, svc.url, "citra", answer)
    assert number in texts(replies), texts(replies)
    assert answer in [e.text for e in await svc.store.ticket_events(number, "message_in")]
    await wait_for(lambda: mail_with(svc, "webchat:ajudan2", answer))


async def test_a_status_question_is_answered_in_any_words_and_at_any_step(svc, http):
    number = await file_complaint(http, svc.url, "sari3")
    replies = await say(http, svc.url, "sari3", "udh ditanganin blm")
    assert number in texts(replies) and "belum memahami" not in texts(replies), texts(replies)
    await say(http, svc.url, "sari3", "lampu jalan di depan balai desa Sooko mati sudah seminggu")
    await say(http, svc.url, "sari3", "btn:change_topic")
    replies = await say(http, svc.url, "sari3", "what is the status of my complaint?")
    assert number in texts(replies) and "btn:resume" in payloads(replies), texts(replies)
    replies = await say(http, svc.url, "sari3", "btn:resume")
    assert "topic:lainnya" in payloads(replies), texts(replies)  # back at the topic list, the draft kept


async def test_the_desk_history_names_staff_and_never_an_anonymous_reporter(svc, http):
    from bot.store.base import Changes, Identity
    from tests.desk.test_desk_http import staff_client

    await svc.store.commit(Changes(identities=[Identity(key="webchat:wulan", channel="webchat", sender_id="wulan",
                                                         name="Wulan Sari")]))
    number = await file_complaint(http, svc.url, "wulan", privacy="privacy:anonim")
    await enrol(http, svc, "pupr-nama")
    await say(http, svc.url, "pupr-nama", f"/balas {number} Baik bu, besok kami cek ke lokasi")
    operator = Identity(key="telegram:9001", channel="telegram", sender_id="9001", role="operator")
    url = f"{svc.url}/desk/tiket/{number}"
    async with await staff_client(svc, operator) as desk:
        async with desk.get(url) as resp:
            page = await resp.text()
    assert resp.status == 200 and "Wulan" not in page, page
    actors = re.findall(r'class="actor">· ([^<]+)<', page)
    assert actors and "webchat" not in actors and "Pelapor" in actors, actors
    assert any(a.startswith("Petugas Dinas PUPR (…") for a in actors), actors
    replies = await say(http, svc.url, "pupr-nama", "/nama Budi Santoso")
    assert "Budi Santoso" in texts(replies)
    async with await staff_client(svc, operator) as desk:
        async with desk.get(url) as resp:
            assert "· Budi Santoso" in await resp.text()
    replies = await say(http, svc.url, "pupr-nama", "/nama 1234")
    assert "/nama Budi Santoso" in texts(replies)  # asked again, with an example
    assert (await svc.store.get_identity("webchat:pupr-nama")).name == "Budi Santoso"
