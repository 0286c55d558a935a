"""Questions the thirteenth trial saw taken for complaints, over real HTTP: a late birth certificate's fine, who gets
PKH and when it is paid, a lost family card and Kartu Prakerja are answered from the FAQ and file nothing, while the
complaints that use the same words still start a report."""

from __future__ import annotations

import pytest

from tests.core.test_conversations import tickets_of

# `svc` is the service on a settable `clock` (Monday 7 December 2026)
from tests.core.test_eighth_look import clock, svc  # noqa: F401
from tests.core.test_flows import TICKET
from tests.harness import say, texts


@pytest.mark.parametrize(("sender", "text", "answer"), [
    ("q1", "akta kelahiran anak sy telat 2 thn, kena denda gk?", "denda keterlambatan diatur peraturan daerah"),
    ("q2", "bansos PKH ki sing oleh sopo wae?", "DTSEN"),
    ("q3", "PKH kapan cair", "dicairkan bertahap"),
    ("q4", "pkh kapan cairnya pak", "dicairkan bertahap"),
    ("q5", "KK hilang", "KK yang hilang atau rusak dicetak ulang"),
    ("q6", "kartu keluarga saya hilang, bikin lagi gimana?", "KK yang hilang atau rusak dicetak ulang"),
    ("q7", "daftar kartu prakerja", "prakerja.go.id"),
    ("q8", "cara daftar prakerja gimana min", "prakerja.go.id"),
])
async def test_a_question_is_answered_from_the_faq_and_nothing_is_filed(svc, http, sender, text, answer):  # noqa: F811
    said = texts(await say(http, svc.url, sender, text))
    assert answer in said, said
    assert "Apakah sudah benar" not in said and "Di mana lokasinya" not in said, said
    assert await tickets_of(svc, sender) == []


@pytest.mark.parametrize(("sender", "text"), [
    ("c1", "akta kelahiran anak saya sudah sebulan belum jadi, padahal berkas lengkap"),
    ("c2", "PKH saya sudah 2 tahap tidak cair padahal masih terdaftar di desa sumberejo"),
    ("c3", "bansos salah sasaran, tetangga saya yang kaya malah dapat pkh"),
    ("c4", "urus KK di dispendukcapil sudah 3 bulan belum jadi juga"),
])
async def test_the_complaints_with_the_same_words_still_start_a_report(svc, http, sender, text):  # noqa: F811
    said = texts(await say(http, svc.url, sender, text))
    assert "dicetak ulang" not in said and "prakerja.go.id" not in said, said
    assert not TICKET.search(said), said  # asked for the place or to confirm: a report has begun
    assert "lokasi" in said.lower() or "Apakah sudah benar" in said or "Di mana" in said, said
