"""``fetch``: downloads from a local HTTP server only (never the internet), the sha256 lock, and
the instructions printed when a document cannot be downloaded."""

from __future__ import annotations

import hashlib
import io
import json
import socket
import threading
import urllib.error
import urllib.request
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
import yaml
from typer.testing import CliRunner

from resdiscourse.cli.main import app
from resdiscourse.errors import UsageError
from resdiscourse.replication import fetch as fetch_module
from resdiscourse.replication.fetch import LOCK_NAME, FetchSummary, fetch_study
from resdiscourse.replication.studies import load_study

runner = CliRunner()


def make_pdf(text: str) -> bytes:
    """A one-page PDF of our own (invariant: the same text gives the same bytes)."""
    from reportlab.pdfgen import canvas

    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, invariant=1)
    pdf.drawString(72, 720, text)
    pdf.showPage()
    pdf.save()
    return buffer.getvalue()


STRATEGY = make_pdf("A newcomer strategy: resilience of refugees.")
REPORT = make_pdf("A progress report on civic resiliency.")
HTML = b"<!DOCTYPE html><html><body>Council item page</body></html>"

#: path -> (status, headers, body) served by the local server.
ROUTES: dict[str, tuple[int, dict[str, str], bytes]] = {
    "/strategy.pdf": (200, {"Content-Type": "application/pdf"}, STRATEGY),
    "/report.pdf": (200, {"Content-Type": "application/octet-stream"}, REPORT),
    "/item.do": (200, {"Content-Type": "text/html; charset=utf-8"}, HTML),
    "/moved.pdf": (302, {"Location": "/strategy.pdf"}, b""),
    "/to-ftp.pdf": (302, {"Location": "ftp://127.0.0.1/strategy.pdf"}, b""),
}


class _Handler(BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        status, headers, body = ROUTES.get(self.path, (404, {"Content-Type": "text/html"}, b"no"))
        self.server.user_agents.append(self.headers.get("User-Agent", ""))  # type: ignore[attr-defined]
        self.send_response(status)
        for key, value in headers.items():
            self.send_header(key, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: Any) -> None:  # keep the test output clean
        pass


@pytest.fixture(autouse=True)
def _no_proxy(monkeypatch: pytest.MonkeyPatch) -> None:
    """urllib reads proxies from the environment: the local server must be reached directly."""
    monkeypatch.setenv("no_proxy", "*")
    monkeypatch.setenv("NO_PROXY", "*")


@pytest.fixture(scope="module")
def server() -> Iterator[ThreadingHTTPServer]:
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    httpd.user_agents = []  # type: ignore[attr-defined]
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield httpd
    httpd.shutdown()
    httpd.server_close()


def base_url(server: ThreadingHTTPServer) -> str:
    host, port = server.server_address[:2]
    return f"http://{host!s}:{port}"


def dead_port() -> int:
    """A port nothing listens on (bound, then closed)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
    return port


def write_manifest(folder: Path, documents: list[dict[str, str]]) -> Path:
    path = folder / "study.yaml"
    path.write_text(yaml.safe_dump({"documents": documents}, sort_keys=False), encoding="utf-8")
    return path


@pytest.fixture
def manifest(tmp_path: Path, server: ThreadingHTTPServer) -> Path:
    url = base_url(server)
    rows = [
        {"doc_id": "strategy", "file": "strategy-2013.pdf", "url": f"{url}/strategy.pdf"},
        {"doc_id": "report", "file": "report-2016.pdf", "url": f"{url}/report.pdf"},
        {
            "doc_id": "item",
            "file": "item-2014.pdf",
            "url": f"{url}/item.do",
            "item_page": f"{url}/item.do",
        },
        {"doc_id": "gone", "file": "gone-2015.pdf", "url": f"{url}/gone.pdf"},
        {
            "doc_id": "offline",
            "file": "offline.pdf",
            "url": f"http://127.0.0.1:{dead_port()}/x.pdf",
        },
        {"doc_id": "nourl", "file": "nourl.pdf", "notes": "No URL recorded: search by title."},
    ]
    return write_manifest(tmp_path, rows)


def by_id(summary: FetchSummary) -> dict[str, Any]:
    return {document.doc_id: document for document in summary.documents}


def read_lock(folder: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((folder / LOCK_NAME).read_text(encoding="utf-8"))
    return data


def sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def test_downloads_pdfs_and_writes_the_lock(
    tmp_path: Path, manifest: Path, server: ThreadingHTTPServer
) -> None:
    before = manifest.read_bytes()
    pdfs = tmp_path / "pdfs"
    summary = fetch_study(manifest, corpus_dir=pdfs, timeout=5)
    docs = by_id(summary)
    assert {key: doc.status for key, doc in docs.items()} == {
        "strategy": "downloaded",
        "report": "downloaded",
        "item": "unavailable",
        "gone": "unavailable",
        "offline": "unavailable",
        "nourl": "no_url",
    }
    assert summary.exit_code == 1
    assert (pdfs / "strategy-2013.pdf").read_bytes() == STRATEGY
    assert (pdfs / "report-2016.pdf").read_bytes() == REPORT
    assert docs["strategy"].sha256 == sha(STRATEGY) and docs["strategy"].size == len(STRATEGY)
    lock = read_lock(pdfs)
    assert lock["documents"] == {
        "report": {
            "file": "report-2016.pdf",
            "sha256": sha(REPORT),
            "size": len(REPORT),
            "source": "download",
            "url": f"{base_url(server)}/report.pdf",
        },
        "strategy": {
            "file": "strategy-2013.pdf",
            "sha256": sha(STRATEGY),
            "size": len(STRATEGY),
            "source": "download",
            "url": f"{base_url(server)}/strategy.pdf",
        },
    }
    text = (pdfs / LOCK_NAME).read_text(encoding="utf-8")
    assert text == json.dumps(lock, sort_keys=True, indent=2) + "\n"
    assert manifest.read_bytes() == before  # the manifest is never written to
    assert sorted(path.name for path in pdfs.iterdir()) == sorted(
        [LOCK_NAME, "report-2016.pdf", "strategy-2013.pdf"]
    )  # no temporary files left behind
    assert all(agent.startswith("resdiscourse/") for agent in server.user_agents)  # type: ignore[attr-defined]


def test_failures_say_why_and_where_to_get_the_document(tmp_path: Path, manifest: Path) -> None:
    docs = by_id(fetch_study(manifest, corpus_dir=tmp_path / "pdfs", timeout=5))
    assert docs["item"].detail == "the URL gave an HTML page, not a PDF: download it by hand"
    assert "HTTP 404" in docs["gone"].detail
    assert docs["offline"].detail.startswith("cannot reach http://127.0.0.1:")
    assert docs["nourl"].detail == "no address is recorded for it"
    for doc in docs.values():
        assert doc.where.endswith(f"save it as {tmp_path / 'pdfs' / doc.file}")
        if doc.url:
            assert f"get it from {doc.url}" in doc.where
    assert "search by title" in docs["nourl"].where


def test_rerun_finds_the_files_present_and_keeps_the_lock(tmp_path: Path, manifest: Path) -> None:
    pdfs = tmp_path / "pdfs"
    fetch_study(manifest, corpus_dir=pdfs, timeout=5)
    lock_before = (pdfs / LOCK_NAME).read_bytes()
    docs = by_id(fetch_study(manifest, corpus_dir=pdfs, timeout=5))
    assert (docs["strategy"].status, docs["strategy"].detail) == ("present", "matches the lock")
    assert docs["report"].status == "present"
    assert (pdfs / LOCK_NAME).read_bytes() == lock_before


def test_a_changed_file_is_a_mismatch(tmp_path: Path, manifest: Path) -> None:
    pdfs = tmp_path / "pdfs"
    fetch_study(manifest, corpus_dir=pdfs, timeout=5)
    (pdfs / "strategy-2013.pdf").write_bytes(STRATEGY + b"% tampered\n")
    summary = fetch_study(manifest, corpus_dir=pdfs, timeout=5)
    strategy = by_id(summary)["strategy"]
    assert strategy.status == "mismatch"
    assert strategy.sha256 == sha(STRATEGY + b"% tampered\n")
    assert LOCK_NAME in strategy.detail
    assert summary.exit_code == 1
    assert read_lock(pdfs)["documents"]["strategy"]["sha256"] == sha(STRATEGY)  # not overwritten


def test_a_download_that_differs_from_the_lock_is_a_mismatch(
    tmp_path: Path, server: ThreadingHTTPServer
) -> None:
    pdfs = tmp_path / "pdfs"
    pdfs.mkdir()
    entry = {"file": "s.pdf", "sha256": sha(b"another"), "size": 7, "source": "found", "url": ""}
    (pdfs / LOCK_NAME).write_text(json.dumps({"documents": {"s": entry}}), encoding="utf-8")
    path = write_manifest(
        tmp_path, [{"doc_id": "s", "file": "s.pdf", "url": f"{base_url(server)}/strategy.pdf"}]
    )
    doc = fetch_study(path, corpus_dir=pdfs, timeout=5).documents[0]
    assert doc.status == "mismatch" and "now gives a different file" in doc.detail
    assert not (pdfs / "s.pdf").exists()
    assert sorted(p.name for p in pdfs.iterdir()) == [LOCK_NAME]


def test_all_present_exits_0_and_a_hand_saved_file_is_recorded(
    tmp_path: Path, server: ThreadingHTTPServer
) -> None:
    url = base_url(server)
    path = write_manifest(
        tmp_path,
        [
            {"doc_id": "a", "file": "a.pdf", "url": f"{url}/moved.pdf"},
            {"doc_id": "b", "file": "sub/b.pdf", "url": f"{url}/item.do"},
        ],
    )
    pdfs = tmp_path / "pdfs"
    (pdfs / "sub").mkdir(parents=True)
    (pdfs / "sub" / "b.pdf").write_bytes(REPORT)  # saved by hand from the HTML item page
    summary = fetch_study(path, corpus_dir=pdfs, timeout=5)
    docs = by_id(summary)
    assert docs["a"].status == "downloaded"  # through a redirect
    assert docs["a"].detail == f"downloaded from {url}/strategy.pdf"
    assert (docs["b"].status, docs["b"].detail) == ("present", "recorded in the lock")
    assert summary.exit_code == 0
    lock = read_lock(pdfs)["documents"]
    assert lock["b"] == {
        "file": "sub/b.pdf",
        "sha256": sha(REPORT),
        "size": len(REPORT),
        "source": "found",
        "url": "",
    }


def test_only_http_pdfs_are_downloaded(
    tmp_path: Path, server: ThreadingHTTPServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    url = base_url(server)
    path = write_manifest(
        tmp_path,
        [
            {"doc_id": "ftp", "file": "ftp.pdf", "url": f"{url}/to-ftp.pdf"},
            {"doc_id": "file", "file": "file.pdf", "url": f"file://{tmp_path}/study.yaml"},
            {"doc_id": "big", "file": "big.pdf", "url": f"{url}/strategy.pdf"},
            {"doc_id": "escape", "file": "../escape.pdf", "url": f"{url}/report.pdf"},
        ],
    )
    monkeypatch.setattr(fetch_module, "MAX_BYTES", 100)
    docs = by_id(fetch_study(path, corpus_dir=tmp_path / "pdfs", timeout=5))
    assert {doc.status for doc in docs.values()} == {"unavailable"}
    assert "non-http(s)" in docs["ftp"].detail
    assert docs["file"].detail.startswith("not an http(s) address")
    assert "cap" in docs["big"].detail
    assert "leaves the PDF folder" in docs["escape"].detail
    assert not (tmp_path / "escape.pdf").exists()
    assert not (tmp_path / "pdfs" / LOCK_NAME).exists()


def test_cli_json_equals_the_library_result(tmp_path: Path, manifest: Path) -> None:
    pdfs = tmp_path / "pdfs"
    fetch_study(manifest, corpus_dir=pdfs, timeout=5)
    expected = fetch_study(manifest, corpus_dir=pdfs, timeout=5).to_dict()
    args = ["fetch", str(manifest), "--corpus-dir", str(pdfs), "--timeout", "5", "--json"]
    result = runner.invoke(app, args)
    assert result.exit_code == 1, result.output
    assert json.loads(result.stdout) == expected
    assert expected["counts"] == {
        "present": 2,
        "downloaded": 0,
        "unavailable": 3,
        "no_url": 1,
        "mismatch": 0,
    }


def test_cli_prints_a_table_and_the_instructions_on_stderr(tmp_path: Path, manifest: Path) -> None:
    pdfs = tmp_path / "pdfs"
    result = runner.invoke(app, ["fetch", str(manifest), "--corpus-dir", str(pdfs)])
    assert result.exit_code == 1
    assert result.stdout == ""
    assert "downloaded" in result.stderr and "no_url" in result.stderr
    assert f"save it as {pdfs / 'item-2014.pdf'}" in result.stderr  # one unwrapped line
    assert f"sha256 lock: {pdfs / LOCK_NAME}" in result.stderr


def test_cli_unknown_study_exits_2() -> None:
    result = runner.invoke(app, ["fetch", "no-such-study"])
    assert result.exit_code == 2
    assert "E510 unknown study 'no-such-study'" in result.stderr


def test_a_bad_lock_file_is_a_usage_error(tmp_path: Path, manifest: Path) -> None:
    pdfs = tmp_path / "pdfs"
    pdfs.mkdir()
    (pdfs / LOCK_NAME).write_text("{not json", encoding="utf-8")
    with pytest.raises(UsageError) as caught:
        fetch_study(manifest, corpus_dir=pdfs)
    assert caught.value.problem.code == "E512"


def test_a_file_in_place_of_the_folder_is_a_usage_error(tmp_path: Path, manifest: Path) -> None:
    (tmp_path / "pdfs").write_text("not a folder")
    with pytest.raises(UsageError) as caught:
        fetch_study(manifest, corpus_dir=tmp_path / "pdfs")
    assert caught.value.problem.code == "E511"


class _Offline:
    """An opener with no network."""

    def open(self, fullurl: urllib.request.Request, data: None = None, timeout: float = 0) -> Any:
        raise urllib.error.URLError(OSError(101, "Network is unreachable"))


def test_ontario_offline_says_where_to_get_every_document(tmp_path: Path) -> None:
    study = load_study("ontario-2008-2018")
    before = study.manifest.read_bytes()
    pdfs = tmp_path / "pdfs"
    summary = fetch_study("ontario-2008-2018", corpus_dir=pdfs, opener=_Offline())
    assert len(summary.documents) == len(study.documents) == 25
    assert summary.exit_code == 1
    for doc, row in zip(summary.documents, study.documents, strict=True):
        assert doc.doc_id == row["doc_id"]
        assert doc.status == ("unavailable" if row.get("url") else "no_url"), doc.doc_id
        assert f"save it as {pdfs / row['file']}" in doc.where
        if row.get("url"):
            assert "Network is unreachable" in doc.detail
            assert f"get it from {row['url']}" in doc.where
    assert summary.counts["unavailable"] == sum(bool(row.get("url")) for row in study.documents)
    assert sorted(pdfs.iterdir()) == []  # nothing to record
    assert study.manifest.read_bytes() == before


def test_demo_is_copied_from_the_bundled_corpus(tmp_path: Path) -> None:
    pdfs = tmp_path / "pdfs"
    summary = fetch_study("demo", corpus_dir=pdfs, opener=_Offline())
    assert summary.exit_code == 0
    assert {doc.status for doc in summary.documents} == {"downloaded"}
    corpus = load_study("demo").corpus
    assert corpus is not None
    for doc in summary.documents:
        assert (pdfs / doc.file).read_bytes() == (corpus / doc.file).read_bytes()
        assert doc.detail == "copied from the bundled corpus"
    assert len(read_lock(pdfs)["documents"]) == 7
    again = fetch_study("demo", corpus_dir=pdfs, opener=_Offline())
    assert {doc.status for doc in again.documents} == {"present"}
