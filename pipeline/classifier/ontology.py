"""The event ontology (configs/ontology.yaml): labels, trigger rules and dataset label mappings.

Rules live in YAML so a coder can edit the lexicon without touching code; the
same triggers serve the rule classifier, the cheap prefilter and the trigger
features of the trained classifier.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Optional


from ..config import PROJECT_ROOT, read_yaml
from ..errors import ConfigError

DEFAULT_ONTOLOGY = PROJECT_ROOT / "configs" / "ontology.yaml"


@dataclass
class SubTypeRule:
    event_type: str
    sub_event_type: str
    priority: int
    triggers: list[re.Pattern]
    with_: list[str] = field(default_factory=list)
    unless: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.any_trigger = _union(self.triggers)

    def first_trigger(self, text: str) -> Optional[re.Match]:
        """The match of the first trigger in file order (what the reason names), or None.

        One search of the union of the triggers rejects most sentences; only a
        sentence it accepts is searched pattern by pattern."""
        if self.any_trigger.search(text) is None:
            return None
        return next((m for m in (p.search(text) for p in self.triggers) if m), None)


def _union(patterns: list[re.Pattern]) -> re.Pattern:
    """One regular expression matching wherever any of ``patterns`` matches (a presence test)."""
    if not patterns:
        return re.compile(r"(?!)")
    return re.compile("|".join(f"(?:{p.pattern})" for p in patterns), re.IGNORECASE)


@dataclass
class RuleMatch:
    event_type: str
    sub_event_type: str
    priority: int
    trigger: str  # the matched surface text
    reason: str


@dataclass
class Ontology:
    not_event: str
    non_event_classes: list[str]
    rules: list[SubTypeRule]  # in file order: 25 sub-types
    lexicons: dict[str, list[re.Pattern]]
    datasets: dict[str, dict[str, str]]
    source: str = ""

    def __post_init__(self) -> None:
        self._lex_any = {name: _union(pats) for name, pats in self.lexicons.items()}

    @property
    def sub_types(self) -> list[str]:
        return [r.sub_event_type for r in self.rules]

    @property
    def type_of(self) -> dict[str, str]:
        return {r.sub_event_type: r.event_type for r in self.rules}

    @property
    def classes(self) -> list[str]:
        """Every label the classifier can learn: the sub-types, then the non-event classes."""
        return self.sub_types + self.non_event_classes

    def is_event(self, label: str) -> bool:
        return label in self.type_of

    def _lex(self, name: str, text: str) -> Optional[re.Match]:
        if self._lex_any[name].search(text) is None:
            return None
        return next((m for m in (p.search(text) for p in self.lexicons[name]) if m), None)

    def _has(self, name: str, text: str) -> bool:
        return self._lex_any[name].search(text) is not None

    def matches(self, text: str) -> list[RuleMatch]:
        """Every sub-type whose rule fires on ``text``, best (highest priority) first."""
        out: list[RuleMatch] = []
        for rule in self.rules:
            m = rule.first_trigger(text)
            if m is None:
                continue
            if not all(self._has(n, text) for n in rule.with_) or any(self._has(n, text) for n in rule.unless):
                continue
            extra = f" with {'+'.join(rule.with_)}" if rule.with_ else ""
            out.append(RuleMatch(rule.event_type, rule.sub_event_type, rule.priority, m.group(0),
                                 f"rule:{rule.sub_event_type}: trigger {m.group(0)!r}{extra}"))
        out.sort(key=lambda r: -r.priority)
        return out

    def any_trigger(self, text: str) -> Optional[str]:
        """The first trigger of any sub-type (ignoring with/unless), else a ``prefilter`` lexicon word: the prefilter."""
        for rule in self.rules:
            m = rule.first_trigger(text)
            if m:
                return m.group(0)
        m = self._lex("prefilter", text) if "prefilter" in self.lexicons else None
        return m.group(0) if m else None

    def trigger_vector(self, text: str) -> list[float]:
        """One 0/1 feature per sub-type (trigger present, ignoring with/unless) and per lexicon."""
        vec = [1.0 if rule.any_trigger.search(text) else 0.0 for rule in self.rules]
        vec += [1.0 if self._has(name, text) else 0.0 for name in sorted(self.lexicons)]
        return vec

    def map_label(self, dataset: str, label: str) -> Optional[str]:
        return self.datasets.get(dataset, {}).get(label)


def load_ontology(path: Optional[Path] = None) -> Ontology:
    """Read and check the ontology; ``ConfigError`` names the file and the bad entry."""
    path = Path(path) if path else DEFAULT_ONTOLOGY
    raw = read_yaml(path, "ontology file")

    def compile_all(where: str, pats: list[str]) -> list[re.Pattern]:
        try:
            return [re.compile(p, re.IGNORECASE) for p in pats]
        except re.error as exc:
            raise ConfigError(f"{path}: {where}: bad regular expression: {exc}") from None

    lexicons = {k: compile_all(f"lexicons.{k}", v) for k, v in (raw.get("lexicons") or {}).items()}
    blocking = {k: compile_all(f"blocking.{k}", v) for k, v in (raw.get("blocking") or {}).items()}
    rules: list[SubTypeRule] = []
    for etype, subs in (raw.get("types") or {}).items():
        for sub, spec in subs.items():
            where = f"types.{etype}.{sub}"
            spec = spec or {}
            unknown = set(spec) - {"priority", "triggers", "with", "unless"}
            if unknown:
                raise ConfigError(f"{path}: {where}: unknown keys {sorted(unknown)}")
            for name in list(spec.get("with", [])) + list(spec.get("unless", [])):
                if name not in lexicons and name not in blocking:
                    raise ConfigError(f"{path}: {where}: unknown lexicon {name!r}")
            rules.append(SubTypeRule(etype, sub, int(spec.get("priority", 0)),
                                     compile_all(where, spec.get("triggers") or []),
                                     list(spec.get("with", [])), list(spec.get("unless", []))))
    if len(rules) != 25:
        raise ConfigError(f"{path}: expected ACLED's 25 sub-types, found {len(rules)}")
    ontology = Ontology(
        not_event=raw["not_event"],
        non_event_classes=list(raw["non_event_classes"]),
        rules=rules,
        lexicons={**lexicons, **blocking},
        datasets={k: dict(v) for k, v in (raw.get("datasets") or {}).items()},
        source=str(path),
    )
    valid = set(ontology.classes)
    for ds, mapping in ontology.datasets.items():
        bad = sorted({v for v in mapping.values() if v not in valid})
        if bad:
            raise ConfigError(f"{path}: datasets.{ds}: labels not in the ontology: {bad}")
    return ontology
