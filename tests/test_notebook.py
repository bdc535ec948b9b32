"""notebooks/replication.ipynb runs top to bottom on the demo corpus, so it never rots.

The fast test points the notebook at the session's coded demo (``RESDISCOURSE_RUN``); the other
one leaves it unset, so that the notebook codes the demo corpus itself, as a student's first run
does.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import nbclient
import nbformat
import pytest

NOTEBOOK = Path(__file__).resolve().parents[1] / "notebooks" / "replication.ipynb"
KERNEL = "python3"


@pytest.fixture(scope="module")
def kernel() -> str:
    """The ipykernel kernelspec, which ``pip install ipykernel`` puts into the venv's
    ``share/jupyter/kernels`` (nothing is registered globally)."""
    from jupyter_client.kernelspec import KernelSpecManager

    specs = KernelSpecManager().find_kernel_specs()
    assert KERNEL in specs, f"no {KERNEL!r} kernel: install the dev extra (ipykernel); {specs}"
    return KERNEL


def execute(tmp_path: Path, kernel: str) -> Any:
    """Run every cell in a fresh kernel whose working directory is ``tmp_path``; a cell that
    raises fails the test (CellExecutionError)."""
    nb = nbformat.read(NOTEBOOK, as_version=4)
    client = nbclient.NotebookClient(
        nb, timeout=600, kernel_name=kernel, resources={"metadata": {"path": tmp_path}}
    )
    client.execute()
    outputs = [o for c in nb.cells if c.cell_type == "code" for o in c.outputs]
    assert not [o for o in outputs if o.output_type == "error"]
    return nb


def tagged(nb: Any, tag: str) -> Any:
    (cell,) = [c for c in nb.cells if tag in c.metadata.get("tags", [])]
    return cell


def text_of(cell: Any) -> str:
    """Everything a cell printed or displayed as plain text."""
    parts = []
    for output in cell.outputs:
        if output.output_type == "stream":
            parts.append(output.text)
        elif "data" in output:
            parts.append(output.data.get("text/plain", ""))
    return "\n".join(parts)


def row(text: str, label: str) -> list[str]:
    """The cells of the table line that starts with ``label`` (after the label)."""
    (line,) = [line for line in text.splitlines() if line.split()[:1] == [label]]
    return line.split()[1:]


def test_notebook_is_stored_clean() -> None:
    nb = nbformat.read(NOTEBOOK, as_version=4)
    nbformat.validate(nb)
    assert nb.metadata.kernelspec.name == KERNEL
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert code
    assert all(not c.outputs and c.execution_count is None for c in code)


def test_notebook_uses_only_the_public_api() -> None:
    """The notebook is what a student copies from: it reaches the library through the names of
    ``resdiscourse/__init__.py`` only, never through a module path that may move."""
    import resdiscourse

    nb = nbformat.read(NOTEBOOK, as_version=4)
    code = "\n".join(c.source for c in nb.cells if c.cell_type == "code")
    assert "import resdiscourse as rd" in code
    assert not re.findall(r"\bresdiscourse\.\w+|from resdiscourse\b", code)
    used = set(re.findall(r"\brd\.(\w+)", code))
    assert {"code_corpus", "compare_codings"} <= used
    assert used <= set(resdiscourse.__all__)


def test_notebook_on_the_coded_demo(
    tmp_path: Path, demo_out: Path, kernel: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("RESDISCOURSE_RUN", str(demo_out))
    monkeypatch.setenv("TMPDIR", str(tmp_path))  # the notebook's temporary folders
    nb = execute(tmp_path, kernel)

    assert str(demo_out) in text_of(tagged(nb, "run"))
    # Locus × valence: the demo's locus counts (bhuyan-leung-2021 2.2.0) are in the "total"
    # column.
    crosstab = text_of(tagged(nb, "locus-valence"))
    assert row(crosstab, "attribute")[-1] == "38"
    assert row(crosstab, "resource")[-1] == "15"
    assert row(crosstab, "civic")[-1] == "13"
    assert row(crosstab, "total")[-1] == "72"
    # The chart is drawn inline.
    assert any("image/png" in o.get("data", {}) for o in tagged(nb, "chart").outputs)
    # Exemplars cite title, year and printed page.
    exemplars = text_of(tagged(nb, "exemplars"))
    assert "== attribute" in exemplars
    assert re.search(r"\(20\d\d\), p\. \d+", exemplars)
    assert "evidence_text" in text_of(tagged(nb, "why"))
    # What is not said: six of the eleven demo documents never name a government remedy.
    absent = text_of(tagged(nb, "absent"))
    assert "6 of 11 documents never name a government remedy" in absent
    assert "toronto-undocumented-residents-2018" in absent
    # Compare with the made-up second coder: kappa overall and per code, disagreements.
    compared = text_of(tagged(nb, "compare"))
    assert "kappa" in compared
    assert re.search(
        r"^0\s+character\s+resdiscourse \| ann\s+\d+\s+\d+\.\d+\s+0\.\d+", compared, re.M
    )
    kappas = text_of(tagged(nb, "kappa-per-code"))
    assert re.search(r"locus:attribute\s+0\.\d+\s+0\.\d+", kappas)
    assert "disagreements listed in" in text_of(tagged(nb, "disagreements"))
    # The session's run is read, never written to.
    assert not (demo_out / "compare").exists()


def test_notebook_codes_the_demo_itself(
    tmp_path: Path, kernel: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("RESDISCOURSE_RUN", raising=False)
    monkeypatch.setenv("TMPDIR", str(tmp_path))
    nb = execute(tmp_path, kernel)

    # The demo coded with bhuyan-leung-2021 2.7.0.
    assert "72 segments, 526 codings" in text_of(tagged(nb, "run"))
    assert row(text_of(tagged(nb, "locus-valence")), "attribute")[-1] == "38"
    assert list(tmp_path.glob("resdiscourse-*/demo/segments.csv"))
