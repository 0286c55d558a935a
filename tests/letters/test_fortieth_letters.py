"""Letter requests in the fortieth trial: "pak kades, tolong dipercepat ya, besok mau dipakai" from an applicant whose
request waits (a complaint on village officials began), "ok pak ditunggu" after it ("not understood"), "bisa minta
surat keterangan domisili untuk ibu saya?" (FAQs to pick from), "suratnya berlaku berapa lama?" (the same), and a
village head's "surat apa saja yang sudah saya setujui bulan ini?" (the help). All fail on the code of the last stop
(fc3f773)."""

from __future__ import annotations

from tests.harness import texts, wait_for
from tests.letters.conftest import HEAD, LetterWorld, request_skck


async def test_an_applicant_hurrying_a_waiting_request_is_passed_to_the_head(world: LetterWorld):
    await world.enrol(HEAD, "village_head", "sooko")
    who = "warga-surat-40a"
    number = await request_skck(world, who)
    said = texts(await world.say(who, "pak kades, tolong dipercepat ya, besok mau dipakai"))
    assert f"permohonan *{number}*" in said and "disegerakan" in said and "Perangkat desa" not in said, said
    await wait_for(lambda: [c for c in world.fake.sent(chat_id=HEAD) if "minta permohonannya disegerakan" in c.text])
    said = texts(await world.say(who, "ok pak ditunggu"))
    assert "belum memahami" not in said and "Baik" in said, said


async def test_a_letter_asked_politely_for_a_relative_begins_with_a_note(world: LetterWorld):
    said = texts(await world.say("warga-surat-40b", "bisa minta surat keterangan domisili untuk ibu saya?"))
    assert "isi data ibu Anda" in said and "*Surat Keterangan Domisili*" in said, said
    said = texts(await world.say("warga-surat-40c", "suratnya berlaku berapa lama?"))
    assert "ditentukan oleh instansi yang memintanya" in said, said


async def test_a_village_head_asks_which_requests_were_decided(world: LetterWorld):
    await world.enrol(HEAD, "village_head", "sooko")
    number = await request_skck(world, "warga-surat-40d")
    sent = await world.text(HEAD, "surat apa saja yang sudah saya setujui bulan ini?")
    said = "\n".join(c.text for c in sent)
    assert "Belum ada permohonan surat yang Anda putuskan" in said and "Perintah untuk kepala desa" not in said, said
    await world.press(HEAD, f"/setujui {number}")
    sent = await world.text(HEAD, "surat apa saja yang sudah saya setujui bulan ini?")
    said = "\n".join(c.text for c in sent)
    assert f"{number} · Surat Pengantar SKCK · menunggu tanda tangan camat" in said, said
