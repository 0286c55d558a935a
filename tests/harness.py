"""Start the real service on 127.0.0.1 (port 0) for tests, and build test settings.

    settings = make_settings(tmp_path, TELEGRAM_BOT_TOKEN="...")
    async with running_service(settings) as svc:
        ...  # svc.url, svc.app, svc.store, svc.dialogue, svc.runtime

The NLU model is trained once per test session (see `shared_nlu_model`) and reused.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import tempfile
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import aiohttp
from aiohttp import web

from bot.app import RUNTIME, Runtime, create_app
from bot.settings import ROOT, Settings, load_settings
from bot.store.base import Store


def shared_nlu_model() -> Path:
    """A model trained on the real data once per test session (path shared by every test)."""
    path = Path(
        os.environ.get("WARGA_TEST_NLU_MODEL") or Path(tempfile.gettempdir()) / f"warga-test-nlu-{os.getpid()}.pkl"
    )
    os.environ["WARGA_TEST_NLU_MODEL"] = str(path)
    return path


def make_settings(tmp_path: Path, **env: str) -> Settings:
    """Settings for a test: data in `tmp_path`, the session's NLU model, no outside service."""
    base = {
        "WARGA_HOST": "127.0.0.1",
        "WARGA_PORT": "0",
        "WARGA_DATA_DIR": str(tmp_path / "var"),
        "NLU_MODEL_PATH": str(shared_nlu_model()),
        "OUTBOX_POLL_INTERVAL": "0.05",
        "OUTBOX_BACKOFF_BASE": "0.05",
        "OUTBOX_BACKOFF_CAP": "0.5",
        "LOG_LEVEL": "WARNING",
    }
    base.update(env)
    return load_settings(base, dotenv=ROOT / ".env.none")


@dataclass
class Service:
    """A running service instance."""

    url: str
    app: web.Application
    runtime: Runtime

    @property
    def settings(self) -> Settings:
        return self.runtime.settings

    @property
    def store(self) -> Store:
        return self.runtime.services.store

    @property
    def dialogue(self) -> Any:
        return self.runtime.dialogue


@contextlib.asynccontextmanager
async def running_service(settings: Settings, **create_app_kwargs: Any) -> AsyncIterator[Service]:
    app = create_app(settings, **create_app_kwargs)
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
    try:
        yield Service(url=f"http://127.0.0.1:{port}", app=app, runtime=app[RUNTIME])
    finally:
        await runner.cleanup()


async def say(session: aiohttp.ClientSession, url: str, sender: str, text: str) -> list[dict[str, Any]]:
    """Send one message through the web chat's REST endpoint; returns the bot's replies."""
    async with session.post(f"{url}/webhooks/rest/webhook", json={"sender": sender, "message": text}) as resp:
        assert resp.status == 200, await resp.text()
        return await resp.json()


async def upload(session: aiohttp.ClientSession, url: str, sender: str, data: bytes, mime: str = "image/jpeg",
                 caption: str = "") -> list[dict[str, Any]]:
    """Send a photo through the web chat's upload endpoint; returns the bot's replies."""
    form = aiohttp.FormData()
    form.add_field("sender", sender)
    form.add_field("caption", caption)
    form.add_field("file", data, filename="photo.jpg", content_type=mime)
    async with session.post(f"{url}/webhooks/rest/upload", data=form) as resp:
        assert resp.status == 200, await resp.text()
        return await resp.json()


async def wait_for(predicate: Any, timeout: float = 5.0, interval: float = 0.02) -> Any:
    """Poll an async or sync predicate until it returns something truthy (or fail after timeout)."""
    deadline = asyncio.get_running_loop().time() + timeout
    while True:
        result = predicate()
        if asyncio.iscoroutine(result):
            result = await result
        if result:
            return result
        if asyncio.get_running_loop().time() > deadline:
            raise AssertionError(f"condition not met within {timeout}s")
        await asyncio.sleep(interval)


def texts(replies: list[dict[str, Any]]) -> str:
    """All reply texts of a REST answer, one per line."""
    return "\n".join(r.get("text", "") for r in replies)


def payloads(replies: list[dict[str, Any]]) -> list[str]:
    """The payloads of every quick-reply button in a REST answer."""
    return [b["payload"] for r in replies for b in r.get("buttons", [])]


async def mailbox(store: Store, key: str) -> list[dict[str, Any]]:
    """Everything pushed to identity `key`'s web chat mailbox, oldest first."""
    return [item for _, item in await store.mailbox_after(key, 0, limit=500)]


def edited_content(tmp_path: Path, old: str, new: str) -> Path:
    """A copy of content/ whose directory.yml has `old` replaced by `new` once (WARGA_CONTENT_DIR for a test)."""
    import shutil

    content = tmp_path / "content"
    shutil.copytree(ROOT / "content", content)
    directory = content / "directory.yml"
    text = directory.read_text(encoding="utf-8")
    assert old in text, f"{old!r} is not in content/directory.yml"
    directory.write_text(text.replace(old, new, 1), encoding="utf-8")
    return content
