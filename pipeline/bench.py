"""Throughput benchmark: the full pipeline against bare spaCy, 1 vs N workers,
peak memory per worker, time per stage, and cost against article length.

The corpus is made by repeating the in-house articles (corpus/sample) until it
holds at least --articles articles (ids get a ~N suffix so they stay unique).
Measured, after every model is loaded (start-up time is reported apart):

  bare spaCy      nlp.pipe of the configured spaCy model over the same texts
  pipeline x1     Pipeline.run in this process, records serialised (= --workers 1)
  pipeline xN     the same chunks on N spawned worker processes (= --workers N)
  length scaling  articles made k times longer (k = 1, 2, 4, 8): per-word cost
                  and per-stage cost should stay flat; a stage whose cost per
                  word grows with k is quadratic in the number of mentions.

Prints one Markdown table (paste it into the README) and writes the figures as
JSON to --out/bench.json.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import sys
import time
from collections import defaultdict
from dataclasses import replace
from pathlib import Path
from typing import Any, Optional

log = logging.getLogger(__name__)


def add_arguments(p: argparse.ArgumentParser) -> None:
    from .config import PROJECT_ROOT

    p.add_argument("--input", nargs="+", default=[str(PROJECT_ROOT / "corpus" / "sample")], metavar="PATH",
                   help="articles to repeat (default: corpus/sample)")
    p.add_argument("--articles", type=int, default=2000, help="corpus size, at least (default 2000)")
    p.add_argument("--workers", type=int, default=2, help="the parallel run's worker count (default 2)")
    p.add_argument("--config", type=Path, default=None, help="pipeline config (default: configs/default.yaml)")
    p.add_argument("--import", dest="imports", action="append", default=[], metavar="MODULE",
                   help="import MODULE first, here and in every worker (plugin stages)")
    p.add_argument("--lengths", default="1,2,4,8", help="length multipliers for the scaling check ('' to skip)")
    p.add_argument("--out", type=Path, default=PROJECT_ROOT / "out" / "bench",
                   help="folder for bench.json (default: out/bench)")


def main(args: argparse.Namespace) -> int:
    from .engines.worker import PipelineSpec
    from .errors import InputError

    if args.articles < 1 or args.workers < 1:
        raise InputError("--articles and --workers must be at least 1")
    try:
        lengths = [int(k) for k in args.lengths.split(",") if k.strip()]
    except ValueError:
        raise InputError(f"--lengths: expected comma-separated integers, got {args.lengths!r}") from None
    spec = PipelineSpec(config=str(args.config.resolve()) if args.config else None, imports=tuple(args.imports))
    articles = make_corpus(args.input, args.articles)
    results = run_bench(spec, articles, args.workers, lengths)
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "bench.json").write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    sys.stdout.write(format_table(results) + "\n")
    return 0


def make_corpus(inputs: list[str], n: int) -> list:
    """Repeat the readable articles of ``inputs`` until there are at least ``n``."""
    from .data import Article
    from .errors import InputError
    from .io.readers import read_inputs

    base = [a for a in read_inputs(inputs) if isinstance(a, Article)]
    if not base:
        raise InputError(f"{', '.join(inputs)}: no readable articles to build the benchmark corpus from")
    out = []
    rep = 0
    while len(out) < n:
        out.extend(replace(a, id=f"{a.id}~{rep}") for a in base)
        rep += 1
    return out


def words(texts) -> int:
    return sum(len(t.split()) for t in texts)


def run_bench(spec, articles: list, workers: int, lengths: list[int]) -> dict[str, Any]:
    from .engines.local import LocalEngine
    from .engines.worker import get_pipeline, peak_rss_bytes, process_chunk
    from .runner import chunked

    texts = [a.text for a in articles]
    n_words = words(texts)
    chunk = max(1, min(64, len(articles) // (4 * workers)))  # enough chunks to keep every worker busy
    res: dict[str, Any] = {"articles": len(articles), "words": n_words, "cpus": os.cpu_count(), "workers": workers}

    # Full pipeline, this process (= --workers 1). Loaded first so its start-up is measured alone.
    t0 = time.perf_counter()
    pipe = get_pipeline(spec)
    res["startup_s"] = time.perf_counter() - t0
    process_chunk(spec, articles[:16])  # warm caches
    pipe.timings.clear()
    res["load_before"] = os.getloadavg()[0]
    t0, c0 = time.perf_counter(), time.process_time()
    for part in chunked(articles, chunk):
        process_chunk(spec, part)
    res["pipeline_1_s"] = time.perf_counter() - t0
    res["pipeline_1_cpu_s"] = time.process_time() - c0
    res["stages_s"] = dict(pipe.timings)
    log.info("pipeline x1: %.1f s", res["pipeline_1_s"])

    # Bare spaCy: the same model and settings, the same texts.
    nlp = pipe.nlp
    batch = pipe.config.spacy.batch_size
    list(nlp.pipe(texts[:16], batch_size=batch))
    t0, c0 = time.perf_counter(), time.process_time()
    for _ in nlp.pipe(texts, batch_size=batch):
        pass
    res["spacy_s"] = time.perf_counter() - t0
    res["spacy_cpu_s"] = time.process_time() - c0
    res["peak_rss_1"] = peak_rss_bytes()
    log.info("bare spaCy: %.1f s", res["spacy_s"])

    # N worker processes, the chunks of `run -o OUT.jsonl --workers N`.
    if workers > 1:
        with LocalEngine(spec, workers, pool=True) as engine:
            t0 = time.perf_counter()
            engine.warm_up()
            res["startup_n_s"] = time.perf_counter() - t0
            rss: dict[int, int] = defaultdict(int)
            cpu = 0.0
            t0 = time.perf_counter()
            for _, done in engine.imap(process_chunk, chunked(articles, chunk), ordered=True):
                rss[done.pid] = max(rss[done.pid], done.peak_rss)
                cpu += done.cpu_s
            res["pipeline_n_s"] = time.perf_counter() - t0
            res["pipeline_n_cpu_s"] = cpu
            res["peak_rss_n"] = sorted(rss.values())
        log.info("pipeline x%d: %.1f s", workers, res["pipeline_n_s"])

    res["scaling"] = length_scaling(pipe, articles, lengths)
    res["load_after"] = os.getloadavg()[0]
    return res


def length_scaling(pipe, articles: list, lengths: list[int]) -> list[dict[str, Any]]:
    """Per-word cost (whole pipeline and per stage) of articles made k times longer."""
    from dataclasses import replace as dc_replace

    if not lengths:
        return []
    limit = pipe.config.limits.max_chars
    base = sorted({a.id.split("~")[0]: a for a in articles}.values(), key=lambda a: a.id)[:8]
    rows = []
    for k in lengths:
        longer = [dc_replace(a, id=f"{a.id}x{k}", text="\n\n".join([a.text] * k)) for a in base]
        longer = [a for a in longer if len(a.text) <= limit]
        if not longer:
            log.warning("length x%d: every article is over limits.max_chars; skipped", k)
            continue
        pipe.timings.clear()
        t0 = time.perf_counter()
        for result in pipe.run(longer):
            if result.error:
                log.warning("length x%d: %s failed: %s", k, result.article.id, result.error.reason)
        total = time.perf_counter() - t0
        n = words(a.text for a in longer)
        rows.append({"k": k, "words": n, "ms_per_1k_words": 1000 * total / n * 1000,
                     "stages_ms_per_1k_words": {s: 1000 * v / n * 1000 for s, v in pipe.timings.items()}})
    return rows


def format_table(r: dict[str, Any]) -> str:
    """One Markdown table of every figure (and the targets of issue 7)."""
    n, w = r["articles"], r["words"]
    spacy_aps, pipe_aps = n / r["spacy_s"], n / r["pipeline_1_s"]
    gib = 1024 ** 3
    # CPU seconds per article stay meaningful when other jobs share the machine; wall-clock
    # throughput (and so the workers ratio) does not: the load average says how shared it was.
    lines = [
        f"Benchmark: {n} articles, {w} words, {r['cpus']} CPUs, load average {r['load_before']:.1f} "
        f"before / {r['load_after']:.1f} after (start-up: {r['startup_s']:.1f} s in-process"
        + (f", {r['startup_n_s']:.1f} s for {r['workers']} workers" if "startup_n_s" in r else "") + ")",
        "",
        "| measure | articles/s | words/s | CPU ms/article | ratio | target |",
        "|---|---:|---:|---:|---:|---|",
        f"| bare spaCy `nlp.pipe` | {spacy_aps:.1f} | {w / r['spacy_s']:.0f} | {1000 * r['spacy_cpu_s'] / n:.0f} "
        f"| 1.00 | |",
        f"| full pipeline, 1 worker | {pipe_aps:.1f} | {w / r['pipeline_1_s']:.0f} | "
        f"{1000 * r['pipeline_1_cpu_s'] / n:.0f} | {pipe_aps / spacy_aps:.2f} × spaCy "
        f"(CPU: {r['spacy_cpu_s'] / r['pipeline_1_cpu_s']:.2f}) | ≥ 0.75 × spaCy |",
    ]
    if "pipeline_n_s" in r:
        aps = n / r["pipeline_n_s"]
        lines.append(f"| full pipeline, {r['workers']} workers | {aps:.1f} | {w / r['pipeline_n_s']:.0f} | "
                     f"{1000 * r['pipeline_n_cpu_s'] / n:.0f} | {aps / pipe_aps:.2f} × 1 worker | ≥ 1.7 × 1 worker |")
    rss = [f"{r['peak_rss_1'] / gib:.2f}"] + [f"{x / gib:.2f}" for x in r.get("peak_rss_n", [])]
    lines.append(f"| peak RSS per worker (GiB; 1 worker = this whole process) | 1 worker: {rss[0]}"
                 + (f"; {r['workers']} workers: {', '.join(rss[1:])}" if len(rss) > 1 else "")
                 + " | | | | ≤ 1.5 GB |")
    total = sum(r["stages_s"].values())
    for stage, secs in sorted(r["stages_s"].items(), key=lambda kv: -kv[1]):
        lines.append(f"| time in `{stage}` | | | {1000 * secs / n:.1f} | {100 * secs / total:.1f} % | |")
    if r["scaling"]:
        first = r["scaling"][0]
        base = first["stages_ms_per_1k_words"]
        # Stages under 2 % of the time at x1 are too noisy to judge growth on.
        judged = [s for s, v in base.items() if v >= 0.02 * sum(base.values())]
        for row in r["scaling"]:
            growth = row["ms_per_1k_words"] / first["ms_per_1k_words"]
            worst = max(((s, row["stages_ms_per_1k_words"].get(s, 0.0)) for s in judged),
                        key=lambda kv: kv[1] / base[kv[0]])
            worst_growth = worst[1] / base[worst[0]]
            lines.append(f"| length ×{row['k']} ({row['words']} words) | | | | "
                         f"{row['ms_per_1k_words']:.0f} ms/1k words = {growth:.2f} × ×1; "
                         f"steepest `{worst[0]}` {worst_growth:.2f} × | flat (linear cost) |")
    return "\n".join(lines)
