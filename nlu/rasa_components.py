"""Our custom Rasa components, so real Rasa trains the very same `config.yml` as the built-in engine.

Real Rasa imports `nlu.rasa_components.IndonesianChatNormalizer` (the repo root is on PYTHONPATH in
scripts/rasa/). The built-in engine maps the same name to its own class (nlu/engine.py); both call
`nlu.normalise.normalise`. Importing this module needs Rasa, so the bot itself never imports it.
"""

import pickle
from pathlib import Path
from typing import Any  # noqa: UP035 - Rasa's graph validation compares these types

import yaml
from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.constants import ENTITIES, INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from nlu.normalise import SLANG, normalise
from nlu.router import DEFAULTS as ROUTER_DEFAULTS
from nlu.router import RoutingModel, agencies_of

# Set by the normaliser: the text as the resident wrote it (entity positions refer to it).
ORIGINAL_TEXT = "warga_original_text"


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
            # The router reads the original around an entity (a name inside a web address is no agency).
            message.set(ORIGINAL_TEXT, text)
            message.set(TEXT, normalise(text, self.table))

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        for message in training_data.training_examples:
            self._apply(message)
        return training_data

    def process(self, messages: list[Message]) -> list[Message]:
        for message in messages:
            self._apply(message)
        return messages


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=True)
class ComplaintRouter(GraphComponent):
    """Gate, complaint-only topic model, OPD sums, calibration and agency override (nlu/router.py).

    Sets Rasa's `intent` and `intent_ranking`, and adds `opd` (the routing decision) and `gate` to the
    `/model/parse` output. The routing table is read from `directory` (content/directory.yml) when
    the model is loaded, so re-routing a topic there needs no retraining.
    """

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        return {**ROUTER_DEFAULTS, "directory": "content/directory.yml"}

    def __init__(self, config: dict[str, Any], model_storage: ModelStorage, resource: Resource,
                 model: RoutingModel | None = None) -> None:
        self.config = config
        self.model_storage = model_storage
        self.resource = resource
        self.model = model
        self.routing = _routing_table(Path(str(config.get("directory") or "content/directory.yml")))

    @classmethod
    def create(cls, config: dict[str, Any], model_storage: ModelStorage, resource: Resource,
               execution_context: ExecutionContext) -> "ComplaintRouter":
        return cls(config, model_storage, resource)

    @classmethod
    def load(cls, config: dict[str, Any], model_storage: ModelStorage, resource: Resource,
             execution_context: ExecutionContext, **kwargs: Any) -> "ComplaintRouter":
        with model_storage.read_from(resource) as directory:
            with (directory / "router.pkl").open("rb") as fh:
                model = pickle.load(fh)  # noqa: S301 - our own model file, written by `train`
        return cls(config, model_storage, resource, model)

    def train(self, training_data: TrainingData) -> Resource:
        examples = [m for m in training_data.intent_examples if m.get(TEXT)]
        self.model = RoutingModel({k: v for k, v in self.config.items() if k in ROUTER_DEFAULTS}).fit(
            [m.get(TEXT) for m in examples], [str(m.get(INTENT)) for m in examples], self.routing)
        with self.model_storage.write_to(self.resource) as directory:
            with (directory / "router.pkl").open("wb") as fh:
                pickle.dump(self.model, fh, protocol=pickle.HIGHEST_PROTOCOL)
        return self.resource

    def process(self, messages: list[Message]) -> list[Message]:
        if self.model is None or not messages:
            return messages
        texts = [str(m.get(TEXT) or "") for m in messages]
        named = [agencies_of(m.get(ENTITIES) or [], m.get(ORIGINAL_TEXT)) for m in messages]
        predictions = self.model.predict(texts, self.routing, named)
        for message, p in zip(messages, predictions, strict=False):
            ranking = [i.to_dict() for i in p.intent_ranking]
            message.set(INTENT, ranking[0] if ranking else {"name": None, "confidence": 0.0}, add_to_output=True)
            message.set(INTENT_RANKING_KEY, ranking, add_to_output=True)
            message.set("opd", p.routing.to_dict() if p.routing else None, add_to_output=True)
            message.set("gate", p.gate, add_to_output=True)
        return messages

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        return training_data


def _routing_table(path: Path) -> dict[str, str]:
    if not path.exists():
        return {}
    content = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    return {str(k): str(v) for k, v in (content.get("routing") or {}).items()}
