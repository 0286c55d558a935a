"""The WhatsApp channel against a fake Graph API on 127.0.0.1, with captured Cloud API payloads.

The real service runs (create_app through tests/harness.py); only WHATSAPP_GRAPH_URL points at
the fake. Webhook deliveries are signed the way Meta signs them.
"""

from __future__ import annotations

import contextlib
import copy
import json
import re
import uuid
from collections.abc import AsyncIterator
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import aiohttp
import pytest

from bot.__main__ import issue_code
from bot.channels.whatsapp import signature_of
from bot.message import Button, Location, Reply, split_text, utcnow
from bot.store.base import JOB_DONE, Changes, Identity, InboxItem, Media
from tests.fakes.graph_api import FakeGraphApi, Sent
from tests.harness import (
    Service,
    mailbox,
    make_settings,
    photo_jpeg,
    running_service,
    same_picture,
    say,
    unmarked,
    wait_for,
)

PAYLOADS = Path(__file__).resolve().parent.parent / "payloads" / "whatsapp"
TOKEN = "EAAG-test-token"
SECRET = "test-app-secret"
VERIFY = "warga-verify-token"
PHONE_ID = "1234567890"
RESIDENT = "6281234567890"
TEMPLATE = "warga_balasan"
TICKET = re.compile(r"WRG-\d{4}-\d{4}")
JPEG = photo_jpeg()


class Clock:
    """The service's clock, shifted by `offset` (to make a resident's last message old)."""

    def __init__(self) -> None:
        self.offset = timedelta(0)

    def __call__(self) -> datetime:
        return utcnow() + self.offset


# --- payload helpers --------------------------------------------------------------------------------
def load(name: str) -> dict[str, Any]:
    return json.loads((PAYLOADS / f"{name}.json").read_text(encoding="utf-8"))


def delivery(name: str, sender: str = RESIDENT, wamid: str | None = None, **fields: Any) -> dict[str, Any]:
    """A captured payload with a fresh message id, from `sender`; `text=`, `button_id=`, `list_id=`,
    `context=` and `media_id=` change the message."""
    body = copy.deepcopy(load(name))
    value = body["entry"][0]["changes"][0]["value"]
    message = value["messages"][0]
    message["from"] = sender
    message["id"] = wamid or f"wamid.TEST{uuid.uuid4().hex}"
    for contact in value.get("contacts", []):
        contact["wa_id"] = sender
    if "text" in fields:
        message["text"]["body"] = fields["text"]
    if "button_id" in fields:
        message["interactive"]["button_reply"]["id"] = fields["button_id"]
    if "list_id" in fields:
        message["interactive"]["list_reply"]["id"] = fields["list_id"]
    if "context" in fields:
        message["context"] = {"from": "6281130001234", "id": fields["context"]}
    if "media_id" in fields:
        message[message["type"]]["id"] = fields["media_id"]
    return body


def text_delivery(text: str, sender: str = RESIDENT, **fields: Any) -> dict[str, Any]:
    return delivery("text", sender, text=text, **fields)


def message_id(body: dict[str, Any]) -> str:
    return body["entry"][0]["changes"][0]["value"]["messages"][0]["id"]


async def post_raw(http: aiohttp.ClientSession, svc: Service, raw: bytes, signature: str | None) -> int:
    headers = {"Content-Type": "application/json"}
    if signature is not None:
        headers["X-Hub-Signature-256"] = signature
    async with http.post(f"{svc.url}/webhooks/whatsapp", data=raw, headers=headers) as resp:
        return resp.status


async def post(http: aiohttp.ClientSession, svc: Service, body: dict[str, Any]) -> int:
    raw = json.dumps(body).encode()
    return await post_raw(http, svc, raw, signature_of(SECRET, raw))


async def processed(svc: Service, wamid: str) -> None:
    async def done() -> bool:
        return all(i.message_id != wamid for i in await svc.store.inbox_pending(limit=1000))
    await wait_for(done)


async def exchange(http: aiohttp.ClientSession, svc: Service, graph: FakeGraphApi, body: dict[str, Any]) -> list[Sent]:
    """Deliver one signed webhook and wait until it is processed; returns what was sent to its sender."""
    sender = body["entry"][0]["changes"][0]["value"]["messages"][0]["from"]
    before = len(graph.sent_to(sender))
    assert await post(http, svc, body) == 200
    await processed(svc, message_id(body))
    return graph.sent_to(sender)[before:]


def texts(sent: list[Sent]) -> str:
    return "\n".join(s.text for s in sent)


def choice_ids(sent: list[Sent]) -> list[str]:
    """The ids of the buttons and list rows sent, without a question's mark (`btn:yes#3fa2` -> `btn:yes`)."""
    return [unmarked(c[0]) for s in sent for c in s.choices]


# --- fixtures ---------------------------------------------------------------------------------------
@pytest.fixture
async def graph() -> AsyncIterator[FakeGraphApi]:
    async with FakeGraphApi(token=TOKEN, phone_number_id=PHONE_ID) as fake:
        yield fake


@pytest.fixture
def clock() -> Clock:
    return Clock()


@contextlib.asynccontextmanager
async def whatsapp_service(tmp_path: Path, graph: FakeGraphApi, clock: Clock, **env: str) -> AsyncIterator[Service]:
    values = {"WHATSAPP_TOKEN": TOKEN, "WHATSAPP_PHONE_NUMBER_ID": PHONE_ID, "WHATSAPP_APP_SECRET": SECRET,
              "WHATSAPP_VERIFY_TOKEN": VERIFY, "WHATSAPP_GRAPH_URL": graph.url, "WHATSAPP_TEMPLATE_NAME": TEMPLATE}
    values.update(env)
    settings = make_settings(tmp_path, **{k: v for k, v in values.items() if v})
    async with running_service(settings, clock=clock) as service:
        yield service


@pytest.fixture
async def svc(tmp_path: Path, nlu_model_path: Path, graph: FakeGraphApi, clock: Clock) -> AsyncIterator[Service]:
    async with whatsapp_service(tmp_path, graph, clock) as service:
        yield service


# --- verification handshake -------------------------------------------------------------------------
async def test_handshake_answers_the_challenge_only_for_the_right_token(svc, http):
    query = {"hub.mode": "subscribe", "hub.verify_token": VERIFY, "hub.challenge": "1158201444"}
    async with http.get(f"{svc.url}/webhooks/whatsapp", params=query) as resp:
        assert resp.status == 200
        assert await resp.text() == "1158201444"
        assert resp.content_type == "text/plain"
    for wrong in ({**query, "hub.verify_token": "guess"}, {**query, "hub.mode": "unsubscribe"},
                  {"hub.challenge": "1158201444"}):
        async with http.get(f"{svc.url}/webhooks/whatsapp", params=wrong) as resp:
            assert resp.status == 403
            assert "1158201444" not in await resp.text()


# --- signatures -------------------------------------------------------------------------------------
async def test_signature_right_wrong_missing_and_altered_body(svc, http, graph):
    body = text_delivery("halo")
    raw = json.dumps(body).encode()
    good = signature_of(SECRET, raw)
    assert await post_raw(http, svc, raw, None) == 401
    assert await post_raw(http, svc, raw, signature_of("another-secret", raw)) == 403
    assert await post_raw(http, svc, raw, "sha256=") == 403
    altered = raw.replace(b'"halo"', b'"halp"')
    assert len(altered) == len(raw) and altered != raw
    assert await post_raw(http, svc, altered, good) == 403
    assert await post_raw(http, svc, b"{not json", signature_of(SECRET, b"{not json")) == 400
    assert await post_raw(http, svc, b'{"entry": 5}', signature_of(SECRET, b'{"entry": 5}')) == 400
    # None of the refused deliveries was kept or answered.
    assert await svc.store.get_conversation(f"whatsapp:{RESIDENT}") is None
    assert graph.sent == []
    # The right signature is accepted and answered.
    assert await post_raw(http, svc, raw, good) == 200
    await processed(svc, message_id(body))
    sent = graph.sent_to(RESIDENT)
    assert "selamat datang" in texts(sent).lower()
    conversation = await svc.store.get_conversation(f"whatsapp:{RESIDENT}")
    assert [h["text"] for h in conversation.state["history"]] == ["halo"]


# --- inbound types ----------------------------------------------------------------------------------
async def test_text_greeting_gets_the_menu_as_a_list(svc, http, graph):
    sent = await exchange(http, svc, graph, text_delivery("halo"))
    assert "selamat datang" in texts(sent).lower()
    menu = sent[-1]
    assert menu.type == "interactive" and menu.body["interactive"]["type"] == "list"
    assert choice_ids(sent) == ["/aduan", "/tanya", "/status", "/bupati"]
    assert menu.body["interactive"]["action"]["button"] == "Pilih"
    identity = await svc.store.get_identity(f"whatsapp:{RESIDENT}")
    assert identity.name == "Siti Aminah"


async def test_button_reply_sends_its_id_as_the_message(svc, http, graph):
    sent = await exchange(http, svc, graph, delivery("button_reply", button_id="/aduan"))
    assert "ceritakan" in texts(sent).lower()
    conversation = await svc.store.get_conversation(f"whatsapp:{RESIDENT}")
    assert conversation.state["history"][-1]["text"] == "/aduan"


async def test_list_reply_sends_its_id_as_the_message(svc, http, graph):
    sent = await exchange(http, svc, graph, text_delivery("halo"))
    menu = [s for s in sent if s.choices][-1]
    assert menu.body["interactive"]["type"] == "list"
    sent = await exchange(http, svc, graph, delivery("list_reply", list_id="/aduan", context=menu.wamid))
    assert "ceritakan" in texts(sent).lower()
    conversation = await svc.store.get_conversation(f"whatsapp:{RESIDENT}")
    assert conversation.state["history"][-1]["text"] == "/aduan"


async def test_location_is_passed_as_a_location(svc, http, graph):
    sent = await exchange(http, svc, graph, delivery("location"))
    assert "lokasi diterima" in texts(sent).lower()
    conversation = await svc.store.get_conversation(f"whatsapp:{RESIDENT}")
    assert conversation.state["history"][-1]["location"] == {
        "latitude": -7.4716, "longitude": 112.4342, "name": "Balai Desa Sooko",
        "address": "Jl. Raya Sooko No. 1, Mojokerto"}


async def test_image_is_downloaded_with_the_token(svc, http, graph):
    graph.add_media("1479537139650973", JPEG)
    sent = await exchange(http, svc, graph, delivery("image"))
    assert graph.media_lookups == ["1479537139650973"] and graph.downloads == ["1479537139650973"]
    assert sent, "the photo was answered"
    conversation = await svc.store.get_conversation(f"whatsapp:{RESIDENT}")
    assert conversation.state["history"][-1]["attachments"] == ["photo"]
    assert conversation.state["history"][-1]["text"] == "jalan berlubang di depan balai desa"


async def test_download_needs_the_bearer_token(graph):
    async with aiohttp.ClientSession() as session:
        graph.add_media("42", JPEG)
        async with session.get(f"{graph.url}/v21.0/42") as resp:
            assert resp.status == 401
        async with session.get(f"{graph.url}/media-bytes/42") as resp:
            assert resp.status == 401
        async with session.get(f"{graph.url}/media-bytes/42", headers={"Authorization": f"Bearer {TOKEN}"}) as resp:
            assert resp.status == 200 and await resp.read() == JPEG


@pytest.mark.parametrize(("name", "words"), [
    ("audio", "pesan suara"), ("sticker", "stiker"), ("video", "video"), ("document", "dokumen"),
    ("contacts", "jenis pesan ini"), ("unsupported", "jenis pesan ini"),
])
async def test_other_types_get_a_polite_explanation(svc, http, graph, name, words):
    sent = await exchange(http, svc, graph, delivery(name))
    assert len(sent) == 1 and sent[0].type == "text"
    assert f"belum bisa memproses {words}" in sent[0].text
    assert graph.media_lookups == []  # nothing but photos is downloaded


async def test_reaction_is_ignored(svc, http, graph):
    body = delivery("reaction")
    assert await post(http, svc, body) == 200
    await processed(svc, message_id(body))
    sent = await exchange(http, svc, graph, text_delivery("halo"))
    assert graph.sent_to(RESIDENT) == sent  # only the greeting's answer, nothing for the reaction


async def test_delivery_for_another_phone_number_is_ignored(svc, http, graph):
    body = text_delivery("halo")
    body["entry"][0]["changes"][0]["value"]["metadata"]["phone_number_id"] = "999"
    assert await post(http, svc, body) == 200
    assert await svc.store.inbox_pending(limit=100) == []
    await exchange(http, svc, graph, text_delivery("halo lagi", sender="6281200000001"))
    assert graph.sent_to(RESIDENT) == []


# --- statuses ---------------------------------------------------------------------------------------
async def test_statuses_are_recorded_on_the_outbound_message(svc, http, graph):
    sent = await exchange(http, svc, graph, text_delivery("halo"))
    wamid = sent[-1].wamid
    body = load("statuses")
    for status in body["entry"][0]["changes"][0]["value"]["statuses"]:
        status["id"] = wamid
    assert await post(http, svc, body) == 200
    record = await svc.store.get_value(f"wa_status:{wamid}")
    assert record["status"] == "read" and record["recipient"] == RESIDENT
    assert [h["status"] for h in record["history"]] == ["sent", "delivered", "read"]
    # Meta repeats deliveries and sends them out of order: a late "delivered" does not undo "read".
    late = copy.deepcopy(body)
    late["entry"][0]["changes"][0]["value"]["statuses"] = [body["entry"][0]["changes"][0]["value"]["statuses"][1]]
    assert await post(http, svc, late) == 200
    record = await svc.store.get_value(f"wa_status:{wamid}")
    assert record["status"] == "read" and len(record["history"]) == 3


async def test_failed_status_keeps_the_error(svc, http, caplog):
    body = load("status_failed")
    wamid = body["entry"][0]["changes"][0]["value"]["statuses"][0]["id"]
    assert await post(http, svc, body) == 200
    record = await svc.store.get_value(f"wa_status:{wamid}")
    assert record["status"] == "failed"
    assert record["errors"][0]["code"] == 131026
    assert "131026" in caplog.text


# --- deduplication ----------------------------------------------------------------------------------
async def test_a_repeated_delivery_is_processed_once(svc, http, graph):
    body = text_delivery("halo")
    first = await exchange(http, svc, graph, body)
    assert first
    for _ in range(3):
        assert await post(http, svc, body) == 200
    # A later message from the same resident is processed after anything queued before it.
    later = await exchange(http, svc, graph, text_delivery("bantuan"))
    assert later
    assert len(graph.sent_to(RESIDENT)) == len(first) + len(later)
    conversation = await svc.store.get_conversation(f"whatsapp:{RESIDENT}")
    ids = [h["id"] for h in conversation.state["history"]]
    assert ids.count(message_id(body)) == 1


# --- whole flows ------------------------------------------------------------------------------------
async def choose(http, svc, graph, previous: list[Sent], payload: str) -> list[Sent]:
    """Press the button (or list row) with `payload` of the last messages, like a resident would."""
    assert payload in choice_ids(previous), (payload, choice_ids(previous), texts(previous))
    interactive = [s for s in previous if s.choices][-1]
    payload = next((c[0] for c in interactive.choices if unmarked(c[0]) == payload), payload)  # as it was sent
    if interactive.body["interactive"]["type"] == "button":
        return await exchange(http, svc, graph, delivery("button_reply", button_id=payload, context=interactive.wamid))
    return await exchange(http, svc, graph, delivery("list_reply", list_id=payload, context=interactive.wamid))


async def file_complaint(http, svc, graph, sender: str = RESIDENT) -> str:
    sent = await exchange(http, svc, graph, delivery("button_reply", sender, button_id="/aduan"))
    assert "ceritakan" in texts(sent).lower()
    sent = await exchange(http, svc, graph, text_delivery("jalan di desa Sooko rusak parah banyak lubang", sender))
    assert "Dinas PUPR" in texts(sent)
    sent = await choose(http, svc, graph, sent, "btn:yes")
    assert "lokasi" in texts(sent).lower()
    sent = await exchange(http, svc, graph, delivery("location", sender))
    assert "btn:skip" in choice_ids(sent)
    sent = await exchange(http, svc, graph, delivery("image", sender))
    assert "btn:next" in choice_ids(sent), texts(sent)
    sent = await choose(http, svc, graph, sent, "btn:next")
    sent = await choose(http, svc, graph, sent, "privacy:publik")
    sent = await choose(http, svc, graph, sent, "btn:send")
    match = TICKET.search(texts(sent))
    assert match, texts(sent)
    return match.group(0)


async def test_resident_files_a_whole_complaint_on_whatsapp(svc, http, graph):
    graph.add_media("1479537139650973", JPEG)
    number = await file_complaint(http, svc, graph)
    ticket = await svc.store.get_ticket(number)
    assert ticket.reporter == f"whatsapp:{RESIDENT}" and ticket.opd_id == "dinas-pupr"
    assert ticket.location["latitude"] == -7.4716 and ticket.location["longitude"] == 112.4342
    assert len(ticket.media) == 1
    media = await svc.store.get_media(ticket.media[0])
    assert same_picture(media.data, JPEG) and media.mime == "image/jpeg"
    assert not graph.rejected
    sent = await exchange(http, svc, graph, text_delivery(f"cek status {number}"))
    assert number in texts(sent) and "Dinas PUPR" in texts(sent)


async def enrol_webchat_officer(http, svc, sender: str, opd: str = "dinas-pupr") -> None:
    code = await issue_code(svc.settings, "officer", opd)
    replies = await say(http, svc.url, sender, f"/daftar {code}")
    assert "terdaftar" in " ".join(r["text"] for r in replies)


async def test_an_officer_elsewhere_answers_a_whatsapp_resident(svc, http, graph):
    await enrol_webchat_officer(http, svc, "petugas-pupr")
    graph.add_media("1479537139650973", JPEG)
    number = await file_complaint(http, svc, graph)
    await wait_for(lambda: mailbox(svc.store, "webchat:petugas-pupr"))

    replies = await say(http, svc.url, "petugas-pupr", f"/balas {number} Tim kami meninjau lokasi besok pagi")
    assert "dikirim" in " ".join(r["text"] for r in replies)
    answer = (await graph.wait_for_sent(lambda s: s.to == RESIDENT and "meninjau lokasi" in s.text))[0]
    assert number in answer.text
    assert await wait_for(lambda: svc.store.linked_ticket("whatsapp", RESIDENT, answer.wamid)) == number

    # The resident answers with WhatsApp's reply (context): it reaches the officer on the ticket.
    await exchange(http, svc, graph, text_delivery("baik pak, lubangnya ada tiga", context=answer.wamid))

    async def officer_got_it() -> bool:
        return any("lubangnya ada tiga" in i["text"] for i in await mailbox(svc.store, "webchat:petugas-pupr"))
    await wait_for(officer_got_it)
    events = await svc.store.ticket_events(number, "message_in")
    assert any("lubangnya ada tiga" in (e.text or "") for e in events)


async def test_an_officer_on_whatsapp_answers_a_web_chat_resident(svc, http, graph):
    officer = "6281299990000"
    code = await issue_code(svc.settings, "officer", "dinas-pupr")
    sent = await exchange(http, svc, graph, text_delivery(f"/daftar {code}", sender=officer))
    assert "terdaftar" in texts(sent)
    for text in ("jalan di desa Sooko rusak parah banyak lubang", "ya", "Desa Sooko RT 02", "lewati",
                 "privasi:publik", "kirim"):
        replies = await say(http, svc.url, "warga-web", text)
    number = TICKET.search(" ".join(r["text"] for r in replies)).group(0)

    card = (await graph.wait_for_sent(lambda s: s.to == officer and number in s.text))[-1]
    assert f"/balas {number}" in choice_ids([card])
    assert await wait_for(lambda: svc.store.linked_ticket("whatsapp", officer, card.wamid)) == number

    sent = await exchange(http, svc, graph, text_delivery(f"/balas {number} Sudah kami jadwalkan perbaikan",
                                                          sender=officer))
    assert "dikirim" in texts(sent)
    relayed = await wait_for(lambda: mailbox(svc.store, "webchat:warga-web"))
    assert "jadwalkan perbaikan" in relayed[-1]["text"]


# --- the 24-hour window -----------------------------------------------------------------------------
async def test_answer_after_24_hours_sends_the_template_and_delivers_on_the_next_message(svc, http, graph, clock):
    await enrol_webchat_officer(http, svc, "petugas-pupr")
    graph.add_media("1479537139650973", JPEG)
    clock.offset = -timedelta(hours=25)  # the resident wrote 25 hours ago
    number = await file_complaint(http, svc, graph)
    clock.offset = timedelta(0)
    before = len(graph.sent_to(RESIDENT))

    await say(http, svc.url, "petugas-pupr", f"/balas {number} Jalan akan diperbaiki minggu depan")
    template = (await graph.wait_for_sent(lambda s: s.to == RESIDENT and s.type == "template"))[0]
    assert template.body["template"]["name"] == TEMPLATE
    assert template.body["template"]["language"]["code"] == "id"
    assert template.body["template"]["components"][0]["parameters"][0]["text"] == number
    pending = await wait_for(lambda: svc.store.get_value(f"wa_pending:{RESIDENT}"))
    assert "diperbaiki minggu depan" in pending[0]["text"]
    # No free-form message went out after the window closed.
    assert [s.type for s in graph.sent_to(RESIDENT)[before:]] == ["template"]

    # A second answer while the first waits: kept too, without a second template.
    await say(http, svc.url, "petugas-pupr", f"/balas {number} Mohon maaf atas ketidaknyamanannya")

    async def two_pending() -> bool:
        return len(await svc.store.get_value(f"wa_pending:{RESIDENT}") or []) == 2
    await wait_for(two_pending)
    assert [s.type for s in graph.sent_to(RESIDENT)[before:]] == ["template"]

    # The resident answers the template: the kept answers come first, then the reply to this message.
    sent = await exchange(http, svc, graph, text_delivery("halo, ada balasan?"))
    assert "diperbaiki minggu depan" in sent[0].text and "ketidaknyamanannya" in sent[1].text
    assert len(sent) > 2
    assert await svc.store.get_value(f"wa_pending:{RESIDENT}") == []
    # The delivered answer is linked to the ticket, so replying to it reaches the officer.
    assert await svc.store.linked_ticket("whatsapp", RESIDENT, sent[0].wamid) == number


async def test_graph_saying_the_window_is_closed_takes_the_template_path(svc, http, graph):
    await exchange(http, svc, graph, text_delivery("halo"))
    channel = svc.runtime.channels["whatsapp"]
    graph.fail_next(1, "131047")
    await channel.send(RESIDENT, [Reply("Jawaban petugas untuk Anda", ticket="WRG-2611-0001")])
    sent = graph.sent_to(RESIDENT)
    assert sent[-1].type == "template" and "Jawaban petugas" not in texts(sent)
    assert (await svc.store.get_value(f"wa_pending:{RESIDENT}"))[0]["text"] == "Jawaban petugas untuk Anda"


async def test_without_a_template_the_answer_waits_and_nothing_is_sent(tmp_path, nlu_model_path, graph, clock,
                                                                       http, caplog):
    async with whatsapp_service(tmp_path, graph, clock, WHATSAPP_TEMPLATE_NAME="") as svc:
        clock.offset = -timedelta(hours=30)
        await exchange(http, svc, graph, text_delivery("halo"))
        clock.offset = timedelta(0)
        before = len(graph.sent)
        await svc.runtime.channels["whatsapp"].send(RESIDENT, [Reply("Jawaban yang menunggu")])
        assert len(graph.sent) == before
        assert "WHATSAPP_TEMPLATE_NAME" in caplog.text
        sent = await exchange(http, svc, graph, text_delivery("halo lagi"))
        assert sent[0].text == "Jawaban yang menunggu"


# --- outbound shapes --------------------------------------------------------------------------------
async def test_a_list_of_topics_shows_the_topic_in_the_row_title(svc, http, graph):
    """Rows hold 24 characters: "Dishub: Lampu penerangan jalan (PJU)" showed as "Dishub: Lampu…"; the row's
    title is the topic and its description the whole."""
    await exchange(http, svc, graph, text_delivery("halo"))
    start = len(graph.sent)
    topics = ("Dishub: Lampu penerangan jalan (PJU)", "Dinas PUPR: Jalan rusak", "DLH: Sampah",
              "Lainnya (dipilihkan petugas)")
    await svc.runtime.channels["whatsapp"].send(RESIDENT, [
        Reply("Pilih topik", tuple(Button(t, f"topic:t{i}") for i, t in enumerate(topics)))])
    [listed] = [s for s in graph.sent[start:] if s.type == "interactive"]
    rows = listed.body["interactive"]["action"]["sections"][0]["rows"]
    assert [r["title"] for r in rows] == ["Lampu penerangan jalan…", "Dinas PUPR: Jalan rusak", "DLH: Sampah",
                                          "Lainnya (dipilihkan…"], rows
    assert rows[0]["description"] == topics[0] and not graph.rejected


async def test_outbound_shapes_follow_the_cloud_api_limits(svc, http, graph):
    await exchange(http, svc, graph, text_delivery("halo"))
    channel = svc.runtime.channels["whatsapp"]
    start = len(graph.sent)
    long_text = " ".join(f"kata{i}" for i in range(1500))  # about 10,000 characters
    three = tuple(Button(f"Pilihan nomor {i} yang panjang sekali", f"p{i}") for i in range(3))
    twelve = tuple(Button(f"Opsi {i}", f"/opsi{i}") for i in range(12))
    six = tuple(Button(f"Layanan administrasi kependudukan {i}", f"layanan:{i}") for i in range(6))
    await channel.send(RESIDENT, [
        Reply(long_text),
        Reply("Pilih satu", three),
        Reply(long_text, six),
        Reply("Banyak pilihan", twelve),
        Reply("Lokasi kantor", location=Location(-7.47, 112.43, "Kantor Dispendukcapil")),
        Reply("Foto dari internet", image="https://example.org/peta.jpg"),
    ])
    sent = graph.sent[start:]
    assert not graph.rejected
    texts_only = [s for s in sent if s.type == "text"]
    assert all(len(s.text) <= 4096 for s in sent)
    pieces = split_text(long_text, 4096)
    assert len(pieces) > 2 and [s.text for s in texts_only[:len(pieces)]] == pieces
    buttons = [s for s in sent if s.type == "interactive" and s.body["interactive"]["type"] == "button"][0]
    assert [c[0] for c in buttons.choices] == ["p0", "p1", "p2"]
    assert all(len(title) <= 20 for _, title in buttons.choices) and buttons.choices[0][1].endswith("…")
    lists = [s for s in sent if s.type == "interactive" and s.body["interactive"]["type"] == "list"]
    assert len(lists) == 1 and len(lists[0].choices) == 6 and len(lists[0].text) <= 1024
    assert lists[0].body["interactive"]["action"]["sections"][0]["rows"][0]["description"].startswith("Layanan")
    plain = [s for s in sent if "Banyak pilihan" in s.text][0]
    assert plain.type == "text" and "/opsi11" in plain.text
    location = [s for s in sent if s.type == "location"][0]
    assert location.body["location"]["latitude"] == -7.47
    image = [s for s in sent if s.type == "image"][0]
    assert image.body["image"] == {"link": "https://example.org/peta.jpg", "caption": "Foto dari internet"}


async def test_a_stored_photo_is_uploaded_then_sent_by_id(svc, http, graph):
    await exchange(http, svc, graph, text_delivery("halo"))
    await svc.store.commit(Changes(media=[Media(id="m1", mime="image/jpeg", data=JPEG, created_at=utcnow())]))
    channel = svc.runtime.channels["whatsapp"]
    await channel.send(RESIDENT, [Reply("Foto laporan", image="media:m1", ticket="WRG-2611-0007")])
    assert graph.uploads[0]["data"] == JPEG and graph.uploads[0]["mime"] == "image/jpeg"
    image = graph.sent_to(RESIDENT)[-1]
    assert image.body["image"] == {"id": graph.uploads[0]["id"], "caption": "Foto laporan"}
    assert await svc.store.linked_ticket("whatsapp", RESIDENT, image.wamid) == "WRG-2611-0007"


# --- errors and retries -----------------------------------------------------------------------------
@pytest.mark.parametrize("fault", ["429", "throughput", "500", "503"])
async def test_failed_immediate_replies_are_retried_until_delivered(svc, http, graph, fault):
    svc.runtime.channels["whatsapp"].default_retry_after = 0.05  # Graph sends no Retry-After on 131056
    graph.fail_next(3, fault)
    body = text_delivery("halo")
    assert await post(http, svc, body) == 200
    sent = await graph.wait_for_sent(lambda s: s.to == RESIDENT and "selamat datang" in s.text.lower())
    assert len(sent) == 1

    async def job_done() -> bool:
        return any(j.key == f"whatsapp-reply:{message_id(body)}" for j in await svc.store.list_jobs(JOB_DONE))
    await wait_for(job_done)


async def test_a_push_that_fails_part_way_is_not_repeated(svc, http, graph):
    from bot.errors import RetryableError

    await exchange(http, svc, graph, text_delivery("halo"))
    channel = svc.runtime.channels["whatsapp"]
    before = len(graph.sent_to(RESIDENT))
    graph.fail_next(1, "500", after=1)
    replies = [Reply("satu"), Reply("dua"), Reply("tiga")]
    with pytest.raises(RetryableError):
        await channel.send(RESIDENT, replies)
    await channel.send(RESIDENT, replies)  # the outbox's retry
    assert [s.text for s in graph.sent_to(RESIDENT)[before:]] == ["satu", "dua", "tiga"]


async def test_error_codes_map_to_retry_or_permanent(svc, http, graph):
    from bot.errors import PermanentError, RetryableError

    await exchange(http, svc, graph, text_delivery("halo"))
    channel = svc.runtime.channels["whatsapp"]
    graph.retry_after = "7"
    graph.fail_next(1, "429")
    with pytest.raises(RetryableError) as caught:
        await channel.send(RESIDENT, [Reply("a")])
    assert caught.value.retry_after == 7
    graph.fail_next(1, "invalid")
    with pytest.raises(PermanentError):
        await channel.send(RESIDENT, [Reply("b")])


# --- durability -------------------------------------------------------------------------------------
async def test_stored_deliveries_are_processed_after_a_restart(tmp_path, nlu_model_path, graph, clock, http):
    body = text_delivery("halo")
    value = body["entry"][0]["changes"][0]["value"]
    async with whatsapp_service(tmp_path, graph, clock) as first:
        # As if the service stopped right after storing the delivery, before processing it.
        await first.store.inbox_add(InboxItem(channel="whatsapp", message_id=message_id(body), received_at=utcnow(),
                                              payload={"message": value["messages"][0], "contact": value["contacts"][0],
                                                       "metadata": value["metadata"]}))
    assert graph.sent == []
    async with whatsapp_service(tmp_path, graph, clock) as second:
        await processed(second, message_id(body))
        assert "selamat datang" in texts(graph.sent_to(RESIDENT)).lower()
        assert await post(http, second, body) == 200  # Meta's retry of the same delivery is not answered again
        await exchange(http, second, graph, text_delivery("bantuan"))
        conversation = await second.store.get_conversation(f"whatsapp:{RESIDENT}")
        assert [h["id"] for h in conversation.state["history"]].count(message_id(body)) == 1


async def test_a_malformed_part_does_not_stop_the_rest_of_a_delivery(svc, http, graph):
    body = text_delivery("halo")
    value = body["entry"][0]["changes"][0]["value"]
    value["messages"].append({"type": "text", "text": {"body": "no id, no sender"}})
    value["statuses"] = [{"status": "read"}, "nonsense"]
    sent = await exchange(http, svc, graph, body)
    assert "selamat datang" in texts(sent).lower()
    assert await post(http, svc, {"object": "whatsapp_business_account", "entry": [{"changes": "x"}]}) == 400


async def test_a_long_immediate_reply_cut_by_an_outage_is_finished_without_repeats(svc, http, graph):
    await exchange(http, svc, graph, text_delivery("halo"))
    channel = svc.runtime.channels["whatsapp"]
    channel.default_retry_after = 0.05
    long_text = "\n\n".join(f"Paragraf {i}: " + "isi " * 750 for i in range(4))  # three pieces of text
    before = len(graph.sent_to(RESIDENT))

    async def answer(message):  # the dialogue's answer to this one message is long
        return [Reply(long_text), Reply("Ada lagi?")]

    original, channel.handler = channel.handler, answer
    try:
        graph.fail_next(1, "503", after=2)
        body = text_delivery("tolong jelaskan panjang")
        assert await post(http, svc, body) == 200
        await graph.wait_for_sent(lambda s: s.to == RESIDENT and s.text == "Ada lagi?")
    finally:
        channel.handler = original
    sent = [s.text for s in graph.sent_to(RESIDENT)[before:]]
    assert len(split_text(long_text, 4096)) == 3  # the outage hits the third piece
    assert sent == [*split_text(long_text, 4096), "Ada lagi?"]


# --- files too big to take ---------------------------------------------------------------------------
MB = 1024 * 1024


def without_caption(body: dict[str, Any]) -> dict[str, Any]:
    message = body["entry"][0]["changes"][0]["value"]["messages"][0]
    message[message["type"]].pop("caption", None)
    return body


def image_document(media_id: str, caption: str | None = None) -> dict[str, Any]:
    """A photo sent "as a file" (a document with an image type), as WhatsApp delivers it."""
    body = delivery("document", media_id=media_id)
    document = body["entry"][0]["changes"][0]["value"]["messages"][0]["document"]
    document.update({"mime_type": "image/jpeg", "filename": "IMG_2026.jpg"})
    if caption:
        document["caption"] = caption
    return body


async def test_a_photo_over_the_limit_is_not_downloaded_and_the_resident_is_told_the_limit(svc, http, graph):
    graph.add_media("big", b"\xff" * (6 * MB))
    sent = await exchange(http, svc, graph, without_caption(delivery("image", media_id="big")))
    assert [s.text for s in sent] == ["Mohon maaf, foto Anda terlalu besar (6 MB); foto maksimal 5 MB. Silakan kirim "
                                      "lagi sebagai foto biasa (bukan sebagai file/dokumen), atau kecilkan dulu "
                                      "ukurannya."]
    assert graph.media_lookups == ["big"] and graph.downloads == []  # the size is asked first
    assert await svc.store.inbox_pending(10) == []
    # Sent again smaller, it is taken as any photo.
    graph.add_media("small", JPEG)
    sent = await exchange(http, svc, graph, without_caption(delivery("image", media_id="small")))
    assert graph.downloads == ["small"] and "terlalu besar" not in texts(sent)
    conversation = await svc.store.get_conversation(f"whatsapp:{RESIDENT}")
    assert conversation.state["history"][-1]["attachments"] == ["photo"]


async def test_a_photo_graph_keeps_failing_to_give_is_asked_for_again_not_dropped_silently(svc, http, graph):
    graph.add_media("flaky", JPEG)
    graph.fail_next(3, "500", path="bytes")  # every attempt at the download fails
    sent = await exchange(http, svc, graph, without_caption(delivery("image", media_id="flaky")))
    assert [s.text for s in sent] == ["Mohon maaf, foto Anda tidak berhasil kami terima karena gangguan jaringan. "
                                      "Silakan kirim ulang fotonya."]
    assert graph.downloads == [] and await svc.store.inbox_pending(10) == []
    # Sent again once the network is back, it is taken as any photo.
    sent = await exchange(http, svc, graph, without_caption(delivery("image", media_id="flaky")))
    assert graph.downloads == ["flaky"] and "kirim ulang" not in texts(sent)


async def test_a_photo_sent_as_a_file_is_a_photo_and_the_limit_comes_from_settings(tmp_path, nlu_model_path, http,
                                                                                   graph, clock):
    async with whatsapp_service(tmp_path, graph, clock, WARGA_MAX_PHOTO_BYTES=str(2 * MB)) as svc:
        await svc.store.commit(Changes(identities=[Identity(f"whatsapp:{RESIDENT}", "whatsapp", RESIDENT, lang="en")]))
        graph.add_media("file-big", b"\xff" * (3 * MB))
        sent = await exchange(http, svc, graph, image_document("file-big"))
        assert texts(sent) == ("Sorry, your photo is too large (3 MB); photos can be at most 2 MB. Please send it "
                               "again as a normal photo (not as a file/document), or make it smaller first.")
        graph.add_media("file-small", JPEG)
        await exchange(http, svc, graph, image_document("file-small"))
        assert graph.downloads == ["file-small"]
        conversation = await svc.store.get_conversation(f"whatsapp:{RESIDENT}")
        assert conversation.state["history"][-1]["attachments"] == ["photo"]


async def test_a_file_over_the_mongodb_document_limit_is_refused_and_the_message_still_answered(
        tmp_path, nlu_model_path, http, graph, clock):
    """The issue's 16 MiB file: never downloaded (so never near MongoDB's 16 MiB document limit), the
    resident is told the photo limit, the caption is handled as usual, and nothing stays pending."""
    from bot.store.mongo import MongoStore
    from tests.fakes.async_mongomock import AsyncMongoMockClient

    store = MongoStore("mongodb://stand-in", "warga_media", client=AsyncMongoMockClient())
    settings = make_settings(tmp_path, WHATSAPP_TOKEN=TOKEN, WHATSAPP_PHONE_NUMBER_ID=PHONE_ID,
                             WHATSAPP_APP_SECRET=SECRET, WHATSAPP_VERIFY_TOKEN=VERIFY, WHATSAPP_GRAPH_URL=graph.url)
    async with running_service(settings, store=store, clock=clock) as svc:
        graph.add_media("1479537139650973", b"\xff" * (16 * MB))
        sent = await exchange(http, svc, graph, delivery("image"))
        assert sent[0].text.startswith("Mohon maaf, foto Anda terlalu besar (16 MB); foto maksimal 5 MB.")
        assert len(sent) > 1, "the caption was answered too"
        assert graph.media_lookups == ["1479537139650973"] and graph.downloads == []  # size checked first
        assert await svc.store.inbox_pending(10) == []
        conversation = await svc.store.get_conversation(f"whatsapp:{RESIDENT}")
        assert conversation.state["history"][-1]["text"] == "jalan berlubang di depan balai desa"
