"""WhatsApp's 24-hour window on the staff side, and the token check at start, against the fake Graph API.

An officer on WhatsApp who has not written for a day, with no template configured (the production default), gets
no cards: they are held. The operator's outbox page lists them, /healthz counts them for the operator, and the
operators are told once; everything held goes out, once, when the officer writes again. At start the channel
asks Graph for its phone number with the token and /healthz says whether that worked.
"""

from __future__ import annotations

import html
import re
import socket
from datetime import timedelta
from pathlib import Path

import pytest

from bot.__main__ import issue_code
from bot.message import Reply
from tests.channels.test_whatsapp import TOKEN, exchange, text_delivery, texts, whatsapp_service
from tests.channels.test_whatsapp import clock as clock  # noqa: F401 - fixtures
from tests.channels.test_whatsapp import graph as graph  # noqa: F401
from tests.desk.test_desk_http import staff_client
from tests.harness import mailbox, say, wait_for

OFFICER = "6281299990000"
OPERATOR_TOKEN = "operator-token-0123456789"
REASON = "menunggu penerima menulis dulu (jendela 24 jam WhatsApp)"


async def health(http, svc, operator: bool = False) -> dict:
    headers = {"Authorization": f"Bearer {OPERATOR_TOKEN}"} if operator else {}
    async with http.get(f"{svc.url}/healthz", headers=headers) as resp:
        return await resp.json()


async def notices(svc, operator: str) -> list[str]:
    return [i["text"] for i in await mailbox(svc.store, operator) if "tertahan" in i["text"]]


async def test_cards_held_for_a_silent_officer_are_shown_counted_announced_once_and_delivered_once(
        tmp_path: Path, nlu_model_path: Path, graph, clock, http):  # noqa: F811
    async with whatsapp_service(tmp_path, graph, clock, WHATSAPP_TEMPLATE_NAME="",
                                WARGA_OPERATOR_TOKEN=OPERATOR_TOKEN) as svc:
        # The officer enrolled on WhatsApp 25 hours ago and has not written since.
        clock.offset = -timedelta(hours=25)
        code = await issue_code(svc.settings, "officer", "dinas-pupr")
        assert "terdaftar" in texts(await exchange(http, svc, graph, text_delivery(f"/daftar {code}", sender=OFFICER)))
        clock.offset = timedelta(0)
        code = await issue_code(svc.settings, "operator", None)
        assert "terdaftar" in " ".join(r["text"] for r in await say(http, svc.url, "operator-web", f"/daftar {code}"))
        before = len(graph.sent_to(OFFICER))

        # Two complaints for the officer's OPD: their cards wait, and the operator is told once.
        for sender in ("warga-a", "warga-b"):
            for text in ("jalan di desa Sooko rusak parah banyak lubang", "ya", "Desa Sooko RT 02", "lewati",
                         "privasi:publik", "kirim"):
                await say(http, svc.url, sender, text)

        async def two_held() -> bool:
            return len(await svc.store.get_value(f"wa_pending:{OFFICER}") or []) >= 2
        await wait_for(two_held, timeout=15)
        told = await wait_for(lambda: notices(svc, "webchat:operator-web"))
        assert len(told) == 1 and "24 jam" in told[0] and OFFICER not in told[0]
        assert graph.sent_to(OFFICER)[before:] == []  # nothing against WhatsApp's rules, no template either

        # The outbox page lists them: for whom (masked), how many, since when, why.
        operator = await svc.store.get_identity("webchat:operator-web")
        async with await staff_client(svc, operator) as desk, desk.get(f"{svc.url}/desk/kiriman") as resp:
            page = html.unescape(await resp.text())
        assert resp.status == 200
        assert REASON in page and "Tidak ada kiriman yang tertunda" not in page and OFFICER not in page
        row = re.search(r'<table id="held".*?</table>', page, re.S).group(0)
        assert re.search(r'<td class="count">\s*2\s*</td>', row) and 'class="since"' in row
        # /healthz counts them for the operator only.
        held = (await health(http, svc, operator=True))["outbox"]["whatsapp_held"]
        assert held["recipients"] == 1 and held["messages"] == 2 and held["oldest"]
        assert "whatsapp_held" not in (await health(http, svc))["outbox"]

        # A retried outbox job is held once (its key), and a third card does not tell the operators again.
        channel = svc.runtime.channels["whatsapp"]
        for _ in range(2):
            await channel.deliver(OFFICER, [Reply("Kartu yang dicoba ulang")], "deliver:retried-job")
        pending = await svc.store.get_value(f"wa_pending:{OFFICER}")
        assert [p["text"] for p in pending].count("Kartu yang dicoba ulang") == 1 and len(pending) == 3
        assert len(await notices(svc, "webchat:operator-web")) == 1

        # The officer writes: everything held arrives first, once; the page and /healthz are clear again.
        sent = await exchange(http, svc, graph, text_delivery("halo", sender=OFFICER))
        assert "Aduan baru" in sent[0].text or "WRG-" in sent[0].text
        assert [s.text for s in sent].count("Kartu yang dicoba ulang") == 1
        assert await svc.store.get_value(f"wa_pending:{OFFICER}") == []
        assert (await health(http, svc, operator=True))["outbox"]["whatsapp_held"]["recipients"] == 0
        async with await staff_client(svc, operator) as desk, desk.get(f"{svc.url}/desk/kiriman") as resp:
            assert REASON not in html.unescape(await resp.text())
        again = await exchange(http, svc, graph, text_delivery("halo lagi", sender=OFFICER))
        assert "Kartu yang dicoba ulang" not in texts(again)


async def test_a_residents_held_answer_is_listed_but_not_announced(
        tmp_path: Path, nlu_model_path: Path, graph, clock, http):  # noqa: F811
    async with whatsapp_service(tmp_path, graph, clock, WHATSAPP_TEMPLATE_NAME="") as svc:
        resident = "6281234500000"
        clock.offset = -timedelta(hours=30)
        await exchange(http, svc, graph, text_delivery("halo", sender=resident))
        clock.offset = timedelta(0)
        code = await issue_code(svc.settings, "operator", None)
        await say(http, svc.url, "operator-web", f"/daftar {code}")
        await svc.runtime.channels["whatsapp"].send(resident, [Reply("Jawaban petugas")])
        operator = await svc.store.get_identity("webchat:operator-web")
        async with await staff_client(svc, operator) as desk, desk.get(f"{svc.url}/desk/kiriman") as resp:
            page = html.unescape(await resp.text())
        assert REASON in page and resident not in page and "Warga (" in page
        assert await notices(svc, "webchat:operator-web") == []


# --- the token, checked once at start ---------------------------------------------------------------
async def test_healthz_says_ok_when_graph_accepts_the_token(
        tmp_path: Path, nlu_model_path: Path, graph, clock, http):  # noqa: F811
    async with whatsapp_service(tmp_path, graph, clock) as svc:
        async def checked() -> dict:
            body = await health(http, svc)
            return body if body["states"]["whatsapp"] != "checking" else {}
        body = await wait_for(checked)
        assert body["states"]["whatsapp"] == "ok" and body["status"] == "ok"
        assert graph.number_checks == 1


async def test_healthz_says_unauthorised_for_a_fake_token_and_never_logs_it(
        tmp_path: Path, nlu_model_path: Path, graph, clock, http, caplog):  # noqa: F811
    wrong = "EAAG-a-fake-token-from-the-trial"
    assert wrong != TOKEN
    async with whatsapp_service(tmp_path, graph, clock, WHATSAPP_TOKEN=wrong) as svc:
        async def refused() -> dict:
            body = await health(http, svc)
            return body if body["states"]["whatsapp"] == "unauthorised" else {}
        body = await wait_for(refused)
        assert body["status"] == "degraded"
        assert graph.number_checks == 1  # once: a refused token is not tried again and again
        # The service still serves the web chat.
        assert await say(http, svc.url, "warga-web", "halo")
    assert "WHATSAPP_TOKEN" in caplog.text and wrong not in caplog.text


@pytest.fixture
def closed_port() -> int:
    """A port on 127.0.0.1 nothing listens on."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


async def test_healthz_says_unreachable_when_graph_cannot_be_reached_and_start_goes_on(
        tmp_path: Path, nlu_model_path: Path, graph, clock, http, closed_port):  # noqa: F811
    async with whatsapp_service(tmp_path, graph, clock, WHATSAPP_GRAPH_URL=f"http://127.0.0.1:{closed_port}") as svc:
        assert await say(http, svc.url, "warga-web", "halo")  # started and serving

        async def unreachable() -> dict:
            body = await health(http, svc)
            return body if body["states"]["whatsapp"] == "unreachable" else {}
        assert (await wait_for(unreachable))["status"] == "degraded"

