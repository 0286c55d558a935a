"""The village head and the camat decide letter requests on the web desk after staff sign-in, over real HTTP:
the same effects, records and notices as in chat; nobody else sees or acts on a request."""

from __future__ import annotations

import re

import aiohttp

from actions.letters import ISSUED, REVOKED, letter_of
from bot.desk.views import NOTICE_COOKIE
from bot.letters_cli import issue_letter_code
from bot.store.base import Changes, Identity, Ticket
from integrations.signing import check_pdf, load_pem_certificates
from tests.harness import mailbox, make_settings, running_service, texts, wait_for, web_headers
from tests.letters.conftest import CAMAT, GOOD_NIK, HEAD, LetterWorld, request_skck
from tests.security.conftest import post_message, start_session, visitor

RESIDENT = "warga-desk"


async def sign_in(world: LetterWorld, telegram_user: str) -> aiohttp.ClientSession:
    """A browser signed in on the desk with the code the bot sends to `telegram_user` (bot/web/staff_auth.py).

    The service runs behind an https public URL, so its cookies are Secure: the browser here carries the
    session token the cookie holds as a bearer token instead (as the web chat's API also accepts)."""
    url = world.svc.url
    async with world.http.get(f"{url}/webhooks/rest/session") as resp:
        token = resp.cookies["warga_session"].value
    bearer = {"Authorization": f"Bearer {token}"}
    async with world.http.post(f"{url}/staff/masuk/kode", json={"identity": f"telegram:{telegram_user}"},
                               headers=bearer) as resp:
        assert resp.status == 202

    def code_sent() -> str:
        for call in reversed(world.fake.sent("sendMessage", chat_id=telegram_user)):
            found = re.search(r"kode masuk Warga Anda: ([A-Z2-9]{8})", call.text, re.IGNORECASE)
            if found and found.group(1) not in used_codes:
                return found.group(1)
        return ""

    code = await wait_for(code_sent, timeout=10)
    used_codes.add(code)
    async with world.http.post(f"{url}/staff/masuk", json={"code": code}, headers=bearer) as resp:
        assert resp.status == 200, await resp.text()
        staff_token = resp.cookies["warga_session"].value
    return aiohttp.ClientSession(headers={"Authorization": f"Bearer {staff_token}"})


used_codes: set[str] = set()


async def page(browser: aiohttp.ClientSession, url: str, status: int = 200) -> str:
    async with browser.get(url, allow_redirects=False) as resp:
        body = await resp.text()
        assert resp.status == status, (resp.status, body[:500])
        return body


def csrf_of(html: str) -> str:
    found = re.search(r'name="csrf" value="([^"]+)"', html)
    assert found, html[:500]
    return found.group(1)


async def decide(browser: aiohttp.ClientSession, url: str, action: str, text: str = "", csrf: str = "",
                 status: int = 200) -> str:
    """Post a decision; a taken one (`status` 200) answers with a redirect to the letter's page (post/redirect/get,
    so a reload does not decide again), whose text is returned with what the decision said."""
    async with browser.post(url, data={"csrf": csrf, "action": action, "text": text}, allow_redirects=False) as resp:
        body = await resp.text()
        if status != 200:
            assert resp.status == status, (resp.status, body[:500])
            return body
        assert resp.status == 303, (resp.status, body[:500])
        location, said = resp.headers["Location"], resp.cookies[NOTICE_COOKIE]
    base, path = url.split("/desk/", 1)
    assert location.startswith(f"/desk/{path}?") and said["path"] == f"/desk/{path}", (location, said)
    # The cookie is Secure (the service's public URL is https): the browser here hands it over itself.
    async with browser.get(base + location, cookies={NOTICE_COOKIE: said.value}, allow_redirects=False) as resp:
        body = await resp.text()
        assert resp.status == 200, (resp.status, body[:500])
        return body


def own_csrf(world: LetterWorld, telegram_user: str) -> str:
    """The CSRF token the desk puts in the pages it shows to the staff identity signed in from `telegram_user`."""
    staff = world.svc.runtime.channels["webchat"].staff  # type: ignore[attr-defined]
    key = f"webchat:{staff.web_sender_for(f'telegram:{telegram_user}')}"
    return world.svc.runtime.sessions.derive(f"desk-csrf:{key}")  # type: ignore[union-attr]


async def _pushed(world: LetterWorld, words: str) -> list[dict]:
    return [i for i in await mailbox(world.svc.store, f"webchat:{RESIDENT}") if words in i.get("text", "")]


async def test_head_and_camat_approve_on_the_desk_and_the_resident_gets_the_signed_letter(world: LetterWorld):
    await world.enrol(HEAD, "village_head", "sooko")
    await world.enrol(CAMAT, "camat", "sooko")
    number = await request_skck(world, RESIDENT)
    url = world.svc.url
    head = await sign_in(world, HEAD)
    async with head:
        # The desk's own pages send the village head to their letter queue; the queue lists the request.
        async with head.get(f"{url}/desk", allow_redirects=False) as resp:
            assert resp.status == 303 and resp.headers["Location"].startswith("/desk/surat")
        queue = await page(head, f"{url}/desk/surat")
        waiting = queue.split('id="waiting"')[1].split("</section>")[0]
        assert number in waiting and "Surat Pengantar SKCK" in waiting and "Sooko" in queue
        detail = await page(head, f"{url}/desk/surat/{number}")
        assert "Siti Rahayu" in detail and GOOD_NIK not in detail and "3599********0003" in detail
        assert 'id="approve-form"' in detail and 'id="tolak-form"' in detail and 'id="cabut-form"' not in detail
        async with head.get(f"{url}/desk/surat/{number}/foto") as resp:
            assert resp.status == 200 and resp.content_type == "image/jpeg"
        csrf = csrf_of(detail)

        # A decision needs the page's CSRF token; nothing changes without it.
        await decide(head, f"{url}/desk/surat/{number}", "setujui", csrf="salah", status=400)
        assert (await world.svc.store.get_ticket(number)).status == "menunggu_kades"
        done = await decide(head, f"{url}/desk/surat/{number}", "setujui", csrf=csrf)
        assert 'data-status="menunggu_camat"' in done and "camat" in done
        assert 'id="approve-form"' not in done  # decided: no second approval offered
        # A reload shows the page again, without what the decision said and without deciding anything.
        again = await page(head, f"{url}/desk/surat/{number}")
        assert 'data-status="menunggu_camat"' in again and done.count("camat") > again.count("camat")
    # The resident and the camat are told, as after an approval in chat.
    await wait_for(lambda: _pushed(world, "camat"))
    await wait_for(lambda: [c for c in world.fake.sent(chat_id=CAMAT) if number in c.text and c.payloads])

    camat = await sign_in(world, CAMAT)
    async with camat:
        queue = await page(camat, f"{url}/desk/surat")
        assert number in queue.split('id="waiting"')[1].split("</section>")[0]
        detail = await page(camat, f"{url}/desk/surat/{number}")
        await decide(camat, f"{url}/desk/surat/{number}", "setujui", csrf=csrf_of(detail))

    # The outbox signs and delivers: the resident downloads a PDF signed by both.
    link = await wait_for(lambda: _pushed(world, "/surat/unduh/"), timeout=30)
    download = re.search(r"https://warga\.example\.go\.id(/surat/unduh/\S+)", link[0]["text"]).group(1)
    async with world.http.get(f"{url}{download}", headers=web_headers(url, RESIDENT)) as resp:
        assert resp.status == 200 and resp.content_type == "application/pdf"
        pdf = await resp.read()
    check = await check_pdf(pdf, load_pem_certificates(world.ca_pem))
    assert check.ok and [s.field for s in check.signatures] == ["TTE-KepalaDesa", "TTE-Camat"]
    ticket = await world.svc.store.get_ticket(number)
    assert ticket.status == ISSUED
    events = await world.svc.store.ticket_events(number)
    assert [e.kind for e in events] == ["created", "letter_approved", "letter_approved", "letter_issued"]
    staff = world.svc.runtime.channels["webchat"].staff  # type: ignore[attr-defined]
    assert events[1].actor == f"webchat:{staff.web_sender_for(f'telegram:{HEAD}')}"
    assert events[1].data["role"] == "village_head" and events[2].data["role"] == "camat"

    # The village head revokes it from the desk, with a reason (asked for when missing).
    head = await sign_in(world, HEAD)
    async with head:
        detail = await page(head, f"{url}/desk/surat/{number}")
        assert 'id="cabut-form"' in detail and letter_of(ticket)["letter_no"] in detail
        assert "permohonan diajukan" in detail and "disetujui" in detail and "surat terbit" in detail  # in words
        answer = await decide(head, f"{url}/desk/surat/{number}", "cabut", "  ", csrf_of(detail), status=400)
        assert "alasan" in answer
        assert (await world.svc.store.get_ticket(number)).status == ISSUED
        await decide(head, f"{url}/desk/surat/{number}", "cabut", "data pemohon keliru", csrf_of(detail))
    assert (await world.svc.store.get_ticket(number)).status == REVOKED
    told = await wait_for(lambda: _pushed(world, "dicabut"))
    assert "data pemohon keliru" in told[0]["text"]


async def test_correction_and_rejection_from_the_desk_reach_the_resident(world: LetterWorld):
    await world.enrol(HEAD, "village_head", "sooko")
    number = await request_skck(world, RESIDENT)
    url = world.svc.url
    async with await sign_in(world, HEAD) as head:
        detail = await page(head, f"{url}/desk/surat/{number}")
        csrf = csrf_of(detail)
        answer = await decide(head, f"{url}/desk/surat/{number}", "perbaiki", "", csrf, status=400)
        assert "alasan" in answer and (await world.svc.store.get_ticket(number)).status == "menunggu_kades"
        await decide(head, f"{url}/desk/surat/{number}", "perbaiki", "tulis RT/RW dan dusun", csrf)
        assert (await world.svc.store.get_ticket(number)).status == "perlu_perbaikan"
        pushed = await wait_for(lambda: _pushed(world, "tulis RT/RW dan dusun"))
        assert f"/ubah_surat {number}" in [b["payload"] for i in pushed for b in i.get("buttons", [])]
        # Nothing to decide while the resident corrects it; a rejection now is refused by the command.
        detail = await page(head, f"{url}/desk/surat/{number}")
        assert 'id="tolak-form"' not in detail
        answer = await decide(head, f"{url}/desk/surat/{number}", "tolak", "bukan warga", csrf)
        assert "tidak sedang menunggu" in answer
        assert (await world.svc.store.get_ticket(number)).status == "perlu_perbaikan"

        await world.say(RESIDENT, f"/ubah_surat {number}")
        await world.say(RESIDENT, "kirim")
        await decide(head, f"{url}/desk/surat/{number}", "tolak", "pemohon bukan warga Desa Sooko", csrf)
    assert (await world.svc.store.get_ticket(number)).status == "ditolak"
    await wait_for(lambda: _pushed(world, "bukan warga Desa Sooko"))
    kinds = [(e.kind, e.text) for e in await world.svc.store.ticket_events(number)]
    assert kinds[1:] == [("letter_fix_requested", "tulis RT/RW dan dusun"), ("letter_corrected", None),
                         ("letter_rejected", "pemohon bukan warga Desa Sooko")]


async def test_only_the_signer_of_that_place_sees_or_acts(world: LetterWorld):
    await world.enrol(HEAD, "village_head", "japan")  # the head of another village
    await world.enrol(CAMAT, "camat", "trowulan")  # the camat of another kecamatan
    number = await request_skck(world, RESIDENT)
    url = world.svc.url
    for user in (HEAD, CAMAT):
        async with await sign_in(world, user) as other:
            queue = await page(other, f"{url}/desk/surat")
            assert number not in queue
            detail = await page(other, f"{url}/desk/surat/{number}", status=404)
            assert "Siti Rahayu" not in detail
            await page(other, f"{url}/desk/surat/{number}/foto", status=404)
            # even with their own valid CSRF token (the one their own request pages carry)
            await decide(other, f"{url}/desk/surat/{number}", "setujui", csrf=own_csrf(world, user), status=404)
            await decide(other, f"{url}/desk/surat/{number}", "cabut", "x", own_csrf(world, user), status=404)
    assert (await world.svc.store.get_ticket(number)).status == "menunggu_kades"

    # Without a staff session the desk asks to sign in; a resident's session is not one; other staff are refused.
    async with visitor() as anonymous:
        async with anonymous.get(f"{url}/desk/surat/{number}", allow_redirects=False) as resp:
            assert resp.status == 303 and resp.headers["Location"].startswith("/desk/masuk")
        async with anonymous.post(f"{url}/desk/surat/{number}", data={"action": "setujui"},
                                  allow_redirects=False) as resp:
            assert resp.status == 303
    async with aiohttp.ClientSession(headers=web_headers(url, RESIDENT)) as resident:
        async with resident.get(f"{url}/desk/surat/{number}", allow_redirects=False) as resp:
            assert resp.status == 303
    await world.svc.store.commit(Changes(identities=[Identity(
        key="webchat:petugas-pupr", channel="webchat", sender_id="petugas-pupr", role="officer", opd_id="dinas-pupr")]))
    async with aiohttp.ClientSession(headers=web_headers(url, "petugas-pupr")) as officer:
        for path in ("/desk/surat", f"/desk/surat/{number}"):
            async with officer.get(f"{url}{path}", allow_redirects=False) as resp:
                assert resp.status == 403 and "kepala desa/lurah dan camat" in await resp.text()
    assert (await world.svc.store.get_ticket(number)).status == "menunggu_kades"


async def test_enrolment_names_the_place(world: LetterWorld):
    sent = await world.text("5005", "/daftar SALAH123")
    assert "tidak berlaku" in sent[0].text
    for user, role, place, words in (("5005", "village_head", "japan", "kepala Desa Japan"),
                                     ("6006", "camat", "trowulan", "camat Kecamatan Trowulan")):
        code = await issue_letter_code(world.svc.settings, role, place)
        sent = await world.text(user, f"/daftar {code}")
        said = "\n".join(c.text for c in sent)
        assert words in said and " ." not in said, said


async def test_a_signer_on_the_web_chat_needs_a_signed_in_session(tmp_path, nlu_model_path):
    """Like other staff: /daftar on the web makes the session a staff session; the role from a plain session is
    refused."""
    async with running_service(make_settings(tmp_path)) as svc, visitor() as browser:
        await start_session(browser, svc.url)
        code = await issue_letter_code(svc.settings, "village_head", "sooko")
        status, replies = await post_message(browser, svc.url, f"/daftar {code}")
        assert status == 200 and "kepala Desa Sooko" in texts(replies)
        status, replies = await post_message(browser, svc.url, "/antrian_surat")
        assert status == 200 and "Tidak ada permohonan" in texts(replies), texts(replies)
        async with visitor() as other:
            sender = await start_session(other, svc.url)
            await svc.store.commit(Changes(identities=[Identity(
                key=f"webchat:{sender}", channel="webchat", sender_id=sender, role="camat", opd_id="sooko")]))
            status, replies = await post_message(other, svc.url, "/antrian_surat")
            assert status == 403 and "masuk sebagai petugas" in texts(replies)


async def test_a_letter_request_stays_off_the_complaint_desk(world: LetterWorld):
    """The operator sees every complaint, the ones without an OPD too, but never a village letter request:
    not in the list, the exports, the map or the dashboard's figures, and not by its number."""
    number = await request_skck(world, RESIDENT)
    store = world.svc.store
    now = world.svc.runtime.services.clock()
    complaint = Ticket(number="ADU-2612-0077", kind="aduan", topic="aduan_jalan_rusak", opd_id=None,
                       status="triase", text="jalan rusak", reporter="webchat:warga-lain", created_at=now,
                       updated_at=now, location={"latitude": -7.55, "longitude": 112.38})
    await store.commit(Changes(tickets=[complaint], identities=[Identity(
        key="telegram:7100", channel="telegram", sender_id="7100", role="operator")]))
    url = world.svc.url
    async with await sign_in(world, "7100") as operator:
        for path in ("/desk/tiket?lang=id", "/desk/tiket?opd=-&lang=id", "/desk/tiket.csv", "/desk/peta.json"):
            body = await page(operator, f"{url}{path}")
            assert complaint.number in body and number not in body, (path, body[:800])
        dashboard = await page(operator, f"{url}/desk?lang=id")
        assert number not in dashboard
        await page(operator, f"{url}/desk/tiket/{number}?lang=id", status=404)
