"""Placeholder: the dates stage is being written (see the issue tracker)."""
