"""Regenerate nlu/data/real_reports.yml: real portal reports from ../shared/data relabelled into our topics.

    .venv/bin/python scripts/data/build_real_examples.py [--data ../shared/data]

Purbalingga reports and LaporGub token rows take the topic their keyword rules name inside their own
sector or category; Bandung SP4N-LAPOR! reports take a topic of the OPD a human dispatched them to
(nlu/relabel.py). Names after honorifics, long numbers and e-mail addresses are replaced (a best
effort: review the diff before committing). Each block carries `metadata: {source: ...}`, so the
real-text evaluation can leave a source out (zero-shot means no Bandung row in training).
"""

from __future__ import annotations

import argparse
import sys
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

import yaml  # noqa: E402

from nlu.realtext import (  # noqa: E402
    SHARED_DATA,
    bandung_reports,
    bandung_routing,
    laporgub_rows,
    purbalingga_reports,
    purbalingga_sectors,
)
from nlu.relabel import bandung_examples, common_words, laporgub_examples, purbalingga_examples  # noqa: E402

HEADER = """# Real reports from public complaint portals, relabelled into our topics by
# scripts/data/build_real_examples.py (regenerate it; do not edit by hand). Sources (../shared/data):
# bandung = SP4N-LAPOR! Kab. Bandung (topic of the OPD a human dispatched it to), purbalingga =
# "Lapor Mas Bup" (topic by keyword rules inside its sector), laporgub = LaporGub Jateng stemmed
# tokens (vocabulary; topic by keyword rules inside its category). Names after honorifics, long
# numbers and e-mail addresses were replaced, and only words found in at least 3 different LaporGub or
# Purbalingga reports (or in our own examples) were kept, plus, in Bandung rows, lower-case words of
# at least 3 Bandung reports sent to at least 2 offices: names, streets and hamlets drop out.
# The real-text evaluation leaves `bandung` out for its zero-shot figure and uses it only inside
# grouped cross-validation folds.
"""


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--data", type=Path, default=SHARED_DATA)
    parser.add_argument("--out", type=Path, default=ROOT / "nlu" / "data" / "real_reports.yml")
    args = parser.parse_args()
    directory = yaml.safe_load((ROOT / "content" / "directory.yml").read_text(encoding="utf-8"))
    routing = {str(k): str(v) for k, v in directory["routing"].items()}
    vocabulary = common_words(args.data)
    blocks: dict[tuple[str, str], list[str]] = defaultdict(list)
    seen_groups: set[str] = set()
    for text, topic, group in bandung_examples(bandung_reports(args.data, include_other=False),
                                                    bandung_routing(routing), vocabulary):
        if group not in seen_groups:
            seen_groups.add(group)
            blocks[(topic, "bandung")].append(text)
    for text, topic in purbalingga_examples(purbalingga_reports(args.data), routing, purbalingga_sectors(),
                                            vocabulary):
        blocks[(topic, "purbalingga")].append(text)
    for text, topic in laporgub_examples(laporgub_rows(args.data), routing, vocabulary=vocabulary):
        blocks[(topic, "laporgub")].append(text)
    lines = [HEADER, 'version: "3.1"', "", "nlu:"]
    for (topic, source), texts in sorted(blocks.items()):
        lines += [f"- intent: {topic}", "  metadata:", f"    source: {source}", "  examples: |"]
        lines += [f"    - {t}" for t in dict.fromkeys(texts)]
    args.out.write_text("\n".join(lines) + "\n", encoding="utf-8")
    counts: dict[str, int] = defaultdict(int)
    for (_, source), texts in blocks.items():
        counts[source] += len(texts)
    print(f"wrote {args.out}: {dict(counts)} examples of {len({t for t, _ in blocks})} topics")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
