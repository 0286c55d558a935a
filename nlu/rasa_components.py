"""Our custom Rasa component, so real Rasa trains the very same `config.yml` as the built-in engine.

Real Rasa imports `nlu.rasa_components.IndonesianChatNormalizer` (the repo root is on PYTHONPATH in
scripts/rasa/). The built-in engine maps the same name to its own class (nlu/engine.py); both call
`nlu.normalise.normalise`. Importing this module needs Rasa, so the bot itself never imports it.
"""

from typing import Any  # noqa: UP035 - Rasa's graph validation compares these types

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.constants import TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from nlu.normalise import SLANG, normalise


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.MESSAGE_FEATURIZER], is_trainable=False)
class IndonesianChatNormalizer(GraphComponent):
    """Rewrites the message text to normalised Indonesian before the tokenizer sees it."""

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        return {"extra_slang": {}}

    def __init__(self, config: dict[str, Any]) -> None:
        extra = config.get("extra_slang") or {}
        self.table = {**SLANG, **extra} if extra else None

    @classmethod
    def create(cls, config: dict[str, Any], model_storage: ModelStorage, resource: Resource,
               execution_context: ExecutionContext) -> "IndonesianChatNormalizer":
        return cls(config)

    def _apply(self, message: Message) -> None:
        text = message.get(TEXT)
        if isinstance(text, str) and text:
            message.set(TEXT, normalise(text, self.table))

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        for message in training_data.training_examples:
            self._apply(message)
        return training_data

    def process(self, messages: list[Message]) -> list[Message]:
        for message in messages:
            self._apply(message)
        return messages
