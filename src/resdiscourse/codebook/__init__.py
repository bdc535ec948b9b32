"""Codebooks: the YAML schema, the query language, loading and checking (docs/codebook.md)."""
