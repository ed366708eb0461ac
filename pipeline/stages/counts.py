"""Placeholder: the counts stage is being written (see the issue tracker)."""
