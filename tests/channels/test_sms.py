"""The SMS channel against fakes of SMS Gateway for Android and Twilio on 127.0.0.1.

The real service runs (tests/harness.py); SMS_ANDROID_URL / SMS_TWILIO_URL point at the fakes, which
sign their webhooks the way the real gateways do and refuse text a real phone would bill as UCS-2 or
as more than two segments.
"""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from pathlib import Path

import aiohttp
import pytest

from bot.__main__ import issue_code
from bot.channels.sms import delivery_report, normalise_number, segments_of_ticket
from bot.gsm7 import fit, is_gsm7, segments, septets, to_gsm7
from bot.texts import Texts
from tests.fakes.sms_gateways import FakeAndroidGateway, FakeTwilio, SentSms
from tests.harness import Service, mailbox, make_settings, running_service, say, unmarked, wait_for

RESIDENT = "6281234567001"
TICKET = re.compile(r"WRG-\d{4}-\d{4}")
CONTENT = Path(__file__).resolve().parents[2] / "content" / "texts"


@pytest.fixture
async def phone() -> AsyncIterator[FakeAndroidGateway]:
    async with FakeAndroidGateway() as fake:
        yield fake


@pytest.fixture
async def svc(tmp_path: Path, nlu_model_path: Path, phone: FakeAndroidGateway) -> AsyncIterator[Service]:
    settings = make_settings(tmp_path, SMS_ANDROID_URL=phone.url, SMS_ANDROID_USERNAME=phone.username,
                             SMS_ANDROID_PASSWORD=phone.password, SMS_ANDROID_SIGNING_KEY=phone.signing_key)
    async with running_service(settings) as service:
        yield service


async def sms(http: aiohttp.ClientSession, svc: Service, phone: FakeAndroidGateway, text: str,
              sender: str = RESIDENT) -> str:
    """Send one SMS to the service and wait for its answer; returns the SMS texts it sent back."""
    before = len(phone.sent_to(sender))
    assert await phone.receive(http, svc.url, sender, text) == 200
    await phone.wait_for_sent(lambda s: s.to == sender, count=before + 1)
    await svc.runtime.channels["sms"].inbox.idle()  # type: ignore[attr-defined]
    return "\n".join(s.text for s in phone.sent_to(sender)[before:])


def number_of(text: str, title: str) -> str:
    """The digit the last 'Balas ...' line offers for a choice whose title contains `title`."""
    line = [ln for ln in text.splitlines() if ln.startswith("Balas ")][-1]
    match = re.search(r"(\d+) untuk ([^,]*?" + re.escape(title) + r")", line, re.IGNORECASE)
    assert match, line
    return match.group(1)


async def file_by_sms(http: aiohttp.ClientSession, svc: Service, phone: FakeAndroidGateway,
                      sender: str = RESIDENT) -> tuple[str, list[str]]:
    transcript: list[str] = []
    answer = await sms(http, svc, phone, "jalan di desa Sooko rusak parah banyak lubang", sender)
    transcript.append(answer)
    for _ in range(8):
        match = TICKET.search(answer)
        if match:
            return match.group(0), transcript
        low = answer.lower()
        if "balas" not in low:
            answer = await sms(http, svc, phone, "dekat balai desa Sooko", sender)
        else:
            line = [ln for ln in answer.splitlines() if ln.startswith("Balas ")][-1].lower()
            for title in ("ya", "kirim", "lewati", "lanjut", "publik", "tanpa"):
                if re.search(r"\d+ untuk [^,]*\b" + title, line):
                    answer = await sms(http, svc, phone, number_of(answer, title), sender)
                    break
            else:
                answer = await sms(http, svc, phone, "1", sender)
        transcript.append(answer)
    raise AssertionError("no ticket number after the conversation:\n" + "\n---\n".join(transcript))


# --- the segment counter ----------------------------------------------------------------------------
def test_gsm7_counts_septets_and_segments():
    assert segments("a" * 160) == 1 and segments("a" * 161) == 2 and segments("a" * 306) == 2
    assert segments("a" * 307) == 3
    assert septets("[x]") == 5  # the extension table takes two septets each
    assert segments("é" * 70) == 1 and segments("ŝ" * 71) == 2  # not GSM-7: UCS-2 at 70/67
    assert to_gsm7("“Jalan” rusak — *parah* 😡 …") == '"Jalan" rusak - parah ...'
    assert is_gsm7(to_gsm7("Ŝelamat pagi ✅ ‘tes’"))
    assert to_gsm7("2 untuk ℹ️ Tanya informasi, Ⓜ️ ﬁle") == "2 untuk Tanya informasi, file"
    pieces = fit("kata " * 200)
    assert len(pieces) == 4 and all(segments(p) <= 2 for p in pieces)
    assert normalise_number("0812-3456-7001") == "6281234567001" and normalise_number("+62 812") == ""


def test_every_text_fits_in_two_sms_segments():
    """Each text as the SMS channel would send it (its `_sms` variant when there is one) fits in two segments."""
    texts = Texts.load(CONTENT)
    fields = {"regency": "Mojokerto", "regent": "Bupati Mojokerto", "number": "WRG-2026-0001",
              "ticket": "WRG-2026-0001", "opd": "Dinas Pekerjaan Umum dan Penataan Ruang", "example": "WRG-2026-0001"}
    too_long = []
    for key in texts.keys():
        if key.endswith("_sms"):
            continue
        use = f"{key}_sms" if texts.has(f"{key}_sms") else key
        for lang in ("id", "en"):
            rendered = to_gsm7(texts.get(use, lang, "sms", **fields))  # the SMS variant, if the text has them
            assert is_gsm7(rendered)
            if segments(rendered) > 2:
                too_long.append((use, lang, segments(rendered)))
            if key.startswith("sms_") or texts.has(f"{key}_sms"):
                assert "http" not in rendered, use
    assert not too_long


# --- the channel over HTTP --------------------------------------------------------------------------
async def test_a_whole_complaint_by_sms_with_numbered_choices(svc, http, phone):
    number, transcript = await file_by_sms(http, svc, phone)
    assert any("Balas 1 untuk" in t for t in transcript), transcript
    ticket = await svc.store.get_ticket(number)
    assert ticket is not None and ticket.reporter == f"sms:{RESIDENT}" and ticket.opd_id == "dinas-pupr"
    assert phone.sent and not phone.rejected
    assert all(s.segments <= 2 and is_gsm7(s.text) and "http" not in s.text for s in phone.sent)
    assert not any("*" in s.text for s in phone.sent)  # no bold on SMS: the texts' *marks* are dropped
    assert any(number in s.text for s in phone.sent)
    status = await sms(http, svc, phone, number)
    assert number in status
    async with http.get(f"{svc.url}/healthz") as resp:
        health = await resp.json()
    counted = health["outbox"]["sms"]
    assert counted["segments"] == sum(s.segments for s in phone.sent)
    assert counted["per_opd"].get("dinas-pupr", 0) >= 1
    told = [s for s in phone.sent_to(RESIDENT) if number in s.text]
    assert await segments_of_ticket(svc.store, number) >= sum(s.segments for s in told) >= 1


async def test_officer_reply_reaches_the_resident_by_sms_and_the_answer_comes_back(svc, http, phone):
    code = await issue_code(svc.settings, "officer", "dinas-pupr")
    assert "terdaftar" in " ".join(r["text"] for r in await say(http, svc.url, "petugas-pupr", f"/daftar {code}"))
    number, _ = await file_by_sms(http, svc, phone)
    replies = await say(http, svc.url, "petugas-pupr", f"/balas {number} Tim kami meninjau lokasi besok pagi")
    assert "dikirim" in " ".join(r["text"] for r in replies)
    relayed = (await phone.wait_for_sent(lambda s: s.to == RESIDENT and "meninjau lokasi" in s.text))[0]
    assert number in relayed.text and relayed.segments <= 2
    # How to answer is said once: the numbered choice, not also "cukup balas pesan ini" (the chat channels' words).
    assert "cukup balas" not in relayed.text and "Balas 1" in relayed.text, relayed.text
    await sms(http, svc, phone, "baik pak, lubangnya ada tiga")

    async def officer_got_it() -> bool:
        return any("lubangnya ada tiga" in i["text"] for i in await mailbox(svc.store, "webchat:petugas-pupr"))
    await wait_for(officer_got_it)
    # The delivery report of the relayed SMS is recorded under the gateway's id.
    assert await phone.report(http, svc.url, relayed.id, "delivered") == 200
    report = await delivery_report(svc.store, relayed.id)
    assert report is not None and report["status"] == "delivered" and report["ticket"] == number


async def test_forged_or_replayed_webhooks_are_refused(svc, http, phone):
    event = phone.received_event(RESIDENT, "halo")
    for raw, headers in (phone.signed(event, key="not-the-key"),
                         phone.signed(event, stamp=1_600_000_000)):  # a signature from long ago: a replay
        async with http.post(f"{svc.url}/webhooks/sms", data=raw, headers=headers) as resp:
            assert resp.status == 403
    raw, headers = phone.signed(event)
    async with http.post(f"{svc.url}/webhooks/sms", data=raw + b" ", headers=headers) as resp:
        assert resp.status == 403  # the body changed after signing
    async with http.post(f"{svc.url}/webhooks/sms", data=raw, headers={"Content-Type": "application/json"}) as resp:
        assert resp.status == 403  # no signature at all
    raw, headers = phone.signed({"event": "sms:received", "payload": "nope"})
    async with http.post(f"{svc.url}/webhooks/sms", data=raw, headers=headers) as resp:
        assert resp.status == 400
    assert not await svc.store.inbox_pending(limit=10) and not phone.sent


async def test_a_repeated_webhook_is_handled_once(svc, http, phone):
    for _ in range(3):
        assert await phone.receive(http, svc.url, RESIDENT, "halo", event_id="same-event-id") == 200
    await phone.wait_for_sent(lambda s: s.to == RESIDENT)
    await svc.runtime.channels["sms"].inbox.idle()  # type: ignore[attr-defined]
    first = [s for s in phone.sent_to(RESIDENT)]
    assert first and len({s.text for s in first}) == len(first)  # one answer, not three


async def test_twilio_adapter_sends_and_verifies(tmp_path, nlu_model_path, http):
    async with FakeTwilio() as twilio:
        settings = make_settings(tmp_path, SMS_PROVIDER="twilio", SMS_TWILIO_URL=twilio.url,
                                 TWILIO_ACCOUNT_SID=twilio.account_sid, TWILIO_AUTH_TOKEN=twilio.auth_token,
                                 TWILIO_FROM_NUMBER="+15005550006")
        async with running_service(settings) as svc:
            assert await twilio.receive(http, svc.url, RESIDENT, "halo") == 200
            sent: list[SentSms] = await twilio.wait_for_sent(lambda s: s.to == RESIDENT)
            assert "Balas 1 untuk" in sent[0].text and sent[0].segments <= 2
            # A symbol drawn from a letter ("ℹ️") is dropped like other emoji, never sent as the letter.
            assert not re.search(r"untuk i ", sent[0].text) and "untuk Tanya" in sent[0].text, sent[0].text
            forged = {"MessageSid": "SMforged", "From": "+" + RESIDENT, "Body": "halo"}
            assert await twilio.post_form(http, svc.url, forged, token="wrong-token") == 403
            status = {"MessageSid": "SMabc", "MessageStatus": "delivered"}
            assert await twilio.post_form(http, svc.url, status) == 200
            assert (await delivery_report(svc.store, "SMabc") or {}).get("status") == "delivered"


# --- filing on a resident's behalf ------------------------------------------------------------------
async def test_a_village_official_files_for_a_resident_who_follows_it_by_sms(svc, http, phone):
    official, resident = "perangkat-sooko", "6285700001111"
    code = await issue_code(svc.settings, "pendamping", None)
    assert "terdaftar" in " ".join(r["text"] for r in await say(http, svc.url, official, f"/daftar {code}"))
    officer_code = await issue_code(svc.settings, "officer", "dinas-pupr")
    await say(http, svc.url, "petugas-pupr", f"/daftar {officer_code}")
    # A resident cannot use the official's command.
    assert "/wakili" in " ".join(r["text"] for r in await say(http, svc.url, "warga-lain", "/wakili 0857 Bu Sri"))

    replies = await say(http, svc.url, official, "/wakili 0857-0000-1111 Bu Sri")
    assert "setuju" in replies[-1]["text"] and "/wakili_setuju" in [b["payload"] for b in replies[-1]["buttons"]]
    await say(http, svc.url, official, "/wakili_setuju")
    replies = await say(http, svc.url, official, "jalan di desa Sooko rusak parah banyak lubang")
    for _ in range(8):
        number = next((m.group(0) for r in replies if (m := TICKET.search(r["text"]))), None)
        if number:
            break
        payloads = [unmarked(b["payload"]) for r in replies for b in r.get("buttons", [])]
        choices = ("btn:yes", "btn:skip", "btn:next", "privacy:publik", "btn:send")
        pick = next((p for p in choices if p in payloads), None)
        replies = await say(http, svc.url, official, pick or "dekat balai desa Sooko")
    assert number, replies
    ticket = await svc.store.get_ticket(number)
    assert ticket is not None and ticket.reporter == f"sms:{resident}"
    assert ticket.extra["on_behalf"]["by"] == f"webchat:{official}" and ticket.extra["on_behalf"]["name"] == "Bu Sri"
    # The resident gets the ticket number by SMS.
    told = await phone.wait_for_sent(lambda s: s.to == resident and number in s.text)
    assert all(s.segments <= 2 for s in told)
    # The officer's card says it was filed on the resident's behalf, and by whom.
    async def card() -> str:
        return " ".join(i["text"] for i in await mailbox(svc.store, "webchat:petugas-pupr"))
    assert "atas nama warga" in await wait_for(card) and "dicatat oleh Pendamping warga" in await card()  # by role
    # An update reaches the resident by SMS; the resident's SMS answer reaches the officer; status by SMS.
    await say(http, svc.url, "petugas-pupr", f"/balas {number} Besok kami perbaiki")
    await phone.wait_for_sent(lambda s: s.to == resident and "Besok kami perbaiki" in s.text)
    await sms(http, svc, phone, "lubangnya ada tiga dekat masjid", sender=resident)
    async def answered() -> bool:
        return "tiga dekat masjid" in await card()
    assert await wait_for(answered)
    assert number in await sms(http, svc, phone, number, sender=resident)
    # The official sees what they filed and its status.
    listed = " ".join(r["text"] for r in await say(http, svc.url, official, "/wakilan"))
    assert number in listed
