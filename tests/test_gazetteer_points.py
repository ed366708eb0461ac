"""Division points: GeoNames' own where configs/division-points.yaml keeps them, else estimated from
their cities (build._division_point): the middle of the area, not of the people."""

from __future__ import annotations

import math
import sqlite3

import pytest

from pipeline.config import PROJECT_ROOT
from pipeline.errors import ConfigError
from pipeline.gazetteer import build


def town(lat: float, lon: float, pop: int = 1000) -> build.Place:
    return build.Place(0, "Town", "CA", "city", pop, lat, lon)


def km(a: tuple[float, float], b: tuple[float, float]) -> float:
    return build._km(a, b)


def crowded_south() -> list[build.Place]:
    """A province shaped like Ontario: forty towns packed along its southern edge, a handful of
    northern outposts spread over the rest of its area (a rectangle 42–52°N, 95–75°W)."""
    south = [town(42.0 + (i % 5) * 0.4, -82.0 + (i // 5) * 0.9, 50_000) for i in range(40)]
    north = [town(lat, lon, 800) for lat in (46.0, 49.0, 52.0) for lon in (-95.0, -85.0, -75.0)]
    return south + north


def test_point_sits_in_the_middle_of_the_area_not_of_the_towns():
    cities = crowded_south()
    mean = (sum(c.latitude for c in cities) / len(cities), sum(c.longitude for c in cities) / len(cities))
    area_middle = (47.0, -85.0)
    point = build._division_point(cities)
    assert km(point, area_middle) < 0.5 * km(mean, area_middle)
    assert point[0] > 45.0  # pulled north of the crowded band (42–43.6°N)


def test_a_miscoded_cluster_far_away_does_not_move_the_point():
    cities = crowded_south()
    miscoded = [town(31.5 + i * 0.1, 94.0 + i * 0.1) for i in range(4)]  # villages coded into the wrong province
    assert km(build._division_point(cities + miscoded), build._division_point(cities)) < 25


def test_a_division_across_the_antimeridian_stays_there():
    cities = [town(65.0 + i * 0.3, 175.0 + i) for i in range(5)] + [town(66.0 + i * 0.3, -179.0 + i) for i in range(5)]
    lat, lon = build._division_point(cities)
    assert 64.0 < lat < 68.0
    assert abs(abs(lon) - 180.0) < 5.0  # not near longitude 0


def test_few_or_collinear_towns_fall_back_to_their_mean():
    assert build._division_point([town(10.0, 20.0), town(12.0, 22.0)]) == (11.0, 21.0)
    lat, lon = build._division_point([town(10.0, 20.0), town(11.0, 21.0), town(12.0, 22.0)])
    assert math.isclose(lat, 11.0) and math.isclose(lon, 21.0)
    assert build._division_point([town(5.0, 5.0)]) == (5.0, 5.0)


def test_hull_centroid_of_a_square_is_its_centre():
    corners = [(0.0, 0.0), (0.0, 2.0), (2.0, 0.0), (2.0, 2.0), (0.5, 0.5)]  # an inner point changes nothing
    assert build._hull_centroid(corners) == (1.0, 1.0)


def test_grid_counts_a_crowded_patch_once():
    crowded = [(40.5 + i * 0.001, 10.0) for i in range(50)]
    sparse = [(50.5 + i * 0.001, 10.0) for i in range(5)]
    lat, _lon = build._grid_centroid(crowded + sparse)
    assert 44.0 < lat < 46.0  # two occupied cells weigh the same, 50 towns or 5


# --- hand-kept points (configs/division-points.yaml) -------------------------------------------


def test_a_listed_division_takes_its_hand_kept_point_not_the_estimate():
    kept = {"CA.08": (49.25014, -84.49983)}
    cities = crowded_south()
    assert build._division_location("CA.08", cities, kept) == (49.25014, -84.49983)
    assert build._division_location("CA.08", [], kept) == (49.25014, -84.49983)  # no city needed
    assert build._division_location("CA.10", cities, kept) == build._division_point(cities)


def test_division_points_file_is_read_by_admin1_code(tmp_path):
    f = tmp_path / "points.yaml"
    f.write_text('# Ontario\n"CA.08": [49.25014, -84.49983]\n"GB.SCT": [56, -4]\n', encoding="utf-8")
    assert build._division_points(f, {"CA.08", "GB.SCT", "US.TX"}) == {"CA.08": (49.25014, -84.49983),
                                                                       "GB.SCT": (56.0, -4.0)}


@pytest.mark.parametrize("line, message", [
    ('"CA.08": [49.25]', "expected \\[latitude, longitude\\]"),
    ('"CA.08": "49.25, -84.5"', "expected \\[latitude, longitude\\]"),
    ('"CA.08": [-84.5, 249.25]', "not a latitude/longitude pair"),
    ('"CA.08": [yes, -84.5]', "expected \\[latitude, longitude\\]"),
    ('"Ontario": [49.25, -84.5]', "admin1 code"),
    ('"CA.99": [49.25, -84.5]', "no first-level division"),
])
def test_a_malformed_entry_is_an_error_naming_file_and_key(tmp_path, line, message):
    f = tmp_path / "points.yaml"
    f.write_text('"US.TX": [31.25044, -99.25061]\n' + line + "\n", encoding="utf-8")
    with pytest.raises(ConfigError, match=message) as err:
        build._division_points(f, {"CA.08", "US.TX"})
    key = line.split(":")[0].strip('"')
    assert str(f) in str(err.value) and repr(key) in str(err.value)


def test_a_file_that_is_not_a_mapping_is_an_error(tmp_path):
    f = tmp_path / "points.yaml"
    f.write_text("- [49.25, -84.5]\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="mapping"):
        build._division_points(f)
    f.write_text('"CA.08": [49.25, -84.5\n', encoding="utf-8")
    with pytest.raises(ConfigError, match="not valid YAML"):
        build._division_points(f)


def test_project_division_points_are_valid():
    points = build._division_points(build.DIVISION_POINTS)
    assert sum(k.startswith("US.") for k in points) == 51  # the states and DC
    assert points["CA.08"] == (49.25014, -84.49983)  # Ontario: GeoNames' point, far north of Toronto
    assert {"AU.04", "GB.ENG", "GB.SCT", "GB.WLS", "GB.NIR", "CN.20"} <= set(points)


def test_built_gazetteer_places_listed_divisions_at_their_points():
    """The gazetteer in models/ (rebuilt by `make gazetteer` when the YAML changes) uses the file."""
    path = PROJECT_ROOT / "models" / "gazetteer.sqlite"
    if not path.is_file():
        pytest.skip(f"{path} absent: run `make gazetteer`")
    con = sqlite3.connect(path)
    stored = dict((code, (lat, lon)) for code, lat, lon in
                  con.execute("SELECT admin1, latitude, longitude FROM places WHERE feature = 'admin1'"))
    con.close()
    for code, (lat, lon) in build._division_points(build.DIVISION_POINTS).items():
        assert stored[code] == pytest.approx((lat, lon), abs=1e-4), code
