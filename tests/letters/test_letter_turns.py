"""A letter request answered the way people talk (thirty-eighth trial): a sentence where the name is asked ("anak saya
namanya Budi, tapi yang minta saya ibunya" became the name on the letter), no NIK to give ("i don't have nik, i am a
foreigner" was told a NIK has 16 digits), and "batal aja deh, nanti saya ke kantor desa langsung" (kept waiting for
the answer, as "nanti" says; then, dropped, called a complaint). Second round: after filing, "kalau sudah jadi
diambil dimana?" and "bisa dikirim lewat pos?" (offered to the offices as questions), "saya salah tulis nama, harusnya
…" and "batalkan surat saya" (a complaint begun, then the words added to it); while filling it in, "besok saja ya, saya
lagi kerja" ("a NIK has 16 digits") and "halo, yang kemarin surat kelahiran gimana?" ("cannot answer that here")."""

from __future__ import annotations

from tests.harness import texts
from tests.letters.conftest import GOOD_NIK, LetterWorld, request_skck


async def test_a_sentence_where_the_name_is_asked_asks_for_the_name_alone(world: LetterWorld):
    who = "warga-surat-38a"
    await world.say(who, "saya butuh surat keterangan tidak mampu buat daftar sekolah anak")
    said = texts(await world.say(who, "desa:sooko"))
    assert "Nama lengkap" in said, said
    said = texts(await world.say(who, "anak saya namanya Budi, tapi yang minta saya ibunya"))
    assert "namanya saja" in said and "Nama lengkap?" in said and "NIK" not in said, said
    said = texts(await world.say(who, "nama saya Siti Rahayu"))
    assert "NIK" in said, said
    said = texts(await world.say(who, GOOD_NIK))
    assert "Tempat lahir" in said, said


async def test_no_nik_is_told_who_gives_one_and_the_request_waits(world: LetterWorld):
    who = "warga-surat-38b"
    await world.say(who, "i need a letter of domicile")
    await world.say(who, "desa:sooko")
    said = texts(await world.say(who, "John Smith"))
    assert "NIK" in said, said
    said = texts(await world.say(who, "i don't have nik, i am a foreigner"))
    assert "SKTT" in said and "16 digits" not in said, said
    said = texts(await world.say(who, GOOD_NIK))
    assert "Place of birth?" in said, said
    who = "warga-surat-38c"
    await world.say(who, "mau urus surat domisili")
    await world.say(who, "desa:sooko")
    await world.say(who, "Siti Rahayu")
    said = texts(await world.say(who, "saya belum punya ktp pak"))
    assert "Kartu Keluarga" in said and "16 angka" not in said, said


async def test_cancelled_for_later_is_a_letter_kept_not_a_complaint(world: LetterWorld):
    who = "warga-surat-38d"
    for line in ("bisa bikin surat keterangan usaha? saya jualan gorengan", "desa:sooko", "Siti Rahayu", GOOD_NIK):
        said = texts(await world.say(who, line))
    assert "?" in said, said
    said = texts(await world.say(who, "batal aja deh, nanti saya ke kantor desa langsung"))
    assert "permohonan surat ini kami simpan" in said and "aduan" not in said.split("?")[0], said
    said = texts(await world.say(who, "lanjut yang tadi"))
    assert "kami lanjutkan" in said and "Pekerjaan?" in said, said


async def test_after_filing_how_it_comes_and_a_correction_or_cancellation_for_the_head(world: LetterWorld):
    who = "warga-surat-38e"
    number = await request_skck(world, who)
    said = texts(await world.say(who, "kalau sudah jadi diambil dimana?"))
    assert "tidak perlu diambil" in said and "PDF" in said and "Tanyakan ke" not in said, said
    said = texts(await world.say(who, "bisa dikirim lewat pos?"))
    assert "tidak dikirim lewat pos" in said, said
    said = texts(await world.say(who, "saya salah tulis nama, harusnya Siti Rahayuningsih"))
    assert f"Koreksi Anda untuk permohonan *{number}*" in said and "belum yakin" not in said, said
    said = texts(await world.say(who, "batalkan surat saya"))
    assert f"permohonan *{number}*" in said and "dibatalkan sudah kami sampaikan" in said, said
    notes = [e.text for e in await world.svc.store.ticket_events(number) if e.kind == "letter_note"]
    assert notes == ["saya salah tulis nama, harusnya Siti Rahayuningsih", "batalkan surat saya"], notes


async def test_later_and_where_it_stands_while_a_request_is_filled_in(world: LetterWorld):
    who = "warga-surat-38f"
    for line in ("mau bikin surat keterangan kelahiran anak saya", "desa:sooko", "Budi Santoso"):
        said = texts(await world.say(who, line))
    assert "NIK" in said, said
    said = texts(await world.say(who, "besok saja ya, saya lagi kerja"))
    assert "kami simpan" in said and "16 angka" not in said.split("NIK?")[0], said
    said = texts(await world.say(who, "halo, yang kemarin surat kelahiran gimana?"))
    assert "*Surat Keterangan Kelahiran* Anda belum terkirim" in said and "NIK" in said, said
