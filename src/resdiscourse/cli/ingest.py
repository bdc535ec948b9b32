"""``resdiscourse ingest CORPUS_DIR``: clean texts and page maps of a folder of documents.

Wraps :func:`resdiscourse.ingest.corpus.ingest_corpus`.
"""

from __future__ import annotations

from resdiscourse.cli.options import (
    CacheDirOption,
    CacheOption,
    CorpusArgument,
    EngineOption,
    JobsOption,
    JsonOption,
    OcrOption,
    OutOption,
    PasswordOption,
)
from resdiscourse.cli.output import (
    finish,
    print_summary,
    progress_bar,
    usage_errors,
)


def ingest(
    corpus_dir: CorpusArgument,
    out: OutOption = None,
    jobs: JobsOption = 1,
    engine: EngineOption = "auto",
    password: PasswordOption = None,
    ocr: OcrOption = False,
    use_cache: CacheOption = True,
    cache_dir: CacheDirOption = None,
    json: JsonOption = False,
) -> None:
    """Read every document of a corpus folder into clean text: texts/, pages/ and documents.csv.

    A document that cannot be read gets a row with its error code and the run goes on; exit code 1
    then tells you some documents failed.

    Example: resdiscourse ingest corpora/demo/ --out resdiscourse-out/demo --jobs 4
    """
    from resdiscourse.ingest.corpus import default_out, ingest_corpus

    out = out if out is not None else default_out(corpus_dir)
    with usage_errors(), progress_bar(enabled=not json) as progress:
        summary = ingest_corpus(
            corpus_dir,
            out=out,
            jobs=jobs,
            engine=engine,
            password=password,
            ocr=ocr,
            progress=progress,
            use_cache=use_cache,
            cache_dir=cache_dir,
        )
    finish(summary, json, print_summary)
