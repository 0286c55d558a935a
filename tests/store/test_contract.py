"""The store contract: every test runs against SQLite, MongoDB over the in-process stand-in, and a
real MongoDB when MONGODB_URL is set (see conftest.py). Both backends must behave the same."""

from __future__ import annotations

import asyncio
import sqlite3
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from bot.store.base import (
    JOB_DEAD,
    JOB_DONE,
    JOB_PENDING,
    ROLE_OFFICER,
    STATUS_DONE,
    STATUS_IN_PROGRESS,
    STATUS_NEW,
    Changes,
    ConflictError,
    Conversation,
    EnrolmentCode,
    Identity,
    InboxItem,
    Media,
    OutboxJob,
    Ticket,
    TicketEvent,
    TicketQuery,
)


def ms(value: datetime) -> datetime:
    """MongoDB keeps milliseconds; test datetimes use no finer precision."""
    return value.replace(microsecond=value.microsecond // 1000 * 1000)


NOW = ms(datetime.now(UTC))
INJECTION = '{"$ne": null}'


def ticket(number: str, **kw: Any) -> Ticket:
    fields: dict[str, Any] = dict(kind="aduan", topic="aduan_jalan_rusak", opd_id="dinas-pupr", status=STATUS_NEW,
                                  text="jalan rusak", reporter="webchat:w1", created_at=NOW, updated_at=NOW,
                                  due_at=NOW + timedelta(days=3))
    fields.update(kw)
    return Ticket(number=number, **fields)


def job(key: str, **kw: Any) -> OutboxJob:
    fields: dict[str, Any] = dict(kind="deliver", payload={"to": "webchat:w1", "replies": [{"text": key}]},
                                  created_at=NOW)
    fields.update(kw)
    return OutboxJob(key=key, **fields)


def event(number: str, kind: str, **kw: Any) -> TicketEvent:
    return TicketEvent(ticket=number, kind=kind, at=kw.pop("at", NOW), **kw)


# --- conversations -----------------------------------------------------------------------------------
async def test_conversation_versions_and_conflicts(store):
    assert await store.get_conversation("webchat:w1") is None
    conv = Conversation("webchat:w1", {"flow": "complaint", "slots": {"text": "jalan", "n": [1, 2]}}, "en",
                        updated_at=NOW, last_inbound_at=NOW)
    await store.commit(Changes(conversation=conv))
    assert conv.version == 1
    stored = await store.get_conversation("webchat:w1")
    assert (stored.key, stored.state, stored.lang, stored.version) == (
        "webchat:w1", {"flow": "complaint", "slots": {"text": "jalan", "n": [1, 2]}}, "en", 1)
    assert stored.updated_at == NOW and stored.last_inbound_at == NOW

    stale = stored.copy()
    stored.state["step"] = "location"
    await store.commit(Changes(conversation=stored))
    assert stored.version == 2
    stale.state["step"] = "other"
    with pytest.raises(ConflictError):
        await store.commit(Changes(conversation=stale))
    assert stale.version == 1
    assert (await store.get_conversation("webchat:w1")).state["step"] == "location"

    # A second "first" write of the same key conflicts too.
    with pytest.raises(ConflictError):
        await store.commit(Changes(conversation=Conversation("webchat:w1", {"x": 1})))


async def test_two_workers_racing_on_one_conversation_one_wins(store, peer):
    other = await peer()
    await store.commit(Changes(conversation=Conversation("webchat:w1", {"n": 0})))
    a, b = await store.get_conversation("webchat:w1"), await other.get_conversation("webchat:w1")
    a.state["n"], b.state["n"] = "a", "b"
    results = await asyncio.gather(store.commit(Changes(conversation=a)), other.commit(Changes(conversation=b)),
                                   return_exceptions=True)
    assert sorted(type(r).__name__ for r in results) == ["ConflictError", "NoneType"]
    winner = "a" if results[0] is None else "b"
    final = await store.get_conversation("webchat:w1")
    assert final.state["n"] == winner and final.version == 2


async def test_conflicting_commit_writes_nothing(store):
    conv = Conversation("webchat:w1", {})
    await store.commit(Changes(conversation=conv))
    stale = Conversation("webchat:w1", {"flow": "x"}, version=0)
    changes = Changes(conversation=stale, tickets=[ticket("WRG-2611-0001")],
                      events=[event("WRG-2611-0001", "created")], jobs=[job("j1")],
                      identities=[Identity("webchat:w9", "webchat", "w9")],
                      media=[Media("m1", "image/jpeg", b"\xff\xd8", NOW)],
                      conversation_patches={"webchat:w2": {"note": 1}})
    with pytest.raises(ConflictError):
        await store.commit(changes)
    assert await store.get_ticket("WRG-2611-0001") is None
    assert await store.ticket_events("WRG-2611-0001") == []
    assert await store.list_jobs() == []
    assert await store.get_identity("webchat:w9") is None
    assert await store.get_media("m1") is None
    assert await store.get_conversation("webchat:w2") is None
    assert (await store.get_conversation("webchat:w1")).state == {}


async def test_a_failure_part_way_through_a_commit(store, backend):
    """All-or-nothing where the backend has transactions; otherwise the documented partial write."""
    await store.commit(Changes(conversation=Conversation("webchat:w1", {"n": 1})))
    conv = await store.get_conversation("webchat:w1")
    conv.state["n"] = 2
    broken = ticket("WRG-2611-0002", extra={"not json": object()})
    with pytest.raises(TypeError):
        await store.commit(Changes(conversation=conv, tickets=[ticket("WRG-2611-0001"), broken],
                                   jobs=[job("j1")], events=[event("WRG-2611-0001", "created")]))
    after = await store.get_conversation("webchat:w1")
    assert await store.get_ticket("WRG-2611-0002") is None and await store.list_jobs() == []
    if backend.client is not None and backend.client.transactions:
        assert backend.client.aborted == 1
    if backend.atomic:
        assert (after.state, after.version) == ({"n": 1}, 1)
        assert await store.get_ticket("WRG-2611-0001") is None
        assert await store.ticket_events("WRG-2611-0001") == []
    else:  # standalone MongoDB: ordered writes, the conversation went first (docs/mongodb.md)
        assert (after.state, after.version) == ({"n": 2}, 2)


async def test_commit_lands_everything_and_assigns_ids(store):
    conv = Conversation("webchat:w1", {"flow": None})
    t = ticket("WRG-2611-0001", media=["m1"])
    ev = [event(t.number, "created", actor="webchat:w1"), event(t.number, "routed", data={"opd": "dinas-pupr"})]
    jobs = [job("j1"), job("j2")]
    await store.commit(Changes(conversation=conv, tickets=[t], events=ev, jobs=jobs,
                               media=[Media("m1", "image/jpeg", b"\x00\xff\x00", NOW, t.number)]))
    assert await store.get_ticket(t.number) == t
    assert all(e.id for e in ev) and int(ev[0].id) < int(ev[1].id)
    assert all(j.id for j in jobs) and int(jobs[0].id) < int(jobs[1].id)
    assert (await store.get_media("m1")).data == b"\x00\xff\x00"
    await store.commit(Changes())  # an empty commit is a no-op


async def test_conversation_patches_merge_create_and_bump_version(store):
    conv = Conversation("webchat:w1", {"flow": "complaint", "keep": True})
    await store.commit(Changes(conversation=conv))
    await store.commit(Changes(conversation_patches={"webchat:w1": {"awaiting": "WRG-1", "keep": False},
                                                     "webchat:new": {"awaiting": "WRG-2"}}))
    patched = await store.get_conversation("webchat:w1")
    assert patched.state == {"flow": "complaint", "keep": False, "awaiting": "WRG-1"}
    assert patched.version == 2
    with pytest.raises(ConflictError):  # the patch moved the version on
        await store.commit(Changes(conversation=conv))
    created = await store.get_conversation("webchat:new")
    assert created.state == {"awaiting": "WRG-2"} and created.version == 1


# --- tickets and events ------------------------------------------------------------------------------
async def test_ticket_round_trip_and_upsert(store):
    t = ticket("WRG-2611-0001", privacy="anonim", location={"lat": -7.5, "lon": 111.9, "address": "Sooko"},
               media=["m1", "m2"], lang="en", confidence=0.87, priority="tinggi", extra={"nested": {"a": [1, "b"]}},
               lapor_id="L-1", reminded_at=NOW)
    await store.commit(Changes(tickets=[t]))
    assert await store.get_ticket(t.number) == t
    t.status, t.rating, t.closed_at = STATUS_DONE, 5, NOW + timedelta(hours=1)
    await store.commit(Changes(tickets=[t]))
    assert await store.get_ticket(t.number) == t
    assert await store.get_ticket("WRG-0000-0000") is None


async def test_ticket_versions_stop_lost_updates(store, peer):
    other = await peer()
    t = ticket("WRG-2611-0009")
    await store.commit(Changes(tickets=[t]))
    assert t.version == 1 and (await store.get_ticket(t.number)).version == 1
    with pytest.raises(ConflictError):  # a second "new" ticket with the same number
        await store.commit(Changes(tickets=[ticket("WRG-2611-0009", text="other")]))
    first, second = await store.get_ticket(t.number), await other.get_ticket(t.number)
    first.status = STATUS_DONE
    await store.commit(Changes(tickets=[first], events=[TicketEvent(t.number, "status", NOW, "a", "done")]))
    second.opd_id = "dlh"
    with pytest.raises(ConflictError):  # read before the first change landed: refused, nothing written
        await other.commit(Changes(tickets=[second], events=[TicketEvent(t.number, "rerouted", NOW, "b", "x")]))
    stored = await store.get_ticket(t.number)
    assert (stored.status, stored.opd_id, stored.version) == (STATUS_DONE, "dinas-pupr", 2)
    assert [e.kind for e in await store.ticket_events(t.number)] == ["status"]


async def test_list_tickets_filters_and_order(store):
    d = timedelta(days=1)
    tickets = [
        ticket("A", due_at=NOW + 3 * d, created_at=NOW - 5 * d),
        ticket("B", due_at=None, created_at=NOW - 9 * d),
        ticket("C", due_at=NOW + d, created_at=NOW - 2 * d, status=STATUS_IN_PROGRESS),
        ticket("D", due_at=NOW + d, created_at=NOW - 3 * d, opd_id="dlh", reporter="webchat:w2"),
        ticket("E", due_at=None, created_at=NOW - 1 * d, kind="bupati", opd_id=None, updated_at=NOW + d),
        ticket("F", due_at=NOW - d, created_at=NOW - 4 * d, status=STATUS_DONE),
    ]
    await store.commit(Changes(tickets=tickets))

    def numbers(items: list[Ticket]) -> list[str]:
        return [t.number for t in items]

    assert numbers(await store.list_tickets(TicketQuery())) == ["F", "D", "C", "A", "B", "E"]
    assert numbers(await store.list_tickets(TicketQuery(limit=5))) == ["F", "D", "C", "A", "B"]
    assert numbers(await store.list_tickets(TicketQuery(limit=2))) == ["F", "D"]
    assert numbers(await store.list_tickets(TicketQuery(opd_id="dinas-pupr"))) == ["F", "C", "A", "B"]
    assert numbers(await store.list_tickets(TicketQuery(statuses=(STATUS_NEW, STATUS_IN_PROGRESS)))) == [
        "D", "C", "A", "B", "E"]
    assert numbers(await store.list_tickets(TicketQuery(opd_id="dinas-pupr", statuses=(STATUS_NEW,)))) == ["A", "B"]
    assert numbers(await store.list_tickets(TicketQuery(reporter="webchat:w2"))) == ["D"]
    assert numbers(await store.list_tickets(TicketQuery(kind="bupati"))) == ["E"]
    assert numbers(await store.list_tickets(TicketQuery(due_before=NOW + 2 * d))) == ["F", "D", "C"]
    assert numbers(await store.list_tickets(TicketQuery(created_after=NOW - 3 * d))) == ["D", "C", "E"]
    assert numbers(await store.list_tickets(TicketQuery(updated_after=NOW + d))) == ["E"]
    assert numbers(await store.list_tickets(TicketQuery(statuses=()))) == []
    assert numbers(await store.list_tickets(TicketQuery(limit=0))) == []
    reminded = await store.get_ticket("D")
    reminded.reminded_at = NOW
    await store.commit(Changes(tickets=[reminded]))
    assert numbers(await store.list_tickets(TicketQuery(unreminded=True, limit=2))) == ["F", "C"]
    assert numbers(await store.list_tickets(TicketQuery(limit=2))) == ["F", "D"]


async def test_ticket_numbers_are_unique_under_concurrency(store, peer):
    other = await peer()
    seqs = await asyncio.gather(*(s.next_ticket_seq("2611") for _ in range(100) for s in (store, other)))
    assert sorted(seqs) == list(range(1, 201))
    assert await store.next_ticket_seq("2612") == 1
    assert await other.next_ticket_seq("2611") == 201


async def test_events_in_order_by_ticket_and_kind(store):
    await store.commit(Changes(events=[event("T1", "created"), event("T2", "created"),
                                       event("T1", "message_in", actor="webchat:w1", text="halo",
                                             data={"media": ["m1"], "where": {"lat": 1.5}})]))
    await store.commit(Changes(events=[event("T1", "status", data={"from": "baru", "to": "diproses"})]))
    history = await store.ticket_events("T1")
    assert [e.kind for e in history] == ["created", "message_in", "status"]
    assert [int(e.id) for e in history] == sorted(int(e.id) for e in history)
    message = history[1]
    assert (message.actor, message.text, message.data, message.at) == (
        "webchat:w1", "halo", {"media": ["m1"], "where": {"lat": 1.5}}, NOW)
    assert [e.kind for e in await store.ticket_events("T1", kind="status")] == ["status"]
    assert [e.ticket for e in await store.events_of_kind("created")] == ["T1", "T2"]
    assert [e.ticket for e in await store.events_of_kind("created", limit=1)] == ["T1"]
    assert await store.events_of_kind("created", limit=0) == []
    assert await store.ticket_events("T3") == []


# --- identities and enrolment ------------------------------------------------------------------------
async def test_identities_upsert_and_list(store):
    people = [Identity("webchat:b", "webchat", "b", ROLE_OFFICER, "dlh", "Budi", created_at=NOW),
              Identity("telegram:a", "telegram", "a", ROLE_OFFICER, "dinas-pupr", lang="en"),
              Identity("webchat:c", "webchat", "c")]
    await store.commit(Changes(identities=people))
    assert await store.get_identity("webchat:b") == people[0]
    assert [i.key for i in await store.list_identities()] == ["telegram:a", "webchat:b", "webchat:c"]
    assert [i.key for i in await store.list_identities(role=ROLE_OFFICER)] == ["telegram:a", "webchat:b"]
    assert [i.key for i in await store.list_identities(role=ROLE_OFFICER, opd_id="dlh")] == ["webchat:b"]
    people[2].name = "Citra"
    await store.commit(Changes(identities=[people[2]]))
    assert (await store.get_identity("webchat:c")).name == "Citra"
    assert await store.get_identity("webchat:zz") is None


async def test_enrolment_codes_single_use_and_expiry(store):
    await store.add_enrolment_code(EnrolmentCode("GOOD2345", ROLE_OFFICER, "dlh", NOW, NOW + timedelta(days=7)))
    await store.add_enrolment_code(EnrolmentCode("OLD23456", ROLE_OFFICER, "dlh", NOW, NOW - timedelta(seconds=1)))
    await store.add_enrolment_code(EnrolmentCode("FOREVER2", "operator", None, NOW))
    me = Identity("webchat:p1", "webchat", "p1")
    redeemed = await store.redeem_enrolment_code("GOOD2345", me, NOW)
    assert redeemed.used_by == "webchat:p1" and redeemed.used_at == NOW and redeemed.role == ROLE_OFFICER
    stored = await store.get_identity("webchat:p1")
    assert (stored.role, stored.opd_id) == (ROLE_OFFICER, "dlh")
    assert await store.redeem_enrolment_code("GOOD2345", Identity("webchat:p2", "webchat", "p2"), NOW) is None
    assert await store.get_identity("webchat:p2") is None
    assert await store.redeem_enrolment_code("OLD23456", Identity("webchat:p3", "webchat", "p3"), NOW) is None
    assert await store.redeem_enrolment_code("NOPE2345", Identity("webchat:p3", "webchat", "p3"), NOW) is None
    assert (await store.redeem_enrolment_code("FOREVER2", Identity("webchat:p4", "webchat", "p4"), NOW)).role == (
        "operator")


async def test_voided_codes_cannot_be_redeemed_and_used_ones_stay_as_they_were(store):
    await store.add_enrolment_code(EnrolmentCode("VOID2345", ROLE_OFFICER, "dlh", NOW, NOW + timedelta(days=7),
                                                 issued_by="webchat:op"))
    await store.add_enrolment_code(EnrolmentCode("USED2345", ROLE_OFFICER, "dlh", NOW, NOW + timedelta(days=7)))
    await store.add_enrolment_code(EnrolmentCode("KEEP2345", ROLE_OFFICER, "dlh", NOW, NOW + timedelta(days=7)))
    assert await store.redeem_enrolment_code("USED2345", Identity("webchat:u1", "webchat", "u1"), NOW)
    assert await store.void_enrolment_codes(["VOID2345", "USED2345", "NONE2345"], NOW) == 1
    assert await store.redeem_enrolment_code("VOID2345", Identity("webchat:u2", "webchat", "u2"), NOW) is None
    assert (await store.get_identity("webchat:u1")).role == ROLE_OFFICER
    assert await store.redeem_enrolment_code("KEEP2345", Identity("webchat:u3", "webchat", "u3"), NOW)


async def test_concurrent_redemption_only_one_wins(store, peer):
    other = await peer()
    await store.add_enrolment_code(EnrolmentCode("RACE2345", ROLE_OFFICER, "dlh", NOW, NOW + timedelta(days=1)))
    results = await asyncio.gather(*(
        s.redeem_enrolment_code("RACE2345", Identity(f"webchat:r{i}", "webchat", f"r{i}"), NOW)
        for i in range(10) for s in (store, other)))
    winners = [r for r in results if r is not None]
    assert len(winners) == 1
    officers = await store.list_identities(role=ROLE_OFFICER)
    assert [i.key for i in officers] == [winners[0].used_by]


# --- media, inbox, links, mailbox, values ------------------------------------------------------------
async def test_media_round_trip(store):
    data = bytes(range(256)) * 40
    await store.commit(Changes(media=[Media("m1", "image/png", data, NOW, "WRG-1")]))
    media = await store.get_media("m1")
    assert (media.id, media.mime, media.data, media.created_at, media.ticket) == ("m1", "image/png", data, NOW,
                                                                                   "WRG-1")
    assert await store.get_media("m2") is None


async def test_inbox_dedupe_pending_done(store):
    first = InboxItem("telegram", "100", {"update_id": 100, "message": {"text": "halo"}}, NOW)
    assert await store.inbox_add(first) is True
    assert await store.inbox_add(InboxItem("telegram", "100", {"other": 1}, NOW)) is False
    assert await store.inbox_add(InboxItem("whatsapp", "100", {"w": 1}, NOW - timedelta(seconds=5))) is True
    assert await store.inbox_add(InboxItem("telegram", "101", {"t": 2}, NOW + timedelta(seconds=5))) is True
    pending = await store.inbox_pending()
    assert [(i.channel, i.message_id) for i in pending] == [("whatsapp", "100"), ("telegram", "100"),
                                                            ("telegram", "101")]
    assert pending[1].payload == first.payload and pending[1].received_at == NOW and not pending[1].done
    assert len(await store.inbox_pending(limit=1)) == 1
    assert await store.inbox_pending(limit=0) == []
    await store.inbox_done("telegram", "100")
    assert [(i.channel, i.message_id) for i in await store.inbox_pending()] == [("whatsapp", "100"),
                                                                              ("telegram", "101")]
    assert await store.inbox_add(first) is False  # still remembered after it was processed


async def test_message_links(store):
    await store.link_message("telegram", "-100123", "55", "WRG-1")
    await store.link_message("telegram", "42", "55", "WRG-2")
    assert await store.linked_ticket("telegram", "-100123", "55") == "WRG-1"
    assert await store.linked_ticket("telegram", "42", "55") == "WRG-2"
    assert await store.linked_ticket("whatsapp", "42", "55") is None
    await store.link_message("telegram", "42", "55", "WRG-3")
    assert await store.linked_ticket("telegram", "42", "55") == "WRG-3"


async def test_mailbox_order_and_cursor(store):
    ids = [await store.mailbox_add("webchat:w1", {"text": f"m{i}", "buttons": []}, NOW) for i in range(5)]
    other = await store.mailbox_add("webchat:w2", {"text": "x"}, NOW)
    assert ids == sorted(ids) and len(set(ids)) == 5 and other > 0
    items = await store.mailbox_after("webchat:w1", 0)
    assert [i for i, _ in items] == ids and [r["text"] for _, r in items] == [f"m{i}" for i in range(5)]
    assert items[0][1] == {"text": "m0", "buttons": []}
    assert [r["text"] for _, r in await store.mailbox_after("webchat:w1", ids[2])] == ["m3", "m4"]
    assert [r["text"] for _, r in await store.mailbox_after("webchat:w1", ids[0], limit=2)] == ["m1", "m2"]
    assert await store.mailbox_after("webchat:w1", ids[-1]) == []
    assert await store.mailbox_after("webchat:w1", 0, limit=0) == []
    assert [r["text"] for _, r in await store.mailbox_after("webchat:w2", 0)] == ["x"]


async def test_mailbox_concurrent_writers_lose_nothing(store, peer):
    other = await peer()
    ids = await asyncio.gather(*(s.mailbox_add("webchat:w1", {"text": f"{n}{i}"}, NOW)
                                 for i in range(15) for n, s in (("a", store), ("b", other))))
    assert len(set(ids)) == 30
    items = await store.mailbox_after("webchat:w1", 0, limit=100)
    assert [i for i, _ in items] == sorted(ids)
    assert sorted(r["text"] for _, r in items) == sorted(f"{n}{i}" for i in range(15) for n in "ab")


async def test_named_values(store):
    assert await store.get_value("cursor") is None
    for value in (1, "x", [1, {"a": None}], {"history": [{"text": "t"}], "n": 2.5}, True):
        await store.set_value("cursor", value)
        assert await store.get_value("cursor") == value
    await store.set_value("tuple", (1, 2))
    assert await store.get_value("tuple") == [1, 2]


# --- outbox ------------------------------------------------------------------------------------------
async def test_enqueue_is_idempotent_by_key(store):
    a, b = job("deliver:1"), job("deliver:1", payload={"to": "other"})
    await store.enqueue([a])
    await store.enqueue([b])
    assert a.id is not None and b.id is None
    c = job("deliver:1")
    await store.commit(Changes(jobs=[c, job("deliver:2")]))
    assert c.id is None
    jobs = await store.list_jobs()
    assert [(j.key, j.status, j.attempts) for j in jobs] == [("deliver:1", JOB_PENDING, 0),
                                                             ("deliver:2", JOB_PENDING, 0)]
    assert jobs[0].payload == a.payload and jobs[0].id == a.id
    assert jobs[0].next_attempt_at == NOW and jobs[0].created_at == NOW


async def test_claim_lease_complete_fail_retry(store):
    later = job("later", next_attempt_at=NOW + timedelta(minutes=5))
    first, second = job("first"), job("second", created_at=NOW + timedelta(seconds=1))
    await store.enqueue([first, second, later])
    claimed = await store.claim_jobs("w1", NOW + timedelta(seconds=1), 30, 10)
    assert [j.key for j in claimed] == ["first", "second"]
    assert all(j.lease_owner == "w1" and j.lease_until == NOW + timedelta(seconds=31) for j in claimed)
    assert await store.claim_jobs("w2", NOW + timedelta(seconds=2), 30, 10) == []  # leased

    assert await store.complete_job(first.id, "w2", NOW) is False  # not the owner
    assert await store.complete_job(first.id, "w1", NOW) is True
    assert await store.complete_job(first.id, "w1", NOW) is False  # already done
    done = await store.get_job(first.id)
    assert (done.status, done.attempts, done.done_at, done.lease_owner) == (JOB_DONE, 1, NOW, None)

    # The lease of `second` expires: another worker takes it over; the old owner can no longer finish it.
    retaken = await store.claim_jobs("w2", NOW + timedelta(seconds=40), 30, 10)
    assert [j.key for j in retaken] == ["second"]
    assert await store.complete_job(second.id, "w1", NOW) is False
    assert await store.fail_job(second.id, "w1", NOW, "boom", NOW) is False
    retry_at = NOW + timedelta(seconds=60)
    assert await store.fail_job(second.id, "w2", NOW + timedelta(seconds=41), "HTTP 503", retry_at) is True
    failed = await store.get_job(second.id)
    assert (failed.status, failed.attempts, failed.last_error, failed.next_attempt_at, failed.lease_owner) == (
        JOB_PENDING, 1, "HTTP 503", retry_at, None)
    assert [j.key for j in await store.claim_jobs("w3", NOW + timedelta(seconds=59), 30, 10)] == []
    assert [j.key for j in await store.claim_jobs("w3", retry_at, 30, 10)] == ["second"]
    assert await store.fail_job(second.id, "w3", retry_at, "x" * 5000, None) is True
    dead = await store.get_job(second.id)
    assert (dead.status, dead.attempts, len(dead.last_error)) == (JOB_DEAD, 2, 1000)
    assert [j.key for j in await store.claim_jobs("w3", NOW + timedelta(days=1), 30, 10)] == ["later"]

    assert await store.outbox_counts() == {JOB_PENDING: 1, JOB_DONE: 1, JOB_DEAD: 1}
    assert [j.key for j in await store.list_jobs(JOB_DEAD)] == ["second"]
    assert [j.key for j in await store.list_jobs(limit=2)] == ["first", "second"]
    assert await store.list_jobs(limit=0) == []

    assert await store.retry_job(first.id, NOW) is False  # done jobs stay done
    assert await store.retry_job(second.id, NOW + timedelta(days=2)) is True
    again = await store.get_job(second.id)
    assert (again.status, again.attempts, again.next_attempt_at, again.lease_owner) == (
        JOB_PENDING, 0, NOW + timedelta(days=2), None)
    assert await store.outbox_counts() == {JOB_PENDING: 2, JOB_DONE: 1, JOB_DEAD: 0}
    for bad in ("999999", "not-a-number"):
        assert await store.get_job(bad) is None
        assert await store.retry_job(bad, NOW) is False
    # A job a worker holds is not taken from it (it could be sent twice); once its lease has run out, it is.
    held_at = NOW + timedelta(days=1)  # w3 took `later` then, for 30 seconds
    assert await store.retry_job(later.id, held_at + timedelta(seconds=10)) is False
    assert (await store.get_job(later.id)).lease_owner == "w3"
    assert await store.retry_job(later.id, held_at + timedelta(seconds=31)) is True


async def test_claim_respects_limit_and_order(store):
    jobs = [job(f"k{i}", next_attempt_at=NOW - timedelta(seconds=10 - i)) for i in range(5)]
    await store.enqueue(list(reversed(jobs)))
    assert [j.key for j in await store.claim_jobs("w1", NOW, 30, 2)] == ["k0", "k1"]
    assert [j.key for j in await store.claim_jobs("w2", NOW, 30, 10)] == ["k2", "k3", "k4"]


async def test_two_owners_never_claim_the_same_job(store, peer):
    other = await peer()
    await store.enqueue([job(f"k{i}") for i in range(40)])
    batches = await asyncio.gather(*(s.claim_jobs(f"w{n}-{i}", NOW, 30, 3)
                                     for i in range(10) for n, s in ((1, store), (2, other))))
    ids = [j.id for batch in batches for j in batch]
    assert len(ids) == len(set(ids)) == 40
    for batch in batches:
        for claimed in batch:
            assert (await store.get_job(claimed.id)).lease_owner == claimed.lease_owner


# --- residents' text is data, never a query ----------------------------------------------------------
async def test_operator_like_text_is_stored_literally(store):
    await store.commit(Changes(identities=[Identity("webchat:a", "webchat", "a")]))
    await store.add_enrolment_code(EnrolmentCode("CODE2345", ROLE_OFFICER, "dlh", NOW))
    weird = {"$ne": None, "a.b": {"$gt": ""}, "%2E": "percent", "$where": "1"}
    conv = Conversation("webchat:a", {"draft": INJECTION, "raw": weird})
    t = ticket("WRG-2611-0009", text=INJECTION, extra=weird, location={"address": INJECTION})
    await store.commit(Changes(conversation=conv, tickets=[t],
                               events=[event(t.number, "message_in", text=INJECTION, data=weird)],
                               jobs=[job(INJECTION, payload=weird)]))
    assert (await store.get_conversation("webchat:a")).state == {"draft": INJECTION, "raw": weird}
    assert await store.get_ticket(t.number) == t
    assert (await store.ticket_events(t.number))[0].data == weird
    assert (await store.list_jobs())[0].payload == weird and (await store.list_jobs())[0].key == INJECTION
    await store.set_value("plain", 1)
    assert await store.get_value(INJECTION) is None
    await store.set_value(INJECTION, weird)
    assert await store.get_value(INJECTION) == weird and await store.get_value("plain") == 1
    assert await store.inbox_add(InboxItem("webchat", INJECTION, weird, NOW)) is True
    assert (await store.inbox_pending())[0].payload == weird
    assert await store.get_identity(INJECTION) is None
    assert await store.get_conversation(INJECTION) is None
    assert await store.get_ticket(INJECTION) is None
    assert await store.linked_ticket("telegram", INJECTION, INJECTION) is None
    assert await store.mailbox_after(INJECTION, 0) == []
    assert await store.list_tickets(TicketQuery(reporter=INJECTION)) == []
    assert await store.redeem_enrolment_code(INJECTION, Identity("webchat:b", "webchat", "b"), NOW) is None
    assert (await store.get_identity("webchat:b")) is None
    # Anything but text as a key is refused outright, never turned into a filter.
    with pytest.raises((TypeError, sqlite3.ProgrammingError)):
        await store.get_identity({"$ne": None})


# --- MongoDB only: the indexes exist and serve the queries -------------------------------------------
async def test_indexes_exist(store, backend):
    if backend.name == "sqlite":
        pytest.skip("SQLite indexes are in its schema")
    assert store.transactions is backend.atomic
    info = await store.db["tickets"].index_information()
    assert {"number_unique", "opd_status_queue", "status_queue", "reporter_recent"} <= set(info)
    assert info["number_unique"].get("unique")
    assert "key_unique" in await store.db["jobs"].index_information()
    inbox = await store.db["inbox"].index_information()
    assert inbox["done_ttl"]["expireAfterSeconds"] == 30 * 24 * 3600
    facts = await store.db["facts"].index_information()
    assert {"created_number", "opd_created", "status_created", "opd_hours", "opd_resolution", "stale",
            "pin"} <= set(facts)
    await store.open()  # idempotent


QUERIES = [
    ("tickets", {"opd_id": "dlh", "status": {"$in": ["baru"]}, "due_at": {"$ne": None}},
     [("due_at", 1), ("created_at", 1), ("number", 1)], "opd_status_queue"),
    ("tickets", {"status": {"$in": ["baru", "diproses"]}, "due_at": {"$lt": NOW, "$ne": None}},
     [("due_at", 1)], "status_queue"),
    ("tickets", {"reporter": "webchat:w1", "due_at": None}, [("created_at", 1)], "reporter_recent"),
    ("events", {"ticket": "WRG-1"}, [("_id", 1)], "ticket_seq"),
    ("events", {"kind": "created"}, [("_id", 1)], "kind_seq"),
    ("identities", {"role": "officer", "opd_id": "dlh"}, [("_id", 1)], "role_opd_key"),
    ("inbox", {"done": False}, [("received_at", 1), ("_id", 1)], "pending_order"),
    ("mailbox", {"key": "webchat:w1", "n": {"$gt": 3}}, [("n", 1)], "key_seq_unique"),
    ("jobs", {"status": "pending", "next_attempt_at": {"$lte": NOW}}, [("next_attempt_at", 1), ("_id", 1)], "due"),
    ("message_links", {"channel": "telegram", "chat_id": "1", "message_id": "2"}, None, "link_unique"),
]


def _index_names(plan: Any) -> set[str]:
    found: set[str] = set()
    if isinstance(plan, dict):
        if plan.get("stage") == "IXSCAN":
            found.add(plan.get("indexName"))
        for value in plan.values():
            found |= _index_names(value)
    elif isinstance(plan, list):
        for value in plan:
            found |= _index_names(value)
    return found


@pytest.mark.parametrize("collection,filter_,sort,index", QUERIES, ids=[q[3] for q in QUERIES])
async def test_queries_use_indexes(store, backend, collection, filter_, sort, index):
    """explain() on a real server; the stand-in has no planner (see docs/mongodb.md)."""
    if backend.name != "mongo":
        pytest.skip("explain needs a real MongoDB (set MONGODB_URL)")
    cursor = store.db[collection].find(filter_)
    if sort:
        cursor = cursor.sort(sort)
    plan = await cursor.explain()
    assert index in _index_names(plan["queryPlanner"]["winningPlan"]), plan["queryPlanner"]["winningPlan"]


# --- inbox claims, leases and poison -------------------------------------------------------------------
async def test_inbox_claim_lease_takeover_and_attempts(store, peer):
    other = await peer()
    for n in range(3):
        await store.inbox_add(InboxItem("telegram", str(n), {"n": n}, NOW + timedelta(seconds=n)))
    await store.inbox_add(InboxItem("whatsapp", "w", {"n": 9}, NOW))
    first = await store.inbox_claim("a", NOW, 30, 2, channel="telegram")
    assert [(i.message_id, i.attempts, i.lease_owner) for i in first] == [("0", 1, "a"), ("1", 1, "a")]
    # A second worker gets only what is free; a specific id that is leased is not given twice.
    assert [i.message_id for i in await other.inbox_claim("b", NOW, 30, 10, channel="telegram")] == ["2"]
    assert await other.inbox_claim("b", NOW, 30, 10, channel="telegram", message_id="0") == []
    assert await other.inbox_renew("telegram", "0", "b", NOW + timedelta(seconds=60)) is False
    assert await store.inbox_renew("telegram", "0", "a", NOW + timedelta(seconds=60)) is True
    # Worker a dies: after its lease ran out, b takes item 1 over (0 was renewed, so it stays a's);
    # b's own expired lease on 2 is claimed again too.
    later = NOW + timedelta(seconds=31)
    taken = await other.inbox_claim("b", later, 30, 10, channel="telegram")
    assert [(i.message_id, i.attempts, i.lease_owner) for i in taken] == [("1", 2, "b"), ("2", 2, "b")]
    # A failed attempt keeps its error and is left alone until its retry time.
    assert await other.inbox_release("telegram", "1", "a", "not mine", later) is False
    assert await other.inbox_release("telegram", "1", "b", "boom", later + timedelta(seconds=5)) is True
    assert await other.inbox_claim("b", later, 30, 10, channel="telegram", message_id="1") == []
    again = await other.inbox_claim("b", later + timedelta(seconds=5), 30, 10, channel="telegram", message_id="1")
    assert [(i.attempts, i.last_error) for i in again] == [(3, "boom")]
    # Poison: finished with its error, never claimed again, still deduplicated.
    await other.inbox_done("telegram", "1", error="poison: boom")
    await store.inbox_done("telegram", "0")
    far = NOW + timedelta(days=1)
    assert [i.message_id for i in await store.inbox_claim("a", far, 30, 10)] == ["w", "2"]
    assert await store.inbox_add(InboxItem("telegram", "1", {}, NOW)) is False
    assert sorted(i.message_id for i in await store.inbox_pending()) == ["2", "w"]


async def test_inbox_two_owners_never_claim_the_same_item(store, peer):
    other = await peer()
    for n in range(20):
        await store.inbox_add(InboxItem("whatsapp", f"m{n}", {}, NOW))
    batches = await asyncio.gather(*(s.inbox_claim(name, NOW, 30, 1, channel="whatsapp")
                                     for _ in range(10) for s, name in ((store, "a"), (other, "b"))))
    claimed = [i.message_id for batch in batches for i in batch]
    assert len(claimed) == len(set(claimed)) == 20


async def test_compare_and_set_values(store, peer):
    other = await peer()
    assert await store.set_value_if("held", None, [{"text": "a"}]) is True
    assert await other.set_value_if("held", None, [{"text": "b"}]) is False  # exists already
    assert await other.set_value_if("held", [{"text": "x"}], []) is False  # not what is stored
    assert await other.set_value_if("held", [{"text": "a"}], [{"text": "a"}, {"text": "b"}]) is True
    assert await store.get_value("held") == [{"text": "a"}, {"text": "b"}]


async def test_update_value_loses_nothing_between_workers(store, peer):
    from bot.store.base import update_value

    other = await peer()
    await asyncio.gather(*(update_value(s, "list", lambda v, i=i: (v or []) + [i])
                           for i in range(20) for s in (store, other)))
    assert sorted(await store.get_value("list")) == sorted(list(range(20)) * 2)


async def test_named_leases(store, peer):
    other = await peer()
    assert await store.acquire_lease("periodic:sla", "a", NOW, 60) is True
    assert await other.acquire_lease("periodic:sla", "b", NOW + timedelta(seconds=30), 60) is False
    assert await store.acquire_lease("periodic:sla", "a", NOW + timedelta(seconds=30), 60) is True  # extends
    assert await other.acquire_lease("periodic:sla", "b", NOW + timedelta(seconds=89), 60) is False
    assert await other.acquire_lease("periodic:sla", "b", NOW + timedelta(seconds=90), 60) is True
    assert await other.acquire_lease("periodic:digest", "a", NOW, 60) is True  # another name
    results = await asyncio.gather(*(s.acquire_lease("race", n, NOW, 60) for s, n in ((store, "a"), (other, "b"))))
    assert sorted(results) == [False, True]


async def test_a_stale_ticket_writes_nothing_not_even_the_conversation(store):
    """The issue's standalone case: the ticket conflict is found before the conversation is written."""
    await store.commit(Changes(conversation=Conversation("webchat:o1", {"n": 1}), tickets=[ticket("WRG-2611-0005")]))
    conv = await store.get_conversation("webchat:o1")
    stale = ticket("WRG-2611-0005", version=0)  # read before it existed: must not overwrite
    conv.state["n"] = 2
    with pytest.raises(ConflictError):
        await store.commit(Changes(conversation=conv, tickets=[stale], jobs=[job("j5")]))
    after = await store.get_conversation("webchat:o1")
    assert (after.state, after.version) == ({"n": 1}, 1) and await store.list_jobs() == []


async def test_mongo_pins_primary_reads_and_majority_journaled_writes(store, backend):
    """Whatever the URL says. The stand-in only records the options (it has one copy of the data, no
    replica set): that they take effect on failover needs the real replica set (MONGODB_URL)."""
    if backend.name == "sqlite":
        pytest.skip("MongoDB only")
    from pymongo import ReadPreference, WriteConcern

    assert store.db.read_preference == ReadPreference.PRIMARY
    assert store.db.write_concern == WriteConcern(w="majority", j=True)
    if backend.name == "mongo-standin-txn":  # a transaction takes its options from the client, not the db
        from pymongo.read_concern import ReadConcern

        await store.commit(Changes(conversation=Conversation("webchat:pin", {"n": 1})))
        options = backend.client.transaction_options
        assert options["read_preference"] == ReadPreference.PRIMARY
        assert options["write_concern"] == WriteConcern(w="majority", j=True)
        assert options["read_concern"] == ReadConcern("majority")


def test_a_url_asking_for_secondaries_or_w1_does_not_change_the_client():
    """The client the store makes is pinned too, so sessions and transactions inherit primary and majority."""
    from pymongo import AsyncMongoClient, ReadPreference, WriteConcern

    from bot.store.mongo import READ_PREFERENCE, WRITE_CONCERN, _client_options

    url = "mongodb://db1:27017,db2:27017/?replicaSet=rs0&readPreference=secondaryPreferred&w=1&journal=false"
    client = AsyncMongoClient(url, connect=False, **_client_options(READ_PREFERENCE, WRITE_CONCERN))
    assert client.read_preference == ReadPreference.PRIMARY
    assert client.write_concern == WriteConcern(w="majority", j=True)


async def test_mailbox_dedupe_records_a_retried_delivery_once(store, peer):
    other = await peer()
    first = await store.mailbox_add("webchat:w1", {"text": "kartu"}, NOW, dedupe="deliver:regent:1#0")
    again = await other.mailbox_add("webchat:w1", {"text": "kartu"}, NOW, dedupe="deliver:regent:1#0")
    plain = [await store.mailbox_add("webchat:w1", {"text": "x"}, NOW) for _ in range(2)]
    assert again == first and len(set(plain)) == 2
    assert [r["text"] for _, r in await store.mailbox_after("webchat:w1", 0)] == ["kartu", "x", "x"]


async def test_inbox_add_can_store_an_item_already_leased(store, peer):
    other = await peer()
    leased = InboxItem("telegram", "200", {"n": 1}, NOW, lease_owner="a", lease_until=NOW + timedelta(seconds=30))
    assert await store.inbox_add(leased) is True
    assert await other.inbox_claim("b", NOW, 30, 10) == []  # a holds it
    taken = await other.inbox_claim("b", NOW + timedelta(seconds=31), 30, 10)
    assert [(i.message_id, i.attempts, i.lease_owner) for i in taken] == [("200", 2, "b")]


async def test_workers_starting_together_agree_on_one_session_key(store, peer):
    """Without WARGA_SESSION_SECRET the key is made once and kept in the store; two workers starting at the
    same moment on an empty store must not each keep their own (a session signed by one would fail on the other)."""
    from bot.settings import WebSettings
    from bot.web.session import SessionSigner

    other = await peer()
    signers = [SessionSigner(WebSettings()) for _ in range(4)]
    await asyncio.gather(*(signer.load_secret(s) for signer, s in zip(signers, [store, other] * 2, strict=True)))
    assert len({signer._secret for signer in signers}) == 1
    assert signers[0]._secret.decode() == await store.get_value("web.session_secret")
