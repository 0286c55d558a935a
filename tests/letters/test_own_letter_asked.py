"""A resident asks after their letter in words (thirty-sixth trial: "surat saya sudah jadi belum?" was told no
complaint came from this account): each of their requests, with its status."""

from __future__ import annotations

from tests.harness import texts
from tests.letters.conftest import LetterWorld, request_skck


async def test_a_resident_asks_whether_their_letter_is_ready(world: LetterWorld):
    number = await request_skck(world, "warga-surat-1")
    said = texts(await world.say("warga-surat-1", "surat saya sudah jadi belum?"))
    assert f"Permohonan *{number}*" in said and "SKCK" in said and "belum menemukan" not in said, said
    # another resident sees nothing of it
    said = texts(await world.say("warga-surat-2", "surat saya sudah jadi belum?"))
    assert number not in said and "belum menemukan permohonan surat" in said, said
