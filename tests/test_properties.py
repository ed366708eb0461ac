"""Property tests (issue 8.4) with hypothesis, on every stage of configs/default.yaml.

For arbitrary Unicode text and random publication dates (or none), each stage,
run after the stages that provide what it requires, must:

- never raise;
- give mentions whose offsets index the article text (``text[start:end] == m.text``),
  a sentence index in range, its own stage name, a non-empty reason and a value of
  the layer's type (or None: seen but not normalised, e.g. a toponym the gazetteer lacks);
- give dates that parse as ISO ``YYYY-MM-DD`` with ``start <= end``; coordinates in
  range; counts that are non-negative; scores and confidences in 0..1;
- (assembly) give records that pass the output schema, with the same checks.

A stage that is not registered yet (being written) is skipped with a message.
Examples are few (``max_examples``) so the suite stays fast; every run draws new
ones, and a failure prints the example to reproduce it.
"""

from __future__ import annotations

import datetime as dt
from functools import lru_cache
from typing import Optional

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pipeline.config import DEFAULT_CONFIG
from pipeline.data import (ActorValue, AnnotatedDoc, Article, CountValue, DateValue, EventMentionValue,
                           PlaceValue, Sentence)
from pipeline.errors import ConfigError
from pipeline.registry import factories, get_factory
from pipeline.stages.base import BASE_LAYERS

pytestmark = pytest.mark.slow  # spaCy, and the stages' own resources

ORDER = ["dates", "places", "actors", "counts", "events", "assembly"]
LAYER_OF = {"dates": "dates", "places": "places", "actors": "actors", "counts": "counts",
            "events": "event_mentions", "assembly": "records"}
VALUE_OF = {"dates": DateValue, "places": PlaceValue, "actors": ActorValue, "counts": CountValue,
            "event_mentions": EventMentionValue}
PROPERTY_SETTINGS = settings(max_examples=25, deadline=None,
                             suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])

# Words and numbers that make stages fire (written for this test, no benchmark text):
# dates, places, actors, counts and event triggers, in any order and any company.
FRAGMENTS = [
    "On Sunday", "last week", "on 3 March", "in 2019", "yesterday", "on February 30", "next year", "at dawn",
    "in Kabul", "near Mosul", "in northern Mali", "Paris", "Georgia", "in the capital", "Springfield",
    "police", "soldiers", "gunmen", "Islamic State", "protesters", "the army", "rebels", "Boko Haram",
    "killed", "wounded", "arrested", "at least 12", "dozens of", "three people", "1,200", "0", "-5",
    "99999999999999999999", "two to three", "an attack", "a car bomb exploded", "clashes", "shelling",
    "a protest", "said", ".", ",", "\n", "\n\n", "(", ")", "'", "\"", "—", "…", "?", "!", "Mr.", "U.S.",
]
unicode_text = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=400)
newsy_text = st.lists(st.one_of(st.sampled_from(FRAGMENTS), st.text(max_size=6)), max_size=60).map(" ".join)
texts = st.one_of(unicode_text, newsy_text)
published = st.one_of(st.none(), st.dates(), st.dates(dt.date(1990, 1, 1), dt.date(2035, 12, 31)))


@lru_cache(maxsize=None)
def default_stage_params() -> dict:
    return yaml.safe_load(DEFAULT_CONFIG.read_text(encoding="utf-8"))["stages"]


def chain_for(key: str, resources) -> list:
    """The default config's stages needed to run ``key`` (its providers first), built."""
    params = default_stage_params()
    registered = factories()
    needed: list[str] = [key]
    missing = set(get_or_skip(key, registered).requires) - BASE_LAYERS
    for earlier in reversed(ORDER[: ORDER.index(key)]):
        provided = get_or_skip(earlier, registered).provides if params[earlier]["factory"] in registered else set()
        if missing & provided:
            needed.insert(0, earlier)
            missing |= set(get_factory(params[earlier]["factory"]).requires) - BASE_LAYERS
            missing -= provided
    if missing:
        pytest.skip(f"stages.{key} needs {sorted(missing)}, whose stage is not registered yet")
    stages = []
    for name in needed:
        factory = get_factory(params[name]["factory"])
        config = factory.Config.model_validate(params[name], context={"base_dir": DEFAULT_CONFIG.parent})
        stage = factory(config, resources)
        stage.warm_up()
        stages.append(stage)
    return stages


def get_or_skip(key: str, registered: dict):
    factory_name = default_stage_params()[key]["factory"]
    if factory_name not in registered:
        pytest.skip(f"{factory_name} (stages.{key}) is not registered yet: its stage is being written")
    return registered[factory_name]


@pytest.fixture(scope="module")
def annotate(nlp, resources):
    """``annotate(key, text, published)`` → the AnnotatedDoc after ``key``'s chain ran."""
    built: dict[str, list] = {}

    def _annotate(key: str, text: str, pub: Optional[dt.date]) -> AnnotatedDoc:
        if key not in built:
            built[key] = chain_for(key, resources)
        doc = nlp(text)
        adoc = AnnotatedDoc(Article(id="prop", text=text, published=pub), doc,
                            [Sentence(s.start_char, s.end_char, s.text) for s in doc.sents])
        for stage in built[key]:
            stage([adoc])
        return adoc

    return _annotate


def iso(value: Optional[str]) -> Optional[dt.date]:
    if value is None:
        return None
    assert isinstance(value, str) and len(value) == 10, value
    return dt.date.fromisoformat(value)


def check_date_span(start: Optional[str], end: Optional[str]) -> None:
    s, e = iso(start), iso(end)
    if s is not None and e is not None:
        assert s <= e, (start, end)


def check_coordinates(lat: Optional[float], lon: Optional[float]) -> None:
    if lat is not None:
        assert -90 <= lat <= 90, lat
    if lon is not None:
        assert -180 <= lon <= 180, lon


def check_mentions(adoc: AnnotatedDoc, layer: str, stage_name: str) -> None:
    text = adoc.article.text
    assert layer in adoc.layers, f"{stage_name} did not set doc.layers[{layer!r}]"
    n_sents = len(adoc.sentences)
    for m in adoc.layers[layer]:
        assert 0 <= m.start <= m.end <= len(text), (m.start, m.end, len(text))
        assert text[m.start:m.end] == m.text, (m.start, m.end, m.text)
        assert m.stage == stage_name
        assert isinstance(m.reason, str) and m.reason.strip(), m
        assert 0 <= m.sent < max(1, n_sents), (m.sent, n_sents)
        # None: a span the stage saw but could not normalise (e.g. a toponym not in the gazetteer)
        assert m.value is None or isinstance(m.value, VALUE_OF[layer]), type(m.value)
        v = m.value
        if isinstance(v, DateValue):
            check_date_span(v.start, v.end)
            assert v.precision in (None, "day", "week", "month", "year")
        elif isinstance(v, PlaceValue):
            check_coordinates(v.latitude, v.longitude)
        elif isinstance(v, CountValue):
            assert v.value is None or v.value >= 0, v
            assert v.upper is None or v.upper >= 0, v
        elif isinstance(v, ActorValue):
            assert v.name.strip()
        elif isinstance(v, EventMentionValue):
            assert 0 <= v.score <= 1 and v.event_type and v.sub_event_type


def check_records(adoc: AnnotatedDoc) -> None:
    from pipeline.io.writers import record_line

    text = adoc.article.text
    ids = [r.event_id for r in adoc.records]
    assert len(ids) == len(set(ids)), ids
    for r in adoc.records:
        record_line(r)  # the output schema (pydantic) accepts it
        assert r.article_id == adoc.article.id
        for ev in r.evidence:
            assert 0 <= ev.start <= ev.end <= len(text) and text[ev.start:ev.end] == ev.text
        if r.date is not None:
            check_date_span(r.date.start, r.date.end)
        if r.location is not None:
            check_coordinates(r.location.latitude, r.location.longitude)
        assert all(c.value is None or c.value >= 0 for c in r.counts)
        assert r.fatalities is None or r.fatalities >= 0
        assert 0 <= r.confidence <= 1


@pytest.mark.parametrize("key", ORDER)
def test_stage_contract_on_arbitrary_text(key, annotate):
    name = default_stage_params()[key]["factory"]
    get_or_skip(key, factories())
    annotate(key, "", None)  # builds the chain (or skips) outside hypothesis

    @PROPERTY_SETTINGS
    @given(text=texts, pub=published)
    def prop(text: str, pub: Optional[dt.date]) -> None:
        adoc = annotate(key, text, pub)
        if key == "assembly":
            check_records(adoc)
        else:
            check_mentions(adoc, LAYER_OF[key], name)

    prop()


def test_whole_pipeline_never_fails_an_article_on_arbitrary_text(resources):
    """Through ``Pipeline.run``: an exception in a stage would be caught and turned
    into an article error, so 'no error of kind processing failed' is the property."""
    from pipeline.config import load_config
    from pipeline.core import Pipeline

    try:
        config = load_config(DEFAULT_CONFIG, {"limits.languages": [], "limits.reject_markup": False})
    except ConfigError as exc:
        pytest.skip(f"default config not loadable yet: {exc}")
    pipe = Pipeline(config, resources)

    @settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(batch=st.lists(st.tuples(texts.filter(str.strip), published), min_size=1, max_size=4))
    def prop(batch) -> None:
        articles = [Article(id=f"p{i}", text=t, published=p) for i, (t, p) in enumerate(batch)]
        for result in pipe.run(articles):
            assert result.error is None, result.error.reason
            adoc_text = result.article.text
            for r in result.records:
                for ev in r.evidence:
                    assert adoc_text[ev.start:ev.end] == ev.text

    prop()
