"""Dictionaries from other content-analysis tools, and counting their categories per document.

:mod:`~resdiscourse.dictionaries.read` detects a file's format from its content and reads it into a
:class:`~resdiscourse.dictionaries.model.Dictionary`; :mod:`~resdiscourse.dictionaries.write`
writes one as a resdiscourse codebook, a LIWC ``.dic`` or a REFI-QDA ``.qdc``;
:mod:`~resdiscourse.dictionaries.count` counts categories per unit of a corpus.
"""
