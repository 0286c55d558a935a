"""Rasa's HTTP API for NLU, served by the bot: `POST /model/parse` with `{"text": ...}`.

Tools built for Rasa (rasa-x style testers, scripts) can query the bot's NLU unchanged.
"""

from __future__ import annotations

from typing import Any, Protocol

from aiohttp import web


class _Parser(Protocol):
    async def parse(self, text: str) -> dict[str, Any]: ...


MAX_TEXT = 20000


def routes(backend: _Parser) -> list[web.AbstractRouteDef]:
    async def parse(request: web.Request) -> web.Response:
        try:
            body = await request.json()
        except ValueError:
            return web.json_response({"status": "failure", "reason": "BadRequest",
                                      "message": "Request body must be JSON like {\"text\": \"...\"}"}, status=400)
        text = body.get("text") if isinstance(body, dict) else None
        if not isinstance(text, str):
            return web.json_response({"status": "failure", "reason": "BadRequest",
                                      "message": "Field `text` (a string) is required"}, status=400)
        result = await backend.parse(text[:MAX_TEXT])
        if isinstance(body, dict) and body.get("message_id"):
            result["message_id"] = body["message_id"]
        return web.json_response(result)

    async def status(request: web.Request) -> web.Response:
        return web.json_response({"model_file": "warga-nlu", "fingerprint": {}, "num_active_training_jobs": 0})

    return [web.post("/model/parse", parse), web.get("/status", status)]
