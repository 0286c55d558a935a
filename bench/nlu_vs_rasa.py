"""Benchmark: the built-in engine against real Rasa 3.6, on the same split (train nlu/data, test nlu/test).

Three backends, each trained by a command in its own process (wall-clock training seconds) and then served over
HTTP on 127.0.0.1 (`POST /model/parse`, Rasa's API), so every figure is measured the same way:

    ours       the built-in engine with config.yml (served by nlu/http.py, the bot's own /model/parse)
    rasa       real Rasa 3.6 with config.yml (`rasa train nlu`, then `rasa run --enable-api`)
    rasa-diet  real Rasa 3.6 with its default DIET pipeline (scripts/rasa/default_config.yml)

Every held-out message is parsed over HTTP; intent accuracy and macro-F1 compare full intents (`faq/<name>` from the
response selector, nlu.evaluate.predicted_label), OPD accuracy the routing of complaint examples (nlu.evaluate.score).
Latency: one 300-character complaint parsed --repeat times over a keep-alive connection. Peak memory: the server
process's peak RSS (VmHWM from /proc, summed over its process tree) after all parsing.

    .venv/bin/python bench/nlu_vs_rasa.py [--skip-rasa] [--epochs N] [--repeat 200]

Writes the table to bench/results/nlu_vs_rasa.md and .txt, and every backend's prediction per held-out message to
bench/results/nlu_vs_rasa_predictions.tsv. Real Rasa needs `.venv-rasa` (`make rasa`).
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import yaml  # noqa: E402

from bot.directory import Directory  # noqa: E402
from nlu.evaluate import predicted_label, routed_opd, score  # noqa: E402
from nlu.training_data import load_training_data  # noqa: E402

RASA = ROOT / ".venv-rasa" / "bin" / "rasa"
CONFIG = ROOT / "config.yml"
DIET_CONFIG = ROOT / "scripts" / "rasa" / "default_config.yml"
DATA = ROOT / "nlu" / "data"
TEST = ROOT / "nlu" / "test"
RESULTS = ROOT / "bench" / "results"
STARTUP_SECONDS = 600.0
LONG_MESSAGE = (
    "Selamat siang bapak ibu admin, saya warga desa Sooko mau melaporkan jalan kabupaten di depan balai desa "
    "sampai perempatan pasar rusak parah, banyak lubang besar yg kalau hujan jadi kubangan dan sudah ada dua "
    "pengendara motor jatuh minggu lalu. Sudah lapor ke desa tapi blm ada tindak lanjut, mohon segera diperbaiki "
    "sebelum ada korban lagi. Terima kasih banyak."
)
LONG_MESSAGE = (LONG_MESSAGE + " " + LONG_MESSAGE)[:300]
PREDICTIONS: dict[str, list[str]] = {}  # backend -> predicted full intent per held-out message, for the record
COLUMNS = ["backend", "intent acc", "intent macro-F1", "OPD acc", "train s", "parse p50 ms", "parse p99 ms",
           "peak MB"]


@dataclass
class Row:
    backend: str
    intent_accuracy: float
    intent_macro_f1: float
    opd_accuracy: float
    train_seconds: float
    p50_ms: float
    p99_ms: float
    peak_mb: float

    def cells(self) -> list[str]:
        return [self.backend, f"{self.intent_accuracy:.3f}", f"{self.intent_macro_f1:.3f}",
                f"{self.opd_accuracy:.3f}", f"{self.train_seconds:.1f}", f"{self.p50_ms:.2f}",
                f"{self.p99_ms:.2f}", f"{self.peak_mb:.0f}"]


# --- processes ------------------------------------------------------------------------------------------------------

def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def rasa_env(cache_dir: Path) -> dict[str, str]:
    """Repo root on PYTHONPATH for our component; a fresh training cache so nothing is reused; no telemetry."""
    env = dict(os.environ)
    env["PYTHONPATH"] = str(ROOT) + (os.pathsep + env["PYTHONPATH"] if env.get("PYTHONPATH") else "")
    env["RASA_TELEMETRY_ENABLED"] = "false"
    env["RASA_CACHE_DIRECTORY"] = str(cache_dir)
    env["TF_CPP_MIN_LOG_LEVEL"] = "2"
    return env


def process_tree(pid: int) -> list[int]:
    """The pid and all its descendants, from /proc (no psutil needed)."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        ppid = int(stat.rsplit(")", 1)[1].split()[1])
        children.setdefault(ppid, []).append(int(entry.name))
    tree, todo = [], [pid]
    while todo:
        current = todo.pop()
        tree.append(current)
        todo.extend(children.get(current, []))
    return tree


def peak_rss_mb(pid: int) -> float:
    """Peak resident set size (VmHWM) of a process and its descendants, in MB."""
    total_kb = 0
    for member in process_tree(pid):
        try:
            for line in Path(f"/proc/{member}/status").read_text().splitlines():
                if line.startswith("VmHWM:"):
                    total_kb += int(line.split()[1])
        except OSError:
            continue
    return total_kb / 1024


def run_timed(cmd: list[str], env: dict[str, str], log: Path) -> float:
    """Run a training command; its wall-clock seconds (start-up included, as a user would wait)."""
    started = time.perf_counter()
    with log.open("w", encoding="utf-8") as out:
        done = subprocess.run(cmd, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT, check=False)
    seconds = time.perf_counter() - started
    if done.returncode != 0:
        tail = log.read_text(encoding="utf-8", errors="replace")[-3000:]
        raise SystemExit(f"{' '.join(cmd[:3])} failed ({done.returncode}); log {log}:\n{tail}")
    return seconds


class Server:
    """A /model/parse server in its own process; parses over one keep-alive HTTP connection."""

    def __init__(self, cmd: list[str], env: dict[str, str], port: int, log: Path) -> None:
        self.port = port
        self.log = log
        with log.open("w", encoding="utf-8") as out:
            self.proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)
        self.conn: http.client.HTTPConnection | None = None

    def wait_ready(self) -> None:
        deadline = time.monotonic() + STARTUP_SECONDS
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise SystemExit(f"server exited with {self.proc.returncode}; log {self.log}:\n"
                                 + self.log.read_text(encoding="utf-8", errors="replace")[-3000:])
            try:
                conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=5)
                conn.request("GET", "/status")
                resp = conn.getresponse()
                body = resp.read()
                conn.close()
                if resp.status == 200 and json.loads(body).get("model_file"):
                    return
            except (OSError, ValueError, http.client.HTTPException):
                pass
            time.sleep(0.5)
        raise SystemExit(f"server on port {self.port} not ready after {STARTUP_SECONDS:.0f}s; log {self.log}")

    def parse(self, text: str) -> dict[str, Any]:
        if self.conn is None:
            self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        body = json.dumps({"text": text}).encode("utf-8")
        self.conn.request("POST", "/model/parse", body=body, headers={"Content-Type": "application/json"})
        resp = self.conn.getresponse()
        data = resp.read()
        if resp.status != 200:
            raise SystemExit(f"/model/parse answered {resp.status}: {data[:300]!r}")
        return json.loads(data)

    def stop(self) -> None:
        if self.conn is not None:
            self.conn.close()
        self.proc.terminate()
        try:
            self.proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait(timeout=30)


# --- measuring ------------------------------------------------------------------------------------------------------

def full_label(result: dict[str, Any]) -> str:
    """predicted_label, also for a ResponseSelector without `retrieval_intent` (Rasa keys it `default`)."""
    selector = result.get("response_selector") or {}
    if "faq" not in selector and "default" in selector:
        result = {**result, "response_selector": {**selector, "faq": selector["default"]}}
    return predicted_label(result)


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))
    return ordered[index]


def measure(name: str, server: Server, train_seconds: float, texts: list[str], gold: list[str],
            routing: dict[str, str], repeat: int) -> Row:
    server.wait_ready()
    raw = [server.parse(text) for text in texts]
    pred = [full_label(r) for r in raw]
    opd = [routed_opd(r, routing) for r in raw]
    for _ in range(20):  # warm-up
        server.parse(LONG_MESSAGE)
    latencies = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        server.parse(LONG_MESSAGE)
        latencies.append((time.perf_counter() - t0) * 1000)
    peak = peak_rss_mb(server.proc.pid)
    PREDICTIONS[name] = pred
    scores = score(name, gold, pred, routing, opd)
    row = Row(name, scores.intent_accuracy, scores.intent_macro_f1, scores.opd_accuracy, train_seconds,
              statistics.median(latencies), percentile(latencies, 0.99), peak)
    print(f"  {name}: " + " | ".join(row.cells()[1:]), flush=True)
    return row


def rasa_config(source: Path, epochs: int | None, out: Path) -> Path:
    """The config as is, or with every `epochs:` set to N (a quick check)."""
    if epochs is None:
        return source
    config = yaml.safe_load(source.read_text(encoding="utf-8"))
    for step in config.get("pipeline") or []:
        if "epochs" in step or step.get("name") in ("DIETClassifier", "ResponseSelector"):
            step["epochs"] = epochs
    out.write_text(yaml.safe_dump(config, sort_keys=False), encoding="utf-8")
    return out


def bench_ours(work: Path, texts: list[str], gold: list[str], routing: dict[str, str], repeat: int) -> Row:
    model = work / "ours.pkl"
    print("ours: training (config.yml) ...", flush=True)
    seconds = run_timed([sys.executable, __file__, "--_train-ours", str(model)], dict(os.environ),
                        work / "ours-train.log")
    port = free_port()
    server = Server([sys.executable, __file__, "--_serve-ours", str(model), str(port)], dict(os.environ), port,
                    work / "ours-serve.log")
    try:
        return measure("ours (config.yml)", server, seconds, texts, gold, routing, repeat)
    finally:
        server.stop()


def bench_rasa(name: str, config: Path, work: Path, texts: list[str], gold: list[str], routing: dict[str, str],
               repeat: int, epochs: int | None) -> Row:
    tag = config.stem if config != CONFIG else "config"
    env = rasa_env(work / f"cache-{tag}")
    used = rasa_config(config, epochs, work / f"{tag}-epochs.yml")
    print(f"{name}: training ({config.relative_to(ROOT)}{f', epochs={epochs}' if epochs else ''}) ...", flush=True)
    seconds = run_timed([str(RASA), "train", "nlu", "--config", str(used), "--nlu", str(DATA),
                         "--out", str(work / "models"), "--fixed-model-name", tag], env, work / f"{tag}-train.log")
    port = free_port()
    server = Server([str(RASA), "run", "--enable-api", "--port", str(port), "-i", "127.0.0.1",
                     "--model", str(work / "models" / f"{tag}.tar.gz")], env, port, work / f"{tag}-serve.log")
    try:
        return measure(name, server, seconds, texts, gold, routing, repeat)
    finally:
        server.stop()


def in_process_latency(model: Path, repeat: int) -> tuple[float, float]:
    """The built-in engine without HTTP: what the bot itself pays per message."""
    from nlu.engine import NluEngine

    engine = NluEngine.load(model)
    for _ in range(20):
        engine.parse(LONG_MESSAGE)
    latencies = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        engine.parse(LONG_MESSAGE)
        latencies.append((time.perf_counter() - t0) * 1000)
    return statistics.median(latencies), percentile(latencies, 0.99)


# --- output ---------------------------------------------------------------------------------------------------------

def render(rows: list[Row], notes: list[str]) -> tuple[str, str]:
    cells = [COLUMNS] + [r.cells() for r in rows]
    widths = [max(len(c[i]) for c in cells) for i in range(len(COLUMNS))]
    lines = [" | ".join(c.ljust(w) if i == 0 else c.rjust(w) for i, (c, w) in enumerate(zip(row, widths, strict=True)))
             for row in cells]
    lines.insert(1, "-+-".join("-" * w for w in widths))
    text = "\n".join(lines + [""] + notes) + "\n"
    md = ["| " + " | ".join(COLUMNS) + " |", "|" + "|".join(["---"] + ["---:"] * (len(COLUMNS) - 1)) + "|"]
    md += ["| " + " | ".join(r.cells()) + " |" for r in rows]
    markdown = "\n".join(md + [""] + [f"- {n}" for n in notes]) + "\n"
    return text, markdown


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--skip-rasa", action="store_true", help="only the built-in engine")
    parser.add_argument("--epochs", type=int, default=None, help="override Rasa's epochs (quick check)")
    parser.add_argument("--repeat", type=int, default=200, help="latency samples of the 300-character message")
    parser.add_argument("--_train-ours", dest="train_ours", help=argparse.SUPPRESS)
    parser.add_argument("--_serve-ours", dest="serve_ours", nargs=2, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.train_ours:
        return _train_ours(Path(args.train_ours))
    if args.serve_ours:
        return _serve_ours(Path(args.serve_ours[0]), int(args.serve_ours[1]))

    routing = Directory.load(ROOT / "content" / "directory.yml").routing
    heldout = load_training_data(TEST).examples
    texts, gold = [e.text for e in heldout], [e.intent for e in heldout]
    train_n = len(load_training_data(DATA).examples)
    with_rasa = not args.skip_rasa
    if with_rasa and not RASA.exists():
        print(f"{RASA} missing: build it with `make rasa`; measuring only the built-in engine", flush=True)
        with_rasa = False
    print(f"train: {train_n} examples (nlu/data); held-out test: {len(texts)} examples (nlu/test)", flush=True)

    rows: list[Row] = []
    with tempfile.TemporaryDirectory(prefix="warga-nlu-vs-rasa-") as tmp:
        work = Path(tmp)
        rows.append(bench_ours(work, texts, gold, routing, args.repeat))
        p50, p99 = in_process_latency(work / "ours.pkl", args.repeat)
        if with_rasa:
            rows.append(bench_rasa("rasa (config.yml)", CONFIG, work, texts, gold, routing, args.repeat, args.epochs))
            rows.append(bench_rasa("rasa DIET (default)", DIET_CONFIG, work, texts, gold, routing, args.repeat,
                                   args.epochs))

    notes = [
        f"train {train_n} examples (nlu/data), held-out test {len(texts)} examples (nlu/test), "
        f"{os.cpu_count()} CPUs; OPD acc over the held-out complaint examples.",
        "train s: wall-clock of the training command in its own process (start-up and imports included).",
        f"parse: one {len(LONG_MESSAGE)}-character message x {args.repeat} over HTTP POST /model/parse "
        f"(keep-alive, 127.0.0.1); the built-in engine in-process (no HTTP): p50 {p50:.2f} ms, p99 {p99:.2f} ms.",
        "peak MB: peak RSS (VmHWM) of the serving process after parsing the whole test set.",
    ]
    if args.epochs:
        notes.append(f"Rasa trained with epochs={args.epochs} (quick check, not the configured 100).")
    text, markdown = render(rows, notes)
    print()
    print(text, end="")
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "nlu_vs_rasa.txt").write_text(text, encoding="utf-8")
    (RESULTS / "nlu_vs_rasa.md").write_text(markdown, encoding="utf-8")
    with (RESULTS / "nlu_vs_rasa_predictions.tsv").open("w", encoding="utf-8") as fh:
        fh.write("\t".join(["gold", *PREDICTIONS, "text"]) + "\n")
        for i, (g, t) in enumerate(zip(gold, texts, strict=True)):
            fh.write("\t".join([g, *(p[i] for p in PREDICTIONS.values()), t.replace("\t", " ")]) + "\n")
    print(f"wrote {RESULTS / 'nlu_vs_rasa.md'}, .txt and _predictions.tsv (per-message predictions)")
    return 0


def _train_ours(model: Path) -> int:
    """Child process: train the built-in engine on nlu/data with config.yml and save it."""
    from nlu.engine import NluEngine

    routing = Directory.load(ROOT / "content" / "directory.yml").routing
    NluEngine.train(CONFIG, DATA, routing).save(model)
    return 0


def _serve_ours(model: Path, port: int) -> int:
    """Child process: the bot's own /model/parse (nlu/http.py) over the built-in engine, nothing else."""
    from aiohttp import web

    from nlu.backend import BuiltinBackend
    from nlu.engine import NluEngine
    from nlu.http import routes

    app = web.Application()
    app.router.add_routes(routes(BuiltinBackend(NluEngine.load(model))))
    web.run_app(app, host="127.0.0.1", port=port, print=None, access_log=None)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
