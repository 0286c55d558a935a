"""What every action works with: the services, one `Turn` (a message being handled) and commands.

An action reads the store, changes `turn.conv.state`, collects writes in `turn.changes` and replies
in `turn.replies`. The dialogue commits `turn.changes` once, atomically, before any reply leaves.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any

from bot.directory import Directory
from bot.logging_setup import has_personal_data, without_personal
from bot.message import Button, Message, Reply
from bot.settings import Settings
from bot.store.base import (
    ROLE_OFFICER,
    ROLE_OPERATOR,
    ROLE_REGENT,
    ROLE_RESIDENT,
    Changes,
    Conversation,
    Identity,
    OutboxJob,
    Store,
    Ticket,
    TicketEvent,
)
from bot.texts import Texts
from bot.workdays import WorkCalendar

if TYPE_CHECKING:
    from nlu.backend import NluBackend

#: Store value `ENROLLED_MARK_KEY + identity key`: changed each time a `/daftar` code is redeemed by that identity
#: (the web chat makes a session staff only when it changed during the message: the code was good).
ENROLLED_MARK_KEY = "enrolled:"
#: Store value `REVOKED_KEY + identity key`: set when the operator revoked that web chat identity's staff access
#: (actions/staff_admin.py), cleared by a new enrolment; the web chat refuses such a browser (its history holds
#: staff cards).
REVOKED_KEY = "staff_revoked:"
#: Conversation state: what someone was before the operator revoked their staff access ("petugas Dinas PUPR"), so a
#: staff command they type is refused as theirs no longer, not as "only for officers" (actions/staff_admin.py).
FORMER_STAFF_KEY = "former_staff"
#: Store values linking a chat identity and the web identity it signs in to the desk with (bot/web/staff_auth.py):
#: `WEB_COPY_KEY + chat key` -> web key, `WEB_ORIGIN_KEY + web key` -> chat key. The desk checks the chat
#: identity still holds the role at every request; a revocation finds the web identity without the session secret.
#: Store value `ISSUED_CODES_KEY + identity key`: the enrolment codes that identity made in chat (the last 100).
ISSUED_CODES_KEY = "codes_issued_by:"
WEB_COPY_KEY = "staff_web_copy:"
WEB_ORIGIN_KEY = "staff_web_origin:"
#: The NLU reads at most this much of a message (a long one is a report; its start says what it is about).
NLU_MAX_CHARS = 1000
TICKET_RE = re.compile(r"\b([A-Za-z]{2,5})-(\d{4})-(\d{4,6})\b")
STAFF_ROLES = frozenset({ROLE_OFFICER, ROLE_OPERATOR, ROLE_REGENT})
ALL_ROLES = frozenset({ROLE_RESIDENT}) | STAFF_ROLES


# As residents retype a number they were given: "wrg 2612 0002", "WRG26120002", "WRG.2612.0002". Only the
# prefixes this service issues count (the directory's `ticket_prefix`, the letters' `number_prefix`, registered
# at start-up by `remember_ticket_prefix`): "BCA 2412 345678" or "saya 2612 0002" are no ticket numbers. The
# middle part must read as a year from 2020 and a month (YYMM).
_LOOSE_TICKET_RE = re.compile(r"\b([A-Za-z]{2,5})[ .]?([2-9]\d(?:0[1-9]|1[0-2]))[ .-]?(\d{4,6})\b")
_KNOWN_PREFIXES: set[str] = set()


def remember_ticket_prefix(prefix: str) -> None:
    """A prefix this service gives its numbers (ticket or letter), so a loosely typed one is recognised."""
    _KNOWN_PREFIXES.add(prefix.upper())


def without_ticket_numbers(text: str) -> str:
    """`text` with every ticket number taken out ("WRG-2612-0002 tambahan: ..." -> " tambahan: ..."), one typed with a
    short serial ("WRG-2612-1") too."""
    text = _LOOSE_TICKET_RE.sub(" ", TICKET_RE.sub(" ", text or ""))
    return _SHORT_SERIAL_RE.sub(lambda m: " " if m.group(1).upper() in _KNOWN_PREFIXES else m.group(0), text)


def find_ticket_number(text: str) -> str | None:
    """The first ticket number in `text`, as PREFIX-YYMM-NNNN in capitals (residents type it any way)."""
    match = TICKET_RE.search(text or "")
    if match:
        return match.group(0).upper()
    for loose in _LOOSE_TICKET_RE.finditer(text or ""):
        if loose.group(1).upper() in _KNOWN_PREFIXES:
            return "-".join(loose.groups()).upper()
    for short in _SHORT_SERIAL_RE.finditer(text or ""):  # "WRG-2612-007": a leading zero left out
        if short.group(1).upper() in _KNOWN_PREFIXES:
            return f"{short.group(1).upper()}-{short.group(2)}-{short.group(3).zfill(4)}"
    return None


_SHORT_SERIAL_RE = re.compile(r"\b([A-Za-z]{2,5})[- .]?([2-9]\d(?:0[1-9]|1[0-2]))[- .](\d{1,3})\b")


@dataclass
class Services:
    """Everything actions need, built once by the app factory and passed in."""

    settings: Settings
    store: Store
    nlu: NluBackend
    directory: Directory
    texts: Texts
    calendar: WorkCalendar
    clock: Callable[[], datetime]
    faq_answers: dict[str, dict[str, str]] = field(default_factory=dict)
    #: "dinkes" -> "dinas-kesehatan": the names people write for an office, beside the directory's own (bot/app.py)
    agency_names: dict[str, str] = field(default_factory=dict)
    wake_outbox: Callable[[], None] = lambda: None
    #: Told about every committed chat turn that changed tickets (the web desk's live pages listen).
    tickets_changed: Callable[[Changes], None] = lambda changes: None
    #: The web chat sender a staff identity signs in to the desk as (bot/web/staff_auth.py), when there is a web.
    web_sender_for: Callable[[str], str] | None = None
    #: Ends every signed-in web session of a web chat sender at once (sign-out; a revoked staff member).
    revoke_web_staff: Callable[[str], Awaitable[None]] | None = None
    #: Reads content/ again (directory and texts) and uses it from the next message on (bot/app.py).
    reload_content: Callable[[], str] | None = None


# "mohon izin pak, …", "izin bertanya bu: …", "ijin min, …": a courteous opening before the message
_COURTESY_LEAD = re.compile(
    r"^\W*(?:mohon\s+|minta\s+|nyuwun\s+)?(?:izin|ijin|idin)(?:\s+(?:pak|bu|bapak|ibu|min|admin|kak|mas|mbak|bpk|"
    r"ndan|gan))?(?:\s+(?:bertanya|tanya|nanya|menyampaikan|melaporkan|lapor))?\s*[,.!:;]+\s*"
    r"|^\W*(?:mohon\s+|minta\s+)?(?:izin|ijin)\s+(?:pak|bu|bapak|ibu|min|admin|kak|mas|mbak|bpk)\s+"
    # "permisi, saya mau tanya syarat buat ktp", "nyuwun sewu, kula badhe nyuwun pirsa …" (thirty-second trial: the
    # lead drowned the question, which was offered to an office as one the service could not answer)
    r"|^\W*(?:(?:permisi|punten|nyuwun\s+sewu|maaf|mohon\s+maaf|halo|hallo|selamat\s+(?:pagi|siang|sore|malam))"
    r"(?:\s+(?:pak|bu|bapak|ibu|min|admin|kak|mas|mbak))?\s*[,.!]*\s*)?(?:saya\s+|sy\s+|aku\s+|kula\s+|kulo\s+)?"
    r"(?:mau|ingin|pengen|pingin|badhe|mo)\s+(?:tanya|nanya|bertanya|nyuwun\s+pirsa|pirsa)(?:\s+(?:dong|nih|pak|bu|min))?"
    r"\s*[,.:;]*\s+(?=\S)"
    # "mas, iki piye to, lampune mati wis seminggu", "gimana ini pak, sampah belum diangkut" (thirty-fifth trial: the
    # lament drowned the matter, "not understood"): "how is this" before the matter
    r"|^\W*(?:(?:pak|bu|mas|mbak|min|kak|lur|dab)\s*[,.!]*\s+)?(?:iki|ini|gimana|gmn|piye|pie|bagaimana|kok)\s+"
    r"(?:piye|pie|gimana|gmn|bagaimana|iki|ini|begini|ngene|ngono)(?:\s+(?:to|tho|sih|si|ya|iki|ini|pak|bu|mas|mbak|"
    r"min|kak|lur))*\s*[,.!?]+\s*(?=\S)"
    # "Good afternoon. I'd like to ask where I can get a health certificate for work" (thirty-fifth trial: a complaint
    # on unsure topics): the English courtesy before the question
    r"|^\W*(?:(?:hi|hello|halo|good\s+(?:morning|afternoon|evening|day))(?:\s+(?:sir|madam|maam|admin))?[\s,.!]*)?"
    r"(?:i'?d\s+like\s+to|i\s+would\s+like\s+to|i\s+want\s+to|may\s+i|can\s+i|let\s+me)\s+ask(?:\s+(?:you|something|"
    r"a\s+question))?\s*[,.:;]*\s+(?=\S)", re.IGNORECASE)
COURTESY_REST_WORDS = 3
# "banyune pdam mati telung dina, piye iki?", "sampah belum diangkut, gimana ini pak?" (thirty-fifth trial: the FAQ on a
# new water connection): the lament after the matter, which made it a question
_LAMENT_TAIL = re.compile(r"\s*[,.!;]+\s*(?:(?:lho|loh|kok|lha)\s+)?(?:piye|pie|gimana|gmn|bagaimana|pripun|kepriye|"
                          r"kumaha)(?:\s+(?:iki|ini|to|tho|sih|si|niki|ya|yo|kuwi|itu|pak|bu|mas|mbak|min|kak|dong|nih|hayo))+"
                          r"[?!.\s]*$", re.IGNORECASE)


@dataclass
class Turn:
    """One inbound message being handled: who sent it, their state, and what it changes."""

    services: Services
    message: Message
    identity: Identity
    conv: Conversation
    now: datetime
    changes: Changes = field(default_factory=Changes)
    replies: list[Reply] = field(default_factory=list)
    nlu: dict[str, Any] | None = None
    #: The question mark of the button tapped (actions/freshness.py), None for typed text.
    tapped_mark: str | None = None

    # --- convenience -------------------------------------------------------------------------
    async def parse(self) -> dict[str, Any]:
        """The NLU's reading of this message (parsed once, on first need)."""
        if self.nlu is None:
            typed = self.message.text.strip()[:NLU_MAX_CHARS]
            courtesy = _COURTESY_LEAD.match(typed)
            # "mohon izin pak, kapan ada vaksin rabies gratis?": "izin" there is "excuse me", not a permit (thirty-first
            # trial: the FAQ on event permits came); the words after it are read, the text kept
            text = typed[courtesy.end():] if courtesy and len(typed[courtesy.end():].split()) >= COURTESY_REST_WORDS \
                else typed
            if (lament := _LAMENT_TAIL.search(text)) and len(text[:lament.start()].split()) >= COURTESY_REST_WORDS:
                text = text[:lament.start()]
            self.nlu = await self.services.nlu.parse(text) if text else {"intent": {"name": None, "confidence": 0.0}}
            if text != typed:
                self.nlu = {**self.nlu, "text": typed}
            routed = self.nlu.get("opd") or {}
            unsure = float(routed.get("confidence") or 0) < self.services.directory.route_threshold
            if (self.nlu.get("gate") not in (None, "complaint") or unsure) and has_personal_data(text):
                # A NIK or phone number given with a problem ("bansos saya tidak cair, nik saya 3516…") reads as
                # a status ask or chat to the model, or an unsure complaint ("nama saya budi nik 3512… hp 0812…,
                # jalan depan rumah saya rusak parah": thirty-eighth trial, at 0.11); the words without the numbers
                # are read too, and kept when they are a sure complaint. The text stored is the resident's, numbers
                # and all.
                bare = without_personal(text)
                reread = await self.services.nlu.parse(bare) if bare else {}
                opd = reread.get("opd") or {}
                if (reread.get("gate") == "complaint" and opd.get("topic") in self.services.directory.routing
                        and float(opd.get("confidence") or 0) >= self.services.directory.route_threshold):
                    self.nlu = {**reread, "text": typed}
        return self.nlu

    @property
    def lang(self) -> str:
        return self.conv.lang

    @property
    def state(self) -> dict[str, Any]:
        return self.conv.state

    @property
    def texts(self) -> Texts:
        return self.services.texts

    @property
    def directory(self) -> Directory:
        return self.services.directory

    @property
    def store(self) -> Store:
        return self.services.store

    def t(self, key: str, lang: str | None = None, *, for_channel: str | None = None, **fields: Any) -> str:
        """A text for this message's sender (in their channel's variant), or with `lang` for someone else
        (in `for_channel`'s variant when their channel is known)."""
        base = {"regency": self.directory.regency_short, "regent": self.directory.regent_title}
        base.update(fields)
        channel = self.message.channel if lang is None else for_channel
        if channel == "sms" and self.texts.has(f"{key}_sms"):
            key = f"{key}_sms"  # a shorter text written to fit in two SMS segments
        return self.texts.get(key, lang or self.lang, channel, **base)

    def say(self, key: str, buttons: Iterable[Button] = (), **fields: Any) -> None:
        self.replies.append(Reply(self.t(key, **fields), tuple(buttons)))

    def button(self, key: str, payload: str, **fields: Any) -> Button:
        return Button(self.t(key, **fields), payload)

    def menu_buttons(self) -> tuple[Button, ...]:
        return (
            self.button("menu_complaint", "/aduan"),
            self.button("menu_info", "/tanya"),
            self.button("menu_status", "/status"),
            self.button("menu_regent", "/bupati"),
        )

    def reset_flow(self) -> None:
        """Leave any flow; keep what outlives flows (pending officer replies, language)."""
        for key in ("flow", "step", "c", "draft", "target", "choices", "topic_list", "held", "resume_offered",
                    "topic_misses", "noted", "text_edit", "cancelled_complaint", "place_guess", "suggested",
                    "same_open", "support_open", "withdraw", "asked_at", "aside", "move_offer", "topic_fix_offer",
                    "mute_offer", "outside_choice"):
            self.state.pop(key, None)

    # --- writes --------------------------------------------------------------------------------
    def event(self, ticket: Ticket, kind: str, note: str | None = None, /, **data: Any) -> None:
        """Add a history line; `note` is what was said, `data` the details (may include a `text` key)."""
        self.changes.events.append(
            TicketEvent(ticket=ticket.number, kind=kind, at=self.now, actor=self.identity.key, text=note, data=data)
        )

    def save_ticket(self, ticket: Ticket) -> None:
        ticket.updated_at = self.now
        self.changes.tickets = [t for t in self.changes.tickets if t.number != ticket.number]
        self.changes.tickets.append(ticket)

    def deliver(self, to: str, replies: Iterable[Reply], reason: str) -> None:
        """Push replies to another person through the outbox (durable, retried, idempotent)."""
        payload = {"to": to, "replies": [r.to_dict() for r in replies]}
        key = f"deliver:{reason}:{to}:{uuid.uuid4().hex[:12]}"
        self.changes.jobs.append(OutboxJob(key=key, kind="deliver", payload=payload, created_at=self.now))

    def job(self, kind: str, key: str, payload: dict[str, Any]) -> None:
        self.changes.jobs.append(OutboxJob(key=key, kind=kind, payload=payload, created_at=self.now))

    def patch_conversation(self, key: str, **values: Any) -> None:
        self.changes.conversation_patches.setdefault(key, {}).update(values)


def was_staff(turn: Turn) -> bool:
    """Whether the sender is a resident now because their staff access was revoked."""
    return turn.identity.role == ROLE_RESIDENT and bool(turn.state.get(FORMER_STAFF_KEY))


CommandHandler = Callable[[Turn, str], Awaitable[None]]


@dataclass(frozen=True)
class Command:
    """A slash command: who may use it, and what it does with the rest of the line."""

    name: str
    handler: CommandHandler
    roles: frozenset[str] = ALL_ROLES
    usage: str = ""


def command(name: str, roles: Iterable[str] = ALL_ROLES, usage: str = "") -> Callable[[CommandHandler], Command]:
    """Decorator: turn an async `(turn, args)` function into a `Command`."""

    def wrap(fn: CommandHandler) -> Command:
        return Command(name, fn, frozenset(roles), usage)

    return wrap
