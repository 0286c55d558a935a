"""Staff sign-in on the web without passwords: a one-time code sent to a chat identity enrolled with the role.

    POST /staff/masuk/kode  {"identity": "telegram:123" | "whatsapp:62812..." | "0812..."}
        if that identity holds a staff role, a code goes to it through the outbox (same answer either way)
    POST /staff/masuk       {"code": "..."}   -> the web session becomes a signed-in staff session
    POST /staff/keluar                         -> back to a new resident session

Codes are short-lived, single use, kept only as a hash, and tied to the web session that asked for them;
wrong codes, requests and sign-ins are limited per identity and per client address, and logged. The
signed-in session acts as a web chat identity of its own with the same role and OPD, whose sender id is
derived from the enrolled identity with the session secret (stable, unguessable). The first time, without
any enrolled chat identity, a staff member sends `/daftar CODE` (the operator's enrolment code) on the web.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import re
import secrets
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from aiohttp import web

from actions.base import REVOKED_KEY, STAFF_ROLES, WEB_COPY_KEY, WEB_ORIGIN_KEY
from actions.letters import LETTER_ROLES
from bot.http_input import parse_json
from bot.message import InputError, Reply
from bot.settings import WebSettings
from bot.store.base import Changes, Identity, OutboxJob, Store, update_value
from bot.texts import Texts
from bot.web.limits import WebLimits, polite
from bot.web.session import SessionSigner, WebSession, is_web_enrolled

logger = logging.getLogger(__name__)

CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: easy to read out and type
CODE_ATTEMPTS = 5
SIGN_IN_CHANNELS = ("telegram", "whatsapp")
# Who signs in on the web: staff, and the village heads and camat who decide letter requests on the desk.
SIGN_IN_ROLES = STAFF_ROLES | frozenset(LETTER_ROLES)
_PHONE = re.compile(r"\+?[\d\s().\-]{8,20}")
_ENROL = re.compile(r"^\s*/daftar(?:@\w+)?\b", re.IGNORECASE)


def is_enrolment(text: str) -> bool:
    """True for `/daftar CODE` (also `/daftar@Bot`): an enrolment-code attempt, limited and logged."""
    return _ENROL.match(text) is not None


def new_code(length: int = 8) -> str:
    """A code to read out and type: 8 letters/digits from an unambiguous alphabet (40 bits)."""
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(length))


def _hash(code: str) -> str:
    return hashlib.sha256(code.strip().upper().encode()).hexdigest()


def candidate_identities(given: str) -> list[str]:
    """Identity keys a person may mean: `channel:id` as given, or a phone number as a WhatsApp identity."""
    given = given.strip()
    channel, sep, rest = given.partition(":")
    if sep and channel in SIGN_IN_CHANNELS and rest:
        return [f"{channel}:{rest.strip()}"]
    if _PHONE.fullmatch(given):
        digits = re.sub(r"\D", "", given)
        if digits.startswith("0"):
            digits = "62" + digits[1:]
        return [f"whatsapp:{digits}", f"telegram:{digits}"]
    return []


class StaffSignIn:
    """The staff sign-in routes and the pending codes (kept in the store's key-value records)."""

    def __init__(self, store: Store, sessions: SessionSigner, limits: WebLimits, texts: Texts,
                 settings: WebSettings, clock: Callable[[], datetime], channels_on: Callable[[], set[str]],
                 wake_outbox: Callable[[], None], secure_cookie: bool) -> None:
        self.store = store
        self.sessions = sessions
        self.limits = limits
        self.texts = texts
        self.settings = settings
        self.clock = clock
        self.channels_on = channels_on
        self.wake_outbox = wake_outbox
        self.secure_cookie = secure_cookie

    def routes(self) -> list[web.AbstractRouteDef]:
        return [web.post("/staff/masuk/kode", self._request_code), web.post("/staff/masuk", self._sign_in),
                web.post("/staff/keluar", self._sign_out)]

    def web_sender_for(self, identity_key: str) -> str:
        """The web chat sender a signed-in staff member acts as: stable per enrolled identity, unguessable."""
        return self.sessions.staff_web_sender(identity_key)

    async def _field(self, request: web.Request, name: str, max_length: int, problem: str) -> str:
        """One required text field of a JSON object body; InputError (400) naming what is wrong."""
        body = parse_json(await request.read())
        if not isinstance(body, dict):
            raise InputError("Body must be a JSON object")
        value = body.get(name)
        if not isinstance(value, str) or not value.strip() or len(value) > max_length:
            raise InputError(problem)
        return value

    def _lang(self, request: web.Request) -> str:
        return "en" if request.query.get("lang") == "en" else "id"

    async def _request_code(self, request: web.Request) -> web.Response:
        lang = self._lang(request)
        address = self.limits.client_address(request)
        try:
            given = await self._field(request, "identity", 100,
                                      "Field `identity` (telegram:ID, whatsapp:NUMBER or a phone number) is required")
        except InputError as exc:
            return polite(str(exc), 400)
        session = self.sessions.from_request(request) or self.sessions.issue_anonymous()
        if not self.limits.enrol_address.hit(f"ip:{address}"):
            logger.warning("staff sign-in: too many requests from %s", address)
            return self._too_many(lang, address)
        minutes = self.settings.signin_code_minutes
        identity = await self._enrolled(given)
        if identity is not None and not self.limits.enrol_identity.hit(f"signin-to:{identity.key}"):
            logger.warning("staff sign-in: too many codes asked for %s", identity.key)
            identity = None  # the same answer: no code is sent
        if identity is not None:
            code = new_code()
            now = self.clock()
            await self.store.set_value(self._pending_key(session), {
                "identity": identity.key, "code": _hash(code), "attempts": 0,
                "expires_at": (now + timedelta(minutes=minutes)).isoformat()})
            text = self.texts.get("signin_code_message", identity.lang or "id", code=code, minutes=minutes)
            await self.store.enqueue([OutboxJob(key=f"signin:{secrets.token_hex(8)}", kind="deliver",
                                                payload={"to": identity.key, "replies": [Reply(text).to_dict()]},
                                                created_at=now, next_attempt_at=now)])
            self.wake_outbox()
            logger.info("staff sign-in: code sent to %s (asked from %s)", identity.key, address)
        else:
            logger.info("staff sign-in: code asked for %r, not an enrolled staff identity (from %s)", given, address)
        response = web.json_response({"status": "requested",
                                      "message": self.texts.get("signin_requested", lang, minutes=minutes)},
                                     status=202)
        self._set_cookie(response, session)
        return response

    async def _enrolled(self, given: str) -> Identity | None:
        on = self.channels_on()
        for key in candidate_identities(given):
            if key.partition(":")[0] not in on:
                continue
            identity = await self.store.get_identity(key)
            if identity is not None and identity.role in SIGN_IN_ROLES:
                return identity
        return None

    async def _sign_in(self, request: web.Request) -> web.Response:
        lang = self._lang(request)
        address = self.limits.client_address(request)
        try:
            code = await self._field(request, "code", 40, "Field `code` (the sign-in code) is required")
        except InputError as exc:
            return polite(str(exc), 400)
        session = self.sessions.from_request(request)
        if session is None:
            return polite(self.texts.get("session_needed", lang), 401)
        if not self.limits.enrol_address.hit(f"ip:{address}"):
            logger.warning("staff sign-in: too many attempts from %s", address)
            return self._too_many(lang, address)
        key = self._pending_key(session)
        pending = await self.store.get_value(key)
        if not isinstance(pending, dict):
            logger.warning("staff sign-in: a code was tried with no code pending (from %s)", address)
            return polite(self.texts.get("signin_bad", lang), 403)
        expired = datetime.fromisoformat(str(pending.get("expires_at"))) < self.clock()
        attempts = int(pending.get("attempts", 0)) + 1
        # Compare-and-set (here or on another worker at the same moment): every wrong try is counted, and
        # one code signs in once.
        if expired or attempts > CODE_ATTEMPTS or not hmac.compare_digest(_hash(code), str(pending.get("code"))):
            def count_try(current: Any | None) -> Any | None:
                if expired or not isinstance(current, dict):
                    return None
                tries = int(current.get("attempts", 0)) + 1
                return None if tries >= CODE_ATTEMPTS else {**current, "attempts": tries}

            await update_value(self.store, key, count_try)
            logger.warning("staff sign-in: wrong or expired code for %s (attempt %d, from %s)",
                           pending.get("identity"), attempts, address)
            return polite(self.texts.get("signin_bad", lang), 403)
        if not await self.store.set_value_if(key, pending, None):  # single use: another attempt took it first
            logger.warning("staff sign-in: a code was used twice at once for %s (from %s)", pending.get("identity"),
                           address)
            return polite(self.texts.get("signin_bad", lang), 403)
        enrolled = await self.store.get_identity(str(pending.get("identity")))
        if enrolled is None or enrolled.role not in SIGN_IN_ROLES:
            return polite(self.texts.get("signin_bad", lang), 403)
        sender = self.web_sender_for(enrolled.key)
        # The links first: the desk then always checks the chat identity still holds the role (a revocation at
        # this moment ends this session too), and a revocation finds this web identity by them.
        await self.store.set_value(WEB_COPY_KEY + enrolled.key, f"webchat:{sender}")
        await self.store.set_value(WEB_ORIGIN_KEY + f"webchat:{sender}", enrolled.key)
        await self.store.commit(Changes(identities=[Identity(
            key=f"webchat:{sender}", channel="webchat", sender_id=sender, role=enrolled.role,
            opd_id=enrolled.opd_id, name=enrolled.name, lang=enrolled.lang, created_at=self.clock())]))
        await self.store.set_value(REVOKED_KEY + f"webchat:{sender}", None)  # signed in again after a revocation
        staff = self.sessions.issue(sender, staff=True)
        logger.info("staff sign-in: %s signed in on the web as %s (from %s)", enrolled.key, enrolled.role, address)
        role = self.texts.get(f"role_{enrolled.role}", lang)
        response = web.json_response({"status": "signed_in", "role": enrolled.role, "opd": enrolled.opd_id,
                                      "message": self.texts.get("signin_ok", lang, role=role,
                                                                hours=self.settings.staff_session_hours)})
        self._set_cookie(response, staff)
        return response

    async def _sign_out(self, request: web.Request) -> web.Response:
        session = self.sessions.from_request(request)
        if session is not None and session.staff:
            await self.sessions.revoke_staff(self.store, session.sender)
            logger.info("staff sign-out: web sender's staff sessions ended")
        response = web.json_response({"status": "signed_out",
                                      "message": self.texts.get("signed_out", self._lang(request))})
        # Staff enrolled on this web chat keep their sender (as a resident session, which the chat refuses until
        # they sign in again with a new code: /daftar); those enrolled on Telegram/WhatsApp sign in by a code sent
        # there, so their browser starts a new visitor's session.
        web_enrolled = session is not None and session.staff and is_web_enrolled(session.sender)
        self._set_cookie(response, self.sessions.issue(session.sender) if session is not None and web_enrolled
                         else self.sessions.issue_anonymous())
        return response

    def _too_many(self, lang: str, address: str) -> web.Response:
        return polite(self.texts.get("limit_enrol", lang), 429, self.limits.enrol_address.retry_after(f"ip:{address}"))

    @staticmethod
    def _pending_key(session: WebSession) -> str:
        return f"staff_signin:{session.sender}"

    def _set_cookie(self, response: web.StreamResponse, session: WebSession) -> None:
        if session.new:
            self.sessions.set_cookie(response, session, self.secure_cookie)

    def enrol_allowed(self, identity_key: str, address: str | None) -> bool:
        """Count one enrolment-code attempt (`/daftar`); False when the identity or address is over its limit."""
        ok = self.limits.enrol_identity.hit(f"enrol:{identity_key}")
        if address is not None:
            ok = self.limits.enrol_address.hit(f"ip:{address}") and ok
        if not ok:
            logger.warning("enrolment code: too many attempts by %s%s", identity_key,
                           f" from {address}" if address else "")
        else:
            logger.info("enrolment code tried by %s%s", identity_key, f" from {address}" if address else "")
        return ok
