"""Command line: ``news-events run|eval|train|bench|gazetteer``.

Exit codes (documented in the README):
  0  every article processed
  1  the run finished but some articles failed (see the errors file)
  2  user error: bad option, config, input path or missing model (no traceback; --debug shows one)
  70 internal error (a bug: the traceback is printed)
"""

from __future__ import annotations

import argparse
import importlib
import logging
import sys
import traceback
from collections import Counter
from pathlib import Path
from typing import Optional, Sequence

from . import __version__
from .errors import PipelineError

EXIT_OK, EXIT_PARTIAL, EXIT_USER, EXIT_INTERNAL = 0, 1, 2, 70

# Subcommands living in their own modules: name → (module, help). Each module
# defines ``add_arguments(parser)`` and ``main(args) -> int``.
EVALS = {
    "dates": ("pipeline.eval.dates", "TimeML (TempEval-3) temporal expressions: span and value F1"),
    "places": ("pipeline.eval.places", "toponym resolution on geoparsing corpora: acc@161km, AUC"),
    "counts-gva": ("pipeline.eval.counts_gva", "killed/injured exact match on GVA articles"),
    "types": ("pipeline.eval.types", "event sub-type classification on CASE 2021 task 2"),
    "events": ("pipeline.eval.events", "whole event records against gold: detection, fields, strict F1"),
}
COMMANDS = {
    "train": ("pipeline.train", "train every trainable model into models/ (skipped when up to date)"),
    "bench": ("pipeline.bench", "throughput benchmark: full pipeline vs bare spaCy, per-stage time"),
    "gazetteer": ("pipeline.gazetteer.build", "build the SQLite gazetteer from packages or a GeoNames dump"),
}


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="news-events",
        description="Turn news articles into ACLED-style event records (JSONL).",
        epilog="Exit codes: 0 ok, 1 some articles failed, 2 user error, 70 internal error.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    parser.add_argument("--debug", action="store_true", help="verbose logging and tracebacks for user errors")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    from . import runner

    run = sub.add_parser("run", help="process articles into event records", description=runner.__doc__,
                         formatter_class=argparse.RawDescriptionHelpFormatter)
    runner.add_arguments(run)
    run.set_defaults(func=runner.main)

    ev = sub.add_parser("eval", help="score a stage or whole records on gold data")
    ev_sub = ev.add_subparsers(dest="eval_command", required=True, metavar="BENCHMARK")
    for name, (module, help_text) in EVALS.items():
        _add_lazy(ev_sub, name, module, help_text)
    for name, (module, help_text) in COMMANDS.items():
        _add_lazy(sub, name, module, help_text)
    return parser


def _add_lazy(sub, name: str, module_name: str, help_text: str) -> None:
    try:
        module = importlib.import_module(module_name)  # light: heavy imports happen inside main()
    except ModuleNotFoundError as exc:
        if exc.name != module_name:
            raise
        # One absent subcommand module must not take `run` down with it; using
        # that subcommand is an internal error (exit 70) that names the module.
        p = sub.add_parser(name, help=f"{help_text} [unavailable: {module_name} is missing]")
        p.add_argument("rest", nargs=argparse.REMAINDER)
        p.set_defaults(func=lambda _args: _missing_module(module_name))
        return
    p = sub.add_parser(name, help=help_text, description=module.__doc__,
                       formatter_class=argparse.RawDescriptionHelpFormatter)
    module.add_arguments(p)
    p.set_defaults(func=module.main)


def _missing_module(module_name: str) -> int:
    raise RuntimeError(f"this installation lacks the module {module_name}; reinstall the package")


def main(argv: Optional[Sequence[str]] = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    logging.basicConfig(
        level=logging.DEBUG if args.debug else logging.INFO,
        format="%(levelname)s %(name)s: %(message)s",
        stream=sys.stderr,
    )
    try:
        return int(args.func(args) or 0)
    except PipelineError as exc:
        # The user's input, config or environment: one message naming the file,
        # key and fix; the traceback only with --debug.
        if args.debug:
            traceback.print_exc(file=sys.stderr)
        sys.stderr.write(f"news-events: error: {exc}\n")
        return EXIT_USER
    except KeyboardInterrupt:
        sys.stderr.write("news-events: interrupted\n")
        return 130
    except Exception:  # a bug: say so, with the traceback a report needs
        traceback.print_exc(file=sys.stderr)
        sys.stderr.write("news-events: internal error (a bug, please report it with the traceback above)\n")
        return EXIT_INTERNAL


def summary(n_articles: int, types: Counter, n_errors: int, output: Path) -> str:
    lines = [f"{n_articles} articles, {sum(types.values())} events, {n_errors} errors -> {output}"]
    for label, n in sorted(types.items(), key=lambda kv: (-kv[1], kv[0])):
        lines.append(f"  {n:6d}  {label}")
    return "\n".join(lines)
