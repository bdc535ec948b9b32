"""Property tests of every parser: a dictionary written in a format reads back the same, and any
text either reads or fails with a coded error (never a crash)."""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from resdiscourse.dictionaries.model import Dictionary
from resdiscourse.dictionaries.read import read_dictionary
from resdiscourse.dictionaries.write import codebook_yaml, liwc_dic
from resdiscourse.errors import ResdiscourseError

Flat = dict[str, list[str]]

_WORD = st.text(alphabet="abcdefghijklmnopqrstuvwxyzéàçœ", min_size=1, max_size=8)
_TERM = st.builds(
    lambda words, star: " ".join(words) + ("*" if star else ""),
    st.lists(_WORD, min_size=1, max_size=3),
    st.booleans(),
)
_NAME = st.builds(
    lambda first, rest: first + rest,
    st.sampled_from("ABCDEFGHIJKLMNOPQRSTUVWXYZ"),
    st.text(alphabet="ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789", max_size=6),
)
FLAT = st.dictionaries(
    _NAME, st.lists(_TERM, min_size=1, max_size=5, unique_by=str.casefold), min_size=1, max_size=5
)
SETTINGS = settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


def flat(dictionary: Dictionary) -> Flat:
    """Category -> its terms, sorted: a term's place in its list means nothing."""
    return {".".join(c.path): sorted(t.text for t in c.terms) for c in dictionary.categories}


def sort(d: Flat) -> Flat:
    return {key: sorted(terms) for key, terms in d.items()}


def read_text(name: str, data: str, **options: str) -> Dictionary:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / name
        path.write_bytes(data.encode("utf-8"))
        return read_dictionary(path, **options)  # type: ignore[arg-type]


def as_lc3(d: Flat) -> str:
    return "".join(f"+{k}\n" + "".join(f"{t}\n" for t in v) for k, v in d.items())


def as_cat(d: Flat) -> str:
    return "".join(f"{k}\n" + "".join(f"   \t{t} (1)\n" for t in v) for k, v in d.items())


def as_ykd(d: Flat) -> str:
    body = "".join(
        f'<cnode name="{k}">' + "".join(f'<pnode name="{t}"/>' for t in v) + "</cnode>"
        for k, v in d.items()
    )
    return f'<dictionary patternengine="substring"><cnode name="d">{body}</cnode></dictionary>'


def as_quanteda(d: Flat) -> str:
    return "".join(f"{k}: [{', '.join(v)}]\n" for k, v in d.items())


def as_block_quanteda(d: Flat) -> str:
    return "".join(f"{k}:\n" + "".join(f"  - {t}\n" for t in v) for k, v in d.items())


def as_dicx(d: Flat) -> str:
    names = list(d)
    terms = list(dict.fromkeys(t for v in d.values() for t in v))
    rows = [",".join(["DicTerm", *names])]
    rows += [",".join([t, *("X" if t in d[n] else "" for n in names)]) for t in terms]
    return "\n".join(rows) + "\n"


@SETTINGS
@given(FLAT, st.sampled_from(["\n", "\r\n", "\r"]))
def test_liwc_dic_round_trips_with_any_line_end(d: Flat, end: str) -> None:
    first = read_text("a.lc3", as_lc3(d))
    text, _lost = liwc_dic(first)
    again = read_text("a.dic", text.replace("\n", end))
    assert flat(again) == flat(first) == sort(d)


@SETTINGS
@given(FLAT)
def test_codebook_yaml_round_trips(d: Flat) -> None:
    first = read_text("a.lc3", as_lc3(d))
    again = read_text("a.yml", codebook_yaml(first))
    assert {key.casefold(): terms for key, terms in flat(again).items()} == {
        key.casefold(): terms for key, terms in sort(d).items()
    }


WRITERS: dict[str, tuple[str, Callable[[Flat], str]]] = {
    "lexicoder": ("a.lc3", as_lc3),
    "wordstat": ("a.cat", as_cat),
    "yoshikoder": ("a.ykd", as_ykd),
    "quanteda": ("a.yml", as_quanteda),
    "quanteda-block": ("a.yml", as_block_quanteda),
    "liwc22": ("a.dicx", as_dicx),
}


@SETTINGS
@given(FLAT, st.sampled_from(sorted(WRITERS)))
def test_each_format_reads_back_what_was_written(d: Flat, kind: str) -> None:
    name, writer = WRITERS[kind]
    assert flat(read_text(name, writer(d))) == sort(d)


@SETTINGS
@given(st.dictionaries(_WORD, st.integers(-5, 5), min_size=1, max_size=20))
def test_weighted_lists_keep_every_weight(d: dict[str, int]) -> None:
    text = "".join(f"{k}\t{v}\n" for k, v in d.items())
    found = read_text("a.tsv", text)
    assert {t.text: t.weight for c in found.categories for t in c.terms} == d


#: Pieces of every format's syntax, to build near-miss files.
_PIECES = [
    "%\n",
    "+A\n",
    "1\tx\n",
    "a\t1\n",
    "a\t02 3)\n",
    "<dictionary>",
    "<cnode name='c'>",
    "</cnode>",
    "<pnode name='p'/>",
    "  B (1)\n",
    "a: [b",
    "- c\n",
    "\t",
    "\r",
    "(",
    "*",
    "?",
    "DicTerm,a\n",
    "x,X\n",
    "<!DOCTYPE d>",
    "é",
]


@SETTINGS
@given(
    st.sampled_from(["a.dic", "a.lc3", "a.cat", "a.ykd", "a.yml", "a.tsv", "a.txt"]),
    st.one_of(
        st.text(alphabet=st.characters(codec="utf-8"), max_size=200),
        st.lists(st.sampled_from(_PIECES), max_size=12).map("".join),
    ),
)
def test_any_text_reads_or_fails_with_a_coded_error(name: str, text: str) -> None:
    try:
        read_text(name, text)
    except ResdiscourseError as error:
        assert error.problem.code.startswith("E8")
