"""The BSrE/TTE adapter against a fake signing service on loopback, alone and inside the running service."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import aiohttp
import pytest

from actions.letter_pdf import render_letter
from actions.letters import ISSUED, letter_content, letter_of
from bot.app import RUNTIME, create_app
from bot.errors import PermanentError, RetryableError
from bot.letters_cli import issue_letter_code
from bot.settings import ROOT, LetterSettings
from integrations.signing import BsreSigner, SignerInfo, check_pdf, load_pem_certificates, make_signer
from tests.fakes.bsre import FakeBsre
from tests.harness import mailbox, make_settings, running_service, say, texts, upload, wait_for, web_headers
from tests.letters.conftest import KTP_PHOTO, REQUEST
from tests.letters.test_rendering import _request

HEAD_NIK = "3599010101700001"
CAMAT_NIK = "3599010202750002"
HEAD_PASS = "passphrase-kades"


@pytest.fixture
async def bsre(tmp_path: Path):
    async with FakeBsre(tmp_path / "bsre", users={HEAD_NIK: HEAD_PASS, CAMAT_NIK: HEAD_PASS}) as fake:
        yield fake


async def _unsigned(tmp_path: Path) -> bytes:
    """The unsigned PDF of the rendering test's sample request."""
    services = create_app(make_settings(tmp_path), nlu=object())[RUNTIME].services
    return render_letter(letter_content(services, _request()))


async def test_bsre_signs_through_the_service_and_the_signature_validates(bsre: FakeBsre, tmp_path: Path):
    signer = BsreSigner(bsre.url, "warga", "klien-rahasia", HEAD_PASS, extra_roots=load_pem_certificates(bsre.ca_pem))
    pdf = await _unsigned(tmp_path)
    signed = await signer.sign(pdf, SignerInfo(field="TTE", name="Suyanto", title="Kepala Desa Sooko",
                                               location="Sooko", nik=HEAD_NIK))
    assert signed != pdf and signed.startswith(b"%PDF")
    check = await check_pdf(signed, signer.trust_roots())
    assert check.ok and len(check.signatures) == 1, check
    assert bsre.calls[-1].nik == HEAD_NIK and bsre.calls[-1].fields["tampilan"] == "invisible"


async def test_bsre_errors_map_to_permanent_and_retryable(bsre: FakeBsre, tmp_path: Path):
    pdf = await _unsigned(tmp_path)
    who = SignerInfo(field="TTE", name="x", title="y", location="z", nik=HEAD_NIK)
    wrong = BsreSigner(bsre.url, "warga", "klien-rahasia", "salah")
    with pytest.raises(PermanentError, match="Passphrase"):
        await wrong.sign(pdf, who)
    with pytest.raises(PermanentError, match="401"):
        await BsreSigner(bsre.url, "warga", "bukan", HEAD_PASS).sign(pdf, who)
    with pytest.raises(PermanentError, match="NIK"):
        await BsreSigner(bsre.url, "warga", "klien-rahasia", HEAD_PASS).sign(
            pdf, SignerInfo(field="TTE", name="x", title="y", location="z", nik="3599019999990009"))
    bsre.fail_next(503)
    with pytest.raises(RetryableError):
        await BsreSigner(bsre.url, "warga", "klien-rahasia", HEAD_PASS).sign(pdf, who)
    with pytest.raises(PermanentError, match="bsre_nik"):
        await BsreSigner(bsre.url, "warga", "klien-rahasia", HEAD_PASS).sign(
            pdf, SignerInfo(field="TTE", name="x", title="y", location="z"))
    # Nothing listens on port 9 of loopback: unreachable is retried, not lost.
    with pytest.raises(RetryableError, match="unreachable"):
        await BsreSigner("http://127.0.0.1:9", "warga", "klien-rahasia", HEAD_PASS, timeout=2).sign(pdf, who)
    assert isinstance(make_signer(LetterSettings(signer="bsre", bsre_url=bsre.url)), BsreSigner)


async def test_domicile_letter_signed_by_bsre_reaches_the_resident(bsre: FakeBsre, tmp_path: Path,
                                                                   nlu_model_path: Path, http: aiohttp.ClientSession):
    """The whole service with LETTERS_SIGNER=bsre: a village-head-only letter, approved on the web chat."""
    content = tmp_path / "content"
    shutil.copytree(ROOT / "content", content)
    letters = content / "letters.yml"
    letters.write_text(letters.read_text(encoding="utf-8").replace(
        '    head_name: "Suyanto"\n', f'    head_name: "Suyanto"\n    bsre_nik: "{HEAD_NIK}"\n', 1), encoding="utf-8")
    settings = make_settings(tmp_path, WARGA_CONTENT_DIR=str(content), LETTERS_SIGNER="bsre", BSRE_URL=bsre.url,
                             BSRE_USER="warga", BSRE_PASSWORD="klien-rahasia", BSRE_PASSPHRASE=HEAD_PASS,
                             LETTERS_TRUST_ROOTS=str(bsre.ca_pem))
    async with running_service(settings) as svc:
        code = await issue_letter_code(settings, "village_head", "sooko")
        assert "terdaftar" in texts(await say(http, svc.url, "kades-web", f"/daftar {code}"))
        sender = "warga-domisili"
        await say(http, svc.url, sender, "surat keterangan domisili")
        await say(http, svc.url, sender, "Desa Sooko")
        for answer in ("Budi Santoso", "3599011708900003", "Mojokerto", "17-08-1990", "Laki-laki", "Petani",
                       "Dusun Krajan RT 01 RW 02", "syarat pendaftaran sekolah anak"):
            await say(http, svc.url, sender, answer)
        await upload(http, svc.url, sender, KTP_PHOTO)
        number = REQUEST.search(texts(await say(http, svc.url, sender, "kirim"))).group(0)
        card = await wait_for(lambda: _pushed(svc, "kades-web", number))
        assert f"/setujui {number}" in [b["payload"] for b in card[0].get("buttons", [])]
        assert "tandatangani" in texts(await say(http, svc.url, "kades-web", f"/setujui {number}"))
        issued = await wait_for(lambda: _pushed(svc, sender, "terbit"), timeout=30)
        link = re.search(r"(/surat/unduh/\S+)", issued[0]["text"]).group(1)
        async with http.get(f"{svc.url}{link}", headers=web_headers(svc.url, sender)) as resp:
            assert resp.status == 200
            pdf = await resp.read()
        assert (await svc.store.get_ticket(number)).status == ISSUED
        check = await check_pdf(pdf, load_pem_certificates(bsre.ca_pem))
        assert check.ok and len(check.signatures) == 1 and "BSrE" in check.signatures[0].signer, check
        assert [c.nik for c in bsre.calls] == [HEAD_NIK]
        verify = re.search(r"(/surat/v/\S+)", issued[0]["text"]).group(1)
        async with http.get(f"{svc.url}{verify}") as resp:
            page = await resp.text()
        assert letter_of(await svc.store.get_ticket(number))["letter_no"] in page and "Budi" not in page


async def _pushed(svc, sender: str, words: str) -> list[dict]:
    return [i for i in await mailbox(svc.store, f"webchat:{sender}") if words in i.get("text", "")]
