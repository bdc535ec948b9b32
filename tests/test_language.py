"""Language detection: whole texts, parts of a bilingual text (offsets), the gold sentences."""

from __future__ import annotations

from pathlib import Path

import pytest

from resdiscourse.ingest import language
from resdiscourse.ingest.clean import guess_language
from resdiscourse.ingest.language import (
    LanguagePart,
    detect_language,
    judge,
    known_languages,
    language_parts,
    text_language,
)
from tests.conftest import SHARED, need_shared
from tests.support.languages import gold_files, labelled_sentences

EN = "Newcomers have repeatedly demonstrated their resilience by finding work and housing."
FR = "Les nouveaux arrivants ont fait preuve de résilience en trouvant un emploi et un logement."


def test_short_sentences_in_either_language() -> None:
    assert detect_language(EN) == "en"
    assert detect_language(FR) == "fr"
    assert detect_language("La résilience des réfugiés.") == "fr"
    assert guess_language(FR) == "fr" and guess_language("") == "en"


def test_restricted_to_the_languages_asked_for() -> None:
    assert detect_language(FR, ["en"]) == "en"  # one language: nothing to tell apart
    assert known_languages(["fr", "xx", "EN", "en"]) == ("en", "fr")
    code, confidence = judge("Die Widerstandsfähigkeit der Flüchtlinge wächst.", ["en", "de"])
    assert code == "de" and confidence > 0.9


def test_nothing_to_judge() -> None:
    assert detect_language("") == ""
    assert detect_language("12 345 — 2019") == ""
    assert judge("1.2.3", ["en", "fr"]) == ("", 0.0)


def test_bilingual_text_parts_cover_it_with_offsets() -> None:
    heading_fr = "Résilience des nouveaux arrivants"
    text = f"{EN}\n\n{EN}\n\n{heading_fr}\n\n{FR}\n\n{FR}\n"
    parts = language_parts(text)
    french_from = text.index(heading_fr)
    # The short French heading is too short to judge alone: it takes the language it introduces.
    assert parts == [LanguagePart(0, french_from, "en"), LanguagePart(french_from, len(text), "fr")]
    assert text[parts[1].start :].startswith("Résilience")
    assert detect_language(text) == "fr"  # more letters in French


def test_a_texts_language_with_the_detectors_confidence() -> None:
    english = text_language(f"{EN}\n\n{EN}")
    assert english.language == "en" and english.confidence is not None
    assert english.confidence > 0.95
    # A given language is kept; the confidence says how far the detector agrees.
    assert text_language(f"{EN}\n\n{EN}", given="fr").confidence == pytest.approx(
        1 - english.confidence, abs=0.002
    )
    # Half and half: the majority language, and a confidence near the share of text in it.
    mixed = text_language(f"{EN}\n\n{FR}\n\n{FR}")
    assert [part.language for part in mixed.parts] == ["en", "fr"]
    assert mixed.language == "fr" and mixed.confidence is not None
    assert 0.55 < mixed.confidence < 0.75
    # Nothing to judge, or a language the detector was not asked about: no confidence.
    assert text_language("12 345") == ("", None, [])
    assert text_language(EN, given="de").confidence is None
    assert text_language(FR, ["fr"]) == ("fr", 1.0, [(0, len(FR), "fr")])


def test_a_repeated_paragraph_is_judged_once(monkeypatch: pytest.MonkeyPatch) -> None:
    heading = "Settlement services"
    text = "\n\n".join([heading, EN, heading, FR, heading, EN + " " + "x" * 2500])
    spans = language.paragraph_spans(text)
    each = [language.confidences(text[start:end]) for start, end in spans]
    judged: list[str] = []
    real = language.confidences

    def counted(
        sample: str, languages: tuple[str, ...] = language.DEFAULT_LANGUAGES
    ) -> dict[str, float]:
        judged.append(sample)
        return real(sample, languages)

    monkeypatch.setattr(language, "confidences", counted)
    scores = language._scores(text, spans, language.DEFAULT_LANGUAGES)
    # lingua's sums run in hash order: the last digits of a confidence vary from call to call
    assert [pytest.approx(score, rel=1e-12) for score in scores] == each
    assert judged == [heading, EN, FR, (EN + " " + "x" * 2500)[: language.SAMPLE_CHARS]]


def test_short_paragraphs_follow_their_neighbours() -> None:
    text = f"Table 1\n\n{FR}\n\nNotes\n"
    assert [part.language for part in language_parts(text)] == ["fr"]


def _gold_sentences() -> list[tuple[str, str]]:
    files = gold_files(SHARED, Path(__file__).resolve().parents[1])
    return labelled_sentences([(need_shared(path), default) for path, default in files])


def test_accuracy_on_the_gold_sentences() -> None:
    sentences = _gold_sentences()
    wrong = [(text, lang) for text, lang in sentences if detect_language(text) != lang]
    french = sum(lang == "fr" for _, lang in sentences)
    accuracy = 1 - len(wrong) / len(sentences)
    print(f"{len(sentences)} sentences ({french} French): accuracy {accuracy:.4f}; wrong: {wrong}")
    assert french >= 40 and accuracy >= 0.99


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_every_gold_sentence_of_a_language_counts(lang: str) -> None:
    sentences = [text for text, code in _gold_sentences() if code == lang]
    assert sum(detect_language(text) == lang for text in sentences) >= 0.98 * len(sentences)


def test_words_without_function_words() -> None:
    # The function-word count this detector replaced called these English (no "le", "la", "des").
    assert detect_language("Nouveaux arrivants résilients") == "fr"
    assert detect_language("Immigrants résilients") == "fr"
    assert detect_language("Resilient newcomers") == "en"


def test_ingest_detects_a_language_the_manifest_does_not_give(tmp_path: Path) -> None:
    from resdiscourse.ingest.corpus import ingest_corpus

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "avis.txt").write_text(f"{FR}\n\n{FR}\n", encoding="utf-8")
    (corpus / "notice.txt").write_text(f"{EN}\n", encoding="utf-8")
    (corpus / "given.txt").write_text(f"{FR}\n", encoding="utf-8")
    (corpus / "manifest.csv").write_text(
        "doc_id,file,language\navis,avis.txt,\nnotice,notice.txt,\ngiven,given.txt,en\n",
        encoding="utf-8",
    )
    summary = ingest_corpus(corpus, out=tmp_path / "out")
    languages = {row["doc_id"]: row["language"] for row in summary.rows}
    assert languages == {"avis": "fr", "notice": "en", "given": "en"}  # the manifest wins


def test_an_english_sentence_naming_a_french_programme_stays_english() -> None:
    # From IRCC's ENF 4 manual: lingua alone says French (0.998); half its words are English.
    naming = (
        "For more information on this exemption, please refer to section 2.3 Programme de séjour "
        "temporaire pour traitement médical of the Guide des procédures"
    )
    text = f"{EN}\n\n{naming}\n\n{EN}\n"
    assert judge(naming)[0] == "fr"
    assert language_parts(text) == [LanguagePart(0, len(text), "en")]
    quoted = "Concernant la Loi sur l'immigration et la protection des réfugiés et concernant"
    text = f"{EN}\n\n{quoted}\n\n{EN}\n"
    assert [part.language for part in language_parts(text)] == ["en", "fr", "en"]
