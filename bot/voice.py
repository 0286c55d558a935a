"""Voice notes: transcribed by an OpenAI-compatible speech-to-text service, confirmed by the resident.

With STT_URL set (for example a self-hosted Whisper server), a voice note on WhatsApp or Telegram is
sent to `POST {STT_URL}/v1/audio/transcriptions`; the resident sees "Kami menangkap: ... Benar?" and,
on yes, the transcript is handled as if typed, with the audio kept with the complaint. Without it, the
resident is told how else to reach us.
"""

from __future__ import annotations

import dataclasses
import logging
import uuid
from typing import Any

import aiohttp

from bot.message import Attachment, Button, Message, Reply, utcnow
from bot.settings import Settings
from bot.store.base import Changes, Media, Store
from bot.texts import Texts

logger = logging.getLogger(__name__)

PENDING_KEY = "voice_pending:{}"
CONFIRM = "/suara_ya"
REJECT = "/suara_tidak"
VOICE_KINDS = ("voice", "audio")


class TranscriptionError(Exception):
    """The speech-to-text service did not give a transcript."""


class Transcriber:
    """Client of an OpenAI-compatible `/v1/audio/transcriptions` endpoint."""

    def __init__(self, url: str, model: str, api_key: str | None, language: str = "id", timeout: float = 60.0) -> None:
        self.url = url.rstrip("/")
        self.model = model
        self.api_key = api_key
        self.language = language
        self.timeout = timeout

    async def transcribe(self, data: bytes, mime: str | None) -> str:
        form = aiohttp.FormData()
        form.add_field("file", data, filename="voice.ogg", content_type=mime or "audio/ogg")
        form.add_field("model", self.model)
        form.add_field("language", self.language)
        form.add_field("response_format", "json")
        headers = {"Authorization": f"Bearer {self.api_key}"} if self.api_key else {}
        try:
            async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=self.timeout)) as http, \
                    http.post(f"{self.url}/v1/audio/transcriptions", data=form, headers=headers) as resp:
                if resp.status != 200:
                    raise TranscriptionError(f"speech-to-text answered {resp.status}")
                body: Any = await resp.json(content_type=None)
        except (TimeoutError, aiohttp.ClientError, ValueError) as exc:
            raise TranscriptionError(f"speech-to-text unreachable: {type(exc).__name__}") from exc
        text = body.get("text") if isinstance(body, dict) else None
        if not isinstance(text, str):
            raise TranscriptionError("speech-to-text answer without text")
        return " ".join(text.split())


class VoiceNotes:
    """What the message gate does with voice notes: transcribe and ask, or explain; apply the answer."""

    def __init__(self, settings: Settings, store: Store, texts: Texts) -> None:
        self.store = store
        self.texts = texts
        self.transcriber = (Transcriber(settings.stt_url, settings.stt_model, settings.stt_api_key)
                            if settings.stt_url else None)

    @staticmethod
    def voice_of(message: Message) -> Attachment | None:
        return next((a for a in message.attachments if a.kind in VOICE_KINDS), None)

    async def intercept(self, message: Message) -> list[Reply] | None:
        """Replies for a voice note (the question or the explanation); None when the message is not one."""
        voice = self.voice_of(message)
        if voice is None or message.text.strip():
            return None
        if self.transcriber is None or not voice.data:
            return [Reply(self.texts.get("voice_unavailable"))]
        try:
            transcript = await self.transcriber.transcribe(voice.data, voice.mime)
        except TranscriptionError as exc:
            logger.warning("voice note from %s not transcribed: %s", message.channel, exc)
            return [Reply(self.texts.get("voice_failed"))]
        if not transcript:
            return [Reply(self.texts.get("voice_failed"))]
        media = Media(id=uuid.uuid4().hex, mime=voice.mime or "audio/ogg", data=voice.data, created_at=utcnow())
        await self.store.commit(Changes(media=[media]))
        await self.store.set_value(PENDING_KEY.format(message.identity), {"text": transcript, "audio": media.id,
                                                                          "mime": media.mime})
        buttons = (Button(self.texts.get("voice_yes"), CONFIRM), Button(self.texts.get("voice_no"), REJECT))
        return [Reply(self.texts.get("voice_heard", text=transcript), buttons)]

    async def answer(self, message: Message) -> Message | list[Reply] | None:
        """The confirmed transcript as the message (audio attached by its stored id), or the 'say it again' reply."""
        text = message.text.strip().lower()
        if text not in (CONFIRM, REJECT):
            return None
        key = PENDING_KEY.format(message.identity)
        pending = await self.store.get_value(key)
        if pending is not None and not await self.store.set_value_if(key, pending, None):
            pending = None  # answered at the same moment through another worker: that one files it
        if not isinstance(pending, dict) or text == REJECT:
            return [Reply(self.texts.get("voice_again"))]
        audio = Attachment(kind="voice", mime=pending.get("mime"), ref=f"media:{pending.get('audio')}")
        return dataclasses.replace(message, text=str(pending["text"]), attachments=(audio,))
