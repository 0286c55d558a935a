"""Typed words around a correction: the village head replies to a letter card in his own words, and the
applicant answers the correction in hers; neither is taken for a complaint."""

from __future__ import annotations

from actions.letters import NEEDS_FIX, WAIT_HEAD, letter_of
from bot.store.base import TicketQuery
from tests.channels.test_telegram import deliver, joined, payload
from tests.harness import mailbox, texts, wait_for
from tests.letters.conftest import HEAD, LetterWorld, request_skck


async def _card_of(world: LetterWorld, number: str, count: int = 1):
    """The `count`-th card of `number` sent to the village head (a message with the decision buttons)."""
    cards = await wait_for(lambda: [c for c in world.fake.sent(chat_id=HEAD) if number in c.text and c.payloads]
                           if len([c for c in world.fake.sent(chat_id=HEAD) if number in c.text and c.payloads])
                           >= count else None)
    return cards[count - 1]


async def _pushed(world: LetterWorld, sender: str, words: str) -> list[dict]:
    return [i for i in await mailbox(world.svc.store, f"webchat:{sender}") if words in i.get("text", "")]


async def _reply_to_card(world: LetterWorld, number: str, text: str) -> str:
    card = await _card_of(world, number)
    assert card.message_id, card
    raw = payload("private_reply", text=text, sender=HEAD, reply_to=card.message_id)
    return joined(await deliver(world.http, world.svc, world.fake, raw, chat=HEAD))


async def _tickets_of(world: LetterWorld, reporter: str) -> list[str]:
    return [t.kind for t in await world.svc.store.list_tickets(TicketQuery(reporter=reporter))]


async def test_village_heads_reply_to_a_card_asks_the_applicant_for_that_correction(world: LetterWorld):
    await world.enrol(HEAD, "village_head", "sooko")
    number = await request_skck(world, "warga-reply")
    answer = await _reply_to_card(world, number, "mbak tempat lahirnya tulis lengkap ya Kab. Mojokerto")

    assert "dinas" not in answer.lower() and "aduan" not in answer.lower(), answer
    assert number in answer and "pemohon" in answer, answer
    ticket = await world.svc.store.get_ticket(number)
    assert ticket.status == NEEDS_FIX
    fix = [e for e in await world.svc.store.ticket_events(number) if e.kind == "letter_fix_requested"]
    assert [e.text for e in fix] == ["mbak tempat lahirnya tulis lengkap ya Kab. Mojokerto"]
    pushed = await wait_for(lambda: _pushed(world, "warga-reply", "tulis lengkap ya Kab. Mojokerto"))
    assert f"/ubah_surat {number}" in [b["payload"] for i in pushed for b in i.get("buttons", [])]
    assert await _tickets_of(world, f"telegram:{HEAD}") == []  # no complaint filed by the village head


async def test_village_heads_words_without_a_reply_get_the_commands_not_the_complaint_flow(world: LetterWorld):
    await world.enrol(HEAD, "village_head", "sooko")
    number = await request_skck(world, "warga-words")
    await _card_of(world, number)
    answer = joined(await world.text(HEAD, "mbak tempat lahirnya tulis lengkap ya Kab. Mojokerto"))

    assert "dinas" not in answer.lower(), answer
    assert "/perbaiki NOMOR" in answer and "/setujui NOMOR" in answer and "balas" in answer.lower(), answer
    assert (await world.svc.store.get_ticket(number)).status == WAIT_HEAD
    assert await _tickets_of(world, f"telegram:{HEAD}") == []
    # The next message is not taken as the answer to a question the bot never asked.
    answer = joined(await world.text(HEAD, "jalan di depan balai desa rusak parah"))
    assert "/perbaiki NOMOR" in answer and "dinas" not in answer.lower(), answer


async def test_applicant_corrects_the_named_part_in_words_and_the_head_sees_what_changed(world: LetterWorld):
    await world.enrol(HEAD, "village_head", "sooko")
    number = await request_skck(world, "warga-words-fix")
    await _reply_to_card(world, number, "mbak tempat lahirnya tulis lengkap ya Kab. Mojokerto")
    await wait_for(lambda: _pushed(world, "warga-words-fix", "perlu diperbaiki"))

    replies = await world.say("warga-words-fix", "oh iya pak, tempat lahirnya Kabupaten Mojokerto")
    said = texts(replies)
    assert number in said and "Kabupaten Mojokerto" in said and "dinas" not in said.lower(), said
    ticket = await world.svc.store.get_ticket(number)
    assert ticket.status == WAIT_HEAD
    assert letter_of(ticket)["fields"]["birth_place"] == "Kabupaten Mojokerto"
    assert letter_of(ticket)["fields"]["name"] == "Siti Rahayu"  # the other parts stay
    corrected = [e for e in await world.svc.store.ticket_events(number) if e.kind == "letter_corrected"]
    assert len(corrected) == 1 and corrected[0].data["changes"] == [
        {"field": "birth_place", "old": "Mojokerto", "new": "Kabupaten Mojokerto"}]
    assert await _tickets_of(world, "webchat:warga-words-fix") == ["surat"]  # no complaint was started

    card = await _card_of(world, number, 2)
    assert "diperbaiki" in card.text and "Tempat lahir: Mojokerto → Kabupaten Mojokerto" in card.text, card.text
    assert f"/setujui {number}" in card.payloads

    # Once it went back, more words are not taken as a correction again.
    replies = await world.say("warga-words-fix", "tempat lahirnya Kota Mojokerto")
    assert letter_of(await world.svc.store.get_ticket(number))["fields"]["birth_place"] == "Kabupaten Mojokerto"


async def test_a_correction_in_the_old_words_or_with_a_bad_value_goes_through_the_fix_steps(world: LetterWorld):
    await world.enrol(HEAD, "village_head", "sooko")
    number = await request_skck(world, "warga-date-fix")
    await world.text(HEAD, f"/perbaiki {number} tanggal lahir tidak sesuai KTP")
    await wait_for(lambda: _pushed(world, "warga-date-fix", "perlu diperbaiki"))

    replies = await world.say("warga-date-fix", "tanggal lahir salah, harusnya 40 Agustus 1990")
    assert "tanggal" in texts(replies).lower(), texts(replies)
    assert (await world.svc.store.get_ticket(number)).status == NEEDS_FIX  # nothing is sent with a bad date
    replies = await world.say("warga-date-fix", "18 Agustus 1990")
    assert "18 Agustus 1990" in texts(replies), texts(replies)
    await world.say("warga-date-fix", "kirim")
    ticket = await world.svc.store.get_ticket(number)
    assert ticket.status == WAIT_HEAD and letter_of(ticket)["fields"]["birth_date"] == "18 Agustus 1990"
    card = await _card_of(world, number, 2)
    assert "Tanggal lahir: 17 Agustus 1990 → 18 Agustus 1990" in card.text, card.text


async def test_village_heads_thanks_in_any_words_get_the_polite_answer_and_a_correction_after_it_the_hint(
        world: LetterWorld):
    """The NLU's thanks intent, not a list of phrases: Javanese and loose thanks are small talk; thanks that go on
    to name a mistake are not."""
    await world.enrol(HEAD, "village_head", "sooko")
    number = await request_skck(world, "warga-thanks")
    await _card_of(world, number)
    for words in ("matur nuwun sanget pak", "suwun pak lurah", "makasih banyak ya"):
        answer = joined(await world.text(HEAD, words))
        assert "/perbaiki NOMOR" not in answer and "sama-sama" in answer.lower(), (words, answer)
    answer = joined(await world.text(HEAD, "terima kasih pak, tapi tempat lahir pemohon salah tulis"))
    assert "/perbaiki NOMOR" in answer, answer
    assert (await world.svc.store.get_ticket(number)).status == WAIT_HEAD
