"""The web desk over real HTTP: staff sessions only, officers see only their OPD, actions reach the resident."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import AsyncIterator
from datetime import UTC
from pathlib import Path

import aiohttp
import pytest

from bot.store.base import Changes, Identity
from tests.desk.seed import NOW, OFFICER_PUPR, REGENT, seed_store
from tests.harness import Service, mailbox, make_settings, photo_jpeg, running_service, wait_for


@pytest.fixture
async def svc(tmp_path: Path, nlu_model_path: Path) -> AsyncIterator[Service]:
    async with running_service(make_settings(tmp_path), clock=lambda: NOW.astimezone(UTC)) as service:
        await seed_store(service.store)
        yield service


async def staff_client(svc: Service, enrolled: Identity) -> aiohttp.ClientSession:
    """A browser holding the staff session the sign-in issues for `enrolled` (bot/web/staff_auth.py)."""
    staff = svc.runtime.channels["webchat"].staff  # type: ignore[attr-defined]
    sender = staff.web_sender_for(enrolled.key)
    await svc.store.commit(Changes(identities=[Identity(
        key=f"webchat:{sender}", channel="webchat", sender_id=sender, role=enrolled.role, opd_id=enrolled.opd_id,
        name=enrolled.name)]))
    token = svc.runtime.sessions.issue(sender, staff=True).token  # type: ignore[union-attr]
    # a browser keeps cookies of 127.0.0.1 too (the notice after a desk action comes in one)
    return aiohttp.ClientSession(headers={"Authorization": f"Bearer {token}"},
                                 cookie_jar=aiohttp.CookieJar(unsafe=True))


def cells(html: str, opd: str) -> dict[str, str]:
    row = re.search(rf'<tr data-opd="{re.escape(opd)}">(.*?)</tr>', html, re.S)
    assert row, opd
    return {name: re.sub(r"<[^>]+>", "", value).strip()
            for name, value in re.findall(r'<td class="(\w+)">(.*?)</td>', row.group(1), re.S)}


async def test_pages_need_a_staff_session(svc: Service) -> None:
    async with aiohttp.ClientSession() as anonymous:
        for path in ("/desk", "/desk/tiket", "/desk/tiket/ADU-2611-0001", "/desk/tiket.csv"):
            async with anonymous.get(f"{svc.url}{path}", allow_redirects=False) as resp:
                assert resp.status == 303 and resp.headers["Location"].startswith("/desk/masuk")
        # a resident's session is no staff session
        async with anonymous.get(f"{svc.url}/webhooks/rest/session") as resp:
            token = resp.cookies["warga_session"].value
        async with anonymous.get(f"{svc.url}/desk", allow_redirects=False,
                                 headers={"Authorization": f"Bearer {token}"}) as resp:
            assert resp.status == 303
        async with anonymous.get(f"{svc.url}/desk/masuk") as resp:
            page = await resp.text()
            assert resp.status == 200 and "Masuk petugas" in page and "<script>" not in page
            assert "script-src 'self'" in resp.headers["Content-Security-Policy"]


async def test_an_officer_sees_only_their_opd(svc: Service) -> None:
    async with await staff_client(svc, OFFICER_PUPR) as officer:
        async with officer.get(f"{svc.url}/desk?dari=2026-11-01&sampai=2026-11-27") as resp:
            page = await resp.text()
        assert resp.status == 200
        assert re.findall(r'<tr data-opd="([^"]+)">', page) == ["dinas-pupr"]
        assert cells(page, "dinas-pupr") == {"received": "6", "open": "3", "overdue": "1", "first": "24",
                                             "resolution": "5", "sla": "67%", "rating": "3.67", "reopen": "25%"}
        assert "tile.openstreetmap.org" in resp.headers["Content-Security-Policy"]
        # asking for another OPD's dashboard still shows their own
        async with officer.get(f"{svc.url}/desk?opd=dishub&dari=2026-11-01&sampai=2026-11-27") as resp:
            assert re.findall(r'<tr data-opd="([^"]+)">', await resp.text()) == ["dinas-pupr"]
        async with officer.get(f"{svc.url}/desk/tiket?opd=dishub") as resp:
            listed = set(re.findall(r"ADU-26\d\d-\d{4}", await resp.text()))
        assert listed == {f"ADU-2611-000{n}" for n in range(1, 7)} | {"ADU-2610-0001"}
        for number in ("ADU-2611-0007", "ADU-2611-0011", "ADU-2699-9999", "../../etc"):
            async with officer.get(f"{svc.url}/desk/tiket/{number}") as resp:
                assert resp.status == 404
                assert "ADU-2611-0007" not in await resp.text() or number == "ADU-2611-0007"
        async with officer.get(f"{svc.url}/desk/tiket/ADU-2611-0001") as resp:
            page = await resp.text()
        assert resp.status == 200 and "Laporan uji ADU-2611-0001" in page and "Sedang kami tangani." in page


async def test_csv_export_holds_the_filtered_tickets(svc: Service) -> None:
    async with await staff_client(svc, REGENT) as regent:
        async with regent.get(f"{svc.url}/desk/tiket.csv?status=terlambat") as resp:
            assert resp.status == 200 and resp.content_type == "text/csv"
            rows = list(csv.DictReader(io.StringIO((await resp.text()).lstrip("\ufeff"))))
        assert sorted(r["Nomor"] for r in rows) == ["ADU-2611-0004", "ADU-2611-0008"]
        async with regent.get(f"{svc.url}/desk/tiket.csv?opd=dishub&dari=2026-11-10") as resp:
            rows = list(csv.DictReader(io.StringIO((await resp.text()).lstrip("\ufeff"))))
        assert sorted(r["Nomor"] for r in rows) == ["ADU-2611-0008", "ADU-2611-0009"]
        async with regent.get(f"{svc.url}/desk?dari=2026-11-01&sampai=2026-11-27") as resp:
            page = await resp.text()
        assert cells(page, "dishub")["received"] == "3" and cells(page, "dishub")["first"] == "13"
        # The dashboard's "-" row (tickets no OPD holds yet) links to exactly those, in the list and the export.
        link = re.search(r'<tr data-opd="-">.*?href="([^"]+)"', page, re.S)
        assert link and "opd=-" in link.group(1), page
        async with regent.get(f"{svc.url}{link.group(1).replace('&amp;', '&')}&desa=sooko") as resp:
            listing = await resp.text()
        listed = set(re.findall(r"ADU-2611-\d{4}", listing))
        assert listed <= {"ADU-2611-0011"}, listed
        # the filter form keeps what the page shows: "no OPD yet" selected, the village kept
        assert '<option value="-" selected>' in listing and '<input type="hidden" name="desa" value="sooko">' in listing
        async with regent.get(f"{svc.url}{link.group(1).replace('&amp;', '&')}") as resp:
            listed = set(re.findall(r"ADU-2611-\d{4}", await resp.text()))
        assert listed == {"ADU-2611-0011"}, listed
        async with regent.get(f"{svc.url}/desk/tiket.csv?opd=-&dari=2026-10-01") as resp:
            rows = list(csv.DictReader(io.StringIO((await resp.text()).lstrip("\ufeff"))))
        assert [r["Nomor"] for r in rows] == ["ADU-2611-0011"], rows
        for bad, said in (("/desk/tiket?status=nonsense", "Status itu tidak dikenal"),
                          ("/desk/tiket?dari=kemarin", "Tanggal ditulis TTTT-BB-HH"),
                          ("/desk/tiket.csv?dari=kemarin&lang=en", "Dates are written YYYY-MM-DD"),
                          ("/desk?dari=2026-12-01&sampai=2026-11-01", "Periode harus maju")):
            async with regent.get(f"{svc.url}{bad}") as resp:
                assert resp.status == 400 and said in await resp.text(), bad


async def test_csv_rows_from_the_facts_equal_the_rows_from_whole_tickets(svc: Service) -> None:
    """The export reads the facts table (SQLite); a text search reads whole tickets: the same cells."""
    ticket = await svc.store.get_ticket("ADU-2611-0008")
    assert ticket is not None
    ticket.extra["assignee"] = {"key": "telegram:700009", "name": "Bu Sari"}
    await svc.store.commit(Changes(tickets=[ticket]))
    async with await staff_client(svc, REGENT) as regent:
        tables = []
        for query in ("dari=2026-10-01", "dari=2026-10-01&q=ADU-26"):
            async with regent.get(f"{svc.url}/desk/tiket.csv?{query}") as resp:
                tables.append(list(csv.DictReader(io.StringIO((await resp.text()).lstrip("\ufeff")))))
    from_facts, from_tickets = tables
    assert len(from_facts) >= 10 and from_facts == from_tickets
    assert {r["Nomor"]: r["Petugas"] for r in from_facts}["ADU-2611-0008"] == "Bu Sari"
    assert any(r["Kecamatan"] for r in from_facts) and any(r["Selesai"] for r in from_facts)
    # times as the desk shows them: the regency's local time (WIB) to the minute; statuses and topics in words
    row = {r["Nomor"]: r for r in from_facts}["ADU-2611-0008"]
    assert (row["Masuk"], row["Tenggat"]) == ("2026-11-11 09:00", "2026-11-12 23:00"), row
    words = ("Diterima, menunggu tindak lanjut", "Parkir liar", "Dishub")
    assert (row["Status"], row["Topik"], row["OPD"]) == words, row
    async with await staff_client(svc, REGENT) as regent:  # the English desk's export has English column names
        async with regent.get(f"{svc.url}/desk/tiket.csv?dari=2026-10-01&lang=en") as resp:
            english = list(csv.DictReader(io.StringIO((await resp.text()).lstrip("\ufeff"))))
    assert {r["Number"]: r["Assigned to"] for r in english}["ADU-2611-0008"] == "Bu Sari"


async def test_reply_note_and_done_from_the_desk(svc: Service) -> None:
    async with await staff_client(svc, OFFICER_PUPR) as officer:
        async with officer.get(f"{svc.url}/desk/tiket/ADU-2611-0004") as resp:
            csrf = re.search(r'name="csrf" value="([^"]+)"', await resp.text()).group(1)  # type: ignore[union-attr]
        url = f"{svc.url}/desk/tiket/ADU-2611-0004"
        async with officer.post(url, data={"csrf": "salah", "action": "balas", "text": "x"}) as resp:
            assert resp.status == 400
        reply = {"csrf": csrf, "action": "balas", "text": "Tim kami datang besok pagi."}
        async with officer.post(url, data=reply) as resp:
            assert resp.status == 200 and "ADU-2611-0004" in await resp.text()
        async with officer.post(url, data={"csrf": csrf, "action": "catatan", "text": "Catatan rahasia tim"}) as resp:
            assert resp.status == 200 and "Catatan internal disimpan" in await resp.text()
        async with officer.post(url, data={"csrf": csrf, "action": "selesai", "text": "Jalan sudah ditambal."}) as resp:
            page = await resp.text()
        assert "Catatan rahasia tim" in page and "Jalan sudah ditambal." in page
        # another OPD's ticket cannot be acted on by URL either
        async with officer.post(f"{svc.url}/desk/tiket/ADU-2611-0008",
                                data={"csrf": csrf, "action": "balas", "text": "x"}) as resp:
            assert resp.status == 404
    resident = "webchat:r0004"

    async def received() -> str:
        return " ".join(item["text"] for item in await mailbox(svc.store, resident))

    seen = await wait_for(lambda: _has(received, "Jalan sudah ditambal."), timeout=10)
    assert seen and "Tim kami datang besok pagi." in seen
    assert "Catatan rahasia tim" not in seen
    ticket = await svc.store.get_ticket("ADU-2611-0004")
    assert ticket is not None and ticket.status == "selesai"
    events = await svc.store.ticket_events("ADU-2611-0004")
    staff_key = f"webchat:{svc.runtime.channels['webchat'].staff.web_sender_for(OFFICER_PUPR.key)}"  # type: ignore[attr-defined]
    mine = [(e.kind, e.actor) for e in events if e.actor == staff_key]
    assert ("message_out", staff_key) in mine and ("note", staff_key) in mine and ("status", staff_key) in mine
    assert all(e.at == NOW.astimezone(UTC) for e in events if e.actor == staff_key)
    assert not any("Catatan rahasia tim" in str(job.payload) for job in await svc.store.list_jobs(limit=1000))


async def _has(read: object, needle: str) -> str:
    text = await read()  # type: ignore[operator]
    return text if needle in text else ""


async def test_done_with_a_photo_sends_the_photo_to_the_resident(svc: Service) -> None:
    async with await staff_client(svc, OFFICER_PUPR) as officer:
        url = f"{svc.url}/desk/tiket/ADU-2611-0006"
        async with officer.get(url) as resp:
            csrf = re.search(r'name="csrf" value="([^"]+)"', await resp.text()).group(1)  # type: ignore[union-attr]

        def form(data: bytes) -> aiohttp.FormData:
            body = aiohttp.FormData()
            body.add_field("csrf", csrf)
            body.add_field("action", "selesai")
            body.add_field("text", "Saluran sudah dibersihkan.")
            body.add_field("photo", data, filename="hasil.jpg", content_type="image/jpeg")
            return body

        async with officer.post(url, data=form(b"bukan gambar")) as resp:
            assert resp.status == 400 and "bukan foto" in await resp.text()
        assert (await svc.store.get_ticket("ADU-2611-0006")).status == "diproses"  # type: ignore[union-attr]
        async with officer.post(url, data=form(photo_jpeg((200, 100), gps=True))) as resp:
            assert resp.status == 200
    ticket = await svc.store.get_ticket("ADU-2611-0006")
    assert ticket is not None and ticket.status == "selesai"
    done = [e for e in await svc.store.ticket_events(ticket.number) if e.data.get("photo")]
    assert len(done) == 1
    items = await wait_for(lambda: _images(svc, "telegram:r0006"), timeout=10)
    assert items == [f"media:{done[0].data['photo']}"]
    media = await svc.store.get_media(done[0].data["photo"])
    assert media is not None and media.ticket == ticket.number and b"GPS" not in media.data  # re-encoded


async def _images(svc: Service, to: str) -> list[str]:
    jobs = await svc.store.list_jobs(limit=1000)
    return [r["image"] for j in jobs if j.payload.get("to") == to for r in j.payload["replies"] if r.get("image")]


async def test_an_officer_without_an_opd_sees_no_tickets(svc: Service) -> None:
    lost = Identity(key="telegram:700003", channel="telegram", sender_id="700003", role="officer", name="Tanpa OPD")
    async with await staff_client(svc, lost) as officer:
        async with officer.get(f"{svc.url}/desk/tiket") as resp:
            assert resp.status == 200 and not re.findall(r"ADU-26\d\d-\d{4}", await resp.text())
        async with officer.get(f"{svc.url}/desk?dari=2026-11-01&sampai=2026-11-27") as resp:
            assert 'id="total-received" href="' in (page := await resp.text())
        assert re.search(r'id="total-received"[^>]*><span class="big">0<', page)
        async with officer.get(f"{svc.url}/desk/tiket/ADU-2611-0011") as resp:  # triage, no OPD
            assert resp.status == 404
