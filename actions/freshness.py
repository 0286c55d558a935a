"""Buttons that answer a question carry a short mark of that question, so an old message's button cannot answer
the question asked now.

Telegram keeps every inline keyboard on screen and the web chat keeps its buttons; WhatsApp lets a resident tap
a button of an earlier message. Without a mark, "Ya" under "Lampu jalan → Dishub, benar?" confirmed the
*current* draft about rubbish, and "Batal" under an old question threw away a finished summary. So the payload
of a button that answers a flow's question (`btn:yes`, `topic:...`, `privacy:...`) is sent as `btn:yes#3fa2`,
where the mark is a hash of the question the conversation is at after the turn (flow, step, proposed topic,
offered topics). A tap whose mark is not the current question's is answered "that button is from an earlier
message" and the current question is asked again. The same question asked again keeps its mark, so its
earlier buttons still work. Payloads without a mark (typed, or sent before marks existed) are not checked.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import re
from collections.abc import Iterable, Mapping
from typing import Any

from actions import understand as u
from bot.message import Button, Reply

# Button codes that answer the question being asked (not menu items, FAQ links or ticket-bound answers, which
# carry what they are about in themselves).
ANSWER_CODES = frozenset({u.YES, u.NO, u.CHANGE_TOPIC, u.CHANGE_PLACE, u.ALL_TOPICS, u.SKIP, u.NEXT, u.SEND, u.EDIT,
                          u.CANCEL})
ANSWER_PREFIXES = (u.TOPIC_PREFIX, u.PRIVACY_PREFIX)
_MARKED = re.compile(r"^(.+)#([0-9a-f]{4})$", re.DOTALL)


def answers_question(payload: str) -> bool:
    return payload in ANSWER_CODES or payload.startswith(ANSWER_PREFIXES)


def question_mark(state: Mapping[str, Any]) -> str:
    """Four hex digits naming the question the conversation is at."""
    draft = state.get("draft") if isinstance(state.get("draft"), dict) else {}
    question = [state.get("flow"), state.get("step"), (draft or {}).get("topic"), state.get("choices"),
                state.get("topic_list")]
    digest = hashlib.sha1(json.dumps(question, sort_keys=True, default=str).encode("utf-8")).hexdigest()
    return digest[:4]


def mark(replies: Iterable[Reply], state: Mapping[str, Any]) -> list[Reply]:
    """The replies with the current question's mark on every button that answers it."""
    current = question_mark(state)
    out = []
    for reply in replies:
        if any(answers_question(b.payload) for b in reply.buttons):
            buttons = tuple(Button(b.title, f"{b.payload}#{current}") if answers_question(b.payload) else b
                            for b in reply.buttons)
            reply = dataclasses.replace(reply, buttons=buttons)
        out.append(reply)
    return out


def unmark(text: str) -> tuple[str, str | None]:
    """A tapped payload without its mark, and the mark (None for typed text and unmarked payloads)."""
    found = _MARKED.match(text.strip())
    if not found or not answers_question(found.group(1).lower()):
        return text, None
    return found.group(1), found.group(2)


def is_stale(state: Mapping[str, Any], tapped: str | None) -> bool:
    """The tapped button belongs to a question other than the one the conversation is at."""
    return tapped is not None and tapped != question_mark(state)
