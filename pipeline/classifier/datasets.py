"""Training data for the event classifier: the project's own sentences, CASE 2021 dev, PLOVER.

Every loader returns ``Example``s labelled with ontology classes (ACLED
sub-types or a "not an event" class), so sources can be mixed freely.
"""

from __future__ import annotations

import csv
import json
import logging
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Optional

from ..config import read_yaml
from ..errors import InputError
from .ontology import Ontology

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Example:
    text: str
    label: str  # an ontology class
    source: str  # corpus | case2021 | plover
    id: str = ""
    title: Optional[str] = None


def load_sentences(folder: Path, ontology: Ontology) -> list[Example]:
    """``corpus/sentences/*.yaml``: a mapping ``label: [sentence, ...]`` per file."""
    valid = set(ontology.classes)
    out: list[Example] = []
    files = sorted(folder.glob("*.yaml"))
    if not files:
        raise InputError(f"{folder}: no labelled sentence files (*.yaml)")
    for path in files:
        data = read_yaml(path, "labelled sentence file")
        for label, sentences in data.items():
            if label not in valid:
                raise InputError(f"{path}: label {label!r} is not an ontology class")
            for i, s in enumerate(sentences or []):
                if not isinstance(s, str) or not s.strip():
                    raise InputError(f"{path}: {label!r} item {i} is not a sentence")
                out.append(Example(s.strip(), label, "corpus", f"{path.stem}:{label}:{i}"))
    return out


def read_case(path: Path) -> list[tuple[str, str, str]]:
    """CASE 2021 task 2 TSV: (id, snippet, code)."""
    with path.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh, delimiter="\t"))
    if not rows or not {"id", "EventSnippet", "SubType"} <= set(rows[0]):
        raise InputError(f"{path}: expected a TSV with columns id, EventSnippet, SubType")
    return [(r["id"], r["EventSnippet"].strip(), r["SubType"].strip()) for r in rows]


def load_case(path: Path, ontology: Ontology) -> list[Example]:
    out = []
    for id_, text, code in read_case(path):
        label = ontology.map_label("case2021", code)
        if label is None:
            raise InputError(f"{path}: id {id_}: CASE label {code!r} has no mapping in {ontology.source}")
        out.append(Example(text, label, "case2021", id_))
    return out


def load_plover(path: Path, ontology: Ontology) -> list[Example]:
    """PLOVER_GSR_CAMEO.txt: a JSON list with trailing commas; unmapped categories are skipped."""
    raw = path.read_text(encoding="utf-8")
    raw = re.sub(r",(\s*[\]}])", r"\1", raw)
    try:
        items = json.loads(raw)
    except json.JSONDecodeError as exc:
        raise InputError(f"{path}: cannot parse PLOVER records: {exc}") from None
    out = []
    for it in items:
        label = ontology.map_label("plover", it.get("event", ""))
        if label and it.get("text"):
            out.append(Example(it["text"].strip(), label, "plover", it.get("id", "")))
    return out
