"""Signed but hostile deliveries: their shape is checked where they arrive (bot/channels/shape.py).

Before, each of these got 200 and then failed five times in the inbox with a traceback before it was set aside as
poison. Now a Telegram update that cannot be read is refused at the webhook (400), a WhatsApp message that cannot
be read is left out of its delivery (the rest is kept), a timestamp that is no time is read as "now", and an item
stored before this check is set aside at its first attempt: each with one warning line and no traceback.
"""

from __future__ import annotations

import copy
import logging
from pathlib import Path
from typing import Any

import pytest

from bot.message import utcnow
from bot.store.base import InboxItem
from tests.channels.test_telegram import RESIDENT as TG_RESIDENT
from tests.channels.test_telegram import deliver, joined, payload, processed, tg_settings
from tests.channels.test_telegram import fake as fake  # noqa: F401 - the fake Bot API, as a fixture
from tests.channels.test_telegram import post as tg_post
from tests.channels.test_whatsapp import (
    RESIDENT,
    exchange,
    message_id,
    post,
    text_delivery,
    texts,
    whatsapp_service,
)
from tests.channels.test_whatsapp import clock as clock  # noqa: F401 - fixtures
from tests.channels.test_whatsapp import graph as graph  # noqa: F401
from tests.channels.test_whatsapp import processed as wa_processed
from tests.harness import running_service, wait_for

CHANNEL_LOGGERS = ("bot.inbox", "bot.channels", "bot.app", "bot.web")


def trouble(caplog: pytest.LogCaptureFixture) -> list[logging.LogRecord]:
    """Records of the channels and the inbox at error level or with a traceback."""
    return [r for r in caplog.records if r.name.startswith(CHANNEL_LOGGERS)
            and (r.levelno >= logging.ERROR or r.exc_info)]


def warnings_with(caplog: pytest.LogCaptureFixture, words: str) -> list[logging.LogRecord]:
    return [r for r in caplog.records if r.levelno == logging.WARNING and words in r.getMessage()]


@pytest.fixture
async def tg_svc(tmp_path: Path, fake, nlu_model_path: Path):  # noqa: F811
    async with running_service(tg_settings(tmp_path, fake)) as service:
        yield service


@pytest.fixture
async def wa_svc(tmp_path: Path, nlu_model_path: Path, graph, clock):  # noqa: F811
    async with whatsapp_service(tmp_path, graph, clock) as service:
        yield service


def without_first_name() -> dict[str, Any]:
    raw = payload("private_text", text="halo")
    del raw["message"]["from"]["first_name"]
    return raw


def without_date() -> dict[str, Any]:
    raw = payload("private_text", text="halo")
    del raw["message"]["date"]
    return raw


def with_text_object() -> dict[str, Any]:
    raw = payload("private_text", text="halo")
    raw["message"]["text"] = {"body": "halo"}
    return raw


async def test_a_telegram_update_that_cannot_be_read_is_refused_at_the_webhook(tg_svc, fake, http, caplog):  # noqa: F811
    caplog.set_level(logging.INFO)
    for name, raw in (("first_name", without_first_name()), ("date", without_date()), ("text", with_text_object())):
        assert await tg_post(http, tg_svc, raw) == 400, name
        assert [r for r in warnings_with(caplog, "update refused") if name in r.getMessage()], name
    assert [i for i in await tg_svc.store.inbox_pending(1000) if i.channel == "telegram"] == []
    assert len(warnings_with(caplog, "update refused")) == 3  # one line each
    # An update stored before the check (an older version accepted it) is set aside at its first attempt.
    stored = without_date()
    await tg_svc.store.inbox_add(InboxItem(channel="telegram", message_id=str(stored["update_id"]),
                                           payload=stored, received_at=utcnow()))
    await wait_for(lambda: processed(tg_svc.store, stored["update_id"]), timeout=15)
    assert len(warnings_with(caplog, "set aside, it cannot be read")) == 1
    assert tg_svc.runtime.channels["telegram"].inbox.stats["retried"] == 0
    assert trouble(caplog) == []
    # What a resident really sends is still read and answered.
    sent = await deliver(http, tg_svc, fake, payload("private_text", text="halo"))
    assert "selamat datang" in joined(sent).lower()
    assert fake.sent(chat_id=TG_RESIDENT)


async def test_a_whatsapp_message_that_cannot_be_read_is_left_out_and_the_rest_kept(wa_svc, http, graph, caplog):  # noqa: F811
    caplog.set_level(logging.INFO)
    body = text_delivery("halo")
    value = body["entry"][0]["changes"][0]["value"]
    hostile = copy.deepcopy(value["messages"][0])
    hostile.update(id="wamid.HOSTILE-1", text={"body": {"$gt": ""}})
    value["messages"].append(hostile)  # after the real one, which exchange() waits for
    sent = await exchange(http, wa_svc, graph, body)
    assert "selamat datang" in texts(sent).lower()
    assert len(warnings_with(caplog, "message ignored, it cannot be read: message.text.body is not a string")) == 1
    conversation = await wa_svc.store.get_conversation(f"whatsapp:{RESIDENT}")
    assert [h["text"] for h in conversation.state["history"]] == ["halo"]
    # Alone in its delivery: acknowledged (Meta would retry anything else for a day), stored nowhere, answered never.
    alone = text_delivery("x")
    alone["entry"][0]["changes"][0]["value"]["messages"][0]["text"]["body"] = ["not", "text"]
    before = len(graph.sent)
    assert await post(http, wa_svc, alone) == 200
    assert await wa_svc.store.inbox_pending(1000) == [] and len(graph.sent) == before
    assert trouble(caplog) == []


async def test_a_whatsapp_timestamp_that_is_no_time_is_read_as_now(wa_svc, http, graph, caplog):  # noqa: F811
    body = text_delivery("halo")
    body["entry"][0]["changes"][0]["value"]["messages"][0]["timestamp"] = "99999999999999999"
    before = utcnow()
    sent = await exchange(http, wa_svc, graph, body)
    assert "selamat datang" in texts(sent).lower()  # the resident's message is not lost
    conversation = await wa_svc.store.get_conversation(f"whatsapp:{RESIDENT}")
    assert conversation.last_inbound_at >= before
    assert trouble(caplog) == []


async def test_a_whatsapp_item_stored_before_the_check_is_set_aside_at_once(wa_svc, http, graph, caplog):  # noqa: F811
    caplog.set_level(logging.INFO)
    body = text_delivery("halo")
    message = body["entry"][0]["changes"][0]["value"]["messages"][0]
    message["text"] = {"body": {"nested": True}}
    await wa_svc.store.inbox_add(InboxItem(channel="whatsapp", message_id=message_id(body), received_at=utcnow(),
                                           payload={"message": message, "contact": {}, "metadata": {}}))
    await wa_processed(wa_svc, message_id(body))
    assert len(warnings_with(caplog, "set aside, it cannot be read: message.text.body")) == 1
    assert wa_svc.runtime.channels["whatsapp"].inbox.stats == {**wa_svc.runtime.channels["whatsapp"].inbox.stats,
                                                               "retried": 0, "poison": 0, "malformed": 1}
    assert graph.sent_to(RESIDENT) == [] and trouble(caplog) == []
