"""Sundanese, as residents of West Java write their complaints: read as Indonesian and routed like it."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.directory import Directory
from bot.settings import ROOT
from nlu.engine import NluEngine
from nlu.normalise import normalise
from nlu.result import GATE_COMPLAINT

ROUTING = Directory.load(ROOT / "content" / "directory.yml").routing

ROAD = "punten, jalan di lembur abdi ruksak pisan, tos lami teu dibenerkeun"


@pytest.fixture(scope="module")
def engine(nlu_model_path: Path) -> NluEngine:
    return NluEngine.load(nlu_model_path).with_routing(ROUTING)


def test_normaliser_reads_sundanese_as_indonesian() -> None:
    assert normalise(ROAD) == "permisi jalan di kampung saya rusak sekali sudah lama tidak diperbaiki"
    assert normalise("runtah teu acan diangkut tos saminggu") == "sampah belum diangkut sudah seminggu"
    assert normalise("caina teu ngocor ti kamari, imahna poek") == "air tidak mengalir ti kemarin rumah gelap"
    assert normalise("sim kuring hoyong ngadu, hatur nuhun") == "saya ingin ngadu terima kasih"
    assert normalise("ktp abdi tos tilu bulan teu acan jadi") == "ktp saya sudah tiga bulan belum jadi"


def test_lembur_is_a_village_only_in_sundanese() -> None:
    assert normalise("uang lembur belum dibayar pabrik") == "uang lembur belum dibayar pabrik"
    assert normalise("disuruh lembur tiap hari tanpa dibayar") == "disuruh lembur tiap hari tanpa dibayar"
    # Sundanese, but about overtime: "uang lembur" and "lembur kerja" stay overtime
    assert normalise("abdi teu acan dibayar uang lembur") == "saya belum dibayar uang lembur"
    assert normalise("pabrik maksa lembur kerja, abdi teu kiat") == "pabrik maksa lembur kerja saya tidak kiat"
    # "lembur abdi" (my village) is Sundanese by itself
    assert normalise("jalan lembur abdi bolong") == "jalan kampung saya berlubang"


def test_sundanese_words_that_are_indonesian_too_stay_indonesian_outside_sundanese() -> None:
    assert normalise("abdi negara harus melayani") == "abdi negara harus melayani"
    assert normalise("pabrik di solokan jeruk buang limbah") == "pabrik di solokan jeruk buang limbah"
    assert normalise("pekerja diperlakukan seperti budak") == "pekerja diperlakukan seperti budak"
    assert normalise("solokan di payuneun imah mampet, budak abdi gering") == \
        "selokan di payuneun rumah tersumbat anak saya sakit"


@pytest.mark.parametrize(("text", "opd"), [
    (ROAD, "dinas-pupr"),
    ("runtah di sisi jalan teu acan diangkut tos saminggu, bau pisan", "dlh"),
    ("lampu jalan di lembur abdi pareum tos dua minggu, poek pisan", "dishub"),
    ("cai PDAM teu ngocor ti kamari, abdi teu tiasa mandi", "perumda-air-minum"),
    ("caah di lembur abdi, cai asup ka imah warga", "bpbd"),
    ("atap sakola SD di lembur abdi ruksak, murid teu tiasa diajar", "dinas-pendidikan"),
    ("KTP abdi tos tilu bulan teu acan jadi", "dispendukcapil"),
    ("abdi gering, di puskesmas teu dilayanan, tos lami pisan ngantosan", "dinas-kesehatan"),
    ("solokan di payuneun imah abdi mampet pisan, caina luber ka jalan", "dinas-pupr"),
])
def test_plain_sundanese_complaints_go_to_the_right_office_first(engine: NluEngine, text: str, opd: str) -> None:
    result = engine.parse_result(text)
    assert result.gate == GATE_COMPLAINT, (text, result.gate, result.intent)
    assert result.routing is not None and result.routing.ranking[0].id == opd, (text, result.routing)
