"""Score whole event records against gold (issue 6.4).

GOLD and PRED are JSONL files or folders of them. PRED may be event records
(lines with "event_type") or input articles (lines with "text", or .txt files):
articles are run through the pipeline first (--config), so
`news-events eval events corpus/gold corpus/sample` scores the whole system.

Event detection: a predicted record matches a gold event of the same article
when its start date is within a day of the gold start and its country is the
same; matching is one-to-one (maximum matching, ties broken by type and
distance). Reported: detection P/R/F1; on matched events, per-field accuracy
(type, sub-type, exact date span, location within 25 km -- a gold province or
country, whose coordinates are approximate centroids, is matched at its level:
a predicted province within 100 km or the same country --, fatalities) and
micro F1 of actor names and of (category, value) counts; strict F1 (detected
with type, exact date, location and fatalities all right); fatalities right
over all gold events; and the calibration of `confidence` against correct
detection (reliability bins, ECE, Brier score).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import logging
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable, Optional

log = logging.getLogger(__name__)

RECORD_SUFFIXES = (".jsonl", ".jsonl.gz")
ARTICLE_SUFFIXES = (".jsonl", ".jsonl.gz", ".txt")


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("gold", type=Path, metavar="GOLD", help="gold records: JSONL file or folder")
    p.add_argument("pred", type=Path, metavar="PRED", help="predicted records, or articles to run first")
    p.add_argument("--extra", nargs=2, action="append", type=Path, default=[], metavar=("GOLD", "PRED"),
                   help="another GOLD PRED pair scored together with the first (e.g. the seed article)")
    p.add_argument("--config", type=Path, default=None, help="pipeline config when PRED holds articles")
    p.add_argument("--output", type=Path, default=None, help="write the records predicted from articles here")
    p.add_argument("--km", type=float, default=25.0, help="location tolerance in km (default 25)")
    p.add_argument("--json", type=Path, default=None, dest="json_out", help="also write the scores as JSON")
    p.add_argument("--show-errors", action="store_true", help="list missed, spurious and mis-coded events")
    p.add_argument("--fit-confidence", action="store_true",
                   help="fit the assembly's confidence weights to correct detection here (logistic regression "
                        "on the features each record's reasons list) and print them for the config")


# --- reading ---------------------------------------------------------------------


def _files(path: Path, suffixes: tuple[str, ...]) -> list[Path]:
    from ..errors import InputError

    if path.is_dir():
        found = sorted(p for p in path.rglob("*") if p.is_file() and p.name.endswith(suffixes))
        if not found:
            raise InputError(f"{path}: folder holds no {', '.join(suffixes)} files")
        return found
    if path.is_file():
        return [path]
    raise InputError(f"{path}: no such file or folder")


def _jsonl(path: Path) -> Iterable[tuple[int, dict[str, Any]]]:
    import gzip

    from ..errors import InputError

    opener = gzip.open if path.name.endswith(".gz") else open
    with opener(path, "rt", encoding="utf-8") as fh:
        for lineno, line in enumerate(fh, 1):
            if not line.strip():
                continue
            try:
                obj = json.loads(line)
            except json.JSONDecodeError as exc:
                raise InputError(f"{path}:{lineno}: malformed JSON: {exc.msg}") from None
            if not isinstance(obj, dict):
                raise InputError(f"{path}:{lineno}: expected a JSON object")
            yield lineno, obj


def read_records(path: Path) -> list[dict[str, Any]]:
    """Event records (gold or predicted) from a JSONL file or folder."""
    from ..errors import InputError

    out = []
    for f in _files(path, RECORD_SUFFIXES):
        for lineno, obj in _jsonl(f):
            for key in ("article_id", "event_type"):
                if key not in obj:
                    raise InputError(f"{f}:{lineno}: not an event record (no {key!r})")
            out.append(obj)
    return out


def holds_articles(path: Path) -> bool:
    """True when PRED is input articles (text) rather than records."""
    for f in _files(path, ARTICLE_SUFFIXES):
        if f.name.endswith(".txt"):
            return True
        for _, obj in _jsonl(f):
            return "text" in obj and "event_type" not in obj
    return False


def predict(path: Path, config: Optional[Path]) -> tuple[list[dict[str, Any]], set[str], int]:
    """Run the pipeline over the articles under ``path``: (records, article ids, failures)."""
    from ..core import Pipeline
    from ..config import load_config
    from ..data import Article
    from ..io.readers import read_inputs

    pipe = Pipeline(load_config(config))
    articles: list[Article] = []
    failures = 0
    for item in read_inputs([path]):
        if isinstance(item, Article):
            articles.append(item)
        else:
            failures += 1
            log.error("%s: %s", item.origin, item.reason)
    records: list[dict[str, Any]] = []
    for result in pipe.run(articles):
        if result.error:
            failures += 1
            log.error("%s: %s", result.error.origin, result.error.reason)
        records.extend(r.to_dict() for r in result.records)
    return records, {a.id for a in articles}, failures


# --- matching ---------------------------------------------------------------------


def _date(rec: dict[str, Any], key: str) -> Optional[dt.date]:
    d = rec.get("date") or {}
    value = d.get(key)
    return dt.date.fromisoformat(value) if value else None


def _country(rec: dict[str, Any]) -> Optional[str]:
    return (rec.get("location") or {}).get("country_code")


def detectable(gold: dict[str, Any], pred: dict[str, Any]) -> bool:
    """Same article, start dates within a day, same country."""
    gs, ps = _date(gold, "start"), _date(pred, "start")
    if gs is None or ps is None or abs((gs - ps).days) > 1:
        return False
    gc, pc = _country(gold), _country(pred)
    return gc is not None and gc == pc


def distance_km(gold: dict[str, Any], pred: dict[str, Any]) -> Optional[float]:
    from ..stages.assembly import haversine_km

    g, p = gold.get("location") or {}, pred.get("location") or {}
    if None in (g.get("latitude"), g.get("longitude"), p.get("latitude"), p.get("longitude")):
        return None
    return haversine_km(g["latitude"], g["longitude"], p["latitude"], p["longitude"])


def match(gold: list[dict[str, Any]], pred: list[dict[str, Any]]) -> list[tuple[int, int]]:
    """One-to-one maximum matching of one article's records (Hungarian; ties by type, then distance)."""
    if not gold or not pred:
        return []
    import numpy as np
    from scipy.optimize import linear_sum_assignment

    gain = np.zeros((len(gold), len(pred)))
    for i, g in enumerate(gold):
        for j, p in enumerate(pred):
            if not detectable(g, p):
                continue
            km = distance_km(g, p)
            gain[i, j] = (1000.0 + 10.0 * (g["event_type"] == p["event_type"])
                          + 5.0 * (g.get("sub_event_type") == p.get("sub_event_type"))
                          + 2.0 * (_date(g, "start") == _date(p, "start"))
                          + (1.0 / (1.0 + km) if km is not None else 0.0))
    rows, cols = linear_sum_assignment(-gain)
    return [(int(i), int(j)) for i, j in zip(rows, cols) if gain[i, j] > 0]


# --- scoring ------------------------------------------------------------------------


def prf(tp: float, n_pred: float, n_gold: float) -> tuple[float, float, float]:
    p = tp / n_pred if n_pred else 0.0
    r = tp / n_gold if n_gold else 0.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


@dataclass
class FieldCheck:
    type: bool
    sub_type: bool
    date: bool
    location: bool
    fatalities: bool
    actor_tp: int
    actor_pred: int
    actor_gold: int
    count_tp: int
    count_pred: int
    count_gold: int

    @property
    def strict(self) -> bool:
        return self.type and self.date and self.location and self.fatalities


ADMIN1_KM = 100.0  # gold admin1 coordinates are approximate centroids (corpus/gold/README.md)


def _location_ok(gold: dict[str, Any], pred: dict[str, Any], km: float) -> bool:
    """Within ``km``; a gold province or country (an approximate centroid) is matched at its level:
    a predicted province of the same country within ADMIN1_KM, or the same country."""
    g, p = gold.get("location"), pred.get("location")
    if g is None or p is None:
        return g is None and p is None
    d = distance_km(gold, pred)
    if g.get("precision") == "country":
        return p.get("precision") == "country" and p.get("country_code") == g.get("country_code")
    if g.get("precision") == "admin1" and p.get("precision") == "admin1" and d is not None:
        return p.get("country_code") == g.get("country_code") and d <= ADMIN1_KM
    if d is not None:
        return d <= km
    return bool(g.get("name")) and (g.get("name") or "").lower() == (p.get("name") or "").lower()


def _multiset_tp(a: Counter, b: Counter) -> int:
    return sum((a & b).values())


def check_fields(gold: dict[str, Any], pred: dict[str, Any], km: float) -> FieldCheck:
    gd, pd = gold.get("date") or {}, pred.get("date") or {}
    ga = Counter(a["name"] for a in gold.get("actors") or [])
    pa = Counter(a["name"] for a in pred.get("actors") or [])
    gc = Counter((c["category"], c.get("value")) for c in gold.get("counts") or [])
    pc = Counter((c["category"], c.get("value")) for c in pred.get("counts") or [])
    return FieldCheck(
        type=gold["event_type"] == pred["event_type"],
        sub_type=gold.get("sub_event_type") == pred.get("sub_event_type"),
        date=(gd.get("start"), gd.get("end") or gd.get("start")) == (pd.get("start"), pd.get("end") or pd.get("start")),
        location=_location_ok(gold, pred, km),
        fatalities=gold.get("fatalities") == pred.get("fatalities"),
        actor_tp=_multiset_tp(ga, pa), actor_pred=sum(pa.values()), actor_gold=sum(ga.values()),
        count_tp=_multiset_tp(gc, pc), count_pred=sum(pc.values()), count_gold=sum(gc.values()),
    )


@dataclass
class Scores:
    n_gold: int = 0
    n_pred: int = 0
    n_articles: int = 0
    checks: list[FieldCheck] = field(default_factory=list)
    # (confidence, detected) per predicted record, for calibration
    confidence: list[tuple[float, bool]] = field(default_factory=list)
    # (confidence features, detected) per predicted record that lists them in its reasons
    features: list[tuple[list[float], bool]] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        m = len(self.checks)
        p, r, f = prf(m, self.n_pred, self.n_gold)

        def acc(name: str) -> Optional[float]:
            return sum(getattr(c, name) for c in self.checks) / m if m else None

        a = prf(sum(c.actor_tp for c in self.checks), sum(c.actor_pred for c in self.checks),
                sum(c.actor_gold for c in self.checks))
        k = prf(sum(c.count_tp for c in self.checks), sum(c.count_pred for c in self.checks),
                sum(c.count_gold for c in self.checks))
        sp, sr, sf = prf(sum(c.strict for c in self.checks), self.n_pred, self.n_gold)
        ssp, ssr, ssf = prf(sum(c.strict and c.sub_type for c in self.checks), self.n_pred, self.n_gold)
        return {
            "articles": self.n_articles,
            "gold_events": self.n_gold,
            "predicted_events": self.n_pred,
            "matched": m,
            "detection": {"precision": p, "recall": r, "f1": f},
            "fields_on_matched": {
                "type": acc("type"), "sub_type": acc("sub_type"), "date_exact": acc("date"),
                "location_within_km": acc("location"), "fatalities": acc("fatalities"),
                "actor_f1": a[2], "count_f1": k[2],
            },
            "strict": {"precision": sp, "recall": sr, "f1": sf},
            "strict_with_sub_type": {"precision": ssp, "recall": ssr, "f1": ssf},
            "fatalities_right_over_gold": (sum(c.fatalities for c in self.checks) / self.n_gold) if self.n_gold else None,
            "calibration": calibration(self.confidence),
        }


def calibration(pairs: list[tuple[float, bool]], bins: int = 5) -> dict[str, Any]:
    """Reliability of ``confidence`` against correct detection: bins, ECE and Brier score."""
    if not pairs:
        return {"bins": [], "ece": None, "brier": None}
    rows = []
    ece = 0.0
    for b in range(bins):
        lo, hi = b / bins, (b + 1) / bins
        inside = [(c, ok) for c, ok in pairs if lo <= c < hi or (b == bins - 1 and c == 1.0)]
        if not inside:
            continue
        mean_c = sum(c for c, _ in inside) / len(inside)
        rate = sum(ok for _, ok in inside) / len(inside)
        ece += len(inside) / len(pairs) * abs(mean_c - rate)
        rows.append({"range": [lo, hi], "n": len(inside), "mean_confidence": mean_c, "detected": rate})
    brier = sum((c - ok) ** 2 for c, ok in pairs) / len(pairs)
    return {"bins": rows, "ece": ece, "brier": brier}


def score(gold: list[dict[str, Any]], pred: list[dict[str, Any]], articles: Optional[set[str]] = None,
          km: float = 25.0, scores: Optional[Scores] = None) -> Scores:
    """Add one GOLD/PRED pair to ``scores``. ``articles`` limits both to the articles run (when known)."""
    scores = scores or Scores()
    by_gold: dict[str, list[dict]] = defaultdict(list)
    by_pred: dict[str, list[dict]] = defaultdict(list)
    for g in gold:
        if articles is None or g["article_id"] in articles:
            by_gold[g["article_id"]].append(g)
    for p in pred:
        by_pred[p["article_id"]].append(p)
    ids = sorted(set(by_gold) | set(by_pred) | (articles or set()))
    scores.n_articles += len(ids)
    for aid in ids:
        gs, ps = by_gold.get(aid, []), by_pred.get(aid, [])
        scores.n_gold += len(gs)
        scores.n_pred += len(ps)
        pairs = match(gs, ps)
        matched_p = {j for _, j in pairs}
        matched_g = {i for i, _ in pairs}
        for i, j in pairs:
            check = check_fields(gs[i], ps[j], km)
            scores.checks.append(check)
            wrong = [n for n in ("type", "sub_type", "date", "location", "fatalities") if not getattr(check, n)]
            if wrong:
                scores.errors.append(f"{aid}: {_brief(gs[i])} coded as {_brief(ps[j])}: wrong {', '.join(wrong)}")
        for j, p in enumerate(ps):
            scores.confidence.append((float(p.get("confidence", 0.0)), j in matched_p))
            feats = confidence_features(p)
            if feats is not None:
                scores.features.append((feats, j in matched_p))
            if j not in matched_p:
                scores.errors.append(f"{aid}: spurious {_brief(p)}")
        for i, g in enumerate(gs):
            if i not in matched_g:
                scores.errors.append(f"{aid}: missed {_brief(g)}")
    return scores


FEATURES = ("score", "own_date", "own_place", "actors", "support")
_FEATURE_RE = None


def confidence_features(rec: dict[str, Any]) -> Optional[list[float]]:
    """The assembly's confidence inputs, read back from the record's ``reasons`` (assembly.v1 writes them)."""
    import re

    global _FEATURE_RE
    if _FEATURE_RE is None:
        _FEATURE_RE = re.compile(r"^confidence: logistic\(score=([\d.]+), own date=(True|False), "
                                 r"own place=(True|False), actors=(True|False), sentences=(\d+)\)")
    for reason in rec.get("reasons") or []:
        m = _FEATURE_RE.match(reason)
        if m:
            return [float(m.group(1)), float(m.group(2) == "True"), float(m.group(3) == "True"),
                    float(m.group(4) == "True"), float(min(int(m.group(5)) - 1, 3))]
    return None


def fit_confidence(pairs: list[tuple[list[float], bool]]) -> dict[str, Any]:
    """Logistic regression of correct detection on the confidence features; 5-fold CV Brier score too."""
    import numpy as np
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import cross_val_predict

    X = np.array([f for f, _ in pairs])
    y = np.array([int(ok) for _, ok in pairs])
    if len(set(y)) < 2:
        raise ValueError("need both detected and spurious records to fit confidence")
    model = LogisticRegression(C=1.0, max_iter=1000)
    model.fit(X, y)
    folds = min(5, int(min(y.sum(), len(y) - y.sum())))
    cv = (cross_val_predict(LogisticRegression(C=1.0, max_iter=1000), X, y, cv=folds, method="predict_proba")[:, 1]
          if folds >= 2 else None)
    weights = {"bias": round(float(model.intercept_[0]), 3)}
    weights.update({n: round(float(w), 3) for n, w in zip(FEATURES, model.coef_[0])})
    fitted = model.predict_proba(X)[:, 1]
    return {
        "weights": weights,
        "n": int(len(y)),
        "fitted": calibration([(float(c), bool(ok)) for c, ok in zip(fitted, y)]),
        "cross_validated": calibration([(float(c), bool(ok)) for c, ok in zip(cv, y)]) if cv is not None else None,
    }


def _brief(rec: dict[str, Any]) -> str:
    d = rec.get("date") or {}
    loc = rec.get("location") or {}
    span = d.get("start") if d.get("start") == d.get("end") or not d.get("end") else f"{d.get('start')}..{d.get('end')}"
    return (f"[{rec.get('event_type')} / {rec.get('sub_event_type')}, {span}, "
            f"{loc.get('name')} ({loc.get('country_code')}), fatalities {rec.get('fatalities')}]")


def report(s: dict[str, Any], km: float) -> str:
    def pct(x: Optional[float]) -> str:
        return "   n/a" if x is None else f"{100 * x:6.1f}"

    d, st, f = s["detection"], s["strict"], s["fields_on_matched"]
    lines = [
        f"articles {s['articles']}, gold events {s['gold_events']}, predicted {s['predicted_events']}, "
        f"matched {s['matched']}",
        "",
        "                          P      R      F1",
        f"event detection      {pct(d['precision'])} {pct(d['recall'])} {pct(d['f1'])}",
        f"strict               {pct(st['precision'])} {pct(st['recall'])} {pct(st['f1'])}"
        "   (type, exact date, location, fatalities)",
        f"strict + sub-type    {pct(s['strict_with_sub_type']['precision'])} "
        f"{pct(s['strict_with_sub_type']['recall'])} {pct(s['strict_with_sub_type']['f1'])}",
        "",
        "fields on matched events (accuracy %, F1 % for actors and counts)",
        f"  type             {pct(f['type'])}",
        f"  sub-type         {pct(f['sub_type'])}",
        f"  date (exact)     {pct(f['date_exact'])}",
        f"  location ≤{km:g} km {pct(f['location_within_km'])}",
        f"  fatalities       {pct(f['fatalities'])}   (right over all gold events: "
        f"{pct(s['fatalities_right_over_gold']).strip()})",
        f"  actor F1         {pct(f['actor_f1'])}",
        f"  count F1         {pct(f['count_f1'])}",
        "",
    ]
    cal = s["calibration"]
    if cal["bins"]:
        lines.append(f"confidence vs correct detection (ECE {cal['ece']:.3f}, Brier {cal['brier']:.3f})")
        for b in cal["bins"]:
            lines.append(f"  [{b['range'][0]:.1f}, {b['range'][1]:.1f})  n={b['n']:3d}  "
                         f"mean confidence {b['mean_confidence']:.2f}  detected {b['detected']:.2f}")
    return "\n".join(lines)


def main(args: argparse.Namespace) -> int:
    pairs = [(args.gold, args.pred)] + [tuple(p) for p in args.extra]
    scores = Scores()
    predicted: list[dict[str, Any]] = []
    failures = 0
    for gold_path, pred_path in pairs:
        gold = read_records(gold_path)
        if holds_articles(pred_path):
            pred, ids, failed = predict(pred_path, args.config)
            failures += failed
            predicted.extend(pred)
        else:
            pred, ids = read_records(pred_path), None
        score(gold, pred, ids, args.km, scores)
    result = scores.as_dict()
    if args.output is not None:
        args.output.parent.mkdir(parents=True, exist_ok=True)
        with open(args.output, "w", encoding="utf-8") as fh:
            for rec in predicted:
                fh.write(json.dumps(rec, ensure_ascii=False) + "\n")
    print(report(result, args.km))
    if failures:
        print(f"\n{failures} article(s) failed to process (see the log above)")
    if args.show_errors:
        print("\nerrors:")
        for line in scores.errors:
            print("  " + line)
    if args.fit_confidence:
        fit = fit_confidence(scores.features)
        result["confidence_fit"] = fit
        w = ", ".join(f"{k}: {v}" for k, v in fit["weights"].items())
        print(f"\nconfidence fit on {fit['n']} predicted records: confidence: {{{w}}}")
        print(f"  in-sample ECE {fit['fitted']['ece']:.3f}, Brier {fit['fitted']['brier']:.3f}"
              + (f"; 5-fold cross-validated ECE {fit['cross_validated']['ece']:.3f}, "
                 f"Brier {fit['cross_validated']['brier']:.3f}" if fit["cross_validated"] else ""))
    if args.json_out is not None:
        args.json_out.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    return 0 if not failures else 1
