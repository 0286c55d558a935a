"""Officers' turns from the thirteenth trial, over real HTTP: an answer typed after another reporter wrote asks which
ticket it is for; officers' photos reach the reporter (with /balas, /selesai, or offered in one tap); command slips
("balas WRG-…", "/balasWRG-…", "WRG-2612-01"); the typed words of the "Ya, cabut akses" button; and a transfer to an
office nobody is enrolled at says who was told."""

from __future__ import annotations

from datetime import timedelta

from bot.store.base import STATUS_DONE, Changes

# `svc` is the service on a settable `clock` (Monday 7 December 2026)
from tests.core.test_eighth_look import clock, svc  # noqa: F401
from tests.core.test_flows import enrol, file_complaint
from tests.harness import mailbox, payloads, photo_jpeg, say, texts, upload, wait_for

BRIDGE = "jembatan kecil di dusun krajan desa puri ambrol separuh"


async def received(svc, who: str, words: str) -> list[dict]:  # noqa: F811
    """What `who` was sent, once an item with `words` arrived (pushes go out through the outbox)."""
    async def arrived() -> list[dict]:
        items = await mailbox(svc.store, f"webchat:{who}")
        return items if any(words in item.get("text", "") for item in items) else []
    return await wait_for(arrived)


async def said_to(svc, who: str) -> str:  # noqa: F811
    return "\n".join(item.get("text", "") for item in await mailbox(svc.store, f"webchat:{who}"))


# --- 1. an answer typed after another ticket's reporter wrote --------------------------------------------------
async def test_an_answer_typed_after_another_reporter_wrote_asks_which_ticket_naming_the_one_it_speaks_of(
        svc, http, clock):  # noqa: F811
    await enrol(http, svc, "pupr-s1")
    road = await file_complaint(http, svc.url, "warga-s1")
    bridge = await file_complaint(http, svc.url, "warga-s2", BRIDGE)
    clock.now += timedelta(minutes=5)
    assert "Tulis balasan" in texts(await say(http, svc.url, "pupr-s1", f"/balas {road}"))
    await say(http, svc.url, "warga-s2", f"{bridge} pak tolong cepat, sudah ada motor yang jatuh tadi pagi")
    await received(svc, "pupr-s1", "motor yang jatuh")
    answer = "Baik bu, siang ini tim kami langsung ke jembatan"
    replies = await say(http, svc.url, "pupr-s1", answer)
    said = texts(replies)
    assert "belum kami kirim" in said and "Jembatan rusak" in said and "Jalan rusak" in said, said
    assert payloads(replies)[:2] == [f"/balas {bridge} {answer}", f"/balas {road} {answer}"], payloads(replies)
    assert answer not in await said_to(svc, "warga-s1")  # nothing went to the first ticket's reporter
    said = texts(await say(http, svc.url, "pupr-s1", "ya"))  # the ticket the words name
    assert f"Balasan untuk {bridge} sudah dikirim" in said, said
    await received(svc, "warga-s2", answer)
    assert answer not in await said_to(svc, "warga-s1")


async def test_an_answer_with_no_reporter_writing_since_goes_at_once(svc, http, clock):  # noqa: F811
    await enrol(http, svc, "pupr-s2")
    road = await file_complaint(http, svc.url, "warga-s3")
    await file_complaint(http, svc.url, "warga-s4", BRIDGE)  # its card came before "Balas": no question
    await say(http, svc.url, "pupr-s2", f"/balas {road}")
    said = texts(await say(http, svc.url, "pupr-s2", "Baik pak, besok kami cek"))
    assert f"Balasan untuk {road} sudah dikirim" in said, said


# --- 2. officers' photos ---------------------------------------------------------------------------------------
async def test_a_photo_captioned_balas_reaches_the_reporter_and_the_history(svc, http, clock):  # noqa: F811
    await enrol(http, svc, "pupr-s5")
    number = await file_complaint(http, svc.url, "warga-s5")
    said = texts(await upload(http, svc.url, "pupr-s5", photo_jpeg(), caption=f"/balas {number} ini foto setelah "
                                                                                "ditambal pak"))
    assert "foto" in said and "sudah dikirim" in said, said
    items = await received(svc, "warga-s5", "ini foto setelah ditambal pak")
    sent = next(i for i in items if "ini foto setelah ditambal" in i.get("text", ""))
    assert sent.get("image", "").startswith("/media/"), sent
    [event] = [e for e in await svc.store.ticket_events(number) if e.kind == "message_out"]
    [media_id] = event.data["media"]
    media = await svc.store.get_media(media_id)
    assert media is not None and media.ticket == number and media.data[:2] == b"\xff\xd8"
    assert sent["image"] == f"/media/{media_id}"


async def test_a_photo_captioned_selesai_goes_with_the_done_notice(svc, http, clock):  # noqa: F811
    await enrol(http, svc, "pupr-s6")
    number = await file_complaint(http, svc.url, "warga-s6")
    await upload(http, svc.url, "pupr-s6", photo_jpeg(), caption=f"/selesai {number} sudah ditambal, ini fotonya")
    items = await received(svc, "warga-s6", "Sudah beres?")
    notice = next(i for i in items if "Sudah beres?" in i.get("text", ""))
    assert notice.get("image", "").startswith("/media/"), notice
    ticket = await svc.store.get_ticket(number)
    assert ticket.status == STATUS_DONE
    [done] = [e for e in await svc.store.ticket_events(number, "status") if e.data.get("status") == STATUS_DONE]
    assert notice["image"] == f"/media/{done.data['photo']}"


async def test_a_photo_offered_in_one_tap_goes_with_the_tap(svc, http, clock):  # noqa: F811
    await enrol(http, svc, "pupr-s7")
    number = await file_complaint(http, svc.url, "warga-s7")
    await say(http, svc.url, "warga-s7", f"{number} lubangnya makin besar pak")
    await received(svc, "pupr-s7", "lubangnya makin besar")
    replies = await upload(http, svc.url, "pupr-s7", photo_jpeg(), caption="foto hasil perbaikan")
    assert payloads(replies)[0] == f"/balas {number} foto hasil perbaikan", payloads(replies)
    assert "dikirim" in texts(await say(http, svc.url, "pupr-s7", payloads(replies)[0]))
    items = await received(svc, "warga-s7", "foto hasil perbaikan")
    assert next(i for i in items if "foto hasil perbaikan" in i.get("text", "")).get("image", "").startswith("/media/")
    # a photo with no words at all is offered too (never taken for a new complaint of the officer's)
    replies = await upload(http, svc.url, "pupr-s7", photo_jpeg())
    assert payloads(replies)[0] == f"/balas {number}", texts(replies)
    said = texts(await say(http, svc.url, "pupr-s7", "ya"))
    assert "foto" in said and "dikirim" in said, said
    sent = [e for e in await svc.store.ticket_events(number) if e.kind == "message_out"]
    assert len(sent) == 2 and all(len(e.data.get("media", [])) == 1 for e in sent), sent


async def test_a_photo_to_an_sms_reporter_is_said_not_to_reach_them(svc, http, clock):  # noqa: F811
    await enrol(http, svc, "pupr-s8")
    number = await file_complaint(http, svc.url, "warga-s8")
    ticket = await svc.store.get_ticket(number)
    ticket.reporter = "sms:6281234567890"  # as a complaint filed by SMS
    await svc.store.commit(Changes(tickets=[ticket]))
    said = texts(await upload(http, svc.url, "pupr-s8", photo_jpeg(), caption=f"/balas {number} ini fotonya pak"))
    assert "tetapi fotonya tidak" in said and "SMS" in said, said


# --- 3. command slips ------------------------------------------------------------------------------------------
async def test_command_words_without_the_slash_or_glued_to_the_number_run_the_command(svc, http, clock):  # noqa: F811
    await enrol(http, svc, "pupr-s9")
    number = await file_complaint(http, svc.url, "warga-s9")
    said = texts(await say(http, svc.url, "pupr-s9", f"balas {number} Tim kami datang besok pagi"))
    assert f"Balasan untuk {number} sudah dikirim" in said, said
    said = texts(await say(http, svc.url, "pupr-s9", f"/balas{number} Tim kami datang besok sore"))
    assert f"Balasan untuk {number} sudah dikirim" in said, said
    await received(svc, "warga-s9", "Tim kami datang besok sore")
    sent = [e.text for e in await svc.store.ticket_events(number) if e.kind == "message_out"]
    assert sent == ["Tim kami datang besok pagi", "Tim kami datang besok sore"], sent
    said = texts(await say(http, svc.url, "pupr-s9", f"/proses wrg {number[4:8]} {number[-4:]}"))  # retyped
    assert number in said and "tidak" not in said.split(number)[0], said


async def test_a_number_typed_too_short_is_asked_about_not_sent(svc, http, clock):  # noqa: F811
    await enrol(http, svc, "pupr-s10")
    number = await file_complaint(http, svc.url, "warga-s10")
    short = number[:-4] + number[-2:]  # "WRG-2612-01"
    replies = await say(http, svc.url, "pupr-s10", f"/balas {short} Tim kami datang besok")
    assert f"Maksud Anda *{number}*" in texts(replies), texts(replies)
    assert f"/balas {number} Tim kami datang besok" in payloads(replies)
    assert not [e for e in await svc.store.ticket_events(number) if e.kind == "message_out"]
    said = texts(await say(http, svc.url, "pupr-s10", f"Ya, {number}"))  # the button's words, typed
    assert f"Balasan untuk {number} sudah dikirim" in said, said


# --- 4. "Ya, cabut akses" typed --------------------------------------------------------------------------------
async def test_the_revoke_buttons_words_or_ya_typed_confirm_it(svc, http, clock):  # noqa: F811
    await enrol(http, svc, "op-s11", role="operator", opd=None)
    for officer, typed in (("pupr-s11", "Ya, cabut akses"), ("pupr-s12", "ya")):
        await enrol(http, svc, officer)
        listed = texts(await say(http, svc.url, "op-s11", "/petugas dinas-pupr"))
        line = next(x for x in listed.splitlines() if officer[-3:] in x)
        code = line.split("kode *")[1].split("*")[0]
        assert "Cabut akses" in texts(await say(http, svc.url, "op-s11", f"/cabut_akses {code} pindah tugas"))
        said = texts(await say(http, svc.url, "op-s11", typed))
        assert "sudah dicabut" in said, (typed, said)
        assert (await svc.store.get_identity(f"webchat:{officer}")).role == "resident"


# --- 5. a transfer to an office nobody is enrolled at ----------------------------------------------------------
async def test_a_transfer_to_an_empty_office_says_who_was_told(svc, http, clock):  # noqa: F811
    await enrol(http, svc, "pupr-s13")
    first = await file_complaint(http, svc.url, "warga-s13")
    said = texts(await say(http, svc.url, "pupr-s13", f"/alihkan {first} dishub ini soal rambu, kewenangan dishub"))
    assert "menunggu di meja layanan" in said and "belum ada operator" in said, said
    assert "sudah kami minta" not in said
    await enrol(http, svc, "op-s13", role="operator", opd=None)
    second = await file_complaint(http, svc.url, "warga-s14")
    said = texts(await say(http, svc.url, "pupr-s13", f"/alihkan {second} dishub ini soal rambu, kewenangan dishub"))
    assert "operator Diskominfo sudah kami beri tahu" in said, said
    await received(svc, "op-s13", second)
