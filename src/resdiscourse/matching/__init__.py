"""The matching engine: a codebook compiled to term patterns and queries, run over segmented text.

It is a stage, below retrieval and coding, which both use it; the codebook package (schema,
loading, query language) is core and does not import it (docs/architecture.md).
"""
