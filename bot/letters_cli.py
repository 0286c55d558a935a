"""`python -m bot letters ...`: a development signing certificate, and enrolment codes for village heads and camat.

    python -m bot letters dev-cert [--out PATH]     self-signed CA + signer as PKCS#12 (LETTERS_P12_PATH)
    python -m bot letters invite --desa sooko       a one-time code for the village head of Desa Sooko
    python -m bot letters invite --kecamatan sooko  ... for the camat of Kecamatan Sooko
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from bot.settings import Settings


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m bot letters", description="Letters: certificates and roles")
    sub = parser.add_subparsers(dest="action", required=True)
    cert = sub.add_parser("dev-cert", help="create a self-signed development signing certificate (PKCS#12)")
    cert.add_argument("--out", help="where to write it (default LETTERS_P12_PATH)")
    cert.add_argument("--name", default="Penandatangan Surat (pengembangan)", help="the certificate's common name")
    invite = sub.add_parser("invite", help="a one-time enrolment code for a village head or a camat")
    place = invite.add_mutually_exclusive_group(required=True)
    place.add_argument("--desa", help="village id from content/letters.yml (village head)")
    place.add_argument("--kecamatan", help="kecamatan id from content/letters.yml (camat)")
    invite.add_argument("--days", type=int, default=7, help="days the code stays valid")
    return parser


async def issue_letter_code(settings: Settings, role: str, place: str, days: int = 7) -> str:
    """Store a one-time code granting `role` (village_head | camat) for `place` (village or kecamatan id)."""
    from actions.letters import ROLE_CAMAT, ROLE_VILLAGE_HEAD
    from actions.letters_config import load_catalog
    from bot.__main__ import store_enrolment_code

    catalog = load_catalog(settings.content_dir)
    known = catalog.villages if role == ROLE_VILLAGE_HEAD else catalog.kecamatan
    if role not in (ROLE_VILLAGE_HEAD, ROLE_CAMAT) or place not in known:
        raise ValueError(f"unknown {'village' if role == ROLE_VILLAGE_HEAD else 'kecamatan'} {place!r}; "
                         f"one of: {', '.join(known)}")
    return await store_enrolment_code(settings, role, place, days)


async def main(argv: list[str], settings: Settings) -> int:
    args = _parser().parse_args(argv)
    if args.action == "dev-cert":
        from integrations.signing import create_dev_certificate

        out = Path(args.out) if args.out else settings.letters.p12_path
        passphrase = settings.letters.p12_passphrase or ""
        ca = create_dev_certificate(out, passphrase, args.name, "Pemerintah " + _regency(settings))
        os.chmod(out, 0o600)
        print(out)
        print(f"Development certificate written (CA: {ca}). Set LETTERS_P12_PATH={out}"
              + ("" if passphrase else " and, for real use, LETTERS_P12_PASSPHRASE") + ".", file=sys.stderr)
        return 0
    from actions.letters import ROLE_CAMAT, ROLE_VILLAGE_HEAD

    role, place = (ROLE_VILLAGE_HEAD, args.desa) if args.desa else (ROLE_CAMAT, args.kecamatan)
    code = await issue_letter_code(settings, role, place, args.days)
    print(code)
    print(f"Kirim ke bot: /daftar {code}  (berlaku {args.days} hari, sekali pakai)", file=sys.stderr)
    return 0


def _regency(settings: Settings) -> str:
    from bot.app import load_content

    directory, _ = load_content(settings)
    return directory.regency_name
