"""Language detection benchmark: accuracy of the detector on the French and English sentences of
the gold files, against the function-word count it replaced, in one run.
Run: ``python benchmarks/language.py``.

Sentences: ``../shared/gold-dev.yaml`` (no ``lang``: all English), ``../shared/gold-real-dev.yaml``
and ``tests/data/gold-real-own.yaml`` (their ``lang``). Baseline: English when "the", "and",
"of"… outnumber "le", "la", "les"…, French otherwise (resdiscourse before lingua).
"""

from __future__ import annotations

import re
import sys
import time
from pathlib import Path

from resdiscourse.ingest.language import detect_language

ROOT = Path(__file__).resolve().parents[1]
# The gold-sentence reader is dev-only: tests/support/ in the repository, not in the package.
sys.path.insert(0, str(ROOT))

from tests.support.languages import gold_files, labelled_sentences  # noqa: E402

SHARED = ROOT.parent / "shared"
_WORD = re.compile(r"[^\W\d_]+(?:[-'’][^\W\d_]+)*")
_EN = frozenset({"the", "and", "of", "to", "is", "for", "with", "that"})
_FR = frozenset({"le", "la", "les", "des", "et", "du", "pour", "une", "est", "dans"})


def function_words(text: str) -> str:
    words = [w.lower() for w in _WORD.findall(text)]
    return "fr" if sum(w in _FR for w in words) > sum(w in _EN for w in words) else "en"


def sentences() -> list[tuple[str, str]]:
    files = []
    for path, default in gold_files(SHARED, ROOT):
        if path.exists():
            files.append((path, default))
        else:
            print(f"skipped (absent): {path}")
    return labelled_sentences(files)


def main() -> None:
    items = sentences()
    detect_language("warm up the models")
    for name, detect in (("lingua (en, fr)", detect_language), ("function words", function_words)):
        start = time.perf_counter()
        results = [(detect(text), lang) for text, lang in items]
        seconds = time.perf_counter() - start
        for lang in ("en", "fr"):
            mine = [got for got, want in results if want == lang]
            right = sum(got == lang for got in mine)
            print(f"{name:16} {lang}: {right}/{len(mine)} right")
        total = sum(got == want for got, want in results)
        share = total / len(results)
        print(f"{name:16} all: {total}/{len(results)} = {share:.4f} ({seconds:.3f} s)")


if __name__ == "__main__":
    main()
