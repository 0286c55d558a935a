"""Test-wide guards and shared fixtures.

- No test may reach beyond loopback: any socket connection to another address fails the test.
- The NLU model is trained once per session on the real data and shared (tests/harness.py).
"""

from __future__ import annotations

import ipaddress
import socket
from pathlib import Path

import aiohttp
import pytest

from bot.settings import ROOT
from tests.harness import shared_nlu_model

_real_connect = socket.socket.connect
_real_connect_ex = socket.socket.connect_ex


def _is_local(address: object) -> bool:
    if isinstance(address, (str, bytes)):  # unix socket path
        return True
    if not isinstance(address, tuple) or not address:
        return True
    host = address[0]
    if host in ("localhost", ""):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _guarded_connect(self: socket.socket, address: object) -> None:
    if self.family in (socket.AF_INET, socket.AF_INET6) and not _is_local(address):
        raise ConnectionRefusedError(f"tests may not reach beyond loopback (tried {address!r})")
    return _real_connect(self, address)


def _guarded_connect_ex(self: socket.socket, address: object) -> int:
    if self.family in (socket.AF_INET, socket.AF_INET6) and not _is_local(address):
        raise ConnectionRefusedError(f"tests may not reach beyond loopback (tried {address!r})")
    return _real_connect_ex(self, address)


@pytest.fixture(autouse=True, scope="session")
def _loopback_only() -> None:
    socket.socket.connect = _guarded_connect  # type: ignore[method-assign]
    socket.socket.connect_ex = _guarded_connect_ex  # type: ignore[method-assign]


@pytest.fixture(scope="session")
def nlu_model_path() -> Path:
    """Train the NLU model on the real data once for the whole session."""
    from nlu.engine import NluEngine

    path = shared_nlu_model()
    if not path.exists():
        engine = NluEngine.train(ROOT / "config.yml", ROOT / "nlu" / "data")
        engine.save(path)
    return path


@pytest.fixture
async def http():
    """A client session for talking to the service (and fakes) under test."""
    async with aiohttp.ClientSession() as session:
        yield session
