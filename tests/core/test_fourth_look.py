"""Turns found by a fourth exploratory session (residents on Telegram, WhatsApp and SMS), each through the real REST
endpoint of the service on its defaults: a report sent in several short messages keeps its place and its details,
a correction replaces the description, an old message's button no longer answers the question asked now, a second
"Kirim" names the ticket already filed, and an unknown command keeps the unsent draft.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.core.test_conversations import tickets_of
from tests.core.test_flows import TICKET
from tests.harness import make_settings, payloads, running_service, say, texts


@pytest.fixture
async def svc(tmp_path: Path, nlu_model_path: Path):
    async with running_service(make_settings(tmp_path)) as service:
        yield service


def sent(replies: list[dict], code: str) -> str:
    """The payload exactly as the bot sent it (with its question mark) of the button whose code is `code`."""
    found = [b["payload"] for r in replies for b in r.get("buttons", []) if b["payload"].split("#")[0] == code]
    assert found, (code, [b["payload"] for r in replies for b in r.get("buttons", [])])
    return found[0]


def shown(replies: list[dict]) -> str:
    """The texts and the button titles of the replies."""
    return texts(replies) + "\n" + "\n".join(b["title"] for r in replies for b in r.get("buttons", []))


async def to_summary(http, svc, sender: str, replies: list[dict]) -> list[dict]:
    """From a location or photo question to the summary: skip the photo, public report."""
    if "btn:skip" not in payloads(replies):
        replies = await say(http, svc.url, sender, "Desa Sooko RT 02 RW 01")
    replies = await say(http, svc.url, sender, sent(replies, "btn:skip"))
    return await say(http, svc.url, sender, sent(replies, "privacy:publik"))


# --- a report in several short messages --------------------------------------------------------------
async def test_a_burst_keeps_the_place_and_the_details(svc, http):
    """"mau lapor" / "jalan depan rumah saya ambles" / "di desa japanan kec mojowarno" / "udah 2 minggu gak dibenerin":
    the place is not taken for a topic (it offered the village office), the last words join the description."""
    await say(http, svc.url, "burst", "mau lapor")
    replies = await say(http, svc.url, "burst", "jalan depan rumah saya ambles")
    assert "Dinas PUPR" in shown(replies), shown(replies)
    replies = await say(http, svc.url, "burst", "di desa japanan kec mojowarno")
    assert "desa japanan kec mojowarno" in texts(replies), texts(replies)
    assert "Dinas PUPR" in shown(replies) and "DPMD" not in shown(replies), shown(replies)
    replies = await say(http, svc.url, "burst", "udah 2 minggu gak dibenerin")
    assert "tambahkan" in texts(replies) and "Dinas PUPR" in shown(replies), shown(replies)
    if "topic:aduan_jalan_rusak" in payloads(replies):
        replies = await say(http, svc.url, "burst", sent(replies, "topic:aduan_jalan_rusak"))
    else:
        replies = await say(http, svc.url, "burst", sent(replies, "btn:yes"))
    assert "btn:skip" in payloads(replies), texts(replies)  # the place was given: straight to the photo
    replies = await to_summary(http, svc, "burst", replies)
    summary = texts(replies)
    assert "desa japanan kec mojowarno" in summary and "2 minggu" in summary, summary
    replies = await say(http, svc.url, "burst", sent(replies, "btn:send"))
    [ticket] = await tickets_of(svc, "burst")
    assert ticket.opd_id == "dinas-pupr" and "2 minggu" in ticket.text
    assert "japanan" in str(ticket.location)


async def test_a_place_sent_before_the_topic_is_confirmed_is_kept(svc, http):
    replies = await say(http, svc.url, "tempat", "jalan rusak parah di desa sooko, lubang besar")
    assert "btn:yes" in payloads(replies), texts(replies)
    replies = await say(http, svc.url, "tempat", "lokasinya di depan balai desa sooko")
    assert "depan balai desa sooko" in texts(replies) and "btn:yes" in payloads(replies), texts(replies)
    replies = await say(http, svc.url, "tempat", sent(replies, "btn:yes"))
    assert "btn:skip" in payloads(replies) and "lokasi" not in texts(replies).lower(), texts(replies)


async def test_a_yes_with_more_words_confirms_the_topic(svc, http):
    await say(http, svc.url, "iya", "jalan di desa Sooko rusak parah banyak lubang")
    replies = await say(http, svc.url, "iya", "iya betul, tolong cepat ya pak")
    assert "tambahkan" not in texts(replies) and "lokasi" in texts(replies).lower(), texts(replies)


async def test_an_agency_named_after_di_is_a_topic_not_a_place(svc, http):
    await say(http, svc.url, "dinas", "mau lapor")
    replies = await say(http, svc.url, "dinas", "ada orang terlantar tidur di emperan toko")
    replies = await say(http, svc.url, "dinas", "di dinas sosial aja")
    assert "Lokasinya kami catat" not in texts(replies), texts(replies)


CORRECTION = "eh salah, maksudnya sampah di TPS depan pasar sooko sudah seminggu tidak diangkut, baunya menyengat"


async def test_a_correction_replaces_the_description(svc, http):
    replies = await say(http, svc.url, "ralat", "lampu jalan di depan sekolah mati semua")
    assert "btn:yes" in payloads(replies), texts(replies)
    replies = await say(http, svc.url, "ralat", CORRECTION)
    assert "ganti" in texts(replies) and "btn:yes" in payloads(replies), shown(replies)
    assert "*DLH*" in texts(replies), shown(replies)
    replies = await say(http, svc.url, "ralat", sent(replies, "btn:yes"))
    replies = await to_summary(http, svc, "ralat", replies)
    summary = texts(replies)
    assert "seminggu tidak diangkut" in summary and "eh salah" not in summary, summary
    assert "lampu" not in summary.lower(), summary


# --- buttons of earlier messages -----------------------------------------------------------------------
async def test_an_old_yes_does_not_confirm_the_current_draft(svc, http):
    first = await say(http, svc.url, "lama", "lampu jalan di depan sekolah mati semua")
    old_yes = sent(first, "btn:yes")
    second = await say(http, svc.url, "lama", CORRECTION)
    assert "btn:yes" in payloads(second) and "*DLH*" in texts(second), shown(second)
    replies = await say(http, svc.url, "lama", old_yes)
    assert "pertanyaan sebelumnya" in texts(replies) and "*DLH*" in texts(replies), texts(replies)
    assert "lokasi" not in texts(replies).lower()  # not confirmed: the topic question again
    replies = await say(http, svc.url, "lama", sent(second, "btn:yes"))
    assert "lokasi" in texts(replies).lower(), texts(replies)


async def test_an_old_cancel_at_the_summary_keeps_the_draft(svc, http):
    first = await say(http, svc.url, "batal-lama", "jalan di desa Sooko rusak parah banyak lubang")
    old_cancel = sent(first, "btn:cancel")
    replies = await say(http, svc.url, "batal-lama", sent(first, "btn:yes"))
    replies = await to_summary(http, svc, "batal-lama", replies)
    replies = await say(http, svc.url, "batal-lama", old_cancel)
    assert "pertanyaan sebelumnya" in texts(replies) and "dibatalkan" not in texts(replies), texts(replies)
    assert "btn:send" in payloads(replies)  # the summary again
    replies = await say(http, svc.url, "batal-lama", sent(replies, "btn:send"))
    assert TICKET.search(texts(replies)), texts(replies)


async def test_the_same_question_asked_again_keeps_its_buttons_working(svc, http):
    first = await say(http, svc.url, "ulang", "jalan di desa Sooko rusak parah banyak lubang")
    again = await say(http, svc.url, "ulang", "hmm")
    assert sent(again, "btn:yes") == sent(first, "btn:yes"), texts(again)
    replies = await say(http, svc.url, "ulang", sent(first, "btn:yes"))
    assert "lokasi" in texts(replies).lower(), texts(replies)


async def test_a_second_send_names_the_ticket_already_filed(svc, http):
    replies = await say(http, svc.url, "kirim2", "jalan di desa Sooko rusak parah banyak lubang")
    replies = await say(http, svc.url, "kirim2", sent(replies, "btn:yes"))
    replies = await to_summary(http, svc, "kirim2", replies)
    send = sent(replies, "btn:send")
    filed = await say(http, svc.url, "kirim2", send)
    number = TICKET.search(texts(filed)).group(0)
    replies = await say(http, svc.url, "kirim2", send)
    assert number in texts(replies) and "sudah terkirim" in texts(replies), texts(replies)
    assert len(await tickets_of(svc, "kirim2")) == 1


async def test_unmarked_payloads_still_work(svc, http):
    """Typed codes and buttons sent before marks existed are taken as they are."""
    await say(http, svc.url, "polos", "jalan di desa Sooko rusak parah banyak lubang")
    replies = await say(http, svc.url, "polos", "btn:yes")
    assert "lokasi" in texts(replies).lower(), texts(replies)


async def test_a_pin_sent_instead_of_confirming_the_named_place_keeps_both(svc, http):
    replies = await say(http, svc.url, "pin", "jalan di desa Sooko rusak parah banyak lubang")
    replies = await say(http, svc.url, "pin", sent(replies, "btn:yes"))
    assert "desa Sooko" in texts(replies), texts(replies)  # the place the report names, offered
    replies = await say(http, svc.url, "pin", "-7.5521, 112.4367")
    replies = await to_summary(http, svc, "pin", replies)
    assert "desa Sooko" in texts(replies) and "-7.552100" in texts(replies), texts(replies)


async def test_a_report_that_opens_with_the_salam_is_answered_with_it(svc, http):
    replies = await say(http, svc.url, "salam", "Assalamualaikum pak, jalan di desa Sooko rusak parah banyak lubang")
    assert replies[0]["text"].startswith("Wa'alaikumussalam"), texts(replies)
    assert "btn:yes" in payloads(replies) and texts(replies).count("alaikum") == 1, texts(replies)


async def test_a_complaint_written_to_the_regent_says_why_it_went_to_the_agency(svc, http):
    replies = await say(http, svc.url, "bupati", "pak bupati yth, bantuan PKH ibu saya sudah 3 bulan tidak cair, "
                                                 "mohon dibantu")
    for _ in range(8):
        if TICKET.search(texts(replies)):
            break
        offered = payloads(replies)
        pick = next((p for p in ("btn:yes", "btn:skip", "privacy:publik", "btn:send") if p in offered), None)
        replies = await say(http, svc.url, "bupati", sent(replies, pick) if pick else "Desa Sooko RT 02 RW 01")
    [ticket] = await tickets_of(svc, "bupati")
    assert ticket.opd_id == "dinas-sosial" and ticket.extra["addressed_to"] == "regent"
    assert "tujukan kepada Bupati" in texts(replies) and "/bupati" in texts(replies), texts(replies)
    # an ordinary complaint says nothing of it
    await say(http, svc.url, "biasa", "jalan di desa Sooko rusak parah banyak lubang")
    assert "tujukan" not in texts(await file_rest(http, svc, "biasa"))


async def file_rest(http, svc, sender: str) -> list[dict]:
    replies = await say(http, svc.url, sender, "btn:yes")
    replies = await to_summary(http, svc, sender, replies)
    return await say(http, svc.url, sender, sent(replies, "btn:send"))


async def test_a_phone_number_alone_at_a_choice_is_told_and_the_question_asked_again(svc, http):
    await say(http, svc.url, "nomor", "jalan di desa Sooko rusak parah banyak lubang")
    replies = await say(http, svc.url, "nomor", "08123456789")
    said = texts(replies)
    assert "tidak diperlukan" in said and "btn:yes" in payloads(replies) and "Dinas PUPR" in said, said


# --- commands ----------------------------------------------------------------------------------------
async def test_an_unknown_command_keeps_the_unsent_draft(svc, http):
    await say(http, svc.url, "perintah", "jalan di desa Sooko rusak parah banyak lubang")
    replies = await say(http, svc.url, "perintah", "/hapus_semua")
    said = texts(replies)
    assert "/hapus_semua" in said and "Jalan rusak" in said and "btn:resume" in payloads(replies), said
    replies = await say(http, svc.url, "perintah", "lanjutkan")
    assert "btn:yes" in payloads(replies) and "Dinas PUPR" in texts(replies), texts(replies)
