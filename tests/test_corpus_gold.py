"""Validate the gold annotations of the development corpus (corpus/gold/*.jsonl, paired with
corpus/sample/<same name>.jsonl) and of the held-out set (corpus/heldout/gold.jsonl, paired with
corpus/heldout/articles.jsonl) against shared/spec/event-record.md.

Every gold line must carry the fields a human coder fills, with the spec's exact label strings,
ISO dates (start <= end), coordinates in range, a spec precision and count category, and an
article_id found in its articles file; article ids are unique and every article has a published date.

The label list, count categories and precisions are the spec's; they are written out here so the test
runs without ../shared, and are checked against configs/ontology.yaml (and against the spec itself
where ../shared is present).
"""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

import pytest
import yaml

from helpers import SPEC_LABELS

ROOT = Path(__file__).resolve().parents[1]
SPEC = ROOT.parent / "shared" / "spec" / "event-record.md"

TYPE_OF = {sub: typ for typ, subs in SPEC_LABELS.items() for sub in subs}
COUNT_CATEGORIES = {"killed", "injured", "arrested", "detained", "kidnapped", "displaced", "missing",
                    "participants", "other"}
PRECISIONS = {"point", "city", "admin2", "admin1", "country"}
ROLES = {"actor1", "actor2", "associated"}
ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
ISO_DATETIME = re.compile(r"^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$")


def gold_pairs() -> list[tuple[Path, Path]]:
    """(gold file, its articles file) for every gold file of the project."""
    pairs = [(g, ROOT / "corpus" / "sample" / g.name) for g in sorted((ROOT / "corpus" / "gold").glob("*.jsonl"))]
    heldout = ROOT / "corpus" / "heldout" / "gold.jsonl"
    if heldout.exists():
        pairs.append((heldout, heldout.with_name("articles.jsonl")))
    return pairs


def read_jsonl(path: Path) -> list[tuple[int, object]]:
    rows = []
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if line.strip():
            rows.append((n, json.loads(line)))
    return rows


def _is_num(x) -> bool:
    return isinstance(x, (int, float)) and not isinstance(x, bool)


def _is_int(x) -> bool:
    return isinstance(x, int) and not isinstance(x, bool)


def _opt_str(x) -> bool:
    """A string that is not empty, or null (the spec: unknown is null, never '')."""
    return x is None or (isinstance(x, str) and x.strip() != "")


def _iso_date(x) -> dt.date | None:
    if not isinstance(x, str) or not ISO_DATE.match(x):
        return None
    try:
        return dt.date.fromisoformat(x)
    except ValueError:
        return None


def published_date(article: dict) -> dt.date | None:
    p = article.get("published")
    if not isinstance(p, str) or not ISO_DATETIME.match(p):
        return None
    try:
        return dt.date.fromisoformat(p[:10])
    except ValueError:
        return None


def validate_gold_record(rec, article_ids: set[str] | None = None) -> list[str]:
    """Every way ``rec`` breaks the gold format of the spec (empty list: valid)."""
    if not isinstance(rec, dict):
        return ["record is not a JSON object"]
    errs: list[str] = []
    for key in ("article_id", "event_type", "sub_event_type", "date", "location", "actors", "counts", "fatalities"):
        if key not in rec:
            errs.append(f"missing key {key!r}")
    aid = rec.get("article_id")
    if not isinstance(aid, str) or not aid:
        errs.append(f"article_id {aid!r} is not a non-empty string")
    elif article_ids is not None and aid not in article_ids:
        errs.append(f"article_id {aid!r} is not in the articles file")

    et, st = rec.get("event_type"), rec.get("sub_event_type")
    if et not in SPEC_LABELS:
        errs.append(f"event_type {et!r} is not a spec label")
    if st not in TYPE_OF:
        errs.append(f"sub_event_type {st!r} is not a spec label")
    elif et in SPEC_LABELS and TYPE_OF[st] != et:
        errs.append(f"sub_event_type {st!r} belongs to {TYPE_OF[st]!r}, not {et!r}")

    date = rec.get("date")
    if not isinstance(date, dict):
        errs.append("date is not an object")
    else:
        start, end = _iso_date(date.get("start")), _iso_date(date.get("end"))
        if start is None:
            errs.append(f"date.start {date.get('start')!r} is not an ISO date")
        if end is None:
            errs.append(f"date.end {date.get('end')!r} is not an ISO date")
        if start and end and start > end:
            errs.append(f"date.start {start} is after date.end {end}")

    loc = rec.get("location")
    if not isinstance(loc, dict):
        errs.append("location is not an object")
    else:
        for key in ("name", "country_code", "admin1", "latitude", "longitude", "precision"):
            if key not in loc:
                errs.append(f"missing key location.{key}")
        if not _opt_str(loc.get("name")):
            errs.append(f"location.name {loc.get('name')!r} is neither a name nor null")
        cc = loc.get("country_code")
        if not (cc is None or (isinstance(cc, str) and re.fullmatch(r"[A-Z]{2}", cc))):
            errs.append(f"location.country_code {cc!r} is not ISO 3166-1 alpha-2")
        if not _opt_str(loc.get("admin1")):
            errs.append(f"location.admin1 {loc.get('admin1')!r} is neither a name nor null")
        lat, lon = loc.get("latitude"), loc.get("longitude")
        if (lat is None) != (lon is None):
            errs.append("location has only one of latitude/longitude")
        if lat is not None and not (_is_num(lat) and -90 <= lat <= 90):
            errs.append(f"location.latitude {lat!r} is out of range")
        if lon is not None and not (_is_num(lon) and -180 <= lon <= 180):
            errs.append(f"location.longitude {lon!r} is out of range")
        if loc.get("precision") not in PRECISIONS:
            errs.append(f"location.precision {loc.get('precision')!r} is not one of {sorted(PRECISIONS)}")

    actors = rec.get("actors")
    if not isinstance(actors, list):
        errs.append("actors is not a list")
    else:
        for i, a in enumerate(actors):
            if not isinstance(a, dict):
                errs.append(f"actors[{i}] is not an object")
                continue
            if not (isinstance(a.get("name"), str) and a["name"].strip()):
                errs.append(f"actors[{i}].name {a.get('name')!r} is not a non-empty string")
            if a.get("role") not in ROLES:
                errs.append(f"actors[{i}].role {a.get('role')!r} is not one of {sorted(ROLES)}")

    counts = rec.get("counts")
    if not isinstance(counts, list):
        errs.append("counts is not a list")
    else:
        for i, c in enumerate(counts):
            if not isinstance(c, dict):
                errs.append(f"counts[{i}] is not an object")
                continue
            for key in ("category", "value", "who"):
                if key not in c:
                    errs.append(f"missing key counts[{i}].{key}")
            if c.get("category") not in COUNT_CATEGORIES:
                errs.append(f"counts[{i}].category {c.get('category')!r} is not a spec category")
            if not (_is_int(c.get("value")) and c["value"] >= 0):
                errs.append(f"counts[{i}].value {c.get('value')!r} is not a non-negative integer")
            if not _opt_str(c.get("who")):
                errs.append(f"counts[{i}].who {c.get('who')!r} is neither a name nor null")

    fat = rec.get("fatalities")
    if not (fat is None or (_is_int(fat) and fat >= 0)):
        errs.append(f"fatalities {fat!r} is neither a non-negative integer nor null")
    if "notes" in rec and not isinstance(rec["notes"], str):
        errs.append("notes is not a string")
    return errs


def validate_articles(rows: list[tuple[int, object]]) -> list[str]:
    errs, seen = [], {}
    for n, a in rows:
        if not isinstance(a, dict):
            errs.append(f"line {n}: not a JSON object")
            continue
        aid = a.get("id")
        if not isinstance(aid, str) or not aid:
            errs.append(f"line {n}: id {aid!r} is not a non-empty string")
        elif aid in seen:
            errs.append(f"line {n}: id {aid!r} repeats line {seen[aid]}")
        else:
            seen[aid] = n
        if not (isinstance(a.get("text"), str) and a["text"].strip()):
            errs.append(f"line {n} ({aid}): no text")
        if published_date(a) is None:
            errs.append(f"line {n} ({aid}): published {a.get('published')!r} is not an ISO date")
    return errs


PAIRS = gold_pairs()


def test_gold_files_found():
    names = {g.parent.name + "/" + g.name for g, _ in PAIRS}
    assert len(PAIRS) >= 2, names
    assert "heldout/gold.jsonl" in names


@pytest.mark.parametrize("gold,articles", PAIRS, ids=[f"{g.parent.name}/{g.name}" for g, _ in PAIRS])
def test_articles_file_valid(gold: Path, articles: Path):
    assert articles.exists(), f"{gold} has no articles file {articles}"
    errs = validate_articles(read_jsonl(articles))
    assert not errs, f"{articles}:\n" + "\n".join(errs)


@pytest.mark.parametrize("gold,articles", PAIRS, ids=[f"{g.parent.name}/{g.name}" for g, _ in PAIRS])
def test_gold_lines_valid(gold: Path, articles: Path):
    arts = {a["id"]: a for _, a in read_jsonl(articles) if isinstance(a, dict) and "id" in a}
    rows = read_jsonl(gold)
    assert rows, f"{gold} is empty"
    errs = []
    for n, rec in rows:
        errs += [f"line {n}: {e}" for e in validate_gold_record(rec, set(arts))]
        # an event is reported on or before the day its article was published
        if isinstance(rec, dict) and rec.get("article_id") in arts and isinstance(rec.get("date"), dict):
            start, pub = _iso_date(rec["date"].get("start")), published_date(arts[rec["article_id"]])
            if start and pub and start > pub:
                errs.append(f"line {n}: date.start {start} is after the article's publication {pub}")
    assert not errs, f"{gold}:\n" + "\n".join(errs)


def test_labels_match_ontology_config():
    """configs/ontology.yaml carries exactly the spec's 6 types / 25 sub-types."""
    raw = yaml.safe_load((ROOT / "configs" / "ontology.yaml").read_text(encoding="utf-8"))
    config = {t: sorted(subs) for t, subs in raw["types"].items()}
    assert config == {t: sorted(subs) for t, subs in SPEC_LABELS.items()}
    assert len(TYPE_OF) == 25


def test_labels_match_spec():
    if not SPEC.exists():
        pytest.skip(f"{SPEC} is absent")
    text = SPEC.read_text(encoding="utf-8")
    section = text.split("## Labels", 1)[1]
    found: dict[str, list[str]] = {}
    current = None
    for line in section.splitlines():
        m = re.match(r"^- \*\*(.+?)\*\*:\s*(.*)$", line)
        if m:
            current = m.group(1)
            found[current] = []
            rest = m.group(2)
        elif current and line.startswith("  ") and line.strip():
            rest = line
        else:
            if current and not line.strip():
                break
            continue
        found[current] += [s.strip() for s in rest.split("·") if s.strip()]
    assert found == SPEC_LABELS
    cats = re.search(r"`category` in (.+?);", text).group(1)
    assert set(re.findall(r"`(\w+)`", cats)) == COUNT_CATEGORIES
    prec_row = next(line for line in text.splitlines() if line.startswith("| `location.precision`"))
    assert set(re.findall(r"`(\w+)`", prec_row.split("|")[2])) == PRECISIONS


# --- the validator itself must reject bad records (so the tests above can fail) -----------------

GOOD = {"article_id": "a1", "event_type": "Battles", "sub_event_type": "Armed clash",
        "date": {"start": "2023-01-02", "end": "2023-01-02"},
        "location": {"name": "Damboa", "country_code": "NG", "admin1": "Borno", "latitude": 11.1553,
                     "longitude": 12.7564, "precision": "city"},
        "actors": [{"name": "Islamic State West Africa Province", "role": "actor1"}],
        "counts": [{"category": "killed", "value": 3, "who": None}], "fatalities": 3, "notes": ""}


def _with(path: str, value):
    rec = json.loads(json.dumps(GOOD))
    *parents, last = path.split(".")
    node = rec
    for p in parents:
        node = node[int(p)] if isinstance(node, list) else node[p]
    if value is KeyError:
        del node[last]
    elif isinstance(node, list):
        node[int(last)] = value
    else:
        node[last] = value
    return rec


def test_validator_accepts_good_record():
    assert validate_gold_record(GOOD, {"a1"}) == []


@pytest.mark.parametrize("path,value", [
    ("article_id", "a2"),                               # not in the articles file
    ("event_type", "Battle"),                           # not an exact label
    ("sub_event_type", "Attack"),                       # label of another type
    ("sub_event_type", "armed clash"),
    ("date.start", "2023-01-03"),                       # after end
    ("date.end", "02/01/2023"),
    ("date", KeyError),
    ("location.latitude", 91.0),
    ("location.longitude", "12.7"),
    ("location.precision", "town"),
    ("location.country_code", "NGA"),
    ("location.admin1", ""),                            # unknown must be null
    ("actors.0.role", "target"),
    ("counts.0.category", "dead"),
    ("counts.0.value", -1),
    ("counts.0.value", 2.5),
    ("fatalities", "3"),
    ("fatalities", True),
])
def test_validator_rejects(path, value):
    assert validate_gold_record(_with(path, value), {"a1"}), (path, value)


def test_articles_validator_rejects_duplicates_and_missing_dates():
    rows = [(1, {"id": "x", "text": "t", "published": "2023-01-01"}),
            (2, {"id": "x", "text": "t", "published": "2023-01-01"}),
            (3, {"id": "y", "text": "t"}),
            (4, {"id": "z", "text": "t", "published": "yesterday"})]
    errs = validate_articles(rows)
    assert len(errs) == 3, errs
