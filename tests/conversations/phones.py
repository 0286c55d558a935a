"""Residents on other channels than the web, for the corpus: their messages go in through the channel's signed
webhook (as the platform delivers them) and the bot's messages are read from what the service sent to a fake of
the platform on loopback.

- SMS: a fake of SMS Gateway for Android (`tests/fakes/sms_gateways.py`), signed `sms:received` webhooks.
- Telegram: a fake Bot API (`tests/fakes/telegram_api.py`), updates POSTed with the webhook's secret token.
- WhatsApp: a fake Graph API (`tests/fakes/graph_api.py`), deliveries signed with the app secret.

The answer to a message is everything the service sends that person until its outbox is idle again; what
comes later (an officer's answer, a ticket filed on the resident's behalf) is what the person `receives`.
"""

from __future__ import annotations

import asyncio
import itertools
import json
from typing import Any

import aiohttp

from bot.channels.whatsapp import signature_of
from bot.converse import Difference
from tests.fakes.graph_api import FakeGraphApi
from tests.fakes.sms_gateways import FakeAndroidGateway
from tests.fakes.telegram_api import FakeTelegramApi

POLL = 0.05
TELEGRAM_SECRET = "corpus-webhook-secret"
WHATSAPP_SECRET = "corpus-app-secret"
_NUMBERS = itertools.count(1)


class Phone:
    """Someone writing to the service on a channel whose answers a fake platform records."""

    def __init__(self, name: str, url: str, wait: float) -> None:
        self.name = name
        self.url = url
        self.wait = wait
        self.cursor = 0  # messages already looked at

    def _sent(self) -> list[dict[str, Any]]:
        """Every message the service sent this person, oldest first (`text`, `buttons`)."""
        raise NotImplementedError

    async def _deliver(self, http: aiohttp.ClientSession, text: str) -> int:
        """Hand one message to the service as the platform would; the HTTP status of its webhook."""
        raise NotImplementedError

    async def _outbox_idle(self, http: aiohttp.ClientSession) -> bool:
        async with http.get(f"{self.url}/healthz") as resp:
            health = await resp.json()
        return not int((health.get("outbox") or {}).get("pending") or 0)

    async def say(self, text: str, location: dict[str, Any] | None = None) -> tuple[int, list[dict[str, Any]]]:
        before = len(self._sent())
        loop = asyncio.get_running_loop()
        deadline = loop.time() + self.wait
        async with aiohttp.ClientSession() as http:
            status = await self._deliver(http, text)
            if status != 200:
                return status, []
            while len(self._sent()) <= before:  # the answer goes out a moment after the webhook's 200
                if loop.time() > deadline:
                    raise Difference(f"{self.name} got no answer within {self.wait:g} s")
                await asyncio.sleep(POLL)
            count = -1
            while count != len(self._sent()) or not await self._outbox_idle(http):  # and every part of it
                count = len(self._sent())
                await asyncio.sleep(POLL * 4)
        sent = self._sent()
        self.cursor = len(sent)
        return status, sent[before:]

    async def upload(self, caption: str, data: bytes) -> tuple[int, list[dict[str, Any]]]:
        raise Difference(f"{self.name}: photos are sent on the web in this corpus")

    async def pushed(self) -> list[dict[str, Any]]:
        return [{"id": i, "from": "push", **item} for i, item in enumerate(self._sent(), 1) if i > self.cursor]

    def seen(self, item_id: int) -> None:
        self.cursor = max(self.cursor, item_id)


class SmsPhone(Phone):
    """A phone number writing by SMS through the regency's (fake) SMS gateway."""

    def __init__(self, name: str, number: str, gateway: FakeAndroidGateway, url: str, wait: float) -> None:
        super().__init__(name, url, wait)
        self.number = number  # 62812... as the gateway reports senders
        self.gateway = gateway

    def _sent(self) -> list[dict[str, Any]]:
        return [{"text": sms.text} for sms in list(self.gateway.sent) if sms.to == self.number]

    async def _deliver(self, http: aiohttp.ClientSession, text: str) -> int:
        return await self.gateway.receive(http, self.url, self.number, text)


class TelegramChat(Phone):
    """A private Telegram chat with the bot (a fake Bot API records what the bot sends)."""

    _updates = itertools.count(900_000_000)

    def __init__(self, name: str, user_id: int, api: FakeTelegramApi, url: str, wait: float) -> None:
        super().__init__(name, url, wait)
        self.user_id = user_id
        self.api = api

    def _sent(self) -> list[dict[str, Any]]:
        return [{"text": call.text, "buttons": [{"title": b.get("text", ""), "payload": b.get("callback_data", "")}
                                                 for b in call.buttons]}
                for call in list(self.api.calls)
                if call.status == 200 and call.method in ("sendMessage", "sendPhoto", "sendDocument")
                and call.chat_id == str(self.user_id)]

    async def _deliver(self, http: aiohttp.ClientSession, text: str) -> int:
        update_id = next(self._updates)
        person = {"id": self.user_id, "first_name": self.name.title()}
        update = {"update_id": update_id, "message": {
            "message_id": update_id, "from": {**person, "is_bot": False, "language_code": "id"},
            "chat": {**person, "type": "private"}, "date": 1795500000, "text": text}}
        async with http.post(f"{self.url}/webhooks/telegram", data=json.dumps(update).encode(),
                             headers={"Content-Type": "application/json",
                                      "X-Telegram-Bot-Api-Secret-Token": TELEGRAM_SECRET}) as resp:
            return resp.status


class WhatsAppChat(Phone):
    """A WhatsApp number writing to the regency's WhatsApp Business number (a fake Graph API records answers)."""

    def __init__(self, name: str, number: str, graph: FakeGraphApi, url: str, wait: float) -> None:
        super().__init__(name, url, wait)
        self.number = number
        self.graph = graph

    def _sent(self) -> list[dict[str, Any]]:
        return [{"text": sent.text, "buttons": [{"title": title, "payload": ident} for ident, title in sent.choices]}
                for sent in list(self.graph.sent) if sent.to == self.number]

    async def _deliver(self, http: aiohttp.ClientSession, text: str) -> int:
        message = {"from": self.number, "id": f"wamid.CORPUS{next(_NUMBERS)}", "timestamp": "1795500000",
                   "type": "text", "text": {"body": text}}
        value = {"messaging_product": "whatsapp",
                 "metadata": {"display_phone_number": "6281130001234", "phone_number_id": self.graph.phone_number_id},
                 "contacts": [{"profile": {"name": self.name.title()}, "wa_id": self.number}], "messages": [message]}
        raw = json.dumps({"object": "whatsapp_business_account",
                          "entry": [{"id": "1", "changes": [{"value": value, "field": "messages"}]}]}).encode()
        async with http.post(f"{self.url}/webhooks/whatsapp", data=raw,
                             headers={"Content-Type": "application/json",
                                      "X-Hub-Signature-256": signature_of(WHATSAPP_SECRET, raw)}) as resp:
            return resp.status


def phones(gateway: FakeAndroidGateway, api: FakeTelegramApi, graph: FakeGraphApi, url: str,
           wait: float = 10.0) -> dict[str, Any]:
    """The corpus runner's factories for people on `channel: sms`, `telegram` and `whatsapp`. Each SMS or WhatsApp
    person gets a number of their own, also given to the conversation as `{phone_NAME}` in the local form
    residents type (08...)."""

    async def sms(name: str, spec: dict[str, Any], variables: dict[str, str]) -> SmsPhone:
        number = str(spec.get("phone") or f"62857{next(_NUMBERS):07d}")
        variables[f"phone_{name}"] = "0" + number[2:]
        return SmsPhone(name, number, gateway, url, wait)

    async def telegram(name: str, spec: dict[str, Any], variables: dict[str, str]) -> TelegramChat:
        return TelegramChat(name, 7_000_000 + next(_NUMBERS), api, url, wait)

    async def whatsapp(name: str, spec: dict[str, Any], variables: dict[str, str]) -> WhatsAppChat:
        number = str(spec.get("phone") or f"62858{next(_NUMBERS):07d}")
        variables[f"phone_{name}"] = "0" + number[2:]
        return WhatsAppChat(name, number, graph, url, wait)

    return {"sms": sms, "telegram": telegram, "whatsapp": whatsapp}
