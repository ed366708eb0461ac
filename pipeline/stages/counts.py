"""Counts stage: how many were killed, injured, arrested, … and who they were.

Each number phrase ("at least 14", "5,000 to 6,000", "seven", "a dozen", "hundreds") is read
with the spaCy parse:
- the *counted noun* is the noun the number modifies ("seven civilians"); a number that counts
  years, money, distances, vehicles or addresses is not a count and is skipped;
- the *category* comes from the governing words, nearest first: the words right after the
  number ("322 dead"), the noun and its modifiers ("death toll"), then the clause's verb
  ("were killed", "shot and killed", "fatally");
- ``who`` is the actor inside the counted noun phrase ("246 ISIS members" → Islamic State), or
  the article's named armed group for "militants"/"fighters";
- breakdowns ("Among them …") point at their stated total with ``part_of``; a total whose parts
  do not add up is kept and the mismatch written in its reason; revisions ("rose to 31",
  "up from seven") mark the earlier figure ``superseded``.
A lone victim ("a man was shot and killed", "injuring another", "shot his wife", "the 68-year-old",
"His injuries were not life-threatening") counts as 1, and "no one was injured" / "neither ... nor"
as 0, so that a fatality figure never has to be guessed from missing numbers. "Shot" people (also
"a gunshot wound", "hit by gunfire", "hospitalized", "a triple shooting" → 3) are casualties: wounded
unless a killed figure covers them ("shot to death" is killed; a background tally or a shooter who
killed himself covers nobody). Gunfire aimed ("shot at the suspects") and attempted or hypothetical
shootings ("tried to shoot a man") count nobody.
Restatements are ``superseded`` (a lone victim named again, a sentence the page repeats word for
word); counts of people besides those counted before are marked (``adds_to``: "previous" for "two
other men", "so_far" for a second indefinite victim of one sentence or a shooter's own death after
his victims'; the reason says which), so that an incident's figure can sum distinct victims without double counting.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Optional

import yaml

from ..config import PROJECT_ROOT, ConfigPath, StageConfig
from ..data import AnnotatedDoc, CountValue, Mention
from ..errors import ConfigError
from ..registry import register
from .base import Stage

log = logging.getLogger(__name__)

DEFAULT_LEXICON = PROJECT_ROOT / "configs" / "counts.yaml"
CATEGORIES = ("killed", "injured", "arrested", "detained", "kidnapped", "displaced", "missing", "participants", "other")
SKIP_ENTS = frozenset({"DATE", "TIME", "MONEY", "PERCENT", "QUANTITY", "ORDINAL"})
DIGITS = re.compile(r"^\d{1,3}(?:,\d{3})+$|^\d+(?:\.\d+)?$")
LONE_VICTIM = "a lone victim counts 1"
SELF_INFLICTED = "self-inflicted: the shooter, whose death covers no other victim"
# The reasons written with CountValue.adds_to ("previous" / "so_far").
OTHERS = "others than the casualties of the sentence before"
ADDS = "adds to the victims counted before"
CASUALTY = ("killed", "injured", "shot")
REFLEXIVE = frozenset({"himself", "herself", "themselves"})
_POSSESSIVE = re.compile(r"['’]s\b")
# How many sentences back a crowd named by the actors stage still makes plain wounded or arrested people its members.
CROWD_SENTENCES = 5
YEAR = re.compile(r"\b((?:19|20)\d\d)\b")
MONTH_NUMBERS = {m: i for i, m in enumerate(("january", "february", "march", "april", "may", "june", "july", "august",
                                      "september", "october", "november", "december"), 1)}
MONTHS = frozenset("january february march april may june july august september october november december "
                   "jan feb mar apr jun jul aug sep sept oct nov dec".split())
NAMED_TYPES = frozenset({"Rebel group", "Political militia", "Identity militia", "External/Other forces"})


@dataclass(frozen=True)
class Lexicon:
    """The parsed ``counts.yaml``."""

    number_words: dict[str, int]
    scale_words: dict[str, int]
    vague_words: frozenset[str]
    floor: tuple[str, ...]
    ceiling: tuple[str, ...]
    about: tuple[str, ...]
    range_words: frozenset[str]
    cue_to_category: dict[str, str]
    category_order: tuple[str, ...]
    shot_cues: frozenset[str]
    intransitive_cues: frozenset[str]
    total_cues: frozenset[str]
    breakdown_markers: tuple[str, ...]
    revision_verbs: frozenset[str]
    people_nouns: frozenset[str]
    armed_group_nouns: frozenset[str]
    not_people: frozenset[str]
    default_who: dict[str, str]
    background: tuple[re.Pattern, ...] = ()
    crowd_nouns: frozenset[str] = frozenset()
    crowd_categories: frozenset[str] = frozenset()
    background_past_years: bool = False
    report_verbs: frozenset[str] = frozenset()
    shot_wound_modifiers: frozenset[str] = frozenset()
    multi_victim_words: dict[str, int] = field(default_factory=dict)
    multi_victim_nouns: dict[str, str] = field(default_factory=dict)
    suffer_verbs: frozenset[str] = frozenset()
    condition_preps: frozenset[str] = frozenset()
    irrealis_verbs: frozenset[str] = frozenset()
    irrealis_modals: frozenset[str] = frozenset()
    collective_nouns: frozenset[str] = frozenset()
    hit_verbs: frozenset[str] = frozenset()
    gunfire_nouns: frozenset[str] = frozenset()
    transport_verbs: frozenset[str] = frozenset()
    hospital_nouns: frozenset[str] = frozenset()
    toll_nouns: frozenset[str] = frozenset()
    toll_verbs: frozenset[str] = frozenset()
    earlier_words: frozenset[str] = frozenset()
    figure_verbs: frozenset[str] = frozenset()
    militia_nouns: frozenset[str] = frozenset()
    militia_types: frozenset[str] = frozenset()
    phrase_cues: dict[tuple[str, str], str] = field(default_factory=dict)
    victim_verbs: frozenset[str] = frozenset()
    rival_figure_words: frozenset[str] = frozenset()
    rival_clause_marks: frozenset[str] = frozenset()
    remains_nouns: frozenset[str] = frozenset()
    ordinal_words: frozenset[str] = frozenset()

    @classmethod
    def load(cls, path: Path) -> "Lexicon":
        try:
            raw = yaml.safe_load(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            raise ConfigError(f"{path}: counts lexicon not found (stages.counts.lexicon)") from None
        cats = raw["categories"]
        unknown = set(cats) - set(CATEGORIES)
        if unknown:
            raise ConfigError(f"{path}: categories {sorted(unknown)} are not among {CATEGORIES}")
        cue: dict[str, str] = {}
        for category, words in cats.items():
            for w in words:
                cue.setdefault(str(w).lower(), category)
        q = raw["qualifiers"]
        low = lambda xs: frozenset(str(x).lower() for x in xs)  # noqa: E731
        return cls(
            number_words={str(k).lower(): int(v) for k, v in raw["number_words"].items()},
            scale_words={str(k).lower(): int(v) for k, v in raw["scale_words"].items()},
            vague_words=low(raw["vague_words"]),
            floor=tuple(q["floor"]), ceiling=tuple(q["ceiling"]), about=tuple(q["about"]),
            range_words=low(raw["range_words"]),
            cue_to_category=cue, category_order=tuple(cats),
            shot_cues=low(raw["shot_cues"]), intransitive_cues=low(raw["intransitive_cues"]), total_cues=low(raw["total_cues"]),
            breakdown_markers=tuple(raw["breakdown_markers"]), revision_verbs=low(raw["revision_verbs"]),
            people_nouns=low(raw["people_nouns"]), armed_group_nouns=low(raw["armed_group_nouns"]),
            not_people=low(raw["not_people"]),
            default_who=dict(raw.get("default_who", {})),
            background=tuple(re.compile(rx, re.IGNORECASE) for rx in raw.get("background_markers", [])),
            background_past_years=bool(raw.get("background_past_years", False)),
            report_verbs=low(raw.get("report_verbs", [])),
            crowd_nouns=low(raw.get("crowd_nouns", [])),
            crowd_categories=low(raw.get("crowd_categories", [])),
            shot_wound_modifiers=low(raw.get("shot_wound_modifiers", [])),
            multi_victim_words={str(k).lower(): int(v) for k, v in raw.get("multi_victim_words", {}).items()},
            multi_victim_nouns={str(k).lower(): str(v) for k, v in raw.get("multi_victim_nouns", {}).items()},
            suffer_verbs=low(raw.get("suffer_verbs", [])), condition_preps=low(raw.get("condition_preps", [])),
            irrealis_verbs=low(raw.get("irrealis_verbs", [])), irrealis_modals=low(raw.get("irrealis_modals", [])),
            collective_nouns=low(raw.get("collective_nouns", [])),
            hit_verbs=low(raw.get("hit_verbs", [])), gunfire_nouns=low(raw.get("gunfire_nouns", [])),
            transport_verbs=low(raw.get("transport_verbs", [])), hospital_nouns=low(raw.get("hospital_nouns", [])),
            toll_nouns=low(raw.get("toll_nouns", [])), toll_verbs=low(raw.get("toll_verbs", [])),
            earlier_words=low(raw.get("earlier_words", [])), figure_verbs=low(raw.get("figure_verbs", [])),
            militia_nouns=low(raw.get("militia_nouns", [])),
            militia_types=frozenset(str(x) for x in raw.get("militia_types", [])),
            phrase_cues=_phrase_cues(path, raw.get("phrase_cues", {})),
            victim_verbs=low(raw.get("victim_verbs", [])),
            rival_figure_words=low(raw.get("rival_figure_words", [])),
            rival_clause_marks=low(raw.get("rival_clause_marks", [])),
            remains_nouns=low(raw.get("remains_nouns", [])),
            ordinal_words=low(raw.get("ordinal_words", [])),
        )

    def person(self, tok: Any) -> bool:
        """A people noun of the lexicon, by its form or its lemma."""
        return tok.lower_ in self.people_nouns or tok.lemma_.lower() in self.people_nouns

    def cue(self, tok: Any) -> Optional[str]:
        """Category for one token ("shot" for the shot cues), or None."""
        return self.cue_rule(tok)[0]

    def cue_rule(self, tok: Any) -> tuple[Optional[str], str]:
        """Category for one token and the rule that refined it ("" for a plain cue word)."""
        shot_verb = (tok.lower_ in self.shot_cues or tok.lemma_.lower() in self.shot_cues) and tok.pos_ in ("VERB", "ADJ")
        if shot_verb and any(c.dep_ == "prt" and c.lower_ == "down" for c in tok.children):
            return None, ""  # "shot down 12 drones": aircraft, not people
        if tok.pos_ == "VERB" and self.phrase_cues:
            for c in tok.children:
                cat = self.phrase_cues.get((tok.lemma_.lower(), c.lemma_.lower())) if c.dep_ in ("dobj", "prt") else None
                if cat:
                    return cat, f"'{tok.text} {c.text}': {cat}"
        if shot_verb and self.to_death(tok) is not None:
            return "killed", "'to death': killed"
        if shot_verb and any(c.dep_ in ("oprd", "acomp") and c.lower_ == "dead" for c in tok.children):
            return "killed", "'shot dead': killed"
        if shot_verb and self.fired_at(tok):
            return None, ""
        if tok.pos_ == "VERB" and tok.lemma_.lower() in self.hit_verbs and any(
                o.dep_ == "pobj" and o.lemma_.lower() in self.gunfire_nouns
                for c in tok.children if c.dep_ in ("agent", "prep") and c.lower_ in ("by", "with") for o in c.children):
            return "shot", "'hit by gunfire': shot"
        if tok.pos_ == "VERB" and tok.lemma_.lower() in self.transport_verbs and any(
                o.dep_ == "pobj" and o.lower_ in self.hospital_nouns
                for c in tok.children if c.dep_ == "prep" and c.lower_ == "to" for o in c.children):
            return "shot", "'taken to a hospital': a casualty"
        for w in (tok.lower_, tok.lemma_.lower()):
            if w in self.cue_to_category:
                if self.cue_to_category[w] == "injured" and tok.pos_ == "NOUN" and any(
                        c.lower_ in self.shot_wound_modifiers for c in tok.children if c.dep_ in ("compound", "amod")):
                    return "shot", "a gunshot wound: shot"
                return self.cue_to_category[w], ""
        if shot_verb:
            return "shot", ""  # the verb; "shots" and "the shooting" are gunfire, not people
        return None, ""

    def to_death(self, verb: Any) -> Optional[Any]:
        """The "death" of "shot to death", "stabbed to death"; None without one."""
        for prep in verb.children:
            if prep.dep_ == "prep" and prep.lower_ == "to":
                for obj in prep.children:
                    if obj.dep_ == "pobj" and self.cue_to_category.get(obj.lemma_.lower()) == "killed":
                        return obj
        return None

    def fired_at(self, verb: Any) -> bool:
        """"shot at the suspects", "was shot at", "fired ... shot at her car": gunfire aimed, nobody hit.
        "was shot at a party" / "at his home" is where a victim was hit."""
        passive = any(c.dep_ in ("auxpass", "nsubjpass") for c in verb.children)
        for prep in verb.children:
            if prep.dep_ == "prep" and prep.lower_ == "at":
                objs = [o for o in prep.children if o.dep_ == "pobj"]
                if not objs or any(o.lower_ in self.people_nouns or o.pos_ == "PRON" or o.ent_type_ == "PERSON"
                                   for o in objs):
                    return True
                if not passive and any(o.lemma_.lower() in self.not_people for o in objs):
                    return True  # an active "shot at her parked car"
        return False


@dataclass
class Phrase:
    """A number phrase found in the tokens: ``first``..``last`` token indices (inclusive)."""

    first: int
    last: int
    value: Optional[int]
    upper: Optional[int] = None
    approximate: bool = False
    qualifier: str = ""
    vague: bool = False
    singular: bool = False  # "a man", "another": an implicit 1
    definite: bool = False  # "he", "the victim", a named person: the same 1 may recur
    incident: bool = False  # "a triple shooting": the multiplier of an incident noun


class CountsConfig(StageConfig):
    lexicon: ConfigPath = DEFAULT_LEXICON
    window: int = 5  # tokens either side searched for a category cue when the parse gives none


@register
class CountsStage(Stage):
    name = "counts.v1"
    requires = frozenset({"doc", "actors"})
    provides = frozenset({"counts"})
    Config = CountsConfig

    def _lexicon(self) -> Lexicon:
        path = Path(self.config.lexicon)
        return self.resources.get(("counts.lexicon", str(path)), lambda: Lexicon.load(path))

    def warm_up(self) -> None:
        self._lexicon()

    def __call__(self, docs: list[AnnotatedDoc]) -> None:
        lex = self._lexicon()
        for doc in docs:
            doc.layers["counts"] = Reader(doc, lex, self.name, self.config.window).read()


_COMMA_GAP = re.compile(r"^\s*,\s*$")
_LIST_GAP = re.compile(r"^\s*(?:,|and|,\s*and)\s*$")
# "five people had died, three soldiers and ...": the figure's own short predicate, then a comma
_CLAUSE_COMMA_GAP = re.compile(r"^(?:\s+[a-z]+){0,3}\s*,\s*$")


class Reader:
    """Counts of one document."""

    def __init__(self, doc: AnnotatedDoc, lex: Lexicon, stage: str, window: int) -> None:
        self.doc, self.lex, self.stage, self.window = doc, lex, stage, window
        self.tokens = doc.doc
        self.actors = doc.layer("actors")
        self.main_group = _main_armed_group(self.actors, self._is_source)
        self.coordinated: dict[int, list[int]] = {}  # id(count) → token indices of its numbered conjuncts
        self.nouns: dict[int, int] = {}  # id(count) → index of its counted noun
        self.numbers: dict[int, int] = {}  # id(count) → index of its number's last token
        self.one_by_one: set[int] = set()  # ids of counts of people named without a number ("a man and a boy")
        self._toll: Any = None  # the toll noun of "the number of people killed ... rose to 14"
        self._who_rule = ""
        self._parts_of_next: list[int] = []
        self.crowds = [(m.sent, m.value.name) for m in self.actors if m.value.name in ("Protesters", "Rioters")]

    def link_coordinated(self, mentions: list[Mention]) -> None:
        """"a woman and her two children" (3) is the total of "two children" (2)."""
        for t, m in enumerate(mentions):
            for noun_i in self.coordinated.get(id(m), ()):
                for part in mentions:
                    if self.nouns.get(id(part)) == noun_i and part is not m:
                        part.value.part_of = t
                        part.reason += f"; part of {m.text!r}"

    def named_after_a_comma(self, mentions: list[Mention]) -> None:
        """"two civilians, a taxi driver and a young woman, were killed": people named one by one right after a
        figure and a comma, as many as it counts, are who it counts (its parts, as is any one of them counted
        alone), not more victims; the parse often reads them as conjuncts of the figure."""
        text = self.doc.article.text
        for t, total in enumerate(mentions):
            v = total.value
            if v.part_of is not None or v.lone_victim or not v.value or v.category == "other":
                continue
            after = [m for m in mentions if m.start >= total.end and m.sent == total.sent]
            named = after[0] if after else None
            if named is None or named.value.category != v.category or named.value.part_of is not None:
                continue
            gap = text[total.end:named.start]
            if id(named) not in self.one_by_one or named.value.value != v.value or not _COMMA_GAP.match(gap):
                if not _CLAUSE_COMMA_GAP.match(gap):
                    continue
                # "five people had died, three soldiers and two civilians": figures that sum to it
                run, end, n = [], total.end, 0
                for m in after:
                    if m.value.category != v.category or not m.value.value or m.value.part_of is not None \
                            or not (_CLAUSE_COMMA_GAP if not run else _LIST_GAP).match(text[end:m.start]):
                        break
                    run.append(m)
                    end, n = m.end, n + m.value.value
                    if n >= v.value:
                        break
                if len(run) < 2 or n != v.value:
                    continue
                for m in run:
                    m.value.part_of, m.value.adds_to = t, None
                    m.reason += f"; with the figures after it, a breakdown of {total.text!r}"
                continue
            for m in mentions:
                if m is not total and named.start <= m.start and m.end <= named.end:
                    m.value.part_of, m.value.adds_to = t, None
                    m.reason += f"; named after {total.text!r} and a comma: who it counts"

    def coordinated_groups(self, mentions: list[Mention]) -> None:
        """"Nine soldiers and four members of a militia were killed", "two fighters and a civilian": counts
        coordinated under one predicate are separate groups that add up (``adds_to='so_far'``), never a
        total and its part (that is "a woman and her two children", which ``link_coordinated`` links)."""
        by_noun = {self.nouns[id(m)]: m for m in mentions if self.nouns.get(id(m), -1) >= 0}
        for m in mentions:
            v = m.value
            noun_i = self.nouns.get(id(m), -1)
            if noun_i < 0 or v.part_of is not None or v.adds_to is not None or v.value is None:
                continue
            noun = self.tokens[noun_i]
            head, owner = noun, self._of_conjunct_owner(noun)
            while head.dep_ == "conj" and head.head.i != head.i or owner is not None:
                if owner is not None and head.dep_ != "conj":
                    head, owner = owner, None  # "six members of a group and a soldier": conjunct of "members"
                else:
                    if any(c.dep_ == "cc" and c.lower_ in ("or", "nor") for c in head.head.children):
                        break  # "three or four people": alternatives
                    head = head.head
                o = by_noun.get(head.i)
                if o is not None and o is not m and o.sent == m.sent and o.value.category == v.category \
                        and o.value.part_of is None and o.value.value is not None:
                    if o.value.value == 0:  # "A woman and two children were not injured"
                        v.value, v.upper = 0, None
                        m.reason += f"; coordinated with {o.text!r}: shares its negated predicate, nobody"
                    else:
                        v.adds_to = "so_far"
                        m.reason += f"; {ADDS} (coordinated with {o.text!r} under one predicate: another group)"
                    break

    def earlier_figures(self, mentions: list[Mention]) -> None:
        """"after initially reporting two dead", "raising an earlier toll of three", "had earlier put the toll
        at eight": a figure reported before another of the same category is superseded by it."""
        marked = {id(m): self._earlier_word(m) for m in mentions}
        for m in mentions:
            v, word = m.value, marked[id(m)]
            if word is None or v.superseded or v.value is None:
                continue
            later = [o for o in mentions if o is not m and marked[id(o)] is None and o.value.category == v.category
                     and o.value.value is not None and not o.value.background and not o.value.superseded
                     and (o.value.who == v.who or None in (o.value.who, v.who))]
            if later:
                v.superseded = True
                m.reason += f"; earlier figure ({word!r}): superseded by {later[0].text!r}"

    def _earlier_word(self, m: Mention) -> Optional[str]:
        """The earlier-word ("initially", "an earlier toll") on a reporting verb or toll noun above the number."""
        lex = self.lex
        i = self.numbers.get(id(m))
        if i is None:
            return None
        below = self.tokens[i]
        for k, a in enumerate(self.tokens[i].ancestors):
            if k >= 4:
                break
            lemma = a.lemma_.lower()
            # the figure is the report's object ("initially reporting two dead"), not its subject
            # ("16 more were initially reported in critical condition": people, not a figure)
            # ... or the clause it says ("initially said five people had died")
            verb_ok = lemma in lex.figure_verbs | lex.toll_verbs and below.dep_ in ("dobj", "attr", "oprd", "prep",
                                                                                    "ccomp")
            below = a
            if verb_ok or lemma in lex.toll_nouns:
                word = next((c.text for c in a.children if c.dep_ in ("advmod", "amod")
                             and c.lower_ in lex.earlier_words), None)
                if word:
                    return word
        return None

    def _named_group(self, noun: Any) -> Optional[str]:
        """The named armed group last seen acting before ``noun``, else the article's main group."""
        before = [m for m in self.actors if m.end <= noun.idx and m.value.role == "actor1"
                  and m.value.type in NAMED_TYPES and m.value.name != "Unidentified Armed Group" and not self._is_source(m)]
        return before[-1].value.name if before else self.main_group

    def _is_source(self, m: Mention) -> bool:
        """"the SDF said": the subject of a reporting verb is a source, not an initiator."""
        span = self.tokens.char_span(m.start, m.end, alignment_mode="expand")
        return span is not None and span.root.head.lemma_.lower() in self.lex.report_verbs

    # --- the document ---------------------------------------------------

    def read(self) -> list[Mention]:
        mentions: list[Mention] = []
        minus: set[int] = set()  # ids of "shot" counts already reduced by their sentence's killed
        others: set[int] = set()  # ids of counts of other people ("another", "a second man")
        for sent in self.tokens.sents:
            phrases = self.phrases(sent)
            sent_mentions = [m for m in (self.mention(p, sent) for p in phrases) if m is not None]
            others |= {id(m) for m in sent_mentions if self._names_others(m)}
            minus |= _shot_minus_killed(sent_mentions, others)
            mentions.extend(sent_mentions)
        self.link_coordinated(mentions)
        self.breakdowns(mentions)
        self.named_after_a_comma(mentions)
        self.coordinated_groups(mentions)
        self.revisions(mentions)
        self.earlier_figures(mentions)
        self.background(mentions)
        self.repeats(mentions)
        _shot_who_died(mentions, minus | others)
        self.distinct_victims(mentions)
        self.restatements(mentions)
        for m in mentions:
            if m.value.category == "shot":
                m.value.category = "injured"
        return mentions

    # --- number phrases ---------------------------------------------------

    def phrases(self, sent: Any) -> list[Phrase]:
        lex, toks = self.lex, self.tokens
        out: list[Phrase] = []
        i = sent.start
        while i < sent.end:
            tok = toks[i]
            low = tok.lower_
            # multi-word number words first ("a dozen", "half a dozen", "tens of thousands")
            multi = self._multiword(i, sent.end)
            if multi is not None:
                j, value, vague = multi
                out.append(Phrase(i, j, value, vague=vague, approximate=vague))
                i = j + 1
                continue
            if DIGITS.match(tok.text) or low in lex.number_words or low in lex.scale_words or low in lex.vague_words:
                j, value = self._number(i, sent.end)
                vague = value is None
                p = Phrase(i, j, value, vague=vague, approximate=vague)
                # ranges: "5,000 to 6,000", "10-15", "between 10 and 15"
                k = j + 1
                if k + 1 < sent.end and toks[k].lower_ in lex.range_words and (
                        DIGITS.match(toks[k + 1].text) or toks[k + 1].lower_ in lex.number_words):
                    j2, v2 = self._number(k + 1, sent.end)
                    if v2 is not None and value is not None and v2 > value and not (
                            toks[k].lower_ == "and" and toks[i - 1].lower_ != "between"):
                        p.upper, p.last = v2, j2
                out.append(p)
                i = p.last + 1
                continue
            if low in lex.multi_victim_words and tok.dep_ in ("amod", "compound", "nummod") and tok.head.i > i \
                    and tok.head.lower_ in lex.multi_victim_nouns:
                out.append(Phrase(i, i, lex.multi_victim_words[low], incident=True))
            elif low in ("a", "an", "another", "one") and tok.dep_ in ("det", "nummod") and self._one_person(tok.head) \
                    and not any(t.dep_ == "nummod" and t.head == tok.head for t in toks[i + 1:tok.head.i]):
                out.append(Phrase(i, i, 1, singular=True))
            elif self._definite_victim(tok):
                first = min(t.i for t in tok.subtree if t.dep_ != "det") if _age_noun(tok) else i  # "68-year-old"
                out.append(Phrase(first, i, 1, singular=True, definite=True))
            elif low == "another" and tok.dep_ in ("dobj", "nsubj", "nsubjpass", "conj"):
                out.append(Phrase(i, i, 1, singular=True))
            elif self._bare_ordinal(tok):  # "two men were killed and a third was wounded"
                out.append(Phrase(i - 1, i, 1, singular=True))
            elif low in ("no", "none", "nobody"):  # "no one was injured", "no injuries", "none were hurt"
                j = i + 1 if (low == "no" and i + 1 < sent.end and toks[i + 1].lower_ in ("one", "other")) else i
                out.append(Phrase(i, j, 0, qualifier="negated"))
                i = j + 1
                continue
            i += 1
        for p in out:
            self._qualify(p, sent.start)
        return out

    def _bare_ordinal(self, tok: Any) -> bool:
        """"a third was wounded": an ordinal standing for one more person (not "a second" of time,
        which has no clause of its own)."""
        return tok.lower_ in self.lex.ordinal_words and tok.dep_ in ("nsubj", "nsubjpass", "dobj", "conj") \
            and tok.i > 0 and self.tokens[tok.i - 1].lower_ in ("a", "an") and tok.head.pos_ in ("VERB", "AUX")

    def _one_person(self, noun: Any) -> bool:
        """"a man", "a 17-year-old", "a 24-year-old machine operator": a singular person noun."""
        return noun.lower_ in self.lex.people_nouns and noun.tag_ in ("NN", "NNP") or _age_noun(noun) \
            or noun.tag_ == "NN" and _aged(noun)

    def _definite_victim(self, tok: Any) -> bool:
        """"He died", "the victim was shot", "Smith was pronounced dead", "shot his wife": one known person."""
        lex = self.lex
        if tok.dep_ == "poss" and tok.lower_ in ("his", "her") and tok.tag_ == "PRP$" \
                and lex.cue(tok.head) in ("injured", "shot"):
            return True  # "His injuries were not life-threatening": the one hurt
        if tok.dep_ not in ("nsubj", "nsubjpass", "dobj"):
            return False
        if tok.lower_ in ("he", "she", "himself", "herself"):
            return True
        if tok.lower_ in ("him", "her") and tok.tag_ == "PRP" and tok.dep_ == "dobj":
            return True  # "shot him in the leg"
        person = tok.lower_ in lex.people_nouns and tok.lower_ not in lex.collective_nouns
        bare = not any(c.dep_ in ("det", "nummod", "poss", "quantmod") for c in tok.children)
        if person and bare and (tok.tag_ == "NN" or tok.tag_ == "NNP" and tok.is_sent_start):
            return True  # headline style: "Man shot in neck", "37-year-old woman killed"
        if (person and tok.tag_ == "NN" or _age_noun(tok)) and any(c.dep_ == "det" and c.lower_ == "the" or c.dep_ == "poss"
                                                                  for c in tok.children):
            return True  # "the victim", "his wife", "the girl's cousin", "the 68-year-old"
        return tok.ent_type_ == "PERSON" and tok.head.pos_ == "VERB"

    def _multiword(self, i: int, end: int) -> Optional[tuple[int, Optional[int], bool]]:
        toks, lex = self.tokens, self.lex
        for n in (4, 3, 2):
            if i + n > end:
                continue
            words = " ".join(t.lower_ for t in toks[i:i + n])
            if words in lex.number_words:
                return i + n - 1, lex.number_words[words], False
            if words in lex.vague_words:
                return i + n - 1, None, True
        return None

    def _number(self, i: int, end: int) -> tuple[int, Optional[int]]:
        """Read digits/words from token ``i``: (last index, value or None when vague)."""
        toks, lex = self.tokens, self.lex
        total, current, j = 0, None, i
        while j < end:
            low = toks[j].lower_
            if DIGITS.match(toks[j].text):
                if current is not None:
                    break
                current = float(low.replace(",", ""))
            elif low in lex.number_words and not low.startswith("a ") and low not in ("both", "pair", "couple"):
                if current is not None and current >= 20 and lex.number_words[low] < 10:
                    current += lex.number_words[low]  # "twenty one"
                elif current is None:
                    current = lex.number_words[low]
                else:
                    break
            elif low in lex.scale_words and current is not None:
                current *= lex.scale_words[low]
                if lex.scale_words[low] >= 1000:
                    total, current = total + current, 0
            elif low in lex.vague_words and current is None and j == i:
                return j, None
            elif low == "-" and current is not None and j + 1 < end and toks[j + 1].lower_ in lex.number_words \
                    and lex.number_words[toks[j + 1].lower_] < 10 and current >= 20:
                pass  # "twenty-one"
            elif low == "and" and current is not None and j + 1 < end and toks[j + 1].lower_ in lex.number_words \
                    and current >= 100:
                pass  # "two hundred and fifty"
            else:
                break
            j += 1
        if current is None and total == 0:
            low = toks[i].lower_
            return i, lex.number_words.get(low)
        return j - 1, int(total + (current or 0))

    def _qualify(self, p: Phrase, sent_start: int) -> None:
        before = " ".join(t.lower_ for t in self.tokens[max(sent_start, p.first - 3):p.first])
        for kind in ("floor", "ceiling", "about"):
            for q in getattr(self.lex, kind):
                if before == q or before.endswith(" " + q):
                    p.approximate, p.qualifier = True, q
                    return

    # --- one phrase → one mention ------------------------------------------

    def mention(self, p: Phrase, sent: Any) -> Optional[Mention]:
        toks, lex = self.tokens, self.lex
        first, last = toks[p.first], toks[p.last]
        if p.incident:
            return self._incident_mention(p)
        if not p.singular and p.qualifier != "negated":
            if any(t.ent_type_ in SKIP_ENTS for t in toks[p.first:p.last + 1]) and self._really_not_people(p):
                return None
            if self._not_people_context(p):
                return None
        noun = self._counted_noun(p)
        reason: list[str] = []
        if noun is not None:
            nl = noun.lower_
            ordinal = p.singular and self._bare_ordinal(noun)
            if not ordinal and (nl in lex.not_people or noun.lemma_.lower() in lex.not_people):
                return None
            if any(c.dep_ == "appos" and c.lemma_.lower() in lex.not_people for c in noun.children):
                return None  # "Rex, a 5-year-old terrier, was shot": a pet, not a person
            actor = self._actor_at(noun.i)
            known = p.definite or lex.person(noun) or actor is not None or ordinal
            aged = not known and _aged(noun)
            victim = not (known or _age_noun(noun) or aged) and self._victim_noun(noun)
            if not (known or _age_noun(noun) or aged or victim):
                return None
            if noun.pos_ == "PROPN" and (actor is None or actor.value.type is None) and not p.definite:
                return None  # "4500 SW 71st Avenue"
            reason.append(f"counts {noun.text!r}" + (" (an age makes it a person)" if aged else "")
                          + (f" (what {noun.head.text!r} does is done to people: a person)" if victim else ""))
        elif p.singular:
            return None
        self._cue_after = self._cue_tok = self._toll = None
        self._who_rule = ""
        self._parts_of_next = []
        category, how = self._category(p, noun, sent)
        if category is None:
            if noun is None:
                return None  # a bare number with no cue: an age, a phone number, a score
            category, how = "other", "no category cue"
        if p.singular and how.startswith("window"):
            return None  # "a man" near a cue word is not a count by itself
        cue = self._cue_tok
        if category == "participants" and noun is not None and cue is not None and cue.pos_ == "VERB" \
                and noun.dep_ == "dobj" and noun.head.i == cue.i:
            category, how = "other", how + f"; object of a transitive {cue.text!r}: people moved, not participants"
        if category in ("killed", "injured", "shot") and self._irrealis(self._cue_tok):
            return None  # "tried to shoot a man", "was going to shoot", "could have been killed"
        if p.definite and category not in ("killed", "injured", "shot"):
            return None  # "he was arrested": a person, not a figure worth a count
        if p.singular and category == "participants":
            return None  # "a nurse who had joined the protest": one marcher is no crowd figure
        if p.definite and last.dep_ == "poss" and category == "injured":
            category, how = "shot", how + "; 'his injuries': hurt, wounded unless a killed figure covers them"
        if p.singular and noun is not None:
            own = self._own_cue(noun)
            if own is None:
                return None  # "a man told police he shot ...", "charged with murder": not the victim's own predicate
            how += own
        if noun is not None and self._perpetrator(noun):
            return None  # "two men shot a woman": the subject did it
        if noun is None and not self._bare_ok(p, how):
            return None  # "911", "3900 block", a phone number: no person is counted
        named = noun if noun is not None else self._cue_tok
        if p.qualifier == "negated" and named is not None and named.lemma_.lower() in ("casualty", "fatality", "death"):
            category, how = "killed", how + f"; no {named.text!r}: nobody killed"
        if noun is not None and p.qualifier != "negated" and self._negated(noun) and category in ("killed", "injured", "shot"):
            p.value, p.upper, p.qualifier = 0, None, "negated"  # "the two victims were not injured"
        elif noun is not None and p.qualifier != "negated" and self._neither(noun) and category in ("killed", "injured", "shot"):
            p.value, p.upper, p.qualifier = 0, None, "negated"
            how += "; 'neither ... nor': nobody"
        elif p.singular and noun is not None:
            extra, last_person = self._coordinated_people(noun)
            if extra:
                p.value = 1 + extra
                reason.append(f"{1 + extra} coordinated people")
                self._cue_after = last_person  # the span runs to the last person
        if p.qualifier == "negated" and (noun is None and toks[p.last].lower_ not in ("one", "other", "none", "nobody")):
            if category not in ("killed", "injured", "shot"):
                return None
        reason.append(how)
        self_inflicted = category in ("killed", "injured", "shot") and self._self_inflicted(noun, sent)
        if self_inflicted:
            reason.append(SELF_INFLICTED)
        start_tok = toks[max(sent.start, p.first - len(p.qualifier.split()))] if p.qualifier and p.qualifier != "negated" else first
        end_tok = noun if noun is not None and noun.i > p.last and noun.i - p.last <= 8 else last
        if self._cue_after is not None and self._cue_after.i > end_tok.i:
            end_tok = self._cue_after  # "322 dead"
        start, end = start_tok.idx, end_tok.idx + len(end_tok.text)
        value = CountValue(
            category=category, value=p.value, approximate=p.approximate,
            who=self._who(noun) or self._default_who(noun, category),
            upper=p.upper, self_inflicted=self_inflicted,
            cue=self._cue_tok.lemma_.lower() if self._cue_tok is not None else None,
            total=not p.singular and p.value is not None and (self._toll is not None or self._stated_total(p, sent, category)),
        )
        rival = self._rival_figure(toks[p.last]) if value.total else None
        if rival is not None:
            value.total, value.rival = False, True
            reason.append(f"{rival.text!r} {rival.head.text!r}: another source's figure, not a stated total")
        if category == "other" and noun is not None and value.who in ("Protesters", "Rioters"):
            value.category = "participants"  # "several hundred young people hurled stones"
            reason.append(f"a crowd ({value.who}) with no cue: participants")
        if self._toll is not None and p.value is not None:
            reason.append(f"a stated toll ({self._toll.text!r} ... {toks[p.last].text!r})")
        if self._who_rule:
            reason.append(self._who_rule)
        if p.qualifier:
            reason.append(f"qualifier {p.qualifier!r}")
        if p.singular and p.value == 1:
            value.lone_victim = True
            reason.append(LONE_VICTIM)
        text = self.doc.article.text
        out = Mention(start, end, text[start:end], "COUNT", self.stage, value, "; ".join(reason), self.doc.sent_of(start))
        if self._parts_of_next:
            value.total = True
            self.coordinated[id(out)] = list(self._parts_of_next)
        self.nouns[id(out)] = noun.i if noun is not None else -1
        self.numbers[id(out)] = p.last
        if p.singular:
            self.one_by_one.add(id(out))
        return out

    def _incident_mention(self, p: Phrase) -> Optional[Mention]:
        """"a triple shooting" → 3 shot, "a double homicide" → 2 killed."""
        word, noun = self.tokens[p.first], self.tokens[p.first].head
        category = self.lex.multi_victim_nouns[noun.lower_]
        if self._irrealis(noun):
            return None
        start, end = word.idx, noun.idx + len(noun.text)
        value = CountValue(category=category, value=p.value)
        reason = f"a {word.text!r} {noun.text!r}: {p.value} {category}"
        return Mention(start, end, self.doc.article.text[start:end], "COUNT", self.stage, value, reason,
                       self.doc.sent_of(start))

    def _victim_noun(self, noun: Any) -> bool:
        """"Four gold panners were shot dead", "abducted six teachers": a plural noun the lexicon does not
        know is people when it is the passive subject or the object of a verb done to people."""
        head = noun.head
        return (noun.tag_ == "NNS" and noun.dep_ in ("nsubjpass", "dobj") and head.pos_ == "VERB"
                and head.lemma_.lower() in self.lex.victim_verbs)

    def _rival_figure(self, tok: Any) -> Optional[Any]:
        """"A residents' group gave a higher toll of 11", "..., prosecutors said, while local media put the
        toll at 11": the comparative word on the toll noun above the number, or the contrast that opens
        the figure's clause (a rival source's figure, conflicting rather than the stated total), or None."""
        for a in [tok, *tok.ancestors]:
            if a.lemma_.lower() in self.lex.toll_nouns:
                word = next((c for c in a.children if c.dep_ == "amod" and c.lower_ in self.lex.rival_figure_words), None)
                if word is not None:
                    return word
                # "Civil society leaders gave a toll of 17": a source that gives its own figure, not the toll
                if a.dep_ == "dobj" and a.head.lemma_.lower() == "give" \
                        and any(c.dep_ == "det" and c.lower_ in ("a", "an") for c in a.children):
                    return a.head
            if a.pos_ in ("VERB", "AUX"):
                mark = next((c for c in a.children if c.dep_ == "mark" and c.lower_ in self.lex.rival_clause_marks),
                            None) if a.dep_ == "advcl" else None
                if mark is not None:
                    return mark
                # "A doctor gave a higher toll, saying the bodies of seven people had been brought in"
                say = a if a.dep_ == "advcl" else a.head if a.dep_ == "ccomp" else None
                if say is not None and say.dep_ == "advcl" and say.lemma_.lower() in self.lex.report_verbs:
                    for noun in say.head.children:
                        if noun.dep_ == "dobj" and noun.lemma_.lower() in self.lex.toll_nouns:
                            word = next((c for c in noun.children
                                         if c.dep_ == "amod" and c.lower_ in self.lex.rival_figure_words), None)
                            if word is not None:
                                return word
                return None
        return None

    def _irrealis(self, cue: Any) -> bool:
        """The cue's verb is attempted, wanted or hypothetical ("tried to shoot", "could have been killed")."""
        verb = cue
        for _ in range(2):  # "fatally" → shot, "death" → to → shot
            if verb is None or verb.pos_ in ("VERB", "AUX"):
                break
            verb = verb.head
        if verb is None or verb.pos_ not in ("VERB", "AUX"):
            return False
        if any(c.dep_ == "aux" and c.lower_ in self.lex.irrealis_modals for c in verb.children):
            return True
        while verb.dep_ == "xcomp":  # "tried to shoot", "were going to have to kill him"
            verb = verb.head
            if verb.lemma_.lower() in self.lex.irrealis_verbs:
                return True
        return False

    def _neither(self, noun: Any) -> bool:
        """"Neither the driver nor his two sons were injured": every conjunct is negated."""
        head = noun
        while head.dep_ in ("conj", "appos") and head.head.i != head.i:
            head = head.head
        return any(c.dep_ in ("preconj", "det") and c.lower_ == "neither" for c in head.children)

    def _self_inflicted(self, noun: Any, sent: Any) -> bool:
        """"killed himself", "a self-inflicted gunshot wound": the shooter's own death or wound."""
        if "self-inflicted" in sent.text.lower() or "self inflicted" in sent.text.lower():
            return True
        if noun is None:
            return False
        if noun.head.lemma_.lower() in self.lex.transport_verbs:
            return False  # "drove himself to a hospital": a victim's own way there
        if noun.lower_ in REFLEXIVE:  # "shot himself"; not the emphatic "before being shot herself"
            return not any(c.dep_ == "auxpass" for c in noun.head.children)
        return noun.dep_ == "nsubj" and any(c.dep_ == "dobj" and c.lower_ in REFLEXIVE for c in noun.head.children)

    def _coordinated_people(self, noun: Any) -> tuple[int, Any]:
        """"a mother and her son", "his wife and then himself": each conjoined person counts one.
        Returns how many besides ``noun`` and the last of them."""
        n, last = 0, noun
        conjuncts = list(noun.conjuncts)
        if noun.dep_ == "dobj":  # "fatally shot his wife and then himself": the parse attaches "himself" anywhere
            toks, j = self.tokens, noun.i + 1
            k = j + 2 if j + 1 < len(toks) and toks[j + 1].lower_ == "then" else j + 1
            if k < len(toks) and toks[j].lower_ == "and" and toks[k].lower_ in REFLEXIVE and toks[k] not in conjuncts:
                conjuncts.append(toks[k])
        for c in conjuncts:
            if c.i <= noun.i:
                continue
            if c.lower_ in self.lex.people_nouns and c.tag_ in ("NN", "NNP") or c.lower_ in ("himself", "herself") \
                    or c.ent_type_ == "PERSON" and c.pos_ == "PROPN":
                n += 1
            elif c.lower_ in self.lex.people_nouns:  # "a woman and her two children"
                nums = [g for g in c.children if g.dep_ == "nummod"]
                if len(nums) != 1:
                    continue
                value = self._number(nums[0].i, nums[0].i + 1)[1]
                n += value or 0
                self._parts_of_next.append(c.i)
            else:
                continue
            last = max(last, c, key=lambda t: t.i)
        return n, last

    def _own_cue(self, tok: Any) -> Optional[str]:
        """The cue is this person's own predicate ("he died", "Smith was shot"), not a reported clause:
        None when it is not, else the rule for the reason ("" for the plain cases)."""
        cue = self._cue_tok
        if cue is None:
            return None
        shared = ""
        if tok.dep_ == "conj":
            root = tok
            while root.dep_ == "conj" and root.head.i != root.i:
                root = root.head
            owner = self._of_conjunct_owner(tok)
            if root.pos_ in ("NOUN", "PROPN") and any(c.dep_ == "nummod" for c in root.children):
                tok = root  # "killing two Hezbollah fighters and a civilian": the numbered head's predicate
                shared = f"; conjunct of {root.text!r}: shares its predicate"
            elif owner is not None:  # "six members of a militant group and a soldier were killed"
                tok = owner
                shared = (f"; conjunct of {owner.text!r} (the parse hangs it on {root.text!r} inside 'of'):"
                          f" shares its predicate")
        own = self._own_cue_of(tok, cue)
        return None if own is None else own + shared

    def _of_conjunct_owner(self, tok: Any) -> Optional[Any]:
        """"Six members of a militant group and a soldier": the parse conjoins the person "soldier" with
        the non-person object of "of" ("group"); it is a conjunct of the numbered people noun "members".
        Returns that noun, else None."""
        person = self.lex.person
        if tok.dep_ != "conj" or not person(tok):
            return None
        root = tok
        while root.dep_ == "conj" and root.head.i != root.i:
            if any(c.dep_ == "cc" and c.lower_ in ("or", "nor") for c in root.head.children):
                return None  # alternatives
            root = root.head
        if root.dep_ != "pobj" or root.head.lower_ != "of" or person(root):
            return None
        owner = root.head.head
        if owner.pos_ == "NOUN" and person(owner) and any(c.dep_ == "nummod" for c in owner.children):
            return owner
        return None

    def _own_cue_of(self, tok: Any, cue: Any) -> Optional[str]:
        """``_own_cue`` for one person token."""
        head = tok.head
        if cue.dep_ == "pobj" and cue.head.head.i == head.i and cue.head.lower_ == "to":
            return ""  # "beat a man to death", "shot to death"
        if tok.dep_ == "poss" and cue.i == head.i:
            return ""  # "his injuries"
        if cue.pos_ == "NOUN" and self._condition_of(tok, cue):
            return f"; {cue.text!r} is the person's own condition"
        if tok.dep_ == "pobj" and head.lower_ == "of":
            owner = head.head
            if owner.i == cue.i and self._remains_of(tok) is not None:
                return f"; 'the {cue.text} of': the person's own death"  # "found the body of a man"
            if owner.dep_ == "dobj" and owner.head.i == cue.i and cue.pos_ == "VERB" \
                    and (cue.lemma_.lower(), owner.lemma_.lower()) in self.lex.phrase_cues:
                return f"; '{cue.text} the {owner.text} of': the person's own"  # "claimed the life of a man"
        if cue.dep_ == "pcomp" and cue.head.dep_ == "prep" and cue.head.head.i in (head.i, tok.i) \
                and any(c.dep_ == "auxpass" for c in cue.children):
            # "after being shot"; the active "accused of shooting a dog" / "before shooting him" names the shooter
            return f"; {cue.head.text!r} + {cue.text!r}: the person's own clause"
        if cue.pos_ not in ("VERB", "ADJ", "ADV"):
            return None  # "the murder suspect", "charged with homicide": nouns name the crime, not a victim
        if cue.i == tok.i or (cue.head.i == tok.i and cue.dep_ in ("relcl", "acl", "amod", "compound")):
            return ""  # "a man who was shot", "a wounded man", "the dead man"
        while cue.dep_ == "conj" and cue.head.dep_ == "conj":
            cue = cue.head  # "believed to be ... was shot and killed": the chain's first conjunct
        own = cue.i == head.i or (cue.head.i == head.i and cue.dep_ in ("acomp", "oprd", "conj", "xcomp", "advmod"))
        return "" if own else None

    def _condition_of(self, tok: Any, cue: Any) -> bool:
        """An injury noun as the person's own predicate: "suffered a gunshot wound", "a man with gunshot
        wounds", "left a woman in critical condition", "found suffering from stab wounds". Crime nouns
        ("charged with murder") never are."""
        if self.lex.cue(cue) not in ("injured", "shot"):
            return False
        own = (tok.i, tok.head.i)
        if cue.dep_ == "dobj" and cue.head.lemma_.lower() in self.lex.suffer_verbs:
            verb = cue.head
            return verb.i in own or verb.head.i == tok.i and verb.dep_ in ("relcl", "acl")
        if cue.dep_ == "pobj" and cue.head.lower_ in self.lex.condition_preps:
            host = cue.head.head
            return host.i in own or host.lemma_.lower() in self.lex.suffer_verbs and host.head.i in own
        return False

    def _perpetrator(self, noun: Any) -> bool:
        """The counted noun did it: "two men shot a woman", "a gunman who shot a driver"."""
        cue = self._cue_tok
        if cue is not None and cue.dep_ == "relcl" and cue.head.i == noun.i and cue.pos_ == "VERB" \
                and cue.lemma_.lower() not in self.lex.intransitive_cues \
                and any(c.dep_ == "nsubj" and c.lower_ in ("who", "that") for c in cue.children) \
                and any(c.dep_ == "dobj" and c.lower_ not in REFLEXIVE for c in cue.children):
            return True  # an active relative clause with an object; "a man who shot himself" is his own victim
        if cue is None or noun.dep_ != "nsubj":
            return False
        if cue.dep_ == "advmod":
            cue = cue.head  # "fatally shot his wife"
        elif cue.dep_ == "pobj" and cue.head.lower_ == "to":
            cue = cue.head.head  # "shot two teenagers to death"
        if cue.pos_ != "VERB":
            return False
        verbs = [noun.head] + [c for c in noun.head.children if c.dep_ == "conj" and c.pos_ == "VERB"]
        verbs += [c for v in list(verbs) for c in v.children if c.dep_ == "xcomp" and c.pos_ == "VERB"]
        if cue.i not in {v.i for v in verbs}:
            return False
        objects = [c for v in verbs for c in v.children if c.dep_ == "dobj"
                   and (v.lemma_.lower(), c.lemma_.lower()) not in self.lex.phrase_cues]  # "took part": no victim
        if not objects:
            # headline style "2 men shot in Chicago": no object, the subject is the victim; but not in
            # "she had shot at the car" (an active perfect, gunfire aimed): there the subject fired
            verb = noun.head
            active_perfect = any(c.dep_ == "aux" and c.lemma_ == "have" for c in verb.children) \
                and not any(c.dep_ == "auxpass" for c in verb.children)
            if not (active_perfect or self.lex.fired_at(cue)):
                return False
        if objects and all(o.lower_ in ("himself", "herself", "themselves") for o in objects):
            return False  # "killed himself": the subject is the one counted
        return cue.lemma_.lower() not in self.lex.intransitive_cues

    def _bare_ok(self, p: Phrase, how: str) -> bool:
        """A number without a counted noun is a count only as a direct argument of its cue."""
        tok = self.tokens[p.last]
        if how.endswith("after the number"):
            return True
        return how.endswith("governs the count") and tok.dep_ in ("nsubj", "nsubjpass", "dobj", "attr", "conj", "appos", "pobj") \
            and (tok.head.pos_ in ("VERB", "ADJ", "AUX") or tok.head.dep_ == "prep")

    def _negated(self, noun: Any) -> bool:
        """The counted people's own predicate is negated ("were not injured")."""
        head = noun.head
        if head.i == noun.i or noun.dep_ not in ("nsubj", "nsubjpass") or self._cue_tok is None:
            return False
        return self._cue_tok.i == head.i and any(c.dep_ == "neg" for c in head.children)

    def _default_who(self, noun: Any, category: str) -> Optional[str]:
        """Who plain people are: protesters/rioters where the article names them, else unknown."""
        lex = self.lex
        if noun is None:
            return None
        if category in lex.default_who:
            return lex.default_who[category]
        if noun.lower_ not in lex.crowd_nouns and noun.lemma_.lower() not in lex.crowd_nouns:
            return None
        if category in lex.crowd_categories:
            return self._crowd_near(self.doc.sent_of(noun.idx))
        return None

    def _crowd_near(self, sent: int) -> Optional[str]:
        """The crowd named in the sentence or the two before it (the most named one there): an article
        that also tells a raid elsewhere does not make the raid's wounded protesters."""
        near = [name for s, name in self.crowds if sent - CROWD_SENTENCES <= s <= sent]
        return max(dict.fromkeys(near), key=near.count) if near else None

    def _stated_total(self, p: Phrase, sent: Any, category: str) -> bool:
        """"The death toll has reached 322", "a total of 40 were wounded": a stated total.
        "toll" totals the dead; other total words must stand within six tokens before the number."""
        before = " ".join(t.lower_ for t in self.tokens[max(sent.start, p.first - 6):p.first])
        if any(re.search(rf"\b{re.escape(cue)}\b", before) for cue in self.lex.total_cues):
            return True
        return category == "killed" and self._toll_governs(self.tokens[p.last])

    def _toll_governs(self, tok: Any) -> bool:
        """"The death toll from the attack has reached 322", "put the toll at 11", "a toll of three": a toll
        noun above the number or an argument of its clause's verb. Not "Five officers were killed,
        raising an earlier toll of three": there the toll is another clause's."""
        if self._cue_tok is not None and self._cue_tok.lemma_.lower() in ("toll", "tally"):
            return True
        for a in tok.ancestors:
            if a.lemma_.lower() in ("toll", "tally"):
                return True
            if a.pos_ in ("VERB", "AUX"):
                return any(c.dep_ in ("nsubj", "nsubjpass", "dobj") and c.lemma_.lower() in ("toll", "tally")
                           for c in a.children)
        return False

    def _really_not_people(self, p: Phrase) -> bool:
        """spaCy's DATE/TIME entities swallow counts ("rose to 14 on Sunday"): only a number next to a
        month name, a year-like number, or an entity of another kind is really not a count."""
        toks = self.tokens
        first, last = toks[p.first], toks[p.last]
        if first.ent_type_ not in ("DATE", "TIME"):
            return True
        if p.value is not None and 1900 <= p.value <= 2100 and p.first == p.last:
            return True
        near = [toks[i] for i in (p.first - 1, p.first - 2, p.last + 1, p.last + 2) if 0 <= i < len(toks)]
        if any(t.lower_ in MONTHS or t.lower_ in ("a.m.", "p.m.", "am", "pm", ":") for t in near):
            return True
        return last.ent_type_ != first.ent_type_ or not any(
            t.ent_type_ == first.ent_type_ and t.lower_ in ("on", "sunday", "monday", "tuesday", "wednesday",
                                                             "thursday", "friday", "saturday", "night", "morning",
                                                             "evening", "afternoon")
            for t in near)

    def _not_people_context(self, p: Phrase) -> bool:
        """Ages ("Hopkins, 27,"), "45-year-old", money, phone numbers and addresses."""
        toks = self.tokens
        nxt = toks[p.last + 1] if p.last + 1 < len(toks) else None
        prv = toks[p.first - 1] if p.first > 0 else None
        if nxt is not None and (nxt.lower_ in self.lex.not_people or nxt.text in ("-", "–") and p.last + 2 < len(toks)
                                and (toks[p.last + 2].lower_ in ("year", "years", "year-old") or toks[p.last + 2].like_num)):
            return True
        if prv is not None and (prv.text in ("$", "£", "€", "#", "No.", "no.") or prv.text in ("-", "/", "(") and p.first > 1 and toks[p.first - 2].like_num):
            return True
        if prv is not None and prv.text == "," and nxt is not None and nxt.text in (",", ")") and p.first > 1 and toks[p.first - 2].ent_type_ == "PERSON":
            return True
        if nxt is not None and nxt.text in ("-", "/", ")") and p.last + 2 < len(toks) and toks[p.last + 2].text[:1].isdigit():
            return True  # phone numbers, dates written 3/4
        if prv is not None and prv.text == "(" and nxt is not None and nxt.text == ")":
            return True
        return False

    def _counted_noun(self, p: Phrase) -> Any:
        toks = self.tokens
        last = toks[p.last]
        tok = last
        if p.definite:
            return last
        if p.singular:
            if last.lower_ == "another" and last.dep_ not in ("det", "nummod") or self._bare_ordinal(last):
                return last  # "injured another", "a third was wounded"
            return last.head if last.dep_ in ("det", "nummod") else None
        if tok.dep_ in ("quantmod", "compound") and tok.head.dep_ == "nummod":
            tok = tok.head
        elif tok.dep_ == "compound":  # "Twelve Nigerien soldiers" parsed as a compound chain
            head = tok.head
            while head.dep_ == "compound" and head.head.i != head.i and head.head.i - tok.i <= 4:
                head = head.head
            if head.pos_ == "NOUN":
                return head
        if tok.dep_ == "nummod" and tok.head.pos_ in ("NOUN", "PROPN", "PRON"):
            return tok.head
        if p.vague and tok.dep_ in ("amod", "nummod", "det") and tok.head.pos_ in ("NOUN", "PROPN"):
            return tok.head  # "many prisoners", "dozens people"
        if tok.dep_ == "nummod" and tok.head.pos_ == "ADJ":
            return None  # "322 dead": the adjective is the cue, not a counted thing
        for child in tok.children:  # "dozens of people", "seven of them"
            if child.dep_ == "prep" and child.lower_ == "of":
                for obj in child.children:
                    if obj.dep_ == "pobj" and obj.pos_ in ("NOUN", "PROPN", "PRON"):
                        return obj
        return None

    def _actor_at(self, i: int) -> Optional[Mention]:
        tok = self.tokens[i]
        for m in self.actors:
            if m.start <= tok.idx < m.end:
                return m
        return None

    def _category(self, p: Phrase, noun: Any, sent: Any) -> tuple[Optional[str], str]:
        toks, lex = self.tokens, self.lex
        # 1. right after the number: "322 dead", "1 killed"
        for t in toks[p.last + 1:min(sent.end, p.last + 3)] if noun is None else ():
            c = lex.cue(t)
            if c and t.dep_ == "compound" and not lex.cue(t.head):
                break  # "no body camera video": the cue word modifies another noun
            if c:
                self._cue_after = self._cue_tok = t
                return c, f"cue {self._desc(t)} after the number"
            if t.is_punct or t.pos_ in ("VERB", "AUX"):
                break
        anchor = noun if noun is not None else toks[p.last]
        # 2. the counted noun's modifiers ("wounded soldiers", "people killed")
        group = [c for c in anchor.children if c.dep_ in ("amod", "compound", "acl", "advmod", "relcl")]
        group += [c for c in toks[p.last].children if c.dep_ == "advmod"]  # "one of them fatally"
        best = _pick(lex, group)
        remains = self._remains_of(anchor)
        if best and best[0] == "shot" and remains is not None:
            self._cue_tok = remains  # "the death of a woman found shot": she died
            return "killed", f"cue {self._desc(remains)}: the {remains.text} of one {best[1].text!r}"
        if best:
            self._cue_tok = best[1]
            return best[0], f"cue {self._desc(best[1])} on the counted noun"
        # 3. up the tree to the clause verb, its conjuncts, adverbs and complements
        tok = anchor
        for _ in range(5):
            if tok.dep_ == "conj" and tok.head.pos_ in ("NOUN", "PROPN", "NUM", "PRON"):
                tok = tok.head
                continue
            head = tok.head
            if head.i == tok.i:
                break
            if head.pos_ in ("VERB", "ADJ", "AUX") or (head.pos_ == "NOUN" and lex.cue(head)):
                words = [head] + [c for c in head.children if c.dep_ in (
                    "advmod", "acomp", "xcomp", "oprd", "dobj", "attr", "nsubj", "prep", "npadvmod", "ccomp")
                    or c.dep_ == "conj" and not any(g.dep_ in ("nsubj", "nsubjpass", "dobj") for g in c.children)]
                words += [g for w in list(words) if w.dep_ in ("nsubj", "attr", "dobj", "prep") for g in w.children
                          if g.dep_ in ("compound", "amod", "pobj", "appos", "pcomp")]  # pcomp: "after being shot"
                # "believed to be ... was shot and killed": the conjunct of a conjunct verb
                words += [g for w in list(words) if w.dep_ == "conj" and w.pos_ == "VERB" for g in w.children
                          if g.dep_ == "conj" and g.pos_ == "VERB"
                          and not any(x.dep_ in ("nsubj", "nsubjpass") for x in g.children)]
                # "MAIDUGURI — The death toll ... rose to 14": a dateline subject with the toll in apposition
                words += [g for w in list(words) if w.dep_ == "appos" for g in w.children if g.dep_ == "compound"]
                if head.dep_ == "conj" and not _pick(lex, words) and not any(
                        c.dep_ in ("nsubj", "nsubjpass") for c in head.children):
                    words.append(head.head)  # "killed and wounded 5": the first verb's cue
                best = _pick(lex, [w for w in words if w.i != anchor.i])
                if best:
                    self._cue_tok = best[1]
                    death = lex.to_death(best[1]) if best[0] == "killed" else None
                    if death is not None and anchor.dep_ == "conj" and anchor.i > death.i:
                        # "shot two teenagers to death and two others": the later object was shot and survived
                        return "injured", f"cue {best[1].text!r} governs the count; after 'to death': wounded"
                    return best[0], f"cue {self._desc(best[1])} governs the count"
                toll = self._toll_phrase(head, anchor) if head.pos_ == "VERB" else None
                if toll is not None:
                    category, cue, self._toll = toll
                    self._cue_tok = cue
                    return category, (f"cue {self._desc(cue)} in the toll phrase {self._toll.text!r} of "
                                      f"{head.text!r} governs the count")
                if head.pos_ in ("VERB", "AUX") and head.dep_ not in ("xcomp", "aux", "auxpass", "amod"):
                    break
            tok = head
        # 3b. the counted noun itself ("five bodies", "300 protesters"): weaker than the verb
        best = _pick(lex, [anchor]) if noun is not None else None
        if best:
            self._cue_tok = best[1]
            return best[0], f"cue {self._desc(best[1])} is the counted noun"
        # 4. the window, for people counts only
        if noun is not None:
            lo, hi = max(sent.start, p.first - self.window), min(sent.end, p.last + self.window + 1)
            best = _pick(lex, [t for t in toks[lo:hi] if not (p.first <= t.i <= p.last)])
            if best:
                self._cue_tok = best[1]
                return best[0], f"window: cue {self._desc(best[1])} nearby"
        return None, ""

    def _remains_of(self, noun: Any) -> Optional[Any]:
        """"the body of a man", "the death of a woman": the killed noun whose "of" names ``noun``."""
        head = noun.head
        if noun.dep_ == "pobj" and head.lower_ == "of" and head.head.lemma_.lower() in self.lex.remains_nouns:
            return head.head
        return None

    def _toll_phrase(self, verb: Any, anchor: Any) -> Optional[tuple[str, Any, Any]]:
        """"The number of people killed when ... has risen to 14", "put the number of marchers at 119,000":
        a figure after a toll noun (subject or object of a toll or revision verb) takes the category of
        the toll noun or of the people it counts. Returns (category, cue token, toll noun) or None."""
        lex = self.lex
        lemma = verb.lemma_.lower()
        if lemma not in lex.toll_verbs and lemma not in lex.revision_verbs:
            return None
        for toll in verb.children:
            if toll.dep_ not in ("nsubj", "nsubjpass", "dobj") or toll.lemma_.lower() not in lex.toll_nouns:
                continue
            if toll.left_edge.i <= anchor.i <= toll.right_edge.i:
                continue  # the number is inside the toll phrase ("a toll of three"): not after it
            near = [toll] + [c for c in toll.children if c.dep_ in ("amod", "compound", "acl", "relcl")]
            for prep in toll.children:
                if prep.dep_ == "prep" and prep.lower_ == "of":
                    for obj in prep.children:
                        if obj.dep_ == "pobj":
                            near += [obj] + [c for c in obj.children if c.dep_ in ("amod", "compound", "acl", "relcl")]
            best = _pick(lex, near)
            if best:
                return best[0], best[1], toll
        return None

    def _desc(self, tok: Any) -> str:
        """A cue word for the reason, with the rule that refined its category ("'shot' ('to death': killed)")."""
        rule = self.lex.cue_rule(tok)[1]
        return f"{tok.text!r} ({rule})" if rule else repr(tok.text)

    def _who(self, noun: Any) -> Optional[str]:
        if noun is None:
            return None
        toks = [noun] + [t for c in noun.children if c.dep_ in ("compound", "amod", "appos", "nmod", "poss")
                         for t in c.subtree]
        # "one fighter from the clan militia known as Macawisley": the "from" phrase right after the noun (the
        # parser may hang it on a conjoined noun before it)
        nxt = self.tokens[noun.i + 1] if noun.i + 1 < len(self.tokens) else None
        if nxt is not None and nxt.lower_ == "from" and nxt.dep_ == "prep":
            toks.extend(nxt.subtree)
        for c in noun.children:  # "members of the group"
            if c.dep_ == "prep" and c.lower_ == "of":
                # "six members of a militant group and a Filipino soldier": the soldier is not in the group
                apart = {t.i for x in c.subtree if getattr(self._of_conjunct_owner(x), 'i', -1) == noun.i for t in x.subtree}
                toks.extend(t for t in c.subtree if t.i not in apart)
                if apart and not self._who_rule:
                    self._who_rule = ("who: the person conjoined inside 'of' is another group, not named by "
                                      f"{noun.text!r}")
        # "79 security forces (Asayish)": the parenthesised name right after the noun
        j = noun.i + 1
        if j < len(self.tokens) and self.tokens[j].text == "(":
            toks.extend(self.tokens[j + 1:min(len(self.tokens), j + 6)])
        found = {id(m): m for t in toks if (m := self._actor_at(t.i)) is not None}.values()
        if found:
            ranked = sorted(found, key=lambda m: (_actor_rank(m), m.start))
            name = ranked[0].value.name
            if name == "Unidentified Armed Group":
                return self._named_group(noun) or name  # "three of the attackers", where the article names them
            return name
        if noun.lower_ in self.lex.armed_group_nouns:
            return self._named_group(noun)
        return self._militia(noun, toks)

    def _militia(self, noun: Any, toks: list[Any]) -> Optional[str]:
        """"four members of a civilian auxiliary force", "three vigilantes": the article's one militia."""
        if not any(t.lower_ in self.lex.militia_nouns for t in toks):
            return None
        names = list(dict.fromkeys(m.value.name for m in self.actors if m.value.type in self.lex.militia_types))
        if len(names) != 1:
            return None
        word = next(t.text for t in toks if t.lower_ in self.lex.militia_nouns)
        self._who_rule = f"who: {word!r} names a militia, the article's only one ({names[0]})"
        return names[0]

    # --- totals, breakdowns, revisions ----------------------------------------

    def breakdowns(self, mentions: list[Mention]) -> None:
        text = self.doc.article.text
        for idx, m in enumerate(mentions):
            if m.value.part_of is not None or m.value.total and m.value.category == "other":
                continue
            sent = self.doc.sentences[m.sent]
            before = text[sent.start:m.start].lower()
            marked = any(re.search(rf"(^|\W){re.escape(mk)}(\W|$)", before) for mk in self.lex.breakdown_markers)
            # "killing six people, four of them civilians and two soldiers"
            marked = marked or re.search(r"\bof (them|whom|those|these)\b", m.text.lower()) is not None
            if not marked:
                continue
            # the stated total: a count earlier in this sentence or the last one of the previous
            candidates = [j for j in range(idx) if mentions[j].sent in (m.sent, m.sent - 1)
                          and mentions[j].value.part_of is None and mentions[j].value.value is not None
                          and mentions[j].value.category != "other"]
            if not candidates:
                continue
            t = candidates[-1]
            total = mentions[t]
            if (total.value.value or 0) < (m.value.value or 0):
                continue
            parts = [j for j in range(idx, len(mentions)) if mentions[j].sent == m.sent and mentions[j].value.part_of is None]
            if total.value.category == "shot":
                # "Three people were shot, including one who died": the dead are not among the wounded
                died = [j for j in parts if mentions[j].value.category == "killed"]
                for j in died:
                    mentions[j].reason += f"; of the shot {total.text!r}: a killed figure, the rest wounded"
                parts = [j for j in parts if j not in died]
                if not parts:
                    continue
            for j in parts:
                part = mentions[j]
                part.value.part_of = t
                part.value.total = False  # "the toll had risen to 23, among them five women": a part, no total
                if part.value.category == "other" or part.reason.split("; ")[-1].startswith("window"):
                    part.value.category = total.value.category
                    part.reason += f"; breakdown of the total {total.text!r}"
            total.value.total = True
            s = sum(mentions[j].value.value or 0 for j in parts)
            total.reason += f"; total with {len(parts)} parts"
            if s != total.value.value:
                total.reason += f"; parts sum to {s}, not {total.value.value}: stated total kept"

    def background(self, mentions: list[Mention]) -> None:
        """Figures of other events named for context: a period's tally, a round-up, an earlier attack."""
        for m in mentions:
            sent = self.doc.sentences[m.sent].text
            s0 = self.doc.sentences[m.sent].start
            # "last month's disputed election": a possessive time names when something else was, not the count
            match = next((mt for rx in self.lex.background for mt in rx.finditer(sent)
                          if not _POSSESSIVE.match(sent, mt.end())), None)
            hit, at = (match.re.pattern, s0 + match.start()) if match else (None, None)
            pub = self.doc.article.published
            if hit is None and self.lex.background_past_years and pub is not None:
                past = [t for t in self._year_tokens(m.sent) if int(t.text) < pub.year and not self._aside(t, m)
                        and not (t.i > 0 and self.tokens[t.i - 1].lower_ == "since")]  # "closed since 2022": till now
                hit, at = (f"year {past[0].text} before publication", past[0].idx) if past else (None, None)
            if hit is None and self.lex.background_past_years and pub is not None:
                gone = self._past_year_month(m.sent, pub)
                if gone is not None:
                    hit, at = f"{gone.text} {gone.nbor().text}: a date of the year before publication", gone.idx
            rank = self._ranking(m, at) if hit else None
            if rank is not None:
                m.reason += f"; not background: {hit!r} comes after {rank.text!r}, ranking this event among others"
                continue
            if hit:
                m.value.background = True
                m.reason += f"; background: the sentence matches {hit!r}"

    def _aside(self, tok: Any, m: Mention) -> bool:
        """``tok`` sits in a relative clause the count is not in ("... incidents this week that highlight the
        fragile security in the area where the 2011 uprising began"): it describes something else."""
        for a in tok.ancestors:
            if a.dep_ == "relcl":
                lo, hi = a.left_edge.idx, a.right_edge.idx + len(a.right_edge)
                return not (lo <= m.start and m.end <= hi)
        return False

    def _ranking(self, m: Mention, at: int) -> Optional[Any]:
        """"eight people were killed ..., one of the deadliest raids in the city this year": a superlative
        between the count and the period marker ranks the event itself; the figure is the event's own."""
        if at < m.end:
            return None
        toks = [t for t in self.tokens if m.end <= t.idx < at]
        return next((t for t in toks if t.tag_ == "JJS" and t.lower_ not in ("least", "most")
                     and at - t.idx <= 60), None)

    def _past_year_month(self, sent: int, pub: Any) -> Optional[Any]:
        """"since September 30, when security forces opened fire" in a January story: a month and day with
        no year that fall in the year before publication, over a month back (not "December 30" in a
        story of January 2). The month token, or None."""
        s = self.doc.sentences[sent]
        span = self.tokens.char_span(s.start, s.end, alignment_mode="expand")
        for t in span if span is not None else []:
            month = MONTH_NUMBERS.get(t.lower_)
            if month is None or t.ent_type_ != "DATE" or t.i + 1 >= len(self.tokens):
                continue
            day = self.tokens[t.i + 1]
            if not (day.text.isdigit() and 1 <= int(day.text) <= 31) or (
                    t.i + 2 < len(self.tokens) and YEAR.fullmatch(self.tokens[t.i + 2].text or "")
                    or t.i + 3 < len(self.tokens) and YEAR.fullmatch(self.tokens[t.i + 3].text or "")):
                continue
            if month <= pub.month:
                continue
            try:
                when = pub.replace(year=pub.year - 1, month=month, day=int(day.text))
            except ValueError:
                continue
            if (pub - when).days > 31:
                return t
        return None

    def _year_tokens(self, sent: int) -> list[Any]:
        """Years named in a sentence: year-like numbers spaCy reads as dates, so that addresses
        ("the 1900 block", "1925 Main Street") are not years."""
        s = self.doc.sentences[sent]
        span = self.tokens.char_span(s.start, s.end, alignment_mode="expand")
        toks = span if span is not None else []
        return [t for t in toks if YEAR.fullmatch(t.text) and t.ent_type_ == "DATE"
                and not (t.i + 1 < len(self.tokens) and self.tokens[t.i + 1].lower_ in ("block", "blocks"))]

    def repeats(self, mentions: list[Mention]) -> None:
        """Scraped pages often carry the story twice (teaser, then body): a count in a sentence the
        text already holds word for word restates the earlier one."""
        text = self.doc.article.text
        for m in mentions:
            s = self.doc.sentences[m.sent]
            body = text[s.start:s.end].strip()
            if not m.value.superseded and len(body) >= 40 and text.find(body, 0, s.start) != -1:
                m.value.superseded = True
                m.reason += "; the sentence repeats earlier text word for word"

    def distinct_victims(self, mentions: list[Mention]) -> None:
        """Mark (``adds_to``) the casualty counts of people besides those counted before, so
        that an incident's figure sums them where it otherwise keeps the first figure (later ones
        restate it or break it down): "Another man was wounded", "two other men", "three more people"
        (each the first casualty of its sentence: "killing one man and injuring another" contrasts
        within the sentence), a second indefinite victim of one sentence ("a man was shot in the leg
        and a woman in the arm"), and a shooter's own death after his victims'. Not "the other", one
        already counted, nor "he stabbed another man", whose other is the attacker."""
        lone: dict[int, list[str]] = {}  # sentence -> categories of its indefinite lone victims so far
        killed_victim = shooter_seen = False
        for idx, m in enumerate(mentions):
            v = m.value
            if v.category not in CASUALTY or v.superseded or v.background or v.part_of is not None or not v.value:
                continue
            cat = "injured" if v.category == "shot" else v.category
            noun = self.tokens[self.nouns[id(m)]] if self.nouns.get(id(m), -1) >= 0 else None
            first = not any(o.sent == m.sent and o.value.category in CASUALTY and not o.value.background
                            for o in mentions[:idx])
            indefinite = noun is not None and self._indefinite(noun)
            why = None
            if v.self_inflicted:
                if cat == "killed" and killed_victim and not shooter_seen:
                    why = "the shooter's own death besides the victims'"
                shooter_seen = True
            elif first and self._other_people(m, noun):
                v.adds_to = "previous"
                m.reason += f"; {OTHERS} ('other' people)"
            elif indefinite and v.lone_victim and cat in lone.get(m.sent, []):
                why = "a second indefinite victim in the sentence: another person"
            if indefinite and v.lone_victim:
                lone.setdefault(m.sent, []).append(cat)
            killed_victim = killed_victim or cat == "killed" and not shooter_seen
            if why:
                v.adds_to = "so_far"
                m.reason += f"; {ADDS} ({why})"

    def _indefinite(self, noun: Any) -> bool:
        """"a man", "two men", "another": people not introduced before (unlike "he", "the victim")."""
        if noun.lower_ in ("another", "others"):
            return True
        kids = list(noun.children)
        return not any(c.lower_ == "the" or c.dep_ == "poss" for c in kids) and any(
            c.dep_ == "nummod" or c.dep_ == "det" and c.lower_ in ("a", "an", "another") for c in kids)

    def _other_people(self, m: Mention, noun: Any) -> bool:
        """"another man", "two others", "two other men", "three more people", "a second man"; not
        the object of an act by a person ("he shot another man": other than the attacker)."""
        if noun is None or noun.dep_ == "dobj" and any(c.dep_ == "nsubj" for c in noun.head.children):
            return False
        return self._names_others(m)

    def _names_others(self, m: Mention) -> bool:
        """The count's words name people besides others ("another", "two other men", "three more",
        "a second man", "a third"); not "the two others", ones already named."""
        toks = self.tokens
        span = toks.char_span(m.start, m.end, alignment_mode="expand")
        if span is None:
            return False
        if any(t.lower_ == "the" for t in span) or span.start > 0 and toks[span.start - 1].lower_ == "the":
            return False
        return any(t.lower_ in ("another", "other", "others")
                   or t.lower_ == "more" and t.i > 0 and toks[t.i - 1].like_num
                   or t.lower_ in self.lex.ordinal_words and t.i > 0 and toks[t.i - 1].lower_ in ("a", "an")
                   for t in span)

    def restatements(self, mentions: list[Mention]) -> None:
        """"A man was shot and killed ... He died at the scene": the later lone victim is the same one.
        Counts that add to all so far are other people, and so is a lone victim in a sentence that opens
        on a day of its own ("On Tuesday, a crowd beat to death a young man"): another episode."""
        seen: dict[tuple[str, Optional[str]], int] = {}  # (category, who) -> sentence of its first count
        for m in mentions:
            v = m.value
            if v.superseded or v.value is None or v.background:
                continue
            key = (v.category, v.who)
            if v.adds_to == "so_far":
                seen.setdefault(key, m.sent)
            elif v.lone_victim and v.value == 1 and key in seen and v.adds_to is None:
                day = self._opening_day(m.sent)
                if day is not None and day not in self.doc.sentences[seen[key]].text.lower():
                    seen[key] = m.sent
                    m.reason += f"; another episode ({day!r} opens its sentence)"
                    continue
                v.superseded = True
                m.reason += "; restates an earlier count of this category and group"
            elif v.value > 0:
                seen.setdefault(key, m.sent)

    def _opening_day(self, sent: int) -> Optional[str]:
        """The date a sentence opens on ("On Tuesday, ...", "Late on Friday ..."), lower-cased; None if none."""
        s = self.doc.sentences[sent]
        span = self.tokens.char_span(s.start, s.end, alignment_mode="expand")
        if span is None:
            return None
        for t in list(span)[:3]:
            if t.ent_type_ == "DATE" and t.ent_iob_ == "B":
                ent = next(e for e in self.tokens.ents if e.start == t.i)
                return ent.text.lower()
            if t.lower_ not in ("on", "late", "early", "by", "last", "\n", "\n\n") and not t.is_space:
                return None
        return None

    def _earlier_marker(self, m: Mention) -> bool:
        """"Officials had initially counted nine dead": a figure reported before the revision."""
        sent = self.doc.sentences[m.sent]
        return re.search(r"\b(initial|initially|earlier|first|previously|previous|had put|had counted)\b",
                         sent.text, re.IGNORECASE) is not None

    def revisions(self, mentions: list[Mention]) -> None:
        toks = self.tokens
        for idx, m in enumerate(mentions):
            span = self.doc.doc.char_span(m.start, m.end, alignment_mode="expand")
            before = " ".join(t.lower_ for t in toks[max(0, span.start - 3):span.start])
            if before.endswith("up from") or before.endswith("down from") or before.endswith(" from") and any(
                    t.lemma_.lower() in self.lex.revision_verbs for t in toks[max(0, span.start - 4):span.start]):
                m.value.superseded = True
                m.reason += "; earlier figure of a revision"
                later = [o for o in mentions if o.sent == m.sent and o is not m and o.value.category != "other"]
                if m.value.category == "other" and later:
                    m.value.category = later[0].value.category
                continue
            verbs = [t for t in toks[max(0, span.start - 4):span.start] if t.lemma_.lower() in self.lex.revision_verbs]
            if verbs and m.value.value is not None:
                for j, o in enumerate(mentions):
                    if j > idx and not self._earlier_marker(o):
                        continue
                    if (o is not m and o.value.category == m.value.category and o.value.who == m.value.who
                            and o.value.value is not None and o.value.value < m.value.value and o.value.part_of is None):
                        o.value.superseded = True
                        o.reason += f"; superseded by {m.text!r}"


def _phrase_cues(path: Path, raw: dict[str, Any]) -> dict[tuple[str, str], str]:
    """``{"take part": participants}`` → {("take", "part"): "participants"}: a verb lemma and its object's."""
    out: dict[tuple[str, str], str] = {}
    for phrase, category in raw.items():
        words = str(phrase).lower().split()
        if len(words) != 2 or category not in CATEGORIES:
            raise ConfigError(f"{path}: phrase_cues {phrase!r}: {category!r} needs 'verb object' and a category of {CATEGORIES}")
        out[(words[0], words[1])] = category
    return out


def _pick(lex: Lexicon, tokens: list[Any]) -> Optional[tuple[str, Any]]:
    """The highest-priority category cued by any of ``tokens`` ("shot and killed" → killed)."""
    hits = [(lex.cue(t), t) for t in tokens]
    hits = [(c, t) for c, t in hits if c]
    if not hits:
        return None
    order = {c: i for i, c in enumerate(lex.category_order)}
    order["shot"] = order.get("injured", 1) + 0.5
    return min(hits, key=lambda h: order.get(h[0], 99))


def _shot_minus_killed(mentions: list[Mention], others: set[int]) -> set[int]:
    """"Two men were shot, one fatally": the shot who did not die are the wounded. A shooter who
    killed himself ("shot his wife and then killed himself") is not among them, nor are ``others``
    (ids of counts of other people: "one person died and another was hospitalized"). Returns the ids
    of the counts reduced."""
    killed = [m for m in mentions if m.value.category == "killed" and m.value.value is not None
              and not m.value.self_inflicted]
    reduced: set[int] = set()
    for m in mentions:
        if m.value.category == "shot" and m.value.value is not None and killed and id(m) not in others:
            k = sum(x.value.value for x in killed)
            if k <= m.value.value:
                m.value.value -= k
                m.reason += f"; shot minus {k} killed in the same sentence"
                reduced.add(id(m))
    return reduced


def _shot_who_died(mentions: list[Mention], skip: set[int]) -> None:
    """Across sentences: "Two men were shot ... one of them died" leaves one wounded.
    Background tallies ("Five people have been killed so far this year") and a shooter who killed
    himself are not among the shot; ``skip``: ids of the shot counts already reduced in their
    sentence, or of other people ("A second man who was shot survived")."""
    killed = [m.value.value for m in mentions if m.value.category == "killed" and not m.value.superseded
              and m.value.value is not None and m.value.part_of is None and not m.value.background
              and not m.value.self_inflicted]
    if not killed:
        return
    k = max(killed)
    for m in mentions:
        v = m.value
        if v.category != "shot" or v.value is None or v.superseded or id(m) in skip:
            continue
        if v.value <= k:
            v.superseded = True
            m.reason += f"; the shot are among the {k} killed"
        else:
            v.value -= k
            m.reason += f"; shot minus {k} killed elsewhere in the article"


def _aged(noun: Any) -> bool:
    """"a 24-year-old sewing machine operator": a noun with an age is a person."""
    return any(c.dep_ == "amod" and _age_noun_form(c) for c in noun.children)


def _age_noun_form(tok: Any) -> bool:
    return tok.lower_ == "old" and any(c.lower_ == "year" for c in tok.children)


def _age_noun(tok: Any) -> bool:
    """"A 17-year-old was shot": an age standing for the person."""
    return tok.lower_ == "old" and tok.dep_ in ("nsubj", "nsubjpass", "dobj", "conj") and any(
        c.lower_ == "year" for c in tok.children)


def _actor_rank(m: Mention) -> int:
    if m.value.type is None:
        return 3
    if m.reason.startswith("bare force noun"):
        return 2
    if m.value.name in ("Civilians", "Protesters", "Rioters", "Unidentified Armed Group"):
        return 1
    return 0


def _main_armed_group(actors: list[Mention], is_source: Callable[[Mention], bool]) -> Optional[str]:
    """The named non-state group the article is about: most often the initiator, then most often named."""
    groups = [m for m in actors if m.value.type in NAMED_TYPES and m.value.name != "Unidentified Armed Group"]
    if not groups:
        return None
    names = [m.value.name for m in groups]
    initiator = [m.value.name for m in groups if m.value.role == "actor1" and not is_source(m)]
    return max(dict.fromkeys(names), key=lambda n: (initiator.count(n), names.count(n)))
