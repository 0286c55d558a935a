"""The bot against a real Rasa 3.6 server (`rasa run --enable-api`), trained on the same config.yml and data.

Runs with `make test-rasa` (`pytest -m rasa tests/nlu`) once `make rasa` has built `.venv-rasa`; skipped when that
environment does not exist. One Rasa server is started for the session on a free 127.0.0.1 port and terminated at
the end; the model is trained first when var/rasa/models/warga-nlu.tar.gz is missing or older than its sources.
"""

from __future__ import annotations

import json
import os
import re
import socket
import subprocess
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import aiohttp
import pytest

from bot.directory import Directory
from bot.settings import ROOT
from nlu.engine import model_is_stale
from nlu.evaluate import predicted_label
from nlu.rasa_client import RasaBackend
from tests.harness import PARSE_HEADERS, make_settings, payloads, running_service, say, texts

pytestmark = pytest.mark.rasa

RASA = ROOT / ".venv-rasa" / "bin" / "rasa"
MODEL = ROOT / "var" / "rasa" / "models" / "warga-nlu.tar.gz"
TICKET = re.compile(r"WRG-\d{4}-\d{4}")
STARTUP_SECONDS = 300.0  # TensorFlow's import and the model load take 20-60 s on two cores

COMPLAINT = "jalan di desa Sooko rusak parah banyak lubang"
FAQ = "bagaimana cara membuat akta kelahiran anak saya?"
STATUS = "cek status WRG-2611-0042"
# A handful of messages for the shape comparison: a complaint, an FAQ, a ticket number, chat, slang, Javanese.
SAMPLES = [COMPLAINT, FAQ, STATUS, "halo selamat pagi", "terima kasih min",
           "lampune dalan mati wis seminggu", "sampah numpuk di pinggir jln dkt pasar tdk diangkut"]


def rasa_env() -> dict[str, str]:
    """Rasa needs the repo root on PYTHONPATH for our component; telemetry stays off (no outside traffic)."""
    env = dict(os.environ)
    env["PYTHONPATH"] = str(ROOT) + (os.pathsep + env["PYTHONPATH"] if env.get("PYTHONPATH") else "")
    env["RASA_TELEMETRY_ENABLED"] = "false"
    env["TF_CPP_MIN_LOG_LEVEL"] = "2"
    return env


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def ensure_rasa_model() -> None:
    """Train the real Rasa model (scripts/rasa/setup.sh) when missing or older than config.yml, the data or our
    normaliser component (whose code Rasa runs at training and parse time)."""
    code = [ROOT / "nlu" / name for name in ("normalise.py", "rasa_components.py", "router.py", "result.py")]
    stale = model_is_stale(MODEL, ROOT / "config.yml", ROOT / "nlu" / "data")
    if not stale and not any(p.stat().st_mtime > MODEL.stat().st_mtime for p in code if p.exists()):
        return
    done = subprocess.run(["bash", str(ROOT / "scripts" / "rasa" / "setup.sh")], cwd=ROOT, env=rasa_env(),
                          capture_output=True, text=True, check=False)
    if done.returncode != 0 or not MODEL.exists():
        pytest.fail(f"training the Rasa model failed ({done.returncode}):\n"
                    f"{done.stdout[-3000:]}\n{done.stderr[-3000:]}")


def rasa_status(url: str) -> dict[str, Any] | None:
    try:
        with urllib.request.urlopen(f"{url}/status", timeout=5) as resp:  # noqa: S310 - loopback URL we built
            return json.loads(resp.read().decode("utf-8"))
    except (urllib.error.URLError, ConnectionError, TimeoutError, ValueError):
        return None


def _tail(path: Path, chars: int = 4000) -> str:
    return path.read_text(encoding="utf-8", errors="replace")[-chars:] if path.exists() else ""


@pytest.fixture(scope="session")
def rasa_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A real Rasa server serving our model, started once per session and terminated at its end."""
    if not RASA.exists():
        pytest.skip(f"real Rasa environment missing ({RASA}); build it with `make rasa` (needs a Python 3.10)")
    ensure_rasa_model()
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    log = tmp_path_factory.mktemp("rasa") / "rasa-server.log"
    with log.open("w", encoding="utf-8") as out:
        proc = subprocess.Popen(
            [str(RASA), "run", "--enable-api", "--port", str(port), "-i", "127.0.0.1", "--model", str(MODEL)],
            cwd=ROOT, env=rasa_env(), stdout=out, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + STARTUP_SECONDS
        while True:
            status = rasa_status(url)
            if status and status.get("model_file"):
                break
            if proc.poll() is not None:
                pytest.fail(f"the Rasa server exited with {proc.returncode}:\n{_tail(log)}")
            if time.monotonic() > deadline:
                pytest.fail(f"the Rasa server did not answer /status within {STARTUP_SECONDS:.0f}s:\n{_tail(log)}")
            time.sleep(0.5)
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=30)


@pytest.fixture(scope="session")
def routing() -> dict[str, str]:
    return Directory.load(ROOT / "content" / "directory.yml").routing


@pytest.fixture
async def rasa_backend(rasa_url: str, routing: dict[str, str]) -> Any:
    backend = RasaBackend(rasa_url, routing)
    await backend.start()
    try:
        yield backend
    finally:
        await backend.close()


# --- (a) the bot's Rasa client against the real server ------------------------------------------------------------

async def test_complaint_has_rasa_shape_and_our_routing(rasa_backend: RasaBackend) -> None:
    result = await rasa_backend.parse(COMPLAINT)
    assert result["text"] == COMPLAINT  # Rasa echoes the normalised text; the client restores the resident's
    assert result["intent"]["name"] == "aduan_jalan_rusak"
    assert 0.0 < result["intent"]["confidence"] <= 1.0
    ranking = result["intent_ranking"]
    assert ranking and ranking[0]["name"] == "aduan_jalan_rusak"
    assert all(set(r) >= {"name", "confidence"} for r in ranking)
    assert isinstance(result["entities"], list)
    assert result["opd"]["id"] == "dinas-pupr" and result["opd"]["topic"] == "aduan_jalan_rusak"
    assert result["gate"] == "complaint" and result["opd"]["by"] == "model"  # from our component inside Rasa
    assert result["opd"]["ranking"][0]["id"] == "dinas-pupr"


async def test_ticket_number_comes_from_rasas_regex_extractor(rasa_backend: RasaBackend) -> None:
    result = await rasa_backend.parse(STATUS)
    tickets = [e for e in result["entities"] if e["entity"] == "ticket_number"]
    assert tickets, result["entities"]
    assert tickets[0]["value"] == "WRG-2611-0042"
    assert tickets[0]["extractor"] == "RegexEntityExtractor"
    assert STATUS[tickets[0]["start"]:tickets[0]["end"]] == "WRG-2611-0042"
    assert result["intent"]["name"] == "check_status"
    assert result["gate"] != "complaint"  # our ComplaintRouter inside Rasa: not a complaint


async def test_faq_comes_with_rasas_response_selector(rasa_backend: RasaBackend) -> None:
    result = await rasa_backend.parse(FAQ)
    assert result["intent"]["name"] == "faq"
    selected = result["response_selector"]["faq"]
    assert selected["response"]["intent_response_key"] == "faq/akta_kelahiran"
    assert selected["response"]["utter_action"] == "utter_faq/akta_kelahiran"
    assert selected["ranking"] and selected["ranking"][0]["intent_response_key"] == "faq/akta_kelahiran"
    assert predicted_label(result) == "faq/akta_kelahiran"
    assert result["gate"] != "complaint"  # our ComplaintRouter inside Rasa: not a complaint


# --- (b) the whole bot with NLU_BACKEND=rasa ----------------------------------------------------------------------

async def test_bot_on_rasa_routes_a_complaint_to_a_ticket(tmp_path: Path, rasa_url: str,
                                                          http: aiohttp.ClientSession) -> None:
    settings = make_settings(tmp_path, NLU_BACKEND="rasa", RASA_URL=rasa_url)
    async with running_service(settings) as svc:
        replies = await say(http, svc.url, "warga-rasa", COMPLAINT)
        assert "Dinas PUPR" in texts(replies), texts(replies)
        assert "btn:yes" in payloads(replies), payloads(replies)
        replies = await say(http, svc.url, "warga-rasa", "ya")
        assert "lokasi" in texts(replies).lower(), texts(replies)
        replies = await say(http, svc.url, "warga-rasa", "Desa Sooko RT 02 RW 01, depan balai desa")
        assert "btn:skip" in payloads(replies), payloads(replies)
        replies = await say(http, svc.url, "warga-rasa", "lewati")
        assert "privacy:publik" in payloads(replies), payloads(replies)
        replies = await say(http, svc.url, "warga-rasa", "privasi:publik")
        assert "btn:send" in payloads(replies), payloads(replies)
        replies = await say(http, svc.url, "warga-rasa", "kirim")
        match = TICKET.search(texts(replies))
        assert match, texts(replies)
        ticket = await svc.store.get_ticket(match.group(0))
        assert ticket.opd_id == "dinas-pupr" and ticket.topic == "aduan_jalan_rusak"
        assert ticket.reporter == "webchat:warga-rasa"


async def test_bot_on_rasa_answers_a_faq(tmp_path: Path, rasa_url: str, http: aiohttp.ClientSession) -> None:
    settings = make_settings(tmp_path, NLU_BACKEND="rasa", RASA_URL=rasa_url)
    async with running_service(settings) as svc:
        replies = await say(http, svc.url, "warga-rasa-faq", FAQ)
        body = texts(replies).lower()
        assert "akta" in body and "kelahiran" in body, body
        # The bot's own /model/parse passes Rasa's answer through (plus our routing decision).
        async with http.post(f"{svc.url}/model/parse", json={"text": FAQ}, headers=PARSE_HEADERS) as resp:
            assert resp.status == 200
            result = await resp.json()
        assert predicted_label(result) == "faq/akta_kelahiran"


# --- (c) the built-in engine and real Rasa answer /model/parse in the same shape ----------------------------------

def _shape(result: dict[str, Any]) -> dict[str, Any]:
    """What a Rasa client relies on: top-level keys and the keys of intents, ranking entries and entities."""
    return {
        "intent": set(result["intent"]) & {"name", "confidence"},
        "ranking": {frozenset(set(r) & {"name", "confidence"}) for r in result["intent_ranking"]},
        "entities": {frozenset(set(e) & {"entity", "value", "start", "end", "extractor"}) for e in result["entities"]},
    }


async def test_builtin_and_rasa_parse_agree_on_shape(tmp_path: Path, rasa_url: str, nlu_model_path: Path,
                                                     http: aiohttp.ClientSession) -> None:
    settings = make_settings(tmp_path)  # the built-in engine, served by the bot
    async with running_service(settings) as svc:
        for text in SAMPLES:
            async with http.post(f"{svc.url}/model/parse", json={"text": text}, headers=PARSE_HEADERS) as resp:
                assert resp.status == 200
                ours = await resp.json()
            async with http.post(f"{rasa_url}/model/parse", json={"text": text}) as resp:
                assert resp.status == 200
                theirs = await resp.json()
            assert set(ours) - {"opd"} <= set(theirs), (text, sorted(ours), sorted(theirs))
            assert {"text", "intent", "intent_ranking", "entities"} <= set(ours)
            assert _shape(ours) == _shape(theirs), (text, ours, theirs)
            assert ours["text"] == text
            if ours["intent"]["name"] == "faq" or theirs["intent"]["name"] == "faq":
                for result in (ours, theirs):
                    response = result["response_selector"]["faq"]["response"]
                    assert {"intent_response_key", "utter_action", "confidence"} <= set(response)
            # Same config, same data: on these plain messages both pick the same (full) intent.
            assert predicted_label(ours) == predicted_label(theirs), (text, ours["intent"], theirs["intent"])
