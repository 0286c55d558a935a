"""Shared pieces of the letter tests: a development certificate, a running service with Telegram, people."""

from __future__ import annotations

import itertools
import re
import shutil
import subprocess
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import aiohttp
import pytest

from bot.letters_cli import issue_letter_code
from integrations.signing import create_dev_certificate
from tests.channels.test_telegram import deliver, joined, payload
from tests.fakes.telegram_api import Call, FakeTelegramApi
from tests.harness import Service, make_settings, payloads, photo_jpeg, running_service, say, texts, upload

SECRET = "s3cret"
HEAD = "3003"  # the village head of Desa Sooko, on Telegram
CAMAT = "4004"  # the camat of Kecamatan Sooko, on Telegram
PASSPHRASE = "kata-sandi-sertifikat"
REQUEST = re.compile(r"SRT-\d{4}-\d{4}")
GOOD_NIK = "3599015708900003"  # fictional: province 35, a woman born 17-08-1990
KTP_PHOTO = photo_jpeg((120, 80))
_callbacks = itertools.count(1)


def need_tool(name: str) -> str:
    """The path of a Debian tool the tests use (installed by scripts/ensure_letter_tools.sh); fail loudly if absent."""
    path = shutil.which(name)
    if path is None:
        pytest.fail(f"{name} is missing: run `bash scripts/ensure_letter_tools.sh` (make test does)")
    return path


def run_tool(*args: str | Path, with_stderr: bool = True) -> str:
    """Run a Debian tool; its output (stdout, and stderr unless `with_stderr` is False) as text."""
    result = subprocess.run([need_tool(str(args[0])), *map(str, args[1:])], capture_output=True, timeout=60,
                            check=False)
    return (result.stdout + (result.stderr if with_stderr else b"")).decode("utf-8", "replace")


@dataclass
class LetterWorld:
    """A running service with Telegram (fake Bot API) and a development signing certificate."""

    svc: Service
    fake: FakeTelegramApi
    ca_pem: Path
    http: aiohttp.ClientSession

    async def enrol(self, user: str, role: str, place: str) -> None:
        code = await issue_letter_code(self.svc.settings, role, place)
        sent = await deliver(self.http, self.svc, self.fake, payload("private_text", text=f"/daftar {code}",
                                                                     sender=user), chat=user)
        assert "terdaftar" in joined(sent), joined(sent)

    async def press(self, user: str, data: str) -> list[Call]:
        """The user presses an inline button whose payload is `data`; returns what was sent to them."""
        raw = payload("callback_query", data=data, sender=user)
        raw["callback_query"]["id"] = f"cb-{next(_callbacks)}"
        raw["callback_query"]["message"]["chat"]["id"] = int(user)
        return await deliver(self.http, self.svc, self.fake, raw, chat=user)

    async def text(self, user: str, text: str) -> list[Call]:
        return await deliver(self.http, self.svc, self.fake, payload("private_text", text=text, sender=user),
                             chat=user)

    async def say(self, sender: str, text: str) -> list[dict[str, Any]]:
        return await say(self.http, self.svc.url, sender, text)


@pytest.fixture
async def world(tmp_path: Path, nlu_model_path: Path, http: aiohttp.ClientSession) -> AsyncIterator[LetterWorld]:
    p12 = tmp_path / "signer.p12"
    ca_pem = create_dev_certificate(p12, PASSPHRASE, "Kepala Desa Sooko", "Pemerintah Kabupaten Warga")
    async with FakeTelegramApi() as fake:
        settings = make_settings(
            tmp_path, TELEGRAM_BOT_TOKEN="123:ABC", TELEGRAM_WEBHOOK_SECRET=SECRET,
            TELEGRAM_API_BASE_URL=fake.api_base, TELEGRAM_FILE_BASE_URL=fake.file_base, TELEGRAM_MODE="webhook",
            WARGA_PUBLIC_URL="https://warga.example.go.id", LETTERS_P12_PATH=str(p12),
            LETTERS_P12_PASSPHRASE=PASSPHRASE)
        async with running_service(settings) as svc:
            yield LetterWorld(svc, fake, ca_pem, http)


SKCK_ANSWERS = ("Siti Rahayu", GOOD_NIK, "Mojokerto", "17-08-1990", "Perempuan", "Islam", "Karyawan swasta",
                "Dusun Krajan RT 02 RW 01", "melamar pekerjaan di pabrik")


async def request_skck(world: LetterWorld, sender: str) -> str:
    """A resident on the web chat asks for an SKCK cover letter and files it; returns the request number."""
    replies = await world.say(sender, "mau bikin surat pengantar SKCK")
    assert "desa:sooko" in payloads(replies), texts(replies)
    replies = await world.say(sender, "desa:sooko")
    for answer in SKCK_ANSWERS:
        assert "?" in texts(replies), texts(replies)
        replies = await world.say(sender, answer)
    assert "foto" in texts(replies).lower(), texts(replies)
    replies = await upload(world.http, world.svc.url, sender, KTP_PHOTO)
    summary = texts(replies)
    assert "kirim" in payloads(replies) and "Siti Rahayu" in summary, summary
    assert GOOD_NIK not in summary and "3599********0003" in summary
    replies = await world.say(sender, "kirim")
    match = REQUEST.search(texts(replies))
    assert match, texts(replies)
    return match.group(0)
