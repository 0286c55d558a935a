"""What the NIK already says (birth date, sex) is offered as the answer: one tap or "ya" answers, another answer
typed still counts. Driven over the web chat of a running service."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest

from actions.letters_config import LettersConfigError, load_catalog, read_nik
from tests.harness import payloads, texts
from tests.letters.conftest import GOOD_NIK, LetterWorld

MAN_2005 = "3599011205050001"  # fictional: a man born 12-05-2005


async def _fields(world: LetterWorld, sender: str) -> dict[str, Any]:
    conversation = await world.svc.store.get_conversation(f"webchat:{sender}")
    assert conversation is not None
    return dict(conversation.state["l"]["fields"])


async def _to_birth_date(world: LetterWorld, sender: str, nik: str, lang: str = "id") -> list[dict[str, Any]]:
    """A resident asks for an SKCK letter and answers up to the birth date question; its replies."""
    await world.say(sender, "I need an SKCK cover letter" if lang == "en" else "mau bikin surat pengantar SKCK")
    await world.say(sender, "desa:sooko")
    await world.say(sender, "Siti Rahayu")
    await world.say(sender, nik)
    return await world.say(sender, "Mojokerto")


async def test_the_birth_date_and_sex_in_the_nik_are_offered_and_ya_or_a_tap_answers(world: LetterWorld):
    replies = await _to_birth_date(world, "warga-nik", GOOD_NIK)
    said = texts(replies)
    assert "Tanggal lahir menurut NIK Anda: 17 Agustus 1990" in said and "?" in said, said
    assert payloads(replies)[0] == "17 Agustus 1990", payloads(replies)

    replies = await world.say("warga-nik", "iya")
    said = texts(replies)
    assert "Jenis kelamin menurut NIK Anda: Perempuan" in said, said
    assert payloads(replies)[:2] == ["Perempuan", "Laki-laki"], payloads(replies)

    replies = await world.say("warga-nik", "Perempuan")  # the tap sends the button's payload
    assert "Agama" in texts(replies), texts(replies)
    fields = await _fields(world, "warga-nik")
    assert fields["birth_date"] == "17 Agustus 1990" and fields["gender"] == "Perempuan", fields


async def test_a_resident_whose_papers_differ_types_the_right_answer(world: LetterWorld):
    await _to_birth_date(world, "warga-beda", GOOD_NIK)
    replies = await world.say("warga-beda", "18-08-1990")
    assert "menurut NIK Anda: Perempuan" in texts(replies), texts(replies)
    await world.say("warga-beda", "laki-laki")
    fields = await _fields(world, "warga-beda")
    assert fields["birth_date"] == "18 Agustus 1990" and fields["gender"] == "Laki-laki", fields


async def test_a_wrong_answer_keeps_the_nik_suggestion_among_the_buttons(world: LetterWorld):
    await _to_birth_date(world, "warga-salah", GOOD_NIK)
    replies = await world.say("warga-salah", "kemarin lusa")
    assert payloads(replies)[:1] == ["17 Agustus 1990"], texts(replies)
    await world.say("warga-salah", "ya")
    assert (await _fields(world, "warga-salah"))["birth_date"] == "17 Agustus 1990"


async def test_a_two_digit_year_is_read_as_the_latest_past_one_and_english_is_answered_in_english(
        world: LetterWorld):
    replies = await _to_birth_date(world, "young-man", MAN_2005, lang="en")
    said = texts(replies)
    assert "Date of birth according to your NIK: 12 Mei 2005" in said, said
    replies = await world.say("young-man", "yes")
    assert "Sex according to your NIK: Laki-laki" in texts(replies), texts(replies)
    await world.say("young-man", "yes")
    fields = await _fields(world, "young-man")
    assert fields["birth_date"] == "12 Mei 2005" and fields["gender"] == "Laki-laki", fields


def test_read_nik_decodes_day_month_year_and_sex():
    today = date(2026, 12, 3)
    assert read_nik("3599015708900003", today) == (date(1990, 8, 17), "female")
    assert read_nik("3599011205050001", today) == (date(2005, 5, 12), "male")
    assert read_nik("3599010112260001", today) == (date(2026, 12, 1), "male")  # a baby born two days ago
    assert read_nik("3599010112260001", date(2026, 11, 30)) == (date(1926, 12, 1), "male")
    assert read_nik("3599013102900001", today) == (None, "male")  # 31 February: no date, the sex still
    assert read_nik("12345", today) == (None, None)


def test_from_nik_on_the_wrong_kind_of_field_stops_the_start(tmp_path: Path):
    source = (Path(__file__).parents[2] / "content" / "letters.yml").read_text(encoding="utf-8")
    bad = source.replace('max: 40}', 'max: 40, from_nik: birth_date}', 1)
    assert bad != source
    (tmp_path / "letters.yml").write_text(bad, encoding="utf-8")
    with pytest.raises(LettersConfigError, match="from_nik"):
        load_catalog(tmp_path)
