"""FAQ answers from the Rasa `responses:` of the NLU data: `utter_faq/<name>` -> {"id": ..., "en": ...}.

The Indonesian answer is the variation without a condition; the English one carries the slot
condition `language = en` (Rasa's conditional response variations), so real Rasa serves the same.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from nlu.training_data import load_training_data


def answers_from(responses: dict[str, list[dict[str, Any]]]) -> dict[str, dict[str, str]]:
    out: dict[str, dict[str, str]] = {}
    for name, variations in responses.items():
        if not name.startswith("utter_") or "/" not in name:
            continue
        key = name.removeprefix("utter_")
        texts: dict[str, str] = {}
        for variation in variations:
            lang = "id"
            for condition in variation.get("condition") or []:
                if condition.get("name") == "language":
                    lang = str(condition.get("value"))
            if variation.get("text") and lang not in texts:
                texts[lang] = str(variation["text"])
        if "id" in texts:
            out[key] = texts
    return out


def load_responses(data_dir: Path) -> dict[str, dict[str, str]]:
    return answers_from(load_training_data(Path(data_dir)).responses)
