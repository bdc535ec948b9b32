"""What ``code_corpus`` keeps in the cache (:mod:`resdiscourse.cache`) besides extracted texts.

- ``coding`` entries: one coded document (its rows of segments.csv and codings.csv, its trace, its
  counts), keyed by the sha256 of its clean text and page map, its doc_id and the metadata its rows
  carry, the codebook file's sha256, the retrieval, the pipeline (:func:`pipeline_fingerprint`),
  ``explain``, the block kinds retrieval includes, :func:`~resdiscourse.cache.tool_fingerprint`
  and ``CACHE_FORMAT``. A codebook is one self-contained file, so its sha256 covers everything
  it says; the lemma tables shipped beside it and the versions of spaCy, its lookup tables and
  lingua are in the pipeline's fingerprint.
- ``codebook`` entries: what run.json says about a codebook's retrievals
  (:class:`RetrievalFacts`), so that a run whose documents are all cached need not compile the
  codebook, which loads spaCy.

The keys are computed without loading spaCy (for the offline default pipeline), so an unchanged
re-run decides that everything is cached before any of it is imported.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from importlib.metadata import PackageNotFoundError
from importlib.metadata import version as distribution_version
from pathlib import Path
from typing import Any

from resdiscourse.cache import CACHE_FORMAT, content_key, read_entry, tool_fingerprint, write_entry
from resdiscourse.codebook.load import LoadedCodebook
from resdiscourse.codebook.schema import DEFAULT_RETRIEVAL
from resdiscourse.lemmas import lemma_tables_digest

CODING_KIND = "coding"
CODEBOOK_KIND = "codebook"
#: The files of a pipeline folder (``nlp.to_disk``) that say what it is.
MODEL_FILES = ("config.cfg", "meta.json")


@dataclass(frozen=True)
class RetrievalFacts:
    """The retrieval a run uses and the codebook's other retrievals, each as run.json describes
    it: ``{"description": ..., "query": ...}``; the others in codebook order."""

    name: str
    used: dict[str, str]
    others: tuple[tuple[str, dict[str, str]], ...]

    def to_entry(self) -> dict[str, Any]:
        return {"name": self.name, "used": self.used, "others": [list(x) for x in self.others]}

    @classmethod
    def from_entry(cls, entry: dict[str, Any]) -> RetrievalFacts:
        others = tuple((str(name), _described(item)) for name, item in entry["others"])
        return cls(str(entry["name"]), _described(entry["used"]), others)


def _described(item: dict[str, Any]) -> dict[str, str]:
    return {"description": str(item["description"]), "query": str(item["query"])}


def retrieval_facts(
    loaded: LoadedCodebook, retrieval: str | None, cache: Path | None
) -> RetrievalFacts:
    """The facts of retrieval ``retrieval`` of the codebook: from the cache when there, else from
    the compiled codebook (then stored). Raises :class:`UsageError` E610 for an unknown name."""
    settings = {
        "format": CACHE_FORMAT,
        "tool": tool_fingerprint(),
        "codebook": loaded.sha256,
        "retrieval": retrieval or DEFAULT_RETRIEVAL,
    }
    key = content_key(settings)
    if cache is not None:
        entry = read_entry(cache, CODEBOOK_KIND, key)
        if entry is not None:
            try:
                return RetrievalFacts.from_entry(entry)
            except (KeyError, TypeError, ValueError):
                pass  # another shape: compile again
    facts = _compiled_facts(loaded, retrieval)
    if cache is not None:
        write_entry(cache, CODEBOOK_KIND, key, facts.to_entry())
    return facts


def _compiled_facts(loaded: LoadedCodebook, retrieval: str | None) -> RetrievalFacts:
    from resdiscourse.matching.compile import compile_codebook

    compiled = compile_codebook(loaded.codebook, retrieval)
    variants = loaded.codebook.retrieval.variants

    def described(name: str, query: object) -> dict[str, str]:
        variant = variants.get(name)
        return {"description": variant.description if variant else "", "query": str(query)}

    used = compiled.retrieval_name
    others = tuple(
        (name, described(name, query)) for name, query in compiled.other_retrievals().items()
    )
    return RetrievalFacts(used, described(used, compiled.retrieval), others)


#: The distributions whose versions change what coding finds, whatever the pipeline: spaCy and
#: its lookup tables (a ``--model`` run codes the parts in other languages with the default
#: pipeline) and lingua, which tells the parts of a bilingual text apart.
PIPELINE_DISTRIBUTIONS = ("spacy", "spacy-lookups-data", "lingua-language-detector")


def pipeline_fingerprint(language: str, model: str | None) -> str:
    """What identifies the pipeline that codes the documents, for the coding entries' keys.

    Always: the versions of :data:`PIPELINE_DISTRIBUTIONS`, read without importing them, and
    the digest of the shipped lemma tables (:func:`~resdiscourse.lemmas.lemma_tables_digest`).
    The offline default (blank + sentencizer + lookup lemmas; the document's language is in the
    key already) adds nothing else. A ``--model``: the pipeline is loaded (so that a bad one stops
    the run before any work, E210), and its name and version count, and for a folder also the
    sha256 of its config and meta files.
    """
    versions = " ".join(f"{name}={_version(name)}" for name in PIPELINE_DISTRIBUTIONS)
    shared = f"{versions} lemmas={lemma_tables_digest()}"
    if model is None:
        return f"blank+sentencizer+lookups {shared}"
    from resdiscourse.nlp import build_pipeline

    description = build_pipeline(language, model).description
    folder = Path(model)
    if not folder.is_dir():
        return f"model {model}: {description} {shared}"
    digest = hashlib.sha256()
    for name in MODEL_FILES:
        path = folder / name
        digest.update(path.read_bytes() if path.is_file() else b"")
    return f"model folder: {description} {digest.hexdigest()} {shared}"


def _version(distribution: str) -> str:
    try:
        return distribution_version(distribution)
    except PackageNotFoundError:
        return "none"


def coding_key(
    *,
    text: bytes,
    pages: bytes,
    doc_id: str,
    metadata: dict[str, str],
    codebook_sha256: str,
    retrieval: str,
    pipeline: str,
    explain: bool,
    include_blocks: tuple[str, ...] = (),
) -> str:
    """The key of a document's coding entry (see the module's docstring)."""
    settings = {
        "format": CACHE_FORMAT,
        "tool": tool_fingerprint(),
        "text": hashlib.sha256(text).hexdigest(),
        "pages": hashlib.sha256(pages).hexdigest(),
        "doc_id": doc_id,
        "metadata": metadata,
        "codebook": codebook_sha256,
        "retrieval": retrieval,
        "pipeline": pipeline,
        "explain": explain,
        "include_blocks": list(include_blocks),
    }
    return content_key(settings)
