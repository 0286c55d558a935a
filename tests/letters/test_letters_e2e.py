"""A resident asks for an SKCK cover letter on the web chat; the village head and camat approve on Telegram;
the resident downloads the signed PDF; anyone verifies it; the village head revokes it."""

from __future__ import annotations

import re

import aiohttp

from actions.letters import ISSUED, REVOKED, letter_of
from integrations.signing import check_pdf, load_pem_certificates
from tests.channels.test_telegram import deliver, payload
from tests.harness import mailbox, payloads, texts, wait_for, web_headers
from tests.letters.conftest import CAMAT, GOOD_NIK, HEAD, KTP_PHOTO, LetterWorld, request_skck, run_tool

RESIDENT = "warga-skck"


async def _issued_letter(world: LetterWorld) -> tuple[str, str, str]:
    """Run the whole request; returns (request number, download path, verification path)."""
    await world.enrol(HEAD, "village_head", "sooko")
    await world.enrol(CAMAT, "camat", "sooko")
    number = await request_skck(world, RESIDENT)

    # The village head gets a card with the KTP photo and the decisions as buttons.
    card = await wait_for(lambda: [c for c in world.fake.sent(chat_id=HEAD) if number in c.text])
    assert card[0].method == "sendPhoto", card[0].method
    assert f"/setujui {number}" in card[0].payloads and f"/tolak {number}" in card[0].payloads
    assert GOOD_NIK not in card[0].text and "3599********0003" in card[0].text
    sent = await world.press(HEAD, f"/setujui {number}")
    assert "camat" in "\n".join(c.text for c in sent)
    assert (await world.svc.store.get_ticket(number)).status == "menunggu_camat"

    # The camat is asked next and approves; the outbox signs and delivers.
    await wait_for(lambda: [c for c in world.fake.sent(chat_id=CAMAT) if number in c.text])
    await world.press(CAMAT, f"/setujui {number}")
    pushed = await wait_for(lambda: _find_link(mailbox(world.svc.store, f"webchat:{RESIDENT}")), timeout=30)
    download, verify = pushed
    ticket = await world.svc.store.get_ticket(number)
    assert ticket.status == ISSUED
    assert [e.kind for e in await world.svc.store.ticket_events(number)] == [
        "created", "letter_approved", "letter_approved", "letter_issued"]
    # Both who approved it hear that it went out (the last they heard was "being signed").
    for signer in (HEAD, CAMAT):
        told = await wait_for(lambda s=signer: [c for c in world.fake.sent(chat_id=s)
                                                if "sudah ditandatangani" in c.text and number in c.text], timeout=15)
        assert len(told) == 1 and ticket.extra["letter"]["letter_no"] in told[0].text, told
    return number, download, verify


async def _find_link(items_coro) -> tuple[str, str] | None:
    for item in await items_coro:
        urls = re.findall(r"https://warga\.example\.go\.id(/surat/\S+)", item.get("text", ""))
        if len(urls) == 2:
            return urls[0], urls[1]
    return None


async def test_skck_letter_from_request_to_signed_pdf_verification_and_revocation(world: LetterWorld, tmp_path):
    number, download, verify = await _issued_letter(world)
    http, url = world.http, world.svc.url

    # Only the resident's own web chat may download it.
    async with http.get(f"{url}{download}", headers=web_headers(url, "someone-else")) as resp:
        assert resp.status == 403
    async with http.get(f"{url}{download}") as resp:
        assert resp.status == 403
    async with http.get(f"{url}{download}", headers=web_headers(url, RESIDENT)) as resp:
        assert resp.status == 200 and resp.content_type == "application/pdf"
        pdf = await resp.read()

    # Both signatures validate with pyHanko against the signer's CA, and with poppler's pdfsig.
    check = await check_pdf(pdf, load_pem_certificates(world.ca_pem))
    assert check.ok, check
    assert [s.field for s in check.signatures] == ["TTE-KepalaDesa", "TTE-Camat"]
    path = tmp_path / "letter.pdf"
    path.write_bytes(pdf)
    report = run_tool("pdfsig", path)
    assert report.count("Signature is Valid.") == 2, report
    assert "Total document signed" in report, report

    # The public page: number, type, village, signers, valid; none of the resident's personal data.
    letter_no = letter_of(await world.svc.store.get_ticket(number))["letter_no"]
    async with http.get(f"{url}{verify}") as resp:
        assert resp.status == 200
        page = await resp.text()
    assert letter_no.replace("/", "/") in page and "Surat Pengantar SKCK" in page and "Desa Sooko" in page
    assert 'data-status="valid"' in page and "SUYANTO" not in page and "Suyanto" in page
    assert "Siti Rahayu" not in page and GOOD_NIK not in page and "Krajan" not in page

    # The issued copy checks out; a copy whose letter number (in the signed part) was changed does not.
    assert await _verdict(http, f"{url}{verify}", pdf) == "verify_file_ok"
    tampered = bytearray(pdf)
    at = tampered.find(letter_no.encode())
    assert 0 < at < len(pdf) // 2
    tampered[at] = ord("9") if tampered[at] != ord("9") else ord("8")
    assert await _verdict(http, f"{url}{verify}", bytes(tampered)) in ("verify_file_changed",
                                                                        "verify_file_bad_signature")
    tampered_check = await check_pdf(bytes(tampered), load_pem_certificates(world.ca_pem))
    assert not tampered_check.ok
    # A copy with something appended after the signatures is not the letter as issued either.
    assert await _verdict(http, f"{url}{verify}", pdf + b"\n% appended\n") == "verify_file_changed"
    async with http.post(f"{url}{verify}", data=b"not a form") as resp:
        assert resp.status == 400

    # The village head revokes it (asked for the reason first); the page shows it revoked from then on.
    sent = await world.text(HEAD, f"/cabut {number}")
    assert "alasan" in "\n".join(c.text for c in sent).lower()
    sent = await world.text(HEAD, "data pemohon keliru")
    assert "dicabut" in "\n".join(c.text for c in sent)
    assert (await world.svc.store.get_ticket(number)).status == REVOKED
    async with http.get(f"{url}{verify}") as resp:
        page = await resp.text()
    assert 'data-status="revoked"' in page and "DICABUT" in page
    assert await _verdict(http, f"{url}{verify}", pdf) == "verify_file_ok_revoked"
    async with http.get(f"{url}{download}", headers=web_headers(url, RESIDENT)) as resp:
        assert resp.status == 404
    told = await wait_for(lambda: _pushed(world, RESIDENT, "dicabut"))
    assert "data pemohon keliru" in told[0]["text"]


async def _verdict(http: aiohttp.ClientSession, url: str, data: bytes) -> str:
    form = aiohttp.FormData()
    form.add_field("file", data, filename="surat.pdf", content_type="application/pdf")
    async with http.post(url, data=form) as resp:
        assert resp.status == 200, resp.status
        page = await resp.text()
    match = re.search(r'data-verdict="(\w+)"', page)
    assert match, page
    return match.group(1)


async def test_unknown_verification_token_and_download_are_404(world: LetterWorld):
    async with world.http.get(f"{world.svc.url}/surat/v/not-a-token") as resp:
        assert resp.status == 404
        assert "tidak ditemukan" in await resp.text()
    async with world.http.get(f"{world.svc.url}/surat/unduh/not-a-token") as resp:
        assert resp.status == 404


async def test_bad_nik_is_refused_politely_and_asked_again(world: LetterWorld):
    await world.say("warga-nik", "mau bikin surat keterangan domisili")
    await world.say("warga-nik", "Sooko")
    replies = await world.say("warga-nik", "Budi Santoso")
    assert "NIK" in texts(replies)
    for bad, words in (("12345", "16 angka"), ("9999011708900003", "kode wilayah"),
                       ("3599019908900003", "tanggal lahir"), ("3599011708900000", "nomor urut")):
        replies = await world.say("warga-nik", bad)
        assert "Mohon maaf" in texts(replies) and words in texts(replies), texts(replies)
    replies = await world.say("warga-nik", "3599 0117 0890 0003")
    assert "Tempat lahir" in texts(replies), texts(replies)
    state = (await world.svc.store.get_conversation("webchat:warga-nik")).state
    assert state["l"]["fields"]["nik"] == "3599011708900003"
    # The NIK the resident typed is not kept readable in the conversation's history.
    assert not any("3599011708900003" in (h.get("text") or "").replace(" ", "") for h in state["history"])


async def test_village_head_asks_for_a_correction_and_the_resident_fixes_it(world: LetterWorld):
    await world.enrol(HEAD, "village_head", "sooko")
    await world.enrol(CAMAT, "camat", "sooko")
    number = await request_skck(world, "warga-fix")
    await wait_for(lambda: [c for c in world.fake.sent(chat_id=HEAD) if number in c.text])
    sent = await world.press(HEAD, f"/perbaiki {number}")
    assert "perlu diperbaiki" in "\n".join(c.text for c in sent)
    await world.text(HEAD, "alamat kurang lengkap, tulis RT/RW dan dusun")
    pushed = await wait_for(lambda: _pushed(world, "warga-fix", "perlu diperbaiki"))
    assert f"/ubah_surat {number}" in [b["payload"] for i in pushed for b in i.get("buttons", [])]
    # The camat cannot decide before the village head does.
    sent = await world.text(CAMAT, f"/setujui {number}")
    assert "tidak sedang menunggu" in "\n".join(c.text for c in sent)

    replies = await world.say("warga-fix", f"/ubah_surat {number}")
    assert "ubah" in payloads(replies)
    replies = await world.say("warga-fix", "ubah")
    assert "ubah:address" in payloads(replies)
    await world.say("warga-fix", "ubah:address")
    replies = await world.say("warga-fix", "Dusun Krajan RT 02 RW 01 nomor 7")
    assert "nomor 7" in texts(replies)
    await world.say("warga-fix", "kirim")
    ticket = await world.svc.store.get_ticket(number)
    assert ticket.status == "menunggu_kades"
    assert letter_of(ticket)["fields"]["address"].endswith("nomor 7")
    await wait_for(lambda: len([c for c in world.fake.sent(chat_id=HEAD) if number in c.text and c.payloads]) == 2)

    # A rejection with a reason closes it and tells the resident.
    await world.text(HEAD, f"/tolak {number} pemohon bukan warga Desa Sooko")
    assert (await world.svc.store.get_ticket(number)).status == "ditolak"
    await wait_for(lambda: _pushed(world, "warga-fix", "bukan warga Desa Sooko"))


async def _pushed(world: LetterWorld, sender: str, words: str) -> list[dict]:
    """What was pushed to a web chat resident's mailbox that contains `words`."""
    return [i for i in await mailbox(world.svc.store, f"webchat:{sender}") if words in i.get("text", "")]


async def test_village_head_of_another_village_cannot_decide(world: LetterWorld):
    await world.enrol(HEAD, "village_head", "japan")
    number = await request_skck(world, "warga-other")
    sent = await world.text(HEAD, f"/setujui {number}")
    assert "bukan wewenang" in "\n".join(c.text for c in sent)
    sent = await world.text(HEAD, "/setujui")
    assert "/setujui NOMOR" in "\n".join(c.text for c in sent)


async def test_resident_on_telegram_receives_the_signed_pdf_as_a_document(world: LetterWorld):
    resident = "1001"
    world.fake.add_file("AgACAgUAAxkBAAIBQ2VfPhoto-l", KTP_PHOTO)
    await world.enrol(HEAD, "village_head", "sooko")
    sent = await world.text(resident, "mau minta surat pengantar KK")
    assert "desa:sooko" in [p for c in sent for p in c.payloads]
    for answer in ("desa:sooko", "Siti Rahayu", GOOD_NIK, "Dusun Krajan RT 02 RW 01", "pecah KK setelah menikah"):
        sent = await world.text(resident, answer)
    assert "foto" in "\n".join(c.text for c in sent).lower()
    sent = await deliver(world.http, world.svc, world.fake, payload("photo_caption", sender=resident), chat=resident)
    assert "kirim" in [p for c in sent for p in c.payloads]
    sent = await world.text(resident, "kirim")
    number = re.search(r"SRT-\d{4}-\d{4}", "\n".join(c.text for c in sent)).group(0)
    await wait_for(lambda: [c for c in world.fake.sent(chat_id=HEAD) if number in c.text])
    await world.press(HEAD, f"/setujui {number}")
    documents = await wait_for(lambda: world.fake.sent("sendDocument", chat_id=resident), timeout=30)
    pdf = documents[0].files["document"]
    assert pdf.startswith(b"%PDF") and number in documents[0].text
    check = await check_pdf(pdf, load_pem_certificates(world.ca_pem))
    assert check.ok and [s.field for s in check.signatures] == ["TTE-KepalaDesa"], check
    # The chat's own copy is the letter as issued.
    assert await _verdict(world.http, world.svc.url + re.search(r"(/surat/v/\S+)", documents[0].text).group(1),
                          pdf) == "verify_file_ok"


async def test_village_head_sees_the_letter_commands_and_the_queue(world: LetterWorld):
    await world.enrol(HEAD, "village_head", "sooko")
    sent = await world.text(HEAD, "/bantuan")
    assert "/setujui NOMOR" in "\n".join(c.text for c in sent)
    sent = await world.text(HEAD, "/antrian_surat")
    assert "Tidak ada permohonan" in "\n".join(c.text for c in sent)
    number = await request_skck(world, "warga-queue")
    sent = await world.text(HEAD, "/antrian_surat")
    # Its button opens the request (with the decisions on it); it does not approve it.
    queue = [c for c in sent if c.text.startswith("Permohonan surat yang menunggu")]
    assert number in queue[0].text and queue[0].payloads == [f"/lihat_surat {number}"], queue
    # A resident cannot use the village head's commands.
    replies = await world.say("warga-queue", f"/setujui {number}")
    assert "/setujui" in texts(replies) and (await world.svc.store.get_ticket(number)).status == "menunggu_kades"
    # The resident asks for the status by number.
    replies = await world.say("warga-queue", number)
    assert "menunggu persetujuan kepala desa" in texts(replies)
    replies = await world.say("warga-other-person", number)
    assert "menunggu" not in texts(replies)


async def test_overdue_request_reminds_the_village_head_once(world: LetterWorld):
    from datetime import timedelta

    from bot.message import utcnow
    from bot.store.base import Changes
    from integrations.letter_deadlines import LetterDeadlineWorker

    await world.enrol(HEAD, "village_head", "sooko")
    number = await request_skck(world, "warga-late")
    ticket = await world.svc.store.get_ticket(number)
    assert ticket.due_at is not None and ticket.due_at > ticket.created_at
    worker = next(w for w in world.svc.runtime.workers if isinstance(w, LetterDeadlineWorker))
    assert await worker.run_once(ticket.due_at - timedelta(minutes=1)) == 0  # not yet late
    # The deadline passes (moved into the past: the outbox sends what is due by the real clock).
    ticket.due_at = utcnow() - timedelta(hours=1)
    await world.svc.store.commit(Changes(tickets=[ticket]))
    assert await worker.run_once() == 1
    assert await worker.run_once() == 0  # once
    overdue = await wait_for(lambda: [c for c in world.fake.sent(chat_id=HEAD) if "melewati batas waktu" in c.text])
    assert len(overdue) == 1 and number in overdue[0].text and f"/setujui {number}" in overdue[0].payloads
    assert [e.kind for e in await world.svc.store.ticket_events(number)][-1] == "reminder"


async def test_a_resident_who_said_stop_still_receives_the_letter_they_asked_for(world: LetterWorld):
    """"STOP" (actions/mute.py) stops news, not the document the resident asked for."""
    from actions.mute import is_muted

    resident = "1002"
    world.fake.add_file("AgACAgUAAxkBAAIBQ2VfPhoto-l", KTP_PHOTO)
    await world.enrol(HEAD, "village_head", "sooko")
    await world.text(resident, "mau minta surat pengantar KK")
    for answer in ("desa:sooko", "Siti Rahayu", GOOD_NIK, "Dusun Krajan RT 02 RW 01", "pecah KK setelah menikah"):
        await world.text(resident, answer)
    await deliver(world.http, world.svc, world.fake, payload("photo_caption", sender=resident), chat=resident)
    sent = await world.text(resident, "kirim")
    number = re.search(r"SRT-\d{4}-\d{4}", "\n".join(c.text for c in sent)).group(0)
    await world.text(resident, "STOP")
    await world.press(resident, "btn:mute_yes")
    assert await is_muted(world.svc.store, f"telegram:{resident}")
    await wait_for(lambda: [c for c in world.fake.sent(chat_id=HEAD) if number in c.text])
    await world.press(HEAD, f"/setujui {number}")
    documents = await wait_for(lambda: world.fake.sent("sendDocument", chat_id=resident), timeout=30)
    assert documents[0].files["document"].startswith(b"%PDF") and number in documents[0].text
