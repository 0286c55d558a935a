"""Letter requests in the forty-first trial: "saya salah ketik tanggal lahir, bisa diganti?" from an applicant whose
request waits (the answer on changing KK data), the right date then given; "kalau pak kades tidak ada, siapa yang
tanda tangan?" (a complaint on village officials began, and "kenapa ditolak?" after it was read as its words);
"what documents do I need?" mid-request ("cannot answer"), "eh ternyata gak jadi, sudah punya" ("that village is not
served"), "surat keterangan usaha bisa?" (FAQs to pick from); "terima kasih pak kades, sudah jadi belum?" and "pak
kades sudah baca permohonan saya?" (complaints on village officials), no ID card yet ("have your KTP ready"); a
village head away ("none
waiting"). All fail on the code of the last stop (30ebb36)."""

from __future__ import annotations

from tests.harness import texts, wait_for
from tests.letters.conftest import HEAD, LetterWorld, request_skck


async def test_a_typo_asked_about_is_told_how_then_the_right_value_passed(world: LetterWorld):
    await world.enrol(HEAD, "village_head", "sooko")
    who = "warga-surat-41a"
    number = await request_skck(world, who)
    said = texts(await world.say(who, "saya salah ketik tanggal lahir, bisa diganti?"))
    assert f"permohonan *{number}*" in said and "Tuliskan data yang benar" in said and "Dispendukcapil" not in said
    said = texts(await world.say(who, "tanggal lahir saya yang benar 17-08-1990"))
    assert f"Koreksi Anda untuk permohonan *{number}*" in said, said
    await wait_for(lambda: [c for c in world.fake.sent(chat_id=HEAD) if "17-08-1990" in c.text])


async def test_who_signs_when_the_head_is_away_is_answered(world: LetterWorld):
    await world.enrol(HEAD, "village_head", "sooko")
    who = "warga-surat-41b"
    number = await request_skck(world, who)
    said = texts(await world.say(who, "kalau pak kades tidak ada, siapa yang tanda tangan?"))
    assert "ditandatangani secara elektronik oleh kepala desa" in said and "Perangkat desa" not in said, said
    said = texts(await world.say(who, "kenapa ditolak?"))
    assert f"(*{number}*) tidak ditolak" in said, said


async def test_requests_changed_asked_and_chased_in_plain_words(world: LetterWorld):
    said = texts(await world.say("warga-surat-41c", "i need a police clearance cover letter"))
    assert "Which village" in said, said
    said = texts(await world.say("warga-surat-41c", "what documents do I need?"))
    assert "photo of your ID card" in said and "can't answer" not in said, said
    await world.say("warga-surat-41d", "mau bikin surat sktm")
    said = texts(await world.say("warga-surat-41d", "eh ternyata gak jadi, sudah punya"))
    assert "dibatalkan" in said and "belum melayani" not in said, said
    said = texts(await world.say("warga-surat-41e", "surat keterangan usaha bisa?"))
    assert "*Surat Keterangan Usaha*" in said and "Apakah maksud Anda" not in said, said


async def test_a_request_chased_and_a_head_away(world: LetterWorld):
    await world.enrol(HEAD, "village_head", "sooko")
    who = "warga-surat-41f"
    number = await request_skck(world, who)
    await world.press(HEAD, f"/setujui {number}")
    said = texts(await world.say(who, "terima kasih pak kades, sudah jadi belum?"))
    assert f"*{number}*" in said and "menunggu tanda tangan camat" in said and "Perangkat desa" not in said, said
    sent = await world.text(HEAD, "besok saya cuti, gimana permohonan surat yang masuk?")
    said = "\n".join(c.text for c in sent)
    assert "dari ponsel di mana saja" in said and "pejabat pelaksana tugas" in said, said


async def test_whether_the_head_read_it_and_no_id_card_yet(world: LetterWorld):
    await world.enrol(HEAD, "village_head", "sooko")
    who = "warga-surat-41g"
    number = await request_skck(world, who)
    said = texts(await world.say(who, "pak kades sudah baca permohonan saya?"))
    assert f"*{number}*" in said and "menunggu persetujuan kepala desa" in said and "Perangkat desa" not in said, said
    said = texts(await world.say("warga-surat-41h",
                                 "mau bikin surat domisili tapi saya belum punya ktp, masih kk saja"))
    assert "foto Kartu Keluarga (KK)" in said and "*Surat Keterangan Domisili*" in said, said
    assert "Siapkan foto KTP" not in said, said
