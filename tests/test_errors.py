"""The error catalogue (errors.py): every code the package uses is in it, every entry is used, and
the module's docstring states the code ranges as the catalogue has them."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import resdiscourse.errors
from resdiscourse.errors import CATALOGUE

PACKAGE = Path(resdiscourse.errors.__file__).parent
CODE = re.compile(r"[EW]\d{3}")


def sources() -> list[Path]:
    """Every module of the package but errors.py, which defines the codes."""
    return sorted(p for p in PACKAGE.rglob("*.py") if p != PACKAGE / "errors.py")


def codes_in_strings(path: Path) -> set[str]:
    """String constants that are a whole code (``problem("E101", …)``, ``code in ("W104", …)``)."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    return {
        node.value
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant)
        and isinstance(node.value, str)
        and CODE.fullmatch(node.value)
    }


def test_every_code_the_package_uses_is_in_the_catalogue_and_every_entry_is_used() -> None:
    used: dict[str, list[str]] = {}
    for path in sources():
        for code in codes_in_strings(path):
            used.setdefault(code, []).append(str(path.relative_to(PACKAGE)))
    unknown = {code: where for code, where in used.items() if code not in CATALOGUE}
    assert not unknown, f"codes not in errors.CATALOGUE: {unknown}"
    assert sorted(set(CATALOGUE) - set(used)) == [], "catalogue entries nothing uses"


def test_codes_named_in_docstrings_and_comments_exist() -> None:
    named = {
        (code, str(path.relative_to(PACKAGE)))
        for path in sources()
        for code in re.findall(r"\b[EW]\d{3}\b", path.read_text(encoding="utf-8"))
    }
    assert sorted(item for item in named if item[0] not in CATALOGUE) == []


def docstring_bullets() -> list[str]:
    doc = resdiscourse.errors.__doc__ or ""
    return [" ".join(item.split()) for item in re.split(r"\n- ", doc)[1:]]


def test_the_docstring_states_the_ranges_the_catalogue_has() -> None:
    documented: set[tuple[str, str]] = set()
    for bullet in docstring_bullets():
        head = re.match(r"((?:``[EW]\dxx``/?)+):", bullet)
        assert head, f"a range bullet starts with its ranges: {bullet!r}"
        ranges = set(re.findall(r"``([EW])(\d)xx``", head.group(1)))
        digits = {digit for _, digit in ranges}
        assert len(digits) == 1, bullet
        documented |= ranges
        # Codes and sub-ranges named in a bullet exist and belong to its area.
        for code in re.findall(r"\b[EW]\d{3}\b", bullet):
            assert code in CATALOGUE and code[1] in digits, (code, bullet)
        for prefix in re.findall(r"\b([EW]\d\d)x\b", bullet):
            assert any(code.startswith(prefix) for code in CATALOGUE), (prefix, bullet)
        for first, last in re.findall(r"\b([EW]\d{3})-([EW]\d{3})\b", bullet):
            span = [f"{first[0]}{n}" for n in range(int(first[1:]), int(last[1:]) + 1)]
            assert all(code in CATALOGUE for code in span), (first, last)
    assert documented == {(code[0], code[1]) for code in CATALOGUE}


def test_the_letter_is_the_severity() -> None:
    wrong = [code for code, entry in CATALOGUE.items() if entry.severity[0].upper() != code[0]]
    assert wrong == []
