"""Shared test data and helpers (imported by test modules; tests/ is on sys.path under pytest)."""

from __future__ import annotations

from pathlib import Path

# The spec's label strings (shared/spec/event-record.md, "Labels (exact strings)"), type → sub-types,
# written out so tests run without ../shared.
SPEC_LABELS: dict[str, list[str]] = {
    "Battles": ["Armed clash", "Government regains territory", "Non-state actor overtakes territory"],
    "Explosions/Remote violence": ["Chemical weapon", "Air/drone strike", "Suicide bomb",
                                   "Shelling/artillery/missile attack", "Remote explosive/landmine/IED", "Grenade"],
    "Violence against civilians": ["Sexual violence", "Attack", "Abduction/forced disappearance"],
    "Protests": ["Peaceful protest", "Protest with intervention", "Excessive force against protesters"],
    "Riots": ["Violent demonstration", "Mob violence"],
    "Strategic developments": ["Agreement", "Arrests", "Change to group/activity", "Disrupted weapons use",
                               "Headquarters or base established", "Looting/property destruction",
                               "Non-violent transfer of territory", "Other"],
}


def places_by_text(stage, make_doc, text: str) -> dict[str, list]:
    """Run a places stage on ``text``; its mentions grouped by surface text."""
    doc = make_doc(text)
    stage([doc])
    out: dict[str, list] = {}
    for m in doc.layers["places"]:
        out.setdefault(m.text, []).append(m)
    return out


def write_gazetteer(places: list, out: Path) -> Path:
    """A test gazetteer at ``out`` from ``build.Place`` rows, admin names taken from its divisions and countries."""
    from pipeline.gazetteer import build

    admin = {p.admin1: p.name for p in places if p.feature == "admin1"}
    admin.update({p.country_code: p.name for p in places if p.feature == "country"})
    build.write(places, admin, out, {"schema": str(build.SCHEMA_VERSION)})
    return out


def resolve_names(resolver, text: str, *names: str) -> dict:
    """Resolve ``names`` (found in ``text`` in this order) together; resolutions by surface text."""
    from pipeline.gazetteer.resolve import Toponym

    tops, pos = [], 0
    for n in names:
        i = text.index(n, pos)
        tops.append(Toponym(i, i + len(n), n))
        pos = i + len(n)
    return {r.toponym.text: r for r in resolver.resolve(text, tops)}
