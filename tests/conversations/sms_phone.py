"""A resident's phone on the SMS channel, for the corpus: SMS go in through the fake gateway's signed webhook
(as SMS Gateway for Android delivers them) and the bot's SMS are read from what the service sent to the fake.

The answer to an SMS is every SMS the service sends that number until its outbox is idle again; SMS that come
later (an officer's answer, a ticket filed on the resident's behalf) are what the phone `receives`.
"""

from __future__ import annotations

import asyncio
import itertools
from typing import Any

import aiohttp

from bot.converse import Difference
from tests.fakes.sms_gateways import FakeAndroidGateway

POLL = 0.05
_NUMBERS = itertools.count(1)


class SmsPhone:
    """One phone number writing to the service by SMS."""

    def __init__(self, name: str, number: str, gateway: FakeAndroidGateway, url: str, wait: float) -> None:
        self.name = name
        self.number = number  # 62812... as the gateway reports senders
        self.gateway = gateway
        self.url = url
        self.wait = wait
        self.cursor = 0  # SMS of this number already looked at

    def _sent(self) -> list[str]:
        return [sms.text for sms in list(self.gateway.sent) if sms.to == self.number]

    async def _outbox_idle(self, http: aiohttp.ClientSession) -> bool:
        async with http.get(f"{self.url}/healthz") as resp:
            health = await resp.json()
        return not int((health.get("outbox") or {}).get("pending") or 0)

    async def say(self, text: str, location: dict[str, Any] | None = None) -> tuple[int, list[dict[str, Any]]]:
        before = len(self._sent())
        loop = asyncio.get_running_loop()
        deadline = loop.time() + self.wait
        async with aiohttp.ClientSession() as http:
            status = await self.gateway.receive(http, self.url, self.number, text)
            if status != 200:
                return status, []
            while len(self._sent()) <= before:  # the answer goes out through the outbox, a moment later
                if loop.time() > deadline:
                    raise Difference(f"{self.name} got no SMS back within {self.wait:g} s")
                await asyncio.sleep(POLL)
            count = -1
            while count != len(self._sent()) or not await self._outbox_idle(http):  # and every part of it
                count = len(self._sent())
                await asyncio.sleep(POLL * 4)
        sent = self._sent()
        self.cursor = len(sent)
        return status, [{"text": text} for text in sent[before:]]

    async def upload(self, caption: str, data: bytes) -> tuple[int, list[dict[str, Any]]]:
        raise Difference("a photo cannot be sent by SMS")

    async def pushed(self) -> list[dict[str, Any]]:
        return [{"id": i, "from": "push", "text": text}
                for i, text in enumerate(self._sent(), 1) if i > self.cursor]

    def seen(self, item_id: int) -> None:
        self.cursor = max(self.cursor, item_id)


def sms_phones(gateway: FakeAndroidGateway, url: str, wait: float = 10.0) -> Any:
    """The corpus runner's factory for people on `channel: sms`: each gets a number of their own, also
    given to the conversation as `{phone_NAME}` in the local form residents type (08...)."""

    async def make(name: str, spec: dict[str, Any], variables: dict[str, str]) -> SmsPhone:
        number = str(spec.get("phone") or f"62857{next(_NUMBERS):07d}")
        variables[f"phone_{name}"] = "0" + number[2:]
        return SmsPhone(name, number, gateway, url, wait)

    return make
