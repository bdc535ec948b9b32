"""The file names ``fetch`` saves documents under, and the manifests it refuses: a plain ``.pdf``
name in the PDF folder, one per document, never the lock file's, with a well-formed sha256.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping

from resdiscourse.replication.lock import LOCK_NAME, doc_id_of

_SHA256 = re.compile(r"[0-9a-f]{64}")


def file_name_problem(file: str) -> str:
    """Why fetch refuses to save a document as ``file`` (in the PDF folder), or "" when it may.

    A document is saved under a plain file name ending in ``.pdf``: no folder part, not hidden,
    no control characters, and never the lock file's name.
    """
    if not file:
        return "no file name is given"
    if file.casefold() == LOCK_NAME.casefold():
        return f"is the lock file's name ({LOCK_NAME}), which fetch writes"
    if "/" in file or "\\" in file:
        return "is not a plain file name (it names a folder); save the documents side by side"
    if file.startswith("."):
        return "is a hidden file name (it starts with '.')"
    if any(ord(char) < 32 or ord(char) == 127 for char in file):
        return "contains control characters"
    if not file.lower().endswith(".pdf") or len(file) <= len(".pdf"):
        return "does not end in .pdf"
    return ""


def manifest_problems(rows: Iterable[Mapping[str, str]]) -> list[str]:
    """Why fetch refuses the rows, one line per refused row; empty when it accepts them all.

    A row is refused when :func:`file_name_problem` refuses its ``file``; when another row
    already names the same file (ignoring letter case: some file systems do) or the same doc_id
    (the lock's key); or when its ``sha256`` is not 64 hexadecimal digits.
    """
    problems: list[str] = []
    files: dict[str, str] = {}  # file (case folded) -> the first doc_id naming it
    ids: dict[str, str] = {}  # doc_id (case folded) -> the first file it names
    for row in rows:
        file = str(row.get("file", ""))
        doc_id = doc_id_of(row)
        why = file_name_problem(file)
        if why:
            problems.append(f"{doc_id!r}: file {file!r} {why}")
            continue
        if file.casefold() in files:
            first = files[file.casefold()]
            problems.append(f"{doc_id!r}: file {file!r} is already named by {first!r}")
            continue
        if doc_id.casefold() in ids:
            earlier = ids[doc_id.casefold()]
            problems.append(f"{doc_id!r}: the doc_id is already used by the file {earlier!r}")
            continue
        files[file.casefold()] = doc_id
        ids[doc_id.casefold()] = file
        digest = str(row.get("sha256", "")).strip().lower()
        if digest and not _SHA256.fullmatch(digest):
            problems.append(
                f"{doc_id!r}: sha256 {row.get('sha256')!r} is not 64 hexadecimal digits"
            )
    return problems
