"""Fakes of the two SMS gateways on 127.0.0.1: SMS Gateway for Android's local server and Twilio.

    async with FakeAndroidGateway(username="sms", password="pw", signing_key="K") as phone:
        settings = make_settings(tmp_path, SMS_ANDROID_URL=phone.url, ...)
        await phone.receive(http, svc.url, "6281234567890", "jalan rusak")   # a resident's SMS, signed
        await phone.wait_for_sent(lambda s: s.to == "6281234567890")
        await phone.report(http, svc.url, sent.id, "delivered")              # a delivery report

Both check basic auth and record what the channel sent (refusing text that is not GSM-7 or is longer
than the segment limit, as a cost guard); both sign their webhooks the way the real ones do.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import aiohttp
from aiohttp import web

from bot.channels.sms import android_signature, basic_auth, twilio_signature
from bot.gsm7 import is_gsm7, segments
from tests.fakes.server import LoopbackServer


@dataclass
class SentSms:
    """One SMS the channel asked the gateway to send."""

    id: str
    to: str
    text: str

    @property
    def segments(self) -> int:
        return segments(self.text)


@dataclass
class _Recorder(LoopbackServer):
    max_segments: int = 2
    sent: list[SentSms] = field(default_factory=list)
    rejected: list[str] = field(default_factory=list)
    url: str = ""

    def __post_init__(self) -> None:
        self._ids = itertools.count(1)
        self._changed = asyncio.Condition()
        self._faults: list[int] = []

    def fail_next(self, count: int, status: int = 500) -> None:
        self._faults.extend([status] * count)

    def sent_to(self, to: str) -> list[SentSms]:
        return [s for s in self.sent if s.to == to]

    async def wait_for_sent(self, predicate: Callable[[SentSms], bool], timeout: float = 10.0,
                            count: int = 1) -> list[SentSms]:
        def matched() -> list[SentSms]:
            return [s for s in self.sent if predicate(s)]

        async with self._changed:
            await asyncio.wait_for(self._changed.wait_for(lambda: len(matched()) >= count), timeout)
        return matched()

    async def _record(self, to: str, text: str) -> tuple[int, str]:
        if self._faults:
            return self._faults.pop(0), ""
        if not is_gsm7(text) or segments(text) > self.max_segments:
            self.rejected.append(text)
            return 400, ""
        sms = SentSms(f"sms-{next(self._ids)}", to.lstrip("+"), text)
        async with self._changed:
            self.sent.append(sms)
            self._changed.notify_all()
        return 202, sms.id


@dataclass
class FakeAndroidGateway(_Recorder):
    """SMS Gateway for Android's local server: `POST /message` (basic auth) and its signed webhooks."""

    username: str = "sms"
    password: str = "gateway-password"
    signing_key: str = "gateway-signing-key"

    def build_app(self) -> web.Application:
        app = web.Application()
        app.router.add_post("/message", self._message)
        return app

    async def _message(self, request: web.Request) -> web.Response:
        if request.headers.get("Authorization") != basic_auth(self.username, self.password):
            return web.json_response({"message": "Unauthorized"}, status=401)
        body = await request.json()
        text = (body.get("textMessage") or {}).get("text") or body.get("message") or ""
        numbers = body.get("phoneNumbers") or []
        if not text or len(numbers) != 1:
            return web.json_response({"message": "bad request"}, status=400)
        status, sms_id = await self._record(str(numbers[0]), str(text))
        if status != 202:
            return web.json_response({"message": "failed"}, status=status)
        return web.json_response({"id": sms_id, "state": "Pending",
                                  "recipients": [{"phoneNumber": numbers[0], "state": "Pending"}]}, status=202)

    def signed(self, event: dict[str, Any], key: str | None = None,
               stamp: int | None = None) -> tuple[bytes, dict[str, str]]:
        raw = json.dumps(event).encode()
        timestamp = str(int(time.time()) if stamp is None else stamp)
        return raw, {"Content-Type": "application/json", "X-Timestamp": timestamp,
                     "X-Signature": android_signature(key or self.signing_key, raw, timestamp)}

    @staticmethod
    def received_event(sender: str, text: str, event_id: str | None = None) -> dict[str, Any]:
        return {"deviceId": "ffffffffceb0b1db0000018e937c815b", "event": "sms:received",
                "id": event_id or uuid.uuid4().hex[:21], "webhookId": "warga",
                "payload": {"messageId": uuid.uuid4().hex[:10], "message": text, "phoneNumber": "+" + sender,
                            "simNumber": 1, "receivedAt": "2026-12-01T12:00:00.000+07:00"}}

    async def receive(self, http: aiohttp.ClientSession, base: str, sender: str, text: str,
                      event_id: str | None = None) -> int:
        raw, headers = self.signed(self.received_event(sender, text, event_id))
        async with http.post(f"{base}/webhooks/sms", data=raw, headers=headers) as resp:
            return resp.status

    async def report(self, http: aiohttp.ClientSession, base: str, sms_id: str, state: str) -> int:
        event = {"deviceId": "ffffffffceb0b1db0000018e937c815b", "event": f"sms:{state}", "id": uuid.uuid4().hex[:21],
                 "webhookId": "warga", "payload": {"messageId": sms_id, "phoneNumber": "+6281", "simNumber": 1}}
        raw, headers = self.signed(event)
        async with http.post(f"{base}/webhooks/sms", data=raw, headers=headers) as resp:
            return resp.status


@dataclass
class FakeTwilio(_Recorder):
    """Twilio's Messages API (basic auth with account sid and token) and its signed form webhooks."""

    account_sid: str = "AC00000000000000000000000000000000"
    auth_token: str = "twilio-auth-token"

    def build_app(self) -> web.Application:
        app = web.Application()
        app.router.add_post("/2010-04-01/Accounts/{sid}/Messages.json", self._message)
        return app

    async def _message(self, request: web.Request) -> web.Response:
        expected = basic_auth(self.account_sid, self.auth_token)
        if request.match_info["sid"] != self.account_sid or request.headers.get("Authorization") != expected:
            return web.json_response({"code": 20003, "message": "Authenticate", "status": 401}, status=401)
        form = await request.post()
        to, body = str(form.get("To", "")), str(form.get("Body", ""))
        if not to or not body or not form.get("From"):
            return web.json_response({"code": 21604, "message": "A 'To' phone number is required.",
                                      "status": 400}, status=400)
        status, sms_id = await self._record(to, body)
        if status != 202:
            return web.json_response({"code": 30001, "message": "failed", "status": status}, status=status)
        return web.json_response({"sid": "SM" + sms_id.replace("-", ""), "status": "queued", "to": to}, status=201)

    async def post_form(self, http: aiohttp.ClientSession, base: str, form: dict[str, str],
                        token: str | None = None) -> int:
        url = f"{base}/webhooks/sms"
        headers = {"X-Twilio-Signature": twilio_signature(token or self.auth_token, url, form)}
        async with http.post(url, data=form, headers=headers) as resp:
            return resp.status

    async def receive(self, http: aiohttp.ClientSession, base: str, sender: str, text: str) -> int:
        form = {"MessageSid": "SM" + uuid.uuid4().hex, "AccountSid": self.account_sid, "From": "+" + sender,
                "To": "+15005550006", "Body": text, "NumSegments": "1"}
        return await self.post_form(http, base, form)
