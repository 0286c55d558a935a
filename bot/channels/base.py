"""The base every channel implements: translate a platform's format to `Message`, and `Reply` back.

A channel holds no NLU and no business rules. Inbound, it turns a platform delivery into a
`Message` and awaits the `handler` it was built with, which returns the replies to send now.
Outbound pushes (an officer's answer that arrives later) come through the outbox, which calls
`send`. Every outbound base URL comes from settings, so tests point it at a fake on loopback.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from typing import ClassVar

from aiohttp import web

from bot.message import Message, Reply

Handler = Callable[[Message], Awaitable[list[Reply]]]


class Channel:
    """One messaging platform. Subclasses set `name` and override what they support."""

    name: ClassVar[str] = ""
    # Download voice notes so speech-to-text can hear them (only when STT_URL is set: bot/voice.py).
    fetch_voice: bool = False
    # Files a resident sends that we fetch and keep: photos up to WARGA_MAX_PHOTO_BYTES, other files (voice
    # notes) up to what the store keeps in one record. Bigger ones are marked `too_large`, never fetched.
    max_photo_bytes: int = 5 * 1024 * 1024
    max_file_bytes: int = 16 * 1024 * 1024

    def __init__(self, handler: Handler) -> None:
        self.handler = handler

    @property
    def state(self) -> str:
        """What /healthz says of this channel: "ok", or why it cannot work yet (e.g. "connecting")."""
        return "ok"

    def routes(self) -> list[web.AbstractRouteDef]:
        """HTTP routes (webhooks) this channel serves inside the main aiohttp app."""
        return []

    async def start(self) -> None:
        """Begin receiving (e.g. start polling). Called once the app is up."""

    async def stop(self) -> None:
        """Stop receiving and release connections."""

    async def send(self, recipient_id: str, replies: Sequence[Reply]) -> None:
        """Deliver replies to `recipient_id` (the sender id on this channel).

        Raises bot.errors.RetryableError or PermanentError; the outbox decides what follows.
        """
        raise NotImplementedError

    async def deliver(self, recipient_id: str, replies: Sequence[Reply], key: str) -> None:
        """An outbox delivery, with the job's idempotency key.

        A channel that keeps replies in the store rather than sending them out (the web chat mailbox)
        records each one under the key, so a delivery retried after a crash lands once. A platform
        without idempotency keys (Telegram, WhatsApp) cannot do that: a crash between its answer and
        the outbox's record sends that one message again (docs/mongodb.md, "Exactly once").
        """
        await self.send(recipient_id, replies)
