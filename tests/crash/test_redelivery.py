"""Idempotent dialogue: a message delivered again (a platform retry, a replay after a crash, a second
worker) changes nothing and gets the same replies. The issue's case: a resident at the summary step
sends "kirim", the service files the ticket, and the same "kirim" comes again: it must not file a
second ticket nor answer "Maaf, saya belum memahami pesan Anda", but give the same ticket number."""

from __future__ import annotations

import re
from pathlib import Path

from bot.store.base import TicketQuery
from tests.harness import make_settings, running_service, web_headers

TICKET = re.compile(r"WRG-\d{4}-\d{4}")
STEPS = ("jalan di desa Sooko rusak parah banyak lubang", "ya", "Desa Sooko RT 02 RW 01, depan balai desa",
         "lewati", "privasi:publik")


async def rest(http, url: str, sender: str, text: str, message_id: str) -> tuple[int, list[dict]]:
    body = {"sender": sender, "message": text, "message_id": message_id}
    async with http.post(f"{url}/webhooks/rest/webhook", json=body, headers=web_headers(url, sender)) as resp:
        return resp.status, await resp.json()


async def test_the_same_kirim_delivered_twice_files_one_ticket_and_repeats_its_number(tmp_path: Path,
                                                                                      nlu_model_path: Path, http):
    async with running_service(make_settings(tmp_path)) as svc:
        for n, text in enumerate(STEPS):
            assert (await rest(http, svc.url, "warga-ulang", text, f"m{n}"))[0] == 200
        status, first = await rest(http, svc.url, "warga-ulang", "kirim", "m-kirim")
        assert status == 200
        number = TICKET.search(" ".join(r["text"] for r in first)).group(0)
        for _ in range(2):  # redelivered: same replies, nothing new
            status, again = await rest(http, svc.url, "warga-ulang", "kirim", "m-kirim")
            assert status == 200 and again == first
        # An earlier step delivered again does not move the conversation back either.
        status, old = await rest(http, svc.url, "warga-ulang", STEPS[1], "m1")
        assert status == 200 and number not in " ".join(r["text"] for r in old)
        tickets = await svc.store.list_tickets(TicketQuery(reporter="webchat:warga-ulang"))
        assert [t.number for t in tickets] == [number]
        events = await svc.store.ticket_events(number, "created")
        assert len(events) == 1
        # A new message (new id) with the same text is a new message.
        status, fresh = await rest(http, svc.url, "warga-ulang", "kirim", "m-kirim-2")
        assert status == 200 and fresh != first
