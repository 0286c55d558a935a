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


# /model/parse is off unless NLU_PARSE_TOKEN is set; tests that call it send this header.
PARSE_TOKEN = "test-parse-token-0123456789"
PARSE_HEADERS = {"Authorization": f"Bearer {PARSE_TOKEN}"}


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
        # Functional tests send many messages from one address quickly; tests/security checks the limits.
        "WARGA_MESSAGES_PER_MINUTE": "100000",
        "WARGA_IP_MESSAGES_PER_MINUTE": "100000",
        "NLU_PARSE_TOKEN": PARSE_TOKEN,
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
    if "nlu" not in create_app_kwargs and (shared := _shared_backend(settings)) is not None:
        create_app_kwargs["nlu"] = shared
    app = create_app(settings, **create_app_kwargs)
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
    url = f"http://127.0.0.1:{port}"
    _RUNTIMES[url] = app[RUNTIME]
    try:
        yield Service(url=url, app=app, runtime=app[RUNTIME])
    finally:
        _RUNTIMES.pop(url, None)
        await runner.cleanup()


_RUNTIMES: dict[str, Runtime] = {}
_ENGINES: dict[Path, Any] = {}


def _shared_backend(settings: Settings) -> Any | None:
    """The session's NLU model, loaded once and shared by every in-process service that uses it.

    A loaded model takes a few hundred MB; loading one per test made the suite's memory grow with every
    service (pytest keeps objects of finished tests reachable), past what the machine has. Services with
    another model file or the Rasa backend load their own as in production.
    """
    path = settings.nlu_model_path
    if settings.nlu_backend != "builtin" or path != shared_nlu_model() or not path.exists():
        return None
    from bot.directory import Directory
    from nlu.backend import BuiltinBackend
    from nlu.engine import NluEngine

    engine = _ENGINES.get(path)
    if engine is None:
        engine = _ENGINES[path] = NluEngine.load(path)
    return BuiltinBackend(engine.with_routing(Directory.load(settings.content_dir / "directory.yml").routing))


def web_headers(url: str, sender: str) -> dict[str, str]:
    """Act as web chat visitor `sender` of the service at `url`: a session token signed with that service's key.

    The server never lets a client choose its sender; tests hold the key, as they hold a webhook secret.
    The session is a signed-in staff session, so enrolment with /daftar works as on any channel.
    """
    sessions = _RUNTIMES[url].sessions
    assert sessions is not None
    return {"Authorization": f"Bearer {sessions.issue(sender, staff=True).token}"}


async def say(session: aiohttp.ClientSession, url: str, sender: str, text: str) -> list[dict[str, Any]]:
    """Send one message through the web chat's REST endpoint as visitor `sender`; returns the bot's replies."""
    async with session.post(f"{url}/webhooks/rest/webhook", json={"sender": sender, "message": text},
                            headers=web_headers(url, sender)) as resp:
        assert resp.status == 200, await resp.text()
        return await resp.json()


async def upload(session: aiohttp.ClientSession, url: str, sender: str, data: bytes, mime: str = "image/jpeg",
                 caption: str = "") -> list[dict[str, Any]]:
    """Send a photo through the web chat's upload endpoint; returns the bot's replies."""
    form = aiohttp.FormData()
    form.add_field("sender", sender)
    form.add_field("caption", caption)
    form.add_field("file", data, filename="photo.jpg", content_type=mime)
    async with session.post(f"{url}/webhooks/rest/upload", data=form, headers=web_headers(url, sender)) as resp:
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
    """The payloads of every quick-reply button in a REST answer, without the question mark a button that answers
    a question carries (`btn:yes#3fa2` -> `btn:yes`; actions/freshness.py, tested in tests/core/test_fourth_look.py)."""
    return [unmarked(b["payload"]) for r in replies for b in r.get("buttons", [])]


def unmarked(payload: str) -> str:
    from actions.freshness import unmark

    return unmark(payload)[0]


async def mailbox(store: Store, key: str) -> list[dict[str, Any]]:
    """Everything pushed to identity `key`'s web chat mailbox, oldest first (not the visitor's own lines and
    the direct answers to them, which the mailbox also keeps for the page to restore the conversation)."""
    return [item for _, item in await store.mailbox_after(key, 0, limit=500) if not item.get("origin")]


def photo_jpeg(size: tuple[int, int] = (64, 48), gps: bool = False) -> bytes:
    """A real JPEG (channels re-encode photos, so fake bytes are refused); with `gps`, EXIF camera and GPS tags."""
    import io

    from PIL import Image

    picture = Image.new("RGB", size, (180, 120, 40))
    exif = Image.Exif()
    if gps:
        exif[0x010F] = "TestCam"  # Make
        exif[0x8825] = {1: "S", 2: (7.0, 28.0, 21.0), 3: "E", 4: (112.0, 26.0, 24.0)}  # GPSInfo
    out = io.BytesIO()
    picture.save(out, "JPEG", exif=exif.tobytes())
    return out.getvalue()


def same_picture(stored: bytes, sent: bytes) -> bool:
    """True when `stored` decodes to a picture of the same size as `sent` (it was re-encoded, not copied)."""
    import io

    from PIL import Image

    with Image.open(io.BytesIO(stored)) as a, Image.open(io.BytesIO(sent)) as b:
        return a.size == b.size


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
