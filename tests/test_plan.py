"""Finding the documents of a corpus folder and giving them doc_ids."""

from __future__ import annotations

from pathlib import Path

from resdiscourse.ingest.manifest import read_manifest
from resdiscourse.ingest.plan import plan_corpus, slugify, walk_corpus


def touch(root: Path, *names: str) -> None:
    for name in names:
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("x", encoding="utf-8")


def test_walk_skips_hidden_readme_and_manifest(tmp_path: Path) -> None:
    touch(
        tmp_path,
        "b.pdf", "a.TXT", "sub/c.md", "sub/d.htm", "e.html", "f.markdown",
        ".hidden.txt", ".git/x.txt", "README.md", "readme.txt", "manifest.csv",
        "notes.docx", "sub/manifest.yaml", "sub/Manifest.txt", "data.csv",
    )  # fmt: skip
    found, skipped = walk_corpus(tmp_path)
    assert found == ["a.TXT", "b.pdf", "e.html", "f.markdown", "sub/c.md", "sub/d.htm"]
    assert skipped == ["data.csv", "notes.docx", "sub/Manifest.txt", "sub/manifest.yaml"]


def test_walk_leaves_out_an_output_folder_inside_the_corpus(tmp_path: Path) -> None:
    touch(tmp_path, "a.txt", "out/texts/a.txt", "outline/b.txt")
    assert walk_corpus(tmp_path, exclude=tmp_path / "out")[0] == ["a.txt", "outline/b.txt"]


def test_slugify() -> None:
    assert slugify("Toronto For All (2016)") == "toronto-for-all-2016"
    assert slugify("Réfugiés__et--résilience") == "refugies-et-resilience"
    assert slugify("移民") == "document"


def test_slug_clashes_get_numbers_in_path_order(tmp_path: Path) -> None:
    touch(tmp_path, "Report.txt", "report.md", "sub/report.html", "REPORT 2.txt")
    plan = plan_corpus(tmp_path, None)
    assert [(d.file, d.doc_id) for d in plan.documents] == [
        ("REPORT 2.txt", "report-2"),
        ("Report.txt", "report"),
        ("report.md", "report-3"),
        ("sub/report.html", "report-4"),
    ]


def test_manifest_doc_ids_are_reserved_before_slugs(tmp_path: Path) -> None:
    touch(tmp_path, "a.txt", "b.txt")
    (tmp_path / "manifest.csv").write_text("doc_id,file\na,b.txt\n", encoding="utf-8")
    plan = plan_corpus(tmp_path, read_manifest(tmp_path / "manifest.csv"))
    assert [(d.file, d.doc_id) for d in plan.documents] == [("a.txt", "a-2"), ("b.txt", "a")]


def test_manifest_rows_match_files_missing_and_unlisted(tmp_path: Path) -> None:
    touch(tmp_path, "Plan.PDF", "listed.docx", "free.txt", ".draft.txt")
    (tmp_path / "manifest.csv").write_text(
        "file,title\nplan.pdf,Plan\nlisted.docx,Word\ngone.pdf,Gone\n.draft.txt,Draft\n"
        "../outside.txt,Outside\n",
        encoding="utf-8",
    )
    touch(tmp_path.parent, "outside.txt")
    plan = plan_corpus(tmp_path, read_manifest(tmp_path / "manifest.csv"))
    summary = [(d.file, d.exists, d.row.fields["title"] if d.row else None) for d in plan.documents]
    assert summary == [
        ("../outside.txt", False, "Outside"),  # not in the corpus folder
        (".draft.txt", True, "Draft"),  # hidden, but the manifest asks for it
        ("Plan.PDF", True, "Plan"),  # matched without regard to case
        ("free.txt", True, None),
        ("gone.pdf", False, "Gone"),
        ("listed.docx", True, "Word"),  # read (and reported unsupported), not skipped
    ]
    assert plan.skipped == ()


def test_listed_only_skips_the_files_a_manifest_does_not_list(tmp_path: Path) -> None:
    touch(tmp_path, "a.txt", "b.txt", "notes.txt")
    (tmp_path / "manifest.csv").write_text(
        "doc_id,file\nfirst,a.txt\nsecond,b.txt\n", encoding="utf-8"
    )
    manifest = read_manifest(tmp_path / "manifest.csv")
    every = plan_corpus(tmp_path, manifest)
    assert [d.file for d in every.documents] == ["a.txt", "b.txt", "notes.txt"]
    listed = plan_corpus(tmp_path, manifest, listed_only=True)
    assert [(d.file, d.doc_id) for d in listed.documents] == [
        ("a.txt", "first"),
        ("b.txt", "second"),
    ]
    assert listed.skipped == ("notes.txt",)
