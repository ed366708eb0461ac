"""Placeholder: the assembly stage is being written (see the issue tracker)."""
