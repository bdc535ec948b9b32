"""The command line: a thin typer + rich layer over the library (the only package importing them).

One module per command (``text.py``, ``ingest.py``); ``main.py`` builds the app; shared printing
is in ``output.py``.
"""
