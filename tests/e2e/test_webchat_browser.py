"""The web chat page in real headless Chromium: file a complaint, see the ticket, see an officer's reply."""

from __future__ import annotations

import json
import re
from pathlib import Path

import aiohttp
import pytest

from bot.__main__ import issue_code
from tests.e2e.cdp import chromium_path, open_page
from tests.harness import make_settings, running_service, say

pytestmark = pytest.mark.browser

TICKET = re.compile(r"WRG-\d{4}-\d{4}")
BOT_TEXTS = "Array.from(document.querySelectorAll('.msg--bot')).map(e => e.textContent).join('\\n')"


def bot_text_matching(condition: str) -> str:
    """JavaScript: all bot messages as one text `t` when `condition` holds for it, else false."""
    return f"(() => {{ const t = {BOT_TEXTS}; return ({condition}) && t; }})()"


def type_and_send(text: str) -> str:
    return (f"(() => {{ const i = document.getElementById('input'); i.value = {json.dumps(text)};"
            " document.getElementById('form').requestSubmit(); return true; })()")


def click_button(payload_title_part: str) -> str:
    return (f"(() => {{ const b = Array.from(document.querySelectorAll('#buttons button'))"
            f".find(b => b.textContent.toLowerCase().includes({json.dumps(payload_title_part.lower())}));"
            " if (!b) return false; b.click(); return true; })()")


async def test_resident_files_a_complaint_and_sees_the_officers_reply(tmp_path: Path, nlu_model_path: Path) -> None:
    assert chromium_path(), "chromium is missing: run scripts/ensure_chromium.sh (make test does)"
    settings = make_settings(tmp_path)
    async with running_service(settings) as svc, aiohttp.ClientSession() as http:
        code = await issue_code(settings, "officer", "dinas-pupr")
        await say(http, svc.url, "petugas-pupr", f"/daftar {code}")

        async with open_page(svc.url + "/") as page:
            # The page greets the visitor with the menu as quick-reply buttons.
            await page.wait_js("document.querySelectorAll('#buttons button').length >= 4")
            assert "Layanan Aduan Warga" in await page.js("document.title")

            await page.js(type_and_send("jalan di desa Sooko rusak parah banyak lubang"))
            await page.wait_js(f"({BOT_TEXTS}).includes('Dinas PUPR')")
            assert await page.wait_js(click_button("ya"))  # confirm the topic with the quick reply
            await page.wait_js(f"({BOT_TEXTS}).toLowerCase().includes('lokasi')")
            await page.js(type_and_send("Desa Sooko RT 02, depan balai desa"))
            await page.wait_js("document.querySelectorAll('#buttons button').length > 0")
            assert await page.js(click_button("lewati"))
            await page.wait_js("document.querySelectorAll('#buttons button').length >= 3")
            assert await page.js(click_button("publik"))
            await page.wait_js("document.querySelectorAll('#buttons button').length > 0")
            assert await page.js(click_button("kirim"))
            text = await page.wait_js(bot_text_matching("/WRG-\\d{4}-\\d{4}/.test(t)"))
            number = TICKET.search(text).group(0)

            # The officer answers on another channel; the reply appears without a reload.
            await say(http, svc.url, "petugas-pupr", f"/balas {number} Tim kami akan menambal jalan besok pagi.")
            shown = await page.wait_js(bot_text_matching("t.includes('menambal jalan besok')"))
            assert number in shown
            assert await page.js("location.href") == svc.url + "/"


BOT_BOLD = "Array.from(document.querySelectorAll('.msg--bot strong')).map(e => e.textContent)"
COUNT = "Array.from(document.querySelectorAll('.msg--bot')).filter(e => e.textContent.includes({})).length"


async def test_reload_restores_the_conversation_and_bold_is_rendered(tmp_path: Path, nlu_model_path: Path) -> None:
    assert chromium_path(), "chromium is missing: run scripts/ensure_chromium.sh (make test does)"
    settings = make_settings(tmp_path)
    async with running_service(settings) as svc, open_page(svc.url + "/") as page:
        await page.wait_js("document.querySelectorAll('#buttons button').length >= 4")
        await page.js(type_and_send("jalan di desa Sooko rusak parah <b>banyak</b> lubang"))
        await page.wait_js(f"({BOT_TEXTS}).includes('Dinas PUPR')")
        # *Jalan rusak* and *Dinas PUPR* are bold on the page, never shown with their asterisks.
        assert {"Jalan rusak", "Dinas PUPR"} <= set(await page.js(BOT_BOLD))
        assert "*" not in await page.js(BOT_TEXTS)
        assert await page.wait_js(click_button("ya"))
        await page.wait_js(f"({BOT_TEXTS}).toLowerCase().includes('lokasi')")

        # The resident comes back later in a new tab: the conversation is shown again from the store, and
        # the page's greeting is not sent (it would have answered "Di mana lokasinya?").
        await page.js("sessionStorage.clear(); location.reload(); true")
        await page.wait_js("document.querySelectorAll('.msg--me').length >= 1")
        shown = await page.wait_js(bot_text_matching("t.toLowerCase().includes('lokasi')"))
        assert "Dinas PUPR" in shown
        assert "jalan di desa Sooko" in await page.js(
            "Array.from(document.querySelectorAll('.msg--me')).map(e => e.textContent).join('\\n')")
        assert "Jalan rusak" in await page.js(BOT_BOLD)
        assert await page.js(COUNT.format(json.dumps("selamat datang"))) == 1

        # The open question is still the location: the answer goes on to the photo step.
        await page.js(type_and_send("Desa Sooko RT 02, depan balai desa"))
        await page.wait_js("document.querySelectorAll('#buttons button').length > 0")
        assert await page.js(click_button("lewati"))
        await page.wait_js("document.querySelectorAll('#buttons button').length >= 3")
        assert await page.js(click_button("publik"))
        summary = await page.wait_js(bot_text_matching("t.includes('Ringkasan')"))
        assert "depan balai desa" in summary
        # What a resident wrote is text on the page, never markup.
        assert "<b>banyak</b>" in summary
        assert await page.js("document.querySelectorAll('.msg b, .msg script').length") == 0
