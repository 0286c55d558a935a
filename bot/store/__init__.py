"""Storage: the protocol in `base`, SQLite (default) in `sqlite`, MongoDB in `mongo`."""

from __future__ import annotations

from bot.settings import Settings
from bot.store.base import Store


def create_store(settings: Settings) -> Store:
    """MongoDB when MONGODB_URL is set, otherwise the SQLite file under the data directory."""
    if settings.mongodb_url:
        from bot.store.mongo import MongoStore

        return MongoStore(settings.mongodb_url, settings.mongodb_db)
    from bot.store.sqlite import SqliteStore

    return SqliteStore(settings.sqlite_path)
