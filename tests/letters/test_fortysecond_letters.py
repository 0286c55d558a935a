"""Letter requests in the forty-second trial: "harus datang ke balai desa gak?" mid-request ("cannot answer that here");
"surat saya kok lama ya pak" ("not understood"); "nama ibu kandung perlu diisi gak?" (a complaint on unsure topics),
"sekalian mau bikin surat domisili juga bisa?" (asked of the offices as a question); "cek" and /status of a letter
(shown as a message to the regent, handled by the complaints service); a village head's "ada surat yang perlu saya
tanda tangani?" ("not passed to anyone", a request's card and the help) and "yang SRT-… nanti dulu, saya mau telpon
orangnya" ("not passed to anyone" and the help). All fail on the code of the last stop (b7546a2)."""

from __future__ import annotations

from tests.harness import texts
from tests.letters.conftest import HEAD, LetterWorld, request_skck


async def test_whether_to_come_in_is_answered_mid_request(world: LetterWorld):
    who = "warga-surat-42a"
    await world.say(who, "mau bikin surat keterangan domisili")
    await world.say(who, "buat daftar kerja di pabrik")
    said = texts(await world.say(who, "harus datang ke balai desa gak?"))
    assert "tidak perlu datang" in said and "belum bisa saya jawab" not in said, said
    assert "desa/kelurahan mana" in said, said


async def test_a_head_asks_what_waits_and_puts_one_off(world: LetterWorld):
    await world.enrol(HEAD, "village_head", "sooko")
    number = await request_skck(world, "warga-surat-42b")
    sent = await world.text(HEAD, "ada surat yang perlu saya tanda tangani?")
    said = "\n".join(c.text for c in sent)
    assert "menunggu keputusan Anda (1)" in said and "belum diteruskan" not in said, said
    sent = await world.text(HEAD, f"yang {number} nanti dulu, saya mau telpon orangnya")
    said = "\n".join(c.text for c in sent)
    assert f"Permohonan {number} tetap menunggu keputusan Anda" in said and "belum diteruskan" not in said, said
    ticket = await world.svc.store.get_ticket(number)
    assert ticket is not None and ticket.status == "menunggu_kades", ticket  # (still waiting; nothing sent)


async def test_a_slow_letter_complained_of_gets_its_status(world: LetterWorld):
    await world.enrol(HEAD, "village_head", "sooko")
    number = await request_skck(world, "warga-surat-42c")
    said = texts(await world.say("warga-surat-42c", "surat saya kok lama ya pak"))
    assert f"Permohonan *{number}*" in said and "menunggu persetujuan kepala desa" in said, said


async def test_status_of_a_letter_is_the_letters_own(world: LetterWorld):
    await world.enrol(HEAD, "village_head", "sooko")
    number = await request_skck(world, "warga-surat-42d")
    for asked in ("cek", "/status", f"/status {number}"):
        said = texts(await world.say("warga-surat-42d", asked))
        assert f"Permohonan *{number}* (Surat Pengantar SKCK)" in said, (asked, said)
        assert "pesan untuk pimpinan" not in said and "Layanan Aduan" not in said, (asked, said)


async def test_a_second_letter_asked_and_a_field_asked_about(world: LetterWorld):
    await world.enrol(HEAD, "village_head", "sooko")
    number = await request_skck(world, "warga-surat-42e")
    said = texts(await world.say("warga-surat-42e", "nama ibu kandung perlu diisi gak?"))
    assert f"permohonan *{number}*" in said and "Nama lengkap, NIK" in said and "belum yakin" not in said, said
    said = texts(await world.say("warga-surat-42e", "sekalian mau bikin surat domisili juga bisa?"))
    assert "*Surat Keterangan Domisili*" in said and "Tanyakan ke" not in said, said
