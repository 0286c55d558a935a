"""Problem 4: no leaks: photos lose EXIF/GPS, /healthz keeps details for the operator, logs masked, NLU closed."""

from __future__ import annotations

import asyncio
import io
import logging
import re
from pathlib import Path

import aiohttp
import pytest
from PIL import Image

from bot.logging_setup import mask_personal, setup_logging
from bot.message import utcnow
from bot.settings import ROOT
from bot.store.base import OutboxJob
from tests.harness import PARSE_HEADERS, make_settings, photo_jpeg, running_service, say, wait_for, web_headers
from tests.security.conftest import start_session, visitor

OPERATOR = "operator-token-0123456789"


@pytest.fixture
async def svc(tmp_path: Path, nlu_model_path: Path):
    async with running_service(make_settings(tmp_path, WARGA_OPERATOR_TOKEN=OPERATOR)) as service:
        yield service


async def upload(http: aiohttp.ClientSession, url: str, headers: dict[str, str], data: bytes, filename: str,
                 content_type: str, caption: str = "") -> aiohttp.ClientResponse:
    form = aiohttp.FormData()
    form.add_field("caption", caption)
    form.add_field("file", data, filename=filename, content_type=content_type)
    return await http.post(f"{url}/webhooks/rest/upload", data=form, headers=headers)


async def test_an_uploaded_jpeg_with_gps_comes_back_without_it(svc, http: aiohttp.ClientSession) -> None:
    sent = photo_jpeg((120, 90), gps=True)
    assert Image.open(io.BytesIO(sent)).getexif().get_ifd(0x8825)  # the photo carries GPS
    sender = "fotografer"
    for text in ("jalan di desa Sooko rusak parah banyak lubang", "ya", "Desa Sooko RT 02, depan balai desa"):
        await say(http, svc.url, sender, text)
    async with await upload(http, svc.url, web_headers(svc.url, sender), sent, "IMG_0001.jpg", "image/jpeg") as resp:
        assert resp.status == 200, await resp.text()
    for text in ("lanjut", "privasi:anonim"):
        await say(http, svc.url, sender, text)
    replies = await say(http, svc.url, sender, "kirim")
    number = re.search(r"WRG-\d{4}-\d{4}", " ".join(r["text"] for r in replies)).group(0)
    ticket = await svc.store.get_ticket(number)
    assert ticket.privacy == "anonim" and len(ticket.media) == 1
    async with http.get(f"{svc.url}/media/{ticket.media[0]}") as resp:
        assert resp.status == 200 and resp.headers["X-Content-Type-Options"] == "nosniff"
        back = await resp.read()
    picture = Image.open(io.BytesIO(back))
    assert picture.size == (120, 90) and picture.format == "JPEG"
    assert not picture.getexif() and b"Exif" not in back and b"TestCam" not in back


@pytest.mark.parametrize(("data", "filename", "content_type"), [
    (bytes(range(256)) * 40, "foto.jpg", "image/jpeg"),
    (b"<html><script>alert(1)</script></html>", "foto.png", "image/png"),
])
async def test_what_is_not_an_image_is_refused(svc, http: aiohttp.ClientSession, data: bytes, filename: str,
                                               content_type: str) -> None:
    headers = web_headers(svc.url, "pengunggah")
    async with await upload(http, svc.url, headers, data, filename, content_type) as resp:
        assert resp.status == 415
        assert "tidak dapat dibaca sebagai foto" in (await resp.json())["error"]
    conversation = await svc.store.get_conversation("webchat:pengunggah")
    assert conversation is None  # nothing was handled, nothing stored


async def test_healthz_shows_counts_to_the_public_and_details_to_the_operator(svc, http) -> None:
    await svc.store.enqueue([OutboxJob(key="leak", kind="deliver", created_at=utcnow(),
                                       payload={"to": "nochannel:6281234567890", "replies": []})])

    async def failed() -> bool:
        return bool((await svc.store.outbox_counts()).get("dead"))

    await wait_for(failed)
    async with http.get(f"{svc.url}/healthz") as resp:
        public_text = await resp.text()
    assert "6281234567890" not in public_text and "nochannel" not in public_text
    public = await resp.json()
    assert public["outbox"]["dead"] == 1 and public["outbox"]["has_error"] is True
    async with http.get(f"{svc.url}/healthz", headers={"Authorization": "Bearer wrong-token-0000000000"}) as resp:
        assert "nochannel" not in await resp.text()
    async with http.get(f"{svc.url}/healthz", headers={"Authorization": f"Bearer {OPERATOR}"}) as resp:
        detail = await resp.json()
    assert "nochannel" in detail["outbox"]["last_error"] and "6281234567890" not in detail["outbox"]["last_error"]


FORMATS = {
    "3516 0123 4567 8901": "3516********8901",
    "3516.0123.4567.8901": "3516********8901",
    "35.16.01.234567.8901": "3516********8901",
    "3516012345678901": "3516********8901",
    "+62 812-3456-7890": "+628*****890",
    "(0812) 3456-7890": "08*****890",
    "0812.3456.7890": "08*****890",
    "081234567890": "08*****890",
    "6281234567890": "628*****890",
}


@pytest.mark.parametrize(("raw", "masked"), FORMATS.items())
def test_every_nik_and_phone_format_is_masked_in_log_lines_and_tracebacks(raw: str, masked: str, capsys) -> None:
    root = logging.getLogger()
    saved = root.handlers[:], root.level
    try:
        setup_logging("INFO")
        log = logging.getLogger("warga.test")
        log.info("pelapor %s menelepon", raw)
        try:
            raise ValueError(f"bad number {raw}")
        except ValueError:
            log.exception("failed for %s", "someone")
    finally:
        root.handlers[:], level = saved
        root.setLevel(level)
    err = capsys.readouterr().err
    digits = re.sub(r"\D", "", raw)
    assert f"pelapor {masked} menelepon" in err
    assert f"ValueError: bad number {masked}" in err  # the traceback too
    assert raw not in err and digits not in re.sub(r"\D", "", err.replace(masked, ""))


def test_masking_leaves_ticket_numbers_dates_and_coordinates_alone() -> None:
    line = "WRG-2611-0001 at 2026-11-30 12:00:01, pin -7.472613,112.440052, Rp 1.000.000, jam 08:30"
    assert mask_personal(line) == line
    # a web session's hex id may start with digits that look like a phone or hold a NIK-long run of them
    session = "webchat:w-0812345678af03c1 and webchat:w-ab35160123456789012c"
    assert mask_personal(session) == session
    assert mask_personal("hp 081234567890, nik 3516012345678901.") == "hp 08*****890, nik 3516********8901."


async def test_model_parse_is_off_without_a_token(tmp_path: Path, nlu_model_path: Path) -> None:
    settings = make_settings(tmp_path, NLU_PARSE_TOKEN="")
    async with running_service(settings) as svc, aiohttp.ClientSession() as http:
        async with http.post(f"{svc.url}/model/parse", json={"text": "lampu jalan mati"}) as resp:
            assert resp.status == 404


async def test_model_parse_needs_its_token(svc, http) -> None:
    async with http.post(f"{svc.url}/model/parse", json={"text": "lampu jalan mati"}) as resp:
        assert resp.status == 401
    async with http.post(f"{svc.url}/model/parse", json={"text": "lampu jalan mati"},
                         headers={"Authorization": "Bearer not-the-token-00000"}) as resp:
        assert resp.status == 401
    async with http.post(f"{svc.url}/model/parse", json={"text": "lampu jalan mati"}, headers=PARSE_HEADERS) as resp:
        assert resp.status == 200 and (await resp.json())["intent"]["name"]


async def test_security_headers_on_every_page(svc) -> None:
    async with visitor() as browser:
        sender = await start_session(browser, svc.url)
        cookie = next(c for c in browser.cookie_jar if c.key == "warga_session")
        assert cookie["httponly"] and cookie["samesite"] == "Strict" and sender in cookie.value
        for path in ("/", "/static/chat.js", "/healthz", "/webchat/texts", "/no-such-page"):
            async with browser.get(f"{svc.url}{path}") as resp:
                csp = resp.headers["Content-Security-Policy"]
                assert "script-src 'self'" in csp and "frame-ancestors 'none'" in csp and "unsafe-inline" not in csp
                assert resp.headers["X-Content-Type-Options"] == "nosniff"
                assert resp.headers["Referrer-Policy"] == "no-referrer"


def test_the_chat_page_has_no_inline_script_or_handler() -> None:
    page = (ROOT / "bot" / "static" / "index.html").read_text(encoding="utf-8")
    scripts = re.findall(r"<script\b([^>]*)>(.*?)</script>", page, re.DOTALL | re.IGNORECASE)
    assert scripts and all("src=" in attrs and not body.strip() for attrs, body in scripts)
    assert not re.search(r"\son[a-z]+\s*=", page, re.IGNORECASE) and "javascript:" not in page.lower()
    assert not re.search(r"\sstyle\s*=", page, re.IGNORECASE)


async def test_a_request_aiohttp_cannot_parse_is_one_warning_line_without_a_traceback(
        tmp_path: Path, nlu_model_path: Path, capsys) -> None:
    """A URL over 8 KB (a hostile client, a broken link): 400, and the log says so in one line, the number in it
    masked, instead of an ERROR with aiohttp's traceback."""
    root = logging.getLogger()
    saved = root.handlers[:], root.level
    try:
        setup_logging("INFO")
        async with running_service(make_settings(tmp_path)) as svc:
            host, port = svc.url.removeprefix("http://").split(":")
            reader, writer = await asyncio.open_connection(host, int(port))
            writer.write(b"GET /desk/tiket?q=081234567890" + b"a" * 9000 + b" HTTP/1.1\r\nHost: x\r\n\r\n")
            await writer.drain()
            head = await reader.read(64)
            writer.close()
    finally:
        root.handlers[:], level = saved
        root.setLevel(level)
    assert head.startswith(b"HTTP/1.0 400") or head.startswith(b"HTTP/1.1 400"), head
    err = capsys.readouterr().err
    line = next(x for x in err.splitlines() if "malformed HTTP request" in x)
    assert "WARNING aiohttp.server" in line and "LineTooLong" in line, line
    assert "Traceback" not in err and "ERROR aiohttp.server" not in err and "081234567890" not in err, err


async def test_the_database_is_readable_by_its_owner_only(tmp_path: Path, nlu_model_path: Path) -> None:
    """It holds NIKs, phone numbers and photos: a new database (and its -wal file) is the owner's alone; one made
    readable to every user earlier loses that when the service starts."""
    settings = make_settings(tmp_path)
    async with running_service(settings) as svc, aiohttp.ClientSession() as http:
        await say(http, svc.url, "warga-mode", "halo")
        for path in (settings.sqlite_path, settings.sqlite_path.with_name("warga.sqlite3-wal")):
            assert path.stat().st_mode & 0o077 == 0, (path, oct(path.stat().st_mode))
    settings.sqlite_path.chmod(0o644)
    async with running_service(settings):
        assert settings.sqlite_path.stat().st_mode & 0o007 == 0, oct(settings.sqlite_path.stat().st_mode)
