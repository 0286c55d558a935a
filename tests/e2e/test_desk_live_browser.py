"""The desk's live pages in real headless Chromium: what one officer does, and what the resident answers in the
web chat, appears on a colleague's open ticket page and ticket list without a reload (server-sent events);
another OPD's officer hears nothing of it. The officer asks the resident for information by keyboard only, and
the resident's free-text answer lands in the ticket's history. The pages keep labels on every field and fit a
phone's width."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bot.store.base import Changes, Identity
from tests.desk.seed import OFFICER_DISHUB, OFFICER_PUPR
from tests.e2e.cdp import Page, chromium_path, open_page
from tests.e2e.test_desk_browser import BOT_TEXTS, NUMBER, desk_service, go, resident_files, sign_in, text_of
from tests.e2e.test_webchat_browser import type_and_send
from tests.fakes.telegram_api import FakeTelegramApi
from tests.harness import photo_jpeg

pytestmark = pytest.mark.browser

COLLEAGUE = Identity(key="telegram:700003", channel="telegram", sender_id="700003", role="officer",
                     opd_id="dinas-pupr", name="Petugas PUPR Dua")
#: JavaScript: the form fields of the page a person cannot tell apart without seeing it (no label, no name).
UNLABELLED = ("Array.from(document.querySelectorAll('input:not([type=hidden]), select, textarea, button'))"
              ".filter(e => e.tagName === 'BUTTON' ? !e.textContent.trim() && !e.getAttribute('aria-label')"
              " : !(e.labels && e.labels.length) && !e.getAttribute('aria-label'))"
              ".map(e => e.outerHTML.slice(0, 80))")
#: JavaScript: the page is wider than the screen (on a phone the page then zooms out or scrolls sideways).
TOO_WIDE = "window.innerWidth > screen.width || document.documentElement.scrollWidth > screen.width"
#: A map link as residents and officers paste them: one long word with nowhere to break the line.
LONG_LINK = ("https://www.google.com/maps/place/Pasar+Kota/@-7.4601234,112.4301234,17z/data=!3m1!4b1!4m6!3m5"
             "!1s0x2e7857d6c1c3c2a1:0x3e8b1c2d4f5a6b7c!8m2!3d-7.4601234!4d112.4301234!16s%2Fg%2F11c5q0wz2h")


#: JavaScript: the page marked `old` before an action has been replaced by the one the action led to.
NEW_PAGE = "document.readyState === 'complete' && !!document.body && !document.body.dataset.old"


def row(number: str, part: str) -> str:
    """JavaScript: does the list's row of ticket `number` exist and contain `part`?"""
    return (f"(() => {{ const r = document.querySelector('tr[data-number=\"{number}\"]');"
            f" return !!r && r.textContent.includes({json.dumps(part)}); }})()")


def connected(element: str) -> str:
    return f"document.getElementById({json.dumps(element)})?.dataset.connected === 'true'"


async def submit(page: Page, form: str, **fields: str) -> None:
    """Fill `fields` (element id: value) and submit form `form`, then wait for the answer's page."""
    fill = "".join(f"document.getElementById({json.dumps(k)}).value = {json.dumps(v)};" for k, v in fields.items())
    await page.js("document.body.dataset.old = 'yes';"
                  f"{fill} const form = document.getElementById({json.dumps(form)});"
                  " setTimeout(() => form.requestSubmit(), 0); true")  # answer before the page goes
    await page.wait_js(f"{NEW_PAGE} && !!document.getElementById('notice')")


async def test_changes_appear_live_for_colleagues_and_the_resident_answers_a_question(
        tmp_path: Path, nlu_model_path: Path) -> None:
    assert chromium_path(), "chromium is missing: run scripts/ensure_chromium.sh (make test does)"
    async with FakeTelegramApi() as telegram, desk_service(tmp_path, telegram) as svc:
        store = svc.store
        await store.commit(Changes(identities=[COLLEAGUE]))
        async with open_page(svc.url + "/") as resident, open_page("about:blank") as officer, \
                open_page("about:blank") as colleague, open_page("about:blank") as dishub:
            await resident_files(store, resident)
            await go(officer, f"{svc.url}/desk/masuk")
            assert await officer.js(UNLABELLED) == []
            await sign_in(officer, svc.url, telegram, OFFICER_PUPR.sender_id, keyboard=True)
            # The first Tab reaches the link that skips the menu to the page's content.
            await officer.press("Tab")
            assert await officer.js("document.activeElement.classList.contains('skip')")
            await officer.press("Enter")
            assert await officer.wait_js("location.hash === '#isi'")
            await sign_in(colleague, svc.url, telegram, COLLEAGUE.sender_id)
            await sign_in(dishub, svc.url, telegram, OFFICER_DISHUB.sender_id)
            # The colleague watches the ticket and, in a second tab, the list of open tickets; Dishub's
            # officer watches their own list.
            await go(colleague, f"{svc.url}/desk/tiket/{NUMBER}")
            await go(dishub, f"{svc.url}/desk/tiket?status=terbuka")
            async with colleague.tab(f"{svc.url}/desk/tiket?status=terbuka") as board:
                for page, stream in ((colleague, "live-notice"), (board, "list-live"), (dishub, "list-live")):
                    await page.wait_js(connected(stream))
                assert await board.js(row(NUMBER, "Diterima"))
                assert not await dishub.js(row(NUMBER, ""))
                # Dishub's officer cannot listen to PUPR's ticket either.
                assert await dishub.js(f"fetch('/desk/tiket/{NUMBER}/live').then(r => r.status)") == 404

                # The officer asks the resident for information with the keyboard only.
                await go(officer, f"{svc.url}/desk/tiket/{NUMBER}")
                assert await officer.js(UNLABELLED) == []
                await officer.tab_to("#reply-text")
                await officer.type("Di sebelah mana tepatnya lubangnya, Pak/Bu?")
                await officer.tab_to("#ask-info", limit=3)
                await officer.js("document.body.dataset.old = 'yes'; true")
                await officer.press("Enter")
                await officer.wait_js(f"{NEW_PAGE} && "
                                      + text_of("notice", f"Permintaan informasi untuk {NUMBER}"))
                await colleague.wait_js(text_of("history", "Di sebelah mana tepatnya"))
                assert await colleague.js(text_of("history", "Minta informasi"))
                # The resident sees the question in the web chat and answers in their own words.
                await resident.wait_js(f"({BOT_TEXTS}).includes('Di sebelah mana tepatnya')")
                await officer.wait_js(connected("live-notice"))
                await resident.js(type_and_send("Depan toko emas, sebelah kiri jalan kalau dari pasar"))
                for page in (officer, colleague):
                    await page.wait_js(text_of("history", "Depan toko emas"))
                    assert await page.js(text_of("history", "Pesan dari pelapor"))
                await board.wait_js(row(NUMBER, "pesan baru dari pelapor"))
                # A photo the resident sends with it shows in the history too.
                picture = tmp_path / "lubang.jpg"
                picture.write_bytes(photo_jpeg((200, 150)))
                root = await resident.call("DOM.getDocument")
                node = await resident.call("DOM.querySelector", nodeId=root["root"]["nodeId"], selector="#photo")
                await resident.call("DOM.setFileInputFiles", files=[str(picture)], nodeId=node["nodeId"])
                for page in (officer, colleague):
                    await page.wait_js("Array.from(document.querySelectorAll('#history li.message_in img.photo'))"
                                       ".some(i => i.complete && i.naturalWidth === 200)")
                events = [e.kind for e in await store.ticket_events(NUMBER)]
                assert events.count("message_in") == 2

                # A note, the status, an assignment and a reply: each reaches the colleague's pages.
                # The colleague starts a reply: the history still follows, and what they type stays.
                await colleague.js("document.getElementById('reply-text').focus(); true")
                await colleague.type("Kami cek ke lokasi")
                await submit(officer, "note-form", **{"note-text": f"Cek lokasi: {LONG_LINK}"})
                await colleague.wait_js(text_of("history", "Cek lokasi"))
                assert await colleague.js("[document.getElementById('reply-text').value, document.activeElement.id]"
                                          ) == ["Kami cek ke lokasi", "reply-text"]
                # The question put the ticket in progress: no "Tandai sedang diproses" is offered to press again
                # (it would tell the resident a second time), on either officer's page or on the board.
                await colleague.wait_js(text_of("ticket-status", "Sedang diproses"))
                assert await officer.js("!document.getElementById('progress-form')")
                assert await colleague.js("!document.getElementById('progress-form')")
                await board.wait_js(row(NUMBER, "Sedang diproses"))
                status = await board.js(f"document.querySelector('tr[data-number=\"{NUMBER}\"] .status')"
                                        ".textContent")
                assert status == "Sedang diproses"
                await officer.js(f"document.getElementById('assign-officer').value = '{COLLEAGUE.key}'; true")
                await submit(officer, "assign-form")
                await colleague.wait_js(text_of("ticket-assignee", "Petugas PUPR Dua"))
                # A second click while the reply is on its way (the server has it, the answer is held back
                # on its way to the browser) sends nothing more: the page clicks again once it sees the reply
                # in the ticket, then asks for a marker the test waits for.
                await officer.call("Fetch.enable", patterns=[
                    {"urlPattern": f"*/desk/tiket/{NUMBER}?lang=id", "requestStage": "Response"},
                    {"urlPattern": "*?klik=2", "requestStage": "Request"}])
                await officer.js(
                    "(() => { document.body.dataset.old = 'yes';"
                    " document.getElementById('reply-text').value = 'Terima kasih, tim berangkat besok.';"
                    " const send = document.querySelector('#reply-form button[value=balas]'); send.click();"
                    f" const look = () => fetch('/desk/tiket/{NUMBER}?lang=id&klik=1').then(r => r.text())"
                    ".then(t => { if (!t.includes('tim berangkat besok')) { setTimeout(look, 50); return; }"
                    " send.click(); fetch('/desk/static/desk.css?klik=2'); });"
                    " look(); return true; })()")
                await officer.wait_event("Fetch.requestPaused", lambda p: p["request"]["url"].endswith("?klik=2"))
                await officer.call("Fetch.disable")
                await officer.wait_js(f"{NEW_PAGE} && !!document.getElementById('notice')")

                async def replied() -> int:
                    return [e.text for e in await store.ticket_events(NUMBER, "message_out")].count(
                        "Terima kasih, tim berangkat besok.")

                assert await replied() == 1
                await colleague.wait_js(text_of("history", "tim berangkat besok"))
                await resident.wait_js(f"({BOT_TEXTS}).includes('tim berangkat besok')")
                # Reloading the page after a reply shows it again and sends nothing twice.
                assert await officer.js("location.pathname + location.search") == f"/desk/tiket/{NUMBER}?lang=id"
                await officer.js("document.body.dataset.old = 'yes'; true")
                await officer.call("Page.reload")
                await officer.wait_js(f"{NEW_PAGE} && !!document.getElementById('history')")
                assert not await officer.js("!!document.getElementById('notice')")
                assert await replied() == 1
                assert await colleague.js("document.getElementById('live-notice').hidden")
                assert await board.js("document.querySelector('#list-live .count').textContent") == "1"

                # Dishub's officer heard none of that: the first change their list shows is their own.
                async with dishub.tab(f"{svc.url}/desk/tiket/ADU-2611-0008") as own:
                    await own.wait_js("!!document.getElementById('note-form')")
                    await submit(own, "note-form", **{"note-text": "Cek parkir besok pagi"})
                await dishub.wait_js(row("ADU-2611-0008", "diperbarui"))
                assert await dishub.js("document.querySelector('#list-live .count').textContent") == "1"
                assert not await dishub.js(row(NUMBER, ""))

                # The ticket page, the list and the dashboard (opened on the phone) on a phone: nothing wider
                # than the screen.
                for page in (colleague, board, dishub):
                    await page.call("Emulation.setDeviceMetricsOverride", width=390, height=844,
                                    deviceScaleFactor=1, mobile=True)
                    await page.wait_js("screen.width === 390")
                    if page is dishub:
                        await go(dishub, f"{svc.url}/desk")
                        await dishub.wait_js("document.querySelectorAll('.leaflet-marker-icon').length > 0")
                        assert await dishub.js(UNLABELLED) == []
                    wide = await page.js("Array.from(document.querySelectorAll('main *'))"
                                         ".filter(e => e.getBoundingClientRect().right > screen.width + 1"
                                         " && !e.closest('.scroll, .map')).map(e => e.outerHTML.slice(0, 60))")
                    width = await page.js("[document.documentElement.scrollWidth, window.innerWidth]")
                    assert wide == [] and not await page.js(TOO_WIDE), (wide, width)
                assert await colleague.js(UNLABELLED) == [] and await board.js(UNLABELLED) == []
