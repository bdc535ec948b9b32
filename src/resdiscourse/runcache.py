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
- ``segmentation`` entries: one text's tokens, sentences, paragraphs, block kinds (and lemmas, for
  a pipeline with its own lemmatizer) and word count (:class:`~resdiscourse.coding.Segmented`),
  keyed by the sha256 of the text, its language, the parts of a text that mixes languages, its
  layout blocks, the pipeline's fingerprint, the tool's and ``CACHE_FORMAT``: nothing of the
  codebook but the languages it tells apart (they decide the parts). A re-run after a codebook
  edit then only matches and codes; it never runs spaCy's tokenizer (nor builds a pipeline:
  building the French one alone takes seconds). The entry is binary: numpy arrays in one
  compressed ``.npz`` (:func:`~resdiscourse.cache.write_blob`).

The keys are computed without loading spaCy (for the offline default pipeline), so an unchanged
re-run decides that everything is cached before any of it is imported.
"""

from __future__ import annotations

import hashlib
import io
import json
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from importlib.metadata import PackageNotFoundError
from importlib.metadata import version as distribution_version
from pathlib import Path
from typing import TYPE_CHECKING, Any

from resdiscourse.cache import (
    CACHE_FORMAT,
    content_key,
    read_blob,
    read_entry,
    tool_fingerprint,
    write_blob,
    write_entry,
)
from resdiscourse.codebook.load import LoadedCodebook
from resdiscourse.codebook.schema import DEFAULT_RETRIEVAL
from resdiscourse.lemmas import lemma_tables_digest
from resdiscourse.models import Block

# The segmentation's modules bring numpy (and segmenting brings spaCy): imported where a
# document is coded, so that a re-run whose codings are all in the cache loads neither.
if TYPE_CHECKING:
    from resdiscourse.coding import Segmented
    from resdiscourse.ingest.language import LanguagePart

CODING_KIND = "coding"
CODEBOOK_KIND = "codebook"
SEGMENTATION_KIND = "segmentation"
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


def segmentation_key(
    *,
    text: str,
    language: str,
    pipeline: str,
    parts: Sequence[LanguagePart] = (),
    blocks: Sequence[Block] | None = None,
) -> str:
    """The key of a text's segmentation entry (see the module's docstring); ``pipeline`` is
    :func:`pipeline_fingerprint`'s."""
    settings = {
        "format": CACHE_FORMAT,
        "kind": SEGMENTATION_KIND,
        "tool": tool_fingerprint(),
        "text": hashlib.sha256(text.encode("utf-8")).hexdigest(),
        "language": language,
        "pipeline": pipeline,
        "parts": [[part.start, part.end, part.language] for part in parts],
        "blocks": None if blocks is None else [[b.start, b.end, b.kind] for b in blocks],
    }
    return content_key(settings)


def cached_segmentation(
    cache: Path | None,
    text: str,
    language: str,
    *,
    pipeline: str,
    model: str | None = None,
    blocks: list[Block] | None = None,
    include_blocks: tuple[str, ...] = (),
    parts: Sequence[LanguagePart] = (),
) -> tuple[Segmented, bool]:
    """:func:`~resdiscourse.coding.segment_document` of ``text``, from the cache when an entry
    is there (``cache`` None: no cache), else segmented and stored; and whether it came from the
    cache. ``pipeline`` is :func:`pipeline_fingerprint` of ``model``. A damaged entry is a miss
    (:func:`~resdiscourse.cache.read_blob` deletes it) and is written again."""
    from resdiscourse.coding import segment_document

    key = ""
    if cache is not None:
        key = segmentation_key(
            text=text, language=language, pipeline=pipeline, parts=parts, blocks=blocks
        )
        data = read_blob(cache, SEGMENTATION_KIND, key)
        found = _segmentation_from(data, text, language, blocks, include_blocks)
        if found is not None:
            return found._replace(parts=tuple(parts)), True
    segmented = segment_document(
        text, language, model=model, blocks=blocks, include_blocks=include_blocks, parts=parts
    )
    if cache is not None:
        write_blob(cache, SEGMENTATION_KIND, key, segmentation_bytes(segmented))
    return segmented, False


def segmentation_bytes(segmented: Segmented) -> bytes:
    """A segmentation entry's payload: the arrays of
    :func:`~resdiscourse.segment.segmented_arrays` and the pipeline's facts, in one compressed
    ``.npz`` (numpy's own format, read without pickle)."""
    import numpy as np

    from resdiscourse.segment import segmented_arrays

    facts = {
        "pipeline": segmented.pipeline,
        "own_lemmas": segmented.own_lemmas,
        "words": segmented.words,
    }
    arrays = segmented_arrays(segmented.seg)
    arrays["facts"] = np.frombuffer(json.dumps(facts).encode("utf-8"), dtype=np.uint8)
    stream = io.BytesIO()
    np.savez_compressed(stream, **arrays)  # type: ignore[arg-type]
    return stream.getvalue()


def _segmentation_from(
    data: bytes | None,
    text: str,
    language: str,
    blocks: list[Block] | None = None,
    include_blocks: tuple[str, ...] = (),
) -> Segmented | None:
    """The segmentation an entry's payload holds; None for none, or for bytes that do not hold
    one (another shape: segmented again)."""
    if data is None:
        return None
    import numpy as np

    from resdiscourse.coding import Segmented
    from resdiscourse.segment import segmented_from_arrays

    try:
        with np.load(io.BytesIO(data), allow_pickle=False) as stored:
            arrays = {name: stored[name] for name in stored.files}
        facts = json.loads(arrays.pop("facts").tobytes().decode("utf-8"))
        seg = segmented_from_arrays(text, arrays, blocks, include_blocks)
        return Segmented(
            seg,
            language,
            str(facts["pipeline"]),
            bool(facts["own_lemmas"]),
            (),
            int(facts["words"]),
        )
    except (ValueError, KeyError, IndexError, TypeError, OSError, zipfile.BadZipFile):
        return None
