"""Turns from the thirteenth trial in the middle of writing a complaint, over real HTTP: a question ("ini gratis
kan?", "berapa lama?", "nanti kades tau gk yg lapor siapa?") or a curse ("anjing lah") at a step is answered and the
step asked again, never read as a topic; Javanese krama and a bare "publik" at the topic confirmation are the
identity choice said early; 👍 is a yes, "udh itu aja fotonya" ends the photos, "lainnya" opens the other topics; a
topic correction ("bukan, maksudnya lampu lalu lintas", "eh gk jadi, yg tadi aja pohon") changes the topic only."""

from __future__ import annotations

from tests.core.test_eighth_look import clock, svc  # noqa: F401 - Monday 09:00, the service on that clock
from tests.harness import payloads, photo_jpeg, say, texts, upload

DRAIN = ("pak got depan rumah sy mampet, kalo hujan banjir masuk rumah. di perum griya asri blok C desa tanjungsari "
         "kec. sukorejo")
ROAD = "jalan di desa sooko rusak parah banyak lubang"
SORRY = "Mohon maaf atas ketidaknyamanannya"


async def state(service, sender: str) -> dict:
    return (await service.store.get_conversation(f"webchat:{sender}")).state


async def draft_of(service, sender: str) -> dict:
    return (await state(service, sender)).get("draft") or {}


async def at_the_photo(service, http, sender: str) -> None:
    """A road complaint confirmed, its place confirmed: the photo is asked."""
    await say(http, service.url, sender, ROAD)
    await say(http, service.url, sender, "ya")
    said = texts(await say(http, service.url, sender, "ya"))
    assert "foto" in said.lower(), said


# --- 1. remarks, questions and curses at the topic list --------------------------------------------------------
async def test_a_question_and_curses_at_the_topic_list_are_answered_and_change_no_topic(svc, http):  # noqa: F811
    first = await say(http, svc.url, "warga-got", DRAIN)
    assert "topic:aduan_drainase" in payloads(first), texts(first)
    said = texts(await say(http, svc.url, "warga-got", "ini gratis kan pak? gk ada biaya?"))
    assert "gratis" in said and "Pungutan" not in said, said
    for curse in ("anjing lah", "monyet kalian semua", "tai lah"):
        replies = await say(http, svc.url, "warga-got", curse)
        assert SORRY in texts(replies), texts(replies)
        assert "topic:aduan_drainase" in payloads(replies)  # the same list again
        assert (await state(svc, "warga-got"))["step"] == "choose_topic"
        assert (await draft_of(svc, "warga-got")).get("topic") is None
    said = texts(await say(http, svc.url, "warga-got", "1"))
    assert "Saluran air" in said, said
    assert (await draft_of(svc, "warga-got"))["topic"] == "aduan_drainase"


async def test_a_question_nobody_can_answer_at_the_topic_list_is_no_topic(svc, http):  # noqa: F811
    await say(http, svc.url, "warga-tanya", DRAIN)
    said = texts(await say(http, svc.url, "warga-tanya", "nanti yg dateng petugas dari mana ya?"))
    assert "petugas" in said and (await state(svc, "warga-tanya"))["step"] == "choose_topic", said
    assert (await draft_of(svc, "warga-tanya")).get("topic") is None


async def test_a_real_animal_complaint_is_still_a_complaint_about_animals(svc, http):  # noqa: F811
    replies = await say(http, svc.url, "warga-anjing", "anjing liar menggigit anak di desa sooko")
    assert SORRY not in texts(replies)
    assert "topic:aduan_hewan_liar" in payloads(replies) or "Anjing" in texts(replies), texts(replies)


# --- 2. the same questions at the photo, privacy and summary steps ----------------------------------------------
async def test_questions_at_the_photo_privacy_and_summary_are_answered_then_asked_again(svc, http):  # noqa: F811
    await at_the_photo(svc, http, "warga-jalan")
    said = texts(await say(http, svc.url, "warga-jalan", "berapa lama biasanya diperbaiki?"))
    assert "10 hari kerja" in said and "Ada foto pendukung?" in said, said  # Dinas PUPR's deadline, then the photo
    said = texts(await say(http, svc.url, "warga-jalan", "ini gratis kan?"))
    assert "gratis" in said and (await state(svc, "warga-jalan"))["step"] == "photo", said
    await say(http, svc.url, "warga-jalan", "lewati")
    said = texts(await say(http, svc.url, "warga-jalan", "menapa menika mbayar?"))
    assert ("gratis" in said or "free" in said) and (await state(svc, "warga-jalan"))["step"] == "privacy", said
    said = texts(await say(http, svc.url, "warga-jalan", "rahasia"))
    assert "Rahasia" in said, said
    replies = await say(http, svc.url, "warga-jalan", "nanti kades tau gk yg lapor siapa?")
    said = texts(replies)
    assert "kepala desa" in said and "Anonim" in said and "btn:send" in payloads(replies), said
    assert (await state(svc, "warga-jalan"))["step"] == "confirm"  # nothing filed yet
    said = texts(await say(http, svc.url, "warga-jalan", "kirim"))
    assert "WRG-" in said, said


async def test_an_english_question_at_the_photo_is_answered(svc, http):  # noqa: F811
    await at_the_photo(svc, http, "warga-en")
    said = texts(await say(http, svc.url, "warga-en", "is this free?"))
    assert ("free" in said or "gratis" in said) and (await state(svc, "warga-en"))["step"] == "photo", said


# --- 3. Javanese krama privacy ----------------------------------------------------------------------------------
async def test_krama_hidden_name_at_the_privacy_step_is_anonymous(svc, http):  # noqa: F811
    await at_the_photo(svc, http, "warga-krama")
    await say(http, svc.url, "warga-krama", "lewati")
    said = texts(await say(http, svc.url, "warga-krama", "asma kula dipun samarke mawon"))
    assert "Anonim" in said and (await draft_of(svc, "warga-krama"))["privacy"] == "anonim", said


async def test_krama_secrecy_at_the_topic_confirmation_is_kept_for_the_privacy_step(svc, http):  # noqa: F811
    await say(http, svc.url, "warga-rahasia", ROAD)
    said = texts(await say(http, svc.url, "warga-rahasia", "menawi saged asma kula sampun dipun rahasiakaken"))
    assert "Rahasia" in said and (await state(svc, "warga-rahasia"))["step"] == "confirm_topic", said
    assert (await draft_of(svc, "warga-rahasia"))["early_privacy"] == "rahasia"
    await say(http, svc.url, "warga-rahasia", "inggih")
    await say(http, svc.url, "warga-rahasia", "inggih")
    said = texts(await say(http, svc.url, "warga-rahasia", "lewati"))
    assert "Identitas: Rahasia" in said, said  # not asked again


# --- 4. a bare privacy word at the topic confirmation ------------------------------------------------------------
async def test_publik_at_the_topic_confirmation_is_the_identity_choice_not_public_wifi(svc, http):  # noqa: F811
    await say(http, svc.url, "warga-publik", ROAD)
    said = texts(await say(http, svc.url, "warga-publik", "publik"))
    assert "Wi-Fi" not in said and "Jalan rusak" in said and "Publik" in said, said
    draft = await draft_of(svc, "warga-publik")
    assert draft["topic"] == "aduan_jalan_rusak" and draft["early_privacy"] == "publik"
    assert (await state(svc, "warga-publik"))["step"] == "confirm_topic"


# --- 5. 👍, "udh itu aja fotonya", "lainnya" ----------------------------------------------------------------------
async def test_a_thumbs_up_confirms_and_enough_photos_goes_on(svc, http):  # noqa: F811
    await say(http, svc.url, "warga-jempol", ROAD)
    said = texts(await say(http, svc.url, "warga-jempol", "👍"))
    assert "lokasinya" in said and (await state(svc, "warga-jempol"))["step"] == "location", said
    await say(http, svc.url, "warga-jempol", "👌")
    await upload(http, svc.url, "warga-jempol", photo_jpeg())
    said = texts(await say(http, svc.url, "warga-jempol", "udh itu aja fotonya"))
    assert "identitas" in said and (await state(svc, "warga-jempol"))["step"] == "privacy", said


async def test_lainnya_typed_at_the_topic_confirmation_opens_the_other_topics(svc, http):  # noqa: F811
    await say(http, svc.url, "warga-lain", ROAD)
    replies = await say(http, svc.url, "warga-lain", "lainnya")
    assert "btn:all_topics" in payloads(replies), texts(replies)
    assert (await state(svc, "warga-lain"))["step"] == "choose_topic"


# --- 6. a topic correction changes the topic only ------------------------------------------------------------------
async def test_a_topic_correction_keeps_the_report_and_its_place(svc, http):  # noqa: F811
    report = "lampu mati di perempatan desa ngadirejo kec. kras"
    await say(http, svc.url, "warga-bangjo", report)
    said = texts(await say(http, svc.url, "warga-bangjo", "bukan, maksudnya lampu lalu lintas / bangjo"))
    draft = await draft_of(svc, "warga-bangjo")
    assert draft["topic"] == "aduan_lampu_lalu_lintas" and draft["text"] == report, draft
    assert "ngadirejo" in said, said  # the place in the report, offered


async def test_i_meant_the_tree_after_all_is_a_topic_correction_not_a_cancel(svc, http):  # noqa: F811
    await say(http, svc.url, "warga-pohon", "pohon tumbang dan lampu jalan mati di desa sooko")
    await say(http, svc.url, "warga-pohon", "2")
    assert (await draft_of(svc, "warga-pohon"))["topic"] == "aduan_lampu_jalan"
    said = texts(await say(http, svc.url, "warga-pohon", "eh gk jadi, yg tadi aja pohon"))
    assert "dibatalkan" not in said, said
    draft = await draft_of(svc, "warga-pohon")
    assert draft["topic"] == "aduan_pohon_tumbang" and "pohon tumbang" in draft["text"], draft


async def test_a_curse_opening_a_report_is_no_part_of_its_topic(svc, http):  # noqa: F811
    replies = await say(http, svc.url, "warga-capil", "babi, pelayanan capil lama bgt")
    offered = " ".join(payloads(replies))
    assert "hewan" not in offered and "Hewan" not in texts(replies), texts(replies)
    assert (await draft_of(svc, "warga-capil"))["text"] == "babi, pelayanan capil lama bgt"  # kept as written


async def test_a_question_where_the_place_is_confirmed_is_no_yes(svc, http):  # noqa: F811
    await say(http, svc.url, "warga-dari", ROAD)
    await say(http, svc.url, "warga-dari", "ya")
    said = texts(await say(http, svc.url, "warga-dari", "nanti yg dateng petugas dari mana ya?"))
    assert "Apakah lokasinya di *desa sooko*?" in said, said  # the guess asked again, not taken
    assert (await state(svc, "warga-dari"))["step"] == "location"
    assert (await draft_of(svc, "warga-dari")).get("location") is None
