"""`python -m nlu train | evaluate | parse | export-corrections`.

train               train the built-in engine on config.yml + nlu/data (shows progress)
evaluate            real portal text (Bandung OPD routing, zero-shot and grouped CV; Purbalingga sectors),
                    then cross-validation + held-out test, per-intent table, confusion PNG (var/nlu-eval/)
parse               one message per stdin line -> one JSON result per line (Rasa's /model/parse shape)
export-corrections  officers' re-routings (/alihkan) as Rasa YAML for review, to stdout or --out
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
from pathlib import Path
from typing import Any

import yaml

from bot.directory import Directory
from bot.settings import ROOT, load_settings
from nlu.engine import NluEngine, print_progress


def _directory(settings: Any) -> Directory:
    return Directory.load(settings.content_dir / "directory.yml")


def _routing(settings: Any) -> dict[str, str]:
    return _directory(settings).routing


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m nlu", description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("train", help="train and save the model")
    ev = sub.add_parser("evaluate", help="cross-validation and held-out test")
    ev.add_argument("--folds", type=int, default=5)
    ev.add_argument("--out", type=Path, default=None)
    ev.add_argument("--real-only", action="store_true", help="only the real-text evaluation")
    sub.add_parser("parse", help="parse stdin lines")
    ex = sub.add_parser("export-corrections", help="officer corrections as Rasa YAML")
    ex.add_argument("--out", type=Path, default=None)
    args = parser.parse_args(argv)
    settings = load_settings()

    if args.command == "train":
        engine = NluEngine.train(
            settings.nlu_config, settings.nlu_data_dir, _routing(settings), progress=print_progress
        )
        engine.save(settings.nlu_model_path)
        print_progress(f"model saved to {settings.nlu_model_path}")
        return 0
    if args.command == "evaluate":
        from nlu.evaluate import run

        out = args.out or settings.data_dir / "nlu-eval"
        run(
            ROOT,
            settings.nlu_config,
            settings.nlu_data_dir,
            ROOT / "nlu" / "test",
            out,
            _routing(settings),
            folds=args.folds,
            progress=print_progress,
            real_only=args.real_only,
            threshold=_directory(settings).route_threshold,
        )
        return 0
    if args.command == "parse":
        from nlu.backend import ensure_model

        engine = ensure_model(settings, _routing(settings))
        for line in sys.stdin:
            text = line.rstrip("\n")
            print(json.dumps(engine.parse(text), ensure_ascii=False), flush=True)
        return 0
    if args.command == "export-corrections":
        text = asyncio.run(export_corrections(settings))
        if args.out:
            args.out.write_text(text, encoding="utf-8")
            print(f"wrote {args.out}", file=sys.stderr)
        else:
            sys.stdout.write(text)
        return 0
    return 2


async def export_corrections(settings: Any) -> str:
    """Every `/alihkan` re-routing as a labelled example under its corrected topic (Rasa YAML)."""
    from bot.store import create_store

    store = create_store(settings)
    await store.open()
    try:
        events = await store.events_of_kind("rerouted")
        # A transfer taken back as a mistake (/batal_alihkan) labels nothing.
        undone = {(e.ticket, str(e.data.get("undoes"))) for e in await store.events_of_kind("transfer_undone")}
        by_topic: dict[str, list[str]] = {}
        notes: list[str] = []
        for event in events:
            if (event.ticket, event.id) in undone or (event.ticket, event.at.isoformat()) in undone:
                continue
            topic = event.data.get("to_topic")
            text = event.data.get("text")
            if not topic or not text:
                continue
            line = " ".join(str(text).split())
            if line not in by_topic.setdefault(topic, []):
                by_topic[topic].append(line)
            guessed = " (topic guessed by the bot from the reason: check it)" if event.data.get("topic_guessed") else ""
            notes.append(f"# {event.ticket}: {event.data.get('from_topic')} -> {topic} by {event.actor}{guessed}")
    finally:
        await store.close()
    header = [
        "# Officer corrections (/alihkan), exported for review before they join nlu/data.",
        f"# {sum(len(v) for v in by_topic.values())} example(s). Review, then move into nlu/data/.",
        *notes,
    ]
    doc = {
        "version": "3.1",
        "nlu": [
            {"intent": topic, "examples": "".join(f"- {t}\n" for t in texts)}
            for topic, texts in sorted(by_topic.items())
        ],
    }
    return (
        "\n".join(header)
        + "\n"
        + yaml.dump(doc, allow_unicode=True, sort_keys=False, default_style=None, Dumper=_LiteralDumper)
    )


class _LiteralDumper(yaml.SafeDumper):
    pass


def _literal(dumper: yaml.SafeDumper, value: str) -> yaml.Node:
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_LiteralDumper.add_representer(str, _literal)


if __name__ == "__main__":
    raise SystemExit(main())
