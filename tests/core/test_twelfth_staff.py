"""Turns from the twelfth trial, the staff side, over real HTTP: staff who type a ticket number get its details (the
handling officer's answer is offered to the reporter in one tap; another office's ticket is refused plainly); the OPD
typed after "/alihkan WRG-…" listed them goes on as its button does; the regent's plain words after a citizen's
message are offered as his answer; staff asking after a matter in words get the matching open ticket."""

from __future__ import annotations

from datetime import timedelta

from bot.__main__ import issue_code
from tests.core.test_eighth_look import clock, svc  # noqa: F401
from tests.core.test_flows import enrol, file_complaint
from tests.core.test_tenth_staff import to_regent
from tests.harness import mailbox, payloads, say, texts, wait_for

ROAD = "jalan di desa Sooko rusak parah banyak lubang"
BRIDGE = "jembatan bambu di dusun kedungrejo desa sooko hampir putus, anak sekolah takut lewat"
# core.yml status_not_yours: the resident's answer, never meant for staff
RESIDENT_ONLY = "hanya dapat dilihat oleh pelapornya"


async def relayed(svc, number: str) -> list[str]:  # noqa: F811
    return [e.text or "" for e in await svc.store.ticket_events(number, "message_out")]


async def pushed_to(svc, sender: str, words: str) -> bool:  # noqa: F811
    """Whether `words` reach `sender`'s web chat (deliveries go out just after the answer)."""
    async def arrived() -> bool:
        return any(words in item.get("text", "") for item in await mailbox(svc.store, f"webchat:{sender}"))
    return bool(await wait_for(arrived))


# --- 1. a ticket number in staff's plain words ------------------------------------------------------------------
async def test_staff_typing_a_ticket_number_get_its_details_or_the_offer_to_answer_its_reporter(svc, http, clock):  # noqa: F811
    await enrol(http, svc, "pupr-n")
    await enrol(http, svc, "dishub-n", opd="dishub")
    await enrol(http, svc, "bupati-n", role="regent", opd=None)
    await enrol(http, svc, "op-n", role="operator", opd=None)
    number = await file_complaint(http, svc.url, "warga-n", ROAD)
    clock.now += timedelta(hours=5)  # the card is old: no "last reporter" offer stands in

    for who, text in (("bupati-n", f"bagaimana perkembangan aduan {number}?"),
                      ("op-n", f"{number} sudah ditangani belum?"),
                      ("pupr-n", number)):
        said = texts(await say(http, svc.url, who, text))
        assert f"Tiket *{number}*" in said and "Riwayat" in said and RESIDENT_ONLY not in said, (who, said)

    # The handling officer's answer: offered to the reporter with one tap, not sent unasked.
    replies = await say(http, svc.url, "pupr-n", f"{number} sudah kami tangani pak, besok ditambal")
    said = texts(replies)
    assert "belum terkirim" in said and number in said and RESIDENT_ONLY not in said, said
    assert payloads(replies) == [f"/balas {number} sudah kami tangani pak, besok ditambal", "/batal"]
    assert await relayed(svc, number) == []
    said = texts(await say(http, svc.url, "pupr-n", "ya"))
    assert f"Balasan untuk {number} sudah dikirim" in said, said
    assert await relayed(svc, number) == ["sudah kami tangani pak, besok ditambal"]
    assert await pushed_to(svc, "warga-n", "sudah kami tangani pak, besok ditambal")

    # The serial alone after the word for it: the one ticket of that number the officer may act on.
    replies = await say(http, svc.url, "pupr-n", f"tiket {number[-4:]} sudah kami cek pak, besok ditambal")
    assert payloads(replies) == [f"/balas {number} sudah kami cek pak, besok ditambal", "/batal"], texts(replies)

    # Another office's officer: told plainly whose it is, and shown nothing of it.
    said = texts(await say(http, svc.url, "dishub-n", f"{number} sudah ditangani belum?"))
    assert "ditangani Dinas PUPR, bukan OPD Anda" in said and "Riwayat" not in said, said
    replies = await say(http, svc.url, "dishub-n", f"{number} sudah kami cek pak, bukan wewenang kami")
    assert "bukan OPD Anda" in texts(replies) and payloads(replies) == [], texts(replies)
    assert await relayed(svc, number) == ["sudah kami tangani pak, besok ditambal"]


# --- 2. the OPD typed after "/alihkan WRG-…" ---------------------------------------------------------------------
async def test_the_opd_typed_after_alihkan_goes_on_as_its_button_and_is_never_offered_to_the_reporter(svc, http):  # noqa: F811
    await enrol(http, svc, "pupr-t")
    number = await file_complaint(http, svc.url, "warga-t", ROAD)
    said = texts(await say(http, svc.url, "pupr-t", f"/alihkan {number}"))
    assert "Ke OPD mana" in said, said

    replies = await say(http, svc.url, "pupr-t", "dlh")
    said = texts(replies)
    assert "Mengapa" in said and "Dinas Lingkungan Hidup" in said and "pelapor" not in said, said
    said = texts(await say(http, svc.url, "pupr-t", "sumbatannya sampah pasar, kewenangan DLH untuk pengangkutan"))
    assert "dialihkan ke DLH" in said, said
    assert (await svc.store.get_ticket(number)).opd_id == "dlh"
    assert await relayed(svc, number) == []

    # The OPD's name and the reason in one message; words that name no OPD move nothing and go nowhere.
    other = await file_complaint(http, svc.url, "warga-t2", BRIDGE)
    await say(http, svc.url, "pupr-t", f"/alihkan {other}")
    said = texts(await say(http, svc.url, "pupr-t", "sudah kami cek pak"))
    assert "tidak terbaca sebagai OPD" in said and "belum dialihkan" in said, said
    assert (await svc.store.get_ticket(other)).opd_id == "dinas-pupr" and await relayed(svc, other) == []
    await say(http, svc.url, "pupr-t", f"/alihkan {other}")
    said = texts(await say(http, svc.url, "pupr-t", "Dishub jembatan itu jalan nasional, dikelola dishub"))
    assert "dialihkan ke Dishub" in said, said
    assert (await svc.store.get_ticket(other)).opd_id == "dishub"


# --- 3. the regent's plain words after a citizen's message ------------------------------------------------------
async def test_the_regents_plain_words_after_a_citizens_message_are_offered_as_his_answer(svc, http, clock):  # noqa: F811
    await enrol(http, svc, "bupati-r", role="regent", opd=None)
    await enrol(http, svc, "pupr-r")
    number = await to_regent(http, svc, "warga-r", "terima kasih pak, jalan desa kami sudah diaspal, warga senang")
    replies = await say(http, svc.url, "bupati-r", "sama-sama, terima kasih atas apresiasinya")
    said = texts(replies)
    assert "belum terkirim" in said and number in said and "Senang bisa membantu" not in said, said
    assert payloads(replies)[0] == f"/balas {number} sama-sama, terima kasih atas apresiasinya"
    await say(http, svc.url, "bupati-r", payloads(replies)[0])  # the button
    assert await relayed(svc, number) == ["sama-sama, terima kasih atas apresiasinya"]
    assert await pushed_to(svc, "warga-r", "terima kasih atas apresiasinya")
    # The regent naming a message to him in his words: offered as his answer to it too.
    other = await to_regent(http, svc, "warga-r2", "Pak bupati, mohon jembatan dusun kami segera ditinjau")
    replies = await say(http, svc.url, "bupati-r", f"{other} baik bu, minggu ini saya tinjau")
    assert payloads(replies) == [f"/balas {other} baik bu, minggu ini saya tinjau", "/batal"], texts(replies)
    assert await relayed(svc, other) == []

    # Thanks-like words from staff long after any card: said to have reached nobody, not answered as a resident's.
    clock.now += timedelta(hours=6)
    said = texts(await say(http, svc.url, "pupr-r", "terima kasih banyak pak atas laporannya"))
    assert "belum terkirim" in said and "Senang bisa membantu" not in said, said
    said = texts(await say(http, svc.url, "pupr-r", "makasih"))  # to the bot itself
    assert "belum terkirim" not in said, said


# --- 4. staff asking after a matter in words --------------------------------------------------------------------
async def test_staff_asking_after_a_matter_in_words_get_the_matching_open_ticket(svc, http):  # noqa: F811
    await enrol(http, svc, "bupati-q", role="regent", opd=None)
    await enrol(http, svc, "dishub-q", opd="dishub")
    road = await file_complaint(http, svc.url, "warga-q1", ROAD)
    bridge = await file_complaint(http, svc.url, "warga-q2", BRIDGE)

    asked = "selamat pagi, bagaimana perkembangan aduan jembatan di kedungrejo?"
    said = texts(await say(http, svc.url, "bupati-q", asked))
    assert f"Tiket *{bridge}*" in said and road not in said, said
    assert "Silakan kirim nomor tiket" not in said, said

    said = texts(await say(http, svc.url, "bupati-q", "bagaimana perkembangan aduan pasar ikan di puri?"))
    assert "Tidak ada aduan terbuka" in said and "/ringkasan" in said, said

    # Another office's officer is never shown PUPR's bridge.
    said = texts(await say(http, svc.url, "dishub-q", "bagaimana perkembangan aduan jembatan di kedungrejo?"))
    assert bridge not in said and "OPD Anda" in said, said


# --- 5. the operator's /bantuan; enrolling again for another role or office ---------------------------------------
async def test_the_operators_help_is_their_own_and_a_second_enrolment_says_what_it_replaces(svc, http):  # noqa: F811
    await enrol(http, svc, "op-h", role="operator", opd=None)
    said = texts(await say(http, svc.url, "op-h", "/bantuan"))
    assert said.startswith("Perintah operator") and "/ringkasan" in said and "/triase" in said, said
    assert "kembalikan ke operator" not in said and "/daftar_grup" not in said, said

    await enrol(http, svc, "pupr-h")
    said = texts(await say(http, svc.url, "pupr-h", "/bantuan"))
    assert said.startswith("Perintah petugas") and "/triase" not in said and "/ringkasan" not in said, said
    await enrol(http, svc, "pupr-h")  # another code of the same office: nothing is lost, nothing to say
    assert "menggantikan" not in texts(await say(http, svc.url, "pupr-h", "/bantuan"))

    code = await issue_code(svc.settings, "officer", "dlh")
    said = texts(await say(http, svc.url, "pupr-h", f"/daftar {code}"))
    assert "terdaftar sebagai petugas Dinas Lingkungan Hidup" in said, said
    assert "menggantikan pendaftaran Anda sebelumnya sebagai petugas Dinas Pekerjaan Umum" in said, said
