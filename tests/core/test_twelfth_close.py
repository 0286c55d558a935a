"""Turns from the twelfth trial after a complaint was marked done, over real HTTP: the rating's "any comment?" waits an
hour, and words that the problem is back ("lubangnya muncul lagi") reopen the ticket, two days later or within that
hour; the answer to an officer's question that arrives after the officer marked the ticket done reaches the officer;
a "not yet" that tells more ("belum pak, yang depan toko bangunan …") goes to the officers with the reopening."""

from __future__ import annotations

from datetime import timedelta

from bot.store.base import STATUS_CLOSED, STATUS_DONE, STATUS_IN_PROGRESS

# `svc` is the service on a settable `clock` (Monday 7 December 2026)
from tests.core.test_eighth_look import clock, svc  # noqa: F401
from tests.core.test_flows import enrol, file_complaint
from tests.harness import mailbox, payloads, say, texts, wait_for


async def officer_heard(svc, officer: str, words: str) -> str:  # noqa: F811
    """All the officer was sent, once `words` arrived among it (pushes go out through the outbox)."""
    async def heard() -> str:
        said = "\n".join(item.get("text", "") for item in await mailbox(svc.store, f"webchat:{officer}"))
        return said if words in said else ""
    return await wait_for(heard)


async def done_and_rated(http, svc, clock, officer: str, resident: str) -> str:  # noqa: F811
    """A road complaint marked done, said to be fixed and rated 5, the comment not given."""
    await enrol(http, svc, officer)
    number = await file_complaint(http, svc.url, resident)
    clock.now += timedelta(hours=2)
    await say(http, svc.url, officer, f"/selesai {number} Sudah ditambal")
    clock.now += timedelta(hours=1)
    assert f"nilai:{number}:5" in payloads(await say(http, svc.url, resident, "sudah pak makasih"))
    said = texts(await say(http, svc.url, resident, "5"))
    assert "Ada komentar" in said, said
    return number


# --- 1. the comment's wait ends; "muncul lagi" reopens -------------------------------------------------------
async def test_the_problem_back_two_days_after_a_rating_reopens_the_ticket_not_a_comment(svc, http, clock):  # noqa: F811
    number = await done_and_rated(http, svc, clock, "pupr-c1", "warga-c1")
    clock.now += timedelta(hours=48)
    words = "pak lubangnya muncul lagi setelah hujan semalam, malah tambah besar"
    said = texts(await say(http, svc.url, "warga-c1", words))
    assert f"Aduan *{number}* kami buka kembali dan pesan Anda sudah diteruskan" in said, said
    ticket = await svc.store.get_ticket(number)
    assert ticket.status == STATUS_IN_PROGRESS and ticket.rating is None and ticket.rating_comment is None, ticket
    heard = await officer_heard(svc, "pupr-c1", words)
    assert "dinilai" not in heard, heard  # these words are no comment on the rating
    assert "dibuka kembali oleh pelapor" in heard and words in heard, heard
    assert [e.text for e in await svc.store.ticket_events(number, "reopened")] == [words]


async def test_within_the_hour_a_comment_is_kept_and_a_not_fixed_reopens(svc, http, clock):  # noqa: F811
    kept = await done_and_rated(http, svc, clock, "pupr-c2", "warga-c2")
    clock.now += timedelta(minutes=20)
    said = texts(await say(http, svc.url, "warga-c2", "mantap pak, semoga tidak rusak lagi"))  # "not broken again"
    assert "masukan Anda sangat berarti" in said, said
    ticket = await svc.store.get_ticket(kept)
    assert ticket.status == STATUS_CLOSED and ticket.rating_comment == "mantap pak, semoga tidak rusak lagi"

    reopened = await file_complaint(http, svc.url, "warga-c3")
    await say(http, svc.url, "pupr-c2", f"/selesai {reopened} Sudah ditambal")
    await say(http, svc.url, "warga-c3", "sudah")
    await say(http, svc.url, "warga-c3", "4")
    clock.now += timedelta(minutes=30)
    said = texts(await say(http, svc.url, "warga-c3", "durung pak, isih bolong neng ngarep sekolah"))  # Javanese
    assert f"Aduan *{reopened}* kami buka kembali" in said, said
    ticket = await svc.store.get_ticket(reopened)
    assert ticket.status == STATUS_IN_PROGRESS and ticket.rating_comment is None, ticket
    await officer_heard(svc, "pupr-c2", "isih bolong neng ngarep sekolah")


# --- 2. the answer to an officer's question, after done ------------------------------------------------------
async def test_an_answer_after_the_ticket_was_marked_done_reaches_the_officer(svc, http, clock):  # noqa: F811
    await enrol(http, svc, "pupr-c4")
    number = await file_complaint(http, svc.url, "warga-c4")
    clock.now += timedelta(hours=1)
    await say(http, svc.url, "pupr-c4", f"/balas {number} Pak, lubangnya di sebelah mana balai desa?")
    clock.now += timedelta(hours=4)
    await say(http, svc.url, "pupr-c4", f"/selesai {number} sudah kami tambal semua lubang di sekitar balai desa")

    replies = await say(http, svc.url, "warga-c4", "sebelah timur balai desa pak, depan warung")
    said = texts(replies)
    assert "Jawaban Anda sudah kami teruskan ke petugas Dinas PUPR" in said and "sudah beres" in said, said
    assert payloads(replies) == [f"fixed:{number}:yes", f"fixed:{number}:no"], payloads(replies)
    assert [e.text for e in await svc.store.ticket_events(number, "message_in")] == [
        "sebelah timur balai desa pak, depan warung"]
    await officer_heard(svc, "pupr-c4", "sebelah timur balai desa pak, depan warung")
    assert (await svc.store.get_ticket(number)).status == STATUS_DONE

    said = texts(await say(http, svc.url, "warga-c4", "tapi saya lewat tadi masih ada lubang pak"))
    assert f"Aduan *{number}* kami buka kembali" in said, said
    assert (await svc.store.get_ticket(number)).status == STATUS_IN_PROGRESS
    await officer_heard(svc, "pupr-c4", "tapi saya lewat tadi masih ada lubang pak")


async def test_without_an_open_question_words_after_done_are_no_answer(svc, http, clock):  # noqa: F811
    """The officer's question was answered before the ticket was done: a later message is not taken as an answer."""
    await enrol(http, svc, "pupr-c5")
    number = await file_complaint(http, svc.url, "warga-c5")
    await say(http, svc.url, "pupr-c5", f"/balas {number} Pak, lubangnya di sebelah mana?")
    await say(http, svc.url, "warga-c5", "depan warung pak")
    await say(http, svc.url, "pupr-c5", f"/selesai {number} Sudah ditambal")
    said = texts(await say(http, svc.url, "warga-c5", "sebelah timur balai desa pak, depan warung"))
    assert "Jawaban Anda sudah kami teruskan" not in said, said
    assert [e.text for e in await svc.store.ticket_events(number, "message_in")] == ["depan warung pak"]


# --- 3. a "not yet" with details --------------------------------------------------------------------------
async def test_a_not_yet_that_tells_more_goes_to_the_officers_with_the_reopening(svc, http, clock):  # noqa: F811
    await enrol(http, svc, "pupr-c6")
    for resident, words in (("warga-c6", "belum pak, yang depan toko bangunan belum ditambal"),
                            ("warga-c7", "belum pak, yang depan toko bangunan")):
        number = await file_complaint(http, svc.url, resident)
        await say(http, svc.url, "pupr-c6", f"/selesai {number} Lubang sudah ditambal")
        said = texts(await say(http, svc.url, resident, words))
        assert f"Aduan *{number}* kami buka kembali dan pesan Anda sudah diteruskan" in said, said
        assert "Mohon ceritakan" not in said, said
        assert [e.text for e in await svc.store.ticket_events(number, "reopened")] == [words]
        await officer_heard(svc, "pupr-c6", words)

    number = await file_complaint(http, svc.url, "warga-c8")
    await say(http, svc.url, "pupr-c6", f"/selesai {number} Lubang sudah ditambal")
    said = texts(await say(http, svc.url, "warga-c8", "lho belum pak"))  # the bare no: asked what is still wrong
    assert "Mohon ceritakan apa yang masih bermasalah" in said, said
    assert [e.text for e in await svc.store.ticket_events(number, "reopened")] == [None]
