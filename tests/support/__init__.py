"""Dev-only generators, kept out of the installed package: synthetic PDFs with their exact text
(``synthpdf``), a seeded layout fuzzer (``layoutfuzz``), ingest quality measures (``metrics``),
and the scripts that write the shipped demo data (``make_demo``: ``corpora/demo`` and
``corpora/demo-truth``; ``make_coding``: ``corpora/demo-coding/ann.csv``). The PDF generators
need reportlab, from the ``dev`` extra. Run the scripts from the repository root:
``python -m tests.support.make_demo``."""
