"""Dates stage: temporal expressions resolved against the publication date.

Rules first (``pipeline/temporal``: HeidelTime-style patterns compiled from
configs/dates/en.yaml), because they are fast and say why; the tense of the
governing verb (or a cue such as "as early as", a verb such as "postponed")
decides which way an undated weekday or month points; the quarter an earnings
report is about anchors its "a year earlier"; dateparser is only an optional
fallback for spaCy DATE entities the rules do not cover.
Each mention says whether it is event time or background (context dates such
as "since 2014" or years long before publication), so assembly can pick.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
from dataclasses import replace
from typing import Any, ClassVar, Optional

from pydantic import Field

from ..config import PROJECT_ROOT, ConfigPath, StageConfig
from ..data import AnnotatedDoc, DateValue, Mention
from ..registry import register
from ..temporal.grammar import Grammar, Match, Spec, duration_value
from ..temporal.lexicon import Lexicon, alternation
from ..temporal.resolve import Anchors, Resolved, Unresolvable, resolve
from .base import Stage

log = logging.getLogger(__name__)

# spaCy entity labels under which a four-digit number is a quantity, not a year.
NOT_A_YEAR = frozenset({"CARDINAL", "MONEY", "QUANTITY", "PERCENT"})
DEFAULT_LEXICON = PROJECT_ROOT / "configs" / "dates" / "en.yaml"


class DatesConfig(StageConfig):
    lexicon: ConfigPath = Field(DEFAULT_LEXICON, description="temporal vocabulary (hand-editable YAML)")
    background_days: int = Field(60, ge=0, description="a date ending more than this many days before publication is background")
    dateparser_fallback: bool = Field(False, description="parse spaCy DATE entities the rules miss with dateparser (slow)")


def load_grammar(path) -> Grammar:
    return Grammar(Lexicon.from_yaml(path))


@register
class DatesStage(Stage):
    name: ClassVar[str] = "dates.v1"
    requires = frozenset({"doc"})
    provides = frozenset({"dates"})
    Config = DatesConfig

    def warm_up(self) -> None:
        self.grammar

    @property
    def grammar(self) -> Grammar:
        return self.resources.get(("dates.grammar", str(self.config.lexicon)), lambda: load_grammar(self.config.lexicon))

    def __call__(self, docs: list[AnnotatedDoc]) -> None:
        grammar = self.grammar
        for doc in docs:
            doc.layers["dates"] = self.mentions(doc, grammar)

    def mentions(self, doc: AnnotatedDoc, grammar: Grammar) -> list[Mention]:
        text = doc.article.text
        ref = doc.article.published
        out: list[Mention] = []
        anchors = Anchors()
        matches = grammar.find(text)
        for match in matches:
            if match.spec.rule == "year" and self._entity_label(doc, match) in NOT_A_YEAR:
                log.debug("%s: %r is a quantity, not a year", doc.article.id, match.text)
                continue
            if match.spec.kind == "anaphoric" and match.spec.f["unit"] == "day" and anchors.day is None:
                log.debug("%s: %r with no day named before is generic", doc.article.id, match.text)
                continue  # "trades made that day", "for the next day or two"
            if match.spec.kind == "duration" and is_rate(doc.doc, text, match):
                value = duration_value(1, match.spec.f["unit"])
                rate = Spec("set", match.spec.rule, {"value": value, "note": "a rate: '$5 a year'"})
                match = replace(match, spec=rate)
            tense, why = direction(doc.doc, text, match.start, grammar.lex)
            if match.spec.f.get("not_past") and tense == "past":
                log.debug("%s: %r in past narration is not a time reference", doc.article.id, match.text)
                continue
            mention = self._mention(doc, match, ref, tense, grammar, anchors)
            if why:
                mention.reason += f"; {why}"
            out.append(mention)
            anchors = update_anchors(anchors, match, mention, ref, tense)
        if self.config.dateparser_fallback and doc.doc is not None:
            out.extend(self._fallback(doc, matches, ref))
            out.sort(key=lambda m: m.start)
        return out

    def _mention(self, doc: AnnotatedDoc, match: Match, ref: Optional[dt.date], tense: Optional[str],
                 grammar: Grammar, anchors: Anchors) -> Mention:
        try:
            r = resolve(match.spec, ref, tense, anchors)
        except Unresolvable as exc:
            kind = {"duration": "DURATION", "set": "SET", "clock": "TIME"}.get(match.spec.kind, "DATE")
            value = DateValue(None, None, None, timex_type=kind)
            return Mention(match.start, match.end, match.text, kind, self.name, value,
                           f"{match.spec.rule}: unresolved: {exc}", doc.sent_of(match.start))
        background, why = self._background(doc.article.text, match, r, ref, grammar)
        value = DateValue(
            start=r.start.isoformat() if r.start else None,
            end=r.end.isoformat() if r.end else None,
            precision=r.precision if r.start else None,
            timex_type=r.timex_type,
            timex_value=r.timex_value,
            background=background,
            inconsistent=r.inconsistent,
            day_assumed=r.day_assumed,
        )
        reason = f"{match.spec.rule}: {r.reason}" + (f"; background: {why}" if background else "")
        return Mention(match.start, match.end, match.text, r.timex_type, self.name, value, reason,
                       doc.sent_of(match.start))

    def _background(self, text: str, match: Match, r: Resolved, ref: Optional[dt.date],
                    grammar: Grammar) -> tuple[bool, str]:
        """Context dates: after a cue like "since" (when the date is not ahead of publication: "as
        early as Tuesday" is a plan), or over ``background_days`` before publication."""
        if r.timex_type not in ("DATE", "TIME") or r.start is None:
            return False, ""
        if ref is not None and r.end > ref:
            return False, ""
        before = " ".join(text[max(0, match.start - 24):match.start].lower().split()[-3:])
        for cue in grammar.lex.background_cues:
            if before == cue or before.endswith(" " + cue):
                return True, f"after {cue!r}"
        if ref is not None and (ref - r.end).days > self.config.background_days:
            return True, f"ends {(ref - r.end).days} days before publication"
        return False, ""

    @staticmethod
    def _entity_label(doc: AnnotatedDoc, match: Match) -> Optional[str]:
        if doc.doc is None:
            return None
        span = doc.doc.char_span(match.start, match.end, alignment_mode="expand")
        if span is None or not len(span):
            return None
        return span[-1].ent_type_ or None

    def _fallback(self, doc: AnnotatedDoc, matches: list[Match], ref: Optional[dt.date]) -> list[Mention]:
        """spaCy DATE entities the rules missed, read by dateparser against the publication date."""
        import dateparser

        out = []
        for ent in doc.doc.ents:
            if ent.label_ != "DATE" or any(m.start < ent.end_char and ent.start_char < m.end for m in matches):
                continue
            settings: dict[str, Any] = {"PREFER_DATES_FROM": "past", "RETURN_AS_TIMEZONE_AWARE": False}
            if ref is not None:
                settings["RELATIVE_BASE"] = dt.datetime(ref.year, ref.month, ref.day)
            else:
                settings["REQUIRE_PARTS"] = ["day", "month", "year"]
            parsed = dateparser.parse(ent.text, languages=["en"], settings=settings)
            if parsed is None:
                continue
            day = parsed.date().isoformat()
            value = DateValue(day, day, "day", "DATE", day)
            out.append(Mention(ent.start_char, ent.end_char, ent.text, "DATE", self.name, value,
                               "dateparser fallback on a spaCy DATE entity the rules missed", doc.sent_of(ent.start_char)))
        return out


# Kinds of expression that name a day (or the month it is in) "the next day" counts from (not a
# year: "in 1987 ... trades made that day" is generic).
DAY_KINDS = frozenset({"date", "weekday", "relday", "dom", "holiday", "clock", "anaphoric"})
QUARTER_VALUE = re.compile(r"(\d{4})-Q([1-4])")
MONTHS_DURATION = re.compile(r"P\d+M")


RATE = re.compile(r"an?\s+[a-z]+", re.IGNORECASE)
# Before "a year" in a rate: an amount ("$500 million a year", "358,000 a month") or what is counted
# ("four flights a week", "24 hours a day"); "once a week", "twice a year" are frequencies.
RATE_BEFORE_TAGS = frozenset({"CD", "NNS"})
RATE_BEFORE_WORDS = frozenset({"once", "twice", "thrice"})


def is_rate(doc: Any, text: str, match: Match) -> bool:
    """ "a year" after an amount or a plural noun is a rate, a TimeML SET (P1Y), not a duration:
    "$500 million a year", "four flights a week"; not "within a year", "offered him a week"."""
    f = match.spec.f
    if doc is None or f.get("n") != 1 or not RATE.fullmatch(match.text):
        return False
    if re.match(r"\s*(?:or|and)\b", text[match.end:match.end + 5]):
        return False  # "a year or two", "a day and a half"
    span = doc.char_span(match.start, match.end, alignment_mode="expand")
    if span is None or span.start == 0:
        return False
    prev = doc[span.start - 1]
    return prev.tag_ in RATE_BEFORE_TAGS or prev.lower_ in RATE_BEFORE_WORDS


def update_anchors(anchors: Anchors, match: Match, mention: Mention, ref: Optional[dt.date],
                   tense: Optional[str] = None) -> Anchors:
    """A quarter named in the text becomes the period under discussion (not one derived from it,
    "the year-ago quarter", "the 1988 period", nor one still under way at publication: a forecast,
    unless results for it were reported in the past tense: a fiscal quarter already closed);
    a span of months ("the first nine months") ends it, so a later "a year earlier" is the whole
    year again. An earlier quarter named after it ("after a flat second quarter") is context: the
    report is still about the later one. A calendar date named in the text is what "that year"
    refers back to; a day named (not a clock time's assumed day) is what "the next day" counts from."""
    value = mention.value.timex_value or ""
    m = QUARTER_VALUE.fullmatch(value)
    reported = (ref is None or tense == "past"
                or (mention.value.end is not None and mention.value.end <= ref.isoformat()))
    f = match.spec.f
    derived = f.get("ago") or (f.get("q") is None and (f.get("y") is not None or f.get("yshift") is not None))
    if match.spec.kind in ("date", "anaphoric") and mention.value.start is not None:
        start = dt.date.fromisoformat(mention.value.start)
        anchors = replace(anchors, named=(start.year, start.month if mention.value.precision != "year" else None))
    if (match.spec.kind in DAY_KINDS and mention.value.precision in ("day", "month")
            and mention.value.start is not None and not mention.value.day_assumed):
        day = (dt.date.fromisoformat(mention.value.start), dt.date.fromisoformat(mention.value.end),
               mention.value.precision)
        anchors = replace(anchors, day=day)
    if m and match.spec.kind == "quarter" and not derived and reported:
        named = (int(m.group(1)), int(m.group(2)))
        if anchors.quarter is not None and named < anchors.quarter:
            return anchors
        return replace(anchors, quarter=named)
    if mention.value.timex_type == "DURATION" and MONTHS_DURATION.fullmatch(value):
        return replace(anchors, quarter=None)
    return anchors


def direction(doc: Any, text: str, offset: int, lex: Lexicon) -> tuple[Optional[str], str]:
    """The tense that decides which way an undated expression points, and why when it is not the
    grammatical tense: a cue just before it ("as early as Tuesday", "payable Dec. 7") or a governing
    verb before it that looks ahead ("postponed the vote until Tuesday", but not "On Tuesday, they
    postponed the vote") make it future."""
    before = " ".join(text[max(0, offset - 24):offset].lower().split())
    cue = next((c for c in lex.future_cues if before == c or before.endswith(" " + c)), None)
    verb = governing_verb(doc, offset) if doc is not None else None
    tense = tense_of(verb, lex) if verb is not None else None
    if cue and (lex.future_cues[cue] == "always" or tense != "past"):
        return "future", f"future: after {cue!r}"
    if doc is not None and _planned_for(doc, offset):
        return "future", "future: the time something is planned for ('called a rally for Sunday')"
    if verb is None:
        return None, ""
    aux = [c.lower_ for c in verb.children if c.dep_ in ("aux", "auxpass")]
    if (tense != "future" and verb.lemma_.lower() in lex.future_verbs and verb.idx < offset
            and not {"had", "'d"} & set(aux) and not _told_past_modifier(verb, lex)):
        return "future", f"future: governed by {verb.lemma_.lower()!r}"
    return tense, ""


def _told_past_modifier(verb: Any, lex: Lexicon) -> bool:
    """ "A service planned for Saturday was canceled": the participle qualifies a noun of a clause told
    in the past, so the plan is of that past, not ahead of publication."""
    if verb.dep_ != "acl" or verb.tag_ != "VBN":
        return False
    main = governing_verb_of(verb.head)
    return main is not None and tense_of(main, lex) == "past"


def governing_verb_of(tok: Any) -> Any:
    """The first verb at or above ``tok`` (at most six heads up)."""
    for _ in range(6):
        if tok.pos_ in ("VERB", "AUX") or tok.tag_.startswith("VB"):
            return tok
        if tok.head is tok:
            return None
        tok = tok.head
    return None


WEEKDAY = re.compile(r"(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day")


def _planned_for(doc: Any, offset: int) -> bool:
    """"Leaders have called a rally for Sunday": a weekday in a "for" phrase on a verb in the present or the
    present perfect is when something is planned (not "the figures for January", nor "a service planned
    for Saturday was cancelled", told in the past); so is the day of what a call is for ("called for a
    protest on Friday")."""
    span = doc.char_span(offset, offset + 1, alignment_mode="expand")
    if span is None or not len(span):
        return False
    tok = span[0]
    head = tok.head
    if not (tok.dep_ == "pobj" and head.dep_ == "prep" and WEEKDAY.fullmatch(tok.text)):
        return False
    if head.lower_ == "on" and head.head.dep_ == "pobj" and head.head.head.lower_ == "for":
        # "Organisers called for a larger protest on Friday": the day of what is called for (not "had called")
        verb = head.head.head.head
        return verb.lemma_.lower() == "call" and not any(c.lower_ in ("had", "'d") for c in verb.children)
    if head.lower_ != "for":
        return False
    verb = head.head
    aux = [c for c in verb.children if c.dep_ in ("aux", "auxpass")]
    return verb.tag_ in ("VBZ", "VBP", "VB") or any(c.lemma_ == "have" and c.tag_ in ("VBZ", "VBP") for c in aux)


def governing_verb(doc: Any, offset: int) -> Any:
    """The verb (or auxiliary) the token at ``offset`` hangs from, at most six heads up."""
    span = doc.char_span(offset, offset + 1, alignment_mode="expand")
    if span is None or not len(span):
        return None
    return governing_verb_of(span[0])


def tense_of(tok: Any, lex: Lexicon) -> Optional[str]:
    """past | future | present | None: the grammatical tense of verb ``tok``."""
    aux = [c for c in tok.children if c.dep_ in ("aux", "auxpass")]
    if any(c.lower_ in lex.future_auxiliaries for c in aux):
        return "future"
    head = tok.head
    clause = head if tok.dep_ == "xcomp" and head is not tok else tok  # "would keep their shops shut on Friday"
    if any(c.dep_ == "aux" and c.lower_ in lex.future_in_past_auxiliaries for c in clause.children) \
            and clause.dep_ == "ccomp" and clause.head.lemma_.lower() in lex.report_verbs and clause.head.tag_ == "VBD":
        return "future"  # "traders said they would keep their shops shut on Friday": planned
    if tok.dep_ == "xcomp" and head is not tok:
        phrase = f"{head.lower_} to"
        # "had been scheduled to expire Friday", "had been due to expire": a plan in the past.
        pluperfect = any(c.lower_ in ("had", "'d") for h in (head, head.head) for c in h.children
                         if c.dep_ == "aux")
        if (phrase in lex.future_phrases or f"{head.lemma_.lower()} to" in lex.future_phrases) and not pluperfect:
            return "future"
        if head.lower_ == "going" and any(c.lower_ in ("is", "are", "am", "'s", "'re") for c in head.children):
            return "future"
    tags = [tok.tag_] + [c.tag_ for c in aux]
    present_passive = tok.tag_ == "VBN" and any(c.tag_ in ("VBZ", "VBP") and c.lemma_ == "be" for c in aux)
    perfect = any(c.lemma_ == "have" for c in aux)  # "has been killed": past
    if "VBD" in tags or perfect or (tok.tag_ == "VBN" and not present_passive
                                    and not any(c.lower_ in ("be", "been") for c in aux)):
        return "past"
    if any(t in ("VBZ", "VBP") for t in tags) or tok.tag_ == "VBG":
        return "present"
    if "MD" in tags:
        return "present"
    return None


__all__ = ["DatesStage", "DatesConfig", "direction", "alternation"]
