"""Staff turns from the sixteenth trial, over real HTTP: an officer's "aduan yang belum saya jawab mana aja?" is their
queue; "WRG-… bukan wewenang kami, …" offers, besides the answer to the reporter, the way back to the operators;
the regent's "aduan yang telat ditangani ada berapa?" gets the figures, and his "WRG-… sudah ditangani belum?" is a
question (its /info), not an instruction offered as a disposition."""

from __future__ import annotations

# `svc` is the service on a settable `clock` (Monday 7 December 2026)
from tests.core.test_eighth_look import clock, svc  # noqa: F401
from tests.core.test_flows import enrol, file_complaint
from tests.harness import payloads, say, texts

BRIDGE = "jembatan bambu di dusun krajan desa puri hampir putus, anak sekolah lewat situ"


async def test_an_officer_asking_what_is_unanswered_gets_the_queue(svc, http):  # noqa: F811
    await enrol(http, svc, "pupr-s1", opd="dinas-pupr")
    number = await file_complaint(http, svc.url, "warga-s1", BRIDGE)
    said = texts(await say(http, svc.url, "pupr-s1", "aduan yang belum saya jawab mana aja?"))
    assert "Antrian" in said and number in said, said


async def test_not_our_office_in_words_offers_the_way_back_to_the_operators(svc, http):  # noqa: F811
    await enrol(http, svc, "pupr-s2", opd="dinas-pupr")
    number = await file_complaint(http, svc.url, "warga-s2", BRIDGE)
    words = "bukan wewenang kami, itu jembatan desa, harusnya dana desa"
    replies = await say(http, svc.url, "pupr-s2", f"{number} {words}")
    back = [p for p in payloads(replies) if p.startswith(f"/alihkan {number} triase")]
    assert back and any(p.startswith(f"/balas {number}") for p in payloads(replies)), payloads(replies)
    assert (await svc.store.get_ticket(number)).status != "triase"  # offered, not done unasked
    await say(http, svc.url, "pupr-s2", back[0])
    ticket = await svc.store.get_ticket(number)
    assert ticket.status == "triase" and ticket.opd_id is None, ticket
    returned = await svc.store.ticket_events(number, "returned")
    assert returned and "jembatan desa" in returned[-1].text, returned


async def test_words_that_do_not_disown_the_ticket_offer_only_the_answer(svc, http):  # noqa: F811
    await enrol(http, svc, "pupr-s3", opd="dinas-pupr")
    number = await file_complaint(http, svc.url, "warga-s3", BRIDGE)
    replies = await say(http, svc.url, "pupr-s3", f"{number} sudah kami survei, minggu depan dikerjakan")
    assert not any(p.startswith("/alihkan") for p in payloads(replies)), payloads(replies)


async def test_the_regent_asking_how_many_are_late_gets_the_figures(svc, http):  # noqa: F811
    await enrol(http, svc, "bupati-s4", role="regent", opd=None)
    await file_complaint(http, svc.url, "warga-s4", BRIDGE)
    said = texts(await say(http, svc.url, "bupati-s4", "aduan yang telat ditangani ada berapa?"))
    assert "lewat batas waktu" in said and "Setiap aduan mendapat nomor tiket" not in said, said


async def test_the_regents_question_on_a_ticket_is_not_offered_as_a_disposition(svc, http):  # noqa: F811
    await enrol(http, svc, "bupati-s5", role="regent", opd=None)
    number = await file_complaint(http, svc.url, "warga-s5", BRIDGE)
    replies = await say(http, svc.url, "bupati-s5", f"{number} sudah ditangani belum?")
    assert number in texts(replies), texts(replies)
    # (its /info offers disposing of it to its OPD, the instruction asked next; never with the question as one)
    assert not any(p.startswith("/disposisi") and "ditangani" in p for p in payloads(replies)), payloads(replies)
    replies = await say(http, svc.url, "bupati-s5", f"{number} sudah ditangani belum? tolong segera ditindaklanjuti")
    assert any(p.startswith(f"/disposisi {number}") for p in payloads(replies)), payloads(replies)


async def test_the_regents_words_naming_an_office_after_a_message_to_him_offer_a_disposition(svc, http):  # noqa: F811
    await enrol(http, svc, "bupati-s6", role="regent", opd=None)
    await enrol(http, svc, "pupr-s6", opd="dinas-pupr")
    await say(http, svc.url, "warga-s6", "/bupati")
    message = "Pak Bupati, jalan poros desa Sooko-Japan rusak sudah 3 tahun, mohon perhatiannya"
    await say(http, svc.url, "warga-s6", message)
    said = texts(await say(http, svc.url, "warga-s6", "kirim"))
    number = next(t.number for t in await svc.store.recent_tickets("webchat:warga-s6", 3) if t.kind == "bupati")
    replies = await say(http, svc.url, "bupati-s6", "tolong PUPR cek jalan poros sooko japan")
    dispose = [p for p in payloads(replies) if p.startswith(f"/disposisi {number} dinas-pupr")]
    assert dispose and any(p.startswith(f"/balas {number}") for p in payloads(replies)), payloads(replies)
    await say(http, svc.url, "bupati-s6", dispose[0])
    assert (await svc.store.get_ticket(number)).opd_id == "dinas-pupr", said
    # the resident's thanks afterwards is passed on and answered as thanks, not with "Jika ada aduan baru"
    await say(http, svc.url, "bupati-s6", f"/balas {number} Terima kasih, sudah saya minta PUPR mengecek.")
    said = texts(await say(http, svc.url, "warga-s6", "terima kasih banyak pak bupati 🙏"))
    assert "aduan baru" not in said and number in said, said


async def test_a_village_official_helping_a_named_resident_is_offered_to_file_in_their_name(svc, http):  # noqa: F811
    await enrol(http, svc, "kades-s7", role="pendamping", opd=None)
    replies = await say(http, svc.url, "kades-s7", "selamat pagi, saya perangkat desa mau bantu laporkan keluhan warga "
                                                   "saya mbah Karto, beliau tidak punya HP")
    assert "/wakili Mbah Karto" in payloads(replies), payloads(replies)
    replies = await say(http, svc.url, "kades-s7", "ini aduan dari warga kami pak Darmo, jalan depan rumahnya ambles")
    assert "/wakili Pak Darmo" in payloads(replies), payloads(replies)


async def test_info_of_a_finished_ticket_offers_only_a_reply(svc, http):  # noqa: F811
    await enrol(http, svc, "pupr-s8", opd="dinas-pupr")
    number = await file_complaint(http, svc.url, "warga-s8", BRIDGE)
    assert f"/selesai {number}" in payloads(await say(http, svc.url, "pupr-s8", f"/info {number}"))
    await say(http, svc.url, "pupr-s8", f"/selesai {number} jembatan sudah diganti beton")
    shown = payloads(await say(http, svc.url, "pupr-s8", f"/info {number}"))
    assert f"/balas {number}" in shown and not any(p.startswith(("/selesai", "/proses", "/alihkan")) for p in shown)


async def test_the_officials_next_words_about_the_named_resident_are_offered_the_hint_again(svc, http):  # noqa: F811
    await enrol(http, svc, "kades-s9", role="pendamping", opd=None)
    await say(http, svc.url, "kades-s9", "saya mau bantu laporkan keluhan warga saya mbah Karto, beliau tidak punya HP")
    replies = await say(http, svc.url, "kades-s9", "rumah mbah karto atapnya roboh kena angin kemarin sore")
    assert "/wakili Mbah Karto" in payloads(replies) and "Apakah sudah benar" not in texts(replies), texts(replies)
    replies = await say(http, svc.url, "kades-s9", "rumah mbah karto atapnya roboh kena angin kemarin sore")
    assert "/wakili Mbah Karto" not in payloads(replies), texts(replies)  # offered once more, not forever
