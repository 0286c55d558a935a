"""Looking before deciding, and correcting before sending: the village head's and camat's queue opens a
request (approval only by its explicit button); a resident corrects a part of the summary by naming it; dates
and sex are understood as people write them."""

from __future__ import annotations

from datetime import UTC, datetime
from types import SimpleNamespace
from typing import Any

import pytest

from actions.letters import read_date
from bot.texts import Texts
from tests.channels.test_telegram import joined
from tests.fakes.telegram_api import Call
from tests.harness import payloads, texts, upload, wait_for
from tests.letters.conftest import (
    CAMAT,
    GOOD_NIK,
    HEAD,
    KTP_PHOTO,
    REQUEST,
    SKCK_ANSWERS,
    LetterWorld,
    request_skck,
)

DOMISILI_ANSWERS = ("Siti Rahayu", GOOD_NIK, "Mojokerto", "17-08-1990", "Perempuan", "Karyawan swasta",
                    "Dusun Krajan RT 02 RW 01", "melamar pekerjaan")


async def _state(world: LetterWorld, sender: str) -> dict[str, Any]:
    conversation = await world.svc.store.get_conversation(f"webchat:{sender}")
    assert conversation is not None
    return conversation.state


async def _at_summary(world: LetterWorld, sender: str, answers: tuple[str, ...] = SKCK_ANSWERS,
                      asking: str = "mau bikin surat pengantar SKCK") -> list[dict[str, Any]]:
    """A web chat resident answers every question and the photo; returns the summary's replies."""
    await world.say(sender, asking)
    replies = await world.say(sender, "desa:sooko")
    for answer in answers:
        assert "?" in texts(replies), texts(replies)
        replies = await world.say(sender, answer)
    replies = await upload(world.http, world.svc.url, sender, KTP_PHOTO)
    assert "kirim" in payloads(replies), texts(replies)
    return replies


# --- P1: the queue opens a request; only the explicit button decides ----------------------------------------
def _queue_buttons(sent: list[Call]) -> list[str]:
    """The buttons of the queue's message (not of a card pushed meanwhile)."""
    queue = [c for c in sent if c.text.startswith("Permohonan surat yang menunggu keputusan Anda")]
    assert len(queue) == 1, joined(sent)
    return queue[0].payloads


async def test_queue_button_opens_the_request_and_only_the_approve_button_approves(world: LetterWorld):
    await world.enrol(HEAD, "village_head", "sooko")
    await world.enrol(CAMAT, "camat", "sooko")
    number = await request_skck(world, "warga-review")
    await wait_for(lambda: [c for c in world.fake.sent(chat_id=HEAD) if number in c.text])

    sent = await world.text(HEAD, "/antrian_surat")
    buttons = _queue_buttons(sent)
    assert f"/lihat_surat {number}" in buttons and not any(p.startswith("/setujui") for p in buttons), buttons

    # Tapping the number shows the request (every field, NIK masked, the photo) with the three decisions.
    sent = await world.press(HEAD, f"/lihat_surat {number}")
    card = joined(sent)
    for value in ("Siti Rahayu", "3599********0003", "Mojokerto", "17 Agustus 1990", "Perempuan", "Islam",
                  "Karyawan swasta", "Dusun Krajan RT 02 RW 01", "melamar pekerjaan di pabrik"):
        assert value in card, (value, card)
    assert GOOD_NIK not in card
    assert sent[-1].method == "sendPhoto", [c.method for c in sent]
    assert {f"/setujui {number}", f"/perbaiki {number}", f"/tolak {number}"} <= {p for c in sent for p in c.payloads}
    ticket = await world.svc.store.get_ticket(number)
    assert ticket.status == "menunggu_kades"
    assert "letter_approved" not in [e.kind for e in await world.svc.store.ticket_events(number)]
    # Typing the number opens it too, for the one who decides it now.
    sent = await world.text(HEAD, number)
    assert "Siti Rahayu" in joined(sent) and f"/setujui {number}" in [p for c in sent for p in c.payloads]

    # Nobody else sees it: the camat before their stage, a resident, the head of another village.
    sent = await world.text(CAMAT, f"/lihat_surat {number}")
    assert "tidak sedang menunggu" in joined(sent) and "Siti Rahayu" not in joined(sent)
    replies = await world.say("warga-nosy", f"/lihat_surat {number}")
    assert "Siti Rahayu" not in texts(replies)
    await world.enrol("5005", "village_head", "japan")
    sent = await world.text("5005", f"/lihat_surat {number}")
    assert "bukan wewenang" in joined(sent) and "Siti Rahayu" not in joined(sent)
    sent = await world.text("5005", number)
    assert "Siti Rahayu" not in joined(sent)

    # Only the explicit button approves; then the camat's queue works the same way.
    await world.press(HEAD, f"/setujui {number}")
    assert (await world.svc.store.get_ticket(number)).status == "menunggu_camat"
    await wait_for(lambda: [c for c in world.fake.sent(chat_id=CAMAT) if number in c.text])
    sent = await world.text(CAMAT, "/antrian_surat")
    buttons = _queue_buttons(sent)
    assert f"/lihat_surat {number}" in buttons and not any(p.startswith("/setujui") for p in buttons), buttons
    sent = await world.press(CAMAT, f"/lihat_surat {number}")
    assert "Siti Rahayu" in joined(sent) and GOOD_NIK not in joined(sent)
    assert f"/setujui {number}" in [p for c in sent for p in c.payloads]
    assert (await world.svc.store.get_ticket(number)).status == "menunggu_camat"
    sent = await world.text(HEAD, f"/lihat_surat {number}")  # past the head's stage now
    assert "tidak sedang menunggu" in joined(sent)


# --- P2: naming a part at the summary changes it ----------------------------------------------------------
async def test_resident_corrects_a_part_of_the_summary_by_naming_it(world: LetterWorld):
    sender = "warga-koreksi"
    await _at_summary(world, sender)

    # "X salah, harusnya Y": taken at once, said, and the summary shown again.
    replies = await world.say(sender, "pekerjaannya salah, harusnya mahasiswa")
    assert "Pekerjaan sudah saya ubah menjadi: mahasiswa" in texts(replies), texts(replies)
    assert "• Pekerjaan: mahasiswa" in texts(replies) and "kirim" in payloads(replies)

    # The list of parts, then a part typed as its button's label: asked again.
    replies = await world.say(sender, "ubah")
    assert "ubah:occupation" in payloads(replies)
    replies = await world.say(sender, "pekerjaan")
    assert texts(replies).startswith("Pekerjaan?"), texts(replies)
    replies = await world.say(sender, "Petani")
    assert "• Pekerjaan: Petani" in texts(replies), texts(replies)

    # "X-nya salah" at the summary opens that part.
    replies = await world.say(sender, "Alamatnya salah")
    assert texts(replies).startswith("Alamat (dusun, RT/RW)?"), texts(replies)
    replies = await world.say(sender, "Dusun Krajan RT 03 RW 01")
    assert "• Alamat (dusun, RT/RW): Dusun Krajan RT 03 RW 01" in texts(replies)

    # A new value that does not fit the part is refused and asked again.
    replies = await world.say(sender, "tanggal lahir salah, harusnya kemarin")
    assert "tanggalnya belum bisa saya baca" in texts(replies), texts(replies)
    replies = await world.say(sender, "15 juli 99")
    assert "• Tanggal lahir: 15 Juli 1999" in texts(replies), texts(replies)

    # A new NIK given this way is masked in the replies and in the conversation's history.
    replies = await world.say(sender, "NIK-nya salah, seharusnya 3599 0157 0890 0003")
    assert "3599********0003" in texts(replies) and "3599015708900003" not in texts(replies).replace(" ", "")
    state = await _state(world, sender)
    assert not any(GOOD_NIK in (h.get("text") or "").replace(" ", "") for h in state["history"])

    # Anything else changes nothing, and says so.
    before = dict(state["l"]["fields"])
    replies = await world.say(sender, "mahasiswa semester lima")
    assert "belum berubah" in texts(replies) and "kirim" in payloads(replies), texts(replies)
    assert (await _state(world, sender))["l"]["fields"] == before

    replies = await world.say(sender, "kirim")
    match = REQUEST.search(texts(replies))
    assert match, texts(replies)
    number = match.group(0)
    fields = (await world.svc.store.get_ticket(number)).extra["letter"]["fields"]
    assert fields["occupation"] == "Petani" and fields["address"] == "Dusun Krajan RT 03 RW 01"
    assert fields["birth_date"] == "15 Juli 1999" and fields["nik"] == GOOD_NIK


async def test_a_part_named_in_english_is_corrected_too(world: LetterWorld):
    sender = "warga-english"
    await _at_summary(world, sender)
    await world.say(sender, "occupation is wrong, it should be student")
    assert (await _state(world, sender))["l"]["fields"]["occupation"] == "student"
    replies = await world.say(sender, "Date of birth")
    assert (await _state(world, sender))["field"] == "birth_date", texts(replies)
    await world.say(sender, "July 15, 1999")
    assert (await _state(world, sender))["l"]["fields"]["birth_date"] == "15 Juli 1999"


# --- P9: dates with month names, two-digit years, everyday words for sex -----------------------------------
@pytest.mark.parametrize("typed", ["15 juli 1999", "15 juli 99", "15 Juli 1999", "15 Jul 1999", "15-jul-99",
                                   "15/7/99", "July 15, 1999", "15th July 1999"])
async def test_birth_date_in_words_is_read(world: LetterWorld, typed: str):
    sender = "warga-tanggal"
    await world.say(sender, "mau bikin surat keterangan domisili")
    for answer in ("desa:sooko", "Siti Rahayu", GOOD_NIK, "Mojokerto"):
        replies = await world.say(sender, answer)
    assert "Tanggal lahir" in texts(replies), texts(replies)
    replies = await world.say(sender, typed)
    assert "Jenis kelamin" in texts(replies), texts(replies)
    assert (await _state(world, sender))["l"]["fields"]["birth_date"] == "15 Juli 1999"


async def test_sex_in_everyday_words_is_understood(world: LetterWorld):
    sender = "warga-kelamin"
    answers = list(DOMISILI_ANSWERS)
    answers[4] = "cewek"
    await _at_summary(world, sender, tuple(answers), "mau bikin surat keterangan domisili")
    assert (await _state(world, sender))["l"]["fields"]["gender"] == "Perempuan"
    for typed, wanted in (("cowok", "Laki-laki"), ("wanita", "Perempuan"), ("laki", "Laki-laki"),
                          ("pria", "Laki-laki"), ("female", "Perempuan"), ("male", "Laki-laki"),
                          ("perempuan", "Perempuan")):
        replies = await world.say(sender, f"jenis kelamin salah, harusnya {typed}")
        assert (await _state(world, sender))["l"]["fields"]["gender"] == wanted, (typed, texts(replies))


def test_dates_read_with_month_names_abbreviations_and_two_digit_years():
    from bot.settings import ROOT

    turn: Any = SimpleNamespace(texts=Texts.load(ROOT / "content" / "texts"), now=datetime(2026, 12, 1, tzinfo=UTC))
    read = {typed: read_date(typed, turn) for typed in (
        "3 agt 2001", "3 Agustus 2001", "3 aug 2001", "1 sept 80", "1 sep 1980", "2 mei 70", "2 may 1970",
        "9 nop 1988", "9 november 1988", "5 Pebruari 1990", "5 feb 1990", "5 mrt 1990", "4 okt 2004", "4 oct 2004",
        "12 des 1999", "12 dec 1999", "1 dec 26", "12 des 26", "31 feb 1999", "15 ju 1999", "kemarin")}
    assert [str(d) if d else None for d in read.values()] == [
        "2001-08-03", "2001-08-03", "2001-08-03", "1980-09-01", "1980-09-01", "1970-05-02", "1970-05-02",
        "1988-11-09", "1988-11-09", "1990-02-05", "1990-02-05", "1990-03-05", "2004-10-04", "2004-10-04",
        "1999-12-12", "1999-12-12", "2026-12-01", "1926-12-12", None, None, None], read
