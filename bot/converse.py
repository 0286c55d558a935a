"""Scripted conversations against a running service: `python -m bot converse FILE... [--url URL]`.

A file (YAML; the format is in tests/conversations/README.md) lists conversations: who says what and what
must happen. Everything goes through the service's real HTTP endpoints, as people would use them:

- every person is a web chat visitor with their own server-issued session, kept in their own cookie jar
  (`GET /webhooks/rest/session`), and speaks through `POST /webhooks/rest/webhook` (photos through
  `POST /webhooks/rest/upload`); the answer to each message is the REST answer;
- staff (officers, the operator, the regent, village officials) enrol the way a real one does: the operator's
  one-time code (`python -m bot invite`, the same function on the service's own settings) sent as
  `/daftar CODE`, which turns their web session into a staff session;
- what reaches a person later (an officer's card, the officer's answer, the regent's message) is read from
  that person's own conversation (`GET /webhooks/rest/history`, the items the server pushed);
- ticket fields (status, OPD, topic, location, text, history) come from the web desk's ticket page
  (`GET /desk/tiket/NUMBER`), read by an operator who enrolled and signed in like any operator;
- "nothing arrives" is judged once the outbox has nothing pending (`GET /healthz`).
"""

from __future__ import annotations

import asyncio
import contextlib
import html.parser
import io
import re
import sys
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

import aiohttp
import yaml
from yarl import URL

from bot.web.session import COOKIE
from nlu import yamlio

TICKET = re.compile(r"\b[A-Z]{2,5}-\d{4}-\d{4,6}\b")
PERSON_ROLES = ("resident", "officer", "operator", "regent", "pendamping", "village_head", "camat")
STAFF = ("officer", "operator", "regent")
CHANNELS = ("web",)  # what this runner can speak; other channels' conversations are skipped and said so
MESSAGE_KEYS = frozenset({"expect", "save", "photo", "location"})
STEP_KINDS = frozenset({"receives", "ticket", "pause"})
EXPECT_KEYS = frozenset({"contains", "not_contains", "mentions", "buttons", "no_buttons", "ticket", "no_ticket",
                         "nothing", "status"})
TICKET_FIELDS = ("status", "opd", "topic", "privacy", "priority", "kind", "channel")
TICKET_TEXTS = ("location", "text", "history")
DESK = "_desk"
POLL = 0.05
_VAR = re.compile(r"\{([a-z_][a-z0-9_]*)\}")

CodeIssuer = Callable[[str, "str | None"], Awaitable[str]]


class ConverseError(ValueError):
    """A conversation file is malformed (names the file and the conversation)."""


class Difference(Exception):
    """What happened differs from what the conversation expects."""


@dataclass
class Outcome:
    """How one conversation went."""

    name: str
    source: str
    status: str  # pass | fail | skip
    pending: str | None = None
    difference: str = ""

    @property
    def label(self) -> str:
        if self.status == "skip":
            return "SKIP "
        if self.pending:
            return "XPASS" if self.status == "pass" else "XFAIL"
        return "PASS " if self.status == "pass" else "FAIL "


@dataclass
class Conversation:
    """One scripted conversation, checked for shape when loaded."""

    name: str
    source: str
    steps: list[dict[str, Any]]
    people: dict[str, dict[str, Any]]
    pending: str | None = None
    lang: str = "id"
    tags: tuple[str, ...] = ()


def load(path: Path) -> list[Conversation]:
    """The conversations of one YAML file; ConverseError names the file, the conversation and the problem."""
    try:
        data = yamlio.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise ConverseError(f"{path}: {exc}") from None
    if isinstance(data, dict):  # other keys hold YAML anchors shared by the conversations (see README)
        data = data.get("conversations")
    if not isinstance(data, list):
        raise ConverseError(f"{path}: expected a list of conversations (or a mapping with `conversations:`)")
    out: list[Conversation] = []
    names: set[str] = set()
    for index, raw in enumerate(data, 1):
        where = f"{path}: conversation {index}"
        if not isinstance(raw, dict) or not isinstance(raw.get("name"), str):
            raise ConverseError(f"{where}: needs a `name`")
        where = f"{path}: {raw['name']!r}"
        if raw["name"] in names:
            raise ConverseError(f"{where}: the name is used twice")
        names.add(raw["name"])
        unknown = set(raw) - {"name", "steps", "people", "pending", "lang", "tags", "note"}
        if unknown:
            raise ConverseError(f"{where}: unknown keys {sorted(unknown)}")
        people = {"warga": {"role": "resident"}, **(raw.get("people") or {})}
        for person, spec in people.items():
            if not isinstance(spec, dict) or spec.get("role", "resident") not in PERSON_ROLES:
                raise ConverseError(f"{where}: person {person!r} needs a role among {', '.join(PERSON_ROLES)}")
            if spec.get("role") == "officer" and not spec.get("opd"):
                raise ConverseError(f"{where}: officer {person!r} needs an `opd`")
            channel = spec.get("channel", "web")
            if channel not in ("web", "sms", "telegram", "whatsapp"):
                raise ConverseError(f"{where}: person {person!r}: channel is web, sms, telegram or whatsapp")
            if channel != "web" and spec.get("role", "resident") != "resident":
                raise ConverseError(f"{where}: person {person!r}: only residents speak on {channel} here")
        steps = _flatten(raw.get("steps"))
        if not steps:
            raise ConverseError(f"{where}: needs `steps`")
        for number, step in enumerate(steps, 1):
            _check_step(step, people, f"{where}, step {number}")
        out.append(Conversation(name=raw["name"], source=path.name, steps=steps, people=people,
                                pending=raw.get("pending"), lang=str(raw.get("lang", "id")),
                                tags=tuple(raw.get("tags") or ())))
    return out


def _flatten(steps: Any) -> list[Any]:
    """Steps with shared runs of steps (a YAML alias to a list, `- *aduan_jalan`) spliced in."""
    if not isinstance(steps, list):
        return []
    out: list[Any] = []
    for step in steps:
        out.extend(_flatten(step) if isinstance(step, list) else [step])
    return out


def _check_step(step: Any, people: dict[str, Any], where: str) -> None:
    if not isinstance(step, dict):
        raise ConverseError(f"{where}: a step is a mapping like {{warga: 'halo'}}")
    speakers = [k for k in step if k in people]
    kinds = [k for k in step if k in STEP_KINDS]
    if len(speakers) + len(kinds) != 1:
        raise ConverseError(f"{where}: name exactly one person who speaks, or one of {sorted(STEP_KINDS)}")
    extra = set(step) - set(speakers) - set(kinds) - (MESSAGE_KEYS if speakers else set())
    if extra:
        raise ConverseError(f"{where}: unknown keys {sorted(extra)}")
    if speakers:
        said = step[speakers[0]]
        if isinstance(said, dict) and (set(said) != {"press"} or not isinstance(said["press"], str)):
            raise ConverseError(f"{where}: a person says a text, or {{press: BUTTON TITLE}}")
        _check_expect(step.get("expect"), where)
    elif kinds == ["receives"]:
        if not isinstance(step["receives"], dict) or any(p not in people for p in step["receives"]):
            raise ConverseError(f"{where}: `receives` maps people of the conversation to what they get")
        for expectation in step["receives"].values():
            _check_expect(expectation, where)
    elif kinds == ["ticket"] and not isinstance(step["ticket"], dict):
        raise ConverseError(f"{where}: `ticket` maps fields to what they must be")


def _check_expect(expect: Any, where: str) -> None:
    if expect is None or isinstance(expect, (str, list)):
        return
    if not isinstance(expect, dict) or set(expect) - EXPECT_KEYS:
        raise ConverseError(f"{where}: `expect` takes {sorted(EXPECT_KEYS)}")


# --- matching ------------------------------------------------------------------------------------------
def _norm(text: str) -> str:
    return " ".join(text.replace("*", "").casefold().split())


def _alternatives(item: Any) -> list[str]:
    return [_norm(a) for a in str(item).split(" | ") if a.strip()]


def _as_list(value: Any) -> list[Any]:
    if value is None:
        return []
    return list(value) if isinstance(value, list) else [value]


def _quote(text: str, limit: int = 400) -> str:
    flat = " ⏎ ".join(line for line in text.splitlines() if line.strip())
    return '"' + (flat if len(flat) <= limit else flat[: limit - 1] + "…") + '"'


def check(replies: list[dict[str, Any]], expect: Any, who: str) -> None:
    """Raise Difference when `replies` (REST items) do not meet `expect`."""
    if expect is None:
        return
    if not isinstance(expect, dict):
        expect = {"contains": expect}
    text = "\n".join(str(r.get("text") or "") for r in replies)
    said = _norm(text)
    for item in _as_list(expect.get("contains")):
        if not any(a in said for a in _alternatives(item)):
            raise Difference(f"expected {who} to contain {item!r}; got {_quote(text)}")
    for item in _as_list(expect.get("not_contains")):
        for a in _alternatives(item):
            if a in said:
                raise Difference(f"expected {who} not to contain {a!r}; got {_quote(text)}")
    buttons = [(str(b.get("payload") or "").casefold(), _norm(str(b.get("title") or "")))
               for r in replies for b in r.get("buttons") or ()]
    shown = ", ".join(f"{t} [{p}]" for p, t in buttons) or "none"

    def offered(item: Any) -> bool:
        return any(a == p or a in t for a in _alternatives(item) for p, t in buttons)

    titles = " ".join(t for _, t in buttons)
    for item in _as_list(expect.get("mentions")):  # in the texts or on a button
        if not any(a in said or a in titles for a in _alternatives(item)):
            raise Difference(f"expected {who} to mention {item!r}; got {_quote(text)}; buttons: {shown}")
    for item in _as_list(expect.get("buttons")):
        if not offered(item):
            raise Difference(f"expected {who} to offer a button {item!r}; buttons: {shown}")
    for item in _as_list(expect.get("no_buttons")):
        if offered(item):
            raise Difference(f"expected {who} not to offer a button {item!r}; buttons: {shown}")
    if expect.get("ticket") and not TICKET.search(text):
        raise Difference(f"expected a ticket number in {who}; got {_quote(text)}")
    if expect.get("no_ticket") and TICKET.search(text):
        raise Difference(f"expected no ticket number in {who}; got {_quote(text)}")


# --- the desk's ticket page ----------------------------------------------------------------------------
class _TicketPage(html.parser.HTMLParser):
    """The facts the desk's ticket page marks with ids and data attributes."""

    def __init__(self) -> None:
        super().__init__()
        self.fields: dict[str, str] = {}
        self.texts: dict[str, list[str]] = {"location": [], "text": [], "history": []}
        self.events: list[str] = []
        self._open: list[tuple[str, str | None]] = []  # (tag, what its text belongs to)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        target = None
        ident = a.get("id") or ""
        if ident in ("ticket-status", "ticket-opd", "ticket-topic"):
            self.fields[ident.removeprefix("ticket-")] = a.get("data-value") or ""
        elif ident == "ticket-reporter":
            for name in ("privacy", "priority", "kind", "channel"):
                self.fields[name] = a.get(f"data-{name}") or ""
        elif ident in ("ticket-location", "ticket-text"):
            target = ident.removeprefix("ticket-")
        elif tag == "li" and a.get("data-kind"):
            self.events.append(a["data-kind"] or "")
            target = "history"
        if tag in ("img", "br", "input", "meta", "link"):
            return
        inherited = next((t for _, t in reversed(self._open) if t), None)
        self._open.append((tag, target or inherited))

    def handle_endtag(self, tag: str) -> None:
        for i in range(len(self._open) - 1, -1, -1):
            if self._open[i][0] == tag:
                del self._open[i:]
                break

    def handle_data(self, data: str) -> None:
        target = next((t for _, t in reversed(self._open) if t), None)
        if target:
            self.texts[target].append(data)


def check_ticket(page_html: str, expect: dict[str, Any], number: str) -> None:
    page = _TicketPage()
    page.feed(page_html)
    for name in TICKET_FIELDS:
        if name in expect:
            got = page.fields.get(name, "")
            if got.casefold() not in [a.casefold() for a in str(expect[name]).split(" | ")]:
                raise Difference(f"expected ticket {number} {name} {expect[name]!r}; it is {got!r}")
    for name in TICKET_TEXTS:
        text = " ".join(page.texts[name])
        said = _norm(text)
        for item in _as_list(expect.get(f"{name}_contains")):
            if not any(a in said for a in _alternatives(item)):
                raise Difference(f"expected ticket {number} {name} to contain {item!r}; it is {_quote(text)}")
        for item in _as_list(expect.get(f"{name}_not_contains")):
            for a in _alternatives(item):
                if a in said:
                    raise Difference(f"expected ticket {number} {name} not to contain {a!r}; it is {_quote(text)}")
    for kind in _as_list(expect.get("events")):
        if kind not in page.events:
            raise Difference(f"expected an event {kind!r} in ticket {number}'s history; it has {page.events}")


# --- people --------------------------------------------------------------------------------------------
def photo_bytes(megabytes: float = 0.0) -> bytes:
    """A small real JPEG; with `megabytes`, padded to that size (for the upload limit)."""
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (64, 48), (150, 110, 60)).save(out, "JPEG")
    data = out.getvalue()
    if megabytes:
        data += b"\0" * max(0, int(megabytes * 1024 * 1024) - len(data))
    return data


@dataclass
class Person:
    """Somebody in a conversation: a web chat visitor with their own session (cookie jar)."""

    name: str
    role: str
    place: str | None
    http: aiohttp.ClientSession
    url: str
    cursor: int = 0  # the last history item already looked at

    async def _request(self, method: str, path: str, **kwargs: Any) -> tuple[int, Any]:
        for _ in range(20):
            async with self.http.request(method, self.url + path, **kwargs) as resp:
                if resp.status == 429:  # a default-configured service limits messages per address
                    await asyncio.sleep(min(float(resp.headers.get("Retry-After") or 1), 10.0))
                    continue
                body = await resp.json(content_type=None) if "json" in resp.content_type else await resp.text()
                return resp.status, body
        raise Difference(f"{self.name}: the service kept answering 429 (too many requests; staff enrol with "
                         "/daftar, which a service allows 20 times per address in 15 minutes by default: raise "
                         "WARGA_ENROL_ATTEMPTS_PER_IP on the service you test, or run with --no-staff)")

    async def session(self) -> dict[str, Any]:
        status, body = await self._request("GET", "/webhooks/rest/session")
        if status != 200 or not isinstance(body, dict):
            raise Difference(f"{self.name}: no web session (HTTP {status})")
        return body

    async def say(self, text: str, location: dict[str, Any] | None = None) -> tuple[int, list[dict[str, Any]]]:
        body: dict[str, Any] = {"message": text}
        if location:
            body["metadata"] = {"location": location}
        status, answer = await self._request("POST", "/webhooks/rest/webhook", json=body)
        return status, _as_replies(answer)

    async def upload(self, caption: str, data: bytes) -> tuple[int, list[dict[str, Any]]]:
        form = aiohttp.FormData()
        form.add_field("caption", caption)
        form.add_field("file", io.BytesIO(data), filename="foto.jpg", content_type="image/jpeg")
        status, answer = await self._request("POST", "/webhooks/rest/upload", data=form)
        return status, _as_replies(answer)

    async def history(self) -> list[dict[str, Any]]:
        status, body = await self._request("GET", f"/webhooks/rest/history?after={self.cursor}")
        if status != 200 or not isinstance(body, dict):
            raise Difference(f"{self.name}: GET /webhooks/rest/history answered HTTP {status}")
        return list(body.get("items") or [])

    async def skip_history(self) -> None:
        items = await self.history()
        if items:
            self.cursor = int(items[-1]["id"])

    async def pushed(self) -> list[dict[str, Any]]:
        return [i for i in await self.history() if i.get("from") == "push"]

    def seen(self, item_id: int) -> None:
        self.cursor = max(self.cursor, item_id)


class Participant(Protocol):
    """Someone in a conversation on some channel: says things, and has things pushed to them."""

    name: str

    async def say(self, text: str, location: dict[str, Any] | None = None) -> tuple[int, list[dict[str, Any]]]: ...

    async def upload(self, caption: str, data: bytes) -> tuple[int, list[dict[str, Any]]]: ...

    async def pushed(self) -> list[dict[str, Any]]:
        """What reached them since they last looked, oldest first (items with `id` and `text`)."""
        ...

    def seen(self, item_id: int) -> None:
        """They have looked at everything up to `item_id`."""
        ...


#: Makes a participant on another channel than the web (the test suite gives SMS, Telegram and WhatsApp this way):
#: (name, spec, variables) -> the participant; it may add variables (e.g. `phone_NAME`).
ChannelFactory = Callable[[str, dict[str, Any], dict[str, str]], Awaitable[Participant]]


def _as_replies(answer: Any) -> list[dict[str, Any]]:
    if isinstance(answer, list):
        return [r for r in answer if isinstance(r, dict)]
    if isinstance(answer, dict) and answer.get("error"):
        return [{"text": str(answer["error"])}]
    return [{"text": str(answer)}]


# --- the runner ----------------------------------------------------------------------------------------
class Runner:
    """Runs conversations one after another against the service at `url`."""

    def __init__(self, url: str, issue_code: CodeIssuer | None, wait: float = 10.0,
                 channels: dict[str, ChannelFactory] | None = None) -> None:
        self.url = url.rstrip("/")
        self.issue_code = issue_code
        self.wait = wait
        self.channels = dict(channels or {})  # besides the web, which is always spoken
        # Staff enrol once per run and keep their session for the next conversations (enrolment attempts
        # are limited per address): (name, role, place) -> session token.
        self._staff: dict[tuple[str, str, str | None], str] = {}
        self._buttons: dict[str, list[dict[str, Any]]] = {}  # per person, in the conversation being run

    async def run(self, conversation: Conversation) -> Outcome:
        outcome = Outcome(conversation.name, conversation.source, "pass", conversation.pending)
        spoken = {*CHANNELS, *self.channels}
        unavailable = sorted({str(p.get("channel", "web")) for p in conversation.people.values()} - spoken)
        if unavailable:
            outcome.status, outcome.difference = "skip", f"channel {', '.join(unavailable)} is not available here"
            return outcome
        needs_staff = any(p.get("role", "resident") != "resident" for p in conversation.people.values()) or any(
            "ticket" in s for s in conversation.steps)
        if needs_staff and self.issue_code is None:
            outcome.status, outcome.difference = "skip", "needs staff enrolment codes (run beside the service)"
            return outcome
        self._buttons.clear()
        async with contextlib.AsyncExitStack() as stack:
            people: dict[str, Participant] = {}
            variables: dict[str, str] = {}
            step_no = 0
            try:
                specs = dict(conversation.people)
                if any("ticket" in s for s in conversation.steps):
                    specs[DESK] = {"role": "operator"}
                for name, spec in specs.items():
                    channel = str(spec.get("channel", "web"))
                    if channel != "web":
                        people[name] = await self.channels[channel](name, spec, variables)
                        continue
                    http = await stack.enter_async_context(
                        aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True),
                                              timeout=aiohttp.ClientTimeout(total=60)))
                    people[name] = await self._join(name, spec, http)
                for index, step in enumerate(conversation.steps, 1):
                    step_no = index  # named in the difference when this step fails
                    await self._step(step, people, variables)
            except Difference as exc:
                where = f"step {step_no}: {_describe(conversation.steps[step_no - 1])}\n" if step_no else ""
                outcome.status, outcome.difference = "fail", where + str(exc)
            except (aiohttp.ClientError, TimeoutError) as exc:
                outcome.status, outcome.difference = "fail", f"step {step_no}: the service did not answer ({exc!r})"
        return outcome

    async def _join(self, name: str, spec: dict[str, Any], http: aiohttp.ClientSession) -> Person:
        role = str(spec.get("role", "resident"))
        place = spec.get("opd") or spec.get("desa") or spec.get("kecamatan")
        person = Person(name, role, place, http, self.url)
        key = (name, role, place)
        token = self._staff.get(key)
        if token:
            http.cookie_jar.update_cookies({COOKIE: token}, URL(self.url))
        session = await person.session()
        if role != "resident" and (not token or (role in STAFF and not session.get("staff"))):
            assert self.issue_code is not None
            code = await self.issue_code(role, place)
            status, replies = await person.say(f"/daftar {code}")
            if status != 200:
                raise Difference(f"{name} could not enrol as {role}: HTTP {status} {_quote(_joined(replies))}")
            if role in STAFF and not (await person.session()).get("staff"):
                raise Difference(f"{name} enrolled as {role} but the web session is not a staff session; "
                                 f"the bot said {_quote(_joined(replies))}")
            cookie = http.cookie_jar.filter_cookies(URL(self.url)).get(COOKIE)
            if cookie is not None:
                self._staff[key] = cookie.value
        await person.skip_history()
        return person

    async def _step(self, step: dict[str, Any], people: dict[str, Participant], variables: dict[str, str]) -> None:
        if "pause" in step:
            await asyncio.sleep(float(step["pause"]))
            return
        if "receives" in step:
            for name, expectation in step["receives"].items():
                await self._receives(people[name], _fill_all(expectation, variables))
            return
        if "ticket" in step:
            spec = dict(_fill_all(step["ticket"], variables))
            number = _fill(str(spec.pop("number", "{ticket}")), variables)
            desk = people[DESK]
            assert isinstance(desk, Person)
            status, page = await desk._request("GET", f"/desk/tiket/{number}?lang=id")
            if status != 200:
                raise Difference(f"the desk's page of ticket {number} answered HTTP {status}")
            check_ticket(str(page), spec, number)
            return
        name = next(k for k in step if k in people)
        person = people[name]
        said_by = step[name]
        if isinstance(said_by, dict):  # {press: TITLE}: the payload of the button shown with that title
            text = self._press(name, str(said_by["press"]))
        else:
            text = _fill(str(said_by or ""), variables)
        if step.get("photo"):
            photo = step["photo"]
            megabytes = float(photo.get("megabytes", 0)) if isinstance(photo, dict) else 0.0
            status, replies = await person.upload(text, photo_bytes(megabytes))
        else:
            status, replies = await person.say(text, step.get("location"))
        self._remember_buttons(name, replies)
        said = _joined(replies)
        numbers = TICKET.findall(said)
        if numbers and "ticket" not in variables:
            variables["ticket"] = numbers[0]
        if step.get("save"):
            if not numbers:
                raise Difference(f"no ticket number to save as {step['save']!r} in {_quote(said)}")
            variables[str(step["save"])] = numbers[0]
        expect = _fill_all(step.get("expect"), variables)
        wanted_status = expect.get("status", 200) if isinstance(expect, dict) else 200
        if status != wanted_status:
            raise Difference(f"expected HTTP {wanted_status}; got {status} {_quote(said)}")
        check(replies, expect, "the reply")

    def _remember_buttons(self, name: str, replies: list[dict[str, Any]]) -> None:
        """The buttons a person was shown last (a `press` step presses one of them)."""
        for reply in replies:
            if reply.get("buttons"):
                self._buttons[name] = list(reply["buttons"])

    def _press(self, name: str, title: str) -> str:
        wanted = _norm(title)
        shown = self._buttons.get(name) or []
        for button in shown:
            if wanted in _norm(str(button.get("title") or "")):
                return str(button.get("payload") or "")
        titles = ", ".join(str(b.get("title")) for b in shown) or "none"
        raise Difference(f"{name} has no button {title!r} to press; buttons shown last: {titles}")

    async def _receives(self, person: Participant, expect: Any) -> None:
        """Wait for pushed items that meet `expect` (or, with `nothing`, for an idle outbox and no push)."""
        nothing = isinstance(expect, dict) and expect.get("nothing")
        loop = asyncio.get_running_loop()
        deadline = loop.time() + self.wait
        last_problem = ""
        while True:
            if nothing:
                await self._outbox_idle(deadline)
            items = await person.pushed()
            if nothing:
                if items:
                    raise Difference(f"expected {person.name} to receive nothing; got {_quote(_joined(items))}")
                return
            try:
                if not items:
                    raise Difference(f"expected {person.name} to receive a message; nothing came")
                check(items, expect, f"what {person.name} received")
                person.seen(int(items[-1]["id"]))
                self._remember_buttons(person.name, items)
                return
            except Difference as exc:
                last_problem = str(exc)
            if loop.time() > deadline:
                raise Difference(f"{last_problem} (waited {self.wait:g} s)")
            await asyncio.sleep(POLL)

    async def _outbox_idle(self, deadline: float) -> None:
        loop = asyncio.get_running_loop()
        async with aiohttp.ClientSession() as http:
            while True:
                async with http.get(self.url + "/healthz") as resp:
                    health = await resp.json(content_type=None)
                if not int((health.get("outbox") or {}).get("pending") or 0):
                    return
                if loop.time() > deadline:
                    raise Difference("the outbox still had deliveries pending")
                await asyncio.sleep(POLL)


def _joined(replies: Iterable[dict[str, Any]]) -> str:
    return "\n".join(str(r.get("text") or "") for r in replies)


def _fill(text: str, variables: dict[str, str]) -> str:
    def one(match: re.Match[str]) -> str:
        name = match.group(1)
        if name not in variables:
            raise Difference(f"{{{name}}} is used but no ticket number was saved under that name yet")
        return variables[name]

    return _VAR.sub(one, text)


def _fill_all(value: Any, variables: dict[str, str]) -> Any:
    """`value` (an expectation) with `{name}` filled in every string of it."""
    if isinstance(value, str):
        return _fill(value, variables)
    if isinstance(value, list):
        return [_fill_all(v, variables) for v in value]
    if isinstance(value, dict):
        return {k: _fill_all(v, variables) for k, v in value.items()}
    return value


def _describe(step: dict[str, Any]) -> str:
    for key, value in step.items():
        if key not in MESSAGE_KEYS:
            return f"{key}: {value!r}" if not isinstance(value, dict) else f"{key}: {yaml.safe_dump(value).strip()}"
    return repr(step)


async def run_files(paths: list[Path], runner: Runner, only: str | None = None,
                    out: Any = None) -> list[Outcome]:
    """Run every conversation of `paths` (those named like `only`), printing one line each to `out`."""
    out = out or sys.stdout
    outcomes: list[Outcome] = []
    for path in paths:
        for conversation in load(path):
            if only and only.casefold() not in conversation.name.casefold():
                continue
            outcome = await runner.run(conversation)
            outcomes.append(outcome)
            pending = f" (pending: {outcome.pending})" if outcome.pending else ""
            print(f"{outcome.label} {outcome.source}: {outcome.name}{pending}", file=out)
            if outcome.difference and (outcome.status != "pass"):
                for line in outcome.difference.splitlines():
                    print(f"      {line}", file=out)
            out.flush()
    return outcomes


def summary(outcomes: list[Outcome]) -> str:
    count = {label: sum(1 for o in outcomes if o.label.strip() == label)
             for label in ("PASS", "FAIL", "XFAIL", "XPASS", "SKIP")}
    return (f"{len(outcomes)} conversations: {count['PASS']} passed, {count['FAIL']} failed, "
            f"{count['XFAIL']} pending and failing, {count['XPASS']} pending but passing, {count['SKIP']} skipped")


def settings_code_issuer(settings: Any) -> CodeIssuer:
    """Enrolment codes as the operator issues them (`python -m bot invite`), into the service's own store."""

    async def issue(role: str, place: str | None) -> str:
        if role in ("village_head", "camat"):
            from bot.letters_cli import issue_letter_code

            return await issue_letter_code(settings, role, str(place))
        from bot.__main__ import issue_code

        return await issue_code(settings, role, place, days=1)

    return issue


async def main(args: list[str], settings: Any) -> int:
    import argparse

    parser = argparse.ArgumentParser(prog="python -m bot converse",
                                     description="Run scripted conversations against a running service")
    parser.add_argument("files", nargs="+", type=Path, help="YAML files (tests/conversations/*.yml)")
    parser.add_argument("--url", default="http://127.0.0.1:8080", help="the running service")
    parser.add_argument("--wait", type=float, default=10.0, help="seconds to wait for a delivery")
    parser.add_argument("--only", help="only conversations whose name contains this")
    parser.add_argument("--no-staff", action="store_true",
                        help="do not issue enrolment codes (the service's store is elsewhere): skip staff")
    options = parser.parse_args(args)
    try:
        for path in options.files:
            load(path)
    except (ConverseError, OSError) as exc:
        print(f"Error: {exc}", file=sys.stderr)
        return 2
    runner = Runner(options.url, None if options.no_staff else settings_code_issuer(settings), options.wait)
    outcomes = await run_files(options.files, runner, options.only)
    print(summary(outcomes))
    return 1 if any(o.status == "fail" and not o.pending for o in outcomes) else 0
