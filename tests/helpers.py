"""Shared test data and helpers (imported by test modules; tests/ is on sys.path under pytest)."""

from __future__ import annotations

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
