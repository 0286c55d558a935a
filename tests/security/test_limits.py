"""Problem 3: limits answer politely, and no client can wear the service down (streams, rates, bodies, slow clients)."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator
from pathlib import Path

import aiohttp
import pytest

from bot.__main__ import issue_code
from bot.app import create_app
from bot.settings import Settings
from bot.web.limits import start_site
from tests.harness import make_settings, running_service, say, texts, web_headers
from tests.security.conftest import post_message, start_session, visitor

OPERATOR = "operator-token-0123456789"


@contextlib.asynccontextmanager
async def guarded_service(settings: Settings) -> AsyncIterator[str]:
    """The service behind the same runner as `python -m bot run` (connection cap, timeouts)."""
    app = create_app(settings)
    runner, port = await start_site(app, settings.web, "127.0.0.1", 0, access_log=None, shutdown_timeout=1)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        await runner.cleanup()


async def test_more_streams_than_the_limit_are_refused_politely_and_the_server_stays_responsive(
        tmp_path: Path, nlu_model_path: Path) -> None:
    settings = make_settings(tmp_path, WARGA_STREAMS_PER_SESSION="2", WARGA_STREAMS_TOTAL="4",
                             WARGA_OPERATOR_TOKEN=OPERATOR)
    async with running_service(settings) as svc, contextlib.AsyncExitStack() as stack:
        first = await stack.enter_async_context(visitor())
        await start_session(first, svc.url)
        opened = [await stack.enter_async_context(first.get(f"{svc.url}/webhooks/rest/stream")) for _ in range(2)]
        assert all(r.status == 200 for r in opened)
        async with first.get(f"{svc.url}/webhooks/rest/stream") as resp:  # a third for the same session
            assert resp.status == 429 and "terlalu banyak jendela" in (await resp.json())["error"].lower()
            assert resp.headers["Retry-After"]
        for _ in range(2):  # other visitors fill the total
            other = await stack.enter_async_context(visitor())
            await start_session(other, svc.url)
            resp = await stack.enter_async_context(other.get(f"{svc.url}/webhooks/rest/stream"))
            assert resp.status == 200
        late = await stack.enter_async_context(visitor())
        await start_session(late, svc.url)
        async with late.get(f"{svc.url}/webhooks/rest/stream") as resp:
            assert resp.status == 429 and "sibuk" in (await resp.json())["error"]
        # Everyone else is still served while every stream slot is taken.
        status, replies = await post_message(late, svc.url, "halo")
        assert status == 200 and replies
        async with late.get(f"{svc.url}/healthz", headers={"Authorization": f"Bearer {OPERATOR}"}) as resp:
            assert (await resp.json())["open_streams"] == 4
    # Closed streams give their slots (and what was kept for them) back.
    gate = svc.runtime.limits.streams
    assert gate.open == 0 and gate._sessions == {} and gate._addresses == {}
    assert svc.runtime.channels["webchat"]._events == {}


async def test_messages_per_sender_and_per_address_are_limited_politely(tmp_path: Path,
                                                                       nlu_model_path: Path) -> None:
    settings = make_settings(tmp_path, WARGA_MESSAGES_PER_MINUTE="3", WARGA_IP_MESSAGES_PER_MINUTE="6")
    async with running_service(settings) as svc, visitor() as one, visitor() as two:
        for _ in range(3):
            status, replies = await post_message(one, svc.url, "halo")
            assert status == 200 and "terlalu banyak" not in texts(replies)
        status, replies = await post_message(one, svc.url, "halo")
        assert status == 200 and "terlalu banyak dalam waktu singkat" in texts(replies)
        status, replies = await post_message(one, svc.url, "halo")
        assert status == 200 and replies == []  # told once; further messages in this minute are dropped
        status, _ = await post_message(two, svc.url, "halo")
        assert status == 200  # another visitor: the address's sixth message this minute
        async with two.post(f"{svc.url}/webhooks/rest/webhook", json={"message": "halo"}) as resp:
            assert resp.status == 429 and int(resp.headers["Retry-After"]) >= 1
            assert "tunggu" in (await resp.json())["error"]


async def enrol(http: aiohttp.ClientSession, url: str, sender: str, code: str) -> tuple[int, list[dict]]:
    async with http.post(f"{url}/webhooks/rest/webhook", json={"message": f"/daftar {code}"},
                         headers=web_headers(url, sender)) as resp:
        return resp.status, await resp.json()


async def test_enrolment_codes_cannot_be_guessed_quickly(tmp_path: Path, nlu_model_path: Path, caplog) -> None:
    settings = make_settings(tmp_path, WARGA_ENROL_ATTEMPTS_PER_IDENTITY="3", WARGA_ENROL_ATTEMPTS_PER_IP="5")
    caplog.set_level(logging.INFO)
    async with running_service(settings) as svc, aiohttp.ClientSession() as http:
        code = await issue_code(settings, "officer", "dinas-pupr")
        for guess in ("AAAAAAAA", "BBBBBBBB", "CCCCCCCC"):
            assert "tidak berlaku" in texts(await say(http, svc.url, "guesser", f"/daftar {guess}"))
        status, replies = await enrol(http, svc.url, "guesser", code)  # even the right code now waits
        assert status == 429 and "percobaan kode dibatasi" in texts(replies)
        assert (await svc.store.get_identity("webchat:guesser")).role == "resident"
        # The address has used 4 of its 5 tries (refused ones count): another identity gets one more.
        assert "tidak berlaku" in texts(await say(http, svc.url, "guesser-2", "/daftar DDDDDDDD"))
        status, replies = await enrol(http, svc.url, "guesser-3", code)
        assert status == 429 and "dibatasi" in texts(replies)
    assert "enrolment code: too many attempts by webchat:guesser" in caplog.text
    assert caplog.text.count("enrolment code tried by") == 4


async def test_bodies_over_the_route_limit_and_stored_text_are_bounded(tmp_path: Path, nlu_model_path: Path) -> None:
    settings = make_settings(tmp_path, WARGA_JSON_BODY_BYTES="2000", WARGA_MAX_STORED_CHARS="5000")
    async with running_service(settings) as svc, visitor() as browser:
        status, body = await post_message(browser, svc.url, "x" * 5000)
        assert status == 413 and "terlalu besar" in body["error"]
        chunked = aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True))
        async with chunked:
            async def parts() -> AsyncIterator[bytes]:
                yield b'{"message": "'
                for _ in range(10):
                    yield b"y" * 500
                yield b'"}'

            async with chunked.post(f"{svc.url}/webhooks/rest/webhook", data=parts(),
                                    headers={"Content-Type": "application/json"}) as resp:
                assert resp.status == 413  # no Content-Length: counted while read
    settings = make_settings(tmp_path, WARGA_JSON_BODY_BYTES="200000", WARGA_MAX_STORED_CHARS="5000")
    async with running_service(settings) as svc, aiohttp.ClientSession() as http:
        await say(http, svc.url, "panjang", "jalan rusak " * 10_000)  # 120,000 characters
        history = (await svc.store.get_conversation("webchat:panjang")).state["history"]
        assert len(history[-1]["text"]) == 5000


async def raw_connection(url: str, source: str = "127.0.0.1") -> tuple[asyncio.StreamReader, asyncio.StreamWriter]:
    host, port = url.removeprefix("http://").split(":")
    return await asyncio.open_connection(host, int(port), local_addr=(source, 0))


async def test_a_client_slow_to_send_headers_or_body_is_cut_off(tmp_path: Path, nlu_model_path: Path) -> None:
    settings = make_settings(tmp_path, WARGA_KEEPALIVE_TIMEOUT="0.5", WARGA_BODY_TIMEOUT="0.5")
    async with guarded_service(settings) as url:
        # Headers that never end: the connection is closed by the server.
        reader, writer = await raw_connection(url)
        writer.write(b"POST /webhooks/rest/webhook HTTP/1.1\r\nHost: x\r\n")
        await writer.drain()
        assert await asyncio.wait_for(reader.read(), 10) == b""
        writer.close()
        # A body that never arrives: 408 with a polite text, then closed.
        reader, writer = await raw_connection(url)
        writer.write(b"POST /webhooks/rest/webhook HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                     b"Content-Length: 100\r\n\r\n{\"message\": ")
        await writer.drain()
        answer = await asyncio.wait_for(reader.read(), 10)
        writer.close()
        assert answer.startswith(b"HTTP/1.1 408") and b"terlalu lama" in answer
        # An idle keep-alive connection is closed too, and normal requests go on being served.
        async with visitor() as browser:
            status, _ = await post_message(browser, url, "halo")
            assert status == 200


async def test_connections_beyond_the_cap_are_refused_and_service_continues(tmp_path: Path,
                                                                            nlu_model_path: Path) -> None:
    settings = make_settings(tmp_path, WARGA_MAX_CONNECTIONS="8", WARGA_CONNECTIONS_PER_IP="5",
                             WARGA_KEEPALIVE_TIMEOUT="30")
    async with guarded_service(settings) as url:
        # One address may hold 5 connections; its sixth is refused, while another address is served.
        idle = [await raw_connection(url) for _ in range(5)]
        extra_reader, extra_writer = await raw_connection(url)
        assert (await asyncio.wait_for(extra_reader.read(), 5)).startswith(b"HTTP/1.1 503")
        extra_writer.close()
        other = aiohttp.TCPConnector(local_addr=("127.0.0.2", 0))
        async with aiohttp.ClientSession(connector=other) as http, http.get(f"{url}/healthz") as resp:
            assert resp.status == 200
        # Eight in total: the ninth, from any address, is refused.
        more = [await raw_connection(url, "127.0.0.3") for _ in range(3)]
        extra_reader, extra_writer = await raw_connection(url, "127.0.0.4")
        assert (await asyncio.wait_for(extra_reader.read(), 5)).startswith(b"HTTP/1.1 503")
        extra_writer.close()
        for _, writer in idle + more:
            writer.close()
        await asyncio.sleep(0.2)
        async with aiohttp.ClientSession() as http, http.get(f"{url}/healthz") as resp:
            assert resp.status == 200


@pytest.mark.parametrize("env", [{"WARGA_STREAMS_TOTAL": "0"}, {"WARGA_BODY_TIMEOUT": "-1"},
                                 {"WARGA_SESSION_SECRET": "short"}])
def test_bad_limit_settings_fail_fast_naming_the_key(tmp_path: Path, env: dict[str, str]) -> None:
    from bot.settings import SettingsError

    with pytest.raises(SettingsError, match=next(iter(env))):
        make_settings(tmp_path, **env)
