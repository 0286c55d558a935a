"""Officers' turns from the fourteenth trial, over real HTTP: plain words offered to one of several reporters are
sent where the officer's next words point ("yang jalan di sooko"), and asked again in short; every photo of an
officer's answer reaches the reporter; a ticket passed back and forth between offices is told honestly to the
resident, and its deadline does not restart each time."""

from __future__ import annotations

from datetime import timedelta

from bot.store.base import Changes

# `svc` is the service on a settable `clock` (Monday 7 December 2026)
from tests.core.test_eighth_look import clock, svc  # noqa: F401
from tests.core.test_flows import enrol, file_complaint
from tests.harness import mailbox, payloads, photo_jpeg, say, texts, upload, wait_for

BRIDGE = "jembatan kecil di dusun krajan desa puri ambrol separuh"
DRAIN = "saluran air di desa kedungrejo mampet airnya meluap ke jalan"


async def said_to(svc, who: str) -> str:  # noqa: F811
    return "\n".join(item.get("text", "") for item in await mailbox(svc.store, f"webchat:{who}"))


async def three_reporters(http, svc, officer: str, tag: str) -> tuple[str, str, str]:  # noqa: F811
    """Three complaints to `officer`'s office, each at its own village: the road at Sooko, the bridge at Puri, the
    drain at Kedungrejo (their cards each made them the latest to write)."""
    await enrol(http, svc, officer)
    road = await file_complaint(http, svc.url, f"warga-{tag}1")
    bridge = await file_complaint(http, svc.url, f"warga-{tag}2", BRIDGE)
    drain = await file_complaint(http, svc.url, f"warga-{tag}3", DRAIN)
    for number, village in ((bridge, "Desa Puri, Dusun Krajan"), (drain, "Desa Kedungrejo RT 01")):
        ticket = await svc.store.get_ticket(number)
        ticket.location = {"address": village}
        await svc.store.commit(Changes(tickets=[ticket]))
    return road, bridge, drain


# --- 1. plain words to one of several reporters ----------------------------------------------------------------
async def test_words_naming_one_listed_ticket_send_the_pending_answer_there(svc, http, clock):  # noqa: F811
    road, bridge, drain = await three_reporters(http, svc, "pupr-f1", "f1")
    answer = "Baik pak, besok pagi tim kami turun ke lokasi"
    replies = await say(http, svc.url, "pupr-f1", answer)
    assert len([p for p in payloads(replies) if p.startswith("/balas")]) == 3, texts(replies)
    said = texts(await say(http, svc.url, "pupr-f1", "yang jalan di sooko"))
    assert f"Balasan untuk {road} sudah dikirim" in said and answer in said, said
    await wait_for(lambda: _has(svc, "warga-f11", answer))
    assert answer not in await said_to(svc, "warga-f12") and answer not in await said_to(svc, "warga-f13")
    assert "yang jalan di sooko" not in await said_to(svc, "warga-f11")


async def test_a_short_pick_by_topic_alone_works_too(svc, http, clock):  # noqa: F811
    road, bridge, drain = await three_reporters(http, svc, "pupr-f2", "f2")
    answer = "Siap bu, hari ini kami cek"
    await say(http, svc.url, "pupr-f2", answer)
    said = texts(await say(http, svc.url, "pupr-f2", "yg jembatan"))
    assert f"Balasan untuk {bridge} sudah dikirim" in said, said
    await wait_for(lambda: _has(svc, "warga-f22", answer))
    assert answer not in await said_to(svc, "warga-f21")


async def test_words_again_are_asked_in_short_with_the_buttons(svc, http, clock):  # noqa: F811
    road, bridge, drain = await three_reporters(http, svc, "pupr-f3", "f3")
    first = texts(await say(http, svc.url, "pupr-f3", "Baik pak, besok pagi tim kami turun"))
    assert all(n in first for n in (road, bridge, drain)), first
    again = "Mohon maaf atas keterlambatannya ya pak"
    replies = await say(http, svc.url, "pupr-f3", again)
    said = texts(replies)
    assert not any(n in said for n in (road, bridge, drain)), said  # the list is above; the buttons name them
    assert "di atas" in said and again in said, said
    assert [p for p in payloads(replies) if p.startswith("/balas")] == \
        [f"/balas {n} {again}" for n in (drain, bridge, road)], payloads(replies)
    # words that name all three alike ("yang di desa") pick none: the words stay unsent, the buttons again
    replies = await say(http, svc.url, "pupr-f3", "yang di desa")
    said = texts(replies)
    assert "belum jelas" in said and "sudah dikirim" not in said and again in said, said
    assert f"/balas {bridge} {again}" in payloads(replies), payloads(replies)
    said = texts(await say(http, svc.url, "pupr-f3", "yg jembatan"))
    assert f"Balasan untuk {bridge} sudah dikirim" in said, said
    await wait_for(lambda: _has(svc, "warga-f32", again))
    assert "yang di desa" not in await said_to(svc, "warga-f32")


async def _has(svc, who: str, words: str) -> bool:  # noqa: F811
    return words in await said_to(svc, who)


# --- 2. every photo of an officer's answer -----------------------------------------------------------------------
async def images_to(svc, who: str, number: str) -> list[str]:  # noqa: F811
    return [i["image"] for i in await mailbox(svc.store, f"webchat:{who}") if i.get("image") and number in i["text"]]


async def test_photos_sent_one_after_another_right_after_balas_all_reach_the_reporter(svc, http, clock):  # noqa: F811
    await enrol(http, svc, "pupr-f4")
    number = await file_complaint(http, svc.url, "warga-f4")
    said = texts(await upload(http, svc.url, "pupr-f4", photo_jpeg(), caption=f"/balas {number} sudah ditambal pak"))
    assert "sudah dikirim" in said, said
    for _ in range(2):  # an album's other pictures arrive as photos without words, one message each
        said = texts(await upload(http, svc.url, "pupr-f4", photo_jpeg()))
        assert number in said and "sudah dikirim" in said, said
    images = await wait_for(lambda: _at_least(images_to(svc, "warga-f4", number), 3))
    sent = [e for e in await svc.store.ticket_events(number) if e.kind == "message_out"]
    kept = [m for e in sent for m in e.data.get("media", [])]
    assert len(kept) == 3 and sorted(images) == sorted(f"/media/{m}" for m in kept), (images, kept)
    for media_id in kept:
        media = await svc.store.get_media(media_id)
        assert media is not None and media.ticket == number
    # a photo much later is not taken for that answer: it is offered, never sent unasked
    clock.now += timedelta(minutes=20)
    said = texts(await upload(http, svc.url, "pupr-f4", photo_jpeg()))
    assert "belum terkirim" in said, said
    assert len(await images_to(svc, "warga-f4", number)) == 3


async def test_two_photos_carried_by_one_answer_both_reach_the_reporter(svc, http, clock):  # noqa: F811
    await enrol(http, svc, "pupr-f5")
    number = await file_complaint(http, svc.url, "warga-f5")
    await say(http, svc.url, "warga-f5", f"{number} lubangnya makin besar pak")
    await wait_for(lambda: _has(svc, "pupr-f5", "lubangnya makin besar"))
    replies = await upload(http, svc.url, "pupr-f5", photo_jpeg())  # offered in one tap, held with the offer
    assert payloads(replies)[0] == f"/balas {number}", texts(replies)
    said = texts(await upload(http, svc.url, "pupr-f5", photo_jpeg(), caption=f"/balas {number}"))
    assert "dikirim" in said, said
    images = await wait_for(lambda: _at_least(images_to(svc, "warga-f5", number), 2))
    [event] = [e for e in await svc.store.ticket_events(number) if e.kind == "message_out"]
    assert sorted(images) == sorted(f"/media/{m}" for m in event.data["media"]) and len(images) == 2, images


async def _at_least(found, count: int):  # noqa: ANN001
    items = await found
    return items if len(items) >= count else None


# --- 3. a ticket passed back and forth between two offices --------------------------------------------------------
async def test_a_ticket_passed_back_and_forth_is_told_honestly_and_its_deadline_stays(svc, http, clock):  # noqa: F811
    await enrol(http, svc, "pupr-f6")
    await enrol(http, svc, "dlh-f6", opd="dlh")
    number = await file_complaint(http, svc.url, "warga-f6")
    filed_due = (await svc.store.get_ticket(number)).due_at

    async def moves_told() -> list[str]:
        return [i["text"] for i in await mailbox(svc.store, "webchat:warga-f6")
                if number in i.get("text", "") and ("dialihkan ke" in i["text"] or "teruskan ke" in i["text"])]

    clock.now += timedelta(days=1)
    await say(http, svc.url, "pupr-f6", f"/alihkan {number} dlh ada tumpukan sampah di lubangnya")
    first_due = (await svc.store.get_ticket(number)).due_at
    assert first_due != filed_due  # the first move gives the new office its own full time, as before
    [told] = await wait_for(moves_told)
    assert "yang berwenang" in told, told

    clock.now += timedelta(days=1)
    await say(http, svc.url, "dlh-f6", f"/alihkan {number} dinas-pupr lubang jalannya urusan PUPR")
    clock.now += timedelta(days=1)
    await say(http, svc.url, "pupr-f6", f"/alihkan {number} dlh sampahnya harus diangkut dulu")
    ticket = await svc.store.get_ticket(number)
    assert ticket.opd_id == "dlh" and ticket.due_at == first_due, (ticket.due_at, first_due)
    told = await wait_for(lambda: _at_least(moves_told(), 3))
    for again in told[1:]:
        assert "yang berwenang" not in again and "akan memeriksanya" in again and "tetap" in again, again
    assert "Dinas Lingkungan Hidup" in told[2] or "DLH" in told[2], told[2]


# --- 4. quiet hours for the deadline pass ------------------------------------------------------------------------
async def test_the_pass_after_midnight_holds_residents_and_the_regents_messages_until_morning(svc, http, clock):  # noqa: F811
    from tests.integrations.test_sla import sla_worker

    await enrol(http, svc, "pupr-f7")
    await enrol(http, svc, "bupati-f7", role="regent", opd=None)
    number = await file_complaint(http, svc.url, "warga-f7")
    worker = sla_worker(svc)
    due = (await svc.store.get_ticket(number)).due_at
    before = await said_to(svc, "warga-f7")
    clock.now = due + timedelta(minutes=2)  # 00:01 in the regency: deadlines end at 23:59
    result = await worker.run_once(clock.now)
    assert result["escalations"] == 1, result
    morning = (due + timedelta(hours=6, seconds=1)).astimezone(worker.services.calendar.tz)
    assert (morning.hour, morning.minute) == (6, 0), morning
    jobs = {j.payload["to"]: j for j in await svc.store.list_jobs(limit=1000)
            if j.kind == "deliver" and "sla" in j.key and number in str(j.payload)}
    assert {"webchat:warga-f7", "webchat:bupati-f7"} <= set(jobs), sorted(jobs)
    for held in ("webchat:warga-f7", "webchat:bupati-f7"):
        assert jobs[held].next_attempt_at == morning, (held, jobs[held].next_attempt_at)
    worker.services.wake_outbox()
    await wait_for(lambda: _has(svc, "pupr-f7", number))  # the office on duty is told at once
    assert await said_to(svc, "warga-f7") == before and number not in await said_to(svc, "bupati-f7")
    clock.now = morning + timedelta(minutes=1)
    worker.services.wake_outbox()
    await wait_for(lambda: _has(svc, "bupati-f7", number))
    assert await wait_for(lambda: _changed(svc, "warga-f7", before))


async def _changed(svc, who: str, before: str) -> bool:  # noqa: F811
    return await said_to(svc, who) != before
