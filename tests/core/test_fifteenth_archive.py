"""Archived reports (`/arsipkan`, status `diarsipkan`), from the fifteenth session, over real HTTP: the status an
archived ticket shows its reporter and staff (no running deadline: when, why and where to go instead); the regent's
disposition of an archived ticket; archiving from the web desk; and the stores reading an archived ticket back."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from bot.store.base import (
    OPEN_STATUSES,
    STATUS_ARCHIVED,
    STATUS_IN_PROGRESS,
    STATUS_NEW,
    Changes,
    FactsFilter,
    OversightStore,
    Ticket,
    TicketEvent,
    TicketQuery,
)

# `svc` is the service on a settable `clock` (Monday 7 December 2026, 09:00 in the regency)
from tests.core.test_eighth_look import clock, svc  # noqa: F401
from tests.core.test_flows import enrol, file_complaint
from tests.core.test_thirteenth_staff import received
from tests.desk.test_desk_actions import csrf_of
from tests.desk.test_desk_http import staff_client
from tests.harness import payloads, say, texts

# `backend`/`store`: SQLite and MongoDB over the in-process stand-in (standalone and replica set)
from tests.store.conftest import backend, store  # noqa: F401

REASON = "gangguan listrik ditangani PLN"


async def archived_complaint(http: Any, svc: Any, tag: str) -> str:  # noqa: F811
    """A complaint of `warga-{tag}` (Dinas PUPR's, due Monday 21 December) archived by `operator-{tag}` as PLN's."""
    await enrol(http, svc, f"operator-{tag}", role="operator", opd=None)
    number = await file_complaint(http, svc.url, f"warga-{tag}")
    said = texts(await say(http, svc.url, f"operator-{tag}", f"/arsipkan {number} luar_pln {REASON}"))
    assert f"Aduan {number} diarsipkan" in said, said
    return number


# --- 1. the status of an archived ticket: no running deadline, but when, why and where to go ---------------------
async def test_the_reporter_of_an_archived_ticket_sees_when_and_why_and_where_to_go_not_a_deadline(
        svc, http, clock):  # noqa: F811
    number = await archived_complaint(http, svc, "a1")
    clock.now += timedelta(days=3)
    replies = await say(http, svc.url, "warga-a1", f"/status {number}")
    said = texts(replies)
    assert f"Status tiket *{number}*" in said and "Diarsipkan (di luar kewenangan" in said, said
    assert "Batas waktu" not in said and "21 Desember" not in said, said  # the deadline it had runs no more
    assert "tidak ada batas waktu penanganan" in said, said
    assert "• Diarsipkan: Senin, 7 Desember 2026 09.00" in said and f"• Alasan: {REASON}" in said, said
    assert "Yang berwenang: PLN" in said and "PLN 123" in said, said  # where to go instead
    assert said.count(REASON) == 1, said  # not again as the officers' latest answer
    assert "/bupati" in payloads(replies) and f"/tanggapi {number}" not in payloads(replies), payloads(replies)


async def test_an_archived_ticket_without_an_outside_body_points_to_lapor(svc, http, clock):  # noqa: F811
    await enrol(http, svc, "operator-a2", role="operator", opd=None)
    number = await file_complaint(http, svc.url, "warga-a2")
    await say(http, svc.url, "operator-a2", f"/arsipkan {number} sengketa tanah antarwarga, ranah pengadilan")
    said = texts(await say(http, svc.url, "warga-a2", "/status"))  # their one ticket
    assert "• Alasan: sengketa tanah antarwarga, ranah pengadilan" in said and "SP4N-LAPOR!" in said, said
    assert "Batas waktu" not in said, said


async def test_staff_see_an_archived_ticket_without_a_running_deadline(svc, http, clock):  # noqa: F811
    await enrol(http, svc, "pupr-a3")
    await enrol(http, svc, "bupati-a3", role="regent", opd=None)
    number = await archived_complaint(http, svc, "a3")
    for who in ("pupr-a3", "bupati-a3", "operator-a3"):
        said = texts(await say(http, svc.url, who, f"/info {number}"))
        assert "Batas waktu: tidak berlaku lagi, diarsipkan oleh Operator (" in said, (who, said)
        assert "pada Senin, 7 Desember 2026 09.00" in said and f"Alasan pengarsipan: {REASON}" in said, said
        assert "21 Desember" not in said, said
    officer = await svc.store.get_identity("webchat:pupr-a3")
    async with await staff_client(svc, officer) as desk, desk.get(f"{svc.url}/desk/tiket/{number}") as resp:
        page = await resp.text()
    assert resp.status == 200, page
    assert "tidak berlaku, aduan diarsipkan" in page and "21-12-2026" not in page, page
    assert "07-12-2026 09:00 oleh Operator (" in page and REASON in page, page
    open_one = await file_complaint(http, svc.url, "warga-a3b")  # an open ticket keeps its deadline everywhere
    assert "Batas waktu: Senin, 21 Desember 2026" in texts(await say(http, svc.url, "pupr-a3", f"/info {open_one}"))
    said = texts(await say(http, svc.url, "warga-a3b", f"/status {open_one}"))
    assert "• Batas waktu: Senin, 21 Desember 2026" in said, said


# --- 2. the regent's disposition of an archived ticket ----------------------------------------------------------
async def test_the_regent_disposing_an_archived_ticket_hears_who_archived_it_when_why_and_what_he_can_do(
        svc, http, clock):  # noqa: F811
    await enrol(http, svc, "bupati-a4", role="regent", opd=None)
    number = await archived_complaint(http, svc, "a4")
    clock.now += timedelta(days=1)
    for typed in (f"/disposisi {number} dinas-pupr Tolong tetap dicek", f"/disposisi {number}"):
        replies = await say(http, svc.url, "bupati-a4", typed)
        said = texts(replies)
        assert f"Aduan {number} tidak dapat didisposisikan karena sudah diarsipkan" in said, said
        assert "oleh Operator (" in said and "pada Senin, 7 Desember 2026 09.00" in said, said
        assert f"Alasannya: {REASON}" in said and "operator (Diskominfo)" in said, said
        assert payloads(replies) == [f"/balas {number}", f"/info {number}"], payloads(replies)
    ticket = await svc.store.get_ticket(number)
    assert ticket.status == "diarsipkan" and "disposition" not in ticket.extra, ticket
    assert await svc.store.ticket_events(number, "disposition") == []


# --- 3. archiving from the web desk -----------------------------------------------------------------------------
async def test_an_operator_archives_from_the_desk_and_an_officer_may_not(svc, http, clock):  # noqa: F811
    await enrol(http, svc, "operator-a5", role="operator", opd=None)
    await enrol(http, svc, "pupr-a5")
    await enrol(http, svc, "dishub-a5", opd="dishub")
    number = await file_complaint(http, svc.url, "warga-a5")
    light = await file_complaint(http, svc.url, "warga-a5b", "lampu PJU di jalan veteran mati sudah seminggu")
    url = f"{svc.url}/desk/tiket/{number}"
    pupr = await svc.store.get_identity("webchat:pupr-a5")
    async with await staff_client(svc, pupr) as officer:  # the ticket's own OPD: no form, and refused when posted
        async with officer.get(url) as resp:
            assert 'id="archive-form"' not in await resp.text()
        async with officer.post(url, data={"csrf": await csrf_of(officer, url), "action": "arsipkan",
                                           "text": REASON}) as resp:
            page = await resp.text()
        assert resp.status == 403 and "tidak tersedia untuk peran Anda" in page, page
    dishub = await svc.store.get_identity("webchat:dishub-a5")
    async with await staff_client(svc, dishub) as other:  # another OPD's officer does not even see it
        csrf = await csrf_of(other, f"{svc.url}/desk/tiket/{light}")
        async with other.post(url, data={"csrf": csrf, "action": "arsipkan", "text": REASON}) as resp:
            assert resp.status == 404
    assert (await svc.store.get_ticket(number)).status == "baru"

    operator = await svc.store.get_identity("webchat:operator-a5")
    async with await staff_client(svc, operator) as desk:
        async with desk.get(url) as resp:
            page = await resp.text()
        assert 'id="archive-form"' in page and '<option value="luar_pln">' in page, page
        csrf = await csrf_of(desk, url)
        async with desk.post(url, data={"csrf": "salah", "action": "arsipkan", "text": REASON}) as resp:
            assert resp.status == 400
        async with desk.post(url, data={"csrf": csrf, "action": "arsipkan", "luar": "luar_pln", "text": " "}) as resp:
            assert resp.status == 400  # the reason is required: it is what the reporter is sent
        async with desk.post(url, data={"csrf": csrf, "action": "arsipkan", "luar": "luar_bulan",
                                        "text": REASON}) as resp:
            assert resp.status == 400
        assert (await svc.store.get_ticket(number)).status == "baru"
        async with desk.post(url, data={"csrf": csrf, "action": "arsipkan", "luar": "luar_pln",
                                        "text": REASON}) as resp:
            page = await resp.text()
        assert resp.status == 200 and f"Aduan {number} diarsipkan" in page, page  # the page again, with what it did
        assert "tidak berlaku, aduan diarsipkan" in page and 'id="archive-form"' not in page, page
    ticket = await svc.store.get_ticket(number)
    assert ticket.status == "diarsipkan" and ticket.closed_at is not None, ticket
    assert ticket.extra["archived"]["reason"] == REASON and ticket.extra["archived"]["external"] == "luar_pln"
    [event] = [e for e in await svc.store.ticket_events(number, "status") if e.data.get("status") == "diarsipkan"]
    assert event.data["closure"] == "outside_authority" and event.text == REASON, event
    notice = "\n".join(i.get("text", "") for i in await received(svc, "warga-a5", "arsipkan"))
    assert REASON in notice and "PLN 123" in notice, notice
    told = "\n".join(i.get("text", "") for i in await received(svc, "pupr-a5", "diarsipkan"))
    assert f"Aduan *{number}* dari OPD Anda diarsipkan" in told, told
    async with await staff_client(svc, operator) as desk:  # archived once: a second post changes nothing
        async with desk.post(url, data={"csrf": await csrf_of(desk, url), "action": "arsipkan",
                                        "text": "lagi"}) as resp:
            page = await resp.text()
        assert "sudah Diarsipkan" in page, page
    assert (await svc.store.get_ticket(number)).extra["archived"]["reason"] == REASON

# --- 4. the stores read an archived ticket back ----------------------------------------------------------------
NOW = datetime(2026, 12, 7, 2, 0, tzinfo=UTC)  # Monday 7 December 2026, 09:00 in the regency


def _ticket(number: str, status: str, reporter: str = "webchat:warga-st") -> Ticket:
    return Ticket(number=number, kind="aduan", topic="aduan_jalan_rusak", opd_id="dinas-pupr", status=status,
                  text="listrik padam", reporter=reporter, created_at=NOW, updated_at=NOW,
                  due_at=NOW + timedelta(days=14))


async def test_an_archived_ticket_reads_back_the_same_on_every_store(store: Any) -> None:  # noqa: F811
    await store.commit(Changes(tickets=[_ticket("WRG-2612-0001", STATUS_NEW), _ticket("WRG-2612-0002", STATUS_NEW),
                                        _ticket("WRG-2612-0003", STATUS_IN_PROGRESS)]))
    archived = await store.get_ticket("WRG-2612-0001")
    at = NOW + timedelta(hours=1)  # archived as actions/archive.py does it: status, closed_at, extra, history
    archived.status, archived.closed_at, archived.updated_at = STATUS_ARCHIVED, at, at
    archived.extra["archived"] = {"reason": "gangguan listrik ditangani PLN", "external": "luar_pln",
                                  "by": "webchat:operator-st", "at": at.isoformat()}
    version = archived.version
    await store.commit(Changes(tickets=[archived], events=[TicketEvent(
        ticket=archived.number, kind="status", at=at, actor="webchat:operator-st",
        text="gangguan listrik ditangani PLN",
        data={"status": STATUS_ARCHIVED, "closure": "outside_authority", "external": "luar_pln"})]))

    back = await store.get_ticket("WRG-2612-0001")
    assert back.status == STATUS_ARCHIVED and back.closed_at == at and back.version == version + 1, back
    assert back.extra["archived"]["reason"] == "gangguan listrik ditangani PLN", back.extra
    assert back.extra["archived"]["external"] == "luar_pln" and back.due_at == NOW + timedelta(days=14)
    [event] = await store.ticket_events("WRG-2612-0001", "status")
    assert event.data["status"] == STATUS_ARCHIVED and event.data["closure"] == "outside_authority", event

    def numbers(tickets: list[Ticket]) -> list[str]:
        return sorted(t.number for t in tickets)

    assert numbers(await store.list_tickets(TicketQuery(statuses=OPEN_STATUSES))) == ["WRG-2612-0002",
                                                                                    "WRG-2612-0003"]
    assert numbers(await store.list_tickets(TicketQuery(statuses=(STATUS_ARCHIVED,)))) == ["WRG-2612-0001"]
    assert numbers(await store.list_tickets(TicketQuery(opd_id="dinas-pupr", statuses=(STATUS_ARCHIVED,),
                                                        closed_after=NOW))) == ["WRG-2612-0001"]
    assert await store.count_tickets(TicketQuery(statuses=(STATUS_ARCHIVED,))) == 1
    assert await store.count_tickets(TicketQuery(statuses=OPEN_STATUSES)) == 2
    by_opd = await store.count_tickets_by_opd(TicketQuery(statuses=(STATUS_ARCHIVED,)))
    assert by_opd == {("dinas-pupr", "aduan"): 1}, by_opd
    recent = {t.number: t.status for t in await store.recent_tickets("webchat:warga-st", 10)}
    assert recent["WRG-2612-0001"] == STATUS_ARCHIVED and len(recent) == 3, recent
    due = await store.open_tickets_due(NOW + timedelta(days=30))  # an archived ticket's deadline no longer runs
    assert "WRG-2612-0001" not in {t.number for t in due} and len(due) == 2, due

    [facts] = [f for f in await store.ticket_facts(NOW - timedelta(days=1), NOW + timedelta(days=1))
               if f.number == "WRG-2612-0001"]
    assert facts.status == STATUS_ARCHIVED and facts.closed_at == at, facts
    if isinstance(store, OversightStore):
        total, rows = await store.find_facts(FactsFilter(statuses=(STATUS_ARCHIVED,)), columns="number, status")
        assert total == 1 and [tuple(r) for r in rows] == [("WRG-2612-0001", STATUS_ARCHIVED)], rows
        total, rows = await store.find_facts(FactsFilter(statuses=OPEN_STATUSES))
        assert total == 2, rows
        day = (NOW - timedelta(hours=2), NOW + timedelta(hours=22))
        summary = await store.facts_summary(NOW - timedelta(days=1), NOW + timedelta(days=1), NOW + timedelta(days=20),
                                            [("2026-12-07", *day)])
        counts = summary.total  # received, but neither open, overdue nor resolved
        assert (counts.received, counts.open, counts.overdue, counts.resolved, counts.ever_resolved) == \
            (3, 2, 2, 0, 0), counts
        assert sum(summary.resolved_by_day.values()) == 0, summary.resolved_by_day
        unmeasured = await store.resolved_unmeasured(NOW - timedelta(days=1), NOW + timedelta(days=1))
        assert "WRG-2612-0001" not in {f.number for f in unmeasured}, unmeasured
