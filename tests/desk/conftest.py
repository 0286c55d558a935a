"""The store fixture of the store contract suite (SQLite and the MongoDB stand-ins) for the desk tests."""

from tests.store.conftest import backend, store  # noqa: F401
