"""The web desk in real headless Chromium: an officer signs in with a code sent to their Telegram, sees only
their OPD, answers a resident whose web chat shows the reply, keeps an internal note the resident never sees;
the regent's dashboard equals a direct computation on the seeded store; the map shows the seeded pins.
Screenshots at phone and desktop size go to var/screenshots/ (copies in docs/screenshots/ for the README)."""

from __future__ import annotations

import base64
import contextlib
import json
import re
from collections.abc import AsyncIterator
from datetime import UTC, date
from pathlib import Path

import pytest

from actions.oversight import Period
from bot.store.base import Changes, Identity, Store, Ticket, TicketEvent
from bot.workdays import WorkCalendar
from tests.desk.seed import NOW, OFFICER_PUPR, REGENT, direct_figures, seed_store
from tests.e2e.cdp import Page, chromium_path, open_page
from tests.fakes.telegram_api import FakeTelegramApi
from tests.harness import Service, make_settings, photo_jpeg, running_service, wait_for

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[2]
SHOTS = ROOT / "var" / "screenshots"
SIZES = {"desktop": (1280, 900, False), "phone": (390, 844, True)}
BOT_TEXTS = "Array.from(document.querySelectorAll('.msg--bot')).map(e => e.textContent).join('\\n')"
PERIOD = Period(date(2026, 11, 1), date(2026, 11, 27))
NUMBER = "ADU-2611-0020"


async def shoot(page: Page, name: str) -> None:
    """Screenshots of the page as it is now, at desktop and phone size (full page)."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    for size, (width, height, mobile) in SIZES.items():
        await page.call("Emulation.setDeviceMetricsOverride", width=width, height=height, deviceScaleFactor=1,
                        mobile=mobile)
        await page.js("new Promise(r => setTimeout(r, 300))")
        full = await page.js("document.documentElement.scrollHeight")
        shot = await page.call("Page.captureScreenshot", format="png", captureBeyondViewport=True,
                               clip={"x": 0, "y": 0, "width": width, "height": min(int(full), 4000), "scale": 1})
        (SHOTS / f"desk-{name}-{size}.png").write_bytes(base64.b64decode(shot["data"]))
    await page.call("Emulation.clearDeviceMetricsOverride")


async def go(page: Page, url: str) -> None:
    await page.call("Page.navigate", url=url)
    await page.js("new Promise(r => setTimeout(r, 100))")
    await page.wait_js("document.readyState === 'complete'")


async def sign_in(page: Page, url: str, telegram: FakeTelegramApi, chat: str, keyboard: bool = False) -> None:
    """Sign in as the staff member of Telegram chat `chat` with the code it receives (typed, with `keyboard`)."""
    await go(page, f"{url}/desk")
    assert "/desk/masuk" in await page.wait_js("location.pathname.startsWith('/desk/masuk') && location.href")
    before = len(telegram.sent("sendMessage", chat_id=chat))
    if keyboard:
        await page.tab_to("#identity")
        await page.type(f"telegram:{chat}")
        await page.press("Enter")
    else:
        await page.js(f"document.getElementById('identity').value = 'telegram:{chat}';"
                      " setTimeout(() => document.getElementById('ask-code').requestSubmit(), 0); true")

    def code() -> str:
        calls = telegram.sent("sendMessage", chat_id=chat)[before:]
        found = [re.search(r"([A-Z2-9]{8})", c.text or "") for c in calls]
        return next((f.group(1) for f in found if f), "")

    given = await wait_for(code, timeout=10)
    if keyboard:  # the page moves the focus to the code's field
        await page.wait_js("document.activeElement.id === 'code'")
        await page.type(given)
        await page.press("Enter")
    else:
        await page.js(f"document.getElementById('code').value = '{given}';"
                      " setTimeout(() => document.getElementById('give-code').requestSubmit(), 0); true")
    await page.wait_js("location.pathname === '/desk' && document.readyState === 'complete'")


# The page the browser went to after a form's post (the page before it was marked `window.before`), fully loaded.
NEW_PAGE = "!window.before && document.readyState === 'complete'"


@contextlib.asynccontextmanager
async def desk_service(tmp_path: Path, telegram: FakeTelegramApi) -> AsyncIterator[Service]:
    """The service with the seeded store, staff sign-in codes sent through the fake Telegram, the clock at NOW."""
    settings = make_settings(
        tmp_path, TELEGRAM_BOT_TOKEN="123:ABC", TELEGRAM_API_BASE_URL=telegram.api_base,
        TELEGRAM_FILE_BASE_URL=telegram.file_base, TELEGRAM_MODE="webhook", TELEGRAM_WEBHOOK_SECRET="s" * 20,
        WARGA_PUBLIC_URL="http://127.0.0.1:1", WARGA_MAP_TILE_URL="http://127.0.0.1:9/{z}/{x}/{y}.png")
    async with running_service(settings, clock=lambda: NOW.astimezone(UTC)) as svc:
        await seed_store(svc.store)
        yield svc


async def resident_files(store: Store, resident: Page) -> None:
    """The web chat session open in `resident` owns complaint NUMBER, routed to Dinas PUPR, with a pin."""
    sender = await resident.wait_js("fetch('/webhooks/rest/session', {credentials: 'same-origin'})"
                                    ".then(r => r.json()).then(s => s.sender)")
    now = NOW.astimezone(UTC)
    reporter = f"webchat:{sender}"
    await store.commit(Changes(
        identities=[Identity(key=reporter, channel="webchat", sender_id=sender)],
        tickets=[Ticket(number=NUMBER, kind="aduan", topic="aduan_jalan_rusak", opd_id="dinas-pupr",
                        status="baru", text="Jalan berlubang di depan pasar", reporter=reporter,
                        created_at=now, updated_at=now, due_at=WorkCalendar().add_working_days(now, 10),
                        location={"latitude": -7.46, "longitude": 112.43, "kecamatan": "Kota"})],
        events=[TicketEvent(ticket=NUMBER, kind="created", at=now, actor=reporter)]))


def cell(opd: str, name: str) -> str:
    return (f"(() => {{ const c = document.querySelector('tr[data-opd=\"{opd}\"] td.{name}');"
            " return c ? c.textContent.trim() : null; })()")


def text_of(element: str, part: str) -> str:
    """JavaScript: does element #`element` exist and contain `part` (false while the page loads)?"""
    return f"(document.getElementById({json.dumps(element)})?.textContent || '').includes({json.dumps(part)})"


def fmt_num(value: float | None) -> str:
    return "-" if value is None else f"{value:g}"


def fmt_pct(value: float | None) -> str:
    return "-" if value is None else f"{value * 100:.0f}%"


async def test_officer_desk_and_regent_dashboard_in_chromium(tmp_path: Path, nlu_model_path: Path) -> None:
    assert chromium_path(), "chromium is missing: run scripts/ensure_chromium.sh (make test does)"
    async with FakeTelegramApi() as telegram, desk_service(tmp_path, telegram) as svc:
        store = svc.store
        async with open_page(svc.url + "/") as resident:
            await resident_files(store, resident)
            now = NOW.astimezone(UTC)

            async with open_page("about:blank") as desk:
                await sign_in(desk, svc.url, telegram, OFFICER_PUPR.sender_id)
                # Only their OPD on the dashboard, whatever the URL asks for.
                await go(desk, f"{svc.url}/desk?opd=dishub&dari=2026-11-01&sampai=2026-11-27")
                rows = await desk.js("Array.from(document.querySelectorAll('#ranking tbody tr'))"
                                     ".map(r => r.dataset.opd)")
                assert rows == ["dinas-pupr"]
                # The map shows this OPD's pins (clustered), from the seeded locations.
                pins = await desk.wait_js("document.getElementById('map').dataset.pins")
                assert int(pins) == 6  # tickets 1, 2, 3, 4, 6 and the resident's
                assert await desk.wait_js("document.querySelectorAll('.leaflet-marker-icon').length > 0")
                assert await desk.js("!!document.querySelector('#weeks-chart') && !!window.Chart")
                # Another OPD's ticket by URL is refused.
                await go(desk, f"{svc.url}/desk/tiket/ADU-2611-0007")
                assert "bukan wewenang" in await desk.js("document.body.textContent")
                assert "Laporan uji ADU-2611-0007" not in await desk.js("document.body.textContent")
                # The list holds only their OPD's tickets; the CSV export holds the filtered ones.
                await go(desk, f"{svc.url}/desk/tiket?status=terlambat")
                listed = await desk.js("Array.from(document.querySelectorAll('#tickets tbody th'))"
                                       ".map(e => e.textContent.trim())")
                assert listed == ["ADU-2611-0004"]
                exported = await desk.js("fetch(document.getElementById('export-csv').href).then(r => r.text())")
                assert "ADU-2611-0004" in exported and "ADU-2611-0008" not in exported
                # Reply from the desk, then an internal note.
                await go(desk, f"{svc.url}/desk/tiket/{NUMBER}")
                await desk.js("document.getElementById('reply-text').value = 'Tim PUPR menambal besok pagi.';"
                              " window.before = true;"
                              " setTimeout(() => document.getElementById('reply-form').requestSubmit(), 0); true")
                await desk.wait_js(NEW_PAGE)
                await desk.wait_js("!!document.getElementById('notice')")
                await desk.wait_js("!!document.getElementById('note-text')")
                await desk.js("document.getElementById('note-text').value = 'Catatan internal: cek anggaran';"
                              " window.before = true;"
                              " setTimeout(() => document.getElementById('note-form').requestSubmit(), 0); true")
                await desk.wait_js(NEW_PAGE)
                await desk.wait_js(text_of("history", "cek anggaran"))
                await desk.wait_js("!!document.getElementById('done-photo')")
                # Mark done with a photo of the finished work: the resident receives the note and the photo.
                picture = tmp_path / "selesai.jpg"
                picture.write_bytes(photo_jpeg((320, 240)))
                root = await desk.call("DOM.getDocument")
                node = await desk.call("DOM.querySelector", nodeId=root["root"]["nodeId"], selector="#done-photo")
                await desk.call("DOM.setFileInputFiles", files=[str(picture)], nodeId=node["nodeId"])
                await desk.js("document.getElementById('done-text').value = 'Lubang sudah ditambal.';"
                              " window.before = true;"
                              " setTimeout(() => document.getElementById('done-form').requestSubmit(), 0); true")
                await desk.wait_js(NEW_PAGE)
                await desk.wait_js(text_of("ticket-status", "Selesai"))
                assert await desk.wait_js("document.querySelectorAll('#history img.photo').length === 1")
                await shoot(desk, "ticket")
                await resident.wait_js(
                    f"(() => {{ const t = {BOT_TEXTS}; return t.includes('Lubang sudah ditambal') && t; }})()")
                assert await resident.wait_js(
                    "Array.from(document.querySelectorAll('.msg--bot img'))"
                    ".some(i => i.complete && i.naturalWidth === 320 && i.src.includes('/media/'))")
                shown = await resident.wait_js(
                    f"(() => {{ const t = {BOT_TEXTS}; return t.includes('menambal besok pagi') && t; }})()")
                assert NUMBER in shown
                await resident.js("new Promise(r => setTimeout(r, 500))")
                assert "cek anggaran" not in await resident.js(BOT_TEXTS)
                ticket = await store.get_ticket(NUMBER)
                assert ticket is not None and ticket.status == "selesai"

                # The regent signs in on the same browser after the officer signs out (clicked after answering,
                # so the page going away does not cut the answer).
                await desk.js("setTimeout(() => document.getElementById('sign-out').click(), 0); true")
                await desk.wait_js("location.pathname === '/desk/masuk'")
                await sign_in(desk, svc.url, telegram, REGENT.sender_id)
                await go(desk, f"{svc.url}/desk?dari=2026-11-01&sampai=2026-11-27")
                calendar = svc.runtime.services.calendar
                for opd in ("dinas-pupr", "dishub", "dlh", "dinas-kesehatan"):
                    want = await direct_figures(store, opd, PERIOD, calendar, now)
                    got = {name: await desk.js(cell(opd, name)) for name in
                           ("received", "open", "overdue", "first", "resolution", "sla", "rating", "reopen")}
                    assert got == {
                        "received": str(want["received"]), "open": str(want["open"]),
                        "overdue": str(want["overdue"]),
                        "first": fmt_num(want["median_first_response_hours"]),
                        "resolution": fmt_num(want["median_resolution_days"]),
                        "sla": fmt_pct(want["within_sla"]), "rating": fmt_num(want["average_rating"]),
                        "reopen": fmt_pct(want["reopen_rate"])}, opd
                assert int(await desk.wait_js("document.getElementById('map').dataset.pins")) == 7  # also dishub's
                await desk.wait_js("document.querySelectorAll('.leaflet-marker-icon').length > 0")
                await shoot(desk, "dashboard")
                shown = await desk.js("fetch('/desk/peta.json?dari=2026-11-01&sampai=2026-11-27')"
                                      ".then(r => r.json()).then(b => b.points.map(p => p[2]))")
                assert set(shown) >= {"ADU-2611-0007", NUMBER}
                # The map's filters: open complaints only (tickets 4 and 6 of the seed have a pin)
                await desk.js("const s = document.querySelector('#map-filters select[name=status]');"
                              " s.value = 'terbuka'; s.dispatchEvent(new Event('change', {bubbles: true})); true")
                assert await desk.wait_js("document.getElementById('map').dataset.pins === '2'")
    for name in ("dashboard", "ticket"):
        for size in SIZES:
            assert (SHOTS / f"desk-{name}-{size}.png").stat().st_size > 5000
