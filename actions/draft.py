"""A complaint being written, as a typed value kept in the conversation's state between messages.

Stored under `state["draft"]` as a plain mapping; conversations saved by earlier versions keep it
under `state["c"]` with the same keys, and load the same way (a resident mid-flow during an upgrade
goes on where they were).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field, fields
from typing import Any

DRAFT_KEY = "draft"
LEGACY_KEY = "c"


@dataclass
class ComplaintDraft:
    """What the resident has told so far about one complaint."""

    text: str = ""
    topic: str | None = None
    opd: str | None = None
    confidence: float | None = None
    routed_by: str = "nlu"
    ranking: list[list[Any]] = field(default_factory=list)  # [[topic, confidence], ...] best first
    media: list[str] = field(default_factory=list)
    audio: list[str] = field(default_factory=list)
    location: dict[str, Any] | None = None
    privacy: str | None = None
    # Said at the topic question, for a later step: "I don't have a photo" (the photo step is skipped once) and
    # "please keep my name anonymous" (taken at the privacy step).
    no_photo: bool = False
    early_privacy: str | None = None
    photo_promised: bool = False  # "nanti fotonya nyusul" at the topic question: the photo step says where it goes
    both: bool = False  # "dua duanya": the message tells of two problems, and the resident wants each reported
    # "alamatnya belum tahu, nanti saya tanya pak RT dulu" at the place question: the place comes later, and a place
    # sent after the draft went idle is still its answer (bot/dialogue.py, _draft_aside)
    place_later: bool = False
    suggestion: bool = False  # a suggestion (aspirasi), not a complaint: "usul pak", then what it is
    urgent: bool = False  # an urgent need told (a family without food): filed as urgent, the regent alerted
    # "mau lapor jalan berlubang": the topic named with the wish, read with the words that tell the rest
    named: str = ""
    begun: str | None = None  # when it was begun (ISO), for "the complaint you started on …" (bot/dialogue.py)

    @classmethod
    def from_dict(cls, data: dict[str, Any] | None) -> ComplaintDraft:
        """Read a stored draft (either shape); unknown keys from other versions are ignored."""
        data = data or {}
        known = {f.name for f in fields(cls)}
        values = {k: v for k, v in data.items() if k in known and v is not None}
        draft = cls(**values)
        draft.media = list(draft.media or [])
        draft.audio = list(draft.audio or [])
        draft.ranking = [list(pair) for pair in draft.ranking or [] if isinstance(pair, (list, tuple)) and pair]
        return draft

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def load(cls, state: dict[str, Any]) -> ComplaintDraft:
        """The draft of this conversation (a new, empty one when there is none)."""
        stored = state.get(DRAFT_KEY)
        if stored is None:
            stored = state.get(LEGACY_KEY)
        return cls.from_dict(stored if isinstance(stored, dict) else None)

    def save(self, state: dict[str, Any]) -> None:
        state[DRAFT_KEY] = self.to_dict()
        state.pop(LEGACY_KEY, None)


def drop(state: dict[str, Any]) -> None:
    """Forget the draft (both shapes)."""
    state.pop(DRAFT_KEY, None)
    state.pop(LEGACY_KEY, None)
