"""Letter types, villages and kecamatan from content/letters.yml, checked at start; NIK validation.

    catalog = load_catalog(settings.content_dir)     # cached per file and modification time
    catalog.types["skck"].fields -> [FieldSpec(...), ...]
    check_nik("3599011201900001") -> None (fine) or the text key of the problem
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import yaml

from bot.logging_setup import mask_personal
from nlu import yamlio

SIGNER_VILLAGE_HEAD = "village_head"
SIGNER_CAMAT = "camat"
FIELD_KINDS = ("text", "nik", "date", "choice")
PHOTO_KINDS = ("ktp", "kk", None)
# Province codes (the first two digits of every NIK and kode wilayah), Kemendagri.
PROVINCE_CODES = frozenset({
    "11", "12", "13", "14", "15", "16", "17", "18", "19", "21", "31", "32", "33", "34", "35", "36",
    "51", "52", "53", "61", "62", "63", "64", "65", "71", "72", "73", "74", "75", "76", "81", "82",
    "91", "92", "93", "94", "95", "96", "97",
})
_NIK = re.compile(r"^\d{16}$")
_DATE = re.compile(r"^\s*(\d{1,2})[-/. ](\d{1,2})[-/. ](\d{4})\s*$")


class LettersConfigError(ValueError):
    """content/letters.yml is malformed; the message names the file and the problem."""


def check_nik(nik: str) -> str | None:
    """None when `nik` is a well-formed NIK, else the text key that explains the problem.

    16 digits: province (a real code), regency/city and district (not 00), birth date (day + 40 for
    women), birth month, birth year and a serial number that is not 0000.
    """
    digits = re.sub(r"[\s.\-]", "", nik or "")
    if not _NIK.match(digits):
        return "letter_nik_length"
    if digits[:2] not in PROVINCE_CODES or digits[2:4] == "00" or digits[4:6] == "00":
        return "letter_nik_region"
    day, month = int(digits[6:8]), int(digits[8:10])
    if day > 40:
        day -= 40
    if not (1 <= day <= 31 and 1 <= month <= 12) or digits[12:] == "0000":
        return "letter_nik_birth"
    return None


def clean_nik(nik: str) -> str:
    return re.sub(r"[\s.\-]", "", nik or "")


def mask_nik(nik: str) -> str:
    """'3599011201900001' -> '3599********0001', the same masking as every log record."""
    return mask_personal(clean_nik(nik))


def parse_date(text: str) -> date | None:
    """'17-08-1990', '17/8/1990' or '17.08.1990' -> a date in the past 130 years (None when not)."""
    match = _DATE.match(text or "")
    if not match:
        return None
    try:
        value = date(int(match.group(3)), int(match.group(2)), int(match.group(1)))
    except ValueError:
        return None
    return value if 1890 <= value.year <= 2200 else None


@dataclass(frozen=True, slots=True)
class FieldSpec:
    """One thing asked of the resident: its kind, label per language, limits and choices."""

    key: str
    kind: str
    label: dict[str, str]
    min: int = 2
    max: int = 120
    options: tuple[str, ...] = ()
    # What the NIK tells of this field, offered as the answer: "birth_date" (a date field) or "sex" (a choice
    # whose options `nik_options` are the man's and the woman's, in that order).
    from_nik: str = ""
    nik_options: tuple[str, ...] = ()

    def label_in(self, lang: str) -> str:
        return self.label.get(lang) or self.label["id"]


@dataclass(frozen=True, slots=True)
class LetterType:
    """A letter residents can request: what is asked, who signs, and the letter's wording."""

    id: str
    name: dict[str, str]
    title: str
    subject: str
    keywords: tuple[str, ...]
    code: str
    signers: tuple[str, ...]
    sla_days: int
    photo: str | None
    fields: tuple[FieldSpec, ...]
    body: tuple[str, ...]
    public_fields: tuple[str, ...] = ()

    def name_in(self, lang: str) -> str:
        return self.name.get(lang) or self.name["id"]

    @property
    def needs_camat(self) -> bool:
        return SIGNER_CAMAT in self.signers


@dataclass(frozen=True, slots=True)
class Kecamatan:
    """A district: its name, code, address and the camat who signs where a letter type needs it."""

    id: str
    name: str
    code: str
    address: str
    camat_name: str
    camat_nip: str = ""
    bsre_nik: str | None = None


@dataclass(frozen=True, slots=True)
class Village:
    """A desa or kelurahan: its letterhead, head, numbering scheme and kecamatan."""

    id: str
    name: str
    kind: str
    kecamatan: str
    code: str
    address: str
    head_title: str
    head_name: str
    number_format: str
    phone: str = ""
    logo: Path | None = None
    bsre_nik: str | None = None

    @property
    def kind_title(self) -> str:
        return "Kelurahan" if self.kind == "kelurahan" else "Desa"


@dataclass(frozen=True, slots=True)
class Catalog:
    """Everything content/letters.yml defines."""

    regency_heading: str
    number_prefix: str
    kecamatan: dict[str, Kecamatan]
    villages: dict[str, Village]
    types: dict[str, LetterType]

    def find_village(self, text: str) -> Village | None:
        """A village by id or name, ignoring case and a leading 'desa'/'kelurahan'."""
        wanted = re.sub(r"^(desa|kelurahan|kel\.?|ds\.?)\s+", "", " ".join((text or "").lower().split()))
        for village in self.villages.values():
            if wanted in (village.id, village.name.lower()):
                return village
        return None


def _from_nik(raw: dict[str, Any], options: tuple[str, ...], where: str) -> tuple[str, tuple[str, ...]]:
    """A field's `from_nik`: `birth_date` on a date field, or `{male: option, female: option}` on a choice."""
    value = raw.get("from_nik")
    if value is None:
        return "", ()
    if raw["kind"] == "date" and value == "birth_date":
        return "birth_date", ()
    if raw["kind"] == "choice" and isinstance(value, dict) and set(value) == {"male", "female"} \
            and {str(value["male"]), str(value["female"])} <= set(options):
        return "sex", (str(value["male"]), str(value["female"]))
    raise LettersConfigError(f"{where}: from_nik is 'birth_date' on a date field, or {{male: ..., female: ...}} "
                             "naming two of the options on a choice field")


def read_nik(nik: str, today: date) -> tuple[date | None, str | None]:
    """(birth date, "male" or "female") as a well-formed NIK encodes them; (None, None) when it is not.

    The day is 41-71 for women; the two-digit year is the latest that keeps the birth date from being in the
    future ("90" is 1990, "05" is 2005)."""
    digits = clean_nik(nik)
    if check_nik(digits) is not None:
        return None, None
    day, month, year = int(digits[6:8]), int(digits[8:10]), int(digits[10:12])
    sex = "female" if day > 40 else "male"
    day = day - 40 if day > 40 else day
    for century in (2000, 1900):
        try:
            born = date(century + year, month, day)
        except ValueError:
            return None, sex
        if born <= today:
            return born, sex
    return None, sex


def _need(data: dict[str, Any], key: str, where: str, kind: type = str) -> Any:
    value = data.get(key)
    if not isinstance(value, kind) or (isinstance(value, str) and not value.strip()):
        raise LettersConfigError(f"{where}: '{key}' is required ({kind.__name__})")
    return value


def _langs(value: Any, where: str) -> dict[str, str]:
    if isinstance(value, str):
        return {"id": value}
    if not isinstance(value, dict) or not isinstance(value.get("id"), str):
        raise LettersConfigError(f"{where}: needs an Indonesian text under 'id'")
    return {str(k): str(v) for k, v in value.items()}


def parse_catalog(data: Any, path: Path) -> Catalog:
    """Build and check the catalog; every problem names `path` and the entry."""
    if not isinstance(data, dict):
        raise LettersConfigError(f"{path}: expected a mapping")
    kecamatan: dict[str, Kecamatan] = {}
    for kid, raw in (data.get("kecamatan") or {}).items():
        where = f"{path}: kecamatan {kid}"
        if not isinstance(raw, dict):
            raise LettersConfigError(f"{where}: expected a mapping")
        kecamatan[str(kid)] = Kecamatan(
            id=str(kid), name=_need(raw, "name", where), code=str(_need(raw, "code", where)),
            address=_need(raw, "address", where), camat_name=_need(raw, "camat_name", where),
            camat_nip=str(raw.get("camat_nip") or ""), bsre_nik=str(raw["bsre_nik"]) if raw.get("bsre_nik") else None)
    villages: dict[str, Village] = {}
    for vid, raw in (data.get("villages") or {}).items():
        where = f"{path}: villages {vid}"
        if not isinstance(raw, dict):
            raise LettersConfigError(f"{where}: expected a mapping")
        kid = _need(raw, "kecamatan", where)
        if kid not in kecamatan:
            raise LettersConfigError(f"{where}: unknown kecamatan {kid!r} (one of {', '.join(kecamatan)})")
        kind = raw.get("kind", "desa")
        if kind not in ("desa", "kelurahan"):
            raise LettersConfigError(f"{where}: kind must be desa or kelurahan")
        number_format = str(raw.get("number_format") or "{code}/{seq:04d}/{village_code}/{roman_month}/{year}")
        try:
            number_format.format(code="470", seq=1, village_code="x", roman_month="I", month=1, year=2026)
        except (KeyError, ValueError, IndexError) as exc:
            raise LettersConfigError(f"{where}: number_format has an unknown field or a mistake: {exc}") from None
        logo = (path.parent / raw["logo"]) if raw.get("logo") else None
        if logo is not None and not logo.is_file():
            raise LettersConfigError(f"{where}: logo {logo} does not exist")
        villages[str(vid)] = Village(
            id=str(vid), name=_need(raw, "name", where), kind=kind, kecamatan=kid, code=str(_need(raw, "code", where)),
            address=_need(raw, "address", where), head_title=_need(raw, "head_title", where),
            head_name=_need(raw, "head_name", where), number_format=number_format, phone=str(raw.get("phone") or ""),
            logo=logo, bsre_nik=str(raw["bsre_nik"]) if raw.get("bsre_nik") else None)
    if not villages:
        raise LettersConfigError(f"{path}: 'villages' must name at least one village")
    fields: dict[str, FieldSpec] = {}
    for key, raw in (data.get("fields") or {}).items():
        where = f"{path}: fields {key}"
        if not isinstance(raw, dict) or raw.get("kind") not in FIELD_KINDS:
            raise LettersConfigError(f"{where}: kind must be one of {', '.join(FIELD_KINDS)}")
        options = tuple(str(o) for o in raw.get("options") or ())
        if raw["kind"] == "choice" and not options:
            raise LettersConfigError(f"{where}: a choice needs options")
        from_nik, nik_options = _from_nik(raw, options, where)
        fields[str(key)] = FieldSpec(key=str(key), kind=raw["kind"], label=_langs(raw.get("label"), where),
                                     min=int(raw.get("min", 2)), max=int(raw.get("max", 120)), options=options,
                                     from_nik=from_nik, nik_options=nik_options)
    types: dict[str, LetterType] = {}
    for tid, raw in (data.get("letter_types") or {}).items():
        where = f"{path}: letter_types {tid}"
        if not isinstance(raw, dict):
            raise LettersConfigError(f"{where}: expected a mapping")
        signers = tuple(raw.get("signers") or (SIGNER_VILLAGE_HEAD,))
        if signers[0] != SIGNER_VILLAGE_HEAD or not set(signers) <= {SIGNER_VILLAGE_HEAD, SIGNER_CAMAT}:
            raise LettersConfigError(f"{where}: signers must be [village_head] or [village_head, camat]")
        wanted = raw.get("fields") or []
        unknown = [f for f in wanted if f not in fields]
        if unknown or "name" not in wanted or "nik" not in wanted:
            raise LettersConfigError(f"{where}: fields must include name and nik and be defined under 'fields' "
                                     f"(unknown: {', '.join(unknown) or '-'})")
        body = tuple(str(b) for b in raw.get("body") or ())
        known = set(wanted) | {"village", "village_kind", "kecamatan", "regency"}
        for paragraph in body:
            missing = [m for m in re.findall(r"{(\w+)}", paragraph) if m not in known]
            if missing:
                raise LettersConfigError(f"{where}: body uses {', '.join(missing)}, which the type does not ask")
        photo = raw.get("photo")
        if photo not in PHOTO_KINDS:
            raise LettersConfigError(f"{where}: photo must be ktp, kk or left out")
        types[str(tid)] = LetterType(
            id=str(tid), name=_langs(raw.get("name"), where), title=_need(raw, "title", where),
            subject=_need(raw, "subject", where),
            keywords=tuple(str(k).lower() for k in raw.get("keywords") or ()), code=str(_need(raw, "code", where)),
            signers=signers, sla_days=int(raw.get("sla_days", 3)), photo=photo,
            fields=tuple(fields[f] for f in wanted), body=body,
            public_fields=tuple(str(f) for f in raw.get("public_fields") or ()))
    if not types:
        raise LettersConfigError(f"{path}: 'letter_types' must define at least one type")
    prefix = str(data.get("number_prefix") or "SRT")
    if not re.match(r"^[A-Z]{2,5}$", prefix):
        raise LettersConfigError(f"{path}: number_prefix must be 2-5 capital letters")
    return Catalog(regency_heading=str(data.get("regency_heading") or "PEMERINTAH KABUPATEN"),
                   number_prefix=prefix, kecamatan=kecamatan, villages=villages, types=types)


@functools.lru_cache(maxsize=8)
def _load(path: Path, mtime: float) -> Catalog:
    try:
        data = yamlio.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise LettersConfigError(f"{path}: {exc}") from None
    return parse_catalog(data, path)


def load_catalog(content_dir: Path) -> Catalog:
    """content/letters.yml, parsed once per modification."""
    path = content_dir / "letters.yml"
    if not path.is_file():
        raise LettersConfigError(f"{path}: missing (letter types, villages and kecamatan)")
    return _load(path, path.stat().st_mtime)


ROMAN_MONTHS = ("I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII")


def letter_number(village: Village, letter_type: LetterType, seq: int, when: date) -> str:
    """The letter's number in the village's numbering scheme."""
    return village.number_format.format(code=letter_type.code, seq=seq, village_code=village.code,
                                        roman_month=ROMAN_MONTHS[when.month - 1], month=when.month, year=when.year)
