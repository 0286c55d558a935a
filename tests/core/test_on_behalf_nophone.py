"""Filing for a resident who has no phone at all: the village official stays the reporter and passes it on."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import aiohttp
import pytest

from bot.__main__ import issue_code
from tests.core.test_flows import TICKET
from tests.fakes.lapor import FakeLapor
from tests.harness import mailbox, make_settings, payloads, running_service, say, texts, wait_for, web_headers
from tests.integrations.test_lapor import API_KEY, TOKEN, lapor_settings, pushed

OFFICIAL = "perangkat-puri"
PROBLEM = "jalan depan rumah mbah Sarinah di dusun Krajan rusak parah banyak lubang"

@pytest.fixture
async def svc(tmp_path: Path, nlu_model_path: Path):
    settings = make_settings(tmp_path)  # no SMS gateway: nothing could reach the resident anyway
    async with running_service(settings) as service:
        yield service


async def enrol(http: aiohttp.ClientSession, svc: Any, sender: str, role: str, opd: str | None = None) -> None:
    code = await issue_code(svc.settings, role, opd)
    assert "terdaftar" in texts(await say(http, svc.url, sender, f"/daftar {code}"))


async def file_through(http: aiohttp.ClientSession, svc: Any, sender: str, text: str,
                       privacy: str = "publik") -> tuple[str, list[str]]:
    """Go through the complaint flow by its buttons; the ticket number and every reply seen on the way."""
    seen: list[str] = []
    replies = await say(http, svc.url, sender, text)
    for _ in range(10):
        seen.append(texts(replies))
        number = TICKET.search(texts(replies))
        if number:
            return number.group(0), seen
        offered = payloads(replies)
        pick = next((p for p in ("btn:yes", "btn:skip", "btn:next", f"privacy:{privacy}", "btn:send")
                     if p in offered), None)
        replies = await say(http, svc.url, sender, pick or "Dusun Krajan, Desa Puri, depan rumah mbah Sarinah")
    raise AssertionError(seen)


async def test_a_resident_without_a_phone_is_filed_for_and_every_update_reaches_the_official(svc, http):
    await enrol(http, svc, OFFICIAL, "pendamping")
    await enrol(http, svc, "petugas-pupr", "officer", "dinas-pupr")

    replies = await say(http, svc.url, OFFICIAL, "/wakili mbah Sarinah, Dusun Krajan")
    consent = texts(replies)
    assert "Mbah Sarinah (Dusun Krajan)" in consent and "tidak punya HP" in consent
    assert "kepada Anda" in consent and "setuju" in consent, consent
    assert "/wakili_setuju" in payloads(replies)
    assert "ceritakan" in texts(await say(http, svc.url, OFFICIAL, "/wakili_setuju")).lower()
    number, seen = await file_through(http, svc, OFFICIAL, PROBLEM)

    ticket = await svc.store.get_ticket(number)
    assert ticket is not None and ticket.opd_id == "dinas-pupr"
    assert ticket.reporter == f"webchat:{OFFICIAL}"  # the official is the reporter of record
    behalf = ticket.extra["on_behalf"]
    assert behalf["name"] == "Mbah Sarinah" and behalf["village"] == "Dusun Krajan"
    assert behalf["contact"] == "tanpa HP" and behalf["by"] == f"webchat:{OFFICIAL}" and behalf["consent_at"]
    filed = seen[-1]
    assert "tanpa HP" in filed and "kepada Anda" in filed and "sampaikan langsung kepada Mbah Sarinah" in filed
    listed = texts(await say(http, svc.url, OFFICIAL, "/wakilan"))
    assert f"{number}: Mbah Sarinah · Jalan rusak · " in listed, listed  # whose, about what, where it stands

    # The officer's card says who the resident is, that they have no phone, and who passes the news on.
    async def card() -> list[dict]:
        return [i for i in await mailbox(svc.store, "webchat:petugas-pupr") if number in i["text"]]
    card_text = (await wait_for(card))[0]["text"]
    assert "Mbah Sarinah (Dusun Krajan), tanpa HP" in card_text and "menyampaikan setiap kabar" in card_text, card_text
    assert "webchat:" not in card_text and "dicatat oleh Pendamping warga" in card_text, card_text  # never an id
    assert "(-)" not in card_text, card_text

    # An officer's answer reaches the official, who tells the resident in person; nothing waits for a phone.
    await say(http, svc.url, "petugas-pupr", f"/balas {number} Besok kami tambal lubangnya")

    async def told() -> bool:
        return any(number in i["text"] and "Besok kami tambal lubangnya" in i["text"]
                   for i in await mailbox(svc.store, f"webchat:{OFFICIAL}"))
    assert await wait_for(told)
    jobs = await svc.store.list_jobs(limit=500)
    assert not [j for j in jobs if str(j.payload.get("to", "")).startswith(("sms:", "whatsapp:"))], jobs


async def test_wakili_shows_both_forms_when_it_is_neither_a_number_nor_a_name(svc, http):
    await enrol(http, svc, OFFICIAL, "pendamping")
    for args in ("", " 0857 Bu Sri", " ???"):  # nothing; a number too short to be one; no name
        usage = texts(await say(http, svc.url, OFFICIAL, f"/wakili{args}"))
        assert "/wakili 08123456789 Nama Warga" in usage and "tidak punya HP" in usage, (args, usage)
        assert "kepada Anda" in usage
    # With a number it is the resident's phone, as before; the number may come after the name.
    consent = texts(await say(http, svc.url, OFFICIAL, "/wakili Bu Sri 0857 0000 1111"))
    assert "6285******111" in consent and "tidak punya HP" not in consent, consent


async def test_an_official_writing_atas_nama_is_shown_how_to_file_for_the_resident(svc, http):
    await enrol(http, svc, OFFICIAL, "pendamping")
    replies = await say(http, svc.url, OFFICIAL,
                        "mau lapor atas nama mbah Sarinah, beliau tdk punya hp, jalan depan rumahnya rusak")
    assert not TICKET.search(texts(replies)), texts(replies)
    assert "/wakili Mbah Sarinah" in payloads(replies) and "/wakili" in texts(replies)
    assert not [j for j in await svc.store.list_jobs(limit=500) if j.kind == "lapor_create"]
    replies = await say(http, svc.url, OFFICIAL, "/wakili Mbah Sarinah")  # the button
    assert "/wakili_setuju" in payloads(replies)
    # Without a name: both forms, no button to guess with.
    await say(http, svc.url, OFFICIAL, "/batal")
    replies = await say(http, svc.url, OFFICIAL, "warga ini tidak punya hape, lampu jalan di gang mati")
    assert "/wakili Nama Warga" in texts(replies) and not [p for p in payloads(replies) if p.startswith("/wakili")]
    # A resident writing the same words files their own complaint, as always.
    replies = await say(http, svc.url, "warga-biasa", "mau lapor atas nama mbah Sarinah, jalan depan rumahnya rusak")
    assert "/wakili" not in texts(replies)


async def test_the_identity_question_is_about_the_resident_not_the_official(svc, http):
    await enrol(http, svc, OFFICIAL, "pendamping")
    await say(http, svc.url, OFFICIAL, "/wakili Pak Karto")
    await say(http, svc.url, OFFICIAL, "ya, sudah setuju")
    number, seen = await file_through(http, svc, OFFICIAL, PROBLEM)
    asked = next(t for t in seen if "Publik" in t and "Anonim" in t)
    assert "warga" in asked and "nama Anda" not in asked, asked
    ticket = await svc.store.get_ticket(number)
    assert ticket is not None and ticket.extra["on_behalf"]["name"] == "Pak Karto"


# --- SP4N-LAPOR! ---------------------------------------------------------------------------------
@pytest.fixture
async def lapor():
    async with FakeLapor(token=TOKEN, api_key=API_KEY, seed=5) as server:
        yield server


@pytest.fixture
async def lapor_svc(tmp_path: Path, lapor: FakeLapor, nlu_model_path: Path):
    async with running_service(lapor_settings(tmp_path, lapor)) as service:
        yield service


async def test_lapor_gets_the_residents_name_not_the_officials(lapor_svc, lapor, http):
    svc = lapor_svc
    await enrol(http, svc, OFFICIAL, "pendamping")
    body = {"sender": OFFICIAL, "message": "/wakili mbah Sarinah", "metadata": {"name": "Slamet Riyadi"}}
    async with http.post(f"{svc.url}/webhooks/rest/webhook", json=body, headers=web_headers(svc.url, OFFICIAL)) as r:
        assert "setuju" in texts(await r.json())
    official = await svc.store.get_identity(f"webchat:{OFFICIAL}")
    assert official is not None and official.name == "Slamet Riyadi"  # the official has a name of their own
    await say(http, svc.url, OFFICIAL, "/wakili_setuju")
    number, _ = await file_through(http, svc, OFFICIAL, PROBLEM)
    await pushed(svc, number)
    [sent] = lapor.by_reference(number)
    assert sent.one("reporter_name") == "Mbah Sarinah"
    assert all("Slamet" not in v for values in sent.fields.values() for v in values)

    # Anonymous stays anonymous: no name at all, the resident's neither.
    await say(http, svc.url, OFFICIAL, "/wakili Pak Karto")
    await say(http, svc.url, OFFICIAL, "/wakili_setuju")
    hidden, _ = await file_through(http, svc, OFFICIAL, "sampah numpuk di pinggir jalan dekat pasar sudah seminggu",
                                   privacy="anonim")
    await pushed(svc, hidden)
    [anonymous] = lapor.by_reference(hidden)
    assert "reporter_name" not in anonymous.fields
    assert all("Karto" not in v for values in anonymous.fields.values() for v in values)
