"""Problem 5: malformed input gets a 4xx with a clear message on every channel, never a 500."""

from __future__ import annotations

import json
from pathlib import Path

import aiohttp
import pytest

from bot.channels.whatsapp import signature_of
from bot.message import valid_sender_id
from tests.channels.test_whatsapp import delivery, processed
from tests.fakes.graph_api import FakeGraphApi
from tests.fakes.telegram_api import FakeTelegramApi
from tests.harness import running_service, web_headers
from tests.security.conftest import TG_SECRET, WA_SECRET, channels_on

LONE_SURROGATE_WEB = b'{"message": "halo \\ud800 dunia"}'
DEEP = b"[" * 50_000 + b"]" * 50_000
DEEP_OBJECT = b'{"a":' * 40 + b"1" + b"}" * 40


@pytest.fixture
async def svc(tmp_path: Path, nlu_model_path: Path):
    async with FakeTelegramApi() as telegram, FakeGraphApi(token="wa-token", phone_number_id="555") as graph:
        async with running_service(channels_on(tmp_path, telegram, graph)) as service:
            service.graph = graph
            yield service


async def post(http: aiohttp.ClientSession, url: str, data: bytes, **headers: str) -> tuple[int, str]:
    async with http.post(url, data=data, headers={"Content-Type": "application/json", **headers}) as resp:
        return resp.status, await resp.text()


async def test_web_chat_answers_4xx_with_a_reason(svc, http: aiohttp.ClientSession) -> None:
    url, auth = f"{svc.url}/webhooks/rest/webhook", web_headers(svc.url, "tamu")
    status, text = await post(http, url, LONE_SURROGATE_WEB, **auth)
    assert status == 400 and "lone surrogate" in text
    for body in (DEEP, DEEP_OBJECT):
        status, text = await post(http, url, body, **auth)
        assert status in (400, 413) and ("deeper than" in text or "terlalu besar" in text)
    status, text = await post(http, url, DEEP_OBJECT, **auth)
    assert status == 400 and "deeper than 32 levels" in text
    status, text = await post(http, url, b'{"message": "hi", "metadata": {"name": "\\udfff"}}', **auth)
    assert status == 400 and "lone surrogate" in text  # anywhere in the body, keys and nested values too
    # Multipart without a boundary.
    async with http.post(f"{svc.url}/webhooks/rest/upload", data=b"--x\r\n\r\n--x--",
                         headers={"Content-Type": "multipart/form-data", **auth}) as resp:
        assert resp.status == 400 and "boundary" in (await resp.json())["error"]

    assert await svc.store.get_conversation("webchat:tamu") is None


async def test_telegram_webhook_answers_4xx_for_malformed_updates(svc, http: aiohttp.ClientSession) -> None:
    url = f"{svc.url}/webhooks/telegram"
    secret = {"X-Telegram-Bot-Api-Secret-Token": TG_SECRET}
    surrogate = (b'{"update_id": 1, "message": {"message_id": 1, "date": 1, "chat": {"id": 5, "type": "private"},'
                 b' "from": {"id": 5, "is_bot": false, "first_name": "A"}, "text": "\\ud800"}}')
    for body in (surrogate, DEEP_OBJECT):
        status, text = await post(http, url, body, **secret)
        assert status == 400 and "malformed" in text
    status, _ = await post(http, url, DEEP, **secret)
    assert status in (400, 413)
    assert await svc.store.inbox_pending() == []


async def test_whatsapp_webhook_answers_4xx_for_malformed_deliveries(svc, http: aiohttp.ClientSession) -> None:
    url = f"{svc.url}/webhooks/whatsapp"
    body = json.dumps(delivery("text", text="X")).replace('"X"', '"\\ud800"').encode()
    for raw in (body, DEEP_OBJECT):
        status, text = await post(http, url, raw, **{"X-Hub-Signature-256": signature_of(WA_SECRET, raw)})
        assert status == 400 and "malformed" in text
    assert await svc.store.inbox_pending() == []


async def test_a_sender_ending_in_a_newline_is_not_a_second_identity(svc, http: aiohttp.ClientSession) -> None:
    assert valid_sender_id("6281234567890") and not valid_sender_id("6281234567890\n")
    assert not valid_sender_id("kadis\n") and not valid_sender_id("") and not valid_sender_id("a b")
    raw_body = delivery("text", sender="6281234567890\n", text="halo")
    raw = json.dumps(raw_body).encode()
    status, _ = await post(http, f"{svc.url}/webhooks/whatsapp", raw,
                           **{"X-Hub-Signature-256": signature_of(WA_SECRET, raw)})
    assert status == 200  # acknowledged to Meta, then refused: nothing is stored or sent for that sender
    await processed(svc, raw_body["entry"][0]["changes"][0]["value"]["messages"][0]["id"])
    assert await svc.store.get_identity("whatsapp:6281234567890\n") is None
    assert await svc.store.get_conversation("whatsapp:6281234567890\n") is None
    assert svc.graph.sent == []
