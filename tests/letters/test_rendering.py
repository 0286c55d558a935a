"""The letter as a person sees it: rendered to PNG by poppler, its QR code read back, its text checked."""

from __future__ import annotations

import os
import shutil
from datetime import UTC, datetime
from pathlib import Path

import pytest

from actions.letter_pdf import render_letter
from actions.letters import letter_content, verify_url
from bot.app import RUNTIME, create_app
from bot.store.base import Ticket
from integrations.signing import PadesSigner, SignerInfo, check_pdf, create_dev_certificate, load_pem_certificates
from tests.harness import make_settings
from tests.letters.conftest import run_tool

TOKEN = "Qr7-sample-token_01"


def _request(letter_type: str = "skck") -> Ticket:
    now = datetime(2026, 12, 7, 3, 0, tzinfo=UTC)
    fields = {"name": "Siti Rahayu", "nik": "3599015708900003", "birth_place": "Mojokerto",
              "birth_date": "17 Agustus 1990", "gender": "Perempuan", "religion": "Islam",
              "occupation": "Karyawan swasta", "address": "Dusun Krajan RT 02 RW 01, Desa Sooko",
              "purpose": "melamar pekerjaan"}
    letter = {"type": letter_type, "village": "sooko", "kecamatan": "sooko", "fields": fields,
              "letter_no": "331/0007/35.99.01.2001/XII/2026", "issued_on": "2026-12-07", "verify_token": TOKEN}
    return Ticket(number="SRT-2612-0007", kind="surat", topic=letter_type, opd_id=None, status="ditandatangani",
                  text="", reporter="webchat:x", created_at=now, updated_at=now, extra={"letter": letter})


@pytest.fixture
def services(tmp_path: Path):
    settings = make_settings(tmp_path, WARGA_PUBLIC_URL="https://warga.example.go.id")
    return create_app(settings, nlu=object())[RUNTIME].services


async def test_rendered_letter_shows_letterhead_number_and_a_qr_code_that_reads_back(services, tmp_path: Path):
    ticket = _request()
    pdf = render_letter(letter_content(services, ticket))
    p12 = tmp_path / "dev.p12"
    ca = create_dev_certificate(p12, "", "Kepala Desa Sooko", "Pemerintah Kabupaten Warga")
    signer = PadesSigner(p12, None)
    for field in ("TTE-KepalaDesa", "TTE-Camat"):
        pdf = await signer.sign(pdf, SignerInfo(field=field, name="x", title="y", location="Sooko"))
    assert (await check_pdf(pdf, load_pem_certificates(ca))).ok
    path = tmp_path / "letter.pdf"
    path.write_bytes(pdf)

    text = run_tool("pdftotext", "-layout", path, "-")
    for expected in ("PEMERINTAH KABUPATEN WARGA", "KECAMATAN SOOKO", "DESA SOOKO", "SURAT PENGANTAR",
                     "Nomor: 331/0007/35.99.01.2001/XII/2026", "Perihal", "Pengantar Permohonan Surat Keterangan",
                     "Siti Rahayu", "3599015708900003", "melamar pekerjaan", "Kepala Desa Sooko", "SUYANTO",
                     "Mengetahui,", "Camat Sooko", "Drs. Bambang Setiawan", "Sooko, 7 Desember 2026",
                     verify_url(services, TOKEN)):
        assert expected in text, f"{expected!r} not on the letter:\n{text}"

    run_tool("pdftoppm", "-png", "-r", "110", "-singlefile", path, tmp_path / "page")
    png = tmp_path / "page.png"
    assert png.stat().st_size > 20_000
    decoded = run_tool("zbarimg", "--quiet", "--raw", png, with_stderr=False).strip()
    assert decoded == verify_url(services, TOKEN) == f"https://warga.example.go.id/surat/v/{TOKEN}"

    # The kop surat is at the top: dark pixels of the heading and its double rule in the top fifth of the page.
    from PIL import Image

    with Image.open(png) as image:
        grey = image.convert("L")
        width, height = grey.size
        top = grey.crop((0, 0, width, height // 5))
        dark_rows = sum(1 for y in range(top.height)
                        if sum(1 for x in range(0, width, 4) if top.getpixel((x, y)) < 80) > width // 8)
    assert dark_rows >= 2, "the double rule under the letterhead is missing"
    sample = os.environ.get("WARGA_TEST_LETTER_SAMPLE")
    # `WARGA_TEST_LETTER_SAMPLE=docs/letter-sample.png pytest tests/letters/test_rendering.py` refreshes the sample
    if sample:
        shutil.copy(png, sample)


async def test_single_signer_letter_has_no_camat_block(services, tmp_path: Path):
    ticket = _request("domisili")
    path = tmp_path / "domisili.pdf"
    path.write_bytes(render_letter(letter_content(services, ticket)))
    text = run_tool("pdftotext", "-layout", path, "-")
    assert "SURAT KETERANGAN DOMISILI" in text and "Camat" not in text and "berdomisili di Desa Sooko" in text


async def test_a_village_logo_from_letters_yml_is_printed_in_the_letterhead(tmp_path: Path):
    from PIL import Image

    content = tmp_path / "content"
    shutil.copytree(Path(__file__).resolve().parents[2] / "content", content)
    Image.new("RGB", (120, 140), (200, 30, 30)).save(content / "logo-sooko.png")
    letters = content / "letters.yml"
    letters.write_text(letters.read_text(encoding="utf-8").replace(
        '    head_name: "Suyanto"\n', '    head_name: "Suyanto"\n    logo: logo-sooko.png\n', 1), encoding="utf-8")
    services = create_app(make_settings(tmp_path, WARGA_CONTENT_DIR=str(content)), nlu=object())[RUNTIME].services
    path = tmp_path / "logo.pdf"
    path.write_bytes(render_letter(letter_content(services, _request())))
    images = [line for line in run_tool("pdfimages", "-list", path).splitlines()[2:] if line.strip()]
    assert len(images) == 2, images  # the logo and the QR code
    run_tool("pdftoppm", "-png", "-r", "40", "-singlefile", path, tmp_path / "logo")
    with Image.open(tmp_path / "logo.png") as opened:
        page = opened.convert("RGB")
        red = sum(1 for x in range(page.width // 4) for y in range(page.height // 6)
                  if page.getpixel((x, y)) == (200, 30, 30))
    assert red > 50, "the red logo is not at the top left"
