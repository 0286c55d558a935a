"""Voice notes on WhatsApp: transcribed by a fake speech-to-text service, confirmed, kept with the ticket."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from tests.channels.test_whatsapp import (
    Clock,
    choice_ids,
    choose,
    delivery,
    exchange,
    text_delivery,
    texts,
    whatsapp_service,
)
from tests.fakes.graph_api import FakeGraphApi
from tests.fakes.stt import FakeSpeechToText
from tests.harness import Service

AUDIO_ID = "1209874036561422"
AUDIO = b"OggS\x00fake-opus-voice-note" * 50
TICKET = re.compile(r"WRG-\d{4}-\d{4}")


@pytest.fixture
async def graph() -> AsyncIterator[FakeGraphApi]:
    async with FakeGraphApi(token="EAAG-test-token", phone_number_id="1234567890") as fake:
        fake.add_media(AUDIO_ID, AUDIO, "audio/ogg")
        yield fake


@pytest.fixture
async def stt() -> AsyncIterator[FakeSpeechToText]:
    async with FakeSpeechToText() as fake:
        fake.transcripts[AUDIO] = "jalan di desa Sooko rusak parah banyak lubang"
        yield fake


@pytest.fixture
async def svc(tmp_path: Path, nlu_model_path: Path, graph: FakeGraphApi,
              stt: FakeSpeechToText) -> AsyncIterator[Service]:
    async with whatsapp_service(tmp_path, graph, Clock(), STT_URL=stt.url, STT_API_KEY=stt.api_key) as service:
        yield service


async def test_a_voice_note_is_transcribed_confirmed_and_kept_with_the_ticket(svc, http, graph, stt):
    sent = await exchange(http, svc, graph, delivery("audio"))
    assert "Kami menangkap" in texts(sent) and "desa Sooko rusak parah" in texts(sent)
    assert stt.requests == [{"model": "whisper-1", "language": "id", "content_type": "audio/ogg; codecs=opus",
                            "size": len(AUDIO)}]
    sent = await choose(http, svc, graph, sent, "/suara_ya")
    assert "Dinas PUPR" in texts(sent)  # the transcript was handled as if typed
    for _ in range(8):
        if TICKET.search(texts(sent)):
            break
        ids = choice_ids(sent)
        pick = next((p for p in ("btn:yes", "btn:skip", "btn:next", "privacy:publik", "btn:send") if p in ids), None)
        sent = (await choose(http, svc, graph, sent, pick) if pick
                else await exchange(http, svc, graph, text_delivery("dekat balai desa Sooko")))
    match = TICKET.search(texts(sent))
    assert match, texts(sent)
    ticket = await svc.store.get_ticket(match.group(0))
    assert ticket is not None and len(ticket.extra["audio"]) == 1
    kept = await svc.store.get_media(ticket.extra["audio"][0])
    assert kept is not None and kept.data == AUDIO


async def test_a_wrong_transcript_is_refused_and_nothing_is_filed(svc, http, graph, stt):
    sent = await exchange(http, svc, graph, delivery("audio"))
    sent = await choose(http, svc, graph, sent, "/suara_tidak")
    assert "pesan suara lagi" in texts(sent)
    assert "Dinas PUPR" not in texts(sent)


async def test_without_a_speech_service_the_bot_says_how_else_to_reach_it(tmp_path, nlu_model_path, graph, http):
    async with whatsapp_service(tmp_path, graph, Clock()) as svc:
        sent = await exchange(http, svc, graph, delivery("audio"))
        # to type it, or to ask the village office; not "send an SMS to this number" (a WhatsApp or Telegram
        # account is no number an SMS reaches)
        assert "pesan suara" in texts(sent) and "ketik" in texts(sent) and "perangkat desa" in texts(sent)
        assert "SMS" not in texts(sent)


async def test_a_voice_note_over_the_mongodb_document_limit_is_refused_plainly(tmp_path, nlu_model_path, graph, stt,
                                                                              http):
    """WhatsApp allows 16 MiB; MongoDB keeps a file in one document (at most 16 MiB with its fields), so the
    store takes at most 15 MiB: the note is not downloaded, the resident is told, nothing stays pending."""
    from bot.store.mongo import MongoStore
    from tests.channels.test_whatsapp import PHONE_ID, SECRET, TOKEN, VERIFY
    from tests.fakes.async_mongomock import AsyncMongoMockClient
    from tests.harness import make_settings, running_service

    graph.add_media(AUDIO_ID, b"OggS" + b"\x00" * (16 * 1024 * 1024 - 4), "audio/ogg")
    store = MongoStore("mongodb://stand-in", "warga_voice", client=AsyncMongoMockClient())
    settings = make_settings(tmp_path, WHATSAPP_TOKEN=TOKEN, WHATSAPP_PHONE_NUMBER_ID=PHONE_ID,
                             WHATSAPP_APP_SECRET=SECRET, WHATSAPP_VERIFY_TOKEN=VERIFY, WHATSAPP_GRAPH_URL=graph.url,
                             STT_URL=stt.url, STT_API_KEY=stt.api_key)
    async with running_service(settings, store=store) as svc:
        sent = await exchange(http, svc, graph, delivery("audio"))
        assert texts(sent).startswith("Mohon maaf, pesan suara Anda terlalu panjang (16 MB)")
        assert graph.downloads == [] and stt.requests == []
        assert await svc.store.inbox_pending(10) == []
