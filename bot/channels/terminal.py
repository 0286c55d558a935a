"""The terminal chat: `python -m bot chat`. Reads lines, prints the bot's replies.

Interactive, it also prints replies that arrive later (an officer's answer) while you type;
with piped input it handles one message per line and prints every reply, so a whole
conversation can be scripted.
"""

from __future__ import annotations

import asyncio
import uuid
from typing import TYPE_CHECKING, TextIO

from bot.message import Message, Reply

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


class TerminalSession:
    """One person chatting through the terminal, as `channel:sender`."""

    def __init__(self, runtime: Runtime, channel: str = "webchat", sender: str = "terminal") -> None:
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
