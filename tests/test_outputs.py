"""texts/, pages/ and documents.csv as written by an ingest."""

from __future__ import annotations

import json
from pathlib import Path

from resdiscourse.errors import Location, problem
from resdiscourse.ingest.outputs import (
    csv_safe,
    read_document_blocks,
    remove_stale,
    write_atomic,
    write_document_files,
    write_documents_csv,
)
from resdiscourse.models import DOCUMENT_COLUMNS, Block, Document, PageMap, PageSpan


def document(doc_id: str, **metadata: str) -> Document:
    return Document(
        doc_id=doc_id,
        file=f"{doc_id}.txt",
        sha256="0" * 64,
        metadata=metadata,
        text="Réfugiés\n\nrésilience",
        page_map=PageMap((PageSpan(0, 8, 1, "1"), PageSpan(10, 20, 2, "2"))),
        pages=2,
        engine="text",
    )


def test_write_atomic_replaces_and_leaves_no_temporary(tmp_path: Path) -> None:
    target = tmp_path / "sub" / "a.txt"
    write_atomic(target, b"one")
    write_atomic(target, b"two")
    assert target.read_bytes() == b"two"
    assert [p.name for p in target.parent.iterdir()] == ["a.txt"]


def test_text_and_page_map_files(tmp_path: Path) -> None:
    write_document_files(tmp_path, document("tfa"))
    assert (tmp_path / "texts" / "tfa.txt").read_bytes() == "Réfugiés\n\nrésilience".encode()
    pages = (tmp_path / "pages" / "tfa.json").read_text(encoding="utf-8")
    assert pages.endswith("}\n")
    assert json.loads(pages) == {
        "doc_id": "tfa",
        "pages": 2,
        "page_map": [
            {"start": 0, "end": 8, "page": 1, "page_label": "1"},
            {"start": 10, "end": 20, "page": 2, "page_label": "2"},
        ],
    }
    assert pages.index('"doc_id"') < pages.index('"page_map"') < pages.index('"pages"')


def test_documents_csv_columns_order_and_line_ends(tmp_path: Path) -> None:
    failed = document("b", title="=HYPERLINK(1)")
    failed.problems.append(problem("E101", Location(file="b.txt")))
    rows = [
        {**document("c", title="C").row(), "notes": "two\nlines"},
        {**failed.row(), "council_item": "EX1"},
    ]
    write_documents_csv(tmp_path, rows, ["council_item", "notes"])
    data = (tmp_path / "documents.csv").read_bytes()
    assert b"\r\n" not in data
    lines = data.decode("utf-8").split("\n")
    assert lines[0] == ",".join([*DOCUMENT_COLUMNS, "council_item", "notes"])
    assert lines[1].startswith("b,b.txt,'=HYPERLINK(1),")
    assert lines[1].endswith(",error,E101,E101 empty file (0 bytes),,,EX1,")
    assert lines[2].startswith("c,c.txt,C,")
    assert lines[2].endswith(",20," + "0" * 64 + ',text,ok,,,,,,"two')


def test_csv_safe() -> None:
    assert [csv_safe(v) for v in ("=1", "+1", "-1", "@a", "\tx", "a=b", "")] == [
        "'=1", "'+1", "'-1", "'@a", "'\tx", "a=b", "",
    ]  # fmt: skip


def test_remove_stale(tmp_path: Path) -> None:
    for doc_id in ("keep", "gone"):
        write_document_files(tmp_path, document(doc_id))
    (tmp_path / "texts" / "notes.md").write_text("not ours", encoding="utf-8")
    assert remove_stale(tmp_path, ["keep"]) == ["texts/gone.txt", "pages/gone.json"]
    assert sorted(p.name for p in (tmp_path / "texts").iterdir()) == ["keep.txt", "notes.md"]
    assert remove_stale(tmp_path / "nowhere", ["keep"]) == []


def test_csv_unsafe_undoes_csv_safe() -> None:
    from resdiscourse.ingest.outputs import csv_unsafe

    for value in ("=1", "+1", "-1", "@a", "\tx", "a=b", "", "plain"):
        assert csv_unsafe(csv_safe(value)) == value


def test_pages_json_holds_blocks_only_when_the_reader_saw_a_layout(tmp_path: Path) -> None:
    plain = document("plain")
    write_document_files(tmp_path, plain)
    assert "blocks" not in json.loads((tmp_path / "pages" / "plain.json").read_text("utf-8"))
    assert read_document_blocks(tmp_path, "plain") is None
    laid_out = document("laid-out")
    laid_out.blocks = [Block(0, 8, "heading"), Block(10, 20, "toc")]
    write_document_files(tmp_path, laid_out)
    record = json.loads((tmp_path / "pages" / "laid-out.json").read_text("utf-8"))
    assert record["blocks"] == [[0, 8, "heading"], [10, 20, "toc"]]
    assert read_document_blocks(tmp_path, "laid-out") == laid_out.blocks
    empty = document("empty")
    empty.blocks = []
    write_document_files(tmp_path, empty)
    assert read_document_blocks(tmp_path, "empty") == []
