"""Shared pieces of the security tests: a browser-like client (keeps cookies from 127.0.0.1)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import aiohttp
import pytest


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
