"""Read-only lookup in the SQLite gazetteer built by ``build.py``.

Lookups go through the ``names`` index (normalized key → geonameid), so memory
stays at SQLite's page cache plus a bounded LRU of recent names: well under the
300 MB budget, and thousands of lookups per second on one core.
"""

from __future__ import annotations

import logging
import sqlite3
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Optional

from ..errors import MissingResourceError
from .normalize import compact, norm, skeleton

log = logging.getLogger(__name__)

# The gazetteer's feature kinds → the output's location precision.
PRECISION = {"continent": "country", "country": "country", "region": "admin1", "admin1": "admin1",
             "admin2": "admin2", "city": "city", "point": "point"}


@dataclass(frozen=True)
class Candidate:
    geonameid: int  # negative: a hand-kept entry without a GeoNames id
    name: str
    country_code: Optional[str]
    admin1: Optional[str]  # GeoNames admin1 code, e.g. "IQ.15"
    admin2: Optional[str]
    feature: str
    population: int
    latitude: float
    longitude: float
    tier: int  # how the name matched: 0 primary name, 1 alternate name, 2 spelling variant (skeleton or compact key)

    @property
    def public_id(self) -> Optional[int]:
        return self.geonameid if self.geonameid > 0 else None


class Gazetteer:
    def __init__(self, path: Path, cache_size: int = 50_000) -> None:
        path = Path(path)
        if not path.is_file():
            raise MissingResourceError(f"gazetteer {path} not found; build it with `make gazetteer`")
        self.path = path
        self._con = sqlite3.connect(f"file:{path}?mode=ro", uri=True, check_same_thread=False)
        self._con.execute("PRAGMA cache_size=-16000")  # 16 MB page cache
        self.meta = dict(self._con.execute("SELECT key, value FROM meta"))
        self._admin = dict(self._con.execute("SELECT code, name FROM admin"))
        try:
            #: (country code, normalized name) of every national capital
            self.capitals = frozenset(self._con.execute("SELECT country_code, name FROM capitals"))
        except sqlite3.OperationalError as e:
            raise MissingResourceError(f"gazetteer {path} was built by an older version ({e}); "
                                       "rebuild it with `make gazetteer`") from e
        self.lookup = lru_cache(maxsize=cache_size)(self._lookup)

    def _lookup(self, text: str) -> tuple[Candidate, ...]:
        """Every entry whose name matches ``text`` (best tier per entry), most populous first. Only a
        match on the query's ``norm`` (with or without a leading "the") keeps its indexed tier; one on its skeleton or compact key is tier 2."""
        n, s, c = norm(text), skeleton(text), compact(text)
        if not n:
            return ()
        # "The Gambia", "the Hague": the name is indexed without its article too, so the query may drop it
        bare = n[4:] if n.startswith("the ") and len(n) > 4 else n
        rows = self._con.execute(
            "SELECT n.key, n.tier, p.geonameid, p.name, p.country_code, p.admin1, p.admin2, p.feature, "
            "p.population, p.latitude, p.longitude FROM names n JOIN places p ON p.geonameid = n.geonameid "
            "WHERE n.key IN (?, ?, ?, ?)", (n, bare, s, c or n)).fetchall()
        best: dict[int, Candidate] = {}
        for key, tier, *rest in rows:
            t = tier if key in (n, bare) else 2
            c = Candidate(*rest, tier=t)
            if c.geonameid not in best or best[c.geonameid].tier > t:
                best[c.geonameid] = c
        return tuple(sorted(best.values(), key=lambda c: (-c.population, c.tier, c.geonameid)))

    def admin_name(self, code: Optional[str]) -> Optional[str]:
        """Name of an admin code (``IQ.15`` → Nīnawá; ``IQ`` → Iraq)."""
        return self._admin.get(code) if code else None

    def by_id(self, geonameid: int) -> Optional[Candidate]:
        row = self._con.execute(
            "SELECT geonameid, name, country_code, admin1, admin2, feature, population, latitude, longitude "
            "FROM places WHERE geonameid = ?", (geonameid,)).fetchone()
        return Candidate(*row, tier=0) if row else None

    @lru_cache(maxsize=512)
    def country(self, code: str) -> Optional[Candidate]:
        """The country entry of an ISO alpha-2 code."""
        row = self._con.execute(
            "SELECT geonameid, name, country_code, admin1, admin2, feature, population, latitude, longitude "
            "FROM places WHERE feature = 'country' AND country_code = ? ORDER BY population DESC LIMIT 1",
            (code,)).fetchone()
        return Candidate(*row, tier=0) if row else None
