"""Real portal text from ../shared/data, read for evaluation and for building training examples.

The Bandung SP4N-LAPOR! export is labelled by the office a human dispatched each report to; its
offices map to our OPD ids through nlu/real/mapping.yml. The Purbalingga file is labelled by sector.
Near-duplicate reports (the same report filed twice, a title repeated) share a group id, so grouped
cross-validation keeps them in one fold.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from nlu import yamlio

ROOT = Path(__file__).resolve().parent.parent
SHARED_DATA = ROOT.parent / "shared" / "data"
MAPPING = Path(__file__).resolve().parent / "real" / "mapping.yml"
BANDUNG_FILE = "complaints_bandung_sp4nlapor_2021_2023.csv"
PURBALINGGA_FILE = "complaints_purbalingga_sector.csv"
LAPORGUB_FILE = "complaints_laporgub_jateng_category_tokens.csv"
OTHER = "other"
SKIP = "skip"

_OFFICE_NOISE = re.compile(r"\bkab\b\.?|\bkabupaten\b|\bbandung\b")
_WORD = re.compile(r"[a-z0-9]+")


@dataclass(frozen=True)
class RealReport:
    """One real report: its text, the gold label (OPD id, `other`, or a sector) and its duplicate group."""

    text: str
    label: str
    group: str
    source: str


def shared_data_dir(explicit: Path | None = None) -> Path | None:
    """../shared/data beside the checkout, or None when it is absent (a clean clone without it)."""
    path = explicit or SHARED_DATA
    return path if (path / BANDUNG_FILE).exists() else None


def _mapping(path: Path = MAPPING) -> dict[str, Any]:
    return yamlio.safe_load(path.read_text(encoding="utf-8")) or {}


def office_key(name: str) -> str:
    return " ".join(_OFFICE_NOISE.sub(" ", name.lower()).split())


def map_office(name: str, table: dict[str, str]) -> str:
    """Our OPD id for a Bandung office name, `other`, or `skip` (kecamatan, no subject, unknown)."""
    key = office_key(name)
    if key.startswith("kecamatan"):
        return SKIP
    return table.get(key, SKIP)


def near_duplicate_key(text: str) -> str:
    """Reports that share this key are near-duplicates: the first 12 content words, normalised."""
    words = [w for w in _WORD.findall(text.lower()) if len(w) > 2 and not w.isdigit()]
    return " ".join(words[:12])


def group_ids(texts: list[str], titles: list[str] | None = None) -> list[str]:
    """A group per report; reports with the same normalised opening or the same title share one.

    Union-find over both keys, so A~B by title and B~C by opening puts A, B and C in one group.
    """
    parent = list(range(len(texts)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    seen: dict[str, int] = {}
    keys = [[f"t:{near_duplicate_key(t)}"] for t in texts]
    if titles is not None:
        for i, title in enumerate(titles):
            norm = " ".join(_WORD.findall(title.lower()))
            if len(norm) >= 12:  # short generic titles ("jalan rusak") are not evidence of a duplicate
                keys[i].append(f"j:{norm}")
    for i, ks in enumerate(keys):
        for k in ks:
            if k in seen:
                parent[find(i)] = find(seen[k])
            else:
                seen[k] = i
    return [f"g{find(i)}" for i in range(len(texts))]


def report_text(title: str, body: str) -> str:
    """What the resident wrote: title and body, as one message."""
    title, body = title.strip(), body.strip()
    if title and not body.lower().startswith(title.lower()):
        return f"{title}. {body}" if body else title
    return body or title


def bandung_reports(data_dir: Path, mapping: Path = MAPPING, include_other: bool = True) -> list[RealReport]:
    """Bandung reports mapped to our OPD ids; kecamatan and subject-less dispatches left out."""
    table = {office_key(str(k)): str(v) for k, v in (_mapping(mapping).get("bandung_offices") or {}).items()}
    with (data_dir / BANDUNG_FILE).open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    texts = [report_text(r["judul"], r["isi"]) for r in rows]
    groups = group_ids(texts, [r["judul"] for r in rows])
    out = []
    for row, text, group in zip(rows, texts, groups, strict=True):
        label = map_office(row["instansi_terdisposisi"], table)
        if label == SKIP or (label == OTHER and not include_other) or len(text) < 10:
            continue
        out.append(RealReport(text, label, group, "bandung"))
    return out


def purbalingga_reports(data_dir: Path) -> list[RealReport]:
    """Purbalingga reports labelled by sector, exact duplicates grouped."""
    with (data_dir / PURBALINGGA_FILE).open(encoding="utf-8", newline="") as fh:
        rows = [r for r in csv.DictReader(fh) if len(r["text"].strip()) >= 10]
    texts = [r["text"].strip() for r in rows]
    groups = group_ids(texts)
    return [RealReport(t, r["kategori"].strip(), g, "purbalingga") for t, r, g in zip(texts, rows, groups, strict=True)]


def purbalingga_sectors(mapping: Path = MAPPING) -> dict[str, set[str]]:
    """Sector -> the OPD ids that work in it."""
    return {str(k): {str(x) for x in v} for k, v in (_mapping(mapping).get("purbalingga_sectors") or {}).items()}


def laporgub_rows(data_dir: Path) -> list[tuple[str, str]]:
    """(space-joined stemmed tokens, category) of the LaporGub file."""
    out = []
    with (data_dir / LAPORGUB_FILE).open(encoding="utf-8", newline="") as fh:
        reader = csv.reader(fh, delimiter=";")
        next(reader, None)
        for row in reader:
            if len(row) < 3:
                continue
            tokens = re.findall(r"'([^']*)'", row[1])
            out.append((" ".join(tokens), row[2].strip()))
    return out


def bandung_routing(routing: dict[str, str], mapping: Path = MAPPING) -> dict[str, str]:
    """Our routing table with Kab. Bandung's own choices (mapping.yml `bandung_routing`) applied."""
    changes = _mapping(mapping).get("bandung_routing") or {}
    return {**routing, **{str(k): str(v) for k, v in changes.items() if str(k) in routing}}
