"""An in-process stand-in for the part of `pymongo.AsyncMongoClient` that `bot.store.mongo` uses.

No MongoDB server can be installed on the CI machine, so the contract suite also runs against
mongomock (an in-memory implementation of PyMongo's *synchronous* API) behind this async facade.

What it gives:
- The same call shapes as PyMongo's async API (awaitable collection methods, `find()` returning a
  cursor with `sort`/`limit`/`skip`, `async for` and `to_list`), the same result objects and the
  same exceptions (`pymongo.errors.DuplicateKeyError` on unique indexes), `ReturnDocument`,
  unique, compound and TTL indexes (mongomock drops expired documents when they are read).
- Every operation first yields to the event loop (`await asyncio.sleep(0)`), so concurrent tasks
  really interleave between operations the way they do against a server, then runs whole under one
  `asyncio.Lock`, so each single operation (e.g. `find_one_and_update`) is atomic, as on a server.

By default it reports a standalone server (no `setName` in `hello`), so the store uses its
ordered-writes fallback. `AsyncMongoMockClient(transactions=True)` reports a replica set and offers
`start_session()` / `with_transaction()`: a transaction holds the client lock for its whole callback
(so transactions are fully serialised, stricter than MongoDB's snapshot isolation) and is rolled back
by restoring a copy of every collection's documents if the callback raises. Inside a transaction an
operation of the same task *without* `session=` raises, which catches a forgotten session argument.

What it does not give: `explain`, real query planning, write conflicts between transactions,
durability, network failures or replica-set behaviour. See docs/mongodb.md.
"""

from __future__ import annotations

import asyncio
import copy
from collections.abc import Awaitable, Callable
from typing import Any

import mongomock


class FakeSession:
    """`AsyncClientSession` look-alike: `async with client.start_session() as s: await s.with_transaction(cb)`."""

    def __init__(self, client: AsyncMongoMockClient) -> None:
        self.client = client

    async def __aenter__(self) -> FakeSession:
        return self

    async def __aexit__(self, *exc: object) -> None:
        return None

    async def with_transaction(self, callback: Callable[[Any], Awaitable[Any]], **options: Any) -> Any:
        # Recorded only (read_concern, write_concern, read_preference): one copy of the data has no replicas.
        self.client.transaction_options = options
        return await self.client._transaction(self, callback)


class AsyncCursor:
    """A lazy cursor: `sort`/`limit`/`skip` chain, then `async for` or `await to_list()`."""

    def __init__(self, owner: AsyncCollection, args: tuple[Any, ...], kwargs: dict[str, Any]) -> None:
        self._owner = owner
        self._args = args
        self._kwargs = kwargs
        self._session = kwargs.pop("session", None)
        self._sort: list[tuple[str, int]] | None = None
        self._limit = 0
        self._skip = 0
        self._items: list[dict[str, Any]] | None = None

    def sort(self, key_or_list: Any, direction: int | None = None) -> AsyncCursor:
        self._sort = [(key_or_list, direction or 1)] if isinstance(key_or_list, str) else list(key_or_list)
        return self

    def limit(self, n: int) -> AsyncCursor:
        self._limit = n
        return self

    def skip(self, n: int) -> AsyncCursor:
        self._skip = n
        return self

    def _run(self) -> list[dict[str, Any]]:
        cursor = self._owner._sync.find(*self._args, **self._kwargs)
        if self._sort:
            cursor = cursor.sort(self._sort)
        if self._skip:
            cursor = cursor.skip(self._skip)
        if self._limit:
            cursor = cursor.limit(self._limit)
        return list(cursor)

    async def to_list(self, length: int | None = None) -> list[dict[str, Any]]:
        items = await self._owner._call(self._run, session=self._session)
        return items if length is None else items[:length]

    def __aiter__(self) -> AsyncCursor:
        return self

    async def __anext__(self) -> dict[str, Any]:
        if self._items is None:
            self._items = await self._owner._call(self._run, session=self._session)
        if not self._items:
            raise StopAsyncIteration
        return self._items.pop(0)

    async def explain(self) -> dict[str, Any]:
        raise NotImplementedError("the in-process stand-in has no query planner; explain needs a real MongoDB")


class AsyncCommandCursor:
    """What `aggregate` returns: iterate it or `to_list()`."""

    def __init__(self, items: list[dict[str, Any]]) -> None:
        self._items = items

    async def to_list(self, length: int | None = None) -> list[dict[str, Any]]:
        return self._items if length is None else self._items[:length]

    def __aiter__(self) -> AsyncCommandCursor:
        return self

    async def __anext__(self) -> dict[str, Any]:
        if not self._items:
            raise StopAsyncIteration
        return self._items.pop(0)


class AsyncCollection:
    def __init__(self, client: AsyncMongoMockClient, sync: Any) -> None:
        self._client = client
        self._sync = sync
        self.name = sync.name

    async def _call(self, fn: Callable[..., Any], *args: Any, session: Any = None, **kwargs: Any) -> Any:
        return await self._client._call(fn, *args, session=session, **kwargs)

    def find(self, *args: Any, **kwargs: Any) -> AsyncCursor:
        return AsyncCursor(self, args, kwargs)

    async def aggregate(self, pipeline: list[dict[str, Any]], session: Any = None, **kwargs: Any
                        ) -> AsyncCommandCursor:
        items = await self._call(lambda: list(self._sync.aggregate(pipeline, **kwargs)), session=session)
        return AsyncCommandCursor(items)

    def __getattr__(self, name: str) -> Any:
        if name not in _ASYNC_METHODS:
            raise AttributeError(f"the stand-in does not provide AsyncCollection.{name}")
        method = getattr(self._sync, name)

        async def call(*args: Any, session: Any = None, **kwargs: Any) -> Any:
            return await self._call(method, *args, session=session, **kwargs)

        return call


_ASYNC_METHODS = frozenset({
    "find_one", "insert_one", "insert_many", "replace_one", "update_one", "update_many", "delete_one",
    "delete_many", "find_one_and_update", "find_one_and_replace", "find_one_and_delete", "count_documents",
    "estimated_document_count", "create_index", "create_indexes", "index_information", "drop", "distinct",
    "bulk_write",
})


class AsyncDatabase:
    def __init__(self, client: AsyncMongoMockClient, sync: Any, read_preference: Any = None,
                 write_concern: Any = None) -> None:
        self._client = client
        self._sync = sync
        self.name = sync.name
        # Recorded only (the stand-in has one copy of the data): tests check what the store asked for.
        self.read_preference = read_preference
        self.write_concern = write_concern

    def __getitem__(self, name: str) -> AsyncCollection:
        return self.get_collection(name)

    def __getattr__(self, name: str) -> AsyncCollection:
        if name.startswith("_"):
            raise AttributeError(name)
        return self.get_collection(name)

    def get_collection(self, name: str) -> AsyncCollection:
        return AsyncCollection(self._client, self._sync[name])

    async def list_collection_names(self) -> list[str]:
        return await self._client._call(self._sync.list_collection_names)

    async def create_collection(self, name: str, **kwargs: Any) -> AsyncCollection:
        await self._client._call(self._sync.create_collection, name, **kwargs)
        return self.get_collection(name)

    async def command(self, command: str | dict[str, Any], **kwargs: Any) -> dict[str, Any]:
        name = command if isinstance(command, str) else next(iter(command))
        if name in ("hello", "isMaster", "ismaster"):
            hello: dict[str, Any] = {"ok": 1.0, "isWritablePrimary": True, "maxWireVersion": 21}
            if self._client.transactions:
                hello["setName"] = "rs0"  # a replica set: transactions available
            return hello
        if name == "ping":
            return {"ok": 1.0}
        raise NotImplementedError(f"the stand-in does not run the {name!r} command")


class AsyncMongoMockClient:
    """`AsyncMongoClient(...)` look-alike over one mongomock client (all databases in memory)."""

    def __init__(self, *args: Any, tz_aware: bool = True, transactions: bool = False, **kwargs: Any) -> None:
        self._sync = mongomock.MongoClient(*args, tz_aware=tz_aware, **kwargs)
        self._lock = asyncio.Lock()
        self.transactions = transactions
        self._txn: FakeSession | None = None
        self._txn_task: asyncio.Task[Any] | None = None
        self.closed = False
        self.operations = 0
        self.committed = 0
        self.aborted = 0
        self.transaction_options: dict[str, Any] = {}

    async def _call(self, fn: Callable[..., Any], *args: Any, session: Any = None, **kwargs: Any) -> Any:
        if self._txn is not None and session is self._txn:
            self.operations += 1  # inside the running transaction, which holds the lock
            return fn(*args, **kwargs)
        if self._txn is not None and self._txn_task is asyncio.current_task():
            raise RuntimeError("operation without session= inside a transaction")
        await asyncio.sleep(0)  # let other tasks run between operations, as a network round trip would
        async with self._lock:
            self.operations += 1
            return fn(*args, **kwargs)

    def start_session(self) -> FakeSession:
        if not self.transactions:
            raise NotImplementedError("this stand-in was created without transactions")
        return FakeSession(self)

    def _snapshot(self) -> list[tuple[Any, Any]]:
        return [(col, copy.deepcopy(col._documents))
                for db in self._sync._store._databases.values() for col in db._collections.values()]

    async def _transaction(self, session: FakeSession, callback: Callable[[Any], Awaitable[Any]]) -> Any:
        await asyncio.sleep(0)
        async with self._lock:
            snapshot = self._snapshot()
            self._txn, self._txn_task = session, asyncio.current_task()
            try:
                result = await callback(session)
            except BaseException:
                for col, documents in snapshot:
                    col._documents = documents
                self.aborted += 1
                raise
            finally:
                self._txn, self._txn_task = None, None
            self.committed += 1
            return result

    def __getitem__(self, name: str) -> AsyncDatabase:
        return self.get_database(name)

    def get_database(self, name: str, read_preference: Any = None, write_concern: Any = None) -> AsyncDatabase:
        return AsyncDatabase(self, self._sync[name], read_preference, write_concern)

    @property
    def admin(self) -> AsyncDatabase:
        return self.get_database("admin")

    async def drop_database(self, name: str) -> None:
        await self._call(self._sync.drop_database, name)

    async def list_database_names(self) -> list[str]:
        return await self._call(self._sync.list_database_names)

    async def close(self) -> None:
        self.closed = True
