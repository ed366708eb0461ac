"""The pipeline: read → one ``nlp.pipe`` pass → stages → assembly → records.

``Pipeline`` builds its stages from a validated config and checks, before any
article is read, that every stage's requirements are provided by an earlier one.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
import signal
import threading
import time
from collections import defaultdict
from contextlib import contextmanager
from typing import Iterable, Iterator, Optional, Union

from .config import PipelineConfig, load_config
from .data import AnnotatedDoc, Article, ArticleResult, EventRecord, RecordError, Sentence
from .errors import ConfigError, MissingResourceError, PipelineError
from .registry import get_factory
from .resources import Resources
from .stages.base import BASE_LAYERS, Stage

log = logging.getLogger(__name__)


class Pipeline:
    def __init__(self, config: PipelineConfig, resources: Optional[Resources] = None) -> None:
        self.config = config
        self.resources = resources or Resources()
        self.stages: list[Stage] = []
        self.stage_keys: list[str] = []  # the config key of each stage, for messages
        self._warm = False
        available = set(BASE_LAYERS)
        for key, stage_config in config.stage_configs().items():
            factory = get_factory(stage_config.factory)
            missing = sorted(factory.requires - available)
            if missing:
                raise ConfigError(
                    f"{config.source or '<config>'}: stages.{key} ({factory.name}) requires "
                    f"{', '.join(missing)}, which no earlier stage provides; "
                    f"add a stage providing {', '.join(missing)} before '{key}'"
                )
            self.stages.append(factory(stage_config, self.resources))
            self.stage_keys.append(key)
            available |= factory.provides
        if "records" not in available:
            raise ConfigError(
                f"{config.source or '<config>'}: no stage provides 'records'; "
                "the last stage should be the assembly stage (factory: assembly.v1)"
            )
        # Seconds spent per stage, for the benchmark's "where the time goes".
        self.timings: dict[str, float] = defaultdict(float)

    # --- library API -----------------------------------------------------

    @property
    def nlp(self):
        sp = self.config.spacy
        return self.resources.spacy(sp.model, tuple(sp.disable))

    def warm_up(self) -> None:
        """Load every resource now instead of on the first article, so a missing
        model or file is one user error naming the config key, not a failure of
        every article (``run`` calls this once before the first batch)."""
        source = self.config.source or "<config>"
        try:
            _ = self.nlp
        except PipelineError as exc:
            raise type(exc)(f"{source}: spacy.model: {exc}") from None
        for key, stage in zip(self.stage_keys, self.stages):
            try:
                stage.warm_up()
            except PipelineError as exc:
                raise type(exc)(f"{source}: stages.{key} ({stage.name}): {exc}") from None
        self._warm = True

    def extract(
        self,
        text: str,
        published: Optional[str | dt.date] = None,
        title: Optional[str] = None,
        id: Optional[str] = None,
    ) -> list[EventRecord]:
        """Code one article; raises ``InputError`` if it cannot be processed."""
        from .io.readers import parse_published

        pub = parse_published(published) if isinstance(published, str) else published
        article = Article(id=id or Article.content_id(text), text=text, title=title, published=pub)
        (result,) = list(self.run([article]))
        if result.error:
            from .errors import InputError

            raise InputError(result.error.reason)
        return result.records

    def run(self, articles: Iterable[Article]) -> Iterator[ArticleResult]:
        """Stream results in input order, one ``ArticleResult`` per article."""
        if not self._warm:
            self.warm_up()
        batch: list[Article] = []
        size = self.config.spacy.batch_size
        for article in articles:
            batch.append(article)
            if len(batch) >= size:
                yield from self._run_batch(batch)
                batch = []
        if batch:
            yield from self._run_batch(batch)

    # --- internals ---------------------------------------------------------

    def _run_batch(self, articles: list[Article]) -> list[ArticleResult]:
        limits = self.config.limits
        results: dict[int, ArticleResult] = {}
        todo: list[tuple[int, Article]] = []
        for i, art in enumerate(articles):
            refused = self._refuse(art)
            if refused:
                results[i] = _failed(art, refused)
            else:
                todo.append((i, art))
        if todo:
            try:
                docs = self._annotate([a for _, a in todo])
                for (i, art), adoc in zip(todo, docs):
                    results[i] = ArticleResult(art, adoc.records)
            except MissingResourceError:
                raise  # a model or file is absent: every article would fail the same way
            except (Exception, ArticleTimeout):  # isolate the failing article, keep the others
                if len(todo) == 1:
                    i, art = todo[0]
                    log.debug("article %s failed", art.id, exc_info=True)
                    results[i] = _failed(art, _describe_exception())
                else:
                    for i, art in todo:
                        results[i] = self._run_batch([art])[0]
        return [results[i] for i in range(len(articles))]

    def _refuse(self, article: Article) -> Optional[str]:
        """Why an article is not processed at all (checked before any model runs), or None."""
        limits = self.config.limits
        text = article.text
        if len(text) > limits.max_chars:
            return f"text is {len(text):,} characters, over limits.max_chars={limits.max_chars:,}"
        for field, value in (("text", text), ("title", article.title)):
            bad = _SURROGATE.search(value or "")
            if bad:
                return (f"{field} holds an unpaired UTF-16 surrogate (U+{ord(bad.group()):04X}) at character "
                        f"{bad.start()}: not valid Unicode (a producer's broken \\u escape); fix the input")
        if limits.reject_markup and _looks_like_html(text):
            return ("text is HTML markup, not article text: extract the text first (or give the page in a "
                    ".warc file, whose reader extracts it); limits.reject_markup: false processes it as is")
        if limits.languages:
            accepted = {code.lower() for code in limits.languages}
            if article.language:
                code = _language_code(article.language)
                if code not in accepted:
                    return (f"language {article.language!r} is not among limits.languages={sorted(accepted)}: "
                            "the models are English-only; translate the article first")
            elif "en" in accepted and not accepted - {"en"}:
                share = _english_share(text)
                if share is not None and share < MIN_ENGLISH_SHARE:
                    return (f"text does not look like English ({share:.0%} of its words are common English "
                            "words, English prose has over 20%): the models are English-only; translate it "
                            "first, or give its 'language' field")
        return None

    def _annotate(self, articles: list[Article]) -> list[AnnotatedDoc]:
        t0 = time.perf_counter()
        parsed = list(self.nlp.pipe([a.text for a in articles], batch_size=self.config.spacy.batch_size))
        self.timings["spacy"] += time.perf_counter() - t0
        docs = [AnnotatedDoc(a, d, _sentences(d)) for a, d in zip(articles, parsed)]
        per_article = self.config.limits.time_budget_s
        budget = per_article * len(articles)
        start = time.perf_counter()
        with time_limit(budget, f"stages took over limits.time_budget_s={per_article:g}s per article"):
            for stage in self.stages:
                t0 = time.perf_counter()
                stage(docs)
                now = time.perf_counter()
                self.timings[stage.name] += now - t0
                if now - start > budget:  # where no timer can interrupt (not the main thread)
                    raise ArticleTimeout(
                        f"stages took over limits.time_budget_s={per_article:g}s per article "
                        f"(stopped after {stage.name})"
                    )
        return docs


class ArticleTimeout(BaseException):
    """The per-article time budget ran out. A ``BaseException`` so that a stage's
    own ``except Exception`` cannot swallow it; ``_run_batch`` reports it."""


@contextmanager
def time_limit(seconds: float, message: str) -> Iterator[None]:
    """Raise ``ArticleTimeout`` inside the block once ``seconds`` have passed.

    Uses ``SIGALRM`` via ``signal.setitimer``, which only the main thread of a
    process can own (the local engine's workers and the CLI run there). Elsewhere
    (Dask worker threads, a library caller's thread) the block runs untimed and
    the caller's between-stage check is the only limit. Python delivers the
    signal between bytecodes, so a single long call into C (one regex match,
    one matrix product) is interrupted only when it returns.
    """
    if (not hasattr(signal, "setitimer") or threading.current_thread() is not threading.main_thread()
            or signal.getitimer(signal.ITIMER_REAL)[0] > 0):  # someone else's timer is running: leave it
        yield
        return

    def _expired(signum, frame):
        raise ArticleTimeout(message)

    previous = signal.signal(signal.SIGALRM, _expired)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def drop_duplicate_ids(items: Iterable[Union[Article, RecordError]]) -> Iterator[Union[Article, RecordError]]:
    """Pass items on, replacing the second and later article with an id already
    seen by a ``RecordError`` (the first is kept): event ids are ``<article_id>#n``,
    so a repeated id would give two different events the same id. Memory grows
    with the number of distinct ids (one string each)."""
    first: dict[str, str] = {}
    for item in items:
        if isinstance(item, Article):
            where = item.origin or "?"
            if item.id in first:
                yield RecordError(where, f"duplicate article id {item.id!r}: already read at {first[item.id]}; "
                                  "this copy is skipped (give each article its own id)", item.id)
                continue
            first[item.id] = where
        yield item


_TAG = re.compile(r"</?[A-Za-z][A-Za-z0-9]*(?:\s[^<>]*)?/?>|<!--.*?-->|<![A-Za-z][^<>]*>", re.S)
_SURROGATE = re.compile("[\ud800-\udfff]")
_WORD = re.compile(r"[^\W\d_]+")
# Function words: a fifth to a third of any English prose, rare in other languages.
_ENGLISH_WORDS = frozenset(
    "the of and to in a is was for on that with by as at from his her it its are were be been has have had "
    "this which who but not or an they their he she said after".split()
)
MIN_ENGLISH_SHARE = 0.10
MIN_WORDS_FOR_LANGUAGE = 40


def _looks_like_html(text: str) -> bool:
    """A whole HTML page or markup-dense fragment, not prose that mentions a ``<b>`` tag."""
    head = text.lstrip()[:200].lower()
    if head.startswith(("<!doctype html", "<html")):
        return True
    tags = _TAG.findall(text)
    return len(tags) >= 5 and sum(map(len, tags)) > 0.3 * len(text)


def _language_code(value: str) -> str:
    code = re.split(r"[-_]", value.strip().lower(), maxsplit=1)[0]
    return {"eng": "en", "english": "en"}.get(code, code)


def _english_share(text: str) -> Optional[float]:
    """Share of common English words among the first 400 words; None for short texts
    (too few words to tell a language from a list of names)."""
    words = _WORD.findall(text[:5000])[:400]
    if len(words) < MIN_WORDS_FOR_LANGUAGE:
        return None
    return sum(w.lower() in _ENGLISH_WORDS for w in words) / len(words)


def _sentences(doc) -> list[Sentence]:
    return [Sentence(s.start_char, s.end_char, s.text) for s in doc.sents]


def _failed(article: Article, reason: str) -> ArticleResult:
    origin = article.origin or article.id
    return ArticleResult(article, [], RecordError(origin=origin, reason=reason, article_id=article.id))


def _describe_exception() -> str:
    import sys

    exc = sys.exc_info()[1]
    return f"processing failed: {type(exc).__name__}: {exc}"


def load(config: Optional[str] = None, **overrides) -> Pipeline:
    """Build a pipeline from a config file (default: ``configs/default.yaml``).

    ``overrides`` set dotted keys, e.g. ``load(**{"spacy.model": "en_core_web_sm"})``.
    """
    return Pipeline(load_config(config, overrides))
