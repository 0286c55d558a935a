"""The NLU's answer as types: intent, ranking, entities and the routing decision (`opd`).

`ParseResult.to_dict()` is Rasa's `/model/parse` shape plus `opd`; `ParseResult.from_dict()` reads
that shape back (from a real Rasa server, or from a stored parse), so callers never probe nested
dicts themselves.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

GATE_COMPLAINT = "complaint"
GATE_FAQ = "faq"
GATE_CHAT = "chat"


@dataclass(frozen=True)
class IntentScore:
    """One intent and its confidence."""

    name: str | None
    confidence: float

    def to_dict(self) -> dict[str, Any]:
        return {"name": self.name, "confidence": self.confidence}


@dataclass(frozen=True)
class OpdScore:
    """One OPD in the routing ranking: its summed probability and its most likely topic."""

    id: str
    topic: str
    confidence: float

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "topic": self.topic, "confidence": self.confidence}


@dataclass(frozen=True)
class RoutingDecision:
    """Where a complaint goes: OPD id, topic, calibrated confidence, ranked alternatives, and why.

    `by` is "model" (the topic model's summed OPD probability) or "agency" (the resident named it).
    """

    topic: str
    id: str
    confidence: float
    ranking: tuple[OpdScore, ...] = ()
    by: str = "model"

    def to_dict(self) -> dict[str, Any]:
        return {"topic": self.topic, "id": self.id, "confidence": self.confidence, "by": self.by,
                "ranking": [o.to_dict() for o in self.ranking]}

    @classmethod
    def from_dict(cls, data: dict[str, Any] | None) -> RoutingDecision | None:
        if not data or not data.get("topic") or not data.get("id"):
            return None
        ranking = tuple(OpdScore(str(o["id"]), str(o.get("topic") or ""), float(o.get("confidence") or 0.0))
                        for o in data.get("ranking") or [] if isinstance(o, dict) and o.get("id"))
        return cls(str(data["topic"]), str(data["id"]), float(data.get("confidence") or 0.0), ranking,
                   str(data.get("by") or "model"))

    def suggestions(self, limit: int = 3) -> list[OpdScore]:
        """The most likely OPDs, best first (the decision itself first when the ranking is empty)."""
        return list(self.ranking[:limit]) or [OpdScore(self.id, self.topic, self.confidence)]


@dataclass
class ParseResult:
    """What a message means: Rasa's parse result plus our routing decision and the gate's verdict."""

    text: str
    intent: IntentScore
    intent_ranking: list[IntentScore] = field(default_factory=list)
    entities: list[dict[str, Any]] = field(default_factory=list)
    response_selector: dict[str, Any] | None = None
    routing: RoutingDecision | None = None
    gate: str | None = None

    @property
    def intent_name(self) -> str | None:
        return self.intent.name

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "text": self.text,
            "intent": self.intent.to_dict(),
            "entities": self.entities,
            "intent_ranking": [i.to_dict() for i in self.intent_ranking],
        }
        if self.response_selector is not None:
            out["response_selector"] = self.response_selector
        out["opd"] = self.routing.to_dict() if self.routing else None
        if self.gate is not None:
            out["gate"] = self.gate
        return out

    @classmethod
    def from_dict(cls, data: dict[str, Any] | None) -> ParseResult:
        data = data or {}
        intent = data.get("intent") or {}
        return cls(
            text=str(data.get("text") or ""),
            intent=IntentScore(intent.get("name"), float(intent.get("confidence") or 0.0)),
            intent_ranking=[IntentScore(str(r.get("name")), float(r.get("confidence") or 0.0))
                            for r in data.get("intent_ranking") or [] if isinstance(r, dict)],
            entities=list(data.get("entities") or []),
            response_selector=data.get("response_selector"),
            routing=RoutingDecision.from_dict(data.get("opd")),
            gate=data.get("gate"),
        )
