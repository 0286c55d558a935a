"""Shared pieces of the security tests: a browser-like client (keeps cookies from 127.0.0.1)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import aiohttp
import pytest

from bot.settings import Settings
from tests.fakes.graph_api import FakeGraphApi
from tests.fakes.telegram_api import FakeTelegramApi
from tests.harness import make_settings

TG_SECRET = "telegram-secret-value-123"
WA_SECRET = "whatsapp-app-secret"


def visitor() -> aiohttp.ClientSession:
    """A client that keeps the session cookie the server sets, as a browser does (also on 127.0.0.1)."""
    return aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True))


@pytest.fixture
async def browser() -> AsyncIterator[aiohttp.ClientSession]:
    async with visitor() as session:
        yield session


async def post_message(client: aiohttp.ClientSession, url: str, text: str, **extra: Any) -> tuple[int, Any]:
    async with client.post(f"{url}/webhooks/rest/webhook", json={"message": text, **extra}) as resp:
        return resp.status, await resp.json()


async def start_session(client: aiohttp.ClientSession, url: str) -> str:
    """Open the chat page's session (the server sets the cookie); returns the sender the server chose."""
    async with client.get(f"{url}/webhooks/rest/session") as resp:
        assert resp.status == 200
        return str((await resp.json())["sender"])


def channels_on(tmp_path: Path, telegram: FakeTelegramApi, graph: FakeGraphApi, **extra: str) -> Settings:
    """Settings with Telegram (webhook mode) and WhatsApp on, their APIs at the fakes; `extra` adds more."""
    return make_settings(
        tmp_path, TELEGRAM_BOT_TOKEN="123:ABC", TELEGRAM_API_BASE_URL=telegram.api_base,
        TELEGRAM_FILE_BASE_URL=telegram.file_base, TELEGRAM_MODE="webhook", TELEGRAM_WEBHOOK_SECRET=TG_SECRET,
        WARGA_PUBLIC_URL="http://127.0.0.1:1", WHATSAPP_TOKEN="wa-token", WHATSAPP_PHONE_NUMBER_ID="555",
        WHATSAPP_APP_SECRET=WA_SECRET, WHATSAPP_VERIFY_TOKEN="verify-value", WHATSAPP_GRAPH_URL=graph.url, **extra)
