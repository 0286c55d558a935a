"""The web chat keeps each visitor's conversation: served back to that session only, never pushed twice;
photos over the limit are told the limit; texts come in the channel's own variant."""

from __future__ import annotations

import asyncio
import io
import json
from pathlib import Path

import aiohttp
import pytest

from bot.message import Reply
from bot.texts import Texts, TextsError
from tests.harness import make_settings, photo_jpeg, running_service


def browser() -> aiohttp.ClientSession:
    """A visitor with a cookie jar, as a browser keeps the session cookie."""
    return aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True))


async def say(http: aiohttp.ClientSession, url: str, text: str, **metadata: object) -> list[dict]:
    body: dict[str, object] = {"message": text}
    if metadata:
        body["metadata"] = metadata
    async with http.post(f"{url}/webhooks/rest/webhook", json=body) as resp:
        assert resp.status == 200, await resp.text()
        return await resp.json()


async def history(http: aiohttp.ClientSession, url: str, after: int = 0) -> dict:
    async with http.get(f"{url}/webhooks/rest/history", params={"after": str(after)}) as resp:
        assert resp.status == 200, await resp.text()
        return await resp.json()


@pytest.fixture
async def svc(tmp_path: Path, nlu_model_path: Path):
    async with running_service(make_settings(tmp_path, WARGA_UPLOAD_BODY_BYTES=str(3 * 1024 * 1024))) as service:
        yield service


async def test_the_conversation_comes_back_for_its_own_session_only(svc) -> None:
    async with browser() as resident, browser() as stranger:
        await say(resident, svc.url, "halo", greeting=True)
        await say(resident, svc.url, "jalan di desa Sooko rusak parah banyak lubang")
        await say(resident, svc.url, "ya")
        items = (await history(resident, svc.url))["items"]
        assert [i["from"] for i in items] == ["bot", "me", "bot", "me", "bot"]  # the page's greeting is not "me"
        assert "selamat datang" in items[0]["text"].lower()
        assert items[1]["text"] == "jalan di desa Sooko rusak parah banyak lubang"
        assert "Dinas PUPR" in items[2]["text"] and items[2]["buttons"]
        assert "lokasi" in items[4]["text"].lower()
        # Another visitor sees only their own (empty) conversation; without a session, nothing.
        async with stranger.get(f"{svc.url}/webhooks/rest/session") as resp:
            assert resp.status == 200
        assert (await history(stranger, svc.url))["items"] == []
    async with aiohttp.ClientSession() as anonymous:
        async with anonymous.get(f"{svc.url}/webhooks/rest/history") as resp:
            assert resp.status == 401
        async with anonymous.get(f"{svc.url}/webhooks/rest/history?after=x") as resp:
            assert resp.status in (400, 401)


async def test_a_nik_typed_in_the_web_chat_is_kept_masked_in_its_history(svc) -> None:
    """What the visitor typed comes back in the page's history, but a NIK in it is masked there and in the
    conversation's recent messages (a shared computer, a copied transcript); the phone number stays."""
    async with browser() as resident:
        await say(resident, svc.url, "nik saya 3599015708900003 hp 081234567890")
        items = (await history(resident, svc.url))["items"]
        mine = [i["text"] for i in items if i["from"] == "me"]
        assert mine == ["nik saya 3599********0003 hp 081234567890"], mine
        async with resident.get(f"{svc.url}/webhooks/rest/session") as resp:
            sender = (await resp.json())["sender"]
    conversation = await svc.store.get_conversation(f"webchat:{sender}")
    assert conversation is not None
    assert "3599015708900003" not in json.dumps(conversation.state)


async def test_the_stream_pushes_only_later_replies_and_history_continues_after_a_cursor(svc) -> None:
    async with browser() as resident:
        await say(resident, svc.url, "halo")
        first = await history(resident, svc.url)
        assert [i["from"] for i in first["items"]] == ["me", "bot"]
        sender = (await (await resident.get(f"{svc.url}/webhooks/rest/session")).json())["sender"]
        await svc.runtime.channels["webchat"].deliver(sender, [Reply("kabar")], "")  # e.g. an officer's answer
        later = await history(resident, svc.url, after=first["last"])
        assert [(i["from"], i["text"]) for i in later["items"]] == [("push", "kabar")]
        # The stream from the start sends the pushed reply only: the direct answers were shown already.
        events: list[dict] = []
        async with resident.get(f"{svc.url}/webhooks/rest/stream?after=0") as resp:
            async def read() -> None:
                async for line in resp.content:
                    if line.startswith(b"data: "):
                        events.append(json.loads(line[6:]))
                        return

            await asyncio.wait_for(read(), 10)
        assert [e["text"] for e in events] == ["kabar"]


async def test_a_photo_over_the_limit_is_told_the_limit_from_settings(svc) -> None:
    async with browser() as resident:
        async with resident.get(f"{svc.url}/webhooks/rest/session") as resp:
            limit = (await resp.json())["photo_max_bytes"]
        assert limit == 3 * 1024 * 1024 - 64 * 1024  # the upload body limit less the form's overhead
        for size in (limit + 1024, 4 * 1024 * 1024):  # refused while read, and by Content-Length
            form = aiohttp.FormData()
            form.add_field("file", io.BytesIO(photo_jpeg() + b"\0" * size), filename="foto.jpg",
                           content_type="image/jpeg")
            async with resident.post(f"{svc.url}/webhooks/rest/upload", data=form) as resp:
                assert resp.status == 413
                error = (await resp.json())["error"]
            assert "maksimal 2.9 MB" in error and "lebih kecil" in error
        form = aiohttp.FormData()
        form.add_field("file", photo_jpeg(), filename="foto.jpg", content_type="image/jpeg")
        async with resident.post(f"{svc.url}/webhooks/rest/upload", data=form) as resp:
            assert resp.status == 200
        first = (await history(resident, svc.url))["items"][0]
        assert (first["from"], first["text"]) == ("me", "📷")  # refused uploads left no line


async def test_each_channel_gets_its_own_variant_of_a_text(svc) -> None:
    texts = svc.runtime.services.texts
    assert "📎" not in texts.get("complaint_ask_location", "id", "webchat")
    assert "📍" in texts.get("complaint_ask_location", "id", "webchat")
    assert "📎" in texts.get("complaint_ask_location", "id", "whatsapp")
    assert "📎" not in texts.get("complaint_ask_location", "en", "sms")
    assert texts.get("complaint_ask_location", "en") == texts.raw("complaint_ask_location")["en"]
    async with browser() as resident:
        await say(resident, svc.url, "jalan di desa Sooko rusak parah banyak lubang")
        replies = await say(resident, svc.url, "ya")
        assert "📍" in replies[0]["text"] and "📎" not in replies[0]["text"]


def test_channel_variants_are_checked_when_loaded(tmp_path: Path) -> None:
    (tmp_path / "a.yml").write_text('x:\n  id: {web: "tanpa default"}\n', encoding="utf-8")
    with pytest.raises(TextsError, match="need a `default`"):
        Texts.load(tmp_path)
    (tmp_path / "a.yml").write_text('x:\n  id: {default: "a", faks: "b"}\n', encoding="utf-8")
    with pytest.raises(TextsError, match="unknown channel 'faks'"):
        Texts.load(tmp_path)
    (tmp_path / "a.yml").write_text('x:\n  id: {default: "a {n}", web: "b {n"}\n', encoding="utf-8")
    with pytest.raises(TextsError, match="x.*web"):
        Texts.load(tmp_path)
