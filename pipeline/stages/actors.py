"""Placeholder: the actors stage is being written (see the issue tracker)."""
