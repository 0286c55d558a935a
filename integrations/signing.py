"""Electronic signatures on letters: a PAdES signer (pyHanko, PKCS#12), the regency's BSrE/TTE service, checks.

Both signers take the PDF bytes and who signs, and return the signed PDF:

    signer = make_signer(settings.letters)          # PadesSigner or BsreSigner, by LETTERS_SIGNER
    signed = await signer.sign(pdf, SignerInfo(field="TTE-Kades", name=..., title=..., nik=...))

`check_pdf` validates every signature of a PDF with pyHanko against the configured trust roots (the
signing certificate's chain, plus LETTERS_TRUST_ROOTS for BSrE's root). `create_dev_certificate` writes a
self-signed development CA and signer as PKCS#12 for `python -m bot letters dev-cert`.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import io
import logging
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

import aiohttp
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import NameOID

from bot.errors import PermanentError, RetryableError
from bot.settings import LetterSettings

logger = logging.getLogger(__name__)

SIGNATURE_BYTES = 16384  # room kept in the PDF for one CMS signature (certificate chain included)


@dataclass(frozen=True, slots=True)
class SignerInfo:
    """Who signs one signature of a letter, and the signature field it goes into."""

    field: str
    name: str
    title: str
    location: str
    nik: str | None = None  # the official's NIK at the BSrE service
    reason: str = "Tanda tangan elektronik surat"


class Signer(Protocol):
    """Signs a PDF with one more (PAdES) signature; raises RetryableError or PermanentError."""

    async def sign(self, pdf: bytes, who: SignerInfo) -> bytes: ...

    def trust_roots(self) -> list[asn1_x509.Certificate]: ...


def _to_asn1(cert: x509.Certificate) -> asn1_x509.Certificate:
    return asn1_x509.Certificate.load(cert.public_bytes(serialization.Encoding.DER))


def load_pem_certificates(path: Path) -> list[asn1_x509.Certificate]:
    """Every certificate in a PEM file (LETTERS_TRUST_ROOTS)."""
    return [_to_asn1(c) for c in x509.load_pem_x509_certificates(path.read_bytes())]


class PadesSigner:
    """PAdES-B-B signatures with a PKCS#12 file (the signer's certificate, key and chain)."""

    def __init__(self, p12_path: Path, passphrase: str | None, extra_roots: list[asn1_x509.Certificate] | None = None):
        from pyhanko.sign import signers

        if not p12_path.is_file():  # retried: the operator may put the certificate in place meanwhile
            raise RetryableError(f"LETTERS_P12_PATH {p12_path} does not exist (python -m bot letters dev-cert)")
        try:
            self._signer = signers.SimpleSigner.load_pkcs12(
                str(p12_path), passphrase=passphrase.encode() if passphrase else None)
        except (ValueError, OSError) as exc:
            raise PermanentError(f"cannot open {p12_path}: {exc}") from None
        if self._signer is None:  # pyHanko logs the reason and returns None on a wrong passphrase
            raise PermanentError(f"cannot open {p12_path}: wrong LETTERS_P12_PASSPHRASE?")
        self._extra_roots = list(extra_roots or [])

    def trust_roots(self) -> list[asn1_x509.Certificate]:
        chain = list(self._signer.cert_registry)
        return chain + self._extra_roots

    async def sign(self, pdf: bytes, who: SignerInfo) -> bytes:
        from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
        from pyhanko.sign import fields, signers

        meta = signers.PdfSignatureMetadata(
            field_name=who.field, subfilter=fields.SigSeedSubFilter.PADES, md_algorithm="sha256",
            reason=who.reason, location=who.location, name=f"{who.name} ({who.title})")
        def work() -> bytes:
            writer = IncrementalPdfFileWriter(io.BytesIO(pdf), strict=False)
            # A fixed reservation spares pyHanko a trial signature to measure the container.
            out = signers.sign_pdf(writer, meta, signer=self._signer, bytes_reserved=SIGNATURE_BYTES)
            signed: bytes = out.getvalue()
            return signed

        return await asyncio.to_thread(work)  # CPU work (key loading, hashing) off the event loop


class BsreSigner:
    """The regency's BSrE/TTE service: `POST {url}/api/sign/pdf` (multipart file, nik, passphrase, tampilan).

    Basic auth with the service account; the answer is the signed PDF. 4xx is permanent (wrong NIK or
    passphrase, a user without a certificate), 5xx, 429 and network failures are retried by the outbox.
    """

    def __init__(self, base_url: str, user: str | None, password: str | None, passphrase: str | None,
                 extra_roots: list[asn1_x509.Certificate] | None = None, timeout: float = 30.0) -> None:
        self.base_url = base_url.rstrip("/")
        self.headers = {"Authorization": aiohttp.encode_basic_auth(user, password or "")} if user else {}
        self.passphrase = passphrase or ""
        self.timeout = aiohttp.ClientTimeout(total=timeout)
        self._extra_roots = list(extra_roots or [])

    def trust_roots(self) -> list[asn1_x509.Certificate]:
        return list(self._extra_roots)

    async def sign(self, pdf: bytes, who: SignerInfo) -> bytes:
        if not who.nik:
            raise PermanentError(f"no bsre_nik configured for {who.title} in content/letters.yml")
        form = aiohttp.FormData()
        form.add_field("file", pdf, filename="surat.pdf", content_type="application/pdf")
        form.add_field("nik", who.nik)
        form.add_field("passphrase", self.passphrase)
        form.add_field("tampilan", "invisible")
        form.add_field("reason", who.reason)
        form.add_field("location", who.location)
        try:
            async with aiohttp.ClientSession(timeout=self.timeout) as session, session.post(
                    f"{self.base_url}/api/sign/pdf", data=form, headers=self.headers) as resp:
                body = await resp.read()
                if resp.status == 200 and body.startswith(b"%PDF"):
                    return body
                reason = body[:300].decode("utf-8", "replace")
                if resp.status == 429 or resp.status >= 500:
                    retry_after = resp.headers.get("Retry-After")
                    raise RetryableError(f"BSrE {resp.status}: {reason}",
                                         retry_after=float(retry_after) if retry_after and
                                         retry_after.isdigit() else None)
                raise PermanentError(f"BSrE {resp.status}: {reason}")
        except (aiohttp.ClientError, TimeoutError) as exc:
            raise RetryableError(f"BSrE unreachable: {type(exc).__name__}: {exc}") from exc


def trust_roots_for(settings: LetterSettings) -> list[asn1_x509.Certificate]:
    """Certificates the verification page trusts: LETTERS_TRUST_ROOTS, and the PKCS#12 signer's own chain."""
    roots = load_pem_certificates(settings.trust_roots) if settings.trust_roots else []
    if settings.signer == "pades" and settings.p12_path.is_file():
        passphrase = settings.p12_passphrase.encode() if settings.p12_passphrase else None
        try:
            _, cert, chain = pkcs12.load_key_and_certificates(settings.p12_path.read_bytes(), passphrase)
        except ValueError as exc:
            logger.warning("letters: cannot read %s for verification: %s", settings.p12_path, exc)
        else:
            roots.extend(_to_asn1(c) for c in [*chain, *([cert] if cert is not None else [])])
    return roots


def make_signer(settings: LetterSettings) -> Signer:
    """The signer LETTERS_SIGNER names (`pades`, the default, or `bsre`)."""
    roots = load_pem_certificates(settings.trust_roots) if settings.trust_roots else []
    if settings.signer == "bsre":
        if not settings.bsre_url:
            raise PermanentError("LETTERS_SIGNER=bsre needs BSRE_URL")
        return BsreSigner(settings.bsre_url, settings.bsre_user, settings.bsre_password, settings.bsre_passphrase,
                          extra_roots=roots)
    return PadesSigner(settings.p12_path, settings.p12_passphrase, extra_roots=roots)


# --- checking -------------------------------------------------------------------------------------
@dataclass
class SignatureCheck:
    """One signature of a PDF as pyHanko sees it."""

    field: str
    signer: str
    intact: bool
    valid: bool
    trusted: bool
    covers_whole_file: bool
    signed_at: dt.datetime | None


@dataclass
class PdfCheck:
    """Every signature of a PDF; `ok` when there is one and all are intact, valid and trusted, and the
    last covers the whole file (nothing was added after the last signature)."""

    signatures: list[SignatureCheck] = field(default_factory=list)
    error: str | None = None

    @property
    def ok(self) -> bool:
        return (self.error is None and bool(self.signatures)
                and all(s.intact and s.valid and s.trusted for s in self.signatures)
                and self.signatures[-1].covers_whole_file)


def _check_sync(data: bytes, roots: list[asn1_x509.Certificate]) -> PdfCheck:
    from pyhanko.pdf_utils.misc import PdfError
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko.sign.validation.errors import SignatureValidationError
    from pyhanko.sign.validation.status import SignatureCoverageLevel
    from pyhanko_certvalidator import ValidationContext

    result = PdfCheck()
    try:
        reader = PdfFileReader(io.BytesIO(data), strict=False)
        signatures = list(reader.embedded_signatures)
    except (PdfError, ValueError, KeyError, TypeError, IndexError) as exc:
        result.error = f"not a readable PDF: {exc}"
        return result
    for embedded in signatures:
        context = ValidationContext(trust_roots=roots, allow_fetching=False)
        try:
            status = validate_pdf_signature(embedded, context)
        except (SignatureValidationError, PdfError, ValueError, KeyError, TypeError) as exc:
            result.signatures.append(SignatureCheck(embedded.field_name, "?", False, False, False, False, None))
            result.error = f"signature {embedded.field_name}: {exc}"
            continue
        subject = status.signing_cert.subject.human_friendly if status.signing_cert else "?"
        result.signatures.append(SignatureCheck(
            field=embedded.field_name, signer=subject, intact=bool(status.intact), valid=bool(status.valid),
            trusted=bool(status.trusted), covers_whole_file=status.coverage == SignatureCoverageLevel.ENTIRE_FILE,
            signed_at=status.signer_reported_dt))
    return result


async def check_pdf(data: bytes, roots: list[asn1_x509.Certificate]) -> PdfCheck:
    """Validate every signature of `data` (in a thread: pyHanko's validation is CPU work)."""
    return await asyncio.to_thread(_check_sync, data, roots)


# --- development certificate ------------------------------------------------------------------------
def _name(common: str, organisation: str) -> x509.Name:
    return x509.Name([x509.NameAttribute(NameOID.COUNTRY_NAME, "ID"),
                      x509.NameAttribute(NameOID.ORGANIZATION_NAME, organisation),
                      x509.NameAttribute(NameOID.COMMON_NAME, common)])


def create_certificate_chain(common_name: str, organisation: str, days: int = 3650
                             ) -> tuple[rsa.RSAPrivateKey, x509.Certificate, x509.Certificate]:
    """A small CA and a signer certificate it issued: (signer key, signer cert, CA cert)."""
    now = dt.datetime.now(dt.UTC) - dt.timedelta(minutes=5)
    ca_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    ca_name = _name(f"{organisation} Development CA", organisation)
    ca = (x509.CertificateBuilder().subject_name(ca_name).issuer_name(ca_name)
          .public_key(ca_key.public_key()).serial_number(x509.random_serial_number())
          .not_valid_before(now).not_valid_after(now + dt.timedelta(days=days))
          .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
          .add_extension(x509.KeyUsage(digital_signature=False, content_commitment=False, key_encipherment=False,
                                       data_encipherment=False, key_agreement=False, key_cert_sign=True,
                                       crl_sign=True, encipher_only=False, decipher_only=False), critical=True)
          .add_extension(x509.SubjectKeyIdentifier.from_public_key(ca_key.public_key()), critical=False)
          .sign(ca_key, hashes.SHA256()))
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    cert = (x509.CertificateBuilder().subject_name(_name(common_name, organisation)).issuer_name(ca_name)
            .public_key(key.public_key()).serial_number(x509.random_serial_number())
            .not_valid_before(now).not_valid_after(now + dt.timedelta(days=days))
            .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
            .add_extension(x509.KeyUsage(digital_signature=True, content_commitment=True, key_encipherment=False,
                                         data_encipherment=False, key_agreement=False, key_cert_sign=False,
                                         crl_sign=False, encipher_only=False, decipher_only=False), critical=True)
            .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()), critical=False)
            .sign(ca_key, hashes.SHA256()))
    return key, cert, ca


def create_dev_certificate(p12_path: Path, passphrase: str, common_name: str, organisation: str) -> Path:
    """Write a development PKCS#12 (signer key, certificate and its CA) and the CA as PEM beside it."""
    key, cert, ca = create_certificate_chain(common_name, organisation)
    p12_path.parent.mkdir(parents=True, exist_ok=True)
    encryption = (serialization.BestAvailableEncryption(passphrase.encode()) if passphrase
                  else serialization.NoEncryption())
    p12_path.write_bytes(pkcs12.serialize_key_and_certificates(b"warga-letters", key, cert, [ca], encryption))
    ca_pem = p12_path.with_suffix(".ca.pem")
    ca_pem.write_bytes(ca.public_bytes(serialization.Encoding.PEM))
    return ca_pem
