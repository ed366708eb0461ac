"""Toponym resolution on geoparsing corpora (LGL, GeoVirus, TR-News, GeoWebNews XML).

Scores every gold toponym that has coordinates: acc@161km (share within 161 km),
exact GeoNames id match (toponyms whose gold has an id), median error km, AUC of
the log error (Gritta et al. 2018: mean of ln(1+km)/ln(1+20039); lower is better)
and coverage (share that got any resolution). Unresolved and unrecognized
toponyms count as wrong at the maximal error.

--gold-toponyms resolves the gold spans (the resolver alone); without it our
recognizer (spaCy + gazetteer matcher, the places stage) finds the toponyms and a
gold toponym counts as found when a predicted span overlaps it; the found toponyms
that overlap no annotated span (GWN's Non_Toponym ones excepted) are counted too, a
rough view of false places. --baseline adds
the population-only baseline (most populous entry with the name, same gazetteer).

Formats: LGL/TR-News <toponym><start><end><phrase><gaztag geonameid><lat><lon>;
GeoVirus <location><start><end> 1-based, <lat><lon>, no ids; GWN <toponym> with
<latitude>/<longitude> only for scorable types (others are skipped).
"""

from __future__ import annotations

import argparse
import json
import math
import statistics
import time
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from pathlib import Path
from typing import Optional

MAX_KM = 20039.0


@dataclass
class Gold:
    start: int
    end: int
    text: str
    lat: float
    lon: float
    geonameid: Optional[int]


@dataclass
class GoldDoc:
    id: str
    text: str
    toponyms: list[Gold]
    spans: list[tuple[int, int]] = field(default_factory=list)  # every annotated toponym, scored or not


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("files", nargs="+", type=Path, metavar="FILE.xml")
    parser.add_argument("--gold-toponyms", action="store_true", help="resolve the gold spans (no recognition)")
    parser.add_argument("--baseline", action="store_true", help="also score the population-only baseline")
    parser.add_argument("--predictions", type=Path, default=None, metavar="OUT.jsonl",
                        help="write one line per gold toponym with our resolution")
    parser.add_argument("--config", type=Path, default=None, help="pipeline config (default configs/default.yaml)")
    parser.add_argument("--limit", type=int, default=None, help="first N articles of each file (quick checks)")


# --- readers -----------------------------------------------------------------------


def read_corpus(path: Path) -> list[GoldDoc]:
    """Any of the four formats, spans checked against the text (and re-found nearby when off)."""
    from ..errors import PipelineError

    try:
        root = ET.parse(path).getroot()
    except (ET.ParseError, OSError) as exc:
        raise PipelineError(f"{path}: cannot read the corpus: {exc}") from None
    docs = []
    for i, art in enumerate(root.iter("article")):
        text = art.findtext("text") or ""
        doc_id = art.get("docid") or art.get("file") or f"{path.stem}-{i}"
        golds: list[Gold] = []
        spans: list[tuple[int, int]] = []
        if art.find("toponyms") is not None:
            for t in art.find("toponyms").findall("toponym"):
                g = _read_toponym(t)
                if g is not None:
                    golds.append(g)
                elif (t.findtext("type") or "").strip() != "Non_Toponym":
                    spans.append((int(t.findtext("start")), int(t.findtext("end"))))
        else:  # GeoVirus: <locations><location>, 1-based offsets, possibly nested
            for loc in art.iter("location"):
                if loc.findtext("lat") in (None, "") or loc.findtext("start") is None:
                    continue
                s, e = int(loc.findtext("start")) - 1, int(loc.findtext("end")) - 1
                golds.append(Gold(s, e, (loc.findtext("name") or "").strip(), float(loc.findtext("lat")),
                                  float(loc.findtext("lon")), None))
        for g in golds:
            _realign(text, g)
        docs.append(GoldDoc(doc_id, text, golds, spans + [(g.start, g.end) for g in golds]))
    return docs


def _read_toponym(t: ET.Element) -> Optional[Gold]:
    s, e = int(t.findtext("start")), int(t.findtext("end"))
    gaz = t.find("gaztag")
    if gaz is not None:  # LGL, TR-News
        if gaz.findtext("lat") in (None, ""):
            return None
        return Gold(s, e, (t.findtext("phrase") or "").strip(), float(gaz.findtext("lat")),
                    float(gaz.findtext("lon")), int(gaz.get("geonameid")) if gaz.get("geonameid") else None)
    lat = t.findtext("latitude")
    if lat in (None, ""):  # GWN: non-toponyms and toponyms without coordinates are not scored
        return None
    gid = (t.findtext("geonamesID") or "").strip()
    return Gold(s, e, (t.findtext("extractedName") or "").strip(), float(lat), float(t.findtext("longitude")),
                int(gid) if gid.isdigit() else None)


def _realign(text: str, g: Gold) -> None:
    """Some gold spans are a few characters off (TR-News): find the phrase nearby."""
    if not g.text or text[g.start:g.end] == g.text:
        if not g.text:
            g.text = text[g.start:g.end]
        return
    best = None
    for delta in range(0, 40):
        for s in (g.start - delta, g.start + delta):
            if 0 <= s and text.startswith(g.text, s):
                best = s
                break
        if best is not None:
            break
    if best is not None:
        g.start, g.end = best, best + len(g.text)


# --- scoring -------------------------------------------------------------------


@dataclass
class Scores:
    n: int = 0
    covered: int = 0
    within: int = 0
    with_id: int = 0
    exact: int = 0
    stood_in: int = 0  # scored with the article's focus place standing in (no entry of their own)
    errors: list = None

    def __post_init__(self) -> None:
        self.errors = []

    def add(self, g: Gold, pred: Optional[tuple], stand_in: bool = False) -> None:
        self.n += 1
        if g.geonameid is not None:
            self.with_id += 1
        if pred is None:
            self.errors.append(MAX_KM)
            return
        self.covered += not stand_in
        self.stood_in += stand_in
        from ..gazetteer.resolve import km

        d = km(g.lat, g.lon, pred[1], pred[2])
        self.errors.append(d)
        self.within += d <= 161.0
        if g.geonameid is not None and pred[0] == g.geonameid:
            self.exact += 1

    def row(self) -> dict:
        n = max(1, self.n)
        auc = sum(math.log1p(e) for e in self.errors) / (n * math.log1p(MAX_KM))
        return {"n": self.n, "acc161": self.within / n, "exact": self.exact / max(1, self.with_id),
                "median_km": statistics.median(self.errors) if self.errors else float("nan"),
                "auc": auc, "coverage": self.covered / n, "stand_in": self.stood_in / n}


def main(args: argparse.Namespace) -> int:
    from ..config import load_config
    from ..core import Pipeline
    from ..gazetteer.resolve import Toponym
    from ..stages.places import PlacesStage

    config = load_config(args.config)
    pipeline = Pipeline(config)
    pipe_stage = next((s for s in pipeline.stages if isinstance(s, PlacesStage)), None)
    if pipe_stage is None:
        from ..errors import ConfigError

        raise ConfigError(f"{config.source}: no places.v1 stage in the config")
    resolver = pipe_stage.resolver
    out = args.predictions.open("w", encoding="utf-8") if args.predictions else None
    mode = "gold toponyms" if args.gold_toponyms else "end to end (our recognizer)"
    print(f"places: {mode}; gazetteer {pipe_stage.config.gazetteer.name}")
    header = (f"{'corpus':<14}{'system':<12}{'n':>6}{'acc@161':>9}{'exact id':>9}{'median km':>11}{'AUC':>7}"
              f"{'coverage':>10}{'stand-in':>10}")
    print(header)
    total_topo, total_s = 0, 0.0
    try:
        for path in args.files:
            docs = read_corpus(path)[: args.limit]
            ours, base = Scores(), Scores()
            predicted = extra = 0
            for d in docs:
                if args.gold_toponyms:
                    tops = [Toponym(g.start, g.end, d.text[g.start:g.end] or g.text) for g in d.toponyms]
                    t0 = time.perf_counter()
                    res = resolver.resolve(d.text, tops)
                    total_s += time.perf_counter() - t0
                    total_topo += len(tops)
                    spans = [(r.toponym.start, r.toponym.end, r) for r in res]
                else:
                    spans = [(m.start, m.end, m) for m in _recognize(pipeline, pipe_stage, d)]
                    predicted += len(spans)
                    extra += sum(1 for s, e, _m in spans if not any(s < b and a < e for a, b in d.spans))
                for g in d.toponyms:
                    hit = _find(spans, g)
                    pred, stand_in = _pred(hit)
                    ours.add(g, pred, stand_in)
                    if args.baseline:
                        cands = resolver.gaz.lookup(g.text) if (args.gold_toponyms or hit is not None) else ()
                        base.add(g, (cands[0].public_id, cands[0].latitude, cands[0].longitude) if cands else None)
                    if out is not None:
                        out.write(json.dumps({"doc": d.id, "start": g.start, "end": g.end, "text": g.text,
                                              "geonameid": pred[0] if pred else None,
                                              "latitude": pred[1] if pred else None,
                                              "longitude": pred[2] if pred else None,
                                              "country_code": pred[3] if pred else None,
                                              "stand_in": stand_in,
                                              "gold": [g.lat, g.lon, g.geonameid]}, ensure_ascii=False) + "\n")
            for name, sc in [("ours", ours)] + ([("population", base)] if args.baseline else []):
                r = sc.row()
                print(f"{path.stem:<14}{name:<12}{r['n']:>6}{r['acc161']:>9.3f}{r['exact']:>9.3f}"
                      f"{r['median_km']:>11.1f}{r['auc']:>7.3f}{r['coverage']:>10.3f}{r['stand_in']:>10.3f}")
            if predicted:
                print(f"{'':<14}{predicted} toponyms found, {extra} ({extra / predicted:.1%}) outside every gold span "
                      "(false places, or places the corpus does not tag)")
    finally:
        if out is not None:
            out.close()
    if total_topo:
        print(f"resolution speed: {total_topo / total_s:,.0f} toponyms/s ({total_topo} toponyms, one core)")
    return 0


def _recognize(pipeline, stage, d: GoldDoc) -> list:
    """Our places mentions for an article: spaCy parse as the pipeline makes it, then the stage."""
    from ..data import AnnotatedDoc, Article, Sentence

    parsed = pipeline.nlp(d.text)
    doc = AnnotatedDoc(Article(id=d.id, text=d.text), parsed,
                       [Sentence(s.start_char, s.end_char, s.text) for s in parsed.sents])
    stage([doc])
    return doc.layer("places")


def _find(spans: list, g: Gold):
    """The prediction for a gold toponym: same span, else the first overlapping one."""
    best = None
    for s, e, r in spans:
        if s == g.start and e == g.end:
            return r
        if best is None and s < g.end and g.start < e:
            best = r
    return best


def _pred(hit) -> tuple[Optional[tuple], bool]:
    """((geonameid, lat, lon, country), whether the article's focus place stands in) of a Resolution or a place
    Mention; (None, False) when unresolved."""
    if hit is None:
        return None, False
    if hasattr(hit, "candidate"):
        cand = hit.candidate or hit.stand_in
        if cand is None:
            return None, False
        return (cand.public_id, cand.latitude, cand.longitude, cand.country_code), hit.candidate is None
    v = hit.value
    if v is not None and v.latitude is not None:
        return (v.geonameid, v.latitude, v.longitude, v.country_code), v.stand_in
    return None, False
