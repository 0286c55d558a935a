"""The operator lists enrolled staff and revokes one person's access (an officer moved to another agency, a village
head's term ended, a phone lost): in chat (/petugas, /cabut_akses) and on the server (python -m bot staff).
Revoking takes effect at once everywhere the person was staff: their chat, the desk they signed in to on the web
(its session ends), their assignments (back in the queue) and the cards of new complaints (no longer sent)."""

from __future__ import annotations

import asyncio
import os
import re
import subprocess
import sys
from pathlib import Path

import aiohttp
import pytest

from actions.staff_admin import staff_ref
from bot.store.base import Changes
from tests.channels.test_telegram import (  # noqa: F401 - `fake` is the Telegram API fixture
    deliver,
    enrol_on_telegram,
    fake,
    file_webchat_complaint,
    joined,
    payload,
    tg_settings,
)
from tests.core.test_flows import enrol
from tests.harness import ROOT, mailbox, payloads, running_service, say, texts, wait_for, web_headers
from tests.security.conftest import post_message, start_session, visitor

OFFICER = "4401700"  # the officer on Telegram
COLLEAGUE = "4402800"


@pytest.fixture
async def svc(tmp_path: Path, fake, nlu_model_path: Path):  # noqa: F811
    async with running_service(tg_settings(tmp_path, fake)) as service:
        yield service


async def sign_in_on_the_web(browser: aiohttp.ClientSession, svc, fake, chat_id: str) -> None:  # noqa: F811
    """The officer asks for a sign-in code on the desk's page; it comes to their Telegram."""
    async with browser.post(f"{svc.url}/staff/masuk/kode", json={"identity": f"telegram:{chat_id}"}) as resp:
        assert resp.status == 202

    async def code() -> str:
        for call in fake.sent("sendMessage", chat_id=chat_id):
            found = re.search(r"kode masuk Warga Anda: ([A-Z2-9]{8})", call.text, re.IGNORECASE)
            if found:
                return found.group(1)
        return ""

    async with browser.post(f"{svc.url}/staff/masuk", json={"code": await wait_for(code, timeout=10)}) as resp:
        assert resp.status == 200


async def test_the_operator_revokes_an_officer_everywhere_at_once(svc, fake, http) -> None:  # noqa: F811
    await enrol(http, svc, "op-1", "operator", None)
    await enrol_on_telegram(http, svc, fake, OFFICER)
    await enrol_on_telegram(http, svc, fake, COLLEAGUE)
    await deliver(http, svc, fake, payload("private_reply", text="/nama Agus Pindahan", sender=OFFICER), chat=OFFICER)
    number = await file_webchat_complaint(http, svc.url, "dewi")
    ticket = await svc.store.get_ticket(number)
    ticket.extra["assignee"] = {"key": f"telegram:{OFFICER}", "name": "Agus Pindahan"}
    await svc.store.commit(Changes(tickets=[ticket]))

    async with visitor() as browser:
        await sign_in_on_the_web(browser, svc, fake, OFFICER)
        async with browser.get(f"{svc.url}/desk", allow_redirects=False) as resp:
            assert resp.status == 200

        # The list: each person once (not the web identity the officer signed in with), the end of the chat id only.
        listing = texts(await say(http, svc.url, "op-1", "/petugas dinas-pupr"))
        code = staff_ref(f"telegram:{OFFICER}")
        assert "Agus Pindahan (petugas Dinas PUPR)" in listing and f"kode *{code}*" in listing, listing
        assert listing.count("Agus Pindahan") == 1 and "telegram …1700" in listing and OFFICER not in listing
        assert "Staf terdaftar di Dinas PUPR: 2 orang" in listing, listing
        everyone = texts(await say(http, svc.url, "op-1", "/petugas"))
        assert "• Operator · web chat" in everyone and "3 orang" in everyone, everyone

        # Only the operator lists or revokes; nobody revokes themselves; an unknown code changes nothing.
        sent = await deliver(http, svc, fake, payload("private_reply", text=f"/cabut_akses {code}", sender=COLLEAGUE),
                             chat=COLLEAGUE)
        assert "khusus untuk operator" in joined(sent), joined(sent)
        own = staff_ref("webchat:op-1")
        assert "tidak dapat mencabut akses Anda sendiri" in texts(await say(http, svc.url, "op-1",
                                                                             f"/cabut_akses {own}"))
        assert "Tidak ada staf" in texts(await say(http, svc.url, "op-1", "/cabut_akses abcdef"))

        # Typed, it only asks, naming who and what follows; the yes button does it.
        asked = await say(http, svc.url, "op-1", f"/cabut_akses {code}\npindah tugas ke kecamatan")
        question = texts(asked)
        assert "Cabut akses Agus Pindahan (petugas Dinas PUPR)" in question and "1 aduan terbuka" in question, question
        assert "Alasan: pindah tugas ke kecamatan" in question, question
        assert (await svc.store.get_identity(f"telegram:{OFFICER}")).role == "officer"
        [yes, no] = payloads(asked)
        assert no == "/batal" and yes.startswith(f"/cabut_akses {code} ✓"), payloads(asked)
        answer = texts(await say(http, svc.url, "op-1", yes))
        assert "Akses Agus Pindahan (petugas Dinas PUPR) sudah dicabut" in answer, answer
        assert "1 aduan yang ditugaskan kepadanya kembali ke antrian OPD-nya" in answer, answer

        # The desk session ends at once; the browser's chat is refused, saying why.
        async with browser.get(f"{svc.url}/desk", allow_redirects=False) as resp:
            assert resp.status == 303 and resp.headers["Location"].startswith("/desk/masuk")
        status, replies = await post_message(browser, svc.url, "/antrian")
        assert status == 403 and "sudah dicabut" in texts(replies), replies

    # The person is told on Telegram, and is a resident from the next message on.
    async def told() -> bool:
        return any("Akses Anda sebagai petugas Dinas Pekerjaan Umum" in c.text and "pindah tugas ke kecamatan" in c.text
                   for c in fake.sent("sendMessage", chat_id=OFFICER))
    await wait_for(told, timeout=10)
    sent = await deliver(http, svc, fake, payload("private_reply", text="/antrian", sender=OFFICER), chat=OFFICER)
    assert "Akses petugas Anda sudah dicabut" in joined(sent), joined(sent)  # not "only for officers"
    identity = await svc.store.get_identity(f"telegram:{OFFICER}")
    assert (identity.role, identity.opd_id, identity.name) == ("resident", None, "Agus Pindahan")

    # The assignment went back to the queue with a history line; new cards reach the colleague, not them.
    ticket = await svc.store.get_ticket(number)
    assert "assignee" not in ticket.extra and ticket.opd_id == "dinas-pupr"
    released = await svc.store.ticket_events(number, "unassigned")
    assert [(e.text, e.data.get("name")) for e in released] == [("pindah tugas ke kecamatan", "Agus Pindahan")]
    before = len(fake.sent("sendMessage", chat_id=OFFICER))
    second = await file_webchat_complaint(http, svc.url, "rudi")
    await wait_for(lambda: any(second in c.text for c in fake.sent("sendMessage", chat_id=COLLEAGUE)), timeout=10)
    await asyncio.sleep(0.3)
    assert not any(second in c.text for c in fake.sent("sendMessage", chat_id=OFFICER)[before:])
    listing = texts(await say(http, svc.url, "op-1", "/petugas dinas-pupr"))
    assert "Agus Pindahan" not in listing and "1 orang" in listing, listing


async def test_a_web_enrolled_officer_revoked_is_refused_in_that_browser_until_enrolled_again(svc, http) -> None:
    """An officer enrolled on the web chat itself: after revocation that browser reads nothing (its history holds
    staff cards) and says why; a new code from the operator makes them staff again as themselves."""
    await enrol(http, svc, "op-1", "operator", None)
    async with visitor() as browser:
        sender = await start_session(browser, svc.url)
        code = await _code(svc)
        status, replies = await post_message(browser, svc.url, f"/daftar {code}")
        assert status == 200 and "terdaftar" in texts(replies), replies
        await post_message(browser, svc.url, "/nama Rina Wati")
        answer = texts(await say(http, svc.url, "op-1", f"/cabut_akses {staff_ref('webchat:' + sender)} ✓ berhenti"))
        assert "Akses Rina Wati (petugas Dinas PUPR) sudah dicabut" in answer, answer
        for path in ("/webhooks/rest/history?after=0", "/webhooks/rest/webhook"):
            method = browser.get if path.endswith("0") else browser.post
            async with method(f"{svc.url}{path}", **({} if path.endswith("0") else {"json": {"message": "halo"}})) \
                    as resp:
                assert resp.status == 403 and "sudah dicabut" in await resp.text(), path
        await asyncio.sleep(1.1)  # the revocation ends the sessions issued up to its second
        status, replies = await post_message(browser, svc.url, f"/daftar {await _code(svc)}")
        assert status == 200 and "terdaftar" in texts(replies), replies
        status, replies = await post_message(browser, svc.url, "/antrian")
        assert status == 200 and "hanya untuk petugas" not in texts(replies), replies
    again = await svc.store.get_identity(f"webchat:{sender}")
    assert (again.role, again.name) == ("officer", "Rina Wati")


async def _code(svc) -> str:
    from bot.__main__ import issue_code

    return await issue_code(svc.settings, "officer", "dinas-pupr")


async def test_the_server_command_lists_and_revokes_while_the_service_runs(svc, http) -> None:
    """`python -m bot staff` on the same data, in its own process, while the service runs: what the chat command
    does, for an operator who cannot (or, the last one, must not) do it in chat."""
    await enrol(http, svc, "op-1", "operator", None)
    await enrol(http, svc, "kades", "officer", "dinas-sosial")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("WARGA_", "TELEGRAM_", "WHATSAPP_"))}
    env.update(WARGA_DATA_DIR=str(svc.settings.data_dir), WARGA_CONTENT_DIR=str(svc.settings.content_dir))

    def staff(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "-m", "bot", "staff", *args], cwd=ROOT, env=env, capture_output=True,
                              text=True, timeout=60)

    listed = await asyncio.to_thread(staff, "list", "--opd", "dinas-sosial")
    assert listed.returncode == 0, listed.stderr
    assert f"{staff_ref('webchat:kades')}  Petugas Dinas Sosial" in listed.stdout, listed.stdout
    assert "op-1" not in listed.stdout and "1 enrolled" in listed.stderr
    bad = await asyncio.to_thread(staff, "remove", "zzzzzz")
    assert bad.returncode == 2 and "no enrolled staff member" in bad.stderr
    done = await asyncio.to_thread(staff, "remove", staff_ref("webchat:kades"), "--reason", "masa tugas selesai")
    assert done.returncode == 0 and "Akses Petugas Dinas Sosial sudah dicabut" in done.stdout, done.stderr
    async with http.post(f"{svc.url}/webhooks/rest/webhook", json={"message": "/antrian"},
                         headers=web_headers(svc.url, "kades")) as resp:
        said = texts(await resp.json())
    assert "sudah dicabut" in said or "hanya untuk petugas" in said, said  # refused, or a resident's answer
    assert (await svc.store.get_identity("webchat:kades")).role == "resident"
    await wait_for(lambda: _notice_in(svc, "webchat:kades", "masa tugas selesai"), timeout=10)


async def _notice_in(svc, key: str, words: str) -> bool:
    return any(words in item["text"] for item in await mailbox(svc.store, key))


async def test_codes_a_revoked_operator_made_and_nobody_used_are_void(svc, http) -> None:
    """An operator's phone is lost: the chat history shows the enrolment codes they made. Revoking them makes those
    codes void, so whoever has the phone cannot make themselves (or anyone) staff with one."""
    await enrol(http, svc, "op-1", "operator", None)
    await enrol(http, svc, "op-2", "operator", None)
    made = texts(await say(http, svc.url, "op-2", "/undang operator"))
    code = re.search(r"/daftar ([A-Z2-9]{8})", made).group(1)  # type: ignore[union-attr]
    other = re.search(r"/daftar ([A-Z2-9]{8})", texts(await say(http, svc.url, "op-1", "/undang dinas-pupr")))
    asked = await say(http, svc.url, "op-1", f"/cabut_akses {staff_ref('webchat:op-2')} ponsel hilang")
    assert (await svc.store.get_identity("webchat:op-2")).role == "operator"  # nothing happens before the yes
    answer = texts(await say(http, svc.url, "op-1", payloads(asked)[0]))
    assert "1 kode pendaftaran yang pernah ia buat dan belum dipakai kini tidak berlaku" in answer, answer
    assert "terdaftar sebagai" not in texts(await say(http, svc.url, "pencuri", f"/daftar {code}"))
    assert (await svc.store.get_identity("webchat:op-2")).role == "resident"
    # a code the other operator made still works
    assert "terdaftar" in texts(await say(http, svc.url, "agus", f"/daftar {other.group(1)}"))  # type: ignore[union-attr]
