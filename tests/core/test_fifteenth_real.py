"""Turns from real SP4N-LAPOR! reports of Kabupaten Bandung (../shared/data) fed whole to the bot, over real HTTP:
a request for information about a fire-safety training is a question, not a fire; a noise report that says
"saya ingin melaporkan" and asks "apakah memang begitu??" inside is a complaint, not a question; a birth
certificate not sent after the request, with the reporter's NIK and family-card number given, is a birth-certificate
complaint (the NIK fields once outvoted it when real reports were relabelled)."""

from __future__ import annotations

import pytest

from nlu.relabel import best_topic, topic_for_dispatch

# `svc` is the service on a settable `clock` (Monday 7 December 2026)
from tests.core.test_eighth_look import clock, svc  # noqa: F401
from tests.harness import payloads, say, texts

TRAINING = ("Dengan ini kami ingin meminta informasi terkait tatacara pengadaan kegiatan pelatihan penanggulan bencana "
            "dan kebakaran di area kantor kami, besar harapan kami untuk mendapat kan informasi tersebut dan catara "
            "pelaksanaan nya terimakasih")
NOISE = ("Saya ingin melaporkan gangguan kebisingan di area rumah saya, sudah coba diskusikan dengan tetangga tetapi "
         "tetap saja selalu ada ketawa ketawa sampai jam 12 malam. Kebetulan yg bising di sebelah rumah. "
         "Bisa di bantu. Beberapa minggu kebelakang ada yg sedang bangun rumah sampai tengah malam. "
         "Saya dan keluarga susah untuk istirahat. Apakah memang begitu?? Apakah karena saya menyewa? "
         "Saya harap dinas terkait dapat merespon laporan ini")
BIRTH = ("Akta Kelahiran Belum Dikirim. Assalamualaikum, maaf pak/bu saya udah 4 bulan lebih dari pengajuan "
         "persyaratan akta kelahiran di disdukcapil kab. Bandung a/n Akte kelahiran yang di maksud "
         "NIK : 3204000000000001 No KK 3204000000000002 belum dikirim lewat email atau whatsapp, "
         "mohon di kirim, terimakasih.")


async def test_a_request_for_information_about_a_fire_training_is_a_question_not_a_fire(svc, http):  # noqa: F811
    replies = await say(http, svc.url, "r15a", TRAINING)
    said = texts(replies)
    assert "darurat" not in said.lower() and "112" not in said, said
    assert "pertanyaan" in said.lower(), said  # offered to an office as a question
    assert "/tanyakan damkar" in payloads(replies), payloads(replies)
    assert await svc.store.recent_tickets("webchat:r15a", 5) == []  # no emergency report filed


@pytest.mark.parametrize("text", [
    "alhamdulillah sudah ada sosialisasi pencegahan kebakaran di pasar, kapan ada simulasi lagi?",
    "apakah ada peta rawan longsor untuk desa kami?",
    "kantor kami ingin pelatihan penanggulangan kebakaran dan alat apar",
])
async def test_a_danger_that_is_the_subject_of_a_training_or_map_raises_no_alarm(svc, http, text):  # noqa: F811
    said = texts(await say(http, svc.url, "r15b", text))
    assert "Keadaan darurat" not in said and "langsung diteruskan" not in said, said
    assert await svc.store.recent_tickets("webchat:r15b", 5) == []


@pytest.mark.parametrize("text", ["pasar kebakaran sekarang, apinya besar!", "ada kebakaran di gudang desa sooko"])
async def test_a_fire_is_still_an_emergency(svc, http, text):  # noqa: F811
    said = texts(await say(http, svc.url, "r15c", text))
    assert "Keadaan darurat" in said and "112" in said, said


async def test_a_noise_report_with_a_question_inside_is_a_complaint(svc, http):  # noqa: F811
    replies = await say(http, svc.url, "r15d", NOISE)
    said, offered = texts(replies), payloads(replies)
    assert "berupa pertanyaan" not in said and not any(p.startswith("/tanyakan") for p in offered), (said, offered)
    assert ("*Satpol PP*" in said and "Kebisingan" in said) or offered[0] == "topic:aduan_kebisingan", (said, offered)


async def test_a_birth_certificate_not_sent_is_about_the_birth_certificate(svc, http):  # noqa: F811
    said = texts(await say(http, svc.url, "r15e", BIRTH))
    assert "*Akta kelahiran/kematian*" in said and "*Dispendukcapil*" in said, said


def test_identity_fields_do_not_vote_when_real_reports_are_relabelled():
    scrubbed = "akta kelahiran belum dikirim. akte yang di maksud NIK : [NIK] No KK [NIK] belum dikirim"
    assert best_topic(scrubbed) == "aduan_akta"
    routing = {"aduan_akta": "dispendukcapil", "aduan_ktp_el": "dispendukcapil", "aduan_kk": "dispendukcapil"}
    assert topic_for_dispatch(scrubbed, "dispendukcapil", routing) == "aduan_akta"
    assert best_topic("blangko ktp habis, nik saya belum aktif") == "aduan_ktp_el"  # a NIK as the matter still counts


async def test_a_report_titled_as_a_request_for_information_is_offered_as_a_question(svc, http):  # noqa: F811
    text = ("Permintaan Informasi Perubahan Data Kependudukan. apabila nik salah, dan tanggal lahir tidak sesuai "
            "dengan tanggal lahir yang sebenarnya. bagaimana cara merubah atau menggantinya?")
    replies = await say(http, svc.url, "r15f", text)
    said, offered = texts(replies), payloads(replies)
    assert offered[0] == "/tanyakan dispendukcapil" and "Apakah sudah benar" not in said, (said, offered)
