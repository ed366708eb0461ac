"""Actors stage: who is named in the article, under which canonical name, in which role.

Sources, in priority order (an earlier one wins where spans overlap):
1. the dictionary (``configs/actors.yaml``): aliases and transliterations → one canonical actor; a
   named group that modifies a noun ("RSF fighters", "Taliban officials") spans that noun;
2. state forces composed from a demonym and a force noun ("Iraqi counter-terrorism forces"),
   or a bare force noun ("security forces", "an army air strike") resolved to the article's main
   country (``main_country``); a country name acting militarily ("launched by Russia") or
   diplomatically ("Kyrgyzstan and Tajikistan agreed") is its armed forces or its government;
3. crowds from the clause: marchers and rally-goers are Protesters, a crowd that loots, burns or
   stones is Rioters; people killed or abducted are Civilians;
4. organisations spaCy finds that the dictionary lacks: passed through with their surface name
   and type ``None``, unless they are toponyms, datelines or news sources/monitors.

Generic phrases are then resolved by context: a parenthesis or appositive names them ("79 security
forces (Asayish)"), a definite one ("the attackers", "the militants") refers back to the nearest
armed group named before it. The source of a report ("police said", "according to residents") and
the subject of a negated verb ("police did not intervene") are left out, unless the source claims
the reported act ("the group said it had ...").

The role comes from the clause: subject of an active verb or ``by``-agent → actor1 (initiator);
object, passive subject, or object of "against"/"on" → actor2 (target); whoever is blamed for an
act → actor1; the later of coordinated parties to a clash or agreement → actor2; the owner of what
was hit ("a radar used by the Houthis") → actor2; civilians are always actor2; else ``None``.
"""

from __future__ import annotations

import logging
import re
from collections import Counter
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Optional


from ..config import PROJECT_ROOT, ConfigPath, StageConfig, read_yaml
from ..data import ActorValue, AnnotatedDoc, Mention, PlaceValue
from ..errors import ConfigError
from ..registry import register
from .base import CAPS, Stage

log = logging.getLogger(__name__)

DEFAULT_DICTIONARY = PROJECT_ROOT / "configs" / "actors.yaml"
ACLED_TYPES = frozenset({
    "State forces", "Rebel group", "Political militia", "Identity militia",
    "Rioters", "Protesters", "Civilians", "External/Other forces",
})
UNIDENTIFIED = "Unidentified Armed Group"
# Generic actors take the article's country (ACLED writes "Protesters (Iraq)").
CONTEXT_COUNTRY_ACTORS = frozenset({"Protesters", "Rioters", "Civilians", UNIDENTIFIED})
PEACEKEEPERS = "UN peacekeepers"  # resolved to the UN mission of the article's country
# Armed groups a definite description ("the militants") may refer back to.
ARMED_TYPES = frozenset({"Rebel group", "Political militia", "Identity militia"})
# "Islamic State-linked insurgents" names the group; "RSF-held town" names a territory, not an actor.
LINK_SUFFIXES = ("linked", "backed", "affiliated", "allied", "aligned", "inspired", "led")
PRONOUN_SUBJECTS = frozenset({"it", "they", "we", "he", "she"})
POSSESSIVE_PRONOUNS = frozenset({"its", "their", "our", "his", "her"})
DEFINITE = frozenset({"the", "this", "that", "these", "those"})
INDEFINITE = frozenset({"a", "an", "another"})
AMBIGUOUS_WINDOW = 2  # sentences back in which a police word makes "officers" police
NP_DEPS = ("compound", "amod", "nmod")
# "GOMA, Democratic Republic of Congo — ", "MOGADISHU — ": where the story is filed
DATELINE = re.compile(rf"[{CAPS}][{CAPS} .'-]+(?:,[^—\n]{{1,60}})?\s+(?:—|--|-)\s")


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


def _words(section: dict[str, Any], key: str, path: Path) -> frozenset[str]:
    words = section.get(key, []) or []
    if any(isinstance(w, bool) for w in words):
        raise ConfigError(f"{path}: {key} holds a yes/no value: quote words like \"on\", \"no\" "
                          "(YAML reads them as booleans)")
    return frozenset(str(w).lower() for w in words)


@dataclass
class ActorDictionary:
    """The parsed ``actors.yaml``: entries by canonical name, aliases, countries, force nouns, clause cues."""

    entries: dict[str, ActorEntry]
    aliases: dict[str, str]  # alias as written → canonical name
    countries: list[Country]
    heads: dict[str, tuple[str, ...]]  # military / military_bare / police / police_bare / government / compound_heads
    agent_nouns: frozenset[str] = field(default_factory=frozenset)
    target_preps: frozenset[str] = field(default_factory=frozenset)
    protest_verbs: frozenset[str] = field(default_factory=frozenset)
    # word lists by "section.key" (roles.report_verbs, crowds.riot_verbs, victims.nouns, ...)
    words: dict[str, frozenset[str]] = field(default_factory=dict)
    riot_objects: dict[str, frozenset[str]] = field(default_factory=dict)  # "set" → fire, alight, ablaze
    missions: dict[str, str] = field(default_factory=dict)  # country code → UN mission
    non_actor_names: frozenset[str] = field(default_factory=frozenset)
    anaphora_window: int = 5
    country_groups: dict[str, str] = field(default_factory=dict)  # country code → its separatist movement

    def __post_init__(self) -> None:
        self.folded = {a.lower(): n for a, n in self.aliases.items() if not _exact(a)}

    def w(self, key: str) -> frozenset[str]:
        return self.words.get(key, frozenset())

    @classmethod
    def load(cls, path: Path) -> "ActorDictionary":
        raw = read_yaml(path, "actor dictionary (stages.actors.dictionary)")
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
        words: dict[str, frozenset[str]] = {}
        for section in ("roles", "crowds", "victims", "anaphora", "country_agents", "non_actors", "state_bodies",
                        "country_groups"):
            for key, value in (raw.get(section) or {}).items():
                if isinstance(value, list):
                    words[f"{section}.{key}"] = _words(raw[section], key, path)
        if isinstance(raw.get("collective_heads"), list):
            words["collective_heads"] = _words(raw, "collective_heads", path)
        groups = (raw.get("country_groups") or {}).get("groups") or {}
        country_groups = {str(k): str(v) for k, v in groups.items()}
        for code, group in country_groups.items():
            if group not in entries:
                raise ConfigError(f"{path}: country_groups.groups.{code} names {group!r}, which has no entry")
        crowds = raw.get("crowds") or {}
        riot_objects = {str(v).lower(): frozenset(str(o).lower() for o in objs)
                        for v, objs in (crowds.get("riot_objects") or {}).items()}
        keepers = raw.get("peacekeepers") or {}
        missions = {str(k): str(v) for k, v in (keepers.get("missions") or {}).items()}
        for code, mission in missions.items():
            if mission not in entries:
                raise ConfigError(f"{path}: peacekeepers.missions.{code} names {mission!r}, which has no entry")
        if keepers.get("aliases"):
            entries[PEACEKEEPERS] = ActorEntry(PEACEKEEPERS, "External/Other forces", None)
            for alias in keepers["aliases"]:
                aliases[str(alias)] = PEACEKEEPERS
        return cls(entries, aliases, countries, heads,
                   words.get("roles.agent_nouns", frozenset()), words.get("roles.target_preps", frozenset()),
                   words.get("crowds.protest_verbs", frozenset()),
                   words, riot_objects, missions,
                   frozenset(str(n).lower() for n in (raw.get("non_actors") or {}).get("names", [])),
                   int((raw.get("anaphora") or {}).get("window", 5)), country_groups)

    def country_by_code(self, code: str) -> Optional[Country]:
        return next((c for c in self.countries if c.code == code), None)


def _alternation(words) -> str:
    return "|".join(re.escape(w) for w in sorted(set(words), key=len, reverse=True))


def _exact(alias: str) -> bool:
    """Acronyms and coded names (ISIS, IS, M23, LeT) match case-sensitively; the rest ignore case."""
    if alias.upper() == alias or any(ch.isdigit() for ch in alias):
        return True
    # mixed-case acronyms ("LeT", "JeM", "PDFs"): one word with two or more capitals
    return " " not in alias and sum(ch.isupper() for ch in alias) >= 2 and "-" not in alias


@dataclass
class Matchers:
    """Compiled regular expressions over the article text (tokenizer-independent)."""

    alias_exact: re.Pattern
    alias_fold: re.Pattern
    composed: re.Pattern  # "<demonym> [and <demonym>] [word] <head>"
    bare: re.Pattern
    country_mention: re.Pattern
    country_name: re.Pattern
    demonym_to_country: dict[str, Country]
    name_to_country: dict[str, Country]
    military_heads: frozenset[str]
    police_heads: frozenset[str]
    government_heads: frozenset[str]
    compound_heads: frozenset[str]
    police_words: re.Pattern  # police heads that are not ambiguous ("police", not "officers")

    @classmethod
    def build(cls, d: ActorDictionary) -> "Matchers":
        exact = [a for a in d.aliases if _exact(a)]
        fold = [a for a in d.aliases if not _exact(a)]
        b = r"(?<![\w-])({})(?![\w]|-(?!(?:" + "|".join(LINK_SUFFIXES) + r")\b))"
        demonyms = {dem: c for c in d.countries for dem in c.demonyms}
        names = {n: c for c in d.countries for n in c.names}
        heads = set(d.heads["military"]) | set(d.heads["police"]) | set(d.heads.get("government", ()))
        dem = _alternation(list(demonyms) + list(names))
        composed = re.compile(
            rf"(?<![\w-])\[?(?P<dem>{dem})\]?(?:'s)?(?:(?:,\s*|\s+and\s+)\[?(?P<dem2>{dem})\]?(?:'s)?)?"
            rf"(?:\s+(?P<mod>[a-z][a-z-]+)){{0,1}}\s+(?P<head>(?i:{_alternation(heads)}))(?![\w-])"
        )
        bare = set(d.heads["military_bare"]) | set(d.heads["police_bare"]) | set(d.heads.get("government_bare", ()))
        return cls(
            alias_exact=re.compile(b.format(_alternation(exact))),
            alias_fold=re.compile(b.format(_alternation(fold)), re.IGNORECASE),
            composed=composed,
            bare=re.compile(b.format(_alternation(bare)), re.IGNORECASE),
            country_mention=re.compile(b.format(_alternation(list(demonyms) + list(names)))),
            country_name=re.compile(b.format(_alternation(list(names)))),
            demonym_to_country={**names, **demonyms},
            name_to_country=names,
            military_heads=frozenset(h.lower() for h in d.heads["military"]),
            police_heads=frozenset(h.lower() for h in d.heads["police"]),
            government_heads=frozenset(h.lower() for h in d.heads.get("government", ())),
            compound_heads=frozenset(h.lower() for h in d.heads.get("compound_heads", ())),
            police_words=re.compile(b.format(_alternation(
                (set(d.heads["police"]) | set(d.heads["police_bare"])) - set(d.heads.get("ambiguous", ())))),
                re.IGNORECASE),
        )


class ActorsConfig(StageConfig):
    dictionary: ConfigPath = DEFAULT_DICTIONARY
    pass_through_orgs: bool = True  # unknown ORG entities become actors with type None


@dataclass
class _Hit:
    """A candidate actor mention before roles are read."""

    start: int
    end: int
    value: ActorValue
    reason: str
    generic: bool = False  # named by context (generic actor, bare force noun): a parenthesis may rename it
    initiator: str = ""  # why the clause does not decide the role: actor1 (a claimant, "the attackers")


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

    def find(self, doc: AnnotatedDoc, d: ActorDictionary, m: Matchers) -> list[Mention]:
        finder = _Finder(doc, d, m)
        hits = finder.run(self.config.pass_through_orgs)
        mentions = []
        for h in hits:
            if h.initiator:
                role, why = "actor1", h.initiator
            else:
                role, why = clause_role(doc, h.start, h.end, d)
            if h.value.type == "Civilians" and role != "actor2":
                role, why = "actor2", f"{why}, but civilians are the side violence is done to (ACLED: never actor1)"
            h.value.role = role
            mentions.append(Mention(h.start, h.end, doc.article.text[h.start:h.end], "ACTOR", self.name, h.value,
                                    f"{h.reason}; role: {why}", doc.sent_of(h.start)))
        return mentions


# --- one document -----------------------------------------------------------


class _Finder:
    """The actor mentions of one article, source by source, then resolved by context."""

    def __init__(self, doc: AnnotatedDoc, d: ActorDictionary, m: Matchers) -> None:
        self.doc, self.d, self.m = doc, d, m
        self.text = doc.article.text
        dateline = DATELINE.match(self.text)
        self.dateline_end = dateline.end() if dateline else 0
        self.country = main_country(doc, m, d)
        self.hits: list[_Hit] = []

    def run(self, pass_through_orgs: bool) -> list[_Hit]:
        self.dictionary()
        self.composed()
        self.bare()
        self.country_agents()
        self.crowds()
        self.victims()
        self.country_groups()
        if pass_through_orgs:
            self.organisations()
        self.hits.sort(key=lambda h: h.start)
        self.appositives()
        self.sources()  # before anaphora: a source ("the SDF said") is no antecedent of "the attackers"
        self.anaphora()
        self.sources()  # the phrases anaphora resolved may be sources too ("the group said")
        self.claimed_later()
        return self.hits

    # helpers
    def free(self, s: int, e: int) -> bool:
        return all(e <= h.start or s >= h.end for h in self.hits)

    def add(self, s: int, e: int, value: ActorValue, reason: str, generic: bool = False) -> None:
        self.hits.append(_Hit(s, e, value, reason, generic))

    def context(self) -> tuple[Optional[str], str]:
        """The country a generic actor takes ("Protesters (Iraq)"), and the reason's note."""
        return self.country, (f"; country from context ({self.country})" if self.country else "")

    def head_ok(self, s: int, e: int) -> tuple[bool, str]:
        """A force noun that heads its phrase ("police said"), or modifies an action, unit or post
        of the force ("an army air strike", "army engineers", "a police station"); not "police car"."""
        span = _span(self.doc, s, e)
        if span is None:
            return False, ""
        root = span.root
        if root.pos_ not in ("NOUN", "PROPN", "PRON") and not (root.pos_ == "ADJ" and root.dep_ in ("compound", "amod")):
            return False, ""  # "a junta air strike", "a military jet": the tagger may call the modifier an adjective
        if root.dep_ not in NP_DEPS:
            return True, ""
        top = root
        while top.dep_ in ("compound", "amod") and top.head.i != top.i:
            top = top.head
        if top.pos_ == "NOUN" and (top.lower_ in self.m.compound_heads or top.lemma_.lower() in self.m.compound_heads):
            return True, f"; modifies {top.lower_!r}"
        return False, ""

    # 1. dictionary aliases, longest first
    def dictionary(self) -> None:
        d, m, text = self.d, self.m, self.text
        found = [(mt.start(1), mt.end(1), mt.group(1)) for mt in m.alias_exact.finditer(text)]
        found += [(mt.start(1), mt.end(1), mt.group(1)) for mt in m.alias_fold.finditer(text)]
        for s, e, surface in sorted(found, key=lambda h: (-(h[1] - h[0]), h[0])):
            if not self.free(s, e) or _in_capitals(text, s, e, surface):
                continue
            canonical = d.aliases.get(surface) or _fold_lookup(d, surface)
            entry = d.entries[canonical]
            generic = canonical in CONTEXT_COUNTRY_ACTORS or canonical == PEACEKEEPERS
            if generic and not _is_np_head(self.doc, s, e):
                continue  # "civilian casualties", "protester numbers": a modifier, not an actor
            if generic and _is_predicate(self.doc, s, e):
                continue  # "they are not protesters, they are criminals": a description, not a referent
            if generic and self._owns_collective(s, e):
                log.debug("actors: %r left out: owner of a collective (part of a source's name)", surface)
                continue  # "a residents' association said": part of the name of a body
            reason = "dictionary alias"
            if canonical == PEACEKEEPERS:
                mission = d.missions.get(self.country or "")
                entry = d.entries[mission] if mission else entry
                reason += (f"; UN mission of the article's country ({self.country})" if mission
                           else "; no UN mission known for the article's country")
                value = ActorValue(entry.name, entry.type, entry.country)
            elif canonical in CONTEXT_COUNTRY_ACTORS:
                country, note = self.context()
                value = ActorValue(entry.name, entry.type, country)
                reason += note
            else:
                value = ActorValue(entry.name, entry.type, entry.country)
                e2 = self._extend(s, e)
                if e2 != e:
                    reason += f"; spans the noun it modifies ({text[e:e2].strip()!r})"
                    e = e2
                if self._linked_to_named(e, found, s):
                    log.debug("actors: %r left out: 'X-linked' modifier of another named group", surface)
                    continue
            self.add(s, e, value, reason, generic=canonical in CONTEXT_COUNTRY_ACTORS)

    def _owns_collective(self, s: int, e: int) -> bool:
        """"a residents' association", "the victims' relatives committee": the word owns a collective body."""
        span = _span(self.doc, s, e)
        if span is None:
            return False
        root = span.root
        return root.dep_ in ("poss", "compound") and _lemma(root.head) in self.d.w("collective_heads")

    def _extend(self, s: int, e: int) -> int:
        """"RSF fighters", "Taliban officials", "ISIS detainees": the named group modifies the noun
        right after it, and the mention spans that noun (the fighters and officials are the group's)."""
        span = _span(self.doc, s, e)
        if span is None:
            return e
        tok = span.root
        if tok.dep_ not in ("compound", "amod") or tok.head.i <= tok.i or tok.head.pos_ not in ("NOUN", "PROPN"):
            return e
        head = tok.head
        between = self.doc.doc[span.end:head.i]
        if any(t.dep_ not in ("compound", "amod") or t.head.i != head.i for t in between):
            return e
        end = head.idx + len(head)
        return end if self.free(e, end) else e

    def _linked_to_named(self, e: int, found: list[tuple[int, int, str]], s: int) -> bool:
        """"the al-Qaeda-linked al-Shabab group": a named group's affiliation is not a second actor."""
        if not self.text.startswith("-", e):
            return False
        tok = next((t for t in self.doc.doc if e < t.idx <= e + 2 and t.lower_ in LINK_SUFFIXES), None)
        if tok is None:
            return False
        head = tok.head
        if head.pos_ == "NOUN" and any(c.dep_ == "det" and c.lower_ in DEFINITE for c in head.children):
            return True  # "the al Qaeda-linked group, known as JNIM": a definite description of a group told elsewhere
        targets = [head, head.head] if head.dep_ == "appos" else [head]
        for t in targets:
            lo, hi = t.left_edge.idx, t.idx + len(t)
            if any(lo <= fs < hi and not (s <= fs < e) and fe <= hi for fs, fe, _ in found):
                return True
        # "JNIM, the al-Qaeda-linked alliance": the phrase is set beside the name by a comma
        before = self.text[:head.left_edge.idx].rstrip()
        if before.endswith(","):
            before = before[:-1].rstrip().rstrip(")").rstrip()
            return any(fe == len(before) and not (s <= fs < e) for fs, fe, _ in found)
        return False

    # 2. "<demonym> ... forces/police": state forces of that country
    def composed(self) -> None:
        d, m, text = self.d, self.m, self.text
        for mt in m.composed.finditer(text):
            head = mt.group("head").lower()
            mod = (mt.group("mod") or "").lower()
            kind = ("Government" if head in m.government_heads else
                    "Police" if head in m.police_heads and head not in m.military_heads and mod not in m.military_heads
                    else "Military")
            if not self.free(mt.start(), mt.end()):
                continue
            kind, note_kind = self._ambiguous_kind(head, kind, mt.start())
            ok, note = self.head_ok(mt.start("head"), mt.end("head"))
            if not ok:
                continue  # "Ukrainian military intelligence sources": a modifier of the speaker
            span = _span(self.doc, mt.start("head"), mt.end("head"))
            if span is not None and span.root.left_edge.idx > mt.start("dem") \
                    and not self._sibling_modifier(mt.start("dem"), span.root):
                continue  # "... in Iraq until government forces recaptured it": not one phrase
            if span is not None and span.root.left_edge.idx > mt.start("dem"):
                note += "; demonym and force noun modify the same noun"  # "Israeli army bulldozers"
            # "Iraqi and Syrian security forces": one mention per country, overlapping spans
            for grp in ("dem", "dem2"):
                if mt.group(grp) is None:
                    continue
                c = m.demonym_to_country[mt.group(grp)]
                name = f"Government of {c.display}" if kind == "Government" else f"{kind} Forces of {c.display}"
                entry = d.entries.get(name)
                if entry is None:
                    raise ConfigError(f"actor dictionary lacks {name!r} for demonym {mt.group(grp)!r}")
                start = mt.start() if grp == "dem" else mt.start(grp)
                self.add(start, mt.end(), ActorValue(name, entry.type, entry.country),
                         f"demonym {mt.group(grp)!r} + force noun {head!r}{note}{note_kind}")

    # 3. bare force nouns: the article's main country
    def bare(self) -> None:
        d, m = self.d, self.m
        police_bare = {h.lower() for h in d.heads["police_bare"]}
        for mt in m.bare.finditer(self.text):
            s, e = mt.start(1), mt.end(1)
            if not self.free(s, e):
                continue
            ok, note = self.head_ok(s, e)
            if not ok or self._owned_by_other(s, e):
                continue
            head = mt.group(1).lower()
            kind = "Police" if head in police_bare else "Military"
            span = _span(self.doc, s, e)
            if head in {h.lower() for h in d.heads.get("government_bare", ())}:
                verb = self._diplomatic_verb(span)
                gov = self._main_government() if verb is not None else None
                if gov is not None:  # not "the government has accused ...", "government spokesman"
                    self.add(s, e, gov, f"bare {head!r} as subject of the diplomatic act {verb!r}; country from "
                                        f"context ({self.country})", generic=True)
                continue
            if kind == "Police" and any(c.dep_ in NP_DEPS and c.lower_ in m.military_heads for c in span.root.children):
                kind, note = "Military", note + "; a military officer"
            else:
                kind, more = self._ambiguous_kind(head, kind, s)
                note += more
            if self.country is None or d.country_by_code(self.country) is None:
                self.add(s, e, ActorValue(mt.group(1), "State forces", None),
                         f"bare force noun {head!r}{note}; no country in context, surface name kept", generic=True)
                continue
            c = d.country_by_code(self.country)
            self.add(s, e, ActorValue(f"{kind} Forces of {c.display}", "State forces", self.country),
                     f"bare force noun {head!r}{note}; country from context ({self.country})", generic=True)

    def _diplomatic_verb(self, span: Any) -> Optional[str]:
        """The diplomatic verb ("sign", "agree") a bare "government" is the active subject of, if any."""
        if span is None:
            return None
        root = span.root
        verb = _subject_of(root)
        if verb is None or root.dep_ != "nsubj":
            return None
        verbs = self.d.w("country_agents.government_verbs")
        return next((_lemma(v) for v in [verb, *verb.conjuncts] if _lemma(v) in verbs), None)

    def _ambiguous_kind(self, head: str, kind: str, at: int) -> tuple[str, str]:
        """"officers" are police where the police are named in this sentence or the two before, else military."""
        if head not in {h.lower() for h in self.d.heads.get("ambiguous", ())} or kind == "Government":
            return kind, ""
        sent = self.doc.sent_of(at)
        lo = self.doc.sentences[max(0, sent - AMBIGUOUS_WINDOW)].start
        hi = self.doc.sentences[sent].end if self.doc.sentences else len(self.text)
        police = self.m.police_words.search(self.text[lo:hi])
        if police:
            return "Police", f"; police named in this sentence or the {AMBIGUOUS_WINDOW} before ({police.group(0)!r})"
        return "Military", "; no police named nearby: military officers"

    def _sibling_modifier(self, at: int, root: Any) -> bool:
        """"Israeli army bulldozers", "an Israeli drone strike": the demonym at ``at`` and the force noun
        both modify the same noun (the parser hangs the demonym on the noun, not on the force)."""
        span = _span(self.doc, at, at + 1)
        dem = span[0] if span is not None and span[0].idx == at else None
        return (dem is not None and root.dep_ in NP_DEPS and dem.dep_ in NP_DEPS and dem.head.i == root.head.i
                and dem.i < root.i)

    def _owned_by_other(self, s: int, e: int) -> bool:
        """"African Union troops", "Kurdish forces": a name other than a country's owns the force."""
        span = _span(self.doc, s, e)
        if span is None:
            return False
        for child in span.root.children:
            if child.dep_ in ("compound", "amod") and child.i < span.start and child.ent_type_ in ("ORG", "NORP") \
                    and not self.m.country_mention.fullmatch(child.text):
                return True
        return False

    # 4. country names that act: "launched by Russia", "Kyrgyzstan and Tajikistan agreed"
    def country_agents(self) -> None:
        d, m = self.d, self.m
        military, government = d.w("country_agents.military_verbs"), d.w("country_agents.government_verbs")
        for mt in m.country_name.finditer(self.text):
            s, e = mt.start(1), mt.end(1)
            if not self.free(s, e) or s < self.dateline_end:
                continue
            span = _span(self.doc, s, e)
            if span is None:
                continue
            tok = span.root
            while tok.dep_ == "conj" and tok.head.i != tok.i:
                tok = tok.head
            if tok.dep_ == "appos" and tok.head.idx < self.dateline_end:
                tok = tok.head  # "BISHKEK — Kyrgyzstan and Tajikistan agreed": the parser hangs them on the dateline
            verb = None
            if tok.dep_ == "nsubj":
                verb = tok.head
            elif tok.dep_ == "pobj" and tok.head.dep_ == "agent":
                verb = tok.head.head
            if verb is None or verb.pos_ not in ("VERB", "AUX"):
                continue
            lemma = verb.lemma_.lower()
            c = m.name_to_country[mt.group(1)]
            if lemma in military:
                name = f"Military Forces of {c.display}"
            elif lemma in government:
                name = f"Government of {c.display}"
            else:
                continue
            entry = d.entries.get(name)
            if entry is not None:
                what = "armed forces" if lemma in military else "government"
                self.add(s, e, ActorValue(name, entry.type, entry.country),
                         f"country name as the agent of {lemma!r}: its {what}")

    # 5. crowds: who marches is Protesters, a crowd that loots or burns is Rioters
    def crowds(self) -> None:
        d = self.d
        protest_nouns, riot_verbs = d.w("crowds.protest_nouns"), d.w("crowds.riot_verbs")
        crowd, crowd_names = d.w("crowds.crowd_nouns"), ("Protesters", "Civilians", "Rioters")
        armed_nouns = (d.w("anaphora.nouns") | d.w("anaphora.kind_modifiers") | {"gang", "gangs"}) - crowd
        for tok in self.doc.doc:
            if tok.pos_ not in ("NOUN", "PROPN") or tok.is_upper or tok.idx < self.dateline_end:
                continue
            name, why = None, ""
            if _lemma(tok) in armed_nouns:
                continue  # "gangs stormed the prison", "militants burned houses": armed, not a crowd
            verb = _subject_of(tok)
            relative = ""
            if verb is None:  # "worshippers who marched from the mosque": the relative clause's subject
                verb = next((c for c in tok.children if c.dep_ == "relcl" and any(
                    g.dep_ == "nsubj" and g.lower_ in ("who", "that") for g in c.children)), None)
                relative = " (relative clause)" if verb is not None else ""
            if verb is not None:
                verbs = [verb, *verb.conjuncts]
                riot = next((v for v in verbs if self._riot_verb(v, riot_verbs)), None)
                if riot is not None and (_lemma(tok) in crowd or self._generic_inside(tok, crowd_names)):
                    name, why = "Rioters", f"subject of {riot.lemma_!r}: a crowd using violence"
                elif (tok.tag_ == "NNS" or _lemma(tok) in crowd) and any(_lemma(v) in d.protest_verbs for v in verbs):
                    v = next(v for v in verbs if _lemma(v) in d.protest_verbs)
                    name, why = "Protesters", f"subject of {v.lemma_!r}{relative}"
                else:
                    v = next((v for v in verbs if self._governs_protest(v, protest_nouns)), None)
                    if v is not None and (tok.tag_ == "NNS" or _lemma(tok) in crowd):
                        name, why = "Protesters", f"subject of {v.lemma_!r} a protest"
            elif tok.dep_ == "pobj" and tok.head.lower_ == "by" and _protest_before(self.doc, tok.head, d):
                name, why = "Protesters", f"by-agent of {_protest_before(self.doc, tok.head, d)[1]!r}"
            elif tok.dep_ == "poss" and _lemma(tok.head) in protest_nouns:
                name, why = "Protesters", f"possessor of {tok.head.lower_!r}"
            if name is None:
                continue
            s, e = _np_bounds(tok, appositives=True)  # "200 people, many of them women": one crowd
            s = max(s, self.dateline_end)
            inside = [h for h in self.hits if s <= h.start and h.end <= e]
            if any(not h.generic or h.value.name == name or h.value.type not in crowd_names for h in inside) or not all(
                    h in inside for h in self.hits if not (h.end <= s or h.start >= e)):
                continue  # a named actor or the same crowd is already there, or a mention crosses the phrase
            for h in inside:  # "students marched": the marchers are Protesters, not Civilians
                self.hits.remove(h)
            entry = d.entries[name]
            country, note = self.context()
            self.add(s, e, ActorValue(entry.name, entry.type, country), why + note, generic=True)

    def _riot_verb(self, v: Any, riot_verbs: frozenset[str]) -> bool:
        lemma = v.lemma_.lower()
        if lemma in riot_verbs:
            return True
        objects = self.d.riot_objects.get(lemma)
        return bool(objects) and any(_lemma(t) in objects for t in v.subtree if t.i > v.i and t.i - v.i <= 4)

    def _governs_protest(self, v: Any, protest_nouns: frozenset[str]) -> bool:
        """"ended a three-day sit-in", "took part in the protest", "held a rally"."""
        for child in v.children:
            if child.dep_ == "dobj" and child.pos_ != "PROPN" and _lemma(child) in protest_nouns:
                return True
            if child.dep_ in ("prep", "dobj"):
                for g in child.children:
                    if g.dep_ == "prep" and g.lower_ == "in":
                        child = g
                if child.dep_ == "prep" and child.lower_ == "in":
                    if any(o.dep_ == "pobj" and o.pos_ != "PROPN" and _lemma(o) in protest_nouns for o in child.children):
                        return True
        return False

    def _generic_inside(self, tok: Any, names: tuple[str, ...]) -> bool:
        s, e = _np_bounds(tok)
        return any(s <= h.start and h.end <= e and h.value.name in names for h in self.hits)

    # 6. people killed or abducted are civilians
    def victims(self) -> None:
        d = self.d
        nouns, verbs, passive = d.w("victims.nouns"), d.w("victims.verbs"), d.w("victims.passive_verbs")
        entry = d.entries.get("Civilians")
        if entry is None:
            return
        for tok in self.doc.doc:
            if tok.pos_ != "NOUN" or _lemma(tok) not in nouns and tok.lower_ not in nouns:
                continue
            verb = tok.head
            participle = next((c for c in tok.children if c.dep_ == "acl" and c.tag_ == "VBN" and c.i > tok.i
                               and _lemma(c) in verbs), None)
            if participle is not None:
                verb = participle  # "the number of people killed when a bomber ...": the participle's object
            elif not ((tok.dep_ == "dobj" and verb.lemma_.lower() in verbs)
                      or (tok.dep_ == "nsubjpass" and verb.lemma_.lower() in passive)):
                continue
            s, e = tok.left_edge.idx, tok.right_edge.idx + len(tok.right_edge)
            if not self.free(tok.idx, tok.idx + len(tok)) or any(s <= h.start < e for h in self.hits):
                continue  # "killing nine people, including six police officers": the phrase names them
            if self._armed_target(verb):
                continue  # "struck rebel vehicles, killing seven people": the dead are the group's
            country, note = self.context()
            self.add(tok.idx, tok.idx + len(tok), ActorValue(entry.name, entry.type, country),
                     f"{'participle' if participle is not None else 'object' if tok.dep_ == 'dobj' else 'passive subject'}"
                     f" of {verb.lemma_!r}: "
                     f"unarmed people the act was done to{note}", generic=True)

    def _armed_target(self, verb: Any) -> bool:
        """The act that ``verb`` ("killing") follows from targets an armed group or a state force."""
        armed = self.d.w("anaphora.nouns") | self.d.w("anaphora.kind_modifiers")
        parent = verb.head if verb.dep_ in ("advcl", "conj", "xcomp") else None
        if parent is None:
            return False
        for obj in parent.children:
            if obj.dep_ not in ("dobj", "nsubjpass"):
                continue
            if _lemma(obj) in armed or any(c.dep_ in NP_DEPS and _lemma(c) in armed for c in obj.children):
                return True
            if any(h.start <= obj.idx < h.end and h.value.type not in (None, "Civilians") for h in self.hits):
                return True
        return False

    # 7. organisations the dictionary lacks pass through
    def organisations(self) -> None:
        places = [(p.start, p.end) for p in self.doc.layer("places")]
        heads = self.d.w("non_actors.heads")
        for ent in self.doc.doc.ents:
            if ent.label_ != "ORG" or not self.free(ent.start_char, ent.end_char):
                continue
            s, e = ent.start_char, ent.end_char
            why = None
            if s < self.dateline_end or any(ps < e and s < pe for ps, pe in places):
                why = "a place name"
            elif not any(ch.isupper() for ch in ent.text) or self.m.country_mention.fullmatch(ent.text):
                why = "not a name of an organisation"
            else:
                bare_name = re.sub(r"^the\s+", "", ent.text, flags=re.IGNORECASE).lower()
                if bare_name in self.d.non_actor_names or any(t.lower_ in heads for t in ent):
                    why = "a news source or monitor"
            if why:
                log.debug("actors: ORG %r not passed through: %s", ent.text, why)
                continue
            gov = self._state_body(ent)
            if gov is not None:
                self.add(s, e, gov, f"ORG entity headed by {ent.root.lower_!r}: a state body, the government of "
                                    f"the article's main country ({self.country})", generic=True)
                continue
            self.add(s, e, ActorValue(ent.text, None, None), "ORG entity not in the dictionary: passed through")

    def _state_body(self, ent: Any) -> Optional[ActorValue]:
        """"the General Authority for ...", "the Interior Ministry": the main country's government."""
        if _lemma(ent.root) not in self.d.w("state_bodies.heads"):
            return None
        return self._main_government()

    def _main_government(self) -> Optional[ActorValue]:
        """The government of the article's main country, when the dictionary has it."""
        c = self.d.country_by_code(self.country) if self.country else None
        entry = self.d.entries.get(f"Government of {c.display}") if c else None
        return ActorValue(entry.name, entry.type, entry.country) if entry else None

    # 5b. "separatist fighters" in an article about a country with one separatist movement
    def country_groups(self) -> None:
        group = self.d.country_groups.get(self.country or "")
        phrases = self.d.w("country_groups.phrases")
        if group is None or not phrases:
            return
        entry = self.d.entries[group]
        pattern = re.compile(r"(?<![\w-])(" + _alternation(phrases) + r")(?![\w-])", re.IGNORECASE)
        for mt in pattern.finditer(self.text):
            s, e = mt.start(1), mt.end(1)
            if s < self.dateline_end or not self.free(s, e) or not _is_np_head(self.doc, s, e):
                continue
            self.add(s, e, ActorValue(entry.name, entry.type, entry.country),
                     f"generic {mt.group(1)!r} in an article about {self.country}: its separatist movement "
                     f"(country_groups)")

    # --- resolution by context ------------------------------------------------

    def appositives(self) -> None:
        """"79 security forces (Asayish)", "government forces, the Tatmadaw,": the name given wins."""
        named = [h for h in self.hits if not h.generic and h.value.type is not None]
        for h in self.hits:
            if not h.generic:
                continue
            paren = re.match(r"\s*\(\s*", self.text[h.end:])
            target = None
            if paren:
                at = h.end + paren.end()
                target = next((n for n in named if n.start == at), None)
            if target is None:
                span = _span(self.doc, h.start, h.end)
                if span is not None:
                    # "government forces, the Tatmadaw,"; "gunmen of the 400 Mawozo gang"; "the attackers,
                    # from Ahlu Sunnah Wal Jamaa,"; "the gunmen belonged to the CJNG"
                    root = span.root
                    named_by = [c for c in root.children if c.dep_ == "appos"]
                    named_by += [o for c in root.children if c.dep_ == "prep" and c.lower_ in ("of", "from")
                                 for o in c.children if o.dep_ == "pobj"]
                    if root.dep_ == "nsubj" and _lemma(root.head) in self.d.w("anaphora.membership_verbs"):
                        named_by += [o for c in root.head.children if c.dep_ == "prep" and c.lower_ in ("to", "of")
                                     for o in c.children if o.dep_ == "pobj"]
                    for child in named_by:
                        target = next((n for n in named if n.start <= child.idx < n.end), None)
                        if target:
                            break
            if target is not None:
                h.value = replace(target.value)
                h.generic = False
                h.reason += (f"; named by its parenthesis/appositive/'of', 'from' or 'belong to' phrase "
                             f"{self.text[target.start:target.end]!r}")

    def anaphora(self) -> None:
        """"The attackers", "the militants", "cartel gunmen", "rebel vehicles": the armed group the phrase
        is named by ("the rebel coalition, known as the CSP"), else the nearest one named before it."""
        d = self.d
        nouns, dets, kinds = d.w("anaphora.nouns"), d.w("anaphora.determiners"), d.w("anaphora.kind_modifiers")
        kind_nouns, relational = d.w("anaphora.kind_nouns"), d.w("anaphora.relational")
        candidates: list[tuple[int, int, Any, Optional[_Hit]]] = []
        for tok in self.doc.doc:
            if tok.pos_ not in ("NOUN", "ADJ"):
                continue
            if _lemma(tok) in kinds and tok.dep_ in NP_DEPS and _lemma(tok.head) in self.m.compound_heads \
                    and self.free(tok.idx, tok.head.idx + len(tok.head)):
                candidates.append((tok.idx, tok.head.idx + len(tok.head), tok, None))  # "rebel vehicles"
                continue
            kind_only = tok.lower_ in kind_nouns or _lemma(tok) in kind_nouns
            if tok.pos_ != "NOUN" or not (kind_only or tok.lower_ in nouns or _lemma(tok) in nouns):
                continue
            s, e = tok.idx, tok.idx + len(tok)
            own = next((h for h in self.hits if h.start <= s < h.end), None)
            if own is not None and not (own.generic and own.value.name == UNIDENTIFIED):
                continue
            words = {c.lower_ for c in tok.children if c.i < tok.i}
            inside = set(re.findall(r"[a-z]+", self.text[own.start:own.end].lower())) if own else set()
            # "an attacker threw a grenade": an indefinite doer is not anaphoric, it stays unidentified
            relational_ok = _lemma(tok) in relational and not words & INDEFINITE
            definite = bool(words & dets or words & POSSESSIVE_PRONOUNS or relational_ok)
            kind = bool((words | inside) & kinds)
            # "the rebel coalition" needs both; "cartel gunmen" a kind; "militant groups" is a class, not a referent
            if not ((definite and kind) if kind_only else (definite or (kind and _lemma(tok) != "group"))):
                continue
            candidates.append((own.start if own else s, own.end if own else e, tok, own))
        for s, e, tok, own in candidates:
            ante, how = self._named_by(tok), "is named by"
            if ante is None:
                ante, how = self._antecedent(s, tok, _lemma(tok) in relational), "refers back to"
            if ante is None or (ante.value.name == UNIDENTIFIED and own is not None):
                continue
            note = f"{how} {self.text[ante.start:ante.end]!r} ({ante.value.name})"
            if own is None and self.free(s, e):
                own = _Hit(s, e, replace(ante.value), f"armed-group phrase {self.text[s:e]!r} {note}")
                self.hits.append(own)
                self.hits.sort(key=lambda h: h.start)
            elif own is not None:
                own.value = replace(ante.value)
                own.reason += f"; {note}"
                own.generic = False
            else:
                continue
            if _lemma(tok) in relational:
                own.initiator = f"{tok.lower_!r} names the doer of the attack"

    def claimed_later(self) -> None:
        """"A suicide bomber struck a market ... The BLA claimed the attack": an unnamed perpetrator
        (Unidentified Armed Group) is the group that claims the act, is blamed for it, or is said to be the
        perpetrators' group in a later sentence within the anaphora window (ACLED codes the claimed or
        attributed group)."""
        attributed = [(h, why) for h in self.hits for why in [self._attribution(h)] if why]
        if not attributed:
            return
        for h in self.hits:
            if h.value.name != UNIDENTIFIED:
                continue
            sent = self.doc.sent_of(h.start)
            later = next(((a, why) for a, why in attributed if a.start > h.end
                          and 0 <= self.doc.sent_of(a.start) - sent <= self.d.anaphora_window), None)
            if later is None:
                continue
            a, why = later
            h.value = replace(a.value, role=None)
            h.generic = False
            h.reason += (f"; the unnamed perpetrator is {self.text[a.start:a.end]!r} ({a.value.name}), "
                         f"who {why} later in the article")

    def _attribution(self, h: _Hit) -> str:
        """Why ``h`` is named as the doer of an act ("claims the act", "is blamed for it"), or ""."""
        if h.value.name in CONTEXT_COUNTRY_ACTORS or h.value.type not in ARMED_TYPES | {"State forces"}:
            return ""
        if h.value.type == "State forces" and h.value.country is None:
            return ""
        if "claims the reported act" in h.initiator:
            return "claims the act"
        role, why = clause_role(self.doc, h.start, h.end, self.d)
        if role == "actor1" and why.startswith("blamed for the act"):
            return "is blamed for it"
        if role == "actor1" and why.startswith("subject of 'claim'"):
            if self._habitual_claim(h):
                return ""  # "the BRN rarely claims attacks": no claim of this act
            return "claims it"
        span = _span(self.doc, h.start, h.end)
        if span is not None and span.root.dep_ == "pobj" and span.root.head.head.dep_ != "nsubj":
            verb = span.root.head.head
            if _lemma(verb) in self.d.w("anaphora.membership_verbs") and any(
                    c.dep_ == "nsubj" and any(u.start <= c.idx < u.end and u.value.name == h.value.name
                                              for u in self.hits) for c in verb.children):
                return f"is said to be their group ({verb.lemma_!r})"
        return ""

    def _habitual_claim(self, h: _Hit) -> bool:
        """"The BRN rarely claims attacks", "the group did not claim it": a negated or habitual claim."""
        span = _span(self.doc, h.start, h.end)
        if span is None:
            return False
        verb = span.root.head
        habitual = self.d.w("roles.habitual_adverbs")
        return any(c.dep_ == "neg" or (c.dep_ == "advmod" and c.lower_ in habitual) for c in verb.children)

    def _named_by(self, tok: Any) -> Optional[_Hit]:
        """"The rebel coalition, known as the Permanent Strategic Framework (CSP)": the name it is given."""
        names = []
        for c in tok.children:
            if c.dep_ == "appos":
                names.append(c)
            elif c.dep_ == "acl" and c.lemma_.lower() in ("know", "call", "name"):
                # "known as the CSP", "known by its acronym JNIM": any name inside the phrase
                names += [t for p in c.children if p.lower_ in ("as", "by") for o in p.children if o.dep_ == "pobj"
                          for t in o.subtree]
        starts = [n.idx for n in names]
        # "the largest rebel group in the south, the Moro Islamic Liberation Front": set beside it by a comma
        last = max([tok] + [c.right_edge for c in tok.children if c.dep_ == "prep" and c.i > tok.i], key=lambda t: t.i)
        end = last.idx + len(last)
        after = re.match(r"\s*[,(]\s*(?:the\s+)?", self.text[end:])
        if after:
            starts.append(end + after.end())
        for at in starts:
            hit = next((h for h in self.hits if h.start <= at < h.end and h.value.type in ARMED_TYPES
                        and not h.generic), None)
            if hit is not None:
                return hit
        return None

    def _antecedent(self, s: int, tok: Any, doer: bool) -> Optional[_Hit]:
        """The nearest armed group named before ``s`` within the window, not the subject of a clause that
        holds the phrase ("Taliban officials said they detained a man accused of sheltering the attacker":
        the attacker is not the Taliban). "The attackers" (``doer``) are the nearest group that acted."""
        sent = self.doc.sent_of(s)
        before = [h for h in self.hits if h.end <= s and h.value.type in ARMED_TYPES
                  and sent - self.doc.sent_of(h.start) <= self.d.anaphora_window]
        if doer:
            acting = [h for h in before if clause_role(self.doc, h.start, h.end, self.d)[0] == "actor1"]
            before = acting or before

        def subject(h: _Hit) -> bool:
            span = _span(self.doc, h.start, h.end)
            return span is not None and span.root.dep_ in ("nsubj", "nsubjpass")

        # the nearest sentence first, its subject before other mentions (a new sentence continues its topic)
        for h in sorted(before, key=lambda h: (sent - self.doc.sent_of(h.start), not subject(h), -h.start)):
            span = _span(self.doc, h.start, h.end)
            verb = _subject_of(span.root) if span is not None else None
            if verb is not None and tok in verb.subtree:
                continue
            return h
        return None

    def sources(self) -> None:
        """"police said", "according to residents": the source of a report is not an actor of it;
        "the group said it had carried out the attack" claims the act (actor1)."""
        d = self.d
        report, attribution = d.w("roles.report_verbs"), d.w("roles.attribution_verbs")
        kept = []
        for h in self.hits:
            negated = _negated_subject(self.doc, h.start, h.end)
            if negated:
                log.debug("actors: %r (%s) left out: %s", self.text[h.start:h.end], h.value.name, negated)
                continue
            # civilians who report what they did ("residents said they fled") claim no political act
            verdict, why = _report_source(self.doc, h.start, h.end, report, attribution, d.w("roles.speaker_nouns"),
                                          self.dateline_end, d.w("roles.perception_verbs"),
                                          can_claim=h.value.type != "Civilians")
            if verdict == "source":
                log.debug("actors: %r (%s) left out: %s", self.text[h.start:h.end], h.value.name, why)
                continue
            if verdict == "claim":
                h.initiator = why
            kept.append(h)
        self.hits = kept


def _fold_lookup(d: ActorDictionary, surface: str) -> str:
    # the regex only matches aliases, so a KeyError here is a bug, not data
    return d.folded[surface.lower()]


def _lemma(tok: Any) -> str:
    return tok.lemma_.lower()


def _in_capitals(text: str, s: int, e: int, surface: str) -> bool:
    """An acronym inside an all-capitals headline ("MAN IS DEAD") is not the acronym."""
    if not _exact(surface):
        return False
    around = re.findall(r"[A-Za-z]+", text[max(0, s - 30):s] + " " + text[e:e + 30])
    words = [w for w in around if len(w) > 1]
    return len(words) >= 3 and sum(w.isupper() for w in words) >= len(words) - 1


def _span(doc: AnnotatedDoc, s: int, e: int):
    span = doc.doc.char_span(s, e, alignment_mode="expand")
    return span if span is not None and len(span) else None


def _is_np_head(doc: AnnotatedDoc, s: int, e: int) -> bool:
    """True when the span heads its noun phrase: "police said" yes, "police car" no."""
    span = _span(doc, s, e)
    if span is None:
        return False
    root = span.root
    return root.pos_ in ("NOUN", "PROPN", "PRON") and root.dep_ not in NP_DEPS


def _is_predicate(doc: AnnotatedDoc, s: int, e: int) -> bool:
    """"They are not protesters", "whether they were fighters or civilians": a description, not a referent."""
    span = _span(doc, s, e)
    if span is None:
        return False
    tok = span.root
    while tok.dep_ == "conj" and tok.head.i != tok.i:
        tok = tok.head
    return tok.dep_ in ("attr", "acomp") and tok.head.lemma_ == "be"


def _subject_of(tok: Any) -> Optional[Any]:
    """The verb ``tok`` is the subject of; also a finite clause parsed as hanging on the noun
    ("PORT-AU-PRINCE — A crowd ... beat ...": the dateline makes "beat" an acl of "crowd")."""
    if tok.dep_ == "nsubj" and tok.head.pos_ in ("VERB", "AUX"):
        return tok.head
    return next((c for c in tok.children if c.dep_ == "acl" and c.tag_ in ("VBD", "VBZ", "VBP") and c.i > tok.i), None)


def _np_bounds(tok: Any, appositives: bool = False) -> tuple[int, int]:
    """Character bounds of the noun phrase ``tok`` heads: modifiers, "of" phrases and coordinated nouns,
    without relative or participle clauses ("graduates and residents blocking a road" → "graduates and residents")."""
    keep = [tok]
    todo = [tok]
    skip = ("acl", "relcl", "advcl", "punct", "cc") + (() if appositives else ("appos",))
    while todo:
        t = todo.pop()
        for c in t.children:
            if c.dep_ in skip and c.i > tok.i:
                if c.dep_ == "cc" and any(x.dep_ == "conj" for x in t.children):
                    keep.append(c)
                continue
            if c.dep_ == "prep" and c.lower_ not in ("of",):
                continue
            keep.append(c)
            todo.append(c)
    first, last = min(keep, key=lambda t: t.i), max(keep, key=lambda t: t.i)
    return first.idx, last.idx + len(last)


def _report_source(doc: AnnotatedDoc, s: int, e: int, report: frozenset[str], attribution: frozenset[str],
                   speakers: frozenset[str], dateline_end: int = 0, perception: frozenset[str] = frozenset(),
                   can_claim: bool = True) -> tuple[Optional[str], str]:
    """("source" | "claim" | None, why): is the span the speaker of a report or an attribution?
    A phrase the parser hangs on the dateline ("BAMAKO — A crowd ...") is not the dateline's speaker."""
    span = _span(doc, s, e)
    if span is None:
        return None, ""
    tok = span.root
    for _ in range(8):
        dep, head = tok.dep_, tok.head
        if head.i == tok.i:
            return None, ""
        if head.idx < dateline_end:
            return None, ""
        if dep in ("appos", "conj"):
            tok = head
            continue
        if dep in ("compound", "amod", "nmod", "poss") and (head.pos_ == "PROPN" or _lemma(head) in speakers
                                                            or head.lower_ in speakers):
            tok = head  # "Taliban officials said", "the army's spokesman said"
            continue
        if dep == "pobj":
            prep = head
            if prep.lower_ == "to" and prep.head.lower_ == "according":
                return "source", "inside 'according to': the source of the report"
            if prep.lower_ in ("of", "for", "from") and (prep.head.pos_ == "PROPN" or _lemma(prep.head) in speakers):
                tok = prep.head  # "a spokesman for the army", "Colonel X of the Daquq police"
                continue
            return None, ""
        if dep == "nsubj" and head.pos_ in ("VERB", "AUX"):
            lemma = _lemma(head)
            if lemma in attribution:
                return "source", f"subject of {lemma!r}: attributes the act to another"
            if lemma in report or lemma == "claim":
                claimed = _claimed_clause(head, perception)
                if claimed and can_claim:
                    return "claim", f"claims the reported act (subject of {lemma!r}; {claimed})"
                if lemma == "claim":
                    return None, ""  # "IS claimed the attack": the claimant is the initiator
                return "source", f"subject of {lemma!r}: the source of the report"
        return None, ""
    return None, ""


def _negated_subject(doc: AnnotatedDoc, s: int, e: int) -> str:
    """"police did not intervene", "the RSF did not respond": the subject of a negated verb takes no part."""
    span = _span(doc, s, e)
    if span is None:
        return ""
    tok = span.root
    while tok.dep_ in ("conj", "appos", "compound") and tok.head.i != tok.i:
        tok = tok.head
    verb = _subject_of(tok)
    if verb is not None and any(c.dep_ == "neg" for c in verb.children):
        return f"subject of negated {verb.lemma_!r}: takes no part"
    return ""


def _claimed_clause(verb: Any, perception: frozenset[str]) -> str:
    """"said it had taken control", "said its fighters had fired the shells": the reported clause's
    subject is the speaker itself ("said they heard gunfire" reports a perception, not an act)."""
    for clause in verb.children:
        if clause.dep_ not in ("ccomp", "xcomp") or _lemma(clause) in perception:
            continue
        for subj in clause.children:
            if subj.dep_ not in ("nsubj", "nsubjpass"):
                continue
            if subj.lower_ in PRONOUN_SUBJECTS:
                return f"reported subject {subj.text!r}"
            if any(c.dep_ == "poss" and c.lower_ in POSSESSIVE_PRONOUNS for c in subj.children):
                return f"reported subject {' '.join(t.text for t in subj.subtree if t.i <= subj.i)!r}"
            # "one of its fighters", "some of our men": a part of the speaker's own people
            for of in (c for c in subj.children if c.dep_ == "prep" and c.lower_ == "of"):
                for obj in (o for o in of.children if o.dep_ == "pobj"):
                    if any(c.dep_ == "poss" and c.lower_ in POSSESSIVE_PRONOUNS for c in obj.children):
                        return f"reported subject {' '.join(t.text for t in subj.subtree)!r}"
    return ""


def main_country(doc: AnnotatedDoc, m: Matchers, d: Optional[ActorDictionary] = None) -> Optional[str]:
    """The country a generic actor ("police", "protesters") belongs to: the dateline's country when the
    story mentions that country again (a bureau's city alone does not count); else the most frequent
    country of the resolved places (the places stage, when it ran); else the most mentioned country name
    or demonym; first mentioned on ties."""
    text = doc.article.text
    known = {c.code for c in d.countries} if d is not None else None
    places = [p for p in doc.layer("places") if isinstance(p.value, PlaceValue) and p.value.country_code
              and not p.value.stand_in and (known is None or p.value.country_code in known)]
    named = []
    for mt in m.country_mention.finditer(text):
        c = m.demonym_to_country.get(mt.group(1)) or m.name_to_country.get(mt.group(1))
        named.append(c.code)
    dateline = DATELINE.match(text)
    if dateline:
        first = next((p for p in places if p.start < dateline.end()), None)
        if first is not None:
            code = first.value.country_code
            again = [p for p in places if p.start >= dateline.end() and p.value.country_code == code]
            if again or named.count(code) > (1 if m.country_mention.search(text, 0, dateline.end()) else 0):
                return code
    codes = [p.value.country_code for p in places if p.label != "DEMONYM"] or named
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
    reciprocal, attribution = d.w("roles.reciprocal_words"), d.w("roles.attribution_verbs")
    tok: Any = span.root
    later = False  # a later conjunct: "X and Y clashed" → Y is actor2
    via = ""  # "owner of 'radar'", "holds the 'rally'": the noun whose role the span takes
    for _ in range(10):
        dep = tok.dep_
        head = tok.head
        verb = _subject_of(tok) if dep != "nsubj" else None
        if verb is not None:
            return "actor1", f"subject of {verb.lemma_!r} (a clause parsed as hanging on the noun){via}"
        if dep == "conj" and head.i != tok.i:
            later = True
            tok = head
            continue
        if dep in ("compound", "amod", "nmod", "appos", "nummod") and head.i != tok.i:
            tok = head
            continue
        if dep == "nsubj":
            if head.pos_ in ("VERB", "AUX") and head.lemma_ != "be":
                if later and _lemma(head) in reciprocal:
                    return "actor2", f"later party to {head.lemma_!r}{via}"
                return "actor1", f"subject of {head.lemma_!r}{via}"
            return None, "subject of a copula"
        if dep == "nsubjpass":
            return "actor2", f"passive subject of {head.lemma_!r}{via}"
        if dep == "dobj" and head.pos_ == "VERB":
            if _lemma(head) in attribution:
                return "actor1", f"blamed for the act (object of {head.lemma_!r})"
            return "actor2", f"object of {head.lemma_!r}{via}"
        if dep == "poss":
            if head.lemma_.lower() in d.agent_nouns:
                return "actor1", f"possessor of {head.lemma_!r}{via}"
            return None, "possessor"
        if dep == "pobj":
            prep = head
            over = prep.head
            if prep.dep_ == "agent" and over.dep_ == "acl" and over.tag_ == "VBN" and over.head.i != over.i:
                # "hit a radar used by the Houthis", "a wing controlled by Los Choneros": what is theirs
                # was hit, so they take the role of the noun the participle describes
                tok, via = over.head, f", as owner of {over.head.lower_!r}"
                continue
            protest = _protest_before(doc, prep, d) if prep.lower_ == "by" else None
            if protest is not None and not via:
                # "opened fire on a sit-in by graduates", "break up a rally by supporters": the rally's role
                tok, via = protest[0], f", as holder of the {protest[1]!r}"
                continue
            if prep.lower_ == "on" and over.pos_ == "VERB" and _lemma(over) in attribution:
                return "actor1", f"blamed for the act ('on'-object of {over.lemma_!r}: blamed X on Y)"
            if prep.dep_ == "agent" or (prep.lower_ == "by" and over.lemma_.lower() in d.agent_nouns):
                return "actor1", f"by-agent of {over.lemma_!r}{via}"
            if prep.lower_ == "with" and _lemma(over) in reciprocal:
                return "actor2", f"other party to {over.lemma_!r}{via}"
            if prep.lower_ == "between" and _lemma(over) in reciprocal:
                return ("actor2", f"second party to {over.lemma_!r}") if later else (
                    "actor1", f"first party to {over.lemma_!r}")
            if prep.lower_ in d.target_preps and (over.pos_ == "VERB" or over.lemma_.lower() in d.agent_nouns):
                return "actor2", f"{prep.lower_!r}-object of {over.lemma_!r}{via}"
            if prep.lower_ in ("of", "from") and over.pos_ in ("NOUN", "PROPN", "PRON", "NUM"):
                if over.lemma_.lower() in d.agent_nouns:
                    return "actor2", f"of-object of {over.lemma_!r}"
                tok = over  # "members of the group", "fighters from the group": the role of "members"
                continue
            if via.startswith(", as holder"):
                return "actor1", f"holds the protest{via[len(', as holder of the'):]}"
            return None, f"object of {prep.lower_!r}"
        if via.startswith(", as holder"):
            return "actor1", f"holds the protest{via[len(', as holder of the'):]}"
        return None, f"no subject/object link ({dep})"
    return None, "no clause found"


def _protest_before(doc: AnnotatedDoc, prep: Any, d: ActorDictionary) -> Optional[tuple[Any, str]]:
    """The protest noun right before "by" and its word ("a sit-in by ...", which spaCy splits in three)."""
    if prep.i == 0:
        return None
    prev = doc.doc[prep.i - 1]
    found = re.search(r"([\w-]+)\W*$", doc.article.text[:prev.idx + len(prev)])
    word = found.group(1).lower() if found else ""
    return (prev, word) if word in d.w("crowds.protest_nouns") else None
