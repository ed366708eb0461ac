"""Places stage: toponyms found and resolved to the embedded gazetteer (no Elasticsearch).

Recognition: spaCy GPE/LOC/FAC entities, demonyms ("Iraqi" → a DEMONYM mention of
Iraq, "Ohioans" of Ohio: context, never an event location by itself), and a case-sensitive
gazetteer matcher for names the model misses or mislabels (an all-caps dateline
"ERBIL", "Nineveh" tagged PERSON): big places by name alone, small ones when a cue
word, a containing ", Province", a dateline or the article's own use says so (see
``_Matcher``); guarded by a stoplist, stop words and people's names. A bare-name find
that lands outside every country of the article's other places is dropped.
Resolution (``pipeline.gazetteer.resolve``) uses the article's context: countries,
admin1s and admin2s named, "City, Province" patterns, lists, demonyms, distance to
the other places, feature kind and population, read jointly (a local article's towns
in one state). A neighbourhood or site the gazetteer lacks
("the X neighbourhood of Hasaka") takes its city's entry with precision "city".
Unresolved toponyms stay as mentions with value None and the reason.
"""

from __future__ import annotations

import logging
import re
from pathlib import Path
from typing import ClassVar, Optional

from pydantic import Field

from ..config import PROJECT_ROOT, ConfigPath, Strict, StageConfig, read_yaml
from ..data import AnnotatedDoc, Mention, PlaceValue
from ..gazetteer.normalize import norm
from ..gazetteer.resolve import Resolution, Resolver, Toponym, Weights, contains, km
from ..gazetteer.store import Candidate, Gazetteer
from ..registry import register
from .base import CAPS, Stage

log = logging.getLogger(__name__)

CONFIGS = PROJECT_ROOT / "configs"
# Words naming a part of a place: "the Ghweran neighbourhood of Hasaka", "Hasaka's Ghweran neighborhood",
# "the al-Sina'a prison in Hasaka".
_KIND = r"(?:neighbou?rhoods?|district|quarter|suburb|area|region|camp|village|prison|market|square|hospital)"
_NAME = r"[A-Z][\w'’\-]+(?:\s+[A-Z][\w'’\-]+){0,3}"
# "of the city of", "of the besieged Yemeni city of", "in the southern port town of"
_THE_TOWN_OF = r"(?:the\s+(?:[\w'’-]+\s+){0,3}?(?:city|town|province)\s+of\s+)?"
_PART_BEFORE = re.compile(rf"(?:\b[Tt]he\s+)?(?:al-|el-)?(?P<name>{_NAME})\s+(?P<kind>{_KIND})\s+"
                          rf"(?:of|in|near|outside)\s+{_THE_TOWN_OF}$")
_GAP_OF = re.compile(rf"^\s+(?P<kind>{_KIND})\s+(?:of|in|near|outside)\s+{_THE_TOWN_OF}$"
                     r"|^,\s+(?:a\s+|the\s+)?(?P<part>part)\s+of\s+(?:the\s+)?$")  # "Ashulia, part of Savar"
_AFTER_POSSESSIVE = re.compile(rf"['’]s\s+(?P<name>{_NAME})\s+(?P<kind>{_KIND})\b")
_GAP_POSSESSIVE = re.compile(r"^['’]s\s+$")
_KIND_AFTER = re.compile(rf"\s+(?P<kind>{_KIND})\b")
# "the Kalaba area in the east of the city": a part of the town the article is about, named only as "the city"
_OF_THE_CITY = re.compile(rf"\s+(?P<kind>{_KIND})\s+(?:of|in)\s+(?:the\s+(?:(?:north|south|east|west|north-?east"
                          r"|north-?west|south-?east|south-?west)(?:ern)?(?:\s+part)?|centre|center|heart|middle"
                          r"|outskirts|edge)\s+of\s+)?the\s+(?:city|town)\b(?!\s+of\b)")
# A name opening a hyphenated adjective: "Iran-aligned", "Britain-based", "U.S.-led" (the word after the hyphen,
# and any after it, in lower case): context at most, like a demonym, never a place named as where
# "the Somali capital", "the Iraqi capital's": not "capital of", "capital punishment", "capital city of"
_CAPITAL_AFTER = re.compile(r"\s+capital\b(?!\s+(?:of|punishment|gains|markets?|city\s+of)\b)")
_ADJECTIVE = re.compile(r"[-‐–][a-z]+(?:[-‐–][a-z]+)*(?![\w'’\-‐–])")

# Lower-case words inside one name: "Mocimboa da Praia", "Lanao del Sur", "Bay of Bengal".
_CONNECTORS = frozenset("da de do dos das del della di du des la le el al of upon en sur y".split())
# What a settlement or division is called: a cue that the name beside it is a place, however small.
_UNIT = (r"(?:towns?|cit(?:y|ies)|villages?|hamlets?|townships?|districts?|provinces?|count(?:y|ies)|regions?"
         r"|municipalit(?:y|ies)|communes?|settlements?|localit(?:y|ies)|suburbs?|areas?|states?|governorates?"
         r"|oblasts?|prefectures?|parish(?:es)?)")
_COMPASS = r"(?:north|south|east|west|north-?east|north-?west|south-?east|south-?west)(?:ern)?"
# Before the name: "the town of X", "near X", "outside X", "south of X", "50 km from X", "Jane Doe, 41, of X",
# "the centre of X", "the streets of X".
_CUE_BEFORE = re.compile(rf"(?:\b{_UNIT}\s+of|\bnear|\boutside|\boutskirts\s+of|\b{_COMPASS}\s+of"
                         rf"|\b(?:cent(?:re|er)|streets|heart)\s+of"
                         rf"|\b(?:km|kilometres|kilometers|miles)\s+(?:{_COMPASS}\s+)?(?:from|of)"
                         rf"|\bresidents?\s+of|\bnatives?\s+of|,\s+\d{{1,3}},\s+of)\s+(?:the\s+)?$")
# Division words after a name ("Kaduna state", never "Ohio State University").
_DIVISIONS = (r"(?:[Dd]istricts?|[Pp]rovinces?|[Cc]ount(?:y|ies)|[Rr]egions?|[Tt]ownships?|[Gg]overnorates?"
              r"|states?|[Oo]blasts?|[Pp]refectures?|[Pp]arish(?:es)?|[Mm]unicipalit(?:y|ies))")
# After the name: "X district", "X town", "X, a township in", "X, a small village", "X, the main town of",
# "X, the provincial capital", "X's main market".
_CUE_AFTER = re.compile(rf"\s+(?:{_DIVISIONS}|town|village|city)\b|,\s+an?\s+(?:[a-z-]+\s+){{0,2}}{_UNIT}\b"
                        rf"|,\s+the\s+(?:[a-z-]+\s+){{0,2}}(?:{_UNIT}|capital)\s+of\b"
                        r"|,\s+the\s+(?:[a-z-]+\s+)?capital\b"
                        r"|['’]s\s+(?:[a-z]+\s+)?(?:outskirts|neighbou?rhoods?|suburbs?|hospital|market|airport"
                        r"|governor|mayor|residents)\b")
# "X, Y and Z districts": the list before a plural division word.
_LIST_AFTER = re.compile(rf"(?:\s*,\s*{_NAME})*,?\s+(?:and|or|&)\s+{_NAME}\s+(?:districts|provinces|counties|states"
                         rf"|regions|townships|governorates|oblasts|parishes|municipalities|Counties|Districts)\b")
_DIVISION_CUE = re.compile(rf"\s+{_DIVISIONS}$")
_DIVISION_END = re.compile(rf"\s(?:{_DIVISIONS}|State)$")
_COMMA = re.compile(r",\s+(?:in\s+)?")  # "Lanexa, Va.", "Tessalit, in Mali's north"
# A transliterated Arabic article written as a word of its own ("Al", "El", "al-"): the start of a name
# ("Al-Khawkhah", "El Fasher"), never a place by itself (all capitals, "AL" may be Alabama's postal code).
_ARTICLE_ONLY = re.compile(r"^(?:al|el|ad|ar|as|ash|at|az|an)[-‐–]?$", re.IGNORECASE)
_HYPHENS = frozenset("-‐–")
# An elided French or Italian article opening the next word of a name: "Place de l'Opera", "Cote d'Ivoire".
_ELIDED = re.compile(r"^[dlDL]['’][A-Z]\w+$")
_BY_NAME = "gazetteer name"  # the reason of a matcher find on its name alone
# An all-caps dateline anywhere a paragraph or sentence starts: "BYESVILLE --", "HURRICANE, W.Va. -",
# "MOUNT GILEAD (AP) --".
_DATELINE = re.compile(rf"(?:^|(?<=\n)|(?<=[.!?]\s))(?P<name>[{CAPS}][{CAPS}'’.\-]+(?:\s[{CAPS}][{CAPS}'’.\-]+){{0,3}})"
                       r"(?=(?:,\s[A-Z][\w.]+(?:\s[A-Z][\w.]+)?)?\s(?:\([A-Za-z ]+\)\s)?(?:—|–|--?)\s)")
# Words that continue a place's name into an institution's: "Gainesville Police", "Texas Department of Health".
_INSTITUTIONS = frozenset("""Police Sheriff Sheriff's Fire City County Town Village Township Board Council Commission
    Commissioners School Schools University College Hospital Medical Health Public Community Chamber Historical
    Museum Library Court Zoo Transit Water Utilities Parks Recreation Department Dept. Office Bureau Division Agency
    Authority Services Association Society Coalition Partners Housing Emergency Environmental Forest Highway
    Turnpike Patrol Legislature Senate House Supreme Circuit Municipal Regional Metropolitan
    Airport Mayor Census Area State Press Club Centers Administration Embassy National Federal""".split())


class ResolveWeights(Strict):
    """Resolution scoring (see pipeline/gazetteer/resolve.py); tuned on LGL and GeoVirus (dev) only."""

    population: float = 1.0
    feature: dict[str, float] = Field(default_factory=lambda: dict(Weights().feature))
    tier: tuple[float, float, float] = (0.0, -1.5, -3.0)
    shadowed: float = 1.5
    capital: float = 1.5
    country: float = 4.0
    admin1: float = 5.0
    admin2: float = 3.0
    near: float = 4.0
    near_km: float = 161.0
    pattern: float = 6.0
    sibling: float = 2.0
    seat: float = 2.0
    state_town: float = 2.0
    home: float = 3.0
    focus: bool = True
    focus_min: int = Field(1, ge=1)
    rounds: int = Field(3, ge=1)
    foci: int = Field(4, ge=0)
    max_candidates: int = Field(60, ge=1)


class PlacesConfig(StageConfig):
    gazetteer: ConfigPath = Field(PROJECT_ROOT / "models" / "gazetteer.sqlite",
                                  description="SQLite gazetteer built by `make gazetteer`")
    demonyms: ConfigPath = Field(CONFIGS / "places-demonyms.yaml", description="country code → demonyms")
    home_marks: ConfigPath = Field(CONFIGS / "places-home.yaml", description="marks of where an article is "
                                   "written (money, spelling) → countries (where it names one place only)")
    stoplist: ConfigPath = Field(CONFIGS / "places-stoplist.yaml", description="words the matcher never takes")
    generics: ConfigPath = Field(CONFIGS / "places-generics.yaml", description="generic words (Place, Street, "
                                 "Square) never matched alone where they open a longer name")
    labels: list[str] = Field(default_factory=lambda: ["GPE", "LOC", "FAC"], description="spaCy entity labels read")
    matcher: bool = Field(True, description="find gazetteer names spaCy missed or mislabelled")
    matcher_min_population: int = Field(50_000, ge=0, description="a city the matcher finds by its name alone must "
                                        "be this big (a cue word, a containing ', Province' or a dateline takes any)")
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
        self.generics

    @property
    def resolver(self) -> Resolver:
        cfg = self.config
        key = ("places.resolver", str(cfg.gazetteer), str(cfg.demonyms), str(cfg.home_marks),
               cfg.weights.model_dump_json())
        return self.resources.get(key, lambda: Resolver(Gazetteer(cfg.gazetteer), _demonyms(cfg.demonyms),
                                                        Weights(**cfg.weights.model_dump()),
                                                        home_marks=_home_marks(cfg.home_marks)))

    @property
    def stoplist(self) -> frozenset[str]:
        return self.resources.get(("places.stoplist", str(self.config.stoplist)), lambda: _stoplist(self.config.stoplist))

    @property
    def generics(self) -> frozenset[str]:
        return self.resources.get(("places.generics", str(self.config.generics)),
                                  lambda: _stoplist(self.config.generics, "generic words (a list of words)"))

    def __call__(self, docs: list[AnnotatedDoc]) -> None:
        for doc in docs:
            doc.layers["places"] = self.annotate(doc)

    # --- recognition -------------------------------------------------------------

    def recognize(self, adoc: AnnotatedDoc) -> list[tuple[Toponym, str]]:
        """Toponym spans with how each was found, in text order, never overlapping."""
        resolver, text = self.resolver, adoc.article.text
        spans = _Spans(text)
        labels = set(self.config.labels)
        for ent in adoc.doc.ents:
            s, e = _trim(text, ent.start_char, ent.end_char)
            if s >= e or _ARTICLE_ONLY.match(text[s:e]) and not text[s:e].isupper():
                continue  # "Al" of "Al-Khawkhah" alone is no place
            if resolver.is_demonym(text[s:e]):
                spans.add(s, e, "DEMONYM", f"demonym (spaCy {ent.label_})")
            elif ent.label_ in labels and spans.free(s, e):
                spans.add(s, e, ent.label_, f"spaCy {ent.label_} entity")
        for tok in adoc.doc:
            s, e = tok.idx, tok.idx + len(tok)
            if tok.text[:1].isupper() and resolver.is_demonym(tok.text) and spans.free(s, e):
                spans.add(s, e, "DEMONYM", "demonym word")
        if self.config.matcher:
            _Matcher(self, adoc, spans).run()
        self._parts(text, spans.ordered(), spans.add, spans.free)
        self._adjectives(text, spans)
        return spans.ordered()

    def _adjectives(self, text: str, spans: "_Spans") -> None:
        """A place name opening a hyphenated adjective ("The Iran-aligned Houthi movement", "the Britain-based
        Observatory") is context, as a demonym is: relabelled DEMONYM (it still resolves as a name), without a
        leading "The" the matcher may have read into it."""
        for (s, e), (top, why) in list(spans.found.items()):
            m = _ADJECTIVE.match(text, e)
            if top.label == "DEMONYM" or m is None:
                continue
            del spans.found[(s, e)]
            if text.startswith(("The ", "the "), s) and e - s > 4 and self.resolver.gaz.lookup(text[s + 4:e]):
                s += 4
            spans.add(s, e, "DEMONYM", f"in the adjective {text[s:m.end()]!r}: context, not where ({why})")

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
        results = self.resolver.resolve(text, [t for t, _ in found], stand_ins=False)
        kept = self._coherent(found, results)
        if len(kept) < len(found):
            found = kept
            results = self.resolver.resolve(text, [t for t, _ in found], stand_ins=False)
        found, results = self._capitals(text, found, results)
        for i, (top, _why) in enumerate(found):
            container = self._container(text, i, results)
            if container is not None:
                results[i] = self._part_of(top, results[i], container)
            elif top.label != "DEMONYM" and _OF_THE_CITY.match(text, top.end):
                city = next((r for r in reversed(results[:i]) if r.candidate is not None
                             and r.candidate.feature == "city" and r.toponym.label != "DEMONYM"), None)
                if city is not None:
                    results[i] = self._part_of(top, results[i], city, "the city, ")
        # one sense per discourse: a name named a part of a place once is that part wherever it recurs
        # ("Ashulia, part of Savar" ... "a factory in Ashulia"; "Colombia's Catatumbo region" ... "the Catatumbo")
        parts = {norm(r.toponym.text): r for r in results if r.candidate is not None
                 and r.reason.startswith("a part of ")}
        for i, r in enumerate(results):
            known = parts.get(norm(r.toponym.text))
            if known is not None and r is not known and not r.reason.startswith("a part of "):
                results[i] = Resolution(r.toponym, known.candidate, f"{known.reason}, as where it is named so",
                                        known.precision, known.considered)
        results = self.resolver.stand_ins(results)  # from the places as the text's parts and wholes settle them
        return [self._mention(adoc, top, why, res) for (top, why), res in zip(found, results)]

    def _capitals(self, text: str, found: list[tuple[Toponym, str]], results: list[Resolution]
                  ) -> tuple[list[tuple[Toponym, str]], list[Resolution]]:
        """"the Somali capital('s Hodan district)", "the Afghan capital": a demonym before "capital" names the
        country's capital city, a place of the text (so a part named after it lies in it)."""
        found, results = list(found), list(results)
        for i, ((top, why), res) in enumerate(zip(found, results)):
            m = _CAPITAL_AFTER.match(text, top.end)
            c = res.candidate
            if top.label != "DEMONYM" or m is None or c is None or c.feature != "country" \
                    or not text[max(0, top.start - 4):top.start].lower().endswith("the "):
                continue
            capital = self._capital_of(c.country_code)
            if capital is None:
                continue
            named = Toponym(top.start, m.end(), text[top.start:m.end()], "GPE")
            found[i] = (named, f"{why}; 'the {top.text} capital'")
            results[i] = Resolution(named, capital, f"the capital of {c.name}: {capital.name}", "city")
        return found, results

    def _capital_of(self, country_code: Optional[str]) -> Optional[Candidate]:
        """The gazetteer's national capital of a country (its biggest town of that name)."""
        gaz = self.resolver.gaz
        towns = [t for cc, name in gaz.capitals if cc == country_code for t in gaz.lookup(name)
                 if t.feature == "city" and t.country_code == country_code and t.tier == 0]
        return max(towns, key=lambda t: t.population, default=None)

    @staticmethod
    def _coherent(found: list[tuple[Toponym, str]], results: list[Resolution]) -> list[tuple[Toponym, str]]:
        """Drop the matcher's bare-name finds (no entity, no cue) that resolve outside every country the
        article's other places lie in: "Fano" (the Amhara militia) is not the Italian town in a report
        from Ethiopia, nor "Most" the Czech city in one from Ukraine."""
        def bare(why: str, res: Resolution) -> bool:
            return why.startswith(_BY_NAME) and res.candidate is not None and res.candidate.feature != "country"

        countries = {r.candidate.country_code for (_t, why), r in zip(found, results)
                     if r.candidate is not None and not bare(why, r)}
        countries.discard(None)
        if not countries:
            return found
        return [f for f, r in zip(found, results) if not bare(f[1], r) or r.candidate.country_code in countries]

    @staticmethod
    def _container(text: str, i: int, results: list[Resolution]) -> Optional[Resolution]:
        """The place toponym ``i`` is named a part of, if the text says so."""
        top = results[i].toponym
        # the next name that is no demonym ("the al-Rawdah neighbourhood of the besieged Yemeni city of Taiz")
        j = next((j for j in range(i + 1, len(results)) if results[j].toponym.label != "DEMONYM"), None)
        if j is not None and _GAP_OF.match(text[top.end:results[j].toponym.start]):
            return results[j]
        if i > 0 and _GAP_POSSESSIVE.match(text[results[i - 1].toponym.end:top.start]) \
                and _KIND_AFTER.match(text, top.end):
            return results[i - 1]
        return None

    @staticmethod
    def _part_of(top: Toponym, res: Resolution, container: Resolution, called: str = "") -> Resolution:
        """Keep the part's own entry when it lies in its container; otherwise the container's, at city precision
        (``called``: how the text names the container when not by name, "the city, " for the article's last town
        before it)."""
        box = container.candidate
        if box is None or container.toponym.label == "DEMONYM":
            return res
        if res.candidate is not None and (contains(box, res.candidate) or km(
                res.candidate.latitude, res.candidate.longitude, box.latitude, box.longitude) <= 50):
            return Resolution(top, res.candidate, res.reason + f"; lies in {container.toponym.text!r}",
                              res.precision, res.considered)
        precision = "city" if box.feature in ("city", "point") else container.precision
        own = (res.reason.split(":")[0] if res.candidate is None
               else f"its own entries lie outside {box.name}")  # "not in the gazetteer", "only a weak match"
        return Resolution(top, box, f"a part of {called}{container.toponym.text!r} ({own}): its place {box.name} "
                                    f"at {precision} precision", precision, container.considered)

    def _mention(self, adoc: AnnotatedDoc, top: Toponym, why: str, res: Resolution) -> Mention:
        c = res.candidate or res.stand_in
        value = None
        if c is not None:
            gaz = self.resolver.gaz
            admin1 = gaz.admin_name(c.admin1) if c.feature not in ("country", "continent") else None
            value = PlaceValue(name=c.name, geonameid=c.public_id, latitude=c.latitude, longitude=c.longitude,
                               country_code=c.country_code, admin1=admin1, precision=res.precision or "point",
                               feature=c.feature, candidates=res.considered, stand_in=res.candidate is None)
        return Mention(top.start, top.end, top.text, top.label, self.name, value, f"{why}; {res.reason}",
                       adoc.sent_of(top.start))


class _Spans:
    """The toponym spans found so far, keyed by (start, end); they never overlap."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.found: dict[tuple[int, int], tuple[Toponym, str]] = {}

    def free(self, s: int, e: int) -> bool:
        return all(e <= a or s >= b for a, b in self.found)

    def add(self, s: int, e: int, label: str, why: str) -> None:
        self.found[(s, e)] = (Toponym(s, e, self.text[s:e], label), why)

    def take(self, s: int, e: int, label: str, why: str) -> bool:
        """Add a name over the shorter entities inside it ("Mocimboa da Praia" over spaCy's "Praia")."""
        hit = [k for k in self.found if not (e <= k[0] or s >= k[1])]
        if any(k[0] < s or k[1] > e or k == (s, e) or self.found[k][0].label == "DEMONYM" for k in hit):
            return False
        for k in hit:
            del self.found[k]
        self.add(s, e, label, why)
        return True

    def at(self, start: int) -> Optional[Toponym]:
        return next((t for (a, _), (t, _why) in self.found.items() if a == start), None)

    def ordered(self) -> list[tuple[Toponym, str]]:
        return sorted(self.found.values(), key=lambda f: f[0].start)


class _Matcher:
    """Capitalised gazetteer names spaCy missed or mislabelled, each with the rule that took it.

    A capitalised run (lower-case connectors allowed: "Mocimboa da Praia") is a place when it is a
    gazetteer name and it names a country/admin1/region, a division by its division word ("Navarro
    County"), or a city above the population floor (a tenth of it when a connector joins the name). Whatever
    the population, a name is also a place when a cue word says so ("the town of X", "near X",
    "X district", "X, a town in"), when it stands before ", Y" and Y contains it ("Lanexa, Va."), when
    it heads a dateline ("BYESVILLE --"), and when the article already names it as a place or it heads
    an institution's name ("Gainesville Police"). A stop word ("No", "Most"), a sentence-initial word
    that is not a proper noun, a short alternate name in mixed case ("No" is not Nord) and a word of a
    person's name in the article ("Farah" after "Abdullahi Hassan Farah") are never places.
    """

    def __init__(self, stage: "PlacesStage", adoc: AnnotatedDoc, spans: _Spans) -> None:
        self.cfg, self.stop, self.gaz = stage.config, stage.stoplist, stage.resolver.gaz
        self.generics = stage.generics
        self.text, self.doc, self.spans = adoc.article.text, adoc.doc, spans
        ents = list(adoc.doc.ents)
        self.ent_at = {(e.start_char, e.end_char): e.label_ for e in ents}
        self.persons = [(e.start_char, e.end_char) for e in ents if e.label_ == "PERSON"]
        self.person_names = {tuple(t.lower_ for t in e) for e in ents if e.label_ == "PERSON" and len(e) > 1}
        # the countries the article names outright (a country entity, a demonym): a town there counts by an
        # alternate name as by its main name ("Galkayo" for Gaalkacyo in a report naming Somalia)
        self.countries = _named_countries(stage.resolver, spans)

    def run(self) -> None:
        for m in _DATELINE.finditer(self.text):
            s, e = m.span("name")
            name = self.text[s:e]
            c = self._cued(name) if name.casefold() not in self.stop else None
            if c is not None and self.spans.free(s, e):
                self.spans.add(s, e, _label(c), f"dateline name ({c.feature})")
        pending = []
        for run in self._runs(list(self.doc)):
            segs = _segments(run)
            # a joined name, longest first: "Lanao del Sur" in "Lanao del Sur of Mindanao"
            joined = [run[:k] for k in range(len(run), 2, -1)
                      if run[k - 1].text not in _CONNECTORS and any(t.text in _CONNECTORS for t in run[:k])]
            if len(segs) > 1 and any(self._whole(j) for j in joined):
                continue
            for seg in segs:
                if self._whole(seg):
                    continue
                if seg[0].text == "The" and len(seg) > 1:  # "The Hague" is a name, "The Center for ..." is not
                    seg = seg[1:]
                    if self._whole(seg):
                        continue
                pending.append(seg)
        pending = [seg for seg in pending if not self._cue(seg)]
        # a hyphenated name found neither whole nor by a cue: its words, each a name of its own
        # ("Fargo-Moorhead", "NATO-Russia Council"; never the "Al" of "Al-Khawkhah", see ``_ok``)
        split = []
        for seg in pending:
            parts = _hyphen_parts(seg)
            if not parts:
                split.append(seg)
            split.extend(p for p in parts if not self._whole(p) and not self._cue(p))
        pending = split
        known = {norm(t.text) for t, _why in self.spans.ordered() if t.label != "DEMONYM" and self.gaz.lookup(t.text)}
        for seg in pending:
            self._heading(seg, known)

    # runs ------------------------------------------------------------------------------------

    def _capital(self, tok) -> bool:
        t = tok.text
        if not t[:1].isupper() or not (tok.is_alpha or t.replace(".", "").isalpha()):
            return False
        if t.isupper() and sum(ch.isalpha() for ch in t) > 4:
            return tok.idx < self.cfg.dateline_chars  # headline caps elsewhere are not names (but "NSW", "U.S.")
        return True

    def _runs(self, toks) -> list[list]:
        """Maximal runs of capitalised tokens, at most seven words with single lower-case connectors between;
        a hyphenated name is one word of a run ("Al-Khawkhah", "Port-au-Prince"), also after a lower-case
        Arabic article inside the run ("Jisr al-Shughur"), an elided article may open a word after a connector
        ("Place de l'Opera")."""
        runs, i = [], 0
        while i < len(toks):
            if not self._capital(toks[i]):
                i += 1
                continue
            j = self._hyphened(toks, i)
            words = 1
            while j + 1 < len(toks) and toks[j].whitespace_ and words < 7:
                if self._capital(toks[j + 1]):
                    j, words = self._hyphened(toks, j + 1), words + 1
                elif _article_word(toks[j + 1]) and self._hyphened(toks, j + 1) > j + 1:
                    j, words = self._hyphened(toks, j + 1), words + 1  # "Jisr al-Shughur", "Deir ez-Zor"
                elif (toks[j + 1].text in _CONNECTORS and toks[j + 1].whitespace_ and j + 2 < len(toks)
                      and (self._capital(toks[j + 2]) or _ELIDED.match(toks[j + 2].text)) and words < 6):
                    j, words = self._hyphened(toks, j + 2), words + 2
                else:
                    break
            runs.append(toks[i:j + 1])
            i = j + 1
        return runs

    def _hyphened(self, toks, j: int) -> int:
        """The last token of the hyphenated word starting at ``j`` ("Port-au-Prince": Port - au - Prince):
        words joined by hyphens without spaces, the last one capitalised."""
        end, k = j, j
        while (k + 2 < len(toks) and not toks[k].whitespace_ and toks[k + 1].text in _HYPHENS
               and not toks[k + 1].whitespace_ and toks[k + 2].is_alpha):
            k += 2
            if self._capital(toks[k]):
                end = k
            elif toks[k].whitespace_:
                break
        return end

    def _span(self, toks) -> tuple[int, int, str]:
        s, e = toks[0].idx, toks[-1].idx + len(toks[-1])
        return s, e, self.text[s:e]

    def _ok(self, toks) -> bool:
        """Not a stop word, a sentence-initial common word, inside a person entity or a part of a person's
        name in the article."""
        s, e, name = self._span(toks)
        if name.casefold() in self.stop or (_ARTICLE_ONLY.match(name) and not name.isupper()):
            return False  # a stop word; an Arabic article alone ("Al" of "Al-Khawkhah")
        if toks[0].text.casefold() in self.generics and _continues(toks[-1]) and all(
                t.text.casefold() in self.generics or t.text in _HYPHENS for t in toks):
            return False  # "Place" of "Place de l'Opera": a generic word opening a longer name
        if len(toks) == 1:
            t = toks[0]
            if (t.is_stop and not t.text.isupper()) or (t.is_sent_start and t.pos_ != "PROPN"):
                return False
        words = tuple(t.lower_ for t in toks)
        if any(_part(words, p) for p in self.person_names):
            return False
        return not any(s < b and a < e and (a < s or b > e) for a, b in self.persons)

    # rules -------------------------------------------------------------------------------------

    def _whole(self, toks) -> bool:
        """The whole run is a gazetteer name of a country, division or big enough city."""
        s, e, name = self._span(toks)
        if not self._ok(toks):
            return False
        other = self.ent_at.get((s, e))
        joined = any(t.text in _CONNECTORS for t in toks)
        c = self._matchable(self.gaz.lookup(name), name, joined)
        if c is None:
            return False
        why = f"{_BY_NAME} ({c.feature}{', spaCy said ' + other if other else ''})"
        if name.isupper() and s < self.cfg.dateline_chars:
            why = "all-caps dateline name"
        return self.spans.take(s, e, _label(c), why)

    def _matchable(self, cands, name: str, joined: bool = False) -> Optional[Candidate]:
        """A country/admin1/region by any of its names, a division named with its division word, a city by
        its main name above the population floor (a tenth of it for a name joined by a connector, "Mocimboa
        da Praia"; by an alternate name above four times it, or above it in a country the article names
        outright: "Galkayo" in a report from Somalia); never a landmark (a point)."""
        floor = self.cfg.matcher_min_population // (10 if joined else 1)
        for c in cands:
            if c.tier > 1 or (c.tier and _short(name)):  # never by a transliteration skeleton
                continue
            if c.feature in ("country", "admin1", "region", "continent"):
                return c
            if c.feature == "admin2" and _DIVISION_END.search(name):
                return c
            if c.feature == "point":  # a landmark named alone is mostly its institution ("the Pentagon said")
                continue
            if c.population >= (floor if c.tier == 0 or c.country_code in self.countries else 4 * floor):
                return c
        return None

    def _cued(self, name: str, spelling: bool = True) -> Optional[Candidate]:
        """Any gazetteer entry by this name, however small (a cue word already says it is a place); by a
        transliteration skeleton ("Tal Tamr" for Tall Tamr) only when ``spelling`` and nothing matches exactly."""
        cands = [c for c in self.gaz.lookup(name) if c.feature != "continent" and not (c.tier and _short(name))]
        exact = [c for c in cands if c.tier < 2]
        return (exact or (cands if spelling else []) or [None])[0]

    def _cue(self, seg) -> bool:
        """The longest prefix of the run that a cue word, or a containing ", Y", marks as a place."""
        s0 = seg[0].idx
        before = _CUE_BEFORE.search(self.text, max(0, s0 - 40), s0)
        for k in range(len(seg), 0, -1):
            if _cut(seg, k) or seg[k - 1].text in _HYPHENS:
                continue
            s, e, name = self._span(seg[:k])
            after = _CUE_AFTER.match(self.text, e) or _LIST_AFTER.match(self.text, e)
            if after is None and k < len(seg) and seg[k].text not in _INSTITUTIONS:
                continue  # "near Advance Auto Parts" is not near Advance
            box = None
            if before is None and after is None:
                comma = _COMMA.match(self.text, e)
                box = self.spans.at(comma.end()) if comma else None
                if box is None or box.label == "DEMONYM":
                    continue
            if not self._ok(seg[:k]) or not self.spans.free(s, e):
                continue
            # a spelling variant after a cue before it ("the town of X") or a division word after it ("Hodeidah
            # province"), not after other cues ("X's mayor")
            spelling = before is not None or (after is not None and bool(_DIVISION_CUE.match(after.group(0))))
            c = self._cued(name, spelling=spelling) if box is None else self._inside(name, box)
            if c is None:
                continue
            if box is not None:
                why = f"before {box.text!r}, which contains it ({c.feature})"
            else:
                cue = " ".join((before or after).group(0).split())
                why = f"cue {cue!r} ({c.feature})"
            self.spans.add(s, e, _label(c), why)
            return True
        return False

    def _inside(self, name: str, box: Toponym) -> Optional[Candidate]:
        """An entry of ``name`` that an entry of ``box`` contains ("Lanexa" in "Va.")."""
        boxes = [b for b in self.gaz.lookup(box.text)[:20] if b.feature in ("country", "admin1", "admin2")]
        for c in self.gaz.lookup(name):
            if c.tier < 2 and not (c.tier and _short(name)) and any(contains(b, c) for b in boxes):
                return c
        return None

    def _heading(self, seg, known: set[str]) -> None:
        """The article's places named again ("Gainesville", spaCy said PERSON), also heading an organisation's
        name ("Gainesville Police", "Texas Department of Health"), as do countries and divisions; not a
        newspaper's ("New York Times") nor a state's forces' ("U.S. Army"): their words are no institution words."""
        for k in range(len(seg), 0, -1):
            if _cut(seg, k) or seg[k - 1].text in _HYPHENS:
                continue
            s, e, name = self._span(seg[:k])
            heads = k < len(seg) and seg[k].text in _INSTITUTIONS
            if k < len(seg) and not heads:
                continue
            again = norm(name) in known
            c = None
            if not again:
                if not heads:
                    continue
                c = self._matchable(self.gaz.lookup(name), name)
                if c is None or (c.feature in ("city", "admin2", "point") and c.tier):
                    continue
            if not self._ok(seg[:k]) or not self.spans.free(s, e):
                return
            if again:
                c = c or next(iter(self.gaz.lookup(name)), None)
                why = f"the article's place {name!r} again"
            else:
                why = f"gazetteer name ({c.feature})"
            if heads:
                why += f", heading {self._span(seg)[2]!r}"
            self.spans.add(s, e, _label(c) if c else "GPE", why)
            return


def _named_countries(resolver: Resolver, spans: _Spans) -> frozenset[str]:
    """Countries the spans found so far name outright: a country's name (by its main or an alternate name) or a
    demonym of one."""
    out = set()
    for top, _why in spans.ordered():
        if top.label == "DEMONYM":
            c = resolver.demonym_place(top.text)
            if c is not None and c.feature == "country":
                out.add(c.country_code)
            continue
        c = next((c for c in resolver.gaz.lookup(top.text) if c.tier < 2), None)
        if c is not None and c.feature == "country":
            out.add(c.country_code)
    return frozenset(out)


def _segments(run) -> list[list]:
    """A run split at its connectors: "Bay of Bengal" → "Bay", "Bengal" (not at one inside a hyphenated word:
    "Saint-Jean-de-Luz")."""
    segs: list[list] = [[]]
    for i, t in enumerate(run):
        if t.text in _CONNECTORS and t.whitespace_ and i and run[i - 1].whitespace_:
            segs.append([])
        else:
            segs[-1].append(t)
    return [s for s in segs if s]


def _article_word(tok) -> bool:
    """A lower-case transliterated Arabic article joined by a hyphen to the next word: "al" of "al-Shughur"."""
    return tok.text.islower() and bool(_ARTICLE_ONLY.match(tok.text)) and not tok.whitespace_


def _cut(seg, k: int) -> bool:
    """``seg[:k]`` cuts a hyphenated word ("Al" of "Al-Khawkhah")."""
    return k < len(seg) and (seg[k].text in _HYPHENS or seg[k - 1].text in _HYPHENS)


def _hyphen_parts(seg) -> list[list]:
    """The words of a hyphenated name, split at its hyphens ("Pakistan-Afghanistan" → both)."""
    parts: list[list] = [[]]
    for t in seg:
        if t.text in _HYPHENS and not t.whitespace_:
            parts.append([])
        else:
            parts[-1].append(t)
    return [p for p in parts if p] if len(parts) > 1 else []


def _continues(tok) -> bool:
    """The name goes on after ``tok``: a hyphen, a capitalised word, an elided article or a connector before one
    ("Place" of "Place de l'Opera", "Gulf" of "Gulf of Aden")."""
    doc, i = tok.doc, tok.i
    if i + 1 >= len(doc):
        return False
    nxt = doc[i + 1]
    if not tok.whitespace_:
        return nxt.text in _HYPHENS
    if nxt.text[:1].isupper() or _ELIDED.match(nxt.text):
        return True
    return (nxt.text in _CONNECTORS and i + 2 < len(doc)
            and (doc[i + 2].text[:1].isupper() or bool(_ELIDED.match(doc[i + 2].text))))


def _part(words: tuple[str, ...], name: tuple[str, ...]) -> bool:
    """``words`` occur in ``name`` and are not all of it ("Farah" in "Abdullahi Hassan Farah")."""
    n = len(words)
    return n < len(name) and any(name[i:i + n] == words for i in range(len(name) - n + 1))


def _short(name: str) -> bool:
    """Three letters or fewer, not all capitals: too short to trust as an alternate name ("No")."""
    return sum(ch.isalpha() for ch in name) <= 3 and not name.isupper()


def _label(c: Candidate) -> str:
    return "LOC" if c.feature in ("region", "continent") else "GPE"


def _trim(text: str, s: int, e: int) -> tuple[int, int]:
    """Drop a leading article and a trailing possessive from an entity span."""
    if text.startswith(("the ", "The "), s) and e - s > 4:
        s += 4
    for suffix in ("'s", "’s"):
        if text.endswith(suffix, s, e):
            e -= len(suffix)
    return s, e


def _demonyms(path: Path) -> dict[str, str]:
    data = read_yaml(path, "demonym list (place: [demonyms])")
    return {d: str(cc) for cc, ds in data.items() for d in ds}


def _home_marks(path: Path) -> dict[str, list[str]]:
    data = read_yaml(path, "home marks (symbol, word or phrase: [country codes])")
    return {str(mark): [str(cc) for cc in ccs] for mark, ccs in data.items()}


def _stoplist(path: Path, what: str = "stoplist (a list of words)") -> frozenset[str]:
    return frozenset(str(w).casefold() for w in read_yaml(path, what, kind=list))
