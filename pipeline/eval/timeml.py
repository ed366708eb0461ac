"""TimeML (TempEval-3) files: loader and TIMEX3 scorer.

Only the ``<TEXT>`` body is scored: tags are stripped and entities unescaped, and
gold offsets index that plain text. The document creation time comes from
``<DCT><TIMEX3 value=...>``. Scoring follows TempEval-3: spans match when they
overlap (relaxed), one-to-one; value F1 counts matched pairs whose normalized
value equals the gold ``value``.
"""

from __future__ import annotations

import datetime as dt
import html
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Optional

from ..errors import InputError

TAG = re.compile(r"<(/?)([A-Za-z0-9_]+)([^>]*)>")
ATTR = re.compile(r'([A-Za-z_]+)="([^"]*)"')
ENTITY = re.compile(r"&(?:#\d+|#x[0-9a-fA-F]+|[A-Za-z]+);")


@dataclass
class Timex:
    start: int
    end: int
    text: str
    type: str
    value: str


@dataclass
class TimeMLDoc:
    name: str
    text: str
    dct: Optional[dt.date]
    timexes: list[Timex] = field(default_factory=list)


def parse(path: Path) -> TimeMLDoc:
    raw = Path(path).read_text(encoding="utf-8")
    dct = None
    m = re.search(r"<DCT>\s*<TIMEX3([^>]*)>", raw)
    if m:
        value = dict(ATTR.findall(m.group(1))).get("value", "")
        if re.match(r"\d{4}-\d\d-\d\d", value):
            dct = dt.date.fromisoformat(value[:10])
    body = re.search(r"<TEXT>(.*?)</TEXT>", raw, re.S)
    if body is None:
        raise InputError(f"{path}: no <TEXT> element: not a TimeML file")
    text, timexes = strip(body.group(1))
    return TimeMLDoc(Path(path).stem, text, dct, timexes)


def strip(markup: str) -> tuple[str, list[Timex]]:
    """Plain text of ``markup`` and its TIMEX3 elements with offsets into that text."""
    out: list[str] = []
    pos = 0
    n = 0
    open_timex: Optional[tuple[int, dict[str, str]]] = None
    timexes: list[Timex] = []

    def emit(chunk: str) -> None:
        nonlocal n
        chunk = html.unescape(chunk)
        out.append(chunk)
        n += len(chunk)

    for m in TAG.finditer(markup):
        emit(markup[pos:m.start()])
        pos = m.end()
        closing, name = m.group(1), m.group(2)
        if name != "TIMEX3":
            continue
        if not closing:
            open_timex = (n, dict(ATTR.findall(m.group(3))))
        elif open_timex is not None:
            start, attrs = open_timex
            text = "".join(out)[start:n]
            timexes.append(Timex(start, n, text, attrs.get("type", ""), attrs.get("value", "")))
            open_timex = None
    emit(markup[pos:])
    return "".join(out), timexes


def find_files(paths: Iterable[Path]) -> list[Path]:
    files: list[Path] = []
    for p in paths:
        p = Path(p)
        if p.is_dir():
            files.extend(sorted(p.rglob("*.tml")))
        elif p.is_file():
            files.append(p)
        else:
            raise InputError(f"{p}: no such file or folder")
    unique: dict[str, Path] = {}
    for f in files:  # TBAQ-cleaned/testpipeline repeats an AQUAINT file: score each document once
        if f.stem in unique:
            if f.read_bytes() != unique[f.stem].read_bytes():
                raise InputError(f"{f} and {unique[f.stem]}: two different documents named {f.stem}")
            continue
        unique[f.stem] = f
    files = list(unique.values())
    if not files:
        raise InputError(f"no .tml files under {', '.join(map(str, paths))}")
    return files


@dataclass
class Counts:
    gold: int = 0
    system: int = 0
    span_match: int = 0  # one-to-one overlapping pairs
    value_match: int = 0  # of those, equal value
    type_match: int = 0
    date_gold: int = 0
    date_value_ok: int = 0  # gold type=DATE with a matched system value equal to gold

    def add(self, other: "Counts") -> None:
        for k in vars(self):
            setattr(self, k, getattr(self, k) + getattr(other, k))

    @staticmethod
    def f1(p: float, r: float) -> float:
        return 2 * p * r / (p + r) if p + r else 0.0

    def table(self) -> dict[str, float]:
        sp = self.span_match / self.system if self.system else 0.0
        sr = self.span_match / self.gold if self.gold else 0.0
        vp = self.value_match / self.system if self.system else 0.0
        vr = self.value_match / self.gold if self.gold else 0.0
        return {
            "span_p": sp, "span_r": sr, "span_f1": self.f1(sp, sr),
            "value_p": vp, "value_r": vr, "value_f1": self.f1(vp, vr),
            "type_acc": self.type_match / self.span_match if self.span_match else 0.0,
            "date_value_acc": self.date_value_ok / self.date_gold if self.date_gold else 0.0,
        }


def score(gold: list[Timex], system: list[Timex]) -> tuple[Counts, list[tuple[Timex, Optional[Timex]]]]:
    """Relaxed one-to-one matching: each gold takes the overlapping system span with most overlap."""
    c = Counts(gold=len(gold), system=len(system), date_gold=sum(g.type == "DATE" for g in gold))
    used: set[int] = set()
    pairs: list[tuple[Timex, Optional[Timex]]] = []
    for g in gold:
        best, best_ov = None, 0
        for i, s in enumerate(system):
            if i in used:
                continue
            ov = min(g.end, s.end) - max(g.start, s.start)
            if ov > best_ov:
                best, best_ov = i, ov
        if best is None:
            pairs.append((g, None))
            continue
        used.add(best)
        s = system[best]
        pairs.append((g, s))
        c.span_match += 1
        c.type_match += s.type == g.type
        if s.value == g.value:
            c.value_match += 1
            c.date_value_ok += g.type == "DATE"
    return c, pairs
