"""Questions to an office named as questions, over real HTTP: reopening and archiving say "Pertanyaan", not
"Aduan"."""

from __future__ import annotations

# `svc` is the service on a settable `clock` (Monday 7 December 2026)
from tests.core.test_eighth_look import clock, svc  # noqa: F401
from tests.core.test_flows import TICKET, enrol, file_complaint
from tests.harness import mailbox, say, texts, wait_for

BEDAH_RUMAH = "apakah ada program bedah rumah tahun ini?"
ANSWER = "Ada pak, pendaftaran lewat kantor desa bulan Januari."


async def _said(svc, who: str, words: str) -> str:  # noqa: F811
    said = "\n".join(m.get("text", "") for m in await mailbox(svc.store, f"webchat:{who}"))
    return said if words in said else ""


async def _asked_and_answered(svc, http, officer: str, resident: str) -> str:  # noqa: F811
    """`resident` asks Disperkim a question and `officer` answers it; gives the question's number."""
    await enrol(http, svc, officer, opd="disperkim")
    await say(http, svc.url, resident, BEDAH_RUMAH)
    [number] = TICKET.findall(texts(await say(http, svc.url, resident, "/tanyakan disperkim")))
    await say(http, svc.url, officer, f"/balas {number} {ANSWER}")
    await wait_for(lambda: _said(svc, resident, "pendaftaran lewat kantor desa"))
    return number


async def test_a_reopened_question_is_called_a_question(svc, http):  # noqa: F811
    number = await _asked_and_answered(svc, http, "perkim-f4", "wf4")
    await say(http, svc.url, "perkim-f4", f"/selesai {number} Sudah dijawab.")
    await wait_for(lambda: _said(svc, "wf4", "ditandai sudah dijawab"))
    said = texts(await say(http, svc.url, "wf4", f"fixed:{number}:no"))  # "Belum terjawab"
    assert f"Pertanyaan *{number}* kami buka kembali" in said and "Aduan" not in said, said
    card = await wait_for(lambda: _said(svc, "perkim-f4", "dibuka kembali"))
    assert f"Pertanyaan *{number}* dibuka kembali oleh penanya" in card, card
    await say(http, svc.url, "perkim-f4", f"/selesai {number} Sudah dijawab lagi.")
    await wait_for(lambda: _said(svc, "wf4", "Sudah dijawab lagi"))
    said = texts(await say(http, svc.url, "wf4", f"/buka {number} syaratnya apa saja?"))
    assert f"Pertanyaan *{number}* kami buka kembali dan pesan Anda sudah diteruskan" in said, said


async def test_a_reopened_complaint_is_still_called_a_complaint(svc, http):  # noqa: F811
    await enrol(http, svc, "pupr-f5")
    number = await file_complaint(http, svc.url, "wf5")
    await say(http, svc.url, "pupr-f5", f"/selesai {number} Sudah ditambal.")
    await wait_for(lambda: _said(svc, "wf5", "Sudah beres?"))
    said = texts(await say(http, svc.url, "wf5", f"fixed:{number}:no"))
    assert f"Aduan *{number}* kami buka kembali" in said, said


async def test_an_archived_question_is_called_a_question(svc, http):  # noqa: F811
    await enrol(http, svc, "op-f6", role="operator", opd=None)
    await say(http, svc.url, "wf6", BEDAH_RUMAH)
    [number] = TICKET.findall(texts(await say(http, svc.url, "wf6", "/tanyakan disperkim")))
    said = texts(await say(http, svc.url, "op-f6", f"/arsipkan {number} program itu dari kementerian"))
    assert f"Pertanyaan {number} diarsipkan" in said and "Aduan" not in said, said
    notice = await wait_for(lambda: _said(svc, "wf6", "arsipkan"))
    assert f"pertanyaan *{number}* kami tutup dan arsipkan" in notice and "aduan" not in notice.lower(), notice
    said = texts(await say(http, svc.url, "wf6", "lho kok ditutup, terus gimana pak?"))
    assert f"Pertanyaan *{number}* ditutup dan diarsipkan" in said and "Aduan" not in said, said
