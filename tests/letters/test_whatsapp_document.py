"""A signed letter reaches a WhatsApp resident as a PDF document (uploaded to the fake Graph API)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.message import Reply, utcnow
from bot.store.base import Changes, Media
from tests.channels.test_whatsapp import PHONE_ID, RESIDENT, TOKEN, Clock, exchange, text_delivery, whatsapp_service
from tests.fakes.graph_api import FakeGraphApi
from tests.harness import Service


@pytest.fixture
async def whatsapp(tmp_path: Path, nlu_model_path: Path) -> AsyncIterator[tuple[Service, FakeGraphApi]]:
    async with FakeGraphApi(token=TOKEN, phone_number_id=PHONE_ID) as graph, \
            whatsapp_service(tmp_path, graph, Clock()) as svc:
        yield svc, graph


async def test_document_reply_is_uploaded_and_sent_with_its_caption(whatsapp, http):
    svc, graph = whatsapp
    await exchange(http, svc, graph, text_delivery("halo"))  # inside the 24-hour window
    pdf = b"%PDF-1.7\n" + b"0" * 2000 + b"\n%%EOF\n"
    await svc.store.commit(Changes(media=[Media(id="letterpdf01", mime="application/pdf", data=pdf,
                                                created_at=utcnow())]))
    before = len(graph.sent_to(RESIDENT))
    channel = svc.runtime.channels["whatsapp"]
    await channel.send(RESIDENT, [Reply("Surat Anda sudah terbit: SRT-2612-0001", document="media:letterpdf01",
                                        filename="surat-SRT-2612-0001.pdf")])
    sent = graph.sent_to(RESIDENT)[before:]
    assert [s.type for s in sent] == ["document"]
    document = sent[0].body["document"]
    assert document["filename"] == "surat-SRT-2612-0001.pdf" and "SRT-2612-0001" in sent[0].text
    upload = next(u for u in graph.uploads if u["id"] == document["id"])
    assert upload["data"] == pdf and upload["mime"] == "application/pdf"
