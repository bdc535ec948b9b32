"""``fetch``: downloads from a local HTTP server only (never the internet), the sha256 lock, and
the instructions printed when a document cannot be downloaded."""

from __future__ import annotations

import hashlib
import io
import json
import socket
import threading
import time
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
from resdiscourse.replication import download
from resdiscourse.replication import fetch as fetch_module
from resdiscourse.replication import lock as lock_module
from resdiscourse.replication.addresses import NEW_ITEM_PAGE, OLD_ITEM_PAGE, where_to_get
from resdiscourse.replication.download import total_limit
from resdiscourse.replication.fetch import FetchSummary, check_present, fetch_study
from resdiscourse.replication.lock import LOCK_NAME, lock_path
from resdiscourse.replication.names import manifest_problems
from resdiscourse.replication.studies import Study, load_study

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


#: "/slow.pdf" sends a PDF's first bytes, then one more byte every TRICKLE_DELAY seconds.
TRICKLE_HEAD = b"%PDF-1.4\n"
TRICKLE_BYTES = 60
TRICKLE_DELAY = 0.05


class _Handler(BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        if self.path == "/slow.pdf":
            self._trickle()
            return
        status, headers, body = ROUTES.get(self.path, (404, {"Content-Type": "text/html"}, b"no"))
        self.server.user_agents.append(self.headers.get("User-Agent", ""))  # type: ignore[attr-defined]
        self.send_response(status)
        for key, value in headers.items():
            self.send_header(key, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def _trickle(self) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "application/pdf")
        self.send_header("Content-Length", str(len(TRICKLE_HEAD) + TRICKLE_BYTES))
        self.end_headers()
        try:
            self.wfile.write(TRICKLE_HEAD)
            self.wfile.flush()
            for _ in range(TRICKLE_BYTES):  # each byte well within any per-read timeout
                time.sleep(TRICKLE_DELAY)
                self.wfile.write(b"%")
                self.wfile.flush()
        except OSError:  # the client gave up
            pass

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
            {"doc_id": "b", "file": "b.pdf", "url": f"{url}/item.do"},
        ],
    )
    pdfs = tmp_path / "pdfs"
    pdfs.mkdir()
    (pdfs / "b.pdf").write_bytes(REPORT)  # saved by hand from the HTML item page
    summary = fetch_study(path, corpus_dir=pdfs, timeout=5)
    docs = by_id(summary)
    assert docs["a"].status == "downloaded"  # through a redirect
    assert docs["a"].detail == f"downloaded from {url}/strategy.pdf"
    assert (docs["b"].status, docs["b"].detail) == ("present", "recorded in the lock")
    assert summary.exit_code == 0
    lock = read_lock(pdfs)["documents"]
    assert lock["b"] == {
        "file": "b.pdf",
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
        ],
    )
    monkeypatch.setattr(download, "MAX_BYTES", 100)
    docs = by_id(fetch_study(path, corpus_dir=tmp_path / "pdfs", timeout=5))
    assert {doc.status for doc in docs.values()} == {"unavailable"}
    assert "non-http(s)" in docs["ftp"].detail
    assert docs["file"].detail.startswith("not an http(s) address")
    assert "cap" in docs["big"].detail
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
        if row.get("council_item"):  # both addresses of the item page
            assert OLD_ITEM_PAGE + row["council_item"] in doc.where, doc.doc_id
            assert NEW_ITEM_PAGE + row["council_item"] in doc.where, doc.doc_id
    assert summary.counts["unavailable"] == sum(bool(row.get("url")) for row in study.documents)
    assert sorted(pdfs.iterdir()) == []  # nothing to record
    assert summary.lock_file is None and summary.to_dict()["lock_file"] is None
    assert study.manifest.read_bytes() == before


def test_offline_the_cli_names_no_lock_it_did_not_write(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(fetch_module, "default_opener", _Offline)
    pdfs = tmp_path / "pdfs"
    result = runner.invoke(app, ["fetch", "ontario-2008-2018", "--corpus-dir", str(pdfs)])
    assert result.exit_code == 1
    assert not (pdfs / LOCK_NAME).exists()
    assert "; sha256 lock:" not in result.stderr
    assert "no sha256 lock: no document was downloaded or found, so none was written" in (
        result.stderr
    )


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
    assert len(read_lock(pdfs)["documents"]) == 11
    again = fetch_study("demo", corpus_dir=pdfs, opener=_Offline())
    assert {doc.status for doc in again.documents} == {"present"}


# --- file names fetch refuses (E513) --------------------------------------------------------------


def refused(path: Path | Study, tmp_path: Path) -> UsageError:
    with pytest.raises(UsageError) as caught:
        fetch_study(path, corpus_dir=tmp_path / "pdfs", timeout=5, opener=_Offline())
    assert caught.value.problem.code == "E513"
    assert not (tmp_path / "pdfs").exists()  # refused before anything is written
    return caught.value


def test_a_file_named_like_the_lock_is_refused(tmp_path: Path, server: ThreadingHTTPServer) -> None:
    url = base_url(server)
    path = write_manifest(
        tmp_path,
        [
            {"doc_id": "s", "file": "s.pdf", "url": f"{url}/strategy.pdf"},
            {"doc_id": "lock", "file": LOCK_NAME, "url": f"{url}/report.pdf"},
        ],
    )
    error = refused(path, tmp_path)
    assert "has 1 document(s) fetch cannot save" in error.problem.message
    assert f"'lock': file '{LOCK_NAME}' is the lock file's name" in error.problem.message


def test_two_rows_naming_the_same_file_are_refused(tmp_path: Path) -> None:
    path = write_manifest(
        tmp_path,
        [
            {"doc_id": "a", "file": "Report.pdf"},
            {"doc_id": "b", "file": "report.pdf"},  # one file where letter case is ignored
        ],
    )
    assert (
        "'b': file 'report.pdf' is already named by 'a'" in refused(path, tmp_path).problem.message
    )
    # A Study built in code skips the manifest reader's own check of exact duplicates.
    study = Study("s", "s", tmp_path / "s.yaml", [{"file": "x.pdf"}, {"file": "x.pdf"}])
    assert "file 'x.pdf' is already named by 'x'" in refused(study, tmp_path).problem.message
    # Nor may two rows share a doc_id, the lock's key (b.pdf's doc_id is its name, "a").
    study = Study(
        "s", "s", tmp_path / "s.yaml", [{"doc_id": "a", "file": "x.pdf"}, {"file": "a.pdf"}]
    )
    assert (
        "the doc_id is already used by the file 'x.pdf'" in refused(study, tmp_path).problem.message
    )


def test_only_plain_pdf_file_names_are_accepted(tmp_path: Path) -> None:
    bad = ["sub/b.pdf", "../escape.pdf", "notes.txt", ".hidden.pdf", ".pdf", "tab\t.pdf"]
    rows = [{"doc_id": f"d{index}", "file": file} for index, file in enumerate(bad)]
    rows.append({"doc_id": "ok", "file": "Fine Name (2013).PDF"})
    study = Study("s", "s", tmp_path / "s.yaml", rows)
    error = refused(study, tmp_path)
    assert f"has {len(bad)} document(s)" in error.problem.message
    message = error.problem.message
    assert "'d0': file 'sub/b.pdf' is not a plain file name" in message
    assert "'d1': file '../escape.pdf' is not a plain file name" in message
    assert "'d2': file 'notes.txt' does not end in .pdf" in message
    assert "'d3': file '.hidden.pdf' is a hidden file name" in message
    assert "'d4': file '.pdf' is a hidden file name" in message
    assert "contains control characters" in message
    assert "'ok'" not in message
    assert manifest_problems([{"file": "a.pdf", "sha256": "abc"}]) == [
        "'a': sha256 'abc' is not 64 hexadecimal digits"
    ]
    assert manifest_problems(load_study("ontario-2008-2018").documents) == []
    assert manifest_problems(load_study("demo").documents) == []


def test_cli_refused_manifest_exits_2_with_e513(tmp_path: Path) -> None:
    path = write_manifest(tmp_path, [{"doc_id": "a", "file": LOCK_NAME}])
    result = runner.invoke(app, ["fetch", str(path), "--corpus-dir", str(tmp_path / "pdfs")])
    assert result.exit_code == 2
    assert "E513" in result.stderr and "lock file's name" in result.stderr


# --- the manifest's sha256 against the lock's -----------------------------------------------------


def test_a_wrong_manifest_sha256_says_it_is_the_manifests(
    tmp_path: Path, server: ThreadingHTTPServer
) -> None:
    wrong = sha(b"another version")
    path = write_manifest(
        tmp_path,
        [
            {
                "doc_id": "s",
                "file": "s.pdf",
                "url": f"{base_url(server)}/strategy.pdf",
                "sha256": wrong,
            }
        ],
    )
    pdfs = tmp_path / "pdfs"
    doc = fetch_study(path, corpus_dir=pdfs, timeout=5).documents[0]
    assert doc.status == "mismatch"
    assert doc.detail.startswith(
        "the address gives a different file than the one the manifest names"
    )
    assert f"differs from the sha256 the manifest gives, {wrong}" in doc.detail
    assert "the lock has no sha256 for it" in doc.detail
    assert "locked" not in doc.detail.split(":")[0]
    assert sorted(p.name for p in pdfs.iterdir()) == []  # nothing installed, nothing locked
    # The same file saved by hand: the same verdict, from fetch and from check_present.
    (pdfs / "s.pdf").write_bytes(STRATEGY)
    doc = fetch_study(path, corpus_dir=pdfs, timeout=5).documents[0]
    assert doc.status == "mismatch" and f"the manifest gives, {wrong}" in doc.detail
    assert not lock_path(pdfs).exists()
    row = load_manifest_row(path)
    assert check_present(row, pdfs, {}) == ("mismatch", doc.detail)


def load_manifest_row(path: Path) -> dict[str, str]:
    from resdiscourse.replication.studies import study_from_manifest

    return study_from_manifest(path).documents[0]


def test_a_right_manifest_sha256_is_checked_with_the_lock(
    tmp_path: Path, server: ThreadingHTTPServer
) -> None:
    path = write_manifest(
        tmp_path,
        [
            {
                "doc_id": "s",
                "file": "s.pdf",
                "url": f"{base_url(server)}/strategy.pdf",
                "sha256": sha(STRATEGY).upper(),
            }
        ],
    )
    pdfs = tmp_path / "pdfs"
    assert fetch_study(path, corpus_dir=pdfs, timeout=5).documents[0].status == "downloaded"
    doc = fetch_study(path, corpus_dir=pdfs, timeout=5).documents[0]
    assert (doc.status, doc.detail) == ("present", "matches the lock and the manifest's sha256")
    lock = lock_module.read_lock(lock_path(pdfs))
    row = load_manifest_row(path)
    assert check_present(row, pdfs, lock) == ("present", doc.detail)
    assert check_present(row, pdfs, {}) == ("present", "matches the manifest's sha256")
    (pdfs / "s.pdf").write_bytes(REPORT)
    status, detail = check_present(row, pdfs, lock)
    assert status == "mismatch" and f"recorded in {lock_path(pdfs)}" in detail


def test_check_present_uses_fetchs_rules(tmp_path: Path) -> None:
    pdfs = tmp_path / "pdfs"
    pdfs.mkdir()
    (pdfs / "a.pdf").write_bytes(STRATEGY)
    row = {"doc_id": "a", "file": "a.pdf"}
    assert check_present(row, pdfs, {}) == ("present", "not in the lock yet")
    entry = {"file": "a.pdf", "sha256": sha(STRATEGY), "size": 1, "source": "found", "url": ""}
    assert check_present(row, pdfs, {"a": entry}) == ("present", "matches the lock")
    # A lock entry for another file name (the manifest renamed it) does not apply.
    other = {**entry, "file": "old.pdf", "sha256": sha(REPORT)}
    assert check_present(row, pdfs, {"a": other}) == ("present", "not in the lock yet")
    status, detail = check_present({"doc_id": "b", "file": "b.pdf"}, pdfs, {})
    assert status == "missing" and str(pdfs / "b.pdf") in detail
    status, detail = check_present({"file": LOCK_NAME}, pdfs, {})
    assert status == "refused" and "lock file's name" in detail
    assert lock_path(pdfs) == pdfs / LOCK_NAME
    assert lock_path(str(pdfs)) == pdfs / LOCK_NAME


# --- an overall deadline per download -------------------------------------------------------------


def test_a_trickling_server_is_stopped_by_the_overall_deadline(
    tmp_path: Path, server: ThreadingHTTPServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = write_manifest(
        tmp_path, [{"doc_id": "slow", "file": "slow.pdf", "url": f"{base_url(server)}/slow.pdf"}]
    )
    monkeypatch.setattr(download, "MIN_TOTAL_SECONDS", 0.5)
    monkeypatch.setattr(download, "TOTAL_FACTOR", 0)
    pdfs = tmp_path / "pdfs"
    started = time.monotonic()
    doc = fetch_study(path, corpus_dir=pdfs, timeout=5).documents[0]
    elapsed = time.monotonic() - started
    assert doc.status == "unavailable"
    assert "took longer than 0.5 s to download" in doc.detail
    assert elapsed < TRICKLE_BYTES * TRICKLE_DELAY * 0.6  # did not wait for the whole body
    assert sorted(pdfs.iterdir()) == []  # the temporary file is gone


def test_the_total_limit(tmp_path: Path, server: ThreadingHTTPServer) -> None:
    assert total_limit(30) == 300 and total_limit(60) == 600 and total_limit(1) == 300
    path = write_manifest(
        tmp_path, [{"doc_id": "slow", "file": "slow.pdf", "url": f"{base_url(server)}/slow.pdf"}]
    )
    doc = fetch_study(path, corpus_dir=tmp_path / "a", timeout=5, total=0.3).documents[0]
    assert "took longer than 0.3 s" in doc.detail
    # Within the limit the trickled body arrives whole.
    doc = fetch_study(path, corpus_dir=tmp_path / "b", timeout=5, total=30).documents[0]
    assert doc.status == "downloaded" and doc.size == len(TRICKLE_HEAD) + TRICKLE_BYTES


# --- Council item pages at both addresses ---------------------------------------------------------


def test_where_to_get_gives_both_council_item_addresses(tmp_path: Path) -> None:
    old, new = OLD_ITEM_PAGE + "2014.CD29.10", NEW_ITEM_PAGE + "2014.CD29.10"
    where = where_to_get({"file": "a.pdf", "url": old, "item_page": old}, tmp_path)
    assert where.startswith(f"get it from {old}; or from the Council item page {new} (")
    where = where_to_get(
        {"file": "a.pdf", "url": "https://x.org/a.pdf", "item_page": new}, tmp_path
    )
    assert f"or from the Council item page {new} or {old}" in where
    where = where_to_get({"file": "a.pdf", "item_page": "https://example.org/item/7"}, tmp_path)
    assert "or from the Council item page https://example.org/item/7;" in where
