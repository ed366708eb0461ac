"""Event typing: the ontology and its trigger rules, the MiniLM encoder, a linear head fused with a TF-IDF model, and the training data."""
