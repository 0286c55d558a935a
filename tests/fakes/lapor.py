"""A fake SP4N-LAPOR! on 127.0.0.1, for tests and the benchmark.

    async with FakeLapor(token="T", api_key="K", seed=1) as lapor:
        settings = make_settings(tmp_path, LAPOR_BASE_URL=lapor.url, LAPOR_TOKEN="T", LAPOR_API_KEY="K")
        lapor.fail_next("503", "429")     # the next two calls fail like that, in order
        lapor.fail_rate = 0.3             # or at random (seeded): 5xx, timeouts, drops, 429
        ...
        lapor.add_followup(lapor_id, "Sudah ditangani", author="Dinas PUPR")
        assert lapor.duplicates == 0      # the same external reference created twice

It checks both credentials on every call (`Authorization: Bearer <token>` and `token: <api key>`),
answers the endpoints of content/lapor.yml's defaults, and injects faults. A timed-out or dropped
call is still carried out (the client just never hears the answer), exactly the case that would
create a duplicate if the client were not idempotent.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import random
from collections import Counter, deque
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from aiohttp import web

from tests.fakes.server import LoopbackServer

STATUSES = ("Belum Terverifikasi", "Terverifikasi", "Dalam Proses", "Selesai", "Diarsipkan", "Ditolak")


@dataclass
class Complaint:
    """One complaint as LAPOR! holds it."""

    id: str
    fields: dict[str, list[str]]
    status: str = "Belum Terverifikasi"
    disposition: str | None = None
    followups: list[dict[str, Any]] = field(default_factory=list)

    def one(self, name: str) -> str | None:
        values = self.fields.get(name)
        return values[0] if values else None


class FakeLapor(LoopbackServer):
    """An aiohttp.web server with the LAPOR! endpoints, fault injection and duplicate counting."""

    def __init__(self, token: str = "lapor-token", api_key: str | None = "lapor-key", seed: int = 0) -> None:
        self.token = token
        self.api_key = api_key or token
        self.rng = random.Random(seed)
        self.complaints: dict[str, Complaint] = {}
        self.files: dict[str, dict[str, Any]] = {}
        self.created_per_reference: Counter[str] = Counter()
        self._by_reference: dict[str, list[str]] = {}
        self.calls: Counter[str] = Counter()
        self.faults: Counter[str] = Counter()
        self.unauthorized = 0
        # Random faults, each a probability per call (seeded): checked in this order.
        self.timeout_rate = 0.0
        self.drop_rate = 0.0
        self.fail_rate = 0.0  # 5xx
        self.rate_limit_rate = 0.0  # 429 with Retry-After
        self.retry_after: float = 1.0
        self.timeout_delay = 0.5  # seconds a "timeout" answer waits (longer than the client's timeout)
        self.delay = 0.0  # every answer waits this long (slow LAPOR!)
        self.down = False  # every call answers 503 until set False
        self._queued: deque[str] = deque()
        self._ids = itertools.count(1001)
        self._files = itertools.count(1)
        self._followup_ids = itertools.count(1)
        self.posted_per_reference: Counter[str] = Counter()  # follow-ups the agency posted, per its reference
        self.url = ""

    # --- lifecycle -------------------------------------------------------------------------------
    def build_app(self) -> web.Application:
        app = web.Application(client_max_size=32 * 1024 * 1024)
        app.router.add_post("/complaints/complaint/file", self._guard(self._upload, "upload"))
        app.router.add_post("/complaints/complaint", self._guard(self._create, "create"))
        app.router.add_get("/complaints", self._guard(self._lookup, "lookup"))
        app.router.add_get("/complaints/{id}/complaint", self._guard(self._status, "status"))
        app.router.add_get("/complaints/{id}/followups", self._guard(self._followups, "followups"))
        app.router.add_post("/complaints/{id}/followups", self._guard(self._post_followup, "followup_create"))
        app.router.add_get("/_fake/stats", self._stats)  # for a benchmark running the fake in its own process
        return app

    # --- test controls ---------------------------------------------------------------------------
    def fail_next(self, *faults: str) -> None:
        """Queue faults for the next calls: "503", "500", "429", "timeout", "drop", "401", "422"."""
        self._queued.extend(faults)

    def add_followup(self, lapor_id: str, text: str, author: str = "Admin LAPOR!") -> str:
        followup_id = str(next(self._followup_ids))
        self.complaints[lapor_id].followups.append({
            "id": followup_id, "content": text, "author": {"name": author},
            "created_at": datetime.now(UTC).isoformat()})
        return followup_id

    def set_status(self, lapor_id: str, status: str, disposition: str | None = None) -> None:
        assert status in STATUSES, status
        self.complaints[lapor_id].status = status
        if disposition is not None:
            self.complaints[lapor_id].disposition = disposition

    def by_reference(self, external_id: str) -> list[Complaint]:
        return [self.complaints[i] for i in self._by_reference.get(external_id, [])]

    @property
    def duplicates(self) -> int:
        """Complaints created beyond the first for the same external reference (must stay 0)."""
        return sum(n - 1 for n in self.created_per_reference.values() if n > 1)

    # --- plumbing --------------------------------------------------------------------------------
    def _authorised(self, request: web.Request) -> bool:
        return (request.headers.get("Authorization") == f"Bearer {self.token}"
                and request.headers.get("token") == self.api_key)

    def _next_fault(self) -> str | None:
        if self._queued:
            return self._queued.popleft()
        if self.down:
            return "503"
        roll = self.rng.random()
        for name, rate in (("timeout", self.timeout_rate), ("drop", self.drop_rate), ("503", self.fail_rate),
                           ("429", self.rate_limit_rate)):
            if roll < rate:
                return name
            roll -= rate
        return None

    def _guard(self, handler: Any, name: str) -> Any:
        async def wrapped(request: web.Request) -> web.StreamResponse:
            self.calls[name] += 1
            if not self._authorised(request):
                self.unauthorized += 1
                return web.json_response({"success": False, "message": "Unauthenticated."}, status=401)
            fault = self._next_fault()
            if fault:
                self.faults[fault] += 1
            if fault in ("500", "503"):
                return web.json_response({"success": False, "message": "Service Unavailable"}, status=int(fault))
            if fault == "429":
                return web.json_response({"success": False, "message": "Too Many Attempts."}, status=429,
                                         headers={"Retry-After": f"{self.retry_after:g}"})
            if fault in ("401", "422"):
                return web.json_response({"success": False, "message": "rejected"}, status=int(fault))
            if self.delay:
                await asyncio.sleep(self.delay)
            response = await handler(request)  # timeouts and drops still do the work
            if fault == "timeout":
                await asyncio.sleep(self.timeout_delay)
            elif fault == "drop":
                if request.transport is not None:
                    request.transport.abort()
                raise web.HTTPServiceUnavailable()  # never reaches the client: the connection is gone
            return response

        return wrapped

    # --- endpoints -------------------------------------------------------------------------------
    async def _upload(self, request: web.Request) -> web.Response:
        ids: list[str] = []
        reader = await request.multipart()
        async for part in reader:
            if part.name != "attachments[]":  # type: ignore[union-attr]
                continue
            data = await part.read()  # type: ignore[union-attr]
            file_id = f"F{next(self._files)}"
            self.files[file_id] = {"name": part.filename, "mime": part.headers.get("Content-Type"),  # type: ignore[union-attr]
                                   "size": len(data), "data": data}
            ids.append(file_id)
        if not ids:
            return web.json_response({"success": False, "message": "attachments[] is required"}, status=422)
        return web.json_response({"success": True, "data": {"ids": ids}})

    async def _create(self, request: web.Request) -> web.Response:
        form = await request.post()
        fields: dict[str, list[str]] = {}
        for key, value in form.items():
            fields.setdefault(key, []).append(str(value))
        missing = [k for k in ("title", "content", "category_id", "is_anonymous", "is_secret") if not fields.get(k)]
        bad_flags = [k for k in ("is_anonymous", "is_secret") if fields.get(k, ["0"])[0] not in ("0", "1")]
        unknown_files = [f for f in fields.get("attachments[]", []) if f not in self.files]
        if missing or bad_flags or unknown_files:
            return web.json_response({"success": False, "message": "validation failed",
                                      "errors": {"missing": missing, "flags": bad_flags, "files": unknown_files}},
                                     status=422)
        complaint = Complaint(id=f"LAP{next(self._ids)}", fields=fields)
        self.complaints[complaint.id] = complaint
        reference = complaint.one("external_id")
        if reference:
            self.created_per_reference[reference] += 1
            self._by_reference.setdefault(reference, []).append(complaint.id)
        return web.json_response({"success": True, "data": {"id": complaint.id, "status": {"name": complaint.status}}},
                                 status=201)

    async def _lookup(self, request: web.Request) -> web.Response:
        reference = request.query.get("external_id")
        if not reference:
            return web.json_response({"success": False, "message": "external_id is required"}, status=422)
        found = [{"id": c.id, "external_id": reference, "status": {"name": c.status}}
                 for c in self.by_reference(reference)]
        return web.json_response({"success": True, "data": found})

    def _complaint(self, request: web.Request) -> Complaint:
        complaint = self.complaints.get(request.match_info["id"])
        if complaint is None:
            raise web.HTTPNotFound(text='{"success": false, "message": "not found"}', content_type="application/json")
        return complaint

    async def _status(self, request: web.Request) -> web.Response:
        c = self._complaint(request)
        return web.json_response({"success": True, "data": {
            "id": c.id, "title": c.one("title"), "status": {"name": c.status},
            "disposition": {"name": c.disposition} if c.disposition else None}})

    async def _followups(self, request: web.Request) -> web.Response:
        return web.json_response({"success": True, "data": list(self._complaint(request).followups)})

    async def _post_followup(self, request: web.Request) -> web.Response:
        complaint = self._complaint(request)
        form = await request.post()
        content = str(form.get("content") or "")
        if not content.strip():
            return web.json_response({"success": False, "message": "content is required"}, status=422)
        followup_id = str(next(self._followup_ids))
        reference = str(form.get("external_id") or "")
        complaint.followups.append({"id": followup_id, "content": content,
                                    "author": {"name": str(form.get("author_name") or "Instansi")},
                                    "external_id": reference, "created_at": datetime.now(UTC).isoformat()})
        if reference:
            self.posted_per_reference[reference] += 1
        return web.json_response({"success": True, "data": {"id": followup_id}}, status=201)

    def stats(self) -> dict[str, Any]:
        """Counters and what was created, per external reference (ids and privacy flags)."""
        by_reference: dict[str, list[list[str | None]]] = {}
        for c in self.complaints.values():
            by_reference.setdefault(c.one("external_id") or "", []).append(
                [c.id, c.one("is_anonymous"), c.one("is_secret")])
        return {"calls": dict(self.calls), "faults": dict(self.faults), "duplicates": self.duplicates,
                "complaints": len(self.complaints), "unauthorized": self.unauthorized, "by_reference": by_reference}

    async def _stats(self, request: web.Request) -> web.Response:
        return web.json_response(self.stats())


async def _serve(args: Any) -> None:
    fake = FakeLapor(token=args.token, api_key=args.api_key, seed=args.seed)
    fake.fail_rate, fake.timeout_rate, fake.drop_rate = args.fail, args.timeouts, args.drops
    fake.rate_limit_rate, fake.retry_after = args.rate_limit, args.retry_after
    fake.timeout_delay, fake.delay = args.timeout_delay, args.delay
    async with fake:
        print(fake.url, flush=True)
        await asyncio.Event().wait()


if __name__ == "__main__":
    import argparse

    parser = argparse.ArgumentParser(description="Run the fake SP4N-LAPOR! on 127.0.0.1 (prints its URL).")
    parser.add_argument("--token", default="lapor-token")
    parser.add_argument("--api-key", default="lapor-key")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--fail", type=float, default=0.0)
    parser.add_argument("--timeouts", type=float, default=0.0)
    parser.add_argument("--drops", type=float, default=0.0)
    parser.add_argument("--rate-limit", type=float, default=0.0)
    parser.add_argument("--retry-after", type=float, default=1.0)
    parser.add_argument("--timeout-delay", type=float, default=0.5)
    parser.add_argument("--delay", type=float, default=0.0)
    with contextlib.suppress(KeyboardInterrupt):
        asyncio.run(_serve(parser.parse_args()))
