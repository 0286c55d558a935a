"""A very small Chrome DevTools Protocol client: start headless Chromium, evaluate JavaScript in a page.

Enough to drive the web chat like a person does (type, click, read) without Selenium or Playwright.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import json
import shutil
import tempfile
from collections.abc import AsyncIterator, Callable
from pathlib import Path
from typing import Any

import aiohttp

FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--disable-default-apps", "--disable-extensions", "--mute-audio", "--remote-debugging-port=0"]


def chromium_path() -> str | None:
    return shutil.which("chromium") or shutil.which("chromium-browser")


class Page:
    def __init__(self, ws: aiohttp.ClientWebSocketResponse, http: aiohttp.ClientSession, port: int) -> None:
        self.ws = ws
        self.http = http
        self.port = port
        self._ids = itertools.count(1)

    @contextlib.asynccontextmanager
    async def tab(self, url: str) -> AsyncIterator[Page]:
        """Another tab of the same browser (same cookies: the same person), opened at `url`."""
        async with self.http.put(f"http://127.0.0.1:{self.port}/json/new?about:blank") as resp:
            target = await resp.json()
        try:
            async with self.http.ws_connect(target["webSocketDebuggerUrl"], max_msg_size=0) as ws:
                page = Page(ws, self.http, self.port)
                await page.call("Page.enable")
                await page.call("Runtime.enable")
                await page.call("Page.navigate", url=url)
                yield page
        finally:
            async with self.http.get(f"http://127.0.0.1:{self.port}/json/close/{target['id']}"):
                pass

    async def call(self, method: str, **params: Any) -> dict[str, Any]:
        msg_id = next(self._ids)
        await self.ws.send_str(json.dumps({"id": msg_id, "method": method, "params": params}))
        while True:
            msg = await self.ws.receive(timeout=30)
            if msg.type != aiohttp.WSMsgType.TEXT:
                raise RuntimeError(f"DevTools connection closed: {msg.type}")
            data = json.loads(msg.data)
            if data.get("id") == msg_id:
                if "error" in data:
                    raise RuntimeError(f"{method}: {data['error']}")
                return data.get("result", {})

    async def wait_event(self, method: str, match: Callable[[dict[str, Any]], bool], timeout: float = 15.0
                         ) -> dict[str, Any]:
        """The params of the next event `method` that `match`es (other messages are dropped, as call() does)."""
        async def read() -> dict[str, Any]:
            while True:
                msg = await self.ws.receive()
                if msg.type != aiohttp.WSMsgType.TEXT:
                    raise RuntimeError(f"DevTools connection closed: {msg.type}")
                data = json.loads(msg.data)
                if data.get("method") == method and match(data.get("params", {})):
                    return data["params"]  # type: ignore[no-any-return]

        return await asyncio.wait_for(read(), timeout)

    async def js(self, expression: str) -> Any:
        result = await self.call("Runtime.evaluate", expression=expression, returnByValue=True, awaitPromise=True)
        if "exceptionDetails" in result:
            raise RuntimeError(f"JavaScript failed: {result['exceptionDetails']}")
        return result.get("result", {}).get("value")

    async def press(self, key: str) -> None:
        """A key pressed and released on the focused element, as a keyboard does (Tab, Enter, space)."""
        codes = {"Tab": ("Tab", 9, ""), "Enter": ("Enter", 13, "\r"), " ": ("Space", 32, " ")}
        code, virtual, text = codes[key]
        await self.call("Input.dispatchKeyEvent", type="keyDown", key=key, code=code,
                        windowsVirtualKeyCode=virtual, text=text)
        await self.call("Input.dispatchKeyEvent", type="keyUp", key=key, code=code, windowsVirtualKeyCode=virtual)

    async def type(self, text: str) -> None:
        """Text typed into the focused field."""
        await self.call("Input.insertText", text=text)

    async def tab_to(self, selector: str, limit: int = 60) -> int:
        """Press Tab until the element `selector` has the focus; how many presses it took."""
        for presses in range(1, limit + 1):
            await self.press("Tab")
            if await self.js(f"!!document.activeElement && document.activeElement.matches({json.dumps(selector)})"):
                return presses
        raise AssertionError(f"{selector} is not reachable with Tab ({limit} presses)")

    async def wait_js(self, expression: str, timeout: float = 15.0) -> Any:
        deadline = asyncio.get_running_loop().time() + timeout
        while True:
            try:
                value = await self.js(expression)
            except RuntimeError as error:  # the page was replaced while asked: ask the new one
                if "navigated" not in str(error) and "context was destroyed" not in str(error):
                    raise
                value = None
            if value:
                return value
            if asyncio.get_running_loop().time() > deadline:
                raise AssertionError(f"page never satisfied: {expression}")
            await asyncio.sleep(0.1)


@contextlib.asynccontextmanager
async def open_page(url: str) -> AsyncIterator[Page]:
    binary = chromium_path()
    if binary is None:
        raise RuntimeError("chromium is not installed (scripts/ensure_chromium.sh installs it)")
    profile = Path(tempfile.mkdtemp(prefix="warga-chromium-"))
    proc = await asyncio.create_subprocess_exec(
        binary, *FLAGS, f"--user-data-dir={profile}", "about:blank",
        stdout=asyncio.subprocess.DEVNULL, stderr=asyncio.subprocess.PIPE)
    try:
        port_file = profile / "DevToolsActivePort"
        for _ in range(300):
            if port_file.exists() and port_file.read_text().strip():
                break
            await asyncio.sleep(0.05)
        port = int(port_file.read_text().splitlines()[0])
        async with aiohttp.ClientSession() as http:
            async with http.get(f"http://127.0.0.1:{port}/json/list") as resp:
                targets = await resp.json()
            page_target = next(t for t in targets if t.get("type") == "page")
            async with http.ws_connect(page_target["webSocketDebuggerUrl"], max_msg_size=0) as ws:
                page = Page(ws, http, port)
                await page.call("Page.enable")
                await page.call("Runtime.enable")
                await page.call("Page.navigate", url=url)
                yield page
    finally:
        if proc.returncode is None:
            proc.terminate()
            try:
                await asyncio.wait_for(proc.wait(), 10)
            except TimeoutError:
                proc.kill()
                await proc.wait()
        shutil.rmtree(profile, ignore_errors=True)
