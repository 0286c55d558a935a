"""Helpers the benchmarks share: a free loopback port and waiting for a service process to be healthy.

The benchmarks run as scripts (`python bench/rest_channel.py`), so this module is imported by name.
"""

from __future__ import annotations

import asyncio
import socket
import subprocess
import time

import aiohttp


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


async def wait_healthy(url: str, server: subprocess.Popen[bytes] | None = None, timeout: float = 300) -> None:
    """Poll `{url}/healthz` until it answers 200 (the first start may train the NLU model)."""
    deadline = time.monotonic() + timeout
    async with aiohttp.ClientSession() as http:
        while time.monotonic() < deadline:
            if server is not None and server.poll() is not None:
                raise SystemExit("service exited during start-up")
            try:
                async with http.get(f"{url}/healthz") as resp:
                    if resp.status == 200:
                        return
            except aiohttp.ClientError:
                pass
            await asyncio.sleep(0.2)
    raise SystemExit("service did not become healthy")
