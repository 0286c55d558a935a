"""The terminal chat: `python -m bot chat`. Reads lines, prints the bot's replies.

It is a channel of its own (`terminal`), so nobody at a terminal speaks as a web chat visitor.
Interactive, it also prints replies that arrive later (an officer's answer) while you type;
with piped input it handles one message per line and prints every reply, so a whole
conversation can be scripted.
"""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Sequence
from typing import TYPE_CHECKING, TextIO

from bot.channels.base import Channel
from bot.message import Message, Reply, utcnow
from bot.store.base import Store

if TYPE_CHECKING:
    from bot.app import Runtime

PROMPT = "anda> "


def format_reply(reply: Reply) -> str:
    lines = [f"bot> {reply.text}"]
    if reply.image:
        lines.append(f"     [gambar: {reply.image}]")
    for button in reply.buttons:
        lines.append(f"     [{button.title}] → {button.payload}")
    return "\n".join(lines)


async def _no_inbound(message: Message) -> list[Reply]:
    raise RuntimeError("the terminal channel has no inbound webhook; TerminalSession calls the dialogue")


class TerminalChannel(Channel):
    """Replies pushed later to a terminal identity wait in the store's mailbox until the session prints them."""

    name = "terminal"

    def __init__(self, store: Store) -> None:
        super().__init__(_no_inbound)
        self.store = store

    async def send(self, recipient_id: str, replies: Sequence[Reply]) -> None:
        now = utcnow()
        for reply in replies:
            await self.store.mailbox_add(f"{self.name}:{recipient_id}", reply.to_dict(), now)


class TerminalSession:
    """One person chatting through the terminal, as `terminal:sender`."""

    def __init__(self, runtime: Runtime, channel: str = TerminalChannel.name, sender: str = "terminal") -> None:
        self.runtime = runtime
        self.channel = channel
        self.sender = sender
        self._cursor = 0

    async def _print_pushed(self, out: TextIO) -> None:
        store = self.runtime.services.store
        for item_id, reply in await store.mailbox_after(f"{self.channel}:{self.sender}", self._cursor):
            self._cursor = item_id
            print(format_reply(Reply.from_dict(reply)), file=out, flush=True)

    async def _skip_old_pushes(self) -> None:
        store = self.runtime.services.store
        while items := await store.mailbox_after(f"{self.channel}:{self.sender}", self._cursor, limit=500):
            self._cursor = items[-1][0]

    async def send(self, text: str) -> list[Reply]:
        message = Message(channel=self.channel, sender_id=self.sender, text=text, message_id=uuid.uuid4().hex)
        return await self.runtime.dialogue.handle(message)

    async def run(self, stdin: TextIO, out: TextIO, interactive: bool) -> None:
        loop = asyncio.get_running_loop()
        await self._skip_old_pushes()
        if interactive:
            print("Ketik pesan Anda (Ctrl-D untuk keluar).", file=out, flush=True)
        while True:
            if interactive:
                print(PROMPT, end="", file=out, flush=True)
            line = await loop.run_in_executor(None, stdin.readline)
            if not line:
                break
            text = line.rstrip("\n")
            if not interactive:
                print(f"{PROMPT}{text}", file=out, flush=True)
            for reply in await self.send(text):
                print(format_reply(reply), file=out, flush=True)
            await self._print_pushed(out)
        await asyncio.sleep(0.3)  # give the outbox a moment so pushes to this sender are shown
        await self._print_pushed(out)
