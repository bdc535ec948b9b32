"""Character clean-up and line-end hyphenation decisions."""

from __future__ import annotations

from resdiscourse.ingest.clean import Hyphenation, guess_language, normalize_chars


def test_ligatures_and_odd_spaces() -> None:
    assert normalize_chars("ﬁnancial e\ufb00orts\u00a0for\u202fall") == "financial efforts for all"
    assert normalize_chars("soft\u00adhyphen zero\u200bwidth") == "softhyphen zerowidth"
    assert normalize_chars("cœur ½ ²") == "cœur ½ ²"  # letters and symbols NFKC would fold stay
    assert normalize_chars("e\u0301") == "é"


def test_hyphen_marks_a_line_break_inside_a_word() -> None:
    rule = Hyphenation([], "en")
    assert not rule.keep_hyphen("resil-", "ience")
    assert not rule.keep_hyphen("commu-", "nity")


def test_real_compound_keeps_its_hyphen() -> None:
    rule = Hyphenation([], "en")
    assert rule.keep_hyphen("decision-", "making")
    assert rule.keep_hyphen("well-being-", "focused")  # already a compound
    assert rule.keep_hyphen("COVID-", "19")
    assert rule.keep_hyphen("Franco-", "Ontarian")


def test_a_line_set_in_capitals_is_judged_as_its_words() -> None:
    rule = Hyphenation([], "en")
    assert not rule.keep_hyphen("INJU-", "RIES")
    assert not rule.keep_hyphen("SOVER-", "EIGNTIES")
    assert not rule.keep_hyphen("ATTA-", "INMENT OF THIS OBJECT THE CON-")  # the next line
    assert rule.keep_hyphen("DECISION-", "MAKING")
    assert rule.keep_hyphen("COVID-", "RELATED")
    assert rule.keep_hyphen("Canada-", "U.S.")
    assert not rule.keep_hyphen("PRET-", "ENDED as well")
    assert rule.keep_hyphen("ANTI-", "RACISM")  # two words that make a compound
    assert rule.keep_hyphen("Franco-", "ONTARIAN")  # not a word set in capitals


def test_document_usage_decides_first() -> None:
    assert Hyphenation(["the newcomer-serving agencies"], "en").keep_hyphen("newcomer-", "serving")
    assert not Hyphenation(["a long workplace study"], "en").keep_hyphen("work-", "place")


def test_other_forms_of_the_stem_in_the_document_decide() -> None:
    # Without evidence, a short prefix before its own vowel keeps its hyphen ("co-operate",
    # "re-entering"); the document's other forms decide first.
    assert Hyphenation([], "en").keep_hyphen("co-", "operate")
    assert Hyphenation([], "en").keep_hyphen("re-", "entering")
    assert Hyphenation(["they were co-operating"], "en").keep_hyphen("co-", "operate")
    assert not Hyphenation(["it was reentered"], "en").keep_hyphen("re-", "entering")
    # Both spellings in the document: the frequencies decide again.
    both = Hyphenation(["co-operating", "cooperation"], "en")
    assert not both.keep_hyphen("co-", "operate")


def test_a_prefix_before_its_own_vowel_keeps_its_hyphen() -> None:
    # Fuzzed seeds 37 and 63: "co-operating", "co-operate" from a compound broken at its hyphen,
    # with no other form in the document; word frequencies alone joined them.
    rule = Hyphenation([], "en")
    assert rule.keep_hyphen("co-", "operating pressure of")
    assert rule.keep_hyphen("pre-", "eminence")
    assert rule.keep_hyphen("de-", "escalation")
    assert rule.keep_hyphen("anti-", "inflammatory")
    # Words broken after a vowel that the next line repeats, with no prefix or no word there.
    assert not rule.keep_hyphen("agre-", "eable")
    assert not rule.keep_hyphen("vacu-", "um")
    assert not rule.keep_hyphen("ze-", "ebra")
    # The document's solid form wins.
    assert not Hyphenation(["to coordinate the work"], "en").keep_hyphen("co-", "ordination")


def test_a_line_end_piece_that_is_no_word_of_the_document_is_joined() -> None:
    # Fuzzed seed 274: "comp-" + "acts", both words in a word list, broken from "compacts"; the
    # document never uses "comp" on its own. Realistic breaks of the same kind ("dis-" +
    # "tresses", "sup-" + "poses") too.
    rule = Hyphenation(["and made treaties, and compacts"], "en")
    assert not Hyphenation(["made treaties and comp-"], "en").keep_hyphen("comp-", "acts and")
    assert not Hyphenation(["under which we labor dis-"], "en").keep_hyphen("dis-", "tresses")
    assert not Hyphenation(["as the author sup-"], "en").keep_hyphen("sup-", "poses")
    assert not rule.keep_hyphen("comp-", "acts")
    # A word the document uses on its own, a common word, or a prefix that takes a hyphen: a
    # compound's part.
    assert Hyphenation(["the comp and the acts"], "en").keep_hyphen("comp-", "acts")
    assert Hyphenation([], "en").keep_hyphen("decision-", "making")
    assert Hyphenation([], "en").keep_hyphen("non-", "compliance")
    assert Hyphenation([], "en").keep_hyphen("neo-", "conservative")
    assert Hyphenation([], "en").keep_hyphen("ultra-", "conservative")
    # Only in English: French words break at other pieces.
    assert Hyphenation([], "fr").keep_hyphen("main-", "d’œuvre")


def test_an_ending_left_for_the_next_line_is_no_compound_part() -> None:
    rule = Hyphenation([], "en")
    assert not rule.keep_hyphen("remit-", "ted in favor")  # "ted" is common only as a name
    assert not rule.keep_hyphen("consider-", "ation")
    assert rule.keep_hyphen("decision-", "making")
    # Fuzzed seeds 775 and 782: a word and an inflection too rare for the word list.
    assert not rule.keep_hyphen("hazard-", "ing their tranquillity")
    assert not rule.keep_hyphen("widespread-", "ing country")


def test_french_words() -> None:
    rule = Hyphenation([], "fr")
    assert not rule.keep_hyphen("résil-", "ience")
    assert not rule.keep_hyphen("réfu-", "giés")  # accents on either side of the break
    assert not rule.keep_hyphen("Québé-", "cois")
    assert not rule.keep_hyphen("d’établis-", "sement")  # an elided article before the break
    assert rule.keep_hyphen("franco-", "ontariens")
    assert rule.keep_hyphen("main-", "d’œuvre")


def test_french_compound_that_continues_keeps_its_hyphen() -> None:
    # Before: "c’est" (with its apostrophe) had no frequency and the break was joined as
    # "c’està-dire".
    assert Hyphenation([], "fr").keep_hyphen("c’est-", "à-dire")


def test_elided_words_count_as_document_usage() -> None:
    rule = Hyphenation(["L’intégration des nouveaux arrivants"], "fr")
    assert "intégration" in rule.vocabulary
    assert not rule.keep_hyphen("inté-", "gration")


def test_language_guess() -> None:
    assert guess_language("Les nouveaux arrivants et la résilience de la ville") == "fr"
    assert guess_language("The resilience of the city and its newcomers") == "en"
