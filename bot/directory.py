"""The regency's directory (content/directory.yml): OPDs, routing topic -> OPD, outside matters.

Loaded and checked at start: a mistake stops the service with the file, the line and the problem,
so the Diskominfo operator can fix it without reading code.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import yaml

from nlu import yamlio

_ID = re.compile(r"^[a-z0-9][a-z0-9-]*$")
_IDENTITY = re.compile(r"^[a-z]+:[^\s]+$")


class DirectoryError(ValueError):
    """The directory file is malformed; the message names file, line and problem."""


class _LineDict(dict[str, Any]):
    """A mapping that remembers the line of each key (1-based) and of itself."""

    line: int = 0
    key_lines: dict[str, int]


class _LineLoader(yamlio.SafeLoader):
    """SafeLoader (libyaml's where there is one) whose mappings remember where they were written."""


def _construct_mapping(loader: _LineLoader, node: yaml.MappingNode) -> _LineDict:
    result = _LineDict()
    result.line = node.start_mark.line + 1
    result.key_lines = {}
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        if key in result:
            raise DirectoryError(f"line {key_node.start_mark.line + 1}: key {key!r} appears twice")
        result[key] = loader.construct_object(value_node, deep=True)
        result.key_lines[str(key)] = key_node.start_mark.line + 1
    return result


_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


@dataclass(frozen=True, slots=True)
class Opd:
    """A government agency (Organisasi Perangkat Daerah)."""

    id: str
    name: str
    short: str
    sla_days: int
    contacts: tuple[str, ...] = ()
    #: Where and when residents find the office, and its public number, as the regency writes it ("Mal Pelayanan
    #: Publik, Jl. …; Senin-Kamis 08.00-15.00"); empty: the regency's own contact is given instead.
    office: str = ""


@dataclass(frozen=True, slots=True)
class ExternalMatter:
    """A matter outside the regency's authority and who handles it."""

    intent: str
    name: str
    how: dict[str, str]


@dataclass(frozen=True, slots=True)
class EmergencyNumber:
    """A number to call when life is in danger (112, the regency's fire brigade, BPBD, ambulance)."""

    name: str
    number: str


@dataclass(frozen=True, slots=True)
class EmergencySign:
    """Phrases that mean danger to life, and who must act on them (`topic` may be None). `not_with`: words that,
    just after a phrase, make it an ordinary nuisance ("burning trash every night" is not a fire emergency)."""

    opd: str
    topic: str | None
    phrases: tuple[str, ...]
    not_with: tuple[str, ...] = ()
    #: 0, or the longest message (in words) the sign is read in: a long story of a seizure at the IGD is a complaint.
    max_words: int = 0
    #: Words that, among the few just before a phrase, make it told afterwards ("kemarin ada maling masuk": the
    #: police's).
    not_before: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class CrisisLine:
    """Someone speaking of ending their life (actions/crisis.py): the numbers given at once, the phrases that mean
    it, and the OPD whose health workers answer a resident who asks to be contacted (confidentially)."""

    opd: str
    numbers: tuple[EmergencyNumber, ...]
    phrases: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Directory:
    """Everything in content/directory.yml, checked."""

    regency_name: str
    regency_short: str
    ticket_prefix: str
    timezone: str
    route_threshold: float
    opds: dict[str, Opd]
    routing: dict[str, str]
    external: dict[str, ExternalMatter]
    regent_title: str
    regent_identities: tuple[str, ...]
    urgent_topics: frozenset[str]
    days_off: tuple[date, ...] = field(default=())
    regent_name: str = ""
    emergency_numbers: tuple[EmergencyNumber, ...] = ()
    emergency_signs: tuple[EmergencySign, ...] = ()
    #: Working days a complaint may wait in triage for the operators to choose its OPD (actions/sla.py).
    triage_days: int = 1
    #: How residents reach the regency's complaint service besides this chat (a call centre, an office), as the
    #: regency writes it; said when a resident asks for a number to call. Empty: only this chat and the emergency
    #: numbers are given.
    contact: str = ""
    #: None: the regency has no crisis line configured (the emergency numbers are still given for danger to life).
    crisis: CrisisLine | None = None

    def opd(self, opd_id: str | None) -> Opd | None:
        return self.opds.get(opd_id) if opd_id else None

    def opd_for(self, topic: str | None) -> Opd | None:
        return self.opd(self.routing.get(topic or ""))

    def topics_of(self, opd_id: str) -> list[str]:
        return [t for t, o in self.routing.items() if o == opd_id]

    def find_opd(self, text: str) -> Opd | None:
        """An OPD by id or (case-insensitive) short name, as an officer types it."""
        wanted = text.strip().lower()
        if wanted in self.opds:
            return self.opds[wanted]
        for opd in self.opds.values():
            if wanted in (opd.short.lower(), opd.name.lower()):
                return opd
        # "pupr" or "PUPR" for dinas-pupr / "Dinas PUPR": the name without "dinas", when only one OPD has it
        bare = [o for o in self.opds.values()
                if wanted and wanted in (o.id.removeprefix("dinas-"), o.short.lower().removeprefix("dinas "))]
        if len(bare) == 1:
            return bare[0]
        # "pdam" for "Perumda Air Minum (PDAM)": the name a short one gives in brackets (thirty-fourth trial: "harusnya
        # ke pdam" named no office)
        bracketed = [o for o in self.opds.values() if wanted and wanted in re.findall(r"\(([^)]+)\)", o.short.lower())]
        if len(bracketed) == 1:
            return bracketed[0]
        # "dinas lingkungan" for "Dinas Lingkungan Hidup": the first whole words of one OPD's name only
        words = wanted.split()
        if len(words) >= 2 and len(words[-1]) >= 4:
            begun = [o for o in self.opds.values() if f"{o.name.lower()} ".startswith(f"{' '.join(words)} ")]
            return begun[0] if len(begun) == 1 else None
        return None

    def near_opd(self, text: str) -> Opd | None:
        """The OPD whose id or short name `text` is a slip of ("dishbu", "dinsos2", "satpolpp"), if one is clearly
        closest; None when none is close or two are."""
        wanted = re.sub(r"[\s_.-]+", "", text.strip().lower())
        names = {re.sub(r"[\s_.-]+", "", n.lower()): opd for opd in self.opds.values() for n in (opd.id, opd.short)}
        if wanted in names:
            return names[wanted]
        close = difflib.get_close_matches(wanted, list(names), n=3, cutoff=0.75)
        found = list(dict.fromkeys(names[c].id for c in close))
        return self.opds[found[0]] if len(found) == 1 else None

    def split_target(self, text: str) -> tuple[str, str]:
        """An OPD (id, short or full name) or topic id a command's arguments start with, and the words after it:
        "satpol pp pedagang di trotoar" → ("satpol pp", "pedagang di trotoar"). The longest name wins; when none
        is named, the first word (to be reported as unknown) and the rest."""
        spans = [m.span() for m in re.finditer(r"\S+", text)][:8]
        for size in range(len(spans), 0, -1):
            head = " ".join(text[a:b] for a, b in spans[:size])
            if size == 1 or self.find_opd(head) or head in self.routing:
                return head, text[spans[size - 1][1]:].strip()
        return "", ""

    @classmethod
    def load(cls, path: Path) -> Directory:
        try:
            raw = yaml.load(path.read_text(encoding="utf-8"), Loader=_LineLoader)  # noqa: S506 - SafeLoader subclass
        except DirectoryError as exc:
            raise DirectoryError(f"{path}: {exc}") from None
        except yaml.YAMLError as exc:
            raise DirectoryError(f"{path}: not valid YAML: {exc}") from None
        except OSError as exc:
            raise DirectoryError(f"{path}: cannot be read: {exc}") from None
        try:
            return _parse(raw)
        except DirectoryError as exc:
            raise DirectoryError(f"{path}: {exc}") from None


def _where(container: Any, key: str | None = None) -> str:
    if isinstance(container, _LineDict):
        if key is not None and key in container.key_lines:
            return f"line {container.key_lines[key]}"
        return f"line {container.line}"
    return "top"


_KIND_NAMES = {int: "a whole number", str: "text", list: "a list", dict: "a mapping", float: "a number"}


def _need(container: Any, key: str, kind: type | tuple[type, ...], what: str) -> Any:
    if not isinstance(container, dict) or key not in container:
        raise DirectoryError(f"{_where(container)}: {what}: missing key {key!r}")
    value = container[key]
    if not isinstance(value, kind) or isinstance(value, bool) and kind is not bool:
        kinds = kind if isinstance(kind, tuple) else (kind,)
        names = " or ".join(_KIND_NAMES.get(k, k.__name__) for k in kinds)
        raise DirectoryError(f"{_where(container, key)}: {what}: {key!r} must be {names}, got {value!r}")
    return value


def _parse(raw: Any) -> Directory:
    if not isinstance(raw, dict):
        raise DirectoryError("top: the file must be a mapping with regency, opds and routing")
    regency = _need(raw, "regency", dict, "regency")
    prefix = _need(regency, "ticket_prefix", str, "regency")
    if not re.fullmatch(r"[A-Z]{2,5}", prefix):
        raise DirectoryError(
            f"{_where(regency, 'ticket_prefix')}: ticket_prefix must be 2-5 capital letters, got {prefix!r}"
        )
    threshold = float(regency.get("route_threshold", 0.45))
    if not 0 <= threshold <= 1:
        raise DirectoryError(f"{_where(regency, 'route_threshold')}: route_threshold must be between 0 and 1")
    triage_days = regency.get("triage_days", 1)
    contact = regency.get("contact") or ""
    if not isinstance(contact, str):
        raise DirectoryError(f"{_where(regency, 'contact')}: contact must be a text")
    if not isinstance(triage_days, int) or not 1 <= triage_days <= 10:
        raise DirectoryError(f"{_where(regency, 'triage_days')}: triage_days must be 1-10 working days")

    opds: dict[str, Opd] = {}
    for item in _need(raw, "opds", list, "opds"):
        opd_id = _need(item, "id", str, "an OPD")
        if not _ID.match(opd_id):
            raise DirectoryError(f"{_where(item, 'id')}: OPD id {opd_id!r} must be lowercase letters, digits and '-'")
        if opd_id in opds:
            raise DirectoryError(f"{_where(item, 'id')}: OPD id {opd_id!r} appears twice")
        sla = _need(item, "sla_days", int, f"OPD {opd_id}")
        if sla < 1 or sla > 60:
            raise DirectoryError(f"{_where(item, 'sla_days')}: OPD {opd_id}: sla_days must be 1-60 working days")
        contacts = item.get("contacts") or []
        if not isinstance(contacts, list) or not all(isinstance(c, str) and _IDENTITY.match(c) for c in contacts):
            raise DirectoryError(f"{_where(item, 'contacts')}: OPD {opd_id}: contacts must be a list of 'channel:id'")
        name = _need(item, "name", str, f"OPD {opd_id}")
        office = item.get("office") or ""
        if not isinstance(office, str):
            raise DirectoryError(f"{_where(item, 'office')}: OPD {opd_id}: office must be text (address, hours, phone)")
        opds[opd_id] = Opd(opd_id, name, str(item.get("short") or name), sla, tuple(contacts), " ".join(office.split()))

    routing_raw = _need(raw, "routing", dict, "routing")
    routing: dict[str, str] = {}
    for topic, opd_id in routing_raw.items():
        if not str(topic).startswith("aduan_"):
            raise DirectoryError(f"{_where(routing_raw, str(topic))}: routing topic {topic!r} must start with 'aduan_'")
        if opd_id not in opds:
            raise DirectoryError(
                f"{_where(routing_raw, str(topic))}: routing {topic} -> {opd_id!r}: no OPD with that id"
            )
        routing[str(topic)] = opd_id

    external: dict[str, ExternalMatter] = {}
    external_raw = raw.get("external") or {}
    if not isinstance(external_raw, dict):
        raise DirectoryError(f"{_where(raw, 'external')}: external must be a mapping")
    for intent, item in external_raw.items():
        how = _need(item, "how", dict, f"external {intent}")
        if not isinstance(how.get("id"), str):
            raise DirectoryError(f"{_where(item, 'how')}: external {intent}: 'how' needs an Indonesian text under 'id'")
        external[str(intent)] = ExternalMatter(str(intent), str(item.get("name", intent)), dict(how))

    regent = raw.get("regent") or {}
    identities = regent.get("identities") or []
    if not isinstance(identities, list) or not all(isinstance(c, str) and _IDENTITY.match(c) for c in identities):
        raise DirectoryError(f"{_where(regent, 'identities')}: regent identities must be a list of 'channel:id'")
    urgent = raw.get("urgent_topics") or []
    for topic in urgent:
        if topic not in routing:
            raise DirectoryError(f"{_where(raw, 'urgent_topics')}: urgent topic {topic!r} is not in routing")
    days_off: list[date] = []
    for day in raw.get("days_off") or []:
        if not isinstance(day, date):
            raise DirectoryError(
                f"{_where(raw, 'days_off')}: days_off entries must be dates like 2026-12-24, got {day!r}"
            )
        days_off.append(day)
    numbers, signs = _emergency(raw, opds, routing)
    return Directory(
        regency_name=str(regency.get("name", "Kabupaten")),
        regency_short=str(regency.get("short_name") or regency.get("name", "Kabupaten")),
        ticket_prefix=prefix,
        timezone=str(regency.get("timezone", "Asia/Jakarta")),
        route_threshold=threshold,
        triage_days=triage_days,
        contact=contact.strip(),
        opds=opds,
        routing=routing,
        external=external,
        regent_title=str(regent.get("title", "Bupati")),
        regent_identities=tuple(identities),
        urgent_topics=frozenset(urgent),
        days_off=tuple(days_off),
        regent_name=str(regent.get("name") or ""),
        emergency_numbers=numbers,
        emergency_signs=signs,
        crisis=_crisis(raw, opds),
    )


def _crisis(raw: Any, opds: dict[str, Opd]) -> CrisisLine | None:
    """The `crisis:` section: the OPD that answers, the numbers, the phrases."""
    section = raw.get("crisis")
    if section is None:
        return None
    if not isinstance(section, dict):
        raise DirectoryError(f"{_where(raw, 'crisis')}: crisis must be a mapping with opd, numbers and phrases")
    opd_id = _need(section, "opd", str, "the crisis line")
    if opd_id not in opds:
        raise DirectoryError(f"{_where(section, 'opd')}: crisis line: no OPD with id {opd_id!r}")
    numbers = tuple(EmergencyNumber(str(_need(item, "name", str, "a crisis number")),
                                    str(_need(item, "number", (str, int), "a crisis number")))
                    for item in _need(section, "numbers", list, "the crisis line"))
    phrases = _need(section, "phrases", list, "the crisis line")
    if not numbers or not phrases or not all(isinstance(p, str) and p.strip() for p in phrases):
        raise DirectoryError(f"{_where(section, 'phrases')}: crisis line: numbers and phrases must be non-empty lists")
    return CrisisLine(opd_id, numbers, tuple(" ".join(p.lower().split()) for p in phrases))


def _emergency(
    raw: Any, opds: dict[str, Opd], routing: dict[str, str]
) -> tuple[tuple[EmergencyNumber, ...], tuple[EmergencySign, ...]]:
    """The `emergency:` section: numbers to call, and danger phrases per complaint topic."""
    section = raw.get("emergency") or {}
    if not isinstance(section, dict):
        raise DirectoryError(f"{_where(raw, 'emergency')}: emergency must be a mapping with numbers and signs")
    numbers = []
    for item in section.get("numbers") or []:
        numbers.append(EmergencyNumber(str(_need(item, "name", str, "an emergency number")),
                                       str(_need(item, "number", (str, int), "an emergency number"))))
    signs: list[EmergencySign] = []
    signs_raw = section.get("signs") or []
    if not isinstance(signs_raw, list):
        raise DirectoryError(f"{_where(section, 'signs')}: emergency signs must be a list of {{opd, topic, phrases}}")
    for item in signs_raw:
        opd_id = _need(item, "opd", str, "an emergency sign")
        if opd_id not in opds:
            raise DirectoryError(f"{_where(item, 'opd')}: emergency sign: no OPD with id {opd_id!r}")
        topic = item.get("topic")
        if topic is not None and routing.get(topic) != opd_id:
            raise DirectoryError(f"{_where(item, 'topic')}: emergency sign: topic {topic!r} is not routed to {opd_id}")
        phrases = _need(item, "phrases", list, "an emergency sign")
        if not all(isinstance(p, str) and p.strip() for p in phrases):
            raise DirectoryError(f"{_where(item, 'phrases')}: emergency sign: phrases must be a list of text")
        not_with = item.get("not_with") or []
        if not isinstance(not_with, list) or not all(isinstance(w, str) and w.strip() for w in not_with):
            raise DirectoryError(f"{_where(item, 'not_with')}: emergency sign: not_with must be a list of words")
        not_before = item.get("not_before") or []
        if not isinstance(not_before, list) or not all(isinstance(w, str) and w.strip() for w in not_before):
            raise DirectoryError(f"{_where(item, 'not_before')}: emergency sign: not_before must be a list of words")
        max_words = item.get("max_words") or 0
        if not isinstance(max_words, int) or isinstance(max_words, bool) or max_words < 0:
            raise DirectoryError(f"{_where(item, 'max_words')}: emergency sign: max_words must be a whole number")
        signs.append(EmergencySign(opd_id, topic, tuple(p.strip().lower() for p in phrases),
                                   tuple(w.strip().lower() for w in not_with), max_words,
                                   tuple(w.strip().lower() for w in not_before)))
    return tuple(numbers), tuple(signs)
