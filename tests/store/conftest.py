"""One `store` fixture for the contract suite: SQLite; MongoDB over the in-process stand-in, once as a
standalone server (ordered writes) and once as a replica set (transactions); and a real MongoDB when
MONGODB_URL is set (a fresh database per test, dropped afterwards)."""

from __future__ import annotations

import os
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path
from typing import Any

import pytest

from bot.store.mongo import MongoStore
from bot.store.sqlite import SqliteStore
from tests.fakes.async_mongomock import AsyncMongoMockClient

BACKENDS = ["sqlite", "mongo-standin", "mongo-standin-txn"] + (["mongo"] if os.environ.get("MONGODB_URL") else [])


class Backend:
    """Makes stores that share one storage (a second service process talks to the same data)."""

    def __init__(self, name: str, tmp_path: Path) -> None:
        self.name = name
        self.path = tmp_path / "warga.sqlite3"
        self.client: Any = None
        if name.startswith("mongo-standin"):
            self.client = AsyncMongoMockClient(transactions=name.endswith("-txn"))
        self.db_name = f"warga_test_{uuid.uuid4().hex[:12]}"
        self.opened: list[Any] = []

    def new(self) -> Any:
        if self.name == "sqlite":
            return SqliteStore(self.path)
        if self.name.startswith("mongo-standin"):
            return MongoStore("mongodb://stand-in", self.db_name, client=self.client)
        return MongoStore(os.environ["MONGODB_URL"], self.db_name)

    async def open(self) -> Any:
        store = self.new()
        await store.open()
        self.opened.append(store)
        return store

    @property
    def atomic(self) -> bool:
        """Does commit() land all or nothing even when a write fails part-way?"""
        if self.name == "sqlite":
            return True
        return bool(self.opened and self.opened[0].transactions)

    async def cleanup(self) -> None:
        if self.name == "mongo" and self.opened:
            await self.opened[0].client.drop_database(self.db_name)
        for store in reversed(self.opened):
            await store.close()


@pytest.fixture(params=BACKENDS)
async def backend(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[Backend]:
    b = Backend(request.param, tmp_path)
    try:
        yield b
    finally:
        await b.cleanup()


@pytest.fixture
async def store(backend: Backend) -> Any:
    return await backend.open()


@pytest.fixture
def peer(backend: Backend) -> Callable[[], Awaitable[Any]]:
    """Open another store object on the same data (as a second worker process would)."""
    return backend.open


@pytest.fixture
async def sqlite_store(tmp_path: Path) -> AsyncIterator[SqliteStore]:
    """A SQLite store of its own (the tests of what only SQLite does)."""
    store = SqliteStore(tmp_path / "warga.sqlite3")
    await store.open()
    yield store
    await store.close()
