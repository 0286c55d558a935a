"""A letter request answered the way people fill in forms (thirty-seventh trial): the purpose typed where the name is
asked ("untuk melamar kerja di pabrik" was taken for the name), place and date of birth together as the KTP writes
them ("Mojokerto, 17 Agustus 1990" was all taken for the place, and the answers after it read as dates), and "berapa
lama jadinya?" where the KTP photo is asked ("send the photo")."""

from __future__ import annotations

from tests.harness import payloads, texts
from tests.letters.conftest import GOOD_NIK, LetterWorld


async def test_answers_given_out_of_turn_are_kept_where_they_belong(world: LetterWorld):
    who = "warga-surat-37"
    assert "desa:sooko" in payloads(await world.say(who, "mau bikin surat pengantar SKCK"))
    said = texts(await world.say(who, "desa:sooko"))
    assert "Nama lengkap" in said, said
    said = texts(await world.say(who, "untuk melamar kerja di pabrik"))
    assert "Keperluan kami catat: untuk melamar kerja di pabrik" in said and "Nama lengkap" in said, said
    said = texts(await world.say(who, "Siti Rahayu"))
    assert "NIK" in said, said
    said = texts(await world.say(who, GOOD_NIK))
    assert "Tempat lahir" in said, said
    said = texts(await world.say(who, "mojokerto, 17 agustus 1990"))
    assert "Tempat lahir: Mojokerto; tanggal lahir: 17 Agustus 1990" in said and "Jenis kelamin" in said, said
    for answer in ("Perempuan", "Islam", "Karyawan swasta"):
        said = texts(await world.say(who, answer))
    assert "Alamat" in said, said
    said = texts(await world.say(who, "Dusun Krajan RT 02 RW 01"))
    assert "foto KTP" in said and "Keperluan" not in said, said  # (the purpose was answered first)
    said = texts(await world.say(who, "berapa lama jadinya?"))
    assert "hari kerja" in said and "foto KTP" in said, said
