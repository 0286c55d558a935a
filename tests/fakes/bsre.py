"""A fake of the regency's BSrE/TTE signing service on 127.0.0.1: `POST /api/sign/pdf` signs a PDF for an NIK.

    async with FakeBsre(tmp_path, users={"3599...": "passphrase"}) as bsre:
        bsre.url, bsre.ca_pem (the root to trust), bsre.calls, bsre.fail_next(503)

Like the real service it wants basic auth for the client account, a registered signer's NIK and that
signer's passphrase, and answers the signed PDF (a PAdES signature by the signer's certificate, issued
by the fake's own CA) or a JSON error with 400/401/403.
"""

from __future__ import annotations

import base64
import binascii
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from aiohttp import web
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.serialization import pkcs12

from integrations.signing import PadesSigner, SignerInfo, create_certificate_chain
from tests.fakes.server import LoopbackServer


@dataclass
class BsreCall:
    """One signing request the fake received."""

    nik: str
    status: int
    fields: dict[str, str] = field(default_factory=dict)


class FakeBsre(LoopbackServer):
    """The signing service, with one certificate per registered NIK."""

    def __init__(self, workdir: Path, users: dict[str, str], client: tuple[str, str] = ("warga", "klien-rahasia")):
        self.workdir = workdir
        self.users = dict(users)
        self.client = client
        self.calls: list[BsreCall] = []
        self._failures: list[int] = []
        self._signers: dict[str, PadesSigner] = {}
        workdir.mkdir(parents=True, exist_ok=True)
        ca_written = False
        for index, nik in enumerate(self.users):
            key, cert, ca = create_certificate_chain(f"Penandatangan BSrE {index + 1}", "Balai Sertifikasi Elektronik")
            path = workdir / f"bsre-{index}.p12"
            path.write_bytes(pkcs12.serialize_key_and_certificates(b"bsre", key, cert, [ca],
                                                                   serialization.NoEncryption()))
            self._signers[nik] = PadesSigner(path, None)
            pem = ca.public_bytes(serialization.Encoding.PEM)
            with (workdir / "bsre-roots.pem").open("ab" if ca_written else "wb") as roots:
                roots.write(pem)
            ca_written = True
        self.ca_pem = workdir / "bsre-roots.pem"

    def fail_next(self, status: int, times: int = 1) -> None:
        self._failures.extend([status] * times)

    def build_app(self) -> web.Application:
        app = web.Application(client_max_size=20 * 1024 * 1024)
        app.router.add_post("/api/sign/pdf", self._sign)
        return app

    def _authorised(self, request: web.Request) -> bool:
        header = request.headers.get("Authorization", "")
        if not header.startswith("Basic "):
            return False
        try:
            user, _, password = base64.b64decode(header[6:]).decode().partition(":")
        except (binascii.Error, UnicodeDecodeError):
            return False
        return (user, password) == self.client

    @staticmethod
    def _error(status: int, message: str) -> web.Response:
        return web.json_response({"status_code": status, "error": message}, status=status)

    async def _sign(self, request: web.Request) -> web.StreamResponse:
        fields: dict[str, str] = {}
        pdf = b""
        if request.content_type.startswith("multipart/"):
            async for part in await request.multipart():
                name = getattr(part, "name", None)
                data: Any = await part.read()  # type: ignore[union-attr]
                if name == "file":
                    pdf = bytes(data)
                elif name:
                    fields[name] = bytes(data).decode("utf-8", "replace")
        nik = fields.get("nik", "")
        if self._failures:
            status = self._failures.pop(0)
            self.calls.append(BsreCall(nik, status, fields))
            return self._error(status, "Layanan sedang sibuk")
        status, response = 200, None
        if not self._authorised(request):
            status, response = 401, self._error(401, "Unauthorized")
        elif not pdf.startswith(b"%PDF"):
            status, response = 400, self._error(400, "Dokumen bukan PDF")
        elif nik not in self.users:
            status, response = 400, self._error(400, "NIK tidak terdaftar")
        elif fields.get("passphrase") != self.users[nik]:
            status, response = 400, self._error(400, "Passphrase anda salah")
        self.calls.append(BsreCall(nik, status, fields))
        if response is not None:
            return response
        signed = await self._signers[nik].sign(pdf, SignerInfo(
            field=f"BSrE-{len(self.calls)}", name=f"NIK {nik[:4]}", title="Penandatangan",
            location=fields.get("location", ""), reason=fields.get("reason", "")))
        return web.Response(body=signed, content_type="application/pdf")
