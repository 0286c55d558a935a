"""A fake OpenAI-compatible speech-to-text service (`POST /v1/audio/transcriptions`) on 127.0.0.1.

It answers the transcript registered for the exact audio bytes, and records each request's model,
language and file, so a test can check what was sent.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from aiohttp import web

from tests.fakes.server import LoopbackServer


@dataclass
class FakeSpeechToText(LoopbackServer):
    api_key: str = "stt-key"
    transcripts: dict[bytes, str] = field(default_factory=dict)
    requests: list[dict[str, Any]] = field(default_factory=list)
    url: str = ""

    def build_app(self) -> web.Application:
        app = web.Application(client_max_size=25 * 1024 * 1024)
        app.router.add_post("/v1/audio/transcriptions", self._transcribe)
        return app

    async def _transcribe(self, request: web.Request) -> web.Response:
        if request.headers.get("Authorization") != f"Bearer {self.api_key}":
            return web.json_response({"error": {"message": "Incorrect API key"}}, status=401)
        form = await request.post()
        upload = form.get("file")
        if not isinstance(upload, web.FileField):
            return web.json_response({"error": {"message": "file is required"}}, status=400)
        audio = upload.file.read()
        upload.file.close()  # (aiohttp spools it to a temporary file: left open, a later test warns)
        self.requests.append({"model": form.get("model"), "language": form.get("language"),
                              "content_type": upload.content_type, "size": len(audio)})
        text = self.transcripts.get(audio)
        if text is None:
            return web.json_response({"error": {"message": "could not decode audio"}}, status=400)
        return web.json_response({"text": text})
