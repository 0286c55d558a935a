"""The NLU the bot talks to: the built-in engine (default) or a real Rasa server (`NLU_BACKEND=rasa`).

Both answer `await parse(text)` with Rasa's `/model/parse` result plus `opd`, our routing decision.
"""

from __future__ import annotations

import asyncio
import logging
from pathlib import Path
from typing import Any, Protocol

from bot.settings import Settings
from nlu.engine import NluEngine, model_is_stale, print_progress

logger = logging.getLogger(__name__)


class NluBackend(Protocol):
    async def parse(self, text: str) -> dict[str, Any]: ...
    async def close(self) -> None: ...


class BuiltinBackend:
    """The in-process engine; parsing takes well under a millisecond, so it runs inline."""

    name = "builtin"

    def __init__(self, engine: NluEngine) -> None:
        self.engine = engine

    async def parse(self, text: str) -> dict[str, Any]:
        return self.engine.parse(text)

    def use_routing(self, routing: dict[str, str]) -> None:
        """The directory was read again: route by its table from the next message on (no retraining)."""
        self.engine.with_routing(routing)

    async def close(self) -> None:
        return None


def ensure_model(settings: Settings, routing: dict[str, str]) -> NluEngine:
    """Load the model, training it first when it is missing or older than config.yml or the data."""
    path = Path(settings.nlu_model_path)
    if model_is_stale(path, settings.nlu_config, settings.nlu_data_dir):
        logger.info("NLU model missing or older than its data: training %s", path)
        engine = NluEngine.train(settings.nlu_config, settings.nlu_data_dir, routing, progress=print_progress)
        engine.save(path)
        return engine
    try:
        return NluEngine.load(path).with_routing(routing)
    except (ValueError, EOFError, AttributeError, ImportError) as exc:  # an old or broken model file
        logger.warning("NLU model %s unusable (%s); training again", path, exc)
        engine = NluEngine.train(settings.nlu_config, settings.nlu_data_dir, routing, progress=print_progress)
        engine.save(path)
        return engine


async def load_backend(settings: Settings, routing: dict[str, str]) -> NluBackend:
    if settings.nlu_backend == "rasa":
        from nlu.rasa_client import RasaBackend

        if not settings.rasa_url:
            raise ValueError("NLU_BACKEND=rasa needs RASA_URL (e.g. http://127.0.0.1:5005)")
        backend = RasaBackend(settings.rasa_url, routing)
        await backend.start()
        return backend
    engine = await asyncio.to_thread(ensure_model, settings, routing)
    return BuiltinBackend(engine)
