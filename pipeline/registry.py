"""Stage registry: stages register under a versioned name (``dates.v1``).

Registration happens when ``pipeline.stages`` is imported (a decorator adds the
class to a dict, nothing is loaded); ``get_factory`` imports it on first use.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .errors import ConfigError

if TYPE_CHECKING:
    from .stages.base import Stage

_FACTORIES: dict[str, type["Stage"]] = {}


def register(cls: type["Stage"]) -> type["Stage"]:
    """Class decorator: make a stage buildable from config by its ``name``."""
    if cls.name in _FACTORIES and _FACTORIES[cls.name] is not cls:
        raise ValueError(f"stage name {cls.name!r} registered twice")
    _FACTORIES[cls.name] = cls
    return cls


def get_factory(name: str, where: str = "factory") -> type["Stage"]:
    from . import stages  # noqa: F401  (registers the built-in stages)

    try:
        return _FACTORIES[name]
    except KeyError:
        known = ", ".join(sorted(_FACTORIES))
        raise ConfigError(f"{where}: unknown stage {name!r}; known stages: {known}") from None


def factories() -> dict[str, type["Stage"]]:
    from . import stages  # noqa: F401

    return dict(_FACTORIES)
