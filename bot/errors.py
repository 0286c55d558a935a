"""Typed failures of outside calls: the outbox retries the first kind and dead-letters the second."""

from __future__ import annotations


class DeliveryError(Exception):
    """Sending to an outside system failed."""


class RetryableError(DeliveryError):
    """Try again later: timeouts, dropped connections, 429, 5xx. `retry_after` in seconds if known."""

    def __init__(self, reason: str, retry_after: float | None = None) -> None:
        super().__init__(reason)
        self.retry_after = retry_after


class NotYetError(DeliveryError):
    """Not this job's turn yet (it waits for another job to go through first): the outbox gives it back for a
    while without counting an attempt."""


class PermanentError(DeliveryError):
    """Do not retry: the request itself is wrong (most 4xx) or the recipient cannot be reached."""


class TooLargeError(PermanentError):
    """A file a resident sent is bigger than we accept; `size` in bytes as the platform reported it."""

    def __init__(self, reason: str, size: int) -> None:
        super().__init__(reason)
        self.size = size


class OutsideWindowError(PermanentError):
    """WhatsApp: the 24-hour customer-service window is closed; a template must be sent instead."""
