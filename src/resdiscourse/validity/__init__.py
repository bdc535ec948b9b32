"""A codebook checked against evidence: its own examples and counterexamples (``codebook test``,
``examples.py``) and labelled gold files (``codebook eval``: ``gold.py`` reads them,
``evaluate.py`` scores). These code texts, so they sit above ``coding``; the codebook package
below it stays free of the coding machinery (docs/architecture.md, "Layers and imports")."""
