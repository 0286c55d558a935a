"""The built-in NLU engine: Rasa's result shape and component semantics, routing quality, tools."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import aiohttp
import pytest
import yaml

from bot.directory import Directory
from bot.settings import ROOT
from nlu.engine import FALLBACK_INTENT, NluEngine, read_pipeline
from nlu.evaluate import predicted_label, run, score
from nlu.language import LanguageDetector, plain_langdetect
from nlu.normalise import normalise
from nlu.training_data import load_training_data, strip_annotations
from tests.harness import PARSE_HEADERS, make_settings, running_service, say

ROUTING = Directory.load(ROOT / "content" / "directory.yml").routing


@pytest.fixture(scope="module")
def engine(nlu_model_path: Path) -> NluEngine:
    return NluEngine.load(nlu_model_path).with_routing(ROUTING)


def test_result_has_rasas_parse_shape_plus_opd(engine: NluEngine) -> None:
    result = engine.parse("jalan di desa Sooko rusak parah banyak lubang")
    assert set(result) >= {"text", "intent", "intent_ranking", "entities", "opd"}
    assert result["text"] == "jalan di desa Sooko rusak parah banyak lubang"
    assert result["intent"]["name"] == "aduan_jalan_rusak"
    ranking = result["intent_ranking"]
    assert ranking[0] == result["intent"] and len(ranking) <= 10
    assert all(a["confidence"] >= b["confidence"] for a, b in zip(ranking, ranking[1:], strict=False))
    decision = result["opd"]
    assert (decision["topic"], decision["id"], decision["by"]) == ("aduan_jalan_rusak", "dinas-pupr", "model")
    assert 0.5 < decision["confidence"] <= 1.0 and decision["ranking"][0]["id"] == "dinas-pupr"
    assert result["gate"] == "complaint"
    place = [e for e in result["entities"] if e["entity"] == "place"]
    assert place and place[0]["value"] == "Sooko" and place[0]["extractor"] == "RegexEntityExtractor"
    assert result["text"][place[0]["start"]:place[0]["end"]] == "Sooko"


def test_faq_goes_through_the_response_selector(engine: NluEngine) -> None:
    result = engine.parse("syarat bikin ktp apa aja ya min")
    assert result["intent"]["name"] == "faq"
    selector = result["response_selector"]
    assert selector["all_retrieval_intents"] == ["faq"]
    response = selector["faq"]["response"]
    assert response["intent_response_key"] == "faq/ktp_el"
    assert response["utter_action"] == "utter_faq/ktp_el"
    assert "KTP" in response["responses"][0]["text"]
    assert selector["faq"]["ranking"][0]["intent_response_key"] == "faq/ktp_el"
    assert result["gate"] == "faq"  # not a complaint, whatever topic would be most likely if it were


def test_regex_entities_and_synonyms(engine: NluEngine) -> None:
    result = engine.parse("status tiket wrg-2611-0042 gimana ya")
    assert result["intent"]["name"] == "check_status"
    ticket = [e for e in result["entities"] if e["entity"] == "ticket_number"]
    assert ticket and ticket[0]["value"].lower() == "wrg-2611-0042"
    data = load_training_data(ROOT / "nlu" / "data")
    variant, canonical = next((v, c) for v, c in data.synonyms.items() if v != c.lower() and v.isalpha())
    mapped = engine.parse(f"mau tanya soal {variant} di Trowulan")
    values = [e for e in mapped["entities"] if "EntitySynonymMapper" in e.get("processors", [])]
    assert not values or values[0]["value"] == canonical


@pytest.mark.parametrize(("text", "opd"), [
    ("lampu PJU di jalan raya Trowulan mati semua, gelap bgt kalau malam", "dishub"),
    ("sampah numpuk di pinggir jalan dekat pasar sudah seminggu tidak diangkut", "dlh"),
    ("ktp el saya sudah 3 bulan belum jadi padahal sudah rekam", "dispendukcapil"),
    ("air pdam mati sudah 3 hari di perumahan kami", "perumda-air-minum"),
    ("ada kebakaran rumah di desa Ngoro tolong kirim damkar", "damkar"),
    ("banjir setinggi lutut masuk rumah warga di Mojosari", "bpbd"),
    ("dalane rusak parah akeh bolongan nang Pungging", "dinas-pupr"),
    ("pungli di kantor desa waktu ngurus surat pindah, dimintai 200rb", "inspektorat"),
    ("pupuk subsidi langka di kios, petani kesulitan", "dinas-pertanian"),
    ("gaji saya belum dibayar 2 bulan oleh pabrik", "disnaker"),
])
def test_common_complaints_are_routed_to_the_right_opd(engine: NluEngine, text: str, opd: str) -> None:
    result = engine.parse(text)
    assert result["opd"] is not None and result["opd"]["id"] == opd, result["intent_ranking"][:3]


def test_routing_quality_on_the_heldout_set(engine: NluEngine) -> None:
    heldout = load_training_data(ROOT / "nlu" / "test" / "heldout_complaints.yml").examples
    assert len(heldout) >= 40 * 10
    for example in heldout:  # the file is labelled with the OPD, which must agree with the directory
        assert example.metadata["opd"] == ROUTING.get(example.intent, "luar")
    results = engine.parse_many([e.text for e in heldout])
    scores = score("held-out", [e.intent for e in heldout], [predicted_label(r) for r in results], ROUTING)
    assert scores.opd_accuracy >= 0.80 and scores.intent_macro_f1 >= 0.75, scores


def test_the_heldout_set_shares_no_line_with_training_and_covers_every_topic() -> None:
    done = subprocess.run([sys.executable, str(ROOT / "scripts" / "data" / "check_complaints.py")],
                          capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr[-2000:]
    assert "OK: complaint data passes all checks" in done.stdout


def _tiny_engine(tmp_path: Path, threshold: float, ambiguity: float) -> NluEngine:
    config = yaml.safe_load((ROOT / "config.yml").read_text(encoding="utf-8"))
    for step in config["pipeline"]:
        if step["name"] == "FallbackClassifier":
            step.update(threshold=threshold, ambiguity_threshold=ambiguity)
    path = tmp_path / f"config-{threshold}-{ambiguity}.yml"
    path.write_text(yaml.safe_dump(config), encoding="utf-8")
    data = tmp_path / "data"
    data.mkdir(exist_ok=True)
    (data / "nlu.yml").write_text(
        'version: "3.1"\nnlu:\n- intent: greet\n  examples: |\n    - halo\n    - hai min\n    - selamat pagi\n'
        "- intent: thanks\n  examples: |\n    - terima kasih\n    - makasih min\n    - suwun\n", encoding="utf-8")
    return NluEngine.train(path, data, {})


def test_fallback_threshold_and_ambiguity(tmp_path: Path) -> None:
    relaxed = _tiny_engine(tmp_path, 0.0, 0.0).parse("halo")
    assert relaxed["intent"]["name"] == "greet" and relaxed["intent_ranking"][0]["name"] == "greet"
    confidence = relaxed["intent"]["confidence"]
    # Below the threshold: nlu_fallback with the threshold as confidence, inserted at the top of the ranking.
    low = _tiny_engine(tmp_path, min(1.0, confidence + 0.001), 0.0).parse("halo")
    assert low["intent"] == {"name": FALLBACK_INTENT, "confidence": min(1.0, confidence + 0.001)}
    assert [r["name"] for r in low["intent_ranking"][:2]] == [FALLBACK_INTENT, "greet"]
    # Top two closer than the ambiguity threshold: fallback too, even when confident.
    gap = confidence - relaxed["intent_ranking"][1]["confidence"]
    ambiguous = _tiny_engine(tmp_path, 0.0, gap + 0.001).parse("halo")
    assert ambiguous["intent"]["name"] == FALLBACK_INTENT
    clear = _tiny_engine(tmp_path, 0.0, gap - 0.001).parse("halo")
    assert clear["intent"]["name"] == "greet"


def test_every_config_component_is_implemented() -> None:
    names = [step["name"] for step in read_pipeline(ROOT / "config.yml")]
    assert "nlu.rasa_components.IndonesianChatNormalizer" in names
    assert {"WhitespaceTokenizer", "CountVectorsFeaturizer", "nlu.rasa_components.ComplaintRouter",
            "FallbackClassifier", "EntitySynonymMapper", "RegexEntityExtractor", "ResponseSelector"} <= set(names)
    assert names.index("EntitySynonymMapper") < names.index("nlu.rasa_components.ComplaintRouter")


def test_unknown_component_is_refused_with_the_file_named(tmp_path: Path) -> None:
    path = tmp_path / "config.yml"
    path.write_text("pipeline:\n  - name: SpacyNLP\n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"config\.yml: component 'SpacyNLP'"):
        read_pipeline(path)


def test_chat_normalisation() -> None:
    assert normalise("Jln rusaaak bgt, tdk ada yg benerin") == "jalan rusak banget tidak ada yang benerin"
    assert normalise("dalane bolong, banyune ora mili") == "jalan berlubang air tidak mengalir"
    assert "nomortiket" in normalise("cek WRG-2611-0042") and "nomornik" in normalise("nik 3516041207890003")
    assert normalise("wa 081234567890") == "whatsapp nomortelepon"


@pytest.mark.parametrize(("text", "read"), [
    ("pengemis di lampu merah", "pengemis di patokanlokasi"),
    ("perempatan lampu merah bukateja ada anak punk", "perempatan patokanlokasi bukateja ada anak punk"),
    ("jalan pas lampu merah berlubang", "jalan pas patokanlokasi berlubang"),
])
def test_a_junction_named_by_its_traffic_lights_is_read_as_a_landmark(text: str, read: str) -> None:
    assert normalise(text) == read


@pytest.mark.parametrize("text", [
    "lampu merah di pertigaan pungging mati semua arah",
    "di lampu merah simpang 4 lampunya mati",
    "durasi lampu merah di perempatan kelamaan",
    "mohon dipasang lampu merah di simpang empat",
    "kendaraan menerobos lampu merah terus",
])
def test_traffic_lights_that_fail_or_are_asked_for_stay_traffic_lights(text: str) -> None:
    assert "lampu merah" in normalise(text)


def test_normaliser_reads_ngoko_and_krama_and_leaves_indonesian_alone() -> None:
    assert normalise("banyu PDAM ora mili rong dina") == "air pdam tidak mengalir dua hari"
    assert normalise("toyanipun dereng surut, griya kula kebak") == "air belum surut rumah saya penuh"
    assert normalise("jam loro bengi") == "jam dua malam"  # "loro" is two more often than sick ("lara")
    assert normalise("meskipun kamipun antripun, sinyal lemah, serat optik") == \
        "meskipun kamipun antripun sinyal lemah serat optik"


def test_normaliser_reads_english_in_indonesian_without_its_function_words_and_leaves_indonesian_alone() -> None:
    assert normalise("the road is broken") == "jalan rusak"  # as its Indonesian twin, "jalannya rusak"
    assert normalise("the health centre staff were rude") == "puskesmas petugas kasar"
    assert normalise("my ID card is not printed") == "ktp tidak dicetak"
    assert normalise("where do I report a broken street light?") == "dimana lapor rusak lampu jalan"  # a question
    # one English word in an Indonesian report is not an English message: nothing of it is dropped
    assert normalise("jalan di depan the mall rusak parah") == "jalan di depan the mall rusak parah"
    assert normalise("lampu jalan di a.n. desa mati") == "lampu jalan di a n desa mati"
    assert normalise("staff kecamatan tidak ada di area kantor") == "staff kecamatan tidak ada di area kantor"


def test_annotations_are_stripped_with_positions() -> None:
    text, entities = strip_annotations("jalan rusak di [Sooko](place) dekat [pasar]{\"entity\": \"place\"}")
    assert text == "jalan rusak di Sooko dekat pasar"
    assert [(e["start"], e["end"], e["value"]) for e in entities] == [(15, 20, "Sooko"), (27, 32, "pasar")]


def test_language_detection_beats_plain_langdetect_and_is_deterministic() -> None:
    rows = [line.split("\t") for line in (ROOT / "nlu" / "test" / "language.tsv").read_text(encoding="utf-8")
            .splitlines() if "\t" in line]
    assert len(rows) >= 200
    detector = LanguageDetector(seed=0)
    ours = sum(detector.detect(text) == lang for text, lang in rows) / len(rows)
    plain = sum(plain_langdetect(text) == lang for text, lang in rows) / len(rows)
    assert ours >= 0.95 and ours > plain + 0.2
    assert [detector.detect("ok") for _ in range(5)] == ["id"] * 5
    assert detector.detect("ok", previous="en") == "en"
    assert detector.detect("👍🙏", previous="en") == "en"
    assert detector.detect("dalane rusak parah lur") == "id"
    assert detector.detect("The street light in front of my house has been broken for a week") == "en"


async def test_model_parse_endpoint_speaks_rasas_http_api(tmp_path: Path, nlu_model_path: Path) -> None:
    async with running_service(make_settings(tmp_path)) as svc, aiohttp.ClientSession() as http:
        async with http.post(f"{svc.url}/model/parse", json={"text": "lampu jalan mati", "message_id": "m1"},
                             headers=PARSE_HEADERS) as resp:
            assert resp.status == 200
            body = await resp.json()
        assert body["intent"]["name"] == "aduan_lampu_jalan" and body["message_id"] == "m1"
        assert body["opd"]["id"] == "dishub"
        async with http.post(f"{svc.url}/model/parse", data=b"not json", headers=PARSE_HEADERS) as resp:
            assert resp.status == 400
        async with http.post(f"{svc.url}/model/parse", json={"message": "x"}, headers=PARSE_HEADERS) as resp:
            assert resp.status == 400 and "text" in (await resp.json())["message"]


def test_parse_command_reads_lines_and_writes_json_lines(nlu_model_path: Path) -> None:
    env = {**os.environ, "NLU_MODEL_PATH": str(nlu_model_path), "WARGA_DATA_DIR": str(nlu_model_path.parent)}
    os.utime(nlu_model_path)  # newer than the data: no retraining in the subprocess
    proc = subprocess.run([sys.executable, "-m", "nlu", "parse"], input="halo min\nsampah numpuk di pasar\n",
                          capture_output=True, text=True, cwd=ROOT, env=env, timeout=120, check=True)
    lines = [json.loads(line) for line in proc.stdout.splitlines()]
    assert [r["intent"]["name"] for r in lines] == ["greet", "aduan_sampah"]
    assert lines[1]["opd"]["id"] == "dlh"


async def test_officer_corrections_export_as_rasa_yaml(tmp_path: Path, nlu_model_path: Path) -> None:
    from bot.__main__ import issue_code
    from nlu.__main__ import export_corrections
    from tests.core.test_flows import TICKET, file_complaint

    settings = make_settings(tmp_path)
    async with running_service(settings) as svc, aiohttp.ClientSession() as http:
        number = await file_complaint(http, svc.url, "warga-x", "jalan di desa Sooko rusak parah banyak lubang")
        code = await issue_code(settings, "officer", "dinas-pupr")
        await say(http, svc.url, "pupr-1", f"/daftar {code}")
        replies = await say(http, svc.url, "pupr-1", f"/alihkan {number} aduan_drainase ini selokan, bukan jalan")
        assert TICKET.search(" ".join(r["text"] for r in replies))
    exported = await export_corrections(settings)
    doc = yaml.safe_load(exported)
    assert doc["version"] == "3.1"
    assert doc["nlu"] == [{"intent": "aduan_drainase",
                           "examples": "- jalan di desa Sooko rusak parah banyak lubang\n"}]
    assert number in exported


def test_evaluate_writes_report_confusion_matrix_and_misclassified(tmp_path: Path, capsys) -> None:
    data = tmp_path / "data"
    data.mkdir()
    source = yaml.safe_load((ROOT / "nlu" / "data" / "conversation.yml").read_text(encoding="utf-8"))
    (data / "conversation.yml").write_text(yaml.safe_dump(source, allow_unicode=True), encoding="utf-8")
    summary = run(ROOT, ROOT / "config.yml", data, tmp_path / "no-test", tmp_path / "out", ROUTING, folds=3,
                  progress=lambda line: None, real=False)
    out = capsys.readouterr().out
    assert "3-fold cross-validation" in out and "per intent" in out and "most confused pairs" in out
    assert "plain langdetect" in out
    assert (tmp_path / "out" / "confusion.png").stat().st_size > 1000
    assert (tmp_path / "out" / "misclassified.tsv").read_text(encoding="utf-8").startswith("set\ttrue")
    assert 0.5 < summary["cv"]["intent_accuracy"] <= 1.0
