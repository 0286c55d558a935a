"""The desk's actions beyond reply/note/done, over real HTTP: ask for information, transfer, dispose, assign,
canned replies, live changes (server-sent events) and XLSX export, each with its role checks."""

from __future__ import annotations

import asyncio
import io
import json
import re
import zipfile
from collections.abc import AsyncIterator
from datetime import UTC
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

import aiohttp
import pytest

from actions.base import WEB_ORIGIN_KEY
from actions.desk import CannedRepliesError, load_canned_replies
from bot.store.base import Changes, Identity, Media, TicketEvent
from tests.desk.seed import NOW, OFFICER_DISHUB, OFFICER_PUPR, REGENT, seed_store
from tests.desk.test_desk_http import staff_client
from tests.harness import Service, mailbox, make_settings, photo_jpeg, running_service, say, wait_for


@pytest.fixture
async def svc(tmp_path: Path, nlu_model_path: Path) -> AsyncIterator[Service]:
    async with running_service(make_settings(tmp_path), clock=lambda: NOW.astimezone(UTC)) as service:
        await seed_store(service.store)
        yield service


async def csrf_of(client: aiohttp.ClientSession, url: str) -> str:
    async with client.get(url) as resp:
        match = re.search(r'name="csrf" value="([^"]+)"', await resp.text())
    assert match
    return match.group(1)


def web_key(svc: Service, enrolled: Identity) -> str:
    return f"webchat:{svc.runtime.channels['webchat'].staff.web_sender_for(enrolled.key)}"  # type: ignore[attr-defined]


async def test_ask_for_information_reaches_the_resident_and_their_answer_comes_back(svc: Service) -> None:
    url = f"{svc.url}/desk/tiket/ADU-2611-0005"
    async with await staff_client(svc, OFFICER_PUPR) as officer:
        csrf = await csrf_of(officer, url)
        async with officer.post(url, data={"csrf": csrf, "action": "minta_info", "text": ""}) as resp:
            assert resp.status == 400
        question = "Di depan nomor rumah berapa lubangnya?"
        async with officer.post(url, data={"csrf": csrf, "action": "minta_info", "text": question}) as resp:
            page = await resp.text()
            assert resp.status == 200 and "Permintaan informasi" in page and question in page
    async with await staff_client(svc, OFFICER_DISHUB) as other:
        async with other.post(url, data={"csrf": await csrf_of(other, f"{svc.url}/desk/tiket/ADU-2611-0008"),
                                         "action": "minta_info", "text": "x"}) as resp:
            assert resp.status == 404
    ticket = await svc.store.get_ticket("ADU-2611-0005")
    assert ticket is not None and ticket.status == "diproses"
    asked = [e for e in await svc.store.ticket_events(ticket.number) if e.data.get("ask")]
    assert [(e.kind, e.text, e.actor) for e in asked] == [("message_out", question, web_key(svc, OFFICER_PUPR))]

    async def told() -> str:
        jobs = await svc.store.list_jobs(limit=1000)
        return " ".join(r["text"] for j in jobs if j.payload.get("to") == "telegram:r0005"
                        for r in j.payload["replies"])

    assert question in await told() and "meminta informasi tambahan" in await told()
    # the resident simply answers: it lands on the ticket as their message
    conv = await svc.store.get_conversation("telegram:r0005")
    assert conv is not None and conv.state.get("reply_ticket") == "ADU-2611-0005"


async def test_transfer_needs_a_reason_and_moves_the_ticket_out_of_the_officers_sight(svc: Service) -> None:
    url = f"{svc.url}/desk/tiket/ADU-2611-0005"
    async with await staff_client(svc, OFFICER_PUPR) as officer:
        csrf = await csrf_of(officer, url)
        async with officer.post(url, data={"csrf": csrf, "action": "alihkan", "opd": "dishub", "text": ""}) as resp:
            assert resp.status == 400
        async with officer.post(url, data={"csrf": csrf, "action": "alihkan", "opd": "tidak-ada",
                                           "text": "salah"}) as resp:
            assert resp.status == 400
        reason = "Ini lampu lalu lintas, bukan jalan."
        async with officer.post(url, data={"csrf": csrf, "action": "alihkan", "opd": "dishub", "text": reason},
                                allow_redirects=False) as resp:
            assert resp.status == 303
            assert resp.headers["Location"].startswith("/desk/tiket?") and "ADU-2611-0005" in resp.headers["Location"]
        async with officer.get(svc.url + resp.headers["Location"]) as resp:
            assert "sudah dialihkan" in await resp.text()
        async with officer.get(url) as resp:
            assert resp.status == 404
    ticket = await svc.store.get_ticket("ADU-2611-0005")
    assert ticket is not None and ticket.opd_id == "dishub"
    moved = [e for e in await svc.store.ticket_events(ticket.number) if e.kind == "rerouted"]
    assert [(e.text, e.data["from_opd"], e.data["to_opd"]) for e in moved] == [(reason, "dinas-pupr", "dishub")]


async def test_a_ticket_no_agency_handles_goes_back_to_triage_from_the_desk(svc: Service) -> None:
    """"Not my OPD's matter, nor any OPD's I know of" (a toll road, a driving licence): back to the operator's
    triage with the reason, not closed as done; the officer no longer sees it."""
    url = f"{svc.url}/desk/tiket/ADU-2611-0005"
    async with await staff_client(svc, OFFICER_PUPR) as officer:
        async with officer.get(url) as resp:
            assert '<option value="triase">' in await resp.text()
        csrf = await csrf_of(officer, url)
        reason = "Jalan tol, kewenangan badan usaha jalan tol."
        async with officer.post(url, data={"csrf": csrf, "action": "alihkan", "opd": "triase", "text": reason},
                                allow_redirects=False) as resp:
            assert resp.status == 303
        async with officer.get(url) as resp:
            assert resp.status == 404
    ticket = await svc.store.get_ticket("ADU-2611-0005")
    assert ticket is not None and ticket.opd_id is None and ticket.status == "triase" and ticket.due_at is not None
    returned = [e for e in await svc.store.ticket_events(ticket.number) if e.kind == "returned"]
    assert [(e.text, e.data["from_opd"]) for e in returned] == [(reason, "dinas-pupr")]
    async with await staff_client(svc, REGENT) as regent:
        async with regent.get(url) as resp:
            page = await resp.text()
            assert "Dikembalikan ke triase" in page and '<option value="triase">' not in page


async def test_only_the_regent_disposes(svc: Service) -> None:
    url = f"{svc.url}/desk/tiket/ADU-2611-0004"
    async with await staff_client(svc, OFFICER_PUPR) as officer:
        page_csrf = await csrf_of(officer, url)
        async with officer.get(url) as resp:
            assert 'id="dispose-form"' not in await resp.text()
        async with officer.post(url, data={"csrf": page_csrf, "action": "disposisi", "opd": "dlh",
                                           "text": "x"}) as resp:
            assert resp.status == 403
    assert (await svc.store.get_ticket("ADU-2611-0004")).opd_id == "dinas-pupr"  # type: ignore[union-attr]
    triage = f"{svc.url}/desk/tiket/ADU-2611-0011"
    async with await staff_client(svc, REGENT) as regent:
        csrf = await csrf_of(regent, triage)
        async with regent.get(triage) as resp:
            assert 'id="dispose-form"' in await resp.text()
        async with regent.post(triage, data={"csrf": csrf, "action": "disposisi", "opd": "dlh",
                                             "text": "Segera angkut minggu ini."}) as resp:
            page = await resp.text()
            assert resp.status == 200 and "Segera angkut minggu ini." in page
        # the notice reads as the desk writes, without the chat's bold markup ("Tiket *ADU-…*")
        assert re.search(r'id="notice" role="status">Tiket ADU-2611-0011 didisposisikan ke DLH', page), page
    ticket = await svc.store.get_ticket("ADU-2611-0011")
    assert ticket is not None and (ticket.opd_id, ticket.status, ticket.priority) == ("dlh", "baru", "tinggi")
    assert [e.text for e in await svc.store.ticket_events(ticket.number) if e.kind == "disposition"] == [
        "Segera angkut minggu ini."]


async def test_assignment_to_a_named_officer_of_the_opd(svc: Service) -> None:
    url = f"{svc.url}/desk/tiket/ADU-2611-0004"
    async with await staff_client(svc, OFFICER_PUPR) as officer:
        csrf = await csrf_of(officer, url)
        async with officer.get(url) as resp:
            page = await resp.text()
        # the OPD's officers by name, not the web sessions they sign in with, not another OPD's
        options = re.findall(r'<select id="assign-officer"[^>]*>(.*?)</select>', page, re.S)[0]
        assert re.findall(r'<option value="([^"]+)"', options) == [OFFICER_PUPR.key]
        # nobody is preselected: the officer chooses (a ticket sent to the first name by mistake was the risk)
        assert options.strip().startswith('<option value="" selected disabled>— pilih —</option>'), options
        transfer = re.findall(r'<select id="transfer-opd"[^>]*>(.*?)</select>', page, re.S)[0]
        assert transfer.strip().startswith('<option value="" selected disabled>'), transfer
        async with officer.post(url, data={"csrf": csrf, "action": "tugaskan", "officer": OFFICER_DISHUB.key}) as resp:
            assert "bukan petugas OPD" in await resp.text()
        assert "assignee" not in (await svc.store.get_ticket("ADU-2611-0004")).extra  # type: ignore[union-attr]
        async with officer.post(url, data={"csrf": csrf, "action": "tugaskan", "officer": OFFICER_PUPR.key}) as resp:
            page = await resp.text()
        assert re.search(r'id="ticket-assignee">Petugas PUPR<', page)
        async with officer.get(f"{svc.url}/desk/tiket.csv?status=terbuka") as resp:
            assert "ADU-2611-0004" in (text := await resp.text()) and "Petugas PUPR" in text
    ticket = await svc.store.get_ticket("ADU-2611-0004")
    assert ticket is not None and ticket.extra["assignee"] == {"key": OFFICER_PUPR.key, "name": "Petugas PUPR"}
    cards = [r["text"] for j in await svc.store.list_jobs(limit=1000) if j.payload.get("to") == OFFICER_PUPR.key
             for r in j.payload["replies"]]
    assert any("ditugaskan menangani *ADU-2611-0004*" in text for text in cards)

    # Signed in from their chat (the sign-in links the two), an officer who takes a ticket is sent nothing.
    await svc.store.set_value(WEB_ORIGIN_KEY + web_key(svc, OFFICER_PUPR), OFFICER_PUPR.key)
    url = f"{svc.url}/desk/tiket/ADU-2611-0005"
    async with await staff_client(svc, OFFICER_PUPR) as officer:
        async with officer.post(url, data={"csrf": await csrf_of(officer, url), "action": "tugaskan",
                                           "officer": OFFICER_PUPR.key}) as resp:
            assert re.search(r'id="ticket-assignee">Petugas PUPR<', await resp.text())
    cards = [r["text"] for j in await svc.store.list_jobs(limit=1000) if j.payload.get("to") == OFFICER_PUPR.key
             for r in j.payload["replies"]]
    assert not any("ADU-2611-0005" in text for text in cards)


async def test_canned_replies_per_opd(svc: Service, tmp_path: Path) -> None:
    async with await staff_client(svc, REGENT) as regent:
        async with regent.get(f"{svc.url}/desk/tiket/ADU-2611-0004") as resp:
            pupr = await resp.text()
        async with regent.get(f"{svc.url}/desk/tiket/ADU-2611-0008") as resp:
            dishub = await resp.text()
    assert "Dijadwalkan perbaikan jalan" in pupr and "Sedang ditindaklanjuti" in pupr
    assert "Dijadwalkan perbaikan jalan" not in dishub and "Lampu jalan dijadwalkan" in dishub
    (tmp_path / "canned_replies.yml").write_text("dinas-entah:\n  - {title: A, text: B}\n")
    with pytest.raises(CannedRepliesError, match=r"canned_replies.yml: dinas-entah: unknown OPD id"):
        load_canned_replies(tmp_path, {"dishub"})
    (tmp_path / "canned_replies.yml").write_text("dishub:\n  - {title: A}\n")
    with pytest.raises(CannedRepliesError, match=r"dishub, entry 1: needs a non-empty `title` and `text`"):
        load_canned_replies(tmp_path, {"dishub"})


async def next_change(resp: aiohttp.ClientResponse, timeout: float = 10) -> dict[str, Any]:
    """The next `ticket` event of a server-sent event stream."""
    async def read() -> dict[str, Any]:
        event = None
        while True:
            line = (await resp.content.readline()).decode().rstrip("\n")
            if line.startswith("event: "):
                event = line[7:]
            elif line.startswith("data: ") and event == "ticket":
                return json.loads(line[6:])  # type: ignore[no-any-return]

    return await asyncio.wait_for(read(), timeout)


async def test_live_changes_reach_everyone_looking_and_no_one_else(svc: Service) -> None:
    ticket_url = f"{svc.url}/desk/tiket/ADU-2611-0004"
    async with await staff_client(svc, OFFICER_PUPR) as pupr, await staff_client(svc, REGENT) as regent, \
            await staff_client(svc, OFFICER_DISHUB) as dishub:
        async with dishub.get(f"{ticket_url}/live") as resp:
            assert resp.status == 404
        async with pupr.get(f"{ticket_url}/live") as pupr_ticket, regent.get(f"{ticket_url}/live") as regent_ticket, \
                regent.get(f"{svc.url}/desk/live") as regent_list, dishub.get(f"{svc.url}/desk/live") as dishub_list:
            for resp in (pupr_ticket, regent_ticket, regent_list, dishub_list):
                assert resp.status == 200 and resp.content_type == "text/event-stream"
            csrf = await csrf_of(pupr, ticket_url)
            async with pupr.post(ticket_url, data={"csrf": csrf, "action": "proses"}) as resp:
                assert resp.status == 200
            for stream in (pupr_ticket, regent_ticket, regent_list):
                change = await next_change(stream)
                assert (change["number"], change["status"], change["kind"]) == ("ADU-2611-0004", "diproses", "proses")
            # Dishub's officer sees nothing of PUPR's ticket: their next change is their own OPD's
            dishub_url = f"{svc.url}/desk/tiket/ADU-2611-0008"
            async with dishub.post(dishub_url, data={"csrf": await csrf_of(dishub, dishub_url), "action": "catatan",
                                                     "text": "cek besok"}) as resp:
                assert resp.status == 200
            assert (await next_change(dishub_list))["number"] == "ADU-2611-0008"
            # a change made elsewhere (the chat, a resident, another worker) reaches the ticket's page too
            await svc.store.commit(Changes(events=[TicketEvent(ticket="ADU-2611-0004", kind="message_in",
                                                               at=NOW.astimezone(UTC), actor="webchat:r0004",
                                                               text="Terima kasih")]))
            assert (await next_change(pupr_ticket))["kind"] == "changed"


def xlsx_rows(data: bytes) -> list[list[str]]:
    """The first sheet of an XLSX file as text rows (shared strings resolved)."""
    ns = {"m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main"}
    with zipfile.ZipFile(io.BytesIO(data)) as book:
        strings = [si.findtext("m:t", "", ns) for si in
                   ElementTree.fromstring(book.read("xl/sharedStrings.xml")).findall("m:si", ns)]
        sheet = ElementTree.fromstring(book.read("xl/worksheets/sheet1.xml"))
    rows = []
    for row in sheet.iter(f"{{{ns['m']}}}row"):
        cells = []
        for cell in row.findall("m:c", ns):
            value = cell.findtext("m:v", "", ns)
            cells.append(strings[int(value)] if cell.get("t") == "s" else value)
        rows.append(cells)
    return rows


async def test_xlsx_export_holds_the_filtered_tickets_of_the_officers_own_opd(svc: Service) -> None:
    async with await staff_client(svc, REGENT) as regent:
        async with regent.get(f"{svc.url}/desk/tiket.xlsx?status=terlambat") as resp:
            assert resp.status == 200 and resp.content_type.endswith("spreadsheetml.sheet")
            rows = xlsx_rows(await resp.read())
    assert rows[0][:4] == ["Nomor", "Status", "OPD", "Topik"] and len(rows[0]) == 13
    assert sorted(r[0] for r in rows[1:]) == ["ADU-2611-0004", "ADU-2611-0008"]
    async with await staff_client(svc, OFFICER_DISHUB) as officer:
        async with officer.get(f"{svc.url}/desk/tiket.xlsx?opd=dinas-pupr") as resp:
            rows = xlsx_rows(await resp.read())
    assert sorted(r[0] for r in rows[1:]) == ["ADU-2611-0007", "ADU-2611-0008", "ADU-2611-0009"]
    async with aiohttp.ClientSession() as anonymous:
        async with anonymous.get(f"{svc.url}/desk/tiket.xlsx", allow_redirects=False) as resp:
            assert resp.status == 303


async def test_ask_for_information_reaches_a_web_chat_resident(svc: Service) -> None:
    url = f"{svc.url}/desk/tiket/ADU-2611-0004"
    async with await staff_client(svc, OFFICER_PUPR) as officer:
        async with officer.post(url, data={"csrf": await csrf_of(officer, url), "action": "minta_info",
                                           "text": "Kirim foto lubangnya?"}) as resp:
            assert resp.status == 200
    assert await wait_for(lambda: _said(svc, "webchat:r0004", "Kirim foto lubangnya?"), timeout=10)


async def _said(svc: Service, to: str, needle: str) -> bool:
    return any(needle in item["text"] for item in await mailbox(svc.store, to))


async def test_a_residents_answer_in_the_chat_reaches_the_opds_open_lists_at_once(svc: Service) -> None:
    url = f"{svc.url}/desk/tiket/ADU-2611-0004"
    async with await staff_client(svc, OFFICER_PUPR) as pupr, await staff_client(svc, OFFICER_DISHUB) as dishub, \
            aiohttp.ClientSession() as resident:
        async with pupr.get(f"{svc.url}/desk/live") as pupr_list, dishub.get(f"{svc.url}/desk/live") as dishub_list:
            async with pupr.post(url, data={"csrf": await csrf_of(pupr, url), "action": "minta_info",
                                            "text": "Di sebelah mana?"}) as resp:
                assert resp.status == 200
            assert (await next_change(pupr_list))["kind"] == "minta_info"
            await say(resident, svc.url, "r0004", "Depan toko emas, sebelah kiri jalan")
            change = await next_change(pupr_list)
            assert (change["number"], change["kind"], change["status"]) == ("ADU-2611-0004", "message_in", "diproses")
            answers = await svc.store.ticket_events("ADU-2611-0004", "message_in")
            assert [e.text for e in answers] == ["Depan toko emas, sebelah kiri jalan"]
            # Dishub's officer hears nothing of it: their next change is their own OPD's
            own = f"{svc.url}/desk/tiket/ADU-2611-0008"
            async with dishub.post(own, data={"csrf": await csrf_of(dishub, own), "action": "catatan",
                                              "text": "cek besok"}) as resp:
                assert resp.status == 200
            assert (await next_change(dishub_list))["number"] == "ADU-2611-0008"


async def test_an_action_answers_with_the_ticket_page_to_get_so_a_reload_sends_nothing_twice(svc: Service) -> None:
    url = f"{svc.url}/desk/tiket/ADU-2611-0004"
    async with await staff_client(svc, OFFICER_PUPR) as officer:
        csrf = await csrf_of(officer, url)
        async with officer.post(url, data={"csrf": csrf, "action": "catatan", "text": "cek anggaran"},
                                allow_redirects=False) as resp:
            assert resp.status == 303 and resp.headers["Location"] == "/desk/tiket/ADU-2611-0004?lang=id"
        async with officer.get(url, headers={"Sec-Fetch-Mode": "cors"}) as resp:  # the page's live refresh
            assert "Catatan internal disimpan." not in await resp.text()
        async with officer.get(url) as resp:  # the page the browser goes to: what the action said, once
            assert "Catatan internal disimpan." in await resp.text()
        async with officer.get(url) as resp:
            assert "Catatan internal disimpan." not in await resp.text()
    assert [e.text for e in await svc.store.ticket_events("ADU-2611-0004", "note")] == ["cek anggaran"]


async def test_a_photo_the_resident_sent_to_their_ticket_later_shows_only_to_those_who_see_the_ticket(
        svc: Service) -> None:
    ticket = await svc.store.get_ticket("ADU-2611-0004")
    assert ticket is not None
    ticket.media.append("a" * 32)  # as actions/resident.py keeps an answer's photo: the media row has no ticket
    await svc.store.commit(Changes(tickets=[ticket], media=[Media(id="a" * 32, mime="image/jpeg", data=photo_jpeg(),
                                                                  created_at=NOW.astimezone(UTC))]))
    photo = f"{svc.url}/desk/media/{'a' * 32}"
    async with await staff_client(svc, OFFICER_PUPR) as pupr, await staff_client(svc, OFFICER_DISHUB) as dishub:
        async with pupr.get(f"{svc.url}/desk/tiket/ADU-2611-0004") as resp:
            assert f'src="/desk/media/{"a" * 32}?tiket=ADU-2611-0004"' in await resp.text()
        async with pupr.get(f"{photo}?tiket=ADU-2611-0004") as resp:
            assert resp.status == 200 and resp.content_type == "image/jpeg"
        for client, query in ((pupr, ""), (pupr, "?tiket=ADU-2611-0005"), (dishub, "?tiket=ADU-2611-0004")):
            async with client.get(f"{photo}{query}") as resp:
                assert resp.status == 404, query


async def test_a_ticket_marked_done_by_mistake_is_reopened_from_the_desk(svc: Service) -> None:
    """Thirty-third trial: the chat's /buka_kembali on the desk, for the office's own ticket marked done."""
    url = f"{svc.url}/desk/tiket/ADU-2611-0005"
    async with await staff_client(svc, OFFICER_PUPR) as officer:
        csrf = await csrf_of(officer, url)
        async with officer.get(url) as resp:
            assert 'id="reopen-form"' not in await resp.text()  # open: nothing to reopen
        async with officer.post(url, data={"csrf": csrf, "action": "selesai", "text": "sudah ditambal"}) as resp:
            assert resp.status == 200
        async with officer.get(url) as resp:
            assert 'id="reopen-form"' in await resp.text()
        async with officer.post(url, data={"csrf": csrf, "action": "buka_kembali", "text": ""}) as resp:
            page = await resp.text()
            assert resp.status == 200 and "dibuka kembali" in page, page[:2000]
    ticket = await svc.store.get_ticket("ADU-2611-0005")
    assert ticket is not None and ticket.status == "diproses" and ticket.closed_at is None
    assert "reopened" in [e.kind for e in await svc.store.ticket_events(ticket.number)]
    async with await staff_client(svc, OFFICER_DISHUB) as other:  # another office's officer may not
        async with other.post(url, data={"csrf": await csrf_of(other, f"{svc.url}/desk/tiket/ADU-2611-0008"),
                                         "action": "buka_kembali", "text": ""}) as resp:
            assert resp.status == 404
