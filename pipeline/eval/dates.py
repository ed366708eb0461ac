"""Temporal expressions on TimeML (TempEval-3) files: span and value scores.

Runs the dates stage (configs/default.yaml's `dates` block, or --config) over the
<TEXT> of each .tml file (folders are searched for *.tml), anchored on the
document creation time, and prints TempEval-3 style scores: span P/R/F1
(relaxed: overlapping spans, one-to-one), value P/R/F1 (a matched span whose
TIMEX3 value equals the gold value), type accuracy on matched spans, and value
accuracy on gold type=DATE. --baseline adds the plain
dateparser.search.search_dates baseline (DATE values at day precision) in the
same table (values at the precision dateparser reports). Also prints the stage's time per article (spaCy excluded) scaled to
400 words. Tune on TBAQ-cleaned (dev); run te3-platinum (test) only to report.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import logging
import time
from pathlib import Path
from typing import Optional

from .timeml import Counts, TimeMLDoc, Timex, find_files, parse, score

log = logging.getLogger(__name__)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("paths", nargs="+", type=Path, help=".tml files or folders of them")
    parser.add_argument("--predictions", type=Path, help="write the stage's expressions as JSONL "
                        "{doc, start, end, text, type, value} (offsets into the tag-stripped text)")
    parser.add_argument("--baseline", action="store_true", help="also score plain dateparser.search.search_dates")
    parser.add_argument("--config", type=Path, default=None, help="pipeline config (default configs/default.yaml)")
    parser.add_argument("--errors", type=Path, help="write gold/system pairs whose span or value differ as JSONL")


def build_stage(config_path: Optional[Path]):

    from ..config import DEFAULT_CONFIG, load_config, read_yaml
    from ..errors import ConfigError
    from ..registry import get_factory
    from ..resources import Resources

    path = Path(config_path).resolve() if config_path else DEFAULT_CONFIG
    block = (read_yaml(path, "config file").get("stages") or {}).get("dates")
    if not isinstance(block, dict):
        raise ConfigError(f"{path}: no stages.dates block (e.g. dates: {{factory: dates.v1}})")
    # Only the dates block is validated: the other stages are not needed here.
    config = load_config(path, overrides={"stages": {"dates": block}})
    stage_config = config.stage_configs()["dates"]
    resources = Resources()
    stage = get_factory(stage_config.factory)(stage_config, resources)
    stage.warm_up()
    return stage, resources.spacy(config.spacy.model, tuple(config.spacy.disable))


def run_stage(docs: list[TimeMLDoc], stage, nlp) -> tuple[dict[str, list[Timex]], float, int]:
    """System TIMEX3s per document, the stage's seconds (spaCy excluded) and the word count."""
    from ..data import AnnotatedDoc, Article, Sentence

    out: dict[str, list[Timex]] = {}
    seconds, words = 0.0, 0
    for d in docs:
        sdoc = nlp(d.text)
        adoc = AnnotatedDoc(Article(id=d.name, text=d.text, published=d.dct), sdoc,
                            [Sentence(s.start_char, s.end_char, s.text) for s in sdoc.sents])
        t0 = time.perf_counter()
        stage([adoc])
        seconds += time.perf_counter() - t0
        words += len(d.text.split())
        out[d.name] = [Timex(m.start, m.end, m.text, m.value.timex_type, m.value.timex_value or "")
                       for m in adoc.layers["dates"]]
    return out, seconds, words


def run_baseline(docs: list[TimeMLDoc]) -> dict[str, list[Timex]]:
    """dateparser.search.search_dates alone: each found string is a DATE, its value written at the
    precision dateparser reports for it (year, month, week or day), so "2014" can score as 2014."""
    from dateparser.date import DateDataParser
    from dateparser.search import search_dates

    out: dict[str, list[Timex]] = {}
    for d in docs:
        settings = {"PREFER_DATES_FROM": "past", "RETURN_AS_TIMEZONE_AWARE": False}
        if d.dct is not None:
            settings["RELATIVE_BASE"] = dt.datetime(d.dct.year, d.dct.month, d.dct.day)
        found = search_dates(d.text, languages=["en"], settings=settings) or []
        parser = DateDataParser(languages=["en"], settings=settings)
        items, pos = [], 0
        for text, when in found:
            at = d.text.find(text, pos)
            if at < 0:
                at = d.text.find(text)
            if at < 0:
                continue
            pos = at + len(text)
            period = parser.get_date_data(text).period or "day"
            items.append(Timex(at, at + len(text), text, "DATE", _at_precision(when, period)))
        out[d.name] = items
    return out


def _at_precision(when: dt.datetime, period: str) -> str:
    if period == "year":
        return f"{when.year:04d}"
    if period == "month":
        return f"{when.year:04d}-{when.month:02d}"
    if period == "week":
        y, w, _ = when.date().isocalendar()
        return f"{y:04d}-W{w:02d}"
    return when.date().isoformat()


def total(docs: list[TimeMLDoc], system: dict[str, list[Timex]], errors: Optional[list] = None) -> Counts:
    c = Counts()
    for d in docs:
        counts, pairs = score(d.timexes, system[d.name])
        c.add(counts)
        if errors is not None:
            matched = {id(s) for _, s in pairs if s is not None}
            for g, s in pairs:
                if s is None or s.value != g.value or (s.start, s.end) != (g.start, g.end):
                    errors.append({"doc": d.name, "dct": str(d.dct), "gold": vars(g), "system": vars(s) if s else None})
            for s in system[d.name]:
                if id(s) not in matched:
                    errors.append({"doc": d.name, "dct": str(d.dct), "gold": None, "system": vars(s)})
    return c


def format_table(rows: dict[str, Counts], n_docs: int) -> str:
    head = f"{'system':<28} {'gold':>5} {'sys':>5} {'span P':>7} {'span R':>7} {'span F1':>8} " \
           f"{'val P':>7} {'val R':>7} {'val F1':>7} {'type acc':>8} {'DATE val acc':>12}"
    lines = [f"{n_docs} documents", head, "-" * len(head)]
    for name, c in rows.items():
        t = c.table()
        lines.append(f"{name:<28} {c.gold:>5} {c.system:>5} {100 * t['span_p']:>7.1f} {100 * t['span_r']:>7.1f} "
                     f"{100 * t['span_f1']:>8.1f} {100 * t['value_p']:>7.1f} {100 * t['value_r']:>7.1f} "
                     f"{100 * t['value_f1']:>7.1f} {t['type_acc']:>8.3f} {t['date_value_acc']:>12.3f}")
    return "\n".join(lines)


def main(args: argparse.Namespace) -> int:
    docs = [parse(p) for p in find_files(args.paths)]
    stage, nlp = build_stage(args.config)
    system, seconds, words = run_stage(docs, stage, nlp)
    errors: Optional[list] = [] if args.errors else None
    rows = {stage.name: total(docs, system, errors)}
    if args.baseline:
        t0 = time.perf_counter()
        base = run_baseline(docs)
        log.info("baseline: %.1f s", time.perf_counter() - t0)
        rows["dateparser search_dates"] = total(docs, base)
    print(format_table(rows, len(docs)))
    per_article = 1000 * seconds / len(docs)
    per_400 = 1000 * seconds / words * 400 if words else 0.0
    print(f"{stage.name} time (spaCy excluded): {per_article:.2f} ms/article, {per_400:.2f} ms per 400 words "
          f"({words} words)")
    if args.predictions:
        args.predictions.parent.mkdir(parents=True, exist_ok=True)
        with args.predictions.open("w", encoding="utf-8") as fh:
            for d in docs:
                for t in system[d.name]:
                    fh.write(json.dumps({"doc": d.name, "start": t.start, "end": t.end, "text": t.text,
                                         "type": t.type, "value": t.value or None}) + "\n")
    if args.errors:
        args.errors.parent.mkdir(parents=True, exist_ok=True)
        with args.errors.open("w", encoding="utf-8") as fh:
            for e in errors:
                fh.write(json.dumps(e) + "\n")
    return 0
