"""content/letters.yml is checked at start with clear errors; NIK checks; what counts as a letter request."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest
import yaml

from actions.letters import wanted_type
from actions.letters_config import (
    LettersConfigError,
    check_nik,
    letter_number,
    load_catalog,
    mask_nik,
    parse_catalog,
    parse_date,
)
from bot.app import create_app
from bot.settings import ROOT
from tests.harness import make_settings

CATALOG = load_catalog(ROOT / "content")


@pytest.mark.parametrize(("nik", "problem"), [
    ("3599015708900003", None),  # a woman: day 17 + 40
    ("3599 0117 0890 0003", None),
    ("3599.0117.0890.0003", None),
    ("359901170890000", "letter_nik_length"),
    ("35990117089000031", "letter_nik_length"),
    ("35990117089O0003", "letter_nik_length"),
    ("9999011708900003", "letter_nik_region"),  # no province 99
    ("3500011708900003", "letter_nik_region"),  # regency 00
    ("3599001708900003", "letter_nik_region"),  # district 00
    ("3599013208900003", "letter_nik_birth"),  # day 32
    ("3599011713900003", "letter_nik_birth"),  # month 13
    ("3599011708900000", "letter_nik_birth"),  # serial 0000
])
def test_nik_check(nik: str, problem: str | None):
    assert check_nik(nik) == problem


def test_nik_masking_keeps_only_region_and_serial_ends():
    assert mask_nik("3599 0157 0890 0003") == "3599********0003"


def test_dates_are_read_the_indonesian_way():
    assert parse_date("17-08-1990") == date(1990, 8, 17)
    assert parse_date("7/8/1990") == date(1990, 8, 7)
    assert parse_date("31-02-1990") is None and parse_date("kemarin") is None


def test_letter_numbers_follow_each_villages_scheme():
    skck = CATALOG.types["skck"]
    assert letter_number(CATALOG.villages["sooko"], skck, 7, date(2026, 12, 7)) == "331/0007/35.99.01.2001/XII/2026"
    assert letter_number(CATALOG.villages["japan"], skck, 12, date(2026, 3, 1)) == "331/0012/35.99.01.2002/2026"


@pytest.mark.parametrize(("text", "letter_type"), [
    ("mau bikin surat pengantar SKCK", "skck"),
    ("surat keterangan domisili", "domisili"),
    ("SKTM", "sktm"),
    ("keterangan usaha", "usaha"),
    ("pengantar KK/KTP", "pengantar_kk"),
    ("minta surat keterangan kelahiran", "kelahiran"),
    ("butuh surat keterangan kematian buat akta", "kematian"),
    ("mau buat surat pengantar", None),
])
def test_requests_in_the_issues_words_are_recognised(text: str, letter_type: str | None):
    asked, found = wanted_type(text, CATALOG)
    assert asked and (found.id if found else None) == letter_type


def test_no_question_or_complaint_in_the_real_nlu_data_is_taken_for_a_letter_request():
    """FAQ questions ("syarat bikin SKCK?") and complaints about letters (pungli) keep going to the NLU."""
    examples = []
    for name in ("nlu/data/faq.yml", "nlu/data/complaints.yml", "nlu/data/conversation.yml",
                 "nlu/test/heldout_complaints.yml", "nlu/test/heldout_other.yml"):
        for item in yaml.safe_load((ROOT / name).read_text(encoding="utf-8")).get("nlu", []):
            for line in str(item.get("examples", "")).splitlines():
                text = re.sub(r"^\s*-\s*", "", line).strip()
                if text:
                    examples.append(text)
    assert len(examples) > 3000
    taken = [e for e in examples if wanted_type(e, CATALOG)[0]]
    assert taken == []


def _broken(tmp_path: Path, old: str, new: str) -> Path:
    text = (ROOT / "content" / "letters.yml").read_text(encoding="utf-8")
    assert old in text
    path = tmp_path / "letters.yml"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return path


@pytest.mark.parametrize(("old", "new", "message"), [
    ("    kecamatan: trowulan\n", "    kecamatan: mojosari\n", "unknown kecamatan 'mojosari'"),
    ("signers: [village_head, camat]", "signers: [camat]", "signers must be"),
    ("fields: [name, nik, occupation, address, business, business_since, purpose]",
     "fields: [name, nik, hobby]", "unknown: hobby"),
    ('number_format: "{code}/{seq:04d}/{village_code}/{year}"', 'number_format: "{code}/{serial}"',
     "number_format"),
    ("    photo: ktp\n", "    photo: passport\n", "photo must be"),
    ('"Orang tersebut di atas adalah benar berdomisili', '"Orang {nickname} di atas adalah benar berdomisili',
     "body uses nickname"),
])
def test_mistakes_in_letters_yml_name_the_file_and_the_problem(tmp_path: Path, old: str, new: str, message: str):
    path = _broken(tmp_path, old, new)
    with pytest.raises(LettersConfigError, match=re.escape(message)) as error:
        parse_catalog(yaml.safe_load(path.read_text(encoding="utf-8")), path)
    assert str(path) in str(error.value)


def test_a_broken_letters_yml_stops_the_service_at_start(tmp_path: Path):
    import shutil

    content = tmp_path / "content"
    shutil.copytree(ROOT / "content", content)
    (content / "letters.yml").write_text("villages: {}\n", encoding="utf-8")
    with pytest.raises(LettersConfigError, match="at least one village"):
        create_app(make_settings(tmp_path, WARGA_CONTENT_DIR=str(content)), nlu=object())


async def test_dev_cert_command_writes_a_certificate_that_signs(tmp_path: Path, capsys):
    from bot.letters_cli import main
    from integrations.signing import PadesSigner, trust_roots_for

    settings = make_settings(tmp_path, LETTERS_P12_PASSPHRASE="rahasia")
    assert await main(["dev-cert"], settings) == 0
    path = settings.letters.p12_path
    assert path.is_file() and str(path) in capsys.readouterr().out
    assert oct(path.stat().st_mode & 0o777) == "0o600"
    ca = "Pemerintah Kabupaten Warga Development CA"
    assert [c.subject.native["common_name"] for c in PadesSigner(path, "rahasia").trust_roots()] == [ca]
    assert ca in [c.subject.native["common_name"] for c in trust_roots_for(settings.letters)]
    with pytest.raises(ValueError, match="unknown village 'atlantis'"):
        await main(["invite", "--desa", "atlantis"], settings)


def test_bsre_signer_needs_its_url():
    from bot.settings import SettingsError, load_settings

    with pytest.raises(SettingsError, match="BSRE_URL"):
        load_settings({"LETTERS_SIGNER": "bsre"}, dotenv=ROOT / ".env.none")
    with pytest.raises(SettingsError, match="LETTERS_SIGNER"):
        load_settings({"LETTERS_SIGNER": "paper"}, dotenv=ROOT / ".env.none")
    assert "rahasia" not in repr(load_settings({"LETTERS_P12_PASSPHRASE": "rahasia"}, dotenv=ROOT / ".env.none"))
