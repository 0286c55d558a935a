"""Public letter verification page and the resident's download, registered on the app by `letter_routes`.

- `GET /surat/v/{token}` (the QR code's address): number, type, date, issuing village, signers and whether the
  letter is still valid; no personal data beyond what the letter type lists in `public_fields`.
- `POST /surat/v/{token}` multipart `file`: is the uploaded PDF this letter unchanged, and validly signed?
- `GET /surat/unduh/{token}`: the signed PDF, only for the resident who requested it.
- `/desk/surat...`: the village heads' and camat's decisions on the web desk (bot/desk/letters.py).
"""

from __future__ import annotations

import hashlib
import html
import logging
from datetime import datetime
from typing import Any

from aiohttp import web

from actions.base import Services
from actions.letters import (
    DOWNLOAD_KEY,
    ISSUED,
    KIND,
    REVOKED,
    TOKEN_KEY,
    catalog_of,
    letter_of,
    signer_parties,
)
from bot.http_input import FORM_ERRORS
from bot.store.base import Ticket
from bot.web.session import SessionSigner
from integrations.signing import PdfCheck, check_pdf, trust_roots_for

logger = logging.getLogger(__name__)

MAX_PDF = 10 * 1024 * 1024
_PAGE = """<!doctype html>
<html lang="{lang}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title}</title>
<style>
body{{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;max-width:44rem;margin:2rem auto;padding:0 1rem;
color:#1d2a1d;line-height:1.45}}
h1{{font-size:1.4rem}} table{{border-collapse:collapse;width:100%}}
td{{padding:.35rem .5rem;border-bottom:1px solid #dde5dd;vertical-align:top}} td:first-child{{color:#4a5a4a;width:40%}}
.ok{{background:#e5f5e5;border-left:4px solid #2e7d32}}
.bad{{background:#fdeaea;border-left:4px solid #c62828}} .box{{padding:.75rem 1rem;margin:1rem 0}}
form{{margin-top:1.5rem}}
small{{color:#5a6a5a}}
</style></head><body>
<h1>{title}</h1>
{content}
</body></html>"""


def _lang(request: web.Request) -> str:
    wanted = request.query.get("lang") or ""
    if wanted in ("id", "en"):
        return wanted
    return "en" if request.headers.get("Accept-Language", "").lower().startswith("en") else "id"


def requester(request: web.Request, sessions: SessionSigner) -> str | None:
    """The web chat identity a request proves with its server-issued session (cookie or bearer), or None."""
    session = sessions.from_request(request)
    return f"webchat:{session.sender}" if session else None


class LetterPages:
    """Handlers of the verification page and the download."""

    def __init__(self, services: Services, sessions: SessionSigner) -> None:
        self.services = services
        self.sessions = sessions
        self._roots: list[Any] | None = None

    def routes(self) -> list[web.AbstractRouteDef]:
        return [
            web.get("/surat/v/{token}", self.verify_page),
            web.post("/surat/v/{token}", self.verify_upload),
            web.get("/surat/unduh/{token}", self.download),
        ]

    def roots(self) -> list[Any]:
        if self._roots is None:
            self._roots = trust_roots_for(self.services.settings.letters)
        return self._roots

    async def _ticket(self, key: str) -> Ticket | None:
        number = await self.services.store.get_value(key)
        if not isinstance(number, str):
            return None
        ticket = await self.services.store.get_ticket(number)
        return ticket if ticket is not None and ticket.kind == KIND else None

    def _t(self, key: str, lang: str, **fields: Any) -> str:
        return self.services.texts.get(key, lang, **fields)

    def _page(self, lang: str, content: str, status: int = 200) -> web.Response:
        body = _PAGE.format(lang=lang, title=html.escape(self._t("verify_title", lang)), content=content)
        return web.Response(text=body, content_type="text/html", status=status,
                            headers={"Cache-Control": "no-store", "X-Robots-Tag": "noindex"})

    def _facts(self, ticket: Ticket, lang: str) -> str:
        catalog = catalog_of(self.services)
        letter = letter_of(ticket)
        letter_type = catalog.types.get(ticket.topic or "")
        village = catalog.villages.get(letter.get("village", ""))
        kecamatan = catalog.kecamatan.get(village.kecamatan) if village else None
        months = self._t("month_names", lang).split(",")
        issued = datetime.fromisoformat(str(letter.get("issued_on")))
        signers = "<br>".join(html.escape(f"{p.name} — {p.title}") for p in signer_parties(self.services, ticket))
        rows = [
            (self._t("verify_number", lang), html.escape(str(letter.get("letter_no", "")))),
            (self._t("verify_type", lang), html.escape(letter_type.name_in(lang) if letter_type else "-")),
            (self._t("verify_date", lang), f"{issued.day} {months[issued.month - 1]} {issued.year}"),
            (self._t("verify_village", lang), html.escape(
                f"{village.kind_title} {village.name}, Kecamatan {kecamatan.name}" if village and kecamatan else "-")),
            (self._t("verify_signers", lang), signers),
        ]
        if letter_type is not None:
            for key in letter_type.public_fields:
                spec = next((f for f in letter_type.fields if f.key == key), None)
                if spec is not None and spec.kind != "nik":
                    rows.append((spec.label_in(lang), html.escape(str(letter["fields"].get(key, "")))))
        if ticket.status == REVOKED:
            at = datetime.fromisoformat(str(letter.get("revoked", {}).get("at")))
            local = at.astimezone(self.services.calendar.tz)
            state = ('<b id="status" data-status="revoked">' + html.escape(self._t(
                "verify_revoked", lang, date=f"{local.day} {months[local.month - 1]} {local.year}")) + "</b>")
        else:
            state = '<b id="status" data-status="valid">' + html.escape(self._t("verify_valid", lang)) + "</b>"
        rows.append((self._t("verify_status", lang), state))
        table = "".join(f"<tr><td>{html.escape(k)}</td><td>{v}</td></tr>" for k, v in rows)
        css = "bad" if ticket.status == REVOKED else "ok"
        return f'<table class="box {css}">{table}</table>'

    def _form(self, token: str, lang: str) -> str:
        return (f'<form method="post" enctype="multipart/form-data" action="/surat/v/{html.escape(token)}?lang={lang}">'
                f"<p>{html.escape(self._t('verify_upload_prompt', lang))}</p>"
                f'<input type="file" name="file" accept="application/pdf" required> '
                f'<button type="submit">{html.escape(self._t("verify_upload_button", lang))}</button></form>')

    def _problem(self, lang: str, key: str, status: int) -> web.Response:
        return self._page(lang, f'<p class="box bad">{html.escape(self._t(key, lang))}</p>', status)

    async def _issued_letter(self, request: web.Request) -> tuple[str, str, Ticket | None]:
        """(language, token, the issued or revoked letter the QR token names, or None)."""
        token = request.match_info["token"]
        ticket = await self._ticket(TOKEN_KEY + token)
        return _lang(request), token, ticket if ticket is not None and ticket.status in (ISSUED, REVOKED) else None

    async def verify_page(self, request: web.Request) -> web.Response:
        lang, token, ticket = await self._issued_letter(request)
        if ticket is None:
            return self._problem(lang, "verify_not_found", 404)
        return self._page(lang, self._facts(ticket, lang) + self._form(token, lang))

    async def verify_upload(self, request: web.Request) -> web.Response:
        lang, token, ticket = await self._issued_letter(request)
        if ticket is None:
            return self._problem(lang, "verify_not_found", 404)
        data = await self._read_upload(request)
        if data is None:
            content = f'<p class="box bad">{html.escape(self._t("verify_file_missing", lang))}</p>'
            return self._page(lang, content + self._facts(ticket, lang) + self._form(token, lang), 400)
        same = hashlib.sha256(data).hexdigest() == letter_of(ticket).get("sha256")
        check = await check_pdf(data, self.roots())
        verdict = self._verdict(ticket, same, check)
        css = "ok" if verdict == "verify_file_ok" else "bad"
        lines = "".join(f"<li>{html.escape(self._signature_line(s, lang))}</li>" for s in check.signatures)
        content = (f'<div class="box {css}" id="verdict" data-verdict="{verdict}"><p>'
                   f"{html.escape(self._t(verdict, lang, count=len(check.signatures)))}</p>"
                   f"<ul>{lines}</ul></div>")
        return self._page(lang, content + self._facts(ticket, lang) + self._form(token, lang))

    @staticmethod
    def _verdict(ticket: Ticket, same: bool, check: PdfCheck) -> str:
        if not check.ok:
            return "verify_file_bad_signature" if check.signatures and same else (
                "verify_file_changed" if not same else "verify_file_bad_signature")
        if not same:
            return "verify_file_changed"
        return "verify_file_ok_revoked" if ticket.status == REVOKED else "verify_file_ok"

    def _signature_line(self, s: Any, lang: str) -> str:
        yes, no = self._t("verify_yes", lang), self._t("verify_no", lang)
        return self._t("verify_signature_line", lang, field=s.field, signer=s.signer, intact=yes if s.intact else no,
                       valid=yes if s.valid else no, trusted=yes if s.trusted else no)

    @staticmethod
    async def _read_upload(request: web.Request) -> bytes | None:
        if not request.content_type.startswith("multipart/"):
            return None
        try:  # a body without its boundary, or broken on the way: no file (the page says so), never a 500
            reader = await request.multipart()
            async for part in reader:
                if getattr(part, "name", None) == "file":
                    data = bytearray()
                    while chunk := await part.read_chunk(65536):  # type: ignore[union-attr]
                        data.extend(chunk)
                        if len(data) > MAX_PDF:
                            return None
                    return bytes(data) or None
        except FORM_ERRORS:
            return None
        return None

    async def download(self, request: web.Request) -> web.StreamResponse:
        lang = _lang(request)
        ticket = await self._ticket(DOWNLOAD_KEY + request.match_info["token"])
        if ticket is None or ticket.status != ISSUED:
            return self._problem(lang, "download_not_found", 404)
        if ticket.reporter.startswith("webchat:") and requester(request, self.sessions) != ticket.reporter:
            return self._problem(lang, "download_not_yours", 403)
        media = await self.services.store.get_media(str(letter_of(ticket).get("pdf_media")))
        if media is None:
            return self._problem(lang, "download_not_found", 404)
        filename = f"surat-{ticket.number}.pdf"
        return web.Response(body=media.data, content_type="application/pdf",
                            headers={"Content-Disposition": f'attachment; filename="{filename}"',
                                     "Cache-Control": "private, no-store"})


def letter_routes(services: Services, sessions: SessionSigner) -> list[web.AbstractRouteDef]:
    """The routes to add to the app; also checks content/letters.yml at start (a mistake stops the service)."""
    catalog = catalog_of(services)
    letters = services.settings.letters
    if letters.signer == "bsre":
        logger.info("Letters: %d villages; signed by the BSrE service at %s", len(catalog.villages), letters.bsre_url)
    elif letters.p12_path.is_file():
        logger.info("Letters: %d villages; signed with %s", len(catalog.villages), letters.p12_path)
    else:
        logger.warning("Letters: no signing certificate at %s; approved letters wait in the outbox until one is "
                       "there (python -m bot letters dev-cert, or set LETTERS_P12_PATH)", letters.p12_path)
    from bot.desk.letters import LetterDesk  # the village heads' and camat's desk pages

    return LetterPages(services, sessions).routes() + LetterDesk(services, sessions, services.settings.web).routes()
