"""The officers' web desk and the regent's oversight dashboard: server-rendered pages on the same service."""

from bot.desk.views import Desk

__all__ = ["Desk"]
