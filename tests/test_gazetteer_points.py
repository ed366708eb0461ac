"""Division points estimated from their cities (build._division_point): the middle of the area, not of the people."""

from __future__ import annotations

import math

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
