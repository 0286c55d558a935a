"""Letter requests in the thirty-ninth trial: "eh salah desa, saya warga desa japan" while the NIK is asked (told a
NIK has 16 digits); a village head deciding in plain words, "ok setuju" and "SRT-… tolak, datanya kurang lengkap"
("not passed to anyone" and the help); the resident asking "kenapa ditolak?" and "pdfnya gak bisa dibuka" (each began
a complaint on unsure topics); "alamat sama dengan ktp" (printed so on the letter), "ini untuk apa ya?" where the
purpose is asked ("cannot answer that here") and "eh pekerjaannya salah, harusnya pedagang" at the summary ("not
understood"). All fail on the code of the last stop (fb00379)."""

from __future__ import annotations

from tests.harness import mailbox, texts, upload, wait_for
from tests.letters.conftest import CAMAT, GOOD_NIK, HEAD, KTP_PHOTO, LetterWorld, request_skck


def _said(sent: list) -> str:
    return "\n".join(c.text for c in sent)


def _buttons(sent: list) -> list[str]:
    return [p for c in sent for p in c.payloads]


async def test_another_village_named_while_the_fields_are_asked_changes_it(world: LetterWorld):
    who = "warga-surat-39a"
    for line in ("mau bikin surat keterangan usaha", "desa:sooko", "Budi Santoso"):
        said = texts(await world.say(who, line))
    assert "NIK?" in said, said
    said = texts(await world.say(who, "eh salah desa, saya warga desa japan"))
    assert "*Desa Japan*" in said and "NIK?" in said and "16 angka, seperti" in said, said
    assert "Mohon maaf, NIK terdiri" not in said, said


async def test_a_village_head_decides_in_plain_words_with_one_tap(world: LetterWorld):
    await world.enrol(HEAD, "village_head", "sooko")
    number = await request_skck(world, "warga-surat-39b")
    await wait_for(lambda: [c for c in world.fake.sent(chat_id=HEAD) if number in c.text])
    sent = await world.text(HEAD, "ok setuju")
    assert f"Setujui permohonan {number}" in _said(sent) and f"/setujui {number}" in _buttons(sent), _said(sent)
    assert (await world.svc.store.get_ticket(number)).status == "menunggu_kades"  # (offered, not taken)
    sent = await world.text(HEAD, f"{number} tolak, datanya kurang lengkap")
    assert f"/tolak {number} datanya kurang lengkap" in _buttons(sent), _buttons(sent)
    assert f"/perbaiki {number} datanya kurang lengkap" in _buttons(sent), _buttons(sent)
    assert "belum diteruskan kepada siapa pun" in _said(sent) and "/antrian_surat" not in _said(sent), _said(sent)


async def test_the_resident_asks_why_rejected_and_about_the_pdf(world: LetterWorld):
    await world.enrol(HEAD, "village_head", "sooko")
    await world.enrol(CAMAT, "camat", "sooko")
    who = "warga-surat-39c"
    number = await request_skck(world, who)
    said = texts(await world.say(who, "kenapa ditolak?"))
    assert f"(*{number}*) tidak ditolak" in said and "belum yakin" not in said, said
    said = texts(await world.say(who, "pdfnya gak bisa dibuka"))
    assert "belum terbit" in said and "belum yakin" not in said, said
    await world.text(HEAD, f"/tolak {number} alamat tidak sesuai KK")
    said = texts(await world.say(who, "kok surat saya ditolak kenapa ya?"))
    assert "Alasan dari kepala desa/lurah: alamat tidak sesuai KK" in said, said

    issued = await request_skck(world, "warga-surat-39d")
    await world.press(HEAD, f"/setujui {issued}")
    await world.press(CAMAT, f"/setujui {issued}")
    await wait_for(lambda: _issued(world, "warga-surat-39d"), timeout=30)
    said = texts(await world.say("warga-surat-39d", "pdfnya gak bisa dibuka"))
    assert "https://warga.example.go.id/surat/unduh/" in said and "pembaca PDF" in said, said


async def _issued(world: LetterWorld, who: str) -> bool:
    return any("sudah terbit" in str(m.get("text")) for m in await mailbox(world.svc.store, f"webchat:{who}"))


async def test_a_field_pointed_at_the_card_explained_and_corrected_at_the_summary(world: LetterWorld):
    who = "warga-surat-39e"
    for line in ("mau bikin surat pengantar skck", "desa:sooko", "Siti Rahayu", GOOD_NIK, "Mojokerto", "17-08-1990",
                 "Perempuan", "Islam", "ibu rumah tangga"):
        said = texts(await world.say(who, line))
    assert "Alamat" in said, said
    said = texts(await world.say(who, "alamat sama dengan ktp"))
    assert "Mohon tuliskan Alamat" in said and "Keperluan" not in said, said
    said = texts(await world.say(who, "Dusun Krajan RT 02 RW 01"))
    assert "Keperluan?" in said, said
    said = texts(await world.say(who, "ini untuk apa ya?"))
    assert "untuk apa surat ini akan dipakai" in said and "belum bisa saya jawab" not in said, said
    await world.say(who, "melamar pekerjaan di pabrik")
    said = texts(await upload(world.http, world.svc.url, who, KTP_PHOTO))
    assert "Mohon periksa permohonan Anda" in said and "Dusun Krajan RT 02 RW 01" in said, said
    said = texts(await world.say(who, "eh pekerjaannya salah, harusnya pedagang"))
    assert "Pekerjaan: pedagang" in said and "belum saya pahami" not in said, said
