"""Built-in stages; importing this package registers them by versioned name."""

from . import actors, assembly, counts, dates, events, places  # noqa: F401
