"""Telegram: python-telegram-bot unchanged against a fake Bot API on 127.0.0.1, updates POSTed to the real webhook."""

from __future__ import annotations

import copy
import itertools
import json
import re
from pathlib import Path
from typing import Any

import aiohttp
import pytest

from bot.__main__ import issue_code
from bot.errors import PermanentError, RetryableError
from bot.message import Button, Location, Reply, utcnow
from bot.store.base import STATUS_IN_PROGRESS, Changes, InboxItem, Ticket
from bot.telegram_cli import main as telegram_cli
from tests.core.test_flows import enrol
from tests.desk.test_desk_http import staff_client
from tests.fakes.telegram_api import Call, FakeTelegramApi
from tests.harness import mailbox, make_settings, photo_jpeg, running_service, same_picture, say, wait_for

PAYLOADS = Path(__file__).resolve().parent.parent / "payloads" / "telegram"
TICKET = re.compile(r"WRG-\d{4}-\d{4}")
SECRET = "s3cret"
RESIDENT = "1001"
OFFICER = "2002"
GROUP = "-1001234567890"
PHOTO_BYTES = photo_jpeg()
_update_ids = itertools.count(800000000)
_used_ids: set[tuple[str, Any]] = set()


def payload(name: str, **changes: Any) -> dict[str, Any]:
    """A captured update with a fresh update_id; `text`, `data`, `reply_to`, `sender` adjust it."""
    raw = copy.deepcopy(json.loads((PAYLOADS / f"{name}.json").read_text(encoding="utf-8")))
    raw["update_id"] = next(_update_ids)
    body = raw.get("message") or raw.get("edited_message") or raw.get("callback_query")
    # As on Telegram, every new message and button press has its own id (the dialogue deduplicates by
    # it): a captured payload keeps its ids the first time, then gets fresh ones.
    if body is not None:
        field = "id" if raw.get("callback_query") is body else "message_id"
        if field in body:
            if (name, body[field]) in _used_ids:
                body[field] = raw["update_id"] if field == "message_id" else f"cb{raw['update_id']}"
            _used_ids.add((name, body[field]))
    if "text" in changes:
        body["text"] = changes["text"]
    if "data" in changes:
        body["data"] = changes["data"]
    if "reply_to" in changes:
        body["reply_to_message"]["message_id"] = changes["reply_to"]
    if "sender" in changes:
        body["from"]["id"] = int(changes["sender"])
        if body.get("chat", {}).get("type") == "private":
            body["chat"]["id"] = int(changes["sender"])
    return raw


@pytest.fixture
async def fake():
    async with FakeTelegramApi() as api:
        api.add_file("AgACAgUAAxkBAAIBQ2VfPhoto-l", PHOTO_BYTES)
        api.add_file("AgACAgUAAxkBAAIBQ2VfPhoto-m", b"medium")
        yield api


def tg_settings(tmp_path: Path, fake: FakeTelegramApi, **env: str):
    values = {"TELEGRAM_BOT_TOKEN": "123:ABC", "TELEGRAM_WEBHOOK_SECRET": SECRET,
              "TELEGRAM_API_BASE_URL": fake.api_base, "TELEGRAM_FILE_BASE_URL": fake.file_base,
              "TELEGRAM_MODE": "webhook", "WARGA_PUBLIC_URL": "http://127.0.0.1:1"}
    values.update(env)
    return make_settings(tmp_path, **values)


@pytest.fixture
async def svc(tmp_path: Path, fake: FakeTelegramApi, nlu_model_path: Path):
    settings = tg_settings(tmp_path, fake)
    async with running_service(settings) as service:
        yield service


async def post(http: aiohttp.ClientSession, svc: Any, body: Any, secret: str | None = SECRET) -> int:
    headers = {"X-Telegram-Bot-Api-Secret-Token": secret} if secret is not None else {}
    data = body if isinstance(body, bytes) else json.dumps(body).encode()
    async with http.post(f"{svc.url}/webhooks/telegram", data=data,
                         headers={"Content-Type": "application/json", **headers}) as resp:
        return resp.status


async def processed(store: Any, update_id: int) -> bool:
    pending = await store.inbox_pending(limit=1000)
    return not any(i.channel == "telegram" and i.message_id == str(update_id) for i in pending)


async def deliver(http: aiohttp.ClientSession, svc: Any, fake: FakeTelegramApi, raw: dict[str, Any],
                  chat: str = RESIDENT) -> list[Call]:
    """POST an update, wait until it is fully processed, return what was sent to `chat` meanwhile."""
    before = len(fake.calls)
    assert await post(http, svc, raw) == 200
    await wait_for(lambda: processed(svc.store, raw["update_id"]), timeout=15)
    return [c for c in fake.calls[before:] if c.status == 200 and c.chat_id == chat
            and c.method in ("sendMessage", "sendPhoto", "sendLocation")]


def joined(calls: list[Call]) -> str:
    return "\n".join(c.text for c in calls)


def payloads_of(calls: list[Call]) -> list[str]:
    return [p for c in calls for p in c.payloads]


async def enrol_on_telegram(http: aiohttp.ClientSession, svc: Any, fake: FakeTelegramApi, user: str = OFFICER,
                            role: str = "officer", opd: str | None = "dinas-pupr") -> None:
    code = await issue_code(svc.settings, role, opd)
    sent = await deliver(http, svc, fake, payload("private_reply", text=f"/daftar {code}", sender=user), chat=user)
    assert "terdaftar" in joined(sent), joined(sent)


async def file_webchat_complaint(http: aiohttp.ClientSession, url: str, sender: str) -> str:
    for text in ("jalan di desa Sooko rusak parah banyak lubang", "ya", "Desa Sooko RT 02 RW 01, depan balai desa",
                 "lewati", "privasi:publik"):
        await say(http, url, sender, text)
    replies = await say(http, url, sender, "kirim")
    return TICKET.search("\n".join(r["text"] for r in replies)).group(0)


# --- the resident's flow -----------------------------------------------------------------------
async def test_start_shows_the_menu_as_an_inline_keyboard(svc, fake, http):
    sent = await deliver(http, svc, fake, payload("start"))
    assert "selamat datang" in joined(sent).lower()
    assert payloads_of(sent) == ["/aduan", "/tanya", "/status", "/bupati"]
    assert all(c.params.get("parse_mode") is None for c in sent)  # plain text + entities, never a parse mode


async def test_complaint_on_telegram_with_buttons_location_and_photo_reaches_an_officer_on_telegram(svc, fake, http):
    await enrol_on_telegram(http, svc, fake)

    sent = await deliver(http, svc, fake, payload("private_text"))
    assert "Dinas PUPR" in joined(sent) and "btn:yes" in payloads_of(sent)

    query = payload("callback_query", data="ya")
    sent = await deliver(http, svc, fake, query)
    assert [c.params["callback_query_id"] for c in fake.of("answerCallbackQuery")] == [query["callback_query"]["id"]]
    assert "lokasi" in joined(sent).lower()

    sent = await deliver(http, svc, fake, payload("location"))
    assert "btn:skip" in payloads_of(sent)

    sent = await deliver(http, svc, fake, payload("photo_caption"))
    assert "btn:next" in payloads_of(sent), joined(sent)
    downloads = [c.params["file_id"] for c in fake.of("getFile")]
    assert downloads == ["AgACAgUAAxkBAAIBQ2VfPhoto-l"]  # the largest size only

    sent = await deliver(http, svc, fake, payload("callback_query", data="lanjut"))
    assert "privacy:publik" in payloads_of(sent)
    await deliver(http, svc, fake, payload("callback_query", data="privasi:publik"))
    sent = await deliver(http, svc, fake, payload("callback_query", data="kirim"))
    number = TICKET.search(joined(sent)).group(0)

    ticket = await svc.store.get_ticket(number)
    assert ticket.reporter == f"telegram:{RESIDENT}" and ticket.opd_id == "dinas-pupr"
    assert ticket.location["latitude"] == pytest.approx(-7.472613)
    assert ticket.location["longitude"] == pytest.approx(112.440052)
    assert len(ticket.media) == 1
    media = await svc.store.get_media(ticket.media[0])
    assert same_picture(media.data, PHOTO_BYTES) and media.mime == "image/jpeg"

    # The officer's card: the photo, the text with Balas/Proses/Selesai/Alihkan, and a map pin.
    async def card_arrived() -> bool:
        return bool(fake.sent("sendLocation", chat_id=OFFICER))
    await wait_for(card_arrived, timeout=10)
    card = [c for c in fake.sent(chat_id=OFFICER) if number in c.text]
    assert card, [c.text for c in fake.sent(chat_id=OFFICER)]
    photos = fake.sent("sendPhoto", chat_id=OFFICER)
    assert photos and photos[-1].files.get("photo") == media.data
    actions = {f"/balas {number}", f"/proses {number}", f"/selesai {number}", f"/alihkan {number}"}
    assert actions <= set(payloads_of(card))
    pin = fake.sent("sendLocation", chat_id=OFFICER)[-1]
    assert float(pin.params["latitude"]) == pytest.approx(-7.472613)

    # Replying to the card with Telegram's reply function answers the resident on Telegram.
    card_id = card[-1].message_id
    await deliver(http, svc, fake, payload("private_reply", reply_to=card_id,
                                           text="Terima kasih, tim kami meninjau lokasi besok pagi"), chat=OFFICER)

    async def relayed() -> list[Call]:
        return [c for c in fake.sent("sendMessage", chat_id=RESIDENT) if "meninjau lokasi" in c.text]
    relay = await wait_for(relayed, timeout=10)
    assert number in relay[0].text and "*" not in relay[0].text  # the texts' *bold* became an entity
    assert any(e["type"] == "bold" for e in relay[0].params.get("entities", []))
    assert (await svc.store.get_ticket(number)).status == STATUS_IN_PROGRESS

    # A /start deep link shows the ticket's status to its reporter.
    sent = await deliver(http, svc, fake, payload("start_status", text=f"/start status_{number}"))
    assert number in joined(sent) and "Dinas PUPR" in joined(sent)


async def test_officer_reply_to_card_reaches_a_web_chat_resident(svc, fake, http):
    await enrol_on_telegram(http, svc, fake)
    number = await file_webchat_complaint(http, svc.url, "warga-web")
    card = await wait_for(lambda: [c for c in fake.sent("sendMessage", chat_id=OFFICER) if number in c.text])
    assert f"/balas {number}" in card[0].payloads
    await deliver(http, svc, fake, payload("private_reply", reply_to=card[0].message_id,
                                           text="Terima kasih, tim kami meninjau lokasi besok pagi"), chat=OFFICER)

    async def resident_got_it() -> list[dict[str, Any]]:
        return [i for i in await mailbox(svc.store, "webchat:warga-web") if "meninjau lokasi" in i["text"]]
    relayed = await wait_for(resident_got_it, timeout=10)
    assert number in relayed[0]["text"]


async def test_a_reply_to_a_card_answers_that_cards_ticket_while_a_reply_to_another_waits(svc, fake, http):
    await enrol_on_telegram(http, svc, fake)
    first = await file_webchat_complaint(http, svc.url, "warga-satu")
    second = await file_webchat_complaint(http, svc.url, "warga-dua")
    card = await wait_for(lambda: [c for c in fake.sent("sendMessage", chat_id=OFFICER) if second in c.text])
    await deliver(http, svc, fake, payload("private_text", sender=OFFICER, text=f"/balas {first}"), chat=OFFICER)
    await deliver(http, svc, fake, payload("private_reply", reply_to=card[0].message_id,
                                           text="Jembatan kami cek besok pagi"), chat=OFFICER)
    assert [e.text for e in await svc.store.ticket_events(second, "message_out")] == ["Jembatan kami cek besok pagi"]
    assert await svc.store.ticket_events(first, "message_out") == []


async def test_regent_on_telegram_answers_by_replying(svc, fake, http):
    await enrol_on_telegram(http, svc, fake, user="3003", role="regent", opd=None)
    await say(http, svc.url, "warga-bupati", "/bupati")
    await say(http, svc.url, "warga-bupati", "Pak Bupati, mohon perhatikan nasib guru honorer di desa kami")
    replies = await say(http, svc.url, "warga-bupati", "btn:send")  # confirmed before it is sent (issue 12)
    number = TICKET.search("\n".join(r["text"] for r in replies)).group(0)
    card = await wait_for(lambda: [c for c in fake.sent("sendMessage", chat_id="3003") if "guru honorer" in c.text])
    await deliver(http, svc, fake, payload("private_reply", sender="3003", reply_to=card[0].message_id,
                                           text="Terima kasih, akan kami tindak lanjuti bersama Dinas Pendidikan"),
                  chat="3003")

    async def resident_got_it() -> list[dict[str, Any]]:
        return [i for i in await mailbox(svc.store, "webchat:warga-bupati") if "Dinas Pendidikan" in i["text"]]
    relayed = await wait_for(resident_got_it, timeout=10)
    assert number in relayed[0]["text"]


# --- groups ------------------------------------------------------------------------------------
async def test_linked_group_gets_cards_and_any_enrolled_officer_can_act(svc, fake, http):
    sent = await deliver(http, svc, fake, payload("my_chat_member"), chat=GROUP)
    assert "/daftar_grup" in joined(sent)
    await enrol_on_telegram(http, svc, fake)
    sent = await deliver(http, svc, fake, payload("group_command"), chat=GROUP)
    assert "terhubung" in joined(sent), joined(sent)
    assert sent[0].params["reply_parameters"]["message_id"] == 31  # answers the officer's command in the group

    # Chatter in the group and commands for another bot are not for us.
    assert await deliver(http, svc, fake, payload("group_chatter"), chat=GROUP) == []
    assert await deliver(http, svc, fake, payload("group_command_other_bot"), chat=GROUP) == []

    number = await file_webchat_complaint(http, svc.url, "warga-grup")
    card = await wait_for(lambda: [c for c in fake.sent("sendMessage", chat_id=GROUP) if number in c.text])
    assert f"/proses {number}" in card[0].payloads
    assert not [c for c in fake.sent(chat_id=OFFICER) if number in c.text]  # the group, not each officer

    press = payload("group_callback", data=f"/proses {number}")
    press["callback_query"]["message"]["message_id"] = card[0].message_id
    await deliver(http, svc, fake, press, chat=GROUP)
    assert (await svc.store.get_ticket(number)).status == STATUS_IN_PROGRESS

    await deliver(http, svc, fake, payload("group_reply", reply_to=card[0].message_id,
                                           text="Siap, tim kami meluncur ke lokasi besok pagi"), chat=GROUP)

    async def resident_got_it() -> list[dict[str, Any]]:
        return [i for i in await mailbox(svc.store, "webchat:warga-grup") if "meluncur" in i["text"]]
    await wait_for(resident_got_it, timeout=10)


# --- content the bot cannot read ------------------------------------------------------------------
@pytest.mark.parametrize(("name", "words"), [("voice", "pesan suara"), ("sticker", "stiker"), ("document", "dokumen")])
async def test_unsupported_content_gets_a_polite_explanation(svc, fake, http, name, words):
    sent = await deliver(http, svc, fake, payload(name))
    assert "maaf" in joined(sent).lower() and words in joined(sent).lower(), joined(sent)
    assert fake.of("getFile") == []  # nothing is downloaded for these


async def test_edited_message_is_not_reread_and_says_so(svc, fake, http):
    sent = await deliver(http, svc, fake, payload("edited_message"))
    assert "diedit" in joined(sent)
    conversation = await svc.store.get_conversation(f"telegram:{RESIDENT}")
    assert conversation is None or not conversation.state.get("history")


# --- the webhook's guards ----------------------------------------------------------------------
async def test_webhook_refuses_missing_or_wrong_secret_and_malformed_bodies(svc, fake, http):
    assert await post(http, svc, payload("start"), secret=None) == 403
    assert await post(http, svc, payload("start"), secret="s3cres") == 403
    assert await post(http, svc, payload("start"), secret="") == 403
    assert await post(http, svc, b"{not json") == 400
    assert await post(http, svc, {"message": {"text": "no update id"}}) == 400
    assert await post(http, svc, [1, 2]) == 400
    assert [i for i in await svc.store.inbox_pending(1000) if i.channel == "telegram"] == []
    sent = await deliver(http, svc, fake, payload("start"))  # and the real one still works
    assert sent and fake.sent(chat_id=RESIDENT) == sent


async def test_duplicate_update_is_processed_once(svc, fake, http):
    raw = payload("private_text", text="halo")
    assert await post(http, svc, raw) == 200
    assert await post(http, svc, raw) == 200
    await wait_for(lambda: processed(svc.store, raw["update_id"]))
    await deliver(http, svc, fake, payload("start"))  # a later update of the same chat: the first is long done
    conversation = await svc.store.get_conversation(f"telegram:{RESIDENT}")
    ids = [h["id"] for h in conversation.state["history"]]
    assert ids.count(str(raw["message"]["message_id"])) == 1


# --- sending: limits and failures ------------------------------------------------------------------
async def test_429_with_retry_after_is_retried_and_the_message_arrives(svc, fake, http):
    fake.rate_limit(2, retry_after=1)
    sent = await deliver(http, svc, fake, payload("start"))
    assert "selamat datang" in joined(sent).lower()
    assert [c.status for c in fake.of("sendMessage")][:3] == [429, 429, 200]


async def test_reply_that_cannot_be_sent_now_goes_to_the_outbox_and_arrives(svc, fake, http):
    fake.rate_limit(5, retry_after=1)  # more than PTB's own retries
    raw = payload("start")
    assert await post(http, svc, raw) == 200
    await wait_for(lambda: processed(svc.store, raw["update_id"]), timeout=15)
    jobs = await svc.store.list_jobs(limit=100)
    assert any(j.key == f"telegram-reply:{raw['update_id']}" for j in jobs)
    arrived = await wait_for(lambda: [c for c in fake.sent("sendMessage", chat_id=RESIDENT)
                                      if "selamat datang" in c.text.lower()], timeout=15)
    assert len(arrived) == 1


async def test_send_maps_errors_for_the_outbox(svc, fake):
    channel = svc.runtime.channels["telegram"]
    fake.block("4040")
    with pytest.raises(PermanentError):
        await channel.send("4040", [Reply("halo")])
    fake.rate_limit(10, retry_after=1)
    with pytest.raises(RetryableError) as caught:
        await channel.send("1001", [Reply("halo")])
    assert caught.value.retry_after == 1


async def test_long_text_is_split_and_long_button_payloads_round_trip(svc, fake, http):
    channel = svc.runtime.channels["telegram"]
    paragraph = "Jalan kabupaten sepanjang dua kilometer rusak. " * 30
    long_text = "\n\n".join([paragraph] * 7)  # about 10,000 characters
    long_payload = "topik:" + "x" * 100
    await channel.send(RESIDENT, [Reply(long_text, (Button("Pilih", long_payload),))])
    pieces = fake.sent("sendMessage", chat_id=RESIDENT)
    assert len(pieces) == 3 and all(len(p.text) <= 4096 for p in pieces)
    squeeze = re.compile(r"\s+")
    assert squeeze.sub("", "".join(p.text for p in pieces)) == squeeze.sub("", long_text)
    assert pieces[0].buttons == [] and len(pieces[-1].payloads) == 1
    data = pieces[-1].payloads[0]
    assert len(data.encode()) <= 64 and data != long_payload

    await deliver(http, svc, fake, payload("callback_query", data=data))
    conversation = await svc.store.get_conversation(f"telegram:{RESIDENT}")
    assert conversation.state["history"][-1]["text"] == long_payload


async def test_card_with_stored_photo_and_pin_is_linked_to_its_ticket(svc, fake):
    channel = svc.runtime.channels["telegram"]
    await channel.send(OFFICER, [Reply("Aduan *WRG-2611-0099*", (Button("Balas", "/balas WRG-2611-0099"),),
                                       image="https://example.org/foto.jpg",
                                       location=Location(-7.47, 112.44), ticket="WRG-2611-0099")])
    photo = fake.sent("sendPhoto", chat_id=OFFICER)[0]
    assert photo.params["photo"] == "https://example.org/foto.jpg" and photo.text == "Aduan WRG-2611-0099"
    assert photo.payloads == ["/balas WRG-2611-0099"]
    pin = fake.sent("sendLocation", chat_id=OFFICER)[0]
    for sent in (photo, pin):
        assert await svc.store.linked_ticket("telegram", OFFICER, str(sent.message_id)) == "WRG-2611-0099"


# --- restart safety, polling, the command line --------------------------------------------------------
async def test_updates_left_pending_are_processed_after_a_restart(tmp_path, fake, http, nlu_model_path):
    settings = tg_settings(tmp_path, fake)
    raw = payload("start")
    async with running_service(settings) as first:
        await first.store.inbox_add(InboxItem(channel="telegram", message_id=str(raw["update_id"]), payload=raw,
                                              received_at=utcnow()))
    assert not fake.sent(chat_id=RESIDENT)
    async with running_service(settings) as second:
        await wait_for(lambda: processed(second.store, raw["update_id"]), timeout=15)
        assert "selamat datang" in joined(fake.sent(chat_id=RESIDENT)).lower()


async def test_polling_mode_feeds_the_same_path(tmp_path, fake, nlu_model_path):
    settings = tg_settings(tmp_path, fake, TELEGRAM_MODE="auto", WARGA_PUBLIC_URL="")
    fake.push_update(payload("start"))
    async with running_service(settings) as service:
        assert service.runtime.channels["telegram"].mode == "polling"
        await wait_for(lambda: fake.sent("sendMessage", chat_id=RESIDENT), timeout=10)
    offsets = [int(c.params.get("offset") or 0) for c in fake.of("getUpdates")]
    assert max(offsets) > 0  # the update was confirmed


async def test_cli_sets_inspects_and_deletes_the_webhook(tmp_path, fake, capsys):
    settings = tg_settings(tmp_path, fake)
    assert await telegram_cli(["set-webhook", "https://warga.example.go.id/webhooks/telegram"], settings) == 0
    assert fake.webhook["url"] == "https://warga.example.go.id/webhooks/telegram"
    assert fake.webhook["secret_token"] == SECRET
    assert "callback_query" in fake.webhook["allowed_updates"]
    assert await telegram_cli(["info"], settings) == 0
    assert "warga.example.go.id" in capsys.readouterr().out
    assert await telegram_cli(["delete-webhook"], settings) == 0
    assert fake.webhook == {}
    no_secret = tg_settings(tmp_path, fake, TELEGRAM_WEBHOOK_SECRET="")
    assert await telegram_cli(["set-webhook", "https://x/webhooks/telegram"], no_secret) == 2
    out = capsys.readouterr()
    assert "123:ABC" not in out.out + out.err


# --- files too big to take ------------------------------------------------------------------------
MB = 1024 * 1024
PHOTO_TOO_LARGE = ("Mohon maaf, foto Anda terlalu besar ({size}); foto maksimal 5 MB. Silakan kirim lagi sebagai foto "
                   "biasa (bukan sebagai file/dokumen), atau kecilkan dulu ukurannya.")


def photo_update(size: int | None, caption: str | None = None) -> dict[str, Any]:
    raw = payload("photo_caption")
    message = raw["message"]
    message.pop("caption")
    if caption:
        message["caption"] = caption
    for photo in message["photo"]:
        photo.pop("file_size")
    if size is not None:
        message["photo"][-1]["file_size"] = size
    return raw


async def test_a_photo_over_the_limit_is_not_downloaded_and_the_resident_is_told(svc, fake, http):
    sent = await deliver(http, svc, fake, photo_update(6 * MB + 1))
    assert [c.text for c in sent] == [PHOTO_TOO_LARGE.format(size="6,1 MB")]
    assert fake.of("getFile") == []  # Telegram says the size in the update: nothing is fetched
    # With a caption, the caption is handled as usual after the notice.
    sent = await deliver(http, svc, fake, photo_update(6 * MB, caption="jalan di desa Sooko rusak parah"))
    assert sent[0].text == PHOTO_TOO_LARGE.format(size="6 MB") and "Dinas PUPR" in joined(sent[1:])
    conversation = await svc.store.get_conversation(f"telegram:{RESIDENT}")
    assert conversation.state["history"][-1]["attachments"] == []


async def test_a_photo_telegram_will_not_give_is_asked_for_again_and_the_caption_still_handled(svc, fake, http):
    del fake.files["AgACAgUAAxkBAAIBQ2VfPhoto-l"]  # getFile answers 400, as Telegram does for an expired file id
    sent = await deliver(http, svc, fake, photo_update(200_000, caption="jalan di desa Sooko rusak parah"))
    assert sent[0].text == ("Mohon maaf, foto Anda tidak berhasil kami terima karena gangguan jaringan. "
                            "Silakan kirim ulang fotonya.")
    assert "Dinas PUPR" in joined(sent[1:]) and len(fake.of("getFile")) == 1
    conversation = await svc.store.get_conversation(f"telegram:{RESIDENT}")
    assert conversation.state["history"][-1]["attachments"] == []
    assert await svc.store.inbox_pending(10) == []


async def test_a_photo_document_over_the_limit_is_refused_as_a_photo(svc, fake, http):
    raw = payload("document")
    raw["message"]["document"].update({"mime_type": "image/jpeg", "file_name": "IMG_2026.jpg",
                                       "file_size": 12 * MB})
    sent = await deliver(http, svc, fake, raw)
    assert [c.text for c in sent] == [PHOTO_TOO_LARGE.format(size="12 MB")]
    assert fake.of("getFile") == [] and await svc.store.inbox_pending(10) == []


async def test_a_photo_without_a_size_is_measured_when_downloaded(svc, fake, http):
    fake.add_file("AgACAgUAAxkBAAIBQ2VfPhoto-l", b"\xff" * (5 * MB + 1))
    sent = await deliver(http, svc, fake, photo_update(None))
    assert [c.text for c in sent] == [PHOTO_TOO_LARGE.format(size="5,1 MB")]
    assert [c.params["file_id"] for c in fake.of("getFile")] == ["AgACAgUAAxkBAAIBQ2VfPhoto-l"]


async def test_a_voice_note_over_what_the_store_keeps_is_not_downloaded(tmp_path, fake, http, nlu_model_path):
    from tests.fakes.stt import FakeSpeechToText

    async with FakeSpeechToText() as stt, \
            running_service(tg_settings(tmp_path, fake, STT_URL=stt.url, STT_API_KEY=stt.api_key)) as service:
        raw = payload("voice")
        raw["message"]["voice"]["file_size"] = 17 * MB
        sent = await deliver(http, service, fake, raw)
        assert joined(sent).startswith("Mohon maaf, pesan suara Anda terlalu panjang (17 MB)")
        assert fake.of("getFile") == [] and stt.requests == []


async def test_an_answer_a_blocked_reporter_never_gets_is_written_in_the_tickets_history(svc, fake, http):
    """The resident blocked the bot: the officer's answer becomes a dead letter, and the ticket's history on the
    desk says the reporter did not get it (by which channel), so the officer can reach them another way."""
    now = utcnow()
    await svc.store.commit(Changes(tickets=[Ticket(
        number="WRG-2612-0404", kind="aduan", topic="aduan_jalan_rusak", opd_id="dinas-pupr", status="baru",
        text="jalan desa Sooko rusak", reporter="telegram:4040", created_at=now, updated_at=now, due_at=now)]))
    fake.block("4040")
    await enrol(http, svc, "pupr-blok")
    await say(http, svc.url, "pupr-blok", "/balas WRG-2612-0404 Kami cek ke lokasi besok.")
    [event] = await wait_for(lambda: svc.store.ticket_events("WRG-2612-0404", "undelivered"), timeout=15)
    assert event.data["channel"] == "telegram" and event.data["to_reporter"] is True, event
    assert "Kami cek ke lokasi besok." in (event.text or "")
    officer = await svc.store.get_identity("webchat:pupr-blok")
    async with await staff_client(svc, officer) as desk, desk.get(f"{svc.url}/desk/tiket/WRG-2612-0404") as resp:
        page = await resp.text()
    assert "Pesan tidak sampai" in page and "hubungi dengan cara lain" in page, page


async def test_a_reply_to_a_colleagues_answer_notice_never_reaches_the_reporter(svc, fake, http):
    """"💬 … sudah menjawab pelapor …" tells an officer on Telegram what a colleague answered; replying to it
    ("siap, makasih") is for the colleague, not an answer to the resident (the notice is linked to no ticket)."""
    await enrol_on_telegram(http, svc, fake)
    await enrol(http, svc, "pupr-web")
    number = await file_webchat_complaint(http, svc.url, "warga-notis")
    await say(http, svc.url, "pupr-web", f"/balas {number} Tim kami ke lokasi besok pagi.")
    notice = await wait_for(lambda: [c for c in fake.sent("sendMessage", chat_id=OFFICER)
                                     if "sudah menjawab pelapor" in c.text])
    sent = await deliver(http, svc, fake, payload("private_reply", reply_to=notice[0].message_id,
                                                  text="siap, makasih"), chat=OFFICER)
    assert [e.text for e in await svc.store.ticket_events(number, "message_out")] == ["Tim kami ke lokasi besok pagi."]
    assert sent and "belum dikirim" not in joined(sent), joined(sent)  # not even offered as an answer to send
