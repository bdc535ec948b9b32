"""The command line: a thin typer + rich layer over the library (the only package importing them).

One module per command (``text.py``, ``ingest.py``); ``app.py`` builds the app, ``main.py`` is the
entry point; shared printing is in ``output.py``.
"""
