"""Our answers reach SP4N-LAPOR! too: what an officer tells the resident (a reply, a question from the desk, the
note that closes it) is posted once as a follow-up of the complaint there, and the LAPOR! sync never relays it
back to the resident as if LAPOR! had said it."""

from __future__ import annotations

import asyncio
from typing import Any

from bot.store.base import JOB_DONE, JOB_PENDING
from integrations.wiring import lapor_for
from tests.core.test_flows import enrol
from tests.desk.test_desk_http import staff_client
from tests.harness import say, texts, wait_for
from tests.integrations.test_lapor import fake, file_complaint, mailbox_text, pushed, svc  # noqa: F401 - fixtures


async def posted(fake: Any, lapor_id: str, count: int) -> list[dict[str, Any]]:  # noqa: F811
    async def check() -> list[dict[str, Any]]:
        ours = [f for f in fake.complaints[lapor_id].followups if f.get("external_id")]
        return ours if len(ours) >= count else []

    return await wait_for(check, timeout=15)


async def test_an_officers_answers_become_lapor_follow_ups_once_and_never_come_back(svc, fake, http):  # noqa: F811
    await enrol(http, svc, "agus")
    number = await file_complaint(http, svc, "warga21")
    ticket = await pushed(svc, number)
    await say(http, svc.url, "agus", f"/balas {number} Tim UPT Jalan meninjau lokasi besok pagi.")
    first = await posted(fake, ticket.lapor_id, 1)
    assert first[0]["content"] == "Tim UPT Jalan meninjau lokasi besok pagi."
    assert first[0]["author"]["name"] == "Dinas PUPR" and first[0]["external_id"].startswith(f"{number}/")

    # A genuine LAPOR! follow-up still reaches the resident; ours is not relayed back.
    fake.add_followup(ticket.lapor_id, "Laporan sudah diverifikasi admin.", author="Admin LAPOR!")
    result = await lapor_for(svc.runtime).sync.run_once()
    assert result["relayed"] == 1, result
    await wait_for(lambda: _has(svc, "webchat:warga21", "diverifikasi admin"))
    relayed = await svc.store.ticket_events(number, "lapor_followup")
    assert [e.text for e in relayed] == ["Laporan sudah diverifikasi admin."]

    # Closing it posts the note; the sync, run again, relays nothing more.
    await say(http, svc.url, "agus", f"/selesai {number} Lubang sudah ditambal hari ini.")
    both = await posted(fake, ticket.lapor_id, 2)
    assert "selesai ditindaklanjuti oleh Dinas PUPR" in both[1]["content"]
    assert "Lubang sudah ditambal hari ini." in both[1]["content"]
    assert (await lapor_for(svc.runtime).sync.run_once())["relayed"] == 0
    said = await mailbox_text(svc.store, "webchat:warga21")
    assert "📨" in said and said.count("📨") == 1, said  # only LAPOR!'s own follow-up came as one
    assert len(await svc.store.ticket_events(number, "lapor_pushed")) == 2
    assert sum(fake.posted_per_reference.values()) == 2


async def test_a_follow_up_waits_for_the_complaint_and_a_lost_answer_makes_no_duplicate(svc, fake, http):  # noqa: F811
    """LAPOR! is down when the complaint is filed and answered: the answer waits for the complaint to get there.
    Then LAPOR! records the answer but the connection drops before its reply: the retry finds it, posts nothing."""
    await enrol(http, svc, "agus")
    fake.down = True
    number = await file_complaint(http, svc, "warga22")
    answer = texts(await say(http, svc.url, "agus", f"/balas {number} Kami cek ke lokasi Kamis ini."))
    assert "terkirim" in answer.lower() or number in answer, answer
    await say(http, svc.url, "agus", f"/balas {number} Mohon kirim foto lubangnya.")
    jobs = [j for j in await svc.store.list_jobs(limit=1000) if j.kind == "lapor_followup"]
    assert len(jobs) == 2 and not (await svc.store.get_ticket(number)).lapor_id
    await asyncio.sleep(1.0)  # waiting for the complaint uses up no attempt: no dead letter however long
    jobs = [j for j in await svc.store.list_jobs(limit=1000) if j.kind == "lapor_followup"]
    assert all(j.status == JOB_PENDING and j.attempts == 0 for j in jobs), jobs
    fake.down = False
    fake.fail_next("drop")  # the create, done at LAPOR!, its answer lost: the pusher looks it up
    ticket = await pushed(svc, number)
    await wait_for(lambda: _jobs_done(svc, "lapor_followup", 2), timeout=90)
    ours = [f for f in fake.complaints[ticket.lapor_id].followups if f.get("external_id")]
    assert [f["content"] for f in ours] == ["Kami cek ke lokasi Kamis ini.", "Mohon kirim foto lubangnya."]

    fake.fail_next("drop")  # now the follow-up itself: posted at LAPOR!, the answer dropped
    await say(http, svc.url, "agus", f"/balas {number} Alat berat dijadwalkan Senin.")
    await wait_for(lambda: _jobs_done(svc, "lapor_followup", 3), timeout=90)
    ours = [f for f in fake.complaints[ticket.lapor_id].followups if f.get("external_id")]
    assert [f["content"] for f in ours] == ["Kami cek ke lokasi Kamis ini.", "Mohon kirim foto lubangnya.",
                                            "Alat berat dijadwalkan Senin."]
    assert all(n == 1 for n in fake.posted_per_reference.values()) and fake.duplicates == 0


async def test_a_transfer_is_told_to_lapor_as_the_resident_is_told_it_without_the_reason(svc, fake, http):  # noqa: F811
    await enrol(http, svc, "agus")
    number = await file_complaint(http, svc, "warga23")
    ticket = await pushed(svc, number)
    await say(http, svc.url, "agus", f"/alihkan {number} dishub rambu dan marka itu urusan perhubungan")
    assert (await svc.store.get_ticket(number)).opd_id == "dishub"
    first = await posted(fake, ticket.lapor_id, 1)
    assert first[0]["content"].startswith("Aduan ini diteruskan ke Dinas Perhubungan"), first
    assert "Batas waktu tindak lanjut" in first[0]["content"] and "marka" not in first[0]["content"]
    assert first[0]["author"]["name"] == "Dinas PUPR"
    said = await mailbox_text(svc.store, "webchat:warga23")
    assert "dialihkan ke Dinas Perhubungan" in said and "marka" not in said, said


async def test_a_complaint_withdrawn_by_its_reporter_is_told_to_lapor_as_withdrawn_not_resolved(svc, fake, http):  # noqa: F811
    await enrol(http, svc, "agus")
    number = await file_complaint(http, svc, "warga24")
    ticket = await pushed(svc, number)
    await say(http, svc.url, "warga24", "tolong laporan saya dibatalkan saja, sudah diperbaiki swadaya warga")
    await say(http, svc.url, "warga24", "btn:withdraw_yes")
    await say(http, svc.url, "agus", f"/selesai {number} Sudah dicek, jalan ditambal swadaya.")
    first = await posted(fake, ticket.lapor_id, 1)
    assert "atas permintaan pelapor" in first[0]["content"] and "selesai ditindaklanjuti" not in first[0]["content"]
    assert "ditambal swadaya" in first[0]["content"], first
    await wait_for(lambda: _has(svc, "webchat:warga24", "sesuai permintaan Anda"))
    said = await mailbox_text(svc.store, "webchat:warga24")
    assert "Sudah beres" not in said and "sudah beres" not in said, said  # not asked whether it is fixed
    assert "Ditutup atas permintaan Anda" in texts(await say(http, svc.url, "warga24", f"status {number}"))
    officer = await svc.store.get_identity("webchat:agus")
    assert officer is not None
    async with await staff_client(svc, officer) as desk, desk.get(f"{svc.url}/desk/tiket/{number}") as resp:
        page = await resp.text()
    assert resp.status == 200 and page.count("ditutup atas permintaan pelapor") == 2, page  # the status and history
    # Taken back: reopened, it is an open complaint again, and closing it later is an ordinary close.
    await say(http, svc.url, "warga24", f"/buka {number}")
    assert not (await svc.store.get_ticket(number)).extra.get("withdrawn")
    await say(http, svc.url, "agus", f"/selesai {number} Ditambal permanen oleh UPT Jalan.")
    both = await posted(fake, ticket.lapor_id, 2)
    assert "selesai ditindaklanjuti oleh Dinas PUPR" in both[1]["content"], both


async def _has(service: Any, key: str, words: str) -> bool:
    return words in await mailbox_text(service.store, key)


async def _job_done(service: Any, kind: str) -> bool:
    return await _jobs_done(service, kind, 1)


async def _jobs_done(service: Any, kind: str, count: int) -> bool:
    jobs = [j for j in await service.store.list_jobs(limit=1000) if j.kind == kind]
    return len(jobs) >= count and all(j.status == JOB_DONE for j in jobs)


async def test_a_joined_complaint_tells_lapor_where_it_is_followed_up(svc, fake, http):  # noqa: F811
    """`/gabung` (actions/duplicates.py): the joined report's LAPOR! record says which report carries the matter,
    and the main report's answers are posted on the main one only."""
    await enrol(http, svc, "agus")
    main = await file_complaint(http, svc, "warga25")
    dup = await file_complaint(http, svc, "warga26")
    carrier, joined = await pushed(svc, main), await pushed(svc, dup)
    said = texts(await say(http, svc.url, "agus", f"/gabung {dup} {main}"))
    assert f"{dup} digabung ke {main}" in said, said
    note = await posted(fake, joined.lapor_id, 1)
    assert f"sama dengan laporan {main}" in note[0]["content"] and note[0]["author"]["name"] == "Dinas PUPR"
    await say(http, svc.url, "agus", f"/balas {main} Tim kami meninjau lokasi besok.")
    assert (await posted(fake, carrier.lapor_id, 1))[0]["content"] == "Tim kami meninjau lokasi besok."
    assert len([f for f in fake.complaints[joined.lapor_id].followups if f.get("external_id")]) == 1
