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

`--real` compares the three on real text instead: each backend trained on the zero-shot training set of
`python -m nlu evaluate` (nlu/data without any row derived from the Bandung file,
nlu.evaluate_real.zero_shot_examples; Kab. Bandung's routing table, nlu.realtext.bandung_routing), then every mapped
Bandung SP4N-LAPOR! report parsed over HTTP and scored with nlu/evaluate_real.py's functions: OPD top-1, macro-F1,
share routed without asking at the directory's route_threshold and how many of those are right, the lowest
threshold that routes 95% right, ECE. A backend without our router (DIET) routes by its most likely complaint intent
(nlu.engine.route), as the bot does with such a pipeline. `--backends` picks some of ours,rasa,diet; rows
accumulate in bench/results/nlu_vs_rasa_real.json (one per backend, the latest run wins), so the slow Rasa
trainings can run one at a time. Writes bench/results/nlu_vs_rasa_real.md and .txt and, per report, gold and
predicted OPD with confidence (no report text: it may carry names) in nlu_vs_rasa_real_predictions.tsv.

    nice -n 10 .venv/bin/python bench/nlu_vs_rasa.py --real [--backends ours,rasa,diet] [--epochs N]

`--real --cv` scores on the split of the grouped cross-validation instead (nlu.evaluate_real.grouped_folds, the
one `python -m nlu evaluate` uses): per fold, each backend trained on the zero-shot set plus the relabelled Bandung
rows of the other four folds, and the held-out reports parsed over HTTP. Each finished fold is kept in
bench/results/nlu_vs_rasa_real_cv.json (gold, OPD and confidence per report, no text), so `--folds 2,3` can go on
where an earlier run stopped; the table (nlu_vs_rasa_real_cv.md and .txt) has a row for every backend whose five
folds are in, trained with the same epochs.

    nice -n 10 .venv/bin/python bench/nlu_vs_rasa.py --real --cv [--backends ours,diet] [--epochs N] [--folds 1,2]
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
from nlu.engine import route  # noqa: E402
from nlu.evaluate import predicted_label, routed_opd, score  # noqa: E402
from nlu.evaluate_real import (  # noqa: E402
    FINE_THRESHOLDS,
    TARGET_PRECISION,
    ZERO_SHOT_LEFT_OUT,
    Routed,
    choose_threshold,
    coverage_curve,
    expected_calibration_error,
    grouped_folds,
    routed_of,
    scores,
    source_of,
    zero_shot_engine,
    zero_shot_examples,
)
from nlu.realtext import OTHER, RealReport, bandung_reports, bandung_routing, shared_data_dir  # noqa: E402
from nlu.result import ParseResult, RoutingDecision  # noqa: E402
from nlu.training_data import Example, load_training_data  # noqa: E402

RASA = ROOT / ".venv-rasa" / "bin" / "rasa"
CONFIG = ROOT / "config.yml"
DIET_CONFIG = ROOT / "scripts" / "rasa" / "default_config.yml"
DATA = ROOT / "nlu" / "data"
TEST = ROOT / "nlu" / "test"
RESULTS = ROOT / "bench" / "results"
STARTUP_SECONDS = 600.0
CV_FOLDS = 5
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
    return render_table(COLUMNS, [r.cells() for r in rows], notes)


def render_table(columns: list[str], rows: list[list[str]], notes: list[str]) -> tuple[str, str]:
    """A table as aligned text and as Markdown (first column left, the figures right), notes below."""
    cells = [columns] + rows
    widths = [max(len(c[i]) for c in cells) for i in range(len(columns))]
    lines = [" | ".join(c.ljust(w) if i == 0 else c.rjust(w) for i, (c, w) in enumerate(zip(row, widths, strict=True)))
             for row in cells]
    lines.insert(1, "-+-".join("-" * w for w in widths))
    text = "\n".join(lines + [""] + notes) + "\n"
    md = ["| " + " | ".join(columns) + " |", "|" + "|".join(["---"] + ["---:"] * (len(columns) - 1)) + "|"]
    md += ["| " + " | ".join(row) + " |" for row in rows]
    markdown = "\n".join(md + [""] + [f"- {n}" for n in notes]) + "\n"
    return text, markdown


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--skip-rasa", action="store_true", help="only the built-in engine")
    parser.add_argument("--epochs", type=int, default=None, help="override Rasa's epochs (quick check)")
    parser.add_argument("--repeat", type=int, default=200, help="latency samples of the 300-character message")
    parser.add_argument("--real", action="store_true", help="compare on real Bandung reports (zero-shot)")
    parser.add_argument("--backends", default="ours,rasa,diet", help="with --real: some of ours,rasa,diet")
    parser.add_argument("--cv", action="store_true", help="with --real: grouped cross-validation on the Bandung file")
    parser.add_argument("--folds", default=",".join(str(f) for f in range(1, CV_FOLDS + 1)),
                        help="with --cv: the folds to (re)run this time, e.g. 1,2")
    parser.add_argument("--_train-ours", dest="train_ours", help=argparse.SUPPRESS)
    parser.add_argument("--_train-ours-real", dest="train_ours_real", help=argparse.SUPPRESS)
    parser.add_argument("--_serve-ours", dest="serve_ours", nargs=2, help=argparse.SUPPRESS)
    parser.add_argument("--_train-ours-data", dest="train_ours_data", nargs=2, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.train_ours:
        return _train_ours(Path(args.train_ours))
    if args.train_ours_real:
        return _train_ours_real(Path(args.train_ours_real))
    if args.serve_ours:
        return _serve_ours(Path(args.serve_ours[0]), int(args.serve_ours[1]))
    if args.train_ours_data:
        return _train_ours_data(Path(args.train_ours_data[0]), Path(args.train_ours_data[1]))
    if args.real:
        chosen = [b.strip() for b in args.backends.split(",") if b.strip()]
        if not chosen or any(b not in BACKENDS for b in chosen):
            parser.error(f"--backends: some of {','.join(BACKENDS)}")
        if args.cv:
            wanted = [int(f) for f in args.folds.split(",") if f.strip()]
            if not wanted or any(f not in range(1, CV_FOLDS + 1) for f in wanted):
                parser.error(f"--folds: some of 1-{CV_FOLDS}")
            return main_real_cv(chosen, args.epochs, wanted)
        return main_real(chosen, args.epochs)

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


# --- real text (--real) ----------------------------------------------------------------------------------------------

REAL_COLUMNS = ["backend", "OPD top-1", "OPD macro-F1", "routed at threshold", "right among them",
                "95% right from", "ECE", "train s", "parse p50 ms", "parse p99 ms"]
REAL_JSON = RESULTS / "nlu_vs_rasa_real.json"
BACKENDS = {"ours": "ours (config.yml)", "rasa": "rasa (config.yml)", "diet": "rasa DIET (default)"}


def write_zero_shot_data(out: Path) -> int:
    """nlu/data as Rasa YAML without the blocks the zero-shot model leaves out; checks that it loads to exactly
    nlu.evaluate_real.zero_shot_examples. Returns the number of examples."""
    out.mkdir(parents=True, exist_ok=True)
    for path in sorted(DATA.glob("*.yml")):
        content = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        blocks = content.get("nlu") or []
        kept = [b for b in blocks if str((b.get("metadata") or {}).get("source") or "ours") not in ZERO_SHOT_LEFT_OUT]
        if len(kept) == len(blocks):
            (out / path.name).write_text(path.read_text(encoding="utf-8"), encoding="utf-8")
        else:
            content["nlu"] = kept
            (out / path.name).write_text(yaml.safe_dump(content, allow_unicode=True, sort_keys=False, width=10**6),
                                         encoding="utf-8")
    expected = [(e.text, e.intent) for e in zero_shot_examples(load_training_data(DATA))]
    written = [(e.text, e.intent) for e in load_training_data(out).examples]
    if sorted(written) != sorted(expected):
        raise SystemExit(f"zero-shot Rasa data in {out} differs from nlu.evaluate_real.zero_shot_examples "
                         f"({len(written)} vs {len(expected)} examples)")
    return len(written)


def real_rasa_config(source: Path, directory: Path, epochs: int | None, out: Path) -> Path:
    """The config with our router reading Kab. Bandung's routing table, and epochs as asked."""
    config = yaml.safe_load(rasa_config(source, epochs, out).read_text(encoding="utf-8"))
    for step in config.get("pipeline") or []:
        if step.get("name") == "nlu.rasa_components.ComplaintRouter":
            step["directory"] = str(directory)
    out.write_text(yaml.safe_dump(config, sort_keys=False), encoding="utf-8")
    return out


@dataclass
class RealRow:
    backend: str
    top1: float
    macro_f1: float
    threshold: float
    routed: float
    right: float
    threshold_95: float | None
    routed_95: float
    ece: float
    train_seconds: float
    p50_ms: float
    p99_ms: float
    epochs: int | None
    examples: int
    reports: int

    def cells(self) -> list[str]:
        from_95 = (f"{self.threshold_95:g} ({self.routed_95:.1%} routed)" if self.threshold_95 is not None
                   else "never")
        return [self.backend + (f" [epochs={self.epochs}]" if self.epochs else ""), f"{self.top1:.3f}",
                f"{self.macro_f1:.3f}", f"{self.routed:.1%} at {self.threshold:g}", f"{self.right:.1%}", from_95,
                f"{self.ece:.3f}", f"{self.train_seconds:.0f}", f"{self.p50_ms:.1f}", f"{self.p99_ms:.1f}"]


def real_decision(raw: dict[str, Any], routing: dict[str, str]) -> ParseResult:
    """The parse as our type; a pipeline without our router gets the bot's routing of its intent ranking."""
    result = ParseResult.from_dict(raw)
    if result.routing is None and result.gate is None:
        result.routing = RoutingDecision.from_dict(route(raw, routing))
    return result


def parse_reports(name: str, server: Server, reports: list[RealReport],
                  routing: dict[str, str]) -> tuple[list[Routed], list[float]]:
    """Every report parsed over HTTP: its routing and the latency of each parse (ms)."""
    server.wait_ready()
    print(f"  {name}: parsing {len(reports)} reports over HTTP ...", flush=True)
    routed, latencies = [], []
    for report in reports:
        t0 = time.perf_counter()
        raw = server.parse(report.text)
        latencies.append((time.perf_counter() - t0) * 1000)
        routed.append(routed_of(report, real_decision(raw, routing)))
    return routed, latencies


def real_row(name: str, routed: list[Routed], latencies: list[float], train_seconds: float, threshold: float,
             epochs: int | None, examples: int) -> RealRow:
    """The row of one backend, scored with the functions of `python -m nlu evaluate`."""
    s = scores(name, routed)
    (_, share, right, _), = coverage_curve(routed, [threshold])
    reached = [(t, cov) for t, cov, precision, n in coverage_curve(routed, FINE_THRESHOLDS)
               if n and precision >= TARGET_PRECISION]
    t95 = choose_threshold(routed) if reached else None
    routed_95 = next((cov for t, cov in reached if t == t95), 0.0)
    row = RealRow(name, s.top1, s.macro_f1, threshold, share, right, t95, routed_95,
                  expected_calibration_error(routed), train_seconds, statistics.median(latencies),
                  percentile(latencies, 0.99), epochs, examples, len(routed))
    print(f"  {name}: " + " | ".join(row.cells()[1:]), flush=True)
    return row


def measure_real(name: str, server: Server, train_seconds: float, reports: list[RealReport], routing: dict[str, str],
                 threshold: float, epochs: int | None, examples: int) -> tuple[RealRow, list[Routed]]:
    routed, latencies = parse_reports(name, server, reports, routing)
    return real_row(name, routed, latencies, train_seconds, threshold, epochs, examples), routed


def real_server(backend: str, work: Path, directory: Path, data: Path, epochs: int | None,
                tag: str = "real") -> tuple[Server, float]:
    """Train one backend on the data in `data` (wall-clock seconds) and start its /model/parse server. Ours trains
    the zero-shot model of `python -m nlu evaluate` when `tag` is "real", else on the data directory as it is."""
    port = free_port()
    if backend == "ours":
        model = work / f"ours-{tag}.pkl"
        train = (["--_train-ours-real", str(model)] if tag == "real"
                 else ["--_train-ours-data", str(data), str(model)])
        print(f"ours: training ({tag}) ...", flush=True)
        seconds = run_timed([sys.executable, __file__, *train], dict(os.environ), work / f"ours-{tag}-train.log")
        return Server([sys.executable, __file__, "--_serve-ours", str(model), str(port)], dict(os.environ), port,
                      work / f"ours-{tag}-serve.log"), seconds
    source, name = (CONFIG, f"config-{tag}") if backend == "rasa" else (DIET_CONFIG, f"diet-{tag}")
    env = rasa_env(work / f"cache-{name}")
    used = real_rasa_config(source, directory, epochs, work / f"{name}.yml")
    print(f"{BACKENDS[backend]}: training on {data.name} ({source.relative_to(ROOT)}"
          f"{f', epochs={epochs}' if epochs else ''}) ...", flush=True)
    seconds = run_timed([str(RASA), "train", "nlu", "--config", str(used), "--nlu", str(data), "--out",
                         str(work / "models"), "--fixed-model-name", name], env, work / f"{name}-train.log")
    print(f"{BACKENDS[backend]}: trained in {seconds:.0f}s", flush=True)
    return Server([str(RASA), "run", "--enable-api", "--port", str(port), "-i", "127.0.0.1", "--model",
                   str(work / "models" / f"{name}.tar.gz")], env, port, work / f"{name}-serve.log"), seconds


def render_real(rows: list[RealRow], notes: list[str]) -> tuple[str, str]:
    return render_table(REAL_COLUMNS, [r.cells() for r in rows], notes)


def column_notes(threshold: float) -> list[str]:
    """What the columns of a real-text table mean."""
    return [
        f"routed at threshold: share of reports whose routing confidence reaches the directory's route_threshold "
        f"({threshold:g}); right among them: how many of those went to the right OPD; 95% right from: the lowest "
        "threshold (0.50-0.995, steps of 0.005) whose routed share is right at least 95% of the time.",
        "DIET has no router of ours: its OPD is the one of its most likely complaint intent and the confidence that "
        "intent's (nlu.engine.route, as the bot does for such a pipeline); FAQ and chat intents are passed over.",
    ]


def write_real_table(rows: list[RealRow], notes: list[str], name: str) -> None:
    """Print the table and write it to bench/results/<name>.txt and .md."""
    if any(r.epochs for r in rows):
        notes.append("epochs=N: Rasa's DIETClassifier / ResponseSelector trained N epochs instead of the configured "
                     "100 (to finish on this shared machine); in config.yml only the FAQ ResponseSelector has "
                     "epochs, so its routing does not depend on them.")
    text, markdown = render_real(rows, notes)
    print()
    print(text, end="")
    (RESULTS / f"{name}.txt").write_text(text, encoding="utf-8")
    (RESULTS / f"{name}.md").write_text(markdown, encoding="utf-8")


def git_commit() -> str:
    """The commit measured (BENCH_COMMIT when run from an exported copy of the tree)."""
    if os.environ.get("BENCH_COMMIT"):
        return os.environ["BENCH_COMMIT"]
    done = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True,
                          check=False)
    dirty = subprocess.run(["git", "status", "--porcelain", "--untracked-files=no"], cwd=ROOT, capture_output=True,
                           text=True, check=False).stdout.strip()
    return done.stdout.strip() + ("+changes" if dirty else "")


def real_setup(backends: list[str]) -> tuple[Path, Directory]:
    """The shared data and our directory, or a clear exit when the data or real Rasa is missing."""
    shared = shared_data_dir()
    if shared is None:
        raise SystemExit("../shared/data is absent: the real-text comparison needs the Bandung file")
    if any(b != "ours" for b in backends) and not RASA.exists():
        raise SystemExit(f"{RASA} missing: build it with `make rasa`, or run --backends ours")
    return shared, Directory.load(ROOT / "content" / "directory.yml")


def main_real(backends: list[str], epochs: int | None) -> int:
    shared, directory = real_setup(backends)
    routing = bandung_routing(directory.routing)
    threshold = directory.route_threshold
    reports = bandung_reports(shared)
    training = load_training_data(DATA)
    left_out = sum(source_of(e) in ZERO_SHOT_LEFT_OUT for e in training.examples)
    print(f"real text: {len(reports)} mapped Bandung reports; training: the zero-shot set, "
          f"{len(training.examples) - left_out} examples ({left_out} derived from the Bandung file left out)",
          flush=True)
    saved: dict[str, dict[str, Any]] = {}
    predictions: dict[str, list[Routed]] = {}
    commit = git_commit()
    with tempfile.TemporaryDirectory(prefix="warga-nlu-vs-rasa-real-") as tmp:
        work = Path(tmp)
        (work / "directory.yml").write_text(yaml.safe_dump({"routing": routing}), encoding="utf-8")
        n_examples = write_zero_shot_data(work / "data")
        for backend in backends:
            used_epochs = epochs if backend != "ours" else None
            server, seconds = real_server(backend, work, work / "directory.yml", work / "data", used_epochs)
            try:
                row, routed = measure_real(BACKENDS[backend], server, seconds, reports, routing, threshold,
                                           used_epochs, n_examples)
            finally:
                server.stop()
            predictions[backend] = routed
            # Read again just before writing: another backend may have finished meanwhile (runs in parallel).
            saved = json.loads(REAL_JSON.read_text(encoding="utf-8")).get("rows", {}) if REAL_JSON.exists() else {}
            saved[backend] = {**row.__dict__, "commit": commit, "cpus": os.cpu_count(),
                              "load_average": os.getloadavg()[0], "measured": time.strftime("%Y-%m-%d %H:%M UTC",
                                                                                             time.gmtime())}
            RESULTS.mkdir(parents=True, exist_ok=True)
            REAL_JSON.write_text(json.dumps({"rows": saved}, indent=2), encoding="utf-8")
    if REAL_JSON.exists():
        saved = json.loads(REAL_JSON.read_text(encoding="utf-8")).get("rows", {})
    fields = set(RealRow.__dataclass_fields__)
    rows = [RealRow(**{k: v for k, v in saved[b].items() if k in fields}) for b in BACKENDS if b in saved]
    notes = [
        f"{len(reports)} Bandung SP4N-LAPOR! reports mapped to our OPDs (nlu/real/mapping.yml), each parsed over HTTP "
        "POST /model/parse; every backend trained on the zero-shot set (nlu/data without the rows derived from the "
        "Bandung file), routed with Kab. Bandung's table (street lights to Dinas PUTR).",
        *column_notes(threshold),
        "train s: wall-clock of the training command in its own process; parse: per report (median 350 characters) "
        "over HTTP, keep-alive, 127.0.0.1.",
        "measured per backend: " + "; ".join(
            f"{BACKENDS[b]} at {saved[b]['commit']} {saved[b]['measured']}, load average "
            f"{saved[b]['load_average']:.1f} on {saved[b]['cpus']} CPUs" for b in BACKENDS if b in saved)
        + " (the machine is shared: timings are noisy).",
    ]
    write_real_table(rows, notes, "nlu_vs_rasa_real")
    if predictions:
        path = RESULTS / "nlu_vs_rasa_real_predictions.tsv"
        with path.open("w", encoding="utf-8") as fh:
            names = list(predictions)
            fh.write("\t".join(["report", "gold", *(f"{n}\t{n} confidence" for n in names)]) + "\n")
            for i, report in enumerate(reports):
                cells = [f"{predictions[n][i].opd}\t{predictions[n][i].confidence:.3f}" for n in names]
                fh.write("\t".join([str(i), report.label, *cells]) + "\n")
    print(f"wrote {RESULTS / 'nlu_vs_rasa_real.md'}, .txt, .json and _predictions.tsv (OPDs per report, no text)")
    return 0


# --- real text under grouped cross-validation (--real --cv) -------------------------------------------------------

CV_JSON = RESULTS / "nlu_vs_rasa_real_cv.json"


def write_fold_data(out: Path, extra: list[Example]) -> int:
    """The zero-shot data plus one fold's Bandung training rows (bandung_fold.yml); checks that it loads to exactly
    what `python -m nlu evaluate` trains that fold on. Returns the number of examples."""
    base = write_zero_shot_data(out)
    by_topic: dict[str, list[str]] = {}
    for example in extra:
        if "\n" in example.text or not example.text.strip():
            raise SystemExit(f"a Bandung training row cannot be one YAML line: {example.text[:60]!r}")
        by_topic.setdefault(example.intent, []).append(example.text)
    lines = ['version: "3.1"', "", "nlu:"]
    for topic, texts in sorted(by_topic.items()):
        lines += [f"- intent: {topic}", "  metadata:", "    source: bandung", "  examples: |"]
        lines += [f"    - {t}" for t in texts]
    (out / "bandung_fold.yml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    written = sorted((e.text, e.intent) for e in load_training_data(out).examples)
    expected = sorted([(e.text, e.intent) for e in zero_shot_examples(load_training_data(DATA))]
                      + [(e.text, e.intent) for e in extra])
    if written != expected:
        raise SystemExit(f"fold data in {out} differs from the evaluation's ({len(written)} vs {len(expected)})")
    return base + len(extra)


def cv_key(backend: str, epochs: int | None) -> str:
    """A backend's record in the CV results: one per number of epochs, so a longer run keeps the shorter one."""
    return backend + (f"@{epochs}" if epochs else "")


def load_cv() -> dict[str, Any]:
    """The CV records, keyed by `cv_key` (a record written before epochs were part of the key is re-keyed)."""
    saved = json.loads(CV_JSON.read_text(encoding="utf-8")) if CV_JSON.exists() else {}
    records = {}
    for key, run in saved.items():
        run.setdefault("backend", key.split("@")[0])
        records[cv_key(run["backend"], run["epochs"])] = run
    return records


def right_of(fold: dict[str, Any]) -> int:
    return sum(gold == opd for gold, opd, *_ in fold["routed"])


def main_real_cv(backends: list[str], epochs: int | None, wanted: list[int]) -> int:
    """Each backend trained per grouped fold on the zero-shot data plus the Bandung rows of the other folds
    (nlu.evaluate_real.grouped_folds, the split of `python -m nlu evaluate`), scored on the held-out reports.
    Finished folds are kept in bench/results/nlu_vs_rasa_real_cv.json (per backend and epochs), so a long run can
    go on where it stopped; a row is printed once all five folds are in, a setting run on fewer folds gets a note
    with its folds beside ours."""
    shared, directory = real_setup(backends)
    routing = bandung_routing(directory.routing)
    threshold = directory.route_threshold
    folds = list(grouped_folds(shared, directory.routing, CV_FOLDS))
    commit = git_commit()
    with tempfile.TemporaryDirectory(prefix="warga-nlu-vs-rasa-cv-") as tmp:
        work = Path(tmp)
        (work / "directory.yml").write_text(yaml.safe_dump({"routing": routing}), encoding="utf-8")
        for fold, extra, held_out in folds:
            if fold not in wanted:
                continue
            data = work / f"fold{fold}"
            n_examples = write_fold_data(data, extra)
            print(f"fold {fold}/{CV_FOLDS}: {n_examples} training examples ({len(extra)} Bandung rows), "
                  f"{len(held_out)} held-out reports", flush=True)
            for backend in backends:
                used_epochs = epochs if backend != "ours" else None
                server, seconds = real_server(backend, work, work / "directory.yml", data, used_epochs,
                                              tag=f"fold{fold}")
                try:
                    routed, latencies = parse_reports(f"{BACKENDS[backend]} fold {fold}", server, held_out, routing)
                finally:
                    server.stop()
                # Read again just before writing: another run (another backend) may have written meanwhile.
                saved = load_cv()
                run = saved.get(cv_key(backend, used_epochs)) or {"backend": backend, "epochs": used_epochs,
                                                                   "folds": {}}
                run["folds"][str(fold)] = {
                    "commit": commit, "train_seconds": seconds, "examples": n_examples, "latencies": latencies,
                    "measured": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()), "load_average": os.getloadavg()[0],
                    "routed": [[r.gold, r.opd, r.confidence, r.by, r.gate] for r in routed]}
                saved[cv_key(backend, used_epochs)] = run
                RESULTS.mkdir(parents=True, exist_ok=True)
                CV_JSON.write_text(json.dumps(saved), encoding="utf-8")
                right = sum(r.gold == r.opd for r in routed)
                print(f"  {BACKENDS[backend]} fold {fold}: {right}/{len(routed)} right, trained in {seconds:.0f}s",
                      flush=True)
    saved = load_cv()
    rows: list[RealRow] = []
    notes = [f"Grouped cross-validation, {CV_FOLDS} folds, the split of `python -m nlu evaluate` "
             "(nlu.evaluate_real.grouped_folds): each backend trained per fold on the zero-shot set plus the "
             "relabelled Bandung rows of the other folds, every held-out report parsed over HTTP POST /model/parse "
             "and routed with Kab. Bandung's table; train s is per fold.", *column_notes(threshold)]
    for run in sorted(saved.values(), key=lambda r: (list(BACKENDS).index(r["backend"]), r["epochs"] or 0)):
        backend = run["backend"]
        if sorted(run["folds"]) != [str(f) for f in range(1, CV_FOLDS + 1)]:
            # Fewer folds (a slow setting tried on one or two): each fold's count beside ours on the same fold.
            ours = (saved.get(cv_key("ours", None)) or {}).get("folds", {})
            per_fold = [f"fold {f}: {right_of(done)} of {len(done['routed'])} right"
                        + (f" (ours {right_of(ours[f])})" if f in ours else "")
                        + f", trained in {done['train_seconds']:.0f} s" for f, done in sorted(run["folds"].items())]
            notes.append(f"{BACKENDS[backend]}" + (f" [epochs={run['epochs']}]" if run["epochs"] else "")
                         + f", {len(run['folds'])} of {CV_FOLDS} folds only: " + "; ".join(per_fold))
            continue
        routed, latencies, fold_seconds, fold_examples = [], [], [], []
        relabelled = 0
        for fold, _, held_out in folds:
            done = run["folds"][str(fold)]
            stored = [g for g, *_ in done["routed"]]
            # The same reports, except those once scored as `other` whose office the directory has now
            # (nlu/real/mapping.yml): scored against today's label; a backend trained before could not route there.
            if len(stored) != len(held_out) or any(
                    g != r.label and g != OTHER for g, r in zip(stored, held_out, strict=True)):
                raise SystemExit(f"{BACKENDS[backend]} fold {fold} was scored on other reports; run it again")
            relabelled += sum(g != r.label for g, r in zip(stored, held_out, strict=True))
            routed += [Routed(r.text, r.label, opd, conf, by, gate)
                       for r, (_, opd, conf, by, gate) in zip(held_out, done["routed"], strict=True)]
            latencies += done["latencies"]
            fold_seconds.append(done["train_seconds"])
            fold_examples.append(done["examples"])
        rows.append(real_row(BACKENDS[backend], routed, latencies, statistics.mean(fold_seconds), threshold,
                             run["epochs"], round(statistics.mean(fold_examples))))
        measured = sorted({(f["commit"], f["measured"][:10]) for f in run["folds"].values()})
        notes.append(f"{BACKENDS[backend]}: folds measured at " + ", ".join(f"{c} ({d})" for c, d in measured)
                     + f", load average {min(f['load_average'] for f in run['folds'].values()):.1f}-"
                     f"{max(f['load_average'] for f in run['folds'].values()):.1f} on {os.cpu_count()} CPUs"
                     + (f"; {relabelled} reports were `other` then (an office the directory had no OPD for), "
                        "scored here against the OPD they map to now, which that run could not route to"
                        if relabelled else "") + ".")
    write_real_table(rows, notes, "nlu_vs_rasa_real_cv")
    print(f"wrote {RESULTS / 'nlu_vs_rasa_real_cv.md'}, .txt and .json (per fold: gold, OPD and confidence, no text)")
    return 0


def _train_ours_real(model: Path) -> int:
    """Child process: the zero-shot model of `python -m nlu evaluate` (nlu.evaluate_real.zero_shot_engine)."""
    routing = Directory.load(ROOT / "content" / "directory.yml").routing
    zero_shot_engine(CONFIG, load_training_data(DATA), routing).save(model)
    return 0


def _train_ours_data(data: Path, model: Path) -> int:
    """Child process: the built-in engine with config.yml on one data directory, Kab. Bandung's routing."""
    from nlu.engine import NluEngine

    routing = bandung_routing(Directory.load(ROOT / "content" / "directory.yml").routing)
    NluEngine.train(CONFIG, data, routing).save(model)
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
