"""The dialogue: one message in, replies out, with the conversation's state kept in the store.

Order of concerns for each message: who sent it and what they were doing (identity, state),
what they meant (commands and button payloads first, then flows, then NLU), what it changes
(collected in one `Changes`), and only after that is durably committed, the replies.
"""

from __future__ import annotations

import asyncio
import difflib
import logging
import re
import unicodedata
import weakref
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import Any

from actions import (
    archive,
    claim,
    complaint,
    crisis,
    emergency,
    freshness,
    letters,
    move_account,
    mute,
    my_report,
    officer,
    on_behalf,
    public_info,
    question,
    regent,
    regent_memo,
    report_card,
    resident,
    staff_admin,
    staff_asides,
    unsolicited,
)
from actions import understand as u
from actions.base import (
    NLU_MAX_CHARS,
    STAFF_ROLES,
    Command,
    Services,
    Turn,
    find_ticket_number,
    without_ticket_numbers,
)
from actions.common import (
    NAME_CHOSEN_KEY,
    format_date,
    handler_name,
    location_text,
    opd_name,
    stamped_within,
    topic_name,
    worded,
)
from actions.draft import ComplaintDraft
from bot.logging_setup import mask_nik_in
from bot.message import Button, Location, Message, Reply
from bot.store.base import (
    LETTER_KIND,
    OPEN_STATUSES,
    ROLE_OFFICER,
    ROLE_OPERATOR,
    ROLE_REGENT,
    ROLE_RESIDENT,
    STATUS_DONE,
    Conversation,
    Identity,
    Ticket,
    TicketEvent,
    retry_conflicts,
)
from nlu.engine import FALLBACK_INTENT
from nlu.result import GATE_COMPLAINT, ParseResult
from nlu.router import agencies_of

logger = logging.getLogger(__name__)

HISTORY_LENGTH = 10
_LETTER = re.compile(r"[^\W\d_]", re.UNICODE)
# A NIK (16 digits) or an Indonesian phone number (08…, +628…, 628…) sent alone.
def _how_long_asked(text: str, step: object) -> bool:
    """"berapa lama prosesnya?" in the middle of a complaint, or "when will it be fixed?" at its summary: the office's
    time, which the step's aside answers (thirty-second trial: at the summary it was told the complaint was not sent,
    and where it "stopped"); elsewhere "kapan ini diperbaiki?" is told it is not sent yet."""
    return complaint.asks_how_long(text) or (step == "confirm" and complaint.aside_kind(text) == "how_long")


_PERSONAL_NUMBER = re.compile(r"\d{16}|(?:\+?62|0)8\d{7,11}")
# "NIK saya 3516…", "ini no hp saya: 0812…": the number with its label and nothing else (thirty-second trial: at the
# topic question it was added to the complaint's words for the officer)
_PERSONAL_LABEL = re.compile(r"^(?:ini\s+|berikut\s+|this\s+is\s+)?(?:nik|no\.?\s*ktp|no\.?\s*nik|"
                             r"nomor\s+(?:ktp|nik|hp|wa|telepon|telp)|nomer\s+(?:ktp|nik|hp|wa)|no\.?\s*(?:hp|wa|telp)|my\s+(?:nik|id|phone"
                             r"(?:\s+number)?|number))(?:\s+(?:saya|sy|aku|kula|ku))?\s*[:=]?\s*", re.I)
# "hubungi saya di 0812…", "kabari saya lewat wa 0812…", "call me at 0812…" (twenty-eighth trial: not understood)
_CALL_ME = re.compile(r"\b(?:hubungi|hubungin|telpon|telepon|tlp|telp|kabari|kabarin|call|contact|text|sms|wa)\s+"
                      r"(?:saya|sy|aku|me|kami)\b|\b(?:nomor|nomer|no)\s+(?:hp|wa|telp\w*)\s+(?:saya|sy|aku|my)\b"
                      r"|\bmy\s+(?:phone|number|whatsapp)\b")
# The regent or an operator asking for the day's figures in words ("ringkasan hari ini", "rekap", "summary").
_SUMMARY_WORDS = re.compile(r"\b(?:ringkasan|rekap|rekapan|rangkuman|summary|ringkesan)\b"
                            # "kirim laporan mingguan", "laporan bulanan dong" (twenty-eighth trial: the staff help)
                            r"|\b(?:laporan|report)\s+(?:mingguan|bulanan|harian|pekanan|weekly|monthly|daily)\b"
                            r"|\b(?:weekly|monthly|daily)\s+(?:report|summary)\b"
                            # "saya mau lihat laporan bulan lalu" (thirty-fifth trial: the staff help)
                            r"|\b(?:laporan|report)\s+(?:bulan|minggu|pekan|tahun|month|week|year)\s+(?:lalu|ini|kemarin|"
                            r"kepungkur|last|this)\b|\b(?:last|this)\s+(?:month|week)'?s?\s+report\b"
                            # "tolong buatkan laporan untuk rapat besok" (thirty-seventh trial: the staff help)
                            r"|\b(?:laporan|bahan|data|report)\s+(?:untuk\s+|buat\s+|for\s+(?:the\s+|a\s+)?)?(?:rapat|paparan|"
                            r"presentasi|evaluasi|meeting|briefing)\b")
# ... for a meeting: "tolong buatkan laporan untuk rapat besok pagi" is the recap too (thirty-ninth trial: seven words,
# the staff help)
_FOR_MEETING = re.compile(r"\b(?:untuk|buat|for)\s+(?:the\s+|a\s+)?(?:rapat|paparan|presentasi|evaluasi|meeting|"
                          r"briefing)\b")
# ... naming a period ("rekap aduan dinas PUPR 7 hari terakhir"): a longer request is still the recap
_RECAP_PERIOD = re.compile(r"\b(?:hari ini|dino iki|kemarin|wingi|minggu|pekan|bulan|sasi|wulan|terakhir|kepungkur|"
                           r"mingguan|bulanan|pekanan|weekly|monthly)\b")


_ARRIVED = re.compile(r"\b(?:masuk|diterima|datang|arrived|came\s+in|received|new"
                      # "berapa aduan yang sudah saya selesaikan bulan ini?" (forty-first trial: "no open complaint")
                      r"|selesai|selesaikan|diselesaikan|tuntas|ditutup|resolved|closed|finished)\b")


def _asks_summary(text: str) -> bool:
    """"ringkasan hari ini", "rekap", "rekap PUPR minggu ini", "rekap aduan dinas PUPR 7 hari terakhir"."""
    low = text.lower()
    if not _SUMMARY_WORDS.search(low):
        return False
    words = len(text.split())
    return words <= 6 or (words <= 9 and bool(_RECAP_PERIOD.search(low) or _FOR_MEETING.search(low)))
# Staff asking about the figures in plain words: "berapa aduan yang belum ditangani?", "aduan apa saja yang lewat
# batas waktu?", "how many complaints are overdue?": the regent and operators get the summary, officers their queue.
_FIGURE_QUESTION = re.compile(
    r"\b(?:berapa|brp|jumlah|how many|apa saja|apa aja|mana saja|mana aja|which)\b.*"
    r"\b(?:aduan|laporan|tiket|complaints?|tickets?|reports?)\b|"
    # "berapa yang belum selesai di dinas pupr?" (thirty-fifth trial: the staff help)
    r"\b(?:berapa|brp|jumlah)\s+(?:yang|yg)\s+(?:belum|masih|sudah|udah|sdh|lewat|terlambat|telat)\b|"
    # "ada aduan apa aja hari ini?", "laporan mana saja yang masuk?"
    r"\b(?:aduan|laporan|tiket)\s+(?:apa|mana)\s+(?:saja|aja|sj)\b|\bada\s+aduan\s+(?:baru|masuk)\b|"
    # "aduan hari ini apa saja?", "laporan minggu ini ada apa aja?"
    r"\b(?:aduan|laporan|tiket)\s+(?:\S+\s+){1,3}?(?:apa|mana)\s+(?:saja|aja|sj)\b|"
    r"\b(?:lewat|melewati|melebihi|lewati)\s+(?:batas waktu|tenggat|deadline)|\boverdue\b|"
    # "berapa pesan yang masuk hari ini?" (thirty-sixth trial: the staff help): complaints are what is counted
    r"\b(?:berapa|brp|jumlah|how\s+many)\s+(?:pesan|chat|messages?)\s+(?:yang\s+|yg\s+)?(?:masuk|diterima|came|"
    r"received|arrived)\b|"
    # "show me my open complaints", "list the tickets" (twenty-ninth trial: offered to a reporter as an answer)
    r"\b(?:show|list|see)\s+(?:me\s+)?(?:my\s+|the\s+|all\s+)?(?:open\s+)?(?:complaints|tickets|queue)\b|"
    r"\bwhat(?:'s|\s+is)\s+(?:in\s+)?(?:my|the|our)\s+queue\b|"
    r"\bterlambat\b.*\b(?:aduan|laporan)\b|"
    r"\b(?:aduan|laporan)\b.*\bbelum\s+(?:saya\s+|kami\s+|sy\s+)?(?:di\s?tangani|ditindaklanjuti|tindaklanjuti|dijawab|"
    r"jawab|dibalas|balas|selesai|diproses|proses)|"
    # "aduan yang telat ditangani ada berapa?", "tiket yang terlambat mana aja?"
    r"\b(?:aduan|laporan|tiket)\b.*\b(?:telat|terlambat)\b|\b(?:aduan|laporan|tiket)\b.*\b(?:berapa|brp)\b|"
    # "dinas mana yang paling banyak aduannya?", "OPD apa yang paling lambat?", "which office has the most complaints?"
    r"\b(?:dinas|opd|instansi|kantor|agency|office)\s+(?:mana|apa|has|had)\b.*\b(?:paling|terbanyak|terlambat|most|"
    r"slowest)\b|"
    # "gimana aduan hari ini?", "how are the complaints this week?": how things stand over a period
    r"\b(?:gimana|bagaimana|gmn|piye|kepiye|pripun|how)\b.*\b(?:aduan|laporan|tiket|complaints?|reports?)\b.*"
    r"\b(?:hari ini|minggu ini|pekan ini|bulan ini|dino iki|minggu iki|sasi iki|today|this week|this month)\b")
_THANKS_EMOJI = frozenset("👍🙏👌❤♥😊🙂🤝💯✅")
_EMOJI_MODIFIERS = frozenset("\ufe0f\u200d🏻🏼🏽🏾🏿")


_YES_EMOJI = frozenset("👍👌✅✔☑")  # (the variation selector is among _EMOJI_MODIFIERS)
_NO_EMOJI = frozenset("👎❌✖❎")


def _asks_call_back(text: str, parse: dict[str, Any], directory: Any) -> bool:
    """"hubungi saya di 0812… ya pak kalau ada kabar": a number to be called on, no problem told with it (none the
    routing is sure of, nor a word of one)."""
    if not _PERSONAL_NUMBER.search(text.replace(" ", "").replace("-", "")) or not _CALL_ME.search(u.plain(text)):
        return False
    routing = ParseResult.from_dict(parse).routing
    sure = (routing is not None and routing.topic in directory.routing
            and routing.confidence >= directory.route_threshold)
    return not sure and not _PROBLEM_WORDS.search(u.plain(text))


def _thanks_emoji(text: str) -> bool:
    marks = [c for c in text if not c.isspace() and c not in _EMOJI_MODIFIERS]
    return bool(marks) and all(c in _THANKS_EMOJI for c in marks)


_SALAM = re.compile(r"\b(?:as+alamu?\s?['’`]?\s?alaikum|salamu?alaikum|askum)\b")
# "selamat malam pak, maaf mengganggu malam-malam", "good morning": the greeting of the hour said back, and no
# bother at any hour (thirty-third trial: answered with "Halo" alone)
_TIMED_GREETING = re.compile(r"\b(?:selamat|slmt|met)\s+(pagi|siang|sore|malam)\b"
                             r"|\bgood\s+(morning|afternoon|evening)\b")


def _hour_greeted(text: str) -> str:
    """The hour a greeting names ("selamat malam" -> "malam", "good morning" -> "morning"), or ""."""
    found = _TIMED_GREETING.search(text.lower())
    return (found.group(1) or found.group(2)) if found else ""


_SORRY_TO_BOTHER = re.compile(r"\b(?:maaf|mohon\s+maaf|sorry)\s+(?:\S+\s+){0,2}?(?:mengganggu|ganggu|menggangu|"
                              r"ngganggu|to\s+bother|for\s+bothering)\b")
_HELP_WORDS = frozenset({"bantuan", "help", "tolong", "?", "panduan"})
_STATUS_WORDS = frozenset({"cek", "cek status", "status", "check", "cek aduan", "cek laporan", "cek tiket"})
_MENU_WORDS = frozenset({"menu", "mulai", "start", "/start", "/menu", "kembali"})
_DROP_FOR_QUESTION = re.compile(
    r"^(?:(?:eh|oh|pak|bu|maaf|ya|yaudah)\s+)*(?:ga|gak|gk|nggak|tidak|tdk|ndak|enggak)\s+jadi\s+(?:lapor|ngadu|mengadu|"
    r"aduan|melapor)\b(?:\s+\S+){0,4}?\s+(?:saya\s+|sy\s+)?(?:mau|ingin|pengen|mo)\s+(?:tanya|nanya|bertanya)"
    r"(?:\s+(?:aja|saja|dulu))?(?P<rest>(?:\s+\S+)*)$")
_BARE_RATING = re.compile(r"^[1-5](?:\s+(?:aja|saja|deh|dong|ya|pak|bu|kak|min|mas|mbak|nggih))+$")
_NEW_COMPLAINT_WORDS = frozenset({"aduan baru", "new complaint", "lapor baru", "buat aduan baru", "mau lapor lagi"})
# "saya mau lapor lagi", "pak saya mau buat aduan yang lain" (thirty-second trial: passed to the officer who had just
# answered, as the resident's reply)
_NEW_COMPLAINT = re.compile(
    r"^(?:(?:saya|sy|aku|pak|bu|kak|min|ok|oke|iya|ya|eh|oh)\s+)*(?:mau|ingin|pengen|pingin|mo)\s+(?:lapor|melapor|ngadu|"
    r"mengadu|(?:buat|bikin|membuat)\s+aduan)\s+(?:lagi|baru|(?:yang|yg)\s+lain|hal\s+lain)(?:\s+(?:pak|bu|ya|dong|nih|"
    r"kak|min))*$|^i\s+(?:want|would\s+like|d\s+like)\s+to\s+(?:report|make)\s+(?:another|a\s+new)\b")
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
LANG_CHOSEN_KEY = "lang_chosen"  # a language the resident chose with /bahasa; detection leaves it alone
HANDLED_LENGTH = 20


def registry() -> dict[str, Command]:
    """Every slash command by name, from the action modules."""
    commands: list[Command] = [*resident.COMMANDS, *officer.COMMANDS, *letters.COMMANDS, *on_behalf.COMMANDS,
                               *staff_admin.COMMANDS, *question.COMMANDS, *archive.COMMANDS,
                               *claim.COMMANDS, *move_account.COMMANDS, *regent_memo.COMMANDS]
    try:
        from actions import regent
    except ImportError:  # the regent's commands are optional in a minimal install
        regent = None  # type: ignore[assignment]
    if regent is not None:
        commands.extend(getattr(regent, "COMMANDS", []))
    return {c.name: c for c in commands}


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
        text, tapped = freshness.unmark(message.text)
        if tapped is not None:
            message = replace(message, text=text)
        turn = Turn(services=s, message=message, identity=identity, conv=conv, now=now, tapped_mark=tapped)
        conv.last_inbound_at = now
        history: list[dict[str, Any]] = conv.state.setdefault("history", [])
        history.append(
            {
                "at": now.isoformat(),
                "text": mask_nik_in(message.text),
                "id": message.message_id,
                "attachments": [a.kind for a in message.attachments],
                "location": message.location.to_dict() if message.location else None,
            }
        )
        del history[:-HISTORY_LENGTH]

        kept_lang = turn.conv.lang
        self._detect_language(turn)
        await self._dispatch(turn)
        if turn.identity.role in STAFF_ROLES:
            officer.offer_lone_button(turn)  # one command offered in one tap: a typed "ya" next runs it
        draft = turn.state.get("draft")
        if turn.state.get("flow") == complaint.FLOW and isinstance(draft, dict) and not draft.get("begun"):
            draft["begun"] = turn.now.isoformat()  # "the complaint you started on …" says that day, not the last one
        if turn.identity.role in STAFF_ROLES and not turn.state.get(LANG_CHOSEN_KEY) and stored_identity is not None:
            # Staff stay in their language: one English question ("how many complaints do I have?") is answered in
            # English, but their cards, queue and digests do not switch for good (/bahasa does that)
            turn.conv.lang = kept_lang

        # the chat profile's name, unless the person chose one with /nama
        profile_name = None if turn.state.get(NAME_CHOSEN_KEY) else message.sender_name
        if stored_identity is None or identity.lang != turn.lang or (profile_name and identity.name != profile_name):
            identity.lang = turn.lang
            identity.name = profile_name or identity.name
            if not any(i.key == identity.key for i in turn.changes.identities):
                turn.changes.identities.append(identity)
        if not turn.replies and not self._is_group(message):
            turn.replies.append(Reply(turn.t("fallback"), turn.menu_buttons()))
        if (turn.replies and _SALAM.search(message.text[:40].lower())
                and not any("alaikum" in r.text.lower() for r in turn.replies)):
            turn.replies.insert(0, Reply(turn.t("salam_answer")))  # "Assalamualaikum pak, jalan ...": salam first
        turn.replies = freshness.mark(turn.replies, turn.state)
        if handled_id is not None:
            handled: list[dict[str, Any]] = conv.state.setdefault(HANDLED_KEY, [])
            handled.append({"id": handled_id, "replies": [r.to_dict() for r in turn.replies]})
            del handled[:-HANDLED_LENGTH]
        turn.changes.conversation = conv
        await s.store.commit(turn.changes)
        if turn.changes.jobs:
            s.wake_outbox()
        if turn.changes.tickets or turn.changes.events:
            s.tickets_changed(turn.changes)
        return turn.replies

    @staticmethod
    def _is_group(message: Message) -> bool:
        return bool(message.chat_id) and message.chat_id != message.sender_id

    def _detect_language(self, turn: Turn) -> None:
        text = turn.message.text.strip()
        if self.detector is None or not text or text.startswith("/") or ":" in text.split(" ", 1)[0]:
            return
        if turn.state.get(LANG_CHOSEN_KEY):
            return  # the resident chose a language with /bahasa: it stays until they choose another
        if turn.state.get("step") == "location":
            return  # a place ("Jalan Veteran, Desa Sooko, in front of the market") says nothing of the language
        if complaint.brief_answer(turn.state, text):
            return  # nor does "done" or "private please" to a button question
        if len(text.split()) <= 3 and u.yes_no(text) is not None:
            return  # nor a bare "yes please" / "ok" to any question
        try:
            turn.conv.lang = self.detector.detect(text[:NLU_MAX_CHARS], previous=turn.conv.lang)
        except Exception:  # language detection must never stop a message
            logger.exception("language detection failed")

    async def _parse(self, turn: Turn) -> dict[str, Any]:
        return await turn.parse()

    # --- dispatch -------------------------------------------------------------------------------
    # One message goes through these checks in order; the first that handles it ends the turn. Each
    # check is one short method, so a rule is found by its name and changed in one place.
    async def _dispatch(self, turn: Turn) -> None:
        if resident.comment_wait_over(turn) or await resident.comment_is_new_matter(turn):
            # "Ada komentar atau saran?" after a rating is answered within the hour; a message days later ("pak
            # lubangnya muncul lagi setelah hujan semalam") is read afresh, so it can reopen the ticket; so is a
            # complaint on another topic ("sampah menumpuk … tidak diangkut" after a street light): a new one
            turn.reset_flow()
        ctx = _Ctx(turn)
        for check in (
            self._refuse_unusable, self._crisis, self._stale_button, self._staff_yes, self._staff_picks,
            self._reply_to_linked_ticket, self._slash_command, self._lapor_report, self._my_numbers, self._my_list_pick,
            self._behalf_consent, self._behalf_status, self._held_answer, self._withdraw_which, self._withdraw_answer,
            self._other_matter_answer, self._payload, self._mute, self._control_words, self._language_words,
            self._feedback_text,
            self._my_data,
            self._my_report, self._why_not_shown,
            self._question_choice,
            self._for_regent,
            self._after_outside,
            self._undo_cancel, self._letters, self._no_content,
            self._understand, self._harmed, self._hungry,
            self._not_emergency, self._emergency, self._office_info, self._changed_account, self._moved_and_after,
            self._asks_after_own,
            self._already_reported, self._still_so,
            self._behalf_hint,
            self._hold_on, self._how_to_send, self._photo_coming, self._idle_place_answer, self._draft_aside,
            self._fixed_during_draft,
            self._flow_guard, self._flow, self._photo_for_ticket, self._media_without_flow, self._archived_asked,
            self._staff_asks, self._service_hours,
            self._what_was_said,
            self._done_ticket, self._rating_fix, self._new_complaint_words, self._withdrawal, self._impatient,
            self._what_now, self._officer_conduct,
            self._officer_waiting, self._own_tickets,
            self._ticket_number, self._fresh_follow_up, self._appreciation, self._if_reported,
            self._public_figures, self._complaint_and_question, self._menu_pick,
        ):
            if await check(ctx):
                break
        else:
            await self._by_intent(turn, ctx.parse)
        turn.state.pop(resident.DRAFT_ASIDE_KEY, None)
        _note_menu(turn)
        parked = turn.state.get(_PARKED_DRAFT_KEY)
        if parked and turn.state.get("flow") != "regent":  # the message to the regent went, or was dropped
            turn.state.pop(_PARKED_DRAFT_KEY, None)
            if "flow" not in turn.state and isinstance(parked, dict):
                self._back_to_flow(turn, parked)
        if ctx.set_aside is not None:
            self._offer_set_aside(turn, ctx.set_aside)
        if ctx.let_go is not None:  # the held message did not go along with this one: say so, so nothing goes silently
            words = " ".join(str(ctx.let_go["text"]).split())
            turn.say("held_let_go", text=words[:80] + ("…" if len(words) > 80 else ""))
            turn.replies.insert(min(ctx.let_go_at, len(turn.replies) - 1), turn.replies.pop())
        if turn.state.pop(complaint.CARRIED_MEDIA, None):
            logger.info("photos carried from a held message were not taken by a complaint")

    async def _menu_pick(self, ctx: _Ctx) -> bool:
        """"1", "3" right after the menu (thirty-ninth trial: "not understood"): its first, third button, for people
        used to numbered menus."""
        if ctx.code or not turn_is_resident(ctx.turn) or (picked := _menu_number(ctx.turn, ctx.text)) is None:
            return False
        ctx._set(f"/{picked}")
        return await self._slash_command(ctx)

    async def _feedback_text(self, ctx: _Ctx) -> bool:
        """The words about this service that "saya mau kasih masukan untuk aplikasi ini" was asked for: to the
        operators, thanked (thirty-seventh trial: "tombolnya kebanyakan, bingung" got the help)."""
        turn = ctx.turn
        if ctx.code or not ctx.text or ctx.flow is not None or not turn_is_resident(turn) or ctx.text.startswith("/") \
                or not resident.feedback_awaited(turn):
            return False
        await resident.take_feedback(turn, ctx.text)
        return True

    async def _question_choice(self, ctx: _Ctx) -> bool:
        """The office for a question typed instead of tapped ("1", "dinas sosial", "lainnya")."""
        return bool(ctx.text) and not ctx.code and await question.typed_choice(ctx.turn)

    async def _refuse_unusable(self, ctx: _Ctx) -> bool:
        turn, text = ctx.turn, ctx.text
        limit = self.services.settings.max_message_chars
        if len(text) > limit:
            turn.say("too_long", limit=f"{limit:,}".replace(",", "."))
            return True
        if self._is_group(turn.message) and not text.startswith("/") and not turn.message.reply_to:
            return True  # group chatter not meant for the bot
        unsupported = [a for a in turn.message.attachments if a.kind != "photo"]
        if unsupported and not text and not ctx.has_media:
            kind = ATTACHMENT_TEXT_KEYS.get(unsupported[0].kind, "kind_other")
            turn.say("unsupported_attachment", kind=turn.t(kind))
            return True
        return False

    async def _staff_yes(self, ctx: _Ctx) -> bool:
        """Staff typing "ya" right after the bot offered one command in one tap ("Ya, kirim ke pelapor …",
        "Ya, cabut akses", "Mungkin maksud Anda …?"): as if they tapped it. The offer lasts one message."""
        turn = ctx.turn
        offer = turn.state.pop(officer.OFFERED_KEY, None)
        lone = turn.state.pop(officer.OFFERED_LONE_KEY, None)
        said_title = officer.said_offered_title(turn, ctx.text)  # "Ya, cabut akses": the button's words, typed
        yes_words = _PLAIN_YES if lone else _STAFF_YES
        answers_memo = str(offer).startswith("/terima_pesan ")  # (a camat's "siap pak" to the regent's word, too)
        if not offer or (turn.identity.role not in STAFF_ROLES and not answers_memo) or (
                u.plain(ctx.text) not in yes_words and not said_title):
            return False
        name, _, args = str(offer).removeprefix("/").partition(" ")
        await self._run_command(turn, name.lower(), args)
        return True

    async def _staff_picks(self, ctx: _Ctx) -> bool:
        """Staff naming one ticket ("yang jalan di sooko", "yg jembatan") right after their plain words were offered
        to one of several reporters: the words go to that ticket's reporter, and staff see what was sent where."""
        turn = ctx.turn
        if turn.identity.role not in STAFF_ROLES or (picked := officer.picked_from_offer(turn, ctx.text)) is None:
            return False
        number, words = picked
        if number is None:  # "yang di desa": names all three, or none
            await officer.ask_which_again(turn, words)
            return True
        ticket = await turn.store.get_ticket(number)
        if ticket is not None:
            turn.say("reply_which_picked", number=number, topic=topic_name(turn, ticket.topic),
                     place=location_text(turn, ticket), text=words[:300] + ("…" if len(words) > 300 else ""))
        await self._run_command(turn, "balas", f"{number} {words}".strip())
        return True

    async def _stale_button(self, ctx: _Ctx) -> bool:
        """A button of an earlier question (actions/freshness.py): say so and ask the current question again; a
        second tap on "Kirim" after the complaint went out names its ticket."""
        turn = ctx.turn
        if not freshness.is_stale(turn.state, turn.tapped_mark):
            return False
        flow = ctx.flow
        if flow is None and ctx.code == u.SEND:
            ticket = await resident.just_filed(turn)
            if ticket is not None:
                turn.say("button_already_sent", turn.menu_buttons(), number=ticket.number)
                return True
        if flow in _RESUMABLE:
            turn.say("button_stale")
            await _RESUMABLE[flow].ask_again(turn)
        else:
            turn.say("button_stale_no_question", turn.menu_buttons())
        return True

    async def _reply_to_linked_ticket(self, ctx: _Ctx) -> bool:
        """Replying to a ticket's message (a card, an officer's answer) answers that ticket."""
        turn, message, text = ctx.turn, ctx.turn.message, ctx.text
        # A staff member's reply to a card answers that card's ticket even while a command waits for its text
        # (the card names the ticket; the waiting step may be for another one).
        waiting = ctx.flow is not None and not (ctx.flow == "officer" and turn.identity.role in STAFF_ROLES)
        if not message.reply_to or not text or text.startswith("/") or waiting:
            return False
        number = await self.services.store.linked_ticket(
            message.channel, message.chat_id or message.sender_id, message.reply_to
        )
        if not number:
            return False
        if turn.identity.role in STAFF_ROLES:
            await self._run_command(turn, "balas", f"{number} {text}")
            return True
        return await resident.add_resident_message(turn, number, text, quiet_if_not_mine=True)

    async def _slash_command(self, ctx: _Ctx) -> bool:
        if not ctx.text.startswith("/"):
            return False
        name, _, args = ctx.text[1:].partition(" ")
        name = name.split("@", 1)[0].lower()
        name, args = officer.unglue_command(name, args, self.commands)  # "/balasWRG-2612-0001 teks"
        turn = ctx.turn
        # A look aside, or a command we do not know (its help is said): the unsent draft is kept.
        aside = (name in _ASIDE_COMMANDS or (name not in self.commands and name not in _OWN_COMMANDS)
                 or (name in ("aduan", "lapor") and args.strip().lower() in ("saya", "ku")))
        kept = _flow_kept(turn) if aside and ctx.flow in _RESUMABLE else None
        # "/bupati" in the middle of a complaint: the draft waits until the message to the regent is sent or dropped
        parked = _flow_kept(turn) \
            if name == "bupati" and ctx.flow == complaint.FLOW and turn.state.get("draft") else None
        asked_at = turn.state.get(officer.ASKED_AT_KEY)
        await self._command(turn, name, args.strip())
        if parked and turn.state.get("flow") == "regent":
            turn.state[_PARKED_DRAFT_KEY] = parked
        if ctx.flow == "officer":  # /antrian, /info of another ticket...: the waiting step's next text is confirmed
            officer.mark_aside(turn, asked_at if isinstance(asked_at, str) else None)
        if kept:  # a look aside (status, help, language) keeps the unsent draft: answer, then say where they were
            self._back_to_flow(turn, kept)
        return True

    async def _my_numbers(self, ctx: _Ctx) -> bool:
        """"aduan saya yang bulan lalu nomornya berapa ya?": the resident's complaints (`/aduansaya`), a look aside
        that keeps an unsent draft."""
        if ctx.code or not ctx.text or ctx.turn.identity.role in STAFF_ROLES or not resident.asks_my_numbers(ctx.text):
            return False
        # a village official: the reports filed for residents (it got "/aduansaya hanya untuk petugas")
        ctx._set("/wakilan" if ctx.turn.identity.role == on_behalf.ROLE_COMPANION else "/aduansaya")
        return await self._slash_command(ctx)

    async def _my_list_pick(self, ctx: _Ctx) -> bool:
        """"yang kedua", "the first one" right after the resident's list of complaints: that one's status (it got
        "Maaf, saya belum memahami")."""
        if resident.MY_LIST_KEY not in ctx.turn.state:
            return False
        number = (resident.picked_from_list(ctx.turn, ctx.text)
                  if not ctx.code and ctx.flow in (None, "status") else None)  # ("status": its list of them)
        if number is None:
            ctx.turn.state.pop(resident.MY_LIST_KEY, None)
            return False
        ctx._set(f"/status {number}")
        return await self._slash_command(ctx)

    def _back_to_flow(self, turn: Turn, kept: dict[str, Any], again: bool = False) -> None:
        """Back to the flow `kept` after a message handled beside it, saying where the resident was; `again` (the
        same said after the last message too, as each reply passed to an officer beside a draft) says it briefly."""
        for key in _FLOW_KEYS:
            turn.state.pop(key, None)
        turn.state.update(kept)
        flow = str(kept["flow"])
        buttons = [turn.button("resume_button", u.RESUME), turn.button("cancel_button", u.CANCEL)]
        turn.state["resume_offered"] = True
        if again:
            turn.say("resume_after_command_again", buttons)
        elif (begun := _draft_begun_days_ago(turn)) is not None:  # "halo" two months later: not "yang tadi"
            turn.say("resume_after_command_dated", buttons, where=_RESUMABLE[flow].position(turn), date=begun)
        else:
            turn.say("resume_after_command", buttons, where=_RESUMABLE[flow].position(turn))

    async def _behalf_consent(self, ctx: _Ctx) -> bool:
        """A village official's typed answer to "has the resident agreed?" after /wakili."""
        return await on_behalf.answer_consent(ctx.turn) or (ctx.flow is None and not ctx.code
                                                            and await on_behalf.agreed_after_hint(ctx.turn))

    async def _behalf_status(self, ctx: _Ctx) -> bool:
        """A village official's "laporan mbah sarinah gimana pak?": that resident's report, not an answer to an officer
        of another one."""
        if (ctx.flow == complaint.FLOW and not ctx.code and ctx.turn.identity.role == on_behalf.ROLE_COMPANION
                and on_behalf.asks_own_filed(ctx.text)):
            # "aduan warga yang saya bantu apa saja?" while a report is half written (thirty-sixth trial: "cannot
            # answer that here"): the list, and back to the report
            kept = _flow_kept(ctx.turn)
            await on_behalf.status_by_name(ctx.turn)
            self._back_to_flow(ctx.turn, kept)
            return True
        return ctx.flow is None and not ctx.code and await on_behalf.status_by_name(ctx.turn)

    async def _behalf_hint(self, ctx: _Ctx) -> bool:
        """A village official writing "atas nama mbah Sarinah, beliau tidak punya HP": how to file it in her name."""
        turn = ctx.turn
        hinted = turn.state.get(on_behalf.HINTED)
        if (ctx.flow is None and not ctx.code and isinstance(hinted, str)
                and turn.identity.role == on_behalf.ROLE_COMPANION
                and len(ctx.text.split()) <= 4 and u.yes_no(ctx.text) is True):
            # "ya" to "Sepertinya Anda ingin melapor atas nama Pak Darmo …": the button it offered ("Maaf, saya
            # belum memahami" before)
            turn.state.pop(on_behalf.HINTED, None)
            await on_behalf.cmd_file_for.handler(turn, on_behalf.hinted_resident(turn, hinted))
            return True
        return ctx.flow is None and not ctx.code and on_behalf.offer_filing_for(ctx.turn, ctx.text)

    async def _after_outside(self, ctx: _Ctx) -> bool:
        """Right after "this is the national roads office's matter": "lho terus saya harus gimana pak, tolong
        diteruskan saja ke yang berwenang" gets who that is and how to reach them again, and that SP4N-LAPOR! takes
        reports for central agencies, instead of starting a complaint on a topic the regency does not handle."""
        turn = ctx.turn
        overdue = turn.state.pop(resident.OVERDUE_SHOWN_KEY, None)
        if (overdue and ctx.flow is None and not ctx.code and turn_is_resident(turn)
                and _WHAT_NOW.search(u.plain(ctx.text)) and len(ctx.text.split()) <= 10):
            await resident.answer_what_now_overdue(turn, str(overdue))  # "terus saya harus bagaimana?"
            return True
        intent = turn.state.pop(_OUTSIDE_KEY, None)
        if intent is None or ctx.flow is not None or ctx.code or not _WHAT_NOW.search(u.plain(ctx.text)):
            return False
        matter = self.services.directory.external.get(str(intent))
        if matter is None:
            return False
        turn.say("outside_followup", turn.menu_buttons(), name=matter.name,
                 how=matter.how.get(turn.lang) or matter.how["id"])
        return True

    async def _for_regent(self, ctx: _Ctx) -> bool:
        """"saya mau menyampaikan pesan langsung ke pak bupati: …" goes to the regent (confirmed first), and "bukan,
        ini untuk pak bupati langsung" in the middle of a complaint takes what was written there to the regent."""
        turn = ctx.turn
        if turn.identity.role != ROLE_RESIDENT or ctx.code or not ctx.text or ctx.flow not in (None, complaint.FLOW):
            return False  # (a letter's purpose may well be "surat untuk bupati")
        if ctx.flow is None and resident.regent_offer_taken(turn, ctx.text):
            await resident.ask_regent(turn)  # "ya" to the button to write to the regent now
            return True
        said = resident.regent_message_in(ctx.text)
        if said is None:
            return False
        content, only_whom = said
        if (ctx.flow is None and resident.asks_regent_read(ctx.text)
                and await resident.show_regent_message_status(turn)):
            return True  # "pesan saya ke bupati sudah dibaca belum ya?": where it stands, not a new message
        if not content and ctx.flow == complaint.FLOW:
            content = str((turn.state.get("draft") or {}).get("text") or "")
        if content:
            turn.reset_flow()
            await resident.confirm_to_regent(turn, content)
            return True
        if only_whom and ctx.flow is not None:
            return False
        if ctx.flow is None and await _regent_about_own(turn, ctx.text):
            return True
        await resident.ask_regent(turn)
        return True

    async def _held_answer(self, ctx: _Ctx) -> bool:
        """The answer to "pass this message to the officer?": its buttons, or the same typed ("ya", "bukan, itu
        laporan baru", the button's own words on SMS); "batal" lets the message go."""
        turn = ctx.turn
        held = turn.state.get("held") if ctx.flow is None else None
        code = ctx.code
        if code not in (u.FORWARD, u.NOT_FORWARD, u.FORWARD_OTHER) and held and held.get("ticket") and ctx.text:
            code = _typed_forward_answer(turn, ctx.text, held)
            if code is None and u.is_cancel(ctx.text):
                turn.state.pop("held", None)
                turn.say("forward_dropped_question" if held.get("question") else "forward_dropped", turn.menu_buttons(),
                         number=held["ticket"])
                return True
            if code is None and held.get("other") and len(ctx.text.split()) <= 3:
                # "yang mana ya", "ya": which of the two is not said; the question again, the message still held
                turn.say("forward_which_again_question" if held.get("either_question") else "forward_which_again",
                         number=held["ticket"], other=held["other"])
                return True
        if code == u.FORWARD_OTHER and held and held.get("other") and held.get("text"):
            turn.state.pop("held", None)
            await resident.forward_held(turn, held["other"], held["text"], media=held.get("media"))
            return True
        if (held and held.get("text") and ctx.flow is None
                and ctx.code == f"{u.FIXED_PREFIX}{str(held.get('ticket') or '').lower()}:no"):
            # "Belum terjawab" / "Belum" to the office's closing while "pass it on?" waits: the held words go with
            # the reopening (resident.answer_fixed takes them), not let go
            turn.state.pop("held", None)
            turn.state[resident.OTHER_MATTER_KEY] = {"number": held["ticket"], "text": held["text"]}
            return False
        if code not in (u.FORWARD, u.NOT_FORWARD):
            if ctx.flow is None and turn.state.pop("held", None) and held and held.get("text"):
                # a question left unanswered: the held message goes along if this one goes to the same officer
                # ("when will it be fixed?" after the answer itself), else it is dropped and the resident told
                ctx.let_go, ctx.let_go_at = held, len(turn.replies)
            return False
        turn.state.pop("held", None)
        if not held or not held.get("text"):
            turn.say("held_expired", turn.menu_buttons())
            return True
        if code == u.FORWARD:
            await resident.forward_held(turn, held["ticket"], held["text"], media=held.get("media"),
                                        said=held.get("said"))
            return True
        ctx.replace_text(held["text"])  # not for the officer: handle what they wrote as a new message
        if held.get("media"):  # and the photos sent with it go with it
            turn.state[complaint.CARRIED_MEDIA] = list(held["media"])
        ctx.skip_waiting = True
        return False

    async def _other_matter_answer(self, ctx: _Ctx) -> bool:
        """The answer to "reopen the ticket, or file this as a new complaint?" (asked when "belum pak, sampah di TPS
        tidak diangkut" follows "Sudah beres?" on a road): the new-complaint button, or the same typed ("aduan baru",
        "buka lagi"). The reopen button is "fixed:NUMBER:no" (resident.answer_fixed takes the words along). The
        question lasts one message."""
        turn = ctx.turn
        held = turn.state.get(resident.OTHER_MATTER_KEY)
        if ctx.code and ctx.code.startswith(u.FIXED_PREFIX):
            return False
        if held and not ctx.code and _REOPEN_WORDS.search(ctx.low) and len(ctx.low.split()) <= 5:
            await resident.answer_fixed(turn, str(held.get("number") or ""), False)
            return True
        turn.state.pop(resident.OTHER_MATTER_KEY, None)
        if ctx.code != u.OTHER_MATTER and not (held and not ctx.code and len(ctx.low.split()) <= 5
                                               and (_NEW_MATTER.search(ctx.low) or ctx.low in _NEW_WORDS)):
            return False
        if not isinstance(held, dict) or not held.get("text"):
            turn.say("held_expired", turn.menu_buttons())
            return True
        text = str(held["text"])
        await complaint.start_from_text(turn, text, await turn.services.nlu.parse(text[:1000]))
        return True

    async def _payload(self, ctx: _Ctx) -> bool:
        turn, low = ctx.turn, ctx.low
        if low.startswith("nilai:"):
            _, number, value = (low.split(":") + ["", ""])[:3]
            await self._beside_draft(ctx, lambda: resident.rate(turn, number.upper(), value))
            return True
        if low.startswith("faq:"):
            resident.say_faq(turn, "faq/" + low[4:])
            return True
        if low.startswith(u.FIXED_PREFIX):
            _, number, answer = (low.split(":") + ["", ""])[:3]
            await self._beside_draft(ctx, lambda: resident.answer_fixed(turn, number.upper(), answer == "yes"))
            return True
        offer = turn.state.pop(complaint.SECOND_KEY, None)  # asked right after filing; any other message lets it go
        if offer and ctx.flow is None and (ctx.code == u.ALSO or complaint.is_yes(turn)):
            await complaint.start_second_issue(turn, offer)  # (its filing offers the next problem of the message)
            return True
        if offer:
            turn.state.pop(complaint.SECOND_DONE_KEY, None)
        if offer and ctx.flow is None and (ctx.code == u.NO or complaint.is_no(turn) or u.is_cancel(ctx.text)):
            if not await complaint.offer_after_declined(turn, offer):  # the message's third problem, if any
                turn.say("second_issue_declined")
            return True
        if ctx.code == u.ALSO and ctx.flow is None:
            turn.say("held_expired", turn.menu_buttons())
            return True
        if ctx.code in (u.RESUME, u.RESTART) and ctx.flow is None:
            turn.say("held_expired", turn.menu_buttons())
            return True
        return False

    async def _control_words(self, ctx: _Ctx) -> bool:
        """Cancel, menu and help words work at every step of every flow ("hapus aja laporannya" drops a draft)."""
        if resident.sent_by_mistake(ctx.text) and await self._cancel_just_sent(ctx):
            pass  # "waduh salah kirim pak" minutes after sending: withdraw it? (it was not understood)
        elif (ctx.flow == complaint.FLOW and not ctx.code and not ctx.turn.state.get("rating_ticket")
              and resident.says_fixed_before_done(ctx.text) and _NOT_NEEDED.search(u.plain(ctx.text))):
            # "sudah diangkut kemarin ternyata, jadi gak usah" at the photo step (thirty-eighth trial: "send the
            # photo"): nothing to report any more; dropped, and kept a while for "eh jadi deh"
            complaint.set_aside(ctx.turn)
            ctx.turn.say("draft_fixed_meanwhile", ctx.turn.menu_buttons())
        elif (not (ctx.flow == complaint.FLOW and _DROP_FOR_QUESTION.match(u.plain(ctx.text)))
              and (u.is_cancel(ctx.text)
                   or (ctx.flow in (complaint.FLOW, letters.FLOW) and complaint.cancels_draft(ctx.text))
                   or (ctx.flow == complaint.FLOW and resident.typed_by_mistake(ctx.text)))):
            # (not "eh nggak jadi lapor deh, mau tanya aja syarat bikin ktp": forty-second trial, the question lost;
            # below)
            # ("mohon maaf salah kirim" while a complaint is written: dropped, as "batal" drops it; "batal aja deh,
            # nanti saya ke kantor desa langsung" in a letter request too: thirty-eighth trial, kept for later)
            if not await self._cancel_just_sent(ctx):
                self._cancel(ctx.turn)
        elif ctx.flow == complaint.FLOW and (asked := _DROP_FOR_QUESTION.match(u.plain(ctx.text))) is not None:
            # "ga jadi lapor jalan, mau tanya aja soal ktp" (thirty-second trial: asked whether it was another
            # complaint): the draft is set aside (kept for "eh jadi deh"), and the question answered or asked for
            turn = ctx.turn
            complaint.set_aside(turn)
            turn.say("draft_dropped_for_question")
            rest = asked.group("rest").strip()
            faq = u.faq_key(await self.services.nlu.parse(rest), 0.5) if len(rest.split()) >= 2 else None
            if faq:
                resident.say_faq(turn, faq)
            else:  # (no "ask" flow: "eh jadi deh" next still brings the draft back)
                turn.say("info_ask")
        elif (ctx.flow == complaint.FLOW and u.plain(ctx.text) in complaint.BACK_WORDS
              and await complaint.go_back(ctx.turn)):
            pass  # "kembali" at the photo step: the place again
        elif ctx.low in _MENU_WORDS:
            self._greet(ctx.turn)
        elif ctx.low in _STATUS_WORDS and ctx.flow is None and turn_is_resident(ctx.turn):
            await self._command(ctx.turn, "status", "")  # "cek" alone (forty-first trial: "not understood")
        elif ctx.low in _HELP_WORDS and ctx.flow in _RESUMABLE and ctx.low != "?":
            # "tolong" at "Apakah sudah benar?" (forty-first trial: the general help, the question gone): the step,
            # and how to go on or stop
            ctx.turn.say("draft_step_help", where=_RESUMABLE[ctx.flow].position(ctx.turn))
            await _RESUMABLE[ctx.flow].ask_again(ctx.turn)
        elif ctx.low in _HELP_WORDS:
            self._help(ctx.turn)
        else:
            return False
        return True

    async def _language_words(self, ctx: _Ctx) -> bool:
        """"english please", "bahasa indonesia saja", "bisa pakai bahasa jawa?": the language of the answers, as
        /bahasa sets it (Javanese, Sundanese and Madurese are read but answered in Indonesian: said so); the step
        the resident was at is asked again in it. Never passed to an officer as an answer."""
        turn = ctx.turn
        if ctx.code or not ctx.text:  # (staff too: "english please" gave an officer the help, and kept Indonesian)
            return False
        low = u.plain(ctx.text)
        found = _ASKS_LANGUAGE.match(low)
        rest = ""
        if found is None and len(parts := _FIRST_SENTENCE.split(ctx.text, maxsplit=1)) == 2:
            # "sorry, can I write in English? it's near the mosque" (thirty-fourth trial: all of it taken as the
            # place): the language asked first, the rest is the step's answer, read in it
            low, rest = u.plain(parts[0]), parts[1].strip()
            found = _ASKS_LANGUAGE.match(low)
        named = found.group(1) if found else ""
        if not named or (named not in ("english", "inggris", "indonesian", "javanese", "sundanese")
                         and not _LANGUAGE_NOUN.search(low)) or low in ("inggris", "indonesian"):
            return False  # "ke jawa", "indonesia": a place; "bahasa jawa", "english", "indonesian please": a language
        lang = _LANGUAGE_WORDS.get(named, "")
        if lang in ("id", "en"):
            turn.conv.lang = lang
            turn.state[LANG_CHOSEN_KEY] = lang
            turn.say("language_set")
        else:
            turn.say("language_regional", language=turn.t(f"language_name_{_REGIONAL_NAMES[named]}"))
        if rest:
            ctx.replace_text(rest)
            return False
        if ctx.flow in _RESUMABLE:
            await _RESUMABLE[ctx.flow].ask_again(turn)
        return True

    async def _my_data(self, ctx: _Ctx) -> bool:
        """"apakah laporan saya bisa dilihat orang lain?" gets the privacy answer, and "saya mau hapus data saya" what
        is kept and the request passed to the operators: never passed to an officer as an answer, never a complaint."""
        turn = ctx.turn
        if ctx.code or ctx.flow is not None or not ctx.text or turn.identity.role in STAFF_ROLES:
            return False
        if resident.asks_data_deleted(ctx.text):
            await resident.answer_data_deletion(turn)
            return True
        if resident.asks_data_copy(ctx.text):  # "apakah bisa minta salinan data aduan saya?"
            await resident.answer_data_deletion(turn, copy=True)
            return True
        if resident.asks_regent_reads(ctx.text):  # "apakah pak bupati baca sendiri?"
            resident.answer_regent_reads(turn)
            return True
        if complaint.asks_how_long(ctx.text) and await complaint.answer_how_long_for_topic(
                turn, ctx.text, await self._parse(turn)):
            return True  # "berapa lama biasanya aduan jalan rusak diperbaiki?": that office's deadline
        if resident.asks_report_for_other(ctx.text):  # "apakah bisa lapor atas nama orang lain? ibu saya …"
            turn.say("report_for_other", turn.menu_buttons())
            return True
        if resident.asks_who_sees(ctx.text) and await resident.answer_who_sees_mine(turn):
            return True  # "apakah nama saya kelihatan sama petugas?" after filing: as they chose for that complaint
        if resident.asks_who_sees(ctx.text) and resident.PRIVACY_FAQ in self.services.faq_answers:
            resident.say_faq(turn, resident.PRIVACY_FAQ)
            return True
        if public_info.asks_notice_by_email(ctx.text):
            # "kirim ke email saya juga ya, budi@…" with an officer's answer just in (forty-first trial: passed to the
            # officer as the reporter's answer)
            turn.say("notice_in_chat")
            return True
        return False

    async def _mute(self, ctx: _Ctx) -> bool:
        """"STOP", "jangan kirim pesan lagi": asked, then no more pushed messages (actions/mute.py); "mulai" after it
        turns them on again. Inside a flow, "stop" still cancels it."""
        return await mute.handle(ctx.turn, ctx.code, ctx.text, ctx.flow is not None)

    async def _my_report(self, ctx: _Ctx) -> bool:
        """What a resident asks of a complaint already sent (actions/my_report.py): "tolong nama saya jangan
        ditampilkan" makes it anonymous (or begins a report so, with none sent), "saya mau ketemu langsung sama
        petugasnya" gets the office and offers the request to its officer, "eh ternyata bukan jalannya, yang rusak
        itu jembatannya" soon after filing is offered as a change to it. Never passed to an officer as an answer."""
        turn = ctx.turn
        if ctx.flow is not None or turn.identity.role in STAFF_ROLES:
            return False
        if ((number := turn.state.pop(_PLACE_ASKED_KEY, None)) and ctx.text and not ctx.code
                and not u.is_question(ctx.text) and not ctx.text.startswith("/")):
            # the right place asked for ("can I change the location of my complaint?"): "it's actually in front of
            # the school, not the mosque" is that place, for its officers (thirty-fourth trial: offered as a change of
            # topic to school facilities, and later questions were held as answers no officer had asked for)
            if not await turn.store.ticket_events(str(number), "message_out"):
                turn.state.pop("reply_ticket", None)
            return await resident.add_resident_message(turn, str(number), ctx.text, said="place_fix_added")
        if await my_report.topic_fix_answer(turn, ctx.code, ctx.text):
            return True
        if await my_report.recurrence_answer(turn, ctx.code, ctx.text):
            return True
        if ctx.code or not ctx.text or ctx.text.startswith("/"):
            return False
        if await resident.keep_open(turn, ctx.text):
            return True  # "tunggu, jangan dibatalkan dulu" after asking that a complaint be closed: it goes on
        if unsolicited.is_promotion(ctx.text):
            unsolicited.answer(turn)  # "Promo spesial! Pinjaman online cepat cair, klik bit.ly/…": never a complaint
            return True
        if my_report.wants_name_hidden(ctx.text) and resident.regent_message_in(ctx.text) is None:
            return await my_report.hide_name(turn, ctx.text, await self._parse(turn))
        if await my_report.keep_from_public(turn, ctx.text):  # "tolong jangan disebar ke media ya"
            return True
        if await resident.why_closed(turn, ctx.text):  # "kok ditutup? saya belum kasih nilai"
            return True
        if await resident.moved_house(turn, ctx.text):  # "saya sudah pindah rumah, aduan saya gimana?"
            return True
        if resident.asks_name_change(ctx.text):  # "saya mau ganti nama di aduan saya": /nama, not the words
            turn.say("name_change_how", turn.menu_buttons())
            return True
        if await my_report.edit_sent(turn, ctx.text):  # "saya mau ubah isi laporan saya": the next words go to it
            return True
        if ctx.skip_waiting and my_report.asks_meeting(ctx.text):  # "no" to passing the request to meet on
            turn.say("meeting_not_passed", turn.menu_buttons())
            return True
        return (await my_report.meeting(turn, ctx.text)
                # ("eh salah, di pinggir dekat selokan" right after answering an officer's question corrects that
                # answer, for the officer: thirty-fifth trial, offered as the drain topic of the complaint)
                or (await resident.waiting_ticket(turn) is None and await my_report.offer_topic_fix(turn, ctx.text))
                or await my_report.officer_news(turn, ctx.text) or await my_report.lapor_number(turn, ctx.text)
                or await my_report.wrong_photo(turn, ctx.text)
                or await my_report.offer_recurrence(turn, ctx.text)
                # "pak ini harusnya ke dinas perkim" after the hours a resident may move it: to its officers
                or await my_report.office_suggested(turn, ctx.text))

    async def _undo_cancel(self, ctx: _Ctx) -> bool:
        """"eh bentar, jadi deh lapor sampah tadi" soon after cancelling a complaint: it comes back where it was."""
        if ctx.flow is not None:
            return False
        restored = await complaint.restore_cancelled(ctx.turn)
        if restored == letters.FLOW:
            letters.ask_step_again(ctx.turn)
        return restored is not None

    async def _letters(self, ctx: _Ctx) -> bool:
        turn = ctx.turn
        if ctx.flow is None and not ctx.code and letters.resume_parked(turn, ctx.text):
            return True  # "lanjut surat": the request set aside for a complaint comes back
        if (not ctx.code and len(ctx.text.split()) >= LETTER_ASIDE_WORDS and letters.not_a_village(turn, ctx.text)
                and not letters.about_the_request(ctx.text)
                and self._sure_complaint(parse := await self._parse(turn))):
            # "eh sebentar, jalan depan rumah saya juga rusak parah" at the village question: that complaint now,
            # the letter request kept for "lanjut surat"
            letters.park(turn)
            ctx.flow, ctx.parse = None, parse
            return False
        return await letters.intercept(turn)  # letter requests and their flows (#17)

    def _sure_complaint(self, parse: dict[str, Any]) -> bool:
        routing = parse.get("opd") or {}
        return (isinstance(routing, dict) and routing.get("topic") in self.services.directory.routing
                and float(routing.get("confidence") or 0) >= resident.OTHER_MATTER_CONFIDENCE)

    async def _no_content(self, ctx: _Ctx) -> bool:
        turn, text = ctx.turn, ctx.text
        if not text and not ctx.has_media and not turn.message.location:
            turn.say("empty_message", turn.menu_buttons())
            return True
        if (text and ctx.flow is None and not ctx.has_media and _LINKS_ONLY.fullmatch(text)
                and Location.from_text(text) is None
                and not (complaint.map_link(text) and await resident.open_for_addition(turn) is not None)):
            # "https://facebook.com/groups/…" alone (thirty-first trial: a complaint on unsure topics began from it):
            # links are not opened; the matter in words, please (a maps link at the place question is the step's, and
            # one sent after filing the open complaint's)
            turn.say("link_only", turn.menu_buttons())
            return True
        # Emoji and punctuation alone say nothing; digits do ("200-300" meters, "-7.5521, 112.4367", a date).
        if (text and not _LETTER.search(text) and not any(c.isdigit() for c in text) and ctx.flow is None
                and not ctx.has_media):
            if await self._fixed_by_emoji(ctx):
                return True
            if turn.state.get("rating_ticket") and resident.rating_in(text) is not None:
                return False  # "⭐⭐⭐⭐" to "Sudah beres?" or the rating question: a rating (_rating_typed)
            first = len(turn.state.get("history") or []) <= 1
            if _thanks_emoji(text) and first:  # "🙂" to open a chat: a greeting, nothing to thank for yet
                self._greet(turn)
                return True
            if _thanks_emoji(text) and await _nothing_done_yet(turn):  # "halo", then "🙏": still nothing to thank for
                turn.say("thanks_before_help", turn.menu_buttons())
                return True
            if _thanks_emoji(text) and await self._officer_question_open(turn):
                return True  # 👍 to "lubangnya kira-kira selebar berapa meter?": the question is still to answer
            if _thanks_emoji(text):  # 👍 or 🙏 after an answer or a rating: a thank-you, said without words
                turn.say("thanks")
                return True
            if not any(unicodedata.category(c) == "So" for c in text):  # "...", "?!": punctuation, no emoji
                turn.say("no_words", turn.menu_buttons())
                return True
            turn.say("no_text_content", turn.menu_buttons())
            return True
        return False

    async def _officer_question_open(self, turn: Turn) -> bool:
        """An emoji alone while an officer's last words to this resident ask something: they are told the question
        waits for words (the officer hears nothing of a 👍; "ok pak" would be passed on)."""
        if turn.identity.role in STAFF_ROLES or (ticket := await resident.waiting_ticket(turn)) is None:
            return False
        said = [e for e in await turn.store.ticket_events(ticket.number) if e.kind in ("message_out", "message_in")]
        if not said or said[-1].kind != "message_out" or "?" not in (said[-1].text or ""):
            return False  # (answered already, then 👍: a thank-you; forty-first trial, told the question still waits)
        asked = " ".join((said[-1].text or "").split())
        turn.say("emoji_officer_asked", opd=handler_name(turn, ticket), number=ticket.number,
                 question=asked[:300] + ("…" if len(asked) > 300 else ""))
        return True

    async def _fixed_by_emoji(self, ctx: _Ctx) -> bool:
        """👍 or 👎 alone to "Sudah beres?" (not yet answered): yes or not yet, as its buttons."""
        turn = ctx.turn
        number = turn.state.get("rating_ticket")
        marks = {c for c in ctx.text if not c.isspace() and c not in _EMOJI_MODIFIERS}
        said = True if marks and marks <= _YES_EMOJI else False if marks and marks <= _NO_EMOJI else None
        if said is None or not number or turn.state.get("rating_asked") == number:
            return False
        done = await resident.recently_done(turn)
        if done is None or done.number != number or done.status != STATUS_DONE:
            return False
        await resident.answer_fixed(turn, number, said)
        return True

    async def _crisis(self, ctx: _Ctx) -> bool:
        """"saya capek, mau bunuh diri saja": care and a counsellor's number before anything else, in any flow
        (actions/crisis.py); and the answer to its offer of a health worker. Staff are never read so."""
        turn = ctx.turn
        if ctx.low.split(" ", 1)[0] in ("/batal", "/cancel", "/menu", "/start", "/mulai"):
            turn.state.pop(crisis.OFFER_KEY, None)  # the offer is withdrawn with the rest
        if turn.identity.role in STAFF_ROLES or ctx.text.startswith("/"):
            return False
        tapped = ctx.low.startswith(("btn:", u.TOPIC_PREFIX, u.PRIVACY_PREFIX, u.FIXED_PREFIX, "nilai:", "faq:"))
        code = u.code_of(ctx.text) if tapped else None
        if code not in (crisis.HELP, crisis.DECLINE) and (tapped or ctx.low in _MENU_WORDS):
            turn.state.pop(crisis.OFFER_KEY, None)  # another button, or the menu: the offer is let go
            return False

        async def parse() -> dict[str, Any]:
            return await self._parse(turn)

        return await crisis.handle(turn, code if code in (crisis.HELP, crisis.DECLINE) else None, ctx.text, parse)

    async def _understand(self, ctx: _Ctx) -> bool:
        """Ask the NLU what a typed message means (never for a button's code)."""
        if ctx.text and not ctx.code and ctx.flow not in _NO_NLU_FLOWS:
            ctx.parse = await self._parse(ctx.turn)
        return False

    async def _lapor_report(self, ctx: _Ctx) -> bool:
        """"kenapa laporan saya di lapor.go.id tidak ada tanggapan? nomor tracking 3412345": a report the resident
        follows on SP4N-LAPOR!. One of theirs that we pushed there (its LAPOR! number named) gets its status here;
        another is told where it is followed, and that the matter can be told here too."""
        if ctx.flow is not None or ctx.code or not ctx.text or not turn_is_resident(ctx.turn):
            return False

        async def parse() -> dict[str, Any]:
            return await self._parse(ctx.turn)

        return await resident.answer_lapor_report(ctx.turn, ctx.text, parse)

    async def _harmed(self, ctx: _Ctx) -> bool:
        """"suami saya sering memukul saya, saya takut pulang", "my husband hits me": safety first, and the report kept
        confidential for the office for women and children (actions/complaint.py start_harmed), whatever else the
        words read as."""
        if ctx.flow is not None or ctx.code or not ctx.text or not turn_is_resident(ctx.turn):
            return False
        if not complaint.harmed(ctx.text):
            return False
        await complaint.start_harmed(ctx.turn, ctx.text, ctx.parse or {})
        return True

    async def _hungry(self, ctx: _Ctx) -> bool:
        """"saya tidak punya uang untuk makan, anak saya belum makan dari kemarin": where to get food today, and the
        report, urgent, for the social office (actions/complaint.py start_hungry)."""
        if ctx.flow is not None or ctx.code or not ctx.text or not turn_is_resident(ctx.turn):
            return False
        if complaint.uninsured_sick(ctx.text) and UNINSURED_FAQ in self.services.faq_answers:
            # "ibu saya sakit tidak punya bpjs, biaya rumah sakit mahal": how cover paid by the government is had, now
            ctx.turn.say("uninsured_help")
            resident.say_faq(ctx.turn, UNINSURED_FAQ)
            ctx.turn.say("uninsured_complaint", [ctx.turn.button("menu_complaint", "/aduan")])
            return True
        if not complaint.hungry(ctx.text):
            return False
        await complaint.start_hungry(ctx.turn, ctx.text, ctx.parse or {})
        return True

    async def _not_emergency(self, ctx: _Ctx) -> bool:
        """"bukan darurat pak, kebakarannya bulan lalu" after an emergency report: it is withdrawn from the emergency
        line and its text goes through the ordinary complaint steps instead (never taken as the place)."""
        turn = ctx.turn
        if ctx.code or not ctx.text or turn.identity.role in STAFF_ROLES:
            return False
        ticket = await emergency.emergency_to_retract(turn)
        if ticket is None:
            return False
        text = await emergency.retract(turn, ticket)
        turn.message = replace(turn.message, text=text)
        turn.nlu = None
        await complaint.start_from_text(turn, text, await self._parse(turn))
        return True

    async def _emergency(self, ctx: _Ctx) -> bool:
        """Danger to life: numbers first, the report filed at once, details afterwards."""
        if ctx.code or ctx.flow in _NO_NLU_FLOWS or ctx.flow == emergency.FLOW:
            return False
        sign = emergency.detect(ctx.turn, ctx.parse)
        resident_speaks = sign is None and ctx.turn.identity.role not in STAFF_ROLES
        if resident_speaks and emergency.missing_person(ctx.text):
            # "tolong pak anak saya hilang sejak kemarin sore": the police at once, whatever step a draft is at
            return self._answer_beside_flow(ctx, emergency.answer_missing_person)
        if resident_speaks and emergency.defrauded(ctx.text):
            # "saya korban penipuan online, uang saya 2 juta hilang": the police, and the bank
            return self._answer_beside_flow(ctx, emergency.answer_defrauded)
        if (resident_speaks and emergency.lost_thing(ctx.text)
                and not move_account.says_changed_account(ctx.text)):  # (not "hp saya hilang, aduan saya gimana?")
            # "hp saya hilang di pasar": a report of loss at the police
            return self._answer_beside_flow(ctx, emergency.answer_lost_thing)
        if sign is None:  # "kalo ada kebakaran nomor damkar berapa?" is answered, not filed
            return ctx.turn.identity.role not in STAFF_ROLES and emergency.answer_question(ctx.turn, ctx.parse)
        await emergency.report(ctx.turn, sign, ctx.parse)
        return True

    def _answer_beside_flow(self, ctx: _Ctx, answer: Callable[[Turn], None]) -> bool:
        """`answer` said whatever step a draft is at; the draft's question is asked again after it."""
        kept = _flow_kept(ctx.turn) if ctx.flow in _RESUMABLE else {}
        answer(ctx.turn)
        if kept:
            self._back_to_flow(ctx.turn, kept)
        return True

    async def _office_info(self, ctx: _Ctx) -> bool:
        """"di mana alamat kantor dukcapil?", "jam buka dinsos?": that office's address, hours and number (its
        directory line), else the regency's contact; never the general opening-hours FAQ."""
        turn = ctx.turn
        if ctx.code or not ctx.text or ctx.flow is not None or turn.identity.role in STAFF_ROLES:
            return False
        if resident.asks_regent_office(ctx.text):  # "kantor bupati dimana?": the regency's contact, and /bupati
            resident.answer_regent_office(turn)
            return True
        if resident.asks_regency_hours(ctx.text) and "faq/jam_layanan" in self.services.faq_answers:
            resident.say_faq(turn, "faq/jam_layanan")  # "is the regent's office open on saturday?"
            return True
        if resident.asks_meet_regent(ctx.text):  # "apakah saya bisa ketemu langsung dengan bupati?"
            resident.answer_meet_regent(turn)
            return True
        opd = resident.asks_office(turn, ctx.text, ctx.parse)
        if opd is None:
            return False
        resident.answer_office(turn, opd)
        return True

    async def _moved_and_after(self, ctx: _Ctx) -> bool:
        """"lho kok dialihkan ke dinas sosial? ini jalan rusak" (the objection to the office it has now) and "laporan
        tetangga saya sudah ditangani belum?" (only its reporter follows it); thirty-eighth trial: the resident's own
        status, twice."""
        turn = ctx.turn
        if ctx.flow is not None or ctx.code or not ctx.text or not turn_is_resident(turn):
            return False
        if await resident.dispute_transfer(turn, ctx.text):
            return True
        if resident.asks_others_report(ctx.text):
            turn.say("others_report_private", turn.menu_buttons())
            return True
        return False

    async def _changed_account(self, ctx: _Ctx) -> bool:
        """"hp saya hilang, nomor wa ganti, aduan saya gimana?": how a complaint moves to this account (the operators
        check first; actions/move_account.py), offered; a typed yes to that offer files the request."""
        turn = ctx.turn
        if ctx.code or not ctx.text or ctx.flow is not None or turn.identity.role in STAFF_ROLES:
            return False
        offered = turn.state.get(move_account.OFFER_KEY)
        if offered and not ctx.text.startswith("/"):
            answer = u.yes_no(ctx.text) if len(ctx.text.split()) <= 6 else None
            if answer is True:
                await move_account.cmd_move_request.handler(turn, "")
                return True
            turn.state.pop(move_account.OFFER_KEY, None)
            if answer is False:
                turn.say("move_not_asked", turn.menu_buttons())
                return True
        if not move_account.says_changed_account(ctx.text):
            return False
        await move_account.offer(turn, ctx.text)
        return True

    async def _flow_guard(self, ctx: _Ctx) -> bool:
        """What a resident's flow must not take as an answer: greetings, answerable questions, new topics."""
        turn, flow = ctx.turn, ctx.flow
        if flow not in _RESUMABLE:
            return False
        offered = turn.state.pop("resume_offered", None)
        typed = bool(ctx.text) and not ctx.low.startswith(("btn:", u.TOPIC_PREFIX, u.PRIVACY_PREFIX))
        if typed and not ctx.code and (
                (_WHERE_WERE_WE.search(u.plain(ctx.text)) and len(ctx.text.split()) <= 12
                 and not re.search(r"\b(?:aduan|laporan|tiket|pesan|surat|complaint|report)\w*", u.plain(ctx.text)))
                or re.fullmatch(r"[?¿\s]+", ctx.text)):
            # "maaf tadi sinyal hilang, sampai mana ya?", "??" (thirty-seventh trial: "cannot answer that here"):
            # where the resident is, and the question again
            turn.say("draft_where_now", where=_RESUMABLE[flow].position(turn))
            await _RESUMABLE[flow].ask_again(turn)
            return True
        if typed and not ctx.code and resident.feels_ignored(ctx.text):
            # "halo?? kok diam aja" at the topic question (thirty-seventh trial: added to the complaint's words): we
            # are here, and the question waits for its answer
            turn.say("draft_still_here")
            await _RESUMABLE[flow].ask_again(turn)
            return True
        if (offered == "resume_new_complaint" and typed and ctx.code in (None, u.YES, u.NO, u.SKIP)
                and _without_fillers(ctx.text) not in _RESUME_WORDS | _RESTART_WORDS
                and ((len(ctx.text.split()) <= 4 and not ctx.text.rstrip().endswith("?")
                      and u.yes_no(ctx.text) is not None) or u.plain(ctx.text) in complaint.SKIP_WORDS)):
            # (not "jam buka dukcapil sampai jam brp ya" nor "bayar PBB bisa online gk?": questions, answered below)
            # "ya", "lewati" to "continue that complaint, or make this one a new one?": which is not said, and the
            # step underneath must not take it ("lewati" at the topic list sends the draft to triage)
            self._offer_resume(turn, flow, "resume_pick_button")
            return True
        if offered is True and typed and ctx.code in (None, u.YES) and _resumes(turn, ctx.text, offered):
            ctx.code = u.RESUME  # "iya" to "... Pilih Lanjutkan untuk meneruskannya" (Lanjutkan and Batal shown)
        if offered and (not ctx.code or (typed and offered == "resume_prompt")):  # the words of the buttons just
            # shown ("lanjut" typed after "welcome back" is no "Lanjut" of the step underneath: thirty-seventh trial,
            # the guessed place taken; beside a message handled mid-draft it still goes on with the step's yes)
            said = _without_fillers(ctx.text)  # "yg baru aja kak" -> "baru", "lanjut deh" -> "lanjut"
            if said in _RESUME_WORDS:
                ctx.code = u.RESUME
            elif said in _RESTART_WORDS:
                ctx.code = u.RESTART
        elif (not ctx.code and typed and _draft_idle(turn) and len(ctx.text.split()) > 1
              and _without_fillers(ctx.text) in _RESUME_WORDS):
            # "lanjut yang kemarin" to a draft left for days, nothing offered (thirty-fifth trial: the place question
            # of two days before took it for a yes): its question, asked again
            ctx.code = u.RESUME
        if ctx.code == u.RESUME:
            if flow == complaint.FLOW:
                turn.state.pop("held", None)  # the other message was not a new complaint after all
            await _RESUMABLE[flow].ask_again(turn)
            return True
        if ctx.code == u.RESTART:
            await self._restart(turn, flow)
            return True
        if ctx.code or not ctx.text:
            return False
        number = find_ticket_number(ctx.text)
        if await self._reopen_named(ctx, number):
            return True
        if flow == complaint.FLOW and not number and await self._unsent_asked(ctx):
            return True
        alone = bool(number) and len(ctx.text.split()) <= 3  # a ticket number alone is a status check, not an answer
        how_long = (flow == complaint.FLOW and not number and _how_long_asked(ctx.text, turn.state.get("step"))
                    and not _OWN_REPORT_WORD.search(ctx.low))  # "how long will it take?": the step's aside answers
        if alone or (resident.asks_status(ctx.text) and not how_long) or resident.asks_my_tickets(ctx.text):
            # so is "what is the status of my complaint?" at any step, and "aduan saya" lists them
            kept = _flow_kept(turn)
            if alone and number:
                await resident.show_status(turn, number)
            elif resident.asks_my_tickets(ctx.text):
                await resident.cmd_my_tickets.handler(turn, "")
            else:
                await resident.cmd_status.handler(turn, ctx.text)
            self._back_to_flow(turn, kept)
            return True
        if flow == complaint.FLOW and resident.going_public(ctx.text, resident.GOING_PUBLIC_DRAFTING_WORDS):
            # "woy gmn ini laporan sy gk ada yg respon, mau sy viralin" while the complaint was never sent
            kept = _flow_kept(turn)
            await resident.answer_going_public(turn, drafting=True)
            self._back_to_flow(turn, kept)
            return True
        said = ctx.text.strip()
        labelled = _PERSONAL_LABEL.match(said)
        digits = said[labelled.end():] if labelled else said
        if (_PERSONAL_NUMBER.fullmatch(digits.replace(" ", "").replace("-", ""))
                and (labelled or turn.state.get("step") not in complaint.FREE_TEXT_STEPS)
                and turn.state.get("step") != "privacy"  # (its own answer: complaint._privacy_step_words)
                and await resident.waiting_ticket(turn) is None):
            # A NIK or a phone number alone where a choice is asked: not needed, and the question again.
            turn.say("personal_number_in_flow")
            await _RESUMABLE[flow].ask_again(turn)
            return True
        step = turn.state.get("step")
        if (flow == complaint.FLOW and len(ctx.text.split()) >= 3
                and u.plain(ctx.text) == u.plain(ComplaintDraft.load(turn.state).text)):
            # the report sent twice (a double tap, a resend on a slow line): nothing added, the same question again
            # (it was added to the report a second time)
            turn.say("same_report_again")
            await _RESUMABLE[flow].ask_again(turn)
            return True
        if (flow == complaint.FLOW and step != "confirm" and _pauses(ctx.text)
                and not (step == "photo" and complaint.photo_later(ctx.text))
                and not (step == "location" and complaint.place_later(ctx.text))):
            # "nanti saja ya pak, saya lagi di jalan": nothing taken as the step's answer (its "ya" was a yes to the
            # place); the draft waits, and "lanjut" takes it up (the summary's own "not now", and "the photo / the
            # place comes later", are the steps' own)
            if step == "photo":  # "tunggu ya pak, saya fotoin dulu": the photo is awaited ("lanjut" goes on without)
                turn.say("draft_paused_photo")
                return True
            turn.state["resume_offered"] = True
            turn.say("draft_paused", [turn.button("resume_button", u.RESUME), turn.button("cancel_button", u.CANCEL)],
                     where=_RESUMABLE[flow].position(turn))
            return True
        if u.is_greeting(ctx.text):
            left_at = _draft_left_at(turn)
            if (u.plain(ctx.text) in _CALLING and left_at is not None
                    and turn.now - left_at <= timedelta(minutes=STILL_HERE_MINUTES)):
                # "pak" a minute after "mau lapor": calling for attention mid-sentence, not coming back ("halo" is
                # also what the web page sends when reloaded: the resume offer, below)
                turn.say("flow_still_here")
                await _RESUMABLE[flow].ask_again(turn)
                return True
            hour = _hour_greeted(ctx.text)
            if ((hour or _SALAM.search(ctx.text.lower())) and flow == "regent" and left_at is not None
                    and turn.now - left_at <= timedelta(minutes=STILL_HERE_MINUTES)):
                # "selamat pagi pak" right after /bupati asked for the message (thirty-third trial: "welcome back,
                # you were writing to the regent; continue?"): the greeting answered, and the message asked for
                turn.replies.append(Reply(turn.t(f"greeting_{hour}") + "." if hour else turn.t("salam_answer")))
                await _RESUMABLE[flow].ask_again(turn)
                return True
            if flow == complaint.FLOW:
                turn.state.pop("held", None)  # "start over" after a greeting starts an empty complaint
            self._offer_resume(turn, flow)
            return True
        if flow == complaint.FLOW and resident.wants_regent_instead(ctx.text):
            # "langsung ke bupati aja pak, dinas ga pernah respon": who acts on it, that the regent watches every
            # complaint's deadline, and the way to write to him (it was added to the report for the office)
            kept = _flow_kept(turn)
            draft = ComplaintDraft.load(turn.state)
            turn.say("draft_regent_instead", [turn.button("menu_regent", "/bupati")],
                     opd=opd_name(turn, draft.opd) if draft.opd else turn.t("complaint_service"))
            self._back_to_flow(turn, kept)
            return True
        if flow == complaint.FLOW and resident.asks_human_in_flow(ctx.text):
            # "ini bot ya? saya mau bicara dengan manusia saja" at "is the topic right?" (its "ya" was taken as yes):
            # who handles it and the regency's contact, then the draft where it was
            kept = _flow_kept(turn)
            resident.answer_human(turn, menu=False)
            self._back_to_flow(turn, kept)
            return True
        faq = u.faq_key(ctx.parse, 0.6)
        # An FAQ the NLU is sure of ("bayar PBB bisa online gk?": PBB, not "is reporting free?") is answered as one;
        # a vaguer question ("berapa lama ya kira2?") is about the complaint, answered by the step's aside
        faq_sure = bool(faq) and float((ctx.parse.get("intent") or {}).get("confidence") or 0) >= FAQ_SURE_INTENT \
            and u.faq_selection(ctx.parse)[1] >= FAQ_SURE_ANSWER
        if flow == complaint.FLOW and not faq_sure and await complaint.answer_aside(turn):
            return True  # "ini gratis kan?", "anjing lah" mid-complaint: answered, then the same step (not a topic)
        if (faq and (u.is_question(ctx.text) or _QUESTION_WORD.search(u.plain(ctx.text)))
                and not resident.asks_who_is_regent(ctx.text)):
            resident.say_faq(turn, faq)
            turn.say("resume_after_answer")
            await _RESUMABLE[flow].ask_again(turn)
            return True
        if flow == complaint.FLOW and await self._answers_officer(ctx):
            return True
        if flow == complaint.FLOW and await complaint.note_next_matter(turn, ctx.text, ctx.parse):
            # "eh iya pak satu lagi, sampah di pasar numpuk" at the photo step: kept for after this one is sent (it
            # asked "continue, or make this a new complaint?", and "lewati" then was no answer)
            await _RESUMABLE[flow].ask_again(turn)
            return True
        if flow == complaint.FLOW and await complaint.late_topic_fix(turn):
            return True
        if flow == complaint.FLOW and self._starts_something_else(ctx):
            waiting = await resident.waiting_ticket(turn)
            if (waiting is not None and u.looks_like_answer(ctx.text)
                    and _takes_up_officer(ctx.text, await _officer_words(turn, waiting))):
                # The answer to an officer's question, typed while a new complaint was half written: it goes to
                # the officer, and the unsent draft is kept with a prompt to continue it.
                kept = _flow_kept(turn)
                await resident.add_resident_message(turn, waiting.number, ctx.text)
                self._back_to_flow(turn, kept)
                return True
            turn.state["held"] = {"text": ctx.text[:4000]}
            self._offer_resume(turn, flow, "resume_new_complaint")
            return True
        return False

    async def _hold_on(self, ctx: _Ctx) -> bool:
        """"bentar ya pak saya cek dulu", "tunggu sebentar": the resident needs a moment in the middle of a complaint;
        it waits at its step (twenty-seventh trial: the "ya" in it confirmed the topic)."""
        if (ctx.code or ctx.flow != complaint.FLOW or not turn_is_resident(ctx.turn)
                or ctx.turn.state.get("step") == "confirm"  # ("wait" at the summary: not sent yet, its own answer)
                or not _HOLD_ON.match(u.plain(ctx.text))):
            return False
        ctx.turn.state.pop("resume_offered", None)
        ctx.turn.say("draft_hold_on")
        return True

    async def _how_to_send(self, ctx: _Ctx) -> bool:
        """"gimana cara share lokasi pak?", "bagaimana cara kirim foto lewat sini?": how, on this channel. Said
        beside a draft, the draft stays at its step; while an officer waits, it is not taken for the answer."""
        turn = ctx.turn
        if ctx.code or ctx.flow not in (None, complaint.FLOW) or not turn_is_resident(turn):
            return False
        kind = resident.how_to_send(ctx.text)
        if kind is None:
            return False
        turn.say(f"how_to_send_{kind}")
        if ctx.flow is None and (waiting := await resident.waiting_ticket(turn)) is not None:
            turn.say("how_to_send_for_officer", number=waiting.number)
        return True

    async def _photo_coming(self, ctx: _Ctx) -> bool:
        """"aduan saya yang kemarin mau saya tambah fotonya": the photo asked for, and added to that complaint when it
        comes (a new complaint began). Not while an officer waits for an answer (the photo is theirs), nor within
        FILED_HOURS of filing when it promises the photo for later ("dan fotonya menyusul besok ya": where it goes,
        _fresh_follow_up)."""
        turn = ctx.turn
        if (not ctx.code and ctx.flow is None and not ctx.has_media and turn_is_resident(turn)
                and resident.asks_result_photo(ctx.text) and (mine := await resident.open_complaint_of(turn))):
            # "bisa minta foto hasil perbaikannya nanti?" (thirty-seventh trial: told to send a photo): the officers'
            # to send, asked of them
            return await resident.add_resident_message(turn, mine.number, ctx.text, quiet_if_not_mine=True,
                                                       said="result_photo_asked")
        if (ctx.code or ctx.flow is not None or ctx.has_media or not turn_is_resident(turn)
                or not resident.announces_photo(ctx.text)):
            return False
        if (waiting := await resident.waiting_ticket(turn)) is not None:
            # "nanti saya minta tolong anak saya fotoin" to the officer's "bisa kirim foto lubangnya?" (thirty-seventh
            # trial: the help): the officer's to read, and the photo theirs when it comes
            return await resident.add_resident_message(turn, waiting.number, ctx.text, quiet_if_not_mine=True)
        if complaint.photo_later(ctx.text) and await resident.just_filed(turn) is not None:
            return False
        return await resident.expect_photo(turn, ctx.text)

    async def _draft_aside(self, ctx: _Ctx) -> bool:
        """A half-written complaint does not take every next message as its answer. When an officer wrote to the
        resident after the draft's last step, the reply is the officer's ("masih pak tapi pelan2" to "apakah jalan itu
        masih bisa dilewati mobil?", or the photo asked for), unless it plainly answers the draft's own buttons while
        the draft is fresh ("iya bener itu pak" to "... Dishub. Apakah sudah benar?"); the draft is offered again. A
        draft left for DRAFT_IDLE_HOURS captures nothing typed: the message is handled as if none were open, and the
        draft offered again after it."""
        turn = ctx.turn
        tapped = ctx.low.startswith(("btn:", u.TOPIC_PREFIX, u.PRIVACY_PREFIX, u.FIXED_PREFIX))
        if (ctx.flow == "regent" and not tapped and turn.identity.role not in STAFF_ROLES and ctx.text
                and _without_fillers(ctx.text) not in _RESUME_WORDS | _RESTART_WORDS and not _resumes(turn, ctx.text)
                and _draft_idle(turn)):
            # a message to the regent left unsent for days takes nothing typed now (thirty-first trial: a complaint
            # fifteen days later was added to it): read afresh, and the message offered again after
            _set_aside(ctx)
            return False
        if (ctx.flow != complaint.FLOW or tapped or turn.identity.role in STAFF_ROLES
                or not (ctx.text or ctx.has_media) or _without_fillers(ctx.text) in _RESUME_WORDS | _RESTART_WORDS
                or _resumes(turn, ctx.text)):
            return False
        idle = _draft_idle(turn)
        waiting = await resident.waiting_ticket(turn)
        talking = waiting is not None and (_with_officer(turn) == waiting.number
                                           or await _officer_wrote_last(turn, waiting))
        if (waiting is not None and talking and (idle or not _answers_draft_step(turn, ctx.text))
                and resident.reply_decision(turn, waiting, ctx.parse) != resident.OWN
                and not _new_matter_for(turn, waiting, ctx.parse, await _officer_words(turn, waiting))):
            left_at = _draft_left_at(turn)
            kept = _flow_kept(turn)
            again = turn.state.get("resume_offered") is True  # the last message was passed on beside it too
            await resident.add_resident_message(turn, waiting.number, ctx.text)
            self._back_to_flow(turn, kept, again)
            draft = turn.state.get("draft")
            if isinstance(draft, dict) and left_at is not None:
                draft[_WITH_OFFICER] = {"ticket": waiting.number, "left_at": left_at.isoformat()}
            return True
        if not idle or (ctx.has_media and turn.state.get("step") == "photo"):
            return False  # (the photo the draft asked for, sent days later, is still its answer)
        if _promised_place(turn, ctx):
            turn.say("location_later_taken", topic=topic_name(turn, ComplaintDraft.load(turn.state).topic))
            return False  # "pak RT bilang di RT 02 RW 05 desa ciwidey": the place the resident went to ask about
        if _bare_place_for_idle(turn, ctx):
            turn.state[_IDLE_PLACE_KEY] = ctx.text.strip()[:300]
            turn.say("idle_place_ask", [turn.button("idle_place_yes", _PLACE_FOR_DRAFT),
                                        turn.button("idle_place_no", _PLACE_NOT_FOR_DRAFT)],
                     topic=topic_name(turn, ComplaintDraft.load(turn.state).topic), place=ctx.text.strip()[:120])
            return True
        turn.state[resident.DRAFT_ASIDE_KEY] = True  # "laporan saya kemarin gmn?": it is this draft, not yet sent
        _set_aside(ctx)
        return False

    async def _idle_place_answer(self, ctx: _Ctx) -> bool:
        """The answer to "is this place for your unsent complaint about …?" (`_bare_place_for_idle`): yes, it is that
        draft's place and the draft goes on; no, it is another matter, offered as a new complaint or the draft
        resumed; anything else lets the question go."""
        turn = ctx.turn
        held = turn.state.pop(_IDLE_PLACE_KEY, None)
        if not isinstance(held, str) or ctx.flow != complaint.FLOW:
            return False
        typed = u.yes_no(ctx.text) if not ctx.code and len(ctx.text.split()) <= 4 else None
        if ctx.code in (_PLACE_FOR_DRAFT, u.YES) or typed is True:
            turn.message = replace(turn.message, text=held)
            turn.nlu = None
            await _FLOWS[complaint.FLOW](turn)  # the place question's own answer, as if typed now
            return True
        words = ctx.text.split()
        if ctx.code in (_PLACE_NOT_FOR_DRAFT, u.NO) or typed is False:
            turn.state["held"] = {"text": held}  # "new complaint" starts from the place
            self._offer_resume(turn, complaint.FLOW, "resume_new_complaint")
            return True
        if (not ctx.code and len(words) > 4
                and (u.yes_no(words[0].strip(",.")) is False or words[0].strip(",.").lower() in ("bukan", "bkn"))):
            # "bukan, ini soal jalan rusak di desa puri": another matter, told; it is the new complaint offered (it
            # changed the unsent draft's topic)
            turn.state["held"] = {"text": ctx.text.strip()[:4000]}
            self._offer_resume(turn, complaint.FLOW, "resume_new_complaint")
            return True
        return False

    def _offer_set_aside(self, turn: Turn, kept: dict[str, Any]) -> None:
        """After a message handled beside an idle draft: the draft is offered again, unless the message started
        something that now waits for an answer (a new complaint, "pass this to the officer?"), which takes its place."""
        if any(key in turn.state for key in (*_FLOW_KEYS, "withdraw", resident.WITHDRAW_WHICH_KEY)):
            logger.info("an idle complaint draft gave way to a new question")
            return
        self._back_to_flow(turn, kept)

    async def _answers_officer(self, ctx: _Ctx) -> bool:
        """The first words after an officer asked something while a new complaint sat half written answer that officer
        ("maaf pak baru sempat balas, lubangnya sekitar 2 meter"): the officer's question is the last thing the
        resident saw. They go to the officer, and the unsent draft waits with a prompt to continue it."""
        turn = ctx.turn
        if ctx.code or len(ctx.text.split()) < 3 or turn.identity.role in STAFF_ROLES:
            return False
        waiting = await resident.waiting_ticket(turn)
        if waiting is None or resident.reply_decision(turn, waiting, ctx.parse) != resident.FORWARD:
            return False
        # Only words that answer the officer: they say so ("maaf baru sempat balas", "sorry for the late reply") or
        # take up the officer's own words ("lubangnya sekitar 2 meter" to "lubangnya seberapa besar?"); the draft's
        # answers ("iya bener itu pak", "depan masjid desa sooko", "anonim saja pak") and a new complaint
        # ("jembatan di dusun krajan ambrol") stay with the draft.
        outs = await _officer_words(turn, waiting)
        if not _takes_up_officer(ctx.text, outs):
            return False
        history = turn.state.get("history") or []
        before = datetime.fromisoformat(str(history[-2]["at"])) if len(history) >= 2 else None
        if before is None or max(e.at for e in outs) <= before:
            return False  # the resident wrote since the question: this message is for the draft
        kept = _flow_kept(turn)
        await resident.add_resident_message(turn, waiting.number, ctx.text)
        self._back_to_flow(turn, kept)
        return True

    async def _unsent_asked(self, ctx: _Ctx) -> bool:
        """"yg semalem udah masuk blm ya laporan sy?", or a status question from someone with no ticket yet, while a
        complaint is half written: it was not sent; say where it stopped and offer to go on (a "no photo" said along
        at the photo step is taken as that answer)."""
        turn = ctx.turn
        asks = resident.asks_if_sent(ctx.text) or (
            (resident.asks_status(ctx.text) or resident.asks_after_report(ctx.text))  # "yang kemarin gimana ya …"
            and not await turn.store.recent_tickets(turn.identity.key, 1))
        if not asks:
            return False
        if turn.state.get("step") == "confirm" and complaint.says_send(ctx.text) and not u.is_question(ctx.text):
            return False  # "sudah, kirim" at the summary: the order to send (forty-first trial: "not sent yet")
        if (_how_long_asked(ctx.text, turn.state.get("step")) and not resident.asks_if_sent(ctx.text)
                and not _OWN_REPORT_WORD.search(ctx.low)):
            return False  # "how long will it take?" at the photo step: the office's time, answered by the step
        if turn.state.get("step") == "photo" and complaint.says_no_photo(ctx.text, last_sentence=True):
            return False  # "lho jd blm kekirim to? ya udh gak ada foto": the photo step's answer, sent on
        if (sent := await self._sent_one_named(ctx)) is not None:
            # "eh, aduan saya yang jalan tadi sudah sampai mana?" while a rubbish complaint is half written: the road
            # complaint sent two hours ago (it was told its report was never sent)
            kept = _flow_kept(turn)
            await resident.show_status(turn, sent.number)
            self._back_to_flow(turn, kept)
            return True
        turn.say("draft_not_sent_yet", where=_RESUMABLE[complaint.FLOW].position(turn))
        self._offer_resume(turn, complaint.FLOW, "resume_after_unsent")
        return True

    async def _sent_one_named(self, ctx: _Ctx) -> Ticket | None:
        """The resident's own sent complaint the words name by topic or place ("yang jalan tadi": Jalan rusak), of
        those on another topic than the draft's."""
        topic = ComplaintDraft.load(ctx.turn.state).topic
        sent = [t for t in await ctx.turn.store.recent_tickets(ctx.turn.identity.key, resident.STATUS_LOOK_BACK)
                if t.kind != LETTER_KIND and t.topic != topic]
        return resident.named_among(ctx.turn, sent, ctx.text, ctx.parse)

    def _starts_something_else(self, ctx: _Ctx) -> bool:
        """A long complaint-like message at a step that expects a button: perhaps a new complaint."""
        step = str(ctx.turn.state.get("step") or "")
        # ("tidak tahu nama desanya pak, dekat pasar baru" tells no problem: twenty-eighth trial, offered as a new one)
        told = _UNSURE.sub(" ", u.plain(ctx.text))
        # at the location step, a short one that tells of a problem too ("sampah numpuk di pasar sooko" while a street
        # light is being reported) is no place
        short_problem = step == "location" and len(ctx.text.split()) >= 4 and bool(_PROBLEM_WORDS.search(told))
        if step == "describe" or (len(ctx.text.split()) < 8 and not short_problem) or u.is_question(ctx.text):
            return False
        if step == "photo" and complaint.says_no_photo(ctx.text, last_sentence=True):
            return False  # "lho jd blm kekirim to? ya udh gak ada foto": the photo step's answer
        if (step in ("privacy", "confirm") and len(ctx.text.split()) <= complaint.PRIVACY_WISH_WORDS
                and complaint.privacy_in(ctx.text)):
            # "eh jangan publik deh, anonim aja, takut sama pak kades": the identity choice changed at the summary
            # (it was offered as another complaint, and "kirim" then sent it public)
            return False
        if (step in ("photo", "privacy", "confirm") and u.adds_detail(ctx.text)
                and not complaint.other_office_problem(ctx.turn, ctx.text, ctx.parse)):
            return False  # "oh iya, kemarin ada anak sekolah yang jatuh juga": more of this report
        current = ComplaintDraft.load(ctx.turn.state)
        if ((complaint.match_topics(ctx.turn, ctx.text) and not short_problem)
                or complaint.without_correction(ctx.text) != ctx.text or complaint.fixes_place(ctx.text)
                or complaint.corrected_topics(ctx.turn, ctx.text, current.topic)):
            # names a topic, or corrects this draft ("eh salah, maksudnya ...", "lokasinya salah, di ...", "eh maaf
            # bukan jalan, maksud saya lampu jalannya mati semua")
            return False
        if (step in _PLACE_STEPS and len(ctx.text.split()) <= 12
                and (complaint.place_in_text(ctx.text) or complaint.landmark_in_text(ctx.text))
                and not _PROBLEM_WORDS.search(told)):
            return False  # "di tikungan dekat musholla Al Falah dusun Krajan": only a place, typed before it is asked
        if step in ("confirm_topic", "choose_topic") and complaint.redirected_office(ctx.turn, ctx.text) is not None:
            return False  # "eh tapi itu bukan urusan pupr kayaknya, lebih ke bpbd deh": this draft's office changed
        if step in ("confirm_topic", "choose_topic") and complaint.place_answer(ctx.turn, ctx.text):
            return False  # "I live in Puri, near the big mosque" at the topic list (thirty-fifth trial: another matter)
        routing = ctx.parse.get("opd") or {}
        # A place is typed at the location step: only a confident complaint on another agency is not one.
        needed = self.services.directory.route_threshold if step in complaint.FREE_TEXT_STEPS else 0.5
        if short_problem:
            needed = 0.5
        if not isinstance(routing, dict) or float(routing.get("confidence") or 0) < needed:
            return False
        return routing.get("id") != current.opd  # the same agency: the resident is restating this complaint

    def _offer_resume(self, turn: Turn, flow: str, key: str = "resume_prompt") -> None:
        # the message typed is kept: "start over" makes it the new complaint, and the button says so
        restart = "new_complaint_button" if key in ("resume_new_complaint", "resume_pick_button") else "restart_button"
        turn.state["resume_offered"] = "resume_new_complaint" if key == "resume_pick_button" else key
        begun = _draft_begun_days_ago(turn) if key == "resume_prompt" else None
        turn.say(f"{key}_dated" if begun else key, [turn.button("resume_button", u.RESUME),
                                                    turn.button(restart, u.RESTART),
                                                    turn.button("cancel_button", u.CANCEL)],
                 where=_RESUMABLE[flow].position(turn), date=begun)

    async def _restart(self, turn: Turn, flow: str) -> None:
        held = (turn.state.get("held") or {}).get("text")
        if flow == complaint.FLOW and held:
            turn.message = replace(turn.message, text=held)
            turn.nlu = None
            await complaint.start_from_text(turn, held, await self._parse(turn))
        elif flow == complaint.FLOW:
            await complaint.start_from_menu(turn)
        elif flow == "regent":
            await resident.ask_regent(turn)
        else:
            self._greet(turn)

    async def _flow(self, ctx: _Ctx) -> bool:
        turn, flow = ctx.turn, ctx.flow
        if flow is None:
            return False
        if flow == "officer" and await officer.finished_meanwhile(turn, ctx.text):
            if not (u.is_question(ctx.text) or "?" in ctx.text):
                return True  # (a closing note for it: nothing more to do)
            ctx.flow = None  # a question: answered below as any staff message
            return False
        if flow == "officer" and await officer.question_for_reason(turn, ctx.text):
            ctx.flow = None  # the question is answered below as any staff message
            return False
        handler = _FLOWS.get(flow)
        if handler is not None:
            await handler(turn)
            return True
        turn.reset_flow()  # "status", "ask", or a flow of an older version: the message is handled afresh
        if flow == "status" and (number := find_ticket_number(ctx.text)):
            await resident.show_status(turn, number)
            return True
        if flow == "ask" and u.intent_of(ctx.parse) == "faq":
            await resident.answer_question(turn, ctx.parse)
            return True
        return False

    async def _photo_for_ticket(self, ctx: _Ctx) -> bool:
        """A photo that names the resident's ticket ("foto untuk WRG-2612-0001"), or sent within FILED_HOURS of
        filing ("ini fotonya pak", or no words at all), is added to that open complaint and its officers told; not
        one whose words tell of another office's matter. A photo the officer asked for is the officer's (below)."""
        turn = ctx.turn
        if ctx.flow is not None or not ctx.has_media or turn.identity.role in STAFF_ROLES:
            return False
        number = find_ticket_number(ctx.text) or resident.photo_announced(turn)  # ("… mau saya tambah fotonya")
        if number is None:
            ticket = await resident.just_filed(turn) if await resident.waiting_ticket(turn) is None else None
            if ticket is None or (ctx.text and (resident.reply_decision(turn, ticket, ctx.parse) != resident.FORWARD
                                                or resident.about_another_office(turn, ticket, ctx.parse))):
                return False
            number = ticket.number
        words = ctx.text if u.plain(without_ticket_numbers(ctx.text)) else ""
        return await resident.add_resident_message(turn, number, words, said="photo_added_to_ticket")

    async def _media_without_flow(self, ctx: _Ctx) -> bool:
        turn = ctx.turn
        if ctx.text or not (ctx.has_media or turn.message.location):
            return False
        if ctx.has_media and turn.identity.role in STAFF_ROLES:  # an officer's photo alone: never a new complaint
            if await officer.more_photos_for_last_reply(turn):
                return True  # the next picture of the answer just sent (an album, one photo a message)
            if not await officer.offer_reply_to_last(turn):
                turn.say("staff_photo_nowhere", example=officer.example_number(turn))
            return True
        waiting = await resident.waiting_ticket(turn) if ctx.has_media else None
        if waiting is not None:  # the photo the officer asked for
            return await resident.add_resident_message(turn, waiting.number, "")
        await complaint.start_from_menu(turn)
        turn.replies[-1:] = [Reply(turn.t("photo_starts_complaint" if ctx.has_media else "location_without_flow"))]
        return True

    async def _archived_asked(self, ctx: _Ctx) -> bool:
        """A reporter whose ticket was archived as outside the government's authority asking about it ("lho kok
        ditutup, terus gimana pak?"): the reason and where to go again (actions/archive.py), not an FAQ answer."""
        if ctx.flow is not None or ctx.code or not ctx.text or not turn_is_resident(ctx.turn):
            return False
        return await archive.answer_why_archived(ctx.turn, ctx.text)

    async def _staff_asks(self, ctx: _Ctx) -> bool:
        """Staff naming a ticket in plain words ("bagaimana perkembangan aduan WRG-2612-0001?", "WRG-2612-0001 sudah
        kami tangani pak, besok ditambal") or asking after one ("bagaimana perkembangan aduan jembatan di
        kedungrejo?"): answered for staff (actions/officer.py), never with the reporter's status answers."""
        turn = ctx.turn
        if ctx.flow is not None or ctx.code or not ctx.text or turn.identity.role not in STAFF_ROLES:
            return False
        text = await officer.with_full_number(turn, ctx.text) or ctx.text  # "tiket 0001 sudah kami cek pak"
        if await officer.closed_by_mistake(turn, text):
            return True  # "mohon maaf saya salah tutup tiket": reopening it offered
        if await staff_asides.answer(turn, text):
            return True  # "nomor hp pelapor WRG-… berapa?", "bisa dihapus?", "saya cuti, siapa yang pegang?"
        if not find_ticket_number(text) and (await officer.undo_move_at_hand(turn, text)
                                             or (officer.says_this_ticket(text)
                                                 and await officer.who_handles_viewed(turn, text))):
            return True  # "eh salah pencet, jangan dialihkan", "siapa yang pegang tiket ini?" after a command on one
        if number := find_ticket_number(text):
            if turn.identity.role == ROLE_OFFICER and claim.takes(text):  # "saya ambil WRG-2612-0002"
                await claim.cmd_take.handler(turn, number)
                return True
            await officer.staff_names_ticket(turn, number, text)
            return True
        if await officer.route_every_in_words(turn, text):  # "tolong pindahkan semua aduan lampu ke perkim"
            return True
        if await officer.merge_in_words(turn, text):  # "aduan yang jalan itu gabungkan dengan yang jembatan"
            return True
        if await officer.regent_asks_office_slow(turn, text):  # "dishub kok belum balas aduan lampu?"
            return True
        if await officer.route_in_words(turn, text):  # "yang pabrik bising itu ke dlh aja": offered in one tap
            return True
        if await archive.archive_in_words(turn, text):  # "eh itu sebenarnya urusan polisi, bukan pemda"
            return True
        if await officer.reply_in_words(turn, text):  # "tolong balas warga yang lapor jalan rusak, bilang …"
            return True
        if await officer.place_tickets(turn, ctx.text):  # "aduan dari desa sukamaju apa saja?"
            return True
        if await officer.topic_tickets(turn, ctx.text):  # "ada aduan tentang sampah minggu ini?"
            return True
        if await officer.handled_in_words(turn, text):  # "yang jalan berlubang di sukamaju sudah kami perbaiki"
            return True
        if await officer.pick_from_queue(turn, text):  # "yang nomor 2" just after /antrian
            return True
        if (await officer.take_in_words(turn, text)  # "saya ambil yang jalan di sukamaju"
                or await officer.ask_reporter_in_words(turn, text)  # "tolong minta foto ke pelapor jalan di …"
                or await officer.instruct_in_words(turn, text)):  # the regent: "tolong tindak lanjuti aduan …"
            return True
        if turn.identity.role == ROLE_REGENT:
            from actions import regent  # optional in a minimal install (see `registry`)
            if regent.asks_my_dispositions(ctx.text):  # "gimana perkembangan disposisi saya kemarin?"
                await regent.show_my_dispositions(turn, ctx.text)
                return True
        if (len(ctx.text.split()) <= _MATTER_QUESTION_WORDS and not _asks_summary(ctx.text)
                and (resident.asks_status(ctx.text) or resident.asks_how_is(ctx.text))
                and await officer.asks_after_matter(turn, ctx.text)):
            return True  # "aduan jalan di sukamaju itu kok belum ditangani?": that complaint, not the day's figures
        if turn.identity.role in (ROLE_REGENT, ROLE_OPERATOR) and (
                _asks_summary(ctx.text) or report_card.office_asked(turn, ctx.text) is not None):
            # "rekap aduan dino iki piye?": the day's summary (_by_intent), not a search of tickets; "bagaimana
            # kinerja dinas pupr?": that office's figures
            return False
        if _asks_figures(ctx.text) or not (resident.asks_status(ctx.text) or u.intent_of(ctx.parse) == "check_status"
                                           or resident.asks_after_named(turn, ctx.text)):  # "lampu ning veteran piye?"
            return False  # "berapa aduan yang lewat batas waktu?": the summary or the queue (_by_intent)
        await officer.staff_asks_after(turn, ctx.text)
        return True

    async def _beside_draft(self, ctx: _Ctx, handle: Callable[[], Awaitable[Any]]) -> None:
        """Answer about a finished ticket ("Sudah beres?" tapped or answered, a rating) while a complaint is being
        written: the unsent complaint is kept, and its question asked again after the answer."""
        turn = ctx.turn
        if ctx.flow != complaint.FLOW:
            await handle()
            return
        kept = {key: turn.state[key] for key in _DRAFT_STATE if key in turn.state}
        await handle()
        if turn.state.get("flow") == "rating_comment" and turn.replies:  # no comment asked now: the draft goes on
            turn.replies[-1] = Reply(turn.t("rating_thanks_beside_draft"))
        for key in _DRAFT_STATE:
            turn.state.pop(key, None)
        turn.state.update(kept)
        turn.say("draft_goes_on", topic=topic_name(turn, ComplaintDraft.load(turn.state).topic))
        await _RESUMABLE[complaint.FLOW].ask_again(turn)

    async def _fixed_during_draft(self, ctx: _Ctx) -> bool:
        """"sudah tapi kurang rapi, masih bergelombang" to a "Sudah beres?" that came while the resident was at a
        step of another complaint (after their last message there): the answer to that question, not the step's;
        the draft goes on after it (_beside_draft)."""
        turn = ctx.turn
        number = turn.state.get("rating_ticket")
        if ctx.flow != complaint.FLOW or ctx.code or not ctx.text or not number or not turn_is_resident(turn):
            return False
        done = await resident.recently_done(turn)
        if done is None or done.number != number or done.closed_at is None:
            return False
        if turn.state.get("rating_asked") == number:
            # "5" to the rating asked beside the draft, at a step where a digit answers nothing
            if turn.state.get("step") not in _NO_DIGIT_STEPS or not (
                    (ctx.low.isdigit() and ctx.low in "12345") or resident.rating_in(ctx.text) is not None):
                return False
        elif (left_at := _draft_left_at(turn)) is None or done.closed_at <= left_at or not (
                resident.fixed_answer(ctx.text) is not None or resident.says_not_fixed(ctx.text)
                or resident.poor_fix(ctx.text) or resident.starts_not_yet(ctx.text)
                # "5" to "Sudah beres?" at a step no digit answers (thirty-eighth trial: "describe the place more
                # clearly", and the rating lost): the rating, as it is outside a draft
                or (turn.state.get("step") in _NO_DIGIT_STEPS and ctx.low in ("1", "2", "3", "4", "5"))):
            return False
        answered = False

        async def answer() -> None:
            nonlocal answered
            answered = await self._done_ticket(ctx)

        await self._beside_draft(ctx, answer)
        return answered

    async def _impatient(self, ctx: _Ctx) -> bool:
        """"lama banget sih" with an open complaint and no officer waiting for an answer: where it stands, and that a
        complaint past its deadline reaches the regent by itself (it was asked about as more words for it)."""
        turn = ctx.turn
        if not ctx.code and ctx.flow is None and turn_is_resident(turn) and resident.asks_about_deadline(ctx.text):
            await resident.answer_deadline(turn, ctx.text)  # "kok batas waktunya lama sekali 10 hari?"
            return True
        if (not ctx.code and ctx.flow is None and turn_is_resident(turn) and resident.asks_to_hurry(ctx.text)
                and (mine := await resident.open_complaint_of(turn)) is not None
                and not _surely_another(self.services.directory, mine, ctx.parse)):
            # "bisa dipercepat gak pak? anak saya sekolah lewat situ" (thirty-seventh trial: a new complaint begun,
            # about schools): the plea and its reason go to the officer
            return await resident.add_resident_message(turn, mine.number, ctx.text, quiet_if_not_mine=True,
                                                       said="hurry_passed")
        if (not ctx.code and ctx.flow is None and turn_is_resident(turn) and resident.asks_what_if_ignored(ctx.text)
                and (open_one := await resident.open_complaint_of(turn)) is not None):
            await resident.answer_regent_threat(turn, open_one)  # "bagaimana kalau petugasnya tidak datang?"
            return True
        if (not ctx.code and ctx.flow is None and turn_is_resident(turn) and resident.asks_follow_up_bare(ctx.text)
                and await resident.open_complaint_of(turn) is None):
            # "Mohon ditindaklanjuti" with nothing open (thirty-ninth trial: unsure topics on health permits)
            turn.say("follow_up_what", turn.menu_buttons())
            return True
        if (ctx.code or ctx.flow is not None or not turn_is_resident(turn) or not resident.complains_of_delay(ctx.text)
                or await resident.waiting_ticket(turn) is not None):
            return False
        mine = await resident.open_complaint_of(turn)
        if mine is None and resident.reported_again_only(ctx.text):
            return False  # "operasi miras belum ada tindakan tegas" with nothing open: a complaint, read as one
        if mine is None:  # none open: what is slow? (it got a list of unrelated topics)
            turn.say("delay_what", turn.menu_buttons())
            return True
        await resident.answer_regent_threat(turn, mine)
        return True

    async def _what_now(self, ctx: _Ctx) -> bool:
        """"terus saya harus gimana?" with a complaint open: nothing is needed of them, and what comes next."""
        turn = ctx.turn
        if ctx.code or ctx.flow is not None or not turn_is_resident(turn) or not resident.asks_what_now(ctx.text) \
                or await resident.waiting_ticket(turn) is not None:
            return False  # (an officer's question waits: their words are its answer)
        mine = await resident.open_complaint_of(turn)
        if mine is None:
            return False
        await resident.answer_what_now(turn, mine)
        return True

    async def _officer_conduct(self, ctx: _Ctx) -> bool:
        """"jawabannya kok gitu pak, tidak sopan" about the officer handling their complaint: not passed to that
        officer; an apology, and the words offered to the regent with the number (actions/resident.py)."""
        turn = ctx.turn
        if (ctx.code or ctx.flow is not None or not turn_is_resident(turn)
                or not resident.complains_of_officer(ctx.text)):
            return False
        ticket = await resident.waiting_ticket(turn) or await resident.open_complaint_of(turn)
        if ticket is None or not await turn.store.ticket_events(ticket.number, "message_out"):
            return False  # (no officer has written to them on it: "petugas kecamatan tidak sopan …" is a complaint)
        await resident.answer_officer_conduct(turn, ticket, ctx.text)
        return True

    async def _rating_fix(self, ctx: _Ctx) -> bool:
        """"ubah nilai jadi 5", "maaf pencet salah, harusnya bintang 5" after a rating: it is changed."""
        if ctx.code or ctx.flow is not None or not turn_is_resident(ctx.turn):
            return False
        value = resident.rating_change_in(ctx.text)
        if value is None and (again := resident.restated_rating(ctx.text)) is not None:
            return await resident.change_recent_rating(ctx.turn, again, restated=True)  # "bintang 5 deh" after it
        return value is not None and await resident.change_recent_rating(ctx.turn, value, ctx.text)

    async def _done_ticket(self, ctx: _Ctx) -> bool:
        """After a ticket is done: a rating digit, or words saying it is not fixed (reopens it)."""
        turn, low = ctx.turn, ctx.low
        if not ctx.code and turn_is_resident(turn) and await resident.more_rating_comment(turn, ctx.text):
            return True  # "tapi aspalnya tipis, takutnya cepat rusak lagi" after rating it 5 with a comment
        rating_ticket = turn.state.get("rating_ticket")
        if rating_ticket and low.isdigit() and len(low) == 1 and turn.state.get("rating_asked") != rating_ticket \
                and await self._number_for_officer(ctx, rating_ticket):
            return True  # "3" to the officer's "RT berapa pak?" asked before "Sudah beres?": not a rating
        if rating_ticket and low.isdigit() and len(low) == 1:
            turn.state.pop("rating_ticket", None)
            await resident.rate(turn, rating_ticket, low)
            return True
        if (rating_ticket and _BARE_RATING.match(u.plain(ctx.text))
                and (typed := resident.rating_in(ctx.text)) is not None and not typed[1]):
            # "3 aja", "5 pak" to "Sudah beres?" (thirty-second trial: "nothing is under way"): fixed, and rated,
            # unless the officer's last words asked for a number ("RT berapa pak?")
            if turn.state.get("rating_asked") != rating_ticket and await self._number_for_officer(ctx, rating_ticket):
                return True
            turn.state.pop("rating_ticket", None)
            await resident.rate(turn, rating_ticket, str(typed[0]))
            return True
        if (rating_ticket and turn.state.get("rating_asked") == rating_ticket
                and (typed := resident.rating_in(ctx.text) or resident.rating_led(ctx.text)) is not None):
            # "bintang 4 deh, agak lama"; "lumayan lah pak, agak lama tapi" (the scale's words, then a comment)
            turn.state.pop("rating_ticket", None)
            await resident.rate(turn, rating_ticket, str(typed[0]), typed[1])
            return True
        if (rating_ticket and not ctx.code and resident.names_rating(ctx.text)
                and (typed := resident.rating_in(ctx.text)) is not None
                and (done := await resident.recently_done(turn)) and done.number == rating_ticket):
            # "bintang 3 aja, soalnya lama banget baru diperbaiki" to "Sudah beres?": fixed, rated, and its comment
            turn.state.pop("rating_ticket", None)
            await resident.rate(turn, rating_ticket, str(typed[0]), typed[1])
            return True
        if (rating_ticket and not ctx.code and not low.isdigit() and (typed := resident.rating_in(ctx.text)) is not None
                and not typed[1] and typed[0] == resident.TOP_RATING
                and (done := await resident.recently_done(turn)) and done.number == rating_ticket):
            # "good job", "sepuluh dari sepuluh" to "Sudah beres?" (thirty-ninth trial: "you're welcome", "not
            # understood"): fixed, and rated by the scale's words
            turn.state.pop("rating_ticket", None)
            await resident.rate(turn, rating_ticket, str(typed[0]))
            return True
        if (rating_ticket and not ctx.code and (typed := resident.rating_led(ctx.text)) is not None
                and typed[0] >= resident.FIXED_RATING_LED
                and (done := await resident.recently_done(turn)) and done.number == rating_ticket):
            # "lumayan lah, tapi agak lama" to "Sudah beres?" (thirty-fifth trial: a new complaint on unsure topics):
            # fixed well enough, rated by the scale's words, and the rest its comment ("kurang puas, …" is not fixed)
            turn.state.pop("rating_ticket", None)
            await resident.rate(turn, rating_ticket, str(typed[0]), typed[1])
            return True
        if (rating_ticket and not ctx.code and resident.praises_fix(ctx.text)
                and (done := await resident.recently_done(turn)) and done.number == rating_ticket):
            # "bagus pak mantap, cepat sekali" to "Sudah beres?" (forty-second trial: "not understood"): fixed, the
            # rating asked, and the words kept as its comment
            turn.state.pop("rating_ticket", None)
            await resident.answer_fixed(turn, rating_ticket, True)
            turn.state[resident.RATING_WORDS_KEY] = {"number": rating_ticket, "text": ctx.text.strip()[:2000]}
            return True
        if not ctx.code and await resident.pass_proof_request(turn, ctx.text):
            return True  # "boleh minta foto bukti perbaikannya pak?": for the officers who closed it
        if rating_ticket and not ctx.code and await resident.ask_poor_fix(turn, rating_ticket, ctx.text, ctx.parse):
            return True  # "kurang puas, cuma ditambal pakai tanah": not fixed (reopen), or rate it?
        if not ctx.code and await resident.answer_fixed_which(turn, ctx.text, ctx.parse):
            return True  # "belum pak" with two tickets waiting for "Sudah beres?": which one
        if rating_ticket and not ctx.code and await resident.ask_reopen_or_new(turn, rating_ticket, ctx.text):
            return True  # "belum pak, sampah di TPS tidak diangkut" after a road: reopen it, or a new complaint?
        if (rating_ticket and not ctx.code and resident.disputes_closing(ctx.text)
                and (done := await resident.recently_done(turn)) and done.number == rating_ticket):
            # "lho kok gitu, ini jalan desa pak bukan jalan provinsi" to a closing note (thirty-first trial: the
            # provincial roads' answer came, and the officer never heard it): reopened with the words
            await resident.reopen(turn, done, ctx.text)
            return True
        if (rating_ticket and not ctx.code and (done := await resident.recently_done(turn))
                and done.number == rating_ticket
                and (split := await resident.split_verdict(turn, done, ctx.text)) is not False):
            # "yang jalan belum, yang lampu sudah" to the street light's "Sudah beres?": it is fixed (the rating
            # asked), and the road still open gets its status
            await resident.answer_fixed(turn, done.number, True, ctx.text)
            if isinstance(split, Ticket):
                await resident.show_status(turn, split.number)
            return True
        fixed = resident.fixed_answer(ctx.text) if rating_ticket else None
        if fixed is not None and (done := await resident.recently_done(turn)) and done.number == rating_ticket:
            # "sudah" / "belum" typed after "Sudah beres?"; "belum pak, yang depan toko belum ditambal" tells more
            await resident.answer_fixed(turn, done.number, fixed, ctx.text)
            return True
        if (rating_ticket and resident.starts_not_yet(ctx.text) and (done := await resident.recently_done(turn))
                and done.number == rating_ticket and resident.reply_decision(turn, done, ctx.parse) != resident.ASK):
            await resident.reopen(turn, done, ctx.text)  # "lho belum pak, yg depan masjid masih bolong 2"
            return True
        if await self._reopen_named(ctx, find_ticket_number(ctx.text)):
            return True
        if await self._answer_after_done(ctx, rating_ticket):
            return True
        if not resident.says_not_fixed(ctx.text) or find_ticket_number(ctx.text):
            return False
        if await resident.waiting_ticket(turn) is not None:
            return False  # an open ticket: the words go to its officer
        ticket = await resident.recently_done(turn)
        if ticket is None or (not resident.names_own_report(ctx.text) and (
                resident.reply_decision(turn, ticket, ctx.parse) == resident.ASK
                or resident.another_matter(turn, {ticket.topic}, ctx.parse))):
            return False  # "sampah di TPS tidak diangkut" after a street light was fixed: a new complaint
        await resident.reopen(turn, ticket, ctx.text)
        return True

    async def _number_for_officer(self, ctx: _Ctx, number: str) -> bool:
        """A lone digit after "Sudah beres?" when the officer's last words, unanswered, asked for a number ("RT
        berapa pak?"): the answer goes to the officer, and "Sudah beres?" stays the question."""
        ticket = await resident.own_done_ticket(ctx.turn, number)
        asked = await resident.question_left_open(ctx.turn, ticket) if ticket is not None else None
        if ticket is None or asked is None or not _ASKS_A_NUMBER.search(u.plain(asked.text or "")):
            return False
        await resident.answer_after_done(ctx.turn, ticket, ctx.text)
        return True

    async def _answer_after_done(self, ctx: _Ctx, number: str | None) -> bool:
        """The answer to an officer's question typed after that officer marked the ticket done (`number`, still
        asking "Sudah beres?"): "sebelah timur balai desa pak, depan warung" to "Pak, lubangnya di sebelah mana?"
        goes to the officer; words that say it is not fixed reopen it instead (above)."""
        turn = ctx.turn
        if not number or ctx.code or turn.identity.role in STAFF_ROLES or resident.says_not_fixed(ctx.text):
            return False
        ticket = await resident.own_done_ticket(turn, number)
        asked = await resident.question_left_open(turn, ticket) if ticket is not None else None
        if (ticket is None or asked is None or resident.reply_decision(turn, ticket, ctx.parse) != resident.FORWARD
                or not (u.looks_like_answer(ctx.text) or _takes_up_officer(ctx.text, [asked]))):
            return False
        await resident.answer_after_done(turn, ticket, ctx.text)
        return True

    async def _reopen_named(self, ctx: _Ctx, number: str | None) -> bool:
        """"maksud saya yg tadi WRG-2612-0001 itu belum beres": the resident's own finished ticket, named and said
        not to be fixed, is reopened with those words (a complaint being written meanwhile is left)."""
        if not number or not resident.says_not_fixed(ctx.text) or ctx.turn.identity.role in STAFF_ROLES:
            return False
        ticket = await resident.own_done_ticket(ctx.turn, number)
        if ticket is None:
            return False
        await resident.reopen(ctx.turn, ticket, ctx.text)
        return True

    async def _why_not_shown(self, ctx: _Ctx) -> bool:
        """"kok tidak bisa dilihat?" just after "only its reporter can see that ticket" (resident.why_not_shown)."""
        if ctx.flow is not None or ctx.code or resident.NOT_SHOWN_KEY not in ctx.turn.state:
            return False
        return await resident.why_not_shown(ctx.turn)

    async def _fresh_follow_up(self, ctx: _Ctx) -> bool:
        """"pak tolong segera, kemarin ada yang jatuh" a minute after filing, nobody waiting for an answer: more of
        that complaint (resident.follow_up_of_fresh), added, or asked about when it reads as an unsure complaint."""
        turn = ctx.turn
        if ctx.flow is not None or ctx.code or not ctx.text or ctx.skip_waiting or turn.identity.role in STAFF_ROLES:
            return False  # (skip_waiting: "not for the officer" was just said of these words)
        if await resident.waiting_ticket(turn) is not None or (fresh := await resident.just_filed(turn)) is None:
            return False
        if not ctx.has_media and complaint.photo_later(ctx.text):
            # "dan fotonya menyusul besok ya": where it goes when it comes
            turn.say("photo_later_ticket", number=fresh.number)
            return True
        if resident.asks_human(ctx.text):  # "sambungkan ke petugas sekarang": who answers, and the call centre
            resident.answer_human(turn)
            return True
        if resident.answered_since(turn, fresh.created_at) and await resident.faq_follow_up(turn, ctx.parse):
            return True  # "kalau anaknya sudah umur 5 tahun?" after an answer asked since filing: about that answer
        if complaint.says_send(ctx.text):  # "kirim" typed again after it went: its number (not "not understood")
            turn.say("regent_already_sent" if fresh.kind == "bupati" else "button_already_sent", turn.menu_buttons(),
                     number=fresh.number)
            return True
        if resident.asks_officer_number(ctx.text):  # "boleh minta nomor wa petugasnya?" (offered as more words)
            resident.answer_officer_number(turn, ctx.text)
            return True
        if resident.thanks_and_hope(ctx.text):
            # "terima kasih pak, semoga cepat ditangani" (thirty-sixth trial: added to the complaint for its officer);
            # after a message to the regent, said of the regent (fortieth trial: "reached its officers")
            turn.say("thanks_and_hope_regent" if fresh.kind == "bupati" else "thanks_and_hope", number=fresh.number)
            return True
        if resident.adds_to_regent_message(turn, fresh, ctx.text, ctx.parse):
            # "kalau bisa sebelum musim hujan pak" just after writing to the regent (fortieth trial: "not understood")
            return await resident.add_resident_message(turn, fresh.number, ctx.text, quiet_if_not_mine=True)
        complaint_like = (u.intent_of(ctx.parse) in self.services.directory.routing
                          or self._looks_like_complaint(turn, ctx.parse))
        follow = resident.follow_up_of_fresh(turn, fresh, ctx.parse, complaint_like)
        if follow == resident.ADD:
            return await resident.add_resident_message(turn, fresh.number, ctx.text, quiet_if_not_mine=True,
                                                       said="follow_up_added_to_ticket")
        if follow == resident.ASK_FRESH:
            await resident.hold_for_officer(turn, fresh, asked="forward_ask_fresh")
            return True
        return False

    async def _service_hours(self, ctx: _Ctx) -> bool:
        """"apakah layanan ini buka 24 jam?", "kalau hari minggu ada yang balas?": when this service answers (before
        the words are taken for more of a complaint just sent)."""
        if ctx.code or ctx.flow is not None or not turn_is_resident(ctx.turn) or not resident.asks_service_hours(
                ctx.text):
            return False
        ctx.turn.say("service_hours", ctx.turn.menu_buttons())
        return True

    async def _new_complaint_words(self, ctx: _Ctx) -> bool:
        if ctx.low not in _NEW_COMPLAINT_WORDS and not _NEW_COMPLAINT.match(u.plain(ctx.text)):
            return False
        ctx.turn.state.pop("reply_ticket", None)
        await complaint.start_from_menu(ctx.turn)
        return True

    async def _officer_waiting(self, ctx: _Ctx) -> bool:
        """Free text while an officer waits for this resident's answer goes to that ticket."""
        turn = ctx.turn
        if ctx.skip_waiting or not ctx.text or turn.identity.role in STAFF_ROLES:
            return False
        ticket = await resident.waiting_ticket(turn)
        asked = ticket is not None
        if not asked and _asks_call_back(ctx.text, ctx.parse, self.services.directory):
            turn.say("contact_me_here", turn.menu_buttons())  # "hubungi saya di 0812… kalau ada kabar" after filing
            return True  # (asked for a number by an officer, it is the answer, below)
        if not asked and _WANTS_NEWS.search(ctx.low) and len(ctx.low.split()) <= WANTS_NEWS_WORDS and \
                not u.is_question(ctx.text) and not _PROBLEM_WORDS.search(u.plain(ctx.text)) and \
                (latest := await resident.open_for_addition(turn)) is not None:
            # "kalau sudah diperbaiki kabari ya pak" (thirty-first trial: asked whether the complaint could be closed,
            # then whether it was more words for the officer): news comes here by itself
            turn.say("news_comes_here", number=latest.number)
            return True
        ticket = ticket or await resident.active_ticket(turn)
        corrects = complaint.fixes_place(ctx.text)  # "pak maaf lokasinya salah, bukan kutorejo tapi desa singowangi"
        # "ini lokasinya https://maps.app.goo.gl/…" after filing (forty-second trial: "not understood"): its place
        link = ticket is None and complaint.map_link(ctx.text) is not None
        if ticket is None and corrects and not link and not complaint.names_a_place(ctx.text) and (
                target := await resident.open_for_addition(turn)) is not None:
            # "saya mau ubah lokasinya" names no place (thirty-second trial: told the correction was passed on): the
            # right place is asked, and the next message goes to that complaint's officers
            turn.state["reply_ticket"] = target.number
            turn.state[_PLACE_ASKED_KEY] = target.number
            turn.say("place_fix_ask", number=target.number)
            return True
        if ticket is None and (u.adds_detail(ctx.text) or corrects or link):
            # "oh iya pak tambahan, ..." right after filing: more about that ticket, not a new complaint
            fresh = await resident.just_filed(turn)
            # "satu lagi, lampu jalan di desa mati" confidently about another agency is a new complaint (ASK).
            # ("actually can you add that it smells really bad?": a question in form, an addition in what it asks)
            if fresh is not None and (link or (u.asks_to_add(ctx.text) and not resident.asks_status(ctx.text)) or (
                    resident.reply_decision(turn, fresh, ctx.parse) == resident.FORWARD
                    and not resident.about_another_office(turn, fresh, ctx.parse))):
                said = ("place_link_added_to_ticket" if link else "correction_added_to_ticket" if corrects
                        else "follow_up_added_to_ticket" if u.asks_to_add(ctx.text) else None)
                return await resident.add_resident_message(turn, fresh.number, ctx.text, quiet_if_not_mine=True,
                                                           said=said)
            # days later ("oh iya kak tambahan, semalam airnya masuk ke 3 rumah"): asked (pass it on, or a new
            # complaint?), even when the words read as another office's: the resident said it adds to something
            later = await resident.open_for_addition(turn) if fresh is None else None
            if later is not None and (corrects or link):
                # "alamatnya salah pak, harusnya km 14" days after filing: plainly about that complaint's place
                return await resident.add_resident_message(
                    turn, later.number, ctx.text, quiet_if_not_mine=True,
                    said="place_link_added_to_ticket" if link else "correction_added_to_ticket")
            if (later is not None and resident.names_own_report(ctx.text)
                    and not resident.about_another_office(turn, later, ctx.parse)
                    and await resident.only_open_complaint(turn, later)):
                # "mau nambahin info buat laporan saya kemarin, sekarang lubangnya tambah lebar" a week later, with
                # that one complaint open (forty-second trial: asked whether it was about it, and lost at "sudah itu
                # aja makasih"): the resident said which, so it goes to its officers
                return await resident.add_resident_message(turn, later.number, ctx.text, quiet_if_not_mine=True,
                                                           said="follow_up_added_to_ticket")
            if later is not None:  # (no officer asked anything: the question says so)
                await resident.hold_for_officer(turn, later, asked=_unasked(later))
                return True
        if ticket is None:
            return False
        if resident.asks_officer_number(ctx.text):
            # "boleh minta no wa petugasnya?" after an officer wrote (thirty-sixth trial: passed to the officer as the
            # reporter's answer): officers' numbers are not given; they answer here
            resident.answer_officer_number(turn, ctx.text)
            return True
        decision = resident.reply_decision(turn, ticket, ctx.parse)
        if decision == resident.ASK and asked and await resident.still_answering(turn, ticket, ctx.parse):
            decision = resident.FORWARD  # "tapi saya kerja sampai sore, bisanya setelah jam 4": the answer goes on
        if decision == resident.FORWARD and not asked and not u.looks_like_answer(ctx.text):
            decision = resident.ASK  # no question was asked: forward only what reads as an answer
        other = await resident.other_ticket_about(turn, ticket, ctx.parse) if decision != resident.OWN else None
        if other is None and asked and decision == resident.FORWARD and not find_ticket_number(ctx.text):
            other = await resident.other_waiting(turn, ticket)  # two officers wait: which one is this for?
        about = {t.number: topic_name(turn, t.topic) if t.topic else "" for t in (ticket, other)} if other else {}
        if other is not None and (resident.asks_status(ctx.text) or resident.asks_after_one(ctx.text)) and (
                named := resident.which_ticket(u.plain(ctx.text), [ticket.number, other.number], about)):
            # "yang lampu gimana pak?" while the roads officer waits on another complaint (thirty-sixth trial: asked
            # which of the two): the status of the one it names
            await resident.show_status(turn, named)
            return True
        if other is not None:
            taken_up = await _the_one_taken_up(turn, ctx.text, ticket, other)
            if taken_up is not None and decision == resident.FORWARD:
                # "patokannya sebelah warung bu sri" to the roads officer's "bisa dikirim patokan yang lebih jelas?",
                # while the street-light officer only said when they come: plainly the roads officer's answer
                return await resident.add_resident_message(turn, taken_up.number, ctx.text, quiet_if_not_mine=True)
            await resident.hold_for_officer(turn, ticket, other)  # which of the two complaints, or neither
            return True
        held = ctx.let_go if ctx.let_go is not None and _goes_along(ctx.let_go, ticket, turn.now) else None
        if (decision == resident.FORWARD and held is None and resident.only_ack(ctx.text)
                and (resident.only_thanks(ctx.text) or not await resident.staff_asked(turn, ticket))):
            # "oke makasih pak", "ok ditunggu pak" after news: passed on, and the resident told the ticket goes on
            await resident.courtesy_on_open(turn, ticket, ctx.text)
            return True
        if decision == resident.FORWARD and held is None and asked and not ctx.has_media and (
                split := await self._answer_then_new_matter(ticket, ctx.text)) is not None:
            # "iya pak nanti sore saya foto. oh ya lampu jalan di depan rumah saya juga mati sudah 3 hari": the
            # answer to the officer, then a complaint for another office (it all went to the roads officer)
            answer, matter, parse = split
            if answer:
                await resident.add_resident_message(turn, ticket.number, answer, quiet_if_not_mine=True,
                                                    said="resident_reply_sent_before_new")  # (no "Jika ini aduan baru")
                turn.say("answer_then_new_complaint")
            else:  # "oh iya pak satu lagi, lampu jalan … juga mati": only the other matter; the officer still waits
                turn.say("new_matter_while_asked", number=ticket.number, opd=handler_name(turn, ticket))
            turn.message = replace(turn.message, text=matter)
            turn.nlu = None
            await complaint.start_from_text(turn, matter, parse)
            return True
        if decision == resident.FORWARD:
            if held is None:
                return await resident.add_resident_message(turn, ticket.number, ctx.text, quiet_if_not_mine=True)
            ctx.let_go = None  # the answer held a moment ago goes first, with this one
            return await resident.add_resident_message(turn, ticket.number, f"{held['text']}\n{ctx.text}",
                                                       quiet_if_not_mine=True, media=held.get("media"))
        if decision == resident.ASK:
            await resident.hold_for_officer(turn, ticket, asked="forward_ask" if asked else _unasked(ticket))
            _mark_held(turn, ctx.parse)
            if held is not None:  # asked once, about both messages
                ctx.let_go = None
                again = turn.state["held"]
                again["text"] = f"{held['text']}\n{again['text']}"[:4000]
                if held.get("media"):
                    again["media"] = list(held["media"]) + list(again.get("media") or [])
            return True
        if asked and u.is_greeting(ctx.text):  # back on the page: remind them who waits for an answer
            self._greet(turn)
            # (answered already, or thanked: their words still reach the officer, but none is awaited)
            hint = "reply_waiting_hint" if await resident.officer_awaits(turn, ticket) else "reply_open_hint"
            turn.say(worded(turn, ticket, hint), number=ticket.number, opd=handler_name(turn, ticket))
            return True
        return False

    async def _answer_then_new_matter(self, ticket: Ticket, text: str) -> tuple[str, str, dict[str, Any]] | None:
        """An answer to an officer with another matter after it ("… oh ya lampu jalan di depan rumah saya juga mati"):
        (the answer, the other matter, its parse) when a later sentence opens with "oh ya", "satu lagi", "sekalian"
        and is a complaint the NLU routes, without asking, to another office; else None."""
        sentences = [s for s in re.split(r"(?<=[.!?\n])\s*", text) if s.strip()]
        for i in range(len(sentences)):  # (from the first: "oh iya pak satu lagi, lampu …" is all the other matter)
            matter = " ".join(sentences[i:]).strip()
            if not _ANOTHER_MATTER_LEAD.match(u.plain(matter)) or len(matter.split()) < 4:
                continue
            parse = await self.services.nlu.parse(matter[:1000])
            result = ParseResult.from_dict(parse)
            routing = result.routing
            if (result.gate == GATE_COMPLAINT and routing is not None and routing.id != ticket.opd_id
                    and routing.confidence >= self.services.directory.route_threshold
                    and not (ticket.kind == "bupati" and _shares_matter(matter, ticket.text))):
                # (a message to the regent has no office: "oh iya pak, truknya biasanya parkir malam hari" after one
                # on trucks parked on the village field is more of it: forty-second trial, filed as a new complaint)
                return " ".join(sentences[:i]).strip(), matter, parse
        return None

    async def _what_was_said(self, ctx: _Ctx) -> bool:
        """"tadi petugas bilang apa ya? pesannya kehapus": the complaint's status with the officers' last word (it was
        passed to the officer as the resident's answer)."""
        if ctx.code or ctx.flow is not None or not turn_is_resident(ctx.turn) or not resident.asks_what_was_said(
                ctx.text):
            return False
        return await resident.show_what_was_said(ctx.turn)

    async def _withdrawal(self, ctx: _Ctx) -> bool:
        """"tolong laporan saya dibatalkan saja, sudah diperbaiki swadaya warga": confirmed, to that complaint's
        officers."""
        turn = ctx.turn
        if ctx.flow is not None or not ctx.text or turn.identity.role in STAFF_ROLES:
            return False
        if resident.asks_withdrawal(ctx.text):
            return await resident.request_withdrawal(turn, ctx.text)
        if resident.asks_how_to_withdraw(ctx.text):
            # "apakah laporan saya bisa dicabut?" (it was offered to an office as a question): yes, and which one
            turn.say("withdraw_can")
            return await resident.request_withdrawal(turn, "", number=find_ticket_number(ctx.text))
        if not resident.says_fixed_before_done(ctx.text):
            return False
        waiting = await resident.waiting_ticket(turn)
        if await resident.open_complaint_of(turn) is not None and (
                waiting is None or await _silent_since_reopened(turn, waiting)):
            # "pak, lampunya sudah nyala sendiri tadi malam" before the office marked it done: close it? (it began a
            # new complaint about street lights). So too "sekarang sudah mulus" about a complaint the resident had
            # reopened, its officers silent since (it went to them as an answer, and the "5" after it too).
            return await resident.request_withdrawal(turn, ctx.text, fixed=True)
        return False

    async def _withdraw_which(self, ctx: _Ctx) -> bool:
        """A typed answer to "which one should be closed?" ("yang jalan pak", "yg kedua")."""
        if resident.WITHDRAW_WHICH_KEY not in ctx.turn.state or ctx.code:
            ctx.turn.state.pop(resident.WITHDRAW_WHICH_KEY, None)
            return False
        return await resident.answer_withdraw_which(ctx.turn, ctx.text)

    async def _withdraw_answer(self, ctx: _Ctx) -> bool:
        """The answer to "ask the officers to close it?" (its buttons, or "ya" / "tidak"); anything else lets the
        question go."""
        turn = ctx.turn
        if not turn.state.get("withdraw"):
            return False
        low = u.plain(ctx.text)
        typed = u.yes_no(ctx.text) if not ctx.code and len(low.split()) <= 4 else None  # "yes please", "iya pak"
        pending = turn.state.get("withdraw")
        # "5", "mantap, cepat sekali" to "sudah beres? boleh ditutup?": a rating, so yes (twenty-seventh trial: not
        # understood, then a complaint begun)
        rated = isinstance(pending, dict) and bool(pending.get("fixed")) and (low in ("1", "2", "3", "4", "5")
                                                                            or bool(_PRAISE.match(low)))
        # (👍 alone is a yes: thirty-third trial, "Sama-sama" and the complaint left open)
        if ctx.code == u.WITHDRAW_YES or (not ctx.code and (low in complaint.YES_WORDS or typed is True or rated
                                                            or complaint.yes_emoji(ctx.text))):
            await resident.answer_withdrawal(turn, True)
            return True
        if not ctx.code and typed is None and isinstance(pending, dict) and resident.takes_back_withdrawal(ctx.text):
            # "eh maaf, belum ding, yang diangkut cuma separuh": it goes on, and both messages reach its officers
            turn.state["withdraw"] = {**pending, "fixed": True,
                                      "text": f"{pending.get('text') or ''}\n{ctx.text.strip()}".strip()}
            await resident.answer_withdrawal(turn, False)
            return True
        if ctx.code == u.WITHDRAW_NO or (not ctx.code and (low in complaint.NO_WORDS or typed is False
                                                           or resident.keeps_open(ctx.text)
                                                           or resident.declines_withdrawal(ctx.text))):
            # "tidak, tetap berjalan saja, takut mati lagi" (it began a new street-light complaint)
            await resident.answer_withdrawal(turn, False)
            return True
        turn.state.pop("withdraw", None)
        return False

    async def _asks_after_own(self, ctx: _Ctx) -> bool:
        """A longer message asking after an earlier report ("… sing lapor dalan rusak wingi. pripun kok dereng enten
        kabar?"): its status, rather than a second complaint on the same matter."""
        turn = ctx.turn
        if ctx.flow is not None or ctx.code or turn.identity.role in STAFF_ROLES or \
                not await resident.asks_after_own(turn, ctx.text):
            return False
        await resident.cmd_status.handler(turn, ctx.text)
        return True

    async def _still_so(self, ctx: _Ctx) -> bool:
        """"lampu jalan di depan SD sukamaju masih mati pak" a day after reporting it: is this about that open
        complaint (passed to its officers), or another one? It began a second complaint, offered to be joined only
        at the summary."""
        turn = ctx.turn
        if (ctx.flow is not None or ctx.code or not ctx.text or ctx.skip_waiting or not turn_is_resident(turn)
                or not resident.says_still(ctx.text)):
            return False  # (skip_waiting: "Bukan, ini hal lain" was just said of these words)
        routing = ParseResult.from_dict(ctx.parse).routing
        if routing is None or routing.by != "model" or routing.confidence < turn.directory.route_threshold:
            return False
        if await resident.waiting_ticket(turn) is not None:
            return False  # "iya masih rusak pak" to an officer's "apakah masih rusak?": their answer (_officer_waiting)
        for ticket in await turn.store.recent_tickets(turn.identity.key, resident.STATUS_LOOK_BACK):
            if ticket.kind != LETTER_KIND and ticket.topic == routing.topic and ticket.status in OPEN_STATUSES:
                await resident.hold_for_officer(turn, ticket, asked=_unasked(ticket))
                return True
        return False

    async def _already_reported(self, ctx: _Ctx) -> bool:
        """About one's own report, not a new one: "kok lama banget sih, udah 6 hari ga ada kabar" from someone with an
        open complaint gets its status; "saya sudah lapor kemarin lewat wa pak, soal jalan rusak" gets the status of
        the one it names, or their complaints to choose from, or (none from this chat) a request for the ticket
        number, rather than a second complaint."""
        turn = ctx.turn
        # (the "status" flow waits for a ticket number: "saya sudah lapor kemarin lewat wa" answers it too)
        if ctx.flow not in (None, "status") or ctx.code or not ctx.text or turn.identity.role in STAFF_ROLES:
            return False
        low = u.plain(ctx.text)
        # ("aduan jalan saya sudah 12 hari belum ada kabar, saya mau lapor ke bupati saja": longer, naming one's own)
        own = resident.names_own_report(ctx.text)
        longest = ABOUT_OWN_LONG_WORDS if own else ABOUT_OWN_MAX_WORDS
        if (len(low.split()) > longest or u.adds_detail(ctx.text) or find_ticket_number(ctx.text)
                or complaint.asks_if_reported(ctx.text)):
            return False  # ("ada yang sudah lapor jalan rusak di desa sooko belum?": whether anyone has, below)
        mine = [t for t in await turn.store.recent_tickets(turn.identity.key, resident.STATUS_LOOK_BACK)
                if t.kind != LETTER_KIND]
        asked = await resident.waiting_ticket(turn) if ctx.flow is None and _NO_NEWS_YET.search(low) else None
        if asked is not None and u.looks_like_answer(ctx.text):
            # "depan rumah no 12 pak, yang lampu juga belum ada kabar" to the roads officer's "nomor berapa pak?"
            # (thirty-second trial: only the street light's status came, and the answer never reached the officer):
            # the words to the officer who asked, and the status of the other complaint they name
            other = resident.named_among(turn, [t for t in mine if t.number != asked.number], ctx.text, ctx.parse)
            if other is None:
                return False  # (the answer alone: _officer_waiting)
            await resident.add_resident_message(turn, asked.number, ctx.text)
            await resident.show_status(turn, other.number)
            return True
        if not mine and resident.reported_at_lapor(ctx.text) and _ALREADY_REPORTED.search(low):
            resident.answer_reported_at_lapor(turn, ctx.text)  # "saya sudah lapor lewat lapor.go.id, nomornya …"
            return True
        if (not mine and ctx.flow is None and _ALREADY_REPORTED.search(low)
                and (where := _IN_PERSON.search(low)) is not None and len(low.split()) >= IN_PERSON_MIN_WORDS):
            # "saya sudah lapor ke kantor desa soal jalan rusak di dusun krajan tapi tidak ditindaklanjuti": filed now
            turn.say("reported_in_person_note", where=where.group(0))
            await complaint.start_from_text(turn, ctx.text, ctx.parse)
            return True
        waiting = _NO_NEWS_YET.search(low) or (own and _NOT_HANDLED_YET.search(low))
        if waiting and own and not mine and ctx.flow is None:
            # "aduan saya sudah lama tidak ada kabar, mau lapor ombudsman" with nothing filed from this chat: the
            # number asked for, and the Ombudsman's way when it is named (twenty-sixth trial: a complaint began)
            await resident.cmd_status.handler(turn, ctx.text)
            resident.ombudsman_note(turn)
            return True
        if waiting and (still_open := [t for t in mine if await resident.open_for_reporter(turn, t)]):
            if await resident.delay_again(turn):  # said again, having just seen the status: passed on, with an apology
                return True
            if _shouted(ctx.text):
                # "PAK TOLONG DONG INI SUDAH SEMINGGU GAK ADA KABAR!!!" (thirty-ninth trial: the status card alone)
                turn.say("delay_shouted_sorry")
            newest = max(still_open, key=lambda t: t.created_at)
            if (age := turn.now - newest.created_at) < timedelta(hours=JUST_FILED_HOURS):
                # "kok lama banget balasnya" five minutes after filing (fortieth trial: the status card alone)
                minutes = max(1, int(age.total_seconds() // 60))
                turn.say("delay_just_filed", opd=handler_name(turn, newest),
                         ago=turn.t("ago_minutes", n=minutes) if minutes < 60 else turn.t("ago_hours", n=minutes // 60))
            await resident.cmd_status.handler(turn, ctx.text)
            calendar = self.services.calendar
            if not calendar.is_working_day(calendar.local_date(turn.now)):
                turn.say("day_off_note")  # "kok hari sabtu tidak ada yang balas?": the offices are closed today
            await resident.offer_delay_to_regent(turn, ctx.text, mine)  # "… saya mau lapor ke bupati saja"
            return True
        if not _ALREADY_REPORTED.search(low):
            return False
        await resident.cmd_status.handler(turn, ctx.text)  # the one it names ("kemarin", "jalan rusak"), or which
        return True

    async def _own_tickets(self, ctx: _Ctx) -> bool:
        if (turn_is_resident(ctx.turn) and ctx.flow is None and resident.asks_how_long_usually(ctx.text)
                and await resident.open_complaint_of(ctx.turn) is not None):
            await resident.cmd_status.handler(ctx.turn, ctx.text)  # "berapa lama biasanya diperbaiki?": its deadline
            return True
        if (turn_is_resident(ctx.turn) and resident.threatens_regent(ctx.text)
                and (mine := await resident.open_complaint_of(ctx.turn)) is not None):
            # "kalau tidak diperbaiki saya lapor ke bupati ya": where it stands, and that an overdue complaint reaches
            # the regent by itself (not the message to the regent begun at once)
            await resident.answer_regent_threat(ctx.turn, mine)
            return True
        if resident.asks_my_tickets(ctx.text):
            if not turn_is_resident(ctx.turn) and officer.asks_overdue_list(
                    ctx.text, counting=ctx.turn.identity.role == ROLE_OFFICER):
                # "berapa aduan saya yang lewat tenggat?" (thirty-fourth trial: every open one listed)
                await officer.show_overdue_count(ctx.turn)
                return True
            if not turn_is_resident(ctx.turn):  # "aduan saya ada berapa yang telat?" from an officer: their queue
                await self._run_command(ctx.turn, "antrian", "")  # (not "Belum ada aduan dari akun ini")
                return True
            await resident.cmd_my_tickets.handler(ctx.turn, "")
            return True
        if resident.asks_who_is_regent(ctx.text):
            resident.answer_who_is_regent(ctx.turn)
            return True
        if ((resident.asks_status(ctx.text) and (turn_is_resident(ctx.turn) or not _asks_figures(ctx.text)))
                or (ctx.turn.state.get(resident.DRAFT_ASIDE_KEY) and resident.asks_after_report(ctx.text))):
            # ("pak yang kemarin gimana ya kok belum ada kabar" beside a draft never sent: it is that draft)
            # ("gimana aduan hari ini?" from the regent asks after the day's figures, answered by _by_intent)
            await resident.cmd_status.handler(ctx.turn, ctx.text)
            return True
        return turn_is_resident(ctx.turn) and await resident.status_of_named(ctx.turn, ctx.text)  # "yg lampu gmn?"

    async def _ticket_number(self, ctx: _Ctx) -> bool:
        number = find_ticket_number(ctx.text)
        if not number and ctx.flow is None and turn_is_resident(ctx.turn):
            number = await resident.own_number_without_prefix(ctx.turn, ctx.text)  # "no tiket sy 2612-0001"
            if number:
                await resident.show_status(ctx.turn, number)
                return True
        intent = u.intent_of(ctx.parse)
        if number and ctx.flow is None and turn_is_resident(ctx.turn) and \
                await resident.add_detail_by_number(ctx.turn, ctx.text, ctx.parse):
            return True
        # ("wrg 2612 0001 gimana", its number typed in pieces: fortieth trial, the emergency numbers' FAQ)
        if number and (intent in (None, "check_status", "nlu_fallback") or len(ctx.text.split()) <= 3
                       or len(without_ticket_numbers(ctx.text).split()) <= 2):
            await resident.show_status(ctx.turn, number)
            return True
        if ctx.flow is None and _PERSONAL_NUMBER.fullmatch(ctx.text.replace(" ", "").replace("-", "")):
            # A NIK or a phone number alone, with nothing asked: it is not needed, and better not sent.
            ctx.turn.say("personal_number_alone", ctx.turn.menu_buttons(), example=resident.example_number(ctx.turn))
            return True
        return False

    async def _by_intent(self, turn: Turn, parse: dict[str, Any]) -> None:
        if not parse and turn.message.text.strip():
            parse = await self._parse(turn)
        intent = u.intent_of(parse) or "nlu_fallback"
        text = turn.message.text.strip()
        if (intent == "nlu_fallback" or len(u.plain(text).split()) <= _PRAISE_ALONE) and _PRAISE.match(u.plain(text)):
            intent = "thanks"  # "mantap pak", "good job": praise the model does not know, thanked like thanks
        if intent == "greet" and not u.is_greeting(text) and len((after := resident.after_greeting(text)).split()) >= 3:
            # "hello min, my KTP is lost, gimana ya?" read as a greeting (thirty-ninth trial: the menu, the question
            # lost): what follows the greeting decides
            reparsed = await self.services.nlu.parse(after[:1000])
            routing = ParseResult.from_dict(reparsed).routing
            # (a question the FAQs answer, or a complaint routed surely: "selamat malam pak, maaf mengganggu malam-
            # malam" and "assalamualaikum wr wb. mohon izin …, saya mau menyampaikan keluhan" stay greetings)
            if u.intent_of(reparsed) in ("faq", "ask_info") or (
                    routing is not None and routing.confidence >= self.services.directory.route_threshold
                    and u.intent_of(reparsed) == routing.topic):
                parse, intent = reparsed, u.intent_of(reparsed) or "nlu_fallback"
        if turn.identity.role not in STAFF_ROLES and _HELP_CALL.match(u.plain(text)):
            # "tolong dong", "minta tolong pak", "help!" alone (fortieth trial: "not understood"): listening, and 112
            # first if a life is in danger
            turn.say("help_call_listening", turn.menu_buttons())
            return
        if turn.identity.role not in STAFF_ROLES and _YOURE_WELCOME.match(u.plain(text)):
            # "sama2 pak" to an officer's thanks (fortieth trial: "not understood")
            turn.say("youre_welcome_answered")
            return
        if turn.identity.role not in STAFF_ROLES and _VOLUNTEER.search(u.plain(text)) and len(text.split()) <= 20:
            # "saya mau jadi relawan membantu warga lapor, bisa?" (fortieth trial: topics to pick from)
            turn.say("volunteer_answer", turn.menu_buttons())
            return
        if (turn.identity.role not in STAFF_ROLES and intent not in ("greet", "thanks", "goodbye")
                and complaint.lead_in_only(text) and not u.is_greeting(text) and u.plain(text) not in _CALLING):
            # "pak mohon maaf mengganggu", "saya mau menyampaikan" (thirty-ninth trial: a complaint on public order
            # begun from it): listening, nothing begun
            polite = re.search(r"\b(?:ganggu|mengganggu|maaf|permisi|punten|nuwun|sorry|excuse)\b", u.plain(text))
            turn.say("lead_in_listening" if polite else "lead_in_go_on", turn.menu_buttons())
            return
        if u.plain(text) in _CALLING or _HOW_ARE_YOU.match(u.plain(text)):
            # "pak", "P", "permisi min": someone calling for attention is greeted; so is "apa kabar pak" (twenty-eighth
            # trial: the regent got "not sent" and the whole help)
            intent = "greet"
        directory = self.services.directory
        simple = _SIMPLE_INTENTS.get(intent)
        staff = turn.identity.role in STAFF_ROLES and turn.identity.role not in letters.LETTER_ROLES
        asks_figures = _asks_figures(text)
        if intent == "thanks" and not staff and (rest := _after_thanks(text)):
            # "ok thanks. also can I report noise from a karaoke bar at night?": the question after the thanks is
            # what wants an answer
            turn.message = replace(turn.message, text=rest)
            turn.nlu = None
            await self._by_intent(turn, await self._parse(turn))
            return
        if staff and turn.identity.role == ROLE_REGENT and report_card.asks_remind_all(text):
            await report_card.offer_remind_overdue(turn)  # "ingatkan semua dinas yang punya aduan lewat batas waktu"
        elif staff and turn.identity.role == ROLE_REGENT and report_card.asks_daily_digest(text):
            turn.say("daily_digest_already", time=self.services.settings.digest_time.replace(":", "."))
        elif staff and turn.identity.role == ROLE_REGENT and report_card.asks_weekly_card(text):
            turn.say("weekly_card_already")  # "tolong kirim rekap ke saya tiap senin pagi" (thirty-sixth trial: help)
        elif staff and turn.identity.role in (ROLE_REGENT, ROLE_OPERATOR) and report_card.asks_ranking(text):
            await report_card.send_ranking(turn, text)  # "dinas mana yang paling lambat bulan ini?"
        elif (staff and turn.identity.role in (ROLE_REGENT, ROLE_OPERATOR)
              and (asked := report_card.office_asked(turn, text)) is not None):
            await report_card.send_ranking(turn, text, only=asked)  # "bagaimana kinerja dinas pupr?"
        elif staff and turn.identity.role in (ROLE_REGENT, ROLE_OPERATOR) and report_card.performance_asked(text):
            await report_card.send_ranking(turn, text)  # "bagaimana kinerja dinas minggu ini?": every office
        elif staff and turn.identity.role == ROLE_OFFICER and turn.identity.opd_id and officer.asks_done_list(text):
            await officer.show_done_list(turn, text)  # "minta daftar aduan yang sudah selesai bulan ini"
        elif (staff and turn.identity.role == ROLE_OFFICER and turn.identity.opd_id
              and (report_card.asks_satisfaction(text) or report_card.performance_asked(text))):
            # "berapa rata-rata nilai dari warga untuk dinas kami?" (thirty-sixth trial: the help): their office's
            # line of the weekly card, over the period asked
            await report_card.send_ranking(turn, text, only=turn.identity.opd_id)
        elif staff and turn.identity.role in (ROLE_REGENT, ROLE_OPERATOR) and (
                unit := report_card.compare_asked(text)) is not None:
            await report_card.send_comparison(turn, unit)  # "bandingkan dengan bulan lalu"
        elif staff and turn.identity.role in (ROLE_REGENT, ROLE_OPERATOR) and report_card.asks_top_officer(text):
            turn.say("officers_not_ranked")  # "siapa petugas paling rajin bulan ini?": the offices instead
            await report_card.send_ranking(turn, text)
        elif staff and turn.identity.role in (ROLE_REGENT, ROLE_OPERATOR) and report_card.asks_top_reporter(text):
            turn.say("reporters_not_ranked")  # "siapa yang paling sering lapor?": the villages instead
            await report_card.send_top_areas(turn, text, "desa")
        elif staff and turn.identity.role in (ROLE_REGENT, ROLE_OPERATOR) and (
                level := report_card.area_asked(text)) is not None:
            await report_card.send_top_areas(turn, text, level)  # "desa mana yang paling banyak aduannya?"
        elif staff and turn.identity.role in (ROLE_REGENT, ROLE_OPERATOR) and report_card.asks_top_topics(text):
            await report_card.send_top_topics(turn, text)  # "aduan terbanyak tentang apa?"
        elif staff and turn.identity.role in (ROLE_REGENT, ROLE_OPERATOR) and report_card.asks_satisfaction(text):
            await report_card.send_satisfaction(turn, text)  # "bagaimana kepuasan warga bulan ini?"
        elif staff and turn.identity.role in (ROLE_REGENT, ROLE_OPERATOR) and report_card.asks_response_time(text):
            await report_card.send_response_time(turn, text)  # "berapa rata-rata waktu tanggapan bulan ini?"
        elif (staff and turn.identity.role != ROLE_REGENT and officer.sets_priority(text)
              and not find_ticket_number(text)):
            officer.offer_priority(turn, text, None)  # "tiket ini bisa saya kasih prioritas tinggi?": how
        elif staff and officer.asks_urgent(text):
            await officer.show_urgent(turn)  # "ada yang mendesak?"
        elif staff and turn.identity.role in (ROLE_REGENT, ROLE_OPERATOR) and officer.asks_viral(text):
            turn.say("viral_not_tracked")  # "ada aduan yang viral?" (thirty-seventh trial: the help)
            await officer.show_urgent(turn)
        elif (staff and turn.identity.role in (ROLE_REGENT, ROLE_OPERATOR)
              and staff_admin.asks_offices_without_staff(text)):
            await staff_admin.show_offices_without_staff(turn)  # "siapa saja dinas yang belum punya petugas?"
        elif staff and staff_admin.asks_who_staff(text):
            await staff_admin.show_office_staff(turn, text)  # "siapa petugas pupr?"
        elif staff and turn.identity.role == ROLE_OPERATOR and staff_admin.asks_revoke(text):
            await staff_admin.explain_revoke(turn, text)  # "hapus akun petugas budi": how, with the codes
        elif staff and turn.identity.role != ROLE_REGENT and officer.asks_duplicate(text):
            turn.say("staff_duplicate_how")  # "aduan ini sudah pernah dilaporkan sebelumnya": how /gabung joins them
        elif staff and officer.asks_extension(text):  # "bisa minta perpanjangan batas waktu?"
            officer.explain_extension(turn, text)
        elif staff and officer.asks_due_soon(text):  # "aduan yang hampir lewat batas": the queue, by deadline
            await officer.show_queue(turn, "")
        elif staff and officer.asks_overdue_list(text, counting=turn.identity.role == ROLE_OFFICER):
            # "tampilkan aduan yang terlambat", an officer's "berapa aduan saya yang lewat tenggat?": those, listed
            named = regent.recap_opd(turn, text) if turn.identity.role in (ROLE_REGENT, ROLE_OPERATOR) else None
            if turn.identity.role == ROLE_OFFICER and officer.counts(text):
                await officer.show_overdue_count(turn)  # "how many complaints are overdue?": none, and the queue
            else:
                await officer.show_queue(turn, named.id if named else "", overdue=True)
        elif (staff and turn.identity.role == ROLE_REGENT and not _asks_summary(text) and not asks_figures
              and _reminder_for(directory, text, parse) is None and (opd := regent_memo.office_addressed(turn, text))):
            # "tolong minta kepala dinas pupr lapor ke saya besok pagi": a message to that office, offered (after a
            # resident wrote to him, beside the answer to them)
            # (the complaint he opened minutes ago: its disposition, offered first)
            if not (await officer.offer_disposition_of_last(turn, text) or await officer.offer_reply_to_last(turn)
                    or await officer.offer_disposition_of_viewed(turn, text)):
                regent_memo.offer(turn, opd, text)
        elif staff and await officer.who_handles_viewed(turn, text):
            pass  # "siapa yang menangani?" after opening one: its office and who has it
        elif (staff and turn.identity.role == ROLE_REGENT and not _asks_summary(text) and not asks_figures
              and await officer.offer_disposition_of_viewed(turn, text)):
            pass  # "tolong dipercepat, itu jalur anak sekolah" after opening one, no office named: its disposition
        elif staff and turn.identity.role == ROLE_OPERATOR and _ASKS_TRIAGE.search(u.plain(text)):
            await self._run_command(turn, "triase", "")  # "aduan mana yang belum ada dinasnya?": the triage queue
        elif staff and turn.identity.role == ROLE_OPERATOR and await officer.offer_route_in_words(turn, text):
            pass  # "yang itu arahkan ke satpol pp" with one complaint waiting in triage: /rute in one tap
        elif (staff and turn.identity.role in (ROLE_REGENT, ROLE_OPERATOR)
              and regent.asks_unanswered_count(text)):
            await regent.show_unanswered(turn, text)  # "berapa aduan yang belum ditanggapi lebih dari seminggu?"
        elif staff and turn.identity.role == ROLE_REGENT and regent.asks_own_messages(text):
            await regent.show_own_messages(turn)  # "ada pesan baru untuk saya?"
        elif staff and turn.identity.role in (ROLE_REGENT, ROLE_OPERATOR) and regent.asks_channel_count(text):
            await regent.show_channel_count(turn, text)  # "berapa aduan yang masuk lewat whatsapp minggu ini?"
        elif staff and turn.identity.role in (ROLE_REGENT, ROLE_OPERATOR) and regent.asks_users(text):
            await regent.show_users(turn, text)  # "berapa pengguna aktif minggu ini?"
        elif staff and asks_oldest(text):
            await self._run_command(turn, "antrian", "")  # the queue (every OPD's for the regent), by deadline
        elif (staff and turn.identity.role in (ROLE_REGENT, ROLE_OPERATOR) and len(text.split()) <= 14
              and _WHICH_UNANSWERED.search(u.plain(text)) and not find_ticket_number(text)):
            # "aduan mana yang belum ada tindak lanjut sama sekali?" (thirty-fifth trial: the help): the open ones,
            # each with its status ("menunggu tindak lanjut"), by deadline
            named = regent.recap_opd(turn, text)
            await officer.show_queue(turn, named.id if named else "")
        elif staff and turn.identity.role in (ROLE_REGENT, ROLE_OPERATOR) and (
                _asks_summary(text) or asks_figures):
            # "ringkasan hari ini", "rekap": the day's figures; "rekap PUPR minggu ini": that OPD's, that week
            if re.search(r"\b(?:pesan|chat|messages?)\b", u.plain(text)) and not re.search(
                    r"\b(?:aduan|laporan|tiket|complaints?|tickets?)\b", u.plain(text)):
                turn.say("messages_not_counted")  # "berapa pesan yang masuk hari ini?": the complaints, counted
            if regent.asks_this_year(text):
                await regent.this_year(turn, text)  # "berapa jumlah aduan tahun ini?": the year so far
            else:
                await self._command(turn, "ringkasan", text)
            if officer.asks_new_list(text):  # "aduan hari ini apa saja?": the figures, then the complaints
                await officer.show_new_list(turn, text)
        elif staff and turn.identity.role in (ROLE_REGENT, ROLE_OPERATOR) and officer.asks_new_list(text):
            await officer.show_new_list(turn, text)  # "tolong kirim daftar aduan yang masuk hari ini"
        elif staff and turn.identity.role == ROLE_REGENT and (opd := _reminder_for(directory, text, parse)) is not None:
            # "tolong ingatkan dishub soal lampu jalan gajah mada itu": the reminder, offered in one tap
            payload = officer.offer_yes(turn, f"/ingatkan {opd.id}")
            turn.say("regent_remind_offer", [Button(turn.t("regent_remind_button", opd=opd.short), payload),
                                             turn.button("officer_pending_no", "/batal")], opd=opd.name)
        elif (staff and turn.identity.role == ROLE_OFFICER and _asks_summary(text)
              and await regent.officer_recap(turn, text)):
            pass  # "tolong kasih saya ringkasan minggu ini": their office's recap
        elif (staff and turn.identity.role == ROLE_OFFICER and asks_figures and _ARRIVED.search(u.plain(text))
              and _RECAP_PERIOD.search(text.lower()) and await regent.officer_recap(turn, text)):
            pass  # "berapa aduan yang masuk minggu ini?" (thirty-fifth trial: the open queue): their office's recap
        elif staff and turn.identity.role == ROLE_OFFICER and asks_figures:
            await self._run_command(turn, "antrian", "")  # an officer's own queue, the overdue first
        elif staff and await officer.offer_transfer_at_hand(turn, text):
            pass  # "ini bukan urusan kami, tolong alihkan ke dinas sosial" right after opening one: its transfer
        elif (staff and intent not in ("help", "cancel")
              and not (intent == "greet" and len(text.split()) <= _BARE_GREETING)  # "selamat pagi": greeted
              and await officer.offer_reply_to_last(turn)):
            pass  # words typed after a reporter wrote ("siap bu, besok kami cek"): one tap sends them to that reporter
        elif staff and u.plain(text) in officer.STAFF_ACK:
            turn.say("staff_ack")  # "ok", "siap", "noted": acknowledged, not the whole help again
        elif (not staff and resident.only_ack(text) and not resident.only_thanks(text) and not u.is_resident_ack(text)
              and intent not in ("thanks", "goodbye", "greet")):
            # "ok pak ditunggu" soon after filing, no officer has written, or after a letter request (fortieth trial:
            # "not understood")
            if (waiting := await resident.open_complaint_of(turn)) is not None:
                turn.say("ack_while_waiting", number=waiting.number, opd=handler_name(turn, waiting))
            else:
                turn.say("resident_ack", turn.menu_buttons())
        elif not staff and (u.is_resident_ack(text) or u.plain(text) in _PLAIN_YES):
            # "ok" after the ticket number, "ya" to nothing asked (thirty-seventh trial: "I did not understand")
            turn.say("resident_ack", turn.menu_buttons())
        elif staff and intent not in ("greet", "help", "cancel", "thanks", "goodbye", "faq", "ask_info"):
            # An officer's typed words outside a command reach nobody: say so, and how to answer a resident.
            turn.say("staff_free_text")
            turn.replies.append(Reply(officer.staff_help(turn)))
        elif not staff and _asks_call_back(text, parse, directory):
            # (not "jalan … rusak parah, hubungi saya di 0812…")
            # "hubungi saya di 0812… ya pak kalau ada kabar": news comes here; the number is not needed nor passed on
            turn.say("contact_me_here", turn.menu_buttons())
        elif not staff and resident.asks_officer_number(text):
            resident.answer_officer_number(turn, text)  # "boleh minta nomor wa petugasnya?"
        elif (not staff and resident.asks_named_contact(text)
              and (outside := ParseResult.from_dict(parse).routing) is not None and outside.topic in directory.external
              and outside.confidence >= OUTSIDE_CONTACT_CONFIDENCE):
            # "berapa nomor pengaduan PLN?" (thirty-fifth trial: the FAQ on ticket numbers): who handles it, and how
            how = directory.external[outside.topic].how
            turn.say("outside_authority", how=how.get(turn.lang) or how["id"])
        elif not staff and resident.asks_contact(text) and (intent in ("faq", "nlu_fallback", "ask_info")
                                                            or intent in directory.routing):
            resident.answer_contact(turn)  # "ada nomor telepon yg bisa dihubungi?", "call center pemkab berapa"
        elif not staff and complaint.is_curse(text):
            turn.say("curse_outside_flow", turn.menu_buttons())  # "tai lah", "monyet kalian semua": calm, with the menu
        elif not staff and public_info.asks_others_reports(text):
            public_info.answer_others_reports(turn)  # "dimana saya bisa lihat aduan warga lain?"
        elif not staff and public_info.asks_from_elsewhere(text):
            public_info.answer_from_elsewhere(turn)  # "saya warga kabupaten sebelah, bisa lapor di sini?"
        elif not staff and resident.answer_right_place(turn, parse):
            pass  # "hi, I'm an expat living in Sooko village. Is this the right place to report a problem?"
        elif not staff and _HOLD_ON.match(u.plain(text)):
            turn.say("hold_on_no_flow", turn.menu_buttons())  # "bentar", "wait": nothing begun yet, we wait
        elif not staff and complaint.asks_to_suggest(text):
            await complaint.start_suggestion(turn)  # "usul pak": what it is, then kept as aspirasi
        elif not staff and public_info.asks_after_channel_report(text):
            # "minggu lalu saya lapor via telepon, sudah dicatat belum?": this chat sees only what was filed here
            turn.say("channel_report_unseen", [turn.button("menu_status", "/status"),
                                               turn.button("menu_complaint", "/aduan")],
                     example=resident.example_number(turn))
        elif not staff and (channel := public_info.channel_asked(text)) is not None:
            public_info.answer_channel(turn, channel)  # "bisa lapor lewat telepon?": the ways in, this chat among them
        elif not staff and intent not in directory.routing and public_info.general_knowledge(text):
            turn.say("out_of_scope", turn.menu_buttons())  # "siapa presiden indonesia sekarang?"
        elif not staff and resident.asks_procedure(text):
            resident.answer_procedure(turn)  # "saya ingin menanyakan prosedur pengaduan pelayanan publik …"
        elif (not staff and len(text.split()) <= resident.WHERE_QUESTION_WORDS
              and resident.answer_where_to_report(turn, parse)):
            # "mau lapor gimana caranya?": how to report here; "kalau jalan rusak lapornya ke mana ya pak?": the office
            pass
        elif not staff and (complaint.asks_secrecy_first(text) or (
                complaint.fears_reporting(text) and intent in directory.routing)):
            await complaint.start_secret(turn, text, parse)  # "mau lapor tapi takut ketahuan, bisa dirahasiakan?"
        elif not staff and resident.how_to_report_outside(turn, text, parse):
            pass  # "bagaimana cara lapor penipuan online?": the police, and how
        elif not staff and resident.how_to_report_this(turn, text, parse):
            turn.say("report_it_here")  # "mau lapor … soal puskesmas yang tutup siang, gimana caranya?": begun here
            await complaint.start_from_text(turn, text, parse)
        elif not staff and resident.says_call_failed(text):
            resident.answer_call_failed(turn)  # "kok nomornya tidak bisa ditelepon?"
        elif not staff and resident.asks_about_scam(text):
            # "apakah benar ada bantuan Rp 600 ribu dari pemerintah? saya dapat sms suruh klik link" (thirty-eighth
            # trial: offered to the offices as a question)
            turn.say("scam_warning", turn.menu_buttons(), regency=self.services.directory.regency_short)
        elif not staff and resident.outsider_wants_to_report(text):
            # "saya mau lapor, tapi saya bukan warga sini, cuma lewat" (thirty-eighth trial: unsure topics): yes, and
            # the complaint begun
            turn.say("report_not_from_here", regency=self.services.directory.regency_short)
            await complaint.start_from_menu(turn)
        elif not staff and complaint.opens_with_place(turn, text):
            await complaint.start_from_place(turn, text)  # "desa sooko rt 2" as the first words
        elif not staff and resident.asks_voice_help(text):
            # "saya tunanetra, apakah ada layanan suara?", "tolong hubungi saya lewat telepon saja, saya tidak bisa
            # ngetik panjang" (thirty-eighth trial: the help, and topics to pick from)
            turn.say(complaint.voice_help_key(turn))
            resident.answer_human(turn)
        elif not staff and resident.asks_human(text):
            resident.answer_human(turn)  # "mau ngomong sama orang beneran", "I'd like to speak with a real person"
        elif not staff and complaint.aside_kind(text) == "data_safe":
            turn.say("aside_data_safe", turn.menu_buttons())  # "apakah data saya dijual?" (offered to the offices)
        elif not staff and resident.is_press(text):
            # "saya wartawan, mau konfirmasi data aduan jalan rusak" (thirty-eighth trial: filed as a road complaint)
            turn.say("press_inquiry", turn.menu_buttons(), contact=self.services.directory.contact or "-")
        elif not staff and (introduced := resident.introduction(text)) is not None:
            resident.answer_introduction(turn, introduced[0])  # "nama saya budi", "saya warga desa sooko"
        elif not staff and resident.is_trying(text):
            turn.say("service_alive", turn.menu_buttons())  # "tes", "test 123": yes, it answers
        elif not staff and resident.asks_if_followed_up(text):
            # "kalau lapor di sini beneran ditindaklanjuti gak sih?" (thirty-seventh trial: offered to the offices)
            turn.say("followed_up_how", turn.menu_buttons(), regent=directory.regent_title)
        elif not staff and resident.asks_time(text):
            resident.answer_time(turn)  # "jam berapa sekarang?" (thirty-seventh trial: FAQs to pick from)
        elif not staff and await resident.answer_open_day(turn, text):
            pass  # "besok kantor dinas buka gak? kan tanggal merah" (complaint topics to pick from)
        elif not staff and resident.wants_to_give_feedback(text):
            await resident.take_feedback(turn, text)  # "saya mau kasih masukan untuk aplikasi ini" ("not understood")
        elif not staff and resident.typed_by_mistake(text):
            turn.say("sent_by_mistake")  # "maaf salah kirim" (thirty-seventh trial: "not understood")
        elif not staff and resident.asks_to_become_staff(text):
            turn.say("become_staff_how", turn.menu_buttons())  # "saya mau daftar jadi petugas" (complaint topics)
        elif not staff and resident.finds_it_too_hard(text):
            resident.answer_too_hard(turn)  # "ribet banget sih" (thirty-seventh trial: complaint topics to pick from)
        elif not staff and resident.frustrated_with_bot(text):
            resident.answer_frustration(turn)  # "bot nya gak ngerti2, capek saya": sorry, how to say it, a person
        elif not staff and complaint.asks_need_id(text):
            turn.say("report_without_id", turn.menu_buttons())  # "apakah bisa lapor tanpa KTP?"
        elif not staff and resident.asks_name_change(text):
            turn.say("name_change_how", turn.menu_buttons())  # "saya mau ganti nama di aduan saya"
        elif not staff and complaint.asks_why_phone(text):
            turn.say("aside_why_phone", turn.menu_buttons())  # "kenapa harus pakai nomor hp?"
        elif not staff and resident.asks_not_from_here(text):  # "ktp saya dari kabupaten lain, bisa lapor?"
            turn.say("report_not_from_here", turn.menu_buttons(), regency=turn.directory.regency_short)
        elif not staff and resident.praises_but_slow(text):  # "aplikasi ini bagus tapi balasnya lama"
            turn.say("good_but_slow", turn.menu_buttons())
        elif not staff and resident.unsure_of_apps(text):  # "kenapa harus pakai aplikasi, saya gaptek"
            turn.say("no_app_needed", turn.menu_buttons())
        elif not staff and public_info.asks_notice_by_email(text):  # "can you notify me by email too?"
            turn.say("notice_in_chat", turn.menu_buttons())
        elif not staff and resident.asks_other_village(text):  # "apakah bisa lapor untuk desa lain?"
            turn.say("report_other_village", turn.menu_buttons(), regency=turn.directory.regency_short)
        elif not staff and resident.asks_print(text):
            turn.say("receipt_print", turn.menu_buttons())  # "bisa dicetak?" after the proof of reporting
        elif not staff and resident.asks_cost(text):
            turn.say("service_free", turn.menu_buttons())  # "apakah layanan ini gratis?"
        elif not staff and resident.asks_official(text):
            resident.answer_official(turn)  # "ini nomor resmi pemkab bukan? takut penipuan"
        elif not staff and public_info.asks_who_comes(text):
            public_info.answer_who_comes(turn)  # "kalau saya lapor nanti yang datang ngecek siapa?"
        elif not staff and public_info.asks_jobs(text):
            public_info.answer_jobs(turn, text, parse)  # "ada lowongan kerja di pemkab?", "kapan pendaftaran PPPK …"
        elif not staff and (sendable := complaint.can_send_answer(turn, text)):
            turn.say(sendable, turn.menu_buttons())  # "bisa kirim bukti video?"
        elif not staff and resident.going_public(text):
            await resident.answer_going_public(turn)  # "awas kalo ga dibenerin, saya viralin"
        elif (not staff and intent in ("greet", "nlu_fallback", "out_of_scope", "bot_challenge")
              and len(text.split()) <= _GREET_THEN_REPORT_WORDS and not u.is_question(text)
              and (wish := _GREET_THEN_REPORT.search(u.plain(text)))):
            if len([w for w in u.plain(text)[wish.end():].split() if w not in _COURTESY_AFTER]) >= 2:
                # "good morning, i'd like to report flooding in my street" (thirty-fourth trial: asked what the
                # problem was, and the flooding lost): the matter follows the wish
                await complaint.start_from_text(turn, text, await self._parse(turn))
            else:
                await complaint.start_from_menu(turn)  # "sugeng enjing, kula badhe lapor": the greeting and the wish
        elif (not staff and len(text.split()) <= _REPORT_LATER_WORDS and _REPORT_LATER.search(u.plain(text))
              and not _PROBLEM_WORDS.search(_PHONE_DYING.sub(" ", u.plain(text)))):
            # "pak saya mau lapor tapi nanti saja, sekarang lagi kerja" (thirty-third trial: a complaint on unsure
            # topics): whenever they are ready
            turn.say("report_later_ok", turn.menu_buttons())
        elif simple is not None:
            await simple(self, turn, parse)
        elif not staff and intent in directory.routing and public_info.problem_elsewhere(text):
            turn.say("problem_in_other_regency", turn.menu_buttons(), regency=directory.regency_short)
        elif (not staff and intent in directory.external and self._unsure_outside(parse)
              and await resident.faq_follow_up(turn, parse)):
            pass  # "kalau sudah punya tapi nonaktif?" after the answer on state-paid BPJS (fortieth trial: topics)
        elif intent in directory.external and not self._unsure_outside(parse):
            how = directory.external[intent].how
            if _LIVE_WIRE.search(u.plain(text)):  # "tiang listrik roboh ke jalan, kabelnya masih nyala"
                turn.say("outside_live_wire")
            turn.say("outside_authority", how=how.get(turn.lang) or how["id"])
            turn.state[_OUTSIDE_KEY] = intent  # "lho terus saya harus gimana?" next is about this
        elif not staff and intent in directory.routing and await resident.faq_follow_up(turn, parse):
            pass  # "kalau anaknya sudah umur 5 tahun?" after the birth-certificate answer: about that, not a complaint
        elif (intent in directory.routing and (len(text.split()) <= 10 or resident.asks_responsible(text))
              and resident.answer_where_to_report(turn, parse)):
            pass  # "where do I report a broken street light?" read as the complaint: the office, and the way to report
            # (a longer one tells what happened: filing it says where it goes)
        elif not staff and intent in directory.routing and (faq := await self._wish_for_service(text)):
            resident.say_faq(turn, faq)  # "saya mau daftar jadi penerima bansos": how, not a complaint on aid
        elif intent in directory.routing or intent in directory.external or self._looks_like_complaint(turn, parse):
            # ("my water bill is way too high …", read as PLN's at 0.6: the likeliest offices are offered instead of
            # "not the regency's matter")
            await complaint.start_from_text(turn, text, parse)
        elif (not staff and intent == "nlu_fallback" and (question.asks(text) or u.is_question(text))
              and u.faq_selection(parse)[0] in self.services.faq_answers and u.faq_selection(parse)[1] >= FAQ_SURE):
            # "mhn info syrat nikah di kua" (fortieth trial: "not understood", the FAQ's answer 0.98 sure); the office
            # asked beside it when the answer cannot say "this year"
            resident.answer_faq(turn, parse)
        elif not staff and question.is_question(text):
            question.offer(turn, text, parse)  # "apakah ada program bedah rumah tahun ini?": asked of an office
        else:
            turn.say("fallback", turn.menu_buttons())

    async def _wish_for_service(self, text: str) -> str | None:
        """A wish for a service told plainly ("saya mau daftar jadi penerima bansos", thirty-ninth trial: a complaint on
        social aid): the FAQ on how it is had, when one answers "how do I …" of it surely; else None."""
        wish = _WISH_FOR_SERVICE.match(u.plain(text))
        if wish is None or len(text.split()) > WISH_FOR_SERVICE_WORDS or _NOT_A_PLAIN_WISH.search(u.plain(text)):
            return None
        parse = await self.services.nlu.parse(f"bagaimana cara {wish.group('verb')} {wish.group('rest')}"[:1000])
        return u.faq_key(parse, WISH_FAQ_CONFIDENCE)

    def _unsure_outside(self, parse: dict[str, Any]) -> bool:
        """An outside matter (PLN, police, national roads) read with less than the routing threshold's confidence: the
        bot does not send a resident away on a guess."""
        routing = ParseResult.from_dict(parse).routing
        return routing is not None and routing.confidence < self.services.directory.route_threshold

    async def _on_chat(self, turn: Turn, parse: dict[str, Any]) -> None:
        intent = u.intent_of(parse) or "fallback"
        turn.say(intent, turn.menu_buttons() if intent == "out_of_scope" else ())

    async def _on_thanks(self, turn: Turn, parse: dict[str, Any]) -> None:
        """"terima kasih petugasnya ramah" after a complaint was finished: the officers hear it too."""
        long_thanks = len(u.plain(turn.message.text).split()) >= THANKS_MIN_WORDS
        bare = set(u.plain(turn.message.text).split()) <= _BARE_THANKS  # ("oke terima kasih", "ok makasih ya" from
        # the regent is for the bot: thirty-fourth trial, told it "reached nobody")
        if turn.identity.role in STAFF_ROLES and long_thanks and not bare:
            # "sama-sama, terima kasih atas apresiasinya": meant for a reporter, not the bot; it reached nobody
            turn.say("staff_free_text")
            return
        if long_thanks and await resident.pass_thanks_on(turn, turn.message.text.strip()):
            return
        if turn_is_resident(turn) and await resident.urge_open_ticket(turn, turn.message.text.strip()):
            return  # "ok thanks, please hurry, it's dangerous": the urging reaches the officer
        if not long_thanks and await _nothing_done_yet(turn):  # "halo", then "makasih": nothing to thank for yet
            turn.say("thanks_before_help", turn.menu_buttons())
            return
        turn.say("thanks")

    async def _on_greet(self, turn: Turn, parse: dict[str, Any]) -> None:
        self._greet(turn)
        if not turn_is_resident(turn) or any(r.text == turn.t("greet_again") for r in turn.replies):
            return
        mine = await resident.open_complaint_of(turn)
        if mine is not None and turn.now - mine.created_at >= _GREET_OPEN_AFTER:
            # "halo" twelve days after filing (thirty-second trial: greeted as a stranger): where theirs stands
            turn.say("greet_open_complaint", [Button(mine.number, f"/status {mine.number}")], number=mine.number,
                     topic=topic_name(turn, mine.topic), status=_lower_first(resident.ticket_status_name(turn, mine)))

    async def _on_help(self, turn: Turn, parse: dict[str, Any]) -> None:
        if turn_is_resident(turn) and _UNSURE_HOW_TO_REPORT.search(u.plain(turn.message.text)):
            # "aku pengen ngadu tapi bingung mulai dari mana" (thirty-eighth trial: the list of what can be done here):
            # a complaint begun, one question at a time
            turn.say("report_start_gently")
            await complaint.start_from_menu(turn)
            return
        self._help(turn)

    async def _on_cancel(self, turn: Turn, parse: dict[str, Any]) -> None:
        # "please cancel it, it works now" minutes after filing: that complaint, offered to be withdrawn (as "batal"
        # is; twenty-eighth trial: "There is nothing in progress")
        if not await self._withdraw_just_sent(turn, turn.message.text):
            self._cancel(turn)

    async def _on_file_complaint(self, turn: Turn, parse: dict[str, Any]) -> None:
        text = turn.message.text.strip()
        if len(text.split()) >= 8:
            await complaint.start_from_text(turn, text, parse)
            return
        rest, sure = await self._matter_after_wish(text)
        if sure and len([w for w in rest.split() if w not in _COURTESY_AFTER]) >= MATTER_AFTER_WISH_WORDS:
            await complaint.start_from_text(turn, text, parse)
        else:
            # "mau lapor jalan rusak" names a topic only: what happened, where, is asked, and read with those words
            # (thirty-seventh trial: "saya mau lapor jalan berlubang", then the place alone, lost the road)
            await complaint.start_from_menu(turn, named=rest if sure else "")

    async def _matter_after_wish(self, text: str) -> tuple[str, bool]:
        """"saya mau lapor pak lurah jarang ngantor" (thirty-fifth trial: asked what the problem was): the words after
        the wish, read alone, and whether the router is sure of them."""
        wish = _GREET_THEN_REPORT.search(u.plain(text))
        rest = u.plain(text)[wish.end():].strip() if wish else ""
        if not [w for w in rest.split() if w not in _COURTESY_AFTER]:
            return rest, False
        routing = ParseResult.from_dict(await self.services.nlu.parse(rest)).routing
        return rest, (routing is not None and routing.topic in self.services.directory.routing
                      and routing.confidence >= self.services.directory.route_threshold)

    async def _on_ask_info(self, turn: Turn, parse: dict[str, Any]) -> None:
        text = turn.message.text.strip()
        if turn.identity.role not in STAFF_ROLES and question.is_question(text):
            # "mau tanya, rekrutmen PPPK kapan dibuka?": the question is here already; the FAQ, or an office
            await resident.answer_question(turn, parse)
            return
        await resident.cmd_ask.handler(turn, "")

    async def _on_check_status(self, turn: Turn, parse: dict[str, Any]) -> None:
        await resident.cmd_status.handler(turn, turn.message.text.strip())

    async def _on_regent(self, turn: Turn, parse: dict[str, Any]) -> None:
        text = turn.message.text.strip()
        if u.is_question(text) and u.faq_key(parse):
            resident.answer_faq(turn, parse)
            return
        if u.is_question(text) and await resident.show_regent_message_status(turn):
            return  # "kapan pak bupati bales?" after writing to the regent: where that message stands
        if await _regent_about_own(turn, text):
            return
        if turn.identity.role == ROLE_RESIDENT and resident.speaks_to_regent(text):
            # "pak bupati, saya mau mengucapkan terima kasih atas bantuan sembako kemarin" (thirty-seventh trial:
            # asked to write the message it was): that message, to confirm
            await resident.confirm_to_regent(turn, text)
            return
        await resident.cmd_regent.handler(turn, "")

    async def _on_faq(self, turn: Turn, parse: dict[str, Any]) -> None:
        text = turn.message.text.strip()
        routing = ParseResult.from_dict(parse).routing
        if (turn.identity.role not in STAFF_ROLES and routing is not None and routing.by == "agency"
                and routing.topic in self.services.directory.routing and not u.is_question(text)
                and complaint.PROBLEM_WORDS.search(u.plain(text)) and u.faq_selection(parse)[1] < FAQ_SURE):
            # "AIR PDAM MATI 3 HARI GMN INI": the office named and a problem told (fortieth trial: the answer on new
            # water connections), a complaint
            await complaint.start_from_text(turn, text, parse)
            return
        if not resident.answer_where_to_report(turn, parse):
            await resident.answer_question(turn, parse)

    async def _appreciation(self, ctx: _Ctx) -> bool:
        """"saya ingin menyampaikan terima kasih kepada dinas pupr karena jalan … sudah bagus" from someone with no
        open complaint at that office: thanked, and passed to its officers (actions/resident.py)."""
        turn = ctx.turn
        if ctx.code or not ctx.text or ctx.flow is not None or not turn_is_resident(turn):
            return False
        if not resident.is_appreciation(ctx.text):
            return False
        opd = resident.appreciation_for(turn, ctx.text)
        routing = ParseResult.from_dict(ctx.parse).routing
        if opd is None and routing is not None and routing.confidence >= self.services.directory.route_threshold:
            opd = self.services.directory.opd_for(routing.topic)  # "… jalan di desa kami sudah bagus": its office
        mine = await turn.store.recent_tickets(turn.identity.key, resident.STATUS_LOOK_BACK)
        if opd is None:
            if any(t.status in OPEN_STATUSES for t in mine):
                return False  # (about one of theirs: its own answers)
            # "terima kasih atas pelayanannya, …" naming no office we can tell (thirty-third trial: a complaint begun,
            # with unsure topics)
            turn.say("appreciation_general", turn.menu_buttons())
            return True
        if any(t.opd_id == opd.id and t.status in OPEN_STATUSES for t in mine):
            return False
        await resident.pass_appreciation(turn, ctx.text, opd)
        return True

    async def _if_reported(self, ctx: _Ctx) -> bool:
        """"sudah ada yang lapor jalan rusak di desa sooko belum?": whether it is reported already, then the
        complaint (actions/complaint.py answer_if_reported)."""
        turn = ctx.turn
        if ctx.code or not ctx.text or ctx.flow is not None or not turn_is_resident(turn) or \
                not complaint.asks_if_reported(ctx.text):
            return False
        return await complaint.answer_if_reported(turn, ctx.text, ctx.parse)

    async def _public_figures(self, ctx: _Ctx) -> bool:
        """"berapa aduan yang sudah masuk bulan ini?", "dinas mana yang paling lambat?" from a resident: the totals
        and the public page, or where to ask for them (actions/public_info.py)."""
        if ctx.code or not ctx.text or ctx.flow is not None or not turn_is_resident(ctx.turn) or \
                not public_info.asks_figures(ctx.text):
            return False
        await public_info.answer_figures(ctx.turn)
        return True

    async def _complaint_and_question(self, ctx: _Ctx) -> bool:
        """"jalan rusak di desa sooko, kapan diperbaiki? sekalian mau tanya cara bikin ktp": the question is answered
        first, then the complaint begins from the words before it (the whole message got only KTP answers to pick
        from, and the road was lost). Only when each part alone is sure: a complaint the gate routes, an FAQ."""
        turn = ctx.turn
        if ctx.code or not ctx.text or ctx.flow is not None or turn.identity.role in STAFF_ROLES:
            return False
        parts = complaint.complaint_then_question(ctx.text)
        if parts is None:
            return False
        report, asked = parts
        first = ParseResult.from_dict(await self.services.nlu.parse(report))
        if first.gate != GATE_COMPLAINT or first.routing is None:
            return False
        faq = u.faq_key(await self.services.nlu.parse(asked))
        if faq is None:
            return False
        resident.say_faq(turn, faq)
        turn.say("question_then_complaint")
        turn.message = replace(turn.message, text=report)
        turn.nlu = None
        await complaint.start_from_text(turn, report, await self._parse(turn))
        return True

    def _looks_like_complaint(self, turn: Turn, parse: dict[str, Any]) -> bool:
        """A long message the NLU is unsure about is most likely a complaint on an unusual topic."""
        ranking = parse.get("intent_ranking") or []
        top = ranking[0]["name"] if ranking else None
        routing = self.services.directory.routing
        # "jalan rusak di depan pasar, tolong teruskan ke dishub": two complaint topics read with confidence, which the
        # fallback calls ambiguous (thirty-sixth trial: "not understood"); a complaint, whichever of them it is
        read = [r for r in ranking if r.get("name") != FALLBACK_INTENT][:2]
        if (len(read) == 2 and all(r.get("name") in routing for r in read)
                and float(read[1].get("confidence") or 0) >= _BOTH_TOPICS_SURE):
            return True
        return len(turn.message.text.split()) >= 6 and (
            top in routing or top is None or len(turn.message.text.split()) >= 12
        )

    def _greet(self, turn: Turn) -> None:
        turn.reset_flow()
        if turn.identity.role in letters.LETTER_ROLES:  # a village head or camat: their letter desk, not complaints
            turn.say("letter_staff_greet", [turn.button("letter_queue_button", "/antrian_surat"),
                                            turn.button("help_button", "/bantuan")])
            return
        if turn.identity.role in STAFF_ROLES:
            # "selamat pagi", "halo": greeted, with where their work is (twenty-seventh trial: the whole help each
            # time); "menu" or "/start" asks for the commands
            if u.plain(turn.message.text) in _MENU_WORDS:
                turn.replies.append(Reply(officer.staff_help(turn)))
                return
            role = turn.identity.role
            buttons = {ROLE_REGENT: [turn.button("staff_summary_button", "/ringkasan")],
                       ROLE_OPERATOR: [turn.button("staff_triage_button", "/triase"),
                                       turn.button("staff_queue_button", "/antrian")]}.get(
                role, [turn.button("staff_queue_button", "/antrian")])
            answered = turn.t("staff_greet_salam") if _SALAM.search(turn.message.text.lower()) else ""
            if not answered and (hour := _hour_greeted(turn.message.text)):
                answered = f"{turn.t(f'greeting_{hour}')}. "  # "selamat pagi" from staff too (thirty-fourth trial)
            turn.say(f"staff_greet_{role}", [*buttons, turn.button("help_button", "/bantuan")], salam=answered)
            return
        salam = _SALAM.search(turn.message.text.lower())  # "assalamualaikum min": the salam is answered first
        greeted = turn.state.get(_GREETED_KEY)
        turn.state[_GREETED_KEY] = turn.now.isoformat()
        asked_menu = u.plain(turn.message.text) in _MENU_WORDS  # "menu", "/start": the menu is what they want
        if not salam and not asked_menu and isinstance(greeted, str) and \
                turn.now - datetime.fromisoformat(greeted) <= timedelta(minutes=GREET_AGAIN_MINUTES):
            turn.say("greet_again", turn.menu_buttons())  # "P", "p", "min": the welcome once is enough
            return
        hour = _hour_greeted(turn.message.text)
        if hour and not salam:
            turn.say("greet_timed", turn.menu_buttons(), greeting=turn.t(f"greeting_{hour}"),
                     no_bother=turn.t("greet_no_bother") if _SORRY_TO_BOTHER.search(turn.message.text.lower()) else "")
            return
        turn.say("greet_salam" if salam else "greet", turn.menu_buttons())

    def _help(self, turn: Turn) -> None:
        if turn.identity.role in letters.LETTER_ROLES:
            turn.say("letter_staff_help")
            return
        if turn.identity.role in STAFF_ROLES:
            turn.replies.append(Reply(officer.staff_help(turn)))
            return
        if turn.identity.role == on_behalf.ROLE_COMPANION:  # a village official: filing for residents first
            turn.say("companion_help")
        turn.say("help", turn.menu_buttons(), example=resident.example_number(turn))

    async def _cancel_just_sent(self, ctx: _Ctx) -> bool:
        """"batal", "waduh salah kirim, batalkan aja aduannya" with nothing in progress, minutes after a complaint
        was sent: that complaint, offered to be withdrawn (it got "Tidak ada proses yang sedang berjalan")."""
        return ctx.flow is None and await self._withdraw_just_sent(ctx.turn, ctx.text)

    @staticmethod
    async def _withdraw_just_sent(turn: Turn, text: str) -> bool:
        if (turn.state.get("flow") or not turn_is_resident(turn)
                or any(turn.state.get(key) for key in (on_behalf.PENDING, on_behalf.ACTIVE, question.OFFERED_KEY,
                                                       question.DRAFT_KEY, complaint.CANCELLED_KEY))):
            return False
        number = str(turn.state.get("last_ticket") or "")
        ticket = await turn.store.get_ticket(number) if number else None
        if (ticket is None or ticket.reporter != turn.identity.key or ticket.status not in OPEN_STATUSES
                or ticket.created_at < turn.now - timedelta(minutes=_JUST_SENT_MINUTES)):
            return False
        return await resident.request_withdrawal(turn, text, number=number)

    def _cancel(self, turn: Turn) -> None:
        if turn.state.get("flow") == emergency.FLOW:  # the report is filed already: it stays, and says how to undo it
            number = turn.state.get("target") or "-"
            turn.reset_flow()
            turn.say("emergency_cancel_kept", turn.menu_buttons(), number=number)
            return
        had_flow = bool(turn.state.get("flow") or turn.state.get(on_behalf.PENDING) or turn.state.get(on_behalf.ACTIVE))
        if question.drop_offer(turn) and not had_flow:  # "batal" at "Tanyakan ke …?": the question is not sent
            turn.say("question_cancelled", turn.menu_buttons())
            return
        # A second "batal" keeps the complaint the first one set aside ("batal", "batal", "eh jadi deh").
        kept = complaint.snapshot(turn) or turn.state.get(complaint.CANCELLED_KEY)
        turn.reset_flow()
        if kept:
            turn.state[complaint.CANCELLED_KEY] = kept  # "eh, jadi deh": the complaint comes back as it was
        for key in ("reply_ticket", "held", on_behalf.PENDING, on_behalf.ACTIVE):
            turn.state.pop(key, None)
        held = turn.state.pop(officer.CONFIRMED_REPLY_KEY, None)
        if turn.identity.role in STAFF_ROLES and not had_flow:  # "Bukan, jangan dikirim": say what did not happen
            number = held.get("number") if isinstance(held, dict) else None
            turn.say("staff_reply_not_sent" if number else "staff_nothing_sent", number=number)
            return
        if turn.identity.role in STAFF_ROLES:
            # "/batal" to "Tulis balasan untuk WRG-…" (thirty-second trial: the residents' menu came with it)
            turn.say("cancelled_staff")
            return
        if had_flow and kept and _LATER.search(u.plain(turn.message.text)):
            # "ga jadi deh, nanti aja": how to take it up again (a letter request is no complaint: thirty-eighth trial)
            turn.say("cancelled_for_later_letter" if kept.get("flow") == letters.FLOW else "cancelled_for_later",
                     turn.menu_buttons())
            return
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
        elif name in ("aduan", "lapor") and args.strip().lower() in ("saya", "ku"):
            await resident.cmd_my_tickets.handler(turn, "")
        elif name in ("aduan", "lapor"):
            await complaint.start_from_menu(turn)
        elif name in ("bahasa", "lang", "language"):
            lang = _LANGUAGE_WORDS.get(args.strip().lower(), "")
            if lang in ("id", "en"):
                turn.conv.lang = lang
                turn.state[LANG_CHOSEN_KEY] = lang
                turn.say("language_set")
            elif lang == "auto":  # /bahasa auto: follow the language of each message again
                turn.state.pop(LANG_CHOSEN_KEY, None)
                turn.say("language_auto")
            else:
                turn.say("usage", usage="/bahasa id | /bahasa en | /bahasa auto")
        else:
            await self._run_command(turn, name, args)

    def _meant_command(self, turn: Turn, name: str) -> str | None:
        """The one command this person may use that `name` is a typo of ("selesei", "blas"), if any."""
        allowed = [n for n, c in self.commands.items() if turn.identity.role in c.roles]
        scores = sorted(((difflib.SequenceMatcher(None, name, n).ratio(), n) for n in allowed), reverse=True)
        best = [n for score, n in scores if score >= 0.75 and score == scores[0][0]]
        return best[0] if len(best) == 1 else None  # two commands as close: no guess

    async def _run_command(self, turn: Turn, name: str, args: str) -> None:
        if name in ("reply", "answer") and turn.identity.role == ROLE_RESIDENT:
            name = "tanggapi"  # a resident's /reply answers the officer
        name = _COMMAND_ALIASES.get(name, name)  # /reply, /done...: the English words staff type for ours
        if (name in _ASK_REPORTER and turn.identity.role in STAFF_ROLES
                and find_ticket_number(args.split()[0] if args.split() else "")):
            # an officer's "/tanya WRG-… lubangnya sebesar apa pak?": a question for that reporter (thirty-sixth trial:
            # the residents' "write your question" prompt, and nothing sent)
            name = "balas"
        command = self.commands.get(name)
        if command is None:
            turn.say("unknown_command", command=f"/{name}")
            meant = self._meant_command(turn, name)
            if meant:  # "/selesei WRG-… catatan": one tap runs "/selesai WRG-… catatan", nothing retyped
                line = f"/{meant} {args}".strip()
                turn.say("command_did_you_mean", [Button(turn.t("command_run_it", command=f"/{meant}"),
                                                         officer.offer_yes(turn, line))],
                         command=f"/{meant}")
                return
            self._help(turn)
            return
        if turn.identity.role not in command.roles:
            staff_admin.refuse_command(turn, f"/{name}", command.roles, args)
            return
        await command.handler(turn, args)
        number = find_ticket_number(args.split()[0]) if args.split() else None
        if turn.identity.role in STAFF_ROLES and number and name != "info":  # (a look is `officer.viewed_ticket`'s)
            officer.note_at_hand(turn, number)  # "siapa yang pegang tiket ini?" next is about it


class _Ctx:
    """What the checks of one message share: its text, its button code, the flow it arrived in, the parse."""

    def __init__(self, turn: Turn) -> None:
        self.turn = turn
        self.flow: str | None = turn.state.get("flow")
        self.has_media = any(a.kind == "photo" for a in turn.message.attachments)
        self.parse: dict[str, Any] = {}
        self.skip_waiting = False
        # a message held with "pass this to the officer?" that this one did not answer: it goes along if this one
        # goes to the same officer, else the resident is told it was not passed on (at `let_go_at` in the replies)
        self.let_go: dict[str, Any] | None = None
        self.let_go_at = 0
        # an idle complaint draft set aside while this message is handled as if none were open (offered again after)
        self.set_aside: dict[str, Any] | None = None
        self._set(turn.message.text)

    def _set(self, text: str) -> None:
        self.text = text.strip()
        self.low = " ".join(self.text.lower().split())
        # Old Indonesian payloads ("ya", "lewati") are button codes inside a flow; outside, they are words.
        coded = self.low.startswith(("btn:", u.TOPIC_PREFIX, u.PRIVACY_PREFIX, u.FIXED_PREFIX))
        self.code = u.code_of(self.text) if self.flow is not None or coded else None

    def replace_text(self, text: str) -> None:
        """Handle `text` (a message held earlier) instead of the button that released it."""
        self.turn.message = replace(self.turn.message, text=text)
        self.turn.nlu = None
        self._set(text)


_Handler = Callable[[Dialogue, Turn, dict[str, Any]], Awaitable[None]]
_SIMPLE_INTENTS: dict[str, _Handler] = {
    "greet": Dialogue._on_greet,
    "thanks": Dialogue._on_thanks,
    "goodbye": Dialogue._on_chat,
    "bot_challenge": Dialogue._on_chat,
    "out_of_scope": Dialogue._on_chat,
    "help": Dialogue._on_help,
    "cancel": Dialogue._on_cancel,
    "file_complaint": Dialogue._on_file_complaint,
    "ask_info": Dialogue._on_ask_info,
    "check_status": Dialogue._on_check_status,
    "talk_to_regent": Dialogue._on_regent,
    "faq": Dialogue._on_faq,
}


# Complaint steps where a lone digit answers nothing (at the topic list it picks a topic)
_NO_DIGIT_STEPS = frozenset({"confirm_topic", "location", "photo", "privacy", "confirm"})
# What a complaint draft keeps in the conversation state (kept while a finished ticket is answered beside it).
_DRAFT_STATE = ("flow", "step", "c", "draft", "choices", "topic_list", "place_guess", "suggested", "same_open",
                "support_open", "asked_at", "aside", "text_edit", "noted", "cancelled_complaint")


@dataclass(frozen=True)
class _Resumable:
    """A resident's flow that can be left and taken up again: its question again, and where one is, in words."""

    ask_again: Callable[[Turn], Awaitable[None]]
    position: Callable[[Turn], str]


# Typed answers to "reopen the ticket, or file this as a new complaint?".
_REOPEN_WORDS = re.compile(r"\b(?:buka|dibuka|bukak|reopen|yang lama|aduan lama)\b")
_NEW_WORDS = frozenset({"baru", "yang baru", "yg baru", "aduan baru", "new", "the new one"})
# Typed refusals of "pass this message to the officer?": it is about something else.
_NOT_FOR_OFFICER = re.compile(r"^(?:bukan|tidak|tdk|gak|ga|nggak|ngga|enggak|jangan|no|not|nope|mboten|ora)\b")
_NEW_MATTER = re.compile(r"\b(?:hal lain|laporan baru|aduan baru|lapor baru|masalah lain|urusan lain|something else|"
                         r"new complaint|new report|another (?:matter|complaint|problem))\b")


WHICH_NAMED_WORDS = 5


def _typed_forward_answer(turn: Turn, text: str, held: dict[str, Any]) -> str | None:
    """FORWARD, FORWARD_OTHER or NOT_FORWARD for a typed answer to the forward question (or to "which complaint?",
    where a number or the button's words say which and a bare "ya" says nothing); None when it answers neither."""
    low = u.plain(text)
    other = held.get("other")
    named = find_ticket_number(text)
    if other and named in (held.get("ticket"), other) and len(low.split()) <= 8:
        return u.FORWARD if named == held.get("ticket") else u.FORWARD_OTHER
    # (a short naming only: "tolong tutup aduan lampu saya, sudah nyala" says what it wants of that one itself)
    if other and len(low.split()) <= WHICH_NAMED_WORDS and (which := resident.which_ticket(
            low, [str(held.get("ticket")), str(other)],
            held.get("about") or {})):
        return u.FORWARD if which == held.get("ticket") else u.FORWARD_OTHER
    for code, key in ((u.FORWARD, "forward_yes"), (u.NOT_FORWARD, "forward_no")):
        if any(low == u.plain(turn.t(key, lang)) for lang in ("id", "en")):
            return code
    if not other and (low in complaint.YES_WORDS or low in {"teruskan", "iya teruskan", "ya teruskan", "terusin",
                                                             "pass it on", "yes pass it on", "boleh", "silakan",
                                                             "monggo"} or complaint.yes_emoji(text)):
        return u.FORWARD  # ("👍" to "pass this to the officer?" was taken for a new message, twenty-sixth trial)
    # A refusal alone ("bukan", "nggak pak") or one that says so ("bukan, itu laporan baru"); "gak cuma itu, got depan
    # rumah juga mampet" is more to say, not a refusal.
    if (len(low.split()) <= 3 and _NOT_FOR_OFFICER.search(low)) or _NEW_MATTER.search(low):
        return u.NOT_FORWARD
    if _NOT_THAT_ONE.search(low):  # "bukan, itu lubang lain di jalan desa sebelah": another one, said why
        return u.NOT_FORWARD
    return None


# "nanti saja ya pak, saya lagi di jalan", "bentar ya", "later, I'm driving", "nanti saya lanjutkan": the resident puts
# the complaint off for now. The first clause is the putting off alone (fillers and all); what follows is the reason.
# Not "nanti saya tanya pak RT dulu" nor "nanti fotonya nyusul" (the place or the photo later: the steps' own).
_PAUSE = re.compile(
    r"^(?:(?:ok|oke|okay|iya|ya|y|baik)\s+)?(?:nanti|ntar|entar|nti|bentar|sebentar|tunggu|later|wait|hold\s+on|mengko|"
    r"mangke|engko|sik|sek)"
    r"(?:\s+(?:saja|aja|ae|wae|dulu|ya|yah|yaa|yo|pak|bu|mas|mbak|kak|min|lagi|sebentar|bentar|deh|dong|nggih|please|"
    r"pls|a\s+moment|a\s+sec|a\s+minute|ya\s+pak|ya\s+bu))*\s*(?:[,.!]|$)"
    r"|^(?:(?:ok|oke|iya|ya|baik)\s+)?(?:nanti|ntar|besok|later|mengko)?\s*(?:saya|sy|aku|i'?ll|i\s+will)\s+"
    r"(?:lanjut\w*|teruskan|continue|finish)\s*(?:lagi\s+)?(?:nanti|later|besok|tomorrow)?\b"
    r"|^(?:dilanjut\w*|lanjut\w*|continue)\s+(?:nanti|besok|later|tomorrow)\b")
PAUSE_WORDS = 14  # longer, a message says more than that it is put off


def _pauses(text: str) -> bool:
    low = " ".join(text.lower().split())
    if not low or len(low.split()) > PAUSE_WORDS:
        return False
    match = _PAUSE.match(low)
    if match is None:
        return False
    said = match.group(0)
    if "lanjut" not in said and "continue" not in said and "finish" not in said:
        # "wait, can you change the location to …?" asks for something: only a reason may follow "wait" ("tunggu
        # sebentar, saya cek alamatnya"); "nanti"/"later" put it off whatever follows
        rest = low[match.end():].strip(" ,.!")
        return not rest or bool(_LATER_LEAD.match(said)) or bool(_PAUSE_REASON.match(rest))
    # "nanti saya lanjutkan (lagi) ya": a later time named, and nothing more ("saya lanjutkan ceritanya" is the report)
    extra = set(re.findall(r"\w+", low[match.end():])) - _PAUSE_FILLERS
    return bool(re.search(r"\b(?:nanti|later|besok|tomorrow|mengko)\b", low)) and not extra


_LATER_LEAD = re.compile(r"^(?:(?:ok|oke|okay|iya|ya|y|baik)\s+)?(?:nanti|ntar|entar|nti|later|mengko|mangke|engko)\b")
_PAUSE_REASON = re.compile(r"^(?:saya|sy|aku|gue|gw|kula|kulo|i'?m|i\s+am|im|lagi|sedang|masih|busy|driving|"
                           r"at\s+work)\b")
_PAUSE_FILLERS = frozenset("ya yah yaa saja aja lagi pak bu mas mbak kak min deh dong nggih it ok".split())


_JUST_SENT_MINUTES = 30  # "batal" this soon after a complaint was sent is about that complaint

# "oh ya …", "satu lagi …", "sekalian …", "btw …", "also …": another matter begins
_ANOTHER_MATTER_LEAD = re.compile(r"^(?:oh\s+(?:ya|iya)|oiya|oya|satu\s+lagi|sekalian|selain\s+itu|btw|by\s+the\s+way|"
                                  r"also|and\s+also|terus\s+(?:ada\s+)?(?:lagi|juga)|ada\s+lagi|nambah)\b")


# "ga jadi deh, nanti aja", "besok aja", "later": the complaint set aside is wanted another time
_LATER = re.compile(r"\b(?:nanti|ntar|entar|besok|besuk|mengko|mangke|later|tomorrow)\b")

# A refusal first, then that it is another thing or place ("bukan, itu lubang lain di desa sebelah", "no, a different
# road"); not "bukan cuma itu, ..." (more to say).
_NOT_THAT_ONE = re.compile(
    r"^(?:bukan|bkn|tidak|tdk|nggak|ngga|gak|ga|no|nope|dudu|sanes|mboten|beda)\b"
    r"(?!\s+(?:cuma|cuman|hanya|only|just|itu\s+saja|itu\s+aja))(?:\s+\S+){0,6}?\s+"
    r"(?:lain|lainnya|beda|berbeda|another|different|other|liyane|sanesipun)\b")


# Words of a greeting and nothing else ("halo min", "selamat pagi pak", "punten"): the bot did nothing for it yet.
_GREETING_WORDS = frozenset(
    "halo hallo haloo helo hello hai hay haii hi hei hey hy pagi siang sore malam selamat permisi punten sugeng "
    "enjing siyang sonten dalu min admin kak pak bu mas mbak om good morning afternoon evening p ping tes test "
    "assalamualaikum wr wb warahmatullahi wabarakatuh salam".split())
STILL_HERE_MINUTES = 30  # a greeting this soon after the last answer is not a return: the same step goes on
SESSION_HOURS = 6  # a greeting this long ago opened another conversation


#: Conversation state: when the resident was last welcomed; another greeting this soon gets a short answer.
_GREETED_KEY = "greeted_at"
GREET_AGAIN_MINUTES = 10


def _greeting_only(entry: dict[str, Any]) -> bool:
    words = u.plain(str(entry.get("text") or "")).split()
    said = " ".join(words)
    return (bool(words) and not entry.get("attachments") and not entry.get("location")
            and (all(w in _GREETING_WORDS for w in words) or (bool(_SALAM.search(said)) and len(words) <= 5)))


async def _nothing_done_yet(turn: Turn) -> bool:
    """A resident's "halo" (or several greetings) within the last hours was all this conversation held before this
    message, and nothing came from their complaints since: a 🙏 or "makasih" now thanks for nothing yet."""
    if turn.identity.role != ROLE_RESIDENT:
        return False
    since = turn.now - timedelta(hours=SESSION_HOURS)
    earlier = [h for h in (turn.state.get("history") or [])[:-1] if datetime.fromisoformat(str(h["at"])) >= since]
    if not earlier or not all(_greeting_only(h) for h in earlier):
        return False
    opened = min(datetime.fromisoformat(str(h["at"])) for h in earlier)
    return not any(t.updated_at >= opened for t in await turn.store.recent_tickets(turn.identity.key, 3))


THANKS_MIN_WORDS = 3  # "makasih" alone is for the bot; "makasih banyak pak Agus" is for the officer too
_BARE_THANKS = frozenset("ok oke okay okey terima kasih makasih trims tq thanks thank you ya pak bu banyak siap baik "
                         "noted sip mas mbak min bot nggih matur nuwun suwun sanget infonya info nya atas "
                         # "terima kasih, sudah cukup" (thirty-seventh trial: told it reached nobody)
                         "sudah udah cukup itu saja aja dulu sekian that's all for now "
                         # the regent's "terima kasih, lanjutkan" after a summary (thirty-ninth trial: "not sent")
                         "lanjutkan lanjut teruskan kerja bagus good work keep it up".split())


# "yang paling lama belum ditangani yang mana?", "aduan terlama apa?", "which complaint has waited longest?": the
# queue, its oldest deadlines first
_OLDEST = re.compile(r"\b(?:paling\s+lama|terlama|paling\s+tua|paling\s+lambat|oldest|longest)\b")


# "aduan mana yang belum ada tindak lanjut?", "which complaints have no answer yet?": the open ones, listed
_WHICH_UNANSWERED = re.compile(
    r"\b(?:mana|apa\s+saja|apa\s+aja|which|list|daftar)\b.*\b(?:belum|tidak|tdk|gak|ga|blm)\s+(?:ada\s+|pernah\s+)?"
    r"(?:tindak\s*lanjut\w*|tanggapan\w*|balasan\w*|jawaban\w*|respon\w*|ditanggapi|ditindaklanjuti|dibalas|dijawab|"
    r"direspon\w*)\b|\bwhich\b.*\b(?:no\s+(?:answer|reply|response|follow-?up)|unanswered)\b")


# The menu's buttons, by number: "1" after them is "Buat aduan", "3" "Cek status aduan"
_MENU_COMMANDS = ("aduan", "tanya", "status", "bupati")
_MENU_AT_KEY = "menu_at"  # state: the menu was the last thing shown, and when
MENU_NUMBER_MINUTES = 60


def _note_menu(turn: Turn) -> None:
    menu = tuple(f"/{name}" for name in _MENU_COMMANDS)
    if turn.replies and tuple(b.payload for b in turn.replies[-1].buttons) == menu:
        turn.state[_MENU_AT_KEY] = turn.now.isoformat()
    else:
        turn.state.pop(_MENU_AT_KEY, None)


def _menu_number(turn: Turn, text: str) -> str | None:
    """The menu command a bare "1"…"4" picks, when the menu was the last thing shown, else None."""
    low = u.plain(text)
    if not (low.isdigit() and 1 <= int(low) <= len(_MENU_COMMANDS)) or "flow" in turn.state:
        return None
    if not stamped_within(turn.state.get(_MENU_AT_KEY), turn.now, MENU_NUMBER_MINUTES):
        return None
    return _MENU_COMMANDS[int(low) - 1]


# "saya mau daftar jadi penerima bansos", "mau bikin kk baru", "pengen ngurus surat pindah": a service wished for
_WISH_FOR_SERVICE = re.compile(r"^(?:(?:saya|sy|aku|kami|pak|bu|min|kak|mas|mbak)\s+)*(?:mau|ingin|pengen|pingin|"
                               r"hendak|kepengin|arep|badhe)\s+(?P<verb>daftar|mendaftar|ikut|mengajukan|ngajuin|bikin|"
                               r"membuat|urus|ngurus|mengurus)\s+(?P<rest>.+)$")
# ... and not a problem with it ("mau urus akta tapi ditolak terus", "mau daftar bansos kok dipersulit")
_NOT_A_PLAIN_WISH = re.compile(r"\b(?:tapi|tetapi|tp|namun|kok|belum|blm|tidak|tdk|gak|ga|nggak|ditolak|dipersulit|"
                               r"lama|mahal|bayar|pungli|diminta|susah|sulit|laporan|aduan|lapor|keluhan)\b")
WISH_FOR_SERVICE_WORDS = 12
WISH_FAQ_CONFIDENCE = 0.8
SHOUTED_MIN_LETTERS = 12


def _shouted(text: str) -> bool:
    """Written in capitals, or with "!!": a resident at the end of their patience."""
    letters = [c for c in text if c.isalpha()]
    return "!!" in text or (len(letters) >= SHOUTED_MIN_LETTERS and sum(c.isupper() for c in letters) >= 0.8 * len(
        letters))


def asks_oldest(text: str) -> bool:
    return len(text.split()) <= 12 and bool(_OLDEST.search(text.lower())) and not find_ticket_number(text)


# "selamat pagi, saya mau lapor", "sugeng enjing, kula badhe lapor", "hi, I'd like to report something": a greeting
# that also says what the resident came for
_GREET_THEN_REPORT = re.compile(
    r"\b(?:mau|ingin|pengen|pingin|hendak|arep|badhe|bade|ajeng|kepengin|want\s+to|would\s+like\s+to|d\s+like\s+to)"
    r"\s+(?:lapor|melapor|ngadu|mengadu|nglaporaken|ngadukaken|report|complain|file\s+a\s+complaint|"
    # "mohon izin bapak/ibu, saya mau menyampaikan keluhan" (twenty-fifth trial: the greeting alone was answered)
    r"(?:menyampaikan|sampaikan|nyampaikan|mengajukan|ajukan|matur|ngaturaken)\s+(?:keluhan|aduan|pengaduan|laporan|"
    r"komplain|keluh\s+kesah|unek))\b")
# "aku pengen ngadu tapi bingung mulai dari mana", "mau lapor tapi bingung caranya", "I want to complain but don't know
# where to start": a complaint wished, and the way not known
_UNSURE_HOW_TO_REPORT = re.compile(
    r"\b(?:ngadu|mengadu|lapor|melapor|komplain|complain|report|aduan|ngeluh|mengeluh|sambat)\w*\b.*\b(?:bingung|"
    r"binggung|gak\s+tau|ga\s+tau|nggak\s+tau|tidak\s+tahu|gak\s+ngerti|ora\s+ngerti|don'?t\s+know|not\s+sure|confused)\b")
# "… jadi gak usah", "ga jadi lapor", "gak perlu dikirim", "batal aja", "no need": the report is not wanted any more
_NOT_NEEDED = re.compile(r"\b(?:gak|ga|gk|nggak|ngga|enggak|tidak|tdk|ndak|ora|mboten|no)\s+(?:usah|perlu|jadi|need)\b"
                         r"|\b(?:batal|batalkan|batalin|cancel)\b|\bnever\s*mind\b|\bnot\s+needed\b")
_GREET_THEN_REPORT_WORDS = 12  # longer, the message tells the matter itself
OUTSIDE_CONTACT_CONFIDENCE = 0.9  # a number asked of a service outside the regency, named surely enough
MATTER_AFTER_WISH_WORDS = 3  # "saya mau lapor pak lurah jarang ngantor": words enough after the wish to be a matter
# ... and words after the wish that tell it ("… report flooding in my street", "… lapor jalan rusak"): at least two
# beyond a courtesy ("pak", "ya", "please", "nih")
_COURTESY_AFTER = frozenset(
    "pak bu min kak mas mbak ya nggih please sir madam nih dong sih about soal tentang a an the some something sesuatu "
    "hal sedikit ingin mau saya kami i me to di sini here kepada ke bapak ibu pripun bisa boleh can may".split())


# "tiang listrik roboh", "kabelnya putus dan masih nyala", "power line down": danger before who handles it
_LIVE_WIRE = re.compile(
    r"\b(?:tiang|kabel)\s+(?:listrik\s+|pln\s+)?(?:\S+\s+)?(?:roboh|rubuh|putus|jatuh|tumbang|menjuntai|terbakar|"
    r"terjuntai)\b|\bkorsleting\b|\bkonslet\b|\bpercikan\s+api\b|\bkesetrum\b|\btersetrum\b"
    r"|\bkabel\w*\s+(?:masih\s+)?(?:nyala|menyala|beraliran|bertegangan)\b|\b(?:power|electric)\s+(?:line|cable|pole)s?"
    r"\s+(?:is\s+|are\s+)?(?:down|fell|fallen|broken)\b|\blive\s+wire\b")


# "tadi sampai mana ya?", "maaf sinyal hilang, sampai mana?", "where were we?": where one is in a flow
_WHERE_WERE_WE = re.compile(r"\b(?:sampai|sampe|nyampe|sampek)\s+(?:mana|dimana)\b|\bwhere\s+were\s+we\b"
                            r"|\blanjut\s+dari\s+mana\b|\btekan\s+apa\s+(?:lagi|sekarang)\b")


# The operator asking after complaints no office was chosen for: "aduan mana yang belum ada dinasnya?", "ada yang
# belum diarahkan?", "antrian triase gimana?", "which complaints have no office yet?"
_ASKS_TRIAGE = re.compile(
    r"\b(?:belum|tanpa|gak|ga|nggak|tidak)\s+(?:ada\s+)?(?:dinas|dinasnya|opd|opdnya)\b|\btriase\b|\btriage\b"
    r"|\bbelum\s+(?:di)?(?:arahkan|arahin|rute|routing|pilihkan|dipilihkan|teruskan|diteruskan)\b"
    # "ada aduan baru yang belum masuk dinas?" (forty-second trial: the day's summary)
    r"|\bbelum\s+(?:masuk|sampai|sampe|nyampe|dikirim|terkirim)\s+(?:ke\s+)?(?:dinas|opd)\w*"
    r"|\bno\s+(?:office|agency)\s+yet\b"
    # "ada aduan baru yang perlu dipilihkan dinas?" (thirty-seventh trial: the day's summary)
    r"|\b(?:perlu|harus|mesti|menunggu)\s+(?:di)?(?:pilihkan|pilih|tentukan|ditentukan|arahkan|rute)\s+(?:dinas|opd)\w*")


def _after_thanks(text: str) -> str | None:
    """What follows a first sentence of thanks when it asks something or reports ("makasih pak. kalau mau lapor
    pungli gimana?"); None when the message is thanks, praise or news ("makasih, petugasnya cepat datang")."""
    parts = re.split(r"(?<=[.!,;])\s+|\n+", text.strip(), maxsplit=1)
    if len(parts) < 2 or not resident.only_thanks(parts[0]):
        return None
    rest = parts[1].strip()
    if len(rest.split()) < 4 or resident.only_thanks(rest):
        return None
    return rest if u.is_question(rest) or _REPORT_WORD.search(u.plain(rest)) else None


_REPORT_WORD = re.compile(r"\b(?:lapor\w*|melapor\w*|aduan|mengadu\w*|report\w*|complain\w*)\b")


#: Longer, staff's words that name a matter tell something (an answer, an instruction) rather than ask after it.
_MATTER_QUESTION_WORDS = 15


def _asks_figures(text: str) -> bool:
    return len(text.split()) <= 12 and bool(_FIGURE_QUESTION.search(text.lower()))


def turn_is_resident(turn: Turn) -> bool:
    return turn.identity.role not in STAFF_ROLES


async def _regent_about_own(turn: Turn, text: str) -> bool:
    """"tolong aduan jalan saya dinaikkan ke bupati": the message to the regent offered with that complaint named
    (twenty-eighth trial: asked to write one, and the resident's next requests were taken for it). False when the
    words name no complaint of theirs, or none is open."""
    if turn.identity.role != ROLE_RESIDENT:
        return False
    mine = [t for t in await turn.store.recent_tickets(turn.identity.key, resident.MY_TICKETS)
            if t.kind == "aduan" and t.status in OPEN_STATUSES]
    # "tolong sampaikan ke pak bupati juga" right after filing names none, and means the one just sent (thirty-second
    # trial: asked to write a message, which then took the resident's next questions and "saya mau lapor lagi" sent it)
    fresh = len(text.split()) <= _JUST_FILED_WORDS and await resident.just_filed(turn) is not None
    # "saya kecewa, mau lapor ke bupati saja" with one complaint past its deadline (thirty-seventh trial: asked to
    # write a message, which went without its number)
    late = [t for t in mine if t.due_at is not None and t.due_at < turn.now]
    if len(late) == 1 and len(text.split()) <= _JUST_FILED_WORDS and not resident.names_own_report(text):
        mine = late
    elif not mine or not (resident.names_own_report(text) or fresh):
        return False
    await resident.offer_delay_to_regent(turn, text, mine)
    return True


def _lower_first(words: str) -> str:
    return words[:1].lower() + words[1:]


_GREET_OPEN_AFTER = timedelta(days=1)  # a complaint older than this is named when its reporter says "halo"
_JUST_FILED_WORDS = 10  # "tolong sampaikan ke pak bupati juga" this short, right after filing, is about that one


async def _ask_regent_again(turn: Turn) -> None:
    held = (turn.state.get("held") or {}).get("text")
    if turn.state.get("step") == "confirm" and held:
        await resident.confirm_to_regent(turn, held)
    else:
        await resident.ask_regent(turn)


_RESUMABLE: dict[str, _Resumable] = {
    complaint.FLOW: _Resumable(complaint.ask_again, complaint.position),
    "regent": _Resumable(_ask_regent_again, resident.regent_position),
    emergency.FLOW: _Resumable(emergency.ask_again, emergency.position),
}
# The flows that take the next message as their answer (after the checks above).
_FLOWS: dict[str, Callable[[Turn], Awaitable[None]]] = {
    complaint.FLOW: complaint.handle_step,
    emergency.FLOW: emergency.handle_step,
    "officer": officer.continue_officer_flow,
    "regent": resident.regent_step,
    "rating_comment": resident.rating_comment,
}
# What residents write after /bahasa, to the language it means ("auto": follow each message's language again).
_LANGUAGE_WORDS = {
    **dict.fromkeys(("id", "ind", "indo", "indonesia", "bahasa indonesia", "indonesian"), "id"),
    **dict.fromkeys(("en", "eng", "english", "inggris", "bahasa inggris"), "en"),
    **dict.fromkeys(("jawa", "jawi", "jowo", "javanese", "sunda", "sundanese", "madura"), "regional"),
    **dict.fromkeys(("auto", "otomatis", "otomatis saja"), "auto"),
}
# "english please", "bahasa indonesia saja", "can you speak english?", "bisa pakai bahasa jawa?" (the language named is
# group 1; Javanese, Sundanese and Madurese are understood, answered in Indonesian)
_ASKS_LANGUAGE = re.compile(
    r"^(?:(?:apakah|apa|tolong|mohon|bisa|bisakah|boleh|pakai|pake|pakek|gunakan|ganti|ke|balas|jawab|dalam|ngomong|bicara|"
    r"can|could|you|please|pls|in|reply|answer|speak|talk|use|switch|change|to|nganggo|ngangge|mawi|saya|sy|aku|"
    r"minta|mau|pengen|ingin|i|want|prefer|would|like|ok|oke|make|saged|tiasa|iso|isa|kenging|punten|"
    # "maaf pak saya pakai bahasa indonesia saja ya" (at the place question it was "not a place yet", in English)
    r"maaf|sorry|eh|oh|pak|bu|mas|mbak|kak|min|sir|"
    # "sorry can we continue in english?", "lanjut pakai bahasa indonesia ya" (thirty-first trial: mid-complaint, "I
    # cannot answer that here yet")
    r"we|continue|carry\s+on|go\s+on|lanjut|lanjutkan|lanjutin|terus|diteruskan|"
    # "bisa lapor pakai bahasa jawa?", "boleh nulis pake bahasa sunda?", "can I write in javanese?"
    r"lapor|melapor|ngadu|mengadu|nulis|menulis|tulis|ngetik|chat|write|report|complain|laporan|aduan|"
    # "mohon maaf, apakah layanan ini bisa pakai bahasa jawa?" (thirty-seventh trial: the help)
    r"layanan|layanannya|ini|bot|botnya|aplikasi|sistem|service|this|it|"
    # "can I get updates in English?" (forty-second trial: asked of the offices as a question)
    r"get|the|updates?|news|messages?|answers?|replies|kabar|kabarnya|balasan|balasannya|info|informasi)\s+)*"
    r"(?:(?:bahasa|basa|boso|bhs|language)\s+)?(indonesian|indonesia|indo|inggris|english|jawa|jawi|jowo|javanese|sunda|"
    r"sundanese|madura)"
    r"(?:\s+(?:please|pls|aja|saja|ae|wae|mawon|ya|dong|language|only|bisa|kah|nggih|mas|pak|bu|kak|min|mbak|"
    r"juga|nggak|gak|tidak|ga|tiasa|saged|iso|isa|kenging|atuh|mah|teu|nopo|napa|punapa|ta|to|"
    # "can I write in english here?" (thirty-eighth trial: offered to the offices as a question)
    r"here|di\s+sini|disini|sini|too|also|as\s+well))*$")

_PLACE_ASKED_KEY = "place_fix_asked"  # the complaint whose right place was just asked for (one message)
_FIRST_SENTENCE = re.compile(r"(?<=[?!.])\s+")
_LANGUAGE_NOUN = re.compile(r"\b(?:bahasa|basa|boso|bhs|language)\b")
_REGIONAL_NAMES = {"jawa": "jv", "jawi": "jv", "jowo": "jv", "javanese": "jv", "sunda": "su", "sundanese": "su",
                   "madura": "mad"}
UNINSURED_FAQ = "faq/bpjs_pbi"  # health cover whose contributions the government pays

# Commands the dialogue answers itself (`Dialogue._command`), not from the action modules' registry.
# A question asked without "?" nor a question word first ("jam buka dukcapil sampai jam brp ya", "kantor Dukcapil
# bikak jam pinten nggih"): a question word anywhere, for an FAQ the NLU is sure of in the middle of a flow
# ("mau tanya syarat bikin ktp" beside a draft asks too: it was taken as a yes to the topic, then as a new topic)
_QUESTION_WORD = re.compile(r"\b(?:tanya|nanya|bertanya|menanyakan|nanyain|takon|"
                            r"brp|berapa|kapan|gimana|gmn|gmana|bagaimana|apakah|dimana|pinten|pripun|piye|"
                            r"endi|sopo|syaratnya|syarate|caranya|how|what|when|where)\b")
# Beside a draft, an FAQ answer goes before the step's own answers to asides when the NLU is this sure of both the
# question being an FAQ and of the answer
FAQ_SURE_INTENT = 0.6
FAQ_SURE_ANSWER = 0.8
# "P", "pak", "permisi min", "punten": a call for attention before the message, as on WhatsApp
_CALLING = frozenset({"p", "pp", "ping", "pak", "bu", "bapak", "ibu", "min", "admin", "kak", "mas", "mbak", "bang",
                      "gan", "permisi", "misi", "punten", "nuwun sewu", "permisi pak", "permisi bu", "permisi min",
                      "pak admin", "bu admin", "min admin", "excuse me", "sir", "madam", "hello sir"})
# "tolong dong", "minta tolong pak", "help me please": a call for help, telling nothing yet
_HELP_CALL = re.compile(r"^(?:tolong|tulung|tolongin|minta\s+tolong|mohon\s+bantuan|mohon\s+tolong|bantuin|"
                        r"nyuwun\s+tulung|help\s+me|please\s+help)(?:\s+(?:dong|donk|dung|pak|bu|min|kak|ya|"
                        r"saya|aku|kami|me|us|ini|nih|banget|please|segera|cepat))*$")
# "sama2 pak", "sama-sama", "sami-sami", "you're welcome": thanks returned
_YOURE_WELCOME = re.compile(r"^(?:sama\s*2|sama[\s-]+sama|samasama|sama2an|sami[\s-]+sami|sami2|you'?\s*re\s+welcome|"
                            r"you\s+are\s+welcome|no\s+problem|np)(?:\s+(?:ya|yaa|pak|bu|min|kak|mas|mbak|juga|sir|madam|🙏))*$")
# "saya mau jadi relawan", "bisa daftar jadi relawan?", "I'd like to volunteer"
_VOLUNTEER = re.compile(r"\b(?:jadi|menjadi|sebagai|daftar|mendaftar|gabung|bergabung)\s+(?:jadi\s+)?(?:relawan|"
                        r"sukarelawan|volunteer)\b|\b(?:like|want|wish)\s+to\s+volunteer\b|\bvolunteer\s+(?:to|as|for)\b")
# "mantap pak", "keren min", "good job": short praise.
_PRAISE = re.compile(r"^(?:wah\s+|wih\s+)?(?:mantap\w*|mantab\w*|mantul|keren|joss*|good\s+job|great|nice|"
                     r"well\s+done|apik|sae|hebat|luar\s+biasa)(?:\s+\S+){0,2}$")
_HOLD_ON = re.compile(
    r"^(?:(?:eh|oh|ok|oke|iya|ya|wah)\s+)?(?:bentar|sebentar|bntr|tunggu|tunggu\s+sebentar|tunggu\s+bentar|wait|hold\s+on|"
    r"sek|sik|sekedap|sakedap|nanti\s+dulu|one\s+moment|just\s+a\s+(?:sec|second|minute|moment))"
    r"(?:\s+(?:ya|yah|yaa|pak|bu|kak|min|mas|mbak|dulu|dl|saya|sy|aku|kula|tak|cek|cekkan|lihat|liat|tanya|tanyakan|"
    r"cari|carikan|foto|fotokan|ambil|check|lagi|please|pls|sebentar|lho|nggih|i|will|need|to|let|me))*$")
_HOW_ARE_YOU = re.compile(r"^(?:halo\s+|hai\s+|selamat\s+\w+\s+)?(?:apa\s+kabar|gimana\s+kabar(?:nya)?|"
                          r"bagaimana\s+kabar(?:nya)?|piye\s+kabare|how\s+are\s+you)(?:\s+(?:pak|bu|min|mas|mbak|kak|semua|bos|"
                          r"today|sir))*$")
_BOTH_TOPICS_SURE = 0.5  # the second of two complaint topics the fallback found too close: a complaint all the same
_PRAISE_ALONE = 3  # "mantap, cepat sekali": praise whatever the model read in it (a complaint, unsure)
_BARE_GREETING = 3  # staff words no longer than this read as a greeting are one, not an answer to a reporter
# English words staff type for our commands.
_COMMAND_ALIASES = {"reply": "balas", "answer": "balas", "done": "selesai", "resolve": "selesai", "close": "selesai",
                    "progress": "proses", "transfer": "alihkan", "queue": "antrian", "summary": "ringkasan",
                    "dispose": "disposisi", "route": "rute", "archive": "arsipkan", "merge": "gabung",
                    "duplicate": "gabung", "gabungkan": "gabung", "not_same": "bukan_sama",
                    "notsame": "bukan_sama", "bukansama": "bukan_sama"}
_ASK_REPORTER = frozenset({"tanya", "tanyakan", "ask", "tanyai"})  # with a ticket number, from staff: /balas
_OWN_COMMANDS = frozenset({"start", "menu", "mulai", "bantuan", "help", "batal", "cancel", "aduan", "lapor", "bahasa",
                           "lang", "language"})
# Commands that look aside without leaving a flow: the unsent draft is kept and the resident reminded of it.
_ASIDE_COMMANDS = frozenset({"status", "aduansaya", "bantuan", "help", "bahasa", "lang", "language", "wakilan"})
# An officer's question that asks for a number ("RT berapa pak?", "nomor rumahnya?", "how many holes?")
_ASKS_A_NUMBER = re.compile(r"\b(?:berapa|brp|nomor|nomer|no|rt|rw|jumlah|how\s+many|which\s+number|number)\b")
# State: a complaint draft parked while the resident writes to the regent ("/bupati" tapped in the middle of it)
_PARKED_DRAFT_KEY = "parked_draft"
LETTER_ASIDE_WORDS = 4  # at a letter's village question, this many words the NLU is sure are a complaint are one
# What a flow keeps in the conversation state (as Turn.reset_flow clears it).
_FLOW_KEYS = ("flow", "step", "c", "draft", "target", "choices", "topic_list", "held")
# Flows whose answers are typed for people (an officer's reply, a rating comment): not for the NLU.
_NO_NLU_FLOWS = frozenset({"officer", "rating_comment"})
# Typed instead of the "Lanjutkan" / "Mulai dari awal" buttons of a resume prompt.
# "maaf pak baru sempat balas", "menjawab pertanyaan bapak", "sorry for the late reply": words for the officer
_REPLY_CUE = re.compile(r"\b(?:balas|bales|membalas|jawab|menjawab|jawaban|pertanyaan|reply|replied|answer|"
                        r"answering|question)\b")
_COMMON_WORDS = frozenset(
    "yang untuk dengan sudah belum tidak bisa kami saya anda bapak ibu mohon tolong terima kasih baik sekitar "
    "kira kira ada akan atau dari pada juga sangat lebih masih sini situ sana nanti kapan apakah berapa "
    "this that with have from your what when where will would could please thank thanks about".split())


ABOUT_OWN_MAX_WORDS = 16  # longer, a message about one's report tells more (it goes on to the officer or a flow)
ABOUT_OWN_LONG_WORDS = 30  # ... unless it names the report as one's own ("aduan jalan saya sudah 12 hari …")
# "udah 6 hari ga ada kabar", "belum ada tindak lanjut", "kok lama banget", "no news yet": waiting on one's report.
_NO_NEWS_YET = re.compile(
    r"\b(?:belum|blm|ga|gak|gk|nggak|ngga|enggak|tidak|tdk|ndak|ora|dereng|durung)\s+(?:ada\s+|enten\s+|ono\s+)?"
    r"(?:kabar|kabarnya|tindak\s*lanjut|tindaklanjutnya|respon|responnya|tanggapan|balasan|jawaban|progres)\b"
    r"|^(?:\S+\s+)?(?:kok|koq|kenapa|knp)\s+lama\b|\bno (?:news|update|reply|response|answer)\b"
    # "pak sudah 3 minggu kok belum ada yang datang?", "kok gak ada yg ngecek sih"
    r"|\b(?:belum|blm|ga|gak|gk|nggak|tidak|tdk|dereng|durung)\s+(?:ada\s+)?(?:yang|yg|sing)\s+(?:datang|dateng|"
    r"ngecek|mengecek|cek|survei|survey|nengok|turun|benerin|memperbaiki|nangani|menangani|balas|bales|membalas|jawab|"
    r"menjawab|respon|merespon|nanggapi|menanggapi)\b"
    # "this is taking too long", "still waiting", "nobody has answered", "hi, any news?"
    r"|\btaking\s+(?:too|so|very)\s+long\b|\bstill\s+waiting\b|\b(?:nobody|no\s+one)\s+(?:has\s+)?(?:answered|replied|"
    r"responded|come|came|called)\b|^(?:(?:hi|hello|hey|halo|sir|madam|pak|bu)\s+)+(?:any\s+)(?:news|update|updates|"
    r"progress)(?:\s+(?:yet|so\s+far|please))?$"
    # "laporan saya yang bulan lalu kok hilang?" (thirty-eighth trial: a complaint begun on unsure topics)
    r"|\b(?:laporan|aduan|pengaduan)(?:nya)?\s+(?:saya|sy|ku|aku)\b.{0,30}\b(?:hilang|lenyap|tidak\s+ada|gak\s+ada|"
    r"ga\s+ada|nggak\s+ada|tidak\s+muncul|gak\s+muncul|kemana|ke\s+mana)\b")
# "aduan jalan saya … belum ditangani": not handled yet, said of one's own report (of a new matter it is its report)
FAQ_SURE = 0.9  # an answer this sure is given even when the words read as no intent ("mhn info syrat nikah di kua")
JUST_FILED_HOURS = 2  # a wait complained of sooner is told how new the complaint is
_NOT_HANDLED_YET = re.compile(r"\bbelum\s+(?:juga\s+)?(?:di)?(?:tangani|tindaklanjuti|proses|perbaiki|kerjakan|ganti|"
                              r"angkut|bersihkan|tambal|benerin|betulin)\b"
                              # "lampu yang saya laporkan kemarin belum juga nyala" (fortieth trial: a new complaint)
                              r"|\bbelum\s+juga\s+(?:nyala|menyala|hidup|mengalir|ngalir|beres|selesai)\b")
# "saya sudah lapor kemarin lewat wa", "udah pernah ngadu", "I already reported it": a report made before.
_ALREADY_REPORTED = re.compile(
    r"\b(?:sudah|udah|sdh|udh|dah|wis|uwis|sampun)\s+(?:pernah\s+|saya\s+|sy\s+)?(?:lapor|melapor|ngelapor|laporan|"
    r"laporkan|dilaporkan|ngadu|mengadu|adukan|diadukan)\b|\balready (?:reported|filed|complained|sent)\b")


# Where a report was made in person: "ke kantor desa", "ke pak RT", "ke kecamatan", "langsung ke dinas"
_IN_PERSON = re.compile(r"\bke\s+(?:kantor\s+(?:desa|kelurahan|kecamatan|dinas|balai\s+desa)|balai\s+desa|kades|"
                        r"pak\s+(?:kades|rt|rw|lurah|camat|kadus)|bu\s+(?:kades|rt|rw|lurah|camat)|rt|rw|lurah|camat|"
                        r"kelurahan|kecamatan|perangkat\s+desa|dinas\s+\w+|dinasnya)\b")
IN_PERSON_MIN_WORDS = 8  # the matter is told too ("saya sudah lapor ke pak RT" alone is a question of where)

DRAFT_IDLE_HOURS = 24  # a complaint draft untouched this long no longer takes typed messages as its answers
# "saya mau lapor tapi nanti saja", "mau ngadu besok aja": the wish to report, later, and nothing told yet
_REPORT_LATER = re.compile(r"\b(?:mau|ingin|pengen|pingin|mo|akan|arep|badhe)\s+(?:lapor|melapor|ngadu|mengadu|"
                           r"bikin\s+aduan|buat\s+aduan|bikin\s+laporan)\b.{0,30}?\b(?:nanti|ntar|entar|besok|lain\s+kali|"
                           r"kapan\s*-?\s*kapan|mengko|sesuk)\b")
_REPORT_LATER_WORDS = 16
# "hp saya mau mati", "batre lowbat": the resident's phone, no problem to report (thirty-eighth trial: unsure topics)
_PHONE_DYING = re.compile(r"\b(?:hp|handphone|hape|ponsel|batre|baterai|batere|baterei|phone|battery)"
                          r"(?:\s+(?:saya|sy|aku|"
                          r"ku|my))?\s+(?:mau\s+|sudah\s+|udah\s+|hampir\s+|is\s+)?(?:mati|habis|lowbat|low|dying|dead)\b"
                          r"|\blow\s*bat\w*\b")
_IDLE_PLACE_KEY = "idle_place"
_PLACE_FOR_DRAFT, _PLACE_NOT_FOR_DRAFT = "btn:place_for_draft", "btn:place_not_for_draft"
IDLE_PLACE_WORDS = 12  # a bare place sent to an idle draft's place question: no more words than this
PROMISED_PLACE_WORDS = 25  # longer, a message sent days after "nanti saya kabari lokasinya" tells more than a place


# Kept in the draft's own dict while the resident talks with an officer beside it ("iya bener" then "yg selatan
# pak" to "di sisi utara atau selatan?"): which ticket, and when the draft was last worked on. Any step of the draft
# saves the draft anew (ComplaintDraft.save keeps only its fields), which drops it: the draft is taken up again.
_WITH_OFFICER = "with_officer"


def _with_officer(turn: Turn) -> str | None:
    """The ticket whose officer the resident answered last while the draft lay untouched, if any."""
    draft = turn.state.get("draft")
    mark = draft.get(_WITH_OFFICER) if isinstance(draft, dict) else None
    return str(mark["ticket"]) if isinstance(mark, dict) and mark.get("ticket") else None


def _draft_left_at(turn: Turn) -> datetime | None:
    """When the draft was last worked on: the resident's previous message, or before their talk with an officer."""
    draft = turn.state.get("draft")
    mark = draft.get(_WITH_OFFICER) if isinstance(draft, dict) else None
    if isinstance(mark, dict) and mark.get("left_at"):
        return datetime.fromisoformat(str(mark["left_at"]))
    history = turn.state.get("history") or []
    return datetime.fromisoformat(str(history[-2]["at"])) if len(history) >= 2 else None


def _promised_place(turn: Turn, ctx: _Ctx) -> bool:
    """The place a resident said they would find out ("nanti saya tanya pak RT dulu"), sent when the draft had gone
    idle: a pin, or a short message that can be a place and is not a new complaint of its own."""
    if turn.state.get("step") != "location" or not ComplaintDraft.load(turn.state).place_later:
        return False
    if turn.message.location:
        return True
    text = ctx.text.strip()
    return (0 < len(text.split()) <= PROMISED_PLACE_WORDS and complaint.location_problem(text) is None
            and complaint.not_a_place(text) is None and not complaint.place_later(text))


def _bare_place_for_idle(turn: Turn, ctx: _Ctx) -> bool:
    """A bare place (nothing else told) sent to a draft that went idle at "Di mana lokasinya?" with no place promised:
    asked whether it is that draft's (thirty-third trial: "desa puri dekat masjid" three days after "lampu jalan mati"
    began a complaint with unsure topics). Not taken unasked: days later it may be another matter's."""
    text = ctx.text.strip()
    return (turn.state.get("step") == "location" and not ctx.has_media
            and 0 < len(text.split()) <= IDLE_PLACE_WORDS and not _PROBLEM_WORDS.search(u.plain(text))
            and bool(complaint.place_in_text(text) or complaint.landmark_in_text(text))
            and complaint.location_problem(text) is None and not u.is_question(text))


def _flow_kept(turn: Turn) -> dict[str, Any]:
    """The flow's own state (its step, draft and the like), kept while a message beside it is answered."""
    return {k: turn.state[k] for k in _FLOW_KEYS if k in turn.state}


def _set_aside(ctx: _Ctx) -> None:
    """An idle draft (a complaint, a message to the regent) is put aside for this message, offered again after it;
    the message is read afresh: a typed "ya" is a word now, not the draft's button."""
    ctx.set_aside = {k: ctx.turn.state.pop(k) for k in _FLOW_KEYS if k in ctx.turn.state}
    ctx.turn.state.pop("resume_offered", None)
    ctx.flow, ctx.code = None, None


def _draft_begun_days_ago(turn: Turn) -> str | None:
    """The day a draft was begun, in words, when it was last worked on more than DRAFT_IDLE_HOURS ago; else None.
    (Thirty-first trial: the day of the last message was said, "halo" three days later being taken for the start.)"""
    left_at = _draft_left_at(turn)
    if left_at is None or turn.now - left_at <= timedelta(hours=DRAFT_IDLE_HOURS):
        return None
    draft = turn.state.get("draft")
    try:
        begun = datetime.fromisoformat(str(draft.get("begun"))) if isinstance(draft, dict) and draft.get("begun") \
            else left_at
    except ValueError:
        begun = left_at
    return format_date(turn, min(begun, left_at))


def _draft_idle(turn: Turn) -> bool:
    """The draft has not been worked on for DRAFT_IDLE_HOURS."""
    left_at = _draft_left_at(turn)
    return left_at is not None and turn.now - left_at > timedelta(hours=DRAFT_IDLE_HOURS)


async def _officer_wrote_last(turn: Turn, waiting: Ticket) -> bool:
    """Staff wrote to the resident on `waiting` since the resident's previous message: theirs is the latest thing in
    the chat."""
    outs = await _officer_words(turn, waiting)
    history = turn.state.get("history") or []
    if not outs or len(history) < 2:
        return bool(outs)
    return max(e.at for e in outs) > datetime.fromisoformat(str(history[-2]["at"]))


_YES_NO_STEPS = frozenset({"confirm_topic", "confirm"})  # draft steps whose buttons a typed yes or no answers


def _answers_draft_step(turn: Turn, text: str) -> bool:
    """Typed words that answer the draft's own buttons: a yes or no where it asks "is that right?" ("iya bener itu
    pak"), no photo or skip at the photo step, a privacy choice at the privacy step."""
    step = turn.state.get("step")
    if step in _YES_NO_STEPS or (step == "location" and turn.state.get(complaint.PLACE_GUESS_KEY)):
        return _starts_yes_no(text) is not None
    if step == "photo":
        return complaint.says_no_photo(text) or u.plain(text) in complaint.SKIP_WORDS
    if step == "privacy":
        return complaint.privacy_in(text) is not None and len(text.split()) <= 4
    return False


def _surely_another(directory: Any, ticket: Ticket, parse: dict[str, Any]) -> bool:
    """Words routed to another office than `ticket`'s as surely as the router routes alone ("tolong segera perbaiki
    lampu jalan di desa puri" beside a road complaint); a plea to hurry with its reason ("anak saya sekolah lewat
    situ") is not."""
    routing = ParseResult.from_dict(parse).routing
    return (routing is not None and routing.id != ticket.opd_id
            and routing.confidence >= directory.route_threshold)


def _starts_yes_no(text: str) -> bool | None:
    """A yes or a no as the first word ("iya bener itu pak"; not "ditunggu ya pak")."""
    words = u.plain(text).split()
    return u.yes_no(words[0]) if words else None


def _resumes(turn: Turn, text: str, offered: Any = None) -> bool:
    """A short yes ("iya", "ya pak") right after "... Pilih Lanjutkan untuk meneruskannya" (only Lanjutkan and Batal
    shown): the draft goes on."""
    offered = turn.state.get("resume_offered") if offered is None else offered
    return offered is True and bool(_starts_yes_no(text)) and len(text.split()) <= 3


def _new_matter_for(turn: Turn, ticket: Ticket, parse: dict[str, Any], outs: list[TicketEvent]) -> bool:
    """Words that tell of another problem than `ticket`'s ("jembatan di dusun krajan ambrol pak tolong segera
    diperbaiki" while the roads officer asked how big the hole is): confidently another topic, not taking up the
    officer's words."""
    routing = parse.get("opd") or {}
    if not isinstance(routing, dict) or not routing.get("topic") or routing.get("topic") == ticket.topic:
        return False
    confident = float(routing.get("confidence") or 0) >= resident.OTHER_MATTER_CONFIDENCE
    return confident and len(turn.message.text.split()) >= 6 and not _takes_up_officer(turn.message.text, outs)


HELD_ALONG_MINUTES = 60  # a held message goes along with the next one to the same officer this long


def _mark_held(turn: Turn, parse: dict[str, Any]) -> None:
    """What `_goes_along` needs of a message just held with "pass this to the officer?": when, which office it
    reads as, whether it reads as a question for the bot."""
    routing = parse.get("opd") or {}
    turn.state["held"].update(at=turn.now.isoformat(), faq=bool(u.faq_key(parse, 0.6)),
                              routed=routing.get("id") if isinstance(routing, dict) else None)


async def _silent_since_reopened(turn: Turn, ticket: Ticket) -> bool:
    """`ticket` was reopened by its reporter and its officers have written nothing since: a word from the reporter
    answers no question of theirs."""
    reopened = await turn.store.ticket_events(ticket.number, "reopened")
    said = await _officer_words(turn, ticket)
    return bool(reopened) and (not said or said[-1].at < reopened[-1].at)


def _shares_matter(text: str, other: str) -> bool:
    """Whether two messages share a word of their matter ("truknya" and "truk")."""
    def stems(words: str) -> set[str]:
        return {w.removesuffix("nya") for w in officer.matter_words(words)}

    return bool(stems(text) & stems(other))


def _unasked(ticket: Ticket) -> str:
    """The question for a message that may be about `ticket` when no officer asked anything: "is this about your
    complaint …?", never "the officer is waiting for your answer" (a question to an office words it its own way)."""
    return "forward_ask" if question.is_information_request(ticket) else "forward_ask_later"


def _goes_along(held: dict[str, Any], ticket: Ticket, now: datetime) -> bool:
    """A held message goes along with the next one to `ticket`'s officer when it was held minutes ago and is no
    question for the bot ("syarat bikin KTP baru apa saja pak?"), nor another office's matter unless it is shaped
    as an answer ("sampah di pasar sooko tidak diangkut" is a new complaint; "Sorry I can't take a photo now, but
    the hole is at the school gate" answers)."""
    text = str(held.get("text") or "")
    if held.get("ticket") != ticket.number or not held.get("at") or (held.get("faq") and u.is_question(text)):
        return False
    if held.get("other"):
        return False  # "for which of your two complaints?" was never answered: it may be for the other one
    if held.get("routed") not in (None, ticket.opd_id) and not u.looks_like_answer(text):
        return False
    return now - datetime.fromisoformat(str(held["at"])) <= timedelta(minutes=HELD_ALONG_MINUTES)


async def _officer_words(turn: Turn, waiting: Ticket) -> list[TicketEvent]:
    """What staff wrote to the reporter of `waiting`, oldest first."""
    return [e for e in await turn.store.ticket_events(waiting.number, "message_out") if e.actor != waiting.reporter]


async def _the_one_taken_up(turn: Turn, text: str, first: Ticket, second: Ticket) -> Ticket | None:
    """Of two complaints whose officers wrote last, the one whose officer's last words the message takes up while
    the other's it does not ("patokannya sebelah warung" to "bisa dikirim patokan yang lebih jelas?"); None when
    both or neither."""
    said = _content_words(text)
    shared = []
    for ticket in (first, second):
        outs = await _officer_words(turn, ticket)
        if not outs:
            return None  # only one officer wrote: "ini foto lampu yang mati" names the other complaint, so ask
        shared.append(len(said & _content_words(outs[-1].text or "")))
    if shared[0] and not shared[1]:
        return first
    if shared[1] and not shared[0]:
        return second
    return None


def _takes_up_officer(text: str, outs: list[TicketEvent]) -> bool:
    """Words that answer the officer who wrote `outs`: they say so ("maaf baru sempat balas", "sorry for the late
    reply") or take up the officer's last words ("lubangnya sekitar 2 meter" to "lubangnya seberapa besar?")."""
    if not outs:
        return False
    shared = _content_words(text) & _content_words(outs[-1].text or "")
    return bool(_REPLY_CUE.search(u.plain(text))) or len(shared) >= 2


def _content_words(text: str) -> set[str]:
    """The words of a message that carry its matter ("lubangnya" read as "lubang"), for comparing two messages."""
    words = {re.sub(r"(?:nya|kah|lah)$", "", w) for w in u.plain(text).split()}
    return {w for w in words if len(w) >= 4 and w not in _COMMON_WORDS}


_LINKS_ONLY = re.compile(r"\s*(?:(?:https?://|www\.)\S+\s*)+", re.IGNORECASE)
# "kalau sudah diperbaiki kabari ya pak", "kabarin saya ya kalau ada perkembangan", "let me know when it's fixed"
_WANTS_NEWS = re.compile(r"\b(?:kabari|kabarin|dikabari|dikabarin|infokan|infoin|diinfokan|diinfoin|beritahu|"
                         r"diberitahu|kasih\s+(?:tau|tahu|kabar)|let\s+me\s+know|keep\s+me\s+(?:posted|updated)|"
                         r"notify\s+me)\b")
WANTS_NEWS_WORDS = 12
_OWN_REPORT_WORD = re.compile(r"\b(?:laporan|aduan|pengaduan|report|complaint)\w*")
_PLACE_STEPS = frozenset({"confirm_topic", "choose_topic", "location"})  # steps a typed place is taken at
# Words that tell of a problem: a message with one ("saluran di gang mawar desa Sooko mampet") is more than a place.
_PROBLEM_WORDS = complaint.PROBLEM_WORDS
# "tidak tahu", "ga tau", "kurang hafal": unsure of a place, no problem told
_UNSURE = re.compile(r"\b(?:tidak|tdk|gak|ga|gk|nggak|ngga|enggak|ndak|kurang|belum|blm)\s+(?:tahu|tau|ngerti|paham|"
                     r"hafal|apal|ingat|inget|yakin)\b")
_RESUME_WORDS = frozenset({"lanjut", "lanjutkan", "lanjut aja", "lanjutkan saja", "lanjut saja", "teruskan", "terus",
                           "continue", "resume", "go on", "terusne", "lanjutaken", "ya lanjut", "iya lanjut",
                           # "masih bisa dilanjut?" (thirty-first trial: "that is not a place yet")
                           "dilanjut", "dilanjutkan", "bisa dilanjut", "bisa dilanjutkan", "masih bisa dilanjut",
                           "masih bisa dilanjutkan", "bisa lanjut", "masih bisa lanjut", "can i continue",
                           "can we continue", "can i still continue"})
_RESTART_WORDS = frozenset({"mulai dari awal", "dari awal", "ulang", "ulangi", "mulai lagi", "start over", "restart",
                            "baru", "aduan baru", "mulai baru", "new", "new complaint", "anyar", "sing anyar"})
_OUTSIDE_KEY = "outside"  # state: the outside matter just answered, for one message
# "terus saya harus gimana?", "tolong diteruskan saja ke yang berwenang", "so what do I do?"
_WHAT_NOW = re.compile(r"\b(?:terus|lalu|trus|jadi|terus saya|so)\s+(?:\S+\s+){0,2}?"
                       r"(?:gimana|bagaimana|gmn|piye|pripun|kemana|ke mana|what)\b"
                       r"|\b(?:di)?terus(?:kan|in)\b|\bteruskan\b|\bbisa bantu\b"
                       r"|\bwhat (?:should|do|can) i do\b|\bforward it\b")
# A typed yes to a one-tap offer made to staff.
_STAFF_YES = complaint.YES_WORDS | {"ya kirim", "iya betul", "inggih", "yoi", "yup"}
# A plain yes: it runs the one button of a staff reply that did not ask for a yes (officer.offer_lone_button), and
# is acknowledged when a resident says it to nothing asked
_PLAIN_YES = frozenset({"ya", "iya", "iyaa", "iyo", "yes", "y", "yup", "ya pak", "iya pak", "ya bu", "iya bu", "ya min",
                        "iya min", "ya kak", "iya kak", "ya betul", "iya betul", "betul", "benar", "ya benar",
                        "iya benar", "inggih", "nggih", "ya kirim", "ya lakukan", "yes please", "ya silakan",
                        "ya tolong"})
# Words around a choice that change nothing ("yg baru aja kak", "lanjut deh pak", "the new one please").
_CHOICE_FILLERS = frozenset({"yg", "yang", "aja", "saja", "deh", "dong", "kak", "pak", "bu", "mas", "mbak", "min",
                             "ya", "yah", "sih", "nah", "oke", "ok", "the", "one", "please", "pls", "mawon", "wae",
                             # "lanjut yang tadi", "ayo lanjutkan aduan saya": the draft being taken up
                             "tadi", "ayo", "yuk", "aduan", "aduannya", "laporan", "laporannya", "sekarang", "now",
                             # "lanjut yang kemarin", "lanjut yg td" (thirty-fifth trial: "not understood" first)
                             "kemarin", "kemaren", "kmrn", "td", "wingi", "yesterday", "earlier", "my", "saya"})


# The regent asking in words that an office be reminded: "tolong ingatkan dishub …", "tegur dinas pupr", "remind DLH".
_REMIND_WORDS = re.compile(r"\b(?:ingatkan|ingetin|ingatin|ingetke|tegur|tegurkan|tagih|remind)\b")


def _reminder_for(directory: Any, text: str, parse: dict[str, Any] | None = None) -> Any:
    """The OPD the regent's words ask to remind ("tolong ingatkan dishub soal lampu jalan"), else None; a name the
    NLU knows for one office ("tegur dinas PU", "ingatkan dinsos") counts too (thirty-fifth trial: the help)."""
    low = text.lower()
    found = _REMIND_WORDS.search(low)
    if found is None or len(low.split()) > 30:
        return None
    words = re.findall(r"[\w-]+", low[found.end():])[:6]
    for size in (3, 2, 1):
        for start in range(len(words) - size + 1):
            opd = directory.find_opd(" ".join(words[start:start + size]))
            if opd is not None:
                return opd
    named = [a for a in agencies_of((parse or {}).get("entities") or [], text) if a in directory.opds]
    return directory.opds[named[0]] if len(named) == 1 else None


def _without_fillers(text: str) -> str:
    return " ".join(w for w in u.plain(text).split() if w not in _CHOICE_FILLERS)
