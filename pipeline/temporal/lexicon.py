"""The dates stage's vocabulary, read from hand-editable YAML (configs/dates/en.yaml).

The YAML is the single source of truth: the recognizer's regular expressions are
compiled from these lists, so adding a word there is enough. ``to_source()``
gives back exactly what was read, which a test compares with the file.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

from ..config import read_yaml
from ..errors import ConfigError


# future_cues values: the cue points forward whatever the tense, or unless the tense is past.
FUTURE_CUE_KINDS = ("always", "unless past")


@dataclass(frozen=True)
class Lexicon:
    months: dict[str, int]
    ambiguous_months: list[str]
    month_cues: list[str]
    weekdays: dict[str, int]
    ambiguous_weekdays: list[str]
    numbers: dict[str, float]
    vague_numbers: list[str]
    ordinals: dict[str, int]
    units: dict[str, str]
    seasons: dict[str, str]
    day_parts: dict[str, str]
    clock_words: dict[str, str]
    clock_cues: list[str]
    relative_days: dict[str, int]
    holidays: dict[str, str]
    shifts: dict[str, int]
    modifiers: list[str]
    ago_words: dict[str, int]
    event_anchored: list[str]
    vague: dict[str, str]
    vague_not_past: list[str]
    sets: dict[str, str]
    set_cues: list[str]
    background_cues: list[str]
    future_auxiliaries: list[str]
    future_in_past_auxiliaries: list[str]
    report_verbs: list[str]
    future_phrases: list[str]
    future_cues: dict[str, str]
    future_verbs: list[str]
    source: str = field(default="", compare=False)

    @classmethod
    def from_yaml(cls, path: Path) -> "Lexicon":
        data = read_yaml(path, "dates lexicon (stages.dates.lexicon)")
        names = [f.name for f in fields(cls) if f.name != "source"]
        missing = [n for n in names if n not in data]
        unknown = [k for k in data if k not in names]
        if missing or unknown:
            raise ConfigError(f"{path}: missing keys {missing}, unknown keys {unknown}; allowed keys: {names}")
        for name in names:
            value = data[name]
            if not isinstance(value, (dict, list)) or not value:
                raise ConfigError(f"{path}: key {name!r} must be a non-empty list or mapping, got {value!r}")
            words = value.keys() if isinstance(value, dict) else value
            bad = [w for w in words if not isinstance(w, str) or w != w.lower() or not w.strip()]
            if bad:
                raise ConfigError(f"{path}: key {name!r}: entries must be lower-case strings, got {bad}")
        cues = data["future_cues"]
        odd = {c: v for c, v in cues.items() if v not in FUTURE_CUE_KINDS} if isinstance(cues, dict) else cues
        if odd:
            raise ConfigError(f"{path}: key 'future_cues': values must be one of {list(FUTURE_CUE_KINDS)}, got {odd}")
        stray = [w for w in data["vague_not_past"] if w not in data["vague"]]
        if stray:
            raise ConfigError(f"{path}: key 'vague_not_past': {stray} are not in 'vague'")
        return cls(**{n: data[n] for n in names}, source=str(path))

    def to_source(self) -> dict[str, Any]:
        """The lexicon as the YAML mapping it came from."""
        return {f.name: getattr(self, f.name) for f in fields(self) if f.name != "source"}

    def alternation(self, name: str) -> str:
        """A regex alternation of the words of list ``name`` (longest first, spaces flexible)."""
        value = getattr(self, name)
        return alternation(value.keys() if isinstance(value, dict) else value)


def alternation(words) -> str:
    parts = sorted(set(words), key=lambda w: (-len(w), w))
    return "(?:" + "|".join(r"\s+".join(re.escape(p) for p in w.split()) for w in parts) + ")"


def normalize_words(text: str) -> str:
    """Lower case with single spaces: the key under which a matched phrase is looked up."""
    return " ".join(text.lower().split())
