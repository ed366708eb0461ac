"""Placeholder: the places stage is being written (see the issue tracker)."""
