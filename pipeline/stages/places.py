"""Places stage: toponyms found and resolved to the embedded gazetteer (no Elasticsearch).

Recognition: spaCy GPE/LOC/FAC entities, demonyms ("Iraqi" → a DEMONYM mention of
Iraq: country context, never an event location by itself), and a case-sensitive
gazetteer matcher for names the model misses or mislabels (an all-caps dateline
"ERBIL", "Nineveh" tagged PERSON), guarded by a stoplist and a population floor.
Resolution (``pipeline.gazetteer.resolve``) uses the article's context: countries
and admin1s named, "City, Province" patterns, demonyms, distance to the other
places, feature kind and population. A neighbourhood or site the gazetteer lacks
("the X neighbourhood of Hasaka") takes its city's entry with precision "city".
Unresolved toponyms stay as mentions with value None and the reason.
"""

from __future__ import annotations

import logging
import re
from pathlib import Path
from typing import Any, ClassVar, Optional

import yaml
from pydantic import Field

from ..config import PROJECT_ROOT, ConfigPath, Strict, StageConfig
from ..data import AnnotatedDoc, Mention, PlaceValue
from ..errors import ConfigError
from ..gazetteer.resolve import Resolution, Resolver, Toponym, Weights, km
from ..gazetteer.store import Gazetteer
from ..registry import register
from .base import Stage

log = logging.getLogger(__name__)

CONFIGS = PROJECT_ROOT / "configs"
# Words naming a part of a place: "the Ghweran neighbourhood of Hasaka", "Hasaka's Ghweran neighborhood",
# "the al-Sina'a prison in Hasaka".
_KIND = r"(?:neighbou?rhoods?|district|quarter|suburb|area|camp|village|prison|market|square|hospital)"
_NAME = r"[A-Z][\w'’\-]+(?:\s+[A-Z][\w'’\-]+){0,3}"
_PART_BEFORE = re.compile(rf"(?:\b[Tt]he\s+)?(?:al-|el-)?(?P<name>{_NAME})\s+(?P<kind>{_KIND})\s+"
                          r"(?:of|in|near|outside)\s+(?:the\s+(?:city|town|province)\s+of\s+)?$")
_GAP_OF = re.compile(rf"^\s+(?P<kind>{_KIND})\s+(?:of|in|near|outside)\s+(?:the\s+(?:city|town|province)\s+of\s+)?$")
_AFTER_POSSESSIVE = re.compile(rf"['’]s\s+(?P<name>{_NAME})\s+(?P<kind>{_KIND})\b")
_GAP_POSSESSIVE = re.compile(r"^['’]s\s+$")
_KIND_AFTER = re.compile(rf"\s+(?P<kind>{_KIND})\b")


class ResolveWeights(Strict):
    """Resolution scoring (see pipeline/gazetteer/resolve.py); tuned on LGL and GeoVirus (dev) only."""

    population: float = 1.0
    feature: dict[str, float] = Field(default_factory=lambda: dict(Weights().feature))
    tier: tuple[float, float, float] = (0.0, -0.5, -2.0)
    country: float = 4.0
    admin1: float = 3.0
    near: float = 2.0
    near_km: float = 161.0
    pattern: float = 6.0
    seat: float = 2.0
    rounds: int = Field(3, ge=1)
    max_candidates: int = Field(60, ge=1)


class PlacesConfig(StageConfig):
    gazetteer: ConfigPath = Field(PROJECT_ROOT / "models" / "gazetteer.sqlite",
                                  description="SQLite gazetteer built by `make gazetteer`")
    demonyms: ConfigPath = Field(CONFIGS / "places-demonyms.yaml", description="country code → demonyms")
    stoplist: ConfigPath = Field(CONFIGS / "places-stoplist.yaml", description="words the matcher never takes")
    labels: list[str] = Field(default_factory=lambda: ["GPE", "LOC", "FAC"], description="spaCy entity labels read")
    matcher: bool = Field(True, description="find gazetteer names spaCy missed or mislabelled")
    matcher_min_population: int = Field(50_000, ge=0, description="a city the matcher finds must be this big")
    dateline_chars: int = Field(80, ge=0, description="all-caps names are read only this close to the start")
    weights: ResolveWeights = ResolveWeights()


@register
class PlacesStage(Stage):
    name: ClassVar[str] = "places.v1"
    requires = frozenset({"doc"})
    provides = frozenset({"places"})
    Config = PlacesConfig

    def warm_up(self) -> None:
        self.resolver
        self.stoplist

    @property
    def resolver(self) -> Resolver:
        cfg = self.config
        key = ("places.resolver", str(cfg.gazetteer), str(cfg.demonyms), cfg.weights.model_dump_json())
        return self.resources.get(key, lambda: Resolver(Gazetteer(cfg.gazetteer), _demonyms(cfg.demonyms),
                                                        Weights(**cfg.weights.model_dump())))

    @property
    def stoplist(self) -> frozenset[str]:
        return self.resources.get(("places.stoplist", str(self.config.stoplist)), lambda: _stoplist(self.config.stoplist))

    def __call__(self, docs: list[AnnotatedDoc]) -> None:
        for doc in docs:
            doc.layers["places"] = self.annotate(doc)

    # --- recognition -------------------------------------------------------------

    def recognize(self, adoc: AnnotatedDoc) -> list[tuple[Toponym, str]]:
        """Toponym spans with how each was found, in text order, never overlapping."""
        resolver, text = self.resolver, adoc.article.text
        found: list[tuple[Toponym, str]] = []
        taken: list[tuple[int, int]] = []

        def free(s: int, e: int) -> bool:
            return all(e <= a or s >= b for a, b in taken)

        def add(s: int, e: int, label: str, why: str) -> None:
            found.append((Toponym(s, e, text[s:e], label), why))
            taken.append((s, e))

        labels = set(self.config.labels)
        for ent in adoc.doc.ents:
            s, e = _trim(text, ent.start_char, ent.end_char)
            if s >= e:
                continue
            if resolver.demonym_country(text[s:e]) is not None:
                add(s, e, "DEMONYM", f"demonym (spaCy {ent.label_})")
            elif ent.label_ in labels and free(s, e):
                add(s, e, ent.label_, f"spaCy {ent.label_} entity")
        for tok in adoc.doc:
            if tok.text[:1].isupper() and resolver.demonym_country(tok.text) and free(tok.idx, tok.idx + len(tok)):
                add(tok.idx, tok.idx + len(tok), "DEMONYM", "demonym word")
        if self.config.matcher:
            self._match(adoc, add, free)
        self._parts(text, found, add, free)
        found.sort(key=lambda f: f[0].start)
        return found

    def _match(self, adoc: AnnotatedDoc, add, free) -> None:
        """Runs of capitalised tokens that are gazetteer names (maximal runs, or their longest prefix)."""
        text, gaz, stop = adoc.article.text, self.resolver.gaz, self.stoplist
        ents = {(e.start_char, e.end_char): e.label_ for e in adoc.doc.ents}
        toks = list(adoc.doc)
        i = 0
        while i < len(toks):
            if not self._capital(toks[i]):
                i += 1
                continue
            j = i
            while j + 1 < len(toks) and self._capital(toks[j + 1]) and toks[j].whitespace_ and j - i < 4:
                j += 1
            # The whole run only: a prefix of "Human Rights Watch" is not a place.
            s, e = toks[i].idx, toks[j].idx + len(toks[j])
            name = text[s:e]
            best = None
            if free(s, e) and name.casefold() not in stop:
                best = self._matchable(gaz.lookup(name))
            if best is not None:
                other = ents.get((s, e))
                why = f"gazetteer name ({best.feature}{', spaCy said ' + other if other else ''})"
                if name.isupper():
                    why = "all-caps dateline name" if s < self.config.dateline_chars else why
                add(s, e, "GPE" if best.feature != "region" else "LOC", why)
            i = j + 1

    def _capital(self, tok) -> bool:
        t = tok.text
        if not t[:1].isupper() or not (tok.is_alpha or t.replace(".", "").isalpha()):
            return False
        if t.isupper() and len(t) > 2:
            return tok.idx < self.config.dateline_chars  # headline caps elsewhere are not names
        return True

    def _matchable(self, cands) -> Optional[Any]:
        """A candidate that makes a capitalised run a place: a country/admin1/region by any of its names,
        a city by its main name above the population floor (by an alternate name above four times it)."""
        floor = self.config.matcher_min_population
        for c in cands:
            if c.tier > 1:
                continue
            if c.feature in ("country", "admin1", "region", "continent"):
                return c
            if c.population >= (floor if c.tier == 0 else 4 * floor):
                return c
        return None

    def _parts(self, text: str, found, add, free) -> None:
        """Names the gazetteer may lack, named as a part of a found place ("X neighbourhood of Y", "Y's X district")."""
        for top, _why in list(found):
            m = _PART_BEFORE.search(text, max(0, top.start - 120), top.start)
            if m is not None and m.end() == top.start:
                s, e = m.start("name"), m.end("name")
                if free(s, e) and text[s:e].casefold() not in self.stoplist:
                    add(s, e, "LOC", f"a {m.group('kind')} named before {top.text!r}")
            m = _AFTER_POSSESSIVE.match(text, top.end)
            if m is not None:
                s, e = m.start("name"), m.end("name")
                if free(s, e) and text[s:e].casefold() not in self.stoplist:
                    add(s, e, "LOC", f"a {m.group('kind')} of {top.text!r}")

    # --- resolution -------------------------------------------------------------------

    def annotate(self, adoc: AnnotatedDoc) -> list[Mention]:
        text = adoc.article.text
        found = self.recognize(adoc)
        results = self.resolver.resolve(text, [t for t, _ in found])
        for i, (top, _why) in enumerate(found):
            container = self._container(text, i, results)
            if container is not None:
                results[i] = self._part_of(top, results[i], container)
        return [self._mention(adoc, top, why, res) for (top, why), res in zip(found, results)]

    @staticmethod
    def _container(text: str, i: int, results: list[Resolution]) -> Optional[Resolution]:
        """The place toponym ``i`` is named a part of, if the text says so."""
        top = results[i].toponym
        if i + 1 < len(results) and _GAP_OF.match(text[top.end:results[i + 1].toponym.start]):
            return results[i + 1]
        if i > 0 and _GAP_POSSESSIVE.match(text[results[i - 1].toponym.end:top.start]) \
                and _KIND_AFTER.match(text, top.end):
            return results[i - 1]
        return None

    @staticmethod
    def _part_of(top: Toponym, res: Resolution, container: Resolution) -> Resolution:
        """Keep the part's own entry when it lies in its container; otherwise the container's, at city precision."""
        box = container.candidate
        if box is None or container.toponym.label == "DEMONYM":
            return res
        if res.candidate is not None and km(res.candidate.latitude, res.candidate.longitude,
                                            box.latitude, box.longitude) <= 50:
            return Resolution(top, res.candidate, res.reason + f"; lies in {container.toponym.text!r}",
                              res.precision, res.considered)
        precision = "city" if box.feature in ("city", "point") else container.precision
        own = "not in the gazetteer" if res.candidate is None else f"its own entries lie outside {box.name}"
        return Resolution(top, box, f"a part of {container.toponym.text!r} ({own}): its place {box.name} "
                                    f"at {precision} precision", precision, container.considered)

    def _mention(self, adoc: AnnotatedDoc, top: Toponym, why: str, res: Resolution) -> Mention:
        c = res.candidate
        value = None
        if c is not None:
            gaz = self.resolver.gaz
            admin1 = gaz.admin_name(c.admin1) if c.feature not in ("country", "continent") else None
            value = PlaceValue(name=c.name, geonameid=c.public_id, latitude=c.latitude, longitude=c.longitude,
                               country_code=c.country_code, admin1=admin1, precision=res.precision or "point",
                               feature=c.feature, candidates=res.considered)
        return Mention(top.start, top.end, top.text, top.label, self.name, value, f"{why}; {res.reason}",
                       adoc.sent_of(top.start))


def _trim(text: str, s: int, e: int) -> tuple[int, int]:
    """Drop a leading article and a trailing possessive from an entity span."""
    if text.startswith(("the ", "The "), s) and e - s > 4:
        s += 4
    for suffix in ("'s", "’s"):
        if text.endswith(suffix, s, e):
            e -= len(suffix)
    return s, e


def _demonyms(path: Path) -> dict[str, str]:
    data = _yaml(path)
    if not isinstance(data, dict):
        raise ConfigError(f"{path}: expected a mapping of country code → list of demonyms")
    return {d: str(cc) for cc, ds in data.items() for d in ds}


def _stoplist(path: Path) -> frozenset[str]:
    data = _yaml(path)
    if not isinstance(data, list):
        raise ConfigError(f"{path}: expected a list of words")
    return frozenset(str(w).casefold() for w in data)


def _yaml(path: Path):
    try:
        return yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ConfigError(f"{path}: file not found") from None
    except yaml.YAMLError as exc:
        raise ConfigError(f"{path}: not valid YAML: {exc}") from None
