"""`python -m bot migrate sqlite-to-mongo` on a populated SQLite store, into MongoDB over the stand-in."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from bot.store import migrate as migrate_module
from bot.store.base import (
    JOB_DEAD,
    JOB_DONE,
    JOB_PENDING,
    ROLE_OFFICER,
    Changes,
    Conversation,
    EnrolmentCode,
    Identity,
    InboxItem,
    Media,
    OutboxJob,
    Ticket,
    TicketEvent,
)
from bot.store.migrate import TABLES, migrate
from bot.store.mongo import MongoStore
from bot.store.sqlite import SqliteStore
from tests.fakes.async_mongomock import AsyncMongoMockClient
from tests.harness import make_settings

NOW = datetime.now(UTC)  # with microseconds: MongoDB keeps milliseconds, the checksums must agree anyway

EXPECTED = {"conversations": 4, "tickets": 3, "events": 7, "identities": 3, "enrolment_codes": 2, "media": 2,
            "inbox": 3, "message_links": 2, "mailbox": 4, "kv": 2, "counters": 2, "jobs": 4}


async def populate(store: SqliteStore) -> None:
    """A small regency: tickets with history, officers, photos, deliveries in every state."""
    for i in range(1, 4):
        number = f"WRG-2611-{await store.next_ticket_seq('2611'):04d}"
        t = Ticket(number=number, kind="aduan", topic="aduan_jalan_rusak", opd_id="dinas-pupr", status="baru",
                   text=f"jalan rusak {i} " + '{"$ne": null}', reporter=f"webchat:w{i}",
                   created_at=NOW - timedelta(days=i), updated_at=NOW,
                   due_at=NOW + timedelta(days=i) if i < 3 else None,
                   location={"lat": -7.5, "lon": 111.9, "address": f"Desa {i}"}, media=[f"m{i}"] if i < 3 else [],
                   extra={"a.b": 1, "$x": [NOW.isoformat()]})
        conv = Conversation(f"webchat:w{i}", {"flow": None, "last": number}, updated_at=NOW, last_inbound_at=NOW)
        events = [TicketEvent(number, "created", NOW, actor=t.reporter), TicketEvent(number, "routed", NOW,
                                                                                       data={"opd": "dinas-pupr"})]
        media = [Media(f"m{i}", "image/jpeg", bytes([i]) * 1000 + b"\x00", NOW, number)] if i < 3 else []
        jobs = [OutboxJob(key=f"deliver:{number}", kind="deliver", payload={"to": "webchat:p1", "replies": [
            {"text": f"card {number}"}]}, created_at=NOW)]
        await store.commit(Changes(conversation=conv, tickets=[t], events=events[: 3 if i == 1 else 2] + (
            [TicketEvent(number, "message_in", NOW, text="halo")] if i == 1 else []), jobs=jobs, media=media))
    await store.next_ticket_seq("2612")
    await store.commit(Changes(conversation_patches={"webchat:p1": {"has_reply": True}},
                               identities=[Identity("webchat:w1", "webchat", "w1", created_at=NOW)]))
    await store.add_enrolment_code(EnrolmentCode("CODE2345", ROLE_OFFICER, "dinas-pupr", NOW, NOW + timedelta(days=7)))
    await store.add_enrolment_code(EnrolmentCode("SPARE234", ROLE_OFFICER, "dlh", NOW, NOW + timedelta(days=7)))
    await store.redeem_enrolment_code("CODE2345", Identity("webchat:p1", "webchat", "p1", name="Petugas"), NOW)
    await store.commit(Changes(identities=[Identity("telegram:-100", "telegram", "-100", ROLE_OFFICER, "dlh")]))
    await store.enqueue([OutboxJob(key="lapor:1", kind="lapor_create", payload={"ticket": "WRG-2611-0001"},
                                   created_at=NOW)])
    jobs = await store.claim_jobs("w", NOW + timedelta(seconds=1), 30, 10)
    assert len(jobs) == 4
    await store.complete_job(jobs[0].id, "w", NOW)
    await store.fail_job(jobs[1].id, "w", NOW, "HTTP 500", None)
    await store.fail_job(jobs[2].id, "w", NOW, "HTTP 503", NOW + timedelta(minutes=1))
    for n in range(3):
        await store.inbox_add(InboxItem("telegram", str(100 + n), {"update_id": 100 + n, "$where": "x"}, NOW))
    await store.inbox_done("telegram", "100")
    await store.link_message("telegram", "-100", "7", "WRG-2611-0001")
    await store.link_message("webchat", "p1", "8", "WRG-2611-0002")
    for n in range(3):
        await store.mailbox_add("webchat:p1", {"text": f"kartu {n}", "buttons": [{"payload": "/balas 1"}]}, NOW)
    await store.mailbox_add("webchat:w1", {"text": "jawaban"}, NOW)
    await store.mailbox_add("webchat:old", {"text": "expired"}, NOW - timedelta(days=40))  # past the TTL
    await store.set_value("whatsapp:pending:628", [{"text": "x"}])
    await store.set_value("digest:last", NOW.isoformat())


@pytest.fixture
async def source(tmp_path: Path) -> Any:
    store = SqliteStore(tmp_path / "var" / "warga.sqlite3")
    await store.open()
    await populate(store)
    yield store
    await store.close()


@pytest.fixture
async def target() -> Any:
    store = MongoStore("mongodb://stand-in", "warga", client=AsyncMongoMockClient())
    await store.open()
    yield store
    await store.close()


def counts(report: Any) -> dict[str, tuple[int, int]]:
    return {c.name: (c.source_count, c.target_count) for c in report.collections}


async def test_migration_copies_everything_and_verifies(source, target):
    lines: list[str] = []
    report = await migrate(source, target, lines.append)
    assert report.complete and report.ok, "\n".join(lines)
    assert counts(report) == {name: (n, n) for name, n in EXPECTED.items()}
    assert report.copied == sum(EXPECTED.values())
    assert all(c.source_checksum == c.target_checksum and len(c.source_checksum) == 64 for c in report.collections)
    table = lines[-1]
    assert "Verified" in table and "tickets" in table and table.count("OK") == len(TABLES)

    # What the service reads from MongoDB afterwards is what SQLite had.
    for number in ("WRG-2611-0001", "WRG-2611-0002", "WRG-2611-0003"):
        old, new = await source.get_ticket(number), await target.get_ticket(number)
        assert new.extra == old.extra and new.text == old.text and new.location == old.location
        assert [e.kind for e in await target.ticket_events(number)] == [e.kind for e in
                                                                          await source.ticket_events(number)]
    assert (await target.get_media("m1")).data == (await source.get_media("m1")).data
    assert (await target.get_identity("webchat:p1")).role == ROLE_OFFICER
    assert await target.redeem_enrolment_code("CODE2345", Identity("webchat:x", "webchat", "x"), NOW) is None
    assert await target.outbox_counts() == {JOB_PENDING: 2, JOB_DONE: 1, JOB_DEAD: 1}
    assert await target.inbox_add(InboxItem("telegram", "101", {}, NOW)) is False
    assert [i.message_id for i in await target.inbox_pending()] == ["101", "102"]
    assert await target.linked_ticket("telegram", "-100", "7") == "WRG-2611-0001"
    assert await target.get_value("whatsapp:pending:628") == [{"text": "x"}]
    assert await target.get_conversation("webchat:p1") == await source.get_conversation("webchat:p1")
    old_box = await source.mailbox_after("webchat:p1", 0)
    assert await target.mailbox_after("webchat:p1", 0) == old_box
    assert await target.mailbox_after("webchat:old", 0) == []

    # Numbers and ids continue after the migrated ones; a web chat cursor stays valid.
    assert await target.next_ticket_seq("2611") == 4
    assert await target.next_ticket_seq("2612") == 2
    assert await target.mailbox_add("webchat:p1", {"text": "baru"}, NOW) > old_box[-1][0]
    job = OutboxJob(key="new", kind="deliver", payload={}, created_at=NOW)
    await target.enqueue([job])
    assert int(job.id) > max(int(j.id) for j in await source.list_jobs())
    event = TicketEvent("WRG-2611-0001", "status", NOW)
    await target.commit(Changes(events=[event]))
    assert int(event.id) > max(int(e.id) for e in await source.events_of_kind("created"))


async def test_second_run_copies_nothing_new(source, target):
    await migrate(source, target, lambda _: None)
    lines: list[str] = []
    again = await migrate(source, target, lines.append)
    assert again.ok and again.copied == 0
    assert counts(again) == {name: (n, n) for name, n in EXPECTED.items()}


async def test_interrupted_run_resumes_without_duplicates(source, target):
    first = await migrate(source, target, lambda _: None, batch_size=3, limit=11)
    assert not first.complete and not first.ok and first.copied == 11
    second = await migrate(source, target, lambda _: None, batch_size=3, limit=9)
    assert not second.complete and second.copied == 9
    lines: list[str] = []
    last = await migrate(source, target, lines.append, batch_size=3)
    assert last.ok, "\n".join(lines)
    assert last.copied == sum(EXPECTED.values()) - 20
    assert any("resuming after" in line for line in lines)
    assert counts(last) == {name: (n, n) for name, n in EXPECTED.items()}


async def test_a_difference_is_reported(source, target):
    await migrate(source, target, lambda _: None)
    await target.db["tickets"].update_one({"_id": "WRG-2611-0002"}, {"$set": {"status": "selesai"}})
    await target.db["mailbox"].delete_one({"key": "webchat:w1"})
    lines: list[str] = []
    report = await migrate(source, target, lines.append)
    bad = {c.name for c in report.collections if not c.ok}
    assert bad == {"tickets", "mailbox"} and not report.ok
    assert "MISMATCH" in lines[-1] and "FAILED" in lines[-1]


async def test_command_needs_mongodb_url(tmp_path, capsys):
    settings = make_settings(tmp_path)
    assert await migrate_module.main(settings) == 2
    assert "MONGODB_URL is not set" in capsys.readouterr().err


async def test_command_end_to_end(tmp_path, monkeypatch, capsys):
    settings = make_settings(tmp_path, MONGODB_URL="mongodb://db.example:27017/?replicaSet=rs0", MONGODB_DB="w")
    assert await migrate_module.main(settings) == 2  # no SQLite store yet
    assert "nothing to migrate" in capsys.readouterr().err
    store = SqliteStore(settings.sqlite_path)
    await store.open()
    await populate(store)
    await store.close()
    client = AsyncMongoMockClient()
    monkeypatch.setattr(migrate_module, "MongoStore", lambda url, db: MongoStore(url, db, client=client))
    assert await migrate_module.main(settings) == 0
    out = capsys.readouterr().out
    assert "Verified" in out and "MISMATCH" not in out
    check = MongoStore("x", "w", client=client)
    await check.open()
    assert (await check.get_ticket("WRG-2611-0001")).reporter == "webchat:w1"


async def test_a_database_in_use_is_refused_unless_forced(source, target, tmp_path, monkeypatch, capsys):
    from bot.store.base import Changes, Conversation

    await target.commit(Changes(conversation=Conversation("telegram:live", {"flow": "complaint"})))
    with pytest.raises(migrate_module.TargetInUse):
        await migrate(source, target, lambda _: None)
    assert await target.get_ticket("WRG-2611-0001") is None  # nothing was copied over it
    report = await migrate(source, target, lambda _: None, force=True)
    assert report.complete and await target.get_ticket("WRG-2611-0001") is not None
    assert (await target.get_conversation("telegram:live")).state == {"flow": "complaint"}  # its own data stays
    # ... and the verification says the target holds more than the source.
    assert {c.name for c in report.collections if not c.ok} == {"conversations"}
    # The command says so and exits 3.
    settings = make_settings(tmp_path / "cmd", MONGODB_URL="mongodb://db.example:27017/?replicaSet=rs0",
                             MONGODB_DB="w")
    store = SqliteStore(settings.sqlite_path)
    await store.open()
    await populate(store)
    await store.close()
    client = AsyncMongoMockClient()
    used = MongoStore("x", "w", client=client)
    await used.open()
    await used.commit(Changes(conversation=Conversation("webchat:live", {})))
    monkeypatch.setattr(migrate_module, "MongoStore", lambda url, db: MongoStore(url, db, client=client))
    assert await migrate_module.main(settings) == 3
    assert "--force" in capsys.readouterr().err
    assert await migrate_module.main(settings, force=True) == 1  # copied; the extra live record is reported
    assert await check_copied(client)


async def check_copied(client: Any) -> bool:
    check = MongoStore("x", "w", client=client)
    await check.open()
    try:
        return await check.get_ticket("WRG-2611-0001") is not None
    finally:
        await check.close()


async def test_a_rerun_after_the_source_changed_needs_force_and_then_matches(source, target):
    await migrate(source, target, lambda _: None)
    ticket = await source.get_ticket("WRG-2611-0001")
    ticket.status = "selesai"
    from bot.store.base import Changes

    await source.commit(Changes(tickets=[ticket]))
    lines: list[str] = []
    resumed = await migrate(source, target, lines.append)  # ours: resumes, copies only new rows
    assert not resumed.ok and any("--force" in line for line in lines)
    forced = await migrate(source, target, lambda _: None, force=True)
    assert forced.ok and (await target.get_ticket("WRG-2611-0001")).status == "selesai"
