"""Process articles into event records.

Inputs are .jsonl, .jsonl.gz or .txt files, or folders of them. Records go to
OUTPUT (JSONL, one event per line); articles that could not be processed go to
OUTPUT's errors file (e.g. out/events.errors.jsonl) with file, line and reason;
the fully resolved config is written beside it (out/events.config.json).
"""

from __future__ import annotations

import argparse
import logging
import sys
from collections import Counter
from pathlib import Path

log = logging.getLogger(__name__)


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("inputs", nargs="+", metavar="INPUT", help="input files or folders")
    p.add_argument("-o", "--output", required=True, type=Path, help="output JSONL file")
    p.add_argument("--config", type=Path, default=None, help="pipeline config (default: configs/default.yaml)")
    p.add_argument("--published", default=None,
                   help="publication date (YYYY-MM-DD) for articles that carry none")
    p.add_argument("--progress", choices=("auto", "on", "off"), default="auto",
                   help="progress bar on stderr (auto: only on a terminal)")


def main(args: argparse.Namespace) -> int:
    from .cli import EXIT_OK, EXIT_PARTIAL, summary
    from .core import Pipeline
    from .config import load_config
    from .data import Article
    from .errors import InputError
    from .io.readers import parse_published, read_inputs
    from .io.writers import config_path_for, error_line, errors_path_for, record_line, write_json

    try:
        default_published = parse_published(args.published)
    except ValueError as exc:
        raise InputError(f"--published: {exc}") from None
    config = load_config(args.config)
    pipe = Pipeline(config)
    pipe.warm_up()

    output: Path = args.output
    output.parent.mkdir(parents=True, exist_ok=True)
    write_json(config_path_for(output), config.resolved())
    n_articles = n_errors = 0
    types: Counter = Counter()
    items = read_inputs(args.inputs, default_published)
    show = args.progress == "on" or (args.progress == "auto" and sys.stderr.isatty())
    errors_path = errors_path_for(output)

    def articles():
        """Pass articles on; reader errors go straight to the errors file, in order."""
        nonlocal n_errors
        for item in items:
            if isinstance(item, Article):
                yield item
            else:
                n_errors += 1
                err_fh.write(error_line(item))

    with open(output, "w", encoding="utf-8") as out_fh, open(errors_path, "w", encoding="utf-8") as err_fh:
        results = pipe.run(articles())
        if show:
            from tqdm import tqdm

            results = tqdm(results, unit="art", file=sys.stderr, dynamic_ncols=True)
        for result in results:
            n_articles += 1
            if result.error:
                n_errors += 1
                err_fh.write(error_line(result.error))
            for record in result.records:
                out_fh.write(record_line(record))
                types[f"{record.event_type} / {record.sub_event_type}"] += 1
    sys.stderr.write(summary(n_articles, types, n_errors, output) + "\n")
    if n_errors:
        sys.stderr.write(f"{n_errors} articles failed: see {errors_path}\n")
    return EXIT_PARTIAL if n_errors else EXIT_OK
