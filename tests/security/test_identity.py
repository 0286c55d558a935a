"""Problem 2: nobody can act as someone else on the web chat; staff on the web only through a staff sign-in."""

from __future__ import annotations

import asyncio
import logging
import re
from pathlib import Path

import aiohttp
import pytest

from bot.__main__ import issue_code
from bot.message import Reply
from bot.store.base import Changes, Identity
from tests.fakes.telegram_api import FakeTelegramApi
from tests.harness import make_settings, running_service, say, texts, wait_for
from tests.security.conftest import post_message, start_session, visitor

OFFICER_TG = "700700"


@pytest.fixture
async def svc(tmp_path: Path, nlu_model_path: Path):
    async with running_service(make_settings(tmp_path)) as service:
        yield service


async def read_stream(client: aiohttp.ClientSession, url: str, until: str, seconds: float = 5.0) -> str:
    """The text a stream sends until `until` appears (or `seconds` pass)."""
    seen = ""
    async with client.get(f"{url}/webhooks/rest/stream?sender=kadis&after=0") as resp:
        assert resp.status == 200
        try:
            async with asyncio.timeout(seconds):
                async for line in resp.content:
                    seen += line.decode()
                    if until in seen:
                        break
        except TimeoutError:
            pass
    return seen


async def test_a_forged_web_sender_can_neither_act_nor_read(svc, http: aiohttp.ClientSession, browser) -> None:
    code = await issue_code(svc.settings, "officer", "dinas-pupr")
    assert "terdaftar" in texts(await say(http, svc.url, "kadis", f"/daftar {code}"))
    webchat = svc.runtime.channels["webchat"]
    await webchat.send("kadis", [Reply("RAHASIA untuk kadis: pelapor Budi")])

    # The attacker names the officer as sender: the server ignores it and answers its own session.
    status, replies = await post_message(browser, svc.url, "/antrian", sender="kadis")
    assert status == 200
    assert replies and all(r["recipient_id"] != "kadis" for r in replies)
    assert "hanya untuk petugas" in texts(replies)
    attacker = replies[0]["recipient_id"]
    assert re.fullmatch(r"w[0-9a-f]{32}", attacker)

    # The stream ignores ?sender=: the attacker sees only what was sent to its own session.
    await webchat.send(attacker, [Reply("untuk penyerang sendiri")])
    seen = await read_stream(browser, svc.url, until="untuk penyerang sendiri")
    assert "untuk penyerang sendiri" in seen and "RAHASIA" not in seen

    # Without any session there is no stream at all.
    async with aiohttp.ClientSession() as anonymous:
        async with anonymous.get(f"{svc.url}/webhooks/rest/stream?sender=kadis&after=0") as resp:
            assert resp.status == 401 and "muat ulang" in (await resp.json())["error"].lower()
        # A made-up or tampered token is no session either.
        token = svc.runtime.sessions.issue("kadis", staff=True).token
        forged = token.replace("~s~", "~r~")
        for bad in (forged, "kadis~s~9999999999~" + "0" * 40):
            async with anonymous.get(f"{svc.url}/webhooks/rest/stream",
                                     headers={"Authorization": f"Bearer {bad}"}) as resp:
                assert resp.status == 401


async def test_staff_command_from_an_unauthenticated_web_session_is_refused(svc, browser, caplog) -> None:
    # A visitor enrols on the web with the operator's code: the answer makes the session a staff session.
    async with browser.get(f"{svc.url}/webhooks/rest/session") as resp:
        resident = (await resp.json())["sender"]
        resident_token = resp.cookies["warga_session"].value
    code = await issue_code(svc.settings, "officer", "dinas-pupr")
    status, replies = await post_message(browser, svc.url, f"/daftar {code}")
    assert status == 200 and "terdaftar" in texts(replies)
    status, replies = await post_message(browser, svc.url, "/antrian")
    assert status == 200 and "hanya untuk petugas" not in texts(replies)

    # The same identity through a session that is not signed in as staff is refused politely.
    caplog.set_level(logging.WARNING, logger="bot.channels.webchat")
    async with aiohttp.ClientSession() as other:
        async with other.post(f"{svc.url}/webhooks/rest/webhook", json={"message": "/antrian"},
                              headers={"Authorization": f"Bearer {resident_token}"}) as resp:
            assert resp.status == 403
            refused = await resp.json()
    assert refused[0]["recipient_id"] == resident and "masuk sebagai petugas" in refused[0]["text"]
    assert "staff identity used without a staff session" in caplog.text


@pytest.fixture
async def telegram() -> FakeTelegramApi:
    async with FakeTelegramApi() as api:
        yield api


async def test_staff_sign_in_with_a_code_sent_to_the_enrolled_telegram(tmp_path: Path, nlu_model_path: Path,
                                                                       telegram: FakeTelegramApi, caplog) -> None:
    settings = make_settings(tmp_path, TELEGRAM_BOT_TOKEN="123:ABC", TELEGRAM_API_BASE_URL=telegram.api_base,
                             TELEGRAM_FILE_BASE_URL=telegram.file_base, TELEGRAM_MODE="webhook",
                             TELEGRAM_WEBHOOK_SECRET="s" * 20, WARGA_PUBLIC_URL="http://127.0.0.1:1")
    caplog.set_level(logging.INFO, logger="bot.web.staff_auth")
    async with running_service(settings) as svc, visitor() as browser:
        await svc.store.commit(Changes(identities=[Identity(
            key=f"telegram:{OFFICER_TG}", channel="telegram", sender_id=OFFICER_TG, role="officer",
            opd_id="dinas-pupr")]))
        # Before sign-in the web session is a resident.
        _, replies = await post_message(browser, svc.url, "/antrian")
        assert "hanya untuk petugas" in texts(replies)

        # Unknown identities get the same answer and no code.
        async with browser.post(f"{svc.url}/staff/masuk/kode", json={"identity": "telegram:123123"}) as resp:
            assert resp.status == 202
            same_answer = (await resp.json())["message"]
        async with browser.post(f"{svc.url}/staff/masuk/kode", json={"identity": f"telegram:{OFFICER_TG}"}) as resp:
            assert resp.status == 202 and (await resp.json())["message"] == same_answer

        async def code_sent() -> str:
            for call in telegram.sent("sendMessage", chat_id=OFFICER_TG):
                found = re.search(r"kode masuk Warga Anda: ([A-Z2-9]{8})", call.text, re.IGNORECASE)
                if found:
                    return found.group(1)
            return ""

        code = await wait_for(code_sent, timeout=10)
        assert len(telegram.sent("sendMessage")) == 1  # only to the enrolled officer

        # A wrong code is refused and logged; the right one signs in once.
        async with browser.post(f"{svc.url}/staff/masuk", json={"code": "AAAAAAAA"}) as resp:
            assert resp.status == 403
        async with browser.post(f"{svc.url}/staff/masuk", json={"code": code.lower()}) as resp:
            assert resp.status == 200
            signed = await resp.json()
        assert signed["role"] == "officer" and signed["opd"] == "dinas-pupr"
        _, replies = await post_message(browser, svc.url, "/antrian")
        assert "hanya untuk petugas" not in texts(replies)
        async with browser.post(f"{svc.url}/staff/masuk", json={"code": code}) as resp:
            assert resp.status == 403  # single use
        # Signing out gives a new resident session: staff commands are refused again.
        async with browser.post(f"{svc.url}/staff/keluar") as resp:
            assert resp.status == 200
        _, replies = await post_message(browser, svc.url, "/antrian")
        assert "hanya untuk petugas" in texts(replies)
    assert "wrong or expired code" in caplog.text and "signed in on the web as officer" in caplog.text


async def test_sign_in_codes_are_limited_in_attempts(tmp_path: Path, nlu_model_path: Path,
                                                     telegram: FakeTelegramApi) -> None:
    settings = make_settings(tmp_path, TELEGRAM_BOT_TOKEN="123:ABC", TELEGRAM_API_BASE_URL=telegram.api_base,
                             TELEGRAM_FILE_BASE_URL=telegram.file_base, TELEGRAM_MODE="webhook",
                             TELEGRAM_WEBHOOK_SECRET="s" * 20, WARGA_PUBLIC_URL="http://127.0.0.1:1",
                             WARGA_ENROL_ATTEMPTS_PER_IP="50")
    async with running_service(settings) as svc, visitor() as browser:
        await svc.store.commit(Changes(identities=[Identity(
            key=f"telegram:{OFFICER_TG}", channel="telegram", sender_id=OFFICER_TG, role="operator")]))
        async with browser.post(f"{svc.url}/staff/masuk/kode", json={"identity": f"telegram:{OFFICER_TG}"}) as resp:
            assert resp.status == 202
        await wait_for(lambda: telegram.sent("sendMessage", chat_id=OFFICER_TG), timeout=10)
        code = re.search(r"([A-Z2-9]{8})", telegram.sent("sendMessage", chat_id=OFFICER_TG)[0].text).group(1)
        for _ in range(5):  # five wrong guesses use the code up
            async with browser.post(f"{svc.url}/staff/masuk", json={"code": "BBBBBBBB"}) as resp:
                assert resp.status == 403
        async with browser.post(f"{svc.url}/staff/masuk", json={"code": code}) as resp:
            assert resp.status == 403  # even the right code is no good any more


async def test_a_signed_out_staff_session_stays_ended_when_the_lifetime_is_set_shorter(tmp_path: Path) -> None:
    """Sign-out ends every staff session issued before it, by the time written in the token: a restart with a
    shorter WARGA_STAFF_SESSION_HOURS does not bring an ended session back (it did while the issue time was
    worked out from the expiry and the lifetime set now). A token of an earlier release (no issue time) still
    verifies, and a resident's is never ended by a staff sign-out."""
    from bot.settings import WebSettings
    from bot.store.sqlite import SqliteStore
    from bot.web.session import _SEP, SessionSigner

    now = [1_800_000_000.0]
    store = SqliteStore(tmp_path / "warga.sqlite3")
    await store.open()
    try:
        signer = SessionSigner(WebSettings(session_secret="s" * 40, staff_session_hours=12), clock=lambda: now[0])
        await signer.load_secret(store)
        session = signer.issue("w-staff", staff=True)
        resident = signer.issue("w-resident")
        now[0] += 3600
        await signer.revoke_staff(store, "w-staff")
        assert not await signer.still_staff(store, signer.verify(session.token))
        shorter = SessionSigner(WebSettings(session_secret="s" * 40, staff_session_hours=8), clock=lambda: now[0])
        await shorter.load_secret(store)
        again = shorter.verify(session.token)
        assert again is not None and again.issued == int(now[0]) - 3600
        assert await shorter.signed_out(store, again) and not await shorter.still_staff(store, again)
        assert not await shorter.signed_out(store, shorter.verify(resident.token))
        now[0] += 1
        assert await shorter.still_staff(store, shorter.verify(shorter.issue("w-staff", staff=True).token))
        body = _SEP.join(("w-old", "r", str(int(now[0]) + 60)))
        legacy = shorter.verify(f"{body}{_SEP}{shorter._sign(body)}")
        assert legacy is not None and legacy.sender == "w-old" and legacy.issued is None
        forged = session.token.replace(f"{_SEP}{session.issued}{_SEP}", f"{_SEP}{int(now[0])}{_SEP}")
        assert shorter.verify(forged) is None
    finally:
        await store.close()


async def enrol_again(browser: aiohttp.ClientSession, svc) -> tuple[int, object]:
    """The web chat's /daftar with a new officer code from the operator."""
    return await post_message(browser, svc.url, f"/daftar {await issue_code(svc.settings, 'officer', 'dinas-pupr')}")


async def test_staff_enrolled_on_the_web_chat_sign_in_again_there_as_themselves(svc) -> None:
    """A regency without Telegram or WhatsApp: an officer enrolled with /daftar in the web chat signs out (or their
    session runs out) and signs in again in the same browser with a new code from the operator. They stay the
    same identity (name, OPD, assignments); a wrong code changes nothing; nothing staff works in between."""
    async with visitor() as browser:
        sender = await start_session(browser, svc.url)
        status, replies = await enrol_again(browser, svc)
        assert status == 200 and "terdaftar" in texts(replies), replies
        await post_message(browser, svc.url, "/nama Rina Wati")
        async with browser.post(f"{svc.url}/staff/keluar") as resp:
            assert resp.status == 200
        status, replies = await post_message(browser, svc.url, "/antrian")
        assert status == 403 and "minta kode pendaftaran baru" in texts(replies).lower(), replies
        await asyncio.sleep(1.1)  # sign-out ends the sessions issued up to its second
        status, replies = await post_message(browser, svc.url, "/daftar ZZZZZZZZ")
        assert status == 200 and "terdaftar" not in texts(replies), replies
        status, replies = await post_message(browser, svc.url, "/antrian")
        assert status == 403, replies  # a wrong code made nothing staff
        status, replies = await enrol_again(browser, svc)
        assert status == 200 and "terdaftar" in texts(replies), replies
        status, replies = await post_message(browser, svc.url, "/antrian")
        assert status == 200 and "hanya untuk petugas" not in texts(replies), replies
        assert await start_session(browser, svc.url) == sender
    officers = await svc.store.list_identities("officer", "dinas-pupr")
    assert [(i.key, i.name) for i in officers] == [(f"webchat:{sender}", "Rina Wati")]

    # The staff session runs out (12 hours): its cookie stays, and the same browser signs in again as before.
    sessions = svc.runtime.sessions
    clock = sessions.clock
    sessions.clock = lambda: clock() - 13 * 3600
    try:
        stale = sessions.issue(sender, staff=True)
    finally:
        sessions.clock = clock
    async with aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True)) as browser:
        browser.cookie_jar.update_cookies({"warga_session": stale.token})
        status, replies = await post_message(browser, svc.url, "/antrian")
        assert status == 403 and "minta kode pendaftaran baru" in texts(replies).lower(), replies
        status, replies = await enrol_again(browser, svc)
        assert status == 200 and "terdaftar" in texts(replies), replies
        status, replies = await post_message(browser, svc.url, "/antrian")
        assert status == 200 and "hanya untuk petugas" not in texts(replies), replies
        assert await start_session(browser, svc.url) == sender
    assert len(await svc.store.list_identities("officer", "dinas-pupr")) == 1
