"""Open complaints that may be the same matter as a new one, for the officer's card.

Neighbours report the same broken road or dark street light; FixMyStreet shows such reports side by side so that
staff fix the matter once and answer everyone. Here the officer's card of a new complaint names up to three open
complaints of the same topic at the same OPD, filed in the last `WINDOW_DAYS` days, at the same place: pins within
`NEAR_METRES`, or the same village (the desa the operator's boundaries give a pin, or the name typed after "desa",
"kelurahan", "dusun", "village" ...). It is a hint ("mungkin sama"): the officer looks and answers each reporter.
Typed places are matched only by an explicit village name, never by street or landmark words, which residents
write in too many ways to compare.
"""

from __future__ import annotations

import math
import re
from datetime import datetime, timedelta
from typing import Any

from actions.base import Turn
from bot.store.base import OPEN_STATUSES, Ticket, TicketQuery

NEAR_METRES = 150.0
WINDOW_DAYS = 30
MAX_SHOWN = 3
# Candidates read per new complaint (once per card, whoever receives it): the OPD's open complaints of the window.
# The store gives them by deadline, earliest first, so past this many the newest would be missed: far more than
# an OPD has open from one month (Kab. Bandung's busiest office received about 70 reports a year on SP4N-LAPOR!).
SCAN_LIMIT = 2000

# "Desa Sooko", "ds. Sumber Rejo", "kelurahan Kauman", "dusun Krajan", "Sooko village": the village's name, one or
# two words, stopping at what usually follows it (RT/RW, "dekat", "depan", the kecamatan ...).
_KEYWORD = r"(?:desa|ds|kelurahan|kel|dusun|dsn|kampung|kp|village|hamlet)"
_STOP = {"rt", "rw", "no", "nomor", "dekat", "deket", "dkt", "depan", "dpn", "samping", "sebelah", "sblh", "belakang",
         "blkg", "seberang", "ujung", "pinggir", "kec", "kecamatan", "jalan", "jln", "jl", "gang", "gg", "di", "dan",
         "yang", "yg", "arah", "near", "in", "the", "at", "district", "kabupaten", "kab", "kota", "sekitar", "tepat"}
_VILLAGE_WORD = re.compile(_KEYWORD)
_AFTER = re.compile(rf"\b{_KEYWORD}\.?\s+([a-z][a-z'\-]*)(?:\s+([a-z][a-z'\-]*))?")
_BEFORE = re.compile(r"\b([a-z][a-z'\-]*)\s+(?:village|hamlet)\b")


def metres(a: tuple[float, float], b: tuple[float, float]) -> float:
    """Great-circle distance between two (latitude, longitude) points."""
    lat1, lon1, lat2, lon2 = map(math.radians, (*a, *b))
    h = math.sin((lat2 - lat1) / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    return 2 * 6_371_000 * math.asin(math.sqrt(min(1.0, h)))


def village_names(location: dict[str, Any] | None) -> set[str]:
    """The village names a ticket's location gives: the derived desa, and those typed after a village word."""
    if not location:
        return set()
    names: set[str] = set()
    if location.get("desa"):
        names.add(" ".join(str(location["desa"]).lower().split()))
    typed = " ".join(str(location.get(k) or "") for k in ("name", "address")).lower()
    typed = re.sub(r"[^a-z'\-\s,.]", " ", typed)  # a comma or full stop ends a name
    for first, second in _AFTER.findall(typed):
        if first in _STOP or _VILLAGE_WORD.fullmatch(first):
            continue
        ends = not second or second in _STOP or _VILLAGE_WORD.fullmatch(second)
        names.add(first if ends else f"{first} {second}")
    for word in _BEFORE.findall(typed):
        if word not in _STOP:
            names.add(word)
    return names


def _pin(location: dict[str, Any] | None) -> tuple[float, float] | None:
    if not location or location.get("latitude") is None or location.get("longitude") is None:
        return None
    try:
        return float(location["latitude"]), float(location["longitude"])
    except (TypeError, ValueError):
        return None


def _same_village(x: str, y: str) -> bool:
    """The same name, or one name's single word the other's first ("sooko" and "sooko deket" typed after "ds"):
    two two-word names must be equal ("sumber rejo" is not "sumber agung")."""
    if x == y:
        return True
    wx, wy = x.split(), y.split()
    return wx[0] == wy[0] and min(len(wx), len(wy)) == 1


def same_place(a: dict[str, Any] | None, b: dict[str, Any] | None) -> bool:
    pa, pb = _pin(a), _pin(b)
    if pa and pb:
        return metres(pa, pb) <= NEAR_METRES
    return any(_same_village(x, y) for x in village_names(a) for y in village_names(b))


async def similar_open(turn: Turn, ticket: Ticket) -> list[Ticket]:
    """Up to `MAX_SHOWN` other open complaints of `ticket`'s topic and OPD at the same place, newest first."""
    if ticket.kind != "aduan":
        return []
    found = await open_at_place(turn, ticket.opd_id, ticket.topic, ticket.location, ticket.created_at)
    return [t for t in found if t.number != ticket.number][:MAX_SHOWN]


async def open_at_place(turn: Turn, opd_id: str | None, topic: str | None, location: dict[str, Any] | None,
                        moment: datetime) -> list[Ticket]:
    """Open complaints of `topic` at `opd_id` at the same place as `location`, filed in the `WINDOW_DAYS` before
    `moment`, newest first (a complaint not yet sent, or one just filed)."""
    if not opd_id or not topic or not location:
        return []
    since = moment - timedelta(days=WINDOW_DAYS)
    candidates = await turn.store.list_tickets(TicketQuery(opd_id=opd_id, statuses=OPEN_STATUSES,
                                                           created_after=since, limit=SCAN_LIMIT))
    found = [t for t in candidates if t.topic == topic and t.kind == "aduan" and same_place(location, t.location)]
    found.sort(key=lambda t: t.created_at, reverse=True)
    return found
