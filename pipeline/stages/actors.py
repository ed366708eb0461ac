"""Actors stage: who is named in the article, under which canonical name, in which role.

Three sources, in priority order (an earlier one wins where spans overlap):
1. the dictionary (``configs/actors.yaml``): aliases and transliterations → one canonical actor;
2. state forces composed from a demonym and a force noun ("Iraqi counter-terrorism forces"),
   or a bare force noun ("security forces") resolved to the article's main country;
3. organisations spaCy finds that the dictionary lacks: passed through with their surface name
   and type ``None`` so a coder can see them (never dropped).

The role comes from the clause: subject of an active verb or ``by``-agent → actor1 (initiator);
object, passive subject, or object of "against"/"on" → actor2 (target); otherwise ``None``.
"""

from __future__ import annotations

import logging
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Optional

import yaml

from ..config import PROJECT_ROOT, ConfigPath, StageConfig
from ..data import ActorValue, AnnotatedDoc, Mention
from ..errors import ConfigError
from ..registry import register
from .base import Stage

log = logging.getLogger(__name__)

DEFAULT_DICTIONARY = PROJECT_ROOT / "configs" / "actors.yaml"
ACLED_TYPES = frozenset({
    "State forces", "Rebel group", "Political militia", "Identity militia",
    "Rioters", "Protesters", "Civilians", "External/Other forces",
})
# Generic actors take the article's country (ACLED writes "Protesters (Iraq)").
CONTEXT_COUNTRY_ACTORS = frozenset({"Protesters", "Rioters", "Civilians", "Unidentified Armed Group"})


@dataclass(frozen=True)
class ActorEntry:
    name: str
    type: str
    country: Optional[str]


@dataclass(frozen=True)
class Country:
    name: str
    code: str
    names: tuple[str, ...]
    demonyms: tuple[str, ...]
    the: bool = False  # "Military Forces of the Philippines"

    @property
    def display(self) -> str:
        return f"the {self.name}" if self.the else self.name


@dataclass
class ActorDictionary:
    """The parsed ``actors.yaml``: entries by canonical name, aliases, countries, force nouns."""

    entries: dict[str, ActorEntry]
    aliases: dict[str, str]  # alias as written → canonical name
    countries: list[Country]
    heads: dict[str, tuple[str, ...]]  # military / military_bare / police / police_bare
    agent_nouns: frozenset[str] = field(default_factory=frozenset)
    target_preps: frozenset[str] = field(default_factory=frozenset)
    protest_verbs: frozenset[str] = field(default_factory=frozenset)

    def __post_init__(self) -> None:
        self.folded = {a.lower(): n for a, n in self.aliases.items() if not _exact(a)}

    @classmethod
    def load(cls, path: Path) -> "ActorDictionary":
        try:
            raw = yaml.safe_load(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            raise ConfigError(f"{path}: actor dictionary not found (stages.actors.dictionary)") from None
        entries: dict[str, ActorEntry] = {}
        aliases: dict[str, str] = {}
        for i, item in enumerate(raw.get("state_forces", []) + raw.get("governments", []) + raw.get("actors", [])):
            where = f"{path}: entry {i} ({item.get('name')!r})"
            if item.get("type") not in ACLED_TYPES:
                raise ConfigError(f"{where}: type {item.get('type')!r} is not an ACLED actor type")
            entry = ActorEntry(item["name"], item["type"], item.get("country"))
            if entry.name in entries and entries[entry.name] != entry:
                raise ConfigError(f"{where}: defined twice with different type/country")
            entries[entry.name] = entry
            for alias in item.get("aliases", []):
                alias = str(alias)
                if aliases.get(alias, entry.name) != entry.name:
                    raise ConfigError(f"{where}: alias {alias!r} already belongs to {aliases[alias]!r}")
                aliases[alias] = entry.name
        countries = [
            Country(c["name"], c["code"], tuple(str(n) for n in c.get("names", [c["name"]])),
                    tuple(str(d) for d in c.get("demonyms", [])), bool(c.get("the", False)))
            for c in raw.get("countries", [])
        ]
        heads = {k: tuple(v) for k, v in raw.get("state_force_heads", {}).items()}
        for kind in ("military", "military_bare", "police", "police_bare"):
            if kind not in heads:
                raise ConfigError(f"{path}: state_force_heads.{kind} is missing")
        roles = raw.get("roles", {})
        return cls(entries, aliases, countries, heads,
                   frozenset(roles.get("agent_nouns", [])), frozenset(roles.get("target_preps", [])),
                   frozenset(raw.get("protest_verbs", [])))

    def country_by_code(self, code: str) -> Optional[Country]:
        return next((c for c in self.countries if c.code == code), None)


def _alternation(words) -> str:
    return "|".join(re.escape(w) for w in sorted(set(words), key=len, reverse=True))


def _exact(alias: str) -> bool:
    """Acronyms and coded names (ISIS, IS, M23) match case-sensitively; the rest ignore case."""
    return alias.upper() == alias or any(ch.isdigit() for ch in alias)


@dataclass
class Matchers:
    """Compiled regular expressions over the article text (tokenizer-independent)."""

    alias_exact: re.Pattern
    alias_fold: re.Pattern
    composed: re.Pattern  # "<demonym> [and <demonym>] [word] <head>"
    bare: re.Pattern
    country_mention: re.Pattern
    demonym_to_country: dict[str, Country]
    name_to_country: dict[str, Country]
    military_heads: frozenset[str]
    police_heads: frozenset[str]
    government_heads: frozenset[str]

    @classmethod
    def build(cls, d: ActorDictionary) -> "Matchers":
        exact = [a for a in d.aliases if _exact(a)]
        fold = [a for a in d.aliases if not _exact(a)]
        # "Islamic State-linked insurgents" names the group; "al-Shabaab" must not match inside "Shabaab-x"
        b = r"(?<![\w-])({})(?![\w]|-(?!(?:linked|backed|affiliated|allied|aligned|inspired|led|held|controlled)\b))"
        demonyms = {dem: c for c in d.countries for dem in c.demonyms}
        names = {n: c for c in d.countries for n in c.names}
        heads = set(d.heads["military"]) | set(d.heads["police"]) | set(d.heads.get("government", ()))
        dem = _alternation(list(demonyms) + list(names))
        composed = re.compile(
            rf"(?<![\w-])\[?(?P<dem>{dem})\]?(?:'s)?(?:(?:,\s*|\s+and\s+)\[?(?P<dem2>{dem})\]?(?:'s)?)?"
            rf"(?:\s+(?P<mod>[a-z][a-z-]+)){{0,1}}\s+(?P<head>(?i:{_alternation(heads)}))(?![\w-])"
        )
        bare = set(d.heads["military_bare"]) | set(d.heads["police_bare"])
        return cls(
            alias_exact=re.compile(b.format(_alternation(exact))),
            alias_fold=re.compile(b.format(_alternation(fold)), re.IGNORECASE),
            composed=composed,
            bare=re.compile(b.format(_alternation(bare)), re.IGNORECASE),
            country_mention=re.compile(b.format(_alternation(list(demonyms) + list(names)))),
            demonym_to_country={**names, **demonyms},
            name_to_country=names,
            military_heads=frozenset(h.lower() for h in d.heads["military"]),
            police_heads=frozenset(h.lower() for h in d.heads["police"]),
            government_heads=frozenset(h.lower() for h in d.heads.get("government", ())),
        )


class ActorsConfig(StageConfig):
    dictionary: ConfigPath = DEFAULT_DICTIONARY
    pass_through_orgs: bool = True  # unknown ORG entities become actors with type None


@register
class ActorsStage(Stage):
    name = "actors.v1"
    requires = frozenset({"doc"})
    provides = frozenset({"actors"})
    Config = ActorsConfig

    def _resources(self) -> tuple[ActorDictionary, Matchers]:
        path = Path(self.config.dictionary)

        def load() -> tuple[ActorDictionary, Matchers]:
            d = ActorDictionary.load(path)
            return d, Matchers.build(d)

        return self.resources.get(("actors.dictionary", str(path)), load)

    def warm_up(self) -> None:
        self._resources()

    def __call__(self, docs: list[AnnotatedDoc]) -> None:
        dictionary, matchers = self._resources()
        for doc in docs:
            doc.layers["actors"] = self.find(doc, dictionary, matchers)

    # --- one document -----------------------------------------------------

    def find(self, doc: AnnotatedDoc, d: ActorDictionary, m: Matchers) -> list[Mention]:
        text = doc.article.text
        country = main_country(text, m)
        found: list[tuple[int, int, ActorValue, str]] = []  # start, end, value, reason

        def free(s: int, e: int) -> bool:
            return all(e <= fs or s >= fe for fs, fe, _, _ in found)

        # 1. dictionary aliases, longest first
        hits = [(mt.start(1), mt.end(1), mt.group(1)) for mt in m.alias_exact.finditer(text)]
        hits += [(mt.start(1), mt.end(1), mt.group(1)) for mt in m.alias_fold.finditer(text)]
        for s, e, surface in sorted(hits, key=lambda h: (-(h[1] - h[0]), h[0])):
            if not free(s, e) or _in_capitals(text, s, e, surface):
                continue
            canonical = d.aliases.get(surface) or _fold_lookup(d, surface)
            entry = d.entries[canonical]
            generic = canonical in CONTEXT_COUNTRY_ACTORS
            if generic and not _is_np_head(doc, s, e):
                continue  # "civilian casualties", "protester numbers": a modifier, not an actor
            value = ActorValue(entry.name, entry.type, country if generic else entry.country)
            reason = "dictionary alias" + (f"; country from context ({country})" if generic and country else "")
            found.append((s, e, value, reason))
        # 2. "<demonym> ... forces/police": state forces of that country
        for mt in m.composed.finditer(text):
            head = mt.group("head").lower()
            kind = ("Government" if head in m.government_heads else
                    "Police" if head in m.police_heads and head not in m.military_heads else "Military")
            if not free(mt.start(), mt.end()):
                continue
            # "Iraqi and Syrian security forces": one mention per country, overlapping spans
            for grp in ("dem", "dem2"):
                if mt.group(grp) is None:
                    continue
                c = m.demonym_to_country[mt.group(grp)]
                name = f"Government of {c.display}" if kind == "Government" else f"{kind} Forces of {c.display}"
                entry = d.entries.get(name)
                if entry is None:
                    raise ConfigError(f"actor dictionary lacks {name!r} for demonym {mt.group(grp)!r}")
                found.append((mt.start(grp), mt.end(), ActorValue(name, entry.type, entry.country),
                              f"demonym {mt.group(grp)!r} + force noun {head!r}"))
        # 3. bare force nouns: the article's main country
        for mt in m.bare.finditer(text):
            s, e = mt.start(1), mt.end(1)
            if not free(s, e) or not _is_np_head(doc, s, e):
                continue
            head = mt.group(1).lower()
            kind = "Police" if head in {h.lower() for h in d.heads["police_bare"]} else "Military"
            if country is None:
                found.append((s, e, ActorValue(mt.group(1), "State forces", None),
                              f"bare force noun {head!r}; no country in context, surface name kept"))
                continue
            c = d.country_by_code(country)
            name = f"{kind} Forces of {c.display}"
            found.append((s, e, ActorValue(name, "State forces", country),
                          f"bare force noun {head!r}; country from context ({country})"))
        # 4. "500 relatives and activists marched": whoever marches or protests is Protesters
        for tok in doc.doc:
            if tok.dep_ == "nsubj" and tok.head.lemma_.lower() in d.protest_verbs and tok.pos_ == "NOUN" \
                    and tok.tag_ == "NNS":
                s, e = tok.left_edge.idx, tok.right_edge.idx + len(tok.right_edge.text)
                if free(s, e):
                    entry = d.entries["Protesters"]
                    found.append((s, e, ActorValue(entry.name, entry.type, country),
                                  f"subject of {tok.head.lemma_!r}" + (f"; country from context ({country})" if country else "")))
        # 5. organisations the dictionary lacks pass through
        if self.config.pass_through_orgs:
            for ent in doc.doc.ents:
                if ent.label_ == "ORG" and free(ent.start_char, ent.end_char):
                    found.append((ent.start_char, ent.end_char, ActorValue(ent.text, None, None),
                                  "ORG entity not in the dictionary: passed through"))
        mentions = []
        for s, e, value, reason in sorted(found, key=lambda f: f[0]):
            role, why = clause_role(doc, s, e, d)
            value.role = role
            mentions.append(Mention(s, e, text[s:e], "ACTOR", self.name, value,
                                    f"{reason}; role: {why}", doc.sent_of(s)))
        return mentions


def _fold_lookup(d: ActorDictionary, surface: str) -> str:
    # the regex only matches aliases, so a KeyError here is a bug, not data
    return d.folded[surface.lower()]


def _in_capitals(text: str, s: int, e: int, surface: str) -> bool:
    """An acronym inside an all-capitals headline ("MAN IS DEAD") is not the acronym."""
    if not _exact(surface):
        return False
    around = re.findall(r"[A-Za-z]+", text[max(0, s - 30):s] + " " + text[e:e + 30])
    words = [w for w in around if len(w) > 1]
    return len(words) >= 3 and sum(w.isupper() for w in words) >= len(words) - 1


def _span(doc: AnnotatedDoc, s: int, e: int):
    return doc.doc.char_span(s, e, alignment_mode="expand")


def _is_np_head(doc: AnnotatedDoc, s: int, e: int) -> bool:
    """True when the span heads its noun phrase: "police said" yes, "police car" no."""
    span = _span(doc, s, e)
    if span is None:
        return False
    root = span.root
    return root.pos_ in ("NOUN", "PROPN", "PRON") and root.dep_ not in ("compound", "amod", "nmod")


def main_country(text: str, m: Matchers) -> Optional[str]:
    """The most mentioned country (names and demonyms), first mentioned on ties."""
    codes = []
    for mt in m.country_mention.finditer(text):
        c = m.demonym_to_country.get(mt.group(1)) or m.name_to_country.get(mt.group(1))
        codes.append(c.code)
    if not codes:
        return None
    counts = Counter(codes)
    best = max(counts.values())
    return next(c for c in codes if counts[c] == best)


def clause_role(doc: AnnotatedDoc, s: int, e: int, d: ActorDictionary) -> tuple[Optional[str], str]:
    """(role, why) from the dependency path of the span's head to its clause."""
    span = _span(doc, s, e)
    if span is None:
        return None, "span not aligned to tokens"
    tok: Any = span.root
    for _ in range(8):
        dep = tok.dep_
        head = tok.head
        if dep in ("compound", "amod", "nmod", "appos", "conj", "nummod") and head.i != tok.i:
            tok = head
            continue
        if dep == "nsubj":
            if head.pos_ in ("VERB", "AUX") and head.lemma_ != "be":
                return "actor1", f"subject of {head.lemma_!r}"
            return None, "subject of a copula"
        if dep == "nsubjpass":
            return "actor2", f"passive subject of {head.lemma_!r}"
        if dep == "dobj" and head.pos_ == "VERB":
            return "actor2", f"object of {head.lemma_!r}"
        if dep == "poss":
            if head.lemma_.lower() in d.agent_nouns:
                return "actor1", f"possessor of {head.lemma_!r}"
            return None, "possessor"
        if dep == "pobj":
            prep = head
            if prep.dep_ == "agent" or (prep.lower_ == "by" and prep.head.lemma_.lower() in d.agent_nouns):
                return "actor1", f"by-agent of {prep.head.lemma_!r}"
            if prep.lower_ in d.target_preps and (prep.head.pos_ == "VERB" or prep.head.lemma_.lower() in d.agent_nouns):
                return "actor2", f"{prep.lower_!r}-object of {prep.head.lemma_!r}"
            if prep.lower_ == "of" and prep.head.pos_ in ("NOUN", "PROPN", "PRON", "NUM"):
                if prep.head.lemma_.lower() in d.agent_nouns:
                    return "actor2", f"of-object of {prep.head.lemma_!r}"
                tok = prep.head  # "members of the group": the role of "members"
                continue
            return None, f"object of {prep.lower_!r}"
        return None, f"no subject/object link ({dep})"
    return None, "no clause found"
