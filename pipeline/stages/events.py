"""Placeholder: the events stage is being written (see the issue tracker)."""
