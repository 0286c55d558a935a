"""The dialogue: one message in, replies out, with the conversation's state kept in the store.

Order of concerns for each message: who sent it and what they were doing (identity, state),
what they meant (commands and button payloads first, then flows, then NLU), what it changes
(collected in one `Changes`), and only after that is durably committed, the replies.
"""

from __future__ import annotations

import asyncio
import logging
import re
import weakref
from typing import Any

from actions import complaint, letters, officer, on_behalf, resident
from actions.base import STAFF_ROLES, Command, Services, Turn, find_ticket_number
from bot.message import Message, Reply
from bot.store.base import ROLE_REGENT, ROLE_RESIDENT, Conversation, Identity, retry_conflicts

logger = logging.getLogger(__name__)

HISTORY_LENGTH = 10
NLU_MAX_CHARS = 1000
REPLY_MODE_DAYS = 14
_LETTER = re.compile(r"[^\W\d_]", re.UNICODE)
_CANCEL_WORDS = frozenset(
    {"batal", "cancel", "stop", "gak jadi", "ga jadi", "nggak jadi", "tidak jadi", "mboten sido", "ora sido"}
)
_HELP_WORDS = frozenset({"bantuan", "help", "tolong", "?", "panduan"})
_MENU_WORDS = frozenset({"menu", "mulai", "start", "/start", "/menu", "kembali"})
_NEW_COMPLAINT_WORDS = frozenset({"aduan baru", "new complaint", "lapor baru"})
# Intents that are answered normally even while a resident has an officer's message to answer.
_NOT_AN_ANSWER = frozenset({"greet", "help", "cancel", "check_status", "faq", "talk_to_regent", "goodbye", "thanks"})
ATTACHMENT_TEXT_KEYS = {
    "voice": "kind_voice",
    "audio": "kind_audio",
    "video": "kind_video",
    "sticker": "kind_sticker",
    "document": "kind_document",
}
# Ids (and replies) of the last messages handled per conversation: a redelivery of any of them is
# answered from here. Redeliveries come within minutes; one person sends far fewer messages meanwhile.
HANDLED_KEY = "handled"
HANDLED_LENGTH = 20


def registry() -> dict[str, Command]:
    """Every slash command by name, from the action modules."""
    commands: list[Command] = [*resident.COMMANDS, *officer.COMMANDS, *letters.COMMANDS, *on_behalf.COMMANDS]
    try:
        from actions import regent
    except ImportError:  # the regent's commands are optional in a minimal install
        regent = None  # type: ignore[assignment]
    if regent is not None:
        commands.extend(getattr(regent, "COMMANDS", []))
    return {c.name: c for c in commands}


_FLOW_PAYLOADS = frozenset({"ya", "ganti topik", "lewati", "lanjut", "kirim"})
_FLOW_PREFIXES = ("topik:", "privasi:", "nilai:")


def _is_flow_payload(text: str) -> bool:
    lowered = text.strip().lower()
    return lowered in _FLOW_PAYLOADS or lowered.startswith(_FLOW_PREFIXES)


class Dialogue:
    """Handles messages from every channel the same way."""

    def __init__(self, services: Services, detector: Any | None = None) -> None:
        self.services = services
        self.detector = detector
        self.commands = registry()
        self._locks: weakref.WeakValueDictionary[str, asyncio.Lock] = weakref.WeakValueDictionary()
        self._retrying = asyncio.Lock()  # second and later tries after a write conflict, one at a time

    def _lock(self, key: str) -> asyncio.Lock:
        lock = self._locks.get(key)
        if lock is None:
            lock = asyncio.Lock()
            self._locks[key] = lock
        return lock

    async def handle(self, message: Message) -> list[Reply]:
        """Handle one message; returns the replies to send to its chat now.

        Idempotent by channel message id: the commit that applies a message's effects also records its
        id and replies in the conversation, so a redelivery (platform retry, replay after a crash, a
        second worker) changes nothing and gets the same replies. A write that meets a concurrent writer
        (this conversation, or a ticket another officer just changed) is redone on fresh data.
        """
        lock = self._lock(message.identity)
        async with lock:
            return await retry_conflicts(lambda: self._handle_once(message), serialise=self._retrying)

    @staticmethod
    def _handled_id(message: Message) -> str | None:
        """The id a redelivery of this message carries (platform ids are unique per chat)."""
        if not message.message_id:
            return None
        return f"{message.chat_id}/{message.message_id}" if message.chat_id else message.message_id

    async def _handle_once(self, message: Message) -> list[Reply]:
        s = self.services
        now = s.clock()
        key = message.identity
        stored_identity = await s.store.get_identity(key)
        identity = stored_identity or Identity(
            key=key, channel=message.channel, sender_id=message.sender_id, name=message.sender_name, created_at=now
        )
        if identity.role == ROLE_RESIDENT and key in s.directory.regent_identities:
            identity.role = ROLE_REGENT  # the directory names the regent's identities; no enrolment needed
        stored = await s.store.get_conversation(key)
        handled_id = self._handled_id(message)
        if stored is not None and handled_id is not None:
            for entry in stored.state.get(HANDLED_KEY) or ():
                if entry.get("id") == handled_id:
                    logger.info("message %s was handled before; its replies are given again", handled_id)
                    return [Reply.from_dict(r) for r in entry.get("replies") or ()]
        conv = stored.copy() if stored else Conversation(key=key, lang=identity.lang)
        turn = Turn(services=s, message=message, identity=identity, conv=conv, now=now)
        conv.last_inbound_at = now
        history: list[dict[str, Any]] = conv.state.setdefault("history", [])
        history.append(
            {
                "at": now.isoformat(),
                "text": message.text,
                "id": message.message_id,
                "attachments": [a.kind for a in message.attachments],
                "location": message.location.to_dict() if message.location else None,
            }
        )
        del history[:-HISTORY_LENGTH]

        self._detect_language(turn)
        await self._dispatch(turn)

        if (
            stored_identity is None
            or identity.lang != turn.lang
            or (message.sender_name and identity.name != message.sender_name)
        ):
            identity.lang = turn.lang
            identity.name = message.sender_name or identity.name
            if not any(i.key == identity.key for i in turn.changes.identities):
                turn.changes.identities.append(identity)
        if not turn.replies and not self._is_group(message):
            turn.replies.append(Reply(turn.t("fallback"), turn.menu_buttons()))
        if handled_id is not None:
            handled: list[dict[str, Any]] = conv.state.setdefault(HANDLED_KEY, [])
            handled.append({"id": handled_id, "replies": [r.to_dict() for r in turn.replies]})
            del handled[:-HANDLED_LENGTH]
        turn.changes.conversation = conv
        await s.store.commit(turn.changes)
        if turn.changes.jobs:
            s.wake_outbox()
        return turn.replies

    @staticmethod
    def _is_group(message: Message) -> bool:
        return bool(message.chat_id) and message.chat_id != message.sender_id

    def _detect_language(self, turn: Turn) -> None:
        text = turn.message.text.strip()
        if self.detector is None or not text or text.startswith("/") or ":" in text.split(" ", 1)[0]:
            return
        try:
            turn.conv.lang = self.detector.detect(text[:NLU_MAX_CHARS], previous=turn.conv.lang)
        except Exception:  # language detection must never stop a message
            logger.exception("language detection failed")

    async def _parse(self, turn: Turn) -> dict[str, Any]:
        if turn.nlu is None:
            text = turn.message.text.strip()[:NLU_MAX_CHARS]
            turn.nlu = await self.services.nlu.parse(text) if text else {"intent": {"name": None, "confidence": 0.0}}
        return turn.nlu

    # --- dispatch -------------------------------------------------------------------------------
    async def _dispatch(self, turn: Turn) -> None:
        message = turn.message
        text = message.text.strip()
        limit = self.services.settings.max_message_chars
        if len(text) > limit:
            turn.say("too_long", length=f"{len(text):,}".replace(",", "."), limit=f"{limit:,}".replace(",", "."))
            return
        if self._is_group(message) and not text.startswith("/") and not message.reply_to:
            return  # group chatter not meant for the bot

        unsupported = [a for a in message.attachments if a.kind != "photo"]
        if unsupported and not text and not any(a.kind == "photo" for a in message.attachments):
            kind = ATTACHMENT_TEXT_KEYS.get(unsupported[0].kind, "kind_other")
            turn.say("unsupported_attachment", kind=turn.t(kind))
            return

        if message.reply_to and text and not text.startswith("/") and turn.state.get("flow") is None:
            # Replying to a ticket's message (a card, an officer's answer) answers that ticket.
            number = await self.services.store.linked_ticket(
                message.channel, message.chat_id or message.sender_id, message.reply_to
            )
            if number and turn.identity.role in STAFF_ROLES:
                await self._run_command(turn, "balas", f"{number} {text}")
                return
            if number and await resident.add_resident_message(turn, number, text, quiet_if_not_mine=True):
                return

        if text.startswith("/"):
            name, _, args = text[1:].partition(" ")
            await self._command(turn, name.split("@", 1)[0].lower(), args.strip())
            return

        low = " ".join(text.lower().split())
        if low.startswith("nilai:"):
            _, number, value = (low.split(":") + ["", ""])[:3]
            await resident.rate(turn, number.upper(), value)
            return
        if low.startswith("faq:"):
            resident.say_faq(turn, "faq/" + low[4:])
            return
        if low in _CANCEL_WORDS:
            self._cancel(turn)
            return
        if low in _MENU_WORDS:
            self._greet(turn)
            return
        if low in _HELP_WORDS:
            self._help(turn)
            return
        if await letters.intercept(turn):  # letter requests and their flows (#17)
            return

        has_media = any(a.kind == "photo" for a in message.attachments)
        if not text and not has_media and not message.location:
            turn.say("empty_message", turn.menu_buttons())
            return

        flow = turn.state.get("flow")
        if text and not _LETTER.search(text) and not text.isdigit() and flow is None and not has_media:
            turn.say("no_text_content", turn.menu_buttons())
            return

        parse_needed = bool(text) and (
            flow in (None, "ask") or turn.state.get("step") in ("describe", "confirm_topic", "confirm", "photo")
        )
        parse = await self._parse(turn) if parse_needed else {}
        intent = (parse.get("intent") or {}).get("name")
        if flow and _is_flow_payload(text):
            intent = None  # a button of the flow itself ("ganti topik"), never a cancel or help request
        if intent == "cancel" and flow:
            self._cancel(turn)
            return
        if intent == "help" and flow:
            self._help(turn)
            return

        if flow == "complaint":
            await complaint.handle_step(turn)
            return
        if flow == "officer":
            await officer.continue_officer_flow(turn)
            return
        if flow == "regent":
            turn.reset_flow()
            await resident.send_to_regent(turn, text)
            return
        if flow == "rating_comment":
            await resident.rating_comment(turn)
            return
        if flow == "status":
            turn.reset_flow()
            number = find_ticket_number(text)
            if number:
                await resident.show_status(turn, number)
                return
            if not text or intent is None:
                parse = await self._parse(turn)
                intent = (parse.get("intent") or {}).get("name")
        if flow == "ask":
            turn.reset_flow()
            if intent == "faq":
                resident.answer_faq(turn, parse)
                return

        if not text and (has_media or message.location):
            await complaint.start_from_menu(turn)
            turn.replies[-1:] = [Reply(turn.t("photo_without_flow" if has_media else "location_without_flow"))]
            return

        rating_ticket = turn.state.get("rating_ticket")
        if rating_ticket and low.isdigit() and len(low) == 1:
            turn.state.pop("rating_ticket", None)
            await resident.rate(turn, rating_ticket, low)
            return

        if low in _NEW_COMPLAINT_WORDS:
            turn.state.pop("reply_ticket", None)
            await complaint.start_from_menu(turn)
            return

        reply_ticket = turn.state.get("reply_ticket")
        if reply_ticket and text and intent not in _NOT_AN_ANSWER and not find_ticket_number(text):
            if await resident.add_resident_message(turn, reply_ticket, text, quiet_if_not_mine=True):
                return
            turn.state.pop("reply_ticket", None)  # closed or not theirs: handle the message afresh

        number = find_ticket_number(text)
        if number and intent in (None, "check_status", "nlu_fallback") or (number and len(text.split()) <= 3):
            await resident.show_status(turn, number)
            return

        await self._by_intent(turn, parse)

    async def _by_intent(self, turn: Turn, parse: dict[str, Any]) -> None:
        intent = (parse.get("intent") or {}).get("name") or "nlu_fallback"
        text = turn.message.text.strip()
        directory = self.services.directory
        if intent == "greet":
            self._greet(turn)
        elif intent in ("thanks", "goodbye", "bot_challenge", "out_of_scope"):
            buttons = turn.menu_buttons() if intent == "out_of_scope" else ()
            turn.say(intent, buttons)
        elif intent == "help":
            self._help(turn)
        elif intent == "cancel":
            self._cancel(turn)
        elif intent == "file_complaint":
            if len(text.split()) >= 8:
                await complaint.start_from_text(turn, text, parse)
            else:
                await complaint.start_from_menu(turn)
        elif intent == "ask_info":
            await resident.cmd_ask.handler(turn, "")
        elif intent == "check_status":
            await resident.cmd_status.handler(turn, text)
        elif intent == "talk_to_regent":
            await resident.cmd_regent.handler(turn, "")
        elif intent == "faq":
            resident.answer_faq(turn, parse)
        elif intent in directory.external:
            how = directory.external[intent].how
            turn.say("outside_authority", how=how.get(turn.lang) or how["id"])
        elif intent in directory.routing:
            await complaint.start_from_text(turn, text, parse)
        elif self._looks_like_complaint(turn, parse):
            await complaint.start_from_text(turn, text, parse)
        else:
            turn.say("fallback", turn.menu_buttons())

    def _looks_like_complaint(self, turn: Turn, parse: dict[str, Any]) -> bool:
        """A long message the NLU is unsure about is most likely a complaint on an unusual topic."""
        ranking = parse.get("intent_ranking") or []
        top = ranking[0]["name"] if ranking else None
        return len(turn.message.text.split()) >= 6 and (
            top in self.services.directory.routing or top is None or len(turn.message.text.split()) >= 12
        )

    def _greet(self, turn: Turn) -> None:
        turn.reset_flow()
        if turn.identity.role in STAFF_ROLES:
            turn.replies.append(Reply(officer.staff_help(turn)))
            return
        turn.say("greet", turn.menu_buttons())

    def _help(self, turn: Turn) -> None:
        if turn.identity.role in letters.LETTER_ROLES:
            turn.say("letter_staff_help")
            return
        if turn.identity.role in STAFF_ROLES:
            turn.replies.append(Reply(officer.staff_help(turn)))
            return
        turn.say("help", turn.menu_buttons(), example=resident.example_number(turn))

    def _cancel(self, turn: Turn) -> None:
        had_flow = bool(turn.state.get("flow"))
        turn.reset_flow()
        turn.state.pop("reply_ticket", None)
        turn.say("cancelled" if had_flow else "nothing_to_cancel", turn.menu_buttons())

    async def _command(self, turn: Turn, name: str, args: str) -> None:
        if name in ("start", "menu", "mulai"):
            payload = args.strip()
            if payload.lower().startswith("status"):
                number = find_ticket_number(payload.replace("_", " "))
                if number:
                    await resident.show_status(turn, number)
                    return
            self._greet(turn)
        elif name in ("bantuan", "help"):
            self._help(turn)
        elif name in ("batal", "cancel"):
            self._cancel(turn)
        elif name in ("aduan", "lapor"):
            await complaint.start_from_menu(turn)
        elif name in ("bahasa", "lang", "language"):
            lang = args.strip().lower()[:2]
            if lang in ("id", "en"):
                turn.conv.lang = lang
                turn.say("language_set")
            else:
                turn.say("usage", usage="/bahasa id | /bahasa en")
        else:
            await self._run_command(turn, name, args)

    async def _run_command(self, turn: Turn, name: str, args: str) -> None:
        command = self.commands.get(name)
        if command is None:
            turn.say("unknown_command", command=f"/{name}")
            self._help(turn)
            return
        if turn.identity.role not in command.roles:
            turn.say("staff_only", command=f"/{name}")
            return
        await command.handler(turn, args)
