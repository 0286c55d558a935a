"""YAML reading with libyaml's parser when PyYAML has it (about ten times faster than the pure-Python one).

Every start reads the texts, the directory and the training examples (for the FAQ answers): with the
pure-Python parser that was two seconds of each start on a small machine. Same results, same errors
(`yaml.YAMLError`); falls back to the pure-Python loader where PyYAML was built without libyaml.
"""

from __future__ import annotations

from typing import Any

import yaml

SafeLoader: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def safe_load(text: str) -> Any:
    """`yaml.safe_load`, with the C parser when there is one."""
    return yaml.load(text, Loader=SafeLoader)  # noqa: S506 - a safe loader
