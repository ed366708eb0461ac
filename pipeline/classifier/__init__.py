"""Event typing: the ontology and its trigger rules, the MiniLM encoder, a linear head and the training data."""
