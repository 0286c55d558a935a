"""Web chat sessions: the server issues each visitor an unguessable, signed identity; clients never choose one.

A token is `sender~flag~expires~issued~signature` (HMAC-SHA256 with the session secret). It travels in an
HttpOnly, SameSite=Strict cookie (the chat page) or an `Authorization: Bearer` header (API clients).
`flag` is `r` for a resident and `s` for a signed-in staff session (shorter lived). `issued` (epoch seconds)
decides whether a sign-out ended the session, whatever the session lifetime is set to later; tokens of
earlier releases have no `issued` (`sender~flag~expires~signature`) and still verify.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass

from aiohttp import web

from bot.secrets_compare import same_secret
from bot.settings import WebSettings
from bot.store.base import Store

COOKIE = "warga_session"
SECRET_KEY = "web.session_secret"
SIGNED_OUT_KEY = "web.signed_out:"  # + sender: when that staff session last signed out (epoch seconds)
#: The server-sent event that ends a staff session's live stream (the desk's lists and tickets, the web chat).
SIGNED_OUT_EVENT = b"event: signed_out\ndata: {}\n\n"
_SEP = "~"
_MAX_EXPIRES_DIGITS = 12


@dataclass(frozen=True, slots=True)
class WebSession:
    """Who a web request is: its sender id on the web chat, whether staff signed in, and until when."""

    sender: str
    staff: bool
    expires: int
    token: str
    new: bool = False  # issued with this request: the answer must set the cookie
    issued: int | None = None  # None in a token of an earlier release


def new_sender(prefix: str = "w") -> str:
    """An unguessable web chat sender id (128 random bits)."""
    return prefix + secrets.token_hex(16)


def is_web_enrolled(sender: str) -> bool:
    """Whether a web sender is a visitor's own (who may have enrolled as staff with `/daftar` on the web chat),
    not the stable sender a chat-enrolled staff member signs in as ("s…", bot/web/staff_auth.py)."""
    return sender.startswith("w")


def _token_of(request: web.BaseRequest) -> str | None:
    """The session token a request carries: its Bearer header first, then the cookie."""
    auth = request.headers.get("Authorization", "")
    return auth[7:].strip() if auth.lower().startswith("bearer ") else request.cookies.get(COOKIE)


class SessionSigner:
    """Issues and checks session tokens. The secret is set at start-up (settings or the store)."""

    def __init__(self, settings: WebSettings, clock: Callable[[], float] = time.time) -> None:
        self.settings = settings
        self.clock = clock
        self._secret: bytes = (settings.session_secret or "").encode()

    async def load_secret(self, store: Store) -> None:
        """WARGA_SESSION_SECRET, else one generated once and kept in the store (shared by every worker)."""
        if self._secret:
            return
        stored = await store.get_value(SECRET_KEY)
        if not isinstance(stored, str) or len(stored) < 32:
            # Workers starting together must agree on one key: the first to store it wins, the rest read it.
            if not await store.set_value_if(SECRET_KEY, stored, generated := secrets.token_hex(32)):
                return await self.load_secret(store)
            stored = generated
        self._secret = stored.encode()

    def _sign(self, body: str) -> str:
        if not self._secret:
            raise RuntimeError("session secret not loaded")
        return hmac.new(self._secret, body.encode(), hashlib.sha256).hexdigest()[:40]

    def derive(self, purpose: str) -> str:
        """A stable value only this server can compute (HMAC of `purpose`)."""
        return self._sign(f"derive:{purpose}")

    def staff_web_sender(self, identity_key: str) -> str:
        """The web chat sender a signed-in staff member acts as: stable per enrolled identity, unguessable."""
        return "s" + self.derive(f"staff-web:{identity_key}")[:32]

    def issue_anonymous(self) -> WebSession:
        """A new resident session with a fresh random sender."""
        return self.issue(new_sender())

    def issue(self, sender: str, staff: bool = False) -> WebSession:
        ttl = self.settings.staff_session_hours * 3600 if staff else self.settings.session_days * 86400
        issued = int(self.clock())
        expires = issued + ttl
        body = _SEP.join((sender, "s" if staff else "r", str(expires), str(issued)))
        return WebSession(sender, staff, expires, f"{body}{_SEP}{self._sign(body)}", new=True, issued=issued)

    def verify(self, token: str | None) -> WebSession | None:
        session = self._signed(token)
        return session if session is not None and session.expires >= self.clock() else None

    def _signed(self, token: str | None) -> WebSession | None:
        """The session a token was signed for by us, whether or not it has run out."""
        # A header or cookie is text the client chose: anything not printable ASCII is no token (and never
        # reaches the HMAC, which would fail to encode it).
        if not token or len(token) > 300 or not token.isascii() or not token.isprintable():
            return None
        parts = token.split(_SEP)
        if len(parts) not in (4, 5):
            return None
        sender, flag, expires_raw, *issued_raw, signature = parts
        numbers = [expires_raw, *issued_raw]
        if flag not in ("r", "s") or not all(n.isdigit() and len(n) <= _MAX_EXPIRES_DIGITS for n in numbers):
            return None
        expected = self._sign(_SEP.join(parts[:-1]))
        if not same_secret(signature, expected):
            return None
        return WebSession(sender, flag == "s", int(expires_raw), token,
                          issued=int(issued_raw[0]) if issued_raw else None)

    def renewed_web_staff(self, request: web.BaseRequest) -> WebSession | None:
        """For staff enrolled on the web chat itself (`/daftar` there: their sender is their identity), a staff
        session that ran out becomes a resident session of the same sender, so that the person can sign in
        again in that browser with a new enrolment code and stay who they were (name, assignments, history).
        The session grants nothing staff until then. None for any other token."""
        session = self._signed(_token_of(request))
        if session is None or not session.staff or not is_web_enrolled(session.sender):
            return None
        return self.issue(session.sender)

    def issued_at(self, session: WebSession) -> int:
        """When `session` was issued: written in the token; for a token of an earlier release, its expiry less
        today's lifetime (a lifetime set shorter since makes that later than it was)."""
        if session.issued is not None:
            return session.issued
        ttl = self.settings.staff_session_hours * 3600 if session.staff else self.settings.session_days * 86400
        return session.expires - ttl

    async def revoke_staff(self, store: Store, sender: str) -> None:
        """Signing out ends every staff session of `sender` issued until now, copies of the cookie included."""
        await store.set_value(SIGNED_OUT_KEY + sender, int(self.clock()))

    async def signed_out(self, store: Store, session: WebSession) -> bool:
        """Whether `session` is a staff session issued before its sender last signed out."""
        if not session.staff:
            return False
        at = await store.get_value(SIGNED_OUT_KEY + session.sender)
        return isinstance(at, int) and self.issued_at(session) <= at

    async def still_staff(self, store: Store, session: WebSession) -> bool:
        """Whether a staff session still holds: not run out, not signed out on any worker (live streams ask)."""
        return session.staff and self.verify(session.token) is not None and not await self.signed_out(store, session)

    async def staff_session(self, request: web.BaseRequest, store: Store) -> WebSession | None:
        """The request's staff session when it is one and has not signed out since (the desks ask this)."""
        session = self.from_request(request)
        if session is None or not session.staff or await self.signed_out(store, session):
            return None
        return session

    def from_request(self, request: web.BaseRequest) -> WebSession | None:
        """The session a request carries (Bearer header first, then the cookie), if it is valid."""
        return self.verify(_token_of(request))

    def set_cookie(self, response: web.StreamResponse, session: WebSession, secure: bool) -> None:
        max_age = max(0, session.expires - int(self.clock()))
        if session.staff and is_web_enrolled(session.sender):  # kept past its end: see renewed_web_staff
            max_age = max(max_age, self.settings.session_days * 86400)
        response.set_cookie(COOKIE, session.token, max_age=max_age, path="/", httponly=True, samesite="Strict",
                            secure=secure)
