"""Temporal expressions: recognition (grammar), anchoring (resolve), vocabulary (lexicon)."""
