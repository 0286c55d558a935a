"""Four staff on each channel answer one ticket at once, 30 `/balas` each (web chat, Telegram and
WhatsApp together: 360 answers racing on one ticket). Every answer must be accepted without an error and
either recorded once on the ticket and relayed once to the resident, its sender told "sent", or held because a
colleague answered a moment before (actions/officer.py `hold_for_colleague`), its sender told so; never both,
never twice.

Runs on SQLite and on MongoDB over the in-process stand-in as a standalone server (ordered writes, the
versions checked before anything is written). The stand-in serialises single operations and never
raises a server-side write conflict between transactions: against a real replica set (MONGODB_URL)
a transaction's write conflict is retried by PyMongo's `with_transaction` and then by the same bounded
retry (bot/store/base.py `retry_conflicts`); see docs/mongodb.md.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import re
from collections import Counter
from pathlib import Path
from typing import Any

import aiohttp
import pytest

from bot.channels.whatsapp import signature_of
from bot.message import utcnow
from bot.store.base import ROLE_OFFICER, STATUS_IN_PROGRESS, Changes, Identity, Ticket
from bot.store.mongo import MongoStore
from tests.fakes.async_mongomock import AsyncMongoMockClient
from tests.fakes.graph_api import FakeGraphApi
from tests.fakes.telegram_api import FakeTelegramApi
from tests.harness import mailbox, make_settings, running_service, wait_for, web_headers

STAFF = 4
ANSWERS = 30
NUMBER = "WRG-2612-0042"
RESIDENT = "webchat:warga-balas"
TG_SECRET, WA_SECRET, WA_TOKEN, WA_PHONE = "staff-secret", "staff-app-secret", "staff-token", "1234567890"
SENT = "sudah dikirim ke pelapor"  # content/texts/core.yml reply_sent (id)
# A colleague answered a moment before and the sender had not seen it: held for their word (content/texts/officer.yml
# reply_held_for_colleague), never sent twice and never lost.
HELD = "belum dikirim"
_ids = itertools.count(10_000)


def staff_of(channel: str) -> list[str]:
    return [f"{5000 + n}" if channel == "telegram" else f"62813000{n:04d}" if channel == "whatsapp"
            else f"petugas-{n}" for n in range(STAFF)]


async def answer(http: aiohttp.ClientSession, url: str, channel: str, staff: str, text: str) -> dict[str, Any]:
    """One `/balas` as the platform would deliver it; returns status and (web chat) the replies."""
    n = next(_ids)
    if channel == "webchat":
        async with http.post(f"{url}/webhooks/rest/webhook", json={"message": text},
                             headers=web_headers(url, staff)) as resp:
            return {"status": resp.status, "replies": await resp.json() if resp.status == 200 else []}
    if channel == "telegram":
        user = {"id": int(staff), "is_bot": False, "first_name": "Petugas"}
        body = json.dumps({"update_id": n, "message": {"message_id": n, "from": user, "date": 1700000000,
                                                       "chat": {"id": int(staff), "type": "private"}, "text": text}})
        async with http.post(f"{url}/webhooks/telegram", data=body,
                             headers={"X-Telegram-Bot-Api-Secret-Token": TG_SECRET,
                                      "Content-Type": "application/json"}) as resp:
            return {"status": resp.status}
    value = {"messaging_product": "whatsapp", "metadata": {"phone_number_id": WA_PHONE},
             "contacts": [{"wa_id": staff, "profile": {"name": "Petugas"}}],
             "messages": [{"from": staff, "id": f"wamid.staff.{n}", "timestamp": "1700000000", "type": "text",
                           "text": {"body": text}}]}
    raw = json.dumps({"object": "whatsapp_business_account",
                      "entry": [{"id": "1", "changes": [{"field": "messages", "value": value}]}]}).encode()
    async with http.post(f"{url}/webhooks/whatsapp", data=raw,
                         headers={"X-Hub-Signature-256": signature_of(WA_SECRET, raw),
                                  "Content-Type": "application/json"}) as resp:
        return {"status": resp.status}


# The stand-in (mongomock) scans whole collections per operation: fewer answers keep the suite fast there.
@pytest.mark.parametrize(("backend", "answers"), [("sqlite", ANSWERS), ("mongo-standalone", 10)])
async def test_four_staff_per_channel_answer_one_ticket_at_once(tmp_path: Path, nlu_model_path: Path, http,
                                                                backend: str, answers: int):
    async with FakeTelegramApi(token="777:STAFF") as telegram, FakeGraphApi(token=WA_TOKEN) as graph:
        settings = make_settings(
            tmp_path, TELEGRAM_BOT_TOKEN="777:STAFF", TELEGRAM_WEBHOOK_SECRET=TG_SECRET, TELEGRAM_MODE="webhook",
            TELEGRAM_API_BASE_URL=telegram.api_base, TELEGRAM_FILE_BASE_URL=telegram.file_base,
            WARGA_PUBLIC_URL="http://127.0.0.1:1", WHATSAPP_TOKEN=WA_TOKEN, WHATSAPP_PHONE_NUMBER_ID=WA_PHONE,
            WHATSAPP_APP_SECRET=WA_SECRET, WHATSAPP_GRAPH_URL=graph.url)
        store = (MongoStore("mongodb://stand-in", "warga_staff", client=AsyncMongoMockClient())
                 if backend.startswith("mongo") else None)
        async with running_service(settings, store=store) as svc:
            now = utcnow()
            officers = [Identity(f"{c}:{s}", c, s, ROLE_OFFICER, opd_id="dinas-pupr", created_at=now)
                        for c in ("webchat", "telegram", "whatsapp") for s in staff_of(c)]
            ticket = Ticket(number=NUMBER, kind="aduan", topic="aduan_jalan_rusak", opd_id="dinas-pupr",
                            status=STATUS_IN_PROGRESS, text="Jalan berlubang di depan balai desa", reporter=RESIDENT,
                            created_at=now, updated_at=now, due_at=now)
            await svc.store.commit(Changes(tickets=[ticket], identities=officers))
            texts = {(c, s): [f"jawaban {c} {s} nomor {i}" for i in range(answers)]
                     for c in ("webchat", "telegram", "whatsapp") for s in staff_of(c)}

            async def one_staff(channel: str, staff: str) -> list[dict[str, Any]]:
                return [await answer(http, svc.url, channel, staff, f"/balas {NUMBER} {text}")
                        for text in texts[(channel, staff)]]

            results = await asyncio.gather(*(one_staff(c, s) for c, s in texts))
            statuses = Counter(r["status"] for batch in results for r in batch)
            assert statuses == {200: STAFF * answers * 3}, statuses
            web = {s: [" ".join(x["text"] for x in r["replies"]) for r in batch]
                   for (c, s), batch in zip(texts, results, strict=True) if c == "webchat"}
            assert all(SENT in said or HELD in said for said in itertools.chain(*web.values())), web

            def told(channel: str, staff: str, what: str) -> int:
                sent = ([c.text for c in telegram.sent("sendMessage", staff)] if channel == "telegram"
                        else [s.text for s in graph.sent_to(staff)])
                return sum(what in text for text in sent)

            def answered(channel: str, staff: str) -> int:
                return told(channel, staff, SENT) + told(channel, staff, HELD)

            # Telegram and WhatsApp staff hear "sent" or "held" once per answer (handled after the 200).
            try:
                await wait_for(lambda: all(answered(c, s) >= answers for c, s in texts if c != "webchat"),
                               timeout=120)
            except AssertionError:
                pending = await svc.store.inbox_pending(1000)
                raise AssertionError(f"told: {[answered(c, s) for c, s in texts if c != 'webchat']}, pending "
                                     f"{[(i.message_id, i.attempts, i.last_error) for i in pending][:5]}") from None
            sent_events = await svc.store.ticket_events(NUMBER, "message_out")
            events = [e.text or "" for e in sent_events]
            # The resident wrote nothing in between: an answer goes out after a colleague's only once its sender was
            # shown that answer (held once), even when racing it (the ticket's version check makes the loser read
            # the winner's answer and hold); so nobody follows a colleague more often than they were held.
            follows = Counter(b.actor for a, b in itertools.pairwise(sent_events) if a.actor != b.actor)
            holds = {f"{c}:{s}": (sum(HELD in said for said in web[s]) if c == "webchat" else told(c, s, HELD))
                     for c, s in texts}
            assert all(n <= holds[actor or ""] for actor, n in follows.items()), (follows, holds)
            assert sum(holds.values()) > 0  # the race did happen
            try:
                relayed = await wait_for(lambda: _relayed(svc.store, len(events)), timeout=60)
            except AssertionError:
                dead = await svc.store.list_jobs("dead", 5)
                raise AssertionError(f"relayed {len(await _relayed(svc.store, 0) or [])}, jobs "
                                     f"{await svc.store.outbox_counts()}, {[j.last_error for j in dead]}") from None
            for channel, staff in texts:
                mine = sum(text in events for text in texts[(channel, staff)])
                if channel == "webchat":  # each answer's reply says which happened, and it is what happened
                    assert [SENT in said for said in web[staff]] == [t in events for t in texts[(channel, staff)]]
                else:
                    assert (told(channel, staff, SENT), answered(channel, staff)) == (mine, answers), (channel, staff)
            # The reply goes out inside the handling, the item is recorded done just after: wait for that, not forever.
            async def inbox_empty() -> bool:
                return not await svc.store.inbox_pending(1000)

            try:
                await wait_for(inbox_empty, timeout=60)
            except AssertionError:
                left = [(i.message_id, i.attempts, i.last_error) for i in await svc.store.inbox_pending(1000)]
                raise AssertionError(f"an answer was left pending: {left}") from None
        all_texts = [t for batch in texts.values() for t in batch]
        assert events and set(events) <= set(all_texts)
        assert Counter(events) == Counter(set(events))  # each answer sent is recorded once on the ticket
        assert Counter(re.search(r"jawaban \S+ \S+ nomor \d+", r).group(0) for r in relayed) == Counter(events)


async def _relayed(store: Any, expected: int) -> list[str] | None:
    texts = [str(r.get("text", "")) for r in await mailbox(store, RESIDENT) if "jawaban" in str(r.get("text", ""))]
    return texts if len(texts) >= expected else None
